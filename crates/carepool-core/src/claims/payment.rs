//! Payment runs: which claims a run for a month pays, and how they group into payments. Every
//! claim approved by the end of the month and not yet paid is paid: its approved amount in one
//! payment per facility, its allowance in one payment per patient.

use super::ClaimStatus;
use crate::dates::add_months;
use crate::money::Money;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

/// A month paid, `YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    text: String,
    end: NaiveDate,
}

impl Period {
    pub fn parse(text: &str) -> Result<Period, String> {
        let invalid = || format!("'{text}' is not a month YYYY-MM");
        let first =
            NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").map_err(|_| invalid())?;
        if format!("{:04}-{:02}", first.year(), first.month()) != text {
            return Err(invalid());
        }
        Ok(Period {
            text: text.to_string(),
            end: add_months(first, 1).pred_opt().expect("a day before"),
        })
    }

    /// The last day of the month.
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }
}

/// What a payment run needs to know of a claim.
#[derive(Debug, Clone, PartialEq)]
pub struct Payable<'a> {
    pub provider_id: &'a str,
    pub member_id: &'a str,
    pub status: ClaimStatus,
    pub approved: Money,
    pub allowance: Money,
    pub decided_date: Option<NaiveDate>,
}

impl Payable<'_> {
    /// Decided by the end of the period and waiting to be paid.
    pub fn due_by(&self, period: &Period) -> bool {
        self.status.payable() && self.decided_date.is_some_and(|d| d <= period.end)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PayeeKind {
    /// A facility, for the approved amounts of its claims.
    Provider,
    /// A patient, for allowances.
    Member,
}

impl PayeeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PayeeKind::Provider => "provider",
            PayeeKind::Member => "member",
        }
    }
}

/// One payment of a run: `claims` are indices into the run's claims.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPayment {
    /// `PERIOD/KIND/PAYEE`, numbered `/2`, `/3`, ... when a run of the same period already used it.
    pub id: String,
    pub payee_kind: PayeeKind,
    pub payee_id: String,
    pub claims: Vec<usize>,
    pub amount: Money,
}

/// The payments that pay `claims` (all due by the end of `period`): facilities first, then
/// patients, each in order of payee. `taken` holds the ids of payments already made.
pub fn plan(period: &Period, claims: &[Payable], taken: &HashSet<String>) -> Vec<PlannedPayment> {
    let mut groups: BTreeMap<(PayeeKind, &str), Vec<usize>> = BTreeMap::new();
    for (i, claim) in claims.iter().enumerate() {
        groups
            .entry((PayeeKind::Provider, claim.provider_id))
            .or_default()
            .push(i);
        if claim.allowance > Money::ZERO {
            groups
                .entry((PayeeKind::Member, claim.member_id))
                .or_default()
                .push(i);
        }
    }
    groups
        .into_iter()
        .map(|((kind, payee), members)| {
            let amount = members
                .iter()
                .map(|&i| match kind {
                    PayeeKind::Provider => claims[i].approved,
                    PayeeKind::Member => claims[i].allowance,
                })
                .sum();
            PlannedPayment {
                id: free_id(taken, &format!("{}/{}/{payee}", period.text, kind.as_str())),
                payee_kind: kind,
                payee_id: payee.to_string(),
                claims: members,
                amount,
            }
        })
        .collect()
}

/// `base`, or `base/2`, `base/3`, ... when a payment of that name was already made.
fn free_id(taken: &HashSet<String>, base: &str) -> String {
    if !taken.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}/{n}"))
        .find(|id| !taken.contains(id))
        .expect("a free number")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_a_month_and_ends_on_its_last_day() {
        let end = |text| Period::parse(text).unwrap().end();
        assert_eq!(end("2024-02"), "2024-02-29".parse::<NaiveDate>().unwrap());
        assert_eq!(end("2025-12"), "2025-12-31".parse::<NaiveDate>().unwrap());
        for bad in ["2025-13", "2025-1", "25-01", "2025-01-01", ""] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_second_payment_in_a_period_gets_the_next_number() {
        let taken: HashSet<String> = [
            "2025-03/provider/H1".to_string(),
            "2025-03/provider/H1/2".to_string(),
        ]
        .into();
        assert_eq!(
            free_id(&taken, "2025-03/provider/H1"),
            "2025-03/provider/H1/3"
        );
        assert_eq!(
            free_id(&taken, "2025-03/provider/H2"),
            "2025-03/provider/H2"
        );
    }

    #[test]
    fn facilities_are_paid_what_was_approved_and_patients_their_allowances() {
        let period = Period::parse("2025-03").unwrap();
        let claim = |provider, member, approved, allowance| Payable {
            provider_id: provider,
            member_id: member,
            status: ClaimStatus::Approved,
            approved: Money::from_units(approved),
            allowance: Money::from_units(allowance),
            decided_date: Some("2025-03-31".parse().unwrap()),
        };
        let claims = [
            claim("H2", "M1", 100, 0),
            claim("H1", "M1", 50, 10),
            claim("H2", "M2", 30, 5),
        ];
        let planned = plan(&period, &claims, &HashSet::new());
        let summary: Vec<(&str, Vec<usize>, Money)> = planned
            .iter()
            .map(|p| (p.id.as_str(), p.claims.clone(), p.amount))
            .collect();
        assert_eq!(
            summary,
            [
                ("2025-03/provider/H1", vec![1], Money::from_units(50)),
                ("2025-03/provider/H2", vec![0, 2], Money::from_units(130)),
                ("2025-03/member/M1", vec![1], Money::from_units(10)),
                ("2025-03/member/M2", vec![2], Money::from_units(5)),
            ]
        );
    }

    #[test]
    fn only_claims_decided_by_the_end_of_the_period_and_unpaid_are_due() {
        let period = Period::parse("2025-03").unwrap();
        let mut claim = Payable {
            provider_id: "H1",
            member_id: "M1",
            status: ClaimStatus::PartiallyApproved,
            approved: Money::ZERO,
            allowance: Money::ZERO,
            decided_date: Some("2025-03-31".parse().unwrap()),
        };
        assert!(claim.due_by(&period));
        claim.decided_date = Some("2025-04-01".parse().unwrap());
        assert!(!claim.due_by(&period));
        claim.decided_date = Some("2025-03-01".parse().unwrap());
        for status in [
            ClaimStatus::InReview,
            ClaimStatus::Paid,
            ClaimStatus::Rejected,
        ] {
            claim.status = status;
            assert!(!claim.due_by(&period), "{status}");
        }
    }
}
