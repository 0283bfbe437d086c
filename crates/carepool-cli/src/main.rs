//! The `carepool` command: parses arguments, sets up logging, dispatches. The work is in the crates.

mod audit_cmd;
mod claims_cmd;
mod claims_list;
mod config;
mod demo_cmd;
mod experience_cmd;
mod explain;
mod grievances_cmd;
mod indicators_cmd;
mod members_cmd;
mod output;
mod premium_basis_cmd;
mod progress;
mod project_cmd;
mod providers_cmd;
mod reform_cmd;
mod report_out;
mod reserve_cmd;
mod serve_cmd;
mod standards_cmd;
mod synth_cmd;
mod user_cmd;

use crate::output::{out, outln};
use crate::progress::Progress;
use anyhow::{Context, Result, bail};
use carepool_schema::kinds::Kind;
use carepool_schema::{Table, tables, with_record_type};
use carepool_service::audit::Actor;
use carepool_service::{ImportMode, LoadOutcome, Reading, Registry};
use carepool_store::Store;
use clap::parser::ValueSource;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use config::Config;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

// The database driver hands rows between threads; glibc's allocator spends much of a claims run
// consolidating what one thread allocates and another frees.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "carepool",
    version,
    about = "Run and steer a social health protection scheme"
)]
struct Cli {
    /// Database URL, for the commands that open one: sqlite://PATH (the default is
    /// sqlite://carepool.db) or postgres://...
    #[arg(long, env = "CAREPOOL_DB")]
    db: Option<String>,
    /// A PostgreSQL hot standby (postgres://...) the studies and exports read from instead of
    /// --db, which they then leave alone: export, ledger export, audit, indicators, providers,
    /// experience, reserve, project, reform and standards on the database (docs/SCALE.md).
    #[arg(long, env = "CAREPOOL_READ_DB", value_name = "URL")]
    read_db: Option<String>,
    /// On PostgreSQL, judge each batch of `claims adjudicate` ahead of its lock while the one
    /// before is written (SQLite always does; off by default): for a database on a machine of
    /// its own; where carepool and PostgreSQL share a few cores it is slower (docs/SCALE.md).
    /// CAREPOOL_JUDGE_AHEAD: empty, 0, false, no or off leave it off; any other value turns it
    /// on.
    #[arg(long, env = "CAREPOOL_JUDGE_AHEAD", value_parser = clap::builder::FalseyValueParser::new())]
    judge_ahead: bool,
    /// A TOML configuration file (keys: db, read_db, judge_ahead, addr); flags and CAREPOOL_* variables override it.
    #[arg(long, env = "CAREPOOL_CONFIG")]
    config: Option<PathBuf>,
    /// Record the changes as made by this carepool user (who must exist and not be disabled)
    /// instead of cli:ACCOUNT, the account running the command.
    #[arg(long = "as", value_name = "USER")]
    acting_as: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Load a scheme definition (TOML); a changed file adds a version from its effective date.
    Init {
        /// The scheme file (TOML; docs/FORMATS.md).
        #[arg(long)]
        scheme: PathBuf,
        /// Where the scheme's tariff_file entries are found, instead of the scheme file's own
        /// folder; they may not lie outside it.
        #[arg(long, value_name = "DIR")]
        tariff_folder: Option<PathBuf>,
    },
    /// Import a CSV or XLSX file of one kind: locations, providers, families, members,
    /// coverage, contributions, ledger, target_population.
    Import {
        /// What the file holds: locations, providers, families, members, coverage,
        /// contributions, ledger or target_population.
        kind: String,
        /// The file: FILE.csv, or FILE.xlsx (one sheet); the columns in docs/FORMATS.md.
        file: PathBuf,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// Claims: import, adjudicate, list, review, pay, show, cover.
    #[command(subcommand)]
    Claims(claims_cmd::ClaimsCommand),
    /// The scheme's books by month, for the indicators' finance ratios: import, export
    /// (docs/FORMATS.md).
    #[command(subcommand)]
    Ledger(LedgerCommand),
    /// Grievances: file, list, show, assign, start, resolve, close, reopen
    /// (docs/GRIEVANCES.md).
    #[command(subcommand)]
    Grievances(grievances_cmd::GrievancesCommand),
    /// Every version of a registry record, oldest first, with who made it and when.
    History {
        /// locations, providers, families, members, coverage, contributions, ledger or
        /// target_population.
        kind: String,
        /// The record's key: M0001, or MEMBER/START_DATE for coverage.
        key: String,
    },
    /// Export every row of one kind as CSV or XLSX: a registry kind, or claims, claim_lines,
    /// claim_reasons, claim_usage, payments, payment_runs, grievances, grievance_steps.
    Export {
        /// What to export: a registry kind (locations, providers, families, members, coverage,
        /// contributions) or claims, claim_lines, claim_reasons, claim_usage, payments,
        /// payment_runs, grievances, grievance_steps.
        kind: String,
        /// Where to write: FILE.csv, or FILE.xlsx (one sheet, dates as dates and amounts as
        /// numbers); CSV on standard output if not given.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write text cells as stored, for programs. By default a text cell that a spreadsheet
        /// would run as a formula (it begins with =, +, -, @, a tab or a carriage return) is
        /// written after a ' (docs/FORMATS.md).
        #[arg(long)]
        raw: bool,
    },
    /// Find members by a part of their name.
    Members(members_cmd::MembersArgs),
    /// Show a family with its members, cover, contributions and contribution standing.
    Family {
        /// The family's id.
        id: String,
        /// Date of the standing (default today).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Build a fresh demo database (SQLite) with a synthetic scheme run month by month, and
    /// serve it.
    Demo(demo_cmd::DemoArgs),
    /// Generate a calibrated synthetic scheme: CSV files in the import formats (--out DIR), or
    /// loaded into the database. See docs/SYNTH.md.
    Synth(synth_cmd::SynthArgs),
    /// Reserves: IBNR and RBNP by chain ladder, Mack, Bornhuetter-Ferguson, Benktander or Cape
    /// Cod, from the database (--db), a claims extract or a triangle file. See docs/RESERVING.md.
    Reserve(Box<reserve_cmd::ReserveArgs>),
    /// The experience study: exposure, incidence, average cost, length of stay, the base table,
    /// relativities and GLMs, from the database (--db) or extracts (--members, --claims). See
    /// docs/EXPERIENCE.md.
    Experience(Box<experience_cmd::ExperienceArgs>),
    /// The monthly indicators: membership, contributions, claims and finance per month,
    /// quarter or year, for a scheme, district or facility. See docs/INDICATORS.md.
    Indicators(Box<indicators_cmd::IndicatorsArgs>),
    /// Facilities: benchmark (against their peers, flags for review; docs/INDICATORS.md).
    #[command(subcommand)]
    Providers(providers_cmd::ProvidersCommand),
    /// The projection assumptions a scheme's premium was set on, for the indicators' early
    /// warning: register, list (docs/INDICATORS.md).
    #[command(subcommand)]
    PremiumBasis(premium_basis_cmd::PremiumBasisCommand),
    /// Fit a GLM (Poisson or Gamma) on any table of cells, e.g. the study's cells.
    Glm(Box<experience_cmd::GlmArgs>),
    /// The scheme's package in force against ILO Conventions 102 and 130 and Recommendations
    /// 134 and 202, point by point: met, not met, or cannot tell, with the reason
    /// (docs/STANDARDS.md).
    Standards(Box<standards_cmd::StandardsArgs>),
    /// Project costs and premiums from an assumptions file: level premium, reserve, refund and
    /// stress tests. See docs/PROJECTION.md.
    Project(project_cmd::ProjectArgs),
    /// Price a proposed version of the scheme file on the scheme's own claims: each claim of a
    /// period judged under the rules in force and under the proposal, the change per line as
    /// factors `carepool project --reform` takes; nothing is written. See docs/PROJECTION.md.
    Reform(Box<reform_cmd::ReformArgs>),
    /// Users: add, list, disable, set a password (docs/ACCESS.md).
    #[command(subcommand)]
    User(user_cmd::UserCommand),
    /// Tokens for systems and facilities to call the API with: create, revoke.
    #[command(subcommand)]
    Token(user_cmd::TokenCommand),
    /// The audit trail of changes, as CSV, oldest first (docs/ACCESS.md).
    Audit(audit_cmd::AuditArgs),
    /// Serve the HTTP JSON API (OpenAPI description at /api/openapi.json).
    Serve {
        /// Address to listen on (default 127.0.0.1:8080).
        #[arg(long, env = "CAREPOOL_ADDR")]
        addr: Option<String>,
        #[command(flatten)]
        limits: serve_cmd::LimitArgs,
    },
}

/// How an import writes and what it says, for every kind.
#[derive(Args)]
struct ImportFlags {
    /// Write the good rows and put the bad ones, with reasons, in FILE.rejects.csv.
    #[arg(long)]
    skip_bad: bool,
    /// Check the file and say what it would change, without writing anything.
    #[arg(long)]
    dry_run: bool,
    /// List the keys of the records that change.
    #[arg(long)]
    verbose: bool,
}

/// `carepool ledger`: the scheme's books, one line per scheme, month, kind and category.
#[derive(Subcommand)]
enum LedgerCommand {
    /// Import the ledger's lines from a CSV or XLSX file (the columns in docs/FORMATS.md); a
    /// line already stored for the same scheme, month, kind and category is replaced.
    Import {
        /// The file: FILE.csv, or FILE.xlsx (one sheet).
        file: PathBuf,
        #[command(flatten)]
        flags: ImportFlags,
    },
    /// Export every line, as CSV (on standard output without --out) or XLSX.
    Export {
        /// Where to write: FILE.csv or FILE.xlsx.
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write text cells as stored, for programs.
        #[arg(long)]
        raw: bool,
    },
}

/// The logs a command writes when nobody asks for others: carepool's own warnings, without the
/// database driver's notes on slow statements (a long study is slow by nature).
const DEFAULT_LOG: &str = "warn,sqlx=error";

/// The log filter and whether to colour: the level asked in `CAREPOOL_LOG` or `RUST_LOG`, else
/// [`DEFAULT_LOG`]; colours only on a terminal, and never with `NO_COLOR` (no-color.org).
fn log_settings(asked: Option<String>, no_color: bool, terminal: bool) -> (String, bool) {
    let filter = asked
        .filter(|level| !level.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_LOG.to_string());
    (filter, terminal && !no_color)
}

fn main() -> std::process::ExitCode {
    let (filter, colours) = log_settings(
        std::env::var("CAREPOOL_LOG")
            .or_else(|_| std::env::var("RUST_LOG"))
            .ok(),
        std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        std::io::stderr().is_terminal(),
    );
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .with_writer(std::io::stderr)
        .with_ansi(colours)
        .init();
    let matches = Cli::command().get_matches();
    let flagged = |id| matches.value_source(id) == Some(ValueSource::CommandLine);
    let database_flags: Vec<&str> = [
        ("db", "--db"),
        ("read_db", "--read-db"),
        ("acting_as", "--as"),
    ]
    .into_iter()
    .filter(|(id, _)| flagged(id))
    .map(|(_, flag)| flag)
    .collect();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    let outcome = unused_database_flags(&cli.command, &database_flags)
        .and_then(|()| unused_read_database(&cli.command, &database_flags))
        .and_then(|()| Config::resolve(cli.config.as_deref(), cli.db.clone(), cli.read_db.clone()))
        .map(|config| config.judging_ahead(cli.judge_ahead))
        .map(|config| config.with_flags(&database_flags))
        .and_then(|config| {
            tokio::runtime::Runtime::new()?.block_on(run(cli.command, config, cli.acting_as))
        });
    match outcome {
        Ok(()) => std::process::ExitCode::SUCCESS,
        // The reader of the output has gone (`| head -1`): the command's work is done.
        Err(error) if output::reader_gone(&error) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // The causes, one after another, without a backtrace: the user needs the what and where.
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The command's name when, as given, it opens no database: it works on files only.
fn opens_no_database(command: &Command) -> Option<&'static str> {
    match command {
        Command::Demo(_) => Some("demo (its database is --file)"),
        Command::Glm(_) => Some("glm"),
        Command::Project(args) if !args.studies_the_database() => Some("project"),
        Command::Standards(args) if args.file().is_some() => Some("standards on a scheme file"),
        Command::Synth(args) if args.out.is_some() => Some("synth --out"),
        Command::Reserve(args) if args.file_source().is_some() => Some("reserve on a file"),
        Command::Experience(args) if args.extracts().is_some() => Some("experience on extracts"),
        _ => None,
    }
}

/// Refuses `--db` or `--as` given to a command that opens no database, rather than ignore
/// them: the user meant something the command will not do.
fn unused_database_flags(command: &Command, flags: &[&str]) -> Result<()> {
    match (opens_no_database(command), flags) {
        (Some(name), [_, ..]) => bail!(
            "carepool {name} opens no database: {} not used",
            flags.join(" and ")
        ),
        _ => Ok(()),
    }
}

/// Whether the command, as given, only reads the database to study or export it, and so may
/// read a replica (`--read-db`).
fn reads_to_study_or_export(command: &Command) -> bool {
    matches!(
        command,
        Command::Export { .. }
            | Command::Ledger(LedgerCommand::Export { .. })
            | Command::Audit(_)
            | Command::Indicators(_)
            | Command::Providers(_)
            | Command::Experience(_)
            | Command::Reserve(_)
            | Command::Project(_)
            | Command::Reform(_)
            | Command::Standards(_)
    ) && opens_no_database(command).is_none()
}

/// Refuses `--read-db` given to a command that would not read it (one that writes, or reads
/// files only). From `CAREPOOL_READ_DB` or the configuration file it is simply not used there,
/// so that one setting serves every command.
fn unused_read_database(command: &Command, flags: &[&str]) -> Result<()> {
    if flags.contains(&"--read-db") && !reads_to_study_or_export(command) {
        bail!(
            "--read-db is read by the studies and exports on the database only (export, ledger \
             export, audit, indicators, providers, experience, reserve, project, reform, \
             standards): this command would not use it"
        );
    }
    Ok(())
}

async fn run(command: Command, config: Config, acting_as: Option<String>) -> Result<()> {
    let command = match command {
        // The demo has its own database file.
        Command::Demo(args) => return demo_cmd::run(args).await,
        // The ledger is a registry kind under a name of its own.
        Command::Ledger(LedgerCommand::Import { file, flags }) => Command::Import {
            kind: tables::LEDGER.name.into(),
            file,
            flags,
        },
        Command::Ledger(LedgerCommand::Export { out, raw }) => Command::Export {
            kind: tables::LEDGER.name.into(),
            out,
            raw,
        },
        other => other,
    };
    if let Command::Synth(args) = &command
        && let Some(dir) = &args.out
    {
        // Files only: no database is opened (or created).
        let scheme = carepool_io::read_scheme_file(&args.scheme)?;
        let settings = synth_cmd::read_settings(args.settings.as_deref())?;
        let options = synth_cmd::options(args);
        let written = synth_cmd::generate(&settings, &scheme, options, dir)?;
        outln!("{}: {}", dir.display(), synth_cmd::describe(&written));
        outln!(
            "the truth beside them: the claims not yet received in {}, the facilities' planted behaviours in {}",
            carepool_synth::UNREPORTED_FILES[0],
            carepool_synth::BEHAVIOUR_FILE
        );
        return Ok(());
    }
    if let Command::Reserve(args) = &command
        && let Some(source) = args.file_source()
    {
        return reserve_cmd::run_on_file(args, source);
    }
    if let Command::Experience(args) = &command
        && let Some(extracts) = args.extracts()
    {
        return experience_cmd::run_on_files(args, extracts);
    }
    if let Command::Glm(args) = &command {
        return experience_cmd::glm(args);
    }
    if let Command::Project(args) = &command
        && !args.studies_the_database()
    {
        return project_cmd::run(args);
    }
    if let Command::Standards(args) = &command
        && args.file().is_some()
    {
        return standards_cmd::run_on_file(args, chrono::Local::now().date_naive());
    }
    let store = match &config.read_db {
        Some(url) if reads_to_study_or_export(&command) => open_read_store(url).await?,
        _ => {
            if !creates_a_database(&command) {
                check_database_exists(&config.db)?;
            }
            open_store(&config.db, config.judge_ahead).await?
        }
    };
    let registry = Registry::new(store.clone());
    let outcome = match acting_as_user(registry, acting_as).await {
        Ok(registry) => dispatch(command, &registry, &config).await,
        Err(refused) => Err(refused),
    };
    store.close().await;
    outcome
}

/// The registry making its changes as `--as USER`, who must be an active user; as the
/// command's account without it.
async fn acting_as_user(registry: Registry, acting_as: Option<String>) -> Result<Registry> {
    let Some(name) = acting_as else {
        return Ok(registry);
    };
    let active = registry
        .users()
        .await?
        .into_iter()
        .any(|user| user.name == name && user.disabled_on.is_none());
    if !active {
        bail!("--as {name}: no active user of that name (carepool user list)");
    }
    Ok(registry.acting_as(Actor::user(&name)))
}

async fn dispatch(command: Command, registry: &Registry, config: &Config) -> Result<()> {
    match command {
        Command::Init {
            scheme,
            tariff_folder,
        } => {
            let definition =
                carepool_io::read_scheme_file_with_tariffs(&scheme, tariff_folder.as_deref())?;
            let label = format!(
                "scheme {} effective from {}",
                definition.code, definition.effective_from
            );
            match registry
                .load_scheme(definition)
                .await
                .with_context(|| format!("{}", scheme.display()))?
            {
                LoadOutcome::Added { versions } => {
                    outln!("{label}: loaded ({versions} version(s) stored)")
                }
                LoadOutcome::Unchanged => outln!("{label}: already loaded, unchanged"),
            }
        }
        Command::Import {
            kind,
            file,
            flags:
                ImportFlags {
                    skip_bad,
                    dry_run,
                    verbose,
                },
        } => {
            let kind = import_kind(&kind)?;
            let mode = if skip_bad {
                ImportMode::SkipBad
            } else {
                ImportMode::AllOrNothing
            };
            let summary = if dry_run {
                with_record_type!(kind, R => {
                    carepool_io::preview_file::<R>(registry, &file, mode).await
                })?
            } else {
                // Read twice: every row checked, then each compared and written.
                let checking = format!("checking {}", file.display());
                let repeats = format!("finding the repeats in {}", file.display());
                let writing = format!("writing {}", file.display());
                let progress = Progress::counting(&checking, "rows");
                let handle = progress.clone();
                let written = &move |reading, n| {
                    let step = match reading {
                        Reading::Checking => &checking,
                        Reading::Repeats => &repeats,
                        Reading::Writing => &writing,
                    };
                    handle.at(step, n)
                };
                let summary = with_record_type!(kind, R => {
                    carepool_io::import_file::<R>(registry, &file, mode, written).await
                });
                progress.end(summary.is_ok());
                summary?
            };
            let said = ImportSaid { dry_run, verbose };
            out!("{}", said.summary(&file, kind.table(), &summary));
            // A script that imports with --skip-bad must not take a file of which nothing
            // could go in for a success.
            if summary.rejected > 0 && summary.kept() == 0 {
                bail!(
                    "{}: every row was rejected ({}), nothing {}",
                    file.display(),
                    summary.rejected,
                    if dry_run {
                        "would be written"
                    } else {
                        "written"
                    }
                );
            }
        }
        Command::History { kind, key } => {
            let kind = registry_kind(&kind)?;
            let versions = with_record_type!(kind, R => {
                let key = carepool_service::Key::<R>::from_text(&key)
                    .map_err(|e| anyhow::anyhow!("{}: {}", e.field, e.message))?;
                registry.history(&key).await?
            });
            for version in versions {
                outln!(
                    "{}  {}  {}\n  {}",
                    version.at.as_deref().unwrap_or("(before the trail)"),
                    version.actor.as_deref().unwrap_or("-"),
                    version.action,
                    version.record
                );
            }
        }
        Command::Export { kind, out, raw } => {
            let kind = export_kind(&kind)?;
            let table = kind.table();
            let cells = if raw {
                carepool_io::Cells::Raw
            } else {
                carepool_io::Cells::ForSpreadsheets
            };
            let count = with_record_type!(kind, R => match &out {
                Some(path) if carepool_io::FileKind::of(path)? == carepool_io::FileKind::Xlsx => {
                    carepool_io::export_workbook::<R>(registry, path).await?
                }
                Some(path) => carepool_io::export_to_file::<R>(registry, path, cells).await?,
                None => {
                    let out = std::io::stdout().lock();
                    carepool_io::export::<R>(registry, out, "standard output".as_ref(), cells).await?
                }
            });
            if let Some(path) = out {
                outln!(
                    "{}: {} {} written",
                    path.display(),
                    output::count(count),
                    table.name
                );
            }
        }
        Command::Claims(command) => claims_cmd::run(command, registry).await?,
        Command::Grievances(command) => grievances_cmd::run(command, registry).await?,
        Command::User(command) => user_cmd::run_user(command, registry).await?,
        Command::Audit(args) => audit_cmd::run(args, registry).await?,
        Command::Token(command) => user_cmd::run_token(command, registry).await?,
        Command::Synth(args) => synth_cmd::load_new(&args, registry).await?,
        Command::Reserve(args) => reserve_cmd::run_on_database(&args, registry).await?,
        Command::Experience(args) => experience_cmd::run_on_database(&args, registry).await?,
        Command::Indicators(args) => indicators_cmd::run(&args, registry).await?,
        Command::PremiumBasis(command) => premium_basis_cmd::run(command, registry).await?,
        Command::Providers(command) => providers_cmd::run(command, registry).await?,
        Command::Standards(args) => standards_cmd::run_on_database(&args, registry).await?,
        Command::Project(args) => project_cmd::run_on_database(&args, registry).await?,
        Command::Reform(args) => reform_cmd::run(&args, registry).await?,
        Command::Demo(_) | Command::Glm(_) => unreachable!("these open no database"),
        Command::Ledger(_) => unreachable!("made an import or an export above"),
        Command::Members(args) => members_cmd::run(&args, registry).await?,
        Command::Family { id, as_of, json } => {
            let as_of = as_of.unwrap_or_else(|| chrono::Local::now().date_naive());
            let view = registry.family_view(&id, as_of).await?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&view)?);
            } else {
                let currency = registry.currency().await?;
                out!("{}", explain::family(&view, currency.as_deref()));
            }
        }
        Command::Serve { addr, limits } => {
            let limits = limits.limits()?;
            let addr = addr
                .or_else(|| config.addr.clone())
                .unwrap_or_else(|| "127.0.0.1:8080".into());
            let listener = tokio::net::TcpListener::bind(&addr)
                .await
                .with_context(|| format!("cannot listen on {addr}"))?;
            outln!(
                "carepool API on http://{}/api (OpenAPI: /api/openapi.json)",
                listener.local_addr()?
            );
            let shutdown = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            carepool_server::serve(registry.clone(), listener, limits, shutdown).await?;
        }
    }
    Ok(())
}

/// How to say what an import did.
struct ImportSaid {
    dry_run: bool,
    verbose: bool,
}

impl ImportSaid {
    /// `members.csv: 12 new, 3 changed, 985 unchanged members`, the keys changed with
    /// `--verbose`, and the rows rejected; a dry run says what would be.
    fn summary(&self, file: &Path, table: &Table, summary: &carepool_io::ImportSummary) -> String {
        let dry_run = if self.dry_run {
            " (dry run, nothing written)"
        } else {
            ""
        };
        let mut text = format!(
            "{}{dry_run}: {} new, {} changed, {} unchanged {}",
            file.display(),
            output::count(summary.new),
            output::count(summary.changed.len() as u64),
            output::count(summary.unchanged),
            table.name
        );
        if summary.kept() + summary.rejected == 0 {
            text += " (the file has a header and no rows)";
        }
        match &summary.rejects_file {
            Some(rejects) => {
                text += &format!(
                    ", {} rejected (see {})",
                    summary.rejected,
                    rejects.display()
                )
            }
            None if summary.rejected > 0 => text += &format!(", {} rejected", summary.rejected),
            None => {}
        }
        if summary.held_for_review > 0 {
            text += &format!(
                "; {} approved claim(s) held for review: care on or after a death or exit (after_exit)",
                summary.held_for_review
            );
        }
        text.push('\n');
        for problem in &summary.problems {
            text += &format!("  rejected: {problem}\n");
        }
        if self.verbose {
            for key in &summary.changed {
                text += &format!("  changed {key}\n");
            }
        }
        text
    }
}

fn import_kind(name: &str) -> Result<Kind> {
    if name == "claims" {
        bail!("claims are imported with: carepool claims import FILE [--lines FILE]");
    }
    registry_kind(name)
}

/// A registry table named by the user.
fn registry_kind(name: &str) -> Result<Kind> {
    match Kind::named(name).filter(|k| k.is_registry()) {
        Some(kind) => Ok(kind),
        None => {
            let kinds: Vec<&str> = tables::ALL.iter().map(|t| t.name).collect();
            bail!("unknown kind '{name}'; one of: {}", kinds.join(", "))
        }
    }
}

fn export_kind(name: &str) -> Result<Kind> {
    Kind::named(name).ok_or_else(|| {
        let kinds: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
        anyhow::anyhow!("unknown kind '{name}'; one of: {}", kinds.join(", "))
    })
}

/// The commands that make a database where there is none: loading a scheme, importing, a
/// synthetic scheme loaded into it (`demo` makes its own file).
fn creates_a_database(command: &Command) -> bool {
    matches!(
        command,
        Command::Init { .. }
            | Command::Import { .. }
            | Command::Synth(_)
            | Command::Claims(claims_cmd::ClaimsCommand::Import { .. })
    )
}

/// Refuses a SQLite database file that does not exist: a mistyped `--db` would otherwise make
/// an empty database and answer as if the scheme had no one in it.
fn check_database_exists(url: &str) -> Result<()> {
    let Some(rest) = url.strip_prefix("sqlite:") else {
        return Ok(());
    };
    let path = rest.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" || Path::new(path).exists() {
        return Ok(());
    }
    bail!(
        "there is no database at {path}: check --db (or CAREPOOL_DB); `carepool init --scheme FILE` or an import makes one"
    )
}

async fn open_store(url: &str, judge_ahead: bool) -> Result<Arc<dyn Store>> {
    if url.starts_with("sqlite:") {
        Ok(Arc::new(
            carepool_store_sqlite::SqliteStore::open(url).await?,
        ))
    } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        Ok(Arc::new(
            carepool_store_postgres::PostgresStore::open(url)
                .await?
                .judging_ahead(judge_ahead),
        ))
    } else {
        bail!("the database URL must start with sqlite:// or postgres://")
    }
}

/// A replica to read from: PostgreSQL only (SQLite's one file is read as it is written).
async fn open_read_store(url: &str) -> Result<Arc<dyn Store>> {
    if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        bail!("--read-db must name a PostgreSQL hot standby (postgres://...)");
    }
    Ok(Arc::new(
        carepool_store_postgres::PostgresStore::open_for_reading(url).await?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The arguments of `command` and of its subcommands, each with the path to it, that no
    /// help describes.
    fn undescribed(command: &clap::Command, path: &str) -> Vec<String> {
        let mut missing: Vec<String> = command
            .get_arguments()
            .filter(|arg| !arg.is_hide_set() && arg.get_help().is_none())
            .filter(|arg| !["help", "version"].contains(&arg.get_id().as_str()))
            .map(|arg| format!("{path} {}", arg.get_id()))
            .collect();
        for sub in command.get_subcommands() {
            missing.extend(undescribed(sub, &format!("{path} {}", sub.get_name())));
        }
        missing
    }

    #[test]
    fn logs_are_carepools_warnings_unless_asked_and_coloured_only_on_a_terminal() {
        assert_eq!(
            log_settings(None, false, true),
            ("warn,sqlx=error".to_string(), true)
        );
        assert_eq!(log_settings(Some("error".into()), false, false).0, "error");
        assert_eq!(log_settings(Some("  ".into()), false, false).0, DEFAULT_LOG);
        assert!(!log_settings(None, true, true).1, "NO_COLOR wins");
        assert!(!log_settings(None, false, false).1, "no colour in a file");
    }

    /// The long flags `carepool COMMAND --help` lists.
    fn flags_of(name: &str) -> Vec<String> {
        let cli = Cli::command();
        let command = cli.find_subcommand(name).expect("a command");
        command
            .get_arguments()
            .filter_map(|arg| arg.get_long().map(str::to_string))
            .collect()
    }

    #[test]
    fn commands_list_only_the_flags_they_use() {
        for name in ["glm", "project", "demo", "import", "reserve"] {
            let flags = flags_of(name);
            assert!(!flags.contains(&"db".to_string()), "{name}: {flags:?}");
            assert!(!flags.contains(&"as".to_string()), "{name}: {flags:?}");
        }
        assert!(flags_of("demo").contains(&"file".to_string()));
        let given = |args: &[&str]| Cli::try_parse_from(args).unwrap().command;
        let glm = given(&[
            "carepool",
            "--db",
            "sqlite://x.db",
            "glm",
            "--data",
            "cells.csv",
            "--response",
            "claims",
            "--exposure",
            "exposure",
            "--factors",
            "sex",
            "--family",
            "poisson",
            "--out",
            "g.json",
        ]);
        let refused = unused_database_flags(&glm, &["--db"]).unwrap_err();
        assert_eq!(
            refused.to_string(),
            "carepool glm opens no database: --db not used"
        );
        let demo = given(&["carepool", "demo"]);
        assert!(
            unused_database_flags(&demo, &["--db", "--as"])
                .unwrap_err()
                .to_string()
                .contains(
                    "demo (its database is --file) opens no database: --db and --as not used"
                )
        );
        let import = given(&[
            "carepool",
            "--db",
            "sqlite://x.db",
            "import",
            "members",
            "m.csv",
        ]);
        assert!(unused_database_flags(&import, &["--db"]).is_ok());
        assert!(unused_database_flags(&glm, &[]).is_ok());
    }

    #[test]
    fn every_argument_of_every_command_is_described() {
        assert_eq!(
            undescribed(&Cli::command(), "carepool"),
            Vec::<String>::new()
        );
    }
}
