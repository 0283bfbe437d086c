//! Payment runs, in two steps by two people: a finance officer proposes a run for a month (the
//! claims due and how they group into payments, by the rules of
//! `carepool_core::claims::payment`), which holds those claims for the run; another releases it,
//! which pays them and writes the payments. Each step is one transaction holding the claims
//! lock, reading the claims that may be paid a page at a time (a national scheme's are
//! millions) and writing each page's before it reads the next. Proposing again holds only what
//! was approved since. Refunds granted to patients charged despite an exemption go into the
//! next run: paid to the patient, deducted from the facility (each once: a run takes a
//! refund's leg by naming its payment on it).

mod pages;
mod proposal;
mod release;

use crate::Registry;
use crate::error::{RowProblem, ServiceError};
use carepool_core::Money;
use carepool_core::claims::payment::{Payable, Period, Refundable, ReleaseError, check_release};
use carepool_schema::claim_tables::{
    CLAIMS, PAYMENT_RUNS, Payment, PaymentRun, Refund, claims, payment_runs,
};
use carepool_schema::{Projection, Row, Value};
use carepool_store::{ListQuery, LockedReads, StoreError, Write, Writes};
use chrono::NaiveDate;
use proposal::Proposal;
use release::Release;
use serde::Serialize;

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

fn parse_period(text: &str) -> Result<Period, ServiceError> {
    Period::parse(text).map_err(period_refused)
}

/// A period that cannot be paid: not a month, or not over.
fn period_refused(message: String) -> ServiceError {
    ServiceError::Invalid(vec![RowProblem::new(0, Some("period"), message)])
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

/// Sets `columns` of the claims in `rows` (each a claim's key, then the columns in order);
/// nothing for no rows.
fn set_claims(columns: &'static [usize], rows: Vec<Row>) -> Writes {
    if rows.is_empty() {
        return Vec::new();
    }
    vec![Write::Set {
        table: &CLAIMS,
        columns,
        rows,
    }]
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
        let mut first = LockedReads::default();
        let mut proposal = Proposal::new(self, period, &mut first);
        self.over_payable_claims(&first, &mut proposal).await?;
        Ok(proposal.into_outcome())
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
        let mut first = LockedReads::default();
        let mut release = Release::new(self, stored, releaser, paid_date, &mut first);
        self.over_payable_claims(&first, &mut release).await?;
        (release.into_outcome())
            .ok_or_else(|| ServiceError::Corrupt("the store released a run without it".into()))
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
