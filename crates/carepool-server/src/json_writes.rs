//! Writes carry JSON. A page of another site can make a browser send a "simple" request (a form,
//! or `text/plain`) without asking first; a request with `Content-Type: application/json` it
//! cannot send across sites without the CORS preflight, which carepool never answers (no
//! `Access-Control-Allow-*` header: cross-site calls are closed). So a write whose body is not
//! declared JSON is refused before anything reads it, whoever sends it.

use crate::auth::is_api_path;
use crate::error::ApiError;
use axum::body::HttpBody;
use axum::extract::Request;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, Method};
use axum::middleware::Next;
use axum::response::Response;

/// Lets a write to the API through only with a JSON body, or none. Pages take forms, and check
/// a form's CSRF token instead ([`crate::pages`]).
pub async fn require_json(request: Request, next: Next) -> Result<Response, ApiError> {
    if !is_api_path(request.uri().path()) {
        return Ok(next.run(request).await);
    }
    let reads = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    // A body known to be empty needs no type (a sign-out); one of unknown length may not.
    let has_body = request.body().size_hint().exact() != Some(0);
    if !reads && has_body && !declares_json(request.headers()) {
        return Err(ApiError::unsupported_media_type(
            "a write's body is JSON: send it with Content-Type: application/json",
        ));
    }
    Ok(next.run(request).await)
}

/// `application/json`, with or without parameters (`; charset=utf-8`), in any case.
fn declares_json(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn json_is_declared_with_or_without_parameters() {
        assert!(declares_json(&headers(&[(
            "content-type",
            "application/json"
        )])));
        assert!(declares_json(&headers(&[(
            "content-type",
            "Application/JSON; charset=utf-8"
        )])));
        assert!(!declares_json(&headers(&[("content-type", "text/plain")])));
        assert!(!declares_json(&headers(&[(
            "content-type",
            "application/x-www-form-urlencoded"
        )])));
        assert!(!declares_json(&headers(&[])));
    }
}
