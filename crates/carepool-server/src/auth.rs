//! Who is calling, and whether they may. Every request passes [`identify`] once: a bearer token
//! (`Authorization: Bearer cp_...`, for systems and facilities) or a session cookie (for people
//! at a browser, see [`sessions`](crate::sessions)) is looked up and the [`Caller`] put in the
//! request; a write made with a session cookie must send the session's CSRF token back. Each
//! route then passes [`guard`] with the [`Access`] it was registered with in `api_routes`, the
//! one place routes declare who may use them: 401 `unauthenticated` without a user, 403
//! `forbidden` for a role without the permission.

use crate::error::ApiError;
use crate::pages::SchemeLanguage;
use crate::{AppState, sessions};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, WWW_AUTHENTICATE};
use axum::http::request::Parts;
use axum::http::{HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use carepool_core::access::{Permission, Role};
use carepool_service::audit::Actor;
use carepool_service::users::User;
use carepool_service::{Registry, Scope};

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not: the health check, the API's description, signing in.
    Open,
    /// Any signed-in user, whatever the role (signing out).
    SignedIn,
    /// A signed-in user whose role has one of these permissions.
    AnyOf(&'static [Permission]),
}

impl Access {
    /// Whether a signed-in user of `role` may use the route.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Open | Access::SignedIn => true,
            Access::AnyOf(permissions) => permissions.iter().any(|&p| role.may(p)),
        }
    }
}

/// Who sent the request.
#[derive(Debug, Clone)]
pub enum Caller {
    /// No credentials.
    Anonymous,
    /// Credentials that sign no one in: unknown, expired or revoked, or a disabled user's.
    Refused,
    /// Signed in by a bearer token.
    User(User),
    /// Signed in by a session cookie; `secret` is the cookie's value, `csrf_token` what the
    /// session's writes must send back.
    Session {
        user: User,
        secret: String,
        csrf_token: String,
    },
}

impl Caller {
    /// What the signed-in user may see (docs/ACCESS.md, scoping).
    pub async fn scope(&self, registry: &Registry) -> Result<Scope, ApiError> {
        Ok(registry.scope_of(self.user()?).await?)
    }

    /// Refuses a user bound to districts: `work` reads or changes the whole scheme.
    pub fn national(&self, work: &str) -> Result<(), ApiError> {
        if self.user()?.districts.is_empty() {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "{work} covers the whole scheme: a user bound to districts may not"
            )))
        }
    }

    /// Who the caller's changes are recorded as made by.
    pub fn actor(&self) -> Result<Actor, ApiError> {
        Ok(Actor::user(&self.user()?.name))
    }

    /// The signed-in user; a route behind [`guard`] always has one.
    pub fn user(&self) -> Result<&User, ApiError> {
        match self {
            Caller::User(user) | Caller::Session { user, .. } => Ok(user),
            _ => Err(ApiError::unauthenticated("sign in first")),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Caller, ApiError> {
        Ok(parts
            .extensions
            .get::<Caller>()
            .cloned()
            .unwrap_or(Caller::Anonymous))
    }
}

/// The header a write made with a session cookie carries the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Finds the caller from the request's credentials; routes decide what the caller may do. The
/// one refusal here: a write made with a session cookie that does not send the session's CSRF
/// token (a page of another site cannot read it, so cannot send it).
pub async fn identify(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    if crate::operations::is_probe_path(request.uri().path()) {
        request.extensions_mut().insert(Caller::Anonymous);
        return Ok(next.run(request).await);
    }
    let caller = match bearer_token(&request) {
        Some(Err(())) => Caller::Refused,
        Some(Ok(secret)) => match state.registry.token_user(secret).await? {
            Some(user) => Caller::User(user),
            None => Caller::Refused,
        },
        None => match sessions::cookie(request.headers()) {
            None => Caller::Anonymous,
            Some(secret) => match state.registry.session(secret).await? {
                None => Caller::Refused,
                Some(session) => {
                    let writes = !matches!(*request.method(), Method::GET | Method::HEAD);
                    let sent = request.headers().get(CSRF_HEADER).map(|v| v.as_bytes());
                    // Signing in again over a live session is not a write of the session's.
                    let signing_in = request.uri().path() == sessions::SIGN_IN_PATH;
                    // A page's form sends the token in its body, which the pages' guard checks.
                    let api = is_api_path(request.uri().path());
                    if api && writes && !signing_in && !same_token(sent, &session.csrf_token) {
                        return Err(ApiError::forbidden(format!(
                            "a write made with a session cookie must send its CSRF token in {CSRF_HEADER}"
                        )));
                    }
                    Caller::Session {
                        user: session.user,
                        secret: secret.to_string(),
                        csrf_token: session.csrf_token,
                    }
                }
            },
        },
    };
    request.extensions_mut().insert(caller);
    // A page speaks the schemes' language to whoever has none (the stylesheet needs none).
    let path = request.uri().path();
    let page = !is_api_path(path) && !crate::operations::is_operations_path(path);
    if page && path != crate::pages::STYLESHEET_PATH {
        let language = state.registry.language().await?;
        request.extensions_mut().insert(SchemeLanguage(language));
    }
    Ok(next.run(request).await)
}

/// Whether `sent` is the session's CSRF token, compared in constant time: the comparison says
/// nothing of how much matched.
pub fn same_token(sent: Option<&[u8]>, token: &str) -> bool {
    sent.is_some_and(|sent| constant_time_eq::constant_time_eq(sent, token.as_bytes()))
}

/// Whether a path is the JSON API's (the rest are pages and their files).
pub fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// The token of an `Authorization: Bearer` header; `Err` for an Authorization header of another
/// kind or not text.
fn bearer_token(request: &Request) -> Option<Result<&str, ()>> {
    let header = request.headers().get(AUTHORIZATION)?;
    Some(
        header
            .to_str()
            .ok()
            .and_then(|text| text.strip_prefix("Bearer "))
            .map(str::trim)
            .ok_or(()),
    )
}

/// Lets the request through to the route if its caller may use it.
pub async fn guard(access: Access, request: Request, next: Next) -> Response {
    let permissions = match access {
        Access::Open => return next.run(request).await,
        Access::SignedIn => &[][..],
        Access::AnyOf(permissions) => permissions,
    };
    let caller = request.extensions().get::<Caller>();
    let user = match caller {
        Some(Caller::User(user) | Caller::Session { user, .. }) => Some(user),
        _ => None,
    };
    match (user, caller) {
        (Some(user), _) if access.allows(user.role) => next.run(request).await,
        (Some(user), _) => {
            let needed: Vec<&str> = permissions.iter().map(|p| p.as_str()).collect();
            ApiError::forbidden(format!(
                "a {} may not do this; it needs {}",
                user.role.as_str(),
                needed.join(" or ")
            ))
            .into_response()
        }
        (None, Some(Caller::Refused)) => challenge(ApiError::unauthenticated(
            "the token or session is unknown, expired or revoked, or its user is disabled",
        )),
        (None, _) => challenge(ApiError::unauthenticated(
            "sign in: send Authorization: Bearer TOKEN (carepool token create), or sign in at POST /api/login",
        )),
    }
}

/// A 401 names the scheme to sign in with.
fn challenge(error: ApiError) -> Response {
    let mut response = error.into_response();
    response
        .headers_mut()
        .insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::Surface;

    /// The table of docs/ACCESS.md's "Routes" or "Pages" section, as the route list makes it.
    fn routes_table(surface: Surface) -> String {
        let first = match surface {
            Surface::Api | Surface::Operations => "route",
            Surface::Page => "page",
        };
        let mut table = format!("| {first} | who may use it |\n|---|---|\n");
        let routes = crate::api_routes();
        for route in routes.served().iter().filter(|r| r.surface == surface) {
            let who = match route.access {
                Access::Open => "anyone, signed in or not".to_string(),
                Access::SignedIn => "any signed-in user".to_string(),
                Access::AnyOf(permissions) => {
                    let names: Vec<String> = permissions.iter().map(|p| format!("`{p}`")).collect();
                    names.join(" or ")
                }
            };
            table.push_str(&format!(
                "| `{} {}` | {who} |\n",
                route.verb.as_str(),
                route.path
            ));
        }
        table
    }

    /// The first table under the heading `## {section}` of docs/ACCESS.md.
    fn documented_table(section: &str) -> String {
        let doc = include_str!("../../../docs/ACCESS.md");
        let rest = doc
            .split_once(&format!("## {section}\n"))
            .map(|(_, rest)| rest)
            .unwrap_or_else(|| panic!("docs/ACCESS.md has a {section} section"));
        rest.lines()
            .skip_while(|l| !l.starts_with('|'))
            .take_while(|l| l.starts_with('|'))
            .map(|l| format!("{l}\n"))
            .collect()
    }

    #[test]
    fn access_md_lists_every_route_and_page_with_who_may_use_it() {
        let sections = [
            ("Routes", Surface::Api),
            ("Operations", Surface::Operations),
            ("Pages", Surface::Page),
        ];
        for (section, surface) in sections {
            assert_eq!(
                documented_table(section),
                routes_table(surface),
                "docs/ACCESS.md's {section} table differs from the route list; it should read:\n{}",
                routes_table(surface)
            );
        }
    }

    #[test]
    fn access_lets_in_a_role_with_one_of_its_permissions() {
        let readers = Access::AnyOf(&[Permission::ReadClaims, Permission::SubmitOwnClaims]);
        assert!(readers.allows(Role::Facility));
        assert!(readers.allows(Role::MedicalReviewer));
        assert!(!readers.allows(Role::Actuary));
        assert!(Access::Open.allows(Role::Actuary));
        assert!(!Access::AnyOf(&[]).allows(Role::Admin));
    }
}
