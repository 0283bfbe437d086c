//! The early warning's figures, month by month: the exposure and family sizes of the members
//! counted, and each base-table line's claims by month of care as reported by the last day
//! watched; then each month set against what the premium basis expected for it, in the bands
//! of [`super::warning`].

use super::tally::{FamilyFacts, member_years};
use super::warning::{Check, Warning, mean_band, normal_quantile, poisson_band, warning};
use crate::projection::ProjectedYear;
use carepool_core::Money;
use carepool_core::monitoring::{Period, Step, periods};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// The name of the line that adds every claim up.
pub const TOTAL: &str = "total";

/// A claim the scheme owes something for (not rejected), as the watch counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WatchClaim<'a> {
    /// Its base-table line: the clinical category and specialty ("medical paediatrics"), or the
    /// category alone.
    pub line: &'a str,
    pub incurred: NaiveDate,
    pub received: NaiveDate,
    /// What the scheme owes: the approved amount once decided, the claimed amount before.
    pub cost: Money,
}

/// What the premium basis expects of one month.
#[derive(Debug, Clone, PartialEq)]
pub struct Expected {
    pub lines: Vec<ExpectedLine>,
    /// Members per family.
    pub family_size: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExpectedLine {
    pub name: String,
    /// Claims per member-year.
    pub incidence: f64,
    /// Per claim, in currency units.
    pub average_cost: f64,
}

/// How sure a warning must be.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WatchSettings {
    /// The chance that a month falls outside its band by chance alone (two-sided).
    pub alpha: f64,
    /// The months in a row outside the band, on one side, that raise a warning.
    pub months_in_a_row: usize,
}

impl Default for WatchSettings {
    fn default() -> Self {
        WatchSettings {
            alpha: 0.01,
            months_in_a_row: 3,
        }
    }
}

/// The watch's answer: what was checked, and the runs outside their bands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Watch {
    #[serde(flatten)]
    pub settings: WatchSettings,
    /// The months a premium basis was in force for, first days.
    pub months_checked: Vec<NaiveDate>,
    /// The lines checked, the total last.
    pub lines: Vec<String>,
    pub warnings: Vec<Warning>,
}

/// A month whose claims are reported below this share by the last day tells too little.
const LEAST_REPORTED: f64 = 0.05;

/// The fewest claims (or families) whose average is checked against its band.
const FEWEST_FOR_AN_AVERAGE: u64 = 5;

/// A count, sum and sum of squares, for an average and its spread.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Moments {
    n: u64,
    sum: f64,
    squares: f64,
}

impl Moments {
    fn add(&mut self, value: f64) {
        self.n += 1;
        self.sum += value;
        self.squares += value * value;
    }

    fn mean(&self) -> f64 {
        self.sum / self.n as f64
    }

    /// The sample standard deviation (n - 1 in the denominator).
    fn spread(&self) -> f64 {
        let n = self.n as f64;
        ((self.squares - self.sum * self.sum / n) / (n - 1.0))
            .max(0.0)
            .sqrt()
    }
}

/// The watch's figures counted so far.
#[derive(Debug, Clone)]
pub struct WatchTally {
    to: NaiveDate,
    months: Vec<Period>,
    /// Member-years of active cover in each month.
    exposure: Vec<f64>,
    /// Active members per family with any, at each month's end.
    family_sizes: Vec<Moments>,
    /// Each line's costs (currency units) by month of care, of the claims reported by `to`.
    lines: BTreeMap<String, Vec<Moments>>,
    /// The family being added's members at each month's end.
    members_at_end: Vec<u32>,
}

impl WatchTally {
    /// Nothing counted yet for the months from `from`'s to `to`'s; none when `to` is before
    /// `from`.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Option<WatchTally> {
        let first = from.with_day(1).expect("the first of a month");
        let months = periods(first, to, Step::Month);
        let n = months.len();
        (n > 0).then(|| WatchTally {
            to,
            exposure: vec![0.0; n],
            family_sizes: vec![Moments::default(); n],
            lines: BTreeMap::new(),
            members_at_end: vec![0; n],
            months,
        })
    }

    pub fn months(&self) -> &[Period] {
        &self.months
    }

    /// The month holding `date`, if watched.
    fn month_of(&self, date: NaiveDate) -> Option<usize> {
        let first = self.months[0].start;
        if date < first || date > self.to {
            return None;
        }
        let months =
            (date.year() - first.year()) * 12 + date.month0() as i32 - first.month0() as i32;
        Some(months as usize)
    }

    pub fn add_family(&mut self, family: &FamilyFacts) {
        self.members_at_end.fill(0);
        for member in family.members {
            for span in member.spans.iter().filter(|s| !s.pending) {
                let first = span.start.max(self.months[0].start);
                let last = span.end.min(self.to);
                let (Some(a), Some(b)) = (self.month_of(first), self.month_of(last)) else {
                    continue;
                };
                if first > last {
                    continue;
                }
                for i in a..=b {
                    let month = self.months[i];
                    self.exposure[i] += member_years(span, month);
                    if span.start <= month.end && month.end <= span.end {
                        self.members_at_end[i] += 1;
                    }
                }
            }
        }
        for (sizes, &members) in self.family_sizes.iter_mut().zip(&self.members_at_end) {
            if members > 0 {
                sizes.add(f64::from(members));
            }
        }
    }

    /// Counts a claim incurred in a watched month and reported by the last day.
    pub fn add_claim(&mut self, claim: &WatchClaim) {
        if claim.received > self.to {
            return;
        }
        let Some(i) = self.month_of(claim.incurred) else {
            return;
        };
        let n = self.months.len();
        let costs = match self.lines.get_mut(claim.line) {
            Some(costs) => costs,
            None => self
                .lines
                .entry(claim.line.to_string())
                .or_insert_with(|| vec![Moments::default(); n]),
        };
        costs[i].add(claim.cost.minor() as f64 / 100.0);
    }

    /// Each month against `expected` (none for a month no premium basis covers), its claim
    /// counts completed by `reported` (the share of its claims reported by the last day, none
    /// where not known): the incidence of each line the basis names and of the total, their
    /// average cost, and the family size.
    pub fn watch(
        &self,
        expected: &[Option<Expected>],
        reported: &[Option<f64>],
        settings: WatchSettings,
    ) -> Watch {
        let z = normal_quantile(1.0 - settings.alpha / 2.0);
        let mut names: Vec<String> = Vec::new();
        for month in expected.iter().flatten() {
            for line in &month.lines {
                if !names.contains(&line.name) {
                    names.push(line.name.clone());
                }
            }
        }
        let none = vec![Moments::default(); self.months.len()];
        let mut total = none.clone();
        for costs in self.lines.values() {
            for (sum, month) in total.iter_mut().zip(costs) {
                sum.n += month.n;
                sum.sum += month.sum;
                sum.squares += month.squares;
            }
        }
        let mut warnings = Vec::new();
        let mut raise = |line: &str, measure: &'static str, checks: Vec<Option<Check>>| {
            warnings.extend(warning(line, measure, &checks, settings.months_in_a_row));
        };
        let series = names
            .iter()
            .map(|name| (name.as_str(), self.lines.get(name).unwrap_or(&none)))
            .chain([(TOTAL, &total)]);
        for (name, costs) in series {
            let expected_line = |i: usize| -> Option<ExpectedLine> {
                let month = expected.get(i)?.as_ref()?;
                if name == TOTAL {
                    let incidence: f64 = month.lines.iter().map(|l| l.incidence).sum();
                    let cost: f64 = month
                        .lines
                        .iter()
                        .map(|l| l.incidence * l.average_cost)
                        .sum();
                    return Some(ExpectedLine {
                        name: TOTAL.into(),
                        incidence,
                        average_cost: cost / incidence,
                    });
                }
                month.lines.iter().find(|l| l.name == name).cloned()
            };
            let incidence = (0..self.months.len())
                .map(|i| {
                    let line = expected_line(i)?;
                    let share = reported.get(i).copied().flatten()?;
                    self.incidence_check(i, costs[i].n, line.incidence, share, settings.alpha)
                })
                .collect();
            raise(name, "incidence_per_1000", incidence);
            let cost = (0..self.months.len())
                .map(|i| {
                    let line = expected_line(i)?;
                    self.average_check(i, costs[i], line.average_cost, z)
                })
                .collect();
            raise(name, "average_cost", cost);
        }
        let family_size = (0..self.months.len())
            .map(|i| {
                let month = expected.get(i)?.as_ref()?;
                self.average_check(i, self.family_sizes[i], month.family_size, z)
            })
            .collect();
        raise(TOTAL, "family_size", family_size);
        names.push(TOTAL.into());
        Watch {
            settings,
            months_checked: (self.months.iter().zip(expected))
                .filter(|(_, e)| e.is_some())
                .map(|(m, _)| m.start)
                .collect(),
            lines: names,
            warnings,
        }
    }

    /// Claims per 1,000 member-years: the count reported against a Poisson count whose mean is
    /// what the basis expects of the month's exposure thinned by the share reported so far, so
    /// that a month still being reported is judged on what could have come in.
    fn incidence_check(
        &self,
        i: usize,
        claims: u64,
        incidence: f64,
        reported_share: f64,
        alpha: f64,
    ) -> Option<Check> {
        let exposure = self.exposure[i];
        if exposure <= 0.0 || reported_share < LEAST_REPORTED || !incidence.is_finite() {
            return None;
        }
        let (low, high) = poisson_band(incidence * exposure * reported_share, alpha);
        let per_1000 = |count: f64| 1000.0 * count / reported_share / exposure;
        Some(Check {
            month: self.months[i].start,
            observed: per_1000(claims as f64),
            expected: 1000.0 * incidence,
            low: per_1000(low),
            high: per_1000(high),
        })
    }

    /// An average (cost per claim, members per family) against its band: `z` standard errors
    /// from the spread observed among the month's values.
    fn average_check(&self, i: usize, values: Moments, expected: f64, z: f64) -> Option<Check> {
        if values.n < FEWEST_FOR_AN_AVERAGE || !expected.is_finite() {
            return None;
        }
        let (low, high) = mean_band(expected, values.spread(), values.n, z);
        Some(Check {
            month: self.months[i].start,
            observed: values.mean(),
            expected,
            low,
            high,
        })
    }
}

/// What premium bases expect of each month: the latest basis in force on its first day (the
/// bases as their first days and projected years, oldest first), in the projection year the
/// month falls in; none for a month before the first basis or after the projection of the
/// latest one in force.
pub fn expected_by_month(
    bases: &[(NaiveDate, Vec<ProjectedYear>)],
    months: &[Period],
) -> Vec<Option<Expected>> {
    months
        .iter()
        .map(|month| {
            let (from, years) = bases.iter().rev().find(|(from, _)| *from <= month.start)?;
            // Whole months from the basis's first day to the month's.
            let mut elapsed = (month.start.year() - from.year()) * 12 + month.start.month0() as i32
                - from.month0() as i32;
            if month.start.day() < from.day() {
                elapsed -= 1;
            }
            let year = years.get(usize::try_from(elapsed / 12).ok()?)?;
            Some(Expected {
                lines: (year.lines.iter())
                    .map(|line| ExpectedLine {
                        name: line.name.clone(),
                        incidence: line.incidence,
                        average_cost: line.average_cost,
                    })
                    .collect(),
                family_size: year.members / year.families,
            })
        })
        .collect()
}

/// Claims counted by month of care and month reported, as known at a valuation date, added one
/// at a time: it holds the counts, not the claims.
#[derive(Debug, Clone)]
pub struct ReportedCounts {
    valuation: NaiveDate,
    /// The oldest month of care of a claim known.
    first: Option<i64>,
    /// Claims by month of care and months from it to the month reported (none before it).
    counts: BTreeMap<(i64, i64), u64>,
}

impl ReportedCounts {
    pub fn new(valuation: NaiveDate) -> ReportedCounts {
        ReportedCounts {
            valuation,
            first: None,
            counts: BTreeMap::new(),
        }
    }

    /// Counts a claim, if it was reported by the valuation date.
    pub fn add(&mut self, incurred: NaiveDate, reported: NaiveDate) {
        if reported > self.valuation {
            return;
        }
        let origin = month_index(incurred);
        self.first = Some(self.first.map_or(origin, |first| first.min(origin)));
        // Cared for after the valuation's month (and reported, wrongly, before): in no origin.
        if origin > month_index(self.valuation) {
            return;
        }
        let lag = (month_index(reported) - origin).max(0);
        *self.counts.entry((origin, lag)).or_default() += 1;
    }

    /// The share of each of `months`' claims reported by the valuation date: the chain
    /// ladder's volume-weighted development factors on the claim counts by month of care and
    /// month reported (every claim known by then, of any month), one over their product from
    /// the month's development to the last one observed. A development no claim had reached (a
    /// column of nothing, as when facilities send each month's claims after it ends) leaves
    /// the months that must grow through it unknown, not the others; a month older than any
    /// claim is all in.
    pub fn shares(&self, months: &[Period]) -> Vec<Option<f64>> {
        let last = month_index(self.valuation);
        let Some(first) = self.first else {
            return vec![None; months.len()];
        };
        // Origins from the oldest month of care known to the valuation's (none when every
        // claim known was cared for after it).
        let origins = usize::try_from(last - first + 1).unwrap_or(0);
        // Each development's claims to date and the next one's, over the origins that have
        // both; the origins no claim was cared for in add nothing.
        let developments = origins.saturating_sub(1);
        let (mut from, mut to) = (vec![0u64; developments], vec![0u64; developments]);
        let mut cells = self.counts.iter().peekable();
        while let Some(&(&(origin, _), _)) = cells.peek() {
            let reach = origins - (origin - first) as usize;
            let mut to_date = 0;
            for lag in 0..reach {
                if let Some((_, claims)) = cells.next_if(|&(&cell, _)| cell == (origin, lag as i64))
                {
                    to_date += claims;
                }
                if lag + 1 < reach {
                    from[lag] += to_date;
                }
                if lag > 0 {
                    to[lag - 1] += to_date;
                }
            }
            while cells.next_if(|&(&(o, _), _)| o == origin).is_some() {}
        }
        // The factor from each development to the next.
        let factors: Vec<Option<f64>> = (from.iter().zip(&to))
            .map(|(&from, &to)| (from > 0).then(|| to as f64 / from as f64))
            .collect();
        months
            .iter()
            .map(|month| {
                let lag = usize::try_from(last - month_index(month.start)).ok()?;
                (factors.get(lag..).unwrap_or(&[]).iter())
                    .try_fold(1.0, |to_ultimate, factor| Some(to_ultimate * (*factor)?))
                    .map(|to_ultimate| 1.0 / to_ultimate)
            })
            .collect()
    }
}

/// A running number of the month a date falls in.
fn month_index(date: NaiveDate) -> i64 {
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ClaimDates;
    use crate::experience::Span;
    use crate::indicators::MemberFacts;
    use crate::indicators::warning::Side;
    use crate::projection::ProjectedLine;
    use proptest::strategy::Strategy;

    /// The share of each of `months`' claims reported by `valuation`, of `claims` held whole (see
    /// [`ReportedCounts::shares`]): the tests' shorthand.
    fn reported_shares(
        claims: &[ClaimDates],
        months: &[Period],
        valuation: NaiveDate,
    ) -> Vec<Option<f64>> {
        let mut counts = ReportedCounts::new(valuation);
        claims
            .iter()
            .for_each(|c| counts.add(c.incurred, c.reported));
        counts.shares(months)
    }

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn active(start: &str, end: &str) -> Span {
        Span {
            start: day(start),
            end: day(end),
            pending: false,
        }
    }

    fn member(spans: &[Span]) -> MemberFacts<'_> {
        MemberFacts {
            spans,
            covers: &[],
            woman: false,
            grace_days: 0,
        }
    }

    fn family(tally: &mut WatchTally, members: &[MemberFacts]) {
        tally.add_family(&FamilyFacts {
            members,
            due: &[],
            payments: &[],
        });
    }

    fn claim<'a>(line: &'a str, incurred: &str, received: &str, cost: i64) -> WatchClaim<'a> {
        WatchClaim {
            line,
            incurred: day(incurred),
            received: day(received),
            cost: Money::from_units(cost),
        }
    }

    /// Two members from 2024 on, a third leaving on 15 March 2025; watched January to April.
    fn tally() -> WatchTally {
        let mut tally = WatchTally::new(day("2025-01-10"), day("2025-04-30")).unwrap();
        let long = [active("2024-06-01", "2027-12-31")];
        let leaving = [
            active("2024-06-01", "2025-01-31"),
            Span {
                start: day("2025-02-01"),
                end: day("2025-02-28"),
                pending: true,
            },
            active("2025-03-01", "2025-03-15"),
        ];
        family(
            &mut tally,
            &[member(&long), member(&long), member(&leaving)],
        );
        // A family of one, pending all along: no exposure, no size.
        let pending = [Span {
            start: day("2024-06-01"),
            end: day("2027-12-31"),
            pending: true,
        }];
        family(&mut tally, &[member(&pending)]);
        tally
    }

    fn dated(incurred: &str, reported: &str) -> ClaimDates {
        ClaimDates {
            incurred: day(incurred),
            reported: day(reported),
            paid: None,
            amount: 1.0,
        }
    }

    fn months(from: &str, to: &str) -> Vec<Period> {
        periods(day(from), day(to), Step::Month)
    }

    /// A projection year whose one line has `incidence`, of 1,000 members in 250 families.
    fn year(number: usize, incidence: f64) -> ProjectedYear {
        ProjectedYear {
            year: number,
            lines: vec![ProjectedLine {
                name: "medical".into(),
                incidence,
                average_cost: 100.0,
                risk_cost: 100.0 * incidence,
            }],
            risk_cost_per_member: 100.0 * incidence,
            risk_cost_per_family: 400.0 * incidence,
            expense_share: 0.0,
            premium_per_member: 100.0 * incidence,
            premium_per_family: 400.0 * incidence,
            members: 1_000.0,
            families: 250.0,
        }
    }

    #[test]
    fn each_month_expects_the_latest_basis_in_force_in_its_projection_year() {
        let bases = [
            (day("2025-01-01"), vec![year(1, 1.0), year(2, 2.0)]),
            (day("2026-07-15"), vec![year(1, 3.0)]),
        ];
        let watched = months("2024-12-01", "2027-08-31");
        let expected = expected_by_month(&bases, &watched);
        let incidence = |month: &str| {
            let at = watched.iter().position(|m| m.start == day(month)).unwrap();
            expected[at].as_ref().map(|e| e.lines[0].incidence)
        };
        // Before the first basis: nothing; its first and second years.
        assert_eq!(incidence("2024-12-01"), None);
        assert_eq!(incidence("2025-12-01"), Some(1.0));
        assert_eq!(incidence("2026-01-01"), Some(2.0));
        // July 2026 began before the second basis: still the first; August the second's.
        assert_eq!(incidence("2026-07-01"), Some(2.0));
        assert_eq!(incidence("2026-08-01"), Some(3.0));
        // The second's one year ends on 14 July 2027: none after, not the first's again.
        assert_eq!(incidence("2027-07-01"), Some(3.0));
        assert_eq!(incidence("2027-08-01"), None);
        assert_eq!(expected[1].as_ref().unwrap().family_size, 4.0);
    }

    #[test]
    fn reported_shares_by_chain_ladder_on_counts() {
        // January: 2 claims reported in January, 2 more in February; February: 3 in February.
        let claims = [
            dated("2025-01-05", "2025-01-20"),
            dated("2025-01-10", "2025-01-30"),
            dated("2025-01-12", "2025-02-03"),
            dated("2025-01-20", "2025-02-10"),
            dated("2025-02-02", "2025-02-12"),
            dated("2025-02-10", "2025-02-20"),
            dated("2025-02-11", "2025-02-27"),
            // Reported after the valuation: unknown.
            dated("2025-02-20", "2025-03-02"),
        ];
        let watched = months("2024-12-01", "2025-02-28");
        let shares = reported_shares(&claims, &watched, day("2025-02-28"));
        // The factor from the first month to the second is 4 / 2 (January alone has both):
        // February is half in; January, at its last development, all in; December, before
        // any claim, all in.
        assert_eq!(shares, [Some(1.0), Some(1.0), Some(0.5)]);
        assert_eq!(reported_shares(&[], &watched, day("2025-02-28")), [None; 3]);
        // Counted one at a time, in any order: the counts, not the claims, are kept.
        let mut counts = ReportedCounts::new(day("2025-02-28"));
        claims
            .iter()
            .rev()
            .for_each(|c| counts.add(c.incurred, c.reported));
        assert_eq!(counts.counts.len(), 3);
        assert_eq!(counts.shares(&watched), shares);
    }

    /// The shares as they were counted before claims were added one at a time, from the
    /// claims held whole: the reference the counts must equal.
    fn reference_shares(
        claims: &[ClaimDates],
        months: &[Period],
        valuation: NaiveDate,
    ) -> Vec<Option<f64>> {
        let index = |date: NaiveDate| i64::from(date.year()) * 12 + i64::from(date.month0());
        let last = index(valuation);
        let known = claims.iter().filter(|c| c.reported <= valuation);
        let Some(first) = known.clone().map(|c| index(c.incurred)).min() else {
            return vec![None; months.len()];
        };
        let origins = (last - first + 1) as usize;
        // Claims by origin and development, made cumulative along each origin.
        let mut counts = vec![vec![0.0f64; origins]; origins];
        for claim in known {
            let origin = (index(claim.incurred) - first) as usize;
            let lag = (index(claim.reported) - index(claim.incurred)).max(0) as usize;
            if origin + lag < origins {
                counts[origin][lag] += 1.0;
            }
        }
        for row in &mut counts {
            for lag in 1..origins {
                row[lag] += row[lag - 1];
            }
        }
        // The factor from each development to the next, over the origins that have both.
        let factors: Vec<Option<f64>> = (0..origins.saturating_sub(1))
            .map(|lag| {
                let (mut from, mut to) = (0.0, 0.0);
                for (origin, row) in counts.iter().enumerate() {
                    if origin + lag + 1 < origins {
                        from += row[lag];
                        to += row[lag + 1];
                    }
                }
                (from > 0.0).then(|| to / from)
            })
            .collect();
        months
            .iter()
            .map(|month| {
                let lag = usize::try_from(last - index(month.start)).ok()?;
                (factors.get(lag..).unwrap_or(&[]).iter())
                    .try_fold(1.0, |to_ultimate, factor| Some(to_ultimate * (*factor)?))
                    .map(|to_ultimate| 1.0 / to_ultimate)
            })
            .collect()
    }

    proptest::proptest! {
        #[test]
        fn counts_made_a_claim_at_a_time_give_the_shares_of_the_claims_held_whole(
            mut claims in proptest::collection::vec(
                (0u64..1_100, -40i64..365).prop_map(|(care, delay)| {
                    let incurred = day("2023-07-01") + chrono::Days::new(care);
                    let reported = incurred + chrono::Duration::days(delay);
                    ClaimDates { incurred, reported, paid: None, amount: 1.0 }
                }),
                0..300,
            ),
        ) {
            // The reference cannot size the counts when every claim known was cared for two
            // months or more after the valuation's: one of the first month keeps an origin.
            let valuation = day("2025-06-30");
            if claims.iter().any(|claim| claim.incurred > valuation) {
                claims.insert(0, dated("2023-07-01", "2023-07-05"));
            }
            let watched = months("2024-07-01", "2025-06-30");
            proptest::prop_assert_eq!(
                reported_shares(&claims, &watched, valuation),
                reference_shares(&claims, &watched, valuation)
            );
        }
    }

    #[test]
    fn claims_a_century_apart_or_all_cared_for_after_the_valuation() {
        let watched = months("2025-01-01", "2025-02-28");
        // Care in 1920 reported then, beside this year's: every development from 1920 on
        // had its claims, so each month is all in.
        let century = [
            dated("1920-01-05", "1920-01-20"),
            dated("2025-01-10", "2025-01-30"),
            dated("2025-02-10", "2025-02-20"),
        ];
        assert_eq!(
            reported_shares(&century, &watched, day("2025-02-28")),
            [Some(1.0); 2]
        );
        // Reported (wrongly) before its care, which is after the valuation: known, but in no
        // month the triangle holds; there is nothing to complete a month with.
        let next_month = [dated("2025-03-05", "2025-02-20")];
        assert_eq!(
            reported_shares(&next_month, &watched, day("2025-02-28")),
            [Some(1.0); 2]
        );
        let early = [dated("2025-05-05", "2025-02-20")];
        assert_eq!(
            reported_shares(&early, &watched, day("2025-02-28")),
            [Some(1.0); 2]
        );
        let mut with_others = early.to_vec();
        with_others.push(dated("2025-01-10", "2025-01-30"));
        with_others.push(dated("2025-02-10", "2025-02-20"));
        assert_eq!(
            reported_shares(&with_others, &watched, day("2025-02-28")),
            [Some(1.0), Some(1.0)]
        );
    }

    #[test]
    fn a_development_no_claim_reached_leaves_only_the_months_that_grow_through_it_unknown() {
        // Every claim sent the month after its care: nothing at development 0.
        let claims = [
            dated("2025-01-05", "2025-02-03"),
            dated("2025-01-10", "2025-02-05"),
            dated("2025-02-05", "2025-03-03"),
            dated("2025-02-08", "2025-03-04"),
            dated("2025-03-01", "2025-04-02"),
        ];
        let watched = months("2025-01-01", "2025-04-30");
        let shares = reported_shares(&claims, &watched, day("2025-04-30"));
        // April (development 0) must grow from nothing: unknown. March and earlier are past it:
        // February to March is 2 -> 2, January 2 -> 2.
        assert_eq!(shares, [Some(1.0), Some(1.0), Some(1.0), None]);
    }

    #[test]
    fn exposure_and_family_sizes_count_active_cover_by_month() {
        let tally = tally();
        // The months are whole from the first of the month of the first day watched.
        assert_eq!(tally.months()[0].start, day("2025-01-01"));
        assert_eq!(tally.months().len(), 4);
        let years = |days: f64| days / 365.0;
        let expected = [
            years(3.0 * 31.0),
            years(2.0 * 28.0),
            years(2.0 * 31.0 + 15.0),
            years(2.0 * 30.0),
        ];
        for (found, expected) in tally.exposure.iter().zip(expected) {
            assert!(
                (found - expected).abs() < 1e-12,
                "{found} against {expected}"
            );
        }
        // Three at the end of January, two after; the pending family is no family.
        let sizes: Vec<(u64, f64)> = (tally.family_sizes.iter())
            .map(|m| (m.n, m.mean()))
            .collect();
        assert_eq!(sizes, [(1, 3.0), (1, 2.0), (1, 2.0), (1, 2.0)]);
    }

    #[test]
    fn claims_count_by_month_of_care_as_reported_by_the_last_day() {
        let mut tally = tally();
        tally.add_claim(&claim("medical", "2025-01-05", "2025-01-20", 100));
        tally.add_claim(&claim("medical", "2025-01-31", "2025-02-03", 300));
        // Care before the first month, and a claim reported after the last day, are not counted.
        tally.add_claim(&claim("medical", "2024-12-31", "2025-01-03", 1_000));
        tally.add_claim(&claim("medical", "2025-04-30", "2025-05-01", 1_000));
        tally.add_claim(&claim("surgical", "2025-04-02", "2025-04-30", 5_000));
        let medical = &tally.lines["medical"];
        assert_eq!((medical[0].n, medical[0].sum), (2, 400.0));
        assert_eq!(medical[0].squares, 100_000.0);
        assert_eq!(medical[3].n, 0);
        assert_eq!(tally.lines["surgical"][3].n, 1);
    }

    #[test]
    fn a_moments_spread_is_the_sample_standard_deviation() {
        let mut costs = Moments::default();
        for cost in [2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0] {
            costs.add(cost);
        }
        assert_eq!(costs.mean(), 5.0);
        // Sum of squared deviations 32 over 7.
        assert!((costs.spread() - (32.0f64 / 7.0).sqrt()).abs() < 1e-12);
    }

    fn basis(incidence: f64, average_cost: f64, family_size: f64) -> Option<Expected> {
        Some(Expected {
            lines: vec![ExpectedLine {
                name: "medical".into(),
                incidence,
                average_cost,
            }],
            family_size,
        })
    }

    /// A scheme of 1,200 members in 400 families of 3 over 2025, with `claims(month)`
    /// claims of 1,000 and 1,400 alternately in each month of care.
    fn scheme(claims: impl Fn(usize) -> u64) -> WatchTally {
        let mut tally = WatchTally::new(day("2025-01-01"), day("2025-12-31")).unwrap();
        let always = [active("2024-01-01", "2026-12-31")];
        let members = [member(&always), member(&always), member(&always)];
        for _ in 0..400 {
            family(&mut tally, &members);
        }
        let mut lines = vec![Moments::default(); 12];
        for (month, line) in lines.iter_mut().enumerate() {
            for k in 0..claims(month) {
                line.add(if k % 2 == 0 { 1_000.0 } else { 1_400.0 });
            }
        }
        tally.lines.insert("medical".into(), lines);
        tally
    }

    #[test]
    fn the_incidence_band_is_poisson_on_the_claims_that_could_have_been_reported() {
        let tally = scheme(|_| 100);
        // One claim a member-year: 1,200 x 31/365 = 101.9 expected in January; half reported.
        let expected = vec![basis(1.0, 1_200.0, 3.0); 12];
        let mut reported = vec![Some(1.0); 12];
        reported[0] = Some(0.5);
        let watch = tally.watch(&expected, &reported, WatchSettings::default());
        assert!(watch.warnings.is_empty(), "{:?}", watch.warnings);
        let exposure = 1_200.0 * 31.0 / 365.0;
        let check = tally.incidence_check(0, 100, 1.0, 0.5, 0.01).unwrap();
        let (low, high) = poisson_band(exposure * 0.5, 0.01);
        assert_eq!(check.expected, 1_000.0);
        assert!((check.observed - 1000.0 * 100.0 / 0.5 / exposure).abs() < 1e-9);
        assert!((check.high - 1000.0 * high / 0.5 / exposure).abs() < 1e-9);
        assert!((check.low - 1000.0 * low / 0.5 / exposure).abs() < 1e-9);
        // 100 reported of a half-reported 51 expected is far above.
        assert_eq!(check.side(), Some(Side::Above));
        // Hardly anything reported yet: nothing to judge.
        assert_eq!(tally.incidence_check(0, 3, 1.0, 0.04, 0.01), None);
    }

    #[test]
    fn three_months_above_the_band_raise_an_open_warning_with_the_figures() {
        // About 100 claims a month expected; 130 from October.
        let tally = scheme(|month| if month >= 9 { 130 } else { 100 });
        let mut expected = vec![basis(1.0, 1_200.0, 3.0); 12];
        // No basis in force in January.
        expected[0] = None;
        let watch = tally.watch(&expected, &[Some(1.0); 12], WatchSettings::default());
        assert_eq!(watch.months_checked.len(), 11);
        assert_eq!(watch.lines, ["medical", TOTAL]);
        // The line and the total, on incidence; cost and family size stay inside.
        let raised: Vec<(&str, &str, Side, usize, bool)> = (watch.warnings.iter())
            .map(|w| (w.line.as_str(), w.measure, w.side, w.months.len(), w.open))
            .collect();
        assert_eq!(
            raised,
            [
                ("medical", "incidence_per_1000", Side::Above, 3, true),
                (TOTAL, "incidence_per_1000", Side::Above, 3, true),
            ]
        );
        let october = &watch.warnings[0].months[0];
        assert_eq!(october.month, day("2025-10-01"));
        assert!((october.observed - 1000.0 * 130.0 / (1_200.0 * 31.0 / 365.0)).abs() < 1e-9);
        // Two months are not enough.
        let short = WatchSettings {
            months_in_a_row: 4,
            ..WatchSettings::default()
        };
        assert!(
            tally
                .watch(&expected, &[Some(1.0); 12], short)
                .warnings
                .is_empty()
        );
    }

    #[test]
    fn average_cost_and_family_size_are_judged_on_their_observed_spread() {
        let tally = scheme(|_| 100);
        // The costs average 1,200 with a spread of 200.5: the band is 1,000 +/- 2.5758 x 20.05.
        let expected = vec![basis(1.0, 1_000.0, 3.0); 12];
        let watch = tally.watch(&expected, &[Some(1.0); 12], WatchSettings::default());
        let costs: Vec<&Warning> = (watch.warnings.iter())
            .filter(|w| w.measure == "average_cost")
            .collect();
        assert_eq!(costs.len(), 2);
        let january = costs[0].months[0];
        assert_eq!(january.observed, 1_200.0);
        let spread = (100.0f64 * 200.0 * 200.0 / 99.0).sqrt();
        assert!((january.high - (1_000.0 + 2.575_829_303_548_901 * spread / 10.0)).abs() < 1e-6);
        // Every family has 3 members, no spread: 3.1 assumed is off, 3 is not.
        let larger = vec![basis(1.0, 1_200.0, 3.1); 12];
        let watch = tally.watch(&larger, &[Some(1.0); 12], WatchSettings::default());
        let sizes: Vec<(&str, Side)> = (watch.warnings.iter())
            .map(|w| (w.measure, w.side))
            .collect();
        assert_eq!(sizes, [("family_size", Side::Below)]);
    }
}
