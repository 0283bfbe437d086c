//! The arithmetic of the monthly watch (domain.md §3): reporting periods, premium earned by
//! day, promptness of settlement in its bands, renewal of cover, and ratios that say when they
//! have no denominator. The indicators are built from these; each rule is here, with its
//! awkward cases tested.

use crate::dates::days_between;
use crate::money::Money;
use chrono::{Datelike, Days, Months, NaiveDate};
use serde::Serialize;

/// How the indicators' periods are cut: calendar months, quarters or years.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Step {
    Month,
    Quarter,
    Year,
}

impl Step {
    pub const ALL: [Step; 3] = [Step::Month, Step::Quarter, Step::Year];

    pub fn as_str(self) -> &'static str {
        match self {
            Step::Month => "month",
            Step::Quarter => "quarter",
            Step::Year => "year",
        }
    }

    fn months(self) -> u32 {
        match self {
            Step::Month => 1,
            Step::Quarter => 3,
            Step::Year => 12,
        }
    }
}

/// A reporting period, both days included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    /// Its days: 1 for a period of one day.
    pub fn days(&self) -> i64 {
        days_between(self.start, self.end) + 1
    }

    pub fn contains(&self, date: NaiveDate) -> bool {
        (self.start..=self.end).contains(&date)
    }
}

/// The calendar periods from `from` to `to` (both included), the first and last cut to them:
/// months from `2025-01-15` to `2025-03-10` are 15-31 January, February, and 1-10 March. None
/// when `to` is before `from`.
pub fn periods(from: NaiveDate, to: NaiveDate, step: Step) -> Vec<Period> {
    let mut periods = Vec::new();
    let mut start = from;
    while start <= to {
        let calendar_start = NaiveDate::from_ymd_opt(
            start.year(),
            (start.month0() / step.months()) * step.months() + 1,
            1,
        )
        .expect("the first day of a month");
        let next = calendar_start + Months::new(step.months());
        let end = (next - Days::new(1)).min(to);
        periods.push(Period { start, end });
        start = next;
    }
    periods
}

/// What of `amount`, paid for the cover from `cover.start` to `cover.end`, is earned in
/// `period`: the amount spread evenly over the cover's days, each period taking its days'
/// share. The shares are cut from the amount earned to each day's end, rounded down to the
/// minor unit, so the periods of a whole cover add up to the amount exactly, never a cent
/// more or less. A cover that ends before it starts earns nothing.
pub fn earned(amount: Money, cover: Period, period: Period) -> Money {
    let days = cover.days();
    if days <= 0 {
        return Money::ZERO;
    }
    let first = period.start.max(cover.start);
    let last = period.end.min(cover.end);
    if last < first {
        return Money::ZERO;
    }
    // Earned by the end of `day` days of cover: amount x day / days, rounded down.
    let earned_after = |day: i64| -> i64 {
        (i128::from(amount.minor()) * i128::from(day)).div_euclid(i128::from(days)) as i64
    };
    let before = days_between(cover.start, first);
    let through = days_between(cover.start, last) + 1;
    Money::from_minor(earned_after(through) - earned_after(before))
}

/// How promptly a claim was settled: days from the claim complete to its payment, in the bands
/// of the standard indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Promptness {
    /// 7 days or fewer (a claim paid the day it was complete is paid in 0 days).
    UpTo7Days,
    /// 8 to 30 days.
    UpTo30Days,
    /// 31 to 90 days.
    UpTo90Days,
    /// More than 90 days.
    Over90Days,
}

impl Promptness {
    pub const ALL: [Promptness; 4] = [
        Promptness::UpTo7Days,
        Promptness::UpTo30Days,
        Promptness::UpTo90Days,
        Promptness::Over90Days,
    ];

    /// The band of a claim complete on `complete` and paid on `paid`; none for a payment dated
    /// before the claim was complete (a fault of the data, counted apart).
    pub fn of(complete: NaiveDate, paid: NaiveDate) -> Option<Promptness> {
        match (paid - complete).num_days() {
            days if days < 0 => None,
            0..=7 => Some(Promptness::UpTo7Days),
            8..=30 => Some(Promptness::UpTo30Days),
            31..=90 => Some(Promptness::UpTo90Days),
            _ => Some(Promptness::Over90Days),
        }
    }
}

/// How long ago an amount in arrears fell due, in the bands of the standard indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ArrearsAge {
    /// Due 30 days ago or fewer (due on the day itself: 0 days).
    UpTo30Days,
    /// 31 to 90 days.
    UpTo90Days,
    /// 91 to 180 days.
    UpTo180Days,
    /// More than 180 days.
    Over180Days,
}

impl ArrearsAge {
    /// The band of an amount due on `due` and still owed on `on` (not before `due`).
    pub fn of(due: NaiveDate, on: NaiveDate) -> ArrearsAge {
        match (on - due).num_days() {
            ..=30 => ArrearsAge::UpTo30Days,
            31..=90 => ArrearsAge::UpTo90Days,
            91..=180 => ArrearsAge::UpTo180Days,
            _ => ArrearsAge::Over180Days,
        }
    }
}

/// Of one member's covers, whether one came up for renewal in `period` (it ended in it) and
/// whether it was renewed: another cover starting by the day after its end plus the scheme's
/// `grace_days`. A cover taken up later is a new start after a lapse, not a renewal; a cover
/// still open never comes up. `covers` are the member's, in any order.
pub fn renewal(
    covers: &[(NaiveDate, Option<NaiveDate>)],
    period: Period,
    grace_days: u32,
) -> Renewal {
    let mut renewal = Renewal::default();
    for end in covers.iter().filter_map(|(_, end)| *end) {
        if !period.contains(end) {
            continue;
        }
        renewal.due += 1;
        let last_day_to_renew = end + Days::new(u64::from(grace_days) + 1);
        if covers
            .iter()
            .any(|(start, _)| *start > end && *start <= last_day_to_renew)
        {
            renewal.renewed += 1;
        }
    }
    renewal
}

/// Covers that came up for renewal, and those renewed in time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Renewal {
    pub due: u64,
    pub renewed: u64,
}

impl std::ops::AddAssign for Renewal {
    fn add_assign(&mut self, other: Renewal) {
        self.due += other.due;
        self.renewed += other.renewed;
    }
}

/// A target population: the people the scheme aims to cover in a location in a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub location: String,
    pub year: i32,
    pub population: u64,
}

/// The target population of a selection of locations (those `holds` keeps) in `year`: each
/// location's latest target given for that year or before, added up, except that a location
/// whose enclosing location (in the selection) has one is already counted in it. None when no
/// location of the selection has a target by then. `parent_of` gives a location's enclosing one.
pub fn target_population(
    targets: &[Target],
    year: i32,
    holds: &dyn Fn(&str) -> bool,
    parent_of: &dyn Fn(&str) -> Option<String>,
) -> Option<u64> {
    let mut latest: std::collections::HashMap<&str, &Target> = std::collections::HashMap::new();
    for target in targets
        .iter()
        .filter(|t| t.year <= year && holds(&t.location))
    {
        let kept = latest.entry(&target.location).or_insert(target);
        if target.year > kept.year {
            *kept = target;
        }
    }
    let counted_above = |location: &str| {
        let mut current = parent_of(location);
        // The hierarchy is a few levels deep; the bound guards against a cycle in bad data.
        for _ in 0..64 {
            match current {
                Some(parent) if holds(&parent) => {
                    if latest.contains_key(parent.as_str()) {
                        return true;
                    }
                    current = parent_of(&parent);
                }
                _ => return false,
            }
        }
        false
    };
    let counted: Vec<u64> = (latest.values())
        .filter(|t| !counted_above(&t.location))
        .map(|t| t.population)
        .collect();
    (!counted.is_empty()).then(|| counted.iter().sum())
}

/// `numerator / denominator`, or none when there is nothing to divide by: an indicator with no
/// base is unknown, never 0 or infinite.
pub fn ratio(numerator: f64, denominator: f64) -> Option<f64> {
    (denominator != 0.0).then(|| numerator / denominator)
}

/// The growth of `now` over `before`: (now - before) / before; none without members before.
pub fn growth(before: u64, now: u64) -> Option<f64> {
    ratio(now as f64 - before as f64, before as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn period(start: &str, end: &str) -> Period {
        Period {
            start: day(start),
            end: day(end),
        }
    }

    #[test]
    fn periods_follow_the_calendar_and_are_cut_to_the_dates_asked() {
        assert_eq!(
            periods(day("2025-01-15"), day("2025-03-10"), Step::Month),
            [
                period("2025-01-15", "2025-01-31"),
                period("2025-02-01", "2025-02-28"),
                period("2025-03-01", "2025-03-10"),
            ]
        );
        assert_eq!(
            periods(day("2024-02-10"), day("2024-08-01"), Step::Quarter),
            [
                period("2024-02-10", "2024-03-31"),
                period("2024-04-01", "2024-06-30"),
                period("2024-07-01", "2024-08-01"),
            ]
        );
        assert_eq!(
            periods(day("2024-12-31"), day("2025-01-01"), Step::Year),
            [
                period("2024-12-31", "2024-12-31"),
                period("2025-01-01", "2025-01-01"),
            ]
        );
        assert!(periods(day("2025-02-01"), day("2025-01-31"), Step::Month).is_empty());
        assert_eq!(
            periods(day("2024-02-01"), day("2024-02-29"), Step::Month)[0].days(),
            29
        );
    }

    #[test]
    fn premium_is_earned_by_day_across_a_leap_year() {
        // 366.00 for the leap year 2024: 1.00 a day, 29.00 in February.
        let leap = period("2024-01-01", "2024-12-31");
        let amount = Money::from_units(366);
        assert_eq!(
            earned(amount, leap, period("2024-02-01", "2024-02-29")),
            Money::from_units(29)
        );
        // The same cover from 1 July 2024: 365 days, February 2025 has 28 of them.
        let straddling = period("2024-07-01", "2025-06-30");
        let amount = Money::from_units(365);
        assert_eq!(
            earned(amount, straddling, period("2025-01-01", "2025-12-31")),
            Money::from_units(181),
            "January to June 2025"
        );
        assert_eq!(
            earned(amount, straddling, period("2024-01-01", "2024-12-31")),
            Money::from_units(184),
            "July to December 2024"
        );
        assert_eq!(
            earned(amount, straddling, period("2025-02-01", "2025-02-28")),
            Money::from_units(28)
        );
        // Outside the cover, nothing.
        assert_eq!(
            earned(amount, straddling, period("2025-07-01", "2025-07-31")),
            Money::ZERO
        );
    }

    #[test]
    fn what_does_not_divide_is_earned_cent_by_cent_and_adds_up() {
        // 100.00 over three days: 33.33, 33.33, 33.34.
        let cover = period("2025-03-01", "2025-03-03");
        let amount = Money::from_units(100);
        let shares: Vec<Money> = ["2025-03-01", "2025-03-02", "2025-03-03"]
            .iter()
            .map(|d| earned(amount, cover, period(d, d)))
            .collect();
        assert_eq!(
            shares,
            [
                Money::from_minor(3333),
                Money::from_minor(3333),
                Money::from_minor(3334)
            ]
        );
        // A cover that ends before it starts earns nothing.
        let backwards = period("2025-03-03", "2025-03-01");
        assert_eq!(earned(amount, backwards, cover), Money::ZERO);
    }

    proptest! {
        /// Whatever the cover and the cut, the periods of a cover earn its amount exactly.
        #[test]
        fn the_periods_of_a_cover_earn_its_amount_exactly(
            minor in 1i64..1_000_000_000_000,
            start in 0u64..3_000,
            length in 0u64..1_500,
            step in 0usize..3,
        ) {
            let start = day("2020-01-01") + Days::new(start);
            let cover = Period { start, end: start + Days::new(length) };
            let amount = Money::from_minor(minor);
            let total: Money = periods(cover.start, cover.end, Step::ALL[step])
                .into_iter()
                .map(|p| earned(amount, cover, p))
                .sum();
            prop_assert_eq!(total, amount);
        }
    }

    #[test]
    fn promptness_bands_meet_at_their_edges() {
        let complete = day("2025-01-01");
        let band = |days: u64| Promptness::of(complete, complete + Days::new(days));
        assert_eq!(band(0), Some(Promptness::UpTo7Days));
        assert_eq!(band(7), Some(Promptness::UpTo7Days));
        assert_eq!(band(8), Some(Promptness::UpTo30Days));
        assert_eq!(band(30), Some(Promptness::UpTo30Days));
        assert_eq!(band(31), Some(Promptness::UpTo90Days));
        assert_eq!(band(90), Some(Promptness::UpTo90Days));
        assert_eq!(band(91), Some(Promptness::Over90Days));
        assert_eq!(Promptness::of(complete, day("2024-12-31")), None);
    }

    #[test]
    fn arrears_age_bands_meet_at_their_edges() {
        let due = day("2025-01-01");
        let band = |days: u64| ArrearsAge::of(due, due + Days::new(days));
        assert_eq!(band(0), ArrearsAge::UpTo30Days);
        assert_eq!(band(30), ArrearsAge::UpTo30Days);
        assert_eq!(band(31), ArrearsAge::UpTo90Days);
        assert_eq!(band(90), ArrearsAge::UpTo90Days);
        assert_eq!(band(91), ArrearsAge::UpTo180Days);
        assert_eq!(band(180), ArrearsAge::UpTo180Days);
        assert_eq!(band(181), ArrearsAge::Over180Days);
    }

    #[test]
    fn a_cover_is_renewed_within_the_grace_period_and_a_later_one_is_a_lapse() {
        let december = period("2025-12-01", "2025-12-31");
        let year = |start: &str, end: &str| (day(start), Some(day(end)));
        // Renewed the day after.
        let renewed = [
            year("2025-01-01", "2025-12-31"),
            year("2026-01-01", "2026-12-31"),
        ];
        assert_eq!(
            renewal(&renewed, december, 30),
            Renewal { due: 1, renewed: 1 }
        );
        // Renewed on the last day of grace: 30 days after the day after the end.
        let late_in_grace = [
            year("2025-01-01", "2025-12-31"),
            year("2026-01-31", "2027-01-30"),
        ];
        assert_eq!(renewal(&late_in_grace, december, 30).renewed, 1);
        // A day later is a lapse and a new start, not a renewal.
        let lapsed = [
            year("2025-01-01", "2025-12-31"),
            year("2026-02-01", "2027-01-31"),
        ];
        assert_eq!(
            renewal(&lapsed, december, 30),
            Renewal { due: 1, renewed: 0 }
        );
        // Not renewed at all; an open cover never comes up; another month's end is not due.
        assert_eq!(
            renewal(&[year("2025-01-01", "2025-12-31")], december, 30).renewed,
            0
        );
        assert_eq!(
            renewal(&[(day("2025-01-01"), None)], december, 30),
            Renewal::default()
        );
        assert_eq!(
            renewal(&[year("2025-01-01", "2025-11-30")], december, 30),
            Renewal::default()
        );
    }

    #[test]
    fn a_target_population_is_the_latest_given_and_counted_once_at_the_highest_level() {
        // Province P holds districts D1 and D2; D1 holds village V1.
        let parent_of = |code: &str| match code {
            "D1" | "D2" => Some("P".to_string()),
            "V1" => Some("D1".to_string()),
            _ => None,
        };
        let target = |location: &str, year, population| Target {
            location: location.into(),
            year,
            population,
        };
        let targets = [
            target("D1", 2024, 1_000),
            target("D1", 2025, 1_100),
            target("D2", 2025, 500),
            target("V1", 2025, 300),
        ];
        let everywhere = |_: &str| true;
        // Nationally, D1 (2025) and D2; V1 is counted in D1.
        assert_eq!(
            target_population(&targets, 2025, &everywhere, &parent_of),
            Some(1_600)
        );
        // In 2026 the latest given is 2025's; in 2024 only D1 had one.
        assert_eq!(
            target_population(&targets, 2026, &everywhere, &parent_of),
            Some(1_600)
        );
        assert_eq!(
            target_population(&targets, 2024, &everywhere, &parent_of),
            Some(1_000)
        );
        assert_eq!(
            target_population(&targets, 2023, &everywhere, &parent_of),
            None
        );
        // A village alone: its own target, though its district has one too.
        let village = |code: &str| code == "V1";
        assert_eq!(
            target_population(&targets, 2025, &village, &parent_of),
            Some(300)
        );
        // A province's target counts its districts' once it is given.
        let with_province = [targets.to_vec(), vec![target("P", 2025, 2_000)]].concat();
        assert_eq!(
            target_population(&with_province, 2025, &everywhere, &parent_of),
            Some(2_000)
        );
    }

    #[test]
    fn a_ratio_without_a_base_is_unknown() {
        assert_eq!(ratio(3.0, 4.0), Some(0.75));
        assert_eq!(ratio(3.0, 0.0), None);
        assert_eq!(growth(100, 110), Some(0.1));
        assert_eq!(growth(100, 90), Some(-0.1));
        assert_eq!(growth(0, 10), None);
    }
}
