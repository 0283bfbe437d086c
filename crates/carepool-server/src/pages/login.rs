//! Signing in and out at a browser. The sign-in form carries a one-time value that is also in a
//! cookie only carepool's own pages send (`SameSite=Strict`): a form of another site cannot
//! sign a browser in to someone else's account. The sign-in itself is the API's
//! ([`Registry::sign_in`]: the same throttle, the same session).

use super::forms::{Field, Input, Problems};
use super::language::{Texts, languages};
use super::layout::Frame;
use super::{SIGN_IN_PAGE, local_path, see_other};
use crate::auth::{Caller, same_token};
use crate::error::ApiError;
use crate::sessions::{FAILURE_DELAY, cookie_named, over_tls, session_cookie, strict_cookie};
use axum::Form;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use carepool_service::Registry;
use carepool_service::sessions::{SESSION_SECONDS, SignIn};
use carepool_service::users::random_hex;
use maud::html;
use serde::Deserialize;

/// The cookie that holds the sign-in form's one-time value.
const FORM_COOKIE: &str = "carepool_sign_in";

/// How long a sign-in form stays good.
const FORM_SECONDS: i64 = 60 * 60;

#[derive(Deserialize, Default)]
pub struct Asked {
    next: Option<String>,
    lang: Option<String>,
    /// Set after a password change, which ends every session.
    changed: Option<String>,
}

/// The sign-in form; a signed-in user goes straight on.
pub async fn form(
    frame: Frame,
    caller: Caller,
    headers: HeaderMap,
    Query(asked): Query<Asked>,
) -> Result<Response, ApiError> {
    if let Caller::Session { .. } = caller {
        return Ok(see_other(local_path(asked.next.as_deref())));
    }
    // The language asked for on the page, else the schemes'.
    let texts = match asked.lang.as_deref() {
        Some(language) => Texts::of(Some(language)),
        None => frame.texts,
    };
    let notice = asked
        .changed
        .is_some()
        .then(|| texts.text("password-changed"));
    let entered = Entered {
        name: String::new(),
        next: asked.next.unwrap_or_default(),
        lang: texts.tag().to_string(),
    };
    sign_in_page(
        texts,
        &headers,
        &entered,
        &Problems::default(),
        notice,
        StatusCode::OK,
    )
}

/// What the sign-in form sent.
#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    form_token: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    lang: String,
}

/// What is shown again in a form sent back: never the password.
struct Entered {
    name: String,
    next: String,
    lang: String,
}

pub async fn sign_in(
    State(registry): State<Registry>,
    headers: HeaderMap,
    Form(sent): Form<SignInForm>,
) -> Result<Response, ApiError> {
    let texts = Texts::of(Some(&sent.lang));
    let entered = Entered {
        name: sent.name.clone(),
        next: sent.next.clone(),
        lang: texts.tag().to_string(),
    };
    let expected = cookie_named(&headers, FORM_COOKIE).unwrap_or_default();
    if expected.is_empty() || !same_token(Some(sent.form_token.as_bytes()), expected) {
        let mut problems = Problems::default();
        problems.add("name", texts.text("sign-in-form-expired"));
        return sign_in_page(
            texts,
            &headers,
            &entered,
            &problems,
            None,
            StatusCode::FORBIDDEN,
        );
    }
    let mut problems = Problems::default();
    let status = match registry.sign_in(&sent.name, &sent.password).await? {
        SignIn::Started(started) => {
            let secure = over_tls(&headers);
            let mut response = see_other(local_path(
                Some(sent.next.as_str()).filter(|n| !n.is_empty()),
            ));
            let cookies = response.headers_mut();
            cookies.append(
                SET_COOKIE,
                session_cookie(&started.secret, SESSION_SECONDS, secure),
            );
            cookies.append(SET_COOKIE, strict_cookie(FORM_COOKIE, "", 0, secure));
            return Ok(response);
        }
        SignIn::Refused => {
            problems.add("password", texts.text("sign-in-refused"));
            StatusCode::UNAUTHORIZED
        }
        SignIn::Locked { seconds } => {
            let minutes = seconds.div_ceil(60).to_string();
            problems.add(
                "name",
                texts.with("sign-in-locked", &[("minutes", &minutes)]),
            );
            StatusCode::TOO_MANY_REQUESTS
        }
    };
    tokio::time::sleep(FAILURE_DELAY).await;
    sign_in_page(texts, &headers, &entered, &problems, None, status)
}

/// The form, with a new one-time value in it and in its cookie.
fn sign_in_page(
    texts: Texts,
    headers: &HeaderMap,
    entered: &Entered,
    problems: &Problems,
    notice: Option<String>,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let form_token = random_hex(16)?;
    let frame = Frame::new(&Caller::Anonymous, None, SIGN_IN_PAGE).in_language(texts);
    let t = |id: &str| texts.text(id);
    let content = html! {
        @if let Some(notice) = notice {
            p class="notice" role="status" { (notice) }
        }
        (problems.summary(&texts))
        form method="post" action=(SIGN_IN_PAGE) class="narrow" {
            input type="hidden" name="form_token" value=(form_token);
            input type="hidden" name="next" value=(entered.next);
            input type="hidden" name="lang" value=(entered.lang);
            (Field { name: "name", label: t("field-user-name"), input: Input::Text,
                value: &entered.name, autocomplete: "username", required: true }.render(problems))
            (Field { name: "password", label: t("field-password"), input: Input::Password,
                value: "", autocomplete: "current-password", required: true }.render(problems))
            button type="submit" { (t("sign-in")) }
        }
        nav class="languages" aria-label=(t("languages")) {
            ul {
                @for (tag, name) in languages() {
                    li {
                        @if tag == texts.tag() {
                            span aria-current="true" lang=(tag) { (name) }
                        } @else {
                            a href=(format!("{SIGN_IN_PAGE}?lang={tag}")) lang=(tag) hreflang=(tag) { (name) }
                        }
                    }
                }
            }
        }
    };
    let mut response = frame.page_with(status, &t("sign-in-title"), content);
    response.headers_mut().append(
        SET_COOKIE,
        strict_cookie(FORM_COOKIE, &form_token, FORM_SECONDS, over_tls(headers)),
    );
    Ok(response)
}

/// Ends the session and goes back to the sign-in page.
pub async fn sign_out(
    caller: Caller,
    State(registry): State<Registry>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if let Caller::Session { secret, .. } = &caller {
        registry.sign_out(secret).await?;
    }
    let mut response = see_other(SIGN_IN_PAGE);
    response
        .headers_mut()
        .append(SET_COOKIE, session_cookie("", 0, over_tls(&headers)));
    Ok(response)
}
