//! `carepool indicators`: the monthly watch of a scheme on the live database, written as JSON,
//! CSV, XLSX or HTML with a trend chart per indicator. See docs/INDICATORS.md.

use crate::progress::Progress;
use crate::report_out::ReportOut;
use anyhow::{Result, anyhow};
use carepool_io::indicators_report::{indicators_report, period_label};
use carepool_io::report::grouped;
use carepool_service::indicators::IndicatorOptions;
use carepool_service::{Registry, Scope};
use chrono::NaiveDate;
use clap::Args;

#[derive(Args)]
pub struct IndicatorsArgs {
    /// First day [default: the first of the month eleven months before --to's].
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// Last day [default: the last day of the last whole month].
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// The reporting period: month, quarter or year [default: month].
    #[arg(long)]
    pub by: Option<String>,
    /// Only this scheme's families [default: every family].
    #[arg(long)]
    pub scheme: Option<String>,
    /// Only the families living under this location (a district or any level).
    #[arg(long)]
    pub district: Option<String>,
    /// Only this facility's claims.
    #[arg(long)]
    pub provider: Option<String>,
    /// The months in a row outside its band that raise an early warning, 1 to 12 [default: 3].
    #[arg(long)]
    pub warn_after: Option<u32>,
    #[command(flatten)]
    pub report: ReportOut,
}

impl IndicatorsArgs {
    fn options(&self) -> IndicatorOptions {
        IndicatorOptions {
            from: self.from,
            to: self.to,
            by: self.by.clone(),
            scheme: self.scheme.clone(),
            district: self.district.clone(),
            provider: self.provider.clone(),
            warn_after: self.warn_after,
        }
    }
}

pub async fn run(args: &IndicatorsArgs, registry: &Registry) -> Result<()> {
    args.report.output()?;
    let options = args.options();
    let today = registry.today();
    options
        .days(today)
        .map_err(|error| anyhow!("--{}: {}", error.field, error.message))?;
    let progress = Progress::waiting("reading the database and counting");
    // The machine's account sees the whole registry.
    let found = (registry.indicators_with_grievances(&options, &Scope::National, today)).await;
    progress.end(found.is_ok());
    let found = found?;
    let facts: Vec<(String, String)> = [
        ("scheme", &found.scheme),
        ("district", &found.district),
        ("provider", &found.provider),
    ]
    .into_iter()
    .filter_map(|(name, value)| Some((name.to_string(), value.clone()?)))
    .collect();
    let indicators = &found.indicators;
    let report = indicators_report(
        indicators,
        &found.early_warning,
        found.grievances.as_ref(),
        facts,
        found.currency.as_deref(),
    );
    let written = args.report.write(&report, &found)?;
    if let Some(last) = indicators.periods.last() {
        let shown =
            |value: Option<f64>, decimals| value.map_or("-".into(), |v| grouped(v, decimals));
        let percent =
            |value: Option<f64>| value.map_or("-".into(), |v| format!("{:.1}%", v * 100.0));
        args.report.say(&format!(
            "{} periods from {} to {}; in {}: {} members in {} families, {} claims incurred ({} per 1,000 a year), collection rate {}, incurred claims ratio {}",
            indicators.periods.len(),
            indicators.from,
            indicators.to,
            period_label(indicators.by, last),
            grouped(last.membership.members as f64, 0),
            grouped(last.membership.families as f64, 0),
            grouped(last.claims.incurred as f64, 0),
            shown(last.claims.incidence_per_1000, 1),
            percent(last.contributions.collection_rate),
            percent(last.finance.incurred_claims_ratio),
        ));
    }
    for sentence in report.warnings.iter().chain(&report.notes) {
        args.report.say(&sentence.text);
    }
    if let Some(watch) = &found.early_warning.watch
        && !watch.warnings.iter().any(|w| w.open)
    {
        args.report.say(&format!(
            "early warning: {} months of {} lines checked against the premium basis, no warning open",
            watch.months_checked.len(),
            watch.lines.len()
        ));
    }
    args.report.said_written(written);
    Ok(())
}
