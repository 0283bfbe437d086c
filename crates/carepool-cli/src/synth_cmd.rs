//! `carepool synth`: a calibrated synthetic scheme, as CSV files or straight into a database.

use anyhow::{Context, Result};
use carepool_core::scheme::SchemeDefinition;
use carepool_service::{ImportMode, Registry};
use carepool_store::tables;
use carepool_synth::{FILES, Options, SynthConfig, Written};
use chrono::NaiveDate;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct SynthArgs {
    /// The scheme definition (TOML) the families enrol in and the claims are priced for.
    #[arg(long)]
    pub scheme: PathBuf,
    /// How many families.
    #[arg(long, default_value_t = 20_000)]
    pub families: u64,
    /// The first day: the scheme opens and the first families enrol.
    #[arg(long)]
    pub from: NaiveDate,
    /// The last day simulated; claims received later are written apart, as the unreported.
    #[arg(long)]
    pub to: NaiveDate,
    /// The same seed gives the same files, byte for byte.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write CSV files into DIR; without it, the scheme goes into the database (--db).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Settings (TOML: population, growth, calibration, behaviour...; see docs/SYNTH.md).
    #[arg(long)]
    pub settings: Option<PathBuf>,
}

pub fn read_settings(path: Option<&Path>) -> Result<SynthConfig> {
    let Some(path) = path else {
        return Ok(SynthConfig::default());
    };
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("{}", path.display()))
}

/// Generates into `dir`, showing progress.
pub fn generate(
    config: &SynthConfig,
    scheme: &SchemeDefinition,
    options: Options,
    dir: &Path,
) -> Result<Written> {
    let bar = crate::progress_bar("generating", "families");
    let progress = bar.clone();
    let written = carepool_synth::write_csv(config, scheme, options, dir, &move |n| {
        progress.set_position(n)
    });
    bar.finish_and_clear();
    Ok(written?)
}

pub fn describe(written: &Written) -> String {
    format!(
        "{} families, {} members ({} pending), {} contributions, {} claims with {} lines ({} more incurred but not yet received), {} facilities",
        written.families,
        written.members,
        written.pending,
        written.contributions,
        written.claims,
        written.claim_lines,
        written.unreported_claims,
        written.providers
    )
}

pub fn options(args: &SynthArgs) -> Options {
    Options {
        families: args.families,
        from: args.from,
        to: args.to,
        seed: args.seed,
    }
}

/// Generates into a temporary directory and loads the result into the database.
pub async fn load_new(args: &SynthArgs, registry: &Registry) -> Result<()> {
    let scheme = carepool_io::read_scheme_file(&args.scheme)?;
    let settings = read_settings(args.settings.as_deref())?;
    let dir = tempfile::tempdir()?;
    let written = generate(&settings, &scheme, options(args), dir.path())?;
    load(registry, scheme, dir.path()).await?;
    println!("loaded: {}", describe(&written));
    println!("next: carepool claims adjudicate --date {}", args.to);
    Ok(())
}

/// Loads a synthetic scheme's files into the database through the ordinary import checks:
/// the scheme, each registry file (all or nothing), then the claims, received but not judged.
pub async fn load(registry: &Registry, scheme: SchemeDefinition, dir: &Path) -> Result<()> {
    registry.load_scheme(scheme).await?;
    let [registry_files @ .., claims_file, lines_file] = FILES;
    for file in registry_files {
        let kind = file.trim_end_matches(".csv");
        let table = tables::table_named(kind).expect("a registry kind");
        let path = dir.join(file);
        let bar = crate::progress_bar(&format!("importing {kind}"), "rows");
        let progress = bar.clone();
        let imported = carepool_io::import_file(
            registry,
            table,
            &path,
            ImportMode::AllOrNothing,
            &move |n| progress.set_position(n),
        )
        .await;
        bar.finish_and_clear();
        imported?;
    }
    let claims =
        carepool_io::claims_csv::read_claims(&dir.join(claims_file), Some(&dir.join(lines_file)))?;
    registry.receive_claims(claims).await?;
    Ok(())
}
