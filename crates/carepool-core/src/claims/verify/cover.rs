//! The cover check a facility makes before admitting a patient.

use super::checks::{cover_and_package, member_problem};
use crate::claims::reasons::Reason;
use crate::claims::usage::{Ledger, UsageKey};
use crate::money::Money;
use crate::registry::Member;
use crate::scheme::{LimitUnit, SchemeDefinition};
use crate::standing::FamilyRecord;
use chrono::NaiveDate;
use serde::Serialize;

/// Whether a member is covered on a date, and what is left of each annual limit: what a
/// facility asks before admitting a patient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverStatus {
    pub member_id: String,
    pub date: NaiveDate,
    pub covered: bool,
    /// Why not, when not covered.
    pub reasons: Vec<Reason>,
    pub package: Option<String>,
    pub coverage_year_start: Option<NaiveDate>,
    pub categories: Vec<CategoryLeft>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryLeft {
    pub category: String,
    pub name: String,
    /// The annual limit, per family or member; none for an unlimited category.
    pub limit: Option<Money>,
    pub per: Option<LimitUnit>,
    pub used: Money,
    pub left: Option<Money>,
    /// Still in its waiting period until this day.
    pub waiting_until: Option<NaiveDate>,
}

/// The member's cover on `date`, from the same rules as [`adjudicate`].
pub fn cover_status(
    versions: &[SchemeDefinition],
    member: &Member,
    family: &FamilyRecord,
    date: NaiveDate,
    ledger: &Ledger,
) -> CoverStatus {
    let mut status = CoverStatus {
        member_id: member.id.clone(),
        date,
        covered: false,
        reasons: vec![],
        package: None,
        coverage_year_start: None,
        categories: vec![],
    };
    if let Some(problem) = member_problem(member, date) {
        status.reasons.push(problem);
        return status;
    }
    let found = match cover_and_package(versions, member, family, date) {
        Ok(found) => found,
        Err(reason) => {
            status.reasons.push(reason);
            return status;
        }
    };
    status.covered = true;
    status.package = Some(found.package.code.clone());
    status.coverage_year_start = Some(found.year_start);
    for category in &found.package.categories {
        let waiting_until = found
            .waiting(category)
            .map(|(_, covered_from)| covered_from)
            .filter(|until| date < *until);
        let (limit, per, used) = match &category.limit {
            None => (None, None, Money::ZERO),
            Some(limit) => {
                let key = UsageKey::limit(
                    limit.per,
                    &family.family.id,
                    &member.id,
                    &category.code,
                    found.year_start,
                );
                (Some(limit.amount), Some(limit.per), ledger.get(&key).used)
            }
        };
        status.categories.push(CategoryLeft {
            category: category.code.clone(),
            name: category.name.clone(),
            limit,
            per,
            used,
            left: limit.map(|l| (l - used).max(Money::ZERO)),
            waiting_until,
        });
    }
    status
}
