//! Claims on both backends: submission through the API, decisions with reasons, a family limit
//! reached, review, payment run twice, many claims of one family at once, a failure in the
//! middle of a batch that leaves nothing behind, and the intake's groups of submissions.

use crate::support::{Harness, call_app, load_registry};
use async_trait::async_trait;
use axum::http::StatusCode;
use carepool_core::Money;
use carepool_core::access::Role;
use carepool_core::claims::review::ReviewAction;
use carepool_core::claims::{Claim, ClaimLine, ClaimStatus};
use carepool_core::registry::{Member, MemberStatus};
use carepool_schema::Record;
use carepool_schema::claim_tables::{CLAIM_USAGE, CLAIMS, ClaimRow, UsageRow};
use carepool_schema::tables::MEMBERS;
use carepool_schema::{Row, Table, Value};
use carepool_service::audit::Actor;
use carepool_service::audit::AuditFilter;
use carepool_service::claims::{
    AdjudicationReport, BATCH, ClaimView, ReceivedClaim, RecentContext, Submission,
};
use carepool_service::{ManualClock, NotWritten, Registry, ServiceError};
use carepool_store::{
    Decide, DecideStep, ListQuery, Lock, LockedReads, PageStart, Progress, Store, StoreError,
    StoredSchemeVersion, WriteParts, WriteRun, Writes,
};
use chrono::{Datelike, NaiveDate};
use serde_json::json;
use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn day(text: &str) -> NaiveDate {
    text.parse().unwrap()
}

/// A surgical stay at the district hospital H1 for `member`, admitted on `admitted`.
pub fn surgery(number: &str, member: &str, admitted: &str, price: i64) -> Claim {
    Claim {
        provider_id: "H1".into(),
        claim_number: number.into(),
        member_id: member.into(),
        visit_date: None,
        admission_date: Some(day(admitted)),
        discharge_date: Some(day(admitted) + chrono::Days::new(3)),
        diagnosis_codes: vec!["K40.9".into()],
        clinical_category: "surgical".into(),
        specialty: Some("general_surgery".into()),
        limit_raising_case: None,
        copay_collected: Money::ZERO,
        received_date: day("2025-09-01"),
        lines: vec![ClaimLine {
            service_code: "SURG-GEN".into(),
            quantity: 1,
            unit_price: Money::from_units(price),
        }],
    }
}

pub async fn claims_story(h: Harness) {
    load_registry(&h).await;

    // One stay through the API: approved in full, no share for a poor family (exempt, noted),
    // transport paid.
    let (status, body) = h
        .call(
            "POST",
            "/api/claims",
            Some(serde_json::to_value(surgery("1", "M1", "2025-06-01", 22_000)).unwrap()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "approved");
    assert_eq!(body["approved"], "22000.00");
    assert_eq!(body["allowance"], "350.00");
    assert_eq!(
        body["reason_codes"],
        json!(["transport_allowance", "exempt"])
    );

    // A batch: a pending member is refused; the family reaches its 50,000 limit mid-claim.
    let batch = json!([
        surgery("2", "M3", "2025-06-10", 22_000),
        surgery("3", "M2", "2025-06-20", 22_000),
        surgery("4", "M1", "2025-07-01", 22_000),
    ]);
    let (status, body) = h.call("POST", "/api/claims", Some(batch)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body[0]["status"], "rejected");
    assert_eq!(body[0]["reasons"][0]["code"], "member_pending");
    assert_eq!(body[1]["approved"], "22000.00");
    assert_eq!(body[2]["status"], "partially_approved");
    assert_eq!(body[2]["approved"], "6000.00");
    assert_eq!(body[2]["rejected"], "16000.00");
    let limit = body[2]["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "annual_limit")
        .unwrap();
    assert!(
        limit["message"]
            .as_str()
            .unwrap()
            .starts_with("cut by 16,000.00: family limit"),
        "{limit}"
    );

    // Sending the same claim again changes nothing; changed, it is refused.
    let (status, _) = h
        .call(
            "POST",
            "/api/claims",
            Some(serde_json::to_value(surgery("1", "M1", "2025-06-01", 22_000)).unwrap()),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "answered as it stands, nothing created"
    );
    let (status, body) = h
        .call(
            "POST",
            "/api/claims",
            Some(serde_json::to_value(surgery("1", "M1", "2025-06-01", 25_000)).unwrap()),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");

    // The same stay under another number is a probable duplicate: held for review, its amount
    // held against the limit until the reviewer decides.
    let claim = |number: &str| {
        Some(serde_json::to_value(surgery(number, "M4", "2025-06-01", 22_000)).unwrap())
    };
    let (_, body) = h.call("POST", "/api/claims", claim("6")).await;
    assert_eq!(body["status"], "approved");
    let (_, body) = h.call("POST", "/api/claims", claim("7")).await;
    assert_eq!(body["status"], "in_review", "{body}");
    assert!(
        body["reason_codes"]
            .as_array()
            .unwrap()
            .contains(&json!("duplicate_claim")),
        "{body}"
    );
    let (_, cover) = h
        .call("GET", "/api/members/M4/cover?date=2025-08-01", None)
        .await;
    assert_eq!(cover["categories"][0]["left"], "6000.00");
    // Paying a probable duplicate takes the reviewer's word that it is not one, recorded.
    let (status, body) = h
        .call(
            "POST",
            "/api/claims/H1/7/review",
            Some(json!({ "decision": "adjust", "approved": "10000", "note": "one day less" })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("probable duplicate"),
        "{body}"
    );
    let (status, body) = h
        .call("POST", "/api/claims/H1/7/review", Some(json!({ "decision": "adjust", "approved": "10000", "note": "a second operation; one day less", "not_duplicate": true })))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["review_note"], "not a duplicate: a second operation; one day less",
        "{body}"
    );
    assert_eq!(body["status"], "partially_approved");
    assert_eq!(body["approved"], "10000.00");
    assert_eq!(
        body["reasons"].as_array().unwrap().last().unwrap()["code"],
        "review_adjusted"
    );
    let (_, cover) = h
        .call("GET", "/api/members/M4/cover?date=2025-08-01", None)
        .await;
    assert_eq!(
        cover["categories"][0]["left"], "18000.00",
        "the cut is given back to the limit"
    );
    let (status, body) = h
        .call(
            "POST",
            "/api/claims/H1/7/review",
            Some(json!({ "decision": "approve", "note": "again" })),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // The trail holds the review, by the reviewer, with the claim before and after; the
    // refused second review left nothing.
    let trail = |table: &str| {
        let filter = AuditFilter {
            table: Some(table.to_string()),
            ..AuditFilter::default()
        };
        let registry = h.registry.clone();
        async move { registry.audit_trail(&filter).await.unwrap() }
    };
    let reviews = trail("claims").await;
    let made: Vec<(&str, &str, Option<&str>)> = reviews
        .iter()
        .map(|r| (r.actor.as_str(), r.action.as_str(), r.record_key.as_deref()))
        .collect();
    // Each claim sent is recorded once, as decided, by the user who sent it (a claim sent
    // again unchanged, or refused, adds nothing); then the review.
    let sender = "claims_officer";
    let submitted = |number| (sender, "submit", Some(number));
    assert_eq!(
        made,
        [
            submitted("H1/1"),
            submitted("H1/2"),
            submitted("H1/3"),
            submitted("H1/4"),
            submitted("H1/6"),
            submitted("H1/7"),
            ("medical_reviewer", "review", Some("H1/7"))
        ]
    );
    assert!(
        reviews[5]
            .after
            .as_deref()
            .unwrap()
            .contains(r#""status":"in_review""#),
        "recorded as decided: {:?}",
        reviews[5].after
    );
    let reviews = &reviews[6..];
    assert!(
        reviews[0]
            .before
            .as_deref()
            .unwrap()
            .contains(r#""status":"in_review""#)
    );
    assert!(
        reviews[0]
            .after
            .as_deref()
            .unwrap()
            .contains(r#""status":"partially_approved""#)
    );
    let after = reviews[0].after.as_deref().unwrap();
    assert!(
        after.contains(r#""received_by":"claims_officer""#)
            && after.contains(r#""reviewed_by":"medical_reviewer""#),
        "{after}"
    );

    // What a facility sees before admitting M2: nothing left of secondary care.
    let (_, cover) = h
        .call("GET", "/api/members/M2/cover?date=2025-08-01", None)
        .await;
    assert_eq!(cover["covered"], true);
    assert_eq!(cover["categories"][0]["left"], "0.00");

    // Payment, in two steps by two finance officers: a run is proposed (one payment to H1, one
    // to each patient with an allowance), which pays nothing until another officer releases it.
    // The claims were judged today; their month is paid once it is over, on a server whose
    // clock reads next month.
    let today = chrono::Local::now().date_naive();
    let period = today.format("%Y-%m").to_string();
    let next_month = carepool_core::dates::add_months(
        NaiveDate::from_ymd_opt(today.year(), today.month(), 1).unwrap(),
        1,
    );
    let app = carepool_server::router(
        h.registry
            .clone()
            .with_clock(Arc::new(ManualClock::new(next_month))),
    );
    let finance = h.token(Role::FinanceOfficer).await;
    let pay = |body: serde_json::Value| {
        call_app(
            app.clone(),
            Some(&finance),
            "POST",
            "/api/claims/pay",
            Some(body),
        )
    };
    let (status, proposed) = pay(json!({ "period": period })).await;
    assert_eq!(status, StatusCode::OK, "{proposed}");
    let run = format!("{period}/1");
    assert_eq!(
        (&proposed["run"], &proposed["status"], &proposed["claims"]),
        (&json!(run), &json!("proposed"), &json!(5))
    );
    assert_eq!(
        proposed["to_facilities"], "82000.00",
        "50,000 + 22,000 + 10,000"
    );
    assert_eq!(proposed["to_patients"], "1750.00", "5 allowances of 350");
    let kinds: Vec<&str> = proposed["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["payee_kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["provider", "member", "member", "member"]);
    let held = h.registry.claim_view("H1/4").await.unwrap().record;
    assert_eq!(
        (held.status, held.paid_date),
        (ClaimStatus::PartiallyApproved, None)
    );
    let (status, again) = pay(json!({ "period": period })).await;
    assert_eq!(
        (status, &again["run"]),
        (StatusCode::OK, &json!(null)),
        "claims held by a run are not proposed twice: {again}"
    );

    let release = format!("/api/payment-runs/{run}/release");
    let paid_on = json!({ "date": "2026-12-01" });
    let (status, refused) = call_app(
        app.clone(),
        Some(&finance),
        "POST",
        &release,
        Some(paid_on.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{refused}");
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("another finance officer must release it"),
        "{refused}"
    );
    let second = h
        .user_token("second_finance_officer", Role::FinanceOfficer, &[], None)
        .await;
    let (status, released) = call_app(
        app.clone(),
        Some(&second),
        "POST",
        &release,
        Some(paid_on.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{released}");
    assert_eq!(
        (
            &released["status"],
            &released["released_by"],
            &released["paid_date"]
        ),
        (
            &json!("released"),
            &json!("second_finance_officer"),
            &json!("2026-12-01")
        )
    );
    let (status, _) = call_app(app.clone(), Some(&second), "POST", &release, Some(paid_on)).await;
    assert_eq!(status, StatusCode::CONFLICT, "released once");
    let (status, runs) = h
        .call("GET", &format!("/api/payment-runs/{period}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{runs}");
    assert_eq!(runs[0]["status"], "released");
    let payments = h.export("payments").await;
    assert_eq!(
        payments.lines().count(),
        1 + 4,
        "a header and the four payments:\n{payments}"
    );

    let steps = trail("payment_runs").await;
    let made: Vec<(&str, &str, Option<&str>)> = steps
        .iter()
        .map(|r| (r.actor.as_str(), r.action.as_str(), r.record_key.as_deref()))
        .collect();
    assert_eq!(
        made,
        [
            ("finance_officer", "propose_payment_run", Some(run.as_str())),
            (
                "second_finance_officer",
                "release_payment_run",
                Some(run.as_str())
            ),
        ],
        "refused steps and a proposal of nothing left nothing"
    );
    assert!(
        steps[1]
            .after
            .as_deref()
            .unwrap()
            .contains(r#""status":"released""#)
    );
    let view = h.registry.claim_view("H1/4").await.unwrap();
    assert_eq!(view.record.status, ClaimStatus::Paid);
    assert_eq!(view.record.paid, Money::from_units(6_000));
    assert_eq!(view.record.paid_date, Some(day("2026-12-01")));
    assert_eq!(
        view.record.payment_batch.as_deref(),
        Some(format!("{period}/provider/H1").as_str())
    );
}

/// Segregation of duties: nobody reviews a claim they submitted or received; another reviewer
/// may, and the claim then names both.
pub async fn a_reviewer_may_not_review_a_claim_they_sent(h: Harness) {
    load_registry(&h).await;
    let as_user = |name: &str| h.registry.clone().acting_as(Actor::user(name));
    let (awa, ben, carol) = (as_user("awa"), as_user("ben"), as_user("carol"));
    let today = day("2025-09-02");
    let stay = |number: &str| surgery(number, "M4", "2025-06-01", 22_000);
    // Claim 7 is the same stay as 6 under another number: held for review.
    let recent = &mut RecentContext::new(&awa);
    for number in ["6", "7"] {
        let received = vec![ReceivedClaim {
            line: 0,
            claim: stay(number),
        }];
        let mut answers = awa.submit_together(vec![received], today, recent).await;
        answers.pop().unwrap().unwrap();
    }
    let approve = ReviewAction::Approve;
    let refused = awa
        .review_claim("H1/7", &approve, "seen the file", false, today)
        .await
        .unwrap_err();
    assert!(matches!(refused, ServiceError::Forbidden(_)), "{refused:?}");
    assert_eq!(
        refused.to_string(),
        "claim H1/7 was received or submitted by awa: another reviewer must decide it"
    );
    let reviews = |trail: Vec<(String, String, Option<String>)>| {
        trail
            .into_iter()
            .filter(|(_, action, _)| action == "review")
            .collect::<Vec<_>>()
    };
    assert!(
        reviews(trail(&h).await).is_empty(),
        "a refusal leaves nothing"
    );
    // H1/7 is held as a probable duplicate of H1/6: ben says it is not one.
    let reviewed = ben
        .review_claim("H1/7", &approve, "seen the file", true, today)
        .await
        .unwrap();
    let hands = |view: &ClaimView| {
        let record = &view.record;
        (record.received_by.clone(), record.reviewed_by.clone())
    };
    assert_eq!(hands(&reviewed), (Some("awa".into()), Some("ben".into())));

    // A claims file received by carol, judged by ben's run: carol may not review it, ben may.
    carol
        .receive_claims(vec![ReceivedClaim {
            line: 1,
            claim: stay("8"),
        }])
        .await
        .unwrap();
    ben.adjudicate_received(today, &|_| {}).await.unwrap();
    let refused = carol
        .review_claim("H1/8", &approve, "fine", false, today)
        .await;
    assert!(
        matches!(refused, Err(ServiceError::Forbidden(_))),
        "{refused:?}"
    );
    let reviewed = ben
        .review_claim("H1/8", &approve, "fine", true, today)
        .await;
    assert_eq!(
        hands(&reviewed.unwrap()),
        (Some("carol".into()), Some("ben".into()))
    );
    let review = |key: &str| ("ben".to_string(), "review".to_string(), Some(key.into()));
    assert_eq!(reviews(trail(&h).await), [review("H1/7"), review("H1/8")]);
}

/// Many claims of one family judged at once, on several tasks and connections, never exceed
/// the family's limit together: some submitted (as over the API), others received and left to
/// batch runs going on at the same time.
pub async fn concurrent_claims_keep_the_limit(h: Harness) {
    load_registry(&h).await;
    let registry = h.registry.clone();
    let mut tasks = Vec::new();
    for i in 0..12 {
        let registry: Registry = registry.clone();
        tasks.push(tokio::spawn(async move {
            let admitted = day("2025-05-01") + chrono::Days::new(i * 5);
            let claim = surgery(&format!("C{i}"), "M4", &admitted.to_string(), 22_000);
            let received = vec![ReceivedClaim { line: 0, claim }];
            if i % 2 == 0 {
                let recent = &mut RecentContext::new(&registry);
                let mut answers = registry
                    .submit_together(vec![received], day("2025-09-02"), recent)
                    .await;
                answers.pop().unwrap().unwrap();
            } else {
                registry.receive_claims(received).await.unwrap();
                adjudicate(&registry, "2025-09-02").await;
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let mut total = Money::ZERO;
    for i in 0..12 {
        let record = h
            .registry
            .claim_view(&format!("H1/C{i}"))
            .await
            .unwrap()
            .record;
        assert_ne!(record.status, ClaimStatus::Received, "claim C{i} judged");
        total += record.amounts.approved;
    }
    assert_eq!(
        total,
        Money::from_units(50_000),
        "the family limit, exactly"
    );
}

/// Through one intake, where a group is read while the one before it is judged: twelve claims
/// of one family, each sent twice and all at once, are each stored once, each answered as
/// stored, and keep the family's limit together.
pub async fn one_intake_under_load_stores_each_claim_once_and_keeps_the_limit(h: Harness) {
    load_registry(&h).await;
    let app = carepool_server::router(h.registry.clone());
    let token = h.token_for("POST", "/api/claims").await;
    let mut sending = Vec::new();
    for i in 0..24 {
        let app = app.clone();
        let token = token.clone();
        let admitted = day("2025-05-01") + chrono::Days::new((i % 12) * 5);
        let claim = surgery(&format!("C{}", i % 12), "M4", &admitted.to_string(), 22_000);
        sending.push(tokio::spawn(async move {
            let claim = Some(serde_json::to_value(claim).unwrap());
            let (status, body) =
                call_app(app, token.as_deref(), "POST", "/api/claims", claim).await;
            // 200 for the copy that found its twin stored, 201 for one that stored it (or was
            // judged beside it).
            assert!(
                [StatusCode::CREATED, StatusCode::OK].contains(&status),
                "{status}: {body}"
            );
            body
        }));
    }
    let mut answers = Vec::new();
    for answer in sending {
        answers.push(answer.await.unwrap());
    }
    let mut total = Money::ZERO;
    for i in 0..12 {
        let id = format!("H1/C{i}");
        let view = h.registry.claim_view(&id).await.unwrap();
        total += view.record.amounts.approved;
        let stored = serde_json::to_value(&view).unwrap();
        let sent: Vec<_> = answers.iter().filter(|a| a["id"] == id).collect();
        assert_eq!(sent, [&stored, &stored], "both answers as stored");
    }
    assert_eq!(stored_claims(&h).await.len(), 12);
    assert_eq!(
        total,
        Money::from_units(50_000),
        "the family limit, exactly"
    );
}

/// On PostgreSQL the intake judges groups side by side: with family F1's row held by another
/// connection, a claim of F1 waits for it while a claim of F2, sent after, is answered; the
/// first is answered once the row is let go. (SQLite takes one writer at a time.)
pub async fn a_claim_is_not_held_behind_another_familys_locked_write(h: Harness) {
    use sqlx::Connection;
    load_registry(&h).await;
    let url = h.postgres_url().expect("row locks are PostgreSQL's");
    let mut holder = sqlx::PgConnection::connect(url).await.unwrap();
    sqlx::raw_sql("BEGIN; SELECT id FROM families WHERE id = 'F1' FOR UPDATE")
        .execute(&mut holder)
        .await
        .unwrap();
    let app = carepool_server::router(h.registry.clone());
    let token = h.token_for("POST", "/api/claims").await;
    let send = |claim: Claim| {
        let (app, token) = (app.clone(), token.clone());
        tokio::spawn(async move {
            let claim = Some(serde_json::to_value(claim).unwrap());
            call_app(app, token.as_deref(), "POST", "/api/claims", claim).await
        })
    };
    let of_f1 = send(surgery("W1", "M1", "2025-06-01", 1_000));
    // Watched from a connection of its own: inside the holder's transaction the server's
    // activity would be read once and then kept as it was.
    let mut watcher = sqlx::PgConnection::connect(url).await.unwrap();
    let waiting_for_a_lock = "SELECT count(*) FROM pg_stat_activity \
         WHERE datname = current_database() AND wait_event_type = 'Lock'";
    let deadline = Instant::now() + Duration::from_secs(30);
    while sqlx::query_scalar::<_, i64>(waiting_for_a_lock)
        .fetch_one(&mut watcher)
        .await
        .unwrap()
        == 0
    {
        assert!(
            Instant::now() < deadline,
            "F1's claim never reached its lock"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let of_f2 = send(surgery("W2", "M4", "2025-06-01", 1_000));
    let (status, body) = tokio::time::timeout(Duration::from_secs(30), of_f2)
        .await
        .expect("F2's claim answered while F1's waits")
        .unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert!(
        !of_f1.is_finished(),
        "F1's claim waits for its family's row"
    );
    sqlx::raw_sql("COMMIT").execute(&mut holder).await.unwrap();
    let (status, body) = of_f1.await.unwrap();
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(stored_claims(&h).await.len(), 2);
}

/// A claim another writer received (and left waiting) after a facility's copy was read is the
/// claim stored: the facility's submission judges it in its one locked write (no retry), is
/// answered as a resend, and the trail records the decision as the facility's.
pub async fn a_claim_received_meanwhile_and_sent_again_is_judged_as_the_senders(h: Harness) {
    load_registry(&h).await;
    let raced = surgery("X1", "M1", "2025-06-01", 1_000);
    // The intake judges submissions of several users with the server's own registry.
    let meddling = meddling(
        &h,
        Meddle::ReceiveFirst(std::sync::Mutex::new(Some(Box::new(raced.clone())))),
    );
    let submission = Submission {
        by: Actor::user("facility_h1"),
        claims: vec![ReceivedClaim {
            line: 0,
            claim: raced,
        }],
    };
    let read = meddling.read_submissions(vec![submission]).await;
    let mut answers = meddling
        .judge_submissions(read, day("2025-09-02"), &mut RecentContext::new(&meddling))
        .await;
    let views = answers.pop().unwrap().unwrap();
    assert_eq!(views[0].record.status, ClaimStatus::Approved);
    assert!(views[0].sent_before, "answered as a resend");
    assert_eq!(stored_claims(&h).await.len(), 1);
    let trail = h.trail_of("claims").await;
    let decided: Vec<&str> = (trail.iter())
        .filter(|record| record.action == "adjudicate")
        .map(|record| record.actor.as_str())
        .collect();
    assert_eq!(decided, ["facility_h1"]);
}

/// Two servers over one database (as behind a load balancer), each with its own intake: twelve
/// claims, each sent once to each server, all at once, are each stored once and both copies
/// answered as the claim stored, never as a conflict.
pub async fn the_same_claim_sent_to_two_servers_at_once_is_stored_once(h: Harness) {
    load_registry(&h).await;
    let servers = [
        carepool_server::router(h.registry.clone()),
        carepool_server::router(h.registry.clone()),
    ];
    let token = h.token_for("POST", "/api/claims").await;
    let mut sending = Vec::new();
    for i in 0..24 {
        let app = servers[i % 2].clone();
        let token = token.clone();
        let admitted = day("2025-05-01") + chrono::Days::new((i as u64 / 2) * 5);
        let claim = surgery(&format!("C{}", i / 2), "M4", &admitted.to_string(), 22_000);
        sending.push(tokio::spawn(async move {
            let claim = Some(serde_json::to_value(claim).unwrap());
            let (status, body) =
                call_app(app, token.as_deref(), "POST", "/api/claims", claim).await;
            (status, body)
        }));
    }
    let mut answers = Vec::new();
    for answer in sending {
        answers.push(answer.await.unwrap());
    }
    for i in 0..12 {
        let id = format!("H1/C{i}");
        let stored = serde_json::to_value(h.registry.claim_view(&id).await.unwrap()).unwrap();
        let sent: Vec<_> = answers.iter().filter(|(_, a)| a["id"] == id).collect();
        let bodies: Vec<_> = sent.iter().map(|(_, body)| body).collect();
        assert_eq!(bodies, [&stored, &stored], "both answers as stored");
        // One copy stored it; the other is an unchanged resend, whichever came second.
        let mut statuses: Vec<StatusCode> = sent.iter().map(|(status, _)| *status).collect();
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::CREATED], "{id}");
    }
    assert_eq!(stored_claims(&h).await.len(), 12);
    // Each claim's submission recorded once; a resend records nothing.
    let trail = h.trail_of("claims").await;
    let actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(actions, ["submit"; 12]);
}

/// Judges the claims received by `date`, on that date.
async fn adjudicate(registry: &Registry, date: &str) -> AdjudicationReport {
    registry
        .adjudicate_received(day(date), &|_| {})
        .await
        .unwrap()
}

/// These columns of every stored claim.
/// Every stored claim's row.
async fn stored_claims(h: &Harness) -> Vec<ClaimRow> {
    let every_column: Vec<usize> = (0..CLAIMS.columns.len()).collect();
    let rows = h.store.project(&CLAIMS, &every_column, &[]).await.unwrap();
    rows.iter()
        .map(|row| ClaimRow::from_row(row).unwrap())
        .collect()
}

/// A registry whose store meddles with locked writes or reads (see [`Meddle`]).
pub(crate) fn meddling(h: &Harness, meddle: Meddle) -> Registry {
    Registry::new(Arc::new(MeddlingStore(h.store.clone(), Arc::new(meddle))))
}

/// `member` dies on `day`, written to the harness's store by another writer just before the
/// first page `read` reads.
pub(crate) async fn death_at_first_page(
    h: &Harness,
    member: &str,
    day: &str,
    read: PageRead,
) -> Meddle {
    let key = [Value::Text(member.into())];
    let row = h.store.get(&MEMBERS, &key).await.unwrap().unwrap();
    let mut died = Member::from_row(&row).unwrap();
    (died.status, died.status_since) = (MemberStatus::Deceased, day.parse().unwrap());
    Meddle::WriteAtFirstPage {
        to: h.store.clone(),
        rows: std::sync::Mutex::new(Some((&MEMBERS, vec![died.into_row()]))),
        read,
    }
}

/// How a page is read: by a range of ids (a study's, the indicators'), or as a list's page in
/// key order (an export's).
#[derive(PartialEq)]
pub(crate) enum PageRead {
    Range,
    List,
}

struct MeddlingStore(Arc<dyn Store>, Arc<Meddle>);

pub(crate) enum Meddle {
    /// Fail locked writes at their commit, after all their writes were made: every one, or
    /// only those that lock a given family.
    FailCommit(Option<&'static str>),
    /// Another writer receives and judges this claim just before the first locked write takes
    /// its lock.
    JudgeFirst(std::sync::Mutex<Option<Box<Claim>>>),
    /// Another writer receives this claim, without judging it, just before the first locked
    /// write takes its lock; a second locked write fails (nothing should need one).
    ReceiveFirst(std::sync::Mutex<Option<Box<Claim>>>),
    /// Another writer submits this claim (received and judged at once) just before the second
    /// write of a run takes its lock.
    SubmitMidRun(std::sync::Mutex<Option<Box<Claim>>>),
    /// Runs say they cannot tell whether another writer has committed: every batch is read and
    /// judged under its lock.
    NeverAhead,
    /// Another writer writes these rows to the store `to` just before the first page read as
    /// `read` reads.
    WriteAtFirstPage {
        to: Arc<dyn Store>,
        rows: std::sync::Mutex<Option<(&'static Table, Vec<Row>)>>,
        read: PageRead,
    },
    /// Every page read as `PageRead` reads fails, as a database gone would.
    FailPages(PageRead),
    /// Counts the locked writes of runs, and those that kept what was decided ahead.
    CountAhead {
        written: std::sync::atomic::AtomicUsize,
        kept: std::sync::atomic::AtomicUsize,
    },
}

impl Meddle {
    /// Before a page is read as `reading` reads it.
    async fn before_page(&self, reading: PageRead) -> Result<(), StoreError> {
        if let Meddle::FailPages(read) = self
            && *read == reading
        {
            let gone = std::io::Error::other("the database went away");
            return Err(StoreError::internal(gone));
        }
        if let Meddle::WriteAtFirstPage { to, rows, read } = self
            && *read == reading
        {
            let rows = rows.lock().unwrap().take();
            if let Some((table, rows)) = rows {
                to.upsert(table, &rows, &|_| {}).await?;
            }
        }
        Ok(())
    }

    /// Before a locked write takes its lock; `in_run` counts the writes of its run before it.
    async fn before_lock(
        &self,
        store: &Arc<dyn Store>,
        in_run: Option<usize>,
    ) -> Result<(), StoreError> {
        let other = Registry::new(store.clone());
        let today = day("2025-09-02");
        match self {
            Meddle::JudgeFirst(claim) => {
                let claim = claim.lock().unwrap().take();
                if let Some(claim) = claim {
                    other
                        .receive_claims(vec![ReceivedClaim {
                            line: 0,
                            claim: *claim,
                        }])
                        .await
                        .map_err(StoreError::internal)?;
                    other
                        .adjudicate_received(today, &|_| {})
                        .await
                        .map_err(StoreError::internal)?;
                }
            }
            Meddle::ReceiveFirst(claim) => {
                let claim = claim.lock().unwrap().take();
                let Some(claim) = claim else {
                    return Err(StoreError::Conflict("a second locked write".into()));
                };
                let received = ReceivedClaim {
                    line: 0,
                    claim: *claim,
                };
                (other.receive_claims(vec![received]).await).map_err(StoreError::internal)?;
            }
            Meddle::SubmitMidRun(claim) if in_run == Some(1) => {
                let claim = claim.lock().unwrap().take();
                if let Some(claim) = claim {
                    let submission = vec![vec![ReceivedClaim {
                        line: 0,
                        claim: *claim,
                    }]];
                    let mut answers = other
                        .submit_together(submission, today, &mut RecentContext::new(&other))
                        .await;
                    answers.pop().unwrap().map_err(StoreError::internal)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Whether a write under `lock` fails at its commit.
    fn fails(&self, lock: &Lock) -> bool {
        match (self, lock) {
            (Meddle::FailCommit(Some(family)), Lock::Families(locked)) => {
                locked.iter().any(|f| f == family)
            }
            (Meddle::FailCommit(_), _) => true,
            _ => false,
        }
    }
}

/// `writes` with a reason for a claim that does not exist: refused when the transaction commits.
fn with_orphan(mut writes: Writes) -> Writes {
    let orphan = carepool_schema::claim_tables::reason_rows(
        "nobody/0",
        1,
        &[carepool_core::claims::Reason::claim(
            carepool_core::claims::ReasonCode::Exempt,
            Default::default(),
            "injected",
        )],
    );
    writes.push(carepool_store::Write::Upsert(
        &carepool_schema::claim_tables::CLAIM_REASONS,
        orphan,
    ));
    writes
}

struct MeddlingRun {
    run: Box<dyn WriteRun>,
    store: Arc<dyn Store>,
    meddle: Arc<Meddle>,
    written: usize,
}

#[async_trait]
impl WriteRun for MeddlingRun {
    fn judges_ahead(&self) -> bool {
        self.run.judges_ahead() && !matches!(*self.meddle, Meddle::NeverAhead)
    }
    async fn write(
        &mut self,
        what: &'static str,
        lock: &Lock,
        reads: &LockedReads,
        ahead: Option<Writes>,
        decide: &mut Decide<'_>,
    ) -> Result<bool, StoreError> {
        self.meddle
            .before_lock(&self.store, Some(self.written))
            .await?;
        self.written += 1;
        if !self.meddle.fails(lock) {
            let wrote_ahead = self.run.write(what, lock, reads, ahead, decide).await?;
            if let Meddle::CountAhead { written, kept } = &*self.meddle {
                written.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                kept.fetch_add(wrote_ahead.into(), std::sync::atomic::Ordering::Relaxed);
            }
            return Ok(wrote_ahead);
        }
        self.run
            .write(what, lock, reads, ahead.map(with_orphan), &mut |read| {
                Ok(with_orphan(decide(read)?))
            })
            .await
    }
}

#[async_trait]
impl Store for MeddlingStore {
    fn backend(&self) -> &'static str {
        self.0.backend()
    }
    async fn snapshot(&self) -> Result<Arc<dyn Store>, StoreError> {
        let snapshot = self.0.snapshot().await?;
        Ok(Arc::new(MeddlingStore(snapshot, self.1.clone())))
    }
    async fn rows_in_range(
        &self,
        table: &'static Table,
        columns: &[usize],
        column: usize,
        first: &str,
        last: &str,
    ) -> Result<Vec<Row>, StoreError> {
        self.1.before_page(PageRead::Range).await?;
        self.0
            .rows_in_range(table, columns, column, first, last)
            .await
    }
    async fn project_page(
        &self,
        table: &'static Table,
        columns: &[usize],
        filters: &[(usize, Value)],
        order: usize,
        start: &PageStart,
        limit: usize,
    ) -> Result<Vec<Row>, StoreError> {
        (self.0)
            .project_page(table, columns, filters, order, start, limit)
            .await
    }
    async fn close(&self) {
        self.0.close().await
    }
    async fn ping(&self) -> Result<(), StoreError> {
        self.0.ping().await
    }
    fn connections(&self) -> carepool_store::Connections {
        self.0.connections()
    }
    fn locked_writes_at_once(&self) -> usize {
        self.0.locked_writes_at_once()
    }
    async fn upsert(
        &self,
        table: &'static Table,
        rows: &[Row],
        progress: &Progress,
    ) -> Result<(), StoreError> {
        self.0.upsert(table, rows, progress).await
    }
    async fn insert(&self, table: &'static Table, row: &Row) -> Result<(), StoreError> {
        self.0.insert(table, row).await
    }
    async fn update(&self, table: &'static Table, row: &Row) -> Result<(), StoreError> {
        self.0.update(table, row).await
    }
    async fn get(&self, table: &'static Table, key: &[Value]) -> Result<Option<Row>, StoreError> {
        self.0.get(table, key).await
    }
    async fn list(&self, table: &'static Table, query: &ListQuery) -> Result<Vec<Row>, StoreError> {
        self.1.before_page(PageRead::List).await?;
        self.0.list(table, query).await
    }
    async fn rows_where_in(
        &self,
        table: &'static Table,
        column: usize,
        values: &[String],
    ) -> Result<Vec<Row>, StoreError> {
        self.0.rows_where_in(table, column, values).await
    }
    async fn rows_sharing(
        &self,
        table: &'static Table,
        shared: usize,
        column: usize,
        values: &[String],
    ) -> Result<Vec<Row>, StoreError> {
        self.0.rows_sharing(table, shared, column, values).await
    }
    async fn write_locked_in_steps(
        &self,
        what: &'static str,
        lock: &Lock,
        first: &LockedReads,
        decide: &mut DecideStep<'_>,
    ) -> Result<(), StoreError> {
        self.1.before_lock(&self.0, None).await?;
        if !self.1.fails(lock) {
            return self
                .0
                .write_locked_in_steps(what, lock, first, decide)
                .await;
        }
        // The last step's writes carry the orphan: every step before it is written first.
        self.0
            .write_locked_in_steps(what, lock, first, &mut |read| {
                let mut step = decide(read)?;
                if step.next.is_none() {
                    step.writes = with_orphan(step.writes);
                }
                Ok(step)
            })
            .await
    }
    async fn write_in_parts(
        &self,
        what: &'static str,
        parts: &mut dyn WriteParts,
    ) -> Result<(), StoreError> {
        self.0.write_in_parts(what, parts).await
    }
    async fn write_run(&self) -> Result<Box<dyn WriteRun>, StoreError> {
        Ok(Box::new(MeddlingRun {
            run: self.0.write_run().await?,
            store: self.0.clone(),
            meddle: self.1.clone(),
            written: 0,
        }))
    }
    async fn project(
        &self,
        table: &'static Table,
        columns: &[usize],
        filters: &[(usize, Value)],
    ) -> Result<Vec<Row>, StoreError> {
        self.0.project(table, columns, filters).await
    }
    async fn project_each(
        &self,
        table: &'static Table,
        columns: &[usize],
        filters: &[(usize, Value)],
        each: &mut (dyn FnMut(Row) + Send),
    ) -> Result<(), StoreError> {
        self.0.project_each(table, columns, filters, each).await
    }
    async fn existing_keys(
        &self,
        table: &'static Table,
        keys: &[String],
    ) -> Result<HashSet<String>, StoreError> {
        self.0.existing_keys(table, keys).await
    }
    async fn scheme_versions(&self, code: &str) -> Result<Vec<StoredSchemeVersion>, StoreError> {
        self.0.scheme_versions(code).await
    }
    async fn scheme_codes(&self) -> Result<Vec<String>, StoreError> {
        self.0.scheme_codes().await
    }
    async fn add_scheme_version(
        &self,
        version: &StoredSchemeVersion,
        then: Writes,
    ) -> Result<(), StoreError> {
        self.0.add_scheme_version(version, then).await
    }

    async fn live_schema(&self) -> Result<carepool_store::LiveSchema, StoreError> {
        self.0.live_schema().await
    }
}

/// A whole batch of small claims of family F1, as received (lines 1 to BATCH).
fn a_batch_of_f1() -> Vec<ReceivedClaim> {
    (0..BATCH)
        .map(|i| ReceivedClaim {
            line: i as u64 + 1,
            claim: surgery(&format!("R{i}"), "M1", "2025-06-01", 100),
        })
        .collect()
}

/// A run of several batches (each batch's registry rows read, and the batch judged, while the
/// one before is written) that fails in its second batch keeps the first, leaves the rest received, and
/// a later run finishes the work.
pub async fn a_run_failing_midway_keeps_the_batches_before(h: Harness) {
    load_registry(&h).await;
    // The first batch is family F1's alone; family F2's claim falls in the second.
    let mut claims = a_batch_of_f1();
    claims.push(ReceivedClaim {
        line: BATCH as u64 + 1,
        claim: surgery("R-F2", "M4", "2025-06-01", 100),
    });
    h.registry.receive_claims(claims).await.unwrap();
    let failing = meddling(&h, Meddle::FailCommit(Some("F2")));
    assert!(
        failing
            .adjudicate_received(day("2025-09-02"), &|_| {})
            .await
            .is_err()
    );
    // The trail holds the first batch's decisions, and no record of a run that did not end.
    let actions = |trail: Vec<(String, String, Option<String>)>| {
        let mut counted = std::collections::BTreeMap::new();
        // The claims' records: the registry's imports are not this test's.
        let claims_actions = ["adjudicate", "adjudication_run", "receive"];
        for (_, action, _) in trail
            .into_iter()
            .filter(|(_, action, _)| claims_actions.contains(&action.as_str()))
        {
            *counted.entry(action).or_insert(0) += 1;
        }
        counted.into_iter().collect::<Vec<(String, usize)>>()
    };
    let counts = |pairs: &[(&str, usize)]| {
        pairs
            .iter()
            .map(|(action, n)| (action.to_string(), *n))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        actions(trail(&h).await),
        counts(&[("adjudicate", 1), ("receive", 1)])
    );
    let still_received = |rows: Vec<ClaimRow>| {
        rows.iter()
            .filter(|row| row.status == ClaimStatus::Received)
            .map(|row| row.id.clone())
            .collect::<Vec<_>>()
    };
    let rows = stored_claims(&h).await;
    assert_eq!(rows.len(), BATCH + 1);
    // Judged with its own family's registry rows: the first claim is paid, the others are
    // duplicates of it.
    let first = rows.iter().find(|row| row.id == "H1/R0");
    assert_eq!(first.unwrap().status, ClaimStatus::Approved);
    assert_eq!(still_received(rows), vec!["H1/R-F2".to_string()]);

    let report = adjudicate(&h.registry, "2025-09-02").await;
    assert_eq!(report.adjudicated, 1);
    let rows = stored_claims(&h).await;
    assert!(still_received(rows).is_empty());
    assert_eq!(
        actions(trail(&h).await),
        counts(&[("adjudicate", 2), ("adjudication_run", 1), ("receive", 1)])
    );
}

/// The whole trail, oldest first: who, what, which record.
async fn trail(h: &Harness) -> Vec<(String, String, Option<String>)> {
    let records = h.registry.audit_trail(&AuditFilter::default()).await;
    records
        .unwrap()
        .into_iter()
        .map(|r| (r.actor, r.action, r.record_key))
        .collect()
}

/// A claim another writer judges between two batches of a run counts against its family's
/// limit when the later batch is written: that batch was judged ahead of its lock without it,
/// so it is judged again under the lock.
pub async fn a_claim_judged_between_two_batches_reaches_the_second(h: Harness) {
    load_registry(&h).await;
    // The first batch is family F1's alone; family F2's claims fall in the second.
    let mut claims = a_batch_of_f1();
    for (n, admitted) in ["2025-06-01", "2025-06-10"].into_iter().enumerate() {
        claims.push(ReceivedClaim {
            line: (BATCH + n) as u64 + 1,
            claim: surgery(&format!("R-F2-{n}"), "M4", admitted, 22_000),
        });
    }
    h.registry.receive_claims(claims).await.unwrap();
    let raced = surgery("X-F2", "M4", "2025-07-01", 22_000);
    let racing = meddling(
        &h,
        Meddle::SubmitMidRun(std::sync::Mutex::new(Some(Box::new(raced)))),
    );
    let report = racing
        .adjudicate_received(day("2025-09-02"), &|_| {})
        .await
        .unwrap();
    assert_eq!(report.adjudicated, BATCH as u64 + 2);

    let approved = async |id: &str| {
        let view = h.registry.claim_view(id).await.unwrap();
        (view.record.status, view.record.amounts.approved)
    };
    let full = (ClaimStatus::Approved, Money::from_units(22_000));
    assert_eq!(approved("H1/X-F2").await, full);
    assert_eq!(approved("H1/R-F2-0").await, full);
    assert_eq!(
        approved("H1/R-F2-1").await,
        (ClaimStatus::PartiallyApproved, Money::from_units(6_000)),
        "what F2 had left of its 50,000"
    );
}

/// A synthetic mutual's year of claims, several batches, is decided the same whether each
/// batch is judged ahead of its lock while the one before is written or read and judged under
/// its lock: claims, lines, reasons and limit usage alike. With nobody else committing on the
/// database's server, a run keeps every batch as judged ahead.
pub async fn batches_judged_ahead_are_decided_as_under_the_lock(first: Harness) {
    let examples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/mutual");
    let scheme = carepool_io::read_scheme_file(&examples.join("scheme.toml")).unwrap();
    let settings: carepool_synth::SynthConfig =
        toml::from_str(&std::fs::read_to_string(examples.join("synth.toml")).unwrap()).unwrap();
    let data = tempfile::tempdir().unwrap();
    let options = carepool_synth::Options {
        families: 1_500,
        from: day("2025-01-01"),
        to: day("2025-12-31"),
        seed: 7,
    };
    carepool_synth::write_csv(&settings, &scheme, options, data.path(), &|_| {}).unwrap();
    let second = match first.store.backend() {
        "sqlite" => Harness::sqlite().await,
        _ => Harness::postgres().await,
    };
    let mut decided = Vec::new();
    for (h, meddle) in [
        (
            first,
            Meddle::CountAhead {
                written: Default::default(),
                kept: Default::default(),
            },
        ),
        (second, Meddle::NeverAhead),
    ] {
        carepool_io::load_directory(
            &h.registry,
            scheme.clone(),
            data.path(),
            Arc::new(|_, _| {}),
        )
        .await
        .unwrap();
        let meddle = Arc::new(meddle);
        let registry = Registry::new(Arc::new(MeddlingStore(h.store.clone(), meddle.clone())));
        let report = registry
            .adjudicate_received(options.to, &|_| {})
            .await
            .unwrap();
        assert!(
            report.adjudicated > 2 * BATCH as u64,
            "three batches or more: {report:?}"
        );
        if let Meddle::CountAhead { written, kept } = &*meddle
            && h.commits_alone()
        {
            let written = written.load(std::sync::atomic::Ordering::Relaxed);
            assert!(written >= 3, "{written} batches");
            let kept = kept.load(std::sync::atomic::Ordering::Relaxed);
            assert_eq!(kept, written, "batches kept as judged ahead");
        }
        decided.push((report, h.dump().await));
    }
    assert_eq!(decided[0].0, decided[1].0);
    assert!(decided[0].1 == decided[1].1, "the same rows written");
}

/// A failure in the middle of adjudication or of payment leaves no claim half-decided and no
/// partial payment: the database is as it was.
pub async fn a_failed_batch_leaves_nothing_behind(h: Harness) {
    load_registry(&h).await;
    let claims: Vec<ReceivedClaim> = (0..5)
        .map(|i| ReceivedClaim {
            line: i + 1,
            claim: surgery(
                &format!("F{i}"),
                "M1",
                &format!("2025-06-0{}", i + 1),
                9_000,
            ),
        })
        .collect();
    h.registry.receive_claims(claims).await.unwrap();
    let failing = meddling(&h, Meddle::FailCommit(None));

    let (before, trail_before) = (h.dump().await, trail(&h).await);
    let refused = failing
        .adjudicate_received(day("2025-09-02"), &|_| {})
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("claim decision"),
        "the error names what failed: {refused}"
    );
    assert_eq!(h.dump().await, before, "adjudication left something behind");
    assert_eq!(
        trail(&h).await,
        trail_before,
        "a failed commit left a record"
    );

    adjudicate(&h.registry, "2025-09-02").await;
    // The batch's decisions by the run's actor, in one record, then the run.
    let trail_now = trail(&h).await;
    let by = h.registry.actor().name().to_string();
    let mut expected = trail_before.clone();
    expected.push((by.clone(), "adjudicate".to_string(), None));
    expected.push((by.clone(), "adjudication_run".to_string(), None));
    assert_eq!(trail_now, expected);
    let decisions = h.trail_of("claims").await;
    let decided = decisions
        .iter()
        .find(|r| r.action == "adjudicate")
        .and_then(|r| r.after.clone())
        .unwrap();
    let decided: serde_json::Value = serde_json::from_str(&decided).unwrap();
    let claims: Vec<&str> = decided["claims"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["claim"].as_str().unwrap())
        .collect();
    assert_eq!(claims, ["H1/F0", "H1/F1", "H1/F2", "H1/F3", "H1/F4"]);
    assert!(decided["claims"][0]["status"].is_string(), "{decided}");
    // Both steps of a payment run: a failed proposal holds no claim, a failed release pays none.
    let (before, trail_before) = (h.dump().await, trail_now);
    let refused = failing.propose_payment_run("2025-09").await.unwrap_err();
    assert!(
        refused.to_string().contains("payment run"),
        "the error names what failed: {refused}"
    );
    assert_eq!(h.dump().await, before, "a proposal left something behind");
    assert_eq!(
        trail(&h).await,
        trail_before,
        "a failed commit left a record"
    );
    let proposed = h.registry.propose_payment_run("2025-09").await.unwrap();
    let run = proposed.run.unwrap();
    let (before, trail_before) = (h.dump().await, trail(&h).await);
    let refused = failing
        .release_payment_run(&run, day("2025-09-30"))
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("payment run"),
        "the error names what failed: {refused}"
    );
    assert_eq!(h.dump().await, before, "a release left something behind");
    assert_eq!(
        trail(&h).await,
        trail_before,
        "a failed commit left a record"
    );
    let paid = h
        .registry
        .release_payment_run(&run, day("2025-09-30"))
        .await
        .unwrap();
    assert_eq!(paid.claims, 5);
}

/// A payment run over more than a page of claims (a page is 10,000), of both statuses that are
/// paid, more than a page of them of unknown family (read first) and the others of three
/// families: each claim is held once, by its facility's payment and, with an allowance, its
/// patient's; released, each is paid once. A commit that fails after every page was written
/// leaves nothing of either step.
pub async fn a_payment_run_over_pages_of_claims_pays_each_once(h: Harness) {
    load_registry(&h).await;
    let judged = vec![ReceivedClaim {
        line: 0,
        claim: surgery("T1", "M1", "2025-06-01", 22_000),
    }];
    h.registry.receive_claims(judged).await.unwrap();
    adjudicate(&h.registry, "2025-09-02").await;
    let template = stored_claims(&h).await.pop().unwrap();
    assert_eq!(template.status, ClaimStatus::Approved);
    let (count, of_no_family) = (16_000_i64, 13_000);
    let claim = |i: i64| {
        let mut claim = template.clone();
        let provider = ["H1", "H2"][(i % 2) as usize];
        claim.claim_number = format!("P{i:05}");
        claim.id = format!("{provider}/{}", claim.claim_number);
        claim.provider_id = provider.to_string();
        claim.member_id = ["M1", "M2", "M3"][(i % 3) as usize].to_string();
        claim.family_id = (i >= of_no_family).then(|| format!("F{}", 1 + i % 3));
        if i % 5 == 0 {
            claim.status = ClaimStatus::PartiallyApproved;
        }
        claim.approved = Money::from_minor(100 + i);
        claim.allowance = Money::from_minor(if i % 4 == 0 { 7 } else { 0 });
        claim
    };
    let made: Vec<ClaimRow> = (0..count).map(claim).collect();
    let rows: Vec<Row> = made.iter().cloned().map(Record::into_row).collect();
    h.store.upsert(&CLAIMS, &rows, &|_| {}).await.unwrap();
    let owed = |of: &dyn Fn(&ClaimRow) -> Money| -> Money {
        made.iter().map(of).sum::<Money>() + of(&template)
    };
    let (to_facilities, to_patients) = (owed(&|c| c.approved), owed(&|c| c.allowance));
    let failing = meddling(&h, Meddle::FailCommit(None));

    let before = h.dump().await;
    let refused = failing.propose_payment_run("2025-09").await.unwrap_err();
    assert!(refused.to_string().contains("payment run"), "{refused}");
    assert_eq!(h.dump().await, before, "a failed proposal held claims");
    let proposed = h.registry.propose_payment_run("2025-09").await.unwrap();
    assert_eq!(proposed.claims, count as u64 + 1);
    assert_eq!(
        (proposed.to_facilities, proposed.to_patients),
        (to_facilities, to_patients)
    );
    let payments: Vec<(&str, i64)> = (proposed.payments.iter())
        .map(|p| (p.id.as_str(), p.claims))
        .collect();
    let all = || made.iter().chain([&template]);
    let held_by = |payee: fn(&ClaimRow) -> Option<&str>, id: &str| {
        all().filter(|c| payee(c) == Some(id)).count() as i64
    };
    fn facility(c: &ClaimRow) -> Option<&str> {
        Some(&c.provider_id)
    }
    fn patient(c: &ClaimRow) -> Option<&str> {
        (c.allowance > Money::ZERO).then_some(&c.member_id)
    }
    assert_eq!(
        payments,
        [
            ("2025-09/provider/H1", held_by(facility, "H1")),
            ("2025-09/provider/H2", held_by(facility, "H2")),
            ("2025-09/member/M1", held_by(patient, "M1")),
            ("2025-09/member/M2", held_by(patient, "M2")),
            ("2025-09/member/M3", held_by(patient, "M3")),
        ]
    );
    assert_eq!(held_by(facility, "H2"), count / 2);
    let held = stored_claims(&h).await;
    for claim in &held {
        let facility = format!("2025-09/provider/{}", claim.provider_id);
        let patient =
            (claim.allowance > Money::ZERO).then(|| format!("2025-09/member/{}", claim.member_id));
        assert_eq!(
            (claim.payment_batch.as_ref(), claim.allowance_batch.clone()),
            (Some(&facility), patient),
            "{}",
            claim.id
        );
    }
    let again = h.registry.propose_payment_run("2025-09").await.unwrap();
    assert_eq!(again.run, None, "every claim is held by the first run");

    let run = proposed.run.unwrap();
    let before = h.dump().await;
    let refused = (failing.release_payment_run(&run, day("2025-09-30")))
        .await
        .unwrap_err();
    assert!(refused.to_string().contains("payment run"), "{refused}");
    assert_eq!(h.dump().await, before, "a failed release paid claims");
    let paid = (h.registry.release_payment_run(&run, day("2025-09-30")))
        .await
        .unwrap();
    assert_eq!(paid.claims, count as u64 + 1);
    assert_eq!(
        (paid.to_facilities, paid.to_patients),
        (to_facilities, to_patients)
    );
    let paid_claims = stored_claims(&h).await;
    assert_eq!(paid_claims.len(), held.len());
    for claim in &paid_claims {
        assert_eq!(claim.status, ClaimStatus::Paid, "{}", claim.id);
        assert_eq!(claim.paid, claim.approved, "{}", claim.id);
        assert_eq!(claim.paid_date, Some(day("2025-09-30")), "{}", claim.id);
    }
}

/// A run on a decision date judges the claims that had arrived by then; later ones wait.
pub async fn claims_received_after_the_decision_date_wait(h: Harness) {
    load_registry(&h).await;
    let early = surgery("E1", "M1", "2025-06-01", 22_000);
    let late = Claim {
        received_date: day("2025-09-20"),
        ..surgery("L1", "M2", "2025-08-01", 22_000)
    };
    let received = [early, late]
        .into_iter()
        .map(|claim| ReceivedClaim { line: 0, claim })
        .collect();
    h.registry.receive_claims(received).await.unwrap();

    let first = adjudicate(&h.registry, "2025-09-10").await;
    assert_eq!((first.adjudicated, first.waiting), (1, 1));
    let second = adjudicate(&h.registry, "2025-09-20").await;
    assert_eq!((second.adjudicated, second.waiting), (1, 0));
    let late = h.registry.claim_view("H1/L1").await.unwrap();
    assert_eq!(late.record.decided_date, Some(day("2025-09-20")));
}

/// A batch run judges a family's claims in the order they arrived, whatever their members,
/// numbers or the order they were sent in: the first to arrive is the first to use the limit.
pub async fn a_family_limit_goes_to_the_claims_that_arrived_first(h: Harness) {
    load_registry(&h).await;
    let arrived = |number: &str, member: &str, admitted: &str, received: &str| Claim {
        received_date: day(received),
        ..surgery(number, member, admitted, 22_000)
    };
    let claims = [
        arrived("A2", "M1", "2025-07-01", "2025-08-10"),
        arrived("A1", "M1", "2025-06-01", "2025-08-05"),
        arrived("Z1", "M2", "2025-06-15", "2025-08-01"),
    ];
    let received = claims
        .into_iter()
        .map(|claim| ReceivedClaim { line: 0, claim })
        .collect();
    h.registry.receive_claims(received).await.unwrap();
    adjudicate(&h.registry, "2025-09-01").await;
    let approved = |id: &'static str| {
        let registry = h.registry.clone();
        async move {
            registry
                .claim_view(id)
                .await
                .unwrap()
                .record
                .amounts
                .approved
        }
    };
    assert_eq!(approved("H1/Z1").await, Money::from_units(22_000));
    assert_eq!(approved("H1/A1").await, Money::from_units(22_000));
    assert_eq!(approved("H1/A2").await, Money::from_units(6_000));
}

/// A large batch is judged in two parts of whole families at once: each family's limit is
/// still used exactly once, by its own claims, in the order they arrived.
pub async fn a_batch_judged_in_parts_keeps_each_familys_limit(h: Harness) {
    load_registry(&h).await;
    let members = ["M1", "M4", "M2"];
    let received = (0..300)
        .map(|i| ReceivedClaim {
            line: 0,
            claim: surgery(
                &format!("P{i:03}"),
                members[i % 3],
                &(day("2025-04-01") + chrono::Days::new(i as u64 / 3)).to_string(),
                1_000,
            ),
        })
        .collect();
    h.registry.receive_claims(received).await.unwrap();
    adjudicate(&h.registry, "2025-09-01").await;

    let rows = stored_claims(&h).await;
    let mut approved: std::collections::BTreeMap<String, Vec<(String, i64)>> = Default::default();
    for row in &rows {
        approved
            .entry(row.family_id.clone().unwrap())
            .or_default()
            .push((row.id.clone(), row.approved.minor()));
    }
    let every_column: Vec<usize> = (0..CLAIM_USAGE.columns.len()).collect();
    let usage: Vec<UsageRow> = h
        .store
        .project(&CLAIM_USAGE, &every_column, &[])
        .await
        .unwrap()
        .iter()
        .map(|row| UsageRow::from_row(row).unwrap())
        .collect();
    for (family, claims) in &mut approved {
        claims.sort();
        let total: i64 = claims.iter().map(|(_, amount)| amount).sum();
        assert_eq!(total, Money::from_units(50_000).minor(), "family {family}");
        let used: i64 = usage
            .iter()
            .filter(|row| row.family_id == *family)
            .map(|row| row.used.minor())
            .sum();
        assert_eq!(used, total, "family {family}'s usage");
        // The first to arrive (same day, so by number) are paid in full, the rest nothing.
        let paid: Vec<i64> = claims.iter().map(|(_, amount)| *amount).collect();
        assert!(
            paid.windows(2).all(|w| w[0] >= w[1]),
            "family {family}: {paid:?}"
        );
    }
    assert_eq!(approved.len(), 2);
}

/// A claim sent before its patient was registered is stored without a family; once the member
/// is registered, adjudication files it under the member's family.
pub async fn a_claim_sent_before_its_member_was_registered_takes_the_family(h: Harness) {
    load_registry(&h).await;
    let received = vec![ReceivedClaim {
        line: 0,
        claim: surgery("N1", "M6", "2025-06-01", 22_000),
    }];
    h.registry.receive_claims(received).await.unwrap();
    let stored = h.registry.claim_view("H1/N1").await.unwrap();
    assert_eq!(stored.record.family_id, None);

    let members = h.write(
        "late_members.csv",
        "id,family_id,name,relationship,sex,birth_date,national_id,categories,monthly_wage,status,status_since
M6,F2,Nila Devi,child,F,2010-01-01,,,,active,2025-04-01
",
    );
    h.import("members", &members).await.unwrap();
    let run = adjudicate(&h.registry, "2025-09-10").await;
    assert_eq!(run.adjudicated, 1);
    let judged = h.registry.claim_view("H1/N1").await.unwrap();
    assert_eq!(judged.record.family_id.as_deref(), Some("F2"));
    assert_eq!(judged.record.decided_date, Some(day("2025-09-10")));
}

/// A claim that arrived while its patient was in another family is judged with the family the
/// patient has now, and takes its turn at that family's limit in the order received: a run
/// reads its queue a page at a time in the order of the families the claims carry, here F1's
/// 2,100 later claims over two pages before the claim carrying F2, and still judges that claim
/// first.
pub async fn a_claim_of_a_member_who_moved_since_takes_the_new_familys_limit_in_turn(h: Harness) {
    load_registry(&h).await;
    let before_the_move = vec![ReceivedClaim {
        line: 0,
        claim: Claim {
            received_date: day("2025-08-01"),
            ..surgery("X1", "M4", "2025-06-20", 22_000)
        },
    }];
    h.registry.receive_claims(before_the_move).await.unwrap();
    assert_eq!(
        (h.registry
            .claim_view("H1/X1")
            .await
            .unwrap()
            .record
            .family_id)
            .as_deref(),
        Some("F2")
    );
    let moved = h.write(
        "moved.csv",
        "id,family_id,name,relationship,sex,birth_date,national_id,categories,monthly_wage,status,status_since
M4,F1,Lata Devi,parent,F,1975-05-05,NID004,,,active,2025-04-01
",
    );
    h.import("members", &moved).await.unwrap();
    // More than a page of F1's own claims, each with its own dates (not one another's
    // duplicates), all received after X1.
    let later = 2_100;
    let after_the_move = (0..later)
        .map(|i| {
            let admitted = day("2025-04-01") + chrono::Days::new(i as u64 / 2 % 120);
            let mut claim = surgery(
                &format!("A{i:04}"),
                ["M1", "M2"][i % 2],
                "2025-04-01",
                22_000,
            );
            claim.admission_date = Some(admitted);
            claim.discharge_date = Some(admitted + chrono::Days::new(1 + i as u64 / 240));
            claim.received_date = day("2025-08-20");
            ReceivedClaim { line: 0, claim }
        })
        .collect();
    h.registry.receive_claims(after_the_move).await.unwrap();
    let run = adjudicate(&h.registry, "2025-09-01").await;
    assert_eq!(run.adjudicated, later as u64 + 1);
    // The limit is used once whatever the order (each batch that holds F1 reads what the one
    // before it wrote), and in the order received.
    let rows = stored_claims(&h).await;
    let family_paid: i64 = (rows.iter())
        .filter(|row| row.family_id.as_deref() == Some("F1"))
        .map(|row| row.approved.minor())
        .sum();
    assert_eq!(family_paid, Money::from_units(50_000).minor());
    let first = h.registry.claim_view("H1/X1").await.unwrap().record;
    assert_eq!(first.family_id.as_deref(), Some("F1"));
    assert_eq!(first.amounts.approved, Money::from_units(22_000));
    let approved = |id: &str| rows.iter().find(|row| row.id == id).unwrap().approved;
    assert_eq!(approved("H1/A0000"), Money::from_units(22_000));
    assert_eq!(approved("H1/A0001"), Money::from_units(6_000));
}

/// Submissions judged together (as the API's intake groups them) are answered each as if
/// alone: from the decisions in hand, equal to what is stored; a bad one refused alone; one
/// claim sent twice stored once; and should the shared transaction fail, each tried alone.
pub async fn submissions_judged_together_are_answered_each_alone(h: Harness) {
    load_registry(&h).await;
    let today = day("2025-09-02");
    let sent = |claims: Vec<Claim>| -> Vec<ReceivedClaim> {
        claims
            .into_iter()
            .map(|claim| ReceivedClaim { line: 0, claim })
            .collect()
    };
    let out_of_shape = Claim {
        clinical_category: " ".into(),
        ..surgery("S9", "M1", "2025-06-01", 22_000)
    };
    let answers = h
        .registry
        .submit_together(
            vec![
                sent(vec![surgery("S1", "M1", "2025-06-01", 22_000)]),
                sent(vec![out_of_shape]),
                sent(vec![surgery("S1", "M1", "2025-06-01", 22_000)]),
                sent(vec![surgery("S1", "M1", "2025-06-01", 25_000)]),
                sent(vec![
                    surgery("S2", "M2", "2025-06-20", 22_000),
                    surgery("S3", "M1", "2025-07-01", 22_000),
                ]),
            ],
            today,
            &mut RecentContext::new(&h.registry),
        )
        .await;
    assert_eq!(answers.len(), 5);
    assert!(
        matches!(&answers[1], Err(ServiceError::Invalid(_))),
        "out of shape"
    );
    assert!(
        matches!(&answers[3], Err(ServiceError::Invalid(p)) if p[0].message.contains("with other content")),
        "changed"
    );
    let first = answers[0].as_ref().unwrap();
    assert_eq!(first[0].record.status, ClaimStatus::Approved);
    let again = answers[2].as_ref().unwrap();
    assert_eq!(again[0].record, first[0].record, "one claim sent twice");
    let pair = answers[4].as_ref().unwrap();
    assert_eq!(pair[1].record.status, ClaimStatus::PartiallyApproved);
    assert_eq!(pair[1].record.amounts.approved, Money::from_units(6_000));
    for view in [&first[0], &pair[0], &pair[1]] {
        let stored = h.registry.claim_view(&view.id).await.unwrap();
        assert_eq!(stored.record, view.record, "answered as stored");
        assert_eq!(stored.reasons, view.reasons, "reasons as stored");
    }
    let stored = stored_claims(&h).await;
    assert_eq!(stored.len(), 3, "S1, S2 and S3, each once");

    // A transaction that fails only for family F1: the group fails, then each submission is
    // tried alone, so F2's claim is judged and F1's is refused with the store's error.
    let failing = meddling(&h, Meddle::FailCommit(Some("F1")));
    let answers = failing
        .submit_together(
            vec![
                sent(vec![surgery("S4", "M1", "2025-08-01", 1_000)]),
                sent(vec![surgery("S5", "M4", "2025-08-01", 1_000)]),
            ],
            today,
            &mut RecentContext::new(&failing),
        )
        .await;
    assert!(answers[0].is_err(), "F1's submission fails");
    assert_eq!(
        answers[1].as_ref().unwrap()[0].record.status,
        ClaimStatus::Approved,
        "F2's is judged"
    );
    assert!(
        h.registry.claim_view("H1/S4").await.is_err(),
        "nothing of F1's submission written"
    );
}

/// The intake reuses the locations it read for a second at most: a village moved to another
/// district reaches the claims judged after that. F1's village leaves H1's district, so its
/// patients are no longer local and a stay earns the non-local transport allowance.
pub async fn the_intake_sees_a_moved_village_within_a_second(h: Harness) {
    load_registry(&h).await;
    let today = day("2025-09-02");
    let clock = Arc::new(ManualClock::new(today));
    let registry = h.registry.clone().with_clock(clock.clone());
    let mut recent = RecentContext::new(&registry);
    let mut submit = async |number: &str, admitted: &str| {
        let claim = surgery(number, "M1", admitted, 1_000);
        let mut answers = registry
            .submit_together(
                vec![vec![ReceivedClaim { line: 0, claim }]],
                today,
                &mut recent,
            )
            .await;
        answers.pop().unwrap().unwrap().remove(0).record.allowance
    };
    assert_eq!(submit("R1", "2025-06-01").await, Money::from_units(350));

    let district =
        json!({ "code": "D2", "name": "Hills", "kind": "district", "parent_code": "P1" });
    let (status, body) = h.call("POST", "/api/locations", Some(district)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let moved = json!({ "code": "V1", "name": "Fishers' village", "kind": "village", "parent_code": "D2", "area": "rural" });
    let (status, body) = h.call("PUT", "/api/locations/V1", Some(moved)).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    assert_eq!(
        submit("R3", "2025-06-15").await,
        Money::from_units(350),
        "within the second, judged with what was read for the one before"
    );
    clock.advance(Duration::from_millis(1_100));
    assert_eq!(
        submit("R2", "2025-07-01").await,
        Money::from_units(1_000),
        "judged with the village's new district"
    );
}

/// A claim another writer stores (and judges) between the intake's check and its lock is caught
/// under the lock; the group is then tried submission by submission, and that claim is
/// answered as stored, its amount counted once against the family's limit.
pub async fn a_claim_stored_meanwhile_is_caught_under_the_lock(h: Harness) {
    load_registry(&h).await;
    let raced = surgery("X1", "M1", "2025-06-01", 1_000);
    let meddling = meddling(
        &h,
        Meddle::JudgeFirst(std::sync::Mutex::new(Some(Box::new(raced.clone())))),
    );
    let answers = meddling
        .submit_together(
            vec![
                vec![ReceivedClaim {
                    line: 0,
                    claim: raced,
                }],
                vec![ReceivedClaim {
                    line: 0,
                    claim: surgery("X2", "M4", "2025-06-01", 1_000),
                }],
            ],
            day("2025-09-02"),
            &mut RecentContext::new(&meddling),
        )
        .await;
    for answer in answers {
        let views = answer.unwrap();
        assert_eq!(
            views[0].record.status,
            ClaimStatus::Approved,
            "{}",
            views[0].id
        );
    }
    let stored = stored_claims(&h).await;
    assert_eq!(stored.len(), 2, "X1 and X2, each once");
    let (_, cover) = h
        .call("GET", "/api/members/M1/cover?date=2025-08-01", None)
        .await;
    assert_eq!(
        cover["categories"][0]["left"], "49000.00",
        "X1 counted once"
    );
}

/// Claims received in parts, in one transaction: a problem in a later part, a part that cannot
/// be read, or a write that fails after earlier parts were written leaves nothing stored; good
/// parts are stored together, with one record in the trail, and a resend's new part alone is.
pub async fn claims_received_in_parts_are_stored_all_or_none(h: Harness) {
    load_registry(&h).await;
    let part = |numbers: std::ops::Range<usize>| -> Vec<ReceivedClaim> {
        (numbers.map(|i| ReceivedClaim {
            line: i as u64 + 2,
            claim: surgery(&format!("P{i}"), "M1", "2025-06-01", 100),
        }))
        .collect()
    };
    let receive = |parts: Vec<Result<Vec<ReceivedClaim>, &'static str>>| {
        let registry = h.registry.clone();
        async move {
            let told = Arc::new(std::sync::Mutex::new(Vec::new()));
            let tell = told.clone();
            let received = registry
                .receive_claims_in_parts(parts.into_iter(), &move |n| tell.lock().unwrap().push(n))
                .await;
            let told = told.lock().unwrap().clone();
            (received, told)
        }
    };

    // A claim dated ahead in the first part, a facility the registry does not know in the
    // third: both named by line, nothing stored.
    let mut ahead = part(0..10);
    ahead[2].claim.received_date = day("2199-01-01");
    let mut unknown = part(20..30);
    unknown[4].claim.provider_id = "NOWHERE".into();
    let (refused, _) = receive(vec![Ok(ahead), Ok(part(10..20)), Ok(unknown)]).await;
    match refused.unwrap_err() {
        NotWritten::Refused(ServiceError::Invalid(problems)) => {
            let named: Vec<_> = problems.iter().map(|p| (p.line, p.reason)).collect();
            assert_eq!(
                named,
                [(4, Some("future_date")), (26, Some("provider_unknown"))]
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(stored_claims(&h).await.is_empty());

    // A part that cannot be read, after two were written: the reader's error.
    let (unread, _) = receive(vec![Ok(part(0..10)), Ok(part(10..20)), Err("unreadable")]).await;
    assert!(matches!(unread, Err(NotWritten::Unreadable("unreadable"))));
    assert!(stored_claims(&h).await.is_empty());

    // Claims in two parts (parts must not do that): the second part's write fails, and the
    // first part, written, is undone.
    let (twice, _) = receive(vec![Ok(part(0..10)), Ok(part(5..15))]).await;
    match twice {
        Err(NotWritten::Refused(ServiceError::Conflict(message))) => {
            assert!(message.contains("stored by another writer"), "{message}")
        }
        other => panic!("{other:?}"),
    }
    assert!(stored_claims(&h).await.is_empty());
    assert!(h.trail_of("claims").await.is_empty());

    let (received, told) = receive(vec![Ok(part(0..10)), Ok(part(10..25))]).await;
    let received = received.unwrap();
    assert_eq!((received.received, received.unchanged), (25, 0));
    assert_eq!(told, [10, 25]);
    assert_eq!(stored_claims(&h).await.len(), 25);
    let trail = h.trail_of("claims").await;
    assert_eq!(trail.len(), 1);
    assert_eq!(trail[0].action, "receive");
    assert_eq!(trail[0].after.as_deref(), Some(r#"{"records":25}"#));

    let (again, _) = receive(vec![Ok(part(0..25)), Ok(part(25..30))]).await;
    let again = again.unwrap();
    assert_eq!((again.received, again.unchanged), (5, 25));
    assert_eq!(stored_claims(&h).await.len(), 30);
}

/// A claims file with its lines file, split into parts by facility and claim number, through
/// `carepool claims import`'s own path: with a claim received in the future in one part,
/// refused whole as a file read at once refuses it, nothing stored; as it should be, received
/// whole, each claim with its lines; no part files left behind either time.
pub async fn a_claims_file_split_into_parts_is_received_all_or_none(h: Harness) {
    load_registry(&h).await;
    let members = ["M1", "M2", "M4", "M5"];
    let mut claims = String::from(
        "claim_number,provider_id,member_id,visit_date,clinical_category,received_date\n",
    );
    let mut lines = String::from("provider_id,claim_number,service_code,quantity,unit_price\n");
    for n in 0..40 {
        let facility = ["H1", "H2"][n % 2];
        let member = members[n % 4];
        let day = n % 28 + 1;
        claims += &format!("C{n},{facility},{member},2025-06-{day:02},medical,2025-07-01\n");
        lines += &format!(
            "{facility},C{n},CONS,1,{}\n{facility},C{n},LAB,2,50\n",
            100 + n
        );
    }
    let ahead = claims.replace(
        "C33,H2,M2,2025-06-06,medical,2025-07-01",
        "C33,H2,M2,2025-06-06,medical,2199-07-01",
    );
    assert_ne!(ahead, claims);
    let claims_file = h.write("claims.csv", &ahead);
    let lines_file = h.write("claim_lines.csv", &lines);
    // How many parts were received: progress is told after each.
    let parts = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let told = parts.clone();
    let count_parts = move |_| {
        told.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    };
    let receive = |part_bytes: u64| {
        parts.store(0, std::sync::atomic::Ordering::Relaxed);
        carepool_io::claims_csv::receive_file_in_parts_of(
            &h.registry,
            &claims_file,
            Some(&lines_file),
            part_bytes,
            &count_parts,
        )
    };
    let parts_received = || parts.load(std::sync::atomic::Ordering::Relaxed);
    let part_files_left = || {
        std::fs::read_dir(h.dir.path())
            .unwrap()
            .filter(|entry| {
                let name = entry.as_ref().unwrap().file_name();
                name.to_string_lossy().starts_with(".carepool-claim-parts")
            })
            .count()
    };
    // About 300 bytes a part: a few claims each, every one of them with its lines.
    let in_parts = receive(300).await.unwrap_err().to_string();
    let read_whole = receive(u64::MAX).await.unwrap_err().to_string();
    assert_eq!(in_parts, read_whole);
    assert!(in_parts.contains("line 35"), "{in_parts}");
    assert!(stored_claims(&h).await.is_empty());
    assert_eq!(part_files_left(), 0);

    std::fs::write(&claims_file, &claims).unwrap();
    let received = receive(300).await.unwrap();
    assert_eq!((received.received, received.unchanged), (40, 0));
    assert!(parts_received() > 5, "{} parts", parts_received());
    let stored = stored_claims(&h).await;
    assert_eq!(stored.len(), 40);
    for n in 0..40 {
        let facility = ["H1", "H2"][n % 2];
        let claim = stored.iter().find(|c| c.id == format!("{facility}/C{n}"));
        let claimed = claim.map(|c| c.claimed.minor());
        assert_eq!(
            claimed,
            Some((100 + n as i64 + 100) * 100),
            "{facility}/C{n}"
        );
    }
    assert_eq!(part_files_left(), 0);
    // Sent again unchanged, in other parts: nothing to do.
    let again = receive(1_000).await.unwrap();
    assert_eq!((again.received, again.unchanged), (0, 40));
}

/// A stored claim sent again twice in a receipt longer than one statement's list of values
/// (first and last, in different slices of the read of what is stored): refused for the
/// second copy alone, the stored claim read once with its lines, not taken for a changed one.
pub async fn a_stored_claim_twice_in_a_long_receipt_is_refused_as_twice_only(h: Harness) {
    load_registry(&h).await;
    let stored = surgery("S1", "M1", "2025-05-01", 1_000);
    let received = |line: u64, claim: Claim| ReceivedClaim { line, claim };
    (h.registry)
        .receive_claims(vec![received(2, stored.clone())])
        .await
        .unwrap();
    // More than PostgreSQL's 16,384 values a statement (SQLite's 8,192).
    const FRESH: u64 = 16_400;
    let mut claims = vec![received(2, stored.clone())];
    claims.extend((0..FRESH).map(|i| {
        let claim = surgery(&format!("N{i}"), "M1", "2025-05-01", 1_000);
        received(i + 3, claim)
    }));
    claims.push(received(FRESH + 3, stored));
    let problems = match h.registry.receive_claims(claims).await {
        Err(ServiceError::Invalid(problems)) => problems,
        other => panic!("expected the copy refused, got {other:?}"),
    };
    let said: Vec<(u64, &str)> = (problems.iter())
        .map(|p| (p.line, p.message.as_str()))
        .collect();
    assert_eq!(
        said,
        [(FRESH + 3, "claim H1/S1 appears twice (first on line 2)")]
    );
}
