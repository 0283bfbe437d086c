//! The chain ladder: development factors from the triangle's links, each origin projected to
//! its ultimate.

use crate::triangle::Triangle;

/// How the factor of each development period is averaged over the origins' link ratios.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Average {
    /// Sum of the later column over the sum of the earlier one (the classic chain ladder).
    Volume,
    /// The plain mean of the link ratios.
    Simple,
    /// Volume-weighted over the latest n origins only.
    Periods(usize),
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChainLadder {
    pub average: Average,
    /// Links left out of the averages: (origin index, development index of the link's start).
    pub excluded: Vec<(usize, usize)>,
    /// Development beyond the triangle's last column, applied to every origin.
    pub tail: f64,
}

impl Default for ChainLadder {
    fn default() -> Self {
        ChainLadder {
            average: Average::Volume,
            excluded: vec![],
            tail: 1.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChainLadderFit {
    /// The factor from each development period to the next.
    pub factors: Vec<f64>,
    pub tail: f64,
    /// Each origin's cumulative values, observed then projected, to the last development.
    pub projected: Vec<Vec<f64>>,
    pub latest: Vec<f64>,
    pub ultimates: Vec<f64>,
    /// Ultimate less latest, per origin.
    pub ibnr: Vec<f64>,
}

impl ChainLadderFit {
    pub fn total_ibnr(&self) -> f64 {
        self.ibnr.iter().sum()
    }

    /// The cumulative development factor from each development to ultimate, tail included.
    pub fn to_ultimate(&self) -> Vec<f64> {
        (0..=self.factors.len())
            .map(|k| self.factors[k..].iter().product::<f64>() * self.tail)
            .collect()
    }
}

/// The largest tail factor taken: development past the triangle that multiplies it tenfold is
/// a slip, not an estimate.
pub const MAX_TAIL: f64 = 10.0;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FitError {
    #[error("development {development} has no link to average (all excluded or no later value)")]
    NoLinks { development: usize },
    #[error("development {development}: a link starts from zero, so no factor can be averaged")]
    ZeroBase { development: usize },
    #[error("the tail factor must be a number above 0 and at most {MAX_TAIL}, not {0}")]
    BadTail(f64),
}

impl ChainLadder {
    /// The origins whose link from development `k` to `k + 1` enters the averages.
    pub(crate) fn links(&self, triangle: &Triangle, k: usize) -> Vec<usize> {
        let mut origins: Vec<usize> = (0..triangle.origins().len())
            .filter(|&i| triangle.value(i, k + 1).is_some())
            .filter(|&i| !self.excluded.contains(&(i, k)))
            .collect();
        if let Average::Periods(n) = self.average {
            let keep = origins.len().saturating_sub(n);
            origins.drain(..keep);
        }
        origins
    }

    pub fn fit(&self, triangle: &Triangle) -> Result<ChainLadderFit, FitError> {
        if !(self.tail > 0.0 && self.tail <= MAX_TAIL) {
            return Err(FitError::BadTail(self.tail));
        }
        let developments = triangle.developments();
        let mut factors = Vec::with_capacity(developments.saturating_sub(1));
        for k in 0..developments.saturating_sub(1) {
            let origins = self.links(triangle, k);
            if origins.is_empty() {
                return Err(FitError::NoLinks { development: k });
            }
            let at = |i: usize, k: usize| triangle.value(i, k).expect("a linked value");
            if origins.iter().any(|&i| at(i, k) == 0.0) && self.average == Average::Simple
                || origins.iter().all(|&i| at(i, k) == 0.0)
            {
                return Err(FitError::ZeroBase { development: k });
            }
            let factor = match self.average {
                Average::Simple => {
                    origins
                        .iter()
                        .map(|&i| at(i, k + 1) / at(i, k))
                        .sum::<f64>()
                        / origins.len() as f64
                }
                Average::Volume | Average::Periods(_) => {
                    origins.iter().map(|&i| at(i, k + 1)).sum::<f64>()
                        / origins.iter().map(|&i| at(i, k)).sum::<f64>()
                }
            };
            factors.push(factor);
        }
        let projected: Vec<Vec<f64>> = (0..triangle.origins().len())
            .map(|i| {
                let mut row = triangle.row(i).to_vec();
                while row.len() < developments {
                    let next = row[row.len() - 1] * factors[row.len() - 1];
                    row.push(next);
                }
                row
            })
            .collect();
        let latest = triangle.latest();
        let ultimates: Vec<f64> = projected
            .iter()
            .map(|row| row[developments - 1] * self.tail)
            .collect();
        let ibnr = ultimates.iter().zip(&latest).map(|(u, l)| u - l).collect();
        Ok(ChainLadderFit {
            factors,
            tail: self.tail,
            projected,
            latest,
            ultimates,
            ibnr,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triangle::small;

    #[test]
    fn each_average_weighs_the_links_its_own_way() {
        let fit = |average| {
            ChainLadder {
                average,
                ..ChainLadder::default()
            }
            .fit(&small())
            .unwrap()
        };
        assert_eq!(fit(Average::Volume).factors, vec![500.0 / 300.0, 1.2]);
        assert_eq!(fit(Average::Simple).factors, vec![1.75, 1.2]);
        assert_eq!(fit(Average::Periods(1)).factors, vec![1.5, 1.2]);
    }

    #[test]
    fn an_excluded_link_leaves_the_average_and_a_tail_multiplies_every_ultimate() {
        let fit = ChainLadder {
            excluded: vec![(1, 0)],
            tail: 1.1,
            ..ChainLadder::default()
        }
        .fit(&small())
        .unwrap();
        assert_eq!(fit.factors, vec![2.0, 1.2]);
        // The 2025 origin: 50 × 2.0 × 1.2 × 1.1.
        assert!((fit.ultimates[2] - 132.0).abs() < 1e-9);
        assert!((fit.ibnr[0] - 24.0).abs() < 1e-9);
    }

    #[test]
    fn a_development_with_every_link_excluded_is_refused() {
        let error = ChainLadder {
            excluded: vec![(0, 1)],
            ..ChainLadder::default()
        }
        .fit(&small())
        .unwrap_err();
        assert_eq!(error, FitError::NoLinks { development: 1 });
    }
}
