//! The projection: each line of a base table carried forward year by year (incidence and
//! average cost apart, each year centred on its middle), re-weighted by the projected mix of the
//! population, priced with expenses and a contingency loading, levelled over the contract
//! period, with the reserve a level premium builds up rolled forward and the refund at the end.

mod rates;

pub use rates::{RateYears, Timing};

use crate::yearly::{AssumptionError, MAX_RATE, check_values, check_years, in_year, require};
use serde::Serialize;

/// One line of the base table at its date: incidence per member-year and average cost, with
/// what the line assumes apart from the scheme.
#[derive(Debug, Clone, PartialEq)]
pub struct BaseLine {
    pub name: String,
    pub incidence: f64,
    pub average_cost: f64,
    pub own: LineAssumptions,
}

impl LineAssumptions {
    fn has_own_trends(&self) -> bool {
        self.medical_inflation.is_some()
            || self.technology_trend.is_some()
            || self.utilisation_trend.is_some()
    }
}

/// A line's own assumptions, each overriding the scheme-wide one when given.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LineAssumptions {
    pub medical_inflation: Option<Vec<f64>>,
    pub technology_trend: Option<Vec<f64>>,
    pub utilisation_trend: Option<Vec<f64>>,
    /// The average cost is a nominal amount per claim fixed by decree (an allowance): it does
    /// not inflate and is the same for every cell of the population.
    pub fixed_cost: bool,
    /// The line's relativities by cell (the cells' order): the age curve of maternity is not
    /// that of cardiology.
    pub cells: Option<Vec<MixCell>>,
}

/// A cell of the population (an age band, a sex, an area, ...) with its relativities to the
/// base table's level: incidence, and average cost.
#[derive(Debug, Clone, PartialEq)]
pub struct MixCell {
    pub name: String,
    pub incidence: f64,
    pub cost: f64,
}

/// A change to one line (or every line) from a share of a projection year onwards: factors on
/// incidence and average cost (a raised limit), applied to the share of each year after it.
#[derive(Debug, Clone, PartialEq)]
pub struct BenefitChange {
    /// The line changed; none for every line.
    pub line: Option<String>,
    /// Years from the start of the projection when the change takes effect (1.5: the middle
    /// of the second year).
    pub from: f64,
    pub incidence_factor: f64,
    pub cost_factor: f64,
}

/// A benefit the base table lacks, priced from its own incidence (or as so many per claim of
/// another line: a follow-up visit after each surgery) and unit cost at the base date.
#[derive(Debug, Clone, PartialEq)]
pub struct NewBenefit {
    pub name: String,
    pub incidence: Incidence,
    pub unit_cost: f64,
    /// Years from the start of the projection when it starts.
    pub from: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Incidence {
    PerMemberYear(f64),
    PerClaimOf { line: String, ratio: f64 },
}

/// Everything a projection needs, the rates per projection year (a list shorter than the
/// projection repeats its last value).
#[derive(Debug, Clone, PartialEq)]
pub struct Assumptions {
    pub base: Vec<BaseLine>,
    /// Years from the base table's date (the middle of its experience) to the start of the
    /// projection.
    pub base_to_start: f64,
    /// The years the rate lists are for, from the base date on (gap years before the
    /// projection included), and their timing convention.
    pub rate_years: RateYears,
    pub years: usize,
    /// The first years over which the premium is levelled (at most `years`).
    pub contract_years: usize,
    pub medical_inflation: Vec<f64>,
    pub technology_trend: Vec<f64>,
    pub utilisation_trend: Vec<f64>,
    /// Members expected covered in each year (the level premium's weights).
    pub members: Vec<f64>,
    pub family_size: Vec<f64>,
    /// The population's cells with their relativities; the base table's mix, and each year's
    /// (shares by cell, same order). Empty cells: no demographic adjustment.
    pub cells: Vec<MixCell>,
    pub base_mix: Vec<f64>,
    pub mix: Vec<Vec<f64>>,
    pub benefit_changes: Vec<BenefitChange>,
    pub new_benefits: Vec<NewBenefit>,
    /// Expenses as a share of the gross premium, per year.
    pub expenses: Vec<f64>,
    /// Contingency loading as a share of the risk cost.
    pub contingency: f64,
    /// Yearly return on the reserve.
    pub investment_return: f64,
    /// Share of the reserve left at the end of the contract returned to the payer.
    pub refund_share: f64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProjectionError {
    #[error(transparent)]
    Assumption(#[from] AssumptionError),
    #[error("the contract period ({contract}) is longer than the projection ({years} years)")]
    Contract { contract: usize, years: usize },
    #[error("{0}: the mix has {1} shares for {2} cells")]
    Mix(String, usize, usize),
    #[error("new benefit {benefit}: no line {line} in the base table")]
    UnknownLine { benefit: String, line: String },
    #[error("line {0}: its relativities have {1} cells for the population's {2}")]
    LineCells(String, usize, usize),
}

/// A base-table line carried from the base date to the first day of the projection, by its
/// trends alone (before the mix and the benefit changes).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CarriedLine {
    pub name: String,
    pub incidence: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub average_cost: f64,
}

/// The base table at the first day of the projection.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CarriedToStart {
    /// Years from the base date to the start (negative when the base date is later).
    pub years: f64,
    pub lines: Vec<CarriedLine>,
}

/// One line in one year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectedLine {
    pub name: String,
    pub incidence: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub average_cost: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub risk_cost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProjectedYear {
    /// 1 for the first projection year.
    pub year: usize,
    pub lines: Vec<ProjectedLine>,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub risk_cost_per_member: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub risk_cost_per_family: f64,
    pub expense_share: f64,
    /// risk cost / (1 − expense share) + contingency × risk cost.
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub premium_per_member: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub premium_per_family: f64,
    pub members: f64,
    pub families: f64,
}

/// One year of the reserve a level premium builds up: income and outgo mid-year.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReserveYear {
    pub year: usize,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub opening: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub premium_income: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub claims: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub expenses: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub investment_income: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub closing: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Projection {
    pub carried_to_start: CarriedToStart,
    pub years: Vec<ProjectedYear>,
    /// The premium level over the contract years whose present value at the investment return
    /// equals the annual premiums', each year's cash flowing in its middle with the members
    /// (families) expected that year: without a return, the annual premiums averaged with the
    /// members (families) as weights.
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub level_premium_per_member: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub level_premium_per_family: f64,
    pub reserve: Vec<ReserveYear>,
    /// At the end of the contract: the reserve's share returned, and what the scheme keeps.
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub refund: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub retained: f64,
}

impl Assumptions {
    fn check(&self) -> Result<(), ProjectionError> {
        require(&[
            ("medical_inflation", &self.medical_inflation),
            ("technology_trend", &self.technology_trend),
            ("utilisation_trend", &self.utilisation_trend),
            ("members", &self.members),
            ("family_size", &self.family_size),
            ("expenses", &self.expenses),
        ])?;
        if self.contract_years > self.years || self.contract_years == 0 {
            return Err(ProjectionError::Contract {
                contract: self.contract_years,
                years: self.years,
            });
        }
        check_years("years", self.years)?;
        let trend = |v: f64| v > -1.0 && v <= MAX_RATE;
        check_values(
            "medical_inflation",
            &self.medical_inflation,
            "above -1, at most 10",
            trend,
        )?;
        check_values(
            "technology_trend",
            &self.technology_trend,
            "above -1, at most 10",
            trend,
        )?;
        check_values(
            "utilisation_trend",
            &self.utilisation_trend,
            "above -1, at most 10",
            trend,
        )?;
        check_values("members", &self.members, "0 or more", |v| v >= 0.0)?;
        check_values(
            "family_size",
            &self.family_size,
            "above 0, at most 100",
            |v| v > 0.0 && v <= 100.0,
        )?;
        check_values("expenses", &self.expenses, "0 to below 1", |v| {
            (0.0..1.0).contains(&v)
        })?;
        check_values("contingency", &[self.contingency], "0 to 10", |v| {
            (0.0..=10.0).contains(&v)
        })?;
        check_values(
            "investment_return",
            &[self.investment_return],
            "above -1, at most 10",
            trend,
        )?;
        check_values("refund_share", &[self.refund_share], "0 to 1", |v| {
            (0.0..=1.0).contains(&v)
        })?;
        for (i, shares) in std::iter::once(&self.base_mix).chain(&self.mix).enumerate() {
            if !self.cells.is_empty() && shares.len() != self.cells.len() {
                let what = if i == 0 {
                    "base mix".to_string()
                } else {
                    format!("mix of year {i}")
                };
                return Err(ProjectionError::Mix(what, shares.len(), self.cells.len()));
            }
        }
        // Dates make these; a caller that computes them must not pass infinity.
        check_values(
            "the first rate's year",
            &[self.rate_years.first_year],
            "a finite number of years from the base date",
            |_| true,
        )?;
        for line in &self.base {
            let own = &line.own;
            for (what, rates) in [
                ("medical_inflation", &own.medical_inflation),
                ("technology_trend", &own.technology_trend),
                ("utilisation_trend", &own.utilisation_trend),
            ] {
                if let Some(rates) = rates {
                    let what = format!("line {}: {what}", line.name);
                    if rates.is_empty() {
                        return Err(AssumptionError::Missing(what).into());
                    }
                    check_values(&what, rates, "above -1, at most 10", trend)?;
                }
            }
            if let Some(cells) = &own.cells
                && cells.len() != self.cells.len()
            {
                return Err(ProjectionError::LineCells(
                    line.name.clone(),
                    cells.len(),
                    self.cells.len(),
                ));
            }
        }
        for benefit in &self.new_benefits {
            if let Incidence::PerClaimOf { line, .. } = &benefit.incidence
                && !self.base.iter().any(|l| &l.name == line)
            {
                return Err(ProjectionError::UnknownLine {
                    benefit: benefit.name.clone(),
                    line: line.clone(),
                });
            }
        }
        Ok(())
    }

    /// A line's incidence and cost growth to `to` years after the base date: its own trends
    /// where it has them, the scheme's otherwise; none on the cost of a fixed amount.
    fn line_growth(&self, own: &LineAssumptions, to: f64) -> (f64, f64) {
        let grow = |own: &Option<Vec<f64>>, scheme: &[f64]| {
            self.rate_years.growth(own.as_deref().unwrap_or(scheme), to)
        };
        let incidence = grow(&own.technology_trend, &self.technology_trend)
            * grow(&own.utilisation_trend, &self.utilisation_trend);
        let cost = match own.fixed_cost {
            true => 1.0,
            false => grow(&own.medical_inflation, &self.medical_inflation),
        };
        (incidence, cost)
    }

    /// Incidence and cost factors of year `y`'s mix against the base table's, with the
    /// relativities of `cells` (the scheme's, or a line's own).
    fn mix_factors(&self, y: usize, cells: &[MixCell]) -> (f64, f64) {
        if cells.is_empty() {
            return (1.0, 1.0);
        }
        let weigh = |shares: &[f64]| {
            let incidence: f64 = shares.iter().zip(cells).map(|(s, c)| s * c.incidence).sum();
            let cost: f64 = shares
                .iter()
                .zip(cells)
                .map(|(s, c)| s * c.incidence * c.cost)
                .sum();
            (incidence, cost / incidence)
        };
        let shares = match self.mix.is_empty() {
            true => &self.base_mix,
            false => &self.mix[y.min(self.mix.len() - 1)],
        };
        let (base_incidence, base_cost) = weigh(&self.base_mix);
        let (incidence, cost) = weigh(shares);
        (incidence / base_incidence, cost / base_cost)
    }

    /// The share of projection year `y` (from 0) on or after `from` years from the start.
    fn share_after(from: f64, y: usize) -> f64 {
        (y as f64 + 1.0 - from).clamp(0.0, 1.0)
    }

    pub fn project(&self) -> Result<Projection, ProjectionError> {
        self.check()?;
        let years: Vec<ProjectedYear> = (0..self.years).map(|y| self.year(y)).collect();
        let contract = &years[..self.contract_years];
        // Each year's premiums come in its middle: discounted to the start of the contract.
        let discount = |y: usize| (1.0 + self.investment_return).powf(-(y as f64 + 0.5));
        let level = |premium: fn(&ProjectedYear) -> f64, weight: fn(&ProjectedYear) -> f64| {
            let weighed = || {
                contract
                    .iter()
                    .enumerate()
                    .map(|(y, year)| weight(year) * discount(y))
            };
            let total: f64 = weighed().sum();
            match total > 0.0 {
                true => {
                    weighed()
                        .zip(contract)
                        .map(|(w, year)| premium(year) * w)
                        .sum::<f64>()
                        / total
                }
                false => 0.0,
            }
        };
        let level_member = level(|y| y.premium_per_member, |y| y.members);
        let level_family = level(|y| y.premium_per_family, |y| y.families);
        let reserve = self.roll_forward(contract, level_member);
        let left = reserve.last().map_or(0.0, |r| r.closing).max(0.0);
        Ok(Projection {
            carried_to_start: self.carried_to_start(),
            level_premium_per_member: level_member,
            level_premium_per_family: level_family,
            refund: left * self.refund_share,
            retained: left * (1.0 - self.refund_share),
            reserve,
            years,
        })
    }

    fn carried_to_start(&self) -> CarriedToStart {
        CarriedToStart {
            years: self.base_to_start,
            lines: self
                .base
                .iter()
                .map(|line| {
                    let (incidence, cost) = self.line_growth(&line.own, self.base_to_start);
                    CarriedLine {
                        name: line.name.clone(),
                        incidence: line.incidence * incidence,
                        average_cost: line.average_cost * cost,
                    }
                })
                .collect(),
        }
    }

    fn year(&self, y: usize) -> ProjectedYear {
        let middle = self.base_to_start + y as f64 + 0.5;
        // The scheme's growth and mix, once for every line that has none of its own.
        let (incidence_growth, cost_growth) = self.line_growth(&LineAssumptions::default(), middle);
        let (mix_incidence, mix_cost) = self.mix_factors(y, &self.cells);
        let mut lines: Vec<ProjectedLine> = self
            .base
            .iter()
            .map(|line| {
                let own = &line.own;
                let (incidence_growth, mut cost_growth) = match own.has_own_trends() {
                    true => self.line_growth(own, middle),
                    false => (incidence_growth, cost_growth),
                };
                let (mix_incidence, mut mix_cost) = match &own.cells {
                    Some(cells) => self.mix_factors(y, cells),
                    None => (mix_incidence, mix_cost),
                };
                if own.fixed_cost {
                    (cost_growth, mix_cost) = (1.0, 1.0);
                }
                let (mut incidence, mut cost) = (
                    line.incidence * incidence_growth * mix_incidence,
                    line.average_cost * cost_growth * mix_cost,
                );
                for change in &self.benefit_changes {
                    if change.line.as_ref().is_none_or(|l| l == &line.name) {
                        let share = Self::share_after(change.from, y);
                        incidence *= 1.0 + (change.incidence_factor - 1.0) * share;
                        cost *= 1.0 + (change.cost_factor - 1.0) * share;
                    }
                }
                ProjectedLine {
                    name: line.name.clone(),
                    incidence,
                    average_cost: cost,
                    risk_cost: incidence * cost,
                }
            })
            .collect();
        // New benefits follow the scheme's trends and relativities.
        for benefit in &self.new_benefits {
            let share = Self::share_after(benefit.from, y);
            let incidence = match &benefit.incidence {
                Incidence::PerMemberYear(rate) => rate * incidence_growth * mix_incidence,
                Incidence::PerClaimOf { line, ratio } => {
                    let attached = lines.iter().find(|l| &l.name == line).expect("checked");
                    attached.incidence * ratio
                }
            } * share;
            let cost = benefit.unit_cost * cost_growth * mix_cost;
            lines.push(ProjectedLine {
                name: benefit.name.clone(),
                incidence,
                average_cost: cost,
                risk_cost: incidence * cost,
            });
        }
        let risk_cost: f64 = lines.iter().map(|l| l.risk_cost).sum();
        let family_size = in_year(&self.family_size, y);
        let expense_share = in_year(&self.expenses, y);
        let premium = |risk: f64| risk / (1.0 - expense_share) + self.contingency * risk;
        let members = in_year(&self.members, y);
        ProjectedYear {
            year: y + 1,
            lines,
            risk_cost_per_member: risk_cost,
            risk_cost_per_family: risk_cost * family_size,
            expense_share,
            premium_per_member: premium(risk_cost),
            premium_per_family: premium(risk_cost * family_size),
            members,
            families: members / family_size,
        }
    }

    /// The reserve over the contract: the level premium comes in and claims and expenses go out
    /// in the middle of each year, so they earn half a year's return; the opening reserve earns
    /// a whole year's.
    fn roll_forward(&self, contract: &[ProjectedYear], level_premium: f64) -> Vec<ReserveYear> {
        let mut opening = 0.0;
        let rate = self.investment_return;
        contract
            .iter()
            .map(|year| {
                let premium_income = level_premium * year.members;
                let claims = year.risk_cost_per_member * year.members;
                let expenses = year.expense_share * premium_income;
                let net = premium_income - claims - expenses;
                let closing = opening * (1.0 + rate) + net * (1.0 + rate).sqrt();
                let row = ReserveYear {
                    year: year.year,
                    opening,
                    premium_income,
                    claims,
                    expenses,
                    investment_income: closing - opening - net,
                    closing,
                };
                opening = closing;
                row
            })
            .collect()
    }
}

/// The members each year and each cell's share of them, from each cell's members per year (a
/// list shorter than the projection repeats its last value).
pub fn mix_from_members(members: &[Vec<f64>], years: usize) -> (Vec<f64>, Vec<Vec<f64>>) {
    let totals: Vec<f64> = (0..years)
        .map(|y| members.iter().map(|cell| in_year(cell, y)).sum())
        .collect();
    let mix = (0..years)
        .map(|y| {
            members
                .iter()
                .map(|cell| in_year(cell, y) / totals[y])
                .collect()
        })
        .collect();
    (totals, mix)
}

/// Each year's mix, every cell's share moving in a straight line from its start share in the
/// first year to its target share in the last.
pub fn interpolated_mix(start_and_target: &[(f64, f64)], years: usize) -> Vec<Vec<f64>> {
    (0..years)
        .map(|y| {
            let along = if years > 1 {
                y as f64 / (years - 1) as f64
            } else {
                0.0
            };
            start_and_target
                .iter()
                .map(|(start, target)| start + (target - start) * along)
                .collect()
        })
        .collect()
}

#[cfg(test)]
pub(crate) mod tests;
