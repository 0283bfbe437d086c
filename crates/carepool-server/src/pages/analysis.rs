//! The actuaries' and managers' pages: the reserve and experience studies on the live database,
//! with the options of their commands, the report on the page (headline figures, settings,
//! notes, tables), and the report to download as XLSX, CSV or JSON, written by the same writer as
//! `--out`. Studies run through the API's own [`reserve_for`] and [`experience_for`], in their
//! turn and within the server's time budget.

use super::download;
use super::forms::{Field, Input, Problems, Sent, in_words, typed_number};
use super::language::Texts;
use super::layout::Frame;
use super::report_language::in_language;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::experience_api::experience_for;
use crate::projection_api::project_for;
use crate::reserve_api::reserve_for;
use crate::studies::StudyTurns;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use carepool_core::money::Money;
use carepool_io::experience_report::experience_report;
use carepool_io::projection_file::parse_projection_text;
use carepool_io::projection_report::projection_report;
use carepool_io::report::{Cell, Report};
use carepool_io::reserve_report::reserve_report;
use carepool_service::Registry;
use carepool_service::projection::ProjectionWritten;
use maud::{Markup, html};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value as JsonValue};

/// An option of a study's form: its name in the options, what it takes, and whether it is a
/// number (sent as one) or a list (codes separated by commas).
struct StudyOption {
    name: &'static str,
    input: fn(&Texts) -> Input,
    kind: Kind,
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    Number,
    List,
    /// Whole numbers separated by commas (the bands' starts).
    Numbers,
    /// KEY=NUMBER pairs separated by semicolons (the earned premium by origin); a comma may
    /// be a decimal mark.
    NumberPairs,
    /// KEY=VALUE pairs separated by semicolons (the base level by factor).
    TextPairs,
}

fn text(_: &Texts) -> Input {
    Input::Text
}

fn date(_: &Texts) -> Input {
    Input::Date
}

/// The values an option takes, each sent as the command names it and shown in the reader's
/// language (message `choice-VALUE`).
fn choices(texts: &Texts, values: &[&str]) -> Vec<(String, String)> {
    values
        .iter()
        .map(|v| (v.to_string(), texts.text(&format!("choice-{v}"))))
        .collect()
}

fn among(texts: &Texts, values: &[&str]) -> Input {
    Input::Choice(choices(texts, values))
}

/// A choice that may be left to the study (an option of one method only): the default first.
fn default_or(texts: &Texts, values: &[&str]) -> Input {
    let mut all = vec![(String::new(), texts.text("study-default"))];
    all.extend(choices(texts, values));
    Input::Choice(all)
}

const RESERVE_OPTIONS: &[StudyOption] = &[
    StudyOption {
        name: "method",
        input: |texts| {
            among(
                texts,
                &["mack", "chain-ladder", "bf", "benktander", "cape-cod"],
            )
        },
        kind: Kind::Text,
    },
    StudyOption {
        name: "origin",
        input: |texts| among(texts, &["quarter", "month", "year"]),
        kind: Kind::Text,
    },
    StudyOption {
        name: "development",
        input: |texts| among(texts, &["reported", "paid"]),
        kind: Kind::Text,
    },
    StudyOption {
        name: "measure",
        input: |texts| among(texts, &["amount", "count"]),
        kind: Kind::Text,
    },
    StudyOption {
        name: "valuation",
        input: date,
        kind: Kind::Text,
    },
    StudyOption {
        name: "average",
        input: text,
        kind: Kind::Text,
    },
    StudyOption {
        name: "exclude",
        input: text,
        kind: Kind::List,
    },
    StudyOption {
        name: "tail",
        input: text,
        kind: Kind::Number,
    },
    StudyOption {
        name: "sigma",
        input: |texts| default_or(texts, &["mack", "log-linear"]),
        kind: Kind::Text,
    },
    StudyOption {
        name: "loss_ratio",
        input: text,
        kind: Kind::Number,
    },
    StudyOption {
        name: "iterations",
        input: text,
        kind: Kind::Number,
    },
    StudyOption {
        name: "exposure",
        input: text,
        kind: Kind::NumberPairs,
    },
];

const EXPERIENCE_OPTIONS: &[StudyOption] = &[
    StudyOption {
        name: "scheme",
        input: text,
        kind: Kind::Text,
    },
    StudyOption {
        name: "from",
        input: date,
        kind: Kind::Text,
    },
    StudyOption {
        name: "to",
        input: date,
        kind: Kind::Text,
    },
    StudyOption {
        name: "split",
        input: |texts| among(texts, &["year", "month"]),
        kind: Kind::Text,
    },
    StudyOption {
        name: "age_bands",
        input: text,
        kind: Kind::Numbers,
    },
    StudyOption {
        name: "duration_bands",
        input: text,
        kind: Kind::Numbers,
    },
    StudyOption {
        name: "glm_factors",
        input: text,
        kind: Kind::List,
    },
    StudyOption {
        name: "base",
        input: text,
        kind: Kind::TextPairs,
    },
];

/// A number as people type it (`1 250,50`), whole if it is.
fn number(text: &str) -> Option<JsonValue> {
    let typed = typed_number(text);
    match (typed.parse::<i64>(), typed.parse::<f64>()) {
        (Ok(whole), _) => Some(JsonValue::from(whole)),
        (_, Ok(number)) if number.is_finite() => Some(JsonValue::from(number)),
        _ => None,
    }
}

/// KEY=VALUE pairs separated by semicolons or lines, the values amounts when `amounts`; the
/// first pair that is not one, or a key given twice, is the problem.
fn pairs(texts: &Texts, amounts: bool, text: &str) -> Result<Map<String, JsonValue>, String> {
    let mut pairs = Map::new();
    for pair in text
        .split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let Some((key, value)) = pair
            .split_once('=')
            .map(|(key, value)| (key.trim(), value.trim()))
            .filter(|(key, value)| !key.is_empty() && !value.is_empty())
        else {
            return Err(texts.with("field-not-a-pair", &[("text", pair)]));
        };
        let value = if amounts {
            amount_typed(texts, value)
                .ok_or_else(|| texts.with("field-not-a-number", &[("text", value)]))?
        } else {
            JsonValue::from(value)
        };
        if pairs.insert(key.to_string(), value).is_some() {
            return Err(texts.with("field-key-twice", &[("key", key)]));
        }
    }
    Ok(pairs)
}

/// An amount typed the page language's way: its digit groups (`1,250,000` in English,
/// `1 250 000` in French) left out and its decimal mark read as one. Unlike `typed_number`,
/// which guesses, `900,000` is nine hundred thousand on an English page.
fn amount_typed(texts: &Texts, text: &str) -> Option<JsonValue> {
    let group = texts.text("digit-group");
    let mark = texts.text("decimal-mark");
    let plain: String = text
        .replace(group.as_str(), "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let number: f64 = plain.replace(mark.as_str(), ".").parse().ok()?;
    number.is_finite().then(|| JsonValue::from(number))
}

/// The study's options from the form, read as the API reads its body: a wrong option is named.
fn options_from<T: DeserializeOwned>(
    texts: &Texts,
    options: &[StudyOption],
    sent: &Sent,
) -> Result<T, Problems> {
    let mut json = Map::new();
    let mut problems = Problems::default();
    for option in options {
        let Some(text) = sent
            .get(option.name)
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
        else {
            continue;
        };
        let value = match option.kind {
            Kind::Text => JsonValue::from(text),
            Kind::List => text
                .split([',', ';'])
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(JsonValue::from)
                .collect(),
            Kind::Number => match number(text) {
                Some(number) => number,
                None => {
                    problems.add(
                        option.name,
                        texts.with("field-not-a-number", &[("text", text)]),
                    );
                    continue;
                }
            },
            Kind::NumberPairs | Kind::TextPairs => {
                match pairs(texts, option.kind == Kind::NumberPairs, text) {
                    Ok(pairs) => JsonValue::Object(pairs),
                    Err(problem) => {
                        problems.add(option.name, problem);
                        continue;
                    }
                }
            }
            Kind::Numbers => {
                let numbers: Result<Vec<u32>, _> = text
                    .split([',', ';', ' '])
                    .filter(|n| !n.is_empty())
                    .map(str::parse::<u32>)
                    .collect();
                match numbers {
                    Ok(numbers) => JsonValue::from(numbers),
                    Err(_) => {
                        let message = texts.with("field-not-a-whole-number", &[("text", text)]);
                        problems.add(option.name, message);
                        continue;
                    }
                }
            }
        };
        json.insert(option.name.to_string(), value);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let body = axum::body::Bytes::from(JsonValue::Object(json).to_string());
    crate::parse(&body).map_err(|error| {
        let mut problems = Problems::default();
        for problem in error.problems().unwrap_or_default() {
            let message = in_words(texts, problem.words.as_ref(), problem.message);
            problems.add(problem.column.unwrap_or_else(|| "form".into()), message);
        }
        problems
    })
}

/// The page of a study: its options' form and, once asked, its report or the problems.
struct StudyPage<'a> {
    path: &'static str,
    title: &'a str,
    options: &'static [StudyOption],
}

impl StudyPage<'_> {
    fn render(
        &self,
        frame: &Frame,
        sent: &Sent,
        report: Option<&Report>,
        problems: &Problems,
    ) -> Response {
        let texts = &frame.texts;
        let value = |name: &str| sent.get(name).cloned().unwrap_or_default();
        let download = |format: &str| {
            let mut query = form_urlencoded::Serializer::new(String::new());
            for option in self.options {
                query.append_pair(option.name, &value(option.name));
            }
            query.append_pair("format", format);
            format!("{}?{}", self.path, query.finish())
        };
        let content = html! {
            (problems.summary(texts))
            @if let Some(message) = problems.of("form") { p class="error" role="alert" { (message) } }
            form method="get" action=(self.path) class="filters" {
                input type="hidden" name="run" value="1";
                @for option in self.options {
                    @let input = (option.input)(texts);
                    // A choice starts at the command's default: the first listed.
                    // (a choice that may be left to the study starts blank, and is not required).
                    @let required = matches!(&input, Input::Choice(choices)
                        if choices.first().is_some_and(|(code, _)| !code.is_empty()));
                    (Field { name: option.name, label: texts.text(&format!("study-{}", option.name)),
                        input, value: &value(option.name), autocomplete: "off",
                        required }.render(problems))
                }
                button type="submit" { (texts.text("study-run")) }
            }
            @if let Some(report) = report {
                p class="downloads" {
                    (texts.text("download")) " "
                    a href=(download("xlsx")) download { "XLSX" } " · "
                    a href=(download("csv")) download { "CSV" } " · "
                    a href=(download("json")) download { "JSON" }
                }
                (report_view(texts, report))
            }
        };
        let status = if problems.is_empty() {
            StatusCode::OK
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        frame.page_with(status, self.title, content)
    }
}

/// A report on the page: headline figures first, then its settings, notes and tables.
fn report_view(texts: &Texts, report: &Report) -> Markup {
    let currency = report.currency.as_deref();
    html! {
        section class="report" {
            h2 { (report.title) }
            @if !report.headline.is_empty() {
                dl class="headline" {
                    @for (name, cell) in &report.headline {
                        div { dt { (name) } dd { (cell_text(texts, cell, currency)) } }
                    }
                }
            }
            @if !report.warnings.is_empty() || !report.notes.is_empty() {
                ul class="notes" {
                    @for warning in &report.warnings {
                        li { strong { (texts.text("study-warning")) } " " (warning) }
                    }
                    @for note in &report.notes { li { (note) } }
                }
            }
            details {
                summary { (texts.text("study-settings")) }
                dl class="facts" { @for (name, value) in &report.facts { dt { (name) } dd { (value) } } }
            }
            @for table in &report.tables {
                h3 { (table.title) }
                @if !table.facts.is_empty() {
                    dl class="facts" { @for (name, value) in &table.facts { dt { (name) } dd { (value) } } }
                }
                @if table.rows.is_empty() {
                    p class="hint" { (texts.text("study-empty-table")) }
                } @else {
                    div class="scroll" tabindex="0" { table {
                        thead { tr { @for (column, code) in table.header.iter().enumerate() {
                            // A header kept for programs in the downloads is said on the page.
                            @let name = match table.header_for_programs {
                                true => texts.label(code),
                                false => code.clone(),
                            };
                            // A column of numbers has its heading over them, on the right.
                            @if table.rows.iter().take(ROWS_SHOWN).any(|row| row.get(column).is_some_and(is_figure)) {
                                th scope="col" class="number" { (name) }
                            } @else {
                                th scope="col" { (name) }
                            }
                        } } }
                        tbody {
                            @for row in table.rows.iter().take(ROWS_SHOWN) {
                                tr { @for cell in row {
                                    @if is_figure(cell) {
                                        td class="number" { (cell_text(texts, cell, None)) }
                                    } @else {
                                        td { (cell_text(texts, cell, None)) }
                                    }
                                } }
                            }
                        }
                    } }
                    @if table.rows.len() > ROWS_SHOWN {
                        p class="hint" { (texts.with("study-more-rows", &[("shown", &texts.count(ROWS_SHOWN as u64)), ("rows", &texts.count(table.rows.len() as u64))])) }
                    }
                }
            }
        }
    }
}

fn is_figure(cell: &Cell) -> bool {
    !matches!(
        cell,
        Cell::Text(_) | Cell::Label(_) | Cell::Said(_) | Cell::Empty
    )
}

/// Rows of a table shown on the page; the downloads hold them all.
const ROWS_SHOWN: usize = 200;

/// A report's cell in the language's way: amounts with two decimals (and the currency in a
/// headline), shares as percentages.
fn cell_text(texts: &Texts, cell: &Cell, currency: Option<&str>) -> String {
    match cell {
        Cell::Text(text) | Cell::Label(text) => text.clone(),
        Cell::Said(sentence) => sentence.text.clone(),
        Cell::Empty => String::new(),
        Cell::Year(year) => year.to_string(),
        Cell::Amount(value) => {
            texts.amount(Money::from_minor((value * 100.0).round() as i64), currency)
        }
        Cell::Number(value, decimals) => texts.decimal(*value, *decimals),
        Cell::Share(share) => format!("{} %", texts.decimal(share * 100.0, 2)),
    }
}

pub async fn reserve(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    State(studies): State<StudyTurns>,
    Query(sent): Query<Sent>,
) -> Result<Response, ApiError> {
    let title = frame.texts.text("study-reserve-title");
    let page = StudyPage {
        path: super::RESERVE_STUDY.path,
        title: &title,
        options: RESERVE_OPTIONS,
    };
    let run = |options| reserve_for(&caller, &registry, &studies, options);
    study(
        &frame,
        &registry,
        &sent,
        &page,
        "reserve",
        run,
        reserve_report,
    )
    .await
}

pub async fn experience(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    State(studies): State<StudyTurns>,
    Query(sent): Query<Sent>,
) -> Result<Response, ApiError> {
    let title = frame.texts.text("study-experience-title");
    let page = StudyPage {
        path: super::EXPERIENCE_STUDY.path,
        title: &title,
        options: EXPERIENCE_OPTIONS,
    };
    let run = |options| experience_for(&caller, &registry, &studies, options);
    study(
        &frame,
        &registry,
        &sent,
        &page,
        "experience",
        run,
        experience_report,
    )
    .await
}

/// A study's page: its form until asked to run; then the study run with the options given, and
/// its report on the page or, with `format`, as a file named `stem`.
async fn study<O, T, F>(
    frame: &Frame,
    registry: &Registry,
    sent: &Sent,
    page: &StudyPage<'_>,
    stem: &str,
    run: impl FnOnce(O) -> F,
    report_of: fn(&T, Option<&str>) -> Report,
) -> Result<Response, ApiError>
where
    O: DeserializeOwned,
    T: serde::Serialize,
    F: std::future::Future<Output = Result<T, ApiError>>,
{
    if !sent.contains_key("run") && !sent.contains_key("format") {
        return Ok(page.render(frame, sent, None, &Problems::default()));
    }
    let options = match options_from(&frame.texts, page.options, sent) {
        Ok(options) => options,
        Err(problems) => return Ok(page.render(frame, sent, None, &problems)),
    };
    let result = match run(options).await {
        Ok(result) => result,
        Err(error) => return refused(frame, page, sent, error),
    };
    let report = in_language(
        &frame.texts,
        report_of(&result, registry.currency().await?.as_deref()),
    );
    match sent.get("format").and_then(|f| download::format_named(f)) {
        Some(format) => download::file(&report, &result, stem, format),
        None => Ok(page.render(frame, sent, Some(&report), &Problems::default())),
    }
}

/// The projection's page: the assumptions file pasted as the command reads it (TOML, the base
/// table's lines inline), run on sending; the report below, and the same form downloads it.
pub async fn projection_form(frame: Frame) -> Response {
    projection_page(&frame, "", None, &Problems::default())
}

pub async fn projection(frame: Frame, Form(sent): Form<Sent>) -> Result<Response, ApiError> {
    let assumptions = sent.get("assumptions").cloned().unwrap_or_default();
    let file = match parse_projection_text(&assumptions) {
        Ok(file) => file,
        Err(message) => {
            let mut problems = Problems::default();
            problems.add("assumptions", message);
            return Ok(projection_page(&frame, &assumptions, None, &problems));
        }
    };
    let tests = match project_for(&file) {
        Ok(tests) => tests,
        Err(error) => {
            let Some(found) = error.problems() else {
                return Err(error);
            };
            let mut problems = Problems::default();
            for problem in found {
                let at = problem.column.map(|c| format!("{c}: ")).unwrap_or_default();
                problems.add("assumptions", format!("{at}{}", problem.message));
            }
            return Ok(projection_page(&frame, &assumptions, None, &problems));
        }
    };
    let written = ProjectionWritten::of(&file, &tests);
    let report = in_language(
        &frame.texts,
        projection_report(&written, file.currency.as_deref()),
    );
    match sent.get("format").and_then(|f| download::format_named(f)) {
        Some(format) => download::file(&report, &written, "projection", format),
        None => Ok(projection_page(
            &frame,
            &assumptions,
            Some(&report),
            &Problems::default(),
        )),
    }
}

fn projection_page(
    frame: &Frame,
    assumptions: &str,
    report: Option<&Report>,
    problems: &Problems,
) -> Response {
    let texts = &frame.texts;
    let problem = problems.of("assumptions");
    let content = html! {
        (problems.summary(texts))
        form method="post" action=(super::PROJECTION_STUDY.path) {
            (frame.csrf_field())
            div class=(if problem.is_some() { "field invalid" } else { "field" }) {
                label for="field-assumptions" { (texts.text("study-assumptions")) }
                p class="hint" id="field-assumptions-hint" { (texts.text("study-assumptions-hint")) }
                @if let Some(message) = problem {
                    p class="field-error" id="field-assumptions-error" { (message) }
                }
                textarea id="field-assumptions" name="assumptions" rows="16" class="code" required
                    aria-describedby="field-assumptions-hint" { (assumptions) }
            }
            button type="submit" { (texts.text("study-run")) }
            @if report.is_some() {
                " " (texts.text("download")) " "
                button type="submit" name="format" value="xlsx" class="secondary" { "XLSX" } " "
                button type="submit" name="format" value="csv" class="secondary" { "CSV" } " "
                button type="submit" name="format" value="json" class="secondary" { "JSON" }
            }
        }
        @if let Some(report) = report {
            (report_view(texts, report))
        }
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    frame.page_with(status, &texts.text("study-projection-title"), content)
}

/// The form again with why the study could not run (an option, data that do not allow the
/// estimate), or the error's own page.
fn refused(
    frame: &Frame,
    page: &StudyPage,
    sent: &Sent,
    error: ApiError,
) -> Result<Response, ApiError> {
    match error.problems() {
        Some(found) => Ok(page.render(
            frame,
            sent,
            None,
            &Problems::of_refusal(&frame.texts, found),
        )),
        None => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::forms::sent;
    use carepool_service::reserving::ReserveOptions;

    #[test]
    fn the_form_gives_the_options_as_the_api_takes_them() {
        let options: ReserveOptions = options_from(
            &Texts::of(None),
            RESERVE_OPTIONS,
            &sent(&[
                ("method", "bf"),
                ("tail", "1.05"),
                ("loss_ratio", ""),
                ("valuation", "2026-06-30"),
            ]),
        )
        .unwrap();
        assert_eq!(options.method.as_deref(), Some("bf"));
        assert_eq!(options.tail, Some(1.05));
        assert_eq!(options.loss_ratio, None);
        assert_eq!(options.valuation, Some("2026-06-30".parse().unwrap()));
        let wrong = options_from::<ReserveOptions>(
            &Texts::of(None),
            RESERVE_OPTIONS,
            &sent(&[("tail", "long")]),
        )
        .unwrap_err();
        assert!(wrong.of("tail").is_some());
        let not_a_date = options_from::<ReserveOptions>(
            &Texts::of(None),
            RESERVE_OPTIONS,
            &sent(&[("valuation", "June")]),
        )
        .unwrap_err();
        assert!(not_a_date.of("valuation").is_some());
    }

    #[test]
    fn the_earned_premium_and_the_base_levels_are_given_as_pairs() {
        let options: ReserveOptions = options_from(
            &Texts::of(Some("fr")),
            RESERVE_OPTIONS,
            &sent(&[("exposure", "2025Q2 = 1 250 000,50;\n2025Q3=900\u{202f}000")]),
        )
        .unwrap();
        let exposure = options.exposure.unwrap();
        assert_eq!(exposure["2025Q2"], 1_250_000.5);
        assert_eq!(exposure["2025Q3"], 900_000.0);
        let options: ReserveOptions = options_from(
            &Texts::of(Some("en")),
            RESERVE_OPTIONS,
            &sent(&[("exposure", "2025Q2=900,000; 2025Q3=1,250,000.50")]),
        )
        .unwrap();
        let exposure = options.exposure.unwrap();
        assert_eq!(
            exposure["2025Q2"], 900_000.0,
            "a thousands comma in English"
        );
        assert_eq!(exposure["2025Q3"], 1_250_000.5);
        for (wrong, said) in [
            ("2025Q2", "is not KEY=VALUE"),
            ("2025Q2=", "is not KEY=VALUE"),
            ("=12", "is not KEY=VALUE"),
            ("2025Q2=lots", "“lots” is not a number"),
            ("2025Q2=1.2.3", "“1.2.3” is not a number"),
            ("2025Q2=1; 2025Q2=2", "2025Q2 is given twice"),
        ] {
            let problems = options_from::<ReserveOptions>(
                &Texts::of(None),
                RESERVE_OPTIONS,
                &sent(&[("exposure", wrong)]),
            )
            .unwrap_err();
            let problem = problems.of("exposure").unwrap_or_default();
            assert!(problem.contains(said), "{wrong}: {problem}");
        }
        let options: carepool_service::experience::ExperienceOptions = options_from(
            &Texts::of(None),
            EXPERIENCE_OPTIONS,
            &sent(&[("base", "sex=F; area = rural")]),
        )
        .unwrap();
        let base: Vec<(&str, &str)> = options
            .base
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        assert_eq!(base, [("area", "rural"), ("sex", "F")]);
    }

    #[test]
    fn numbers_shares_and_amounts_are_written_the_languages_way() {
        let french = Texts::of(Some("fr"));
        assert_eq!(
            cell_text(&french, &Cell::Number(12345.678, 2), None),
            "12\u{202f}345,68"
        );
        assert_eq!(cell_text(&french, &Cell::Share(0.0345), None), "3,45 %");
        assert_eq!(
            cell_text(&french, &Cell::Amount(65411.28), Some("XOF")),
            "65\u{202f}411,28 XOF"
        );
        let english = Texts::of(Some("en"));
        assert_eq!(cell_text(&english, &Cell::Number(-0.001, 2), None), "0.00");
        assert_eq!(cell_text(&english, &Cell::Number(-2.5, 1), None), "-2.5");
        assert_eq!(cell_text(&english, &Cell::Year(2027), None), "2027");
    }
}
