//! Claims CSV files as facilities send them: a claims file with one row per claim and a lines
//! file, or a claims file alone with one row per line (rows with the same facility and claim
//! number make one claim). See docs/FORMATS.md.

use crate::claim_parts::ClaimFileParts;
use crate::registry_csv::{CsvError, read_records};
use carepool_core::claims::{Claim, ClaimLine};
use carepool_schema::claim_tables::{ClaimFileRow, ClaimLineFileRow};
use carepool_service::claims::{ReceiveReport, ReceivedClaim};
use carepool_service::{Numbered, Registry, RowProblem};
use carepool_store::Progress;
use std::collections::HashMap;
use std::path::Path;

/// Reads claims from `claims_path`, with their lines from `lines_path` or from the claims file
/// itself. Every problem names its file, line and column; any problem refuses the whole input.
pub fn read_claims(
    claims_path: &Path,
    lines_path: Option<&Path>,
) -> Result<Vec<ReceivedClaim>, CsvError> {
    let (rows, problems) = read_records::<ClaimFileRow>(claims_path)?;
    let mut grouped = Grouped::of_rows(rows, problems, lines_path.is_some());
    grouped.refuse_on_problems(claims_path)?;
    if let Some(lines_path) = lines_path {
        let (lines, problems) = read_records::<ClaimLineFileRow>(lines_path)?;
        grouped.problems = problems;
        grouped.attach_lines(lines, claims_path);
        grouped.refuse_on_problems(lines_path)?;
    }
    Ok(grouped.claims)
}

/// Claims made of a claims file's rows: one row per claim (its lines in a lines file), or one
/// row per line (rows with the same facility and claim number make one claim).
pub(crate) struct Grouped {
    pub(crate) claims: Vec<ReceivedClaim>,
    /// Where each claim is in `claims`, by facility and claim number.
    index: HashMap<(String, String), usize>,
    /// What is wrong with the rows grouped or the lines attached last.
    pub(crate) problems: Vec<RowProblem>,
}

impl Grouped {
    /// Groups the claims file's `rows` (read with `problems`) into claims; `lines_given` says
    /// whether the lines are in a file of their own.
    pub(crate) fn of_rows(
        rows: Vec<Numbered<ClaimFileRow>>,
        problems: Vec<RowProblem>,
        lines_given: bool,
    ) -> Grouped {
        let mut grouped = Grouped {
            claims: Vec::new(),
            index: HashMap::new(),
            problems,
        };
        for row in rows {
            grouped.add_row(row, lines_given);
        }
        grouped
    }

    fn add_row(&mut self, Numbered { line, item: row }: Numbered<ClaimFileRow>, lines_given: bool) {
        let problems = &mut self.problems;
        let line_columns = [
            ("service_code", row.service_code.is_some()),
            ("quantity", row.quantity.is_some()),
            ("unit_price", row.unit_price.is_some()),
        ];
        let has_line = line_columns.iter().any(|(_, given)| *given);
        let key = (row.provider_id.clone(), row.claim_number.clone());
        let header = Claim {
            provider_id: row.provider_id,
            claim_number: row.claim_number,
            member_id: row.member_id,
            visit_date: row.visit_date,
            admission_date: row.admission_date,
            discharge_date: row.discharge_date,
            diagnosis_codes: row.diagnosis_codes,
            clinical_category: row.clinical_category,
            specialty: row.specialty,
            limit_raising_case: row.limit_raising_case,
            copay_collected: row.copay_collected.unwrap_or_default(),
            received_date: row.received_date,
            lines: vec![],
        };
        let line_item = match lines_given {
            true if has_line => {
                problems.push(RowProblem::new(
                    line,
                    Some("service_code"),
                    "give lines in the claims file or in the lines file, not both",
                ));
                None
            }
            true => None,
            false => {
                let missing: Vec<&str> = line_columns
                    .into_iter()
                    .filter(|(_, given)| !given)
                    .map(|(name, _)| name)
                    .collect();
                if let Some(first) = missing.first() {
                    problems.push(RowProblem::new(
                        line,
                        Some(first),
                        "is required when no lines file is given (one row per claim line)",
                    ));
                    None
                } else {
                    Some(ClaimLine {
                        service_code: row.service_code.unwrap_or_default(),
                        quantity: row.quantity.unwrap_or_default(),
                        unit_price: row.unit_price.unwrap_or_default(),
                    })
                }
            }
        };
        match self.index.get(&key) {
            Some(&at) if lines_given => problems.push(RowProblem::new(
                line,
                Some("claim_number"),
                format!(
                    "claim {}/{} appears twice (first on line {})",
                    key.0, key.1, self.claims[at].line
                ),
            )),
            Some(&at) => {
                let first = &mut self.claims[at];
                let mut same = header.clone();
                same.lines = first.claim.lines.clone();
                if same != first.claim {
                    problems.push(RowProblem::new(
                        line,
                        None,
                        format!(
                            "a line of claim {}/{} whose claim fields differ from its first line (line {})",
                            key.0, key.1, first.line
                        ),
                    ));
                }
                first.claim.lines.extend(line_item);
            }
            None => {
                self.index.insert(key, self.claims.len());
                let mut claim = header;
                claim.lines.extend(line_item);
                self.claims.push(ReceivedClaim { line, claim });
            }
        }
    }

    /// Gives each claim its lines from a lines file, in the file's order; a line of a claim
    /// the claims file (`claims_path`) does not hold is a problem.
    pub(crate) fn attach_lines(
        &mut self,
        lines: Vec<Numbered<ClaimLineFileRow>>,
        claims_path: &Path,
    ) {
        for Numbered { line, item: row } in lines {
            let key = (row.provider_id, row.claim_number);
            match self.index.get(&key) {
                Some(&at) => self.claims[at].claim.lines.push(ClaimLine {
                    service_code: row.service_code,
                    quantity: row.quantity,
                    unit_price: row.unit_price,
                }),
                None => self.problems.push(RowProblem::new(
                    line,
                    Some("claim_number"),
                    format!("no claim {}/{} in {}", key.0, key.1, claims_path.display()),
                )),
            }
        }
    }

    /// Refuses the input, naming `path`, if anything was wrong.
    fn refuse_on_problems(&mut self, path: &Path) -> Result<(), CsvError> {
        if self.problems.is_empty() {
            return Ok(());
        }
        Err(refusal(path, std::mem::take(&mut self.problems)))
    }
}

/// Refuses a file, its problems in the file's order.
pub(crate) fn refusal(path: &Path, mut problems: Vec<RowProblem>) -> CsvError {
    problems.sort_by_key(|p| p.line);
    CsvError::Rows {
        path: path.to_path_buf(),
        problems,
    }
}

/// Reads claims files and receives the claims, all or nothing, a part of the files at a time
/// (see [`ClaimFileParts`]); a claim the registry refuses is reported against the claims
/// file's line. `progress` is told how many claims have been checked.
pub async fn receive_file(
    registry: &Registry,
    claims_path: &Path,
    lines_path: Option<&Path>,
    progress: &Progress,
) -> Result<ReceiveReport, CsvError> {
    let part_bytes = crate::claim_parts::PART_BYTES;
    receive_file_in_parts_of(registry, claims_path, lines_path, part_bytes, progress).await
}

/// As [`receive_file`], the files split in parts when they are larger than `part_bytes`
/// together: smaller parts hold less in memory at once (16 MiB by default).
pub async fn receive_file_in_parts_of(
    registry: &Registry,
    claims_path: &Path,
    lines_path: Option<&Path>,
    part_bytes: u64,
    progress: &Progress,
) -> Result<ReceiveReport, CsvError> {
    let parts = ClaimFileParts::split(claims_path, lines_path, part_bytes)?;
    (registry.receive_claims_in_parts(parts, progress).await)
        .map_err(|e| CsvError::not_written(claims_path, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_core::Money;
    use std::fs;

    const HEADER: &str = "claim_number,provider_id,member_id,visit_date,admission_date,discharge_date,diagnosis_codes,clinical_category,specialty,limit_raising_case,copay_collected,received_date";

    #[test]
    fn a_claims_file_with_a_lines_file_makes_claims_with_their_lines() {
        let dir = tempfile::tempdir().unwrap();
        let claims = dir.path().join("claims.csv");
        let lines = dir.path().join("claim_lines.csv");
        fs::write(&claims, format!("{HEADER}\n77,H1,M1,,2025-03-01,2025-03-04,I21.0;E11,medical,cardiology,,0,2025-03-10\n")).unwrap();
        fs::write(&lines, "provider_id,claim_number,service_code,quantity,unit_price\nH1,77,PCI,1,120000\nH1,77,MED-STAY,2,450.50\n").unwrap();
        let read = read_claims(&claims, Some(&lines)).unwrap();
        assert_eq!(read.len(), 1);
        let claim = &read[0].claim;
        assert_eq!(claim.diagnosis_codes, ["I21.0", "E11"]);
        assert_eq!(claim.lines.len(), 2);
        assert_eq!(claim.lines[1].unit_price, Money::from_minor(45_050));
        assert_eq!(claim.claimed(), Money::from_minor(12_090_100));
    }

    #[test]
    fn a_flat_claims_file_groups_its_rows_by_claim() {
        let dir = tempfile::tempdir().unwrap();
        let claims = dir.path().join("claims.csv");
        fs::write(&claims, format!("{HEADER},service_code,quantity,unit_price\n1,C1,M1,2025-03-01,,,J18,medical,,,,2025-03-02,CONS,1,600\n1,C1,M1,2025-03-01,,,J18,medical,,,,2025-03-02,DRUG,3,10\n2,C1,M2,2025-03-01,,,J18,medical,,,,2025-03-02,CONS,1,600\n")).unwrap();
        let read = read_claims(&claims, None).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[0].claim.lines.len(), 2);
        assert_eq!(read[1].line, 4);
    }

    #[test]
    fn bad_rows_are_named_by_file_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let claims = dir.path().join("claims.csv");
        let lines = dir.path().join("claim_lines.csv");
        fs::write(&claims, format!("{HEADER}\n77,H1,M1,,2025-03-01,2025-02-30,I21,medical,,,0,2025-03-10\n78,H1,M1,,2025-03-01,,I21,medical,,,0,2025-03-10\n78,H1,M1,,2025-03-01,,I21,medical,,,0,2025-03-10\n")).unwrap();
        let error = read_claims(&claims, Some(&lines)).unwrap_err().to_string();
        assert!(error.contains("claims.csv"), "{error}");
        assert!(
            error.contains("line 2, column discharge_date: '2025-02-30' is not a date"),
            "{error}"
        );
        assert!(
            error.contains(
                "line 4, column claim_number: claim H1/78 appears twice (first on line 3)"
            ),
            "{error}"
        );

        fs::write(
            &claims,
            format!("{HEADER}\n77,H1,M1,,2025-03-01,2025-03-02,I21,medical,,,0,2025-03-10\n"),
        )
        .unwrap();
        fs::write(&lines, "provider_id,claim_number,service_code,quantity,unit_price\nH1,99,PCI,1,100\nH1,77,PCI,one,100\n").unwrap();
        let error = read_claims(&claims, Some(&lines)).unwrap_err().to_string();
        assert!(error.contains("claim_lines.csv"), "{error}");
        assert!(
            error.contains("line 2, column claim_number: no claim H1/99"),
            "{error}"
        );
        assert!(error.contains("line 3, column quantity"), "{error}");

        let error = read_claims(&claims, None).unwrap_err().to_string();
        assert!(
            error.contains("line 2, column service_code: is required when no lines file is given"),
            "{error}"
        );
    }
}
