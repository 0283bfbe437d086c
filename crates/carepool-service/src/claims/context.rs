//! Loading what the claim rules need from the registry, many claims at a time.

use crate::error::ServiceError;
use crate::{Registry, typed};
use carepool_core::claims::usage::Ledger;
use carepool_core::registry::{Contribution, Coverage, Family, Location, Member, Provider};
use carepool_core::scheme::SchemeDefinition;
use carepool_core::standing::FamilyRecord;
use carepool_store::ListQuery;
use carepool_store::claim_tables;
use carepool_store::schema::Row;
use carepool_store::tables::{self, Record};
use std::collections::HashMap;
use std::sync::Arc;

/// Holds what does not change during a run: locations and scheme versions.
pub(crate) struct Loader<'r> {
    registry: &'r Registry,
    locations: HashMap<String, Location>,
    versions: HashMap<String, Arc<Vec<SchemeDefinition>>>,
}

/// The registry rows for a batch of claims.
#[derive(Default)]
pub(crate) struct Loaded {
    pub members: HashMap<String, Member>,
    pub families: HashMap<String, Family>,
    pub family_members: HashMap<String, Vec<Member>>,
    pub coverage: HashMap<String, Vec<Coverage>>,
    pub contributions: HashMap<String, Vec<Contribution>>,
    pub providers: HashMap<String, Provider>,
}

impl<'r> Loader<'r> {
    pub async fn new(registry: &'r Registry) -> Result<Loader<'r>, ServiceError> {
        let rows = registry
            .store
            .list(
                &tables::LOCATIONS,
                &ListQuery {
                    limit: i64::MAX as u64,
                    ..ListQuery::default()
                },
            )
            .await?;
        let locations = rows
            .iter()
            .map(|row| typed::<Location>(row).map(|l| (l.code.clone(), l)))
            .collect::<Result<_, _>>()?;
        Ok(Loader {
            registry,
            locations,
            versions: HashMap::new(),
        })
    }

    pub async fn versions(
        &mut self,
        scheme: &str,
    ) -> Result<Arc<Vec<SchemeDefinition>>, ServiceError> {
        if let Some(found) = self.versions.get(scheme) {
            return Ok(found.clone());
        }
        let loaded = Arc::new(self.registry.scheme_versions(scheme).await?);
        self.versions.insert(scheme.to_string(), loaded.clone());
        Ok(loaded)
    }

    /// The members, their whole families with cover and contributions, and the providers.
    pub async fn load(
        &self,
        member_ids: &[String],
        provider_ids: &[String],
    ) -> Result<Loaded, ServiceError> {
        let store = &self.registry.store;
        let mut loaded = Loaded::default();
        let members: Vec<Member> =
            typed_rows(&store.rows_where_in(&tables::MEMBERS, 0, member_ids).await?)?;
        let mut family_ids: Vec<String> = members.iter().map(|m| m.family_id.clone()).collect();
        family_ids.sort();
        family_ids.dedup();
        for member in members {
            loaded.members.insert(member.id.clone(), member);
        }
        for family in typed_rows::<Family>(
            &store
                .rows_where_in(&tables::FAMILIES, 0, &family_ids)
                .await?,
        )? {
            loaded.families.insert(family.id.clone(), family);
        }
        let relatives: Vec<Member> = typed_rows(
            &store
                .rows_where_in(&tables::MEMBERS, 1, &family_ids)
                .await?,
        )?;
        let relative_ids: Vec<String> = relatives.iter().map(|m| m.id.clone()).collect();
        let family_of: HashMap<String, String> = relatives
            .iter()
            .map(|m| (m.id.clone(), m.family_id.clone()))
            .collect();
        for member in relatives {
            loaded
                .family_members
                .entry(member.family_id.clone())
                .or_default()
                .push(member);
        }
        for cover in typed_rows::<Coverage>(
            &store
                .rows_where_in(&tables::COVERAGE, 0, &relative_ids)
                .await?,
        )? {
            if let Some(family) = family_of.get(&cover.member_id) {
                loaded
                    .coverage
                    .entry(family.clone())
                    .or_default()
                    .push(cover);
            }
        }
        for contribution in typed_rows::<Contribution>(
            &store
                .rows_where_in(&tables::CONTRIBUTIONS, 1, &family_ids)
                .await?,
        )? {
            loaded
                .contributions
                .entry(contribution.family_id.clone())
                .or_default()
                .push(contribution);
        }
        for provider in typed_rows::<Provider>(
            &store
                .rows_where_in(&tables::PROVIDERS, 0, provider_ids)
                .await?,
        )? {
            loaded.providers.insert(provider.code.clone(), provider);
        }
        Ok(loaded)
    }

    /// The patient's family lives in the facility's district: the nearest enclosing location
    /// of kind "district" (or the location itself when there is none) is the same.
    pub fn same_district(&self, family: &Family, provider: &Provider) -> bool {
        self.district(&family.location_code) == self.district(&provider.location_code)
    }

    fn district<'a>(&'a self, code: &'a str) -> &'a str {
        let mut current = code;
        for _ in 0..64 {
            let Some(location) = self.locations.get(current) else {
                break;
            };
            if location.kind == "district" {
                return &location.code;
            }
            match &location.parent_code {
                Some(parent) => current = parent,
                None => break,
            }
        }
        code
    }
}

impl Loaded {
    pub fn family_record(&self, family_id: &str) -> Option<FamilyRecord<'_>> {
        Some(FamilyRecord {
            family: self.families.get(family_id)?,
            members: self
                .family_members
                .get(family_id)
                .map_or(&[], Vec::as_slice),
            coverage: self.coverage.get(family_id).map_or(&[], Vec::as_slice),
            contributions: self.contributions.get(family_id).map_or(&[], Vec::as_slice),
        })
    }
}

fn typed_rows<R: Record>(rows: &[Row]) -> Result<Vec<R>, ServiceError> {
    rows.iter().map(|r| typed(r)).collect()
}

/// The ledger of limit usage from its stored rows.
pub(crate) fn ledger(rows: &[Row]) -> Result<Ledger, ServiceError> {
    rows.iter()
        .map(|row| {
            claim_tables::usage_from_row(row).map_err(|e| {
                ServiceError::Corrupt(format!("stored limit usage breaks a rule: {e}"))
            })
        })
        .collect()
}
