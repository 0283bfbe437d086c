//! Claims over HTTP: facilities submit claims (one, or a batch) and get the decisions back;
//! reviewers decide; payment runs; a facility checks a member's cover.

use crate::error::ApiError;
use crate::intake::Intake;
use crate::{date_param, json, parse};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use carepool_core::claims::Claim;
use carepool_core::claims::review::ReviewAction;
use carepool_service::Registry;
use carepool_service::claims::ReceivedClaim;
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value as JsonValue;
use std::collections::HashMap;

/// POST /api/claims: a claim, or an array of claims; received and judged at once (with other
/// facilities' claims that arrive meanwhile; see [`Intake`]).
pub async fn submit(
    State(intake): State<Intake>,
    body: Bytes,
) -> Result<(StatusCode, Json<JsonValue>), ApiError> {
    let value: JsonValue = serde_json::from_slice(&body)
        .map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))?;
    let batch = value.is_array();
    let claims: Vec<Claim> = if batch {
        parse(&body)?
    } else {
        vec![parse(&body)?]
    };
    let received = claims
        .into_iter()
        .enumerate()
        .map(|(i, claim)| ReceivedClaim {
            line: if batch { i as u64 + 1 } else { 0 },
            claim,
        })
        .collect();
    let mut views = intake.submit(received).await??;
    let body = if batch {
        json(&views)?
    } else {
        json(&views.remove(0))?
    };
    Ok((StatusCode::CREATED, Json(body)))
}

/// GET /api/claims/{provider_id}/{claim_number}
pub async fn show(
    State(registry): State<Registry>,
    Path((provider, number)): Path<(String, String)>,
) -> Result<Json<JsonValue>, ApiError> {
    let id = carepool_core::claims::claim_id(&provider, &number);
    Ok(Json(json(&registry.claim_view(&id).await?)?))
}

#[derive(Deserialize)]
struct ReviewBody {
    #[serde(flatten)]
    action: ReviewAction,
    note: String,
}

/// POST /api/claims/{provider_id}/{claim_number}/review
pub async fn review(
    State(registry): State<Registry>,
    Path((provider, number)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let body: ReviewBody = parse(&body)?;
    let id = carepool_core::claims::claim_id(&provider, &number);
    let view = registry
        .review_claim(&id, &body.action, &body.note, registry.today())
        .await?;
    Ok(Json(json(&view)?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PayBody {
    period: String,
    #[serde(default)]
    date: Option<NaiveDate>,
}

/// POST /api/claims/pay
pub async fn pay(
    State(registry): State<Registry>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let body: PayBody = parse(&body)?;
    let report = registry
        .pay_claims(&body.period, body.date.unwrap_or_else(|| registry.today()))
        .await?;
    Ok(Json(json(&report)?))
}

/// GET /api/members/{id}/cover?date=
pub async fn cover(
    State(registry): State<Registry>,
    Path(member): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    let date = date_param(&registry, &params, "date")?;
    Ok(Json(json(&registry.cover_status(&member, date).await?)?))
}
