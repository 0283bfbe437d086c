//! Claims: what a facility sends for one episode of care, the decision carepool takes on it, and
//! the rules that take it.
//!
//! - [`verify`]: the checks of a claim against the package in force on its date of service,
//!   a pure function of the claim and its [`verify::ClaimContext`];
//! - [`reasons`]: the machine-readable reason codes every cut, refusal and flag carries;
//! - [`usage`]: coverage years and what a family or member has used of each annual limit;
//! - [`review`]: which claims go to a medical reviewer, and what a reviewer's decision does.

pub mod exit;
pub mod intake;
pub mod payment;
pub mod reasons;
pub mod review;
pub mod usage;
pub mod verify;

use crate::money::Money;
use crate::registry::FieldError;
use chrono::NaiveDate;

/// Days in hospital: nights between admission and discharge, at least one (a stay discharged
/// the day it began counts a day).
pub fn stay_days(admission: NaiveDate, discharge: NaiveDate) -> i64 {
    crate::dates::days_between(admission, discharge).max(1)
}
use serde::{Deserialize, Serialize};

pub use reasons::{Reason, ReasonCode};

/// One claim as received.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    pub provider_id: String,
    pub claim_number: String,
    pub member_id: String,
    /// For a visit (outpatient care).
    #[serde(default)]
    pub visit_date: Option<NaiveDate>,
    /// For a stay (inpatient care), with `discharge_date`.
    #[serde(default)]
    pub admission_date: Option<NaiveDate>,
    #[serde(default)]
    pub discharge_date: Option<NaiveDate>,
    /// ICD-10 codes, principal first.
    #[serde(default)]
    pub diagnosis_codes: Vec<String>,
    /// medical, surgical, maternity, diagnostics, ...
    pub clinical_category: String,
    #[serde(default)]
    pub specialty: Option<String>,
    /// A limit-raising case the facility declares (life_threatening, maternity_complication).
    #[serde(default)]
    pub limit_raising_case: Option<String>,
    /// What the facility collected from the patient.
    #[serde(default)]
    pub copay_collected: Money,
    pub received_date: NaiveDate,
    pub lines: Vec<ClaimLine>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimLine {
    pub service_code: String,
    pub quantity: i64,
    pub unit_price: Money,
}

impl ClaimLine {
    /// Quantity times unit price; never negative and never overflowing (a line with a quantity
    /// below 1 or a price that is not positive is refused by the checks anyway).
    pub fn claimed(&self) -> Money {
        Money::from_minor(self.unit_price.minor().saturating_mul(self.quantity)).max(Money::ZERO)
    }
}

/// Inpatient for a stay, outpatient for a visit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Setting {
    Inpatient,
    Outpatient,
}

impl Claim {
    /// The claim's identity across carepool: `PROVIDER/NUMBER`.
    pub fn id(&self) -> String {
        claim_id(&self.provider_id, &self.claim_number)
    }

    /// The date of service: admission for a stay, the visit date otherwise.
    pub fn incurred_date(&self) -> Option<NaiveDate> {
        self.admission_date.or(self.visit_date)
    }

    pub fn setting(&self) -> Setting {
        if self.admission_date.is_some() || self.discharge_date.is_some() {
            Setting::Inpatient
        } else {
            Setting::Outpatient
        }
    }

    /// Days in hospital (see [`stay_days`]), for a stay.
    pub fn length_of_stay(&self) -> Option<i64> {
        Some(stay_days(self.admission_date?, self.discharge_date?))
    }

    pub fn claimed(&self) -> Money {
        self.lines.iter().map(ClaimLine::claimed).sum()
    }

    /// Checks that belong to the file rather than to the rules: every field a claim needs to be
    /// stored at all. Everything else is judged by [`verify::adjudicate`] and becomes a reason.
    pub fn check_shape(&self) -> Result<(), FieldError> {
        crate::registry::check_code("provider_id", &self.provider_id)?;
        crate::registry::check_code("claim_number", &self.claim_number)?;
        crate::registry::check_code("member_id", &self.member_id)?;
        if self.clinical_category.trim().is_empty() {
            return Err(FieldError::said(
                "clinical_category",
                crate::words::Words::new("required", []),
                "is required",
            ));
        }
        for line in &self.lines {
            crate::registry::check_code("service_code", &line.service_code)?;
        }
        Ok(())
    }
}

pub fn claim_id(provider_id: &str, claim_number: &str) -> String {
    format!("{provider_id}/{claim_number}")
}

/// Where a claim stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClaimStatus {
    /// Received, not yet adjudicated.
    Received,
    /// Held for a medical reviewer; not paid until decided.
    InReview,
    Approved,
    PartiallyApproved,
    Rejected,
    /// Approved and paid in a payment batch.
    Paid,
}

impl ClaimStatus {
    pub const ALL: &'static [ClaimStatus] = &[
        ClaimStatus::Received,
        ClaimStatus::InReview,
        ClaimStatus::Approved,
        ClaimStatus::PartiallyApproved,
        ClaimStatus::Rejected,
        ClaimStatus::Paid,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Received => "received",
            ClaimStatus::InReview => "in_review",
            ClaimStatus::Approved => "approved",
            ClaimStatus::PartiallyApproved => "partially_approved",
            ClaimStatus::Rejected => "rejected",
            ClaimStatus::Paid => "paid",
        }
    }

    pub fn parse(field: &'static str, text: &str) -> Result<ClaimStatus, FieldError> {
        ClaimStatus::ALL
            .iter()
            .copied()
            .find(|s| s.as_str() == text)
            .ok_or_else(|| {
                let names: Vec<&str> = ClaimStatus::ALL.iter().map(|s| s.as_str()).collect();
                crate::registry::not_one_of(field, text, &names)
            })
    }

    /// What the scheme owes on a claim in this status: the amount approved once decided, the
    /// amount claimed while not yet decided (the case estimate); nothing for a rejected claim,
    /// which is never paid. Reserving counts claims at this amount.
    pub fn amount_owed(self, approved: Money, claimed: Money) -> Option<Money> {
        match self {
            ClaimStatus::Rejected => None,
            ClaimStatus::Received => Some(claimed),
            ClaimStatus::InReview
            | ClaimStatus::Approved
            | ClaimStatus::PartiallyApproved
            | ClaimStatus::Paid => Some(approved),
        }
    }

    /// Decided and waiting to be paid.
    pub fn payable(self) -> bool {
        matches!(self, ClaimStatus::Approved | ClaimStatus::PartiallyApproved)
    }

    /// The status that the amounts of a decided claim call for.
    pub fn from_amounts(approved: Money, member_share: Money, rejected: Money) -> ClaimStatus {
        if approved == Money::ZERO && member_share == Money::ZERO {
            ClaimStatus::Rejected
        } else if rejected == Money::ZERO {
            ClaimStatus::Approved
        } else {
            ClaimStatus::PartiallyApproved
        }
    }
}

impl std::fmt::Display for ClaimStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The four amounts every claim and every line carries. `approved + member_share + rejected`
/// is always the amount claimed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amounts {
    pub claimed: Money,
    /// What the scheme pays the facility.
    pub approved: Money,
    /// What the patient pays under the package's cost sharing.
    pub member_share: Money,
    pub rejected: Money,
}

impl Amounts {
    pub fn balanced(&self) -> bool {
        self.approved + self.member_share + self.rejected == self.claimed
    }
}

impl std::iter::Sum for Amounts {
    fn sum<I: Iterator<Item = Amounts>>(iter: I) -> Amounts {
        iter.fold(Amounts::default(), |mut total, amounts| {
            total += amounts;
            total
        })
    }
}

impl std::ops::AddAssign for Amounts {
    fn add_assign(&mut self, other: Amounts) {
        self.claimed += other.claimed;
        self.approved += other.approved;
        self.member_share += other.member_share;
        self.rejected += other.rejected;
    }
}

/// A claim as carepool keeps it: as received, with the decision taken on it and its payment.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ClaimRecord {
    #[serde(flatten)]
    pub claim: Claim,
    /// The member's family when the claim was received; none for an unknown member.
    pub family_id: Option<String>,
    pub status: ClaimStatus,
    pub package: Option<String>,
    pub scheme_version: Option<NaiveDate>,
    pub coverage_year_start: Option<NaiveDate>,
    #[serde(flatten)]
    pub amounts: Amounts,
    pub allowance: Money,
    /// Paid to the facility (the approved amount, once its payment batch is paid).
    pub paid: Money,
    /// The codes of the claim's reasons, lines' included, in order.
    pub reason_codes: Vec<ReasonCode>,
    pub decided_date: Option<NaiveDate>,
    pub paid_date: Option<NaiveDate>,
    pub payment_batch: Option<String>,
    pub allowance_batch: Option<String>,
    pub review_note: Option<String>,
    /// Who received or submitted it: a user, or `cli:ACCOUNT`; none for a claim stored before
    /// carepool recorded it.
    pub received_by: Option<String>,
    /// The medical reviewer who decided it, once reviewed.
    pub reviewed_by: Option<String>,
    /// The decision on each line, in the order of `claim.lines`.
    pub line_decisions: Vec<verify::LineDecision>,
}

impl ClaimRecord {
    /// A claim just received by `received_by`, not yet judged.
    pub fn received(claim: Claim, family_id: Option<String>, received_by: &str) -> ClaimRecord {
        let line_decisions = claim
            .lines
            .iter()
            .map(verify::LineDecision::unjudged)
            .collect();
        ClaimRecord {
            family_id,
            status: ClaimStatus::Received,
            package: None,
            scheme_version: None,
            coverage_year_start: None,
            amounts: Amounts {
                claimed: claim.claimed(),
                ..Amounts::default()
            },
            allowance: Money::ZERO,
            paid: Money::ZERO,
            reason_codes: vec![],
            decided_date: None,
            paid_date: None,
            payment_batch: None,
            allowance_batch: None,
            review_note: None,
            received_by: Some(received_by.to_string()),
            reviewed_by: None,
            line_decisions,
            claim,
        }
    }

    /// Records a decision taken on `decided_date`.
    pub fn decide(&mut self, decision: &verify::Decision, decided_date: NaiveDate) {
        self.status = decision.status;
        self.package = decision.package.clone();
        self.scheme_version = decision.scheme_version;
        self.coverage_year_start = decision.coverage_year_start;
        self.amounts = decision.amounts;
        self.allowance = decision.allowance;
        self.reason_codes = decision.reasons.iter().map(|r| r.code).collect();
        self.decided_date = Some(decided_date);
        self.line_decisions = decision.lines.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_claim_is_owed_at_its_approved_amount_once_decided_and_a_rejected_one_not_at_all() {
        let (approved, claimed) = (Money::from_units(80), Money::from_units(100));
        let owed = |status: ClaimStatus| status.amount_owed(approved, claimed);
        assert_eq!(owed(ClaimStatus::Received), Some(claimed));
        assert_eq!(owed(ClaimStatus::InReview), Some(approved));
        assert_eq!(owed(ClaimStatus::PartiallyApproved), Some(approved));
        assert_eq!(owed(ClaimStatus::Paid), Some(approved));
        assert_eq!(owed(ClaimStatus::Rejected), None);
    }

    #[test]
    fn a_stay_on_one_day_counts_one_day() {
        let day: NaiveDate = "2025-05-01".parse().unwrap();
        let claim = Claim {
            provider_id: "P1".into(),
            claim_number: "1".into(),
            member_id: "M1".into(),
            visit_date: None,
            admission_date: Some(day),
            discharge_date: Some(day),
            diagnosis_codes: vec![],
            clinical_category: "medical".into(),
            specialty: None,
            limit_raising_case: None,
            copay_collected: Money::ZERO,
            received_date: day,
            lines: vec![],
        };
        assert_eq!(claim.length_of_stay(), Some(1));
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        assert_eq!(stay_days(day("2025-02-27"), day("2025-03-02")), 3);
        assert_eq!(stay_days(day("2024-02-27"), day("2024-03-02")), 4);
        assert_eq!(stay_days(day("2025-03-02"), day("2025-03-02")), 1);
        assert_eq!(claim.setting(), Setting::Inpatient);
        assert_eq!(claim.id(), "P1/1");
    }

    #[test]
    fn the_status_follows_the_amounts() {
        let m = Money::from_units;
        assert_eq!(
            ClaimStatus::from_amounts(m(10), m(0), m(0)),
            ClaimStatus::Approved
        );
        assert_eq!(
            ClaimStatus::from_amounts(m(10), m(0), m(1)),
            ClaimStatus::PartiallyApproved
        );
        assert_eq!(
            ClaimStatus::from_amounts(m(0), m(0), m(11)),
            ClaimStatus::Rejected
        );
        // A stay the member's co-payment covers whole is approved: nothing was refused.
        assert_eq!(
            ClaimStatus::from_amounts(m(0), m(5), m(0)),
            ClaimStatus::Approved
        );
    }
}
