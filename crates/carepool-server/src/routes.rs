//! The one place the API's routes are registered. Each route is one call to
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

use crate::AppState;
use crate::auth::{Access, guard};
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

/// A route as registered: what the router answers, and to whom.
#[derive(Debug, Clone)]
pub struct ServedRoute {
    pub verb: Verb,
    pub path: String,
    pub access: Access,
}

/// The router being built, with the routes added to it.
#[derive(Default)]
pub struct ApiRoutes {
    router: Router<AppState>,
    served: Vec<ServedRoute>,
}

impl ApiRoutes {
    /// Serves `verb path` with `handler` to the callers `access` lets in. Verbs added one at a
    /// time to the same path share it.
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
        self.served.push(ServedRoute { verb, path, access });
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
