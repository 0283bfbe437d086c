//! Published results reproduced. The triangles are the RAA and Taylor-Ashe "GenIns" triangles as
//! shipped with chainladder-python 0.10.1 (`chainladder/utils/data/raa.csv`, `genins.csv`,
//! cumulative, long format: valuation year, origin year, value). Reference values: Mack (1993)
//! and chainladder-python 0.10.1's `MackChainladder` with `sigma_interpolation` "mack" and
//! "log-linear", as those sources publish them; compared after rounding to the unit. The GLM
//! examples of R's `?glm` are compared to 1e-6.

use carepool_actuarial::{
    ChainLadder, Family, Glm, GlmData, Link, Mack, SigmaRule, Term, Triangle,
};
use std::collections::BTreeMap;

fn triangle(name: &str) -> Triangle {
    let path = format!("{}/tests/data/{name}.csv", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).unwrap();
    let mut rows: BTreeMap<u32, BTreeMap<u32, f64>> = BTreeMap::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let (valuation, origin): (u32, u32) =
            (fields[0].parse().unwrap(), fields[1].parse().unwrap());
        rows.entry(origin)
            .or_default()
            .insert(valuation - origin, fields[2].parse().unwrap());
    }
    let origins = rows.keys().map(|o| o.to_string()).collect();
    let values = rows
        .values()
        .map(|r| r.values().copied().collect())
        .collect();
    Triangle::new(origins, values).unwrap()
}

fn mack(name: &str, sigma: SigmaRule) -> carepool_actuarial::MackFit {
    Mack {
        chain_ladder: ChainLadder::default(),
        sigma,
    }
    .fit(&triangle(name))
    .unwrap()
}

#[test]
fn genins_reserves_and_mack_errors_match_the_published_ones() {
    let fit = ChainLadder::default().fit(&triangle("genins")).unwrap();
    let factors = [
        3.4906, 1.7473, 1.4574, 1.1739, 1.1038, 1.0863, 1.0539, 1.0766, 1.0177,
    ];
    for (got, want) in fit.factors.iter().zip(factors) {
        assert!((got - want).abs() < 5e-5, "factor {got} against {want}");
    }
    assert_eq!(fit.total_ibnr().round(), 18_680_856.0);
    assert_eq!(
        mack("genins", SigmaRule::Mack).total_standard_error.round(),
        2_447_095.0
    );
    assert_eq!(
        mack("genins", SigmaRule::LogLinear)
            .total_standard_error
            .round(),
        2_441_364.0
    );
}

#[test]
fn raa_reserves_and_mack_errors_match_the_published_ones() {
    let fit = ChainLadder::default().fit(&triangle("raa")).unwrap();
    assert_eq!(fit.total_ibnr().round(), 52_135.0);
    assert_eq!(
        mack("raa", SigmaRule::Mack).total_standard_error.round(),
        26_909.0
    );
    assert_eq!(
        mack("raa", SigmaRule::LogLinear)
            .total_standard_error
            .round(),
        26_881.0
    );
}

/// chainladder-python 0.10.1 on RAA with an exposure of 20,000 for 1981 rising by 2,000 a
/// year; the values come from tests/data/reference.py. Its first origin's IBNR is NaN there
/// (fully developed) and zero here.
#[test]
fn raa_bornhuetter_ferguson_benktander_and_cape_cod_match_chainladder_python() {
    use carepool_actuarial::{Apriori, ExpectedLoss};
    let exposure: Vec<f64> = (0..10).map(|i| 20_000.0 + 2_000.0 * f64::from(i)).collect();
    let method = |apriori, iterations| ExpectedLoss {
        chain_ladder: ChainLadder::default(),
        apriori,
        iterations,
    };
    let cases = [
        (
            method(Apriori::LossRatio(0.7), 1),
            65411.2786,
            [
                140.6393, 430.6636, 1037.4400, 1861.1167, 3929.5811, 6859.4683, 10807.6565,
                16726.6977, 23618.0154,
            ],
        ),
        (
            method(Apriori::LossRatio(0.7), 3),
            60663.3869,
            [
                153.9528, 617.2482, 1634.1968, 2738.7512, 3658.9241, 5568.8530, 10886.6672,
                13327.2290, 22077.5644,
            ],
        ),
        (
            method(Apriori::CapeCod, 1),
            76535.0924,
            [
                164.5563, 503.9021, 1213.8666, 2177.6174, 4597.8440, 8025.9865, 12645.6019,
                19571.2327, 27634.4849,
            ],
        ),
    ];
    for (model, total, per_origin) in cases {
        let fit = model.fit(&triangle("raa"), &exposure).unwrap();
        assert!(
            (fit.total_ibnr() - total).abs() < 1e-3,
            "{model:?}: {}",
            fit.total_ibnr()
        );
        assert!(fit.ibnr[0].abs() < 1e-9);
        for (got, want) in fit.ibnr[1..].iter().zip(per_origin) {
            assert!((got - want).abs() < 1e-3, "{model:?}: {got} against {want}");
        }
    }
    let cape_cod = method(Apriori::CapeCod, 1)
        .fit(&triangle("raa"), &exposure)
        .unwrap();
    assert!((cape_cod.loss_ratio - 0.819042).abs() < 1e-6);
}

/// Asserts every pair agrees to 1e-6, relative to the reference's size where that exceeds 1.
fn close(what: &str, got: &[f64], want: &[f64]) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (g, w) in got.iter().zip(want) {
        assert!(
            (g - w).abs() <= 1e-6 * w.abs().max(1.0),
            "{what}: {got:?} against {want:?}"
        );
    }
}

fn factor(name: &str, levels: &[u32]) -> Term {
    Term::Factor {
        name: name.into(),
        levels: levels.iter().map(u32::to_string).collect(),
        base: None,
    }
}

/// R's ?glm: Dobson (1990), p. 93, a randomised controlled trial. Reference values from
/// statsmodels (tests/data/glm_reference.py), as R prints them.
#[test]
fn dobsons_poisson_example_matches_r() {
    let data = GlmData {
        response: vec![18.0, 17.0, 15.0, 20.0, 10.0, 20.0, 25.0, 13.0, 12.0],
        terms: vec![
            factor("outcome", &[1, 2, 3, 1, 2, 3, 1, 2, 3]),
            factor("treatment", &[1, 1, 1, 2, 2, 2, 3, 3, 3]),
        ],
        ..GlmData::default()
    };
    let fit = Glm::new(Family::Poisson, Link::Log).fit(&data).unwrap();
    let names: Vec<&str> = fit.coefficients.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "(Intercept)",
            "outcome=2",
            "outcome=3",
            "treatment=2",
            "treatment=3"
        ]
    );
    let estimates: Vec<f64> = fit.coefficients.iter().map(|c| c.estimate).collect();
    let errors: Vec<f64> = fit.coefficients.iter().map(|c| c.std_error).collect();
    close(
        "estimates",
        &estimates,
        &[3.044522437723, -0.4542552722776, -0.2929871246815, 0.0, 0.0],
    );
    close(
        "standard errors",
        &errors,
        &[0.170898651363, 0.202170758851, 0.192742344959, 0.2, 0.2],
    );
    close(
        "deviances and AIC",
        &[fit.deviance, fit.null_deviance, fit.aic],
        &[5.129141077001144, 10.581445863750867, 56.76131840195768],
    );
    assert_eq!((fit.df_residual, fit.df_null, fit.dispersion), (4, 8, 1.0));
    close(
        "relativity",
        &[
            fit.relativity("outcome", "2").unwrap(),
            fit.relativity("outcome", "1").unwrap(),
        ],
        &[(-0.4542552722776f64).exp(), 1.0],
    );
}

/// R's ?glm: McCullagh & Nelder (1989), p. 300, clotting times of blood against the
/// concentration of plasma, two lots; Gamma errors with the inverse (canonical) and log links.
#[test]
fn the_clotting_gamma_example_matches_r() {
    let u = [5.0f64, 10.0, 15.0, 20.0, 30.0, 40.0, 60.0, 80.0, 100.0];
    let lot1 = [118.0, 58.0, 42.0, 35.0, 27.0, 25.0, 21.0, 19.0, 18.0];
    let lot2 = [69.0, 35.0, 26.0, 21.0, 18.0, 16.0, 13.0, 12.0, 12.0];
    // Estimates, standard errors, then deviance, null deviance, dispersion and AIC.
    type Expected = ([f64; 2], [f64; 2], [f64; 4]);
    let cases: [(&[f64], Link, Expected); 4] = [
        (
            &lot1,
            Link::Inverse,
            (
                [-0.016554381726, 0.01534311491],
                [0.000927549139, 0.000414959643],
                [
                    0.01672971517848354,
                    3.512826263828517,
                    0.0024460362420932963,
                    37.98992394955767,
                ],
            ),
        ),
        (
            &lot1,
            Link::Log,
            (
                [5.503230227516, -0.601917671742],
                [0.190300924917, 0.055307803033],
                [
                    0.1626082944973315,
                    3.512826263828517,
                    0.024354384565190186,
                    58.481656206584894,
                ],
            ),
        ),
        (
            &lot2,
            Link::Inverse,
            (
                [-0.023908469799, 0.023599213583],
                [0.001326457395, 0.00057678417],
                [
                    0.012671755901312316,
                    3.1185571236389578,
                    0.0018133468309126286,
                    27.032160356431675,
                ],
            ),
        ),
        (
            &lot2,
            Link::Log,
            (
                [4.918757534122, -0.567435603121],
                [0.185540744446, 0.053924335643],
                [
                    0.15315279232473686,
                    3.1185571236389578,
                    0.023151223670411464,
                    49.484118059383405,
                ],
            ),
        ),
    ];
    for (lot, link, (estimates, errors, summary)) in cases {
        let data = GlmData {
            response: lot.to_vec(),
            terms: vec![Term::Covariate {
                name: "log(u)".into(),
                values: u.iter().map(|u| u.ln()).collect(),
            }],
            ..GlmData::default()
        };
        let fit = Glm::new(Family::Gamma, link).fit(&data).unwrap();
        let what = format!("{link:?} link");
        let got: Vec<f64> = fit.coefficients.iter().map(|c| c.estimate).collect();
        close(&what, &got, &estimates);
        let got: Vec<f64> = fit.coefficients.iter().map(|c| c.std_error).collect();
        close(&what, &got, &errors);
        close(
            &what,
            &[fit.deviance, fit.null_deviance, fit.dispersion, fit.aic],
            &summary,
        );
    }
}
