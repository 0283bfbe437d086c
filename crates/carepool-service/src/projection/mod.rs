//! Projection assumptions in words and dates, as the assumptions file and the API give them:
//! checked once, then turned into the engine's [`Assumptions`] and stress [`Scenario`]s.
//! docs/PROJECTION.md documents every field.

mod credibility;
mod experience;
mod reform;
mod sources;

pub use credibility::{CredibilityEntry, CredibilityMethod};

pub use experience::{ExperienceEntry, StudyRelativities, StudyTaken, study_lines};
pub use reform::ReformTaken;
pub use sources::InputSource;

use carepool_actuarial::credibility::BlendedLine;
use carepool_actuarial::projection::{
    Assumptions, BaseLine, BenefitChange, Incidence, LineAssumptions, MixCell, NewBenefit,
    RateYears, Timing, interpolated_mix, mix_from_members,
};
use carepool_actuarial::stress::{Flex, Scenario, StressError, StressTests, stress_test};
use carepool_actuarial::{NotFinite, check_finite};
use carepool_core::registry::FieldError;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectionFile {
    /// The currency of the amounts, shown with them in the reports (a scheme's, as XOF).
    #[serde(default)]
    pub currency: Option<String>,
    /// The base table; an experience study gives it.
    #[serde(default)]
    pub base: BaseTable,
    pub projection: Period,
    #[serde(default)]
    pub trends: Trends,
    pub population: Population,
    #[serde(default)]
    pub relativities: Relativities,
    /// By line name: what a line of the base table assumes apart from the scheme.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub line_assumptions: BTreeMap<String, LineAssumptionsEntry>,
    #[serde(default)]
    pub benefit_changes: Vec<BenefitChangeEntry>,
    #[serde(default)]
    pub new_benefits: Vec<NewBenefitEntry>,
    #[serde(default)]
    pub loadings: Loadings,
    #[serde(default)]
    pub stress: Vec<StressEntry>,
    /// How an experience study is taken into the assumptions (`carepool project
    /// --experience`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub experience: Option<ExperienceEntry>,
    /// The base table blended with a reference table by credibility.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credibility: Option<CredibilityEntry>,
    /// What the experience study gave, once taken.
    #[serde(skip)]
    pub taken: Option<StudyTaken>,
    /// A reform priced on the scheme's claims, its factors applied to the base table's lines.
    #[serde(skip)]
    pub reform: Option<ReformTaken>,
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    value == &T::default()
}

/// The starting base table and the date its rates stand at (the middle of the experience).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BaseTable {
    /// The date the rates stand at; an experience study's gives the middle of its period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<NaiveDate>,
    /// A base table file (read by the command line; the API takes `lines`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(default)]
    pub lines: Vec<LineEntry>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LineEntry {
    pub name: String,
    pub incidence_per_1000: f64,
    pub average_cost: f64,
    /// The claims the rates rest on, which credibility weighs them by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claims: Option<f64>,
}

/// What one line of the base table assumes apart from the scheme, whether the line is given
/// inline or read from a table file: each value given replaces the scheme's for that line.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LineAssumptionsEntry {
    /// Rates per year, as the scheme's [`Trends`] (same years, same timing).
    pub medical_inflation: Option<Vec<f64>>,
    pub technology: Option<Vec<f64>>,
    pub utilisation: Option<Vec<f64>>,
    /// The average cost is a nominal amount per claim fixed by decree: it does not inflate and
    /// is the same for every cell of the population.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fixed_cost: bool,
    /// The line's own relativities tables, each in place of the scheme's for its factor.
    #[serde(default)]
    pub relativities: LineRelativities,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Period {
    /// The first day of the first projection year.
    pub start: NaiveDate,
    pub years: usize,
    /// The years the premium is levelled over [default: every year].
    pub contract_years: Option<usize>,
}

/// Rates per year from the year starting on `from` (the projection's start unless given); a
/// list shorter than the projection repeats its last value, and its first value also acts
/// before its year.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Trends {
    /// The first day of the year the first rate is for: a date before the projection's start
    /// gives the gap years from the base date their own rates.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub timing: TimingEntry,
    #[serde(default)]
    pub medical_inflation: Vec<f64>,
    #[serde(default)]
    pub technology: Vec<f64>,
    #[serde(default)]
    pub utilisation: Vec<f64>,
}

/// How each yearly rate acts on its year: docs/PROJECTION.md, "Timing".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TimingEntry {
    /// From the middle of the year before to the middle of its own year.
    #[default]
    MidYear,
    /// From the first day of its year to the last.
    WithinYear,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Population {
    /// Members covered each year; or leave it out and give each cell's `members`.
    #[serde(default)]
    pub members: Vec<f64>,
    /// Per year; an experience study gives its average when the file leaves it out.
    #[serde(default)]
    pub family_size: Vec<f64>,
    #[serde(default)]
    pub cells: Vec<CellEntry>,
}

/// A cell of the population (its age band, sex and area, each optional) and how many it
/// holds: its share in the base table's experience, and either its members each year or its
/// share at the start and at the end, interpolated linearly.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CellEntry {
    pub age: Option<String>,
    pub sex: Option<String>,
    pub area: Option<String>,
    /// The share of the experience's member-years; an experience study's gives it.
    pub base_share: Option<f64>,
    #[serde(default)]
    pub members: Vec<f64>,
    pub start_share: Option<f64>,
    pub target_share: Option<f64>,
}

/// Relativities (incidence and average cost) by level of each factor; a level not given is 1.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Relativities {
    #[serde(default)]
    pub age: BTreeMap<String, Relativity>,
    #[serde(default)]
    pub sex: BTreeMap<String, Relativity>,
    #[serde(default)]
    pub area: BTreeMap<String, Relativity>,
}

/// A line's own relativities by factor; a factor left out takes the scheme's table.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LineRelativities {
    pub age: Option<BTreeMap<String, Relativity>>,
    pub sex: Option<BTreeMap<String, Relativity>>,
    pub area: Option<BTreeMap<String, Relativity>>,
}

impl LineRelativities {
    fn is_empty(&self) -> bool {
        self.age.is_none() && self.sex.is_none() && self.area.is_none()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Relativity {
    pub incidence: f64,
    pub cost: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BenefitChangeEntry {
    /// The line changed; every line when left out.
    pub line: Option<String>,
    pub from: NaiveDate,
    #[serde(default = "one")]
    pub incidence_factor: f64,
    #[serde(default = "one")]
    pub cost_factor: f64,
}

fn one() -> f64 {
    1.0
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct NewBenefitEntry {
    pub name: String,
    /// Per 1,000 member-years; or `per_claim_of` a line with a `ratio`.
    pub incidence_per_1000: Option<f64>,
    pub per_claim_of: Option<String>,
    pub ratio: Option<f64>,
    pub unit_cost: f64,
    pub from: NaiveDate,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Loadings {
    /// Share of the gross premium, per year [default: 0].
    #[serde(default)]
    pub expenses: Vec<f64>,
    #[serde(default)]
    pub contingency: f64,
    #[serde(default)]
    pub investment_return: f64,
    #[serde(default)]
    pub refund_share: f64,
}

/// A stress test: the assumptions it moves (together).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StressEntry {
    pub name: String,
    /// Added to every year's rate.
    pub medical_inflation: Option<f64>,
    pub technology: Option<f64>,
    pub utilisation: Option<f64>,
    pub expenses: Option<f64>,
    // New keys are left out when not given, so that assumptions stored before them read back
    // as the same text (a premium basis compares them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub investment_return: Option<f64>,
    /// Factors.
    pub family_size: Option<f64>,
    pub limits_incidence: Option<f64>,
    pub limits_cost: Option<f64>,
    /// Every cell at its target share from the first year.
    #[serde(default)]
    pub target_mix: bool,
    /// The members expected each year, in place of the population's (a slower enrolment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<f64>>,
}

fn invalid(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, message)
}

/// Years from `from` to `to`, by days over 365.25.
fn years_between(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64 / 365.25
}

impl ProjectionFile {
    fn cell_name(cell: &CellEntry) -> String {
        [&cell.age, &cell.sex, &cell.area]
            .iter()
            .filter_map(|l| l.as_deref())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// A cell's relativities: the product of its levels' in the scheme's tables, or in a
    /// line's own where it gives one for the factor.
    fn relativity(
        &self,
        cell: &CellEntry,
        line: Option<&LineRelativities>,
    ) -> Result<(f64, f64), FieldError> {
        let scheme = &self.relativities;
        fn table<'a>(
            own: Option<&'a Option<BTreeMap<String, Relativity>>>,
            scheme: &'a BTreeMap<String, Relativity>,
        ) -> &'a BTreeMap<String, Relativity> {
            own.and_then(Option::as_ref).unwrap_or(scheme)
        }
        let mut product = (1.0, 1.0);
        for (level, table) in [
            (&cell.age, table(line.map(|l| &l.age), &scheme.age)),
            (&cell.sex, table(line.map(|l| &l.sex), &scheme.sex)),
            (&cell.area, table(line.map(|l| &l.area), &scheme.area)),
        ] {
            if let Some(relativity) = level.as_ref().and_then(|l| table.get(l)) {
                if relativity.incidence < 0.0 || relativity.cost <= 0.0 {
                    return Err(invalid(
                        "relativities",
                        format!("{level:?}: incidence must be 0 or more and cost above 0"),
                    ));
                }
                product = (
                    product.0 * relativity.incidence,
                    product.1 * relativity.cost,
                );
            }
        }
        Ok(product)
    }

    /// The members each year and the mix each year, from the cells' members or their shares.
    fn population(&self) -> Result<(Vec<f64>, Vec<Vec<f64>>), FieldError> {
        let years = self.projection.years;
        let cells = &self.population.cells;
        let by_members = cells.iter().any(|c| !c.members.is_empty());
        if by_members {
            if cells.iter().any(|c| c.members.is_empty()) || !self.population.members.is_empty() {
                return Err(invalid(
                    "population",
                    "give the members either per cell (every cell) or as yearly totals with start and target shares",
                ));
            }
            let members: Vec<Vec<f64>> = cells.iter().map(|c| c.members.clone()).collect();
            return Ok(mix_from_members(&members, years));
        }
        if self.population.members.is_empty() {
            return Err(invalid(
                "population.members",
                "needs the members covered each year",
            ));
        }
        let shares: Vec<(f64, f64)> = cells
            .iter()
            .map(|c| {
                let start = c.start_share.or(c.base_share).unwrap_or(0.0);
                (start, c.target_share.unwrap_or(start))
            })
            .collect();
        let mix = interpolated_mix(&shares, years);
        Ok((self.population.members.clone(), mix))
    }

    /// The population's cells with their relativities, the scheme's or a line's own.
    fn mix_cells(&self, line: Option<&LineRelativities>) -> Result<Vec<MixCell>, FieldError> {
        self.population
            .cells
            .iter()
            .map(|cell| {
                let (incidence, cost) = self.relativity(cell, line)?;
                Ok(MixCell {
                    name: Self::cell_name(cell),
                    incidence,
                    cost,
                })
            })
            .collect()
    }

    fn base_lines(&self) -> Result<Vec<BaseLine>, FieldError> {
        if self.base.lines.is_empty() {
            return Err(invalid(
                "base.lines",
                "the base table has no line: give lines, a table file, or an experience study (--experience)",
            ));
        }
        // The lines as priced: the base table's, or blended with the reference.
        let lines: Vec<LineEntry> = match self.blended_lines()? {
            None => self.base.lines.clone(),
            Some(blended) => blended
                .into_iter()
                .map(|line| LineEntry {
                    name: line.name,
                    incidence_per_1000: line.incidence * 1000.0,
                    average_cost: line.average_cost,
                    claims: Some(line.claims),
                })
                .collect(),
        };
        let lines = self.reformed(lines)?;
        if let Some(unknown) = (self.line_assumptions.keys())
            .find(|name| !lines.iter().any(|line| &line.name == *name))
        {
            return Err(invalid(
                "line_assumptions",
                format!("no line {unknown} in the base table"),
            ));
        }
        lines
            .iter()
            .map(|line| {
                if !(line.incidence_per_1000 >= 0.0 && line.average_cost >= 0.0) {
                    return Err(invalid(
                        "base.lines",
                        format!(
                            "{}: incidence and average cost must be 0 or more",
                            line.name
                        ),
                    ));
                }
                let own = self.line_assumptions.get(&line.name);
                if let Some(own) = own
                    && own.fixed_cost
                    && own.medical_inflation.is_some()
                {
                    return Err(invalid(
                        "line_assumptions",
                        format!(
                            "{}: a fixed cost does not inflate: give medical_inflation or fixed_cost, not both",
                            line.name
                        ),
                    ));
                }
                let own = match own {
                    None => LineAssumptions::default(),
                    Some(own) => LineAssumptions {
                        medical_inflation: own.medical_inflation.clone(),
                        technology_trend: own.technology.clone(),
                        utilisation_trend: own.utilisation.clone(),
                        fixed_cost: own.fixed_cost,
                        cells: match own.relativities.is_empty() {
                            true => None,
                            false => Some(self.mix_cells(Some(&own.relativities))?),
                        },
                    },
                };
                Ok(BaseLine {
                    name: line.name.clone(),
                    incidence: line.incidence_per_1000 / 1000.0,
                    average_cost: line.average_cost,
                    own,
                })
            })
            .collect()
    }

    /// The engine's assumptions.
    pub fn assumptions(&self) -> Result<Assumptions, FieldError> {
        let start = self.projection.start;
        let years = self.projection.years;
        if years == 0 {
            return Err(invalid("projection.years", "must be 1 or more"));
        }
        if let Some(from) = self.trends.from
            && from > start
        {
            // The first rate would stand for every year before it: a slip, not an assumption.
            return Err(invalid(
                "trends.from",
                format!(
                    "{from} is after the projection's start ({start}): the rates must cover the projection from its first year"
                ),
            ));
        }
        // Before the population is spread over the years.
        carepool_actuarial::check_years("years", years)
            .map_err(|error| invalid("projection.years", error.to_string()))?;
        let base = self.base_lines()?;
        let Some(base_date) = self.base.date else {
            return Err(invalid(
                "base.date",
                "needs the date the base table's rates stand at (the middle of its experience), or an experience study to give it (--experience)",
            ));
        };
        let base_mix = self
            .population
            .cells
            .iter()
            .map(|cell| {
                cell.base_share.ok_or_else(|| {
                    invalid(
                        "population.cells",
                        format!("{}: needs its base_share", Self::cell_name(cell)),
                    )
                })
            })
            .collect::<Result<Vec<f64>, FieldError>>()?;
        let (members, mix) = self.population()?;
        let cells = self.mix_cells(None)?;
        let rates = |values: &Vec<f64>| match values.is_empty() {
            true => vec![0.0],
            false => values.clone(),
        };
        let new_benefits = self
            .new_benefits
            .iter()
            .map(|b| {
                let incidence = match (b.incidence_per_1000, &b.per_claim_of) {
                    (Some(rate), None) => Incidence::PerMemberYear(rate / 1000.0),
                    (None, Some(line)) => Incidence::PerClaimOf {
                        line: line.clone(),
                        ratio: b.ratio.unwrap_or(1.0),
                    },
                    _ => {
                        return Err(invalid(
                            "new_benefits",
                            format!(
                                "{}: give incidence_per_1000 or per_claim_of, not both",
                                b.name
                            ),
                        ));
                    }
                };
                Ok(NewBenefit {
                    name: b.name.clone(),
                    incidence,
                    unit_cost: b.unit_cost,
                    from: years_between(start, b.from),
                })
            })
            .collect::<Result<Vec<_>, FieldError>>()?;
        Ok(Assumptions {
            base,
            base_to_start: years_between(base_date, start),
            rate_years: RateYears {
                first_year: years_between(base_date, self.trends.from.unwrap_or(start)),
                timing: match self.trends.timing {
                    TimingEntry::MidYear => Timing::MidYear,
                    TimingEntry::WithinYear => Timing::WithinYear,
                },
            },
            years,
            contract_years: self.projection.contract_years.unwrap_or(years),
            medical_inflation: rates(&self.trends.medical_inflation),
            technology_trend: rates(&self.trends.technology),
            utilisation_trend: rates(&self.trends.utilisation),
            members,
            family_size: self.population.family_size.clone(),
            base_mix,
            cells,
            mix,
            benefit_changes: self
                .benefit_changes
                .iter()
                .map(|c| BenefitChange {
                    line: c.line.clone(),
                    from: years_between(start, c.from),
                    incidence_factor: c.incidence_factor,
                    cost_factor: c.cost_factor,
                })
                .collect(),
            new_benefits,
            expenses: rates(&self.loadings.expenses),
            contingency: self.loadings.contingency,
            investment_return: self.loadings.investment_return,
            refund_share: self.loadings.refund_share,
        })
    }

    pub fn scenarios(&self) -> Vec<Scenario> {
        self.stress
            .iter()
            .map(|entry| {
                let mut flexes = Vec::new();
                let mut add = |value: Option<f64>, flex: fn(f64) -> Flex| {
                    if let Some(value) = value {
                        flexes.push(flex(value));
                    }
                };
                add(entry.medical_inflation, Flex::MedicalInflation);
                add(entry.technology, Flex::TechnologyTrend);
                add(entry.utilisation, Flex::UtilisationTrend);
                add(entry.expenses, Flex::Expenses);
                add(entry.investment_return, Flex::InvestmentReturn);
                add(entry.family_size, Flex::FamilySize);
                if let Some(members) = &entry.members {
                    flexes.push(Flex::Members(members.clone()));
                }
                if entry.limits_incidence.is_some() || entry.limits_cost.is_some() {
                    flexes.push(Flex::Limits {
                        incidence: entry.limits_incidence.unwrap_or(1.0),
                        cost: entry.limits_cost.unwrap_or(1.0),
                    });
                }
                if entry.target_mix {
                    let target = self
                        .population
                        .cells
                        .iter()
                        .map(|c| (c.target_share.or(c.start_share).or(c.base_share)).unwrap_or(0.0))
                        .collect();
                    flexes.push(Flex::Mix(target));
                }
                Scenario {
                    name: entry.name.clone(),
                    flexes,
                }
            })
            .collect()
    }

    /// The projection and its stress tests.
    /// The projection and its stress tests; refused if a figure is not a finite number
    /// (assumptions that compound past what a number holds).
    pub fn run(&self) -> Result<StressTests, ProjectionRunError> {
        if let Some(currency) = &self.currency {
            carepool_core::registry::check_currency("currency", currency)?;
        }
        let assumptions = self.assumptions()?;
        let tests = stress_test(&assumptions, &self.scenarios())?;
        check_finite(&tests)?;
        Ok(tests)
    }
}

/// A projection as it is written out: where each input came from, the base table's blend by
/// credibility when there is one, then the results.
#[derive(Serialize)]
pub struct ProjectionWritten<'a> {
    pub inputs: Vec<InputSource>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credibility: Option<Vec<BlendedLine>>,
    #[serde(flatten)]
    pub tests: &'a StressTests,
}

impl<'a> ProjectionWritten<'a> {
    /// `tests`, the run of `file`.
    pub fn of(file: &ProjectionFile, tests: &'a StressTests) -> ProjectionWritten<'a> {
        ProjectionWritten {
            inputs: file.sources(),
            // The run succeeded, so the blend did.
            credibility: file.blended_lines().ok().flatten(),
            tests,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProjectionRunError {
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error(transparent)]
    Stress(#[from] StressError),
    #[error(transparent)]
    NotFinite(#[from] NotFinite),
}

#[cfg(test)]
mod tests;
