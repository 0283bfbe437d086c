//! The embedded default store: one SQLite file in WAL mode, migrated on open.

mod direct;
mod raw;

use carepool_store::StoreError;
use carepool_store::sql::SQLITE;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if needed) the database at a `sqlite://PATH` URL and brings its schema up to date.
    pub async fn open(url: &str) -> Result<SqliteStore, StoreError> {
        let options = SqliteConnectOptions::from_str(url)
            .map_err(|e| StoreError::Config(format!("cannot use database URL '{url}': {e}")))?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(30))
            // A 64 MB page cache per connection: the default 2 MB thrashes on national-size indexes.
            .pragma("cache_size", "-65536")
            // Statement journals (multi-row writes in a transaction) stay in memory, not a temp file.
            .pragma("temp_store", "memory");
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Config(format!("cannot open {url}: {e}")))?;
        MIGRATOR.run(&pool).await.map_err(StoreError::internal)?;
        Ok(SqliteStore { pool })
    }

    /// Folds the write-ahead log into the database file, as closing does, leaving it open.
    pub async fn checkpoint(&self) -> Result<(), StoreError> {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(&self.pool)
            .await
            .map_err(StoreError::internal)?;
        Ok(())
    }
}

carepool_store::sqlx_store!(
    store: SqliteStore, db: ::sqlx::Sqlite, dialect: SQLITE, name: "sqlite",
    upsert_rows: direct::upsert_rows, update_rows: direct::update_rows,
    select_where_in: direct::select_where_in
);

#[cfg(test)]
mod tests {
    use sqlx::Connection;

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
