//! POST /api/experience: the experience study on the live database.

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::{STUDIES, json_schema};
use crate::{StudyTurns, json, parse};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
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
        "base": { "type": "object", "additionalProperties": { "type": "string" }, "description": "Base level by factor (age, sex, area, duration), e.g. {\"sex\": \"M\"}; default the level with the most exposure." },
        "glm_factors": { "type": "array", "items": { "type": "string", "enum": ["age", "sex", "area", "duration"] }, "description": "Default [age, sex, area]." }
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
        (status = 200, description = "The study, as `carepool experience --out FILE.json` writes it (docs/EXPERIENCE.md)"),
        (status = 422, description = "An option is wrong (`field` names it), or no member was covered in the period (`not_estimable`)", body = ErrorBody),
    ))]
pub async fn experience(
    caller: Caller,
    State(registry): State<Registry>,
    State(studies): State<StudyTurns>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    caller.national("an experience study")?;
    let options: Option<ExperienceOptions> = match body.is_empty() {
        true => None,
        false => parse(&body)?,
    };
    let options = options.unwrap_or_default();
    let today = registry.today();
    let experience = studies
        .run(async move { registry.experience(&options, today).await })
        .await?;
    Ok(Json(json(&experience)?))
}
