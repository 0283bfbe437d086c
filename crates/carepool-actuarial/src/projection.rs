//! The projection: each line of a base table carried forward year by year (incidence and
//! average cost apart, each year centred on its middle), re-weighted by the projected mix of the
//! population, priced with expenses and a contingency loading, levelled over the contract
//! period, with the reserve a level premium builds up rolled forward and the refund at the end.

use crate::yearly::{AssumptionError, MAX_RATE, check_values, check_years, in_year, require};
use serde::Serialize;

/// One line of the base table at its date: incidence per member-year and average cost.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BaseLine {
    pub name: String,
    pub incidence: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub average_cost: f64,
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
    pub years: Vec<ProjectedYear>,
    /// The annual premiums of the contract years averaged with the members (families) expected
    /// each year as weights.
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

    /// The factor a rate list compounds to from the base date to the middle of year `y`: the
    /// gap to the middle of the first year at the first year's rate, then a whole year at each
    /// later year's.
    fn growth(&self, rates: &[f64], y: usize) -> f64 {
        let first = (1.0 + in_year(rates, 0)).powf(self.base_to_start + 0.5);
        (1..=y).fold(first, |factor, k| factor * (1.0 + in_year(rates, k)))
    }

    /// Incidence and cost factors of year `y`'s mix against the base table's.
    fn mix_factors(&self, y: usize) -> (f64, f64) {
        if self.cells.is_empty() {
            return (1.0, 1.0);
        }
        let weigh = |shares: &[f64]| {
            let incidence: f64 = shares
                .iter()
                .zip(&self.cells)
                .map(|(s, c)| s * c.incidence)
                .sum();
            let cost: f64 = shares
                .iter()
                .zip(&self.cells)
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
        let level = |premium: fn(&ProjectedYear) -> f64, weight: fn(&ProjectedYear) -> f64| {
            let total: f64 = contract.iter().map(weight).sum();
            match total > 0.0 {
                true => contract.iter().map(|y| premium(y) * weight(y)).sum::<f64>() / total,
                false => 0.0,
            }
        };
        let level_member = level(|y| y.premium_per_member, |y| y.members);
        let level_family = level(|y| y.premium_per_family, |y| y.families);
        let reserve = self.roll_forward(contract, level_member);
        let left = reserve.last().map_or(0.0, |r| r.closing).max(0.0);
        Ok(Projection {
            level_premium_per_member: level_member,
            level_premium_per_family: level_family,
            refund: left * self.refund_share,
            retained: left * (1.0 - self.refund_share),
            reserve,
            years,
        })
    }

    fn year(&self, y: usize) -> ProjectedYear {
        let cost_growth = self.growth(&self.medical_inflation, y);
        let incidence_growth =
            self.growth(&self.technology_trend, y) * self.growth(&self.utilisation_trend, y);
        let (mix_incidence, mix_cost) = self.mix_factors(y);
        let mut lines: Vec<ProjectedLine> = self
            .base
            .iter()
            .map(|line| {
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
pub(crate) mod tests {
    use super::*;

    fn close(got: f64, want: f64) {
        assert!(
            (got - want).abs() < 1e-9 * want.abs().max(1.0),
            "{got} against {want}"
        );
    }

    /// One line of 100 claims per 1,000 member-years at 1,000 each, at a base date half a year
    /// before the projection starts; nothing changes unless a test says so.
    pub(crate) fn one_line() -> Assumptions {
        Assumptions {
            base: vec![BaseLine {
                name: "surgery".into(),
                incidence: 0.1,
                average_cost: 1000.0,
            }],
            base_to_start: 0.5,
            years: 1,
            contract_years: 1,
            medical_inflation: vec![0.0],
            technology_trend: vec![0.0],
            utilisation_trend: vec![0.0],
            members: vec![1000.0],
            family_size: vec![5.0],
            cells: vec![],
            base_mix: vec![],
            mix: vec![],
            benefit_changes: vec![],
            new_benefits: vec![],
            expenses: vec![0.0],
            contingency: 0.0,
            investment_return: 0.0,
            refund_share: 0.0,
        }
    }

    #[test]
    fn one_line_one_year_prices_the_risk_with_expenses_and_contingency() {
        let mut a = one_line();
        a.expenses = vec![0.2];
        a.contingency = 0.02;
        let p = a.project().unwrap();
        let year = &p.years[0];
        close(year.risk_cost_per_member, 100.0);
        close(year.risk_cost_per_family, 500.0);
        // 100 / 0.8 + 2.
        close(year.premium_per_member, 127.0);
        close(year.premium_per_family, 635.0);
        close(p.level_premium_per_member, 127.0);
        close(year.families, 200.0);
    }

    #[test]
    fn inflation_compounds_from_the_base_date_to_the_middle_of_each_year() {
        let mut a = one_line();
        a.years = 3;
        a.contract_years = 3;
        a.medical_inflation = vec![0.10, 0.05];
        let p = a.project().unwrap();
        // A whole year from the middle of the base period to the middle of the first year.
        close(p.years[0].lines[0].average_cost, 1100.0);
        close(p.years[1].lines[0].average_cost, 1155.0);
        // The last rate goes on.
        close(p.years[2].lines[0].average_cost, 1155.0 * 1.05);
        close(p.years[2].lines[0].incidence, 0.1);
    }

    #[test]
    fn technology_and_utilisation_trends_act_on_incidence_only() {
        let mut a = one_line();
        a.years = 2;
        a.contract_years = 2;
        a.technology_trend = vec![0.02];
        a.utilisation_trend = vec![0.03];
        a.base_to_start = 0.0;
        let p = a.project().unwrap();
        let yearly: f64 = 1.02 * 1.03;
        close(p.years[0].lines[0].incidence, 0.1 * yearly.powf(0.5));
        close(p.years[1].lines[0].incidence, 0.1 * yearly.powf(1.5));
        close(p.years[1].lines[0].average_cost, 1000.0);
    }

    #[test]
    fn a_demographic_shift_reweights_the_relativities() {
        let mut a = one_line();
        a.cells = vec![
            MixCell {
                name: "young".into(),
                incidence: 1.0,
                cost: 1.0,
            },
            MixCell {
                name: "old".into(),
                incidence: 3.0,
                cost: 2.0,
            },
        ];
        a.base_mix = vec![0.5, 0.5];
        a.mix = vec![vec![0.25, 0.75]];
        let p = a.project().unwrap();
        // Incidence: 2.5 against 2; cost per claim: 4.75 / 2.5 against 3.5 / 2.
        close(p.years[0].lines[0].incidence, 0.1 * 1.25);
        close(p.years[0].lines[0].average_cost, 1000.0 * 1.9 / 1.75);
    }

    /// Risk costs of 100 then 200 for 1,000 then 3,000 members, nothing loaded.
    fn two_years() -> Assumptions {
        let mut a = one_line();
        a.years = 2;
        a.contract_years = 2;
        a.base_to_start = -0.5;
        a.medical_inflation = vec![0.0, 1.0];
        a.members = vec![1000.0, 3000.0];
        a
    }

    #[test]
    fn the_level_premium_weighs_each_year_by_its_members() {
        let p = two_years().project().unwrap();
        close(p.years[0].premium_per_member, 100.0);
        close(p.years[1].premium_per_member, 200.0);
        close(p.level_premium_per_member, 175.0);
        // Families of 5: 200 and 600 families, premiums 500 and 1,000.
        close(p.level_premium_per_family, 875.0);
    }

    #[test]
    fn infinite_or_absurd_assumptions_and_horizons_are_refused() {
        let refused = |change: &dyn Fn(&mut Assumptions)| {
            let mut assumptions = two_years();
            change(&mut assumptions);
            assumptions.project().unwrap_err().to_string()
        };
        assert_eq!(
            refused(&|a| a.contingency = f64::INFINITY),
            "contingency: inf is out of range (0 to 10)"
        );
        assert!(refused(&|a| a.members = vec![f64::NAN]).starts_with("members: NaN"));
        assert!(refused(&|a| a.medical_inflation = vec![1e308]).starts_with("medical_inflation"));
        assert!(refused(&|a| a.family_size = vec![1e308]).starts_with("family_size"));
        assert_eq!(
            refused(&|a| a.years = 100_000_000),
            "years: 100000000 years; at most 200"
        );
    }

    #[test]
    fn the_reserve_built_early_pays_the_later_years() {
        let p = two_years().project().unwrap();
        let r = &p.reserve;
        close(r[0].premium_income, 175_000.0);
        close(r[0].claims, 100_000.0);
        close(r[0].closing, 75_000.0);
        close(r[1].opening, 75_000.0);
        close(r[1].closing, 0.0);
        close(p.refund, 0.0);
    }

    #[test]
    fn investment_return_on_the_reserve_is_refunded_at_the_end() {
        let mut a = two_years();
        a.investment_return = 0.04;
        a.refund_share = 0.9;
        let p = a.project().unwrap();
        let half = 1.04f64.sqrt();
        let first = 75_000.0 * half;
        close(p.reserve[0].closing, first);
        close(p.reserve[0].investment_income, first - 75_000.0);
        let second = first * 1.04 - 75_000.0 * half;
        close(p.reserve[1].closing, second);
        close(p.refund, 0.9 * second);
        close(p.retained, 0.1 * second);
    }

    #[test]
    fn expenses_in_the_roll_forward_are_a_share_of_the_premium_collected() {
        let mut a = two_years();
        a.expenses = vec![0.2];
        let p = a.project().unwrap();
        close(p.level_premium_per_member, 175.0 / 0.8);
        close(p.reserve[0].expenses, 0.2 * p.reserve[0].premium_income);
        close(p.reserve[1].closing, 0.0);
    }

    #[test]
    fn a_benefit_change_counts_from_its_share_of_the_year() {
        let mut a = one_line();
        a.years = 2;
        a.contract_years = 2;
        a.base_to_start = -0.5;
        a.benefit_changes = vec![BenefitChange {
            line: None,
            from: 0.5,
            incidence_factor: 1.2,
            cost_factor: 1.5,
        }];
        let p = a.project().unwrap();
        close(p.years[0].lines[0].incidence, 0.1 * 1.1);
        close(p.years[0].lines[0].average_cost, 1000.0 * 1.25);
        close(p.years[1].lines[0].incidence, 0.1 * 1.2);
        close(p.years[1].lines[0].average_cost, 1500.0);
    }

    #[test]
    fn a_new_benefit_is_priced_from_its_incidence_or_per_claim_of_its_line() {
        let mut a = one_line();
        a.base_to_start = -0.5;
        a.new_benefits = vec![
            NewBenefit {
                name: "follow-up".into(),
                incidence: Incidence::PerClaimOf {
                    line: "surgery".into(),
                    ratio: 0.5,
                },
                unit_cost: 50.0,
                from: 0.0,
            },
            NewBenefit {
                name: "screening".into(),
                incidence: Incidence::PerMemberYear(0.2),
                unit_cost: 10.0,
                from: 0.0,
            },
        ];
        let p = a.project().unwrap();
        let lines = &p.years[0].lines;
        close(lines[1].incidence, 0.05);
        close(lines[1].risk_cost, 2.5);
        close(lines[2].risk_cost, 2.0);
        close(p.years[0].risk_cost_per_member, 104.5);
    }

    #[test]
    fn impossible_assumptions_are_named() {
        let mut a = one_line();
        a.expenses = vec![1.0];
        assert_eq!(
            a.project().unwrap_err().to_string(),
            "expenses: 1 is out of range (0 to below 1)"
        );
        let mut a = one_line();
        a.contract_years = 2;
        assert_eq!(
            a.project().unwrap_err().to_string(),
            "the contract period (2) is longer than the projection (1 years)"
        );
        let mut a = one_line();
        a.new_benefits = vec![NewBenefit {
            name: "follow-up".into(),
            incidence: Incidence::PerClaimOf {
                line: "cardiology".into(),
                ratio: 1.0,
            },
            unit_cost: 1.0,
            from: 0.0,
        }];
        assert_eq!(
            a.project().unwrap_err().to_string(),
            "new benefit follow-up: no line cardiology in the base table"
        );
    }

    #[test]
    fn the_mix_follows_the_cells_members_or_moves_from_start_to_target_shares() {
        let (totals, mix) = mix_from_members(&[vec![300.0, 600.0], vec![700.0]], 3);
        assert_eq!(totals, vec![1000.0, 1300.0, 1300.0]);
        close(mix[1][0], 600.0 / 1300.0);
        close(mix[2][1], 700.0 / 1300.0);
        let mix = interpolated_mix(&[(0.2, 0.4), (0.8, 0.6)], 3);
        close(mix[0][0], 0.2);
        close(mix[1][0], 0.3);
        close(mix[2][1], 0.6);
        assert_eq!(interpolated_mix(&[(0.2, 0.4)], 1), vec![vec![0.2]]);
    }
}
