//! The one place the API's routes and the pages are registered. Each route is one call to
//! [`ApiRoutes::add`] with its verb, path, who may use it ([`Access`]) and handler, so the list
//! in [`crate::api_routes`] is the list of what the router serves and who may: the tests compare
//! it with the OpenAPI document and walk it for every role.
//!
//! The document does not come from this list: its operations come from the handlers
//! (`#[utoipa::path]`, or for the tables' generic handlers their descriptors), so a route added
//! here without documentation, or documentation left behind by a route removed, shows in the
//! comparison. (utoipa-axum's `OpenApiRouter` routes and documents from the same attribute, which
//! would make that comparison a list against itself, and its `routes!` cannot take the tables'
//! routes, whose paths come from their descriptors.)

use crate::auth::{Access, guard};
use crate::{AppState, pages};
use axum::Router;
use axum::handler::Handler;
use axum::middleware::from_fn;
use axum::routing::{MethodFilter, on};

/// The HTTP methods the API serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Put,
}

impl Verb {
    pub fn as_str(self) -> &'static str {
        match self {
            Verb::Get => "GET",
            Verb::Post => "POST",
            Verb::Put => "PUT",
        }
    }

    fn filter(self) -> MethodFilter {
        match self {
            Verb::Get => MethodFilter::GET,
            Verb::Post => MethodFilter::POST,
            Verb::Put => MethodFilter::PUT,
        }
    }
}

/// What a route serves: the JSON API (`/api/...`, documented in OpenAPI), the operators' probes
/// and metrics (`/healthz`, `/readyz`, `/metrics`: refused as the API refuses, not documented
/// in OpenAPI), or a page for people at a browser (HTML; a caller not signed in is sent to the
/// sign-in page, a refusal is a page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    Api,
    Operations,
    Page,
}

/// A route as registered: what the router answers, and to whom.
#[derive(Debug, Clone)]
pub struct ServedRoute {
    pub verb: Verb,
    pub path: String,
    pub access: Access,
    pub surface: Surface,
}

/// The router being built, with the routes added to it.
#[derive(Default)]
pub struct ApiRoutes {
    router: Router<AppState>,
    served: Vec<ServedRoute>,
}

impl ApiRoutes {
    /// Serves `verb path` with `handler` to the callers `access` lets in: the API's routes and
    /// the operators'. Verbs added one at a time to the same path share it.
    pub fn add<H, T>(
        mut self,
        verb: Verb,
        path: impl Into<String>,
        access: Access,
        handler: H,
    ) -> ApiRoutes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let path = path.into();
        let guarded = on(verb.filter(), handler)
            .route_layer(from_fn(move |request, next| guard(access, request, next)));
        self.router = self.router.route(&path, guarded);
        let surface = match crate::auth::is_api_path(&path) {
            true => Surface::Api,
            false => Surface::Operations,
        };
        self.served.push(ServedRoute {
            verb,
            path,
            access,
            surface,
        });
        self
    }

    /// Serves the page `verb path` with `handler` to the callers `access` lets in, behind the
    /// pages' guard ([`pages::guard`]): sign-in asked for, refusals and errors shown as pages,
    /// and a form sent with a session checked for its CSRF token.
    pub fn add_page<H, T>(
        mut self,
        verb: Verb,
        path: &'static str,
        access: Access,
        handler: H,
    ) -> ApiRoutes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let guarded = on(verb.filter(), handler).route_layer(from_fn(move |request, next| {
            pages::guard(access, request, next)
        }));
        self.router = self.router.route(path, guarded);
        self.served.push(ServedRoute {
            verb,
            path: path.to_string(),
            access,
            surface: Surface::Page,
        });
        self
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }

    /// Every route added, in the order added.
    pub fn served(&self) -> &[ServedRoute] {
        &self.served
    }
}
