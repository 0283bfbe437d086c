//! A CSV reader that gives each record the line a person sees it begin on in an editor.
//!
//! The csv crate dates a record from where the record before it ended, which is a line short
//! after each CR LF (the LF is passed at the start of the next record) and after each blank line
//! it skips (BurntSushi/rust-csv#395): in a file saved by a spreadsheet on Windows every problem
//! would be reported on the line above. Here the line breaks under the reader are noted as they
//! are read, and a record's line is that of its first byte that is not a line break, lines ended
//! by LF, CR LF or CR alone as the csv reader ends its records.

use std::collections::VecDeque;
use std::io::{self, Read};
use std::path::Path;

/// Runs held past which those inside the record being read are only counted (a quote never
/// closed reads the rest of the file as one record).
const MOST_RUNS_HELD: usize = 1_024;

/// The bytes under a csv reader, with the line breaks read but not yet passed.
struct LineBreaks<R> {
    inner: R,
    /// Bytes read from `inner` so far.
    read: u64,
    /// The runs of CR and LF bytes not yet passed, in the file's order. One run stands for any
    /// number of blank lines; the csv reader reads at most its buffer (8 KiB) ahead of the
    /// record it is asked for, and each record passes the runs before it, so the runs held are
    /// those of the buffer, and those of the record being read up to [`MOST_RUNS_HELD`].
    runs: VecDeque<BreakRun>,
    /// Just past the last CR read: a LF there ends the same line as the CR.
    after_cr: Option<u64>,
    /// Line ends passed.
    lines_passed: u64,
    /// Where the record being read starts (line breaks before it included).
    record_start: u64,
    /// Line ends of runs no longer held that lie inside the record being read.
    inside_record: u64,
}

/// Consecutive CR and LF bytes: from `start` up to `end` (excluded), ending `line_ends` lines.
struct BreakRun {
    start: u64,
    end: u64,
    line_ends: u64,
}

impl<R: Read> Read for LineBreaks<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        // The csv reader asks for more only once it has passed every byte read so far.
        if self.runs.len() > MOST_RUNS_HELD {
            self.count_runs_inside_record();
        }
        let read = self.inner.read(buf)?;
        for at in memchr::memchr2_iter(b'\r', b'\n', &buf[..read]) {
            let offset = self.read + at as u64;
            // A CR ends a line, and so does a LF but the one of a CR LF.
            let is_cr = buf[at] == b'\r';
            let ends_line = u64::from(is_cr || self.after_cr != Some(offset));
            if is_cr {
                self.after_cr = Some(offset + 1);
            }
            match self.runs.back_mut() {
                Some(run) if run.end == offset => {
                    run.end += 1;
                    run.line_ends += ends_line;
                }
                _ => self.runs.push_back(BreakRun {
                    start: offset,
                    end: offset + 1,
                    line_ends: ends_line,
                }),
            }
        }
        self.read += read as u64;
        Ok(read)
    }
}

impl<R> LineBreaks<R> {
    fn new(inner: R) -> LineBreaks<R> {
        LineBreaks {
            inner,
            read: 0,
            runs: VecDeque::new(),
            after_cr: None,
            lines_passed: 0,
            record_start: 0,
            inside_record: 0,
        }
    }

    /// The line of a record read from byte `start`: that of the first byte from there that is
    /// not a CR or LF (the csv reader skips line breaks before a record), the end of the run
    /// `start` is in if it is in one. Asked with `start`s in the file's order, once the
    /// record's first byte is read.
    fn line_of_record_from(&mut self, start: u64) -> u64 {
        while let Some(run) = self.runs.front()
            && run.start <= start
        {
            self.lines_passed += run.line_ends;
            self.runs.pop_front();
        }
        let line = self.lines_passed + 1;
        // Those counted while the record was read lie inside it: before the next record.
        self.lines_passed += std::mem::take(&mut self.inside_record);
        line
    }

    /// Counts, and no longer holds, the runs inside the record being read: those passed that
    /// start after where its reading started (a byte that is not a line break lies between).
    fn count_runs_inside_record(&mut self) {
        let start = self.record_start;
        let inside = self.runs.partition_point(|run| run.start <= start);
        let line_ends: u64 = self.runs.drain(inside..).map(|run| run.line_ends).sum();
        self.inside_record += line_ends;
    }
}

/// A csv reader whose records carry the line they begin on.
pub(crate) struct LinedReader<R> {
    reader: csv::Reader<LineBreaks<R>>,
    /// The line of the last record read (the header counts), or of the one that could not be
    /// read.
    line: u64,
    header_read: bool,
}

impl<R: Read> LinedReader<R> {
    pub fn new(builder: &csv::ReaderBuilder, inner: R) -> LinedReader<R> {
        LinedReader {
            reader: builder.from_reader(LineBreaks::new(inner)),
            line: 1,
            header_read: false,
        }
    }

    /// The header; [`LinedReader::line`] then gives the line it is on (after blank lines, a
    /// workbook's empty first rows among them).
    pub fn headers(&mut self) -> Result<&csv::StringRecord, Unreadable> {
        let read = self
            .read_header()
            .and_then(|()| self.reader.headers().map(|_| ()));
        if let Err(error) = read {
            return Err(self.unreadable(error));
        }
        Ok(self.reader.headers().expect("a header read above"))
    }

    fn read_header(&mut self) -> csv::Result<()> {
        if !self.header_read {
            // A file of blank lines has no header: its problem stays on line 1.
            if !self.reader.byte_headers()?.is_empty() {
                self.line = self.reader.get_mut().line_of_record_from(0);
            }
            self.header_read = true;
        }
        Ok(())
    }

    /// Reads the next record, its position's line set to the line it begins on (as is
    /// [`LinedReader::line`], also when the record cannot be read).
    pub fn read_record(&mut self, record: &mut csv::StringRecord) -> csv::Result<bool> {
        let before = self.position_after_header()?;
        let read = self.reader.read_record(record);
        record.set_position(Some(self.positioned(before)));
        read
    }

    /// [`LinedReader::read_record`] for a record of bytes.
    pub fn read_byte_record(&mut self, record: &mut csv::ByteRecord) -> csv::Result<bool> {
        let before = self.position_after_header()?;
        let read = self.reader.read_byte_record(record);
        record.set_position(Some(self.positioned(before)));
        read
    }

    /// The line the last record read (or that could not be read) begins on.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// What `error`, from the last record read, says of the file.
    pub fn unreadable(&self, error: csv::Error) -> Unreadable {
        let reason = match error.kind() {
            csv::ErrorKind::UnequalLengths {
                len, expected_len, ..
            } => format!("has {len} fields where the header has {expected_len}"),
            csv::ErrorKind::Utf8 { .. } => "is not valid UTF-8".to_string(),
            csv::ErrorKind::Io(_) => match error.into_kind() {
                csv::ErrorKind::Io(cause) => return Unreadable::File(cause),
                _ => unreachable!("an I/O error"),
            },
            _ => error.to_string(),
        };
        Unreadable::Line {
            line: self.line,
            reason,
        }
    }

    /// The byte where the next record's reading starts (line breaks before it included).
    pub fn byte(&self) -> u64 {
        self.reader.position().byte()
    }

    /// Where the next record's reading starts, the header read first if the file has one (else
    /// the csv reader reads it with the first record, from the start of the file).
    fn position_after_header(&mut self) -> csv::Result<csv::Position> {
        if self.reader.has_headers() {
            self.read_header()?;
        }
        let position = self.reader.position().clone();
        self.reader.get_mut().record_start = position.byte();
        Ok(position)
    }

    /// The position the csv reader gave the record just read from `before`, with its line.
    fn positioned(&mut self, mut before: csv::Position) -> csv::Position {
        self.line = (self.reader.get_mut()).line_of_record_from(before.byte());
        before.set_line(self.line);
        before
    }
}

/// The separator a header read as one column holds instead of commas, and its name (a
/// spreadsheet set to French or German saves "CSV" with semicolons), if it holds one.
pub(crate) fn other_separator(only_column: &str) -> Option<(char, &'static str)> {
    [(';', "semicolons"), ('\t', "tabs"), ('|', "bars")]
        .into_iter()
        .find(|(separator, _)| only_column.contains(*separator))
}

/// What is said of a file separated by `name` (see [`other_separator`]).
pub(crate) fn not_separated_by_commas(name: &str) -> String {
    format!(
        "the columns are separated by {name}, not commas: save the file as CSV with commas (in a \
         spreadsheet, \"CSV UTF-8 (comma delimited)\")"
    )
}

/// What is said of a record that swallowed the rest of its file.
pub(crate) const QUOTE_LEFT_OPEN: &str =
    "a quote opened on this line is never closed: the rest of the file would be read as one field";

/// Whether the text of `path` from byte `start` (where its last record began) ends inside a
/// quoted field: the csv reader takes the end of the file as the end of an open quote. The text
/// is read as the csv reader reads it: a quote opens a field only at its start, and a quote
/// elsewhere in a field that did not open with one is a character like any other. Not known of
/// a pipe, which cannot be read again.
pub(crate) fn quote_left_open(path: &Path, start: u64) -> io::Result<bool> {
    use std::io::{Seek, SeekFrom};
    if !std::fs::metadata(path)?.is_file() {
        return Ok(false);
    }
    let mut file = std::fs::File::open(path)?;
    file.seek(SeekFrom::Start(start))?;
    let mut at = QuoteState::FieldStart;
    let mut chunk = vec![0; 1 << 16];
    loop {
        let read = file.read(&mut chunk)?;
        if read == 0 {
            return Ok(at == QuoteState::Quoted);
        }
        at = chunk[..read].iter().fold(at, |at, &byte| at.after(byte));
    }
}

/// Where the csv reader is in a record, as far as its quotes go.
#[derive(Clone, Copy, PartialEq)]
enum QuoteState {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: doubled, it is one quote; else it closed the field.
    QuoteInQuoted,
}

impl QuoteState {
    fn after(self, byte: u8) -> QuoteState {
        let ends_field = matches!(byte, b',' | b'\n' | b'\r');
        match self {
            QuoteState::Quoted if byte == b'"' => QuoteState::QuoteInQuoted,
            QuoteState::Quoted => QuoteState::Quoted,
            QuoteState::FieldStart if byte == b'"' => QuoteState::Quoted,
            QuoteState::QuoteInQuoted if byte == b'"' => QuoteState::Quoted,
            _ if ends_field => QuoteState::FieldStart,
            _ => QuoteState::Unquoted,
        }
    }
}

/// Why a record could not be read.
#[derive(Debug)]
pub(crate) enum Unreadable {
    /// The file cannot be read on (a line past the bound, the disk): nothing after is read.
    File(io::Error),
    /// The record beginning on `line` is not one: not as many fields as the header, not UTF-8.
    Line { line: u64, reason: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_quote_is_open_at_the_end_only_as_the_csv_reader_reads_quotes() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("last.csv");
        let cases = [
            // A quote inside a field that did not open with one is a character.
            ("M1,Splint 4\" roll\n", false),
            ("M1,\"Splint 4\"\" roll\"\n", false),
            ("M1,\"open\nM2,x\nM3,y\n", true),
            ("M1,x,\"open", true),
            // A doubled quote does not close the field; the file ends inside it.
            ("M1,\"a\n\"\",b\n", true),
            // Closed, then characters after it in the same field: csv reads them on.
            ("M1,\"a\"b\"\n", false),
            ("M1,\"two\r\nlines\"\r\n", false),
            ("\"M1\"\r\"M2", true),
        ];
        for (text, open) in cases {
            std::fs::write(&path, text).unwrap();
            assert_eq!(quote_left_open(&path, 0).unwrap(), open, "{text:?}");
        }
        // From where the last record began, not the file's start.
        std::fs::write(&path, "M0,\"a\nb\"\nM1,x\n").unwrap();
        assert!(
            quote_left_open(&path, 7).unwrap(),
            "from the closing quote, which then opens one"
        );
        assert!(!quote_left_open(&path, 0).unwrap());
    }

    /// Each record's line and first field, read from `text` handed over `chunk` bytes at a time.
    fn lines(text: &str, chunk: usize) -> Vec<(u64, String)> {
        let chunks = Chunked {
            bytes: text.as_bytes(),
            chunk,
        };
        let mut reader = LinedReader::new(csv::ReaderBuilder::new().flexible(true), chunks);
        reader.headers().unwrap();
        let mut record = csv::StringRecord::new();
        let mut read = vec![];
        while reader.read_record(&mut record).unwrap() {
            let line = record.position().unwrap().line();
            assert_eq!(line, reader.line());
            read.push((line, record[0].to_string()));
        }
        read
    }

    /// Bytes handed out a few at a time, as a file is read in pieces that cut lines anywhere.
    struct Chunked<'a> {
        bytes: &'a [u8],
        chunk: usize,
    }

    impl Read for Chunked<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let size = self.chunk.min(buf.len()).min(self.bytes.len());
            buf[..size].copy_from_slice(&self.bytes[..size]);
            self.bytes = &self.bytes[size..];
            Ok(size)
        }
    }

    fn expected(pairs: &[(u64, &str)]) -> Vec<(u64, String)> {
        pairs.iter().map(|&(l, f)| (l, f.to_string())).collect()
    }

    #[test]
    fn records_are_on_the_lines_an_editor_shows_whatever_the_line_ends() {
        let cases = [
            ("a,b\n1,2\n3,4\n", expected(&[(2, "1"), (3, "3")])),
            ("a,b\r\n1,2\r\n3,4\r\n", expected(&[(2, "1"), (3, "3")])),
            ("a,b\r1,2\r3,4", expected(&[(2, "1"), (3, "3")])),
            // Blank lines are skipped and counted, however they end.
            ("a,b\n\n1,2\n\n\n3,4\n", expected(&[(3, "1"), (6, "3")])),
            (
                "\r\na,b\r\n\r\n1,2\r\n\r\n\r\n3,4\r\n\r\n",
                expected(&[(4, "1"), (7, "3")]),
            ),
            // A quoted field over several lines: the record is on its first.
            (
                "a,b\r\n\"x\r\ny\",2\r\n\"p\nq\nr\",4\n5,6",
                expected(&[(2, "x\r\ny"), (4, "p\nq\nr"), (7, "5")]),
            ),
            // A record that starts with an empty field starts at its comma.
            ("a,b\r\n,2\r\n\r\n,4\r\n", expected(&[(2, ""), (4, "")])),
        ];
        for (text, want) in cases {
            for chunk in [1, 2, 3, 5, 8192] {
                assert_eq!(
                    lines(text, chunk),
                    want,
                    "{text:?} read {chunk} bytes at a time"
                );
            }
        }
    }

    #[test]
    fn a_record_that_cannot_be_read_is_placed_on_its_line() {
        let text = "a,b\r\n1,2\r\n\r\n3,4,5\r\n6,7\r\n";
        let mut reader = LinedReader::new(&csv::ReaderBuilder::new(), text.as_bytes());
        reader.headers().unwrap();
        let mut record = csv::StringRecord::new();
        assert!(reader.read_record(&mut record).unwrap());
        assert_eq!(reader.line(), 2);
        let error = reader.read_record(&mut record).unwrap_err();
        let Unreadable::Line { line, reason } = reader.unreadable(error) else {
            panic!("a line that is not a record");
        };
        assert_eq!(
            (line, reason.as_str()),
            (4, "has 3 fields where the header has 2")
        );
        assert!(reader.read_record(&mut record).unwrap());
        assert_eq!((reader.line(), &record[0]), (5, "6"));
        assert!(!reader.read_record(&mut record).unwrap());
    }

    #[test]
    fn blank_lines_however_many_are_held_as_one_run() {
        let mut text = String::from("a\r\n");
        text.push_str(&"\r\n".repeat(100_000));
        text.push_str("\r\r\n\n\nb\r\n");
        let mut breaks = LineBreaks::new(text.as_bytes());
        io::copy(&mut breaks, &mut io::sink()).unwrap();
        assert_eq!(breaks.runs.len(), 2, "the blank lines, then b's line end");
        // a's line end, 100,000 blank lines, then a CR, a CR LF and two LFs: b is on the line
        // after 100,005 line ends.
        let b = text.find('b').unwrap() as u64;
        assert_eq!(breaks.line_of_record_from(1), 100_006);
        assert_eq!(breaks.line_of_record_from(b), 100_006);
    }

    #[test]
    fn the_runs_held_stay_few_however_long_the_file() {
        let mut text = String::from("a,b\r\n");
        for i in 0..20_000 {
            text.push_str(&format!("{i},x\r\n"));
            text.push_str(&"\r\n".repeat(i % 50));
        }
        let mut reader = LinedReader::new(&csv::ReaderBuilder::new(), text.as_bytes());
        let mut record = csv::ByteRecord::new();
        let (mut most_held, mut count, mut line) = (0, 0, 2);
        while reader.read_byte_record(&mut record).unwrap() {
            assert_eq!(reader.line(), line);
            line += 1 + count % 50;
            count += 1;
            most_held = most_held.max(reader.reader.get_ref().runs.len());
        }
        assert_eq!(count, 20_000);
        // At most a run a record in the csv reader's buffer (8 KiB) of records of 5 bytes.
        assert!(most_held < 8 * 1024 / 5, "{most_held} runs held");
    }

    #[test]
    fn a_record_over_many_lines_is_counted_without_holding_them() {
        // A quoted field over 5,000 lines, closed: the record after it is on the line after.
        let mut text = String::from("a,b\n\"");
        text.push_str(&"x\r\n".repeat(5_000));
        text.push_str("\",1\n2,3\n");
        // A quote never closed: the rest of the file is one record.
        text.push_str("\"open,4\n");
        text.push_str(&"x\n".repeat(100_000));
        let mut reader =
            LinedReader::new(csv::ReaderBuilder::new().flexible(true), text.as_bytes());
        let mut record = csv::ByteRecord::new();
        let mut lines = vec![];
        while reader.read_byte_record(&mut record).unwrap() {
            lines.push(reader.line());
            let held = reader.reader.get_ref().runs.len();
            assert!(held <= MOST_RUNS_HELD + 8 * 1024, "{held} runs held");
        }
        assert_eq!(lines, [2, 5_003, 5_004]);
    }

    #[test]
    fn the_header_is_read_before_the_first_record_if_not_asked_for() {
        let text = "\r\na,b\r\n\r\n1,2\r\n";
        let mut reader = LinedReader::new(&csv::ReaderBuilder::new(), text.as_bytes());
        let mut record = csv::StringRecord::new();
        assert!(reader.read_record(&mut record).unwrap());
        assert_eq!((reader.line(), &record[0]), (4, "1"));
    }
}
