//! Claims: receiving them, adjudicating them against the registry and the scheme's rules,
//! medical review, payment, and a member's cover check.

mod adjudicate;
mod appeal;
mod context;
mod exit;
mod pay;
mod queue;
pub mod reform;
mod refund;
mod review;
mod submit;

pub use adjudicate::{AdjudicationReport, BATCH};
pub(crate) use exit::gone_members;
pub use pay::PaymentReport;
pub(crate) use queue::next_page_of_claims;
pub use submit::{Answer, ReadSubmissions, RecentContext, Submission};

use crate::Registry;
use crate::audit::Change;
use crate::error::{NotWritten, RowProblem, ServiceError};
use carepool_core::claims::verify::CoverStatus;
use carepool_core::claims::{Claim, ClaimRecord, Reason};
use carepool_core::dates;
use carepool_core::registry::Member;
use carepool_schema::Row;
use carepool_schema::claim_tables::{
    self, CLAIM_LINES, CLAIM_REASONS, CLAIMS, claim_lines, claim_reasons, claim_usage, claims,
};
use carepool_schema::tables::{PROVIDERS, members};
use carepool_store::{Progress, StoreError, Write, WriteParts, Writes};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashMap;

/// A claim read from a file (or the API: line 0), with the line it starts on.
#[derive(Debug, Clone)]
pub struct ReceivedClaim {
    pub line: u64,
    pub claim: Claim,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ReceiveReport {
    /// Claims new to carepool.
    pub received: u64,
    /// Claims sent again exactly as before: nothing to do.
    pub unchanged: u64,
}

/// A receipt in parts, as the store asks for them (see [`Registry::receive_claims_in_parts`]).
struct Receipt<'r, P, E> {
    registry: &'r Registry,
    parts: P,
    progress: &'r Progress,
    checked: u64,
    report: ReceiveReport,
    /// Every problem found so far: once there is one, nothing more is written.
    problems: Vec<RowProblem>,
    /// Why the receipt ended before its last part, if it did.
    ended: Option<NotWritten<E>>,
    /// Whether the receipt's record in the trail is written.
    recorded: bool,
}

#[async_trait::async_trait]
impl<P, E> WriteParts for Receipt<'_, P, E>
where
    P: Iterator<Item = Result<Vec<ReceivedClaim>, E>> + Send,
    E: Send,
{
    async fn next_part(&mut self) -> Result<Option<Writes>, StoreError> {
        // Ends the transaction; the receipt then tells why.
        let refused = || StoreError::Internal("claims refused".into());
        for part in self.parts.by_ref() {
            let claims = match part {
                Ok(claims) => claims,
                Err(error) => {
                    self.ended = Some(NotWritten::Unreadable(error));
                    return Err(refused());
                }
            };
            self.checked += claims.len() as u64;
            let received = (self.registry)
                .receive_part(claims, &mut self.problems, &mut self.report)
                .await;
            let writes = match received {
                Ok(writes) => writes,
                Err(failure) => {
                    self.ended = Some(NotWritten::Refused(failure));
                    return Err(refused());
                }
            };
            (self.progress)(self.checked);
            if !writes.is_empty() {
                return Ok(Some(writes));
            }
        }
        if !self.problems.is_empty() {
            return Err(refused());
        }
        // Claims all sent before change nothing, and leave no record.
        if self.recorded || self.report.received == 0 {
            return Ok(None);
        }
        self.recorded = true;
        let receipt = Change {
            action: "receive",
            table: &CLAIMS,
            key: None,
            before: None,
            after: Some(serde_json::json!({ "records": self.report.received }).to_string()),
        };
        let audit = self.registry.audit(vec![receipt]);
        Ok(Some(vec![audit.map_err(StoreError::internal)?]))
    }
}

/// A claim with every reason given on it, for `claims show` and the API.
#[derive(Debug, Clone, Serialize)]
pub struct ClaimView {
    pub id: String,
    pub incurred_date: Option<NaiveDate>,
    #[serde(flatten)]
    pub record: ClaimRecord,
    pub reasons: Vec<Reason>,
    /// Received before this answer (sent again unchanged): the API answers 200, not 201.
    #[serde(skip)]
    pub sent_before: bool,
}

impl Registry {
    /// Stores claims as received, all or none. A claim sent again unchanged (same facility and
    /// claim number, same content) is left as it is; sent again changed, it is refused.
    pub async fn receive_claims(
        &self,
        claims: Vec<ReceivedClaim>,
    ) -> Result<ReceiveReport, ServiceError> {
        let parts = std::iter::once(Ok::<_, std::convert::Infallible>(claims));
        (self.receive_claims_in_parts(parts, &|_| {}).await).map_err(|e| match e {
            NotWritten::Refused(refusal) => refusal,
            NotWritten::Unreadable(never) => match never {},
        })
    }

    /// As [`Registry::receive_claims`], a part at a time: each part is checked and written as
    /// it is read, all in one transaction, so that a file of millions of claims is never held
    /// whole. Every copy of a claim (same facility and claim number) must be in the same part.
    /// A problem in any part refuses the whole, naming every problem of every part; a part
    /// that cannot be read refuses it with the reader's own error. `progress` is told how many
    /// claims have been checked so far.
    pub async fn receive_claims_in_parts<E: Send>(
        &self,
        parts: impl Iterator<Item = Result<Vec<ReceivedClaim>, E>> + Send,
        progress: &Progress,
    ) -> Result<ReceiveReport, NotWritten<E>> {
        let mut receipt = Receipt {
            registry: self,
            parts,
            progress,
            checked: 0,
            report: ReceiveReport::default(),
            problems: Vec::new(),
            ended: None,
            recorded: false,
        };
        let written = self
            .store
            .write_in_parts("receipt of claims", &mut receipt)
            .await;
        if let Some(ended) = receipt.ended {
            return Err(ended);
        }
        if !receipt.problems.is_empty() {
            receipt.problems.sort_by_key(|p| p.line);
            return Err(NotWritten::Refused(ServiceError::Invalid(receipt.problems)));
        }
        written.map_err(|e| {
            NotWritten::Refused(match e {
                // Claims are inserted: one stored by another writer since it was looked up.
                StoreError::Taken { .. } => ServiceError::Conflict(
                    "a claim among these was stored by another writer while they were being \
                     received: nothing was written; send them again (a claim stored meanwhile is \
                     then left as it is, if unchanged)"
                        .into(),
                ),
                other => other.into(),
            })
        })?;
        Ok(receipt.report)
    }

    /// The writes that receive one part of the claims, after its checks: none if any check
    /// failed (its problems added to `problems`) or a problem was found in a part before.
    async fn receive_part(
        &self,
        claims: Vec<ReceivedClaim>,
        problems: &mut Vec<RowProblem>,
        report: &mut ReceiveReport,
    ) -> Result<Writes, ServiceError> {
        problems.extend(check_sent(&claims, self.today()));
        let ids: Vec<String> = claims.iter().map(|c| c.claim.id()).collect();
        let stored = self.claim_records(&ids).await?;
        problems.extend(check_resent(&claims, |id| {
            stored.get(id).map(|record| &record.claim)
        }));
        let provider_ids = crate::unique(claims.iter().map(|c| c.claim.provider_id.clone()));
        let known = self.store.existing_keys(&PROVIDERS, &provider_ids).await?;
        problems.extend(check_providers_known(
            &claims,
            |id| stored.contains_key(id),
            |provider| known.contains(provider),
        ));
        // Once refused, the rest is only checked, to name every problem.
        if !problems.is_empty() {
            return Ok(Vec::new());
        }

        let member_ids: Vec<String> = claims.iter().map(|c| c.claim.member_id.clone()).collect();
        let families: HashMap<String, String> = self
            .typed_where_in::<Member, _>(members::ID, &member_ids)
            .await?
            .into_iter()
            .map(|m| (m.id, m.family_id))
            .collect();
        let mut claim_rows = Vec::new();
        let mut line_rows = Vec::new();
        // Past the checks, a claim stored before was sent again unchanged: left as it is.
        for received in claims
            .into_iter()
            .filter(|c| !stored.contains_key(&c.claim.id()))
        {
            let family = families.get(&received.claim.member_id).cloned();
            let record = ClaimRecord::received(received.claim, family, self.actor().name());
            let (row, lines) = claim_tables::claim_rows(&record);
            claim_rows.push(row);
            line_rows.extend(lines);
        }
        report.received += claim_rows.len() as u64;
        report.unchanged += stored.len() as u64;
        if claim_rows.is_empty() {
            return Ok(Vec::new());
        }
        // Inserted, not replaced: a claim stored meanwhile by another writer (or sent in two
        // parts) fails the receipt rather than losing what was stored.
        Ok(vec![
            Write::Insert(&CLAIMS, claim_rows),
            Write::Insert(&CLAIM_LINES, line_rows),
        ])
    }

    /// Stored claims by id, with their lines.
    pub(crate) async fn claim_records(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, ClaimRecord>, ServiceError> {
        let rows = self
            .store
            .rows_where_in(&CLAIMS, claims::ID.index(), ids)
            .await?;
        // A claim not stored has no lines: claims sent for the first time cost one read, not two.
        let found: Vec<String> = (rows.iter())
            .filter_map(|row| Some(claims::ID.value(row).as_text()?.to_string()))
            .collect();
        let lines = if found.is_empty() {
            Vec::new()
        } else {
            (self.store)
                .rows_where_in(&CLAIM_LINES, claim_lines::CLAIM_ID.index(), &found)
                .await?
        };
        records_from_rows(&rows, &lines).map_err(ServiceError::from)
    }

    /// A claim with its lines and every reason given on it.
    pub async fn claim_view(&self, id: &str) -> Result<ClaimView, ServiceError> {
        let ids = [id.to_string()];
        let record =
            self.claim_records(&ids)
                .await?
                .remove(id)
                .ok_or_else(|| ServiceError::NotFound {
                    what: "claim",
                    key: id.to_string(),
                })?;
        let reasons = self
            .store
            .rows_where_in(&CLAIM_REASONS, claim_reasons::CLAIM_ID.index(), &ids)
            .await?
            .iter()
            .map(|row| {
                claim_tables::reason_from_row(row).map_err(crate::broken_rule("claim reason"))
            })
            .collect::<Result<_, _>>()?;
        Ok(ClaimView::new(record, reasons))
    }

    /// Is the member covered on `date`, and what is left of each limit?
    pub async fn cover_status(
        &self,
        member_id: &str,
        date: NaiveDate,
    ) -> Result<CoverStatus, ServiceError> {
        let member: Member = self.record_with(members::ID, member_id).await?;
        let mut loader = context::Loader::new(self);
        let loaded = loader.load(vec![member.id.clone()], Vec::new()).await?;
        let ledger = context::ledger(
            &self
                .store
                .rows_where_in(
                    &claim_tables::CLAIM_USAGE,
                    claim_usage::FAMILY_ID.index(),
                    std::slice::from_ref(&member.family_id),
                )
                .await?,
        )?;
        let family = loaded
            .family_record(&member.family_id)
            .ok_or_else(|| ServiceError::Corrupt(format!("member {} has no family", member.id)))?;
        Ok(carepool_core::claims::verify::cover_status(
            loaded.versions(&family.family.scheme),
            &member,
            &family,
            date,
            &ledger,
        ))
    }
}

impl ClaimView {
    pub fn new(record: ClaimRecord, reasons: Vec<Reason>) -> ClaimView {
        ClaimView {
            id: record.claim.id(),
            incurred_date: record.claim.incurred_date(),
            record,
            reasons,
            sent_before: false,
        }
    }
}

impl Registry {
    /// Refuses a decision or payment dated after today (or implausibly).
    fn check_decision_date(&self, date: NaiveDate) -> Result<(), ServiceError> {
        dates::check_not_after_today("date", date, self.today()).map_err(ServiceError::field)
    }
}

/// What is wrong with claims sent together, seen alone: a claim out of shape or out of bounds
/// (see `carepool_core::claims::intake`), or one sent twice.
fn check_sent(claims: &[ReceivedClaim], today: NaiveDate) -> Vec<RowProblem> {
    let mut problems = Vec::new();
    let mut first_line: HashMap<String, u64> = HashMap::new();
    for received in claims {
        if let Err(e) = received.claim.check_shape() {
            problems.push(RowProblem::of_field(received.line, e));
            continue;
        }
        if let Err(refused) = received.claim.check_intake(today) {
            problems.push(RowProblem::of_intake(received.line, refused));
            continue;
        }
        let id = received.claim.id();
        if let Some(first) = first_line.insert(id.clone(), received.line) {
            problems.push(RowProblem::new(
                received.line,
                Some("claim_number"),
                format!("claim {id} appears twice (first on line {first})"),
            ));
        }
    }
    problems
}

/// New claims (those `stored` does not hold) from a facility the registry does not `know`:
/// refused at intake and never stored, since nobody could be paid for them.
fn check_providers_known(
    claims: &[ReceivedClaim],
    stored: impl Fn(&str) -> bool,
    known: impl Fn(&str) -> bool,
) -> Vec<RowProblem> {
    claims
        .iter()
        .filter(|received| !known(&received.claim.provider_id) && !stored(&received.claim.id()))
        .map(|received| RowProblem {
            reason: Some("provider_unknown"),
            ..RowProblem::new(
                received.line,
                Some("provider_id"),
                format!(
                    "no facility '{}' in the registry: register it before sending its claims",
                    received.claim.provider_id
                ),
            )
        })
        .collect()
}

/// Claims sent before with other content (`before` finds what was sent under an id): refused,
/// since a claim cannot be changed once sent.
fn check_resent<'a>(
    claims: &[ReceivedClaim],
    before: impl Fn(&str) -> Option<&'a Claim>,
) -> Vec<RowProblem> {
    claims
        .iter()
        .filter_map(|received| {
            let id = received.claim.id();
            let before = before(&id).filter(|before| **before != received.claim)?;
            Some(RowProblem::new(
                received.line,
                Some("claim_number"),
                format!(
                    "claim {id} was received on {} with other content; a claim cannot be changed once sent: send a correction under a new claim number",
                    before.received_date
                ),
            ))
        })
        .collect()
}

/// Claim rows and line rows (in key order) read back into records, by id.
fn records_from_rows(
    rows: &[Row],
    lines: &[Row],
) -> Result<HashMap<String, ClaimRecord>, StoreError> {
    let mut lines_by_claim: HashMap<&str, Vec<Row>> = HashMap::new();
    for line in lines {
        if let Some(id) = claim_lines::CLAIM_ID.value(line).as_text() {
            lines_by_claim.entry(id).or_default().push(line.clone());
        }
    }
    rows.iter()
        .map(|row| {
            let id = claims::ID.value(row).as_text().unwrap_or_default();
            let lines = lines_by_claim.remove(id).unwrap_or_default();
            claim_tables::claim_record(row, &lines)
                .map(|record| (id.to_string(), record))
                .map_err(|e| StoreError::internal(crate::broken_rule("claim")(e)))
        })
        .collect()
}
