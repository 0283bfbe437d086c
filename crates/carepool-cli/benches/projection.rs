//! Benchmark: the worked projection (examples/projection/inpatient.toml: eight lines, four with
//! assumptions of their own, six population cells, five years from a base date a year before,
//! a benefit change, a new benefit) with its stress tests.
//!
//!     cargo bench -p carepool-cli --bench projection -- [--runs N] [--assumptions FILE]
//!
//! `--assumptions` times another file (an older example, to compare builds on one input).
//! Reads the assumptions once, then times N runs of the projection and stress tests; prints the
//! median and the slowest.

mod support;

use std::path::{Path, PathBuf};
use std::time::Instant;

fn main() {
    let flags = support::Flags::from_env();
    let runs: usize = flags.number("--runs", 1000);
    let path = flags.text("--assumptions").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/projection/inpatient.toml"),
        PathBuf::from,
    );
    let file = carepool_io::projection_file::read_projection_file(&path).unwrap();
    let scenarios = file.stress.len();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let tests = file.run().unwrap();
            assert_eq!(tests.results.len(), scenarios);
            started.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "projection with {} stress tests, {runs} runs: median {:.3} ms, slowest {:.3} ms (target 1,000 ms)",
        scenarios,
        times[runs / 2] * 1e3,
        times[runs - 1] * 1e3
    );
}
