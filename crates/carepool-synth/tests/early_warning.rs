//! The early warning on synthetic schemes (issue: "it fires on a scheme whose incidence was
//! raised by 30% from a given month within three months, and stays quiet on an unchanged one
//! over 24 months in at least 95% of seeds"). Each scheme's premium basis is its first year's
//! experience, counted here apart from the watch; the watch then counts the next months as the
//! indicators do on the database (cover spans, claims the checks would pass, completion by the
//! chain ladder on counts).

use carepool_actuarial::experience::{CoverPeriod, Span, cover_spans};
use carepool_actuarial::indicators::{
    Expected, ExpectedLine, FamilyFacts, MemberFacts, ReportedCounts, TOTAL, Watch, WatchClaim,
    WatchSettings, WatchTally,
};
use carepool_core::dates::days_in_year;
use carepool_core::registry::Sex;
use carepool_synth::{ClaimKind, Drift, Generator, Options, SynthConfig};
use chrono::{Datelike, Days, NaiveDate};
use std::collections::BTreeMap;
use std::path::Path;

const FAMILIES: u64 = 2_000;

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn examples() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/mutual")
}

/// The example mutual with nothing that moves its rates over time but the drift: no growth,
/// exits or deaths, every relativity 1 (members age), no age limits on a line, no duration
/// effect, no planted behaviour.
fn steady(drift: Drift) -> SynthConfig {
    let text = std::fs::read_to_string(examples().join("synth.toml")).unwrap();
    let mut config: SynthConfig = toml::from_str(&text).unwrap();
    config.growth.initial_share = 1.0;
    config.growth.monthly_growth = 0.0;
    config.drift = drift;
    config.steady()
}

/// One member's cover as the indicators read it from the registry.
struct Counted {
    spans: Vec<Span>,
    woman: bool,
}

/// What the scheme's first year says: claims and cost per line over its member-years, and the
/// members per family at its end.
#[derive(Default)]
struct FirstYear {
    exposure: f64,
    lines: BTreeMap<String, (f64, f64)>,
    families: f64,
    members: f64,
}

impl FirstYear {
    fn basis(&self) -> Expected {
        Expected {
            lines: (self.lines.iter())
                .map(|(name, (claims, cost))| ExpectedLine {
                    name: name.clone(),
                    incidence: claims / self.exposure,
                    average_cost: cost / claims,
                })
                .collect(),
            family_size: self.members / self.families,
        }
    }
}

/// The scheme drawn from `seed` with `drift` from 2025, its data ending on `to`; the watch from
/// 2026 on against its 2025 experience.
fn watch(seed: u64, drift: Drift, to: NaiveDate, settings: WatchSettings) -> Watch {
    let config = steady(drift);
    let scheme = carepool_io::read_scheme_file(&examples().join("scheme.toml")).unwrap();
    let options = Options {
        families: FAMILIES,
        from: day("2025-01-01"),
        to,
        seed,
    };
    let generator = Generator::new(&config, &scheme, options).unwrap();
    let (year_start, year_end) = (day("2025-01-01"), day("2025-12-31"));
    let mut first_year = FirstYear::default();
    let mut tally = WatchTally::new(day("2026-01-01"), to).unwrap();
    let mut reported = ReportedCounts::new(to);
    let horizon = to + Days::new(1);
    for index in 0..FAMILIES {
        let family = generator.family(index);
        let members: Vec<Counted> = (family.members.iter())
            .map(|member| {
                let covers: Vec<CoverPeriod> = (family.coverage.iter())
                    .filter(|c| c.member_id == member.id)
                    .map(|c| CoverPeriod {
                        start: c.start_date,
                        end: c.end_date,
                    })
                    .collect();
                Counted {
                    spans: cover_spans(&covers, member.status, member.status_since, horizon),
                    woman: member.sex == Sex::Female,
                }
            })
            .collect();
        let facts: Vec<MemberFacts> = (members.iter())
            .map(|m| MemberFacts {
                spans: &m.spans,
                covers: &[],
                woman: m.woman,
                grace_days: 0,
            })
            .collect();
        tally.add_family(&FamilyFacts {
            members: &facts,
            due: &[],
            payments: &[],
        });
        let active = |m: &Counted, on: NaiveDate| {
            (m.spans.iter()).any(|s| !s.pending && s.start <= on && on <= s.end)
        };
        let at_year_end = members.iter().filter(|m| active(m, year_end)).count();
        if at_year_end > 0 {
            first_year.families += 1.0;
            first_year.members += at_year_end as f64;
        }
        for span in members.iter().flat_map(|m| &m.spans).filter(|s| !s.pending) {
            let (first, last) = (span.start.max(year_start), span.end.min(year_end));
            if first <= last {
                let days = (last - first).num_days() + 1;
                first_year.exposure += days as f64 / f64::from(days_in_year(2025));
            }
        }
        for synth in &family.claims {
            let claim = &synth.claim;
            let incurred = claim.incurred_date().unwrap();
            let member = family.members.iter().position(|m| m.id == claim.member_id);
            // The checks reject copies, defects and care outside active cover.
            let passes = synth.kind == ClaimKind::Genuine
                && member.is_some_and(|m| active(&members[m], incurred));
            if !passes {
                continue;
            }
            let line = format!(
                "{} {}",
                claim.clinical_category,
                claim.specialty.as_deref().unwrap()
            );
            let cost = claim.claimed();
            if incurred.year() == 2025 {
                let counted = first_year.lines.entry(line.clone()).or_default();
                counted.0 += 1.0;
                counted.1 += cost.minor() as f64 / 100.0;
            }
            tally.add_claim(&WatchClaim {
                line: &line,
                incurred,
                received: claim.received_date,
                cost,
            });
            reported.add(incurred, claim.received_date);
        }
    }
    let months = tally.months().to_vec();
    let basis = first_year.basis();
    let expected = vec![Some(basis); months.len()];
    let shares = reported.shares(&months);
    tally.watch(&expected, &shares, settings)
}

#[test]
fn an_unchanged_scheme_stays_quiet_over_24_months_in_at_least_95_percent_of_seeds() {
    const SEEDS: u64 = 20;
    let mut noisy = Vec::new();
    for seed in 1..=SEEDS {
        let watch = watch(
            seed,
            Drift::default(),
            day("2027-12-31"),
            WatchSettings::default(),
        );
        assert_eq!(watch.months_checked.len(), 24);
        assert_eq!(watch.lines.len(), 5, "{:?}", watch.lines);
        if !watch.warnings.is_empty() {
            println!("seed {seed}: {:?}", watch.warnings);
            noisy.push(seed);
        }
    }
    println!(
        "{} of {SEEDS} seeds raised a warning: {noisy:?}",
        noisy.len()
    );
    assert!(
        noisy.len() as f64 <= 0.05 * SEEDS as f64,
        "warnings on an unchanged scheme for seeds {noisy:?}"
    );
}

#[test]
fn thirty_percent_more_claims_from_a_month_are_warned_of_within_three_months() {
    let drift = Drift {
        from: Some(day("2027-01-01")),
        incidence_factor: 1.3,
        cost_factor: 1.0,
    };
    for seed in 1..=10 {
        // The data end with the third month of the drift, its claims still coming in.
        let watch = watch(
            seed,
            drift.clone(),
            day("2027-03-31"),
            WatchSettings::default(),
        );
        let total = (watch.warnings.iter())
            .find(|w| w.line == TOTAL && w.measure == "incidence_per_1000")
            .unwrap_or_else(|| panic!("seed {seed}: no warning in {:?}", watch.warnings));
        assert!(total.open, "seed {seed}: {total:?}");
        assert_eq!(total.months[0].month, day("2027-01-01"), "seed {seed}");
        assert!(
            (total.months.iter()).all(|m| m.observed > 1.15 * m.expected),
            "seed {seed}: {total:?}"
        );
        // Nothing before the drift: the months before it are inside their bands.
        assert!(
            (watch.warnings.iter()).all(
                |w| w.measure == "incidence_per_1000" && w.months[0].month >= day("2027-01-01")
            ),
            "seed {seed}: {:?}",
            watch.warnings
        );
    }
}
