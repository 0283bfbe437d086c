//! The API's errors. What the caller got wrong is answered with its code, a message and the field;
//! what went wrong inside is logged with its cause and answered as a plain 500.
//!
//! | code           | status | meaning                                                    |
//! |----------------|--------|------------------------------------------------------------|
//! | `bad_request`  | 400    | the body is not JSON, or a query parameter (`field`) is    |
//! |                |        | unusable: a page number that is not one, or past any list  |
//! | `unauthenticated` | 401 | no token, or one that is unknown, expired or revoked      |
//! | `forbidden`    | 403    | the user's role may not do this (docs/ACCESS.md), or a     |
//! |                |        | session's write without its CSRF token                     |
//! | `locked`       | 429    | too many failed sign-ins of late                           |
//! | `unsupported_media_type` | 415 | a write whose body is not `application/json`     |
//! | `payload_too_large` | 413 | a body past the server's bound (README, limits)       |
//! | `request_timeout` | 408 | a body that did not arrive in the server's time           |
//! | `invalid`      | 422    | a field breaks a rule; `field` names it                    |
//! | `not_eligible` | 422    | an enrolment refused by eligibility; `rules` lists them    |
//! | `not_found`    | 404    | no such record or endpoint                                 |
//! | `method_not_allowed` | 405 | the endpoint does not answer that method               |
//! | `conflict`     | 409    | the key is taken, or history would be rewritten            |
//! | `not_estimable`| 422    | the data do not allow the estimate asked for               |
//! | `internal`     | 500    | a fault inside carepool; the log has the cause             |
//!
//! The answer is an [`ErrorBody`], whose schema is the OpenAPI document's `Error`.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use carepool_core::eligibility::RuleFailure;
use carepool_core::registry::FieldError;
use carepool_core::words::{Figure, Words};
use carepool_service::{RowProblem, ServiceError};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};

/// The stable codes of the table above; the OpenAPI document lists them from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Unauthenticated,
    Forbidden,
    Locked,
    UnsupportedMediaType,
    PayloadTooLarge,
    RequestTimeout,
    Invalid,
    NotEligible,
    NotFound,
    MethodNotAllowed,
    Conflict,
    NotEstimable,
    Internal,
}

/// What an error answers: `{"error": {"code": ..., "message": ..., "field": ...}}`.
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    #[schema(inline)]
    error: ErrorDetails,
}

#[derive(Serialize, ToSchema)]
struct ErrorDetails {
    code: ErrorCode,
    message: String,
    field: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(schema_with = rules_schema)]
    rules: Vec<RuleFailure>,
    /// A stable code for why, where the error has one (a claim refused at intake:
    /// `future_date`, `implausible_date`, `quantity_too_large`, ...; docs/FORMATS.md).
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(schema_with = problems_schema)]
    problems: Vec<RowProblem>,
}

fn rules_schema() -> RefOr<Schema> {
    let text = || ObjectBuilder::new().schema_type(Type::String);
    let rule = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("rule", text())
        .property("message", text());
    ArrayBuilder::new()
        .items(rule)
        .description(Some(
            "The eligibility rules that refused an enrolment (`not_eligible`).",
        ))
        .into()
}

fn problems_schema() -> RefOr<Schema> {
    ArrayBuilder::new()
        .items(ObjectBuilder::new().schema_type(Type::Object))
        .description(Some("Every problem, when there is more than one."))
        .into()
}

#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: ErrorCode,
    message: String,
    field: Option<String>,
    problems: Vec<RowProblem>,
    /// The message in words a page says in its language, where the error gives them (boxed:
    /// errors travel in every handler's `Result`).
    words: Option<Box<Words>>,
}

impl ApiError {
    fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            problems: vec![],
            words: None,
        }
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, message)
    }

    /// No credentials, or credentials that do not sign anyone in.
    pub fn unauthenticated(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            message,
        )
    }

    /// A user whose role may not do this.
    pub fn forbidden(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::FORBIDDEN, ErrorCode::Forbidden, message)
    }

    /// Too many failed sign-ins of late.
    pub fn locked(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, ErrorCode::Locked, message)
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, ErrorCode::NotFound, message)
    }

    pub fn method_not_allowed(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::MethodNotAllowed,
            message,
        )
    }

    pub fn unsupported_media_type(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            message,
        )
    }

    pub fn payload_too_large(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            message,
        )
    }

    pub fn request_timeout(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::REQUEST_TIMEOUT,
            ErrorCode::RequestTimeout,
            message,
        )
    }

    /// A 400 naming the query parameter that cannot be used (a page number past any list).
    pub fn bad_parameter(field: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            field: Some(field.to_string()),
            ..ApiError::bad_request(message)
        }
    }

    pub fn invalid_field(field: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            field: Some(field.to_string()),
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Invalid,
                message,
            )
        }
    }

    /// What the caller got wrong, field by field, for a form to show beside its fields: every
    /// problem of a refused write, or the one this error names; none for other errors.
    pub fn problems(&self) -> Option<Vec<RowProblem>> {
        let refused = [StatusCode::UNPROCESSABLE_ENTITY, StatusCode::CONFLICT];
        if !refused.contains(&self.status) {
            return None;
        }
        if !self.problems.is_empty() {
            return Some(self.problems.clone());
        }
        Some(vec![RowProblem {
            words: self.words.as_deref().cloned(),
            ..RowProblem::new(0, self.field.as_deref(), self.message.clone())
        }])
    }

    pub fn internal(error: impl std::fmt::Display) -> ApiError {
        tracing::error!(%error, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
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
                    ErrorCode::Invalid
                } else {
                    ErrorCode::NotEligible
                };
                ApiError {
                    field: first.column.clone(),
                    problems,
                    ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, first.message)
                }
            }
            ServiceError::NotFound { what, key } => ApiError {
                words: Some(Box::new(Words::new(
                    "not-found",
                    [
                        ("what", Figure::text(what.replace(' ', "_"))),
                        ("key", Figure::text(&key)),
                    ],
                ))),
                ..ApiError::not_found(format!("no {what} with key {key}"))
            },
            ServiceError::Conflict(message) => {
                ApiError::new(StatusCode::CONFLICT, ErrorCode::Conflict, message)
            }
            ServiceError::Taken {
                message,
                field,
                words,
            } => ApiError {
                field: Some(field.to_string()),
                words: Some(Box::new(words)).filter(|words| !words.id.is_empty()),
                ..ApiError::new(StatusCode::CONFLICT, ErrorCode::Conflict, message)
            },
            ServiceError::Forbidden(message) => ApiError::forbidden(message),
            ServiceError::Scheme(errors) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::Invalid,
                errors
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            ServiceError::NotEstimable(why) => ApiError {
                words: Some(Box::new(why.words)).filter(|words| !words.id.is_empty()),
                ..ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::NotEstimable,
                    why.text,
                )
            },
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

/// The longest message an error carries, in characters.
const MESSAGE_CHARS: usize = 300;

/// A message as a caller gets it: cut at [`MESSAGE_CHARS`] and without control characters, so
/// that a parser's message quoting a whole field sent (100,000 characters, a NUL) stays short
/// and plain.
fn shortened(message: &str) -> String {
    let mut short: String = message
        .chars()
        .take(MESSAGE_CHARS)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if message.chars().nth(MESSAGE_CHARS).is_some() {
        short.push_str("...");
    }
    short
}

impl IntoResponse for ApiError {
    fn into_response(mut self) -> Response {
        let rules = self
            .problems
            .first()
            .map(|p| p.rules.clone())
            .unwrap_or_default();
        let reason = self.problems.first().and_then(|p| p.reason);
        if self.problems.len() == 1 {
            self.problems.clear();
        }
        for problem in &mut self.problems {
            problem.message = shortened(&problem.message);
        }
        let error = ErrorDetails {
            code: self.code,
            message: shortened(&self.message),
            // A field named by a body's path holds what was sent as a key.
            field: self.field.as_deref().map(shortened),
            rules,
            reason,
            problems: self.problems,
        };
        let shown = ShownError {
            status: self.status,
            message: error.message.clone(),
            words: self.words.clone(),
        };
        let mut response = (self.status, Json(ErrorBody { error })).into_response();
        response.extensions_mut().insert(shown);
        response
    }
}

/// An error as its JSON answer says it, kept with the answer so that a page can show it in
/// HTML instead (see [`crate::pages`]).
#[derive(Debug, Clone)]
pub struct ShownError {
    pub status: StatusCode,
    pub message: String,
    /// The message in words, for a page to say in its language.
    pub words: Option<Box<Words>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_is_cut_short_and_plain() {
        assert_eq!(shortened("is required"), "is required");
        let long = format!("invalid type: string \"{}\"", "x".repeat(100_000));
        let short = shortened(&long);
        assert_eq!(short.chars().count(), MESSAGE_CHARS + 3);
        assert!(short.ends_with("..."));
        assert_eq!(shortened("unknown field '\0'"), "unknown field '?'");
    }
}
