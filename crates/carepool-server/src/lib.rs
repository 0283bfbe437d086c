//! carepool's HTTP JSON API. The registry's tables are served by handlers generic over their records, so every
//! kind has the same verbs: list with paging and filters, read, create, update (see
//! [`registry_api`]). Errors are JSON with a stable code, a message and the field at fault (see
//! [`error`]). Every route is registered in [`api_routes`]; the OpenAPI document at
//! `/api/openapi.json` is derived from the handlers ([`openapi`]).

mod claims_api;
mod costing_api;
mod error;
mod experience_api;
mod intake;
mod openapi;
mod projection_api;
mod registry_api;
mod reserve_api;
mod routes;

use axum::body::Bytes;
use axum::extract::{FromRef, Path, Query, State};
use axum::{Json, Router};
use carepool_schema::claim_tables::{self, ClaimRow};
use carepool_schema::kinds::Kind;
use carepool_schema::{Record, with_record_type};
use carepool_service::Registry;
use chrono::NaiveDate;
use error::{ApiError, ErrorBody};
use intake::Intake;
use registry_api::{collection_path, create, item_path, list, read, update};
use routes::{ApiRoutes, Verb};
use serde_json::{Value as JsonValue, json};
use std::collections::HashMap;
use std::future::Future;
use tokio::net::TcpListener;

const DEFAULT_PER_PAGE: u64 = 50;
const MAX_PER_PAGE: u64 = 1_000;

/// Serves the API on `listener` until `shutdown` completes. Tests pass a listener on port 0.
pub async fn serve(
    registry: Registry,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(registry))
        .with_graceful_shutdown(shutdown)
        .await
}

/// What handlers share: the registry, and the intake that judges claims as they arrive.
#[derive(Clone)]
struct AppState {
    registry: Registry,
    intake: Intake,
}

impl FromRef<AppState> for Registry {
    fn from_ref(state: &AppState) -> Registry {
        state.registry.clone()
    }
}

impl FromRef<AppState> for Intake {
    fn from_ref(state: &AppState) -> Intake {
        state.intake.clone()
    }
}

/// The API's routes; starts the claims intake's task on the current tokio runtime.
pub fn router(registry: Registry) -> Router {
    api_routes()
        .into_router()
        .fallback(|| async { ApiError::not_found("no such endpoint") })
        .with_state(AppState {
            intake: Intake::start(registry.clone()),
            registry,
        })
}

/// Every route the API serves, one line each (see [`routes`]).
fn api_routes() -> ApiRoutes {
    let claims = &claim_tables::CLAIMS;
    let mut routes = ApiRoutes::default()
        .add(Verb::Get, "/api/health", health)
        .add(Verb::Get, "/api/openapi.json", openapi_json)
        .add(Verb::Get, "/api/schemes/{code}", scheme_versions)
        .add(Verb::Get, "/api/families/{id}/overview", family_overview)
        .add(Verb::Get, collection_path(claims), list::<ClaimRow>)
        .add(Verb::Post, "/api/claims", claims_api::submit)
        .add(Verb::Post, "/api/claims/pay", claims_api::pay)
        .add(
            Verb::Get,
            "/api/claims/{provider_id}/{claim_number}",
            claims_api::show,
        )
        .add(
            Verb::Post,
            "/api/claims/{provider_id}/{claim_number}/review",
            claims_api::review,
        )
        .add(Verb::Get, "/api/members/{id}/cover", claims_api::cover)
        .add(Verb::Post, "/api/reserve", reserve_api::reserve)
        .add(Verb::Post, "/api/experience", experience_api::experience)
        .add(Verb::Post, "/api/project", projection_api::project)
        .add(Verb::Post, "/api/costing", costing_api::costing);
    for kind in Kind::ALL.into_iter().filter(|k| k.is_registry()) {
        routes = with_record_type!(kind, R => record_routes::<R>(routes));
    }
    routes
}

/// The four verbs of a registry table.
fn record_routes<R: Record + Send + Sync + 'static>(routes: ApiRoutes) -> ApiRoutes {
    let table = R::table();
    routes
        .add(Verb::Get, collection_path(table), list::<R>)
        .add(Verb::Post, collection_path(table), create::<R>)
        .add(Verb::Get, item_path(table), read::<R>)
        .add(Verb::Put, item_path(table), update::<R>)
}

/// Whether the server is up
#[utoipa::path(get, path = "/api/health", tag = openapi::SERVICE,
    responses((status = 200, description = "`{\"status\": \"ok\"}`")))]
async fn health() -> Json<JsonValue> {
    Json(json!({ "status": "ok" }))
}

/// This document: the API in OpenAPI 3.1
#[utoipa::path(get, path = "/api/openapi.json", tag = openapi::SERVICE,
    responses((status = 200, description = "The OpenAPI document")))]
async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(openapi::document())
}

/// Every version of a scheme's definition, oldest first
#[utoipa::path(get, path = "/api/schemes/{code}", tag = openapi::REGISTRY,
    params(("code" = String, Path)),
    responses(
        (status = 200, description = "The versions"),
        (status = 404, description = "No such scheme", body = ErrorBody),
    ))]
async fn scheme_versions(
    State(registry): State<Registry>,
    Path(code): Path<String>,
) -> Result<Json<JsonValue>, ApiError> {
    let versions = registry.scheme_versions(&code).await?;
    if versions.is_empty() {
        return Err(ApiError::not_found(format!("no scheme with code {code}")));
    }
    Ok(Json(json!({ "code": code, "versions": versions })))
}

/// A family with its members, their cover, its contributions and its contribution standing
#[utoipa::path(get, path = "/api/families/{id}/overview", tag = openapi::REGISTRY,
    params(
        ("id" = String, Path),
        ("as_of" = Option<NaiveDate>, Query, description = "Date of the standing (arrears, suspension); default today."),
    ),
    responses(
        (status = 200, description = "The family overview"),
        (status = 404, description = "No such family", body = ErrorBody),
        (status = 422, description = "`as_of` is not a date YYYY-MM-DD", body = ErrorBody),
    ))]
async fn family_overview(
    State(registry): State<Registry>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    let as_of = date_param(&registry, &params, "as_of")?;
    let view = registry.family_view(&id, as_of).await?;
    Ok(Json(
        serde_json::to_value(view).map_err(ApiError::internal)?,
    ))
}

/// A value as the JSON answer.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<JsonValue, ApiError> {
    serde_json::to_value(value).map_err(ApiError::internal)
}

/// A JSON body into `T`; a wrong field is named by its path.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        ApiError::invalid_field(&path, e.into_inner().to_string())
    })
}

/// The date a query parameter gives, the registry's today when it is absent.
fn date_param(
    registry: &Registry,
    params: &HashMap<String, String>,
    name: &str,
) -> Result<NaiveDate, ApiError> {
    match params.get(name) {
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            ApiError::invalid_field(name, format!("'{text}' is not a date YYYY-MM-DD"))
        }),
        None => Ok(registry.today()),
    }
}
