//! Reports of the actuarial studies, written in the format the output file's extension names:
//! JSON (the study's own documented schema), CSV (one file per table), XLSX (one formatted sheet
//! per table) or a self-contained HTML page with heat maps and SVG charts.

pub(crate) mod html;
mod xlsx;

use crate::whole_file::WholeFile;
use carepool_core::words::Sentence;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};

/// What a report shows, whatever the format.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub title: String,
    /// What the study found, shown first and large: ("IBNR", 65411.28). Amounts among them
    /// are in [`Report::currency`].
    pub headline: Vec<(String, Cell)>,
    /// The currency of the amounts, when known (the database's schemes); shown beside them.
    pub currency: Option<String>,
    /// The settings and basis of the study: ("method", "mack").
    pub facts: Vec<(String, String)>,
    /// The word that marks a warning ([`WARNING`], or a reader's language).
    pub warning_label: String,
    /// What makes the results doubtful, read first.
    pub warnings: Vec<Sentence>,
    /// How to read the results.
    pub notes: Vec<Sentence>,
    pub tables: Vec<ReportTable>,
    pub charts: Vec<BarChart>,
    /// One indicator over time each: a line on the HTML page.
    pub trends: Vec<TrendChart>,
    /// Units against their volume, within limits that narrow as it grows: a funnel plot each.
    pub funnels: Vec<FunnelChart>,
}

/// The word that marks a report's warnings.
pub const WARNING: &str = "Warning";

/// Every note and warning a report may carry, by the id of its words and the figures it
/// quotes: the engines' (reserve, experience study, GLM), the claims file's and the reports'
/// own. A page says them from its catalogue (`note-ID`), which a test holds to this list.
pub const NOTES: &[(&str, &[&str])] = &[
    ("reserve-reported-with-claims", &[]),
    ("reserve-reported", &[]),
    ("reserve-paid-with-claims", &[]),
    ("reserve-paid", &[]),
    ("mack-sigma-mack", &[]),
    ("mack-sigma-log-linear", &[]),
    ("standard-errors-mack-only", &[]),
    ("empty-origin", &["origin"]),
    ("empty-origins", &["count", "first", "last"]),
    ("falling", &["falls", "steps"]),
    ("falling-negative", &["falls", "steps", "origins"]),
    ("paid-without-date", &["file", "count"]),
    ("exposure-days", &[]),
    ("claims-incurred", &[]),
    ("cost-owed", &[]),
    ("factor-not-given", &["factor"]),
    ("silent-period", &["last"]),
    ("silent-periods", &["count", "first", "last"]),
    ("study-ends-today", &["asked", "end"]),
    ("study-ends-with-the-claims", &["asked", "end"]),
    ("glm-factor-left-out", &["factor"]),
    ("glm-unknown-left-out", &["years"]),
    ("glm-aliased", &["model", "term"]),
    ("glm-too-few", &["model", "parameters", "observations"]),
    ("glm-not-converged", &["model", "iterations"]),
    ("glm-no-data", &["model"]),
    ("glm-no-residual", &["model", "parameters"]),
    ("glm-fitted-exactly", &["model"]),
    ("glm-not-fitted", &["model", "error"]),
    ("glm-base-level", &["factor", "base"]),
    ("projection-lines", &[]),
    ("projection-level", &[]),
    ("projection-range", &[]),
    ("costing-cost", &[]),
    ("costing-gap", &[]),
    (
        "early-warning",
        &[
            "line", "measure", "side", "months", "from", "observed", "expected", "low", "high",
        ],
    ),
    ("early-warning-not-watched", &["why"]),
    ("reform-judged", &[]),
    ("reform-contributions-kept", &[]),
    ("reform-changed-listed", &["listed", "count"]),
    ("reform-differs-from-recorded", &["count"]),
];

#[derive(Debug, Clone, PartialEq)]
pub struct ReportTable {
    /// A short name: the sheet's name, and the CSV file's suffix.
    pub name: String,
    pub title: String,
    /// What the title leaves out: the base level of relativities, a model's fit.
    pub facts: Vec<(String, String)>,
    pub header: Vec<String>,
    /// Whether the header is the column names a program reads (`carepool glm --data`), kept
    /// as they are in every language.
    pub header_for_programs: bool,
    pub rows: Vec<Vec<Cell>>,
    pub heat: Heat,
}

impl ReportTable {
    /// A table without a heat map.
    pub fn new(name: &str, title: &str, header: &[&str], rows: Vec<Vec<Cell>>) -> ReportTable {
        ReportTable {
            name: name.into(),
            title: title.into(),
            facts: Vec::new(),
            header: header.iter().map(|h| h.to_string()).collect(),
            header_for_programs: false,
            rows,
            heat: Heat::None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Data, shown as it is in every language: an origin, a level, a code, a name.
    Text(String),
    /// The report's own words (a row's name: total, tail, a summary's measure), which a page
    /// says in its reader's language.
    Label(String),
    /// A number and the decimals it is shown with.
    Number(f64, u8),
    /// A share (0.0345), shown as a percentage (3.45%) on pages and in workbooks; CSV keeps
    /// the fraction for programs.
    Share(f64),
    /// A calendar year: a number, never grouped (2027, not 2,027).
    Year(i32),
    /// An amount of money, shown with two decimals (and its currency in a headline).
    Amount(f64),
    /// A sentence of the report's own (where an input came from), which a page says in its
    /// reader's language; its English elsewhere.
    Said(Sentence),
    Empty,
}

/// Whether the HTML page colours a table's numbers by size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Heat {
    None,
    /// Against every number in the table.
    Whole,
    /// Against the other numbers in the same column.
    ByColumn,
}

/// Bars of one category each, stacked from the series' values.
#[derive(Debug, Clone, PartialEq)]
pub struct BarChart {
    pub title: String,
    pub categories: Vec<String>,
    pub series: Vec<(String, Vec<f64>)>,
    /// Decimals of the values shown beside the bars.
    pub decimals: u8,
}

/// A funnel plot: each unit's value against its volume, with the limits within which a unit
/// like the rest falls 95% and 99.8% of the time: `target ± z × spread / sqrt(volume)`, or on
/// a log scale `target × exp(± z × spread / sqrt(volume))`.
#[derive(Debug, Clone, PartialEq)]
pub struct FunnelChart {
    pub title: String,
    /// What the volume counts (claims, stays).
    pub volume_label: String,
    pub target: f64,
    pub spread: f64,
    pub log_scale: bool,
    /// The values are shares, shown as percentages.
    pub shares: bool,
    pub points: Vec<FunnelMark>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunnelMark {
    pub label: String,
    pub volume: f64,
    pub value: f64,
    /// Flagged by its test: drawn apart, named.
    pub flagged: bool,
}

impl FunnelChart {
    /// The limits at `volume` for a standard normal quantile `z`.
    pub fn limits(&self, volume: f64, z: f64) -> (f64, f64) {
        let half = z * self.spread / volume.max(f64::MIN_POSITIVE).sqrt();
        if self.log_scale {
            (self.target * (-half).exp(), self.target * half.exp())
        } else {
            (self.target - half, self.target + half)
        }
    }
}

/// One value per period, drawn as a line; an empty cell is a gap in it.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendChart {
    pub title: String,
    pub categories: Vec<String>,
    /// Numbers, shares or amounts, shown as the tables show them.
    pub points: Vec<Cell>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Json,
    Csv,
    Xlsx,
    Html,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(
        "{0}: the output format is chosen by the file's extension: .json, .csv, .xlsx or .html"
    )]
    UnknownFormat(PathBuf),
    #[error("cannot write {path}: {message}")]
    Write { path: PathBuf, message: String },
    #[error(
        "--format {given}: one of json, csv (on standard output), or a file's .json, .csv, .xlsx or .html"
    )]
    UnknownFormatName { given: String },
    #[error(
        "--format {given} and --out {path}: the file's extension names its format; leave --format for --out -"
    )]
    FormatDisagrees { given: String, path: PathBuf },
    #[error(
        "--format {given}: standard output takes json or csv; write a workbook or a page to a file"
    )]
    NotForStandardOutput { given: String },
    #[error("cannot write to standard output: {0}")]
    StandardOutput(#[source] std::io::Error),
    #[error(transparent)]
    NotFinite(#[from] carepool_actuarial::NotFinite),
}

impl Format {
    pub fn of_path(path: &Path) -> Result<Format, ReportError> {
        match crate::extension(path).as_deref() {
            Some("htm") => Some(Format::Html),
            Some(extension) => Format::named(extension),
            None => None,
        }
        .ok_or_else(|| ReportError::UnknownFormat(path.to_path_buf()))
    }

    /// The format a name (or an extension) says, in any case: json, csv, xlsx, html.
    fn named(name: &str) -> Option<Format> {
        match name.to_ascii_lowercase().as_str() {
            "json" => Some(Format::Json),
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            "html" => Some(Format::Html),
            _ => None,
        }
    }
}

/// Where a report goes: a file, its format named by its extension, or standard output (`-`),
/// in JSON or CSV.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    File(PathBuf),
    StandardOutput(Format),
}

impl Output {
    /// `--out PATH [--format NAME]`: `-` is standard output, in `NAME` (json by default).
    pub fn of(out: &Path, format: Option<&str>) -> Result<Output, ReportError> {
        let named = |given: &str| {
            Format::named(given).ok_or_else(|| ReportError::UnknownFormatName {
                given: given.to_string(),
            })
        };
        let asked = format.map(named).transpose()?;
        if out == Path::new("-") {
            return match asked.unwrap_or(Format::Json) {
                format @ (Format::Json | Format::Csv) => Ok(Output::StandardOutput(format)),
                _ => Err(ReportError::NotForStandardOutput {
                    given: format.unwrap_or_default().to_string(),
                }),
            };
        }
        let by_extension = Format::of_path(out)?;
        match asked {
            Some(asked) if asked != by_extension => Err(ReportError::FormatDisagrees {
                given: format.unwrap_or_default().to_string(),
                path: out.to_path_buf(),
            }),
            _ => Ok(Output::File(out.to_path_buf())),
        }
    }
}

/// Writes `report` where `output` says: a file (see [`write`]), or standard output, JSON as the
/// study's own structure, CSV as the report's first table; returns the files written.
pub fn write_to(
    report: &Report,
    json: &impl Serialize,
    output: &Output,
) -> Result<Vec<PathBuf>, ReportError> {
    let format = match output {
        Output::File(path) => return write(report, json, path),
        Output::StandardOutput(format) => *format,
    };
    carepool_actuarial::check_finite(json)?;
    let mut out = std::io::stdout().lock();
    let written = match format {
        Format::Json => serde_json::to_writer_pretty(&mut out, json)
            .map_err(std::io::Error::from)
            .and_then(|()| out.write_all(b"\n")),
        _ => {
            let mut writer = csv::Writer::from_writer(&mut out);
            report
                .tables
                .first()
                .map_or(Ok(()), |table| csv_rows(table, &mut writer))
                .and_then(|()| writer.flush().map_err(csv::Error::from))
                .map_err(|error| match error.into_kind() {
                    csv::ErrorKind::Io(io) => io,
                    kind => std::io::Error::other(format!("{kind:?}")),
                })
        }
    };
    written.map_err(ReportError::StandardOutput)?;
    Ok(Vec::new())
}

/// A table's header and rows, as CSV.
fn csv_rows<W: std::io::Write>(
    table: &ReportTable,
    writer: &mut csv::Writer<W>,
) -> csv::Result<()> {
    writer.write_record(&table.header)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(Cell::plain))?;
    }
    Ok(())
}

fn write_error(path: &Path, error: impl std::fmt::Display) -> ReportError {
    ReportError::Write {
        path: path.to_path_buf(),
        message: error.to_string(),
    }
}

/// Writes `report` to `path` in the format its extension names (JSON writes `json`, the
/// study's own structure), and returns every file written: a CSV report writes its first table
/// to `path` and each other table beside it, as `STEM.NAME.csv`.
pub fn write(
    report: &Report,
    json: &impl Serialize,
    path: &Path,
) -> Result<Vec<PathBuf>, ReportError> {
    let format = Format::of_path(path)?;
    // Nothing is written with a figure that is not a number.
    carepool_actuarial::check_finite(json)?;
    match format {
        Format::Json => {
            let text = serde_json::to_string_pretty(json).map_err(|e| write_error(path, e))?;
            write_whole(path, |file| file.write_all((text + "\n").as_bytes()))?;
            Ok(vec![path.to_path_buf()])
        }
        Format::Csv => write_csv(report, path),
        Format::Xlsx => {
            xlsx::write(report, path)?;
            Ok(vec![path.to_path_buf()])
        }
        Format::Html => {
            let page = html::render(report);
            write_whole(path, |file| file.write_all(page.as_bytes()))?;
            Ok(vec![path.to_path_buf()])
        }
    }
}

/// Writes a file whole or not at all (see [`WholeFile`]): a disk that fills midway leaves no
/// half report under `path`, and any report already there as it was.
pub(crate) fn write_whole<E: From<std::io::Error> + std::fmt::Display>(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> Result<(), E>,
) -> Result<(), ReportError> {
    WholeFile::write_with(path, write).map_err(|error| write_error(path, error))
}

impl Cell {
    /// The number a chart draws: none for text or an empty cell.
    pub fn value(&self) -> Option<f64> {
        match self {
            Cell::Number(value, _) | Cell::Share(value) | Cell::Amount(value) => Some(*value),
            Cell::Year(year) => Some(f64::from(*year)),
            Cell::Text(_) | Cell::Label(_) | Cell::Said(_) | Cell::Empty => None,
        }
    }

    /// As CSV and plain text show it: numbers with their decimals, no grouping.
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(text) | Cell::Label(text) => text.clone(),
            Cell::Said(sentence) => sentence.text.clone(),
            Cell::Number(value, decimals) => fixed(*value, *decimals),
            Cell::Share(share) => fixed(*share, 6),
            Cell::Year(year) => year.to_string(),
            Cell::Amount(value) => fixed(*value, 2),
            Cell::Empty => String::new(),
        }
    }
}

/// A number with its decimals and thousands grouped by commas.
pub fn grouped(value: f64, decimals: u8) -> String {
    let text = fixed(value, decimals);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(digits) => ("-", digits),
        None => ("", text.as_str()),
    };
    let (whole, fraction) = digits.split_once('.').map_or((digits, ""), |(w, f)| (w, f));
    let mut out = String::with_capacity(text.len() + whole.len() / 3 + 1);
    out.push_str(sign);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// `value` with `decimals` decimals, and no minus sign on a value that shows as zero.
pub(crate) fn fixed(value: f64, decimals: u8) -> String {
    let text = format!("{value:.*}", usize::from(decimals));
    match text.strip_prefix('-') {
        Some(magnitude) if magnitude.bytes().all(|b| b == b'0' || b == b'.') => {
            magnitude.to_string()
        }
        _ => text,
    }
}

fn write_csv(report: &Report, path: &Path) -> Result<Vec<PathBuf>, ReportError> {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("report");
    let mut written = Vec::with_capacity(report.tables.len());
    for (i, table) in report.tables.iter().enumerate() {
        let target = match i {
            0 => path.to_path_buf(),
            _ => path.with_file_name(format!("{stem}.{}.csv", table.name)),
        };
        write_whole(&target, |file| {
            let mut writer = csv::Writer::from_writer(file);
            csv_rows(table, &mut writer)?;
            writer.flush()
        })?;
        written.push(target);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::whole_file::names_in;
    use carepool_core::words::Words;

    #[test]
    fn a_report_goes_to_a_file_by_its_extension_or_to_standard_output_as_asked() {
        let of = |out: &str, format: Option<&str>| Output::of(Path::new(out), format);
        assert_eq!(of("r.html", None).unwrap(), Output::File("r.html".into()));
        assert_eq!(
            of("r.csv", Some("CSV")).unwrap(),
            Output::File("r.csv".into())
        );
        assert_eq!(of("-", None).unwrap(), Output::StandardOutput(Format::Json));
        assert_eq!(
            of("-", Some("csv")).unwrap(),
            Output::StandardOutput(Format::Csv)
        );
        let said = |out: &str, format: Option<&str>| of(out, format).unwrap_err().to_string();
        assert_eq!(
            said("-", Some("xlsx")),
            "--format xlsx: standard output takes json or csv; write a workbook or a page to a file"
        );
        assert_eq!(
            said("r.json", Some("csv")),
            "--format csv and --out r.json: the file's extension names its format; leave --format for --out -"
        );
        assert!(said("-", Some("yaml")).starts_with("--format yaml: one of json, csv"));
        assert!(said("r.txt", None).contains("chosen by the file's extension"));
    }

    pub(super) fn sample() -> Report {
        Report {
            title: "A <study>".into(),
            headline: vec![
                ("IBNR".into(), Cell::Amount(65411.2786)),
                ("share of GDP".into(), Cell::Share(0.0345)),
            ],
            currency: Some("XOF".into()),
            facts: vec![("method".into(), "mack".into())],
            warning_label: WARNING.into(),
            warnings: vec![Sentence::new(Words::new("doubt", []), "Doubt this.")],
            notes: vec![Sentence::new(Words::new("read", []), "Read this first.")],
            tables: vec![
                ReportTable {
                    name: "results".into(),
                    title: "Results".into(),
                    facts: Vec::new(),
                    header: vec!["origin".into(), "ultimate".into()],
                    header_for_programs: false,
                    rows: vec![
                        vec![Cell::Text("2024".into()), Cell::Number(1234.5, 2)],
                        vec![Cell::Label("total".into()), Cell::Empty],
                    ],
                    heat: Heat::None,
                },
                ReportTable {
                    name: "triangle".into(),
                    title: "Triangle".into(),
                    facts: vec![("base".into(), "2024".into())],
                    header: vec!["origin".into(), "0".into(), "1".into()],
                    header_for_programs: false,
                    rows: vec![
                        vec![
                            Cell::Text("2024".into()),
                            Cell::Number(10.0, 0),
                            Cell::Number(30.0, 0),
                        ],
                        vec![
                            Cell::Text("2025".into()),
                            Cell::Number(20.0, 0),
                            Cell::Empty,
                        ],
                    ],
                    heat: Heat::Whole,
                },
                ReportTable::new(
                    "years",
                    "By year",
                    &["year", "coverage"],
                    vec![vec![Cell::Year(2027), Cell::Share(0.5)]],
                ),
                ReportTable::new("limits", "Limits", &["case", "claims"], vec![]),
            ],
            trends: Vec::new(),
            funnels: Vec::new(),
            charts: vec![BarChart {
                title: "Ultimate".into(),
                categories: vec!["2024".into(), "2025".into()],
                series: vec![
                    ("latest".into(), vec![30.0, 20.0]),
                    ("reserve".into(), vec![0.0, 10.0]),
                ],
                decimals: 0,
            }],
        }
    }

    #[test]
    fn the_extension_chooses_the_format_and_an_unknown_one_is_named() {
        assert_eq!(Format::of_path("a/b.XLSX".as_ref()).unwrap(), Format::Xlsx);
        assert_eq!(Format::of_path("b.htm".as_ref()).unwrap(), Format::Html);
        let error = Format::of_path("b.txt".as_ref()).unwrap_err();
        assert!(error.to_string().starts_with("b.txt: the output format"));
    }

    #[test]
    fn a_value_that_shows_as_zero_has_no_sign() {
        assert_eq!(fixed(-0.0, 0), "0");
        assert_eq!(fixed(-0.004, 2), "0.00");
        assert_eq!(fixed(-0.6, 0), "-1");
        assert_eq!(fixed(1.23456, 4), "1.2346");
    }

    #[test]
    fn a_csv_report_writes_one_file_per_table() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let written = write(&sample(), &(), &path).unwrap();
        assert_eq!(
            written,
            [
                path.clone(),
                dir.path().join("out.triangle.csv"),
                dir.path().join("out.years.csv"),
                dir.path().join("out.limits.csv"),
            ]
        );
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "origin,ultimate\n2024,1234.50\ntotal,\n"
        );
        assert_eq!(
            std::fs::read_to_string(&written[1]).unwrap(),
            "origin,0,1\n2024,10,30\n2025,20,\n"
        );
        // A year as written, a share as its fraction for programs; an empty table, its header.
        assert_eq!(
            std::fs::read_to_string(&written[2]).unwrap(),
            "year,coverage\n2027,0.500000\n"
        );
        assert_eq!(
            std::fs::read_to_string(&written[3]).unwrap(),
            "case,claims\n"
        );
    }

    #[test]
    fn a_report_in_each_format_takes_its_name_whole_and_leaves_nothing_beside_it() {
        for name in ["out.json", "out.xlsx", "out.html"] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(name);
            std::fs::write(&path, "an older report").unwrap();
            write(&sample(), &(), &path).unwrap();
            assert_eq!(names_in(dir.path()), [name], "{name}");
            assert_ne!(std::fs::read(&path).unwrap(), b"an older report", "{name}");
        }
    }

    #[test]
    fn a_report_whose_writing_fails_leaves_the_file_there_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        std::fs::write(&path, "an older report").unwrap();
        let failed = write_whole(&path, |file| {
            file.write_all(b"{\"half\": ")?;
            Err(std::io::Error::other("no space left on device"))
        })
        .unwrap_err();
        assert_eq!(
            failed.to_string(),
            format!("cannot write {}: no space left on device", path.display())
        );
        assert_eq!(names_in(dir.path()), ["out.json"]);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "an older report");
    }
}
