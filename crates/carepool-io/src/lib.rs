//! File formats at carepool's edge: scheme definitions in TOML, registry CSV import and export.
//! Every problem names the file, the line and the column.

pub mod registry_csv;
pub mod scheme_file;

pub use registry_csv::{CsvError, ImportSummary, export, import_file};
pub use scheme_file::{SchemeFileError, read_scheme_file};
