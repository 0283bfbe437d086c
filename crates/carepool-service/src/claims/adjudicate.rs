//! Adjudication: claims received are judged in batches, each batch in one transaction that
//! holds its families' lock from reading what they used of their limits until the decisions
//! are written. Claims are judged in the order received (then by id), so the first claim to
//! arrive is the first to use a limit.

use super::context::{self, Loaded, Loader, RegistryRows, claimants};
use super::queue::Queue;
use super::records_from_rows;
use crate::audit::Change;
use crate::background::{Background, joined};
use crate::error::ServiceError;
use crate::{Registry, unique};
use carepool_core::Money;
use carepool_core::claims::usage::{Ledger, UsageKey};
use carepool_core::claims::verify::{PriorClaim, adjudicate};
use carepool_core::claims::{Amounts, Claim, ClaimRecord, ClaimStatus, Reason};
use carepool_schema::Row;
use carepool_schema::claim_tables::{
    self, CLAIM_DECISION, CLAIM_LINES, CLAIM_REASONS, CLAIM_USAGE, CLAIMS, LINE_DECISION,
    claim_lines, claim_usage, claims,
};
use carepool_schema::tables::{self, members};
use carepool_store::{
    Lock, LockedReads, Progress, Read, ReadHandle, ReadRows, StoreError, Work, Write, WriteRun,
    Writes, blocking,
};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// Claims judged per transaction in a batch run.
pub const BATCH: usize = 2_000;

/// From how many claims a batch is judged in two parts at once; below it, starting a thread
/// costs more than it saves.
const JUDGE_IN_PARTS_FROM: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AdjudicationReport {
    pub adjudicated: u64,
    /// Claims received after the decision date, left for a later run.
    pub waiting: u64,
    /// How many claims ended in each status.
    pub by_status: BTreeMap<String, u64>,
}

impl AdjudicationReport {
    /// Counts another batch's or part's claims in with these.
    fn add(&mut self, other: AdjudicationReport) {
        self.adjudicated += other.adjudicated;
        self.waiting += other.waiting;
        for (status, count) in other.by_status {
            *self.by_status.entry(status).or_default() += count;
        }
    }
}

impl Registry {
    /// Judges every claim still in status received that had arrived by `today`, on `today`,
    /// telling `progress` how many are done. Claims are judged family by family (a family's
    /// limits and a member's history depend on nothing outside the family), each family's in
    /// the order received; each batch of whole families is written whole or not at all.
    pub async fn adjudicate_received(
        &self,
        today: NaiveDate,
        progress: &Progress,
    ) -> Result<AdjudicationReport, ServiceError> {
        self.check_decision_date(today)?;
        let queue = Queue::start(self, today).await?;
        let mut report = AdjudicationReport {
            waiting: queue.waiting,
            ..AdjudicationReport::default()
        };
        let mut run = self.store.write_run().await?;
        let judge_ahead = run.judges_ahead();
        // Three batches are in hand at once: one written, the next read and judged ahead of
        // its lock (from rows read after the write before the one being written returned, as
        // `WriteRun` asks), and the one after that taken from the queue, its registry rows
        // read, beside the write and off the writer's thread (the writer is the run's narrow
        // stage). That read may or may not see the write: the queue's pages start after the
        // families already batched, whose claims are the ones written (a claim judged with
        // another family than it carries is left out of the pages by id, see `Queue`).
        let (queue, first) = self.read_next(queue).finish().await?;
        let mut preparing = first
            .map(|(batch, rows)| self.prepare(Loader::new(self), rows, &batch, today, judge_ahead));
        let mut reading = self.read_next(queue);
        while let Some(ready) = preparing.take() {
            let (loader, prepared) = ready.finish().await?;
            let (queue, next) = reading.finish().await?;
            preparing =
                next.map(|(batch, rows)| self.prepare(loader, rows, &batch, today, judge_ahead));
            reading = self.read_next(queue);
            report.add(prepared.write(self, run.as_mut(), today).await?);
            progress(report.adjudicated);
        }
        // Each batch recorded its decisions as it was written; the run as a whole is recorded
        // once all are (a run stopped part-way has the decisions it wrote, not this record).
        if report.adjudicated > 0 {
            let run = Change {
                action: "adjudication_run",
                table: &CLAIMS,
                key: None,
                before: None,
                after: Some(
                    serde_json::json!({
                        "decided_on": today,
                        "adjudicated": report.adjudicated,
                        "waiting": report.waiting,
                        "by_status": report.by_status,
                    })
                    .to_string(),
                ),
            };
            self.write_audited("record of an adjudication run", vec![], vec![run])
                .await?;
        }
        Ok(report)
    }

    /// Starts taking the queue's next batch and reading its registry rows; the queue is
    /// handed back with it.
    fn read_next(&self, mut queue: Queue) -> Background<(Queue, Option<NextBatch>)> {
        let registry = self.clone();
        Background::spawn(async move {
            let batch = queue.next_batch().await?;
            let next = batch.map(|batch| {
                let rows = registry.read_ahead(&batch);
                (batch, rows)
            });
            Ok((queue, next))
        })
    }

    /// Starts reading the registry rows for a batch of queued claims.
    fn read_ahead(&self, batch: &[Queued]) -> Background<RegistryRows> {
        let (members, providers) = claimants(batch.iter().map(|q| (&q.member_id, &q.provider_id)));
        Background::spawn(RegistryRows::read(self.clone(), members, providers))
    }

    /// Starts making a batch ready for its lock: its registry rows resolved by `loader` (handed
    /// back with the batch), and, with `judge_ahead`, its history read and its claims judged.
    fn prepare(
        &self,
        mut loader: Loader,
        registry_rows: Background<RegistryRows>,
        batch: &[Queued],
        today: NaiveDate,
        judge_ahead: bool,
    ) -> Background<(Loader, Prepared)> {
        let registry = self.clone();
        let stored: Vec<String> = batch.iter().map(|q| q.id.clone()).collect();
        let member_ids = unique(batch.iter().map(|q| q.member_id.clone()));
        Background::spawn(async move {
            let loaded = loader.resolve(registry_rows.finish().await?).await?;
            let family_ids = unique(loaded.families.keys().cloned());
            let history = HistoryReads::new(member_ids, family_ids.clone());
            let mut prepared = Prepared {
                loaded,
                stored,
                family_ids,
                history,
                ahead: None,
            };
            if judge_ahead {
                let read = registry.read_unlocked(&prepared.history.reads).await?;
                // Judging takes whole cores for a while: off the runtime's threads.
                let (back, ahead) = tokio::task::spawn_blocking(move || {
                    let judge = Judge {
                        loaded: &prepared.loaded,
                        today,
                        registry: &registry,
                        senders: &HashMap::new(),
                    };
                    let stored: Vec<&str> = prepared.stored.iter().map(String::as_str).collect();
                    let ahead = judge.run(&stored, &[], &prepared.history, read);
                    let ahead = ahead.map(|(writes, judged)| (writes, judged.report));
                    (prepared, ahead)
                })
                .await
                .map_err(joined)?;
                prepared = back;
                prepared.ahead = Some(ahead?);
            }
            Ok((loader, prepared))
        })
    }

    /// Rows read outside any lock, as a locked write would read them.
    async fn read_unlocked(&self, reads: &LockedReads) -> Result<ReadRows, ServiceError> {
        let mut read = Vec::with_capacity(reads.as_slice().len());
        for spec in reads.as_slice() {
            read.push(match spec {
                Read::WhereIn {
                    table,
                    column,
                    values,
                } => self.store.rows_where_in(table, *column, values).await?,
                Read::List { table, query } => self.store.list(table, query).await?,
                Read::Projected {
                    table,
                    columns,
                    filters,
                } => self.store.project(table, columns, filters).await?,
                Read::Page {
                    table,
                    columns,
                    filters,
                    order,
                    start,
                    limit,
                } => {
                    (self.store)
                        .project_page(table, columns, filters, *order, start, *limit)
                        .await?
                }
            });
        }
        Ok(ReadRows::new(read))
    }

    /// The family of each of these members, for the members the registry knows.
    pub(crate) async fn families_of(
        &self,
        member_ids: &[String],
    ) -> Result<HashMap<String, String>, ServiceError> {
        let rows = self
            .store
            .rows_where_in(&tables::MEMBERS, members::ID.index(), member_ids)
            .await?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                Some((
                    members::ID.value(row).as_text()?.to_string(),
                    members::FAMILY_ID.value(row).as_text()?.to_string(),
                ))
            })
            .collect())
    }

    /// Judges, in one transaction holding their families' lock, the `stored` claims still
    /// received and the `fresh` claims (not yet stored, written whole with their decision), in
    /// the order received (then by id) whatever the order given. `loaded` holds the registry
    /// rows of every claim's member and provider, and `member_ids` names those members. A fresh
    /// claim found stored under the lock (another writer stored it since it was checked) is
    /// the claim stored when sent unchanged (judged here if still waiting, and listed in
    /// [`Judged::resent`]); with other content it fails the whole batch. `senders` names who sent the stored claims (by id) when not this
    /// registry's actor; a fresh claim is recorded as its receiver's.
    pub(crate) async fn judge_batch(
        &self,
        loaded: &Loaded,
        member_ids: Vec<String>,
        stored: &[&str],
        fresh: Vec<ClaimRecord>,
        senders: &HashMap<String, String>,
        today: NaiveDate,
    ) -> Result<Judged, ServiceError> {
        let family_ids = unique(loaded.families.keys().cloned());
        let history = HistoryReads::new(member_ids, family_ids.clone());
        let judge = Judge {
            loaded,
            today,
            registry: self,
            senders,
        };
        let mut outcome = None;
        self.store
            .write_locked(
                "claim decision",
                &Lock::Families(family_ids),
                &history.reads,
                &mut |read| {
                    let (writes, judged) = judge
                        .run(stored, &fresh, &history, read)
                        .map_err(into_store_error)?;
                    outcome = Some(judged);
                    Ok(writes)
                },
            )
            .await?;
        outcome.ok_or_else(never_decided)
    }
}

/// What judging a batch reads under its lock: the members' claims as they stand, their lines,
/// and what their families used of their limits.
struct HistoryReads {
    reads: LockedReads,
    claims: ReadHandle,
    lines: ReadHandle,
    usage: ReadHandle,
}

impl HistoryReads {
    fn new(member_ids: Vec<String>, family_ids: Vec<String>) -> HistoryReads {
        let mut reads = LockedReads::default();
        HistoryReads {
            claims: reads.add(Read::where_in(claims::MEMBER_ID, member_ids.clone())),
            lines: reads.add(Read::where_in(claim_lines::MEMBER_ID, member_ids)),
            usage: reads.add(Read::where_in(claim_usage::FAMILY_ID, family_ids)),
            reads,
        }
    }
}

/// A locked write that returned without running its decision: a fault of the store.
fn never_decided() -> ServiceError {
    ServiceError::Corrupt("the store wrote a batch without deciding it".into())
}

/// A judging failure as the store's, to end a locked write.
fn into_store_error(error: ServiceError) -> StoreError {
    match error {
        ServiceError::Store(e) => e,
        ServiceError::Conflict(message) => StoreError::Conflict(message),
        ServiceError::Taken {
            message,
            field,
            words,
        } => StoreError::Taken {
            message,
            field,
            words,
        },
        other => StoreError::internal(other),
    }
}

/// A batch ready for its lock.
struct Prepared {
    loaded: Loaded,
    /// Its claims' ids.
    stored: Vec<String>,
    family_ids: Vec<String>,
    /// What judging it reads.
    history: HistoryReads,
    /// Its decisions, made ahead of its lock from rows read before it, and what they add up
    /// to (a run reports no more: the claims as decided are dropped where they were judged,
    /// not by the writer).
    ahead: Option<(Writes, AdjudicationReport)>,
}

impl Prepared {
    /// Writes the batch in one transaction holding its families' lock: as decided ahead if
    /// nobody else has written since, or as judged under the lock.
    async fn write(
        self,
        registry: &Registry,
        run: &mut dyn WriteRun,
        today: NaiveDate,
    ) -> Result<AdjudicationReport, ServiceError> {
        let (ahead, report_ahead) = self.ahead.unzip();
        let judge = Judge {
            loaded: &self.loaded,
            today,
            registry,
            senders: &HashMap::new(),
        };
        let stored: Vec<&str> = self.stored.iter().map(String::as_str).collect();
        let mut report_under_lock = None;
        let wrote_ahead = run
            .write(
                "claim decision",
                &Lock::Families(self.family_ids),
                &self.history.reads,
                ahead,
                &mut |read| {
                    let (writes, judged) = judge
                        .run(&stored, &[], &self.history, read)
                        .map_err(into_store_error)?;
                    report_under_lock = Some(judged.report);
                    Ok(writes)
                },
            )
            .await?;
        let report = if wrote_ahead {
            report_ahead
        } else {
            report_under_lock
        };
        report.ok_or_else(never_decided)
    }
}

/// The family a claim is batched and judged with: its member's, or for a member the registry
/// does not know (judged apart, and refused) the member alone. Unknown members sort first.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(super) enum BatchingFamily {
    UnknownMember(String),
    Family(String),
}

impl BatchingFamily {
    pub(super) fn of(family_id: Option<&str>, member_id: &str) -> BatchingFamily {
        match family_id {
            Some(family) => BatchingFamily::Family(family.to_string()),
            None => BatchingFamily::UnknownMember(member_id.to_string()),
        }
    }
}

/// Sorts claims to judge family by family, each family's in the order received (then by id).
pub(super) fn in_batch_order(queued: &mut [Queued]) {
    queued.sort_by(|a, b| (&a.family, a.received, &a.id).cmp(&(&b.family, b.received, &b.id)));
}

/// Cuts a list sorted by family into batches of about `size`, never splitting a family.
pub(super) fn whole_families<F: PartialEq>(
    families: &[F],
    size: usize,
) -> Vec<std::ops::Range<usize>> {
    let mut batches = Vec::new();
    let mut start = 0;
    while start < families.len() {
        let mut end = (start + size).min(families.len());
        while end < families.len() && families[end] == families[end - 1] {
            end += 1;
        }
        batches.push(start..end);
        start = end;
    }
    batches
}

/// A claim waiting to be judged, with what batching needs to know of it.
pub(super) struct Queued {
    pub family: BatchingFamily,
    pub received: NaiveDate,
    pub id: String,
    pub member_id: String,
    pub provider_id: String,
}

/// What a batch is judged with, read before the lock, and whom its decisions are recorded as
/// made by: the user who sent a claim through the API, else the registry's actor.
struct Judge<'a> {
    loaded: &'a Loaded,
    today: NaiveDate,
    registry: &'a Registry,
    senders: &'a HashMap<String, String>,
}

/// What a batch decided: each claim as decided, with its reasons, in the order judged (family
/// by family when the batch was judged in parts).
#[derive(Default)]
pub(crate) struct Judged {
    pub report: AdjudicationReport,
    pub decided: Vec<(ClaimRecord, Vec<Reason>)>,
    /// The fresh claims found stored under the lock, sent again unchanged.
    pub resent: Vec<String>,
}

impl Judge<'_> {
    /// Under the lock: the members' claims as they stand now, their lines, and the families'
    /// usage; returns the rows to write.
    fn run(
        &self,
        stored: &[&str],
        fresh: &[ClaimRecord],
        history: &HistoryReads,
        mut read: ReadRows,
    ) -> Result<(Writes, Judged), ServiceError> {
        let history_rows = read.take(history.claims)?;
        let history_lines = read.take(history.lines)?;
        let usage_rows = read.take(history.usage)?;
        let history_records = records_from_rows(&history_rows, &history_lines)?;
        // A fresh claim another writer stored since it was read (another server, or a group
        // whose commit the read did not see): sent again unchanged, it is the claim stored,
        // judged here if still waiting; with other content, the batch fails and the sender is
        // answered from what is stored.
        // By id, who sent it again: the decision's if it is judged here.
        let mut resent: HashMap<String, String> = HashMap::new();
        let mut new_claims: Vec<&ClaimRecord> = Vec::with_capacity(fresh.len());
        for claim in fresh {
            let id = claim.claim.id();
            match history_records.get(&id) {
                None => new_claims.push(claim),
                Some(stored) if stored.claim == claim.claim => {
                    let sender = claim.received_by.as_deref();
                    let run_by = self.registry.actor().name();
                    resent.insert(id, sender.unwrap_or(run_by).to_string());
                }
                Some(_) => {
                    return Err(ServiceError::Conflict(format!(
                        "claim {id} was stored by another writer meanwhile"
                    )));
                }
            }
        }
        let mut history: History = HashMap::new();
        for record in history_records.values() {
            if let Some(prior) = prior_claim(record) {
                history
                    .entry(record.claim.member_id.clone())
                    .or_default()
                    .push(prior);
            }
        }
        for priors in history.values_mut() {
            priors.sort_by(|a, b| a.id.cmp(&b.id));
        }
        // The batch's stored claims as they stand now (another run may have judged some since
        // they were queued), and the fresh ones, in the order received.
        let mut claims: Vec<ToJudge> = (stored.iter().copied())
            .chain(resent.keys().map(String::as_str))
            .filter_map(|id| history_records.get(id))
            .filter(|record| record.status == ClaimStatus::Received)
            .map(|record| (record, false))
            .chain(new_claims.into_iter().map(|record| (record, true)))
            .collect();
        claims.sort_by_cached_key(|(c, _)| (c.claim.received_date, c.claim.id()));
        let ledger: Ledger = context::ledger(&usage_rows)?;

        // A family's claims depend on nothing outside the family, so a large batch is judged
        // in two parts of whole families at once, on the two threads a machine has at least.
        let parts = if claims.len() >= JUDGE_IN_PARTS_FROM {
            self.split_by_family(claims)
        } else {
            vec![claims]
        };
        let mut parts: Vec<(Vec<ToJudge>, History)> = parts
            .into_iter()
            .map(|part| {
                let own_history = part
                    .iter()
                    .filter_map(|(c, _)| history.remove_entry(&c.claim.member_id))
                    .collect();
                (part, own_history)
            })
            .collect();
        // Under the lock, on an async worker: a large batch hands the worker's other tasks on.
        let work = if parts.len() == 1 {
            Work::Short
        } else {
            Work::Long
        };
        let judged_parts: Vec<Part> = blocking(work, || {
            if parts.len() == 1 {
                let (part, history) = parts.pop().expect("one part");
                vec![self.judge_part(part, history, ledger, &resent)]
            } else {
                std::thread::scope(|scope| {
                    let running: Vec<_> = parts
                        .into_iter()
                        .map(|(part, history)| {
                            let ledger = ledger.clone();
                            let resent = &resent;
                            scope.spawn(move || self.judge_part(part, history, ledger, resent))
                        })
                        .collect();
                    running
                        .into_iter()
                        .map(|judging| {
                            judging
                                .join()
                                .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                        })
                        .collect()
                })
            }
        });

        let mut all = Part::default();
        for part in judged_parts {
            all.absorb(part);
        }
        // Submissions one record each; a batch's decisions one record per user who made them.
        let mut by_actor: BTreeMap<String, Vec<Decided>> = BTreeMap::new();
        for (actor, decided) in std::mem::take(&mut all.decided_stored) {
            by_actor.entry(actor).or_default().push(decided);
        }
        let mut actors = std::mem::take(&mut all.actors);
        let mut changes = std::mem::take(&mut all.changes);
        for (actor, claims) in by_actor {
            actors.push(actor);
            changes.push(decisions_change(&claims));
        }
        let trail = self
            .registry
            .audit_by(actors.iter().map(String::as_str).zip(changes))?;
        let (mut writes, mut judged) = all.into_writes();
        writes.push(trail);
        judged.resent = resent.into_keys().collect();
        Ok((writes, judged))
    }

    /// Two parts of about the same number of claims, each of whole families (see
    /// [`BatchingFamily`]), each in the order given.
    fn split_by_family<'r>(&self, claims: Vec<ToJudge<'r>>) -> Vec<Vec<ToJudge<'r>>> {
        let family_of = |record: &ClaimRecord| {
            let member_id = &record.claim.member_id;
            let family = self
                .loaded
                .members
                .get(member_id)
                .map(|m| m.family_id.as_str());
            BatchingFamily::of(family, member_id)
        };
        let mut sizes: HashMap<BatchingFamily, usize> = HashMap::new();
        for (record, _) in &claims {
            *sizes.entry(family_of(record)).or_default() += 1;
        }
        let mut families: Vec<(BatchingFamily, usize)> = sizes.into_iter().collect();
        families.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let mut totals = [0usize; 2];
        let mut part_of: HashMap<BatchingFamily, usize> = HashMap::new();
        for (family, size) in families {
            let lighter = usize::from(totals[1] < totals[0]);
            totals[lighter] += size;
            part_of.insert(family, lighter);
        }
        let mut parts = vec![Vec::new(), Vec::new()];
        for claim in claims {
            parts[part_of[&family_of(claim.0)]].push(claim);
        }
        parts
    }

    /// Judges claims of whole families in the order given, with those families' members'
    /// history and the usage ledger, and returns the rows to write. `resent_by` names who sent
    /// again the stored claims that fresh ones turned out to be.
    fn judge_part(
        &self,
        claims: Vec<ToJudge>,
        mut history: History,
        mut ledger: Ledger,
        resent_by: &HashMap<String, String>,
    ) -> Part {
        let mut touched: BTreeSet<UsageKey> = BTreeSet::new();
        let mut out = Part::default();
        for (before, is_fresh) in claims {
            let claim = &before.claim;
            let id = claim.id();
            let own_history = history.get(&claim.member_id).map_or(&[][..], Vec::as_slice);
            let context = self.loaded.claim_context(claim, None, own_history);
            let member = context.member;
            let decision = adjudicate(claim, &context, &ledger);
            for (key, usage) in &decision.usage {
                ledger.add(key.clone(), *usage);
                touched.insert(key.clone());
            }
            let mut record = before.clone();
            record.family_id = member.map(|m| m.family_id.clone());
            let family_changed = record.family_id != before.family_id;
            record.decide(&decision, self.today);
            // A claim reopened on appeal carries the codes of every reason it was given so far
            // (`reopen_on_appeal`): this decision's reasons are numbered after them, and it
            // keeps only this decision's codes. A claim never decided carries none.
            let earlier = before.reason_codes.len();
            if let Some(prior) = prior_claim(&record) {
                let priors = history.entry(claim.member_id.clone()).or_default();
                priors.retain(|p| p.id != prior.id);
                priors.push(prior);
            }
            let (row, lines) = claim_tables::claim_rows_with_reasons(&record, &decision.reasons);
            // A claim sent through the API is recorded as submitted by its sender; a stored
            // one as decided by whoever sent it again or ran the batch, with the batch's others.
            let run_by = self.registry.actor().name();
            if is_fresh {
                let sender = record.received_by.as_deref().unwrap_or(run_by);
                out.actors.push(sender.to_string());
                out.changes.push(submit_change(&id, &record));
            } else {
                let decider = (self.senders.get(&id))
                    .or_else(|| resent_by.get(&id))
                    .map_or(run_by, String::as_str);
                let decided = Decided {
                    claim: id.clone(),
                    status: record.status.as_str(),
                    approved: record.amounts.approved,
                };
                out.decided_stored.push((decider.to_string(), decided));
            }
            if is_fresh {
                out.new_rows.push(row);
                out.new_lines.extend(lines);
            } else {
                // The family is an indexed column: rewritten only when it changed, since
                // rewriting it costs even when the value stays.
                if family_changed {
                    out.moved_rows.push(row.clone());
                }
                out.claim_rows.push(row);
                out.line_rows.extend(lines);
            }
            out.reason_rows.extend(claim_tables::reason_rows(
                &id,
                earlier as i64 + 1,
                &decision.reasons,
            ));
            out.judged.report.adjudicated += 1;
            *out.judged
                .report
                .by_status
                .entry(decision.status.as_str().to_string())
                .or_default() += 1;
            out.judged.decided.push((record, decision.reasons));
        }
        out.usage_rows = touched
            .iter()
            .map(|key| claim_tables::usage_row(key, &ledger.get(key)))
            .collect();
        out
    }
}

/// A batch taken from the queue, with its registry rows being read.
type NextBatch = (Vec<Queued>, Background<RegistryRows>);
/// A claim to judge, and whether it is fresh (not yet stored).
type ToJudge<'r> = (&'r ClaimRecord, bool);
/// What each member's stored claims tell the rules.
type History = HashMap<String, Vec<PriorClaim>>;

/// What judging a part of a batch calls for: rows to write, and the claims as decided.
#[derive(Default)]
struct Part {
    new_rows: Vec<Row>,
    new_lines: Vec<Row>,
    claim_rows: Vec<Row>,
    moved_rows: Vec<Row>,
    line_rows: Vec<Row>,
    reason_rows: Vec<Row>,
    usage_rows: Vec<Row>,
    /// Each claim submitted, for the trail, beside who sent it.
    changes: Vec<Change>,
    actors: Vec<String>,
    /// Each stored claim decided, beside who decided it.
    decided_stored: Vec<(String, Decided)>,
    judged: Judged,
}

impl Part {
    /// Adds another part's rows and decisions (of other families) to these.
    fn absorb(&mut self, other: Part) {
        self.new_rows.extend(other.new_rows);
        self.new_lines.extend(other.new_lines);
        self.claim_rows.extend(other.claim_rows);
        self.moved_rows.extend(other.moved_rows);
        self.line_rows.extend(other.line_rows);
        self.reason_rows.extend(other.reason_rows);
        self.usage_rows.extend(other.usage_rows);
        self.changes.extend(other.changes);
        self.actors.extend(other.actors);
        self.decided_stored.extend(other.decided_stored);
        self.judged.report.add(other.judged.report);
        self.judged.decided.extend(other.judged.decided);
    }

    fn into_writes(self) -> (Writes, Judged) {
        const FAMILY: &[usize] = &[claims::FAMILY_ID.index()];
        (
            vec![
                Write::Upsert(&CLAIMS, self.new_rows),
                Write::Upsert(&CLAIM_LINES, self.new_lines),
                Write::Update {
                    table: &CLAIMS,
                    columns: CLAIM_DECISION,
                    rows: self.claim_rows,
                },
                Write::Update {
                    table: &CLAIMS,
                    columns: FAMILY,
                    rows: self.moved_rows,
                },
                Write::Update {
                    table: &CLAIM_LINES,
                    columns: LINE_DECISION,
                    rows: self.line_rows,
                },
                Write::Upsert(&CLAIM_REASONS, self.reason_rows),
                Write::Upsert(&CLAIM_USAGE, self.usage_rows),
            ],
            self.judged,
        )
    }
}

/// A decision as the trail holds it: the claim's status and what the scheme pays. The rest
/// stays in the claim: what was sent never changes once stored, and a review records the claim
/// whole before changing its decision.
#[derive(Debug, Serialize)]
struct Decided {
    claim: String,
    status: &'static str,
    approved: Money,
}

/// A claim sent through the API, as decided at once: a record of its own, by its key.
fn submit_change(id: &str, record: &ClaimRecord) -> Change {
    Change {
        action: "submit",
        table: &CLAIMS,
        key: Some(id.to_string()),
        before: None,
        after: serde_json::to_string(&serde_json::json!({
            "status": record.status.as_str(),
            "approved": record.amounts.approved,
        }))
        .ok(),
    }
}

/// The decisions one user made in a batch, in one record: a record per claim (and its index
/// entries) cost a run of a million claims a quarter of its time.
fn decisions_change(claims: &[Decided]) -> Change {
    Change {
        action: "adjudicate",
        table: &CLAIMS,
        key: None,
        before: None,
        after: serde_json::to_string(&serde_json::json!({ "claims": claims })).ok(),
    }
}

/// What a stored claim tells the rules about later claims of the same member.
pub(crate) fn prior_claim(record: &ClaimRecord) -> Option<PriorClaim> {
    let lines = record.line_decisions.iter().map(|d| &d.amounts);
    prior_of(&record.claim, record.status, lines)
}

/// What a claim in `status`, its lines decided as `line_amounts` (in order; none for a claim
/// not yet judged), tells the rules about later claims of the same member: the services it
/// was approved for count toward frequency limits.
pub(crate) fn prior_of<'a>(
    claim: &Claim,
    status: ClaimStatus,
    line_amounts: impl Iterator<Item = &'a Amounts>,
) -> Option<PriorClaim> {
    Some(PriorClaim {
        id: claim.id(),
        provider_id: claim.provider_id.clone(),
        claim_number: claim.claim_number.clone(),
        incurred_date: claim.incurred_date()?,
        discharge_date: claim.discharge_date,
        received_date: claim.received_date,
        status,
        approved_services: claim
            .lines
            .iter()
            .zip(line_amounts)
            .filter(|(_, amounts)| {
                amounts.approved > Money::ZERO || amounts.member_share > Money::ZERO
            })
            .map(|(line, _)| line.service_code.clone())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::whole_families;

    #[test]
    fn batches_never_split_a_family() {
        let families = ["A", "A", "B", "B", "B", "C", "D", "D"];
        assert_eq!(whole_families(&families, 3), vec![0..5, 5..8]);
        assert_eq!(whole_families(&families, 1), vec![0..2, 2..5, 5..6, 6..8]);
        assert_eq!(whole_families(&families, 100), vec![0..8]);
        assert!(whole_families::<&str>(&[], 3).is_empty());
    }
}
