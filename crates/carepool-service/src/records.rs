//! The registry's records through the service, typed in and out: a `Member` in, a `Member` back.
//! The edges (CSV files, the API) turn text into records, keys and queries and name the field at
//! fault; here records are checked against their own rules, each other and the database
//! (validate.rs), then written as rows.

use crate::audit::Change;
use crate::{Registry, RowProblem, ServiceError, cover_family, validate};
use carepool_core::registry::{FieldError, excerpt};
use carepool_schema::tables::MEMBERS;
use carepool_schema::{Col, ColumnType, ColumnValue, Record, Row, Value};
use carepool_store::{ListQuery, Lock, LockedReads, Read, ReadRows, StoreError, Write};
use std::marker::PhantomData;

/// Something read from a file with the line it came from (1 is the header; 0 for an item that
/// did not come from a file).
#[derive(Debug, Clone)]
pub struct Numbered<T> {
    pub line: u64,
    pub item: T,
}

/// The key of a record of type `R`: one value per key column.
#[derive(Debug, Clone)]
pub struct Key<R> {
    values: Vec<Value>,
    record: PhantomData<fn() -> R>,
}

impl<R> PartialEq for Key<R> {
    fn eq(&self, other: &Key<R>) -> bool {
        self.values == other.values
    }
}

impl<R: Record> Key<R> {
    pub fn of(record: &R) -> Key<R> {
        Key::from_values(R::table().key_of(&record.to_row()))
    }

    /// The key from text, one per key column, found by the column's name (a URL path's
    /// segments); a missing or wrong one names its column.
    pub fn parse<'a>(text_of: impl Fn(&str) -> Option<&'a str>) -> Result<Key<R>, FieldError> {
        let table = R::table();
        let values = table
            .key
            .iter()
            .map(|&i| {
                let column = &table.columns[i];
                let text = text_of(column.name).unwrap_or_default();
                storable(column.name, text)?;
                Value::parse(column, text)
            })
            .collect::<Result<_, _>>()?;
        Ok(Key::from_values(values))
    }

    /// The key from its text as [`Key::text`] writes it: "M001", "M001/2024-01-01".
    pub fn from_text(text: &str) -> Result<Key<R>, FieldError> {
        let table = R::table();
        let parts: Vec<&str> = text.splitn(table.key.len(), '/').collect();
        let names: Vec<&str> = table.key.iter().map(|&i| table.columns[i].name).collect();
        if parts.len() != names.len() {
            return Err(FieldError::new(
                names[0],
                format!(
                    "{} is not a key of {}: {}",
                    excerpt(text),
                    table.name,
                    names.join("/")
                ),
            ));
        }
        Key::parse(|name| names.iter().position(|n| *n == name).map(|at| parts[at]))
    }

    pub(crate) fn values(&self) -> &[Value] {
        &self.values
    }

    fn from_values(values: Vec<Value>) -> Key<R> {
        Key {
            values,
            record: PhantomData,
        }
    }

    /// "M001", or "M001/2024-01-01" for a key of two columns.
    pub fn text(&self) -> String {
        let texts: Vec<String> = self
            .values
            .iter()
            .map(|v| v.format(ColumnType::Text))
            .collect();
        texts.join("/")
    }
}

/// Which records of type `R` a list returns: equality filters, then a page in key order.
#[derive(Debug, Clone)]
pub struct Query<R> {
    pub(crate) list: ListQuery,
    record: PhantomData<fn() -> R>,
}

/// Records read at once when a whole table is walked ([`Registry::each_record`]).
pub const RECORDS_PER_PAGE: u64 = 10_000;

impl<R: Record> Query<R> {
    /// From the first record, [`RECORDS_PER_PAGE`] at a time.
    pub fn all_by_pages() -> Query<R> {
        Query::page(0, RECORDS_PER_PAGE)
    }

    /// The records from `offset`, at most `limit` of them.
    pub fn page(offset: u64, limit: u64) -> Query<R> {
        Query {
            list: ListQuery {
                offset,
                limit,
                ..ListQuery::default()
            },
            record: PhantomData,
        }
    }

    /// Only the records whose `column` holds `value`; a column of another table is refused.
    pub fn only<T: ColumnValue>(
        mut self,
        column: Col<T>,
        value: &T,
    ) -> Result<Query<R>, ServiceError> {
        let table = R::table();
        if !std::ptr::eq(column.table(), table) {
            return Err(invalid_filter(
                column.name(),
                format!(
                    "is a column of {}, not of {}",
                    column.table().name,
                    table.name
                ),
            ));
        }
        self.list.filters.push((column.index(), value.to_value()));
        Ok(self)
    }

    /// Only the records whose column `name` holds `text` (a URL's query): the column must be
    /// one the table may be filtered on, and the text a value of its type.
    pub fn only_named(mut self, name: &str, text: &str) -> Result<Query<R>, ServiceError> {
        let table = R::table();
        let index = table
            .column_index(name)
            .filter(|&i| table.columns[i].filterable || table.key.contains(&i))
            .ok_or_else(|| {
                let allowed: Vec<&str> = table
                    .columns
                    .iter()
                    .filter(|c| c.filterable)
                    .map(|c| c.name)
                    .collect();
                invalid_filter(
                    name,
                    format!(
                        "cannot filter {} on '{name}'; filters: {}",
                        table.name,
                        allowed.join(", ")
                    ),
                )
            })?;
        let column = &table.columns[index];
        storable(column.name, text).map_err(ServiceError::field)?;
        let value = Value::parse(column, text).map_err(ServiceError::field)?;
        self.list.filters.push((index, value));
        Ok(self)
    }

    /// Only the records after `last` in key order (keyset paging, for long exports).
    pub fn after(mut self, last: &Key<R>) -> Query<R> {
        self.list.after = Some(last.values.clone());
        self.list.offset = 0;
        self
    }

    pub fn limit(&self) -> u64 {
        self.list.limit
    }
}

/// Refuses text looked up by that no database holds (a NUL, which PostgreSQL cannot even be
/// asked about): a key in a path or a filter in a query.
fn storable(column: &'static str, text: &str) -> Result<(), FieldError> {
    if text.chars().any(char::is_control) {
        return Err(FieldError::new(column, "contains a control character"));
    }
    Ok(())
}

impl Registry {
    /// Adds one new record after the same checks as an import; a key taken is a conflict.
    /// Returns it as stored (with what carepool fills, see cover_family.rs).
    pub async fn create<R: Record>(&self, record: R) -> Result<R, ServiceError> {
        let table = R::table();
        let row = self.checked_single(&record).await?;
        let as_stored = R::from_row(&row).map_err(ServiceError::field)?;
        let change = Change::of_record("create", table, None, Some(&row));
        self.write_audited(
            "creation of a record",
            vec![Write::Insert(table, vec![row])],
            vec![change],
        )
        .await?;
        Ok(as_stored)
    }

    /// Replaces a record, after the same checks as an import; the audit record keeps what it
    /// was, read in the same transaction. Returns it as stored.
    pub async fn update<R: Record>(&self, record: R) -> Result<R, ServiceError> {
        let table = R::table();
        let row = self.checked_single(&record).await?;
        let as_stored = R::from_row(&row).map_err(ServiceError::field)?;
        let key = table.key_of(&row);
        // Checked before the lock: a record's scheme is not something two writers race for.
        if validate::keeps_a_scheme(table)
            && let Some(stored) = self
                .store
                .rows_where_in(table, table.key[0], &[table.key_text(&row)])
                .await?
                .into_iter()
                .next()
        {
            let moves = validate::scheme_moves(self, table, &[(0, &stored, &row)]).await?;
            if !moves.is_empty() {
                return Err(ServiceError::Invalid(moves));
            }
        }
        let mut reads = LockedReads::default();
        let stored = reads.add(Read::List {
            table,
            query: ListQuery {
                filters: table.key.iter().copied().zip(key).collect(),
                limit: 1,
                ..ListQuery::default()
            },
        });
        let mut after = Some(row);
        let mut decide = |mut read: ReadRows| {
            let before = read
                .take(stored)?
                .pop()
                .ok_or_else(|| StoreError::NotFound {
                    what: table.singular,
                    key: after
                        .as_deref()
                        .map(|r| table.key_text(r))
                        .unwrap_or_default(),
                })?;
            let row = after
                .take()
                .ok_or_else(|| StoreError::Internal("an update decided twice".into()))?;
            let change = Change::of_record("update", table, Some(&before), Some(&row));
            let audit = self
                .audit(vec![change])
                .map_err(|e| StoreError::Internal(e.to_string().into()))?;
            Ok(vec![Write::Upsert(table, vec![row]), audit])
        };
        self.store
            .write_locked("update of a record", &Lock::Nothing, &reads, &mut decide)
            .await?;
        if table.name == MEMBERS.name {
            let written = record.to_row();
            self.hold_claims_after_exit(Some(crate::claims::gone_members(&[written])))
                .await?;
        }
        Ok(as_stored)
    }

    /// One record from the API, after the same checks as an import, as it is to be stored
    /// (with what carepool fills).
    pub(crate) async fn checked_single<R: Record>(&self, record: &R) -> Result<Row, ServiceError> {
        if let Err(broken) = record.check() {
            return Err(ServiceError::field(broken));
        }
        let mut rows = [Numbered {
            line: 0,
            item: record.to_row(),
        }];
        let problems = validate::rows(self, R::table(), &rows).await?;
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        cover_family::fill(self, R::table(), &mut rows).await?;
        let [Numbered { item: row, .. }] = rows;
        Ok(row)
    }

    pub async fn get<R: Record>(&self, key: &Key<R>) -> Result<R, ServiceError> {
        let table = R::table();
        let row =
            self.store
                .get(table, &key.values)
                .await?
                .ok_or_else(|| ServiceError::NotFound {
                    what: table.singular,
                    key: key.text(),
                })?;
        crate::typed(&row)
    }

    pub async fn list<R: Record>(&self, query: &Query<R>) -> Result<Vec<R>, ServiceError> {
        let rows = self.store.list(R::table(), &query.list).await?;
        rows.iter().map(|row| crate::typed(row)).collect()
    }

    /// Every record `query` selects that `keep` keeps, read a page at a time.
    pub async fn matching<R: Record>(
        &self,
        query: Query<R>,
        keep: impl Fn(&R) -> bool,
    ) -> Result<Vec<R>, ServiceError> {
        let mut kept = Vec::new();
        self.each_record(query, |record| {
            if keep(&record) {
                kept.push(record);
            }
            Ok::<(), ServiceError>(())
        })
        .await?;
        Ok(kept)
    }

    /// The first `wanted` records `query` selects that `keep` keeps, in key order, read a page
    /// at a time: the reading stops once they are found (a search shown a page at a time).
    pub async fn first_matching<R: Record>(
        &self,
        mut query: Query<R>,
        keep: impl Fn(&R) -> bool,
        wanted: usize,
    ) -> Result<Vec<R>, ServiceError> {
        let mut kept = Vec::new();
        while kept.len() < wanted {
            let page = self.list(&query).await?;
            let full = page.len() as u64 == query.limit();
            let last = page.last().map(Key::of);
            kept.extend(page.into_iter().filter(|r| keep(r)));
            match (full, last) {
                (true, Some(last)) => query = query.after(&last),
                _ => break,
            }
        }
        kept.truncate(wanted);
        Ok(kept)
    }

    /// Hands every record `query` selects to `each`, in key order, a page (the query's limit)
    /// at a time: a national registry is never held whole. The count handed.
    pub async fn each_record<R: Record, E: From<ServiceError>>(
        &self,
        mut query: Query<R>,
        mut each: impl FnMut(R) -> Result<(), E>,
    ) -> Result<u64, E> {
        let mut count = 0;
        loop {
            let page = self.list(&query).await?;
            let full = page.len() as u64 == query.limit();
            let last = page.last().map(Key::of);
            count += page.len() as u64;
            for record in page {
                each(record)?;
            }
            match (full, last) {
                (true, Some(last)) => query = query.after(&last),
                _ => return Ok(count),
            }
        }
    }
}

fn invalid_filter(name: &str, message: String) -> ServiceError {
    ServiceError::Invalid(vec![RowProblem::new(0, Some(name), message)])
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_core::registry::{Coverage, Member};
    use carepool_schema::tables::{families, members};
    use chrono::NaiveDate;

    fn problem(error: ServiceError) -> RowProblem {
        match error {
            ServiceError::Invalid(mut problems) if problems.len() == 1 => problems.remove(0),
            other => panic!("expected one problem, got {other:?}"),
        }
    }

    #[test]
    fn a_query_filters_on_its_own_tables_columns_only() {
        let query = Query::<Member>::page(0, 10)
            .only(members::FAMILY_ID, &"F1".to_string())
            .unwrap();
        assert_eq!(
            query.list.filters,
            [(members::FAMILY_ID.index(), Value::Text("F1".into()))]
        );
        let refused = problem(
            Query::<Member>::page(0, 10)
                .only(families::LOCATION_CODE, &"V1".to_string())
                .unwrap_err(),
        );
        assert_eq!(refused.column.as_deref(), Some("location_code"));
        assert_eq!(refused.message, "is a column of families, not of members");
    }

    #[test]
    fn a_filter_by_name_must_be_a_filterable_column_and_a_value_of_its_type() {
        let query = Query::<Member>::page(0, 10).only_named("sex", "F").unwrap();
        assert_eq!(query.list.filters.len(), 1);
        let unknown = problem(
            Query::<Member>::page(0, 10)
                .only_named("shoe_size", "42")
                .unwrap_err(),
        );
        assert_eq!(unknown.column.as_deref(), Some("shoe_size"));
        assert!(
            unknown
                .message
                .starts_with("cannot filter members on 'shoe_size'; filters: "),
            "{}",
            unknown.message
        );
        let not_filterable = problem(
            Query::<Member>::page(0, 10)
                .only_named("name", "Awa")
                .unwrap_err(),
        );
        assert_eq!(not_filterable.column.as_deref(), Some("name"));
        // Key columns may be filtered on too.
        let wrong_value = problem(
            Query::<Coverage>::page(0, 10)
                .only_named("start_date", "2025-13-01")
                .unwrap_err(),
        );
        assert_eq!(wrong_value.column.as_deref(), Some("start_date"));
    }

    #[test]
    fn a_key_is_parsed_column_by_column_and_names_the_one_at_fault() {
        let path = |name: &str| match name {
            "member_id" => Some("M1"),
            "start_date" => Some("2025-01-01"),
            _ => None,
        };
        let key = Key::<Coverage>::parse(path).unwrap();
        assert_eq!(key.text(), "M1/2025-01-01");
        let cover = Coverage {
            member_id: "M1".into(),
            start_date: NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(),
            end_date: None,
            package: None,
            family_id: None,
        };
        assert_eq!(Key::of(&cover), key);
        let bad = Key::<Coverage>::parse(|name| match name {
            "member_id" => Some("M1"),
            _ => Some("the first of May"),
        })
        .unwrap_err();
        assert_eq!(bad.field, "start_date");
        let missing = Key::<Coverage>::parse(|_| None).unwrap_err();
        assert_eq!(missing.field, "member_id");
    }

    #[test]
    fn a_key_is_read_back_from_its_text() {
        let key = Key::<Coverage>::from_text("M1/2025-04-01").unwrap();
        assert_eq!(key.text(), "M1/2025-04-01");
        let short = Key::<Coverage>::from_text("M1").unwrap_err();
        assert_eq!(
            (short.field, short.message.as_str()),
            (
                "member_id",
                "'M1' is not a key of coverage: member_id/start_date"
            )
        );
        let bad = Key::<Coverage>::from_text("M1/someday").unwrap_err();
        assert_eq!(bad.field, "start_date");
        assert_eq!(Key::<Member>::from_text("M/1").unwrap().text(), "M/1");
    }
}
