//! What a sentence for people says apart from its language: a stable id and the figures it
//! quotes. The core writes its own English sentence for the API and the command line; a page says
//! the same words from its language's catalogue (dates, amounts and numbers the reader's way).

use crate::money::Money;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A sentence's id (`above_tariff`, `died`, ...) and the figures it quotes, by name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Words {
    pub id: String,
    pub figures: Vec<(String, Figure)>,
}

/// A figure a sentence quotes, typed so that the reader's language can write it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    Date(NaiveDate),
    /// An amount of the scheme's currency.
    Amount(Money),
    /// A whole number: days, months, years of age, a quantity.
    Count(i64),
    /// A decimal number written with a point (`2.50`, `1.5`), for a share or a factor.
    Number(String),
    /// Words kept as they are (a code, a name), or one of a few fixed words a catalogue
    /// chooses a translation for (`inpatient`, `female`).
    Text(String),
}

impl Figure {
    pub fn text(text: impl Into<String>) -> Figure {
        Figure::Text(text.into())
    }

    /// A share given in basis points (250: 2.50).
    pub fn percent(basis_points: u32) -> Figure {
        Figure::Number(format!("{}.{:02}", basis_points / 100, basis_points % 100))
    }
}

impl Words {
    pub fn new<'a>(id: &str, figures: impl IntoIterator<Item = (&'a str, Figure)>) -> Words {
        Words {
            id: id.to_string(),
            figures: figures
                .into_iter()
                .map(|(name, figure)| (name.to_string(), figure))
                .collect(),
        }
    }
}

/// A sentence with its words for the other languages. It is serialized as its text: a
/// study's JSON keeps its notes and warnings as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// As written: the engine's English, or a reader's language once a page has said it.
    pub text: String,
    pub words: Words,
}

impl Sentence {
    pub fn new(words: Words, english: impl Into<String>) -> Sentence {
        Sentence {
            text: english.into(),
            words,
        }
    }
}

impl std::fmt::Display for Sentence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl Serialize for Sentence {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_is_serialized_as_its_english() {
        let sentence = Sentence::new(Words::new("silent", [("n", Figure::Count(2))]), "Two.");
        assert_eq!(serde_json::to_string(&sentence).unwrap(), "\"Two.\"");
        assert_eq!(sentence.to_string(), "Two.");
    }

    #[test]
    fn a_percent_keeps_its_two_decimals() {
        assert_eq!(Figure::percent(5), Figure::Number("0.05".into()));
        assert_eq!(Figure::percent(1250), Figure::Number("12.50".into()));
    }
}
