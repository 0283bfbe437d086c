//! `carepool reform`: a proposed version of the scheme file priced on the scheme's own claims,
//! judged again under it and under the rules in force; nothing is written. See
//! docs/PROJECTION.md, "A reform priced on the scheme's own claims".

use crate::explain::amounts_in;
use crate::progress::Progress;
use crate::report_out::ReportOut;
use anyhow::{Context, Result, bail};
use carepool_actuarial::reform::{ReformLine, new_benefit};
use carepool_io::reform_report::reform_report;
use carepool_io::report::grouped;
use carepool_service::Registry;
use chrono::NaiveDate;
use clap::Args;
use std::path::PathBuf;

#[derive(Args)]
pub struct ReformArgs {
    /// The proposed version of the scheme file (TOML, docs/FORMATS.md): its code names the
    /// scheme whose claims are judged.
    #[arg(long)]
    pub scheme: PathBuf,
    /// Where the proposal's tariff_file entries are found, instead of the file's own folder.
    #[arg(long, value_name = "DIR")]
    pub tariff_folder: Option<PathBuf>,
    /// First day of care of the claims priced.
    #[arg(long)]
    pub from: NaiveDate,
    /// Last day of care of the claims priced.
    #[arg(long)]
    pub to: NaiveDate,
    #[command(flatten)]
    pub report: ReportOut,
}

pub async fn run(args: &ReformArgs, registry: &Registry) -> Result<()> {
    args.report.output()?;
    if args.to < args.from {
        bail!("--to: {} is before --from, {}", args.to, args.from);
    }
    let proposed =
        carepool_io::read_scheme_file_with_tariffs(&args.scheme, args.tariff_folder.as_deref())?;
    let progress = Progress::counting(
        "judging the claims under the rules and the proposal",
        "claims",
    );
    let handle = progress.clone();
    let found = registry
        .price_reform(proposed, args.from, args.to, &move |n| handle.set(n))
        .await;
    progress.end(found.is_ok());
    let mut found = found.with_context(|| format!("the proposal {}", args.scheme.display()))?;
    found.proposal = Some(args.scheme.display().to_string());
    let report = reform_report(&found);
    let written = args.report.write(&report, &found)?;
    let total = &found.total;
    let factor = |value: Option<f64>| value.map_or("-".into(), |v| format!("{v:.4}"));
    args.report.say(&format!(
        "{} claims of {} to {}: approved {} under the rules, {} under the proposal; {} claims decided otherwise; incidence factor {}, average cost factor {}{}",
        grouped(total.rules.claims as f64, 0),
        found.from,
        found.to,
        grouped(total.rules.approved.minor() as f64 / 100.0, 2),
        grouped(total.proposal.approved.minor() as f64 / 100.0, 2),
        grouped(total.changed_claims as f64, 0),
        factor(total.incidence_factor),
        factor(total.average_cost_factor),
        amounts_in(Some(&found.currency)),
    ));
    if found.contributions_kept {
        args.report.say(
            "the proposal's contributions differ from the scheme's: claims are judged with those the stored versions asked for",
        );
    }
    let unscaled = |line: &&ReformLine| line.average_cost_factor.is_none();
    for line in found.lines.iter().filter(unscaled) {
        args.report.say(&format!(
            "warning: line {}: {}",
            line.line,
            new_benefit(line.rules.paid_on, line.proposal.paid_on)
        ));
    }
    if found.differ_from_recorded > 0 {
        args.report.say(&format!(
            "warning: {} claims are decided otherwise by the rules as stored than as recorded (review, appeal, rules stored since)",
            grouped(found.differ_from_recorded as f64, 0)
        ));
    }
    args.report.said_written(written);
    Ok(())
}
