//! Development triangles from claims: origin by incurred period, development by the period the
//! claim was reported or paid in, in the same unit; counts or amounts.

use crate::reserve::Known;
use crate::triangle::{Triangle, TriangleError};
use chrono::{Datelike, NaiveDate};
use std::collections::HashMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Month,
    Quarter,
    Year,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Development {
    /// From incurred to received by the scheme.
    Reported,
    /// From incurred to paid.
    Paid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Count,
    Amount,
}

/// What a triangle needs of a claim.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClaimDates {
    pub incurred: NaiveDate,
    pub reported: NaiveDate,
    pub paid: Option<NaiveDate>,
    pub amount: f64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BuildError {
    #[error("claim {index}: {what} on {date} is before it was incurred on {incurred}")]
    BeforeIncurred {
        index: usize,
        what: &'static str,
        date: NaiveDate,
        incurred: NaiveDate,
    },
    #[error("no claim was reported by the valuation date {0}")]
    NoClaims(NaiveDate),
    #[error(
        "the claims from {first} to the valuation make {origins} origins by {period}; a triangle has at most {MAX_ORIGINS}: take a longer origin period"
    )]
    TooManyOrigins {
        first: String,
        origins: i64,
        period: &'static str,
    },
    #[error(transparent)]
    Triangle(#[from] TriangleError),
}

/// A choice of the engine's, by the word outputs show and options take.
pub trait Named: Copy + 'static {
    const ALL: &'static [Self];
    fn name(self) -> &'static str;
}

impl Named for Period {
    const ALL: &'static [Period] = &[Period::Month, Period::Quarter, Period::Year];

    fn name(self) -> &'static str {
        match self {
            Period::Month => "month",
            Period::Quarter => "quarter",
            Period::Year => "year",
        }
    }
}

impl Named for Development {
    const ALL: &'static [Development] = &[Development::Reported, Development::Paid];

    fn name(self) -> &'static str {
        match self {
            Development::Reported => "reported",
            Development::Paid => "paid",
        }
    }
}

impl Named for Measure {
    const ALL: &'static [Measure] = &[Measure::Amount, Measure::Count];

    fn name(self) -> &'static str {
        match self {
            Measure::Amount => "amount",
            Measure::Count => "count",
        }
    }
}

impl Period {
    /// The period and running number of a label as triangles write it: `2025`, `2025Q3` or
    /// `2025-07`.
    pub fn of_label(label: &str) -> Option<(Period, i64)> {
        let number = |text: &str| -> Option<i64> {
            (!text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()))
                .then(|| text.parse().ok())
                .flatten()
        };
        let label = label.trim();
        if let Some((year, quarter)) = label.split_once('Q') {
            let (year, quarter) = (number(year)?, number(quarter)?);
            return (1..=4)
                .contains(&quarter)
                .then_some((Period::Quarter, year * 4 + quarter - 1));
        }
        if let Some((year, month)) = label.split_once('-') {
            let (year, month) = (number(year)?, number(month)?);
            return (1..=12)
                .contains(&month)
                .then_some((Period::Month, year * 12 + month - 1));
        }
        number(label).map(|year| (Period::Year, year))
    }

    /// A running number of the period a date falls in.
    fn index(self, date: NaiveDate) -> i64 {
        let months = i64::from(date.year()) * 12 + i64::from(date.month0());
        match self {
            Period::Month => months,
            Period::Quarter => months.div_euclid(3),
            Period::Year => i64::from(date.year()),
        }
    }

    fn label(self, index: i64) -> String {
        match self {
            Period::Month => format!(
                "{:04}-{:02}",
                index.div_euclid(12),
                index.rem_euclid(12) + 1
            ),
            Period::Quarter => format!("{:04}Q{}", index.div_euclid(4), index.rem_euclid(4) + 1),
            Period::Year => format!("{index:04}"),
        }
    }
}

/// The most origins a triangle built from claims may have: a century of months. The triangle
/// holds origins² / 2 cells, so the bound is checked before any is made.
pub const MAX_ORIGINS: i64 = 1_200;

/// The cumulative triangle of the claims known at `valuation`: origins from the first period a
/// claim was incurred in to the valuation's period; a claim counts from the period it was
/// reported (or paid) in, if that is not after the valuation date.
pub fn build(
    claims: &[ClaimDates],
    period: Period,
    development: Development,
    measure: Measure,
    valuation: NaiveDate,
) -> Result<Triangle, BuildError> {
    let last = period.index(valuation);
    let mut cells: Vec<(i64, i64, f64)> = Vec::new();
    // The first origin is that of the oldest claim known (reported) at the valuation date, paid
    // or not.
    let mut first: Option<i64> = None;
    for (index, claim) in claims.iter().enumerate() {
        if claim.reported <= valuation {
            let origin = period.index(claim.incurred);
            first = Some(first.map_or(origin, |f| f.min(origin)));
        }
        let date = match development {
            Development::Reported => Some(claim.reported),
            Development::Paid => claim.paid,
        };
        let Some(date) = date else { continue };
        if date < claim.incurred {
            return Err(BuildError::BeforeIncurred {
                index,
                what: development.name(),
                date,
                incurred: claim.incurred,
            });
        }
        if date > valuation {
            continue;
        }
        let origin = period.index(claim.incurred);
        first = Some(first.map_or(origin, |f| f.min(origin)));
        let value = match measure {
            Measure::Count => 1.0,
            Measure::Amount => claim.amount,
        };
        cells.push((origin, period.index(date) - origin, value));
    }
    let first = first.ok_or(BuildError::NoClaims(valuation))?;
    let origins = last - first + 1;
    if origins > MAX_ORIGINS {
        return Err(BuildError::TooManyOrigins {
            first: period.label(first),
            origins,
            period: period.name(),
        });
    }
    let origins = origins as usize;
    let mut incremental: Vec<Vec<f64>> = (0..origins).map(|i| vec![0.0; origins - i]).collect();
    for (origin, lag, value) in cells {
        incremental[(origin - first) as usize][lag as usize] += value;
    }
    let cumulative = incremental
        .into_iter()
        .map(|row| {
            row.into_iter()
                .scan(0.0, |sum, x| {
                    *sum += x;
                    Some(*sum)
                })
                .collect()
        })
        .collect();
    let labels = (first..=last).map(|i| period.label(i)).collect();
    Ok(Triangle::new(labels, cumulative)?)
}

/// What the claims say per origin of `triangle` (built by [`build`] from the same claims) at
/// `valuation`: reported to date and paid to date, in the triangle's measure.
pub fn known(
    claims: &[ClaimDates],
    triangle: &Triangle,
    period: Period,
    measure: Measure,
    valuation: NaiveDate,
) -> Known {
    let row_of: HashMap<&str, usize> = triangle
        .origins()
        .iter()
        .enumerate()
        .map(|(i, origin)| (origin.as_str(), i))
        .collect();
    let origins = triangle.origins().len();
    let mut known = Known {
        reported: vec![0.0; origins],
        paid: vec![0.0; origins],
    };
    for claim in claims.iter().filter(|c| c.reported <= valuation) {
        let label = period.label(period.index(claim.incurred));
        let Some(&i) = row_of.get(label.as_str()) else {
            continue;
        };
        let value = match measure {
            Measure::Count => 1.0,
            Measure::Amount => claim.amount,
        };
        known.reported[i] += value;
        if claim.paid.is_some_and(|paid| paid <= valuation) {
            known.paid[i] += value;
        }
    }
    known
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn claim(incurred: &str, reported: &str, paid: Option<&str>, amount: f64) -> ClaimDates {
        ClaimDates {
            incurred: date(incurred),
            reported: date(reported),
            paid: paid.map(date),
            amount,
        }
    }

    #[test]
    fn claims_fall_in_their_incurred_row_and_reported_or_paid_column() {
        let claims = [
            claim("2025-01-31", "2025-02-01", Some("2025-04-10"), 100.0),
            claim("2025-01-05", "2025-01-20", None, 50.0),
            claim("2025-02-10", "2025-03-31", Some("2025-03-31"), 30.0),
            // Reported after the valuation date: not known yet.
            claim("2025-03-01", "2025-04-01", None, 999.0),
        ];
        let valuation = date("2025-03-31");
        let reported = build(
            &claims,
            Period::Month,
            Development::Reported,
            Measure::Amount,
            valuation,
        )
        .unwrap();
        assert_eq!(reported.origins(), ["2025-01", "2025-02", "2025-03"]);
        assert_eq!(reported.row(0), [50.0, 150.0, 150.0]);
        assert_eq!(reported.row(1), [0.0, 30.0]);
        assert_eq!(reported.row(2), [0.0]);
        let paid = build(
            &claims,
            Period::Month,
            Development::Paid,
            Measure::Count,
            valuation,
        )
        .unwrap();
        assert_eq!(paid.row(0), [0.0, 0.0, 0.0]);
        assert_eq!(paid.row(1), [0.0, 1.0]);
        let quarters = build(
            &claims,
            Period::Quarter,
            Development::Reported,
            Measure::Count,
            valuation,
        )
        .unwrap();
        assert_eq!(quarters.origins(), ["2025Q1"]);
        for label in ["2025Q1", "2025-03", "2025"] {
            let (period, index) = Period::of_label(label).unwrap();
            assert_eq!(period.label(index), label);
        }
        assert_eq!(Period::of_label("2025Q5"), None);
        assert_eq!(Period::of_label("2025-13"), None);
        assert_eq!(Period::of_label("AY2025"), None);
        assert_eq!(quarters.row(0), [3.0]);
        // Paid after the valuation date is not paid yet.
        let known = known(
            &claims,
            &reported,
            Period::Month,
            Measure::Amount,
            valuation,
        );
        assert_eq!(known.reported, [150.0, 30.0, 0.0]);
        assert_eq!(known.paid, [0.0, 30.0, 0.0]);
    }

    #[test]
    fn a_claim_reported_before_it_was_incurred_is_named() {
        let claims = [claim("2025-03-01", "2025-02-01", None, 1.0)];
        let error = build(
            &claims,
            Period::Year,
            Development::Reported,
            Measure::Count,
            date("2025-12-31"),
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "claim 0: reported on 2025-02-01 is before it was incurred on 2025-03-01"
        );
    }

    #[test]
    fn a_triangle_past_a_century_of_months_is_refused_before_it_is_made() {
        let build_to = |valuation: &str, period| {
            let claims = [claim("1926-01-15", "1926-02-01", None, 1.0)];
            build(
                &claims,
                period,
                Development::Reported,
                Measure::Count,
                date(valuation),
            )
        };
        // 1926-01 to 2025-12 is 1,200 months; one more is too many by month, not by quarter.
        assert_eq!(
            build_to("2025-12-31", Period::Month)
                .unwrap()
                .origins()
                .len(),
            1_200
        );
        let error = build_to("2026-01-31", Period::Month).unwrap_err();
        assert_eq!(
            error.to_string(),
            "the claims from 1926-01 to the valuation make 1201 origins by month; a triangle has at most 1200: take a longer origin period"
        );
        assert!(build_to("9999-12-31", Period::Month).is_err());
        assert!(build_to("2026-01-31", Period::Quarter).is_ok());
    }
}
