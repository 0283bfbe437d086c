//! A study's report in the reader's language, before it is shown or downloaded: its labels by
//! their English ([`Texts::label`]: titles, headings, settings, the report's own words in its
//! tables, `Cell::Label`), its notes and warnings by their words (`note-ID`). Data (origins,
//! levels, names, `Cell::Text`) stay as they are, and the figures stay numbers: the page and
//! the workbook write them the language's way.

use super::language::Texts;
use carepool_core::words::Sentence;
use carepool_io::report::{Cell, Report};

pub fn in_language(texts: &Texts, report: Report) -> Report {
    let label = |text: String| texts.label(&text);
    let currency = report.currency.as_deref();
    let sentence = |sentence: Sentence| Sentence {
        text: texts
            .say("note", &sentence.words, currency)
            .unwrap_or(sentence.text),
        words: sentence.words,
    };
    let cell = |cell: Cell| match cell {
        Cell::Label(text) => Cell::Label(label(text)),
        Cell::Said(said) => Cell::Said(sentence(said)),
        other => other,
    };
    let pairs = |pairs: Vec<(String, String)>| {
        pairs
            .into_iter()
            .map(|(name, value)| (label(name), setting(texts, &value)))
            .collect()
    };
    Report {
        title: label(report.title),
        headline: (report.headline.into_iter())
            .map(|(name, value)| (label(name), value))
            .collect(),
        facts: pairs(report.facts),
        warning_label: label(report.warning_label),
        warnings: report.warnings.into_iter().map(sentence).collect(),
        notes: report.notes.into_iter().map(sentence).collect(),
        tables: (report.tables.into_iter())
            .map(|mut table| {
                table.title = label(table.title);
                table.facts = pairs(std::mem::take(&mut table.facts));
                if !table.header_for_programs {
                    table.header = table.header.into_iter().map(label).collect();
                }
                table.rows = (table.rows.into_iter())
                    .map(|row| row.into_iter().map(cell).collect())
                    .collect();
                table
            })
            .collect(),
        trends: (report.trends.into_iter())
            .map(|mut trend| {
                trend.title = label(trend.title);
                trend
            })
            .collect(),
        charts: (report.charts.into_iter())
            .map(|mut chart| {
                chart.title = label(chart.title);
                chart.series = (chart.series.into_iter())
                    .map(|(name, values)| (label(name), values))
                    .collect();
                chart
            })
            .collect(),
        funnels: (report.funnels.into_iter())
            .map(|mut funnel| {
                funnel.title = label(funnel.title);
                funnel.volume_label = label(funnel.volume_label);
                funnel
            })
            .collect(),
        currency: report.currency.clone(),
    }
}

/// A setting's value in the language: a number written the language's way (the reports write
/// them the English way, `12,345.5`), each word of a list (`age, sex`) by its label.
fn setting(texts: &Texts, value: &str) -> String {
    if let Some(number) = english_number(value) {
        let decimals = number
            .split_once('.')
            .map_or(0, |(_, fraction)| fraction.len());
        if let (Ok(parsed), Ok(decimals)) = (number.parse::<f64>(), u8::try_from(decimals)) {
            return texts.decimal(parsed, decimals);
        }
    }
    value
        .split(", ")
        .map(|part| texts.label(part))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `value` without its digit groups when it is a number the English way (`-12,345.50`).
fn english_number(value: &str) -> Option<String> {
    let unsigned = value.strip_prefix('-').unwrap_or(value);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped_well = groups.iter().enumerate().all(|(i, group)| {
        !group.is_empty()
            && group.bytes().all(|b| b.is_ascii_digit())
            && (i == 0 && group.len() <= 3 || group.len() == 3 || groups.len() == 1)
    });
    let fraction_ok = fraction.bytes().all(|b| b.is_ascii_digit()) && !unsigned.ends_with('.');
    (grouped_well && fraction_ok).then(|| value.replace(',', ""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pages::language::label_id;
    use carepool_actuarial::{ChainLadder, Development, Method, ReserveStudy, SigmaRule, Triangle};
    use carepool_io::reserve_report::reserve_report;

    /// The words of a report that are labels, not data: titles, names of figures and
    /// settings, headings. Lags and years (no letters) are data.
    fn labels(report: &Report) -> Vec<String> {
        let mut labels = vec![report.title.clone()];
        labels.extend(report.headline.iter().map(|(name, _)| name.clone()));
        labels.extend(report.facts.iter().map(|(name, _)| name.clone()));
        for table in &report.tables {
            labels.push(table.title.clone());
            labels.extend(table.facts.iter().map(|(name, _)| name.clone()));
            labels.extend(table.header.iter().cloned());
        }
        for chart in &report.charts {
            labels.push(chart.title.clone());
            labels.extend(chart.series.iter().map(|(name, _)| name.clone()));
        }
        labels.retain(|label| label.chars().any(|c| c.is_ascii_alphabetic()));
        labels
    }

    fn reserves() -> Vec<Report> {
        let triangle = Triangle::new(
            vec!["2022".into(), "2023".into(), "2024".into(), "2025".into()],
            vec![
                vec![100.0, 180.0, 200.0, 205.0],
                vec![120.0, 200.0, 230.0],
                vec![90.0, 170.0],
                vec![110.0],
            ],
        )
        .unwrap();
        let exposure = [
            ("2022", 300.0),
            ("2023", 350.0),
            ("2024", 320.0),
            ("2025", 360.0),
        ]
        .map(|(origin, premium)| (origin.to_string(), premium));
        [
            Method::ChainLadder,
            Method::Mack(SigmaRule::LogLinear),
            Method::BornhuetterFerguson { loss_ratio: 0.6 },
            Method::Benktander {
                loss_ratio: 0.6,
                iterations: 2,
            },
            Method::CapeCod,
        ]
        .into_iter()
        .map(|method| {
            let study = ReserveStudy {
                exposure: matches!(
                    method,
                    Method::BornhuetterFerguson { .. }
                        | Method::Benktander { .. }
                        | Method::CapeCod
                )
                .then(|| exposure.clone().into()),
                method,
                chain_ladder: ChainLadder::default(),
                excluded: vec![],
                development: Development::Paid,
            };
            reserve_report(&study.fit(&triangle, None).unwrap(), Some("XOF"))
        })
        .collect()
    }

    #[test]
    fn every_label_of_the_reserve_and_projection_reports_is_in_the_catalogues() {
        let english = Texts::of(Some("en"));
        let assumptions = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../examples/projection/inpatient.toml"
        ))
        .unwrap();
        let file = carepool_io::projection_file::parse_projection_text(&assumptions).unwrap();
        let projection = crate::projection_api::project_for(&file).unwrap();
        let mut reports = reserves();
        reports.push(carepool_io::projection_report::projection_report(
            &carepool_service::projection::ProjectionWritten::of(&file, &projection),
            None,
        ));
        for report in &reports {
            for label in labels(report) {
                assert!(
                    english.has(&label_id(&label)),
                    "{}: {label:?} has no {} in the catalogues",
                    report.title,
                    label_id(&label)
                );
            }
        }
    }

    #[test]
    fn a_report_in_french_keeps_its_figures_and_data_and_says_its_labels_and_notes() {
        let french = Texts::of(Some("fr"));
        let report = reserves().remove(0);
        let said = in_language(&french, report.clone());
        assert_eq!(said.title, "Provisions : chain ladder");
        assert_eq!(
            said.warning_label, "Attention",
            "the downloads mark warnings in French"
        );
        assert_eq!(said.tables[0].title, "Résultats par origine");
        assert_eq!(said.tables[0].header[0], "origine");
        // The origins are data; the total row's name is a word.
        assert_eq!(said.tables[0].rows[0][0], Cell::Text("2022".into()));
        assert_eq!(said.tables[0].rows[4][0], Cell::Label("total".into()));
        assert_eq!(said.tables[0].rows[0][1..], report.tables[0].rows[0][1..]);
        assert_eq!(said.headline[0].1, report.headline[0].1);
        assert!(
            said.notes[0]
                .text
                .starts_with("Développement par date de paiement"),
            "{:?}",
            said.notes
        );
        // The words stay, for whoever says them next.
        assert_eq!(said.notes[0].words, report.notes[0].words);
        // A header programs read (the GLM's cells) keeps its names in every language.
        let mut for_programs = reserves().remove(0);
        for_programs.tables[0].header_for_programs = true;
        let kept = in_language(&french, for_programs);
        assert_eq!(kept.tables[0].header[0], "origin");
        assert_eq!(kept.tables[0].title, "Résultats par origine");
        // A label the catalogue does not know is data, as it is.
        assert_eq!(french.label("F0001"), "F0001");
        assert_eq!(label_id("per 1,000"), "report-per-1-000");
        // Settings: numbers the language's way, lists word by word, codes as they are.
        assert_eq!(setting(&french, "12,345"), "12\u{202f}345");
        assert_eq!(setting(&french, "-1234.5678"), "-1\u{202f}234,5678");
        assert_eq!(setting(&french, "age, sex, F0001"), "âge, sexe, F0001");
        assert_eq!(setting(&french, "2025-01-01"), "2025-01-01");
        assert_eq!(setting(&french, "1,23"), "1,23", "not an English number");
        assert_eq!(setting(&Texts::of(Some("en")), "12,345"), "12,345");
        assert_eq!(label_id("lower 95%"), "report-lower-95");
    }
}
