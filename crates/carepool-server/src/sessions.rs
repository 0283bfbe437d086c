//! Signing in and out with a password, for the pages: `POST /api/login` sets a session cookie
//! (`HttpOnly`, `SameSite=Strict`, `Secure` when the request came over TLS through a proxy that
//! says so in `X-Forwarded-Proto`) and answers the CSRF token that every write made with the
//! cookie must send back in `X-CSRF-Token`; `POST /api/logout` ends the session. A failed
//! sign-in is answered late, and a burst of them locks the name for a while
//! ([`carepool_core::sign_in`]).

use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::SERVICE;
use crate::parse;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{CONTENT_TYPE, COOKIE, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use carepool_core::access::Role;
use carepool_service::Registry;
use carepool_service::sessions::{SESSION_SECONDS, SignIn};
use serde::{Deserialize, Serialize};
use std::time::Duration;
use utoipa::ToSchema;

/// The cookie that holds a session.
pub const COOKIE_NAME: &str = "carepool_session";

/// Where one signs in: the one write a stale session cookie may make without its CSRF token.
pub const SIGN_IN_PATH: &str = "/api/login";

/// How late a failed sign-in is answered: guessing gets slow.
pub const FAILURE_DELAY: Duration = Duration::from_millis(500);

/// The session's secret, from the request's `Cookie` headers.
pub fn cookie(headers: &HeaderMap) -> Option<&str> {
    cookie_named(headers, COOKIE_NAME)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
struct SignInBody {
    name: String,
    password: String,
}

/// Who signed in, and the token their writes send back.
#[derive(Serialize, ToSchema)]
struct SignedIn {
    name: String,
    #[schema(value_type = String)]
    role: Role,
    /// Send it back in the X-CSRF-Token header with every write.
    csrf_token: String,
    /// When the session ends, in seconds since 1970 (UTC).
    expires_at: i64,
}

/// Sign in with a name and password: a session cookie for the pages
#[utoipa::path(post, path = "/api/login", tag = SERVICE,
    request_body = inline(SignInBody),
    responses(
        (status = 200, description = "Signed in: the cookie is set", body = SignedIn),
        (status = 401, description = "Wrong name or password, or a disabled user (`unauthenticated`)", body = ErrorBody),
        (status = 429, description = "Too many failures of late: the name is locked for a while (`locked`)", body = ErrorBody),
    ))]
pub async fn login(
    State(registry): State<Registry>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    // A form of another site can post text, not JSON: signing in takes JSON only, so no page
    // elsewhere can sign a browser in to someone else's account.
    let json = headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if !json {
        return Err(ApiError::bad_request(
            "sign in with a JSON body (Content-Type: application/json)",
        ));
    }
    let body: SignInBody = parse(&body)?;
    match registry.sign_in(&body.name, &body.password).await? {
        SignIn::Started(started) => {
            let session = started.session;
            let answer = SignedIn {
                name: session.user.name,
                role: session.user.role,
                csrf_token: session.csrf_token,
                expires_at: session.expires_at,
            };
            let cookie = session_cookie(&started.secret, SESSION_SECONDS, over_tls(&headers));
            Ok(([(SET_COOKIE, cookie)], Json(answer)).into_response())
        }
        SignIn::Refused => {
            tokio::time::sleep(FAILURE_DELAY).await;
            Err(ApiError::unauthenticated("wrong name or password"))
        }
        SignIn::Locked { seconds } => {
            tokio::time::sleep(FAILURE_DELAY).await;
            Err(ApiError::locked(format!(
                "too many failed sign-ins for {}: try again in {} minute(s)",
                body.name,
                seconds.div_ceil(60)
            )))
        }
    }
}

/// End the session of the cookie sent
#[utoipa::path(post, path = "/api/logout", tag = SERVICE,
    responses(
        (status = 204, description = "Signed out: the session has ended and the cookie is cleared"),
        (status = 422, description = "Signed in by a token, which signing out does not end (`invalid`)", body = ErrorBody),
    ))]
pub async fn logout(
    caller: Caller,
    State(registry): State<Registry>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let Caller::Session { secret, .. } = caller else {
        return Err(ApiError::invalid_field(
            "authorization",
            "signed in by a token: revoke it with carepool token revoke",
        ));
    };
    registry.sign_out(&secret).await?;
    let cleared = session_cookie("", 0, over_tls(&headers));
    Ok((StatusCode::NO_CONTENT, [(SET_COOKIE, cleared)]).into_response())
}

/// Whether the request reached carepool over TLS, as the proxy in front of it says.
pub fn over_tls(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .is_some_and(|proto| proto.as_bytes().eq_ignore_ascii_case(b"https"))
}

pub fn session_cookie(secret: &str, seconds: i64, secure: bool) -> HeaderValue {
    strict_cookie(COOKIE_NAME, secret, seconds, secure)
}

/// A cookie scripts cannot read, sent only with requests from carepool's own pages.
pub fn strict_cookie(name: &str, hex: &str, seconds: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let text =
        format!("{name}={hex}; HttpOnly; SameSite=Strict; Path=/; Max-Age={seconds}{secure}");
    HeaderValue::from_str(&text).expect("a cookie of hex digits is a header value")
}

/// The value of the cookie `name`, from the request's `Cookie` headers.
pub fn cookie_named<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_session_is_found_among_other_cookies() {
        let mut headers = HeaderMap::new();
        headers.append(
            COOKIE,
            HeaderValue::from_static("theme=dark; carepool_session=abc123"),
        );
        assert_eq!(cookie(&headers), Some("abc123"));
        let mut others = HeaderMap::new();
        others.append(
            COOKIE,
            HeaderValue::from_static("carepool_sessionx=1; theme=dark"),
        );
        assert_eq!(cookie(&others), None);
    }

    #[test]
    fn the_cookie_is_http_only_strict_and_secure_over_tls() {
        let plain = session_cookie("abc", 60, false);
        assert_eq!(
            plain.to_str().unwrap(),
            "carepool_session=abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=60"
        );
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-proto", HeaderValue::from_static("HTTPS"));
        assert!(over_tls(&headers));
        assert!(
            session_cookie("abc", 60, over_tls(&headers))
                .to_str()
                .unwrap()
                .ends_with("; Secure")
        );
    }
}
