//! The storage port: the [`Store`] trait every backend implements over the tables declared in
//! `carepool_schema`, its models (reads and writes under a lock, the schema a database really
//! has), and the store's error type. No sqlx here: the two sqlx backends share their body
//! through `carepool-store-sqlx`.

mod live;
pub mod migration_checks;
pub use live::{LiveColumn, LiveSchema, LiveTable};

use async_trait::async_trait;
use carepool_core::words::{Figure, Words};
use carepool_schema::{Col, Row, Table, Value};
use chrono::NaiveDate;
use std::collections::HashSet;
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// No row with that key.
    #[error("no {what} with key {key}")]
    NotFound { what: &'static str, key: String },
    /// The write would break a uniqueness or reference rule of the database.
    #[error("{0}")]
    Conflict(String),
    /// A key or a unique value is taken: `field` is the (first) column that holds it.
    #[error("{message}")]
    Taken {
        message: String,
        field: &'static str,
        /// The message in words a page says in its language.
        words: Words,
    },
    /// The database URL or options cannot be used.
    #[error("{0}")]
    Config(String),
    /// Something went wrong inside the database or its driver.
    #[error("database error: {0}")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl StoreError {
    pub fn internal(error: impl std::error::Error + Send + Sync + 'static) -> StoreError {
        StoreError::Internal(Box::new(error))
    }

    /// The database refused a row of `table` whose key or a unique value is taken. `naming` is
    /// what the database says names the columns (SQLite's `UNIQUE constraint failed: t.a, t.b`,
    /// PostgreSQL's constraint name `t_a_b_key` or `t_pkey`): read only to find the columns, it
    /// never reaches the message, so no database text reaches a client.
    pub fn duplicate(table: &Table, naming: &str) -> StoreError {
        let columns = duplicated_columns(table, naming);
        StoreError::Taken {
            message: format!(
                "another {} has the same {}",
                table.singular,
                columns.join(" and ")
            ),
            words: Words::new(
                "taken",
                [
                    // A code a catalogue chooses its words by: payment_run.
                    ("what", Figure::text(table.singular.replace(' ', "_"))),
                    ("columns", Figure::text(columns.join(", "))),
                ],
            ),
            // Of several columns, the last is the one whose value collided (a facility's claim
            // number, a member's start date); a table always has a key.
            field: columns.last().copied().unwrap_or("key"),
        }
    }

    /// The database refused a `what` that refers to a row that does not exist.
    pub fn dangling(what: &str) -> StoreError {
        StoreError::Conflict(format!("a {what} refers to a row that does not exist"))
    }
}

/// The columns of `table` that `naming` names (see [`StoreError::duplicate`]), in the table's
/// order; its key when it names none (a primary key's constraint).
fn duplicated_columns(table: &Table, naming: &str) -> Vec<&'static str> {
    let prefix = format!("{}.", table.name);
    let mut rest = naming
        .trim_start_matches("UNIQUE constraint failed:")
        .replace(&prefix, "");
    if let Some(middle) = rest.strip_prefix(&format!("{}_", table.name)) {
        rest = middle.trim_end_matches("_key").to_string();
    }
    let words = |text: &str| -> Vec<String> {
        text.split(|c: char| !c.is_ascii_alphanumeric() && c != '_')
            .filter(|w| !w.is_empty())
            .map(str::to_string)
            .collect()
    };
    // Longest names first, each taken out once found: `provider_id_claim_number` holds
    // `provider_id` and `claim_number`, not `id`.
    let mut candidates: Vec<&'static str> = table.columns.iter().map(|c| c.name).collect();
    candidates.sort_by_key(|name| std::cmp::Reverse(name.len()));
    let mut found = Vec::new();
    for name in candidates {
        let mut taken = false;
        for word in words(&rest) {
            if let Some(at) = find_bounded(&word, name) {
                rest = rest.replacen(
                    &word,
                    &format!("{} {}", &word[..at], &word[at + name.len()..]),
                    1,
                );
                taken = true;
                break;
            }
        }
        if taken {
            found.push(name);
        }
    }
    if found.is_empty() {
        return table.key.iter().map(|&i| table.columns[i].name).collect();
    }
    found.sort_by_key(|name| table.columns.iter().position(|c| c.name == *name));
    found
}

/// Where `name` stands in `word` between underscores or its ends.
fn find_bounded(word: &str, name: &str) -> Option<usize> {
    word.match_indices(name).map(|(at, _)| at).find(|&at| {
        let before = word[..at].chars().next_back();
        let after = word[at + name.len()..].chars().next();
        before.is_none_or(|c| c == '_') && after.is_none_or(|c| c == '_')
    })
}

/// Which rows a list returns: equality filters on filterable columns, then a page in key order.
#[derive(Debug, Clone, Default)]
pub struct ListQuery {
    /// (column index, value) pairs that must all hold.
    pub filters: Vec<(usize, Value)>,
    /// Only the rows placed under these places (a user's districts).
    pub within: Option<Within>,
    /// Only rows whose key comes after this one (keyset paging, for long exports).
    pub after: Option<Vec<Value>>,
    pub offset: u64,
    pub limit: u64,
}

/// Where a page read in the order of a column starts (see [`Store::project_page`]): rows whose
/// column is null come first, in key order, then the others in the order of the column's bytes
/// and then of the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageStart {
    /// At the first row.
    First,
    /// After the row with this key, among those whose column is null.
    AfterNull(String),
    /// After the row with this value in the column and this key.
    After(String, String),
}

impl PageStart {
    /// Where the page after the row holding `value` in the column, and `key`, starts.
    pub fn after(value: Option<&str>, key: &str) -> PageStart {
        match value {
            None => PageStart::AfterNull(key.to_string()),
            Some(value) => PageStart::After(value.to_string(), key.to_string()),
        }
    }
}

/// The rows that `path` leads from to one of `places`: the first step's column names a row of
/// the next step's table (by its key), and so on; the last step's column holds a location code
/// (see `Table::place_path`). No places: no rows.
#[derive(Debug, Clone)]
pub struct Within {
    pub path: Vec<(&'static Table, usize)>,
    pub places: Vec<String>,
}

/// How long a piece of work may hold the async worker that runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Work {
    /// Less than about a millisecond (a few rows, one group of claims): handing the worker's
    /// other tasks over would cost more than it saves.
    Short,
    /// Long enough to hold up the worker's other tasks (many rows, a whole batch judged).
    Long,
}

/// Runs blocking or CPU-bound `work` (SQLite's own calls, judging a batch) from async code. Long
/// work first hands the worker's other tasks to another thread (`block_in_place`), so requests
/// keep being served meanwhile; short work runs as it is, as its handover cost single claims
/// over HTTP about a sixth of their speed. A single-threaded runtime has no other thread to hand
/// tasks to, so there work always runs as it is.
pub fn blocking<T>(work: Work, run: impl FnOnce() -> T) -> T {
    let multi_threaded = tokio::runtime::Handle::try_current().is_ok_and(|runtime| {
        runtime.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread
    });
    if work == Work::Long && multi_threaded {
        tokio::task::block_in_place(run)
    } else {
        run()
    }
}

/// Told how many rows of a long write are done.
pub type Progress = dyn Fn(u64) + Send + Sync;

/// Rows read inside a locked write, after the lock is taken.
#[derive(Debug, Clone)]
pub enum Read {
    /// Rows whose text `column` holds one of `values`, in key order within each slice of values
    /// a statement takes (see [`Store::rows_where_in`]).
    WhereIn {
        table: &'static Table,
        column: usize,
        values: Vec<String>,
    },
    /// The rows a list query returns.
    List {
        table: &'static Table,
        query: ListQuery,
    },
    /// Only `columns` of the rows that pass `filters` (equality), in key order: each row holds
    /// the columns in the order asked, so that a long list is light.
    Projected {
        table: &'static Table,
        columns: Vec<usize>,
        filters: Vec<(usize, Value)>,
    },
    /// One page of a long table, as [`Store::project_page`] reads it: a step of a locked write
    /// in steps (a payment run reads the claims to pay a page at a time).
    Page {
        table: &'static Table,
        columns: Vec<usize>,
        filters: Vec<(usize, Value)>,
        order: usize,
        start: PageStart,
        limit: usize,
    },
}

impl Read {
    /// The rows whose text `column` holds one of `values`, in key order within each slice of
    /// values a statement takes (see [`Store::rows_where_in`]).
    pub fn where_in<T>(column: Col<T>, values: Vec<String>) -> Read {
        Read::WhereIn {
            table: column.table(),
            column: column.index(),
            values,
        }
    }
}

/// What a locked write keeps other writers away from until it commits.
#[derive(Debug, Clone)]
pub enum Lock {
    /// No lock beyond the transaction itself (several tables written as one).
    Nothing,
    /// These families: their claims, and what they used of their limits.
    Families(Vec<String>),
    /// Every claim (a payment run).
    AllClaims,
    /// These families, then every claim: a change to a decided claim and its family's limits
    /// (an appeal reopening it) that neither a payment run nor the family's other writers may
    /// make meanwhile. Families first, as their writers take them, so the two never wait on
    /// each other in turn.
    FamiliesAndAllClaims(Vec<String>),
}

impl Lock {
    /// Whether writes under this lock and under `other` may touch the same claims or limits:
    /// they share a family, or either holds every claim.
    pub fn shares_with(&self, other: &Lock) -> bool {
        let (Some(mine), Some(theirs)) = (self.families(), other.families()) else {
            return true;
        };
        let theirs: HashSet<&String> = theirs.iter().collect();
        mine.iter().any(|family| theirs.contains(family))
    }

    /// The families held; None for every claim.
    fn families(&self) -> Option<&[String]> {
        match self {
            Lock::Nothing => Some(&[]),
            Lock::Families(families) => Some(families),
            Lock::AllClaims | Lock::FamiliesAndAllClaims(_) => None,
        }
    }
}

/// Rows to write to one table.
#[derive(Debug, Clone)]
pub enum Write {
    /// Insert new rows; a key already stored is a conflict.
    Insert(&'static Table, Vec<Row>),
    /// Insert the rows, replacing any stored row with the same key.
    Upsert(&'static Table, Vec<Row>),
    /// Set only `columns` of stored rows, found by the key in each (whole) row: cheaper than an
    /// upsert when a few columns change. A row not found is an error.
    Update {
        table: &'static Table,
        columns: &'static [usize],
        rows: Vec<Row>,
    },
    /// As `Update`, from narrow rows: each holds the values of the table's key, then those of
    /// `columns`, in order.
    Set {
        table: &'static Table,
        columns: &'static [usize],
        rows: Vec<Row>,
    },
}

/// A narrow row of a [`Write::Set`] that does not hold the key and the columns set: a mistake in
/// the code that made it.
pub fn check_narrow(table: &Table, columns: &[usize], rows: &[Row]) -> Result<(), StoreError> {
    let width = table.key.len() + columns.len();
    match rows.iter().find(|row| row.len() != width) {
        Some(row) => Err(StoreError::Internal(
            format!(
                "a row setting {} columns of {} holds {} values, not {width}",
                columns.len(),
                table.name,
                row.len()
            )
            .into(),
        )),
        None => Ok(()),
    }
}

impl Write {
    /// How many rows it writes.
    pub fn row_count(&self) -> usize {
        match self {
            Write::Insert(_, rows)
            | Write::Upsert(_, rows)
            | Write::Update { rows, .. }
            | Write::Set { rows, .. } => rows.len(),
        }
    }
}

/// The writes of a transaction, in order.
pub type Writes = Vec<Write>;

/// The reads a locked write makes, each answered by the handle [`LockedReads::add`] gave it.
#[derive(Debug, Clone, Default)]
pub struct LockedReads(Vec<Read>);

/// Names one read of a [`LockedReads`]: its rows are taken from [`ReadRows`] by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadHandle(usize);

impl LockedReads {
    pub fn add(&mut self, read: Read) -> ReadHandle {
        self.0.push(read);
        ReadHandle(self.0.len() - 1)
    }

    pub fn as_slice(&self) -> &[Read] {
        &self.0
    }
}

/// What the reads of a [`LockedReads`] found, taken by their handles.
#[derive(Debug)]
pub struct ReadRows(Vec<Option<Vec<Row>>>);

impl ReadRows {
    /// The rows of each read, in the order the reads were added.
    pub fn new(rows: Vec<Vec<Row>>) -> ReadRows {
        ReadRows(rows.into_iter().map(Some).collect())
    }

    /// The rows of the read `handle` names; each read's rows are taken once.
    pub fn take(&mut self, handle: ReadHandle) -> Result<Vec<Row>, StoreError> {
        self.0
            .get_mut(handle.0)
            .and_then(Option::take)
            .ok_or_else(|| {
                StoreError::Internal(
                    format!("read {} was not made or was taken already", handle.0).into(),
                )
            })
    }
}

/// A store's connections to its database at one moment (for the operators' metrics).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connections {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

/// Decides, from the rows read under the lock, what to write.
pub type Decide<'a> = dyn FnMut(ReadRows) -> Result<Writes, StoreError> + Send + 'a;

/// What one step of a [`Store::write_locked_in_steps`] writes, and what the next step reads.
#[derive(Debug, Default)]
pub struct Step {
    pub writes: Writes,
    /// None after the last step.
    pub next: Option<LockedReads>,
}

/// Decides, from the rows a step read under the lock, what it writes and what the next reads.
pub type DecideStep<'a> = dyn FnMut(ReadRows) -> Result<Step, StoreError> + Send + 'a;

/// Locked writes one after another on one connection, for a run of batches of families
/// (adjudication): what a batch writes may be read and decided before its lock, while the batch
/// before it is written, and kept if that batch held none of its families and no other writer
/// has committed meanwhile.
#[async_trait]
pub trait WriteRun: Send {
    /// Whether this run keeps what was decided ahead when nobody else has committed (it can
    /// tell, and its store judges ahead); a run that does not reads and decides every write's
    /// rows under its lock, and deciding ahead would be wasted work.
    fn judges_ahead(&self) -> bool;

    /// As [`Store::write_locked`], with `ahead`: what `decide` would return, decided from rows
    /// read after the write before this run's previous one returned (after the run was made,
    /// for its first two writes), so while the previous write may still be running. Those rows
    /// can since have changed only by that previous write or by another writer: `ahead` is
    /// written when the previous write's lock shares nothing with this one's (see
    /// [`Lock::shares_with`]; batches of disjoint families share nothing, but a member who
    /// moved once a run had batched them puts a family in two) and the run can tell that no
    /// other writer has committed since that earlier write took its lock; otherwise the rows
    /// are read under the lock and `decide` runs on them. Returns whether `ahead` was written.
    async fn write(
        &mut self,
        what: &'static str,
        lock: &Lock,
        reads: &LockedReads,
        ahead: Option<Writes>,
        decide: &mut Decide<'_>,
    ) -> Result<bool, StoreError>;
}

/// The parts of one transaction, made one after another as the store asks for them: a receipt
/// of millions of claims is read, checked and written a part at a time, never held whole.
#[async_trait]
pub trait WriteParts: Send {
    /// The writes of the next part, or none after the last. An error ends the transaction
    /// with nothing written.
    async fn next_part(&mut self) -> Result<Option<Writes>, StoreError>;
}

/// A store's write runs take turns, one at a time. A run holds a connection for its length and
/// reads ahead on others: runs side by side could hold every connection of a pool and then wait
/// for ever for one to read with. They would mostly wait on each other's locks anyway.
#[derive(Default)]
pub struct WriteRunTurns(Arc<tokio::sync::Mutex<()>>);

/// A run's turn, until dropped.
pub struct WriteRunTurn {
    _held: tokio::sync::OwnedMutexGuard<()>,
}

impl WriteRunTurns {
    /// Waits until no other run of this store holds the turn.
    pub async fn take(&self) -> WriteRunTurn {
        WriteRunTurn {
            _held: self.0.clone().lock_owned().await,
        }
    }
}

/// One stored version of a scheme's definition.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredSchemeVersion {
    pub code: String,
    pub effective_from: NaiveDate,
    /// The definition as JSON (see carepool_core::scheme::SchemeDefinition).
    pub definition: String,
    pub loaded_at: String,
}

/// Where carepool keeps its data. Each write method is one transaction: it happens whole or not at all.
#[async_trait]
pub trait Store: Send + Sync {
    /// "sqlite" or "postgres".
    fn backend(&self) -> &'static str;

    /// Closes every connection (SQLite: folds the write-ahead log into the database file).
    async fn close(&self);

    /// Whether the database answers: a trivial query on a connection kept for this, so that
    /// work holding every other connection does not make the answer late.
    async fn ping(&self) -> Result<(), StoreError>;

    /// How many connections the store has open, idle and at most, now.
    fn connections(&self) -> Connections;

    /// How many locked writes of different groups of families are worth running side by side
    /// (claims sent through the API): one where the database takes one writer at a time, more
    /// where it locks the families' rows and each write waits mostly on round trips and its
    /// commit.
    fn locked_writes_at_once(&self) -> usize;

    /// Inserts the rows, replacing any row with the same key; rows identical to the stored ones
    /// are not touched, so importing the same rows twice changes nothing.
    /// `progress` is told how many rows have been written so far.
    async fn upsert(
        &self,
        table: &'static Table,
        rows: &[Row],
        progress: &Progress,
    ) -> Result<(), StoreError>;

    /// Inserts one new row; `Conflict` if its key or a unique value is taken.
    async fn insert(&self, table: &'static Table, row: &Row) -> Result<(), StoreError>;

    /// Replaces the row with the same key; `NotFound` if there is none.
    async fn update(&self, table: &'static Table, row: &Row) -> Result<(), StoreError>;

    async fn get(&self, table: &'static Table, key: &[Value]) -> Result<Option<Row>, StoreError>;

    async fn list(&self, table: &'static Table, query: &ListQuery) -> Result<Vec<Row>, StoreError>;

    /// Every row whose text `column` holds one of `values`, in key order within each slice of
    /// values a statement takes: a list longer than one statement binds (the backend's bound:
    /// thousands of values) comes back as that many runs in key order, one after another. A
    /// caller that needs one order over a longer list sorts or groups the rows itself. Each row
    /// comes once, whatever the list repeats.
    async fn rows_where_in(
        &self,
        table: &'static Table,
        column: usize,
        values: &[String],
    ) -> Result<Vec<Row>, StoreError>;

    /// Every row that shares its text `shared` column with a row whose text `column` holds one of
    /// `values` (the members of the families of some members), each once, in key order within
    /// each slice of values a statement takes: one read where two would wait on each other.
    async fn rows_sharing(
        &self,
        table: &'static Table,
        shared: usize,
        column: usize,
        values: &[String],
    ) -> Result<Vec<Row>, StoreError>;

    /// As [`Store::rows_where_in`], in whatever order the database finds them: cheaper where the
    /// caller groups the rows itself (on SQLite, sorting a slice of a national registry by key
    /// took three times as long as finding it).
    async fn rows_where_in_any_order(
        &self,
        table: &'static Table,
        column: usize,
        values: &[String],
    ) -> Result<Vec<Row>, StoreError> {
        self.rows_where_in(table, column, values).await
    }

    /// `columns` of every row whose text `column` lies between `first` and `last`, both
    /// included, the text compared byte by byte as keys are paged (PostgreSQL: `COLLATE "C"`),
    /// so that a page of families read by key gives the range of their members. The rows come
    /// in no set order.
    async fn rows_in_range(
        &self,
        table: &'static Table,
        columns: &[usize],
        column: usize,
        first: &str,
        last: &str,
    ) -> Result<Vec<Row>, StoreError>;

    /// Reads and writes in one transaction that holds `lock` from before the reads until the
    /// commit, so that what `decide` reads cannot change before its writes land: two writers for
    /// the same family run one after the other. If `decide` or any write fails, nothing is written.
    /// `what` names the operation (a "payment run") in the errors of its commit.
    async fn write_locked(
        &self,
        what: &'static str,
        lock: &Lock,
        reads: &LockedReads,
        decide: &mut Decide<'_>,
    ) -> Result<(), StoreError> {
        let mut one_step = |read: ReadRows| {
            Ok(Step {
                writes: decide(read)?,
                next: None,
            })
        };
        self.write_locked_in_steps(what, lock, reads, &mut one_step)
            .await
    }

    /// As [`Store::write_locked`], in steps under the one lock and in the one transaction:
    /// `decide` is given the rows of `first`, and then of the reads each step names for the
    /// next, each read after the writes of the step before (so a page at a time of millions of
    /// rows, each page's writes made before the next is read: a payment run). If any step
    /// fails, nothing is written.
    async fn write_locked_in_steps(
        &self,
        what: &'static str,
        lock: &Lock,
        first: &LockedReads,
        decide: &mut DecideStep<'_>,
    ) -> Result<(), StoreError>;

    /// Writes the parts `parts` makes, in one transaction committed after the last: all of
    /// them or, if making a part or any write fails, nothing. The first part is made before the
    /// transaction begins; what the others read, they read on other connections while it is
    /// open, and do not see what the earlier parts wrote. `what` names the operation in the
    /// errors of its commit.
    async fn write_in_parts(
        &self,
        what: &'static str,
        parts: &mut dyn WriteParts,
    ) -> Result<(), StoreError>;

    /// Starts a run of locked writes on one connection (see [`WriteRun`]), once the store's
    /// run before it has ended (see [`WriteRunTurns`]).
    async fn write_run(&self) -> Result<Box<dyn WriteRun>, StoreError>;

    /// Only `columns` of the rows that pass `filters` (equality), in key order: a light list of
    /// a long table.
    async fn project(
        &self,
        table: &'static Table,
        columns: &[usize],
        filters: &[(usize, Value)],
    ) -> Result<Vec<Row>, StoreError>;

    /// As [`Store::project`], handing each row to `each` as it is read instead of gathering
    /// them: a table of millions of rows is never held whole.
    async fn project_each(
        &self,
        table: &'static Table,
        columns: &[usize],
        filters: &[(usize, Value)],
        each: &mut (dyn FnMut(Row) + Send),
    ) -> Result<(), StoreError>;

    /// A page of `columns` of the rows that pass `filters` (equality) in the order of the text
    /// column `order` and then of the key (one text column), starting after `start` (see
    /// [`PageStart`]), at most `limit` rows: a long queue read a page at a time in the order its
    /// work is grouped (received claims by family), never held whole.
    async fn project_page(
        &self,
        table: &'static Table,
        columns: &[usize],
        filters: &[(usize, Value)],
        order: usize,
        start: &PageStart,
        limit: usize,
    ) -> Result<Vec<Row>, StoreError>;

    /// Which of `keys` exist in a table with a one-column text key.
    async fn existing_keys(
        &self,
        table: &'static Table,
        keys: &[String],
    ) -> Result<HashSet<String>, StoreError>;

    /// All versions of a scheme, oldest first.
    async fn scheme_versions(&self, code: &str) -> Result<Vec<StoredSchemeVersion>, StoreError>;

    /// The codes of every scheme loaded.
    async fn scheme_codes(&self) -> Result<Vec<String>, StoreError>;

    /// Adds a version, then makes `then` in the same transaction (its audit record);
    /// `Conflict` if the scheme already has one with that effective date.
    async fn add_scheme_version(
        &self,
        version: &StoredSchemeVersion,
        then: Writes,
    ) -> Result<(), StoreError>;

    /// The tables the database really has, as it describes them, to check the migrations
    /// against the declarations (`LiveSchema::differences`).
    async fn live_schema(&self) -> Result<LiveSchema, StoreError>;

    /// The database as it stands now, read through the store returned for as long as it
    /// lives: work that reads in many statements on several connections (the experience
    /// study's pages, the indicators') sees one state of it, whatever is committed meanwhile.
    /// It is for reading: a write through it fails.
    async fn snapshot(&self) -> Result<Arc<dyn Store>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_schema::claim_tables::CLAIMS;
    use carepool_schema::tables::{CONTRIBUTIONS, MEMBERS};

    #[test]
    fn a_duplicate_names_its_columns_and_none_of_the_databases_words() {
        let message = |table, naming| StoreError::duplicate(table, naming).to_string();
        for naming in [
            "UNIQUE constraint failed: members.national_id",
            "members_national_id_key",
        ] {
            assert_eq!(
                message(&MEMBERS, naming),
                "another member has the same national_id"
            );
        }
        for naming in [
            "UNIQUE constraint failed: claims.provider_id, claims.claim_number",
            "claims_provider_id_claim_number_key",
        ] {
            assert_eq!(
                message(&CLAIMS, naming),
                "another claim has the same provider_id and claim_number"
            );
        }
        for naming in [
            "UNIQUE constraint failed: contributions.receipt",
            "contributions_pkey",
        ] {
            assert_eq!(
                message(&CONTRIBUTIONS, naming),
                "another contribution has the same receipt"
            );
        }
    }
}
