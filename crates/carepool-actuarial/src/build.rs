//! Development triangles from claims: origin by incurred period, development by the period the
//! claim was reported or paid in, in the same unit; counts or amounts.

use crate::reserve::Known;
use crate::triangle::{Triangle, TriangleError};
use chrono::{Datelike, NaiveDate};
use std::collections::VecDeque;

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
    let mut sums = ClaimSums::new(period, development, measure, valuation);
    claims.iter().for_each(|claim| sums.add(claim));
    sums.triangle()
}

/// Claims summed as the triangle at one valuation date needs them, added one at a time: by
/// origin and development period, with what each origin has reported and been paid to date.
/// It holds the triangle's cells, not the claims (so its size does not grow with them). Each cell is summed in the order the claims were added, so the
/// triangle is the same, to the bit, as one built from them in that order.
#[derive(Debug, Clone)]
pub struct ClaimSums {
    period: Period,
    development: Development,
    measure: Measure,
    valuation: NaiveDate,
    /// The valuation's period.
    last: i64,
    /// How many claims were added (the next one's number, for an error).
    added: usize,
    /// The oldest origin of a claim known at the valuation date.
    first: Option<i64>,
    /// The origins from `base` on that claims known at the valuation date fell in, while they
    /// span no more than a triangle may hold (past that, the triangle is refused anyway).
    origins: VecDeque<OriginSums>,
    base: i64,
    /// The first claim that breaks a rule: the triangle is refused with it.
    broken: Option<BuildError>,
}

/// One origin's sums.
#[derive(Debug, Clone, Default)]
struct OriginSums {
    /// By development lag, not cumulated.
    incremental: Vec<f64>,
    reported: f64,
    paid: f64,
}

impl ClaimSums {
    /// No claim added yet.
    pub fn new(
        period: Period,
        development: Development,
        measure: Measure,
        valuation: NaiveDate,
    ) -> ClaimSums {
        ClaimSums {
            period,
            development,
            measure,
            valuation,
            last: period.index(valuation),
            added: 0,
            first: None,
            origins: VecDeque::new(),
            base: 0,
            broken: None,
        }
    }

    pub fn period(&self) -> Period {
        self.period
    }

    pub fn measure(&self) -> Measure {
        self.measure
    }

    pub fn valuation(&self) -> NaiveDate {
        self.valuation
    }

    /// Adds a claim to the sums it falls in at the valuation date (none when it was reported
    /// after it). A claim reported (or paid) before it was incurred breaks the triangle: it
    /// is kept, by its number, and the claims after it are not added.
    pub fn add(&mut self, claim: &ClaimDates) {
        if self.broken.is_some() {
            return;
        }
        let number = self.added;
        self.added += 1;
        let origin = self.period.index(claim.incurred);
        let value = match self.measure {
            Measure::Count => 1.0,
            Measure::Amount => claim.amount,
        };
        if claim.reported <= self.valuation {
            self.note_first(origin);
            let paid = claim.paid.is_some_and(|paid| paid <= self.valuation);
            if let Some(sums) = self.origin_mut(origin) {
                sums.reported += value;
                if paid {
                    sums.paid += value;
                }
            }
        }
        let date = match self.development {
            Development::Reported => Some(claim.reported),
            Development::Paid => claim.paid,
        };
        let Some(date) = date else { return };
        if date < claim.incurred {
            self.broken = Some(BuildError::BeforeIncurred {
                index: number,
                what: self.development.name(),
                date,
                incurred: claim.incurred,
            });
            return;
        }
        if date > self.valuation {
            return;
        }
        self.note_first(origin);
        let lag = (self.period.index(date) - origin) as usize;
        if let Some(sums) = self.origin_mut(origin) {
            if sums.incremental.len() <= lag {
                sums.incremental.resize(lag + 1, 0.0);
            }
            sums.incremental[lag] += value;
        }
    }

    fn note_first(&mut self, origin: i64) {
        self.first = Some(self.first.map_or(origin, |first| first.min(origin)));
    }

    /// The sums of `origin`, made when first met; none for an origin after the valuation's
    /// (a claim reported before it was incurred), or past what a triangle may span.
    fn origin_mut(&mut self, origin: i64) -> Option<&mut OriginSums> {
        if origin > self.last || self.last - origin >= MAX_ORIGINS {
            return None;
        }
        if self.origins.is_empty() {
            self.base = origin;
        }
        while origin < self.base {
            self.origins.push_front(OriginSums::default());
            self.base -= 1;
        }
        let at = (origin - self.base) as usize;
        if at >= self.origins.len() {
            self.origins.resize(at + 1, OriginSums::default());
        }
        Some(&mut self.origins[at])
    }

    /// The origins from the first to the valuation's period, each with its sums.
    fn rows(&self) -> Result<(i64, Vec<Option<&OriginSums>>), BuildError> {
        if let Some(broken) = &self.broken {
            return Err(broken.clone());
        }
        let first = self.first.ok_or(BuildError::NoClaims(self.valuation))?;
        let origins = self.last - first + 1;
        // Every claim known cared for after the valuation's period.
        if origins <= 0 {
            return Err(BuildError::Triangle(TriangleError::Empty));
        }
        if origins > MAX_ORIGINS {
            return Err(BuildError::TooManyOrigins {
                first: self.period.label(first),
                origins,
                period: self.period.name(),
            });
        }
        let rows = (first..=self.last)
            .map(|origin| {
                let at = usize::try_from(origin - self.base).ok()?;
                self.origins.get(at)
            })
            .collect();
        Ok((first, rows))
    }

    /// The cumulative triangle of the claims added, known at the valuation date: origins from
    /// the first period a claim was incurred in to the valuation's period; a claim counts from
    /// the period it was reported (or paid) in.
    pub fn triangle(&self) -> Result<Triangle, BuildError> {
        let (first, rows) = self.rows()?;
        let origins = rows.len();
        let cumulative = (rows.iter().enumerate())
            .map(|(i, sums)| {
                let incremental = sums.map_or(&[][..], |sums| &sums.incremental[..]);
                (0..origins - i)
                    .scan(0.0, |sum, lag| {
                        *sum += incremental.get(lag).copied().unwrap_or(0.0);
                        Some(*sum)
                    })
                    .collect()
            })
            .collect();
        let labels = (first..=self.last).map(|i| self.period.label(i)).collect();
        Ok(Triangle::new(labels, cumulative)?)
    }

    /// What the claims added say per origin of the triangle at the valuation date: reported
    /// to date and paid to date, in the triangle's measure.
    pub fn known(&self) -> Result<Known, BuildError> {
        let (_, rows) = self.rows()?;
        Ok(Known {
            reported: rows.iter().map(|s| s.map_or(0.0, |s| s.reported)).collect(),
            paid: rows.iter().map(|s| s.map_or(0.0, |s| s.paid)).collect(),
        })
    }
}

#[cfg(test)]
mod reference;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        let mut sums = ClaimSums::new(
            Period::Month,
            Development::Reported,
            Measure::Amount,
            valuation,
        );
        claims.iter().for_each(|claim| sums.add(claim));
        assert_eq!(sums.triangle().unwrap(), reported);
        let known = sums.known().unwrap();
        assert_eq!(known.reported, [150.0, 30.0, 0.0]);
        assert_eq!(known.paid, [0.0, 30.0, 0.0]);
    }

    #[test]
    fn sums_hold_the_triangle_not_the_claims_whatever_order_the_origins_come_in() {
        let valuation = date("2025-12-31");
        let sums_of = |claims: &mut dyn Iterator<Item = ClaimDates>| {
            let mut sums =
                ClaimSums::new(Period::Month, Development::Paid, Measure::Amount, valuation);
            claims.for_each(|claim| sums.add(&claim));
            sums
        };
        // A year of claims, 250 a day, each paid 31 days after it was reported; amounts in
        // halves, which add exactly in any order.
        let claims = || {
            (0..365 * 250).map(|n: u64| {
                let incurred = date("2025-01-01") + chrono::Days::new(n / 250);
                let reported = incurred + chrono::Days::new(n % 40);
                ClaimDates {
                    incurred,
                    reported,
                    paid: Some(reported + chrono::Days::new(31)),
                    amount: (n % 7) as f64 * 0.5,
                }
            })
        };
        let forward = sums_of(&mut claims());
        let backward = sums_of(&mut claims().collect::<Vec<_>>().into_iter().rev());
        assert_eq!(forward.origins.len(), 12);
        assert!(forward.origins.iter().all(|o| o.incremental.len() <= 12));
        assert_eq!(backward.origins.len(), 12);
        let triangle = forward.triangle().unwrap();
        assert_eq!(triangle, backward.triangle().unwrap());
        assert_eq!(forward.known().unwrap(), backward.known().unwrap());
        assert_eq!(triangle.origins().len(), 12);
        // December's care is paid in January at the earliest: nothing of it is paid yet.
        assert_eq!(triangle.row(11), [0.0]);
        assert_eq!(forward.known().unwrap().paid[11], 0.0);
        assert!(forward.known().unwrap().reported[11] > 0.0);
    }

    fn claim_strategy() -> impl Strategy<Value = ClaimDates> {
        // Care over three years around the valuation (2025-06-30), reported up to a year
        // later (now and then before the care), paid or not up to half a year after; amounts
        // in cents, which add differently in each order.
        (
            0u64..1_100,
            -40i64..365,
            proptest::option::of(0u64..180),
            1u64..10_000_000,
        )
            .prop_map(|(care, delay, paid, cents)| {
                let incurred = date("2023-07-01") + chrono::Days::new(care);
                let reported = incurred + chrono::Duration::days(delay);
                ClaimDates {
                    incurred,
                    reported,
                    paid: paid.map(|days| reported + chrono::Days::new(days)),
                    amount: cents as f64 / 100.0,
                }
            })
    }

    proptest! {
        #[test]
        fn sums_made_a_claim_at_a_time_equal_the_triangle_of_the_claims_held_whole(
            mut claims in proptest::collection::vec(claim_strategy(), 0..300),
            period in prop_oneof![Just(Period::Month), Just(Period::Quarter), Just(Period::Year)],
            development in prop_oneof![Just(Development::Reported), Just(Development::Paid)],
            measure in prop_oneof![Just(Measure::Amount), Just(Measure::Count)],
        ) {
            // The reference cannot size a triangle whose every claim known was cared for after
            // the valuation (it panics): with such claims, one of the first month keeps an
            // origin before it.
            let valuation = date("2025-06-30");
            if claims.iter().any(|claim| claim.incurred > valuation) {
                claims.insert(0, claim("2023-07-01", "2023-07-05", None, 10.0));
            }
            let mut sums = ClaimSums::new(period, development, measure, valuation);
            claims.iter().for_each(|claim| sums.add(claim));
            let reference = reference::build(&claims, period, development, measure, valuation);
            prop_assert_eq!(sums.triangle(), reference.clone());
            if let Ok(triangle) = reference {
                let known = reference::known(&claims, &triangle, period, measure, valuation);
                prop_assert_eq!(sums.known(), Ok(known));
            }
        }
    }

    #[test]
    fn a_claim_cared_for_after_the_valuation_makes_no_origin_of_its_own() {
        // Paid development: a claim reported before its care is not refused, and known at the
        // valuation date though incurred after it; it adds to no origin.
        let mut sums = ClaimSums::new(
            Period::Month,
            Development::Paid,
            Measure::Count,
            date("2025-03-31"),
        );
        sums.add(&claim("2025-02-10", "2025-02-20", Some("2025-03-05"), 1.0));
        sums.add(&claim("2025-05-10", "2025-03-01", None, 1.0));
        let triangle = sums.triangle().unwrap();
        assert_eq!(triangle.origins(), ["2025-02", "2025-03"]);
        assert_eq!(sums.known().unwrap().reported, [1.0, 0.0]);
        // Alone, two months past the valuation: no triangle, and no panic.
        let mut alone = ClaimSums::new(
            Period::Month,
            Development::Paid,
            Measure::Count,
            date("2025-03-31"),
        );
        alone.add(&claim("2025-05-10", "2025-03-01", None, 1.0));
        assert_eq!(
            alone.triangle().unwrap_err(),
            BuildError::Triangle(TriangleError::Empty)
        );
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
        // Claims added one at a time: the first that breaks the rule is named, by its number,
        // however many come after it.
        let mut sums = ClaimSums::new(
            Period::Month,
            Development::Reported,
            Measure::Count,
            date("2025-12-31"),
        );
        sums.add(&claim("2025-01-01", "2025-01-05", None, 1.0));
        sums.add(&claim("2025-04-01", "2025-03-05", None, 1.0));
        sums.add(&claim("2025-06-01", "2025-05-05", None, 1.0));
        sums.add(&claim("2025-06-01", "2025-06-05", None, 1.0));
        let error = sums.triangle().unwrap_err();
        assert_eq!(
            error.to_string(),
            "claim 1: reported on 2025-03-05 is before it was incurred on 2025-04-01"
        );
        assert_eq!(sums.known().unwrap_err(), error);
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
