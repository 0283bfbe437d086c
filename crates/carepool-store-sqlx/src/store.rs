//! One body of a sqlx-backed [`Store`](carepool_store::Store), shared by the SQLite and
//! PostgreSQL backends: the [`sqlx_store!`] macro, expanded in each backend crate over the
//! backend's [`SqlxBackend`](crate::SqlxBackend) implementation.
//!
//! Generic code over `sqlx::Database` needs a wall of trait bounds for every bind and read; one
//! macro body, expanded with each backend's concrete types, keeps a single copy of the logic.

/// Implements [`Store`](carepool_store::Store) for `$store`, which implements
/// [`SqlxBackend`](crate::SqlxBackend) (its database, dialect and ways of moving many rows) and
/// has a `pool: sqlx::Pool<Db>` and a `write_runs: WriteRunTurns` field.
///
/// Everything the macro makes lives in a module `sqlx_store` of the calling crate, which the
/// backend's own code may use: `Db` (its database), `Connection`, `Query` (a query being
/// bound), `bind(query, value, column_type)` (a value bound as its column's type, null typed),
/// `read_columns(columns, row)` (a row read by the columns' types: the backend's row codec)
/// and `write_error(table, error)` (the database's refusals as messages about the table's
/// rows, in carepool's words). The
/// calling crate depends on `sqlx` (with `chrono`), `chrono` and `async-trait`.
#[macro_export]
macro_rules! sqlx_store {
    ($store:ident) => {
        pub(crate) mod sqlx_store {
        use ::sqlx::Row as _;
        use super::$store;

        /// The backend's database.
        pub(crate) type Db = <$store as $crate::SqlxBackend>::Db;
        const DIALECT: $crate::sql::Dialect = <$store as $crate::SqlxBackend>::DIALECT;

        /// A query being bound.
        pub(crate) type Query<'q> = ::sqlx::query::Query<'q, Db, <Db as ::sqlx::Database>::Arguments>;

        /// Binds a value as its column's type, so that a null is a typed null.
        pub(crate) fn bind<'q>(
            query: Query<'q>,
            value: &::carepool_schema::Value,
            ty: ::carepool_schema::ColumnType,
        ) -> Query<'q> {
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
            query: Query<'q>,
            table: &::carepool_schema::Table,
            row: &[::carepool_schema::Value],
        ) -> Query<'q> {
            table
                .columns
                .iter()
                .zip(row)
                .fold(query, |q, (column, value)| bind(q, value, column.ty))
        }

        fn bind_key<'q>(
            query: Query<'q>,
            table: &::carepool_schema::Table,
            key: &[::carepool_schema::Value],
        ) -> Query<'q> {
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
            row: &<Db as ::sqlx::Database>::Row,
        ) -> Result<::carepool_schema::Row, ::carepool_store::StoreError> {
            read_columns(table.columns.iter(), row)
        }

        /// The row's values as the columns declare them, decoded without asking sqlx to check
        /// each value's type against the column's (5% of a national indicators run's CPU). A
        /// value of another type would then be misread, not refused: what keeps this sound is
        /// that carepool's hand-written migrations make exactly the declared types, which
        /// `the_migrations_make_the_declared_tables` checks on both backends.
        pub(crate) fn read_columns<'c>(
            columns: impl ExactSizeIterator<Item = &'c ::carepool_schema::Column>,
            row: &<Db as ::sqlx::Database>::Row,
        ) -> Result<::carepool_schema::Row, ::carepool_store::StoreError> {
            // Sized to its columns once (a vector collected from results grows as it goes).
            let mut read = Vec::with_capacity(columns.len());
            for (i, column) in columns.enumerate() {
                let value = match column.ty {
                    ::carepool_schema::ColumnType::Text
                    | ::carepool_schema::ColumnType::List => row
                        // Borrowed: a short text (an id, a code) is then kept inline
                        // without ever being allocated.
                        .try_get_unchecked::<Option<&str>, _>(i)
                        .map(|v| v.map(|s| ::carepool_schema::Value::Text(s.into()))),
                    ::carepool_schema::ColumnType::Integer
                    | ::carepool_schema::ColumnType::Money => row
                        .try_get_unchecked::<Option<i64>, _>(i)
                        .map(|v| v.map(::carepool_schema::Value::Integer)),
                    ::carepool_schema::ColumnType::Real => row
                        .try_get_unchecked::<Option<f64>, _>(i)
                        .map(|v| v.map(::carepool_schema::Value::Real)),
                    ::carepool_schema::ColumnType::Date => row
                        .try_get_unchecked::<Option<::chrono::NaiveDate>, _>(i)
                        .map(|v| v.map(::carepool_schema::Value::Date)),
                };
                read.push(
                    value
                        .map(|v| v.unwrap_or(::carepool_schema::Value::Null))
                        .map_err(::carepool_store::StoreError::internal)?,
                );
            }
            Ok(read)
        }

        /// Turns the database's refusals of a write to `table` into messages about the data, in
        /// carepool's words (no database text reaches a client); everything else is internal.
        pub(crate) fn write_error(
            table: &'static ::carepool_schema::Table,
            error: ::sqlx::Error,
        ) -> ::carepool_store::StoreError {
            if let ::sqlx::Error::Database(db) = &error {
                if met_another_writer(db.as_ref()) {
                    return met_another_writer_error();
                }
                match db.kind() {
                    ::sqlx::error::ErrorKind::UniqueViolation => {
                        let naming = db.constraint().unwrap_or_else(|| db.message());
                        return ::carepool_store::StoreError::duplicate(table, naming);
                    }
                    ::sqlx::error::ErrorKind::ForeignKeyViolation => {
                        return ::carepool_store::StoreError::dangling(table.singular);
                    }
                    _ => {}
                }
            }
            ::carepool_store::StoreError::internal(error)
        }

        /// The same for a commit of `what`, which may touch several tables.
        pub(crate) fn commit_error(what: &str, error: ::sqlx::Error) -> ::carepool_store::StoreError {
            if let ::sqlx::Error::Database(db) = &error {
                if met_another_writer(db.as_ref()) {
                    return met_another_writer_error();
                }
                match db.kind() {
                    ::sqlx::error::ErrorKind::UniqueViolation => {
                        return ::carepool_store::StoreError::Conflict(format!(
                            "the {what} conflicts with a stored row"
                        ));
                    }
                    ::sqlx::error::ErrorKind::ForeignKeyViolation => {
                        return ::carepool_store::StoreError::dangling(what);
                    }
                    _ => {}
                }
            }
            ::carepool_store::StoreError::internal(error)
        }

        /// A transaction undone by PostgreSQL because it and another waited for each other's rows
        /// (deadlock, 40P01) or could not be ordered with another (serialization failure,
        /// 40001): nothing of it was written, and sent again it goes through.
        fn met_another_writer(db: &dyn ::sqlx::error::DatabaseError) -> bool {
            matches!(db.code().as_deref(), Some("40P01" | "40001"))
        }

        fn met_another_writer_error() -> ::carepool_store::StoreError {
            ::carepool_store::StoreError::Conflict(
                "another writer was changing the same rows at the same time: nothing was \
                 written; try again"
                    .into(),
            )
        }

        /// Refreshes the planner's statistics of `table` after many rows were written to it in
        /// this transaction (see [`ANALYZED_AFTER_ROWS`]($crate::sql::ANALYZED_AFTER_ROWS)),
        /// where the backend keeps them by hand.
        async fn analyze(
            conn: &mut Connection,
            table: &::carepool_schema::Table,
        ) -> Result<(), ::carepool_store::StoreError> {
            if let Some(sql) = DIALECT.analyze(table) {
                ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                    .execute(conn)
                    .await
                    .map_err(::carepool_store::StoreError::internal)?;
            }
            Ok(())
        }

        /// A connection of the backend's database.
        pub(crate) type Connection = <Db as ::sqlx::Database>::Connection;

        async fn select_list(
            conn: &mut Connection,
            table: &'static ::carepool_schema::Table,
            list: &::carepool_store::ListQuery,
        ) -> Result<Vec<::carepool_schema::Row>, ::carepool_store::StoreError> {
            let mut query = ::sqlx::query(::sqlx::AssertSqlSafe(DIALECT.list(table, list)));
            for (column, value) in &list.filters {
                query = bind(query, value, table.columns[*column].ty);
            }
            let within = list.within.iter().filter(|w| !w.path.is_empty());
            for place in within.flat_map(|w| &w.places) {
                let place = ::carepool_schema::Value::Text(place.as_str().into());
                query = bind(query, &place, ::carepool_schema::ColumnType::Text);
            }
            if let Some(after) = &list.after {
                query = bind_key(query, table, after);
            }
            // Each row read as it comes: the database's rows are never all held beside ours (a
            // payment run lists a month's claims).
            let mut stream = query.fetch(&mut *conn);
            let mut rows = Vec::new();
            while let Some(row) = $crate::futures_util::TryStreamExt::try_next(&mut stream)
                .await
                .map_err(::carepool_store::StoreError::internal)?
            {
                rows.push(read_row(table, &row)?);
            }
            Ok(rows)
        }

        /// What the statements of a [`::carepool_store::Store::project_page`] read.
        struct PageQuery<'p> {
            table: &'static ::carepool_schema::Table,
            columns: &'p [usize],
            filters: &'p [(usize, ::carepool_schema::Value)],
            order: usize,
        }

        impl PageQuery<'_> {
            /// At most `limit` rows whose `order` is null (`nulls`) or the others, after
            /// `bounds` (none, the key, or the value of `order` and the key).
            async fn read(
                &self,
                conn: &mut Connection,
                nulls: bool,
                bounds: &[&str],
                limit: usize,
            ) -> Result<Vec<::carepool_schema::Row>, ::carepool_store::StoreError> {
                let filter_columns: Vec<usize> = self.filters.iter().map(|(c, _)| *c).collect();
                let page = $crate::sql::Page {
                    table: self.table,
                    columns: self.columns,
                    filters: &filter_columns,
                    order: self.order,
                    limit,
                };
                let sql = DIALECT.project_page(&page, nulls, !bounds.is_empty());
                let bounds: Vec<::carepool_schema::Value> = (bounds.iter())
                    .map(|bound| ::carepool_schema::Value::Text((*bound).into()))
                    .collect();
                let filters = (self.filters.iter())
                    .map(|(column, value)| (value, self.table.columns[*column].ty));
                let text = ::carepool_schema::ColumnType::Text;
                let binds: Vec<_> = filters.chain(bounds.iter().map(|b| (b, text))).collect();
                let mut rows = Vec::new();
                <$store as $crate::SqlxBackend>::select_each_row(
                    conn, self.table, self.columns, &sql, &binds, &mut |row| rows.push(row),
                )
                .await?;
                Ok(rows)
            }

            /// The page of at most `limit` rows from `start`: the nulls first, then the others.
            async fn page(
                &self,
                conn: &mut Connection,
                start: &::carepool_store::PageStart,
                limit: usize,
            ) -> Result<Vec<::carepool_schema::Row>, ::carepool_store::StoreError> {
                use ::carepool_store::PageStart;
                // Where the nulls start, unless the page starts past them; where the others do.
                let (nulls_after, values_after) = match start {
                    PageStart::First => (Some(vec![]), vec![]),
                    PageStart::AfterNull(key) => (Some(vec![key.as_str()]), vec![]),
                    PageStart::After(value, key) => (None, vec![value.as_str(), key.as_str()]),
                };
                let mut page = Vec::new();
                if let Some(bounds) = nulls_after {
                    page = self.read(&mut *conn, true, &bounds, limit).await?;
                }
                if page.len() < limit {
                    let rest = limit - page.len();
                    page.extend(self.read(&mut *conn, false, &values_after, rest).await?);
                }
                Ok(page)
            }
        }

        async fn take_lock(
            conn: &mut Connection,
            lock: &::carepool_store::Lock,
        ) -> Result<(), ::carepool_store::StoreError> {
            let all_claims = match lock {
                ::carepool_store::Lock::Families(ids) => {
                    <$store as $crate::SqlxBackend>::lock_families(&mut *conn, ids).await?;
                    false
                }
                ::carepool_store::Lock::Nothing => false,
                ::carepool_store::Lock::AllClaims => true,
                ::carepool_store::Lock::FamiliesAndAllClaims(ids) => {
                    <$store as $crate::SqlxBackend>::lock_families(&mut *conn, ids).await?;
                    true
                }
            };
            if all_claims
                && let Some(sql) = DIALECT.lock_table(&::carepool_schema::claim_tables::CLAIMS)
            {
                ::sqlx::query(::sqlx::AssertSqlSafe(sql))
                    .execute(&mut *conn)
                    .await
                    .map_err(::carepool_store::StoreError::internal)?;
            }
            Ok(())
        }

        /// Reads each of `reads`, in order: those by a column's values all at once (one round
        /// trip to SQLite's worker thread instead of one each), then the lists.
        async fn read_all(
            conn: &mut Connection,
            reads: &::carepool_store::LockedReads,
        ) -> Result<::carepool_store::ReadRows, ::carepool_store::StoreError> {
            let columns: Vec<Vec<usize>> = reads.as_slice().iter().map(|spec| match spec {
                ::carepool_store::Read::WhereIn { table, .. } => every_column(table),
                ::carepool_store::Read::List { .. }
                | ::carepool_store::Read::Projected { .. }
                | ::carepool_store::Read::Page { .. } => Vec::new(),
            }).collect();
            let where_in: Vec<$crate::WhereIn<'_>> = reads
                .as_slice()
                .iter()
                .zip(&columns)
                .filter_map(|(spec, columns)| match spec {
                    ::carepool_store::Read::WhereIn { table, column, values } => Some($crate::WhereIn {
                        table,
                        columns,
                        column: *column,
                        values,
                        in_key_order: true,
                        sharing: None,
                    }),
                    ::carepool_store::Read::List { .. }
                    | ::carepool_store::Read::Projected { .. }
                    | ::carepool_store::Read::Page { .. } => None,
                })
                .collect();
            let mut found = <$store as $crate::SqlxBackend>::select_where_in(&mut *conn, &where_in)
                .await?
                .into_iter();
            let mut read = Vec::with_capacity(reads.as_slice().len());
            for spec in reads.as_slice() {
                read.push(match spec {
                    ::carepool_store::Read::WhereIn { .. } => found.next().ok_or_else(read_lost)?,
                    ::carepool_store::Read::List { table, query } => {
                        select_list(&mut *conn, table, query).await?
                    }
                    ::carepool_store::Read::Projected { table, columns, filters } => {
                        <$store as $crate::SqlxBackend>::select_projected(&mut *conn, table, columns, filters)
                            .await?
                    }
                    ::carepool_store::Read::Page { table, columns, filters, order, start, limit } => {
                        (PageQuery { table, columns, filters, order: *order })
                            .page(&mut *conn, start, *limit)
                            .await?
                    }
                });
            }
            Ok(::carepool_store::ReadRows::new(read))
        }

        /// A connection of the pool, for one read or one run of writes.
        async fn connection(
            pool: &::sqlx::Pool<Db>,
        ) -> Result<::sqlx::pool::PoolConnection<Db>, ::carepool_store::StoreError> {
            pool.acquire().await.map_err(::carepool_store::StoreError::internal)
        }

        /// Every column of the rows whose text `column` holds one of `values` (or that share the
        /// `sharing` column with one of those), on a connection of its own.
        async fn whole_rows_where_in(
            pool: &::sqlx::Pool<Db>,
            table: &'static ::carepool_schema::Table,
            column: usize,
            values: &[String],
            in_key_order: bool,
            sharing: Option<usize>,
        ) -> Result<Vec<::carepool_schema::Row>, ::carepool_store::StoreError> {
            let mut conn = connection(pool).await?;
            select_where_in_one(&mut *conn, $crate::WhereIn {
                table,
                columns: &every_column(table),
                column,
                values,
                in_key_order,
                sharing,
            })
            .await
        }

        /// The rows one read by a column's values finds (each once, for a read sharing a
        /// column).
        async fn select_where_in_one(
            conn: &mut Connection,
            read: $crate::WhereIn<'_>,
        ) -> Result<Vec<::carepool_schema::Row>, ::carepool_store::StoreError> {
            let found = <$store as $crate::SqlxBackend>::select_where_in(conn, &[read]).await?;
            let found = found.into_iter().next().ok_or_else(read_lost)?;
            Ok(read.each_row_once(found))
        }

        /// A backend that answered fewer reads than it was asked.
        fn read_lost() -> ::carepool_store::StoreError {
            ::carepool_store::StoreError::Internal("a read by a column's values went unanswered".into())
        }

        /// A run of locked writes on one connection, held (out of the pool) for the run.
        struct HeldWriteRun {
            _turn: ::carepool_store::WriteRunTurn,
            conn: ::sqlx::pool::PoolConnection<Db>,
            /// Where the history of commits stood (see `SqlxBackend::commit_mark`) at the last
            /// two points since which `ahead` may have been read, the older first: the run's
            /// start, then each write's lock. None after a failed write.
            seen: [Option<$crate::CommitMark>; 2],
            /// Whether the store judges ahead; if not, no marks are taken.
            judges_ahead: bool,
            /// The lock of the write before, if it committed: what it wrote may be what a write
            /// decided ahead should have read.
            locked_last: Option<::carepool_store::Lock>,
        }

        impl HeldWriteRun {
            async fn start(store: &$store) -> Result<HeldWriteRun, ::carepool_store::StoreError> {
                let turn = store.write_runs.take().await;
                let mut conn = connection(&store.pool).await?;
                let judges_ahead = <$store as $crate::SqlxBackend>::judges_ahead(store);
                let mark = match judges_ahead {
                    true => <$store as $crate::SqlxBackend>::commit_mark(&mut *conn, false).await?,
                    false => None,
                };
                Ok(HeldWriteRun {
                    _turn: turn,
                    conn,
                    judges_ahead,
                    seen: [mark.clone(), mark],
                    locked_last: None,
                })
            }
        }

        #[::async_trait::async_trait]
        impl ::carepool_store::WriteRun for HeldWriteRun {
            fn judges_ahead(&self) -> bool {
                self.judges_ahead
            }

            async fn write(
                &mut self,
                what: &'static str,
                lock: &::carepool_store::Lock,
                reads: &::carepool_store::LockedReads,
                ahead: Option<::carepool_store::Writes>,
                decide: &mut ::carepool_store::Decide<'_>,
            ) -> Result<bool, ::carepool_store::StoreError> {
                // Forgotten until this write commits: after a failure nothing is written ahead.
                let seen = std::mem::take(&mut self.seen);
                let after_other_families = !(self.locked_last.take())
                    .is_some_and(|last| last.shares_with(lock));
                let mut tx = ::sqlx::Connection::begin_with(
                    &mut *self.conn,
                    ::sqlx::AssertSqlSafe(DIALECT.begin_write),
                )
                .await
                .map_err(::carepool_store::StoreError::internal)?;
                take_lock(&mut *tx, lock).await?;
                let mark = match self.judges_ahead {
                    true => <$store as $crate::SqlxBackend>::commit_mark(&mut *tx, true).await?,
                    false => None,
                };
                let unchanged = mark
                    .as_ref()
                    .is_some_and(|mark| mark.nobody_else_committed_since(&seen));
                let (writes, wrote_ahead) = match ahead {
                    Some(writes) if unchanged && after_other_families => (writes, true),
                    _ => (decide(read_all(&mut *tx, reads).await?)?, false),
                };
                <$store as $crate::SqlxBackend>::write_rows(&mut *tx, writes).await?;
                tx.commit().await.map_err(|e| commit_error(what, e))?;
                let [_, previous] = seen;
                self.seen = [previous, mark];
                self.locked_last = Some(lock.clone());
                Ok(wrote_ahead)
            }
        }

        #[::async_trait::async_trait]
        impl ::carepool_store::Store for $store {
            async fn close(&self) {
                self.pool.close().await;
                self.probe.close().await;
            }

            async fn ping(&self) -> Result<(), ::carepool_store::StoreError> {
                ::sqlx::query("SELECT 1")
                    .execute(&self.probe)
                    .await
                    .map(drop)
                    .map_err(::carepool_store::StoreError::internal)
            }

            fn connections(&self) -> ::carepool_store::Connections {
                ::carepool_store::Connections {
                    open: self.pool.size(),
                    idle: u32::try_from(self.pool.num_idle()).unwrap_or(u32::MAX),
                    max: self.pool.options().get_max_connections(),
                }
            }

            fn backend(&self) -> &'static str {
                <$store as $crate::SqlxBackend>::NAME
            }

            fn locked_writes_at_once(&self) -> usize {
                <$store as $crate::SqlxBackend>::LOCKED_WRITES_AT_ONCE
            }

            async fn upsert(
                &self,
                table: &'static ::carepool_schema::Table,
                rows: &[::carepool_schema::Row],
                progress: &::carepool_store::Progress,
            ) -> Result<(), ::carepool_store::StoreError> {
                let mut tx = self
                    .pool
                    .begin_with(DIALECT.begin_write)
                    .await
                    .map_err(::carepool_store::StoreError::internal)?;
                <$store as $crate::SqlxBackend>::upsert_rows(&mut *tx, table, rows, progress).await?;
                if rows.len() >= $crate::sql::ANALYZED_AFTER_ROWS {
                    analyze(&mut *tx, table).await?;
                }
                tx.commit()
                    .await
                    .map_err(|e| commit_error(table.singular, e))
            }

            async fn insert(
                &self,
                table: &'static ::carepool_schema::Table,
                row: &::carepool_schema::Row,
            ) -> Result<(), ::carepool_store::StoreError> {
                let sql = DIALECT.insert(table, false);
                bind_row(::sqlx::query(::sqlx::AssertSqlSafe(sql)), table, row)
                    .execute(&self.pool)
                    .await
                    .map_err(|e| write_error(table, e))?;
                Ok(())
            }

            async fn update(
                &self,
                table: &'static ::carepool_schema::Table,
                row: &::carepool_schema::Row,
            ) -> Result<(), ::carepool_store::StoreError> {
                let query = bind_row(
                    ::sqlx::query(::sqlx::AssertSqlSafe(DIALECT.update(table))),
                    table,
                    row,
                );
                let done = bind_key(query, table, &table.key_of(row))
                    .execute(&self.pool)
                    .await
                    .map_err(|e| write_error(table, e))?;
                if done.rows_affected() == 0 {
                    return Err(::carepool_store::StoreError::NotFound {
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
            ) -> Result<Option<::carepool_schema::Row>, ::carepool_store::StoreError> {
                let query = bind_key(
                    ::sqlx::query(::sqlx::AssertSqlSafe(DIALECT.select_by_key(table))),
                    table,
                    key,
                );
                let row = query
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(::carepool_store::StoreError::internal)?;
                row.map(|r| read_row(table, &r)).transpose()
            }

            async fn list(
                &self,
                table: &'static ::carepool_schema::Table,
                list: &::carepool_store::ListQuery,
            ) -> Result<Vec<::carepool_schema::Row>, ::carepool_store::StoreError> {
                let mut conn = connection(&self.pool).await?;
                select_list(&mut *conn, table, list).await
            }

            async fn rows_where_in(
                &self,
                table: &'static ::carepool_schema::Table,
                column: usize,
                values: &[String],
            ) -> Result<Vec<::carepool_schema::Row>, ::carepool_store::StoreError> {
                whole_rows_where_in(&self.pool, table, column, values, true, None).await
            }

            async fn rows_sharing(
                &self,
                table: &'static ::carepool_schema::Table,
                shared: usize,
                column: usize,
                values: &[String],
            ) -> Result<Vec<::carepool_schema::Row>, ::carepool_store::StoreError> {
                whole_rows_where_in(&self.pool, table, column, values, true, Some(shared)).await
            }

            async fn rows_where_in_any_order(
                &self,
                table: &'static ::carepool_schema::Table,
                column: usize,
                values: &[String],
            ) -> Result<Vec<::carepool_schema::Row>, ::carepool_store::StoreError> {
                whole_rows_where_in(&self.pool, table, column, values, false, None).await
            }

            async fn rows_in_range(
                &self,
                table: &'static ::carepool_schema::Table,
                columns: &[usize],
                column: usize,
                first: &str,
                last: &str,
            ) -> Result<Vec<::carepool_schema::Row>, ::carepool_store::StoreError> {
                let conn = connection(&self.pool).await?;
                <$store as $crate::SqlxBackend>::select_in_range(
                    conn, table, columns, column, first, last,
                )
                .await
            }

            async fn write_locked_in_steps(
                &self,
                what: &'static str,
                lock: &::carepool_store::Lock,
                first: &::carepool_store::LockedReads,
                decide: &mut ::carepool_store::DecideStep<'_>,
            ) -> Result<(), ::carepool_store::StoreError> {
                let mut tx = self
                    .pool
                    .begin_with(DIALECT.begin_write)
                    .await
                    .map_err(::carepool_store::StoreError::internal)?;
                take_lock(&mut *tx, lock).await?;
                let mut read = read_all(&mut *tx, first).await?;
                loop {
                    let step = decide(read)?;
                    <$store as $crate::SqlxBackend>::write_rows(&mut *tx, step.writes).await?;
                    let Some(next) = step.next else { break };
                    read = read_all(&mut *tx, &next).await?;
                }
                tx.commit().await.map_err(|e| commit_error(what, e))
            }

            async fn write_in_parts(
                &self,
                what: &'static str,
                parts: &mut dyn ::carepool_store::WriteParts,
            ) -> Result<(), ::carepool_store::StoreError> {
                // The first part is made before a connection is taken: a receipt of one part
                // (a batch through the API) reads nothing while it holds one, so that writers
                // waiting for SQLite's lock, each holding a connection, leave it some to read on.
                let Some(first) = parts.next_part().await? else {
                    return Ok(());
                };
                let mut tx = self
                    .pool
                    .begin_with(DIALECT.begin_write)
                    .await
                    .map_err(::carepool_store::StoreError::internal)?;
                let mut writes = Some(first);
                let mut added = $crate::sql::AddedRows::default();
                while let Some(part) = writes {
                    added.count(&part);
                    <$store as $crate::SqlxBackend>::write_rows(&mut *tx, part).await?;
                    writes = parts.next_part().await?;
                }
                for table in added.worth_analyzing() {
                    analyze(&mut *tx, table).await?;
                }
                tx.commit().await.map_err(|e| commit_error(what, e))
            }

            async fn write_run(&self) -> Result<Box<dyn ::carepool_store::WriteRun>, ::carepool_store::StoreError> {
                Ok(Box::new(HeldWriteRun::start(self).await?))
            }

            async fn project(
                &self,
                table: &'static ::carepool_schema::Table,
                columns: &[usize],
                filters: &[(usize, ::carepool_schema::Value)],
            ) -> Result<Vec<::carepool_schema::Row>, ::carepool_store::StoreError> {
                let mut conn = connection(&self.pool).await?;
                <$store as $crate::SqlxBackend>::select_projected(&mut *conn, table, columns, filters).await
            }

            async fn project_each(
                &self,
                table: &'static ::carepool_schema::Table,
                columns: &[usize],
                filters: &[(usize, ::carepool_schema::Value)],
                each: &mut (dyn FnMut(::carepool_schema::Row) + Send),
            ) -> Result<(), ::carepool_store::StoreError> {
                let mut conn = connection(&self.pool).await?;
                <$store as $crate::SqlxBackend>::select_projected_each(
                    &mut *conn, table, columns, filters, each,
                )
                .await
            }

            async fn project_page(
                &self,
                table: &'static ::carepool_schema::Table,
                columns: &[usize],
                filters: &[(usize, ::carepool_schema::Value)],
                order: usize,
                start: &::carepool_store::PageStart,
                limit: usize,
            ) -> Result<Vec<::carepool_schema::Row>, ::carepool_store::StoreError> {
                let mut conn = connection(&self.pool).await?;
                (PageQuery { table, columns, filters, order })
                    .page(&mut *conn, start, limit)
                    .await
            }

            async fn existing_keys(
                &self,
                table: &'static ::carepool_schema::Table,
                keys: &[String],
            ) -> Result<::std::collections::HashSet<String>, ::carepool_store::StoreError> {
                let mut conn = connection(&self.pool).await?;
                let key = table.key[0];
                select_where_in_one(&mut *conn, $crate::WhereIn {
                    table,
                    columns: &[key],
                    column: key,
                    values: keys,
                    in_key_order: false,
                    sharing: None,
                })
                .await?
                    .into_iter()
                    .map(|row| match row.into_iter().next() {
                        Some(::carepool_schema::Value::Text(found)) => Ok(found.into_string()),
                        other => Err(::carepool_store::StoreError::Internal(
                            format!("{}: a key read back as {other:?}", table.name).into(),
                        )),
                    })
                    .collect()
            }

            async fn scheme_versions(
                &self,
                code: &str,
            ) -> Result<Vec<::carepool_store::StoredSchemeVersion>, ::carepool_store::StoreError> {
                let rows = ::sqlx::query(::sqlx::AssertSqlSafe(DIALECT.select_scheme_versions()))
                    .bind(code)
                    .fetch_all(&self.pool)
                    .await
                    .map_err(::carepool_store::StoreError::internal)?;
                rows.iter()
                    .map(|r| {
                        Ok(::carepool_store::StoredSchemeVersion {
                            code: r.try_get(0)?,
                            effective_from: r.try_get(1)?,
                            definition: r.try_get(2)?,
                            loaded_at: r.try_get(3)?,
                        })
                    })
                    .collect::<Result<_, ::sqlx::Error>>()
                    .map_err(::carepool_store::StoreError::internal)
            }

            async fn scheme_codes(&self) -> Result<Vec<String>, ::carepool_store::StoreError> {
                ::sqlx::query_scalar("SELECT code FROM schemes ORDER BY code")
                    .fetch_all(&self.pool)
                    .await
                    .map_err(::carepool_store::StoreError::internal)
            }

            async fn add_scheme_version(
                &self,
                version: &::carepool_store::StoredSchemeVersion,
                then: ::carepool_store::Writes,
            ) -> Result<(), ::carepool_store::StoreError> {
                let mut tx = self
                    .pool
                    .begin_with(DIALECT.begin_write)
                    .await
                    .map_err(::carepool_store::StoreError::internal)?;
                ::sqlx::query(::sqlx::AssertSqlSafe(DIALECT.insert_scheme()))
                    .bind(&version.code)
                    .execute(&mut *tx)
                    .await
                    .map_err(::carepool_store::StoreError::internal)?;
                ::sqlx::query(::sqlx::AssertSqlSafe(DIALECT.insert_scheme_version()))
                    .bind(&version.code)
                    .bind(version.effective_from)
                    .bind(&version.definition)
                    .bind(&version.loaded_at)
                    .execute(&mut *tx)
                    .await
                    .map_err(|e| match commit_error("scheme version", e) {
                        ::carepool_store::StoreError::Conflict(_) => ::carepool_store::StoreError::Conflict(format!(
                            "scheme {} already has a version effective from {}",
                            version.code, version.effective_from
                        )),
                        other => other,
                    })?;
                <$store as $crate::SqlxBackend>::write_rows(&mut *tx, then).await?;
                tx.commit().await.map_err(::carepool_store::StoreError::internal)
            }

            async fn live_schema(&self) -> Result<::carepool_store::LiveSchema, ::carepool_store::StoreError> {
                <$store as $crate::SqlxBackend>::live_schema(&self.pool).await
            }

            async fn snapshot(
                &self,
            ) -> Result<::std::sync::Arc<dyn ::carepool_store::Store>, ::carepool_store::StoreError> {
                let snapshot = <$store as $crate::SqlxBackend>::snapshot(self).await?;
                Ok(::std::sync::Arc::new(snapshot))
            }
        }
        }
    };
}
