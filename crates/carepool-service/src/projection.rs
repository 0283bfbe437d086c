//! Projection assumptions in words and dates, as the assumptions file and the API give them:
//! checked once, then turned into the engine's [`Assumptions`] and stress [`Scenario`]s.
//! docs/PROJECTION.md documents every field.

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
}

/// The starting base table and the date its rates stand at (the middle of the experience).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BaseTable {
    pub date: NaiveDate,
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
    #[serde(default)]
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
    pub base_share: f64,
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
    pub investment_return: Option<f64>,
    /// Factors.
    pub family_size: Option<f64>,
    pub limits_incidence: Option<f64>,
    pub limits_cost: Option<f64>,
    /// Every cell at its target share from the first year.
    #[serde(default)]
    pub target_mix: bool,
    /// The members expected each year, in place of the population's (a slower enrolment).
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
                let start = c.start_share.unwrap_or(c.base_share);
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
            return Err(invalid("base.lines", "the base table has no line"));
        }
        if let Some(unknown) = (self.line_assumptions.keys())
            .find(|name| !self.base.lines.iter().any(|line| &line.name == *name))
        {
            return Err(invalid(
                "line_assumptions",
                format!("no line {unknown} in the base table"),
            ));
        }
        self.base
            .lines
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
        // Before the population is spread over the years.
        carepool_actuarial::check_years("years", years)
            .map_err(|error| invalid("projection.years", error.to_string()))?;
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
            base: self.base_lines()?,
            base_to_start: years_between(self.base.date, start),
            rate_years: RateYears {
                first_year: years_between(self.base.date, self.trends.from.unwrap_or(start)),
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
            base_mix: self.population.cells.iter().map(|c| c.base_share).collect(),
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
                        .map(|c| c.target_share.or(c.start_share).unwrap_or(c.base_share))
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
mod tests {
    use super::*;

    fn file(json: serde_json::Value) -> ProjectionFile {
        serde_json::from_value(json).unwrap()
    }

    fn minimal() -> serde_json::Value {
        serde_json::json!({
            "base": { "date": "2026-04-01", "lines": [
                { "name": "surgery", "incidence_per_1000": 2.0, "average_cost": 1000.0 }
            ] },
            "projection": { "start": "2027-04-01", "years": 3 },
            "population": { "members": [100.0, 200.0], "family_size": [4.0] }
        })
    }

    #[test]
    fn dates_become_years_and_rates_take_their_defaults() {
        let a = file(minimal()).assumptions().unwrap();
        assert!((a.base_to_start - 365.0 / 365.25).abs() < 1e-12);
        assert_eq!(a.contract_years, 3);
        assert_eq!(a.base[0].incidence, 0.002);
        assert_eq!(a.medical_inflation, [0.0]);
        assert_eq!(a.expenses, [0.0]);
        assert_eq!(a.members, [100.0, 200.0]);
    }

    #[test]
    fn cells_take_the_product_of_their_relativities_and_their_mix_is_interpolated() {
        let mut json = minimal();
        json["population"]["cells"] = serde_json::json!([
            { "age": "0-14", "area": "urban", "base_share": 0.5, "start_share": 0.6, "target_share": 0.2 },
            { "age": "45+", "base_share": 0.5, "start_share": 0.4, "target_share": 0.8 }
        ]);
        json["relativities"] = serde_json::json!({
            "age": { "45+": { "incidence": 2.0, "cost": 1.5 } },
            "area": { "urban": { "incidence": 1.3, "cost": 1.1 } }
        });
        let a = file(json).assumptions().unwrap();
        assert_eq!(a.cells[0].name, "0-14 urban");
        assert_eq!((a.cells[0].incidence, a.cells[0].cost), (1.3, 1.1));
        assert_eq!((a.cells[1].incidence, a.cells[1].cost), (2.0, 1.5));
        assert_eq!(a.base_mix, [0.5, 0.5]);
        let middle = &a.mix[1];
        assert!((middle[0] - 0.4).abs() < 1e-12 && (middle[1] - 0.6).abs() < 1e-12);
        assert_eq!(a.mix[2], [0.2, 0.8]);
    }

    #[test]
    fn cells_may_give_their_members_each_year() {
        let mut json = minimal();
        json["population"] = serde_json::json!({ "family_size": [4.0], "cells": [
            { "age": "young", "base_share": 0.5, "members": [30.0, 60.0] },
            { "age": "old", "base_share": 0.5, "members": [70.0] }
        ] });
        let a = file(json).assumptions().unwrap();
        assert_eq!(a.members, [100.0, 130.0, 130.0]);
        assert_eq!(a.mix[0], [0.3, 0.7]);
    }

    #[test]
    fn benefits_and_stress_tests_are_read_in_words() {
        let mut json = minimal();
        json["new_benefits"] = serde_json::json!([
            { "name": "follow-up", "per_claim_of": "surgery", "unit_cost": 50.0, "from": "2028-04-01" }
        ]);
        json["stress"] = serde_json::json!([
            { "name": "high", "medical_inflation": 0.02, "limits_cost": 1.1 }
        ]);
        let f = file(json);
        let a = f.assumptions().unwrap();
        assert!((a.new_benefits[0].from - 366.0 / 365.25).abs() < 1e-12);
        let scenarios = f.scenarios();
        assert_eq!(
            scenarios[0].flexes,
            [
                Flex::MedicalInflation(0.02),
                Flex::Limits {
                    incidence: 1.0,
                    cost: 1.1
                }
            ]
        );
        let tests = f.run().unwrap();
        assert_eq!(tests.results.len(), 1);
    }

    #[test]
    fn the_rates_years_and_timing_and_a_lines_own_assumptions_are_read_in_words() {
        let mut json = minimal();
        json["trends"] = serde_json::json!({
            "from": "2026-01-01", "timing": "within_year", "medical_inflation": [0.1, 0.05]
        });
        json["population"]["cells"] = serde_json::json!([
            { "age": "young", "base_share": 0.5 },
            { "age": "old", "sex": "F", "base_share": 0.5 }
        ]);
        json["relativities"] = serde_json::json!({
            "age": { "old": { "incidence": 2.0, "cost": 1.5 } },
            "sex": { "F": { "incidence": 1.2, "cost": 1.0 } }
        });
        json["line_assumptions"] = serde_json::json!({ "surgery": {
            "medical_inflation": [0.2], "fixed_cost": true,
            "relativities": { "age": { "old": { "incidence": 3.0, "cost": 1.0 } } }
        } });
        json["stress"] = serde_json::json!([
            { "name": "return", "investment_return": 0.01, "members": [50.0] }
        ]);
        let f = file(json.clone());
        let a = f.assumptions().unwrap();
        // 1 April 2026 to 1 January 2026: a quarter of a year before the base date.
        assert!((a.rate_years.first_year + 90.0 / 365.25).abs() < 1e-12);
        assert_eq!(a.rate_years.timing, Timing::WithinYear);
        let own = &a.base[0].own;
        assert_eq!(own.medical_inflation.as_deref(), Some(&[0.2][..]));
        assert!(own.fixed_cost);
        // The line's age table in place of the scheme's; the scheme's sex table still counts.
        let cells = own.cells.as_ref().unwrap();
        assert_eq!((cells[1].incidence, cells[1].cost), (3.0 * 1.2, 1.0));
        assert_eq!((a.cells[1].incidence, a.cells[1].cost), (2.0 * 1.2, 1.5));
        assert_eq!(
            f.scenarios()[0].flexes,
            [Flex::InvestmentReturn(0.01), Flex::Members(vec![50.0])]
        );
        json["line_assumptions"] = serde_json::json!({ "cardiology": { "fixed_cost": true } });
        let error = file(json).assumptions().unwrap_err();
        assert_eq!(
            (error.field, error.message.as_str()),
            ("line_assumptions", "no line cardiology in the base table")
        );
    }

    #[test]
    fn a_wrong_assumption_is_named() {
        let mut json = minimal();
        json["population"]["members"] = serde_json::json!([]);
        let error = file(json).assumptions().unwrap_err();
        assert_eq!(error.field, "population.members");
        let mut json = minimal();
        json["new_benefits"] = serde_json::json!([
            { "name": "x", "incidence_per_1000": 1.0, "per_claim_of": "surgery", "unit_cost": 1.0, "from": "2027-04-01" }
        ]);
        assert_eq!(file(json).assumptions().unwrap_err().field, "new_benefits");
        let mut json = minimal();
        json["loadings"] = serde_json::json!({ "expenses": [1.2] });
        let error = file(json).run().unwrap_err();
        assert_eq!(
            error.to_string(),
            "the base projection: expenses: 1.2 is out of range (0 to below 1)"
        );
        let mut json = minimal();
        json["projection"]["yeras"] = serde_json::json!(3);
        assert!(serde_json::from_value::<ProjectionFile>(json).is_err());
    }
}
