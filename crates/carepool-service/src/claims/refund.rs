//! Refunds a scheme grants on its own: where its rules say so (`[grievances]
//! automatic_refunds`), a claim the verification flagged as a co-payment charged to an exempt
//! member is refunded all the facility collected, without waiting for the member to complain
//! (docs/GRIEVANCES.md, "Refunds"). Granted just before a payment run is proposed, which then
//! pays and recovers them like the refunds of upheld grievances.

use crate::audit::Change;
use crate::error::ServiceError;
use crate::{Query, Registry};
use carepool_core::claims::payment::RefundStatus;
use carepool_core::claims::{ClaimStatus, ReasonCode};
use carepool_core::registry::Family;
use carepool_core::scheme::{SchemeDefinition, version_in_force};
use carepool_schema::Record;
use carepool_schema::claim_tables::{ClaimRow, REFUNDS, Refund, claims, refunds};
use carepool_schema::tables::families;
use carepool_store::{Lock, LockedReads, Read, StoreError, Write};
use std::collections::{BTreeMap, BTreeSet, HashSet};

impl Registry {
    /// Grants the refund of every claim not yet in a payment run that its scheme's rules, in
    /// force on its date of service, refund automatically, unless the claim already has one
    /// (granted, paid, or withdrawn or declined by a grievance's finding). Returns how many were
    /// granted. Reads nothing of the claims when no scheme refunds automatically.
    pub(crate) async fn grant_automatic_refunds(&self) -> Result<usize, ServiceError> {
        let mut refunding: BTreeMap<String, Vec<SchemeDefinition>> = BTreeMap::new();
        for code in self.store.scheme_codes().await? {
            let versions = self.scheme_versions(&code).await?;
            if versions.iter().any(|v| v.grievances.automatic_refunds) {
                refunding.insert(code, versions);
            }
        }
        if refunding.is_empty() {
            return Ok(0);
        }
        let flag = ReasonCode::ExemptCharged.as_str();
        let mut flagged = Vec::new();
        for status in ClaimStatus::ALL.iter().filter(|s| s.payable()) {
            let query = Query::<ClaimRow>::all_by_pages().only(claims::STATUS, status)?;
            self.each_record(query, |claim: ClaimRow| {
                if claim.payment_batch.is_none() && claim.reasons.iter().any(|r| r == flag) {
                    flagged.push(claim);
                }
                Ok::<(), ServiceError>(())
            })
            .await?;
        }
        let family_ids: BTreeSet<String> =
            flagged.iter().filter_map(|c| c.family_id.clone()).collect();
        let family_ids: Vec<String> = family_ids.into_iter().collect();
        let scheme_of: BTreeMap<String, String> = self
            .typed_where_in::<Family, _>(families::ID, &family_ids)
            .await?
            .into_iter()
            .map(|family| (family.id, family.scheme))
            .collect();
        let (today, actor) = (self.today(), self.actor().name().to_string());
        let granted: Vec<Refund> = (flagged.into_iter())
            .filter_map(|claim| {
                let versions = refunding.get(scheme_of.get(claim.family_id.as_ref()?)?)?;
                let rules = &version_in_force(versions, claim.incurred_date?)?.grievances;
                let amount = rules.automatic_refund(true, claim.copay_collected)?;
                Some(Refund {
                    id: claim.id.clone(),
                    grievance_id: None,
                    claim_id: Some(claim.id),
                    member_id: claim.member_id,
                    provider_id: claim.provider_id,
                    amount,
                    status: RefundStatus::Due,
                    granted_on: today,
                    granted_by: actor.clone(),
                    refund_payment: None,
                    deduction_payment: None,
                })
            })
            .collect();
        if granted.is_empty() {
            return Ok(0);
        }
        let mut reads = LockedReads::default();
        let ids = granted.iter().map(|r| r.id.clone()).collect();
        let stored = reads.add(Read::where_in(refunds::ID, ids));
        let mut written = 0;
        self.store
            .write_locked(
                "automatic refunds",
                // As a resolution of an exempt-charge grievance does, which may decline one.
                &Lock::AllClaims,
                &reads,
                &mut |mut read| {
                    let had: HashSet<String> = (read.take(stored)?.iter())
                        .filter_map(|row| refunds::ID.read(row).ok())
                        .collect();
                    let rows: Vec<_> = (granted.iter())
                        .filter(|refund| !had.contains(&refund.id))
                        .map(Record::to_row)
                        .collect();
                    written = rows.len();
                    if rows.is_empty() {
                        return Ok(Vec::new());
                    }
                    let changes = (rows.iter())
                        .map(|row| Change::of_record("grant_refund", &REFUNDS, None, Some(row)))
                        .collect();
                    let audit = self.audit(changes).map_err(StoreError::internal)?;
                    // Inserted: a refund another writer granted meanwhile fails this whole.
                    Ok(vec![Write::Insert(&REFUNDS, rows), audit])
                },
            )
            .await?;
        Ok(written)
    }
}
