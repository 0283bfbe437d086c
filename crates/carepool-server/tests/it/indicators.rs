//! The indicators on the live database through the API, on the small registry of the shared
//! story: four members covered from 1 April 2025 (one pending) in two families, each family's
//! yearly government contribution, and two stays; counted by hand by quarter.

use crate::claims::{PageRead, death_at_first_page, meddling};
use crate::reserve::stay;
use crate::support::{Harness, load_registry};
use axum::http::StatusCode;
use carepool_core::access::Role;
use carepool_service::Registry;
use carepool_service::indicators::IndicatorOptions;
use carepool_service::scope::Scope;
use serde_json::{Value, json};

fn close(value: &Value, want: f64) {
    let got = value.as_f64().unwrap_or(f64::NAN);
    assert!((got - want).abs() < 1e-9, "{got} against {want}");
}

/// One figure of each period: `group.field`.
fn each(found: &Value, group: &str, field: &str) -> Vec<Value> {
    (found["periods"].as_array().unwrap().iter())
        .map(|p| p[group][field].clone())
        .collect()
}

const QUARTERS: &str = "/api/indicators?from=2025-04-01&to=2025-12-31&by=quarter";

pub async fn indicators_on_the_live_database(h: Harness) {
    load_registry(&h).await;
    let claims = json!([
        stay("I1", "M1", "2025-06-10", "2025-06-20"),
        stay("I2", "M4", "2025-07-05", "2025-07-20"),
    ]);
    let (status, body) = h.call("POST", "/api/claims", Some(claims)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, found) = h.call("GET", QUARTERS, None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["by"], "quarter");
    assert_eq!(found["currency"], "INR");
    assert_eq!(found["periods"].as_array().unwrap().len(), 3);
    // M1, M2 and M4 active from 1 April, M3 pending; M5 never covered.
    assert_eq!(each(&found, "membership", "members"), [3, 3, 3]);
    assert_eq!(each(&found, "membership", "pending"), [1, 1, 1]);
    assert_eq!(each(&found, "membership", "families"), [2, 2, 2]);
    assert_eq!(each(&found, "membership", "women"), [2, 2, 2]);
    assert_eq!(each(&found, "membership", "new_members"), [4, 0, 0]);
    assert_eq!(each(&found, "membership", "exits"), [0, 0, 0]);
    let growth = each(&found, "membership", "growth_ratio");
    assert_eq!(growth[0], Value::Null, "nobody was covered before April");
    close(&growth[1], 0.0);
    assert_eq!(each(&found, "membership", "renewal_ratio")[0], Value::Null);
    close(
        &found["periods"][0]["membership"]["exposure"],
        3.0 * 91.0 / 365.0,
    );
    // Each family owes 750.00 a year from its first day of cover, paid on 1 May.
    assert_eq!(
        each(&found, "contributions", "due"),
        ["1500.00", "0.00", "0.00"]
    );
    assert_eq!(
        each(&found, "contributions", "collected"),
        ["1500.00", "0.00", "0.00"]
    );
    assert_eq!(each(&found, "contributions", "arrears"), ["0.00"; 3]);
    assert_eq!(
        each(&found, "contributions", "collection_rate"),
        [json!(1.0), Value::Null, Value::Null]
    );
    // 750.00 over the 365 days from 1 April 2025, for each family: 91 days, then 92 and 92.
    assert_eq!(
        each(&found, "finance", "earned_premium"),
        ["373.96", "378.08", "378.08"]
    );
    assert_eq!(each(&found, "claims", "received"), [1, 1, 0]);
    assert_eq!(each(&found, "claims", "incurred"), [1, 1, 0]);
    assert_eq!(each(&found, "claims", "stays"), [1, 1, 0]);
    close(
        &found["periods"][0]["claims"]["average_length_of_stay"],
        1.0,
    );
    close(
        &found["periods"][0]["claims"]["incidence_per_1000"],
        1000.0 / (3.0 * 91.0 / 365.0),
    );
    let definitions = found["definitions"].as_array().unwrap();
    assert!(
        definitions
            .iter()
            .any(|d| d["name"] == "finance.earned_premium"),
        "each indicator carries its definition"
    );

    // The books: an expense in May, balances at the end of June.
    for (month, kind, category, amount) in [
        ("2025-05", "expense", "staff", "100.00"),
        ("2025-06", "asset", "term deposit", "900.00"),
        ("2025-06", "liquid_asset", "cash", "600.00"),
        (
            "2025-06",
            "short_term_liability",
            "claims payable",
            "300.00",
        ),
    ] {
        let line = json!({ "scheme": "pip", "month": month, "kind": kind, "category": category, "amount": amount });
        let (status, body) = h.call("POST", "/api/ledger", Some(line)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    for (line, field) in [
        (
            json!({ "scheme": "pip", "month": "2025-13", "kind": "expense", "category": "staff", "amount": "1.00" }),
            "month",
        ),
        (
            json!({ "scheme": "pip", "month": "2025-07", "kind": "expense", "category": "staff", "amount": "-1.00" }),
            "amount",
        ),
        (
            json!({ "scheme": "pip", "month": "2025-07", "kind": "income", "category": "staff", "amount": "1.00" }),
            "kind",
        ),
        (
            json!({ "scheme": "nhi-x", "month": "2025-07", "kind": "expense", "category": "staff", "amount": "1.00" }),
            "scheme",
        ),
    ] {
        let (status, body) = h.call("POST", "/api/ledger", Some(line)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    let (status, found) = h.call("GET", QUARTERS, None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        each(&found, "finance", "expenses"),
        [json!("100.00"), Value::Null, Value::Null],
        "the books hold nothing for the months of the later quarters"
    );
    close(
        &found["periods"][0]["finance"]["expense_ratio"],
        100.0 / 373.96,
    );
    assert_eq!(
        each(&found, "finance", "assets"),
        [json!("1500.00"), Value::Null, Value::Null]
    );
    assert_eq!(each(&found, "finance", "liabilities")[0], "300.00");
    close(&found["periods"][0]["finance"]["solvency_ratio"], 5.0);
    close(&found["periods"][0]["finance"]["liquidity_ratio"], 2.0);

    // The people to cover: the district's target counts its village's.
    for (location, year, population) in [("D1", 2025, 10), ("V1", 2025, 4), ("V1", 2024, 3)] {
        let target = json!({ "location_code": location, "year": year, "population": population });
        let (status, body) = h.call("POST", "/api/target_population", Some(target)).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    for (target, field) in [
        (
            json!({ "location_code": "V1", "year": 2026, "population": -1 }),
            "population",
        ),
        (
            json!({ "location_code": "V1", "year": 99_999, "population": 1 }),
            "year",
        ),
        (
            json!({ "location_code": "V9", "year": 2026, "population": 1 }),
            "location_code",
        ),
    ] {
        let (status, body) = h.call("POST", "/api/target_population", Some(target)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["error"]["field"], field, "{body}");
    }
    let (status, found) = h.call("GET", QUARTERS, None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(
        each(&found, "membership", "target_population"),
        [10, 10, 10]
    );
    close(&found["periods"][0]["membership"]["coverage_ratio"], 0.3);

    // One village: the family there, its members and its claims only.
    let (status, village) = h
        .call("GET", &format!("{QUARTERS}&district=V1"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{village}");
    assert_eq!(each(&village, "membership", "members"), [2, 2, 2]);
    assert_eq!(each(&village, "membership", "families"), [1, 1, 1]);
    assert_eq!(each(&village, "claims", "received"), [1, 0, 0]);
    assert_eq!(each(&village, "membership", "target_population"), [4, 4, 4]);
    close(&village["periods"][0]["membership"]["coverage_ratio"], 0.5);
    assert_eq!(
        each(&village, "finance", "expenses"),
        [Value::Null, Value::Null, Value::Null],
        "the books are the whole scheme's"
    );
    // A manager bound to that village sees the same, and nothing of the other.
    let token = h
        .user_token("village-manager", Role::Manager, &["V1"], None)
        .await;
    let app = carepool_server::router(h.registry.clone());
    let (status, scoped) =
        crate::support::call_app(app.clone(), Some(&token), "GET", QUARTERS, None).await;
    assert_eq!(status, StatusCode::OK, "{scoped}");
    assert_eq!(scoped["periods"], village["periods"]);
    let (status, refused) = crate::support::call_app(
        app,
        Some(&token),
        "GET",
        &format!("{QUARTERS}&district=V2"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"]["field"], "district");

    // Paid as a payment run would (the harness's clock is today's, so a run of 2025 cannot be
    // made): 7 days from receipt to payment, then 31, at the edges of two bands.
    h.execute_behind_the_store(
        "UPDATE claims SET status = 'paid', paid = approved, decided_date = '2025-06-22', paid_date = '2025-06-27' WHERE id = 'H1/I1'",
    )
    .await;
    h.execute_behind_the_store(
        "UPDATE claims SET status = 'paid', paid = approved, decided_date = '2025-07-25', paid_date = '2025-08-20' WHERE id = 'H1/I2'",
    )
    .await;
    let (status, found) = h.call("GET", QUARTERS, None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(each(&found, "claims", "decided"), [1, 1, 0]);
    assert_eq!(each(&found, "claims", "paid"), [1, 1, 0]);
    let promptness = each(&found, "claims", "promptness");
    assert_eq!(promptness[0]["up_to_7_days"], 1, "{promptness:?}");
    assert_eq!(promptness[1]["up_to_90_days"], 1, "{promptness:?}");
    let (_, claim) = h.call("GET", "/api/claims/H1/I1", None).await;
    assert_eq!(
        each(&found, "finance", "claims_paid")[0],
        claim["approved"],
        "{claim}"
    );

    // Wrong parameters are named.
    for (query, field) in [
        ("by=week", "by"),
        ("from=2025-13-01", "from"),
        ("from=2025-06-01&to=2025-05-31", "to"),
        ("scheme=nhi-x", "scheme"),
        ("provider=H9", "provider"),
        ("colour=red", "colour"),
        ("from=1990-01-01&to=2025-12-31", "from"),
    ] {
        let (status, body) = h
            .call("GET", &format!("/api/indicators?{query}"), None)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
}

/// A premium basis assuming one stay per 1,000 member-years: of the pip scheme's three
/// members, that is hardly a claim in a century.
fn basis(start: &str, currency: &str) -> Value {
    json!({
        "currency": currency,
        "base": { "date": "2025-01-01", "lines": [
            { "name": "surgical general_surgery", "incidence_per_1000": 1.0, "average_cost": 1000.0 },
        ] },
        "projection": { "start": start, "years": 1 },
        "population": { "members": [3.0], "family_size": [1.5] },
    })
}

/// The early warning through the API: a premium basis registered once (and never rewritten),
/// then a stay in each of June, July and August 2025 against it: three months above the band,
/// an open warning at the end of August that has ended by the end of September.
pub async fn an_early_warning_on_the_live_database(h: Harness) {
    load_registry(&h).await;
    let claims = json!([
        stay("W1", "M1", "2025-06-10", "2025-06-20"),
        stay("W2", "M4", "2025-07-05", "2025-07-20"),
        stay("W3", "M2", "2025-08-03", "2025-08-12"),
    ]);
    let (status, body) = h.call("POST", "/api/claims", Some(claims)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let to_august = "/api/indicators?from=2025-04-01&to=2025-08-31";
    let (status, found) = h.call("GET", to_august, None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["early_warning"]["not_watched"], "no_premium_basis");

    // Registered by the actuary; the same again changes nothing; history is never rewritten.
    let bases = "/api/premium-bases/pip";
    let (status, body) = h
        .call("POST", bases, Some(basis("2025-04-01", "INR")))
        .await;
    assert_eq!(
        (status, &body["outcome"]),
        (StatusCode::OK, &json!("added")),
        "{body}"
    );
    let (status, body) = h
        .call("POST", bases, Some(basis("2025-04-01", "INR")))
        .await;
    assert_eq!(
        (status, &body["outcome"]),
        (StatusCode::OK, &json!("unchanged")),
        "{body}"
    );
    let mut changed = basis("2025-04-01", "INR");
    changed["base"]["lines"][0]["incidence_per_1000"] = json!(2.0);
    for refused in [changed, basis("2025-03-01", "INR")] {
        let (status, body) = h.call("POST", bases, Some(refused)).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
    }
    let mut no_lines = basis("2025-05-01", "INR");
    no_lines["base"]["lines"] = json!([]);
    let mut no_projection = basis("2025-05-01", "INR");
    no_projection.as_object_mut().unwrap().remove("projection");
    for (path, body, field) in [
        (bases, basis("2025-05-01", "XOF"), "currency"),
        (bases, no_lines, "base.lines"),
        (bases, no_projection, "projection"),
        (
            "/api/premium-bases/nhi-x",
            basis("2025-05-01", "INR"),
            "scheme",
        ),
    ] {
        let (status, answer) = h.call("POST", path, Some(body)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["field"], field, "{answer}");
    }
    let (status, refused) = h
        .call_as(
            Role::Manager,
            "POST",
            bases,
            Some(basis("2025-05-01", "INR")),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    let (status, listed) = h.call("GET", bases, None).await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let registered = listed["bases"].as_array().unwrap();
    assert_eq!(registered.len(), 1, "{listed}");
    assert_eq!(registered[0]["effective_from"], "2025-04-01");
    assert_eq!(registered[0]["registered_by"], "actuary");
    let (_, trail) = h.call("GET", "/api/audit?table=premium_bases", None).await;
    let records = trail["items"].as_array().unwrap();
    assert_eq!(records.len(), 1, "{trail}");
    assert_eq!(records[0]["action"], "register_premium_basis");

    // Three months in a row above the band, the last one the last watched: open.
    let (status, found) = h.call("GET", to_august, None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    let watch = &found["early_warning"];
    assert_eq!(watch["scheme"], "pip");
    assert_eq!(watch["bases"], json!(["2025-04-01"]));
    assert_eq!(watch["months_checked"].as_array().unwrap().len(), 5);
    assert_eq!(watch["lines"], json!(["surgical general_surgery", "total"]));
    let warnings = watch["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 2, "{watch}");
    for warning in warnings {
        assert_eq!(warning["measure"], "incidence_per_1000");
        assert_eq!(warning["side"], "above");
        assert_eq!(warning["open"], true);
        let months: Vec<&Value> = (warning["months"].as_array().unwrap().iter())
            .map(|m| &m["month"])
            .collect();
        assert_eq!(months, ["2025-06-01", "2025-07-01", "2025-08-01"]);
        close(&warning["months"][0]["expected"], 1.0);
        // One stay among three members over June's 30 days.
        close(
            &warning["months"][0]["observed"],
            1000.0 / (3.0 * 30.0 / 365.0),
        );
    }
    let (_, patient) = h
        .call("GET", &format!("{to_august}&warn_after=4"), None)
        .await;
    assert_eq!(patient["early_warning"]["warnings"], json!([]));
    // A facility's claims say nothing of the premium.
    let (_, facility) = h
        .call("GET", &format!("{to_august}&provider=H1"), None)
        .await;
    assert_eq!(facility["early_warning"]["not_watched"], "one_facility");

    // The warnings open: at the end of August both; by the end of September, a month without
    // a stay has ended the run.
    let (status, open) = h
        .call_as(Role::Manager, "GET", "/api/warnings?to=2025-08-31", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{open}");
    assert_eq!(open["from"], "2023-09-01");
    assert_eq!(open["warnings"].as_array().unwrap().len(), 2, "{open}");
    let (_, later) = h.call("GET", "/api/warnings?to=2025-09-30", None).await;
    assert_eq!(later["warnings"], json!([]), "{later}");
    for (query, field) in [
        ("warn_after=0", "warn_after"),
        ("warn_after=13", "warn_after"),
        ("warn_after=three", "warn_after"),
        ("from=2025-01-01", "from"),
        ("scheme=nhi-x", "scheme"),
    ] {
        let (status, body) = h.call("GET", &format!("/api/warnings?{query}"), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
}

/// Provider benchmarking through the API: the claims of the care asked, counted per facility
/// with their members; a district-bound manager sees the facilities of their districts only;
/// every wrong parameter is named.
pub async fn provider_benchmark_on_the_live_database(h: Harness) {
    load_registry(&h).await;
    let claims = json!([
        stay("B1", "M1", "2025-06-10", "2025-06-20"),
        stay("B2", "M1", "2025-07-05", "2025-07-20"),
        stay("B3", "M4", "2025-08-03", "2025-08-12"),
        // Care after the last day asked is not counted.
        stay("B4", "M4", "2025-10-03", "2025-10-12"),
    ]);
    let (status, body) = h.call("POST", "/api/claims", Some(claims)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let path = "/api/provider-benchmark?from=2025-04-01&to=2025-09-30";
    let (status, found) = h.call("GET", path, None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["false_discovery_rate"], 0.05);
    assert_eq!(found["currency"], "INR");
    let facilities = found["facilities"].as_array().unwrap();
    let codes: Vec<&Value> = facilities.iter().map(|f| &f["facility"]).collect();
    assert_eq!(codes, ["H1", "H2"]);
    let h1 = &facilities[0];
    assert_eq!(h1["level"], "district_hospital");
    assert_eq!(
        (h1["claims"].as_u64(), h1["members"].as_u64()),
        (Some(3), Some(2))
    );
    close(&h1["claims_per_member"], 1.5);
    // One hospital has no peers to be compared with: nothing is tested, nothing flagged.
    assert_eq!(h1["cost_per_case"], Value::Null);
    assert_eq!(h1["flags"], json!([]));
    assert_eq!(facilities[1]["claims"], 0);
    assert_eq!(found["funnels"].as_array().unwrap().len(), 6);

    // A manager bound to the village of the clinic sees it alone; a district narrows alike.
    let token = h
        .user_token("clinic-manager", Role::Manager, &["V1"], None)
        .await;
    let app = carepool_server::router(h.registry.clone());
    let (status, scoped) = crate::support::call_app(app, Some(&token), "GET", path, None).await;
    assert_eq!(status, StatusCode::OK, "{scoped}");
    let scoped: Vec<&Value> = (scoped["facilities"].as_array().unwrap().iter())
        .map(|f| &f["facility"])
        .collect();
    assert_eq!(scoped, ["H2"]);
    let (_, town) = h.call("GET", &format!("{path}&district=V2"), None).await;
    assert_eq!(town["facilities"].as_array().unwrap().len(), 1, "{town}");
    assert_eq!(town["facilities"][0]["facility"], "H1");

    for (query, field) in [
        ("from=2025-13-01", "from"),
        ("from=2025-06-01&to=2025-05-31", "to"),
        ("district=X9", "district"),
        ("provider=H1", "provider"),
    ] {
        let (status, body) = h
            .call("GET", &format!("/api/provider-benchmark?{query}"), None)
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert_eq!(body["error"]["field"], field, "{query}: {body}");
    }
    let (status, _) = h.call_as(Role::ClaimsOfficer, "GET", path, None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

/// The example mutual's generator settings with nothing that moves its rates but enrolment: no
/// exits or deaths, every relativity 1, no age limit on a line, no duration effect, no planted
/// behaviour, every contribution paid on time (a suspension's claims would be refused while its
/// members still count).
fn steady_mutual() -> carepool_synth::SynthConfig {
    let text = std::fs::read_to_string(crate::support::example("mutual/synth.toml")).unwrap();
    let mut config: carepool_synth::SynthConfig = toml::from_str(&text).unwrap();
    let defaults = carepool_synth::SynthConfig::default();
    config.growth.initial_share = defaults.growth.initial_share;
    config.growth.monthly_growth = defaults.growth.monthly_growth;
    config.delays.late_contribution_share = 0.0;
    config.delays.unpaid_contribution_share = 0.0;
    config.steady()
}

/// The indicators count the database as it stood when they began: a member who dies while
/// their pages are read (another writer, just before the first page's members are read) is
/// counted alive, as before the death; the next count has the death.
pub async fn indicators_count_the_database_as_it_stood_when_they_began(h: Harness) {
    load_registry(&h).await;
    let options = IndicatorOptions {
        from: Some("2025-01-01".parse().unwrap()),
        to: Some("2025-12-31".parse().unwrap()),
        by: Some("quarter".into()),
        ..IndicatorOptions::default()
    };
    let today = "2026-01-15".parse().unwrap();
    let count = async |registry: &Registry| {
        let found = registry.indicators(&options, &Scope::National, today);
        serde_json::to_value(found.await.unwrap()).unwrap()
    };
    let before = count(&h.registry).await;
    let meddled = meddling(
        &h,
        death_at_first_page(&h, "M1", "2025-06-30", PageRead::Range).await,
    );
    let during = count(&meddled).await;
    assert!(
        during == before,
        "counted as the database stood when they began: exits {:?} against {:?}",
        each(&during, "membership", "exits"),
        each(&before, "membership", "exits")
    );
    let after = count(&h.registry).await;
    assert_ne!(
        each(&after, "membership", "exits"),
        each(&before, "membership", "exits"),
        "the death, committed, counts next time"
    );
}

/// The indicators read families a page of 5,000 at a time: with 10,000 families (the story's
/// three, then 9,997 more in the market town, whose ids sort after), the last page is exactly
/// full and is followed by an empty one, and asked for the fishers' village, the second page
/// holds none of its families. Every family is counted once.
pub async fn indicators_count_every_page_of_families(h: Harness) {
    load_registry(&h).await;
    let extra = 9_997;
    let mut families = String::from("id,scheme,location_code,poverty_score,household_id\n");
    let mut members = String::from(
        "id,family_id,name,relationship,sex,birth_date,national_id,categories,monthly_wage,status,status_since\n",
    );
    let mut coverage = String::from("member_id,start_date,end_date,package\n");
    for n in 1..=extra {
        families.push_str(&format!("G{n:05},pip,V2,30,\n"));
        members.push_str(&format!(
            "N{n:05},G{n:05},Member {n},head,F,1990-01-01,,,,active,2025-04-01\n"
        ));
        coverage.push_str(&format!("N{n:05},2025-04-01,,inpatient\n"));
    }
    for (kind, text) in [
        ("families", families),
        ("members", members),
        ("coverage", coverage),
    ] {
        let file = h.write(&format!("more-{kind}.csv"), &text);
        h.import(kind, &file).await.unwrap();
    }
    let (status, found) = h.call("GET", QUARTERS, None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    // The story's three active members and two families with cover, and one of each more.
    assert_eq!(each(&found, "membership", "members"), [3 + extra; 3]);
    assert_eq!(each(&found, "membership", "families"), [2 + extra; 3]);
    assert_eq!(each(&found, "membership", "women"), [2 + extra; 3]);
    assert_eq!(each(&found, "membership", "pending"), [1, 1, 1]);
    let village = format!("{QUARTERS}&district=V1");
    let (status, found) = h.call("GET", &village, None).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(each(&found, "membership", "members"), [2, 2, 2]);
    assert_eq!(each(&found, "membership", "families"), [1, 1, 1]);
}

/// On a synthetic mutual loaded and judged in the database, the indicators agree with the
/// generator's settings within their sampling error: the incidence of the months whose claims
/// are all in, the share of members pending, and each month's growth from its enrolment
/// cohorts.
pub async fn indicators_agree_with_the_generator(h: Harness) {
    use carepool_service::indicators::IndicatorOptions;
    let scheme =
        carepool_io::read_scheme_file(&crate::support::example("mutual/scheme.toml")).unwrap();
    let config = steady_mutual();
    let day = |text: &str| -> chrono::NaiveDate { text.parse().unwrap() };
    let families = 3_000u64;
    let options = carepool_synth::Options {
        families,
        from: day("2025-01-01"),
        to: day("2026-06-30"),
        seed: 11,
    };
    let data = tempfile::tempdir().unwrap();
    carepool_synth::write_csv(&config, &scheme, options, data.path(), &|_| {}).unwrap();
    carepool_io::load_directory(
        &h.registry,
        scheme,
        data.path(),
        std::sync::Arc::new(|_, _| {}),
    )
    .await
    .unwrap();
    h.registry
        .adjudicate_received(options.to, &|_| {})
        .await
        .unwrap();
    let asked = IndicatorOptions {
        from: Some(options.from),
        to: Some(options.to),
        ..IndicatorOptions::default()
    };
    let today = h.registry.today();
    let found = h
        .registry
        .indicators(&asked, &carepool_service::Scope::National, today)
        .await
        .unwrap()
        .indicators;
    let within = |what: &str, estimate: f64, truth: f64, error: f64| {
        let distance = (estimate - truth).abs() / error;
        println!("{what}: {estimate:.4} against {truth:.4} ({distance:.2} standard errors)");
        assert!(distance < 4.0, "{what}: {estimate} against {truth}");
    };

    // Incidence over the first half of 2025, whose claims had a year to come in.
    let settled = &found.periods[..6];
    let claims: u64 = settled.iter().map(|p| p.claims.incurred).sum();
    let exposure: f64 = settled.iter().map(|p| p.membership.exposure).sum();
    let truth: f64 = config
        .calibration
        .iter()
        .map(|r| r.incidence_per_1000)
        .sum();
    within(
        "incidence per 1,000",
        1000.0 * claims as f64 / exposure,
        truth,
        1000.0 * (claims as f64).sqrt() / exposure,
    );

    // Each member is registered pending at the generator's share, once and for all.
    let last = found.periods.last().unwrap();
    let registered = (last.membership.members + last.membership.pending) as f64;
    let pending = config.population.pending_share;
    within(
        "pending share",
        last.membership.pending as f64 / registered,
        pending,
        (pending * (1.0 - pending) / registered).sqrt(),
    );

    // Families enrol on the first day at `initial_share`, the others in monthly cohorts each
    // `monthly_growth` larger; every family's members at the same active share. A month's
    // growth is the families that joined in it over those in before.
    let growth = &config.growth;
    let months = found.periods.len();
    let weights: Vec<f64> = (0..months)
        .map(|m| (1.0 + growth.monthly_growth).powi(m as i32))
        .collect();
    let total: f64 = weights.iter().sum();
    let enrolled = |m: usize| {
        growth.initial_share
            + (1.0 - growth.initial_share) * weights[..=m].iter().sum::<f64>() / total
    };
    let size = config.population.mean_family_size;
    for m in 1..months {
        let joined = enrolled(m) - enrolled(m - 1);
        let before = found.periods[m - 1].membership.members as f64;
        // The members joining: a binomial count of families times their sizes (1 + Poisson).
        let size_squared = (size - 1.0) + size * size;
        let error = (families as f64 * joined * size_squared * (1.0 - pending)).sqrt() / before;
        within(
            &format!("growth of {}", found.periods[m].period.start),
            found.periods[m].membership.growth_ratio.unwrap(),
            joined / enrolled(m - 1),
            error,
        );
    }
}
