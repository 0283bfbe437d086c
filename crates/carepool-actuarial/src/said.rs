//! The studies' refusals in words a page says in its reader's language: each error's sentence
//! id and figures ([`STUDY_PROBLEMS`]), beside the English its `Display` writes. An error that
//! a study of the database cannot meet (a triangle file's shape) has no words of its own: empty
//! words, and the page keeps the English.

use crate::build::{BuildError, MAX_ORIGINS};
use crate::chain_ladder::{FitError, MAX_TAIL};
use crate::expected::{ExpectedLossError, MAX_EXPOSURE, MAX_ITERATIONS, MAX_LOSS_RATIO};
use crate::experience::{MAX_BANDS, MAX_CELLS, StudyError};
use crate::mack::MackError;
use crate::reserve::ReserveError;
use carepool_core::words::{Figure, Words};

/// Every study refusal with words, with the figures it quotes; a page says them from its
/// catalogue (`problem-ID`), which a test holds to this list.
pub const STUDY_PROBLEMS: &[(&str, &[&str])] = &[
    ("needs-exposure", &["method"]),
    ("exposure-missing-origin", &["origin"]),
    ("excluded-unknown-origin", &["origin", "lag"]),
    ("excluded-no-link", &["origin", "lag"]),
    ("known-length", &["given", "origins"]),
    ("mack-model", &[]),
    ("mack-too-short", &[]),
    ("mack-no-log-linear", &["positive"]),
    ("mack-origin-not-estimable", &["origin"]),
    ("no-links", &["development"]),
    ("zero-base", &["development"]),
    ("bad-tail", &["value", "max"]),
    ("before-incurred", &["claim", "what", "date", "incurred"]),
    ("no-claims", &["date"]),
    ("too-many-origins", &["first", "origins", "period", "max"]),
    ("exposure-length", &["given", "origins"]),
    ("bad-exposure", &["origin", "value", "max"]),
    ("bad-loss-ratio", &["value", "max"]),
    ("bad-iterations", &["value", "max"]),
    ("study-dates", &["from", "to"]),
    ("bands-rise", &["factor"]),
    ("unknown-base", &["factor", "level", "levels"]),
    ("no-exposure", &["from", "to"]),
    ("study-after-data", &["from", "end"]),
    ("too-many-bands", &["factor", "max"]),
    ("too-many-cells", &["cells", "periods", "max"]),
];

fn number(value: f64) -> Figure {
    Figure::Number(value.to_string())
}

fn count(value: usize) -> Figure {
    Figure::Count(value as i64)
}

impl ReserveError {
    pub fn words(&self) -> Words {
        match self {
            ReserveError::Fit(error) => error.words(),
            ReserveError::Mack(error) => error.words(),
            ReserveError::ExpectedLoss(error) => error.words(),
            ReserveError::Build(error) => error.words(),
            ReserveError::NoExposure { method } => {
                Words::new("needs-exposure", [("method", Figure::text(*method))])
            }
            ReserveError::MissingExposure { origin } => Words::new(
                "exposure-missing-origin",
                [("origin", Figure::text(origin))],
            ),
            ReserveError::UnknownOrigin { origin, lag } => Words::new(
                "excluded-unknown-origin",
                [("origin", Figure::text(origin)), ("lag", count(*lag))],
            ),
            ReserveError::NoSuchLink { origin, lag } => Words::new(
                "excluded-no-link",
                [("origin", Figure::text(origin)), ("lag", count(*lag))],
            ),
            ReserveError::KnownLength { given, origins } => Words::new(
                "known-length",
                [("given", count(*given)), ("origins", count(*origins))],
            ),
        }
    }
}

impl MackError {
    pub fn words(&self) -> Words {
        match self {
            MackError::Fit(error) => error.words(),
            MackError::NotMacksModel => Words::new("mack-model", []),
            MackError::TooShort => Words::new("mack-too-short", []),
            MackError::NoLogLinearLine { positive } => {
                Words::new("mack-no-log-linear", [("positive", count(*positive))])
            }
            // Why is the engine's own English: the page says the origin and the outcome.
            MackError::NotEstimable { origin, .. } => Words::new(
                "mack-origin-not-estimable",
                [("origin", Figure::text(origin))],
            ),
        }
    }
}

impl FitError {
    pub fn words(&self) -> Words {
        match self {
            FitError::NoLinks { development } => {
                Words::new("no-links", [("development", count(*development))])
            }
            FitError::ZeroBase { development } => {
                Words::new("zero-base", [("development", count(*development))])
            }
            FitError::BadTail(value) => Words::new(
                "bad-tail",
                [("value", number(*value)), ("max", number(MAX_TAIL))],
            ),
        }
    }
}

impl BuildError {
    pub fn words(&self) -> Words {
        match self {
            BuildError::BeforeIncurred {
                index,
                what,
                date,
                incurred,
            } => Words::new(
                "before-incurred",
                [
                    ("claim", count(*index)),
                    ("what", Figure::text(*what)),
                    ("date", Figure::Date(*date)),
                    ("incurred", Figure::Date(*incurred)),
                ],
            ),
            BuildError::NoClaims(date) => Words::new("no-claims", [("date", Figure::Date(*date))]),
            BuildError::TooManyOrigins {
                first,
                origins,
                period,
            } => Words::new(
                "too-many-origins",
                [
                    ("first", Figure::text(first)),
                    ("origins", Figure::Count(*origins)),
                    ("period", Figure::text(*period)),
                    ("max", Figure::Count(MAX_ORIGINS)),
                ],
            ),
            BuildError::Triangle(_) => Words::default(),
        }
    }
}

impl ExpectedLossError {
    pub fn words(&self) -> Words {
        match self {
            ExpectedLossError::Fit(error) => error.words(),
            ExpectedLossError::ExposureLength { given, origins } => Words::new(
                "exposure-length",
                [("given", count(*given)), ("origins", count(*origins))],
            ),
            ExpectedLossError::BadExposure { origin, value } => Words::new(
                "bad-exposure",
                [
                    ("origin", Figure::text(origin)),
                    ("value", number(*value)),
                    ("max", number(MAX_EXPOSURE)),
                ],
            ),
            ExpectedLossError::BadLossRatio(value) => Words::new(
                "bad-loss-ratio",
                [("value", number(*value)), ("max", number(MAX_LOSS_RATIO))],
            ),
            ExpectedLossError::Iterations(value) => Words::new(
                "bad-iterations",
                [
                    ("value", Figure::Count(i64::from(*value))),
                    ("max", Figure::Count(i64::from(MAX_ITERATIONS))),
                ],
            ),
        }
    }
}

impl StudyError {
    pub fn words(&self) -> Words {
        match self {
            StudyError::Dates { from, to } => Words::new(
                "study-dates",
                [("from", Figure::Date(*from)), ("to", Figure::Date(*to))],
            ),
            StudyError::Bands(factor) => {
                Words::new("bands-rise", [("factor", Figure::text(*factor))])
            }
            StudyError::UnknownBase {
                factor,
                level,
                levels,
            } => Words::new(
                "unknown-base",
                [
                    ("factor", Figure::text(*factor)),
                    ("level", Figure::text(level)),
                    ("levels", Figure::text(levels)),
                ],
            ),
            StudyError::NoExposure { from, to } => Words::new(
                "no-exposure",
                [("from", Figure::Date(*from)), ("to", Figure::Date(*to))],
            ),
            StudyError::DataEnd { from, end, .. } => Words::new(
                "study-after-data",
                [("from", Figure::Date(*from)), ("end", Figure::Date(*end))],
            ),
            // The date's own rule, whose words the error does not keep.
            StudyError::Implausible { .. } => Words::default(),
            StudyError::TooManyBands(factor) => Words::new(
                "too-many-bands",
                [("factor", Figure::text(*factor)), ("max", count(MAX_BANDS))],
            ),
            StudyError::TooManyCells { cells, periods } => Words::new(
                "too-many-cells",
                [
                    ("cells", count(*cells)),
                    ("periods", count(*periods)),
                    ("max", count(MAX_CELLS)),
                ],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    /// Every refusal of a study of the database has words declared with their figures, and
    /// each of them is told apart from the others.
    #[test]
    fn every_study_refusal_has_declared_words() {
        let day = NaiveDate::from_ymd_opt(2025, 6, 30).unwrap();
        let origin = || "2025Q1".to_string();
        let refusals: Vec<Words> = vec![
            ReserveError::NoExposure { method: "bf" }.words(),
            ReserveError::MissingExposure { origin: origin() }.words(),
            ReserveError::UnknownOrigin {
                origin: origin(),
                lag: 1,
            }
            .words(),
            ReserveError::NoSuchLink {
                origin: origin(),
                lag: 1,
            }
            .words(),
            ReserveError::KnownLength {
                given: 2,
                origins: 3,
            }
            .words(),
            ReserveError::Mack(MackError::NotMacksModel).words(),
            ReserveError::Mack(MackError::TooShort).words(),
            MackError::NoLogLinearLine { positive: 1 }.words(),
            MackError::NotEstimable {
                origin: origin(),
                why: "its variance would be -1".into(),
            }
            .words(),
            FitError::NoLinks { development: 2 }.words(),
            FitError::ZeroBase { development: 2 }.words(),
            ReserveError::Fit(FitError::BadTail(11.0)).words(),
            BuildError::BeforeIncurred {
                index: 3,
                what: "paid",
                date: day,
                incurred: day,
            }
            .words(),
            ReserveError::Build(BuildError::NoClaims(day)).words(),
            BuildError::TooManyOrigins {
                first: origin(),
                origins: 2000,
                period: "month",
            }
            .words(),
            ExpectedLossError::ExposureLength {
                given: 2,
                origins: 3,
            }
            .words(),
            ExpectedLossError::BadExposure {
                origin: origin(),
                value: -1.0,
            }
            .words(),
            ExpectedLossError::BadLossRatio(-0.5).words(),
            ExpectedLossError::Iterations(0).words(),
            StudyError::Dates { from: day, to: day }.words(),
            StudyError::Bands("age").words(),
            StudyError::UnknownBase {
                factor: "sex",
                level: "X".into(),
                levels: "F, M".into(),
            }
            .words(),
            StudyError::NoExposure { from: day, to: day }.words(),
            StudyError::DataEnd {
                from: day,
                end: day,
                why: "today",
            }
            .words(),
            StudyError::TooManyBands("duration").words(),
            StudyError::TooManyCells {
                cells: 2_000_000,
                periods: 120,
            }
            .words(),
        ];
        for words in &refusals {
            let (_, names) = STUDY_PROBLEMS
                .iter()
                .find(|(id, _)| *id == words.id)
                .unwrap_or_else(|| panic!("{} is not in STUDY_PROBLEMS", words.id));
            for (name, _) in &words.figures {
                assert!(names.contains(&name.as_str()), "{}: {name}", words.id);
            }
            assert_eq!(words.figures.len(), names.len(), "{}", words.id);
        }
        let mut ids: Vec<&str> = refusals.iter().map(|w| w.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), STUDY_PROBLEMS.len(), "one sentence each");
    }
}
