//! carepool's application services over the store: scheme versions, validated writes of registry
//! rows (one at a time from the API, or whole files from an import), eligibility at enrolment, and
//! a family's contribution standing. The CLI and the HTTP server both go through here, so a rule
//! checked for one is checked for the other.

pub mod claims;
mod clock;
pub mod costing;
mod error;
pub mod experience;
pub mod options;
pub mod projection;
pub mod reserving;
mod schemes;
pub mod users;
mod validate;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{RowProblem, ServiceError};
pub use schemes::LoadOutcome;

use carepool_core::registry::{Contribution, Coverage, Family, Member};
use carepool_core::scheme::SchemeDefinition;
use carepool_core::standing::{FamilyRecord, Standing, family_standing};
use carepool_schema::tables;
use carepool_schema::{Col, Record};
use carepool_schema::{Row, Table, Value};
use carepool_store::{ListQuery, Progress, Store};
use chrono::NaiveDate;
use serde::Serialize;
use std::sync::Arc;

/// A row read from a file, with the line it came from (1 is the header).
#[derive(Debug, Clone)]
pub struct NumberedRow {
    pub line: u64,
    pub row: Row,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Any bad row refuses the whole import.
    AllOrNothing,
    /// Good rows are written; bad ones are returned as rejects.
    SkipBad,
}

#[derive(Debug)]
pub struct ImportReport {
    pub written: u64,
    pub rejected: Vec<(NumberedRow, Vec<RowProblem>)>,
}

/// A family with everything the registry holds on it.
#[derive(Debug, Serialize)]
pub struct FamilyView {
    pub family: Family,
    pub members: Vec<Member>,
    pub coverage: Vec<Coverage>,
    pub contributions: Vec<Contribution>,
    pub standing: Standing,
}

#[derive(Clone)]
pub struct Registry {
    pub(crate) store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
}

impl Registry {
    /// The registry on `store`, on the machine's clock.
    pub fn new(store: Arc<dyn Store>) -> Registry {
        Registry {
            store,
            clock: Arc::new(SystemClock),
        }
    }

    /// The same registry on another clock (a test's).
    pub fn with_clock(self, clock: Arc<dyn Clock>) -> Registry {
        Registry { clock, ..self }
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Today's date on the registry's clock.
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// Checks every row and writes them all in one transaction; or, with `SkipBad`, writes the
    /// good ones and returns the rest. Writing the same rows twice changes nothing.
    pub async fn import(
        &self,
        table: &'static Table,
        rows: Vec<NumberedRow>,
        mode: ImportMode,
        progress: &Progress,
    ) -> Result<ImportReport, ServiceError> {
        let problems = validate::rows(self, table, &rows).await?;
        if problems.is_empty() {
            let values: Vec<Row> = rows.into_iter().map(|r| r.row).collect();
            self.store.upsert(table, &values, progress).await?;
            return Ok(ImportReport {
                written: values.len() as u64,
                rejected: vec![],
            });
        }
        if mode == ImportMode::AllOrNothing {
            return Err(ServiceError::Invalid(problems));
        }
        let (good, rejected) = validate::split_until_clean(self, table, rows, problems).await?;
        let values: Vec<Row> = good.into_iter().map(|r| r.row).collect();
        self.store.upsert(table, &values, progress).await?;
        Ok(ImportReport {
            written: values.len() as u64,
            rejected,
        })
    }

    /// The problems an import of these rows would meet, without writing anything.
    pub async fn check(
        &self,
        table: &'static Table,
        rows: &[NumberedRow],
    ) -> Result<Vec<RowProblem>, ServiceError> {
        validate::rows(self, table, rows).await
    }

    /// Adds one new row after the same checks as an import.
    pub async fn create(&self, table: &'static Table, row: Row) -> Result<Row, ServiceError> {
        let row = self.checked_single(table, row).await?;
        self.store.insert(table, &row).await?;
        Ok(row)
    }

    /// Replaces a row, after the same checks as an import.
    pub async fn update(&self, table: &'static Table, row: Row) -> Result<Row, ServiceError> {
        let row = self.checked_single(table, row).await?;
        self.store.update(table, &row).await?;
        Ok(row)
    }

    /// One row from the API, after the same checks as an import.
    async fn checked_single(&self, table: &'static Table, row: Row) -> Result<Row, ServiceError> {
        let numbered = [NumberedRow { line: 0, row }];
        let problems = validate::rows(self, table, &numbered).await?;
        error::refuse_single(problems)?;
        let [NumberedRow { row, .. }] = numbered;
        Ok(row)
    }

    pub async fn get(&self, table: &'static Table, key: &[Value]) -> Result<Row, ServiceError> {
        self.store
            .get(table, key)
            .await?
            .ok_or_else(|| ServiceError::NotFound {
                what: table.singular,
                key: key
                    .iter()
                    .map(|v| v.format(carepool_schema::ColumnType::Text))
                    .collect::<Vec<_>>()
                    .join("/"),
            })
    }

    pub async fn list(
        &self,
        table: &'static Table,
        query: &ListQuery,
    ) -> Result<Vec<Row>, ServiceError> {
        Ok(self.store.list(table, query).await?)
    }

    /// The family, its members, their cover, its contributions, and its standing on `as_of`.
    pub async fn family_view(
        &self,
        family_id: &str,
        as_of: NaiveDate,
    ) -> Result<FamilyView, ServiceError> {
        let family_row = self
            .get(&tables::FAMILIES, &[Value::Text(family_id.into())])
            .await?;
        let family = typed::<Family>(&family_row)?;
        let members: Vec<Member> = self
            .typed_where_in(tables::members::FAMILY_ID, std::slice::from_ref(&family.id))
            .await?;
        let member_ids: Vec<String> = members.iter().map(|m| m.id.clone()).collect();
        let coverage: Vec<Coverage> = self
            .typed_where_in(tables::coverage::MEMBER_ID, &member_ids)
            .await?;
        let contributions: Vec<Contribution> = self
            .typed_where_in(
                tables::contributions::FAMILY_ID,
                std::slice::from_ref(&family.id),
            )
            .await?;
        let versions = self.scheme_versions(&family.scheme).await?;
        let record = FamilyRecord {
            family: &family,
            members: &members,
            coverage: &coverage,
            contributions: &contributions,
        };
        let standing = family_standing(&versions, &record, as_of);
        Ok(FamilyView {
            family,
            members,
            coverage,
            contributions,
            standing,
        })
    }

    /// The records whose text `column` (of the records' table) holds one of `values`.
    pub(crate) async fn typed_where_in<R: Record, T>(
        &self,
        column: Col<T>,
        values: &[String],
    ) -> Result<Vec<R>, ServiceError> {
        let table = R::table();
        let rows = self
            .store
            .rows_where_in(table, table.index_of(column.id()), values)
            .await?;
        rows.iter().map(|r| typed(r)).collect()
    }

    /// Every version of a scheme, oldest first.
    pub async fn scheme_versions(&self, code: &str) -> Result<Vec<SchemeDefinition>, ServiceError> {
        schemes::versions(self.store.as_ref(), code).await
    }

    pub async fn load_scheme(
        &self,
        definition: SchemeDefinition,
    ) -> Result<LoadOutcome, ServiceError> {
        schemes::load(self.store.as_ref(), definition).await
    }
}

/// The distinct values, in order: the keys of one batch read.
pub(crate) fn unique(values: impl Iterator<Item = String>) -> Vec<String> {
    let set: std::collections::BTreeSet<String> = values.collect();
    set.into_iter().collect()
}

/// A stored row read back as a record; a stored row that breaks the rules is an internal fault.
pub(crate) fn typed<R: Record>(row: &[Value]) -> Result<R, ServiceError> {
    R::from_row(row).map_err(|e| {
        ServiceError::Corrupt(format!("stored {} breaks a rule: {e}", R::table().singular))
    })
}
