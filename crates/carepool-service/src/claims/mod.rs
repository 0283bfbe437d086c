//! Claims: receiving them, adjudicating them against the registry and the scheme's rules,
//! medical review, payment, and a member's cover check.

mod adjudicate;
mod appeal;
mod context;
mod exit;
mod pay;
pub mod reform;
mod refund;
mod review;
mod submit;

pub use adjudicate::{AdjudicationReport, BATCH};
pub(crate) use exit::gone_members;
pub use pay::PaymentReport;
pub use submit::{Answer, ReadSubmissions, RecentContext, Submission};

use crate::Registry;
use crate::audit::Change;
use crate::error::{RowProblem, ServiceError};
use carepool_core::claims::verify::CoverStatus;
use carepool_core::claims::{Claim, ClaimRecord, Reason};
use carepool_core::dates;
use carepool_core::registry::Member;
use carepool_schema::Row;
use carepool_schema::claim_tables::{
    self, CLAIM_LINES, CLAIM_REASONS, CLAIMS, claim_lines, claim_reasons, claim_usage, claims,
};
use carepool_schema::tables::{PROVIDERS, members};
use carepool_store::{StoreError, Write};
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
        let mut problems = check_sent(&claims, self.today());
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
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
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
        let report = ReceiveReport {
            received: claim_rows.len() as u64,
            unchanged: stored.len() as u64,
        };
        // Claims all sent before change nothing, and leave no record.
        if claim_rows.is_empty() {
            return Ok(report);
        }
        let receipt = Change {
            action: "receive",
            table: &CLAIMS,
            key: None,
            before: None,
            after: Some(serde_json::json!({ "records": report.received }).to_string()),
        };
        self.write_audited(
            "receipt of claims",
            vec![
                Write::Upsert(&CLAIMS, claim_rows),
                Write::Upsert(&CLAIM_LINES, line_rows),
            ],
            vec![receipt],
        )
        .await?;
        Ok(report)
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
        let lines = self
            .store
            .rows_where_in(&CLAIM_LINES, claim_lines::CLAIM_ID.index(), ids)
            .await?;
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
            .map(|row| claim_tables::reason_from_row(row).map_err(corrupt("claim reason")))
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
                .map_err(|e| StoreError::internal(corrupt("claim")(e)))
        })
        .collect()
}

fn corrupt(what: &'static str) -> impl Fn(carepool_core::registry::FieldError) -> ServiceError {
    move |e| ServiceError::Corrupt(format!("stored {what} breaks a rule: {e}"))
}
