//! carepool's HTTP JSON API. The registry's tables are served from their descriptors, so every
//! kind has the same verbs: list with paging and filters, read, create, update.
//! Errors are JSON with a stable code, a message and the field at fault (see [`error`]).

mod claims_api;
mod costing_api;
mod error;
mod experience_api;
mod intake;
mod openapi;
mod projection_api;
mod reserve_api;

use axum::body::Bytes;
use axum::extract::{FromRef, Path, Query, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use carepool_schema::json::{row_from_json, row_to_json};
use carepool_schema::{Table, Value};
use carepool_schema::{claim_tables, tables};
use carepool_service::Registry;
use carepool_store::ListQuery;
use chrono::NaiveDate;
use error::ApiError;
use intake::Intake;
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

fn collection_path(table: &Table) -> String {
    format!("/api/{}", table.name)
}

/// `/api/members/{id}`, `/api/coverage/{member_id}/{start_date}`: one segment per key column.
fn item_path(table: &Table) -> String {
    let segments: Vec<String> = table
        .key
        .iter()
        .map(|&i| format!("{{{}}}", table.columns[i].name))
        .collect();
    format!("/api/{}/{}", table.name, segments.join("/"))
}

fn key_from_path(table: &Table, params: &HashMap<String, String>) -> Result<Vec<Value>, ApiError> {
    table
        .key
        .iter()
        .map(|&i| {
            let column = &table.columns[i];
            let text = params
                .get(column.name)
                .map(String::as_str)
                .unwrap_or_default();
            Value::parse(column, text).map_err(ApiError::from)
        })
        .collect()
}

fn parse_body(table: &Table, body: &Bytes) -> Result<Vec<Value>, ApiError> {
    let json: JsonValue = serde_json::from_slice(body)
        .map_err(|e| ApiError::bad_request(format!("the body is not JSON: {e}")))?;
    Ok(row_from_json(table, &json)?)
}

async fn list(
    table: &'static Table,
    State(registry): State<Registry>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    let number = |name: &'static str, default: u64| -> Result<u64, ApiError> {
        params.get(name).map_or(Ok(default), |v| {
            v.parse::<u64>().ok().filter(|n| *n >= 1).ok_or_else(|| {
                ApiError::invalid_field(name, format!("'{v}' is not a whole number of at least 1"))
            })
        })
    };
    let page = number("page", 1)?;
    let per_page = number("per_page", DEFAULT_PER_PAGE)?.min(MAX_PER_PAGE);
    let mut filters = Vec::new();
    for (name, text) in &params {
        if name == "page" || name == "per_page" {
            continue;
        }
        let index = table
            .column_index(name)
            .filter(|&i| table.columns[i].filterable || table.key.contains(&i))
            .ok_or_else(|| {
                let allowed: Vec<&str> = table
                    .columns
                    .iter()
                    .filter(|c| c.filterable)
                    .map(|c| c.name)
                    .collect();
                ApiError::invalid_field(
                    name,
                    format!(
                        "cannot filter {} on '{name}'; filters: {}",
                        table.name,
                        allowed.join(", ")
                    ),
                )
            })?;
        filters.push((index, Value::parse(&table.columns[index], text)?));
    }
    // One row more than asked tells whether another page follows.
    let query = ListQuery {
        filters,
        after: None,
        offset: (page - 1) * per_page,
        limit: per_page + 1,
    };
    let mut rows = registry.list(table, &query).await?;
    let has_more = rows.len() as u64 > per_page;
    rows.truncate(per_page as usize);
    let items: Vec<JsonValue> = rows.iter().map(|r| row_to_json(table, r)).collect();
    Ok(Json(
        json!({ "items": items, "page": page, "per_page": per_page, "has_more": has_more }),
    ))
}

async fn read(
    table: &'static Table,
    State(registry): State<Registry>,
    Path(params): Path<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    let key = key_from_path(table, &params)?;
    let row = registry.get(table, &key).await?;
    Ok(Json(row_to_json(table, &row)))
}

async fn create(
    table: &'static Table,
    State(registry): State<Registry>,
    body: Bytes,
) -> Result<(axum::http::StatusCode, Json<JsonValue>), ApiError> {
    let row = parse_body(table, &body)?;
    let created = registry.create(table, row).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(row_to_json(table, &created)),
    ))
}

async fn update(
    table: &'static Table,
    State(registry): State<Registry>,
    Path(params): Path<HashMap<String, String>>,
    body: Bytes,
) -> Result<Json<JsonValue>, ApiError> {
    let key = key_from_path(table, &params)?;
    let row = parse_body(table, &body)?;
    if table.key_of(&row) != key {
        let field = table.columns[table.key[0]].name;
        return Err(ApiError::invalid_field(
            field,
            "the key in the body differs from the key in the path; a key cannot be changed",
        ));
    }
    let updated = registry.update(table, row).await?;
    Ok(Json(row_to_json(table, &updated)))
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
