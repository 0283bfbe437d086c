//! Benchmark: a national-scale synthetic scheme written to CSV.
//!
//!     cargo bench -p carepool-cli --bench generate_scheme -- [--members N] [--years Y]
//!
//! Generates about N members (families of the default mean size) enrolled in
//! examples/pip-inpatient.toml over Y years, with their claims, into a temp dir; prints the
//! time, the rate, the bytes written and the process's peak memory.

mod support;

use std::time::Instant;

fn main() {
    let flags = support::Flags::from_env();
    let members: f64 = flags.number("--members", 10_000_000.0);
    let years: f64 = flags.number("--years", 3.0);
    let (config, scheme, options) = support::national_scheme(members, years);
    let (from, to) = (options.from, options.to);
    let dir = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let written =
        carepool_synth::write_csv(&config, &scheme, options, dir.path(), &|_| {}).unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let bytes: u64 = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().metadata().unwrap().len())
        .sum();
    println!(
        "{} families, {} members, {} claims ({} unreported), {from} to {to}: {seconds:.1} s ({:.0} members/s), {:.2} GB written, peak memory {:.0} MB",
        written.families,
        written.members,
        written.claims,
        written.unreported_claims,
        written.members as f64 / seconds,
        bytes as f64 / 1e9,
        support::peak_memory_mb()
    );
}
