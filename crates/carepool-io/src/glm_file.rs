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
}

/// The cells a GLM is fitted on, and how many were left out as empty.
#[derive(Debug)]
pub struct GlmCells {
    pub data: GlmData,
    /// Cells with no exposure and no claims (a study's cells of pending members only): they
    /// say nothing to a fit, and the log of their exposure does not exist.
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
    let mut offset = exposure.map(|_| Vec::new());
    let mut weight_values = weights.map(|_| Vec::new());
    let mut levels: Vec<Vec<String>> = vec![Vec::new(); factors.len()];
    let mut values: Vec<Vec<f64>> = vec![Vec::new(); covariates.len()];
    let mut skipped_empty = 0;
    while sheet.next()? {
        let response_value = sheet.number(required(response)).unwrap_or(f64::NAN);
        if let (Some(offset), Some(column)) = (offset.as_mut(), exposure) {
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
            offset.push(exposure.ln());
        }
        response_values.push(response_value);
        if let (Some(weights), Some(column)) = (weight_values.as_mut(), weights) {
            weights.push(sheet.number(required(column)).unwrap_or(f64::NAN));
        }
        for (j, column) in factors.iter().enumerate() {
            levels[j].push(sheet.field(required(*column)).to_string());
        }
        for (j, column) in covariates.iter().enumerate() {
            values[j].push(sheet.number(required(*column)).unwrap_or(f64::NAN));
        }
    }
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
