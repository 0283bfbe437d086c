//! `carepool project`: the projection and its stress tests from an assumptions file, written as
//! JSON, CSV, XLSX or HTML. See docs/PROJECTION.md.

use crate::explain::amounts_in;
use crate::report_out::ReportOut;
use anyhow::{Context, Result, anyhow};
use carepool_io::report::grouped;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ProjectArgs {
    /// The assumptions (TOML, or an XLSX workbook); see docs/PROJECTION.md and
    /// examples/projection/.
    #[arg(long, required_unless_present = "costing", conflicts_with = "costing")]
    pub assumptions: Option<PathBuf>,
    /// A national costing (TOML) instead: population, coverage ramp, per-capita costs, economy.
    #[arg(long)]
    pub costing: Option<PathBuf>,
    #[command(flatten)]
    pub report: ReportOut,
}

pub fn run(args: &ProjectArgs) -> Result<()> {
    args.report.output()?;
    let Some(assumptions) = &args.assumptions else {
        let path = args
            .costing
            .as_ref()
            .expect("one of the two, as clap checks");
        return costing(path, &args.report);
    };
    let file = carepool_io::projection_file::read_projection_file(assumptions)?;
    let tests = file
        .run()
        .map_err(|error| anyhow!("{error}"))
        .with_context(|| assumptions.display().to_string())?;
    let currency = file.currency.as_deref();
    let report = carepool_io::projection_report::projection_report(&tests, currency);
    let written = args.report.write(&report, &tests)?;
    let (low, high) = tests.range;
    let (family_low, family_high) = tests.range_per_family;
    let base = &tests.base;
    args.report.say(&format!(
        "level premium {} per member ({} per family) over {} years; stress tests {} to {} ({} to {} per family); refund {}{}",
        grouped(base.level_premium_per_member, 2),
        grouped(base.level_premium_per_family, 2),
        base.reserve.len(),
        grouped(low, 2),
        grouped(high, 2),
        grouped(family_low, 2),
        grouped(family_high, 2),
        grouped(base.refund, 0),
        amounts_in(currency)
    ));
    args.report.said_written(written);
    Ok(())
}

fn costing(path: &Path, out: &ReportOut) -> Result<()> {
    let file = carepool_io::projection_file::read_costing_file(path)?;
    let rows = file
        .run()
        .map_err(|error| anyhow!("{error}"))
        .with_context(|| path.display().to_string())?;
    let currency = file.currency.as_deref();
    let report = carepool_io::projection_report::costing_report(&rows, currency);
    let written = out.write(&report, &rows)?;
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        out.say(&format!(
            "{} to {}: cost {} ({:.2}% of GDP) to {} ({:.2}% of GDP); financing gap in {} {}{}",
            first.year,
            last.year,
            grouped(first.total_cost, 0),
            first.share_of_gdp * 100.0,
            grouped(last.total_cost, 0),
            last.share_of_gdp * 100.0,
            last.year,
            grouped(last.financing_gap, 0),
            amounts_in(currency)
        ));
    }
    out.said_written(written);
    Ok(())
}
