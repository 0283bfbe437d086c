//! Nothing impossible is accepted or paid: claims out of bounds, dated ahead or from nowhere are
//! refused at intake and never stored; decisions and payments are not dated ahead; a write that
//! is not JSON is refused; a key conflict is answered in carepool's words. On both databases.

use crate::claims::surgery;
use crate::support::{Harness, load_registry};
use carepool_core::Money;
use carepool_core::access::Role;
use carepool_core::registry::MemberStatus;
use carepool_schema::tables::{MEMBERS, members};
use carepool_service::ServiceError;
use carepool_service::claims::ReceivedClaim;
use chrono::{Datelike, Days};
use serde_json::{Value, json};

/// The first problem of an import refused whole; any other outcome fails the test.
fn first_problem(
    imported: Result<carepool_io::ImportSummary, carepool_io::CsvError>,
) -> carepool_service::RowProblem {
    match imported {
        Err(carepool_io::CsvError::Rows { mut problems, .. }) => problems.remove(0),
        other => panic!("expected the file refused, got {other:?}"),
    }
}

/// An answer's status and the field its error names.
fn status_and_field(status: axum::http::StatusCode, body: &Value) -> (u16, Option<&str>) {
    (status.as_u16(), body["error"]["field"].as_str())
}

fn claim_json(claim: &carepool_core::claims::Claim) -> Value {
    serde_json::to_value(claim).unwrap()
}

pub async fn impossible_claims_decisions_and_payments_are_refused(h: Harness) {
    load_registry(&h).await;
    let today = h.registry.today();
    let tomorrow = today + Days::new(1);
    let before = h.dump().await;

    // By the API: each refused with the field and a stable reason, and nothing stored.
    let mut ahead = surgery("AHEAD", "M1", "2025-06-01", 22_000);
    ahead.discharge_date = Some(tomorrow);
    let mut priced = surgery("PRICED", "M1", "2025-06-01", 22_000);
    priced.lines[0].unit_price = Money::from_minor(i64::MAX);
    let mut counted = surgery("COUNTED", "M1", "2025-06-01", 22_000);
    counted.lines[0].quantity = i64::MAX;
    let mut nowhere = surgery("NOWHERE", "M1", "2025-06-01", 22_000);
    nowhere.provider_id = "H404".into();
    let mut refunded = surgery("REFUNDED", "M1", "2025-06-01", 22_000);
    refunded.copay_collected = Money::from_units(-5);
    for (claim, field, reason) in [
        (&ahead, "discharge_date", "future_date"),
        (&priced, "unit_price", "price_too_large"),
        (&counted, "quantity", "quantity_too_large"),
        (&nowhere, "provider_id", "provider_unknown"),
        (&refunded, "copay_collected", "negative_copay"),
    ] {
        let (status, body) = h
            .call_as(
                Role::ClaimsOfficer,
                "POST",
                "/api/claims",
                Some(claim_json(claim)),
            )
            .await;
        assert_eq!(
            (
                status.as_u16(),
                body["error"]["field"].as_str(),
                body["error"]["reason"].as_str()
            ),
            (422, Some(field), Some(reason)),
            "{body}"
        );
    }
    // By file: the whole input refused, the line and the reason named.
    let received = |line, claim: &carepool_core::claims::Claim| ReceivedClaim {
        line,
        claim: claim.clone(),
    };
    let good = surgery("GOOD", "M1", "2025-06-01", 22_000);
    let mut late = surgery("LATE", "M1", "2025-06-01", 22_000);
    late.received_date = tomorrow;
    match h
        .registry
        .receive_claims(vec![received(2, &good), received(3, &late)])
        .await
    {
        Err(ServiceError::Invalid(problems)) => {
            assert_eq!(problems.len(), 1, "{problems:?}");
            let problem = &problems[0];
            assert_eq!(
                (problem.line, problem.column.as_deref(), problem.reason),
                (3, Some("received_date"), Some("future_date"))
            );
        }
        other => panic!("expected the file refused, got {other:?}"),
    }
    assert_eq!(
        h.dump().await,
        before,
        "nothing of a refused claim is stored"
    );

    // Decisions and payments are not dated ahead, and a month is paid once it is over.
    fn refused_field<T>(result: Result<T, ServiceError>) -> Option<String> {
        match result {
            Err(ServiceError::Invalid(problems)) => problems[0].column.clone(),
            other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
        }
    }
    assert_eq!(
        refused_field(h.registry.adjudicate_received(tomorrow, &|_| {}).await),
        Some("date".into())
    );
    for period in ["9999-12".to_string(), today.format("%Y-%m").to_string()] {
        assert_eq!(
            refused_field(h.registry.propose_payment_run(&period).await),
            Some("period".into()),
            "{period}"
        );
    }
    let (status, body) = h
        .call_as(
            Role::FinanceOfficer,
            "POST",
            "/api/claims/pay",
            Some(json!({ "period": "9999-12" })),
        )
        .await;
    assert_eq!(
        status_and_field(status, &body),
        (422, Some("period")),
        "{body}"
    );

    // Sent again unchanged, a claim is answered as it stands: 200, not 201.
    let (status, first) = h
        .call_as(
            Role::ClaimsOfficer,
            "POST",
            "/api/claims",
            Some(claim_json(&good)),
        )
        .await;
    assert_eq!(status.as_u16(), 201, "{first}");
    let (status, again) = h
        .call_as(
            Role::ClaimsOfficer,
            "POST",
            "/api/claims",
            Some(claim_json(&good)),
        )
        .await;
    assert_eq!((status.as_u16(), &again), (200, &first));

    // A key taken: a conflict in carepool's words, no database text.
    let (status, body) = h.call("GET", "/api/contributions", None).await;
    assert_eq!(status.as_u16(), 200, "{body}");
    let taken = body["items"][0].clone();
    let (status, body) = h.call("POST", "/api/contributions", Some(taken)).await;
    assert_eq!(status.as_u16(), 409, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("another contribution has the same"),
        "{message}"
    );
    assert_eq!(
        body["error"]["field"], "receipt",
        "the field that holds the value taken"
    );
    for database_word in ["UNIQUE", "constraint", "duplicate key"] {
        assert!(!message.contains(database_word), "{message}");
    }
}

/// A write whose body is not declared JSON is refused before anything runs: a page of another
/// site can post text, never JSON, without the CORS preflight carepool never answers.
pub async fn a_write_that_is_not_json_is_refused(h: Harness) {
    load_registry(&h).await;
    let token = h.token(Role::FinanceOfficer).await;
    let app = carepool_server::router(h.registry.clone());
    let request = axum::http::Request::builder()
        .method("POST")
        .uri("/api/claims/pay")
        .header("authorization", format!("Bearer {token}"))
        .header("content-type", "text/plain")
        .body(axum::body::Body::from(r#"{"period":"2025-05"}"#))
        .unwrap();
    let before = h.dump().await;
    let answer = tower::ServiceExt::oneshot(app, request).await.unwrap();
    assert_eq!(answer.status().as_u16(), 415);
    assert_eq!(h.dump().await, before, "no run proposed");
}

/// Every answer carries the security headers, whatever it is: an open document, a refusal of
/// an unknown caller, a write that is not JSON (refused before the caller is looked up), an
/// unknown route, and a signed-in answer with personal data.
pub async fn every_answer_carries_the_security_headers(h: Harness) {
    load_registry(&h).await;
    let token = h.token(Role::EnrolmentOfficer).await;
    let app = carepool_server::router(h.registry.clone());
    let cases = [
        ("GET", "/api/openapi.json", None, "application/json", 200),
        ("GET", "/api/members", None, "application/json", 401),
        ("POST", "/api/members", Some(&token), "text/plain", 415),
        ("GET", "/api/nowhere", Some(&token), "application/json", 404),
        (
            "GET",
            "/api/members/M1",
            Some(&token),
            "application/json",
            200,
        ),
    ];
    for (method, uri, token, content_type, status) in cases {
        let mut request = axum::http::Request::builder()
            .method(method)
            .uri(uri)
            .header("content-type", content_type);
        if let Some(token) = token {
            request = request.header("authorization", format!("Bearer {token}"));
        }
        let body = match method {
            "POST" => axum::body::Body::from("id=M9"),
            _ => axum::body::Body::empty(),
        };
        let request = request.body(body).unwrap();
        let answer = tower::ServiceExt::oneshot(app.clone(), request)
            .await
            .unwrap();
        assert_eq!(answer.status().as_u16(), status, "{method} {uri}");
        let headers = answer.headers();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        assert_eq!(
            header("content-security-policy"),
            Some(carepool_server::headers::POLICY),
            "{method} {uri}"
        );
        assert_eq!(header("x-content-type-options"), Some("nosniff"));
        assert_eq!(header("x-frame-options"), Some("DENY"));
        assert_eq!(header("referrer-policy"), Some("no-referrer"));
        assert_eq!(header("cache-control"), Some("no-store"), "{method} {uri}");
    }
}

/// A NUL byte, a line break or a novel in a text field, or a date before 1900, is refused with
/// its line and column (a file) or field (the API), on both databases, and nothing is written.
pub async fn text_a_database_cannot_keep_is_refused_where_it_comes_in(h: Harness) {
    load_registry(&h).await;
    let before = h.dump().await;
    let file = h.write(
        "families-nul.csv",
        "id,scheme,location_code,poverty_score,household_id\nF7,pip,V1,22.5,HH\u{0}7\n",
    );
    let problem = first_problem(h.import("families", &file).await);
    assert_eq!(
        (problem.line, problem.column.as_deref()),
        (2, Some("household_id"))
    );
    assert!(
        problem.message.contains("a NUL byte"),
        "{}",
        problem.message
    );
    let member = |name: &str| {
        json!({ "id": "M70", "family_id": "F1", "name": name, "relationship": "child",
            "sex": "M", "birth_date": "2020-01-01", "national_id": null, "categories": [],
            "monthly_wage": null, "status": "active", "status_since": "2025-04-01" })
    };
    for name in [
        "Awa\u{0}".to_string(),
        "Awa\nTraoré".into(),
        "a".repeat(1_000_001),
    ] {
        let (status, body) = h.call("POST", "/api/members", Some(member(&name))).await;
        assert_eq!(
            status_and_field(status, &body),
            (422, Some("name")),
            "{body}"
        );
    }
    let mut typo = member("Awa");
    typo["birth_date"] = json!("0202-01-01");
    let (status, body) = h.call("POST", "/api/members", Some(typo)).await;
    assert_eq!(
        status_and_field(status, &body),
        (422, Some("birth_date")),
        "a year typed short is not a date of birth: {body}"
    );
    // A NUL in an id that is looked up (found by the fuzz harness: 500 on PostgreSQL).
    let (_, mut moved) = h.call("GET", "/api/members/M2", None).await;
    moved["family_id"] = json!("F\u{0}1");
    let (status, body) = h.call("PUT", "/api/members/M2", Some(moved)).await;
    assert_eq!(
        status_and_field(status, &body),
        (422, Some("family_id")),
        "{body}"
    );
    for (uri, field) in [
        ("/api/members/M%001", "id"),
        ("/api/members?family_id=F%001", "family_id"),
    ] {
        let (status, body) = h.call("GET", uri, None).await;
        assert_eq!(
            status_and_field(status, &body),
            (422, Some(field)),
            "{uri}: {body}"
        );
    }
    for field in ["member_id", "provider_id", "claim_number"] {
        let mut claim = claim_json(&surgery("NUL", "M1", "2025-06-01", 22_000));
        claim[field] = json!("X\u{0}");
        let (status, body) = h.call("POST", "/api/claims", Some(claim)).await;
        assert_eq!(
            status_and_field(status, &body),
            (422, Some(field)),
            "{body}"
        );
    }
    assert_eq!(h.dump().await, before, "nothing written");
}

/// A family keeps its scheme, and a member the scheme of its family: neither an import nor an
/// update moves one into another scheme (the error names both), on both databases.
pub async fn a_family_or_member_cannot_move_between_schemes(h: Harness) {
    load_registry(&h).await;
    h.load_scheme(&crate::support::example("mutual/scheme.toml"))
        .await;
    let mutual_family = json!({ "id": "F9", "scheme": "mho-kb", "location_code": "V1",
        "poverty_score": null, "household_id": null });
    let (status, body) = h.call("POST", "/api/families", Some(mutual_family)).await;
    assert_eq!(status.as_u16(), 201, "{body}");
    let before = h.dump().await;

    let moved_family = h.write(
        "families-moved.csv",
        "id,scheme,location_code,poverty_score,household_id\nF1,mho-kb,V1,22.5,HH1\n",
    );
    let problem = first_problem(h.import("families", &moved_family).await);
    assert_eq!(
        (problem.line, problem.column.as_deref()),
        (2, Some("scheme"))
    );
    assert!(
        problem.message.contains("family F1 belongs to scheme pip")
            && problem.message.contains("cannot move to scheme mho-kb"),
        "{}",
        problem.message
    );
    let (status, mut member) = h.call("GET", "/api/members/M1", None).await;
    assert_eq!(status.as_u16(), 200, "{member}");
    member["family_id"] = json!("F9");
    let (status, body) = h.call("PUT", "/api/members/M1", Some(member)).await;
    assert_eq!(
        status_and_field(status, &body),
        (422, Some("family_id")),
        "{body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("member M1 belongs to scheme pip"),
        "{body}"
    );
    assert_eq!(h.dump().await, before, "nothing moved");
}

/// Every option that sizes a study's work is bounded, checked before any is done: at the bound
/// the study runs, past it the answer is 422 naming the option, on both databases.
pub async fn studies_past_their_bounds_are_refused_before_any_work(h: Harness) {
    load_registry(&h).await;
    let refused = |path: &'static str, body: Value, field: &'static str| {
        let h = &h;
        async move {
            let (status, error) = h.call("POST", path, Some(body)).await;
            assert_eq!(status.as_u16(), 422, "{path}: {error}");
            assert_eq!(error["error"]["field"], field, "{path}: {error}");
            error["error"]["message"].as_str().unwrap().to_string()
        }
    };
    let answered = |path: &'static str, body: Value| {
        let h = &h;
        async move {
            let (status, answer) = h.call("POST", path, Some(body)).await;
            assert_eq!(status.as_u16(), 200, "{path}: {answer}");
        }
    };

    // The reserve that grew the server to 24 GB: a monthly triangle to the year 9999.
    refused(
        "/api/reserve",
        json!({"valuation": "9999-12-31", "origin": "month"}),
        "valuation",
    )
    .await;
    // The experience study that asked for 2 GB: every month of ten thousand years.
    let message = refused(
        "/api/experience",
        json!({"from": "0001-01-01", "to": "9999-12-31", "split": "month"}),
        "from",
    )
    .await;
    assert!(message.contains("not a plausible date"), "{message}");
    let hundred: Vec<u32> = (0..100).collect();
    let many = json!({"from": "1900-01-01", "to": "2200-12-31", "split": "month",
        "age_bands": hundred, "duration_bands": hundred});
    let message = refused("/api/experience", many, "from").await;
    assert!(message.contains("at most 1000000"), "{message}");
    let too_many_bands: Vec<u32> = (0..101).collect();
    refused(
        "/api/experience",
        json!({"from": "2025-01-01", "to": "2025-12-31", "age_bands": too_many_bands}),
        "age_bands",
    )
    .await;
    answered(
        "/api/experience",
        json!({"from": "2025-01-01", "to": "2025-12-31", "age_bands": hundred}),
    )
    .await;

    // A projection or costing horizon: 200 years is the bound, 100,000,000 is refused at once.
    let projection = |years: u64| {
        json!({
            "base": { "date": "2026-04-01", "lines": [
                { "name": "surgery", "incidence_per_1000": 100.0, "average_cost": 1000.0 } ] },
            "projection": { "start": "2026-10-01", "years": years },
            "population": { "members": [1000.0], "family_size": [5.0] },
            "loadings": { "expenses": [0.2] }
        })
    };
    answered("/api/project", projection(200)).await;
    let message = refused("/api/project", projection(100_000_000), "projection.years").await;
    assert!(
        message.contains("100000000 years; at most 200"),
        "{message}"
    );
    let costing = |years: u64| {
        json!({
            "horizon": { "first_year": 2027, "years": years },
            "coverage": { "start": 0.5, "target": 1.0, "target_year": 6 },
            "population": [ { "cell": "all", "people": [1000.0] } ],
            "benefits": [ { "name": "care", "cost_per_capita": 10.0 } ],
            "economy": { "gdp": 100000.0, "real_growth": [0.0], "inflation": [0.0], "government_share": [0.2] },
            "revenue": { "amounts": [4000.0] }
        })
    };
    // Inputs each in range that compound past what a number holds: refused, never null.
    let mut huge = projection(2);
    huge["base"]["lines"][0]["incidence_per_1000"] = json!(1e308);
    let (status, error) = h.call("POST", "/api/project", Some(huge)).await;
    assert_eq!(
        (status.as_u16(), error["error"]["code"].as_str()),
        (422, Some("not_estimable")),
        "{error}"
    );
    answered("/api/costing", costing(200)).await;
    let message = refused("/api/costing", costing(100_000_000), "horizon.years").await;
    assert!(
        message.contains("100000000 years; at most 200"),
        "{message}"
    );
}

/// A death or exit recorded after a claim for later care was approved holds the claim for
/// review: at once when it is written (update or import), and before a payment run for a
/// death written behind carepool's back; the run never pays it. On both databases.
pub async fn a_claim_for_care_after_a_death_or_exit_is_held_not_paid(h: Harness) {
    load_registry(&h).await;
    let today = h.registry.today();
    let next_month = carepool_core::dates::add_months(
        chrono::NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap(),
        1,
    );
    let paying =
        h.registry
            .clone()
            .with_clock(std::sync::Arc::new(carepool_service::ManualClock::new(
                next_month,
            )));
    let claim_status = |number: &'static str| {
        let h = &h;
        async move {
            let (status, claim) = h
                .call("GET", &format!("/api/claims/H1/{number}"), None)
                .await;
            assert_eq!(status.as_u16(), 200, "{claim}");
            claim
        }
    };
    for (number, member) in [
        ("AFTER-DEATH", "M1"),
        ("BEFORE-EXIT", "M4"),
        ("LATE-NEWS", "M2"),
    ] {
        let (status, body) = h
            .call_as(
                Role::ClaimsOfficer,
                "POST",
                "/api/claims",
                Some(claim_json(&surgery(number, member, "2025-06-01", 22_000))),
            )
            .await;
        assert_eq!(status.as_u16(), 201, "{body}");
        assert_eq!(claim_status(number).await["status"], "approved");
    }

    // M1 died before the stay: written through the API, the claim is held at once.
    let (_, mut died) = h.call("GET", "/api/members/M1", None).await;
    died["status"] = json!("deceased");
    died["status_since"] = json!("2025-05-20");
    let (status, answer) = h.call("PUT", "/api/members/M1", Some(died)).await;
    assert_eq!(status.as_u16(), 200, "{answer}");
    let held = claim_status("AFTER-DEATH").await;
    assert_eq!(held["status"], "in_review", "{held}");
    assert!(
        held["reason_codes"]
            .as_array()
            .unwrap()
            .contains(&json!("after_exit")),
        "{held}"
    );
    // M4 left after the stay, by import: that claim stands.
    let exit = "id,family_id,name,relationship,sex,birth_date,national_id,categories,monthly_wage,status,status_since
M4,F2,Lata Devi,head,F,1975-05-05,NID004,,,inactive,2025-07-01
";
    let exit = h.write("exit.csv", exit);
    let imported = h.import("members", &exit).await.unwrap();
    assert_eq!((imported.changed.len(), imported.held_for_review), (1, 0));
    assert_eq!(claim_status("BEFORE-EXIT").await["status"], "approved");

    // M2's death reaches the database without carepool's hook (another tool, a restore): the
    // payment run holds the claim before proposing anything.
    let mut row = h
        .store
        .get(&MEMBERS, &[carepool_schema::Value::Text("M2".into())])
        .await
        .unwrap()
        .unwrap();
    members::STATUS.set(&mut row, &MemberStatus::Deceased);
    members::STATUS_SINCE.set(&mut row, &"2025-05-31".parse().unwrap());
    h.store.upsert(&MEMBERS, &[row], &|_| {}).await.unwrap();
    let run = paying
        .propose_payment_run(&today.format("%Y-%m").to_string())
        .await
        .unwrap();
    assert_eq!(run.claims, 1, "only M4's claim goes into the run: {run:?}");
    assert_eq!(claim_status("LATE-NEWS").await["status"], "in_review");
    assert_eq!(claim_status("AFTER-DEATH").await["status"], "in_review");

    // A reviewer finds the death recorded on the wrong date and approves: that stands, and the
    // next run pays it rather than hold it again.
    let (status, reviewed) = h
        .call_as(
            Role::MedicalReviewer,
            "POST",
            "/api/claims/H1/AFTER-DEATH/review",
            Some(json!({"decision": "approve", "note": "death registered a month late; care was given"})),
        )
        .await;
    assert_eq!(status.as_u16(), 200, "{reviewed}");
    let again = paying
        .propose_payment_run(&today.format("%Y-%m").to_string())
        .await
        .unwrap();
    assert_eq!(again.claims, 1, "the reviewed claim is paid: {again:?}");
    assert_eq!(claim_status("AFTER-DEATH").await["status"], "approved");
}

/// An integrator's mistakes answered in JSON with what was wrong: a method an endpoint does not
/// answer is 405 `method_not_allowed`; a filter on a status that does not exist is refused; a
/// field left out is named, not `.`.
pub async fn a_wrong_method_a_bogus_filter_and_a_missing_field_are_named(h: Harness) {
    load_registry(&h).await;
    let token = h.token(Role::EnrolmentOfficer).await;
    let app = carepool_server::router(h.registry.clone());
    let (status, body) =
        crate::support::call_app(app, Some(&token), "DELETE", "/api/members/M1", None).await;
    assert_eq!(
        (status.as_u16(), body["error"]["code"].as_str()),
        (405, Some("method_not_allowed")),
        "{body}"
    );
    // A filter on a value a code never takes is refused, not an empty list.
    let (status, body) = h.call("GET", "/api/claims?status=bogus", None).await;
    assert_eq!(
        status_and_field(status, &body),
        (422, Some("status")),
        "{body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("'bogus' is not one of: received, in_review"),
        "{body}"
    );
    let (status, body) = h.call("GET", "/api/claims?status=in_review", None).await;
    assert_eq!(status.as_u16(), 200, "{body}");

    // A national id taken: said so, without saying whose.
    let (_, mut twin) = h.call("GET", "/api/members/M2", None).await;
    twin["id"] = json!("M9");
    twin["national_id"] = json!("NID001");
    let (status, body) = h.call("POST", "/api/members", Some(twin)).await;
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert_eq!(
        status_and_field(status, &body),
        (422, Some("national_id")),
        "{body}"
    );
    assert!(
        message.contains("already another member's") && !message.contains("M1"),
        "{message}"
    );

    let mut claim = claim_json(&surgery("MISSING", "M1", "2025-06-01", 22_000));
    claim.as_object_mut().unwrap().remove("member_id");
    let (status, body) = h
        .call_as(Role::ClaimsOfficer, "POST", "/api/claims", Some(claim))
        .await;
    assert_eq!(
        status_and_field(status, &body),
        (422, Some("member_id")),
        "{body}"
    );
    let mut line_left_out = claim_json(&surgery("MISSING", "M1", "2025-06-01", 22_000));
    line_left_out["lines"][0]
        .as_object_mut()
        .unwrap()
        .remove("quantity");
    let (status, body) = h
        .call_as(
            Role::ClaimsOfficer,
            "POST",
            "/api/claims",
            Some(line_left_out),
        )
        .await;
    assert_eq!(
        status_and_field(status, &body),
        (422, Some("lines[0].quantity")),
        "{body}"
    );
}
