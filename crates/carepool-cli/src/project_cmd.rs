//! `carepool project`: the projection and its stress tests from an assumptions file, written as
//! JSON, CSV, XLSX or HTML. See docs/PROJECTION.md.

use anyhow::{Context, Result, anyhow};
use carepool_io::report;
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct ProjectArgs {
    /// The assumptions (TOML); see docs/PROJECTION.md and examples/projection/.
    #[arg(long)]
    pub assumptions: PathBuf,
    /// Where to write: .json, .csv, .xlsx or .html.
    #[arg(long)]
    pub out: PathBuf,
}

pub fn run(args: &ProjectArgs) -> Result<()> {
    report::Format::of_path(&args.out)?;
    let file = carepool_io::projection_file::read_projection_file(&args.assumptions)?;
    let tests = file
        .run()
        .map_err(|error| anyhow!("{error}"))
        .with_context(|| args.assumptions.display().to_string())?;
    let report = carepool_io::projection_report::projection_report(&tests);
    let written = report::write(&report, &tests, &args.out)?;
    let (low, high) = tests.range;
    let base = &tests.base;
    println!(
        "level premium {:.2} per member ({:.2} per family) over {} years; stress tests {low:.2} to {high:.2}; refund {:.0}",
        base.level_premium_per_member,
        base.level_premium_per_family,
        base.reserve.len(),
        base.refund
    );
    for path in written {
        println!("written: {}", path.display());
    }
    Ok(())
}
