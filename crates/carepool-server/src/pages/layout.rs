//! What every page shares: the document around it, the header with the user and the sign-out
//! button, the navigation (only the pages the user's role may open), and the error page.

use super::language::Texts;
use super::{CSRF_FIELD, NAVIGATION, STYLESHEET_PATH};
use crate::auth::Caller;
use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Response};
use carepool_service::users::User;
use maud::{DOCTYPE, Markup, html};

/// The language of the pages for users without one of their own: the schemes' (see
/// [`carepool_service::Registry::language`]), found once for each page asked for.
#[derive(Debug, Clone, Default)]
pub struct SchemeLanguage(pub Option<String>);

/// Who is looking at a page, in which language, and where.
#[derive(Clone)]
pub struct Frame {
    pub texts: Texts,
    pub user: Option<User>,
    csrf_token: Option<String>,
    path: String,
}

impl Frame {
    /// The frame of `caller`, in their language, else `scheme_language`, else the fallback.
    pub fn new(caller: &Caller, scheme_language: Option<&str>, path: &str) -> Frame {
        let (user, csrf_token) = match caller {
            Caller::Session {
                user, csrf_token, ..
            } => (Some(user.clone()), Some(csrf_token.clone())),
            Caller::User(user) => (Some(user.clone()), None),
            Caller::Anonymous | Caller::Refused => (None, None),
        };
        Frame {
            texts: Texts::of(
                user.as_ref()
                    .and_then(|u| u.language.as_deref())
                    .or(scheme_language),
            ),
            user,
            csrf_token,
            path: path.to_string(),
        }
    }

    /// The same frame in another language (the sign-in page, before the user is known).
    pub fn in_language(self, texts: Texts) -> Frame {
        Frame { texts, ..self }
    }

    /// The signed-in user; a page behind the guard always has one.
    pub fn user(&self) -> Result<&User, ApiError> {
        self.user
            .as_ref()
            .ok_or_else(|| ApiError::unauthenticated("sign in first"))
    }

    /// The hidden field that carries the session's CSRF token in a form.
    pub fn csrf_field(&self) -> Markup {
        html! {
            @if let Some(token) = &self.csrf_token {
                input type="hidden" name=(CSRF_FIELD) value=(token);
            }
        }
    }

    /// A page: `content` under the title `title`.
    pub fn page(&self, title: &str, content: Markup) -> Response {
        self.page_with(StatusCode::OK, title, content)
    }

    /// A page answered with `status` (a form sent back with its errors, a refusal).
    pub fn page_with(&self, status: StatusCode, title: &str, content: Markup) -> Response {
        (status, Html(self.document(title, content).into_string())).into_response()
    }

    fn document(&self, title: &str, content: Markup) -> Markup {
        let t = |id: &str| self.texts.text(id);
        html! {
            (DOCTYPE)
            html lang=(self.texts.tag()) {
                head {
                    meta charset="utf-8";
                    meta name="viewport" content="width=device-width, initial-scale=1";
                    title { (title) " · carepool" }
                    link rel="stylesheet" href=(STYLESHEET_PATH);
                }
                body {
                    a class="skip" href="#main" { (t("skip-to-content")) }
                    header class="bar" {
                        span class="brand" { "carepool" }
                        @if let Some(user) = &self.user {
                            nav aria-label=(t("nav-label")) {
                                ul {
                                    @for link in NAVIGATION.iter().filter(|l| l.access.allows(user.role)) {
                                        li {
                                            @if link.path == self.path {
                                                a href=(link.path) aria-current="page" { (t(link.label)) }
                                            } @else {
                                                a href=(link.path) { (t(link.label)) }
                                            }
                                        }
                                    }
                                }
                            }
                            div class="who" {
                                span { (user.name) " · " (t(&format!("role-{}", user.role.as_str()))) }
                                form method="post" action="/logout" {
                                    (self.csrf_field())
                                    button type="submit" class="quiet" { (t("sign-out")) }
                                }
                            }
                        }
                    }
                    main id="main" {
                        h1 { (title) }
                        (content)
                    }
                }
            }
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Frame {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Frame, ApiError> {
        let caller = parts
            .extensions
            .get::<Caller>()
            .cloned()
            .unwrap_or(Caller::Anonymous);
        let language = parts
            .extensions
            .get::<SchemeLanguage>()
            .and_then(|l| l.0.as_deref());
        Ok(Frame::new(&caller, language, parts.uri.path()))
    }
}

/// A page saying what went wrong, with the status of the answer.
pub fn error_page(frame: &Frame, status: StatusCode, message: &str) -> Response {
    let title = match status {
        StatusCode::NOT_FOUND => "error-not-found",
        StatusCode::FORBIDDEN => "error-refused",
        StatusCode::UNAUTHORIZED => "error-unauthenticated",
        StatusCode::INTERNAL_SERVER_ERROR => "error-fault",
        status if status.is_client_error() => "error-invalid",
        _ => "error-fault",
    };
    let content = html! {
        p class="error" role="alert" { (message) }
        p { a href=(super::HOME.path) { (frame.texts.text("back-home")) } }
    };
    frame.page_with(status, &frame.texts.text(title), content)
}
