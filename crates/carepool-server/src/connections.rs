//! How the server takes connections and bodies: a cap on the connections open at once, a time
//! limit on a request's head and on its body, and a bound on the body's size. Without them a
//! few hundred clients that connect and say nothing hold the server's files until it can take
//! no one else, and one endless body holds its memory.

use crate::auth::Caller;
use crate::error::ApiError;
use crate::pages;
use crate::sessions::SIGN_IN_PATH;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::Response;
use http_body_util::{BodyExt, LengthLimitError, Limited};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// What one client may hold of the server (README, "The API": limits).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServeLimits {
    /// Connections open at once; the next ones wait in the system's queue until one closes.
    pub max_connections: usize,
    /// The time to send a request's head, and to start the next one on a kept-alive connection;
    /// past it the connection is closed.
    pub head_timeout: Duration,
    /// The time to send a request's body once its head has arrived; past it, 408.
    pub body_timeout: Duration,
    /// A request's body, in bytes; past it, 413.
    pub max_body_bytes: usize,
    /// The time a study on the live database (reserve, experience) may take; past it, 422.
    pub study_budget: Duration,
}

impl Default for ServeLimits {
    /// Room for a district office on a slow link: a 2 MiB body has two minutes (18 KB/s).
    fn default() -> ServeLimits {
        ServeLimits {
            max_connections: 512,
            head_timeout: Duration::from_secs(30),
            body_timeout: Duration::from_secs(120),
            max_body_bytes: 2 * 1024 * 1024,
            study_budget: Duration::from_secs(300),
        }
    }
}

/// How long the requests in flight at shutdown may take to finish.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// Serves `app` on `listener` within `limits` until `shutdown` completes, then lets the requests
/// in flight finish, for [`SHUTDOWN_GRACE`] at most.
pub async fn serve_app(
    app: Router,
    listener: TcpListener,
    limits: ServeLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let open = Arc::new(Semaphore::new(limits.max_connections));
    let graceful = GracefulShutdown::new();
    let mut http = http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(limits.head_timeout);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        // A place first, then the connection: past the cap, clients wait in the system's queue
        // and hold none of carepool's files.
        let place = tokio::select! {
            place = open.clone().acquire_owned() => place.expect("the semaphore is never closed"),
            () = &mut shutdown => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(error) => {
                    wait_after(error).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let service = TowerToHyperService::new(app.clone());
        let connection = graceful.watch(http.serve_connection(TokioIo::new(stream), service));
        tokio::spawn(async move {
            if let Err(error) = connection.await {
                tracing::debug!(%error, "a connection ended in error");
            }
            drop(place);
        });
    }
    // No new connection; those open finish what they were asked, for a while.
    drop(listener);
    if tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!("requests still running after {SHUTDOWN_GRACE:?} were cut at shutdown");
    }
    Ok(())
}

/// A failed accept: one client's connection that broke is no matter; anything else (no file
/// left) is logged and waited out rather than spun on.
async fn wait_after(error: std::io::Error) {
    use std::io::ErrorKind::{ConnectionAborted, ConnectionRefused, ConnectionReset};
    if matches!(
        error.kind(),
        ConnectionAborted | ConnectionRefused | ConnectionReset
    ) {
        return;
    }
    tracing::error!(%error, "cannot accept a connection; trying again in a second");
    tokio::time::sleep(Duration::from_secs(1)).await;
}

/// Reads a request's whole body within the limits before any handler sees it: 413 past the size
/// (at once when the declared length says so), 408 past the time. Only a signed-in caller's, or
/// a sign-in's: anyone else's is left unread, and the route refuses the caller before it reads.
pub async fn bound_body(
    State(limits): State<ServeLimits>,
    request: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let signed_in = matches!(
        request.extensions().get::<Caller>(),
        Some(Caller::User(_) | Caller::Session { .. })
    );
    let signing_in = [SIGN_IN_PATH, pages::SIGN_IN_PAGE].contains(&request.uri().path());
    if !signed_in && !signing_in {
        return Ok(next.run(request).await);
    }
    let too_large = || {
        ApiError::payload_too_large(format!(
            "a request's body is at most {} bytes",
            limits.max_body_bytes
        ))
    };
    let (parts, body) = request.into_parts();
    if declared_length(&parts.headers).is_some_and(|length| length > limits.max_body_bytes) {
        return Err(too_large());
    }
    let read = Limited::new(body, limits.max_body_bytes).collect();
    let bytes = match tokio::time::timeout(limits.body_timeout, read).await {
        Err(_) => {
            return Err(ApiError::request_timeout(format!(
                "the body did not arrive within {} s",
                limits.body_timeout.as_secs_f64()
            )));
        }
        Ok(Err(error)) if error.is::<LengthLimitError>() => return Err(too_large()),
        Ok(Err(error)) => {
            return Err(ApiError::bad_request(format!(
                "the body could not be read: {error}"
            )));
        }
        Ok(Ok(collected)) => collected.to_bytes(),
    };
    Ok(next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await)
}

fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers.get(CONTENT_LENGTH)?.to_str().ok()?.parse().ok()
}
