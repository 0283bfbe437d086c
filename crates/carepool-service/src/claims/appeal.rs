//! A claim reopened on an upheld appeal (docs/GRIEVANCES.md, "Appeals"): back to received for
//! the next adjudication run to decide again under the rules of its date of service, what it
//! had approved given back to its family's limits, and its earlier decision kept in its
//! reasons. Written in the transaction of the grievance's resolution.

use super::records_from_rows;
use crate::Registry;
use crate::audit::Change;
use crate::error::ServiceError;
use carepool_core::Money;
use carepool_core::claims::ClaimRecord;
use carepool_core::claims::review::{deductibles_taken, released_usage, reopen_on_appeal};
use carepool_core::registry::Family;
use carepool_core::scheme::{BenefitPackage, version_in_force};
use carepool_schema::claim_tables::{
    self, CLAIM_DECISION, CLAIM_LINES, CLAIM_REASONS, CLAIM_USAGE, CLAIMS, LINE_DECISION,
    claim_lines, claim_reasons, claim_usage, claims,
};
use carepool_schema::tables::families;
use carepool_store::{Lock, LockedReads, Read, ReadHandle, ReadRows, StoreError, Write};

/// A claim to reopen, with what its reopening reads under the lock.
pub(crate) struct Reopening {
    claim_id: String,
    family_ids: Vec<String>,
    /// The package the claim was judged under: what its lines counted against.
    package: Option<BenefitPackage>,
    reads: Option<[ReadHandle; 4]>,
}

impl Registry {
    /// The package `record` was judged under, if it was judged under one.
    pub(crate) async fn judged_package(
        &self,
        record: &ClaimRecord,
    ) -> Result<Option<BenefitPackage>, ServiceError> {
        let (Some(family_id), Some(version_date)) = (&record.family_id, record.scheme_version)
        else {
            return Ok(None);
        };
        let family: Family = self.record_with(families::ID, family_id).await?;
        let versions = self.scheme_versions(&family.scheme).await?;
        Ok(version_in_force(&versions, version_date)
            .and_then(|v| record.package.as_deref().and_then(|p| v.package(p)))
            .cloned())
    }

    /// Prepares reopening the claim `claim_id`, refusing at once one that cannot be (checked
    /// again under the lock).
    pub(crate) async fn reopening(
        &self,
        claim_id: &str,
        grievance: &str,
    ) -> Result<Reopening, ServiceError> {
        let record = self.claim_view(claim_id).await?.record;
        reopen_on_appeal(&mut record.clone(), Vec::new(), grievance, "a check")
            .map_err(|refused| ServiceError::Conflict(refused.to_string()))?;
        Ok(Reopening {
            claim_id: claim_id.to_string(),
            family_ids: record.family_id.iter().cloned().collect(),
            package: self.judged_package(&record).await?,
            reads: None,
        })
    }
}

impl Reopening {
    /// The lock that keeps the claim's family and the payment runs away meanwhile.
    pub(crate) fn lock(&self) -> Lock {
        Lock::FamiliesAndAllClaims(self.family_ids.clone())
    }

    /// Adds what the reopening reads under the lock.
    pub(crate) fn read(&mut self, reads: &mut LockedReads) {
        let ids = vec![self.claim_id.clone()];
        self.reads = Some([
            reads.add(Read::where_in(claims::ID, ids.clone())),
            reads.add(Read::where_in(claim_lines::CLAIM_ID, ids.clone())),
            reads.add(Read::where_in(
                claim_usage::FAMILY_ID,
                self.family_ids.clone(),
            )),
            reads.add(Read::where_in(claim_reasons::CLAIM_ID, ids)),
        ]);
    }

    /// The writes that reopen the claim, from what was read under the lock, and the change for
    /// the audit trail.
    pub(crate) fn writes(
        &self,
        read: &mut ReadRows,
        grievance: &str,
        note: &str,
    ) -> Result<(Vec<Write>, Change), StoreError> {
        let [claim, lines, usage, reasons] = self.reads.expect("reads added before the lock");
        let (claim_rows, line_rows) = (read.take(claim)?, read.take(lines)?);
        let (usage_rows, reason_rows) = (read.take(usage)?, read.take(reasons)?);
        let id = self.claim_id.as_str();
        let mut record = records_from_rows(&claim_rows, &line_rows)?
            .remove(id)
            .ok_or_else(|| StoreError::NotFound {
                what: "claim",
                key: id.to_string(),
            })?;
        let judged_lines = record.line_decisions.clone();
        let history = (reason_rows.iter())
            .map(|row| claim_tables::reason_from_row(row).map(|reason| reason.code))
            .collect::<Result<Vec<_>, _>>()
            .map_err(StoreError::internal)?;
        let reopened = reopen_on_appeal(&mut record, history, grievance, note)
            .map_err(|refused| StoreError::Conflict(refused.to_string()))?;
        let ledger = super::context::ledger(&usage_rows).map_err(StoreError::internal)?;
        let mut usage = Vec::new();
        let counted = reopened.released.iter().any(|a| *a > Money::ZERO)
            || judged_lines
                .iter()
                .any(|l| l.amounts.member_share > Money::ZERO);
        match (&self.package, &record.family_id, record.coverage_year_start) {
            (Some(package), Some(family_id), Some(year_start)) => {
                let member = &record.claim.member_id;
                let used = released_usage(
                    package,
                    family_id,
                    member,
                    year_start,
                    &judged_lines,
                    &reopened.released,
                );
                let deductibles =
                    deductibles_taken(package, family_id, member, year_start, &judged_lines);
                for (key, after) in ledger.given_back(&used, &deductibles) {
                    usage.push(claim_tables::usage_row(&key, &after));
                }
            }
            // What it took of the limits cannot be given back without the package it was
            // judged under: reopening it would count it twice.
            _ if counted => {
                return Err(StoreError::Conflict(format!(
                    "claim {id} was decided under a package no version of its scheme holds \
                     now: what it took of the limits cannot be given back, so it cannot be \
                     reopened"
                )));
            }
            _ => {}
        }
        let (row, lines) = claim_tables::claim_rows(&record);
        let before = claim_rows.first().map(Vec::as_slice);
        let change = Change::of_record("reopen_claim", &CLAIMS, before, Some(&row));
        let next_seq = reason_rows.len() as i64 + 1;
        let reason = claim_tables::reason_rows(id, next_seq, &[reopened.reason]);
        Ok((
            vec![
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
                Write::Upsert(&CLAIM_REASONS, reason),
                Write::Upsert(&CLAIM_USAGE, usage),
            ],
            change,
        ))
    }
}
