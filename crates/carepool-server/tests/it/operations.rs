//! The operators' routes: probes for load balancers and metrics for Prometheus.

use crate::claims::surgery;
use crate::support::{Harness, call_app, load_registry};
use axum::http::StatusCode;
use carepool_core::access::Role;
use carepool_core::claims::ClaimStatus;
use serde_json::{Value, json};

/// `/healthz` and `/readyz` answer anyone; `/metrics` answers a monitor with the requests
/// counted under their route's pattern (never the member's id asked), the claims judged by
/// status (every status from zero), resends left out, and the connections as the store has
/// them; once the database is gone the server is alive but not ready.
pub async fn operators_probe_the_server_and_read_its_metrics(h: Harness) {
    load_registry(&h).await;
    let app = carepool_server::router(h.registry.clone());
    let call = async |role: Option<Role>, method: &str, uri: &str, body: Option<Value>| {
        let token = match role {
            Some(role) => Some(h.token(role).await),
            None => None,
        };
        call_app(app.clone(), token.as_deref(), method, uri, body).await
    };
    assert_eq!(
        call(None, "GET", "/healthz", None).await,
        (StatusCode::OK, json!({ "status": "ok" }))
    );
    assert_eq!(
        call(None, "GET", "/readyz", None).await,
        (StatusCode::OK, json!({ "status": "ready" }))
    );

    let claim = json!(surgery("OPS-1", "M1", "2025-05-01", 10_000));
    let facility = Some(Role::Facility);
    let (status, answer) = call(facility, "POST", "/api/claims", Some(claim.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let decided = answer["status"].as_str().unwrap().to_string();
    let (status, _) = call(facility, "POST", "/api/claims", Some(claim)).await;
    assert_eq!(status, StatusCode::OK, "a resend, judged before");
    let (status, _) = call(Some(Role::Admin), "GET", "/api/members/M1", None).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(Some(Role::Admin), "GET", "/api/members/M-NONE", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(None, "GET", "/no/such/address/M1", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, refusal) = call(None, "GET", "/metrics", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{refusal}");
    let (status, refusal) = call(Some(Role::Actuary), "GET", "/metrics", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refusal}");
    let (status, text) = call(Some(Role::Monitor), "GET", "/metrics", None).await;
    assert_eq!(status, StatusCode::OK, "{text}");
    let text = text.as_str().unwrap();
    let connections = h.store.connections();
    for line in [
        r#"carepool_http_requests_total{method="GET",route="/healthz",status="200"} 1"#.to_string(),
        r#"carepool_http_requests_total{method="POST",route="/api/claims",status="201"} 1"#.into(),
        r#"carepool_http_requests_total{method="POST",route="/api/claims",status="200"} 1"#.into(),
        r#"carepool_http_requests_total{method="GET",route="/api/members/{id}",status="200"} 1"#
            .into(),
        r#"carepool_http_requests_total{method="GET",route="/api/members/{id}",status="404"} 1"#
            .into(),
        r#"carepool_http_requests_total{method="GET",route="unmatched",status="404"} 1"#.into(),
        r#"carepool_http_requests_total{method="GET",route="/metrics",status="401"} 1"#.into(),
        r#"carepool_http_request_duration_seconds_count{method="POST",route="/api/claims"} 2"#
            .into(),
        format!(r#"carepool_claims_judged_total{{status="{decided}"}} 1"#),
        format!("carepool_db_connections_max {}", connections.max),
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "the metrics have {line}:\n{text}"
        );
    }
    // Every status has its series from the start; only the one decided counts a claim.
    let judged: Vec<&str> = (text.lines())
        .filter(|l| l.starts_with("carepool_claims_judged_total{"))
        .collect();
    assert_eq!(judged.len(), ClaimStatus::ALL.len(), "{text}");
    assert_eq!(
        judged.iter().filter(|l| !l.ends_with(" 0")).count(),
        1,
        "one claim judged, once: {text}"
    );
    assert!(!text.contains("M1"), "no member's id: {text}");
    assert!(!text.contains("OPS-1"), "no claim's number: {text}");

    h.store.close().await;
    assert_eq!(
        call(None, "GET", "/healthz", None).await.0,
        StatusCode::OK,
        "alive without its database"
    );
    assert_eq!(
        call(None, "GET", "/readyz", None).await,
        (
            StatusCode::SERVICE_UNAVAILABLE,
            json!({ "status": "not ready", "reason": "the database does not answer" })
        )
    );
}
