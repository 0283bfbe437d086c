use super::*;

fn file(json: serde_json::Value) -> ProjectionFile {
    serde_json::from_value(json).unwrap()
}

fn minimal() -> serde_json::Value {
    serde_json::json!({
        "base": { "date": "2026-04-01", "lines": [
            { "name": "surgery", "incidence_per_1000": 2.0, "average_cost": 1000.0 }
        ] },
        "projection": { "start": "2027-04-01", "years": 3 },
        "population": { "members": [100.0, 200.0], "family_size": [4.0] }
    })
}

#[test]
fn dates_become_years_and_rates_take_their_defaults() {
    let a = file(minimal()).assumptions().unwrap();
    assert!((a.base_to_start - 365.0 / 365.25).abs() < 1e-12);
    assert_eq!(a.contract_years, 3);
    assert_eq!(a.base[0].incidence, 0.002);
    assert_eq!(a.medical_inflation, [0.0]);
    assert_eq!(a.expenses, [0.0]);
    assert_eq!(a.members, [100.0, 200.0]);
}

#[test]
fn cells_take_the_product_of_their_relativities_and_their_mix_is_interpolated() {
    let mut json = minimal();
    json["population"]["cells"] = serde_json::json!([
        { "age": "0-14", "area": "urban", "base_share": 0.5, "start_share": 0.6, "target_share": 0.2 },
        { "age": "45+", "base_share": 0.5, "start_share": 0.4, "target_share": 0.8 }
    ]);
    json["relativities"] = serde_json::json!({
        "age": { "45+": { "incidence": 2.0, "cost": 1.5 } },
        "area": { "urban": { "incidence": 1.3, "cost": 1.1 } }
    });
    let a = file(json).assumptions().unwrap();
    assert_eq!(a.cells[0].name, "0-14 urban");
    assert_eq!((a.cells[0].incidence, a.cells[0].cost), (1.3, 1.1));
    assert_eq!((a.cells[1].incidence, a.cells[1].cost), (2.0, 1.5));
    assert_eq!(a.base_mix, [0.5, 0.5]);
    let middle = &a.mix[1];
    assert!((middle[0] - 0.4).abs() < 1e-12 && (middle[1] - 0.6).abs() < 1e-12);
    assert_eq!(a.mix[2], [0.2, 0.8]);
}

#[test]
fn cells_may_give_their_members_each_year() {
    let mut json = minimal();
    json["population"] = serde_json::json!({ "family_size": [4.0], "cells": [
        { "age": "young", "base_share": 0.5, "members": [30.0, 60.0] },
        { "age": "old", "base_share": 0.5, "members": [70.0] }
    ] });
    let a = file(json).assumptions().unwrap();
    assert_eq!(a.members, [100.0, 130.0, 130.0]);
    assert_eq!(a.mix[0], [0.3, 0.7]);
}

#[test]
fn benefits_and_stress_tests_are_read_in_words() {
    let mut json = minimal();
    json["new_benefits"] = serde_json::json!([
        { "name": "follow-up", "per_claim_of": "surgery", "unit_cost": 50.0, "from": "2028-04-01" }
    ]);
    json["stress"] = serde_json::json!([
        { "name": "high", "medical_inflation": 0.02, "limits_cost": 1.1 }
    ]);
    let f = file(json);
    let a = f.assumptions().unwrap();
    assert!((a.new_benefits[0].from - 366.0 / 365.25).abs() < 1e-12);
    let scenarios = f.scenarios();
    assert_eq!(
        scenarios[0].flexes,
        [
            Flex::MedicalInflation(0.02),
            Flex::Limits {
                incidence: 1.0,
                cost: 1.1
            }
        ]
    );
    let tests = f.run().unwrap();
    assert_eq!(tests.results.len(), 1);
}

#[test]
fn the_rates_years_and_timing_and_a_lines_own_assumptions_are_read_in_words() {
    let mut json = minimal();
    json["trends"] = serde_json::json!({
        "from": "2026-01-01", "timing": "within_year", "medical_inflation": [0.1, 0.05]
    });
    json["population"]["cells"] = serde_json::json!([
        { "age": "young", "base_share": 0.5 },
        { "age": "old", "sex": "F", "base_share": 0.5 }
    ]);
    json["relativities"] = serde_json::json!({
        "age": { "old": { "incidence": 2.0, "cost": 1.5 } },
        "sex": { "F": { "incidence": 1.2, "cost": 1.0 } }
    });
    json["line_assumptions"] = serde_json::json!({ "surgery": {
        "technology": [0.2], "fixed_cost": true,
        "relativities": { "age": { "old": { "incidence": 3.0, "cost": 1.0 } } }
    } });
    json["stress"] = serde_json::json!([
        { "name": "return", "investment_return": 0.01, "members": [50.0] }
    ]);
    let f = file(json.clone());
    let a = f.assumptions().unwrap();
    // 1 April 2026 to 1 January 2026: a quarter of a year before the base date.
    assert!((a.rate_years.first_year + 90.0 / 365.25).abs() < 1e-12);
    assert_eq!(a.rate_years.timing, Timing::WithinYear);
    let own = &a.base[0].own;
    assert_eq!(own.technology_trend.as_deref(), Some(&[0.2][..]));
    assert!(own.fixed_cost);
    // The line's age table in place of the scheme's; the scheme's sex table still counts.
    let cells = own.cells.as_ref().unwrap();
    assert_eq!((cells[1].incidence, cells[1].cost), (3.0 * 1.2, 1.0));
    assert_eq!((a.cells[1].incidence, a.cells[1].cost), (2.0 * 1.2, 1.5));
    assert_eq!(
        f.scenarios()[0].flexes,
        [Flex::InvestmentReturn(0.01), Flex::Members(vec![50.0])]
    );
    json["line_assumptions"] = serde_json::json!({ "cardiology": { "fixed_cost": true } });
    let error = file(json).assumptions().unwrap_err();
    assert_eq!(
        (error.field, error.message.as_str()),
        ("line_assumptions", "no line cardiology in the base table")
    );
}

/// A premium basis compares the stored text of its assumptions: keys added since are left out
/// when not given, so that assumptions stored before them read back as the same text.
#[test]
fn keys_not_given_are_not_written() {
    let mut json = minimal();
    json["stress"] = serde_json::json!([{ "name": "high", "medical_inflation": 0.02 }]);
    let text = serde_json::to_string(&file(json)).unwrap();
    for key in [
        "timing",
        "from",
        "line_assumptions",
        "experience",
        "\"investment_return\":null",
        "\"members\":null",
    ] {
        assert!(!text.contains(key), "{key} in {text}");
    }
}

#[test]
fn the_rates_years_start_by_the_projection_and_a_fixed_cost_does_not_inflate() {
    let mut json = minimal();
    json["trends"] = serde_json::json!({ "from": "2027-04-02", "medical_inflation": [0.1] });
    let error = file(json).assumptions().unwrap_err();
    assert_eq!(error.field, "trends.from");
    assert!(
        error
            .message
            .starts_with("2027-04-02 is after the projection's start (2027-04-01)")
    );
    let mut json = minimal();
    json["line_assumptions"] =
        serde_json::json!({ "surgery": { "fixed_cost": true, "medical_inflation": [0.1] } });
    let error = file(json).assumptions().unwrap_err();
    assert_eq!(
        error.message,
        "surgery: a fixed cost does not inflate: give medical_inflation or fixed_cost, not both"
    );
}

#[test]
fn a_wrong_assumption_is_named() {
    let mut json = minimal();
    json["population"]["members"] = serde_json::json!([]);
    let error = file(json).assumptions().unwrap_err();
    assert_eq!(error.field, "population.members");
    let mut json = minimal();
    json["new_benefits"] = serde_json::json!([
        { "name": "x", "incidence_per_1000": 1.0, "per_claim_of": "surgery", "unit_cost": 1.0, "from": "2027-04-01" }
    ]);
    assert_eq!(file(json).assumptions().unwrap_err().field, "new_benefits");
    let mut json = minimal();
    json["loadings"] = serde_json::json!({ "expenses": [1.2] });
    let error = file(json).run().unwrap_err();
    assert_eq!(
        error.to_string(),
        "the base projection: expenses: 1.2 is out of range (0 to below 1)"
    );
    let mut json = minimal();
    json["projection"]["yeras"] = serde_json::json!(3);
    assert!(serde_json::from_value::<ProjectionFile>(json).is_err());
}

/// A study of 2025-04-01 to 2027-03-31 as `carepool experience` writes it: two lines and the
/// total, one-way tables and GLMs on age and sex, and cells over two periods and durations.
fn study() -> serde_json::Value {
    let level = |level: &str, incidence: f64, cost: Option<f64>| serde_json::json!({ "level": level, "incidence_relativity": incidence, "cost_relativity": cost });
    let coefficient = |term: Option<&str>, level: Option<&str>, relativity: f64| serde_json::json!({ "term": term, "level": level, "relativity": relativity });
    let cell = |period: &str, age: &str, sex: &str, duration: &str, exposure: f64| {
        serde_json::json!({ "period": period, "age": age, "sex": sex, "area": "rural",
            "duration": duration, "exposure": exposure, "claims": 1, "cost": "10.00" })
    };
    serde_json::json!({
        "settings": { "from": "2025-04-01", "to": "2027-03-31" },
        "summary": { "average_family_size": 4.25 },
        "base_table": [
            { "clinical_category": "surgical", "specialty": "cardiology", "incidence_per_1000": 1.1, "average_cost": "105000.50" },
            { "clinical_category": "maternity", "specialty": "obstetrics", "incidence_per_1000": 20.0, "average_cost": null },
            { "clinical_category": "total", "specialty": null, "incidence_per_1000": 21.1, "average_cost": "5000.00" }
        ],
        "relativities": [
            { "factor": "age", "base": "15-44", "levels": [level("0-14", 0.8, Some(0.7)), level("15-44", 1.0, Some(1.0))] },
            { "factor": "sex", "base": "M", "levels": [level("F", 1.3, None), level("M", 1.0, Some(1.0))] },
            { "factor": "duration", "base": "12-23m", "levels": [level("0-2m", 0.5, Some(1.0))] }
        ],
        "glm": {
            "frequency": { "coefficients": [
                coefficient(None, None, 0.2), coefficient(Some("age"), Some("0-14"), 0.75),
                coefficient(Some("sex"), Some("F"), 1.25)
            ] },
            "severity": { "coefficients": [
                coefficient(None, None, 900.0), coefficient(Some("age"), Some("0-14"), 0.6)
            ] }
        },
        "cells": [
            cell("2025", "0-14", "F", "0-2m", 10.0), cell("2026", "0-14", "F", "24m+", 20.0),
            cell("2025", "15-44", "M", "0-2m", 50.0), cell("2026", "15-44", "F", "24m+", 20.0),
            cell("2026", "45+", "M", "24m+", 0.0)
        ]
    })
}

/// Only the forward-looking assumptions.
fn forward_looking() -> serde_json::Value {
    serde_json::json!({
        "projection": { "start": "2027-04-01", "years": 2 },
        "population": { "members": [1000.0] }
    })
}

#[test]
fn a_study_gives_the_base_table_its_date_relativities_mix_and_family_size() {
    let mut f = file(forward_looking());
    f.take_experience(&study(), "study.json").unwrap();
    let lines = &f.base.lines;
    assert_eq!(lines.len(), 2, "the total left out");
    assert_eq!(lines[0].name, "surgical cardiology");
    assert_eq!(lines[0].average_cost, 105000.5);
    assert_eq!(
        lines[1].average_cost, 0.0,
        "a line without a cost adds nothing"
    );
    // 730 days, both ends included: the middle is a year in.
    assert_eq!(
        f.base.date,
        Some(NaiveDate::from_ymd_opt(2026, 4, 1).unwrap())
    );
    // The GLMs: frequency for incidence, severity for cost; a base level is 1.
    let age = &f.relativities.age;
    assert_eq!(
        age["0-14"],
        Relativity {
            incidence: 0.75,
            cost: 0.6
        }
    );
    assert_eq!(
        f.relativities.sex["F"],
        Relativity {
            incidence: 1.25,
            cost: 1.0
        }
    );
    assert!(f.relativities.area.is_empty());
    // Member-years by age, sex and area over periods and durations, as shares of 100; a cell
    // without member-years is left out.
    let cells: Vec<(String, f64)> = (f.population.cells.iter())
        .map(|c| (ProjectionFile::cell_name(c), c.base_share.unwrap()))
        .collect();
    assert_eq!(
        cells,
        [
            ("0-14 F rural".to_string(), 0.3),
            ("15-44 F rural".to_string(), 0.2),
            ("15-44 M rural".to_string(), 0.5)
        ]
    );
    assert_eq!(f.population.family_size, [4.25]);
    let a = f.assumptions().unwrap();
    assert!((a.base_to_start - 365.0 / 365.25).abs() < 1e-12);
    assert_eq!(a.base_mix, [0.3, 0.2, 0.5]);
    // No start or target shares: the mix stays the study's.
    assert_eq!(a.mix[1], a.base_mix);
    let sources = f.sources();
    assert_eq!(
        sources[0].source,
        "experience study study.json (2025-04-01 to 2027-03-31): 2 lines, as reported (the study gave no completion)"
    );
    assert_eq!(sources[2].source, "the study's frequency and severity GLMs");
    assert_eq!(sources[4].source, "the study's average family size: 4.25");
    f.run().unwrap();
}

/// A study that completed its recent months gives its lines completed.
#[test]
fn a_studys_completed_lines_are_taken_before_its_reported_ones() {
    let mut completed = study();
    completed["completion"] = serde_json::json!({ "valued_at": "2027-04-15" });
    completed["base_table"][0]["completed"] = serde_json::json!({
        "claims": 12.5, "cost": "1500000.00", "incidence_per_1000": 1.25, "average_cost": "120000.00"
    });
    let mut f = file(forward_looking());
    f.take_experience(&completed, "study.json").unwrap();
    let line = &f.base.lines[0];
    assert_eq!(
        (line.incidence_per_1000, line.average_cost),
        (1.25, 120000.0)
    );
    assert_eq!(
        f.base.lines[1].incidence_per_1000, 20.0,
        "a line without its completion as reported"
    );
    assert!(f.sources()[0].source.ends_with(
        "2 lines, recent months completed (its completion factors, valued on 2027-04-15)"
    ));
}

#[test]
fn the_studys_one_way_tables_may_give_the_relativities_and_the_file_the_shares_ahead() {
    let mut json = forward_looking();
    json["experience"] = serde_json::json!({ "relativities": "one_way" });
    json["population"]["family_size"] = serde_json::json!([5.0]);
    json["population"]["cells"] = serde_json::json!([
        { "age": "0-14", "sex": "F", "area": "rural", "start_share": 0.3, "target_share": 0.2 },
        { "age": "15-44", "sex": "F", "area": "rural", "start_share": 0.2, "target_share": 0.3 },
        { "age": "15-44", "sex": "M", "area": "rural", "start_share": 0.5, "target_share": 0.5 }
    ]);
    let mut f = file(json.clone());
    f.take_experience(&study(), "study.json").unwrap();
    // A level without a cost relativity (no claims) takes 1; duration is not a projection's
    // factor.
    assert_eq!(
        f.relativities.age["0-14"],
        Relativity {
            incidence: 0.8,
            cost: 0.7
        }
    );
    assert_eq!(
        f.relativities.sex["F"],
        Relativity {
            incidence: 1.3,
            cost: 1.0
        }
    );
    assert_eq!(f.population.family_size, [5.0], "the file's own");
    let a = f.assumptions().unwrap();
    assert_eq!(a.base_mix, [0.3, 0.2, 0.5]);
    assert_eq!(a.mix[1], [0.2, 0.3, 0.5]);
    assert!(
        f.sources()[3]
            .source
            .ends_with("the shares ahead (or members) from the assumptions file")
    );

    // A cell the study lacks, and a study cell the file leaves out, are named.
    let refused = |cells: serde_json::Value| {
        let mut json = json.clone();
        json["population"]["cells"] = cells;
        let error = file(json)
            .take_experience(&study(), "study.json")
            .unwrap_err();
        (error.field, error.message)
    };
    let (field, message) = refused(serde_json::json!([
        { "age": "65+", "sex": "F", "area": "rural", "start_share": 1.0 }
    ]));
    assert_eq!(field, "population.cells");
    assert!(
        message.starts_with("65+ F rural: not a cell of the experience study (study.json), whose cells are 0-14 F rural, "),
        "{message}"
    );
    let (_, message) = refused(serde_json::json!([
        { "age": "0-14", "sex": "F", "area": "rural", "start_share": 1.0 }
    ]));
    assert_eq!(
        message,
        "the experience study (study.json) has the cell 15-44 F rural: give its start and target shares too"
    );
    let (_, message) = refused(serde_json::json!([
        { "age": "0-14", "sex": "F", "area": "rural", "start_share": 0.3 },
        { "age": "0-14", "sex": "F", "area": "rural", "start_share": 0.2 }
    ]));
    assert_eq!(
        message,
        "0-14 F rural: given twice (cells 1 and 2, counting from 1)"
    );
    let (_, message) = refused(serde_json::json!([
        { "age": "0-14", "sex": "F", "area": "rural", "base_share": 0.3 }
    ]));
    assert!(
        message.contains("the base share comes from the experience study"),
        "{message}"
    );
}

#[test]
fn what_the_study_gives_is_left_out_of_the_file_and_a_study_without_a_glm_is_named() {
    let refused = |change: &dyn Fn(&mut serde_json::Value), study: serde_json::Value| {
        let mut json = forward_looking();
        change(&mut json);
        let error = file(json)
            .take_experience(&study, "study.json")
            .unwrap_err();
        format!("{}: {}", error.field, error.message)
    };
    assert_eq!(
        refused(
            &|j| j["base"] = serde_json::json!({ "date": "2026-01-01" }),
            study()
        ),
        "base.date: the experience study (study.json) gives the base date (the middle of the study's period); the file must not"
    );
    assert!(
        refused(
            &|j| j["relativities"] =
                serde_json::json!({ "age": { "0-14": { "incidence": 1.0, "cost": 1.0 } } }),
            study()
        )
        .ends_with("gives the relativities; the file must not")
    );
    let mut unfitted = study();
    unfitted["glm"]["severity"] = serde_json::Value::Null;
    assert_eq!(
        refused(&|_| {}, unfitted),
        "experience: study.json: the study's severity GLM was not fitted (its notes say why): take its one-way relativities (experience.relativities = \"one_way\")"
    );
    assert_eq!(
        refused(
            &|_| {},
            serde_json::json!({ "settings": { "from": "2025-01-01", "to": "2025-12-31" } })
        ),
        "experience: study.json: no base_table: is it an experience study's JSON?"
    );
}

/// A mutual's two lines blended with a regional table: each line by its own claims; a line
/// the region has and the mutual never claimed on is the region's; the weights show.
/// A small scheme's two lines, blended with a reference table that also has cardiology.
fn small_scheme_with_a_reference() -> serde_json::Value {
    let mut json = minimal();
    json["base"]["lines"] = serde_json::json!([
        { "name": "surgery", "incidence_per_1000": 4.0, "average_cost": 900.0, "claims": 100.0 },
        { "name": "maternity", "incidence_per_1000": 30.0, "average_cost": 500.0, "claims": 5000.0 }
    ]);
    json["credibility"] = serde_json::json!({
        "cost_cv": 1.0,
        "reference_lines": [
            { "name": "surgery", "incidence_per_1000": 2.0, "average_cost": 1200.0 },
            { "name": "maternity", "incidence_per_1000": 25.0, "average_cost": 450.0 },
            { "name": "cardiology", "incidence_per_1000": 1.0, "average_cost": 50000.0 }
        ]
    });
    json
}

#[test]
fn a_small_schemes_lines_are_blended_with_the_reference_by_credibility() {
    let json = small_scheme_with_a_reference();
    let f = file(json.clone());
    let blended = f.blended_lines().unwrap().unwrap();
    // 100 claims of the 1,082.2 needed at 90% within 5% (the cost's standard the same, CV 1).
    let z = (100.0
        / f.credibility
            .as_ref()
            .unwrap()
            .standard()
            .full_incidence_claims())
    .sqrt();
    assert!((blended[0].incidence_weight - z).abs() < 1e-12);
    assert!((blended[0].incidence - (z * 0.004 + (1.0 - z) * 0.002)).abs() < 1e-15);
    assert_eq!(blended[1].incidence_weight, 1.0, "past the standard");
    assert_eq!(blended[2].name, "cardiology");
    let a = f.assumptions().unwrap();
    assert_eq!(a.base.len(), 3);
    assert!((a.base[0].average_cost - (z * 900.0 + (1.0 - z) * 1200.0)).abs() < 1e-9);
    assert_eq!(a.base[2].average_cost, 50000.0);
    let credibility = &f.sources()[1];
    assert_eq!(credibility.input, "credibility");
    assert!(
        credibility.source.starts_with(
            "the base table blended with the reference given inline by limited-fluctuation credibility (90% within 5%"
        ),
        "{}",
        credibility.source
    );
    assert_eq!(credibility.said.words.id, "input-credibility-inline");

    // A line without its claims cannot be weighed.
    let mut no_claims = json.clone();
    no_claims["base"]["lines"][0]
        .as_object_mut()
        .unwrap()
        .remove("claims");
    let error = file(no_claims).assumptions().unwrap_err();
    assert_eq!(
        (error.field, error.message.as_str()),
        (
            "base.lines",
            "surgery: credibility weighs a line by its claims: give claims"
        )
    );
    let mut missing = json;
    missing["credibility"]["reference_lines"] = serde_json::json!([
        { "name": "surgery", "incidence_per_1000": 2.0, "average_cost": 1200.0 }
    ]);
    let error = file(missing).assumptions().unwrap_err();
    assert_eq!(error.field, "credibility");
    assert!(
        error
            .message
            .starts_with("line maternity: the reference table has no such line")
    );
}

/// A reform's JSON as `carepool reform` writes it: a line's claims paid on under both and its
/// factors.
fn reform_json(lines: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "scheme": "mho-kb", "from": "2025-01-01", "to": "2025-12-31", "lines": lines
    })
}

fn reform_line(
    name: &str,
    rules: u64,
    proposal: u64,
    factors: [Option<f64>; 2],
) -> serde_json::Value {
    serde_json::json!({
        "line": name,
        "rules": { "paid_on": rules }, "proposal": { "paid_on": proposal },
        "incidence_factor": factors[0], "average_cost_factor": factors[1]
    })
}

#[test]
fn a_reforms_factors_apply_to_the_lines_after_the_blend() {
    let json = small_scheme_with_a_reference();
    let blended = file(json.clone()).assumptions().unwrap().base;
    let mut f = file(json);
    let reform = reform_json(serde_json::json!([
        reform_line("surgery", 100, 110, [Some(1.1), Some(1.25)]),
        // Unchanged: may be missing from the base table.
        reform_line("dental", 40, 40, [Some(1.0), Some(1.0)]),
        // Refused whole under both: nothing to scale.
        reform_line("cosmetic", 0, 0, [None, None]),
    ]));
    f.reform = Some(ReformTaken::read(&reform, "reform.json").unwrap());
    let reformed = f.assumptions().unwrap().base;
    assert!((reformed[0].incidence - blended[0].incidence * 1.1).abs() < 1e-15);
    assert!((reformed[0].average_cost - blended[0].average_cost * 1.25).abs() < 1e-9);
    assert_eq!(
        reformed[1].incidence, blended[1].incidence,
        "maternity unchanged"
    );
    assert_eq!(reformed[1].average_cost, blended[1].average_cost);
    let source = &f.sources()[2];
    assert_eq!(
        (source.input, source.said.words.id.as_str()),
        ("reform", "input-reform")
    );
    assert!(
        source.source.ends_with("factors change 1 line"),
        "{}",
        source.source
    );

    // A changed line the base table lacks is named.
    let stranger = reform_json(serde_json::json!([reform_line(
        "dental",
        40,
        44,
        [Some(1.1), Some(1.0)]
    )]));
    f.reform = Some(ReformTaken::read(&stranger, "reform.json").unwrap());
    let error = f.assumptions().unwrap_err();
    assert_eq!(error.field, "reform");
    assert!(
        error
            .message
            .starts_with("reform.json: no line dental in the base table"),
        "{}",
        error.message
    );
}

#[test]
fn a_reform_that_makes_a_new_benefit_or_is_not_a_reform_is_refused() {
    let read = |json: serde_json::Value| ReformTaken::read(&json, "reform.json").unwrap_err();
    let error = read(reform_json(serde_json::json!([reform_line(
        "dental",
        0,
        12,
        [None, None]
    )])));
    assert_eq!(error.field, "reform");
    assert_eq!(
        error.message,
        "reform.json: line dental: the rules paid on none of its claims and the proposal pays on 12: a new benefit, which no factor scales; price it under [[new_benefits]]"
    );
    let error = read(serde_json::json!({ "base_table": [] }));
    assert_eq!(
        error.message,
        "reform.json: no lines: is it the JSON of carepool reform?"
    );
    let mut no_count = reform_json(serde_json::json!([reform_line(
        "surgery",
        1,
        1,
        [Some(1.0), Some(1.0)]
    )]));
    no_count["lines"][0]["rules"] = serde_json::json!({});
    assert_eq!(
        read(no_count).message,
        "reform.json: lines[0].rules.paid_on: not a count of claims: is it the JSON of carepool reform?"
    );
    let negative = reform_json(serde_json::json!([reform_line(
        "surgery",
        1,
        1,
        [Some(-1.0), Some(1.0)]
    )]));
    assert_eq!(
        read(negative).message,
        "reform.json: lines[0].incidence_factor: -1.0 is not a factor of 0 or more"
    );
}
