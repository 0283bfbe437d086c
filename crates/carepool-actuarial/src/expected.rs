//! Methods that blend the chain ladder with an expected ultimate (exposure × a priori loss
//! ratio): Bornhuetter-Ferguson, Benktander and Cape Cod, as chainladder-python defines them.
//!
//! With q the share still to develop (1 - 1/CDF, the CDF running from the latest development to
//! ultimate, tail included), latest L and expected ultimate E:
//! - Bornhuetter-Ferguson: U = L + q E;
//! - Benktander with n iterations: U₀ = E, Uₖ₊₁ = L + q Uₖ; n = 1 is Bornhuetter-Ferguson, and
//!   many iterations approach the chain ladder;
//! - Cape Cod: Bornhuetter-Ferguson with the loss ratio the data give, Σ L / Σ (exposure / CDF).

use crate::chain_ladder::{ChainLadder, ChainLadderFit, FitError};
use crate::triangle::Triangle;

#[derive(Debug, Clone, PartialEq)]
pub enum Apriori {
    /// A loss ratio on the exposure, the same for every origin.
    LossRatio(f64),
    /// Cape Cod: the loss ratio implied by the reported amounts and the exposure used up.
    CapeCod,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedLoss {
    pub chain_ladder: ChainLadder,
    pub apriori: Apriori,
    /// 1: Bornhuetter-Ferguson (and Cape Cod); more: Benktander.
    pub iterations: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedLossFit {
    pub chain_ladder: ChainLadderFit,
    /// The loss ratio used: the one given, or Cape Cod's.
    pub loss_ratio: f64,
    /// Cumulative development factor to ultimate per origin.
    pub cdf: Vec<f64>,
    pub ultimates: Vec<f64>,
    pub ibnr: Vec<f64>,
}

impl ExpectedLossFit {
    pub fn total_ibnr(&self) -> f64 {
        self.ibnr.iter().sum()
    }
}

/// The bounds of the options (docs/RESERVING.md): past them an estimate is a typing slip, and
/// far past them it is no longer a finite number.
pub const MAX_LOSS_RATIO: f64 = 10.0;
pub const MAX_EXPOSURE: f64 = 1e15;
/// Benktander's iterations: enough to come within a millionth of the chain ladder even where
/// little is developed, few enough to be quick on the largest triangle.
pub const MAX_ITERATIONS: u32 = 10_000;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ExpectedLossError {
    #[error(transparent)]
    Fit(#[from] FitError),
    #[error("the exposure has {given} values for {origins} origins")]
    ExposureLength { given: usize, origins: usize },
    #[error(
        "the exposure of origin {origin} is {value}; it must be a positive number, at most {MAX_EXPOSURE}"
    )]
    BadExposure { origin: String, value: f64 },
    #[error("the a priori loss ratio must be a positive number, at most {MAX_LOSS_RATIO}, not {0}")]
    BadLossRatio(f64),
    #[error("Benktander takes 1 to {MAX_ITERATIONS} iterations, not {0}")]
    Iterations(u32),
}

impl ExpectedLoss {
    /// Fits on `triangle` with one exposure (earned premium, say) per origin.
    pub fn fit(
        &self,
        triangle: &Triangle,
        exposure: &[f64],
    ) -> Result<ExpectedLossFit, ExpectedLossError> {
        let origins = triangle.origins();
        if exposure.len() != origins.len() {
            return Err(ExpectedLossError::ExposureLength {
                given: exposure.len(),
                origins: origins.len(),
            });
        }
        if let Some((origin, value)) = origins
            .iter()
            .zip(exposure)
            .find(|(_, e)| !(e.is_finite() && **e > 0.0 && **e <= MAX_EXPOSURE))
        {
            return Err(ExpectedLossError::BadExposure {
                origin: origin.clone(),
                value: *value,
            });
        }
        if !(1..=MAX_ITERATIONS).contains(&self.iterations) {
            return Err(ExpectedLossError::Iterations(self.iterations));
        }
        let fit = self.chain_ladder.fit(triangle)?;
        let to_ultimate = fit.to_ultimate();
        let cdf: Vec<f64> = (0..origins.len())
            .map(|i| to_ultimate[triangle.row(i).len() - 1])
            .collect();
        let loss_ratio = match self.apriori {
            Apriori::LossRatio(ratio) if ratio > 0.0 && ratio <= MAX_LOSS_RATIO => ratio,
            Apriori::LossRatio(ratio) => return Err(ExpectedLossError::BadLossRatio(ratio)),
            Apriori::CapeCod => {
                fit.latest.iter().sum::<f64>()
                    / exposure.iter().zip(&cdf).map(|(e, c)| e / c).sum::<f64>()
            }
        };
        let ultimates: Vec<f64> = (0..origins.len())
            .map(|i| {
                let unreported = 1.0 - 1.0 / cdf[i];
                (0..self.iterations).fold(exposure[i] * loss_ratio, |ultimate, _| {
                    fit.latest[i] + unreported * ultimate
                })
            })
            .collect();
        let ibnr = ultimates
            .iter()
            .zip(&fit.latest)
            .map(|(u, l)| u - l)
            .collect();
        Ok(ExpectedLossFit {
            chain_ladder: fit,
            loss_ratio,
            cdf,
            ultimates,
            ibnr,
        })
    }
}
