//! Payment runs: which claims a run for a month pays, and how they group into payments. Every
//! claim approved by the end of the month and not yet paid is paid: its approved amount in one
//! payment per facility, its allowance in one payment per patient. Refunds to patients charged
//! despite an exemption go to the patient with their allowances and are deducted from the
//! facility's payment ([`PaymentPlan`]).

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

/// One payment of a run: `refunds` are indices into the run's refunds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedPayment {
    /// `PERIOD/KIND/PAYEE`, numbered `/2`, `/3`, ... when a run of the same period already used it.
    pub id: String,
    pub payee_kind: PayeeKind,
    pub payee_id: String,
    /// How many claims it pays.
    pub claims: u64,
    /// Refunds paid to the patient, or deducted from the facility.
    pub refunds: Vec<usize>,
    /// What the claims come to, plus the refunds to a patient, less those deducted from a
    /// facility.
    pub amount: Money,
}

/// What one payee is paid for claims so far.
#[derive(Debug)]
struct Claimed {
    payment: String,
    claims: u64,
    amount: Money,
}

/// The payments of a run for `period`, planned as its due claims come one by one (a national
/// scheme's are read a page at a time, never held whole): each claim goes into its facility's
/// payment and, when it carries an allowance, into its patient's ([`PaymentPlan::add`]); the
/// refunds come last ([`PaymentPlan::finish`]). Held: one entry per payee.
#[derive(Debug)]
pub struct PaymentPlan {
    period: Period,
    /// Ids of the payments already made or held by runs of the period.
    taken: HashSet<String>,
    facilities: BTreeMap<String, Claimed>,
    patients: BTreeMap<String, Claimed>,
}

/// The payments a claim goes into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimPayments<'p> {
    /// The facility's, for the amount approved.
    pub facility: &'p str,
    /// The patient's, for the allowance; none without one.
    pub patient: Option<&'p str>,
}

impl PaymentPlan {
    /// A plan of nothing yet; `taken` holds the ids of payments already made.
    pub fn new(period: Period, taken: HashSet<String>) -> PaymentPlan {
        PaymentPlan {
            period,
            taken,
            facilities: BTreeMap::new(),
            patients: BTreeMap::new(),
        }
    }

    /// Adds a claim due by the end of the period (see [`Payable::due_by`]) and says which
    /// payments it goes into.
    pub fn add(&mut self, claim: &Payable) -> ClaimPayments<'_> {
        let (period, taken) = (&self.period, &self.taken);
        let facility = claimed(
            &mut self.facilities,
            period,
            taken,
            PayeeKind::Provider,
            claim.provider_id,
            claim.approved,
        );
        let patient = (claim.allowance > Money::ZERO).then(|| {
            claimed(
                &mut self.patients,
                period,
                taken,
                PayeeKind::Member,
                claim.member_id,
                claim.allowance,
            )
        });
        ClaimPayments { facility, patient }
    }

    /// Whether no claim was added.
    pub fn is_empty(&self) -> bool {
        self.facilities.is_empty() && self.patients.is_empty()
    }

    /// The payments that pay the claims added and `refunds`: facilities first, then patients,
    /// each in order of payee.
    ///
    /// Every refund not yet paid goes to its patient now, with their allowances; the scheme
    /// does not make the patient wait for the facility. A refund not yet recovered is deducted
    /// whole from its facility's payment when what is left of the payment in this run covers it
    /// (the refunds in their order, each that fits); one that does not fit waits for a later
    /// payment. So no payment is negative, and each refund is paid once and deducted once.
    pub fn finish(self, refunds: &[Refundable]) -> Vec<PlannedPayment> {
        let PaymentPlan {
            period,
            taken,
            facilities,
            mut patients,
        } = self;
        let mut refunded_to: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, refund) in refunds.iter().enumerate().filter(|(_, r)| !r.refunded) {
            refunded_to.entry(refund.member_id).or_default().push(i);
            if !patients.contains_key(refund.member_id) {
                let payment = payment_id(&period, &taken, PayeeKind::Member, refund.member_id);
                let nothing_claimed = Claimed {
                    payment,
                    claims: 0,
                    amount: Money::ZERO,
                };
                patients.insert(refund.member_id.to_string(), nothing_claimed);
            }
        }
        let planned = |kind, payee: String, claimed: Claimed| PlannedPayment {
            id: claimed.payment,
            payee_kind: kind,
            payee_id: payee,
            claims: claimed.claims,
            refunds: Vec::new(),
            amount: claimed.amount,
        };
        let mut payments: Vec<PlannedPayment> = (facilities.into_iter())
            .map(|(payee, claimed)| planned(PayeeKind::Provider, payee, claimed))
            .collect();
        for payment in &mut payments {
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
        for (payee, claimed) in patients {
            let mut payment = planned(PayeeKind::Member, payee, claimed);
            for i in refunded_to
                .remove(payment.payee_id.as_str())
                .unwrap_or_default()
            {
                payment.amount += refunds[i].amount;
                payment.refunds.push(i);
            }
            payments.push(payment);
        }
        payments
    }
}

/// Adds `amount` for one claim to `payee`'s entry in `payees`, made on first sight; returns the
/// id of its payment.
fn claimed<'p>(
    payees: &'p mut BTreeMap<String, Claimed>,
    period: &Period,
    taken: &HashSet<String>,
    kind: PayeeKind,
    payee: &str,
    amount: Money,
) -> &'p str {
    // Looked up before it is made: a payee's name is copied once, not for each claim.
    if !payees.contains_key(payee) {
        let first = Claimed {
            payment: payment_id(period, taken, kind, payee),
            claims: 0,
            amount: Money::ZERO,
        };
        payees.insert(payee.to_string(), first);
    }
    let entry = payees.get_mut(payee).expect("made above");
    entry.claims += 1;
    entry.amount += amount;
    &entry.payment
}

/// The id of `payee`'s payment in a run for `period`.
fn payment_id(period: &Period, taken: &HashSet<String>, kind: PayeeKind, payee: &str) -> String {
    free_id(taken, &format!("{}/{}/{payee}", period.text, kind.as_str()))
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
        let taken: HashSet<String> = ["2025-03/member/M2".to_string()].into();
        let mut plan = PaymentPlan::new(period, taken);
        assert!(plan.is_empty());
        let facility_only = ClaimPayments {
            facility: "2025-03/provider/H2",
            patient: None,
        };
        assert_eq!(plan.add(&claim("H2", "M1", 100, 0)), facility_only);
        let both = ClaimPayments {
            facility: "2025-03/provider/H1",
            patient: Some("2025-03/member/M1"),
        };
        assert_eq!(plan.add(&claim("H1", "M1", 50, 10)), both);
        // M2 was paid by an earlier run of the month: this run's payment is the second.
        let numbered = ClaimPayments {
            facility: "2025-03/provider/H2",
            patient: Some("2025-03/member/M2/2"),
        };
        assert_eq!(plan.add(&claim("H2", "M2", 30, 5)), numbered);
        assert!(!plan.is_empty());
        let summary: Vec<(String, PayeeKind, u64, Money)> = (plan.finish(&[]).into_iter())
            .map(|p| (p.id, p.payee_kind, p.claims, p.amount))
            .collect();
        let expected = [
            ("2025-03/provider/H1", PayeeKind::Provider, 1, 50),
            ("2025-03/provider/H2", PayeeKind::Provider, 2, 130),
            ("2025-03/member/M1", PayeeKind::Member, 1, 10),
            ("2025-03/member/M2/2", PayeeKind::Member, 1, 5),
        ]
        .map(|(id, kind, claims, units)| (id.to_string(), kind, claims, Money::from_units(units)));
        assert_eq!(summary, expected);
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
        let planned_with = |refunds: &[Refundable]| {
            let mut plan = PaymentPlan::new(period.clone(), HashSet::new());
            plan.add(&claim("H1", 100, 10));
            plan.add(&claim("H2", 30, 0));
            plan.finish(refunds)
        };
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
        let planned = planned_with(&refunds);
        let summary: Vec<(&str, u64, Vec<usize>, Money)> = planned
            .iter()
            .map(|p| (p.id.as_str(), p.claims, p.refunds.clone(), p.amount))
            .collect();
        assert_eq!(
            summary,
            [
                ("2025-03/provider/H1", 1, vec![0], units(40)),
                ("2025-03/provider/H2", 1, vec![3], units(0)),
                ("2025-03/member/M1", 1, vec![1], units(60)),
                ("2025-03/member/M2", 0, vec![0], units(60)),
                ("2025-03/member/M3", 0, vec![2], units(5)),
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
        let alone = PaymentPlan::new(period, HashSet::new()).finish(&refunds[..1]);
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
