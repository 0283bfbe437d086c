//! The API's errors. What the caller got wrong is answered with its code, a message and the field;
//! what went wrong inside is logged with its cause and answered as a plain 500.
//!
//! | code           | status | meaning                                                    |
//! |----------------|--------|------------------------------------------------------------|
//! | `bad_request`  | 400    | the body is not JSON                                       |
//! | `invalid`      | 422    | a field breaks a rule; `field` names it                    |
//! | `not_eligible` | 422    | an enrolment refused by eligibility; `rules` lists them    |
//! | `not_found`    | 404    | no such record or endpoint                                 |
//! | `conflict`     | 409    | the key is taken, or history would be rewritten            |
//! | `not_estimable`| 422    | the data do not allow the estimate asked for               |
//! | `internal`     | 500    | a fault inside carepool; the log has the cause             |

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use carepool_core::registry::FieldError;
use carepool_service::{RowProblem, ServiceError};
use serde_json::json;

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    field: Option<String>,
    problems: Vec<RowProblem>,
}

impl ApiError {
    fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            problems: vec![],
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    pub fn invalid_field(field: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            field: Some(field.to_string()),
            ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid", message)
        }
    }

    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        tracing::error!(%error, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "internal error",
        )
    }
}

impl From<FieldError> for ApiError {
    fn from(error: FieldError) -> ApiError {
        ApiError::invalid_field(error.field, error.message)
    }
}

impl From<ServiceError> for ApiError {
    fn from(error: ServiceError) -> ApiError {
        match error {
            ServiceError::Invalid(problems) => {
                let first = problems
                    .first()
                    .cloned()
                    .unwrap_or_else(|| RowProblem::new(0, None, "invalid"));
                let code = if first.rules.is_empty() {
                    "invalid"
                } else {
                    "not_eligible"
                };
                ApiError {
                    field: first.column.clone(),
                    problems,
                    ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, first.message)
                }
            }
            ServiceError::NotFound { what, key } => {
                ApiError::not_found(format!("no {what} with key {key}"))
            }
            ServiceError::Conflict(message) => {
                ApiError::new(StatusCode::CONFLICT, "conflict", message)
            }
            ServiceError::Scheme(errors) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid",
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            ServiceError::NotEstimable(message) => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "not_estimable", message)
            }
            internal @ (ServiceError::Corrupt(_) | ServiceError::Store(_)) => {
                ApiError::internal(error_chain(&internal))
            }
        }
    }
}

fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut body = json!({ "code": self.code, "message": self.message, "field": self.field });
        if let Some(rules) = self
            .problems
            .first()
            .filter(|p| !p.rules.is_empty())
            .map(|p| &p.rules)
        {
            body["rules"] = json!(rules);
        }
        if self.problems.len() > 1 {
            body["problems"] = json!(self.problems);
        }
        (self.status, Json(json!({ "error": body }))).into_response()
    }
}
