//! Imports: a file's records checked against their own rules, each other and the database, then
//! compared with what is stored, so that an import says what it does (new, changed, unchanged)
//! and writes only the new and the changed records, each with its record in the trail. A dry run
//! says the same and writes nothing.

use crate::audit::Change;
use crate::{Numbered, Registry, RowProblem, ServiceError, unique, validate};
use carepool_schema::tables::MEMBERS;
use carepool_schema::{ColumnType, Record, Row, Table};
use carepool_store::{Progress, StoreError, Writes};
use std::collections::{HashMap, HashSet};

/// The trail's action for the keys of records an import brought in new.
pub(crate) const IMPORTED_NEW: &str = "import_new";

/// Stored rows are read this many records of the file at a time to compare them.
const COMPARED_AT_ONCE: usize = 5_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Any bad record refuses the whole import.
    AllOrNothing,
    /// Good records are written; bad ones are returned as rejects.
    SkipBad,
}

/// What an import did, or with a dry run would do.
#[derive(Debug, Default)]
pub struct ImportReport {
    /// Records not stored before.
    pub new: u64,
    /// The keys of the records stored before with other values, in the file's order.
    pub changed: Vec<String>,
    /// Records stored before with the same values: left as they are.
    pub unchanged: u64,
    /// What is wrong with each record left out, by line.
    pub rejected: Vec<RowProblem>,
    /// Approved claims held for review because a death or exit written here came on or before
    /// their care (`after_exit`).
    pub held_for_review: u64,
}

impl ImportReport {
    /// Records written: the new and the changed.
    pub fn written(&self) -> u64 {
        self.new + self.changed.len() as u64
    }
}

/// An import checked and compared with what is stored, ready to write.
struct Compared {
    /// The new and the changed rows, in the file's order.
    rows: Vec<Row>,
    /// The stored rows of the changed records, by key.
    before: HashMap<String, Row>,
    /// The line of each changed record, by key.
    changed_lines: HashMap<String, u64>,
    report: ImportReport,
}

impl Compared {
    /// Each changed record's line, stored row and new row.
    fn changes<'a>(&'a self, table: &Table) -> Vec<(u64, &'a Row, &'a Row)> {
        self.rows
            .iter()
            .filter_map(|row| {
                let key = table.key_text(row);
                Some((*self.changed_lines.get(&key)?, self.before.get(&key)?, row))
            })
            .collect()
    }

    /// Leaves out the changed records on `lines` (rejected).
    fn leave_out(&mut self, table: &Table, lines: &HashSet<u64>) {
        let keys: HashSet<String> = self
            .changed_lines
            .iter()
            .filter(|(_, line)| lines.contains(line))
            .map(|(key, _)| key.clone())
            .collect();
        self.rows.retain(|row| !keys.contains(&table.key_text(row)));
        self.report.changed.retain(|key| !keys.contains(key));
        for key in &keys {
            self.before.remove(key);
            self.changed_lines.remove(key);
        }
    }
}

impl Registry {
    /// Checks every record and writes the new and changed ones in one transaction; or, with
    /// `SkipBad`, writes the good ones and reports the rest. Importing the same records twice
    /// changes nothing the second time.
    pub async fn import<R: Record>(
        &self,
        records: Vec<Numbered<R>>,
        mode: ImportMode,
        progress: &Progress,
    ) -> Result<ImportReport, ServiceError> {
        let compared = self.checked_and_compared(records, mode).await?;
        let gone = match R::table().name == MEMBERS.name {
            true => crate::claims::gone_members(&compared.rows),
            false => Vec::new(),
        };
        let mut report = self.write_import(R::table(), compared, progress).await?;
        // After the members are written: a crash between leaves the claims to the next
        // payment run, which holds them first.
        report.held_for_review = self.hold_claims_after_exit(Some(gone)).await?;
        Ok(report)
    }

    /// What [`Registry::import`] would do, after the same checks, without writing anything.
    pub async fn import_dry_run<R: Record>(
        &self,
        records: Vec<Numbered<R>>,
        mode: ImportMode,
    ) -> Result<ImportReport, ServiceError> {
        Ok(self.checked_and_compared(records, mode).await?.report)
    }

    /// The problems an import of these records would meet, without writing anything.
    pub async fn check<R: Record>(
        &self,
        records: &[Numbered<R>],
    ) -> Result<Vec<RowProblem>, ServiceError> {
        let mut problems = own_rules(records);
        let rows: Vec<Numbered<Row>> = records
            .iter()
            .map(|r| Numbered {
                line: r.line,
                item: r.item.to_row(),
            })
            .collect();
        problems.extend(validate::rows(self, R::table(), &rows).await?);
        problems.sort_by_key(|p| p.line);
        Ok(problems)
    }

    async fn checked_and_compared<R: Record>(
        &self,
        records: Vec<Numbered<R>>,
        mode: ImportMode,
    ) -> Result<Compared, ServiceError> {
        let table = R::table();
        let mut problems = own_rules(&records);
        let rows = into_rows(records);
        problems.extend(validate::rows(self, table, &rows).await?);
        problems.sort_by_key(|p| p.line);
        let (good, rejected) = if problems.is_empty() {
            (rows, Vec::new())
        } else if mode == ImportMode::AllOrNothing {
            return Err(ServiceError::Invalid(problems));
        } else {
            validate::split_until_clean(self, table, rows, problems).await?
        };
        let mut compared = self.compare_with_stored(table, good).await?;
        let moves = validate::scheme_moves(self, table, &compared.changes(table)).await?;
        let mut rejected = rejected;
        if !moves.is_empty() {
            if mode == ImportMode::AllOrNothing {
                return Err(ServiceError::Invalid(moves));
            }
            let lines: HashSet<u64> = moves.iter().map(|p| p.line).collect();
            compared.leave_out(table, &lines);
            rejected.extend(moves);
            rejected.sort_by_key(|p| p.line);
        }
        compared.report.rejected = rejected;
        Ok(compared)
    }

    /// Sorts the rows into new, changed and unchanged against what is stored, reading the
    /// stored rows a slice of the file at a time, and keeps the new and the changed.
    async fn compare_with_stored(
        &self,
        table: &'static Table,
        rows: Vec<Numbered<Row>>,
    ) -> Result<Compared, ServiceError> {
        let first = table.key[0];
        let mut compared = Compared {
            rows: Vec::new(),
            before: HashMap::new(),
            changed_lines: HashMap::new(),
            report: ImportReport::default(),
        };
        let mut rows = rows.into_iter();
        loop {
            let slice: Vec<Numbered<Row>> = rows.by_ref().take(COMPARED_AT_ONCE).collect();
            if slice.is_empty() {
                break;
            }
            // By the first key column: a coverage file's members bring all their periods.
            let firsts = unique(
                slice
                    .iter()
                    .map(|row| row.item[first].format(ColumnType::Text)),
            );
            let mut stored: HashMap<String, Row> = self
                .store
                .rows_where_in(table, first, &firsts)
                .await?
                .into_iter()
                .map(|row| (table.key_text(&row), row))
                .collect();
            for Numbered { line, item: row } in slice {
                let key = table.key_text(&row);
                match stored.remove(&key) {
                    None => compared.report.new += 1,
                    Some(before) if before == row => {
                        compared.report.unchanged += 1;
                        continue;
                    }
                    Some(before) => {
                        compared.report.changed.push(key.clone());
                        compared.changed_lines.insert(key.clone(), line);
                        compared.before.insert(key, before);
                    }
                }
                compared.rows.push(row);
            }
        }
        Ok(compared)
    }

    /// Writes the new and changed rows in one transaction with the import's record in the
    /// trail, one for each changed record with its values before and after, and the new
    /// records' keys, many to a record (`import_new`): a record per new record cost an import
    /// a third of its speed. A new record's values are its first version (see `history`). An
    /// import that changes nothing writes nothing.
    async fn write_import(
        &self,
        table: &'static Table,
        compared: Compared,
        progress: &Progress,
    ) -> Result<ImportReport, ServiceError> {
        let Compared {
            rows,
            before,
            report,
            ..
        } = compared;
        if rows.is_empty() {
            return Ok(report);
        }
        let summary = Change {
            action: "import",
            table,
            key: None,
            before: None,
            after: Some(
                serde_json::json!({
                    "new": report.new,
                    "changed": report.changed.len(),
                    "unchanged": report.unchanged,
                })
                .to_string(),
            ),
        };
        let summary = self.audit(vec![summary])?;
        // Made a slice of rows at a time, beside its rows: a large import never holds them all.
        let trail_of = |slice: &[Row]| -> Result<Writes, StoreError> {
            let mut changes = Vec::new();
            let mut new_keys = Vec::new();
            for row in slice {
                let key = table.key_text(row);
                match before.get(&key) {
                    Some(stored) => {
                        changes.push(Change::of_record("import", table, Some(stored), Some(row)))
                    }
                    None => new_keys.push(key),
                }
            }
            if !new_keys.is_empty() {
                changes.push(Change {
                    action: IMPORTED_NEW,
                    table,
                    key: None,
                    before: None,
                    after: Some(serde_json::json!({ "keys": new_keys }).to_string()),
                });
            }
            Ok(vec![self.audit(changes).map_err(StoreError::internal)?])
        };
        self.store
            .upsert_then(table, &rows, progress, &trail_of, vec![summary])
            .await?;
        Ok(report)
    }
}

fn own_rules<R: Record>(records: &[Numbered<R>]) -> Vec<RowProblem> {
    records
        .iter()
        .filter_map(|r| Some(RowProblem::of_field(r.line, r.item.check().err()?)))
        .collect()
}

/// The records as rows. Taken from the back, with the records' buffer shrunk as it empties, so a
/// large import holds little more than one copy of its data at a time.
fn into_rows<R: Record>(mut records: Vec<Numbered<R>>) -> Vec<Numbered<Row>> {
    let mut rows = Vec::with_capacity(records.len());
    while let Some(Numbered { line, item }) = records.pop() {
        rows.push(Numbered {
            line,
            item: item.into_row(),
        });
        if records.len() < records.capacity() / 2 {
            records.shrink_to_fit();
        }
    }
    rows.reverse();
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_core::registry::Coverage;
    use carepool_schema::tables::coverage;
    use chrono::NaiveDate;

    #[test]
    fn records_become_rows_in_their_order() {
        let records: Vec<Numbered<Coverage>> = (1..=5u32)
            .map(|day| Numbered {
                line: u64::from(day) + 1,
                item: Coverage {
                    member_id: format!("M{day}"),
                    start_date: NaiveDate::from_ymd_opt(2025, 1, day).unwrap(),
                    end_date: None,
                    package: None,
                },
            })
            .collect();
        let expected: Vec<(u64, Row)> = records.iter().map(|r| (r.line, r.item.to_row())).collect();
        let rows: Vec<(u64, Row)> = into_rows(records)
            .into_iter()
            .map(|r| (r.line, r.item))
            .collect();
        assert_eq!(rows, expected);
        assert_eq!(coverage::MEMBER_ID.value(&rows[0].1).as_text(), Some("M1"));
    }
}
