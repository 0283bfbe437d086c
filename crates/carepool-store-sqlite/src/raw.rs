//! The few SQLite calls the batch path makes on a connection's handle, wrapped so that the rest
//! of the backend stays safe. The handle is sqlx's (and so is the one SQLite library linked):
//! architecture.md rules out a second SQLite wrapper beside sqlx.

#![allow(unsafe_code)]

use libsqlite3_sys as ffi;
use std::collections::HashMap;
use std::ffi::{CStr, c_int, c_void};
use std::fmt;
use std::marker::PhantomData;
use std::ptr::{self, NonNull};
use std::time::Duration;

/// What SQLite said went wrong: its extended result code and message.
#[derive(Debug)]
pub(crate) struct SqliteError {
    pub code: c_int,
    message: String,
}

impl fmt::Display for SqliteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (SQLite code {})", self.message, self.code)
    }
}

impl std::error::Error for SqliteError {}

impl SqliteError {
    /// SQLite's own words, as sqlx reports them.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }
}

/// The last error on a handle; only ever given the handle of a live [`Handle`] or [`Statement`].
fn last_error(db: NonNull<ffi::sqlite3>) -> SqliteError {
    // SAFETY: the handle is open (see the callers); SQLite keeps its message until the next call on it, and it
    // is copied at once.
    unsafe {
        SqliteError {
            code: ffi::sqlite3_extended_errcode(db.as_ptr()),
            message: CStr::from_ptr(ffi::sqlite3_errmsg(db.as_ptr()))
                .to_string_lossy()
                .into_owned(),
        }
    }
}

/// The name a connection's [`StatementCache`] goes by in its SQLite client data.
const CACHE: &CStr = c"carepool.statements";

/// Statements prepared on a connection, kept between uses by their text: a submission writes a
/// few rows with each statement, and preparing it cost more than running it. Reached through
/// the connection's client data; owned by a [`CacheOwner`]. It holds one statement per text the
/// batch path writes (one per table and kind of write or read), so it needs no bound.
struct StatementCache {
    statements: HashMap<Box<str>, NonNull<ffi::sqlite3_stmt>>,
    /// Names the cache in [`tests::LIVE_CACHES`].
    #[cfg(test)]
    serial: u64,
}

/// Owns a connection's statement cache, and finalizes its statements when dropped. SQLite will
/// not close a connection while any statement lives, so the owner must be dropped before the
/// connection closes: sqlx drops a connection's hooks before it closes it, and the owner lives
/// in one (see `direct::with_handle`).
pub(crate) struct CacheOwner {
    db: NonNull<ffi::sqlite3>,
    cache: NonNull<StatementCache>,
}

// SAFETY: the cache and its statements are used only with their connection, which one thread
// at a time uses (sqlx moves it between its worker and the caller whole).
unsafe impl Send for CacheOwner {}

impl Drop for CacheOwner {
    fn drop(&mut self) {
        // SAFETY: the connection is still open (see above); `cache` came from `Box::leak` in
        // `Handle::keep_statements` and is freed here once, after the client data that points
        // to it is cleared; none of its statements is in use, as none is out of the cache
        // while the connection is idle.
        unsafe {
            ffi::sqlite3_set_clientdata(self.db.as_ptr(), CACHE.as_ptr(), ptr::null_mut(), None);
            let cache = Box::from_raw(self.cache.as_ptr());
            for statement in cache.statements.values() {
                ffi::sqlite3_finalize(statement.as_ptr());
            }
            #[cfg(test)]
            tests::LIVE_CACHES.lock().unwrap().remove(&cache.serial);
        }
    }
}

type BusyHandler = unsafe extern "C" fn(*mut c_void, c_int) -> c_int;

/// SQLite's busy handler: another look in a millisecond, until `at_most` looks were made.
unsafe extern "C" fn look_again_in_a_millisecond(at_most: *mut c_void, looked: c_int) -> c_int {
    #[cfg(test)]
    tests::LOOKS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    if usize::try_from(looked).unwrap_or(usize::MAX) >= at_most.addr() {
        return 0;
    }
    std::thread::sleep(Duration::from_millis(1));
    1
}

/// A connection's handle, lent for `'h` by whoever keeps every other user off it.
pub(crate) struct Handle<'h> {
    db: NonNull<ffi::sqlite3>,
    lent: PhantomData<&'h mut ffi::sqlite3>,
}

impl<'h> Handle<'h> {
    /// # Safety
    /// `db` is an open connection that nothing else uses, and that stays open, for `'h`.
    pub(crate) unsafe fn lent(db: NonNull<ffi::sqlite3>) -> Handle<'h> {
        Handle {
            db,
            lent: PhantomData,
        }
    }

    /// Starts keeping prepared statements on this connection (see
    /// [`Handle::prepare_cached`]); `None` if it keeps them already. The owner returned must be
    /// dropped before the connection closes, and not before.
    pub(crate) fn keep_statements(&self) -> Option<CacheOwner> {
        if self.cache().is_some() {
            return None;
        }
        let cache = StatementCache {
            statements: HashMap::new(),
            #[cfg(test)]
            serial: tests::born(),
        };
        let cache = NonNull::from(Box::leak(Box::new(cache)));
        // SAFETY: the handle is open; the name is a C string that outlives the call. Without a
        // destructor, SQLite only keeps the pointer.
        let code = unsafe {
            ffi::sqlite3_set_clientdata(
                self.db.as_ptr(),
                CACHE.as_ptr(),
                cache.as_ptr().cast(),
                None,
            )
        };
        let owner = CacheOwner { db: self.db, cache };
        // Out of memory: dropping the owner frees the cache, and statements go uncached.
        (code == ffi::SQLITE_OK).then_some(owner)
    }

    fn cache(&self) -> Option<NonNull<StatementCache>> {
        // SAFETY: the handle is open; the name is a C string.
        NonNull::new(
            unsafe { ffi::sqlite3_get_clientdata(self.db.as_ptr(), CACHE.as_ptr()) }.cast(),
        )
    }

    /// Waits up to `at_most` for a lock another connection holds, looking again every
    /// millisecond; zero gives up at once. SQLite's own wait sleeps 1, 2, 5, 10, 15, 20, 25 and
    /// up to 100 ms between looks, so that a writer waiting for a lock held 35 ms went on at
    /// 53 ms. (The connection then reads `PRAGMA busy_timeout` as 0, and that pragma set would
    /// put SQLite's own wait back.)
    pub(crate) fn wait_for_locks(&self, at_most: Duration) {
        let millis = usize::try_from(at_most.as_millis()).unwrap_or(usize::MAX);
        let looking = (millis > 0).then_some(look_again_in_a_millisecond as BusyHandler);
        // SAFETY: the handle is open; the argument is the number of looks, carried in the
        // pointer and never dereferenced.
        unsafe {
            ffi::sqlite3_busy_handler(
                self.db.as_ptr(),
                looking,
                ptr::without_provenance_mut(millis),
            );
        }
    }

    /// As [`Handle::prepare`], taking the statement from the connection's cache if it keeps one
    /// and has it; the statement goes back to the cache when dropped.
    pub(crate) fn prepare_cached(&self, sql: &str) -> Result<Statement<'_>, SqliteError> {
        let Some(cache) = self.cache() else {
            return self.prepare(sql);
        };
        // SAFETY: the cache lives while the connection is open (see `CacheOwner`), and only the
        // one user of the handle touches it, never across a call.
        let kept = unsafe { (*cache.as_ptr()).statements.remove(sql) };
        let mut statement = match kept {
            Some(statement) => Statement {
                db: self.db,
                statement,
                handle: PhantomData,
                kept_in: None,
            },
            None => self.prepare(sql)?,
        };
        statement.kept_in = Some((cache, sql.into()));
        Ok(statement)
    }

    pub(crate) fn prepare(&self, sql: &str) -> Result<Statement<'_>, SqliteError> {
        let length = c_int::try_from(sql.len()).map_err(|_| SqliteError {
            code: ffi::SQLITE_TOOBIG,
            message: "statement too long".into(),
        })?;
        let mut statement = ptr::null_mut();
        // SAFETY: the handle is open (see `lent`); the text is valid for `length` bytes.
        let code = unsafe {
            ffi::sqlite3_prepare_v2(
                self.db.as_ptr(),
                sql.as_ptr().cast(),
                length,
                &mut statement,
                ptr::null_mut(),
            )
        };
        if code != ffi::SQLITE_OK {
            return Err(last_error(self.db));
        }
        let statement = NonNull::new(statement).ok_or_else(|| SqliteError {
            code: ffi::SQLITE_MISUSE,
            message: "no statement in the text".into(),
        })?;
        Ok(Statement {
            db: self.db,
            statement,
            handle: PhantomData,
            kept_in: None,
        })
    }
}

/// A value to bind.
pub(crate) enum Bound<'v> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'v str),
}

/// A cell of the current row, valid until the statement moves on.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cell<'r> {
    Null,
    Integer(i64),
    Real(f64),
    Text(&'r [u8]),
    Blob,
}

/// A prepared statement, finalized when dropped, or put back in the cache it came from.
pub(crate) struct Statement<'h> {
    db: NonNull<ffi::sqlite3>,
    statement: NonNull<ffi::sqlite3_stmt>,
    handle: PhantomData<&'h Handle<'h>>,
    kept_in: Option<(NonNull<StatementCache>, Box<str>)>,
}

impl Statement<'_> {
    /// Binds the parameter at `at` (from 1). Text is copied by SQLite.
    pub(crate) fn bind(&mut self, at: usize, value: Bound) -> Result<(), SqliteError> {
        let at = c_int::try_from(at).unwrap_or(c_int::MAX);
        let statement = self.statement.as_ptr();
        // SAFETY: the statement is live; SQLITE_TRANSIENT makes SQLite copy the text before
        // the call returns, so it need not outlive the call.
        let code = unsafe {
            match value {
                Bound::Null => ffi::sqlite3_bind_null(statement, at),
                Bound::Integer(i) => ffi::sqlite3_bind_int64(statement, at, i),
                Bound::Real(r) => ffi::sqlite3_bind_double(statement, at, r),
                Bound::Text(text) => ffi::sqlite3_bind_text64(
                    statement,
                    at,
                    text.as_ptr().cast(),
                    text.len() as u64,
                    ffi::SQLITE_TRANSIENT(),
                    ffi::SQLITE_UTF8 as u8,
                ),
            }
        };
        self.check(code)
    }

    /// Runs a statement that returns no rows; how many rows it changed.
    pub(crate) fn execute(&mut self) -> Result<u64, SqliteError> {
        // SAFETY: the statement and its handle are live.
        let code = unsafe { ffi::sqlite3_step(self.statement.as_ptr()) };
        let done = if code == ffi::SQLITE_DONE || code == ffi::SQLITE_ROW {
            // SAFETY: as above.
            Ok(unsafe { ffi::sqlite3_changes64(self.db.as_ptr()) } as u64)
        } else {
            Err(self.error())
        };
        self.reset();
        done
    }

    /// Moves to the next row: false when there are no more (and the statement can run again).
    pub(crate) fn next_row(&mut self) -> Result<bool, SqliteError> {
        // SAFETY: the statement and its handle are live.
        match unsafe { ffi::sqlite3_step(self.statement.as_ptr()) } {
            ffi::SQLITE_ROW => Ok(true),
            ffi::SQLITE_DONE => {
                self.reset();
                Ok(false)
            }
            _ => {
                let error = self.error();
                self.reset();
                Err(error)
            }
        }
    }

    /// The cell at `column` (from 0) of the row `next_row` moved to.
    pub(crate) fn cell(&self, column: usize) -> Cell<'_> {
        let column = c_int::try_from(column).unwrap_or(c_int::MAX);
        let statement = self.statement.as_ptr();
        // SAFETY: the statement is on a row; the text SQLite returns stays valid until the
        // statement steps, resets or is finalized, each of which needs `&mut self` or `self`.
        unsafe {
            match ffi::sqlite3_column_type(statement, column) {
                ffi::SQLITE_NULL => Cell::Null,
                ffi::SQLITE_INTEGER => Cell::Integer(ffi::sqlite3_column_int64(statement, column)),
                ffi::SQLITE_FLOAT => Cell::Real(ffi::sqlite3_column_double(statement, column)),
                ffi::SQLITE_TEXT => {
                    let text = ffi::sqlite3_column_text(statement, column);
                    let length = ffi::sqlite3_column_bytes(statement, column);
                    if text.is_null() {
                        Cell::Null
                    } else {
                        Cell::Text(std::slice::from_raw_parts(text, length as usize))
                    }
                }
                _ => Cell::Blob,
            }
        }
    }

    fn check(&self, code: c_int) -> Result<(), SqliteError> {
        if code == ffi::SQLITE_OK {
            Ok(())
        } else {
            Err(self.error())
        }
    }

    fn error(&self) -> SqliteError {
        last_error(self.db)
    }

    fn reset(&mut self) {
        // SAFETY: the statement is live. Its error, if any, was read before.
        unsafe { ffi::sqlite3_reset(self.statement.as_ptr()) };
    }
}

impl Drop for Statement<'_> {
    fn drop(&mut self) {
        let statement = self.statement.as_ptr();
        // SAFETY: the statement is live and dropped once. A cache lives as long as the open
        // connection that lends this statement's handle (see `Handle::prepare_cached`); reset
        // and cleared, a kept statement holds no lock and no value.
        unsafe {
            match self.kept_in.take() {
                Some((cache, sql)) => {
                    ffi::sqlite3_reset(statement);
                    ffi::sqlite3_clear_bindings(statement);
                    // The same text prepared twice at once: one copy is enough.
                    if let Some(extra) = (*cache.as_ptr()).statements.insert(sql, self.statement) {
                        ffi::sqlite3_finalize(extra.as_ptr());
                    }
                }
                None => {
                    ffi::sqlite3_finalize(statement);
                }
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::SqliteStore;
    use carepool_schema::tables::{LOCATIONS, locations};
    use carepool_store::Store;
    use sqlx::Connection;
    use std::collections::BTreeSet;
    use std::sync::Mutex;
    use std::sync::atomic::{AtomicU64, Ordering};

    /// How many times a connection looked again for a lock another held.
    pub(crate) static LOOKS: AtomicU64 = AtomicU64::new(0);
    /// The statement caches whose owner has not been dropped yet, by serial.
    pub(super) static LIVE_CACHES: Mutex<BTreeSet<u64>> = Mutex::new(BTreeSet::new());
    static NEXT_SERIAL: AtomicU64 = AtomicU64::new(0);

    /// A new cache's serial, counted live until its owner drops.
    pub(super) fn born() -> u64 {
        let serial = NEXT_SERIAL.fetch_add(1, Ordering::Relaxed);
        LIVE_CACHES.lock().unwrap().insert(serial);
        serial
    }

    /// The direct path keeps statements on the connections of a real pool; closing the pool
    /// through sqlx (as `Store::close` does) drops every cache's owner, which finalizes its
    /// statements while the connection is still open: sqlx-sqlite 0.9.0 drops a connection's
    /// hooks before it closes it. Should that order change, an owner would outlive its pool.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn closing_a_pool_through_sqlx_finalizes_the_kept_statements() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("carepool.db").display());
        let store = SqliteStore::open(&url).await.unwrap();
        let place = carepool_core::registry::Location {
            code: "V1".into(),
            name: "Village".into(),
            kind: "village".into(),
            parent_code: None,
            area: None,
        };
        let row = carepool_schema::Record::to_row(&place);
        store.upsert(&LOCATIONS, &[row], &|_| {}).await.unwrap();
        let rows = store
            .rows_where_in(&LOCATIONS, locations::CODE.index(), &["V1".into()])
            .await
            .unwrap();
        assert_eq!(rows.len(), 1);

        let mut serials = Vec::new();
        let mut connections = Vec::new();
        for _ in 0..store.pool.options().get_max_connections() {
            let mut connection = store.pool.acquire().await.unwrap();
            let mut locked = connection.lock_handle().await.unwrap();
            let handle = unsafe { Handle::lent(locked.as_raw_handle()) };
            if let Some(cache) = handle.cache() {
                serials.push(unsafe { (*cache.as_ptr()).serial });
            }
            drop(locked);
            connections.push(connection);
        }
        drop(connections);
        assert!(!serials.is_empty(), "the direct path kept statements");
        assert!(
            serials
                .iter()
                .all(|s| LIVE_CACHES.lock().unwrap().contains(s))
        );

        store.close().await;
        let live = LIVE_CACHES.lock().unwrap();
        let outliving: Vec<&u64> = serials.iter().filter(|s| live.contains(s)).collect();
        assert!(
            outliving.is_empty(),
            "caches outlived the pool: {outliving:?}"
        );
    }

    /// A kept statement is found again reset and cleared; two of one text at once are both
    /// good; dropping the owner (as sqlx does with the hooks before it closes the connection)
    /// finalizes every kept statement, so that the connection closes.
    #[tokio::test]
    async fn kept_statements_are_reused_then_finalized_with_their_owner() {
        let mut connection = sqlx::SqliteConnection::connect("sqlite::memory:")
            .await
            .unwrap();
        let mut locked = connection.lock_handle().await.unwrap();
        let db = locked.as_raw_handle();
        let handle = unsafe { Handle::lent(db) };
        let owner = handle.keep_statements().expect("a new cache");
        assert!(handle.keep_statements().is_none(), "one cache a connection");

        let mut first = handle.prepare_cached("SELECT ?1").unwrap();
        first.bind(1, Bound::Integer(7)).unwrap();
        assert!(first.next_row().unwrap());
        let mut second = handle.prepare_cached("SELECT ?1").unwrap();
        assert_ne!(
            second.statement, first.statement,
            "a second while the first is out"
        );
        second.bind(1, Bound::Integer(8)).unwrap();
        assert!(second.next_row().unwrap());
        assert_eq!(format!("{:?}", second.cell(0)), "Integer(8)");
        let kept = second.statement;
        drop(first); // left on a row
        drop(second);
        let mut again = handle.prepare_cached("SELECT ?1").unwrap();
        assert!(again.next_row().unwrap(), "reset when put back");
        assert_eq!(format!("{:?}", again.cell(0)), "Null", "bindings cleared");
        assert_eq!(again.statement, kept, "the copy put back last is kept");
        drop(again);
        // The connection's statements of that text (sqlx keeps its own besides).
        let live = || {
            let mut count = 0;
            let mut statement = ptr::null_mut();
            loop {
                statement = unsafe { ffi::sqlite3_next_stmt(db.as_ptr(), statement) };
                if statement.is_null() {
                    return count;
                }
                let sql = unsafe { CStr::from_ptr(ffi::sqlite3_sql(statement)) };
                count += usize::from(sql.to_bytes() == b"SELECT ?1");
            }
        };
        assert_eq!(live(), 1, "one kept while the owner lives");

        locked.set_rollback_hook(move || {
            let _ = &owner;
        });
        locked.remove_rollback_hook();
        assert_eq!(live(), 0, "finalized with the owner");
        assert!(handle.cache().is_none(), "and the cache forgotten");
        drop(locked);
        connection.close().await.unwrap();
    }

    #[tokio::test]
    async fn statements_bind_run_and_read_back_every_kind_of_cell() {
        let mut connection = sqlx::SqliteConnection::connect("sqlite::memory:")
            .await
            .unwrap();
        let mut locked = connection.lock_handle().await.unwrap();
        let handle = unsafe { Handle::lent(locked.as_raw_handle()) };
        let mut create = handle.prepare("CREATE TABLE t (a, b, c, d)").unwrap();
        create.execute().unwrap();
        let mut insert = handle.prepare("INSERT INTO t VALUES (?, ?, ?, ?)").unwrap();
        for (text, number) in [("ünï \"code\"\n", 1), ("", -2)] {
            insert.bind(1, Bound::Text(text)).unwrap();
            insert.bind(2, Bound::Integer(number)).unwrap();
            insert.bind(3, Bound::Real(0.1)).unwrap();
            insert.bind(4, Bound::Null).unwrap();
            assert_eq!(insert.execute().unwrap(), 1, "one row changed");
        }
        let mut select = handle
            .prepare("SELECT a, b, c, d, x'00' FROM t ORDER BY b")
            .unwrap();
        let mut rows = Vec::new();
        while select.next_row().unwrap() {
            rows.push(format!(
                "{:?}",
                (0..5).map(|i| select.cell(i)).collect::<Vec<_>>()
            ));
        }
        assert_eq!(
            rows,
            [
                "[Text([]), Integer(-2), Real(0.1), Null, Blob]",
                "[Text([195, 188, 110, 195, 175, 32, 34, 99, 111, 100, 101, 34, 10]), Integer(1), Real(0.1), Null, Blob]",
            ]
        );
        assert!(
            select.next_row().unwrap(),
            "once done, the statement runs again"
        );

        let error = handle.prepare("SELEKT 1").err().unwrap();
        assert_eq!(error.code, ffi::SQLITE_ERROR);
        assert!(error.to_string().contains("syntax error"), "{error}");
        let mut unique = handle.prepare("CREATE UNIQUE INDEX t_b ON t (b)").unwrap();
        unique.execute().unwrap();
        insert.bind(2, Bound::Integer(1)).unwrap();
        let error = insert.execute().err().unwrap();
        assert_eq!(error.code, ffi::SQLITE_CONSTRAINT_UNIQUE, "{error}");
    }
}
