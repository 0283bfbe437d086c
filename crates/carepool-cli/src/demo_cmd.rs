//! `carepool demo`: a fresh SQLite database with a synthetic scheme run month by month
//! (claims judged as they arrive, facilities paid the month after), then served.

use crate::output::outln;
use crate::synth_cmd;
use anyhow::{Context, Result};
use carepool_core::Money;
use carepool_core::access::Role;
use carepool_core::registry::Provider;
use carepool_schema::Projection;
use carepool_schema::claim_tables::{CLAIMS, claims};
use carepool_server::ServeLimits;
use carepool_service::experience::ExperienceOptions;
use carepool_service::projection::ProjectionFile;
use carepool_service::users::{NewUser, random_password};
use carepool_service::{Query, Registry};
use carepool_store::Store;
use carepool_synth::{Options, SynthConfig};
use chrono::{Datelike, Days, NaiveDate};
use clap::Args;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The programme the demo runs: examples/pip-inpatient.toml, built in.
const PIP_SCHEME: &str = include_str!("../../../examples/pip-inpatient.toml");

/// The medical review the demo's programme adds, so that its review queue holds claims: a
/// random 2% of claims, and every claim above 60,000.
const DEMO_REVIEW: &str = "\n[review]\nrandom_percent = 2\namount_above = \"60000\"\n";

#[derive(Args)]
pub struct DemoArgs {
    /// How many families.
    #[arg(long, default_value_t = 20_000)]
    families: u64,
    /// The random seed: the same seed makes the same scheme.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The last day simulated (default: the end of last month).
    #[arg(long)]
    to: Option<NaiveDate>,
    /// The demo's own SQLite file; replaced when it exists.
    #[arg(long, default_value = "carepool-demo.db")]
    file: PathBuf,
    /// Address to serve on (default 127.0.0.1:8080).
    #[arg(long, env = "CAREPOOL_ADDR")]
    addr: Option<String>,
    /// Build the database and stop instead of serving it.
    #[arg(long)]
    no_serve: bool,
}

pub async fn run(args: DemoArgs) -> Result<()> {
    let work = tempfile::tempdir()?;
    let scheme_path = work.path().join("pip-inpatient.toml");
    std::fs::write(&scheme_path, format!("{PIP_SCHEME}{DEMO_REVIEW}"))?;
    let scheme = carepool_io::read_scheme_file(&scheme_path)?;
    let today = chrono::Local::now().date_naive();
    let to = args.to.unwrap_or_else(|| {
        today
            .with_day(1)
            .expect("day 1")
            .pred_opt()
            .expect("a day before")
    });
    // Two years, or since the programme began if that is later.
    let from = (to - Days::new(2 * 365 - 1))
        .with_day(1)
        .expect("day 1")
        .max(scheme.effective_from);
    let options = Options {
        families: args.families,
        from,
        to,
        seed: args.seed,
    };

    let url = fresh_sqlite(&args.file)?;
    let store: Arc<dyn Store> = Arc::new(carepool_store_sqlite::SqliteStore::open(&url).await?);
    let registry = Registry::new(store.clone());
    outln!(
        "carepool demo: {} families of the poverty-targeted inpatient programme, {from} to {to}",
        args.families
    );
    let data = work.path().join("data");
    let written = synth_cmd::generate(&SynthConfig::default(), &scheme, options, &data)?;
    let code = scheme.code.clone();
    synth_cmd::load(&registry, scheme, &data).await?;
    outln!("  registry: {}", synth_cmd::describe(&written));
    let paid = synth_cmd::run_months(&registry, from, to).await?;
    let (statuses, example) = claims_by_status(store.as_ref()).await?;
    let summary: Vec<String> = statuses.iter().map(|(s, n)| format!("{n} {s}")).collect();
    outln!(
        "  claims judged month by month as they arrived: {}",
        summary.join(", ")
    );
    outln!("  facilities and patients paid the month after: {paid} payments");
    if let Some(start) = register_first_years_basis(&registry, &code, from, today).await? {
        outln!(
            "  premium basis from {start}: the first year's experience, which the indicators' early warning watches the months after against"
        );
    }
    let users = demo_users(&registry).await?;
    outln!(
        "  one user per role (docs/ACCESS.md); their passwords (for the pages) and API tokens, shown this once:"
    );
    for user in &users {
        outln!("    {:<18} {} {}", user.name, user.password, user.token);
    }
    let reader = users
        .iter()
        .find(|u| u.name == Role::ClaimsOfficer.as_str())
        .map_or("TOKEN", |u| u.token.as_str());

    // The command as the user ran it (target/release/carepool, say), so the hints run as shown.
    let command = std::env::args().next().unwrap_or_else(|| "carepool".into());
    let db = format!("{command} --db {url}");
    let addr = args.addr.unwrap_or_else(|| "127.0.0.1:8080".into());
    outln!("\nWhere to look:");
    if let Some(example) = example {
        outln!("  {db} claims show {example}   (a claim, every amount explained)");
    }
    outln!("  {db} claims list --status in_review   (the medical review queue)");
    outln!("  {db} family F00000001   (a family: members, cover, contributions)");
    outln!("  {db} export payment_runs   (the monthly payment runs, proposed and released)");
    outln!("  {db} export claims --out claims.csv   (every claim, for a spreadsheet)");
    outln!("  {db} audit --table claims   (who did what, when)");
    outln!(
        "  {db} indicators --from {from} --to {to} --out indicators.html   (the monthly indicators with their trends, docs/INDICATORS.md)"
    );
    outln!(
        "  {db} premium-basis list --scheme {code}   (the assumptions the early warning watches against)"
    );
    outln!(
        "  {db} providers benchmark --from {from} --to {to} --out benchmark.html   (facilities against their peers, flagged for review)"
    );
    outln!(
        "  {db} reserve --valuation {to} --out reserve.html   (IBNR and RBNP, docs/RESERVING.md)"
    );
    outln!(
        "  {db} experience --to {to} --out experience.html   (exposure, incidence, costs: docs/EXPERIENCE.md)"
    );
    if args.no_serve {
        store.close().await;
        return Ok(());
    }
    outln!(
        "  curl -H 'Authorization: Bearer {reader}' 'http://{addr}/api/claims?status=partially_approved&per_page=20'"
    );
    let manager = users
        .iter()
        .find(|u| u.name == Role::Manager.as_str())
        .map_or("TOKEN", |u| u.token.as_str());
    outln!(
        "  curl -H 'Authorization: Bearer {manager}' 'http://{addr}/api/indicators?by=quarter'   (the indicators, as a manager)"
    );
    outln!(
        "  curl -H 'Authorization: Bearer {manager}' 'http://{addr}/api/warnings'   (the early warnings open, as a manager)"
    );
    outln!("  http://{addr}/api/openapi.json");
    outln!(
        "  http://{addr}/   (the pages: sign in with a user above; each role sees its own work)\n"
    );
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let shutdown = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    carepool_server::serve(registry, listener, ServeLimits::default(), shutdown).await?;
    store.close().await;
    Ok(())
}

/// A user the demo made, with the secrets shown once.
struct DemoUser {
    name: String,
    password: String,
    token: String,
}

/// One user per role, named after it, with a random password and an API token; the facility
/// user acts for the first facility. National users: the demo's districts are made up.
async fn demo_users(registry: &Registry) -> Result<Vec<DemoUser>> {
    let first_provider = registry
        .list::<Provider>(&Query::page(0, 1))
        .await?
        .pop()
        .map(|provider| provider.code);
    let mut made = Vec::new();
    for &role in Role::ALL {
        let password = random_password()?;
        let user = NewUser {
            name: role.as_str().to_string(),
            role,
            districts: Vec::new(),
            provider: role.is_facility().then(|| first_provider.clone()).flatten(),
            language: None,
        };
        let user = registry.add_user(user, &password).await?;
        let token = registry.create_token(&user.name, None).await?.secret;
        made.push(DemoUser {
            name: user.name,
            password,
            token,
        });
    }
    Ok(made)
}

/// Removes an earlier demo database (with its WAL files) and returns the new one's URL.
fn fresh_sqlite(file: &Path) -> Result<String> {
    for suffix in ["", "-wal", "-shm"] {
        let path = PathBuf::from(format!("{}{suffix}", file.display()));
        match std::fs::remove_file(&path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                return Err(e).with_context(|| format!("cannot replace {}", path.display()));
            }
            _ => {}
        }
    }
    Ok(format!("sqlite://{}", file.display()))
}

/// Claims per status, and a claim approved in part to explain.
async fn claims_by_status(store: &dyn Store) -> Result<(BTreeMap<String, u64>, Option<String>)> {
    let read = Projection::new(
        &CLAIMS,
        &[
            claims::STATUS.id(),
            claims::ID.id(),
            claims::APPROVED.id(),
            claims::REJECTED.id(),
        ],
    );
    let mut counts = BTreeMap::new();
    let mut example = None;
    for row in store.project(&CLAIMS, read.columns(), &[]).await? {
        if let (Some(status), Some(id)) =
            (read.text(&row, claims::STATUS), read.text(&row, claims::ID))
        {
            *counts.entry(status.to_string()).or_default() += 1;
            let cut = |column| {
                read.value(&row, column)
                    .as_money()
                    .is_some_and(|m| m > Money::ZERO)
            };
            if example.is_none() && cut(claims::APPROVED) && cut(claims::REJECTED) {
                example = Some(id.to_string());
            }
        }
    }
    Ok((counts, example))
}

/// Registers, as the premium basis from the day after the first year, that year's experience:
/// the base table of the experience study, no trend, its family size. None when the data are
/// less than two years, or the study has no claims to make a table of.
async fn register_first_years_basis(
    registry: &Registry,
    scheme: &str,
    from: NaiveDate,
    today: NaiveDate,
) -> Result<Option<NaiveDate>> {
    let start = from + chrono::Months::new(12);
    let options = ExperienceOptions {
        scheme: Some(scheme.to_string()),
        from: Some(from),
        to: start.pred_opt(),
        ..ExperienceOptions::default()
    };
    let Ok(study) = registry.experience(&options, today).await else {
        return Ok(None);
    };
    let lines: Vec<serde_json::Value> = (study.base_table.iter())
        .filter(|row| row.clinical_category != "total" || row.specialty.is_some())
        .filter_map(|row| {
            let name = match &row.specialty {
                Some(specialty) => format!("{} {specialty}", row.clinical_category),
                None => row.clinical_category.clone(),
            };
            Some(serde_json::json!({
                "name": name,
                "incidence_per_1000": row.rates.incidence_per_1000?,
                "average_cost": row.rates.average_cost?,
            }))
        })
        .collect();
    let Some(family_size) = study.summary.average_family_size else {
        return Ok(None);
    };
    if lines.is_empty() {
        return Ok(None);
    }
    let assumptions: ProjectionFile = serde_json::from_value(serde_json::json!({
        "base": { "date": from + chrono::Months::new(6), "lines": lines },
        "projection": { "start": start, "years": 1 },
        "population": { "members": [study.summary.rates.exposure], "family_size": [family_size] },
    }))?;
    registry.register_premium_basis(scheme, assumptions).await?;
    Ok(Some(start))
}
