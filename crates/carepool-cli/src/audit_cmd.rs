//! `carepool audit`: the trail of changes, as CSV, oldest first.

use crate::output::outln;
use anyhow::Result;
use carepool_io::{CsvError, WholeFile};
use carepool_schema::Record;
use carepool_schema::audit_tables::AUDIT;
use carepool_service::Registry;
use carepool_service::audit::AuditFilter;
use chrono::NaiveDate;
use clap::Args;
use std::io::Write;
use std::path::PathBuf;

#[derive(Args)]
pub struct AuditArgs {
    /// Only changes of this table (members, coverage, users, ...).
    #[arg(long)]
    table: Option<String>,
    /// Only changes of the record with this key (M0001; coverage: M0001/2025-04-01).
    #[arg(long)]
    key: Option<String>,
    /// Only changes made by this user (or cli:ACCOUNT).
    #[arg(long)]
    user: Option<String>,
    /// From this day on (UTC).
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Up to and including this day (UTC).
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Write the CSV to FILE instead of standard output.
    #[arg(long)]
    out: Option<PathBuf>,
}

pub async fn run(args: AuditArgs, registry: &Registry) -> Result<()> {
    let filter = AuditFilter {
        table: args.table,
        key: args.key,
        actor: args.user,
        from: args.from,
        to: args.to,
        ..AuditFilter::default()
    };
    // A file takes its name only once the whole trail is written (nothing partial is left).
    let whole = match args.out.as_deref() {
        Some(path) => Some(WholeFile::create(path).map_err(CsvError::writing(path))?),
        None => None,
    };
    let out: Box<dyn Write> = match &whole {
        Some(whole) => {
            let file = whole.file().map_err(CsvError::writing(whole.path()))?;
            Box::new(std::io::BufWriter::new(file))
        }
        None => Box::new(std::io::stdout().lock()),
    };
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(AUDIT.columns.iter().map(|c| c.name))?;
    // Written as it is read, on one snapshot: the trail as it stood when the export began.
    let count = (registry.at_snapshot(async |at| {
        at.each_audit_record(&filter, |record| {
            let row = record.into_row();
            let fields = AUDIT.columns.iter().zip(&row).map(|(c, v)| v.format(c.ty));
            writer.write_record(fields).map_err(anyhow::Error::from)
        })
        .await
    }))
    .await?;
    writer.flush()?;
    if let Some(whole) = whole {
        let path = whole.path().to_path_buf();
        whole.complete().map_err(CsvError::writing(&path))?;
        outln!("{}: {count} audit records written", path.display());
    }
    Ok(())
}
