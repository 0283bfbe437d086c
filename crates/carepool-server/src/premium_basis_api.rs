//! The premium bases (`/api/premium-bases/{scheme}`) and the early warnings open against them
//! (`GET /api/warnings`), docs/INDICATORS.md.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::indicators_api::indicator_options;
use crate::openapi::STUDIES;
use crate::{StudyTurns, json, only_known, parse};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use carepool_service::Registry;
use carepool_service::premium_basis::BasisOutcome;
use carepool_service::projection::ProjectionFile;
use serde_json::Value as JsonValue;
use std::collections::HashMap;

/// The parameters `GET /api/warnings` reads.
const KNOWN: [&str; 4] = ["to", "scheme", "district", "warn_after"];

/// The early warnings open (docs/INDICATORS.md)
///
/// Each month's incidence, average cost and family size over the 24 months to `to` (default:
/// the last day of the last whole month), per base-table line, against the premium basis in
/// force; the runs outside their bands that reach `to`. A user bound to districts watches
/// only the families living there.
#[utoipa::path(get, path = "/api/warnings", tag = STUDIES,
    params(
        ("to" = Option<String>, Query, format = Date),
        ("scheme" = Option<String>, Query, description = "The scheme watched; may be left out when only one is loaded"),
        ("district" = Option<String>, Query),
        ("warn_after" = Option<u32>, Query, description = "Months in a row outside the band that raise a warning, 1 to 12 [default: 3]"),
    ),
    responses(
        (status = 200, description = "`from`, `to`, `scheme`, `bases` (first days of the premium bases), `not_watched` (why nothing was watched, or null), `alpha`, `months_in_a_row`, `months_checked`, `lines` and `warnings`: each with `line`, `measure` (incidence_per_1000, average_cost or family_size), `side` (above or below), `months` (each `month`, `observed`, `expected`, `low`, `high`) and `open`"),
        (status = 422, description = "A parameter is wrong, or names a scheme or location that does not exist or is out of the caller's scope (`field` names it)", body = ErrorBody),
    ))]
pub async fn warnings(
    caller: Caller,
    State(registry): State<Registry>,
    State(studies): State<StudyTurns>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    only_known(
        &params,
        &KNOWN,
        "not a parameter of the warnings; parameters",
    )?;
    // `from`, `by` and `provider` were refused above.
    let options = indicator_options(&params)?;
    studies
        .run_in_scope(
            &caller,
            &registry,
            move |registry, scope, today| async move {
                registry.open_warnings(&options, &scope, today).await
            },
        )
        .await
}

/// A scheme's premium bases, oldest first
#[utoipa::path(get, path = "/api/premium-bases/{scheme}", tag = STUDIES,
    params(("scheme" = String, Path)),
    responses(
        (status = 200, description = "`scheme` and `bases`: each with `effective_from`, `registered_by`, `registered_on` and `assumptions` (as `POST /api/project` takes them)"),
        (status = 404, description = "No such scheme", body = ErrorBody),
    ))]
pub async fn list(
    State(registry): State<Registry>,
    Path(scheme): Path<String>,
) -> Result<Json<JsonValue>, ApiError> {
    if registry.scheme_versions(&scheme).await?.is_empty() {
        return Err(ApiError::not_found(format!("no scheme with code {scheme}")));
    }
    let bases = registry.premium_bases(&scheme).await?;
    Ok(Json(
        serde_json::json!({ "scheme": scheme, "bases": json(&bases)? }),
    ))
}

/// Registers the assumptions a scheme's premium was set on
///
/// The body is a projection's assumptions, as `POST /api/project` takes them, base table
/// inline; the basis holds from the projection's `start`. The same assumptions again change
/// nothing; other assumptions for a day already registered, or for a day before the latest
/// basis, are refused (history is never rewritten). Recorded in the audit trail.
#[utoipa::path(post, path = "/api/premium-bases/{scheme}", tag = STUDIES,
    params(("scheme" = String, Path)),
    request_body(content = inline(JsonValue), description = "The projection's assumptions (docs/PROJECTION.md)"),
    responses(
        (status = 200, description = "`{\"outcome\": \"added\"}` or `{\"outcome\": \"unchanged\"}`"),
        (status = 409, description = "A basis from that day with other assumptions, or from a later day, is registered", body = ErrorBody),
        (status = 422, description = "An assumption is wrong, or the scheme is unknown (`field` names it)", body = ErrorBody),
    ))]
pub async fn register(
    caller: Caller,
    State(registry): State<Registry>,
    Path(scheme): Path<String>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let assumptions: ProjectionFile = parse(&body)?;
    let registry = registry.clone().acting_as(caller.actor()?);
    let outcome: BasisOutcome = registry
        .register_premium_basis(&scheme, assumptions)
        .await?;
    Ok(Json(serde_json::json!({ "outcome": outcome })))
}
