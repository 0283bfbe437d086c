//! Values an input may give once (keys, national ids), found repeated among tens of millions
//! without keeping them: each value seen is kept as a 64-bit fingerprint. A fingerprint met again
//! makes its value a suspect; two values can share a fingerprint, so a further reading of the
//! input gathers the suspects' values alone, with their lines, and tells repeats from
//! look-alikes. An input without repeats is read once.

use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};

/// The fingerprints of the values seen so far: listed as they come, then sorted once the input
/// has been read, when the ones met twice are found. Eight bytes a value (a set took twice
/// that, and half as much again while it grew: 20 million members' keys and national ids held
/// a registry import above 1 GB).
pub(crate) struct Fingerprints {
    print: fn(&str) -> u64,
    seen: Vec<u64>,
    /// Fingerprints met more than once, sorted; known once the input has been read.
    suspects: Option<Vec<u64>>,
}

impl Default for Fingerprints {
    fn default() -> Fingerprints {
        Fingerprints {
            print: fingerprint,
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
        self.seen.push((self.print)(value));
    }

    /// Whether some value may have been given twice: asked once every value has been seen.
    pub(crate) fn any_suspect(&mut self) -> bool {
        !self.suspects().is_empty()
    }

    /// The fingerprints met twice or more, found (and the others let go) when first asked.
    fn suspects(&mut self) -> &[u64] {
        let seen = &mut self.seen;
        self.suspects.get_or_insert_with(|| {
            let mut seen = std::mem::take(seen);
            seen.sort_unstable();
            let mut twice: Vec<u64> = (seen.windows(2))
                .filter(|pair| pair[0] == pair[1])
                .map(|pair| pair[0])
                .collect();
            twice.dedup();
            twice
        })
    }

    pub(crate) fn is_suspect(&self, value: &str) -> bool {
        debug_assert!(
            self.suspects.is_some(),
            "suspects asked for before the reading ended"
        );
        let suspects = self.suspects.as_deref().unwrap_or_default();
        !suspects.is_empty() && suspects.binary_search(&(self.print)(value)).is_ok()
    }
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
    /// fingerprints made by `print`.
    fn repeats_by(print: fn(&str) -> u64, values: &[&str]) -> Vec<(u64, String, u64)> {
        let mut prints = Fingerprints {
            print,
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
