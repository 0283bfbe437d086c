//! Provider benchmarking as a report: a row per facility with its measures and flags, a row per
//! flag with the evidence a reviewer needs, the mix of lines behind the costliest-line test,
//! and on the HTML page a funnel plot per measure.

use crate::report::{Cell, Report, ReportTable, WARNING};
use carepool_actuarial::benchmark::{MEASURES, Test};
use carepool_service::benchmark::BenchmarkReport;

fn number(value: Option<f64>, decimals: u8) -> Cell {
    value.map_or(Cell::Empty, |v| Cell::Number(v, decimals))
}

/// A test's ratio and q-value, or nothing when the facility was not tested on it.
fn ratio_and_q(test: &Option<Test>) -> [Cell; 2] {
    [
        number(test.and_then(|t| t.ratio), 2),
        number(test.map(|t| t.q_value), 4),
    ]
}

/// A rate's facility share.
fn rate(test: &Option<Test>) -> Cell {
    test.map_or(Cell::Empty, |t| Cell::Share(t.observed / t.cases as f64))
}

pub fn benchmark_report(found: &BenchmarkReport) -> Report {
    let benchmark = &found.benchmark;
    let facilities = &benchmark.facilities;
    let rows = facilities
        .iter()
        .map(|f| {
            let mut row = vec![
                Cell::Text(f.facility.clone()),
                Cell::Text(f.level.clone()),
                Cell::Number(f.claims as f64, 0),
                Cell::Number(f.members as f64, 0),
                number(f.claims_per_member, 2),
            ];
            row.extend(ratio_and_q(&f.cost_per_case));
            row.extend(ratio_and_q(&f.length_of_stay));
            row.extend(ratio_and_q(&f.costliest_mix));
            row.extend([
                rate(&f.exempt_charged),
                number(f.exempt_charged.map(|t| t.q_value), 4),
            ]);
            row.extend([
                rate(&f.duplicates),
                number(f.duplicates.map(|t| t.q_value), 4),
            ]);
            row.extend([
                rate(&f.rejections),
                number(f.rejections.map(|t| t.q_value), 4),
            ]);
            row.push(Cell::Text(f.flags.join(" ")));
            row
        })
        .collect();
    let facilities_table = ReportTable::new(
        "facilities",
        "Facilities against their peers",
        &[
            "facility",
            "level",
            "claims",
            "members",
            "claims per member",
            "cost per case ratio",
            "cost q",
            "length of stay ratio",
            "stay q",
            "costliest line ratio",
            "mix q",
            "exempt charged",
            "exempt q",
            "duplicates",
            "duplicates q",
            "rejections",
            "rejections q",
            "flags",
        ],
        rows,
    );
    let flag_rows = facilities
        .iter()
        .flat_map(|f| {
            let tests = [
                f.cost_per_case,
                f.length_of_stay,
                f.costliest_mix,
                f.exempt_charged,
                f.duplicates,
                f.rejections,
            ];
            (MEASURES.iter().zip(tests))
                .filter_map(|(measure, test)| Some((measure, test?)))
                .filter(|(_, test)| test.flagged)
                .map(|(measure, t)| {
                    vec![
                        Cell::Text(f.facility.clone()),
                        Cell::Text((*measure).into()),
                        Cell::Number(t.cases as f64, 0),
                        Cell::Number(t.observed, 2),
                        Cell::Number(t.expected, 2),
                        number(t.ratio, 2),
                        Cell::Number(t.z, 2),
                        Cell::Number(t.p_value, 6),
                        Cell::Number(t.q_value, 6),
                    ]
                })
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
    let flag_count = flag_rows.len();
    let flags_table = ReportTable::new(
        "flags",
        "Flags: the evidence",
        &[
            "facility", "measure", "cases", "observed", "expected", "ratio", "z", "p", "q",
        ],
        flag_rows,
    );
    let mix_rows = facilities
        .iter()
        .flat_map(|f| {
            f.mix.iter().map(|m| {
                vec![
                    Cell::Text(f.facility.clone()),
                    Cell::Text(m.category.clone()),
                    Cell::Text(m.costliest.clone()),
                    Cell::Number(m.cases as f64, 0),
                    Cell::Number(m.costliest_cases as f64, 0),
                    Cell::Share(m.share),
                    Cell::Share(m.peer_share),
                ]
            })
        })
        .collect();
    let mix_table = ReportTable::new(
        "mix",
        "The costliest line of each category",
        &[
            "facility",
            "category",
            "costliest line",
            "cases",
            "costliest cases",
            "share",
            "peers' share",
        ],
        mix_rows,
    );
    let mut facts = vec![
        ("from".to_string(), found.from.to_string()),
        ("to".to_string(), found.to.to_string()),
        (
            "false discovery rate".to_string(),
            format!("{}", benchmark.false_discovery_rate),
        ),
    ];
    facts.extend(
        found
            .district
            .iter()
            .map(|d| ("district".to_string(), d.clone())),
    );
    Report {
        title: "Provider benchmarking".into(),
        headline: vec![
            (
                "facilities compared".into(),
                Cell::Number(facilities.len() as f64, 0),
            ),
            ("flags".into(), Cell::Number(flag_count as f64, 0)),
        ],
        currency: found.currency.clone(),
        facts,
        warning_label: WARNING.into(),
        warnings: Vec::new(),
        notes: Vec::new(),
        tables: vec![facilities_table, flags_table, mix_table],
        charts: Vec::new(),
        trends: Vec::new(),
    }
}
