//! POST /api/costing: a national costing from its inputs given as JSON.

use crate::error::ApiError;
use crate::{json, parse};
use axum::Json;
use axum::body::Bytes;
use carepool_service::costing::{CostingFile, CostingRunError};
use carepool_service::{RowProblem, ServiceError};
use serde_json::Value as JsonValue;

/// The body is the costing file's content as JSON; the answer is what `carepool project
/// --costing FILE --out X.json` writes.
pub async fn costing(body: Bytes) -> Result<Json<JsonValue>, ApiError> {
    let file: CostingFile = parse(&body)?;
    let rows = file.run().map_err(|error| {
        let field = match &error {
            CostingRunError::Field(error) => error.field,
            CostingRunError::Costing(_) => "costing",
        };
        ServiceError::Invalid(vec![RowProblem::new(0, Some(field), error.to_string())])
    })?;
    Ok(Json(json(&rows)?))
}
