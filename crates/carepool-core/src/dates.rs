//! Calendar arithmetic the rules share: ages and month steps, with leap days handled one way.

use crate::registry::FieldError;
use crate::words::{Figure, Words};
use chrono::{Datelike, Months, NaiveDate};

/// The first day any date carepool takes in may be.
pub const EARLIEST: NaiveDate = NaiveDate::from_ymd_opt(1900, 1, 1).expect("a date");
/// The last day any date carepool takes in may be.
pub const LATEST: NaiveDate = NaiveDate::from_ymd_opt(2200, 12, 31).expect("a date");

/// Refuses a date outside [`EARLIEST`] to [`LATEST`]: a typing slip (0025 for 2025, 9999 for
/// "open"), never a real date in a health scheme, and a year past them would take the
/// arithmetic on dates (ages, months, cover years) to where it fails.
pub fn check_plausible(field: &'static str, date: NaiveDate) -> Result<(), FieldError> {
    if (EARLIEST..=LATEST).contains(&date) {
        Ok(())
    } else {
        Err(FieldError::said(
            field,
            Words::new(
                "implausible-date",
                [
                    ("date", Figure::Date(date)),
                    ("earliest", Figure::Date(EARLIEST)),
                    ("latest", Figure::Date(LATEST)),
                ],
            ),
            format!("{date} is not a plausible date: dates run from {EARLIEST} to {LATEST}"),
        ))
    }
}

/// Refuses a day a decision, a payment or a valuation is dated when it is after `today`: what
/// carepool records as done, or reports as known, cannot be dated in the future.
pub fn check_not_after_today(
    field: &'static str,
    date: NaiveDate,
    today: NaiveDate,
) -> Result<(), FieldError> {
    check_plausible(field, date)?;
    if date > today {
        return Err(FieldError::said(
            field,
            Words::new(
                "date-after-today",
                [("date", Figure::Date(date)), ("today", Figure::Date(today))],
            ),
            format!("{date} is after today ({today}): it cannot be dated ahead"),
        ));
    }
    Ok(())
}

/// Whole years completed on `date`. Someone born on 29 February turns a year older on 1 March in
/// a common year (the birthday has not happened on 28 February).
pub fn age_on(birth: NaiveDate, date: NaiveDate) -> u32 {
    if date < birth {
        return 0;
    }
    let mut years = date.year() - birth.year();
    if (date.month(), date.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years as u32
}

/// The day someone born on `birth` turns `age`: their birthday that year, or 1 March when they
/// were born on 29 February and that year is common (as [`age_on`] counts).
pub fn reaches_age(birth: NaiveDate, age: u32) -> NaiveDate {
    let year = birth.year() + age as i32;
    birth
        .with_year(year)
        .or_else(|| NaiveDate::from_ymd_opt(year, 3, 1))
        .expect("date within chrono's range")
}

/// `date` plus `months` calendar months; a day that does not exist in the target month becomes the
/// month's last day (31 January + 1 month = 28 or 29 February).
pub fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .expect("date within chrono's range")
}

/// The days of a calendar year: a day of cover is 1/365 of a year, or 1/366 in a leap year
/// (the Gregorian rule, worked out rather than asked of chrono: the indicators ask it for every
/// member in every period).
pub fn days_in_year(year: i32) -> u32 {
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    if leap { 366 } else { 365 }
}

/// Days from `from` to `to` (negative when `to` is before it): the days' numbers subtracted,
/// as chrono's general difference of two dates costs a tenth of a national study or of the
/// monthly indicators.
pub fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    i64::from(day_number(to)) - i64::from(day_number(from))
}

/// A day as a number (1 January of year 1 is day 1), for loops that step through days.
pub fn day_number(day: NaiveDate) -> i32 {
    day.num_days_from_ce()
}

/// A date written `YYYY-MM-DD`, read without chrono's general parser (national extracts hold
/// tens of millions of dates). Any other text, and a date that does not exist, get chrono's own
/// answer from `fallback` (the caller's chrono parse), so the two agree on every input.
pub fn iso_date<E>(
    text: &str,
    fallback: impl FnOnce(&str) -> Result<NaiveDate, E>,
) -> Result<NaiveDate, E> {
    let number = |bytes: &[u8]| {
        bytes.iter().try_fold(0u32, |number, byte| {
            byte.is_ascii_digit()
                .then(|| number * 10 + u32::from(byte - b'0'))
        })
    };
    let fast = match text.as_bytes() {
        [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] => {
            match (
                number(&[*y1, *y2, *y3, *y4]),
                number(&[*m1, *m2]),
                number(&[*d1, *d2]),
            ) {
                (Some(year), Some(month), Some(day)) => {
                    NaiveDate::from_ymd_opt(year as i32, month, day)
                }
                _ => None,
            }
        }
        _ => None,
    };
    fast.map_or_else(|| fallback(text), Ok)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_iso_date_is_read_as_chrono_reads_it_and_any_other_text_is_left_to_chrono() {
        let texts = [
            "2024-02-29",
            "2025-02-29",
            "2025-12-31",
            "2025-13-01",
            "2025-00-10",
            "2025-01-00",
            "0000-01-01",
            "9999-12-31",
            "1900-01-01",
            "2010-3-2",
            "2010-03-2",
            "+2010-03-02",
            "2010-03-02 ",
            " 2010-03-02",
            "2010/03/02",
            "20100302",
            "2010-0a-02",
            "",
            "-",
            "2010-03-023",
            "12010-03-02",
            "2010-\u{663}3-02",
        ];
        for text in texts {
            let by_chrono = text.parse::<NaiveDate>();
            let read = iso_date(text, str::parse::<NaiveDate>);
            assert_eq!(read.ok(), by_chrono.ok(), "{text:?}");
            let formatted = NaiveDate::parse_from_str(text, "%Y-%m-%d");
            let read = iso_date(text, |t| NaiveDate::parse_from_str(t, "%Y-%m-%d"));
            assert_eq!(read.ok(), formatted.ok(), "{text:?}");
        }
        let mut day = NaiveDate::from_ymd_opt(1899, 12, 25).unwrap();
        while day.year() < 2201 {
            let text = day.to_string();
            assert_eq!(iso_date(&text, str::parse::<NaiveDate>), Ok(day));
            day = day.succ_opt().unwrap();
        }
    }

    #[test]
    fn a_leap_year_has_366_days() {
        assert_eq!(days_in_year(2024), 366);
        assert_eq!(days_in_year(2025), 365);
        assert_eq!(days_in_year(2000), 366);
        assert_eq!(days_in_year(1900), 365);
        for year in -1_000..3_000 {
            let leap = NaiveDate::from_ymd_opt(year, 2, 29).is_some();
            assert_eq!(days_in_year(year), if leap { 366 } else { 365 }, "{year}");
        }
    }

    #[test]
    fn days_between_two_dates_are_chronos_difference() {
        let dates = [
            "0001-01-01",
            "1899-12-31",
            "1900-02-28",
            "1900-03-01",
            "2000-02-29",
            "2024-02-28",
            "2024-03-01",
            "2025-01-01",
            "2025-12-31",
            "2100-03-01",
        ]
        .map(date);
        for from in dates {
            for to in dates {
                assert_eq!(
                    days_between(from, to),
                    (to - from).num_days(),
                    "{from} {to}"
                );
            }
            assert_eq!(days_between(from, from.succ_opt().unwrap()), 1);
        }
        assert_eq!(day_number(date("0001-01-01")), 1);
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn dates_from_1900_to_2200_are_plausible_and_no_others() {
        assert!(check_plausible("d", date("1900-01-01")).is_ok());
        assert!(check_plausible("d", date("2200-12-31")).is_ok());
        let early = check_plausible("birth_date", date("1899-12-31")).unwrap_err();
        assert_eq!(early.field, "birth_date");
        assert!(early.message.contains("1899-12-31"), "{}", early.message);
        assert_eq!(
            early.words,
            Some(Words::new(
                "implausible-date",
                [
                    ("date", Figure::Date(date("1899-12-31"))),
                    ("earliest", Figure::Date(EARLIEST)),
                    ("latest", Figure::Date(LATEST)),
                ],
            ))
        );
        assert!(check_plausible("d", date("2201-01-01")).is_err());
        assert!(check_plausible("d", NaiveDate::MAX).is_err());
    }

    #[test]
    fn a_decision_may_be_dated_today_or_before_never_after() {
        let today = date("2026-12-03");
        assert!(check_not_after_today("date", today, today).is_ok());
        assert!(check_not_after_today("date", date("2025-01-31"), today).is_ok());
        let refused = check_not_after_today("date", date("2026-12-04"), today).unwrap_err();
        assert_eq!(refused.field, "date");
        assert!(
            refused.message.contains("after today (2026-12-03)"),
            "{}",
            refused.message
        );
        assert_eq!(
            refused.words.unwrap().figures,
            [
                ("date".to_string(), Figure::Date(date("2026-12-04"))),
                ("today".to_string(), Figure::Date(today)),
            ]
        );
        assert!(check_not_after_today("date", date("1800-01-01"), today).is_err());
    }

    #[test]
    fn age_changes_on_the_birthday() {
        let birth = date("2020-06-15");
        assert_eq!(age_on(birth, date("2025-06-14")), 4);
        assert_eq!(age_on(birth, date("2025-06-15")), 5);
    }

    #[test]
    fn a_leap_day_birthday_is_reached_on_1_march_in_common_years() {
        let birth = date("2020-02-29");
        assert_eq!(age_on(birth, date("2021-02-28")), 0);
        assert_eq!(age_on(birth, date("2021-03-01")), 1);
        assert_eq!(age_on(birth, date("2024-02-29")), 4);
    }

    #[test]
    fn the_day_an_age_is_reached_agrees_with_age_on() {
        assert_eq!(reaches_age(date("2020-06-15"), 5), date("2025-06-15"));
        assert_eq!(reaches_age(date("2020-02-29"), 1), date("2021-03-01"));
        assert_eq!(reaches_age(date("2020-02-29"), 4), date("2024-02-29"));
        for (birth, age) in [("2020-02-29", 1), ("2019-12-31", 6), ("2020-01-01", 0)] {
            let day = reaches_age(date(birth), age);
            assert_eq!(age_on(date(birth), day), age);
            assert_eq!(
                age_on(date(birth), day.pred_opt().unwrap()),
                age.saturating_sub(1)
            );
        }
    }

    #[test]
    fn age_before_birth_is_zero() {
        assert_eq!(age_on(date("2020-01-01"), date("2019-01-01")), 0);
    }

    #[test]
    fn month_steps_clamp_to_the_end_of_short_months() {
        assert_eq!(add_months(date("2024-01-31"), 1), date("2024-02-29"));
        assert_eq!(add_months(date("2023-01-31"), 1), date("2023-02-28"));
        assert_eq!(add_months(date("2024-02-29"), 12), date("2025-02-28"));
    }
}
