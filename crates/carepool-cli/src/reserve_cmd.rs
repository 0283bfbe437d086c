//! `carepool reserve`: IBNR and RBNP from the live database, a claims extract or a triangle file,
//! written as JSON, CSV, XLSX or HTML. See docs/RESERVING.md.

use crate::report_out::ReportOut;
use anyhow::{Context, Result, anyhow};
use carepool_actuarial::{ClaimDates, Measure, Period, Reserve, ReserveError, ReserveStudy};
use carepool_core::registry::FieldError;
use carepool_io::report::grouped;
use carepool_io::reserve_files::{self, Values};
use carepool_service::reserving::ReserveOptions;
use carepool_service::{Registry, ServiceError};
use chrono::NaiveDate;
use clap::Args;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ReserveArgs {
    /// A claims extract (CSV) instead of the database: incurred_date, received_date, paid_date
    /// and an amount; `carepool export claims` writes one.
    #[arg(long, conflicts_with = "triangle")]
    pub claims: Option<PathBuf>,
    /// A triangle (CSV, long or wide) instead of the database.
    #[arg(long)]
    pub triangle: Option<PathBuf>,
    /// The triangle file holds each period's own values, not cumulative ones.
    #[arg(long, requires = "triangle")]
    pub incremental: bool,
    /// chain-ladder, mack, bf, benktander or cape-cod.
    #[arg(long, default_value = "mack")]
    pub method: String,
    /// The last development's sigma for mack: mack (Mack's rule) or log-linear.
    #[arg(long)]
    pub sigma: Option<String>,
    /// Origin period: month, quarter or year [default: quarter].
    #[arg(long, conflicts_with = "triangle")]
    pub origin: Option<String>,
    /// Development by reported or paid date [default: reported].
    #[arg(long)]
    pub development: Option<String>,
    /// amount or count [default: amount].
    #[arg(long, conflicts_with = "triangle")]
    pub measure: Option<String>,
    /// The claims extract's amount column [default: approved].
    #[arg(long, requires = "claims")]
    pub amount: Option<String>,
    /// What is known on this date [default: today for the database, the last date in a claims
    /// extract].
    #[arg(long, conflicts_with = "triangle")]
    pub valuation: Option<NaiveDate>,
    /// volume, simple, or N: volume-weighted over the latest N origins [default: volume].
    #[arg(long)]
    pub average: Option<String>,
    /// Leave links out of the averages: ORIGIN:LAG, the lag the link starts from (repeat or
    /// separate by commas).
    #[arg(long, value_delimiter = ',')]
    pub exclude: Vec<String>,
    /// A tail factor beyond the last development [default: 1].
    #[arg(long)]
    pub tail: Option<f64>,
    /// Earned premium per origin (CSV: origin,exposure), for bf, benktander and cape-cod.
    #[arg(long)]
    pub exposure: Option<PathBuf>,
    /// The a priori loss ratio, for bf and benktander (0.75 for 75%).
    #[arg(long)]
    pub loss_ratio: Option<f64>,
    /// Benktander's iterations [default: 2].
    #[arg(long)]
    pub iterations: Option<u32>,
    #[command(flatten)]
    pub report: ReportOut,
}

/// A file the study reads instead of the database.
pub enum FileSource<'a> {
    Triangle(&'a Path),
    Claims(&'a Path),
}

impl ReserveArgs {
    /// The file to read, if one is given; without one, the study reads the database.
    pub fn file_source(&self) -> Option<FileSource<'_>> {
        match (&self.triangle, &self.claims) {
            (Some(path), _) => Some(FileSource::Triangle(path)),
            (None, Some(path)) => Some(FileSource::Claims(path)),
            (None, None) => None,
        }
    }

    fn options(&self) -> Result<ReserveOptions> {
        let exposure = match &self.exposure {
            Some(path) => Some(reserve_files::read_exposure(path)?),
            None => None,
        };
        Ok(ReserveOptions {
            method: Some(self.method.clone()),
            sigma: self.sigma.clone(),
            origin: self.origin.clone(),
            development: self.development.clone(),
            measure: self.measure.clone(),
            valuation: self.valuation,
            average: self.average.clone(),
            exclude: self.exclude.clone(),
            tail: self.tail,
            loss_ratio: self.loss_ratio,
            iterations: self.iterations,
            exposure,
        })
    }
}

/// A wrong option, named as the command line spells it.
fn flag_error(error: FieldError) -> anyhow::Error {
    let flag = error.field.replace('_', "-");
    let hint = match error.field {
        "loss_ratio" => " (give --loss-ratio)",
        "exposure" => " (give --exposure FILE, with columns origin,exposure)",
        _ => "",
    };
    anyhow!("--{flag}: {}{hint}", error.message)
}

/// The options, every one checked before anything is read.
struct Checked {
    options: ReserveOptions,
    study: ReserveStudy,
    period: Period,
    measure: Measure,
}

fn check(args: &ReserveArgs) -> Result<Checked> {
    args.report.output()?;
    let options = args.options()?;
    Ok(Checked {
        study: options.study().map_err(flag_error)?,
        period: options.period().map_err(flag_error)?,
        measure: options.measure().map_err(flag_error)?,
        options,
    })
}

/// The study on a claims extract or a triangle file; no database is opened.
pub fn run_on_file(args: &ReserveArgs, source: FileSource<'_>) -> Result<()> {
    let Checked {
        options,
        study,
        period,
        measure,
    } = check(args)?;
    let reserve = match source {
        FileSource::Triangle(path) => {
            let values = match args.incremental {
                true => Values::Incremental,
                false => Values::Cumulative,
            };
            let triangle = reserve_files::read_triangle(path, values)?;
            study
                .fit(&triangle, None)
                .map_err(|error| file_study_error(error, args))?
        }
        FileSource::Claims(path) => {
            let amount = args.amount.as_deref().unwrap_or("approved");
            let extract = reserve_files::read_claims_extract(path, amount)?;
            let valuation = (options.valuation)
                .or_else(|| last_date(&extract.claims))
                .with_context(|| format!("{}: no claim to reserve on", path.display()))?;
            let mut reserve = study
                .fit_claims(&extract.claims, period, measure, valuation)
                .map_err(|error| file_study_error(error, args))?;
            reserve.warnings.splice(0..0, extract.warnings);
            reserve
        }
    };
    // A file does not say its currency.
    finish(&reserve, &args.report, None)
}

/// A problem of the exposure (`about_exposure`, its message) is the `--exposure` file's: the
/// error names it.
fn naming_the_exposure_file(
    args: &ReserveArgs,
    about_exposure: Option<String>,
    error: anyhow::Error,
) -> anyhow::Error {
    match (about_exposure, &args.exposure) {
        (Some(message), Some(path)) => anyhow::anyhow!("{}: {message}", path.display()),
        _ => error,
    }
}

/// The file study's error, with the exposure file named when an origin is missing from it.
fn file_study_error(error: ReserveError, args: &ReserveArgs) -> anyhow::Error {
    let about_exposure =
        matches!(error, ReserveError::MissingExposure { .. }).then(|| error.to_string());
    naming_the_exposure_file(args, about_exposure, error.into())
}

/// The study on every claim in the database.
pub async fn run_on_database(args: &ReserveArgs, registry: &Registry) -> Result<()> {
    let checked = check(args)?;
    let today = chrono::Local::now().date_naive();
    let reserve = registry
        .reserve(&checked.options, today)
        .await
        .map_err(|error| {
            let about_exposure = match &error {
                ServiceError::Invalid(problems) => problems
                    .iter()
                    .find(|p| p.column.as_deref() == Some("exposure"))
                    .map(|p| p.message.clone()),
                _ => None,
            };
            naming_the_exposure_file(args, about_exposure, error.into())
        })?;
    let currency = registry.currency().await?;
    finish(&reserve, &args.report, currency.as_deref())
}

/// Writes the report and says what it found and where it wrote.
fn finish(reserve: &Reserve, out: &ReportOut, currency: Option<&str>) -> Result<()> {
    let report = carepool_io::reserve_report::reserve_report(reserve, currency);
    let written = out.write(&report, reserve)?;
    out.say(&summary(reserve, currency));
    for warning in &reserve.warnings {
        eprintln!("warning: {warning}");
    }
    out.said_written(written);
    Ok(())
}

/// The last day anything happened in the extract: what it knows.
fn last_date(claims: &[ClaimDates]) -> Option<NaiveDate> {
    claims
        .iter()
        .flat_map(|c| [Some(c.reported), c.paid])
        .flatten()
        .max()
}

/// The totals in a line, grouped, in the currency when it is known:
/// `mack on reported development (XOF): ultimate 1,234,567, reserve ...`.
fn summary(reserve: &Reserve, currency: Option<&str>) -> String {
    let total = &reserve.total;
    let shown = |value: f64| grouped(value, 0);
    let unit = match (currency, reserve.counts_claims()) {
        (_, true) => " (counts of claims)".to_string(),
        (Some(currency), false) => format!(" ({currency})"),
        (None, false) => String::new(),
    };
    let mut line = format!(
        "{} on {} development{unit}: ultimate {}, reserve {}",
        reserve.method,
        reserve.development,
        shown(total.ultimate),
        shown(total.reserve)
    );
    if let Some(ibnr) = total.ibnr {
        line.push_str(&format!(", IBNR {}", shown(ibnr)));
    }
    if let Some(rbnp) = total.rbnp {
        line.push_str(&format!(", RBNP {}", shown(rbnp)));
    }
    if let Some(owed) = reserve.still_owed() {
        line.push_str(&format!(", still owed (IBNR + RBNP) {}", shown(owed)));
    }
    if let Some(se) = total.standard_error {
        line.push_str(&format!(
            ", standard error {} (last sigma: {})",
            shown(se),
            reserve.sigma_rule.unwrap_or("-")
        ));
    }
    line
}
