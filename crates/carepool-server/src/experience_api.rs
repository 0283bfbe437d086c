//! POST /api/experience: the experience study on the live database.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::{STUDIES, json_schema};
use crate::{StudyTurns, json, parse};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use carepool_actuarial::experience::Experience;
use carepool_service::Registry;
use carepool_service::experience::ExperienceOptions;
use serde_json::Value as JsonValue;

/// [`ExperienceOptions`] as the body gives them: their schema in the OpenAPI document (the
/// service's type knows nothing of OpenAPI).
struct ExperienceOptionsSchema;

json_schema!(ExperienceOptionsSchema, "ExperienceOptions", {
    "type": "object", "additionalProperties": false,
    "properties": {
        "scheme": { "type": "string", "description": "The scheme studied; default every family." },
        "from": { "type": "string", "format": "date", "description": "Default 1 January two years before `to`." },
        "to": { "type": "string", "format": "date", "description": "Default today." },
        "split": { "type": "string", "enum": ["year", "month"], "default": "year" },
        "age_bands": { "type": "array", "items": { "type": "integer" }, "description": "Starts of the age bands; default [0, 5, 15, 25, 45, 65]." },
        "duration_bands": { "type": "array", "items": { "type": "integer" }, "description": "Starts of the duration bands in months since enrolment; default [0, 3, 6, 12, 24]." },
        "base": { "type": "object", "additionalProperties": { "type": "string" }, "description": "Base level by factor (age, sex, area, duration, period), e.g. {\"sex\": \"M\"}; default the level with the most exposure." },
        "glm_factors": { "type": "array", "items": { "type": "string", "enum": ["age", "sex", "area", "duration", "period"] }, "description": "Default [age, sex, area]." }
    }
});

/// The study's answer (docs/EXPERIENCE.md): amounts are decimal strings
/// ([`crate::openapi::Amount`]); exposures, rates and relativities numbers.
struct ExperienceSchema;

json_schema!(ExperienceSchema, "Experience", {
    "type": "object",
    "properties": {
        "settings": { "type": "object", "properties": {
            "from": { "type": "string", "format": "date" },
            "to": { "type": "string", "format": "date", "description": "The last day studied: the day asked, or where the data end if that came first." },
            "asked_to": { "type": ["string", "null"], "format": "date" }
        } },
        "summary": { "allOf": [{ "$ref": "#/components/schemas/ExperienceRates" }, { "type": "object", "properties": {
            "pending_exposure": { "type": "number" }, "family_exposure": { "type": "number" },
            "risk_cost_per_family": { "oneOf": [{ "$ref": "#/components/schemas/Amount" }, { "type": "null" }] }
        } }] },
        "periods": { "type": "array" },
        "base_table": { "type": "array", "items": { "allOf": [{ "$ref": "#/components/schemas/ExperienceRates" }, { "type": "object", "properties": {
            "clinical_category": { "type": "string" }, "specialty": { "type": ["string", "null"] },
            "risk_cost_per_family": { "oneOf": [{ "$ref": "#/components/schemas/Amount" }, { "type": "null" }] },
            "cost_share": { "type": ["number", "null"] }
        } }] } },
        "relativities": { "type": "array" }, "locations": { "type": "array" },
        "glm": { "type": "object" }, "diagnostics": { "type": "object" }, "cells": { "type": "array" },
        "notes": { "type": "array", "items": { "type": "string" } }
    }
});

/// Exposure, claims and their rates, for the whole study or a line of the base table.
pub(crate) struct RatesSchema;

json_schema!(RatesSchema, "ExperienceRates", {
    "type": "object",
    "properties": {
        "exposure": { "type": "number" }, "claims": { "type": "integer" }, "incidence_per_1000": { "type": ["number", "null"] },
        "claimed": { "$ref": "#/components/schemas/Amount" }, "approved": { "$ref": "#/components/schemas/Amount" }, "paid": { "$ref": "#/components/schemas/Amount" }, "cost": { "$ref": "#/components/schemas/Amount" },
        "average_claimed": { "oneOf": [{ "$ref": "#/components/schemas/Amount" }, { "type": "null" }] }, "average_approved": { "oneOf": [{ "$ref": "#/components/schemas/Amount" }, { "type": "null" }] }, "average_paid": { "oneOf": [{ "$ref": "#/components/schemas/Amount" }, { "type": "null" }] }, "average_cost": { "oneOf": [{ "$ref": "#/components/schemas/Amount" }, { "type": "null" }] },
        "stays": { "type": "integer" }, "bed_days": { "type": "integer" }, "alos": { "type": ["number", "null"] },
        "bed_days_per_1000": { "type": ["number", "null"] }, "risk_cost": { "oneOf": [{ "$ref": "#/components/schemas/Amount" }, { "type": "null" }] }
    }
});

/// The experience study on the live database (docs/EXPERIENCE.md)
///
/// Exposure, incidence, average cost, base table, relativities, GLMs and diagnostics. The body
/// gives the options, all optional: no body, `null` or `{}` studies every family over the last
/// three calendar years to today.
#[utoipa::path(post, path = "/api/experience", tag = STUDIES,
    request_body = inline(Option<ExperienceOptionsSchema>),
    responses(
        (status = 200, description = "The study, as `carepool experience --out FILE.json` writes it (docs/EXPERIENCE.md)", body = ExperienceSchema),
        (status = 422, description = "An option is wrong (`field` names it), or no member was covered in the period (`not_estimable`)", body = ErrorBody),
    ))]
pub async fn experience(
    caller: Caller,
    State(registry): State<Registry>,
    State(studies): State<StudyTurns>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let options: Option<ExperienceOptions> = match body.is_empty() {
        true => None,
        false => parse(&body)?,
    };
    let options = options.unwrap_or_default();
    let experience = experience_for(&caller, &registry, &studies, options).await?;
    Ok(Json(json(&experience)?))
}

/// The experience study for `caller`, a national user, in its turn among the studies. The
/// API's and the pages' one way to run it.
pub async fn experience_for(
    caller: &Caller,
    registry: &Registry,
    studies: &StudyTurns,
    options: ExperienceOptions,
) -> Result<Experience, ApiError> {
    caller.national("an experience study")?;
    let registry = registry.clone();
    let today = registry.today();
    studies
        .run(async move { registry.experience(&options, today).await })
        .await
}
