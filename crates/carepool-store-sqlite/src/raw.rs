//! The few SQLite calls the batch path makes on a connection's handle, wrapped so that the rest
//! of the backend stays safe. The handle is sqlx's (and so is the one SQLite library linked):
//! architecture.md rules out a second SQLite wrapper beside sqlx.

#![allow(unsafe_code)]

use libsqlite3_sys as ffi;
use std::ffi::{CStr, c_int};
use std::fmt;
use std::marker::PhantomData;
use std::ptr::{self, NonNull};

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

/// A prepared statement, finalized when dropped.
pub(crate) struct Statement<'h> {
    db: NonNull<ffi::sqlite3>,
    statement: NonNull<ffi::sqlite3_stmt>,
    handle: PhantomData<&'h Handle<'h>>,
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
        // SAFETY: the statement is live and dropped once.
        unsafe { ffi::sqlite3_finalize(self.statement.as_ptr()) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::Connection;

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
