//! Benchmark: the experience study at national scale, from CSV extracts or from a database.
//!
//!     cargo bench -p carepool-cli --bench experience_study -- [--members N] [--years Y]
//!         [--source csv|sqlite|postgres] [--database FILE.db] [--extracts DIR]
//!
//! Generates about N members (families of the default mean size) enrolled in
//! examples/pip-inpatient.toml over Y years with their claims, writes the registry's files and a
//! claims extract (amount claimed per claim), then times reading the extracts and the study
//! itself (exposure by month, age, sex, area and duration; claims; every table and both GLMs),
//! or, with a database source, loads them first, untimed, and times the study on the database
//! (read a page of families at a time as it is counted: one time for both). Prints
//! the times and the process's peak memory. With `--database FILE.db` (SQLite), the first run
//! loads the file and keeps it; later runs only read it and study, so the peak memory is theirs.
//! With `--extracts DIR`, the files are written there and kept, and a later run reads them as
//! they are (scripts/reference/ times other readers on the same files).

mod support;

use carepool_actuarial::experience::{ExperienceData, ExperienceStudy, Split};
use carepool_io::experience_files::{Extracts, read_extracts};
use carepool_service::experience::ExperienceOptions;
use carepool_service::{ManualClock, Registry};
use chrono::NaiveDate;
use std::collections::HashMap;
use std::path::Path;
use std::time::Instant;

/// claims.csv (as facilities send them) and claim_lines.csv into one extract with the amount
/// claimed, as `carepool export claims` has it.
fn claims_extract(dir: &Path) {
    let mut claimed: HashMap<(String, String), i64> = HashMap::new();
    let mut lines = csv::Reader::from_path(dir.join("claim_lines.csv")).unwrap();
    // The generator writes the files' columns in their declared order.
    use carepool_schema::claim_tables::{claim_lines_file as l, claims_file as c};
    for line in lines.records() {
        let line = line.unwrap();
        let quantity: i64 = line[l::QUANTITY.index()].parse().unwrap();
        let price: carepool_core::Money = line[l::UNIT_PRICE.index()].parse().unwrap();
        let claim = (
            line[l::PROVIDER_ID.index()].to_string(),
            line[l::CLAIM_NUMBER.index()].to_string(),
        );
        *claimed.entry(claim).or_default() += quantity * price.minor();
    }
    let mut claims = csv::Reader::from_path(dir.join("claims.csv")).unwrap();
    let mut out = csv::Writer::from_path(dir.join("claims_extract.csv")).unwrap();
    let header = claims.headers().unwrap().clone();
    out.write_record(header.iter().chain(["claimed"])).unwrap();
    for claim in claims.records() {
        let claim = claim.unwrap();
        let key = (
            claim[c::PROVIDER_ID.index()].to_string(),
            claim[c::CLAIM_NUMBER.index()].to_string(),
        );
        let amount = claimed[&key];
        let amount = carepool_core::Money::from_minor(amount).to_string();
        out.write_record(claim.iter().chain([amount.as_str()]))
            .unwrap();
    }
    out.flush().unwrap();
}

/// The study of the scheme on the database, read a page of families at a time as it is
/// counted: one time for both.
async fn study_database(registry: &Registry, scheme: &str, from: NaiveDate, to: NaiveDate) {
    let options = ExperienceOptions {
        scheme: Some(scheme.to_string()),
        from: Some(from),
        to: Some(to),
        split: Some("month".into()),
        ..ExperienceOptions::default()
    };
    let studying = Instant::now();
    let experience = registry.experience(&options, to).await.unwrap();
    println!(
        "database: {} members, {} claims, {from} to {to} by month: read and studied in {:.1} s; {:.0} member-years, {} claims in the rates, {} cells; peak memory {:.0} MB",
        experience.settings.members,
        experience.settings.claims_given,
        studying.elapsed().as_secs_f64(),
        experience.summary.rates.exposure,
        experience.summary.rates.claims,
        experience.cells.len(),
        support::peak_memory_mb()
    );
}

fn study_and_report(
    source: &str,
    data: &ExperienceData,
    read: f64,
    from: NaiveDate,
    to: NaiveDate,
) {
    let mut study = ExperienceStudy::new(from, to);
    study.split = Split::Month;
    let studying = Instant::now();
    let experience = study.run(data).unwrap();
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

fn main() {
    let flags = support::Flags::from_env();
    let members: f64 = flags.number("--members", 10_000_000.0);
    let years: f64 = flags.number("--years", 3.0);
    let source = flags.text("--source").unwrap_or_else(|| "csv".into());
    // A SQLite file kept between runs: the first run loads it, the next ones only read it, so
    // their peak memory is the study's alone.
    let database = flags.text("--database");
    let (config, scheme, options) = support::national_scheme(members, years);
    let (from, to) = (options.from, options.to);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    if let Some(path) = database.as_deref().filter(|p| Path::new(p).exists()) {
        return runtime.block_on(async {
            let url = format!("sqlite://{path}");
            let store = carepool_store_sqlite::SqliteStore::open(&url)
                .await
                .unwrap();
            let registry = Registry::new(std::sync::Arc::new(store));
            study_database(&registry, &scheme.code, from, to).await
        });
    }
    // Extracts kept in a directory of one's own, for the reference readers to time on the same
    // files (scripts/reference/); made the first time, read as they are afterwards.
    let kept = flags.text("--extracts").map(std::path::PathBuf::from);
    let temporary = tempfile::tempdir().unwrap();
    let dir = kept.as_deref().unwrap_or(temporary.path());
    if !dir.join("claims_extract.csv").exists() {
        let started = Instant::now();
        std::fs::create_dir_all(dir).unwrap();
        carepool_synth::write_csv(&config, &scheme, options, dir, &|_| {}).unwrap();
        claims_extract(dir);
        eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
    }
    if source == "csv" {
        let reading = Instant::now();
        let path = |name: &str| dir.join(name);
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
        let data = read_extracts(extracts, to, &|_, _| {}).unwrap();
        return study_and_report("csv", &data, reading.elapsed().as_secs_f64(), from, to);
    }
    runtime.block_on(async {
        let (store, _database) = match database.as_deref() {
            Some(path) => {
                let url = format!("sqlite://{path}");
                let store = carepool_store_sqlite::SqliteStore::open(&url)
                    .await
                    .unwrap();
                (
                    std::sync::Arc::new(store) as std::sync::Arc<dyn carepool_store::Store>,
                    None,
                )
            }
            None => support::open_store(&source, dir).await,
        };
        // The synthetic window may end after today, and the intake refuses care dated after
        // today: the load is done as on the window's last day (claims.csv holds the claims
        // received by then; later ones are in unreported_claims.csv, not loaded).
        let window_end = ManualClock::new(to);
        let registry = Registry::new(store).with_clock(std::sync::Arc::new(window_end));
        let loading = Instant::now();
        carepool_io::load_directory(
            &registry,
            scheme.clone(),
            dir,
            std::sync::Arc::new(|_: &str, _| {}),
        )
        .await
        .unwrap();
        eprintln!("loaded in {:.1} s", loading.elapsed().as_secs_f64());
        if let Some(path) = database {
            eprintln!(
                "{path} is loaded; run again with --database {path} to measure the study alone"
            );
        }
        study_database(&registry, &scheme.code, from, to).await
    });
}
