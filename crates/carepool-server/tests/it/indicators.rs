//! The indicators on the live database through the API, on the small registry of the shared
//! story: four members covered from 1 April 2025 (one pending) in two families, each family's
//! yearly government contribution, and two stays; counted by hand by quarter.

use crate::reserve::stay;
use crate::support::{Harness, load_registry};
use axum::http::StatusCode;
use carepool_core::access::Role;
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
