//! A calibrated synthetic scheme: the data for the demo, for tests that check statistical
//! methods against a known truth, and for benchmarks at national scale. Real scheme data is
//! personal health data and never leaves its country; this is its stand-in.
//!
//! [`Generator`] draws each family (its members, their cover, the contributions that fell
//! due, and the claims for their care) from [`SynthConfig`]'s calibration, relativities and
//! behaviours. [`write_csv`] streams a whole scheme into the import formats.

pub mod config;
pub mod csv_out;
mod generator;
mod names;
pub mod network;

pub use config::{ConfigError, Drift, SynthConfig};
pub use csv_out::{BEHAVIOUR_FILE, CsvSink, FILES, UNREPORTED_FILES, Written};
pub use generator::{ClaimKind, Generator, Habits, OLDEST, Options, Sink, SynthClaim, SynthFamily};

use carepool_core::scheme::SchemeDefinition;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
}

/// The settings file written beside the data, so a scheme can be made again.
pub const SETTINGS_FILE: &str = "synth.toml";

/// Writes the scheme into `dir` (created if missing): the files in [`FILES`], the unreported
/// claims in [`UNREPORTED_FILES`], and the settings used in [`SETTINGS_FILE`].
pub fn write_csv(
    config: &SynthConfig,
    scheme: &SchemeDefinition,
    options: Options,
    dir: &Path,
    progress: &dyn Fn(u64),
) -> Result<Written, SynthError> {
    let generator = Generator::new(config, scheme, options)?;
    let io = |source| SynthError::Io {
        path: dir.to_path_buf(),
        cause: source,
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let settings = format!(
        "# carepool synth --families {} --from {} --to {} --seed {} (scheme {}), with these settings\n{}",
        options.families,
        options.from,
        options.to,
        options.seed,
        scheme.code,
        toml::to_string(config).expect("settings serialise")
    );
    std::fs::write(dir.join(SETTINGS_FILE), settings).map_err(io)?;
    let mut sink = CsvSink::create(dir, options.to, &config.behaviour).map_err(io)?;
    generator.run(&mut sink, progress).map_err(io)?;
    sink.finish().map_err(io)
}
