//! A CSV file's records read on a thread of their own, a batch at a time, so that cutting a
//! national extract into fields overlaps with what is done with them. Batches go back to the
//! reader to be filled again: no allocation per line, and at most a few batches in memory.

use std::io::Read;
use std::sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel};

/// Records a batch holds.
const BATCH: usize = 1_024;

/// Records read, then how the reading stopped when it did.
struct Batch {
    records: Vec<csv::StringRecord>,
    filled: usize,
    /// None while more follow; the end of the file, or what stopped the reading.
    end: Option<Result<(), csv::Error>>,
}

pub(crate) struct ReadAhead {
    full: Receiver<Batch>,
    empty: SyncSender<Vec<csv::StringRecord>>,
    batch: Batch,
    /// The current record in `batch`, once `next` has been called.
    at: Option<usize>,
}

impl ReadAhead {
    /// Reads `reader`'s records (its header already read) on a new thread.
    pub fn start<R: Read + Send + 'static>(mut reader: csv::Reader<R>) -> ReadAhead {
        let (full_sender, full) = sync_channel::<Batch>(2);
        let (empty, empty_receiver) = sync_channel::<Vec<csv::StringRecord>>(3);
        std::thread::spawn(move || {
            let mut records = vec![csv::StringRecord::new(); BATCH];
            loop {
                let mut filled = 0;
                let mut end = None;
                while filled < BATCH {
                    match reader.read_record(&mut records[filled]) {
                        Ok(true) => filled += 1,
                        Ok(false) => {
                            end = Some(Ok(()));
                            break;
                        }
                        Err(error) => {
                            end = Some(Err(error));
                            break;
                        }
                    }
                }
                let stopped = end.is_some();
                let batch = Batch {
                    records,
                    filled,
                    end,
                };
                // The sheet was dropped (its reading stopped early): nothing waits for more.
                if full_sender.send(batch).is_err() || stopped {
                    return;
                }
                // A batch the sheet is done with, else a new one: the sheet gives one back only
                // when it takes the next, and the channel's bound keeps them few.
                records = match empty_receiver.try_recv() {
                    Ok(records) => records,
                    Err(TryRecvError::Empty) => vec![csv::StringRecord::new(); BATCH],
                    Err(TryRecvError::Disconnected) => return,
                };
            }
        });
        ReadAhead {
            full,
            empty,
            batch: Batch {
                records: vec![],
                filled: 0,
                end: None,
            },
            at: None,
        }
    }

    /// Moves to the next record; false at the end of the file.
    pub fn next(&mut self) -> Result<bool, csv::Error> {
        let next = self.at.map_or(0, |at| at + 1);
        if next < self.batch.filled {
            self.at = Some(next);
            return Ok(true);
        }
        if let Some(end) = self.batch.end.take() {
            // Stays at the last record, and says the end again if asked again.
            self.batch.end = Some(Ok(()));
            return end.map(|()| false);
        }
        let batch = self.full.recv().expect("the reading thread sends its end");
        let spent = std::mem::replace(&mut self.batch, batch);
        if !spent.records.is_empty() {
            // The reader may have stopped already; the batch is then simply dropped.
            let _ = self.empty.send(spent.records);
        }
        self.at = None;
        self.next()
    }

    /// The current record; empty before the first.
    pub fn record(&self) -> Option<&csv::StringRecord> {
        self.at.map(|at| &self.batch.records[at])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each record's line and fields.
    fn lines(text: String) -> Vec<(u64, Vec<String>)> {
        let mut reader = csv::Reader::from_reader(std::io::Cursor::new(text.into_bytes()));
        reader.headers().unwrap();
        let mut ahead = ReadAhead::start(reader);
        let mut read = vec![];
        while ahead.next().unwrap() {
            let record = ahead.record().unwrap();
            let line = record.position().unwrap().line();
            read.push((line, record.iter().map(str::to_string).collect()));
        }
        assert!(!ahead.next().unwrap(), "the end, said again");
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
    fn a_record_that_cannot_be_read_stops_the_reading_after_those_before_it() {
        let mut text = String::from("a,b\n");
        for i in 0..BATCH + 5 {
            text.push_str(&format!("{i},{i}\n"));
        }
        text.push_str("bad\n");
        let mut reader = csv::Reader::from_reader(std::io::Cursor::new(text.into_bytes()));
        reader.headers().unwrap();
        let mut ahead = ReadAhead::start(reader);
        for _ in 0..BATCH + 5 {
            assert!(ahead.next().unwrap());
        }
        let error = ahead.next().unwrap_err();
        assert!(
            error.to_string().contains("found record with 1 fields"),
            "{error}"
        );
    }
}
