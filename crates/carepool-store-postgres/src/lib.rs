//! The national-scale store: PostgreSQL, migrated on open.

mod arrays;
#[cfg(feature = "testing")]
pub mod testing;

use carepool_schema::ColumnType;
use carepool_store::sql::POSTGRES;
use carepool_store::{LiveColumn, LiveSchema, LiveTable, StoreError, WriteRunTurns};
use sqlx::PgPool;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub struct PostgresStore {
    pool: PgPool,
    write_runs: WriteRunTurns,
}

impl PostgresStore {
    /// Connects to the database at a `postgres://` URL and brings its schema up to date.
    pub async fn open(url: &str) -> Result<PostgresStore, StoreError> {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("cannot use database URL: {e}")))?;
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Config(format!("cannot connect to PostgreSQL: {e}")))?;
        MIGRATOR.run(&pool).await.map_err(StoreError::internal)?;
        Ok(PostgresStore {
            pool,
            write_runs: WriteRunTurns::default(),
        })
    }
}

carepool_store::sqlx_store!(
    store: PostgresStore, db: ::sqlx::Postgres, dialect: POSTGRES, name: "postgres",
    upsert_rows: arrays::upsert_rows, update_rows: arrays::update_rows,
    select_where_in: arrays::select_where_in, select_projected: arrays::select_projected,
    lock_families: arrays::lock_families, live_schema: live_schema
);

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
