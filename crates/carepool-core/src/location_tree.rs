//! The location tree has no loops: a location cannot lie, through its parents, inside itself.
//! A loop (a district put under one of its own villages) leaves every location in it, and all
//! the families there, outside any province or district, so that indicators by area drop them.

use crate::registry::FieldError;
use crate::words::{Figure, Words};
use std::collections::HashMap;

/// Where a location stands in the walk that looks for loops.
#[derive(Clone, Copy)]
enum Walked {
    /// On the path being walked, at this position.
    OnPath(usize),
    /// Walked before: no loop goes through it that was not found then.
    Done,
}

/// The loops in the tree where each location lies in the one `parent_of` gives, walked up from
/// each of `starts` in turn. Each loop is found once, as its locations in order from the first
/// one met, each lying in the next and the last in the first. A location that is its own parent
/// is left to its own rule (`Location::validate`).
pub fn loops<'a>(
    parent_of: impl Fn(&str) -> Option<&'a str>,
    starts: impl IntoIterator<Item = &'a str>,
) -> Vec<Vec<&'a str>> {
    let mut walked: HashMap<&str, Walked> = HashMap::new();
    let mut found = Vec::new();
    for start in starts {
        let mut path: Vec<&str> = Vec::new();
        let mut at = Some(start);
        while let Some(code) = at {
            match walked.get(code) {
                Some(Walked::Done) => break,
                Some(Walked::OnPath(position)) => {
                    if path.len() - position > 1 {
                        found.push(path[*position..].to_vec());
                    }
                    break;
                }
                None => {
                    walked.insert(code, Walked::OnPath(path.len()));
                    path.push(code);
                    at = parent_of(code);
                }
            }
        }
        for code in path {
            walked.insert(code, Walked::Done);
        }
    }
    found
}

/// A loop told in a problem shows this many of its locations at most.
const SHOWN: usize = 8;

/// The rule a loop breaks, told on the parent of `code`, one of the loop's locations: the loop
/// from it, each location lying in the next (`CB → CC → CA → CB`).
pub fn loop_through(code: &str, a_loop: &[&str]) -> FieldError {
    let start = a_loop.iter().position(|c| *c == code).unwrap_or(0);
    let from_code = a_loop[start..].iter().chain(&a_loop[..start]);
    let mut shown: Vec<&str> = from_code.take(SHOWN).copied().collect();
    let more = a_loop.len().saturating_sub(SHOWN);
    let ending = match more {
        0 => a_loop[start].to_string(),
        more => format!("… (+{more}) → {}", a_loop[start]),
    };
    shown.push(&ending);
    let path = shown.join(" → ");
    FieldError::said(
        "parent_code",
        Words::new("location-loop", [("path", Figure::text(path.as_str()))]),
        format!("the location tree would loop, each location lying in the next: {path}"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree<'a>(pairs: &[(&'a str, &'a str)]) -> HashMap<&'a str, &'a str> {
        pairs.iter().copied().collect()
    }

    fn loops_in<'a>(parents: &HashMap<&'a str, &'a str>, starts: &[&'a str]) -> Vec<Vec<&'a str>> {
        loops(|code| parents.get(code).copied(), starts.iter().copied())
    }

    #[test]
    fn a_tree_has_no_loops() {
        let parents = tree(&[("V1", "D1"), ("V2", "D1"), ("D1", "P1"), ("D2", "P1")]);
        assert!(loops_in(&parents, &["V1", "V2", "D1", "D2", "P1"]).is_empty());
        // A parent that is not in the tree ends the walk: that is another rule's to refuse; so
        // is a location that is its own parent.
        assert!(loops_in(&tree(&[("V1", "NOWHERE")]), &["V1"]).is_empty());
        assert!(loops_in(&tree(&[("V1", "V1"), ("V2", "V1")]), &["V2", "V1"]).is_empty());
    }

    #[test]
    fn a_loop_is_found_once_from_the_first_location_met_on_it() {
        // A district put under one of its villages, with a village of its own below.
        let parents = tree(&[("D1", "V1"), ("V1", "D1"), ("V2", "D1"), ("P1", "P0")]);
        assert_eq!(
            loops_in(&parents, &["V2", "D1", "V1", "P1"]),
            vec![vec!["D1", "V1"]]
        );
        assert_eq!(loops_in(&parents, &["V1", "D1"]), vec![vec!["V1", "D1"]]);
    }

    #[test]
    fn separate_loops_and_long_loops_are_each_found() {
        let parents = tree(&[
            ("A", "B"),
            ("B", "C"),
            ("C", "D"),
            ("D", "A"),
            ("X", "Y"),
            ("Y", "X"),
            ("T", "A"),
        ]);
        assert_eq!(
            loops_in(&parents, &["T", "X", "Y", "B"]),
            vec![vec!["A", "B", "C", "D"], vec!["X", "Y"]]
        );
    }

    #[test]
    fn a_long_chain_is_walked_once() {
        let codes: Vec<String> = (0..10_000).map(|n| format!("L{n}")).collect();
        let parents: HashMap<&str, &str> = codes
            .windows(2)
            .map(|pair| (pair[0].as_str(), pair[1].as_str()))
            .collect();
        let starts: Vec<&str> = codes.iter().map(String::as_str).collect();
        assert!(loops_in(&parents, &starts).is_empty());
        let mut closed = parents.clone();
        closed.insert("L9999", "L0");
        let found = loops_in(&closed, &starts);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].len(), 10_000);
        assert_eq!(
            loop_through("L3", &found[0]).message,
            "the location tree would loop, each location lying in the next: \
             L3 → L4 → L5 → L6 → L7 → L8 → L9 → L10 → … (+9992) → L3"
        );
    }

    #[test]
    fn a_loop_is_told_from_the_location_whose_parent_is_wrong() {
        let a_loop = ["CA", "CB", "CC"];
        let told = loop_through("CB", &a_loop);
        assert_eq!(told.field, "parent_code");
        assert_eq!(
            told.message,
            "the location tree would loop, each location lying in the next: CB → CC → CA → CB"
        );
        assert_eq!(
            loop_through("CA", &a_loop[..2]).message,
            "the location tree would loop, each location lying in the next: CA → CB → CA"
        );
    }
}
