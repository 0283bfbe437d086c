//! File formats at carepool's edge: scheme definitions in TOML, registry CSV import and export.
//! Every problem names the file, the line and the column.

pub mod claims_csv;
pub mod registry_csv;
pub mod scheme_file;

pub use registry_csv::{CsvError, ImportSummary, export, import_file};
pub use scheme_file::{SchemeFileError, read_scheme_file};

#[cfg(test)]
mod tests {
    use carepool_store::tables;

    /// docs/FORMATS.md documents exactly the columns the import reads, table by table.
    #[test]
    fn the_format_documentation_lists_every_column_of_every_kind() {
        let doc = include_str!("../../../docs/FORMATS.md");
        let claim_files = [
            &crate::claims_csv::CLAIMS_FILE,
            &crate::claims_csv::CLAIM_LINES_FILE,
        ];
        for table in tables::ALL.into_iter().chain(claim_files) {
            let heading = format!("### {}\n", table.name);
            let section = doc
                .split(&heading)
                .nth(1)
                .unwrap_or_else(|| panic!("no section for {}", table.name));
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
            assert_eq!(
                documented, columns,
                "docs/FORMATS.md, section {}",
                table.name
            );
            for column in table.columns {
                let row = section
                    .lines()
                    .find(|l| l.starts_with(&format!("| `{}` |", column.name)))
                    .unwrap();
                let required = if column.required { "| yes |" } else { "| no |" };
                assert!(
                    row.contains(required),
                    "{}.{}: documented as {row}",
                    table.name,
                    column.name
                );
            }
        }
    }
}
