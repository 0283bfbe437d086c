//! Benchmark: the experience study at national scale, from CSV extracts or from a database.
//!
//!     cargo bench -p carepool-cli --bench experience_study -- [--members N] [--years Y]
//!         [--source csv|sqlite|postgres]
//!
//! Generates about N members (families of the default mean size) enrolled in
//! examples/pip-inpatient.toml over Y years with their claims, writes the registry's files and a
//! claims extract (amount claimed per claim), then times reading the extracts (or, with a
//! database source, loading them first, untimed, and reading the database) and the study itself
//! (exposure by month, age, sex, area and duration; claims; every table and both GLMs). Prints
//! the times and the process's peak memory.

mod support;

use carepool_actuarial::experience::{ExperienceStudy, Split};
use carepool_io::experience_files::{Extracts, read_extracts};
use carepool_service::Registry;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

/// claims.csv (as facilities send them) and claim_lines.csv into one extract with the amount
/// claimed, as `carepool export claims` has it.
fn claims_extract(dir: &Path) {
    let mut claimed: HashMap<(String, String), i64> = HashMap::new();
    let mut lines = csv::Reader::from_path(dir.join("claim_lines.csv")).unwrap();
    for line in lines.records() {
        let line = line.unwrap();
        let quantity: i64 = line[3].parse().unwrap();
        let price: carepool_core::Money = line[4].parse().unwrap();
        *claimed
            .entry((line[0].to_string(), line[1].to_string()))
            .or_default() += quantity * price.minor();
    }
    let mut claims = csv::Reader::from_path(dir.join("claims.csv")).unwrap();
    let mut out = csv::Writer::from_path(dir.join("claims_extract.csv")).unwrap();
    let header = claims.headers().unwrap().clone();
    out.write_record(header.iter().chain(["claimed"])).unwrap();
    for claim in claims.records() {
        let claim = claim.unwrap();
        let amount = claimed[&(claim[1].to_string(), claim[0].to_string())];
        let amount = carepool_core::Money::from_minor(amount).to_string();
        out.write_record(claim.iter().chain([amount.as_str()]))
            .unwrap();
    }
    out.flush().unwrap();
}

fn main() {
    let flags = support::Flags::from_env();
    let members: f64 = flags.number("--members", 10_000_000.0);
    let years: f64 = flags.number("--years", 3.0);
    let source = flags.text("--source").unwrap_or_else(|| "csv".into());
    let (config, scheme, options) = support::national_scheme(members, years);
    let (from, to) = (options.from, options.to);
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    carepool_synth::write_csv(&config, &scheme, options, dir.path(), &|_| {}).unwrap();
    claims_extract(dir.path());
    eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());

    let mut study = ExperienceStudy::new(from, to);
    study.split = Split::Month;
    let started = Instant::now();
    let data = match source.as_str() {
        "csv" => {
            let path = |name: &str| dir.path().join(name);
            let (members, coverage, claims) = (
                path("members.csv"),
                path("coverage.csv"),
                path("claims_extract.csv"),
            );
            let (providers, families, locations) = (
                path("providers.csv"),
                path("families.csv"),
                path("locations.csv"),
            );
            let extracts = Extracts {
                members: &members,
                coverage: Some(&coverage),
                claims: &claims,
                providers: Some(&providers),
                families: Some(&families),
                locations: Some(&locations),
            };
            read_extracts(extracts, to, &|_, _| {}).unwrap()
        }
        backend => tokio::runtime::Runtime::new().unwrap().block_on(async {
            let (store, _database) = support::open_store(backend, dir.path()).await;
            let registry = Registry::new(store);
            let loading = Instant::now();
            carepool_io::load_directory(
                &registry,
                scheme.clone(),
                dir.path(),
                std::sync::Arc::new(|_: &str, _| {}),
            )
            .await
            .unwrap();
            eprintln!("loaded in {:.1} s", loading.elapsed().as_secs_f64());
            let reading = Instant::now();
            let data = registry
                .experience_data(Some(&scheme.code), to)
                .await
                .unwrap();
            eprintln!("read in {:.1} s", reading.elapsed().as_secs_f64());
            data
        }),
    };
    let read = started.elapsed().as_secs_f64();
    let studying = Instant::now();
    let experience = study.run(&data).unwrap();
    let studied = studying.elapsed().as_secs_f64();
    println!(
        "{source}: {} members, {} claims, {from} to {to} by month: read {read:.1} s, study {studied:.1} s, total {:.1} s; {:.0} member-years, {} claims in the rates, {} cells; peak memory {:.0} MB",
        data.member_count(),
        data.claim_count(),
        read + studied,
        experience.summary.rates.exposure,
        experience.summary.rates.claims,
        experience.cells.len(),
        support::peak_memory_mb()
    );
}
