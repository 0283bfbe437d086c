//! The scheme against the ILO's standards on medical care (docs/STANDARDS.md): its package in
//! force, and, from the database, the people it covers against its target population.

use crate::indicators::IndicatorOptions;
use crate::{Registry, Scope, ServiceError};
use carepool_core::registry::FieldError;
use carepool_core::scheme::{SchemeDefinition, version_in_force};
use carepool_core::standards::{Protected, StandardsReport, check};
use chrono::{Datelike, NaiveDate};

/// The check of `scheme`'s version in force on `as_of` (its first when none is yet), for
/// `package` (the scheme's first when none is named), with `protected` as given.
pub fn standards_report(
    versions: &[SchemeDefinition],
    package: Option<&str>,
    as_of: NaiveDate,
    protected: Option<Protected>,
) -> Result<StandardsReport, FieldError> {
    let version = version_in_force(versions, as_of)
        .or(versions.first())
        .ok_or_else(|| FieldError::new("scheme", "the scheme has no version"))?;
    let checked = match package {
        Some(code) => version.package(code).ok_or_else(|| {
            let codes: Vec<&str> = version.packages.iter().map(|p| p.code.as_str()).collect();
            FieldError::new(
                "package",
                format!(
                    "no package '{code}' in the scheme; it has {}",
                    codes.join(", ")
                ),
            )
        })?,
        None => (version.packages.first())
            .ok_or_else(|| FieldError::new("scheme", "the scheme has no package"))?,
    };
    Ok(StandardsReport {
        scheme: version.code.clone(),
        scheme_name: version.name.clone(),
        version_from: version.effective_from,
        package: checked.code.clone(),
        as_of,
        protected,
        points: check(version, checked, protected),
    })
}

impl Registry {
    /// The members of `scheme` with active cover on `as_of` (today for a later day: cover is
    /// not known ahead) against the target population of that year; none without one.
    pub async fn protected(
        &self,
        scheme: &str,
        as_of: NaiveDate,
    ) -> Result<Option<Protected>, ServiceError> {
        let as_of = as_of.min(self.today());
        let options = IndicatorOptions {
            from: Some(as_of.with_day(1).expect("the first of a month")),
            to: Some(as_of),
            scheme: Some(scheme.to_string()),
            ..IndicatorOptions::default()
        };
        let report = self
            .indicators(&options, &Scope::National, self.today())
            .await?;
        let Some(last) = report.indicators.periods.last() else {
            return Ok(None);
        };
        Ok(last.membership.target_population.map(|target| Protected {
            covered: last.membership.members,
            target,
        }))
    }
}
