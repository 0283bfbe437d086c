//! Many rows moved as one array per column (`UNNEST`, `= ANY`): one statement text per table
//! whatever the number of rows, so that a connection prepares it once and PostgreSQL plans it
//! once. Multi-row `VALUES` and `IN` lists made a new text for every count of rows, more than
//! sqlx keeps per connection: under the claims intake, most statements were parsed and planned
//! again each time.

use crate::POSTGRES;
use crate::sqlx_store::{Connection, Query, bind, read_columns, write_error};
use carepool_schema::tables::FAMILIES;
use carepool_schema::{ColumnType, Row, Table, Value};
use carepool_store::{Progress, StoreError, Write};
use carepool_store_sqlx::sql::Dialect;
use carepool_store_sqlx::{WhereIn, each_value_once};
use chrono::NaiveDate;

/// Inserts or replaces rows, a few thousand at a time (progress is told after each).
pub(crate) async fn upsert_rows(
    conn: &mut Connection,
    table: &'static Table,
    rows: &[Row],
    progress: &Progress,
) -> Result<(), StoreError> {
    let sql = upsert_sql(table);
    let every_column: Vec<usize> = (0..table.columns.len()).collect();
    let mut written = 0;
    for chunk in rows.chunks(POSTGRES.rows_per_statement(table)) {
        bind_columns(query(&sql), table, &every_column, chunk)?
            .execute(&mut *conn)
            .await
            .map_err(|e| write_error(table, e))?;
        written += chunk.len() as u64;
        progress(written);
    }
    Ok(())
}

/// Inserts new rows, many per statement; a key taken fails the write.
pub(crate) async fn insert_rows(
    conn: &mut Connection,
    table: &'static Table,
    rows: &[Row],
) -> Result<(), StoreError> {
    let sql = insert_sql(table, 1);
    let every_column: Vec<usize> = (0..table.columns.len()).collect();
    for chunk in rows.chunks(POSTGRES.rows_per_statement(table)) {
        bind_columns(query(&sql), table, &every_column, chunk)?
            .execute(&mut *conn)
            .await
            .map_err(|e| write_error(table, e))?;
    }
    Ok(())
}

/// Whole rows inserted (or upserted) in several tables by one statement: one round trip instead
/// of one a table, which is most of the time of a small locked write (a group of single claims
/// writes four or five tables). The foreign keys that join these tables are checked at commit,
/// so a line may come in the same statement as its claim.
pub(crate) struct Together<'w> {
    /// Each table, its rows, and whether they replace stored rows of the same key.
    writes: Vec<(&'static Table, &'w [Row], bool)>,
}

impl<'w> Together<'w> {
    /// The writes as one statement, if they are two or more whole-row inserts or upserts, each
    /// to a table of its own (a table's two writes in one statement would not see each other)
    /// and within one statement's rows; empty writes are left out.
    pub(crate) fn of(writes: &'w [Write]) -> Option<Together<'w>> {
        let mut together: Vec<(&'static Table, &'w [Row], bool)> = Vec::new();
        for write in writes {
            let (table, rows, upsert) = match write {
                Write::Insert(table, rows) => (*table, rows, false),
                Write::Upsert(table, rows) => (*table, rows, true),
                _ if write.row_count() == 0 => continue,
                _ => return None,
            };
            if rows.is_empty() {
                continue;
            }
            let again = together.iter().any(|(seen, ..)| seen.name == table.name);
            if again || rows.len() > POSTGRES.rows_per_statement(table) {
                return None;
            }
            together.push((table, rows, upsert));
        }
        (together.len() > 1).then_some(Together { writes: together })
    }

    /// The first write is the statement's own, the others `WITH`s in reverse order: PostgreSQL
    /// runs the statement's own write first, then its `WITH` writes last-named first, so the
    /// tables are written, and their rows locked, in the order of the writes, as they are one
    /// statement a table (two transactions locking the same rows in opposite orders would wait
    /// for each other).
    fn sql(&self) -> String {
        let mut first_bind = 1;
        let mut statements: Vec<String> = Vec::with_capacity(self.writes.len());
        for (table, _, upsert) in &self.writes {
            let mut statement = insert_sql(table, first_bind);
            if *upsert {
                statement += &POSTGRES.upsert_clause(table);
            }
            statements.push(statement);
            first_bind += table.columns.len();
        }
        let (first, after) = statements.split_first().expect("two writes or more");
        let named: Vec<String> = (after.iter().rev().enumerate())
            .map(|(n, statement)| format!("w{n} AS ({statement})"))
            .collect();
        format!("WITH {} {first}", named.join(", "))
    }

    pub(crate) async fn write(&self, conn: &mut Connection) -> Result<(), StoreError> {
        let sql = self.sql();
        let mut bound = query(&sql);
        for (table, rows, _) in &self.writes {
            let every_column: Vec<usize> = (0..table.columns.len()).collect();
            bound = bind_columns(bound, table, &every_column, rows)?;
        }
        match bound.execute(&mut *conn).await {
            Ok(_) => Ok(()),
            Err(error) => Err(write_error(self.table_named_by(&error), error)),
        }
    }

    /// The table an error names (PostgreSQL names it for a broken constraint), or the first.
    fn table_named_by(&self, error: &sqlx::Error) -> &'static Table {
        let named = match error {
            sqlx::Error::Database(db) => db.table(),
            _ => None,
        };
        (self.writes.iter())
            .map(|(table, ..)| *table)
            .find(|table| Some(table.name) == named)
            .unwrap_or(self.writes[0].0)
    }
}

/// Sets `columns` of stored rows found by key; a row not found fails the write.
pub(crate) async fn update_rows(
    conn: &mut Connection,
    table: &'static Table,
    columns: &[usize],
    rows: &[Row],
) -> Result<(), StoreError> {
    update_by_key(conn, table, columns, rows, RowShape::Whole).await
}

/// As [`update_rows`], from narrow rows: the key's values, then the columns'.
pub(crate) async fn set_rows(
    conn: &mut Connection,
    table: &'static Table,
    columns: &[usize],
    rows: &[Row],
) -> Result<(), StoreError> {
    carepool_store::check_narrow(table, columns, rows)?;
    update_by_key(conn, table, columns, rows, RowShape::KeyThenColumns).await
}

/// Where a row holds the values an update binds.
#[derive(Clone, Copy)]
enum RowShape {
    /// Every column of the table, at its place.
    Whole,
    /// The key's values, then those of the columns set, in order.
    KeyThenColumns,
}

async fn update_by_key(
    conn: &mut Connection,
    table: &'static Table,
    columns: &[usize],
    rows: &[Row],
    shape: RowShape,
) -> Result<(), StoreError> {
    let bound = table.key.iter().chain(columns).copied();
    // Each bound column with its place in a row.
    let placed: Vec<(usize, usize)> = match shape {
        RowShape::Whole => bound.map(|c| (c, c)).collect(),
        RowShape::KeyThenColumns => bound.enumerate().map(|(at, c)| (c, at)).collect(),
    };
    let sql = update_sql(table, columns);
    for chunk in rows.chunks(POSTGRES.rows_per_statement(table)) {
        let done = bind_arrays(query(&sql), table, placed.iter().copied(), chunk)?
            .execute(&mut *conn)
            .await
            .map_err(|e| write_error(table, e))?;
        if done.rows_affected() != chunk.len() as u64 {
            return Err(StoreError::NotFound {
                what: table.singular,
                key: format!(
                    "among {} rows to update ({} found)",
                    chunk.len(),
                    done.rows_affected()
                ),
            });
        }
    }
    Ok(())
}

/// `columns` of the rows whose text `column` holds one of `values` (or that share the `sharing`
/// column with one of those), in key order if asked (within each slice of values: a long list
/// is read a slice at a time, so that fewer rows are held twice at once, as sqlx hands them
/// over and as rows).
pub(crate) async fn select_where_in(
    conn: &mut Connection,
    read: &WhereIn<'_>,
) -> Result<Vec<Row>, StoreError> {
    let WhereIn {
        table,
        columns,
        values,
        ..
    } = *read;
    let sql = POSTGRES.rows_where_in_list(read);
    let values = each_value_once(values, POSTGRES.binds_per_statement);
    // PostgreSQL's text holds no NUL, so a value with one matches no stored row; sent, it would
    // fail the statement (a claim's member id sent with a NUL would answer 500, not "unknown").
    let storable: Vec<String>;
    let values = if values.iter().any(|v| v.contains('\0')) {
        storable = values
            .iter()
            .filter(|v| !v.contains('\0'))
            .cloned()
            .collect();
        &storable[..]
    } else {
        &values
    };
    let mut found = Vec::new();
    for slice in values.chunks(POSTGRES.binds_per_statement) {
        let rows = query(&sql)
            .bind(slice)
            .fetch_all(&mut *conn)
            .await
            .map_err(StoreError::internal)?;
        for row in &rows {
            found.push(read_columns(
                columns.iter().map(|&i| &table.columns[i]),
                row,
            )?);
        }
    }
    Ok(found)
}

/// `columns` of the rows a `SELECT` of them finds with `binds` bound in order, each handed to
/// `each` as it is read: a table of millions of rows is never held whole.
pub(crate) async fn select_each_row(
    conn: &mut Connection,
    table: &'static Table,
    columns: &[usize],
    sql: &str,
    binds: &[(&Value, ColumnType)],
    each: &mut (dyn FnMut(Row) + Send),
) -> Result<(), StoreError> {
    use futures_util::TryStreamExt;
    let mut rows = (binds.iter())
        .fold(query(sql), |q, (value, ty)| bind(q, value, *ty))
        .fetch(&mut *conn);
    while let Some(row) = rows.try_next().await.map_err(StoreError::internal)? {
        each(read_columns(
            columns.iter().map(|&i| &table.columns[i]),
            &row,
        )?);
    }
    Ok(())
}

/// Locks the families' rows until the transaction ends, in key order so that two writers never
/// wait on each other.
pub(crate) async fn lock_families(conn: &mut Connection, ids: &[String]) -> Result<(), StoreError> {
    let key = FAMILIES.columns[FAMILIES.key[0]].name;
    let sql = format!(
        "SELECT {key} FROM {} WHERE {key} = ANY($1) ORDER BY {key} FOR NO KEY UPDATE",
        FAMILIES.name
    );
    query(&sql)
        .bind(ids)
        .fetch_all(&mut *conn)
        .await
        .map_err(StoreError::internal)?;
    Ok(())
}

fn query(sql: &str) -> Query<'_> {
    sqlx::query(sqlx::AssertSqlSafe(sql))
}

/// `INSERT` of the rows in one array per column, as an upsert.
fn upsert_sql(table: &Table) -> String {
    insert_sql(table, 1) + &POSTGRES.upsert_clause(table)
}

/// `INSERT` of the rows bound as one array per column, the first bound as `$first_bind`.
fn insert_sql(table: &Table, first_bind: usize) -> String {
    let every_column: Vec<usize> = (0..table.columns.len()).collect();
    format!(
        "INSERT INTO {} ({}) SELECT * FROM {}",
        table.name,
        Dialect::column_list(table),
        unnest(table, &every_column, first_bind)
    )
}

/// `UPDATE` of `columns` in the rows found by key; binds one array per key column, then one per
/// column set.
fn update_sql(table: &Table, columns: &[usize]) -> String {
    let bound: Vec<usize> = table.key.iter().chain(columns).copied().collect();
    let names: Vec<&str> = bound.iter().map(|&c| table.columns[c].name).collect();
    let set: Vec<String> = columns
        .iter()
        .map(|&c| format!("{0} = v.{0}", table.columns[c].name))
        .collect();
    let matched: Vec<String> = Dialect::key_columns(table)
        .iter()
        .map(|name| format!("{}.{name} = v.{name}", table.name))
        .collect();
    format!(
        "UPDATE {} SET {} FROM {} AS v({}) WHERE {}",
        table.name,
        set.join(", "),
        unnest(table, &bound, 1),
        names.join(", "),
        matched.join(" AND ")
    )
}

/// `UNNEST` of one typed array parameter per column, `$first_bind` onwards.
fn unnest(table: &Table, columns: &[usize], first_bind: usize) -> String {
    let arrays: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(n, &c)| format!("${}::{}[]", first_bind + n, sql_type(table.columns[c].ty)))
        .collect();
    format!("UNNEST({})", arrays.join(", "))
}

fn sql_type(ty: ColumnType) -> &'static str {
    match ty {
        ColumnType::Text | ColumnType::List => "text",
        ColumnType::Integer | ColumnType::Money => "bigint",
        ColumnType::Real => "double precision",
        ColumnType::Date => "date",
    }
}

/// Binds `columns` of `rows`, one array each, in that order.
fn bind_columns<'q>(
    query: Query<'q>,
    table: &Table,
    columns: &[usize],
    rows: &'q [Row],
) -> Result<Query<'q>, StoreError> {
    bind_arrays(query, table, columns.iter().map(|&c| (c, c)), rows)
}

/// Binds an array of each column's values, held at its place in each row: (column, place).
fn bind_arrays<'q>(
    mut query: Query<'q>,
    table: &Table,
    placed: impl Iterator<Item = (usize, usize)>,
    rows: &'q [Row],
) -> Result<Query<'q>, StoreError> {
    for (column, at) in placed {
        query = match ColumnArray::gather(table, column, at, rows)? {
            ColumnArray::Text(values) => query.bind(values),
            ColumnArray::Integer(values) => query.bind(values),
            ColumnArray::Real(values) => query.bind(values),
            ColumnArray::Date(values) => query.bind(values),
        };
    }
    Ok(query)
}

/// One column of many rows, typed as the column is.
enum ColumnArray<'r> {
    Text(Vec<Option<&'r str>>),
    Integer(Vec<Option<i64>>),
    Real(Vec<Option<f64>>),
    Date(Vec<Option<NaiveDate>>),
}

impl<'r> ColumnArray<'r> {
    /// The values of `column` held at `at` in each row.
    fn gather(
        table: &Table,
        column: usize,
        at: usize,
        rows: &'r [Row],
    ) -> Result<Self, StoreError> {
        let ty = table.columns[column].ty;
        let cells = rows.iter().map(|row| &row[at]);
        let unexpected = |value: &Value| {
            StoreError::Internal(
                format!(
                    "{}.{} holds {ty:?} values, not {value:?}",
                    table.name, table.columns[column].name
                )
                .into(),
            )
        };
        Ok(match ty {
            ColumnType::Text | ColumnType::List => {
                ColumnArray::Text(typed(cells, unexpected, |v| match v {
                    Value::Text(text) => Some(text.as_str()),
                    _ => None,
                })?)
            }
            ColumnType::Integer | ColumnType::Money => {
                ColumnArray::Integer(typed(cells, unexpected, |v| match v {
                    Value::Integer(number) => Some(*number),
                    _ => None,
                })?)
            }
            ColumnType::Real => ColumnArray::Real(typed(cells, unexpected, |v| match v {
                Value::Real(number) => Some(*number),
                _ => None,
            })?),
            ColumnType::Date => ColumnArray::Date(typed(cells, unexpected, |v| match v {
                Value::Date(day) => Some(*day),
                _ => None,
            })?),
        })
    }
}

/// The cells as `T` (`pick` says which value is one), nulls as `None`.
fn typed<'r, T>(
    cells: impl Iterator<Item = &'r Value>,
    unexpected: impl Fn(&Value) -> StoreError,
    pick: impl Fn(&'r Value) -> Option<T>,
) -> Result<Vec<Option<T>>, StoreError> {
    cells
        .map(|value| match value {
            Value::Null => Ok(None),
            other => pick(other).map(Some).ok_or_else(|| unexpected(other)),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_schema::claim_tables::REFUNDS;
    use carepool_schema::scheme_tables::SCHEMES;
    use carepool_schema::tables::{COVERAGE, LOCATIONS, PROVIDERS};

    #[test]
    fn an_upsert_takes_one_array_per_column_whatever_the_count() {
        assert_eq!(
            upsert_sql(&LOCATIONS),
            "INSERT INTO locations (code, name, kind, parent_code, area) \
             SELECT * FROM UNNEST($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) \
             ON CONFLICT (code) DO UPDATE SET name = excluded.name, kind = excluded.kind, \
             parent_code = excluded.parent_code, area = excluded.area \
             WHERE (locations.name, locations.kind, locations.parent_code, locations.area) \
             IS DISTINCT FROM (excluded.name, excluded.kind, excluded.parent_code, excluded.area)"
        );
    }

    fn text(values: &[&str]) -> Row {
        values.iter().map(|v| Value::Text((*v).into())).collect()
    }

    fn location(code: &str) -> Row {
        let mut row = text(&[code, "Koumbia", "village"]);
        row.extend([Value::Null, Value::Text("rural".into())]);
        row
    }

    fn provider(code: &str, location: &str) -> Row {
        let mut row = text(&[code, "CSPS", "public", "primary", location]);
        row.extend([
            Value::Date(NaiveDate::from_ymd_opt(2025, 1, 1).unwrap()),
            Value::Null,
        ]);
        row
    }

    #[test]
    fn writes_to_several_tables_are_one_statement_binding_each_table_after_the_last() {
        let writes = vec![
            Write::Upsert(&LOCATIONS, vec![location("V1")]),
            Write::Insert(&REFUNDS, vec![]),
            Write::Insert(&PROVIDERS, vec![provider("P1", "V1")]),
        ];
        let sql = Together::of(&writes).expect("two tables").sql();
        let locations = upsert_sql(&LOCATIONS);
        let providers = "INSERT INTO providers (code, name, ownership, level, location_code, \
             empanelled_from, empanelled_to) SELECT * FROM UNNEST($6::text[], $7::text[], \
             $8::text[], $9::text[], $10::text[], $11::date[], $12::date[])";
        assert_eq!(sql, format!("WITH w0 AS ({providers}) {locations}"));
        let three = vec![
            Write::Upsert(&LOCATIONS, vec![location("V1")]),
            Write::Insert(&SCHEMES, vec![text(&["S1"])]),
            Write::Insert(&PROVIDERS, vec![provider("P1", "V1")]),
        ];
        let sql = Together::of(&three).expect("three tables").sql();
        let schemes = "INSERT INTO schemes (code) SELECT * FROM UNNEST($6::text[])";
        let providers = "INSERT INTO providers (code, name, ownership, level, location_code, \
             empanelled_from, empanelled_to) SELECT * FROM UNNEST($7::text[], $8::text[], \
             $9::text[], $10::text[], $11::text[], $12::date[], $13::date[])";
        assert_eq!(
            sql,
            format!("WITH w0 AS ({providers}), w1 AS ({schemes}) {locations}")
        );
    }

    #[test]
    fn writes_go_one_by_one_when_a_table_comes_twice_or_rows_are_updated() {
        let one = vec![Write::Insert(&PROVIDERS, vec![provider("P1", "V1")])];
        assert!(Together::of(&one).is_none());
        let twice = vec![
            Write::Insert(&LOCATIONS, vec![location("V1")]),
            Write::Upsert(&LOCATIONS, vec![location("V2")]),
        ];
        assert!(Together::of(&twice).is_none());
        let updated = vec![
            Write::Insert(&LOCATIONS, vec![location("V1")]),
            Write::Insert(&PROVIDERS, vec![provider("P1", "V1")]),
            Write::Update {
                table: &COVERAGE,
                columns: &[3],
                rows: vec![vec![Value::Null; 5]],
            },
        ];
        assert!(Together::of(&updated).is_none());
        let too_many = vec![
            Write::Insert(&LOCATIONS, vec![location("V1")]),
            Write::Insert(
                &PROVIDERS,
                vec![provider("P1", "V1"); POSTGRES.rows_per_statement(&PROVIDERS) + 1],
            ),
        ];
        assert!(Together::of(&too_many).is_none());
    }

    /// What one statement writes: a row and the row it refers to, together; a key taken in the
    /// second table is named as that table's, and nothing of the statement is kept.
    #[tokio::test]
    async fn a_statement_of_several_tables_writes_all_or_nothing_and_names_the_table_refused() {
        use carepool_store::{Lock, LockedReads, Store};
        let database = crate::testing::TestDatabase::create();
        let store = crate::PostgresStore::open(&database.url).await.unwrap();
        let write = |writes: Vec<Write>| {
            let mut once = Some(writes);
            let store = &store;
            async move {
                (store.write_locked("test", &Lock::Nothing, &LockedReads::default(), &mut |_| {
                    Ok(once.take().expect("decided once"))
                }))
                .await
            }
        };
        let get = |table: &'static Table, key: &str| {
            let key = [Value::Text(key.into())];
            let store = &store;
            async move { store.get(table, &key).await.unwrap() }
        };
        write(vec![
            Write::Upsert(&LOCATIONS, vec![location("V1")]),
            Write::Insert(&SCHEMES, vec![text(&["S1"])]),
            Write::Insert(&PROVIDERS, vec![provider("P1", "V1")]),
        ])
        .await
        .unwrap();
        assert_eq!(get(&PROVIDERS, "P1").await, Some(provider("P1", "V1")));
        assert_eq!(get(&SCHEMES, "S1").await, Some(text(&["S1"])));

        // A stored row replaced by an upsert that is not the statement's own write.
        let mut renamed = location("V1");
        renamed[1] = Value::Text("Koumbia-Centre".into());
        write(vec![
            Write::Insert(&SCHEMES, vec![text(&["S2"])]),
            Write::Upsert(&LOCATIONS, vec![renamed.clone()]),
        ])
        .await
        .unwrap();
        assert_eq!(get(&LOCATIONS, "V1").await, Some(renamed));

        // A key taken in the statement's own write, in one of its `WITH`s, in two of them.
        for (writes, refusal) in [
            (
                vec![
                    Write::Insert(&PROVIDERS, vec![provider("P1", "V2")]),
                    Write::Upsert(&LOCATIONS, vec![location("V2")]),
                    Write::Insert(&SCHEMES, vec![text(&["S3"])]),
                ],
                "another provider has the same code",
            ),
            (
                vec![
                    Write::Upsert(&LOCATIONS, vec![location("V2")]),
                    Write::Insert(&SCHEMES, vec![text(&["S1"])]),
                    Write::Insert(&PROVIDERS, vec![provider("P2", "V2")]),
                ],
                "another scheme has the same code",
            ),
            // Both taken: the tables are written in the writes' order (see `Together::sql`).
            (
                vec![
                    Write::Upsert(&LOCATIONS, vec![location("V2")]),
                    Write::Insert(&SCHEMES, vec![text(&["S1"])]),
                    Write::Insert(&PROVIDERS, vec![provider("P1", "V2")]),
                ],
                "another scheme has the same code",
            ),
        ] {
            let refused = write(writes).await;
            let Err(StoreError::Taken { message, .. }) = refused else {
                panic!("a code taken: {refused:?}");
            };
            assert_eq!(message, refusal);
            assert_eq!(get(&LOCATIONS, "V2").await, None, "nothing of it kept");
            assert_eq!(get(&SCHEMES, "S3").await, None, "nothing of it kept");
        }
    }

    #[test]
    fn an_update_of_some_columns_matches_rows_by_key() {
        assert_eq!(
            update_sql(&COVERAGE, &[3]),
            "UPDATE coverage SET package = v.package \
             FROM UNNEST($1::text[], $2::date[], $3::text[]) AS v(member_id, start_date, package) \
             WHERE coverage.member_id = v.member_id AND coverage.start_date = v.start_date"
        );
    }

    #[test]
    fn a_value_of_another_type_than_its_column_is_refused_by_name() {
        let rows = vec![vec![
            Value::Text("M1".into()),
            Value::Text("2025-01-01".into()),
        ]];
        let Err(error) = ColumnArray::gather(&COVERAGE, 1, 1, &rows) else {
            panic!("a text in a date column");
        };
        assert!(error.to_string().contains("coverage.start_date"), "{error}");
    }
}
