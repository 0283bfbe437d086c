//! Who did what: every change the registry makes is written with its audit record, in the same
//! transaction, so a committed change always has one and a refused or failed one has none. The
//! trail is only ever appended to (the migrations make the table refuse UPDATE and DELETE).

use crate::users::random_hex;
use crate::{Registry, ServiceError};
use carepool_core::access::MACHINE_ACCOUNT;
use carepool_schema::audit_tables::{AUDIT, AuditRow, audit};
use carepool_schema::json::row_to_json;
use carepool_schema::{Record, Row, Table, Value};
use carepool_store::{ListQuery, Lock, LockedReads, Write, Writes};
use chrono::NaiveDate;
use std::sync::atomic::{AtomicU64, Ordering};

/// Who a change is made by: a user, or an account of the machine the command ran on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(String);

impl Actor {
    /// A signed-in user (the API), or a user named with `--as` on the command line.
    pub fn user(name: &str) -> Actor {
        Actor(name.to_string())
    }

    /// A command run on the server's machine by the operating system's account.
    pub fn command_line() -> Actor {
        let account = ["USER", "LOGNAME", "USERNAME"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
            .unwrap_or_else(|| "unknown".to_string());
        Actor(format!("{MACHINE_ACCOUNT}{account}"))
    }

    pub fn name(&self) -> &str {
        &self.0
    }
}

/// One change, as the trail holds it.
#[derive(Debug, Clone)]
pub(crate) struct Change {
    pub action: &'static str,
    pub table: &'static Table,
    /// The record's key; none for a write of many records.
    pub key: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

impl Change {
    /// A change of one record, its rows before and after as JSON.
    pub fn of_record(
        action: &'static str,
        table: &'static Table,
        before: Option<&[Value]>,
        after: Option<&[Value]>,
    ) -> Change {
        let key = after.or(before).map(|row| table.key_text(row));
        let json = |row: &[Value]| row_to_json(table, row).to_string();
        Change {
            action,
            table,
            key,
            before: before.map(json),
            after: after.map(json),
        }
    }
}

/// Which records of the trail to read; all of them by default.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub table: Option<String>,
    pub key: Option<String>,
    pub actor: Option<String>,
    /// From this day on (UTC).
    pub from: Option<NaiveDate>,
    /// Up to and including this day (UTC).
    pub to: Option<NaiveDate>,
    /// Only records after this one (its id), for reading a page at a time.
    pub after: Option<String>,
    /// At most this many records; all of them when none.
    pub limit: Option<u64>,
}

/// Orders records written in the same microsecond by one process; [`PROCESS_TAG`] keeps two
/// processes writing in the same microsecond apart.
static WRITTEN: AtomicU64 = AtomicU64::new(0);

/// Audit records read at once when the trail is walked: a record of an import's new keys runs
/// to a quarter of a megabyte (those of a national registry's import), so a page is kept short.
const AUDIT_RECORDS_PER_PAGE: u64 = 256;

/// Random, drawn once per process: asking the system for randomness for each of a million
/// records of a run cost more than writing them.
static PROCESS_TAG: std::sync::OnceLock<String> = std::sync::OnceLock::new();

fn day_start(day: NaiveDate) -> i64 {
    day.and_time(chrono::NaiveTime::MIN).and_utc().timestamp()
}

/// A record of the trail made before what it says is known (see [`Registry::record_later`]).
pub(crate) struct LaterRecord(Row);

impl LaterRecord {
    /// Its write, saying `after`.
    pub(crate) fn saying(mut self, after: String) -> Write {
        self.0[audit::AFTER.index()] = Value::Text(after.into());
        Write::Insert(&AUDIT, vec![self.0])
    }
}

/// The id that orders the trail: the time in microseconds first, so ids sort as the records
/// were written (by any process), then the process's count.
fn audit_id(micros: i64) -> Result<String, ServiceError> {
    let tag = match PROCESS_TAG.get() {
        Some(tag) => tag,
        None => {
            let drawn = random_hex(3)?;
            PROCESS_TAG.get_or_init(|| drawn)
        }
    };
    let count = WRITTEN.fetch_add(1, Ordering::Relaxed) % 1_000_000;
    Ok(format!("{micros:016}-{count:06}-{tag}"))
}

impl Registry {
    /// The same registry, making its changes as `actor`.
    pub fn acting_as(self, actor: Actor) -> Registry {
        Registry { actor, ..self }
    }

    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The writes of the trail for `changes`, by this registry's actor, now.
    pub(crate) fn audit(&self, changes: Vec<Change>) -> Result<Write, ServiceError> {
        let actor = self.actor.name();
        self.audit_by(changes.into_iter().map(|change| (actor, change)))
    }

    /// The writes of the trail for changes each made by the actor named beside it, now: the
    /// claims of several facilities judged in one transaction.
    pub(crate) fn audit_by<'a>(
        &self,
        changes: impl IntoIterator<Item = (&'a str, Change)>,
    ) -> Result<Write, ServiceError> {
        let micros = self.clock().unix_micros();
        let at = micros.div_euclid(1_000_000);
        let rows = changes
            .into_iter()
            .map(|(actor, change)| {
                Ok(AuditRow {
                    id: audit_id(micros)?,
                    at,
                    actor: actor.to_string(),
                    action: change.action.to_string(),
                    table_name: change.table.name.to_string(),
                    record_key: change.key,
                    before: change.before,
                    after: change.after,
                }
                .into_row())
            })
            .collect::<Result<Vec<Row>, ServiceError>>()?;
        Ok(Write::Insert(&AUDIT, rows))
    }

    /// A record of `change` in the trail made now, to be written later with what it says
    /// (`after`) once that is known: the trail lists it before the records made meanwhile (an
    /// import's own record before those of its rows).
    pub(crate) fn record_later(&self, change: Change) -> Result<LaterRecord, ServiceError> {
        let Write::Insert(_, mut rows) = self.audit(vec![change])? else {
            unreachable!("the trail is inserted");
        };
        Ok(LaterRecord(rows.remove(0)))
    }

    /// Makes `writes` and records `changes` in the trail, in one transaction.
    pub(crate) async fn write_audited(
        &self,
        what: &'static str,
        writes: Writes,
        changes: Vec<Change>,
    ) -> Result<(), ServiceError> {
        let mut writes = Some(writes);
        writes.get_or_insert_default().push(self.audit(changes)?);
        self.store
            .write_locked(what, &Lock::Nothing, &LockedReads::default(), &mut |_| {
                Ok(writes.take().unwrap_or_default())
            })
            .await?;
        Ok(())
    }

    /// The trail, oldest first, as `filter` narrows it (for a page of it: see
    /// [`Registry::each_audit_record`] for the whole).
    pub async fn audit_trail(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>, ServiceError> {
        let mut trail = Vec::new();
        (self.each_audit_record(filter, |record| {
            trail.push(record);
            Ok::<(), ServiceError>(())
        }))
        .await?;
        Ok(trail)
    }

    /// Hands each record of the trail `filter` narrows to `each`, oldest first, read a page at a
    /// time: a national scheme's trail (every import's keys among it) is never held whole. The
    /// count handed.
    pub async fn each_audit_record<E: From<ServiceError>>(
        &self,
        filter: &AuditFilter,
        mut each: impl FnMut(AuditRow) -> Result<(), E>,
    ) -> Result<u64, E> {
        let text = |value: &String| Value::Text(value.as_str().into());
        let mut filters = Vec::new();
        for (column, value) in [
            (audit::TABLE_NAME.index(), &filter.table),
            (audit::RECORD_KEY.index(), &filter.key),
            (audit::ACTOR.index(), &filter.actor),
        ] {
            if let Some(value) = value {
                filters.push((column, text(value)));
            }
        }
        // Ids begin with the time, so the first day's start is where the keyset begins: every
        // id of that second or later sorts after it, every earlier one before.
        let from = filter
            .from
            .map(|day| format!("{:016}", day_start(day) * 1_000_000));
        let mut after = from
            .into_iter()
            .chain(filter.after.clone())
            .max()
            .map(|id| vec![Value::Text(id.into())]);
        let end = filter.to.and_then(|day| day.succ_opt()).map(day_start);
        let mut left = filter.limit.unwrap_or(u64::MAX);
        let mut count = 0;
        while left > 0 {
            let query = ListQuery {
                filters: filters.clone(),
                after: after.take(),
                limit: left.min(AUDIT_RECORDS_PER_PAGE),
                ..ListQuery::default()
            };
            let page = self
                .store
                .list(&AUDIT, &query)
                .await
                .map_err(ServiceError::from)?;
            let full = page.len() as u64 == query.limit;
            for row in &page {
                let record = AuditRow::from_row(row)
                    .map_err(|e| ServiceError::Corrupt(format!("stored audit record: {e}")))?;
                if end.is_some_and(|end| record.at >= end) {
                    return Ok(count);
                }
                after = Some(vec![Value::Text(record.id.as_str().into())]);
                each(record)?;
                (count, left) = (count + 1, left - 1);
            }
            if !full {
                break;
            }
        }
        Ok(count)
    }
}
