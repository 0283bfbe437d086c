//! Coverage years and the ledger of what each family (or member) has used of each annual limit.

use crate::dates::add_months;
use crate::money::Money;
use crate::registry::Coverage;
use crate::scheme::LimitUnit;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Whose use a limit counts, in which category and coverage year. `member_id` is empty for a
/// family limit.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct UsageKey {
    pub family_id: String,
    pub member_id: String,
    pub category: String,
    pub year_start: NaiveDate,
}

impl UsageKey {
    /// A member's own use of a category (a deductible, a limit per member).
    pub fn member(
        family_id: &str,
        member_id: &str,
        category: &str,
        year_start: NaiveDate,
    ) -> UsageKey {
        UsageKey {
            family_id: family_id.to_string(),
            member_id: member_id.to_string(),
            category: category.to_string(),
            year_start,
        }
    }

    /// The key a category's annual limit counts under: the family's, or the member's for a
    /// limit per member.
    pub fn limit(
        per: LimitUnit,
        family_id: &str,
        member_id: &str,
        category: &str,
        year_start: NaiveDate,
    ) -> UsageKey {
        let counted_for = match per {
            LimitUnit::Family => "",
            LimitUnit::Member => member_id,
        };
        UsageKey::member(family_id, counted_for, category, year_start)
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Usage {
    /// Approved by the scheme toward the annual limit (claims in review included: their
    /// amounts are held until the reviewer decides).
    pub used: Money,
    /// Paid by the member toward a deductible.
    pub deductible_used: Money,
    /// Claims that went above the limit under a limit-raising case.
    pub raised: i64,
}

impl std::ops::AddAssign for Usage {
    fn add_assign(&mut self, other: Usage) {
        self.used += other.used;
        self.deductible_used += other.deductible_used;
        self.raised += other.raised;
    }
}

/// What every family and member has used so far; adjudication reads it and adds to it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    entries: BTreeMap<UsageKey, Usage>,
}

impl Ledger {
    pub fn get(&self, key: &UsageKey) -> Usage {
        self.entries.get(key).copied().unwrap_or_default()
    }

    /// What the keys of `used` (approved amounts given back to limits) and `deductibles` (a
    /// member's deductible given back) hold once given back: never below nothing.
    pub fn given_back(
        &self,
        used: &BTreeMap<UsageKey, Money>,
        deductibles: &BTreeMap<UsageKey, Money>,
    ) -> Vec<(UsageKey, Usage)> {
        let keys: std::collections::BTreeSet<&UsageKey> =
            used.keys().chain(deductibles.keys()).collect();
        let of =
            |taken: &BTreeMap<UsageKey, Money>, key| taken.get(key).copied().unwrap_or_default();
        keys.into_iter()
            .map(|key| {
                let now = self.get(key);
                let after = Usage {
                    used: (now.used - of(used, key)).max(Money::ZERO),
                    deductible_used: (now.deductible_used - of(deductibles, key)).max(Money::ZERO),
                    ..now
                };
                (key.clone(), after)
            })
            .collect()
    }

    pub fn add(&mut self, key: UsageKey, usage: Usage) {
        *self.entries.entry(key).or_default() += usage;
    }
}

impl FromIterator<(UsageKey, Usage)> for Ledger {
    fn from_iter<I: IntoIterator<Item = (UsageKey, Usage)>>(iter: I) -> Ledger {
        let mut ledger = Ledger::default();
        for (key, usage) in iter {
            ledger.add(key, usage);
        }
        ledger
    }
}

/// The first day of the coverage year that holds `date`: coverage years run in steps of
/// `period_months` from the family's first day of cover (the earliest start among `coverage`).
pub fn coverage_year_start(
    coverage: &[Coverage],
    period_months: u32,
    date: NaiveDate,
) -> Option<NaiveDate> {
    let anchor = coverage.iter().map(|c| c.start_date).min()?;
    if date < anchor || period_months == 0 {
        return None;
    }
    let mut step = 0u32;
    loop {
        let next = add_months(anchor, (step + 1) * period_months);
        if next > date {
            return Some(add_months(anchor, step * period_months));
        }
        step += 1;
    }
}

/// The cover period that holds `date`, and the first day of the unbroken run of periods it
/// belongs to (a renewal the day after the last period ended does not restart waiting periods).
pub fn cover_on<'a>(
    coverage: &'a [&'a Coverage],
    date: NaiveDate,
) -> Option<(&'a Coverage, NaiveDate)> {
    let current = coverage
        .iter()
        .copied()
        .filter(|c| c.start_date <= date && c.end_date.is_none_or(|end| date <= end))
        .max_by_key(|c| c.start_date)?;
    let mut since = current.start_date;
    loop {
        let before = coverage.iter().find(|c| {
            c.start_date < since
                && c.end_date
                    .is_none_or(|end| end.succ_opt().is_some_and(|next| next >= since))
        });
        match before {
            Some(earlier) => since = earlier.start_date,
            None => return Some((current, since)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn cover(start: &str, end: Option<&str>) -> Coverage {
        Coverage {
            member_id: "M1".into(),
            start_date: day(start),
            end_date: end.map(day),
            package: None,
            family_id: None,
        }
    }

    #[test]
    fn what_is_given_back_leaves_the_rest_and_never_goes_below_nothing() {
        let key = |member: &str| UsageKey::member("F1", member, "ip", day("2025-01-01"));
        let units = Money::from_units;
        let mut ledger = Ledger::default();
        let usage = |used, deductible, raised| Usage {
            used: units(used),
            deductible_used: units(deductible),
            raised,
        };
        ledger.add(key(""), usage(1_000, 0, 1));
        ledger.add(key("M1"), usage(0, 80, 0));
        let used = BTreeMap::from([(key(""), units(300))]);
        let deductibles = BTreeMap::from([(key("M1"), units(100))]);
        assert_eq!(
            ledger.given_back(&used, &deductibles),
            [(key(""), usage(700, 0, 1)), (key("M1"), usage(0, 0, 0))]
        );
    }

    #[test]
    fn coverage_years_step_from_the_first_day_of_cover() {
        let coverage = [cover("2024-03-15", None)];
        assert_eq!(
            coverage_year_start(&coverage, 12, day("2024-03-15")),
            Some(day("2024-03-15"))
        );
        assert_eq!(
            coverage_year_start(&coverage, 12, day("2025-03-14")),
            Some(day("2024-03-15"))
        );
        assert_eq!(
            coverage_year_start(&coverage, 12, day("2025-03-15")),
            Some(day("2025-03-15"))
        );
        assert_eq!(coverage_year_start(&coverage, 12, day("2024-03-14")), None);
    }

    #[test]
    fn a_coverage_year_from_29_february_restarts_on_28_february() {
        let coverage = [cover("2024-02-29", None)];
        assert_eq!(
            coverage_year_start(&coverage, 12, day("2025-02-28")),
            Some(day("2025-02-28"))
        );
        assert_eq!(
            coverage_year_start(&coverage, 12, day("2025-02-27")),
            Some(day("2024-02-29"))
        );
    }

    #[test]
    fn cover_ends_after_its_last_day() {
        let periods = [cover("2024-01-01", Some("2024-12-31"))];
        let refs: Vec<&Coverage> = periods.iter().collect();
        assert!(cover_on(&refs, day("2024-12-31")).is_some());
        assert!(cover_on(&refs, day("2025-01-01")).is_none());
    }

    #[test]
    fn a_renewal_without_a_gap_keeps_the_first_start_and_a_gap_restarts_it() {
        let periods = [
            cover("2024-01-01", Some("2024-12-31")),
            cover("2025-01-01", Some("2025-12-31")),
            cover("2026-03-01", None),
        ];
        let refs: Vec<&Coverage> = periods.iter().collect();
        assert_eq!(
            cover_on(&refs, day("2025-06-01")).unwrap().1,
            day("2024-01-01")
        );
        assert_eq!(
            cover_on(&refs, day("2026-06-01")).unwrap().1,
            day("2026-03-01")
        );
        assert!(cover_on(&refs, day("2026-02-01")).is_none());
    }
}
