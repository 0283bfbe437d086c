//! The embedded default store: one SQLite file in WAL mode, migrated on open.

use async_trait::async_trait;
use carepool_store::schema::{ColumnType, Row, Table, Value};
use carepool_store::sql::SQLITE;
use carepool_store::{ListQuery, Progress, Store, StoreError, StoredSchemeVersion};
use chrono::NaiveDate;
use sqlx::query::Query;
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, Row as _, Sqlite, SqlitePool};
use std::collections::HashSet;
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
            .pragma("cache_size", "-65536");
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

type SqliteQuery<'q> = Query<'q, Sqlite, SqliteArguments>;

/// Binds a value as its column's type, so that a null is a typed null.
fn bind<'q>(query: SqliteQuery<'q>, value: &Value, ty: ColumnType) -> SqliteQuery<'q> {
    match (value, ty) {
        (Value::Null, ColumnType::Date) => query.bind(None::<NaiveDate>),
        (Value::Null, ColumnType::Integer | ColumnType::Money) => query.bind(None::<i64>),
        (Value::Null, ColumnType::Real) => query.bind(None::<f64>),
        (Value::Null, ColumnType::Text | ColumnType::List) => query.bind(None::<String>),
        (Value::Text(s), _) => query.bind(s.as_str()),
        (Value::Integer(i), _) => query.bind(*i),
        (Value::Real(r), _) => query.bind(*r),
        (Value::Date(d), _) => query.bind(*d),
    }
}

fn bind_row<'q>(query: SqliteQuery<'q>, table: &Table, row: &[Value]) -> SqliteQuery<'q> {
    table
        .columns
        .iter()
        .zip(row)
        .fold(query, |q, (column, value)| bind(q, value, column.ty))
}

fn bind_key<'q>(query: SqliteQuery<'q>, table: &Table, key: &[Value]) -> SqliteQuery<'q> {
    table
        .key
        .iter()
        .zip(key)
        .fold(query, |q, (&i, value)| bind(q, value, table.columns[i].ty))
}

fn read_row(table: &Table, row: &SqliteRow) -> Result<Row, StoreError> {
    table
        .columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let value = match column.ty {
                ColumnType::Text | ColumnType::List => row
                    .try_get::<Option<String>, _>(i)
                    .map(|v| v.map(|s| Value::Text(s.into()))),
                ColumnType::Integer | ColumnType::Money => row
                    .try_get::<Option<i64>, _>(i)
                    .map(|v| v.map(Value::Integer)),
                ColumnType::Real => row.try_get::<Option<f64>, _>(i).map(|v| v.map(Value::Real)),
                ColumnType::Date => row
                    .try_get::<Option<NaiveDate>, _>(i)
                    .map(|v| v.map(Value::Date)),
            };
            value
                .map(|v| v.unwrap_or(Value::Null))
                .map_err(StoreError::internal)
        })
        .collect()
}

/// Turns the database's refusals into messages about the data; everything else is internal.
fn write_error(what: &str, error: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &error {
        match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => {
                return StoreError::Conflict(format!(
                    "a {what} with that key or unique value already exists ({})",
                    db.message()
                ));
            }
            sqlx::error::ErrorKind::ForeignKeyViolation => {
                return StoreError::Conflict(format!(
                    "a {what} refers to a row that does not exist"
                ));
            }
            _ => {}
        }
    }
    StoreError::internal(error)
}

#[async_trait]
impl Store for SqliteStore {
    async fn close(&self) {
        self.pool.close().await;
    }

    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn upsert(
        &self,
        table: &'static Table,
        rows: &[Row],
        progress: &Progress,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(StoreError::internal)?;
        let mut written = 0;
        for chunk in rows.chunks(SQLITE.rows_per_statement(table)) {
            let sql = SQLITE.insert(table, chunk.len(), true);
            let query = chunk
                .iter()
                .fold(sqlx::query(AssertSqlSafe(sql)), |q, row| {
                    bind_row(q, table, row)
                });
            query
                .execute(&mut *tx)
                .await
                .map_err(|e| write_error(table.singular, e))?;
            written += chunk.len() as u64;
            progress(written);
        }
        tx.commit()
            .await
            .map_err(|e| write_error(table.singular, e))
    }

    async fn insert(&self, table: &'static Table, row: &Row) -> Result<(), StoreError> {
        let sql = SQLITE.insert(table, 1, false);
        bind_row(sqlx::query(AssertSqlSafe(sql)), table, row)
            .execute(&self.pool)
            .await
            .map_err(|e| write_error(table.singular, e))?;
        Ok(())
    }

    async fn update(&self, table: &'static Table, row: &Row) -> Result<(), StoreError> {
        let query = bind_row(sqlx::query(AssertSqlSafe(SQLITE.update(table))), table, row);
        let done = bind_key(query, table, &table.key_of(row))
            .execute(&self.pool)
            .await
            .map_err(|e| write_error(table.singular, e))?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound {
                what: table.singular,
                key: table.key_text(row),
            });
        }
        Ok(())
    }

    async fn get(&self, table: &'static Table, key: &[Value]) -> Result<Option<Row>, StoreError> {
        let query = bind_key(
            sqlx::query(AssertSqlSafe(SQLITE.select_by_key(table))),
            table,
            key,
        );
        let row = query
            .fetch_optional(&self.pool)
            .await
            .map_err(StoreError::internal)?;
        row.map(|r| read_row(table, &r)).transpose()
    }

    async fn list(&self, table: &'static Table, list: &ListQuery) -> Result<Vec<Row>, StoreError> {
        let mut query = sqlx::query(AssertSqlSafe(SQLITE.list(table, list)));
        for (column, value) in &list.filters {
            query = bind(query, value, table.columns[*column].ty);
        }
        if let Some(after) = &list.after {
            query = bind_key(query, table, after);
        }
        let rows = query
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::internal)?;
        rows.iter().map(|r| read_row(table, r)).collect()
    }

    async fn rows_where_in(
        &self,
        table: &'static Table,
        column: usize,
        values: &[String],
    ) -> Result<Vec<Row>, StoreError> {
        let mut found = Vec::new();
        for chunk in values.chunks(SQLITE.binds_per_statement) {
            let sql = SQLITE.rows_where_in(table, column, chunk.len());
            let query = chunk
                .iter()
                .fold(sqlx::query(AssertSqlSafe(sql)), |q, v| q.bind(v.clone()));
            for row in query
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::internal)?
            {
                found.push(read_row(table, &row)?);
            }
        }
        Ok(found)
    }

    async fn existing_keys(
        &self,
        table: &'static Table,
        keys: &[String],
    ) -> Result<HashSet<String>, StoreError> {
        let mut found = HashSet::new();
        for chunk in keys.chunks(SQLITE.binds_per_statement) {
            let query = chunk.iter().fold(
                sqlx::query(AssertSqlSafe(SQLITE.existing_keys(table, chunk.len()))),
                |q, k| q.bind(k.clone()),
            );
            for row in query
                .fetch_all(&self.pool)
                .await
                .map_err(StoreError::internal)?
            {
                found.insert(row.try_get::<String, _>(0).map_err(StoreError::internal)?);
            }
        }
        Ok(found)
    }

    async fn scheme_versions(&self, code: &str) -> Result<Vec<StoredSchemeVersion>, StoreError> {
        let rows = sqlx::query(
            "SELECT code, effective_from, definition, loaded_at FROM scheme_versions WHERE code = ?1 ORDER BY effective_from",
        )
        .bind(code)
        .fetch_all(&self.pool)
        .await
        .map_err(StoreError::internal)?;
        rows.iter()
            .map(|r| {
                Ok(StoredSchemeVersion {
                    code: r.try_get(0)?,
                    effective_from: r.try_get(1)?,
                    definition: r.try_get(2)?,
                    loaded_at: r.try_get(3)?,
                })
            })
            .collect::<Result<_, sqlx::Error>>()
            .map_err(StoreError::internal)
    }

    async fn scheme_codes(&self) -> Result<Vec<String>, StoreError> {
        sqlx::query_scalar("SELECT code FROM schemes ORDER BY code")
            .fetch_all(&self.pool)
            .await
            .map_err(StoreError::internal)
    }

    async fn add_scheme_version(&self, version: &StoredSchemeVersion) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await.map_err(StoreError::internal)?;
        sqlx::query("INSERT INTO schemes (code) VALUES (?1) ON CONFLICT (code) DO NOTHING")
            .bind(&version.code)
            .execute(&mut *tx)
            .await
            .map_err(StoreError::internal)?;
        sqlx::query("INSERT INTO scheme_versions (code, effective_from, definition, loaded_at) VALUES (?1, ?2, ?3, ?4)")
            .bind(&version.code)
            .bind(version.effective_from)
            .bind(&version.definition)
            .bind(&version.loaded_at)
            .execute(&mut *tx)
            .await
            .map_err(|e| match write_error("scheme version", e) {
                StoreError::Conflict(_) => StoreError::Conflict(format!(
                    "scheme {} already has a version effective from {}",
                    version.code, version.effective_from
                )),
                other => other,
            })?;
        tx.commit().await.map_err(StoreError::internal)
    }
}
