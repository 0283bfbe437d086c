//! What the two sqlx backends share, and what each must bring ([`SqlxBackend`]): the SQL both
//! generate from the table declarations ([`sql`]), with each backend's own [`sql::Dialect`],
//! and one body of the [`Store`](carepool_store::Store) implementation ([`sqlx_store!`]).
//! The storage port (`carepool-store`) knows nothing of sqlx.

pub mod sql;
mod store;

use carepool_schema::{Row, Table, Value};
use carepool_store::{LiveSchema, Progress, StoreError};

/// What a backend brings to the shared body of [`sqlx_store!`]: its database, its dialect, and
/// its own ways of moving many rows, where the two differ most (SQLite through its C handle,
/// PostgreSQL in arrays). Each function runs on a connection inside the caller's transaction.
#[async_trait::async_trait]
pub trait SqlxBackend: Send + Sync + 'static {
    type Db: sqlx::Database;
    /// "sqlite" or "postgres".
    const NAME: &'static str;
    const DIALECT: sql::Dialect;

    /// Inserts or replaces rows, telling `progress` how many are written as it goes.
    async fn upsert_rows(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        table: &'static Table,
        rows: &[Row],
        progress: &Progress,
    ) -> Result<(), StoreError>;

    /// Inserts new rows; a key taken fails the write.
    async fn insert_rows(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        table: &'static Table,
        rows: &[Row],
    ) -> Result<(), StoreError>;

    /// Sets `columns` of stored rows found by key; a row not found fails the write.
    async fn update_rows(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        table: &'static Table,
        columns: &[usize],
        rows: &[Row],
    ) -> Result<(), StoreError>;

    /// `columns` of the rows whose text `column` holds one of `values`, in key order.
    async fn select_where_in(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        table: &'static Table,
        columns: &[usize],
        column: usize,
        values: &[String],
    ) -> Result<Vec<Row>, StoreError>;

    /// Only `columns` of the rows that pass `filters` (equality), in key order.
    async fn select_projected(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        table: &'static Table,
        columns: &[usize],
        filters: &[(usize, Value)],
    ) -> Result<Vec<Row>, StoreError>;

    /// Locks the families against other writers until the transaction ends.
    async fn lock_families(
        conn: &mut <Self::Db as sqlx::Database>::Connection,
        ids: &[String],
    ) -> Result<(), StoreError>;

    /// The tables the database has, as it describes them.
    async fn live_schema(pool: &sqlx::Pool<Self::Db>) -> Result<LiveSchema, StoreError>;
}
