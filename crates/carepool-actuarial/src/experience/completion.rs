//! Completing the months whose claims are not all in: the study's claims in a development
//! triangle by month incurred and months taken to reach the scheme (received), the chain
//! ladder's development factors from it, and each month's completion factor: what it will come
//! to over what the data hold at their end. The base table's lines are completed month by month
//! with these factors. docs/EXPERIENCE.md, "Completion of recent months".

use crate::chain_ladder::ChainLadder;
use crate::triangle::Triangle;
use carepool_core::Money;
use chrono::{Datelike, NaiveDate};
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

/// One month incurred: what the data hold, how long it has had to develop, and its factors.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompletionMonth {
    /// `2025-07`.
    pub month: String,
    /// Whole months from the month incurred to the data's end.
    pub developed_months: u32,
    pub claims: u64,
    pub cost: Money,
    /// Ultimate over reported, for claims and for cost: 1 for a month whose claims are all in.
    pub claims_factor: f64,
    pub cost_factor: f64,
}

/// The completion of a study's months.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completion {
    /// The day the triangle is valued at: where the data end.
    pub valued_at: NaiveDate,
    /// The chain ladder's development factors from each month of delay to the next (volume
    /// weighted), for claims and for cost.
    pub claims_development: Vec<f64>,
    pub cost_development: Vec<f64>,
    pub months: Vec<CompletionMonth>,
}

/// Why the months could not be completed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum NotCompleted {
    /// No claim in the study says when it was received.
    NoReceivedDates,
    /// The triangle gives no factor (a delay no claim was reported by).
    NoFactor(String),
}

/// The months of a study from `first` (its first day) to `last`, with what was reported of
/// each by delay, valued at `valued_at`.
pub(crate) struct Development<'a> {
    pub first: NaiveDate,
    pub last: NaiveDate,
    pub valued_at: NaiveDate,
    /// By (month incurred from the first, reporting delay in months).
    pub by_delay: &'a BTreeMap<(u32, u16), Reported>,
}

impl Development<'_> {
    fn label(&self, month: u32) -> String {
        let first = self.first.with_day(1).expect("the first of a month");
        let date = first
            .checked_add_months(chrono::Months::new(month))
            .expect("a month within chrono's range");
        format!("{}-{:02}", date.year(), date.month())
    }

    /// The cumulative rows of `value`, one per month incurred with one column per month it
    /// has had to develop by the valuation; a claim reported later than that (it cannot be,
    /// received after the data's end) counts at the last.
    fn rows(&self, value: impl Fn(&Reported) -> f64) -> Vec<Vec<f64>> {
        let months = months_from(self.first, self.last) + 1;
        let valuation = months_from(self.first, self.valued_at);
        let mut rows: Vec<Vec<f64>> = (0..months)
            .map(|month| vec![0.0; (valuation - month) as usize + 1])
            .collect();
        for (&(month, delay), reported) in self.by_delay {
            let row = &mut rows[month as usize];
            let column = (delay as usize).min(row.len() - 1);
            row[column] += value(reported);
        }
        for row in &mut rows {
            for k in 1..row.len() {
                row[k] += row[k - 1];
            }
        }
        rows
    }

    /// The chain ladder on `value`'s triangle: its development factors, and each month's
    /// factor to ultimate. The first months with nothing reported (before the scheme had
    /// claims) are left out of the triangle, where they would leave the oldest links nothing
    /// to grow from: there is nothing of theirs to complete, and their factor is 1.
    fn fit(&self, value: fn(&Reported) -> f64) -> Result<(Vec<f64>, Vec<f64>), NotCompleted> {
        let rows = self.rows(value);
        let empty = rows
            .iter()
            .take_while(|row| row.last() == Some(&0.0))
            .count();
        if empty == rows.len() {
            return Ok((Vec::new(), vec![1.0; rows.len()]));
        }
        let origins = (empty..rows.len())
            .map(|month| self.label(month as u32))
            .collect();
        let triangle = Triangle::new(origins, rows[empty..].to_vec())
            .expect("rows shrink by one and hold finite sums");
        let fit = ChainLadder::default()
            .fit(&triangle)
            .map_err(|error| NotCompleted::NoFactor(error.to_string()))?;
        let to_ultimate = fit.to_ultimate();
        let by_month = rows
            .iter()
            .enumerate()
            .map(|(month, row)| match month < empty {
                true => 1.0,
                false => to_ultimate[row.len() - 1],
            })
            .collect();
        Ok((fit.factors, by_month))
    }

    /// Each month's completion factors, from the chain ladder on the claims and on the cost.
    pub fn complete(&self) -> Result<Completion, NotCompleted> {
        if self.by_delay.is_empty() {
            return Err(NotCompleted::NoReceivedDates);
        }
        let (claims_development, claims_factors) = self.fit(|r| r.claims as f64)?;
        let (cost_development, cost_factors) = self.fit(|r| r.cost as f64)?;
        let valuation = months_from(self.first, self.valued_at);
        let mut reported: BTreeMap<u32, Reported> = BTreeMap::new();
        for (&(month, _), sums) in self.by_delay {
            *reported.entry(month).or_default() += *sums;
        }
        let months = (0..=months_from(self.first, self.last))
            .map(|month| {
                let sums = reported.get(&month).copied().unwrap_or_default();
                CompletionMonth {
                    month: self.label(month),
                    developed_months: valuation - month,
                    claims: sums.claims,
                    cost: Money::from_minor(sums.cost),
                    claims_factor: claims_factors[month as usize],
                    cost_factor: cost_factors[month as usize],
                }
            })
            .collect();
        Ok(Completion {
            valued_at: self.valued_at,
            claims_development,
            cost_development,
            months,
        })
    }
}

impl Completion {
    /// Completes claims reported by month incurred (from the study's first): claims and cost
    /// (in units) each times its month's factor.
    pub(crate) fn completed<'a>(
        &self,
        by_month: impl IntoIterator<Item = (u32, &'a Reported)>,
    ) -> (f64, f64) {
        by_month
            .into_iter()
            .fold((0.0, 0.0), |(claims, cost), (month, reported)| {
                let factors = &self.months[month as usize];
                (
                    claims + reported.claims as f64 * factors.claims_factor,
                    cost + reported.cost as f64 / 100.0 * factors.cost_factor,
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
    }

    /// Three months, January to March, valued on 15 March:
    ///
    /// | incurred | delay 0 | delay 1 | delay 2 |
    /// |---|---|---|---|
    /// | January | 10 (1,000) | 5 (600) | 1 (400) |
    /// | February | 8 (800) | 4 (400) | |
    /// | March | 6 (900) | | |
    ///
    /// Claims: cumulative 10, 15, 16 and 8, 12; factors (15 + 12) / (10 + 8) = 1.5 and 16 / 15.
    /// Cost: 1,000, 1,600, 2,000 and 800, 1,200; factors 2,800 / 1,800 and 2,000 / 1,600.
    #[test]
    fn each_month_is_completed_by_the_chain_ladder_to_its_ultimate() {
        let mut by_delay = BTreeMap::new();
        for (month, delay, claims, cost) in [
            (0, 0, 10, 1000),
            (0, 1, 5, 600),
            (0, 2, 1, 400),
            (1, 0, 8, 800),
            (1, 1, 4, 400),
            (2, 0, 6, 900),
        ] {
            by_delay.insert(
                (month, delay),
                Reported {
                    claims,
                    cost: cost * 100,
                },
            );
        }
        let completion = Development {
            first: date("2025-01-01"),
            last: date("2025-03-31"),
            valued_at: date("2025-03-15"),
            by_delay: &by_delay,
        }
        .complete()
        .unwrap();
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
        // A line with 2 claims (300) in February and 3 (450) in March.
        let february = Reported {
            claims: 2,
            cost: 30_000,
        };
        let march = Reported {
            claims: 3,
            cost: 45_000,
        };
        let (claims, cost) = completion.completed([(1, &february), (2, &march)]);
        close(claims, 2.0 * 16.0 / 15.0 + 3.0 * 1.6);
        close(
            cost,
            300.0 * 2000.0 / 1600.0 + 450.0 * 2800.0 / 1800.0 * 2000.0 / 1600.0,
        );
    }

    #[test]
    fn a_month_developed_past_every_late_claim_is_complete_and_no_base_is_named() {
        let mut by_delay = BTreeMap::new();
        by_delay.insert(
            (0, 0),
            Reported {
                claims: 4,
                cost: 100,
            },
        );
        by_delay.insert(
            (1, 3),
            Reported {
                claims: 2,
                cost: 100,
            },
        );
        // Valued in June: February's claims came three months late.
        let completion = Development {
            first: date("2025-01-01"),
            last: date("2025-02-28"),
            valued_at: date("2025-06-30"),
            by_delay: &by_delay,
        }
        .complete()
        .unwrap();
        assert_eq!(completion.months[1].developed_months, 4);
        // Delay 2 to 3 grows by February's claims (6 against 4); past delay 4, January alone,
        // flat: February, four months developed, is complete, and January too.
        close(completion.claims_development[2], 1.5);
        close(completion.months[1].claims_factor, 1.0);
        close(completion.months[0].claims_factor, 1.0);
        // Nothing reported in the month incurred, anywhere: no factor from delay 0.
        let mut late = BTreeMap::new();
        late.insert(
            (0, 1),
            Reported {
                claims: 4,
                cost: 100,
            },
        );
        late.insert(
            (1, 1),
            Reported {
                claims: 2,
                cost: 100,
            },
        );
        let error = Development {
            first: date("2025-01-01"),
            last: date("2025-02-28"),
            valued_at: date("2025-03-31"),
            by_delay: &late,
        }
        .complete()
        .unwrap_err();
        assert!(matches!(error, NotCompleted::NoFactor(_)), "{error:?}");
        // Months before the scheme's first claim are left out of the triangle: their factor
        // is 1, and the months after are completed from their own links.
        let mut started_late = BTreeMap::new();
        started_late.insert(
            (1, 0),
            Reported {
                claims: 4,
                cost: 100,
            },
        );
        started_late.insert(
            (1, 1),
            Reported {
                claims: 2,
                cost: 100,
            },
        );
        started_late.insert(
            (2, 0),
            Reported {
                claims: 3,
                cost: 100,
            },
        );
        let completion = Development {
            first: date("2025-01-01"),
            last: date("2025-03-31"),
            valued_at: date("2025-03-31"),
            by_delay: &started_late,
        }
        .complete()
        .unwrap();
        close(completion.months[0].claims_factor, 1.0);
        close(completion.months[1].claims_factor, 1.0);
        close(completion.months[2].claims_factor, 1.5);
        assert_eq!(completion.claims_development, [1.5]);
        let none = BTreeMap::new();
        let error = Development {
            first: date("2025-01-01"),
            last: date("2025-02-28"),
            valued_at: date("2025-03-31"),
            by_delay: &none,
        }
        .complete()
        .unwrap_err();
        assert_eq!(error, NotCompleted::NoReceivedDates);
    }
}
