//! What the benchmark harnesses share: flags, the store under test, peak memory.

#![allow(dead_code)] // each harness uses its own part

use carepool_store::Store;
use carepool_store_postgres::testing::TestDatabase;
use std::path::Path;
use std::sync::Arc;

// The same allocator as the `carepool` binary, so the figures are the binary's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `--flag VALUE` pairs from the command line.
pub struct Flags(Vec<String>);

impl Flags {
    pub fn from_env() -> Flags {
        Flags(std::env::args().collect())
    }

    /// Whether a flag without a value was given.
    pub fn has(&self, flag: &str) -> bool {
        self.0.iter().any(|given| given == flag)
    }

    pub fn text(&self, flag: &str) -> Option<String> {
        self.0
            .iter()
            .position(|a| a == flag)
            .and_then(|i| self.0.get(i + 1))
            .cloned()
    }

    pub fn number<T: std::str::FromStr>(&self, flag: &str, default: T) -> T {
        self.text(flag).map_or(default, |n| {
            n.parse()
                .unwrap_or_else(|_| panic!("{flag} takes a number"))
        })
    }
}

/// The store under test: a SQLite file in `dir`, or PostgreSQL (DATABASE_URL's server or a
/// throwaway cluster, dropped with the returned guard).
pub async fn open_store(backend: &str, dir: &Path) -> (Arc<dyn Store>, Option<TestDatabase>) {
    open_store_judging(backend, dir, false).await
}

/// As [`open_store`], a PostgreSQL store's batch runs judging ahead of their locks if asked.
pub async fn open_store_judging(
    backend: &str,
    dir: &Path,
    judge_ahead: bool,
) -> (Arc<dyn Store>, Option<TestDatabase>) {
    match backend {
        "sqlite" => {
            let url = format!("sqlite://{}", dir.join("bench.db").display());
            let store = carepool_store_sqlite::SqliteStore::open(&url)
                .await
                .unwrap();
            (Arc::new(store), None)
        }
        "postgres" => {
            let database = TestDatabase::create();
            let store = carepool_store_postgres::PostgresStore::open(&database.url)
                .await
                .unwrap()
                .judging_ahead(judge_ahead);
            (Arc::new(store), Some(database))
        }
        other => panic!("unknown backend {other}: sqlite or postgres"),
    }
}

/// The process's peak resident memory (VmHWM), in MB.
pub fn peak_memory_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb: f64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(f64::NAN);
    kb / 1024.0
}

/// CPU time the process has used so far, all threads, in seconds: user plus system time from
/// /proc/self/stat, counted in Linux's fixed USER_HZ of 100 ticks a second. Against elapsed
/// time, it tells how many cores a step kept busy.
pub fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // The command name may hold spaces; the fields after it start with the state (field 3).
    let after_name = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let ticks: f64 = after_name
        .split_whitespace()
        .skip(11) // fields 3 to 13
        .take(2) // utime, stime
        .filter_map(|t| t.parse::<f64>().ok())
        .sum();
    ticks / 100.0
}

/// About `members` members (families of the default mean size) of examples/pip-inpatient.toml
/// over `years` years from its first day: the settings, the scheme and the generator's options.
pub fn national_scheme(
    members: f64,
    years: f64,
) -> (
    carepool_synth::SynthConfig,
    carepool_core::scheme::SchemeDefinition,
    carepool_synth::Options,
) {
    let config = carepool_synth::SynthConfig::default();
    let families = (members / config.population.mean_family_size).round() as u64;
    let scheme_file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/pip-inpatient.toml");
    let scheme = carepool_io::read_scheme_file(&scheme_file).unwrap();
    let from = scheme.effective_from;
    let to = from + chrono::Days::new((years * 365.25).round() as u64 - 1);
    let options = carepool_synth::Options {
        families,
        from,
        to,
        seed: 1,
    };
    (config, scheme, options)
}
