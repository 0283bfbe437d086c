//! The body of a sqlx-backed [`Store`](crate::Store), shared by the SQLite and PostgreSQL backends.
//!
//! The two differ only in their sqlx types, their [`Dialect`](crate::sql::Dialect) and how they
//! open a pool (each keeps its own `open` and migrations). Generic code over `sqlx::Database`
//! needs a wall of trait bounds for every bind and read; one macro body, expanded in each backend
//! crate with its concrete types, keeps a single copy of the logic instead.

/// Implements [`Store`](crate::Store) for `$store`, a struct with a `pool: sqlx::Pool<$db>` field
/// and a `write_runs: WriteRunTurns` field.
/// The calling crate depends on `sqlx` (with `chrono`), `chrono` and `async-trait`. Each backend
/// brings its own way of moving many rows, where the two differ most (SQLite through its C
/// handle, PostgreSQL in arrays), as functions taking a connection:
/// - `upsert_rows(conn, table, rows, progress)`: inserts or replaces rows;
/// - `update_rows(conn, table, columns, rows)`: sets `columns` of stored rows found by key, a row
///   not found failing the write;
/// - `select_where_in(conn, table, columns, column, values)`: `columns` of the rows whose text
///   `column` holds one of `values`, in key order;
/// - `select_projected(conn, table, columns, filters)`: only `columns` of the rows that pass
///   `filters` (equality), in key order;
/// - `lock_families(conn, ids)`: locks the families against other writers until the
///   transaction ends;
/// - `live_schema(pool)`: the tables the database has, as it describes them.
#[macro_export]
macro_rules! sqlx_store {
    (
        store: $store:ty, db: $db:ty, dialect: $dialect:expr, name: $name:literal,
        upsert_rows: $upsert_rows:path, update_rows: $update_rows:path,
        select_where_in: $select_where_in:path, select_projected: $select_projected:path,
        lock_families: $lock_families:path, live_schema: $live_schema:path
    ) => {
        use ::sqlx::Row as _;

        type BackendQuery<'q> = ::sqlx::query::Query<'q, $db, <$db as ::sqlx::Database>::Arguments>;

        /// Binds a value as its column's type, so that a null is a typed null.
        fn bind<'q>(
            query: BackendQuery<'q>,
            value: &::carepool_schema::Value,
            ty: ::carepool_schema::ColumnType,
        ) -> BackendQuery<'q> {
            match (value, ty) {
                (::carepool_schema::Value::Null, ::carepool_schema::ColumnType::Date) => {
                    query.bind(None::<::chrono::NaiveDate>)
                }
                (
                    ::carepool_schema::Value::Null,
                    ::carepool_schema::ColumnType::Integer | ::carepool_schema::ColumnType::Money,
                ) => query.bind(None::<i64>),
                (::carepool_schema::Value::Null, ::carepool_schema::ColumnType::Real) => {
                    query.bind(None::<f64>)
                }
                (
                    ::carepool_schema::Value::Null,
                    ::carepool_schema::ColumnType::Text | ::carepool_schema::ColumnType::List,
                ) => query.bind(None::<String>),
                (::carepool_schema::Value::Text(s), _) => query.bind(s.as_str()),
                (::carepool_schema::Value::Integer(i), _) => query.bind(*i),
                (::carepool_schema::Value::Real(r), _) => query.bind(*r),
                (::carepool_schema::Value::Date(d), _) => query.bind(*d),
            }
        }

        fn bind_row<'q>(
            query: BackendQuery<'q>,
            table: &::carepool_schema::Table,
            row: &[::carepool_schema::Value],
        ) -> BackendQuery<'q> {
            table
                .columns
                .iter()
                .zip(row)
                .fold(query, |q, (column, value)| bind(q, value, column.ty))
        }

        fn bind_key<'q>(
            query: BackendQuery<'q>,
            table: &::carepool_schema::Table,
            key: &[::carepool_schema::Value],
        ) -> BackendQuery<'q> {
            table
                .key
                .iter()
                .zip(key)
                .fold(query, |q, (&i, value)| bind(q, value, table.columns[i].ty))
        }

        fn every_column(table: &::carepool_schema::Table) -> Vec<usize> {
            (0..table.columns.len()).collect()
        }

        fn read_row(
            table: &::carepool_schema::Table,
            row: &<$db as ::sqlx::Database>::Row,
        ) -> Result<::carepool_schema::Row, $crate::StoreError> {
            read_columns(table.columns.iter(), row)
        }

        fn read_columns<'c>(
            columns: impl Iterator<Item = &'c ::carepool_schema::Column>,
            row: &<$db as ::sqlx::Database>::Row,
        ) -> Result<::carepool_schema::Row, $crate::StoreError> {
            columns
                .enumerate()
                .map(|(i, column)| {
                    let value = match column.ty {
                        ::carepool_schema::ColumnType::Text
                        | ::carepool_schema::ColumnType::List => row
                            .try_get::<Option<String>, _>(i)
                            .map(|v| v.map(|s| ::carepool_schema::Value::Text(s.into()))),
                        ::carepool_schema::ColumnType::Integer
                        | ::carepool_schema::ColumnType::Money => row
                            .try_get::<Option<i64>, _>(i)
                            .map(|v| v.map(::carepool_schema::Value::Integer)),
                        ::carepool_schema::ColumnType::Real => row
                            .try_get::<Option<f64>, _>(i)
                            .map(|v| v.map(::carepool_schema::Value::Real)),
                        ::carepool_schema::ColumnType::Date => row
                            .try_get::<Option<::chrono::NaiveDate>, _>(i)
                            .map(|v| v.map(::carepool_schema::Value::Date)),
                    };
                    value
                        .map(|v| v.unwrap_or(::carepool_schema::Value::Null))
                        .map_err($crate::StoreError::internal)
                })
                .collect()
        }

        /// Turns the database's refusals into messages about the data; everything else is internal.
        fn write_error(what: &str, error: ::sqlx::Error) -> $crate::StoreError {
            if let ::sqlx::Error::Database(db) = &error {
                match db.kind() {
                    ::sqlx::error::ErrorKind::UniqueViolation => {
                        return $crate::StoreError::duplicate(what, db.message());
                    }
                    ::sqlx::error::ErrorKind::ForeignKeyViolation => {
                        return $crate::StoreError::dangling(what);
                    }
                    _ => {}
                }
            }
            $crate::StoreError::internal(error)
        }

        type Connection = <$db as ::sqlx::Database>::Connection;

        async fn select_list(
            conn: &mut Connection,
            table: &'static ::carepool_schema::Table,
            list: &$crate::ListQuery,
        ) -> Result<Vec<::carepool_schema::Row>, $crate::StoreError> {
            let mut query = ::sqlx::query(::sqlx::AssertSqlSafe($dialect.list(table, list)));
            for (column, value) in &list.filters {
                query = bind(query, value, table.columns[*column].ty);
            }
            if let Some(after) = &list.after {
                query = bind_key(query, table, after);
            }
            let rows = query
                .fetch_all(&mut *conn)
                .await
                .map_err($crate::StoreError::internal)?;
            rows.iter().map(|r| read_row(table, r)).collect()
        }

        async fn take_lock(
            conn: &mut Connection,
            lock: &$crate::Lock,
        ) -> Result<(), $crate::StoreError> {
            match lock {
                $crate::Lock::Families(ids) => $lock_families(&mut *conn, ids).await?,
                $crate::Lock::Nothing => {}
                $crate::Lock::AllClaims => {
                    if let Some(sql) = $dialect.lock_table(&::carepool_schema::claim_tables::CLAIMS)
                    {
                        ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                            .execute(&mut *conn)
                            .await
                            .map_err($crate::StoreError::internal)?;
                    }
                }
            }
            Ok(())
        }

        /// Reads each of `reads`, in order.
        async fn read_all(
            conn: &mut Connection,
            reads: &$crate::LockedReads,
        ) -> Result<$crate::ReadRows, $crate::StoreError> {
            let mut read = Vec::with_capacity(reads.as_slice().len());
            for spec in reads.as_slice() {
                read.push(match spec {
                    $crate::Read::WhereIn {
                        table,
                        column,
                        values,
                    } => {
                        $select_where_in(&mut *conn, table, &every_column(table), *column, values)
                            .await?
                    }
                    $crate::Read::List { table, query } => {
                        select_list(&mut *conn, table, query).await?
                    }
                });
            }
            Ok($crate::ReadRows::new(read))
        }

        /// Makes each of `writes`, in order.
        async fn write_all(
            conn: &mut Connection,
            writes: $crate::Writes,
        ) -> Result<(), $crate::StoreError> {
            for write in writes {
                match write {
                    $crate::Write::Upsert(table, rows) => {
                        $upsert_rows(&mut *conn, table, &rows, &|_| {}).await?
                    }
                    $crate::Write::Update {
                        table,
                        columns,
                        rows,
                    } => $update_rows(&mut *conn, table, columns, &rows).await?,
                }
            }
            Ok(())
        }

        /// A run of locked writes on one connection, held (out of the pool) for the run.
        struct HeldWriteRun {
            _turn: $crate::WriteRunTurn,
            conn: ::sqlx::pool::PoolConnection<$db>,
            /// The data version (see `Dialect::data_version`) at the last two points since
            /// which `ahead` may have been read, the older first: the run's start, then each
            /// write's lock. None where the backend has no data version, or after a failed write.
            seen: [Option<i64>; 2],
        }

        impl HeldWriteRun {
            async fn start(store: &$store) -> Result<HeldWriteRun, $crate::StoreError> {
                let turn = store.write_runs.take().await;
                let mut conn = store
                    .pool
                    .acquire()
                    .await
                    .map_err($crate::StoreError::internal)?;
                let version = data_version(&mut *conn).await?;
                Ok(HeldWriteRun {
                    _turn: turn,
                    conn,
                    seen: [version; 2],
                })
            }
        }

        /// The connection's data version, where the backend has one.
        async fn data_version(conn: &mut Connection) -> Result<Option<i64>, $crate::StoreError> {
            let Some(sql) = $dialect.data_version else {
                return Ok(None);
            };
            ::sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&mut *conn)
                .await
                .map(Some)
                .map_err($crate::StoreError::internal)
        }

        #[::async_trait::async_trait]
        impl $crate::WriteRun for HeldWriteRun {
            fn sees_other_writers(&self) -> bool {
                $dialect.data_version.is_some()
            }

            async fn write(
                &mut self,
                what: &'static str,
                lock: &$crate::Lock,
                reads: &$crate::LockedReads,
                ahead: Option<$crate::Writes>,
                decide: &mut $crate::Decide<'_>,
            ) -> Result<bool, $crate::StoreError> {
                // Forgotten until this write commits: after a failure nothing is written ahead.
                let seen = std::mem::take(&mut self.seen);
                let mut tx = ::sqlx::Connection::begin_with(
                    &mut *self.conn,
                    ::sqlx::AssertSqlSafe($dialect.begin_write),
                )
                .await
                .map_err($crate::StoreError::internal)?;
                take_lock(&mut *tx, lock).await?;
                let version = data_version(&mut *tx).await?;
                // Each version is read in a transaction that sees every commit before it, so
                // three equal ones mean that nobody else committed in between.
                let unchanged = version.is_some() && seen == [version; 2];
                let (writes, wrote_ahead) = match ahead {
                    Some(writes) if unchanged => (writes, true),
                    _ => (decide(read_all(&mut *tx, reads).await?)?, false),
                };
                write_all(&mut *tx, writes).await?;
                tx.commit().await.map_err(|e| write_error(what, e))?;
                self.seen = [seen[1], version];
                Ok(wrote_ahead)
            }
        }

        #[::async_trait::async_trait]
        impl $crate::Store for $store {
            async fn close(&self) {
                self.pool.close().await;
            }

            fn backend(&self) -> &'static str {
                $name
            }

            async fn upsert(
                &self,
                table: &'static ::carepool_schema::Table,
                rows: &[::carepool_schema::Row],
                progress: &$crate::Progress,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self
                    .pool
                    .begin()
                    .await
                    .map_err($crate::StoreError::internal)?;
                $upsert_rows(&mut *tx, table, rows, progress).await?;
                tx.commit()
                    .await
                    .map_err(|e| write_error(table.singular, e))
            }

            async fn insert(
                &self,
                table: &'static ::carepool_schema::Table,
                row: &::carepool_schema::Row,
            ) -> Result<(), $crate::StoreError> {
                let sql = $dialect.insert(table, false);
                bind_row(::sqlx::query(::sqlx::AssertSqlSafe(sql)), table, row)
                    .execute(&self.pool)
                    .await
                    .map_err(|e| write_error(table.singular, e))?;
                Ok(())
            }

            async fn update(
                &self,
                table: &'static ::carepool_schema::Table,
                row: &::carepool_schema::Row,
            ) -> Result<(), $crate::StoreError> {
                let query = bind_row(
                    ::sqlx::query(::sqlx::AssertSqlSafe($dialect.update(table))),
                    table,
                    row,
                );
                let done = bind_key(query, table, &table.key_of(row))
                    .execute(&self.pool)
                    .await
                    .map_err(|e| write_error(table.singular, e))?;
                if done.rows_affected() == 0 {
                    return Err($crate::StoreError::NotFound {
                        what: table.singular,
                        key: table.key_text(row),
                    });
                }
                Ok(())
            }

            async fn get(
                &self,
                table: &'static ::carepool_schema::Table,
                key: &[::carepool_schema::Value],
            ) -> Result<Option<::carepool_schema::Row>, $crate::StoreError> {
                let query = bind_key(
                    ::sqlx::query(::sqlx::AssertSqlSafe($dialect.select_by_key(table))),
                    table,
                    key,
                );
                let row = query
                    .fetch_optional(&self.pool)
                    .await
                    .map_err($crate::StoreError::internal)?;
                row.map(|r| read_row(table, &r)).transpose()
            }

            async fn list(
                &self,
                table: &'static ::carepool_schema::Table,
                list: &$crate::ListQuery,
            ) -> Result<Vec<::carepool_schema::Row>, $crate::StoreError> {
                let mut conn = self
                    .pool
                    .acquire()
                    .await
                    .map_err($crate::StoreError::internal)?;
                select_list(&mut *conn, table, list).await
            }

            async fn rows_where_in(
                &self,
                table: &'static ::carepool_schema::Table,
                column: usize,
                values: &[String],
            ) -> Result<Vec<::carepool_schema::Row>, $crate::StoreError> {
                let mut conn = self
                    .pool
                    .acquire()
                    .await
                    .map_err($crate::StoreError::internal)?;
                $select_where_in(&mut *conn, table, &every_column(table), column, values).await
            }

            async fn write_locked(
                &self,
                what: &'static str,
                lock: &$crate::Lock,
                reads: &$crate::LockedReads,
                decide: &mut $crate::Decide<'_>,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self
                    .pool
                    .begin_with($dialect.begin_write)
                    .await
                    .map_err($crate::StoreError::internal)?;
                take_lock(&mut *tx, lock).await?;
                let read = read_all(&mut *tx, reads).await?;
                write_all(&mut *tx, decide(read)?).await?;
                tx.commit().await.map_err(|e| write_error(what, e))
            }

            async fn write_run(&self) -> Result<Box<dyn $crate::WriteRun>, $crate::StoreError> {
                Ok(Box::new(HeldWriteRun::start(self).await?))
            }

            async fn project(
                &self,
                table: &'static ::carepool_schema::Table,
                columns: &[usize],
                filters: &[(usize, ::carepool_schema::Value)],
            ) -> Result<Vec<::carepool_schema::Row>, $crate::StoreError> {
                let mut conn = self
                    .pool
                    .acquire()
                    .await
                    .map_err($crate::StoreError::internal)?;
                $select_projected(&mut *conn, table, columns, filters).await
            }

            async fn project_each(
                &self,
                table: &'static ::carepool_schema::Table,
                columns: &[usize],
                filters: &[(usize, ::carepool_schema::Value)],
                each: &mut (dyn FnMut(::carepool_schema::Row) + Send),
            ) -> Result<(), $crate::StoreError> {
                use $crate::futures_util::TryStreamExt;
                let filter_columns: Vec<usize> = filters.iter().map(|(c, _)| *c).collect();
                let sql = $dialect.project(table, columns, &filter_columns);
                let query = filters.iter().fold(
                    ::sqlx::query(::sqlx::AssertSqlSafe(sql)),
                    |q, (c, value)| bind(q, value, table.columns[*c].ty),
                );
                let mut rows = query.fetch(&self.pool);
                while let Some(row) = rows
                    .try_next()
                    .await
                    .map_err($crate::StoreError::internal)?
                {
                    each(read_columns(
                        columns.iter().map(|&i| &table.columns[i]),
                        &row,
                    )?);
                }
                Ok(())
            }

            async fn existing_keys(
                &self,
                table: &'static ::carepool_schema::Table,
                keys: &[String],
            ) -> Result<::std::collections::HashSet<String>, $crate::StoreError> {
                let mut conn = self
                    .pool
                    .acquire()
                    .await
                    .map_err($crate::StoreError::internal)?;
                let key = table.key[0];
                $select_where_in(&mut *conn, table, &[key], key, keys)
                    .await?
                    .into_iter()
                    .map(|row| match row.into_iter().next() {
                        Some(::carepool_schema::Value::Text(found)) => Ok(found.into_string()),
                        other => Err($crate::StoreError::Internal(
                            format!("{}: a key read back as {other:?}", table.name).into(),
                        )),
                    })
                    .collect()
            }

            async fn scheme_versions(
                &self,
                code: &str,
            ) -> Result<Vec<$crate::StoredSchemeVersion>, $crate::StoreError> {
                let rows = ::sqlx::query(::sqlx::AssertSqlSafe($dialect.select_scheme_versions()))
                    .bind(code)
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::StoreError::internal)?;
                rows.iter()
                    .map(|r| {
                        Ok($crate::StoredSchemeVersion {
                            code: r.try_get(0)?,
                            effective_from: r.try_get(1)?,
                            definition: r.try_get(2)?,
                            loaded_at: r.try_get(3)?,
                        })
                    })
                    .collect::<Result<_, ::sqlx::Error>>()
                    .map_err($crate::StoreError::internal)
            }

            async fn scheme_codes(&self) -> Result<Vec<String>, $crate::StoreError> {
                ::sqlx::query_scalar("SELECT code FROM schemes ORDER BY code")
                    .fetch_all(&self.pool)
                    .await
                    .map_err($crate::StoreError::internal)
            }

            async fn add_scheme_version(
                &self,
                version: &$crate::StoredSchemeVersion,
            ) -> Result<(), $crate::StoreError> {
                let mut tx = self
                    .pool
                    .begin()
                    .await
                    .map_err($crate::StoreError::internal)?;
                ::sqlx::query(::sqlx::AssertSqlSafe($dialect.insert_scheme()))
                    .bind(&version.code)
                    .execute(&mut *tx)
                    .await
                    .map_err($crate::StoreError::internal)?;
                ::sqlx::query(::sqlx::AssertSqlSafe($dialect.insert_scheme_version()))
                    .bind(&version.code)
                    .bind(version.effective_from)
                    .bind(&version.definition)
                    .bind(&version.loaded_at)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| match write_error("scheme version", e) {
                        $crate::StoreError::Conflict(_) => $crate::StoreError::Conflict(format!(
                            "scheme {} already has a version effective from {}",
                            version.code, version.effective_from
                        )),
                        other => other,
                    })?;
                tx.commit().await.map_err($crate::StoreError::internal)
            }

            async fn live_schema(&self) -> Result<$crate::LiveSchema, $crate::StoreError> {
                $live_schema(&self.pool).await
            }
        }
    };
}
