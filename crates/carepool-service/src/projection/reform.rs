//! A reform priced on the scheme's claims carried into the projection (`carepool project
//! --reform`): each line's incidence and average cost multiplied by the factors of `carepool
//! reform`, after any credibility blend (the proposal changes the package priced, whatever the
//! experience it rests on). docs/PROJECTION.md, "A reform priced on the scheme's own claims".

use super::{LineEntry, ProjectionFile};
use carepool_actuarial::reform::new_benefit;
use carepool_core::registry::FieldError;
use chrono::NaiveDate;
use serde_json::Value;
use std::collections::BTreeMap;

/// What a reform gave the projection.
#[derive(Debug, Clone, PartialEq)]
pub struct ReformTaken {
    /// The reform's file.
    pub name: String,
    /// The proposal's file, when the reform names it.
    pub proposal: Option<String>,
    pub scheme: String,
    /// The currency of the scheme's amounts.
    pub currency: Option<String>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// By line: the incidence factor and the average cost factor.
    pub factors: BTreeMap<String, (f64, f64)>,
}

impl ReformTaken {
    /// A reform's JSON (`carepool reform --out FILE.json`) read: every line with claims under
    /// either the rules or the proposal must have both factors.
    pub fn read(reform: &Value, name: &str) -> Result<ReformTaken, FieldError> {
        let refuse = |message: String| FieldError::new("reform", format!("{name}: {message}"));
        let text = |field: &str| {
            reform[field]
                .as_str()
                .ok_or_else(|| refuse(format!("no {field}: is it the JSON of carepool reform?")))
        };
        let date = |field: &str| {
            text(field)?
                .parse::<NaiveDate>()
                .map_err(|_| refuse(format!("{field} is not a date")))
        };
        let lines = reform["lines"]
            .as_array()
            .ok_or_else(|| refuse("no lines: is it the JSON of carepool reform?".into()))?;
        let mut factors = BTreeMap::new();
        for (i, line) in lines.iter().enumerate() {
            let at = |field: &str| format!("lines[{i}].{field}");
            let name = line["line"]
                .as_str()
                .ok_or_else(|| refuse(format!("{} is not text", at("line"))))?;
            let paid_on = |side: &str| {
                line[side]["paid_on"].as_u64().ok_or_else(|| {
                    refuse(format!(
                        "{}: not a count of claims: is it the JSON of carepool reform?",
                        at(&format!("{side}.paid_on"))
                    ))
                })
            };
            let (rules, proposal) = (paid_on("rules")?, paid_on("proposal")?);
            if rules == 0 && proposal == 0 {
                continue;
            }
            let factor = |field: &str| -> Result<Option<f64>, FieldError> {
                match &line[field] {
                    Value::Null => Ok(None),
                    value => value
                        .as_f64()
                        .filter(|f| f.is_finite() && *f >= 0.0)
                        .map(Some)
                        .ok_or_else(|| {
                            refuse(format!(
                                "{}: {value} is not a factor of 0 or more",
                                at(field)
                            ))
                        }),
                }
            };
            match (factor("incidence_factor")?, factor("average_cost_factor")?) {
                (Some(incidence), Some(cost)) => {
                    factors.insert(name.to_string(), (incidence, cost));
                }
                _ => {
                    return Err(refuse(format!(
                        "line {name}: {}",
                        new_benefit(rules, proposal)
                    )));
                }
            }
        }
        Ok(ReformTaken {
            name: name.to_string(),
            proposal: reform["proposal"].as_str().map(str::to_string),
            scheme: text("scheme")?.to_string(),
            currency: reform["currency"].as_str().map(str::to_string),
            from: date("from")?,
            to: date("to")?,
            factors,
        })
    }
}

impl ReformTaken {
    /// How many lines its factors change.
    pub fn lines_changed(&self) -> usize {
        (self.factors.values())
            .filter(|factors| **factors != (1.0, 1.0))
            .count()
    }
}

impl ProjectionFile {
    /// Takes a reform's factors: its amounts are the projection's currency when the file gives
    /// none, and must be in the file's when it gives one.
    pub fn take_reform(&mut self, reform: ReformTaken) -> Result<(), FieldError> {
        match (&self.currency, &reform.currency) {
            (Some(ours), Some(theirs)) if ours != theirs => {
                return Err(FieldError::new(
                    "reform",
                    format!(
                        "{}: the reform's amounts are in {theirs}, the assumptions' in {ours}",
                        reform.name
                    ),
                ));
            }
            (None, Some(theirs)) => self.currency = Some(theirs.clone()),
            _ => {}
        }
        self.reform = Some(reform);
        Ok(())
    }

    /// The lines with the reform's factors: every line it changes must be in the base table.
    pub(super) fn reformed(&self, lines: Vec<LineEntry>) -> Result<Vec<LineEntry>, FieldError> {
        let Some(reform) = &self.reform else {
            return Ok(lines);
        };
        if let Some(unknown) = (reform.factors.iter())
            .filter(|(_, factors)| **factors != (1.0, 1.0))
            .map(|(name, _)| name)
            .find(|name| !lines.iter().any(|line| &line.name == *name))
        {
            return Err(FieldError::new(
                "reform",
                format!(
                    "{}: no line {unknown} in the base table (the reform prices the lines of the claims it judged: take the base table from the same scheme's experience)",
                    reform.name
                ),
            ));
        }
        Ok(lines
            .into_iter()
            .map(|line| match reform.factors.get(&line.name) {
                None => line,
                Some((incidence, cost)) => LineEntry {
                    incidence_per_1000: line.incidence_per_1000 * incidence,
                    average_cost: line.average_cost * cost,
                    ..line
                },
            })
            .collect())
    }
}
