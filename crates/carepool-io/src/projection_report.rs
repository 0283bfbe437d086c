//! A projection with its stress tests as a report: the level premium beside its range, each
//! year's premium, the projected base table of every year, the reserve, and the stress tests
//! with a tornado chart.

use crate::report::{BarChart, Cell, Report, ReportTable, WARNING};
use carepool_core::words::{Sentence, Words};
use carepool_service::projection::ProjectionWritten;

/// A note of the report's own, said by `id` in other languages.
fn note(id: &str, english: &str) -> Sentence {
    Sentence::new(Words::new(id, []), english)
}

fn number(value: f64, decimals: u8) -> Cell {
    Cell::Number(value, decimals)
}

/// `currency` is the assumptions' own, when they give it.
pub fn projection_report(projected: &ProjectionWritten, currency: Option<&str>) -> Report {
    let (tests, inputs) = (projected.tests, &projected.inputs);
    let projection = &tests.base;
    let (low, high) = tests.range;
    let (family_low, family_high) = tests.range_per_family;
    let carried = &projection.carried_to_start;
    let years = &projection.years;
    let mut stress: Vec<_> = tests.results.iter().collect();
    // A tornado: the largest changes on top.
    stress.sort_by(|a, b| b.family_change.abs().total_cmp(&a.family_change.abs()));
    let mut report = Report {
        title: "Projection: premium adequacy and stress tests".into(),
        headline: vec![
            (
                "level premium per member".into(),
                Cell::Amount(projection.level_premium_per_member),
            ),
            ("lowest under the stress tests".into(), Cell::Amount(low)),
            ("highest under the stress tests".into(), Cell::Amount(high)),
            (
                "level premium per family".into(),
                Cell::Amount(projection.level_premium_per_family),
            ),
            (
                "lowest per family under the stress tests".into(),
                Cell::Amount(family_low),
            ),
            (
                "highest per family under the stress tests".into(),
                Cell::Amount(family_high),
            ),
            (
                "reserve refunded at the end".into(),
                Cell::Amount(projection.refund),
            ),
            ("reserve retained".into(), Cell::Amount(projection.retained)),
        ],
        currency: currency.map(str::to_string),
        facts: vec![
            (
                "contract years".into(),
                projection.reserve.len().to_string(),
            ),
            (
                "years from the base date to the start".into(),
                format!("{:.2}", carried.years),
            ),
        ],
        warning_label: WARNING.into(),
        warnings: Vec::new(),
        notes: vec![
            note(
                "projection-lines",
                "Each base-table line is projected year by year, incidence and average cost apart, each year centred on its middle; the premium is risk cost / (1 - expense share) + contingency x risk cost.",
            ),
            note(
                "projection-carried",
                "The base table is carried from its date to the start of the projection by the rates of the years between, each rate acting on the time its year overlaps (as the assumptions' timing convention says); a line's own rates replace the scheme's, and a fixed amount does not inflate.",
            ),
            note(
                "projection-level",
                "The level premium is the one whose present value over the contract, at the investment return, equals the present value of the annual premiums, each year's cash flowing in its middle with the members (families) expected that year; without a return it is their average weighted by members (families). The reserve it builds earns the same return.",
            ),
            note(
                "projection-range",
                "A premium is never the answer alone: the stress tests give its range.",
            ),
        ],
        tables: vec![
            ReportTable::new(
                "years",
                "Premium by year",
                &[
                    "year",
                    "members",
                    "families",
                    "risk cost per member",
                    "risk cost per family",
                    "expense share",
                    "premium per member",
                    "premium per family",
                ],
                years
                    .iter()
                    .map(|y| {
                        vec![
                            number(y.year as f64, 0),
                            number(y.members, 0),
                            number(y.families, 0),
                            number(y.risk_cost_per_member, 2),
                            number(y.risk_cost_per_family, 2),
                            Cell::Share(y.expense_share),
                            number(y.premium_per_member, 2),
                            number(y.premium_per_family, 2),
                        ]
                    })
                    .collect(),
            ),
            ReportTable::new(
                "carried",
                "Base table carried to the start of the projection",
                &["line", "incidence per 1,000", "average cost"],
                carried
                    .lines
                    .iter()
                    .map(|l| {
                        vec![
                            Cell::Text(l.name.clone()),
                            number(l.incidence * 1000.0, 4),
                            number(l.average_cost, 2),
                        ]
                    })
                    .collect(),
            ),
            ReportTable::new(
                "lines",
                "Projected base table, every year",
                &[
                    "year",
                    "line",
                    "incidence per 1,000",
                    "average cost",
                    "risk cost per member",
                ],
                years
                    .iter()
                    .flat_map(|y| {
                        y.lines.iter().map(move |l| {
                            vec![
                                number(y.year as f64, 0),
                                Cell::Text(l.name.clone()),
                                number(l.incidence * 1000.0, 4),
                                number(l.average_cost, 2),
                                number(l.risk_cost, 2),
                            ]
                        })
                    })
                    .collect(),
            ),
            ReportTable::new(
                "reserve",
                "Reserve over the contract at the level premium",
                &[
                    "year",
                    "opening",
                    "premium income",
                    "claims",
                    "expenses",
                    "investment income",
                    "closing",
                ],
                projection
                    .reserve
                    .iter()
                    .map(|r| {
                        vec![
                            number(r.year as f64, 0),
                            number(r.opening, 0),
                            number(r.premium_income, 0),
                            number(r.claims, 0),
                            number(r.expenses, 0),
                            number(r.investment_income, 0),
                            number(r.closing, 0),
                        ]
                    })
                    .collect(),
            ),
            ReportTable::new(
                "inputs",
                "Where each input came from",
                &["input", "source"],
                inputs
                    .iter()
                    .map(|i| vec![Cell::Label(i.input.into()), Cell::Said(i.said.clone())])
                    .collect(),
            ),
            ReportTable::new(
                "credibility",
                "Credibility: the scheme's own experience blended with the reference",
                &[
                    "line",
                    "claims",
                    "incidence weight",
                    "own per 1,000",
                    "reference per 1,000",
                    "blended per 1,000",
                    "cost weight",
                    "own average cost",
                    "reference average cost",
                    "blended average cost",
                ],
                (projected.credibility.iter().flatten())
                    .map(|l| {
                        vec![
                            Cell::Text(l.name.clone()),
                            number(l.claims, 0),
                            number(l.incidence_weight, 4),
                            number(l.own_incidence * 1000.0, 4),
                            number(l.reference_incidence * 1000.0, 4),
                            number(l.incidence * 1000.0, 4),
                            number(l.cost_weight, 4),
                            number(l.own_average_cost, 2),
                            number(l.reference_average_cost, 2),
                            number(l.average_cost, 2),
                        ]
                    })
                    .collect(),
            ),
            ReportTable::new(
                "stress",
                "Stress tests: level premium against the base",
                &[
                    "scenario",
                    "level premium per member",
                    "change",
                    "change share",
                    "level premium per family",
                    "change per family",
                    "change share per family",
                ],
                stress
                    .iter()
                    .map(|r| {
                        vec![
                            Cell::Text(r.scenario.clone()),
                            number(r.level_premium_per_member, 2),
                            number(r.change, 2),
                            Cell::Share(r.change_share),
                            number(r.level_premium_per_family, 2),
                            number(r.family_change, 2),
                            Cell::Share(r.family_change_share),
                        ]
                    })
                    .collect(),
            ),
        ],
        trends: Vec::new(),
        funnels: Vec::new(),
        charts: vec![
            BarChart {
                title: "Premium per member by year".into(),
                categories: years.iter().map(|y| y.year.to_string()).collect(),
                series: vec![
                    (
                        "risk cost".into(),
                        years.iter().map(|y| y.risk_cost_per_member).collect(),
                    ),
                    (
                        "loadings".into(),
                        years
                            .iter()
                            .map(|y| y.premium_per_member - y.risk_cost_per_member)
                            .collect(),
                    ),
                ],
                decimals: 2,
            },
            BarChart {
                // The base's level premium is the headline's.
                title: "Stress tests: change of the level premium per family against the base"
                    .into(),
                categories: stress.iter().map(|r| r.scenario.clone()).collect(),
                series: vec![(
                    "change".into(),
                    stress.iter().map(|r| r.family_change).collect(),
                )],
                decimals: 2,
            },
        ],
    };
    // The blend's table, when the base table was blended.
    if projected.credibility.is_none() {
        report.tables.retain(|table| table.name != "credibility");
    }
    report
}

/// A national costing as a report: each year's population, coverage, cost by benefit, cost per
/// capita, shares of GDP and of government expenditure, revenue and the financing gap.
pub fn costing_report(
    rows: &[carepool_actuarial::costing::CostingYear],
    currency: Option<&str>,
) -> Report {
    let benefits: Vec<String> = rows
        .first()
        .map(|r| r.benefits.iter().map(|(name, _)| name.clone()).collect())
        .unwrap_or_default();
    let mut names: Vec<&str> = vec!["year", "population", "coverage", "covered"];
    names.extend(benefits.iter().map(String::as_str));
    names.extend([
        "total cost",
        "cost per covered person",
        "cost per inhabitant",
        "GDP",
        "share of GDP",
        "government expenditure",
        "share of government expenditure",
        "revenue",
        "financing gap",
    ]);
    let last = rows.last();
    Report {
        title: "National costing".into(),
        headline: last
            .map(|r| {
                vec![
                    (
                        "cost in the last year".to_string(),
                        Cell::Amount(r.total_cost),
                    ),
                    ("its share of GDP".into(), Cell::Share(r.share_of_gdp)),
                    (
                        "financing gap in the last year".into(),
                        Cell::Amount(r.financing_gap),
                    ),
                ]
            })
            .unwrap_or_default(),
        currency: currency.map(str::to_string),
        facts: last
            .map(|r| {
                vec![(
                    "horizon".to_string(),
                    format!("{}–{}", rows[0].year, r.year),
                )]
            })
            .unwrap_or_default(),
        warning_label: WARNING.into(),
        warnings: Vec::new(),
        notes: vec![
            note(
                "costing-cost",
                "Cost = people covered x cost per covered person of each benefit (its first-year average, moved by the population's mix and by medical prices: general inflation and the medical excess).",
            ),
            note(
                "costing-gap",
                "The financing gap is the cost less the revenue stated.",
            ),
        ],
        tables: vec![ReportTable::new(
            "costing",
            "Cost, coverage and financing by year",
            &names,
            rows.iter()
                .map(|r| {
                    let mut row = vec![
                        Cell::Year(r.year),
                        number(r.population, 0),
                        Cell::Share(r.coverage),
                        number(r.covered, 0),
                    ];
                    row.extend(r.benefits.iter().map(|(_, cost)| number(*cost, 0)));
                    row.extend([
                        number(r.total_cost, 0),
                        number(r.cost_per_covered, 2),
                        number(r.cost_per_inhabitant, 2),
                        number(r.gdp, 0),
                        Cell::Share(r.share_of_gdp),
                        number(r.government_expenditure, 0),
                        Cell::Share(r.share_of_government_expenditure),
                        number(r.revenue, 0),
                        number(r.financing_gap, 0),
                    ]);
                    row
                })
                .collect(),
        )],
        trends: Vec::new(),
        funnels: Vec::new(),
        charts: vec![
            BarChart {
                title: "Cost by year and benefit".into(),
                categories: rows.iter().map(|r| r.year.to_string()).collect(),
                series: benefits
                    .iter()
                    .enumerate()
                    .map(|(b, name)| (name.clone(), rows.iter().map(|r| r.benefits[b].1).collect()))
                    .collect(),
                decimals: 0,
            },
            BarChart {
                title: "Cost as a share of GDP (%)".into(),
                categories: rows.iter().map(|r| r.year.to_string()).collect(),
                series: vec![(
                    "share of GDP".into(),
                    rows.iter().map(|r| r.share_of_gdp * 100.0).collect(),
                )],
                decimals: 2,
            },
        ],
    }
}
