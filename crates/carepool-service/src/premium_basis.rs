//! The premium bases: the projection assumptions each premium of a scheme was set on, kept
//! from the projection's first day, for the early warning to watch the experience against
//! (docs/INDICATORS.md). History is never rewritten: a changed basis is registered from a
//! later day.

use crate::audit::Change;
use crate::projection::{ProjectionFile, ProjectionRunError};
use crate::{Registry, ServiceError};
use carepool_actuarial::indicators::Expected;
use carepool_actuarial::projection::ProjectedYear;
use carepool_core::monitoring::Period;
use carepool_core::registry::FieldError;
use carepool_schema::Record;
use carepool_schema::scheme_tables::{PREMIUM_BASES, PremiumBasisRow, premium_bases};
use carepool_store::{ListQuery, Write};
use chrono::NaiveDate;
use serde::Serialize;

/// A premium basis as registered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PremiumBasis {
    pub scheme: String,
    /// The projection's first day.
    pub effective_from: NaiveDate,
    pub registered_by: String,
    pub registered_on: NaiveDate,
    pub assumptions: ProjectionFile,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BasisOutcome {
    /// Stored as a new basis.
    Added,
    /// The same assumptions were registered for that day already.
    Unchanged,
}

fn invalid(field: &'static str, message: impl Into<String>) -> ServiceError {
    ServiceError::field(FieldError::new(field, message))
}

impl Registry {
    /// Registers `assumptions` as the basis of `scheme`'s premium from the projection's first
    /// day, once they project; recorded in the trail.
    pub async fn register_premium_basis(
        &self,
        scheme: &str,
        assumptions: ProjectionFile,
    ) -> Result<BasisOutcome, ServiceError> {
        let code = scheme.to_string();
        self.check_scheme_loaded(Some(&code)).await?;
        if assumptions.base.table.is_some() || assumptions.base.lines.is_empty() {
            return Err(invalid(
                "base.lines",
                "give the base table's lines (the command line reads a table file into them)",
            ));
        }
        let currency = self
            .scheme_versions(scheme)
            .await?
            .pop()
            .map(|s| s.currency);
        if let (Some(given), Some(kept)) = (&assumptions.currency, &currency)
            && given != kept
        {
            return Err(invalid(
                "currency",
                format!("scheme {scheme} keeps its amounts in {kept}, not {given}"),
            ));
        }
        projected_years(&assumptions).map_err(|error| match error {
            ProjectionRunError::Field(error) => ServiceError::field(error),
            other => invalid("assumptions", other.to_string()),
        })?;
        let effective_from = assumptions.projection.start;
        // A start in another century would stand before every later basis for ever.
        carepool_core::dates::check_plausible("projection.start", effective_from)
            .map_err(ServiceError::field)?;
        let text = serde_json::to_string(&assumptions).expect("assumptions serialise");
        let stored = self.stored_bases(scheme).await?;
        if let Some(same_day) = stored.iter().find(|b| b.effective_from == effective_from) {
            if same_day.assumptions == text {
                return Ok(BasisOutcome::Unchanged);
            }
            return Err(ServiceError::Conflict(format!(
                "scheme {scheme} has a premium basis from {effective_from} with other assumptions; history is never rewritten: register the new basis from a later day"
            )));
        }
        if let Some(latest) = stored.last()
            && effective_from < latest.effective_from
        {
            return Err(ServiceError::Conflict(format!(
                "scheme {scheme} has a premium basis from {}; a new basis must start after it, not on {effective_from}",
                latest.effective_from
            )));
        }
        let row = PremiumBasisRow {
            scheme: code,
            effective_from,
            assumptions: text,
            registered_by: self.actor().name().to_string(),
            registered_on: self.today(),
        };
        let change = Change {
            action: "register_premium_basis",
            table: &PREMIUM_BASES,
            key: Some(format!("{scheme}/{effective_from}")),
            before: None,
            after: Some(row.assumptions.clone()),
        };
        self.write_audited(
            "registration of a premium basis",
            vec![Write::Insert(&PREMIUM_BASES, vec![row.to_row()])],
            vec![change],
        )
        .await?;
        Ok(BasisOutcome::Added)
    }

    /// The premium bases of `scheme`, oldest first.
    pub async fn premium_bases(&self, scheme: &str) -> Result<Vec<PremiumBasis>, ServiceError> {
        (self.stored_bases(scheme).await?.into_iter())
            .map(|row| {
                let assumptions = serde_json::from_str(&row.assumptions).map_err(|e| {
                    ServiceError::Corrupt(format!(
                        "stored premium basis of {scheme} from {}: {e}",
                        row.effective_from
                    ))
                })?;
                Ok(PremiumBasis {
                    scheme: row.scheme,
                    effective_from: row.effective_from,
                    registered_by: row.registered_by,
                    registered_on: row.registered_on,
                    assumptions,
                })
            })
            .collect()
    }

    /// The stored rows, oldest first, the assumptions as their JSON text.
    async fn stored_bases(&self, scheme: &str) -> Result<Vec<PremiumBasisRow>, ServiceError> {
        let query = ListQuery {
            filters: vec![premium_bases::SCHEME.equals(&scheme.to_string())],
            limit: i64::MAX as u64,
            ..ListQuery::default()
        };
        let mut rows = (self.store.list(&PREMIUM_BASES, &query).await?.iter())
            .map(|row| {
                PremiumBasisRow::from_row(row)
                    .map_err(|e| ServiceError::Corrupt(format!("stored premium basis: {e}")))
            })
            .collect::<Result<Vec<_>, _>>()?;
        rows.sort_by_key(|b| b.effective_from);
        Ok(rows)
    }
}

/// The projection's years, as the premium was priced on them.
fn projected_years(file: &ProjectionFile) -> Result<Vec<ProjectedYear>, ProjectionRunError> {
    let projection = file.assumptions()?.project().map_err(|error| {
        ProjectionRunError::Field(FieldError::new("assumptions", error.to_string()))
    })?;
    carepool_actuarial::check_finite(&projection)?;
    Ok(projection.years)
}

/// What the bases expect of each month (`carepool_actuarial::indicators::expected_by_month`),
/// each basis projected as its premium was priced.
pub fn expected_by_month(bases: &[PremiumBasis], months: &[Period]) -> Vec<Option<Expected>> {
    let projected: Vec<(NaiveDate, Vec<ProjectedYear>)> = (bases.iter())
        .filter_map(|b| Some((b.effective_from, projected_years(&b.assumptions).ok()?)))
        .collect();
    carepool_actuarial::indicators::expected_by_month(&projected, months)
}
