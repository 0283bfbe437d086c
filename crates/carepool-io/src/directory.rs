//! Loading a whole scheme from a directory of import files (as `carepool synth --out` writes
//! them): the registry kinds in dependency order, each all or nothing, then the claims.

use crate::claims_csv::receive_file;
use crate::registry_csv::{CsvError, import_file};
use carepool_core::scheme::SchemeDefinition;
use carepool_schema::claim_tables::{CLAIM_LINES_FILE, CLAIMS_FILE};
use carepool_schema::kinds::Kind;
use carepool_schema::with_record_type;
use carepool_service::claims::ReceiveReport;
use carepool_service::{ImportMode, Reading, Registry};
use std::path::Path;
use std::sync::Arc;

/// Hears the kind being written and its rows so far.
pub type KindProgress = Arc<dyn Fn(&str, u64) + Send + Sync>;

/// What a directory load wrote: rows per registry kind, then the claims received.
#[derive(Debug, Default)]
pub struct DirectoryLoad {
    pub rows: Vec<(&'static str, u64)>,
    pub claims: ReceiveReport,
}

/// Loads `scheme`, then `KIND.csv` for every registry kind present in `dir`, then
/// `claims.csv` with `claim_lines.csv` if present (received, not judged). `progress` hears
/// the kind being written and its rows so far. Each file is written whole or not at all.
pub async fn load_directory(
    registry: &Registry,
    scheme: SchemeDefinition,
    dir: &Path,
    progress: KindProgress,
) -> Result<DirectoryLoad, CsvError> {
    registry.load_scheme(scheme).await?;
    let mut load = DirectoryLoad::default();
    for kind in Kind::ALL.into_iter().filter(|k| k.is_registry()) {
        let name = kind.name();
        let path = dir.join(format!("{name}.csv"));
        if !path.exists() {
            continue;
        }
        // The step is named as it begins, not when its first rows are written.
        progress(name, 0);
        let tell = progress.clone();
        // The count of rows written: checking them first counts nothing of the load.
        let written = &move |reading, n| {
            if reading == Reading::Writing {
                tell(name, n)
            }
        };
        let summary = with_record_type!(kind, R => {
            import_file::<R>(registry, &path, ImportMode::AllOrNothing, written).await?
        });
        load.rows.push((name, summary.written));
    }
    let claims = dir.join(format!("{}.csv", CLAIMS_FILE.name));
    if claims.exists() {
        progress(CLAIMS_FILE.name, 0);
        let lines = dir.join(format!("{}.csv", CLAIM_LINES_FILE.name));
        let lines = lines.exists().then_some(lines.as_path());
        let checked = &move |n| progress(CLAIMS_FILE.name, n);
        load.claims = receive_file(registry, &claims, lines, checked).await?;
    }
    Ok(load)
}
