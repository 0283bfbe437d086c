//! What operators and their tools use, beside the API and the pages: liveness (`/healthz`: the
//! process answers), readiness (`/readyz`: its database answers too) and Prometheus metrics
//! (`/metrics`): requests and their latencies by route, the claims the server judged by status,
//! and the database connections in use. Nothing in them names a person or a record: a request
//! is counted under its route's pattern (`/api/members/{id}`), never the address asked.

use crate::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header::CONTENT_TYPE};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::{Json, http::Method};
use carepool_core::claims::ClaimStatus;
use carepool_service::claims::ClaimView;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use serde_json::json;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub const HEALTH_PATH: &str = "/healthz";
pub const READY_PATH: &str = "/readyz";
pub const METRICS_PATH: &str = "/metrics";

/// A load balancer's probe waits no longer than this for the database.
const READY_WITHIN: Duration = Duration::from_secs(2);

/// Whether a path is one of the operators' (answered without a page's language).
pub fn is_operations_path(path: &str) -> bool {
    is_probe_path(path) || path == METRICS_PATH
}

/// Whether a path is a load balancer's probe, answered to anyone without looking up who asks
/// (which would read the database a liveness probe must not depend on).
pub fn is_probe_path(path: &str) -> bool {
    [HEALTH_PATH, READY_PATH].contains(&path)
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: String,
}

/// The server's counters, shared by the requests that move them and the scrape that reads them.
#[derive(Clone)]
pub struct Metrics(Arc<Counters>);

struct Counters {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    claims_judged: Family<StatusLabels, Counter>,
    connections_open: Gauge,
    connections_idle: Gauge,
    connections_max: Gauge,
}

/// Seconds from 1 ms to about 33 s, doubling: single claims take a few milliseconds, studies
/// many seconds.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("carepool");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route pattern and status",
            requests.clone(),
        );
        let latency: Family<RouteLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time from a request's arrival to its answer's headers, by method and route pattern",
            latency.clone(),
        );
        let claims_judged = Family::<StatusLabels, Counter>::default();
        // Every status from zero, so that a rate is 0 before the first claim, not missing.
        for status in ClaimStatus::ALL {
            let status = status.as_str().to_string();
            drop(claims_judged.get_or_create(&StatusLabels { status }));
        }
        registry.register(
            "claims_judged",
            "Claims received and judged by this server (resends left out), by the status decided",
            claims_judged.clone(),
        );
        let gauge = |registry: &mut Registry, name: &str, help: &str| {
            let gauge = Gauge::default();
            registry.register(name, help, gauge.clone());
            gauge
        };
        let connections_open = gauge(
            &mut registry,
            "db_connections_open",
            "Database connections the server holds open",
        );
        let connections_idle = gauge(
            &mut registry,
            "db_connections_idle",
            "Open database connections not in use",
        );
        let connections_max = gauge(
            &mut registry,
            "db_connections_max",
            "Database connections the server may open at most",
        );
        Metrics(Arc::new(Counters {
            registry,
            requests,
            latency,
            claims_judged,
            connections_open,
            connections_idle,
            connections_max,
        }))
    }

    /// Counts the claims a submission judged; a resend was judged before and is left out.
    pub fn judged(&self, views: &[ClaimView]) {
        for view in views.iter().filter(|view| !view.sent_before) {
            let status = view.record.status.as_str().to_string();
            self.0
                .claims_judged
                .get_or_create(&StatusLabels { status })
                .inc();
        }
    }
}

/// The label of a request's method: the ones the server answers by name, any other as "other"
/// (a method is the caller's to choose, and each label value is a series kept for ever).
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::HEAD => "HEAD",
        _ => "other",
    }
}

/// Counts and times every request under its route's pattern; an address no route serves is
/// counted as "unmatched".
pub async fn record_request(
    State(metrics): State<Metrics>,
    request: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let method = method_label(request.method());
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_string();
    let response = next.run(request).await;
    let counters = &metrics.0;
    counters
        .latency
        .get_or_create(&RouteLabels {
            method,
            route: route.clone(),
        })
        .observe(started.elapsed().as_secs_f64());
    let status = response.status().as_u16();
    counters
        .requests
        .get_or_create(&RequestLabels {
            method,
            route,
            status,
        })
        .inc();
    response
}

/// Whether the server is ready for traffic: its database answers within two seconds. A load
/// balancer sends nothing to a server that is not.
pub async fn ready(State(state): State<AppState>) -> Response {
    let answered = tokio::time::timeout(READY_WITHIN, state.registry.store().ping()).await;
    match answered {
        Ok(Ok(())) => Json(json!({ "status": "ready" })).into_response(),
        failed => {
            // The database's own words may name hosts: in the log, not to an open route.
            match failed {
                Ok(Err(error)) => tracing::warn!(%error, "not ready: the database refused a query"),
                _ => tracing::warn!("not ready: the database did not answer within 2 s"),
            }
            let body = json!({ "status": "not ready", "reason": "the database does not answer" });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body)).into_response()
        }
    }
}

/// The metrics in Prometheus's text format, the connections as they are now.
pub async fn metrics(State(state): State<AppState>) -> Response {
    let counters = &state.metrics.0;
    let connections = state.registry.store().connections();
    counters.connections_open.set(connections.open.into());
    counters.connections_idle.set(connections.idle.into());
    counters.connections_max.set(connections.max.into());
    let mut text = String::new();
    if let Err(error) = prometheus_client::encoding::text::encode(&mut text, &counters.registry) {
        tracing::error!(%error, "the metrics could not be written");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    let mut response = text.into_response();
    response.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
    );
    response
}
