//! The experience study on the live database through the API, on the small registry of the
//! shared story: three members covered from 1 April 2025 (one pending), two stays.

use crate::reserve::stay;
use crate::support::{Harness, load_registry};
use axum::http::StatusCode;
use serde_json::json;

fn close(value: &serde_json::Value, want: f64) {
    let got = value.as_f64().unwrap_or(f64::NAN);
    assert!((got - want).abs() < 1e-9, "{got} against {want}");
}

pub async fn experience_on_the_live_database(h: Harness) {
    load_registry(&h).await;
    let claims = json!([
        stay("E1", "M1", "2025-06-10", "2025-06-20"),
        stay("E2", "M4", "2025-07-05", "2025-07-20"),
        stay("E3", "M3", "2025-08-05", "2025-08-20"),
    ]);
    let (status, body) = h.call("POST", "/api/claims", Some(claims)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let options = json!({ "scheme": "pip", "from": "2025-01-01", "to": "2025-12-31" });
    let (status, study) = h.call("POST", "/api/experience", Some(options)).await;
    assert_eq!(status, StatusCode::OK, "{study}");
    // M1 and M2 (rural) and M4 (urban): 275 days each from 1 April; M3 is pending.
    let summary = &study["summary"];
    close(&summary["exposure"], 825.0 / 365.0);
    close(&summary["pending_exposure"], 275.0 / 365.0);
    close(&summary["family_exposure"], 550.0 / 365.0);
    close(&summary["average_family_size"], 1.5);
    assert_eq!(summary["claims"], 2);
    close(&summary["incidence_per_1000"], 2000.0 * 365.0 / 825.0);
    assert_eq!(
        summary["average_cost"], "1000.00",
        "an amount: a decimal string"
    );
    close(&summary["alos"], 1.0);
    assert_eq!(summary["outside"]["pending"], 1);
    let area = study["relativities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["factor"] == "area")
        .unwrap();
    assert_eq!(area["base"], "rural");
    let urban = area["levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["level"] == "urban")
        .unwrap();
    close(&urban["incidence_relativity"], 2.0);
    assert_eq!(study["locations"][0]["location"], "D1");
    let ownership = &study["diagnostics"]["ownership"][0];
    assert_eq!(ownership["ownership"], "public");

    let (status, body) = h
        .call("POST", "/api/experience", Some(json!({ "split": "week" })))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "split", "{body}");
    let (status, body) = h
        .call(
            "POST",
            "/api/experience",
            Some(json!({ "scheme": "nhi-x" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["field"], "scheme", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no scheme 'nhi-x' is loaded"),
        "{body}"
    );
    let (status, body) = h
        .call(
            "POST",
            "/api/experience",
            Some(json!({ "from": "2020-01-01", "to": "2020-12-31" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "not_estimable", "{body}");

    // No body, or null, is every option at its default, as `{}` is.
    let (_, defaults) = h.call("POST", "/api/experience", Some(json!({}))).await;
    for body in [None, Some(serde_json::Value::Null)] {
        assert_eq!(h.call("POST", "/api/experience", body).await.1, defaults);
    }
}

/// A projection over the API: one line, two years, hand-computed; a wrong assumption is named.
pub async fn projection_over_the_api(h: Harness) {
    let assumptions = json!({
        "base": { "date": "2026-04-01", "lines": [
            { "name": "surgery", "incidence_per_1000": 100.0, "average_cost": 1000.0 }
        ] },
        "projection": { "start": "2026-10-01", "years": 2 },
        "population": { "members": [1000.0, 3000.0], "family_size": [5.0] },
        "loadings": { "expenses": [0.2] },
        "stress": [ { "name": "utilisation +10%", "utilisation": 0.1 } ]
    });
    let (status, body) = h
        .call("POST", "/api/project", Some(assumptions.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // 183 days to the start, no trend: a risk cost of 100 a member, 125 with expenses.
    assert_eq!(body["base"]["level_premium_per_member"], "125.00");
    assert_eq!(body["base"]["level_premium_per_family"], "625.00");
    assert_eq!(body["results"][0]["scenario"], "utilisation +10%");
    let change: f64 = body["results"][0]["change"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(change > 0.0, "{body}");
    assert!(
        body["results"][0]["change_share"].is_number(),
        "a share is a number"
    );

    let costing = json!({
        "horizon": { "first_year": 2027, "years": 10 },
        "coverage": { "start": 0.5, "target": 1.0, "target_year": 6 },
        "population": [ { "cell": "all", "people": [1000.0] } ],
        "benefits": [ { "name": "care", "cost_per_capita": 10.0 } ],
        "economy": { "gdp": 100000.0, "real_growth": [0.0], "inflation": [0.0], "government_share": [0.2] },
        "revenue": { "amounts": [4000.0] }
    });
    let (status, years) = h.call("POST", "/api/costing", Some(costing.clone())).await;
    assert_eq!(status, StatusCode::OK, "{years}");
    assert_eq!(years.as_array().unwrap().len(), 10);
    assert_eq!(years[0]["total_cost"], "5000.00");
    assert_eq!(years[0]["financing_gap"], "1000.00");
    assert_eq!(years[5]["total_cost"], "10000.00");
    close(&years[0]["coverage"], 0.5);
    let mut wrong = costing;
    wrong["coverage"]["target"] = json!(1.5);
    let (status, body) = h.call("POST", "/api/costing", Some(wrong)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    let mut bad = assumptions;
    bad["loadings"]["expenses"] = json!([1.5]);
    let (status, body) = h.call("POST", "/api/project", Some(bad)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("expenses: 1.5 is out of range"),
        "{body}"
    );
}
