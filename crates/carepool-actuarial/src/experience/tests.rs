//! The study on small hand-computed cases, the awkward ones first.

use super::*;
use carepool_core::Money;
use carepool_core::registry::{MemberStatus, Ownership, Sex};

fn date(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

fn span(start: &str, end: &str) -> Span {
    Span {
        start: date(start),
        end: date(end),
        pending: false,
    }
}

struct Member<'a> {
    id: &'a str,
    family: &'a str,
    sex: Sex,
    birth: &'a str,
    area: &'a str,
    spans: Vec<Span>,
}

fn member<'a>(id: &'a str, spans: Vec<Span>) -> Member<'a> {
    Member {
        id,
        family: id,
        sex: Sex::Male,
        birth: "1990-01-01",
        area: "rural",
        spans,
    }
}

fn data(members: &[Member]) -> ExperienceData {
    let mut data = ExperienceData::new();
    for m in members {
        data.add_member(MemberInput {
            id: m.id,
            family: Some(m.family),
            sex: Some(m.sex),
            birth_date: Some(date(m.birth)),
            area: Some(m.area),
            location: Some("D1"),
            spans: &m.spans,
        })
        .unwrap();
    }
    data
}

fn claim<'a>(member: &'a str, incurred: &str, cost: i64) -> ClaimInput<'a> {
    ClaimInput {
        member,
        incurred: date(incurred),
        clinical_category: "medical",
        specialty: Some("internal_medicine"),
        claimed: Money::from_units(cost),
        approved: Money::from_units(cost),
        paid: Money::ZERO,
        owed: Some(Money::from_units(cost)),
        stay_days: None,
        ownership: Some(Ownership::Public),
        limit_reached: false,
        limit_raised: None,
        received: None,
    }
}

fn study(from: &str, to: &str) -> ExperienceStudy {
    ExperienceStudy::new(date(from), date(to))
}

fn close(got: f64, want: f64) {
    assert!((got - want).abs() < 1e-12, "{got} against {want}");
}

fn exposure_by_period(experience: &Experience) -> Vec<(String, f64)> {
    experience
        .periods
        .iter()
        .map(|p| (p.period.clone(), p.rates.exposure))
        .collect()
}

#[test]
fn a_leap_year_of_cover_is_one_year_and_its_days_are_366ths() {
    let experience = study("2024-01-01", "2025-12-31")
        .run(&data(&[
            member("A", vec![span("2024-01-01", "2025-12-31")]),
            member("B", vec![span("2024-01-01", "2024-06-30")]),
        ]))
        .unwrap();
    let periods = exposure_by_period(&experience);
    assert_eq!(periods[0].0, "2024");
    close(periods[0].1, 1.0 + 182.0 / 366.0);
    close(periods[1].1, 1.0);
}

#[test]
fn cover_starting_on_31_december_counts_one_day_that_year() {
    let experience = study("2024-01-01", "2025-12-31")
        .run(&data(&[member(
            "A",
            vec![span("2024-12-31", "2026-06-30")],
        )]))
        .unwrap();
    let periods = exposure_by_period(&experience);
    close(periods[0].1, 1.0 / 366.0);
    close(periods[1].1, 1.0);
    close(experience.summary.rates.exposure, 1.0 + 1.0 / 366.0);
}

#[test]
fn several_periods_of_cover_and_a_death_add_up_their_days() {
    let dead = cover_spans(
        &[CoverPeriod {
            start: date("2025-01-01"),
            end: None,
        }],
        MemberStatus::Deceased,
        date("2025-06-30"),
        date("2025-12-31"),
    );
    let experience = study("2025-01-01", "2025-12-31")
        .run(&data(&[
            member(
                "A",
                vec![
                    span("2025-01-01", "2025-01-31"),
                    span("2025-03-01", "2025-03-31"),
                ],
            ),
            member("B", dead),
        ]))
        .unwrap();
    close(
        experience.summary.rates.exposure,
        (31.0 + 31.0 + 181.0) / 365.0,
    );
}

#[test]
fn a_birthday_moves_the_member_to_the_next_age_band_on_the_day() {
    let mut turning = member("A", vec![span("2025-01-01", "2025-12-31")]);
    turning.birth = "1980-07-01";
    let experience = study("2025-01-01", "2025-12-31")
        .run(&data(&[turning]))
        .unwrap();
    let ages = &experience.relativities[0];
    assert_eq!(ages.factor, Factor::Age);
    let by_band: Vec<(&str, f64)> = ages
        .levels
        .iter()
        .map(|l| (l.level.as_str(), l.rates.exposure))
        .collect();
    assert_eq!(by_band.len(), 2);
    assert_eq!((by_band[0].0, by_band[1].0), ("25-44", "45-64"));
    close(by_band[0].1, 181.0 / 365.0);
    close(by_band[1].1, 184.0 / 365.0);
}

#[test]
fn a_leap_day_birthday_changes_band_on_1_march_in_a_common_year() {
    // Born 29 February 1980: 45 on 1 March 2025.
    let mut leap = member("A", vec![span("2025-01-01", "2025-12-31")]);
    leap.birth = "1980-02-29";
    let experience = study("2025-01-01", "2025-12-31")
        .run(&data(&[leap]))
        .unwrap();
    let levels = &experience.relativities[0].levels;
    close(levels[0].rates.exposure, 59.0 / 365.0);
}

#[test]
fn pending_days_are_counted_apart_and_their_claims_left_out() {
    let spans = cover_spans(
        &[CoverPeriod {
            start: date("2025-01-01"),
            end: None,
        }],
        MemberStatus::Active,
        date("2025-04-01"),
        date("2025-12-31"),
    );
    let mut data = data(&[member("A", spans)]);
    data.add_claim(&claim("A", "2025-02-01", 100));
    data.add_claim(&claim("A", "2025-05-01", 300));
    let experience = study("2025-01-01", "2025-12-31").run(&data).unwrap();
    let summary = &experience.summary;
    close(summary.pending_exposure, 90.0 / 365.0);
    close(summary.rates.exposure, 275.0 / 365.0);
    assert_eq!(summary.rates.claims, 1);
    assert_eq!(summary.outside.pending, 1);
    close(summary.average_family_size.unwrap(), 1.0);
    close(summary.average_family_size_with_pending.unwrap(), 1.0);
}

#[test]
fn a_claim_on_the_day_cover_ends_counts_and_one_the_day_after_does_not() {
    let mut data = data(&[member("A", vec![span("2025-01-01", "2025-06-30")])]);
    data.add_claim(&claim("A", "2025-06-30", 100));
    data.add_claim(&claim("A", "2025-07-01", 100));
    data.add_claim(&claim("X", "2025-03-01", 100));
    let mut rejected = claim("A", "2025-03-01", 100);
    rejected.owed = None;
    rejected.approved = Money::ZERO;
    data.add_claim(&rejected);
    // Incurred before the study: not counted at all.
    data.add_claim(&claim("A", "2024-12-31", 100));
    let experience = study("2025-01-01", "2025-12-31").run(&data).unwrap();
    let summary = &experience.summary;
    assert_eq!(summary.rates.claims, 1);
    let outside = summary.outside;
    assert_eq!(
        (
            outside.not_covered,
            outside.unknown_member,
            outside.rejected
        ),
        (1, 1, 1)
    );
    let year = &experience.diagnostics.claimed_paid[0];
    assert_eq!((year.year, year.claims, year.rejected_claims), (2025, 4, 1));
    assert_eq!(year.claimed, Money::from_units(400));
    assert_eq!(year.refused, Money::from_units(100));
}

#[test]
fn rates_average_costs_and_the_base_table_by_hand() {
    // Two members of one family, each covered all of 2025: 2 member-years, 1 family-year.
    let mut a = member("A", vec![span("2025-01-01", "2025-12-31")]);
    let mut b = member("B", vec![span("2025-01-01", "2025-12-31")]);
    a.family = "F";
    b.family = "F";
    b.sex = Sex::Female;
    let mut data = data(&[a, b]);
    let mut stay = claim("A", "2025-03-01", 1000);
    stay.stay_days = Some(4);
    stay.paid = Money::from_units(1000);
    data.add_claim(&stay);
    let mut surgery = claim("B", "2025-04-01", 3000);
    surgery.clinical_category = "surgical";
    surgery.specialty = Some("general_surgery");
    surgery.stay_days = Some(2);
    surgery.ownership = Some(Ownership::Private);
    surgery.limit_reached = true;
    data.add_claim(&surgery);
    let experience = study("2025-01-01", "2025-12-31").run(&data).unwrap();
    let summary = &experience.summary;
    close(summary.rates.exposure, 2.0);
    close(summary.family_exposure, 1.0);
    close(summary.rates.incidence_per_1000.unwrap(), 1000.0);
    close(summary.incidence_per_1000_families.unwrap(), 2000.0);
    close(summary.rates.average_cost.unwrap(), 2000.0);
    close(summary.rates.alos.unwrap(), 3.0);
    close(summary.rates.bed_days_per_1000.unwrap(), 3000.0);
    close(summary.rates.risk_cost.unwrap(), 2000.0);
    close(summary.risk_cost_per_family.unwrap(), 4000.0);
    assert_eq!(summary.rates.paid, Money::from_units(1000));

    let base: Vec<(&str, Option<&str>, u64)> = experience
        .base_table
        .iter()
        .map(|r| {
            (
                r.clinical_category.as_str(),
                r.specialty.as_deref(),
                r.rates.claims,
            )
        })
        .collect();
    assert_eq!(
        base,
        [
            ("medical", Some("internal_medicine"), 1),
            ("surgical", Some("general_surgery"), 1),
            ("total", None, 2)
        ]
    );
    let surgical = &experience.base_table[1];
    close(surgical.rates.incidence_per_1000.unwrap(), 500.0);
    close(surgical.rates.risk_cost.unwrap(), 1500.0);
    close(surgical.cost_share.unwrap(), 0.75);

    let diagnostics = &experience.diagnostics;
    assert_eq!(diagnostics.limits.len(), 1);
    assert_eq!(diagnostics.limits[0].reason, "annual limit reached");
    let owners: Vec<(&str, u64)> = diagnostics
        .ownership
        .iter()
        .map(|o| (o.ownership.as_str(), o.claims))
        .collect();
    assert_eq!(owners, [("public", 1), ("private", 1)]);
}

#[test]
fn a_family_is_covered_on_the_days_any_member_is() {
    let mut a = member("A", vec![span("2025-01-01", "2025-06-30")]);
    let mut b = member("B", vec![span("2025-04-01", "2025-09-30")]);
    a.family = "F";
    b.family = "F";
    let experience = study("2025-01-01", "2025-12-31")
        .run(&data(&[a, b]))
        .unwrap();
    // 1 January to 30 September.
    close(experience.summary.family_exposure, 273.0 / 365.0);
    close(
        experience.summary.average_family_size.unwrap(),
        (181.0 + 183.0) / 273.0,
    );
}

#[test]
fn months_split_the_exposure_and_duration_counts_from_enrolment() {
    let mut study = study("2025-01-01", "2025-12-31");
    study.split = Split::Month;
    let experience = study
        .run(&data(&[member(
            "A",
            vec![span("2025-01-15", "2025-12-31")],
        )]))
        .unwrap();
    let periods = exposure_by_period(&experience);
    assert_eq!(periods.len(), 12);
    assert_eq!(periods[1].0, "2025-02");
    close(periods[0].1, 17.0 / 365.0);
    close(periods[1].1, 28.0 / 365.0);
    let durations = experience
        .relativities
        .iter()
        .find(|o| o.factor == Factor::Duration)
        .unwrap();
    let by_band: Vec<(&str, f64)> = durations
        .levels
        .iter()
        .map(|l| (l.level.as_str(), l.rates.exposure * 365.0))
        .collect();
    // 15 January to 14 April, to 14 July, then to the end of the year.
    assert_eq!(by_band.len(), 3);
    assert_eq!(by_band[0].0, "0-2m");
    close(by_band[0].1.round(), 90.0);
    close(by_band[1].1.round(), 91.0);
    close(by_band[2].1.round(), 170.0);
}

#[test]
fn relativities_are_against_the_chosen_base_or_the_largest_level() {
    let mut members = vec![];
    // Three rural member-years with 3 claims; one urban member-year with 2 claims.
    for id in ["R1", "R2", "R3"] {
        members.push(member(id, vec![span("2025-01-01", "2025-12-31")]));
    }
    let mut urban = member("U1", vec![span("2025-01-01", "2025-12-31")]);
    urban.area = "urban";
    members.push(urban);
    let mut data = data(&members);
    for (id, cost) in [
        ("R1", 100),
        ("R2", 100),
        ("R3", 100),
        ("U1", 150),
        ("U1", 150),
    ] {
        data.add_claim(&claim(id, "2025-05-01", cost));
    }
    let run = |study: &ExperienceStudy| study.run(&data);
    let experience = run(&study("2025-01-01", "2025-12-31")).unwrap();
    let area = experience
        .relativities
        .iter()
        .find(|o| o.factor == Factor::Area)
        .unwrap();
    assert_eq!(area.base, "rural");
    let urban = area.levels.iter().find(|l| l.level == "urban").unwrap();
    close(urban.incidence_relativity.unwrap(), 2.0);
    close(urban.cost_relativity.unwrap(), 1.5);
    close(urban.risk_cost_relativity.unwrap(), 3.0);
    // The frequency GLM with area alone reproduces the one-way ratio.
    let frequency = experience.glm.frequency.as_ref().unwrap();
    assert!((frequency.relativity("area", "urban").unwrap() - 2.0).abs() < 1e-9);

    let mut chosen = study("2025-01-01", "2025-12-31");
    chosen.base.insert(Factor::Area, "urban".into());
    let experience = run(&chosen).unwrap();
    let area = &experience.relativities[2];
    assert_eq!(area.base, "urban");
    chosen.base.insert(Factor::Area, "suburban".into());
    assert_eq!(
        run(&chosen).unwrap_err().to_string(),
        "area: the base level 'suburban' is not one of rural, urban"
    );
}

#[test]
fn a_study_too_large_to_count_is_refused_before_any_cell_is_made() {
    let data = data(&[member("A", vec![span("2025-01-01", "2025-12-31")])]);
    let refused = |study: ExperienceStudy| study.run(&data).unwrap_err().to_string();
    assert_eq!(
        refused(study("0001-01-01", "2025-12-31")),
        "from: 0001-01-01 is not a plausible date: dates run from 1900-01-01 to 2200-12-31"
    );
    assert_eq!(
        refused(study("2025-01-01", "9999-12-31")),
        "to: 9999-12-31 is not a plausible date: dates run from 1900-01-01 to 2200-12-31"
    );
    let mut banded = study("2025-01-01", "2025-12-31");
    banded.age_bands = (0..=MAX_BANDS as u32).collect();
    assert_eq!(refused(banded.clone()), "age bands: at most 100");
    banded.age_bands.pop();
    assert!(banded.run(&data).is_ok(), "100 bands is the bound, allowed");
    // Three centuries by month with many bands: 3,612 periods x 101 x 3 x 2 x 100.
    let mut huge = study("1900-01-01", "2200-12-31");
    huge.split = Split::Month;
    huge.age_bands = (0..MAX_BANDS as u32).collect();
    huge.duration_bands = (0..MAX_BANDS as u32).collect();
    assert!(
        refused(huge).starts_with("the study would have 218"),
        "refused on its size"
    );
}

#[test]
fn bad_settings_and_an_empty_study_are_refused() {
    let data = data(&[member("A", vec![span("2025-01-01", "2025-12-31")])]);
    let mut bad = study("2025-01-01", "2025-12-31");
    bad.age_bands = vec![5, 15];
    assert_eq!(
        bad.run(&data).unwrap_err().to_string(),
        "age bands must start at 0 and rise"
    );
    assert!(matches!(
        study("2025-12-31", "2025-01-01").run(&data),
        Err(StudyError::Dates { .. })
    ));
    assert_eq!(
        study("2023-01-01", "2023-12-31")
            .run(&data)
            .unwrap_err()
            .to_string(),
        "no member was covered between 2023-01-01 and 2023-12-31"
    );
}

#[test]
fn a_factor_the_extract_lacks_is_not_shown() {
    let mut data = ExperienceData::new();
    let spans = [span("2025-01-01", "2025-12-31")];
    data.add_member(MemberInput {
        id: "A",
        family: None,
        sex: Some(Sex::Female),
        birth_date: None,
        area: None,
        location: None,
        spans: &spans,
    })
    .unwrap();
    let experience = study("2025-01-01", "2025-12-31").run(&data).unwrap();
    let factors: Vec<Factor> = experience.relativities.iter().map(|o| o.factor).collect();
    assert_eq!(factors, [Factor::Sex, Factor::Duration]);
    assert!(experience.notes.iter().any(|n| n.text.contains("no area")));
}

/// A study asked past the data's end: the exposure stops where the data do (an extract's latest
/// receipt, or today on the live database), so the incidence is not diluted by days with no
/// claims yet; the end used and the day asked are both stated.
#[test]
fn exposure_stops_where_the_data_end() {
    let members = [member("A", vec![span("2025-01-01", "2026-12-31")])];
    let mut extract = data(&members);
    extract.add_claim(&ClaimInput {
        received: Some(date("2025-06-30")),
        ..claim("A", "2025-06-10", 100)
    });
    let experience = study("2025-01-01", "2025-12-31").run(&extract).unwrap();
    assert_eq!(experience.settings.to, date("2025-06-30"));
    assert_eq!(experience.settings.asked_to, Some(date("2025-12-31")));
    close(experience.summary.rates.exposure, 181.0 / 365.0);
    assert!(
        experience.notes[0].text.starts_with(
            "The study was asked to end on 2025-12-31; exposure and claims stop on 2025-06-30, the latest day a claim was received"
        ),
        "{:?}",
        experience.notes
    );

    // Asked no further than the data go: nothing is cut.
    let within = study("2025-01-01", "2025-06-30").run(&extract).unwrap();
    assert_eq!(within.settings.asked_to, None);
    close(within.summary.rates.exposure, 181.0 / 365.0);

    // The live database is known until today, whatever it received last.
    let mut live = data(&members);
    live.known_until(date("2025-09-30"));
    let experience = study("2025-01-01", "2025-12-31").run(&live).unwrap();
    assert_eq!(experience.settings.to, date("2025-09-30"));
    assert!(
        experience.notes[0]
            .text
            .contains("today: the days after it have not happened")
    );

    // A study that starts after the data end has nothing to count.
    let error = study("2025-07-01", "2025-12-31").run(&extract).unwrap_err();
    assert_eq!(
        error.to_string(),
        "the study starts on 2025-07-01, after the data end on 2025-06-30 (the latest day a claim was received: the data say nothing of the days after it): give --from and --to on or before 2025-06-30"
    );
}

/// Periods at the end with cover and no claim are pointed out: claims that have not arrived
/// would otherwise lower the rates without a word.
#[test]
fn covered_periods_without_claims_at_the_end_are_pointed_out() {
    let members = [member("A", vec![span("2024-01-01", "2025-12-31")])];
    let mut data = data(&members);
    data.add_claim(&claim("A", "2024-06-10", 100));
    let experience = study("2024-01-01", "2025-12-31").run(&data).unwrap();
    assert!(
        experience.notes.iter().any(|n| n.text.starts_with(
            "The last period, 2025, has members covered and no claim: if the claims have not reached the data yet"
        )),
        "{:?}",
        experience.notes
    );
    data.add_claim(&claim("A", "2025-03-10", 100));
    let experience = study("2024-01-01", "2025-12-31").run(&data).unwrap();
    assert!(!experience.notes.iter().any(|n| n.text.contains("no claim")));
}

/// Three months of one member, the extract ending on 31 March: January's claims came in over
/// three months, February's over two, March's so far in March. The chain ladder on the
/// reporting delays completes each month, and each line by its own months.
///
/// | incurred | delay 0 | delay 1 | delay 2 |
/// |---|---|---|---|
/// | January | 2 (100 each) | 1 | 1 |
/// | February | 2 | 2 | |
/// | March | 1 (a surgery, 400) | | |
///
/// Claims: 2, 3, 4 and 2, 4; factors 7 / 4 (delay 0 to 1) and 4 / 3 (1 to 2). Cost: the same,
/// times 100, but March's 400.
#[test]
fn recent_months_are_completed_from_the_reporting_delays() {
    let members = [member("A", vec![span("2025-01-01", "2025-12-31")])];
    let mut extract = data(&members);
    let mut add = |incurred: &str, received: &str, cost: i64, specialty: &'static str| {
        extract.add_claim(&ClaimInput {
            received: Some(date(received)),
            specialty: Some(specialty),
            ..claim("A", incurred, cost)
        });
    };
    for (incurred, received) in [
        ("2025-01-05", "2025-01-20"),
        ("2025-01-06", "2025-01-25"),
        ("2025-01-07", "2025-02-10"),
        ("2025-01-08", "2025-03-10"),
        ("2025-02-05", "2025-02-20"),
        ("2025-02-06", "2025-02-25"),
        ("2025-02-07", "2025-03-01"),
        ("2025-02-08", "2025-03-15"),
    ] {
        add(incurred, received, 100, "internal_medicine");
    }
    add("2025-03-02", "2025-03-31", 400, "general_surgery");
    let experience = study("2025-01-01", "2025-03-31").run(&extract).unwrap();
    let completion = experience.completion.as_ref().unwrap();
    assert_eq!(completion.valued_at, date("2025-03-31"));
    close(completion.claims_development[0], 7.0 / 4.0);
    close(completion.claims_development[1], 4.0 / 3.0);
    let factors: Vec<(u32, f64)> = (completion.months.iter())
        .map(|m| (m.developed_months, m.claims_factor))
        .collect();
    assert_eq!(factors[0], (2, 1.0));
    close(factors[1].1, 4.0 / 3.0);
    close(factors[2].1, 7.0 / 4.0 * 4.0 / 3.0);
    // Cost at delay 0: 200 + 200 (January, February); at delay 1: 300 + 400.
    close(completion.cost_development[0], 700.0 / 400.0);
    // The lines: internal medicine has January and February; the surgery March alone. The
    // study's exposure runs to 31 March: 90 days.
    let exposure = 90.0 / 365.0;
    // In name order: general surgery, then internal medicine.
    let [surgery, medicine, total] = &experience.base_table[..] else {
        panic!("two lines and the total")
    };
    let medicine = medicine.completed.as_ref().unwrap();
    close(medicine.claims, 4.0 + 4.0 * 4.0 / 3.0);
    close(medicine.cost, 400.0 + 400.0 * 4.0 / 3.0);
    close(
        medicine.incidence_per_1000.unwrap(),
        1000.0 * (4.0 + 16.0 / 3.0) / exposure,
    );
    let surgery = surgery.completed.as_ref().unwrap();
    close(surgery.claims, 7.0 / 4.0 * 4.0 / 3.0);
    close(
        surgery.average_cost.unwrap(),
        400.0 * 7.0 / 4.0 * 4.0 / 3.0 / surgery.claims,
    );
    let total = total.completed.as_ref().unwrap();
    close(total.claims, medicine.claims + surgery.claims);
    assert_eq!(
        experience.base_table[2].rates.claims, 9,
        "the reported figures stay"
    );
    assert!(
        (experience.notes.iter()).any(|n| n.text.starts_with(
            "Recent months are completed: each month's claims and cost times its completion factor, from the chain ladder on the claims' reporting delays valued on 2025-03-31 (the last month, 2025-03: claims x 2.3333"
        )),
        "{:?}",
        experience.notes
    );

    // Without received dates, nothing is completed, and the study says so.
    let mut undated = data(&members);
    undated.add_claim(&claim("A", "2025-01-05", 100));
    undated.known_until(date("2025-03-31"));
    let experience = study("2025-01-01", "2025-03-31").run(&undated).unwrap();
    assert!(experience.completion.is_none());
    assert!(experience.base_table[0].completed.is_none());
    assert!((experience.notes.iter()).any(|n| {
        n.text
            .starts_with("The claims do not say when they were received")
    }));
}

/// The calendar period as a factor of the study's own GLM: a claim rate that doubles from one
/// year to the next gives a relativity of 2 for the second year against the first.
#[test]
fn the_calendar_period_may_be_a_factor_of_the_glm() {
    let members = [
        member("A", vec![span("2024-01-01", "2025-12-31")]),
        Member {
            sex: Sex::Female,
            ..member("B", vec![span("2024-01-01", "2025-12-31")])
        },
    ];
    let mut data = data(&members);
    for (who, incurred, times) in [
        ("A", "2024-03-01", 2),
        ("A", "2025-03-01", 4),
        ("B", "2024-03-01", 3),
        ("B", "2025-03-01", 6),
    ] {
        for _ in 0..times {
            data.add_claim(&claim(who, incurred, 100));
        }
    }
    let mut by_period = study("2024-01-01", "2025-12-31");
    by_period.glm_factors = vec![Factor::Sex, Factor::Period];
    by_period.base.insert(Factor::Period, "2024".into());
    let experience = by_period.run(&data).unwrap();
    let frequency = experience.glm.frequency.as_ref().unwrap();
    let relativity = |term: &str, level: &str| {
        (frequency.coefficients.iter())
            .find(|c| c.term.as_deref() == Some(term) && c.level.as_deref() == Some(level))
            .and_then(|c| c.relativity)
            .unwrap()
    };
    assert!((relativity("period", "2025") - 2.0).abs() < 1e-8);
    assert!((relativity("sex", "F") - 1.5).abs() < 1e-8);
    // The periods' table is the period's one-way view: no relativities table of its own.
    assert!(
        experience
            .relativities
            .iter()
            .all(|o| o.factor != Factor::Period)
    );
    // A base period the study does not have is named, whether the GLMs take the period or not.
    by_period.base.insert(Factor::Period, "2023".into());
    assert_eq!(
        by_period.run(&data).unwrap_err().to_string(),
        "period: the base level '2023' is not one of 2024, 2025"
    );
    by_period.glm_factors = vec![Factor::Sex];
    assert!(by_period.run(&data).is_err());
}

#[test]
fn a_member_given_twice_is_refused_and_the_first_keeps_their_cover_and_claims() {
    let mut data = data(&[member("M1", vec![span("2025-01-01", "2025-12-31")])]);
    let again = MemberInput {
        id: "M1",
        family: Some("F9"),
        sex: Some(Sex::Female),
        birth_date: None,
        area: None,
        location: None,
        spans: &[span("2025-07-01", "2025-12-31")],
    };
    assert_eq!(
        data.add_member(again),
        Err(InputError::RepeatedMember("M1".into()))
    );
    assert_eq!(data.member_count(), 1);
    data.add_claim(&claim("M1", "2025-03-01", 100));
    let experience = study("2025-01-01", "2025-12-31").run(&data).unwrap();
    close(experience.summary.rates.exposure, 1.0);
    assert_eq!(experience.summary.rates.claims, 1);
    assert_eq!(experience.summary.outside.unknown_member, 0);
}

#[test]
fn a_member_given_again_after_others_or_out_of_order_is_refused_and_claims_reach_their_own() {
    // Each member covered for a quarter, each claim in its member's quarter only: a claim that
    // reached another member would be outside cover.
    let mut data = data(&[
        member("M1", vec![span("2025-01-01", "2025-03-31")]),
        member("M2", vec![span("2025-04-01", "2025-06-30")]),
    ]);
    let input = |id, spans| MemberInput {
        id,
        family: Some(id),
        sex: None,
        birth_date: None,
        area: None,
        location: None,
        spans,
    };
    let repeated = || Err(InputError::RepeatedMember("M1".into()));
    let whole_year = [span("2025-01-01", "2025-12-31")];
    assert_eq!(data.add_member(input("M1", &whole_year)), repeated());
    // An id before those given: the ids are no longer in order.
    let third = [span("2025-07-01", "2025-09-30")];
    assert_eq!(data.add_member(input("M0", &third)), Ok(()));
    assert_eq!(data.add_member(input("M1", &whole_year)), repeated());
    assert_eq!(data.member_count(), 3);
    for (id, day) in [
        ("M1", "2025-02-01"),
        ("M2", "2025-05-01"),
        ("M0", "2025-08-01"),
    ] {
        data.add_claim(&claim(id, day, 100));
    }
    let experience = study("2025-01-01", "2025-12-31").run(&data).unwrap();
    let summary = &experience.summary;
    assert_eq!(summary.rates.claims, 3);
    assert_eq!(
        (summary.outside.not_covered, summary.outside.unknown_member),
        (0, 0)
    );
    close(summary.rates.exposure, (90.0 + 91.0 + 92.0) / 365.0);
}

#[test]
fn families_on_several_threads_count_the_union_of_their_members_cover_once_each() {
    // Enough families for the work to be shared between threads.
    let families = 25_003;
    let mut data = ExperienceData::new();
    let halves = [
        span("2025-01-01", "2025-06-30"),
        span("2025-04-01", "2025-12-31"),
    ];
    for family in 0..families {
        for (member, half) in halves.iter().enumerate() {
            let id = format!("M{family}-{member}");
            let family_id = format!("F{family}");
            data.add_member(MemberInput {
                id: &id,
                family: Some(&family_id),
                sex: Some(Sex::Female),
                birth_date: Some(date("1990-01-01")),
                area: Some("rural"),
                location: Some("D1"),
                spans: &[*half],
            })
            .unwrap();
        }
    }
    let experience = study("2025-01-01", "2025-12-31").run(&data).unwrap();
    close(experience.summary.family_exposure, f64::from(families));
    // Members' days: January to June (181), April to December (275).
    close(
        experience.summary.rates.exposure,
        f64::from(families) * (181.0 + 275.0) / 365.0,
    );
}

/// A member of a drawn scheme.
struct DrawnMember {
    id: String,
    family: String,
    sex: Option<Sex>,
    birth_date: Option<NaiveDate>,
    area: Option<&'static str>,
    district: Option<&'static str>,
    spans: Vec<Span>,
}

/// A claim of a drawn scheme, with the family it came with (none for an unknown member);
/// `kind` chooses its category, status, stay, limits and delay.
struct DrawnClaim {
    family: Option<String>,
    member: String,
    incurred: NaiveDate,
    cost: i64,
    kind: u32,
}

/// A scheme of `families` families drawn from `seed`: members of one to four, some without sex,
/// birth date, area or district, cover in one or two periods (some pending), claims of members
/// and of unknown ones, some rejected, stays, limits, reporting delays. The first families are
/// all rural and of one district, so that later ones bring areas and districts not met before.
fn drawn(seed: u64, families: usize) -> (Vec<DrawnMember>, Vec<DrawnClaim>) {
    let mut state = seed;
    let mut next = move |below: u64| {
        state =
            (state.wrapping_mul(6_364_136_223_846_793_005)).wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % below
    };
    let day = |offset: u64| date("2023-11-01") + chrono::Days::new(offset);
    let (mut members, mut claims) = (Vec::new(), Vec::new());
    for family in 0..families {
        let family_id = format!("F{family:03}");
        let early = family < 5;
        for member in 0..=next(4) {
            let id = format!("M{family:03}-{member}");
            let (area, district) = match early {
                true => (Some("rural"), Some("D1")),
                false => (
                    [Some("rural"), Some("urban"), None][next(3) as usize],
                    [Some("D1"), Some("D2"), Some("D3"), None][next(4) as usize],
                ),
            };
            let (start, length) = (next(700), next(600));
            let mut spans = vec![Span {
                start: day(start),
                end: day(start + length),
                pending: next(5) == 0,
            }];
            if next(3) == 0 {
                let again = start + length + 2 + next(200);
                spans.push(Span {
                    start: day(again),
                    end: day(again + next(300)),
                    pending: false,
                });
            }
            for _ in 0..next(6) {
                claims.push(DrawnClaim {
                    family: Some(family_id.clone()),
                    member: id.clone(),
                    incurred: day(next(1_100)),
                    cost: 1 + next(90_000) as i64,
                    kind: next(1_000) as u32,
                });
            }
            members.push(DrawnMember {
                id,
                family: family_id.clone(),
                sex: [Some(Sex::Female), Some(Sex::Male), None][next(3) as usize],
                birth_date: (next(8) > 0).then(|| day(0) - chrono::Days::new(next(30_000))),
                area,
                district,
                spans,
            });
        }
        if next(4) == 0 {
            claims.push(DrawnClaim {
                family: None,
                member: format!("U{family}"),
                incurred: day(next(1_000)),
                cost: 500,
                kind: 7,
            });
        }
    }
    (members, claims)
}

fn add_drawn_member(data: &mut ExperienceData, member: &DrawnMember) {
    data.add_member(MemberInput {
        id: &member.id,
        family: Some(&member.family),
        sex: member.sex,
        birth_date: member.birth_date,
        area: member.area,
        location: member.district,
        spans: &member.spans,
    })
    .unwrap();
}

fn add_drawn_claim(data: &mut ExperienceData, claim: &DrawnClaim) {
    let (cost, kind) = (claim.cost, claim.kind);
    let approved = Money::from_minor(cost * 9 / 10);
    data.add_claim(&ClaimInput {
        member: &claim.member,
        incurred: claim.incurred,
        clinical_category: ["medical", "surgical", "maternity"][kind as usize % 3],
        specialty: [Some("general"), None][kind as usize % 2],
        claimed: Money::from_minor(cost),
        approved,
        paid: if kind % 4 == 0 { Money::ZERO } else { approved },
        owed: (kind % 9 != 0).then_some(approved),
        stay_days: (kind % 5 == 0).then_some(1 + kind % 12),
        ownership: [Some(Ownership::Public), Some(Ownership::Private), None][kind as usize % 3],
        limit_reached: kind % 11 == 0,
        limit_raised: (kind % 13 == 0).then_some(["LR1", "LR2"][kind as usize % 2]),
        received: (kind % 7 != 0)
            .then(|| claim.incurred + chrono::Days::new(u64::from(kind % 150))),
    });
}

#[test]
fn a_study_counted_by_pages_of_families_is_the_study_counted_whole() {
    let known_until = date("2026-05-15");
    let mut study = study("2024-01-01", "2026-06-30");
    study.split = Split::Month;
    study.glm_factors = vec![Factor::Age, Factor::Sex, Factor::Area, Factor::Duration];
    for (seed, families, page) in [(1, 40, 7), (2, 60, 1), (3, 30, 30), (4, 50, 11)] {
        let (members, claims) = drawn(seed, families);
        let mut whole = ExperienceData::new();
        whole.known_until(known_until);
        members.iter().for_each(|m| add_drawn_member(&mut whole, m));
        claims.iter().for_each(|c| add_drawn_claim(&mut whole, c));
        let expected = study.run(&whole).unwrap();

        // A page holds whole families; a claim that came with no family, or with one its
        // member is not in (here: every claim of the first member of each fourth family, as if
        // they had moved), is placed at the end with its member met again.
        let moved = |member: &str| {
            member.ends_with("-0") && member[1..4].parse::<usize>().unwrap() % 4 == 0
        };
        let mut paged = study.by_pages(known_until).unwrap();
        let mut later: Vec<&DrawnClaim> = claims.iter().filter(|c| c.family.is_none()).collect();
        let ids: Vec<String> = (0..families).map(|f| format!("F{f:03}")).collect();
        for page_families in ids.chunks(page) {
            let in_page = |family: &String| page_families.contains(family);
            for member in members.iter().filter(|m| in_page(&m.family)) {
                add_drawn_member(paged.data(), member);
            }
            for claim in claims
                .iter()
                .filter(|c| c.family.as_ref().is_some_and(in_page))
            {
                match moved(&claim.member) || !paged.data().holds_member(&claim.member) {
                    true => later.push(claim),
                    false => add_drawn_claim(paged.data(), claim),
                }
            }
            paged.count_page().unwrap();
        }
        for member in members
            .iter()
            .filter(|m| later.iter().any(|c| c.member == m.id))
        {
            add_drawn_member(paged.data(), member);
        }
        later.iter().for_each(|c| add_drawn_claim(paged.data(), c));
        paged.place_claims_of_counted_members().unwrap();
        let paged = paged.finish().unwrap();

        assert_eq!(paged.settings.members, members.len(), "seed {seed}");
        assert_eq!(paged.settings.claims_given, claims.len(), "seed {seed}");
        assert!(expected.summary.outside.unknown_member > 0, "seed {seed}");
        assert!(expected.summary.outside.pending > 0, "seed {seed}");
        assert_eq!(
            serde_json::to_string_pretty(&paged).unwrap(),
            serde_json::to_string_pretty(&expected).unwrap(),
            "seed {seed}, pages of {page}"
        );
    }
}

/// Each member's days counted one by one: the period, age band and duration band of every day
/// of cover worked out from their definitions, nothing stepped.
fn cells_day_by_day(study: &ExperienceStudy, data: &ExperienceData, shape: Shape) -> Cells {
    let periods = study.periods();
    let mut cells = Cells::new(shape, periods.len(), data.locations.len());
    let locations = data.locations.len() + 1;
    let band = |starts: &[u32], value: u32| starts.iter().rposition(|&s| s <= value).unwrap();
    for person in &data.people {
        let spans = data.spans_of(person);
        let Some(enrolled) = spans.first().map(|s| s.start) else {
            continue;
        };
        for span in spans {
            for day in span.start.iter_days().take_while(|day| *day <= span.end) {
                let Some(period) = periods.iter().position(|p| p.start <= day && day <= p.end)
                else {
                    continue;
                };
                let age = match person.birth_date {
                    Some(birth) => band(&study.age_bands, carepool_core::dates::age_on(birth, day)),
                    None => study.age_bands.len(),
                };
                let months = (0..)
                    .take_while(|&m| carepool_core::dates::add_months(enrolled, m) <= day)
                    .last()
                    .unwrap();
                let key = cells::CellKey {
                    period,
                    age,
                    sex: cells::sex_index(person.sex),
                    area: match person.area {
                        input::UNKNOWN => shape.areas - 1,
                        area => area as usize,
                    },
                    duration: band(&study.duration_bands, months),
                };
                let location = match person.location {
                    input::UNKNOWN => data.locations.len(),
                    location => location as usize,
                };
                match span.pending {
                    true => cells.pending_days[shape.index(key)] += 1,
                    false => {
                        cells.active_days[shape.index(key)] += 1;
                        cells.location_days[period * locations + location] += 1;
                    }
                }
            }
        }
    }
    cells
}

/// Members beside a drawn scheme's: born on 29 February, enrolled long before the study,
/// covered before they were born, covered for years in one span.
fn awkward_members() -> Vec<DrawnMember> {
    let member = |id: &str, birth: &str, spans: &[(&str, &str, bool)]| DrawnMember {
        id: id.to_string(),
        family: format!("F-{id}"),
        sex: Some(Sex::Female),
        birth_date: Some(date(birth)),
        area: Some("urban"),
        district: Some("D2"),
        spans: spans
            .iter()
            .map(|&(start, end, pending)| Span {
                start: date(start),
                end: date(end),
                pending,
            })
            .collect(),
    };
    vec![
        member(
            "LEAP-1",
            "2020-02-29",
            &[("2023-06-01", "2027-12-31", false)],
        ),
        member(
            "LEAP-4",
            "2000-02-29",
            &[("2024-03-01", "2026-02-28", false)],
        ),
        member(
            "EARLY",
            "1960-07-31",
            &[("2001-01-31", "2030-01-01", false)],
        ),
        member(
            "UNBORN",
            "2024-06-01",
            &[("2024-01-01", "2025-12-31", false)],
        ),
        member(
            "YEARS",
            "1990-12-31",
            &[
                ("2023-01-01", "2023-12-31", true),
                ("2024-01-01", "2029-12-31", false),
            ],
        ),
    ]
}

#[test]
fn exposure_is_the_members_days_counted_one_by_one() {
    let bands = |duration_bands: &[u32]| (vec![0, 1, 5, 15, 25, 45, 65], duration_bands.to_vec());
    for (split, from, to, (age_bands, duration_bands)) in [
        (
            Split::Month,
            "2024-01-01",
            "2026-06-30",
            bands(&[0, 1, 3, 6, 12, 24]),
        ),
        (
            Split::Month,
            "2024-02-15",
            "2025-03-10",
            bands(&[0, 1, 3, 6, 12, 24]),
        ),
        (
            Split::Year,
            "2024-01-01",
            "2026-12-31",
            bands(&[0, 1, 3, 6, 12, 24]),
        ),
        // Part years at both ends, and whole years between with no duration band to cut them.
        (Split::Year, "2024-02-15", "2027-03-10", bands(&[0])),
        (
            Split::Year,
            "2023-07-01",
            "2028-06-30",
            (vec![0, 3, 30], vec![0, 60]),
        ),
    ] {
        let mut study = study(from, to);
        study.split = split;
        study.age_bands = age_bands;
        study.duration_bands = duration_bands;
        for seed in 1..=3 {
            let (members, _) = drawn(seed, 80);
            let mut data = ExperienceData::new();
            members.iter().for_each(|m| add_drawn_member(&mut data, m));
            awkward_members()
                .iter()
                .for_each(|m| add_drawn_member(&mut data, m));
            let periods = study.periods();
            let shape = study.shape(periods.len(), data.areas.len());
            let bands = Bands {
                ages: &study.age_bands,
                durations: &study.duration_bands,
            };
            let counter = Counter::new(&data, &periods, bands, shape);
            let mut counted = counter.empty_cells();
            counter.add_exposure(&mut counted);
            let by_day = cells_day_by_day(&study, &data, shape);
            let case = format!("{split:?} {from} to {to}, seed {seed}");
            assert!(by_day.pending_days.iter().sum::<u64>() > 0, "{case}");
            assert_eq!(counted.active_days, by_day.active_days, "{case}");
            assert_eq!(counted.pending_days, by_day.pending_days, "{case}");
            assert_eq!(counted.location_days, by_day.location_days, "{case}");
        }
    }
}

#[test]
fn spans_made_in_kept_room_are_those_made_afresh_member_after_member() {
    let period = |start: &str, end: Option<&str>| CoverPeriod {
        start: date(start),
        end: end.map(date),
    };
    let horizon = date("2025-12-31");
    // Several periods, then fewer, none, one ended before it starts, pending, dead, inactive,
    // active since after the cover started: what one member leaves must not reach the next.
    let members = [
        (
            vec![
                period("2025-03-01", Some("2025-03-31")),
                period("2025-01-01", Some("2025-01-31")),
                period("2025-02-01", Some("2025-02-10")),
            ],
            MemberStatus::Active,
            NaiveDate::MIN,
        ),
        (
            vec![period("2025-05-01", None)],
            MemberStatus::Active,
            date("2025-06-01"),
        ),
        (vec![], MemberStatus::Active, NaiveDate::MIN),
        (
            vec![period("2025-05-01", Some("2025-04-01"))],
            MemberStatus::Active,
            NaiveDate::MIN,
        ),
        (
            vec![period("2025-01-01", None)],
            MemberStatus::Pending,
            NaiveDate::MIN,
        ),
        (
            vec![period("2025-01-01", None), period("2025-08-01", None)],
            MemberStatus::Deceased,
            date("2025-06-30"),
        ),
        (
            vec![period("2025-01-01", Some("2025-09-30"))],
            MemberStatus::Inactive,
            date("2025-07-01"),
        ),
    ];
    let mut kept = CoverSpans::default();
    for (periods, status, since) in &members {
        let afresh = cover_spans(periods, *status, *since, horizon);
        assert_eq!(
            kept.of(periods, *status, *since, horizon),
            afresh.as_slice()
        );
    }
    let span = |start: &str, end: &str, pending| Span {
        start: date(start),
        end: date(end),
        pending,
    };
    let (periods, status, since) = &members[0];
    assert_eq!(
        kept.of(periods, *status, *since, horizon),
        [
            span("2025-01-01", "2025-02-10", false),
            span("2025-03-01", "2025-03-31", false)
        ]
    );
    let (periods, status, since) = &members[1];
    assert_eq!(
        kept.of(periods, *status, *since, horizon),
        [
            span("2025-05-01", "2025-05-31", true),
            span("2025-06-01", "2025-12-31", false)
        ]
    );
    let (periods, status, since) = &members[2];
    assert!(kept.of(periods, *status, *since, horizon).is_empty());
}
