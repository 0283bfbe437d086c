//! The little linear algebra a GLM needs: the Cholesky factor of a small symmetric
//! positive-definite matrix, to solve the normal equations and invert them.

/// The matrix is not positive definite: this column (from 0) is, within rounding, a
/// combination of the columns before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotPositiveDefinite(pub usize);

/// L, lower triangular, with A = L Lᵀ; row-major n × n.
#[derive(Debug, Clone)]
pub struct Cholesky {
    lower: Vec<f64>,
    n: usize,
}

/// A pivot below this share of its column's diagonal counts as zero.
const ALIASED: f64 = 1e-10;

impl Cholesky {
    /// Factors `a` (row-major n × n), reading only its lower triangle.
    pub fn new(a: Vec<f64>, n: usize) -> Result<Cholesky, NotPositiveDefinite> {
        let mut lower = a;
        for j in 0..n {
            let diagonal = lower[j * n + j];
            let mut pivot = diagonal;
            for k in 0..j {
                pivot -= lower[j * n + k] * lower[j * n + k];
            }
            if !(pivot > 0.0 && pivot > ALIASED * diagonal.abs()) {
                return Err(NotPositiveDefinite(j));
            }
            let pivot = pivot.sqrt();
            lower[j * n + j] = pivot;
            for i in j + 1..n {
                let mut value = lower[i * n + j];
                for k in 0..j {
                    value -= lower[i * n + k] * lower[j * n + k];
                }
                lower[i * n + j] = value / pivot;
            }
            for k in j + 1..n {
                lower[j * n + k] = 0.0;
            }
        }
        Ok(Cholesky { lower, n })
    }

    /// x with A x = b.
    pub fn solve(&self, b: &[f64]) -> Vec<f64> {
        let (l, n) = (&self.lower, self.n);
        let mut y = b.to_vec();
        for i in 0..n {
            for k in 0..i {
                y[i] -= l[i * n + k] * y[k];
            }
            y[i] /= l[i * n + i];
        }
        for i in (0..n).rev() {
            for k in i + 1..n {
                y[i] -= l[k * n + i] * y[k];
            }
            y[i] /= l[i * n + i];
        }
        y
    }

    /// A⁻¹, row-major.
    pub fn inverse(&self) -> Vec<f64> {
        let n = self.n;
        let mut inverse = vec![0.0; n * n];
        let mut unit = vec![0.0; n];
        for j in 0..n {
            unit.fill(0.0);
            unit[j] = 1.0;
            for (i, value) in self.solve(&unit).into_iter().enumerate() {
                inverse[i * n + j] = value;
            }
        }
        inverse
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn solves_and_inverts_a_small_system() {
        // A = [[4, 2], [2, 3]]: A⁻¹ = [[3, -2], [-2, 4]] / 8.
        let a = Cholesky::new(vec![4.0, 0.0, 2.0, 3.0], 2).unwrap();
        let x = a.solve(&[2.0, 1.0]);
        assert!((x[0] - 0.5).abs() < 1e-12 && x[1].abs() < 1e-12);
        let inverse = a.inverse();
        for (got, want) in inverse.iter().zip([0.375, -0.25, -0.25, 0.5]) {
            assert!((got - want).abs() < 1e-12);
        }
    }

    #[test]
    fn a_column_that_repeats_another_is_named() {
        // The second column equals the first.
        let error = Cholesky::new(vec![2.0, 0.0, 2.0, 2.0], 2).unwrap_err();
        assert_eq!(error, NotPositiveDefinite(1));
        assert_eq!(
            Cholesky::new(vec![0.0], 1).unwrap_err(),
            NotPositiveDefinite(0)
        );
    }
}
