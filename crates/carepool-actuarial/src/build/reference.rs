//! The triangle built from a slice of claims held whole, as it was before claims were summed
//! one at a time ([`super::ClaimSums`]): the reference the sums must equal, to the bit.

use super::*;
use crate::reserve::Known;
use std::collections::HashMap;

pub fn build(
    claims: &[ClaimDates],
    period: Period,
    development: Development,
    measure: Measure,
    valuation: NaiveDate,
) -> Result<Triangle, BuildError> {
    let last = period.index(valuation);
    let mut cells: Vec<(i64, i64, f64)> = Vec::new();
    // The first origin is that of the oldest claim known (reported) at the valuation date, paid
    // or not.
    let mut first: Option<i64> = None;
    for (index, claim) in claims.iter().enumerate() {
        if claim.reported <= valuation {
            let origin = period.index(claim.incurred);
            first = Some(first.map_or(origin, |f| f.min(origin)));
        }
        let date = match development {
            Development::Reported => Some(claim.reported),
            Development::Paid => claim.paid,
        };
        let Some(date) = date else { continue };
        if date < claim.incurred {
            return Err(BuildError::BeforeIncurred {
                index,
                what: development.name(),
                date,
                incurred: claim.incurred,
            });
        }
        if date > valuation {
            continue;
        }
        let origin = period.index(claim.incurred);
        first = Some(first.map_or(origin, |f| f.min(origin)));
        let value = match measure {
            Measure::Count => 1.0,
            Measure::Amount => claim.amount,
        };
        cells.push((origin, period.index(date) - origin, value));
    }
    let first = first.ok_or(BuildError::NoClaims(valuation))?;
    let origins = last - first + 1;
    if origins > MAX_ORIGINS {
        return Err(BuildError::TooManyOrigins {
            first: period.label(first),
            origins,
            period: period.name(),
        });
    }
    let origins = origins as usize;
    let mut incremental: Vec<Vec<f64>> = (0..origins).map(|i| vec![0.0; origins - i]).collect();
    for (origin, lag, value) in cells {
        incremental[(origin - first) as usize][lag as usize] += value;
    }
    let cumulative = incremental
        .into_iter()
        .map(|row| {
            row.into_iter()
                .scan(0.0, |sum, x| {
                    *sum += x;
                    Some(*sum)
                })
                .collect()
        })
        .collect();
    let labels = (first..=last).map(|i| period.label(i)).collect();
    Ok(Triangle::new(labels, cumulative)?)
}
pub fn known(
    claims: &[ClaimDates],
    triangle: &Triangle,
    period: Period,
    measure: Measure,
    valuation: NaiveDate,
) -> Known {
    let row_of: HashMap<&str, usize> = triangle
        .origins()
        .iter()
        .enumerate()
        .map(|(i, origin)| (origin.as_str(), i))
        .collect();
    let origins = triangle.origins().len();
    let mut known = Known {
        reported: vec![0.0; origins],
        paid: vec![0.0; origins],
    };
    for claim in claims.iter().filter(|c| c.reported <= valuation) {
        let label = period.label(period.index(claim.incurred));
        let Some(&i) = row_of.get(label.as_str()) else {
            continue;
        };
        let value = match measure {
            Measure::Count => 1.0,
            Measure::Amount => claim.amount,
        };
        known.reported[i] += value;
        if claim.paid.is_some_and(|paid| paid <= valuation) {
            known.paid[i] += value;
        }
    }
    known
}
