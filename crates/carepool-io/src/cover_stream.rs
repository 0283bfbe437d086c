//! A coverage file read beside the members file, in step with it, when both come in member
//! order as the registry exports them: each member's periods are taken from the head of the
//! coverage as the member is read, so the coverage is never held whole (about 440 MB at ten
//! million members) and is read on a thread of its own while the members are. A line of
//! either file out of member order stops this: the study then reads both again, the coverage
//! held whole and searched (`CoverFile`).

use crate::sheet::FileError;
use carepool_actuarial::experience::CoverPeriod;
use std::cmp::Ordering;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;

/// Coverage lines sent at a time.
const BATCH: usize = 4_096;

/// Coverage lines in file order, their members' ids end to end.
#[derive(Default)]
struct Batch {
    ids: String,
    /// Where each line's member id ends in `ids`, the line, and its period.
    lines: Vec<(usize, u64, CoverPeriod)>,
}

impl Batch {
    fn push(&mut self, member: &str, line: u64, period: CoverPeriod) {
        self.ids.push_str(member);
        self.lines.push((self.ids.len(), line, period));
    }

    /// The member, line and period of line `at`.
    fn get(&self, at: usize) -> (&str, u64, CoverPeriod) {
        let start = at.checked_sub(1).map_or(0, |before| self.lines[before].0);
        let (end, line, period) = self.lines[at];
        (&self.ids[start..end], line, period)
    }
}

enum Sent {
    Lines(Batch),
    /// A member's line after a later member's.
    OutOfOrder,
    /// The end of the file: its problems, if any.
    End(Result<(), FileError>),
}

/// Why the members cannot go on taking their periods from the coverage's head.
#[derive(Debug)]
pub(crate) enum Stop {
    /// A line of the coverage or of the members file out of member order.
    OutOfOrder,
    /// The coverage file's problems (they come before the members file's).
    Failed(FileError),
}

pub(crate) struct CoverStream {
    received: Receiver<Sent>,
    batch: Batch,
    /// The head: the next line of `batch` to take.
    at: usize,
    /// The end of the coverage was reached, and it had no problem.
    ended: bool,
    /// The last member asked for.
    last_member: String,
    /// Lines whose member the members file lacks, the first of each member, in line order.
    lacking: Vec<(u64, String)>,
    reader: Option<JoinHandle<()>>,
}

impl CoverStream {
    /// Starts reading the coverage file `path` on a thread of its own: `read` hands each of
    /// its lines with no problem (member, line, period) to the function it is given, while
    /// that says to go on, then says the file's problems.
    pub fn start(
        path: &Path,
        read: impl FnOnce(&mut dyn FnMut(&str, u64, CoverPeriod) -> bool) -> Result<(), FileError>
        + Send
        + 'static,
    ) -> Result<CoverStream, FileError> {
        // Two batches ahead: the reading waits for the members, never holds the file.
        let (sender, received) = sync_channel(2);
        let reader = std::thread::Builder::new()
            .name("coverage".into())
            .spawn(move || send_in_order(read, &sender))
            .map_err(|cause| FileError::Read {
                path: path.to_path_buf(),
                cause,
            })?;
        Ok(CoverStream {
            received,
            batch: Batch::default(),
            at: 0,
            ended: false,
            last_member: String::new(),
            lacking: vec![],
            reader: Some(reader),
        })
    }

    /// The member's periods, added to `periods` (none the second time a member is asked
    /// for); the lines of members before it are lacking from the members file.
    pub fn take(&mut self, member: &str, periods: &mut Vec<CoverPeriod>) -> Result<(), Stop> {
        if member < self.last_member.as_str() {
            return Err(Stop::OutOfOrder);
        }
        self.last_member.clear();
        self.last_member.push_str(member);
        while self.fill()? {
            let (id, line, period) = self.batch.get(self.at);
            match id.cmp(member) {
                Ordering::Less => note_lacking(&mut self.lacking, id, line),
                Ordering::Equal => periods.push(period),
                Ordering::Greater => break,
            }
            self.at += 1;
        }
        Ok(())
    }

    /// The lines after the last member's (all lacking) read to the end of the file: the
    /// members the members file lacks, each with its first line, in line order.
    pub fn rest(&mut self) -> Result<Vec<(u64, String)>, Stop> {
        while self.fill()? {
            let (id, line, _) = self.batch.get(self.at);
            note_lacking(&mut self.lacking, id, line);
            self.at += 1;
        }
        Ok(std::mem::take(&mut self.lacking))
    }

    /// The coverage read to its end, for its problems only.
    pub fn verdict(mut self) -> Result<(), Stop> {
        while self.fill()? {
            self.at = self.batch.lines.len();
        }
        Ok(())
    }

    /// Whether there is a line at the head, the next batch received if need be.
    fn fill(&mut self) -> Result<bool, Stop> {
        while self.at == self.batch.lines.len() {
            if self.ended {
                return Ok(false);
            }
            match self.received.recv() {
                Ok(Sent::Lines(batch)) => (self.batch, self.at) = (batch, 0),
                Ok(Sent::OutOfOrder) => return Err(Stop::OutOfOrder),
                Ok(Sent::End(Ok(()))) => self.ended = true,
                Ok(Sent::End(Err(error))) => return Err(Stop::Failed(error)),
                Err(_) => {
                    // The reading ended without saying why: it panicked; so does the study.
                    let reader = self.reader.take().expect("a reading thread");
                    match reader.join() {
                        Err(panic) => std::panic::resume_unwind(panic),
                        Ok(()) => unreachable!("the reading says how it ended before it ends"),
                    }
                }
            }
        }
        Ok(true)
    }
}

/// A line whose member the members file lacks, noted at the member's first line.
fn note_lacking(lacking: &mut Vec<(u64, String)>, member: &str, line: u64) {
    if lacking.last().is_none_or(|(_, last)| last != member) {
        lacking.push((line, member.to_string()));
    }
}

/// Reads the coverage, sending its lines a batch at a time, until its end, a member out of
/// order, or the stream's going (the members stopped first).
fn send_in_order(
    read: impl FnOnce(&mut dyn FnMut(&str, u64, CoverPeriod) -> bool) -> Result<(), FileError>,
    sender: &SyncSender<Sent>,
) {
    let (mut batch, mut last) = (Batch::default(), String::new());
    let (mut out_of_order, mut gone) = (false, false);
    let end = read(&mut |member, line, period| {
        if member < last.as_str() {
            out_of_order = true;
            return false;
        }
        if member != last {
            last.clear();
            last.push_str(member);
        }
        batch.push(member, line, period);
        if batch.lines.len() == BATCH {
            gone = sender
                .send(Sent::Lines(std::mem::take(&mut batch)))
                .is_err();
        }
        !gone
    });
    if gone {
        return;
    }
    if out_of_order {
        let _ = sender.send(Sent::OutOfOrder);
        return;
    }
    if !batch.lines.is_empty() && sender.send(Sent::Lines(batch)).is_err() {
        return;
    }
    let _ = sender.send(Sent::End(end));
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn period(day: u32) -> CoverPeriod {
        CoverPeriod {
            start: NaiveDate::from_ymd_opt(2025, 1, day).unwrap(),
            end: None,
        }
    }

    /// A stream of `lines` (member, day of January), numbered from line 2, then `end`.
    fn stream(lines: Vec<(String, u32)>, end: fn() -> Result<(), FileError>) -> CoverStream {
        let read = move |each: &mut dyn FnMut(&str, u64, CoverPeriod) -> bool| {
            for (at, (member, day)) in lines.iter().enumerate() {
                if !each(member, at as u64 + 2, period(*day)) {
                    break;
                }
            }
            end()
        };
        CoverStream::start(Path::new("coverage.csv"), read).unwrap()
    }

    fn ok() -> Result<(), FileError> {
        Ok(())
    }

    fn taken(cover: &mut CoverStream, member: &str) -> Result<Vec<CoverPeriod>, Stop> {
        let mut periods = vec![];
        cover.take(member, &mut periods).map(|()| periods)
    }

    #[test]
    fn members_in_order_take_their_periods_across_batches_and_the_lacking_are_noted_once() {
        // Every member has two lines, but every third is not in the members file.
        let count = BATCH + 10;
        let lines: Vec<(String, u32)> = (0..count)
            .flat_map(|i| [(format!("M{i:06}"), 1), (format!("M{i:06}"), 2)])
            .collect();
        let mut cover = stream(lines, ok);
        for i in (0..count).filter(|i| i % 3 != 0) {
            let member = format!("M{i:06}");
            assert_eq!(taken(&mut cover, &member).unwrap(), [period(1), period(2)]);
            assert_eq!(taken(&mut cover, &member).unwrap(), [], "asked twice");
        }
        let lacking = cover.rest().unwrap();
        let expected: Vec<(u64, String)> = (0..count)
            .filter(|i| i % 3 == 0)
            .map(|i| (2 * i as u64 + 2, format!("M{i:06}")))
            .collect();
        assert_eq!(lacking, expected);
        assert_eq!(cover.rest().unwrap(), [], "the end, said again");
    }

    #[test]
    fn a_member_or_a_line_out_of_order_stops_the_stream() {
        let lines = |names: &[&str]| names.iter().map(|n| (n.to_string(), 1)).collect();
        let mut cover = stream(lines(&["A", "B", "C"]), ok);
        assert_eq!(taken(&mut cover, "B").unwrap(), [period(1)]);
        assert!(matches!(taken(&mut cover, "A"), Err(Stop::OutOfOrder)));
        // Said as soon as it is known, before the lines read with it: the study reads both
        // files again anyway.
        let mut cover = stream(lines(&["A", "C", "B"]), ok);
        assert!(matches!(taken(&mut cover, "A"), Err(Stop::OutOfOrder)));
        // Members the coverage lacks, and members without cover between others, are in order.
        let mut cover = stream(lines(&["B", "D"]), ok);
        assert_eq!(taken(&mut cover, "A").unwrap(), []);
        assert_eq!(taken(&mut cover, "C").unwrap(), []);
        assert_eq!(
            cover.rest().unwrap(),
            [(2, "B".to_string()), (3, "D".to_string())]
        );
    }

    #[test]
    fn the_coverages_problems_come_after_its_good_lines() {
        let bad = || {
            Err(FileError::Bad {
                path: "coverage.csv".into(),
                problems: vec![carepool_service::RowProblem::new(
                    9,
                    None,
                    "has 3 fields where the header has 2",
                )],
                more: 0,
            })
        };
        let mut cover = stream(vec![("A".into(), 1), ("B".into(), 1)], bad);
        assert_eq!(taken(&mut cover, "A").unwrap(), [period(1)]);
        match taken(&mut cover, "C") {
            Err(Stop::Failed(error)) => assert!(error.to_string().contains("line 9"), "{error}"),
            other => panic!("not the coverage's error: {other:?}"),
        }
    }

    #[test]
    fn members_that_stop_first_stop_the_reading() {
        let lines: Vec<(String, u32)> = (0..20 * BATCH).map(|i| (format!("M{i:08}"), 1)).collect();
        let mut cover = stream(lines, ok);
        assert_eq!(taken(&mut cover, "M00000000").unwrap(), [period(1)]);
        let reader = cover.reader.take().unwrap();
        drop(cover);
        crate::ends_soon(&reader);
    }
}
