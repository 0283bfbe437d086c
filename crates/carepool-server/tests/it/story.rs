//! The registry's story, end to end: load a scheme and a reform of it, import every kind, import
//! again and see nothing change, refuse an ineligible enrolment, record contributions and see the
//! arrears and the suspension come and go.

use crate::support::{Harness, example, load_registry};
use carepool_service::LoadOutcome;
use serde_json::json;

pub async fn registry_story(h: Harness) {
    load_registry(&h).await;

    // Every kind was imported; exports give the rows back in the documented format.
    let members = h.export("members").await;
    assert_eq!(members.lines().count(), 1 + 5, "{members}");
    assert!(
        members.contains("M2,F1,Sita Kumar,spouse,F,1984-02-29,NID002,,,active,2025-04-01"),
        "{members}"
    );
    assert_eq!(
        h.export("contributions").await.lines().nth(1),
        Some("G-1,F1,government,2025-04-01,2026-03-31,750.00,2025-05-01")
    );

    // Importing the same files again changes nothing.
    let before = h.dump().await;
    load_registry(&h).await;
    assert_eq!(
        h.dump().await,
        before,
        "a second import of the same files changed the database"
    );

    scheme_versions(&h).await;
    eligibility_refusal(&h).await;
    arrears_and_suspension(&h).await;
}

async fn scheme_versions(h: &Harness) {
    let original = std::fs::read_to_string(example("pip-inpatient.toml")).unwrap();
    assert_eq!(
        h.load_scheme(&example("pip-inpatient.toml")).await,
        LoadOutcome::Unchanged
    );

    // Changing the rules under the same effective date would rewrite history: refused.
    let rewritten = h.write(
        "pip-rewritten.toml",
        &original.replace("amount = \"750.00\"", "amount = \"800.00\""),
    );
    let definition = carepool_io::read_scheme_file(&rewritten).unwrap();
    let refused = h
        .registry
        .load_scheme(definition)
        .await
        .unwrap_err()
        .to_string();
    assert!(refused.contains("history is never rewritten"), "{refused}");

    // A reform from a later date adds a version; both are kept.
    let reform = original
        .replace("effective_from = 2025-04-01", "effective_from = 2026-04-01")
        .replace("amount = \"750.00\"", "amount = \"900.00\"");
    let reform = h.write("pip-2026.toml", &reform);
    assert_eq!(
        h.load_scheme(&reform).await,
        LoadOutcome::Added { versions: 2 }
    );
    let (status, body) = h.call("GET", "/api/schemes/pip", None).await;
    assert_eq!(status, 200, "{body}");
    let dates: Vec<&str> = body["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["effective_from"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2025-04-01", "2026-04-01"]);
    assert_eq!(
        body["versions"][0]["contributions"]["rules"][0]["amount"],
        "750.00"
    );
    assert_eq!(
        body["versions"][1]["contributions"]["rules"][0]["amount"],
        "900.00"
    );
}

async fn eligibility_refusal(h: &Harness) {
    // F3's poverty score is 61, above the programme's threshold of 35.
    let file = h.write(
        "coverage-ineligible.csv",
        "member_id,start_date,end_date,package\nM5,2025-06-01,,inpatient\n",
    );
    let error = h.import("coverage", &file).await.unwrap_err().to_string();
    assert!(error.contains("line 2, column member_id"), "{error}");
    assert!(
        error
            .contains("poverty score 61 is above the threshold 35 (eligibility.poverty_score_max)"),
        "{error}"
    );

    // The same enrolment through the API: refused with the rule named.
    let (status, body) = h
        .call(
            "POST",
            "/api/coverage",
            Some(json!({ "member_id": "M5", "start_date": "2025-06-01" })),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "not_eligible");
    assert_eq!(
        body["error"]["rules"][0]["rule"],
        "eligibility.poverty_score_max"
    );
    let (_, coverage) = h.call("GET", "/api/coverage?member_id=M5", None).await;
    assert_eq!(coverage["items"], json!([]));
}

async fn arrears_and_suspension(h: &Harness) {
    // The government's premium for F1 is paid for the first year only: arrears, but cover goes on.
    let (status, body) = h
        .call("GET", "/api/families/F1/overview?as_of=2026-05-01", None)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["members"].as_array().unwrap().len(), 3);
    assert_eq!(body["coverage"].as_array().unwrap().len(), 3);
    let standing = &body["standing"];
    // 750 for the year from 2025-04-01, 900 under the reform for the year from 2026-04-01.
    assert_eq!(standing["due"], "1650.00");
    assert_eq!(standing["arrears_by_payer"]["government"], "900.00");
    assert_eq!(standing["suspended_since"], json!(null));

    // A family of the mutual pays part of its premium: suspended after the 30 days' grace.
    h.load_scheme(&example("mutual/scheme.toml")).await;
    for (kind, text) in [
        (
            "families",
            "id,scheme,location_code,poverty_score,household_id\nF4,mho-kb,V1,,\n",
        ),
        (
            "members",
            "id,family_id,name,relationship,sex,birth_date,national_id,categories,monthly_wage,status,status_since\n\
             M6,F4,Awa Diallo,head,F,1988-03-01,,,,active,2025-01-10\nM7,F4,Ibrahim Diallo,child,M,2018-09-09,,,,active,2025-01-10\n",
        ),
        (
            "coverage",
            "member_id,start_date,end_date,package\nM6,2025-01-10,,mutual\nM7,2025-01-10,,mutual\n",
        ),
        (
            "contributions",
            "receipt,family_id,payer,period_start,period_end,amount,paid_on\nK-1,F4,member,2025-01-10,2026-01-09,3000,2025-01-10\n",
        ),
    ] {
        let file = h.write(&format!("mutual-{kind}.csv"), text);
        h.import(kind, &file)
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
    let (_, body) = h
        .call("GET", "/api/families/F4/overview?as_of=2025-03-01", None)
        .await;
    let standing = &body["standing"];
    assert_eq!(
        standing["due"], "5000.00",
        "3,500 for the adult and 1,500 for the child"
    );
    assert_eq!(standing["arrears"], "2000.00");
    assert_eq!(standing["suspended_since"], "2025-02-10");

    // The rest is paid: the arrears and the suspension are gone.
    let payment = json!({ "receipt": "K-2", "family_id": "F4", "payer": "member", "period_start": "2025-01-10",
                          "period_end": "2026-01-09", "amount": "2000.00", "paid_on": "2025-03-05" });
    let (status, body) = h.call("POST", "/api/contributions", Some(payment)).await;
    assert_eq!(status, 201, "{body}");
    let (_, body) = h
        .call("GET", "/api/families/F4/overview?as_of=2025-06-01", None)
        .await;
    assert_eq!(body["standing"]["arrears"], "0.00");
    assert_eq!(body["standing"]["suspended_since"], json!(null));
    assert_eq!(body["standing"]["paid_through"], "2026-01-09");
}
