//! Registry CSV files: one file per kind, a header naming the columns (any order; optional columns
//! may be left out), UTF-8, comma-separated. See docs/FORMATS.md.

use crate::csv_lines::{
    LinedReader, QUOTE_LEFT_OPEN, Unreadable, not_separated_by_commas, other_separator,
    quote_left_open,
};
use crate::whole_file::WholeFile;
use crate::workbook::{self, FileKind};
use carepool_schema::{ColumnType, Record, Row, Table, Value};
use carepool_service::{
    ImportMode, ImportProgress, ImportSource, NotWritten, Numbered, Query, REST_UNREADABLE,
    Registry, RowProblem, ServiceError, Slice,
};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum CsvError {
    #[error("{path}: cannot read: {cause}")]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path}: {}", describe(.problems))]
    Rows {
        path: PathBuf,
        problems: Vec<RowProblem>,
    },
    #[error("cannot write {path}: {cause}")]
    Write {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path}: carepool reads and writes .csv and .xlsx files")]
    Extension { path: PathBuf },
    #[error(
        "{path} changed while it was being imported: nothing was written; import it again once it is complete"
    )]
    Changed { path: PathBuf },
    #[error(transparent)]
    Service(#[from] ServiceError),
}

impl CsvError {
    /// Why a file read in parts wrote nothing: the reader's own error, or the registry's
    /// refusal, its rows' problems named against `path`.
    pub(crate) fn not_written(path: &Path, not_written: NotWritten<CsvError>) -> CsvError {
        match not_written {
            NotWritten::Unreadable(error) => error,
            NotWritten::Refused(ServiceError::Invalid(problems)) => CsvError::Rows {
                path: path.to_path_buf(),
                problems,
            },
            NotWritten::Refused(other) => other.into(),
        }
    }

    /// Writing `path` failed for `cause` (for `map_err`).
    pub fn writing(path: &Path) -> impl FnOnce(std::io::Error) -> CsvError + '_ {
        move |cause| CsvError::Write {
            path: path.to_path_buf(),
            cause,
        }
    }
}

fn describe(problems: &[RowProblem]) -> String {
    let shown: Vec<String> = problems.iter().take(20).map(ToString::to_string).collect();
    let more = problems.len().saturating_sub(shown.len());
    let tail = if more > 0 {
        format!("\n  ... and {more} more")
    } else {
        String::new()
    };
    format!(
        "{} problem(s), nothing written:\n  {}{tail}",
        problems.len(),
        shown.join("\n  ")
    )
}

/// What an import did (or, as a dry run, would do).
#[derive(Debug)]
pub struct ImportSummary {
    /// Records written: the new and the changed.
    pub written: u64,
    pub new: u64,
    /// The keys of the records that changed, in the file's order.
    pub changed: Vec<String>,
    /// Records already stored as they are in the file.
    pub unchanged: u64,
    pub rejected: u64,
    /// Approved claims held for review because a death or exit in the file came on or before
    /// their care.
    pub held_for_review: u64,
    /// Where the rejected rows were written, with the reason, when any were (never by a dry
    /// run: its problems are here instead).
    pub rejects_file: Option<PathBuf>,
    /// A dry run's rejected rows, with what is wrong with them.
    pub problems: Vec<RowProblem>,
}

impl ImportSummary {
    /// The rows that went in (or, as a dry run, would) or were stored as they are already.
    pub fn kept(&self) -> u64 {
        self.new + self.changed.len() as u64 + self.unchanged
    }
}

/// Reads `path` as records of `R` and writes them through the registry's checks. All or nothing,
/// unless `mode` is `SkipBad`: then good records are written and bad ones go to `FILE.rejects.csv`.
/// The file is read twice (see [`Registry::import`]); `progress` hears each reading.
pub async fn import_file<R: Record>(
    registry: &Registry,
    path: &Path,
    mode: ImportMode,
    progress: &ImportProgress,
) -> Result<ImportSummary, CsvError> {
    import_or_preview::<R>(registry, path, mode, Some(progress)).await
}

/// What [`import_file`] would do, after the same checks, without writing to the database or a
/// rejects file.
pub async fn preview_file<R: Record>(
    registry: &Registry,
    path: &Path,
    mode: ImportMode,
) -> Result<ImportSummary, CsvError> {
    import_or_preview::<R>(registry, path, mode, None).await
}

/// Imports, or without `progress` (a dry run) only checks and compares.
async fn import_or_preview<R: Record>(
    registry: &Registry,
    path: &Path,
    mode: ImportMode,
    progress: Option<&ImportProgress>,
) -> Result<ImportSummary, CsvError> {
    let mut input = FileSlices::<R>::open(path)?;
    // Decided before anything is written: good rows are kept only if the bad ones can be.
    let rejects = match (mode, progress) {
        (ImportMode::SkipBad, Some(_)) => Some(RejectsFile::create(path)?),
        _ => None,
    };
    let done = match progress {
        Some(progress) => registry.import(&mut input, mode, progress).await,
        None => registry.import_dry_run(&mut input, mode).await,
    };
    let mut report = match done {
        Ok(report) => report,
        Err(not_written) => {
            if let Some(unused) = rejects {
                unused.remove();
            }
            return Err(CsvError::not_written(path, not_written));
        }
    };
    let bad_lines = std::mem::take(&mut report.rejected);
    let mut summary = ImportSummary {
        written: report.written(),
        new: report.new,
        changed: report.changed,
        unchanged: report.unchanged,
        rejected: 0,
        held_for_review: report.held_for_review,
        rejects_file: None,
        problems: Vec::new(),
    };
    if bad_lines.is_empty() {
        if let Some(unused) = rejects {
            unused.remove();
        }
        return Ok(summary);
    }
    let Some(rejects) = rejects else {
        // A dry run: the problems are told, no file written.
        let lines: BTreeSet<u64> = bad_lines.iter().map(|p| p.line).collect();
        summary.rejected = lines.len() as u64;
        summary.problems = bad_lines;
        return Ok(summary);
    };
    let mut reasons: BTreeMap<u64, Vec<String>> = BTreeMap::new();
    for problem in bad_lines {
        // With its line in the input: the rejects file holds the bad lines only.
        reasons
            .entry(problem.line)
            .or_default()
            .push(problem.to_string());
    }
    summary.rejected = reasons.len() as u64;
    summary.rejects_file = Some(rejects.write(path, &reasons)?);
    Ok(summary)
}

/// The records that could be read, and a problem for every field or line that could not. A
/// header that is wrong (a missing required column, an unknown one) refuses the whole file.
pub(crate) fn read_records<R: Record>(
    path: &Path,
) -> Result<(Vec<Numbered<R>>, Vec<RowProblem>), CsvError> {
    let mut file = RecordsFile::open(path, R::table())?;
    let positions = file.positions.clone();
    let mut records = Vec::new();
    let mut problems = Vec::new();
    let unreadable = file.each_record(|line, record| {
        if let Some(item) = parse_record(&positions, line, record, &mut problems) {
            records.push(Numbered { line, item });
        }
    })?;
    problems.extend(unreadable);
    problems.sort_by_key(|p| p.line);
    Ok((records, problems))
}

/// Records an import reads at a time: a large file is never held whole.
const IMPORTED_AT_ONCE: usize = 10_000;

/// A registry file read by an import a slice of records at a time, twice (see
/// [`ImportSource`]); a file changed between the readings is refused.
pub(crate) struct FileSlices<R> {
    file: RecordsFile,
    records_at_once: usize,
    /// A digest of each slice of the first reading: each slice of a later reading must match
    /// its own before it is used, or the file changed in between.
    first_reading: Vec<u64>,
    /// Whether this is a later reading.
    again: bool,
    /// Slices read so far in this reading.
    read: usize,
    ended: bool,
    _records: std::marker::PhantomData<fn() -> R>,
}

impl<R: Record> FileSlices<R> {
    pub(crate) fn open(path: &Path) -> Result<FileSlices<R>, CsvError> {
        Ok(FileSlices {
            file: RecordsFile::open(path, R::table())?,
            records_at_once: IMPORTED_AT_ONCE,
            first_reading: Vec::new(),
            again: false,
            read: 0,
            ended: false,
            _records: std::marker::PhantomData,
        })
    }

    fn changed(&self) -> CsvError {
        CsvError::Changed {
            path: self.file.path.clone(),
        }
    }
}

impl<R: Record> ImportSource<R> for FileSlices<R> {
    type Error = CsvError;

    fn next_slice(&mut self) -> Result<Option<Slice<R>>, CsvError> {
        use std::hash::Hasher;
        if self.ended {
            return Ok(None);
        }
        let positions = self.file.positions.clone();
        let mut records = Vec::new();
        let mut unreadable = Vec::new();
        let mut unread_keys = Vec::new();
        let key_at = match R::table().key {
            [key] => positions[*key],
            _ => None,
        };
        let mut record = csv::StringRecord::new();
        let mut digest = std::hash::DefaultHasher::new();
        while records.len() < self.records_at_once {
            let Some(line) = self.file.next_record(&mut record, &mut unreadable)? else {
                self.ended = true;
                unreadable.extend(self.file.left_open()?);
                break;
            };
            digest.write_u64(line);
            for field in &record {
                digest.write(field.as_bytes());
                digest.write_u8(0xff);
            }
            match parse_record(&positions, line, &record, &mut unreadable) {
                Some(item) => records.push(Numbered { line, item }),
                None => {
                    let key = key_at.and_then(|at| record.get(at)).map(str::trim);
                    if let Some(key) = key.filter(|key| !key.is_empty()) {
                        let item = key.to_string();
                        unread_keys.push(Numbered { line, item });
                    }
                }
            }
        }
        for problem in &unreadable {
            digest.write_u64(problem.line);
        }
        let digest = digest.finish();
        if !self.again {
            self.first_reading.push(digest);
        } else if self.first_reading.get(self.read) != Some(&digest) {
            return Err(self.changed());
        }
        self.read += 1;
        Ok(Some(Slice {
            records,
            unreadable,
            unread_keys,
        }))
    }

    fn rewind(&mut self) -> Result<(), CsvError> {
        if !self.ended {
            return Err(CsvError::Service(ServiceError::Corrupt(
                "an import read its file again before reading it to the end".into(),
            )));
        }
        let reopened = RecordsFile::open(&self.file.path, R::table())?;
        // Columns named in another order are another file, whatever its records' bytes.
        if reopened.positions != self.file.positions {
            return Err(self.changed());
        }
        self.file = reopened;
        self.again = true;
        self.read = 0;
        self.ended = false;
        Ok(())
    }
}

/// A file of a table's records, opened and its header checked.
pub(crate) struct RecordsFile {
    path: PathBuf,
    kind: FileKind,
    reader: LinedReader<Box<dyn std::io::Read + Send>>,
    /// Where each of the table's columns is in a record.
    pub(crate) positions: Vec<Option<usize>>,
    /// Where the last record began (byte, line): a quote it leaves open swallows the rest of
    /// the file.
    last_start: Option<(u64, u64)>,
}

impl RecordsFile {
    /// Opens `path` and reads its header; a header that is wrong (a missing required column, an
    /// unknown one) refuses the whole file.
    pub(crate) fn open(path: &Path, table: &Table) -> Result<RecordsFile, CsvError> {
        let rows_error = |problems| CsvError::Rows {
            path: path.to_path_buf(),
            problems,
        };
        let kind = FileKind::of(path)?;
        let file = open_input(path, kind)?;
        let mut reader = LinedReader::new(csv::ReaderBuilder::new().flexible(false), file);
        let header = match reader.headers() {
            Ok(header) => header.clone(),
            Err(Unreadable::File(cause)) => {
                return Err(CsvError::Read {
                    path: path.to_path_buf(),
                    cause,
                });
            }
            Err(Unreadable::Line { line, reason }) => {
                return Err(rows_error(vec![RowProblem::new(line, None, reason)]));
            }
        };
        let positions = column_positions(table, &header, reader.line()).map_err(rows_error)?;
        Ok(RecordsFile {
            path: path.to_path_buf(),
            kind,
            reader,
            positions,
            last_start: None,
        })
    }

    /// Hands each record to `each` with the line it begins on, in the file's order; returns a
    /// problem for each line that could not be read as a record.
    pub(crate) fn each_record(
        &mut self,
        mut each: impl FnMut(u64, &csv::StringRecord),
    ) -> Result<Vec<RowProblem>, CsvError> {
        let mut problems = Vec::new();
        let mut record = csv::StringRecord::new();
        while let Some(line) = self.next_record(&mut record, &mut problems)? {
            each(line, &record);
        }
        problems.extend(self.left_open()?);
        Ok(problems)
    }

    /// Reads the next record into `record` and returns the line it begins on, or none at the
    /// end; a line that cannot be read as a record is added to `problems` and passed.
    pub(crate) fn next_record(
        &mut self,
        record: &mut csv::StringRecord,
        problems: &mut Vec<RowProblem>,
    ) -> Result<Option<u64>, CsvError> {
        loop {
            let start = self.reader.byte();
            let read = self.reader.read_record(record);
            let line = self.reader.line();
            match read {
                Ok(false) => return Ok(None),
                Ok(true) => {
                    self.last_start = Some((start, line));
                    return Ok(Some(line));
                }
                Err(error) => match self.reader.unreadable(error) {
                    Unreadable::File(cause) => {
                        return Err(CsvError::Read {
                            path: self.path.clone(),
                            cause,
                        });
                    }
                    Unreadable::Line { line, reason } => {
                        self.last_start = Some((start, line));
                        problems.push(RowProblem::new(line, None, reason));
                    }
                },
            }
        }
    }

    /// Once the last record is read: the problem of a quote the last record left open, which
    /// swallowed the rest of the file, if it did.
    pub(crate) fn left_open(&self) -> Result<Option<RowProblem>, CsvError> {
        // A workbook's cells are whole: only a CSV file can leave a quote open.
        if let Some((start, line)) = self.last_start
            && self.kind == FileKind::Csv
            && quote_left_open(&self.path, start).map_err(|cause| CsvError::Read {
                path: self.path.clone(),
                cause,
            })?
        {
            return Ok(Some(RowProblem {
                reason: Some(REST_UNREADABLE),
                ..RowProblem::new(line, None, QUOTE_LEFT_OPEN)
            }));
        }
        Ok(None)
    }
}

/// A record's fields (at `positions`) read as an `R`, or none, its problems added to `problems`.
pub(crate) fn parse_record<R: Record>(
    positions: &[Option<usize>],
    line: u64,
    record: &csv::StringRecord,
    problems: &mut Vec<RowProblem>,
) -> Option<R> {
    let table = R::table();
    let mut row: Row = Vec::with_capacity(table.columns.len());
    let mut readable = true;
    for (column, position) in table.columns.iter().zip(positions) {
        let text = position.and_then(|i| record.get(i)).unwrap_or("");
        match Value::parse(column, text) {
            Ok(value) => row.push(value),
            Err(e) => {
                problems.push(RowProblem::new(line, Some(e.field), e.message));
                readable = false;
            }
        }
    }
    if !readable {
        return None;
    }
    R::from_row(&row)
        .map_err(|broken| problems.push(RowProblem::of_field(line, broken)))
        .ok()
}

/// The records of a registry file as CSV text: a CSV file read a line at a time, or the sheet
/// of a workbook.
fn open_input(path: &Path, kind: FileKind) -> Result<Box<dyn std::io::Read + Send>, CsvError> {
    Ok(match kind {
        FileKind::Csv => Box::new(crate::bounded::open(path).map_err(|cause| CsvError::Read {
            path: path.to_path_buf(),
            cause,
        })?),
        FileKind::Xlsx => Box::new(std::io::Cursor::new(workbook::sheet_as_csv(path)?)),
    })
}

/// What is wrong with a header that is not one at all, said once rather than column by column:
/// an empty file, or a file separated by another character than a comma (a spreadsheet set to
/// French or German saves "CSV" with semicolons).
fn header_refused_whole(table: &Table, header: &csv::StringRecord) -> Option<String> {
    let columns = || {
        let names: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        names.join(",")
    };
    let only = match header.len() {
        0 => "",
        1 => header.get(0).unwrap_or_default(),
        _ => return None,
    };
    if only.trim().is_empty() {
        return Some(format!(
            "the file has no header: its first line names the columns, as in `{}`",
            columns()
        ));
    }
    let (separator, name) = other_separator(only)?;
    let first = only.split(separator).next().unwrap_or_default();
    table.column_index(first.trim())?;
    Some(format!(
        "{}, its first line as in `{}`",
        not_separated_by_commas(name),
        columns()
    ))
}

/// Where each of the table's columns is in the file; refuses unknown and missing required columns,
/// a problem of the header's `line`.
fn column_positions(
    table: &Table,
    header: &csv::StringRecord,
    line: u64,
) -> Result<Vec<Option<usize>>, Vec<RowProblem>> {
    if let Some(whole) = header_refused_whole(table, header) {
        return Err(vec![RowProblem::new(line, None, whole)]);
    }
    let mut problems = Vec::new();
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, name) in header.iter().enumerate() {
        if let Some(first) = seen.insert(name.trim(), i) {
            problems.push(RowProblem::new(
                line,
                Some(name),
                format!(
                    "the header names this column twice (columns {} and {})",
                    first + 1,
                    i + 1
                ),
            ));
        }
        if table.column_index(name.trim()).is_none() && name.trim() != REJECTS_REASONS {
            let known: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
            problems.push(RowProblem::new(
                line,
                Some(name),
                format!(
                    "unknown column (column {} of the header); {} files have: {}",
                    i + 1,
                    table.name,
                    known.join(", ")
                ),
            ));
        }
    }
    let positions: Vec<Option<usize>> = table
        .columns
        .iter()
        .map(|c| header.iter().position(|h| h.trim() == c.name))
        .collect();
    for (column, position) in table.columns.iter().zip(&positions) {
        if position.is_none() && column.required {
            problems.push(RowProblem::new(
                line,
                Some(column.name),
                "required column is missing from the header",
            ));
        }
    }
    if problems.is_empty() {
        Ok(positions)
    } else {
        Err(problems)
    }
}

/// The column a rejects file gives each line's reasons in. An import passes over it, so that a
/// rejects file, its lines put right, is imported as it is.
const REJECTS_REASONS: &str = "error";

/// `FILE.rejects.csv` beside the input, created before an import writes anything.
struct RejectsFile {
    path: PathBuf,
    file: std::fs::File,
}

impl RejectsFile {
    fn create(input: &Path) -> Result<RejectsFile, CsvError> {
        let mut name = input.file_name().unwrap_or_default().to_os_string();
        name.push(".rejects.csv");
        let path = input.with_file_name(name);
        let file = std::fs::File::create(&path).map_err(|source| CsvError::Write {
            path: path.clone(),
            cause: source,
        })?;
        Ok(RejectsFile { path, file })
    }

    /// No line was rejected: no file is left behind.
    fn remove(self) {
        drop(self.file);
        let _ = std::fs::remove_file(&self.path);
    }

    /// Writes the input's header plus `error` (unless it has that column already: a rejects file
    /// imported again), and each rejected line as it was with its reasons in that column (a
    /// line short of fields made up to the header's with empty ones, a line with more keeping
    /// them after it).
    fn write(
        self,
        input: &Path,
        reasons: &BTreeMap<u64, Vec<String>>,
    ) -> Result<PathBuf, CsvError> {
        let RejectsFile { path: output, file } = self;
        let write_error = |source: std::io::Error| CsvError::Write {
            path: output.clone(),
            cause: source,
        };
        let read_error = |source: std::io::Error| CsvError::Read {
            path: input.to_path_buf(),
            cause: source,
        };
        let mut reader = LinedReader::new(
            csv::ReaderBuilder::new().flexible(true).has_headers(false),
            open_input(input, FileKind::of(input)?)?,
        );
        let mut writer = csv::WriterBuilder::new().flexible(true).from_writer(file);
        let mut record = csv::ByteRecord::new();
        // The header's width, and the input's own `error` column if it has one (a rejects file
        // imported again): the reasons go there, else in a column added after the last.
        let mut header: Option<(usize, Option<usize>)> = None;
        let mut written = csv::ByteRecord::new();
        while reader
            .read_byte_record(&mut record)
            .map_err(|e| read_error(e.into()))?
        {
            let line = record.position().map_or(0, |p| p.line());
            let (fields, reasons_at, reason) = match header {
                None => {
                    let given = (record.iter())
                        .position(|name| name.trim_ascii() == REJECTS_REASONS.as_bytes());
                    header = Some((record.len(), given));
                    (record.len(), given, REJECTS_REASONS.to_string())
                }
                Some((fields, at)) => {
                    let Some(reasons) = reasons.get(&line) else {
                        continue;
                    };
                    (fields, at, reasons.join("; "))
                }
            };
            // The reasons under `error`: in its place, or after the header's last column, a
            // line's fields beyond the header's kept after them.
            written.clear();
            let padding = std::iter::repeat_n(&b""[..], fields.saturating_sub(record.len()));
            let mut cells = record.iter().chain(padding);
            let before = reasons_at.unwrap_or(fields);
            for field in cells.by_ref().take(before) {
                written.push_field(field);
            }
            written.push_field(reason.as_bytes());
            let replaced = usize::from(reasons_at.is_some());
            for field in cells.skip(replaced) {
                written.push_field(field);
            }
            writer
                .write_byte_record(&written)
                .map_err(|e| write_error(e.into()))?;
        }
        writer.flush().map_err(write_error)?;
        Ok(output)
    }
}

/// How an export writes text cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cells {
    /// A text cell that a spreadsheet would run as a formula (it begins with `=`, `+`, `-`,
    /// `@`, a tab or a carriage return) is written after a `'`, as OWASP advises: a name typed
    /// as `=HYPERLINK(...)` at a district office stays text on a manager's screen. Numbers,
    /// dates and amounts are never touched (-20.00 stays a number).
    ForSpreadsheets,
    /// Every cell as stored, for programs that read the file.
    Raw,
}

/// A text cell made safe to open in a spreadsheet (see [`Cells::ForSpreadsheets`]).
fn defused(text: String) -> String {
    match text.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{text}"),
        _ => text,
    }
}

/// Writes every record of `R` as CSV to `out` (named `out_name` in messages), in key order, a
/// page at a time.
pub async fn export<R: Record>(
    registry: &Registry,
    out: impl Write,
    out_name: &Path,
    cells: Cells,
) -> Result<u64, CsvError> {
    let table = R::table();
    let mut writer = csv::Writer::from_writer(out);
    let write_error = |source: std::io::Error| CsvError::Write {
        path: out_name.to_path_buf(),
        cause: source,
    };
    // The writer's I/O error as it is (a reader gone is a broken pipe, not "other").
    let csv_error = |e: csv::Error| {
        write_error(match e.into_kind() {
            csv::ErrorKind::Io(io) => io,
            kind => std::io::Error::other(format!("{kind:?}")),
        })
    };
    writer
        .write_record(table.columns.iter().map(|c| c.name))
        .map_err(csv_error)?;
    let count = every_row::<R>(registry, |row| {
        let text = table.columns.iter().zip(&row).map(|(c, v)| {
            let cell = v.format(c.ty);
            let is_text = matches!(c.ty, ColumnType::Text | ColumnType::List);
            if is_text && cells == Cells::ForSpreadsheets {
                defused(cell)
            } else {
                cell
            }
        });
        writer.write_record(text).map_err(csv_error)
    })
    .await?;
    writer.flush().map_err(write_error)?;
    Ok(count)
}

/// Writes every record of `R` as CSV to the file `path`, which takes its name only once the
/// whole table is written: a failure midway leaves no file, and a file already there as it was.
pub async fn export_to_file<R: Record>(
    registry: &Registry,
    path: &Path,
    cells: Cells,
) -> Result<u64, CsvError> {
    let whole = WholeFile::create(path).map_err(CsvError::writing(path))?;
    let out = std::io::BufWriter::new(whole.file().map_err(CsvError::writing(path))?);
    let count = export::<R>(registry, out, path, cells).await?;
    whole.complete().map_err(CsvError::writing(path))?;
    Ok(count)
}

/// Writes every record of `R` to the workbook `path` (one sheet, the CSV's columns, dates as
/// dates and amounts as numbers), in key order, a row at a time.
pub async fn export_workbook<R: Record>(registry: &Registry, path: &Path) -> Result<u64, CsvError> {
    let mut sheet = workbook::SheetWriter::new(R::table(), path)?;
    every_row::<R>(registry, |row| sheet.write(&row)).await?;
    sheet.save()
}

/// Hands each record of `R` to `each` as a row, in key order, a page at a time; the count. The
/// pages are read on one snapshot: a record changed, added or removed while they are read is
/// exported as it stood when the export began.
async fn every_row<R: Record>(
    registry: &Registry,
    mut each: impl FnMut(Row) -> Result<(), CsvError>,
) -> Result<u64, CsvError> {
    let pages = Query::<R>::all_by_pages();
    (registry.at_snapshot(async |at| at.each_record(pages, |record| each(record.to_row())).await))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    use carepool_core::registry::Family;

    /// A file that cannot be read says why once: the cause is in the message, not again as
    /// the error's source (a command prints the whole chain).
    #[test]
    fn a_file_that_cannot_be_read_says_why_once() {
        let dir = tempfile::tempdir().unwrap();
        let zeros = dir.path().join("zeros.csv");
        std::os::unix::fs::symlink("/dev/zero", &zeros).unwrap();
        let cases = [
            (Path::new("/no/such/families.csv"), "No such file"),
            // Zeros fail at the header.
            (&zeros, "cannot read: line 1 is longer than 65536 bytes"),
        ];
        for (path, why) in cases {
            let error = match read_records::<Family>(path) {
                Err(error @ CsvError::Read { .. }) => error,
                other => panic!("{}: {other:?}", path.display()),
            };
            assert!(std::error::Error::source(&error).is_none(), "{error}");
            assert!(error.to_string().contains(why), "{error}");
        }
    }

    #[test]
    fn a_bad_value_is_quoted_short_whatever_its_length() {
        let score = "9".repeat(5_000) + "x";
        let text =
            format!("id,scheme,location_code,poverty_score,household_id\nF1,pip,V1,{score},HH1\n");
        let (_, problems) = problems_reading(&text);
        assert_eq!(problems.len(), 1);
        let (line, message) = &problems[0];
        assert_eq!(*line, 2);
        assert!(
            message.starts_with(&format!("'{}...' is not", "9".repeat(40))),
            "{message}"
        );
        assert!(message.len() < 200, "{message}");
    }

    #[test]
    fn an_empty_file_or_one_not_separated_by_commas_is_told_once() {
        let columns = "`id,scheme,location_code,poverty_score,household_id`";
        let semicolons = format!(
            "the columns are separated by semicolons, not commas: save the file as CSV with \
             commas (in a spreadsheet, \"CSV UTF-8 (comma delimited)\"), its first line as in \
             {columns}"
        );
        let empty =
            format!("the file has no header: its first line names the columns, as in {columns}");
        for (text, told) in [
            ("", empty.clone()),
            ("\n\n", empty),
            ("id;scheme;location_code\nF1;pip;V1\n", semicolons.clone()),
            (
                "id\tscheme\nF1\tpip\n",
                semicolons.replace("semicolons", "tabs"),
            ),
        ] {
            assert_eq!(problems_reading(text), (0, vec![(1, told)]), "{text:?}");
        }
        // One column that is not the table's, semicolon or not, is an unknown column.
        let (_, problems) = problems_reading("name;age\nAwa;4\n");
        assert!(problems[0].1.starts_with("unknown column"), "{problems:?}");
    }

    #[test]
    fn problems_are_on_the_lines_an_editor_shows_in_a_file_saved_on_windows() {
        let rows = [
            "F1,pip,V1,22.5,HH1",
            "",
            "F2,pip,V2,x,HH2",
            "F3,pip,V2",
            "",
            "",
        ];
        let problems = vec![
            (4, "'x' is not a number".to_string()),
            (5, "has 3 fields where the header has 5".to_string()),
        ];
        for end in ["\r\n", "\n", "\r"] {
            let text = format!("{}{end}{}{end}", HEADER.trim_end(), rows.join(end));
            let (read, found) = problems_reading(&text);
            assert_eq!((read, &found), (1, &problems), "{text:?}");
        }
        // The header's problems are on its line, after blank lines.
        let text = format!(
            "\r\n\r\n{}\r\n",
            HEADER.replace("household_id", "household")
        );
        let (_, found) = problems_reading(&text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].0, 3, "{found:?}");
        assert!(found[0].1.starts_with("unknown column"), "{found:?}");
        // And a header that is not UTF-8.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("families.csv");
        std::fs::write(&path, b"\r\n\r\nid,\xff\r\n").unwrap();
        let Err(CsvError::Rows { problems, .. }) = read_records::<Family>(&path) else {
            panic!("a header that is not UTF-8 is refused");
        };
        assert_eq!(problems[0].to_string(), "line 3: is not valid UTF-8");
    }

    #[test]
    fn a_rejects_file_holds_the_rows_on_the_lines_named() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("families.csv");
        let rows = ["F1,pip,V1,1,HH1", "", "F2,pip,V2,2,HH2", "F3,pip,V3,3,HH3"];
        std::fs::write(
            &input,
            format!("\r\n{}\r\n{}\r\n", HEADER.trim_end(), rows.join("\r\n")),
        )
        .unwrap();
        let reasons = BTreeMap::from([(5, vec!["F2's reason".to_string()])]);
        let written = RejectsFile::create(&input)
            .unwrap()
            .write(&input, &reasons)
            .unwrap();
        let rejects = std::fs::read_to_string(written).unwrap();
        assert_eq!(
            rejects.lines().collect::<Vec<_>>(),
            [
                "id,scheme,location_code,poverty_score,household_id,error",
                "F2,pip,V2,2,HH2,F2's reason"
            ]
        );
    }

    /// The lines and messages of the problems found reading `text` as families.csv.
    fn problems_reading(text: &str) -> (usize, Vec<(u64, String)>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("families.csv");
        std::fs::write(&path, text).unwrap();
        match read_records::<Family>(&path) {
            Ok((records, problems)) => (
                records.len(),
                problems.into_iter().map(|p| (p.line, p.message)).collect(),
            ),
            Err(CsvError::Rows { problems, .. }) => (
                0,
                problems.into_iter().map(|p| (p.line, p.message)).collect(),
            ),
            Err(other) => panic!("{other}"),
        }
    }

    const HEADER: &str = "id,scheme,location_code,poverty_score,household_id\n";

    /// A slice's lines read and lines of problems.
    type SliceLines = (Vec<u64>, Vec<u64>);

    /// The lines of each slice of `slices`.
    fn slices_of(slices: &mut FileSlices<Family>) -> Result<Vec<SliceLines>, CsvError> {
        let mut read = Vec::new();
        while let Some(slice) = slices.next_slice()? {
            read.push((
                slice.records.iter().map(|r| r.line).collect(),
                slice.unreadable.iter().map(|p| p.line).collect(),
            ));
        }
        Ok(read)
    }

    #[test]
    fn an_import_reads_its_file_in_slices_twice_the_same() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("families.csv");
        std::fs::write(
            &path,
            format!(
                "{HEADER}F1,pip,V1,22.5,HH1\nF2,pip,V2,x,HH2\nF3,pip,V2\nF4,pip,V2,61,HH4\nF5,pip,V1,,\n"
            ),
        )
        .unwrap();
        let mut slices = FileSlices::<Family>::open(&path).unwrap();
        slices.records_at_once = 2;
        // Line 3's score and line 4's width are problems of the slice they were read in, which
        // holds two records all the same.
        let expected = vec![(vec![2, 5], vec![3, 4]), (vec![6], vec![])];
        assert_eq!(slices_of(&mut slices).unwrap(), expected);
        slices.rewind().unwrap();
        assert_eq!(slices_of(&mut slices).unwrap(), expected);
        assert!(slices.next_slice().unwrap().is_none());
    }

    #[test]
    fn a_file_changed_between_the_readings_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("families.csv");
        let text = format!("{HEADER}F1,pip,V1,22.5,HH1\nF2,pip,V2,35,HH2\n");
        let read_once = |text: &str| {
            std::fs::write(&path, text).unwrap();
            let mut slices = FileSlices::<Family>::open(&path).unwrap();
            slices.records_at_once = 1;
            slices_of(&mut slices).unwrap();
            slices
        };
        // Read again before its end: a mistake in the import.
        std::fs::write(&path, &text).unwrap();
        let mut slices = FileSlices::<Family>::open(&path).unwrap();
        slices.records_at_once = 1;
        slices.next_slice().unwrap();
        assert!(matches!(slices.rewind(), Err(CsvError::Service(_))));
        let is_changed = |error: &CsvError| {
            matches!(error, CsvError::Changed { .. })
                && error
                    .to_string()
                    .contains("changed while it was being imported")
        };
        // One value of the second record changed, the length kept: the first slice is as it
        // was, the second is refused before it is handed on.
        let mut slices = read_once(&text);
        std::fs::write(&path, text.replace("35,", "36,")).unwrap();
        slices.rewind().unwrap();
        slices.next_slice().unwrap();
        let error = slices.next_slice().err().unwrap();
        assert!(is_changed(&error), "{error}");
        // A record added at the end.
        let mut slices = read_once(&text);
        std::fs::write(&path, format!("{text}F3,pip,V2,61,HH3\n")).unwrap();
        slices.rewind().unwrap();
        let error = slices_of(&mut slices).unwrap_err();
        assert!(is_changed(&error), "{error}");
        // Two columns' names swapped in the header: every record's bytes are the same.
        let mut slices = read_once(&text);
        let swapped = text.replacen(
            "poverty_score,household_id",
            "household_id,poverty_score",
            1,
        );
        std::fs::write(&path, swapped).unwrap();
        let error = slices.rewind().unwrap_err();
        assert!(is_changed(&error), "{error}");
    }

    #[test]
    fn a_quote_never_closed_is_a_located_error_not_one_long_field() {
        // Mid-file, in the last column: the rest of the file went into one household id.
        let swallowing =
            format!("{HEADER}F1,pip,V1,22.5,\"HH1\nF2,pip,V2,35,HH2\nF3,pip,V2,61,HH3\n");
        let (_, problems) = problems_reading(&swallowing);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].0, 2);
        assert!(problems[0].1.contains("never closed"), "{problems:?}");
        // A file cut short inside a quote.
        let (_, problems) =
            problems_reading(&format!("{HEADER}F1,pip,V1,22.5,HH1\nF2,pip,V2,35,\"HH"));
        assert_eq!(problems.iter().map(|p| p.0).collect::<Vec<_>>(), [3]);
        // Quotes closed, doubled inside a field: fine.
        let (read, problems) =
            problems_reading(&format!("{HEADER}F1,pip,V1,22.5,\"HH \"\"1\"\"\"\n"));
        assert_eq!((read, problems), (1, vec![]));
    }

    #[test]
    fn a_column_named_twice_in_the_header_refuses_the_file() {
        let (_, problems) = problems_reading(
            "id,scheme,location_code,poverty_score,household_id,scheme\nF1,pip,V1,22.5,HH1,pip\n",
        );
        assert!(
            problems
                .iter()
                .any(|(line, message)| *line == 1 && message.contains("columns 2 and 6")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_text_cell_a_spreadsheet_would_run_is_written_as_text() {
        for formula in [
            "=cmd|' /C calc'!A0",
            "=HYPERLINK(\"http://x\",\"y\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            assert_eq!(defused(formula.to_string()), format!("'{formula}"));
        }
        for plain in ["Awa Traoré", "O'Brien", "", "1 = 1"] {
            assert_eq!(defused(plain.to_string()), plain);
        }
    }
}
