//! Reserving on the live database through the API: the triangle comes from the claims stored,
//! reported but not paid comes from their payment dates, and wrong options are named.

use crate::support::{Harness, load_registry};
use axum::http::StatusCode;
use carepool_core::Money;
use carepool_core::claims::{Claim, ClaimLine};
use carepool_service::ManualClock;
use chrono::Datelike;
use serde_json::json;
use std::sync::Arc;

/// A one-day surgical stay of 1,000 at H1, admitted on `incurred`, received on `received`.
pub fn stay(number: &str, member: &str, incurred: &str, received: &str) -> serde_json::Value {
    let day = |text: &str| text.parse().unwrap();
    serde_json::to_value(Claim {
        provider_id: "H1".into(),
        claim_number: number.into(),
        member_id: member.into(),
        visit_date: None,
        admission_date: Some(day(incurred)),
        discharge_date: Some(day(incurred) + chrono::Days::new(1)),
        diagnosis_codes: vec!["K40.9".into()],
        clinical_category: "surgical".into(),
        specialty: Some("general_surgery".into()),
        limit_raising_case: None,
        copay_collected: Money::ZERO,
        received_date: day(received),
        lines: vec![ClaimLine {
            service_code: "SURG-GEN".into(),
            quantity: 1,
            unit_price: Money::from_units(1_000),
        }],
    })
    .unwrap()
}

pub async fn reserving_on_the_live_database(h: Harness) {
    load_registry(&h).await;
    // Quarterly origins, valued at 2025-12-31, cumulative amounts reported:
    //   2025Q2: 1,000  2,000  2,000
    //   2025Q3: 1,000  2,000
    //   2025Q4: 1,000            (and one more received after the valuation date)
    // Factors 2 and 1: 2025Q4's ultimate is 2,000, its IBNR 1,000.
    let claims = json!([
        stay("R1", "M1", "2025-06-10", "2025-06-20"),
        stay("R2", "M4", "2025-06-15", "2025-07-02"),
        stay("R3", "M1", "2025-07-05", "2025-07-20"),
        stay("R4", "M4", "2025-08-05", "2025-10-10"),
        stay("R5", "M1", "2025-10-05", "2025-10-20"),
        stay("R6", "M4", "2025-11-05", "2026-01-10"),
    ]);
    let (status, body) = h.call("POST", "/api/claims", Some(claims)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(
        body.as_array()
            .unwrap()
            .iter()
            .all(|c| c["approved"] == "1000.00"),
        "{body}"
    );
    let options = json!({ "method": "chain-ladder", "valuation": "2025-12-31" });
    let (status, reserve) = h.call("POST", "/api/reserve", Some(options)).await;
    assert_eq!(status, StatusCode::OK, "{reserve}");
    assert_eq!(reserve["origin_period"], "quarter");
    assert_eq!(reserve["factors"], json!([2.0, 1.0]));
    assert_eq!(
        reserve["triangle"]["cumulative"],
        json!([
            ["1000.00", "2000.00", "2000.00"],
            ["1000.00", "2000.00"],
            ["1000.00"]
        ]),
        "amounts are decimal strings; factors are numbers"
    );
    let youngest = &reserve["origins"][2];
    assert_eq!(youngest["origin"], "2025Q4");
    assert_eq!(youngest["ultimate"], "2000.00");
    assert_eq!(youngest["ibnr"], "1000.00");
    // Nothing is paid yet: everything reported by the valuation date is still owed.
    assert_eq!(reserve["total"]["rbnp"], "5000.00");
    assert_eq!(reserve["total"]["ibnr"], "1000.00");

    // The API judged the claims today; paid today, nothing reported is owed any more. A month's
    // run is proposed once the month is over: by a registry whose clock reads next month.
    let today = chrono::Local::now().date_naive();
    let period = today.format("%Y-%m").to_string();
    let next_month = carepool_core::dates::add_months(today.with_day(1).unwrap(), 1);
    let later = h
        .registry
        .clone()
        .with_clock(Arc::new(ManualClock::new(next_month)));
    let proposed = later.propose_payment_run(&period).await.unwrap();
    let paid = h
        .registry
        .release_payment_run(&proposed.run.unwrap(), today)
        .await
        .unwrap();
    assert!(!paid.payments.is_empty());
    let (_, reserve) = h
        .call(
            "POST",
            "/api/reserve",
            Some(json!({ "method": "chain-ladder" })),
        )
        .await;
    assert_eq!(reserve["valuation"], today.to_string());
    assert_eq!(reserve["total"]["rbnp"], "0.00", "{reserve}");

    // A wrong option is named; data too thin for Mack's errors are answered as such.
    let (status, body) = h
        .call(
            "POST",
            "/api/reserve",
            Some(json!({ "method": "bootstrap" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["error"]["field"], "method", "{body}");
    // Reserves are valued on what is known: not at a day to come.
    let tomorrow = today + chrono::Days::new(1);
    let (status, body) = h
        .call(
            "POST",
            "/api/reserve",
            Some(json!({ "valuation": tomorrow.to_string() })),
        )
        .await;
    assert_eq!(
        (status, &body["error"]["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("valuation")),
        "{body}"
    );
    let (status, body) = h
        .call(
            "POST",
            "/api/reserve",
            Some(json!({ "valuation": "2025-12-31" })),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "not_estimable", "{body}");

    // No body, or null, is every option at its default, as `{}` is.
    let (_, defaults) = h.call("POST", "/api/reserve", Some(json!({}))).await;
    for body in [None, Some(serde_json::Value::Null)] {
        assert_eq!(h.call("POST", "/api/reserve", body).await.1, defaults);
    }
}
