//! A member who died or left before the care a decided claim is for: when the death or the exit
//! is recorded after the claim was approved, the claim is held for a reviewer instead of paid.
//! New claims for such care are refused at adjudication (`member_deceased`, `member_inactive`).

use crate::claims::ClaimStatus;
use crate::claims::reasons::{Figure, Reason, ReasonCode, words};
use crate::registry::MemberStatus;
use chrono::NaiveDate;

/// Whether a member of `status` has died or left the scheme.
pub fn has_gone(status: MemberStatus) -> bool {
    matches!(status, MemberStatus::Inactive | MemberStatus::Deceased)
}

/// Whether a member of `status` since `since` had died or left by `date`.
pub fn gone_by(status: MemberStatus, since: NaiveDate, date: NaiveDate) -> bool {
    has_gone(status) && date >= since
}

/// What a member's death or exit does to one of their claims.
pub struct ExitedClaim<'a> {
    pub member_id: &'a str,
    pub member_status: MemberStatus,
    pub since: NaiveDate,
    pub status: ClaimStatus,
    /// Already held for a payment run (proposed or released): the run decides.
    pub in_run: bool,
    /// Held for this reason before: a reviewer has decided it since, and that stands.
    pub held_before: bool,
    /// The first day of care.
    pub service: NaiveDate,
}

impl ExitedClaim<'_> {
    /// The reason to hold the claim for review: approved and not yet in a run, for care on or
    /// after the death or exit.
    pub fn hold(&self) -> Option<Reason> {
        if !self.status.payable()
            || self.in_run
            || self.held_before
            || !gone_by(self.member_status, self.since, self.service)
        {
            return None;
        }
        let (what, id) = match self.member_status {
            MemberStatus::Deceased => ("died", "after_death"),
            _ => ("left the scheme", "after_exit"),
        };
        Some(Reason::claim(
            ReasonCode::AfterExit,
            words(
                id,
                [
                    ("member", Figure::text(self.member_id)),
                    ("since", Figure::Date(self.since)),
                    ("service", Figure::Date(self.service)),
                ],
            ),
            format!(
                "member {} {what} on {}, on or before the care began ({}): held for review",
                self.member_id, self.since, self.service
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn claim(member_status: MemberStatus, service: &str) -> ExitedClaim<'static> {
        ExitedClaim {
            member_id: "M1",
            member_status,
            since: date("2025-06-10"),
            status: ClaimStatus::Approved,
            in_run: false,
            held_before: false,
            service: date(service),
        }
    }

    #[test]
    fn an_approved_claim_for_care_from_the_day_of_death_or_exit_is_held() {
        let held = claim(MemberStatus::Deceased, "2025-06-10").hold().unwrap();
        assert_eq!(held.code, ReasonCode::AfterExit);
        assert_eq!(
            held.message,
            "member M1 died on 2025-06-10, on or before the care began (2025-06-10): held for review"
        );
        assert!(
            claim(MemberStatus::Inactive, "2025-07-01")
                .hold()
                .unwrap()
                .message
                .contains("left the scheme on 2025-06-10")
        );
    }

    #[test]
    fn care_before_the_exit_a_living_member_or_a_claim_not_payable_is_left_alone() {
        assert!(claim(MemberStatus::Deceased, "2025-06-09").hold().is_none());
        assert!(claim(MemberStatus::Active, "2025-07-01").hold().is_none());
        assert!(claim(MemberStatus::Pending, "2025-07-01").hold().is_none());
        let mut in_run = claim(MemberStatus::Deceased, "2025-07-01");
        in_run.in_run = true;
        assert!(in_run.hold().is_none());
        // Approved by a reviewer after it was held: not held again.
        let mut reviewed = claim(MemberStatus::Deceased, "2025-07-01");
        reviewed.held_before = true;
        assert!(reviewed.hold().is_none());
        for status in [
            ClaimStatus::Received,
            ClaimStatus::InReview,
            ClaimStatus::Rejected,
            ClaimStatus::Paid,
        ] {
            let mut decided = claim(MemberStatus::Deceased, "2025-07-01");
            decided.status = status;
            assert!(decided.hold().is_none(), "{status:?}");
        }
        let mut partly = claim(MemberStatus::Deceased, "2025-07-01");
        partly.status = ClaimStatus::PartiallyApproved;
        assert!(partly.hold().is_some());
    }
}
