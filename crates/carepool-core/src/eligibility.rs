//! Eligibility at enrolment: may this member's cover start on this date under the scheme's rules?

use crate::registry::{Family, Member, MemberStatus, Relationship};
use crate::scheme::{EnrolmentUnit, SchemeDefinition};
pub use crate::words::{Figure, Words};
use chrono::NaiveDate;
use serde::Serialize;

/// One rule that refused the enrolment: the rule's path in the scheme file (or the registry rule)
/// and a sentence for the enrolment officer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleFailure {
    pub rule: String,
    pub message: String,
    /// The sentence's stable id and the figures it quotes, for a page to say it in its own
    /// language (`message` is the English).
    #[serde(skip)]
    pub words: Words,
}

impl RuleFailure {
    fn new(rule: &str, words: Words, message: String) -> RuleFailure {
        RuleFailure {
            rule: rule.into(),
            message,
            words,
        }
    }
}

/// Every id a refusal's words may have (a page holds a sentence for each).
pub const REFUSALS: &[&str] = &[
    "died",
    "inactive",
    "before_birth",
    "child_past_age",
    "poverty_score_above",
    "poverty_score_missing",
    "no_category",
];

fn words(id: &'static str, figures: Vec<(&'static str, Figure)>) -> Words {
    debug_assert!(REFUSALS.contains(&id), "{id} is not listed in REFUSALS");
    Words::new(id, figures)
}

/// Why an enrolment was refused: every rule that failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("member {member_id} is not eligible on {date}: {}", .failures.iter().map(|f| format!("{} ({})", f.message, f.rule)).collect::<Vec<_>>().join("; "))]
pub struct Refusal {
    pub member_id: String,
    pub date: NaiveDate,
    pub failures: Vec<RuleFailure>,
}

/// Checks an enrolment of `member` from `start` against the scheme version in force then.
/// `family_members` are the members of the member's family (the member among them or not).
pub fn check_enrolment(
    scheme: &SchemeDefinition,
    family: &Family,
    family_members: &[Member],
    member: &Member,
    start: NaiveDate,
) -> Result<(), Refusal> {
    let mut failures = Vec::new();
    let mut fail = |rule: &str, words: Words, message: String| {
        failures.push(RuleFailure::new(rule, words, message))
    };
    let since = Figure::Date(member.status_since);

    if !member.alive_on(start) {
        fail(
            "member.status",
            words("died", vec![("date", since.clone())]),
            format!("the member died on {}", member.status_since),
        );
    }
    if member.status == MemberStatus::Inactive && member.status_since <= start {
        fail(
            "member.status",
            words("inactive", vec![("date", since.clone())]),
            format!("the member is inactive since {}", member.status_since),
        );
    }
    if start < member.birth_date {
        fail(
            "member.birth_date",
            words(
                "before_birth",
                vec![("date", Figure::Date(member.birth_date))],
            ),
            format!("cover cannot start before birth ({})", member.birth_date),
        );
    }
    if let Some(max_age) = scheme.family.child_max_age
        && member.relationship == Relationship::Child
        && member.age_on(start) >= max_age
    {
        fail(
            "family.child_max_age",
            words(
                "child_past_age",
                vec![
                    ("age", Figure::Count(member.age_on(start).into())),
                    ("limit", Figure::Count(max_age.into())),
                ],
            ),
            format!(
                "a child aged {} is past the family unit's age limit of {max_age}",
                member.age_on(start)
            ),
        );
    }
    if let Some(refused) = scheme_rules_refuse(scheme, family, family_members, member) {
        failures.extend(refused);
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Refusal {
            member_id: member.id.clone(),
            date: start,
            failures,
        })
    }
}

/// The scheme's eligibility rules: eligible when any stated rule holds. Returns the failures when
/// none holds.
fn scheme_rules_refuse(
    scheme: &SchemeDefinition,
    family: &Family,
    family_members: &[Member],
    member: &Member,
) -> Option<Vec<RuleFailure>> {
    let rules = &scheme.eligibility;
    if rules.poverty_score_max.is_none() && rules.categories.is_empty() {
        return None;
    }
    let mut failures = Vec::new();
    if let Some(threshold) = rules.poverty_score_max {
        match family.poverty_score {
            Some(score) if score <= threshold => return None,
            Some(score) => failures.push(RuleFailure::new(
                "eligibility.poverty_score_max",
                words(
                    "poverty_score_above",
                    vec![
                        ("score", Figure::Text(score.to_string())),
                        ("threshold", Figure::Text(threshold.to_string())),
                    ],
                ),
                format!("poverty score {score} is above the threshold {threshold}"),
            )),
            None => failures.push(RuleFailure::new(
                "eligibility.poverty_score_max",
                words(
                    "poverty_score_missing",
                    vec![
                        ("family", Figure::Text(family.id.clone())),
                        ("threshold", Figure::Text(threshold.to_string())),
                    ],
                ),
                format!(
                    "family {} has no poverty score to compare with {threshold}",
                    family.id
                ),
            )),
        }
    }
    if !rules.categories.is_empty() {
        // Under family enrolment a member qualifies through any member of the family unit.
        let qualifying: Vec<&Member> = match scheme.enrolment_unit {
            EnrolmentUnit::Family => family_members
                .iter()
                .chain(std::iter::once(member))
                .collect(),
            EnrolmentUnit::Individual => vec![member],
        };
        let in_category = qualifying
            .iter()
            .any(|m| m.categories.iter().any(|c| rules.categories.contains(c)));
        if in_category {
            return None;
        }
        let categories = rules.categories.join(", ");
        failures.push(RuleFailure::new(
            "eligibility.categories",
            words(
                "no_category",
                vec![("categories", Figure::Text(categories.clone()))],
            ),
            format!("no member is in an eligible category ({categories})"),
        ));
    }
    Some(failures)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::Sex;
    use crate::scheme::tests::minimal_scheme;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn family(score: Option<f64>) -> Family {
        Family {
            id: "F1".into(),
            scheme: "mho".into(),
            location_code: "V1".into(),
            poverty_score: score,
            household_id: None,
        }
    }

    fn member(relationship: Relationship, birth: &str, categories: &[&str]) -> Member {
        Member {
            id: "M1".into(),
            family_id: "F1".into(),
            name: "Kofi".into(),
            relationship,
            sex: Sex::Male,
            birth_date: date(birth),
            national_id: None,
            categories: categories.iter().map(|c| c.to_string()).collect(),
            monthly_wage: None,
            status: MemberStatus::Active,
            status_since: date(birth),
        }
    }

    fn rules(of: &Refusal) -> Vec<&str> {
        of.failures.iter().map(|f| f.rule.as_str()).collect()
    }

    #[test]
    fn with_no_rules_everyone_is_eligible() {
        let head = member(Relationship::Head, "1980-01-01", &[]);
        check_enrolment(
            &minimal_scheme(),
            &family(None),
            &[],
            &head,
            date("2024-01-01"),
        )
        .unwrap();
    }

    #[test]
    fn a_poverty_score_at_the_threshold_is_eligible_and_above_it_is_refused() {
        let mut scheme = minimal_scheme();
        scheme.eligibility.poverty_score_max = Some(35.0);
        let head = member(Relationship::Head, "1980-01-01", &[]);
        check_enrolment(&scheme, &family(Some(35.0)), &[], &head, date("2024-01-01")).unwrap();
        let refusal = check_enrolment(&scheme, &family(Some(35.5)), &[], &head, date("2024-01-01"))
            .unwrap_err();
        assert_eq!(rules(&refusal), ["eligibility.poverty_score_max"]);
        assert_eq!(
            refusal.failures[0].message,
            "poverty score 35.5 is above the threshold 35"
        );
    }

    #[test]
    fn a_missing_poverty_score_is_refused_when_the_rule_needs_one() {
        let mut scheme = minimal_scheme();
        scheme.eligibility.poverty_score_max = Some(35.0);
        let head = member(Relationship::Head, "1980-01-01", &[]);
        let refusal =
            check_enrolment(&scheme, &family(None), &[], &head, date("2024-01-01")).unwrap_err();
        assert_eq!(rules(&refusal), ["eligibility.poverty_score_max"]);
    }

    #[test]
    fn a_category_qualifies_the_whole_family_unit() {
        let mut scheme = minimal_scheme();
        scheme.eligibility.poverty_score_max = Some(35.0);
        scheme.eligibility.categories = vec!["civil_servant".into()];
        let head = member(Relationship::Head, "1980-01-01", &["civil_servant"]);
        let child = Member {
            id: "M2".into(),
            ..member(Relationship::Child, "2015-01-01", &[])
        };
        check_enrolment(
            &scheme,
            &family(Some(80.0)),
            std::slice::from_ref(&head),
            &child,
            date("2024-01-01"),
        )
        .unwrap();
    }

    #[test]
    fn under_individual_enrolment_only_the_member_qualifies() {
        let mut scheme = minimal_scheme();
        scheme.enrolment_unit = EnrolmentUnit::Individual;
        scheme.eligibility.categories = vec!["civil_servant".into()];
        let head = member(Relationship::Head, "1980-01-01", &["civil_servant"]);
        let spouse = Member {
            id: "M2".into(),
            ..member(Relationship::Spouse, "1982-01-01", &[])
        };
        let refusal = check_enrolment(
            &scheme,
            &family(None),
            std::slice::from_ref(&head),
            &spouse,
            date("2024-01-01"),
        )
        .unwrap_err();
        assert_eq!(rules(&refusal), ["eligibility.categories"]);
    }

    #[test]
    fn every_failed_rule_is_named() {
        let mut scheme = minimal_scheme();
        scheme.eligibility.poverty_score_max = Some(35.0);
        scheme.eligibility.categories = vec!["teacher".into()];
        let head = member(Relationship::Head, "1980-01-01", &[]);
        let refusal = check_enrolment(&scheme, &family(Some(60.0)), &[], &head, date("2024-01-01"))
            .unwrap_err();
        assert_eq!(
            rules(&refusal),
            ["eligibility.poverty_score_max", "eligibility.categories"]
        );
        let ids: Vec<&str> = refusal
            .failures
            .iter()
            .map(|f| f.words.id.as_str())
            .collect();
        assert_eq!(ids, ["poverty_score_above", "no_category"]);
        assert!(ids.iter().all(|id| REFUSALS.contains(id)));
    }

    #[test]
    fn a_child_past_the_age_limit_is_not_part_of_the_family_unit() {
        let child = member(Relationship::Child, "2006-01-01", &[]);
        // minimal_scheme counts children up to 18: on the 18th birthday the child is out.
        check_enrolment(
            &minimal_scheme(),
            &family(None),
            &[],
            &child,
            date("2023-12-31"),
        )
        .unwrap();
        let refusal = check_enrolment(
            &minimal_scheme(),
            &family(None),
            &[],
            &child,
            date("2024-01-01"),
        )
        .unwrap_err();
        assert_eq!(rules(&refusal), ["family.child_max_age"]);
        let words = &refusal.failures[0].words;
        assert_eq!(words.id, "child_past_age");
        assert_eq!(
            words.figures,
            [
                ("age".to_string(), Figure::Count(18)),
                ("limit".to_string(), Figure::Count(18))
            ]
        );
        assert!(REFUSALS.contains(&words.id.as_str()));
    }

    #[test]
    fn the_dead_cannot_be_enrolled_after_their_death() {
        let mut head = member(Relationship::Head, "1950-01-01", &[]);
        head.status = MemberStatus::Deceased;
        head.status_since = date("2024-03-01");
        check_enrolment(
            &minimal_scheme(),
            &family(None),
            &[],
            &head,
            date("2024-02-29"),
        )
        .unwrap();
        let refusal = check_enrolment(
            &minimal_scheme(),
            &family(None),
            &[],
            &head,
            date("2024-03-01"),
        )
        .unwrap_err();
        assert_eq!(rules(&refusal), ["member.status"]);
    }
}
