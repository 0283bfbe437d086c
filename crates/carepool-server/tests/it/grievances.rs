//! Grievances through the API: filed within the filer's districts, handled by a user of the
//! grievance's place, through the whole status flow, each step dated, attributed and in the
//! audit trail; an upheld exempt charge refunded once through the payment runs.

use crate::claims::surgery;
use crate::support::{
    Browser, Harness, add_the_hills, call_app, example, load_registry, load_registry_under,
};
use axum::http::StatusCode;
use carepool_core::Money;
use carepool_core::access::Role;
use carepool_core::claims::ClaimStatus;
use carepool_core::claims::payment::RefundStatus;
use carepool_core::grievances::{GrievanceStatus, ResolutionKind};
use carepool_service::audit::AuditFilter;
use carepool_service::grievances::{CoverAsked, GrievanceView, NewGrievance, StepTaken};
use carepool_service::users::NewUser;
use carepool_service::{ManualClock, Registry, Scope, ServiceError};
use chrono::{Datelike, Days};
use serde_json::{Value, json};
use std::sync::Arc;

pub async fn a_grievance_is_filed_handled_and_closed_within_its_district(h: Harness) {
    load_registry(&h).await;
    add_the_hills(&h).await;
    let app = carepool_server::router(h.registry.clone());
    let desk = h
        .user_token("desk", Role::ClaimsOfficer, &["D1"], None)
        .await;
    let gina = h
        .user_token("gina", Role::GrievanceOfficer, &["D1"], None)
        .await;
    h.user_token("hugo", Role::GrievanceOfficer, &["D2"], None)
        .await;
    let national = h.user_token("nat", Role::GrievanceOfficer, &[], None).await;
    let ask = |token: &str, method: &'static str, uri: String, body: Option<Value>| {
        let (app, token) = (app.clone(), token.to_string());
        async move { call_app(app, Some(&token), method, &uri, body).await }
    };
    let today = h.registry.today();
    let day = today.format("%Y%m%d").to_string();

    // Filed at the desk for a member of the desk's district: numbered by the day, received,
    // due by the category's service level (14 calendar days), handled where the family lives.
    let filing = json!({
        "category": "exempt_charged", "channel": "phone", "filer": "M4", "member": "M4",
        "description": "Asked to pay at the hospital although exempt", "attachments": ["scan-17"]
    });
    let (status, filed) = ask(&desk, "POST", "/api/grievances".into(), Some(filing)).await;
    assert_eq!(status, StatusCode::CREATED, "{filed}");
    let first = format!("G-{day}-001");
    assert_eq!(filed["id"], json!(first));
    assert_eq!(filed["status"], json!("received"));
    assert_eq!(filed["family_id"], json!("F2"));
    assert_eq!(filed["location_code"], json!("V2"));
    assert_eq!(filed["scheme"], json!("pip"));
    assert_eq!(filed["attachments"], json!(["scan-17"]));
    assert_eq!(
        filed["due_date"],
        json!((today + Days::new(14)).to_string())
    );
    assert_eq!(filed["steps"][0]["actor"], json!("desk"));
    assert_eq!(filed["overdue"], json!(false));

    // A member of another district is unknown to the desk; an unknown category is named.
    let far = json!({ "category": "poor_treatment", "filer": "M9", "member": "M9", "description": "Sent away" });
    let (status, answer) = ask(&desk, "POST", "/api/grievances".into(), Some(far.clone())).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        answer.to_string().contains("unknown member 'M9'"),
        "{answer}"
    );
    // Named with a family of the desk's, the member elsewhere is still unknown, not "of
    // another family".
    let mut paired = far.clone();
    paired["family"] = json!("F1");
    let (status, answer) = ask(&desk, "POST", "/api/grievances".into(), Some(paired)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(
        answer.to_string().contains("unknown member 'M9'"),
        "{answer}"
    );
    let wrong =
        json!({ "category": "rudeness", "filer": "M4", "member": "M4", "description": "x" });
    let (status, answer) = ask(&desk, "POST", "/api/grievances".into(), Some(wrong)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert!(answer.to_string().contains("exempt_charged"), "{answer}");

    // Filed 40 days ago by a national officer (poor treatment: 30 days): overdue today, and
    // invisible to the desk.
    let mut late = far.clone();
    late["filed_on"] = json!((today - Days::new(40)).to_string());
    let (status, answer) = ask(&national, "POST", "/api/grievances".into(), Some(late)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let second = answer["id"].as_str().unwrap().to_string();
    assert!(second.starts_with('G') && second.ends_with("-001") && second != first);
    let (_, listed) = ask(&desk, "GET", "/api/grievances".into(), None).await;
    let ids: Vec<&Value> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| &g["id"])
        .collect();
    assert_eq!(ids, [&json!(first)]);
    let (status, _) = ask(&desk, "GET", format!("/api/grievances/{second}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, overdue) = ask(
        &national,
        "GET",
        "/api/grievances?overdue=true".into(),
        None,
    )
    .await;
    let ids: Vec<&Value> = overdue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| &g["id"])
        .collect();
    assert_eq!(ids, [&json!(second)]);

    // The flow: nobody starts what nobody owns; the owner must handle grievances there.
    let step = |token: String, id: String, body: Value| {
        let ask = &ask;
        async move {
            ask(
                &token,
                "POST",
                format!("/api/grievances/{id}/steps"),
                Some(body),
            )
            .await
        }
    };
    let (status, answer) = step(gina.clone(), first.clone(), json!({ "step": "start" })).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert!(answer.to_string().contains("assign it first"), "{answer}");
    for (owner, refused) in [("hugo", "other districts"), ("desk", "does not handle")] {
        let body = json!({ "step": "assign", "owner": owner });
        let (status, answer) = step(national.clone(), first.clone(), body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert!(answer.to_string().contains(refused), "{answer}");
    }
    let (status, _) = step(desk.clone(), first.clone(), json!({ "step": "start" })).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a claims officer files, never handles"
    );
    let (status, _) = step(gina.clone(), second.clone(), json!({ "step": "start" })).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "out of gina's districts");

    let steps = [
        (
            &national,
            json!({ "step": "assign", "owner": "gina" }),
            "open",
        ),
        (
            &gina,
            json!({ "step": "start", "note": "called the hospital" }),
            "in_progress",
        ),
        (
            &gina,
            // It names no facility, which gave the money back itself: nothing to refund
            // through the scheme (an upheld exempt charge must say so).
            json!({ "step": "resolve", "kind": "upheld", "text": "The hospital refunds the co-payment.", "refund": "0" }),
            "resolved",
        ),
        (&gina, json!({ "step": "close" }), "closed"),
        (
            &gina,
            json!({ "step": "reopen", "why": "The refund never came." }),
            "open",
        ),
    ];
    for (token, body, expected) in steps {
        let (status, answer) = step(token.clone(), first.clone(), body.clone()).await;
        assert_eq!(status, StatusCode::OK, "{body}: {answer}");
        assert_eq!(answer["status"], json!(expected), "{body}");
    }
    let (status, answer) = step(gina.clone(), first.clone(), json!({ "step": "close" })).await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "reopened, it must be resolved again: {answer}"
    );
    let (status, shown) = ask(&gina, "GET", format!("/api/grievances/{first}"), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(shown["owner"], json!("gina"));
    assert_eq!(
        shown["resolution"],
        json!(null),
        "reopened: unresolved again"
    );
    let trail: Vec<(String, String, String)> = (shown["steps"].as_array().unwrap().iter())
        .map(|s| {
            let text = |key: &str| s[key].as_str().unwrap().to_string();
            (text("step"), text("status"), text("actor"))
        })
        .collect();
    let expected: Vec<(String, String, String)> = [
        ("file", "received", "desk"),
        ("assign", "open", "nat"),
        ("start", "in_progress", "gina"),
        ("resolve", "resolved", "gina"),
        ("close", "closed", "gina"),
        ("reopen", "open", "gina"),
    ]
    .iter()
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
    .collect();
    assert_eq!(trail, expected);
    assert_eq!(
        shown["steps"][3]["note"],
        json!("The hospital refunds the co-payment.")
    );
    assert_eq!(shown["steps"][5]["day"], json!(today.to_string()));

    // Every change is in the audit trail, once, by whoever made it.
    let (status, audited) = h
        .call_as(
            Role::Auditor,
            "GET",
            &format!("/api/audit?table=grievances&key={first}"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{audited}");
    let actions: Vec<(&str, &str)> = (audited["items"].as_array().unwrap().iter())
        .map(|a| (a["action"].as_str().unwrap(), a["actor"].as_str().unwrap()))
        .collect();
    assert_eq!(
        actions,
        [
            ("file_grievance", "desk"),
            ("assign_grievance", "nat"),
            ("start_grievance", "gina"),
            ("resolve_grievance", "gina"),
            ("close_grievance", "gina"),
            ("reopen_grievance", "gina"),
        ]
    );

    // The late one, resolved today by the officer of its district: resolved, but not in time.
    let hugo = h
        .user_token("hugo2", Role::GrievanceOfficer, &["D2"], None)
        .await;
    let body = json!({ "step": "assign", "owner": "hugo2" });
    let (status, answer) = step(national.clone(), second.clone(), body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let body =
        json!({ "step": "resolve", "kind": "not_upheld", "text": "The wait was within the norm." });
    let (status, answer) = step(hugo.clone(), second.clone(), body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let from = (today - Days::new(60)).to_string();
    let uri = format!("/api/grievances/stats?from={from}&to={today}");
    let (status, stats) = ask(&national, "GET", uri.clone(), None).await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    assert_eq!(stats["all"]["received"], json!(2));
    assert_eq!(
        stats["all"]["resolved"],
        json!(1),
        "the first was reopened: unresolved"
    );
    assert_eq!(stats["all"]["resolved_in_time"], json!(0));
    assert_eq!(stats["all"]["median_days_to_resolve"], json!(40.0));
    assert_eq!(stats["all"]["overdue_at_end"], json!(0));
    assert_eq!(stats["by_district"]["D1"]["received"], json!(1));
    assert_eq!(stats["by_district"]["D2"]["resolved"], json!(1));
    assert_eq!(stats["by_category"]["exempt_charged"]["received"], json!(1));
    // The desk's district only.
    let (_, stats) = ask(&desk, "GET", uri, None).await;
    assert_eq!(stats["all"]["received"], json!(1));
    assert_eq!(stats["by_district"].as_object().unwrap().len(), 1);
    // The indicators carry the same figures over their period.
    let uri = format!("/api/indicators?from={from}&to={today}&scheme=pip");
    let (status, indicators) = h.call_as(Role::Manager, "GET", &uri, None).await;
    assert_eq!(status, StatusCode::OK, "{indicators}");
    assert_eq!(indicators["grievances"]["all"]["received"], json!(2));
    let (_, counted) = h.call_as(Role::Actuary, "GET", &uri, None).await;
    assert!(
        counted.get("grievances").is_none() && counted.get("periods").is_some(),
        "an actuary reads no grievances: {counted}"
    );
    assert_eq!(
        indicators["grievances"]["by_district"]["D2"]["resolved"],
        json!(1)
    );
}

/// Filings at the same moment each get a number of their own: on PostgreSQL, a filing whose
/// number another took meanwhile takes the next.
pub async fn grievances_filed_at_once_are_numbered_apart(h: Harness) {
    load_registry(&h).await;
    let desk = h
        .user_token("desk", Role::ClaimsOfficer, &["D1"], None)
        .await;
    let app = carepool_server::router(h.registry.clone());
    let filings = (0..6).map(|i| {
        let (app, desk) = (app.clone(), desk.clone());
        tokio::spawn(async move {
            let body = json!({
                "category": "waiting_time", "filer": "M1", "member": "M1",
                "description": format!("Waited all day, visit {i}")
            });
            call_app(app, Some(&desk), "POST", "/api/grievances", Some(body)).await
        })
    });
    let mut ids = Vec::new();
    for filing in filings.collect::<Vec<_>>() {
        let (status, answer) = filing.await.unwrap();
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        ids.push(answer["id"].as_str().unwrap().to_string());
    }
    ids.sort();
    let day = h.registry.today().format("%Y%m%d").to_string();
    let expected: Vec<String> = (1..=6).map(|n| format!("G-{day}-{n:03}")).collect();
    assert_eq!(ids, expected);
}

/// An exempt member charged a co-payment complains; upheld, they are refunded what the facility
/// collected in the next payment run, and the facility's payment is that much less. Withdrawn
/// while no run took it, granted again in part, it is paid and recovered once: proposing again,
/// resolving again and a second grievance about the same claim refund nothing more.
pub async fn an_upheld_exempt_charge_is_refunded_once_and_recovered_from_the_facility(h: Harness) {
    load_registry(&h).await;
    // M1's family is poor, so exempt from cost sharing; H1 collected 500 from them anyway.
    let mut charged = surgery("1", "M1", "2025-06-01", 22_000);
    charged.copay_collected = Money::from_units(500);
    let (status, claim) = h
        .call(
            "POST",
            "/api/claims",
            Some(serde_json::to_value(&charged).unwrap()),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{claim}");
    assert!(
        claim["reason_codes"]
            .as_array()
            .unwrap()
            .contains(&json!("exempt_charged")),
        "{claim}"
    );
    h.user_token("gina", Role::GrievanceOfficer, &[], None)
        .await;
    let registry = &h.registry;
    let national = &Scope::National;
    let complaint = NewGrievance {
        category: "exempt_charged".into(),
        filer: "M1".into(),
        claim: Some("H1/1".into()),
        description: "Paid 500 at the hospital, though exempt".into(),
        ..NewGrievance::default()
    };
    let filed = registry
        .file_grievance(complaint.clone(), national)
        .await
        .unwrap();
    let id = filed.grievance.id.clone();
    assert_eq!(filed.refund, None);
    let step = |id: String, taken: StepTaken| async move {
        registry.take_grievance_step(&id, taken, national).await
    };
    let resolve = |kind, refund: Option<i64>| StepTaken::Resolve {
        kind,
        text: "The facility charged an exempt member".into(),
        refund: refund.map(Money::from_units),
        cover: None,
    };
    let reopen = || StepTaken::Reopen {
        why: "New facts".into(),
    };
    let owner = StepTaken::Assign {
        owner: "gina".into(),
        note: None,
    };
    step(id.clone(), owner.clone()).await.unwrap();

    // More than was collected, or a refund on a complaint not upheld, is refused, and the
    // grievance stays as it was.
    let refused = step(id.clone(), resolve(ResolutionKind::Upheld, Some(600)))
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("more than the facility collected"),
        "{refused}"
    );
    let refused = step(id.clone(), resolve(ResolutionKind::NotUpheld, Some(100)))
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("only an exempt_charged grievance upheld"),
        "{refused}"
    );
    assert_eq!(
        registry.grievance(&id, national).await.unwrap().steps.len(),
        2
    );

    // Upheld: all that was collected, keyed by the claim. Reopened and not upheld, it is
    // withdrawn; upheld in part, 300 is due.
    let upheld = step(id.clone(), resolve(ResolutionKind::Upheld, None))
        .await
        .unwrap();
    let refund = upheld.refund.unwrap();
    assert_eq!(
        (refund.id.as_str(), refund.amount, refund.status),
        ("H1/1", Money::from_units(500), RefundStatus::Due)
    );
    assert_eq!(
        (refund.member_id.as_str(), refund.provider_id.as_str()),
        ("M1", "H1")
    );
    step(id.clone(), reopen()).await.unwrap();
    let not_upheld = step(id.clone(), resolve(ResolutionKind::NotUpheld, None))
        .await
        .unwrap();
    assert_eq!(not_upheld.refund.unwrap().status, RefundStatus::Withdrawn);
    step(id.clone(), reopen()).await.unwrap();
    let partly = step(id.clone(), resolve(ResolutionKind::PartlyUpheld, Some(300)))
        .await
        .unwrap();
    let refund = partly.refund.unwrap();
    assert_eq!(
        (refund.amount, refund.status),
        (Money::from_units(300), RefundStatus::Due)
    );

    // The next run, a month on: the patient gets the allowance and the refund, the facility
    // what was approved less the refund.
    let today = registry.today();
    let period = today.format("%Y-%m").to_string();
    let next_month = carepool_core::dates::add_months(today.with_day(1).unwrap(), 1);
    let paying = registry
        .clone()
        .with_clock(Arc::new(ManualClock::new(next_month)));
    let proposed = paying.propose_payment_run(&period).await.unwrap();
    let amounts: Vec<(&str, Money)> = (proposed.payments.iter())
        .map(|p| (p.id.as_str(), p.amount))
        .collect();
    let (to_h1, to_m1) = (
        format!("{period}/provider/H1"),
        format!("{period}/member/M1"),
    );
    assert_eq!(
        amounts,
        [
            (to_h1.as_str(), Money::from_units(22_000 - 300)),
            (to_m1.as_str(), Money::from_units(350 + 300)),
        ]
    );
    assert_eq!(
        (proposed.refunds, proposed.recovered),
        (1, Money::from_units(300))
    );
    let again = paying.propose_payment_run(&period).await.unwrap();
    assert_eq!(
        again.run, None,
        "a refund held by a run is not proposed twice"
    );
    let run = proposed.run.unwrap();
    let paid = paying.release_payment_run(&run, next_month).await.unwrap();
    assert_eq!(
        (paid.to_facilities, paid.to_patients),
        (Money::from_units(21_700), Money::from_units(650))
    );
    let stored: Vec<(String, Money)> = (h.export("payments").await.lines().skip(1))
        .map(|line| {
            let fields: Vec<&str> = line.split(',').collect();
            (fields[0].to_string(), fields[6].parse().unwrap())
        })
        .collect();
    assert_eq!(
        stored,
        [
            (to_m1.clone(), Money::from_units(650)),
            (to_h1.clone(), Money::from_units(21_700)),
        ],
        "in the order of their ids"
    );
    // The facility's remittance advice lists the refund deducted, with its claim and grievance,
    // and its download adds up to what was paid.
    let finance = NewUser {
        name: "fatou".into(),
        role: Role::FinanceOfficer,
        districts: vec![],
        provider: None,
        language: None,
    };
    registry
        .add_user(finance, "a long enough password")
        .await
        .unwrap();
    let mut fatou = Browser::new(&paying);
    fatou.sign_in("fatou", "a long enough password").await;
    let remittance = format!("/payment-runs/{run}/remittance/H1");
    let advice = fatou.get(&remittance).await;
    assert_eq!(advice.status, StatusCode::OK, "{}", advice.html);
    assert!(
        advice.html.contains(&format!(
            "<td>H1/1</td><td>{id}</td><td>M1</td><td class=\"number\">300.00 INR</td>"
        )),
        "{}",
        advice.html
    );
    assert!(advice.html.contains("<strong>21,700.00 INR</strong>"));
    let runs = fatou.get(&format!("/payments?period={period}")).await.html;
    assert!(
        runs.contains("<dt>Refunds to exempt patients charged</dt><dd>1 paid or recovered · 300.00 INR deducted from facilities</dd>"),
        "{runs}"
    );
    let csv = fatou.get(&format!("{remittance}?format=csv")).await.html;
    assert!(
        csv.contains("H1/1,M1,2025-06-01,22000.00,0.00,0.00,22000.00,\n")
            && csv.contains(&format!("H1/1,M1,,,,,-300.00,{id}\n")),
        "{csv}"
    );

    let settled = registry
        .grievance(&id, national)
        .await
        .unwrap()
        .refund
        .unwrap();
    assert_eq!(
        (
            settled.status,
            settled.refund_payment.as_deref(),
            settled.deduction_payment.as_deref()
        ),
        (
            RefundStatus::Recovered,
            Some(to_m1.as_str()),
            Some(to_h1.as_str())
        )
    );

    // Reopened and upheld in full now, or complained of again and upheld: nothing more is
    // refunded, and no run has anything to pay.
    step(id.clone(), reopen()).await.unwrap();
    let again = step(id.clone(), resolve(ResolutionKind::Upheld, None))
        .await
        .unwrap();
    assert_eq!(again.refund.as_ref(), Some(&settled));
    let complaint_again = complaint.clone();
    let second = registry.file_grievance(complaint, national).await.unwrap();
    let second = second.grievance.id;
    let owner_again = owner.clone();
    step(second.clone(), owner).await.unwrap();
    let upheld = step(second, resolve(ResolutionKind::Upheld, None))
        .await
        .unwrap();
    assert_eq!(upheld.refund.as_ref(), Some(&settled));
    let nothing = paying.propose_payment_run(&period).await.unwrap();
    assert_eq!(nothing.run, None, "{nothing:?}");

    // Without a claim, the amount must be given; without a facility, nothing can be deducted:
    // the officer links it, or says the facility gave the money back itself (0).
    let unlinked = NewGrievance {
        claim: None,
        member: Some("M1".into()),
        ..complaint_again.clone()
    };
    let unlinked = registry.file_grievance(unlinked, national).await.unwrap();
    let unlinked = unlinked.grievance.id;
    step(unlinked.clone(), owner_again.clone()).await.unwrap();
    for (refund, refused) in [
        (None, "say the amount to refund"),
        (Some(100), "names no member or no facility"),
    ] {
        let answer = step(unlinked.clone(), resolve(ResolutionKind::Upheld, refund))
            .await
            .unwrap_err();
        assert!(answer.to_string().contains(refused), "{answer}");
    }
    let settled_outside = step(unlinked, resolve(ResolutionKind::Upheld, Some(0)))
        .await
        .unwrap();
    assert_eq!(settled_outside.refund, None);

    // Charged off the books at H1, found by the officer: 100 goes to the patient in the next
    // run, alone; H1 is paid nothing in it, so the deduction waits for its next payment.
    let off_the_books = NewGrievance {
        claim: None,
        member: Some("M1".into()),
        provider: Some("H1".into()),
        ..complaint_again
    };
    let off_the_books = registry
        .file_grievance(off_the_books, national)
        .await
        .unwrap();
    let off_the_books = off_the_books.grievance.id;
    step(off_the_books.clone(), owner_again).await.unwrap();
    step(
        off_the_books.clone(),
        resolve(ResolutionKind::Upheld, Some(100)),
    )
    .await
    .unwrap();
    let alone = paying.propose_payment_run(&period).await.unwrap();
    let amounts: Vec<(&str, &str, Money)> = (alone.payments.iter())
        .map(|p| (p.payee_kind.as_str(), p.payee_id.as_str(), p.amount))
        .collect();
    assert_eq!(amounts, [("member", "M1", Money::from_units(100))]);
    assert_eq!(
        (alone.claims, alone.refunds, alone.recovered),
        (0, 1, Money::ZERO)
    );
    let released = paying
        .release_payment_run(&alone.run.unwrap(), next_month)
        .await
        .unwrap();
    assert_eq!(released.to_patients, Money::from_units(100));
    let waiting = registry.grievance(&off_the_books, national).await.unwrap();
    let waiting = waiting.refund.unwrap();
    assert_eq!(
        (
            waiting.id.as_str(),
            waiting.status,
            waiting.deduction_payment
        ),
        (off_the_books.as_str(), RefundStatus::Refunded, None)
    );

    // Granted, withdrawn (on reopening) and granted again, and the one off the books, each in
    // the audit trail.
    let trail = registry
        .audit_trail(&AuditFilter {
            table: Some("refunds".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
    assert_eq!(
        actions,
        [
            "grant_refund",
            "withdraw_refund",
            "grant_refund",
            "grant_refund"
        ]
    );
}

/// Files `complaint` as a national officer, gives it to gina, and takes `resolution` on it.
async fn filed_and_resolved(
    registry: &Registry,
    complaint: NewGrievance,
    resolution: StepTaken,
) -> Result<GrievanceView, ServiceError> {
    let national = &Scope::National;
    let filed = registry.file_grievance(complaint, national).await?;
    let id = filed.grievance.id;
    let assign = StepTaken::Assign {
        owner: "gina".into(),
        note: None,
    };
    registry.take_grievance_step(&id, assign, national).await?;
    registry
        .take_grievance_step(&id, resolution, national)
        .await
}

/// A scheme whose rules refund on their own: a claim flagged as charged to an exempt member is
/// refunded at the next payment run without a grievance, once, and a grievance about it upheld
/// later refunds nothing more.
pub async fn a_scheme_that_refunds_on_its_own_refunds_a_flagged_claim_once(h: Harness) {
    let text = std::fs::read_to_string(example("pip-inpatient.toml")).unwrap();
    let scheme = h.write(
        "refunding.toml",
        &format!("{text}\n[grievances]\nautomatic_refunds = true\n"),
    );
    load_registry_under(&h, &scheme).await;
    // M1's family is poor: exempt from cost sharing, and flagged when charged. The stay is
    // approved at 300, less than the 500 collected.
    let h = &h;
    let submit = |claim: carepool_core::claims::Claim| async move {
        let body = serde_json::to_value(&claim).unwrap();
        let (status, answer) = h.call("POST", "/api/claims", Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
        answer
    };
    let mut charged = surgery("1", "M1", "2025-06-01", 300);
    charged.copay_collected = Money::from_units(500);
    let claim = submit(charged).await;
    assert_eq!(claim["approved"], "300.00", "{claim}");
    let registry = &h.registry;
    let today = registry.today();
    let period = today.format("%Y-%m").to_string();
    let next_month = carepool_core::dates::add_months(today.with_day(1).unwrap(), 1);
    let paying = registry
        .clone()
        .with_clock(Arc::new(ManualClock::new(next_month)));
    // The first run pays the patient; H1's 300 does not cover the 500: it waits.
    let amounts = |report: &carepool_service::claims::PaymentReport| -> Vec<(String, Money)> {
        (report.payments.iter())
            .map(|p| (p.payee_id.clone(), p.amount))
            .collect()
    };
    let first = paying.propose_payment_run(&period).await.unwrap();
    assert_eq!(
        amounts(&first),
        [
            ("H1".to_string(), Money::from_units(300)),
            ("M1".to_string(), Money::from_units(350 + 500)),
        ]
    );
    assert_eq!((first.refunds, first.recovered), (1, Money::ZERO));
    (paying.release_payment_run(&first.run.unwrap(), next_month))
        .await
        .unwrap();
    // A stay of 22,000 for M1, charged nothing: the next run deducts the 500 from H1.
    submit(surgery("2", "M1", "2025-07-01", 22_000)).await;
    let second = paying.propose_payment_run(&period).await.unwrap();
    assert_eq!(
        amounts(&second),
        [
            ("H1".to_string(), Money::from_units(22_000 - 500)),
            ("M1".to_string(), Money::from_units(350)),
        ]
    );
    assert_eq!(
        (second.refunds, second.recovered),
        (1, Money::from_units(500))
    );
    (paying.release_payment_run(&second.run.unwrap(), next_month))
        .await
        .unwrap();
    let refunds = h.export("refunds").await;
    let lines: Vec<&str> = refunds.lines().skip(1).collect();
    assert_eq!(lines.len(), 1, "{refunds}");
    assert!(
        lines[0].starts_with(&format!("H1/1,,H1/1,M1,H1,500.00,recovered,{next_month},")),
        "{refunds}"
    );

    // Upheld later, a grievance about the claim finds it refunded.
    h.user_token("gina", Role::GrievanceOfficer, &[], None)
        .await;
    let complaint = NewGrievance {
        category: "exempt_charged".into(),
        filer: "M1".into(),
        claim: Some("H1/1".into()),
        description: "Paid 500 at the hospital, though exempt".into(),
        ..NewGrievance::default()
    };
    let resolve = StepTaken::Resolve {
        kind: ResolutionKind::Upheld,
        text: "Refunded by the scheme's rule".into(),
        refund: None,
        cover: None,
    };
    let resolved = filed_and_resolved(registry, complaint, resolve)
        .await
        .unwrap();
    let refund = resolved.refund.unwrap();
    assert_eq!(
        (refund.grievance_id, refund.status),
        (None, RefundStatus::Recovered)
    );
    let nothing = paying.propose_payment_run(&period).await.unwrap();
    assert_eq!(nothing.run, None, "{nothing:?}");

    // Another flagged claim, complained of and found not upheld before any run: the officer's
    // finding stands, and the rule grants nothing for it.
    let mut disputed = surgery("3", "M1", "2025-08-01", 1_000);
    disputed.copay_collected = Money::from_units(200);
    submit(disputed).await;
    let complaint = NewGrievance {
        category: "exempt_charged".into(),
        filer: "M1".into(),
        claim: Some("H1/3".into()),
        description: "Paid 200".into(),
        ..NewGrievance::default()
    };
    let not_upheld = StepTaken::Resolve {
        kind: ResolutionKind::NotUpheld,
        text: "The member was not exempt that day".into(),
        refund: None,
        cover: None,
    };
    let found = filed_and_resolved(registry, complaint, not_upheld)
        .await
        .unwrap();
    let declined = found.refund.unwrap();
    assert_eq!(
        (declined.amount, declined.status),
        (Money::ZERO, RefundStatus::Withdrawn)
    );
    let third = paying.propose_payment_run(&period).await.unwrap();
    assert_eq!((third.claims, third.refunds), (1, 0), "{third:?}");
}

/// A claim refused because the member's cover had lapsed is appealed; the renewal had been paid
/// and not recorded. Upheld, the appeal reopens the claim, the next adjudication run decides
/// it again under the rules of its date of service, and both decisions stay in its reasons.
pub async fn an_upheld_appeal_reopens_its_claim_and_both_decisions_stay(h: Harness) {
    load_registry(&h).await;
    // M4's cover ended on 2026-03-31: a stay in May is refused.
    let mut stay = surgery("9", "M4", "2026-05-01", 22_000);
    stay.received_date = "2026-05-10".parse().unwrap();
    let body = serde_json::to_value(&stay).unwrap();
    let (status, refused) = h.call("POST", "/api/claims", Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{refused}");
    assert_eq!(refused["status"], "rejected", "{refused}");
    let registry = &h.registry;
    let national = &Scope::National;
    h.user_token("gina", Role::GrievanceOfficer, &[], None)
        .await;
    let appeal = NewGrievance {
        category: "claim_appeal".into(),
        filer: "M4".into(),
        member: Some("M4".into()),
        description: "My renewal was paid in March".into(),
        ..NewGrievance::default()
    };
    let unnamed = registry
        .file_grievance(appeal.clone(), national)
        .await
        .unwrap_err();
    assert!(unnamed.to_string().contains("names the claim"), "{unnamed}");
    let appeal = NewGrievance {
        claim: Some("H1/9".into()),
        ..appeal
    };
    let id = registry.file_grievance(appeal, national).await.unwrap();
    let id = id.grievance.id;
    let assign = StepTaken::Assign {
        owner: "gina".into(),
        note: None,
    };
    registry
        .take_grievance_step(&id, assign, national)
        .await
        .unwrap();

    // The renewal is recorded; the appeal upheld reopens the claim.
    let renewed = json!({
        "member_id": "M4", "start_date": "2025-04-01", "end_date": null, "package": "inpatient"
    });
    let (status, body) = h
        .call("PUT", "/api/coverage/M4/2025-04-01", Some(renewed))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let resolve = StepTaken::Resolve {
        kind: ResolutionKind::Upheld,
        text: "The renewal receipt was found".into(),
        refund: None,
        cover: None,
    };
    registry
        .take_grievance_step(&id, resolve, national)
        .await
        .unwrap();
    let reopened = registry.claim_view("H1/9").await.unwrap();
    assert_eq!(reopened.record.status, ClaimStatus::Received);
    assert_eq!(
        reopened.record.review_note.as_deref(),
        Some(format!("appeal {id} upheld: The renewal receipt was found").as_str())
    );
    let codes: Vec<&str> = reopened.reasons.iter().map(|r| r.code.as_str()).collect();
    assert_eq!(codes.first(), Some(&"not_covered"), "{codes:?}");
    assert_eq!(codes.last(), Some(&"appeal_reopened"), "{codes:?}");
    assert!(
        reopened.reasons.last().unwrap().message.contains(&format!(
            "reopened on appeal {id}: it was rejected, 0.00 approved of 22,000.00 claimed"
        )),
        "{:?}",
        reopened.reasons
    );

    // Decided again by the next run: approved now, with the refusal and the appeal before it.
    registry
        .adjudicate_received(registry.today(), &|_| {})
        .await
        .unwrap();
    let decided = registry.claim_view("H1/9").await.unwrap();
    assert_eq!(decided.record.status, ClaimStatus::Approved);
    assert_eq!(decided.record.amounts.approved, Money::from_units(22_000));
    let codes: Vec<&str> = decided.reasons.iter().map(|r| r.code.as_str()).collect();
    let appeal_at = codes.iter().position(|c| *c == "appeal_reopened").unwrap();
    assert_eq!(codes[0], "not_covered", "{codes:?}");
    // The claim carries the new decision's codes, which are the reasons after the appeal's.
    let current: Vec<&str> = (decided.record.reason_codes.iter())
        .map(|c| c.as_str())
        .collect();
    assert!(!current.is_empty());
    assert_eq!(current, codes[appeal_at + 1..], "{codes:?}");
    assert!(!current.contains(&"not_covered"));
    let (_, answer) = h.call("GET", "/api/claims/H1/9", None).await;
    assert_eq!(answer["status"], "approved", "{answer}");

    // Appealed again (the amount, say) and upheld in part: what it approved goes back to the
    // family's limit until it is decided again, which counts it once more, not twice.
    let left = || async {
        let (_, cover) = h
            .call("GET", "/api/members/M4/cover?date=2026-05-01", None)
            .await;
        let left = cover["categories"][0]["left"].as_str().unwrap().to_string();
        left.parse::<Money>().unwrap()
    };
    let left_decided = left().await;
    let second = NewGrievance {
        category: "claim_appeal".into(),
        filer: "M4".into(),
        claim: Some("H1/9".into()),
        description: "The drugs were left out".into(),
        ..NewGrievance::default()
    };
    let second = registry.file_grievance(second, national).await.unwrap();
    let second = second.grievance.id;
    let assign = || StepTaken::Assign {
        owner: "gina".into(),
        note: None,
    };
    registry
        .take_grievance_step(&second, assign(), national)
        .await
        .unwrap();
    let not_upheld = StepTaken::Resolve {
        kind: ResolutionKind::NotUpheld,
        text: "The drugs were on the claim".into(),
        refund: None,
        cover: None,
    };
    registry
        .take_grievance_step(&second, not_upheld, national)
        .await
        .unwrap();
    let stands = registry.claim_view("H1/9").await.unwrap();
    assert_eq!(
        stands.record.status,
        ClaimStatus::Approved,
        "not upheld: it stands"
    );
    let why = StepTaken::Reopen {
        why: "A receipt was found".into(),
    };
    registry
        .take_grievance_step(&second, why, national)
        .await
        .unwrap();
    let partly = || StepTaken::Resolve {
        kind: ResolutionKind::PartlyUpheld,
        text: "Judge it again".into(),
        refund: None,
        cover: None,
    };
    registry
        .take_grievance_step(&second, partly(), national)
        .await
        .unwrap();
    assert_eq!(left().await, left_decided + Money::from_units(22_000));
    registry
        .adjudicate_received(registry.today(), &|_| {})
        .await
        .unwrap();
    assert_eq!(left().await, left_decided);
    let again = registry.claim_view("H1/9").await.unwrap();
    let appeals = (again.reasons.iter())
        .filter(|r| r.code.as_str() == "appeal_reopened")
        .count();
    assert_eq!((again.record.status, appeals), (ClaimStatus::Approved, 2));

    // Held by a payment run, it cannot be reopened: the appeal stays unresolved.
    let today = registry.today();
    let next_month = carepool_core::dates::add_months(today.with_day(1).unwrap(), 1);
    let paying = registry
        .clone()
        .with_clock(Arc::new(ManualClock::new(next_month)));
    paying
        .propose_payment_run(&today.format("%Y-%m").to_string())
        .await
        .unwrap();
    let third = NewGrievance {
        category: "claim_appeal".into(),
        filer: "M4".into(),
        claim: Some("H1/9".into()),
        description: "Still wrong".into(),
        ..NewGrievance::default()
    };
    let third = registry.file_grievance(third, national).await.unwrap();
    let third = third.grievance.id;
    registry
        .take_grievance_step(&third, assign(), national)
        .await
        .unwrap();
    let refused = registry
        .take_grievance_step(&third, partly(), national)
        .await
        .unwrap_err();
    assert!(
        refused.to_string().contains("held by a payment run"),
        "{refused}"
    );
    let unresolved = registry.grievance(&third, national).await.unwrap();
    assert_eq!(unresolved.grievance.status, GrievanceStatus::Open);

    // The reopening is in the claim's audit trail.
    let trail = registry
        .audit_trail(&AuditFilter {
            table: Some("claims".into()),
            key: Some("H1/9".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let actions: Vec<&str> = trail.iter().map(|r| r.action.as_str()).collect();
    assert!(actions.contains(&"reopen_claim"), "{actions:?}");
}

/// The grievances' pages, as a grievance officer of Lakeside uses them: filing at the desk, the
/// list with its filters, the next steps the status allows, a finding forgotten said beside its
/// field, the whole flow to closed; an officer of the Hills sees none of it.
pub async fn the_grievance_pages_file_and_settle_a_grievance_within_the_district(h: Harness) {
    load_registry(&h).await;
    add_the_hills(&h).await;
    let password = "a long enough password";
    for (name, district) in [("gina", "D1"), ("hugo", "D2")] {
        let officer = NewUser {
            name: name.into(),
            role: Role::GrievanceOfficer,
            districts: vec![district.into()],
            provider: None,
            language: None,
        };
        h.registry.add_user(officer, password).await.unwrap();
    }
    let mut gina = Browser::new(&h.registry);
    let home = gina.sign_in("gina", password).await;
    let home = gina.get(home.location()).await;
    assert!(home.html.contains(r#"href="/grievances""#), "{}", home.html);
    assert!(home.html.contains(r#"href="/grievances/new""#));

    // Filed at the desk for M4 (Market town): the page of the new grievance.
    let form = gina.get("/grievances/new").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.html);
    assert!(
        form.html.contains(r#"<option value="exempt_charged""#),
        "{}",
        form.html
    );
    let csrf = form.field("csrf");
    let nothing_said = gina
        .post(
            "/grievances/new",
            &[
                ("csrf", &csrf),
                ("category", "poor_treatment"),
                ("filer", "M4"),
            ],
        )
        .await;
    assert_eq!(nothing_said.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        nothing_said.html.contains("must not be empty"),
        "{}",
        nothing_said.html
    );
    let filed = gina
        .post(
            "/grievances/new",
            &[
                ("csrf", &csrf),
                ("category", "poor_treatment"),
                ("filed_by", "member"),
                ("filer", "M4"),
                ("channel", "phone"),
                ("priority", "high"),
                ("member", "M4"),
                ("description", "Sent home <b>without</b> care"),
            ],
        )
        .await;
    assert_eq!(filed.status, StatusCode::SEE_OTHER, "{}", filed.html);
    let path = filed.location().to_string();
    let id = path.rsplit('/').next().unwrap().to_string();
    let page = gina.get(&path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.html
            .contains("Sent home &lt;b&gt;without&lt;/b&gt; care")
    );
    assert!(
        page.html.contains("<strong>Received</strong>"),
        "{}",
        page.html
    );
    // Received: it can only be assigned.
    assert!(page.html.contains(r#"value="assign""#));
    assert!(!page.html.contains(r#"value="resolve""#));

    let steps = format!("{path}/steps");
    for fields in [
        vec![("step", "assign"), ("owner", "gina")],
        vec![("step", "start")],
    ] {
        let csrf = gina.get(&path).await.field("csrf");
        let mut sent = fields.clone();
        sent.push(("csrf", &csrf));
        let answer = gina.post(&steps, &sent).await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "{fields:?}: {}",
            answer.html
        );
    }
    let csrf = gina.get(&path).await.field("csrf");
    let forgotten = gina
        .post(
            &steps,
            &[
                ("csrf", &csrf),
                ("step", "resolve"),
                ("text", "Spoke to the nurse"),
            ],
        )
        .await;
    assert_eq!(forgotten.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        forgotten.html.contains("Choose the finding."),
        "{}",
        forgotten.html
    );
    assert!(
        forgotten.html.contains("Spoke to the nurse"),
        "what was typed stays"
    );
    for fields in [
        vec![
            ("step", "resolve"),
            ("kind", "upheld"),
            ("text", "Spoke to the nurse"),
        ],
        vec![("step", "close")],
    ] {
        let csrf = gina.get(&path).await.field("csrf");
        let mut sent = fields.clone();
        sent.push(("csrf", &csrf));
        let answer = gina.post(&steps, &sent).await;
        assert_eq!(
            answer.status,
            StatusCode::SEE_OTHER,
            "{fields:?}: {}",
            answer.html
        );
    }
    let closed = gina.get(&path).await;
    assert!(
        closed.html.contains("<strong>Closed</strong>"),
        "{}",
        closed.html
    );
    assert!(closed.html.contains("Spoke to the nurse"));
    assert!(closed.html.contains(r#"value="reopen""#));
    let listed = gina.get("/grievances?status=closed").await;
    assert!(
        listed.html.contains(&format!(">{id}</a>")),
        "{}",
        listed.html
    );
    let none = gina.get("/grievances?status=received").await;
    assert!(none.html.contains("No grievance matches"), "{}", none.html);
    let wrong = gina.get("/grievances?status=lost").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The Hills' officer sees neither the grievance nor its page, and cannot take a step on it.
    let mut hugo = Browser::new(&h.registry);
    hugo.sign_in("hugo", password).await;
    assert_eq!(hugo.get(&path).await.status, StatusCode::NOT_FOUND);
    let theirs = hugo.get("/grievances").await;
    assert!(!theirs.html.contains(&id), "{}", theirs.html);
    let csrf = theirs.field("csrf");
    let reopen = [("csrf", csrf.as_str()), ("step", "reopen"), ("why", "x")];
    assert_eq!(
        hugo.post(&steps, &reopen).await.status,
        StatusCode::NOT_FOUND
    );

    // A claims officer of Lakeside reads it but is offered no step, and may take none.
    let desk = NewUser {
        name: "desk".into(),
        role: Role::ClaimsOfficer,
        districts: vec!["D1".into()],
        provider: None,
        language: None,
    };
    h.registry.add_user(desk, password).await.unwrap();
    let mut desk = Browser::new(&h.registry);
    desk.sign_in("desk", password).await;
    let read = desk.get(&path).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(!read.html.contains(r#"value="reopen""#), "{}", read.html);
    let csrf = read.field("csrf");
    let reopen = [("csrf", csrf.as_str()), ("step", "reopen"), ("why", "x")];
    assert_eq!(
        desk.post(&steps, &reopen).await.status,
        StatusCode::FORBIDDEN
    );
}

/// A family refused at enrolment for a poverty score above the scheme's bound appeals: the
/// survey was wrong. Upheld while the score still refuses, the appeal is refused with the rule
/// and stays open; once the score is corrected, upheld, it enrols the member from the day asked,
/// in the resolution's transaction.
pub async fn an_upheld_eligibility_appeal_enrols_the_member_after_a_new_check(h: Harness) {
    load_registry(&h).await;
    let registry = &h.registry;
    let national = &Scope::National;
    let cover = json!({ "member_id": "M5", "start_date": "2025-04-01", "end_date": null, "package": "inpatient" });
    let (status, refused) = h.call("POST", "/api/coverage", Some(cover)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused.to_string().contains("poverty"), "{refused}");
    h.user_token("gina", Role::GrievanceOfficer, &[], None)
        .await;

    let appeal = NewGrievance {
        category: "enrolment_appeal".into(),
        filer: "M5".into(),
        description: "Our household survey was wrong".into(),
        ..NewGrievance::default()
    };
    let unnamed = registry
        .file_grievance(appeal.clone(), national)
        .await
        .unwrap_err();
    assert!(
        unnamed.to_string().contains("names the member"),
        "{unnamed}"
    );
    let appeal = NewGrievance {
        member: Some("M5".into()),
        ..appeal
    };
    let id = registry.file_grievance(appeal, national).await.unwrap();
    let id = id.grievance.id;
    let assign = StepTaken::Assign {
        owner: "gina".into(),
        note: None,
    };
    registry
        .take_grievance_step(&id, assign, national)
        .await
        .unwrap();
    let upheld = |cover: Option<CoverAsked>| StepTaken::Resolve {
        kind: ResolutionKind::Upheld,
        text: "The survey was redone".into(),
        refund: None,
        cover,
    };
    let from = |day: &str| {
        Some(CoverAsked {
            from: day.parse().unwrap(),
            package: Some("inpatient".into()),
        })
    };
    let no_day = registry
        .take_grievance_step(&id, upheld(None), national)
        .await
        .unwrap_err();
    assert!(no_day.to_string().contains("say from when"), "{no_day}");
    let still = registry
        .take_grievance_step(&id, upheld(from("2025-04-01")), national)
        .await
        .unwrap_err();
    assert!(still.to_string().contains("poverty"), "{still}");
    assert_eq!(
        registry
            .grievance(&id, national)
            .await
            .unwrap()
            .grievance
            .status,
        GrievanceStatus::Open
    );

    // The survey corrected, the appeal upheld enrols M5 from the day asked.
    let family = json!({ "id": "F3", "scheme": "pip", "location_code": "V2", "poverty_score": "30", "household_id": "HH3" });
    let (status, body) = h.call("PUT", "/api/families/F3", Some(family)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    registry
        .take_grievance_step(&id, upheld(from("2025-04-01")), national)
        .await
        .unwrap();
    let (status, enrolled) = h.call("GET", "/api/coverage/M5/2025-04-01", None).await;
    assert_eq!(status, StatusCode::OK, "{enrolled}");
    assert_eq!(enrolled["package"], "inpatient");
    // Reopened and upheld again from the same day: the cover is there already, said as such.
    let why = StepTaken::Reopen {
        why: "Asked again".into(),
    };
    registry
        .take_grievance_step(&id, why, national)
        .await
        .unwrap();
    let again = registry
        .take_grievance_step(&id, upheld(from("2025-04-01")), national)
        .await
        .unwrap_err();
    assert!(
        again
            .to_string()
            .contains("already has a cover from 2025-04-01"),
        "{again}"
    );
    let trail = registry
        .audit_trail(&AuditFilter {
            table: Some("coverage".into()),
            ..AuditFilter::default()
        })
        .await
        .unwrap();
    let enrolled_by: Vec<(&str, Option<&str>)> = (trail.iter())
        .filter(|r| r.action == "enrol_on_appeal")
        .map(|r| (r.action.as_str(), r.record_key.as_deref()))
        .collect();
    assert_eq!(
        enrolled_by,
        [("enrol_on_appeal", Some("M5/2025-04-01"))],
        "{trail:?}"
    );

    // Another kind of grievance enrols no one.
    let other = NewGrievance {
        category: "other".into(),
        filer: "M5".into(),
        member: Some("M5".into()),
        description: "x".into(),
        ..NewGrievance::default()
    };
    let refused = filed_and_resolved(registry, other, upheld(from("2025-05-01")))
        .await
        .unwrap_err();
    assert!(
        refused
            .to_string()
            .contains("only an appeal against an eligibility refusal"),
        "{refused}"
    );
}
