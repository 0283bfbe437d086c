//! An experience study, and a GLM fitted on any table, as reports: one table per result (and
//! per factor's relativities), with charts of the exposure by period, the relativities by age
//! and sex, and the base table's risk cost.

use crate::report::{BarChart, Cell, Heat, Report, ReportTable, WARNING, grouped};
use carepool_actuarial::GlmFit;
use carepool_actuarial::Named;
use carepool_actuarial::experience::{
    Completion, Experience, Factor, OneWay, Rates, UNKNOWN_LEVEL,
};
use carepool_core::Money;
use carepool_core::words::{Figure, Sentence, Words};

fn number(value: Option<f64>, decimals: u8) -> Cell {
    value.map_or(Cell::Empty, |v| Cell::Number(v, decimals))
}

fn share(value: Option<f64>) -> Cell {
    value.map_or(Cell::Empty, Cell::Share)
}

fn money(amount: Money) -> Cell {
    Cell::Number(amount.minor() as f64 / 100.0, 2)
}

fn text(value: &str) -> Cell {
    Cell::Text(value.to_string())
}

/// A word of the report's own, said in the reader's language.
fn label(value: &str) -> Cell {
    Cell::Label(value.to_string())
}

/// A factor's level, or a location: data, except the level the data do not give.
fn level(value: &str) -> Cell {
    match value == UNKNOWN_LEVEL {
        true => label(value),
        false => text(value),
    }
}

fn strings(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| n.to_string()).collect()
}

const RATE_HEADER: [&str; 11] = [
    "exposure",
    "claims",
    "per 1,000",
    "avg claimed",
    "avg approved",
    "avg paid",
    "avg cost",
    "alos",
    "bed days per 1,000",
    "risk cost",
    "cost",
];

fn rate_cells(rates: &Rates) -> Vec<Cell> {
    vec![
        Cell::Number(rates.exposure, 1),
        Cell::Number(rates.claims as f64, 0),
        number(rates.incidence_per_1000, 2),
        number(rates.average_claimed, 2),
        number(rates.average_approved, 2),
        number(rates.average_paid, 2),
        number(rates.average_cost, 2),
        number(rates.alos, 2),
        number(rates.bed_days_per_1000, 1),
        number(rates.risk_cost, 2),
        money(rates.cost),
    ]
}

/// A table whose rows start with some labels and go on with the rates.
fn rates_table(
    name: &str,
    title: &str,
    labels: &[&str],
    extra: &[&str],
    rows: Vec<Vec<Cell>>,
) -> ReportTable {
    ReportTable {
        name: name.into(),
        title: title.into(),
        facts: Vec::new(),
        header: strings(labels)
            .into_iter()
            .chain(strings(&RATE_HEADER))
            .chain(strings(extra))
            .collect(),
        rows,
        header_for_programs: false,
        heat: Heat::None,
    }
}

pub fn experience_report(experience: &Experience, currency: Option<&str>) -> Report {
    let settings = &experience.settings;
    let mut tables = vec![
        summary(experience),
        periods(experience),
        base_table(experience),
    ];
    tables.extend(experience.relativities.iter().map(one_way));
    let glm = &experience.glm;
    for (name, fit) in [("frequency", &glm.frequency), ("severity", &glm.severity)] {
        if let Some(fit) = fit {
            let title = match name {
                "frequency" => "GLM, frequency",
                _ => "GLM, severity",
            };
            tables.push(coefficients(&format!("glm_{name}"), title, fit));
        }
    }
    tables.extend([
        locations(experience),
        claimed_paid(experience),
        limits(experience),
    ]);
    tables.push(ownership(experience));
    tables.extend(experience.completion.as_ref().map(completion));
    tables.push(cells(experience));
    let mut notes = experience.notes.clone();
    notes.extend(glm.notes.iter().cloned());
    let summary = &experience.summary;
    let rates = &summary.rates;
    let amount = |value: Option<f64>| value.map_or(Cell::Empty, Cell::Amount);
    Report {
        // The dates are the facts' first two.
        title: "Experience study".into(),
        headline: vec![
            ("member-years".into(), Cell::Number(rates.exposure, 1)),
            ("claims".into(), Cell::Number(rates.claims as f64, 0)),
            (
                "claims per 1,000 members a year".into(),
                number(rates.incidence_per_1000, 2),
            ),
            ("average cost".into(), amount(rates.average_cost)),
            ("risk cost per member-year".into(), amount(rates.risk_cost)),
            (
                "risk cost per family-year".into(),
                amount(summary.risk_cost_per_family),
            ),
        ],
        currency: currency.map(str::to_string),
        facts: vec![
            ("from".into(), settings.from.to_string()),
            ("to".into(), settings.to.to_string()),
            ("split by".into(), settings.split.name().into()),
            ("age bands".into(), settings.age_bands.join(", ")),
            ("duration bands".into(), settings.duration_bands.join(", ")),
            (
                "GLM factors".into(),
                glm.factors
                    .iter()
                    .map(|f| f.name())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
            ("members".into(), grouped(settings.members as f64, 0)),
            (
                "claims given".into(),
                grouped(settings.claims_given as f64, 0),
            ),
        ],
        warning_label: WARNING.into(),
        warnings: Vec::new(),
        notes,
        tables,
        trends: Vec::new(),
        funnels: Vec::new(),
        charts: charts(experience),
    }
}

fn summary(experience: &Experience) -> ReportTable {
    let s = &experience.summary;
    let r = &s.rates;
    let rows: Vec<(&str, Cell)> = vec![
        ("member-years (active)", Cell::Number(r.exposure, 1)),
        (
            "member-years (pending)",
            Cell::Number(s.pending_exposure, 1),
        ),
        ("family-years", Cell::Number(s.family_exposure, 1)),
        ("average family size", number(s.average_family_size, 2)),
        (
            "average family size with pending members",
            number(s.average_family_size_with_pending, 2),
        ),
        ("claims", Cell::Number(r.claims as f64, 0)),
        (
            "incidence per 1,000 members",
            number(r.incidence_per_1000, 2),
        ),
        (
            "incidence per 1,000 families",
            number(s.incidence_per_1000_families, 2),
        ),
        ("average claimed", number(r.average_claimed, 2)),
        ("average approved", number(r.average_approved, 2)),
        ("average paid", number(r.average_paid, 2)),
        ("average cost", number(r.average_cost, 2)),
        ("average length of stay", number(r.alos, 2)),
        ("bed days per 1,000", number(r.bed_days_per_1000, 1)),
        ("risk cost per member-year", number(r.risk_cost, 2)),
        (
            "risk cost per family-year",
            number(s.risk_cost_per_family, 2),
        ),
        (
            "claims of unknown members",
            Cell::Number(s.outside.unknown_member as f64, 0),
        ),
        (
            "claims outside cover",
            Cell::Number(s.outside.not_covered as f64, 0),
        ),
        (
            "claims of pending members",
            Cell::Number(s.outside.pending as f64, 0),
        ),
        (
            "rejected claims",
            Cell::Number(s.outside.rejected as f64, 0),
        ),
    ];
    ReportTable::new(
        "summary",
        "Summary",
        &["measure", "value"],
        rows.into_iter()
            .map(|(name, value)| vec![label(name), value])
            .collect(),
    )
}

fn periods(experience: &Experience) -> ReportTable {
    let rows = experience
        .periods
        .iter()
        .map(|p| {
            let mut row = vec![text(&p.period)];
            row.extend(rate_cells(&p.rates));
            row.extend([
                Cell::Number(p.pending_exposure, 1),
                Cell::Number(p.family_exposure, 1),
                number(p.average_family_size, 2),
            ]);
            row
        })
        .collect();
    rates_table(
        "periods",
        "By period",
        &["period"],
        &["pending exposure", "family exposure", "family size"],
        rows,
    )
}

fn base_table(experience: &Experience) -> ReportTable {
    let rows = experience
        .base_table
        .iter()
        .map(|line| {
            let mut row = vec![
                // The engine names the line of every category together "total".
                match (line.clinical_category.as_str(), &line.specialty) {
                    ("total", None) => label("total"),
                    (category, _) => text(category),
                },
                text(line.specialty.as_deref().unwrap_or("")),
            ];
            row.extend(rate_cells(&line.rates));
            row.extend([number(line.risk_cost_per_family, 2), share(line.cost_share)]);
            let completed = line.completed.as_ref();
            row.extend([
                number(completed.and_then(|c| c.incidence_per_1000), 2),
                number(completed.and_then(|c| c.average_cost), 2),
                number(completed.and_then(|c| c.risk_cost), 2),
            ]);
            row
        })
        .collect();
    let mut table = rates_table(
        "base_table",
        "Base table by clinical category and specialty (rates per member-year of the whole population)",
        &["clinical category", "specialty"],
        &[
            "risk cost per family",
            "share of cost",
            "completed per 1,000",
            "completed avg cost",
            "completed risk cost",
        ],
        rows,
    );
    table.heat = Heat::ByColumn;
    table
}

/// Each month's completion factors, and what the data held of it.
fn completion(completion: &Completion) -> ReportTable {
    ReportTable::new(
        "completion",
        "Completion of recent months (chain ladder on the reporting delays)",
        &[
            "month incurred",
            "months developed",
            "claims",
            "claims factor",
            "cost",
            "cost factor",
        ],
        completion
            .months
            .iter()
            .map(|month| {
                vec![
                    text(&month.month),
                    Cell::Number(f64::from(month.developed_months), 0),
                    Cell::Number(month.claims as f64, 0),
                    Cell::Number(month.claims_factor, 4),
                    money(month.cost),
                    Cell::Number(month.cost_factor, 4),
                ]
            })
            .collect(),
    )
}

fn one_way(one_way: &OneWay) -> ReportTable {
    let rows = one_way
        .levels
        .iter()
        .map(|level| {
            let mut row = vec![self::level(&level.level)];
            row.extend(rate_cells(&level.rates));
            row.extend([
                number(level.incidence_relativity, 4),
                number(level.cost_relativity, 4),
                number(level.alos_relativity, 4),
                number(level.risk_cost_relativity, 4),
            ]);
            row
        })
        .collect();
    let name = one_way.factor.name();
    let mut table = rates_table(
        &format!("relativities_{name}"),
        &format!("One-way relativities by {name}"),
        &[name],
        &[
            "incidence relativity",
            "cost relativity",
            "alos relativity",
            "risk cost relativity",
        ],
        rows,
    );
    table.facts = vec![("base level".into(), one_way.base.clone())];
    table
}

/// A fitted GLM's coefficients with their standard errors and, with a log link, relativities
/// and 95% intervals; the fit's family, link, deviance and AIC in the table's facts.
pub fn coefficients(name: &str, title: &str, fit: &GlmFit) -> ReportTable {
    let rows = fit
        .coefficients
        .iter()
        .map(|c| {
            vec![
                text(&c.name),
                Cell::Number(c.estimate, 6),
                Cell::Number(c.std_error, 6),
                Cell::Number(c.statistic, 3),
                number(c.relativity, 4),
                number(c.lower, 4),
                number(c.upper, 4),
            ]
        })
        .collect();
    let mut table = ReportTable::new(
        name,
        title,
        &[
            "coefficient",
            "estimate",
            "std error",
            "z or t",
            "relativity",
            "lower 95%",
            "upper 95%",
        ],
        rows,
    );
    // The fit's measures, as R's summary gives them.
    table.facts = vec![
        ("family".into(), fit.family.name().into()),
        ("link".into(), fit.link.name().into()),
        ("deviance".into(), format!("{:.4}", fit.deviance)),
        ("degrees of freedom".into(), fit.df_residual.to_string()),
        ("null deviance".into(), format!("{:.4}", fit.null_deviance)),
        ("null degrees of freedom".into(), fit.df_null.to_string()),
        ("dispersion".into(), format!("{:.6}", fit.dispersion)),
        ("AIC".into(), format!("{:.2}", fit.aic)),
    ];
    table
}

fn locations(experience: &Experience) -> ReportTable {
    let rows = experience
        .locations
        .iter()
        .map(|l| {
            std::iter::once(level(&l.location))
                .chain(rate_cells(&l.rates))
                .collect()
        })
        .collect();
    rates_table("locations", "By location", &["location"], &[], rows)
}

fn claimed_paid(experience: &Experience) -> ReportTable {
    ReportTable::new(
        "claimed_paid",
        "Claimed and paid by year of incurral (every claim received)",
        &[
            "year",
            "claims",
            "claimed",
            "rejected claims",
            "refused",
            "approved",
            "paid",
            "approved, not paid",
            "paid share of claimed",
        ],
        experience
            .diagnostics
            .claimed_paid
            .iter()
            .map(|y| {
                vec![
                    text(&y.year.to_string()),
                    Cell::Number(y.claims as f64, 0),
                    money(y.claimed),
                    Cell::Number(y.rejected_claims as f64, 0),
                    money(y.refused),
                    money(y.approved),
                    money(y.paid),
                    money(y.unpaid),
                    share(y.paid_share),
                ]
            })
            .collect(),
    )
}

fn limits(experience: &Experience) -> ReportTable {
    ReportTable::new(
        "limits",
        "Claims at or above the annual limits",
        &["reason", "claims", "claimed", "approved"],
        experience
            .diagnostics
            .limits
            .iter()
            .map(|l| {
                vec![
                    match l.reason.as_str() {
                        "annual limit reached" => label(&l.reason),
                        // A limit-raising case is the scheme's own name.
                        _ => text(&l.reason),
                    },
                    Cell::Number(l.claims as f64, 0),
                    money(l.claimed),
                    money(l.approved),
                ]
            })
            .collect(),
    )
}

fn ownership(experience: &Experience) -> ReportTable {
    ReportTable::new(
        "ownership",
        "Public and private facilities",
        &[
            "ownership",
            "claims",
            "share of claims",
            "cost",
            "avg cost",
            "alos",
        ],
        experience
            .diagnostics
            .ownership
            .iter()
            .map(|o| {
                vec![
                    label(&o.ownership),
                    Cell::Number(o.claims as f64, 0),
                    share(o.claims_share),
                    money(o.cost),
                    number(o.average_cost, 2),
                    number(o.alos, 2),
                ]
            })
            .collect(),
    )
}

fn cells(experience: &Experience) -> ReportTable {
    let mut table = ReportTable::new(
        "cells",
        "Cells (the GLMs' data; carepool glm --data reads this table)",
        &[
            "period",
            "age",
            "sex",
            "area",
            "duration",
            "exposure",
            "pending_exposure",
            "claims",
            "cost",
            "average_cost",
            "bed_days",
        ],
        experience
            .cells
            .iter()
            .map(|c| {
                vec![
                    text(&c.period),
                    text(&c.age),
                    text(&c.sex),
                    text(&c.area),
                    text(&c.duration),
                    // Enough digits for a GLM refitted on the cells to give the study's own.
                    Cell::Number(c.exposure, 12),
                    Cell::Number(c.pending_exposure, 12),
                    Cell::Number(c.claims as f64, 0),
                    money(c.cost),
                    number(c.average_cost, 12),
                    Cell::Number(c.bed_days as f64, 0),
                ]
            })
            .collect(),
    );
    table.header_for_programs = true;
    table
}

fn charts(experience: &Experience) -> Vec<BarChart> {
    let mut charts = vec![BarChart {
        title: "Member-years by period: active and pending".into(),
        categories: experience
            .periods
            .iter()
            .map(|p| p.period.clone())
            .collect(),
        series: vec![
            (
                "active".into(),
                experience
                    .periods
                    .iter()
                    .map(|p| p.rates.exposure)
                    .collect(),
            ),
            (
                "pending".into(),
                experience
                    .periods
                    .iter()
                    .map(|p| p.pending_exposure)
                    .collect(),
            ),
        ],
        decimals: 0,
    }];
    for factor in [Factor::Age, Factor::Sex] {
        if let Some(one_way) = experience.relativities.iter().find(|o| o.factor == factor) {
            charts.push(BarChart {
                // The base level is the one at 1, and the relativities' table names it.
                title: format!("Incidence relativity by {}", factor.name()),
                categories: one_way.levels.iter().map(|l| l.level.clone()).collect(),
                series: vec![(
                    "incidence relativity".into(),
                    one_way
                        .levels
                        .iter()
                        .map(|l| l.incidence_relativity.unwrap_or(0.0))
                        .collect(),
                )],
                decimals: 2,
            });
        }
    }
    let lines: Vec<_> = experience
        .base_table
        .iter()
        .filter(|l| l.clinical_category != "total" || l.specialty.is_some())
        .collect();
    charts.push(BarChart {
        title: "Risk cost per member-year by line of the base table".into(),
        categories: lines
            .iter()
            .map(|l| match &l.specialty {
                Some(specialty) => format!("{} {specialty}", l.clinical_category),
                None => l.clinical_category.clone(),
            })
            .collect(),
        series: vec![(
            "risk cost".into(),
            lines
                .iter()
                .map(|l| l.rates.risk_cost.unwrap_or(0.0))
                .collect(),
        )],
        decimals: 2,
    });
    charts
}

/// A GLM fitted on a table, as a report.
pub fn glm_report(fit: &GlmFit, data: &str) -> Report {
    Report {
        title: format!("GLM on {data}"),
        headline: vec![],
        currency: None,
        facts: vec![
            ("family".into(), fit.family.name().into()),
            ("link".into(), fit.link.name().into()),
            ("observations".into(), fit.observations.to_string()),
            ("deviance".into(), format!("{:.6}", fit.deviance)),
            ("null deviance".into(), format!("{:.6}", fit.null_deviance)),
            (
                "residual degrees of freedom".into(),
                fit.df_residual.to_string(),
            ),
            ("dispersion".into(), format!("{:.6}", fit.dispersion)),
            ("AIC".into(), format!("{:.4}", fit.aic)),
            ("iterations".into(), fit.iterations.to_string()),
        ],
        warning_label: WARNING.into(),
        warnings: Vec::new(),
        notes: fit
            .factors
            .iter()
            .map(|f| {
                Sentence::new(
                    Words::new(
                        "glm-base-level",
                        [
                            ("factor", Figure::text(&f.factor)),
                            ("base", Figure::text(&f.base)),
                        ],
                    ),
                    format!("{}: base level {} (relativity 1)", f.factor, f.base),
                )
            })
            .collect(),
        tables: vec![coefficients("coefficients", "Coefficients", fit)],
        trends: Vec::new(),
        funnels: Vec::new(),
        charts: vec![],
    }
}
