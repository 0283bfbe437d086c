//! A family's contribution standing: what fell due, what was paid, the arrears, and whether cover
//! is suspended after the grace period.
//!
//! Contributions fall due at the start of each contribution period, counted from the family's first
//! day of cover in steps of `contributions.frequency_months`, under the scheme version in force on
//! that day. Payments are allocated per payer to the oldest period still owed (whatever period the
//! receipt names), so arrears are always the most recent periods. Cover is suspended from the day
//! after `coverage.grace_days` past the due date of the first period left unpaid by a payer whose
//! arrears suspend cover (the member, the worker, the employer; not a government or donor).

use crate::dates::{add_months, age_on};
use crate::money::Money;
use crate::registry::{Contribution, Coverage, Family, Member, MemberStatus, Payer};
use crate::scheme::{ContributionBasis, ContributionRule, SchemeDefinition, version_in_force};
use chrono::{Days, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeriodStanding {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub due: BTreeMap<Payer, Money>,
    pub paid: BTreeMap<Payer, Money>,
}

impl PeriodStanding {
    fn unpaid(&self, payer: Payer) -> Money {
        self.due.get(&payer).copied().unwrap_or_default()
            - self.paid.get(&payer).copied().unwrap_or_default()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Standing {
    pub as_of: NaiveDate,
    pub periods: Vec<PeriodStanding>,
    pub due: Money,
    pub paid: Money,
    pub arrears: Money,
    pub arrears_by_payer: BTreeMap<Payer, Money>,
    /// Paid beyond everything due so far.
    pub credit: Money,
    /// The last day of the last period fully paid by the family's own payers.
    pub paid_through: Option<NaiveDate>,
    /// The first day without cover for want of payment, if that day has come.
    pub suspended_since: Option<NaiveDate>,
}

impl Standing {
    pub fn suspended(&self) -> bool {
        self.suspended_since.is_some()
    }
}

/// Everything the rules need about one family.
pub struct FamilyRecord<'a> {
    pub family: &'a Family,
    pub members: &'a [Member],
    /// The cover periods of the family's members.
    pub coverage: &'a [Coverage],
    pub contributions: &'a [Contribution],
}

/// The family's standing on `as_of` under the scheme's versions (all of them: each period is judged
/// by the version in force when it fell due).
pub fn family_standing(
    versions: &[SchemeDefinition],
    record: &FamilyRecord,
    as_of: NaiveDate,
) -> Standing {
    let mut periods = due_periods(versions, record, as_of);
    let mut credit = Money::ZERO;

    let mut payments: Vec<&Contribution> = record
        .contributions
        .iter()
        .filter(|c| c.paid_on <= as_of)
        .collect();
    payments.sort_by(|a, b| (a.paid_on, &a.receipt).cmp(&(b.paid_on, &b.receipt)));
    for payment in payments {
        let mut left = payment.amount;
        for period in periods.iter_mut() {
            let owed = period.unpaid(payment.payer);
            if owed > Money::ZERO && left > Money::ZERO {
                let applied = owed.min(left);
                *period.paid.entry(payment.payer).or_default() += applied;
                left -= applied;
            }
        }
        credit += left;
    }

    let mut arrears_by_payer: BTreeMap<Payer, Money> = BTreeMap::new();
    for period in &periods {
        for &payer in period.due.keys() {
            let unpaid = period.unpaid(payer);
            if unpaid > Money::ZERO {
                *arrears_by_payer.entry(payer).or_default() += unpaid;
            }
        }
    }
    let first_unpaid = periods.iter().position(|p| {
        p.due
            .keys()
            .any(|&payer| payer.arrears_suspend_cover() && p.unpaid(payer) > Money::ZERO)
    });
    let (paid_through, suspended_since) = match first_unpaid {
        None => (periods.last().map(|p| p.end), None),
        Some(index) => {
            let period = &periods[index];
            let grace =
                version_in_force(versions, period.start).map_or(0, |v| v.coverage.grace_days);
            let suspended_from = period.start + Days::new(u64::from(grace) + 1);
            let paid_through = index.checked_sub(1).map(|i| periods[i].end);
            (
                paid_through,
                (suspended_from <= as_of).then_some(suspended_from),
            )
        }
    };
    let sum = |pick: fn(&PeriodStanding) -> &BTreeMap<Payer, Money>| {
        periods
            .iter()
            .flat_map(|p| pick(p).values().copied())
            .sum::<Money>()
    };
    let due = sum(|p| &p.due);
    let paid = sum(|p| &p.paid);
    periods.retain(|p| !p.due.is_empty());
    Standing {
        as_of,
        due,
        paid,
        arrears: due - paid,
        arrears_by_payer,
        credit,
        paid_through,
        suspended_since,
        periods,
    }
}

/// The contribution periods that have fallen due by `as_of`, with what each payer owes for them.
fn due_periods(
    versions: &[SchemeDefinition],
    record: &FamilyRecord,
    as_of: NaiveDate,
) -> Vec<PeriodStanding> {
    let Some(first_day) = record.coverage.iter().map(|c| c.start_date).min() else {
        return vec![];
    };
    let last_day = record
        .coverage
        .iter()
        .map(|c| c.end_date)
        .try_fold(NaiveDate::MIN, |latest, end| end.map(|e| latest.max(e)));
    let mut periods = Vec::new();
    let mut start = first_day;
    while start <= as_of && last_day.is_none_or(|last| start <= last) {
        let Some(version) = version_in_force(versions, start) else {
            // No rules were in force yet: nothing falls due until the first version starts.
            match versions
                .iter()
                .map(|v| v.effective_from)
                .filter(|d| *d > start)
                .min()
            {
                Some(first_rules) => {
                    start = first_rules;
                    continue;
                }
                None => break,
            }
        };
        let next = add_months(start, version.contributions.frequency_months);
        let end = next.pred_opt().expect("date after the minimum");
        let covered: Vec<&Member> = record
            .members
            .iter()
            .filter(|m| enrolled_during(m, record.coverage, start, end))
            .collect();
        let mut due = BTreeMap::new();
        for rule in &version.contributions.rules {
            let amount = rule_amount(rule, version, record.family, &covered, start);
            if amount > Money::ZERO {
                *due.entry(rule.payer).or_insert(Money::ZERO) += amount;
            }
        }
        periods.push(PeriodStanding {
            start,
            end,
            due,
            paid: BTreeMap::new(),
        });
        start = next;
    }
    periods
}

/// A member owes for a period when some cover of theirs overlaps it and they were still a member
/// (alive, not inactive) on its first day or on the day their cover began within it.
fn enrolled_during(
    member: &Member,
    coverage: &[Coverage],
    start: NaiveDate,
    end: NaiveDate,
) -> bool {
    coverage
        .iter()
        .filter(|c| c.member_id == member.id)
        .any(|c| {
            let overlaps = c.start_date <= end && c.end_date.is_none_or(|e| e >= start);
            let from = c.start_date.max(start);
            let left = member.status == MemberStatus::Inactive && member.status_since <= from;
            overlaps && member.alive_on(from) && !left
        })
}

fn rule_amount(
    rule: &ContributionRule,
    version: &SchemeDefinition,
    family: &Family,
    covered: &[&Member],
    period_start: NaiveDate,
) -> Money {
    let poverty_applies = match (
        rule.poverty_score_max,
        rule.poverty_score_above,
        family.poverty_score,
    ) {
        (Some(max), _, Some(score)) if score > max => false,
        (Some(_), _, None) => false,
        (_, Some(above), Some(score)) => score > above,
        _ => true,
    };
    if !poverty_applies || covered.is_empty() {
        return Money::ZERO;
    }
    let in_category = |m: &Member| {
        rule.category
            .as_ref()
            .is_none_or(|c| m.categories.contains(c))
    };
    let outside_excluded = |m: &Member| {
        rule.except_category
            .as_ref()
            .is_none_or(|c| !m.categories.contains(c))
    };
    let member_applies = |m: &&&Member| in_category(m) && outside_excluded(m);
    let amount = rule.amount.unwrap_or_default();
    let is_child =
        |m: &Member| age_on(m.birth_date, period_start) < version.contributions.child_under_age;
    let count = |keep: &dyn Fn(&Member) -> bool| {
        covered
            .iter()
            .filter(member_applies)
            .filter(|m| keep(m))
            .count() as i64
    };
    match rule.basis {
        ContributionBasis::PerFamily => {
            let family_in_category = rule
                .category
                .as_ref()
                .is_none_or(|c| covered.iter().any(|m| m.categories.contains(c)));
            let family_outside = rule
                .except_category
                .as_ref()
                .is_none_or(|c| !covered.iter().any(|m| m.categories.contains(c)));
            if family_in_category && family_outside {
                amount
            } else {
                Money::ZERO
            }
        }
        ContributionBasis::PerMember => Money::from_minor(amount.minor() * count(&|_| true)),
        ContributionBasis::PerAdult => Money::from_minor(amount.minor() * count(&|m| !is_child(m))),
        ContributionBasis::PerChild => Money::from_minor(amount.minor() * count(&is_child)),
        ContributionBasis::WagePercent => {
            let percent = rule.percent.map_or(0, |p| i64::from(p.basis_points()));
            let months = i64::from(version.contributions.frequency_months);
            covered
                .iter()
                .filter(member_applies)
                .filter_map(|m| m.monthly_wage)
                .map(|wage| {
                    let mut monthly = wage.percent(percent);
                    if let Some(floor) = rule.floor {
                        monthly = monthly.max(floor);
                    }
                    if let Some(ceiling) = rule.ceiling {
                        monthly = monthly.min(ceiling);
                    }
                    Money::from_minor(monthly.minor() * months)
                })
                .sum()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry::{Relationship, Sex};
    use crate::scheme::Percent;
    use crate::scheme::tests::minimal_scheme;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn units(n: i64) -> Money {
        Money::from_units(n)
    }

    fn rule(payer: Payer, basis: ContributionBasis, amount: i64) -> ContributionRule {
        ContributionRule {
            payer,
            basis,
            amount: Some(units(amount)),
            percent: None,
            floor: None,
            ceiling: None,
            category: None,
            except_category: None,
            poverty_score_max: None,
            poverty_score_above: None,
        }
    }

    fn scheme_with(rules: Vec<ContributionRule>, frequency_months: u32) -> SchemeDefinition {
        let mut scheme = minimal_scheme();
        scheme.contributions.rules = rules;
        scheme.contributions.frequency_months = frequency_months;
        scheme
    }

    fn person(id: &str, birth: &str) -> Member {
        Member {
            id: id.into(),
            family_id: "F1".into(),
            name: id.into(),
            relationship: Relationship::Head,
            sex: Sex::Female,
            birth_date: date(birth),
            national_id: None,
            categories: vec![],
            monthly_wage: None,
            status: MemberStatus::Active,
            status_since: date(birth),
        }
    }

    fn cover(member: &str, start: &str) -> Coverage {
        Coverage {
            member_id: member.into(),
            start_date: date(start),
            end_date: None,
            package: None,
            family_id: None,
        }
    }

    fn paid(receipt: &str, payer: Payer, amount: i64, on: &str) -> Contribution {
        Contribution {
            receipt: receipt.into(),
            family_id: "F1".into(),
            payer,
            period_start: date(on),
            period_end: date(on),
            amount: units(amount),
            paid_on: date(on),
        }
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

    struct Case {
        scheme: SchemeDefinition,
        family: Family,
        members: Vec<Member>,
        coverage: Vec<Coverage>,
        contributions: Vec<Contribution>,
    }

    impl Case {
        fn standing(&self, as_of: &str) -> Standing {
            let record = FamilyRecord {
                family: &self.family,
                members: &self.members,
                coverage: &self.coverage,
                contributions: &self.contributions,
            };
            family_standing(std::slice::from_ref(&self.scheme), &record, date(as_of))
        }
    }

    fn adult_and_child_case() -> Case {
        Case {
            scheme: scheme_with(
                vec![
                    rule(Payer::Member, ContributionBasis::PerAdult, 500),
                    rule(Payer::Member, ContributionBasis::PerChild, 200),
                ],
                12,
            ),
            family: family(None),
            members: vec![person("M1", "1980-05-01"), person("M2", "2015-05-01")],
            coverage: vec![cover("M1", "2024-01-01"), cover("M2", "2024-01-01")],
            contributions: vec![],
        }
    }

    #[test]
    fn a_year_falls_due_on_the_first_day_of_cover() {
        let case = adult_and_child_case();
        let standing = case.standing("2024-01-01");
        assert_eq!(standing.due, units(700));
        assert_eq!(standing.arrears, units(700));
        assert_eq!(standing.periods.len(), 1);
        assert_eq!(standing.periods[0].end, date("2024-12-31"));
    }

    #[test]
    fn cover_is_suspended_the_day_after_the_grace_period() {
        // minimal_scheme has 30 days' grace: due 1 Jan, covered to 31 Jan, suspended from 1 Feb.
        let case = adult_and_child_case();
        assert_eq!(case.standing("2024-01-31").suspended_since, None);
        assert_eq!(
            case.standing("2024-02-01").suspended_since,
            Some(date("2024-02-01"))
        );
    }

    #[test]
    fn paying_in_full_lifts_the_arrears_and_the_suspension() {
        let mut case = adult_and_child_case();
        case.contributions = vec![paid("R1", Payer::Member, 700, "2024-01-20")];
        let standing = case.standing("2024-06-30");
        assert_eq!(standing.arrears, Money::ZERO);
        assert_eq!(standing.paid_through, Some(date("2024-12-31")));
        assert!(!standing.suspended());
    }

    #[test]
    fn a_part_payment_leaves_arrears_and_suspends() {
        let mut case = adult_and_child_case();
        case.contributions = vec![paid("R1", Payer::Member, 500, "2024-01-20")];
        let standing = case.standing("2024-06-30");
        assert_eq!(standing.arrears, units(200));
        assert_eq!(standing.paid_through, None);
        assert_eq!(standing.suspended_since, Some(date("2024-02-01")));
    }

    #[test]
    fn a_child_pays_the_adult_rate_from_the_period_after_coming_of_age() {
        let mut case = adult_and_child_case();
        case.members[1].birth_date = date("2006-06-01"); // 18 on 2024-06-01
        let standing = case.standing("2025-01-01");
        let due: Vec<Money> = standing
            .periods
            .iter()
            .map(|p| p.due[&Payer::Member])
            .collect();
        assert_eq!(due, [units(700), units(1000)]);
    }

    #[test]
    fn payments_go_to_the_oldest_period_first() {
        let mut case = adult_and_child_case();
        case.contributions = vec![paid("R1", Payer::Member, 700, "2025-01-10")];
        // Two years due (700 + 700), one paid: the arrears are the second year's.
        let standing = case.standing("2025-03-01");
        assert_eq!(standing.arrears, units(700));
        assert_eq!(standing.paid_through, Some(date("2024-12-31")));
        assert_eq!(standing.suspended_since, Some(date("2025-02-01")));
    }

    #[test]
    fn overpayment_becomes_credit() {
        let mut case = adult_and_child_case();
        case.contributions = vec![paid("R1", Payer::Member, 1000, "2024-01-10")];
        assert_eq!(case.standing("2024-02-01").credit, units(300));
    }

    #[test]
    fn government_arrears_are_owed_but_do_not_suspend_cover() {
        let mut case = adult_and_child_case();
        case.scheme = scheme_with(
            vec![rule(Payer::Government, ContributionBasis::PerFamily, 1000)],
            12,
        );
        let standing = case.standing("2024-09-01");
        assert_eq!(standing.arrears_by_payer[&Payer::Government], units(1000));
        assert!(!standing.suspended());
    }

    #[test]
    fn a_subsidy_applies_only_to_poor_families() {
        let mut case = adult_and_child_case();
        let mut subsidy = rule(Payer::Government, ContributionBasis::PerMember, 300);
        subsidy.poverty_score_max = Some(35.0);
        let mut premium = rule(Payer::Member, ContributionBasis::PerMember, 300);
        premium.poverty_score_above = Some(35.0);
        case.scheme = scheme_with(vec![subsidy, premium], 12);
        case.family.poverty_score = Some(20.0);
        assert_eq!(
            case.standing("2024-01-01").periods[0].due,
            BTreeMap::from([(Payer::Government, units(600))])
        );
        case.family.poverty_score = Some(50.0);
        assert_eq!(
            case.standing("2024-01-01").periods[0].due,
            BTreeMap::from([(Payer::Member, units(600))])
        );
    }

    #[test]
    fn wage_contributions_keep_to_floor_and_ceiling() {
        let mut rich = person("M1", "1980-01-01");
        rich.monthly_wage = Some(units(100_000));
        rich.categories = vec!["formal_sector".into()];
        let mut poor = person("M2", "1985-01-01");
        poor.monthly_wage = Some(units(1_000));
        poor.categories = vec!["formal_sector".into()];
        let mut worker = rule(Payer::Worker, ContributionBasis::WagePercent, 0);
        worker.amount = None;
        worker.percent = Some(Percent::from_basis_points(250));
        worker.floor = Some(units(50));
        worker.ceiling = Some(units(2_000));
        worker.category = Some("formal_sector".into());
        let case = Case {
            scheme: scheme_with(vec![worker], 1),
            family: family(None),
            members: vec![rich, poor],
            coverage: vec![cover("M1", "2024-03-01"), cover("M2", "2024-03-01")],
            contributions: vec![],
        };
        // 2.5% of 100,000 = 2,500 capped at 2,000; 2.5% of 1,000 = 25 raised to 50: 2,050 a month.
        let standing = case.standing("2024-04-15");
        assert_eq!(standing.periods.len(), 2);
        assert_eq!(standing.due, units(4_100));
    }

    #[test]
    fn monthly_periods_step_through_february_in_a_leap_year() {
        let mut case = adult_and_child_case();
        case.scheme = scheme_with(
            vec![rule(Payer::Member, ContributionBasis::PerFamily, 10)],
            1,
        );
        case.coverage = vec![cover("M1", "2024-01-31")];
        let standing = case.standing("2024-03-31");
        let starts: Vec<NaiveDate> = standing.periods.iter().map(|p| p.start).collect();
        assert_eq!(
            starts,
            [date("2024-01-31"), date("2024-02-29"), date("2024-03-29")]
        );
    }

    #[test]
    fn nothing_falls_due_after_cover_ends_or_for_the_dead() {
        let mut case = adult_and_child_case();
        case.coverage[0].end_date = Some(date("2024-12-31"));
        case.coverage[1].end_date = Some(date("2024-12-31"));
        assert_eq!(case.standing("2026-01-01").due, units(700));
        let mut case = adult_and_child_case();
        case.members[1].status = MemberStatus::Deceased;
        case.members[1].status_since = date("2024-06-01");
        assert_eq!(case.standing("2025-01-01").due, units(700 + 500));
    }

    #[test]
    fn a_reform_changes_the_dues_from_the_period_that_starts_after_it() {
        let mut case = adult_and_child_case();
        let mut reform = case.scheme.clone();
        reform.effective_from = date("2024-07-01");
        reform.contributions.rules = vec![rule(Payer::Member, ContributionBasis::PerMember, 400)];
        let record = FamilyRecord {
            family: &case.family,
            members: &case.members,
            coverage: &case.coverage,
            contributions: &[],
        };
        case.contributions.clear();
        let standing = family_standing(&[case.scheme.clone(), reform], &record, date("2025-01-01"));
        let due: Vec<Money> = standing
            .periods
            .iter()
            .map(|p| p.due[&Payer::Member])
            .collect();
        assert_eq!(due, [units(700), units(800)]);
    }

    #[test]
    fn no_cover_means_nothing_due() {
        let mut case = adult_and_child_case();
        case.coverage.clear();
        let standing = case.standing("2025-01-01");
        assert_eq!(standing.due, Money::ZERO);
        assert!(!standing.suspended());
    }
}
