//! The monthly indicators as a report: a table per group (membership, contributions, claims,
//! finance) with a row per period, the definitions, and on the HTML page a trend chart per
//! indicator.

use crate::report::{Cell, Report, ReportTable, TrendChart, WARNING};
use carepool_actuarial::indicators::grievances::Timeliness;
use carepool_actuarial::indicators::warning::Side;
use carepool_actuarial::indicators::{DEFINITIONS, Indicators, PeriodIndicators};
use carepool_core::Money;
use carepool_core::monitoring::Step;
use carepool_core::words::{Figure, Sentence, Words};
use carepool_service::grievances::GrievanceStats;
use carepool_service::indicators::EarlyWarning;
use chrono::Datelike;

/// A column of a group's table: its header and how a period's cell is read.
type Column = (&'static str, fn(&PeriodIndicators) -> Cell);

fn count(value: u64) -> Cell {
    Cell::Number(value as f64, 0)
}

fn amount(value: Money) -> Cell {
    Cell::Amount(value.minor() as f64 / 100.0)
}

fn share(value: Option<f64>) -> Cell {
    value.map_or(Cell::Empty, Cell::Share)
}

fn number(value: Option<f64>, decimals: u8) -> Cell {
    value.map_or(Cell::Empty, |v| Cell::Number(v, decimals))
}

const MEMBERSHIP: &[Column] = &[
    ("members", |p| count(p.membership.members)),
    ("families", |p| count(p.membership.families)),
    ("pending", |p| count(p.membership.pending)),
    ("new members", |p| count(p.membership.new_members)),
    ("exits", |p| count(p.membership.exits)),
    ("growth ratio", |p| share(p.membership.growth_ratio)),
    ("renewal due", |p| count(p.membership.renewal_due)),
    ("renewed", |p| count(p.membership.renewed)),
    ("renewal ratio", |p| share(p.membership.renewal_ratio)),
    ("women", |p| count(p.membership.women)),
    ("women share", |p| share(p.membership.women_share)),
    ("target population", |p| {
        p.membership.target_population.map_or(Cell::Empty, count)
    }),
    ("coverage ratio", |p| share(p.membership.coverage_ratio)),
    ("exposure (member-years)", |p| {
        Cell::Number(p.membership.exposure, 2)
    }),
];

const CONTRIBUTIONS: &[Column] = &[
    ("due", |p| amount(p.contributions.due)),
    ("collected", |p| amount(p.contributions.collected)),
    ("collection rate", |p| {
        share(p.contributions.collection_rate)
    }),
    ("arrears", |p| amount(p.contributions.arrears)),
    ("arrears up to 30 days", |p| {
        amount(p.contributions.arrears_by_age.up_to_30_days)
    }),
    ("arrears 31-90 days", |p| {
        amount(p.contributions.arrears_by_age.up_to_90_days)
    }),
    ("arrears 91-180 days", |p| {
        amount(p.contributions.arrears_by_age.up_to_180_days)
    }),
    ("arrears over 180 days", |p| {
        amount(p.contributions.arrears_by_age.over_180_days)
    }),
    ("families in arrears", |p| {
        count(p.contributions.families_in_arrears)
    }),
];

const CLAIMS: &[Column] = &[
    ("received", |p| count(p.claims.received)),
    ("decided", |p| count(p.claims.decided)),
    ("approved", |p| count(p.claims.approved)),
    ("rejected", |p| count(p.claims.rejected)),
    ("rejection ratio", |p| share(p.claims.rejection_ratio)),
    ("claimed, decided", |p| amount(p.claims.claimed_decided)),
    ("rejected amount", |p| amount(p.claims.rejected_amount)),
    ("rejection ratio by amount", |p| {
        share(p.claims.rejection_ratio_by_amount)
    }),
    ("incurred", |p| count(p.claims.incurred)),
    ("incidence per 1,000", |p| {
        number(p.claims.incidence_per_1000, 1)
    }),
    ("cost", |p| amount(p.claims.cost)),
    ("average cost", |p| {
        p.claims.average_cost.map_or(Cell::Empty, amount)
    }),
    ("stays", |p| count(p.claims.stays)),
    ("bed days", |p| count(p.claims.bed_days)),
    ("average length of stay", |p| {
        number(p.claims.average_length_of_stay, 2)
    }),
    ("paid", |p| count(p.claims.paid)),
    ("paid within 7 days", |p| {
        count(p.claims.promptness.up_to_7_days)
    }),
    ("paid in 8-30 days", |p| {
        count(p.claims.promptness.up_to_30_days)
    }),
    ("paid in 31-90 days", |p| {
        count(p.claims.promptness.up_to_90_days)
    }),
    ("paid after 90 days", |p| {
        count(p.claims.promptness.over_90_days)
    }),
    ("paid before received", |p| {
        count(p.claims.promptness.paid_before_received)
    }),
];

const FINANCE: &[Column] = &[
    ("earned premium", |p| amount(p.finance.earned_premium)),
    ("claims paid", |p| amount(p.finance.claims_paid)),
    ("outstanding", |p| amount(p.finance.outstanding)),
    ("IBNR", |p| p.finance.ibnr.map_or(Cell::Empty, amount)),
    ("incurred claims", |p| {
        p.finance.incurred_claims.map_or(Cell::Empty, amount)
    }),
    ("incurred claims ratio", |p| {
        share(p.finance.incurred_claims_ratio)
    }),
    ("expenses", |p| {
        p.finance.expenses.map_or(Cell::Empty, amount)
    }),
    ("expense ratio", |p| share(p.finance.expense_ratio)),
    ("net income", |p| {
        p.finance.net_income.map_or(Cell::Empty, amount)
    }),
    ("net income ratio", |p| share(p.finance.net_income_ratio)),
    ("assets", |p| p.finance.assets.map_or(Cell::Empty, amount)),
    ("liabilities", |p| {
        p.finance.liabilities.map_or(Cell::Empty, amount)
    }),
    ("solvency ratio", |p| share(p.finance.solvency_ratio)),
    ("liquidity ratio", |p| share(p.finance.liquidity_ratio)),
];

const GROUPS: [(&str, &str, &[Column]); 4] = [
    ("membership", "Membership", MEMBERSHIP),
    ("contributions", "Contributions", CONTRIBUTIONS),
    ("claims", "Claims", CLAIMS),
    ("finance", "Finance", FINANCE),
];

/// A period as its row and chart name it: 2025-01, 2025Q1 or 2025 (the calendar period it
/// lies in, when the dates asked cut it).
pub fn period_label(step: Step, period: &PeriodIndicators) -> String {
    let start = period.period.start;
    match step {
        Step::Month => format!("{}-{:02}", start.year(), start.month()),
        Step::Quarter => format!("{}Q{}", start.year(), start.month0() / 3 + 1),
        Step::Year => start.year().to_string(),
    }
}

/// `facts` say what was counted (the scheme, district or facility); `currency` is the
/// amounts'.
pub fn indicators_report(
    indicators: &Indicators,
    early_warning: &EarlyWarning,
    grievances: Option<&GrievanceStats>,
    facts: Vec<(String, String)>,
    currency: Option<&str>,
) -> Report {
    let labels: Vec<String> = (indicators.periods.iter())
        .map(|p| period_label(indicators.by, p))
        .collect();
    let mut tables: Vec<ReportTable> = GROUPS
        .iter()
        .map(|(name, title, columns)| {
            let mut header = vec!["period", "from", "to"];
            header.extend(columns.iter().map(|(label, _)| *label));
            let rows = (indicators.periods.iter().zip(&labels))
                .map(|(period, label)| {
                    let mut row = vec![
                        Cell::Text(label.clone()),
                        Cell::Text(period.period.start.to_string()),
                        Cell::Text(period.period.end.to_string()),
                    ];
                    row.extend(columns.iter().map(|(_, cell)| cell(period)));
                    row
                })
                .collect();
            ReportTable::new(name, title, &header, rows)
        })
        .collect();
    tables.push(ReportTable::new(
        "definitions",
        "Definitions",
        &["indicator", "definition"],
        DEFINITIONS
            .iter()
            .map(|d| vec![Cell::Text(d.name.into()), Cell::Label(d.definition.into())])
            .collect(),
    ));
    tables.push(early_warning_table(early_warning));
    tables.extend(grievances.map(grievances_table));
    let period_names = &labels;
    let trends = GROUPS
        .iter()
        .flat_map(|(_, group, columns)| {
            columns.iter().map(move |(label, cell)| TrendChart {
                title: format!("{group}: {label}"),
                categories: period_names.clone(),
                points: indicators.periods.iter().map(cell).collect(),
            })
        })
        .collect();
    let mut all_facts = vec![
        ("from".to_string(), indicators.from.to_string()),
        ("to".to_string(), indicators.to.to_string()),
        ("by".to_string(), indicators.by.as_str().to_string()),
    ];
    all_facts.extend(facts);
    Report {
        title: "Scheme indicators".into(),
        headline: headline(indicators, &labels),
        currency: currency.map(str::to_string),
        facts: all_facts,
        warning_label: WARNING.into(),
        warnings: early_warnings(early_warning),
        notes: not_watched(early_warning).into_iter().collect(),
        tables,
        charts: Vec::new(),
        trends,
        funnels: Vec::new(),
    }
}

/// The grievances' timeliness over the whole period: over all, by category, by district.
fn grievances_table(stats: &GrievanceStats) -> ReportTable {
    let row = |label: String, t: &Timeliness| {
        vec![
            Cell::Text(label),
            count(t.received),
            count(t.resolved),
            count(t.resolved_in_time),
            t.in_time_share.map_or(Cell::Empty, Cell::Share),
            t.median_days_to_resolve
                .map_or(Cell::Empty, |d| Cell::Number(d, 1)),
            count(t.overdue_at_end),
        ]
    };
    let mut rows = vec![row("all".into(), &stats.all)];
    rows.extend((stats.by_category.iter()).map(|(c, t)| row(format!("category {c}"), t)));
    rows.extend((stats.by_district.iter()).map(|(d, t)| row(format!("district {d}"), t)));
    ReportTable::new(
        "grievances",
        "Grievances: how they were settled",
        &[
            "grievances",
            "received",
            "resolved",
            "resolved in time",
            "in time",
            "median days to resolve",
            "overdue at the end",
        ],
        rows,
    )
}

/// Every month of each run outside its band, with the band.
fn early_warning_table(early_warning: &EarlyWarning) -> ReportTable {
    let warnings = early_warning.watch.iter().flat_map(|w| &w.warnings);
    let rows = warnings
        .flat_map(|warning| {
            warning.months.iter().map(move |check| {
                vec![
                    Cell::Text(warning.line.clone()),
                    Cell::Text(warning.measure.into()),
                    Cell::Text(side(warning.side).into()),
                    Cell::Text(if warning.open { "open" } else { "ended" }.into()),
                    Cell::Text(check.month.format("%Y-%m").to_string()),
                    Cell::Number(check.observed, 2),
                    Cell::Number(check.expected, 2),
                    Cell::Number(check.low, 2),
                    Cell::Number(check.high, 2),
                ]
            })
        })
        .collect();
    ReportTable::new(
        "early_warning",
        "Early warning: months outside their band",
        &[
            "line", "measure", "side", "run", "month", "observed", "expected", "low", "high",
        ],
        rows,
    )
}

/// A measure of the early warning as a sentence names it.
fn measure_name(measure: &str) -> &str {
    match measure {
        "incidence_per_1000" => "Incidence per 1,000",
        "average_cost" => "Average cost",
        "family_size" => "Family size",
        other => other,
    }
}

fn side(side: Side) -> &'static str {
    match side {
        Side::Above => "above",
        Side::Below => "below",
    }
}

/// One warning per run still open at the last month.
fn early_warnings(early_warning: &EarlyWarning) -> Vec<Sentence> {
    let warnings = early_warning.watch.iter().flat_map(|w| &w.warnings);
    warnings
        .filter(|w| w.open)
        .filter_map(|warning| {
            let (first, last) = (warning.months.first()?, warning.months.last()?);
            let number = |value: f64| format!("{value:.2}");
            Some(Sentence::new(
                Words::new(
                    "early-warning",
                    [
                        ("line", Figure::text(&warning.line)),
                        ("measure", Figure::text(warning.measure)),
                        ("side", Figure::text(side(warning.side))),
                        ("months", Figure::Count(warning.months.len() as i64)),
                        ("from", Figure::Date(first.month)),
                        ("observed", Figure::Number(number(last.observed))),
                        ("expected", Figure::Number(number(last.expected))),
                        ("low", Figure::Number(number(last.low))),
                        ("high", Figure::Number(number(last.high))),
                    ],
                ),
                format!(
                    "{} of {}: {} its band for {} months from {}; last month {} against {} expected (band {} to {}).",
                    measure_name(warning.measure),
                    warning.line,
                    side(warning.side),
                    warning.months.len(),
                    first.month.format("%Y-%m"),
                    number(last.observed),
                    number(last.expected),
                    number(last.low),
                    number(last.high),
                ),
            ))
        })
        .collect()
}

/// Why the experience was not watched against a premium basis, if it was not.
fn not_watched(early_warning: &EarlyWarning) -> Option<Sentence> {
    let why = early_warning.not_watched?;
    let english = match why {
        "no_premium_basis" => {
            "No early warning: the scheme has no premium basis (carepool premium-basis register)."
        }
        "one_facility" => "No early warning: one facility's claims say nothing of the premium.",
        _ => "No early warning: name the scheme to watch (--scheme).",
    };
    Some(Sentence::new(
        Words::new("early-warning-not-watched", [("why", Figure::text(why))]),
        english,
    ))
}

/// The last period's members, incidence, collection rate and incurred claims ratio.
fn headline(indicators: &Indicators, labels: &[String]) -> Vec<(String, Cell)> {
    let (Some(last), Some(label)) = (indicators.periods.last(), labels.last()) else {
        return Vec::new();
    };
    vec![
        (
            format!("members at the end of {label}"),
            count(last.membership.members),
        ),
        (
            format!("incidence per 1,000 in {label}"),
            number(last.claims.incidence_per_1000, 1),
        ),
        (
            format!("collection rate in {label}"),
            share(last.contributions.collection_rate),
        ),
        (
            format!("incurred claims ratio in {label}"),
            share(last.finance.incurred_claims_ratio),
        ),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_actuarial::indicators::warning::{Check, Warning};
    use carepool_actuarial::indicators::{IndicatorTally, Watch, WatchSettings};

    fn indicators() -> Indicators {
        let day = |text: &str| text.parse().unwrap();
        let tally =
            IndicatorTally::new(day("2025-01-15"), day("2025-06-30"), Step::Quarter).unwrap();
        tally.finish(&[Some(Money::ZERO); 3])
    }

    #[test]
    fn each_group_is_a_table_with_a_row_per_period_and_each_indicator_a_trend() {
        let not_watched = EarlyWarning {
            scheme: Some("mutual".into()),
            bases: Vec::new(),
            not_watched: Some("no_premium_basis"),
            watch: None,
        };
        let day = |text: &str| -> chrono::NaiveDate { text.parse().unwrap() };
        let mut late = Timeliness::default();
        let facts = carepool_actuarial::indicators::grievances::GrievanceFacts {
            filed_on: day("2025-02-01"),
            due_date: day("2025-02-15"),
            resolved_on: Some(day("2025-02-20")),
        };
        late.add(&facts, day("2025-01-15"), day("2025-06-30"));
        let grievances = GrievanceStats {
            all: late.clone().finish(),
            by_category: [("exempt_charged".to_string(), late.clone().finish())].into(),
            by_district: [("D1".to_string(), late.finish())].into(),
            ..GrievanceStats::default()
        };
        let report = indicators_report(
            &indicators(),
            &not_watched,
            Some(&grievances),
            vec![("scheme".into(), "mutual".into())],
            Some("XOF"),
        );
        let names: Vec<&str> = report.tables.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "membership",
                "contributions",
                "claims",
                "finance",
                "definitions",
                "early_warning",
                "grievances"
            ]
        );
        let grievance_rows: Vec<&Cell> = report.tables[6].rows.iter().map(|r| &r[0]).collect();
        assert_eq!(
            grievance_rows,
            [
                &Cell::Text("all".into()),
                &Cell::Text("category exempt_charged".into()),
                &Cell::Text("district D1".into())
            ]
        );
        assert_eq!(
            report.tables[6].rows[0][1..],
            [
                Cell::Number(1.0, 0),
                Cell::Number(1.0, 0),
                Cell::Number(0.0, 0),
                Cell::Share(0.0),
                Cell::Number(19.0, 1),
                Cell::Number(0.0, 0)
            ]
        );
        assert!(report.warnings.is_empty());
        assert_eq!(report.notes[0].words.id, "early-warning-not-watched");
        assert!(report.tables[5].rows.is_empty());
        let cell = |table: &ReportTable, row: usize, column: &str| {
            let at = table.header.iter().position(|h| h == column).unwrap();
            table.rows[row][at].clone()
        };
        let membership = &report.tables[0];
        assert_eq!(membership.rows.len(), 2);
        assert_eq!(cell(membership, 0, "period"), Cell::Text("2025Q1".into()));
        assert_eq!(cell(membership, 0, "from"), Cell::Text("2025-01-15".into()));
        assert_eq!(membership.header.len(), membership.rows[0].len());
        let columns: usize = GROUPS.iter().map(|(_, _, c)| c.len()).sum();
        assert_eq!(report.trends.len(), columns);
        assert_eq!(report.trends[0].title, "Membership: members");
        // Nothing to divide by: a ratio is empty, never 0.
        let finance = &report.tables[3];
        assert_eq!(
            cell(finance, 0, "incurred claims ratio"),
            Cell::Empty,
            "no earned premium, no ratio"
        );
        assert!(report.facts.contains(&("scheme".into(), "mutual".into())));
        assert_eq!(report.tables[4].rows.len(), DEFINITIONS.len());
    }

    #[test]
    fn each_month_of_a_run_is_a_row_and_an_open_run_a_warning() {
        let day = |text: &str| text.parse().unwrap();
        let check = |month: &str, observed: f64| Check {
            month: day(month),
            observed,
            expected: 1_500.0,
            low: 1_400.0,
            high: 1_600.0,
        };
        let run = |line: &str, open: bool| Warning {
            line: line.into(),
            measure: "incidence_per_1000",
            side: Side::Above,
            months: vec![check("2025-04-01", 1_700.0), check("2025-05-01", 1_812.345)],
            open,
        };
        let watched = EarlyWarning {
            scheme: Some("mutual".into()),
            bases: vec![day("2025-01-01")],
            not_watched: None,
            watch: Some(Watch {
                settings: WatchSettings::default(),
                months_checked: vec![day("2025-04-01"), day("2025-05-01")],
                lines: vec!["medical".into(), "total".into()],
                warnings: vec![run("medical", false), run("total", true)],
            }),
        };
        let report = indicators_report(&indicators(), &watched, None, Vec::new(), None);
        let table = report
            .tables
            .iter()
            .find(|t| t.name == "early_warning")
            .unwrap();
        assert_eq!(table.rows.len(), 4);
        assert_eq!(table.rows[3][0], Cell::Text("total".into()));
        assert_eq!(table.rows[3][3], Cell::Text("open".into()));
        assert_eq!(table.rows[3][5], Cell::Number(1_812.345, 2));
        // Only the open run is a warning; it quotes its last month.
        assert_eq!(report.warnings.len(), 1);
        assert_eq!(
            report.warnings[0].text,
            "Incidence per 1,000 of total: above its band for 2 months from 2025-04; last month 1812.35 against 1500.00 expected (band 1400.00 to 1600.00)."
        );
        assert!(report.notes.is_empty());
    }
}
