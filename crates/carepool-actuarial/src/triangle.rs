//! A cumulative development triangle: one row per origin period, one column per development
//! period, the most recent origins with the fewest columns.

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TriangleError {
    #[error("a triangle needs at least one origin")]
    Empty,
    #[error("origin {origin} has no value")]
    EmptyRow { origin: String },
    #[error(
        "origin {origin} has {columns} development periods, more than the {allowed} of the origin before it"
    )]
    NotAStaircase {
        origin: String,
        columns: usize,
        allowed: usize,
    },
    #[error("origin {origin}, development {development}: {value} is not a finite number")]
    NotFinite {
        origin: String,
        development: usize,
        value: f64,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub struct Triangle {
    origins: Vec<String>,
    cumulative: Vec<Vec<f64>>,
}

impl Triangle {
    /// Rows of cumulative values from development period 0, oldest origin first; each row no
    /// longer than the one before.
    pub fn new(origins: Vec<String>, cumulative: Vec<Vec<f64>>) -> Result<Triangle, TriangleError> {
        if origins.is_empty() || origins.len() != cumulative.len() {
            return Err(TriangleError::Empty);
        }
        let mut allowed = cumulative[0].len();
        for (origin, row) in origins.iter().zip(&cumulative) {
            if row.is_empty() {
                return Err(TriangleError::EmptyRow {
                    origin: origin.clone(),
                });
            }
            if row.len() > allowed {
                return Err(TriangleError::NotAStaircase {
                    origin: origin.clone(),
                    columns: row.len(),
                    allowed,
                });
            }
            allowed = row.len();
            if let Some((development, value)) = row.iter().enumerate().find(|(_, v)| !v.is_finite())
            {
                return Err(TriangleError::NotFinite {
                    origin: origin.clone(),
                    development,
                    value: *value,
                });
            }
        }
        Ok(Triangle {
            origins,
            cumulative,
        })
    }

    pub fn origins(&self) -> &[String] {
        &self.origins
    }

    /// How many development periods the oldest origin has.
    pub fn developments(&self) -> usize {
        self.cumulative[0].len()
    }

    /// The cumulative value of origin `i` at development `k`, if observed.
    pub fn value(&self, i: usize, k: usize) -> Option<f64> {
        self.cumulative.get(i)?.get(k).copied()
    }

    pub fn row(&self, i: usize) -> &[f64] {
        &self.cumulative[i]
    }

    /// The latest observed value of each origin (the diagonal).
    pub fn latest(&self) -> Vec<f64> {
        self.cumulative
            .iter()
            .map(|row| *row.last().expect("rows are not empty"))
            .collect()
    }

    /// Every value multiplied by `k`.
    pub fn scaled(&self, k: f64) -> Triangle {
        Triangle {
            origins: self.origins.clone(),
            cumulative: self
                .cumulative
                .iter()
                .map(|row| row.iter().map(|v| v * k).collect())
                .collect(),
        }
    }
}

/// A small triangle the unit tests share: link ratios 2.0 and 1.5 (volume-weighted 500/300) from
/// development 0, then 1.2.
#[cfg(test)]
pub(crate) fn small() -> Triangle {
    Triangle::new(
        vec!["2023".into(), "2024".into(), "2025".into()],
        vec![vec![100.0, 200.0, 240.0], vec![200.0, 300.0], vec![50.0]],
    )
    .unwrap()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("{}", 2020 + i)).collect()
    }

    #[test]
    fn a_row_longer_than_the_one_before_or_a_missing_value_is_refused() {
        let error = Triangle::new(names(2), vec![vec![1.0], vec![1.0, 2.0]]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "origin 2021 has 2 development periods, more than the 1 of the origin before it"
        );
        let error = Triangle::new(names(2), vec![vec![1.0, f64::NAN], vec![1.0]]).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("origin 2020, development 1: NaN"),
            "{error}"
        );
        assert_eq!(
            Triangle::new(names(1), vec![vec![]]).unwrap_err(),
            TriangleError::EmptyRow {
                origin: "2020".into()
            }
        );
    }

    #[test]
    fn the_latest_values_are_the_diagonal() {
        let triangle = Triangle::new(
            names(3),
            vec![vec![1.0, 2.0, 3.0], vec![4.0, 5.0], vec![6.0]],
        )
        .unwrap();
        assert_eq!(triangle.latest(), vec![3.0, 5.0, 6.0]);
        assert_eq!(triangle.scaled(2.0).latest(), vec![6.0, 10.0, 12.0]);
    }
}
