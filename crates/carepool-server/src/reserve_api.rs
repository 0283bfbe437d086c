//! POST /api/reserve: the reserve study on the live database.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::{STUDIES, json_schema};
use crate::{StudyTurns, json, parse};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use carepool_actuarial::Reserve;
use carepool_service::Registry;
use carepool_service::reserving::ReserveOptions;
use serde_json::Value as JsonValue;

/// [`ReserveOptions`] as the body gives them: their schema in the OpenAPI document (the service's
/// type knows nothing of OpenAPI).
struct ReserveOptionsSchema;

json_schema!(ReserveOptionsSchema, "ReserveOptions", {
    "type": "object", "additionalProperties": false,
    "properties": {
        "method": { "type": "string", "enum": ["chain-ladder", "mack", "bf", "benktander", "cape-cod"], "default": "mack" },
        "sigma": { "type": "string", "enum": ["mack", "log-linear"], "description": "mack only: the last sigma's convention." },
        "origin": { "type": "string", "enum": ["month", "quarter", "year"], "default": "quarter" },
        "development": { "type": "string", "enum": ["reported", "paid"], "default": "reported" },
        "measure": { "type": "string", "enum": ["amount", "count"], "default": "amount" },
        "valuation": { "type": "string", "format": "date", "description": "Default today." },
        "average": { "type": "string", "description": "volume (default), simple, or N: volume over the latest N origins." },
        "exclude": { "type": "array", "items": { "type": "string" }, "description": "Links left out, as ORIGIN:LAG." },
        "tail": { "type": "number", "default": 1 },
        "loss_ratio": { "type": "number", "description": "bf and benktander: the a priori loss ratio." },
        "iterations": { "type": "integer", "default": 2, "description": "benktander only." },
        "exposure": { "type": "object", "additionalProperties": { "type": "number" }, "description": "bf, benktander, cape-cod: earned premium by origin label." }
    }
});

/// The study's answer: its amounts are decimal strings ([`crate::openapi::Amount`]).
struct ReserveSchema;

json_schema!(ReserveSchema, "Reserve", {
    "type": "object",
    "properties": {
        "method": { "type": "string" }, "development": { "type": "string" },
        "valuation": { "type": ["string", "null"], "format": "date" },
        "factors": { "type": "array", "items": { "type": "number" }, "description": "Development factors from each lag to the next." },
        "to_ultimate": { "type": "array", "items": { "type": "number" } },
        "origins": { "type": "array", "items": { "$ref": "#/components/schemas/OriginReserve" } },
        "total": { "$ref": "#/components/schemas/OriginReserve" },
        "triangle": { "type": "object", "properties": {
            "origins": { "type": "array", "items": { "type": "string" } },
            "cumulative": { "type": "array", "items": { "type": "array", "items": { "$ref": "#/components/schemas/Amount" } } },
            "incremental": { "type": "array", "items": { "type": "array", "items": { "$ref": "#/components/schemas/Amount" } } },
            "link_ratios": { "type": "array", "items": { "type": "array", "items": { "type": ["number", "null"] } } }
        } },
        "notes": { "type": "array", "items": { "type": "string" } },
        "warnings": { "type": "array", "items": { "type": "string" }, "description": "What in the data makes the results doubtful, with the reason." }
    }
});

/// One origin's (or the total's) reserve.
pub(crate) struct OriginReserveSchema;

json_schema!(OriginReserveSchema, "OriginReserve", {
    "type": "object",
    "properties": {
        "origin": { "type": "string" },
        "latest": { "$ref": "#/components/schemas/Amount" }, "exposure": { "oneOf": [{ "$ref": "#/components/schemas/Amount" }, { "type": "null" }] }, "to_ultimate": { "type": ["number", "null"] }, "ultimate": { "$ref": "#/components/schemas/Amount" },
        "reserve": { "$ref": "#/components/schemas/Amount" }, "ibnr": { "oneOf": [{ "$ref": "#/components/schemas/Amount" }, { "type": "null" }] }, "rbnp": { "oneOf": [{ "$ref": "#/components/schemas/Amount" }, { "type": "null" }] }, "standard_error": { "oneOf": [{ "$ref": "#/components/schemas/Amount" }, { "type": "null" }] }
    }
});

/// Reserves on the live database: IBNR and RBNP by origin and in total (docs/RESERVING.md)
///
/// The body gives the options, all optional: no body, `null` or `{}` is Mack on quarterly
/// origins of the amounts reported, valued today.
#[utoipa::path(post, path = "/api/reserve", tag = STUDIES,
    request_body = inline(Option<ReserveOptionsSchema>),
    responses(
        (status = 200, description = "The study, as `carepool reserve --out FILE.json` writes it (docs/RESERVING.md)", body = ReserveSchema),
        (status = 422, description = "An option is wrong (`field` names it), or the claims do not allow the estimate (`not_estimable`)", body = ErrorBody),
    ))]
pub async fn reserve(
    caller: Caller,
    State(registry): State<Registry>,
    State(studies): State<StudyTurns>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let options: Option<ReserveOptions> = match body.is_empty() {
        true => None,
        false => parse(&body)?,
    };
    let reserve = reserve_for(&caller, &registry, &studies, options.unwrap_or_default()).await?;
    Ok(Json(json(&reserve)?))
}

/// The reserve study for `caller`, a national user, in its turn among the studies. The API's
/// and the pages' one way to run it.
pub async fn reserve_for(
    caller: &Caller,
    registry: &Registry,
    studies: &StudyTurns,
    options: ReserveOptions,
) -> Result<Reserve, ApiError> {
    caller.national("a reserve")?;
    let registry = registry.clone();
    let today = registry.today();
    studies
        .run(async move { registry.reserve(&options, today).await })
        .await
}
