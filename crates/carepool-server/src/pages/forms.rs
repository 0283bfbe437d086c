//! Form fields with their labels, and the problems found in a form sent: each shown beside its
//! field and listed at the top with a link to the field, so a screen reader and a keyboard reach
//! them.

use super::language::Texts;
use carepool_core::registry::FieldError;
use carepool_core::words::Words;
use carepool_service::RowProblem;
use chrono::NaiveDate;
use std::collections::HashMap;

/// A problem in the reader's language: its words (`problem-ID`) where it has them and the
/// catalogue says them, else `english`.
pub fn in_words(texts: &Texts, words: Option<&Words>, english: String) -> String {
    words
        .and_then(|words| texts.say("problem", words, None))
        .unwrap_or(english)
}

/// What a form sent, by field.
pub type Sent = HashMap<String, String>;

/// A form as sent, from its fields' names and values (for tests).
#[cfg(test)]
pub fn sent(pairs: &[(&str, &str)]) -> Sent {
    pairs
        .iter()
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}
use maud::{Markup, html};

/// The problems found in a form sent, by field.
#[derive(Debug, Default)]
pub struct Problems(Vec<(String, String)>);

impl Problems {
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push((field.into(), message.into()));
    }

    /// A field's rule broken: its words in the reader's language where the rule gives them
    /// (`problem-ID`), else the core's English.
    pub fn add_broken(&mut self, texts: &Texts, broken: FieldError) {
        let message = in_words(texts, broken.words.as_ref(), broken.message);
        self.add(broken.field, message);
    }

    /// The problems a refused write names (a field's rule, a key taken, the eligibility rules
    /// that refused an enrolment, each with its rule); a problem of no field goes under `form`.
    pub fn of_refusal(texts: &Texts, refused: Vec<RowProblem>) -> Problems {
        let mut problems = Problems::default();
        for problem in refused {
            let field = problem.column.unwrap_or_else(|| "form".to_string());
            if problem.rules.is_empty() {
                let message = in_words(texts, problem.words.as_ref(), problem.message);
                problems.add(field.clone(), message);
            }
            for failure in problem.rules {
                let sentence = texts
                    .say("refusal", &failure.words, None)
                    .unwrap_or_else(|| failure.message.clone());
                let message = texts.with(
                    "not-eligible",
                    &[("rule", &failure.rule), ("message", &sentence)],
                );
                problems.add(field.clone(), message);
            }
        }
        problems
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn of(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(name, _)| *name == field)
            .map(|(_, message)| message.as_str())
    }

    /// The list at the top of the form: nothing when the form had no problem.
    pub fn summary(&self, texts: &Texts) -> Markup {
        html! {
            @if !self.is_empty() {
                div class="problems" role="alert" {
                    h2 { (texts.text("form-problems")) }
                    ul {
                        @for (field, message) in &self.0 {
                            li { a href=(format!("#{}", field_id(field))) { (message) } }
                        }
                    }
                }
            }
        }
    }
}

/// A form's text, trimmed; none when empty.
pub fn given(sent: &Sent, name: &str) -> Option<String> {
    (sent.get(name).map(|t| t.trim()))
        .filter(|t| !t.is_empty())
        .map(str::to_string)
}

/// A code the form gave in `name` (none when empty), read by the core's parser; its problem
/// added when it is not one.
pub fn code<T>(
    texts: &Texts,
    sent: &Sent,
    name: &'static str,
    parse: fn(&'static str, &str) -> Result<T, FieldError>,
    problems: &mut Problems,
) -> Option<T> {
    match parse(name, &given(sent, name)?) {
        Ok(value) => Some(value),
        Err(broken) => {
            problems.add_broken(texts, broken);
            None
        }
    }
}

/// The date a form gave in `name` (none when empty), or its problem added.
pub fn date_filter(
    texts: &Texts,
    sent: &Sent,
    name: &str,
    problems: &mut Problems,
) -> Option<NaiveDate> {
    let text = sent.get(name).map(|t| t.trim()).filter(|t| !t.is_empty())?;
    match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        Ok(date) => Some(date),
        Err(_) => {
            problems.add(name, texts.with("not-a-date", &[("text", text)]));
            None
        }
    }
}

/// A number as a person types it, as the parsers read it: `1 250,50` and `1,250.50` are
/// `1250.50` (spaces, the narrow no-break spaces French writes, and a thousands' comma before a
/// decimal point are dropped; a lone comma is the decimal mark).
pub fn typed_number(text: &str) -> String {
    let kept: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if kept.contains('.') {
        kept.replace(',', "")
    } else {
        kept.replace(',', ".")
    }
}

/// What a field takes.
pub enum Input {
    Text,
    Password,
    Date,
    Number,
    /// One of these codes, each shown as its label.
    Choice(Vec<(String, String)>),
}

/// An input of a form, with its label.
pub struct Field<'a> {
    pub name: &'a str,
    pub label: String,
    pub input: Input,
    pub value: &'a str,
    /// What the browser may fill it with (`username`, `current-password`, `new-password`, `off`).
    pub autocomplete: &'static str,
    pub required: bool,
}

fn field_id(name: &str) -> String {
    format!("field-{name}")
}

impl Field<'_> {
    /// The label, the field's problem if any, and the input.
    pub fn render(&self, problems: &Problems) -> Markup {
        let id = field_id(self.name);
        let error_id = format!("{id}-error");
        let problem = problems.of(self.name);
        let kind = match self.input {
            Input::Text | Input::Choice(_) => "text",
            Input::Password => "password",
            Input::Date => "date",
            Input::Number => "text",
        };
        html! {
            div class=(if problem.is_some() { "field invalid" } else { "field" }) {
                label for=(id) { (self.label) }
                @if let Some(message) = problem {
                    p class="field-error" id=(error_id) { (message) }
                }
                @match &self.input {
                    Input::Choice(choices) => {
                        select id=(id) name=(self.name) required[self.required]
                            aria-invalid=[problem.map(|_| "true")]
                            aria-describedby=[problem.map(|_| &error_id)] {
                            @let blank_listed = choices.first().is_some_and(|(code, _)| code.is_empty());
                            @if !self.required && !blank_listed { option value="" { "" } }
                            @for (code, label) in choices {
                                option value=(code) selected[code == self.value] { (label) }
                            }
                        }
                    }
                    _ => {
                        input id=(id) name=(self.name) type=(kind) value=(self.value)
                            autocomplete=(self.autocomplete) required[self.required]
                            inputmode=[matches!(self.input, Input::Number).then_some("decimal")]
                            aria-invalid=[problem.map(|_| "true")]
                            aria-describedby=[problem.map(|_| &error_id)];
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_core::claims::Claim;
    use chrono::NaiveDate;

    #[test]
    fn a_refusal_with_words_is_said_in_the_readers_language_and_one_without_keeps_its_english() {
        let day = |text: &str| text.parse::<NaiveDate>().unwrap();
        let mut claim: Claim = serde_json::from_value(serde_json::json!({
            "provider_id": "CSPS-KB", "claim_number": "1", "member_id": "M1",
            "clinical_category": "medical", "visit_date": "2026-12-10",
            "received_date": "2026-12-03", "lines": []
        }))
        .unwrap();
        claim.visit_date = Some(day("2026-12-10"));
        let refused = claim.check_intake(day("2026-12-03")).unwrap_err();
        let problems = vec![
            RowProblem::of_intake(0, refused),
            RowProblem::new(0, Some("member_id"), "no member M1"),
        ];
        let french = Problems::of_refusal(&Texts::of(Some("fr")), problems);
        assert_eq!(
            french.of("visit_date"),
            Some(
                "le 10 décembre 2026 est après aujourd'hui (3 décembre 2026) : une demande porte sur des soins déjà donnés"
            )
        );
        assert_eq!(french.of("member_id"), Some("no member M1"));
    }

    #[test]
    fn a_number_is_read_the_way_people_type_it() {
        assert_eq!(typed_number(" 1 250,50 "), "1250.50");
        assert_eq!(typed_number("1\u{202f}250,5"), "1250.5");
        assert_eq!(typed_number("1,250.50"), "1250.50");
        assert_eq!(typed_number("40000"), "40000");
        assert_eq!(typed_number("1,05"), "1.05");
    }

    #[test]
    fn a_problem_shows_beside_its_field_and_in_the_summary_with_a_link() {
        let texts = Texts::of(Some("en"));
        let mut problems = Problems::default();
        problems.add("password", "is shorter than 10 characters");
        let field = Field {
            name: "password",
            label: "New password".into(),
            input: Input::Password,
            value: "",
            autocomplete: "new-password",
            required: true,
        }
        .render(&problems)
        .into_string();
        assert!(field.contains(r#"<label for="field-password">New password</label>"#));
        assert!(field.contains(r#"aria-describedby="field-password-error""#));
        assert!(field.contains("is shorter than 10 characters"));
        let summary = problems.summary(&texts).into_string();
        assert!(
            summary.contains(r##"<a href="#field-password">is shorter than 10 characters</a>"##)
        );
        assert_eq!(Problems::default().summary(&texts).into_string(), "");
    }
}
