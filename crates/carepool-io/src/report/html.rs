//! The report as one self-contained HTML page: no script, no outside file, so it can be mailed
//! or opened from a USB stick. Numbers are coloured by size where the table asks for a heat map;
//! charts are inline SVG.

use super::{BarChart, Cell, FunnelChart, Heat, Report, ReportTable, TrendChart, grouped};
use maud::{DOCTYPE, Markup, PreEscaped, html};

const STYLE: &str = "
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1b1f24; max-width: 80rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { padding: 0.25rem 0.6rem; border-bottom: 1px solid #dde1e6; }
th { background: #f3f5f7; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2rem 1rem; }
dt { font-weight: 600; } dd { margin: 0; }
.notes { background: #fff8e1; padding: 0.5rem 1rem; border-left: 4px solid #f0b400; }
.headline { font-size: 1.1rem; } .headline dd { font-weight: 600; font-variant-numeric: tabular-nums; }
.more { color: #57606a; font-style: italic; }
svg text { font-size: 12px; font-family: system-ui, sans-serif; }
svg { max-width: 100%; height: auto; }
.scroll { overflow-x: auto; max-width: 100%; }
.trends { display: grid; grid-template-columns: repeat(auto-fill, minmax(19rem, 1fr)); gap: 0.5rem 1.5rem; margin-top: 1.5rem; }
.trends figure { margin: 0; } .trends figcaption { font-weight: 600; font-size: 0.9rem; }
.funnels { display: grid; grid-template-columns: repeat(auto-fill, minmax(26rem, 1fr)); gap: 1rem 2rem; margin-top: 1.5rem; }
.funnels figure { margin: 0; } .funnels figcaption { font-weight: 600; font-size: 0.9rem; }
@media (max-width: 40rem) {
  body { margin: 1rem; }
  dl { grid-template-columns: minmax(0, 1fr); gap: 0; }
  dd { margin-bottom: 0.5rem; }
}
@media print { .scroll { overflow: visible; } }
";

const PALETTE: [&str; 4] = ["#2f6db5", "#e08a1e", "#4c9a5b", "#9b59b6"];

pub fn render(report: &Report) -> String {
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (report.title) }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { (report.title) }
                @if let Some(currency) = &report.currency {
                    p { "Amounts in " (currency) "." }
                }
                @if !report.headline.is_empty() {
                    dl class="headline" {
                        @for (name, value) in &report.headline {
                            dt { (name) }
                            dd {
                                (shown(value))
                                @if let (Cell::Amount(_), Some(currency)) = (value, &report.currency) {
                                    " " (currency)
                                }
                            }
                        }
                    }
                }
                dl {
                    @for (name, value) in &report.facts {
                        dt { (name) } dd { (value) }
                    }
                }
                @if !report.warnings.is_empty() || !report.notes.is_empty() {
                    div class="notes" {
                        @for warning in &report.warnings { p { strong { (report.warning_label) ": " } (warning) } }
                        @for note in &report.notes { p { (note) } }
                    }
                }
                @for chart in &report.charts {
                    @if chart.series.len() == 1 && chart.series[0].1.iter().any(|v| *v < 0.0) {
                        (diverging_chart(chart))
                    } @else {
                        (bar_chart(chart))
                    }
                }
                @if !report.trends.is_empty() {
                    div class="trends" {
                        @for trend in &report.trends { (trend_chart(trend)) }
                    }
                }
                @if !report.funnels.is_empty() {
                    div class="funnels" {
                        @for funnel in &report.funnels { (funnel_chart(funnel)) }
                    }
                }
                @for table in &report.tables { (table_markup(table)) }
            }
        }
    };
    page.into_string()
}

/// The most rows a table shows on the page: a study's cells may be a million; the CSV and the
/// workbook hold them all.
pub const MAX_PAGE_ROWS: usize = 500;

/// A cell as the page shows it: numbers grouped, shares as percentages, years as they are.
fn shown(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) | Cell::Label(text) => text.clone(),
        Cell::Said(sentence) => sentence.text.clone(),
        Cell::Number(value, decimals) => grouped(*value, *decimals),
        Cell::Share(share) => format!("{}%", super::fixed(share * 100.0, 2)),
        Cell::Year(year) => year.to_string(),
        Cell::Amount(value) => grouped(*value, 2),
        Cell::Empty => String::new(),
    }
}

/// The background of a number at `share` (0 to 1) of its scale: pale to deep blue.
fn heat_style(share: f64) -> String {
    let lightness = 97.0 - 52.0 * share.clamp(0.0, 1.0);
    let ink = if lightness < 60.0 { "#fff" } else { "#1b1f24" };
    format!("background: hsl(212, 65%, {lightness:.0}%); color: {ink}")
}

/// The (least, greatest) number each column is coloured against.
fn heat_scales(table: &ReportTable) -> Vec<Option<(f64, f64)>> {
    let numbers = |column: Option<usize>| -> Option<(f64, f64)> {
        let values = table.rows.iter().flat_map(|row| {
            row.iter()
                .enumerate()
                .filter(move |(c, _)| column.is_none_or(|wanted| *c == wanted))
                .filter_map(|(_, cell)| match cell {
                    Cell::Number(value, _) => Some(*value),
                    _ => None,
                })
        });
        values.fold(None, |range, v| match range {
            None => Some((v, v)),
            Some((low, high)) => Some((f64::min(low, v), f64::max(high, v))),
        })
    };
    let columns = table.header.len();
    match table.heat {
        Heat::None => vec![None; columns],
        Heat::Whole => vec![numbers(None); columns],
        Heat::ByColumn => (0..columns).map(|c| numbers(Some(c))).collect(),
    }
}

fn table_markup(table: &ReportTable) -> Markup {
    let scales = heat_scales(table);
    let more = table.rows.len().saturating_sub(MAX_PAGE_ROWS);
    html! {
        h2 { (table.title) }
        @if !table.facts.is_empty() {
            p class="table-facts" {
                @for (i, (name, value)) in table.facts.iter().enumerate() {
                    @if i > 0 { " · " }
                    (name) ": " (value)
                }
            }
        }
        @if table.rows.is_empty() {
            p class="more" { "No rows: nothing in the data falls in this table." }
        } @else {
            // A wide table scrolls within the page on a phone instead of widening it.
            div class="scroll" { table {
                thead { tr { @for name in &table.header { th { (name) } } } }
                tbody {
                    @for row in table.rows.iter().take(MAX_PAGE_ROWS) {
                        tr {
                            @for (c, cell) in row.iter().enumerate() {
                                @match cell {
                                    Cell::Text(text) | Cell::Label(text) => td { (text) },
                                    Cell::Said(sentence) => td { (sentence.text) },
                                    Cell::Empty => td {},
                                    Cell::Number(value, decimals) => {
                                        @let style = scales.get(c).copied().flatten().map(|(low, high)| {
                                            heat_style(if high > low { (value - low) / (high - low) } else { 0.0 })
                                        });
                                        td class="n" style=[style] { (grouped(*value, *decimals)) }
                                    }
                                    other => td class="n" { (shown(other)) },
                                }
                            }
                        }
                    }
                }
            } }
            @if more > 0 {
                p class="more" {
                    "… and " (grouped(more as f64, 0)) " more rows: the CSV (" (table.name) ") and the workbook hold all " (grouped(table.rows.len() as f64, 0)) "."
                }
            }
        }
    }
}

/// The height of a chart's row.
const ROW: f64 = 22.0;

/// Room for the longest category's name, at about 7 pixels a character.
fn label_width(chart: &BarChart) -> f64 {
    let longest = chart
        .categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0);
    (longest as f64 * 7.0 + 12.0).max(90.0)
}

/// Horizontal bars, one per category, each stacked from the series' values.
fn bar_chart(chart: &BarChart) -> Markup {
    const BARS: f64 = 520.0;
    let label = label_width(chart);
    let totals: Vec<f64> = (0..chart.categories.len())
        .map(|i| chart.series.iter().map(|(_, v)| v[i].max(0.0)).sum())
        .collect();
    let greatest = totals.iter().copied().fold(0.0, f64::max);
    let scale = if greatest > 0.0 { BARS / greatest } else { 0.0 };
    let height = ROW * (chart.categories.len() as f64 + 2.0);
    let width = label + BARS + 110.0;
    html! {
        h2 { (chart.title) }
        svg xmlns="http://www.w3.org/2000/svg" width=(width) height=(height)
            viewBox=(format!("0 0 {width} {height}")) role="img" aria-label=(chart.title) {
            @for (i, category) in chart.categories.iter().enumerate() {
                @let y = ROW * i as f64;
                text x=(label - 6.0) y=(y + 15.0) text-anchor="end" { (category) }
                @for (x, w, s) in segments(chart, i, label, scale) {
                    @let (name, values) = &chart.series[s];
                    rect x=(x) y=(y + 3.0) width=(w) height=(ROW - 6.0) fill=(PALETTE[s % PALETTE.len()]) {
                        title { (name) ": " (grouped(values[i], chart.decimals)) }
                    }
                }
                text x=(label + totals[i] * scale + 6.0) y=(y + 15.0) { (grouped(totals[i], chart.decimals)) }
            }
            @for (s, (name, _)) in chart.series.iter().enumerate() {
                @let x = label + 130.0 * s as f64;
                @let y = ROW * (chart.categories.len() as f64 + 0.5);
                rect x=(x) y=(y) width="12" height="12" fill=(PALETTE[s % PALETTE.len()]) {}
                text x=(x + 18.0) y=(y + 11.0) { (name) }
            }
        }
    }
}

/// One series with values either side of 0, drawn left and right of an axis: a tornado chart
/// when the categories come sorted by size.
fn diverging_chart(chart: &BarChart) -> Markup {
    const HALF: f64 = 260.0;
    let (name, values) = &chart.series[0];
    let label = label_width(chart);
    let greatest = values.iter().map(|v| v.abs()).fold(0.0, f64::max);
    let scale = if greatest > 0.0 { HALF / greatest } else { 0.0 };
    let axis = label + HALF + 60.0;
    let height = ROW * (chart.categories.len() as f64 + 1.0);
    html! {
        h2 { (chart.title) }
        svg xmlns="http://www.w3.org/2000/svg" width=(axis + HALF + 80.0) height=(height)
            viewBox=(format!("0 0 {} {height}", axis + HALF + 80.0)) role="img" aria-label=(chart.title) {
            line x1=(axis) x2=(axis) y1="0" y2=(height - ROW) stroke="#888" {}
            @for (i, category) in chart.categories.iter().enumerate() {
                @let y = ROW * i as f64;
                @let value = values[i];
                @let width = value.abs() * scale;
                @let x = if value < 0.0 { axis - width } else { axis };
                text x=(label - 6.0) y=(y + 15.0) text-anchor="end" { (category) }
                rect x=(x) y=(y + 3.0) width=(width) height=(ROW - 6.0)
                    fill=(PALETTE[usize::from(value < 0.0)]) {
                    title { (name) ": " (grouped(value, chart.decimals)) }
                }
                @if value < 0.0 {
                    text x=(x - 6.0) y=(y + 15.0) text-anchor="end" { (grouped(value, chart.decimals)) }
                } @else {
                    text x=(x + width + 6.0) y=(y + 15.0) { (grouped(value, chart.decimals)) }
                }
            }
        }
    }
}

/// An indicator over the periods: a line through its values (broken where one is unknown),
/// the scale's ends on the left, the first and last periods below, the latest value beside
/// the title.
fn trend_chart(chart: &TrendChart) -> Markup {
    const WIDTH: f64 = 300.0;
    const HEIGHT: f64 = 112.0;
    // The plot's edges: room for the scale on the left, the periods below.
    const LEFT: f64 = 48.0;
    const RIGHT: f64 = 292.0;
    const TOP: f64 = 8.0;
    const BOTTOM: f64 = 86.0;
    let values: Vec<Option<f64>> = chart.points.iter().map(Cell::value).collect();
    let known = values.iter().flatten().copied();
    let low = known.clone().fold(0.0, f64::min);
    let high = known.fold(0.0, f64::max);
    let high = if high > low { high } else { low + 1.0 };
    let step = (RIGHT - LEFT) / (values.len().max(2) - 1) as f64;
    let at = |i: usize, v: f64| {
        (
            LEFT + step * i as f64,
            BOTTOM - (v - low) / (high - low) * (BOTTOM - TOP),
        )
    };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for (i, value) in values.iter().enumerate() {
        match value {
            Some(v) => {
                let (x, y) = at(i, *v);
                line.push_str(&format!("{x:.1},{y:.1} "));
            }
            None => lines.extend((!line.is_empty()).then(|| std::mem::take(&mut line))),
        }
    }
    lines.extend((!line.is_empty()).then_some(line));
    let scale = |v: f64| match chart.points.iter().find(|c| c.value().is_some()) {
        Some(Cell::Share(_)) if high - low < 0.1 => format!("{:.1}%", v * 100.0),
        Some(Cell::Share(_)) => format!("{:.0}%", v * 100.0),
        _ if high - low < 10.0 => grouped(v, 2),
        _ => compact(v),
    };
    html! {
        figure {
            figcaption {
                (chart.title)
                @if let Some(latest) = chart.points.last().filter(|c| c.value().is_some()) {
                    ": " (shown(latest))
                }
            }
            svg xmlns="http://www.w3.org/2000/svg" width=(WIDTH) height=(HEIGHT)
                viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(chart.title) {
                line x1=(LEFT) x2=(RIGHT) y1=(BOTTOM) y2=(BOTTOM) stroke="#bbb" {}
                text x=(LEFT - 4.0) y=(TOP + 4.0) text-anchor="end" { (scale(high)) }
                text x=(LEFT - 4.0) y=(BOTTOM) text-anchor="end" { (scale(low)) }
                @for points in &lines {
                    polyline points=(points) fill="none" stroke=(PALETTE[0]) stroke-width="2" {}
                }
                @for (i, (value, category)) in values.iter().zip(&chart.categories).enumerate() {
                    @if let Some(v) = value {
                        @let (x, y) = at(i, *v);
                        circle cx=(format!("{x:.1}")) cy=(format!("{y:.1}")) r="2.5" fill=(PALETTE[0]) {
                            title { (category) ": " (shown(&chart.points[i])) }
                        }
                    }
                }
                @if let (Some(first), Some(last)) = (chart.categories.first(), chart.categories.last()) {
                    text x=(LEFT) y=(BOTTOM + 16.0) { (first) }
                    text x=(RIGHT) y=(BOTTOM + 16.0) text-anchor="end" { (last) }
                }
            }
        }
    }
}

/// The standard normal quantiles of the funnel's limits: 95% and 99.8% two-sided.
const FUNNEL_LIMITS: [(f64, &str); 2] = [(1.959_964, "6 3"), (3.090_232, "")];

/// A funnel plot: each unit a dot at its volume and value (a flagged one red and named), the
/// target a line, and the limits two curves either side that narrow as the volume grows.
fn funnel_chart(chart: &FunnelChart) -> Markup {
    const WIDTH: f64 = 420.0;
    const HEIGHT: f64 = 250.0;
    const LEFT: f64 = 52.0;
    const RIGHT: f64 = 410.0;
    const TOP: f64 = 10.0;
    const BOTTOM: f64 = 216.0;
    let volumes = chart.points.iter().map(|p| p.volume);
    let most = volumes.clone().fold(1.0, f64::max);
    let least = volumes.fold(most, f64::min).max(1.0).min(most);
    // The value scale holds every dot and the limits, but not the limits' widest reach at the
    // smallest volumes, which would flatten everything else.
    let (mut low, mut high) = (chart.target, chart.target);
    for point in &chart.points {
        low = low.min(point.value);
        high = high.max(point.value);
    }
    let (reach_low, reach_high) = chart.limits(least, FUNNEL_LIMITS[1].0);
    low =
        low.min(reach_low.max(chart.target - 2.0 * (chart.target - low).max(high - chart.target)));
    high = high
        .max(reach_high.min(chart.target + 2.0 * (high - chart.target).max(chart.target - low)));
    if chart.shares {
        low = low.max(0.0);
        high = high.min(1.0);
    }
    if high <= low {
        high = low + 1.0;
    }
    let x = |volume: f64| LEFT + (volume - 0.0) / most * (RIGHT - LEFT);
    let y = |value: f64| BOTTOM - (value.clamp(low, high) - low) / (high - low) * (BOTTOM - TOP);
    let label = |value: f64| {
        if chart.shares {
            format!("{:.1}%", value * 100.0)
        } else {
            grouped(value, 2)
        }
    };
    let curve = |z: f64, side: usize| -> String {
        (0..=60)
            .map(|i| {
                let volume = least + (most - least) * f64::from(i) / 60.0;
                let (lower, upper) = chart.limits(volume, z);
                let value = if side == 0 { lower } else { upper };
                format!("{:.1},{:.1} ", x(volume), y(value))
            })
            .collect()
    };
    html! {
        figure {
            figcaption { (chart.title) }
            svg xmlns="http://www.w3.org/2000/svg" width=(WIDTH) height=(HEIGHT)
                viewBox=(format!("0 0 {WIDTH} {HEIGHT}")) role="img" aria-label=(chart.title) {
                line x1=(LEFT) x2=(RIGHT) y1=(BOTTOM) y2=(BOTTOM) stroke="#bbb" {}
                line x1=(LEFT) x2=(LEFT) y1=(TOP) y2=(BOTTOM) stroke="#bbb" {}
                text x=(LEFT - 4.0) y=(TOP + 4.0) text-anchor="end" { (label(high)) }
                text x=(LEFT - 4.0) y=(BOTTOM) text-anchor="end" { (label(low)) }
                line x1=(LEFT) x2=(RIGHT) y1=(format!("{:.1}", y(chart.target))) y2=(format!("{:.1}", y(chart.target))) stroke="#57606a" {}
                // The target's value, unless it would sit on the scale's ends.
                @if (y(chart.target) - TOP).abs() > 14.0 && (BOTTOM - y(chart.target)).abs() > 14.0 {
                    text x=(LEFT - 4.0) y=(format!("{:.1}", y(chart.target) + 4.0)) text-anchor="end" { (label(chart.target)) }
                }
                @for (z, dash) in FUNNEL_LIMITS {
                    @for side in 0..2 {
                        polyline points=(curve(z, side)) fill="none" stroke="#8c959f" stroke-width="1" stroke-dasharray=(dash) {}
                    }
                }
                @for point in chart.points.iter().filter(|p| !p.flagged) {
                    circle cx=(format!("{:.1}", x(point.volume))) cy=(format!("{:.1}", y(point.value))) r="3" fill=(PALETTE[0]) fill-opacity="0.7" {
                        title { (point.label) ": " (label(point.value)) ", " (grouped(point.volume, 0)) }
                    }
                }
                @for point in chart.points.iter().filter(|p| p.flagged) {
                    circle cx=(format!("{:.1}", x(point.volume))) cy=(format!("{:.1}", y(point.value))) r="4" fill="#c62828" {
                        title { (point.label) ": " (label(point.value)) ", " (grouped(point.volume, 0)) }
                    }
                    text x=(format!("{:.1}", x(point.volume) + 6.0)) y=(format!("{:.1}", y(point.value) + 4.0)) fill="#c62828" { (point.label) }
                }
                text x=(LEFT) y=(BOTTOM + 16.0) { "0" }
                text x=(RIGHT) y=(BOTTOM + 16.0) text-anchor="end" { (grouped(most, 0)) }
                text x=((LEFT + RIGHT) / 2.0) y=(BOTTOM + 30.0) text-anchor="middle" { (chart.volume_label) }
            }
        }
    }
}

/// A scale's end in a few characters: 950, 12k, 3.5M, 1.2G.
fn compact(value: f64) -> String {
    let size = value.abs();
    let (divisor, suffix) = match size {
        s if s >= 1e9 => (1e9, "G"),
        s if s >= 1e6 => (1e6, "M"),
        s if s >= 1e4 => (1e3, "k"),
        _ => (1.0, ""),
    };
    let scaled = value / divisor;
    let decimals = if suffix.is_empty() || scaled.abs() >= 100.0 {
        0
    } else {
        1
    };
    format!("{}{suffix}", grouped(scaled, decimals))
}

/// Where each series' part of category `i` starts and how wide it is: (x, width, series).
fn segments(chart: &BarChart, i: usize, start: f64, scale: f64) -> Vec<(f64, f64, usize)> {
    let mut x = start;
    (chart.series.iter().enumerate())
        .map(|(s, (_, values))| {
            let width = values[i].max(0.0) * scale;
            x += width;
            (x - width, width, s)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(grouped(18_680_856.4, 0), "18,680,856");
        assert_eq!(grouped(-1234.5, 2), "-1,234.50");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(grouped(-0.001, 2), "0.00");
    }

    #[test]
    fn the_page_escapes_text_colours_heat_tables_and_draws_the_chart() {
        let page = render(&super::super::tests::sample());
        assert!(page.contains("<title>A &lt;study&gt;</title>"));
        // The triangle's greatest value is the deepest colour; the results are not coloured.
        assert!(page.contains("style=\"background: hsl(212, 65%, 45%); color: #fff\">30</td>"));
        assert!(page.contains("<td class=\"n\">1,234.50</td>"));
        assert!(page.contains("<svg"));
        assert!(page.contains("<title>reserve: 10</title>"));
        // Warnings before notes, and a table's facts under its title.
        let warning = page.find("<strong>Warning: </strong>Doubt this.").unwrap();
        assert!(warning < page.find("<p>Read this first.</p>").unwrap());
        assert!(page.contains("<p class=\"table-facts\">base: 2024</p>"));
    }

    /// Headline figures grouped, amounts with the currency, shares as percentages, years as
    /// years; an empty table says so.
    #[test]
    fn the_page_shows_figures_as_a_reader_expects() {
        let page = render(&super::super::tests::sample());
        assert!(page.contains("<p>Amounts in XOF.</p>"), "{page}");
        assert!(
            page.contains("<dt>IBNR</dt><dd>65,411.28 XOF</dd>"),
            "{page}"
        );
        assert!(page.contains("<dd>3.45%</dd>"), "{page}");
        assert!(
            page.contains("<td class=\"n\">2027</td><td class=\"n\">50.00%</td>"),
            "{page}"
        );
        assert!(page.contains("No rows: nothing in the data falls in this table."));
    }

    /// A table of a million cells shows its first rows and says where the rest are.
    #[test]
    fn a_long_table_shows_its_first_rows_and_points_to_the_files() {
        let rows = (0..MAX_PAGE_ROWS + 1234)
            .map(|i| vec![Cell::Number(i as f64, 0)])
            .collect();
        let table = ReportTable::new("cells", "Cells", &["n"], rows);
        let markup = table_markup(&table).into_string();
        assert_eq!(
            markup.matches("<tr>").count(),
            MAX_PAGE_ROWS + 1,
            "the header and 500 rows"
        );
        assert!(
            markup.contains(
                "… and 1,234 more rows: the CSV (cells) and the workbook hold all 1,734."
            ),
            "{markup}"
        );
    }
}
