//! `carepool providers benchmark`: each facility's claims against its peers', flagged where a
//! reviewer should look (docs/INDICATORS.md, "Provider benchmarking").

use crate::progress::Progress;
use crate::report_out::ReportOut;
use anyhow::{Result, anyhow};
use carepool_io::benchmark_report::benchmark_report;
use carepool_service::benchmark::BenchmarkOptions;
use carepool_service::{Registry, Scope};
use chrono::NaiveDate;
use clap::{Args, Subcommand};

#[derive(Subcommand)]
pub enum ProvidersCommand {
    /// Compare facilities on case-mix adjusted cost per case and length of stay, the mix of
    /// lines billed, co-payments from exempt members, duplicates and rejections; write the
    /// flags with their evidence and a funnel plot per measure.
    Benchmark(Box<BenchmarkArgs>),
}

#[derive(Args)]
pub struct BenchmarkArgs {
    /// First day of care [default: a year before --to].
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// Last day of care [default: the last day of the last whole month].
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// Only the facilities under this location (their peers stay every facility).
    #[arg(long)]
    pub district: Option<String>,
    #[command(flatten)]
    pub report: ReportOut,
}

pub async fn run(command: ProvidersCommand, registry: &Registry) -> Result<()> {
    let ProvidersCommand::Benchmark(args) = command;
    args.report.output()?;
    let options = BenchmarkOptions {
        from: args.from,
        to: args.to,
        district: args.district.clone(),
    };
    let today = registry.today();
    options
        .days(today)
        .map_err(|error| anyhow!("--{}: {}", error.field, error.message))?;
    let progress = Progress::waiting("reading the claims and comparing the facilities");
    // The machine's account sees every facility.
    let found = registry
        .benchmark_providers(&options, &Scope::National, today)
        .await;
    progress.end(found.is_ok());
    let found = found?;
    let report = benchmark_report(&found);
    let written = args.report.write(&report, &found)?;
    let facilities = &found.benchmark.facilities;
    let flagged: Vec<String> = (facilities.iter())
        .filter(|f| !f.flags.is_empty())
        .map(|f| format!("{} ({})", f.facility, f.flags.join(", ")))
        .collect();
    args.report.say(&format!(
        "{} facilities compared on the care of {} to {}; {} flagged at a false discovery rate of {}: {}",
        facilities.len(),
        found.from,
        found.to,
        flagged.len(),
        found.benchmark.false_discovery_rate,
        if flagged.is_empty() {
            "none".to_string()
        } else {
            flagged.join("; ")
        }
    ));
    args.report.said_written(written);
    Ok(())
}
