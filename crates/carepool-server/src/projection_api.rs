//! POST /api/project: a projection and its stress tests from assumptions given as JSON.

use crate::error::ApiError;
use crate::{json, parse};
use axum::Json;
use axum::body::Bytes;
use carepool_service::RowProblem;
use carepool_service::ServiceError;
use carepool_service::projection::{ProjectionFile, ProjectionRunError};
use serde_json::Value as JsonValue;

/// The body is the assumptions file's content as JSON (the base table's `lines` inline); the
/// answer is what `carepool project --out X.json` writes.
pub async fn project(body: Bytes) -> Result<Json<JsonValue>, ApiError> {
    let file: ProjectionFile = parse(&body)?;
    let invalid = |field: &str, message: String| {
        ServiceError::Invalid(vec![RowProblem::new(0, Some(field), message)])
    };
    if file.base.table.is_some() {
        let message = "the API takes the base table's lines, not a file".to_string();
        return Err(invalid("base.table", message).into());
    }
    let tests = file.run().map_err(|error| match error {
        ProjectionRunError::Field(error) => invalid(error.field, error.message),
        ProjectionRunError::Stress(error) => invalid("assumptions", error.to_string()),
    })?;
    Ok(Json(json(&tests)?))
}
