//! A payment run for a month, in one transaction: the rules of which claims are due and how they
//! group into payments are in `carepool_core::claims::payment`; this reads the claims under the
//! lock and writes the payments and the paid claims. Running it again pays only what was
//! approved since.

use crate::Registry;
use crate::audit::Change;
use crate::error::{RowProblem, ServiceError};
use carepool_core::Money;
use carepool_core::claims::ClaimStatus;
use carepool_core::claims::payment::{Payable, PayeeKind, Period, plan};
use carepool_schema::claim_tables::{CLAIM_PAYMENT, CLAIMS, PAYMENTS, Payment, claims, payments};
use carepool_schema::{Record, Row, Value};
use carepool_store::{ListQuery, Lock, LockedReads, Read, ReadHandle, StoreError, Write};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::HashSet;

#[derive(Debug, Clone, Default, Serialize)]
pub struct PaymentReport {
    pub period: String,
    pub paid_date: Option<NaiveDate>,
    pub claims_paid: u64,
    pub to_facilities: Money,
    pub to_patients: Money,
    pub payments: Vec<PaymentLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PaymentLine {
    pub id: String,
    /// provider or member
    pub payee_kind: &'static str,
    pub payee_id: String,
    pub claims: i64,
    pub amount: Money,
}

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

/// What the payment rules need of a stored claim row.
fn payable(row: &[Value]) -> Result<Payable<'_>, StoreError> {
    let text =
        |column: carepool_schema::Col<String>| column.value(row).as_text().unwrap_or_default();
    Ok(Payable {
        provider_id: text(claims::PROVIDER_ID),
        member_id: text(claims::MEMBER_ID),
        status: claims::STATUS
            .read(row)
            .map_err(|e| StoreError::internal(ServiceError::Corrupt(e.to_string())))?,
        approved: claims::APPROVED.value(row).as_money().unwrap_or_default(),
        allowance: claims::ALLOWANCE.value(row).as_money().unwrap_or_default(),
        decided_date: claims::DECIDED_DATE.value(row).as_date(),
    })
}

impl Registry {
    pub async fn pay_claims(
        &self,
        period: &str,
        paid_date: NaiveDate,
    ) -> Result<PaymentReport, ServiceError> {
        let period = Period::parse(period).map_err(|message| {
            ServiceError::Invalid(vec![RowProblem::new(0, Some("period"), message)])
        })?;
        let mut reads = LockedReads::default();
        let payable_claims: Vec<ReadHandle> = ClaimStatus::ALL
            .iter()
            .filter(|s| s.payable())
            .map(|status| reads.add(all_rows(&CLAIMS, vec![claims::STATUS.equals(status)])))
            .collect();
        let made_payments = reads.add(all_rows(&PAYMENTS, vec![]));
        let mut report = PaymentReport {
            period: period.as_str().to_string(),
            ..PaymentReport::default()
        };
        self.store
            .write_locked("payment run", &Lock::AllClaims, &reads, &mut |mut read| {
                let payments = read.take(made_payments)?;
                let taken: HashSet<String> = payments
                    .iter()
                    .filter_map(|p| payments::ID.value(p).as_text().map(str::to_string))
                    .collect();
                let mut due: Vec<Row> = Vec::new();
                for &handle in &payable_claims {
                    for row in read.take(handle)? {
                        if payable(&row)?.due_by(&period) {
                            due.push(row);
                        }
                    }
                }
                let id = |row: &Row| claims::ID.value(row).as_text().map(str::to_string);
                due.sort_by_key(id);
                let planned = {
                    let claims = due
                        .iter()
                        .map(|r| payable(r))
                        .collect::<Result<Vec<_>, _>>()?;
                    plan(&period, &claims, &taken)
                };

                let mut payment_rows = Vec::new();
                report.payments.clear();
                for payment in planned {
                    let batch_column = match payment.payee_kind {
                        PayeeKind::Provider => claims::PAYMENT_BATCH,
                        PayeeKind::Member => claims::ALLOWANCE_BATCH,
                    };
                    for &i in &payment.claims {
                        batch_column.set(&mut due[i], &Some(payment.id.clone()));
                    }
                    payment_rows.push(
                        Payment {
                            id: payment.id.clone(),
                            period: period.as_str().to_string(),
                            payee_kind: payment.payee_kind.as_str().to_string(),
                            payee_id: payment.payee_id.clone(),
                            paid_date,
                            claims: payment.claims.len() as i64,
                            amount: payment.amount,
                        }
                        .into_row(),
                    );
                    report.payments.push(PaymentLine {
                        id: payment.id,
                        payee_kind: payment.payee_kind.as_str(),
                        payee_id: payment.payee_id,
                        claims: payment.claims.len() as i64,
                        amount: payment.amount,
                    });
                }
                for row in &mut due {
                    claims::STATUS.set(row, &ClaimStatus::Paid);
                    row[claims::PAID.index()] = claims::APPROVED.value(row).clone();
                    claims::PAID_DATE.set(row, &Some(paid_date));
                }
                let total = |kind| {
                    report
                        .payments
                        .iter()
                        .filter(|p| p.payee_kind == PayeeKind::as_str(kind))
                        .map(|p| p.amount)
                        .sum()
                };
                report.to_facilities = total(PayeeKind::Provider);
                report.to_patients = total(PayeeKind::Member);
                report.claims_paid = due.len() as u64;
                report.paid_date = (!due.is_empty()).then_some(paid_date);
                let mut writes = Vec::new();
                // A run that pays nothing changes nothing, and leaves no record.
                if !due.is_empty() {
                    let run = Change {
                        action: "pay",
                        table: &PAYMENTS,
                        key: Some(period.as_str().to_string()),
                        before: None,
                        after: Some(
                            serde_json::json!({
                                "paid_date": paid_date,
                                "claims_paid": report.claims_paid,
                                "payments": report.payments.len(),
                                "to_facilities": report.to_facilities,
                                "to_patients": report.to_patients,
                            })
                            .to_string(),
                        ),
                    };
                    writes.push(self.audit(vec![run]).map_err(StoreError::internal)?);
                }
                writes.push(Write::Update {
                    table: &CLAIMS,
                    columns: CLAIM_PAYMENT,
                    rows: due,
                });
                writes.push(Write::Upsert(&PAYMENTS, payment_rows));
                Ok(writes)
            })
            .await?;
        Ok(report)
    }
}
