//! A CSV file read line by line (so a national extract is never held whole), with its problems
//! gathered as "line L, column C: reason" and reported together.

use crate::csv_lines::{LinedReader, Unreadable, not_separated_by_commas, other_separator};
use crate::read_ahead::{NotARecord, ReadAhead};
use carepool_core::Money;
use carepool_core::registry::excerpt;
use carepool_service::RowProblem;
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Problems kept in full; beyond them, only counted (a file with a wrong date format on every
/// line must not fill the memory with the same message).
const KEPT_PROBLEMS: usize = 1_000;

#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error("{path}: cannot read: {cause}")]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path}: {}", shown(problems, *more))]
    Bad {
        path: PathBuf,
        problems: Vec<RowProblem>,
        /// Problems beyond those kept.
        more: usize,
    },
}

/// The first twenty problems, one a line.
fn shown(problems: &[RowProblem], more: usize) -> String {
    let mut lines: Vec<String> = problems.iter().take(20).map(ToString::to_string).collect();
    let left = problems.len() - lines.len() + more;
    if left > 0 {
        lines.push(format!("... and {left} more"));
    }
    lines.join("\n  ")
}

/// `field` without the white space around it, as `str::trim` gives it: most fields have none,
/// and their first and last bytes say so without a look at the characters.
fn trimmed(field: &str) -> &str {
    let plain = |byte: Option<&u8>| byte.is_none_or(u8::is_ascii_graphic);
    let bytes = field.as_bytes();
    match plain(bytes.first()) && plain(bytes.last()) {
        true => field,
        false => field.trim(),
    }
}

/// What stopped the reading of `path` at its header, as the sheet's error.
fn stopped(path: &Path, error: Unreadable) -> FileError {
    let path = path.to_path_buf();
    match error {
        // A line past the bound says its number.
        Unreadable::File(cause) => FileError::Read { path, cause },
        Unreadable::Line { line, reason } => FileError::Bad {
            path,
            problems: vec![RowProblem::new(line, None, reason)],
            more: 0,
        },
    }
}

pub(crate) struct Sheet {
    pub path: PathBuf,
    pub header: Vec<String>,
    /// The line the header is on (after blank lines, if any).
    header_line: u64,
    records: ReadAhead,
    problems: Vec<RowProblem>,
    more: usize,
    /// Whether a line was passed that is not a record: what it held is not known.
    passed_lines: bool,
    /// Whether the header is one column holding another separator than commas (a spreadsheet
    /// set to French or German saves "CSV" with semicolons): said once when the sheet is opened,
    /// not again column by column.
    not_commas: bool,
}

impl Sheet {
    pub fn open(path: &Path) -> Result<Sheet, FileError> {
        let read_error = |cause| FileError::Read {
            path: path.to_path_buf(),
            cause,
        };
        let file = crate::bounded::open(path).map_err(read_error)?;
        // Fields are trimmed when read, not as the reader meets them: most columns of a
        // national extract are never read.
        let mut reader = LinedReader::new(&csv::ReaderBuilder::new(), file);
        let header: Vec<String> = reader
            .headers()
            .map_err(|error| stopped(path, error))?
            .iter()
            .map(|name| name.trim().to_string())
            .collect();
        let not_commas = match header.as_slice() {
            [only] => other_separator(only).map(|(_, name)| name),
            _ => None,
        };
        let header_line = reader.line();
        let mut sheet = Sheet {
            path: path.to_path_buf(),
            header,
            header_line,
            records: ReadAhead::start(reader, Some(path.to_path_buf())).map_err(read_error)?,
            problems: vec![],
            more: 0,
            passed_lines: false,
            not_commas: not_commas.is_some(),
        };
        if let Some(name) = not_commas {
            let message = not_separated_by_commas(name);
            sheet.push(RowProblem::new(header_line, None, message));
        }
        Ok(sheet)
    }

    /// Moves to the next record; false at the end of the file. A line that is not a record
    /// (not as many fields as the header, not UTF-8) is a problem, and the reading goes on.
    pub fn next(&mut self) -> Result<bool, FileError> {
        let mut passed = vec![];
        let read = self.records.next(|bad| passed.push(bad));
        for NotARecord { line, reason } in passed {
            self.passed_lines = true;
            self.push(RowProblem::new(line, None, reason));
        }
        read.map_err(|cause| {
            let path = self.path.clone();
            if self.problems.is_empty() {
                return FileError::Read { path, cause };
            }
            // What was found before the reading stopped is said with what stopped it, first.
            let stopped = RowProblem::new(0, None, format!("the reading stopped: {cause}"));
            let mut problems = std::mem::take(&mut self.problems);
            problems.insert(0, stopped);
            FileError::Bad {
                path,
                problems,
                more: self.more,
            }
        })
    }

    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The position of a column the file must have; a problem if it lacks it (none more if the
    /// header is not separated by commas: that is said already).
    pub fn required(&mut self, name: &str, hint: &str) -> Option<usize> {
        let found = self.column(name);
        if found.is_none() && !self.not_commas {
            let message = format!(
                "no column '{name}' ({hint}); the columns are: {}",
                self.header.join(", ")
            );
            self.push(RowProblem::new(self.header_line, None, message));
        }
        found
    }

    /// The line the current record begins on (0 before the first).
    pub fn line(&self) -> u64 {
        let position = self.records.record().and_then(csv::StringRecord::position);
        position.map_or(0, csv::Position::line)
    }

    /// Whether a line that is not a record was passed (a problem already): a record looked for
    /// later may have been on it.
    pub fn passed_lines(&self) -> bool {
        self.passed_lines
    }

    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    pub fn push(&mut self, problem: RowProblem) {
        match self.problems.len() < KEPT_PROBLEMS {
            true => self.problems.push(problem),
            false => self.more += 1,
        }
    }

    /// A problem on `line` (not necessarily the current one) in `column`.
    pub fn problem_at(&mut self, line: u64, column: usize, message: impl std::fmt::Display) {
        let problem = RowProblem::new(line, Some(&self.header[column]), message.to_string());
        self.push(problem);
    }

    /// A problem of the current line in `column`.
    pub fn problem(&mut self, column: usize, message: impl std::fmt::Display) {
        self.problem_at(self.line(), column, message);
    }

    /// A problem of the whole file, not of one line.
    pub fn file_problem(&mut self, message: impl Into<String>) {
        self.push(RowProblem::new(0, None, message));
    }

    pub fn field(&self, column: usize) -> &str {
        let field = self.records.record().and_then(|record| record.get(column));
        trimmed(field.unwrap_or(""))
    }

    /// The field, or none when it is empty.
    pub fn optional(&self, column: Option<usize>) -> Option<&str> {
        column
            .map(|c| self.field(c))
            .filter(|text| !text.is_empty())
    }

    pub fn number(&mut self, column: usize) -> Option<f64> {
        let text = self.field(column);
        match text.parse::<f64>() {
            Ok(value) if value.is_finite() => Some(value),
            _ => {
                let message = format!("{} is not a number", excerpt(text));
                self.problem(column, message);
                None
            }
        }
    }

    pub fn date(&mut self, column: usize) -> Option<NaiveDate> {
        let text = self.field(column);
        match carepool_core::dates::iso_date(text, str::parse) {
            Ok(date) => Some(date),
            Err(_) => {
                let message = format!("{} is not a date YYYY-MM-DD", excerpt(text));
                self.problem(column, message);
                None
            }
        }
    }

    /// An optional date: none when empty, a problem when not a date.
    pub fn optional_date(&mut self, column: Option<usize>) -> Result<Option<NaiveDate>, ()> {
        match column {
            Some(c) if !self.field(c).is_empty() => self.date(c).map(Some).ok_or(()),
            _ => Ok(None),
        }
    }

    pub fn money(&mut self, column: usize) -> Option<Money> {
        let parsed = self.field(column).parse::<Money>();
        parsed.map_err(|error| self.problem(column, error)).ok()
    }

    pub fn finish<T>(self, value: T) -> Result<T, FileError> {
        match self.problems.is_empty() {
            true => Ok(value),
            false => Err(self.error()),
        }
    }

    pub fn error(self) -> FileError {
        FileError::Bad {
            path: self.path,
            problems: self.problems,
            more: self.more,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::csv_lines::QUOTE_LEFT_OPEN;

    #[test]
    fn a_sheet_saved_on_windows_is_read_on_the_lines_an_editor_shows() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("members.csv");
        let text = "id,birth_date\r\nM1,2001-02-03\r\n\r\nM2,x\r\nM3,2001-02-03,9\r\nM4,y\r\n";
        std::fs::write(&path, format!("\r\n\r\n{text}")).unwrap();
        let mut sheet = Sheet::open(&path).unwrap();
        assert_eq!(sheet.required("sex", "the member's sex"), None);
        let mut lines = vec![];
        while sheet.next().unwrap() {
            lines.push(sheet.line());
            sheet.date(1);
        }
        // Two blank lines before the header: every line is two further down. The line that is
        // not a record is said with the others, and the reading goes on after it.
        assert_eq!(lines, [4, 6, 8]);
        let FileError::Bad { problems, .. } = sheet.error() else {
            panic!("the bad lines are problems");
        };
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "line 3: no column 'sex' (the member's sex); the columns are: id, birth_date",
                "line 6, column birth_date: 'x' is not a date YYYY-MM-DD",
                "line 7: has 3 fields where the header has 2",
                "line 8, column birth_date: 'y' is not a date YYYY-MM-DD",
            ]
        );
    }

    /// The records' first fields, and the problems said, of a sheet of `text`.
    fn read_sheet(text: &str) -> (Vec<String>, Vec<String>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("members.csv");
        std::fs::write(&path, text).unwrap();
        let mut sheet = Sheet::open(&path).unwrap();
        let mut ids = vec![];
        while sheet.next().unwrap() {
            ids.push(sheet.field(0).to_string());
        }
        let problems = match sheet.finish(()) {
            Ok(()) => vec![],
            Err(FileError::Bad { problems, .. }) => {
                problems.iter().map(|p| p.to_string()).collect()
            }
            Err(other) => panic!("{other}"),
        };
        (ids, problems)
    }

    #[test]
    fn a_quote_never_closed_is_said_on_the_line_it_opened() {
        let left_open = format!("line 2: {QUOTE_LEFT_OPEN}");
        // In a column no one reads, the last: the rest of the file went into it unseen.
        let (ids, problems) = read_sheet("id,sex,note\nM1,F,\"oops\nM2,F,x\nM3,M,x\n");
        assert_eq!(ids, ["M1"]);
        assert_eq!(problems, std::slice::from_ref(&left_open));
        // In a middle column, the swallowing record is not one either.
        let (ids, problems) = read_sheet("id,note,sex\nM1,\"oops,F\nM2,x,F\n");
        assert!(ids.is_empty());
        assert_eq!(
            problems,
            ["line 2: has 2 fields where the header has 3", &left_open]
        );
        // In the header: no record at all, and the header's line said.
        let (ids, problems) = read_sheet("id,\"note\nM1,x\nM2,y\n");
        assert!(ids.is_empty());
        assert_eq!(problems, [format!("line 1: {QUOTE_LEFT_OPEN}")]);
        // A quote in a field that did not open with one is a character, even on the last line.
        let (ids, problems) = read_sheet("id,note\nM1,x\nM2,4\" splint\n");
        assert_eq!(ids, ["M1", "M2"]);
        assert!(problems.is_empty(), "{problems:?}");
        // Quotes closed, doubled inside a field, or around a line break: nothing to say.
        let (ids, problems) =
            read_sheet("id,note\nM1,\"say \"\"hi\"\"\"\nM2,\"two\nlines\"\nM3,\"\"\n");
        assert_eq!(ids, ["M1", "M2", "M3"]);
        assert!(problems.is_empty(), "{problems:?}");
    }

    #[test]
    fn a_header_separated_by_semicolons_is_said_once_not_column_by_column() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("members.csv");
        std::fs::write(&path, "id;sex;birth_date\nM1;F;1990-01-01\n").unwrap();
        let mut sheet = Sheet::open(&path).unwrap();
        assert_eq!(sheet.required("id", "the member's id"), None);
        assert_eq!(sheet.required("sex", "F or M"), None);
        let FileError::Bad { problems, .. } = sheet.error() else {
            panic!("the header is a problem");
        };
        let problems: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            problems,
            [
                "line 1: the columns are separated by semicolons, not commas: save the file as CSV \
              with commas (in a spreadsheet, \"CSV UTF-8 (comma delimited)\")"
            ]
        );
        // Said when the sheet is opened, for readers that look for their columns otherwise (a
        // triangle's layout).
        let FileError::Bad { problems, .. } = Sheet::open(&path).unwrap().error() else {
            panic!("the header is a problem");
        };
        assert!(problems[0].message.contains("semicolons"), "{problems:?}");
        // One column, by name, without a separator in it: its own problem.
        std::fs::write(&path, "member\nM1\n").unwrap();
        let mut sheet = Sheet::open(&path).unwrap();
        assert_eq!(sheet.required("id", "the member's id"), None);
        let FileError::Bad { problems, .. } = sheet.error() else {
            panic!("no id");
        };
        assert!(
            problems[0].message.starts_with("no column 'id'"),
            "{problems:?}"
        );
    }

    #[test]
    fn a_sheet_with_a_line_past_the_bound_says_so_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("members.csv");
        let long = "x".repeat(crate::MAX_LINE_BYTES + 1);
        std::fs::write(&path, format!("id\r\nM1\r\n{long}\r\n")).unwrap();
        let mut sheet = Sheet::open(&path).unwrap();
        let error = loop {
            match sheet.next() {
                Ok(true) => {}
                Ok(false) => panic!("the long line is refused"),
                Err(error) => break error.to_string(),
            }
        };
        assert_eq!(
            error,
            format!(
                "{}: cannot read: line 3 is longer than 65536 bytes: not a file carepool reads",
                path.display()
            )
        );
    }

    #[test]
    fn a_line_past_the_bound_is_said_with_the_problems_found_before_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("members.csv");
        let long = "x".repeat(crate::MAX_LINE_BYTES + 1);
        std::fs::write(&path, format!("id,sex\nM1,F,extra\nM2,F\n{long}\nM4,F\n")).unwrap();
        let mut sheet = Sheet::open(&path).unwrap();
        let error = loop {
            match sheet.next() {
                Ok(true) => sheet.problem(1, "not a sex"),
                Ok(false) => panic!("the long line is refused"),
                Err(error) => break error,
            }
        };
        let FileError::Bad {
            problems, more: 0, ..
        } = &error
        else {
            panic!("{error}")
        };
        let said: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(said.len(), 3, "{said:?}");
        assert_eq!(
            said[0],
            "the reading stopped: line 4 is longer than 65536 bytes: not a file carepool reads"
        );
        assert!(said[1].starts_with("line 2: "), "{said:?}");
        assert_eq!(said[2], "line 3, column sex: not a sex");
    }

    #[test]
    fn a_field_is_trimmed_as_str_trim_trims_it() {
        let fields = [
            "",
            " ",
            "M-1",
            " M-1",
            "M-1 ",
            "\tM-1\r",
            "M 1",
            "\u{a0}M-1",
            "M-1\u{3000}",
            "é",
            " é ",
            "é\u{a0}",
            "\u{a0}",
            "1\u{2028}",
            "\u{1}x",
        ];
        for field in fields {
            assert_eq!(trimmed(field), field.trim(), "{field:?}");
        }
    }
}
