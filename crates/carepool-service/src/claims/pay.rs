//! Payment: every claim approved by the end of a month and not yet paid goes into one payment
//! per facility, and allowances into one payment per patient, all in one transaction. Running it
//! again pays only what was approved since.

use crate::Registry;
use crate::error::{RowProblem, ServiceError};
use carepool_core::Money;
use carepool_core::claims::ClaimStatus;
use carepool_store::claim_tables::{self, CLAIMS, PAYMENTS, Payment, claim_column as col};
use carepool_store::schema::{Row, Value};
use carepool_store::{ListQuery, Lock, Read};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};

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
    pub payee_kind: &'static str,
    pub payee_id: String,
    pub claims: i64,
    pub amount: Money,
}

/// The last day of a `YYYY-MM` period.
pub fn period_end(period: &str) -> Result<NaiveDate, ServiceError> {
    let invalid = || {
        ServiceError::Invalid(vec![RowProblem::new(
            0,
            Some("period"),
            format!("'{period}' is not a month YYYY-MM"),
        )])
    };
    let first =
        NaiveDate::parse_from_str(&format!("{period}-01"), "%Y-%m-%d").map_err(|_| invalid())?;
    if format!("{:04}-{:02}", first.year(), first.month()) != period {
        return Err(invalid());
    }
    Ok(carepool_core::dates::add_months(first, 1)
        .pred_opt()
        .expect("a day before"))
}

impl Registry {
    pub async fn pay_claims(
        &self,
        period: &str,
        paid_date: NaiveDate,
    ) -> Result<PaymentReport, ServiceError> {
        let end = period_end(period)?;
        let all = |status: ClaimStatus| Read::List {
            table: &CLAIMS,
            query: ListQuery {
                filters: vec![(col::STATUS, Value::Text(status.as_str().into()))],
                limit: i64::MAX as u64,
                ..ListQuery::default()
            },
        };
        let reads = [
            all(ClaimStatus::Approved),
            all(ClaimStatus::PartiallyApproved),
            Read::List {
                table: &PAYMENTS,
                query: ListQuery {
                    limit: i64::MAX as u64,
                    ..ListQuery::default()
                },
            },
        ];
        let mut report = PaymentReport {
            period: period.to_string(),
            ..PaymentReport::default()
        };
        self.store
            .write_locked(&Lock::AllClaims, &reads, &mut |read| {
                let [approved, partial, payments]: [Vec<Row>; 3] =
                    read.try_into().expect("three reads");
                let taken: HashSet<String> = payments
                    .iter()
                    .filter_map(|p| p[0].as_text().map(str::to_string))
                    .collect();
                let mut due: Vec<Row> = approved
                    .into_iter()
                    .chain(partial)
                    .filter(|row| matches!(row[col::DECIDED_DATE], Value::Date(d) if d <= end))
                    .collect();
                due.sort_by(|a, b| a[col::ID].as_text().cmp(&b[col::ID].as_text()));

                let mut to_facility: BTreeMap<String, Vec<usize>> = BTreeMap::new();
                let mut to_patient: BTreeMap<String, Vec<usize>> = BTreeMap::new();
                for (i, row) in due.iter().enumerate() {
                    let text = |c: usize| row[c].as_text().unwrap_or_default().to_string();
                    to_facility
                        .entry(text(col::PROVIDER_ID))
                        .or_default()
                        .push(i);
                    if amount(row, col::ALLOWANCE) > Money::ZERO {
                        to_patient.entry(text(col::MEMBER_ID)).or_default().push(i);
                    }
                }
                let mut payment_rows = Vec::new();
                let mut pay = |kind: &'static str,
                               payee: &str,
                               rows: &mut [Row],
                               members: &[usize],
                               column: usize,
                               batch_column: usize| {
                    let id = free_id(&taken, &format!("{period}/{kind}/{payee}"));
                    let mut total = Money::ZERO;
                    for &i in members {
                        total += amount(&rows[i], column);
                        rows[i][batch_column] = Value::Text(id.as_str().into());
                    }
                    let payment = Payment {
                        id: id.clone(),
                        period: period.to_string(),
                        payee_kind: kind,
                        payee_id: payee.to_string(),
                        paid_date,
                        claims: members.len() as i64,
                        amount: total,
                    };
                    payment_rows.push(claim_tables::payment_row(&payment));
                    PaymentLine {
                        id,
                        payee_kind: kind,
                        payee_id: payee.to_string(),
                        claims: payment.claims,
                        amount: total,
                    }
                };
                let mut lines = Vec::new();
                for (provider, members) in &to_facility {
                    lines.push(pay(
                        "provider",
                        provider,
                        &mut due,
                        members,
                        col::APPROVED,
                        col::PAYMENT_BATCH,
                    ));
                }
                for (member, members) in &to_patient {
                    lines.push(pay(
                        "member",
                        member,
                        &mut due,
                        members,
                        col::ALLOWANCE,
                        col::ALLOWANCE_BATCH,
                    ));
                }
                for row in &mut due {
                    row[col::STATUS] = Value::Text(ClaimStatus::Paid.as_str().into());
                    row[col::PAID] = row[col::APPROVED].clone();
                    row[col::PAID_DATE] = Value::Date(paid_date);
                }
                report.claims_paid = due.len() as u64;
                report.to_facilities = lines
                    .iter()
                    .filter(|l| l.payee_kind == "provider")
                    .map(|l| l.amount)
                    .sum();
                report.to_patients = lines
                    .iter()
                    .filter(|l| l.payee_kind == "member")
                    .map(|l| l.amount)
                    .sum();
                report.paid_date = (!due.is_empty()).then_some(paid_date);
                report.payments = lines;
                Ok(vec![(&CLAIMS, due), (&PAYMENTS, payment_rows)])
            })
            .await?;
        Ok(report)
    }
}

fn amount(row: &[Value], column: usize) -> Money {
    match row[column] {
        Value::Integer(minor) => Money::from_minor(minor),
        _ => Money::ZERO,
    }
}

/// `base`, or `base/2`, `base/3`, ... when a payment of that name was already made.
fn free_id(taken: &HashSet<String>, base: &str) -> String {
    if !taken.contains(base) {
        return base.to_string();
    }
    (2..)
        .map(|n| format!("{base}/{n}"))
        .find(|id| !taken.contains(id))
        .expect("a free number")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_a_month_and_ends_on_its_last_day() {
        assert_eq!(
            period_end("2024-02").unwrap(),
            "2024-02-29".parse::<NaiveDate>().unwrap()
        );
        assert_eq!(
            period_end("2025-12").unwrap(),
            "2025-12-31".parse::<NaiveDate>().unwrap()
        );
        for bad in ["2025-13", "2025-1", "25-01", "2025-01-01", ""] {
            assert!(period_end(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_second_payment_in_a_period_gets_the_next_number() {
        let taken: HashSet<String> = [
            "2025-03/provider/H1".to_string(),
            "2025-03/provider/H1/2".to_string(),
        ]
        .into();
        assert_eq!(
            free_id(&taken, "2025-03/provider/H1"),
            "2025-03/provider/H1/3"
        );
        assert_eq!(
            free_id(&taken, "2025-03/provider/H2"),
            "2025-03/provider/H2"
        );
    }
}
