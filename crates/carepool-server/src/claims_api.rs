//! Claims over HTTP: facilities submit claims (one, or a batch) and get the decisions back;
//! reviewers decide; payment runs; a facility checks a member's cover.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::intake::Intake;
use crate::openapi::{CLAIMS, json_schema};
use crate::registry_api::list_within;
use crate::{date_param, json, parse};
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use carepool_core::access::Permission;
use carepool_core::claims::review::ReviewAction;
use carepool_core::claims::{Claim, ClaimStatus, ReasonCode};
use carepool_core::registry::{Member, Provider};
use carepool_schema::Record;
use carepool_schema::claim_tables::{ClaimRow, PAYMENT_RUNS, claims};
use carepool_schema::json::row_to_json;
use carepool_service::claims::{ClaimView, PaymentReport, ReceivedClaim};
use carepool_service::users::User;
use carepool_service::{Key, Registry, ServiceError};
use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::Value as JsonValue;
use std::collections::BTreeSet;
use std::collections::HashMap;
use utoipa::ToSchema;

/// A [`Claim`] as a facility sends it: its schema in the OpenAPI document (the core's type
/// knows nothing of OpenAPI).
pub struct ClaimSubmission;

json_schema!(ClaimSubmission, "ClaimSubmission", {
    "type": "object",
    "description": "A claim as a facility sends it (the columns of a claims CSV file, with its lines).",
    "required": ["provider_id", "claim_number", "member_id", "clinical_category", "received_date", "lines"],
    "properties": {
        "provider_id": { "type": "string" }, "claim_number": { "type": "string" },
        "member_id": { "type": "string" },
        "visit_date": { "type": "string", "format": "date" },
        "admission_date": { "type": "string", "format": "date" },
        "discharge_date": { "type": "string", "format": "date" },
        "diagnosis_codes": { "type": "array", "items": { "type": "string" } },
        "clinical_category": { "type": "string" }, "specialty": { "type": "string" },
        "limit_raising_case": { "type": "string" },
        "copay_collected": { "type": "string" },
        "received_date": { "type": "string", "format": "date" },
        "lines": { "type": "array", "items": { "type": "object",
            "required": ["service_code", "quantity", "unit_price"],
            "properties": { "service_code": { "type": "string" }, "quantity": { "type": "integer" },
                            "unit_price": { "type": "string" } } } }
    }
});

/// The body of a submission: one claim, or an array of them.
struct Submission;

json_schema!(Submission, "Submission", {
    "oneOf": [
        { "$ref": format!("#/components/schemas/{}", ClaimSubmission::name()) },
        { "type": "array", "items": { "$ref": format!("#/components/schemas/{}", ClaimSubmission::name()) } }
    ]
});

/// A claim with its decision, as the service's claim view answers it: its schema in the OpenAPI
/// document.
struct ClaimViewSchema;

json_schema!(ClaimViewSchema, "ClaimView", {
    "type": "object",
    "description": "A claim with its decision: the submission's fields, status, amounts (claimed = approved + member_share + rejected), allowance, paid, dates, reason_codes, line_decisions, and every reason in words.",
    "properties": {
        "id": { "type": "string" },
        "status": { "type": "string", "enum": ClaimStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>() },
        "reason_codes": { "type": "array", "items": { "type": "string",
            "enum": ReasonCode::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>() } },
        "reasons": { "type": "array", "items": { "type": "object", "properties": {
            "code": { "type": "string" }, "line": { "type": ["integer", "null"] },
            "amount": { "type": ["string", "null"] }, "message": { "type": "string" } } } }
    }
});

/// Submit a claim, or an array of claims: received and judged at once
///
/// Claims from other facilities that arrive meanwhile are judged in the same group.
#[utoipa::path(post, path = "/api/claims", tag = CLAIMS,
    request_body = inline(Submission),
    responses(
        (status = 201, description = "The decisions, one per claim (an array for an array)", body = ClaimViewSchema),
        (status = 200, description = "Every claim was sent before, unchanged: the decisions as they stand", body = ClaimViewSchema),
        (status = 400, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "A claim is malformed, or was sent before with other content", body = ErrorBody),
    ))]
pub async fn submit(
    caller: Caller,
    State(registry): State<Registry>,
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
    let mut views = submit_for(&caller, &registry, &intake, claims, batch).await?;
    // Sent again unchanged, every one: nothing was created.
    let status = if views.iter().all(|view| view.sent_before) {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    let body = if batch {
        json(&views)?
    } else {
        json(&views.remove(0))?
    };
    Ok((status, Json(body)))
}

/// Receives and judges `claims` sent by `caller` (numbered by line when sent as a `batch`): a
/// facility sends its own only, a user bound to districts those of its facilities there. The
/// API's and the pages' one way to submit claims.
pub async fn submit_for(
    caller: &Caller,
    registry: &Registry,
    intake: &Intake,
    claims: Vec<Claim>,
    batch: bool,
) -> Result<Vec<ClaimView>, ApiError> {
    if let Some(own) = own_provider(caller.user()?)
        && let Some(other) = claims.iter().find(|c| c.provider_id != own)
    {
        return Err(ApiError::forbidden(format!(
            "a facility submits its own claims only: this token is {own}'s, the claim {}'s",
            other.provider_id
        )));
    }
    // A user bound to districts receives the claims of the facilities there.
    let scope = caller.scope(registry).await?;
    if !scope.is_national() {
        let providers: BTreeSet<&str> = claims.iter().map(|c| c.provider_id.as_str()).collect();
        for provider in providers {
            let key = Key::<Provider>::parse(|_| Some(provider))?;
            if registry.get_within(&key, &scope).await.is_err() {
                return Err(ApiError::invalid_field(
                    "provider_id",
                    format!("unknown provider '{provider}'"),
                ));
            }
        }
    }
    let received = claims
        .into_iter()
        .enumerate()
        .map(|(i, claim)| ReceivedClaim {
            line: if batch { i as u64 + 1 } else { 0 },
            claim,
        })
        .collect();
    Ok(intake.submit(caller.actor()?, received).await??)
}

/// A claim, its lines and every reason given on it
#[utoipa::path(get, path = "/api/claims/{provider_id}/{claim_number}", tag = CLAIMS,
    params(("provider_id" = String, Path), ("claim_number" = String, Path)),
    responses(
        (status = 200, description = "The claim", body = ClaimViewSchema),
        (status = 404, description = "No such claim", body = ErrorBody),
    ))]
pub async fn show(
    caller: Caller,
    State(registry): State<Registry>,
    Path((provider, number)): Path<(String, String)>,
) -> Result<Json<JsonValue>, ApiError> {
    let id = carepool_core::claims::claim_id(&provider, &number);
    Ok(Json(json(&claim_for(&caller, &registry, &id).await?)?))
}

/// The claim `id` as `caller` may see it: another facility's claim, or one of a facility out
/// of scope, is answered as if it did not exist.
pub async fn claim_for(
    caller: &Caller,
    registry: &Registry,
    id: &str,
) -> Result<ClaimView, ApiError> {
    // The stored claim's facility is compared, not the path's: codes may hold a '/'.
    let stored = claim_within(caller, registry, id).await?;
    if own_provider(caller.user()?).is_some_and(|own| own != stored.provider_id) {
        return Err(ServiceError::NotFound {
            what: "claim",
            key: id.to_string(),
        }
        .into());
    }
    Ok(registry.claim_view(id).await?)
}

/// The stored claim; not found unless the caller's scope holds its facility.
async fn claim_within(
    caller: &Caller,
    registry: &Registry,
    id: &str,
) -> Result<ClaimRow, ApiError> {
    let key = Key::<ClaimRow>::parse(|_| Some(id))?;
    Ok(registry
        .get_within(&key, &caller.scope(registry).await?)
        .await?)
}

/// Claims in key order, a page at a time, filtered by status, provider or member; a facility
/// sees its own claims only.
pub async fn list(
    caller: Caller,
    State(registry): State<Registry>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    let own = own_provider(caller.user()?).map(|own| (claims::PROVIDER_ID.name(), own));
    let scope = caller.scope(&registry).await?;
    list_within::<ClaimRow>(&registry, &params, &scope, own).await
}

/// The facility whose claims alone a user may see or send: a facility user's, unless the role
/// also reads every claim.
pub fn own_provider(user: &User) -> Option<&str> {
    if user.role.may(Permission::ReadClaims) {
        return None;
    }
    // A facility user always names its facility (checked when added); one that did not would
    // see nothing rather than everything.
    Some(user.provider.as_deref().unwrap_or_default())
}

#[derive(Deserialize)]
struct ReviewBody {
    #[serde(flatten)]
    action: ReviewAction,
    note: String,
    /// The reviewer says a claim held as a probable duplicate is not one.
    #[serde(default)]
    not_duplicate: bool,
}

// Written out: the decision is the core's `ReviewAction`, flattened into the body.
json_schema!(ReviewBody, "ReviewBody", {
    "type": "object", "required": ["decision", "note"],
    "properties": {
        "decision": { "type": "string", "enum": ["approve", "adjust", "reject"] },
        "approved": { "type": "string", "description": "For adjust: what the scheme pays." },
        "note": { "type": "string" },
        "not_duplicate": { "type": "boolean", "description": "Needed to approve or adjust a probable duplicate: the reviewer says it is not one." }
    }
});

/// A medical reviewer's decision on a claim in review
#[utoipa::path(post, path = "/api/claims/{provider_id}/{claim_number}/review", tag = CLAIMS,
    params(("provider_id" = String, Path), ("claim_number" = String, Path)),
    request_body = inline(ReviewBody),
    responses(
        (status = 200, description = "The claim after review", body = ClaimViewSchema),
        (status = 403, description = "The reviewer received or submitted the claim", body = ErrorBody),
        (status = 404, description = "No such claim", body = ErrorBody),
        (status = 409, description = "The claim is not in review, or the amount is above what was approved", body = ErrorBody),
        (status = 422, description = "No note, or a negative amount", body = ErrorBody),
    ))]
pub async fn review(
    caller: Caller,
    State(registry): State<Registry>,
    Path((provider, number)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let body: ReviewBody = parse(&body)?;
    let id = carepool_core::claims::claim_id(&provider, &number);
    let view = review_for(
        &caller,
        &registry,
        &id,
        &body.action,
        &body.note,
        body.not_duplicate,
    )
    .await?;
    Ok(Json(json(&view)?))
}

/// A reviewer's decision on the claim `id`, within their scope, recorded as theirs. The API's
/// and the pages' one way to review.
pub async fn review_for(
    caller: &Caller,
    registry: &Registry,
    id: &str,
    action: &ReviewAction,
    note: &str,
    not_duplicate: bool,
) -> Result<ClaimView, ApiError> {
    claim_within(caller, registry, id).await?;
    let registry = registry.clone().acting_as(caller.actor()?);
    Ok(registry
        .review_claim(id, action, note, not_duplicate, registry.today())
        .await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct PayBody {
    /// The month paid, YYYY-MM.
    #[schema(pattern = "^[0-9]{4}-[0-9]{2}$")]
    period: String,
}

/// Propose a payment run: every claim approved by the end of the month and in no run yet
///
/// One payment per facility, allowances to patients. The claims are held for the run, and paid
/// only when another user releases it. With nothing due, no run is proposed (`run` is null).
#[utoipa::path(post, path = "/api/claims/pay", tag = CLAIMS,
    request_body = inline(PayBody),
    responses(
        (status = 200, description = "The run proposed and its payments"),
        (status = 422, description = "The period is not a month YYYY-MM", body = ErrorBody),
    ))]
pub async fn pay(
    caller: Caller,
    State(registry): State<Registry>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let body: PayBody = parse(&body)?;
    let report = propose_for(&caller, &registry, &body.period).await?;
    Ok(Json(json(&report)?))
}

/// Proposes the month's payment run for `caller`, a national user; recorded as theirs. The
/// API's and the pages' one way to propose a run.
pub async fn propose_for(
    caller: &Caller,
    registry: &Registry,
    period: &str,
) -> Result<PaymentReport, ApiError> {
    caller.national("a payment run")?;
    let registry = registry.clone().acting_as(caller.actor()?);
    Ok(registry.propose_payment_run(period).await?)
}

/// Releases the run `id` (PERIOD/N) for `caller`, a national user who did not propose it, paid
/// on `date` (default today). The API's and the pages' one way to release a run.
pub async fn release_for(
    caller: &Caller,
    registry: &Registry,
    id: &str,
    date: Option<NaiveDate>,
) -> Result<PaymentReport, ApiError> {
    caller.national("a payment run")?;
    let registry = registry.clone().acting_as(caller.actor()?);
    let date = date.unwrap_or_else(|| registry.today());
    Ok(registry.release_payment_run(id, date).await?)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct ReleaseBody {
    /// The payment date; default today.
    #[serde(default)]
    date: Option<NaiveDate>,
}

/// Release a proposed payment run: its claims are paid and its payments made
///
/// The user who proposed the run may not release it.
#[utoipa::path(post, path = "/api/payment-runs/{period}/{number}/release", tag = CLAIMS,
    params(("period" = String, Path, description = "YYYY-MM"), ("number" = u32, Path)),
    request_body = inline(ReleaseBody),
    responses(
        (status = 200, description = "The run released and its payments"),
        (status = 403, description = "The releaser proposed the run", body = ErrorBody),
        (status = 404, description = "No such run", body = ErrorBody),
        (status = 409, description = "The run was already released", body = ErrorBody),
    ))]
pub async fn release(
    caller: Caller,
    State(registry): State<Registry>,
    Path((period, number)): Path<(String, String)>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let body: ReleaseBody = parse(&body)?;
    let run = format!("{period}/{number}");
    let report = release_for(&caller, &registry, &run, body.date).await?;
    Ok(Json(json(&report)?))
}

/// The payment runs of a month, proposed and released, oldest first
#[utoipa::path(get, path = "/api/payment-runs/{period}", tag = CLAIMS,
    params(("period" = String, Path, description = "YYYY-MM")),
    responses(
        (status = 200, description = "The runs"),
        (status = 422, description = "The period is not a month YYYY-MM", body = ErrorBody),
    ))]
pub async fn payment_runs(
    caller: Caller,
    State(registry): State<Registry>,
    Path(period): Path<String>,
) -> Result<Json<JsonValue>, ApiError> {
    caller.national("payment runs")?;
    let runs = registry.payment_runs(&period).await?;
    let runs = runs
        .into_iter()
        .map(|run| row_to_json(&PAYMENT_RUNS, &run.into_row()))
        .collect();
    Ok(Json(JsonValue::Array(runs)))
}

/// Is the member covered on a date, and what is left of each annual limit
#[utoipa::path(get, path = "/api/members/{id}/cover", tag = CLAIMS,
    params(("id" = String, Path), ("date" = Option<NaiveDate>, Query, description = "Default today.")),
    responses(
        (status = 200, description = "The member's cover"),
        (status = 404, description = "No such member", body = ErrorBody),
        (status = 422, description = "The date is not a date YYYY-MM-DD", body = ErrorBody),
    ))]
pub async fn cover(
    caller: Caller,
    State(registry): State<Registry>,
    Path(member): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    let date = date_param(&registry, &params, "date")?;
    let key = Key::<Member>::parse(|_| Some(member.as_str()))?;
    registry
        .get_within(&key, &caller.scope(&registry).await?)
        .await?;
    Ok(Json(json(&registry.cover_status(&member, date).await?)?))
}
