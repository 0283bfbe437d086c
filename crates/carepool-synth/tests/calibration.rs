//! The generator against its calibration: on a generated scheme, simple estimates (incidence
//! and average cost per row, the sex, age and durational relativities, the share of pending
//! members, the mean family size, the reporting delay) fall within sampling error of what was
//! asked for. Bounds are four standard errors, so a correct generator fails about once in
//! 15,000 seeds; the seed is fixed, so the test is repeatable.

use carepool_core::dates::{add_months, age_on};
use carepool_core::registry::{Area, MemberStatus, Sex};
use carepool_synth::config::{Behaviour, CalibrationRow};
use carepool_synth::{ClaimKind, Generator, Options, SynthConfig, SynthFamily};
use chrono::{Datelike, Days, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const FAMILIES: u64 = 120_000;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn scheme() -> carepool_core::scheme::SchemeDefinition {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/pip-inpatient.toml");
    carepool_io::read_scheme_file(&path).unwrap()
}

/// The defaults, with the behaviours that distort claims turned off.
fn honest() -> SynthConfig {
    SynthConfig {
        behaviour: Behaviour::honest(),
        ..SynthConfig::default()
    }
}

/// Observed and expected claims in one cell; expected counts leave out the factor a test
/// estimates, so observed/expected estimates it.
#[derive(Default, Clone, Copy, Debug)]
struct Cell {
    observed: f64,
    expected: f64,
}

impl Cell {
    fn ratio(&self) -> f64 {
        self.observed / self.expected
    }
}

/// Asserts `estimate` is within four standard errors of `truth`.
fn within(what: &str, estimate: f64, truth: f64, standard_error: f64) {
    let distance = (estimate - truth).abs() / standard_error;
    println!("{what}: {estimate:.4} against {truth:.4} ({distance:.2} standard errors)");
    assert!(
        distance < 4.0,
        "{what}: estimate {estimate} is {distance:.1} standard errors from {truth}"
    );
}

/// A ratio of two Poisson rates, compared on the log scale.
fn ratio_within(what: &str, top: Cell, bottom: Cell, truth: f64) {
    let estimate = top.ratio() / bottom.ratio();
    let standard_error = (1.0 / top.observed + 1.0 / bottom.observed).sqrt();
    within(what, estimate.ln(), truth.ln(), standard_error);
}

struct Study<'c> {
    config: &'c SynthConfig,
    to: NaiveDate,
    rows: Vec<Cell>,
    female: Cell,
    male: Cell,
    /// By age band (start), without the age factor.
    bands: BTreeMap<u32, Cell>,
    /// By duration step (start), without the durational factor.
    durations: BTreeMap<u32, Cell>,
}

impl Study<'_> {
    fn band(&self, age: u32) -> (u32, f64, f64) {
        let band = self
            .config
            .relativities
            .age
            .iter()
            .rev()
            .find(|b| b.from_age <= age)
            .unwrap();
        (band.from_age, band.incidence, band.cost)
    }

    fn duration(&self, months: u32) -> (u32, f64) {
        let step = self
            .config
            .duration
            .iter()
            .rev()
            .find(|s| s.from_month <= months)
            .unwrap();
        (step.from_month, step.factor)
    }

    /// Adds a member's expected claims, walking the cover in pieces over which age and
    /// duration do not change.
    fn expose(&mut self, sex: Sex, area: Area, birth: NaiveDate, start: NaiveDate, end: NaiveDate) {
        let config = self.config;
        let mut cuts: Vec<NaiveDate> = config
            .duration
            .iter()
            .map(|s| add_months(start, s.from_month))
            .collect();
        for year in start.year()..=end.year() {
            // The day the age changes: 1 March for 29 February in a common year.
            let birthday = NaiveDate::from_ymd_opt(year, birth.month(), birth.day())
                .unwrap_or_else(|| NaiveDate::from_ymd_opt(year, 3, 1).unwrap());
            cuts.push(birthday);
        }
        cuts.push(start);
        cuts.push(end.succ_opt().unwrap());
        cuts.retain(|d| *d >= start && *d <= end.succ_opt().unwrap());
        cuts.sort();
        cuts.dedup();
        let area_factor = if area == Area::Urban {
            config.relativities.urban.incidence
        } else {
            1.0
        };
        for piece in cuts.windows(2) {
            let years = (piece[1] - piece[0]).num_days() as f64 / 365.25;
            let age = age_on(birth, piece[0]);
            let months = whole_months(start, piece[0]);
            let (band, age_factor, _) = self.band(age);
            let (step, duration_factor) = self.duration(months);
            for (r, row) in config.calibration.iter().enumerate() {
                if !row.applies_to(sex, age) {
                    continue;
                }
                let sex_factor = if sex == Sex::Female && row.sex.is_none() {
                    config.relativities.female.incidence
                } else {
                    1.0
                };
                let base = row.incidence_per_1000 / 1000.0 * years * area_factor;
                let expected = base * sex_factor * age_factor * duration_factor;
                self.rows[r].expected += expected;
                self.bands.entry(band).or_default().expected += expected / age_factor;
                self.durations.entry(step).or_default().expected += expected / duration_factor;
                if row.sex.is_none() {
                    match sex {
                        Sex::Female => self.female.expected += expected / sex_factor,
                        Sex::Male => self.male.expected += expected,
                    }
                }
            }
        }
    }

    fn observe(&mut self, row: &CalibrationRow, r: usize, sex: Sex, age: u32, months: u32) {
        self.rows[r].observed += 1.0;
        let band = self.band(age).0;
        self.bands.entry(band).or_default().observed += 1.0;
        let step = self.duration(months).0;
        self.durations.entry(step).or_default().observed += 1.0;
        if row.sex.is_none() {
            match sex {
                Sex::Female => self.female.observed += 1.0,
                Sex::Male => self.male.observed += 1.0,
            }
        }
    }
}

fn whole_months(start: NaiveDate, date: NaiveDate) -> u32 {
    (0..)
        .take_while(|&m| add_months(start, m) <= date)
        .last()
        .unwrap_or(0)
}

#[test]
fn a_generated_scheme_matches_its_calibration() {
    let config = honest();
    let scheme = scheme();
    let (from, to) = (date("2025-04-01"), date("2028-03-31"));
    let options = Options {
        families: FAMILIES,
        from,
        to,
        seed: 2026,
    };
    let generator = Generator::new(&config, &scheme, options).unwrap();
    let mut study = Study {
        config: &config,
        to,
        rows: vec![Cell::default(); config.calibration.len()],
        female: Cell::default(),
        male: Cell::default(),
        bands: BTreeMap::new(),
        durations: BTreeMap::new(),
    };
    let (mut members, mut sizes_squared, mut pending, mut pending_women) = (0.0, 0.0, 0.0, 0.0);
    // Cost over the member's cost factors, per row: sum, sum of squares and count.
    let mut costs = vec![(0.0, 0.0, 0.0); config.calibration.len()];
    // Claims received before and after the median delay (those on the day itself left out).
    let (mut quick, mut slow) = (0.0, 0.0);
    for index in 0..FAMILIES {
        let SynthFamily {
            members: people,
            pending: pending_flags,
            coverage,
            claims,
            area,
            ..
        } = generator.family(index);
        let size = people.len() as f64;
        members += size;
        sizes_squared += size * size;
        for (member, is_pending) in people.iter().zip(&pending_flags) {
            if *is_pending {
                pending += 1.0;
                pending_women += f64::from(member.sex == Sex::Female);
            }
        }
        for ((member, cover), is_pending) in people.iter().zip(&coverage).zip(&pending_flags) {
            if *is_pending {
                continue;
            }
            let end = cover.end_date.unwrap_or(to).min(to);
            study.expose(member.sex, area, member.birth_date, cover.start_date, end);
        }
        for synth in claims {
            assert_eq!(synth.kind, ClaimKind::Genuine);
            let claim = &synth.claim;
            let m = people.iter().position(|p| p.id == claim.member_id).unwrap();
            assert!(
                !pending_flags[m],
                "a pending member claimed with pending_claim_factor 0"
            );
            assert_ne!(people[m].status, MemberStatus::Pending);
            let member = &people[m];
            let incurred = claim.incurred_date().unwrap();
            let age = age_on(member.birth_date, incurred);
            let months = whole_months(coverage[m].start_date, incurred);
            let row = &config.calibration[synth.row];
            study.observe(row, synth.row, member.sex, age, months);
            let mut factor = study.band(age).2;
            if member.sex == Sex::Female && row.sex.is_none() {
                factor *= config.relativities.female.cost;
            }
            if area == Area::Urban {
                factor *= config.relativities.urban.cost;
            }
            let claimed: i64 = claim.lines.iter().map(|l| l.claimed().minor()).sum();
            let standardised = claimed as f64 / 100.0 / factor;
            costs[synth.row].0 += standardised;
            costs[synth.row].1 += standardised * standardised;
            costs[synth.row].2 += 1.0;
            let last_day = claim.discharge_date.or(claim.visit_date).unwrap();
            let median = last_day + Days::new(config.delays.report_median_days as u64);
            if claim.received_date < median {
                quick += 1.0;
            } else if claim.received_date > median {
                slow += 1.0;
            }
        }
    }
    assert!(study.to == to);

    let families = FAMILIES as f64;
    let mean_size = members / families;
    let size_variance = sizes_squared / families - mean_size * mean_size;
    let population = &config.population;
    within(
        "mean family size",
        mean_size,
        population.mean_family_size,
        (size_variance / families).sqrt(),
    );
    let share = |p: f64, n: f64| (p * (1.0 - p) / n).sqrt();
    within(
        "share of members pending",
        pending / members,
        population.pending_share,
        share(population.pending_share, members),
    );
    within(
        "share of women among the pending",
        pending_women / pending,
        population.pending_female_share,
        share(population.pending_female_share, pending),
    );

    for (row, cell) in config.calibration.iter().zip(&study.rows) {
        let name = format!("{}/{}", row.clinical_category, row.specialty);
        within(
            &format!("{name}: incidence per 1,000 (reference cell)"),
            row.incidence_per_1000 * cell.ratio(),
            row.incidence_per_1000,
            row.incidence_per_1000 / cell.expected.sqrt(),
        );
    }
    // Daily services vary with the stay too, so the spread is the sample's.
    for (row, (sum, squares, count)) in config.calibration.iter().zip(&costs) {
        let mean = sum / count;
        let variance = (squares / count - mean * mean) * count / (count - 1.0);
        within(
            &format!("{}/{}: average cost", row.clinical_category, row.specialty),
            mean,
            row.mean_cost,
            (variance / count).sqrt(),
        );
    }
    ratio_within(
        "female incidence relativity",
        study.female,
        study.male,
        config.relativities.female.incidence,
    );
    let reference = study.bands[&25];
    for band in &config.relativities.age {
        if band.from_age != 25 {
            ratio_within(
                &format!("age {}+ incidence relativity", band.from_age),
                study.bands[&band.from_age],
                reference,
                band.incidence,
            );
        }
    }
    let mature = *study.durations.last_key_value().unwrap().1;
    for step in &config.duration[..config.duration.len() - 1] {
        ratio_within(
            &format!("durational factor from month {}", step.from_month),
            study.durations[&step.from_month],
            mature,
            step.factor,
        );
    }
    within(
        "share of claims received before the median delay",
        quick / (quick + slow),
        0.5,
        share(0.5, quick + slow),
    );
}

fn write(dir: &Path, seed: u64) -> carepool_synth::Written {
    let options = Options {
        families: 2_000,
        from: date("2025-04-01"),
        to: date("2026-09-30"),
        seed,
    };
    carepool_synth::write_csv(&SynthConfig::default(), &scheme(), options, dir, &|_| {}).unwrap()
}

#[test]
fn the_same_seed_gives_the_same_bytes_and_another_seed_other_ones() {
    let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let written = [
        write(dirs[0].path(), 5),
        write(dirs[1].path(), 5),
        write(dirs[2].path(), 6),
    ];
    assert_eq!(written[0], written[1]);
    assert!(written[0].claims > 0 && written[0].unreported_claims > 0);
    let files = carepool_synth::FILES
        .iter()
        .chain(&carepool_synth::UNREPORTED_FILES)
        .chain(&[carepool_synth::SETTINGS_FILE]);
    for file in files {
        let read = |i: usize| std::fs::read(dirs[i].path().join(file)).unwrap();
        assert_eq!(
            read(0),
            read(1),
            "{file} differs between two runs with one seed"
        );
        if !["locations.csv", "providers.csv"].contains(file) {
            assert_ne!(
                read(0)[..],
                read(2)[..],
                "{file} is the same for another seed"
            );
        }
    }
}

#[test]
fn settings_that_cannot_work_are_refused_with_the_setting_named() {
    let mut config = SynthConfig::default();
    config.calibration[0].services[0].code = "NOT-IN-TARIFF".into();
    let options = Options {
        families: 1,
        from: date("2025-04-01"),
        to: date("2025-12-31"),
        seed: 1,
    };
    let error = Generator::new(&config, &scheme(), options).err().unwrap();
    assert!(
        error.to_string().contains(
            "medical/internal_medicine: service NOT-IN-TARIFF is not in the tariff of scheme pip"
        ) && error.to_string().ends_with("(--settings FILE)"),
        "{error}"
    );

    let mut config = SynthConfig::default();
    config.population.pending_share = 1.5;
    let error = Generator::new(&config, &scheme(), options).err().unwrap();
    assert!(
        error
            .to_string()
            .contains("population.pending_share is 1.5"),
        "{error}"
    );
}

/// However old the heads are drawn, nobody is older than a life's length, and every birth date
/// is one a registry takes (from 1900): a scheme of a million families once held a parent of
/// 126, born in 1899, and its import failed.
#[test]
fn nobody_is_drawn_older_than_a_life() {
    let mut config = honest();
    config.population.mean_head_age = 85.0;
    let options = Options {
        families: 3_000,
        from: date("2025-04-01"),
        to: date("2025-12-31"),
        seed: 7,
    };
    let generator = Generator::new(&config, &scheme(), options).unwrap();
    let mut oldest = 0;
    for index in 0..options.families {
        let family = generator.family(index);
        let enrolled = family.coverage.iter().map(|c| c.start_date).min().unwrap();
        for member in &family.members {
            assert!(member.birth_date >= date("1900-01-01"), "{member:?}");
            oldest = oldest.max(age_on(member.birth_date, enrolled));
        }
    }
    assert_eq!(
        oldest,
        carepool_synth::OLDEST,
        "the cap is reached, and not passed"
    );
}

/// The truth written beside the data is the behaviours drawn: each facility that upcodes,
/// inflates stays or charges everyone, with its parameters; every claim sent upcoded or with an
/// inflated stay comes from a facility listed for it.
#[test]
fn the_behaviours_planted_are_written_with_their_parameters() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), 5);
    let options = Options {
        families: 2_000,
        from: date("2025-04-01"),
        to: date("2026-09-30"),
        seed: 5,
    };
    let config = SynthConfig::default();
    let generator = Generator::new(&config, &scheme(), options).unwrap();
    let text = std::fs::read_to_string(dir.path().join(carepool_synth::BEHAVIOUR_FILE)).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("provider_code,behaviour,parameters"));
    let written: BTreeSet<(String, String)> = lines
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (fields[0].to_string(), fields[1].to_string())
        })
        .collect();
    let mut drawn = BTreeSet::new();
    for (provider, habits) in generator.network().providers.iter().zip(generator.habits()) {
        for (planted, behaviour) in [
            (habits.upcodes, "upcoding"),
            (habits.inflates_stays, "stay_inflation"),
            (habits.charges_everyone, "charging_exempt"),
        ] {
            if planted {
                drawn.insert((provider.code.clone(), behaviour.to_string()));
            }
        }
    }
    assert!(!drawn.is_empty(), "the defaults plant behaviours");
    assert_eq!(written, drawn);
    let upcoding = format!(
        "upcoding,upcoded_claim_share={}",
        config.behaviour.upcoded_claim_share
    );
    assert!(text.contains(&upcoding), "{text}");
    let mut distorted = 0;
    // Claims are few at the programme's rates: enough families for some to be distorted.
    for index in 0..40_000 {
        for synth in generator.family(index).claims {
            let provider = synth.claim.provider_id.clone();
            for (sent, behaviour) in [
                (synth.upcoded, "upcoding"),
                (synth.stay_inflated, "stay_inflation"),
            ] {
                if sent {
                    distorted += 1;
                    assert!(written.contains(&(provider.clone(), behaviour.to_string())));
                }
            }
        }
    }
    assert!(distorted > 0, "some claims were distorted");
}

/// Genuine claims for care before and from `day`: their counts and their claimed amounts.
fn claims_around(config: &SynthConfig, day: NaiveDate) -> [(f64, f64); 2] {
    let options = Options {
        families: 30_000,
        from: date("2025-04-01"),
        to: date("2027-03-31"),
        seed: 11,
    };
    let generator = Generator::new(config, &scheme(), options).unwrap();
    let mut counted = [(0.0, 0.0); 2];
    for index in 0..options.families {
        for synth in generator.family(index).claims {
            let Some(incurred) = synth.claim.incurred_date() else {
                continue;
            };
            if synth.kind != ClaimKind::Genuine {
                continue;
            }
            let side = &mut counted[usize::from(incurred >= day)];
            side.0 += 1.0;
            side.1 += synth
                .claim
                .lines
                .iter()
                .map(|l| l.claimed().minor() as f64)
                .sum::<f64>();
        }
    }
    counted
}

/// A drift raises incidence (and cost) from its day on and leaves the days before alone:
/// against the same scheme without it, claims before the day are as many, claims after are
/// twice as many, within four standard errors of a ratio of Poisson counts; their mean
/// claimed amount is half as much again, within 10%.
#[test]
fn a_drift_raises_incidence_and_cost_from_its_day_only() {
    let day = date("2026-04-01");
    let plain = honest();
    let drifting = SynthConfig {
        drift: carepool_synth::Drift {
            from: Some(day),
            incidence_factor: 2.0,
            cost_factor: 1.5,
        },
        ..honest()
    };
    let [before, after] = claims_around(&plain, day);
    let [drifted_before, drifted_after] = claims_around(&drifting, day);
    let ratio_within = |what: &str, top: f64, bottom: f64, truth: f64| {
        let ratio = top / bottom;
        let error = ratio * (1.0 / top + 1.0 / bottom).sqrt();
        assert!(
            (ratio - truth).abs() <= 4.0 * error,
            "{what}: {ratio:.3} against {truth} (standard error {error:.3})"
        );
    };
    ratio_within("claims before the drift", drifted_before.0, before.0, 1.0);
    ratio_within("claims after the drift", drifted_after.0, after.0, 2.0);
    let mean_ratio = (drifted_after.1 / drifted_after.0) / (after.1 / after.0);
    assert!(
        (mean_ratio - 1.5).abs() < 0.15,
        "mean claimed after the drift: {mean_ratio:.3} times, against 1.5"
    );
}
