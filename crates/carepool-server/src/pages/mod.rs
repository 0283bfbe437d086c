//! The operator pages: HTML made on the server with maud (auto-escaped), plain forms that work
//! without JavaScript, one stylesheet compiled into the binary, words from the user's language
//! ([`language`]). Pages call the same services as the API and hold no rule of their own.
//!
//! Every page is registered in [`add_pages`] with who may use it, like the API's routes, and
//! passes [`guard`]: a caller not signed in is sent to the sign-in page, a refusal or an error
//! is a page in the caller's language, and a form posted with a session cookie must carry the
//! session's CSRF token in its `csrf` field.

mod analysis;
mod claims;
mod download;
mod enrolment;
mod forms;
mod grievances;
mod home;
pub mod language;
mod layout;
mod login;
mod password;
mod payments;
mod registry;
mod report_language;

use crate::auth::{Access, Caller, same_token};
use crate::error::ShownError;
use crate::routes::{ApiRoutes, Verb};
use axum::body::Body;
use axum::extract::Request;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, LOCATION};
use axum::http::{HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use carepool_core::access::Permission;
pub use layout::{Frame, SchemeLanguage, error_page};

/// The last page of a list a page shows: farther is for a filter or an export.
pub const LAST_PAGE: usize = 10_000;

/// Where people sign in.
pub const SIGN_IN_PAGE: &str = "/login";

/// The form field a page's form carries the session's CSRF token in.
pub const CSRF_FIELD: &str = "csrf";

/// A page the navigation links to: its path, the message naming it, and who may open it (the
/// same [`Access`] it is registered with, so the navigation never shows a page that refuses).
#[derive(Debug, Clone, Copy)]
pub struct PageLink {
    pub path: &'static str,
    pub label: &'static str,
    pub access: Access,
}

pub const HOME: PageLink = PageLink {
    path: "/",
    label: "nav-home",
    access: Access::SignedIn,
};

pub const PASSWORD: PageLink = PageLink {
    path: "/password",
    label: "nav-password",
    access: Access::SignedIn,
};

pub const MEMBER_SEARCH: PageLink = PageLink {
    path: "/members",
    label: "nav-members",
    access: Access::AnyOf(&[Permission::ReadRegistry]),
};

pub const NEW_FAMILY: PageLink = PageLink {
    path: "/families/new",
    label: "nav-new-family",
    access: ENROLMENT,
};

pub const CLAIM_LIST: PageLink = PageLink {
    path: "/claims",
    label: "nav-claims",
    access: Access::AnyOf(&[Permission::ReadClaims, Permission::SubmitOwnClaims]),
};

pub const NEW_CLAIM: PageLink = PageLink {
    path: "/claims/new",
    label: "nav-new-claim",
    access: Access::AnyOf(&[Permission::ReceiveClaims, Permission::SubmitOwnClaims]),
};

pub const REVIEW_QUEUE: PageLink = PageLink {
    path: "/review",
    label: "nav-review",
    access: Access::AnyOf(&[Permission::ReviewClaims]),
};

pub const PAYMENTS: PageLink = PageLink {
    path: "/payments",
    label: "nav-payments",
    access: Access::AnyOf(&[Permission::PayClaims]),
};

pub const GRIEVANCE_LIST: PageLink = PageLink {
    path: "/grievances",
    label: "nav-grievances",
    access: Access::AnyOf(&[Permission::ReadGrievances]),
};

pub const NEW_GRIEVANCE: PageLink = PageLink {
    path: "/grievances/new",
    label: "nav-new-grievance",
    access: Access::AnyOf(&[Permission::FileGrievances]),
};

/// Who runs the studies.
const STUDIES: Access = Access::AnyOf(&[Permission::RunStudies]);

pub const RESERVE_STUDY: PageLink = PageLink {
    path: "/analysis/reserve",
    label: "nav-reserve",
    access: STUDIES,
};

pub const EXPERIENCE_STUDY: PageLink = PageLink {
    path: "/analysis/experience",
    label: "nav-experience",
    access: STUDIES,
};

pub const PROJECTION_STUDY: PageLink = PageLink {
    path: "/analysis/projection",
    label: "nav-projection",
    access: STUDIES,
};

/// Who changes families, members and their cover.
const ENROLMENT: Access = Access::AnyOf(&[Permission::WriteEnrolment]);

/// Who records contributions.
pub const CONTRIBUTIONS: Access = Access::AnyOf(&[Permission::WriteContributions]);

/// The navigation, in order; each user sees the links their role may open.
pub const NAVIGATION: &[PageLink] = &[
    HOME,
    MEMBER_SEARCH,
    NEW_FAMILY,
    CLAIM_LIST,
    NEW_CLAIM,
    REVIEW_QUEUE,
    PAYMENTS,
    GRIEVANCE_LIST,
    NEW_GRIEVANCE,
    RESERVE_STUDY,
    EXPERIENCE_STUDY,
    PROJECTION_STUDY,
    PASSWORD,
];

/// The stylesheet, compiled in: no page loads anything from elsewhere.
const STYLESHEET: &str = include_str!("../../static/carepool.css");
pub const STYLESHEET_PATH: &str = "/static/carepool.css";

/// Adds every page to `routes`.
pub fn add_pages(routes: ApiRoutes) -> ApiRoutes {
    routes
        .add_page(Verb::Get, SIGN_IN_PAGE, Access::Open, login::form)
        .add_page(Verb::Post, SIGN_IN_PAGE, Access::Open, login::sign_in)
        .add_page(Verb::Post, "/logout", Access::SignedIn, login::sign_out)
        .add_page(Verb::Get, STYLESHEET_PATH, Access::Open, stylesheet)
        .add_page(Verb::Get, HOME.path, HOME.access, home::page)
        .add_page(
            Verb::Get,
            MEMBER_SEARCH.path,
            MEMBER_SEARCH.access,
            registry::search,
        )
        .add_page(
            Verb::Get,
            "/families/{id}",
            MEMBER_SEARCH.access,
            registry::family,
        )
        .add_page(
            Verb::Get,
            NEW_FAMILY.path,
            NEW_FAMILY.access,
            enrolment::new_family,
        )
        .add_page(
            Verb::Post,
            NEW_FAMILY.path,
            ENROLMENT,
            enrolment::add_family,
        )
        .add_page(
            Verb::Get,
            "/families/{id}/members/new",
            ENROLMENT,
            enrolment::new_member,
        )
        .add_page(
            Verb::Post,
            "/families/{id}/members/new",
            ENROLMENT,
            enrolment::add_member,
        )
        .add_page(
            Verb::Get,
            "/families/{id}/cover/new",
            ENROLMENT,
            enrolment::new_cover,
        )
        .add_page(
            Verb::Post,
            "/families/{id}/cover/new",
            ENROLMENT,
            enrolment::add_cover,
        )
        .add_page(
            Verb::Get,
            "/families/{id}/contributions/new",
            CONTRIBUTIONS,
            enrolment::new_contribution,
        )
        .add_page(
            Verb::Post,
            "/families/{id}/contributions/new",
            CONTRIBUTIONS,
            enrolment::add_contribution,
        )
        .add_page(
            Verb::Get,
            "/contributions/{receipt}",
            MEMBER_SEARCH.access,
            enrolment::receipt,
        )
        .add_page(
            Verb::Get,
            "/members/{id}/status",
            ENROLMENT,
            enrolment::status_form,
        )
        .add_page(
            Verb::Post,
            "/members/{id}/status",
            ENROLMENT,
            enrolment::change_status,
        )
        .add_page(
            Verb::Get,
            "/members/{id}/card",
            MEMBER_SEARCH.access,
            registry::card,
        )
        .add_page(Verb::Get, CLAIM_LIST.path, CLAIM_LIST.access, claims::list)
        .add_page(Verb::Get, NEW_CLAIM.path, NEW_CLAIM.access, claims::new)
        .add_page(Verb::Post, NEW_CLAIM.path, NEW_CLAIM.access, claims::send)
        .add_page(
            Verb::Get,
            "/claims/{provider_id}/{claim_number}",
            CLAIM_LIST.access,
            claims::show,
        )
        .add_page(
            Verb::Post,
            "/claims/{provider_id}/{claim_number}/review",
            REVIEW_QUEUE.access,
            claims::review,
        )
        .add_page(
            Verb::Get,
            REVIEW_QUEUE.path,
            REVIEW_QUEUE.access,
            claims::queue,
        )
        .add_page(Verb::Get, PAYMENTS.path, PAYMENTS.access, payments::runs)
        .add_page(
            Verb::Post,
            PAYMENTS.path,
            PAYMENTS.access,
            payments::propose,
        )
        .add_page(
            Verb::Post,
            "/payment-runs/{period}/{number}/release",
            PAYMENTS.access,
            payments::release,
        )
        .add_page(
            Verb::Get,
            "/payment-runs/{period}/{number}/remittance/{provider}",
            PAYMENTS.access,
            payments::remittance,
        )
        .add_page(
            Verb::Get,
            GRIEVANCE_LIST.path,
            GRIEVANCE_LIST.access,
            grievances::list,
        )
        .add_page(
            Verb::Get,
            NEW_GRIEVANCE.path,
            NEW_GRIEVANCE.access,
            grievances::new,
        )
        .add_page(
            Verb::Post,
            NEW_GRIEVANCE.path,
            NEW_GRIEVANCE.access,
            grievances::file,
        )
        .add_page(
            Verb::Get,
            "/grievances/{id}",
            GRIEVANCE_LIST.access,
            grievances::show,
        )
        .add_page(
            Verb::Post,
            "/grievances/{id}/steps",
            Access::AnyOf(&[Permission::HandleGrievances]),
            grievances::step,
        )
        .add_page(
            Verb::Get,
            RESERVE_STUDY.path,
            RESERVE_STUDY.access,
            analysis::reserve,
        )
        .add_page(
            Verb::Get,
            EXPERIENCE_STUDY.path,
            EXPERIENCE_STUDY.access,
            analysis::experience,
        )
        .add_page(
            Verb::Get,
            PROJECTION_STUDY.path,
            PROJECTION_STUDY.access,
            analysis::projection_form,
        )
        .add_page(
            Verb::Post,
            PROJECTION_STUDY.path,
            PROJECTION_STUDY.access,
            analysis::projection,
        )
        .add_page(Verb::Get, PASSWORD.path, PASSWORD.access, password::form)
        .add_page(Verb::Post, PASSWORD.path, PASSWORD.access, password::change)
}

async fn stylesheet() -> Response {
    (
        [
            (CONTENT_TYPE, "text/css; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=86400"),
        ],
        STYLESHEET,
    )
        .into_response()
}

/// Lets a request through to a page if its caller may open it; see the module's description.
pub async fn guard(access: Access, request: Request, next: Next) -> Response {
    let caller = request
        .extensions()
        .get::<Caller>()
        .cloned()
        .unwrap_or(Caller::Anonymous);
    let language = request
        .extensions()
        .get::<SchemeLanguage>()
        .and_then(|l| l.0.clone());
    let frame = Frame::new(&caller, language.as_deref(), request.uri().path());
    if access != Access::Open {
        match caller.user() {
            Err(_) => return to_sign_in(request.uri(), request.method()),
            Ok(user) if !access.allows(user.role) => {
                let message = frame.texts.text("refused-role");
                return layout::error_page(&frame, StatusCode::FORBIDDEN, &message);
            }
            Ok(_) => {}
        }
    }
    let request = if access != Access::Open && request.method() == Method::POST {
        match with_checked_token(&caller, request).await {
            Ok(request) => request,
            Err(()) => {
                let message = frame.texts.text("refused-csrf");
                return layout::error_page(&frame, StatusCode::FORBIDDEN, &message);
            }
        }
    } else {
        request
    };
    let response = next.run(request).await;
    match response.extensions().get::<ShownError>() {
        Some(error) => {
            let message =
                forms::in_words(&frame.texts, error.words.as_deref(), error.message.clone());
            layout::error_page(&frame, error.status, &message)
        }
        None => response,
    }
}

/// The request, if it is not a session's or its form carries the session's CSRF token. The body
/// was read whole within the server's bounds before the guard ([`crate::connections`]).
async fn with_checked_token(caller: &Caller, request: Request) -> Result<Request, ()> {
    let Caller::Session { csrf_token, .. } = caller else {
        // A token sent by a program is not sent by a browser on its own.
        return Ok(request);
    };
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .map_err(|_| ())?;
    let sent = form_urlencoded::parse(&bytes)
        .find(|(name, _)| name == CSRF_FIELD)
        .map(|(_, value)| value.into_owned());
    if !same_token(sent.as_deref().map(str::as_bytes), csrf_token) {
        return Err(());
    }
    Ok(Request::from_parts(parts, Body::from(bytes)))
}

/// Sends a caller who is not signed in to the sign-in page, to come back to the page asked for.
fn to_sign_in(asked: &Uri, method: &Method) -> Response {
    let back = match (method, asked.path_and_query()) {
        (&Method::GET, Some(path)) if path.as_str() != HOME.path => path.as_str(),
        _ => "",
    };
    let location = if back.is_empty() {
        SIGN_IN_PAGE.to_string()
    } else {
        let back: String = form_urlencoded::byte_serialize(back.as_bytes()).collect();
        format!("{SIGN_IN_PAGE}?next={back}")
    };
    see_other(&location)
}

/// Text as one segment of a path: every character but letters, digits and `-._~` escaped as
/// `%XX` (a space is `%20`, a slash `%2F`: the router reads them back as they were).
pub fn segment(text: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(text, SEGMENT).to_string()
}

/// `303 See Other` to `location` (a path of carepool's).
pub fn see_other(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

/// The path to go back to after signing in: one of carepool's own, never another site's.
pub fn local_path(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && !path.chars().any(char::is_control) =>
        {
            path
        }
        _ => HOME.path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_written_as_one_segment_of_a_path() {
        assert_eq!(segment("CHR-HD"), "CHR-HD");
        assert_eq!(segment("FAC 001"), "FAC%20001");
        assert_eq!(segment("A/B+é"), "A%2FB%2B%C3%A9");
    }

    #[test]
    fn only_a_local_path_is_gone_back_to() {
        assert_eq!(
            local_path(Some("/members?name=kumar")),
            "/members?name=kumar"
        );
        assert_eq!(local_path(Some("//evil.example/")), "/");
        assert_eq!(local_path(Some("https://evil.example/")), "/");
        assert_eq!(local_path(Some("/\\evil.example")), "/");
        assert_eq!(local_path(Some("/a\nb")), "/");
        assert_eq!(local_path(None), "/");
    }

    #[test]
    fn every_link_of_the_navigation_is_a_page_served_to_the_same_callers() {
        let routes = add_pages(ApiRoutes::default());
        for link in NAVIGATION {
            let served = routes
                .served()
                .iter()
                .find(|r| r.verb == Verb::Get && r.path == link.path)
                .unwrap_or_else(|| panic!("{} is not served", link.path));
            assert_eq!(served.access, link.access, "{}", link.path);
        }
    }

    #[test]
    fn a_caller_not_signed_in_is_sent_to_sign_in_and_back() {
        let uri: Uri = "/password?x=1".parse().unwrap();
        let response = to_sign_in(&uri, &Method::GET);
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers()[LOCATION],
            "/login?next=%2Fpassword%3Fx%3D1"
        );
        let home: Uri = "/".parse().unwrap();
        assert_eq!(
            to_sign_in(&home, &Method::GET).headers()[LOCATION],
            "/login"
        );
        assert_eq!(
            to_sign_in(&uri, &Method::POST).headers()[LOCATION],
            "/login"
        );
    }
}
