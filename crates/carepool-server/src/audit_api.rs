//! The audit trail over HTTP, for admins and auditors: read only; nothing in carepool changes it.

use crate::error::{ApiError, ErrorBody};
use crate::openapi::SERVICE;
use crate::{date_param_opt, json};
use axum::Json;
use axum::extract::{Query, State};
use carepool_schema::Record;
use carepool_schema::audit_tables::AUDIT;
use carepool_schema::json::row_to_json;
use carepool_service::Registry;
use carepool_service::audit::AuditFilter;
use serde_json::Value as JsonValue;
use std::collections::HashMap;

/// Most records one page holds.
const PAGE: u64 = 1_000;

/// The audit trail, oldest first, a page at a time
///
/// Narrowed by `table`, `key`, `user` (who made the change), `from` and `to` (days, UTC); the
/// next page starts `after` the last record's id.
#[utoipa::path(get, path = "/api/audit", tag = SERVICE,
    params(
        ("table" = Option<String>, Query), ("key" = Option<String>, Query),
        ("user" = Option<String>, Query), ("from" = Option<String>, Query, format = Date),
        ("to" = Option<String>, Query, format = Date), ("after" = Option<String>, Query),
    ),
    responses(
        (status = 200, description = "`{\"items\": [...], \"has_more\": bool}`: each record's id, at (seconds since 1970, UTC), actor, action, table_name, record_key, before and after (JSON text)"),
        (status = 422, description = "An unknown parameter, or a day that is not YYYY-MM-DD", body = ErrorBody),
    ))]
pub async fn trail(
    State(registry): State<Registry>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    const KNOWN: [&str; 6] = ["table", "key", "user", "from", "to", "after"];
    if let Some(unknown) = params.keys().find(|k| !KNOWN.contains(&k.as_str())) {
        return Err(ApiError::invalid_field(
            unknown,
            format!("not a filter of the trail; filters: {}", KNOWN.join(", ")),
        ));
    }
    let filter = AuditFilter {
        table: params.get("table").cloned(),
        key: params.get("key").cloned(),
        actor: params.get("user").cloned(),
        from: date_param_opt(&params, "from")?,
        to: date_param_opt(&params, "to")?,
        after: params.get("after").cloned(),
        // One more than a page tells whether another follows.
        limit: Some(PAGE + 1),
    };
    let mut records = registry.audit_trail(&filter).await?;
    let has_more = records.len() as u64 > PAGE;
    records.truncate(PAGE as usize);
    let items: Vec<JsonValue> = records
        .into_iter()
        .map(|record| row_to_json(&AUDIT, &record.into_row()))
        .collect();
    Ok(Json(json(
        &serde_json::json!({ "items": items, "has_more": has_more }),
    )?))
}
