//! Many rows moved as one array per column (`UNNEST`, `= ANY`): one statement text per table
//! whatever the number of rows, so that a connection prepares it once and PostgreSQL plans it
//! once. Multi-row `VALUES` and `IN` lists made a new text for every count of rows, more than
//! sqlx keeps per connection: under the claims intake, most statements were parsed and planned
//! again each time.

use crate::POSTGRES;
use crate::sqlx_store::{Connection, Query, bind, read_columns, write_error};
use carepool_schema::tables::FAMILIES;
use carepool_schema::{ColumnType, Row, Table, Value};
use carepool_store::{Progress, StoreError};
use carepool_store_sqlx::WhereIn;
use carepool_store_sqlx::sql::Dialect;
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
    let sql = insert_sql(table);
    let every_column: Vec<usize> = (0..table.columns.len()).collect();
    for chunk in rows.chunks(POSTGRES.rows_per_statement(table)) {
        bind_columns(query(&sql), table, &every_column, chunk)?
            .execute(&mut *conn)
            .await
            .map_err(|e| write_error(table, e))?;
    }
    Ok(())
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

/// `columns` of the rows whose text `column` holds one of `values`, in key order if asked (within each slice of
/// values: a long list is read a slice at a time, so that fewer rows are held twice at once,
/// as sqlx hands them over and as rows).
pub(crate) async fn select_where_in(
    conn: &mut Connection,
    read: &WhereIn<'_>,
) -> Result<Vec<Row>, StoreError> {
    let WhereIn {
        table,
        columns,
        column,
        values,
        in_key_order,
    } = *read;
    let sql = POSTGRES.rows_where_in_list(table, columns, column, in_key_order);
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
        values
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
    insert_sql(table) + &POSTGRES.upsert_clause(table)
}

/// `INSERT` of the rows bound as one array per column.
fn insert_sql(table: &Table) -> String {
    let every_column: Vec<usize> = (0..table.columns.len()).collect();
    format!(
        "INSERT INTO {} ({}) SELECT * FROM {}",
        table.name,
        Dialect::column_list(table),
        unnest(table, &every_column)
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
        unnest(table, &bound),
        names.join(", "),
        matched.join(" AND ")
    )
}

/// `UNNEST` of one typed array parameter per column, `$1` onwards.
fn unnest(table: &Table, columns: &[usize]) -> String {
    let arrays: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(n, &c)| format!("${}::{}[]", n + 1, sql_type(table.columns[c].ty)))
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
    use carepool_schema::tables::{COVERAGE, LOCATIONS};

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
