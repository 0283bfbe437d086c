//! The audit trail over HTTP, for admins and auditors: read only; nothing in carepool changes it.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::SERVICE;
use crate::{date_param_opt, json, only_known};
use axum::Json;
use axum::extract::{Query, State};
use carepool_core::access::{Permission, Role};
use carepool_schema::audit_tables::AUDIT;
use carepool_schema::json::row_to_json;
use carepool_schema::{Record, claim_tables, tables};
use carepool_service::Registry;
use carepool_service::audit::AuditFilter;
use serde_json::Value as JsonValue;
use std::collections::HashMap;

/// Whether `role` may read what the trail holds of `table`: the claims' tables need the right
/// to read claims, the registry's the right to read the registry; the rest (users, tokens,
/// scheme versions) the right to read the trail, which the route already asked for.
fn may_read(role: Role, table: &str) -> bool {
    let is_claims = claim_tables::ALL.iter().any(|t| t.name == table);
    let is_registry = tables::ALL.iter().any(|t| t.name == table);
    if is_claims {
        role.may(Permission::ReadClaims)
    } else if is_registry {
        role.may(Permission::ReadRegistry)
    } else {
        true
    }
}

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
    caller: Caller,
    State(registry): State<Registry>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    // The trail holds the records it tells of: it is read whole, by national users only, and
    // each record only by a role that may read its table (an admin sees no claim's row).
    caller.national("the audit trail")?;
    let role = caller.user()?.role;
    if let Some(table) = params.get("table")
        && !may_read(role, table)
    {
        return Err(ApiError::forbidden(format!(
            "a {role} may not read the records of {table}"
        )));
    }
    const KNOWN: [&str; 6] = ["table", "key", "user", "from", "to", "after"];
    only_known(&params, &KNOWN, "not a filter of the trail; filters")?;
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
        .filter(|record| may_read(role, &record.table_name))
        .map(|record| row_to_json(&AUDIT, &record.into_row()))
        .collect();
    Ok(Json(json(
        &serde_json::json!({ "items": items, "has_more": has_more }),
    )?))
}
