//! A table of cells for `carepool glm --data`: a response, optionally an exposure (its log is
//! the offset) or weights, categorical factors and numeric covariates, by column name.

use crate::sheet::{FileError, Sheet};
use carepool_actuarial::{GlmData, Term};
use std::collections::BTreeMap;
use std::path::Path;

/// Which columns play which part.
#[derive(Debug, Clone, Default)]
pub struct GlmColumns {
    pub response: String,
    pub exposure: Option<String>,
    pub weights: Option<String>,
    pub factors: Vec<String>,
    pub covariates: Vec<String>,
    /// A factor's base level; by default the first level met.
    pub base: BTreeMap<String, String>,
    /// Rows with the same level of every factor fitted as one: counts and exposures added, a
    /// weighted response averaged by its weights (a study's cells by the GLM's own factors).
    pub group: bool,
}

/// The cells a GLM is fitted on, and how many were left out as empty.
#[derive(Debug)]
pub struct GlmCells {
    pub data: GlmData,
    /// Cells with no exposure and no claims (a study's cells of pending members only), or of
    /// weight 0 (no claims to average): they say nothing to a fit, and the log of their
    /// exposure does not exist.
    pub skipped_empty: usize,
}

pub fn read_glm_data(path: &Path, columns: &GlmColumns) -> Result<GlmCells, FileError> {
    let mut sheet = Sheet::open(path)?;
    let mut find = |name: &str, part: &str| sheet.required(name, part);
    let response = find(&columns.response, "the response");
    let exposure = columns.exposure.as_ref().map(|c| find(c, "the exposure"));
    let weights = columns.weights.as_ref().map(|c| find(c, "the weights"));
    let factors: Vec<Option<usize>> = columns
        .factors
        .iter()
        .map(|c| find(c, "a factor"))
        .collect();
    let covariates: Vec<Option<usize>> = columns
        .covariates
        .iter()
        .map(|c| find(c, "a covariate"))
        .collect();
    if columns.group && !columns.covariates.is_empty() {
        sheet.file_problem(
            "--group: rows are grouped by their factors' levels; a covariate cannot be grouped",
        );
    }
    for factor in columns.base.keys() {
        if !columns.factors.contains(factor) {
            sheet.file_problem(format!(
                "--base {factor}: {factor} is not one of the --factors"
            ));
        }
    }
    if sheet.has_problems() {
        return Err(sheet.error());
    }
    let required = |c: Option<usize>| c.expect("checked above");
    let mut response_values = Vec::new();
    let mut exposures = exposure.map(|_| Vec::new());
    let mut weight_values = weights.map(|_| Vec::new());
    let mut levels: Vec<Vec<String>> = vec![Vec::new(); factors.len()];
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); covariates.len()];
    let mut skipped_empty = 0;
    while sheet.next()? {
        let weight = weights.map(|column| sheet.number(required(column)).unwrap_or(f64::NAN));
        if weight == Some(0.0) {
            skipped_empty += 1;
            continue;
        }
        let response_value = sheet.number(required(response)).unwrap_or(f64::NAN);
        if let (Some(exposures), Some(column)) = (exposures.as_mut(), exposure) {
            let column = required(column);
            let exposure = sheet.number(column).unwrap_or(f64::NAN);
            if exposure == 0.0 && response_value == 0.0 {
                skipped_empty += 1;
                continue;
            }
            if exposure <= 0.0 {
                let response = if response_value.is_finite() && response_value != 0.0 {
                    format!(" for a response of {response_value}")
                } else {
                    String::new()
                };
                sheet.problem(
                    column,
                    format_args!("{exposure} is not a positive exposure{response}"),
                );
            }
            exposures.push(exposure);
        }
        response_values.push(response_value);
        if let (Some(weights), Some(weight)) = (weight_values.as_mut(), weight) {
            weights.push(weight);
        }
        for (j, column) in factors.iter().enumerate() {
            levels[j].push(sheet.field(required(*column)).to_string());
        }
        for (j, column) in covariates.iter().enumerate() {
            values[j].push(sheet.number(required(*column)).unwrap_or(f64::NAN));
        }
    }
    if columns.group {
        let grouped = group(&levels, &response_values, &exposures, &weight_values);
        (levels, response_values, exposures, weight_values) = grouped;
    }
    let offset = exposures.map(|exposures| exposures.iter().map(|e| e.ln()).collect());
    let terms = columns
        .factors
        .iter()
        .zip(levels)
        .map(|(name, levels)| Term::Factor {
            name: name.clone(),
            levels,
            base: columns.base.get(name).cloned(),
        })
        .chain(
            columns
                .covariates
                .iter()
                .zip(values)
                .map(|(name, values)| Term::Covariate {
                    name: name.clone(),
                    values,
                }),
        )
        .collect();
    let data = sheet.finish(GlmData {
        response: response_values,
        weights: weight_values,
        offset,
        terms,
    })?;
    Ok(GlmCells {
        data,
        skipped_empty,
    })
}

/// A table's columns: each factor's levels by row, the response, the exposures and the weights.
type Columns = (
    Vec<Vec<String>>,
    Vec<f64>,
    Option<Vec<f64>>,
    Option<Vec<f64>>,
);

/// Rows with the same level of every factor as one, in the order first met: exposures and
/// weights added; the response averaged by the weights when there are weights (an average cost
/// by its claims), added when there are none (counts).
fn group(
    levels: &[Vec<String>],
    response: &[f64],
    exposures: &Option<Vec<f64>>,
    weights: &Option<Vec<f64>>,
) -> Columns {
    let mut index: std::collections::HashMap<Vec<&str>, usize> = Default::default();
    let mut keys: Vec<Vec<&str>> = Vec::new();
    // Per group: the response (weighted), the exposure, the weight.
    let mut sums: Vec<(f64, f64, f64)> = Vec::new();
    for row in 0..response.len() {
        let key: Vec<&str> = levels.iter().map(|l| l[row].as_str()).collect();
        let at = *index.entry(key.clone()).or_insert_with(|| {
            keys.push(key);
            sums.push((0.0, 0.0, 0.0));
            sums.len() - 1
        });
        let weight = weights.as_ref().map_or(1.0, |w| w[row]);
        let sum = &mut sums[at];
        sum.0 += response[row] * weight;
        sum.1 += exposures.as_ref().map_or(0.0, |e| e[row]);
        sum.2 += weight;
    }
    let grouped_levels = (0..levels.len())
        .map(|j| keys.iter().map(|key| key[j].to_string()).collect())
        .collect();
    let grouped_response = sums
        .iter()
        .map(|(y, _, w)| match weights {
            Some(_) => y / w,
            None => *y,
        })
        .collect();
    (
        grouped_levels,
        grouped_response,
        exposures
            .as_ref()
            .map(|_| sums.iter().map(|s| s.1).collect()),
        weights.as_ref().map(|_| sums.iter().map(|s| s.2).collect()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_actuarial::{Family, Glm, Link};

    /// Claims by area on an exposure, read from `text`; the cells and the urban relativity.
    fn by_area(text: &str) -> Result<(GlmCells, f64), FileError> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cells.csv");
        std::fs::write(&path, text).unwrap();
        let columns = GlmColumns {
            response: "claims".into(),
            exposure: Some("exposure".into()),
            factors: vec!["area".into()],
            ..GlmColumns::default()
        };
        let cells = read_glm_data(&path, &columns)?;
        let fit = Glm::new(Family::Poisson, Link::Log)
            .fit(&cells.data)
            .unwrap();
        let urban = fit.relativity("area", "urban").unwrap();
        Ok((cells, urban))
    }

    #[test]
    fn a_table_of_cells_fits_with_its_exposure_as_offset() {
        let (cells, urban) =
            by_area("area,exposure,claims\nrural,100,20\nrural,50,10\nurban,20,8\nurban,30,12\n")
                .unwrap();
        assert_eq!(cells.skipped_empty, 0);
        assert!((urban - 2.0).abs() < 1e-10);
    }

    /// A study's cells hold pending members' cells with no exposure and no claims: they are
    /// left out and counted; a cell with claims on no exposure is still an error.
    #[test]
    fn empty_cells_are_skipped_and_counted() {
        let (cells, urban) = by_area(
            "area,exposure,claims\nrural,100,20\nrural,0,0\nurban,20,8\nurban,0,0\nurban,30,12\n",
        )
        .unwrap();
        assert_eq!(cells.skipped_empty, 2);
        assert_eq!(cells.data.response, [20.0, 8.0, 12.0]);
        assert!((urban - 2.0).abs() < 1e-10);

        let error = by_area("area,exposure,claims\nrural,100,20\nurban,0,3\n")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(
                "line 3, column exposure: 0 is not a positive exposure for a response of 3"
            ),
            "{error}"
        );
    }

    /// Rows of the same levels fitted as one: counts and exposures added; an average cost by
    /// its claims; a row of weight 0 (no claims to average) left out.
    #[test]
    fn rows_of_the_same_levels_are_grouped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cells.csv");
        std::fs::write(
            &path,
            "period,area,exposure,claims,average_cost\n2025,rural,100,2,100\n2026,rural,50,1,200\n2025,urban,20,0,\n2026,urban,30,4,50\n",
        )
        .unwrap();
        let frequency = read_glm_data(
            &path,
            &GlmColumns {
                response: "claims".into(),
                exposure: Some("exposure".into()),
                factors: vec!["area".into()],
                group: true,
                ..GlmColumns::default()
            },
        )
        .unwrap();
        assert_eq!(frequency.data.response, [3.0, 4.0]);
        let offset = frequency.data.offset.as_ref().unwrap();
        assert!((offset[0] - 150f64.ln()).abs() < 1e-12 && (offset[1] - 50f64.ln()).abs() < 1e-12);
        let severity = read_glm_data(
            &path,
            &GlmColumns {
                response: "average_cost".into(),
                weights: Some("claims".into()),
                factors: vec!["area".into()],
                group: true,
                ..GlmColumns::default()
            },
        )
        .unwrap();
        assert_eq!(severity.skipped_empty, 1);
        assert_eq!(severity.data.weights.as_deref(), Some(&[3.0, 4.0][..]));
        assert!((severity.data.response[0] - 400.0 / 3.0).abs() < 1e-12);
        assert_eq!(severity.data.response[1], 50.0);
        let with_covariate = read_glm_data(
            &path,
            &GlmColumns {
                response: "claims".into(),
                factors: vec!["area".into()],
                covariates: vec!["exposure".into()],
                group: true,
                ..GlmColumns::default()
            },
        )
        .unwrap_err()
        .to_string();
        assert!(
            with_covariate.contains("a covariate cannot be grouped"),
            "{with_covariate}"
        );
    }

    #[test]
    fn a_missing_column_or_bad_value_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cells.csv");
        std::fs::write(&path, "area,exposure,claims\nrural,0,x\n").unwrap();
        let columns = GlmColumns {
            response: "claims".into(),
            exposure: Some("exposure".into()),
            factors: vec!["age".into()],
            ..GlmColumns::default()
        };
        let error = read_glm_data(&path, &columns).unwrap_err().to_string();
        assert!(error.contains("no column 'age' (a factor)"), "{error}");
        let columns = GlmColumns {
            factors: vec!["area".into()],
            ..columns
        };
        let error = read_glm_data(&path, &columns).unwrap_err().to_string();
        assert!(
            error.contains("line 2, column claims: 'x' is not a number"),
            "{error}"
        );
        assert!(
            error.contains("line 2, column exposure: 0 is not a positive exposure"),
            "{error}"
        );
    }
}
