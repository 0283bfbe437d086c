//! POST /api/costing: a national costing from its inputs given as JSON.

use crate::error::{ApiError, ErrorBody};
use crate::openapi::{STUDIES, json_schema};
use crate::{json, parse};
use axum::Json;
use axum::body::Bytes;
use carepool_service::costing::{CostingFile, CostingRunError};
use carepool_service::{RowProblem, ServiceError};
use serde_json::Value as JsonValue;

/// A [`CostingFile`] as the body gives it: its schema in the OpenAPI document (the service's type
/// knows nothing of OpenAPI).
struct CostingFileSchema;

json_schema!(CostingFileSchema, "CostingInputs", {
    "type": "object",
    "description": "The costing file's content as JSON: currency (optional), horizon, coverage, population, benefits, economy, revenue.",
    "required": ["horizon", "coverage", "population", "benefits", "economy", "revenue"]
});

/// The answer, a year each: costs, GDP, expenditure and the gap are decimal strings
/// ([`crate::openapi::Amount`]); population, coverage and shares numbers.
struct CostingYearsSchema;

json_schema!(CostingYearsSchema, "CostingYears", {
    "type": "array",
    "items": { "type": "object", "properties": {
        "year": { "type": "integer" }, "population": { "type": "number" }, "coverage": { "type": "number" }, "covered": { "type": "number" },
        "benefits": { "type": "array", "description": "Each benefit's cost: [name, amount].", "items": { "type": "array", "items": { "oneOf": [{ "type": "string" }, { "$ref": "#/components/schemas/Amount" }] } } },
        "total_cost": { "$ref": "#/components/schemas/Amount" }, "cost_per_covered": { "$ref": "#/components/schemas/Amount" }, "cost_per_inhabitant": { "$ref": "#/components/schemas/Amount" }, "gdp": { "$ref": "#/components/schemas/Amount" },
        "share_of_gdp": { "type": "number" }, "government_expenditure": { "$ref": "#/components/schemas/Amount" }, "share_of_government_expenditure": { "type": "number" },
        "revenue": { "$ref": "#/components/schemas/Amount" }, "financing_gap": { "$ref": "#/components/schemas/Amount" }
    } }
});

/// A national costing (docs/PROJECTION.md)
///
/// Cost by year and benefit, per capita, shares of GDP and government expenditure, financing
/// gap.
#[utoipa::path(post, path = "/api/costing", tag = STUDIES,
    request_body = inline(CostingFileSchema),
    responses(
        (status = 200, description = "The years, as `carepool project --costing FILE --out X.json` writes them", body = CostingYearsSchema),
        (status = 422, description = "An input is wrong (`field` names it)", body = ErrorBody),
    ))]
pub async fn costing(body: Bytes) -> Result<Json<JsonValue>, ApiError> {
    let file: CostingFile = parse(&body)?;
    let rows = file.run().map_err(|error| {
        let field = match &error {
            CostingRunError::Field(error) => error.field,
            CostingRunError::Costing(_) => "costing",
            CostingRunError::NotFinite(_) => {
                return ServiceError::not_estimable(Default::default(), error.to_string());
            }
        };
        ServiceError::Invalid(vec![RowProblem::new(0, Some(field), error.to_string())])
    })?;
    Ok(Json(json(&rows)?))
}
