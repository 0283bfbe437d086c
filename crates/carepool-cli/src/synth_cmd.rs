//! `carepool synth`: a calibrated synthetic scheme, as CSV files or straight into a database.

use crate::output::{count, outln};
use crate::progress::Progress;
use anyhow::{Context, Result};
use carepool_core::dates::add_months;
use carepool_core::scheme::SchemeDefinition;
use carepool_service::Registry;
use carepool_synth::{Options, SynthConfig, Written};
use chrono::Datelike;
use chrono::NaiveDate;
use clap::Args;
use std::path::{Path, PathBuf};
use std::sync::Arc;

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
    /// Into the database: also run the scheme month by month, as the demo does (claims judged
    /// at each month end as they arrived, facilities paid the month after).
    #[arg(long, conflicts_with = "out")]
    pub run_months: bool,
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
    let progress = Progress::of("generating", options.families, "families");
    let handle = progress.clone();
    let written = carepool_synth::write_csv(config, scheme, options, dir, &move |n| handle.set(n));
    progress.end(written.is_ok());
    Ok(written?)
}

pub fn describe(written: &Written) -> String {
    format!(
        "{} families, {} members ({} pending), {} contributions, {} claims with {} lines ({} more incurred but not yet received), {} facilities",
        count(written.families),
        count(written.members),
        count(written.pending),
        count(written.contributions),
        count(written.claims),
        count(written.claim_lines),
        count(written.unreported_claims),
        count(written.providers)
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
    outln!("loaded: {}", describe(&written));
    if args.run_months {
        let payments = run_months(registry, args.from, args.to).await?;
        outln!("claims judged month by month as they arrived; {payments} payments made");
    } else {
        outln!("next: carepool claims adjudicate --date {}", args.to);
    }
    Ok(())
}

/// Each month end: judge what arrived, then pay what was decided by the end of last month.
pub async fn run_months(registry: &Registry, from: NaiveDate, to: NaiveDate) -> Result<usize> {
    let mut payments = 0;
    let mut month = from.with_day(1).expect("day 1");
    let months = (to.year() - month.year()) * 12 + to.month() as i32 - month.month() as i32 + 1;
    let progress = Progress::of("running the scheme", months.max(0) as u64, "months");
    while month <= to {
        let month_end = add_months(month, 1)
            .pred_opt()
            .expect("a day before")
            .min(to);
        registry.adjudicate_received(month_end, &|_| {}).await?;
        let last_month = month.pred_opt().expect("a day before");
        if last_month >= from {
            let period = format!("{:04}-{:02}", last_month.year(), last_month.month());
            // The machine's account proposes and releases: segregation binds users only.
            let proposed = registry.propose_payment_run(&period).await?;
            if let Some(run) = proposed.run {
                let paid = registry.release_payment_run(&run, month_end).await?;
                payments += paid.payments.len();
            }
        }
        progress.inc();
        month = add_months(month, 1);
    }
    progress.done();
    Ok(payments)
}

/// Loads a synthetic scheme's files into the database through the ordinary import checks:
/// the scheme, each registry file (all or nothing), then the claims, received but not judged.
pub async fn load(registry: &Registry, scheme: SchemeDefinition, dir: &Path) -> Result<()> {
    let progress = Progress::counting("importing", "rows");
    let handle = progress.clone();
    let loaded = carepool_io::load_directory(
        registry,
        scheme,
        dir,
        Arc::new(move |kind, n| handle.at(&format!("importing {kind}"), n)),
    )
    .await;
    progress.end(loaded.is_ok());
    loaded?;
    Ok(())
}
