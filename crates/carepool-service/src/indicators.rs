//! The monthly indicators on the live database (docs/INDICATORS.md): the families of the
//! selection (a scheme, a district, the user's scope) read family by family, their members'
//! cover, what fell due from them and what they paid, then their claims, and the reserve's
//! IBNR at each period's end.

use crate::background::Background;
use crate::grievances::GrievanceStats;
use crate::options::one_of;
use crate::premium_basis::{PremiumBasis, expected_by_month};
use crate::reserving::{ReserveOptions, claim_dates};
use crate::{Key, Query, Registry, Scope, ServiceError, broken_rule, typed};
use carepool_actuarial::experience::{CoverPeriod, cover_spans};
use carepool_actuarial::indicators::{
    ClaimFacts, Due, FamilyFacts, IndicatorTally, Indicators, LedgerLine, MemberFacts, Payment,
    ReportedCounts, Watch, WatchClaim, WatchSettings, WatchTally,
};
use carepool_actuarial::{
    BuildError, ClaimSums, Measure, Period as Origin, ReserveError, ReserveStudy,
};
use carepool_core::Money;
use carepool_core::claims::ClaimStatus;
use carepool_core::monitoring::{Period, Step, Target, target_population};
use carepool_core::registry::{
    Contribution, Coverage, Family, FieldError, LedgerEntry, Location, Member, Provider, Sex,
    TargetPopulation,
};
use carepool_core::scheme::{SchemeDefinition, version_in_force};
use carepool_core::standing::{FamilyRecord, family_standing};
use carepool_schema::claim_tables::{CLAIMS, claims as c};
use carepool_schema::tables::{
    MEMBERS, contributions, coverage, families, ledger, locations, members, providers,
};
use carepool_schema::{Col, Projection, Record, Value};
use chrono::{Datelike, Days, Months, NaiveDate};
use foldhash::{HashMap as FastMap, HashSet as FastSet};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, VecDeque};
use std::ops::Range;

/// The most reporting periods one call may ask for: twenty years by month.
pub const MAX_PERIODS: usize = 240;

/// Which indicators, as the command line and the API give them: every field may be left out.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorOptions {
    /// First day [default: the first day of the month eleven months before `to`'s].
    pub from: Option<NaiveDate>,
    /// Last day [default: the last day of the last whole month]; never after today.
    pub to: Option<NaiveDate>,
    /// month (the default), quarter or year.
    pub by: Option<String>,
    /// Only this scheme's families.
    pub scheme: Option<String>,
    /// Only the families living under this location (a district, or any level).
    pub district: Option<String>,
    /// Only the claims of this facility.
    pub provider: Option<String>,
    /// The months in a row outside its band that raise an early warning [default: 3].
    pub warn_after: Option<u32>,
}

/// The settings checked: the days and the cut.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct IndicatorDays {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: Step,
    pub watch: WatchSettings,
}

/// The most months in a row an early warning may wait for.
pub const MAX_WARN_AFTER: u32 = 12;

impl IndicatorOptions {
    pub fn days(&self, today: NaiveDate) -> Result<IndicatorDays, FieldError> {
        // The month under way is not over: its claims and its IBNR would be a part month's.
        let to = self.to.unwrap_or_else(|| {
            NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
                .and_then(|first| first.pred_opt())
                .expect("a day before the first of the month")
        });
        carepool_core::dates::check_not_after_today("to", to, today)?;
        let from = match self.from {
            Some(from) => from,
            None => {
                NaiveDate::from_ymd_opt(to.year(), to.month(), 1).expect("a first of the month")
                    - Months::new(11)
            }
        };
        carepool_core::dates::check_plausible("from", from)?;
        if to < from {
            return Err(FieldError::new(
                "to",
                format!("{to} is before the first day asked, {from}"),
            ));
        }
        let choices: Vec<(&str, Step)> = Step::ALL.iter().map(|s| (s.as_str(), *s)).collect();
        let by = one_of("by", self.by.as_deref(), Step::Month, &choices)?;
        let count = carepool_core::monitoring::periods(from, to, by).len();
        if count > MAX_PERIODS {
            return Err(FieldError::new(
                "from",
                format!(
                    "{from} to {to} by {} makes {count} periods; at most {MAX_PERIODS} are shown at once: ask for a shorter span or a longer period",
                    by.as_str()
                ),
            ));
        }
        let mut watch = WatchSettings::default();
        if let Some(months) = self.warn_after {
            if !(1..=MAX_WARN_AFTER).contains(&months) {
                return Err(FieldError::new(
                    "warn_after",
                    format!("{months} months: give 1 to {MAX_WARN_AFTER}"),
                ));
            }
            watch.months_in_a_row = months as usize;
        }
        Ok(IndicatorDays {
            from,
            to,
            by,
            watch,
        })
    }
}

/// The indicators with what they were counted on.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IndicatorReport {
    pub scheme: Option<String>,
    pub district: Option<String>,
    pub provider: Option<String>,
    /// The currency of every amount.
    pub currency: Option<String>,
    #[serde(flatten)]
    pub indicators: Indicators,
    pub early_warning: EarlyWarning,
    /// How the grievances of the period were settled (docs/GRIEVANCES.md, "Timeliness"),
    /// when asked for ([`Registry::indicators_with_grievances`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grievances: Option<GrievanceStats>,
}

/// Each month's experience against the premium basis in force (docs/INDICATORS.md).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EarlyWarning {
    /// The scheme watched.
    pub scheme: Option<String>,
    /// The first days of its premium bases.
    pub bases: Vec<NaiveDate>,
    /// Why nothing was watched, when nothing was: several_schemes (name one), one_facility
    /// (a facility's claims among every member say nothing of the premium) or
    /// no_premium_basis.
    pub not_watched: Option<&'static str>,
    #[serde(flatten)]
    pub watch: Option<Watch>,
}

/// The months [`Registry::open_warnings`] watches.
pub const WARNINGS_WATCHED_MONTHS: u32 = 24;

/// The warnings open on a day, with the months watched.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenWarnings {
    pub from: NaiveDate,
    pub to: NaiveDate,
    #[serde(flatten)]
    pub early_warning: EarlyWarning,
}

impl EarlyWarning {
    fn not_watched(scheme: Option<String>, why: &'static str) -> EarlyWarning {
        EarlyWarning {
            scheme,
            bases: Vec::new(),
            not_watched: Some(why),
            watch: None,
        }
    }
}

/// How many families are read with their members, cover and contributions at once.
const FAMILIES_AT_ONCE: usize = 5_000;

/// How many slices of families are read while one is counted: the database's work and the
/// counting each keep a core busy, and a national registry is still never held whole.
const SLICES_READ_AHEAD: usize = 2;

/// A family and what the registry holds on it, gathered before its indicators are counted.
struct FamilyData {
    family: Family,
    members: Vec<Member>,
    coverage: Vec<Coverage>,
    contributions: Vec<Contribution>,
}

impl Registry {
    /// Every stored record of `R`'s table that passes `filters`, handed to `each` as read; the
    /// first error ends the reading and is returned.
    pub(crate) async fn stream_records<R: Record>(
        &self,
        filters: &[(usize, Value)],
        mut each: impl FnMut(R) -> Result<(), ServiceError> + Send,
    ) -> Result<(), ServiceError> {
        self.each_row(&Projection::whole(R::table()), filters, |row| {
            each(typed(&row)?)
        })
        .await
    }

    /// The indicators the options ask for, over the families `scope` lets its user see.
    pub async fn indicators(
        &self,
        options: &IndicatorOptions,
        scope: &Scope,
        today: NaiveDate,
    ) -> Result<IndicatorReport, ServiceError> {
        (self.at_snapshot(async |at| at.count_indicators(options, scope, today, false).await)).await
    }

    /// The indicators, with how the grievances of the same scheme, places and facility were
    /// settled over the period: for those who may read grievances.
    pub async fn indicators_with_grievances(
        &self,
        options: &IndicatorOptions,
        scope: &Scope,
        today: NaiveDate,
    ) -> Result<IndicatorReport, ServiceError> {
        (self.at_snapshot(async |at| at.count_indicators(options, scope, today, true).await)).await
    }

    /// The indicators, counted on one state of the database (see [`Registry::at_snapshot`]):
    /// whatever is committed while their pages are read is not counted.
    async fn count_indicators(
        &self,
        options: &IndicatorOptions,
        scope: &Scope,
        today: NaiveDate,
        with_grievances: bool,
    ) -> Result<IndicatorReport, ServiceError> {
        let days = options.days(today).map_err(ServiceError::field)?;
        let selection = self.selection(options, scope).await?;
        let mut tally = IndicatorTally::new(days.from, days.to, days.by)
            .expect("checked: to is not before from");
        let (mut early_warning, bases) = self.premium_basis_watched(options).await?;
        let mut watch = bases
            .as_ref()
            .map(|_| WatchTally::new(days.from, days.to).expect("checked: to is not before from"));
        let families = self
            .add_families(&mut tally, &mut watch, options, &selection, days.to)
            .await?;
        let claims = self
            .add_indicator_claims(&mut tally, &mut watch, &families, options, days.to)
            .await?;
        if let (Some(watch), Some(bases), Some(reported)) = (watch, bases, &claims.reported) {
            let expected = expected_by_month(&bases, watch.months());
            let reported = reported.shares(watch.months());
            early_warning.watch = Some(watch.watch(&expected, &reported, days.watch));
        }
        let targets = self.target_populations(tally.periods(), &selection).await?;
        tally.set_target_populations(&targets);
        // The books are the scheme's whole: a district's or a facility's figures leave them out.
        if selection.is_national() && options.provider.is_none() {
            tally.add_ledger(&self.ledger_lines(options.scheme.as_ref()).await?);
        }
        let ibnr: Vec<Option<Money>> = claims.at_ends.iter().map(ibnr_of).collect();
        let grievances = match with_grievances {
            true => Some(
                self.grievance_stats(
                    days.from,
                    days.to,
                    &selection,
                    options.scheme.as_deref(),
                    options.provider.as_deref(),
                )
                .await?,
            ),
            false => None,
        };
        let currency = match &options.scheme {
            Some(code) => self.scheme_versions(code).await?.pop().map(|s| s.currency),
            None => self.currency().await?,
        };
        Ok(IndicatorReport {
            scheme: options.scheme.clone(),
            district: options.district.clone(),
            provider: options.provider.clone(),
            currency,
            indicators: tally.finish(&ibnr),
            early_warning,
            grievances,
        })
    }

    /// The early warnings open at `to` (by default the last day of the last whole month): the
    /// indicators' watch over the [`WARNINGS_WATCHED_MONTHS`] months to it, its runs that reach
    /// the last month.
    pub async fn open_warnings(
        &self,
        options: &IndicatorOptions,
        scope: &Scope,
        today: NaiveDate,
    ) -> Result<OpenWarnings, ServiceError> {
        let to = options.days(today).map_err(ServiceError::field)?.to;
        let from = to.with_day(1).expect("the first of a month")
            - Months::new(WARNINGS_WATCHED_MONTHS - 1);
        let watched = IndicatorOptions {
            from: Some(from),
            to: Some(to),
            by: None,
            ..options.clone()
        };
        let mut early_warning = self.indicators(&watched, scope, today).await?.early_warning;
        if let Some(watch) = &mut early_warning.watch {
            watch.warnings.retain(|w| w.open);
        }
        Ok(OpenWarnings {
            from,
            to,
            early_warning,
        })
    }

    /// The scheme the early warning watches and its premium bases: the scheme asked for, or the
    /// only one loaded; none for one facility's claims (the incidence of a facility's claims
    /// among every member says nothing of the premium), or a scheme without a basis.
    async fn premium_basis_watched(
        &self,
        options: &IndicatorOptions,
    ) -> Result<(EarlyWarning, Option<Vec<PremiumBasis>>), ServiceError> {
        let scheme = match &options.scheme {
            Some(code) => Some(code.clone()),
            None => {
                let mut codes = self.store.scheme_codes().await?;
                (codes.len() == 1).then(|| codes.remove(0))
            }
        };
        let Some(code) = scheme else {
            return Ok((EarlyWarning::not_watched(None, "several_schemes"), None));
        };
        if options.provider.is_some() {
            return Ok((EarlyWarning::not_watched(Some(code), "one_facility"), None));
        }
        let bases = self.premium_bases(&code).await?;
        if bases.is_empty() {
            return Ok((
                EarlyWarning::not_watched(Some(code), "no_premium_basis"),
                None,
            ));
        }
        let watched = EarlyWarning {
            scheme: Some(code),
            bases: bases.iter().map(|b| b.effective_from).collect(),
            not_watched: None,
            watch: None,
        };
        Ok((watched, Some(bases)))
    }

    /// The target population of the locations `selection` holds, in each period's year.
    async fn target_populations(
        &self,
        periods: &[Period],
        selection: &Scope,
    ) -> Result<Vec<Option<u64>>, ServiceError> {
        let mut targets = Vec::new();
        self.stream_records::<TargetPopulation>(&[], |target| {
            if selection.holds(&target.location_code) {
                targets.push(Target {
                    location: target.location_code,
                    year: target.year as i32,
                    population: target.population as u64,
                });
            }
            Ok(())
        })
        .await?;
        if targets.is_empty() {
            return Ok(vec![None; periods.len()]);
        }
        let locations = self.locations().await?;
        let parent_of = |code: &str| locations.get(code).and_then(|l| l.parent_code.clone());
        let holds = |code: &str| selection.holds(code);
        Ok(periods
            .iter()
            .map(|p| target_population(&targets, p.start.year(), &holds, &parent_of))
            .collect())
    }

    /// The ledger's lines of `scheme` (of every scheme without one).
    async fn ledger_lines(&self, scheme: Option<&String>) -> Result<Vec<LedgerLine>, ServiceError> {
        let filter: Vec<(usize, Value)> =
            (scheme.iter()).map(|s| ledger::SCHEME.equals(s)).collect();
        let mut lines = Vec::new();
        self.stream_records::<LedgerEntry>(&filter, |entry| {
            lines.push(LedgerLine {
                month: entry.first_day().map_err(ServiceError::field)?,
                kind: entry.kind,
                amount: entry.amount,
            });
            Ok(())
        })
        .await?;
        Ok(lines)
    }

    /// The places whose families are counted: the user's scope, narrowed to the district asked;
    /// a scheme, district or provider that does not exist (or is out of scope) is refused.
    async fn selection(
        &self,
        options: &IndicatorOptions,
        scope: &Scope,
    ) -> Result<Scope, ServiceError> {
        // Out of scope is answered as unknown, as a record out of scope is.
        let unknown = |field: &'static str, what: &str, code: &str| {
            ServiceError::field(FieldError::new(field, format!("no {what} '{code}'")))
        };
        self.check_scheme_loaded(options.scheme.as_ref()).await?;
        let mut selection = scope.clone();
        if let Some(district) = &options.district {
            let found = self
                .record_if_any::<Location>(locations::CODE, district)
                .await?;
            if found.is_none() || !scope.holds(district) {
                return Err(unknown("district", "location", district));
            }
            selection = scope.and(&self.scope_under(std::slice::from_ref(district)).await?);
        }
        if let Some(code) = &options.provider {
            let found = self
                .record_if_any::<Provider>(providers::CODE, code)
                .await?;
            if !found.is_some_and(|provider| scope.holds(&provider.location_code)) {
                return Err(unknown("provider", "provider", code));
            }
        }
        Ok(selection)
    }

    /// Reads the families of the selection a page at a time, with their members, cover and
    /// contributions (a few pages read while one is counted), and adds each to the tally: a
    /// national registry is never held whole. Returns the families counted.
    async fn add_families(
        &self,
        tally: &mut IndicatorTally,
        watch: &mut Option<WatchTally>,
        options: &IndicatorOptions,
        selection: &Scope,
        to: NaiveDate,
    ) -> Result<FastSet<String>, ServiceError> {
        let mut page = Query::<Family>::page(0, FAMILIES_AT_ONCE as u64);
        if let Some(scheme) = &options.scheme {
            page = page.only(families::SCHEME, scheme)?;
        }
        let mut more_pages = true;
        let mut versions: HashMap<String, Vec<SchemeDefinition>> = HashMap::new();
        // An open cover runs past the last day asked, so that it never ends in a period.
        let horizon = to + Days::new(1);
        let mut counted = FastSet::default();
        let mut reading = VecDeque::new();
        loop {
            while more_pages && reading.len() <= SLICES_READ_AHEAD {
                let families = self.list(&page).await?;
                more_pages = families.len() == FAMILIES_AT_ONCE;
                if let Some(last) = families.last() {
                    page = page.after(&Key::of(last));
                }
                let listed = families.len();
                let slice: Vec<Family> = (families.into_iter())
                    .filter(|family| selection.holds(&family.location_code))
                    .collect();
                // Every family with a key in the slice's range, the slice's own alone.
                let whole_range = options.scheme.is_none() && slice.len() == listed;
                for family in &slice {
                    if !versions.contains_key(&family.scheme) {
                        let loaded = self.scheme_versions(&family.scheme).await?;
                        versions.insert(family.scheme.clone(), loaded);
                    }
                }
                if !slice.is_empty() {
                    let read = self.clone().family_data(slice, whole_range);
                    reading.push_back(Background::spawn(read));
                }
            }
            let Some(next) = reading.pop_front() else {
                break;
            };
            for family_data in next.finish().await? {
                let scheme = &family_data.family.scheme;
                add_family(tally, watch, &family_data, &versions[scheme], to, horizon);
                counted.insert(family_data.family.id);
            }
        }
        Ok(counted)
    }

    /// The members, cover and contributions of a slice of families (in key order), each with
    /// its family. With `whole_range`, the slice holds every family whose key lies between its
    /// first and last: their members, cover and contributions are read as that range of family
    /// ids (a quarter of the database's work of finding them id by id).
    async fn family_data(
        self,
        slice: Vec<Family>,
        whole_range: bool,
    ) -> Result<Vec<FamilyData>, ServiceError> {
        // Sorted by family below: the database need not sort them.
        let ids: Vec<String> = slice.iter().map(|f| f.id.clone()).collect();
        let range = match (whole_range, ids.first(), ids.last()) {
            (true, Some(first), Some(last)) => Some((first.as_str(), last.as_str())),
            _ => None,
        };
        let members: Vec<Member> = match range {
            Some((first, last)) => {
                let read = counted_member_columns();
                let family = members::FAMILY_ID.index();
                (self
                    .store
                    .rows_in_range(&MEMBERS, read.columns(), family, first, last))
                .await?
                .iter()
                .map(|row| counted_member(&read, row))
                .collect::<Result<_, _>>()?
            }
            None => (self.typed_where_in_any_order(members::FAMILY_ID, &ids)).await?,
        };
        let coverage: Vec<Coverage> = match range {
            Some((first, last)) => (self.typed_in_range(coverage::FAMILY_ID, first, last)).await?,
            None => (self.typed_where_in_any_order(coverage::FAMILY_ID, &ids)).await?,
        };
        let contributions: Vec<Contribution> = match range {
            Some((first, last)) => {
                (self.typed_in_range(contributions::FAMILY_ID, first, last)).await?
            }
            None => (self.typed_where_in_any_order(contributions::FAMILY_ID, &ids)).await?,
        };
        let at: FastMap<&str, usize> = (ids.iter().enumerate())
            .map(|(i, id)| (id.as_str(), i))
            .collect();
        let mut data: Vec<FamilyData> = slice
            .into_iter()
            .map(|family| FamilyData {
                family,
                members: Vec::new(),
                coverage: Vec::new(),
                contributions: Vec::new(),
            })
            .collect();
        let family_at: Vec<Option<usize>> = (members.iter())
            .map(|member| at.get(member.family_id.as_str()).copied())
            .collect();
        for cover in coverage {
            if let Some(&i) = (cover.family_id.as_deref()).and_then(|family| at.get(family)) {
                data[i].coverage.push(cover);
            }
        }
        for (member, i) in members.into_iter().zip(family_at) {
            if let Some(i) = i {
                data[i].members.push(member);
            }
        }
        for paid in contributions {
            if let Some(&i) = at.get(paid.family_id.as_str()) {
                data[i].contributions.push(paid);
            }
        }
        // Each family's records in key order, as every backend keeps them.
        for family in &mut data {
            family.members.sort_unstable_by(|a, b| a.id.cmp(&b.id));
            (family.coverage).sort_unstable_by(|a, b| {
                (&a.member_id, a.start_date).cmp(&(&b.member_id, b.start_date))
            });
            (family.contributions).sort_unstable_by(|a, b| a.receipt.cmp(&b.receipt));
        }
        Ok(data)
    }

    /// Adds the claims of the families counted (and, with a provider, only that facility's) to
    /// the tally; returns them summed as the reserve at each period's end and the watch's
    /// completion at `to` need them.
    async fn add_indicator_claims(
        &self,
        tally: &mut IndicatorTally,
        watch: &mut Option<WatchTally>,
        families: &FastSet<String>,
        options: &IndicatorOptions,
        to: NaiveDate,
    ) -> Result<ClaimsSummed, ServiceError> {
        let read = Projection::new(
            &CLAIMS,
            &[
                c::ID.id(),
                c::FAMILY_ID.id(),
                c::PROVIDER_ID.id(),
                c::RECEIVED_DATE.id(),
                c::INCURRED_DATE.id(),
                c::DECIDED_DATE.id(),
                c::STATUS.id(),
                c::CLAIMED.id(),
                c::APPROVED.id(),
                c::REJECTED.id(),
                c::PAID.id(),
                c::PAID_DATE.id(),
                c::ADMISSION_DATE.id(),
                c::DISCHARGE_DATE.id(),
                c::CLINICAL_CATEGORY.id(),
                c::SPECIALTY.id(),
            ],
        );
        let filters: Vec<(usize, Value)> = (options.provider.iter())
            .map(|p| c::PROVIDER_ID.equals(p))
            .collect();
        let study = chain_ladder();
        let mut summed = ClaimsSummed {
            at_ends: (tally.ends().into_iter())
                .map(|end| study.claim_sums(Origin::Month, Measure::Amount, end))
                .collect(),
            reported: watch.is_some().then(|| ReportedCounts::new(to)),
        };
        let mut line = String::new();
        self.each_row(&read, &filters, |row| {
            let in_selection = read
                .text(&row, c::FAMILY_ID)
                .is_some_and(|family| families.contains(family));
            if !in_selection {
                return Ok(());
            }
            let facts = claim_facts(&read, &row)?;
            tally.add_claim(&facts);
            if let (Some(incurred), Some(owed)) = (
                facts.incurred,
                facts.status.amount_owed(facts.approved, facts.claimed),
            ) {
                let dates = claim_dates(incurred, facts.received, facts.paid_date, owed);
                summed.at_ends.iter_mut().for_each(|sums| sums.add(&dates));
                if let Some(reported) = summed.reported.as_mut() {
                    reported.add(incurred, facts.received);
                }
                if let Some(watch) = watch.as_mut() {
                    base_table_line(&read, &row, &mut line);
                    watch.add_claim(&WatchClaim {
                        line: &line,
                        incurred,
                        received: facts.received,
                        cost: owed,
                    });
                }
            }
            Ok(())
        })
        .await?;
        Ok(summed)
    }
}

/// The claims counted, as the reserve and the watch need them after: summed, not held (held,
/// they grew with the claims, 24 bytes each and the reserve's cells at every period's end).
struct ClaimsSummed {
    /// For the reserve at each period's end (and the day before the first).
    at_ends: Vec<ClaimSums>,
    /// For the share of each month's claims reported by the last day, when watched.
    reported: Option<ReportedCounts>,
}

/// One family's facts, added to the tally.
fn add_family(
    tally: &mut IndicatorTally,
    watch: &mut Option<WatchTally>,
    data: &FamilyData,
    versions: &[SchemeDefinition],
    to: NaiveDate,
    horizon: NaiveDate,
) {
    let family = &data.family;
    let grace_days = version_in_force(versions, to)
        .or(versions.first())
        .map_or(0, |v| v.coverage.grace_days);
    let covers = covers_by_member(data);
    let spans: Vec<_> = (data.members.iter().zip(&covers.of_member))
        .map(|(member, at)| {
            let periods = &covers.periods[at.clone()];
            cover_spans(periods, member.status, member.status_since, horizon)
        })
        .collect();
    let members: Vec<MemberFacts> = (data.members.iter().zip(&covers.of_member).zip(&spans))
        .map(|((member, at), spans)| MemberFacts {
            spans,
            covers: &covers.dates[at.clone()],
            woman: member.sex == Sex::Female,
            grace_days,
        })
        .collect();
    let standing = family_standing(
        versions,
        &FamilyRecord {
            family,
            members: &data.members,
            coverage: &data.coverage,
            contributions: &data.contributions,
        },
        to,
    );
    let due: Vec<Due> = (standing.periods.iter())
        .flat_map(|period| {
            (period.due.iter()).map(|(&payer, &amount)| Due {
                on: period.start,
                payer,
                amount,
            })
        })
        .collect();
    let payments: Vec<Payment> = (data.contributions.iter())
        .map(|paid| Payment {
            paid_on: paid.paid_on,
            payer: paid.payer,
            amount: paid.amount,
            cover: Period {
                start: paid.period_start,
                end: paid.period_end,
            },
        })
        .collect();
    let facts = FamilyFacts {
        members: &members,
        due: &due,
        payments: &payments,
    };
    tally.add_family(&facts);
    if let Some(watch) = watch {
        watch.add_family(&facts);
    }
}

/// The columns of a member the indicators count on: never their name or national id (read
/// and sent for ten million members, they were a quarter of each row's bytes for nothing).
fn counted_member_columns() -> Projection {
    use members::*;
    Projection::new(
        &MEMBERS,
        &[
            ID.id(),
            FAMILY_ID.id(),
            RELATIONSHIP.id(),
            SEX.id(),
            BIRTH_DATE.id(),
            CATEGORIES.id(),
            MONTHLY_WAGE.id(),
            STATUS.id(),
            STATUS_SINCE.id(),
        ],
    )
}

/// A member read by [`counted_member_columns`], checked by the registry's rules; the name and
/// national id are left empty.
fn counted_member(read: &Projection, row: &[Value]) -> Result<Member, ServiceError> {
    let member = counted_member_fields(read, row).map_err(broken_rule("member"))?;
    member.validate().map_err(broken_rule("member"))?;
    Ok(member)
}

fn counted_member_fields(read: &Projection, row: &[Value]) -> Result<Member, FieldError> {
    Ok(Member {
        id: read.read(row, members::ID)?,
        family_id: read.read(row, members::FAMILY_ID)?,
        name: String::new(),
        relationship: read.read(row, members::RELATIONSHIP)?,
        sex: read.read(row, members::SEX)?,
        birth_date: read.read(row, members::BIRTH_DATE)?,
        national_id: None,
        categories: read.read(row, members::CATEGORIES)?,
        monthly_wage: read.read(row, members::MONTHLY_WAGE)?,
        status: read.read(row, members::STATUS)?,
        status_since: read.read(row, members::STATUS_SINCE)?,
    })
}

/// A family's cover periods, member after member, and where each member's lie.
struct FamilyCovers {
    /// As the indicators count renewals: (start, last day).
    dates: Vec<(NaiveDate, Option<NaiveDate>)>,
    /// The same, as the experience study makes stretches of cover of them.
    periods: Vec<CoverPeriod>,
    /// For each member in order, the range of their periods in both.
    of_member: Vec<Range<usize>>,
}

/// The family's covers by member, found by walking both lists once: `family_data` sorts the
/// members by id and the covers by member then start (matched pair by pair, families of many
/// members cost the square of their size). A cover of no member listed is left out, as before.
fn covers_by_member(data: &FamilyData) -> FamilyCovers {
    let coverage = &data.coverage;
    debug_assert!(data.members.is_sorted_by(|a, b| a.id <= b.id));
    debug_assert!(coverage.is_sorted_by(|a, b| a.member_id <= b.member_id));
    let mut covers = FamilyCovers {
        dates: Vec::with_capacity(coverage.len()),
        periods: Vec::with_capacity(coverage.len()),
        of_member: Vec::with_capacity(data.members.len()),
    };
    let mut at = 0;
    for member in &data.members {
        while at < coverage.len() && coverage[at].member_id < member.id {
            at += 1;
        }
        let first = covers.dates.len();
        while at < coverage.len() && coverage[at].member_id == member.id {
            let (start, end) = (coverage[at].start_date, coverage[at].end_date);
            covers.dates.push((start, end));
            covers.periods.push(CoverPeriod { start, end });
            at += 1;
        }
        covers.of_member.push(first..covers.dates.len());
    }
    covers
}

/// The claim's base-table line into `line`: its clinical category and specialty, as the
/// experience study names them ("medical paediatrics"), or the category alone.
fn base_table_line(read: &Projection, row: &[Value], line: &mut String) {
    line.clear();
    line.push_str(read.text(row, c::CLINICAL_CATEGORY).unwrap_or_default());
    if let Some(specialty) = read.text(row, c::SPECIALTY) {
        line.push(' ');
        line.push_str(specialty);
    }
}

/// A stored claim as the indicators see it.
fn claim_facts(read: &Projection, row: &[Value]) -> Result<ClaimFacts, ServiceError> {
    let corrupt = |what: &str| {
        ServiceError::Corrupt(format!(
            "stored claim {}: {what}",
            read.text(row, c::ID).unwrap_or_default()
        ))
    };
    let money = |column| {
        read.value(row, column)
            .as_money()
            .ok_or_else(|| corrupt("no amounts"))
    };
    let date = |column: Col<Option<NaiveDate>>| read.value(row, column).as_date();
    let status: ClaimStatus = read
        .read(row, c::STATUS)
        .map_err(|_| corrupt("no status"))?;
    Ok(ClaimFacts {
        received: (read.value(row, c::RECEIVED_DATE).as_date())
            .ok_or_else(|| corrupt("no received date"))?,
        incurred: date(c::INCURRED_DATE),
        decided: date(c::DECIDED_DATE),
        status,
        claimed: money(c::CLAIMED)?,
        approved: money(c::APPROVED)?,
        rejected: money(c::REJECTED)?,
        paid: money(c::PAID)?,
        paid_date: date(c::PAID_DATE),
        stay: date(c::ADMISSION_DATE).zip(date(c::DISCHARGE_DATE)),
    })
}

/// The reserving engine's chain ladder, by default settings.
fn chain_ladder() -> ReserveStudy {
    ReserveOptions {
        method: Some("chain-ladder".into()),
        ..ReserveOptions::default()
    }
    .study()
    .expect("chain ladder needs no other option")
}

/// The IBNR at the sums' valuation date by chain ladder, by month of care and month reported
/// (a period's end closes a month of care, but for a last day asked within a month: that part
/// month is developed as a whole one, and its IBNR comes out low); nothing when no claim was
/// reported by then, none when not estimable (too few origins, a triangle that falls to
/// nothing).
fn ibnr_of(sums: &ClaimSums) -> Option<Money> {
    match chain_ladder().fit_sums(sums) {
        Ok(reserve) => reserve
            .total
            .ibnr
            .filter(|ibnr| ibnr.is_finite())
            .map(|ibnr| Money::from_minor((ibnr * 100.0).round() as i64)),
        Err(ReserveError::Build(BuildError::NoClaims(_))) => Some(Money::ZERO),
        Err(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_core::registry::{MemberStatus, Relationship};

    fn member(id: &str) -> Member {
        Member {
            id: id.into(),
            family_id: "F1".into(),
            name: String::new(),
            relationship: Relationship::Child,
            sex: Sex::Female,
            birth_date: day("2010-01-01"),
            national_id: None,
            categories: Vec::new(),
            monthly_wage: None,
            status: MemberStatus::Active,
            status_since: day("2024-01-01"),
        }
    }

    fn cover(member: &str, start: &str, end: Option<&str>) -> Coverage {
        Coverage {
            member_id: member.into(),
            start_date: day(start),
            end_date: end.map(day),
            package: None,
            family_id: Some("F1".into()),
        }
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn a_counted_member_is_read_without_name_or_national_id() {
        let stored = Member {
            name: "Asha Kumar".into(),
            national_id: Some("NID003".into()),
            categories: vec!["disability".into()],
            monthly_wage: Some(Money::from_minor(1_250_000)),
            status: MemberStatus::Pending,
            ..member("M3")
        };
        let read = counted_member_columns();
        let names = read.columns().iter().map(|&i| MEMBERS.columns[i].name);
        assert!(
            names
                .clone()
                .all(|name| name != "name" && name != "national_id")
        );
        assert_eq!(
            names.count(),
            MEMBERS.columns.len() - 2,
            "every other column"
        );
        let whole = stored.to_row();
        let row: Vec<Value> = read.columns().iter().map(|&i| whole[i].clone()).collect();
        let counted = counted_member(&read, &row).unwrap();
        assert_eq!(
            counted,
            Member {
                name: String::new(),
                national_id: None,
                ..stored
            }
        );
        let mut broken = row.clone();
        broken[0] = Value::Text(" M3".into());
        let refused = counted_member(&read, &broken).unwrap_err().to_string();
        assert!(refused.contains("spaces around"), "{refused}");
    }

    #[test]
    fn each_member_gets_their_own_covers_in_order() {
        let data = FamilyData {
            family: Family {
                id: "F1".into(),
                scheme: "pip".into(),
                location_code: "V1".into(),
                poverty_score: None,
                household_id: None,
            },
            // In key order, as family_data sorts them; M2 has no cover, M0 is no member listed.
            members: ["M1", "M10", "M2", "M3"].map(member).to_vec(),
            coverage: vec![
                cover("M0", "2024-01-01", None),
                cover("M1", "2024-01-01", Some("2024-12-31")),
                cover("M1", "2025-01-01", None),
                cover("M10", "2024-06-01", None),
                cover("M3", "2024-02-01", Some("2024-03-31")),
            ],
            contributions: Vec::new(),
        };
        let covers = covers_by_member(&data);
        let of = |i: usize| covers.dates[covers.of_member[i].clone()].to_vec();
        assert_eq!(
            of(0),
            [
                (day("2024-01-01"), Some(day("2024-12-31"))),
                (day("2025-01-01"), None)
            ]
        );
        assert_eq!(of(1), [(day("2024-06-01"), None)]);
        assert_eq!(of(2), []);
        assert_eq!(of(3), [(day("2024-02-01"), Some(day("2024-03-31")))]);
        assert_eq!(covers.periods.len(), covers.dates.len());
        assert_eq!(covers.periods[2].start, day("2024-06-01"));
    }
}
