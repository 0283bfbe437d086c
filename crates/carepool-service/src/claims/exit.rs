//! A death or an exit recorded after a claim for later care was approved: the claim is held for
//! review instead of paid (`carepool_core::claims::exit`). Done when the death or exit is
//! written (import or update), and again before each payment run proposes anything, so that
//! nothing approved for care after a member was gone is paid without a reviewer.

use crate::Registry;
use crate::audit::Change;
use crate::error::ServiceError;
use carepool_core::claims::exit::{ExitedClaim, has_gone};
use carepool_core::claims::{ClaimStatus, ReasonCode};
use carepool_core::registry::MemberStatus;
use carepool_schema::claim_tables::{
    self, CLAIM_DECISION, CLAIM_REASONS, CLAIMS, claim_reasons, claims,
};
use carepool_schema::tables::{MEMBERS, members};
use carepool_schema::{Projection, Row, Value};
use carepool_store::{Lock, LockedReads, Read, StoreError, Write};
use chrono::NaiveDate;
use std::collections::HashMap;

/// A member who died or left: since when, and which.
type Gone = HashMap<String, (MemberStatus, NaiveDate)>;

/// The ids of the member rows that record a death or an exit.
pub(crate) fn gone_members(rows: &[Row]) -> Vec<String> {
    rows.iter()
        .filter(|row| members::STATUS.read(row).is_ok_and(has_gone))
        .filter_map(|row| members::ID.value(row).as_text().map(str::to_string))
        .collect()
}

/// Adds to `gone` the member a row records, if it records a death or an exit; the row holds
/// `columns`.
fn add_if_gone(gone: &mut Gone, columns: &Projection, row: &[Value]) -> Result<(), ServiceError> {
    let corrupt = |e| ServiceError::Corrupt(format!("stored member: {e}"));
    let status = columns.read(row, members::STATUS).map_err(corrupt)?;
    if has_gone(status) {
        let since = columns.read(row, members::STATUS_SINCE).map_err(corrupt)?;
        gone.insert(
            columns.read(row, members::ID).map_err(corrupt)?,
            (status, since),
        );
    }
    Ok(())
}

/// The columns of a member the rule needs.
fn gone_columns() -> Projection {
    Projection::new(
        &MEMBERS,
        &[
            members::ID.id(),
            members::STATUS.id(),
            members::STATUS_SINCE.id(),
        ],
    )
}

/// How many members' claims are read, and held, at a time.
const MEMBERS_AT_A_TIME: usize = 10_000;

/// The claim a row holds, as the exit rule needs it, with the member's death or exit.
fn exited_claim<'r>(row: &'r Row, gone: &Gone) -> Option<ExitedClaim<'r>> {
    let member_id = claims::MEMBER_ID.value(row).as_text()?;
    let &(member_status, since) = gone.get(member_id)?;
    Some(ExitedClaim {
        member_id,
        member_status,
        since,
        status: claims::STATUS.read(row).ok()?,
        in_run: !claims::PAYMENT_BATCH.value(row).is_null()
            || !claims::ALLOWANCE_BATCH.value(row).is_null(),
        held_before: claims::REASONS
            .read(row)
            .is_ok_and(|codes| codes.iter().any(|c| c == ReasonCode::AfterExit.as_str())),
        service: claims::INCURRED_DATE.value(row).as_date()?,
    })
}

impl Registry {
    /// Holds for review every approved claim, not yet in a payment run, for care on or after
    /// the death or exit of its member: of `members`, or of every member gone. Returns how
    /// many were held.
    pub async fn hold_claims_after_exit(
        &self,
        members: Option<Vec<String>>,
    ) -> Result<u64, ServiceError> {
        let mut gone = Gone::default();
        match members {
            Some(ids) => {
                let whole = Projection::whole(&MEMBERS);
                for ids in ids.chunks(MEMBERS_AT_A_TIME) {
                    let rows = (self.store)
                        .rows_where_in(&MEMBERS, members::ID.index(), ids)
                        .await?;
                    for row in rows {
                        add_if_gone(&mut gone, &whole, &row)?;
                    }
                }
            }
            // Only three columns of each member gone are kept: a national scheme has a
            // million.
            None => {
                let columns = gone_columns();
                for status in [MemberStatus::Inactive, MemberStatus::Deceased] {
                    let filters = [members::STATUS.equals(&status)];
                    (self.each_row(&columns, &filters, |row| {
                        add_if_gone(&mut gone, &columns, &row)
                    }))
                    .await?;
                }
            }
        }
        let ids: Vec<&String> = gone.keys().collect();
        let mut held = 0;
        // Their claims a slice of members at a time, each slice's held in a write of its own:
        // holding is the same whether done in one write or several, and again changes nothing.
        for ids in ids.chunks(MEMBERS_AT_A_TIME) {
            let ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
            held += self.hold_claims_of(&ids, &gone).await?;
        }
        Ok(held)
    }

    /// Holds the claims of these members of `gone` that the rule holds.
    async fn hold_claims_of(&self, ids: &[String], gone: &Gone) -> Result<u64, ServiceError> {
        let candidates = self
            .store
            .rows_where_in(&CLAIMS, claims::MEMBER_ID.index(), ids)
            .await?;
        let candidates: Vec<&Row> = candidates
            .iter()
            .filter(|row| exited_claim(row, gone).is_some_and(|c| c.hold().is_some()))
            .collect();
        if candidates.is_empty() {
            return Ok(0);
        }
        let claim_ids: Vec<String> = candidates
            .iter()
            .filter_map(|row| claims::ID.value(row).as_text().map(str::to_string))
            .collect();
        let mut families: Vec<String> = candidates
            .iter()
            .filter_map(|row| claims::FAMILY_ID.value(row).as_text().map(str::to_string))
            .collect();
        families.sort();
        families.dedup();
        let mut reads = LockedReads::default();
        let claim_reads = reads.add(Read::where_in(claims::ID, claim_ids.clone()));
        let reason_reads = reads.add(Read::where_in(claim_reasons::CLAIM_ID, claim_ids));
        let mut held = 0;
        self.store
            .write_locked(
                "hold after a death or exit",
                // Every claim too, as an appeal does: a payment run may not take one of these
                // claims between this read and this write.
                &Lock::FamiliesAndAllClaims(families),
                &reads,
                &mut |mut read| {
                    let mut reasons_so_far: HashMap<String, i64> = HashMap::new();
                    for row in read.take(reason_reads)? {
                        if let Some(id) = claim_reasons::CLAIM_ID.value(&row).as_text() {
                            *reasons_so_far.entry(id.to_string()).or_default() += 1;
                        }
                    }
                    let (mut rows, mut reason_rows, mut changes) = (vec![], vec![], vec![]);
                    // Read again under the lock: a claim paid or reviewed meanwhile is left.
                    for before in read.take(claim_reads)? {
                        let Some(reason) = exited_claim(&before, gone).and_then(|c| c.hold())
                        else {
                            continue;
                        };
                        let id = claims::ID.value(&before).as_text().unwrap_or_default();
                        let mut row = before.clone();
                        claims::STATUS.set(&mut row, &ClaimStatus::InReview);
                        let mut codes = claims::REASONS.read(&row).unwrap_or_default();
                        codes.push(reason.code.as_str().to_string());
                        claims::REASONS.set(&mut row, &codes);
                        let next_seq = reasons_so_far.get(id).copied().unwrap_or_default() + 1;
                        reason_rows.extend(claim_tables::reason_rows(id, next_seq, &[reason]));
                        changes.push(Change::of_record(
                            "hold_after_exit",
                            &CLAIMS,
                            Some(&before),
                            Some(&row),
                        ));
                        rows.push(row);
                    }
                    held = rows.len() as u64;
                    if rows.is_empty() {
                        return Ok(Vec::new());
                    }
                    Ok(vec![
                        self.audit(changes).map_err(StoreError::internal)?,
                        Write::Update {
                            table: &CLAIMS,
                            columns: CLAIM_DECISION,
                            rows,
                        },
                        Write::Upsert(&CLAIM_REASONS, reason_rows),
                    ])
                },
            )
            .await?;
        Ok(held)
    }
}
