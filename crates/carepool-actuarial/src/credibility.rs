//! Limited-fluctuation credibility: a small scheme's own experience blended, line by line, with
//! a reference table (another scheme's, or a region's). A line's own rate gets the weight
//! Z = min(1, √(n / n_full)), n its claims and n_full the claims under which the rate would
//! stray from its true value by more than the tolerance with more than the stated chance:
//!
//! - incidence (Poisson claim counts): n_full = (z / k)², z the normal quantile of (1 + p) / 2;
//! - average cost: n_full = (z / k)² × CV², CV the cost per claim's coefficient of variation.
//!
//! The blend is Z × own + (1 − Z) × reference. docs/PROJECTION.md, "Credibility".

use crate::indicators::warning::normal_quantile;
use serde::Serialize;

/// The standard of full credibility.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LimitedFluctuation {
    /// The chance the rate is within the tolerance (0.90).
    pub probability: f64,
    /// The tolerance, as a share of the true rate (0.05).
    pub tolerance: f64,
    /// The coefficient of variation of the cost per claim (its standard deviation over its mean).
    pub cost_cv: f64,
}

/// A line of the scheme's own experience: rates, and the claims they rest on.
#[derive(Debug, Clone, PartialEq)]
pub struct OwnLine {
    pub name: String,
    pub incidence: f64,
    pub average_cost: f64,
    pub claims: f64,
}

/// A line of the reference table.
#[derive(Debug, Clone, PartialEq)]
pub struct ReferenceLine {
    pub name: String,
    pub incidence: f64,
    pub average_cost: f64,
}

/// A line blended, with its weights and both sides.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BlendedLine {
    pub name: String,
    pub claims: f64,
    pub incidence_weight: f64,
    pub own_incidence: f64,
    pub reference_incidence: f64,
    pub incidence: f64,
    pub cost_weight: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub own_average_cost: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub reference_average_cost: f64,
    #[serde(serialize_with = "crate::amount_json::amount")]
    pub average_cost: f64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CredibilityError {
    #[error("{what}: {value} is out of range ({range})")]
    OutOfRange {
        what: &'static str,
        value: f64,
        range: &'static str,
    },
    #[error(
        "line {0}: the reference table has no such line: it must give every line of the scheme's"
    )]
    NoReference(String),
    #[error("line {line}: {claims} claims is not a count")]
    Claims { line: String, claims: f64 },
    #[error("{table}: line {line}: incidence and average cost must be 0 or more")]
    Rate { table: &'static str, line: String },
    #[error("{table}: line {line} is given twice")]
    Twice { table: &'static str, line: String },
}

/// Every line once, with rates of 0 or more, in `table`.
fn check_lines<'a>(
    table: &'static str,
    lines: impl Iterator<Item = (&'a str, f64, f64)>,
) -> Result<(), CredibilityError> {
    let mut seen = std::collections::HashSet::new();
    for (name, incidence, cost) in lines {
        if !seen.insert(name) {
            return Err(CredibilityError::Twice {
                table,
                line: name.to_string(),
            });
        }
        if !(incidence >= 0.0 && cost >= 0.0 && incidence.is_finite() && cost.is_finite()) {
            return Err(CredibilityError::Rate {
                table,
                line: name.to_string(),
            });
        }
    }
    Ok(())
}

impl LimitedFluctuation {
    fn check(&self) -> Result<(), CredibilityError> {
        let out = |what, value, range| CredibilityError::OutOfRange { what, value, range };
        if !(self.probability > 0.0 && self.probability < 1.0) {
            return Err(out("probability", self.probability, "above 0, below 1"));
        }
        if !(self.tolerance > 0.0 && self.tolerance < 1.0) {
            return Err(out("tolerance", self.tolerance, "above 0, below 1"));
        }
        if !(self.cost_cv > 0.0 && self.cost_cv <= 100.0) {
            return Err(out("cost_cv", self.cost_cv, "above 0, at most 100"));
        }
        Ok(())
    }

    /// The claims that give an incidence full credibility.
    pub fn full_incidence_claims(&self) -> f64 {
        let z = normal_quantile((1.0 + self.probability) / 2.0);
        (z / self.tolerance).powi(2)
    }

    /// The claims that give an average cost full credibility.
    pub fn full_cost_claims(&self) -> f64 {
        self.full_incidence_claims() * self.cost_cv.powi(2)
    }

    /// Each of the scheme's lines blended with the reference's; a line the reference has and
    /// the scheme never claimed on is the reference's (its weight 0).
    pub fn blend(
        &self,
        own: &[OwnLine],
        reference: &[ReferenceLine],
    ) -> Result<Vec<BlendedLine>, CredibilityError> {
        self.check()?;
        check_lines(
            "the base table",
            own.iter()
                .map(|l| (l.name.as_str(), l.incidence, l.average_cost)),
        )?;
        check_lines(
            "the reference table",
            reference
                .iter()
                .map(|l| (l.name.as_str(), l.incidence, l.average_cost)),
        )?;
        let weight = |claims: f64, full: f64| (claims / full).sqrt().min(1.0);
        let (full_incidence, full_cost) = (self.full_incidence_claims(), self.full_cost_claims());
        let mut blended = Vec::with_capacity(own.len());
        for line in own {
            if !(line.claims >= 0.0 && line.claims.is_finite()) {
                return Err(CredibilityError::Claims {
                    line: line.name.clone(),
                    claims: line.claims,
                });
            }
            let Some(reference) = reference.iter().find(|r| r.name == line.name) else {
                return Err(CredibilityError::NoReference(line.name.clone()));
            };
            let incidence_weight = weight(line.claims, full_incidence);
            let cost_weight = weight(line.claims, full_cost);
            blended.push(BlendedLine {
                name: line.name.clone(),
                claims: line.claims,
                incidence_weight,
                own_incidence: line.incidence,
                reference_incidence: reference.incidence,
                incidence: incidence_weight * line.incidence
                    + (1.0 - incidence_weight) * reference.incidence,
                cost_weight,
                own_average_cost: line.average_cost,
                reference_average_cost: reference.average_cost,
                average_cost: cost_weight * line.average_cost
                    + (1.0 - cost_weight) * reference.average_cost,
            });
        }
        for reference in reference {
            if !own.iter().any(|line| line.name == reference.name) {
                blended.push(BlendedLine {
                    name: reference.name.clone(),
                    claims: 0.0,
                    incidence_weight: 0.0,
                    own_incidence: 0.0,
                    reference_incidence: reference.incidence,
                    incidence: reference.incidence,
                    cost_weight: 0.0,
                    own_average_cost: 0.0,
                    reference_average_cost: reference.average_cost,
                    average_cost: reference.average_cost,
                });
            }
        }
        Ok(blended)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::close;

    fn standard() -> LimitedFluctuation {
        LimitedFluctuation {
            probability: 0.90,
            tolerance: 0.05,
            cost_cv: 1.5,
        }
    }

    #[test]
    fn the_classic_standard_is_1082_claims() {
        // z = 1.644854 for 90%: (1.644854 / 0.05)² = 1,082.2 (the quantile to its
        // approximation's 1.2e-9).
        let exact = (1.6448536269514722f64 / 0.05).powi(2);
        assert!((standard().full_incidence_claims() / exact - 1.0).abs() < 3e-9);
        assert_eq!(
            format!("{:.1}", standard().full_incidence_claims()),
            "1082.2"
        );
        close(
            standard().full_cost_claims(),
            standard().full_incidence_claims() * 2.25,
        );
    }

    /// 270.55 claims of surgery (a quarter of the standard): incidence weight √0.25 = 0.5; the
    /// cost's standard is 2.25 times larger: weight √(0.25 / 2.25) = 1/3.
    #[test]
    fn a_line_is_weighed_by_the_square_root_of_its_share_of_the_standard() {
        let full = standard().full_incidence_claims();
        let own = [OwnLine {
            name: "surgery".into(),
            incidence: 0.004,
            average_cost: 900.0,
            claims: full / 4.0,
        }];
        let reference = [
            ReferenceLine {
                name: "surgery".into(),
                incidence: 0.002,
                average_cost: 1200.0,
            },
            ReferenceLine {
                name: "cardiology".into(),
                incidence: 0.001,
                average_cost: 50_000.0,
            },
        ];
        let blended = standard().blend(&own, &reference).unwrap();
        let surgery = &blended[0];
        close(surgery.incidence_weight, 0.5);
        close(surgery.incidence, 0.5 * 0.004 + 0.5 * 0.002);
        close(surgery.cost_weight, 1.0 / 3.0);
        close(surgery.average_cost, 900.0 / 3.0 + 1200.0 * 2.0 / 3.0);
        // A line the scheme never claimed on takes the reference's.
        let cardiology = &blended[1];
        assert_eq!(
            (cardiology.incidence_weight, cardiology.incidence),
            (0.0, 0.001)
        );
        assert_eq!(cardiology.average_cost, 50_000.0);
        // Past the incidence's standard, the scheme's own alone; not yet past the cost's.
        let large = [OwnLine {
            claims: 2000.0,
            ..own[0].clone()
        }];
        let blended = standard().blend(&large, &reference).unwrap();
        assert_eq!(blended[0].incidence_weight, 1.0);
        close(blended[0].cost_weight, (2000.0 / (full * 2.25)).sqrt());
    }

    #[test]
    fn a_line_without_a_reference_or_a_standard_out_of_range_is_named() {
        let own = [OwnLine {
            name: "dialysis".into(),
            incidence: 0.001,
            average_cost: 100.0,
            claims: 3.0,
        }];
        assert_eq!(
            standard().blend(&own, &[]).unwrap_err().to_string(),
            "line dialysis: the reference table has no such line: it must give every line of the scheme's"
        );
        let twice = [own[0].clone(), own[0].clone()];
        assert_eq!(
            standard().blend(&twice, &[]).unwrap_err().to_string(),
            "the base table: line dialysis is given twice"
        );
        let negative = [ReferenceLine {
            name: "dialysis".into(),
            incidence: -0.001,
            average_cost: 100.0,
        }];
        assert_eq!(
            standard().blend(&own, &negative).unwrap_err().to_string(),
            "the reference table: line dialysis: incidence and average cost must be 0 or more"
        );
        let wrong = LimitedFluctuation {
            tolerance: 0.0,
            ..standard()
        };
        assert_eq!(
            wrong.blend(&own, &[]).unwrap_err().to_string(),
            "tolerance: 0 is out of range (above 0, below 1)"
        );
    }
}
