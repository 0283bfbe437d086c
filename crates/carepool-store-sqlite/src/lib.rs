//! The embedded default store: one SQLite file in WAL mode, migrated on open.

mod direct;
mod raw;

use carepool_schema::{ColumnType, Row, Table, Value};
use carepool_store::{
    LiveColumn, LiveSchema, LiveTable, Progress, StoreError, WriteRunTurns, Writes,
};
use carepool_store_sqlx::sql::Dialect;
use carepool_store_sqlx::{CommitMark, SqlxBackend, WhereIn};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How often the write-ahead log is folded into the database file in the background.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);
/// Pages the log may reach before the writer that commits folds it in itself, as SQLite does by
/// default at 1,000: the background fold keeps it below this unless it falls behind.
const CHECKPOINT_BY_WRITER_AT: &str = "16384";
/// How long a connection waits for a lock another holds before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

pub struct SqliteStore {
    pool: SqlitePool,
    /// One connection of its own for readiness probes, opened when first asked: a pool busy
    /// with work must not read as a database that does not answer.
    probe: SqlitePool,
    write_runs: WriteRunTurns,
    _checkpoints: BackgroundCheckpoints,
    /// How many times [`SqliteStore::checkpoint`] was refused (the log busy): what its test
    /// waits on instead of the clock.
    refused_checkpoints: tokio::sync::watch::Sender<u64>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at a `sqlite://PATH` URL and brings its schema up to date.
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_waiting(url, BUSY_TIMEOUT).await
    }

    /// As [`SqliteStore::open`], with connections that wait `busy_timeout` for a lock.
    async fn open_waiting(url: &str, busy_timeout: Duration) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("cannot use database URL '{url}': {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(busy_timeout)
            // A 64 MB page cache per connection: the default 2 MB thrashes on national-size indexes.
            .pragma("cache_size", "-65536")
            // Statement journals (multi-row writes in a transaction) stay in memory, not a temp file.
            .pragma("temp_store", "memory")
            .pragma("wal_autocheckpoint", CHECKPOINT_BY_WRITER_AT);
        let probe = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(2))
            .connect_lazy_with(options.clone());
        let pool = SqlitePoolOptions::new()
            .max_connections(6)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Config(format!("cannot open {url}: {e}")))?;
        MIGRATOR.run(&pool).await.map_err(StoreError::internal)?;
        Ok(SqliteStore {
            _checkpoints: BackgroundCheckpoints::start(pool.clone()),
            pool,
            probe,
            write_runs: WriteRunTurns::default(),
            refused_checkpoints: tokio::sync::watch::Sender::new(0),
        })
    }

    /// Folds the whole write-ahead log into the database file, as closing does, leaving it open.
    /// SQLite gives up at once (reporting itself busy) while another connection checkpoints,
    /// the background one included, so this tries again until the log is folded in whole.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        let give_up_at = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            let (busy,): (i64,) = sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&self.pool)
                .await
                .map_err(StoreError::internal)?;
            if busy == 0 {
                return Ok(());
            }
            self.refused_checkpoints.send_modify(|n| *n += 1);
            if tokio::time::Instant::now() >= give_up_at {
                return Err(StoreError::Internal(
                    "the write-ahead log could not be folded in within 30 s: \
                     other connections kept it busy"
                        .into(),
                ));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}

/// Folds the write-ahead log into the database file every [`CHECKPOINT_EVERY`] on a pool
/// connection, until the pool closes or the store is dropped. Left to SQLite, the writer whose
/// commit takes the log past 1,000 pages folds it in itself, with the fsyncs that go with it,
/// while every other writer waits; here that work runs beside the writers (a passive
/// checkpoint never blocks them).
struct BackgroundCheckpoints {
    task: tokio::task::JoinHandle<()>,
    /// How many folds have ended: what the tests wait on instead of the clock.
    #[cfg(test)]
    folded: tokio::sync::watch::Sender<u64>,
}

impl BackgroundCheckpoints {
    fn start(pool: SqlitePool) -> BackgroundCheckpoints {
        let tell = tokio::sync::watch::Sender::new(0u64);
        #[cfg(test)]
        let folded = tell.clone();
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(CHECKPOINT_EVERY);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                ticks.tick().await;
                let Ok(mut connection) = pool.acquire().await else {
                    return; // closed
                };
                if let Err(failure) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&mut *connection)
                    .await
                {
                    tracing::warn!(%failure, "could not fold the write-ahead log in");
                }
                tell.send_modify(|n| *n += 1);
            }
        });
        BackgroundCheckpoints {
            task,
            #[cfg(test)]
            folded,
        }
    }
}

impl Drop for BackgroundCheckpoints {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// SQLite's SQL: anonymous placeholders, its write lock taken at `BEGIN`, and its data version.
pub const SQLITE: Dialect = Dialect {
    placeholder_prefix: '?',
    binds_per_statement: 8_192,
    distinct: "IS NOT",
    begin_write: "BEGIN IMMEDIATE",
    row_locks: false,
    // SQLite plans well on its own guesses; ANALYZE would read every index whole.
    analyze_after_bulk_writes: false,
    in_byte_order: "",
    in_bound_list: "IN (SELECT value FROM json_each(?1))",
};

#[async_trait::async_trait]
impl SqlxBackend for SqliteStore {
    type Db = sqlx::Sqlite;
    const NAME: &'static str = "sqlite";
    const DIALECT: Dialect = SQLITE;

    async fn upsert_rows(
        conn: &mut SqliteConnection,
        table: &'static Table,
        rows: &[Row],
        progress: &Progress,
    ) -> Result<(), StoreError> {
        direct::upsert_rows(conn, table, rows, progress).await
    }

    async fn write_rows(conn: &mut SqliteConnection, writes: Writes) -> Result<(), StoreError> {
        direct::write_rows(conn, writes).await
    }

    async fn select_where_in(
        conn: &mut SqliteConnection,
        reads: &[WhereIn<'_>],
    ) -> Result<Vec<Vec<Row>>, StoreError> {
        direct::select_where_in(conn, reads).await
    }

    async fn select_each_row(
        conn: &mut SqliteConnection,
        table: &'static Table,
        columns: &[usize],
        sql: &str,
        binds: &[(&Value, ColumnType)],
        each: &mut (dyn FnMut(Row) + Send),
    ) -> Result<(), StoreError> {
        direct::select_each_row(conn, table, columns, sql, binds, each).await
    }

    async fn select_in_range(
        mut conn: PoolConnection<Sqlite>,
        table: &'static Table,
        columns: &[usize],
        column: usize,
        first: &str,
        last: &str,
    ) -> Result<Vec<Row>, StoreError> {
        direct::select_in_range(&mut conn, table, columns, column, first, last).await
    }

    /// Judging ahead pays on SQLite: a batch's reads and its judging run beside the one written
    /// (docs/BENCHMARKS.md).
    fn judges_ahead(&self) -> bool {
        true
    }

    async fn commit_mark(
        conn: &mut SqliteConnection,
        _: bool,
    ) -> Result<Option<CommitMark>, StoreError> {
        sqlx::query_scalar("PRAGMA data_version")
            .fetch_one(conn)
            .await
            .map(|version| Some(CommitMark::DataVersion(version)))
            .map_err(StoreError::internal)
    }

    /// `BEGIN IMMEDIATE` (the dialect's `begin_write`) holds the whole database until the
    /// transaction ends: there are no rows to lock.
    async fn lock_families(_: &mut SqliteConnection, _: &[String]) -> Result<(), StoreError> {
        Ok(())
    }

    async fn live_schema(pool: &SqlitePool) -> Result<LiveSchema, StoreError> {
        live_schema(pool).await
    }
}

carepool_store_sqlx::sqlx_store!(SqliteStore);

/// Each declared column type as the migrations make it (STRICT tables; dates as ISO text).
fn sql_type(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Text | ColumnType::List | ColumnType::Date => "TEXT",
        ColumnType::Integer | ColumnType::Money => "INTEGER",
        ColumnType::Real => "REAL",
    }
}

/// The database's tables (SQLite's and sqlx's own left out), from `PRAGMA table_info`. A key
/// column counts as refusing null: the key is what the declaration requires there.
async fn live_schema(pool: &SqlitePool) -> Result<LiveSchema, StoreError> {
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT name FROM sqlite_schema WHERE type = 'table' \
         AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name NOT LIKE '\\_sqlx%' ESCAPE '\\' \
         ORDER BY name",
    )
    .fetch_all(pool)
    .await
    .map_err(StoreError::internal)?;
    let mut tables = Vec::with_capacity(names.len());
    for (name,) in names {
        let columns: Vec<(String, String, bool, i64)> = sqlx::query_as(
            "SELECT name, type, \"notnull\", pk FROM pragma_table_info(?1) ORDER BY cid",
        )
        .bind(&name)
        .fetch_all(pool)
        .await
        .map_err(StoreError::internal)?;
        let mut key: Vec<(i64, String)> = columns
            .iter()
            .filter(|(_, _, _, pk)| *pk > 0)
            .map(|(column, _, _, pk)| (*pk, column.clone()))
            .collect();
        key.sort();
        tables.push(LiveTable {
            name,
            key: key.into_iter().map(|(_, column)| column).collect(),
            columns: columns
                .into_iter()
                .map(|(name, sql_type, not_null, pk)| LiveColumn {
                    name,
                    sql_type,
                    not_null: not_null || pk > 0,
                })
                .collect(),
        });
    }
    Ok(LiveSchema { tables, sql_type })
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_schema::tables::{COVERAGE, LOCATIONS, coverage};
    use carepool_store::migration_checks::{
        COVER_BEFORE_ITS_FAMILY, COVER_FAMILIES, MOVE_A_MEMBER, cover_families_after,
        cover_families_after_the_move, last_before_coverage_family,
    };

    /// Cover stored before coverage carried its family gets its member's, and keeps following
    /// the member: the migration (which makes the table again on SQLite) on a database that
    /// already holds cover.
    #[tokio::test]
    async fn the_family_key_migration_fills_the_cover_stored_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("older.db").display());
        let before = last_before_coverage_family(MIGRATOR.iter().map(|m| m.version));
        let options = (SqliteConnectOptions::from_str(&url).unwrap())
            .create_if_missing(true)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .unwrap();
        MIGRATOR.run_to(before, &pool).await.unwrap();
        for statement in COVER_BEFORE_ITS_FAMILY {
            sqlx::query(*statement).execute(&pool).await.unwrap();
        }
        pool.close().await;
        let store = SqliteStore::open(&url).await.unwrap();
        let families =
            || sqlx::query_as::<_, (String, String)>(COVER_FAMILIES).fetch_all(&store.pool);
        assert_eq!(families().await.unwrap(), cover_families_after());
        (sqlx::query(MOVE_A_MEMBER).execute(&store.pool).await).unwrap();
        assert_eq!(families().await.unwrap(), cover_families_after_the_move());
    }

    #[test]
    fn an_upsert_leaves_identical_rows_untouched() {
        let sql = SQLITE.insert(&LOCATIONS, true);
        assert_eq!(
            sql,
            "INSERT INTO locations (code, name, kind, parent_code, area) VALUES (?, ?, ?, ?, ?) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, parent_code = excluded.parent_code, \
             area = excluded.area WHERE (locations.name, locations.kind, locations.parent_code, locations.area) \
             IS NOT (excluded.name, excluded.kind, excluded.parent_code, excluded.area)"
        );
    }

    #[test]
    fn an_update_of_some_columns_matches_rows_by_key() {
        assert_eq!(
            SQLITE.update_one(
                &COVERAGE,
                &[coverage::PACKAGE.index(), coverage::END_DATE.index()]
            ),
            "UPDATE coverage SET package = ?, end_date = ? WHERE member_id = ? AND start_date = ?"
        );
    }

    #[test]
    fn statements_stay_within_the_bind_limit() {
        let rows = SQLITE.rows_per_statement(&COVERAGE);
        assert!(rows * COVERAGE.columns.len() <= SQLITE.binds_per_statement);
    }
    use sqlx::Connection;
    use std::sync::Arc;

    /// Rows committed reach the database file within moments, not when the log would reach the
    /// size at which the writer folds it in itself.
    #[tokio::test]
    async fn the_log_is_folded_in_in_the_background() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("carepool.db");
        let store = SqliteStore::open(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        let size = || std::fs::metadata(&file).unwrap().len();
        let before = size();
        let mut folded = store._checkpoints.folded.subscribe();
        // About 2 MB: far below the writer's own threshold.
        sqlx::query("CREATE TABLE filler (bytes BLOB)")
            .execute(&store.pool)
            .await
            .unwrap();
        sqlx::query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
             INSERT INTO filler SELECT randomblob(1000) FROM n",
        )
        .execute(&store.pool)
        .await
        .unwrap();
        // The first fold to end may have begun before the rows were committed; the second
        // began after.
        folded.borrow_and_update();
        folded.changed().await.unwrap();
        folded.changed().await.unwrap();
        assert!(
            size() > before + 1_000_000,
            "the database file stayed at {} bytes",
            size()
        );
    }

    /// While a reader keeps an old snapshot, SQLite cannot fold the log in whole and answers a
    /// checkpoint "busy": `checkpoint` tries again, and returns only once the log is folded in
    /// whole. (The store's connections wait 20 ms for a lock here, so each try ends soon.)
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_checkpoint_waits_for_readers_to_end() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("carepool.db");
        let url = format!("sqlite://{}", file.display());
        let store = SqliteStore::open_waiting(&url, Duration::from_millis(20))
            .await
            .unwrap();
        let store = Arc::new(store);
        sqlx::query("CREATE TABLE t (n INTEGER)")
            .execute(&store.pool)
            .await
            .unwrap();
        let mut reader = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("BEGIN").execute(&mut reader).await.unwrap();
        sqlx::query("SELECT count(*) FROM t")
            .fetch_one(&mut reader)
            .await
            .unwrap();
        sqlx::query("INSERT INTO t VALUES (1)")
            .execute(&store.pool)
            .await
            .unwrap();
        let mut refused = store.refused_checkpoints.subscribe();
        let mut ours = tokio::spawn({
            let store = store.clone();
            async move { store.checkpoint().await }
        });
        // Refused twice, it is trying again rather than returning; it cannot succeed while the
        // reader keeps its snapshot, so ending first is the fault this test looks for.
        tokio::select! {
            counted = refused.wait_for(|&times| times >= 2) => { counted.unwrap(); }
            ended = &mut ours => panic!("the checkpoint returned while a reader held the log: {ended:?}"),
        }
        sqlx::query("COMMIT").execute(&mut reader).await.unwrap();
        ours.await.unwrap().unwrap();
        let log = dir.path().join("carepool.db-wal");
        assert_eq!(
            std::fs::metadata(log).unwrap().len(),
            0,
            "the log is folded in whole"
        );
    }

    /// .cargo/config.toml builds the bundled SQLite without the global page cache and memory
    /// statistics (each behind a mutex that every connection takes); a build that misses the
    /// setting would serialise the server's connections again without failing anything else.
    #[tokio::test]
    async fn sqlite_is_built_without_its_global_mutexes() {
        let mut connection = sqlx::SqliteConnection::connect("sqlite::memory:")
            .await
            .unwrap();
        let options: Vec<String> = sqlx::query_scalar("PRAGMA compile_options")
            .fetch_all(&mut connection)
            .await
            .unwrap();
        assert!(
            options.iter().any(|o| o == "DEFAULT_MEMSTATUS=0"),
            "{options:?}"
        );
        assert!(
            !options.iter().any(|o| o == "ENABLE_MEMORY_MANAGEMENT"),
            "{options:?}"
        );
    }
}
