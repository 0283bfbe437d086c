//! A coverage period is stored with its member's family: filled from the member when a file or
//! request leaves it out, refused when it names another family, and moved with the member.

use crate::support::{Harness, load_registry};
use serde_json::json;

/// The family ids of `member`'s cover periods, as the API lists them.
async fn cover_families(h: &Harness, member: &str) -> Vec<String> {
    let (status, body) = (h.call("GET", &format!("/api/coverage?member_id={member}"), None)).await;
    assert_eq!(status, 200, "{body}");
    (body["items"].as_array().unwrap().iter())
        .map(|cover| cover["family_id"].as_str().unwrap().to_string())
        .collect()
}

pub async fn a_cover_carries_its_members_family_and_follows_a_move(h: Harness) {
    // The small registry's coverage file has no family_id column.
    load_registry(&h).await;
    assert_eq!(cover_families(&h, "M1").await, ["F1"]);
    assert_eq!(cover_families(&h, "M4").await, ["F2"]);
    let (_, by_family) = h.call("GET", "/api/coverage?family_id=F1", None).await;
    let members: Vec<&str> = (by_family["items"].as_array().unwrap().iter())
        .map(|cover| cover["member_id"].as_str().unwrap())
        .collect();
    assert_eq!(members, ["M1", "M2", "M3"]);

    // The same periods with their families given (as an export writes them) change nothing;
    // a family left empty means the stored one.
    let again = h.write(
        "coverage-again.csv",
        "member_id,start_date,end_date,package,family_id\n\
         M1,2025-04-01,,inpatient,F1\nM2,2025-04-01,,inpatient,\n",
    );
    let summary = h.import("coverage", &again).await.unwrap();
    assert_eq!((summary.new, summary.unchanged), (0, 2), "{summary:?}");
    assert!(summary.changed.is_empty(), "{summary:?}");

    // Another family than the member's is refused, naming the line and the column.
    let wrong = h.write(
        "coverage-wrong-family.csv",
        "member_id,start_date,end_date,package,family_id\nM1,2026-04-01,,inpatient,F2\n",
    );
    let error = h.import("coverage", &wrong).await.unwrap_err().to_string();
    assert!(error.contains("line 2, column family_id"), "{error}");
    assert!(
        error.contains("is not the member's family: member M1 belongs to family F1"),
        "{error}"
    );
    let (status, body) = h
        .call(
            "POST",
            "/api/coverage",
            Some(json!({ "member_id": "M1", "start_date": "2026-04-01", "family_id": "F2" })),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(cover_families(&h, "M1").await, ["F1"], "nothing written");

    // A period added through the API without its family answers with it filled.
    let (status, body) = h
        .call(
            "POST",
            "/api/coverage",
            Some(json!({ "member_id": "M1", "start_date": "2026-04-01", "package": "inpatient" })),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["family_id"], "F1");

    // A member moved to another family takes every period along, by the API or by an import.
    let (_, mut moved) = h.call("GET", "/api/members/M1", None).await;
    moved["family_id"] = json!("F2");
    let (status, body) = h.call("PUT", "/api/members/M1", Some(moved)).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(cover_families(&h, "M1").await, ["F2", "F2"]);
    let back = h.write(
        "members-back.csv",
        &crate::support::MEMBERS.replace("M1,F1,", "M1,F3,"),
    );
    h.import("members", &back).await.unwrap();
    assert_eq!(cover_families(&h, "M1").await, ["F3", "F3"]);
    assert_eq!(cover_families(&h, "M2").await, ["F1"], "the others stay");
}
