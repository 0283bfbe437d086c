//! What a synthetic scheme looks like. Every part has a default; a TOML file (see
//! docs/SYNTH.md) overrides any of them. Rates, shares and costs here are parameters of a
//! random model, so they are f64; the amounts the generator writes are exact money.

use carepool_core::registry::{FacilityLevel, Sex};
use carepool_core::scheme::{CareSetting, SchemeDefinition};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SynthConfig {
    pub population: Population,
    pub growth: Growth,
    pub providers: ProviderNetwork,
    pub delays: Delays,
    pub behaviour: Behaviour,
    pub relativities: Relativities,
    /// The durational effect: claim rates of new members, by months since enrolment.
    pub duration: Vec<DurationStep>,
    /// The calibration table: one row per clinical category and specialty.
    pub calibration: Vec<CalibrationRow>,
    /// A change in incidence or cost from a day on (none by default).
    pub drift: Drift,
}

/// A change in the claims from a day on: what the early warning is to find.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Drift {
    /// The first day care is drawn with the factors below; none for no drift.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Multiplies every incidence from that day (1.3: 30% more claims).
    pub incidence_factor: f64,
    /// Multiplies every claim's cost from that day.
    pub cost_factor: f64,
}

impl Default for Drift {
    fn default() -> Self {
        Drift {
            from: None,
            incidence_factor: 1.0,
            cost_factor: 1.0,
        }
    }
}

impl Drift {
    /// What incidence on `date` is multiplied by.
    pub fn incidence_on(&self, date: NaiveDate) -> f64 {
        match self.from {
            Some(from) if date >= from => self.incidence_factor,
            _ => 1.0,
        }
    }

    /// What a claim's cost for care on `date` is multiplied by.
    pub fn cost_on(&self, date: NaiveDate) -> f64 {
        match self.from {
            Some(from) if date >= from => self.cost_factor,
            _ => 1.0,
        }
    }

    /// The highest incidence factor on any day: at least 1, and 1 without a day to start.
    pub fn highest_incidence(&self) -> f64 {
        match self.from {
            Some(_) => self.incidence_factor.max(1.0),
            None => 1.0,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Population {
    pub mean_family_size: f64,
    pub provinces: u32,
    pub districts_per_province: u32,
    pub villages_per_district: u32,
    /// Share of villages (and so of families) in urban areas.
    pub urban_share: f64,
    /// Share of families headed by a woman.
    pub female_head_share: f64,
    /// Share of families of two or more with no spouse.
    pub no_spouse_share: f64,
    /// Share of boys among children.
    pub male_child_share: f64,
    /// Mean age of the head at enrolment (at least 18; ages above 18 are gamma-distributed).
    pub mean_head_age: f64,
    /// Share of members registered as pending (not entitled).
    pub pending_share: f64,
    /// Share of pending members who are women.
    pub pending_female_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Growth {
    /// Share of families enrolled on the first day; the others join in monthly cohorts.
    pub initial_share: f64,
    /// Each month's cohort is this much larger than the month before (0.05: 5% a month).
    pub monthly_growth: f64,
    /// Families leaving the scheme, per family per year.
    pub exits_per_year: f64,
    /// Deaths per 1,000 members per year, by age band.
    pub mortality: Vec<MortalityBand>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MortalityBand {
    pub from_age: u32,
    pub per_1000: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ProviderNetwork {
    pub public_health_centres_per_district: u32,
    pub private_hospitals_per_district: u32,
    /// Share of claims made at a facility outside the patient's district.
    pub non_local_share: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Delays {
    /// Days from discharge (or visit) to the scheme receiving the claim: lognormal with this
    /// median and log-scale spread.
    pub report_median_days: f64,
    pub report_sigma: f64,
    /// Share of contributions paid late (1 to 4 months after the period starts) and unpaid.
    pub late_contribution_share: f64,
    pub unpaid_contribution_share: f64,
}

/// Behaviour carepool should detect.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Behaviour {
    /// Share of hospitals that upcode, and the share of their claims sent as the costliest
    /// service of the same clinical category.
    pub upcoding_facility_share: f64,
    pub upcoded_claim_share: f64,
    /// Share of hospitals that inflate lengths of stay, and by how much.
    pub stay_inflating_facility_share: f64,
    pub stay_factor: f64,
    /// Share of facilities that charge every patient a co-payment (exempt members included),
    /// and the share of the claimed amount they charge.
    pub charging_facility_share: f64,
    pub charged_share: f64,
    /// Share of claims sent a second time under another number.
    pub duplicate_share: f64,
    /// Share of claims with a defect the checks must catch (dates out of order, an unknown
    /// service or member).
    pub malformed_share: f64,
    /// Pending members claim at this fraction of the rate of active ones (they are refused).
    pub pending_claim_factor: f64,
}

/// Multipliers on incidence and average cost, relative to the reference cell: a man in the age
/// band whose factors are 1, in a rural area, enrolled for long enough that the durational
/// factor is 1.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Relativities {
    pub age: Vec<AgeRelativity>,
    /// Women against men (not applied to rows limited to one sex).
    pub female: Factor,
    /// Urban against rural.
    pub urban: Factor,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Factor {
    pub incidence: f64,
    pub cost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgeRelativity {
    pub from_age: u32,
    pub incidence: f64,
    pub cost: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DurationStep {
    pub from_month: u32,
    pub factor: f64,
}

/// One line of the calibration table. Incidence is per 1,000 member-years of the reference
/// cell among the members the row applies to (its sex and ages); cost is the mean amount
/// claimed, in currency units, with its coefficient of variation (lognormal).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalibrationRow {
    pub clinical_category: String,
    pub specialty: String,
    pub setting: CareSetting,
    pub incidence_per_1000: f64,
    pub mean_cost: f64,
    pub cost_cv: f64,
    /// Mean nights in hospital (inpatient rows); lengths are lognormal with `stay_cv`.
    #[serde(default)]
    pub mean_stay: f64,
    #[serde(default = "default_stay_cv")]
    pub stay_cv: f64,
    #[serde(default)]
    pub sex: Option<Sex>,
    #[serde(default)]
    pub min_age: Option<u32>,
    #[serde(default)]
    pub max_age: Option<u32>,
    /// ICD-10 codes, one drawn per claim.
    pub diagnoses: Vec<String>,
    /// The claim's lines: the amount claimed is split between them by share.
    pub services: Vec<ServiceShare>,
    /// Facility levels where this care is given; default: health centres for outpatient
    /// rows, district and provincial hospitals for inpatient ones.
    #[serde(default)]
    pub levels: Vec<FacilityLevel>,
    /// A limit-raising case declared on a share of the row's claims.
    #[serde(default)]
    pub limit_raising: Option<DeclaredCase>,
}

fn default_stay_cv() -> f64 {
    0.6
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServiceShare {
    pub code: String,
    pub share: f64,
    /// `claim`: quantity 1; `day`: quantity is the length of stay (at least 1).
    #[serde(default)]
    pub per: ServiceUnit,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceUnit {
    #[default]
    Claim,
    Day,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeclaredCase {
    pub case: String,
    pub share: f64,
}

impl CalibrationRow {
    pub fn levels(&self) -> Vec<FacilityLevel> {
        match (self.levels.is_empty(), self.setting) {
            (false, _) => self.levels.clone(),
            (true, CareSetting::Outpatient) => vec![FacilityLevel::HealthCentre],
            (true, CareSetting::Inpatient) => vec![
                FacilityLevel::DistrictHospital,
                FacilityLevel::ProvincialHospital,
            ],
        }
    }

    /// Whether the row's care applies to a member of this sex and age.
    pub fn applies_to(&self, sex: Sex, age: u32) -> bool {
        self.sex.is_none_or(|s| s == sex)
            && self.min_age.is_none_or(|min| age >= min)
            && self.max_age.is_none_or(|max| age <= max)
    }
}

impl Default for Population {
    fn default() -> Self {
        Population {
            mean_family_size: 6.27,
            provinces: 2,
            districts_per_province: 5,
            villages_per_district: 20,
            urban_share: 0.3,
            female_head_share: 0.15,
            no_spouse_share: 0.1,
            male_child_share: 0.51,
            mean_head_age: 40.0,
            pending_share: 0.29,
            pending_female_share: 0.6,
        }
    }
}

impl Default for Growth {
    fn default() -> Self {
        let band = |from_age, per_1000| MortalityBand { from_age, per_1000 };
        Growth {
            initial_share: 0.25,
            monthly_growth: 0.04,
            exits_per_year: 0.04,
            mortality: vec![band(0, 9.0), band(5, 1.5), band(45, 7.0), band(65, 35.0)],
        }
    }
}

impl Default for ProviderNetwork {
    fn default() -> Self {
        ProviderNetwork {
            public_health_centres_per_district: 4,
            private_hospitals_per_district: 1,
            non_local_share: 0.1,
        }
    }
}

impl Default for Delays {
    fn default() -> Self {
        Delays {
            report_median_days: 25.0,
            report_sigma: 0.9,
            late_contribution_share: 0.1,
            unpaid_contribution_share: 0.03,
        }
    }
}

impl Default for Behaviour {
    fn default() -> Self {
        Behaviour {
            upcoding_facility_share: 0.05,
            upcoded_claim_share: 0.3,
            stay_inflating_facility_share: 0.05,
            stay_factor: 1.8,
            charging_facility_share: 0.05,
            charged_share: 0.1,
            duplicate_share: 0.005,
            malformed_share: 0.002,
            pending_claim_factor: 0.05,
        }
    }
}

impl Behaviour {
    /// Every behaviour that distorts claims turned off (no upcoding, inflated stays, charging,
    /// duplicates, defects, or claims of pending members): the claims are the calibration's
    /// care, as tests of statistical methods need.
    pub fn honest() -> Behaviour {
        Behaviour {
            upcoding_facility_share: 0.0,
            stay_inflating_facility_share: 0.0,
            charging_facility_share: 0.0,
            duplicate_share: 0.0,
            malformed_share: 0.0,
            pending_claim_factor: 0.0,
            ..Behaviour::default()
        }
    }
}

impl Default for Relativities {
    fn default() -> Self {
        let band = |from_age, incidence, cost| AgeRelativity {
            from_age,
            incidence,
            cost,
        };
        Relativities {
            age: vec![
                band(0, 1.3, 0.7),
                band(5, 0.5, 0.8),
                band(15, 0.8, 0.9),
                band(25, 1.0, 1.0),
                band(45, 1.6, 1.15),
                band(65, 2.4, 1.25),
            ],
            female: Factor {
                incidence: 0.85,
                cost: 0.95,
            },
            urban: Factor {
                incidence: 1.3,
                cost: 1.1,
            },
        }
    }
}

impl Default for SynthConfig {
    /// Calibrated on a large poverty-targeted inpatient programme, and priced for the tariff of
    /// `examples/pip-inpatient.toml`: about 6.5 admissions per 1,000 members a year overall,
    /// and an average claim around 25,000.
    fn default() -> Self {
        let step = |from_month, factor| DurationStep { from_month, factor };
        SynthConfig {
            population: Population::default(),
            growth: Growth::default(),
            providers: ProviderNetwork::default(),
            delays: Delays::default(),
            behaviour: Behaviour::default(),
            relativities: Relativities::default(),
            duration: vec![step(0, 0.5), step(3, 0.75), step(6, 0.9), step(12, 1.0)],
            calibration: default_calibration(),
            drift: Drift::default(),
        }
    }
}

fn default_calibration() -> Vec<CalibrationRow> {
    let service = |code: &str, per| ServiceShare {
        code: code.into(),
        share: 1.0,
        per,
    };
    let stay =
        |category: &str, specialty: &str, incidence, cost, cv, nights, code: &str| CalibrationRow {
            clinical_category: category.into(),
            specialty: specialty.into(),
            setting: CareSetting::Inpatient,
            incidence_per_1000: incidence,
            mean_cost: cost,
            cost_cv: cv,
            mean_stay: nights,
            stay_cv: default_stay_cv(),
            sex: None,
            min_age: None,
            max_age: None,
            diagnoses: vec![],
            services: vec![service(code, ServiceUnit::Claim)],
            levels: vec![],
            limit_raising: None,
        };
    let codes = |codes: &[&str]| codes.iter().map(|c| c.to_string()).collect();
    let delivery = |row: CalibrationRow| CalibrationRow {
        sex: Some(Sex::Female),
        min_age: Some(15),
        max_age: Some(49),
        diagnoses: codes(&["O80", "O82", "O70.0"]),
        limit_raising: Some(DeclaredCase {
            case: "maternity_complication".into(),
            share: 0.05,
        }),
        ..row
    };
    vec![
        CalibrationRow {
            diagnoses: codes(&["A09", "J18.9", "A01.0", "B54", "K29.7"]),
            ..stay(
                "medical",
                "internal_medicine",
                2.0,
                6_500.0,
                0.5,
                4.0,
                "MED-STAY",
            )
        },
        CalibrationRow {
            diagnoses: codes(&["J18.9", "A09", "B54", "D64.9"]),
            ..stay("medical", "paediatrics", 0.6, 5_500.0, 0.5, 3.5, "MED-STAY")
        },
        CalibrationRow {
            diagnoses: codes(&["K35.8", "K40.9", "K80.2", "N20.0"]),
            ..stay(
                "surgical",
                "general_surgery",
                1.2,
                18_000.0,
                0.4,
                5.0,
                "SURG-GEN",
            )
        },
        CalibrationRow {
            diagnoses: codes(&["I21.9", "I20.0"]),
            limit_raising: Some(DeclaredCase {
                case: "life_threatening".into(),
                share: 0.3,
            }),
            levels: vec![FacilityLevel::ProvincialHospital],
            ..stay(
                "surgical",
                "cardiology",
                1.1,
                105_000.0,
                0.2,
                6.0,
                "CARD-PCI",
            )
        },
        CalibrationRow {
            diagnoses: codes(&["N18.5"]),
            services: vec![service("DIAL", ServiceUnit::Day)],
            levels: vec![FacilityLevel::ProvincialHospital],
            ..stay("medical", "nephrology", 0.8, 27_000.0, 0.35, 12.0, "DIAL")
        },
        delivery(stay(
            "maternity",
            "obstetrics",
            8.0,
            5_000.0,
            0.3,
            2.0,
            "DEL-NORM",
        )),
        delivery(stay(
            "maternity",
            "obstetrics_surgical",
            2.5,
            12_500.0,
            0.25,
            4.0,
            "DEL-CS",
        )),
    ]
}

/// A setting that cannot generate the scheme asked for.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("synthetic scheme settings: {0}")]
pub struct ConfigError(pub String);

impl SynthConfig {
    /// These settings with nothing that moves the claim rates over time or between members: no
    /// exits or deaths, every relativity 1 (members still age), no age limit on a calibration
    /// row, no duration effect, no planted behaviour. Enrolment, delays and drift stay as set:
    /// for checks of the indicators and the early warning against the settings.
    pub fn steady(mut self) -> SynthConfig {
        self.growth.exits_per_year = 0.0;
        for band in &mut self.growth.mortality {
            band.per_1000 = 0.0;
        }
        let flat = Factor {
            incidence: 1.0,
            cost: 1.0,
        };
        self.relativities.age = vec![AgeRelativity {
            from_age: 0,
            incidence: 1.0,
            cost: 1.0,
        }];
        self.relativities.female = flat;
        self.relativities.urban = flat;
        self.duration = vec![DurationStep {
            from_month: 0,
            factor: 1.0,
        }];
        for row in &mut self.calibration {
            row.min_age = None;
            row.max_age = None;
        }
        self.behaviour = Behaviour::honest();
        self
    }

    /// Checks the settings against themselves and against the scheme: every service of the
    /// calibration must be in the scheme's tariff at each level where the row's care is given.
    pub fn check(&self, scheme: &SchemeDefinition) -> Result<(), ConfigError> {
        let fail = |message: String| Err(ConfigError(message));
        let shares = [
            ("population.urban_share", self.population.urban_share),
            (
                "population.female_head_share",
                self.population.female_head_share,
            ),
            (
                "population.no_spouse_share",
                self.population.no_spouse_share,
            ),
            (
                "population.male_child_share",
                self.population.male_child_share,
            ),
            ("population.pending_share", self.population.pending_share),
            (
                "population.pending_female_share",
                self.population.pending_female_share,
            ),
            ("growth.initial_share", self.growth.initial_share),
            ("providers.non_local_share", self.providers.non_local_share),
            (
                "delays.late_contribution_share",
                self.delays.late_contribution_share,
            ),
            (
                "delays.unpaid_contribution_share",
                self.delays.unpaid_contribution_share,
            ),
            (
                "behaviour.upcoding_facility_share",
                self.behaviour.upcoding_facility_share,
            ),
            (
                "behaviour.upcoded_claim_share",
                self.behaviour.upcoded_claim_share,
            ),
            (
                "behaviour.stay_inflating_facility_share",
                self.behaviour.stay_inflating_facility_share,
            ),
            (
                "behaviour.charging_facility_share",
                self.behaviour.charging_facility_share,
            ),
            ("behaviour.charged_share", self.behaviour.charged_share),
            ("behaviour.duplicate_share", self.behaviour.duplicate_share),
            ("behaviour.malformed_share", self.behaviour.malformed_share),
            (
                "behaviour.pending_claim_factor",
                self.behaviour.pending_claim_factor,
            ),
        ];
        for (name, share) in shares {
            if !(0.0..=1.0).contains(&share) {
                return fail(format!("{name} is {share}; a share is between 0 and 1"));
            }
        }
        let pending = &self.population;
        if pending.pending_share * pending.pending_female_share > 0.5
            || pending.pending_share * (1.0 - pending.pending_female_share) > 0.5
        {
            return fail("population.pending_share and pending_female_share would make more than every member of one sex pending".into());
        }
        if self.population.mean_family_size < 1.0 {
            return fail("population.mean_family_size must be at least 1".into());
        }
        if self.population.mean_head_age <= 18.0 {
            return fail("population.mean_head_age must be above 18".into());
        }
        if [
            self.population.provinces,
            self.population.districts_per_province,
            self.population.villages_per_district,
        ]
        .contains(&0)
        {
            return fail("population needs at least one province, district and village".into());
        }
        check_steps(
            "relativities.age",
            self.relativities.age.iter().map(|b| b.from_age),
        )?;
        check_steps(
            "growth.mortality",
            self.growth.mortality.iter().map(|b| b.from_age),
        )?;
        check_steps("duration", self.duration.iter().map(|s| s.from_month))?;
        let factors = self
            .relativities
            .age
            .iter()
            .flat_map(|a| [a.incidence, a.cost])
            .chain([
                self.relativities.female.incidence,
                self.relativities.female.cost,
                self.relativities.urban.incidence,
                self.relativities.urban.cost,
                self.behaviour.stay_factor,
                self.drift.incidence_factor,
                self.drift.cost_factor,
            ])
            .chain(self.duration.iter().map(|s| s.factor));
        if factors.into_iter().any(|f| !(f.is_finite() && f > 0.0)) {
            return fail("every relativity and factor must be a positive number".into());
        }
        if self.calibration.is_empty() {
            return fail("the calibration table has no rows".into());
        }
        for row in &self.calibration {
            self.check_row(row, scheme)?;
        }
        Ok(())
    }

    fn check_row(
        &self,
        row: &CalibrationRow,
        scheme: &SchemeDefinition,
    ) -> Result<(), ConfigError> {
        let name = format!(
            "calibration row {}/{}",
            row.clinical_category, row.specialty
        );
        let fail = |message: String| Err(ConfigError(format!("{name}: {message}")));
        let positive = [
            ("incidence_per_1000", row.incidence_per_1000),
            ("mean_cost", row.mean_cost),
            ("cost_cv", row.cost_cv),
            ("stay_cv", row.stay_cv),
        ];
        for (field, value) in positive {
            if !(value.is_finite() && value > 0.0) {
                return fail(format!("{field} must be a positive number, not {value}"));
            }
        }
        if row.setting == CareSetting::Inpatient && (row.mean_stay.is_nan() || row.mean_stay < 1.0)
        {
            return fail("an inpatient row needs mean_stay of at least 1 night".into());
        }
        if row.diagnoses.is_empty() {
            return fail("needs at least one diagnosis code".into());
        }
        let total: f64 = row.services.iter().map(|s| s.share).sum();
        if row.services.is_empty() || (total - 1.0).abs() > 1e-9 {
            return fail(format!(
                "service shares must add up to 1 (they add up to {total})"
            ));
        }
        if let Some(case) = &row.limit_raising
            && !(0.0..=1.0).contains(&case.share)
        {
            return fail(format!(
                "limit_raising.share is {}; a share is between 0 and 1",
                case.share
            ));
        }
        let tariff: Vec<_> = scheme.packages.iter().flat_map(|p| &p.tariff).collect();
        for service in &row.services {
            for level in row.levels() {
                let priced = tariff.iter().any(|item| {
                    item.service_code == service.code && item.level.is_none_or(|l| l == level)
                });
                if !priced {
                    return fail(format!(
                        "service {} is not in the tariff of scheme {} at level {level}; give a calibration for this scheme (--settings FILE)",
                        service.code, scheme.code
                    ));
                }
            }
        }
        Ok(())
    }
}

/// Bands and steps start at 0 and rise.
fn check_steps(name: &str, starts: impl Iterator<Item = u32>) -> Result<(), ConfigError> {
    let starts: Vec<u32> = starts.collect();
    if starts.first() != Some(&0) || starts.windows(2).any(|w| w[0] >= w[1]) {
        return Err(ConfigError(format!(
            "{name} must start at 0 and rise (it starts at {:?})",
            starts
        )));
    }
    Ok(())
}

/// The value of a step function at `at`: the last step starting at or before it.
pub(crate) fn step_at<T>(steps: &[T], start: impl Fn(&T) -> u32, at: u32) -> &T {
    let index = steps.partition_point(|s| start(s) <= at);
    &steps[index.saturating_sub(1)]
}
