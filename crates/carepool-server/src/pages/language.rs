//! The pages' words in the user's language, from the message catalogues in `locales/` (Fluent,
//! one file per language, compiled in: adding a language is adding a file). Dates, counts and
//! amounts are written the language's way, from the same file (`date`, `month-1`..`month-12`,
//! `digit-group`, `decimal-mark`).

use carepool_core::money::Money;
use carepool_core::words::{Figure, Words};
use chrono::{Datelike, NaiveDate};
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use std::sync::LazyLock;
use unic_langid::LanguageIdentifier;

mod compiled {
    include!(concat!(env!("OUT_DIR"), "/catalogues.rs"));
}

/// The language a user without one of their own, or a catalogue without a message, falls back to.
pub const FALLBACK: &str = "en";

struct Catalogue {
    tag: &'static str,
    bundle: FluentBundle<FluentResource>,
}

static CATALOGUES: LazyLock<Vec<Catalogue>> = LazyLock::new(|| {
    compiled::CATALOGUES
        .iter()
        .map(|&(tag, text)| catalogue(tag, text).unwrap_or_else(|e| panic!("{e}")))
        .collect()
});

/// A catalogue read from its text; a catalogue that does not parse is a fault of the build
/// (a test reads every one).
fn catalogue(tag: &'static str, text: &str) -> Result<Catalogue, String> {
    let language: LanguageIdentifier = tag
        .parse()
        .map_err(|e| format!("locales/{tag}.ftl: the name is not a language tag: {e}"))?;
    let resource = FluentResource::try_new(text.to_string())
        .map_err(|(_, errors)| format!("locales/{tag}.ftl does not parse: {errors:?}"))?;
    let mut bundle = FluentBundle::new_concurrent(vec![language]);
    // The pages are HTML, escaped by the templates: no bidi isolation marks around arguments.
    bundle.set_use_isolating(false);
    bundle
        .add_resource(resource)
        .map_err(|errors| format!("locales/{tag}.ftl repeats messages: {errors:?}"))?;
    Ok(Catalogue { tag, bundle })
}

/// The languages the pages speak: tag and the language's own name.
pub fn languages() -> Vec<(&'static str, String)> {
    CATALOGUES
        .iter()
        .map(|c| (c.tag, Texts { catalogue: c }.text("language-name")))
        .collect()
}

/// The words of one language.
#[derive(Clone, Copy)]
pub struct Texts {
    catalogue: &'static Catalogue,
}

impl Texts {
    /// The catalogue of `tag` (`fr`, or `fr-SN` falling back to `fr`), else the fallback's.
    pub fn of(tag: Option<&str>) -> Texts {
        let find = |wanted: &str| {
            CATALOGUES
                .iter()
                .find(|c| c.tag.eq_ignore_ascii_case(wanted))
        };
        let primary = tag.and_then(|tag| tag.split(['-', '_']).next());
        let catalogue = tag
            .and_then(find)
            .or_else(|| primary.and_then(find))
            .or_else(|| find(FALLBACK))
            .expect("the fallback language has a catalogue");
        Texts { catalogue }
    }

    /// Whether the catalogue holds the message `id`.
    #[cfg(test)]
    pub fn has(&self, id: &str) -> bool {
        self.catalogue.bundle.has_message(id)
    }

    /// The language's tag (`en`, `fr`), for `<html lang>`.
    pub fn tag(&self) -> &'static str {
        self.catalogue.tag
    }

    /// The message `id`.
    pub fn text(&self, id: &str) -> String {
        self.with(id, &[])
    }

    /// The message `id` with its arguments (given already written, as text).
    pub fn with(&self, id: &str, args: &[(&str, &str)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, *value);
        }
        let args = (!args.is_empty()).then_some(&fluent_args);
        if let Some(text) = format(&self.catalogue.bundle, id, args) {
            return text;
        }
        // Every catalogue holds every message (a test checks); this is for a file edited on a
        // server. The id is logged, never the arguments (they may be names).
        tracing::warn!(language = self.tag(), message = id, "message missing");
        let fallback = Texts::of(Some(FALLBACK)).catalogue;
        format(&fallback.bundle, id, args).unwrap_or_else(|| id.to_string())
    }

    /// A sentence of the core (an eligibility refusal, a claim's reason) in the language:
    /// message `PREFIX-ID` with its figures written the language's way. `None` when the words
    /// are empty (a reason stored before reasons had words) or the catalogue cannot say them:
    /// the caller shows the core's English sentence instead.
    pub fn say(&self, prefix: &str, words: &Words, currency: Option<&str>) -> Option<String> {
        if words.id.is_empty() {
            return None;
        }
        let mut args = FluentArgs::new();
        for (name, figure) in &words.figures {
            let written = match figure {
                Figure::Date(date) => self.date(*date),
                Figure::Amount(amount) => self.amount(*amount, currency),
                Figure::Count(count) if *count < 0 => {
                    format!("-{}", self.count(count.unsigned_abs()))
                }
                Figure::Count(count) => self.count(count.unsigned_abs()),
                Figure::Number(number) => number.replace('.', &self.text("decimal-mark")),
                Figure::Text(text) => text.clone(),
            };
            args.set(name.as_str(), written);
        }
        let said = format(
            &self.catalogue.bundle,
            &format!("{prefix}-{}", words.id),
            Some(&args),
        );
        if said.is_none() {
            // The id is logged, never the figures (they may be names or notes).
            tracing::warn!(language = self.tag(), sentence = %words.id, "sentence not said");
        }
        said
    }

    /// A report's label (a title, a heading, a setting's name or value) in the language:
    /// message `report-SLUG` of its English ([`label_id`]); a label the catalogue does not
    /// hold is data (a code, a level, a year) and stays as it is.
    pub fn label(&self, english: &str) -> String {
        format(&self.catalogue.bundle, &label_id(english), None)
            .unwrap_or_else(|| english.to_string())
    }

    /// A date the language's way: `3 December 2026`, `3 décembre 2026`.
    pub fn date(&self, date: NaiveDate) -> String {
        let month = self.text(&format!("month-{}", date.month()));
        self.with(
            "date",
            &[
                ("day", &date.day().to_string()),
                ("month", &month),
                ("year", &date.year().to_string()),
            ],
        )
    }

    /// A whole number with the language's digit groups: `12,500`, `12 500`.
    pub fn count(&self, number: u64) -> String {
        grouped(&number.to_string(), &self.text("digit-group"))
    }

    /// A number with its decimals, grouped and marked the language's way: `1 234,50`.
    pub fn decimal(&self, value: f64, decimals: u8) -> String {
        let text = format!("{:.*}", decimals as usize, value.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let sign = if value < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
            "-"
        } else {
            ""
        };
        let whole = self.count(whole.parse().unwrap_or(0));
        if fraction.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}{}{fraction}", self.text("decimal-mark"))
        }
    }

    /// An amount with its currency, the language's way: `1,250.50 XOF`, `1 250,50 XOF`.
    pub fn amount(&self, amount: Money, currency: Option<&str>) -> String {
        let text = amount.to_string();
        let (sign, digits) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text.as_str()),
        };
        let (whole, cents) = digits.split_once('.').unwrap_or((digits, "00"));
        let written = format!(
            "{sign}{}{}{cents}",
            grouped(whole, &self.text("digit-group")),
            self.text("decimal-mark")
        );
        match currency {
            Some(code) => format!("{written} {code}"),
            None => written,
        }
    }
}

fn format(
    bundle: &FluentBundle<FluentResource>,
    id: &str,
    args: Option<&FluentArgs>,
) -> Option<String> {
    let pattern = bundle.get_message(id)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, args, &mut errors);
    errors.is_empty().then(|| text.into_owned())
}

/// The message id of a report's label: `report-` and its English in lower case, each run of
/// other characters than letters and digits a single `-` (`per 1,000` is `report-per-1-000`).
pub fn label_id(english: &str) -> String {
    let mut id = String::from("report-");
    for c in english.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !id.ends_with('-') {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_string()
}

/// `digits` in groups of three from the right, joined by `separator`.
fn grouped(digits: &str, separator: &str) -> String {
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push_str(separator);
        }
        out.push(digit);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Each message of a catalogue with the variables it uses.
    fn messages(text: &str) -> Vec<(String, BTreeSet<String>)> {
        let mut messages: Vec<(String, BTreeSet<String>)> = Vec::new();
        for line in text.lines() {
            let starts_message = line
                .split_once(" =")
                .filter(|(id, _)| !id.is_empty() && !line.starts_with([' ', '#']))
                .map(|(id, _)| id.to_string());
            if let Some(id) = starts_message {
                messages.push((id, BTreeSet::new()));
            }
            if let Some((_, variables)) = messages.last_mut() {
                for piece in line.split("{ $").skip(1) {
                    let name: String = piece
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '-' || *c == '_')
                        .collect();
                    variables.insert(name);
                }
            }
        }
        messages
    }

    #[test]
    fn every_catalogue_parses_and_holds_the_fallbacks_messages_with_their_variables() {
        assert!(
            compiled::CATALOGUES.len() >= 2,
            "English and French at least"
        );
        let (_, fallback) = compiled::CATALOGUES
            .iter()
            .find(|(tag, _)| *tag == FALLBACK)
            .expect("the fallback's catalogue");
        let expected = messages(fallback);
        assert!(expected.len() > 20);
        for &(tag, text) in compiled::CATALOGUES {
            catalogue(tag, text).unwrap();
            assert_eq!(messages(text), expected, "locales/{tag}.ftl");
            let texts = Texts::of(Some(tag));
            for (id, variables) in &expected {
                let args: Vec<(&str, &str)> = variables.iter().map(|v| (v.as_str(), "x")).collect();
                assert!(
                    format(
                        &texts.catalogue.bundle,
                        id,
                        Some(&FluentArgs::from_iter(args))
                    )
                    .is_some(),
                    "locales/{tag}.ftl: {id} does not format"
                );
            }
        }
    }

    #[test]
    fn every_catalogue_says_every_refusal_reason_note_and_problem_quoting_only_their_figures() {
        for &(tag, text) in compiled::CATALOGUES {
            let messages = messages(text);
            let variables_of = |id: &str| {
                messages
                    .iter()
                    .find(|(message, _)| message == id)
                    .map(|(_, variables)| variables.clone())
                    .unwrap_or_else(|| panic!("locales/{tag}.ftl has no {id}"))
            };
            for id in carepool_core::eligibility::REFUSALS {
                variables_of(&format!("refusal-{id}"));
            }
            let sentences = (carepool_core::claims::reasons::SENTENCES.iter())
                .map(|(id, figures)| (format!("reason-{id}"), *figures))
                .chain(
                    (carepool_io::report::NOTES.iter())
                        .map(|(id, figures)| (format!("note-{id}"), *figures)),
                )
                .chain(
                    (carepool_core::registry::PROBLEMS.iter())
                        .chain(carepool_actuarial::STUDY_PROBLEMS)
                        .chain(crate::studies::PROBLEMS)
                        .map(|(id, figures)| (format!("problem-{id}"), *figures)),
                );
            for (id, figures) in sentences {
                let quoted = variables_of(&id);
                let unknown: Vec<&String> = quoted
                    .iter()
                    .filter(|v| !figures.contains(&v.as_str()))
                    .collect();
                assert!(
                    unknown.is_empty(),
                    "locales/{tag}.ftl: {id} quotes {unknown:?}, not among {figures:?}"
                );
            }
        }
    }

    #[test]
    fn a_sentence_of_the_core_is_said_with_its_figures_the_languages_way() {
        let french = Texts::of(Some("fr"));
        let died = Words::new(
            "died",
            [("date", Figure::Date("2026-01-10".parse().unwrap()))],
        );
        assert_eq!(
            french.say("refusal", &died, None).unwrap(),
            "le membre est décédé le 10 janvier 2026"
        );
        let cut = Words::new(
            "above_tariff",
            [
                ("cut", Figure::Amount(Money::from_minor(150_050))),
                ("service", Figure::text("CONS")),
                ("level", Figure::text("hospital")),
                ("quantity", Figure::Count(2)),
                ("price", Figure::Amount(Money::from_minor(250_000))),
                ("tariff", Figure::Amount(Money::from_minor(174_975))),
            ],
        );
        let said = french.say("reason", &cut, Some("XOF")).unwrap();
        assert_eq!(
            said,
            "montant réduit de 1\u{202f}500,50 XOF : au-dessus du tarif de la prestation CONS au niveau \
             hospital (2 × 2\u{202f}500,00 XOF demandés, tarif de 1\u{202f}749,75 XOF l'unité)"
        );
        let share = Words::new(
            "share_percent",
            [
                ("share", Figure::Amount(Money::from_minor(-1_000))),
                ("percent", Figure::percent(1250)),
            ],
        );
        let said = french.say("reason", &share, Some("XOF")).unwrap();
        assert_eq!(
            said,
            "le membre paie -10,00 XOF : un ticket modérateur de 12,50 %"
        );
        let ages = |max| {
            Words::new(
                "age_restriction",
                [
                    ("service", Figure::text("Antenatal visit")),
                    ("min", Figure::Count(15)),
                    ("max", max),
                    ("age", Figure::Count(12)),
                ],
            )
        };
        assert_eq!(
            french
                .say("reason", &ages(Figure::text("any")), None)
                .unwrap(),
            "la prestation Antenatal visit est réservée aux patients de 15 ans et plus ; \
             âge du patient : 12"
        );
        assert_eq!(
            french
                .say("reason", &ages(Figure::Count(49)), None)
                .unwrap(),
            "la prestation Antenatal visit est réservée aux patients de 15 à 49 ans ; \
             âge du patient : 12"
        );
        // A value the catalogue does not know is said as it is, not as another one.
        let exempt = Words::new(
            "exempt",
            [
                ("category", Figure::text("Maternity")),
                ("group", Figure::text("elderly")),
            ],
        );
        assert!(
            french
                .say("reason", &exempt, None)
                .unwrap()
                .ends_with("(elderly)")
        );
        // Stored before reasons had words, or a figure missing: the caller keeps the English.
        assert_eq!(french.say("reason", &Words::default(), None), None);
        let short = Words::new("review_random", []);
        assert_eq!(french.say("reason", &short, None), None);
    }

    #[test]
    fn a_language_is_found_by_its_tag_or_its_primary_language_else_the_fallback() {
        assert_eq!(Texts::of(Some("fr")).tag(), "fr");
        assert_eq!(Texts::of(Some("FR")).tag(), "fr");
        assert_eq!(Texts::of(Some("fr-SN")).tag(), "fr");
        assert_eq!(Texts::of(Some("sw")).tag(), FALLBACK);
        assert_eq!(Texts::of(None).tag(), FALLBACK);
    }

    #[test]
    fn dates_counts_and_amounts_are_written_the_languages_way() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 3).unwrap();
        let english = Texts::of(Some("en"));
        let french = Texts::of(Some("fr"));
        assert_eq!(english.date(date), "3 December 2026");
        assert_eq!(french.date(date), "3 décembre 2026");
        assert_eq!(english.count(1_234_567), "1,234,567");
        assert_eq!(french.count(1_234_567), "1\u{202f}234\u{202f}567");
        assert_eq!(english.count(999), "999");
        let amount: Money = "-1250000.5".parse().unwrap();
        assert_eq!(english.amount(amount, Some("XOF")), "-1,250,000.50 XOF");
        assert_eq!(
            french.amount(amount, Some("XOF")),
            "-1\u{202f}250\u{202f}000,50 XOF"
        );
        assert_eq!(english.amount(Money::ZERO, None), "0.00");
    }

    #[test]
    fn digits_are_grouped_in_threes_from_the_right() {
        assert_eq!(grouped("1", ","), "1");
        assert_eq!(grouped("1000", ","), "1,000");
        assert_eq!(grouped("100000", ","), "100,000");
        assert_eq!(grouped("1000000", " "), "1 000 000");
    }
}
