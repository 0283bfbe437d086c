//! National costing, in the manner of the ILO's rapid assessment: the cost of covering a
//! population over ten years or more, from the population by age and sex, a coverage ramp to a
//! target, per-capita costs by benefit, and the economy (GDP, inflation, government
//! expenditure), against the revenue stated: cost per capita, share of GDP and of government
//! expenditure, and the financing gap.

use crate::yearly::{AssumptionError, MAX_RATE, check_values, check_years, in_year, require};
use serde::Serialize;

/// A cell of the population (an age band and sex), its numbers each year.
#[derive(Debug, Clone, PartialEq)]
pub struct PopulationCell {
    pub name: String,
    /// Per year; a shorter list repeats its last value.
    pub population: Vec<f64>,
}

impl PopulationCell {
    /// A cell whose first year's people grow at a constant yearly rate.
    pub fn growing(name: &str, first: f64, growth: f64, years: usize) -> PopulationCell {
        PopulationCell {
            name: name.to_string(),
            population: (0..years)
                .map(|y| first * (1.0 + growth).powi(y as i32))
                .collect(),
        }
    }
}

/// A benefit's cost per covered person in the first year's prices, on average over the first
/// year's population, and how it varies by cell (relativities by cell name; 1 when not given).
#[derive(Debug, Clone, PartialEq)]
pub struct Benefit {
    pub name: String,
    pub cost_per_capita: f64,
    pub relativities: Vec<(String, f64)>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Costing {
    /// The first calendar year.
    pub first_year: i32,
    pub years: usize,
    pub cells: Vec<PopulationCell>,
    /// Share of the population covered: from `coverage_start` in the first year, rising
    /// linearly to `coverage_target` in year `coverage_target_year` (from 1), then held.
    pub coverage_start: f64,
    pub coverage_target: f64,
    pub coverage_target_year: usize,
    pub benefits: Vec<Benefit>,
    /// GDP in the first year (current prices), then its real growth and inflation per year.
    pub gdp: f64,
    pub real_growth: Vec<f64>,
    pub inflation: Vec<f64>,
    /// Medical prices above general inflation, per year.
    pub medical_excess: Vec<f64>,
    /// Government expenditure as a share of GDP, per year.
    pub government_share: Vec<f64>,
    pub revenue: Revenue,
}

/// The revenue stated for the scheme, per year: amounts in current prices, or shares of GDP.
#[derive(Debug, Clone, PartialEq)]
pub enum Revenue {
    Amounts(Vec<f64>),
    ShareOfGdp(Vec<f64>),
}

impl Revenue {
    fn values(&self) -> &[f64] {
        match self {
            Revenue::Amounts(values) | Revenue::ShareOfGdp(values) => values,
        }
    }

    fn in_year(&self, y: usize, gdp: f64) -> f64 {
        match self {
            Revenue::Amounts(values) => in_year(values, y),
            Revenue::ShareOfGdp(shares) => in_year(shares, y) * gdp,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CostingYear {
    pub year: i32,
    pub population: f64,
    pub coverage: f64,
    pub covered: f64,
    /// Cost of each benefit, in the order given.
    #[serde(serialize_with = "crate::amount_json::named_amounts")]
    pub benefits: Vec<(String, f64)>,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub total_cost: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub cost_per_covered: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub cost_per_inhabitant: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub gdp: f64,
    pub share_of_gdp: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub government_expenditure: f64,
    pub share_of_government_expenditure: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub revenue: f64,
    /// Cost less revenue: what is still to be financed.
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub financing_gap: f64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CostingError {
    #[error(transparent)]
    Assumption(#[from] AssumptionError),
    #[error("the population has no cell")]
    NoPopulation,
    #[error("benefit {benefit}: no population cell {cell}")]
    UnknownCell { benefit: String, cell: String },
}

impl Costing {
    fn check(&self) -> Result<(), CostingError> {
        if self.cells.is_empty() {
            return Err(CostingError::NoPopulation);
        }
        require(&[
            ("real_growth", &self.real_growth),
            ("inflation", &self.inflation),
            ("medical_excess", &self.medical_excess),
            ("government_share", &self.government_share),
            ("revenue", self.revenue.values()),
        ])?;
        check_years("years", self.years)?;
        let rate = |v: f64| v > -1.0 && v <= MAX_RATE;
        for (what, values) in [
            ("real_growth", &self.real_growth),
            ("inflation", &self.inflation),
            ("medical_excess", &self.medical_excess),
        ] {
            check_values(what, values, "above -1, at most 10", rate)?;
        }
        check_values("government_share", &self.government_share, "0 to 1", |v| {
            (0.0..=1.0).contains(&v)
        })?;
        check_values("revenue", self.revenue.values(), "0 or more", |v| v >= 0.0)?;
        for (what, value) in [
            ("coverage_start", self.coverage_start),
            ("coverage_target", self.coverage_target),
        ] {
            check_values(what, &[value], "0 to 1", |v| (0.0..=1.0).contains(&v))?;
        }
        if self.coverage_target_year == 0 {
            return Err(AssumptionError::OutOfRange {
                what: "coverage_target_year".into(),
                value: 0.0,
                range: "1 or more",
            }
            .into());
        }
        check_values("gdp", &[self.gdp], "above 0", |v| v > 0.0)?;
        for cell in &self.cells {
            let what = format!("population {}", cell.name);
            check_values(&what, &cell.population, "0 or more", |p| p >= 0.0)?;
            if cell.population.is_empty() {
                return Err(AssumptionError::Missing("population".into()).into());
            }
        }
        for benefit in &self.benefits {
            for (cell, _) in &benefit.relativities {
                if !self.cells.iter().any(|c| &c.name == cell) {
                    return Err(CostingError::UnknownCell {
                        benefit: benefit.name.clone(),
                        cell: cell.clone(),
                    });
                }
            }
        }
        Ok(())
    }

    fn coverage(&self, y: usize) -> f64 {
        let target_year = self.coverage_target_year - 1;
        if y >= target_year {
            return self.coverage_target;
        }
        let along = y as f64 / target_year as f64;
        self.coverage_start + (self.coverage_target - self.coverage_start) * along
    }

    /// Cost per covered person of a benefit in year `y`'s population, first-year prices: the
    /// relativities normalised so that the first year's average is the cost given.
    fn per_capita(&self, benefit: &Benefit, y: usize) -> f64 {
        let relativity = |cell: &PopulationCell| {
            benefit
                .relativities
                .iter()
                .find(|(name, _)| name == &cell.name)
                .map_or(1.0, |(_, r)| *r)
        };
        let average = |y: usize| {
            let total: f64 = self.cells.iter().map(|c| in_year(&c.population, y)).sum();
            let weighted: f64 = self
                .cells
                .iter()
                .map(|c| in_year(&c.population, y) * relativity(c))
                .sum();
            if total > 0.0 { weighted / total } else { 1.0 }
        };
        benefit.cost_per_capita * average(y) / average(0)
    }

    pub fn run(&self) -> Result<Vec<CostingYear>, CostingError> {
        self.check()?;
        let mut medical_price = 1.0;
        let mut gdp = self.gdp;
        let mut rows = Vec::with_capacity(self.years);
        for y in 0..self.years {
            if y > 0 {
                let inflation = in_year(&self.inflation, y);
                medical_price *= (1.0 + inflation) * (1.0 + in_year(&self.medical_excess, y));
                gdp *= (1.0 + in_year(&self.real_growth, y)) * (1.0 + inflation);
            }
            let population: f64 = self.cells.iter().map(|c| in_year(&c.population, y)).sum();
            let coverage = self.coverage(y);
            let covered = population * coverage;
            let benefits: Vec<(String, f64)> = self
                .benefits
                .iter()
                .map(|b| {
                    (
                        b.name.clone(),
                        covered * self.per_capita(b, y) * medical_price,
                    )
                })
                .collect();
            let total_cost: f64 = benefits.iter().map(|(_, c)| c).sum();
            let government = gdp * in_year(&self.government_share, y);
            let revenue = self.revenue.in_year(y, gdp);
            let share = |part: f64, whole: f64| if whole > 0.0 { part / whole } else { 0.0 };
            rows.push(CostingYear {
                year: self.first_year + y as i32,
                population,
                coverage,
                covered,
                benefits,
                total_cost,
                cost_per_covered: share(total_cost, covered),
                cost_per_inhabitant: share(total_cost, population),
                gdp,
                share_of_gdp: share(total_cost, gdp),
                government_expenditure: government,
                share_of_government_expenditure: share(total_cost, government),
                revenue,
                financing_gap: total_cost - revenue,
            });
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::close;

    /// Two cells of 600 and 400 people, half covered rising to all by year 3, one benefit of
    /// 100 a head, GDP 1,000,000 growing 2% real with 5% inflation.
    fn small() -> Costing {
        Costing {
            first_year: 2027,
            years: 4,
            cells: vec![
                PopulationCell {
                    name: "young".into(),
                    population: vec![600.0],
                },
                PopulationCell {
                    name: "old".into(),
                    population: vec![400.0, 500.0],
                },
            ],
            coverage_start: 0.5,
            coverage_target: 1.0,
            coverage_target_year: 3,
            benefits: vec![Benefit {
                name: "hospital".into(),
                cost_per_capita: 100.0,
                relativities: vec![],
            }],
            gdp: 1_000_000.0,
            real_growth: vec![0.02],
            inflation: vec![0.05],
            medical_excess: vec![0.0],
            government_share: vec![0.2],
            revenue: Revenue::Amounts(vec![40_000.0]),
        }
    }

    #[test]
    fn cost_grows_with_coverage_population_and_prices() {
        let rows = small().run().unwrap();
        close(rows[0].coverage, 0.5);
        close(rows[0].total_cost, 50_000.0);
        close(rows[0].share_of_gdp, 0.05);
        close(rows[0].share_of_government_expenditure, 0.25);
        close(rows[0].financing_gap, 10_000.0);
        close(rows[0].cost_per_inhabitant, 50.0);
        close(rows[0].cost_per_covered, 100.0);
        // Year 2: 1,100 people, 75% covered, prices 5% up.
        close(rows[1].coverage, 0.75);
        close(rows[1].total_cost, 1100.0 * 0.75 * 100.0 * 1.05);
        close(rows[1].gdp, 1_000_000.0 * 1.02 * 1.05);
        // From year 3 the target holds.
        close(rows[2].coverage, 1.0);
        close(rows[3].coverage, 1.0);
        assert_eq!(rows[3].year, 2030);
        let mut by_gdp = small();
        by_gdp.revenue = Revenue::ShareOfGdp(vec![0.04]);
        let rows = by_gdp.run().unwrap();
        close(rows[1].revenue, 0.04 * 1_000_000.0 * 1.02 * 1.05);
    }

    #[test]
    fn relativities_follow_the_mix_and_medical_prices_outrun_inflation() {
        let mut costing = small();
        costing.coverage_start = 1.0;
        costing.benefits[0].relativities = vec![("old".into(), 3.0)];
        costing.medical_excess = vec![0.02];
        let rows = costing.run().unwrap();
        // Year 1's average is the cost given.
        close(rows[0].total_cost, 100_000.0);
        // Year 2: 600 young and 500 old, so the average relativity rises.
        let average = |young: f64, old: f64| (young + 3.0 * old) / (young + old);
        let per_capita = 100.0 * average(600.0, 500.0) / average(600.0, 400.0);
        close(rows[1].total_cost, 1100.0 * per_capita * 1.05 * 1.02);
    }

    #[test]
    fn impossible_inputs_are_named() {
        let mut costing = small();
        costing.coverage_target = 1.2;
        assert_eq!(
            costing.run().unwrap_err().to_string(),
            "coverage_target: 1.2 is out of range (0 to 1)"
        );
        let mut costing = small();
        costing.benefits[0].relativities = vec![("middle".into(), 2.0)];
        assert_eq!(
            costing.run().unwrap_err().to_string(),
            "benefit hospital: no population cell middle"
        );
    }

    #[test]
    fn infinite_or_absurd_inputs_and_horizons_are_refused_before_any_work() {
        let mut costing = small();
        costing.real_growth = vec![f64::INFINITY];
        assert_eq!(
            costing.run().unwrap_err().to_string(),
            "real_growth: inf is out of range (above -1, at most 10)"
        );
        let mut costing = small();
        costing.inflation = vec![1e308];
        assert!(costing.run().is_err());
        let mut costing = small();
        costing.gdp = f64::NAN;
        assert!(costing.run().is_err());
        let mut costing = small();
        costing.years = 100_000_000;
        assert_eq!(
            costing.run().unwrap_err().to_string(),
            "years: 100000000 years; at most 200"
        );
    }

    #[test]
    fn a_growing_cell_compounds_from_its_first_year() {
        let cell = PopulationCell::growing("all", 1000.0, 0.1, 3);
        assert_eq!(cell.name, "all");
        assert_eq!(cell.population.len(), 3);
        assert!((cell.population[2] - 1210.0).abs() < 1e-9);
    }
}
