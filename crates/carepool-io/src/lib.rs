//! File formats at carepool's edge: scheme definitions in TOML, registry CSV import and export.
//! Every problem names the file, the line and the column.

pub mod benchmark_report;
mod bounded;
mod claim_parts;
pub mod claims_csv;
mod cover_file;
mod cover_source;
mod cover_stream;
mod csv_lines;
pub mod directory;
pub mod experience_files;
pub mod experience_report;
pub mod glm_file;
pub mod grievances_file;
pub mod indicators_report;
pub mod projection_file;
pub mod projection_report;
pub mod projection_xlsx;
mod read_ahead;
pub mod reform_report;
pub mod registry_csv;
pub mod report;
pub mod reserve_files;
pub mod reserve_report;
pub mod scheme_file;
pub mod sheet;
pub mod standards_report;
mod whole_file;
pub mod workbook;

pub use bounded::MAX_LINE_BYTES;
pub use directory::{DirectoryLoad, load_directory};
pub use registry_csv::{
    Cells, CsvError, ImportSummary, export, export_to_file, export_workbook, import_file,
    preview_file,
};
pub use scheme_file::{SchemeFileError, read_scheme_file, read_scheme_file_with_tariffs};
pub use whole_file::WholeFile;
pub use workbook::FileKind;

/// A file name's extension in lower case, which names its format (`.CSV` is `.csv`).
pub(crate) fn extension(path: &std::path::Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

/// Waits up to ten seconds for `thread` to end: a reading thread left by its reader must
/// stop, not run on.
#[cfg(test)]
pub(crate) fn ends_soon<T>(thread: &std::thread::JoinHandle<T>) {
    let waited = std::time::Instant::now();
    while !thread.is_finished() {
        assert!(waited.elapsed().as_secs() < 10, "the thread still runs");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[cfg(test)]
mod tests {
    use carepool_core::claims::ReasonCode;
    use carepool_schema::Table;
    use carepool_schema::{claim_tables, tables};

    const DOC: &str = include_str!("../../../docs/FORMATS.md");

    /// The section under `heading` lists exactly the table's columns, in order, each with
    /// whether it is required.
    fn check_section(heading: &str, table: &Table) {
        let section = DOC
            .split(&format!("{heading}\n"))
            .nth(1)
            .unwrap_or_else(|| panic!("no section {heading}"));
        let section = section
            .split("\n### ")
            .next()
            .unwrap()
            .split("\n## ")
            .next()
            .unwrap();
        let documented: Vec<&str> = section
            .lines()
            .filter_map(|l| l.strip_prefix("| `")?.split('`').next())
            .collect();
        let columns: Vec<&str> = table.columns.iter().map(|c| c.name).collect();
        assert_eq!(documented, columns, "docs/FORMATS.md, section {heading}");
        for column in table.columns {
            let row = section
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", column.name)))
                .unwrap();
            let required = if column.required { "| yes |" } else { "| no |" };
            assert!(
                row.contains(required),
                "{heading}, {}: documented as {row}",
                column.name
            );
        }
    }

    /// docs/FORMATS.md documents exactly the columns each import reads and each export writes.
    #[test]
    fn the_format_documentation_lists_every_column_of_every_kind() {
        let claim_files = [
            &carepool_schema::claim_tables::CLAIMS_FILE,
            &carepool_schema::claim_tables::CLAIM_LINES_FILE,
        ];
        for table in tables::ALL.into_iter().chain(claim_files) {
            check_section(&format!("### {}", table.name), table);
        }
        let grievances = [
            &carepool_schema::grievance_tables::GRIEVANCES,
            &carepool_schema::grievance_tables::GRIEVANCE_STEPS,
        ];
        for table in claim_tables::ALL.iter().copied().chain(grievances) {
            check_section(&format!("### {} export", table.name), table);
        }
        check_section(
            "### grievances file",
            &carepool_schema::grievance_tables::GRIEVANCES_FILE,
        );
    }

    /// Every reason code is documented with its effect and meaning.
    #[test]
    fn the_format_documentation_lists_every_reason_code() {
        for code in ReasonCode::ALL {
            let row = format!(
                "| `{}` | {} | {} |",
                code.as_str(),
                code.effect().as_str(),
                code.doc()
            );
            assert!(DOC.contains(&row), "docs/FORMATS.md lacks {row}");
        }
    }
}
