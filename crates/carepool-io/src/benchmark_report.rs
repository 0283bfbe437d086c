//! Provider benchmarking as a report: a row per facility with its measures and flags, a row per
//! flag with the evidence a reviewer needs, the mix of lines behind the costliest-line test,
//! and on the HTML page a funnel plot per measure.

use crate::report::{Cell, FunnelChart, FunnelMark, Report, ReportTable, WARNING};
use carepool_actuarial::benchmark::{Funnel, MEASURES, Test};
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
        funnels: benchmark.funnels.iter().map(funnel).collect(),
    }
}

/// A measure's funnel as the page draws it.
fn funnel(funnel: &Funnel) -> FunnelChart {
    let (title, volume_label) = match funnel.measure {
        "cost_per_case" => ("Cost per case against peers (case-mix adjusted)", "claims"),
        "length_of_stay" => ("Length of stay against peers (case-mix adjusted)", "stays"),
        "costliest_mix" => (
            "Claims of the costliest line against peers",
            "precision: (expected / standard error)²",
        ),
        "exempt_charged" => (
            "Exempt members charged a co-payment",
            "exempt members' claims",
        ),
        "duplicates" => ("Probable duplicates", "claims"),
        "rejections" => ("Claims rejected", "claims"),
        other => (other, "claims"),
    };
    FunnelChart {
        title: title.into(),
        volume_label: volume_label.into(),
        target: funnel.target,
        spread: funnel.spread,
        log_scale: funnel.log_scale,
        shares: !funnel.log_scale && funnel.measure != "costliest_mix",
        points: (funnel.points.iter())
            .map(|p| FunnelMark {
                label: p.facility.clone(),
                volume: p.volume,
                value: p.value,
                flagged: p.flagged,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_actuarial::benchmark::{BenchmarkTally, Case};

    /// Six district hospitals, one of which charges every exempt member.
    fn found() -> BenchmarkReport {
        let mut tally = BenchmarkTally::default();
        for i in 0..6 {
            let code = format!("H{i}");
            tally.add_facility(&code, "district_hospital");
            for k in 0..20 {
                tally.add_case(&Case {
                    facility: &code,
                    line: "surgical general_surgery",
                    category: "surgical",
                    age_band: 3,
                    woman: k % 2 == 0,
                    member: i * 20 + k,
                    claimed: 1_000.0 + 10.0 * f64::from(k),
                    stay_days: Some(2 + (k % 3)),
                    rejected: false,
                    duplicate: false,
                    exempt: true,
                    exempt_charged: i == 0,
                });
            }
        }
        BenchmarkReport {
            from: "2025-01-01".parse().unwrap(),
            to: "2025-12-31".parse().unwrap(),
            district: None,
            currency: Some("INR".into()),
            benchmark: tally.finish(0.05),
        }
    }

    #[test]
    fn a_row_per_facility_a_row_per_flag_and_a_funnel_per_measure() {
        let report = benchmark_report(&found());
        let names: Vec<&str> = report.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["facilities", "flags", "mix"]);
        let facilities = &report.tables[0];
        assert_eq!(facilities.rows.len(), 6);
        assert_eq!(facilities.header.len(), facilities.rows[0].len());
        assert_eq!(facilities.rows[0][17], Cell::Text("exempt_charged".into()));
        // The flag carries its evidence: 20 of 20 charged against a share of 0.5 / 101.
        let flags = &report.tables[1];
        assert_eq!(flags.rows.len(), 1);
        assert_eq!(
            flags.rows[0][..3],
            [
                Cell::Text("H0".into()),
                Cell::Text("exempt_charged".into()),
                Cell::Number(20.0, 0),
            ]
        );
        assert_eq!(report.headline[1].1, Cell::Number(1.0, 0));
        assert_eq!(report.funnels.len(), 6);
        let charged = &report.funnels[3];
        assert!(charged.shares && !charged.log_scale);
        assert!(report.funnels[0].log_scale);
        assert!(!report.funnels[2].shares, "the mix is a ratio, not a share");
        // On the page: the flagged facility is drawn red and named in its funnel.
        let page = crate::report::html::render(&report);
        assert_eq!(page.matches("class=\"funnels\"").count(), 1);
        assert!(
            page.contains("fill=\"#c62828\">H0</text>"),
            "the flagged facility named"
        );
    }

    #[test]
    fn a_funnels_limits_narrow_with_its_volume() {
        let mut funnel = benchmark_report(&found()).funnels[3].clone();
        funnel.target = 0.2;
        funnel.spread = 0.4;
        let (low, high) = funnel.limits(16.0, 2.0);
        assert!((low - 0.0).abs() < 1e-12 && (high - 0.4).abs() < 1e-12);
        funnel.log_scale = true;
        funnel.target = 1.0;
        let (low, high) = funnel.limits(4.0, 1.0);
        assert!((low - (-0.2f64).exp()).abs() < 1e-12 && (high - 0.2f64.exp()).abs() < 1e-12);
    }
}
