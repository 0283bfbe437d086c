//! A medical reviewer's decision on a claim held for review.

use super::{ClaimView, records_from_rows};
use crate::Registry;
use crate::audit::Change;
use crate::error::{RowProblem, ServiceError};
use carepool_core::claims::review::{
    ReviewAction, ReviewError, apply_review, check_reviewer, deductibles_taken, duplicate_note,
    released_usage,
};
use carepool_schema::claim_tables::{
    self, CLAIM_DECISION, CLAIM_LINES, CLAIM_REASONS, CLAIM_USAGE, CLAIMS, LINE_DECISION,
    claim_lines, claim_reasons, claim_usage, claims,
};
use carepool_store::{Lock, LockedReads, Read, StoreError, Write};
use chrono::NaiveDate;
use std::collections::BTreeMap;

impl Registry {
    /// Approves, adjusts or rejects a claim in review, with the reviewer's note. What an
    /// adjustment or a rejection takes off the approved amount is given back to the limit. A
    /// probable duplicate is approved or adjusted only with `not_duplicate` (see
    /// [`duplicate_note`]).
    pub async fn review_claim(
        &self,
        id: &str,
        action: &ReviewAction,
        note: &str,
        not_duplicate: bool,
        today: NaiveDate,
    ) -> Result<ClaimView, ServiceError> {
        self.check_decision_date(today)?;
        if note.trim().is_empty() {
            return Err(ServiceError::Invalid(vec![RowProblem::new(
                0,
                Some("note"),
                "a review needs a note saying why",
            )]));
        }
        if let ReviewAction::Adjust { approved } = action
            && approved.is_negative()
        {
            return Err(ServiceError::Invalid(vec![RowProblem::new(
                0,
                Some("approved"),
                "cannot be negative",
            )]));
        }
        let before = self.claim_view(id).await?.record;
        // Who received a claim never changes, so it is checked before the lock.
        check_reviewer(id, self.actor().name(), before.received_by.as_deref())
            .map_err(|refused| ServiceError::Forbidden(refused.to_string()))?;
        // The package the claim was judged under: what its lines counted against.
        let package = self.judged_package(&before).await?;
        let ids = [id.to_string()];
        let family_ids: Vec<String> = before.family_id.iter().cloned().collect();
        let mut reads = LockedReads::default();
        let claim = reads.add(Read::where_in(claims::ID, ids.to_vec()));
        let lines = reads.add(Read::where_in(claim_lines::CLAIM_ID, ids.to_vec()));
        let usage = reads.add(Read::where_in(claim_usage::FAMILY_ID, family_ids.clone()));
        let reasons = reads.add(Read::where_in(claim_reasons::CLAIM_ID, ids.to_vec()));
        self.store
            .write_locked(
                "review",
                &Lock::Families(family_ids),
                &reads,
                &mut |mut read| {
                    let claim_rows = read.take(claim)?;
                    let line_rows = read.take(lines)?;
                    let usage_rows = read.take(usage)?;
                    let reason_rows = read.take(reasons)?;
                    let mut record = records_from_rows(&claim_rows, &line_rows)?
                        .remove(id)
                        .ok_or_else(|| StoreError::NotFound {
                            what: "claim",
                            key: id.to_string(),
                        })?;
                    let lines: Vec<_> = record.line_decisions.iter().map(|l| l.amounts).collect();
                    let refused = |e: ReviewError| StoreError::Conflict(e.to_string());
                    let note = duplicate_note(
                        id,
                        record.status,
                        &record.reason_codes,
                        action,
                        not_duplicate,
                        note,
                    )
                    .map_err(refused)?;
                    let reviewed =
                        apply_review(id, record.status, &lines, record.allowance, action, &note)
                            .map_err(refused)?;
                    let ledger =
                        super::context::ledger(&usage_rows).map_err(StoreError::internal)?;

                    let mut usage = Vec::new();
                    if let (Some(package), Some(family_id), Some(year_start)) =
                        (&package, &record.family_id, record.coverage_year_start)
                    {
                        let released = released_usage(
                            package,
                            family_id,
                            &record.claim.member_id,
                            year_start,
                            &record.line_decisions,
                            &reviewed.released,
                        );
                        // A rejection takes the member's share off too: what it took of a
                        // deductible is given back with the approved amounts.
                        let deductibles = match action {
                            ReviewAction::Reject => deductibles_taken(
                                package,
                                family_id,
                                &record.claim.member_id,
                                year_start,
                                &record.line_decisions,
                            ),
                            _ => BTreeMap::new(),
                        };
                        for (key, after) in ledger.given_back(&released, &deductibles) {
                            usage.push(claim_tables::usage_row(&key, &after));
                        }
                    }

                    record.status = reviewed.status;
                    record.amounts = reviewed.amounts;
                    record.allowance = reviewed.allowance;
                    for (decided, amounts) in record.line_decisions.iter_mut().zip(&reviewed.lines)
                    {
                        decided.amounts = *amounts;
                    }
                    record.reason_codes.push(reviewed.reason.code);
                    record.decided_date = Some(today);
                    record.review_note = Some(note.clone());
                    record.reviewed_by = Some(self.actor().name().to_string());
                    let (row, mut lines) = claim_tables::claim_rows(&record);
                    // Lines keep the reason codes they had.
                    for (new, old) in lines.iter_mut().zip(&line_rows) {
                        let reasons = claim_lines::REASONS.index();
                        new[reasons] = old[reasons].clone();
                    }
                    let next_seq = reason_rows.len() as i64 + 1;
                    let before = claim_rows.first().map(Vec::as_slice);
                    let change = Change::of_record("review", &CLAIMS, before, Some(&row));
                    let audit = self.audit(vec![change]).map_err(StoreError::internal)?;
                    Ok(vec![
                        audit,
                        Write::Update {
                            table: &CLAIMS,
                            columns: CLAIM_DECISION,
                            rows: vec![row],
                        },
                        Write::Update {
                            table: &CLAIM_LINES,
                            columns: LINE_DECISION,
                            rows: lines,
                        },
                        Write::Upsert(
                            &CLAIM_REASONS,
                            claim_tables::reason_rows(
                                id,
                                next_seq,
                                std::slice::from_ref(&reviewed.reason),
                            ),
                        ),
                        Write::Upsert(&CLAIM_USAGE, usage),
                    ])
                },
            )
            .await?;
        self.claim_view(id).await
    }
}
