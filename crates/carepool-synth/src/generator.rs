//! The generator: each family is a pure function of the seed and its number, so output streams
//! family by family in constant memory and the same seed always gives the same scheme.

use crate::config::{CalibrationRow, ConfigError, ServiceUnit, SynthConfig, step_at};
use crate::names;
use crate::network::Network;
use carepool_core::Money;
use carepool_core::claims::{Claim, ClaimLine};
use carepool_core::dates::{add_months, age_on};
use carepool_core::registry::{
    Area, Contribution, Coverage, FacilityLevel, Family, Member, MemberStatus, Relationship, Sex,
};
use carepool_core::scheme::{CareSetting, SchemeDefinition};
use carepool_core::standing::{FamilyRecord, family_standing};
use chrono::{Datelike, Days, NaiveDate};
use rand::{RngExt, SeedableRng};
use rand_distr::{Distribution, Exp, Gamma, LogNormal, Poisson};
use rand_pcg::Pcg64Mcg;

/// How many families, over which dates, from which seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    pub families: u64,
    pub from: NaiveDate,
    /// The last day simulated: nothing happens after it, and claims that reach the scheme
    /// later are the unreported ones (the IBNR the generator knows).
    pub to: NaiveDate,
    pub seed: u64,
}

/// One family and everything that happened to it.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthFamily {
    pub family: Family,
    pub area: Area,
    pub members: Vec<Member>,
    /// Whether each member (same order) was registered as pending.
    pub pending: Vec<bool>,
    pub coverage: Vec<Coverage>,
    pub contributions: Vec<Contribution>,
    pub claims: Vec<SynthClaim>,
}

/// A claim with what the generator knows about it.
#[derive(Debug, Clone, PartialEq)]
pub struct SynthClaim {
    pub claim: Claim,
    /// The calibration row it was drawn from (after any upcoding).
    pub row: usize,
    pub kind: ClaimKind,
    /// The facility sent it as a costlier service than the care given.
    pub upcoded: bool,
    /// The facility claimed more nights than the patient stayed.
    pub stay_inflated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimKind {
    Genuine,
    /// The same care sent again under another number.
    Duplicate,
    /// A defect the checks must catch.
    Malformed,
}

/// What each facility does wrong, drawn once per scheme.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Habits {
    pub upcodes: bool,
    pub inflates_stays: bool,
    pub charges_everyone: bool,
}

pub trait Sink {
    fn network(&mut self, network: &Network, habits: &[Habits]) -> std::io::Result<()>;
    fn family(&mut self, family: &SynthFamily) -> std::io::Result<()>;
}

pub struct Generator<'a> {
    config: &'a SynthConfig,
    versions: Vec<SchemeDefinition>,
    options: Options,
    network: Network,
    habits: Vec<Habits>,
    /// Month starts and the cumulative share of later cohorts joining by then.
    cohorts: Vec<(NaiveDate, f64)>,
    /// Facilities able to give each row's care, anywhere (when the patient's district has none).
    row_facilities: Vec<Vec<usize>>,
    /// Chance that a pending member is a woman and a man, given the expected sex mix.
    pending_chance: [f64; 2],
    child_max_age: u32,
}

impl<'a> Generator<'a> {
    pub fn new(
        config: &'a SynthConfig,
        scheme: &SchemeDefinition,
        options: Options,
    ) -> Result<Generator<'a>, ConfigError> {
        config.check(scheme)?;
        if options.to < options.from {
            return Err(ConfigError(format!(
                "the period ends ({}) before it starts ({})",
                options.to, options.from
            )));
        }
        if options.from < scheme.effective_from {
            return Err(ConfigError(format!(
                "the period starts ({}) before scheme {}'s rules take effect ({})",
                options.from, scheme.code, scheme.effective_from
            )));
        }
        let network = Network::new(&config.population, &config.providers, options.from);
        let mut rng = Pcg64Mcg::seed_from_u64(mix(options.seed, u64::MAX));
        let behaviour = &config.behaviour;
        let habits = network
            .providers
            .iter()
            .map(|p| {
                let hospital = p.level != FacilityLevel::HealthCentre;
                Habits {
                    upcodes: hospital && rng.random_bool(behaviour.upcoding_facility_share),
                    inflates_stays: hospital
                        && rng.random_bool(behaviour.stay_inflating_facility_share),
                    charges_everyone: rng.random_bool(behaviour.charging_facility_share),
                }
            })
            .collect();
        let mut row_facilities = Vec::new();
        for row in &config.calibration {
            let levels = row.levels();
            let anywhere: Vec<usize> = (0..network.districts)
                .flat_map(|d| network.serving(d, &levels))
                .collect();
            if anywhere.is_empty() {
                return Err(ConfigError(format!(
                    "calibration row {}/{}: the synthetic network has no facility at levels {:?}",
                    row.clinical_category, row.specialty, levels
                )));
            }
            row_facilities.push(anywhere);
        }
        let mut cohorts = Vec::new();
        let (mut month, mut weight, mut total) = (options.from, 1.0, 0.0);
        while month <= options.to {
            total += weight;
            cohorts.push((month, total));
            weight *= 1.0 + config.growth.monthly_growth;
            month = add_months(options.from, cohorts.len() as u32);
        }
        for cohort in &mut cohorts {
            cohort.1 /= total;
        }
        let child_max_age = scheme.family.child_max_age.unwrap_or(18);
        Ok(Generator {
            pending_chance: pending_chance(config),
            config,
            versions: vec![scheme.clone()],
            options,
            network,
            habits,
            cohorts,
            row_facilities,
            child_max_age,
        })
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    pub fn habits(&self) -> &[Habits] {
        &self.habits
    }

    /// Writes the whole scheme into `sink`, telling `progress` how many families are done.
    pub fn run(&self, sink: &mut dyn Sink, progress: &dyn Fn(u64)) -> std::io::Result<()> {
        sink.network(&self.network, &self.habits)?;
        for index in 0..self.options.families {
            sink.family(&self.family(index))?;
            if (index + 1) % 10_000 == 0 {
                progress(index + 1);
            }
        }
        progress(self.options.families);
        Ok(())
    }

    /// Family number `index` (from 0): the same for the same seed, whatever else is generated.
    pub fn family(&self, index: u64) -> SynthFamily {
        let mut rng = Pcg64Mcg::seed_from_u64(mix(self.options.seed, index));
        let population = &self.config.population;
        let enrolled = self.enrolment_date(&mut rng);
        let urban = rng.random_bool(population.urban_share);
        let villages: Vec<usize> = (0..self.network.villages.len())
            .filter(|&v| (self.network.villages[v].area == Area::Urban) == urban)
            .collect();
        let village = if villages.is_empty() {
            rng.random_range(0..self.network.villages.len())
        } else {
            villages[rng.random_range(0..villages.len())]
        };
        let village = &self.network.villages[village];
        let family_id = format!("F{:08}", index + 1);
        let poverty_max = self.versions[0]
            .eligibility
            .poverty_score_max
            .unwrap_or(100.0);
        let family = Family {
            id: family_id.clone(),
            scheme: self.versions[0].code.clone(),
            location_code: village.code.clone(),
            poverty_score: Some((rng.random_range(0.0..=poverty_max) * 10.0).round() / 10.0),
            household_id: Some(format!("H{:08}", index + 1)),
        };
        let left_on = self.departure(enrolled, self.config.growth.exits_per_year, &mut rng);
        let people = self.people(&family_id, enrolled, &mut rng);
        let mut members = Vec::with_capacity(people.len());
        let mut pending = Vec::with_capacity(people.len());
        let mut coverage = Vec::with_capacity(people.len());
        for person in people {
            let age = age_on(person.birth_date, enrolled);
            let rate = step_at(&self.config.growth.mortality, |b| b.from_age, age).per_1000;
            let died_on = self.departure(enrolled, rate / 1000.0, &mut rng);
            let died_on = died_on.filter(|d| left_on.is_none_or(|l| d < &l));
            let (status, since) = match (died_on, left_on) {
                (Some(death), _) => (MemberStatus::Deceased, death),
                (None, Some(left)) => (MemberStatus::Inactive, left),
                (None, None) if person.pending => (MemberStatus::Pending, enrolled),
                (None, None) => (MemberStatus::Active, enrolled),
            };
            coverage.push(Coverage {
                member_id: person.id.clone(),
                start_date: enrolled,
                end_date: died_on.or(left_on),
                package: None,
                family_id: Some(family_id.clone()),
            });
            pending.push(person.pending);
            members.push(Member {
                id: person.id,
                family_id: family_id.clone(),
                name: person.name,
                relationship: person.relationship,
                sex: person.sex,
                birth_date: person.birth_date,
                national_id: person.national_id,
                categories: vec![],
                monthly_wage: None,
                status,
                status_since: since,
            });
        }
        let contributions = self.contributions(index, &family, &members, &coverage, &mut rng);
        let mut synth = SynthFamily {
            family,
            area: village.area,
            members,
            pending,
            coverage,
            contributions,
            claims: vec![],
        };
        synth.claims = self.claims(index, &synth, village.district, &mut rng);
        synth
    }

    fn enrolment_date(&self, rng: &mut Pcg64Mcg) -> NaiveDate {
        if rng.random_bool(self.config.growth.initial_share) {
            return self.options.from;
        }
        let draw: f64 = rng.random();
        let month = self
            .cohorts
            .partition_point(|(_, cumulative)| *cumulative < draw);
        let start = self.cohorts[month.min(self.cohorts.len() - 1)].0;
        let end = add_months(start, 1)
            .pred_opt()
            .expect("a day before")
            .min(self.options.to);
        let days = (end - start).num_days() as u64;
        start + Days::new(rng.random_range(0..=days))
    }

    /// A day within the period when an event at `per_year` happens after `since`, if it does.
    fn departure(&self, since: NaiveDate, per_year: f64, rng: &mut Pcg64Mcg) -> Option<NaiveDate> {
        if per_year <= 0.0 {
            return None;
        }
        let years: f64 = Exp::new(per_year).expect("positive rate").sample(rng);
        let days = (years * 365.25).floor();
        let day = since.checked_add_days(Days::new(days.min(1e6) as u64))?;
        (day > since && day <= self.options.to).then_some(day)
    }

    fn people(&self, family_id: &str, enrolled: NaiveDate, rng: &mut Pcg64Mcg) -> Vec<Person> {
        let population = &self.config.population;
        let size = 1 + sample_count(population.mean_family_size - 1.0, rng).min(29);
        let head_age = 18
            + Gamma::new(4.0, (population.mean_head_age - 18.0) / 4.0)
                .expect("positive mean")
                .sample(rng) as u32;
        let head_sex = if rng.random_bool(population.female_head_share) {
            Sex::Female
        } else {
            Sex::Male
        };
        let spouse = size >= 2 && !rng.random_bool(population.no_spouse_share);
        let parent = size >= 4 && rng.random_bool(PARENT_SHARE);
        let surname = names::surname(rng);
        let mut people = Vec::with_capacity(size as usize);
        let mut add = |relationship, sex, age: u32, rng: &mut Pcg64Mcg| {
            // The draws' long tails (a head's age, a parent's above it) stop at a life's length.
            let age = age.min(OLDEST);
            let number = people.len() + 1;
            let id = format!("M{}{number:02}", &family_id[1..]);
            let birth_date = enrolled
                .checked_sub_days(Days::new(u64::from(age) * 365 + rng.random_range(0..365)))
                .expect("a birth date after year 0");
            let adult = age >= 18;
            let chance = self.pending_chance[usize::from(sex == Sex::Male)];
            people.push(Person {
                national_id: adult.then(|| format!("N{}{number:02}", &family_id[1..])),
                name: format!("{} {surname}", names::given(sex, rng)),
                id,
                relationship,
                sex,
                birth_date,
                pending: rng.random_bool(chance),
            });
        };
        add(Relationship::Head, head_sex, head_age, rng);
        if spouse {
            let age = head_age
                .saturating_add_signed(rng.random_range(-8..=4))
                .max(18);
            add(Relationship::Spouse, opposite(head_sex), age, rng);
        }
        if parent {
            let sex = if rng.random_bool(0.5) {
                Sex::Male
            } else {
                Sex::Female
            };
            add(
                Relationship::Parent,
                sex,
                head_age + rng.random_range(18..=32),
                rng,
            );
        }
        let eldest = head_age
            .saturating_sub(16)
            .min(self.child_max_age.saturating_sub(1));
        let grown_ups = 1 + u64::from(spouse) + u64::from(parent);
        for _ in grown_ups..size {
            let sex = if rng.random_bool(population.male_child_share) {
                Sex::Male
            } else {
                Sex::Female
            };
            add(Relationship::Child, sex, rng.random_range(0..=eldest), rng);
        }
        people
    }

    /// What fell due under the scheme's rules, paid on time, late, or not at all.
    fn contributions(
        &self,
        index: u64,
        family: &Family,
        members: &[Member],
        coverage: &[Coverage],
        rng: &mut Pcg64Mcg,
    ) -> Vec<Contribution> {
        let record = FamilyRecord {
            family,
            members,
            coverage,
            contributions: &[],
        };
        let standing = family_standing(&self.versions, &record, self.options.to);
        let delays = &self.config.delays;
        let mut contributions = Vec::new();
        for period in &standing.periods {
            for (&payer, &amount) in &period.due {
                let draw: f64 = rng.random();
                let days = if draw < delays.unpaid_contribution_share {
                    continue;
                } else if draw < delays.unpaid_contribution_share + delays.late_contribution_share {
                    rng.random_range(30..=120)
                } else {
                    rng.random_range(0..=14)
                };
                let paid_on = period.start + Days::new(days);
                if paid_on > self.options.to {
                    continue;
                }
                contributions.push(Contribution {
                    receipt: format!("R{:08}-{:03}", index + 1, contributions.len() + 1),
                    family_id: family.id.clone(),
                    payer,
                    period_start: period.start,
                    period_end: period.end,
                    amount,
                    paid_on,
                });
            }
        }
        contributions
    }

    fn claims(
        &self,
        index: u64,
        synth: &SynthFamily,
        district: usize,
        rng: &mut Pcg64Mcg,
    ) -> Vec<SynthClaim> {
        let mut claims = Vec::new();
        for ((member, cover), &pending) in synth
            .members
            .iter()
            .zip(&synth.coverage)
            .zip(&synth.pending)
        {
            let last = cover
                .end_date
                .unwrap_or(self.options.to)
                .min(self.options.to);
            let factor = if pending {
                self.config.behaviour.pending_claim_factor
            } else {
                1.0
            };
            for (date, row) in
                self.episodes(member, synth.area, cover.start_date, last, factor, rng)
            {
                let number = format!("C{:08}-{}", index + 1, claims.len() + 1);
                let episode = Episode {
                    member,
                    area: synth.area,
                    district,
                    date,
                    row,
                    number,
                };
                self.claim_for(episode, rng, &mut claims);
            }
        }
        claims
    }

    /// The days and calibration rows of a member's episodes of care between `first` and
    /// `last`, drawn by thinning a Poisson process at the member's highest rate.
    fn episodes(
        &self,
        member: &Member,
        area: Area,
        first: NaiveDate,
        last: NaiveDate,
        factor: f64,
        rng: &mut Pcg64Mcg,
    ) -> Vec<(NaiveDate, usize)> {
        if last < first || factor <= 0.0 {
            return vec![];
        }
        let config = self.config;
        let relativities = &config.relativities;
        let area_factor = match area {
            Area::Urban => relativities.urban.incidence,
            Area::Rural => 1.0,
        };
        let row_rate = |row: &CalibrationRow| {
            let sex_factor = match (member.sex, row.sex) {
                (Sex::Female, None) => relativities.female.incidence,
                _ => 1.0,
            };
            row.incidence_per_1000 / 1000.0 * sex_factor
        };
        let highest = |values: &mut dyn Iterator<Item = f64>| values.fold(0.0, f64::max);
        let ceiling = factor
            * config.drift.highest_incidence()
            * area_factor
            * highest(&mut config.duration.iter().map(|s| s.factor))
            * highest(&mut relativities.age.iter().map(|a| a.incidence))
            * config
                .calibration
                .iter()
                .filter(|row| row.sex.is_none_or(|s| s == member.sex))
                .map(row_rate)
                .sum::<f64>();
        let days = (last - first).num_days() as u64;
        let expected = ceiling * (days + 1) as f64 / 365.25;
        let mut episodes = Vec::new();
        for _ in 0..sample_count(expected, rng) {
            let date = first + Days::new(rng.random_range(0..=days));
            let age = age_on(member.birth_date, date);
            let months = months_between(first, date);
            let rates: Vec<f64> = config
                .calibration
                .iter()
                .map(|row| {
                    if row.applies_to(member.sex, age) {
                        row_rate(row)
                    } else {
                        0.0
                    }
                })
                .collect();
            let rate = factor
                * config.drift.incidence_on(date)
                * area_factor
                * step_at(&config.duration, |s| s.from_month, months).factor
                * step_at(&relativities.age, |a| a.from_age, age).incidence
                * rates.iter().sum::<f64>();
            if rng.random::<f64>() * ceiling < rate {
                episodes.push((date, pick_weighted(&rates, rng)));
            }
        }
        episodes.sort();
        episodes
    }

    fn claim_for(&self, episode: Episode, rng: &mut Pcg64Mcg, claims: &mut Vec<SynthClaim>) {
        let config = self.config;
        let member = episode.member;
        let age = age_on(member.birth_date, episode.date);
        let mut row_index = episode.row;
        let district = if rng.random_bool(config.providers.non_local_share) {
            rng.random_range(0..self.network.districts)
        } else {
            episode.district
        };
        let mut choices = self
            .network
            .serving(district, &config.calibration[row_index].levels());
        if choices.is_empty() {
            choices = self.row_facilities[row_index].clone();
        }
        let facility = choices[rng.random_range(0..choices.len())];
        let provider = &self.network.providers[facility];
        let habits = self.habits[facility];
        let mut upcoded = false;
        if habits.upcodes && rng.random_bool(config.behaviour.upcoded_claim_share) {
            let given = &config.calibration[row_index];
            let costliest = config
                .calibration
                .iter()
                .enumerate()
                .filter(|(_, r)| {
                    r.clinical_category == given.clinical_category
                        && r.setting == given.setting
                        && r.applies_to(member.sex, age)
                        && r.levels().contains(&provider.level)
                })
                .max_by(|a, b| a.1.mean_cost.total_cmp(&b.1.mean_cost))
                .map(|(i, _)| i);
            if let Some(costliest) = costliest.filter(|&i| i != row_index) {
                row_index = costliest;
                upcoded = true;
            }
        }
        let row = &config.calibration[row_index];
        let relativities = &config.relativities;
        let mut cost_factor = step_at(&relativities.age, |a| a.from_age, age).cost
            * config.drift.cost_on(episode.date);
        if member.sex == Sex::Female && row.sex.is_none() {
            cost_factor *= relativities.female.cost;
        }
        if episode.area == Area::Urban {
            cost_factor *= relativities.urban.cost;
        }
        let cost = LogNormal::from_mean_cv(row.mean_cost * cost_factor, row.cost_cv)
            .expect("positive mean and spread")
            .sample(rng);
        let nights = match row.setting {
            CareSetting::Inpatient => LogNormal::from_mean_cv(row.mean_stay, row.stay_cv)
                .expect("positive mean and spread")
                .sample(rng)
                .round()
                .max(1.0) as i64,
            CareSetting::Outpatient => 0,
        };
        let stay_inflated = habits.inflates_stays && row.setting == CareSetting::Inpatient;
        let claimed_nights = if stay_inflated {
            (nights as f64 * config.behaviour.stay_factor).round() as i64
        } else {
            nights
        };
        let lines = row
            .services
            .iter()
            .map(|service| {
                // A daily service is priced per day of an average stay, so the amount claimed
                // grows with the stay and averages the row's cost.
                let amount = cost * service.share;
                let (unit_price, quantity) = match service.per {
                    ServiceUnit::Claim => (amount, 1),
                    ServiceUnit::Day => (amount / row.mean_stay.max(1.0), claimed_nights.max(1)),
                };
                ClaimLine {
                    service_code: service.code.clone(),
                    quantity,
                    unit_price: whole_units(unit_price),
                }
            })
            .collect();
        let (visit_date, admission_date, discharge_date, last_day) = match row.setting {
            CareSetting::Outpatient => (Some(episode.date), None, None, episode.date),
            CareSetting::Inpatient => {
                let discharge = episode.date + Days::new(claimed_nights as u64);
                (None, Some(episode.date), Some(discharge), discharge)
            }
        };
        let delay = LogNormal::new(
            config.delays.report_median_days.ln(),
            config.delays.report_sigma,
        )
        .expect("positive median")
        .sample(rng)
        .round();
        let copay_collected = if habits.charges_everyone {
            whole_units(cost * config.behaviour.charged_share)
        } else {
            Money::ZERO
        };
        let claim = Claim {
            provider_id: provider.code.clone(),
            claim_number: episode.number,
            member_id: member.id.clone(),
            visit_date,
            admission_date,
            discharge_date,
            diagnosis_codes: vec![row.diagnoses[rng.random_range(0..row.diagnoses.len())].clone()],
            clinical_category: row.clinical_category.clone(),
            specialty: Some(row.specialty.clone()),
            limit_raising_case: row
                .limit_raising
                .as_ref()
                .filter(|case| rng.random_bool(case.share))
                .map(|case| case.case.clone()),
            copay_collected,
            received_date: last_day + Days::new(delay.min(3650.0) as u64),
            lines,
        };
        let mut synth = SynthClaim {
            claim,
            row: row_index,
            kind: ClaimKind::Genuine,
            upcoded,
            stay_inflated,
        };
        if rng.random_bool(config.behaviour.malformed_share) {
            break_claim(&mut synth.claim, rng);
            synth.kind = ClaimKind::Malformed;
        }
        let duplicate = rng.random_bool(config.behaviour.duplicate_share).then(|| {
            let mut copy = synth.clone();
            copy.claim.claim_number.push_str("-R");
            copy.claim.received_date =
                copy.claim.received_date + Days::new(rng.random_range(5..=60));
            copy.kind = ClaimKind::Duplicate;
            copy
        });
        claims.push(synth);
        claims.extend(duplicate);
    }
}

/// Heads with four or more in the family who also list a parent of theirs.
const PARENT_SHARE: f64 = 0.1;
/// The oldest age a person is drawn at: a registry refuses a birth date before 1900, and no
/// population has people much older.
pub const OLDEST: u32 = 100;

struct Person {
    id: String,
    name: String,
    relationship: Relationship,
    sex: Sex,
    birth_date: NaiveDate,
    national_id: Option<String>,
    pending: bool,
}

struct Episode<'m> {
    member: &'m Member,
    area: Area,
    district: usize,
    date: NaiveDate,
    row: usize,
    number: String,
}

/// One of three defects: dates out of order, a service the tariff does not know, a member the
/// registry does not know.
fn break_claim(claim: &mut Claim, rng: &mut Pcg64Mcg) {
    match rng.random_range(0..3) {
        0 => match (claim.admission_date, claim.visit_date) {
            (Some(admission), _) => {
                claim.discharge_date = admission.checked_sub_days(Days::new(2));
            }
            (None, Some(visit)) => {
                claim.received_date = visit.checked_sub_days(Days::new(3)).expect("a past day");
            }
            _ => {}
        },
        1 => claim.lines[0].service_code = "UNLISTED".into(),
        _ => claim.member_id = format!("X{}", &claim.member_id[1..]),
    }
}

/// Chance that a woman, and a man, is registered pending, so that the overall share and the
/// share of women among the pending are the configured ones for the expected sex mix.
fn pending_chance(config: &SynthConfig) -> [f64; 2] {
    let population = &config.population;
    let mean = population.mean_family_size;
    let more_than = |k: u64| {
        let lambda = mean - 1.0;
        let below: f64 = (0..k)
            .map(|j| {
                (-lambda).exp() * lambda.powi(j as i32) / (1..=j).map(|i| i as f64).product::<f64>()
            })
            .sum();
        1.0 - below
    };
    let spouses = more_than(1) * (1.0 - population.no_spouse_share);
    let parents = more_than(3) * PARENT_SHARE;
    let children = mean - 1.0 - spouses - parents;
    let women = population.female_head_share
        + spouses * (1.0 - population.female_head_share)
        + parents * 0.5
        + children * (1.0 - population.male_child_share);
    let female_share = women / mean;
    [
        (population.pending_share * population.pending_female_share / female_share).min(1.0),
        (population.pending_share * (1.0 - population.pending_female_share) / (1.0 - female_share))
            .min(1.0),
    ]
}

fn opposite(sex: Sex) -> Sex {
    match sex {
        Sex::Female => Sex::Male,
        Sex::Male => Sex::Female,
    }
}

fn sample_count(mean: f64, rng: &mut Pcg64Mcg) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    Poisson::new(mean).expect("positive mean").sample(rng) as u64
}

/// An index drawn with chances proportional to `weights` (not all zero).
fn pick_weighted(weights: &[f64], rng: &mut Pcg64Mcg) -> usize {
    let mut left = rng.random::<f64>() * weights.iter().sum::<f64>();
    for (i, w) in weights.iter().enumerate() {
        if left < *w {
            return i;
        }
        left -= w;
    }
    weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
}

/// Whole months from `start` to `date`, a month from 31 January ending on 28 February (as
/// [`add_months`] counts).
fn months_between(start: NaiveDate, date: NaiveDate) -> u32 {
    let calendar = (date.year() - start.year()) * 12 + date.month() as i32 - start.month() as i32;
    let Ok(months) = u32::try_from(calendar) else {
        return 0;
    };
    if add_months(start, months) > date {
        months.saturating_sub(1)
    } else {
        months
    }
}

/// An amount rounded to whole currency units, at least one.
fn whole_units(amount: f64) -> Money {
    Money::from_units(amount.round().max(1.0) as i64)
}

/// A seed per family from the scheme's seed (SplitMix64's finaliser), so families are
/// independent of each other and of how many are generated.
fn mix(seed: u64, index: u64) -> u64 {
    let mut z = seed ^ index.wrapping_add(1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_months_count_as_add_months_does() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(months_between(d("2025-01-31"), d("2025-02-27")), 0);
        assert_eq!(months_between(d("2025-01-31"), d("2025-02-28")), 1);
        assert_eq!(months_between(d("2025-01-15"), d("2025-02-14")), 0);
        assert_eq!(months_between(d("2025-01-15"), d("2025-02-15")), 1);
        assert_eq!(months_between(d("2024-02-29"), d("2025-02-28")), 12);
        assert_eq!(months_between(d("2025-03-10"), d("2025-03-01")), 0);
        assert_eq!(months_between(d("2025-03-10"), d("2024-12-01")), 0);
    }

    #[test]
    fn weighted_picks_never_land_on_a_zero_weight() {
        let mut rng = Pcg64Mcg::seed_from_u64(1);
        for _ in 0..1000 {
            assert_ne!(pick_weighted(&[0.0, 1.0, 0.0, 2.0], &mut rng) % 2, 0);
        }
    }
}
