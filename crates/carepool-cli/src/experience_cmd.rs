//! `carepool experience`: the experience study on the live database or on extracts; and
//! `carepool glm`: a GLM on any table of cells. See docs/EXPERIENCE.md.

use crate::progress::Progress;
use crate::report_out::ReportOut;
use anyhow::{Result, anyhow, bail};
use carepool_actuarial::experience::{Experience, ExperienceData};
use carepool_actuarial::{Family, Glm, Link, Named};
use carepool_core::registry::FieldError;
use carepool_io::experience_files::{self, Extracts};
use carepool_io::glm_file::{self, GlmColumns};
use carepool_io::report::grouped;
use carepool_service::Registry;
use carepool_service::experience::{ExperienceOptions, study_error};
use carepool_service::options::named;
use chrono::NaiveDate;
use clap::Args;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Args)]
pub struct ExperienceArgs {
    /// A members extract (CSV) instead of the database: id, and optionally family_id, sex,
    /// birth_date, status, status_since, area, location_code, start_date, end_date.
    #[arg(long, requires = "claims")]
    pub members: Option<PathBuf>,
    /// Enrolment periods (CSV: member_id, start_date, end_date), several per member.
    #[arg(long, requires = "members")]
    pub coverage: Option<PathBuf>,
    /// A claims extract (CSV, the columns of `carepool export claims`).
    #[arg(long, requires = "members")]
    pub claims: Option<PathBuf>,
    /// The providers file (CSV: code, ownership), for public and private facilities.
    #[arg(long, requires = "members")]
    pub providers: Option<PathBuf>,
    /// The families file (CSV: id, location_code), with --locations: where each member lives,
    /// for a members file without area and location_code columns (a registry export).
    #[arg(long, requires_all = ["members", "locations"])]
    pub families: Option<PathBuf>,
    /// The locations file (CSV: code, kind, parent_code, area), with --families.
    #[arg(long, requires = "families")]
    pub locations: Option<PathBuf>,
    /// The scheme studied (database only) [default: every family].
    #[arg(long, conflicts_with = "members")]
    pub scheme: Option<String>,
    /// First day of the study [default: 1 January two years before --to].
    #[arg(long)]
    pub from: Option<NaiveDate>,
    /// Last day of the study [default: today].
    #[arg(long)]
    pub to: Option<NaiveDate>,
    /// Split exposure by year or month [default: year].
    #[arg(long)]
    pub split: Option<String>,
    /// Starts of the age bands, e.g. 0,5,15,25,45,65.
    #[arg(long, value_delimiter = ',')]
    pub age_bands: Option<Vec<u32>>,
    /// Starts of the duration bands in months since enrolment, e.g. 0,3,6,12,24.
    #[arg(long, value_delimiter = ',')]
    pub duration_bands: Option<Vec<u32>>,
    /// Base levels, e.g. sex=M,age=25-44 [default: the level with the most exposure].
    #[arg(long, value_delimiter = ',')]
    pub base: Vec<String>,
    /// The GLMs' factors, from age, sex, area, duration, period [default: age,sex,area].
    #[arg(long, value_delimiter = ',')]
    pub glm_factors: Option<Vec<String>>,
    #[command(flatten)]
    pub report: ReportOut,
}

/// FACTOR=LEVEL pairs, as --base gives them.
fn pairs(flag: &str, given: &[String]) -> Result<BTreeMap<String, String>> {
    given
        .iter()
        .map(|pair| match pair.split_once('=') {
            Some((name, level)) => Ok((name.to_string(), level.to_string())),
            None => bail!("--{flag}: '{pair}' is not FACTOR=LEVEL"),
        })
        .collect()
}

/// A wrong option, named as the command line spells it.
fn flag_error(error: FieldError) -> anyhow::Error {
    anyhow!("--{}: {}", error.field.replace('_', "-"), error.message)
}

impl ExperienceArgs {
    fn options(&self) -> Result<ExperienceOptions> {
        Ok(ExperienceOptions {
            scheme: self.scheme.clone(),
            from: self.from,
            to: self.to,
            split: self.split.clone(),
            age_bands: self.age_bands.clone(),
            duration_bands: self.duration_bands.clone(),
            base: pairs("base", &self.base)?,
            glm_factors: self.glm_factors.clone(),
        })
    }

    /// The extracts to read, if given; without them, the study reads the database.
    pub fn extracts(&self) -> Option<Extracts<'_>> {
        Some(Extracts {
            members: self.members.as_deref()?,
            coverage: self.coverage.as_deref(),
            claims: self.claims.as_deref()?,
            providers: self.providers.as_deref(),
            families: self.families.as_deref(),
            locations: self.locations.as_deref(),
        })
    }
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// The study on extracts; no database is opened.
pub fn run_on_files(args: &ExperienceArgs, extracts: Extracts) -> Result<()> {
    args.report.output()?;
    let study = args.options()?.study(today()).map_err(flag_error)?;
    study.check().map_err(study_error)?;
    let progress = Progress::counting("reading", "lines");
    let handle = progress.clone();
    let data = experience_files::read_extracts(extracts, study.to, &move |path: &Path, n| {
        handle.at(&format!("reading {}", path.display()), n);
    });
    progress.end(data.is_ok());
    let data: ExperienceData = data?;
    let studying = Progress::waiting(&format!(
        "studying {} members and {} claims",
        data.member_count(),
        data.claim_count()
    ));
    let experience = study.run(&data);
    studying.end(experience.is_ok());
    let experience = experience.map_err(study_error)?;
    finish(&experience, &args.report, None)
}

/// The study on the database.
pub async fn run_on_database(args: &ExperienceArgs, registry: &Registry) -> Result<()> {
    args.report.output()?;
    let options = args.options()?;
    options.study(today()).map_err(flag_error)?;
    let progress = Progress::waiting("reading the database and studying");
    let experience = registry.experience(&options, today()).await;
    progress.end(experience.is_ok());
    let currency = registry.currency().await?;
    finish(&experience?, &args.report, currency.as_deref())
}

fn finish(experience: &Experience, out: &ReportOut, currency: Option<&str>) -> Result<()> {
    let report = carepool_io::experience_report::experience_report(experience, currency);
    let written = out.write(&report, experience)?;
    let summary = &experience.summary;
    let rates = &summary.rates;
    let shown = |value: Option<f64>| value.map_or("-".to_string(), |v| grouped(v, 2));
    out.say(&format!(
        "{} member-years ({} pending), {} claims: {} per 1,000 members a year, average cost {}, risk cost {} per member-year, {} per family-year{}",
        grouped(rates.exposure, 1),
        grouped(summary.pending_exposure, 1),
        grouped(rates.claims as f64, 0),
        shown(rates.incidence_per_1000),
        shown(rates.average_cost),
        shown(rates.risk_cost),
        shown(summary.risk_cost_per_family),
        currency.map_or(String::new(), |c| format!(" ({c})")),
    ));
    if let Some(note) = experience.data_end_note() {
        out.say(&format!("note: {note}"));
    }
    for note in &experience.glm.notes {
        out.say(&format!("note: {note}"));
    }
    out.said_written(written);
    Ok(())
}

#[derive(Args)]
pub struct GlmArgs {
    /// The table (CSV), one row per observation or cell.
    #[arg(long)]
    pub data: PathBuf,
    /// The response column: claims (poisson) or average cost (gamma).
    #[arg(long)]
    pub response: String,
    /// An exposure column: its log is the offset.
    #[arg(long)]
    pub exposure: Option<String>,
    /// A prior weights column (claim counts, for a severity model).
    #[arg(long)]
    pub weights: Option<String>,
    /// Categorical factors, e.g. age,sex,area.
    #[arg(long, value_delimiter = ',')]
    pub factors: Vec<String>,
    /// Numeric covariates.
    #[arg(long, value_delimiter = ',')]
    pub covariates: Vec<String>,
    /// poisson or gamma.
    #[arg(long)]
    pub family: String,
    /// log, inverse or identity [default: log].
    #[arg(long)]
    pub link: Option<String>,
    /// Base levels, e.g. sex=M,age=25-44 [default: the first level met in the file].
    #[arg(long, value_delimiter = ',')]
    pub base: Vec<String>,
    /// Fit rows with the same level of every factor as one: counts and exposures added, a
    /// weighted response averaged by its weights (a study's cells refitted by its GLM's
    /// factors give its own model).
    #[arg(long)]
    pub group: bool,
    #[command(flatten)]
    pub report: ReportOut,
}

pub fn glm(args: &GlmArgs) -> Result<()> {
    args.report.output()?;
    let family = named("family", Some(&args.family), Family::Poisson).map_err(flag_error)?;
    if args.group && args.weights.is_none() && family != Family::Poisson {
        bail!(
            "--group without --weights adds up the response, as counts are (poisson); an average (a cost per claim) is averaged by its --weights"
        );
    }
    let link = named("link", args.link.as_deref(), Link::Log).map_err(flag_error)?;
    let columns = GlmColumns {
        response: args.response.clone(),
        exposure: args.exposure.clone(),
        weights: args.weights.clone(),
        factors: args.factors.clone(),
        covariates: args.covariates.clone(),
        base: pairs("base", &args.base)?,
        group: args.group,
    };
    let cells = glm_file::read_glm_data(&args.data, &columns)?;
    if cells.skipped_empty > 0 {
        args.report.say(&format!(
            "{}: {} cell(s) with nothing to fit (no exposure and a response of 0, or a weight of 0) left out",
            args.data.display(),
            cells.skipped_empty
        ));
    }
    let fit = Glm::new(family, link)
        .fit(&cells.data)
        .map_err(|error| anyhow!("{}: {error}", args.data.display()))?;
    let report = carepool_io::experience_report::glm_report(&fit, &args.data.display().to_string());
    let written = args.report.write(&report, &fit)?;
    args.report.say(&format!(
        "{} GLM, {} link: {} coefficients, deviance {:.4} on {} degrees of freedom, AIC {:.2}",
        family.name(),
        link.name(),
        fit.coefficients.len(),
        fit.deviance,
        fit.df_residual,
        fit.aic
    ));
    args.report.said_written(written);
    Ok(())
}
