//! A CSV file's records read on a thread of their own, a batch at a time, so that cutting a
//! national extract into fields overlaps with what is done with them. Batches go back to the
//! reader to be filled again (no allocation per line), and few are alive at once: a batch ends
//! at a mebibyte of fields, and one that held a long line is not kept, so the memory stays
//! bounded whatever the file (bounded.rs refuses lines past its own limit). A line that is not
//! a record is passed with its reason, so that a file's problems are all said at once.

use crate::csv_lines::{LinedReader, QUOTE_LEFT_OPEN, Unreadable, quote_left_open};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};
use std::thread::JoinHandle;

/// Records a batch holds at most.
const BATCH: usize = 1_024;
/// Bytes of fields after which a batch goes as it is.
const BATCH_BYTES: usize = 1 << 20;
/// A batch with a record longer than this is dropped once read rather than filled again: a
/// record keeps the room of the longest line it ever held.
const REUSED_RECORD_BYTES: usize = 4 << 10;

/// Records read, the lines among them that are not records, then how the reading stopped when
/// it did.
#[derive(Default)]
struct Batch {
    records: Vec<csv::StringRecord>,
    filled: usize,
    longest: usize,
    /// Each line that is not a record, after how many of the batch's records it came, in order.
    unreadable: Vec<(usize, NotARecord)>,
    /// None while more follow; the end of the file, or what stopped the reading.
    end: Option<Result<(), std::io::Error>>,
}

/// A line that could not be read as a record: not as many fields as the header, not UTF-8.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct NotARecord {
    pub line: u64,
    pub reason: String,
}

pub(crate) struct ReadAhead {
    full: Receiver<Batch>,
    empty: SyncSender<Vec<csv::StringRecord>>,
    batch: Batch,
    /// The current record in `batch`, once `next` has been called.
    at: Option<usize>,
    /// The lines of `batch.unreadable` already handed on.
    unreadable_passed: usize,
    /// Tells the reader to stop when the sheet is dropped before the end of its file.
    stop: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
}

/// Fills batches until the end of the file, an error, or the sheet's going. At the end of the
/// file `path`, if given, is looked at again for a quote its last record left open.
fn read_batches<R: Read>(
    mut reader: LinedReader<R>,
    path: Option<PathBuf>,
    full: SyncSender<Batch>,
    empty: Receiver<Vec<csv::StringRecord>>,
    stop: &AtomicBool,
) {
    let mut records = vec![csv::StringRecord::new(); BATCH];
    // Where the last record read, or that could not be read, began: its byte and line; the
    // header's until then (a quote it leaves open takes the whole file into it).
    let mut last_start = (0, reader.line());
    loop {
        let (mut filled, mut bytes, mut longest) = (0, 0, 0);
        let mut unreadable = vec![];
        let mut end = None;
        // A file of nothing but bad lines fills batches of them, no larger.
        while filled < BATCH
            && unreadable.len() < BATCH
            && bytes < BATCH_BYTES
            && !stop.load(Ordering::Relaxed)
        {
            let start = reader.byte();
            match reader.read_record(&mut records[filled]) {
                Ok(true) => {
                    last_start = (start, reader.line());
                    let length = records[filled].as_byte_record().as_slice().len();
                    (bytes, longest) = (bytes + length, longest.max(length));
                    filled += 1;
                }
                Ok(false) => {
                    let left_open = quote_left_open_at_end(path.as_deref(), last_start);
                    end = Some(left_open.map(|left_open| {
                        unreadable.extend(left_open.map(|bad| (filled, bad)));
                    }));
                    break;
                }
                Err(error) => match reader.unreadable(error) {
                    Unreadable::Line { line, reason } => {
                        last_start = (start, line);
                        // The record's room grew to hold the line: a batch keeps it if kept.
                        longest = longest.max((reader.byte() - start) as usize);
                        unreadable.push((filled, NotARecord { line, reason }));
                    }
                    Unreadable::File(cause) => {
                        end = Some(Err(cause));
                        break;
                    }
                },
            }
        }
        let stopped = end.is_some();
        let batch = Batch {
            records,
            filled,
            longest,
            unreadable,
            end,
        };
        if stop.load(Ordering::Relaxed) || full.send(batch).is_err() || stopped {
            return;
        }
        // A batch the sheet is done with, else a new one: the sheet gives one back only when
        // it takes the next, and the channels' bounds keep them few.
        records = match empty.try_recv() {
            Ok(records) => records,
            Err(TryRecvError::Empty) => vec![csv::StringRecord::new(); BATCH],
            Err(TryRecvError::Disconnected) => return,
        };
    }
}

/// The quote the last record of the file `path` left open, which swallowed the rest of it, if it
/// did (the csv reader takes the end of the file as the quote's end).
fn quote_left_open_at_end(
    path: Option<&Path>,
    (start, line): (u64, u64),
) -> Result<Option<NotARecord>, std::io::Error> {
    match path {
        Some(path) if quote_left_open(path, start)? => Ok(Some(NotARecord {
            line,
            reason: QUOTE_LEFT_OPEN.into(),
        })),
        _ => Ok(None),
    }
}

impl ReadAhead {
    /// Reads `reader`'s records (its header already read) on a new thread, each with the line
    /// it begins on; an error if the system gives none. `path` is the file `reader` reads, looked
    /// at again at its end for a quote left open (none for text that is not a file's).
    pub fn start<R: Read + Send + 'static>(
        reader: LinedReader<R>,
        path: Option<PathBuf>,
    ) -> Result<ReadAhead, std::io::Error> {
        let (full_sender, full) = sync_channel::<Batch>(1);
        let (empty, empty_receiver) = sync_channel::<Vec<csv::StringRecord>>(1);
        let stop = Arc::new(AtomicBool::new(false));
        let stop_reading = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("csv reader".into())
            .spawn(move || {
                read_batches(reader, path, full_sender, empty_receiver, &stop_reading)
            })?;
        Ok(ReadAhead {
            full,
            empty,
            batch: Batch::default(),
            at: None,
            unreadable_passed: 0,
            stop,
            reader: Some(thread),
        })
    }

    /// Moves to the next record, handing `not_a_record` each line before it that is not one;
    /// false at the end of the file, an error if the file cannot be read on.
    pub fn next(
        &mut self,
        mut not_a_record: impl FnMut(NotARecord),
    ) -> Result<bool, std::io::Error> {
        loop {
            let next = self.at.map_or(0, |at| at + 1);
            let batch = &mut self.batch;
            for (_, line) in batch.unreadable[self.unreadable_passed..]
                .iter_mut()
                .take_while(|(before, _)| *before <= next)
            {
                self.unreadable_passed += 1;
                not_a_record(std::mem::take(line));
            }
            if next < batch.filled {
                self.at = Some(next);
                return Ok(true);
            }
            if let Some(end) = batch.end.take() {
                // Stays at the last record, and says the end again if asked again.
                batch.end = Some(Ok(()));
                return end.map(|()| false);
            }
            let full = match self.full.recv() {
                Ok(full) => full,
                Err(_) => {
                    // The reader ended without saying why: it panicked; so does the sheet.
                    let reader = self.reader.take().expect("a reader thread");
                    match reader.join() {
                        Err(panic) => std::panic::resume_unwind(panic),
                        Ok(()) => unreachable!("the reader sends its end before it returns"),
                    }
                }
            };
            let spent = std::mem::replace(&mut self.batch, full);
            if !spent.records.is_empty() && spent.longest <= REUSED_RECORD_BYTES {
                // The reader may have stopped, or have a batch to spare: this one is then
                // dropped.
                let _ = self.empty.try_send(spent.records);
            }
            (self.at, self.unreadable_passed) = (None, 0);
        }
    }

    /// The current record; none before the first.
    pub fn record(&self) -> Option<&csv::StringRecord> {
        self.at.map(|at| &self.batch.records[at])
    }
}

impl Drop for ReadAhead {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// Each record's line and fields.
    fn lines(text: String) -> Vec<(u64, Vec<String>)> {
        let mut reader =
            LinedReader::new(&csv::ReaderBuilder::new(), Cursor::new(text.into_bytes()));
        reader.headers().unwrap();
        let mut ahead = ReadAhead::start(reader, None).unwrap();
        let mut read = vec![];
        while ahead.next(|bad| panic!("{bad:?}")).unwrap() {
            let record = ahead.record().unwrap();
            let line = record.position().unwrap().line();
            read.push((line, record.iter().map(str::to_string).collect()));
        }
        assert!(!ahead.next(|_| ()).unwrap(), "the end, said again");
        read
    }

    #[test]
    fn every_record_comes_in_order_whatever_the_batches() {
        for count in [0, 1, BATCH - 1, BATCH, BATCH + 1, 3 * BATCH + 7] {
            let mut text = String::from("a,b\n");
            for i in 0..count {
                text.push_str(&format!("{i},\"x\ny{i}\"\n"));
            }
            let read = lines(text);
            assert_eq!(read.len(), count);
            for (i, (line, fields)) in read.iter().enumerate() {
                // Each record takes two lines: its second field holds a line break.
                assert_eq!(*line, 2 * i as u64 + 2);
                assert_eq!(fields, &[i.to_string(), format!("x\ny{i}")]);
            }
        }
    }

    #[test]
    fn long_lines_end_their_batches_early_and_still_come_in_order() {
        let long = "x".repeat(REUSED_RECORD_BYTES * 2);
        let mut text = String::from("a,b\n");
        for i in 0..300 {
            text.push_str(&format!("{i},{long}\n"));
        }
        let read = lines(text);
        assert_eq!(read.len(), 300);
        assert!(
            read.iter()
                .enumerate()
                .all(|(i, (_, f))| f[0] == i.to_string() && f[1] == long)
        );
    }

    #[test]
    fn a_sheet_left_before_the_end_stops_its_reader() {
        let mut text = String::from("a\n");
        for i in 0..20 * BATCH {
            text.push_str(&format!("{i}\n"));
        }
        let mut reader =
            LinedReader::new(&csv::ReaderBuilder::new(), Cursor::new(text.into_bytes()));
        reader.headers().unwrap();
        let mut ahead = ReadAhead::start(reader, None).unwrap();
        assert!(ahead.next(|_| ()).unwrap());
        let thread = ahead.reader.take().unwrap();
        drop(ahead);
        crate::ends_soon(&thread);
    }

    #[test]
    fn lines_that_are_not_records_come_between_the_records_and_the_reading_goes_on() {
        // Bad lines at the start, across a batch's end, many in a row (more than a batch
        // holds), and last.
        let bad_at =
            |i: usize| i < 2 || (BATCH - 1..BATCH + 2).contains(&i) || i.is_multiple_of(700);
        let count = 3 * BATCH;
        let mut text = String::from("a,b\n");
        for i in 0..count {
            match bad_at(i) {
                true => text.push_str("bad\n"),
                false => text.push_str(&format!("{i},{i}\n")),
            }
        }
        text.push_str(&"bad\n".repeat(BATCH + 3));
        let mut reader =
            LinedReader::new(&csv::ReaderBuilder::new(), Cursor::new(text.into_bytes()));
        reader.headers().unwrap();
        let mut ahead = ReadAhead::start(reader, None).unwrap();
        // Each line as read: its number, and its first field or its reason.
        let mut read = vec![];
        loop {
            let mut passed = vec![];
            let more = ahead.next(|bad| passed.push(bad)).unwrap();
            read.extend(passed.into_iter().map(|bad| (bad.line, bad.reason)));
            if !more {
                break;
            }
            let record = ahead.record().unwrap();
            read.push((record.position().unwrap().line(), record[0].to_string()));
        }
        assert!(!ahead.next(|bad| panic!("{bad:?} passed twice")).unwrap());
        let expected: Vec<(u64, String)> = (0..count)
            .map(|i| match bad_at(i) {
                true => "has 1 fields where the header has 2".to_string(),
                false => i.to_string(),
            })
            .chain((0..BATCH + 3).map(|_| "has 1 fields where the header has 2".to_string()))
            .enumerate()
            .map(|(i, what)| (i as u64 + 2, what))
            .collect();
        assert_eq!(read, expected);
    }

    #[test]
    fn a_line_that_is_not_utf8_is_passed_with_its_reason() {
        let text = b"a,b\n1,x\n2,\xff\n3,y\n".to_vec();
        let mut reader = LinedReader::new(&csv::ReaderBuilder::new(), Cursor::new(text));
        reader.headers().unwrap();
        let mut ahead = ReadAhead::start(reader, None).unwrap();
        let mut passed = vec![];
        let mut records = vec![];
        while ahead.next(|bad| passed.push(bad)).unwrap() {
            records.push(ahead.record().unwrap()[0].to_string());
        }
        assert_eq!(records, ["1", "3"]);
        let utf8 = NotARecord {
            line: 3,
            reason: "is not valid UTF-8".into(),
        };
        assert_eq!(passed, [utf8]);
    }
}
