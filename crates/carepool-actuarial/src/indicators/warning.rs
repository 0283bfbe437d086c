//! The early warning's arithmetic: each month's figure against what the premium assumed, with
//! a band from the figure's own sampling variability (Poisson for a count of claims, the
//! observed spread of costs for an average), and a warning once a figure stays on one side of
//! its band for a stated number of months.

use chrono::NaiveDate;
use serde::Serialize;

/// A month's figure against the premium's assumption for it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Check {
    /// The month's first day.
    pub month: NaiveDate,
    pub observed: f64,
    pub expected: f64,
    /// The band the observed figure falls in by chance alone, but rarely.
    pub low: f64,
    pub high: f64,
}

/// Which side of its band a figure fell on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    Above,
    Below,
}

impl Check {
    pub fn side(&self) -> Option<Side> {
        if self.observed > self.high {
            Some(Side::Above)
        } else if self.observed < self.low {
            Some(Side::Below)
        } else {
            None
        }
    }
}

/// Above this mean, a Poisson count is taken as normal (its skew is below 0.045), and its
/// probabilities never summed from 0 (e^-mean would vanish below the smallest f64).
const NORMAL_FROM: f64 = 500.0;

/// The band of a count of claims expected to be Poisson with mean `expected`: the largest
/// count `low` and the smallest `high` such that a count below `low`, or above `high`, each
/// happen with probability at most `alpha / 2` (0 < alpha < 1; an alpha of 0 or less bands
/// every count).
pub fn poisson_band(expected: f64, alpha: f64) -> (f64, f64) {
    if alpha <= 0.0 {
        return (0.0, f64::INFINITY);
    }
    if expected <= 0.0 {
        return (0.0, 0.0);
    }
    if expected > NORMAL_FROM {
        let half = normal_quantile(1.0 - alpha / 2.0) * expected.sqrt();
        return ((expected - half).ceil(), (expected + half).floor());
    }
    // P(N <= k), summed by the recursion p(k) = p(k - 1) x mean / k.
    let mut probability = (-expected).exp();
    let mut cumulative = probability;
    let mut low = None;
    let mut k = 0.0;
    // Past this count the probabilities left are below what an f64 sum can tell apart from 1.
    let last = expected + 40.0 * expected.sqrt() + 40.0;
    loop {
        // `low` is the first count whose probability of being undercut exceeds alpha / 2.
        if low.is_none() && cumulative > alpha / 2.0 {
            low = Some(k);
        }
        if 1.0 - cumulative <= alpha / 2.0 || k >= last {
            return (low.unwrap_or(k), k);
        }
        k += 1.0;
        probability *= expected / k;
        cumulative += probability;
    }
}

/// The band of the mean of `n` values whose spread (standard deviation) is `spread`, expected
/// to be `expected`: `z` standard errors either side.
pub fn mean_band(expected: f64, spread: f64, n: u64, z: f64) -> (f64, f64) {
    let error = spread / (n as f64).sqrt();
    (expected - z * error, expected + z * error)
}

/// The normal quantile of `p` (0 < p < 1), by Acklam's rational approximation: a relative
/// error below 1.2e-9, far finer than a band needs.
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let tail = |q: f64| {
        let r = (-2.0 * q.ln()).sqrt();
        (((((C[0] * r + C[1]) * r + C[2]) * r + C[3]) * r + C[4]) * r + C[5])
            / ((((D[0] * r + D[1]) * r + D[2]) * r + D[3]) * r + 1.0)
    };
    if p < 0.02425 {
        tail(p)
    } else if p > 1.0 - 0.02425 {
        -tail(1.0 - p)
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// A figure that stayed on one side of its band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Warning {
    /// The base table's line (or "all" for the whole scheme).
    pub line: String,
    /// incidence_per_1000, average_cost or family_size.
    pub measure: &'static str,
    pub side: Side,
    /// The months of the run, oldest first, each with its figures.
    pub months: Vec<Check>,
    /// The run reaches the last month watched: the warning is open.
    pub open: bool,
}

/// The latest run of at least `needed` months in a row on one side of the band, among `checks`
/// (the months watched, in order; none where the month could not be checked, which breaks a
/// run).
pub fn warning(
    line: &str,
    measure: &'static str,
    checks: &[Option<Check>],
    needed: usize,
) -> Option<Warning> {
    let mut found = None;
    let mut run: Vec<Check> = Vec::new();
    let mut side = None;
    for check in checks {
        let this_side = check.and_then(|c| c.side());
        match (this_side, check) {
            (Some(s), Some(c)) if side == Some(s) => run.push(*c),
            (Some(s), Some(c)) => {
                run = vec![*c];
                side = Some(s);
            }
            _ => {
                run.clear();
                side = None;
            }
        }
        if let Some(s) = side.filter(|_| run.len() >= needed) {
            found = Some((s, run.clone()));
        }
    }
    let last = checks.last().copied().flatten();
    found.map(|(side, months)| Warning {
        line: line.to_string(),
        measure,
        side,
        open: last.is_some_and(|l| months.last().is_some_and(|m| m.month == l.month)),
        months,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_normal_quantile_is_within_its_approximations_error() {
        // Reference values (R's qnorm).
        for (p, quantile) in [
            (0.975, 1.959_963_984_540_054),
            (0.995, 2.575_829_303_548_901),
            (0.5, 0.0),
            (0.01, -2.326_347_874_040_841),
            (1e-6, -4.753_424_308_822_899),
        ] {
            let found = normal_quantile(p);
            assert!(
                (found - quantile).abs() <= 1.2e-9 * quantile.abs().max(1.0),
                "{p}: {found} against {quantile}"
            );
        }
    }

    /// P(N <= k) of a Poisson count, summed directly.
    fn poisson_cdf(mean: f64, k: u64) -> f64 {
        let mut p = (-mean).exp();
        let mut sum = p;
        for i in 1..=k {
            p *= mean / i as f64;
            sum += p;
        }
        sum
    }

    #[test]
    fn a_poisson_band_leaves_at_most_alpha_outside_and_no_count_more_than_it_must() {
        let alpha = 0.01;
        for mean in [0.5, 3.0, 20.0, 120.0, 480.0] {
            let (low, high) = poisson_band(mean, alpha);
            let below = if low >= 1.0 {
                poisson_cdf(mean, low as u64 - 1)
            } else {
                0.0
            };
            let above = 1.0 - poisson_cdf(mean, high as u64);
            assert!(
                below <= alpha / 2.0 && above <= alpha / 2.0,
                "{mean}: {low}-{high}"
            );
            // One count tighter on either side would leave more than alpha / 2 out.
            assert!(
                poisson_cdf(mean, low as u64) > alpha / 2.0,
                "{mean}: low {low}"
            );
            assert!(
                1.0 - poisson_cdf(mean, high as u64 - 1) > alpha / 2.0,
                "{mean}: high {high}"
            );
        }
        // R: qpois(c(0.005, 0.995), 20) is 10 and 32.
        assert_eq!(poisson_band(20.0, 0.01), (10.0, 32.0));
        // Past 500, the normal band: 10,000 +/- 2.5758 x 100.
        assert_eq!(poisson_band(10_000.0, 0.01), (9_743.0, 10_257.0));
        assert_eq!(poisson_band(0.0, 0.01), (0.0, 0.0));
        // An alpha too small for an f64 still ends; none bands every count.
        assert!(poisson_band(5.0, 1e-300).1 < 100.0);
        assert_eq!(poisson_band(5.0, 0.0), (0.0, f64::INFINITY));
    }

    #[test]
    fn a_mean_band_narrows_with_the_square_root_of_the_count() {
        assert_eq!(mean_band(100.0, 40.0, 16, 2.0), (80.0, 120.0));
        assert_eq!(mean_band(100.0, 40.0, 64, 2.0), (90.0, 110.0));
    }

    fn check(month: u32, observed: f64) -> Option<Check> {
        Some(Check {
            month: NaiveDate::from_ymd_opt(2026, month, 1).unwrap(),
            observed,
            expected: 100.0,
            low: 80.0,
            high: 120.0,
        })
    }

    #[test]
    fn a_warning_needs_the_months_in_a_row_on_one_side() {
        // Above twice, back inside, then above three months to the last: open.
        let checks = [
            check(1, 130.0),
            check(2, 125.0),
            check(3, 100.0),
            check(4, 121.0),
            check(5, 140.0),
            check(6, 150.0),
        ];
        let found = warning("all", "incidence_per_1000", &checks, 3).unwrap();
        assert_eq!(found.side, Side::Above);
        assert_eq!(found.months.len(), 3);
        assert_eq!(
            found.months[0].month,
            NaiveDate::from_ymd_opt(2026, 4, 1).unwrap()
        );
        assert!(found.open);
        // Two months are not enough for three; a side change restarts the run.
        assert_eq!(warning("all", "incidence_per_1000", &checks[..3], 3), None);
        let flipping = [check(1, 130.0), check(2, 70.0), check(3, 130.0)];
        assert_eq!(warning("all", "average_cost", &flipping, 2), None);
        // A month that could not be checked breaks the run; a run that ended is not open.
        let broken = [
            check(1, 130.0),
            None,
            check(3, 130.0),
            check(4, 130.0),
            check(5, 100.0),
        ];
        let found = warning("all", "average_cost", &broken, 2).unwrap();
        assert_eq!(found.months.len(), 2);
        assert!(!found.open);
        // Below the band warns too.
        let low = [check(1, 50.0), check(2, 60.0)];
        assert_eq!(
            warning("x", "family_size", &low, 2).unwrap().side,
            Side::Below
        );
    }
}
