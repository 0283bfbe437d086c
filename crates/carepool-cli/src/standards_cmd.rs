//! `carepool standards`: the scheme's package in force against the ILO's standards on medical
//! care, point by point (docs/STANDARDS.md).

use crate::report_out::ReportOut;
use anyhow::{Result, anyhow};
use carepool_core::standards::{Protected, Verdict};
use carepool_io::standards_report::standards_report;
use carepool_service::Registry;
use carepool_service::standards::standards_report as check_scheme;
use chrono::NaiveDate;
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct StandardsArgs {
    /// The scheme: its code in the database, or its file (TOML), checked without a database.
    #[arg(long)]
    pub scheme: String,
    /// The package checked [default: the scheme's first].
    #[arg(long)]
    pub package: Option<String>,
    /// The day whose version of the rules is checked, and whose cover is counted [default:
    /// today].
    #[arg(long)]
    pub as_of: Option<NaiveDate>,
    /// The people covered, with --target: instead of the database's count.
    #[arg(long, requires = "target")]
    pub covered: Option<u64>,
    /// The population measured against: the residents (docs/STANDARDS.md), with --covered.
    #[arg(long, requires = "covered")]
    pub target: Option<u64>,
    #[command(flatten)]
    pub report: ReportOut,
}

impl StandardsArgs {
    /// The scheme file, when --scheme names one: no database is opened.
    pub fn file(&self) -> Option<PathBuf> {
        let path = PathBuf::from(&self.scheme);
        (path.extension().is_some_and(|e| e == "toml")).then_some(path)
    }

    fn given(&self) -> Option<Protected> {
        Some(Protected {
            covered: self.covered?,
            target: self.target?,
        })
    }
}

/// The check of a scheme file, with the coverage given if any.
pub fn run_on_file(args: &StandardsArgs, today: NaiveDate) -> Result<()> {
    args.report.output()?;
    let path = args.file().expect("called for a file");
    let scheme = carepool_io::read_scheme_file(&path)?;
    if let Err(problems) = scheme.validate() {
        let said: Vec<String> = problems
            .iter()
            .map(|p| format!("{}: {}", p.path, p.message))
            .collect();
        return Err(anyhow!("{}: {}", path.display(), said.join("; ")));
    }
    let as_of = args.as_of.unwrap_or(today);
    let found = check_scheme(&[scheme], args.package.as_deref(), as_of, args.given())
        .map_err(|e| anyhow!("--{}: {}", e.field, e.message))?;
    write(args, &found)
}

/// The check of a scheme loaded in the database, with its coverage counted there unless given.
pub async fn run_on_database(args: &StandardsArgs, registry: &Registry) -> Result<()> {
    args.report.output()?;
    let today = registry.today();
    let as_of = args.as_of.unwrap_or(today);
    let versions = registry.scheme_versions(&args.scheme).await?;
    if versions.is_empty() {
        return Err(anyhow!("--scheme: no scheme '{}' is loaded", args.scheme));
    }
    let protected = match args.given() {
        Some(given) => Some(given),
        None => registry.protected(&args.scheme, as_of).await?,
    };
    let found = check_scheme(&versions, args.package.as_deref(), as_of, protected)
        .map_err(|e| anyhow!("--{}: {}", e.field, e.message))?;
    write(args, &found)
}

fn write(args: &StandardsArgs, found: &carepool_core::standards::StandardsReport) -> Result<()> {
    let count = |v: Verdict| found.points.iter().filter(|p| p.verdict == v).count();
    args.report.say(&format!(
        "{} package {}: {} points met, {} not met, {} cannot tell from the data",
        found.scheme,
        found.package,
        count(Verdict::Met),
        count(Verdict::NotMet),
        count(Verdict::CannotTell)
    ));
    let written = args.report.write(&standards_report(found), found)?;
    args.report.said_written(written);
    Ok(())
}
