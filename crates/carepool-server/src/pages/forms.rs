//! Form fields with their labels, and the problems found in a form sent: each shown beside its
//! field and listed at the top with a link to the field, so a screen reader and a keyboard reach
//! them.

use super::language::Texts;
use maud::{Markup, html};

/// The problems found in a form sent, by field.
#[derive(Debug, Default)]
pub struct Problems(Vec<(&'static str, String)>);

impl Problems {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push((field, message.into()));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn of(&self, field: &str) -> Option<&str> {
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

/// An input of a form, with its label.
pub struct Field<'a> {
    pub name: &'static str,
    pub label: String,
    /// The input's type: `text`, `password`, `date`, ...
    pub kind: &'static str,
    pub value: &'a str,
    /// What the browser may fill it with (`username`, `current-password`, `new-password`, `off`).
    pub autocomplete: &'static str,
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
        html! {
            div class=(if problem.is_some() { "field invalid" } else { "field" }) {
                label for=(id) { (self.label) }
                @if let Some(message) = problem {
                    p class="field-error" id=(error_id) { (message) }
                    input id=(id) name=(self.name) type=(self.kind) value=(self.value)
                        autocomplete=(self.autocomplete) required aria-invalid="true"
                        aria-describedby=(error_id);
                } @else {
                    input id=(id) name=(self.name) type=(self.kind) value=(self.value)
                        autocomplete=(self.autocomplete) required;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_shows_beside_its_field_and_in_the_summary_with_a_link() {
        let texts = Texts::of(Some("en"));
        let mut problems = Problems::default();
        problems.add("password", "is shorter than 10 characters");
        let field = Field {
            name: "password",
            label: "New password".into(),
            kind: "password",
            value: "",
            autocomplete: "new-password",
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
