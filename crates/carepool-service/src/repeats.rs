//! Values an input may give once (keys, national ids), found repeated among tens of millions
//! without keeping them: each value seen is kept as a 64-bit fingerprint. A fingerprint met again
//! makes its value a suspect; two values can share a fingerprint, so a further reading of the
//! input gathers the suspects' values alone, with their lines, and tells repeats from
//! look-alikes. An input without repeats is read once.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};

/// Fingerprints per chunk: 8 MB.
const CHUNK: usize = 1 << 20;

/// The fingerprints of the values seen so far: listed as they come in chunks of a fixed size,
/// then, once the input has been read, each chunk sorted and all merged to find the ones met
/// twice. Eight bytes a value, however many: a set took 9 bytes a bucket and half as much
/// again while it grew, and one list doubling its size would copy itself (a registry import
/// of 20 million members' keys and national ids went above 1 GB).
pub(crate) struct Fingerprints {
    print: fn(&str) -> u64,
    /// Values per chunk ([`CHUNK`]; fewer in tests).
    chunk: usize,
    seen: Vec<Vec<u64>>,
    /// Fingerprints met more than once, sorted; known once the input has been read.
    suspects: Option<Vec<u64>>,
}

impl Default for Fingerprints {
    fn default() -> Fingerprints {
        Fingerprints {
            print: fingerprint,
            chunk: CHUNK,
            seen: Vec::new(),
            suspects: None,
        }
    }
}

/// A value's fingerprint: the same for every reading of an input by one process.
fn fingerprint(value: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

impl Fingerprints {
    pub(crate) fn see(&mut self, value: &str) {
        debug_assert!(self.suspects.is_none(), "a value seen after the reading");
        let print = (self.print)(value);
        match self.seen.last_mut() {
            Some(chunk) if chunk.len() < self.chunk => chunk.push(print),
            // The first chunk grows as small inputs need; the others are made whole.
            Some(_) => {
                let mut chunk = Vec::with_capacity(self.chunk);
                chunk.push(print);
                self.seen.push(chunk);
            }
            None => self.seen.push(vec![print]),
        }
    }

    /// Whether some value may have been given twice: asked once every value has been seen.
    pub(crate) fn any_suspect(&mut self) -> bool {
        !self.suspects().is_empty()
    }

    /// The fingerprints met twice or more, found (and the others let go) when first asked.
    fn suspects(&mut self) -> &[u64] {
        let seen = &mut self.seen;
        self.suspects
            .get_or_insert_with(|| met_twice(std::mem::take(seen)))
    }

    /// Whether `value` may have been given twice; asked after [`Fingerprints::any_suspect`].
    pub(crate) fn is_suspect(&self, value: &str) -> bool {
        let suspects = (self.suspects.as_deref())
            .expect("a suspect asked for before the input was read whole");
        !suspects.is_empty() && suspects.binary_search(&(self.print)(value)).is_ok()
    }
}

/// The values found more than once among `chunks`, sorted, each once: every chunk sorted in
/// place, then all merged in order.
fn met_twice(mut chunks: Vec<Vec<u64>>) -> Vec<u64> {
    for chunk in &mut chunks {
        chunk.sort_unstable();
    }
    // The smallest value each chunk has left, with where it is.
    let mut next: BinaryHeap<Reverse<(u64, usize, usize)>> = (chunks.iter().enumerate())
        .filter_map(|(c, chunk)| Some(Reverse((*chunk.first()?, c, 0))))
        .collect();
    let mut twice = Vec::new();
    let mut last = None;
    while let Some(Reverse((value, c, at))) = next.pop() {
        if last == Some(value) && twice.last() != Some(&value) {
            twice.push(value);
        }
        last = Some(value);
        if let Some(&following) = chunks[c].get(at + 1) {
            next.push(Reverse((following, c, at + 1)));
        }
    }
    twice
}

/// The suspects' values, met again in the input's order.
#[derive(Default)]
pub(crate) struct Suspects {
    /// The line each suspect value was first given on.
    first_lines: HashMap<String, u64>,
    /// Each value given again: its line, the value and the line it was first given on.
    repeats: Vec<(u64, String, u64)>,
}

impl Suspects {
    /// `value`, a suspect, met on `line`.
    pub(crate) fn met(&mut self, value: &str, line: u64) {
        match self.first_lines.get(value) {
            Some(&first) => self.repeats.push((line, value.to_string(), first)),
            None => {
                self.first_lines.insert(value.to_string(), line);
            }
        }
    }

    /// Each value given again, as (line, value, line it was first given on).
    pub(crate) fn repeats(self) -> Vec<(u64, String, u64)> {
        self.repeats
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Values met in order, as the first and the further reading meet them, their
    /// fingerprints made by `print`: the same whatever the chunks they are kept in.
    fn repeats_by(print: fn(&str) -> u64, values: &[&str]) -> Vec<(u64, String, u64)> {
        let found_in_chunks_of = |chunk: usize| {
            let mut prints = Fingerprints {
                print,
                chunk,
                ..Fingerprints::default()
            };
            for value in values {
                prints.see(value);
            }
            prints.any_suspect();
            let mut suspects = Suspects::default();
            for (line, value) in (2..).zip(values) {
                if prints.is_suspect(value) {
                    suspects.met(value, line);
                }
            }
            suspects.repeats()
        };
        let found = found_in_chunks_of(CHUNK);
        for chunk in 1..=3 {
            assert_eq!(found_in_chunks_of(chunk), found, "in chunks of {chunk}");
        }
        found
    }

    #[test]
    fn values_met_twice_are_found_within_and_across_chunks() {
        let chunks = vec![vec![3, 1, 2], vec![2, 5], vec![5, 5, 9], vec![], vec![7]];
        assert_eq!(met_twice(chunks), [2, 5]);
        assert_eq!(met_twice(vec![vec![4, 1], vec![3]]), Vec::<u64>::new());
        assert_eq!(met_twice(Vec::new()), Vec::<u64>::new());
    }

    fn repeats(values: &[&str]) -> Vec<(u64, String, u64)> {
        repeats_by(fingerprint, values)
    }

    #[test]
    fn a_value_given_again_names_the_line_it_was_first_given_on() {
        assert_eq!(repeats(&["A", "B", "C"]), []);
        let found = repeats(&["A", "B", "A", "C", "A", "B"]);
        let expected = [(4, "A", 2), (6, "A", 2), (7, "B", 3)];
        let expected: Vec<_> = (expected.iter())
            .map(|&(line, value, first)| (line, value.to_string(), first))
            .collect();
        assert_eq!(found, expected);
    }

    #[test]
    fn values_that_share_a_fingerprint_are_not_repeats() {
        // Every value with the same fingerprint: only the values themselves decide.
        let found = repeats_by(|_| 7, &["A", "B", "A", "C"]);
        assert_eq!(found, [(4, "A".to_string(), 2)]);
        assert_eq!(repeats_by(|_| 7, &["A", "B", "C"]), []);
    }
}
