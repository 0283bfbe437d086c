//! Benchmark: the worked projection (examples/projection/inpatient.toml: seven lines, six
//! population cells, five years, a benefit change, a new benefit) with its 20 stress tests.
//!
//!     cargo bench -p carepool-cli --bench projection -- [--runs N]
//!
//! Reads the assumptions once, then times N runs of the projection and stress tests; prints the
//! median and the slowest.

mod support;

use std::path::Path;
use std::time::Instant;

fn main() {
    let flags = support::Flags::from_env();
    let runs: usize = flags.number("--runs", 1000);
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/projection/inpatient.toml");
    let file = carepool_io::projection_file::read_projection_file(&path).unwrap();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            let tests = file.run().unwrap();
            assert_eq!(tests.results.len(), 20);
            started.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    println!(
        "projection with {} stress tests, {runs} runs: median {:.3} ms, slowest {:.3} ms (target 1,000 ms)",
        20,
        times[runs / 2] * 1e3,
        times[runs - 1] * 1e3
    );
}
