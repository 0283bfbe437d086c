//! The registry as a spreadsheet: an XLSX file of one sheet with the CSV's columns, dates as
//! dates and amounts as numbers. Imports read it through the CSV path (the same checks, the
//! same line numbers: the sheet's row N is the CSV's line N); exports write it from the rows.

use crate::registry_csv::CsvError;
use crate::whole_file::{WholeFile, directory_of};
use calamine::{Data, Reader, Xlsx, open_workbook};
use carepool_schema::{ColumnType, Row, Table, Value};
use chrono::Datelike;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use std::path::{Path, PathBuf};

/// The largest workbook an import reads, in bytes: its sheet is held in memory whole. A
/// registry of national size is imported as CSV, which is read a line at a time.
pub const MAX_WORKBOOK_BYTES: u64 = 64 * 1024 * 1024;

/// What a registry file is, by its name's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Xlsx,
}

impl FileKind {
    /// The kind of `path`; any extension but .csv and .xlsx is refused, so that a file is
    /// never written in one format under another's name.
    pub fn of(path: &Path) -> Result<FileKind, CsvError> {
        match crate::extension(path).as_deref() {
            Some("csv") => Ok(FileKind::Csv),
            Some("xlsx") => Ok(FileKind::Xlsx),
            _ => Err(CsvError::Extension {
                path: path.to_path_buf(),
            }),
        }
    }
}

/// The one sheet of the workbook at `path` as CSV text, a sheet row to a line, so that the CSV
/// reader's checks and line numbers apply to it unchanged.
pub(crate) fn sheet_as_csv(path: &Path) -> Result<Vec<u8>, CsvError> {
    let read_error = |message: String| CsvError::Read {
        path: path.to_path_buf(),
        cause: std::io::Error::new(std::io::ErrorKind::InvalidData, message),
    };
    let size = std::fs::metadata(path)
        .map_err(|cause| CsvError::Read {
            path: path.to_path_buf(),
            cause,
        })?
        .len();
    if size > MAX_WORKBOOK_BYTES {
        return Err(read_error(format!(
            "{size} bytes, more than the {MAX_WORKBOOK_BYTES} a workbook may have: import it as CSV"
        )));
    }
    let mut workbook: Xlsx<_> = open_workbook(path)
        .map_err(|e| read_error(format!("not a readable XLSX workbook: {e}")))?;
    let names = workbook.sheet_names();
    let [name] = names.as_slice() else {
        return Err(read_error(format!(
            "has {} sheets ({}); a registry workbook has one",
            names.len(),
            names.join(", ")
        )));
    };
    let range = workbook
        .worksheet_range(name)
        .map_err(|e| read_error(format!("sheet {name}: {e}")))?;
    let mut problems = Vec::new();
    // The range starts at the first used cell: rows and columns before it are empty.
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let mut text = vec![b'\n'; first_row as usize];
    // The header's names, to name a bad cell's column as the CSV's problems do.
    let mut header: Vec<String> = Vec::new();
    for (r, cells) in range.rows().enumerate() {
        let line = u64::from(first_row) + r as u64 + 1;
        let fields: Vec<String> = std::iter::repeat_n(String::new(), first_column as usize)
            .chain(cells.iter().enumerate().map(|(c, cell)| {
                cell_text(cell).unwrap_or_else(|message| {
                    let index = first_column as usize + c;
                    let column = match header.get(index).filter(|name| !name.is_empty()) {
                        Some(name) => name.clone(),
                        None => format!("{}", index + 1),
                    };
                    problems.push(carepool_service::RowProblem::new(
                        line,
                        Some(&column),
                        message,
                    ));
                    String::new()
                })
            }))
            .collect();
        if header.is_empty() {
            header = fields.clone();
        }
        if fields.iter().all(String::is_empty) {
            text.push(b'\n');
            continue;
        }
        let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
        writer
            .write_record(&fields)
            .map_err(|e| read_error(e.to_string()))?;
        text.extend(writer.into_inner().map_err(|e| read_error(e.to_string()))?);
    }
    if !problems.is_empty() {
        return Err(CsvError::Rows {
            path: path.to_path_buf(),
            problems,
        });
    }
    Ok(text)
}

/// A cell as the CSV would hold it: a date as YYYY-MM-DD, a number as written, text as is.
fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(text) => {
            if text.contains(['\n', '\r']) {
                return Err("a line break in a cell: a registry value is one line".into());
            }
            text.clone()
        }
        Data::Int(number) => number.to_string(),
        Data::Float(number) => float_text(*number),
        Data::Bool(value) => value.to_string(),
        Data::DateTime(date) => match date.as_datetime() {
            Some(moment) if moment.time() == chrono::NaiveTime::MIN => {
                moment.date().format("%Y-%m-%d").to_string()
            }
            Some(moment) => return Err(format!("{moment} has a time of day; a date is expected")),
            None => return Err("a date outside the calendar".into()),
        },
        Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Error(error) => return Err(format!("the cell holds the error {error}")),
    })
}

/// A number as the sheet shows it: the shortest text that reads back as the same number
/// (750.5), and a computed amount a hair off its cents (=750*1.1 is 825.0000000000001) as the
/// cents the spreadsheet shows, so that it is not refused for decimals nobody typed.
fn float_text(number: f64) -> String {
    let cents = (number * 100.0).round();
    match (number * 100.0 - cents).abs() < 1e-6 {
        true => format!("{}", cents / 100.0),
        false => format!("{number}"),
    }
}

fn write_error(path: &Path, error: XlsxError) -> CsvError {
    CsvError::Write {
        path: path.to_path_buf(),
        cause: std::io::Error::other(error.to_string()),
    }
}

/// How rust_xlsxwriter's panics begin when the rows waiting beside a workbook cannot be written
/// (a full disk, a limit on a file's size): a row's XML, or the last of it flushed as the
/// workbook is saved. It has no other way to say so.
const WRITE_PANICS: [&str; 2] = [
    "Couldn't write to xml file",
    "called `Result::unwrap()` on an `Err` value: Os {",
];

/// Whether a panic says what `WRITE_PANICS` lists.
fn is_write_panic(said: &str) -> bool {
    WRITE_PANICS.iter().any(|start| said.starts_with(start))
}

thread_local! {
    /// Whether this thread is inside `without_panics`.
    static TURNING_WRITE_PANICS_INTO_ERRORS: std::cell::Cell<bool> =
        const { std::cell::Cell::new(false) };
}

/// Makes the panic hook (the one set before, by default printing the panic) pass over the
/// failed writes `without_panics` turns into errors: an operator then reads the export's error
/// alone, not a "panicked" message before it. Every other panic is told as before.
fn keep_write_panics_quiet() {
    static QUIETED: std::sync::Once = std::sync::Once::new();
    QUIETED.call_once(|| {
        let told_before = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |panic| {
            let turned_into_error = TURNING_WRITE_PANICS_INTO_ERRORS.with(std::cell::Cell::get)
                && panic.payload_as_str().is_some_and(is_write_panic);
            if !turned_into_error {
                told_before(panic);
            }
        }));
    });
}

/// Runs `work` on a workbook, a panic of rust_xlsxwriter's that says a write failed returned as
/// the write's error (the export stops at it, with its file named) rather than ending the
/// program; any other panic goes on. The workbook is not written to again after it.
fn without_panics<T>(work: impl FnOnce() -> Result<T, XlsxError>) -> Result<T, XlsxError> {
    keep_write_panics_quiet();
    let was_inside = TURNING_WRITE_PANICS_INTO_ERRORS.with(|inside| inside.replace(true));
    let worked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work));
    TURNING_WRITE_PANICS_INTO_ERRORS.with(|inside| inside.set(was_inside));
    worked.unwrap_or_else(|panic| {
        let said = (panic.downcast_ref::<String>().map(String::as_str))
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .filter(|said| is_write_panic(said));
        match said {
            Some(said) => Err(XlsxError::IoError(std::io::Error::other(format!(
                "the rows waiting beside it could not be written (is the disk full?): {said}"
            )))),
            None => std::panic::resume_unwind(panic),
        }
    })
}

/// The characters a cell's `text` takes as the sheet shows it: an amount with its thousands
/// separators.
fn shown_width(ty: ColumnType, text: &str) -> usize {
    let width = text.chars().count();
    match ty {
        ColumnType::Money => {
            let digits = text
                .split('.')
                .next()
                .unwrap_or_default()
                .trim_start_matches('-');
            width + digits.len().saturating_sub(1) / 3
        }
        _ => width,
    }
}

/// Data rows a sheet holds at most, below its header (Excel's 1,048,576 rows in all).
const SHEET_ROWS: u32 = 1_048_575;
/// The widest a column is made for its text, in characters.
const WIDEST_COLUMN: usize = 60;

/// A workbook of one sheet named after `table` written a row at a time: the CSV's header, then a
/// row each; dates as dates, amounts and numbers as numbers, text as text (never run as a
/// formula). The rows go to a temporary file as they come (rust_xlsxwriter's constant memory),
/// so that an export's memory does not grow with its table; a table past what a sheet holds is
/// refused when its row after the last is met, before anything is saved.
pub(crate) struct SheetWriter {
    workbook: Workbook,
    table: &'static Table,
    path: PathBuf,
    rows: u32,
    row_limit: u32,
    /// The longest text of each column, for its width.
    widths: Vec<usize>,
    date: Format,
    amount: Format,
}

impl SheetWriter {
    pub fn new(table: &'static Table, path: &Path) -> Result<SheetWriter, CsvError> {
        let mut workbook = Workbook::new();
        let bold = Format::new().set_bold();
        // The rows wait on the destination's disk, not in a temporary directory that may be
        // held in memory.
        let header = workbook
            .set_tempdir(directory_of(path))
            .and_then(|workbook| {
                let sheet = workbook.add_worksheet_with_constant_memory()?;
                sheet.set_name(table.name)?;
                for (c, column) in table.columns.iter().enumerate() {
                    sheet.write_with_format(0, c as u16, column.name, &bold)?;
                }
                Ok(())
            });
        header.map_err(|error| write_error(path, error))?;
        Ok(SheetWriter {
            workbook,
            table,
            path: path.to_path_buf(),
            rows: 0,
            row_limit: SHEET_ROWS,
            widths: table.columns.iter().map(|c| c.name.len()).collect(),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            amount: Format::new().set_num_format("#,##0.00"),
        })
    }

    /// Writes `row` below the rows before it.
    pub fn write(&mut self, row: &Row) -> Result<(), CsvError> {
        if self.rows == self.row_limit {
            let message = format!(
                "a sheet holds at most {} rows below its header, and {} has more: export it as CSV",
                self.row_limit, self.table.name
            );
            return Err(CsvError::Write {
                path: self.path.clone(),
                cause: std::io::Error::other(message),
            });
        }
        self.rows += 1;
        let written = without_panics(|| self.write_cells(self.rows, row));
        written.map_err(|error| write_error(&self.path, error))
    }

    fn write_cells(&mut self, r: u32, row: &Row) -> Result<(), XlsxError> {
        let sheet = self.workbook.worksheet_from_index(0)?;
        for (c, (column, value)) in self.table.columns.iter().zip(row).enumerate() {
            if *value == Value::Null {
                continue;
            }
            let text = value.format(column.ty);
            self.widths[c] = self.widths[c].max(shown_width(column.ty, &text));
            let c = c as u16;
            match (column.ty, value) {
                (ColumnType::Date, Value::Date(day)) => {
                    let (year, month, day) =
                        (day.year() as u16, day.month() as u8, day.day() as u8);
                    let day = ExcelDateTime::from_ymd(year, month, day)?;
                    sheet.write_datetime_with_format(r, c, &day, &self.date)?
                }
                (ColumnType::Money, _) => match value.as_money() {
                    // Exact in a double up to 2^53 hundredths, far past any amount carepool keeps.
                    Some(money) => {
                        let amount = money.minor() as f64 / 100.0;
                        sheet.write_number_with_format(r, c, amount, &self.amount)?
                    }
                    None => sheet.write_string(r, c, text)?,
                },
                (ColumnType::Integer, Value::Integer(n)) => sheet.write_number(r, c, *n as f64)?,
                (ColumnType::Real, Value::Real(x)) => sheet.write_number(r, c, *x)?,
                _ => sheet.write_string(r, c, text)?,
            };
        }
        Ok(())
    }

    /// The same writer refusing rows past `limit` (a test's, not a million rows).
    #[cfg(test)]
    fn with_row_limit(self, row_limit: u32) -> SheetWriter {
        SheetWriter { row_limit, ..self }
    }

    /// Saves the workbook; the count of rows below the header.
    pub fn save(mut self) -> Result<u64, CsvError> {
        let sheet = (self.workbook.worksheet_from_index(0)).expect("the sheet added at the start");
        let widths = (self.widths.iter().enumerate()).try_for_each(|(c, &width)| {
            let width = (width + 2).min(WIDEST_COLUMN) as f64;
            sheet.set_column_width(c as u16, width).map(|_| ())
        });
        let frozen = sheet.set_freeze_panes(1, 0).map(|_| ());
        // Written whole or not at all, as a CSV export is.
        let workbook = &mut self.workbook;
        let saved = WholeFile::write_with(&self.path, |file| {
            without_panics(|| (widths.and(frozen)).and_then(|()| workbook.save_to_writer(file)))
        });
        saved.map_err(|error| write_error(&self.path, error))?;
        Ok(u64::from(self.rows))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::registry_csv::read_records;
    use carepool_core::registry::Contribution;
    use carepool_schema::Record;
    use carepool_schema::tables::CONTRIBUTIONS;

    fn contribution(receipt: &str, amount: &str) -> Contribution {
        Contribution {
            receipt: receipt.into(),
            family_id: "F0001".into(),
            payer: carepool_core::registry::Payer::Member,
            period_start: "2025-01-01".parse().unwrap(),
            period_end: "2025-12-31".parse().unwrap(),
            amount: amount.parse().unwrap(),
            paid_on: "2025-01-10".parse().unwrap(),
        }
    }

    /// A failed write that rust_xlsxwriter can only say by a panic is the write's error; any
    /// other panic of its goes on.
    #[test]
    fn a_write_the_library_panics_on_is_an_error_and_other_panics_go_on() {
        let failed = without_panics::<()>(|| {
            let error = std::io::Error::from(std::io::ErrorKind::StorageFull);
            panic!("Couldn't write to xml file: {error:?}")
        });
        let said = failed.unwrap_err().to_string();
        assert!(
            said.starts_with("the rows waiting beside it could not be written (is the disk full?): Couldn't write to xml file: "),
            "{said}"
        );
        let flushed = without_panics::<()>(|| {
            // As the library flushes the rows' last bytes before saving them.
            let flush = || -> std::io::Result<()> { Err(std::io::Error::from_raw_os_error(28)) };
            flush().unwrap();
            Ok(())
        });
        let said = flushed.unwrap_err().to_string();
        assert!(said.contains("No space left on device"), "{said}");
        let bug = std::panic::catch_unwind(|| {
            without_panics::<()>(|| panic!("constant memory worksheets required a temp file"))
        });
        let bug = bug.expect_err("a panic that is not a failed write goes on");
        assert_eq!(
            bug.downcast_ref::<&str>(),
            Some(&"constant memory worksheets required a temp file")
        );
        assert_eq!(without_panics(|| Ok(7)).unwrap(), 7);
    }

    /// A table past what a sheet holds is refused at its first row too many: the export says to
    /// write CSV instead.
    #[test]
    fn a_table_past_what_a_sheet_holds_is_refused_and_nothing_saved() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("contributions.xlsx");
        let mut sheet = SheetWriter::new(&CONTRIBUTIONS, &path)
            .unwrap()
            .with_row_limit(2);
        sheet.write(&contribution("R1", "1.00").to_row()).unwrap();
        sheet.write(&contribution("R2", "2.00").to_row()).unwrap();
        let refused = sheet
            .write(&contribution("R3", "3.00").to_row())
            .unwrap_err();
        assert_eq!(
            refused.to_string(),
            format!(
                "cannot write {}: a sheet holds at most 2 rows below its header, and contributions has more: export it as CSV",
                path.display()
            )
        );
        // Neither the workbook nor the rows that waited beside it are left.
        drop(sheet);
        assert_eq!(
            crate::whole_file::names_in(dir.path()),
            Vec::<String>::new()
        );
    }

    #[test]
    fn an_amount_is_as_wide_as_shown_with_its_thousands_separators() {
        assert_eq!(shown_width(ColumnType::Money, "1234567.89"), 12);
        assert_eq!(shown_width(ColumnType::Money, "-123.00"), 7);
        assert_eq!(shown_width(ColumnType::Money, "-1234.00"), 9);
        assert_eq!(shown_width(ColumnType::Text, "Adjoa Mensah"), 12);
        assert_eq!(shown_width(ColumnType::Text, "é"), 1);
    }

    /// A sheet written from rows reads back as the same records; its dates are Excel dates and
    /// its amounts numbers, not text.
    #[test]
    fn a_workbook_holds_dates_as_dates_and_amounts_as_numbers_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("contributions.xlsx");
        let written = [
            contribution("R1", "750.00"),
            contribution("R2", "1234567.89"),
        ];
        let mut sheet = SheetWriter::new(&CONTRIBUTIONS, &path).unwrap();
        for contribution in &written {
            sheet.write(&contribution.to_row()).unwrap();
        }
        assert_eq!(sheet.save().unwrap(), 2);

        let mut workbook: Xlsx<_> = open_workbook(&path).unwrap();
        assert_eq!(workbook.sheet_names(), ["contributions"]);
        let range = workbook.worksheet_range("contributions").unwrap();
        assert_eq!(range.get((0, 0)), Some(&Data::String("receipt".into())));
        assert!(
            matches!(range.get((1, 3)), Some(Data::DateTime(_))),
            "{:?}",
            range.get((1, 3))
        );
        assert_eq!(range.get((2, 5)), Some(&Data::Float(1234567.89)));

        let (records, problems) = read_records::<Contribution>(&path).unwrap();
        assert_eq!(problems, []);
        let read: Vec<Contribution> = records.into_iter().map(|n| n.item).collect();
        assert_eq!(read, written);
    }

    /// A bad cell is named by its row, as the CSV's line, and its column; so is a cell the
    /// spreadsheet itself could not compute.
    #[test]
    fn a_bad_cell_is_named_by_row_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("contributions.xlsx");
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for (c, name) in [
            "receipt",
            "family_id",
            "payer",
            "period_start",
            "period_end",
            "amount",
            "paid_on",
        ]
        .iter()
        .enumerate()
        {
            sheet.write(0, c as u16, *name).unwrap();
        }
        let good = [
            "R1",
            "F0001",
            "member",
            "2025-01-01",
            "2025-12-31",
            "750",
            "2025-01-10",
        ];
        let bad = [
            "R2",
            "F0001",
            "member",
            "2025-13-01",
            "2025-12-31",
            "12.345",
            "2025-01-10",
        ];
        for (r, row) in [good, bad].iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                sheet.write(r as u32 + 1, c as u16, *text).unwrap();
            }
        }
        workbook.save(&path).unwrap();
        let (records, problems) = read_records::<Contribution>(&path).unwrap();
        assert_eq!(records.len(), 1);
        let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(said.len(), 2, "{said:?}");
        assert!(
            said[0].starts_with("line 3, column period_start: '2025-13-01' is not a date"),
            "{said:?}"
        );
        assert!(
            said[1].starts_with("line 3, column amount: '12.345' has more than two decimals"),
            "{said:?}"
        );

        let mut workbook = Workbook::new();
        workbook.add_worksheet().write(0, 0, "receipt").unwrap();
        workbook.add_worksheet().write(0, 0, "receipt").unwrap();
        workbook.save(&path).unwrap();
        let error = read_records::<Contribution>(&path).unwrap_err().to_string();
        assert!(
            error.contains("has 2 sheets (Sheet1, Sheet2); a registry workbook has one"),
            "{error}"
        );

        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write(0, 0, "receipt").unwrap();
        sheet.write(1, 0, "two\nlines").unwrap();
        workbook.save(&path).unwrap();
        let error = read_records::<Contribution>(&path).unwrap_err().to_string();
        assert!(
            error.contains("line 2, column receipt: a line break in a cell"),
            "{error}"
        );
    }

    #[test]
    fn a_computed_amount_reads_as_the_cents_it_shows() {
        assert_eq!(float_text(750.0 * 1.1), "825");
        assert_eq!(float_text(0.1 + 0.2), "0.3");
        assert_eq!(float_text(1234567.89), "1234567.89");
        assert_eq!(float_text(28.5), "28.5");
        // A number that is not an amount keeps its decimals, and a third decimal still shows.
        assert_eq!(float_text(0.123456), "0.123456");
        assert_eq!(float_text(12.345), "12.345");
    }

    #[test]
    fn only_csv_and_xlsx_are_registry_files() {
        assert_eq!(FileKind::of(Path::new("m.csv")).unwrap(), FileKind::Csv);
        assert_eq!(FileKind::of(Path::new("M.XLSX")).unwrap(), FileKind::Xlsx);
        for name in ["m.txt", "m", "m.xls", "m.csv.gz"] {
            let error = FileKind::of(Path::new(name)).unwrap_err().to_string();
            assert_eq!(
                error,
                format!("{name}: carepool reads and writes .csv and .xlsx files")
            );
        }
    }
}
