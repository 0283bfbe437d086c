//! Payment runs, in two steps by two people: a finance officer proposes a run for a month (the
//! claims due and how they group into payments, by the rules of
//! `carepool_core::claims::payment`), which holds those claims for the run; another releases it,
//! which pays them and writes the payments. Each step is one transaction holding the claims
//! lock. Proposing again holds only what was approved since. Refunds granted to patients
//! charged despite an exemption go into the next run: paid to the patient, deducted from the
//! facility (each once: a run takes a refund's leg by naming its payment on it).

use crate::Registry;
use crate::audit::Change;
use crate::error::{RowProblem, ServiceError};
use carepool_core::Money;
use carepool_core::claims::ClaimStatus;
use carepool_core::claims::payment::{
    Payable, PayeeKind, Period, RefundStatus, Refundable, ReleaseError, check_release, plan, run_id,
};
use carepool_schema::claim_tables::{
    CLAIM_PAYMENT, CLAIM_RUN, CLAIMS, PAYMENT_RUNS, PAYMENTS, Payment, PaymentRun, REFUND_RUN,
    REFUNDS, Refund, claims, payment_runs, payments, refunds,
};
use carepool_schema::{ColumnValue, Projection, Record, Row, Value};
use carepool_store::{ListQuery, Lock, LockedReads, Read, ReadHandle, ReadRows, StoreError, Write};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What a step of a payment run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PaymentReport {
    /// The run; none when a proposal found nothing due.
    pub run: Option<String>,
    /// proposed or released; none when nothing was due.
    pub status: Option<String>,
    pub period: String,
    pub proposed_by: Option<String>,
    pub released_by: Option<String>,
    /// Set once released.
    pub paid_date: Option<NaiveDate>,
    /// Claims the run pays.
    pub claims: u64,
    /// Net of what was recovered for refunds.
    pub to_facilities: Money,
    /// Allowances and refunds.
    pub to_patients: Money,
    /// Refunds the run pays to patients or deducts from facilities.
    pub refunds: u64,
    /// Deducted from facilities for refunds.
    pub recovered: Money,
    pub payments: Vec<PaymentLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaymentLine {
    pub id: String,
    /// provider or member
    pub payee_kind: String,
    pub payee_id: String,
    pub claims: i64,
    pub amount: Money,
}

const PROPOSED: &str = "proposed";
const RELEASED: &str = "released";

fn all_rows(table: &'static carepool_schema::Table, filters: Vec<(usize, Value)>) -> Read {
    Read::List {
        table,
        query: ListQuery {
            filters,
            limit: i64::MAX as u64,
            ..ListQuery::default()
        },
    }
}

fn parse_period(text: &str) -> Result<Period, ServiceError> {
    Period::parse(text).map_err(period_refused)
}

/// A period that cannot be paid: not a month, or not over.
fn period_refused(message: String) -> ServiceError {
    ServiceError::Invalid(vec![RowProblem::new(0, Some("period"), message)])
}

/// Reads every claim that may be paid: decided and not yet paid, in `read`'s columns only.
fn payable_claims(reads: &mut LockedReads, read: &Projection) -> Vec<ReadHandle> {
    ClaimStatus::ALL
        .iter()
        .filter(|s| s.payable())
        .map(|status| {
            reads.add(Read::Projected {
                table: &CLAIMS,
                columns: read.columns().to_vec(),
                filters: vec![claims::STATUS.equals(status)],
            })
        })
        .collect()
}

/// The columns of a claim a proposal reads: every payable claim is read light, since a
/// national scheme's are millions.
fn proposal_columns() -> Projection {
    Projection::new(
        &CLAIMS,
        &[
            claims::ID.id(),
            claims::PROVIDER_ID.id(),
            claims::MEMBER_ID.id(),
            claims::STATUS.id(),
            claims::APPROVED.id(),
            claims::ALLOWANCE.id(),
            claims::DECIDED_DATE.id(),
            claims::PAYMENT_BATCH.id(),
            claims::ALLOWANCE_BATCH.id(),
        ],
    )
}

fn corrupt(what: &str) -> impl Fn(carepool_core::registry::FieldError) -> StoreError + '_ {
    move |e| StoreError::internal(ServiceError::Corrupt(format!("stored {what}: {e}")))
}

/// What the payment rules need of a stored claim row holding `read`'s columns.
fn payable<'r>(read: &Projection, row: &'r [Value]) -> Result<Payable<'r>, StoreError> {
    let text = |column: carepool_schema::Col<String>| read.text(row, column).unwrap_or_default();
    Ok(Payable {
        provider_id: text(claims::PROVIDER_ID),
        member_id: text(claims::MEMBER_ID),
        status: read.read(row, claims::STATUS).map_err(corrupt("claim"))?,
        approved: read
            .value(row, claims::APPROVED)
            .as_money()
            .unwrap_or_default(),
        allowance: read
            .value(row, claims::ALLOWANCE)
            .as_money()
            .unwrap_or_default(),
        decided_date: read.value(row, claims::DECIDED_DATE).as_date(),
        in_run: !read.value(row, claims::PAYMENT_BATCH).is_null()
            || !read.value(row, claims::ALLOWANCE_BATCH).is_null(),
    })
}

fn lines(payments: &[Payment]) -> Vec<PaymentLine> {
    payments
        .iter()
        .map(|p| PaymentLine {
            id: p.id.clone(),
            payee_kind: p.payee_kind.clone(),
            payee_id: p.payee_id.clone(),
            claims: p.claims,
            amount: p.amount,
        })
        .collect()
}

fn report(run: &PaymentRun, payments: Vec<PaymentLine>) -> PaymentReport {
    PaymentReport {
        run: Some(run.id.clone()),
        status: Some(run.status.clone()),
        period: run.period.clone(),
        proposed_by: Some(run.proposed_by.clone()),
        released_by: run.released_by.clone(),
        paid_date: run.paid_date,
        claims: run.claims as u64,
        to_facilities: run.to_facilities,
        to_patients: run.to_patients,
        refunds: run.refunds as u64,
        recovered: run.recovered,
        payments,
    }
}

/// What the payment rules need of a stored refund.
fn refundable(refund: &Refund) -> Refundable<'_> {
    Refundable {
        member_id: &refund.member_id,
        provider_id: &refund.provider_id,
        amount: refund.amount,
        refunded: refund.refund_payment.is_some(),
        recovered: refund.deduction_payment.is_some(),
    }
}

fn typed_refunds(rows: Vec<Row>) -> Result<Vec<Refund>, StoreError> {
    (rows.iter())
        .map(|row| crate::typed::<Refund>(row).map_err(StoreError::internal))
        .collect()
}

impl Registry {
    /// Proposes a run paying every claim decided by the end of `period` and in no run yet, and
    /// the refunds granted: one payment per facility (less the refunds it repays), allowances
    /// and refunds to patients. The claims and refunds are held for the run (their payments
    /// named on them) but not paid until another user releases it. Nothing due proposes
    /// nothing.
    pub async fn propose_payment_run(&self, period: &str) -> Result<PaymentReport, ServiceError> {
        let period = parse_period(period)?;
        period.check_ended(self.today()).map_err(period_refused)?;
        // Nothing approved for care after its member died or left goes into the run.
        self.hold_claims_after_exit(None).await?;
        // What the schemes refund without a grievance goes into it.
        self.grant_automatic_refunds().await?;
        let period_text = period.as_str().to_string();
        let mut reads = LockedReads::default();
        let light = proposal_columns();
        let due_claims = payable_claims(&mut reads, &light);
        let made = reads.add(all_rows(
            &PAYMENTS,
            vec![payments::PERIOD.equals(&period_text)],
        ));
        let runs = reads.add(all_rows(
            &PAYMENT_RUNS,
            vec![payment_runs::PERIOD.equals(&period_text)],
        ));
        let pending_refunds: Vec<ReadHandle> = (RefundStatus::ALL.iter())
            .filter(|status| status.pending())
            .map(|status| reads.add(all_rows(&REFUNDS, vec![refunds::STATUS.equals(status)])))
            .collect();
        let mut outcome = PaymentReport {
            period: period_text.clone(),
            ..PaymentReport::default()
        };
        self.store
            .write_locked("payment run", &Lock::AllClaims, &reads, &mut |mut read| {
                let runs = read
                    .take(runs)?
                    .iter()
                    .map(|row| crate::typed::<PaymentRun>(row).map_err(StoreError::internal))
                    .collect::<Result<Vec<_>, _>>()?;
                // Ids of payments made, and of those the runs not yet released will make.
                let mut taken: HashSet<String> = read
                    .take(made)?
                    .iter()
                    .filter_map(|p| payments::ID.value(p).as_text().map(str::to_string))
                    .collect();
                taken.extend(runs.iter().flat_map(|run| run.payments.iter().cloned()));
                let mut due: Vec<Row> = Vec::new();
                for &handle in &due_claims {
                    for row in read.take(handle)? {
                        if payable(&light, &row)?.due_by(&period) {
                            due.push(row);
                        }
                    }
                }
                let mut refunds = Vec::new();
                for &handle in &pending_refunds {
                    refunds.extend(typed_refunds(read.take(handle)?)?);
                }
                refunds.sort_by(|a, b| a.id.cmp(&b.id));
                outcome.run = None;
                let id = |row: &Row| light.text(row, claims::ID).map(str::to_string);
                due.sort_by_key(id);
                let planned = {
                    let claims = due
                        .iter()
                        .map(|r| payable(&light, r))
                        .collect::<Result<Vec<_>, _>>()?;
                    let refunds: Vec<Refundable> = refunds.iter().map(refundable).collect();
                    plan(&period, &claims, &refunds, &taken)
                };
                if planned.is_empty() {
                    return Ok(Vec::new());
                }
                let mut total = BTreeMap::<PayeeKind, Money>::new();
                let mut payments = Vec::new();
                let mut taken_refunds = BTreeSet::new();
                let mut recovered = Money::ZERO;
                // Each due claim's key and batches (CLAIM_RUN's columns, in its order), as the
                // run sets them.
                let mut claim_runs: Vec<Row> = (due.iter())
                    .map(|row| {
                        vec![
                            light.value(row, claims::ID).clone(),
                            light.value(row, claims::PAYMENT_BATCH).clone(),
                            light.value(row, claims::ALLOWANCE_BATCH).clone(),
                        ]
                    })
                    .collect();
                for payment in planned {
                    let batch = match payment.payee_kind {
                        PayeeKind::Provider => claims::PAYMENT_BATCH.index(),
                        PayeeKind::Member => claims::ALLOWANCE_BATCH.index(),
                    };
                    // After the key, the batch's place in CLAIM_RUN.
                    let batch_at = 1
                        + (CLAIM_RUN.iter().position(|&c| c == batch))
                            .expect("both batch columns are in CLAIM_RUN");
                    for &i in &payment.claims {
                        claim_runs[i][batch_at] = Value::Text(payment.id.as_str().into());
                    }
                    for &i in &payment.refunds {
                        let refund = &mut refunds[i];
                        match payment.payee_kind {
                            PayeeKind::Member => refund.refund_payment = Some(payment.id.clone()),
                            PayeeKind::Provider => {
                                refund.deduction_payment = Some(payment.id.clone());
                                recovered += refund.amount;
                            }
                        }
                        refund.status = RefundStatus::after_run(
                            refund.refund_payment.is_some(),
                            refund.deduction_payment.is_some(),
                        );
                        taken_refunds.insert(i);
                    }
                    *total.entry(payment.payee_kind).or_default() += payment.amount;
                    payments.push(PaymentLine {
                        id: payment.id,
                        payee_kind: payment.payee_kind.as_str().to_string(),
                        payee_id: payment.payee_id,
                        claims: payment.claims.len() as i64,
                        amount: payment.amount,
                    });
                }
                let run = PaymentRun {
                    id: run_id(&period, runs.len() + 1),
                    period: period_text.clone(),
                    status: PROPOSED.to_string(),
                    payments: payments.iter().map(|p| p.id.clone()).collect(),
                    claims: due.len() as i64,
                    to_facilities: total.get(&PayeeKind::Provider).copied().unwrap_or_default(),
                    to_patients: total.get(&PayeeKind::Member).copied().unwrap_or_default(),
                    proposed_by: self.actor().name().to_string(),
                    proposed_on: self.today(),
                    released_by: None,
                    paid_date: None,
                    refunds: taken_refunds.len() as i64,
                    recovered,
                };
                let refund_rows = (taken_refunds.iter())
                    .map(|&i| refunds[i].to_row())
                    .collect();
                outcome = report(&run, payments);
                let row = run.into_row();
                let change =
                    Change::of_record("propose_payment_run", &PAYMENT_RUNS, None, Some(&row));
                Ok(vec![
                    self.audit(vec![change]).map_err(StoreError::internal)?,
                    Write::Set {
                        table: &CLAIMS,
                        columns: CLAIM_RUN,
                        rows: claim_runs,
                    },
                    Write::Update {
                        table: &REFUNDS,
                        columns: REFUND_RUN,
                        rows: refund_rows,
                    },
                    Write::Insert(&PAYMENT_RUNS, vec![row]),
                ])
            })
            .await?;
        Ok(outcome)
    }

    /// Releases a proposed run, paid on `paid_date`: its claims are paid and its payments
    /// written. The user who proposed it may not release it.
    pub async fn release_payment_run(
        &self,
        id: &str,
        paid_date: NaiveDate,
    ) -> Result<PaymentReport, ServiceError> {
        self.check_decision_date(paid_date)?;
        let releaser = self.actor().name().to_string();
        let refused = |refusal: ReleaseError| match refusal {
            ReleaseError::OwnProposal { .. } => ServiceError::Forbidden(refusal.to_string()),
            ReleaseError::Released { .. } => ServiceError::Conflict(refusal.to_string()),
        };
        // Checked before the lock, to refuse at once; whether it was released meanwhile is
        // checked again under it.
        let stored = self.stored_run(id).await?;
        check_release(
            id,
            &releaser,
            &stored.proposed_by,
            stored.released_by.as_deref(),
        )
        .map_err(refused)?;
        let mut reads = LockedReads::default();
        let run_read = reads.add(Read::where_in(payment_runs::ID, vec![id.to_string()]));
        let light = proposal_columns();
        let held_claims = payable_claims(&mut reads, &light);
        // A proposed run's payments never change: those read before the lock name its refunds.
        let held_refunds = [refunds::REFUND_PAYMENT, refunds::DEDUCTION_PAYMENT]
            .map(|column| reads.add(Read::where_in(column, stored.payments.clone())));
        let mut outcome = None;
        self.store
            .write_locked("payment run", &Lock::AllClaims, &reads, &mut |mut read| {
                let before = read
                    .take(run_read)?
                    .pop()
                    .ok_or_else(|| StoreError::NotFound {
                        what: "payment run",
                        key: id.to_string(),
                    })?;
                let mut run: PaymentRun = crate::typed(&before).map_err(StoreError::internal)?;
                check_release(id, &releaser, &run.proposed_by, run.released_by.as_deref())
                    .map_err(|refusal| StoreError::Conflict(refusal.to_string()))?;
                let mut refunds = Vec::new();
                for handle in held_refunds {
                    refunds.extend(typed_refunds(read.take(handle)?)?);
                }
                // Paid and deducted by the same run, a refund is read twice.
                refunds.sort_by(|a, b| a.id.cmp(&b.id));
                refunds.dedup_by(|a, b| a.id == b.id);
                let (claim_rows, payments) =
                    held_by(&run, &mut read, &light, &held_claims, &refunds, paid_date)?;
                run.status = RELEASED.to_string();
                run.released_by = Some(releaser.clone());
                run.paid_date = Some(paid_date);
                outcome = Some(report(&run, lines(&payments)));
                let after = run.into_row();
                let change = Change::of_record(
                    "release_payment_run",
                    &PAYMENT_RUNS,
                    Some(&before),
                    Some(&after),
                );
                let payment_rows = payments.into_iter().map(Record::into_row).collect();
                Ok(vec![
                    self.audit(vec![change]).map_err(StoreError::internal)?,
                    Write::Set {
                        table: &CLAIMS,
                        columns: CLAIM_PAYMENT,
                        rows: claim_rows,
                    },
                    Write::Upsert(&PAYMENTS, payment_rows),
                    Write::Upsert(&PAYMENT_RUNS, vec![after]),
                ])
            })
            .await?;
        outcome.ok_or_else(|| ServiceError::Corrupt("the store released a run without it".into()))
    }

    /// The payment runs of a month, oldest first.
    pub async fn payment_runs(&self, period: &str) -> Result<Vec<PaymentRun>, ServiceError> {
        let period = parse_period(period)?;
        let query = ListQuery {
            filters: vec![payment_runs::PERIOD.equals(&period.as_str().to_string())],
            limit: i64::MAX as u64,
            ..ListQuery::default()
        };
        let mut runs = self
            .store
            .list(&PAYMENT_RUNS, &query)
            .await?
            .iter()
            .map(|row| crate::typed::<PaymentRun>(row))
            .collect::<Result<Vec<_>, _>>()?;
        runs.sort_by_key(|run| {
            run.id
                .rsplit('/')
                .next()
                .and_then(|n| n.parse::<u64>().ok())
        });
        Ok(runs)
    }

    async fn stored_run(&self, id: &str) -> Result<PaymentRun, ServiceError> {
        let row = self
            .store
            .get(&PAYMENT_RUNS, &[Value::Text(id.into())])
            .await?;
        let row = row.ok_or_else(|| ServiceError::NotFound {
            what: "payment run",
            key: id.to_string(),
        })?;
        crate::typed(&row)
    }
}

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

/// The claims and refunds a run holds, as paid on `paid_date`, and the payments they make.
/// They must come to what was proposed: a held claim cannot change (only claims in review are
/// reviewed), nor can a held refund.
fn held_by(
    run: &PaymentRun,
    read: &mut ReadRows,
    claim_columns: &Projection,
    held_claims: &[ReadHandle],
    refunds: &[Refund],
    paid_date: NaiveDate,
) -> Result<(Vec<Row>, Vec<Payment>), StoreError> {
    let ids: HashSet<&str> = run.payments.iter().map(String::as_str).collect();
    let mut payments: BTreeMap<String, Payment> = BTreeMap::new();
    let new_payment = |id: &str, kind: PayeeKind, payee: &str| Payment {
        id: id.to_string(),
        period: run.period.clone(),
        payee_kind: kind.as_str().to_string(),
        payee_id: payee.to_string(),
        paid_date,
        claims: 0,
        amount: Money::ZERO,
    };
    let mut claim_rows = Vec::new();
    for &handle in held_claims {
        for row in read.take(handle)? {
            let mut held = false;
            for (batch, kind) in [
                (claims::PAYMENT_BATCH, PayeeKind::Provider),
                (claims::ALLOWANCE_BATCH, PayeeKind::Member),
            ] {
                let Some(batch) = (claim_columns.text(&row, batch)).filter(|b| ids.contains(b))
                else {
                    continue;
                };
                held = true;
                let claim = payable(claim_columns, &row)?;
                let (payee, amount) = match kind {
                    PayeeKind::Provider => (claim.provider_id, claim.approved),
                    PayeeKind::Member => (claim.member_id, claim.allowance),
                };
                let paid = (payments.entry(batch.to_string()))
                    .or_insert_with(|| new_payment(batch, kind, payee));
                paid.claims += 1;
                paid.amount += amount;
            }
            if held {
                claim_rows.push(paid_claim(claim_columns, &row, paid_date));
            }
        }
    }
    let mut held_refunds = HashSet::new();
    let mut recovered = Money::ZERO;
    for refund in refunds {
        if let Some(id) = refund.refund_payment.as_deref().filter(|p| ids.contains(p)) {
            let paid = (payments.entry(id.to_string()))
                .or_insert_with(|| new_payment(id, PayeeKind::Member, &refund.member_id));
            paid.amount += refund.amount;
            held_refunds.insert(&refund.id);
        }
        if let Some(id) = (refund.deduction_payment.as_deref()).filter(|p| ids.contains(p)) {
            // A facility's payment always holds claims: it was made when they were paid.
            let paid = (payments.entry(id.to_string()))
                .or_insert_with(|| new_payment(id, PayeeKind::Provider, &refund.provider_id));
            paid.amount -= refund.amount;
            recovered += refund.amount;
            held_refunds.insert(&refund.id);
        }
    }
    let total = |kind: PayeeKind| -> Money {
        payments
            .values()
            .filter(|p| p.payee_kind == kind.as_str())
            .map(|p| p.amount)
            .sum()
    };
    if claim_rows.len() as i64 != run.claims
        || held_refunds.len() as i64 != run.refunds
        || recovered != run.recovered
        || total(PayeeKind::Provider) != run.to_facilities
        || total(PayeeKind::Member) != run.to_patients
    {
        return Err(StoreError::internal(ServiceError::Corrupt(format!(
            "the claims and refunds held by payment run {} no longer come to what was proposed",
            run.id
        ))));
    }
    // In the order proposed: facilities first, then patients.
    let mut ordered = Vec::with_capacity(payments.len());
    for id in &run.payments {
        ordered.extend(payments.remove(id));
    }
    Ok((claim_rows, ordered))
}
