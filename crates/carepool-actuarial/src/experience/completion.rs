//! Completing the months whose claims are not all in: the study's claims in a development
//! triangle by month incurred and months taken to reach the scheme (received), valued at the
//! last full month the data cover; volume-weighted development factors from it (the chain
//! ladder's), and each month's completion factor: what it will come to over what was reported by
//! then. The base table's lines are completed month by month with these factors.
//! docs/EXPERIENCE.md, "Completion of recent months".

use carepool_core::Money;
use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

/// A claim's reporting delay when the data do not say when it was received.
pub(crate) const DELAY_NOT_KNOWN: u16 = u16::MAX;

/// Calendar months from `from`'s month to `to`'s (0 in the same month; 0 if `to` is earlier).
pub(crate) fn months_from(from: NaiveDate, to: NaiveDate) -> u32 {
    let months = |d: NaiveDate| d.year() as i64 * 12 + i64::from(d.month0());
    (months(to) - months(from)).clamp(0, i64::from(u32::MAX)) as u32
}

/// The months from the month incurred to the month received, as the triangle counts them.
pub(crate) fn reporting_delay(incurred: NaiveDate, received: Option<NaiveDate>) -> u16 {
    match received {
        Some(received) => months_from(incurred, received).min(u32::from(u16::MAX - 1)) as u16,
        None => DELAY_NOT_KNOWN,
    }
}

/// The last day of the last month wholly before or ending on `day`.
fn last_full_month_end(day: NaiveDate) -> NaiveDate {
    match day.succ_opt().is_some_and(|next| next.day() == 1) {
        true => day,
        false => day.with_day(1).expect("the first of a month") - Days::new(1),
    }
}

/// Claims and what they cost, in minor units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Reported {
    pub claims: u64,
    pub cost: i64,
}

impl std::ops::AddAssign for Reported {
    fn add_assign(&mut self, other: Reported) {
        self.claims += other.claims;
        self.cost += other.cost;
    }
}

/// One month incurred: what was reported of it by the valuation, how long it has had to
/// develop, and its factors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompletionMonth {
    /// `2025-07`.
    pub month: String,
    /// Whole months from the month incurred to the valuation (0 for the month the data end
    /// in, after it).
    pub developed_months: u32,
    /// Claims (and their cost) received by the valuation, of those that say when; the month
    /// the data end in, all it has.
    pub claims: u64,
    pub cost: Money,
    /// Ultimate over reported, for claims and for cost: 1 for a month whose claims are all in.
    pub claims_factor: f64,
    pub cost_factor: f64,
}

/// The completion of a study's months.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completion {
    /// The day the triangle is valued at: the last full month the data cover (the data's end
    /// when it is a month's last day, else the end of the month before).
    pub valued_at: NaiveDate,
    /// The development factors from each month of delay to the next (volume weighted: the
    /// chain ladder's), for claims and for cost.
    pub claims_development: Vec<f64>,
    pub cost_development: Vec<f64>,
    /// No claim was reported before it was this many months old (facilities that send a
    /// month's claims after it ends): months younger have nothing to grow from and stay as
    /// reported. 0 when claims were reported in their own month.
    pub left_as_reported_under: u32,
    pub months: Vec<CompletionMonth>,
    /// The valuation's month, from the study's first.
    #[serde(skip)]
    valuation: u32,
}

/// Why the months could not be completed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotCompleted {
    /// No claim in the study says when it was received.
    NoReceivedDates,
    /// The data end before the study's first month is over: no month has developed.
    NoFullMonth,
}

/// The months of a study from `first` (its first day) to `last`, with what was reported of
/// each by delay, the data ending on `data_end`.
pub(crate) struct Development<'a> {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub data_end: NaiveDate,
    /// By (month incurred from the first, reporting delay in months).
    pub by_delay: &'a BTreeMap<(u32, u16), Reported>,
}

/// Volume-weighted development factors of cumulative `rows` (each no longer than the one
/// before), and each row's factor to ultimate from its last column. A development no origin
/// reported anything by (facilities that send a month's claims after it ends: nothing in the
/// month incurred) has nothing to grow from: its factor is taken as 1, which leaves the months
/// that young as reported.
fn chain_ladder(rows: &[Vec<f64>]) -> Fitted {
    let developments = rows.first().map_or(0, Vec::len);
    let mut without_base = 0;
    let factors: Vec<f64> = (0..developments.saturating_sub(1))
        .map(|k| {
            let linked = rows.iter().filter(|row| row.len() > k + 1);
            let (from, to) = linked.fold((0.0, 0.0), |(from, to), row| {
                (from + row[k], to + row[k + 1])
            });
            if from > 0.0 {
                return to / from;
            }
            without_base = k as u32 + 1;
            1.0
        })
        .collect();
    let to_ultimate = rows
        .iter()
        .map(|row| factors[row.len() - 1..].iter().product())
        .collect();
    Fitted {
        factors,
        to_ultimate,
        without_base,
    }
}

/// What the chain ladder gives: the factors, each row's factor to ultimate, and the months a
/// claim had to be old before any was reported (0 when some were reported in their month).
struct Fitted {
    factors: Vec<f64>,
    to_ultimate: Vec<f64>,
    without_base: u32,
}

impl Development<'_> {
    fn label(&self, month: u32) -> String {
        let first = self.first.with_day(1).expect("the first of a month");
        let date = first
            .checked_add_months(chrono::Months::new(month))
            .expect("a month within chrono's range");
        format!("{}-{:02}", date.year(), date.month())
    }

    /// The cumulative rows of `value`, one per month incurred up to the valuation's, with one
    /// column per month it has had to develop by then; claims received after the valuation are
    /// left out (they are what the factors estimate).
    fn rows(&self, valuation: u32, value: impl Fn(&Reported) -> f64) -> Vec<Vec<f64>> {
        let months = valuation.min(months_from(self.first, self.last)) + 1;
        let mut rows: Vec<Vec<f64>> = (0..months)
            .map(|month| vec![0.0; (valuation - month) as usize + 1])
            .collect();
        for (&(month, delay), reported) in self.by_delay {
            if let Some(row) = rows.get_mut(month as usize)
                && let Some(column) = row.get_mut(delay as usize)
            {
                *column += value(reported);
            }
        }
        for row in &mut rows {
            for k in 1..row.len() {
                row[k] += row[k - 1];
            }
        }
        rows
    }

    /// Each month's factors to ultimate by `value`: the first months with nothing reported
    /// (before the scheme's first dated claim) are left out of the triangle, where they would
    /// leave the oldest links nothing to grow from, and take 1; a month after the valuation's
    /// (the data end in it) takes a month just incurred's.
    fn fit(&self, valuation: u32, value: fn(&Reported) -> f64) -> (Fitted, Vec<f64>) {
        let rows = self.rows(valuation, value);
        let empty = rows
            .iter()
            .take_while(|row| row.last() == Some(&0.0))
            .count();
        let fitted = chain_ladder(&rows[empty..]);
        let just_incurred: f64 = fitted.factors.iter().product();
        let months = months_from(self.first, self.last) as usize + 1;
        let by_month = (0..months)
            .map(|month| match month {
                month if month < empty => 1.0,
                month if month < rows.len() => fitted.to_ultimate[month - empty],
                _ => just_incurred,
            })
            .collect();
        (fitted, by_month)
    }

    /// Each month's completion factors, for claims and for cost.
    pub fn complete(&self) -> Result<Completion, NotCompleted> {
        if self.by_delay.is_empty() {
            return Err(NotCompleted::NoReceivedDates);
        }
        let valued_at = last_full_month_end(self.data_end);
        if valued_at < self.first {
            return Err(NotCompleted::NoFullMonth);
        }
        let valuation = months_from(self.first, valued_at);
        let (claims_fit, claims_factors) = self.fit(valuation, |r| r.claims as f64);
        let (cost_fit, cost_factors) = self.fit(valuation, |r| r.cost as f64);
        let mut reported: BTreeMap<u32, Reported> = BTreeMap::new();
        for (&(month, delay), sums) in self.by_delay {
            if month > valuation || month + u32::from(delay) <= valuation {
                *reported.entry(month).or_default() += *sums;
            }
        }
        let months = (0..=months_from(self.first, self.last))
            .map(|month| {
                let sums = reported.get(&month).copied().unwrap_or_default();
                CompletionMonth {
                    month: self.label(month),
                    developed_months: valuation.saturating_sub(month),
                    claims: sums.claims,
                    cost: Money::from_minor(sums.cost),
                    claims_factor: claims_factors[month as usize],
                    cost_factor: cost_factors[month as usize],
                }
            })
            .collect();
        Ok(Completion {
            valued_at,
            left_as_reported_under: claims_fit.without_base,
            claims_development: claims_fit.factors,
            cost_development: cost_fit.factors,
            months,
            valuation,
        })
    }
}

impl Completion {
    /// Completes a line's claims by (month incurred from the study's first, reporting delay),
    /// month by month: those received by the valuation (or saying not when, or of the month
    /// the data end in) times their month's factor, and never less than every claim known of
    /// the month (some received after the valuation). Claims, and cost in units.
    pub(crate) fn completed<'a>(
        &self,
        by_delay: impl IntoIterator<Item = (&'a (u32, u16), &'a Reported)>,
    ) -> (f64, f64) {
        let valuation = self.valuation;
        // By month: everything known, and what the factors apply to.
        let mut by_month: BTreeMap<u32, (Reported, Reported)> = BTreeMap::new();
        for (&(month, delay), reported) in by_delay {
            let (known, valued) = by_month.entry(month).or_default();
            *known += *reported;
            if delay == DELAY_NOT_KNOWN
                || month > valuation
                || month + u32::from(delay) <= valuation
            {
                *valued += *reported;
            }
        }
        by_month
            .iter()
            .fold((0.0, 0.0), |(claims, cost), (&month, (known, valued))| {
                let factors = &self.months[month as usize];
                let complete = |known: f64, valued: f64, factor: f64| (valued * factor).max(known);
                (
                    claims
                        + complete(
                            known.claims as f64,
                            valued.claims as f64,
                            factors.claims_factor,
                        ),
                    cost + complete(
                        known.cost as f64 / 100.0,
                        valued.cost as f64 / 100.0,
                        factors.cost_factor,
                    ),
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn close(got: f64, want: f64) {
        assert!(
            (got - want).abs() < 1e-12 * want.abs().max(1.0),
            "{got} against {want}"
        );
    }

    fn reported(rows: &[(u32, u16, u64, i64)]) -> BTreeMap<(u32, u16), Reported> {
        rows.iter()
            .map(|&(month, delay, claims, cost)| {
                let cost = cost * 100;
                ((month, delay), Reported { claims, cost })
            })
            .collect()
    }

    fn development<'a>(
        last: &str,
        data_end: &str,
        by_delay: &'a BTreeMap<(u32, u16), Reported>,
    ) -> Development<'a> {
        Development {
            first: date("2025-01-01"),
            last: date(last),
            data_end: date(data_end),
            by_delay,
        }
    }

    #[test]
    fn delays_count_calendar_months_from_the_month_incurred() {
        assert_eq!(
            reporting_delay(date("2025-01-31"), Some(date("2025-02-01"))),
            1
        );
        assert_eq!(
            reporting_delay(date("2025-01-01"), Some(date("2025-01-31"))),
            0
        );
        assert_eq!(
            reporting_delay(date("2024-12-15"), Some(date("2025-03-01"))),
            3
        );
        // Received before incurred (a slip in the data) counts as at once.
        assert_eq!(
            reporting_delay(date("2025-03-01"), Some(date("2025-01-01"))),
            0
        );
        assert_eq!(reporting_delay(date("2025-03-01"), None), DELAY_NOT_KNOWN);
        assert_eq!(last_full_month_end(date("2025-03-31")), date("2025-03-31"));
        assert_eq!(last_full_month_end(date("2025-03-15")), date("2025-02-28"));
        assert_eq!(last_full_month_end(date("2024-03-01")), date("2024-02-29"));
    }

    /// Three months, January to March, the data ending on 31 March:
    ///
    /// | incurred | delay 0 | delay 1 | delay 2 |
    /// |---|---|---|---|
    /// | January | 10 (1,000) | 5 (600) | 1 (400) |
    /// | February | 8 (800) | 4 (400) | |
    /// | March | 6 (900) | | |
    ///
    /// Claims: cumulative 10, 15, 16 and 8, 12; factors (15 + 12) / (10 + 8) = 1.5 and 16 / 15.
    /// Cost: 1,000, 1,600, 2,000 and 800, 1,200; factors 2,800 / 1,800 and 2,000 / 1,600.
    fn three_months() -> BTreeMap<(u32, u16), Reported> {
        reported(&[
            (0, 0, 10, 1000),
            (0, 1, 5, 600),
            (0, 2, 1, 400),
            (1, 0, 8, 800),
            (1, 1, 4, 400),
            (2, 0, 6, 900),
        ])
    }

    #[test]
    fn each_month_is_completed_by_the_chain_ladder_to_its_ultimate() {
        let by_delay = three_months();
        let completion = development("2025-03-31", "2025-03-31", &by_delay)
            .complete()
            .unwrap();
        assert_eq!(completion.valued_at, date("2025-03-31"));
        assert_eq!(completion.left_as_reported_under, 0);
        close(completion.claims_development[0], 1.5);
        close(completion.claims_development[1], 16.0 / 15.0);
        close(completion.cost_development[0], 2800.0 / 1800.0);
        let months = &completion.months;
        assert_eq!(months[0].month, "2025-01");
        assert_eq!(months[2].developed_months, 0);
        close(months[0].claims_factor, 1.0);
        close(months[1].claims_factor, 16.0 / 15.0);
        close(months[2].claims_factor, 1.5 * 16.0 / 15.0);
        close(months[2].cost_factor, 2800.0 / 1800.0 * 2000.0 / 1600.0);
        assert_eq!(months[1].claims, 12);
        assert_eq!(months[1].cost, Money::from_minor(120_000));
        // A line with 2 claims (300) in February and 3 (450) in March, reported at once.
        let line = reported(&[(1, 0, 2, 300), (2, 0, 3, 450)]);
        let (claims, cost) = completion.completed(&line);
        close(claims, 2.0 * 16.0 / 15.0 + 3.0 * 1.6);
        close(
            cost,
            300.0 * 2000.0 / 1600.0 + 450.0 * 2800.0 / 1800.0 * 2000.0 / 1600.0,
        );
    }

    /// The data ending on 15 March, March is half known: the triangle is valued at the end of
    /// February, the claims received in March left out of it (January's third, February's
    /// second month). January [10, 15] and February [8]: one factor, 15 / 10. March, the month
    /// the data end in, takes a month just incurred's.
    #[test]
    fn a_month_half_over_is_left_out_of_the_triangle() {
        let by_delay = three_months();
        let completion = development("2025-03-31", "2025-03-15", &by_delay)
            .complete()
            .unwrap();
        assert_eq!(completion.valued_at, date("2025-02-28"));
        assert_eq!(completion.claims_development, [1.5]);
        let months = &completion.months;
        close(months[0].claims_factor, 1.0);
        close(months[1].claims_factor, 1.5);
        close(months[2].claims_factor, 1.5);
        assert_eq!(
            (months[0].claims, months[1].claims, months[2].claims),
            (15, 8, 6)
        );
        assert_eq!(months[2].developed_months, 0);
        // A line's claims received after the valuation are what the factors estimate, and a
        // month is never completed below what is known of it: January (its one claim came in
        // March), February (2 by the valuation, 3 known: 2 x 1.5) and March (3 x 1.5).
        let line = reported(&[
            (0, 2, 1, 400),
            (1, 0, 2, 300),
            (1, 1, 1, 100),
            (2, 0, 3, 450),
        ]);
        let (claims, _) = completion.completed(&line);
        close(claims, 1.0 + 3.0 + 4.5);
        // Claims that do not say when they were received count as reported.
        let undated = reported(&[(1, DELAY_NOT_KNOWN, 4, 400)]);
        close(completion.completed(&undated).0, 4.0 * 1.5);
        // Data that end within the first month have no month developed.
        let error = development("2025-03-31", "2025-01-20", &by_delay)
            .complete()
            .unwrap_err();
        assert_eq!(error, NotCompleted::NoFullMonth);
    }

    #[test]
    fn months_before_the_first_claim_or_delays_nothing_reached_are_left_as_reported() {
        // Months before the scheme's first claim are left out of the triangle: their factor
        // is 1, and the months after are completed from their own links.
        let started_late = reported(&[(1, 0, 4, 1), (1, 1, 2, 1), (2, 0, 3, 1)]);
        let completion = development("2025-03-31", "2025-03-31", &started_late)
            .complete()
            .unwrap();
        close(completion.months[0].claims_factor, 1.0);
        close(completion.months[1].claims_factor, 1.0);
        close(completion.months[2].claims_factor, 1.5);
        assert_eq!(completion.claims_development, [1.5]);
        // Claims sent after the month ends, never within it: no delay-0 base to grow from, so
        // that factor is 1 and a month not yet a month old stays as reported.
        let batched = reported(&[(0, 1, 4, 1), (0, 2, 1, 1), (1, 1, 2, 1)]);
        let completion = development("2025-03-31", "2025-03-31", &batched)
            .complete()
            .unwrap();
        assert_eq!(completion.claims_development[0], 1.0);
        assert_eq!(completion.left_as_reported_under, 1);
        close(completion.claims_development[1], 5.0 / 4.0);
        close(completion.months[1].claims_factor, 5.0 / 4.0);
        let none = BTreeMap::new();
        let error = development("2025-02-28", "2025-03-31", &none)
            .complete()
            .unwrap_err();
        assert_eq!(error, NotCompleted::NoReceivedDates);
    }
}
