//! What a claim must keep to be received at all, by file or by API: amounts and quantities
//! within their bounds, no date in the future or out of any plausible range, no negative
//! co-payment. A claim that breaks one is refused whole and never stored; everything else is
//! judged by the rules and becomes a reason on the stored claim.
//!
//! The bounds keep every sum carepool makes of claims far from the edge of an `i64` of
//! hundredths: a claim's lines can never add up past it, whatever they hold.

use super::Claim;
use crate::dates;
use crate::money::Money;
use crate::registry::{FieldError, check_text};
use crate::words::{Figure, Words};
use chrono::NaiveDate;

/// Lines on one claim, at most.
pub const MAX_LINES: usize = 1_000;
/// The quantity of one line, at most (and at least its negative: a quantity below 1 is judged,
/// and refused, by the rules).
pub const MAX_QUANTITY: i64 = 10_000;
/// The unit price of one line, and a tariff's price for one item, at most (and at least its
/// negative, as for quantities).
pub const MAX_UNIT_PRICE: Money = Money::from_units(1_000_000_000);
/// What one claim may claim in all, and what a facility may say it collected, at most.
pub const MAX_CLAIMED: Money = Money::from_units(10_000_000_000);

/// Why a claim is refused at intake: the field, a stable reason code, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct IntakeRefusal {
    pub field: &'static str,
    /// `bad_text`, `future_date`, `implausible_date`, `too_many_lines`, `quantity_too_large`,
    /// `price_too_large`, `claimed_too_large` or `negative_copay` (docs/FORMATS.md).
    pub reason: &'static str,
    pub message: String,
    /// The refusal in words a page says in its language (an id of `registry::PROBLEMS`).
    pub words: Option<Words>,
}

impl IntakeRefusal {
    fn new(
        field: &'static str,
        reason: &'static str,
        words: Words,
        message: String,
    ) -> IntakeRefusal {
        IntakeRefusal {
            field,
            reason,
            message,
            words: Some(words),
        }
    }

    /// A field's own rule broken: its words, where it has them.
    fn of_field(reason: &'static str, broken: FieldError) -> IntakeRefusal {
        IntakeRefusal {
            field: broken.field,
            reason,
            message: broken.message,
            words: broken.words,
        }
    }
}

impl Claim {
    /// The checks a claim passes to be stored at all when received on `today`; the first one
    /// it fails.
    pub fn check_intake(&self, today: NaiveDate) -> Result<(), IntakeRefusal> {
        self.check_free_text()?;
        self.check_dates(today)?;
        self.check_amounts()
    }

    /// The fields that are not codes (codes are checked with the claim's shape).
    fn check_free_text(&self) -> Result<(), IntakeRefusal> {
        let texts = [
            ("clinical_category", Some(self.clinical_category.as_str())),
            ("specialty", self.specialty.as_deref()),
            ("limit_raising_case", self.limit_raising_case.as_deref()),
        ]
        .into_iter()
        .chain(
            self.diagnosis_codes
                .iter()
                .map(|code| ("diagnosis_codes", Some(code.as_str()))),
        );
        for (field, text) in texts {
            if let Some(text) = text
                && let Err(broken) = check_text(field, text)
            {
                return Err(IntakeRefusal::of_field("bad_text", broken));
            }
        }
        Ok(())
    }

    fn check_dates(&self, today: NaiveDate) -> Result<(), IntakeRefusal> {
        let dates = [
            ("visit_date", self.visit_date),
            ("admission_date", self.admission_date),
            ("discharge_date", self.discharge_date),
            ("received_date", Some(self.received_date)),
        ];
        for (field, date) in dates {
            let Some(date) = date else { continue };
            if let Err(implausible) = dates::check_plausible(field, date) {
                return Err(IntakeRefusal::of_field("implausible_date", implausible));
            }
            if date > today {
                return Err(IntakeRefusal::new(
                    field,
                    "future_date",
                    Words::new(
                        "care-after-today",
                        [("date", Figure::Date(date)), ("today", Figure::Date(today))],
                    ),
                    format!("{date} is after today ({today}): a claim is for care already given"),
                ));
            }
        }
        Ok(())
    }

    fn check_amounts(&self) -> Result<(), IntakeRefusal> {
        if self.lines.len() > MAX_LINES {
            return Err(IntakeRefusal::new(
                "lines",
                "too_many_lines",
                Words::new(
                    "too-many-lines",
                    [
                        ("lines", Figure::Count(self.lines.len() as i64)),
                        ("max", Figure::Count(MAX_LINES as i64)),
                    ],
                ),
                format!(
                    "{} lines; a claim holds at most {MAX_LINES}",
                    self.lines.len()
                ),
            ));
        }
        for line in &self.lines {
            if line.quantity.unsigned_abs() > MAX_QUANTITY.unsigned_abs() {
                return Err(IntakeRefusal::new(
                    "quantity",
                    "quantity_too_large",
                    Words::new(
                        "quantity-too-large",
                        [
                            ("quantity", Figure::Count(line.quantity)),
                            ("service", Figure::text(&line.service_code)),
                            ("max", Figure::Count(MAX_QUANTITY)),
                        ],
                    ),
                    format!(
                        "{} {}: a line's quantity is at most {MAX_QUANTITY}",
                        line.quantity, line.service_code
                    ),
                ));
            }
            if line.unit_price.minor().unsigned_abs() > MAX_UNIT_PRICE.minor().unsigned_abs() {
                return Err(IntakeRefusal::new(
                    "unit_price",
                    "price_too_large",
                    Words::new(
                        "price-too-large",
                        [
                            ("price", Figure::Amount(line.unit_price)),
                            ("service", Figure::text(&line.service_code)),
                            ("max", Figure::Amount(MAX_UNIT_PRICE)),
                        ],
                    ),
                    format!(
                        "{} for {}: a unit price is at most {}",
                        line.unit_price.grouped(),
                        line.service_code,
                        MAX_UNIT_PRICE.grouped()
                    ),
                ));
            }
        }
        // Within the bounds above the lines cannot add up past an i64.
        let claimed = self.claimed();
        if claimed > MAX_CLAIMED {
            return Err(IntakeRefusal::new(
                "lines",
                "claimed_too_large",
                Words::new(
                    "claimed-too-large",
                    [
                        ("claimed", Figure::Amount(claimed)),
                        ("max", Figure::Amount(MAX_CLAIMED)),
                    ],
                ),
                format!(
                    "the lines claim {} in all; a claim is for at most {}",
                    claimed.grouped(),
                    MAX_CLAIMED.grouped()
                ),
            ));
        }
        if self.copay_collected.is_negative() || self.copay_collected > MAX_CLAIMED {
            return Err(IntakeRefusal::new(
                "copay_collected",
                "negative_copay",
                Words::new(
                    "copay-out-of-range",
                    [
                        ("collected", Figure::Amount(self.copay_collected)),
                        ("max", Figure::Amount(MAX_CLAIMED)),
                    ],
                ),
                format!(
                    "{}: what a facility collected is between 0 and {}",
                    self.copay_collected.grouped(),
                    MAX_CLAIMED.grouped()
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::ClaimLine;
    use proptest::prelude::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    const TODAY: &str = "2026-12-03";

    fn visit(lines: Vec<ClaimLine>) -> Claim {
        Claim {
            provider_id: "H1".into(),
            claim_number: "C1".into(),
            member_id: "M1".into(),
            visit_date: Some(day("2026-11-30")),
            admission_date: None,
            discharge_date: None,
            diagnosis_codes: vec!["J18".into()],
            clinical_category: "medical".into(),
            specialty: None,
            limit_raising_case: None,
            copay_collected: Money::ZERO,
            received_date: day("2026-12-01"),
            lines,
        }
    }

    fn line(quantity: i64, unit_price: Money) -> ClaimLine {
        ClaimLine {
            service_code: "OPD".into(),
            quantity,
            unit_price,
        }
    }

    fn refusal(claim: &Claim) -> Option<(&'static str, &'static str)> {
        claim
            .check_intake(day(TODAY))
            .err()
            .map(|r| (r.field, r.reason))
    }

    #[test]
    fn a_claim_within_every_bound_is_received() {
        assert_eq!(refusal(&visit(vec![line(2, Money::from_units(500))])), None);
        let at_the_bounds = visit(vec![line(10, MAX_UNIT_PRICE); 1]);
        assert_eq!(refusal(&at_the_bounds), None);
    }

    #[test]
    fn a_date_after_today_is_refused_naming_its_field() {
        let mut claim = visit(vec![line(1, Money::from_units(500))]);
        claim.received_date = day(TODAY);
        claim.visit_date = Some(day(TODAY));
        assert_eq!(refusal(&claim), None, "today itself is not the future");
        claim.visit_date = Some(day("2026-12-04"));
        assert_eq!(refusal(&claim), Some(("visit_date", "future_date")));
        // With its words, for a page to say in its language.
        assert_eq!(
            claim.check_intake(day(TODAY)).unwrap_err().words,
            Some(Words::new(
                "care-after-today",
                [
                    ("date", Figure::Date(day("2026-12-04"))),
                    ("today", Figure::Date(day(TODAY))),
                ],
            ))
        );

        let mut stay = visit(vec![line(1, Money::from_units(500))]);
        stay.visit_date = None;
        stay.admission_date = Some(day("2026-11-01"));
        stay.discharge_date = Some(day("2027-01-01"));
        assert_eq!(refusal(&stay), Some(("discharge_date", "future_date")));
        stay.discharge_date = Some(day("2026-11-05"));
        stay.received_date = day("2026-12-25");
        assert_eq!(refusal(&stay), Some(("received_date", "future_date")));
    }

    #[test]
    fn a_date_outside_1900_to_2200_is_refused_as_implausible() {
        let mut claim = visit(vec![line(1, Money::from_units(500))]);
        claim.visit_date = Some(day("1899-12-31"));
        assert_eq!(refusal(&claim), Some(("visit_date", "implausible_date")));
        // The date's own rule gives the words.
        let refused = claim.check_intake(day(TODAY)).unwrap_err();
        assert_eq!(refused.words.unwrap().id, "implausible-date");
        claim.visit_date = Some(day("1900-01-01"));
        assert_eq!(refusal(&claim), None);
        claim.received_date = day("9999-12-31");
        assert_eq!(refusal(&claim), Some(("received_date", "implausible_date")));
    }

    #[test]
    fn amounts_and_quantities_past_their_bounds_are_refused() {
        let price = Money::from_units(500);
        assert_eq!(
            refusal(&visit(vec![line(MAX_QUANTITY + 1, price)])),
            Some(("quantity", "quantity_too_large"))
        );
        for absurd in [i64::MAX, i64::MIN, -MAX_QUANTITY - 1] {
            assert_eq!(
                refusal(&visit(vec![line(absurd, price)])),
                Some(("quantity", "quantity_too_large")),
                "{absurd}"
            );
        }
        let over = Money::from_minor(MAX_UNIT_PRICE.minor() + 1);
        assert_eq!(
            refusal(&visit(vec![line(1, over)])),
            Some(("unit_price", "price_too_large"))
        );
        // The line that wrapped to a negative claimed amount, and its mirror.
        for absurd in [i64::MAX, i64::MIN] {
            assert_eq!(
                refusal(&visit(vec![line(1, Money::from_minor(absurd))])),
                Some(("unit_price", "price_too_large"))
            );
        }
        assert_eq!(
            refusal(&visit(vec![line(1, price); MAX_LINES + 1])),
            Some(("lines", "too_many_lines"))
        );
        // Each line within its bounds, the claim not.
        let total_over = visit(vec![line(MAX_QUANTITY, MAX_UNIT_PRICE); 2]);
        assert_eq!(refusal(&total_over), Some(("lines", "claimed_too_large")));
    }

    #[test]
    fn a_nul_byte_or_a_novel_in_a_text_field_is_refused() {
        let mut claim = visit(vec![line(1, Money::from_units(500))]);
        claim.specialty = Some("surgery\0".into());
        assert_eq!(refusal(&claim), Some(("specialty", "bad_text")));
        claim.specialty = None;
        claim.clinical_category = "m".repeat(1_000_001);
        assert_eq!(refusal(&claim), Some(("clinical_category", "bad_text")));
    }

    #[test]
    fn a_negative_or_absurd_copayment_is_refused() {
        let mut claim = visit(vec![line(1, Money::from_units(500))]);
        claim.copay_collected = Money::from_units(-1);
        assert_eq!(refusal(&claim), Some(("copay_collected", "negative_copay")));
        claim.copay_collected = Money::from_minor(i64::MAX);
        assert_eq!(refusal(&claim), Some(("copay_collected", "negative_copay")));
    }

    proptest! {
        /// Whatever a claim holds, checking it never panics, and a claim it lets through
        /// claims a total that is neither negative nor past the bound.
        #[test]
        fn checking_any_claim_never_panics_and_what_passes_adds_up(
            lines in prop::collection::vec(
                (prop_oneof![Just(i64::MIN), Just(i64::MAX), -5i64..20_000],
                 prop_oneof![Just(i64::MIN), Just(i64::MAX), -100i64..200_000_000_000_000]),
                0..5,
            ),
            copay in prop_oneof![Just(i64::MIN), Just(i64::MAX), -100i64..1_000_000],
        ) {
            let lines = lines
                .into_iter()
                .map(|(quantity, price)| line(quantity, Money::from_minor(price)))
                .collect();
            let mut claim = visit(lines);
            claim.copay_collected = Money::from_minor(copay);
            if claim.check_intake(day(TODAY)).is_ok() {
                let claimed = claim.claimed();
                prop_assert!(claimed >= Money::ZERO && claimed <= MAX_CLAIMED);
                prop_assert!(!claim.copay_collected.is_negative());
            }
        }
    }
}
