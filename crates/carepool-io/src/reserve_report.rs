//! A reserve study as a report: the results per origin and in total, the development factors,
//! and the triangle (cumulative, incremental and link ratios, as heat maps on the HTML page).

use crate::report::{BarChart, Cell, Heat, Report, ReportTable, WARNING};
use carepool_actuarial::{OriginReserve, Reserve};

/// Decimals of amounts (or counts) and of factors.
const VALUE: u8 = 0;
const FACTOR: u8 = 4;

/// `currency` is the amounts' when known (a study of the database's claims).
pub fn reserve_report(reserve: &Reserve, currency: Option<&str>) -> Report {
    Report {
        title: title(reserve).into(),
        headline: headline(reserve),
        currency: currency
            .filter(|_| !reserve.counts_claims())
            .map(str::to_string),
        facts: facts(reserve),
        warning_label: WARNING.into(),
        warnings: reserve.warnings.clone(),
        notes: reserve.notes.clone(),
        tables: vec![
            results(reserve),
            factors(reserve),
            triangle_table(
                reserve,
                "triangle",
                "Cumulative triangle",
                Heat::Whole,
                |t| numbers(&t.cumulative, VALUE),
            ),
            triangle_table(
                reserve,
                "incremental",
                "Incremental triangle",
                Heat::Whole,
                |t| numbers(&t.incremental, VALUE),
            ),
            triangle_table(
                reserve,
                "link_ratios",
                "Link ratios (coloured within each development)",
                Heat::ByColumn,
                |t| {
                    t.link_ratios
                        .iter()
                        .map(|row| {
                            row.iter()
                                .map(|r| r.map_or(Cell::Empty, |r| Cell::Number(r, FACTOR)))
                                .collect()
                        })
                        .collect()
                },
            ),
        ],
        trends: Vec::new(),
        funnels: Vec::new(),
        charts: vec![BarChart {
            title: "Ultimate by origin: known to date and still to come".into(),
            categories: reserve.origins.iter().map(|o| o.origin.clone()).collect(),
            series: vec![
                (
                    match reserve.development {
                        "paid" => "paid to date",
                        _ => "reported to date",
                    }
                    .into(),
                    reserve.origins.iter().map(|o| o.latest).collect(),
                ),
                (
                    "reserve".into(),
                    reserve.origins.iter().map(|o| o.reserve).collect(),
                ),
            ],
            decimals: 0,
        }],
    }
}

/// The title names the method; whole, so that a catalogue can say it.
fn title(reserve: &Reserve) -> &'static str {
    match reserve.method {
        "mack" => "Reserves: chain ladder with Mack's standard errors",
        "bf" => "Reserves: Bornhuetter-Ferguson",
        "benktander" => "Reserves: Benktander",
        "cape-cod" => "Reserves: Cape Cod",
        _ => "Reserves: chain ladder",
    }
}

/// The totals: ultimate, reserve, IBNR and RBNP where known, and what is still owed in all.
fn headline(reserve: &Reserve) -> Vec<(String, Cell)> {
    let total = &reserve.total;
    // Counts of claims are not money.
    let value = |v: f64| match reserve.counts_claims() {
        true => Cell::Number(v, 0),
        false => Cell::Amount(v),
    };
    let mut headline = vec![
        ("ultimate".to_string(), value(total.ultimate)),
        ("reserve".to_string(), value(total.reserve)),
    ];
    if let Some(ibnr) = total.ibnr {
        headline.push(("IBNR".into(), value(ibnr)));
    }
    if let Some(rbnp) = total.rbnp {
        headline.push(("RBNP".into(), value(rbnp)));
    }
    if let Some(owed) = reserve.still_owed() {
        headline.push(("still owed (IBNR + RBNP)".into(), value(owed)));
    }
    if let Some(error) = total.standard_error {
        headline.push(("standard error".into(), value(error)));
    }
    headline
}

fn facts(reserve: &Reserve) -> Vec<(String, String)> {
    let mut facts = vec![("method".to_string(), reserve.method.to_string())];
    let mut add = |name: &str, value: Option<String>| {
        if let Some(value) = value {
            facts.push((name.to_string(), value));
        }
    };
    add("valuation date", reserve.valuation.map(|d| d.to_string()));
    add("origin period", reserve.origin_period.map(str::to_string));
    add("development", Some(reserve.development.to_string()));
    add("measure", reserve.measure.map(str::to_string));
    add("average", Some(reserve.average.clone()));
    add(
        "excluded links",
        (!reserve.excluded.is_empty()).then(|| {
            reserve
                .excluded
                .iter()
                .map(|e| format!("{}:{}", e.origin, e.lag))
                .collect::<Vec<_>>()
                .join(", ")
        }),
    );
    add("tail factor", Some(reserve.tail.to_string()));
    add("last sigma", reserve.sigma_rule.map(str::to_string));
    add("loss ratio", reserve.loss_ratio.map(|r| format!("{r:.4}")));
    add("iterations", reserve.iterations.map(|n| n.to_string()));
    facts
}

fn results(reserve: &Reserve) -> ReportTable {
    let rows: Vec<&OriginReserve> = reserve
        .origins
        .iter()
        .chain(std::iter::once(&reserve.total))
        .collect();
    // A column appears when some row has it: exposure, IBNR and RBNP, standard errors.
    type Column = (&'static str, fn(&OriginReserve) -> Option<f64>, u8);
    let columns: [Column; 9] = [
        ("exposure", |o| o.exposure, VALUE),
        ("latest", |o| Some(o.latest), VALUE),
        ("to ultimate", |o| o.to_ultimate, FACTOR),
        ("ultimate", |o| Some(o.ultimate), VALUE),
        ("reserve", |o| Some(o.reserve), VALUE),
        ("ibnr", |o| o.ibnr, VALUE),
        ("rbnp", |o| o.rbnp, VALUE),
        ("standard error", |o| o.standard_error, VALUE),
        (
            "cv",
            |o| {
                o.standard_error
                    .filter(|_| o.reserve != 0.0)
                    .map(|se| se / o.reserve)
            },
            FACTOR,
        ),
    ];
    let shown: Vec<&Column> = columns
        .iter()
        .filter(|(_, value, _)| rows.iter().any(|o| value(o).is_some()))
        .collect();
    ReportTable {
        name: "results".into(),
        title: "Results by origin".into(),
        facts: Vec::new(),
        header: std::iter::once("origin")
            .chain(shown.iter().map(|(name, _, _)| *name))
            .map(str::to_string)
            .collect(),
        rows: rows
            .iter()
            .map(|o| {
                // The total's row is named by the report, the others by their origin.
                let name = match std::ptr::eq(*o, &reserve.total) {
                    true => Cell::Label(o.origin.clone()),
                    false => Cell::Text(o.origin.clone()),
                };
                std::iter::once(name)
                    .chain(shown.iter().map(|(_, value, decimals)| {
                        value(o).map_or(Cell::Empty, |v| Cell::Number(v, *decimals))
                    }))
                    .collect()
            })
            .collect(),
        header_for_programs: false,
        heat: Heat::None,
    }
}

fn factors(reserve: &Reserve) -> ReportTable {
    let lags = reserve.to_ultimate.len();
    ReportTable::new(
        "factors",
        "Development factors",
        &["development", "factor to next", "to ultimate"],
        (0..lags)
            .map(|k| {
                let to_next = match reserve.factors.get(k) {
                    Some(factor) => Cell::Number(*factor, FACTOR),
                    None => Cell::Number(reserve.tail, FACTOR),
                };
                // The last factor to next is the tail's, from the last development on.
                let label = match k + 1 == lags {
                    true => Cell::Label("tail".into()),
                    false => Cell::Text(k.to_string()),
                };
                vec![label, to_next, Cell::Number(reserve.to_ultimate[k], FACTOR)]
            })
            .collect(),
    )
}

fn numbers(rows: &[Vec<f64>], decimals: u8) -> Vec<Vec<Cell>> {
    rows.iter()
        .map(|row| row.iter().map(|v| Cell::Number(*v, decimals)).collect())
        .collect()
}

/// A triangle as a table: one row per origin, one column per development lag from 0.
fn triangle_table(
    reserve: &Reserve,
    name: &str,
    title: &str,
    heat: Heat,
    cells: impl Fn(&carepool_actuarial::TriangleTables) -> Vec<Vec<Cell>>,
) -> ReportTable {
    let triangle = &reserve.triangle;
    let body = cells(triangle);
    let columns = body.first().map_or(0, Vec::len);
    ReportTable {
        name: name.into(),
        title: title.into(),
        facts: Vec::new(),
        header: std::iter::once("origin".to_string())
            .chain((0..columns).map(|k| k.to_string()))
            .collect(),
        rows: triangle
            .origins
            .iter()
            .zip(body)
            .map(|(origin, mut row)| {
                row.resize(columns, Cell::Empty);
                std::iter::once(Cell::Text(origin.clone()))
                    .chain(row)
                    .collect()
            })
            .collect(),
        header_for_programs: false,
        heat,
    }
}
