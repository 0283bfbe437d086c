//! The national costing's inputs as its file and the API give them (docs/PROJECTION.md,
//! "National costing"), turned into the engine's [`Costing`].

use carepool_actuarial::costing::{
    Benefit, Costing, CostingError, CostingYear, PopulationCell, Revenue,
};
use carepool_actuarial::{NotFinite, check_finite};
use carepool_core::registry::FieldError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CostingFile {
    /// The currency of the amounts, shown with them in the reports.
    #[serde(default)]
    pub currency: Option<String>,
    pub horizon: Horizon,
    pub coverage: Coverage,
    pub population: Vec<CellEntry>,
    pub benefits: Vec<BenefitEntry>,
    pub economy: Economy,
    pub revenue: RevenueEntry,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Horizon {
    pub first_year: i32,
    pub years: usize,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Coverage {
    pub start: f64,
    pub target: f64,
    /// The year (from 1) the target is reached.
    pub target_year: usize,
}

/// A cell of the population: its people each year, or in the first year with a yearly growth.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CellEntry {
    pub cell: String,
    pub people: Vec<f64>,
    pub growth: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BenefitEntry {
    pub name: String,
    pub cost_per_capita: f64,
    #[serde(default)]
    pub relativities: BTreeMap<String, f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Economy {
    pub gdp: f64,
    pub real_growth: Vec<f64>,
    pub inflation: Vec<f64>,
    #[serde(default)]
    pub medical_excess: Vec<f64>,
    pub government_share: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RevenueEntry {
    pub amounts: Option<Vec<f64>>,
    pub share_of_gdp: Option<Vec<f64>>,
}

impl CostingFile {
    pub fn costing(&self) -> Result<Costing, FieldError> {
        let years = self.horizon.years;
        if years == 0 {
            return Err(FieldError::new("horizon.years", "must be 1 or more"));
        }
        // Before each cell's population is grown over the years.
        carepool_actuarial::check_years("years", years)
            .map_err(|error| FieldError::new("horizon.years", error.to_string()))?;
        let cells = self
            .population
            .iter()
            .map(|entry| match (entry.growth, entry.people.as_slice()) {
                (Some(growth), [first]) => {
                    Ok(PopulationCell::growing(&entry.cell, *first, growth, years))
                }
                (Some(_), _) => Err(FieldError::new(
                    "population",
                    format!(
                        "{}: with a growth, give the first year's people only",
                        entry.cell
                    ),
                )),
                (None, _) => Ok(PopulationCell {
                    name: entry.cell.clone(),
                    population: entry.people.clone(),
                }),
            })
            .collect::<Result<Vec<_>, FieldError>>()?;
        let revenue = match (&self.revenue.amounts, &self.revenue.share_of_gdp) {
            (Some(amounts), None) => Revenue::Amounts(amounts.clone()),
            (None, Some(shares)) => Revenue::ShareOfGdp(shares.clone()),
            _ => {
                return Err(FieldError::new(
                    "revenue",
                    "give the revenue as amounts or as share_of_gdp, one of the two",
                ));
            }
        };
        let or_zero = |values: &Vec<f64>| match values.is_empty() {
            true => vec![0.0],
            false => values.clone(),
        };
        Ok(Costing {
            first_year: self.horizon.first_year,
            years,
            cells,
            coverage_start: self.coverage.start,
            coverage_target: self.coverage.target,
            coverage_target_year: self.coverage.target_year,
            benefits: self
                .benefits
                .iter()
                .map(|b| Benefit {
                    name: b.name.clone(),
                    cost_per_capita: b.cost_per_capita,
                    relativities: b
                        .relativities
                        .iter()
                        .map(|(c, r)| (c.clone(), *r))
                        .collect(),
                })
                .collect(),
            gdp: self.economy.gdp,
            real_growth: self.economy.real_growth.clone(),
            inflation: self.economy.inflation.clone(),
            medical_excess: or_zero(&self.economy.medical_excess),
            government_share: self.economy.government_share.clone(),
            revenue,
        })
    }

    /// The costing year by year; refused if a figure is not a finite number.
    pub fn run(&self) -> Result<Vec<CostingYear>, CostingRunError> {
        if let Some(currency) = &self.currency {
            carepool_core::registry::check_currency("currency", currency)?;
        }
        let years = self.costing()?.run()?;
        check_finite(&years)?;
        Ok(years)
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CostingRunError {
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error(transparent)]
    Costing(#[from] CostingError),
    #[error(transparent)]
    NotFinite(#[from] NotFinite),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file() -> serde_json::Value {
        serde_json::json!({
            "horizon": { "first_year": 2027, "years": 3 },
            "coverage": { "start": 1.0, "target": 1.0, "target_year": 1 },
            "population": [ { "cell": "all", "people": [1000.0], "growth": 0.1 } ],
            "benefits": [ { "name": "care", "cost_per_capita": 10.0 } ],
            "economy": { "gdp": 100000.0, "real_growth": [0.0], "inflation": [0.0], "government_share": [0.25] },
            "revenue": { "share_of_gdp": [0.1] }
        })
    }

    #[test]
    fn a_growing_population_and_revenue_by_share_of_gdp() {
        let costing: CostingFile = serde_json::from_value(file()).unwrap();
        let rows = costing.run().unwrap();
        assert!((rows[2].population - 1210.0).abs() < 1e-9);
        assert!((rows[2].total_cost - 12_100.0).abs() < 1e-9);
        assert!((rows[2].financing_gap - 2_100.0).abs() < 1e-9);
        assert!((rows[2].share_of_government_expenditure - 0.484).abs() < 1e-12);
    }

    #[test]
    fn revenue_given_twice_or_not_at_all_is_refused() {
        let mut json = file();
        json["revenue"]["amounts"] = serde_json::json!([1.0]);
        let costing: CostingFile = serde_json::from_value(json).unwrap();
        assert_eq!(costing.costing().unwrap_err().field, "revenue");
    }
}
