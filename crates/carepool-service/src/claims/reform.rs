//! A reform priced on the scheme's own claims (`carepool reform`): a proposed version of the
//! scheme file judged against the claims the scheme received. The claims of the scheme's
//! families are judged twice by the adjudication engine, family by family in the order received
//! as a batch run judges them: under the scheme's versions as stored, and under the proposal as
//! if it had always been in force (with the contributions the stored versions asked for). The
//! claims before the period, and those received meanwhile for care after it, are judged too,
//! uncounted, so that the period's claims meet the limits and frequency rules a batch run would
//! have left them. Nothing is written. docs/PROJECTION.md, "A reform priced on the scheme's own
//! claims".

use super::BATCH;
use super::adjudicate::{BatchingFamily, Queued, in_batch_order, prior_of, whole_families};
use super::context::{Loaded, Loader, RegistryRows, claimants};
use crate::background::{Background, joined};
use crate::error::ServiceError;
use crate::{Registry, unique};
use carepool_actuarial::reform::{Outcome, ReformLine, line_name};
use carepool_core::claims::usage::Ledger;
use carepool_core::claims::verify::{PriorClaim, adjudicate};
use carepool_core::claims::{Amounts, ClaimRecord, ClaimStatus};
use carepool_core::registry::FieldError;
use carepool_core::scheme::SchemeDefinition;
use carepool_core::words::Words;
use carepool_schema::Projection;
use carepool_schema::claim_tables::{CLAIMS, claims};
use carepool_schema::tables::{FAMILIES, families};
use carepool_store::Progress;
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

/// How many changed claims a reform lists; the rest are counted.
pub const CHANGED_LISTED: usize = 10_000;

/// A proposed version of a scheme against its claims of a period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReformReport {
    /// The proposal's file, when the command line names it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proposal: Option<String>,
    pub scheme: String,
    /// The proposal's own effective date (it is judged as if in force throughout).
    pub proposal_effective_from: NaiveDate,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub currency: String,
    /// The proposal's contributions differ from the latest stored version's: the claims are
    /// judged with those the stored versions asked for, as members were asked to pay them.
    pub contributions_kept: bool,
    /// Every claim judged: the period's, and the others of the same families judged with them.
    pub claims_judged: u64,
    /// The period's decided claims whose decision under the rules as stored differs from the
    /// one recorded: a reviewer's or an appeal's decision, or rules stored since.
    pub differ_from_recorded: u64,
    /// By line, as the projection's base table names them.
    pub lines: Vec<ReformLine>,
    pub total: ReformLine,
    /// The period's claims the proposal decides otherwise, by id: the first [`CHANGED_LISTED`]
    /// met family by family (`total.changed_claims` counts them all).
    pub changed: Vec<ChangedClaim>,
}

/// A claim of the period the proposal decides otherwise.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChangedClaim {
    pub claim: String,
    pub line: String,
    pub incurred_date: NaiveDate,
    pub rules: ClaimOutcome,
    pub proposal: ClaimOutcome,
}

/// What one set of rules decided on a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ClaimOutcome {
    pub status: ClaimStatus,
    #[serde(flatten)]
    pub amounts: Amounts,
}

/// A batch's registry rows and its claims with their lines, by id.
struct BatchRows {
    registry: RegistryRows,
    claims: HashMap<String, ClaimRecord>,
}

/// Each claim of a batch as the rules and as the proposal decided it, in the batch's order.
struct JudgedTwice {
    rules: Vec<ClaimOutcome>,
    proposal: Vec<ClaimOutcome>,
}

impl Registry {
    /// Judges the claims of `proposed`'s scheme incurred from `from` to `to` under the rules as
    /// stored and under `proposed`, telling `progress` how many claims are judged; writes
    /// nothing.
    pub async fn price_reform(
        &self,
        proposed: SchemeDefinition,
        from: NaiveDate,
        to: NaiveDate,
        progress: &Progress,
    ) -> Result<ReformReport, ServiceError> {
        if to < from {
            return Err(ServiceError::field(FieldError::new(
                "to",
                format!("{to} is before the period's first day, {from}"),
            )));
        }
        proposed.validate().map_err(ServiceError::Scheme)?;
        let code = proposed.code.clone();
        let stored = self.scheme_versions(&code).await?;
        let Some(first) = stored.first() else {
            return Err(ServiceError::field(FieldError::new(
                "scheme",
                format!(
                    "no scheme '{code}' is loaded: a reform is priced on the claims of a scheme in the database (the file's code names it)"
                ),
            )));
        };
        if proposed.currency != first.currency {
            return Err(ServiceError::field(FieldError::new(
                "currency",
                format!(
                    "scheme {code} keeps its amounts in {}; the proposal's are in {}",
                    first.currency, proposed.currency
                ),
            )));
        }
        let currency = proposed.currency.clone();
        let proposal_effective_from = proposed.effective_from;
        let latest = stored.last().unwrap_or(first);
        let contributions_kept = proposed.contributions != latest.contributions;
        // The proposal in force wherever a stored version was, so that it judges every claim
        // the rules judge; each time with that version's contributions, since a family's
        // standing rests on what it was asked to pay, not on what a reform would ask.
        let proposal: Arc<[SchemeDefinition]> = stored
            .iter()
            .map(|version| SchemeDefinition {
                effective_from: version.effective_from,
                contributions: version.contributions.clone(),
                ..proposed.clone()
            })
            .collect();

        let queued = self.reform_queue(&code, from, to).await?;
        let families: Vec<&BatchingFamily> = queued.iter().map(|q| &q.family).collect();
        let batches: Vec<&[Queued]> = whole_families(&families, BATCH)
            .into_iter()
            .map(|batch| &queued[batch])
            .collect();
        let mut tally = Tally::new(from, to);
        let mut loader = Loader::new(self);
        // The next batch's rows are read while this one is judged.
        let mut reads = batches.iter().map(|batch| self.read_batch(batch));
        let mut next = reads.next();
        let mut judged = 0u64;
        for batch in &batches {
            let rows = next.take().expect("a read per batch").finish().await?;
            next = reads.next();
            let loaded = loader.resolve(rows.registry).await?;
            // In the queue's order: family by family, each as received.
            let mut records = rows.claims;
            let claims: Vec<ClaimRecord> = (batch.iter())
                .filter_map(|q| records.remove(&q.id))
                .collect();
            let proposal = Arc::clone(&proposal);
            let (claims_back, decided) = tokio::task::spawn_blocking(move || {
                let decided = judge_both(&loaded, &claims, &proposal);
                (claims, decided)
            })
            .await
            .map_err(joined)?;
            tally.add(&claims_back, &decided);
            judged += claims_back.len() as u64;
            progress(judged);
        }
        let (lines, total, changed) = tally.finish();
        if total.rules.claims == 0 {
            return Err(ServiceError::not_estimable(
                Words::default(),
                format!(
                    "no claim of scheme {code} was incurred from {from} to {to}: nothing to price"
                ),
            ));
        }
        Ok(ReformReport {
            proposal: None,
            scheme: code,
            proposal_effective_from,
            from,
            to,
            currency,
            contributions_kept,
            claims_judged: judged,
            differ_from_recorded: tally.differ_from_recorded,
            lines,
            total,
            changed,
        })
    }

    /// The claims of the scheme's families a batch run would have judged by the time it had
    /// every claim of the care from `from` to `to`: those incurred by `to`, and those received
    /// by the last of them; sorted by family, then as received.
    async fn reform_queue(
        &self,
        scheme: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<Queued>, ServiceError> {
        let read = Projection::new(&FAMILIES, &[families::ID.id()]);
        let in_scheme: HashSet<String> = self
            .store
            .project(
                &FAMILIES,
                read.columns(),
                &[families::SCHEME.equals(&scheme.to_string())],
            )
            .await?
            .iter()
            .filter_map(|row| read.text(row, families::ID).map(str::to_string))
            .collect();
        let read = Projection::new(
            &CLAIMS,
            &[
                claims::ID.id(),
                claims::RECEIVED_DATE.id(),
                claims::INCURRED_DATE.id(),
                claims::MEMBER_ID.id(),
                claims::PROVIDER_ID.id(),
            ],
        );
        // Claims with both dates (one without a date of care is refused whatever the rules).
        let mut dated: Vec<(Queued, NaiveDate)> = Vec::new();
        self.each_row(&read, &[], |row| {
            let received = read.value(&row, claims::RECEIVED_DATE).as_date();
            let incurred = read.value(&row, claims::INCURRED_DATE).as_date();
            if let (Some(received), Some(incurred)) = (received, incurred) {
                let text = |column| read.text(&row, column).unwrap_or_default().to_string();
                let member_id = text(claims::MEMBER_ID);
                let claim = Queued {
                    // Known once the members' families are read.
                    family: BatchingFamily::UnknownMember(member_id.clone()),
                    received,
                    id: text(claims::ID),
                    member_id,
                    provider_id: text(claims::PROVIDER_ID),
                };
                dated.push((claim, incurred));
            }
            Ok(())
        })
        .await?;
        let member_ids = unique(dated.iter().map(|(q, _)| q.member_id.clone()));
        let family_of = self.families_of(&member_ids).await?;
        dated.retain_mut(|(claim, _)| {
            let Some(family) = family_of.get(&claim.member_id) else {
                return false;
            };
            claim.family = BatchingFamily::of(Some(family), &claim.member_id);
            in_scheme.contains(family)
        });
        let last_received = (dated.iter())
            .filter(|(_, incurred)| (from..=to).contains(incurred))
            .map(|(claim, _)| claim.received)
            .max();
        let mut queued: Vec<Queued> = dated
            .into_iter()
            .filter(|(claim, incurred)| {
                *incurred <= to || last_received.is_some_and(|last| claim.received <= last)
            })
            .map(|(claim, _)| claim)
            .collect();
        in_batch_order(&mut queued);
        Ok(queued)
    }

    /// Starts reading a batch's registry rows and its members' claims with their lines.
    fn read_batch(&self, batch: &[Queued]) -> Background<BatchRows> {
        let (members, providers) = claimants(batch.iter().map(|q| (&q.member_id, &q.provider_id)));
        let ids: Vec<String> = batch.iter().map(|q| q.id.clone()).collect();
        let registry = self.clone();
        Background::spawn(async move {
            let (claims, registry_rows) = tokio::try_join!(
                registry.claim_records(&ids),
                RegistryRows::read(registry.clone(), members, providers),
            )?;
            Ok(BatchRows {
                registry: registry_rows,
                claims,
            })
        })
    }
}

/// Judges a batch's claims (of whole families, each family's in the order received) under the
/// rules as stored and under the proposal, each on a thread of its own.
fn judge_both(
    loaded: &Loaded,
    claims: &[ClaimRecord],
    proposal: &[SchemeDefinition],
) -> JudgedTwice {
    std::thread::scope(|scope| {
        let proposed = scope.spawn(|| judge_all(loaded, claims, Some(proposal)));
        let rules = judge_all(loaded, claims, None);
        JudgedTwice {
            rules,
            proposal: proposed
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        }
    })
}

/// Judges claims in the order given under `versions` (the stored ones when none), as a batch
/// run would judge them all in one go: each member's claims start as received, and each
/// decision is seen by the claims after it.
fn judge_all(
    loaded: &Loaded,
    claims: &[ClaimRecord],
    versions: Option<&[SchemeDefinition]>,
) -> Vec<ClaimOutcome> {
    let mut history: HashMap<&str, Vec<PriorClaim>> = HashMap::new();
    for record in claims {
        let claim = &record.claim;
        if let Some(prior) = prior_of(claim, ClaimStatus::Received, std::iter::empty()) {
            history.entry(&claim.member_id).or_default().push(prior);
        }
    }
    for priors in history.values_mut() {
        priors.sort_by(|a, b| a.id.cmp(&b.id));
    }
    let mut ledger = Ledger::default();
    claims
        .iter()
        .map(|record| {
            let claim = &record.claim;
            let own = history
                .get(claim.member_id.as_str())
                .map_or(&[][..], Vec::as_slice);
            let context = loaded.claim_context(claim, versions, own);
            let decision = adjudicate(claim, &context, &ledger);
            for (key, usage) in &decision.usage {
                ledger.add(key.clone(), *usage);
            }
            let lines = decision.lines.iter().map(|line| &line.amounts);
            if let Some(prior) = prior_of(claim, decision.status, lines) {
                let priors = history.entry(&claim.member_id).or_default();
                priors.retain(|p| p.id != prior.id);
                priors.push(prior);
            }
            ClaimOutcome {
                status: decision.status,
                amounts: decision.amounts,
            }
        })
        .collect()
}

/// A line's claims under the rules and under the proposal, and how many changed.
#[derive(Default)]
struct LineTally {
    rules: Outcome,
    proposal: Outcome,
    changed: u64,
}

/// The period's claims counted by line as they are judged.
struct Tally {
    from: NaiveDate,
    to: NaiveDate,
    lines: BTreeMap<String, LineTally>,
    changed: Vec<ChangedClaim>,
    differ_from_recorded: u64,
}

impl Tally {
    fn new(from: NaiveDate, to: NaiveDate) -> Tally {
        Tally {
            from,
            to,
            lines: BTreeMap::new(),
            changed: Vec::new(),
            differ_from_recorded: 0,
        }
    }

    fn add(&mut self, claims: &[ClaimRecord], decided: &JudgedTwice) {
        for ((record, rules), proposal) in claims.iter().zip(&decided.rules).zip(&decided.proposal)
        {
            let claim = &record.claim;
            let Some(incurred) = claim
                .incurred_date()
                .filter(|d| (self.from..=self.to).contains(d))
            else {
                continue;
            };
            let line = line_name(&claim.clinical_category, claim.specialty.as_deref());
            let entry = self.lines.entry(line.clone()).or_default();
            let refused = |status| status == ClaimStatus::Rejected;
            entry.rules.add(refused(rules.status), &rules.amounts);
            entry
                .proposal
                .add(refused(proposal.status), &proposal.amounts);
            if rules != proposal {
                entry.changed += 1;
                if self.changed.len() < CHANGED_LISTED {
                    self.changed.push(ChangedClaim {
                        claim: claim.id(),
                        line,
                        incurred_date: incurred,
                        rules: *rules,
                        proposal: *proposal,
                    });
                }
            }
            if record.status != ClaimStatus::Received
                && (refused(record.status) != refused(rules.status)
                    || record.amounts.approved != rules.amounts.approved)
            {
                self.differ_from_recorded += 1;
            }
        }
    }

    /// The lines, their total and the changed claims listed, by id.
    fn finish(&mut self) -> (Vec<ReformLine>, ReformLine, Vec<ChangedClaim>) {
        let mut rules_total = Outcome::default();
        let mut proposal_total = Outcome::default();
        let lines: Vec<ReformLine> = std::mem::take(&mut self.lines)
            .into_iter()
            .map(|(line, tally)| {
                rules_total.absorb(&tally.rules);
                proposal_total.absorb(&tally.proposal);
                ReformLine::new(line, tally.rules, tally.proposal, tally.changed)
            })
            .collect();
        let changed_claims = lines
            .iter()
            .map(|line: &ReformLine| line.changed_claims)
            .sum();
        let total = ReformLine::new("total".into(), rules_total, proposal_total, changed_claims);
        let mut changed = std::mem::take(&mut self.changed);
        changed.sort_by(|a, b| a.claim.cmp(&b.claim));
        (lines, total, changed)
    }
}
