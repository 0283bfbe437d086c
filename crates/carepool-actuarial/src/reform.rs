//! A reform priced on the scheme's own claims: the experience period's claims judged twice, under
//! the rules in force and under the proposal, and each line's change as the two factors the
//! projection takes:
//!
//! - incidence factor = claims paid on under the proposal / claims paid on under the rules
//!   (a claim is paid on unless it is refused whole, as the experience study counts it);
//! - average cost factor = (cost / claims paid on) under the proposal over the same under the
//!   rules, the cost being what the scheme owes (the approved amount).
//!
//! Their product is the line's cost under the proposal over its cost under the rules.
//! docs/PROJECTION.md, "A reform priced on the scheme's own claims".

use carepool_core::Money;
use carepool_core::claims::Amounts;
use serde::Serialize;

/// What one set of rules made of a line's claims.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Outcome {
    pub claims: u64,
    /// Claims not refused whole: the ones the incidence counts.
    pub paid_on: u64,
    /// Claims refused whole.
    pub rejected_claims: u64,
    pub claimed: Money,
    /// What the scheme owes the facilities.
    pub approved: Money,
    pub member_share: Money,
    pub rejected: Money,
}

impl Outcome {
    /// Counts one claim's decision in.
    pub fn add(&mut self, refused_whole: bool, amounts: &Amounts) {
        self.claims += 1;
        if refused_whole {
            self.rejected_claims += 1;
        } else {
            self.paid_on += 1;
        }
        self.claimed += amounts.claimed;
        self.approved += amounts.approved;
        self.member_share += amounts.member_share;
        self.rejected += amounts.rejected;
    }

    pub fn absorb(&mut self, other: &Outcome) {
        self.claims += other.claims;
        self.paid_on += other.paid_on;
        self.rejected_claims += other.rejected_claims;
        self.claimed += other.claimed;
        self.approved += other.approved;
        self.member_share += other.member_share;
        self.rejected += other.rejected;
    }

    /// The approved amount per claim paid on, in minor units; none without such a claim.
    fn average_cost(&self) -> Option<f64> {
        (self.paid_on > 0).then(|| self.approved.minor() as f64 / self.paid_on as f64)
    }
}

/// A line's claims under the rules and under the proposal, and the factors between them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReformLine {
    /// As the projection's base table names it: `CATEGORY SPECIALTY`, or `CATEGORY`.
    pub line: String,
    pub rules: Outcome,
    pub proposal: Outcome,
    /// Claims whose status, approved amount or member share differ between the two.
    pub changed_claims: u64,
    pub incidence_factor: Option<f64>,
    pub average_cost_factor: Option<f64>,
}

impl ReformLine {
    pub fn new(line: String, rules: Outcome, proposal: Outcome, changed_claims: u64) -> ReformLine {
        let (incidence_factor, average_cost_factor) = factors(&rules, &proposal);
        ReformLine {
            line,
            rules,
            proposal,
            changed_claims,
            incidence_factor,
            average_cost_factor,
        }
    }
}

/// The incidence and average cost factors from the rules' outcome to the proposal's. A line
/// the rules paid nothing on has neither (the proposal makes it a new benefit, which a factor
/// cannot scale); a line the proposal pays nothing on has incidence factor 0 and average cost
/// factor 1 (nothing is left to cost).
pub fn factors(rules: &Outcome, proposal: &Outcome) -> (Option<f64>, Option<f64>) {
    let Some(before) = rules.average_cost() else {
        return (None, None);
    };
    let incidence = proposal.paid_on as f64 / rules.paid_on as f64;
    let cost = match proposal.average_cost() {
        None => 1.0,
        // A line the rules paid on at no cost: only no change can be said.
        Some(after) if before == 0.0 => {
            if after == 0.0 {
                1.0
            } else {
                return (Some(incidence), None);
            }
        }
        Some(after) => after / before,
    };
    (Some(incidence), Some(cost))
}

/// Why no factor scales a line the rules paid nothing on and the proposal pays on: it is a new
/// benefit.
pub fn new_benefit(rules_paid_on: u64, proposal_paid_on: u64) -> String {
    let before = match rules_paid_on {
        0 => "the rules paid on none of its claims".to_string(),
        n => format!("the rules paid nothing on its {n} claims"),
    };
    format!(
        "{before} and the proposal pays on {proposal_paid_on}: a new benefit, which no factor scales; price it under [[new_benefits]]"
    )
}

/// A base-table line's name from a claim's clinical category and specialty, as the experience
/// study's lines are named in the projection.
pub fn line_name(category: &str, specialty: Option<&str>) -> String {
    match specialty.filter(|s| !s.is_empty()) {
        Some(specialty) => format!("{category} {specialty}"),
        None => category.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(units: i64) -> Money {
        Money::from_units(units)
    }

    fn outcome(claims: &[(bool, i64, i64, i64)]) -> Outcome {
        let mut outcome = Outcome::default();
        for &(refused, claimed, approved, share) in claims {
            let amounts = Amounts {
                claimed: m(claimed),
                approved: m(approved),
                member_share: m(share),
                rejected: m(claimed - approved - share),
            };
            outcome.add(refused, &amounts);
        }
        outcome
    }

    #[test]
    fn an_outcome_counts_claims_paid_on_and_what_was_refused() {
        let o = outcome(&[(false, 100, 80, 20), (true, 50, 0, 0), (false, 70, 30, 10)]);
        assert_eq!((o.claims, o.paid_on, o.rejected_claims), (3, 2, 1));
        assert_eq!(o.claimed, m(220));
        assert_eq!(o.approved, m(110));
        assert_eq!(o.member_share, m(30));
        // 0 + 50 + 30 refused of what was claimed.
        assert_eq!(o.rejected, m(80));
    }

    #[test]
    fn a_raised_limit_changes_the_average_cost_not_the_incidence() {
        // Four claims paid on, each with a 10% co-payment; the third was cut from 450 to 200
        // at the limit, the fourth to 0 (still paid on: the member's share was approved).
        // Raised, they pay 450 and 90.
        let rules = outcome(&[
            (false, 300, 270, 30),
            (false, 400, 360, 40),
            (false, 500, 200, 50),
            (false, 100, 0, 10),
        ]);
        let proposal = outcome(&[
            (false, 300, 270, 30),
            (false, 400, 360, 40),
            (false, 500, 450, 50),
            (false, 100, 90, 10),
        ]);
        let (incidence, cost) = factors(&rules, &proposal);
        assert_eq!(incidence, Some(1.0));
        // 1,170 / 4 over 830 / 4.
        assert!((cost.unwrap() - 1170.0 / 830.0).abs() < 1e-15);
    }

    #[test]
    fn a_claim_the_limit_refused_whole_and_the_raise_pays_adds_to_the_incidence() {
        // Without cost sharing, a claim cut to nothing at the limit is refused whole.
        let rules = outcome(&[(false, 300, 300, 0), (true, 100, 0, 0)]);
        let proposal = outcome(&[(false, 300, 300, 0), (false, 100, 100, 0)]);
        let (incidence, cost) = factors(&rules, &proposal);
        assert_eq!(incidence, Some(2.0));
        // 400 / 2 over 300 / 1.
        assert!((cost.unwrap() - 200.0 / 300.0).abs() < 1e-15);
    }

    #[test]
    fn a_service_brought_into_the_package_raises_the_incidence() {
        // Two of five claims were refused whole (not in the package); the proposal pays them
        // at 60 each.
        let rules = outcome(&[
            (false, 100, 100, 0),
            (false, 100, 100, 0),
            (false, 100, 100, 0),
            (true, 60, 0, 0),
            (true, 60, 0, 0),
        ]);
        let proposal = Outcome {
            paid_on: 5,
            rejected_claims: 0,
            approved: rules.approved + m(120),
            rejected: Money::ZERO,
            ..rules
        };
        let (incidence, cost) = factors(&rules, &proposal);
        assert!((incidence.unwrap() - 5.0 / 3.0).abs() < 1e-15);
        // 420 / 5 = 84 against 100.
        assert!((cost.unwrap() - 0.84).abs() < 1e-15);
        // The factors' product is the cost's change: 420 / 300.
        assert!((incidence.unwrap() * cost.unwrap() - 1.4).abs() < 1e-14);
    }

    #[test]
    fn a_line_without_claims_on_one_side_has_the_factors_it_can() {
        let none = Outcome::default();
        let paid = outcome(&[(false, 100, 80, 20)]);
        let refused = outcome(&[(true, 100, 0, 0)]);
        // Nothing paid on under the rules: no factor scales it.
        assert_eq!(factors(&none, &paid), (None, None));
        assert_eq!(factors(&refused, &paid), (None, None));
        // Refused whole under the proposal: no claims, nothing to cost.
        assert_eq!(factors(&paid, &refused), (Some(0.0), Some(1.0)));
        // Paid on at nothing before (every amount the member's), something after.
        let free = outcome(&[(false, 100, 0, 100)]);
        assert_eq!(factors(&free, &paid), (Some(1.0), None));
        assert_eq!(factors(&free, &free), (Some(1.0), Some(1.0)));
    }

    #[test]
    fn a_new_benefit_says_what_the_rules_paid() {
        assert_eq!(
            new_benefit(0, 12),
            "the rules paid on none of its claims and the proposal pays on 12: a new benefit, which no factor scales; price it under [[new_benefits]]"
        );
        assert!(new_benefit(3, 3).starts_with("the rules paid nothing on its 3 claims and"));
    }

    #[test]
    fn lines_are_named_as_the_projection_names_them() {
        assert_eq!(
            line_name("surgical", Some("cardiology")),
            "surgical cardiology"
        );
        assert_eq!(line_name("medical", None), "medical");
        assert_eq!(line_name("medical", Some("")), "medical");
    }
}
