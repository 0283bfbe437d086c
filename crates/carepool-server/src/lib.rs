//! carepool's HTTP JSON API. The registry's tables are served by handlers generic over their records, so every
//! kind has the same verbs: list with paging and filters, read, create, update (see
//! [`registry_api`]). Errors are JSON with a stable code, a message and the field at fault (see
//! [`error`]). Every route is registered in [`api_routes`]; the OpenAPI document at
//! `/api/openapi.json` is derived from the handlers ([`openapi`]).

mod audit_api;
mod auth;
mod benchmark_api;
mod claims_api;
mod connections;
mod costing_api;
mod error;
mod experience_api;
mod grievances_api;
pub mod headers;
mod indicators_api;
mod intake;
mod json_writes;
mod openapi;
mod operations;
mod pages;
mod premium_basis_api;
mod projection_api;
mod registry_api;
mod reserve_api;
mod routes;
mod sessions;
mod studies;

pub use auth::Access;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRef, Path, Query, State};
use axum::middleware;
use axum::{Json, Router};
use carepool_core::access::Permission;
use carepool_core::registry::{Family, excerpt};
use carepool_schema::claim_tables;
use carepool_schema::kinds::Kind;
use carepool_schema::{Record, with_record_type};
use carepool_service::{Key, Registry};
use chrono::NaiveDate;
pub use connections::ServeLimits;
use error::{ApiError, ErrorBody};
use intake::Intake;
use operations::Metrics;
use registry_api::{collection_path, create, history, history_path, item_path, list, read, update};
use routes::ApiRoutes;
pub use routes::{ServedRoute, Surface, Verb};
use serde_json::{Value as JsonValue, json};
use sessions::SIGN_IN_PATH;
use std::collections::HashMap;
use std::future::Future;
use studies::StudyTurns;
use tokio::net::TcpListener;

const DEFAULT_PER_PAGE: u64 = 50;
const MAX_PER_PAGE: u64 = 1_000;

/// Serves the API on `listener` within `limits` until `shutdown` completes. Tests pass a
/// listener on port 0.
pub async fn serve(
    registry: Registry,
    listener: TcpListener,
    limits: ServeLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    connections::serve_app(router_with(registry, limits), listener, limits, shutdown).await
}

/// What handlers share: the registry, the intake that judges claims as they arrive, the
/// turns of the studies on the database, and the operators' metrics.
#[derive(Clone)]
struct AppState {
    registry: Registry,
    intake: Intake,
    studies: StudyTurns,
    metrics: Metrics,
}

impl FromRef<AppState> for Metrics {
    fn from_ref(state: &AppState) -> Metrics {
        state.metrics.clone()
    }
}

impl FromRef<AppState> for StudyTurns {
    fn from_ref(state: &AppState) -> StudyTurns {
        state.studies.clone()
    }
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

/// The API's routes within the default limits; starts the claims intake's task on the current
/// tokio runtime.
pub fn router(registry: Registry) -> Router {
    router_with(registry, ServeLimits::default())
}

/// The API's routes, their bodies held to `limits`.
pub fn router_with(registry: Registry, limits: ServeLimits) -> Router {
    let metrics = Metrics::new();
    let state = AppState {
        intake: Intake::start(registry.clone(), metrics.clone()),
        registry,
        studies: StudyTurns::new(limits.study_budget),
        metrics,
    };
    api_routes()
        .into_router()
        .fallback(not_found)
        .method_not_allowed_fallback(|| async {
            ApiError::method_not_allowed("this endpoint does not answer that method (the OpenAPI document lists its methods)")
        })
        // The body is read within its bounds, once the caller is known: nobody unknown makes
        // the server hold a body.
        .layer(middleware::from_fn_with_state(
            limits,
            connections::bound_body,
        ))
        // The extractors' own bound follows the one above.
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            auth::identify,
        ))
        // A write that is not JSON is refused before its caller is looked up.
        .layer(middleware::from_fn(json_writes::require_json))
        // Outermost: every answer, refusals included, carries the security headers.
        .layer(middleware::from_fn(headers::security_headers))
        // Every request, refused or not, is counted and timed under its route's pattern.
        .layer(middleware::from_fn_with_state(
            state.clone(),
            operations::record_request,
        ))
        .with_state(state)
}

/// Every route the server serves, the API's and the pages', with who may use it.
pub fn routes() -> Vec<ServedRoute> {
    api_routes().served().to_vec()
}

/// The languages the pages speak: the tags of their catalogues (`en`, `fr`).
pub fn page_languages() -> Vec<&'static str> {
    pages::language::languages()
        .into_iter()
        .map(|(tag, _)| tag)
        .collect()
}

/// An address nothing serves: the API's error under `/api/`, a page elsewhere.
async fn not_found(frame: pages::Frame, uri: axum::http::Uri) -> axum::response::Response {
    if auth::is_api_path(uri.path()) {
        return axum::response::IntoResponse::into_response(ApiError::not_found(
            "no such endpoint",
        ));
    }
    let message = frame.texts.text("page-not-found");
    pages::error_page(&frame, axum::http::StatusCode::NOT_FOUND, &message)
}

/// Every route served, one line each (see [`routes`]), with the permissions that let a caller
/// in (see [`auth`]): the API's, then the pages' ([`pages::add_pages`]).
fn api_routes() -> ApiRoutes {
    use Permission::*;
    let claims = &claim_tables::CLAIMS;
    let claim_readers = Access::AnyOf(&[ReadClaims, SubmitOwnClaims]);
    let studies = Access::AnyOf(&[RunStudies]);
    let mut routes = ApiRoutes::default()
        .add(Verb::Get, "/api/health", Access::Open, health)
        .add(Verb::Get, operations::HEALTH_PATH, Access::Open, health)
        .add(
            Verb::Get,
            operations::READY_PATH,
            Access::Open,
            operations::ready,
        )
        .add(
            Verb::Get,
            operations::METRICS_PATH,
            Access::AnyOf(&[ReadMetrics]),
            operations::metrics,
        )
        .add(Verb::Get, "/api/openapi.json", Access::Open, openapi_json)
        .add(Verb::Post, SIGN_IN_PATH, Access::Open, sessions::login)
        .add(
            Verb::Post,
            "/api/logout",
            Access::SignedIn,
            sessions::logout,
        )
        .add(
            Verb::Get,
            "/api/audit",
            Access::AnyOf(&[ReadAudit]),
            audit_api::trail,
        )
        .add(
            Verb::Get,
            "/api/schemes/{code}",
            Access::AnyOf(&[ReadRegistry, ReadClaims, RunStudies]),
            scheme_versions,
        )
        .add(
            Verb::Get,
            "/api/families/{id}/overview",
            Access::AnyOf(&[ReadRegistry]),
            family_overview,
        )
        .add(
            Verb::Get,
            collection_path(claims),
            claim_readers,
            claims_api::list,
        )
        .add(
            Verb::Post,
            "/api/claims",
            Access::AnyOf(&[ReceiveClaims, SubmitOwnClaims]),
            claims_api::submit,
        )
        .add(
            Verb::Post,
            "/api/claims/pay",
            Access::AnyOf(&[PayClaims]),
            claims_api::pay,
        )
        .add(
            Verb::Get,
            "/api/payment-runs/{period}",
            Access::AnyOf(&[PayClaims]),
            claims_api::payment_runs,
        )
        .add(
            Verb::Post,
            "/api/payment-runs/{period}/{number}/release",
            Access::AnyOf(&[PayClaims]),
            claims_api::release,
        )
        .add(
            Verb::Get,
            "/api/claims/{provider_id}/{claim_number}",
            claim_readers,
            claims_api::show,
        )
        .add(
            Verb::Post,
            "/api/claims/{provider_id}/{claim_number}/review",
            Access::AnyOf(&[ReviewClaims]),
            claims_api::review,
        )
        .add(
            Verb::Get,
            "/api/members/{id}/cover",
            Access::AnyOf(&[CheckCover]),
            claims_api::cover,
        )
        .add(
            Verb::Get,
            "/api/indicators",
            Access::AnyOf(&[ReadIndicators]),
            indicators_api::indicators,
        )
        .add(
            Verb::Get,
            "/api/provider-benchmark",
            Access::AnyOf(&[ReadIndicators]),
            benchmark_api::benchmark,
        )
        .add(
            Verb::Get,
            "/api/warnings",
            Access::AnyOf(&[ReadIndicators]),
            premium_basis_api::warnings,
        )
        .add(
            Verb::Get,
            "/api/premium-bases/{scheme}",
            Access::AnyOf(&[ReadIndicators, RunStudies]),
            premium_basis_api::list,
        )
        .add(
            Verb::Post,
            "/api/premium-bases/{scheme}",
            Access::AnyOf(&[SetPremiumBasis]),
            premium_basis_api::register,
        )
        .add(Verb::Post, "/api/reserve", studies, reserve_api::reserve)
        .add(
            Verb::Post,
            "/api/experience",
            studies,
            experience_api::experience,
        )
        .add(Verb::Post, "/api/project", studies, projection_api::project)
        .add(Verb::Post, "/api/costing", studies, costing_api::costing)
        .add(
            Verb::Post,
            "/api/grievances",
            Access::AnyOf(&[FileGrievances]),
            grievances_api::file,
        )
        .add(
            Verb::Get,
            "/api/grievances",
            Access::AnyOf(&[ReadGrievances]),
            grievances_api::list,
        )
        .add(
            Verb::Get,
            "/api/grievances/stats",
            Access::AnyOf(&[ReadGrievances]),
            grievances_api::stats,
        )
        .add(
            Verb::Get,
            "/api/grievances/{id}",
            Access::AnyOf(&[ReadGrievances]),
            grievances_api::show,
        )
        .add(
            Verb::Post,
            "/api/grievances/{id}/steps",
            Access::AnyOf(&[HandleGrievances]),
            grievances_api::step,
        );
    for kind in Kind::ALL.into_iter().filter(|k| k.is_registry()) {
        let writers = Access::AnyOf(writers_of(kind));
        routes = with_record_type!(kind, R => record_routes::<R>(routes, writers));
    }
    pages::add_pages(routes)
}

/// Who may change a registry table's records; no one, through the API, for the claims' tables.
fn writers_of(kind: Kind) -> &'static [Permission] {
    use Permission::*;
    match kind {
        Kind::Locations | Kind::Providers | Kind::TargetPopulation => &[WriteNetwork],
        Kind::Families | Kind::Members | Kind::Coverage => &[WriteEnrolment],
        Kind::Contributions | Kind::Ledger => &[WriteContributions],
        Kind::Claims
        | Kind::ClaimLines
        | Kind::ClaimReasons
        | Kind::ClaimUsage
        | Kind::Payments
        | Kind::PaymentRuns
        | Kind::Grievances
        | Kind::GrievanceSteps
        | Kind::Refunds => &[],
    }
}

/// The four verbs of a registry table: read by those who read the registry, changed by
/// `writers`.
fn record_routes<R: Record + Send + Sync + 'static>(
    routes: ApiRoutes,
    writers: Access,
) -> ApiRoutes {
    let table = R::table();
    let readers = Access::AnyOf(&[Permission::ReadRegistry]);
    routes
        .add(Verb::Get, collection_path(table), readers, list::<R>)
        .add(Verb::Post, collection_path(table), writers, create::<R>)
        .add(Verb::Get, item_path(table), readers, read::<R>)
        .add(Verb::Put, item_path(table), writers, update::<R>)
        .add(Verb::Get, history_path(table), readers, history::<R>)
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
    caller: auth::Caller,
    State(registry): State<Registry>,
    Path(id): Path<String>,
    Query(params): Query<HashMap<String, String>>,
) -> Result<Json<JsonValue>, ApiError> {
    let as_of = date_param(&registry, &params, "as_of")?;
    let key = Key::<Family>::parse(|_| Some(id.as_str()))?;
    registry
        .get_within(&key, &caller.scope(&registry).await?)
        .await?;
    let view = registry.family_view(&id, as_of).await?;
    Ok(Json(
        serde_json::to_value(view).map_err(ApiError::internal)?,
    ))
}

/// A value as the JSON answer.
pub(crate) fn json<T: serde::Serialize>(value: &T) -> Result<JsonValue, ApiError> {
    serde_json::to_value(value).map_err(ApiError::internal)
}

/// A JSON body into `T`; a wrong field is named by its path, a missing one by its own name.
pub(crate) fn parse<T: serde::de::DeserializeOwned>(body: &Bytes) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        ApiError::invalid_field(&field_at_fault(&path, &message), message)
    })
}

/// The field a body's error is about: its path, and for a field left out (whose path is that of
/// the object it belongs in, `.` for the body) the missing field's name under it.
fn field_at_fault(path: &str, message: &str) -> String {
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next());
    match (missing, path) {
        (Some(name), ".") => name.to_string(),
        (Some(name), path) => format!("{path}.{name}"),
        (None, path) => path.to_string(),
    }
}

/// Refuses a query parameter outside `known`, naming it: `refusal` says what it is not, and
/// the parameters that are follow it ("not a filter of the trail; filters: ...").
fn only_known(
    params: &HashMap<String, String>,
    known: &[&str],
    refusal: &str,
) -> Result<(), ApiError> {
    match params.keys().find(|k| !known.contains(&k.as_str())) {
        Some(unknown) => Err(ApiError::invalid_field(
            unknown,
            format!("{refusal}: {}", known.join(", ")),
        )),
        None => Ok(()),
    }
}

/// The date a query parameter gives, the registry's today when it is absent.
fn date_param(
    registry: &Registry,
    params: &HashMap<String, String>,
    name: &str,
) -> Result<NaiveDate, ApiError> {
    Ok(date_param_opt(params, name)?.unwrap_or_else(|| registry.today()))
}

/// The date parameter `name`, if given.
fn date_param_opt(
    params: &HashMap<String, String>,
    name: &str,
) -> Result<Option<NaiveDate>, ApiError> {
    params
        .get(name)
        .map(|text| {
            NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                ApiError::invalid_field(name, format!("{} is not a date YYYY-MM-DD", excerpt(text)))
            })
        })
        .transpose()
}
