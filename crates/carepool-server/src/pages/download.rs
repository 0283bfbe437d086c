//! Reports answered as files to download (CSV, XLSX, JSON), written by the same writer as the
//! command line's `--out` into a private folder that is removed once read.

use crate::error::ApiError;
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use carepool_io::report::{self, Format, Report};
use serde::Serialize;

/// A format a page offers to download, by the name a link gives.
pub fn format_named(name: &str) -> Option<Format> {
    match name {
        "csv" => Some(Format::Csv),
        "xlsx" => Some(Format::Xlsx),
        "json" => Some(Format::Json),
        _ => None,
    }
}

/// `report` as a file named `stem` with the format's extension (`json`: the study's own
/// structure); a CSV holds the report's first table.
pub fn file(
    report: &Report,
    json: &impl Serialize,
    stem: &str,
    format: Format,
) -> Result<Response, ApiError> {
    let (extension, media) = match format {
        Format::Csv => ("csv", "text/csv; charset=utf-8"),
        Format::Xlsx => (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        Format::Json => ("json", "application/json"),
        Format::Html => ("html", "text/html; charset=utf-8"),
    };
    let folder = tempfile::tempdir().map_err(ApiError::internal)?;
    // The name is ours (a run's or a study's), made safe for a file and a header.
    let stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let name = format!("{stem}.{extension}");
    let path = folder.path().join(&name);
    report::write(report, json, &path).map_err(ApiError::internal)?;
    let bytes = std::fs::read(&path).map_err(ApiError::internal)?;
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .map_err(ApiError::internal)?;
    Ok((
        [
            (CONTENT_TYPE, HeaderValue::from_static(media)),
            (CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
