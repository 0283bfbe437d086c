//! carepool's HTTP JSON API. The registry's tables are served from their descriptors, so every
//! kind has the same verbs: list with paging and filters, read, create, update (see
//! [`registry_api`]).
//! Errors are JSON with a stable code, a message and the field at fault (see [`error`]).

mod claims_api;
mod costing_api;
mod error;
mod experience_api;
mod intake;
mod openapi;
mod projection_api;
mod registry_api;
mod reserve_api;

use axum::body::Bytes;
use axum::extract::{FromRef, Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use carepool_schema::{claim_tables, tables};
use carepool_service::Registry;
use chrono::NaiveDate;
use error::ApiError;
use intake::Intake;
use registry_api::{collection_path, create, item_path, list, read, update};
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
    let mut router = Router::new()
        .route(
            "/api/health",
            get(|| async { Json(json!({ "status": "ok" })) }),
        )
        .route(
            "/api/openapi.json",
            get(|| async { Json(openapi::document()) }),
        )
        .route("/api/schemes/{code}", get(scheme_versions))
        .route("/api/families/{id}/overview", get(family_overview))
        .route(
            "/api/claims",
            get(|s, q| list(&claim_tables::CLAIMS, s, q)).post(claims_api::submit),
        )
        .route("/api/claims/pay", post(claims_api::pay))
        .route(
            "/api/claims/{provider_id}/{claim_number}",
            get(claims_api::show),
        )
        .route(
            "/api/claims/{provider_id}/{claim_number}/review",
            post(claims_api::review),
        )
        .route("/api/members/{id}/cover", get(claims_api::cover))
        .route("/api/reserve", post(reserve_api::reserve))
        .route("/api/experience", post(experience_api::experience))
        .route("/api/project", post(projection_api::project))
        .route("/api/costing", post(costing_api::costing));
    for table in tables::ALL {
        router = router
            .route(
                &collection_path(table),
                get(move |s, q| list(table, s, q)).post(move |s, b| create(table, s, b)),
            )
            .route(
                &item_path(table),
                get(move |s, p| read(table, s, p)).put(move |s, p, b| update(table, s, p, b)),
            );
    }
    router
        .fallback(|| async { ApiError::not_found("no such endpoint") })
        .with_state(AppState {
            intake: Intake::start(registry.clone()),
            registry,
        })
}

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

async fn family_overview(
    State(registry): State<Registry>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    let as_of = date_param(&params, "as_of")?;
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

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The date a query parameter gives, today when it is absent.
fn date_param(params: &HashMap<String, String>, name: &str) -> Result<NaiveDate, ApiError> {
    match params.get(name) {
        Some(text) => NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            ApiError::invalid_field(name, format!("'{text}' is not a date YYYY-MM-DD"))
        }),
        None => Ok(today()),
    }
}
