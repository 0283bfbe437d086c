//! No client can hold the server: a silent connection is closed after the head timeout, the
//! connections past the cap wait for a place, a body past its size is 413 and one that does not
//! arrive in time is 408. None of this touches the database, so SQLite alone.

use crate::support::Harness;
use axum::body::Body;
use carepool_core::access::Role;
use carepool_server::ServeLimits;
use serde_json::{Value, json};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const HEALTH: &[u8] = b"GET /api/health HTTP/1.1\r\nHost: carepool\r\nConnection: close\r\n\r\n";

/// Reads until the server closes the connection; what it said.
async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut said = Vec::new();
    stream.read_to_end(&mut said).await.unwrap();
    String::from_utf8_lossy(&said).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_connection_is_closed_and_holds_its_place_only_until_then() {
    let h = Harness::sqlite().await;
    let head_timeout = Duration::from_millis(400);
    let limits = ServeLimits {
        max_connections: 1,
        head_timeout,
        ..ServeLimits::default()
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(carepool_server::serve(
        h.registry.clone(),
        listener,
        limits,
        async {
            let _ = stopped.await;
        },
    ));

    // The only place goes to a client that says nothing.
    let started = Instant::now();
    let mut silent = TcpStream::connect(address).await.unwrap();
    silent.write_all(b"GET /api/he").await.unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    // The next client waits in the queue until the silent one is put out.
    let mut waiting = TcpStream::connect(address).await.unwrap();
    waiting.write_all(HEALTH).await.unwrap();
    let answer = tokio::time::timeout(Duration::from_secs(10), read_to_close(&mut waiting))
        .await
        .expect("answered once the silent client is put out");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        started.elapsed() >= head_timeout,
        "answered after {:?}, before the silent client's time ran out",
        started.elapsed()
    );
    assert_eq!(
        read_to_close(&mut silent).await,
        "",
        "closed without a word"
    );

    stop.send(()).unwrap();
    server.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_body_past_its_bound_is_413_and_one_that_never_ends_is_408() {
    let h = Harness::sqlite().await;
    let token = h.token(Role::ClaimsOfficer).await;
    let limits = ServeLimits {
        body_timeout: Duration::from_millis(300),
        max_body_bytes: 64 * 1024,
        ..ServeLimits::default()
    };
    let request = |body: Body, length: Option<usize>| {
        let mut request = axum::http::Request::builder()
            .method("POST")
            .uri("/api/claims")
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json");
        if let Some(length) = length {
            request = request.header("content-length", length);
        }
        request.body(body).unwrap()
    };
    let answer = |request: axum::http::Request<Body>| async {
        let app = carepool_server::router_with(h.registry.clone(), limits);
        let response = tower::ServiceExt::oneshot(app, request).await.unwrap();
        let status = response.status().as_u16();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, serde_json::from_slice::<Value>(&bytes).unwrap())
    };

    let novel = json!({"note": "x".repeat(64 * 1024)}).to_string();
    // Said too long by its length, or found so as it streams in.
    for length in [Some(novel.len()), None] {
        let body = match length {
            Some(_) => Body::from(novel.clone()),
            None => Body::from_stream(futures_util::stream::iter(
                novel
                    .as_bytes()
                    .chunks(1024)
                    .map(|chunk| Ok::<_, std::io::Error>(chunk.to_vec()))
                    .collect::<Vec<_>>(),
            )),
        };
        let (status, error) = answer(request(body, length)).await;
        assert_eq!(status, 413, "{error}");
        assert_eq!(error["error"]["code"], "payload_too_large");
        assert!(
            error["error"]["message"]
                .as_str()
                .unwrap()
                .contains("65536 bytes"),
            "{error}"
        );
    }

    // A body that starts and never ends.
    let endless = Body::from_stream(futures_util::stream::pending::<
        Result<Vec<u8>, std::io::Error>,
    >());
    let started = Instant::now();
    let (status, error) = answer(request(endless, None)).await;
    assert_eq!(status, 408, "{error}");
    assert_eq!(error["error"]["code"], "request_timeout");
    assert!(started.elapsed() < Duration::from_secs(5));

    // Nobody unknown makes the server wait for, or hold, a body: refused unread.
    let anonymous = axum::http::Request::builder()
        .method("POST")
        .uri("/api/claims")
        .header("content-type", "application/json")
        .body(Body::from_stream(futures_util::stream::pending::<
            Result<Vec<u8>, std::io::Error>,
        >()))
        .unwrap();
    let started = Instant::now();
    let (status, error) = answer(anonymous).await;
    assert_eq!(status, 401, "{error}");
    assert!(
        started.elapsed() < limits.body_timeout,
        "answered before the body's time"
    );

    // At the bound, the body reaches the handler: an empty list of claims, spaced out.
    let at_bound = format!("[{}]", " ".repeat(limits.max_body_bytes - 2));
    let (status, error) = answer(request(Body::from(at_bound), None)).await;
    assert_ne!(status, 413, "{error}");
    assert_ne!(status, 408, "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_study_past_its_time_budget_is_422_naming_the_budget() {
    let h = Harness::sqlite().await;
    crate::support::load_registry(&h).await;
    let token = h.token(Role::Actuary).await;
    let ask = |budget: Duration| {
        let app = carepool_server::router_with(
            h.registry.clone(),
            ServeLimits {
                study_budget: budget,
                ..ServeLimits::default()
            },
        );
        crate::support::call_app(
            app,
            Some(&token),
            "POST",
            "/api/experience",
            Some(json!({"from": "2025-01-01", "to": "2025-12-31"})),
        )
    };
    let (status, error) = ask(Duration::ZERO).await;
    assert_eq!(status.as_u16(), 422, "{error}");
    assert!(
        error["error"]["message"]
            .as_str()
            .unwrap()
            .contains("longer than the server's budget of 0 s"),
        "{error}"
    );
    let (status, study) = ask(Duration::from_secs(60)).await;
    assert_eq!(status.as_u16(), 200, "within its budget: {study}");
}
