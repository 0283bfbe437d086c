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
