//! `carepool project`: the projection and its stress tests from an assumptions file, written as
//! JSON, CSV, XLSX or HTML. See docs/PROJECTION.md.

use crate::report_out::ReportOut;
use anyhow::{Context, Result, anyhow};
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
    let report = carepool_io::projection_report::projection_report(&tests);
    let written = args.report.write(&report, &tests)?;
    let (low, high) = tests.range;
    let base = &tests.base;
    args.report.say(&format!(
        "level premium {:.2} per member ({:.2} per family) over {} years; stress tests {low:.2} to {high:.2}; refund {:.0}",
        base.level_premium_per_member,
        base.level_premium_per_family,
        base.reserve.len(),
        base.refund
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
    let report = carepool_io::projection_report::costing_report(&rows);
    let written = out.write(&report, &rows)?;
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        out.say(&format!(
            "{} to {}: cost {:.0} ({:.2}% of GDP) to {:.0} ({:.2}% of GDP); financing gap in {} {:.0}",
            first.year,
            last.year,
            first.total_cost,
            first.share_of_gdp * 100.0,
            last.total_cost,
            last.share_of_gdp * 100.0,
            last.year,
            last.financing_gap
        ));
    }
    out.said_written(written);
    Ok(())
}
