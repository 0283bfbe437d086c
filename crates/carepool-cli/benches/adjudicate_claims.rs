//! Benchmark: claims at national scale, through the same code as `carepool claims import`,
//! `carepool claims adjudicate` and `POST /api/claims`.
//!
//!     cargo bench -p carepool-cli --bench adjudicate_claims -- \
//!         [--backend sqlite|postgres] [--families N] [--http N] [--clients C] [--judge-ahead]
//!
//! Generates the Koumbia mutual (examples/mutual, with examples/mutual/synth.toml: mostly
//! three-line outpatient visits) for one year, loads the registry, then times:
//! 1. receiving every claim of the year from CSV (one transaction);
//! 2. adjudicating them all and writing the decisions (batches of 2,000 claims);
//! 3. pricing examples/mutual/reform.toml on every claim of the year (`carepool reform`: each
//!    claim judged under the rules and under the proposal, nothing written);
//! 4. submitting single claims over HTTP on loopback from C concurrent clients (the claims
//!    that reached the scheme after the year's end), each with its facility's token, each
//!    received and judged at once;
//!    `--http 0` leaves this step out.
//!
//! Prints rates, the CPU time each batch step used (in this process: all of it on SQLite, not
//! the server's on PostgreSQL), HTTP latency percentiles and the process's peak memory.
//! PostgreSQL uses DATABASE_URL, or a throwaway cluster; `--judge-ahead` has its batch runs
//! judge ahead of their locks (SQLite's always do).

mod support;

use carepool_core::access::Role;
use carepool_core::claims::Claim;
use carepool_service::Registry;
use carepool_service::users::NewUser;
use carepool_synth::{Options, SynthConfig};
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn date(text: &str) -> chrono::NaiveDate {
    text.parse().unwrap()
}

#[tokio::main]
async fn main() {
    let flags = support::Flags::from_env();
    let backend = flags.text("--backend").unwrap_or_else(|| "sqlite".into());
    let families = flags.number("--families", 290_000);
    let http_claims = flags.number("--http", 20_000);
    let clients = flags.number("--clients", 16);

    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/mutual");
    let scheme = carepool_io::read_scheme_file(&examples.join("scheme.toml")).unwrap();
    let settings: SynthConfig =
        toml::from_str(&std::fs::read_to_string(examples.join("synth.toml")).unwrap()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let options = Options {
        families,
        from: date("2025-01-01"),
        to: date("2025-12-31"),
        seed: 1,
    };
    let written = carepool_synth::write_csv(&settings, &scheme, options, &data, &|_| {}).unwrap();
    // The claims are received apart, to time them.
    let claims_dir = dir.path().join("claims");
    std::fs::create_dir(&claims_dir).unwrap();
    for file in ["claims.csv", "claim_lines.csv"] {
        std::fs::rename(data.join(file), claims_dir.join(file)).unwrap();
    }

    let judge_ahead = flags.has("--judge-ahead");
    let (store, _postgres) = support::open_store_judging(&backend, dir.path(), judge_ahead).await;
    let registry = Registry::new(store.clone());
    let started = Instant::now();
    carepool_io::load_directory(&registry, scheme, &data, Arc::new(|_, _| {}))
        .await
        .unwrap();
    println!(
        "{backend}: registry of {} families, {} members loaded in {:.1} s",
        written.families,
        written.members,
        started.elapsed().as_secs_f64()
    );

    let started = Instant::now();
    let cpu_before = support::cpu_seconds();
    let received = carepool_io::claims_csv::receive_file(
        &registry,
        &claims_dir.join("claims.csv"),
        Some(&claims_dir.join("claim_lines.csv")),
        &|_| {},
    )
    .await
    .unwrap();
    let receive_seconds = started.elapsed().as_secs_f64();
    let receive_cpu = support::cpu_seconds() - cpu_before;
    let memory_after_receive = support::peak_memory_mb();
    let started = Instant::now();
    let cpu_before = support::cpu_seconds();
    let report = registry
        .adjudicate_received(options.to, &|_| {})
        .await
        .unwrap();
    let adjudicate_seconds = started.elapsed().as_secs_f64();
    let adjudicate_cpu = support::cpu_seconds() - cpu_before;
    println!(
        "{backend}: {} claims ({} lines) received from CSV in {receive_seconds:.1} s ({:.0}/s; CPU {receive_cpu:.1} s; peak memory {memory_after_receive:.0} MB)",
        received.received,
        written.claim_lines,
        received.received as f64 / receive_seconds
    );
    println!(
        "{backend}: {} claims adjudicated and written in {adjudicate_seconds:.1} s ({:.0}/s; CPU {adjudicate_cpu:.1} s); {:?}; peak memory {:.0} MB",
        report.adjudicated,
        report.adjudicated as f64 / adjudicate_seconds,
        report.by_status,
        support::peak_memory_mb()
    );

    // The reform what-if: every claim judged again under the rules and under a proposal.
    let proposal = carepool_io::read_scheme_file(&examples.join("reform.toml")).unwrap();
    let started = Instant::now();
    let cpu_before = support::cpu_seconds();
    let reform = registry
        .price_reform(proposal, options.from, options.to, &|_| {})
        .await
        .unwrap();
    let reform_seconds = started.elapsed().as_secs_f64();
    println!(
        "{backend}: reform priced on {} claims (each judged twice, nothing written) in {reform_seconds:.1} s ({:.0}/s; CPU {:.1} s); {} decided otherwise; peak memory {:.0} MB",
        reform.claims_judged,
        reform.claims_judged as f64 / reform_seconds,
        support::cpu_seconds() - cpu_before,
        reform.total.changed_claims,
        support::peak_memory_mb()
    );

    // --http 0 times the batch steps alone.
    if http_claims > 0 {
        let single: Vec<Claim> = carepool_io::claims_csv::read_claims(
            &data.join("unreported_claims.csv"),
            Some(&data.join("unreported_claim_lines.csv")),
        )
        .unwrap()
        .into_iter()
        .map(|received| received.claim)
        // Care reported after the year's end may be dated past today: the API refuses it.
        .filter(|claim| claim.received_date <= registry.today())
        .take(http_claims)
        .collect();
        let (rate, latencies) = submit_over_http(registry, single, clients).await;
        let percentile =
            |p: f64| latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)];
        println!(
            "{backend}: {} single claims over HTTP from {clients} clients: {rate:.0} claims/s; latency p50 {:.1} ms, p99 {:.1} ms, p99.9 {:.1} ms, max {:.1} ms; peak memory {:.0} MB",
            latencies.len(),
            percentile(0.5).as_secs_f64() * 1e3,
            percentile(0.99).as_secs_f64() * 1e3,
            percentile(0.999).as_secs_f64() * 1e3,
            latencies.last().unwrap().as_secs_f64() * 1e3,
            support::peak_memory_mb()
        );
    }
    store.close().await;
}

/// A token for each facility that sent claims, each of its own facility user: the claims are
/// posted as facilities post them.
async fn facility_tokens(registry: &Registry, claims: &[Claim]) -> HashMap<String, String> {
    let providers: BTreeSet<&str> = claims.iter().map(|c| c.provider_id.as_str()).collect();
    let mut tokens = HashMap::new();
    for provider in providers {
        let user = NewUser {
            name: format!("facility-{provider}"),
            role: Role::Facility,
            districts: vec![],
            provider: Some(provider.to_string()),
            language: None,
        };
        let user = registry.add_user(user, "a bench password").await.unwrap();
        let token = registry.create_token(&user.name, None).await.unwrap();
        tokens.insert(provider.to_string(), token.secret);
    }
    tokens
}

/// Serves the API on a loopback port and posts each claim alone, `clients` at a time; returns
/// claims per second and the sorted latencies.
async fn submit_over_http(
    registry: Registry,
    claims: Vec<Claim>,
    clients: usize,
) -> (f64, Vec<Duration>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(carepool_server::serve(
        registry.clone(),
        listener,
        Default::default(),
        async {
            let _ = stopped.await;
        },
    ));
    let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let tokens = facility_tokens(&registry, &claims).await;
    let bodies: Vec<(String, Bytes)> = claims
        .iter()
        .map(|claim| {
            let token = format!("Bearer {}", tokens[&claim.provider_id]);
            (token, Bytes::from(serde_json::to_vec(claim).unwrap()))
        })
        .collect();
    let queue = Arc::new(std::sync::Mutex::new(bodies));
    let url: hyper::Uri = format!("http://{address}/api/claims").parse().unwrap();
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (client, queue, url) = (client.clone(), queue.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let Some((token, body)) = queue.lock().unwrap().pop() else {
                    return latencies;
                };
                let request = hyper::Request::post(url.clone())
                    .header("content-type", "application/json")
                    .header("authorization", token)
                    .body(Full::new(body))
                    .unwrap();
                let sent = Instant::now();
                let response = client.request(request).await.unwrap();
                let status = response.status();
                let answer = response.into_body().collect().await.unwrap().to_bytes();
                assert!(
                    status.is_success(),
                    "{status}: {}",
                    String::from_utf8_lossy(&answer)
                );
                latencies.push(sent.elapsed());
            }
        }));
    }
    let mut latencies = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    latencies.sort();
    let _ = stop.send(());
    server.await.unwrap().unwrap();
    (rate, latencies)
}
