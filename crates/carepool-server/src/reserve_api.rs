//! POST /api/reserve: the reserve study on the live database.

use crate::error::ApiError;
use crate::{json, parse};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use carepool_service::Registry;
use carepool_service::reserving::ReserveOptions;
use serde_json::Value as JsonValue;

/// The body gives the options (all optional; no body, `null` or `{}` is Mack on quarterly origins
/// of the amounts reported, valued today); the answer is the study's JSON, as `carepool reserve
/// --out X.json`.
pub async fn reserve(
    State(registry): State<Registry>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let options: Option<ReserveOptions> = match body.is_empty() {
        true => None,
        false => parse(&body)?,
    };
    let options = options.unwrap_or_default();
    let reserve = registry.reserve(&options, crate::today()).await?;
    Ok(Json(json(&reserve)?))
}
