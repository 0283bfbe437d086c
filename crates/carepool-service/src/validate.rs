//! The checks every registry write goes through, for a whole file or one row, after each record's
//! own rules (records.rs): keys and unique values not repeated, references that exist (in the
//! database or anywhere in the same input), and, for coverage, eligibility under the scheme
//! version in force.

use crate::repeats::{Fingerprints, Suspects};
use crate::{Numbered, Registry, RowProblem, ServiceError, unique};
use carepool_core::dates;
use carepool_core::eligibility::check_enrolment;
use carepool_core::location_tree;
use carepool_core::registry::{Coverage, Family, Member, check_text};
use carepool_core::scheme::{SchemeDefinition, version_in_force};
use carepool_schema::Record;
use carepool_schema::tables::{self, FAMILIES, MEMBERS, families, members};
use carepool_schema::{Reference, Row, Table, Value};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

type Problems = Vec<RowProblem>;
type NumberedRow = Numbered<Row>;

/// The problems of a whole input (one record from the API, or a file read at once).
pub(crate) async fn rows(
    registry: &Registry,
    table: &'static Table,
    rows: &[NumberedRow],
) -> Result<Problems, ServiceError> {
    let mut seen = InputSeen::of(table);
    let mut checked = slice(registry, table, rows, &mut seen).await?;
    checked.extend(seen.unresolved(table));
    checked.extend(seen.loops(registry, table, &HashSet::new()).await?);
    let mut problems = Vec::new();
    if seen.any_suspect() {
        let mut repeats = seen.confirming();
        repeats.slice(table, rows);
        problems = repeats.found(table);
    }
    // A line's repeats before what the database says of it.
    problems.extend(checked);
    problems.sort_by_key(|p| p.line);
    Ok(problems)
}

/// What an input's rows shown so far tell about the rest, for the checks that span a whole
/// input read a slice at a time: the keys and national ids already given (a repeat is refused:
/// see [`InputSeen::confirming`]), and the references to rows of the same table (a location's
/// parent).
pub(crate) struct InputSeen {
    keys: Fingerprints,
    national_ids: Fingerprints,
    /// For a table whose rows refer to each other (locations, a few thousand rows), its column
    /// that refers to the same table, and the rows given by key: references are resolved in the
    /// input by them, and the tree they make is checked for loops.
    own_rows: Option<(usize, HashMap<Box<str>, OwnRow>)>,
    /// For such a table, the keys of the lines that could not be read as rows, by key (their
    /// first line), for the references to them (see [`InputSeen::unread`]).
    unread: HashMap<Box<str>, OwnRow>,
    /// References to a row of the same table found neither in the input so far nor in the
    /// database: the row may come later in the input.
    ahead: Vec<RowReference>,
    /// References to a row of the same table found in the input and not looked for in the
    /// database: rejecting that row strands them.
    within: Vec<RowReference>,
}

/// A row of a table whose rows refer to each other, as first given in an input.
struct OwnRow {
    line: u64,
    /// The row it refers to (a location's parent).
    refers_to: Option<Box<str>>,
}

/// A row's reference to another row (kept in `InputSeen` when of its own table).
struct RowReference {
    line: u64,
    column: &'static str,
    key: Box<str>,
}

impl InputSeen {
    pub(crate) fn of(table: &Table) -> InputSeen {
        let refers_to_itself = (table.columns.iter())
            .position(|column| column.references == Some(Reference::Table(table.name)));
        InputSeen {
            keys: Fingerprints::default(),
            national_ids: Fingerprints::default(),
            own_rows: refers_to_itself.map(|column| (column, HashMap::new())),
            unread: HashMap::new(),
            ahead: Vec::new(),
            within: Vec::new(),
        }
    }

    /// Whether `key` was given in the input (so far).
    fn gives(&self, key: &str) -> bool {
        self.first_line(key).is_some()
    }

    /// The line `key` was first given on, for a table whose rows refer to each other: by a
    /// row, else by a line that could not be read as one.
    fn first_line(&self, key: &str) -> Option<u64> {
        let (_, rows) = self.own_rows.as_ref()?;
        let row = rows.get(key).or_else(|| self.unread.get(key))?;
        Some(row.line)
    }

    /// The keys of lines that could not be read as rows (each refused for that), for a table
    /// whose rows refer to each other: a row referring to one is left out with it, not refused
    /// as referring to nothing. Such a line's parent is not known: it closes no loop.
    pub(crate) fn unread(&mut self, keys: &[Numbered<String>]) {
        if self.own_rows.is_none() {
            return;
        }
        for Numbered { line, item: key } in keys {
            let line = *line;
            (self.unread.entry(key.as_str().into())).or_insert(OwnRow {
                line,
                refers_to: None,
            });
        }
    }

    /// Whether a key or national id may have been given twice: then a further reading of the
    /// input (see [`InputSeen::confirming`]) tells.
    pub(crate) fn any_suspect(&mut self) -> bool {
        // Both asked: each finds its suspects when first asked.
        let keys = self.keys.any_suspect();
        self.national_ids.any_suspect() || keys
    }

    /// For a further reading of the input, in its order: which keys and national ids were
    /// given twice, and first on which line.
    pub(crate) fn confirming(&self) -> Repeats<'_> {
        Repeats {
            seen: self,
            keys: Suspects::default(),
            national_ids: Suspects::default(),
        }
    }

    /// Once the whole input is seen: each reference to a row of the same table that came later
    /// is resolved, the rest are problems.
    pub(crate) fn unresolved(&mut self, table: &Table) -> Problems {
        let mut problems = Vec::new();
        for reference in std::mem::take(&mut self.ahead) {
            if self.gives(&reference.key) {
                self.within.push(reference);
            } else {
                problems.push(unknown(table.singular, &reference));
            }
        }
        problems
    }

    /// With `bad` the lines left out of an import that writes its good rows: the rows that
    /// refer to a row left out (a village whose district is rejected), and then the rows that
    /// refer to those, unless the database holds the row referred to. Their lines are added to
    /// `bad`.
    pub(crate) async fn stranded(
        &self,
        registry: &Registry,
        table: &'static Table,
        bad: &mut HashSet<u64>,
    ) -> Result<Problems, ServiceError> {
        let mut problems = Vec::new();
        loop {
            let left_out = |key: &str| self.first_line(key).filter(|line| bad.contains(line));
            let newly: Vec<&RowReference> = self
                .within
                .iter()
                .filter(|r| !bad.contains(&r.line) && left_out(&r.key).is_some())
                .collect();
            let keys = unique(newly.iter().map(|r| r.key.to_string()));
            let stored: HashSet<String> = registry
                .store
                .existing_keys(table, &keys)
                .await?
                .into_iter()
                .collect();
            let stranded: Vec<RowProblem> = newly
                .into_iter()
                .filter(|r| !stored.contains(&*r.key))
                .map(|r| {
                    let line = left_out(&r.key).unwrap_or_default();
                    let message = format!(
                        "{} '{}' is left out: it is rejected on line {line}",
                        table.singular, r.key
                    );
                    RowProblem::new(r.line, Some(r.column), message)
                })
                .collect();
            if stranded.is_empty() {
                return Ok(problems);
            }
            bad.extend(stranded.iter().map(|p| p.line));
            problems.extend(stranded);
        }
    }

    /// The loops the rows of a table whose rows refer to each other would make once written
    /// (a district put under one of its own villages: see `carepool_core::location_tree`), with
    /// the rows on `bad` lines left out (a stored row left out keeps its place): a problem on
    /// each row of the input in a loop.
    pub(crate) async fn loops(
        &self,
        registry: &Registry,
        table: &'static Table,
        bad: &HashSet<u64>,
    ) -> Result<Problems, ServiceError> {
        let Some((refers, rows)) = &self.own_rows else {
            return Ok(vec![]);
        };
        let unread_only = (self.unread.iter()).filter(|(key, _)| !rows.contains_key(*key));
        let mut given: Vec<(&str, &OwnRow)> = (rows.iter().chain(unread_only))
            .filter(|(_, row)| !bad.contains(&row.line))
            .map(|(key, row)| (&**key, row))
            .collect();
        given.sort_by_key(|(_, row)| row.line);
        // Each location's parent once written: the input's, else the stored one, read a level
        // of the tree at a time.
        let mut parents: HashMap<Box<str>, Option<Box<str>>> = (given.iter())
            .map(|(key, row)| (Box::from(*key), row.refers_to.clone()))
            .collect();
        loop {
            let wanted = unique(
                (parents.values().flatten())
                    .filter(|parent| !parents.contains_key(*parent))
                    .map(|parent| parent.to_string()),
            );
            if wanted.is_empty() {
                break;
            }
            let stored = registry
                .store
                .rows_where_in(table, table.key[0], &wanted)
                .await?;
            for key in wanted {
                parents.insert(key.into(), None);
            }
            for row in stored {
                parents.insert(
                    key_of(table, &row).into(),
                    row[*refers].as_text().map(Box::from),
                );
            }
        }
        let parent_of = |key: &str| parents.get(key)?.as_deref();
        let starts = given.iter().map(|(key, _)| *key);
        let mut problems = Vec::new();
        for a_loop in location_tree::loops(parent_of, starts) {
            for key in &a_loop {
                if let Some(row) = rows.get(*key).filter(|row| !bad.contains(&row.line)) {
                    let broken = location_tree::loop_through(key, &a_loop);
                    problems.push(RowProblem::of_field(row.line, broken));
                }
            }
        }
        problems.sort_by_key(|p| p.line);
        Ok(problems)
    }
}

/// The keys and national ids given twice in an input, met again in a further reading.
pub(crate) struct Repeats<'s> {
    seen: &'s InputSeen,
    keys: Suspects,
    national_ids: Suspects,
}

impl Repeats<'_> {
    /// The next slice of the further reading: as the first reading read it.
    pub(crate) fn slice(&mut self, table: &Table, rows: &[NumberedRow]) {
        // Rows whose cells a database cannot hold were not seen.
        let unreadable: HashSet<u64> = cells_in_bounds(table, rows)
            .iter()
            .map(|p| p.line)
            .collect();
        for r in rows.iter().filter(|r| !unreadable.contains(&r.line)) {
            let key = key_of(table, &r.item);
            if self.seen.keys.is_suspect(&key) {
                self.keys.met(&key, r.line);
            }
            if let Some(id) = national_id(table, &r.item)
                && self.seen.national_ids.is_suspect(id)
            {
                self.national_ids.met(id, r.line);
            }
        }
    }

    /// A problem for each key and national id given again, naming the line it was first
    /// given on. A row given twice whole is told once, by its key: its national id is its own.
    pub(crate) fn found(self, table: &Table) -> Problems {
        let key_column = table.columns[table.key[0]].name;
        let key_repeats = self.keys.repeats();
        let again: HashSet<(u64, u64)> = (key_repeats.iter())
            .map(|(line, _, first)| (*line, *first))
            .collect();
        let keys = key_repeats.into_iter().map(|(line, key, first)| {
            RowProblem::new(
                line,
                Some(key_column),
                format!(
                    "duplicate {} {key}: already on line {first}",
                    table.singular
                ),
            )
        });
        let ids = (self.national_ids.repeats().into_iter())
            .filter(|(line, _, first)| !again.contains(&(*line, *first)))
            .map(|(line, id, first)| {
                RowProblem::new(
                    line,
                    Some("national_id"),
                    format!("national id {id} is already given to the member on line {first}"),
                )
            });
        keys.chain(ids).collect()
    }
}

/// A member's national id, if the row is a member's and gives one.
fn national_id<'r>(table: &Table, row: &'r [Value]) -> Option<&'r str> {
    match std::ptr::eq(table, &MEMBERS) {
        true => members::NATIONAL_ID.value(row).as_text(),
        false => None,
    }
}

fn unknown(what: &str, reference: &RowReference) -> RowProblem {
    RowProblem::new(
        reference.line,
        Some(reference.column),
        format!("unknown {what} '{}'", reference.key),
    )
}

/// The problems of one slice of an input, after those before it (`seen`); references to rows
/// of the same table that may come later are kept in `seen` (see [`InputSeen::unresolved`]).
pub(crate) async fn slice(
    registry: &Registry,
    table: &'static Table,
    rows: &[NumberedRow],
    seen: &mut InputSeen,
) -> Result<Problems, ServiceError> {
    let mut problems = cells_in_bounds(table, rows);
    // A row whose cells a database cannot hold (a NUL) is not looked up with them.
    let kept: Vec<NumberedRow>;
    let rows = if problems.is_empty() {
        rows
    } else {
        let unreadable: HashSet<u64> = problems.iter().map(|p| p.line).collect();
        kept = rows
            .iter()
            .filter(|r| !unreadable.contains(&r.line))
            .cloned()
            .collect();
        &kept
    };
    // The slice's own keys first: a reference to a row later in the slice is found.
    see_keys(table, rows, seen);
    problems.extend(national_ids_taken(registry, table, rows).await?);
    problems.extend(missing_references(registry, table, rows, seen).await?);
    if std::ptr::eq(table, &tables::COVERAGE) {
        problems.extend(enrolment(registry, rows).await?);
    }
    Ok(problems)
}

/// Every text cell is one line of bounded length without control characters (see
/// `carepool_core::registry::check_text`), and every date between 1900 and 2200
/// (`carepool_core::dates::check_plausible`): whatever the file or request it came from.
fn cells_in_bounds(table: &Table, rows: &[NumberedRow]) -> Problems {
    let mut problems = Vec::new();
    for r in rows {
        for (column, value) in table.columns.iter().zip(&r.item) {
            let checked = match value {
                Value::Text(text) => check_text(column.name, text),
                Value::Date(date) => dates::check_plausible(column.name, *date),
                _ => Ok(()),
            };
            if let Err(broken) = checked {
                problems.push(RowProblem::of_field(r.line, broken));
            }
        }
    }
    problems
}

/// Whether records of `table` belong to a scheme (families, and members through their family),
/// one key column each.
pub(crate) fn keeps_a_scheme(table: &Table) -> bool {
    std::ptr::eq(table, &FAMILIES) || std::ptr::eq(table, &MEMBERS)
}

/// A family keeps its scheme, and a member the scheme of its family: a record moved between
/// schemes by an import or an update would carry its history into another scheme's books (one
/// scheme's member M0001 taken over by another's). `changed` gives each changed record's line,
/// stored row and new row.
pub(crate) async fn scheme_moves(
    registry: &Registry,
    table: &'static Table,
    changed: &[(u64, &Row, &Row)],
) -> Result<Problems, ServiceError> {
    let text = |value: &Value| value.as_text().unwrap_or_default().to_string();
    if std::ptr::eq(table, &FAMILIES) {
        let scheme = |row: &Row| text(families::SCHEME.value(row));
        return Ok(changed
            .iter()
            .filter(|(_, before, after)| scheme(before) != scheme(after))
            .map(|(line, before, after)| {
                moved(
                    *line,
                    "scheme",
                    "family",
                    &table.key_text(after),
                    &scheme(before),
                    &scheme(after),
                )
            })
            .collect());
    }
    if !std::ptr::eq(table, &MEMBERS) {
        return Ok(vec![]);
    }
    let family = |row: &Row| text(members::FAMILY_ID.value(row));
    let moved_members: Vec<_> = changed
        .iter()
        .filter(|(_, before, after)| family(before) != family(after))
        .collect();
    if moved_members.is_empty() {
        return Ok(vec![]);
    }
    let ids = unique(
        moved_members
            .iter()
            .flat_map(|(_, before, after)| [family(before), family(after)]),
    );
    let schemes: HashMap<String, String> = registry
        .store
        .rows_where_in(&FAMILIES, families::ID.index(), &ids)
        .await?
        .into_iter()
        .map(|row| {
            (
                text(families::ID.value(&row)),
                text(families::SCHEME.value(&row)),
            )
        })
        .collect();
    Ok(moved_members
        .iter()
        .filter_map(|(line, before, after)| {
            let from = schemes.get(&family(before))?;
            let to = schemes.get(&family(after))?;
            (from != to).then(|| {
                moved(
                    *line,
                    "family_id",
                    "member",
                    &table.key_text(after),
                    from,
                    to,
                )
            })
        })
        .collect())
}

fn moved(line: u64, field: &str, what: &str, key: &str, from: &str, to: &str) -> RowProblem {
    RowProblem::new(
        line,
        Some(field),
        format!(
            "{what} {key} belongs to scheme {from}; it cannot move to scheme {to} by an import or an update: enrol it in {to} under an id of its own"
        ),
    )
}

/// Keys, and unique values such as a member's national id, may appear once in an input: each
/// is seen (a repeat is told by a further reading: see [`InputSeen::confirming`]), and the keys
/// of a table whose rows refer to each other are kept with their first line.
fn see_keys(table: &Table, rows: &[NumberedRow], seen: &mut InputSeen) {
    for r in rows {
        let key = key_of(table, &r.item);
        seen.keys.see(&key);
        if let Some((refers, rows)) = &mut seen.own_rows
            && !rows.contains_key(&*key)
        {
            let refers_to = r.item[*refers].as_text().map(Box::from);
            let line = r.line;
            rows.insert(key.into(), OwnRow { line, refers_to });
        }
        if let Some(id) = national_id(table, &r.item) {
            seen.national_ids.see(id);
        }
    }
}

/// The row's key as text, borrowed when it is a single text column (the common case, and the
/// one that matters for memory on large imports).
fn key_of<'a>(table: &Table, row: &'a [Value]) -> Cow<'a, str> {
    match (table.key, row[table.key[0]].as_text()) {
        ([_], Some(text)) => Cow::Borrowed(text),
        _ => Cow::Owned(table.key_text(row)),
    }
}

/// A national id may belong to one member only: one already stored for another member is refused.
async fn national_ids_taken(
    registry: &Registry,
    table: &'static Table,
    rows: &[NumberedRow],
) -> Result<Problems, ServiceError> {
    if !std::ptr::eq(table, &MEMBERS) {
        return Ok(vec![]);
    }
    let national_id = members::NATIONAL_ID;
    let wanted: Vec<String> = unique(
        rows.iter()
            .filter_map(|r| national_id.value(&r.item).as_text().map(str::to_string)),
    );
    let holders: HashMap<String, String> = registry
        .store
        .rows_where_in(table, national_id.index(), &wanted)
        .await?
        .into_iter()
        .filter_map(|stored| {
            Some((
                national_id.value(&stored).as_text()?.to_string(),
                table.key_text(&stored),
            ))
        })
        .collect();
    Ok(rows
        .iter()
        .filter_map(|r| {
            let id = national_id.value(&r.item).as_text()?;
            let holder = holders.get(id)?;
            (*holder != table.key_text(&r.item)).then(|| {
                RowProblem::new(
                    r.line,
                    Some("national_id"),
                    // Not whose: the caller may not see that member.
                    format!("national id {id} is already another member's"),
                )
            })
        })
        .collect())
}

/// References to a row of the same table found in the input so far (`seen`) are kept there: they
/// are not looked for in the database, and those not found yet may come later.
async fn missing_references(
    registry: &Registry,
    table: &'static Table,
    rows: &[NumberedRow],
    seen: &mut InputSeen,
) -> Result<Problems, ServiceError> {
    let mut problems = Vec::new();
    for (index, column) in table.columns.iter().enumerate() {
        let Some(reference) = column.references else {
            continue;
        };
        let wanted: HashSet<&str> = rows
            .iter()
            .filter_map(|r| r.item[index].as_text())
            .collect();
        if wanted.is_empty() {
            continue;
        }
        let same_table = reference == Reference::Table(table.name);
        let known: HashSet<String> = match reference {
            Reference::Scheme => registry.store.scheme_codes().await?.into_iter().collect(),
            Reference::Table(target_name) => {
                let target =
                    tables::table_named(target_name).expect("references name known tables");
                let unresolved: Vec<String> = wanted
                    .iter()
                    .filter(|w| !(same_table && seen.gives(w)))
                    .map(|w| w.to_string())
                    .collect();
                registry
                    .store
                    .existing_keys(target, &unresolved)
                    .await?
                    .into_iter()
                    .collect()
            }
        };
        // What is referred to, and how to add one that is missing, where the registry cannot.
        let (what, hint) = match reference {
            Reference::Scheme => ("scheme", " (load it with carepool init)"),
            Reference::Table(target) => {
                let singular = tables::table_named(target).map_or(target, |t| t.singular);
                (singular, "")
            }
        };
        for r in rows {
            let Some(value) = r.item[index].as_text() else {
                continue;
            };
            let reference = || RowReference {
                line: r.line,
                column: column.name,
                key: value.into(),
            };
            if same_table && seen.gives(value) {
                seen.within.push(reference());
            } else if known.contains(value) {
                continue;
            } else if same_table {
                seen.ahead.push(reference());
            } else {
                let mut problem = unknown(what, &reference());
                problem.message += hint;
                problems.push(problem);
            }
        }
    }
    Ok(problems)
}

/// Each coverage row is an enrolment: the member must be eligible on its first day under the
/// version of the scheme in force then, and the package must exist in that version.
async fn enrolment(registry: &Registry, rows: &[NumberedRow]) -> Result<Problems, ServiceError> {
    let coverage: Vec<(u64, Coverage)> = rows
        .iter()
        .filter_map(|r| Coverage::from_row(&r.item).ok().map(|c| (r.line, c)))
        .collect();
    let member_ids: Vec<String> = unique(coverage.iter().map(|(_, c)| c.member_id.clone()));
    let members: HashMap<String, Member> = registry
        .typed_where_in::<Member, _>(tables::members::ID, &member_ids)
        .await?
        .into_iter()
        .map(|m| (m.id.clone(), m))
        .collect();
    let family_ids: Vec<String> = unique(members.values().map(|m| m.family_id.clone()));
    let families: HashMap<String, Family> = registry
        .typed_where_in::<Family, _>(tables::families::ID, &family_ids)
        .await?
        .into_iter()
        .map(|f| (f.id.clone(), f))
        .collect();
    let mut family_members: HashMap<String, Vec<Member>> = HashMap::new();
    for member in registry
        .typed_where_in::<Member, _>(tables::members::FAMILY_ID, &family_ids)
        .await?
    {
        family_members
            .entry(member.family_id.clone())
            .or_default()
            .push(member);
    }
    let mut versions: HashMap<String, Vec<SchemeDefinition>> = HashMap::new();
    for family in families.values() {
        if !versions.contains_key(&family.scheme) {
            versions.insert(
                family.scheme.clone(),
                registry.scheme_versions(&family.scheme).await?,
            );
        }
    }

    let mut problems = Vec::new();
    for (line, cover) in &coverage {
        // A member that does not exist is reported by the reference check.
        let Some(member) = members.get(&cover.member_id) else {
            continue;
        };
        if let Some(given) = &cover.family_id
            && *given != member.family_id
        {
            problems.push(RowProblem::new(
                *line,
                Some("family_id"),
                format!(
                    "is not the member's family: member {} belongs to family {}",
                    member.id, member.family_id
                ),
            ));
            continue;
        }
        let family = families.get(&member.family_id).ok_or_else(|| {
            ServiceError::Corrupt(format!(
                "member {} belongs to family {} which is not stored",
                member.id, member.family_id
            ))
        })?;
        let scheme_versions = versions
            .get(&family.scheme)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let Some(scheme) = version_in_force(scheme_versions, cover.start_date) else {
            problems.push(RowProblem::new(
                *line,
                Some("start_date"),
                format!(
                    "no version of scheme {} is in force on {}",
                    family.scheme, cover.start_date
                ),
            ));
            continue;
        };
        if let Some(package) = &cover.package
            && scheme.package(package).is_none()
        {
            problems.push(RowProblem::new(
                *line,
                Some("package"),
                format!(
                    "scheme {} has no package '{package}' on {}",
                    scheme.code, cover.start_date
                ),
            ));
        }
        let relatives = family_members
            .get(&family.id)
            .map(Vec::as_slice)
            .unwrap_or_default();
        if let Err(refusal) = check_enrolment(scheme, family, relatives, member, cover.start_date) {
            problems.push(RowProblem {
                line: *line,
                column: Some("member_id".into()),
                message: refusal.to_string(),
                rules: refusal.failures,
                reason: None,
                words: None,
            });
        }
    }
    Ok(problems)
}
