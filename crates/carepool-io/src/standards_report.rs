//! The standards check as a report: a row per point (instrument, article, what it asks, where
//! the scheme stands and why), with the count of points met, not met and untold first.

use crate::report::{Cell, Report, ReportTable, WARNING};
use carepool_core::standards::{StandardsReport, Verdict};

pub fn standards_report(found: &StandardsReport) -> Report {
    let rows = (found.points.iter())
        .map(|p| {
            vec![
                Cell::Text(p.instrument.into()),
                Cell::Text(p.article.into()),
                Cell::Label(p.topic.into()),
                Cell::Label(p.requirement.into()),
                Cell::Label(p.verdict.as_str().into()),
                Cell::Text(p.reason.clone()),
            ]
        })
        .collect();
    let points = ReportTable::new(
        "points",
        "Point by point",
        &[
            "instrument",
            "article",
            "topic",
            "what it asks",
            "where the scheme stands",
            "why",
        ],
        rows,
    );
    let count = |verdict: Verdict| {
        let n = found.points.iter().filter(|p| p.verdict == verdict).count();
        Cell::Number(n as f64, 0)
    };
    let mut facts = vec![
        (
            "scheme".to_string(),
            format!("{} ({})", found.scheme_name, found.scheme),
        ),
        ("version from".to_string(), found.version_from.to_string()),
        ("package".to_string(), found.package.clone()),
        ("as of".to_string(), found.as_of.to_string()),
    ];
    if let Some(protected) = found.protected {
        facts.push((
            "covered / target population".to_string(),
            format!("{} / {}", protected.covered, protected.target),
        ));
    }
    Report {
        title: "The scheme against the ILO's standards on medical care".into(),
        headline: vec![
            ("met".into(), count(Verdict::Met)),
            ("not met".into(), count(Verdict::NotMet)),
            ("cannot tell".into(), count(Verdict::CannotTell)),
        ],
        currency: None,
        facts,
        warning_label: WARNING.into(),
        warnings: Vec::new(),
        notes: Vec::new(),
        tables: vec![points],
        charts: Vec::new(),
        trends: Vec::new(),
        funnels: Vec::new(),
    }
}
