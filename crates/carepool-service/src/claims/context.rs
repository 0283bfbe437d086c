//! Loading what the claim rules need from the registry, many claims at a time.

use crate::error::ServiceError;
use crate::{Registry, unique};
use carepool_core::claims::Claim;
use carepool_core::claims::usage::Ledger;
use carepool_core::claims::verify::{ClaimContext, PriorClaim};
use carepool_core::registry::{
    Contribution, Coverage, Family, Location, Member, Provider, district_of,
};
use carepool_core::scheme::SchemeDefinition;
use carepool_core::standing::FamilyRecord;
use carepool_schema::Row;
use carepool_schema::claim_tables;
use carepool_schema::tables;
use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

/// Loads batches of registry rows, and keeps what does not change during a run: the locations
/// met so far (with their ancestors) and scheme versions.
pub(crate) struct Loader {
    registry: Registry,
    locations: HashMap<String, Location>,
    versions: HashMap<String, Arc<[SchemeDefinition]>>,
}

/// The registry rows for a batch of claims, with the versions of their families' schemes and
/// the district of every place they name: all that judging them needs besides their history.
#[derive(Default)]
pub(crate) struct Loaded {
    /// By family and provider location code.
    districts: HashMap<String, String>,
    versions: HashMap<String, Arc<[SchemeDefinition]>>,
    pub members: HashMap<String, Member>,
    pub families: HashMap<String, Family>,
    pub family_members: HashMap<String, Vec<Member>>,
    pub coverage: HashMap<String, Vec<Coverage>>,
    pub contributions: HashMap<String, Vec<Contribution>>,
    pub providers: HashMap<String, Provider>,
}

impl Loader {
    pub fn new(registry: &Registry) -> Loader {
        Loader {
            registry: registry.clone(),
            locations: HashMap::new(),
            versions: HashMap::new(),
        }
    }

    /// Reads these locations and everything above them, level by level, skipping those already
    /// read: a national hierarchy is never read whole for a batch.
    async fn read_locations(&mut self, codes: Vec<String>) -> Result<(), ServiceError> {
        let mut wanted = codes;
        // The hierarchy is a few levels deep; the bound guards against a cycle in bad data.
        for _ in 0..64 {
            wanted.retain(|code| !self.locations.contains_key(code));
            if wanted.is_empty() {
                break;
            }
            let found: Vec<Location> = self
                .registry
                .typed_where_in(tables::locations::CODE, &unique(wanted.into_iter()))
                .await?;
            wanted = found.iter().filter_map(|l| l.parent_code.clone()).collect();
            for location in found {
                self.locations.insert(location.code.clone(), location);
            }
        }
        Ok(())
    }

    /// The members, their whole families with cover and contributions, the providers, and the
    /// versions of the families' schemes.
    pub async fn load(
        &mut self,
        member_ids: Vec<String>,
        provider_ids: Vec<String>,
    ) -> Result<Loaded, ServiceError> {
        let rows = RegistryRows::read(self.registry.clone(), member_ids, provider_ids).await?;
        self.resolve(rows).await
    }

    /// Completes rows read for a batch with the districts of their places and their schemes'
    /// versions, from what this loader has read before or reads now.
    pub async fn resolve(&mut self, rows: RegistryRows) -> Result<Loaded, ServiceError> {
        let places: Vec<String> = rows
            .families
            .iter()
            .map(|f| f.location_code.clone())
            .chain(rows.providers.iter().map(|p| p.location_code.clone()))
            .collect();
        self.read_locations(places.clone()).await?;
        let mut loaded = Loaded::default();
        for place in places {
            let district = district_of(&self.locations, &place).to_string();
            loaded.districts.insert(place, district);
        }
        for scheme in unique(rows.families.iter().map(|f| f.scheme.clone())) {
            let versions = match self.versions.entry(scheme.clone()) {
                Entry::Occupied(slot) => slot.get().clone(),
                Entry::Vacant(slot) => {
                    let read = self.registry.scheme_versions(slot.key()).await?;
                    slot.insert(read.into()).clone()
                }
            };
            loaded.versions.insert(scheme, versions);
        }
        // Cover is kept by the family of its member.
        let family_of: HashMap<&str, &str> = rows
            .relatives
            .iter()
            .map(|m| (m.id.as_str(), m.family_id.as_str()))
            .collect();
        for cover in rows.coverage {
            if let Some(family) = family_of.get(cover.member_id.as_str()) {
                loaded
                    .coverage
                    .entry(family.to_string())
                    .or_default()
                    .push(cover);
            }
        }
        for member in rows.members {
            loaded.members.insert(member.id.clone(), member);
        }
        for family in rows.families {
            loaded.families.insert(family.id.clone(), family);
        }
        for member in rows.relatives {
            loaded
                .family_members
                .entry(member.family_id.clone())
                .or_default()
                .push(member);
        }
        for contribution in rows.contributions {
            loaded
                .contributions
                .entry(contribution.family_id.clone())
                .or_default()
                .push(contribution);
        }
        for provider in rows.providers {
            loaded.providers.insert(provider.code.clone(), provider);
        }
        Ok(loaded)
    }
}

/// The distinct members and providers of claims given as (member, provider).
pub(crate) fn claimants<'c>(
    claims: impl Iterator<Item = (&'c String, &'c String)>,
) -> (Vec<String>, Vec<String>) {
    let (members, providers): (Vec<String>, Vec<String>) = claims
        .map(|(member, provider)| (member.clone(), provider.clone()))
        .unzip();
    (unique(members.into_iter()), unique(providers.into_iter()))
}

/// The registry rows a batch of claims needs, read apart from a [`Loader`] (whose caches they do
/// not touch), so that a batch run can read the next batch's while it writes the last.
pub(crate) struct RegistryRows {
    members: Vec<Member>,
    families: Vec<Family>,
    /// Every member of the families.
    relatives: Vec<Member>,
    coverage: Vec<Coverage>,
    contributions: Vec<Contribution>,
    providers: Vec<Provider>,
}

impl RegistryRows {
    /// Whether the facility with this code was read (it is in the registry).
    pub fn knows_provider(&self, code: &str) -> bool {
        self.providers.iter().any(|p| p.code == code)
    }

    /// The members, their whole families with cover and contributions, and the providers. The
    /// reads that do not wait on one another run at once, on their own connections: two
    /// rounds instead of five.
    pub async fn read(
        registry: Registry,
        member_ids: Vec<String>,
        provider_ids: Vec<String>,
    ) -> Result<RegistryRows, ServiceError> {
        // The members come with their families' other members, in one statement (one state of
        // the registry): a member who moved meanwhile is read in one family, with its members.
        let (relatives, providers) = tokio::try_join!(
            registry.typed_sharing::<Member, _, _>(
                tables::members::FAMILY_ID,
                tables::members::ID,
                &member_ids
            ),
            registry.typed_where_in::<Provider, _>(tables::providers::CODE, &provider_ids),
        )?;
        let claimants: HashSet<&str> = member_ids.iter().map(String::as_str).collect();
        let members: Vec<Member> = (relatives.iter())
            .filter(|m| claimants.contains(m.id.as_str()))
            .cloned()
            .collect();
        let family_ids = unique(members.iter().map(|m| m.family_id.clone()));
        let relative_ids: Vec<String> = relatives.iter().map(|m| m.id.clone()).collect();
        let (families, contributions, coverage) = tokio::try_join!(
            registry.typed_where_in::<Family, _>(tables::families::ID, &family_ids),
            registry
                .typed_where_in::<Contribution, _>(tables::contributions::FAMILY_ID, &family_ids),
            registry.typed_where_in(tables::coverage::MEMBER_ID, &relative_ids),
        )?;
        Ok(RegistryRows {
            members,
            families,
            relatives,
            coverage,
            contributions,
            providers,
        })
    }
}

impl Loaded {
    /// Every version of a scheme met by the batch; none for another.
    pub fn versions(&self, scheme: &str) -> &[SchemeDefinition] {
        self.versions.get(scheme).map_or(&[], |v| v)
    }

    pub fn patient_is_local(&self, family: &Family, provider: &Provider) -> bool {
        self.districts.get(&family.location_code) == self.districts.get(&provider.location_code)
    }

    /// What the rules need to judge `claim` besides the ledger: its member, family and
    /// facility as loaded, the member's `history`, and `versions` of the rules (by default the
    /// member's scheme's, as stored).
    pub fn claim_context<'a>(
        &'a self,
        claim: &Claim,
        versions: Option<&'a [SchemeDefinition]>,
        history: &'a [PriorClaim],
    ) -> ClaimContext<'a> {
        let member = self.members.get(&claim.member_id);
        let family = member.and_then(|m| self.family_record(&m.family_id));
        let provider = self.providers.get(&claim.provider_id);
        ClaimContext {
            versions: versions.unwrap_or_else(|| {
                family
                    .as_ref()
                    .map_or(&[], |f| self.versions(&f.family.scheme))
            }),
            patient_is_local: match (&family, provider) {
                (Some(family), Some(provider)) => self.patient_is_local(family.family, provider),
                _ => true,
            },
            member,
            family,
            provider,
            history,
        }
    }

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

/// The ledger of limit usage from its stored rows.
pub(crate) fn ledger(rows: &[Row]) -> Result<Ledger, ServiceError> {
    rows.iter()
        .map(|row| claim_tables::usage_from_row(row).map_err(crate::broken_rule("limit usage")))
        .collect()
}
