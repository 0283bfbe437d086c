//! Payment runs: which claims a run for a month pays, and how they group into payments. Every
//! claim approved by the end of the month and not yet paid is paid: its approved amount in one
//! payment per facility, its allowance in one payment per patient. Refunds to patients charged
//! despite an exemption go to the patient with their allowances and are deducted from the
//! facility's payment ([`plan`]).

use super::ClaimStatus;
use crate::access::same_hands;
use crate::dates::add_months;
use crate::money::Money;
use crate::registry::FieldError;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// A month paid, `YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    text: String,
    end: NaiveDate,
}

impl Period {
    pub fn parse(text: &str) -> Result<Period, String> {
        let invalid = || format!("{} is not a month YYYY-MM", crate::registry::excerpt(text));
        let first =
            NaiveDate::parse_from_str(&format!("{text}-01"), "%Y-%m-%d").map_err(|_| invalid())?;
        if format!("{:04}-{:02}", first.year(), first.month()) != text {
            return Err(invalid());
        }
        crate::dates::check_plausible("period", first).map_err(|e| e.message)?;
        Ok(Period {
            text: text.to_string(),
            end: add_months(first, 1).pred_opt().expect("a day before"),
        })
    }

    /// The last day of the month.
    pub fn end(&self) -> NaiveDate {
        self.end
    }

    /// Refuses a month not over by `today`: a run pays what was decided by a month's end, and
    /// a month still running (or to come) has more decisions ahead.
    pub fn check_ended(&self, today: NaiveDate) -> Result<(), String> {
        if self.end < today {
            Ok(())
        } else {
            Err(format!(
                "{} is not over: it ends on {}, and today is {today}; pay a month once it has ended",
                self.text, self.end
            ))
        }
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
    /// Taken by a payment run proposed and not yet released.
    pub in_run: bool,
}

impl Payable<'_> {
    /// Decided by the end of the period, waiting to be paid, and in no run yet.
    pub fn due_by(&self, period: &Period) -> bool {
        self.status.payable() && !self.in_run && self.decided_date.is_some_and(|d| d <= period.end)
    }
}

/// A payment run's id: the month and the run's number in it (`2025-08/1`).
pub fn run_id(period: &Period, number: usize) -> String {
    format!("{}/{number}", period.text)
}

/// Why a payment run may not be released.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReleaseError {
    #[error("payment run {run} was proposed by {user}: another finance officer must release it")]
    OwnProposal { run: String, user: String },
    #[error("payment run {run} was already released by {user}")]
    Released { run: String, user: String },
}

/// Segregation of duties: a run is released once, by someone other than its proposer (see
/// [`same_hands`]).
pub fn check_release(
    run: &str,
    releaser: &str,
    proposed_by: &str,
    released_by: Option<&str>,
) -> Result<(), ReleaseError> {
    if let Some(user) = released_by {
        return Err(ReleaseError::Released {
            run: run.to_string(),
            user: user.to_string(),
        });
    }
    if same_hands(proposed_by, releaser) {
        return Err(ReleaseError::OwnProposal {
            run: run.to_string(),
            user: proposed_by.to_string(),
        });
    }
    Ok(())
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

code_enum!(
    /// Where a refund stands, by what payment runs have taken of it: due (granted, no run yet),
    /// refunded (a run pays it to the patient, none has deducted it from the facility yet),
    /// recovered (both: settled), withdrawn (its grievance reopened, or resolved without it,
    /// before a run took it).
    RefundStatus {
        Due = "due",
        Refunded = "refunded",
        Recovered = "recovered",
        Withdrawn = "withdrawn",
    }
);

impl RefundStatus {
    /// What a run leaves of a refund it pays to the patient or deducts from the facility.
    pub fn after_run(refunded: bool, recovered: bool) -> RefundStatus {
        match (refunded, recovered) {
            (_, true) => RefundStatus::Recovered,
            (true, false) => RefundStatus::Refunded,
            (false, false) => RefundStatus::Due,
        }
    }

    /// A run still has something to do with it: pay it, or deduct it.
    pub fn pending(self) -> bool {
        matches!(self, RefundStatus::Due | RefundStatus::Refunded)
    }
}

/// A refund to a patient charged a co-payment they were exempt from: paid to the patient once,
/// and deducted once from the facility that charged.
#[derive(Debug, Clone, PartialEq)]
pub struct Refundable<'a> {
    pub member_id: &'a str,
    pub provider_id: &'a str,
    pub amount: Money,
    /// Paid to the patient (or taken by a run not yet released).
    pub refunded: bool,
    /// Deducted from the facility (or taken by a run not yet released).
    pub recovered: bool,
}

/// One payment of a run: `claims` and `refunds` are indices into the run's claims and refunds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPayment {
    /// `PERIOD/KIND/PAYEE`, numbered `/2`, `/3`, ... when a run of the same period already used it.
    pub id: String,
    pub payee_kind: PayeeKind,
    pub payee_id: String,
    pub claims: Vec<usize>,
    /// Refunds paid to the patient, or deducted from the facility.
    pub refunds: Vec<usize>,
    /// What the claims come to, plus the refunds to a patient, less those deducted from a
    /// facility.
    pub amount: Money,
}

/// The payments that pay `claims` (all due by the end of `period`) and `refunds`: facilities
/// first, then patients, each in order of payee. `taken` holds the ids of payments already
/// made.
///
/// Every refund not yet paid goes to its patient now, with their allowances; the scheme does
/// not make the patient wait for the facility. A refund not yet recovered is deducted whole
/// from its facility's payment when what is left of the payment in this run covers it (the
/// refunds in their order, each that fits); one that does not fit waits for a later payment.
/// So no payment is negative, and each refund is paid once and deducted once.
pub fn plan(
    period: &Period,
    claims: &[Payable],
    refunds: &[Refundable],
    taken: &HashSet<String>,
) -> Vec<PlannedPayment> {
    #[derive(Default)]
    struct Group {
        claims: Vec<usize>,
        refunds: Vec<usize>,
    }
    let mut groups: BTreeMap<(PayeeKind, &str), Group> = BTreeMap::new();
    for (i, claim) in claims.iter().enumerate() {
        let facility = groups.entry((PayeeKind::Provider, claim.provider_id));
        facility.or_default().claims.push(i);
        if claim.allowance > Money::ZERO {
            let patient = groups.entry((PayeeKind::Member, claim.member_id));
            patient.or_default().claims.push(i);
        }
    }
    for (i, refund) in refunds.iter().enumerate() {
        if !refund.refunded {
            let patient = groups.entry((PayeeKind::Member, refund.member_id));
            patient.or_default().refunds.push(i);
        }
    }
    let mut planned: Vec<PlannedPayment> = groups
        .into_iter()
        .map(|((kind, payee), group)| {
            let claimed: Money = (group.claims.iter())
                .map(|&i| match kind {
                    PayeeKind::Provider => claims[i].approved,
                    PayeeKind::Member => claims[i].allowance,
                })
                .sum();
            let refunded: Money = group.refunds.iter().map(|&i| refunds[i].amount).sum();
            PlannedPayment {
                id: free_id(taken, &format!("{}/{}/{payee}", period.text, kind.as_str())),
                payee_kind: kind,
                payee_id: payee.to_string(),
                claims: group.claims,
                refunds: group.refunds,
                amount: claimed + refunded,
            }
        })
        .collect();
    for payment in (planned.iter_mut()).filter(|p| p.payee_kind == PayeeKind::Provider) {
        for (i, refund) in refunds.iter().enumerate() {
            if !refund.recovered
                && refund.provider_id == payment.payee_id
                && refund.amount <= payment.amount
            {
                payment.amount -= refund.amount;
                payment.refunds.push(i);
            }
        }
    }
    planned
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
    fn a_month_is_paid_only_once_it_is_over() {
        let march = Period::parse("2025-03").unwrap();
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        assert!(march.check_ended(day("2025-04-01")).is_ok());
        let message = march.check_ended(day("2025-03-31")).unwrap_err();
        assert!(message.contains("2025-03 is not over"), "{message}");
        assert!(march.check_ended(day("2025-03-05")).is_err());
        let far = Period::parse("2199-12").unwrap();
        assert!(far.check_ended(day("2026-12-03")).is_err());
        // A month no scheme ever paid is not a month at all.
        assert!(Period::parse("9999-12").is_err());
        assert!(Period::parse("0025-03").is_err());
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
            in_run: false,
        };
        let claims = [
            claim("H2", "M1", 100, 0),
            claim("H1", "M1", 50, 10),
            claim("H2", "M2", 30, 5),
        ];
        let planned = plan(&period, &claims, &[], &HashSet::new());
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
    fn a_refund_goes_to_the_patient_now_and_comes_off_the_facility_when_its_payment_covers_it() {
        let period = Period::parse("2025-03").unwrap();
        let units = Money::from_units;
        let claim = |provider, approved, allowance| Payable {
            provider_id: provider,
            member_id: "M1",
            status: ClaimStatus::Approved,
            approved: units(approved),
            allowance: units(allowance),
            decided_date: Some("2025-03-31".parse().unwrap()),
            in_run: false,
        };
        let refund = |member, provider, amount, refunded, recovered| Refundable {
            member_id: member,
            provider_id: provider,
            amount: units(amount),
            refunded,
            recovered,
        };
        let claims = [claim("H1", 100, 10), claim("H2", 30, 0)];
        let refunds = [
            // Paid to M2 (who has no claim in the run) and deducted from H1.
            refund("M2", "H1", 60, false, false),
            // Paid to M1 with the allowance; H1's 40 left does not cover it: it waits.
            refund("M1", "H1", 50, false, false),
            // H3 is paid nothing in this run: the deduction waits for its next payment.
            refund("M3", "H3", 5, false, false),
            // Paid to its patient by an earlier run; only the deduction was left, and H2's
            // payment covers it exactly.
            refund("M4", "H2", 30, true, false),
            // Settled: neither paid nor deducted again.
            refund("M5", "H2", 1, true, true),
        ];
        let planned = plan(&period, &claims, &refunds, &HashSet::new());
        let summary: Vec<(&str, Vec<usize>, Vec<usize>, Money)> = planned
            .iter()
            .map(|p| (p.id.as_str(), p.claims.clone(), p.refunds.clone(), p.amount))
            .collect();
        assert_eq!(
            summary,
            [
                ("2025-03/provider/H1", vec![0], vec![0], units(40)),
                ("2025-03/provider/H2", vec![1], vec![3], units(0)),
                ("2025-03/member/M1", vec![0], vec![1], units(60)),
                ("2025-03/member/M2", vec![], vec![0], units(60)),
                ("2025-03/member/M3", vec![], vec![2], units(5)),
            ]
        );
        assert_eq!(RefundStatus::after_run(true, false), RefundStatus::Refunded);
        assert_eq!(RefundStatus::after_run(true, true), RefundStatus::Recovered);
        assert_eq!(RefundStatus::after_run(false, false), RefundStatus::Due);
        let pending: Vec<bool> = [
            RefundStatus::Due,
            RefundStatus::Refunded,
            RefundStatus::Recovered,
            RefundStatus::Withdrawn,
        ]
        .map(RefundStatus::pending)
        .into();
        assert_eq!(pending, [true, true, false, false]);
        // A run of refunds alone pays the patients and recovers nothing.
        let alone = plan(&period, &[], &refunds[..1], &HashSet::new());
        assert_eq!(alone.len(), 1);
        assert_eq!(
            (alone[0].payee_kind, alone[0].amount),
            (PayeeKind::Member, units(60))
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
            in_run: false,
        };
        assert!(claim.due_by(&period));
        claim.in_run = true;
        assert!(!claim.due_by(&period), "taken by a run not yet released");
        claim.in_run = false;
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

    #[test]
    fn a_run_is_released_once_and_not_by_its_proposer() {
        assert_eq!(check_release("2025-03/1", "ben", "awa", None), Ok(()));
        let own = check_release("2025-03/1", "awa", "awa", None).unwrap_err();
        assert_eq!(
            own.to_string(),
            "payment run 2025-03/1 was proposed by awa: another finance officer must release it"
        );
        assert_eq!(
            check_release("2025-03/1", "cli:root", "cli:root", None),
            Ok(()),
            "the machine's account is not bound"
        );
        assert_eq!(
            check_release("2025-03/1", "ben", "awa", Some("carol")),
            Err(ReleaseError::Released {
                run: "2025-03/1".into(),
                user: "carol".into()
            })
        );
        assert_eq!(run_id(&Period::parse("2025-03").unwrap(), 2), "2025-03/2");
    }
}
