//! POST /api/project: a projection and its stress tests from assumptions given as JSON.

use crate::error::{ApiError, ErrorBody};
use crate::openapi::{STUDIES, json_schema};
use crate::{json, parse};
use axum::Json;
use axum::body::Bytes;
use carepool_actuarial::stress::StressTests;
use carepool_service::RowProblem;
use carepool_service::ServiceError;
use carepool_service::projection::{ProjectionFile, ProjectionRunError, ProjectionWritten};
use serde_json::Value as JsonValue;

/// A [`ProjectionFile`] as the body gives it: its schema in the OpenAPI document (the service's
/// type knows nothing of OpenAPI).
struct ProjectionFileSchema;

json_schema!(ProjectionFileSchema, "ProjectionAssumptions", {
    "type": "object",
    "description": "The assumptions file's content as JSON (docs/PROJECTION.md), the base table's lines inline: currency (optional), base, projection, trends, population, relativities, line_assumptions, benefit_changes, new_benefits, loadings, stress, credibility (its reference_lines inline).",
    "required": ["base", "projection", "population"]
});

/// The answer: premiums and the reserve are decimal strings ([`crate::openapi::Amount`]).
struct StressTestsSchema;

json_schema!(StressTestsSchema, "StressTests", {
    "type": "object",
    "properties": {
        "inputs": { "type": "array", "description": "Where each input came from.", "items": { "type": "object", "properties": {
            "input": { "type": "string" }, "source": { "type": "string" }
        } } },
        "credibility": { "type": "array", "description": "With credibility: each line's claims, weights, and its own, reference and blended rates.", "items": { "type": "object", "properties": {
            "name": { "type": "string" }, "claims": { "type": "number" }, "incidence_weight": { "type": "number" }, "own_incidence": { "type": "number" }, "reference_incidence": { "type": "number" }, "incidence": { "type": "number" },
            "cost_weight": { "type": "number" }, "own_average_cost": { "$ref": "#/components/schemas/Amount" }, "reference_average_cost": { "$ref": "#/components/schemas/Amount" }, "average_cost": { "$ref": "#/components/schemas/Amount" }
        } } },
        "base": { "type": "object", "properties": {
            "carried_to_start": { "type": "object", "description": "The base table carried from its date to the first day of the projection by its trends.", "properties": {
                "years": { "type": "number" },
                "lines": { "type": "array", "items": { "type": "object", "properties": {
                    "name": { "type": "string" }, "incidence": { "type": "number" }, "average_cost": { "$ref": "#/components/schemas/Amount" }
                } } }
            } },
            "years": { "type": "array", "items": { "type": "object", "properties": {
                "year": { "type": "integer" }, "risk_cost_per_member": { "$ref": "#/components/schemas/Amount" }, "risk_cost_per_family": { "$ref": "#/components/schemas/Amount" },
                "expense_share": { "type": "number" }, "premium_per_member": { "$ref": "#/components/schemas/Amount" }, "premium_per_family": { "$ref": "#/components/schemas/Amount" },
                "members": { "type": "number" }, "families": { "type": "number" },
                "lines": { "type": "array", "items": { "type": "object", "properties": {
                    "name": { "type": "string" }, "incidence": { "type": "number" }, "average_cost": { "$ref": "#/components/schemas/Amount" }, "risk_cost": { "$ref": "#/components/schemas/Amount" }
                } } }
            } } },
            "level_premium_per_member": { "$ref": "#/components/schemas/Amount" }, "level_premium_per_family": { "$ref": "#/components/schemas/Amount" },
            "reserve": { "type": "array", "items": { "type": "object", "properties": {
                "year": { "type": "integer" }, "opening": { "$ref": "#/components/schemas/Amount" }, "premium_income": { "$ref": "#/components/schemas/Amount" }, "claims": { "$ref": "#/components/schemas/Amount" },
                "expenses": { "$ref": "#/components/schemas/Amount" }, "investment_income": { "$ref": "#/components/schemas/Amount" }, "closing": { "$ref": "#/components/schemas/Amount" }
            } } },
            "refund": { "$ref": "#/components/schemas/Amount" }, "retained": { "$ref": "#/components/schemas/Amount" }
        } },
        "results": { "type": "array", "items": { "type": "object", "properties": {
            "scenario": { "type": "string" }, "level_premium_per_member": { "$ref": "#/components/schemas/Amount" }, "level_premium_per_family": { "$ref": "#/components/schemas/Amount" },
            "change": { "$ref": "#/components/schemas/Amount" }, "change_share": { "type": "number" }, "family_change": { "$ref": "#/components/schemas/Amount" }, "family_change_share": { "type": "number" }
        } } },
        "range": { "type": "array", "items": { "$ref": "#/components/schemas/Amount" }, "minItems": 2, "maxItems": 2, "description": "The lowest and highest level premium per member." },
        "range_per_family": { "type": "array", "items": { "$ref": "#/components/schemas/Amount" }, "minItems": 2, "maxItems": 2, "description": "The lowest and highest level premium per family." }
    }
});

/// A projection and its stress tests (docs/PROJECTION.md)
///
/// Premium by year, level premium, reserve, refund and the range.
#[utoipa::path(post, path = "/api/project", tag = STUDIES,
    request_body = inline(ProjectionFileSchema),
    responses(
        (status = 200, description = "The projection and stress tests, as `carepool project --out FILE.json` writes them", body = StressTestsSchema),
        (status = 422, description = "An assumption is wrong (`field` names it)", body = ErrorBody),
    ))]
pub async fn project(body: Bytes) -> Result<Json<JsonValue>, ApiError> {
    let file: ProjectionFile = parse(&body)?;
    let tests = project_for(&file)?;
    Ok(Json(json(&ProjectionWritten::of(&file, &tests))?))
}

/// The projection and stress tests of `file`, whose base table's lines are given inline. The
/// API's and the pages' one way to run it.
pub fn project_for(file: &ProjectionFile) -> Result<StressTests, ApiError> {
    let invalid = |field: &str, message: String| {
        ServiceError::Invalid(vec![RowProblem::new(0, Some(field), message)])
    };
    if file.base.table.is_some() {
        let message = "the API takes the base table's lines, not a file".to_string();
        return Err(invalid("base.table", message).into());
    }
    if file
        .credibility
        .as_ref()
        .is_some_and(|c| c.reference.is_some())
    {
        let message =
            "the API takes the reference table's lines (reference_lines), not a file".to_string();
        return Err(invalid("credibility.reference", message).into());
    }
    if file.experience.is_some() {
        let message =
            "the API takes the projection's inputs, not an experience study to take them from (carepool project --experience)"
                .to_string();
        return Err(invalid("experience", message).into());
    }
    Ok(file.run().map_err(|error| match error {
        ProjectionRunError::Field(error) => invalid(error.field, error.message),
        ProjectionRunError::Stress(error) => invalid("assumptions", error.to_string()),
        ProjectionRunError::NotFinite(error) => {
            ServiceError::not_estimable(Default::default(), error.to_string())
        }
    })?)
}
