//! Grievances (`/api/grievances`): filed, listed and read within the caller's districts, and
//! settled step by step (docs/GRIEVANCES.md). The pages, when they come, call the same
//! functions.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::{GRIEVANCES, json_schema};
use crate::{date_param_opt, json, only_known, parse};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use carepool_core::grievances::GrievanceStatus;
use carepool_service::Registry;
use carepool_service::grievances::{GrievanceFilter, NewGrievance, StepTaken};
use serde::Deserialize;
use serde_json::Value as JsonValue;
use std::collections::HashMap;

/// The body of a filing: the service's own [`NewGrievance`], under a name the document gives.
#[derive(Deserialize)]
#[serde(transparent)]
struct FileBody(NewGrievance);

json_schema!(FileBody, "GrievanceFiled", {
    "type": "object", "required": ["category", "description", "filer"],
    "properties": {
        "category": { "type": "string", "description": "One of the scheme's grievance categories" },
        "description": { "type": "string", "description": "What happened, in the filer's words (at most 4,000 characters)" },
        "filer": { "type": "string", "description": "Who filed it: a member id, a facility code or a user name" },
        "filed_by": { "type": "string", "enum": ["member", "facility", "staff"], "description": "[default: member]" },
        "channel": { "type": "string", "enum": ["visit", "phone", "sms", "letter", "web", "community_representative"], "description": "[default: visit]" },
        "priority": { "type": "string", "enum": ["low", "normal", "high", "urgent"], "description": "[default: normal]" },
        "member": { "type": "string" },
        "family": { "type": "string", "description": "[default: the member's]" },
        "claim": { "type": "string", "description": "PROVIDER/CLAIM_NUMBER; gives the member and the facility" },
        "provider": { "type": "string" },
        "location": { "type": "string", "description": "Where it is handled [default: the family's place, else the facility's]" },
        "scheme": { "type": "string", "description": "[default: the family's, or the only one loaded]" },
        "filed_on": { "type": "string", "format": "date", "description": "[default: today]" },
        "attachments": { "type": "array", "items": { "type": "string" } }
    }
});

/// File a grievance
///
/// Numbered `G-YYYYMMDD-NNN`, received, due by its category's service level. The member,
/// family, claim, facility and place it names must be in the caller's districts.
#[utoipa::path(post, path = "/api/grievances", tag = GRIEVANCES,
    request_body = inline(FileBody),
    responses(
        (status = 201, description = "The grievance filed, with its steps (the columns of the grievances table, `overdue` and `steps`)"),
        (status = 422, description = "A field is wrong, or names a record that does not exist or is out of the caller's scope (`field` names it)", body = ErrorBody),
    ))]
pub async fn file(
    caller: Caller,
    State(registry): State<Registry>,
    body: Bytes,
) -> Result<(StatusCode, Json<JsonValue>), ApiError> {
    let FileBody(new) = parse(&body)?;
    let scope = caller.scope(&registry).await?;
    let registry = registry.clone().acting_as(caller.actor()?);
    let view = registry.file_grievance(new, &scope).await?;
    Ok((StatusCode::CREATED, Json(view.to_json())))
}

/// The parameters `GET /api/grievances` reads.
const KNOWN: [&str; 5] = ["status", "category", "owner", "member", "overdue"];

/// The grievances in the caller's districts
///
/// Oldest first; each with `overdue` (unresolved after its due date).
#[utoipa::path(get, path = "/api/grievances", tag = GRIEVANCES,
    params(
        ("status" = Option<String>, Query, description = "received, open, in_progress, resolved or closed"),
        ("category" = Option<String>, Query),
        ("owner" = Option<String>, Query, description = "The user who handles them"),
        ("member" = Option<String>, Query),
        ("overdue" = Option<bool>, Query, description = "Only those unresolved after their due date"),
    ),
    responses(
        (status = 200, description = "`items`: the grievances, each with `overdue`"),
        (status = 422, description = "A parameter is wrong (`field` names it)", body = ErrorBody),
    ))]
pub async fn list(
    caller: Caller,
    State(registry): State<Registry>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    only_known(
        &params,
        &KNOWN,
        "not a parameter of the grievances; parameters",
    )?;
    let status = params
        .get("status")
        .map(|s| GrievanceStatus::parse("status", s))
        .transpose()?;
    let overdue = match params.get("overdue").map(String::as_str) {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(ApiError::invalid_field("overdue", "true or false")),
    };
    let filter = GrievanceFilter {
        status,
        category: params.get("category").cloned(),
        owner: params.get("owner").cloned(),
        member: params.get("member").cloned(),
        overdue,
    };
    let scope = caller.scope(&registry).await?;
    let found = registry.grievances(&filter, &scope).await?;
    let items: Vec<JsonValue> = found.iter().map(|g| g.to_json()).collect();
    Ok(Json(serde_json::json!({ "items": items })))
}

/// How grievances were settled over a period
///
/// Received, resolved, resolved by their due date (count and share), median days to resolve
/// and overdue at the period's end: over all (`all`), `by_category` and `by_district`, of the
/// grievances in the caller's districts.
#[utoipa::path(get, path = "/api/grievances/stats", tag = GRIEVANCES,
    params(
        ("from" = String, Query, format = Date),
        ("to" = String, Query, format = Date),
    ),
    responses(
        (status = 200, description = "`from`, `to`, `all`, `by_category`, `by_district`: each with `received`, `resolved`, `resolved_in_time`, `in_time_share`, `median_days_to_resolve`, `overdue_at_end`"),
        (status = 422, description = "A date is missing or wrong (`field` names it)", body = ErrorBody),
    ))]
pub async fn stats(
    caller: Caller,
    State(registry): State<Registry>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    only_known(
        &params,
        &["from", "to"],
        "not a parameter of the grievances' figures; parameters",
    )?;
    let day = |name: &'static str| {
        date_param_opt(&params, name)?
            .ok_or_else(|| ApiError::invalid_field(name, "a date YYYY-MM-DD is needed"))
    };
    let (from, to) = (day("from")?, day("to")?);
    let scope = caller.scope(&registry).await?;
    let stats = registry
        .grievance_stats(from, to, &scope, None, None)
        .await?;
    Ok(Json(json(&stats)?))
}

/// A grievance with its steps
#[utoipa::path(get, path = "/api/grievances/{id}", tag = GRIEVANCES,
    params(("id" = String, Path, description = "G-YYYYMMDD-NNN")),
    responses(
        (status = 200, description = "The grievance (the columns of the grievances table), `overdue`, `steps` (each step's columns, oldest first), and `refund` (the refunds table's columns; null for none)"),
        (status = 404, description = "No such grievance in the caller's districts", body = ErrorBody),
    ))]
pub async fn show(
    caller: Caller,
    State(registry): State<Registry>,
    Path(id): Path<String>,
) -> Result<Json<JsonValue>, ApiError> {
    let scope = caller.scope(&registry).await?;
    Ok(Json(registry.grievance(&id, &scope).await?.to_json()))
}

/// The body of a step: the service's own [`StepTaken`], under a name the document gives.
#[derive(Deserialize)]
#[serde(transparent)]
struct StepBody(StepTaken);

json_schema!(StepBody, "GrievanceStep", {
    "type": "object", "required": ["step"],
    "properties": {
        "step": { "type": "string", "enum": ["assign", "start", "resolve", "close", "reopen"] },
        "owner": { "type": "string", "description": "assign: a user who handles grievances in the grievance's district" },
        "kind": { "type": "string", "enum": ["upheld", "partly_upheld", "not_upheld"], "description": "resolve" },
        "text": { "type": "string", "description": "resolve: what was found and done" },
        "cover": { "type": "object", "description": "resolve, an enrolment_appeal upheld: the cover it gives after the eligibility check, `from` (a date) and `package` (empty: the scheme's first)" },
        "refund": { "type": "string", "description": "resolve, an exempt_charged grievance upheld: the amount refunded to the member and deducted from the facility in the next payment run; left out, all the facility collected on its claim; 0, the facility gave it back itself" },
        "why": { "type": "string", "description": "reopen: why it is not settled" },
        "note": { "type": "string", "description": "assign, start, close: kept with the step" }
    }
});

/// Take a step on a grievance
///
/// assign (a received grievance is then open), start, resolve, close, or reopen; each dated,
/// attributed to the caller and kept in the audit trail.
#[utoipa::path(post, path = "/api/grievances/{id}/steps", tag = GRIEVANCES,
    params(("id" = String, Path, description = "G-YYYYMMDD-NNN")),
    request_body = inline(StepBody),
    responses(
        (status = 200, description = "The grievance after the step, with its steps and `refund`"),
        (status = 404, description = "No such grievance in the caller's districts", body = ErrorBody),
        (status = 409, description = "The step is not one its status allows, or someone else changed it meanwhile", body = ErrorBody),
        (status = 422, description = "A field is wrong: an owner who cannot handle it, an empty resolution, a refund above what was collected (`field` names it)", body = ErrorBody),
    ))]
pub async fn step(
    caller: Caller,
    State(registry): State<Registry>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let StepBody(taken) = parse(&body)?;
    let scope = caller.scope(&registry).await?;
    let registry = registry.clone().acting_as(caller.actor()?);
    let view = registry.take_grievance_step(&id, taken, &scope).await?;
    Ok(Json(view.to_json()))
}
