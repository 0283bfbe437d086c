//! The national-scale store: PostgreSQL, migrated on open.

mod arrays;
mod copy_out;
#[cfg(any(test, feature = "testing"))]
pub mod testing;

use carepool_schema::{ColumnType, Row, Table, Value};
use carepool_store::{
    LiveColumn, LiveSchema, LiveTable, Progress, StoreError, Write, WriteRunTurns, Writes,
};
use carepool_store_sqlx::sql::Dialect;
use carepool_store_sqlx::{CommitMark, Snapshot, SqlxBackend, WhereIn, tested_after_idle};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool, Postgres};
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub struct PostgresStore {
    pool: PgPool,
    /// One connection of its own for readiness probes, opened when first asked: a pool busy
    /// with work must not read as a database that does not answer.
    probe: PgPool,
    write_runs: WriteRunTurns,
    /// Whether batch runs judge ahead of their locks: asked for, see
    /// [`PostgresStore::judging_ahead`].
    judge_ahead: bool,
    /// A snapshot's: the transaction that exported it, held open while the snapshot is read.
    _exporter: Option<Exporter>,
}

/// The connection whose transaction exported a snapshot: the snapshot can be taken up only
/// while that transaction is open. Closed when dropped.
struct Exporter(std::sync::Mutex<Option<PgConnection>>);

impl Drop for Exporter {
    fn drop(&mut self) {
        let connection = self.0.get_mut().map(Option::take).unwrap_or_default();
        // Said goodbye to, so that the server does not log a client lost mid-transaction.
        if let (Some(connection), Ok(runtime)) = (connection, tokio::runtime::Handle::try_current())
        {
            runtime.spawn(sqlx::Connection::close(connection));
        }
    }
}

/// The working pool's size: the intake's judges and the reads before them share it with the
/// server's other work (see `LOCKED_WRITES_AT_ONCE`).
const WORKING_CONNECTIONS: u32 = 8;

impl PostgresStore {
    /// Connects to the database at a `postgres://` URL and brings its schema up to date.
    pub async fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("cannot use database URL: {e}")))?;
        let store = PostgresStore::connect(options)
            .await
            .map_err(|e| StoreError::Config(format!("cannot connect to PostgreSQL: {e}")))?;
        MIGRATOR
            .run(&store.pool)
            .await
            .map_err(StoreError::internal)?;
        Ok(store)
    }

    /// The store's pools on `options` (the work's, connected now; the probe's, when first
    /// asked), judging nothing ahead.
    async fn connect(options: PgConnectOptions) -> Result<PostgresStore, sqlx::Error> {
        let probe = probe_pool(options.clone());
        let pool = tested_after_idle(PgPoolOptions::new())
            .max_connections(WORKING_CONNECTIONS)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await?;
        Ok(PostgresStore {
            pool,
            probe,
            write_runs: WriteRunTurns::default(),
            judge_ahead: false,
            _exporter: None,
        })
    }

    /// A store whose every connection reads in a read-only transaction of the snapshot a
    /// transaction on this store's pool exports now (`pg_export_snapshot`, also on a hot
    /// standby). A connection given back starts a fresh transaction of the same snapshot,
    /// whatever was done on it, so that none ever reads outside it.
    async fn at_snapshot(&self) -> Result<PostgresStore, StoreError> {
        let taken = self.pool.acquire().await.map_err(StoreError::internal)?;
        let mut exporter = taken.detach();
        // Held open, idle, while the work reads: a server that ends idle transactions after a
        // while would end the snapshot with it.
        let export = format!("{READ_ONLY_SNAPSHOT}; {KEEP_IDLE_TRANSACTION}");
        sqlx::raw_sql(sqlx::AssertSqlSafe(export))
            .execute(&mut exporter)
            .await
            .map_err(StoreError::internal)?;
        let id: String = sqlx::query_scalar("SELECT pg_export_snapshot()")
            .fetch_one(&mut exporter)
            .await
            .map_err(StoreError::internal)?;
        // The id goes into a statement of its own (SET TRANSACTION takes no parameter): it is
        // the server's, of hex digits and dashes, and checked to be.
        if id.is_empty() || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
            return Err(StoreError::Internal(
                format!("PostgreSQL exported a snapshot named {id:?}, not understood").into(),
            ));
        }
        let begin: Arc<str> =
            format!("{READ_ONLY_SNAPSHOT}; SET TRANSACTION SNAPSHOT '{id}'").into();
        let again: Arc<str> = format!("ROLLBACK; {begin}").into();
        let options = self.pool.connect_options().as_ref().clone();
        // The snapshot's connections wait in the pool inside their transaction.
        let reading = (options.clone()).options([("idle_in_transaction_session_timeout", "0")]);
        let pool = tested_after_idle(PgPoolOptions::new())
            .max_connections(SNAPSHOT_CONNECTIONS)
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |connection, _| {
                let begin = begin.clone();
                Box::pin(async move { begin_at(connection, &begin).await })
            })
            .after_release(move |connection, _| {
                let again = again.clone();
                Box::pin(async move { begin_at(connection, &again).await.map(|()| true) })
            })
            .connect_lazy_with(reading);
        Ok(PostgresStore {
            pool,
            probe: probe_pool(options),
            write_runs: WriteRunTurns::default(),
            judge_ahead: false,
            _exporter: Some(Exporter(std::sync::Mutex::new(Some(exporter)))),
        })
    }

    /// The store with batch runs judging each batch ahead of its lock while the one before is
    /// written, or not (the default). Measured where carepool and PostgreSQL share two cores,
    /// judging ahead made runs about a tenth slower (the reads ahead contend with the write
    /// for the same cores); it is meant for a database on a machine of its own
    /// (docs/BENCHMARKS.md, docs/SCALE.md).
    pub fn judging_ahead(mut self, on: bool) -> PostgresStore {
        self.judge_ahead = on;
        self
    }

    /// Connects to a database to read only: a hot standby (a streaming replica) of one that
    /// [`PostgresStore::open`] brought up to date. Its schema is checked, never changed (a
    /// standby refuses any change), and every transaction is read-only, so a write meant for
    /// the primary fails rather than land on a database that is not it.
    pub async fn open_for_reading(url: &str) -> Result<PostgresStore, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("cannot use the read database URL: {e}")))?
            .options([("default_transaction_read_only", "on")]);
        let store = PostgresStore::connect(options)
            .await
            .map_err(|e| StoreError::Config(format!("cannot connect to the read database: {e}")))?;
        let pool = &store.pool;
        let applied: Vec<i64> = match sqlx::query_scalar(
            "SELECT version FROM _sqlx_migrations WHERE success ORDER BY version",
        )
        .fetch_all(pool)
        .await
        {
            Ok(versions) => versions,
            // No table of migrations: a database carepool never opened.
            Err(sqlx::Error::Database(e)) if e.code().as_deref() == Some("42P01") => Vec::new(),
            Err(e) => {
                pool.close().await;
                return Err(StoreError::Config(format!(
                    "cannot read the read database's schema version (_sqlx_migrations): {e}"
                )));
            }
        };
        let expected: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
        if applied != expected {
            pool.close().await;
            return Err(StoreError::Config(format!(
                "the read database does not hold this carepool's schema ({} of its {} \
                 migrations applied): it must be a replica of a database carepool opened, \
                 caught up with it",
                applied.len(),
                expected.len()
            )));
        }
        Ok(store)
    }
}

/// The transaction a snapshot is exported from, and read in.
const READ_ONLY_SNAPSHOT: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// The exporting transaction kept whatever the server's `idle_in_transaction_session_timeout`.
const KEEP_IDLE_TRANSACTION: &str = "SET LOCAL idle_in_transaction_session_timeout = 0";

/// Connections a snapshot reads on at once: a study reads a page's members, cover and claims
/// side by side, and the next page's while one is counted.
const SNAPSHOT_CONNECTIONS: u32 = 4;

/// Starts the snapshot's transaction on a connection, ending first any it was in (`begin`:
/// see `at_snapshot`).
async fn begin_at(connection: &mut PgConnection, begin: &str) -> Result<(), sqlx::Error> {
    sqlx::raw_sql(sqlx::AssertSqlSafe(begin.to_string()))
        .execute(connection)
        .await
        .map(drop)
}

/// The readiness probe's own pool: one connection, given up on after two seconds.
fn probe_pool(options: PgConnectOptions) -> PgPool {
    PgPoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(2))
        .connect_lazy_with(options)
}

/// PostgreSQL's SQL: numbered placeholders and row locks.
pub const POSTGRES: Dialect = Dialect {
    placeholder_prefix: '$',
    binds_per_statement: 16_384,
    distinct: "IS DISTINCT FROM",
    // Each statement sees every commit before it, whatever the server's default: a write's
    // mark of the commits (see `commit_mark`) is taken after its lock is held. A write's
    // statements (reads by key under its lock, rows inserted or updated from bound arrays) keep
    // one plan whatever their lists, planned once a connection, where a list bound as one array
    // is otherwise planned again for its values at every run (BENCHMARKS: batches the faster).
    // Sent with the BEGIN, no round trip more; it ends with the transaction.
    begin_write: "BEGIN ISOLATION LEVEL READ COMMITTED; SET LOCAL plan_cache_mode = force_generic_plan",
    row_locks: true,
    analyze_after_bulk_writes: true,
    in_bound_list: "= ANY($1)",
    // The family ids read by range are in this collation already (a migration), so that
    // their indexes serve it.
    in_byte_order: " COLLATE \"C\"",
};

#[async_trait::async_trait]
impl SqlxBackend for PostgresStore {
    type Db = sqlx::Postgres;
    const NAME: &'static str = "postgres";
    const DIALECT: Dialect = POSTGRES;
    /// Writes of different families run side by side (docs/BENCHMARKS.md), each holding a
    /// connection: with the widest round of the intake's reads before the lock (four at once:
    /// the second round of `RegistryRows::read` beside the read of what is stored of the
    /// claims), seven of the `WORKING_CONNECTIONS`, one left for the server's other work.
    const LOCKED_WRITES_AT_ONCE: usize = 3;

    async fn upsert_rows(
        conn: &mut PgConnection,
        table: &'static Table,
        rows: &[Row],
        progress: &Progress,
    ) -> Result<(), StoreError> {
        arrays::upsert_rows(conn, table, rows, progress).await
    }

    async fn write_rows(conn: &mut PgConnection, writes: Writes) -> Result<(), StoreError> {
        if let Some(together) = arrays::Together::of(&writes) {
            return together.write(conn).await;
        }
        for write in writes {
            match write {
                Write::Insert(table, rows) => arrays::insert_rows(conn, table, &rows).await?,
                Write::Upsert(table, rows) => {
                    arrays::upsert_rows(conn, table, &rows, &|_| {}).await?
                }
                Write::Update {
                    table,
                    columns,
                    rows,
                } => arrays::update_rows(conn, table, columns, &rows).await?,
                Write::Set {
                    table,
                    columns,
                    rows,
                } => arrays::set_rows(conn, table, columns, &rows).await?,
            }
        }
        Ok(())
    }

    async fn select_where_in(
        conn: &mut PgConnection,
        reads: &[WhereIn<'_>],
    ) -> Result<Vec<Vec<Row>>, StoreError> {
        let mut found = Vec::with_capacity(reads.len());
        for read in reads {
            found.push(arrays::select_where_in(conn, read).await?);
        }
        Ok(found)
    }

    async fn select_each_row(
        conn: &mut PgConnection,
        table: &'static Table,
        columns: &[usize],
        sql: &str,
        binds: &[(&Value, ColumnType)],
        each: &mut (dyn FnMut(Row) + Send),
    ) -> Result<(), StoreError> {
        arrays::select_each_row(conn, table, columns, sql, binds, each).await
    }

    async fn select_in_range(
        conn: PoolConnection<Postgres>,
        table: &'static Table,
        columns: &[usize],
        column: usize,
        first: &str,
        last: &str,
    ) -> Result<Vec<Row>, StoreError> {
        copy_out::select_in_range(conn, table, columns, column, first, last).await
    }

    fn judges_ahead(&self) -> bool {
        self.judge_ahead
    }

    async fn commit_mark(
        conn: &mut PgConnection,
        in_write: bool,
    ) -> Result<Option<CommitMark>, StoreError> {
        // A write names its own transaction, to tell its commit from others' (it writes
        // anyway, so giving it an id costs nothing); a run's start has none to name.
        let sql = if in_write {
            "SELECT pg_current_xact_id()::text, pg_current_snapshot()::text"
        } else {
            "SELECT pg_current_xact_id_if_assigned()::text, pg_current_snapshot()::text"
        };
        let (own, snapshot): (Option<String>, String) = sqlx::query_as(sql)
            .fetch_one(conn)
            .await
            .map_err(StoreError::internal)?;
        // A snapshot not understood leaves the run judging under its locks, not failing.
        match Snapshot::parse(own.as_deref(), &snapshot) {
            Ok(snapshot) => Ok(Some(CommitMark::Snapshot(snapshot))),
            Err(unreadable) => {
                tracing::warn!(%unreadable, "batches will be judged under their locks");
                Ok(None)
            }
        }
    }

    async fn lock_families(conn: &mut PgConnection, ids: &[String]) -> Result<(), StoreError> {
        arrays::lock_families(conn, ids).await
    }

    async fn live_schema(pool: &PgPool) -> Result<LiveSchema, StoreError> {
        live_schema(pool).await
    }

    async fn snapshot(&self) -> Result<PostgresStore, StoreError> {
        self.at_snapshot().await
    }
}

carepool_store_sqlx::sqlx_store!(PostgresStore);

/// Each declared column type as the migrations make it.
fn sql_type(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Text | ColumnType::List => "text",
        ColumnType::Integer | ColumnType::Money => "bigint",
        ColumnType::Real => "double precision",
        ColumnType::Date => "date",
    }
}

/// The tables of the database's schema (sqlx's bookkeeping left out), from
/// `information_schema`.
async fn live_schema(pool: &PgPool) -> Result<LiveSchema, StoreError> {
    let columns: Vec<(String, String, String, bool)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable = 'NO' \
         FROM information_schema.columns \
         WHERE table_schema = current_schema() AND table_name NOT LIKE '\\_sqlx%' \
         ORDER BY table_name, ordinal_position",
    )
    .fetch_all(pool)
    .await
    .map_err(StoreError::internal)?;
    let keys: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.table_name::text, k.column_name::text \
         FROM information_schema.table_constraints c \
         JOIN information_schema.key_column_usage k \
           ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema \
         WHERE c.constraint_type = 'PRIMARY KEY' AND c.table_schema = current_schema() \
         ORDER BY c.table_name, k.ordinal_position",
    )
    .fetch_all(pool)
    .await
    .map_err(StoreError::internal)?;
    let mut tables: Vec<LiveTable> = Vec::new();
    for (table, name, sql_type, not_null) in columns {
        if tables.last().is_none_or(|t| t.name != table) {
            tables.push(LiveTable {
                key: keys
                    .iter()
                    .filter(|(t, _)| *t == table)
                    .map(|(_, column)| column.clone())
                    .collect(),
                name: table,
                columns: Vec::new(),
            });
        }
        let live = tables.last_mut().expect("pushed above");
        live.columns.push(LiveColumn {
            name,
            sql_type,
            not_null,
        });
    }
    Ok(LiveSchema { tables, sql_type })
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_schema::tables::{COVERAGE, coverage};
    use carepool_store::migration_checks::{
        COVER_BEFORE_ITS_FAMILY, COVER_FAMILIES, MOVE_A_MEMBER, cover_families_after,
        cover_families_after_the_move, last_before_coverage_family,
    };
    use carepool_store::{ListQuery, Within};

    /// Cover stored before coverage carried its family gets its member's, and keeps following
    /// the member: the migration on a database that already holds cover.
    #[tokio::test]
    async fn the_family_key_migration_fills_the_cover_stored_before_it() {
        let database = crate::testing::TestDatabase::create();
        let before = last_before_coverage_family(MIGRATOR.iter().map(|m| m.version));
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(&database.url)
            .await
            .unwrap();
        MIGRATOR.run_to(before, &pool).await.unwrap();
        for statement in COVER_BEFORE_ITS_FAMILY {
            sqlx::query(*statement).execute(&pool).await.unwrap();
        }
        pool.close().await;
        let store = PostgresStore::open(&database.url).await.unwrap();
        let families =
            || sqlx::query_as::<_, (String, String)>(COVER_FAMILIES).fetch_all(&store.pool);
        assert_eq!(families().await.unwrap(), cover_families_after());
        (sqlx::query(MOVE_A_MEMBER).execute(&store.pool).await).unwrap();
        assert_eq!(families().await.unwrap(), cover_families_after_the_move());
    }

    /// A pooled connection the server ended while it lay idle (a restart, an administrator) is
    /// tested before use once idle long enough, and replaced: the next read does not fail.
    #[tokio::test]
    async fn a_connection_ended_while_idle_is_replaced_before_use() {
        use sqlx::Connection;
        let database = crate::testing::TestDatabase::create();
        let store = PostgresStore::open(&database.url).await.unwrap();
        let read = || sqlx::query_scalar::<_, i32>("SELECT 1").fetch_one(&store.pool);
        assert_eq!(read().await.unwrap(), 1);
        assert!(store.pool.num_idle() > 0, "the pool keeps its connections");
        let mut admin = PgConnection::connect(&database.url).await.unwrap();
        let ended: Vec<bool> = sqlx::query_scalar(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE \
             datname = current_database() AND backend_type = 'client backend' \
             AND pid <> pg_backend_pid()",
        )
        .fetch_all(&mut admin)
        .await
        .unwrap();
        assert!(
            !ended.is_empty() && ended.iter().all(|&terminated| terminated),
            "the pool's connections ended: {ended:?}"
        );
        tokio::time::sleep(carepool_store_sqlx::TESTED_AFTER_IDLE + Duration::from_millis(200))
            .await;
        assert_eq!(read().await.unwrap(), 1);
    }

    /// A write's transaction plans its statements once for any list (a generic plan), and the
    /// setting ends with the transaction, committed or undone: the connection goes back to the
    /// pool planning as the server is set to.
    #[tokio::test]
    async fn a_write_plans_its_reads_once_and_only_within_its_transaction() {
        use sqlx::Connection;
        let database = crate::testing::TestDatabase::create();
        let store = PostgresStore::open(&database.url).await.unwrap();
        async fn planning(conn: &mut PgConnection) -> String {
            let setting = "SELECT current_setting('plan_cache_mode')";
            sqlx::query_scalar(setting).fetch_one(conn).await.unwrap()
        }
        /// Runs a read by a list (prepared) and tells whether PostgreSQL ran a generic plan.
        async fn read_by_a_list_planned_generic(conn: &mut PgConnection) -> bool {
            let read = "SELECT count(*) FROM families WHERE id = ANY($1)";
            let ids = vec!["F1".to_string()];
            let found: i64 = sqlx::query_scalar(read)
                .bind(ids)
                .fetch_one(&mut *conn)
                .await
                .unwrap();
            assert_eq!(found, 0);
            let plans = "SELECT generic_plans FROM pg_prepared_statements WHERE statement = $1";
            let generic: i64 = sqlx::query_scalar(plans)
                .bind(read)
                .fetch_one(conn)
                .await
                .unwrap();
            generic > 0
        }
        let mut conn = store.pool.acquire().await.unwrap();
        let outside = planning(&mut conn).await;
        assert_ne!(outside, "force_generic_plan");
        assert!(
            !read_by_a_list_planned_generic(&mut conn).await,
            "planned for its values"
        );
        for outcome in ["committed", "undone"] {
            let mut write = conn.begin_with(POSTGRES.begin_write).await.unwrap();
            assert_eq!(planning(&mut write).await, "force_generic_plan");
            assert!(read_by_a_list_planned_generic(&mut write).await);
            match outcome {
                "committed" => write.commit().await.unwrap(),
                _ => write.rollback().await.unwrap(),
            }
            assert_eq!(
                planning(&mut conn).await,
                outside,
                "after the write {outcome}"
            );
        }
    }

    /// Two transactions each waiting for a row the other holds: PostgreSQL undoes one, with
    /// this error.
    async fn deadlock(store: &PostgresStore) -> sqlx::Error {
        let rename = "UPDATE locations SET name = 'renamed' WHERE code = $1";
        let mut first = store.pool.begin().await.unwrap();
        let mut second = store.pool.begin().await.unwrap();
        sqlx::query(rename)
            .bind("V1")
            .execute(&mut *first)
            .await
            .unwrap();
        sqlx::query(rename)
            .bind("V2")
            .execute(&mut *second)
            .await
            .unwrap();
        let (one, other) = tokio::join!(
            sqlx::query(rename).bind("V2").execute(&mut *first),
            sqlx::query(rename).bind("V1").execute(&mut *second),
        );
        let undone = [one, other].into_iter().find_map(Result::err);
        undone.expect("PostgreSQL undoes one of the two")
    }

    /// A writer undone for a deadlock is told to try again (a conflict, 409), not an internal
    /// fault, whether it was writing or committing.
    #[tokio::test]
    async fn a_writer_undone_for_a_deadlock_is_told_to_try_again() {
        use carepool_schema::tables::LOCATIONS;
        let database = crate::testing::TestDatabase::create();
        let store = PostgresStore::open(&database.url).await.unwrap();
        let places = "INSERT INTO locations (code, name, kind) \
                      VALUES ('V1', 'Koumbia', 'village'), ('V2', 'Bama', 'village')";
        sqlx::query(places).execute(&store.pool).await.unwrap();
        let writing = crate::sqlx_store::write_error(&LOCATIONS, deadlock(&store).await);
        let committing = crate::sqlx_store::commit_error("test", deadlock(&store).await);
        for told in [writing, committing] {
            let StoreError::Conflict(message) = &told else {
                panic!("a deadlock is a conflict: {told:?}");
            };
            assert!(message.starts_with("another writer was changing the same rows"));
        }
    }

    #[test]
    fn a_scoped_list_follows_the_references_to_the_places() {
        let query = ListQuery {
            within: Some(Within {
                path: COVERAGE.place_path().unwrap(),
                places: vec!["D1".into(), "V1".into()],
            }),
            limit: 10,
            ..ListQuery::default()
        };
        assert_eq!(
            POSTGRES.list(&COVERAGE, &query),
            "SELECT member_id, start_date, end_date, package, family_id FROM coverage WHERE \
             member_id IN (SELECT id FROM members WHERE family_id IN (SELECT id FROM families WHERE \
             location_code IN ($1, $2))) ORDER BY member_id, start_date LIMIT 10 OFFSET 0"
        );
        let nowhere = ListQuery {
            within: Some(Within {
                path: COVERAGE.place_path().unwrap(),
                places: vec![],
            }),
            limit: 10,
            ..ListQuery::default()
        };
        assert!(POSTGRES.list(&COVERAGE, &nowhere).contains("WHERE 1 = 0 "));
    }

    #[test]
    fn a_composite_key_is_paged_as_a_row_value() {
        let query = ListQuery {
            filters: vec![coverage::MEMBER_ID.equals(&"M1".to_string())],
            after: Some(vec![Value::Text("M1".into()), Value::Null]),
            within: None,
            offset: 0,
            limit: 10,
        };
        assert_eq!(
            POSTGRES.list(&COVERAGE, &query),
            "SELECT member_id, start_date, end_date, package, family_id FROM coverage WHERE \
             member_id = $1 AND (member_id, start_date) > ($2, $3) ORDER BY member_id, start_date LIMIT 10 OFFSET 0"
        );
    }
}
