//! The registry's records: locations, providers, families, members, coverage periods and
//! contributions, each checked on construction ("parse, don't validate").

use crate::money::Money;
use crate::words::{Figure, Words};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A rule broken by one field of a record: the field's name and what is wrong with it, in
/// English and, where the rule gives them, in words a page says in its language
/// ([`PROBLEMS`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
    pub words: Option<Words>,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> FieldError {
        FieldError {
            field,
            message: message.into(),
            words: None,
        }
    }

    /// A broken rule with its words (an id of [`PROBLEMS`] and its figures).
    pub fn said(field: &'static str, words: Words, message: impl Into<String>) -> FieldError {
        debug_assert!(
            PROBLEMS.iter().any(|(id, names)| *id == words.id
                && words
                    .figures
                    .iter()
                    .all(|(name, _)| names.contains(&name.as_str()))),
            "{} is not declared in PROBLEMS with its figures",
            words.id
        );
        FieldError {
            words: Some(words),
            ..FieldError::new(field, message)
        }
    }
}

/// Every broken rule of a field, or refusal of a claim at intake, that has words of its own,
/// with the figures it quotes: a page says them from its catalogue (`problem-ID`), which a test
/// holds to this list.
pub const PROBLEMS: &[(&str, &[&str])] = &[
    ("not-one-of", &["value", "choices"]),
    ("empty", &[]),
    ("spaces-around", &["value"]),
    ("code-too-long", &["max"]),
    ("code-control-character", &[]),
    ("not-a-currency", &["value"]),
    ("not-a-language-tag", &["value"]),
    ("text-too-long", &["max"]),
    ("not-one-line", &["what", "at"]),
    ("before", &["date", "other_field", "other"]),
    ("own-parent", &[]),
    ("location-loop", &["path"]),
    ("poverty-score-range", &["score"]),
    ("negative-wage", &[]),
    ("amount-not-positive", &["amount"]),
    ("amount-negative", &["amount"]),
    ("not-a-month", &["text"]),
    ("not-a-year", &["year"]),
    ("population-range", &["population", "max"]),
    ("required", &[]),
    ("implausible-date", &["date", "earliest", "latest"]),
    ("date-after-today", &["date", "today"]),
    ("care-after-today", &["date", "today"]),
    ("too-many-lines", &["lines", "max"]),
    ("quantity-too-large", &["quantity", "service", "max"]),
    ("price-too-large", &["price", "service", "max"]),
    ("claimed-too-large", &["claimed", "max"]),
    ("copay-out-of-range", &["collected", "max"]),
    // A record refused by the store or the services: its key taken, or not found.
    ("taken", &["what", "columns"]),
    ("user-taken", &["name"]),
    ("not-found", &["what", "key"]),
];

/// Declares a closed set of codes that are stored and exchanged as lowercase text.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<$name, D::Error> {
                let text = String::deserialize(deserializer)?;
                $name::parse(stringify!($name), &text).map_err(|e| serde::de::Error::custom(e.message))
            }
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// Reads the code, naming the field and the accepted values when it is wrong.
            pub fn parse(field: &'static str, text: &str) -> Result<$name, FieldError> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(crate::registry::not_one_of(field, text, &[$($text),+])),
                }
            }
        }

        impl std::str::FromStr for $name {
            type Err = FieldError;

            fn from_str(text: &str) -> Result<$name, FieldError> {
                $name::parse(stringify!($name), text)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

code_enum!(
    /// Urban or rural, for a location.
    Area { Urban = "urban", Rural = "rural" }
);
code_enum!(Ownership { Public = "public", Private = "private" });
code_enum!(
    /// The level of a health facility, from primary care up.
    FacilityLevel {
        HealthCentre = "health_centre",
        DistrictHospital = "district_hospital",
        ProvincialHospital = "provincial_hospital",
        CentralHospital = "central_hospital",
    }
);
code_enum!(Sex { Female = "F", Male = "M" });
code_enum!(Relationship { Head = "head", Spouse = "spouse", Child = "child", Parent = "parent", Other = "other" });
code_enum!(
    /// Pending members are registered but not entitled (an ID card is missing, say).
    MemberStatus { Active = "active", Pending = "pending", Inactive = "inactive", Deceased = "deceased" }
);
code_enum!(
    /// Who paid a contribution.
    Payer {
        Member = "member",
        Employer = "employer",
        Worker = "worker",
        Government = "government",
        SocialFund = "social_fund",
        Donor = "donor",
    }
);

code_enum!(
    /// What a line of the ledger records: an expense of the month, or a balance at its end.
    LedgerKind {
        Expense = "expense",
        Asset = "asset",
        LiquidAsset = "liquid_asset",
        Liability = "liability",
        ShortTermLiability = "short_term_liability",
    }
);

impl LedgerKind {
    /// A balance at the month's end (an asset or a liability), not a flow over the month.
    pub fn is_balance(self) -> bool {
        self != LedgerKind::Expense
    }
}

impl Payer {
    /// Arrears of these payers suspend the family's cover after the grace period; a government,
    /// fund or donor that pays late does not take cover away from the family.
    pub fn arrears_suspend_cover(self) -> bool {
        matches!(self, Payer::Member | Payer::Employer | Payer::Worker)
    }
}

/// A place in the location hierarchy (province > district > village, or any levels a scheme uses).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Location {
    pub code: String,
    pub name: String,
    /// The level's name: "province", "district", "village", ...
    pub kind: String,
    pub parent_code: Option<String>,
    pub area: Option<Area>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provider {
    pub code: String,
    pub name: String,
    pub ownership: Ownership,
    pub level: FacilityLevel,
    pub location_code: String,
    pub empanelled_from: NaiveDate,
    pub empanelled_to: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Family {
    pub id: String,
    pub scheme: String,
    pub location_code: String,
    /// Proxy-means-test score of the household, 0 (poorest) to 100, from the socio-economic registry.
    pub poverty_score: Option<f64>,
    pub household_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub id: String,
    pub family_id: String,
    pub name: String,
    pub relationship: Relationship,
    pub sex: Sex,
    pub birth_date: NaiveDate,
    pub national_id: Option<String>,
    /// Eligibility categories the member belongs to (formal_sector, civil_servant, disability, ...).
    pub categories: Vec<String>,
    /// Monthly wage, for contributions that are a share of the wage.
    pub monthly_wage: Option<Money>,
    pub status: MemberStatus,
    /// The date the current status took effect (for deceased: the date of death).
    pub status_since: NaiveDate,
}

/// A period during which a member is covered; open-ended while contributions are paid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub member_id: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    /// The benefit package, by code; none means the scheme's first package.
    pub package: Option<String>,
    /// The member's family, stored with the cover so that a family's cover is found by its key
    /// (and can live with its family on one node of a distributed database). None only in a file
    /// or request that left it to carepool, which fills it from the member.
    pub family_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contribution {
    /// The receipt number, unique in the scheme.
    pub receipt: String,
    pub family_id: String,
    pub payer: Payer,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub amount: Money,
    pub paid_on: NaiveDate,
}

/// One line of a scheme's ledger: an expense of a month, or an asset or liability at its end,
/// by category (`staff`, `cash`, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LedgerEntry {
    pub scheme: String,
    /// The month, YYYY-MM.
    pub month: String,
    pub kind: LedgerKind,
    pub category: String,
    pub amount: Money,
}

impl LedgerEntry {
    pub fn validate(&self) -> Result<(), FieldError> {
        self.first_day()?;
        check_code("category", &self.category)?;
        if self.amount.is_negative() {
            return Err(FieldError::said(
                "amount",
                Words::new("amount-negative", [("amount", Figure::Amount(self.amount))]),
                format!("{} is negative", self.amount),
            ));
        }
        Ok(())
    }

    /// The first day of the entry's month.
    pub fn first_day(&self) -> Result<NaiveDate, FieldError> {
        let parsed = (self.month.len() == 7)
            .then(|| NaiveDate::parse_from_str(&format!("{}-01", self.month), "%Y-%m-%d").ok())
            .flatten();
        let Some(day) = parsed else {
            return Err(FieldError::said(
                "month",
                Words::new(
                    "not-a-month",
                    [("text", Figure::text(excerpt(&self.month)))],
                ),
                format!("{} is not a month YYYY-MM", excerpt(&self.month)),
            ));
        };
        crate::dates::check_plausible("month", day)?;
        Ok(day)
    }
}

/// The people a scheme aims to cover in a location in a year, for the coverage ratio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetPopulation {
    pub location_code: String,
    pub year: i64,
    pub population: i64,
}

impl TargetPopulation {
    /// The most people a target counts: more than the world's population is a typing error.
    pub const MOST: i64 = 10_000_000_000;

    pub fn validate(&self) -> Result<(), FieldError> {
        let first_day = i32::try_from(self.year)
            .ok()
            .and_then(|year| NaiveDate::from_ymd_opt(year, 1, 1));
        match first_day {
            Some(day) => crate::dates::check_plausible("year", day)?,
            None => {
                return Err(FieldError::said(
                    "year",
                    Words::new("not-a-year", [("year", Figure::Count(self.year))]),
                    format!("{} is not a year", self.year),
                ));
            }
        }
        if !(0..=Self::MOST).contains(&self.population) {
            return Err(FieldError::said(
                "population",
                Words::new(
                    "population-range",
                    [
                        ("population", Figure::Count(self.population)),
                        ("max", Figure::Count(Self::MOST)),
                    ],
                ),
                format!("{} is not between 0 and {}", self.population, Self::MOST),
            ));
        }
        Ok(())
    }
}

/// A value as a message quotes it: in quotes, at most 40 characters (then "..."), control
/// characters escaped, so a message never carries a whole line of a file, or of whatever a
/// wrong path pointed at.
pub fn excerpt(text: &str) -> String {
    const SHOWN: usize = 40;
    let mut quoted = String::from("'");
    for c in text.chars().take(SHOWN) {
        if c.is_control() {
            quoted.extend(c.escape_default());
        } else {
            quoted.push(c);
        }
    }
    if text.chars().nth(SHOWN).is_some() {
        quoted.push_str("...");
    }
    quoted.push('\'');
    quoted
}

/// A non-empty identifier or code: trimmed, at most 64 characters, no control characters.
pub fn check_code(field: &'static str, text: &str) -> Result<(), FieldError> {
    if text.trim().is_empty() {
        return Err(FieldError::said(
            field,
            Words::new("empty", []),
            "must not be empty",
        ));
    }
    if text.trim() != text {
        return Err(FieldError::said(
            field,
            Words::new("spaces-around", [("value", Figure::text(excerpt(text)))]),
            format!("{} has spaces around it", excerpt(text)),
        ));
    }
    if text.chars().count() > 64 {
        return Err(FieldError::said(
            field,
            Words::new("code-too-long", [("max", Figure::Count(64))]),
            "is longer than 64 characters",
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(FieldError::said(
            field,
            Words::new("code-control-character", []),
            "contains a control character",
        ));
    }
    Ok(())
}

/// `text` is not among the codes `choices` a field takes.
pub fn not_one_of(field: &'static str, text: &str, choices: &[&str]) -> FieldError {
    let choices = choices.join(", ");
    FieldError::said(
        field,
        Words::new(
            "not-one-of",
            [
                ("value", Figure::text(excerpt(text))),
                ("choices", Figure::text(&choices)),
            ],
        ),
        format!("{} is not one of: {choices}", excerpt(text)),
    )
}

/// A currency: a three-letter ISO 4217 code in capitals (XOF, GHS, INR).
pub fn check_currency(field: &'static str, code: &str) -> Result<(), FieldError> {
    if code.len() != 3 || !code.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(FieldError::said(
            field,
            Words::new("not-a-currency", [("value", Figure::text(excerpt(code)))]),
            format!("{} is not a three-letter ISO 4217 code", excerpt(code)),
        ));
    }
    Ok(())
}

/// A language tag as the pages' catalogues are named: a language of two or three lower-case
/// letters, and perhaps a region (`fr`, `fr-SN`, `pt-BR`, `es-419`).
pub fn check_language(field: &'static str, tag: &str) -> Result<(), FieldError> {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    let region = parts.next();
    let lower = |text: &str| text.chars().all(|c| c.is_ascii_lowercase());
    let language_ok = (2..=3).contains(&language.len()) && lower(language);
    let region_ok = region.is_none_or(|region| {
        (region.len() == 2 && region.chars().all(|c| c.is_ascii_uppercase()))
            || (region.len() == 3 && region.chars().all(|c| c.is_ascii_digit()))
    });
    if language_ok && region_ok && parts.next().is_none() {
        return Ok(());
    }
    Err(FieldError::said(
        field,
        Words::new(
            "not-a-language-tag",
            [("value", Figure::text(excerpt(tag)))],
        ),
        format!(
            "{} is not a language tag such as en, fr or fr-SN",
            excerpt(tag)
        ),
    ))
}

/// The longest free text carepool keeps in one field (a name, an address, a category).
pub const MAX_TEXT_CHARS: usize = 1_000;

/// Free text of one field: at most [`MAX_TEXT_CHARS`] characters, on one line, with no control
/// character (a NUL byte, which PostgreSQL cannot store; a line break, which in a CSV file is
/// most often a quote never closed).
pub fn check_text(field: &'static str, text: &str) -> Result<(), FieldError> {
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(FieldError::said(
            field,
            Words::new(
                "text-too-long",
                [("max", Figure::Count(MAX_TEXT_CHARS as i64))],
            ),
            format!("is longer than {MAX_TEXT_CHARS} characters"),
        ));
    }
    if let Some(at) = text.chars().position(|c| c.is_control() && c != '\t') {
        let (kind, what) = match text.chars().nth(at) {
            Some('\n' | '\r') => ("line-break", "a line break"),
            Some('\0') => ("nul", "a NUL byte"),
            _ => ("control", "a control character"),
        };
        return Err(FieldError::said(
            field,
            Words::new(
                "not-one-line",
                [
                    ("what", Figure::text(kind)),
                    ("at", Figure::Count(at as i64 + 1)),
                ],
            ),
            format!(
                "holds {what} at character {}: a field is one line of text",
                at + 1
            ),
        ));
    }
    Ok(())
}

fn check_not_before(
    field: &'static str,
    later: NaiveDate,
    earlier_field: &str,
    earlier: NaiveDate,
) -> Result<(), FieldError> {
    if later < earlier {
        return Err(FieldError::said(
            field,
            Words::new(
                "before",
                [
                    ("date", Figure::Date(later)),
                    ("other_field", Figure::text(earlier_field)),
                    ("other", Figure::Date(earlier)),
                ],
            ),
            format!("{later} is before {earlier_field} {earlier}"),
        ));
    }
    Ok(())
}

impl Location {
    pub fn validate(&self) -> Result<(), FieldError> {
        check_code("code", &self.code)?;
        check_code("kind", &self.kind)?;
        if self.parent_code.as_deref() == Some(self.code.as_str()) {
            return Err(FieldError::said(
                "parent_code",
                Words::new("own-parent", []),
                "a location cannot be its own parent",
            ));
        }
        Ok(())
    }
}

impl Provider {
    pub fn validate(&self) -> Result<(), FieldError> {
        check_code("code", &self.code)?;
        if let Some(to) = self.empanelled_to {
            check_not_before("empanelled_to", to, "empanelled_from", self.empanelled_from)?;
        }
        Ok(())
    }

    pub fn empanelled_on(&self, date: NaiveDate) -> bool {
        date >= self.empanelled_from && self.empanelled_to.is_none_or(|to| date <= to)
    }
}

impl Family {
    pub fn validate(&self) -> Result<(), FieldError> {
        check_code("id", &self.id)?;
        if let Some(score) = self.poverty_score
            && !(0.0..=100.0).contains(&score)
        {
            return Err(FieldError::said(
                "poverty_score",
                Words::new(
                    "poverty-score-range",
                    [("score", Figure::Number(score.to_string()))],
                ),
                format!("{score} is outside 0..100"),
            ));
        }
        Ok(())
    }
}

impl Member {
    pub fn validate(&self) -> Result<(), FieldError> {
        check_code("id", &self.id)?;
        if let Some(national_id) = &self.national_id {
            check_code("national_id", national_id)?;
        }
        for category in &self.categories {
            check_code("categories", category)?;
        }
        if self.monthly_wage.is_some_and(Money::is_negative) {
            return Err(FieldError::said(
                "monthly_wage",
                Words::new("negative-wage", []),
                "must not be negative",
            ));
        }
        check_not_before(
            "status_since",
            self.status_since,
            "birth_date",
            self.birth_date,
        )
    }

    /// Age in whole years on `date` (a birthday on 29 February is reached on 1 March in other years).
    pub fn age_on(&self, date: NaiveDate) -> u32 {
        crate::dates::age_on(self.birth_date, date)
    }

    /// Whether the member was alive on `date`, as far as the registry knows.
    pub fn alive_on(&self, date: NaiveDate) -> bool {
        !(self.status == MemberStatus::Deceased && self.status_since <= date)
    }
}

impl Coverage {
    pub fn validate(&self) -> Result<(), FieldError> {
        check_code("member_id", &self.member_id)?;
        if let Some(family) = &self.family_id {
            check_code("family_id", family)?;
        }
        if let Some(end) = self.end_date {
            check_not_before("end_date", end, "start_date", self.start_date)?;
        }
        Ok(())
    }

    /// Covered on `date`: from the start date through the end date, both included.
    pub fn covers(&self, date: NaiveDate) -> bool {
        date >= self.start_date && self.end_date.is_none_or(|end| date <= end)
    }
}

impl Contribution {
    pub fn validate(&self) -> Result<(), FieldError> {
        check_code("receipt", &self.receipt)?;
        check_not_before(
            "period_end",
            self.period_end,
            "period_start",
            self.period_start,
        )?;
        if self.amount <= Money::ZERO {
            return Err(FieldError::said(
                "amount",
                Words::new(
                    "amount-not-positive",
                    [("amount", Figure::Amount(self.amount))],
                ),
                format!("{} is not positive", self.amount),
            ));
        }
        Ok(())
    }
}

/// The district a location lies in: the nearest enclosing location, itself included, of kind
/// "district"; the location itself when none is. A patient whose family's district differs from
/// the facility's is non-local (for allowances).
pub fn district_of<'a>(locations: &'a HashMap<String, Location>, code: &'a str) -> &'a str {
    let mut current = code;
    // The hierarchy is a few levels deep; the bound guards against a cycle in bad data.
    for _ in 0..64 {
        let Some(location) = locations.get(current) else {
            break;
        };
        if location.kind == "district" {
            return &location.code;
        }
        match &location.parent_code {
            Some(parent) => current = parent,
            None => break,
        }
    }
    code
}

/// Urban or rural, for a location: its own, or that of the nearest location above it that has one.
pub fn area_of(locations: &HashMap<String, Location>, code: &str) -> Option<Area> {
    let mut current = locations.get(code);
    // The hierarchy is a few levels deep; the bound guards against a cycle in bad data.
    for _ in 0..64 {
        let location = current?;
        if let Some(area) = location.area {
            return Some(area);
        }
        current = locations.get(location.parent_code.as_deref()?);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_is_a_tag_of_two_or_three_letters_and_perhaps_a_region() {
        for good in ["en", "fr", "fr-SN", "pt-BR", "es-419", "ful"] {
            assert!(check_language("language", good).is_ok(), "{good}");
        }
        for bad in [
            "", "f", "FR", "fr_SN", "fr-sn", "fr-SN-x", "english", "fr-", "<b>",
        ] {
            let refused = check_language("language", bad).unwrap_err();
            assert_eq!(refused.field, "language", "{bad:?}");
        }
    }

    #[test]
    fn a_value_is_quoted_short_and_escaped() {
        assert_eq!(excerpt("F0001"), "'F0001'");
        assert_eq!(excerpt("a\tb\0"), "'a\\tb\\u{0}'");
        let line = format!("root:{}:19000:0:99999:7:::", "x".repeat(200));
        let quoted = excerpt(&line);
        assert_eq!(quoted, format!("'root:{}...'", "x".repeat(35)));
    }

    #[test]
    fn free_text_is_one_line_of_at_most_a_thousand_characters_without_controls() {
        assert!(check_text("name", "Awa Traoré\tjunior").is_ok());
        assert!(check_text("name", &"a".repeat(MAX_TEXT_CHARS)).is_ok());
        let long = check_text("name", &"a".repeat(1_000_000)).unwrap_err();
        assert_eq!(long.field, "name");
        for (text, what) in [
            ("Awa\0", "a NUL byte at character 4"),
            ("Awa\nTraoré", "a line break at character 4"),
            ("\u{7}bell", "a control character at character 1"),
        ] {
            let refused = check_text("name", text).unwrap_err();
            assert!(refused.message.contains(what), "{}", refused.message);
        }
    }

    #[test]
    fn a_village_lies_in_the_district_above_it() {
        let place = |code: &str, kind: &str, parent: Option<&str>| {
            (
                code.to_string(),
                Location {
                    code: code.into(),
                    name: code.into(),
                    kind: kind.into(),
                    parent_code: parent.map(String::from),
                    area: None,
                },
            )
        };
        let locations: HashMap<String, Location> = [
            place("P1", "province", None),
            place("D1", "district", Some("P1")),
            place("V1", "village", Some("D1")),
            place("X1", "village", Some("P1")),
        ]
        .into();
        assert_eq!(district_of(&locations, "V1"), "D1");
        assert_eq!(district_of(&locations, "D1"), "D1");
        assert_eq!(district_of(&locations, "X1"), "X1", "no district above");
        assert_eq!(district_of(&locations, "unknown"), "unknown");
    }

    #[test]
    fn a_village_without_an_area_takes_the_one_above_it() {
        let mut locations = HashMap::new();
        for (code, parent, area) in [
            ("D1", None, Some(Area::Rural)),
            ("V1", Some("D1"), None),
            ("V2", Some("D1"), Some(Area::Urban)),
            ("X1", None, None),
        ] {
            let location = Location {
                code: code.into(),
                name: code.into(),
                kind: "village".into(),
                parent_code: parent.map(String::from),
                area,
            };
            locations.insert(code.to_string(), location);
        }
        assert_eq!(area_of(&locations, "V1"), Some(Area::Rural));
        assert_eq!(area_of(&locations, "V2"), Some(Area::Urban));
        assert_eq!(area_of(&locations, "X1"), None);
        assert_eq!(area_of(&locations, "nowhere"), None);
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn member() -> Member {
        Member {
            id: "M1".into(),
            family_id: "F1".into(),
            name: "Amina".into(),
            relationship: Relationship::Head,
            sex: Sex::Female,
            birth_date: date("1990-02-28"),
            national_id: None,
            categories: vec![],
            monthly_wage: None,
            status: MemberStatus::Active,
            status_since: date("2020-01-01"),
        }
    }

    #[test]
    fn a_code_outside_the_set_names_the_field_and_the_accepted_values() {
        let error = MemberStatus::parse("status", "actve").unwrap_err();
        assert_eq!(error.field, "status");
        assert_eq!(
            error.message,
            "'actve' is not one of: active, pending, inactive, deceased"
        );
    }

    #[test]
    fn cover_includes_its_last_day_and_not_the_next() {
        let cover = Coverage {
            member_id: "M1".into(),
            start_date: date("2024-01-01"),
            end_date: Some(date("2024-12-31")),
            package: None,
            family_id: None,
        };
        assert!(cover.covers(date("2024-12-31")));
        assert!(!cover.covers(date("2025-01-01")));
        assert!(!cover.covers(date("2023-12-31")));
    }

    #[test]
    fn open_ended_cover_continues() {
        let cover = Coverage {
            member_id: "M1".into(),
            start_date: date("2024-01-01"),
            end_date: None,
            package: None,
            family_id: None,
        };
        assert!(cover.covers(date("2040-06-30")));
    }

    #[test]
    fn cover_ending_before_it_starts_is_refused() {
        let cover = Coverage {
            member_id: "M1".into(),
            start_date: date("2024-01-01"),
            end_date: Some(date("2023-12-31")),
            package: None,
            family_id: None,
        };
        assert_eq!(cover.validate().unwrap_err().field, "end_date");
    }

    #[test]
    fn a_status_before_birth_is_refused() {
        let mut m = member();
        m.status_since = date("1980-01-01");
        assert_eq!(m.validate().unwrap_err().field, "status_since");
    }

    #[test]
    fn a_deceased_member_is_alive_until_the_date_of_death() {
        let mut m = member();
        m.status = MemberStatus::Deceased;
        m.status_since = date("2024-06-15");
        assert!(m.alive_on(date("2024-06-14")));
        assert!(!m.alive_on(date("2024-06-15")));
    }

    #[test]
    fn contributions_must_be_positive_and_in_order() {
        let mut c = Contribution {
            receipt: "R1".into(),
            family_id: "F1".into(),
            payer: Payer::Member,
            period_start: date("2024-01-01"),
            period_end: date("2024-12-31"),
            amount: Money::ZERO,
            paid_on: date("2024-01-05"),
        };
        assert_eq!(c.validate().unwrap_err().field, "amount");
        c.amount = Money::from_units(10);
        c.period_end = date("2023-01-01");
        assert_eq!(c.validate().unwrap_err().field, "period_end");
    }

    #[test]
    fn poverty_scores_live_between_0_and_100() {
        let family = Family {
            id: "F1".into(),
            scheme: "s".into(),
            location_code: "V1".into(),
            poverty_score: Some(100.5),
            household_id: None,
        };
        assert_eq!(family.validate().unwrap_err().field, "poverty_score");
    }

    #[test]
    fn codes_with_spaces_around_are_refused() {
        assert!(check_code("id", " F1").is_err());
        assert!(check_code("id", "").is_err());
        assert!(check_code("id", "F-1/2024").is_ok());
    }
}
