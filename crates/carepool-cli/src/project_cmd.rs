//! `carepool project`: the projection and its stress tests from an assumptions file, written as
//! JSON, CSV, XLSX or HTML. See docs/PROJECTION.md.

use crate::output::outln;
use anyhow::{Context, Result, anyhow};
use carepool_io::report;
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
    /// Where to write: .json, .csv, .xlsx or .html.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: &ProjectArgs) -> Result<()> {
    report::Format::of_path(&args.out)?;
    let Some(assumptions) = &args.assumptions else {
        let path = args
            .costing
            .as_ref()
            .expect("one of the two, as clap checks");
        return costing(path, &args.out);
    };
    let file = carepool_io::projection_file::read_projection_file(assumptions)?;
    let tests = file
        .run()
        .map_err(|error| anyhow!("{error}"))
        .with_context(|| assumptions.display().to_string())?;
    let report = carepool_io::projection_report::projection_report(&tests);
    let written = report::write(&report, &tests, &args.out)?;
    let (low, high) = tests.range;
    let base = &tests.base;
    outln!(
        "level premium {:.2} per member ({:.2} per family) over {} years; stress tests {low:.2} to {high:.2}; refund {:.0}",
        base.level_premium_per_member,
        base.level_premium_per_family,
        base.reserve.len(),
        base.refund
    );
    for path in written {
        outln!("written: {}", path.display());
    }
    Ok(())
}

fn costing(path: &Path, out: &Path) -> Result<()> {
    let file = carepool_io::projection_file::read_costing_file(path)?;
    let rows = file
        .run()
        .map_err(|error| anyhow!("{error}"))
        .with_context(|| path.display().to_string())?;
    let report = carepool_io::projection_report::costing_report(&rows);
    let written = report::write(&report, &rows, out)?;
    if let (Some(first), Some(last)) = (rows.first(), rows.last()) {
        outln!(
            "{} to {}: cost {:.0} ({:.2}% of GDP) to {:.0} ({:.2}% of GDP); financing gap in {} {:.0}",
            first.year,
            last.year,
            first.total_cost,
            first.share_of_gdp * 100.0,
            last.total_cost,
            last.share_of_gdp * 100.0,
            last.year,
            last.financing_gap
        );
    }
    for path in written {
        outln!("written: {}", path.display());
    }
    Ok(())
}
