//! Proposing a payment run: what it holds, and for which payments.

use super::pages::PagedRun;
use super::{
    PROPOSED, PaymentLine, PaymentReport, payable, refundable, report, set_claims, typed_refunds,
};
use crate::Registry;
use crate::audit::Change;
use carepool_core::Money;
use carepool_core::claims::payment::{PayeeKind, PaymentPlan, Period, RefundStatus, run_id};
use carepool_schema::claim_tables::{
    CLAIM_RUN, PAYMENT_RUNS, PAYMENTS, PaymentRun, REFUND_RUN, REFUNDS, Refund, claims,
    payment_runs, payments, refunds,
};
use carepool_schema::{Projection, Record, Row, Table, Value};
use carepool_store::{
    ListQuery, LockedReads, Read, ReadHandle, ReadRows, StoreError, Write, Writes,
};
use std::collections::{BTreeMap, BTreeSet, HashSet};

/// What a proposal reads first, under the lock.
struct ProposalReads {
    /// The payments of the period made by released runs.
    made: ReadHandle,
    /// The period's runs.
    runs: ReadHandle,
    /// Refunds waiting to be paid or deducted, by status.
    pending_refunds: Vec<ReadHandle>,
}

/// A proposal, made under the claims lock: what the period's runs took first, then each page of
/// claims (those due held for their payments), then the refunds and the run.
pub(super) struct Proposal<'r> {
    registry: &'r Registry,
    first: ProposalReads,
    period: Period,
    plan: PaymentPlan,
    /// How many runs of the period there were.
    runs_before: usize,
    /// Pending refunds, by id.
    refunds: Vec<Refund>,
    /// Claims held for the run.
    due: i64,
    outcome: PaymentReport,
}

impl<'r> Proposal<'r> {
    /// A proposal for `period`; adds to `first` what it reads first, under the lock.
    pub(super) fn new(registry: &'r Registry, period: Period, first: &mut LockedReads) -> Self {
        let period_text = period.as_str().to_string();
        let made = first.add(all_rows(
            &PAYMENTS,
            vec![payments::PERIOD.equals(&period_text)],
        ));
        let runs = first.add(all_rows(
            &PAYMENT_RUNS,
            vec![payment_runs::PERIOD.equals(&period_text)],
        ));
        let pending_refunds = (RefundStatus::ALL.iter())
            .filter(|status| status.pending())
            .map(|status| first.add(all_rows(&REFUNDS, vec![refunds::STATUS.equals(status)])))
            .collect();
        Proposal {
            registry,
            first: ProposalReads {
                made,
                runs,
                pending_refunds,
            },
            // Until the first step has read what the period's payments took.
            plan: PaymentPlan::new(period.clone(), HashSet::new()),
            period,
            runs_before: 0,
            refunds: Vec::new(),
            due: 0,
            outcome: PaymentReport {
                period: period_text,
                ..PaymentReport::default()
            },
        }
    }

    /// What it proposed, once it has run.
    pub(super) fn into_outcome(self) -> PaymentReport {
        self.outcome
    }
}

/// Every row of `table` that passes `filters`.
fn all_rows(table: &'static Table, filters: Vec<(usize, Value)>) -> Read {
    Read::List {
        table,
        query: ListQuery {
            filters,
            limit: i64::MAX as u64,
            ..ListQuery::default()
        },
    }
}

impl PagedRun for Proposal<'_> {
    fn begin(&mut self, mut read: ReadRows) -> Result<Writes, StoreError> {
        let runs = (read.take(self.first.runs)?.iter())
            .map(|row| crate::typed::<PaymentRun>(row).map_err(StoreError::internal))
            .collect::<Result<Vec<_>, _>>()?;
        self.runs_before = runs.len();
        // Ids of payments made, and of those the runs not yet released will make.
        let mut taken: HashSet<String> = (read.take(self.first.made)?.iter())
            .filter_map(|p| payments::ID.value(p).as_text().map(str::to_string))
            .collect();
        taken.extend(runs.into_iter().flat_map(|run| run.payments));
        self.plan = PaymentPlan::new(self.period.clone(), taken);
        for &handle in &self.first.pending_refunds {
            self.refunds.extend(typed_refunds(read.take(handle)?)?);
        }
        self.refunds.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(Vec::new())
    }

    fn page(&mut self, columns: &Projection, page: &[Row]) -> Result<Writes, StoreError> {
        let mut held: Vec<Row> = Vec::new();
        for row in page {
            let claim = payable(columns, row)?;
            if !claim.due_by(&self.period) {
                continue;
            }
            let to = self.plan.add(&claim);
            let batch = |column: usize| match column {
                c if c == claims::PAYMENT_BATCH.index() => Value::Text(to.facility.into()),
                c if c == claims::ALLOWANCE_BATCH.index() => {
                    to.patient.map_or(Value::Null, |p| Value::Text(p.into()))
                }
                _ => unreachable!("CLAIM_RUN holds only a run's two batches"),
            };
            // The claim's key, then CLAIM_RUN's columns in their order.
            let key = columns.value(row, claims::ID).clone();
            held.push(
                std::iter::once(key)
                    .chain(CLAIM_RUN.iter().map(|&c| batch(c)))
                    .collect(),
            );
        }
        self.due += held.len() as i64;
        Ok(set_claims(CLAIM_RUN, held))
    }

    fn end(&mut self) -> Result<Writes, StoreError> {
        let plan = std::mem::replace(
            &mut self.plan,
            PaymentPlan::new(self.period.clone(), HashSet::new()),
        );
        let planned = plan.finish(&self.refunds.iter().map(refundable).collect::<Vec<_>>());
        if planned.is_empty() {
            return Ok(Vec::new());
        }
        let mut total = BTreeMap::<PayeeKind, Money>::new();
        let mut payments = Vec::new();
        let mut taken_refunds = BTreeSet::new();
        let mut recovered = Money::ZERO;
        for payment in planned {
            for &i in &payment.refunds {
                let refund = &mut self.refunds[i];
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
                claims: payment.claims as i64,
                amount: payment.amount,
            });
        }
        let registry = self.registry;
        let run = PaymentRun {
            id: run_id(&self.period, self.runs_before + 1),
            period: self.period.as_str().to_string(),
            status: PROPOSED.to_string(),
            payments: payments.iter().map(|p| p.id.clone()).collect(),
            claims: self.due,
            to_facilities: total.get(&PayeeKind::Provider).copied().unwrap_or_default(),
            to_patients: total.get(&PayeeKind::Member).copied().unwrap_or_default(),
            proposed_by: registry.actor().name().to_string(),
            proposed_on: registry.today(),
            released_by: None,
            paid_date: None,
            refunds: taken_refunds.len() as i64,
            recovered,
        };
        let refund_rows = (taken_refunds.iter())
            .map(|&i| self.refunds[i].to_row())
            .collect();
        self.outcome = report(&run, payments);
        let row = run.into_row();
        let change = Change::of_record("propose_payment_run", &PAYMENT_RUNS, None, Some(&row));
        Ok(vec![
            registry.audit(vec![change]).map_err(StoreError::internal)?,
            Write::Update {
                table: &REFUNDS,
                columns: REFUND_RUN,
                rows: refund_rows,
            },
            Write::Insert(&PAYMENT_RUNS, vec![row]),
        ])
    }
}
