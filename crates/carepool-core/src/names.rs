//! Finding a person by a part of their name, as an officer types it: without the accents,
//! the case or the spacing the registry wrote it with.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// `name` as compared: letters without their accents (é → e, ç → c), lower case, spaces
/// between words single.
pub fn folded(name: &str) -> String {
    let letters: String = name
        .nfd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    letters.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Does `name` hold `typed`, accents, case and spacing aside? An empty search matches nothing.
pub fn name_matches(typed: &str, name: &str) -> bool {
    let typed = folded(typed);
    !typed.is_empty() && folded(name).contains(&typed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_case_and_spacing_do_not_matter() {
        assert!(name_matches("ouedraogo", "Aïcha OUÉDRAOGO"));
        assert!(name_matches("AICHA  oué", "Aïcha Ouédraogo"));
        assert!(name_matches("Françoise", "francoise kaboré"));
        assert!(name_matches("kabore", "Françoise KABORÉ"));
        assert!(name_matches("draog", "Aïcha Ouédraogo"), "a part of a word");
    }

    #[test]
    fn other_letters_and_empty_searches_do_not_match() {
        assert!(!name_matches("ouedrago", "Aïcha Ouédraogo"));
        assert!(!name_matches("", "Aïcha Ouédraogo"));
        assert!(!name_matches("   ", "Aïcha Ouédraogo"));
        assert!(!name_matches("aicha kabore", "Aïcha Ouédraogo"));
    }

    #[test]
    fn letters_that_are_not_accented_forms_stay_as_they_are() {
        // ø and ł are letters of their own, not o and l with a mark.
        assert_eq!(folded("Søren Łukasz"), "søren łukasz");
        assert_eq!(folded("ÀÉÎÕÜ ñ"), "aeiou n");
    }
}
