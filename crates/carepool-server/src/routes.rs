//! The one place the API's routes are registered. Each route is one call to
//! [`ApiRoutes::add`] with its verb, path and handler, so the list in [`crate::api_routes`] is
//! the list of what the router serves: the tests compare it with the OpenAPI document, and a
//! permission per route can later be one more argument of the same call.
//!
//! The document does not come from this list: its operations come from the handlers
//! (`#[utoipa::path]`, or for the tables' generic handlers their descriptors), so a route added
//! here without documentation, or documentation left behind by a route removed, shows in the
//! comparison. (utoipa-axum's `OpenApiRouter` routes and documents from the same attribute, which
//! would make that comparison a list against itself, and its `routes!` cannot take the tables'
//! routes, whose paths come from their descriptors.)

use crate::AppState;
use axum::Router;
use axum::handler::Handler;
use axum::routing::{MethodFilter, on};

/// The HTTP methods the API serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verb {
    Get,
    Post,
    Put,
}

impl Verb {
    fn filter(self) -> MethodFilter {
        match self {
            Verb::Get => MethodFilter::GET,
            Verb::Post => MethodFilter::POST,
            Verb::Put => MethodFilter::PUT,
        }
    }
}

/// A route as registered: what the router answers.
#[cfg(test)]
#[derive(Debug, Clone)]
pub struct ServedRoute {
    pub verb: Verb,
    pub path: String,
}

/// The router being built, with the routes added to it.
#[derive(Default)]
pub struct ApiRoutes {
    router: Router<AppState>,
    /// Read by the tests only, until routes carry permissions.
    #[cfg(test)]
    served: Vec<ServedRoute>,
}

impl ApiRoutes {
    /// Serves `verb path` with `handler`. Verbs added one at a time to the same path share it.
    pub fn add<H, T>(mut self, verb: Verb, path: impl Into<String>, handler: H) -> ApiRoutes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        let path = path.into();
        self.router = self.router.route(&path, on(verb.filter(), handler));
        #[cfg(test)]
        self.served.push(ServedRoute { verb, path });
        self
    }

    pub fn into_router(self) -> Router<AppState> {
        self.router
    }

    /// Every route added, in the order added.
    #[cfg(test)]
    pub fn served(&self) -> &[ServedRoute] {
        &self.served
    }
}
