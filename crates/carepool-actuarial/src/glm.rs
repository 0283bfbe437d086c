//! Generalised linear models fitted by iteratively reweighted least squares, as R's `glm` does:
//! Poisson or Gamma errors, log, inverse or identity link, prior weights and an offset.
//! Categorical factors enter as one indicator per level other than the base; with a log link,
//! exp(coefficient) is the level's relativity to the base.

use crate::linear::{Cholesky, NotPositiveDefinite};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// Counts: variance equal to the mean, dispersion 1.
    Poisson,
    /// Positive amounts: variance proportional to the mean squared, dispersion estimated.
    Gamma,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Link {
    Log,
    Inverse,
    Identity,
}

impl crate::Named for Family {
    const ALL: &'static [Family] = &[Family::Poisson, Family::Gamma];
    fn name(self) -> &'static str {
        match self {
            Family::Poisson => "poisson",
            Family::Gamma => "gamma",
        }
    }
}

impl crate::Named for Link {
    const ALL: &'static [Link] = &[Link::Log, Link::Inverse, Link::Identity];
    fn name(self) -> &'static str {
        match self {
            Link::Log => "log",
            Link::Inverse => "inverse",
            Link::Identity => "identity",
        }
    }
}

impl Link {
    fn link(self, mu: f64) -> f64 {
        match self {
            Link::Log => mu.ln(),
            Link::Inverse => 1.0 / mu,
            Link::Identity => mu,
        }
    }

    fn inverse(self, eta: f64) -> f64 {
        match self {
            Link::Log => eta.exp(),
            Link::Inverse => 1.0 / eta,
            Link::Identity => eta,
        }
    }

    /// dη/dμ.
    fn derivative(self, mu: f64) -> f64 {
        match self {
            Link::Log => 1.0 / mu,
            Link::Inverse => -1.0 / (mu * mu),
            Link::Identity => 1.0,
        }
    }
}

impl Family {
    fn variance(self, mu: f64) -> f64 {
        match self {
            Family::Poisson => mu,
            Family::Gamma => mu * mu,
        }
    }

    fn valid_mean(self, mu: f64) -> bool {
        mu.is_finite() && mu > 0.0
    }

    /// One observation's contribution to the deviance, before its weight.
    fn unit_deviance(self, y: f64, mu: f64) -> f64 {
        match self {
            Family::Poisson if y == 0.0 => 2.0 * mu,
            Family::Poisson => 2.0 * (y * (y / mu).ln() - (y - mu)),
            Family::Gamma => 2.0 * (-(y / mu).ln() + (y - mu) / mu),
        }
    }

    /// Where the iterations start, as R's `mustart`.
    fn start(self, y: f64) -> f64 {
        match self {
            Family::Poisson => y + 0.1,
            Family::Gamma => y,
        }
    }

    fn check_response(self, y: f64) -> Result<(), &'static str> {
        match self {
            Family::Poisson if !(y >= 0.0 && y.is_finite()) => {
                Err("a Poisson response must be a count, 0 or more")
            }
            Family::Gamma if !(y > 0.0 && y.is_finite()) => {
                Err("a Gamma response must be positive")
            }
            _ => Ok(()),
        }
    }
}

/// One term of the model, with a value for every observation.
#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// A categorical factor; the base level gets no coefficient (default: the first level met).
    Factor {
        name: String,
        levels: Vec<String>,
        base: Option<String>,
    },
    /// A numeric covariate, entering linearly on the link scale.
    Covariate { name: String, values: Vec<f64> },
}

/// The observations: response, prior weights (default 1) and offset on the link scale
/// (default 0; log exposure for a frequency model), and the terms beside the intercept.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GlmData {
    pub response: Vec<f64>,
    pub weights: Option<Vec<f64>>,
    pub offset: Option<Vec<f64>>,
    pub terms: Vec<Term>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Glm {
    pub family: Family,
    pub link: Link,
    pub max_iterations: u32,
    /// Converged when the deviance changes by less than this share between iterations.
    pub tolerance: f64,
}

impl Glm {
    pub fn new(family: Family, link: Link) -> Glm {
        Glm {
            family,
            link,
            max_iterations: 100,
            tolerance: 1e-12,
        }
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GlmError {
    #[error("there are no observations")]
    NoData,
    #[error("{column} has {found} values for {expected} observations")]
    Length {
        column: String,
        found: usize,
        expected: usize,
    },
    #[error("observation {row}: {message}")]
    Value { row: usize, message: String },
    #[error("{factor}: the base level '{base}' does not occur")]
    UnknownBase { factor: String, base: String },
    #[error(
        "{0} is aliased: it is a combination of the terms before it (or has no weight), so its effect cannot be told apart"
    )]
    Aliased(String),
    #[error("{parameters} parameters cannot be estimated from {observations} observations")]
    TooFewObservations {
        parameters: usize,
        observations: usize,
    },
    #[error("the fit did not converge in {0} iterations")]
    NotConverged(u32),
    /// A Gamma fit's dispersion, from which its standard errors follow, cannot be estimated:
    /// no observation is left beyond the parameters.
    #[error(
        "as many observations as parameters ({0}): none is left to estimate the Gamma's dispersion from, nor its standard errors"
    )]
    NoResidual(usize),
    /// Every response is its fitted value, but for rounding: the Gamma's dispersion is zero.
    #[error(
        "every response equals its fitted value (as when every claim costs the same, a flat fee): the Gamma's dispersion is zero, and its standard errors would say nothing"
    )]
    FittedExactly,
}

/// A coefficient and what goes with it. With a log link, `relativity` is exp(estimate) and
/// `lower`/`upper` its 95% Wald interval; a bound past what a number holds (a level with so few
/// claims that its interval is unbounded) is left out rather than given as infinity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coefficient {
    pub name: String,
    /// The factor (or covariate) and level it belongs to; none for the intercept.
    pub term: Option<String>,
    pub level: Option<String>,
    pub estimate: f64,
    pub std_error: f64,
    /// estimate / std_error: a z value for Poisson, a t value for Gamma.
    pub statistic: f64,
    pub relativity: Option<f64>,
    pub lower: Option<f64>,
    pub upper: Option<f64>,
}

/// A factor's levels with their relativities; the base level's is 1 and has no coefficient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FactorLevels {
    pub factor: String,
    pub base: String,
    pub levels: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GlmFit {
    pub family: Family,
    pub link: Link,
    pub coefficients: Vec<Coefficient>,
    pub factors: Vec<FactorLevels>,
    pub deviance: f64,
    pub null_deviance: f64,
    pub df_residual: usize,
    pub df_null: usize,
    /// 1 for Poisson; Pearson's chi-squared over the residual degrees of freedom for Gamma.
    pub dispersion: f64,
    /// As R computes it (for Gamma, with the dispersion's maximum-likelihood estimate, deviance / n).
    pub aic: f64,
    pub iterations: u32,
    pub observations: usize,
    #[serde(skip)]
    pub fitted: Vec<f64>,
}

impl GlmFit {
    pub fn coefficient(&self, name: &str) -> Option<&Coefficient> {
        self.coefficients.iter().find(|c| c.name == name)
    }

    /// A level's relativity to its factor's base (1 for the base itself); log link only.
    pub fn relativity(&self, factor: &str, level: &str) -> Option<f64> {
        let levels = self.factors.iter().find(|f| f.factor == factor)?;
        if levels.base == level {
            return (self.link == Link::Log).then_some(1.0);
        }
        self.coefficients
            .iter()
            .find(|c| c.term.as_deref() == Some(factor) && c.level.as_deref() == Some(level))?
            .relativity
    }
}

/// The model matrix, row by row, with the name of each column.
struct Design {
    columns: Vec<Column>,
    factors: Vec<FactorLevels>,
    rows: usize,
    /// Row-major, rows × columns.
    x: Vec<f64>,
}

struct Column {
    name: String,
    term: Option<String>,
    level: Option<String>,
}

fn check_length(column: &str, found: usize, expected: usize) -> Result<(), GlmError> {
    if found != expected {
        return Err(GlmError::Length {
            column: column.to_string(),
            found,
            expected,
        });
    }
    Ok(())
}

fn design(data: &GlmData) -> Result<Design, GlmError> {
    let rows = data.response.len();
    let mut columns = vec![Column {
        name: "(Intercept)".into(),
        term: None,
        level: None,
    }];
    let mut factors = Vec::new();
    // For each column after the intercept: the value in each row.
    let mut values: Vec<Vec<f64>> = Vec::new();
    for term in &data.terms {
        match term {
            Term::Covariate { name, values: v } => {
                check_length(name, v.len(), rows)?;
                if let Some(row) = v.iter().position(|x| !x.is_finite()) {
                    return Err(GlmError::Value {
                        row: row + 1,
                        message: format!("{name} is not a number"),
                    });
                }
                columns.push(Column {
                    name: name.clone(),
                    term: Some(name.clone()),
                    level: None,
                });
                values.push(v.clone());
            }
            Term::Factor { name, levels, base } => {
                check_length(name, levels.len(), rows)?;
                let mut met: Vec<&str> = Vec::new();
                for level in levels {
                    if !met.contains(&level.as_str()) {
                        met.push(level);
                    }
                }
                let base = match base {
                    Some(base) if met.contains(&base.as_str()) => base.clone(),
                    Some(base) => {
                        return Err(GlmError::UnknownBase {
                            factor: name.clone(),
                            base: base.clone(),
                        });
                    }
                    None => met.first().map(|l| l.to_string()).unwrap_or_default(),
                };
                let others: Vec<&str> = met.iter().copied().filter(|l| *l != base).collect();
                for level in &others {
                    columns.push(Column {
                        name: format!("{name}={level}"),
                        term: Some(name.clone()),
                        level: Some(level.to_string()),
                    });
                    values.push(
                        levels
                            .iter()
                            .map(|l| f64::from(u8::from(l == level)))
                            .collect(),
                    );
                }
                factors.push(FactorLevels {
                    factor: name.clone(),
                    base,
                    levels: met.iter().map(|l| l.to_string()).collect(),
                });
            }
        }
    }
    let width = columns.len();
    let mut x = vec![0.0; rows * width];
    for row in 0..rows {
        x[row * width] = 1.0;
        for (j, column) in values.iter().enumerate() {
            x[row * width + j + 1] = column[row];
        }
    }
    Ok(Design {
        columns,
        factors,
        rows,
        x,
    })
}

/// The state of one iteration: linear predictor, means and deviance.
struct State {
    beta: Vec<f64>,
    mu: Vec<f64>,
    deviance: f64,
}

impl Glm {
    pub fn fit(&self, data: &GlmData) -> Result<GlmFit, GlmError> {
        let n = data.response.len();
        if n == 0 {
            return Err(GlmError::NoData);
        }
        let weights = data.weights.clone().unwrap_or_else(|| vec![1.0; n]);
        let offset = data.offset.clone().unwrap_or_else(|| vec![0.0; n]);
        check_length("weights", weights.len(), n)?;
        check_length("offset", offset.len(), n)?;
        for (row, (&y, (&w, &o))) in data
            .response
            .iter()
            .zip(weights.iter().zip(&offset))
            .enumerate()
        {
            let bad = |message: &str| GlmError::Value {
                row: row + 1,
                message: message.to_string(),
            };
            if !(w >= 0.0 && w.is_finite()) {
                return Err(bad("a weight must be 0 or more"));
            }
            if !o.is_finite() {
                return Err(bad("the offset is not a number (a zero exposure?)"));
            }
            if w > 0.0 {
                self.family.check_response(y).map_err(bad)?;
            }
        }
        let design = design(data)?;
        let observations = weights.iter().filter(|&&w| w > 0.0).count();
        let p = design.columns.len();
        if observations < p {
            return Err(GlmError::TooFewObservations {
                parameters: p,
                observations,
            });
        }
        let (state, solved, iterations) =
            self.iterate(&design, &data.response, &weights, &offset)?;
        let null = self.null_deviance(&data.response, &weights, &offset)?;

        let dispersion = match self.family {
            Family::Poisson => 1.0,
            Family::Gamma => {
                let observed = || (0..n).filter(|&i| weights[i] > 0.0);
                let relative_residual = |i: usize| (data.response[i] - state.mu[i]) / state.mu[i];
                let exact = observed().all(|i| relative_residual(i).abs() < ROUNDING);
                let pearson: f64 = observed()
                    .map(|i| {
                        let mu = state.mu[i];
                        weights[i] * (data.response[i] - mu).powi(2) / self.family.variance(mu)
                    })
                    .sum();
                match observations - p {
                    0 => return Err(GlmError::NoResidual(p)),
                    // Each response its fitted value but for rounding (the same average cost
                    // in every group: a flat fee); the dispersion would be zero or noise.
                    _ if exact => return Err(GlmError::FittedExactly),
                    df => pearson / df as f64,
                }
            }
        };
        let covariance = solved.inverse();
        let log_link = self.link == Link::Log;
        let coefficients = design
            .columns
            .iter()
            .enumerate()
            .map(|(j, column)| {
                let estimate = state.beta[j];
                let std_error = (dispersion * covariance[j * p + j]).sqrt();
                let interval =
                    |z: f64| Some((estimate + z * std_error).exp()).filter(|b| b.is_finite());
                Coefficient {
                    name: column.name.clone(),
                    term: column.term.clone(),
                    level: column.level.clone(),
                    estimate,
                    std_error,
                    statistic: estimate / std_error,
                    relativity: log_link.then(|| estimate.exp()),
                    lower: log_link.then(|| interval(-WALD_95)).flatten(),
                    upper: log_link.then(|| interval(WALD_95)).flatten(),
                }
            })
            .collect();
        Ok(GlmFit {
            family: self.family,
            link: self.link,
            coefficients,
            factors: design.factors,
            deviance: state.deviance,
            null_deviance: null,
            df_residual: observations - p,
            df_null: observations - 1,
            dispersion,
            aic: self.aic(&data.response, &weights, &state.mu, state.deviance) + 2.0 * p as f64,
            iterations,
            observations,
            fitted: state.mu,
        })
    }

    fn deviance(&self, y: &[f64], weights: &[f64], mu: &[f64]) -> f64 {
        (0..y.len())
            .filter(|&i| weights[i] > 0.0)
            .map(|i| weights[i] * self.family.unit_deviance(y[i], mu[i]))
            .sum()
    }

    fn means(&self, design: &Design, beta: &[f64], offset: &[f64]) -> Vec<f64> {
        let p = beta.len();
        (0..design.rows)
            .map(|i| {
                let row = &design.x[i * p..(i + 1) * p];
                let eta: f64 = row.iter().zip(beta).map(|(x, b)| x * b).sum::<f64>() + offset[i];
                self.link.inverse(eta)
            })
            .collect()
    }

    /// IRLS from R's starting means; a step that leaves the valid means, or raises the
    /// deviance, is halved back toward the previous coefficients.
    fn iterate(
        &self,
        design: &Design,
        y: &[f64],
        weights: &[f64],
        offset: &[f64],
    ) -> Result<(State, Cholesky, u32), GlmError> {
        let p = design.columns.len();
        let mut mu: Vec<f64> = y.iter().map(|&y| self.family.start(y)).collect();
        let mut eta: Vec<f64> = mu.iter().map(|&m| self.link.link(m)).collect();
        let mut previous: Option<State> = None;
        for iteration in 1..=self.max_iterations {
            let mut xtwx = vec![0.0; p * p];
            let mut xtwz = vec![0.0; p];
            for i in 0..design.rows {
                if weights[i] == 0.0 {
                    continue;
                }
                let derivative = self.link.derivative(mu[i]);
                let z = eta[i] - offset[i] + (y[i] - mu[i]) * derivative;
                let w = weights[i] / (self.family.variance(mu[i]) * derivative * derivative);
                let row = &design.x[i * p..(i + 1) * p];
                for a in 0..p {
                    if row[a] == 0.0 {
                        continue;
                    }
                    let wa = w * row[a];
                    xtwz[a] += wa * z;
                    for b in 0..=a {
                        xtwx[a * p + b] += wa * row[b];
                    }
                }
            }
            let solved = Cholesky::new(xtwx, p).map_err(|NotPositiveDefinite(column)| {
                GlmError::Aliased(design.columns[column].name.clone())
            })?;
            let mut beta = solved.solve(&xtwz);
            let mut means = self.means(design, &beta, offset);
            let mut deviance = self.deviance(y, weights, &means);
            if let Some(before) = &previous {
                let mut halvings = 0;
                while !(deviance.is_finite() && means.iter().all(|&m| self.family.valid_mean(m)))
                    || deviance > before.deviance * (1.0 + 1e-12) + 1e-12
                {
                    halvings += 1;
                    if halvings > 30 {
                        return Err(GlmError::NotConverged(iteration));
                    }
                    for (b, old) in beta.iter_mut().zip(&before.beta) {
                        *b = (*b + old) / 2.0;
                    }
                    means = self.means(design, &beta, offset);
                    deviance = self.deviance(y, weights, &means);
                }
            } else if !means.iter().all(|&m| self.family.valid_mean(m)) {
                return Err(GlmError::NotConverged(iteration));
            }
            let state = State {
                beta,
                mu: means,
                deviance,
            };
            if let Some(before) = &previous
                && (state.deviance - before.deviance).abs() / (state.deviance.abs() + 0.1)
                    < self.tolerance
            {
                return Ok((state, solved, iteration));
            }
            mu.clone_from(&state.mu);
            eta = mu.iter().map(|&m| self.link.link(m)).collect();
            previous = Some(state);
        }
        Err(GlmError::NotConverged(self.max_iterations))
    }

    /// The deviance of the intercept-only model with the same offset and weights.
    fn null_deviance(&self, y: &[f64], weights: &[f64], offset: &[f64]) -> Result<f64, GlmError> {
        let design = design(&GlmData {
            response: y.to_vec(),
            ..GlmData::default()
        })?;
        let (state, _, _) = self.iterate(&design, y, weights, offset)?;
        Ok(state.deviance)
    }

    /// −2 log-likelihood as R's families compute it (the parameters' 2p is added by the caller;
    /// Gamma's dispersion counts as one more parameter).
    fn aic(&self, y: &[f64], weights: &[f64], mu: &[f64], deviance: f64) -> f64 {
        let observed = (0..y.len()).filter(|&i| weights[i] > 0.0);
        match self.family {
            Family::Poisson => observed
                .map(|i| -2.0 * weights[i] * (y[i] * mu[i].ln() - mu[i] - libm::lgamma(y[i] + 1.0)))
                .sum(),
            Family::Gamma => {
                let total_weight: f64 = weights.iter().sum();
                let dispersion = deviance / total_weight;
                let shape = 1.0 / dispersion;
                let log_density = |y: f64, mu: f64| {
                    let scale = mu * dispersion;
                    (shape - 1.0) * y.ln() - y / scale - libm::lgamma(shape) - shape * scale.ln()
                };
                observed
                    .map(|i| -2.0 * weights[i] * log_density(y[i], mu[i]))
                    .sum::<f64>()
                    + 2.0
            }
        }
    }
}

/// A relative residual this small is rounding, not a difference from the fitted value.
const ROUNDING: f64 = 1e-12;

/// The normal quantile of a two-sided 95% interval.
const WALD_95: f64 = 1.959_963_984_540_054;

#[cfg(test)]
mod tests {
    use super::*;

    fn factor(name: &str, levels: &[&str], base: Option<&str>) -> Term {
        Term::Factor {
            name: name.into(),
            levels: levels.iter().map(|l| l.to_string()).collect(),
            base: base.map(str::to_string),
        }
    }

    #[test]
    fn a_poisson_rate_with_an_exposure_offset_is_claims_over_exposure_per_level() {
        // Two areas: 30 claims in 150 years, and 20 claims in 50 years.
        let exposure: [f64; 4] = [100.0, 50.0, 20.0, 30.0];
        let data = GlmData {
            response: vec![20.0, 10.0, 8.0, 12.0],
            offset: Some(exposure.iter().map(|e| e.ln()).collect()),
            terms: vec![factor("area", &["rural", "rural", "urban", "urban"], None)],
            ..GlmData::default()
        };
        let fit = Glm::new(Family::Poisson, Link::Log).fit(&data).unwrap();
        let base = fit.coefficient("(Intercept)").unwrap();
        assert!((base.relativity.unwrap() - 0.2).abs() < 1e-10);
        assert!((fit.relativity("area", "urban").unwrap() - 2.0).abs() < 1e-10);
        // Its standard error is that of a log ratio of two Poisson counts.
        let error = fit.coefficient("area=urban").unwrap().std_error;
        assert!((error - (1.0 / 30.0 + 1.0f64 / 20.0).sqrt()).abs() < 1e-8);
    }

    /// A Gamma fit with nothing to estimate its dispersion from says why, rather than answer
    /// standard errors that are not numbers (no room left) or infinite statistics (an exact fit).
    #[test]
    fn a_gamma_fit_without_a_dispersion_to_estimate_says_why() {
        let areas = |levels: &[&str]| vec![factor("area", levels, None)];
        let gamma = |response: Vec<f64>, terms: Vec<Term>| {
            let data = GlmData {
                response,
                terms,
                ..GlmData::default()
            };
            Glm::new(Family::Gamma, Link::Log).fit(&data)
        };
        let saturated = gamma(vec![1000.0, 3000.0], areas(&["a", "b"]));
        assert_eq!(saturated.unwrap_err(), GlmError::NoResidual(2));
        // The same average in every group, or in each area: a flat fee. Some of these fits
        // land on a dispersion of exactly zero, others on rounding noise; all are exact.
        for (a, b) in [
            (1.0, 1.0),
            (1.0, 2.0),
            (1500.0, 1500.0),
            (0.5, 0.25),
            (3.0, 7.0),
        ] {
            let by_area = gamma(vec![a, a, b, b], areas(&["a", "a", "b", "b"]));
            assert_eq!(by_area.unwrap_err(), GlmError::FittedExactly, "{a} {b}");
            let level = gamma(vec![a, a, a], vec![]);
            assert_eq!(level.unwrap_err(), GlmError::FittedExactly, "{a}");
        }
        // A spread of a part in a million is fitted, with finite standard errors.
        let fit = gamma(vec![1500.0, 1500.0015, 1500.0], vec![]).unwrap();
        assert!(fit.dispersion > 0.0 && fit.coefficients[0].statistic.is_finite());
        // A Poisson fit's dispersion is 1: as many counts as parameters still fit.
        let data = GlmData {
            response: vec![3.0, 5.0],
            terms: areas(&["a", "b"]),
            ..GlmData::default()
        };
        let poisson = Glm::new(Family::Poisson, Link::Log).fit(&data).unwrap();
        assert!(poisson.coefficients.iter().all(|c| c.std_error.is_finite()));
    }

    /// A level with no claims drives its estimate towards minus infinity and its standard error
    /// up: the interval's upper bound is past what a number holds, and is left out.
    #[test]
    fn an_interval_past_what_a_number_holds_is_left_out() {
        let exposure: [f64; 4] = [100.0, 50.0, 20.0, 30.0];
        let data = GlmData {
            response: vec![20.0, 10.0, 0.0, 0.0],
            offset: Some(exposure.iter().map(|e| e.ln()).collect()),
            terms: vec![factor("area", &["rural", "rural", "urban", "urban"], None)],
            ..GlmData::default()
        };
        let fit = Glm::new(Family::Poisson, Link::Log).fit(&data).unwrap();
        let urban = fit.coefficient("area=urban").unwrap();
        for bound in [urban.relativity, urban.lower, urban.upper]
            .into_iter()
            .flatten()
        {
            assert!(bound.is_finite(), "{urban:?}");
        }
        assert_eq!(
            urban.upper, None,
            "exp(-34 + 1.96 x 4,000,000) is no number"
        );
        assert_eq!(crate::check_finite(&fit.coefficients), Ok(()));
    }

    #[test]
    fn a_chosen_base_level_carries_no_coefficient() {
        let data = GlmData {
            response: vec![10.0, 20.0, 40.0],
            terms: vec![factor("age", &["0-4", "5-14", "15+"], Some("5-14"))],
            ..GlmData::default()
        };
        let fit = Glm::new(Family::Poisson, Link::Log).fit(&data).unwrap();
        let names: Vec<&str> = fit.coefficients.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["(Intercept)", "age=0-4", "age=15+"]);
        assert!((fit.relativity("age", "0-4").unwrap() - 0.5).abs() < 1e-10);
        assert!((fit.relativity("age", "15+").unwrap() - 2.0).abs() < 1e-10);
        assert!(fit.deviance.abs() < 1e-10, "a saturated model fits exactly");
    }

    #[test]
    fn gamma_weights_count_each_cell_as_its_claims() {
        // One cell with a mean of 100 over 3 claims and one of 200 over 1 claim: the
        // intercept-only fit is the weighted mean, 125.
        let data = GlmData {
            response: vec![100.0, 200.0],
            weights: Some(vec![3.0, 1.0]),
            ..GlmData::default()
        };
        let fit = Glm::new(Family::Gamma, Link::Log).fit(&data).unwrap();
        assert!((fit.coefficients[0].relativity.unwrap() - 125.0).abs() < 1e-8);
    }

    #[test]
    fn bad_models_are_refused_with_the_reason() {
        let glm = Glm::new(Family::Gamma, Link::Log);
        let error = glm
            .fit(&GlmData {
                response: vec![1.0, 0.0],
                ..GlmData::default()
            })
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "observation 2: a Gamma response must be positive"
        );
        let error = glm
            .fit(&GlmData {
                response: vec![1.0, 2.0, 3.0],
                terms: vec![
                    factor("sex", &["F", "M", "M"], None),
                    factor("pregnant", &["no", "yes", "yes"], None),
                ],
                ..GlmData::default()
            })
            .unwrap_err();
        assert!(
            error.to_string().starts_with("pregnant=yes is aliased"),
            "{error}"
        );
        let error = glm
            .fit(&GlmData {
                response: vec![1.0, 2.0],
                terms: vec![factor("sex", &["F", "M"], Some("X"))],
                ..GlmData::default()
            })
            .unwrap_err();
        assert_eq!(error.to_string(), "sex: the base level 'X' does not occur");
        let error = glm
            .fit(&GlmData {
                response: vec![1.0, 2.0],
                weights: Some(vec![1.0]),
                ..GlmData::default()
            })
            .unwrap_err();
        assert_eq!(error.to_string(), "weights has 1 values for 2 observations");
        let error = Glm::new(Family::Poisson, Link::Log)
            .fit(&GlmData {
                response: vec![1.0, 2.0],
                terms: vec![factor("sex", &["F", "M"], None)],
                offset: Some(vec![0.0, f64::NEG_INFINITY]),
                ..GlmData::default()
            })
            .unwrap_err();
        assert!(error.to_string().contains("a zero exposure"), "{error}");
    }
}
