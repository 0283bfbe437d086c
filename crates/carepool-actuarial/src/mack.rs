//! Mack's (1993) standard errors of the chain ladder reserves, per origin and in total.
//!
//! The last development period has a single link, so its sigma cannot be estimated; two
//! conventions fill it, and every result states which one it used:
//! - Mack's rule: σ²(last) = min(σ⁴(last-1) / σ²(last-2), σ²(last-2), σ²(last-1));
//! - log-linear: ln σ fitted by least squares on the development index over the estimated
//!   sigmas, and extrapolated.

use crate::build::Named;
use crate::chain_ladder::{Average, ChainLadder, ChainLadderFit, FitError};
use crate::triangle::Triangle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SigmaRule {
    Mack,
    LogLinear,
}

impl Named for SigmaRule {
    const ALL: &'static [SigmaRule] = &[SigmaRule::Mack, SigmaRule::LogLinear];

    fn name(self) -> &'static str {
        match self {
            SigmaRule::Mack => "mack",
            SigmaRule::LogLinear => "log-linear",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mack {
    /// The chain ladder underneath: Mack's model is the volume-weighted one.
    pub chain_ladder: ChainLadder,
    pub sigma: SigmaRule,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MackFit {
    pub chain_ladder: ChainLadderFit,
    /// The convention used for sigmas that could not be estimated.
    pub sigma_rule: SigmaRule,
    /// σ² of each development period's link.
    pub sigma2: Vec<f64>,
    /// Standard error of each origin's reserve.
    pub standard_errors: Vec<f64>,
    pub total_standard_error: f64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum MackError {
    #[error(transparent)]
    Fit(#[from] FitError),
    #[error("Mack's standard errors need volume-weighted factors and no tail factor")]
    NotMacksModel,
    #[error("too few development periods with two or more links to estimate the sigmas")]
    TooShort,
    #[error(
        "a sigma that cannot be estimated is filled from a log-linear line through the development periods whose sigma is above zero, and {positive} has one: the triangle is too short or too regular for Mack's standard errors"
    )]
    NoLogLinearLine { positive: usize },
    #[error("origin {origin}: {why}, so its standard error is not estimable")]
    NotEstimable { origin: String, why: String },
}

impl Mack {
    pub fn fit(&self, triangle: &Triangle) -> Result<MackFit, MackError> {
        if self.chain_ladder.average != Average::Volume || self.chain_ladder.tail != 1.0 {
            return Err(MackError::NotMacksModel);
        }
        let fit = self.chain_ladder.fit(triangle)?;
        let links: Vec<Vec<usize>> = (0..fit.factors.len())
            .map(|k| self.chain_ladder.links(triangle, k))
            .collect();
        let at = |i: usize, k: usize| triangle.value(i, k).expect("a linked value");
        // σ² per link where two or more origins give one; None where it must be filled. A link
        // from zero has no ratio, so it gives no residual (it still weighs in the factor).
        let estimated: Vec<Option<f64>> = links
            .iter()
            .enumerate()
            .map(|(k, origins)| {
                let origins: Vec<usize> = origins
                    .iter()
                    .copied()
                    .filter(|&i| at(i, k) != 0.0)
                    .collect();
                (origins.len() >= 2).then(|| {
                    origins
                        .iter()
                        .map(|&i| at(i, k) * (at(i, k + 1) / at(i, k) - fit.factors[k]).powi(2))
                        .sum::<f64>()
                        / (origins.len() - 1) as f64
                })
            })
            .collect();
        let sigma2 = fill(&estimated, self.sigma)?;
        // The column sums the factors were averaged over.
        let column_sums: Vec<f64> = links
            .iter()
            .enumerate()
            .map(|(k, origins)| origins.iter().map(|&i| at(i, k)).sum())
            .collect();
        let last = fit.factors.len();
        let first_unknown = |i: usize| triangle.row(i).len() - 1;
        let mut standard_errors = Vec::with_capacity(fit.ultimates.len());
        let mut total_mse = 0.0;
        for (i, row) in fit.projected.iter().enumerate() {
            let ultimate = fit.ultimates[i];
            let not_estimable = |why: String| MackError::NotEstimable {
                origin: triangle.origins()[i].clone(),
                why,
            };
            // Mack's variance weighs each link by 1 / the value developed: a negative one gives
            // a negative variance, not a smaller one.
            if let Some(negative) = row.iter().find(|&&value| value < 0.0) {
                return Err(not_estimable(format!(
                    "a value to date or projected is negative ({negative})"
                )));
            }
            // An origin with nothing to date projects nothing, with no error.
            let mse: f64 = if ultimate == 0.0 {
                0.0
            } else {
                (first_unknown(i)..last)
                    .map(|k| {
                        sigma2[k] / fit.factors[k].powi(2) * (1.0 / row[k] + 1.0 / column_sums[k])
                    })
                    .sum::<f64>()
                    * ultimate.powi(2)
            };
            if !(mse >= 0.0 && mse.is_finite()) {
                return Err(not_estimable(format!("its variance would be {mse}")));
            }
            standard_errors.push(mse.sqrt());
            let younger: f64 = fit.ultimates[i + 1..].iter().sum();
            let shared: f64 = (first_unknown(i)..last)
                .map(|k| 2.0 * sigma2[k] / fit.factors[k].powi(2) / column_sums[k])
                .sum();
            total_mse += mse + ultimate * younger * shared;
        }
        if !(total_mse >= 0.0 && total_mse.is_finite()) {
            return Err(MackError::NotEstimable {
                origin: "total".into(),
                why: format!("the variance of the total would be {total_mse}"),
            });
        }
        Ok(MackFit {
            chain_ladder: fit,
            sigma_rule: self.sigma,
            sigma2,
            standard_errors,
            total_standard_error: total_mse.sqrt(),
        })
    }
}

/// Fills the sigmas that could not be estimated by the convention.
fn fill(estimated: &[Option<f64>], rule: SigmaRule) -> Result<Vec<f64>, MackError> {
    let known: Vec<(usize, f64)> = estimated
        .iter()
        .enumerate()
        .filter_map(|(k, s)| s.map(|s| (k, s)))
        .collect();
    if known.len() < 2 {
        return Err(MackError::TooShort);
    }
    let mut sigma2 = Vec::with_capacity(estimated.len());
    for (k, value) in estimated.iter().enumerate() {
        let filled = match (value, rule) {
            (Some(value), _) => *value,
            // Mack's rule extends the two sigmas before; with fewer, the log-linear line.
            (None, SigmaRule::Mack) if k < 2 => log_linear(&known, k)?,
            (None, SigmaRule::Mack) => {
                let (a, b) = (sigma2[k - 2], sigma2[k - 1]);
                let ratio: f64 = if a > 0.0 { b * b / a } else { 0.0 };
                ratio.min(a).min(b)
            }
            (None, SigmaRule::LogLinear) => log_linear(&known, k)?,
        };
        sigma2.push(filled);
    }
    Ok(sigma2)
}

/// σ² at `k` from a least-squares line through (k, ln σ) of the estimated sigmas above zero
/// (a zero has no logarithm); with fewer than two there is no line.
fn log_linear(known: &[(usize, f64)], k: usize) -> Result<f64, MackError> {
    let points: Vec<(f64, f64)> = known
        .iter()
        .filter(|(_, s2)| *s2 > 0.0)
        .map(|&(k, s2)| (k as f64, 0.5 * s2.ln()))
        .collect();
    if points.len() < 2 {
        return Err(MackError::NoLogLinearLine {
            positive: points.len(),
        });
    }
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let slope = points
        .iter()
        .map(|(x, y)| (x - mean_x) * (y - mean_y))
        .sum::<f64>()
        / points
            .iter()
            .map(|(x, _)| (x - mean_x).powi(2))
            .sum::<f64>();
    let ln_sigma = mean_y + slope * (k as f64 - mean_x);
    Ok((2.0 * ln_sigma).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn try_fit(rows: Vec<Vec<f64>>, sigma: SigmaRule) -> Result<MackFit, MackError> {
        let origins = (0..rows.len()).map(|i| format!("{}", 2020 + i)).collect();
        Mack {
            chain_ladder: ChainLadder::default(),
            sigma,
        }
        .fit(&Triangle::new(origins, rows).unwrap())
    }

    fn fit(rows: Vec<Vec<f64>>, sigma: SigmaRule) -> MackFit {
        try_fit(rows, sigma).unwrap()
    }

    /// The second link's ratios are both exactly its factor: its sigma is 0, which has no
    /// logarithm, so one sigma above zero is left and no line goes through one point.
    #[test]
    fn log_linear_sigmas_without_a_line_are_refused_and_macks_rule_fills_them() {
        let rows = vec![
            vec![100.0, 250.0, 500.0, 520.0],
            vec![120.0, 240.0, 480.0],
            vec![90.0, 200.0],
            vec![110.0],
        ];
        assert_eq!(
            try_fit(rows.clone(), SigmaRule::LogLinear).unwrap_err(),
            MackError::NoLogLinearLine { positive: 1 }
        );
        let mack = fit(rows, SigmaRule::Mack);
        assert_eq!(mack.sigma2[1..], [0.0, 0.0]);
        assert!(
            mack.standard_errors
                .iter()
                .all(|s| s.is_finite() && *s >= 0.0)
        );
        assert!(mack.total_standard_error.is_finite());
    }

    #[test]
    fn a_negative_value_to_date_makes_its_origin_not_estimable() {
        let rows = vec![
            vec![100.0, 250.0, 500.0, 520.0],
            vec![120.0, 260.0, 470.0],
            vec![90.0, 200.0],
            vec![-10.0],
        ];
        for sigma in [SigmaRule::Mack, SigmaRule::LogLinear] {
            let error = try_fit(rows.clone(), sigma).unwrap_err();
            assert_eq!(
                error.to_string(),
                "origin 2023: a value to date or projected is negative (-10), so its standard error is not estimable"
            );
        }
    }

    /// A small scheme's triangle: origins with nothing reported in their first period.
    #[test]
    fn links_from_zero_give_no_residual_and_the_errors_stay_finite() {
        let rows = vec![
            vec![0.0, 10.0, 12.0, 13.0, 13.5],
            vec![0.0, 8.0, 9.0, 10.0],
            vec![0.0, 9.0, 11.0],
            vec![4.0, 7.0],
            vec![0.0],
        ];
        for sigma in [SigmaRule::Mack, SigmaRule::LogLinear] {
            let mack = fit(rows.clone(), sigma);
            // One link from a non-zero value at development 0: its sigma is filled.
            assert!(mack.sigma2.iter().all(|s| s.is_finite()), "{mack:?}");
            assert!(mack.standard_errors.iter().all(|s| s.is_finite()));
            assert!(mack.total_standard_error.is_finite());
            // Nothing to date, nothing projected, no error.
            assert_eq!(mack.standard_errors[4], 0.0);
            assert!(mack.standard_errors[3] > 0.0);
        }
    }
}
