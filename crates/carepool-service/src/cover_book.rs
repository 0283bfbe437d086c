//! Every member's cover periods, as the experience study reads them: in three flat lists rather
//! than a map of millions of small vectors (a national scheme's 20 million members' cover took
//! 2.4 GB as a map, about a third of that here), looked up by id.

use carepool_actuarial::experience::CoverPeriod;

#[derive(Default)]
pub(crate) struct CoverBook {
    /// The members' ids one after the other, in ascending byte order; the i-th ends at
    /// `ends[i]`.
    ids: String,
    ends: Vec<usize>,
    /// The i-th member's periods start at `first[i]` in `periods`.
    first: Vec<usize>,
    periods: Vec<CoverPeriod>,
}

impl CoverBook {
    /// Adds a period of `member`'s; the periods come in the order of their members' ids (as
    /// the store reads a table in key order), else an error says which came out of order.
    pub fn add(&mut self, member: &str, period: CoverPeriod) -> Result<(), String> {
        let last = self.ends.len().checked_sub(1).map(|i| self.id(i));
        match last {
            Some(last) if last == member => {}
            Some(last) if last > member => {
                return Err(format!(
                    "cover of member {member} read after that of {last}, not in the order of ids"
                ));
            }
            _ => {
                self.ids.push_str(member);
                self.ends.push(self.ids.len());
                self.first.push(self.periods.len());
            }
        }
        self.periods.push(period);
        Ok(())
    }

    /// The periods of `member`, none for a member without cover.
    pub fn of(&self, member: &str) -> &[CoverPeriod] {
        let (mut low, mut high) = (0, self.ends.len());
        while low < high {
            let middle = low + (high - low) / 2;
            match self.id(middle).cmp(member) {
                std::cmp::Ordering::Less => low = middle + 1,
                std::cmp::Ordering::Greater => high = middle,
                std::cmp::Ordering::Equal => {
                    let end = (self.first.get(middle + 1).copied()).unwrap_or(self.periods.len());
                    return &self.periods[self.first[middle]..end];
                }
            }
        }
        &[]
    }

    fn id(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.ids[start..self.ends[i]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn period(month: u32) -> CoverPeriod {
        CoverPeriod {
            start: NaiveDate::from_ymd_opt(2025, month, 1).unwrap(),
            end: None,
        }
    }

    #[test]
    fn each_member_finds_its_own_periods_and_a_member_without_cover_none() {
        let mut book = CoverBook::default();
        for (member, month) in [
            ("M1", 1),
            ("M1", 4),
            ("M10", 2),
            ("M2", 3),
            ("M2", 5),
            ("M9", 6),
        ] {
            book.add(member, period(month)).unwrap();
        }
        assert_eq!(book.of("M1"), [period(1), period(4)]);
        assert_eq!(book.of("M10"), [period(2)]);
        assert_eq!(book.of("M2"), [period(3), period(5)]);
        assert_eq!(book.of("M9"), [period(6)]);
        for without in ["M0", "M", "M11", "M3", "M99", ""] {
            assert!(book.of(without).is_empty(), "{without}");
        }
        assert!(CoverBook::default().of("M1").is_empty());
    }

    #[test]
    fn periods_out_of_the_order_of_ids_are_refused() {
        let mut book = CoverBook::default();
        book.add("M2", period(1)).unwrap();
        let refused = book.add("M1", period(2)).unwrap_err();
        assert!(
            refused.contains("M1") && refused.contains("M2"),
            "{refused}"
        );
    }
}
