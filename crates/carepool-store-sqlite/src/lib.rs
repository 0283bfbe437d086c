//! The embedded default store: one SQLite file in WAL mode, migrated on open.

mod direct;
mod raw;

use carepool_schema::{ColumnType, Row, Table, Value};
use carepool_store::{
    LiveColumn, LiveSchema, LiveTable, Progress, StoreError, WriteRunTurns, Writes,
};
use carepool_store_sqlx::sql::Dialect;
use carepool_store_sqlx::{CommitMark, SqlxBackend, WhereIn, tested_after_idle};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool};
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// A read transaction begun, and its snapshot taken by a first read (SQLite takes it then).
const BEGIN_SNAPSHOT: &str = "BEGIN; SELECT count(*) FROM sqlite_schema";

/// How often the write-ahead log is folded into the database file in the background.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(100);
/// Pages (of 4 KiB) past which the background fold starts the log again from its beginning
/// (see [`BackgroundCheckpoints`]): 256 MiB, a target rather than a bound (a reader that keeps
/// an old snapshot keeps the log growing, as it always did); the file keeps its largest size.
const RESTART_LOG_AT: i64 = 65_536;
/// How long the background waits for a gap between writers and readers to start the log again,
/// once it is twice past [`RESTART_LOG_AT`] (before, it waits for none).
const RESTART_WAITS_AT_MOST: Duration = Duration::from_millis(100);
/// How long a connection waits for a lock another holds before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);
/// The pages each connection keeps, in KiB: 16 MiB, eight times SQLite's default. 64 MiB ran
/// no faster in batches of a million claims, and held up to 384 MiB in the pool's six
/// connections where this holds 96 MiB, however large the database; a snapshot or the
/// readiness probe adds one connection's (docs/BENCHMARKS.md).
const PAGE_CACHE_KIB: i64 = 16 * 1024;

pub struct SqliteStore {
    pool: SqlitePool,
    /// One connection of its own for readiness probes, opened when first asked: a pool busy
    /// with work must not read as a database that does not answer.
    probe: SqlitePool,
    write_runs: WriteRunTurns,
    /// The background's folds of the log; none for a snapshot, which only reads.
    _checkpoints: Option<BackgroundCheckpoints>,
    /// How many times [`SqliteStore::checkpoint`] was refused (the log busy): what its test
    /// waits on instead of the clock.
    refused_checkpoints: tokio::sync::watch::Sender<u64>,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at a `sqlite://PATH` URL and brings its schema up to date.
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        SqliteStore::open_tuned(url, BUSY_TIMEOUT, RESTART_LOG_AT).await
    }

    /// As [`SqliteStore::open`], with connections that wait `busy_timeout` for a lock and a log
    /// started again past `restart_log_at` pages.
    async fn open_tuned(
        url: &str,
        busy_timeout: Duration,
        restart_log_at: i64,
    ) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("cannot use database URL '{url}': {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(busy_timeout)
            // A negative size is in KiB.
            .pragma("cache_size", format!("-{PAGE_CACHE_KIB}"))
            // Statement journals (multi-row writes in a transaction) stay in memory, not a temp file.
            .pragma("temp_store", "memory")
            // No writer folds the log in itself: the background does (see BackgroundCheckpoints).
            .pragma("wal_autocheckpoint", "0");
        let probe = probe_pool(options.clone());
        let pool = tested_after_idle(SqlitePoolOptions::new())
            .max_connections(6)
            .after_connect(move |connection, _| {
                Box::pin(direct::wait_for_locks(connection, busy_timeout))
            })
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Config(format!("cannot open {url}: {e}")))?;
        MIGRATOR.run(&pool).await.map_err(StoreError::internal)?;
        Ok(SqliteStore {
            _checkpoints: Some(BackgroundCheckpoints::start(
                pool.clone(),
                busy_timeout,
                restart_log_at,
            )),
            pool,
            probe,
            write_runs: WriteRunTurns::default(),
            refused_checkpoints: tokio::sync::watch::Sender::new(0),
        })
    }

    /// A store reading on one connection of its own, in one read transaction begun now:
    /// SQLite gives a transaction the database as it stood at its first read, and no other
    /// connection can share it. The connection writes nothing (`query_only`), and is never
    /// opened again: lost, the snapshot's reads fail rather than read another state. While it
    /// lives, the log cannot start again from its beginning (see [`BackgroundCheckpoints`]).
    async fn at_snapshot(&self) -> Result<SqliteStore, StoreError> {
        let options = self.pool.connect_options().as_ref().clone();
        let opened = Arc::new(AtomicBool::new(false));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            // The snapshot's reads take turns on its one connection: a read may wait for a
            // page read before it.
            .acquire_timeout(Duration::from_secs(600))
            .idle_timeout(None)
            .max_lifetime(None)
            .after_connect(move |connection, _| {
                let opened = opened.clone();
                Box::pin(async move {
                    if opened.load(Ordering::SeqCst) {
                        return Err(sqlx::Error::Protocol(
                            "the connection reading a snapshot was lost: its reads cannot go on"
                                .into(),
                        ));
                    }
                    // A first read that failed (the database busy) is tried again on a new
                    // connection: nothing was read yet.
                    sqlx::raw_sql(BEGIN_SNAPSHOT)
                        .execute(&mut *connection)
                        .await?;
                    opened.store(true, Ordering::SeqCst);
                    Ok(())
                })
            })
            .connect_lazy_with(options.clone().pragma("query_only", "ON"));
        // Taken once now, so that the snapshot is of now, not of its first read.
        drop(pool.acquire().await.map_err(StoreError::internal)?);
        Ok(SqliteStore {
            pool,
            probe: probe_pool(options),
            write_runs: WriteRunTurns::default(),
            _checkpoints: None,
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
/// commit takes the log past a size folds it in itself, with the fsyncs that go with it, while
/// every request waiting to write waits too (20 to 40 ms at once, every half second, under a
/// steady stream of single claims); here no writer does, and the fold runs beside the writers
/// (a passive checkpoint never blocks them).
///
/// A passive fold does not start the log again from its beginning: the next writer does, if
/// it begins after a whole fold while no reader is in the log, which a steady stream of writes
/// and reads never leaves it. Past [`RESTART_LOG_AT`] pages the background asks for the log to
/// start again (a restarting checkpoint), on condition that it waits for no one: a writer or a
/// reader in the way makes it a passive fold, tried again at the next tick. Writers wait only
/// while it folds what was committed since the last fold (its fsyncs: 3 to 47 ms measured, every
/// 2.5 s or so at 3,000 single claims a second). Should writes and reads leave it no
/// gap until the log is twice past the bound, it waits for one, up to
/// [`RESTART_WAITS_AT_MOST`] (writers beginning meanwhile wait too).
struct BackgroundCheckpoints {
    task: tokio::task::JoinHandle<()>,
    /// How many folds have ended: what the tests wait on instead of the clock.
    #[cfg(test)]
    folded: tokio::sync::watch::Sender<u64>,
}

impl BackgroundCheckpoints {
    fn start(
        pool: SqlitePool,
        busy_timeout: Duration,
        restart_log_at: i64,
    ) -> BackgroundCheckpoints {
        let tell = tokio::sync::watch::Sender::new(0u64);
        #[cfg(test)]
        let folded = tell.clone();
        let task = tokio::spawn(async move {
            let mut ticks = tokio::time::interval(CHECKPOINT_EVERY);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            let mut waits = RestartWaits::new(Instant::now());
            loop {
                ticks.tick().await;
                let connection = match pool.acquire().await {
                    Ok(connection) => connection,
                    Err(sqlx::Error::PoolClosed) => return,
                    // Every connection busy for the pool's whole wait: the next tick tries again.
                    Err(failure) => {
                        tracing::warn!(%failure, "no connection to fold the write-ahead log in");
                        continue;
                    }
                };
                let fold =
                    fold_without_waiting(connection, busy_timeout, restart_log_at, &mut waits);
                if let Err(failure) = fold.await {
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

/// Folds the log in beside the writers, and starts it again past `restart_log_at` pages if no
/// one is in its way, on `connection` told to wait for no lock meanwhile (and given back told
/// to wait `busy_timeout` again).
async fn fold_without_waiting(
    connection: PoolConnection<Sqlite>,
    busy_timeout: Duration,
    restart_log_at: i64,
    waits: &mut RestartWaits,
) -> Result<(), sqlx::Error> {
    let mut connection = NoWaitConnection::take(connection).await?;
    let (_, log, folded): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
        .fetch_one(&mut *connection.connection)
        .await?;
    // Twice past the bound, writes and reads have left no gap for long: it waits for one (and
    // for the readers of older snapshots, whose pages the passive fold had to leave).
    let overdue = log >= 2 * restart_log_at && waits.may_wait(Instant::now());
    if overdue {
        connection.wait(RESTART_WAITS_AT_MOST).await?;
    }
    if overdue || (log >= restart_log_at && folded == log) {
        let (busy, _, _): (i64, i64, i64) = sqlx::query_as("PRAGMA wal_checkpoint(RESTART)")
            .fetch_one(&mut *connection.connection)
            .await?;
        waits.restart_tried(busy == 0, overdue, log, Instant::now());
    }
    connection.give_back(busy_timeout).await
}

/// When the background may next wait for a gap to start the log again. It waits holding the
/// write lock, so a reader longer than the wait would hold writers at every tick: after a wait
/// that found no gap, the next is a second later, then two, four, up to a minute. The first
/// wait that finds none is a warning; the next ones, while a long read or a one-transaction
/// import keeps the log (an hour at national size), are said only once it starts again.
#[derive(Debug, PartialEq)]
struct RestartWaits {
    next: Instant,
    gap: Duration,
    /// Waits that found no gap since the log last started again.
    waits_without_gap: u32,
}

impl RestartWaits {
    const FIRST_GAP: Duration = Duration::from_secs(1);
    const LONGEST_GAP: Duration = Duration::from_secs(60);

    fn new(now: Instant) -> RestartWaits {
        RestartWaits {
            next: now,
            gap: RestartWaits::FIRST_GAP,
            waits_without_gap: 0,
        }
    }

    fn may_wait(&self, now: Instant) -> bool {
        now >= self.next
    }

    /// After a try at starting the log again, with or without a wait for a gap first: one that
    /// started it ends the waits put off; a wait that found no gap puts the next off.
    fn restart_tried(&mut self, restarted: bool, waited: bool, log: i64, now: Instant) {
        if restarted {
            if self.waits_without_gap > 0 {
                tracing::info!(
                    log_pages = log,
                    waits_without_gap = self.waits_without_gap,
                    "the write-ahead log started again"
                );
            }
            *self = RestartWaits::new(now);
            return;
        }
        if !waited {
            return;
        }
        if self.waits_without_gap == 0 {
            tracing::warn!(
                log_pages = log,
                "the write-ahead log could not start again: a long read or write kept it; \
                 tried again less often, up to once a minute"
            );
        }
        self.waits_without_gap += 1;
        self.next = now + self.gap;
        self.gap = (self.gap * 2).min(RestartWaits::LONGEST_GAP);
    }
}

/// A pool connection told to wait for no lock, which goes back to the pool only once told to
/// wait again: dropped before (the task aborted midway), it is closed instead.
struct NoWaitConnection {
    connection: PoolConnection<Sqlite>,
    waits_again: bool,
}

impl NoWaitConnection {
    async fn take(connection: PoolConnection<Sqlite>) -> Result<NoWaitConnection, sqlx::Error> {
        let mut taken = NoWaitConnection {
            connection,
            waits_again: false,
        };
        taken.wait(Duration::ZERO).await?;
        Ok(taken)
    }

    /// Waits up to `at_most` for a lock from now on (still closed if dropped).
    async fn wait(&mut self, at_most: Duration) -> Result<(), sqlx::Error> {
        direct::wait_for_locks(&mut self.connection, at_most).await
    }

    async fn give_back(mut self, busy_timeout: Duration) -> Result<(), sqlx::Error> {
        self.wait(busy_timeout).await?;
        self.waits_again = true;
        Ok(())
    }
}

impl Drop for NoWaitConnection {
    fn drop(&mut self) {
        if !self.waits_again {
            self.connection.close_on_drop();
        }
    }
}

impl Drop for BackgroundCheckpoints {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The readiness probe's own pool: one connection, given up on after two seconds.
fn probe_pool(options: SqliteConnectOptions) -> SqlitePool {
    SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(Duration::from_secs(2))
        .connect_lazy_with(options)
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
    /// SQLite takes one writer at a time: another would wait for its lock, holding a connection.
    const LOCKED_WRITES_AT_ONCE: usize = 1;

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

    async fn snapshot(&self) -> Result<SqliteStore, StoreError> {
        self.at_snapshot().await
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

    /// A database file in a directory of its own (kept while the `TempDir` lives), and its URL.
    fn fresh_file() -> (tempfile::TempDir, std::path::PathBuf, String) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("carepool.db");
        let url = format!("sqlite://{}", file.display());
        (dir, file, url)
    }

    /// Rows committed reach the database file within moments, folded in by the background (no
    /// writer folds the log in itself).
    #[tokio::test]
    async fn the_log_is_folded_in_in_the_background() {
        let (_dir, file, url) = fresh_file();
        let store = SqliteStore::open(&url).await.unwrap();
        let size = || std::fs::metadata(&file).unwrap().len();
        let before = size();
        let mut folded = store._checkpoints.as_ref().unwrap().folded.subscribe();
        // About 2 MB, far below the size at which the log starts again.
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

    /// A wait for a gap that found none puts the next off by 1 s, then 2, 4, ... up to a minute;
    /// a try that started the log again, after a wait or not, puts none off and counts none
    /// found again; a try without a wait that failed changes nothing.
    #[test]
    fn waits_for_a_gap_back_off_until_the_log_starts_again() {
        let start = Instant::now();
        let at = |seconds: u64| start + Duration::from_secs(seconds);
        let mut waits = RestartWaits::new(start);
        assert!(waits.may_wait(start));
        waits.restart_tried(false, true, 200_000, start);
        assert!(!waits.may_wait(start + Duration::from_millis(999)));
        assert!(waits.may_wait(at(1)));
        waits.restart_tried(false, true, 200_000, at(1));
        assert!(!waits.may_wait(at(2)));
        assert!(waits.may_wait(at(3)));
        let mut now = at(3);
        for _ in 0..10 {
            waits.restart_tried(false, true, 200_000, now);
            now = waits.next;
        }
        assert_eq!(waits.gap, RestartWaits::LONGEST_GAP);
        waits.restart_tried(false, true, 200_000, now);
        assert_eq!(waits.next, now + RestartWaits::LONGEST_GAP);
        // Warned of at the first; the thirteen are said once the log starts again.
        assert_eq!(waits.waits_without_gap, 13);
        let before = (waits.next, waits.gap, waits.waits_without_gap);
        waits.restart_tried(false, false, 200_000, now);
        assert_eq!((waits.next, waits.gap, waits.waits_without_gap), before);
        for waited in [true, false] {
            let mut waits = RestartWaits::new(start);
            waits.restart_tried(false, true, 200_000, start);
            waits.restart_tried(true, waited, 200_000, at(5));
            assert_eq!(waits, RestartWaits::new(at(5)), "waited first: {waited}");
        }
    }

    /// No writer folds the log in itself when it commits: that fold, with its fsyncs, held
    /// every request waiting to write (20 to 40 ms at once, every half second under load).
    #[tokio::test]
    async fn writers_never_fold_the_log_in_themselves() {
        let (_dir, _, url) = fresh_file();
        let store = SqliteStore::open(&url).await.unwrap();
        let (pages,): (i64,) = sqlx::query_as("PRAGMA wal_autocheckpoint")
            .fetch_one(&store.pool)
            .await
            .unwrap();
        assert_eq!(pages, 0);
    }

    /// Every connection of the pool keeps its pages within the bound, not SQLite's default
    /// (held at once, so that each is a connection of its own).
    #[tokio::test]
    async fn every_pooled_connection_bounds_its_page_cache() {
        let (_dir, _, url) = fresh_file();
        let store = SqliteStore::open(&url).await.unwrap();
        let mut held = Vec::new();
        for _ in 0..store.pool.options().get_max_connections() {
            let mut connection = store.pool.acquire().await.unwrap();
            let (kib,): (i64,) = sqlx::query_as("PRAGMA cache_size")
                .fetch_one(&mut *connection)
                .await
                .unwrap();
            assert_eq!(kib, -PAGE_CACHE_KIB);
            held.push(connection);
        }
    }

    /// Under writes and reads that never stop, a writer never begins just after a whole fold
    /// with no reader in the log, so none starts the log again and it grows with every commit;
    /// the background starts it again once past its bound, and the file stays far below what
    /// was written.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_log_stays_bounded_under_writes_that_never_stop() {
        let (dir, _, url) = fresh_file();
        let store = Arc::new(
            SqliteStore::open_tuned(&url, BUSY_TIMEOUT, 256)
                .await
                .unwrap(),
        );
        sqlx::query("CREATE TABLE filler (bytes BLOB)")
            .execute(&store.pool)
            .await
            .unwrap();
        let stop = tokio::sync::watch::Sender::new(false);
        let reader = tokio::spawn({
            let (store, mut stopped) = (store.clone(), stop.subscribe());
            async move {
                while !*stopped.borrow_and_update() {
                    sqlx::query("SELECT count(*) FROM filler")
                        .fetch_one(&store.pool)
                        .await
                        .unwrap();
                }
            }
        });
        let mut folded = store._checkpoints.as_ref().unwrap().folded.subscribe();
        let first_fold = *folded.borrow_and_update();
        let mut written = 0u64;
        // The same 64 rows written again and again: the log grows, the table does not.
        for row in (0..64).cycle() {
            if *folded.borrow_and_update() >= first_fold + 40 {
                break;
            }
            sqlx::query(
                "INSERT OR REPLACE INTO filler (rowid, bytes) VALUES (?1, randomblob(8000))",
            )
            .bind(row)
            .execute(&store.pool)
            .await
            .unwrap();
            written += 8000;
        }
        stop.send_replace(true);
        reader.await.unwrap();
        let log = std::fs::metadata(dir.path().join("carepool.db-wal"))
            .unwrap()
            .len();
        assert!(
            log < written / 4,
            "{log} bytes of log after {written} bytes written"
        );
    }

    /// The connection that folds the log waits for no lock meanwhile; it goes back to the pool
    /// waiting for locks as the others do (looking again every millisecond), and is closed if
    /// dropped before (its task aborted), never given back to writers that would fail at once
    /// on a lock held.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_folding_connection_goes_back_waiting_for_locks_or_not_at_all() {
        let (_dir, _, url) = fresh_file();
        let options = SqliteConnectOptions::from_str(&url)
            .unwrap()
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .after_connect(|connection, _| {
                Box::pin(direct::wait_for_locks(connection, BUSY_TIMEOUT))
            })
            .connect_with(options)
            .await
            .unwrap();
        let opened = || async {
            let (opened,): (i64,) = sqlx::query_as("SELECT count(*) FROM pragma_database_list")
                .fetch_one(&pool)
                .await
                .unwrap();
            opened
        };
        sqlx::query("ATTACH ':memory:' AS marker")
            .execute(&pool)
            .await
            .unwrap();
        assert_eq!(
            opened().await,
            2,
            "the pool's one connection carries the marker"
        );
        let mut holder = sqlx::SqliteConnection::connect(&url).await.unwrap();
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut holder)
            .await
            .unwrap();

        let mut taken = NoWaitConnection::take(pool.acquire().await.unwrap())
            .await
            .unwrap();
        let refused = sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut *taken.connection)
            .await
            .unwrap_err();
        assert!(refused.to_string().contains("locked"), "{refused}");
        taken.give_back(BUSY_TIMEOUT).await.unwrap();
        assert_eq!(opened().await, 2, "given back, not closed");

        let looked = raw::tests::LOOKS.load(std::sync::atomic::Ordering::Relaxed);
        let writer = tokio::spawn({
            let pool = pool.clone();
            async move {
                let transaction = pool.begin_with("BEGIN IMMEDIATE").await?;
                transaction.commit().await
            }
        });
        // Other tests' connections count their looks too: twenty looks are 20 ms at least,
        // long enough for the writer to have asked for the lock and, not waiting, given up.
        let waiting = async {
            while raw::tests::LOOKS.load(std::sync::atomic::Ordering::Relaxed) < looked + 20 {
                tokio::task::yield_now().await;
            }
        };
        tokio::time::timeout(Duration::from_secs(10), waiting)
            .await
            .expect("the writer looks again for the lock held");
        assert!(!writer.is_finished(), "the writer gave up on the held lock");
        sqlx::query("COMMIT").execute(&mut holder).await.unwrap();
        writer
            .await
            .unwrap()
            .expect("waited for the lock, then took it");

        let taken = NoWaitConnection::take(pool.acquire().await.unwrap())
            .await
            .unwrap();
        drop(taken);
        assert_eq!(
            opened().await,
            1,
            "a new connection: the dropped one was closed"
        );
    }

    /// While a reader keeps an old snapshot, SQLite cannot fold the log in whole and answers a
    /// checkpoint "busy": `checkpoint` tries again, and returns only once the log is folded in
    /// whole. (The store's connections wait 20 ms for a lock here, so each try ends soon.)
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_checkpoint_waits_for_readers_to_end() {
        let (dir, _, url) = fresh_file();
        let store = SqliteStore::open_tuned(&url, Duration::from_millis(20), RESTART_LOG_AT)
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
