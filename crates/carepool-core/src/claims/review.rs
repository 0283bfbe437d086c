//! Medical review: which claims the scheme's rules send to a reviewer, and what the reviewer's
//! decision does to the amounts.

use super::reasons::{Figure, Reason, ReasonCode as R, words};
use super::usage::UsageKey;
use super::verify::LineDecision;
use super::{Amounts, Claim, ClaimRecord, ClaimStatus};
use crate::access::same_hands;
use crate::money::Money;
use crate::scheme::{BenefitPackage, CostSharing, ReviewRules};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The review reasons that hold for a claim (empty: no review).
pub fn selection(claim: &Claim, claimed: Money, rules: &ReviewRules) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if let Some(share) = rules.random_percent {
        let draw = stable_hash(claim.id().as_bytes()) % 10_000;
        if draw < u64::from(share.basis_points()) {
            reasons.push(Reason::claim(
                R::ReviewRandom,
                words(
                    "review_random",
                    [("share", Figure::percent(share.basis_points()))],
                ),
                format!(
                    "drawn in the {}.{:02}% random sample",
                    share.basis_points() / 100,
                    share.basis_points() % 100
                ),
            ));
        }
    }
    if let Some(threshold) = rules.amount_above
        && claimed > threshold
    {
        reasons.push(Reason::claim(
            R::ReviewAmount,
            words(
                "review_amount",
                [
                    ("claimed", Figure::Amount(claimed)),
                    ("threshold", Figure::Amount(threshold)),
                ],
            ),
            format!(
                "claimed {}, above the review threshold of {}",
                claimed.grouped(),
                threshold.grouped()
            ),
        ));
    }
    let specialty = claim
        .specialty
        .as_deref()
        .unwrap_or(&claim.clinical_category);
    let norm = rules
        .norms
        .iter()
        .find(|n| n.specialty == specialty)
        .or_else(|| {
            rules
                .norms
                .iter()
                .find(|n| n.specialty == claim.clinical_category)
        });
    if let (Some(norm), Some(factor)) = (norm, rules.norm_factor) {
        if let (Some(days), Some(norm_days)) = (claim.length_of_stay(), norm.length_of_stay_days)
            && days as f64 > factor * f64::from(norm_days)
        {
            reasons.push(Reason::claim(
                R::ReviewLengthOfStay,
                words(
                    "review_length_of_stay",
                    [
                        ("days", Figure::Count(days)),
                        ("factor", Figure::Number(factor.to_string())),
                        ("norm", Figure::Count(norm_days.into())),
                        ("specialty", Figure::text(&norm.specialty)),
                    ],
                ),
                format!(
                    "{days} days in hospital, more than {factor} times the norm of {norm_days} for {}",
                    norm.specialty
                ),
            ));
        }
        if let Some(norm_cost) = norm.cost
            && claimed.minor() as f64 > factor * norm_cost.minor() as f64
        {
            reasons.push(Reason::claim(
                R::ReviewCost,
                words(
                    "review_cost",
                    [
                        ("claimed", Figure::Amount(claimed)),
                        ("factor", Figure::Number(factor.to_string())),
                        ("norm", Figure::Amount(norm_cost)),
                        ("specialty", Figure::text(&norm.specialty)),
                    ],
                ),
                format!(
                    "claimed {}, more than {factor} times the norm of {} for {}",
                    claimed.grouped(),
                    norm_cost.grouped(),
                    norm.specialty
                ),
            ));
        }
    }
    reasons
}

/// FNV-1a: a fixed hash, so the random sample is the same on every machine and every run.
fn stable_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// What a medical reviewer decides on a claim in review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "decision", rename_all = "snake_case")]
pub enum ReviewAction {
    /// The amounts stand.
    Approve,
    /// The scheme pays `approved` (no more than it would have).
    Adjust { approved: Money },
    /// The scheme pays nothing.
    Reject,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewError {
    #[error("claim {0} is {1}, not in review")]
    NotInReview(String, ClaimStatus),
    #[error("an adjusted amount of {adjusted} is above the {approved} approved before review")]
    AboveApproved { adjusted: Money, approved: Money },
    #[error("an adjusted amount cannot be negative")]
    Negative,
    #[error("a review needs a note saying why")]
    NoNote,
    #[error("claim {id} was received or submitted by {user}: another reviewer must decide it")]
    OwnClaim { id: String, user: String },
    #[error(
        "claim {0} is held as a probable duplicate: reject it, or approve or adjust it only if it is not one (--not-duplicate; \"not_duplicate\": true in the API)"
    )]
    ProbableDuplicate(String),
}

/// A claim held as a probable duplicate is paid only when its reviewer says it is not one:
/// approving the second claim of a stay pays the stay twice. Returns the note as kept with the
/// decision, which says so when the reviewer did.
pub fn duplicate_note(
    id: &str,
    status: ClaimStatus,
    reason_codes: &[R],
    action: &ReviewAction,
    not_duplicate: bool,
    note: &str,
) -> Result<String, ReviewError> {
    // A claim out of review is refused as such by `apply_review`.
    let flagged = status == ClaimStatus::InReview && reason_codes.contains(&R::DuplicateClaim);
    let pays = !matches!(action, ReviewAction::Reject);
    match (flagged && pays, not_duplicate) {
        (true, false) => Err(ReviewError::ProbableDuplicate(id.to_string())),
        (true, true) => Ok(format!("not a duplicate: {note}")),
        (false, _) => Ok(note.to_string()),
    }
}

/// Segregation of duties: nobody reviews a claim they received or submitted (see
/// [`same_hands`]).
pub fn check_reviewer(
    id: &str,
    reviewer: &str,
    received_by: Option<&str>,
) -> Result<(), ReviewError> {
    match received_by {
        Some(receiver) if same_hands(receiver, reviewer) => Err(ReviewError::OwnClaim {
            id: id.to_string(),
            user: receiver.to_string(),
        }),
        _ => Ok(()),
    }
}

/// The claim after review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reviewed {
    pub status: ClaimStatus,
    pub amounts: Amounts,
    pub allowance: Money,
    pub lines: Vec<Amounts>,
    pub reason: Reason,
    /// Per line, the approved amount given back to the annual limit.
    pub released: Vec<Money>,
}

/// Applies a reviewer's decision. An adjustment takes the cut from the last lines first; a
/// rejection refuses everything, allowances included.
pub fn apply_review(
    id: &str,
    status: ClaimStatus,
    lines: &[Amounts],
    allowance: Money,
    action: &ReviewAction,
    note: &str,
) -> Result<Reviewed, ReviewError> {
    if status != ClaimStatus::InReview {
        return Err(ReviewError::NotInReview(id.to_string(), status));
    }
    if note.trim().is_empty() {
        return Err(ReviewError::NoNote);
    }
    let approved: Money = lines.iter().map(|l| l.approved).sum();
    let mut new_lines = lines.to_vec();
    let mut released = vec![Money::ZERO; lines.len()];
    let mut new_allowance = allowance;
    let reason = match action {
        ReviewAction::Approve => Reason::claim(
            R::ReviewApproved,
            words("review_approved", [("note", Figure::text(note))]),
            format!("approved on review: {note}"),
        ),
        ReviewAction::Adjust { approved: target } => {
            if target.is_negative() {
                return Err(ReviewError::Negative);
            }
            if *target > approved {
                return Err(ReviewError::AboveApproved {
                    adjusted: *target,
                    approved,
                });
            }
            let mut to_cut = approved - *target;
            for (line, freed) in new_lines.iter_mut().zip(released.iter_mut()).rev() {
                let cut = line.approved.min(to_cut);
                line.approved -= cut;
                line.rejected += cut;
                *freed = cut;
                to_cut -= cut;
            }
            Reason::claim(
                R::ReviewAdjusted,
                words(
                    "review_adjusted",
                    [
                        ("cut", Figure::Amount(approved - *target)),
                        ("approved", Figure::Amount(*target)),
                        ("before", Figure::Amount(approved)),
                        ("note", Figure::text(note)),
                    ],
                ),
                format!(
                    "cut by {} on review (approved {} instead of {}): {note}",
                    (approved - *target).grouped(),
                    target.grouped(),
                    approved.grouped()
                ),
            )
            .with_amount(approved - *target)
        }
        ReviewAction::Reject => {
            for (line, freed) in new_lines.iter_mut().zip(released.iter_mut()) {
                *freed = line.approved;
                line.rejected += line.approved + line.member_share;
                line.approved = Money::ZERO;
                line.member_share = Money::ZERO;
            }
            new_allowance = Money::ZERO;
            Reason::claim(
                R::ReviewRejected,
                words("review_rejected", [("note", Figure::text(note))]),
                format!("rejected on review: {note}"),
            )
            .with_amount(approved)
        }
    };
    let amounts: Amounts = new_lines.iter().copied().sum();
    Ok(Reviewed {
        status: ClaimStatus::from_amounts(amounts.approved, amounts.member_share, amounts.rejected),
        amounts,
        allowance: new_allowance,
        lines: new_lines,
        reason,
        released,
    })
}

/// Why a claim cannot be reopened on appeal.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppealError {
    #[error(
        "claim {0} is {1}: an appeal reopens a claim decided (approved, partially approved or \
         rejected), not one waiting for a decision or paid"
    )]
    NotDecided(String, ClaimStatus),
    #[error("claim {0} is held by a payment run ({1}): an appeal reopens a claim no run has taken")]
    InRun(String, String),
}

/// Reopens a decided claim on an upheld appeal: back to `received`, its lines unjudged, for
/// the next adjudication run to judge again under the rules of its date of service. Its
/// reasons so far (`history`: the codes of every reason it was given, earlier decisions'
/// included) stay, and one more records the decision it had, the appeal and the note (kept as
/// the claim's review note). While it waits, its codes are that history, so the next decision
/// numbers its reasons after them; once decided, it carries that decision's codes only.
pub fn reopen_on_appeal(
    record: &mut ClaimRecord,
    history: Vec<R>,
    grievance: &str,
    note: &str,
) -> Result<Reopened, AppealError> {
    let id = record.claim.id();
    if !matches!(
        record.status,
        ClaimStatus::Approved | ClaimStatus::PartiallyApproved | ClaimStatus::Rejected
    ) {
        return Err(AppealError::NotDecided(id, record.status));
    }
    if let Some(batch) = (record.payment_batch.as_ref()).or(record.allowance_batch.as_ref()) {
        return Err(AppealError::InRun(id, batch.clone()));
    }
    let reason = appeal_reason(grievance, record.status, record.amounts, note);
    let claimed = record.amounts.claimed;
    record.reason_codes = history;
    record.reason_codes.push(R::AppealReopened);
    let released = (record.line_decisions.iter())
        .map(|line| line.amounts.approved)
        .collect();
    record.status = ClaimStatus::Received;
    record.amounts = Amounts {
        claimed,
        ..Amounts::default()
    };
    record.allowance = Money::ZERO;
    record.line_decisions = record
        .claim
        .lines
        .iter()
        .map(LineDecision::unjudged)
        .collect();
    record.decided_date = None;
    record.review_note = Some(format!("appeal {grievance} upheld: {note}"));
    record.reviewed_by = None;
    Ok(Reopened { reason, released })
}

/// A claim reopened on appeal: the reason it now carries, and what each line had approved
/// (to give back to the annual limits before the new decision counts again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reopened {
    pub reason: Reason,
    pub released: Vec<Money>,
}

/// The reason a claim reopened on appeal carries: the decision it had, and why it reopened.
fn appeal_reason(grievance: &str, was: ClaimStatus, amounts: Amounts, note: &str) -> Reason {
    Reason::claim(
        R::AppealReopened,
        words(
            "appeal_reopened",
            [
                ("grievance", Figure::text(grievance)),
                ("status", Figure::text(was.as_str())),
                ("approved", Figure::Amount(amounts.approved)),
                ("claimed", Figure::Amount(amounts.claimed)),
                ("note", Figure::text(note)),
            ],
        ),
        format!(
            "reopened on appeal {grievance}: it was {was}, {} approved of {} claimed: {note}",
            amounts.approved.grouped(),
            amounts.claimed.grouped()
        ),
    )
}

/// What a review gives back to the annual limits, by the key each line's approved amount was
/// counted under: `released` per line, from [`Reviewed::released`], in the claim's package.
pub fn released_usage(
    package: &BenefitPackage,
    family_id: &str,
    member_id: &str,
    year_start: NaiveDate,
    lines: &[LineDecision],
    released: &[Money],
) -> BTreeMap<UsageKey, Money> {
    let mut by_key = BTreeMap::new();
    for (line, freed) in lines.iter().zip(released) {
        let limited = line
            .benefit_category
            .as_deref()
            .and_then(|code| package.categories.iter().find(|c| c.code == code))
            .and_then(|category| Some((category, category.limit.as_ref()?)));
        if let Some((category, limit)) = limited
            && *freed > Money::ZERO
        {
            let key = UsageKey::limit(limit.per, family_id, member_id, &category.code, year_start);
            *by_key.entry(key).or_default() += *freed;
        }
    }
    by_key
}

/// What a decision's lines took of their member's deductibles, by the key each was counted
/// under: a line's member share in a category whose cost sharing is a deductible is all
/// deductible. A claim decided again gives it back first, or its member would be charged the
/// deductible once and the scheme pay as if it had been twice.
pub fn deductibles_taken(
    package: &BenefitPackage,
    family_id: &str,
    member_id: &str,
    year_start: NaiveDate,
    lines: &[LineDecision],
) -> BTreeMap<UsageKey, Money> {
    let mut by_key = BTreeMap::new();
    for line in lines {
        let category = (line.benefit_category.as_deref())
            .and_then(|code| package.categories.iter().find(|c| c.code == code));
        if let Some(category) = category
            && matches!(category.cost_sharing, CostSharing::Deductible { .. })
            && line.amounts.member_share > Money::ZERO
        {
            let key = UsageKey::member(family_id, member_id, &category.code, year_start);
            *by_key.entry(key).or_default() += line.amounts.member_share;
        }
    }
    by_key
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::ClaimLine;
    use crate::scheme::{Percent, ReviewNorm};

    /// A stay of two lines (1,000 and 500 claimed), decided as `status` with `approved` per line.
    fn decided(status: ClaimStatus, approved: [i64; 2]) -> ClaimRecord {
        let line = |code: &str, price| ClaimLine {
            service_code: code.into(),
            quantity: 1,
            unit_price: Money::from_units(price),
        };
        let claim = Claim {
            provider_id: "H1".into(),
            claim_number: "7".into(),
            member_id: "M1".into(),
            visit_date: None,
            admission_date: Some("2025-06-01".parse().unwrap()),
            discharge_date: Some("2025-06-03".parse().unwrap()),
            diagnosis_codes: vec!["K40.9".into()],
            clinical_category: "surgical".into(),
            specialty: None,
            limit_raising_case: None,
            copay_collected: Money::ZERO,
            received_date: "2025-06-10".parse().unwrap(),
            lines: vec![line("SURG", 1_000), line("DRUGS", 500)],
        };
        let mut record = ClaimRecord::received(claim, Some("F1".into()), "desk");
        for (decision, approved) in record.line_decisions.iter_mut().zip(approved) {
            let approved = Money::from_units(approved);
            decision.amounts.rejected = decision.amounts.claimed - approved;
            decision.amounts.approved = approved;
        }
        record.amounts = record.line_decisions.iter().map(|l| l.amounts).sum();
        record.status = status;
        record.reason_codes = vec![R::NotCovered];
        record.decided_date = Some("2025-06-11".parse().unwrap());
        record.reviewed_by = Some("doc".into());
        record
    }

    #[test]
    fn an_upheld_appeal_reopens_a_decided_claim_keeping_what_it_was() {
        let mut record = decided(ClaimStatus::PartiallyApproved, [1_000, 0]);
        let history = vec![R::NotCovered];
        let reopened =
            reopen_on_appeal(&mut record, history, "G-20261204-001", "cover restored").unwrap();
        assert_eq!(
            reopened.released,
            [Money::from_units(1_000), Money::ZERO],
            "what each line had approved goes back to the limits"
        );
        assert_eq!(reopened.reason.code, R::AppealReopened);
        assert_eq!(
            reopened.reason.message,
            "reopened on appeal G-20261204-001: it was partially_approved, 1,000.00 approved \
             of 1,500.00 claimed: cover restored"
        );
        assert_eq!(record.status, ClaimStatus::Received);
        assert_eq!(record.reason_codes, [R::NotCovered, R::AppealReopened]);
        assert_eq!(
            (
                record.amounts.claimed,
                record.amounts.approved,
                record.amounts.rejected
            ),
            (Money::from_units(1_500), Money::ZERO, Money::ZERO)
        );
        assert!(
            record
                .line_decisions
                .iter()
                .all(|l| l.amounts.approved == Money::ZERO)
        );
        assert_eq!(
            (record.decided_date, record.reviewed_by.as_deref()),
            (None, None)
        );
        assert_eq!(
            record.review_note.as_deref(),
            Some("appeal G-20261204-001 upheld: cover restored")
        );
    }

    #[test]
    fn only_a_decided_claim_no_run_has_taken_is_reopened() {
        for status in [
            ClaimStatus::Received,
            ClaimStatus::InReview,
            ClaimStatus::Paid,
        ] {
            let mut record = decided(status, [0, 0]);
            let refused = reopen_on_appeal(&mut record, vec![], "G-1", "x").unwrap_err();
            assert_eq!(refused, AppealError::NotDecided("H1/7".into(), status));
            assert_eq!(record.status, status, "left as it was");
        }
        let mut held = decided(ClaimStatus::Approved, [1_000, 500]);
        held.payment_batch = Some("2025-06/provider/H1".into());
        let refused = reopen_on_appeal(&mut held, vec![], "G-1", "x").unwrap_err();
        assert!(
            refused
                .to_string()
                .contains("held by a payment run (2025-06/provider/H1)")
        );
        let mut rejected = decided(ClaimStatus::Rejected, [0, 0]);
        assert!(reopen_on_appeal(&mut rejected, vec![], "G-1", "x").is_ok());
    }

    #[test]
    fn a_probable_duplicate_is_paid_only_when_its_reviewer_says_it_is_not_one() {
        let flagged = [R::DuplicateClaim];
        let adjust = ReviewAction::Adjust {
            approved: Money::from_units(5000),
        };
        for action in [&ReviewAction::Approve, &adjust] {
            assert_eq!(
                duplicate_note(
                    "H1/2",
                    ClaimStatus::InReview,
                    &flagged,
                    action,
                    false,
                    "fine"
                ),
                Err(ReviewError::ProbableDuplicate("H1/2".into()))
            );
            assert_eq!(
                duplicate_note(
                    "H1/2",
                    ClaimStatus::InReview,
                    &flagged,
                    action,
                    true,
                    "another stay"
                )
                .unwrap(),
                "not a duplicate: another stay"
            );
        }
        assert_eq!(
            duplicate_note(
                "H1/2",
                ClaimStatus::InReview,
                &flagged,
                &ReviewAction::Reject,
                false,
                "same stay"
            )
            .unwrap(),
            "same stay"
        );
        assert_eq!(
            duplicate_note(
                "H1/2",
                ClaimStatus::InReview,
                &[R::ReviewAmount],
                &ReviewAction::Approve,
                false,
                "ok"
            )
            .unwrap(),
            "ok"
        );
        // Out of review, the claim is refused as such by `apply_review`, not here.
        assert!(
            duplicate_note(
                "H1/2",
                ClaimStatus::Rejected,
                &flagged,
                &ReviewAction::Approve,
                false,
                "again"
            )
            .is_ok()
        );
    }

    fn m(units: i64) -> Money {
        Money::from_units(units)
    }

    fn claim(number: &str, days: i64, specialty: &str) -> Claim {
        let admission: chrono::NaiveDate = "2025-05-01".parse().unwrap();
        Claim {
            provider_id: "H1".into(),
            claim_number: number.into(),
            member_id: "M1".into(),
            visit_date: None,
            admission_date: Some(admission),
            discharge_date: Some(admission + chrono::Days::new(days as u64)),
            diagnosis_codes: vec!["K35".into()],
            clinical_category: "surgical".into(),
            specialty: Some(specialty.into()),
            limit_raising_case: None,
            copay_collected: Money::ZERO,
            received_date: "2025-06-01".parse().unwrap(),
            lines: vec![],
        }
    }

    fn codes(reasons: &[Reason]) -> Vec<R> {
        reasons.iter().map(|r| r.code).collect()
    }

    #[test]
    fn nobody_reviews_a_claim_they_received_but_the_machine_account() {
        assert_eq!(
            check_reviewer("H1/C1", "awa", Some("awa")),
            Err(ReviewError::OwnClaim {
                id: "H1/C1".into(),
                user: "awa".into()
            })
        );
        assert_eq!(
            check_reviewer("H1/C1", "awa", Some("awa"))
                .unwrap_err()
                .to_string(),
            "claim H1/C1 was received or submitted by awa: another reviewer must decide it"
        );
        assert_eq!(check_reviewer("H1/C1", "awa", Some("ben")), Ok(()));
        assert_eq!(
            check_reviewer("H1/C1", "awa", None),
            Ok(()),
            "received before it was kept"
        );
        assert_eq!(
            check_reviewer("H1/C1", "cli:root", Some("cli:root")),
            Ok(())
        );
        assert_eq!(
            check_reviewer("H1/C1", "cli", Some("cli")),
            Err(ReviewError::OwnClaim {
                id: "H1/C1".into(),
                user: "cli".into()
            }),
            "a user named like the prefix is still a user"
        );
    }

    #[test]
    fn the_random_sample_takes_about_its_share_and_always_the_same_claims() {
        let rules = ReviewRules {
            random_percent: Some(Percent::from_basis_points(1_000)),
            ..ReviewRules::default()
        };
        let drawn: Vec<bool> = (0..10_000)
            .map(|i| !selection(&claim(&i.to_string(), 2, "x"), m(1), &rules).is_empty())
            .collect();
        let share = drawn.iter().filter(|d| **d).count();
        assert!((900..1_100).contains(&share), "{share} of 10,000 drawn");
        let again: Vec<bool> = (0..10_000)
            .map(|i| !selection(&claim(&i.to_string(), 2, "x"), m(1), &rules).is_empty())
            .collect();
        assert_eq!(drawn, again);
    }

    #[test]
    fn claims_above_the_threshold_or_far_above_the_norm_go_to_review() {
        let rules = ReviewRules {
            random_percent: None,
            amount_above: Some(m(100_000)),
            norm_factor: Some(2.0),
            norms: vec![ReviewNorm {
                specialty: "general_surgery".into(),
                length_of_stay_days: Some(4),
                cost: Some(m(20_000)),
            }],
        };
        let usual = claim("1", 8, "general_surgery");
        assert!(selection(&usual, m(40_000), &rules).is_empty());
        let long = claim("2", 9, "general_surgery");
        assert_eq!(
            codes(&selection(&long, m(40_000), &rules)),
            [R::ReviewLengthOfStay]
        );
        assert_eq!(
            codes(&selection(&usual, m(40_000) + Money::from_minor(1), &rules)),
            [R::ReviewCost]
        );
        assert_eq!(
            codes(&selection(&usual, m(100_001), &rules)),
            [R::ReviewAmount, R::ReviewCost]
        );
        // Another specialty has no norm.
        assert!(selection(&claim("3", 30, "cardiology"), m(40_000), &rules).is_empty());
    }

    fn in_review_lines() -> Vec<Amounts> {
        vec![
            Amounts {
                claimed: m(100),
                approved: m(80),
                member_share: m(20),
                rejected: m(0),
            },
            Amounts {
                claimed: m(50),
                approved: m(40),
                member_share: m(0),
                rejected: m(10),
            },
        ]
    }

    #[test]
    fn an_adjustment_cuts_the_last_lines_first_and_releases_the_limit() {
        let reviewed = apply_review(
            "H1/1",
            ClaimStatus::InReview,
            &in_review_lines(),
            m(5),
            &ReviewAction::Adjust { approved: m(70) },
            "stay longer than needed",
        )
        .unwrap();
        assert_eq!(reviewed.released, [m(10), m(40)]);
        assert_eq!(reviewed.amounts.approved, m(70));
        assert_eq!(reviewed.amounts.rejected, m(60));
        assert_eq!(reviewed.status, ClaimStatus::PartiallyApproved);
        assert_eq!(reviewed.allowance, m(5));
        assert!(reviewed.lines.iter().all(Amounts::balanced));
        assert_eq!(reviewed.reason.code, R::ReviewAdjusted);
    }

    #[test]
    fn a_rejection_refuses_everything_and_approval_keeps_the_amounts() {
        let lines = in_review_lines();
        let rejected = apply_review(
            "H1/1",
            ClaimStatus::InReview,
            &lines,
            m(5),
            &ReviewAction::Reject,
            "not medically necessary",
        )
        .unwrap();
        assert_eq!(rejected.status, ClaimStatus::Rejected);
        assert_eq!(rejected.amounts.rejected, m(150));
        assert_eq!(rejected.allowance, Money::ZERO);
        assert_eq!(rejected.released, [m(80), m(40)]);

        let approved = apply_review(
            "H1/1",
            ClaimStatus::InReview,
            &lines,
            m(5),
            &ReviewAction::Approve,
            "justified",
        )
        .unwrap();
        assert_eq!(approved.lines, lines);
        assert_eq!(approved.status, ClaimStatus::PartiallyApproved);
    }

    #[test]
    fn released_amounts_go_back_to_the_limit_they_were_counted_under() {
        let package = &crate::scheme::tests::minimal_scheme().packages[0];
        let year: NaiveDate = "2025-01-01".parse().unwrap();
        let line = |category: Option<&str>| LineDecision {
            amounts: Amounts::default(),
            benefit_category: category.map(String::from),
            tariff_price: None,
        };
        let lines = [line(Some("ip")), line(Some("ip")), line(None)];
        let released = released_usage(package, "F1", "M1", year, &lines, &[m(10), m(5), m(7)]);
        let family_key = UsageKey::member("F1", "", "ip", year);
        assert_eq!(
            released.into_iter().collect::<Vec<_>>(),
            [(family_key, m(15))]
        );
    }

    #[test]
    fn a_members_share_under_a_deductible_is_what_the_claim_took_of_it() {
        let mut package = crate::scheme::tests::minimal_scheme().packages[0].clone();
        let year: NaiveDate = "2025-01-01".parse().unwrap();
        let line = |category: &str, share: i64| LineDecision {
            amounts: Amounts {
                member_share: m(share),
                ..Amounts::default()
            },
            benefit_category: Some(category.into()),
            tariff_price: None,
        };
        let lines = [line("ip", 30), line("ip", 20), line("ip", 0)];
        assert!(
            deductibles_taken(&package, "F1", "M1", year, &lines).is_empty(),
            "no deductible in the category: nothing taken"
        );
        package.categories[0].cost_sharing = CostSharing::Deductible { amount: m(100) };
        let taken = deductibles_taken(&package, "F1", "M1", year, &lines);
        assert_eq!(
            taken.into_iter().collect::<Vec<_>>(),
            [(UsageKey::member("F1", "M1", "ip", year), m(50))]
        );
    }

    #[test]
    fn a_review_is_refused_on_a_decided_claim_above_the_approved_amount_or_without_a_note() {
        let lines = in_review_lines();
        let review = |status, action: ReviewAction, note: &str| {
            apply_review("H1/1", status, &lines, m(0), &action, note).unwrap_err()
        };
        assert_eq!(
            review(ClaimStatus::Approved, ReviewAction::Approve, "ok"),
            ReviewError::NotInReview("H1/1".into(), ClaimStatus::Approved)
        );
        assert!(matches!(
            review(
                ClaimStatus::InReview,
                ReviewAction::Adjust { approved: m(121) },
                "ok"
            ),
            ReviewError::AboveApproved { .. }
        ));
        assert_eq!(
            review(ClaimStatus::InReview, ReviewAction::Approve, " "),
            ReviewError::NoNote
        );
    }
}
