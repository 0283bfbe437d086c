//! Releasing a payment run: its claims paid, its payments written.

use super::pages::PagedRun;
use super::{PaymentReport, RELEASED, lines, payable, report, set_claims, typed_refunds};
use crate::Registry;
use crate::audit::Change;
use crate::error::ServiceError;
use carepool_core::Money;
use carepool_core::claims::ClaimStatus;
use carepool_core::claims::payment::{PayeeKind, check_release};
use carepool_schema::claim_tables::{
    CLAIM_PAYMENT, PAYMENT_RUNS, PAYMENTS, Payment, PaymentRun, Refund, claims, payment_runs,
    refunds,
};
use carepool_schema::{ColumnValue, Projection, Record, Row, Value};
use carepool_store::{LockedReads, Read, ReadHandle, ReadRows, StoreError, Write, Writes};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashSet};

/// A claim a run pays, as releasing sets it: its key, then `CLAIM_PAYMENT`'s columns in their
/// order, from its light row.
fn paid_claim(light: &Projection, row: &[Value], paid_date: NaiveDate) -> Row {
    let set = |column: usize| match column {
        c if c == claims::STATUS.index() => ClaimStatus::Paid.to_value(),
        c if c == claims::PAID.index() => light.value(row, claims::APPROVED).clone(),
        c if c == claims::PAID_DATE.index() => Some(paid_date).to_value(),
        _ => unreachable!("CLAIM_PAYMENT holds only what releasing sets"),
    };
    std::iter::once(light.value(row, claims::ID).clone())
        .chain(CLAIM_PAYMENT.iter().map(|&column| set(column)))
        .collect()
}

/// A release, made under the claims lock: the run and its refunds first, then each page of
/// claims (the run's paid), then its payments. They must come to what was proposed: a held
/// claim cannot change (only claims in review are reviewed), nor can a held refund.
pub(super) struct Release<'r> {
    registry: &'r Registry,
    releaser: String,
    paid_date: NaiveDate,
    run_read: ReadHandle,
    /// The refunds paid by the run, and those it deducts.
    held_refunds: [ReadHandle; 2],
    /// The run's payments, as read under the lock.
    payment_ids: HashSet<String>,
    /// As read before the lock, then as under it.
    run: PaymentRun,
    /// The run's row as read under the lock.
    before: Row,
    refunds: Vec<Refund>,
    /// The run's payments of claims so far, by id.
    payments: BTreeMap<String, Payment>,
    /// How many claims it paid so far.
    claims: i64,
    outcome: Option<PaymentReport>,
}

impl<'r> Release<'r> {
    /// A release of `stored`, the run as read before the lock, by `releaser`, paid on
    /// `paid_date`; adds to `first` what it reads first, under the lock.
    pub(super) fn new(
        registry: &'r Registry,
        stored: PaymentRun,
        releaser: String,
        paid_date: NaiveDate,
        first: &mut LockedReads,
    ) -> Self {
        let run_read = first.add(Read::where_in(payment_runs::ID, vec![stored.id.clone()]));
        // A proposed run's payments never change: those read before the lock name its refunds.
        let held_refunds = [refunds::REFUND_PAYMENT, refunds::DEDUCTION_PAYMENT]
            .map(|column| first.add(Read::where_in(column, stored.payments.clone())));
        Release {
            registry,
            releaser,
            paid_date,
            run_read,
            held_refunds,
            payment_ids: HashSet::new(),
            run: stored,
            before: Row::new(),
            refunds: Vec::new(),
            payments: BTreeMap::new(),
            claims: 0,
            outcome: None,
        }
    }

    /// What it released, once it has run.
    pub(super) fn into_outcome(self) -> Option<PaymentReport> {
        self.outcome
    }

    /// The run's payment `id` to `payee`, made on first sight.
    fn payment(&mut self, id: &str, kind: PayeeKind, payee: &str) -> &mut Payment {
        if !self.payments.contains_key(id) {
            let payment = Payment {
                id: id.to_string(),
                period: self.run.period.clone(),
                payee_kind: kind.as_str().to_string(),
                payee_id: payee.to_string(),
                paid_date: self.paid_date,
                claims: 0,
                amount: Money::ZERO,
            };
            self.payments.insert(id.to_string(), payment);
        }
        self.payments.get_mut(id).expect("made above")
    }
}

impl PagedRun for Release<'_> {
    fn begin(&mut self, mut read: ReadRows) -> Result<Writes, StoreError> {
        self.before = read
            .take(self.run_read)?
            .pop()
            .ok_or_else(|| StoreError::NotFound {
                what: "payment run",
                key: self.run.id.clone(),
            })?;
        self.run = crate::typed(&self.before).map_err(StoreError::internal)?;
        let run = &self.run;
        check_release(
            &run.id,
            &self.releaser,
            &run.proposed_by,
            run.released_by.as_deref(),
        )
        .map_err(|refusal| StoreError::Conflict(refusal.to_string()))?;
        self.payment_ids = run.payments.iter().cloned().collect();
        for handle in self.held_refunds {
            self.refunds.extend(typed_refunds(read.take(handle)?)?);
        }
        // Paid and deducted by the same run, a refund is read twice.
        self.refunds.sort_by(|a, b| a.id.cmp(&b.id));
        self.refunds.dedup_by(|a, b| a.id == b.id);
        Ok(Vec::new())
    }

    fn page(&mut self, columns: &Projection, page: &[Row]) -> Result<Writes, StoreError> {
        let mut paid = Vec::new();
        for row in page {
            let mut held = false;
            for (batch, kind) in [
                (claims::PAYMENT_BATCH, PayeeKind::Provider),
                (claims::ALLOWANCE_BATCH, PayeeKind::Member),
            ] {
                let Some(batch) =
                    (columns.text(row, batch)).filter(|b| self.payment_ids.contains(*b))
                else {
                    continue;
                };
                held = true;
                let claim = payable(columns, row)?;
                let (payee, amount) = match kind {
                    PayeeKind::Provider => (claim.provider_id, claim.approved),
                    PayeeKind::Member => (claim.member_id, claim.allowance),
                };
                let payment = self.payment(batch, kind, payee);
                payment.claims += 1;
                payment.amount += amount;
            }
            if held {
                paid.push(paid_claim(columns, row, self.paid_date));
            }
        }
        self.claims += paid.len() as i64;
        Ok(set_claims(CLAIM_PAYMENT, paid))
    }

    fn end(&mut self) -> Result<Writes, StoreError> {
        let mut held_refunds = HashSet::new();
        let mut recovered = Money::ZERO;
        for refund in std::mem::take(&mut self.refunds) {
            let ids = &self.payment_ids;
            if let Some(id) = refund
                .refund_payment
                .as_deref()
                .filter(|p| ids.contains(*p))
            {
                self.payment(id, PayeeKind::Member, &refund.member_id)
                    .amount += refund.amount;
                held_refunds.insert(refund.id.clone());
            }
            let ids = &self.payment_ids;
            if let Some(id) = (refund.deduction_payment.as_deref()).filter(|p| ids.contains(*p)) {
                // A facility's payment always holds claims: it was made when they were paid.
                self.payment(id, PayeeKind::Provider, &refund.provider_id)
                    .amount -= refund.amount;
                recovered += refund.amount;
                held_refunds.insert(refund.id.clone());
            }
        }
        let total = |kind: PayeeKind| -> Money {
            (self.payments.values())
                .filter(|p| p.payee_kind == kind.as_str())
                .map(|p| p.amount)
                .sum()
        };
        let mut run = self.run.clone();
        if self.claims != run.claims
            || held_refunds.len() as i64 != run.refunds
            || recovered != run.recovered
            || total(PayeeKind::Provider) != run.to_facilities
            || total(PayeeKind::Member) != run.to_patients
        {
            return Err(StoreError::internal(ServiceError::Corrupt(format!(
                "the claims and refunds held by payment run {} no longer come to what was \
                 proposed",
                run.id
            ))));
        }
        // In the order proposed: facilities first, then patients.
        let mut payments = Vec::with_capacity(self.payments.len());
        for id in &run.payments {
            payments.extend(self.payments.remove(id));
        }
        run.status = RELEASED.to_string();
        run.released_by = Some(self.releaser.clone());
        run.paid_date = Some(self.paid_date);
        self.outcome = Some(report(&run, lines(&payments)));
        let after = run.into_row();
        let change = Change::of_record(
            "release_payment_run",
            &PAYMENT_RUNS,
            Some(&self.before),
            Some(&after),
        );
        let payment_rows = payments.into_iter().map(Record::into_row).collect();
        Ok(vec![
            self.registry
                .audit(vec![change])
                .map_err(StoreError::internal)?,
            Write::Upsert(&PAYMENTS, payment_rows),
            Write::Upsert(&PAYMENT_RUNS, vec![after]),
        ])
    }
}
