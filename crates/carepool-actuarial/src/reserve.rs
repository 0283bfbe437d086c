//! A reserve study: one method fitted on a triangle, with the results per origin and in total.
//! What the claims tell directly at the valuation date (reported but not yet paid) is kept
//! apart from what the method estimates (incurred but not reported).

use crate::build::{BuildError, ClaimDates, ClaimSums, Development, Measure, Named, Period};
use crate::chain_ladder::{Average, ChainLadder, ChainLadderFit, FitError};
use crate::expected::{Apriori, ExpectedLoss, ExpectedLossError};
use crate::mack::{Mack, MackError, SigmaRule};
use crate::triangle::Triangle;
use carepool_core::words::{Figure, Sentence, Words};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    ChainLadder,
    /// The chain ladder with Mack's standard errors.
    Mack(SigmaRule),
    BornhuetterFerguson {
        loss_ratio: f64,
    },
    Benktander {
        loss_ratio: f64,
        iterations: u32,
    },
    CapeCod,
}

impl Method {
    pub fn name(&self) -> &'static str {
        match self {
            Method::ChainLadder => "chain-ladder",
            Method::Mack(_) => "mack",
            Method::BornhuetterFerguson { .. } => "bf",
            Method::Benktander { .. } => "benktander",
            Method::CapeCod => "cape-cod",
        }
    }

    fn needs_exposure(&self) -> bool {
        matches!(
            self,
            Method::BornhuetterFerguson { .. } | Method::Benktander { .. } | Method::CapeCod
        )
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ReserveStudy {
    pub method: Method,
    /// Its links are excluded by origin label in [`ReserveStudy::excluded`], since the origins
    /// of a triangle built from claims are known only once it is built.
    pub chain_ladder: ChainLadder,
    pub excluded: Vec<ExcludedLink>,
    /// What the triangle's development runs to: it decides what the reserve covers.
    pub development: Development,
    /// Earned premium (or another exposure) by origin label, for Bornhuetter-Ferguson,
    /// Benktander and Cape Cod; origins the triangle lacks are left aside.
    pub exposure: Option<BTreeMap<String, f64>>,
}

/// What the claims say at the valuation date, per origin, in the triangle's measure.
#[derive(Debug, Clone, PartialEq)]
pub struct Known {
    pub reported: Vec<f64>,
    pub paid: Vec<f64>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ReserveError {
    #[error(transparent)]
    Fit(#[from] FitError),
    #[error(transparent)]
    Mack(#[from] MackError),
    #[error(transparent)]
    ExpectedLoss(#[from] ExpectedLossError),
    #[error("the {method} method needs an exposure (earned premium) per origin")]
    NoExposure { method: &'static str },
    #[error("the exposure has no value for origin {origin}")]
    MissingExposure { origin: String },
    #[error(transparent)]
    Build(#[from] BuildError),
    #[error("excluded link {origin}:{lag}: the triangle has no origin {origin}")]
    UnknownOrigin { origin: String, lag: usize },
    #[error("excluded link {origin}:{lag}: origin {origin} has no link from development {lag}")]
    NoSuchLink { origin: String, lag: usize },
    #[error("the claims give amounts for {given} origins, the triangle has {origins}")]
    KnownLength { given: usize, origins: usize },
}

/// The results, as every output format shows them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reserve {
    /// For a triangle built from claims: the valuation date, the origin period and the measure.
    pub valuation: Option<NaiveDate>,
    pub origin_period: Option<&'static str>,
    pub measure: Option<&'static str>,
    pub method: &'static str,
    /// The convention for the last sigma, for Mack's standard errors.
    pub sigma_rule: Option<&'static str>,
    pub development: &'static str,
    /// volume, simple, or "volume over the latest N origins".
    pub average: String,
    pub excluded: Vec<ExcludedLink>,
    pub tail: f64,
    pub loss_ratio: Option<f64>,
    pub iterations: Option<u32>,
    /// The factor from each development lag to the next.
    pub factors: Vec<f64>,
    /// The cumulative factor from each development lag to ultimate, tail included.
    pub to_ultimate: Vec<f64>,
    pub origins: Vec<OriginReserve>,
    pub total: OriginReserve,
    pub triangle: TriangleTables,
    /// How to read the results: what the reserve covers, and the conventions used.
    pub notes: Vec<Sentence>,
    /// What in the data makes the results doubtful, with the reason: a cumulative triangle
    /// that falls, claims paid without a paid date.
    pub warnings: Vec<Sentence>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExcludedLink {
    pub origin: String,
    /// The lag the link starts from.
    pub lag: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OriginReserve {
    pub origin: String,
    /// The diagonal: reported (or paid) to date.
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub latest: f64,
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub exposure: Option<f64>,
    /// Cumulative development factor to ultimate; none for the total.
    pub to_ultimate: Option<f64>,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub ultimate: f64,
    /// Ultimate less latest: what the method says is still to come.
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub reserve: f64,
    /// Incurred but not reported.
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub ibnr: Option<f64>,
    /// Reported but not paid, from the claims.
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub rbnp: Option<f64>,
    /// Of the reserve (Mack only).
    #[serde(serialize_with = "crate::amount_json::optional_amount")]
    pub standard_error: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TriangleTables {
    pub origins: Vec<String>,
    #[serde(serialize_with = "crate::amount_json::amount_rows")]
    pub cumulative: Vec<Vec<f64>>,
    #[serde(serialize_with = "crate::amount_json::amount_rows")]
    pub incremental: Vec<Vec<f64>>,
    /// Each origin's link ratios from lag k to k + 1 (none where the lag k value is zero).
    pub link_ratios: Vec<Vec<Option<f64>>>,
}

impl TriangleTables {
    fn of(triangle: &Triangle) -> TriangleTables {
        let rows = 0..triangle.origins().len();
        TriangleTables {
            origins: triangle.origins().to_vec(),
            cumulative: rows.clone().map(|i| triangle.row(i).to_vec()).collect(),
            incremental: rows
                .clone()
                .map(|i| {
                    let row = triangle.row(i);
                    (0..row.len())
                        .map(|k| if k == 0 { row[0] } else { row[k] - row[k - 1] })
                        .collect()
                })
                .collect(),
            link_ratios: rows
                .map(|i| {
                    triangle
                        .row(i)
                        .windows(2)
                        .map(|w| (w[0] != 0.0).then(|| w[1] / w[0]))
                        .collect()
                })
                .collect(),
        }
    }
}

/// The method's answer: the chain ladder underneath, and the ultimates the method gives.
struct Estimate {
    chain_ladder: ChainLadderFit,
    ultimates: Vec<f64>,
    loss_ratio: Option<f64>,
    standard_errors: Option<(Vec<f64>, f64)>,
}

impl ReserveStudy {
    /// Builds the triangle of `claims` known at `valuation` (origin by incurred `period`,
    /// development as the study says) and fits it, with reported but not paid from the claims.
    pub fn fit_claims(
        &self,
        claims: &[ClaimDates],
        period: Period,
        measure: Measure,
        valuation: NaiveDate,
    ) -> Result<Reserve, ReserveError> {
        let mut sums = self.claim_sums(period, measure, valuation);
        claims.iter().for_each(|claim| sums.add(claim));
        self.fit_sums(&sums)
    }

    /// Sums to add claims to, one at a time, for [`ReserveStudy::fit_sums`]: origin by incurred
    /// `period`, development as the study says, known at `valuation`.
    pub fn claim_sums(&self, period: Period, measure: Measure, valuation: NaiveDate) -> ClaimSums {
        ClaimSums::new(period, self.development, measure, valuation)
    }

    /// Fits the triangle of the claims added to `sums`, with reported but not paid from them.
    pub fn fit_sums(&self, sums: &ClaimSums) -> Result<Reserve, ReserveError> {
        let triangle = sums.triangle()?;
        let mut reserve = self.fit(&triangle, Some(&sums.known()?))?;
        reserve.valuation = Some(sums.valuation());
        reserve.origin_period = Some(sums.period().name());
        reserve.measure = Some(sums.measure().name());
        Ok(reserve)
    }

    pub fn fit(&self, triangle: &Triangle, known: Option<&Known>) -> Result<Reserve, ReserveError> {
        let origins = triangle.origins();
        if let Some(known) = known
            && (known.reported.len() != origins.len() || known.paid.len() != origins.len())
        {
            return Err(ReserveError::KnownLength {
                given: known.reported.len().min(known.paid.len()),
                origins: origins.len(),
            });
        }
        let exposure = self.exposure_by_origin(origins)?;
        let chain_ladder = self.chain_ladder_for(triangle)?;
        let estimate = self.estimate(&chain_ladder, triangle, exposure.as_deref())?;
        let to_ultimate = estimate.chain_ladder.to_ultimate();
        let latest = &estimate.chain_ladder.latest;
        let rows: Vec<OriginReserve> = (0..origins.len())
            .map(|i| {
                let reserve = estimate.ultimates[i] - latest[i];
                let rbnp = known.map(|k| k.reported[i] - k.paid[i]);
                OriginReserve {
                    origin: origins[i].clone(),
                    latest: latest[i],
                    exposure: exposure.as_ref().map(|e| e[i]),
                    to_ultimate: Some(to_ultimate[triangle.row(i).len() - 1]),
                    ultimate: estimate.ultimates[i],
                    reserve,
                    ibnr: self.ibnr(reserve, rbnp),
                    rbnp,
                    // A fully developed origin's error is an empty sum: -0 in IEEE.
                    standard_error: estimate.standard_errors.as_ref().map(|(se, _)| se[i].abs()),
                }
            })
            .collect();
        let sum = |field: fn(&OriginReserve) -> Option<f64>| -> Option<f64> {
            rows.iter().map(field).sum()
        };
        let total = OriginReserve {
            origin: "total".into(),
            latest: rows.iter().map(|r| r.latest).sum(),
            exposure: sum(|r| r.exposure),
            to_ultimate: None,
            ultimate: rows.iter().map(|r| r.ultimate).sum(),
            reserve: rows.iter().map(|r| r.reserve).sum(),
            ibnr: sum(|r| r.ibnr),
            rbnp: sum(|r| r.rbnp),
            standard_error: estimate.standard_errors.as_ref().map(|(_, total)| *total),
        };
        Ok(Reserve {
            valuation: None,
            origin_period: None,
            measure: None,
            method: self.method.name(),
            sigma_rule: match self.method {
                Method::Mack(rule) => Some(rule.name()),
                _ => None,
            },
            development: self.development.name(),
            average: match self.chain_ladder.average {
                Average::Volume => "volume".into(),
                Average::Simple => "simple".into(),
                Average::Periods(n) => format!("volume over the latest {n} origins"),
            },
            excluded: chain_ladder
                .excluded
                .iter()
                .map(|&(i, lag)| ExcludedLink {
                    origin: origins[i].clone(),
                    lag,
                })
                .collect(),
            tail: estimate.chain_ladder.tail,
            loss_ratio: estimate.loss_ratio,
            iterations: match self.method {
                Method::Benktander { iterations, .. } => Some(iterations),
                _ => None,
            },
            factors: estimate.chain_ladder.factors.clone(),
            to_ultimate,
            notes: self.notes(known.is_some()),
            // A triangle built from claims rises by construction; one read from a file may
            // not be what it says.
            warnings: empty_origins_warning(&rows)
                .into_iter()
                .chain(match known {
                    Some(_) => None,
                    None => falling_warning(triangle, &rows),
                })
                .collect(),
            origins: rows,
            total,
            triangle: TriangleTables::of(triangle),
        })
    }

    /// The chain ladder with the excluded links placed in `triangle`.
    fn chain_ladder_for(&self, triangle: &Triangle) -> Result<ChainLadder, ReserveError> {
        let mut chain_ladder = self.chain_ladder.clone();
        for link in &self.excluded {
            let unknown = || ReserveError::UnknownOrigin {
                origin: link.origin.clone(),
                lag: link.lag,
            };
            let i = (triangle.origins().iter())
                .position(|o| *o == link.origin)
                .ok_or_else(unknown)?;
            if triangle.value(i, link.lag + 1).is_none() {
                return Err(ReserveError::NoSuchLink {
                    origin: link.origin.clone(),
                    lag: link.lag,
                });
            }
            chain_ladder.excluded.push((i, link.lag));
        }
        Ok(chain_ladder)
    }

    /// The exposure in the triangle's origin order.
    fn exposure_by_origin(&self, origins: &[String]) -> Result<Option<Vec<f64>>, ReserveError> {
        let Some(exposure) = &self.exposure else {
            return match self.method.needs_exposure() {
                true => Err(ReserveError::NoExposure {
                    method: self.method.name(),
                }),
                false => Ok(None),
            };
        };
        origins
            .iter()
            .map(|origin| {
                exposure
                    .get(origin)
                    .copied()
                    .ok_or_else(|| ReserveError::MissingExposure {
                        origin: origin.clone(),
                    })
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    fn estimate(
        &self,
        chain_ladder: &ChainLadder,
        triangle: &Triangle,
        exposure: Option<&[f64]>,
    ) -> Result<Estimate, ReserveError> {
        let exposure = exposure.unwrap_or(&[]);
        let expected = |apriori, iterations| ExpectedLoss {
            chain_ladder: chain_ladder.clone(),
            apriori,
            iterations,
        };
        let (fit, loss_ratio, ultimates, standard_errors) = match self.method {
            Method::ChainLadder => {
                let fit = chain_ladder.fit(triangle)?;
                let ultimates = fit.ultimates.clone();
                (fit, None, ultimates, None)
            }
            Method::Mack(sigma) => {
                let mack = Mack {
                    chain_ladder: chain_ladder.clone(),
                    sigma,
                }
                .fit(triangle)?;
                let ultimates = mack.chain_ladder.ultimates.clone();
                let errors = (mack.standard_errors, mack.total_standard_error);
                (mack.chain_ladder, None, ultimates, Some(errors))
            }
            Method::BornhuetterFerguson { loss_ratio } => {
                let fit = expected(Apriori::LossRatio(loss_ratio), 1).fit(triangle, exposure)?;
                (fit.chain_ladder, Some(fit.loss_ratio), fit.ultimates, None)
            }
            Method::Benktander {
                loss_ratio,
                iterations,
            } => {
                let fit =
                    expected(Apriori::LossRatio(loss_ratio), iterations).fit(triangle, exposure)?;
                (fit.chain_ladder, Some(fit.loss_ratio), fit.ultimates, None)
            }
            Method::CapeCod => {
                let fit = expected(Apriori::CapeCod, 1).fit(triangle, exposure)?;
                (fit.chain_ladder, Some(fit.loss_ratio), fit.ultimates, None)
            }
        };
        Ok(Estimate {
            chain_ladder: fit,
            ultimates,
            loss_ratio,
            standard_errors,
        })
    }

    /// IBNR out of the reserve: all of it on a reported triangle; on a paid triangle, what is
    /// left once the claims reported but not paid are taken out (unknown without the claims).
    fn ibnr(&self, reserve: f64, rbnp: Option<f64>) -> Option<f64> {
        match self.development {
            Development::Reported => Some(reserve),
            Development::Paid => rbnp.map(|rbnp| reserve - rbnp),
        }
    }

    fn notes(&self, claims_known: bool) -> Vec<Sentence> {
        let (id, what) = match (self.development, claims_known) {
            (Development::Reported, true) => (
                "reserve-reported-with-claims",
                "Development by reported date: the reserve is the IBNR; the claims reported but not paid (RBNP) come from the claims themselves, and the total still to pay is IBNR + RBNP.",
            ),
            (Development::Reported, false) => (
                "reserve-reported",
                "Development by reported date: the reserve is the IBNR.",
            ),
            (Development::Paid, true) => (
                "reserve-paid-with-claims",
                "Development by paid date: the reserve is everything still to pay; RBNP comes from the claims themselves, and IBNR is the reserve less RBNP.",
            ),
            (Development::Paid, false) => (
                "reserve-paid",
                "Development by paid date: the reserve is everything still to pay, IBNR and RBNP together; a triangle alone cannot tell them apart.",
            ),
        };
        let (errors_id, errors) = match self.method {
            Method::Mack(SigmaRule::Mack) => (
                "mack-sigma-mack",
                "Standard errors: Mack (1993), with the last development's sigma filled by Mack's rule, min(σ⁴ₙ₋₁/σ²ₙ₋₂, σ²ₙ₋₂, σ²ₙ₋₁).",
            ),
            Method::Mack(SigmaRule::LogLinear) => (
                "mack-sigma-log-linear",
                "Standard errors: Mack (1993), with the last development's sigma filled by log-linear extrapolation of the estimated sigmas.",
            ),
            _ => (
                "standard-errors-mack-only",
                "Standard errors: given by the mack method only.",
            ),
        };
        vec![
            Sentence::new(Words::new(id, []), what),
            Sentence::new(Words::new(errors_id, []), errors),
        ]
    }
}

impl Reserve {
    /// Whether the values are counts of claims (`--measure count`), not money.
    pub fn counts_claims(&self) -> bool {
        self.measure == Some(Measure::Count.name())
    }

    /// What the scheme still owes in all, IBNR + RBNP, where both are known.
    pub fn still_owed(&self) -> Option<f64> {
        Some(self.total.ibnr? + self.total.rbnp?)
    }
}

/// The latest origins with nothing known at all: the valuation date is most likely after the
/// data's end (an extract taken earlier, a database not yet fed), and their reserve of 0 says
/// nothing.
fn empty_origins_warning(rows: &[OriginReserve]) -> Option<Sentence> {
    let empty: Vec<&str> = rows
        .iter()
        .rev()
        .take_while(|row| row.latest == 0.0)
        .map(|row| row.origin.as_str())
        .collect();
    let (last, first) = (empty.first()?, empty.last()?);
    if empty.len() == rows.len() {
        return None;
    }
    let (words, origins, its) = match empty.len() {
        1 => (
            Words::new("empty-origin", [("origin", Figure::text(*last))]),
            format!("Origin {last} has"),
            "its",
        ),
        n => (
            Words::new(
                "empty-origins",
                [
                    ("count", Figure::Count(n as i64)),
                    ("first", Figure::text(*first)),
                    ("last", Figure::text(*last)),
                ],
            ),
            format!("The last {n} origins, {first} to {last}, have"),
            "their",
        ),
    };
    Some(Sentence::new(
        words,
        format!(
            "{origins} nothing reported: if the data end before the valuation date, value the reserve at the data's end (--valuation); {its} reserve of 0 is not an estimate."
        ),
    ))
}

/// A cumulative triangle only rises, unless claims are recovered: one that falls in many cells,
/// or gives an origin a negative reserve, is most likely each period's own values read as
/// cumulative.
fn falling_warning(triangle: &Triangle, rows: &[OriginReserve]) -> Option<Sentence> {
    let (mut steps, mut falls) = (0, 0);
    for i in 0..triangle.origins().len() {
        for pair in triangle.row(i).windows(2) {
            steps += 1;
            if pair[1] < pair[0] {
                falls += 1;
            }
        }
    }
    let negative: Vec<&str> = rows
        .iter()
        .filter(|row| row.reserve < 0.0)
        .map(|row| row.origin.as_str())
        .collect();
    // A reserve below zero with nothing falling is the factors' doing (a tail below 1).
    if falls == 0 || (negative.is_empty() && 3 * falls <= steps) {
        return None;
    }
    let mut warning = format!(
        "The cumulative values fall in {falls} of the triangle's {steps} development steps"
    );
    let mut figures = vec![
        ("falls", Figure::Count(falls)),
        ("steps", Figure::Count(steps)),
    ];
    let id = match negative.is_empty() {
        true => "falling",
        false => {
            let origins = negative.join(", ");
            warning += &format!(", and the reserve of origin(s) {origins} is negative");
            figures.push(("origins", Figure::Text(origins)));
            "falling-negative"
        }
    };
    warning += ": a cumulative triangle only rises unless claims are recovered. If the values are each period's own, read the triangle as incremental.";
    Some(Sentence::new(Words::new(id, figures), warning))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::triangle::small;

    fn study(method: Method, development: Development) -> ReserveStudy {
        ReserveStudy {
            method,
            chain_ladder: ChainLadder::default(),
            excluded: vec![],
            development,
            exposure: None,
        }
    }

    fn english(sentences: &[Sentence]) -> Vec<&str> {
        sentences.iter().map(|s| s.text.as_str()).collect()
    }

    /// The small triangle's own values per period, read as if cumulative: it falls, and an
    /// origin's reserve comes out negative; the warning says both and what to do.
    #[test]
    fn an_incremental_triangle_read_as_cumulative_is_warned_of() {
        let right = study(Method::ChainLadder, Development::Reported)
            .fit(&small(), None)
            .unwrap();
        assert!(right.warnings.is_empty());
        let incremental = Triangle::new(
            vec!["2023".into(), "2024".into(), "2025".into()],
            vec![vec![100.0, 100.0, 40.0], vec![200.0, 100.0], vec![50.0]],
        )
        .unwrap();
        let wrong = study(Method::ChainLadder, Development::Reported)
            .fit(&incremental, None)
            .unwrap();
        assert!(wrong.total.reserve < 0.0);
        assert_eq!(
            english(&wrong.warnings),
            [
                "The cumulative values fall in 2 of the triangle's 3 development steps, and the reserve of origin(s) 2024, 2025 is negative: a cumulative triangle only rises unless claims are recovered. If the values are each period's own, read the triangle as incremental."
            ]
        );
        // The same warning in words another language can say.
        assert_eq!(
            wrong.warnings[0].words,
            Words::new(
                "falling-negative",
                [
                    ("falls", Figure::Count(2)),
                    ("steps", Figure::Count(3)),
                    ("origins", Figure::text("2024, 2025")),
                ],
            )
        );
    }

    /// Origins after the data's end have nothing known: the reserve says so rather than give
    /// them an IBNR of 0 as if it were estimated.
    #[test]
    fn origins_after_the_data_are_warned_of() {
        let late = Triangle::new(
            vec!["2023".into(), "2024".into(), "2025".into()],
            vec![vec![100.0, 200.0, 240.0], vec![0.0, 0.0], vec![0.0]],
        )
        .unwrap();
        let fit = study(Method::ChainLadder, Development::Reported)
            .fit(&late, None)
            .unwrap();
        assert_eq!(
            english(&fit.warnings),
            [
                "The last 2 origins, 2024 to 2025, have nothing reported: if the data end before the valuation date, value the reserve at the data's end (--valuation); their reserve of 0 is not an estimate."
            ]
        );
        assert_eq!(
            fit.warnings[0].words,
            Words::new(
                "empty-origins",
                [
                    ("count", Figure::Count(2)),
                    ("first", Figure::text("2024")),
                    ("last", Figure::text("2025")),
                ],
            )
        );
        let fit = study(Method::ChainLadder, Development::Reported)
            .fit(&small(), Some(&known()))
            .unwrap();
        assert!(fit.warnings.is_empty());
    }

    /// A negative reserve from a tail below 1, with nothing falling, is the factors' doing, and
    /// a triangle built from claims is cumulative by construction: neither is warned of.
    #[test]
    fn a_reserve_below_zero_from_the_tail_alone_is_not_blamed_on_the_triangle() {
        let mut shrinking = study(Method::ChainLadder, Development::Reported);
        shrinking.chain_ladder.tail = 0.5;
        let fit = shrinking.fit(&small(), None).unwrap();
        assert!(fit.total.reserve < 0.0);
        assert!(fit.warnings.is_empty());
        let from_claims = study(Method::ChainLadder, Development::Reported)
            .fit(&small(), Some(&known()))
            .unwrap();
        assert!(from_claims.warnings.is_empty());
    }

    fn known() -> Known {
        Known {
            reported: vec![240.0, 300.0, 50.0],
            paid: vec![240.0, 250.0, 10.0],
        }
    }

    #[test]
    fn on_a_reported_triangle_the_reserve_is_the_ibnr_and_rbnp_comes_from_the_claims() {
        let reserve = study(Method::ChainLadder, Development::Reported)
            .fit(&small(), Some(&known()))
            .unwrap();
        let f0 = 500.0 / 300.0;
        assert_eq!(reserve.factors, vec![f0, 1.2]);
        assert_eq!(reserve.to_ultimate, vec![f0 * 1.2, 1.2, 1.0]);
        let youngest = &reserve.origins[2];
        assert_eq!(youngest.to_ultimate, Some(f0 * 1.2));
        assert!((youngest.ultimate - 50.0 * f0 * 1.2).abs() < 1e-9);
        assert_eq!(youngest.ibnr, Some(youngest.reserve));
        assert_eq!(youngest.rbnp, Some(40.0));
        assert_eq!(reserve.origins[0].reserve, 0.0);
        assert_eq!(reserve.total.rbnp, Some(90.0));
        let ibnr: f64 = reserve.origins.iter().map(|o| o.ibnr.unwrap()).sum();
        assert_eq!(reserve.total.ibnr, Some(ibnr));
        assert_eq!(reserve.total.standard_error, None);
        assert_eq!(reserve.triangle.incremental[0], vec![100.0, 100.0, 40.0]);
        assert_eq!(reserve.triangle.link_ratios[1], vec![Some(1.5)]);
    }

    #[test]
    fn on_a_paid_triangle_the_ibnr_is_what_is_left_once_the_known_unpaid_claims_are_out() {
        let paid = study(Method::ChainLadder, Development::Paid);
        let with_claims = paid.fit(&small(), Some(&known())).unwrap();
        let youngest = &with_claims.origins[2];
        assert_eq!(youngest.ibnr, Some(youngest.reserve - 40.0));
        // A triangle alone cannot split the reserve, and the notes say so.
        let alone = paid.fit(&small(), None).unwrap();
        assert_eq!(alone.origins[2].ibnr, None);
        assert_eq!(alone.total.rbnp, None);
        assert!(alone.notes[0].text.contains("cannot tell them apart"));
    }

    #[test]
    fn mack_states_its_sigma_convention_and_gives_standard_errors() {
        let triangle = Triangle::new(
            (0..4).map(|i| format!("{}", 2020 + i)).collect(),
            vec![
                vec![100.0, 180.0, 200.0, 205.0],
                vec![120.0, 200.0, 230.0],
                vec![90.0, 170.0],
                vec![110.0],
            ],
        )
        .unwrap();
        let reserve = study(Method::Mack(SigmaRule::LogLinear), Development::Reported)
            .fit(&triangle, None)
            .unwrap();
        assert_eq!(reserve.sigma_rule, Some("log-linear"));
        assert!(reserve.notes[1].text.contains("log-linear"));
        assert!(reserve.total.standard_error.unwrap() > 0.0);
        assert_eq!(reserve.origins[0].standard_error, Some(0.0));
    }

    #[test]
    fn the_expected_loss_methods_need_an_exposure_and_report_their_loss_ratio() {
        let bf = study(
            Method::BornhuetterFerguson { loss_ratio: 0.5 },
            Development::Reported,
        );
        assert_eq!(
            bf.fit(&small(), None).unwrap_err(),
            ReserveError::NoExposure { method: "bf" }
        );
        let mut exposure: BTreeMap<String, f64> = [("2023", 400.0), ("2024", 500.0)]
            .map(|(origin, value)| (origin.to_string(), value))
            .into();
        let missing = ReserveStudy {
            exposure: Some(exposure.clone()),
            ..bf.clone()
        };
        assert_eq!(
            missing.fit(&small(), None).unwrap_err().to_string(),
            "the exposure has no value for origin 2025"
        );
        // An origin the triangle lacks is left aside.
        exposure.extend([("2025".to_string(), 600.0), ("2026".to_string(), 1.0)]);
        let with_exposure = ReserveStudy {
            exposure: Some(exposure),
            ..bf
        };
        let reserve = with_exposure.fit(&small(), None).unwrap();
        assert_eq!(reserve.loss_ratio, Some(0.5));
        assert_eq!(reserve.origins[2].exposure, Some(600.0));
        assert_eq!(reserve.total.exposure, Some(1500.0));
        // 50 + (1 - 1/CDF) × 0.5 × 600.
        let cdf = 500.0 / 300.0 * 1.2;
        assert!((reserve.origins[2].ultimate - (50.0 + (1.0 - 1.0 / cdf) * 300.0)).abs() < 1e-9);
    }

    #[test]
    fn links_are_excluded_by_origin_label_and_a_link_that_is_not_there_is_named() {
        let link = |origin: &str, lag| ExcludedLink {
            origin: origin.into(),
            lag,
        };
        let excluding = |links| ReserveStudy {
            excluded: links,
            ..study(Method::ChainLadder, Development::Reported)
        };
        let reserve = excluding(vec![link("2024", 0)])
            .fit(&small(), None)
            .unwrap();
        assert_eq!(reserve.factors, vec![2.0, 1.2]);
        assert_eq!(reserve.excluded, vec![link("2024", 0)]);
        let error = excluding(vec![link("2019", 0)]).fit(&small(), None);
        assert_eq!(
            error.unwrap_err().to_string(),
            "excluded link 2019:0: the triangle has no origin 2019"
        );
        let error = excluding(vec![link("2025", 0)]).fit(&small(), None);
        assert_eq!(
            error.unwrap_err().to_string(),
            "excluded link 2025:0: origin 2025 has no link from development 0"
        );
    }

    #[test]
    fn known_amounts_for_the_wrong_number_of_origins_are_refused() {
        let short = Known {
            reported: vec![1.0],
            paid: vec![1.0],
        };
        assert_eq!(
            study(Method::ChainLadder, Development::Reported)
                .fit(&small(), Some(&short))
                .unwrap_err(),
            ReserveError::KnownLength {
                given: 1,
                origins: 3
            }
        );
    }
}
