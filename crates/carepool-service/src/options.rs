//! Options given in words (on the command line or in a JSON body), read against the choices
//! they may take; a wrong word is named with the field and the choices.

use carepool_actuarial::Named;
use carepool_core::registry::{FieldError, excerpt};

/// One of `choices`, by its name; `default` when none is given.
pub fn one_of<T: Copy>(
    field: &'static str,
    given: Option<&str>,
    default: T,
    choices: &[(&str, T)],
) -> Result<T, FieldError> {
    let Some(given) = given else {
        return Ok(default);
    };
    choices
        .iter()
        .find(|(name, _)| *name == given)
        .map(|(_, value)| *value)
        .ok_or_else(|| {
            let names: Vec<&str> = choices.iter().map(|(name, _)| *name).collect();
            FieldError::new(
                field,
                format!("{} is not one of {}", excerpt(given), names.join(", ")),
            )
        })
}

/// One of the engine's choices, by its name.
pub fn named<T: Named>(
    field: &'static str,
    given: Option<&str>,
    default: T,
) -> Result<T, FieldError> {
    let choices: Vec<(&str, T)> = T::ALL
        .iter()
        .map(|&choice| (choice.name(), choice))
        .collect();
    one_of(field, given, default, &choices)
}
