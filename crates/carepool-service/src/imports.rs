//! Imports: a file's records checked against their own rules, each other and the database, then
//! compared with what is stored, so that an import says what it does (new, changed, unchanged)
//! and writes only the new and the changed records, each with its record in the trail. A dry run
//! says the same and writes nothing.

use crate::audit::{Change, LaterRecord};
use crate::cover_family;
use crate::validate::{self, InputSeen};
use crate::{NotWritten, Numbered, REST_UNREADABLE, Registry, RowProblem, ServiceError, unique};
use carepool_schema::tables::MEMBERS;
use carepool_schema::{ColumnType, Record, Row, Table};
use carepool_store::{StoreError, Write, WriteParts, Writes};
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

/// Which reading of its input an import is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// The first: every record checked.
    Checking,
    /// Only if a key or national id may have been given twice: which were, and where first.
    Repeats,
    /// The second: each record compared with what is stored and, unless a dry run, written.
    Writing,
}

/// Hears an import's reading and how many records it has read so far in it.
pub type ImportProgress = dyn Fn(Reading, u64) + Send + Sync;

/// An import's input, read a slice of records at a time: once to check it whole (and, if a key
/// or national id seems given twice, again to tell: see `validate::InputSeen`), then again to
/// compare and write it, so that a large file is never held.
pub trait ImportSource<R>: Send {
    type Error: Send;
    /// The next records in the input's order, with a problem for each line among them that
    /// could not be read as a record; none after the last.
    fn next_slice(&mut self) -> Result<Option<Slice<R>>, Self::Error>;
    /// Reads again from the first record. An input that is not as it was the first time is an
    /// error, by the time its last slice is read at the latest.
    fn rewind(&mut self) -> Result<(), Self::Error>;
}

/// A slice of an import's input.
pub struct Slice<R> {
    pub records: Vec<Numbered<R>>,
    /// What is wrong with each line among them that could not be read as a record.
    pub unreadable: Vec<RowProblem>,
    /// The key each of those lines gives, where it gives one: a row of the same input that
    /// refers to it is then told the line it lost (a village under a district refused for
    /// its name), not that it refers to nothing.
    pub unread_keys: Vec<Numbered<String>>,
}

/// An import's input checked whole.
struct Checked {
    /// The lines left out, with the problems that leave them out.
    bad: HashSet<u64>,
    rejected: Vec<RowProblem>,
}

/// One slice of an import compared with what is stored, ready to write.
#[derive(Default)]
struct Compared {
    /// The new and the changed rows, in the input's order.
    rows: Vec<Row>,
    /// The stored rows of the changed records, by key.
    before: HashMap<String, Row>,
    /// The line of each changed record, by key.
    changed_lines: HashMap<String, u64>,
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

    /// Leaves out the changed records on `lines` (rejected); returns their keys.
    fn leave_out(&mut self, table: &Table, lines: &HashSet<u64>) -> HashSet<String> {
        let keys: HashSet<String> = self
            .changed_lines
            .iter()
            .filter(|(_, line)| lines.contains(line))
            .map(|(key, _)| key.clone())
            .collect();
        self.rows.retain(|row| !keys.contains(&table.key_text(row)));
        for key in &keys {
            self.before.remove(key);
            self.changed_lines.remove(key);
        }
        keys
    }

    /// The rows' records in the trail: one for each changed record with its values before and
    /// after, and the new records' keys, many to a record (`import_new`): a record per new
    /// record cost an import a third of its speed. A new record's values are its first version
    /// (see `history`).
    fn trail(&self, table: &'static Table) -> Vec<Change> {
        let mut changes = Vec::new();
        let mut new_keys = Vec::new();
        for row in &self.rows {
            let key = table.key_text(row);
            match self.before.get(&key) {
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
        changes
    }
}

/// The second reading of an import: each slice compared with what is stored and, unless a dry
/// run, written (as the store asks for parts, in one transaction).
struct Writing<'r, R, S: ImportSource<R>> {
    registry: &'r Registry,
    input: &'r mut S,
    mode: ImportMode,
    bad: HashSet<u64>,
    report: ImportReport,
    /// Records moved between schemes, refusing an import that is all or nothing: once there is
    /// one, nothing more is written.
    moves: Vec<RowProblem>,
    /// Members written with a death or exit.
    gone: Vec<String>,
    progress: &'r ImportProgress,
    compared: u64,
    /// Why the import ended before its last slice, if it did.
    ended: Option<NotWritten<S::Error>>,
    /// The import's own record in the trail, made first so that the trail lists it before its
    /// rows' records, and written last with their counts (none once written).
    summary: Option<LaterRecord>,
    _records: std::marker::PhantomData<fn() -> R>,
}

impl<R: Record, S: ImportSource<R>> Writing<'_, R, S> {
    /// The next slice of good records compared with what is stored, or none after the last.
    async fn next_compared(&mut self) -> Result<Option<Compared>, NotWritten<S::Error>> {
        let table = R::table();
        let Some(slice) = self.input.next_slice().map_err(NotWritten::Unreadable)? else {
            return Ok(None);
        };
        self.compared += slice.records.len() as u64;
        let changed_before = self.report.changed.len();
        let good: Vec<Numbered<R>> = slice
            .records
            .into_iter()
            .filter(|r| !self.bad.contains(&r.line))
            .collect();
        let registry = self.registry;
        let refused = NotWritten::Refused;
        let mut rows = into_rows(good);
        // Before comparing: a file that leaves a period's family out means the stored one.
        (cover_family::fill(registry, table, &mut rows).await).map_err(refused)?;
        let mut compared = registry
            .compare_with_stored(table, rows, &mut self.report)
            .await
            .map_err(refused)?;
        let moves = validate::scheme_moves(registry, table, &compared.changes(table))
            .await
            .map_err(refused)?;
        if !moves.is_empty() {
            let lines: HashSet<u64> = moves.iter().map(|p| p.line).collect();
            let left_out = compared.leave_out(table, &lines);
            // Only this slice's changes can be left out.
            let slice_changed = self.report.changed.split_off(changed_before);
            (self.report.changed).extend(
                slice_changed
                    .into_iter()
                    .filter(|key| !left_out.contains(key)),
            );
            match self.mode {
                ImportMode::AllOrNothing => self.moves.extend(moves),
                ImportMode::SkipBad => self.report.rejected.extend(moves),
            }
        }
        (self.progress)(Reading::Writing, self.compared);
        Ok(Some(compared))
    }

    /// The writes of the next slice with anything to write, or none after the last.
    async fn next_writes(&mut self) -> Result<Option<Writes>, NotWritten<S::Error>> {
        let table = R::table();
        while let Some(compared) = self.next_compared().await? {
            if compared.rows.is_empty() || !self.moves.is_empty() {
                continue;
            }
            if table.name == MEMBERS.name {
                self.gone
                    .extend(crate::claims::gone_members(&compared.rows));
            }
            let trail = self
                .registry
                .audit(compared.trail(table))
                .map_err(NotWritten::Refused)?;
            return Ok(Some(vec![Write::Upsert(table, compared.rows), trail]));
        }
        if !self.moves.is_empty() {
            let moves = std::mem::take(&mut self.moves);
            return Err(NotWritten::Refused(ServiceError::Invalid(moves)));
        }
        // An import that changes nothing writes nothing.
        if self.report.written() == 0 {
            return Ok(None);
        }
        let Some(summary) = self.summary.take() else {
            return Ok(None);
        };
        let counts = serde_json::json!({
            "new": self.report.new,
            "changed": self.report.changed.len(),
            "unchanged": self.report.unchanged,
        });
        Ok(Some(vec![summary.saying(counts.to_string())]))
    }
}

#[async_trait::async_trait]
impl<R: Record, S: ImportSource<R>> WriteParts for Writing<'_, R, S> {
    async fn next_part(&mut self) -> Result<Option<Writes>, StoreError> {
        match self.next_writes().await {
            Ok(writes) => Ok(writes),
            Err(ended) => {
                self.ended = Some(ended);
                // Ends the transaction; the import then tells why.
                Err(StoreError::Internal("import refused".into()))
            }
        }
    }
}

impl Registry {
    /// Checks every record of `input` and writes the new and changed ones in one transaction;
    /// or, with `SkipBad`, writes the good ones and reports the rest. Importing the same
    /// records twice changes nothing the second time. The input is read a slice at a time:
    /// once to check it whole (and once more if a key or national id may be repeated), then
    /// once to compare and write it. `progress` hears each reading and how far it is.
    pub async fn import<R: Record, S: ImportSource<R>>(
        &self,
        input: &mut S,
        mode: ImportMode,
        progress: &ImportProgress,
    ) -> Result<ImportReport, NotWritten<S::Error>> {
        let checked = self.check_input(input, mode, progress).await?;
        let mut writing = self.writing(input, mode, checked, progress);
        let summary = Change {
            action: "import",
            table: R::table(),
            key: None,
            before: None,
            after: None,
        };
        writing.summary = Some(self.record_later(summary).map_err(NotWritten::Refused)?);
        let written = self.store.write_in_parts("import", &mut writing).await;
        if let Some(ended) = writing.ended {
            return Err(ended);
        }
        written.map_err(|e| NotWritten::Refused(e.into()))?;
        let Writing {
            mut report, gone, ..
        } = writing;
        report.rejected.sort_by_key(|p| p.line);
        // After the members are written: a crash between leaves the claims to the next
        // payment run, which holds them first.
        report.held_for_review = self
            .hold_claims_after_exit(Some(gone))
            .await
            .map_err(NotWritten::Refused)?;
        Ok(report)
    }

    /// What [`Registry::import`] would do, after the same checks, without writing anything.
    pub async fn import_dry_run<R: Record, S: ImportSource<R>>(
        &self,
        input: &mut S,
        mode: ImportMode,
    ) -> Result<ImportReport, NotWritten<S::Error>> {
        let checked = self.check_input(input, mode, &|_, _| {}).await?;
        let mut writing = self.writing(input, mode, checked, &|_, _| {});
        while writing.next_compared().await?.is_some() {}
        if !writing.moves.is_empty() {
            return Err(NotWritten::Refused(ServiceError::Invalid(writing.moves)));
        }
        let mut report = writing.report;
        report.rejected.sort_by_key(|p| p.line);
        Ok(report)
    }

    fn writing<'r, R: Record, S: ImportSource<R>>(
        &'r self,
        input: &'r mut S,
        mode: ImportMode,
        checked: Checked,
        progress: &'r ImportProgress,
    ) -> Writing<'r, R, S> {
        Writing {
            registry: self,
            input,
            mode,
            bad: checked.bad,
            report: ImportReport {
                rejected: checked.rejected,
                ..ImportReport::default()
            },
            moves: Vec::new(),
            gone: Vec::new(),
            progress,
            compared: 0,
            ended: None,
            summary: None,
            _records: std::marker::PhantomData,
        }
    }

    /// Reads the whole input, checking each record against its own rules, the other records
    /// and the database (reading it once more to tell repeats, if there may be any); then
    /// rewinds it. All or nothing, any problem refuses the import, naming every problem;
    /// otherwise the problems' lines are left out, with the lines of the rows that referred to
    /// them.
    async fn check_input<R: Record, S: ImportSource<R>>(
        &self,
        input: &mut S,
        mode: ImportMode,
        progress: &ImportProgress,
    ) -> Result<Checked, NotWritten<S::Error>> {
        let table = R::table();
        let mut seen = InputSeen::of(table);
        // A line's problems in the order of the checks: its reading and its own rules, then
        // its repeats, then what the database says of it.
        let mut problems = Vec::new();
        let mut checked = Vec::new();
        let mut read = 0;
        while let Some(slice) = input.next_slice().map_err(NotWritten::Unreadable)? {
            read += slice.records.len() as u64;
            problems.extend(slice.unreadable);
            seen.unread(&slice.unread_keys);
            problems.extend(own_rules(&slice.records));
            let rows = into_rows(slice.records);
            checked.extend(
                validate::slice(self, table, &rows, &mut seen)
                    .await
                    .map_err(NotWritten::Refused)?,
            );
            progress(Reading::Checking, read);
        }
        checked.extend(seen.unresolved(table));
        if mode == ImportMode::AllOrNothing {
            // The loops of the file as it is; skipping bad rows, those of the rows kept (below).
            let loops = seen.loops(self, table, &HashSet::new()).await;
            checked.extend(loops.map_err(NotWritten::Refused)?);
        }
        if seen.any_suspect() {
            problems.extend(repeats(input, &seen, progress).await?);
        }
        problems.extend(checked);
        problems.sort_by_key(|p| p.line);
        let rest_unreadable = problems.iter().any(|p| p.reason == Some(REST_UNREADABLE));
        if (mode == ImportMode::AllOrNothing || rest_unreadable) && !problems.is_empty() {
            return Err(NotWritten::Refused(ServiceError::Invalid(problems)));
        }
        let mut bad: HashSet<u64> = problems.iter().map(|p| p.line).collect();
        if mode == ImportMode::SkipBad {
            // Rows left out strand the rows that refer to them, and the rows kept may close a
            // loop, with one another or with a left-out row's stored version: until neither
            // leaves out more.
            loop {
                if !bad.is_empty() {
                    let stranded = seen.stranded(self, table, &mut bad).await;
                    problems.extend(stranded.map_err(NotWritten::Refused)?);
                }
                let loops = seen.loops(self, table, &bad).await;
                let loops = loops.map_err(NotWritten::Refused)?;
                if loops.is_empty() {
                    break;
                }
                bad.extend(loops.iter().map(|p| p.line));
                problems.extend(loops);
            }
            problems.sort_by_key(|p| p.line);
        }
        input.rewind().map_err(NotWritten::Unreadable)?;
        Ok(Checked {
            bad,
            rejected: problems,
        })
    }

    /// Sorts the rows into new, changed and unchanged against what is stored, counting them in
    /// `report`, reading the stored rows a few thousand at a time, and keeps the new and the
    /// changed.
    async fn compare_with_stored(
        &self,
        table: &'static Table,
        rows: Vec<Numbered<Row>>,
        report: &mut ImportReport,
    ) -> Result<Compared, ServiceError> {
        let first = table.key[0];
        let mut compared = Compared::default();
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
                    None => report.new += 1,
                    Some(before) if before == row => {
                        report.unchanged += 1;
                        continue;
                    }
                    Some(before) => {
                        report.changed.push(key.clone());
                        compared.changed_lines.insert(key.clone(), line);
                        compared.before.insert(key, before);
                    }
                }
                compared.rows.push(row);
            }
        }
        Ok(compared)
    }
}

/// The keys and national ids `input` gives twice, found by reading it again (see
/// [`InputSeen::confirming`]).
async fn repeats<R: Record, S: ImportSource<R>>(
    input: &mut S,
    seen: &InputSeen,
    progress: &ImportProgress,
) -> Result<Vec<RowProblem>, NotWritten<S::Error>> {
    input.rewind().map_err(NotWritten::Unreadable)?;
    let mut repeats = seen.confirming();
    let mut read = 0;
    while let Some(slice) = input.next_slice().map_err(NotWritten::Unreadable)? {
        read += slice.records.len() as u64;
        repeats.slice(R::table(), &into_rows(slice.records));
        progress(Reading::Repeats, read);
    }
    Ok(repeats.found(R::table()))
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
                    family_id: None,
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
