//! Where each input of a projection came from: the assumptions file, a table beside it, an
//! experience study, or a reference table by credibility. Each says it in words a page puts in
//! its reader's language (`input-*` sentences in the catalogues).

use super::experience::StudyRelativities;
use super::{ProjectionFile, Relativities};
use carepool_core::words::{Figure, Sentence, Words};
use serde::Serialize;

/// One input of the projection and where it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputSource {
    pub input: &'static str,
    /// In English.
    pub source: String,
    /// The same, for other languages.
    #[serde(skip)]
    pub said: Sentence,
}

fn count(n: usize) -> Figure {
    Figure::Count(n as i64)
}

fn source<const N: usize>(
    input: &'static str,
    id: &str,
    figures: [(&'static str, Figure); N],
    english: String,
) -> InputSource {
    InputSource {
        input,
        said: Sentence::new(Words::new(id, figures), english.clone()),
        source: english,
    }
}

/// `1 line`, `8 lines`.
fn lines(n: usize) -> String {
    match n {
        1 => "1 line".into(),
        n => format!("{n} lines"),
    }
}

impl ProjectionFile {
    /// Where each input of the projection came from.
    pub fn sources(&self) -> Vec<InputSource> {
        let taken = self.taken.as_ref();
        let file = |input, id: &str| source(input, id, [], "the assumptions file".into());
        let mut sources = vec![match (taken, &self.base.table) {
            (Some(study), _) => {
                let period = [
                    ("study", Figure::text(&study.name)),
                    ("from", Figure::Date(study.from)),
                    ("to", Figure::Date(study.to)),
                    ("lines", count(study.lines)),
                ];
                let what = format!(
                    "experience study {} ({} to {}): {}",
                    study.name,
                    study.from,
                    study.to,
                    lines(study.lines)
                );
                match study.completed_at {
                    Some(valued) => source(
                        "base table",
                        "input-base-study-completed",
                        [
                            period[0].clone(),
                            period[1].clone(),
                            period[2].clone(),
                            period[3].clone(),
                            ("valued", Figure::Date(valued)),
                        ],
                        format!(
                            "{what}, recent months completed (its completion factors, valued on {valued})"
                        ),
                    ),
                    None => source(
                        "base table",
                        "input-base-study-reported",
                        period,
                        format!("{what}, as reported (the study gave no completion)"),
                    ),
                }
            }
            (None, Some(table)) => source(
                "base table",
                "input-base-table-file",
                [
                    ("file", Figure::text(table)),
                    ("lines", count(self.base.lines.len())),
                ],
                format!("{table}: {}", lines(self.base.lines.len())),
            ),
            (None, None) => source(
                "base table",
                "input-base-inline",
                [("lines", count(self.base.lines.len()))],
                format!("the assumptions file: {}", lines(self.base.lines.len())),
            ),
        }];
        if let Some(credibility) = &self.credibility {
            let standard = credibility.standard();
            let (incidence, cost) = (
                standard.full_incidence_claims(),
                standard.full_cost_claims(),
            );
            let percent = |share: f64| {
                let shown = format!("{:.2}", share * 100.0);
                shown
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string()
            };
            let (probability, tolerance) = (
                percent(credibility.probability),
                percent(credibility.tolerance),
            );
            let mut figures = vec![
                ("probability", Figure::Number(probability.clone())),
                ("tolerance", Figure::Number(tolerance.clone())),
                ("incidence", Figure::Count(incidence.round() as i64)),
                ("cost", Figure::Count(cost.round() as i64)),
            ];
            let standard = format!(
                "by limited-fluctuation credibility ({probability}% within {tolerance}%: full weight at {incidence:.0} claims for an incidence, {cost:.0} for an average cost)"
            );
            let (id, english) = match &credibility.reference {
                Some(file) => {
                    figures.push(("reference", Figure::text(file)));
                    (
                        "input-credibility-file",
                        format!("the base table blended with the reference {file} {standard}"),
                    )
                }
                None => (
                    "input-credibility-inline",
                    format!("the base table blended with the reference given inline {standard}"),
                ),
            };
            sources.push(InputSource {
                input: "credibility",
                said: Sentence::new(Words::new(id, figures), english.clone()),
                source: english,
            });
        }
        if let Some(reform) = &self.reform {
            let proposal = reform.proposal.as_deref().unwrap_or("a proposal");
            sources.push(source(
                "reform",
                "input-reform",
                [
                    ("file", Figure::text(&reform.name)),
                    ("proposal", Figure::text(proposal)),
                    ("scheme", Figure::text(&reform.scheme)),
                    ("from", Figure::Date(reform.from)),
                    ("to", Figure::Date(reform.to)),
                    ("lines", count(reform.lines_changed())),
                ],
                format!(
                    "reform {}: {proposal} judged against scheme {}'s claims of {} to {}; its incidence and average cost factors change {}",
                    reform.name,
                    reform.scheme,
                    reform.from,
                    reform.to,
                    lines(reform.lines_changed())
                ),
            ));
        }
        sources.push(match (taken, self.base.date) {
            (Some(_), Some(date)) => source(
                "base date",
                "input-date-study",
                [("date", Figure::Date(date))],
                format!("the middle of the study's period: {date}"),
            ),
            (_, Some(date)) => source(
                "base date",
                "input-date-file",
                [("date", Figure::Date(date))],
                format!("the assumptions file: {date}"),
            ),
            (_, None) => source("base date", "input-none", [], "not given".into()),
        });
        sources.push(match taken.map(|study| study.relativities) {
            Some(StudyRelativities::Glm) => source(
                "relativities",
                "input-relativities-glm",
                [],
                "the study's frequency and severity GLMs".into(),
            ),
            Some(StudyRelativities::OneWay) => source(
                "relativities",
                "input-relativities-one-way",
                [],
                "the study's one-way tables".into(),
            ),
            None if self.relativities == Relativities::default() => source(
                "relativities",
                "input-relativities-none",
                [],
                "none given: every cell 1".into(),
            ),
            None => file("relativities", "input-file"),
        });
        sources.push(match taken {
            Some(study) if study.shares_given => source(
                "population mix",
                "input-mix-study-ahead",
                [("cells", count(study.cells))],
                format!(
                    "the study's member-years by age, sex and area ({} cells); the shares ahead (or members) from the assumptions file",
                    study.cells
                ),
            ),
            Some(study) => source(
                "population mix",
                "input-mix-study",
                [("cells", count(study.cells))],
                format!(
                    "the study's member-years by age, sex and area ({} cells), unchanged over the projection",
                    study.cells
                ),
            ),
            None if self.population.cells.is_empty() => source(
                "population mix",
                "input-mix-none",
                [],
                "none given: no change of mix".into(),
            ),
            None => file("population mix", "input-file"),
        });
        sources.push(match taken.and_then(|study| study.family_size) {
            Some(size) => source(
                "family size",
                "input-family-study",
                [("size", Figure::Number(format!("{size:.2}")))],
                format!("the study's average family size: {size:.2}"),
            ),
            None => file("family size", "input-file"),
        });
        if !self.line_assumptions.is_empty() {
            sources.push(file("line assumptions", "input-file"));
        }
        sources.push(file(
            "trends, members, benefit changes, new benefits, loadings and stress tests",
            "input-file",
        ));
        sources
    }
}
