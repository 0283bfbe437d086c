//! What the projection and the national costing share: assumptions given year by year, and how
//! they are checked.

/// The most years a projection or a costing runs: far past any contract or plan, and a bound on
/// the work one request can ask for.
pub const MAX_YEARS: usize = 200;

/// The largest yearly rate (inflation, a trend, growth, an investment return) an assumption may
/// give: 10 is 1,000% a year, past any hyperinflation a scheme would price in.
pub const MAX_RATE: f64 = 10.0;

/// An assumption missing, or out of its range.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AssumptionError {
    #[error("{0}: needs a value for the first year")]
    Missing(String),
    #[error("{what}: {years} years; at most {MAX_YEARS}")]
    TooManyYears { what: &'static str, years: usize },
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
        Some((name, _)) => Err(AssumptionError::Missing(name.to_string())),
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
    // Infinity and NaN are in no range: `inf` in a TOML file is a slip, never an assumption.
    match values.iter().find(|&&v| !(v.is_finite() && ok(v))) {
        Some(&value) => Err(AssumptionError::OutOfRange {
            what: what.to_string(),
            value,
            range,
        }),
        None => Ok(()),
    }
}

/// Refuses a horizon past [`MAX_YEARS`] before any work is done.
pub fn check_years(what: &'static str, years: usize) -> Result<(), AssumptionError> {
    if years > MAX_YEARS {
        return Err(AssumptionError::TooManyYears { what, years });
    }
    Ok(())
}
