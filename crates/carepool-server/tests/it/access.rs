//! Signing in: a password checked against its Argon2id hash, a token found by its SHA-256, and
//! neither working once revoked, expired or disabled; every API route against every role; a
//! facility kept to its own claims.

use crate::claims::surgery;
use crate::support::{FACILITY, Harness, allows, call_app, load_registry};
use axum::http::StatusCode;
use carepool_core::access::Role;
use carepool_server::Access;
use carepool_service::ManualClock;
use carepool_service::users::NewUser;
use serde_json::json;
use std::sync::Arc;

pub async fn a_user_signs_in_by_password_or_token_until_disabled(h: Harness) {
    load_registry(&h).await;
    let clock = Arc::new(ManualClock::new("2025-09-01".parse().unwrap()));
    let registry = h.registry.clone().with_clock(clock.clone());
    let officer = NewUser {
        name: "awa".into(),
        role: Role::ClaimsOfficer,
        districts: vec!["D1".into()],
        provider: None,
    };
    registry
        .add_user(officer, "a long enough password")
        .await
        .unwrap();
    let signed_in = registry
        .check_password("awa", "a long enough password")
        .await
        .unwrap()
        .expect("the right password");
    assert_eq!(
        (signed_in.role, signed_in.districts),
        (Role::ClaimsOfficer, vec!["D1".to_string()])
    );
    for (name, password) in [
        ("awa", "a wrong password!!"),
        ("nobody", "a long enough password"),
    ] {
        assert!(
            registry
                .check_password(name, password)
                .await
                .unwrap()
                .is_none(),
            "{name} with a wrong password or no such user"
        );
    }

    let lasting = registry.create_token("awa", None).await.unwrap();
    let short = registry
        .create_token("awa", Some("2025-09-30".parse().unwrap()))
        .await
        .unwrap();
    let user = |secret: String| {
        let registry = registry.clone();
        async move { registry.token_user(&secret).await.unwrap().map(|u| u.name) }
    };
    assert_eq!(user(lasting.secret.clone()).await.as_deref(), Some("awa"));
    assert_eq!(user(short.secret.clone()).await.as_deref(), Some("awa"));
    assert_eq!(user("cp_not-a-token".into()).await, None);

    clock.set_today("2025-10-01".parse().unwrap());
    assert_eq!(
        user(short.secret.clone()).await,
        None,
        "expired after its last day"
    );
    assert_eq!(user(lasting.secret.clone()).await.as_deref(), Some("awa"));
    registry.revoke_token(&lasting.id).await.unwrap();
    assert_eq!(user(lasting.secret.clone()).await, None, "revoked");

    let again = registry.create_token("awa", None).await.unwrap();
    registry.disable_user("awa").await.unwrap();
    assert_eq!(user(again.secret).await, None, "a disabled user's token");
    assert!(
        registry
            .check_password("awa", "a long enough password")
            .await
            .unwrap()
            .is_none(),
        "a disabled user's password"
    );
}

/// Every route against every role, as the route list declares and the role matrix allows: an
/// allowed role is never refused (whatever else its dummy request meets), any other gets 403
/// `forbidden`, and no credentials, a made-up token or a revoked one get 401 `unauthenticated`.
pub async fn every_route_answers_every_role_as_the_matrix_says(h: Harness) {
    load_registry(&h).await;
    let routes = carepool_server::routes();
    let open: Vec<String> = routes
        .iter()
        .filter(|r| r.access == Access::Open)
        .map(|r| format!("{} {}", r.verb.as_str(), r.path))
        .collect();
    assert_eq!(
        open,
        ["GET /api/health", "GET /api/openapi.json"],
        "only these routes may be used without signing in"
    );
    let app = carepool_server::router(h.registry.clone());
    h.token(Role::Admin).await;
    let revoked = h.registry.create_token("admin", None).await.unwrap();
    h.registry.revoke_token(&revoked.id).await.unwrap();
    for route in &routes {
        // Placeholders filled with a value no record has: the guard answers before the handler
        // looks anything up.
        let uri = route
            .path
            .split('/')
            .map(|s| if s.starts_with('{') { "X" } else { s })
            .collect::<Vec<_>>()
            .join("/");
        let method = route.verb.as_str();
        let body = (method != "GET").then(|| json!({}));
        for role in Role::ALL.iter().copied() {
            let token = h.token(role).await;
            let (status, answer) =
                call_app(app.clone(), Some(&token), method, &uri, body.clone()).await;
            if allows(route.access, role) {
                assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                    "{role} refused {method} {uri}: {status} {answer}"
                );
            } else {
                assert_eq!(
                    (status, &answer["error"]["code"]),
                    (StatusCode::FORBIDDEN, &json!("forbidden")),
                    "{role} on {method} {uri}"
                );
            }
        }
        if route.access == Access::Open {
            continue;
        }
        for token in [None, Some("cp_made_up"), Some(revoked.secret.as_str())] {
            let (status, answer) = call_app(app.clone(), token, method, &uri, body.clone()).await;
            assert_eq!(
                (status, &answer["error"]["code"]),
                (StatusCode::UNAUTHORIZED, &json!("unauthenticated")),
                "{method} {uri} with {token:?}"
            );
        }
    }
}

/// A facility user sends and reads its own facility's claims only: another facility's claim is
/// refused when sent and answered 404 when read, lists hold its own claims only, and members
/// cannot be listed or read, while a member's cover can be checked.
pub async fn a_facility_sees_and_sends_its_own_claims_only(h: Harness) {
    load_registry(&h).await;
    let own = surgery("OWN-1", "M4", "2025-05-01", 10_000);
    let mut other = surgery("OTHER-1", "M4", "2025-05-10", 10_000);
    other.provider_id = "H2".into();
    assert_ne!(own.provider_id, other.provider_id);
    assert_eq!(own.provider_id, FACILITY);

    let (status, answer) = h
        .call_as(Role::Facility, "POST", "/api/claims", Some(json!(other)))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    let (status, answer) = h
        .call_as(
            Role::Facility,
            "POST",
            "/api/claims",
            Some(json!([own, other])),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a batch with another's claim: {answer}"
    );
    let (status, answer) = h.call("POST", "/api/claims", Some(json!(other))).await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "the claims officer sends it: {answer}"
    );
    let (status, answer) = h
        .call_as(Role::Facility, "POST", "/api/claims", Some(json!(own)))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");

    let listed = |answer: &serde_json::Value| -> Vec<String> {
        answer["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["claim_number"].as_str().unwrap().to_string())
            .collect()
    };
    let (_, answer) = h.call_as(Role::Facility, "GET", "/api/claims", None).await;
    assert_eq!(listed(&answer), ["OWN-1"]);
    let (_, answer) = h
        .call_as(Role::Facility, "GET", "/api/claims?provider_id=H2", None)
        .await;
    assert_eq!(listed(&answer), Vec::<String>::new());
    let (_, answer) = h
        .call_as(Role::ClaimsOfficer, "GET", "/api/claims", None)
        .await;
    assert_eq!(
        listed(&answer),
        ["OWN-1", "OTHER-1"],
        "in key order: H1 before H2"
    );

    let (status, _) = h
        .call_as(Role::Facility, "GET", "/api/claims/H1/OWN-1", None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, answer) = h
        .call_as(Role::Facility, "GET", "/api/claims/H2/OTHER-1", None)
        .await;
    assert_eq!(
        (status, &answer["error"]["code"]),
        (StatusCode::NOT_FOUND, &json!("not_found")),
        "as if it did not exist"
    );
    let (status, _) = h
        .call_as(Role::ClaimsOfficer, "GET", "/api/claims/H2/OTHER-1", None)
        .await;
    assert_eq!(status, StatusCode::OK);

    for uri in [
        "/api/members",
        "/api/members/M4",
        "/api/families/F1/overview",
    ] {
        let (status, _) = h.call_as(Role::Facility, "GET", uri, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{uri}");
    }
    let (status, answer) = h
        .call_as(
            Role::Facility,
            "GET",
            "/api/members/M4/cover?date=2025-06-01",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
}
