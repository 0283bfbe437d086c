//! A user changes their own password: the current one first, the new one twice. Changing it ends
//! every session of the user ([`Registry::set_password`]), this one too: the user signs in again.

use super::forms::{Field, Input, Problems};
use super::layout::Frame;
use super::{SIGN_IN_PAGE, see_other};
use crate::error::ApiError;
use crate::sessions::{FAILURE_DELAY, over_tls, session_cookie};
use axum::Form;
use axum::extract::State;
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use carepool_service::sessions::PasswordCheck;
use carepool_service::users::MIN_PASSWORD_CHARS;
use carepool_service::{Registry, ServiceError};
use maud::html;
use serde::Deserialize;

pub async fn form(frame: Frame) -> Response {
    page(&frame, &Problems::default(), StatusCode::OK)
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    repeated: String,
}

pub async fn change(
    frame: Frame,
    State(registry): State<Registry>,
    headers: HeaderMap,
    Form(sent): Form<PasswordForm>,
) -> Result<Response, ApiError> {
    let user = frame.user()?;
    let t = |id: &str| frame.texts.text(id);
    let mut problems = Problems::default();
    // Under the sign-in throttle: a session left open is no way to guess the password.
    match registry
        .throttled_password_check(&user.name, &sent.current)
        .await?
    {
        PasswordCheck::Matches(_) => {}
        PasswordCheck::Refused => {
            tokio::time::sleep(FAILURE_DELAY).await;
            problems.add("current", t("password-current-wrong"));
        }
        PasswordCheck::Locked { seconds } => {
            tokio::time::sleep(FAILURE_DELAY).await;
            let minutes = seconds.div_ceil(60).to_string();
            problems.add(
                "current",
                frame.texts.with("sign-in-locked", &[("minutes", &minutes)]),
            );
        }
    }
    if sent.new != sent.repeated {
        problems.add("repeated", t("password-not-repeated"));
    }
    if problems.is_empty() {
        match registry.set_password(&user.name, &sent.new).await {
            Ok(()) => {
                let mut response = see_other(&format!("{SIGN_IN_PAGE}?changed=1"));
                response
                    .headers_mut()
                    .append(SET_COOKIE, session_cookie("", 0, over_tls(&headers)));
                return Ok(response);
            }
            // The one rule a new password must keep.
            Err(ServiceError::Invalid(_)) => {
                let chars = MIN_PASSWORD_CHARS.to_string();
                let message = frame.texts.with("password-too-short", &[("chars", &chars)]);
                problems.add("new", message);
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok(page(&frame, &problems, StatusCode::UNPROCESSABLE_ENTITY))
}

fn page(frame: &Frame, problems: &Problems, status: StatusCode) -> Response {
    let t = |id: &str| frame.texts.text(id);
    let content = html! {
        (problems.summary(&frame.texts))
        form method="post" action=(super::PASSWORD.path) class="narrow" {
            (frame.csrf_field())
            (Field { name: "current", label: t("field-password-current"), input: Input::Password,
                value: "", autocomplete: "current-password", required: true }.render(problems))
            (Field { name: "new", label: t("field-password-new"), input: Input::Password,
                value: "", autocomplete: "new-password", required: true }.render(problems))
            (Field { name: "repeated", label: t("field-password-repeated"), input: Input::Password,
                value: "", autocomplete: "new-password", required: true }.render(problems))
            p class="hint" { (frame.texts.with("password-hint", &[("chars", &MIN_PASSWORD_CHARS.to_string())])) }
            button type="submit" { (t("password-change")) }
        }
    };
    frame.page_with(status, &t("password-title"), content)
}
