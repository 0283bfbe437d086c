//! `carepool project`: the projection and its stress tests from an assumptions file, written as
//! JSON, CSV, XLSX or HTML. See docs/PROJECTION.md.

use crate::explain::amounts_in;
use crate::progress::Progress;
use crate::report_out::ReportOut;
use anyhow::{Context, Result, anyhow, bail};
use carepool_io::report::grouped;
use carepool_service::Registry;
use carepool_service::experience::ExperienceOptions;
use carepool_service::projection::{
    ExperienceEntry, ProjectionFile, ProjectionWritten, ReformTaken, StudyRelativities,
};
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
    /// An experience study to take the base table, its date, the relativities, the population
    /// mix and the family size from: a study's JSON (`carepool experience --out FILE.json`), or
    /// `db` to run the study on the database (the file's [experience] says which).
    #[arg(long, conflicts_with = "costing")]
    pub experience: Option<String>,
    /// A reform priced on the scheme's claims (`carepool reform --out FILE.json`): each base
    /// table line's incidence and average cost multiplied by its factors.
    #[arg(long, conflicts_with = "costing")]
    pub reform: Option<PathBuf>,
    #[command(flatten)]
    pub report: ReportOut,
}

/// `--experience db`: the study is run on the database.
const ON_THE_DATABASE: &str = "db";

impl ProjectArgs {
    /// Whether the command opens the database: to run the experience study on it.
    pub fn studies_the_database(&self) -> bool {
        self.experience.as_deref() == Some(ON_THE_DATABASE)
    }
}

/// The projection from files alone (and the national costing).
pub fn run(args: &ProjectArgs) -> Result<()> {
    args.report.output()?;
    let Some(assumptions) = &args.assumptions else {
        let path = args
            .costing
            .as_ref()
            .expect("one of the two, as clap checks");
        return costing(path, &args.report);
    };
    let mut file = carepool_io::projection_file::read_projection_file(assumptions)?;
    match &args.experience {
        Some(study) => {
            let settings = file
                .experience
                .as_ref()
                .map(ExperienceEntry::study_settings);
            if let Some(setting) = settings.unwrap_or_default().first() {
                bail!(
                    "{}: {setting} chooses a study to run on the database (--experience db); {study} is a study already run",
                    assumptions.display()
                );
            }
            let value = carepool_io::projection_file::read_study(Path::new(study))?;
            take(&mut file, &value, study, assumptions)?;
        }
        None if file.experience.is_some() => bail!(
            "{}: [experience] says how to take an experience study: give it with --experience",
            assumptions.display()
        ),
        None => {}
    }
    take_reform(&mut file, args.reform.as_deref())?;
    project(&file, assumptions, &args.report, None)
}

/// The projection with the experience study run on the database (`--experience db`).
pub async fn run_on_database(args: &ProjectArgs, registry: &Registry) -> Result<()> {
    args.report.output()?;
    let assumptions = args
        .assumptions
        .as_ref()
        .expect("--experience conflicts with --costing");
    let mut file = carepool_io::projection_file::read_projection_file(assumptions)?;
    let settings = file.experience.clone().unwrap_or_default();
    let options = ExperienceOptions {
        scheme: settings.scheme.clone(),
        from: settings.from,
        to: settings.to,
        age_bands: settings.age_bands.clone(),
        ..ExperienceOptions::default()
    };
    let progress = Progress::waiting("reading the database and studying");
    let experience = registry
        .experience(&options, chrono::Local::now().date_naive())
        .await;
    progress.end(experience.is_ok());
    let study = serde_json::to_value(experience?)?;
    let name = match &settings.scheme {
        Some(scheme) => format!("the database, scheme {scheme}"),
        None => "the database".to_string(),
    };
    take(&mut file, &study, &name, assumptions)?;
    take_reform(&mut file, args.reform.as_deref())?;
    let currency = registry.currency().await?;
    project(&file, assumptions, &args.report, currency)
}

fn take(
    file: &mut ProjectionFile,
    study: &serde_json::Value,
    name: &str,
    assumptions: &Path,
) -> Result<()> {
    file.take_experience(study, name)
        .map_err(|error| anyhow!("at {}: {}", error.field, error.message))
        .with_context(|| assumptions.display().to_string())
}

/// The reform's factors, when `--reform` gives them.
fn take_reform(file: &mut ProjectionFile, reform: Option<&Path>) -> Result<()> {
    let Some(path) = reform else {
        return Ok(());
    };
    let value = carepool_io::projection_file::read_reform(path)?;
    let taken = ReformTaken::read(&value, &path.display().to_string())
        .map_err(|error| anyhow!("{}", error.message))?;
    file.take_reform(taken)
        .map_err(|error| anyhow!("{}", error.message))
}

fn project(
    file: &ProjectionFile,
    assumptions: &Path,
    out: &ReportOut,
    scheme_currency: Option<String>,
) -> Result<()> {
    let tests = file
        .run()
        .map_err(|error| anyhow!("{error}"))
        .with_context(|| assumptions.display().to_string())?;
    let currency = file.currency.clone().or(scheme_currency);
    let currency = currency.as_deref();
    let projected = ProjectionWritten::of(file, &tests);
    let report = carepool_io::projection_report::projection_report(&projected, currency);
    let written = out.write(&report, &projected)?;
    let (low, high) = tests.range;
    let (family_low, family_high) = tests.range_per_family;
    let base = &tests.base;
    out.say(&format!(
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
    if let Some(study) = &file.taken {
        out.say(&format!(
            "from the experience study ({}, {} to {}): {} lines, base date {}, relativities from its {}, {} cells of the population",
            study.name,
            study.from,
            study.to,
            study.lines,
            file.base.date.map_or("-".into(), |d| d.to_string()),
            match study.relativities {
                StudyRelativities::Glm => "GLMs",
                StudyRelativities::OneWay => "one-way tables",
            },
            study.cells
        ));
    }
    if let Some(reform) = &file.reform {
        out.say(&format!(
            "with the reform {} (scheme {}, claims of {} to {}): its factors change {} lines",
            reform.name,
            reform.scheme,
            reform.from,
            reform.to,
            reform.lines_changed()
        ));
        if let Some(study) = &file.taken
            && (study.from, study.to) != (reform.from, reform.to)
        {
            out.say(&format!(
                "warning: the reform judged the claims of {} to {}, the experience study is of {} to {}: its factors describe another period's claims",
                reform.from, reform.to, study.from, study.to
            ));
        }
    }
    out.said_written(written);
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
