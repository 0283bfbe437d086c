//! What the two sqlx backends share, and what each must bring ([`SqlxBackend`]): the SQL both
//! generate from the table declarations ([`sql`]), with each backend's own [`sql::Dialect`],
//! and one body of the [`Store`](carepool_store::Store) implementation ([`sqlx_store!`]).
//! The storage port (`carepool-store`) knows nothing of sqlx.

mod commits;
mod pooling;
pub mod sql;
mod store;

pub use commits::{CommitMark, Snapshot};
#[doc(hidden)]
pub use futures_util;
pub use pooling::{TESTED_AFTER_IDLE, tested_after_idle};

use carepool_schema::{ColumnType, Row, Table, Value};
use carepool_store::{LiveSchema, Progress, StoreError, Writes};
use std::borrow::Cow;
use std::collections::HashSet;

/// `values` to be read in slices of at most `slice` values, each value once: a value named twice
/// in a list longer than a slice could fall in two slices and find its rows twice (a claim read
/// twice, the second copy without its lines). A list of one slice is given as it is.
pub fn each_value_once(values: &[String], slice: usize) -> Cow<'_, [String]> {
    if values.len() <= slice {
        return Cow::Borrowed(values);
    }
    let mut once = values.to_vec();
    once.sort_unstable();
    once.dedup();
    Cow::Owned(once)
}

/// A read of rows by the values of a column: `columns` of the rows of `table` whose text
/// `column` holds one of `values`, in key order or in any; or, `sharing` a column, of every row
/// that shares that column's value with one of those.
#[derive(Debug, Clone, Copy)]
pub struct WhereIn<'a> {
    pub table: &'static Table,
    pub columns: &'a [usize],
    pub column: usize,
    pub values: &'a [String],
    pub in_key_order: bool,
    pub sharing: Option<usize>,
}

impl WhereIn<'_> {
    /// The rows a read `sharing` a column found, each once: a long list of values is read a
    /// slice at a time, and a family named in two slices comes in both. Told apart by key, not
    /// by the shared value: the slices are statements apart, and a row that joined a family
    /// between them is new. The rows of another read are returned as they are.
    pub fn each_row_once(&self, found: Vec<Row>) -> Vec<Row> {
        if self.sharing.is_none() {
            return found;
        }
        // Where each key column sits in the rows read, and its type.
        let key_at: Vec<(usize, ColumnType)> = (self.table.key.iter())
            .map(|&key| {
                let at = self.columns.iter().position(|&c| c == key)?;
                Some((at, self.table.columns[key].ty))
            })
            .collect::<Option<_>>()
            .expect("a read sharing a column reads the table's key");
        let mut keys = HashSet::new();
        found
            .into_iter()
            .filter(|row| {
                keys.insert(
                    key_at
                        .iter()
                        .map(|&(at, ty)| row[at].format(ty))
                        .collect::<Vec<_>>(),
                )
            })
            .collect()
    }
}

/// What a backend brings to the shared body of [`sqlx_store!`]: its database, its dialect, and
/// its own ways of moving many rows, where the two differ most (SQLite through its C handle,
/// PostgreSQL in arrays). Each function runs on a connection inside the caller's transaction.
#[async_trait::async_trait]
pub trait SqlxBackend: Send + Sync + 'static {
    type Db: sqlx::Database;
    /// "sqlite" or "postgres".
    const NAME: &'static str;
    const DIALECT: sql::Dialect;
    /// See `carepool_store::Store::locked_writes_at_once`.
    const LOCKED_WRITES_AT_ONCE: usize;

    /// Inserts or replaces rows, telling `progress` how many are written as it goes.
    async fn upsert_rows(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        table: &'static Table,
        rows: &[Row],
        progress: &Progress,
    ) -> Result<(), StoreError>;

    /// Makes each of `writes`, in order: inserts new rows (a key taken fails the write), inserts
    /// or replaces rows, or sets columns of stored rows found by key (a row not found fails it).
    async fn write_rows(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        writes: Writes,
    ) -> Result<(), StoreError>;

    /// The rows each of `reads` finds, in order.
    async fn select_where_in(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        reads: &[WhereIn<'_>],
    ) -> Result<Vec<Vec<Row>>, StoreError>;

    /// Only `columns` of the rows that pass `filters` (equality), in key order.
    async fn select_projected(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        table: &'static Table,
        columns: &[usize],
        filters: &[(usize, Value)],
    ) -> Result<Vec<Row>, StoreError> {
        let mut found = Vec::new();
        Self::select_projected_each(conn, table, columns, filters, &mut |row| found.push(row))
            .await?;
        Ok(found)
    }

    /// `columns` of the rows that `sql`, a `SELECT` of those columns, finds with `binds` bound in
    /// order (each with the type of the column it is compared with), handed to `each` in the
    /// statement's order as they are read: the backend's own reading path (SQLite's handle,
    /// PostgreSQL's stream), for reads of many rows.
    async fn select_each_row(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        table: &'static Table,
        columns: &[usize],
        sql: &str,
        binds: &[(&Value, ColumnType)],
        each: &mut (dyn FnMut(Row) + Send),
    ) -> Result<(), StoreError>;

    /// As [`SqlxBackend::select_projected`], handing each row to `each` as it is read.
    async fn select_projected_each(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        table: &'static Table,
        columns: &[usize],
        filters: &[(usize, Value)],
        each: &mut (dyn FnMut(Row) + Send),
    ) -> Result<(), StoreError> {
        let filter_columns: Vec<usize> = filters.iter().map(|(c, _)| *c).collect();
        let sql = Self::DIALECT.project(table, columns, &filter_columns);
        let binds: Vec<(&Value, ColumnType)> = (filters.iter())
            .map(|(column, value)| (value, table.columns[*column].ty))
            .collect();
        Self::select_each_row(conn, table, columns, &sql, &binds, each).await
    }

    /// Every column of the rows whose text `column` lies between `first` and `last` (see
    /// `carepool_store::Store::rows_in_range`), on a connection of the pool it is given (a
    /// backend may close it rather than give it back, as PostgreSQL's `COPY` does when it
    /// ends early).
    async fn select_in_range(
        conn: sqlx::pool::PoolConnection<Self::Db>,
        table: &'static Table,
        columns: &[usize],
        column: usize,
        first: &str,
        last: &str,
    ) -> Result<Vec<Row>, StoreError>;

    /// Whether this store's write runs judge a batch ahead of its lock (see
    /// `carepool_store::WriteRun`).
    fn judges_ahead(&self) -> bool;

    /// Where the database's history of commits stands, as this connection sees it: at a write
    /// run's start, or (`in_write`) inside a write's transaction once its lock is taken. None
    /// when it cannot tell.
    async fn commit_mark(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        in_write: bool,
    ) -> Result<Option<CommitMark>, StoreError>;

    /// Locks the families against other writers until the transaction ends.
    async fn lock_families(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        ids: &[String],
    ) -> Result<(), StoreError>;

    /// The tables the database has, as it describes them.
    async fn live_schema(pool: &sqlx::Pool<Self::Db>) -> Result<LiveSchema, StoreError>;

    /// A store of this backend reading the database as it stands now, and only reading (see
    /// `carepool_store::Store::snapshot`).
    async fn snapshot(&self) -> Result<Self, StoreError>
    where
        Self: Sized;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_longer_than_a_slice_names_each_value_once() {
        let list = |values: &[&str]| values.iter().map(|v| v.to_string()).collect::<Vec<_>>();
        // Within one slice a repeat finds its row once anyway: the list goes as it is.
        let short = list(&["b", "a", "b"]);
        assert!(matches!(each_value_once(&short, 3), Cow::Borrowed(given) if given == short));
        // Longer, "b" could fall in two slices: each value once.
        let long = list(&["b", "a", "c", "b"]);
        assert_eq!(each_value_once(&long, 3).as_ref(), list(&["a", "b", "c"]));
        assert_eq!(each_value_once(&[], 3).as_ref(), list(&[]));
    }
}
