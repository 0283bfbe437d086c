//! Signing in: a password checked against its Argon2id hash, a token found by its SHA-256, and
//! neither working once revoked, expired or disabled; every API route against every role; a
//! facility kept to its own claims.

use crate::claims::surgery;
use crate::support::{FACILITY, Harness, MEMBERS, add_the_hills, call_app, load_registry};
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use carepool_core::access::Role;
use carepool_core::sign_in::{FAILURES_TO_LOCK, LOCK_FOR};
use carepool_schema::Record;
use carepool_schema::access_tables::SESSIONS;
use carepool_schema::audit_tables::{AUDIT, AuditRow};
use carepool_schema::kinds::Kind;
use carepool_schema::{Value, with_record_type};
use carepool_server::{Access, Surface};
use carepool_service::audit::AuditFilter;
use carepool_service::sessions::SESSION_SECONDS;
use carepool_service::users::NewUser;
use carepool_service::users::token_hash;
use carepool_service::{ImportMode, ManualClock, Registry, TOKEN_REMEMBERED_FOR};
use serde_json::json;
use std::sync::Arc;
use std::time::Duration;
use tower::ServiceExt;

pub async fn a_user_signs_in_by_password_or_token_until_disabled(h: Harness) {
    load_registry(&h).await;
    let clock = Arc::new(ManualClock::new("2025-09-01".parse().unwrap()));
    let registry = h.registry.clone().with_clock(clock.clone());
    let officer = NewUser {
        name: "awa".into(),
        role: Role::ClaimsOfficer,
        districts: vec!["D1".into()],
        provider: None,
        language: None,
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

    // A token revoked by another process (the `carepool` command) still works here for the
    // few seconds this one keeps what it found; one revoked through this process stops at once.
    let other_process = Registry::new(h.store.clone()).with_clock(clock.clone());
    let ben = NewUser {
        name: "ben".into(),
        role: Role::ClaimsOfficer,
        districts: vec![],
        provider: None,
        language: None,
    };
    registry
        .add_user(ben, "a long enough password")
        .await
        .unwrap();
    let token = registry.create_token("ben", None).await.unwrap();
    assert_eq!(user(token.secret.clone()).await.as_deref(), Some("ben"));

    // A system's user signs in by token only: no password, not even an empty one.
    let scraper = NewUser {
        name: "scraper".into(),
        role: Role::Monitor,
        districts: vec![],
        provider: None,
        language: None,
    };
    registry.add_token_user(scraper).await.unwrap();
    for password in ["", "a long enough password"] {
        let signed_in = registry.check_password("scraper", password).await.unwrap();
        assert!(
            signed_in.is_none(),
            "{password:?} signs in a token-only user"
        );
    }
    let scrapers = registry.create_token("scraper", None).await.unwrap();
    assert_eq!(user(scrapers.secret).await.as_deref(), Some("scraper"));
    other_process.revoke_token(&token.id).await.unwrap();
    assert_eq!(
        user(token.secret.clone()).await.as_deref(),
        Some("ben"),
        "known for a few seconds after another process revoked it"
    );
    clock.advance(TOKEN_REMEMBERED_FOR);
    assert_eq!(
        user(token.secret.clone()).await,
        None,
        "read again, revoked"
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
        [
            "GET /api/health",
            "GET /healthz",
            "GET /readyz",
            "GET /api/openapi.json",
            "POST /api/login",
            "GET /login",
            "POST /login",
            "GET /static/carepool.css"
        ],
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
            if route.access.allows(role) {
                assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
                    "{role} refused {method} {uri}: {status} {answer}"
                );
            } else if route.surface == Surface::Page {
                assert_eq!(status, StatusCode::FORBIDDEN, "{role} on {method} {uri}");
                assert!(
                    answer
                        .as_str()
                        .unwrap()
                        .contains("Your role does not allow this page.")
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
            if route.surface == Surface::Page {
                // A page sends whoever is not signed in to the sign-in page.
                assert_eq!(
                    status,
                    StatusCode::SEE_OTHER,
                    "{method} {uri} with {token:?}"
                );
                continue;
            }
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

/// One request with `headers`; the answer's status, headers and JSON body.
async fn send(
    app: &axum::Router,
    method: &str,
    uri: &str,
    headers: &[(&str, &str)],
    body: Option<serde_json::Value>,
) -> (StatusCode, HeaderMap, serde_json::Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let body = body.map_or_else(Body::empty, |b| Body::from(b.to_string()));
    let response = app
        .clone()
        .oneshot(request.body(body).unwrap())
        .await
        .unwrap();
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let json = serde_json::from_slice(&bytes).unwrap_or(serde_json::Value::Null);
    (status, headers, json)
}

/// The `name=value` a sign-in's Set-Cookie gives, to send back.
fn cookie_of(headers: &axum::http::HeaderMap) -> String {
    let set_cookie = headers["set-cookie"].to_str().unwrap();
    set_cookie.split(';').next().unwrap().to_string()
}

/// Signing in with a password for the pages: a session cookie kept only as its hash, good for
/// reads, for writes only with its CSRF token, until signed out, out of time or its password
/// changed; failed sign-ins lock the name for a while after a burst.
pub async fn a_session_signs_in_writes_with_its_csrf_token_and_ends(h: Harness) {
    load_registry(&h).await;
    let clock = Arc::new(ManualClock::new("2025-09-01".parse().unwrap()));
    let registry = h.registry.clone().with_clock(clock.clone());
    let user = NewUser {
        name: "awa".into(),
        role: Role::EnrolmentOfficer,
        districts: vec![],
        provider: None,
        language: None,
    };
    registry
        .add_user(user, "a long enough password")
        .await
        .unwrap();
    let app = carepool_server::router(registry.clone());
    let login = |password: &str| json!({ "name": "awa", "password": password });
    let sign_in = |password: &str| send(&app, "POST", "/api/login", &[], Some(login(password)));
    // A form of another site posts text, not JSON: it cannot sign a browser in.
    let form = Request::builder()
        .method("POST")
        .uri("/api/login")
        .header("content-type", "text/plain")
        .body(Body::from(login("a long enough password").to_string()))
        .unwrap();
    let refused = app.clone().oneshot(form).await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    let (status, _, answer) = sign_in("wrong password!").await;
    assert_eq!(
        (status, &answer["error"]["code"]),
        (StatusCode::UNAUTHORIZED, &json!("unauthenticated"))
    );
    let (status, headers, answer) = send(
        &app,
        "POST",
        "/api/login",
        &[("x-forwarded-proto", "https")],
        Some(login("a long enough password")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        (&answer["name"], &answer["role"]),
        (&json!("awa"), &json!("enrolment_officer"))
    );
    let set_cookie = headers["set-cookie"].to_str().unwrap().to_string();
    for attribute in ["HttpOnly", "SameSite=Strict", "Secure", "Max-Age=28800"] {
        assert!(set_cookie.contains(attribute), "{set_cookie}");
    }
    let secret = set_cookie
        .strip_prefix("carepool_session=")
        .and_then(|rest| rest.split(';').next())
        .unwrap()
        .to_string();
    let csrf = answer["csrf_token"].as_str().unwrap().to_string();
    // Kept as its SHA-256 only.
    let stored = h
        .store
        .get(&SESSIONS, &[Value::Text(token_hash(&secret).into())])
        .await
        .unwrap()
        .expect("the session is stored under its hash");
    assert!(!stored.iter().any(|v| v.as_text() == Some(secret.as_str())));
    assert!(
        h.store
            .get(&SESSIONS, &[Value::Text(secret.as_str().into())])
            .await
            .unwrap()
            .is_none()
    );

    let cookie = format!("carepool_session={secret}");
    let (status, _, _) = send(&app, "GET", "/api/members/M4", &[("cookie", &cookie)], None).await;
    assert_eq!(status, StatusCode::OK, "a read with the cookie");
    let family = json!({ "id": "F9", "scheme": "pip", "location_code": "V1", "poverty_score": null, "household_id": null });
    for csrf_sent in [None, Some("not-the-token")] {
        let mut headers = vec![("cookie", cookie.as_str())];
        headers.extend(csrf_sent.map(|token| ("x-csrf-token", token)));
        let (status, _, answer) = send(
            &app,
            "POST",
            "/api/families",
            &headers,
            Some(family.clone()),
        )
        .await;
        assert_eq!(
            (status, &answer["error"]["code"]),
            (StatusCode::FORBIDDEN, &json!("forbidden")),
            "a write without the right CSRF token: {csrf_sent:?}"
        );
    }
    let with_csrf = [("cookie", cookie.as_str()), ("x-csrf-token", csrf.as_str())];
    let (status, _, answer) = send(&app, "POST", "/api/families", &with_csrf, Some(family)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");

    let (status, headers, _) = send(&app, "POST", "/api/logout", &with_csrf, None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(
        headers["set-cookie"]
            .to_str()
            .unwrap()
            .contains("Max-Age=0")
    );
    let (status, _, answer) =
        send(&app, "GET", "/api/members/M4", &[("cookie", &cookie)], None).await;
    assert_eq!(
        (status, &answer["error"]["code"]),
        (StatusCode::UNAUTHORIZED, &json!("unauthenticated")),
        "the session ended at sign-out"
    );

    // A session ends by itself after its time.
    let cookie = cookie_of(&sign_in("a long enough password").await.1);
    clock.advance(Duration::from_secs(SESSION_SECONDS as u64 - 1));
    let (status, _, _) = send(&app, "GET", "/api/members/M4", &[("cookie", &cookie)], None).await;
    assert_eq!(status, StatusCode::OK, "still on");
    clock.advance(Duration::from_secs(1));
    let (status, _, _) = send(&app, "GET", "/api/members/M4", &[("cookie", &cookie)], None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "out of time");

    // A changed password ends the sessions signed in with the old one.
    let cookie = cookie_of(&sign_in("a long enough password").await.1);
    let (status, _, _) = send(&app, "GET", "/api/members/M4", &[("cookie", &cookie)], None).await;
    assert_eq!(status, StatusCode::OK, "signed in");
    registry
        .set_password("awa", "another long enough password")
        .await
        .unwrap();
    let (status, _, _) = send(&app, "GET", "/api/members/M4", &[("cookie", &cookie)], None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "ended by the new password"
    );
    registry
        .set_password("awa", "a long enough password")
        .await
        .unwrap();

    // A burst of failures locks the name, even against the right password, for a while.
    for attempt in 1..FAILURES_TO_LOCK {
        let (status, _, _) = sign_in("a guess at it").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let (status, _, answer) = sign_in("a guess at it").await;
    assert_eq!(
        (status, &answer["error"]["code"]),
        (StatusCode::TOO_MANY_REQUESTS, &json!("locked"))
    );
    let (status, _, _) = sign_in("a long enough password").await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "locked even for the right password"
    );
    clock.advance(LOCK_FOR);
    let (status, _, _) = sign_in("a long enough password").await;
    assert_eq!(status, StatusCode::OK, "the lock has ended");
}

/// A user bound to a district sees and changes only what lies under it: lists leave the rest
/// out, a record elsewhere answers 404 as if it did not exist, a write that would reach
/// elsewhere names the reference as unknown, and work on the whole scheme is refused.
pub async fn a_district_officer_sees_and_changes_only_its_district(h: Harness) {
    load_registry(&h).await;
    add_the_hills(&h).await;
    let mut far_claim = surgery("FAR-1", "M9", "2025-05-01", 10_000);
    far_claim.provider_id = "H3".into();
    let near_claim = surgery("NEAR-1", "M4", "2025-05-01", 10_000);
    for claim in [&far_claim, &near_claim] {
        let (status, answer) = h.call("POST", "/api/claims", Some(json!(claim))).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }

    let app = carepool_server::router(h.registry.clone());
    let officer = h
        .user_token("lakeside", Role::EnrolmentOfficer, &["D1"], None)
        .await;
    let claims = h
        .user_token("lakeside-claims", Role::ClaimsOfficer, &["D1"], None)
        .await;
    let actuary = h
        .user_token("lakeside-actuary", Role::Actuary, &["D1"], None)
        .await;
    let finance = h
        .user_token("lakeside-finance", Role::FinanceOfficer, &["D1"], None)
        .await;
    let ask =
        |token: &str, method: &'static str, uri: &'static str, body: Option<serde_json::Value>| {
            let (app, token) = (app.clone(), token.to_string());
            async move { call_app(app, Some(&token), method, uri, body).await }
        };
    let keys = |answer: &serde_json::Value, key: &str| -> Vec<String> {
        answer["items"]
            .as_array()
            .unwrap_or_else(|| panic!("a page: {answer}"))
            .iter()
            .map(|item| item[key].as_str().unwrap().to_string())
            .collect()
    };

    let (_, answer) = ask(&officer, "GET", "/api/locations", None).await;
    assert_eq!(
        keys(&answer, "code"),
        ["D1", "V1", "V2"],
        "the district and what is under it"
    );
    let (_, answer) = ask(&officer, "GET", "/api/families", None).await;
    assert_eq!(keys(&answer, "id"), ["F1", "F2", "F3"]);
    let (_, answer) = ask(&officer, "GET", "/api/members?family_id=F9", None).await;
    assert_eq!(keys(&answer, "id"), Vec::<String>::new());
    let (_, answer) = ask(&officer, "GET", "/api/providers", None).await;
    assert_eq!(keys(&answer, "code"), ["H1", "H2"]);
    let (_, answer) = ask(&claims, "GET", "/api/claims", None).await;
    assert_eq!(keys(&answer, "claim_number"), ["NEAR-1"]);

    for (token, method, uri) in [
        (&officer, "GET", "/api/families/F9"),
        (&officer, "GET", "/api/members/M9"),
        (&officer, "GET", "/api/families/F9/overview"),
        (&officer, "GET", "/api/members/M9/cover"),
        (&officer, "GET", "/api/locations/D2"),
        (&claims, "GET", "/api/claims/H3/FAR-1"),
    ] {
        let (status, answer) = ask(token, method, uri, None).await;
        assert_eq!(
            (status, &answer["error"]["code"]),
            (StatusCode::NOT_FOUND, &json!("not_found")),
            "{uri} is out of scope"
        );
    }
    let (status, _) = ask(&officer, "GET", "/api/families/F2", None).await;
    assert_eq!(status, StatusCode::OK);

    let far_family = json!({ "id": "F9", "scheme": "pip", "location_code": "V3", "poverty_score": 10, "household_id": null });
    let (status, _) = ask(&officer, "PUT", "/api/families/F9", Some(far_family)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another district's family is not there to change"
    );
    let moved = json!({ "id": "F2", "scheme": "pip", "location_code": "V3", "poverty_score": 35, "household_id": "HH2" });
    let (status, answer) = ask(&officer, "PUT", "/api/families/F2", Some(moved)).await;
    assert_eq!(
        (
            status,
            &answer["error"]["field"],
            &answer["error"]["message"]
        ),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!("location_code"),
            &json!("unknown location 'V3'")
        ),
        "nor can a family be moved out"
    );
    let joining = json!({ "id": "M10", "family_id": "F9", "name": "Newcomer", "relationship": "child", "sex": "M", "birth_date": "2020-01-01", "national_id": null, "categories": [], "monthly_wage": null, "status": "active", "status_since": "2025-04-01" });
    let (status, answer) = ask(&officer, "POST", "/api/members", Some(joining)).await;
    assert_eq!(
        (status, &answer["error"]["message"]),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!("unknown family 'F9'")
        )
    );
    let new_family = json!({ "id": "F10", "scheme": "pip", "location_code": "V1", "poverty_score": null, "household_id": null });
    let (status, answer) = ask(&officer, "POST", "/api/families", Some(new_family)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");

    let mut from_far = surgery("FAR-2", "M4", "2025-05-02", 10_000);
    from_far.provider_id = "H3".into();
    let (status, answer) = ask(&claims, "POST", "/api/claims", Some(json!(from_far))).await;
    assert_eq!(
        (status, &answer["error"]["message"]),
        (
            StatusCode::UNPROCESSABLE_ENTITY,
            &json!("unknown provider 'H3'")
        )
    );

    let (status, answer) = ask(&actuary, "POST", "/api/experience", None).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a study covers the whole scheme: {answer}"
    );
    let pay = json!({ "period": "2025-05" });
    let (status, answer) = ask(&finance, "POST", "/api/claims/pay", Some(pay)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
}

/// The trail is walked a page at a time (a few hundred records): whole, in order, once each,
/// as one read of the table gives it; a limit, a record to start after and a key narrow it
/// across pages as they narrow one.
pub async fn the_trail_is_walked_a_page_at_a_time_as_one_read_gives_it(h: Harness) {
    load_registry(&h).await;
    let key = [Value::Text("M1".into())];
    let row = h
        .store
        .get(&carepool_schema::tables::MEMBERS, &key)
        .await
        .unwrap();
    let mut member = carepool_core::registry::Member::from_row(&row.unwrap()).unwrap();
    // More updates than two pages hold.
    for n in 0..600 {
        member.name = format!("Ravi Kumar {n}");
        h.registry.update(member.clone()).await.unwrap();
    }
    let everything = carepool_store::ListQuery {
        limit: u64::MAX >> 1,
        ..Default::default()
    };
    let read_at_once: Vec<AuditRow> = (h.store.list(&AUDIT, &everything).await.unwrap())
        .iter()
        .map(|row| AuditRow::from_row(row).unwrap())
        .collect();
    assert!(read_at_once.len() > 600);
    let walked = async |filter: AuditFilter| {
        let mut ids = vec![];
        let count = h
            .registry
            .each_audit_record(&filter, |record| {
                ids.push(record.id);
                Ok::<(), carepool_service::ServiceError>(())
            })
            .await
            .unwrap();
        assert_eq!(count, ids.len() as u64);
        ids
    };
    let ids = |records: &[AuditRow]| records.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(walked(AuditFilter::default()).await, ids(&read_at_once));
    let of_m1: Vec<AuditRow> = (read_at_once.iter())
        .filter(|r| r.record_key.as_deref() == Some("M1"))
        .cloned()
        .collect();
    let narrowed = AuditFilter {
        key: Some("M1".into()),
        after: Some(of_m1[9].id.clone()),
        limit: Some(550),
        ..AuditFilter::default()
    };
    assert_eq!(walked(narrowed).await, ids(&of_m1[10..560]));
}

/// Every change is in the trail once, with who made it and the record before and after; a
/// refused change leaves nothing; admins and auditors read the trail over the API, no one else;
/// and the database itself refuses to change or remove a record of it.
pub async fn every_change_is_in_the_audit_trail_once(h: Harness) {
    load_registry(&h).await;
    let trail = |filter: AuditFilter| {
        let registry = h.registry.clone();
        async move { registry.audit_trail(&filter).await.unwrap() }
    };
    let trail_so_far = trail(AuditFilter::default()).await;
    // Each import's own record, beside the keys of the records it brought in new.
    let imports: Vec<_> = trail_so_far
        .iter()
        .filter(|r| r.action == "load_scheme" || r.action == "import")
        .collect();
    let imported: Vec<(&str, &str)> = imports
        .iter()
        .map(|r| (r.action.as_str(), r.table_name.as_str()))
        .collect();
    assert_eq!(
        imported,
        [
            ("load_scheme", "scheme_versions"),
            ("import", "locations"),
            ("import", "providers"),
            ("import", "families"),
            ("import", "members"),
            ("import", "coverage"),
            ("import", "contributions"),
        ]
    );
    assert_eq!(imports[0].record_key.as_deref(), Some("pip/2025-04-01"));
    assert_eq!(
        imports[4].after.as_deref(),
        Some(r#"{"changed":0,"new":5,"unchanged":0}"#)
    );
    let members_imported: Vec<(&str, Option<&str>, Option<&str>)> = trail_so_far
        .iter()
        .filter(|r| r.table_name == "members" && r.action == "import_new")
        .map(|r| {
            (
                r.action.as_str(),
                r.record_key.as_deref(),
                r.after.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        members_imported,
        [(
            "import_new",
            None,
            Some(r#"{"keys":["M1","M2","M3","M4","M5"]}"#)
        )],
        "the records an import brought in new are kept by their keys"
    );
    assert!(trail_so_far.iter().all(|r| r.actor.starts_with("cli:")));

    let family = json!({ "id": "F10", "scheme": "pip", "location_code": "V1", "poverty_score": 20, "household_id": null });
    let (status, _) = h.call("POST", "/api/families", Some(family.clone())).await;
    assert_eq!(status, StatusCode::CREATED);
    let mut moved = family.clone();
    moved["location_code"] = json!("V2");
    let (status, _) = h.call("PUT", "/api/families/F10", Some(moved)).await;
    assert_eq!(status, StatusCode::OK);
    // Refused: a key taken, an unknown village, a record that is not there.
    let (status, _) = h.call("POST", "/api/families", Some(family.clone())).await;
    assert_eq!(status, StatusCode::CONFLICT);
    let mut lost = family.clone();
    lost["id"] = json!("F11");
    lost["location_code"] = json!("NOWHERE");
    let (status, _) = h.call("POST", "/api/families", Some(lost)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut absent = family.clone();
    absent["id"] = json!("F12");
    let (status, _) = h.call("PUT", "/api/families/F12", Some(absent)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let changes = trail(AuditFilter {
        table: Some("families".into()),
        key: Some("F10".into()),
        ..AuditFilter::default()
    })
    .await;
    let made: Vec<(&str, &str)> = changes
        .iter()
        .map(|r| (r.actor.as_str(), r.action.as_str()))
        .collect();
    assert_eq!(
        made,
        [
            ("enrolment_officer", "create"),
            ("enrolment_officer", "update")
        ]
    );
    let field = |text: &Option<String>, name: &str| -> serde_json::Value {
        serde_json::from_str::<serde_json::Value>(text.as_deref().unwrap_or("null")).unwrap()[name]
            .clone()
    };
    assert_eq!(changes[0].before, None);
    assert_eq!(field(&changes[0].after, "location_code"), json!("V1"));
    assert_eq!(field(&changes[1].before, "location_code"), json!("V1"));
    assert_eq!(field(&changes[1].after, "location_code"), json!("V2"));
    let families = AuditFilter {
        table: Some("families".into()),
        ..AuditFilter::default()
    };
    assert_eq!(
        trail(families.clone()).await.len(),
        1 + 1 + 2,
        "the import and its three families' keys, the creation and the update; the refused \
         changes left nothing"
    );

    let (status, answer) = h
        .call_as(
            Role::Auditor,
            "GET",
            "/api/audit?table=families&key=F10",
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["items"].as_array().unwrap().len(), 2);
    assert_eq!(answer["items"][1]["action"], json!("update"));
    let (status, answer) = h
        .call_as(
            Role::Admin,
            "GET",
            "/api/audit?user=enrolment_officer",
            None,
        )
        .await;
    assert_eq!(
        (status, answer["items"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(2))
    );
    let (status, _) = h.call_as(Role::Manager, "GET", "/api/audit", None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = h
        .call_as(Role::Admin, "GET", "/api/audit?table=claims", None)
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "an admin does not read claims"
    );
    let scoped = h
        .user_token("lakeside-auditor", Role::Auditor, &["D1"], None)
        .await;
    let app = carepool_server::router(h.registry.clone());
    let (status, _) = call_app(app, Some(&scoped), "GET", "/api/audit", None).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the trail is read whole, by national users"
    );
    let (status, answer) = h
        .call_as(Role::Auditor, "GET", "/api/audit?shoe=42", None)
        .await;
    assert_eq!(
        (status, &answer["error"]["field"]),
        (StatusCode::UNPROCESSABLE_ENTITY, &json!("shoe"))
    );
    let tomorrow = h.registry.today().succ_opt().unwrap();
    let (_, answer) = h
        .call_as(
            Role::Auditor,
            "GET",
            &format!("/api/audit?from={tomorrow}"),
            None,
        )
        .await;
    assert_eq!(answer["items"], json!([]), "nothing was written tomorrow");

    for sql in [
        "UPDATE audit SET actor = 'someone else'",
        "DELETE FROM audit",
    ] {
        let refused = h.try_execute_behind_the_store(sql).await.unwrap_err();
        assert!(
            refused.contains("the audit trail cannot be changed"),
            "{sql}: {refused}"
        );
    }
    assert_eq!(trail(families).await.len(), 1 + 1 + 2);
}

/// An import says what it changes (new, changed, unchanged), a dry run the same without writing,
/// and a record's history shows each version with who made it and when: imported, changed by a
/// later import, updated through the API.
pub async fn an_import_says_what_it_changes_and_a_record_keeps_its_history(h: Harness) {
    load_registry(&h).await;
    let trail_length = async || {
        let trail = h.registry.audit_trail(&AuditFilter::default()).await;
        trail.unwrap().len()
    };
    let members = h.write("members.csv", MEMBERS);
    let again = h.import("members", &members).await.unwrap();
    assert_eq!((again.new, again.changed.len(), again.unchanged), (0, 0, 5));
    let recorded = trail_length().await;

    // M1 renamed, M9 new: a dry run says so and changes nothing.
    let changed = MEMBERS.replace("M1,F1,Ravi Kumar", "M1,F1,Ravi K. Kumar")
        + "M9,F3,Meena Rao,spouse,F,1972-08-08,NID009,,,active,2025-04-01\n";
    let file = h.write("members-changed.csv", &changed);
    let before = h.dump().await;
    let preview = with_record_type!(Kind::Members, R => {
        carepool_io::preview_file::<R>(&h.registry, &file, ImportMode::AllOrNothing).await
    })
    .unwrap();
    assert_eq!(
        (preview.new, preview.changed.clone(), preview.unchanged),
        (1, vec!["M1".to_string()], 4)
    );
    assert_eq!(h.dump().await, before, "a dry run wrote something");
    assert_eq!(trail_length().await, recorded, "a dry run left a record");

    let done = h.import("members", &file).await.unwrap();
    assert_eq!(
        (done.new, done.changed, done.unchanged, done.written),
        (1, vec!["M1".to_string()], 4, 2)
    );
    let members_trail = h.trail_of("members").await;
    let last: Vec<(Option<&str>, Option<&str>)> = members_trail[members_trail.len() - 3..]
        .iter()
        .map(|r| (r.record_key.as_deref(), r.after.as_deref()))
        .collect();
    assert_eq!(
        last[0],
        (None, Some(r#"{"changed":1,"new":1,"unchanged":4}"#))
    );
    assert_eq!(last[1].0, Some("M1"));
    assert!(last[1].1.unwrap().contains("Ravi K. Kumar"), "{last:?}");
    assert_eq!(
        last[2],
        (None, Some(r#"{"keys":["M9"]}"#)),
        "a new record is kept by its key"
    );

    let (_, mut renamed) = h.call("GET", "/api/members/M1", None).await;
    renamed["name"] = json!("Ravi Kumar Singh");
    let (status, answer) = h.call("PUT", "/api/members/M1", Some(renamed)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");

    let (status, history) = h.call("GET", "/api/members/M1/history", None).await;
    assert_eq!(status, StatusCode::OK, "{history}");
    let versions: Vec<(String, String, String)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            let actor = v["actor"].as_str().unwrap_or_default();
            let who = if actor.starts_with("cli:") {
                "cli"
            } else {
                actor
            };
            (
                who.to_string(),
                v["action"].as_str().unwrap().to_string(),
                v["record"]["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let version = |who: &str, action: &str, name: &str| {
        (who.to_string(), action.to_string(), name.to_string())
    };
    assert_eq!(
        versions,
        [
            version("cli", "import", "Ravi Kumar"),
            version("cli", "import", "Ravi K. Kumar"),
            version("enrolment_officer", "update", "Ravi Kumar Singh"),
        ]
    );
    assert!(history[0]["at"].as_str().unwrap().ends_with('Z'));
    let (_, history) = h.call("GET", "/api/members/M9/history", None).await;
    assert_eq!(history.as_array().unwrap().len(), 1);
    assert_eq!(history[0]["record"]["name"], "Meena Rao", "as it stands");
    let (status, _) = h.call("GET", "/api/members/M404/history", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let elsewhere = h
        .user_token("elsewhere", Role::EnrolmentOfficer, &["D9"], None)
        .await;
    let app = carepool_server::router(h.registry.clone());
    let (status, _) = call_app(
        app,
        Some(&elsewhere),
        "GET",
        "/api/members/M1/history",
        None,
    )
    .await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "out of scope: as if it did not exist"
    );
    let (status, history) = h
        .call("GET", "/api/coverage/M1/2025-04-01/history", None)
        .await;
    assert_eq!(status, StatusCode::OK, "{history}");
}
