//! Ids numbered in the order met (members, families, labels), for tens of millions: the ids lie
//! end to end in one string, so adding one allocates nothing. Extracts and pages usually come
//! in id order (the registry exports members so); while they do, the last id tells whether an
//! id is new and a binary search finds one, with no table at all. The first id out of order
//! builds a hash table of numbers (four bytes an entry), used from then on.

use foldhash::fast::FixedState;
use hashbrown::HashTable;
use hashbrown::hash_table::Entry;
use std::cmp::Ordering;
use std::hash::BuildHasher;

#[derive(Debug, Clone, Default)]
pub struct Numbered {
    /// Every id, end to end, in the order numbered.
    text: String,
    /// Where each id ends in `text` (it starts where the one before ends).
    ends: Vec<usize>,
    /// Numbers found by their ids' hashes; none while every id came after the one before.
    table: Option<HashTable<u32>>,
    // A fixed seed: the ids come from the scheme's own files and database, not an attacker.
    hasher: FixedState,
}

impl Numbered {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The id numbered `number`.
    pub fn name(&self, number: u32) -> &str {
        nth(&self.text, &self.ends, number)
    }

    pub fn get(&self, id: &str) -> Option<u32> {
        let (text, ends) = (&self.text, &self.ends);
        match &self.table {
            Some(table) => {
                let hash = self.hasher.hash_one(id);
                table.find(hash, |&n| nth(text, ends, n) == id).copied()
            }
            None => {
                // The ids are in order: a binary search.
                let (mut low, mut high) = (0, ends.len() as u32);
                while low < high {
                    let middle = low + (high - low) / 2;
                    match nth(text, ends, middle).cmp(id) {
                        Ordering::Less => low = middle + 1,
                        Ordering::Greater => high = middle,
                        Ordering::Equal => return Some(middle),
                    }
                }
                None
            }
        }
    }

    /// As [`Numbered::get`], looking first just after `last` (the number found before): ids
    /// met in the order they were numbered (a family's members after the family before's) are
    /// found with one comparison, not a search.
    pub fn get_after(&self, id: &str, last: Option<u32>) -> Option<u32> {
        let next = last.map_or(0, |last| last.saturating_add(1));
        if (next as usize) < self.ends.len() && nth(&self.text, &self.ends, next) == id {
            return Some(next);
        }
        self.get(id)
    }

    /// The id's number: a new one the first time, else `Err` with the number it has.
    pub fn number_new(&mut self, id: &str) -> Result<u32, u32> {
        // The last u32 is kept for "unknown" by the study.
        let number = u32::try_from(self.ends.len())
            .ok()
            .filter(|&number| number < u32::MAX)
            .expect("fewer than 4 billion ids");
        if self.table.is_none() {
            let last = number.checked_sub(1);
            match last.map(|last| (last, id.cmp(nth(&self.text, &self.ends, last)))) {
                None | Some((_, Ordering::Greater)) => {
                    self.push(id);
                    return Ok(number);
                }
                Some((last, Ordering::Equal)) => return Err(last),
                Some((_, Ordering::Less)) => self.table = Some(self.every_number()),
            }
        }
        let hash = self.hasher.hash_one(id);
        let (text, ends) = (&self.text, &self.ends);
        let table = self
            .table
            .as_mut()
            .expect("a table, built above if not before");
        let rehash = rehasher(text, ends, &self.hasher);
        let entry = table.entry(hash, |&n| nth(text, ends, n) == id, rehash);
        match entry {
            Entry::Occupied(found) => Err(*found.get()),
            Entry::Vacant(room) => {
                room.insert(number);
                self.push(id);
                Ok(number)
            }
        }
    }

    /// The id's number, new or not.
    pub fn number(&mut self, id: &str) -> u32 {
        self.number_new(id).unwrap_or_else(|number| number)
    }

    fn push(&mut self, id: &str) {
        self.text.push_str(id);
        self.ends.push(self.text.len());
    }

    /// A table of every id numbered so far, with room for as many as `reserve` made.
    fn every_number(&self) -> HashTable<u32> {
        let rehash = rehasher(&self.text, &self.ends, &self.hasher);
        let mut table = HashTable::with_capacity(self.ends.capacity());
        for n in 0..self.ends.len() as u32 {
            table.insert_unique(rehash(&n), n, &rehash);
        }
        table
    }

    pub fn reserve(&mut self, additional: usize) {
        self.ends.reserve(additional);
        if let Some(table) = &mut self.table {
            table.reserve(additional, rehasher(&self.text, &self.ends, &self.hasher));
        }
    }

    pub fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
        self.table = None;
    }
}

/// The `number`th id of `text`, whose ids end at `ends`.
fn nth<'a>(text: &'a str, ends: &[usize], number: u32) -> &'a str {
    let number = number as usize;
    let start = number.checked_sub(1).map_or(0, |before| ends[before]);
    &text[start..ends[number]]
}

/// The hash of a number's id, for the table to place its numbers again as it grows.
fn rehasher<'a>(
    text: &'a str,
    ends: &'a [usize],
    hasher: &'a FixedState,
) -> impl Fn(&u32) -> u64 + 'a {
    move |&n| hasher.hash_one(nth(text, ends, n))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_in_order_are_numbered_and_found_without_a_table() {
        let mut numbered = Numbered::default();
        for (i, id) in ["M-1", "M-10", "M-2", "N"].iter().enumerate() {
            assert_eq!(numbered.number_new(id), Ok(i as u32));
        }
        assert_eq!(numbered.number_new("N"), Err(3), "the last one again");
        assert_eq!(numbered.number("N"), 3);
        assert!(numbered.table.is_none());
        let found = ["M-1", "M-10", "M-2", "N"].map(|id| numbered.get(id));
        assert_eq!(found, [Some(0), Some(1), Some(2), Some(3)]);
        // Before the first, between two, after the last, another's start, two end to end.
        for absent in ["", "A", "M-0", "M-11", "M-3", "O", "M", "M-1M-10"] {
            assert_eq!(numbered.get(absent), None, "{absent}");
        }
        assert_eq!(numbered.len(), 4);
    }

    #[test]
    fn an_id_out_of_order_builds_the_table_and_every_id_keeps_its_number() {
        let mut numbered = Numbered::default();
        assert_eq!(numbered.number_new("F-2"), Ok(0));
        assert_eq!(numbered.number_new("F-5"), Ok(1));
        // An earlier id again, out of order: it is known.
        assert_eq!(numbered.number_new("F-2"), Err(0));
        assert!(numbered.table.is_some());
        assert_eq!(numbered.number_new("F-1"), Ok(2));
        assert_eq!(numbered.number_new(""), Ok(3));
        assert_eq!(numbered.number_new("F-5"), Err(1));
        assert_eq!(numbered.number("F-9"), 4);
        assert_eq!(numbered.number_new("F-1"), Err(2));
        let found = ["F-2", "F-5", "F-1", "", "F-9"].map(|id| numbered.get(id));
        assert_eq!(found, [Some(0), Some(1), Some(2), Some(3), Some(4)]);
        assert_eq!([numbered.get("F-3"), numbered.get("F")], [None, None]);
        numbered.clear();
        assert_eq!((numbered.len(), numbered.get("F-2")), (0, None));
        assert_eq!(
            numbered.number_new("F-7"),
            Ok(0),
            "numbered from zero again"
        );
        assert!(numbered.table.is_none(), "in order again until one is not");
    }

    #[test]
    fn ids_met_again_in_their_order_are_found_after_the_last_and_any_other_by_a_search() {
        for out_of_order in [false, true] {
            let mut numbered = Numbered::default();
            for id in ["F-1", "F-2", "F-3", "F-4"] {
                numbered.number(id);
            }
            if out_of_order {
                numbered.number("F-0");
                assert!(numbered.table.is_some());
            }
            let mut last = None;
            for (id, number) in [("F-1", 0), ("F-2", 1), ("F-3", 2), ("F-4", 3)] {
                last = numbered.get_after(id, last);
                assert_eq!(last, Some(number), "{id}");
            }
            // Not just after the last: behind it, far ahead, the same again, unknown.
            assert_eq!(numbered.get_after("F-1", Some(3)), Some(0));
            assert_eq!(numbered.get_after("F-4", Some(0)), Some(3));
            assert_eq!(numbered.get_after("F-2", Some(1)), Some(1));
            assert_eq!(numbered.get_after("F-9", Some(0)), None);
            assert_eq!(numbered.get_after("F-9", Some(u32::MAX)), None);
            assert_eq!(numbered.get_after("F-9", None), None);
        }
        assert_eq!(Numbered::default().get_after("F-1", None), None);
    }

    #[test]
    fn a_hundred_thousand_ids_in_order_or_shuffled_are_all_found() {
        let ids: Vec<String> = (0..100_000).map(|i| format!("F{i:06}é")).collect();
        // In order, then in an order that jumps about (7,919 is prime to 100,000).
        let orders: [Vec<usize>; 2] = [
            (0..ids.len()).collect(),
            (0..ids.len()).map(|i| i * 7_919 % ids.len()).collect(),
        ];
        for order in orders {
            let mut numbered = Numbered::default();
            numbered.reserve(10);
            for (number, &i) in order.iter().enumerate() {
                assert_eq!(numbered.number_new(&ids[i]), Ok(number as u32));
            }
            for (number, &i) in order.iter().enumerate() {
                assert_eq!(numbered.get(&ids[i]), Some(number as u32));
            }
            assert_eq!(numbered.get("F100000é"), None);
            for (number, &i) in order.iter().enumerate().rev() {
                assert_eq!(numbered.number_new(&ids[i]), Err(number as u32));
            }
        }
    }
}
