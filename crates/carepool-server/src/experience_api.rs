//! POST /api/experience: the experience study on the live database.

use crate::error::ApiError;
use crate::{json, parse};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use carepool_service::Registry;
use carepool_service::experience::ExperienceOptions;
use serde_json::Value as JsonValue;

/// The body gives the options (all optional; no body, `null` or `{}` studies every family over
/// the last three calendar years to today); the answer is the study's JSON, as `carepool
/// experience --out X.json` writes it.
pub async fn experience(
    State(registry): State<Registry>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let options: Option<ExperienceOptions> = match body.is_empty() {
        true => None,
        false => parse(&body)?,
    };
    let options = options.unwrap_or_default();
    let experience = registry.experience(&options, crate::today()).await?;
    Ok(Json(json(&experience)?))
}
