//! Many rows moved straight through the connection's SQLite handle (see [`crate::raw`]), one
//! prepared statement run once a row. sqlx hands every statement and every row between its
//! worker thread and the caller and copies each bound text; on a batch's writes and reads that
//! cost more than SQLite's own work. The connection stays sqlx's, in sqlx's transaction: only
//! the statements go around it.

use crate::SQLITE;
use crate::raw::{Bound, Cell, Handle, SqliteError, Statement};
use carepool_schema::{ColumnType, Row, Table, Value};
use carepool_store::{Progress, StoreError, Work, Write, Writes, blocking};
use carepool_store_sqlx::{WhereIn, each_value_once};
use chrono::{Datelike, NaiveDate};
use libsqlite3_sys as ffi;
use sqlx::SqliteConnection;

/// How many rows make the work on a handle long (see [`carepool_store::blocking`]).
const LONG_FROM_ROWS: usize = 512;

/// How long moving `rows` rows takes the handle.
fn work_for(rows: usize) -> Work {
    if rows >= LONG_FROM_ROWS {
        Work::Long
    } else {
        Work::Short
    }
}

/// Has the connection wait up to `at_most` for a lock another holds, looking again every
/// millisecond (see [`Handle::wait_for_locks`]).
pub(crate) async fn wait_for_locks(
    conn: &mut SqliteConnection,
    at_most: std::time::Duration,
) -> Result<(), sqlx::Error> {
    let mut locked = conn.lock_handle().await?;
    // SAFETY: `locked` keeps sqlx's worker off the open handle, and outlives `handle`.
    #[allow(unsafe_code)]
    let handle = unsafe { Handle::lent(locked.as_raw_handle()) };
    handle.wait_for_locks(at_most);
    Ok(())
}

/// Runs `work` on the connection's SQLite handle, taken from sqlx's worker for the while.
async fn with_handle<T>(
    conn: &mut SqliteConnection,
    length: Work,
    work: impl FnOnce(&Handle) -> Result<T, StoreError>,
) -> Result<T, StoreError> {
    let mut locked = conn.lock_handle().await.map_err(StoreError::internal)?;
    // SAFETY: `locked` keeps sqlx's worker off the open handle, and outlives `handle`.
    #[allow(unsafe_code)]
    let handle = unsafe { Handle::lent(locked.as_raw_handle()) };
    if let Some(owner) = handle.keep_statements() {
        // sqlx drops a connection's hooks before it closes it, and never calls this one
        // otherwise than on a rollback, where it does nothing: the cache's owner lives in it.
        locked.set_rollback_hook(move || {
            let _ = &owner;
        });
    }
    // The statements run on this thread, as sqlx's worker would have run them.
    blocking(length, || work(&handle))
}

/// Inserts or replaces rows, telling `progress` how many are written as it goes.
pub(crate) async fn upsert_rows(
    conn: &mut SqliteConnection,
    table: &'static Table,
    rows: &[Row],
    progress: &Progress,
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    with_handle(conn, work_for(rows.len()), |db| {
        insert_each(db, table, rows, true, progress)
    })
    .await
}

/// Makes each of `writes`, in order, with the handle taken from sqlx's worker once for them
/// all: taking it costs a round trip to the worker's thread, which a claim judged alone pays
/// for every write it makes.
pub(crate) async fn write_rows(
    conn: &mut SqliteConnection,
    writes: Writes,
) -> Result<(), StoreError> {
    let rows: usize = writes.iter().map(Write::row_count).sum();
    if rows == 0 {
        return Ok(());
    }
    with_handle(conn, work_for(rows), |db| {
        for write in &writes {
            match write {
                Write::Insert(table, rows) => insert_each(db, table, rows, false, &|_| {})?,
                Write::Upsert(table, rows) => insert_each(db, table, rows, true, &|_| {})?,
                Write::Update {
                    table,
                    columns,
                    rows,
                } => update_each(db, table, columns, rows)?,
                Write::Set {
                    table,
                    columns,
                    rows,
                } => set_each(db, table, columns, rows)?,
            }
        }
        Ok(())
    })
    .await
}

/// Runs one prepared `INSERT` (an upsert with `upsert`) per row.
fn insert_each(
    db: &Handle,
    table: &'static Table,
    rows: &[Row],
    upsert: bool,
    progress: &Progress,
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut statement = prepare(db, &SQLITE.insert(table, upsert))?;
    // As often as sqlx's multi-row statements would have reported.
    let report_every = SQLITE.rows_per_statement(table);
    for (n, row) in rows.iter().enumerate() {
        for (at, value) in row.iter().enumerate() {
            bind(&mut statement, at + 1, value)?;
        }
        statement.execute().map_err(|e| write_error(table, e))?;
        if (n + 1) % report_every == 0 || n + 1 == rows.len() {
            progress(n as u64 + 1);
        }
    }
    Ok(())
}

/// Sets `columns` of stored rows found by key; a row not found fails the write.
fn update_each(
    db: &Handle,
    table: &'static Table,
    columns: &[usize],
    rows: &[Row],
) -> Result<(), StoreError> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut statement = prepare(db, &SQLITE.update_one(table, columns))?;
    for row in rows {
        for (at, &i) in columns.iter().chain(table.key).enumerate() {
            bind(&mut statement, at + 1, &row[i])?;
        }
        let changed = statement.execute().map_err(|e| write_error(table, e))?;
        if changed == 0 {
            return Err(StoreError::NotFound {
                what: table.singular,
                key: table.key_text(row),
            });
        }
    }
    Ok(())
}

/// Runs one prepared `UPDATE` of `columns` per narrow row: the key's values, then the columns'.
fn set_each(
    db: &Handle,
    table: &'static Table,
    columns: &[usize],
    rows: &[Row],
) -> Result<(), StoreError> {
    carepool_store::check_narrow(table, columns, rows)?;
    if rows.is_empty() {
        return Ok(());
    }
    let mut statement = prepare(db, &SQLITE.update_one(table, columns))?;
    let key = table.key.len();
    for row in rows {
        // The statement binds the columns first, then the key.
        for (at, value) in row[key..].iter().chain(&row[..key]).enumerate() {
            bind(&mut statement, at + 1, value)?;
        }
        let changed = statement.execute().map_err(|e| write_error(table, e))?;
        if changed == 0 {
            let key: Vec<String> = (table.key.iter().zip(row))
                .map(|(&column, value)| value.format(table.columns[column].ty))
                .collect();
            return Err(StoreError::NotFound {
                what: table.singular,
                key: key.join("/"),
            });
        }
    }
    Ok(())
}

/// The rows each of `reads` finds, in order, with the handle taken from sqlx's worker once for
/// them all (see [`write_rows`]).
pub(crate) async fn select_where_in(
    conn: &mut SqliteConnection,
    reads: &[WhereIn<'_>],
) -> Result<Vec<Vec<Row>>, StoreError> {
    if reads.is_empty() {
        return Ok(Vec::new());
    }
    let values: usize = reads.iter().map(|read| read.values.len()).sum();
    with_handle(conn, work_for(values), |db| {
        reads.iter().map(|read| select_each(db, read)).collect()
    })
    .await
}

/// `columns` of the rows whose text `column` holds one of `values` (or that share the `sharing`
/// column with one of those), in key order within each slice of values if asked.
fn select_each(db: &Handle, read: &WhereIn<'_>) -> Result<Vec<Row>, StoreError> {
    let WhereIn {
        table,
        columns,
        values,
        ..
    } = *read;
    let mut found = Vec::new();
    let sql = SQLITE.rows_where_in_list(read);
    let mut statement = prepare(db, &sql)?;
    // In slices, as the IN lists of other backends: SQLite holds a slice's values, parsed and
    // indexed, while it reads.
    let values = each_value_once(values, SQLITE.binds_per_statement);
    for chunk in values.chunks(SQLITE.binds_per_statement) {
        let chunk = serde_json::to_string(chunk).map_err(StoreError::internal)?;
        statement
            .bind(1, Bound::Text(&chunk))
            .map_err(StoreError::internal)?;
        while statement.next_row().map_err(StoreError::internal)? {
            found.push(read_cells(table, columns.iter().copied(), &statement)?);
        }
    }
    Ok(found)
}

/// `columns` of the rows a `SELECT` of them finds with `binds` bound in order, each handed to
/// `each` as it is read: a table of millions of rows is never held whole.
pub(crate) async fn select_each_row(
    conn: &mut SqliteConnection,
    table: &'static Table,
    columns: &[usize],
    sql: &str,
    binds: &[(&Value, ColumnType)],
    each: &mut (dyn FnMut(Row) + Send),
) -> Result<(), StoreError> {
    with_handle(conn, Work::Long, |db| {
        let mut statement = prepare(db, sql)?;
        for (at, (value, _)) in binds.iter().enumerate() {
            bind(&mut statement, at + 1, value)?;
        }
        while statement.next_row().map_err(StoreError::internal)? {
            each(read_cells(table, columns.iter().copied(), &statement)?);
        }
        Ok(())
    })
    .await
}

/// Every column of the rows whose text `column` lies between `first` and `last`.
pub(crate) async fn select_in_range(
    conn: &mut SqliteConnection,
    table: &'static Table,
    columns: &[usize],
    column: usize,
    first: &str,
    last: &str,
) -> Result<Vec<Row>, StoreError> {
    with_handle(conn, Work::Long, |db| {
        let mut statement = prepare(db, &SQLITE.rows_in_range(table, columns, column))?;
        bind(&mut statement, 1, &Value::Text(first.into()))?;
        bind(&mut statement, 2, &Value::Text(last.into()))?;
        let mut rows = Vec::new();
        while statement.next_row().map_err(StoreError::internal)? {
            rows.push(read_cells(table, columns.iter().copied(), &statement)?);
        }
        Ok(rows)
    })
    .await
}

fn prepare<'h>(handle: &'h Handle, sql: &str) -> Result<Statement<'h>, StoreError> {
    handle.prepare_cached(sql).map_err(StoreError::internal)
}

fn bind(statement: &mut Statement, at: usize, value: &Value) -> Result<(), StoreError> {
    let mut digits = [0; 10];
    let formatted;
    let bound = match value {
        Value::Null => Bound::Null,
        Value::Text(text) => Bound::Text(text),
        Value::Integer(i) => Bound::Integer(*i),
        Value::Real(r) => Bound::Real(*r),
        Value::Date(date) => Bound::Text(match iso_date(*date, &mut digits) {
            Some(text) => text,
            None => {
                formatted = date.format("%Y-%m-%d").to_string();
                &formatted
            }
        }),
    };
    statement.bind(at, bound).map_err(StoreError::internal)
}

/// A date as sqlx writes it in SQLite (ISO 8601 text), written by hand: chrono's formatting
/// showed in profiles of batch writes. None for a year beyond four digits.
fn iso_date(date: NaiveDate, digits: &mut [u8; 10]) -> Option<&str> {
    let year = u32::try_from(date.year()).ok().filter(|&y| y <= 9999)?;
    let parts = [(year, 0, 4), (date.month(), 5, 2), (date.day(), 8, 2)];
    for (mut number, start, width) in parts {
        for place in (start..start + width).rev() {
            digits[place] = b'0' + (number % 10) as u8;
            number /= 10;
        }
    }
    digits[4] = b'-';
    digits[7] = b'-';
    std::str::from_utf8(digits).ok()
}

/// A date read back from its ISO 8601 text by hand, as [`iso_date`] writes it: chrono's parser
/// showed in profiles of national-scale reads. Other spellings are left to chrono.
fn read_date(text: &str) -> Option<NaiveDate> {
    plain_date(text).or_else(|| text.parse().ok())
}

/// "2024-02-29": four digits, two and two.
fn plain_date(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if !(bytes.len() == 10 && bytes[4] == b'-' && bytes[7] == b'-') {
        return None;
    }
    let number = |range: std::ops::Range<usize>| {
        bytes[range].iter().try_fold(0u32, |n, &b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(number(0..4)? as i32, number(5..7)?, number(8..10)?)
}

/// The cells of a row that selects `columns` of `table`, in that order, each read as its
/// column's type.
fn read_cells(
    table: &Table,
    columns: impl ExactSizeIterator<Item = usize>,
    row: &Statement,
) -> Result<Row, StoreError> {
    let mut read = Vec::with_capacity(columns.len());
    for (i, column) in columns.map(|c| &table.columns[c]).enumerate() {
        let cell = row.cell(i);
        let wrong = || {
            StoreError::Internal(
                format!(
                    "{}.{} holds {cell:?}, not {}",
                    table.name,
                    column.name,
                    column.ty.describe()
                )
                .into(),
            )
        };
        read.push(match (cell, column.ty) {
            (Cell::Null, _) => Value::Null,
            (Cell::Integer(i), ColumnType::Integer | ColumnType::Money) => Value::Integer(i),
            (Cell::Real(r), ColumnType::Real) => Value::Real(r),
            (Cell::Text(text), ColumnType::Text | ColumnType::List | ColumnType::Date) => {
                let text = std::str::from_utf8(text).map_err(|_| wrong())?;
                if column.ty == ColumnType::Date {
                    Value::Date(read_date(text).ok_or_else(wrong)?)
                } else {
                    Value::Text(text.into())
                }
            }
            _ => return Err(wrong()),
        });
    }
    Ok(read)
}

/// Turns SQLite's refusals into messages about the data, as the sqlx path does.
fn write_error(table: &'static Table, error: SqliteError) -> StoreError {
    let what = table.singular;
    match error.code {
        ffi::SQLITE_CONSTRAINT_UNIQUE | ffi::SQLITE_CONSTRAINT_PRIMARYKEY => {
            StoreError::duplicate(table, error.message())
        }
        ffi::SQLITE_CONSTRAINT_FOREIGNKEY => StoreError::dangling(what),
        _ => StoreError::internal(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Dates of four-digit years, as both directions spell them.
    const PLAIN_DATES: [&str; 5] = [
        "2024-02-29",
        "0999-01-05",
        "2025-12-31",
        "0000-01-01",
        "9999-12-31",
    ];

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let mut digits = [0; 10];
        for text in PLAIN_DATES {
            let date: NaiveDate = text.parse().unwrap();
            assert_eq!(iso_date(date, &mut digits), Some(text));
            assert_eq!(date.format("%Y-%m-%d").to_string(), text);
        }
        let far = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
        assert_eq!(iso_date(far, &mut digits), None, "left to chrono");
        let before = NaiveDate::from_ymd_opt(-1, 1, 1).unwrap();
        assert_eq!(iso_date(before, &mut digits), None, "left to chrono");
    }

    #[test]
    fn dates_are_read_as_chrono_reads_them() {
        let other_spellings = ["+10000-01-01", "-0001-01-01", "+202-01-01", " 202-01-01"];
        for text in PLAIN_DATES.into_iter().chain(other_spellings) {
            let by_chrono: NaiveDate = text.parse().unwrap();
            assert_eq!(read_date(text), Some(by_chrono), "{text}");
        }
        for text in [
            "2023-02-29",
            "2024-13-01",
            "2024-00-10",
            "2024-01-32",
            "2024-1-01x",
            "2024/01/01",
            "20a4-01-01",
            "",
        ] {
            assert!(text.parse::<NaiveDate>().is_err(), "{text}");
            assert_eq!(read_date(text), None, "{text}");
        }
    }
}
