//! The study's tables, summed from the cells: the summary, each period, the base table, the
//! one-way relativities, the GLMs, the locations and the diagnostics.

use super::cells::{CellKey, Cells, ClaimSums, Counter, Outside, StudyPeriod, grow_levels};
use super::completion::{
    Completion, DELAY_NOT_KNOWN, Development, NotCompleted, Reported, months_from,
};
use super::input::{ExperienceData, UNKNOWN};
use super::{ExperienceStudy, Factor, Split, StudyError};
use crate::Named;
use crate::glm::{Family, Glm, GlmData, GlmError, GlmFit, Link, Term};
use carepool_core::Money;
use carepool_core::registry::Ownership;
use carepool_core::words::{Figure, Sentence, Words};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// Claims and amounts over an exposure, and the rates they make. Rates are per member-year;
/// `cost` is what the scheme owes (approved once decided, claimed before).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rates {
    /// Member-years of active cover.
    pub exposure: f64,
    pub claims: u64,
    pub incidence_per_1000: Option<f64>,
    pub claimed: Money,
    pub approved: Money,
    pub paid: Money,
    pub cost: Money,
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub average_claimed: Option<f64>,
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub average_approved: Option<f64>,
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub average_paid: Option<f64>,
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub average_cost: Option<f64>,
    pub stays: u64,
    pub bed_days: u64,
    /// Average length of stay: bed days per stay.
    pub alos: Option<f64>,
    pub bed_days_per_1000: Option<f64>,
    /// Cost per member-year: incidence times average cost.
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub risk_cost: Option<f64>,
}

/// The last periods with members covered and no claim, after periods with claims: most likely
/// claims that have not reached the data yet, which lower every rate.
fn silent_periods_note(periods: &[PeriodRow]) -> Option<Sentence> {
    let silent: Vec<&str> = periods
        .iter()
        .rev()
        .take_while(|p| p.rates.claims == 0 && p.rates.exposure > 0.0)
        .map(|p| p.period.as_str())
        .collect();
    let (last, first) = (silent.first()?, silent.last()?);
    if silent.len() == periods.len() {
        return None;
    }
    let (words, which) = match silent.len() {
        1 => (
            Words::new("silent-period", [("last", Figure::text(*last))]),
            format!("The last period, {last}, has"),
        ),
        n => (
            Words::new(
                "silent-periods",
                [
                    ("count", Figure::Count(n as i64)),
                    ("first", Figure::text(*first)),
                    ("last", Figure::text(*last)),
                ],
            ),
            format!("The last {n} periods, {first} to {last}, have"),
        ),
    };
    Some(Sentence::new(
        words,
        format!(
            "{which} members covered and no claim: if the claims have not reached the data yet, end the study (--to) where they do; these member-years lower every rate."
        ),
    ))
}

/// What the study did with its recent months: completed them and how, or why not.
fn completion_note(completion: &Result<Completion, NotCompleted>) -> Sentence {
    match completion {
        Ok(completion) => {
            let last = completion.months.last().expect("a study has a month");
            Sentence::new(
                Words::new(
                    "completion",
                    [
                        ("valued", Figure::Date(completion.valued_at)),
                        ("month", Figure::text(&last.month)),
                        (
                            "claims",
                            Figure::Number(format!("{:.4}", last.claims_factor)),
                        ),
                        ("cost", Figure::Number(format!("{:.4}", last.cost_factor))),
                    ],
                ),
                format!(
                    "Recent months are completed: each month's claims and cost times its completion factor, from the chain ladder on the claims' reporting delays valued on {} (the last month, {}: claims x {:.4}, cost x {:.4}); the base table's completed figures carry them.",
                    completion.valued_at, last.month, last.claims_factor, last.cost_factor
                ),
            )
        }
        Err(NotCompleted::NoReceivedDates) => Sentence::new(
            Words::new("completion-no-dates", []),
            "The claims do not say when they were received: recent months are not completed, and claims not yet in lower their rates.",
        ),
        Err(NotCompleted::NoFullMonth) => Sentence::new(
            Words::new("completion-no-full-month", []),
            "The data end before the study's first month is over: no month has developed, and recent months are not completed.",
        ),
    }
}

/// Why a GLM of the study could not be fitted, in words for every language: the failures a
/// study's own cells can meet have their own sentence, any other quotes the error.
fn not_fitted(model: &str, error: &GlmError) -> Sentence {
    let model_figure = ("model", Figure::text(model));
    let count = |n: usize| Figure::Count(n as i64);
    let words = match error {
        GlmError::Aliased(term) => {
            Words::new("glm-aliased", [model_figure, ("term", Figure::text(term))])
        }
        GlmError::TooFewObservations {
            parameters,
            observations,
        } => Words::new(
            "glm-too-few",
            [
                model_figure,
                ("parameters", count(*parameters)),
                ("observations", count(*observations)),
            ],
        ),
        GlmError::NotConverged(iterations) => Words::new(
            "glm-not-converged",
            [
                model_figure,
                ("iterations", Figure::Count(i64::from(*iterations))),
            ],
        ),
        GlmError::NoData => Words::new("glm-no-data", [model_figure]),
        GlmError::NoResidual(parameters) => Words::new(
            "glm-no-residual",
            [model_figure, ("parameters", count(*parameters))],
        ),
        GlmError::FittedExactly => Words::new("glm-fitted-exactly", [model_figure]),
        other => Words::new(
            "glm-not-fitted",
            [model_figure, ("error", Figure::text(other.to_string()))],
        ),
    };
    Sentence::new(
        words,
        format!("The {model} GLM could not be fitted: {error}."),
    )
}

impl Experience {
    /// Where the data ended before the day asked, and why, when they did.
    pub fn data_end_note(&self) -> Option<&Sentence> {
        // The study puts it first among its notes (`ExperienceStudy::run`).
        self.settings.asked_to.and(self.notes.first())
    }
}

fn ratio(top: f64, bottom: f64) -> Option<f64> {
    (bottom > 0.0).then(|| top / bottom)
}

fn units(minor: i64) -> f64 {
    minor as f64 / 100.0
}

impl Rates {
    fn new(exposure: f64, sums: &ClaimSums) -> Rates {
        let claims = sums.claims as f64;
        Rates {
            exposure,
            claims: sums.claims,
            incidence_per_1000: ratio(1000.0 * claims, exposure),
            claimed: Money::from_minor(sums.claimed),
            approved: Money::from_minor(sums.approved),
            paid: Money::from_minor(sums.paid),
            cost: Money::from_minor(sums.cost),
            average_claimed: ratio(units(sums.claimed), claims),
            average_approved: ratio(units(sums.approved), claims),
            average_paid: ratio(units(sums.paid), claims),
            average_cost: ratio(units(sums.cost), claims),
            stays: sums.stays,
            bed_days: sums.stay_days,
            alos: ratio(sums.stay_days as f64, sums.stays as f64),
            bed_days_per_1000: ratio(1000.0 * sums.stay_days as f64, exposure),
            risk_cost: ratio(units(sums.cost), exposure),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Settings {
    pub from: NaiveDate,
    /// The last day studied: the day asked, or the data's end if that came first.
    pub to: NaiveDate,
    /// The last day asked for, when the data ended before it.
    pub asked_to: Option<NaiveDate>,
    pub split: Split,
    pub age_bands: Vec<String>,
    pub duration_bands: Vec<String>,
    pub glm_factors: Vec<Factor>,
    pub members: usize,
    pub claims_given: usize,
}

/// Claims incurred in the study that are left out of the rates, and why.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct OutsideCounts {
    pub unknown_member: u64,
    pub not_covered: u64,
    pub pending: u64,
    /// Rejected claims: received, but not the scheme's cost.
    pub rejected: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    #[serde(flatten)]
    pub rates: Rates,
    /// Member-years of pending members (registered, not entitled), left out of the rates.
    pub pending_exposure: f64,
    /// Family-years: days on which at least one member of the family was covered.
    pub family_exposure: f64,
    pub family_exposure_with_pending: f64,
    pub average_family_size: Option<f64>,
    /// Members per family counting pending members too.
    pub average_family_size_with_pending: Option<f64>,
    pub incidence_per_1000_families: Option<f64>,
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub risk_cost_per_family: Option<f64>,
    pub outside: OutsideCounts,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodRow {
    pub period: String,
    #[serde(flatten)]
    pub rates: Rates,
    pub pending_exposure: f64,
    pub family_exposure: f64,
    pub average_family_size: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaseRow {
    pub clinical_category: String,
    /// None on the total line (and for claims without a specialty).
    pub specialty: Option<String>,
    #[serde(flatten)]
    pub rates: Rates,
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub risk_cost_per_family: Option<f64>,
    pub cost_share: Option<f64>,
    /// The line with its recent months completed; none when the study could not complete them.
    pub completed: Option<Completed>,
}

/// A base-table line's claims and cost with each month's completion factor, and the rates
/// they make over the same member-years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completed {
    pub claims: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub cost: f64,
    pub incidence_per_1000: Option<f64>,
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub average_cost: Option<f64>,
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub risk_cost: Option<f64>,
}

impl Completed {
    fn new(exposure: f64, (claims, cost): (f64, f64)) -> Completed {
        Completed {
            claims,
            cost,
            incidence_per_1000: ratio(1000.0 * claims, exposure),
            average_cost: ratio(cost, claims),
            risk_cost: ratio(cost, exposure),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelRow {
    pub level: String,
    #[serde(flatten)]
    pub rates: Rates,
    pub incidence_relativity: Option<f64>,
    pub cost_relativity: Option<f64>,
    pub alos_relativity: Option<f64>,
    pub risk_cost_relativity: Option<f64>,
}

/// One factor's levels against its base level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OneWay {
    pub factor: Factor,
    pub base: String,
    pub levels: Vec<LevelRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LocationRow {
    pub location: String,
    #[serde(flatten)]
    pub rates: Rates,
}

/// Poisson frequency (claims, log-exposure offset) and Gamma severity (average cost, claim-count
/// weights), both with a log link, over the cells of the GLM's factors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GlmResults {
    pub factors: Vec<Factor>,
    pub frequency: Option<GlmFit>,
    pub severity: Option<GlmFit>,
    pub notes: Vec<Sentence>,
}

/// Received, refused and paid, by year of incurral: every claim incurred in the study.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimedPaid {
    pub year: i32,
    pub claims: u64,
    pub claimed: Money,
    pub rejected_claims: u64,
    /// Claimed on rejected claims, and cut from the others.
    pub refused: Money,
    pub approved: Money,
    pub paid: Money,
    /// Approved and not yet paid (reported but not paid).
    pub unpaid: Money,
    pub paid_share: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LimitRow {
    /// "annual limit reached", or the limit-raising case that took a claim above it.
    pub reason: String,
    pub claims: u64,
    pub claimed: Money,
    pub approved: Money,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OwnershipRow {
    pub ownership: String,
    pub claims: u64,
    pub cost: Money,
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub average_cost: Option<f64>,
    pub claims_share: Option<f64>,
    pub alos: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagnostics {
    pub claimed_paid: Vec<ClaimedPaid>,
    pub limits: Vec<LimitRow>,
    pub ownership: Vec<OwnershipRow>,
}

/// One cell of the study: the table the GLMs fit, and what `carepool glm --data` reads.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CellRow {
    pub period: String,
    pub age: String,
    pub sex: String,
    pub area: String,
    pub duration: String,
    pub exposure: f64,
    pub pending_exposure: f64,
    pub claims: u64,
    pub cost: Money,
    /// Cost per claim, for a severity GLM fitted on the cells (weighted by the claims); none
    /// without claims.
    pub average_cost: Option<f64>,
    pub bed_days: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Experience {
    pub settings: Settings,
    pub summary: Summary,
    pub periods: Vec<PeriodRow>,
    /// By clinical category and specialty, the total last.
    pub base_table: Vec<BaseRow>,
    pub relativities: Vec<OneWay>,
    pub locations: Vec<LocationRow>,
    pub glm: GlmResults,
    pub diagnostics: Diagnostics,
    /// The completion factors of the study's months; none when they could not be estimated
    /// (a note says why).
    pub completion: Option<Completion>,
    pub cells: Vec<CellRow>,
    pub notes: Vec<Sentence>,
}

#[derive(Debug, Default, Clone, Copy)]
struct YearSums {
    claims: u64,
    claimed: i64,
    rejected_claims: u64,
    refused: i64,
    approved: i64,
    paid: i64,
}

/// What placing the claims gives beside the cells' sums.
pub(crate) struct PlacedClaims {
    by_category: BTreeMap<(u32, u32), ClaimSums>,
    by_location: Vec<ClaimSums>,
    by_ownership: [ClaimSums; 3],
    /// By limit-raising case, `UNKNOWN` for a claim cut at the limit.
    limits: BTreeMap<u32, ClaimSums>,
    by_year: BTreeMap<i32, YearSums>,
    outside: OutsideCounts,
    /// By (month incurred from the study's first, reporting delay) for the claims that say
    /// when they were received; and the same by line (`DELAY_NOT_KNOWN` for those that do
    /// not), for completing the lines.
    by_delay: BTreeMap<(u32, u16), Reported>,
    by_line_month: BTreeMap<(u32, u32), BTreeMap<(u32, u16), Reported>>,
}

impl PlacedClaims {
    /// Nothing placed yet, with `locations` locations besides the unknown.
    pub fn new(locations: usize) -> PlacedClaims {
        PlacedClaims {
            by_category: BTreeMap::new(),
            by_location: vec![ClaimSums::default(); locations + 1],
            by_ownership: [ClaimSums::default(); 3],
            limits: BTreeMap::new(),
            by_year: BTreeMap::new(),
            outside: OutsideCounts::default(),
            by_delay: BTreeMap::new(),
            by_line_month: BTreeMap::new(),
        }
    }

    /// Room for `locations` locations, the unknown one staying last.
    pub fn grow(&mut self, locations: usize) {
        grow_levels(&mut self.by_location, 1, locations);
    }
}

/// Puts each claim incurred in the study in its cell, or counts why it is left out, adding to
/// what was placed before (`placed` and `cells` have room for the counter's locations).
pub(crate) fn place_claims(counter: &Counter, cells: &mut Cells, placed: &mut PlacedClaims) {
    for claim in counter.data.claims.iter().filter(|c| counter.in_study(c)) {
        let year = placed.by_year.entry(claim.incurred.year()).or_default();
        year.claims += 1;
        year.claimed += claim.claimed;
        year.approved += claim.approved;
        year.paid += claim.paid;
        match claim.owed {
            None => {
                year.rejected_claims += 1;
                year.refused += claim.claimed;
            }
            Some(_) => year.refused += (claim.claimed - claim.approved).max(0),
        }
        let key = match counter.place(claim) {
            Ok(key) => key,
            Err(why) => {
                let outside = &mut placed.outside;
                *match why {
                    Outside::UnknownMember => &mut outside.unknown_member,
                    Outside::NotCovered => &mut outside.not_covered,
                    Outside::Pending => &mut outside.pending,
                } += 1;
                continue;
            }
        };
        let Some(cost) = claim.owed else {
            placed.outside.rejected += 1;
            continue;
        };
        let one = {
            let mut one = ClaimSums::default();
            one.add(claim, cost);
            one
        };
        cells.claims[cells.shape.index(key)] += one;
        let month = months_from(counter.from(), claim.incurred);
        let reported = Reported { claims: 1, cost };
        if claim.reporting_delay != DELAY_NOT_KNOWN {
            *placed
                .by_delay
                .entry((month, claim.reporting_delay))
                .or_default() += reported;
        }
        *placed
            .by_line_month
            .entry((claim.category, claim.specialty))
            .or_default()
            .entry((month, claim.reporting_delay))
            .or_default() += reported;
        *placed
            .by_category
            .entry((claim.category, claim.specialty))
            .or_default() += one;
        placed.by_location[counter.location_of_claim(claim)] += one;
        let ownership = match claim.ownership {
            Some(Ownership::Public) => 0,
            Some(Ownership::Private) => 1,
            None => 2,
        };
        placed.by_ownership[ownership] += one;
        if claim.limit_raised != UNKNOWN {
            *placed.limits.entry(claim.limit_raised).or_default() += one;
        } else if claim.limit_reached {
            *placed.limits.entry(UNKNOWN).or_default() += one;
        }
    }
}

pub(crate) struct Tables<'a> {
    pub study: &'a ExperienceStudy,
    pub data: &'a ExperienceData,
    pub periods: &'a [StudyPeriod],
    pub cells: &'a Cells,
    pub claims: &'a PlacedClaims,
    pub age_labels: Vec<String>,
    pub duration_labels: Vec<String>,
}

/// Exposure (active and pending member-years) and claims summed over some cells.
#[derive(Debug, Clone, Default)]
struct Margin {
    exposure: f64,
    pending: f64,
    claims: ClaimSums,
}

/// The level of a factor the data do not give (an age without a birth date).
pub const UNKNOWN_LEVEL: &str = "unknown";

impl Tables<'_> {
    fn years(&self, period: usize, days: u64) -> f64 {
        days as f64 / f64::from(self.periods[period].year_days)
    }

    /// Sums the cells by `level_of` each cell's key. Days are summed whole per period before
    /// they become years, so the result does not depend on how finely the cells are cut.
    fn margins(&self, levels: usize, level_of: impl Fn(&CellKey) -> usize) -> Vec<Margin> {
        let periods = self.periods.len();
        let mut active = vec![0u64; levels * periods];
        let mut pending = vec![0u64; levels * periods];
        let mut claims = vec![ClaimSums::default(); levels];
        let shape = self.cells.shape;
        for index in 0..shape.len() {
            let key = shape.key(index);
            let level = level_of(&key);
            active[level * periods + key.period] += self.cells.active_days[index];
            pending[level * periods + key.period] += self.cells.pending_days[index];
            claims[level] += self.cells.claims[index];
        }
        let years = |days: &[u64]| -> f64 {
            days.iter()
                .enumerate()
                .map(|(period, &d)| self.years(period, d))
                .sum()
        };
        claims
            .into_iter()
            .enumerate()
            .map(|(level, claims)| {
                let range = level * periods..(level + 1) * periods;
                Margin {
                    exposure: years(&active[range.clone()]),
                    pending: years(&pending[range]),
                    claims,
                }
            })
            .collect()
    }

    fn factor_given(&self, factor: Factor) -> bool {
        let given = self.data.given;
        match factor {
            Factor::Age => given.age,
            Factor::Sex => given.sex,
            Factor::Area => given.area,
            Factor::Duration | Factor::Period => true,
        }
    }

    /// The labels of a factor's levels, in cell order, the last for "not known".
    fn labels(&self, factor: Factor) -> Vec<String> {
        let mut labels: Vec<String> = match factor {
            Factor::Age => self.age_labels.clone(),
            Factor::Sex => vec!["F".into(), "M".into()],
            Factor::Area => (0..self.data.areas.len() as u32)
                .map(|a| self.data.areas.name(a).to_string())
                .collect(),
            Factor::Duration => return self.duration_labels.clone(),
            Factor::Period => return self.periods.iter().map(|p| p.label.clone()).collect(),
        };
        labels.push(UNKNOWN_LEVEL.into());
        labels
    }

    fn level(factor: Factor, key: &CellKey) -> usize {
        match factor {
            Factor::Age => key.age,
            Factor::Sex => key.sex,
            Factor::Area => key.area,
            Factor::Duration => key.duration,
            Factor::Period => key.period,
        }
    }

    pub fn experience(&self) -> Result<Experience, StudyError> {
        let summary = self.summary();
        // The periods' table is the calendar's one-way view.
        let factors: Vec<Factor> = Factor::ALL
            .iter()
            .copied()
            .filter(|&f| f != Factor::Period && self.factor_given(f))
            .collect();
        let mut relativities = Vec::with_capacity(factors.len());
        for &factor in &factors {
            relativities.push(self.one_way(factor)?);
        }
        // The period's levels and base, when the GLMs take it (a base period given is
        // checked either way).
        let mut glm_levels = relativities.clone();
        let period_used = self.study.glm_factors.contains(&Factor::Period);
        if period_used || self.study.base.contains_key(&Factor::Period) {
            let period = self.one_way(Factor::Period)?;
            if period_used {
                glm_levels.push(period);
            }
        }
        let periods = self.period_rows();
        let mut notes = vec![
            Sentence::new(
                Words::new("exposure-days", []),
                "Exposure counts exact days of active cover; a day is 1/365 of a year (1/366 in a leap year). Pending members are counted apart and left out of the rates.",
            ),
            Sentence::new(
                Words::new("claims-incurred", []),
                "Claims are counted by incurred date (admission, or the visit), for the members and days in the exposure; rejected claims and claims of pending, uncovered or unknown members are left out of the rates.",
            ),
            Sentence::new(
                Words::new("cost-owed", []),
                "Cost is what the scheme owes: the approved amount once decided, the claimed amount before; risk cost is cost per member-year.",
            ),
        ];
        for factor in Factor::ALL.iter().filter(|f| !self.factor_given(**f)) {
            notes.push(Sentence::new(
                Words::new(
                    "factor-not-given",
                    [("factor", Figure::text(factor.name()))],
                ),
                format!(
                    "The data gives no {}: it is not used as a factor.",
                    factor.name()
                ),
            ));
        }
        notes.extend(silent_periods_note(&periods));
        let completion = self.completion();
        notes.push(completion_note(&completion));
        if let Ok(completion) = &completion
            && completion.left_as_reported_under > 0
        {
            let months = completion.left_as_reported_under;
            notes.push(Sentence::new(
                Words::new(
                    "completion-young-as-reported",
                    [("months", Figure::Count(i64::from(months)))],
                ),
                format!(
                    "No claim was reported before it was {months} month(s) old: months younger than that have nothing to grow from and are left as reported."
                ),
            ));
        }
        let completion = completion.ok();
        Ok(Experience {
            settings: Settings {
                from: self.study.from,
                to: self.study.to,
                asked_to: None,
                split: self.study.split,
                age_bands: self.age_labels.clone(),
                duration_bands: self.duration_labels.clone(),
                glm_factors: self.study.glm_factors.clone(),
                members: self.data.member_count(),
                claims_given: self.data.claim_count(),
            },
            periods,
            base_table: self.base_table(&summary, completion.as_ref()),
            glm: self.glm(&glm_levels),
            relativities,
            locations: self.locations(),
            diagnostics: self.diagnostics(),
            completion,
            cells: self.cell_rows(),
            summary,
            notes,
        })
    }

    fn summary(&self) -> Summary {
        let all = self.margins(1, |_| 0).remove(0);
        let families = self.family_years(&self.cells.family_days);
        let families_with_pending = self.family_years(&self.cells.family_days_with_pending);
        let rates = Rates::new(all.exposure, &all.claims);
        let family_size = ratio(all.exposure, families);
        Summary {
            pending_exposure: all.pending,
            family_exposure: families,
            family_exposure_with_pending: families_with_pending,
            average_family_size: family_size,
            average_family_size_with_pending: ratio(
                all.exposure + all.pending,
                families_with_pending,
            ),
            incidence_per_1000_families: ratio(1000.0 * all.claims.claims as f64, families),
            risk_cost_per_family: rates.risk_cost.zip(family_size).map(|(r, f)| r * f),
            outside: self.claims.outside,
            rates,
        }
    }

    fn family_years(&self, days: &[u64]) -> f64 {
        days.iter()
            .enumerate()
            .map(|(period, &d)| self.years(period, d))
            .sum()
    }

    fn period_rows(&self) -> Vec<PeriodRow> {
        self.margins(self.periods.len(), |key| key.period)
            .into_iter()
            .enumerate()
            .map(|(i, margin)| {
                let families = self.years(i, self.cells.family_days[i]);
                PeriodRow {
                    period: self.periods[i].label.clone(),
                    rates: Rates::new(margin.exposure, &margin.claims),
                    pending_exposure: margin.pending,
                    family_exposure: families,
                    average_family_size: ratio(margin.exposure, families),
                }
            })
            .collect()
    }

    /// The study's months completed, valued where the data end.
    fn completion(&self) -> Result<Completion, NotCompleted> {
        let end = self.data.end().ok_or(NotCompleted::NoReceivedDates)?;
        Development {
            first: self.study.from,
            last: self.study.to,
            data_end: end.date.max(self.study.to),
            by_delay: &self.claims.by_delay,
        }
        .complete()
    }

    fn base_table(&self, summary: &Summary, completion: Option<&Completion>) -> Vec<BaseRow> {
        let exposure = summary.rates.exposure;
        let total_cost = units(summary.rates.cost.minor());
        let completed = |by_delay: &BTreeMap<(u32, u16), Reported>| {
            completion.map(|c| Completed::new(exposure, c.completed(by_delay)))
        };
        let row = |category: String,
                   specialty: Option<String>,
                   sums: &ClaimSums,
                   completed: Option<Completed>| {
            let rates = Rates::new(exposure, sums);
            BaseRow {
                completed,
                clinical_category: category,
                specialty,
                risk_cost_per_family: rates
                    .risk_cost
                    .zip(summary.average_family_size)
                    .map(|(r, f)| r * f),
                cost_share: ratio(units(sums.cost), total_cost),
                rates,
            }
        };
        let mut rows: Vec<BaseRow> = self
            .claims
            .by_category
            .iter()
            .map(|(&(category, specialty), sums)| {
                let by_month = &self.claims.by_line_month[&(category, specialty)];
                row(
                    self.data.categories.name(category).to_string(),
                    (specialty != UNKNOWN).then(|| self.data.specialties.name(specialty).into()),
                    sums,
                    completed(by_month),
                )
            })
            .collect();
        rows.sort_by(|a, b| {
            (&a.clinical_category, &a.specialty).cmp(&(&b.clinical_category, &b.specialty))
        });
        let mut total = ClaimSums::default();
        for sums in self.claims.by_category.values() {
            total += *sums;
        }
        let mut total_by_month: BTreeMap<(u32, u16), Reported> = BTreeMap::new();
        for by_delay in self.claims.by_line_month.values() {
            for (key, reported) in by_delay {
                *total_by_month.entry(*key).or_default() += *reported;
            }
        }
        rows.push(row(
            "total".into(),
            None,
            &total,
            completed(&total_by_month),
        ));
        rows
    }

    fn one_way(&self, factor: Factor) -> Result<OneWay, StudyError> {
        let labels = self.labels(factor);
        let margins = self.margins(labels.len(), |key| Self::level(factor, key));
        let present: Vec<usize> = (0..labels.len())
            .filter(|&l| margins[l].exposure > 0.0)
            .collect();
        let base = self.base_level(factor, &labels, &margins, &present)?;
        let base_rates = Rates::new(margins[base].exposure, &margins[base].claims);
        let relative = |value: Option<f64>, base: Option<f64>| {
            value.zip(base).and_then(|(v, b)| (b > 0.0).then(|| v / b))
        };
        let levels = present
            .iter()
            .map(|&l| {
                let rates = Rates::new(margins[l].exposure, &margins[l].claims);
                LevelRow {
                    level: labels[l].clone(),
                    incidence_relativity: relative(
                        rates.incidence_per_1000,
                        base_rates.incidence_per_1000,
                    ),
                    cost_relativity: relative(rates.average_cost, base_rates.average_cost),
                    alos_relativity: relative(rates.alos, base_rates.alos),
                    risk_cost_relativity: relative(rates.risk_cost, base_rates.risk_cost),
                    rates,
                }
            })
            .collect();
        Ok(OneWay {
            factor,
            base: labels[base].clone(),
            levels,
        })
    }

    /// The chosen base level, or the known level with the most exposure.
    fn base_level(
        &self,
        factor: Factor,
        labels: &[String],
        margins: &[Margin],
        present: &[usize],
    ) -> Result<usize, StudyError> {
        if let Some(chosen) = self.study.base.get(&factor) {
            return present
                .iter()
                .copied()
                .find(|&l| &labels[l] == chosen)
                .ok_or_else(|| StudyError::UnknownBase {
                    factor: factor.name(),
                    level: chosen.clone(),
                    levels: present
                        .iter()
                        .map(|&l| labels[l].as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
        }
        Ok(present
            .iter()
            .copied()
            .filter(|&l| labels[l] != UNKNOWN_LEVEL)
            .max_by(|&a, &b| margins[a].exposure.total_cmp(&margins[b].exposure))
            .unwrap_or(present[0]))
    }

    fn glm(&self, one_ways: &[OneWay]) -> GlmResults {
        let mut notes = Vec::new();
        let factors: Vec<Factor> = self
            .study
            .glm_factors
            .iter()
            .copied()
            .filter(|&factor| {
                let levels = one_ways.iter().find(|o| o.factor == factor).map_or(0, |o| {
                    o.levels.iter().filter(|l| l.level != UNKNOWN_LEVEL).count()
                });
                if levels < 2 {
                    notes.push(Sentence::new(
                        Words::new(
                            "glm-factor-left-out",
                            [("factor", Figure::text(factor.name()))],
                        ),
                        format!(
                            "{} is left out of the GLMs: the data gives it fewer than two levels.",
                            factor.name()
                        ),
                    ));
                }
                levels >= 2
            })
            .collect();
        let labels: Vec<Vec<String>> = factors.iter().map(|&f| self.labels(f)).collect();
        // The cells of the GLM's factors, those with a level not known left out.
        let mut groups: BTreeMap<Vec<usize>, Margin> = BTreeMap::new();
        let mut unknown_exposure = 0.0;
        let shape = self.cells.shape;
        for index in 0..shape.len() {
            let key = shape.key(index);
            let exposure = self.years(key.period, self.cells.active_days[index]);
            let levels: Vec<usize> = factors.iter().map(|&f| Self::level(f, &key)).collect();
            let unknown = levels
                .iter()
                .zip(&labels)
                .any(|(&l, labels)| labels[l] == UNKNOWN_LEVEL);
            if unknown {
                unknown_exposure += exposure;
                continue;
            }
            let group = groups.entry(levels).or_default();
            group.exposure += exposure;
            group.claims += self.cells.claims[index];
        }
        if unknown_exposure > 0.0 {
            notes.push(Sentence::new(
                Words::new(
                    "glm-unknown-left-out",
                    [("years", Figure::Number(format!("{unknown_exposure:.1}")))],
                ),
                format!(
                    "{unknown_exposure:.1} member-years with a factor not known are left out of the GLMs."
                ),
            ));
        }
        let terms = |rows: &[(&Vec<usize>, &Margin)]| -> Vec<Term> {
            factors
                .iter()
                .enumerate()
                .map(|(j, &factor)| Term::Factor {
                    name: factor.name().to_string(),
                    levels: rows.iter().map(|(k, _)| labels[j][k[j]].clone()).collect(),
                    base: one_ways
                        .iter()
                        .find(|o| o.factor == factor)
                        .map(|o| o.base.clone()),
                })
                .collect()
        };
        let exposed: Vec<(&Vec<usize>, &Margin)> =
            groups.iter().filter(|(_, m)| m.exposure > 0.0).collect();
        let frequency = GlmData {
            response: exposed
                .iter()
                .map(|(_, m)| m.claims.claims as f64)
                .collect(),
            offset: Some(exposed.iter().map(|(_, m)| m.exposure.ln()).collect()),
            weights: None,
            terms: terms(&exposed),
        };
        let claimed: Vec<(&Vec<usize>, &Margin)> = groups
            .iter()
            .filter(|(_, m)| m.claims.claims > 0 && m.claims.cost > 0)
            .collect();
        let severity = GlmData {
            response: claimed
                .iter()
                .map(|(_, m)| units(m.claims.cost) / m.claims.claims as f64)
                .collect(),
            weights: Some(
                claimed
                    .iter()
                    .map(|(_, m)| m.claims.claims as f64)
                    .collect(),
            ),
            offset: None,
            terms: terms(&claimed),
        };
        let mut fit = |what: &str, family: Family, data: &GlmData| {
            Glm::new(family, Link::Log)
                .fit(data)
                .map_err(|error| notes.push(not_fitted(what, &error)))
                .ok()
        };
        let frequency = fit("frequency", Family::Poisson, &frequency);
        let severity = fit("severity", Family::Gamma, &severity);
        GlmResults {
            factors,
            frequency,
            severity,
            notes,
        }
    }

    fn locations(&self) -> Vec<LocationRow> {
        let count = self.data.locations.len() + 1;
        let mut exposure = vec![0.0; count];
        for (period, chunk) in self.cells.location_days.chunks(count).enumerate() {
            for (location, &days) in chunk.iter().enumerate() {
                exposure[location] += self.years(period, days);
            }
        }
        (0..count)
            .filter(|&l| exposure[l] > 0.0 || self.claims.by_location[l].claims > 0)
            .map(|l| LocationRow {
                location: match l {
                    l if l == count - 1 => UNKNOWN_LEVEL.into(),
                    l => self.data.locations.name(l as u32).into(),
                },
                rates: Rates::new(exposure[l], &self.claims.by_location[l]),
            })
            .collect()
    }

    fn diagnostics(&self) -> Diagnostics {
        let claimed_paid = self
            .claims
            .by_year
            .iter()
            .map(|(&year, sums)| ClaimedPaid {
                year,
                claims: sums.claims,
                claimed: Money::from_minor(sums.claimed),
                rejected_claims: sums.rejected_claims,
                refused: Money::from_minor(sums.refused),
                approved: Money::from_minor(sums.approved),
                paid: Money::from_minor(sums.paid),
                unpaid: Money::from_minor((sums.approved - sums.paid).max(0)),
                paid_share: ratio(sums.paid as f64, sums.claimed as f64),
            })
            .collect();
        // The cases by name, the limit reached last: in the same order however the claims
        // came (a study counted by pages meets them in another order).
        let mut cases: Vec<(&u32, &ClaimSums)> = self.claims.limits.iter().collect();
        cases.sort_by_key(|&(&case, _)| {
            (
                case == UNKNOWN,
                (case != UNKNOWN).then(|| self.data.raising_cases.name(case)),
            )
        });
        let limits = cases
            .into_iter()
            .map(|(&case, sums)| LimitRow {
                reason: match case {
                    UNKNOWN => "annual limit reached".into(),
                    case => format!(
                        "raised above the limit: {}",
                        self.data.raising_cases.name(case)
                    ),
                },
                claims: sums.claims,
                claimed: Money::from_minor(sums.claimed),
                approved: Money::from_minor(sums.approved),
            })
            .collect();
        let all: u64 = self.claims.by_ownership.iter().map(|s| s.claims).sum();
        let ownership = ["public", "private", UNKNOWN_LEVEL]
            .iter()
            .zip(&self.claims.by_ownership)
            .filter(|(_, sums)| sums.claims > 0)
            .map(|(name, sums)| OwnershipRow {
                ownership: name.to_string(),
                claims: sums.claims,
                cost: Money::from_minor(sums.cost),
                average_cost: ratio(units(sums.cost), sums.claims as f64),
                claims_share: ratio(sums.claims as f64, all as f64),
                alos: ratio(sums.stay_days as f64, sums.stays as f64),
            })
            .collect();
        Diagnostics {
            claimed_paid,
            limits,
            ownership,
        }
    }

    fn cell_rows(&self) -> Vec<CellRow> {
        let shape = self.cells.shape;
        let ages = self.labels(Factor::Age);
        let sexes = self.labels(Factor::Sex);
        let areas = self.labels(Factor::Area);
        (0..shape.len())
            .filter(|&i| self.cells.active_days[i] > 0 || self.cells.pending_days[i] > 0)
            .map(|i| {
                let key = shape.key(i);
                let claims = &self.cells.claims[i];
                CellRow {
                    period: self.periods[key.period].label.clone(),
                    age: ages[key.age].clone(),
                    sex: sexes[key.sex].clone(),
                    area: areas[key.area].clone(),
                    duration: self.duration_labels[key.duration].clone(),
                    exposure: self.years(key.period, self.cells.active_days[i]),
                    pending_exposure: self.years(key.period, self.cells.pending_days[i]),
                    claims: claims.claims,
                    cost: Money::from_minor(claims.cost),
                    average_cost: ratio(units(claims.cost), claims.claims as f64),
                    bed_days: claims.stay_days,
                }
            })
            .collect()
    }
}
