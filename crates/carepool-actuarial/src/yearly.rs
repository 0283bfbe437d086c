//! What the projection and the national costing share: assumptions given year by year, and how
//! they are checked.

/// An assumption missing, or out of its range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssumptionError {
    #[error("{0}: needs a value for the first year")]
    Missing(&'static str),
    #[error("{what}: {value} is out of range ({range})")]
    OutOfRange {
        what: String,
        value: f64,
        range: &'static str,
    },
}

/// The value for year `y` (from 0): a list shorter than the horizon repeats its last value.
pub(crate) fn in_year(values: &[f64], y: usize) -> f64 {
    values[y.min(values.len() - 1)]
}

/// Every list named has a value for the first year.
pub(crate) fn require(lists: &[(&'static str, &[f64])]) -> Result<(), AssumptionError> {
    match lists.iter().find(|(_, values)| values.is_empty()) {
        Some((name, _)) => Err(AssumptionError::Missing(name)),
        None => Ok(()),
    }
}

/// Every value passes `ok`; the first that does not is named with the range it should be in.
pub(crate) fn check_values(
    what: &str,
    values: &[f64],
    range: &'static str,
    ok: impl Fn(f64) -> bool,
) -> Result<(), AssumptionError> {
    match values.iter().find(|&&v| !ok(v)) {
        Some(&value) => Err(AssumptionError::OutOfRange {
            what: what.to_string(),
            value,
            range,
        }),
        None => Ok(()),
    }
}
