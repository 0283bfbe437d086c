//! A coverage extract's periods, sorted by member id and found member by member without a hash
//! map: tens of millions of lines keep their ids end to end in one string (no allocation per
//! line), and a members file in the coverage file's order (the registry's exports are both in
//! member order) finds each member's periods where the last member's ended.

use carepool_actuarial::experience::CoverPeriod;
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy)]
struct Covered {
    /// Where the member's id lies in `CoverFile::ids`.
    id_start: usize,
    id_len: u32,
    line: u64,
    period: CoverPeriod,
}

#[derive(Debug, Default)]
pub(crate) struct CoverFile {
    /// Every line's member id, end to end.
    ids: String,
    /// Sorted by member id, then line.
    lines: Vec<Covered>,
    /// Whether each line's member was found in the members file.
    taken: Vec<bool>,
    /// Where the member after the last one found would start, in a file in member order.
    next: usize,
    sorted: bool,
}

impl CoverFile {
    pub fn new() -> CoverFile {
        CoverFile {
            sorted: true,
            ..CoverFile::default()
        }
    }

    fn id(&self, covered: &Covered) -> &str {
        &self.ids[covered.id_start..covered.id_start + covered.id_len as usize]
    }

    pub fn push(&mut self, member: &str, line: u64, period: CoverPeriod) {
        let covered = Covered {
            id_start: self.ids.len(),
            id_len: member.len() as u32,
            line,
            period,
        };
        self.sorted &= self.lines.last().is_none_or(|last| self.id(last) <= member);
        self.ids.push_str(member);
        self.lines.push(covered);
    }

    /// Ready to be searched: every line read.
    pub fn finish_reading(&mut self) {
        if !self.sorted {
            // Stable: a member's periods keep the file's order.
            let mut lines = std::mem::take(&mut self.lines);
            lines.sort_by(|a, b| self.id(a).cmp(self.id(b)));
            self.lines = lines;
            self.sorted = true;
        }
        self.taken = vec![false; self.lines.len()];
    }

    /// Members with at least one period.
    pub fn member_count(&self) -> usize {
        let distinct = self.lines.windows(2);
        let changes = distinct
            .filter(|pair| self.id(&pair[0]) != self.id(&pair[1]))
            .count();
        changes + usize::from(!self.lines.is_empty())
    }

    /// The member's periods, added to `periods`; none the second time a member is asked for.
    pub fn take(&mut self, member: &str, periods: &mut Vec<CoverPeriod>) {
        let at_next = self
            .lines
            .get(self.next)
            .is_some_and(|covered| self.id(covered) == member);
        let first = match at_next {
            true => self.next,
            false => self
                .lines
                .partition_point(|covered| self.id(covered).cmp(member) == Ordering::Less),
        };
        let mut end = first;
        while end < self.lines.len() && self.id(&self.lines[end]) == member {
            end += 1;
        }
        if first < end && !self.taken[first] {
            periods.extend(self.lines[first..end].iter().map(|c| c.period));
            self.taken[first..end].fill(true);
        }
        self.next = end;
    }

    /// The members never asked for, each with the first line they are on, in line order.
    pub fn not_taken(&self) -> Vec<(u64, &str)> {
        let mut left: Vec<(u64, &str)> = vec![];
        for (index, covered) in self.lines.iter().enumerate() {
            let first_of_member = index == 0 || self.id(&self.lines[index - 1]) != self.id(covered);
            if first_of_member && !self.taken[index] {
                left.push((covered.line, self.id(covered)));
            }
        }
        left.sort_unstable();
        left
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn period(start: &str) -> CoverPeriod {
        CoverPeriod {
            start: start.parse::<NaiveDate>().unwrap(),
            end: None,
        }
    }

    fn file(lines: &[(&str, &str)]) -> CoverFile {
        let mut cover = CoverFile::new();
        for (line, (member, start)) in lines.iter().enumerate() {
            cover.push(member, line as u64 + 2, period(start));
        }
        cover.finish_reading();
        cover
    }

    fn taken(cover: &mut CoverFile, member: &str) -> Vec<CoverPeriod> {
        let mut periods = vec![];
        cover.take(member, &mut periods);
        periods
    }

    #[test]
    fn members_asked_in_the_file_order_or_any_other_find_their_periods_once() {
        let lines = [
            ("M2", "2025-01-01"),
            ("M1", "2025-03-01"),
            ("M2", "2024-01-01"),
            ("M10", "2025-02-01"),
            ("M9", "2025-02-01"),
        ];
        let mut cover = file(&lines);
        assert_eq!(cover.member_count(), 4);
        assert_eq!(
            taken(&mut cover, "M2"),
            [period("2025-01-01"), period("2024-01-01")]
        );
        assert_eq!(taken(&mut cover, "M1"), [period("2025-03-01")]);
        assert_eq!(taken(&mut cover, "M3"), []);
        assert_eq!(taken(&mut cover, "M2"), [], "a member asked twice");
        assert_eq!(cover.not_taken(), [(5, "M10"), (6, "M9")]);
        assert_eq!(taken(&mut cover, "M9"), [period("2025-02-01")]);
        assert_eq!(cover.not_taken(), [(5, "M10")]);
    }

    #[test]
    fn a_file_in_member_order_is_read_in_step() {
        let mut cover = file(&[
            ("A", "2025-01-01"),
            ("B", "2025-01-01"),
            ("B", "2025-06-01"),
        ]);
        assert!(cover.sorted);
        assert_eq!(taken(&mut cover, "A").len(), 1);
        assert_eq!(cover.next, 1);
        assert_eq!(taken(&mut cover, "B").len(), 2);
        assert_eq!(taken(&mut cover, "C"), []);
        assert_eq!(cover.not_taken(), []);
        assert_eq!(file(&[]).member_count(), 0);
    }
}
