//! Properties of the chain ladder and Mack's errors on any triangle of positive values.

use carepool_actuarial::{ChainLadder, Mack, SigmaRule, Triangle};
use proptest::prelude::*;

/// A standard triangle of `n` origins with positive increments.
fn triangles() -> impl Strategy<Value = Triangle> {
    (4usize..9).prop_flat_map(|n| {
        prop::collection::vec(prop::collection::vec(1.0f64..1000.0, n), n).prop_map(move |grid| {
            let rows = grid
                .iter()
                .enumerate()
                .map(|(i, increments)| {
                    increments[..n - i]
                        .iter()
                        .scan(0.0, |sum, x| {
                            *sum += x;
                            Some(*sum)
                        })
                        .collect()
                })
                .collect();
            Triangle::new((0..n).map(|i| i.to_string()).collect(), rows).unwrap()
        })
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    #[test]
    fn a_fully_developed_triangle_has_no_ibnr(rows in prop::collection::vec(prop::collection::vec(1.0f64..1000.0, 5), 3..6)) {
        let triangle = Triangle::new((0..rows.len()).map(|i| i.to_string()).collect(), rows).unwrap();
        let fit = ChainLadder::default().fit(&triangle).unwrap();
        prop_assert!(fit.ibnr.iter().all(|r| r.abs() < 1e-9));
    }

    #[test]
    fn scaling_a_triangle_scales_ultimates_and_standard_errors(triangle in triangles(), k in 0.01f64..100.0) {
        for rule in [SigmaRule::Mack, SigmaRule::LogLinear] {
            let mack = Mack { chain_ladder: ChainLadder::default(), sigma: rule };
            let (plain, scaled) = (mack.fit(&triangle).unwrap(), mack.fit(&triangle.scaled(k)).unwrap());
            for (a, b) in plain.chain_ladder.ultimates.iter().zip(&scaled.chain_ladder.ultimates) {
                prop_assert!(close(a * k, *b));
            }
            prop_assert!(close(plain.total_standard_error * k, scaled.total_standard_error));
            for (a, b) in plain.standard_errors.iter().zip(&scaled.standard_errors) {
                prop_assert!(close(a * k, *b));
            }
        }
    }
}

proptest! {
    #[test]
    fn benktander_iterations_move_from_bornhuetter_ferguson_to_the_chain_ladder(triangle in triangles(), ratio in 0.1f64..3.0) {
        use carepool_actuarial::{Apriori, ExpectedLoss};
        let exposure = vec![1000.0; triangle.origins().len()];
        let fit = |iterations| ExpectedLoss { chain_ladder: ChainLadder::default(), apriori: Apriori::LossRatio(ratio), iterations }
            .fit(&triangle, &exposure)
            .unwrap();
        let chain_ladder = ChainLadder::default().fit(&triangle).unwrap();
        let (first, many) = (fit(1), fit(2000));
        for i in 0..exposure.len() {
            let q = 1.0 - 1.0 / first.cdf[i];
            prop_assert!(close(first.ultimates[i], chain_ladder.latest[i] + q * ratio * 1000.0));
            prop_assert!((many.ultimates[i] - chain_ladder.ultimates[i]).abs() <= 1e-6 * chain_ladder.ultimates[i].max(1.0));
        }
    }
}

#[test]
fn bad_exposure_is_refused_with_the_origin_named() {
    use carepool_actuarial::{Apriori, ExpectedLoss, ExpectedLossError};
    let triangle = Triangle::new(
        vec!["2024".into(), "2025".into()],
        vec![vec![1.0, 2.0], vec![1.0]],
    )
    .unwrap();
    let method = ExpectedLoss {
        chain_ladder: ChainLadder::default(),
        apriori: Apriori::LossRatio(0.7),
        iterations: 1,
    };
    assert_eq!(
        method.fit(&triangle, &[1.0]).unwrap_err(),
        ExpectedLossError::ExposureLength {
            given: 1,
            origins: 2
        }
    );
    let error = method.fit(&triangle, &[1.0, 0.0]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the exposure of origin 2025 is 0; it must be a positive number, at most 1000000000000000"
    );
    for (value, bound) in [(f64::INFINITY, "exposure"), (1e16, "exposure")] {
        let error = method.fit(&triangle, &[1.0, value]).unwrap_err();
        assert!(
            matches!(error, ExpectedLossError::BadExposure { .. }),
            "{bound}: {error}"
        );
    }
    for ratio in [f64::NAN, f64::INFINITY, 0.0, 10.5] {
        let bad = ExpectedLoss {
            apriori: Apriori::LossRatio(ratio),
            ..method.clone()
        };
        assert!(matches!(
            bad.fit(&triangle, &[1.0, 1.0]).unwrap_err(),
            ExpectedLossError::BadLossRatio(_)
        ));
    }
    for iterations in [0, 10_001] {
        let bad = ExpectedLoss {
            iterations,
            ..method.clone()
        };
        assert_eq!(
            bad.fit(&triangle, &[1.0, 1.0]).unwrap_err(),
            ExpectedLossError::Iterations(iterations)
        );
    }
    for tail in [f64::NAN, f64::INFINITY, 0.0, 10.01] {
        let chain_ladder = ChainLadder {
            tail,
            ..ChainLadder::default()
        };
        assert!(chain_ladder.fit(&triangle).is_err(), "tail {tail}");
    }
}

proptest! {
    #[test]
    fn triangles_and_reserves_do_not_depend_on_the_order_of_the_claims(
        delays in prop::collection::vec((0u64..700, 0u64..200, 1.0f64..5000.0), 30..120),
        seed in any::<u64>(),
    ) {
        use carepool_actuarial::{ClaimDates, Development, Measure, Period, build};
        let start: chrono::NaiveDate = "2024-01-01".parse().unwrap();
        let claims: Vec<ClaimDates> = delays
            .iter()
            .map(|&(incurred, delay, amount)| {
                let incurred = start + chrono::Days::new(incurred);
                ClaimDates { incurred, reported: incurred + chrono::Days::new(delay), paid: None, amount }
            })
            .collect();
        let mut shuffled = claims.clone();
        // A deterministic shuffle from the seed.
        let n = shuffled.len();
        for i in (1..n).rev() {
            let j = (seed.wrapping_mul(i as u64 + 7).rotate_left(17) % (i as u64 + 1)) as usize;
            shuffled.swap(i, j);
        }
        let valuation: chrono::NaiveDate = "2025-12-31".parse().unwrap();
        let triangle = |claims: &[ClaimDates]| build(claims, Period::Quarter, Development::Reported, Measure::Amount, valuation).unwrap();
        let (a, b) = (triangle(&claims), triangle(&shuffled));
        for i in 0..a.origins().len() {
            for (x, y) in a.row(i).iter().zip(b.row(i)) {
                prop_assert!(close(*x, *y));
            }
        }
        if let (Ok(x), Ok(y)) = (ChainLadder::default().fit(&a), ChainLadder::default().fit(&b)) {
            prop_assert!(close(x.total_ibnr(), y.total_ibnr()));
        }
    }
}
