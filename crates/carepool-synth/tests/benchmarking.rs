//! Provider benchmarking on synthetic schemes at the default settings (issue: "the flagged
//! facilities recover at least 80% of the facilities that upcode, inflate stays or charge exempt
//! patients, with at least 80% of flags being planted ones"). Each scheme's claims are counted
//! as the benchmarking counts them on the database: what adjudication would say of each (a
//! copy held as a duplicate, a defective claim or care outside active cover rejected, a poor
//! family's member exempt) taken from what the generator drew.

use carepool_actuarial::benchmark::{Benchmark, BenchmarkTally, Case, FacilityBenchmark};
use carepool_core::dates::age_on;
use carepool_core::registry::{MemberStatus, Sex};
use carepool_synth::{ClaimKind, Generator, Habits, Options, SynthConfig};
use chrono::NaiveDate;
use std::collections::BTreeSet;
use std::path::Path;

const FAMILIES: u64 = 300_000;
const SEEDS: u64 = 12;
/// The experience study's default age bands.
const AGE_BANDS: [u32; 6] = [0, 5, 15, 25, 45, 65];

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// What a behaviour is found by: the measure flagged, whether the generator planted it in a
/// facility, and whether the facility's claims could show it at all (a health centre of an
/// inpatient programme that sends no claim cannot be found charging its patients).
struct Behaviour {
    name: &'static str,
    measure: &'static str,
    planted: fn(&Habits) -> bool,
    could_show: fn(&FacilityBenchmark) -> bool,
}

const BEHAVIOURS: [Behaviour; 3] = [
    Behaviour {
        name: "upcoding",
        measure: "costliest_mix",
        planted: |h| h.upcodes,
        // Claims of a category with a costlier line to move to.
        could_show: |f| f.mix.iter().any(|m| m.peer_share < 1.0),
    },
    Behaviour {
        name: "stay inflation",
        measure: "length_of_stay",
        planted: |h| h.inflates_stays,
        could_show: |f| f.length_of_stay.is_some(),
    },
    Behaviour {
        name: "charging exempt patients",
        measure: "exempt_charged",
        planted: |h| h.charges_everyone,
        could_show: |f| f.exempt_charged.is_some(),
    },
];

/// The facilities flagged for `behaviour`, and those it was planted in whose claims could
/// show it.
fn found(
    benchmark: &Benchmark,
    behaviour: &Behaviour,
    codes: &[String],
    habits: &[Habits],
) -> (BTreeSet<String>, BTreeSet<String>) {
    let flagged = (benchmark.facilities.iter())
        .filter(|f| f.flags.contains(&behaviour.measure))
        .map(|f| f.facility.clone())
        .collect();
    let truth = (benchmark.facilities.iter())
        .filter(|f| {
            let at = codes.iter().position(|c| *c == f.facility).unwrap();
            (behaviour.planted)(&habits[at]) && (behaviour.could_show)(f)
        })
        .map(|f| f.facility.clone())
        .collect();
    (flagged, truth)
}

/// Two years of the scheme drawn from `seed`, benchmarked.
fn benchmark(seed: u64) -> (Benchmark, Vec<String>, Vec<Habits>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/pip-inpatient.toml");
    let scheme = carepool_io::read_scheme_file(&path).unwrap();
    let config = SynthConfig::default();
    let (from, to) = (day("2025-04-01"), day("2027-03-31"));
    let options = Options {
        families: FAMILIES,
        from,
        to,
        seed,
    };
    let generator = Generator::new(&config, &scheme, options).unwrap();
    let mut tally = BenchmarkTally::default();
    let providers = &generator.network().providers;
    for provider in providers {
        tally.add_facility(&provider.code, provider.level.as_str());
    }
    let poor_below = scheme.exemptions.poor_poverty_score_max;
    let mut members_before = 0;
    for index in 0..FAMILIES {
        let family = generator.family(index);
        let first_member = members_before;
        members_before += family.members.len() as u32;
        let exempt = (family.family.poverty_score)
            .zip(poor_below)
            .is_some_and(|(score, max)| score <= max);
        for synth in &family.claims {
            let claim = &synth.claim;
            if claim.received_date > to {
                continue;
            }
            let Some(at) = family.members.iter().position(|m| m.id == claim.member_id) else {
                continue;
            };
            let member = &family.members[at];
            let incurred = claim.incurred_date().unwrap_or(claim.received_date);
            let cover = &family.coverage[at];
            let covered = member.status != MemberStatus::Pending
                && cover.start_date <= incurred
                && cover.end_date.is_none_or(|end| incurred <= end);
            let age = age_on(member.birth_date, incurred);
            let band = AGE_BANDS.iter().rposition(|&from| age >= from).unwrap_or(0) as u8;
            let line = format!(
                "{} {}",
                claim.clinical_category,
                claim.specialty.as_deref().unwrap_or_default()
            );
            tally.add_case(&Case {
                facility: &claim.provider_id,
                line: &line,
                category: &claim.clinical_category,
                age_band: band,
                woman: member.sex == Sex::Female,
                member: first_member + at as u32,
                claimed: claim.claimed().minor() as f64 / 100.0,
                stay_days: claim.length_of_stay().map(|days| days as u32),
                rejected: synth.kind == ClaimKind::Malformed || !covered,
                duplicate: synth.kind == ClaimKind::Duplicate,
                exempt,
                exempt_charged: exempt && claim.copay_collected.minor() > 0,
            });
        }
    }
    let codes = providers.iter().map(|p| p.code.clone()).collect();
    (tally.finish(0.05), codes, generator.habits().to_vec())
}

#[test]
fn the_flags_recover_the_planted_behaviours() {
    let mut counts = [(0usize, 0usize, 0usize); 3];
    for seed in 1..=SEEDS {
        let (benchmark, codes, habits) = benchmark(seed);
        for (behaviour, count) in BEHAVIOURS.iter().zip(&mut counts) {
            let (flagged, truth) = found(&benchmark, behaviour, &codes, &habits);
            println!(
                "seed {seed} {}: flagged {flagged:?}, planted {truth:?}",
                behaviour.name
            );
            count.0 += flagged.intersection(&truth).count();
            count.1 += truth.len();
            count.2 += flagged.len();
        }
    }
    for (behaviour, (hits, planted, flagged)) in BEHAVIOURS.iter().zip(counts) {
        let recall = hits as f64 / planted as f64;
        let precision = hits as f64 / flagged as f64;
        println!(
            "{}: {hits} of {planted} planted found (recall {recall:.2}), {hits} of {flagged} flags planted (precision {precision:.2})",
            behaviour.name
        );
        assert!(planted >= 5, "{}: too few planted to judge", behaviour.name);
        assert!(recall >= 0.8, "{}: recall {recall}", behaviour.name);
        assert!(
            precision >= 0.8,
            "{}: precision {precision}",
            behaviour.name
        );
    }
}
