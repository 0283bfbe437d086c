//! A reform priced on the scheme's own claims: on a synthetic mutual whose hospital limit is
//! low enough for families to reach it, raising the limit by 20% changes only the claims that
//! were cut at the old limit, by the amounts computed here from the decisions recorded; and the
//! projection takes the reform's factors.

use super::{Cli, examples, on_postgres, on_sqlite};
use std::collections::{BTreeMap, HashMap};

/// The hospital limit of the scheme in the database, and the proposal's, 20% higher.
const OLD_LIMIT: &str = "20000";
const NEW_LIMIT: &str = "24000";

/// An amount as stored ("1174.40") in minor units.
fn minor(text: &str) -> i64 {
    let (units, cents) = text.split_once('.').unwrap_or((text, "00"));
    let sign = if units.starts_with('-') { -1 } else { 1 };
    units.parse::<i64>().unwrap() * 100 + sign * cents.parse::<i64>().unwrap()
}

/// The rows of an export, as maps from column name to value.
fn rows(csv_text: &str) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|record| {
            let record = record.unwrap();
            header
                .iter()
                .cloned()
                .zip(record.iter().map(String::from))
                .collect()
        })
        .collect()
}

/// The mutual's scheme with the hospital limit at `amount`.
fn mutual_with_hospital_limit(amount: &str) -> String {
    let scheme = std::fs::read_to_string(examples().join("mutual/scheme.toml")).unwrap();
    let old = r#"limit = { amount = "150000", per = "family" }"#;
    assert!(scheme.contains(old));
    scheme.replace(
        old,
        &format!(r#"limit = {{ amount = "{amount}", per = "family" }}"#),
    )
}

/// Each claim's approved amount under the hospital limit raised to [`NEW_LIMIT`], from the
/// decisions recorded under [`OLD_LIMIT`]: what each claim's hospital lines were allowed before
/// the limit (approved plus cut at the limit) is approved while the family's year has room.
fn approved_under_raised_limit(cli: &Cli) -> BTreeMap<String, Expected> {
    let claims = rows(&cli.ok(&["export", "claims"]));
    let lines = rows(&cli.ok(&["export", "claim_lines"]));
    let reasons = rows(&cli.ok(&["export", "claim_reasons"]));
    let mut hospital_lines: HashMap<(String, String), ()> = HashMap::new();
    let mut hospital_approved: HashMap<String, i64> = HashMap::new();
    for line in &lines {
        if line["benefit_category"] == "hospital" {
            let claim = line["claim_id"].clone();
            *hospital_approved.entry(claim.clone()).or_default() += minor(&line["approved"]);
            hospital_lines.insert((claim, line["line_no"].clone()), ());
        }
    }
    let mut cut_at_limit: HashMap<String, i64> = HashMap::new();
    for reason in &reasons {
        let key = (reason["claim_id"].clone(), reason["line_no"].clone());
        if reason["code"] == "annual_limit" && hospital_lines.contains_key(&key) {
            *cut_at_limit.entry(key.0).or_default() += minor(&reason["amount"]);
        }
    }
    // Each family's coverage year, its claims in the order received.
    let mut years: BTreeMap<(String, String), Vec<&HashMap<String, String>>> = BTreeMap::new();
    for claim in &claims {
        years
            .entry((
                claim["family_id"].clone(),
                claim["coverage_year_start"].clone(),
            ))
            .or_default()
            .push(claim);
    }
    let new_limit = minor(NEW_LIMIT);
    let mut expected = BTreeMap::new();
    for claims in years.values_mut() {
        claims.sort_by_key(|c| (c["received_date"].clone(), c["id"].clone()));
        let mut used = 0;
        for claim in claims.iter() {
            let id = &claim["id"];
            let before = hospital_approved.get(id).copied().unwrap_or(0);
            let cut = cut_at_limit.get(id).copied().unwrap_or(0);
            let hospital = (before + cut).min(new_limit - used).max(0);
            used += hospital;
            let approved = minor(&claim["approved"]);
            let claim = Expected {
                recorded: approved,
                raised: approved - before + hospital,
                cut_at_limit: cut > 0,
                incurred: claim["incurred_date"].clone(),
                of_a_family: !claim["family_id"].is_empty(),
            };
            expected.insert(id.clone(), claim);
        }
    }
    expected
}

/// A claim's approved amount as recorded and under the raised limit, whether it was cut at the
/// old limit, and its date of care.
struct Expected {
    recorded: i64,
    raised: i64,
    cut_at_limit: bool,
    incurred: String,
    /// Its member is known (the claims of an unknown member are no family's, and no reform's).
    of_a_family: bool,
}

/// The claims a reform's JSON lists as decided otherwise: approved under the rules and under
/// the proposal, by id.
fn changed_claims(reform: &serde_json::Value) -> BTreeMap<String, (i64, i64)> {
    let approved = |side: &serde_json::Value| minor(side["approved"].as_str().unwrap());
    (reform["changed"].as_array().unwrap().iter())
        .map(|c| {
            let id = c["claim"].as_str().unwrap().to_string();
            (id, (approved(&c["rules"]), approved(&c["proposal"])))
        })
        .collect()
}

/// The synthetic year of the mutual, as the commands take it.
const YEAR: [&str; 4] = ["--from", "2025-01-01", "--to", "2025-12-31"];

/// A synthetic year of 2,000 of the mutual's families under `scheme`, their claims judged and
/// paid month by month, into the story's database.
fn synth_the_mutuals_year(cli: &Cli, scheme: &str) {
    let settings = examples().join("mutual/synth.toml");
    let synth = [
        "synth",
        "--scheme",
        scheme,
        "--settings",
        settings.to_str().unwrap(),
        "--families",
        "2000",
        "--seed",
        "2",
        "--run-months",
    ];
    cli.ok(&[&synth[..], &YEAR].concat());
}

fn reform_story(cli: Cli) {
    let write = |name: &str, text: &str| std::fs::write(cli.dir.path().join(name), text).unwrap();
    let read = |name: &str| std::fs::read_to_string(cli.dir.path().join(name)).unwrap();
    let json = |name: &str| serde_json::from_str::<serde_json::Value>(&read(name)).unwrap();
    write("low.toml", &mutual_with_hospital_limit(OLD_LIMIT));
    write("raised.toml", &mutual_with_hospital_limit(NEW_LIMIT));
    std::fs::copy(
        examples().join("mutual/tariff.csv"),
        cli.dir.path().join("tariff.csv"),
    )
    .unwrap();
    synth_the_mutuals_year(&cli, "low.toml");
    let said = cli.ok(&[
        &["reform", "--scheme", "raised.toml", "--out", "reform.json"][..],
        &YEAR,
    ]
    .concat());
    assert!(said.contains("claims decided otherwise"), "{said}");
    assert!(said.contains("amounts in XOF"), "{said}");
    let reform = json("reform.json");
    assert_eq!(
        reform["differ_from_recorded"], 0,
        "the rules as stored give the decisions recorded"
    );

    let expected = approved_under_raised_limit(&cli);
    let changed = changed_claims(&reform);
    let expected_changed: BTreeMap<String, (i64, i64)> = expected
        .iter()
        .filter(|(_, claim)| claim.recorded != claim.raised)
        .map(|(id, claim)| (id.clone(), (claim.recorded, claim.raised)))
        .collect();
    assert!(
        expected_changed.len() >= 5,
        "{expected_changed:?}: too few claims reach the limit"
    );
    assert_eq!(changed, expected_changed);
    // Only claims that were cut at the old limit changed, and every one gained.
    for (id, (before, after)) in &changed {
        assert!(expected[id].cut_at_limit, "{id} was not cut at the limit");
        assert!(after > before, "{id}");
    }
    let total = &reform["total"];
    let gained: i64 = changed.values().map(|(before, after)| after - before).sum();
    assert_eq!(
        minor(total["proposal"]["approved"].as_str().unwrap())
            - minor(total["rules"]["approved"].as_str().unwrap()),
        gained
    );
    assert_eq!(total["changed_claims"], changed.len());
    // A raised limit pays more on the same claims: incidence unchanged.
    assert_eq!(total["incidence_factor"], 1.0);
    assert!(total["average_cost_factor"].as_f64().unwrap() > 1.0);
    let recorded: i64 = expected.values().map(|claim| claim.recorded).sum();
    assert_eq!(
        minor(total["rules"]["approved"].as_str().unwrap()),
        recorded
    );

    // The second half of the year: the first half's claims are judged for the limits they
    // used, uncounted, so the half's claims change as they did in the whole year.
    let half = ["--from", "2025-07-01", "--to", "2025-12-31"];
    cli.ok(&[
        &["reform", "--scheme", "raised.toml", "--out", "half.json"][..],
        &half,
    ]
    .concat());
    let second_half = json("half.json");
    assert_eq!(second_half["differ_from_recorded"], 0);
    let in_half = |claim: &Expected| claim.of_a_family && claim.incurred.as_str() >= "2025-07-01";
    let claims_in_half = expected.values().filter(|claim| in_half(claim)).count();
    assert_eq!(second_half["total"]["rules"]["claims"], claims_in_half);
    assert!(second_half["claims_judged"].as_u64().unwrap() > claims_in_half as u64);
    let expected_in_half: BTreeMap<String, (i64, i64)> = expected_changed
        .iter()
        .filter(|(id, _)| in_half(&expected[*id]))
        .map(|(id, amounts)| (id.clone(), *amounts))
        .collect();
    assert!(!expected_in_half.is_empty());
    assert_eq!(changed_claims(&second_half), expected_in_half);

    // Every format; nothing written to the database.
    let before = cli.export_all();
    for out in ["reform.csv", "reform.xlsx", "reform.html"] {
        cli.ok(&[
            &["reform", "--scheme", "raised.toml", "--out", out][..],
            &YEAR,
        ]
        .concat());
    }
    assert!(read("reform.html").contains("Claims the proposal decides otherwise"));
    assert_eq!(cli.export_all(), before);

    // The projection takes the factors: each line's average cost times its factor.
    cli.ok(&[&["experience", "--out", "experience.json"][..], &YEAR].concat());
    write(
        "ahead.toml",
        "[projection]\nstart = 2026-07-01\nyears = 2\n\n[trends]\nmedical_inflation = [0.05]\n\n[population]\nmembers = [11000, 11500]\n\n[loadings]\nexpenses = [0.1]\n",
    );
    let project = |extra: &[&str], out: &str| {
        cli.ok(&[
            &[
                "project",
                "--assumptions",
                "ahead.toml",
                "--experience",
                "experience.json",
                "--out",
                out,
            ][..],
            extra,
        ]
        .concat())
    };
    project(&[], "plain.json");
    let said = project(&["--reform", "reform.json"], "reformed.json");
    assert!(
        said.contains("with the reform reform.json (scheme mho-kb"),
        "{said}"
    );
    let (plain, reformed) = (json("plain.json"), json("reformed.json"));
    let lines = |projected: &serde_json::Value| -> BTreeMap<String, (f64, f64)> {
        projected["base"]["carried_to_start"]["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| {
                let number = |v: &serde_json::Value| {
                    v.as_f64()
                        .or_else(|| v.as_str().and_then(|t| t.parse().ok()))
                        .unwrap()
                };
                (
                    l["name"].as_str().unwrap().to_string(),
                    (number(&l["incidence"]), number(&l["average_cost"])),
                )
            })
            .collect()
    };
    let (plain_lines, reformed_lines) = (lines(&plain), lines(&reformed));
    for line in reform["lines"].as_array().unwrap() {
        let name = line["line"].as_str().unwrap();
        let (incidence, cost) = (
            line["incidence_factor"].as_f64().unwrap(),
            line["average_cost_factor"].as_f64().unwrap(),
        );
        let ((i0, c0), (i1, c1)) = (plain_lines[name], reformed_lines[name]);
        assert!((i1 - i0 * incidence).abs() <= 1e-9 * i0, "{name}");
        // Amounts are written to the cent.
        assert!(
            (c1 - c0 * cost).abs() <= 0.01,
            "{name}: {c1} against {c0} × {cost}"
        );
    }
    assert!(read("reformed.json").contains("raised.toml judged against scheme mho-kb's claims"));
    // The reform's currency is the projection's when the assumptions give none, and must be
    // theirs when they give one.
    assert!(said.contains("amounts in XOF"), "{said}");
    write(
        "ahead_inr.toml",
        &format!("currency = \"INR\"\n{}", read("ahead.toml")),
    );
    let error = cli.fails(&[
        "project",
        "--assumptions",
        "ahead_inr.toml",
        "--experience",
        "experience.json",
        "--reform",
        "reform.json",
        "--out",
        "bad.json",
    ]);
    assert!(
        error.contains("reform.json: the reform's amounts are in XOF, the assumptions' in INR"),
        "{error}"
    );

    // A proposal for a scheme not in the database or in another currency, a period that ends
    // before it starts, and a reform without a line of the base table, are refused and say why.
    let refused = |name: &str, from: &str, to: &str| {
        write(name, &read("raised.toml").replace(from, to));
        cli.fails(
            &[
                &["reform", "--scheme", name, "--out", "bad.json"][..],
                &YEAR,
            ]
            .concat(),
        )
    };
    let error = refused("other.toml", "code = \"mho-kb\"", "code = \"mho-xx\"");
    assert!(error.contains("no scheme 'mho-xx' is loaded"), "{error}");
    let error = refused("francs.toml", "currency = \"XOF\"", "currency = \"XAF\"");
    assert!(
        error.contains("the proposal francs.toml")
            && error.contains("scheme mho-kb keeps its amounts in XOF; the proposal's are in XAF"),
        "{error}"
    );
    let error = cli.fails(&[
        "reform",
        "--scheme",
        "raised.toml",
        "--from",
        "2025-12-31",
        "--to",
        "2025-01-01",
        "--out",
        "bad.json",
    ]);
    assert!(
        error.contains("--to: 2025-01-01 is before --from, 2025-12-31"),
        "{error}"
    );
    let error = cli.fails(&[
        "reform",
        "--scheme",
        "raised.toml",
        "--from",
        "2024-01-01",
        "--to",
        "2024-12-31",
        "--out",
        "bad.json",
    ]);
    assert!(
        error.contains(
            "no claim of scheme mho-kb was incurred from 2024-01-01 to 2024-12-31: nothing to price"
        ),
        "{error}"
    );
    assert!(!cli.dir.path().join("bad.json").exists());
    let mut stranger = reform.clone();
    // A line the reform changes (one it leaves alone may be missing).
    let changed_line = (reform["lines"].as_array().unwrap().iter())
        .position(|line| line["changed_claims"] != 0)
        .unwrap();
    stranger["lines"][changed_line]["line"] = "dental".into();
    write("stranger.json", &stranger.to_string());
    let error = cli.fails(&[
        "project",
        "--assumptions",
        "ahead.toml",
        "--experience",
        "experience.json",
        "--reform",
        "stranger.json",
        "--out",
        "bad.json",
    ]);
    assert!(
        error.contains("no line dental in the base table"),
        "{error}"
    );
}

#[test]
fn reform_story_on_sqlite() {
    on_sqlite(reform_story);
}

#[test]
fn reform_story_on_postgres() {
    on_postgres(reform_story);
}

/// docs/PROJECTION.md, "From the database to a premium": a synthetic mutual's year of claims,
/// its experience study on the extracts (its recent months completed), the reform of
/// examples/mutual/reform.toml priced on its claims, and the premium with both; the figures
/// the docs quote.
#[test]
fn the_worked_example_from_the_database_is_reproduced() {
    let cli = Cli {
        db: "sqlite://koumbia.db".into(),
        dir: tempfile::tempdir().unwrap(),
    };
    let read = |name: &str| std::fs::read_to_string(cli.dir.path().join(name)).unwrap();
    let json = |name: &str| serde_json::from_str::<serde_json::Value>(&read(name)).unwrap();
    let example = |name: &str| examples().join(name).to_str().unwrap().to_string();
    synth_the_mutuals_year(&cli, &example("mutual/scheme.toml"));
    let kinds = [
        "members",
        "coverage",
        "families",
        "locations",
        "providers",
        "claims",
    ];
    let mut study = vec!["experience".to_string()];
    for kind in kinds {
        let file = format!("koumbia-{kind}.csv");
        cli.ok(&["export", kind, "--out", &file]);
        study.extend([format!("--{kind}"), file]);
    }
    study.extend(YEAR.iter().map(|a| a.to_string()));
    study.extend(["--out".into(), "koumbia-experience.json".into()]);
    cli.ok(&study.iter().map(String::as_str).collect::<Vec<_>>());
    let reform = example("mutual/reform.toml");
    let said = cli.ok(&[
        &[
            "reform",
            "--scheme",
            &reform,
            "--out",
            "koumbia-reform.json",
        ][..],
        &YEAR,
    ]
    .concat());
    assert!(
        said.starts_with("6,963 claims of 2025-01-01 to 2025-12-31: approved 14,756,469.60 under the rules, 15,122,870.80 under the proposal; 288 claims decided otherwise; incidence factor 1.0107, average cost factor 1.0139; amounts in XOF"),
        "{said}"
    );
    let priced = json("koumbia-reform.json");
    assert_eq!(priced["differ_from_recorded"], 0);
    let factors: Vec<(String, f64, f64)> = (priced["lines"].as_array().unwrap().iter())
        .map(|l| {
            (
                l["line"].as_str().unwrap().to_string(),
                l["incidence_factor"].as_f64().unwrap(),
                l["average_cost_factor"].as_f64().unwrap(),
            )
        })
        .collect();
    // The hospital co-payment from 20% to 10%: the scheme pays 90% of what it paid 80% of.
    assert_eq!(factors[1], ("medical internal_medicine".into(), 1.0, 1.125));
    assert_eq!(factors[3], ("surgical general_surgery".into(), 1.0, 1.125));
    // The longer grace period: 55 and 15 more claims paid on, of 4,764 and 1,541.
    assert_eq!(factors[0].1, 4819.0 / 4764.0);
    assert_eq!(factors[2].1, 1556.0 / 1541.0);

    let premium = |extra: &[&str], out: &str| {
        let assumptions = example("projection/from-experience.toml");
        let args = [
            &[
                "project",
                "--assumptions",
                &assumptions,
                "--experience",
                "koumbia-experience.json",
                "--out",
                out,
            ][..],
            extra,
        ]
        .concat();
        cli.ok(&args)
    };
    let plain = premium(&[], "koumbia-plain.json");
    assert!(
        plain.starts_with("level premium 3,413.71 per member (13,743.89 per family) over 3 years"),
        "{plain}"
    );
    let said = premium(&["--reform", "koumbia-reform.json"], "koumbia-premium.json");
    assert!(
        said.starts_with("level premium 3,502.26 per member (14,100.38 per family) over 3 years; stress tests 3,502.26 to 4,702.19 (14,100.38 to 18,931.42 per family)"),
        "{said}"
    );
    let projected = json("koumbia-premium.json");
    assert_eq!(
        projected["inputs"][0]["source"],
        "experience study koumbia-experience.json (2025-01-01 to 2025-12-31): 4 lines, recent months completed (its completion factors, valued on 2025-12-31)"
    );
    assert_eq!(projected["inputs"][1]["input"], "reform");
    let study = json("koumbia-experience.json");
    let general_practice = &study["base_table"][0];
    assert_eq!(general_practice["claims"], 4764);
    assert_eq!(general_practice["average_cost"], "2215.61");
    assert_eq!(general_practice["completed"]["average_cost"], "2228.00");
    let december = &study["completion"]["months"][11];
    assert_eq!(december["month"], "2025-12");
    assert_eq!(december["claims"], 252);
    assert_eq!(
        format!("{:.2}", december["claims_factor"].as_f64().unwrap()),
        "3.53"
    );
}
