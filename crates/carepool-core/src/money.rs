//! Exact money: an amount in hundredths of the scheme's currency unit.
//!
//! Every amount in carepool is an integer count of hundredths (cents, paise, centimes), whatever the
//! currency; a currency without minor units simply never uses them. Text is a plain decimal with at
//! most two decimals ("1500", "1500.5", "1500.50", "-20.00"); more decimals are an error, never rounded.
//! The one rounding rule, used where a rate multiplies an amount (a percentage co-payment, a share of a
//! wage), is half away from zero to the nearest hundredth: see [`Money::percent`].

use crate::registry::excerpt;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::ops::{Add, AddAssign, Neg, Sub, SubAssign};
use std::str::FromStr;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Money(i64);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyParseError {
    #[error("{0} is not an amount (expected digits with at most two decimals, e.g. 1500.50)")]
    NotAnAmount(String),
    #[error("{0} has more than two decimals; amounts are exact to the hundredth and never rounded")]
    TooManyDecimals(String),
    #[error("{0} is too large")]
    TooLarge(String),
}

impl Money {
    pub const ZERO: Money = Money(0);

    pub const fn from_minor(hundredths: i64) -> Money {
        Money(hundredths)
    }

    pub const fn from_units(units: i64) -> Money {
        Money(units * 100)
    }

    pub const fn minor(self) -> i64 {
        self.0
    }

    pub fn is_negative(self) -> bool {
        self.0 < 0
    }

    /// `percent` per cent of this amount, where `percent` is given in hundredths of a per cent
    /// (basis points: 250 = 2.50%), rounded half away from zero to the hundredth.
    pub fn percent(self, basis_points: i64) -> Money {
        let product = i128::from(self.0) * i128::from(basis_points);
        Money(divided_half_away(product, 10_000))
    }

    /// This amount shared evenly among `count` (an average), rounded half away from zero to
    /// the hundredth; none among no one.
    pub fn per(self, count: u64) -> Option<Money> {
        (count > 0).then(|| Money(divided_half_away(i128::from(self.0), i128::from(count))))
    }

    /// For messages: thousands grouped with commas ("1,200.50").
    pub fn grouped(self) -> String {
        let plain = self.to_string();
        let (sign, digits) = match plain.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", plain.as_str()),
        };
        let (whole, fraction) = digits.split_once('.').expect("two decimals");
        let mut grouped = String::new();
        for (i, digit) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(digit);
        }
        format!("{sign}{grouped}.{fraction}")
    }

    pub fn min(self, other: Money) -> Money {
        Money(self.0.min(other.0))
    }

    pub fn max(self, other: Money) -> Money {
        Money(self.0.max(other.0))
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl FromStr for Money {
    type Err = MoneyParseError;

    fn from_str(text: &str) -> Result<Money, MoneyParseError> {
        let trimmed = text.trim();
        // Quoted as an excerpt: the text may be a whole line of a file gone wrong.
        let not_an_amount = || MoneyParseError::NotAnAmount(excerpt(text));
        let (negative, digits) = match trimmed.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, trimmed),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
            return Err(not_an_amount());
        }
        if digits.ends_with('.') {
            return Err(not_an_amount());
        }
        if fraction.len() > 2 {
            return Err(MoneyParseError::TooManyDecimals(excerpt(text)));
        }
        let too_large = || MoneyParseError::TooLarge(excerpt(text));
        let units: i64 = whole.parse().map_err(|_| too_large())?;
        let cents: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| not_an_amount())? * 10,
            _ => fraction.parse().map_err(|_| not_an_amount())?,
        };
        let magnitude = units
            .checked_mul(100)
            .and_then(|m| m.checked_add(cents))
            .ok_or_else(too_large)?;
        Ok(Money(if negative { -magnitude } else { magnitude }))
    }
}

/// `numerator / divisor` (divisor above 0) rounded half away from zero: the one rounding rule
/// of amounts.
fn divided_half_away(numerator: i128, divisor: i128) -> i64 {
    let quotient = numerator / divisor;
    let remainder = numerator % divisor;
    let rounded = if remainder.abs() * 2 >= divisor {
        quotient + numerator.signum()
    } else {
        quotient
    };
    rounded as i64
}

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Money {
    /// Accepts a decimal string ("1500.50") or an integer (1500 = 1,500 units); never a float,
    /// which could not be exact.
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Money, D::Error> {
        deserializer.deserialize_any(MoneyVisitor)
    }
}

struct MoneyVisitor;

impl serde::de::Visitor<'_> for MoneyVisitor {
    type Value = Money;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an amount as text with at most two decimals (\"1500.50\") or a whole number")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<Money, E> {
        text.parse().map_err(E::custom)
    }

    fn visit_i64<E: serde::de::Error>(self, units: i64) -> Result<Money, E> {
        units
            .checked_mul(100)
            .map(Money)
            .ok_or_else(|| E::custom("amount too large"))
    }

    fn visit_u64<E: serde::de::Error>(self, units: u64) -> Result<Money, E> {
        i64::try_from(units)
            .map_err(|_| E::custom("amount too large"))
            .and_then(|u| self.visit_i64(u))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<Money, E> {
        Err(E::custom(format!(
            "{value} is written as a decimal number; write amounts as text (\"{value}\") so they stay exact"
        )))
    }
}

/// Sums and differences of money are checked in every build: an amount past the range of an
/// `i64` of hundredths stops the work (a panic, which ends its transaction unwritten) rather than
/// wrap to a wrong amount that could be paid. The bounds checked where amounts come in
/// (`claims::intake`, the scheme file) keep every sum carepool makes far inside the range.
const OVERFLOW: &str = "an amount overflowed: amounts are bounded where they come in";

impl Add for Money {
    type Output = Money;
    fn add(self, rhs: Money) -> Money {
        Money(self.0.checked_add(rhs.0).expect(OVERFLOW))
    }
}

impl AddAssign for Money {
    fn add_assign(&mut self, rhs: Money) {
        *self = *self + rhs;
    }
}

impl Sub for Money {
    type Output = Money;
    fn sub(self, rhs: Money) -> Money {
        Money(self.0.checked_sub(rhs.0).expect(OVERFLOW))
    }
}

impl SubAssign for Money {
    fn sub_assign(&mut self, rhs: Money) {
        *self = *self - rhs;
    }
}

impl Neg for Money {
    type Output = Money;
    fn neg(self) -> Money {
        Money(self.0.checked_neg().expect(OVERFLOW))
    }
}

impl std::iter::Sum for Money {
    fn sum<I: Iterator<Item = Money>>(iter: I) -> Money {
        iter.fold(Money::ZERO, Add::add)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn an_average_rounds_half_away_from_zero_and_is_unknown_among_no_one() {
        assert_eq!(Money::from_units(100).per(3), Some(Money::from_minor(3333)));
        assert_eq!(Money::from_minor(5).per(2), Some(Money::from_minor(3)));
        assert_eq!(Money::from_minor(-5).per(2), Some(Money::from_minor(-3)));
        assert_eq!(Money::from_minor(4).per(3), Some(Money::from_minor(1)));
        assert_eq!(Money::from_units(7).per(0), None);
    }

    #[test]
    fn grouped_amounts_put_commas_between_thousands() {
        assert_eq!(Money::from_units(1_200).grouped(), "1,200.00");
        assert_eq!(Money::from_minor(-123_456_789).grouped(), "-1,234,567.89");
        assert_eq!(Money::from_minor(5).grouped(), "0.05");
        assert_eq!(Money::from_units(100).grouped(), "100.00");
    }

    #[test]
    fn parses_whole_and_decimal_amounts() {
        assert_eq!("1500".parse::<Money>().unwrap(), Money::from_minor(150_000));
        assert_eq!(
            "1500.5".parse::<Money>().unwrap(),
            Money::from_minor(150_050)
        );
        assert_eq!("0.07".parse::<Money>().unwrap(), Money::from_minor(7));
        assert_eq!(
            "-20.00".parse::<Money>().unwrap(),
            Money::from_minor(-2_000)
        );
    }

    #[test]
    fn refuses_to_round_a_third_decimal() {
        assert!(matches!(
            "1.005".parse::<Money>(),
            Err(MoneyParseError::TooManyDecimals(_))
        ));
    }

    #[test]
    fn refuses_text_that_is_not_an_amount() {
        for bad in ["", "abc", "1,500", "1.", ".5", "1e3", "--1", "12.3x"] {
            assert!(bad.parse::<Money>().is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn refuses_an_amount_that_overflows() {
        assert!(matches!(
            "99999999999999999999".parse::<Money>(),
            Err(MoneyParseError::TooLarge(_))
        ));
    }

    #[test]
    #[should_panic(expected = "an amount overflowed")]
    fn a_sum_past_the_range_stops_rather_than_wraps() {
        let _ = Money::from_minor(i64::MAX) + Money::from_minor(2);
    }

    #[test]
    #[should_panic(expected = "an amount overflowed")]
    fn a_difference_past_the_range_stops_rather_than_wraps() {
        let mut amount = Money::from_minor(i64::MIN);
        amount -= Money::from_minor(1);
    }

    #[test]
    fn displays_two_decimals() {
        assert_eq!(Money::from_minor(5).to_string(), "0.05");
        assert_eq!(Money::from_minor(-150_050).to_string(), "-1500.50");
    }

    #[test]
    fn percent_rounds_half_away_from_zero() {
        // 2.5% of 1.00 = 0.025 -> 0.03; of -1.00 -> -0.03
        assert_eq!(Money::from_minor(100).percent(250), Money::from_minor(3));
        assert_eq!(Money::from_minor(-100).percent(250), Money::from_minor(-3));
        // 10% of 12.34 = 1.234 -> 1.23
        assert_eq!(
            Money::from_minor(1234).percent(1000),
            Money::from_minor(123)
        );
    }

    #[test]
    fn serde_reads_strings_and_integers_but_not_floats() {
        let from_string: Money = serde_json::from_str("\"12.50\"").unwrap();
        let from_integer: Money = serde_json::from_str("12").unwrap();
        assert_eq!(from_string, Money::from_minor(1250));
        assert_eq!(from_integer, Money::from_minor(1200));
        assert!(serde_json::from_str::<Money>("12.5").is_err());
        assert_eq!(serde_json::to_string(&from_string).unwrap(), "\"12.50\"");
    }

    proptest! {
        #[test]
        fn display_then_parse_is_identity(minor in -1_000_000_000_000i64..1_000_000_000_000) {
            let money = Money::from_minor(minor);
            prop_assert_eq!(money.to_string().parse::<Money>().unwrap(), money);
        }
    }
}
