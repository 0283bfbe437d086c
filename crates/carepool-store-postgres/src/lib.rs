//! The national-scale store: PostgreSQL, migrated on open.

mod arrays;
#[cfg(feature = "testing")]
pub mod testing;

use carepool_store::sql::POSTGRES;
use carepool_store::{StoreError, WriteRunTurns};
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
    lock_families: arrays::lock_families
);
