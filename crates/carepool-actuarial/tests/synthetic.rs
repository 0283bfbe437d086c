//! Against a truth the generator knows: the reporting triangle of a synthetic scheme (the example
//! mutual, two years, monthly), cut at its last day, gives an IBNR within its Mack standard error
//! of the claims that had in fact been incurred and not yet reported, as often as a standard
//! error promises, over twenty schemes.

use carepool_actuarial::{
    ChainLadder, ClaimDates, Development, Mack, Measure, Period, SigmaRule, build,
};
use carepool_synth::{ClaimKind, Generator, Options, SynthConfig};
use chrono::NaiveDate;
use std::path::Path;

/// IBNR, its standard error, and the truth, for one synthetic scheme.
fn one_scheme(seed: u64) -> (f64, f64, f64) {
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/mutual");
    let scheme = carepool_io::read_scheme_file(&examples.join("scheme.toml")).unwrap();
    let settings: SynthConfig =
        toml::from_str(&std::fs::read_to_string(examples.join("synth.toml")).unwrap()).unwrap();
    let valuation: NaiveDate = "2026-12-31".parse().unwrap();
    let options = Options {
        families: 1_500,
        from: "2025-01-01".parse().unwrap(),
        to: valuation,
        seed,
    };
    let generator = Generator::new(&settings, &scheme, options).unwrap();
    let mut claims = Vec::new();
    for index in 0..options.families {
        // The care given: duplicates and defective claims are not new episodes.
        let family = generator.family(index);
        for synth in family
            .claims
            .into_iter()
            .filter(|c| c.kind == ClaimKind::Genuine)
        {
            claims.push(ClaimDates {
                incurred: synth.claim.incurred_date().unwrap(),
                reported: synth.claim.received_date,
                paid: None,
                amount: 1.0,
            });
        }
    }
    let truth = claims.iter().filter(|c| c.reported > valuation).count() as f64;
    let triangle = build(
        &claims,
        Period::Month,
        Development::Reported,
        Measure::Count,
        valuation,
    )
    .unwrap();
    let mack = Mack {
        chain_ladder: ChainLadder::default(),
        sigma: SigmaRule::Mack,
    }
    .fit(&triangle)
    .unwrap();
    (
        mack.chain_ladder.total_ibnr(),
        mack.total_standard_error,
        truth,
    )
}

#[test]
fn the_ibnr_of_synthetic_schemes_is_within_its_standard_error_of_the_truth() {
    let z: Vec<f64> = (1..=20)
        .map(|seed| {
            let (estimate, error, truth) = one_scheme(seed);
            println!("seed {seed}: IBNR {estimate:.0} ± {error:.0}, truth {truth}");
            (estimate - truth) / error
        })
        .collect();
    let within = z.iter().filter(|z| z.abs() <= 1.0).count();
    let mean = z.iter().sum::<f64>() / z.len() as f64;
    println!("{within} of 20 within one standard error; mean z {mean:.2}");
    // A correct estimate and error put about 68% of schemes within one standard error (13.6 of
    // 20, binomial spread 2.1): 9 or fewer, or all 20, would each happen well under 1% of the
    // time. The mean error in standard errors is near 0 (spread 1/√20).
    assert!(
        (9..20).contains(&within),
        "{within} of 20 within one standard error"
    );
    assert!(
        mean.abs() < 3.0 / 20f64.sqrt(),
        "mean error {mean:.2} standard errors"
    );
}
