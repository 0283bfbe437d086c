//! carepool's application services over the store: scheme versions, validated writes of registry
//! records (one at a time from the API, or whole files from an import), eligibility at enrolment, and
//! a family's contribution standing. The CLI and the HTTP server both go through here, so a rule
//! checked for one is checked for the other.

pub mod audit;
mod background;
pub mod benchmark;
pub mod claims;
mod clock;
pub mod costing;
mod cover_family;
mod error;
pub mod experience;
pub mod grievances;
mod history;
mod imports;
pub mod indicators;
mod known_tokens;
pub mod options;
pub mod premium_basis;
pub mod projection;
mod records;
mod repeats;
pub mod reserving;
mod schemes;
pub mod scope;
pub mod sessions;
pub mod standards;
pub mod users;
pub use known_tokens::TOKEN_REMEMBERED_FOR;
mod validate;

pub use clock::{Clock, ManualClock, SystemClock};
pub use error::{NotWritten, REST_UNREADABLE, RowProblem, ServiceError};
pub use history::Version;
pub use imports::{ImportMode, ImportProgress, ImportReport, ImportSource, Reading, Slice};
pub use records::{Key, Numbered, Query};
pub use schemes::LoadOutcome;
pub use scope::Scope;

use carepool_core::registry::{Contribution, Coverage, Family, FieldError, Member};
use carepool_core::scheme::SchemeDefinition;
use carepool_core::standing::{FamilyRecord, Standing, family_standing};
use carepool_schema::tables;
use carepool_schema::{Col, Record, Value};
use carepool_store::Store;
use chrono::NaiveDate;
use serde::Serialize;
use std::sync::Arc;

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
    sign_ins: sessions::SignIns,
    known_tokens: known_tokens::KnownTokens,
    /// Who the changes made through this registry are by.
    actor: audit::Actor,
}

impl Registry {
    /// The registry on `store`, on the machine's clock.
    pub fn new(store: Arc<dyn Store>) -> Registry {
        Registry {
            store,
            clock: Arc::new(SystemClock),
            sign_ins: sessions::SignIns::default(),
            known_tokens: known_tokens::KnownTokens::default(),
            actor: audit::Actor::command_line(),
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

    /// `work` done on the registry reading the database as it stands now and nothing
    /// committed after (see `Store::snapshot`): for work that reads it in many statements, so
    /// that what it counts or exports is one state of it. The snapshot is closed once the work
    /// is done (its connections would otherwise close when dropped, mid-transaction).
    pub async fn at_snapshot<T, E: From<ServiceError>>(
        &self,
        work: impl AsyncFnOnce(&Registry) -> Result<T, E>,
    ) -> Result<T, E> {
        let snapshot = self.store.snapshot().await.map_err(ServiceError::from)?;
        let at = Registry {
            store: snapshot,
            ..self.clone()
        };
        let done = work(&at).await;
        at.store.close().await;
        done
    }

    /// The family, its members, their cover, its contributions, and its standing on `as_of`.
    pub async fn family_view(
        &self,
        family_id: &str,
        as_of: NaiveDate,
    ) -> Result<FamilyView, ServiceError> {
        let family: Family = self.record_with(tables::families::ID, family_id).await?;
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

    /// The record whose key `column` (of the record's table) is `id`.
    pub(crate) async fn record_with<R: Record>(
        &self,
        column: Col<String>,
        id: &str,
    ) -> Result<R, ServiceError> {
        self.record_if_any(column, id)
            .await?
            .ok_or_else(|| ServiceError::NotFound {
                what: R::table().singular,
                key: id.to_string(),
            })
    }

    /// As [`Registry::record_with`], none when there is no such record.
    pub(crate) async fn record_if_any<R: Record>(
        &self,
        column: Col<String>,
        id: &str,
    ) -> Result<Option<R>, ServiceError> {
        Ok(self.typed_where_in(column, &[id.to_string()]).await?.pop())
    }

    /// The records whose text `column` (of the records' table) holds one of `values`.
    pub(crate) async fn typed_where_in<R: Record, T>(
        &self,
        column: Col<T>,
        values: &[String],
    ) -> Result<Vec<R>, ServiceError> {
        self.typed_where_in_ordered(column, values, true).await
    }

    /// As [`Registry::typed_where_in`], in whatever order the database finds them.
    pub(crate) async fn typed_where_in_any_order<R: Record, T>(
        &self,
        column: Col<T>,
        values: &[String],
    ) -> Result<Vec<R>, ServiceError> {
        self.typed_where_in_ordered(column, values, false).await
    }

    /// The records that share their text `shared` column with a record whose text `column` holds
    /// one of `values` (see `Store::rows_sharing`).
    pub(crate) async fn typed_sharing<R: Record, S, T>(
        &self,
        shared: Col<S>,
        column: Col<T>,
        values: &[String],
    ) -> Result<Vec<R>, ServiceError> {
        let table = R::table();
        let (shared, column) = (table.index_of(shared.id()), table.index_of(column.id()));
        let rows = (self.store)
            .rows_sharing(table, shared, column, values)
            .await?;
        rows.iter().map(|r| typed(r)).collect()
    }

    /// The records whose text `column` lies between `first` and `last`, both included, compared
    /// byte by byte as keys are paged (see `Store::rows_in_range`); in no set order.
    pub(crate) async fn typed_in_range<R: Record, T>(
        &self,
        column: Col<T>,
        first: &str,
        last: &str,
    ) -> Result<Vec<R>, ServiceError> {
        let table = R::table();
        let column = table.index_of(column.id());
        let every_column = carepool_schema::Projection::whole(table);
        let rows = (self.store)
            .rows_in_range(table, every_column.columns(), column, first, last)
            .await?;
        rows.iter().map(|r| typed(r)).collect()
    }

    async fn typed_where_in_ordered<R: Record, T>(
        &self,
        column: Col<T>,
        values: &[String],
        in_key_order: bool,
    ) -> Result<Vec<R>, ServiceError> {
        let table = R::table();
        let column = table.index_of(column.id());
        let rows = if in_key_order {
            self.store.rows_where_in(table, column, values).await?
        } else {
            (self.store)
                .rows_where_in_any_order(table, column, values)
                .await?
        };
        rows.iter().map(|r| typed(r)).collect()
    }

    /// The currency the registry's amounts are in: the one its schemes keep (a scheme's
    /// versions cannot change it). None before a scheme is loaded, or when schemes keep
    /// different currencies.
    pub async fn currency(&self) -> Result<Option<String>, ServiceError> {
        let latest = self.latest_versions().await?;
        Ok(agreed(
            latest.into_iter().map(|scheme| Some(scheme.currency)),
        ))
    }

    /// The language of the pages for users without one of their own: the one the schemes'
    /// latest versions give (`language = "fr"`), when every scheme gives the same.
    pub async fn language(&self) -> Result<Option<String>, ServiceError> {
        let latest = self.latest_versions().await?;
        Ok(agreed(latest.into_iter().map(|scheme| scheme.language)))
    }

    /// The latest version of every scheme loaded.
    async fn latest_versions(&self) -> Result<Vec<SchemeDefinition>, ServiceError> {
        let mut latest = Vec::new();
        for code in self.store.scheme_codes().await? {
            latest.extend(self.scheme_versions(&code).await?.pop());
        }
        Ok(latest)
    }

    /// The codes of the schemes loaded.
    pub async fn scheme_codes(&self) -> Result<Vec<String>, ServiceError> {
        Ok(self.store.scheme_codes().await?)
    }

    /// Refuses a study or a count of a scheme not loaded, naming the option.
    pub(crate) async fn check_scheme_loaded(
        &self,
        code: Option<&String>,
    ) -> Result<(), ServiceError> {
        match code {
            Some(code) if self.scheme_versions(code).await?.is_empty() => {
                Err(ServiceError::field(FieldError::new(
                    "scheme",
                    format!("no scheme '{code}' is loaded (carepool init --scheme FILE loads one)"),
                )))
            }
            _ => Ok(()),
        }
    }

    /// Every version of a scheme, oldest first.
    pub async fn scheme_versions(&self, code: &str) -> Result<Vec<SchemeDefinition>, ServiceError> {
        schemes::versions(self.store.as_ref(), code).await
    }

    pub async fn load_scheme(
        &self,
        definition: SchemeDefinition,
    ) -> Result<LoadOutcome, ServiceError> {
        schemes::load(self, definition).await
    }
}

/// The distinct values, in order: the keys of one batch read.
pub(crate) fn unique(values: impl Iterator<Item = String>) -> Vec<String> {
    let set: std::collections::BTreeSet<String> = values.collect();
    set.into_iter().collect()
}

/// The one value every scheme gives, if they all give the same one.
fn agreed(values: impl Iterator<Item = Option<String>>) -> Option<String> {
    let mut found: Option<String> = None;
    for value in values {
        match (&found, value) {
            (_, None) => return None,
            (None, Some(value)) => found = Some(value),
            (Some(seen), Some(value)) if *seen == value => {}
            (Some(_), Some(_)) => return None,
        }
    }
    found
}

/// A stored row read back as a record; a stored row that breaks the rules is an internal fault.
pub(crate) fn typed<R: Record>(row: &[Value]) -> Result<R, ServiceError> {
    R::from_row(row).map_err(broken_rule(R::table().singular))
}

/// A stored `what` (a member, a claim) that breaks one of its rules when read: corrupt data.
pub(crate) fn broken_rule(what: &'static str) -> impl Fn(FieldError) -> ServiceError {
    move |e| ServiceError::Corrupt(format!("stored {what} breaks a rule: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_is_agreed_only_when_every_scheme_gives_the_same() {
        let of = |values: &[Option<&str>]| agreed(values.iter().map(|v| v.map(str::to_string)));
        assert_eq!(of(&[Some("fr"), Some("fr")]), Some("fr".to_string()));
        assert_eq!(of(&[Some("fr"), Some("en")]), None);
        assert_eq!(of(&[Some("fr"), None]), None);
        assert_eq!(of(&[]), None);
    }
}
