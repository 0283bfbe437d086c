//! A small scheme's own base table blended, line by line, with a reference table by
//! limited-fluctuation credibility (`[credibility]` in the assumptions file). The formula is the
//! actuarial crate's ([`LimitedFluctuation`]); docs/PROJECTION.md, "Credibility".

use super::{LineEntry, ProjectionFile};
use carepool_actuarial::credibility::{BlendedLine, LimitedFluctuation, OwnLine, ReferenceLine};
use carepool_core::registry::FieldError;
use serde::{Deserialize, Serialize};

/// The method; the one there is, named so that a file says which it used.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CredibilityMethod {
    #[default]
    LimitedFluctuation,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CredibilityEntry {
    #[serde(default)]
    pub method: CredibilityMethod,
    /// The reference table's file beside the assumptions (read by the command line): a CSV of
    /// lines or an experience study's JSON; or its `reference_lines` inline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default)]
    pub reference_lines: Vec<LineEntry>,
    /// The chance the rate is within the tolerance [default: 0.90].
    #[serde(default = "ninety_percent")]
    pub probability: f64,
    /// The tolerance, a share of the true rate [default: 0.05].
    #[serde(default = "five_percent")]
    pub tolerance: f64,
    /// The coefficient of variation of the cost per claim.
    pub cost_cv: f64,
}

fn ninety_percent() -> f64 {
    0.90
}

fn five_percent() -> f64 {
    0.05
}

impl CredibilityEntry {
    pub fn standard(&self) -> LimitedFluctuation {
        LimitedFluctuation {
            probability: self.probability,
            tolerance: self.tolerance,
            cost_cv: self.cost_cv,
        }
    }
}

impl ProjectionFile {
    /// The base table blended with the reference, line by line; none without `[credibility]`.
    pub fn blended_lines(&self) -> Result<Option<Vec<BlendedLine>>, FieldError> {
        let Some(credibility) = &self.credibility else {
            return Ok(None);
        };
        if credibility.reference_lines.is_empty() {
            return Err(FieldError::new(
                "credibility.reference_lines",
                "the reference table has no line: give its lines (reference_lines, or a file beside the assumptions: reference)",
            ));
        }
        let own = self
            .base
            .lines
            .iter()
            .map(|line| {
                let claims = line.claims.ok_or_else(|| {
                    FieldError::new(
                        "base.lines",
                        format!(
                            "{}: credibility weighs a line by its claims: give claims",
                            line.name
                        ),
                    )
                })?;
                Ok(OwnLine {
                    name: line.name.clone(),
                    incidence: line.incidence_per_1000 / 1000.0,
                    average_cost: line.average_cost,
                    claims,
                })
            })
            .collect::<Result<Vec<_>, FieldError>>()?;
        let reference: Vec<ReferenceLine> = (credibility.reference_lines.iter())
            .map(|line| ReferenceLine {
                name: line.name.clone(),
                incidence: line.incidence_per_1000 / 1000.0,
                average_cost: line.average_cost,
            })
            .collect();
        credibility
            .standard()
            .blend(&own, &reference)
            .map(Some)
            .map_err(|error| FieldError::new("credibility", error.to_string()))
    }
}
