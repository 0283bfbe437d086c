//! A file of grievances to file at once (a call centre's, a community representative's
//! register): CSV or XLSX, its columns declared as `GRIEVANCES_FILE`, all or nothing.

use crate::registry_csv::{CsvError, read_records};
use carepool_schema::grievance_tables::GrievanceFileRow;
use carepool_service::grievances::NewGrievance;
use carepool_service::{Numbered, Registry, RowProblem, Scope, ServiceError};
use std::path::Path;

/// Files every grievance of `path`, all or nothing: a field that cannot be read refuses the
/// file with every such problem named; once every line is read, the first problem of each bad
/// line is named (line, the file's column, the rule). Returns their numbers, in the file's
/// order (a day's filings numbered in it).
pub async fn import_grievances(
    registry: &Registry,
    path: &Path,
    scope: &Scope,
) -> Result<Vec<String>, CsvError> {
    let rows_error = |mut problems: Vec<RowProblem>| {
        problems.sort_by_key(|p| p.line);
        CsvError::Rows {
            path: path.to_path_buf(),
            problems,
        }
    };
    let (rows, problems) = read_records::<GrievanceFileRow>(path)?;
    if !problems.is_empty() {
        return Err(rows_error(problems));
    }
    if rows.is_empty() {
        return Err(rows_error(vec![RowProblem::new(
            1,
            None,
            "no grievance to file: the file holds only its header",
        )]));
    }
    let filings = rows
        .into_iter()
        .map(|Numbered { line, item }| Numbered {
            line,
            item: NewGrievance {
                scheme: item.scheme,
                category: item.category,
                channel: item.channel,
                priority: item.priority,
                filed_by: item.filed_by,
                filer: item.filer,
                filed_on: item.filed_on,
                location: item.location_code,
                member: item.member_id,
                family: item.family_id,
                claim: item.claim_id,
                provider: item.provider_id,
                description: item.description,
                attachments: item.attachments,
            },
        })
        .collect();
    match registry.file_grievances(filings, scope).await {
        Ok(ids) => Ok(ids),
        Err(ServiceError::Invalid(problems)) => Err(rows_error(
            problems
                .into_iter()
                .map(|p| RowProblem {
                    column: p.column.map(|field| file_column(&field).to_string()),
                    ..p
                })
                .collect(),
        )),
        Err(other) => Err(other.into()),
    }
}

/// The file's column for a field the filing names otherwise.
fn file_column(field: &str) -> &str {
    match field {
        "member" => "member_id",
        "family" => "family_id",
        "claim" => "claim_id",
        "provider" => "provider_id",
        "location" => "location_code",
        other => other,
    }
}
