//! Provider benchmarking on the live database (docs/INDICATORS.md, "Provider benchmarking"):
//! the claims of care given between two days, each with its member's age band and sex and what
//! adjudication said of it, counted by `carepool_actuarial::benchmark`; the facilities shown are
//! those of the district asked within the user's scope, their peers every facility.

use crate::{Registry, Scope, ServiceError};
use carepool_actuarial::benchmark::{Benchmark, BenchmarkTally, Case};
use carepool_core::claims::reasons::ReasonCode;
use carepool_core::claims::{ClaimStatus, stay_days};
use carepool_core::dates::age_on;
use carepool_core::registry::{FieldError, Location, Member, Provider, Sex};
use carepool_schema::Projection;
use carepool_schema::claim_tables::{CLAIMS, claims as c};
use carepool_schema::tables::{locations, members};
use chrono::{Datelike, Months, NaiveDate};
use compact_str::CompactString;
use foldhash::HashMap as FastMap;
use serde::{Deserialize, Serialize};

/// The experience study's age bands: a case is compared with its peers' cases of the same band.
pub const AGE_BANDS: [u32; 6] = [0, 5, 15, 25, 45, 65];

/// The false discovery rate the flags are held to.
pub const FALSE_DISCOVERY_RATE: f64 = 0.05;

/// How many members are read at once.
const MEMBERS_AT_ONCE: usize = 5_000;

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BenchmarkOptions {
    /// First day of care [default: a year before `to`].
    pub from: Option<NaiveDate>,
    /// Last day of care [default: the last day of the last whole month].
    pub to: Option<NaiveDate>,
    /// Only the facilities under this location (their peers stay every facility).
    pub district: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchmarkReport {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub district: Option<String>,
    pub currency: Option<String>,
    #[serde(flatten)]
    pub benchmark: Benchmark,
}

/// A claim read, before its member's age and sex are known: its texts by number, as a
/// national scheme's year of claims is held (see [`ClaimsRead`]).
struct Read {
    facility: u32,
    member: u32,
    line: u32,
    category: u32,
    incurred: NaiveDate,
    claimed: f64,
    stay_days: Option<u32>,
    rejected: bool,
    duplicate: bool,
    exempt: bool,
    exempt_charged: bool,
}

/// The claims of a span of care, the facilities' codes and lines' names they number, and the
/// members' ids.
struct ClaimsRead {
    claims: Vec<Read>,
    names: Vec<CompactString>,
    members: Vec<CompactString>,
}

/// Texts numbered in the order first met, each held once.
#[derive(Default)]
struct Numbering(FastMap<CompactString, u32>);

impl Numbering {
    fn number(&mut self, text: &str) -> u32 {
        if let Some(&number) = self.0.get(text) {
            return number;
        }
        let number = self.0.len() as u32;
        self.0.insert(CompactString::from(text), number);
        number
    }

    /// The texts, each at its number.
    fn into_texts(self) -> Vec<CompactString> {
        let mut texts = vec![CompactString::default(); self.0.len()];
        for (text, number) in self.0 {
            texts[number as usize] = text;
        }
        texts
    }
}

impl BenchmarkOptions {
    pub fn days(&self, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), FieldError> {
        let to = self.to.unwrap_or_else(|| {
            today
                .with_day(1)
                .and_then(|first| first.pred_opt())
                .expect("a day before the first of the month")
        });
        carepool_core::dates::check_not_after_today("to", to, today)?;
        let from = match self.from {
            Some(from) => from,
            None => (to + chrono::Days::new(1)) - Months::new(12),
        };
        carepool_core::dates::check_plausible("from", from)?;
        if to < from {
            return Err(FieldError::new(
                "to",
                format!("{to} is before the first day asked, {from}"),
            ));
        }
        Ok((from, to))
    }
}

impl Registry {
    /// Each facility's claims of care from `from` to `to` against its peers'.
    pub async fn benchmark_providers(
        &self,
        options: &BenchmarkOptions,
        scope: &Scope,
        today: NaiveDate,
    ) -> Result<BenchmarkReport, ServiceError> {
        let (from, to) = options.days(today).map_err(ServiceError::field)?;
        let mut shown = scope.clone();
        if let Some(district) = &options.district {
            let found = self
                .record_if_any::<Location>(locations::CODE, district)
                .await?;
            if found.is_none() || !scope.holds(district) {
                return Err(ServiceError::field(FieldError::new(
                    "district",
                    format!("no location '{district}'"),
                )));
            }
            shown = scope.and(&self.scope_under(std::slice::from_ref(district)).await?);
        }
        let mut tally = BenchmarkTally::default();
        let mut located: FastMap<String, String> = FastMap::default();
        self.stream_records::<Provider>(&[], |provider| {
            tally.add_facility(&provider.code, provider.level.as_str());
            located.insert(provider.code, provider.location_code);
            Ok(())
        })
        .await?;
        let read = self.benchmark_claims(from, to).await?;
        let ages = self.ages_and_sexes(&read.members).await?;
        let name = |number: u32| read.names[number as usize].as_str();
        for claim in &read.claims {
            let Some((birth_date, sex)) = ages[claim.member as usize] else {
                continue;
            };
            let age = age_on(birth_date, claim.incurred);
            tally.add_case(&Case {
                facility: name(claim.facility),
                line: name(claim.line),
                category: name(claim.category),
                age_band: AGE_BANDS.iter().rposition(|&from| age >= from).unwrap_or(0) as u8,
                woman: sex == Sex::Female,
                member: claim.member,
                claimed: claim.claimed,
                stay_days: claim.stay_days,
                rejected: claim.rejected,
                duplicate: claim.duplicate,
                exempt: claim.exempt,
                exempt_charged: claim.exempt_charged,
            });
        }
        let mut benchmark = tally.finish(FALSE_DISCOVERY_RATE);
        // Peers are every facility; only those the user may see, in the district asked, show.
        let visible = |code: &str| located.get(code).is_some_and(|place| shown.holds(place));
        benchmark.facilities.retain(|f| visible(&f.facility));
        for funnel in &mut benchmark.funnels {
            funnel.points.retain(|p| visible(&p.facility));
        }
        Ok(BenchmarkReport {
            from,
            to,
            district: options.district.clone(),
            currency: self.currency().await?,
            benchmark,
        })
    }

    /// The claims of care given from `from` to `to`.
    async fn benchmark_claims(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<ClaimsRead, ServiceError> {
        let read = Projection::new(
            &CLAIMS,
            &[
                c::ID.id(),
                c::PROVIDER_ID.id(),
                c::MEMBER_ID.id(),
                c::INCURRED_DATE.id(),
                c::CLINICAL_CATEGORY.id(),
                c::SPECIALTY.id(),
                c::ADMISSION_DATE.id(),
                c::DISCHARGE_DATE.id(),
                c::CLAIMED.id(),
                c::STATUS.id(),
                c::REASONS.id(),
            ],
        );
        let mut claims = Vec::new();
        let mut names = Numbering::default();
        let mut members = Numbering::default();
        let mut line = String::new();
        self.each_row(&read, &[], |row| {
            let Some(incurred) = read.value(&row, c::INCURRED_DATE).as_date() else {
                return Ok(());
            };
            if incurred < from || incurred > to {
                return Ok(());
            }
            let corrupt = |what: &str| {
                ServiceError::Corrupt(format!(
                    "stored claim {}: {what}",
                    read.text(&row, c::ID).unwrap_or_default()
                ))
            };
            let text = |column| read.text(&row, column).unwrap_or_default();
            let status: ClaimStatus = read
                .read(&row, c::STATUS)
                .map_err(|_| corrupt("no status"))?;
            let claimed =
                (read.value(&row, c::CLAIMED).as_money()).ok_or_else(|| corrupt("no amounts"))?;
            let reasons: Vec<ReasonCode> = (read.value(&row, c::REASONS).as_text())
                .unwrap_or_default()
                .split(';')
                .filter_map(ReasonCode::parse)
                .collect();
            let category = text(c::CLINICAL_CATEGORY);
            line.clear();
            line.push_str(category);
            if let Some(specialty) = read.text(&row, c::SPECIALTY) {
                line.push(' ');
                line.push_str(specialty);
            }
            let charged = reasons.contains(&ReasonCode::ExemptCharged);
            let exempt = charged || reasons.contains(&ReasonCode::Exempt);
            claims.push(Read {
                facility: names.number(text(c::PROVIDER_ID)),
                member: members.number(text(c::MEMBER_ID)),
                line: names.number(&line),
                category: names.number(category),
                incurred,
                claimed: claimed.minor() as f64 / 100.0,
                stay_days: (read.value(&row, c::ADMISSION_DATE).as_date())
                    .zip(read.value(&row, c::DISCHARGE_DATE).as_date())
                    .map(|(a, d)| stay_days(a, d) as u32),
                rejected: status == ClaimStatus::Rejected,
                duplicate: reasons.contains(&ReasonCode::DuplicateClaim),
                exempt,
                // Adjudication's flag: more collected than the official share from a member
                // exempt in one of the claim's categories.
                exempt_charged: charged,
            });
            Ok(())
        })
        .await?;
        Ok(ClaimsRead {
            claims,
            names: names.into_texts(),
            members: members.into_texts(),
        })
    }

    /// The birth date and sex of each member, at the member's number; none for a member the
    /// registry does not know. Read a slice at a time.
    async fn ages_and_sexes(
        &self,
        ids: &[CompactString],
    ) -> Result<Vec<Option<(NaiveDate, Sex)>>, ServiceError> {
        let mut found = vec![None; ids.len()];
        for (slice_at, slice) in ids.chunks(MEMBERS_AT_ONCE).enumerate() {
            let first = slice_at * MEMBERS_AT_ONCE;
            let wanted: Vec<String> = slice.iter().map(|id| id.to_string()).collect();
            let number: FastMap<&str, usize> = (wanted.iter().enumerate())
                .map(|(at, id)| (id.as_str(), first + at))
                .collect();
            let members: Vec<Member> = self.typed_where_in_any_order(members::ID, &wanted).await?;
            for member in members {
                if let Some(&at) = number.get(member.id.as_str()) {
                    found[at] = Some((member.birth_date, member.sex));
                }
            }
        }
        Ok(found)
    }
}
