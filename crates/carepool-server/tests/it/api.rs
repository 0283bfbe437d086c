//! Create, read, update, list with paging and filters, find a member by national id, errors with
//! a stable code and the field at fault, and the OpenAPI description.

use crate::support::{Harness, load_registry};
use serde_json::json;

pub async fn api_round_trip(h: Harness) {
    load_registry(&h).await;

    // Create, read back, update.
    let village = json!({ "code": "V3", "name": "Hill village", "kind": "village", "parent_code": "D1", "area": "rural" });
    let (status, body) = h
        .call("POST", "/api/locations", Some(village.clone()))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(h.call("GET", "/api/locations/V3", None).await.1, village);
    let renamed = json!({ "code": "V3", "name": "Hilltop", "kind": "village", "parent_code": "D1", "area": "rural" });
    let (status, body) = h
        .call("PUT", "/api/locations/V3", Some(renamed.clone()))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        h.call("GET", "/api/locations/V3", None).await.1["name"],
        "Hilltop"
    );

    // The same key twice is a conflict; an unknown one is not found.
    let (status, body) = h.call("POST", "/api/locations", Some(village)).await;
    assert_eq!(
        (status.as_u16(), body["error"]["code"].as_str()),
        (409, Some("conflict")),
        "{body}"
    );
    let (status, body) = h.call("GET", "/api/members/NOBODY", None).await;
    assert_eq!(
        (status.as_u16(), body["error"]["code"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );

    // A rule broken names the field.
    let member = json!({ "id": "M9", "family_id": "F1", "name": "New baby", "relationship": "child", "sex": "X",
                         "birth_date": "2026-01-05", "status": "active", "status_since": "2026-01-05" });
    let (status, body) = h.call("POST", "/api/members", Some(member)).await;
    assert_eq!(status, 422);
    assert_eq!(
        body["error"],
        json!({ "code": "invalid", "field": "sex", "message": "'X' is not one of: F, M" })
    );
    let (status, body) = h.call("POST", "/api/members", Some(json!({ "id": "M9", "family_id": "NOFAMILY", "name": "N",
        "relationship": "child", "sex": "F", "birth_date": "2026-01-05", "status": "active", "status_since": "2026-01-05" }))).await;
    assert_eq!(
        (status.as_u16(), body["error"]["field"].as_str()),
        (422, Some("family_id")),
        "{body}"
    );
    let (status, body) = h.call("POST", "/api/members", None).await;
    assert_eq!(
        (status.as_u16(), body["error"]["code"].as_str()),
        (400, Some("bad_request")),
        "{body}"
    );

    // Find a member by national id; list a family's members a page at a time.
    let (_, found) = h.call("GET", "/api/members?national_id=NID004", None).await;
    assert_eq!(found["items"][0]["id"], "M4");
    let (_, first) = h
        .call("GET", "/api/members?family_id=F1&per_page=2", None)
        .await;
    let (_, second) = h
        .call("GET", "/api/members?family_id=F1&per_page=2&page=2", None)
        .await;
    let ids = |page: &serde_json::Value| {
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        (ids(&first), first["has_more"].as_bool()),
        (vec!["M1".to_string(), "M2".to_string()], Some(true))
    );
    assert_eq!(
        (ids(&second), second["has_more"].as_bool()),
        (vec!["M3".to_string()], Some(false))
    );
    let far = format!("/api/members?page={}&per_page=1000", u64::MAX);
    let (status, body) = h.call("GET", &far, None).await;
    assert_eq!(
        (status.as_u16(), body["error"]["field"].as_str()),
        (400, Some("page")),
        "a page past any list: {body}"
    );
    let (status, body) = h.call("GET", "/api/members?page=0", None).await;
    assert_eq!(
        (status.as_u16(), body["error"]["code"].as_str()),
        (400, Some("bad_request")),
        "no page 0: {body}"
    );
    let (status, body) = h.call("GET", "/api/members?shoe_size=42", None).await;
    assert_eq!(
        (status.as_u16(), body["error"]["field"].as_str()),
        (422, Some("shoe_size")),
        "{body}"
    );

    // A coverage period is addressed by member and start date.
    let (status, body) = h.call("GET", "/api/coverage/M4/2025-04-01", None).await;
    assert_eq!(
        (status.as_u16(), body["end_date"].as_str()),
        (200, Some("2026-03-31")),
        "{body}"
    );

    // The OpenAPI description is served, with the tables' paths and schemas (the server's unit
    // tests compare its operations with the routes registered, both ways).
    let (status, spec) = h.call("GET", "/api/openapi.json", None).await;
    assert_eq!(status, 200);
    assert_eq!(spec["openapi"], "3.1.0");
    for path in [
        "/api/members",
        "/api/members/{id}",
        "/api/coverage/{member_id}/{start_date}",
        "/api/families/{id}/overview",
    ] {
        assert!(
            spec["paths"][path].is_object(),
            "{path} missing from the OpenAPI description"
        );
    }
    assert_eq!(
        spec["components"]["schemas"]["Member"]["properties"]["monthly_wage"]["type"],
        json!(["string", "null"])
    );
}
