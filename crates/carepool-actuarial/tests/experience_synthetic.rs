//! The experience study against a truth the generator knows: on a synthetic scheme (the
//! inpatient programme's default calibration, distorting behaviours off), the base table's
//! incidence and average cost per line, and the GLM relativities by age, sex, area and duration,
//! fall within four standard errors of the settings. The seed is fixed, so the test repeats.

use carepool_actuarial::experience::{
    ClaimInput, CoverPeriod, Experience, ExperienceData, ExperienceStudy, Factor, MemberInput,
    cover_spans,
};
use carepool_core::registry::{Area, Sex};
use carepool_synth::config::{Behaviour, CalibrationRow};
use carepool_synth::{ClaimKind, Generator, Options, SynthConfig};
use chrono::NaiveDate;
use std::collections::BTreeMap;
use std::path::Path;

const FAMILIES: u64 = 100_000;

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn honest() -> SynthConfig {
    SynthConfig {
        behaviour: Behaviour::honest(),
        ..SynthConfig::default()
    }
}

/// Members and genuine claims of a generated scheme; `keep` chooses the calibration rows.
fn scheme_data(config: &SynthConfig, keep: impl Fn(&CalibrationRow) -> bool) -> ExperienceData {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/pip-inpatient.toml");
    let scheme = carepool_io::read_scheme_file(&path).unwrap();
    let options = Options {
        families: FAMILIES,
        from: date("2025-04-01"),
        to: date("2027-12-31"),
        seed: 7,
    };
    let generator = Generator::new(config, &scheme, options).unwrap();
    let mut data = ExperienceData::new();
    for index in 0..FAMILIES {
        let family = generator.family(index);
        let area = match family.area {
            Area::Urban => "urban",
            Area::Rural => "rural",
        };
        for (member, cover) in family.members.iter().zip(&family.coverage) {
            let spans = cover_spans(
                &[CoverPeriod {
                    start: cover.start_date,
                    end: cover.end_date,
                }],
                member.status,
                member.status_since,
                options.to,
            );
            data.add_member(MemberInput {
                id: &member.id,
                family: Some(&family.family.id),
                sex: Some(member.sex),
                birth_date: Some(member.birth_date),
                area: Some(area),
                location: None,
                spans: &spans,
            })
            .unwrap();
        }
        for synth in family
            .claims
            .iter()
            .filter(|c| c.kind == ClaimKind::Genuine)
        {
            if !keep(&config.calibration[synth.row]) {
                continue;
            }
            let claim = &synth.claim;
            data.add_claim(&ClaimInput {
                member: &claim.member_id,
                incurred: claim.incurred_date().unwrap(),
                clinical_category: &claim.clinical_category,
                specialty: claim.specialty.as_deref(),
                claimed: claim.claimed(),
                approved: claim.claimed(),
                paid: claim.claimed(),
                owed: Some(claim.claimed()),
                stay_days: claim.length_of_stay().map(|d| d as u32),
                ownership: None,
                limit_reached: false,
                limit_raised: None,
                received: None,
            });
        }
    }
    data
}

/// Age bands that fit the settings' steps and the maternity lines' 15 to 49.
fn study() -> ExperienceStudy {
    let mut study = ExperienceStudy::new(date("2025-04-01"), date("2027-12-31"));
    study.age_bands = vec![0, 5, 15, 25, 45, 50, 65];
    study.duration_bands = vec![0, 3, 6, 12];
    study.glm_factors = vec![Factor::Age, Factor::Sex, Factor::Area, Factor::Duration];
    for (factor, base) in [
        (Factor::Age, "25-44"),
        (Factor::Sex, "M"),
        (Factor::Area, "rural"),
        (Factor::Duration, "12m+"),
    ] {
        study.base.insert(factor, base.into());
    }
    study
}

fn within(what: &str, estimate: f64, truth: f64, standard_error: f64) {
    let distance = (estimate - truth).abs() / standard_error;
    println!("{what}: {estimate:.4} against {truth:.4} ({distance:.2} standard errors)");
    assert!(
        distance < 4.0,
        "{what}: {estimate} is {distance:.1} standard errors from {truth}"
    );
}

/// The settings' factors for one cell of the study, by its labels.
struct Truth<'c> {
    config: &'c SynthConfig,
}

impl Truth<'_> {
    fn age_from(label: &str) -> u32 {
        label
            .trim_end_matches('+')
            .split('-')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    fn age(&self, label: &str) -> (f64, f64) {
        let from = Self::age_from(label);
        let band = self
            .config
            .relativities
            .age
            .iter()
            .rev()
            .find(|b| b.from_age <= from)
            .unwrap();
        (band.incidence, band.cost)
    }

    fn duration(&self, label: &str) -> f64 {
        let from = Self::age_from(&label.replace('m', ""));
        self.config
            .duration
            .iter()
            .rev()
            .find(|s| s.from_month <= from)
            .unwrap()
            .factor
    }

    /// Expected claims per member-year of a row in a cell, and its cost factor.
    fn rate(
        &self,
        row: &CalibrationRow,
        cell: &carepool_actuarial::experience::CellRow,
    ) -> (f64, f64) {
        let sex = if cell.sex == "F" {
            Sex::Female
        } else {
            Sex::Male
        };
        let from = Self::age_from(&cell.age);
        if !row.applies_to(sex, from) {
            return (0.0, 0.0);
        }
        let relativities = &self.config.relativities;
        let (age_incidence, age_cost) = self.age(&cell.age);
        let (mut incidence, mut cost) = (age_incidence, age_cost);
        if sex == Sex::Female && row.sex.is_none() {
            incidence *= relativities.female.incidence;
            cost *= relativities.female.cost;
        }
        if cell.area == "urban" {
            incidence *= relativities.urban.incidence;
            cost *= relativities.urban.cost;
        }
        incidence *= self.duration(&cell.duration);
        (row.incidence_per_1000 / 1000.0 * incidence, cost)
    }
}

#[test]
fn the_base_table_recovers_each_lines_incidence_and_average_cost() {
    let config = honest();
    let experience: Experience = study().run(&scheme_data(&config, |_| true)).unwrap();
    let truth = Truth { config: &config };
    // The synthetic year is 365.25 days; the study's, the calendar's.
    let year = 365.25 / 365.0;
    for row in &config.calibration {
        let line = experience
            .base_table
            .iter()
            .find(|l| {
                l.clinical_category == row.clinical_category
                    && l.specialty.as_deref() == Some(row.specialty.as_str())
            })
            .unwrap();
        let (mut expected, mut weighted_cost, mut weighted_square) = (0.0, 0.0, 0.0);
        for cell in &experience.cells {
            let (rate, cost) = truth.rate(row, cell);
            let claims = rate * cell.exposure / year;
            expected += claims;
            weighted_cost += claims * cost;
            weighted_square += claims * cost * cost;
        }
        let observed = line.rates.claims as f64;
        let name = format!("{} {}", row.clinical_category, row.specialty);
        within(
            &format!("{name}: log observed/expected claims"),
            (observed / expected).ln(),
            0.0,
            observed.sqrt().recip(),
        );
        // The mean over the claims' cells of the row's cost times each cell's cost factor.
        let factor = weighted_cost / expected;
        let factor_variance = weighted_square / expected - factor * factor;
        let mean = row.mean_cost * factor;
        let standard_error = (row.mean_cost.powi(2)
            * (row.cost_cv.powi(2) * (factor_variance + factor * factor) + factor_variance)
            / observed)
            .sqrt();
        within(
            &format!("{name}: average cost"),
            line.rates.average_cost.unwrap(),
            mean,
            standard_error,
        );
    }
}

#[test]
fn the_glm_recovers_the_relativities_by_age_sex_area_and_duration() {
    let config = honest();
    // The lines open to everyone, so that sex and age act on every claim alike.
    let data = scheme_data(&config, |row| {
        row.sex.is_none() && row.min_age.is_none() && row.max_age.is_none()
    });
    let experience = study().run(&data).unwrap();
    let frequency = experience.glm.frequency.as_ref().unwrap();
    let severity = experience.glm.severity.as_ref().unwrap();
    let relativities = &config.relativities;
    let truth = Truth { config: &config };
    let check =
        |what: &str, fit: &carepool_actuarial::GlmFit, factor: &str, level: &str, want: f64| {
            let coefficient = fit
                .coefficients
                .iter()
                .find(|c| c.term.as_deref() == Some(factor) && c.level.as_deref() == Some(level))
                .unwrap();
            within(
                &format!("{what} log relativity {factor}={level}"),
                coefficient.estimate,
                want.ln(),
                coefficient.std_error,
            );
        };
    let mut ages: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for label in ["0-4", "5-14", "15-24", "45-49", "50-64", "65+"] {
        ages.insert(label, truth.age(label));
    }
    for (label, (incidence, cost)) in ages {
        check("frequency", frequency, "age", label, incidence);
        check("severity", severity, "age", label, cost);
    }
    check(
        "frequency",
        frequency,
        "sex",
        "F",
        relativities.female.incidence,
    );
    check("severity", severity, "sex", "F", relativities.female.cost);
    check(
        "frequency",
        frequency,
        "area",
        "urban",
        relativities.urban.incidence,
    );
    check(
        "severity",
        severity,
        "area",
        "urban",
        relativities.urban.cost,
    );
    for label in ["0-2m", "3-5m", "6-11m"] {
        check(
            "frequency",
            frequency,
            "duration",
            label,
            truth.duration(label),
        );
        check("severity", severity, "duration", label, 1.0);
    }
    assert!(
        experience.glm.notes.is_empty(),
        "{:?}",
        experience.glm.notes
    );
}
