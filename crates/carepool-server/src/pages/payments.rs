//! Paying facilities: a month's payment runs, proposing one, releasing one (by another finance
//! officer than the one who proposed it), and each facility's remittance advice (its claims,
//! what was claimed, deducted and paid, and the refunds to its patients deducted) to print or
//! download as CSV or XLSX. Runs are proposed
//! and released through the API's own [`propose_for`] and [`release_for`].

use super::download;
use super::forms::{Field, Input, Problems, Sent};
use super::language::Texts;
use super::layout::Frame;
use super::{PAYMENTS, see_other, segment};
use crate::auth::Caller;
use crate::claims_api::{propose_for, release_for};
use crate::error::ApiError;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use carepool_core::money::Money;
use carepool_io::report::{Cell, Report, ReportTable, WARNING};
use carepool_schema::claim_tables::{
    ClaimRow, Payment, PaymentRun, Refund, claims, payments, refunds,
};
use carepool_service::{Key, Query as RecordQuery, Registry};
use chrono::{Datelike, NaiveDate};
use maud::{Markup, html};
use serde::Serialize;

/// The month shown: the one asked for, else the last month (claims are paid in arrears).
fn month_asked(registry: &Registry, sent: &Sent) -> String {
    sent.get("period")
        .map(|p| p.trim().to_string())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| {
            let today = registry.today();
            let first = today.with_day(1).unwrap_or(today);
            let last_month = first.pred_opt().unwrap_or(first);
            format!("{:04}-{:02}", last_month.year(), last_month.month())
        })
}

fn payments_path(period: &str) -> String {
    let period: String = form_urlencoded::byte_serialize(period.as_bytes()).collect();
    format!("{}?period={period}", PAYMENTS.path)
}

/// Where a facility's remittance advice for a run is.
fn remittance_path(run: &str, provider: &str) -> String {
    format!("/payment-runs/{run}/remittance/{}", segment(provider))
}

/// The month's runs, proposed and released, and the forms to propose or release one.
pub async fn runs(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Query(sent): Query<Sent>,
) -> Result<Response, ApiError> {
    caller.national("payment runs")?;
    let period = month_asked(&registry, &sent);
    let mut problems = Problems::default();
    let runs = match registry.payment_runs(&period).await {
        Ok(runs) => runs,
        Err(error) => {
            let error = ApiError::from(error);
            problems = Problems::of_refusal(&frame.texts, error.problems().ok_or(error)?);
            Vec::new()
        }
    };
    let notice = sent
        .get("nothing")
        .map(|_| frame.texts.text("payments-nothing-due"));
    runs_page(&frame, &registry, &period, &runs, &problems, notice).await
}

async fn runs_page(
    frame: &Frame,
    registry: &Registry,
    period: &str,
    runs: &[PaymentRun],
    problems: &Problems,
    notice: Option<String>,
) -> Result<Response, ApiError> {
    let texts = &frame.texts;
    let currency = registry.currency().await?;
    let me = frame.user()?.name.clone();
    let today = registry.today().to_string();
    let paid = facility_payments(registry, period, None).await?;
    let content = html! {
        (problems.summary(texts))
        @if let Some(notice) = notice { p class="notice" role="status" { (notice) } }
        form method="get" action=(PAYMENTS.path) class="filters" {
            (Field { name: "period", label: texts.text("payments-month"), input: Input::Text,
                value: period, autocomplete: "off", required: true }.render(problems))
            button type="submit" { (texts.text("filter")) }
        }
        form method="post" action=(PAYMENTS.path) class="filters" {
            (frame.csrf_field())
            input type="hidden" name="period" value=(period);
            button type="submit" { (texts.with("payments-propose", &[("period", period)])) }
        }
        @if runs.is_empty() {
            p { (texts.with("payments-none", &[("period", period)])) }
        }
        @for run in runs {
            @let facilities: Vec<&str> = paid
                .iter()
                .filter(|p| run.payments.contains(&p.id))
                .map(|p| p.payee_id.as_str())
                .collect();
            (run_section(texts, run, &facilities, currency.as_deref(), &me, &today, frame))
        }
    };
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok(frame.page_with(status, &texts.text("payments-title"), content))
}

/// The payments of a month to facilities (to `facility` only, if given), read by their columns.
async fn facility_payments(
    registry: &Registry,
    period: &str,
    facility: Option<&str>,
) -> Result<Vec<Payment>, ApiError> {
    let mut query = RecordQuery::<Payment>::all_by_pages()
        .only(payments::PERIOD, &period.to_string())?
        .only(payments::PAYEE_KIND, &"provider".to_string())?;
    if let Some(facility) = facility {
        query = query.only(payments::PAYEE_ID, &facility.to_string())?;
    }
    Ok(registry.matching(query, |_| true).await?)
}

fn run_section(
    texts: &Texts,
    run: &PaymentRun,
    providers: &[&str],
    currency: Option<&str>,
    me: &str,
    today: &str,
    frame: &Frame,
) -> Markup {
    let released = run.released_by.is_some();
    html! {
        section class="run" {
            h2 { (texts.with("payments-run", &[("run", &run.id)])) " · "
                @if released { (texts.text("run-released")) } @else { (texts.text("run-proposed")) } }
            dl class="facts" {
                dt { (texts.text("column-proposed-by")) } dd { (run.proposed_by) " · " (texts.date(run.proposed_on)) }
                @if let Some(by) = &run.released_by {
                    dt { (texts.text("run-released-by")) } dd { (by) @if let Some(day) = run.paid_date { " · " (texts.date(day)) } }
                }
                dt { (texts.text("column-claims")) } dd { (texts.count(run.claims.max(0) as u64)) }
                dt { (texts.text("column-to-facilities")) } dd { (texts.amount(run.to_facilities, currency)) }
                dt { (texts.text("column-to-patients")) } dd { (texts.amount(run.to_patients, currency)) }
                @if run.refunds > 0 {
                    dt { (texts.text("run-refunds")) }
                    dd { (texts.with("run-refunds-count", &[("refunds", &texts.count(run.refunds as u64))])) " · "
                        (texts.with("run-recovered", &[("amount", &texts.amount(run.recovered, currency))])) }
                }
            }
            @if !providers.is_empty() {
                p { (texts.text("run-remittances")) " "
                    @for (i, provider) in providers.iter().enumerate() {
                        @if i > 0 { ", " }
                        a href=(remittance_path(&run.id, provider)) { (provider) }
                    }
                }
            }
            @if !released {
                @if run.proposed_by == me {
                    p class="hint" { (texts.text("run-release-by-another")) }
                } @else {
                    form method="post" action=(format!("/payment-runs/{}/release", run.id)) class="filters" {
                        (frame.csrf_field())
                        (Field { name: "date", label: texts.text("run-paid-on"), input: Input::Date,
                            value: today, autocomplete: "off", required: true }.render(&Problems::default()))
                        button type="submit" { (texts.text("run-release")) }
                    }
                }
            }
        }
    }
}

/// Proposes the month's run: every claim approved by the month's end and in no run yet.
pub async fn propose(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Form(sent): Form<Sent>,
) -> Result<Response, ApiError> {
    let period = month_asked(&registry, &sent);
    match propose_for(&caller, &registry, &period).await {
        Ok(report) if report.run.is_none() => {
            Ok(see_other(&format!("{}&nothing=1", payments_path(&period))))
        }
        Ok(_) => Ok(see_other(&payments_path(&period))),
        Err(error) => refused(&frame, &registry, &period, error).await,
    }
}

/// The runs again with why the step was refused, or the error's own page.
async fn refused(
    frame: &Frame,
    registry: &Registry,
    period: &str,
    error: ApiError,
) -> Result<Response, ApiError> {
    let Some(found) = error.problems() else {
        return Err(error);
    };
    let problems = Problems::of_refusal(&frame.texts, found);
    let runs = registry.payment_runs(period).await.unwrap_or_default();
    runs_page(frame, registry, period, &runs, &problems, None).await
}

/// Releases a proposed run: its claims are paid on the day given.
pub async fn release(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path((period, number)): Path<(String, String)>,
    Form(sent): Form<Sent>,
) -> Result<Response, ApiError> {
    let date = match sent.get("date").map(|d| d.trim()).filter(|d| !d.is_empty()) {
        None => None,
        Some(text) => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                let message = frame.texts.with("not-a-date", &[("text", text)]);
                let error = ApiError::invalid_field("date", message);
                return refused(&frame, &registry, &period, error).await;
            }
        },
    };
    match release_for(&caller, &registry, &format!("{period}/{number}"), date).await {
        Ok(_) => Ok(see_other(&payments_path(&period))),
        Err(error) => refused(&frame, &registry, &period, error).await,
    }
}

/// A facility's remittance advice as the downloads hold it.
#[derive(Serialize)]
struct Remittance {
    run: String,
    facility: String,
    paid_date: Option<NaiveDate>,
    currency: Option<String>,
    claims: Vec<RemittedClaim>,
    refunds: Vec<RemittedRefund>,
    claimed: String,
    deducted: String,
    recovered: String,
    paid: String,
}

/// A refund to a patient the facility charged despite an exemption, deducted from its payment.
#[derive(Serialize)]
struct RemittedRefund {
    refund: String,
    claim: Option<String>,
    grievance: Option<String>,
    member: String,
    amount: String,
}

#[derive(Serialize)]
struct RemittedClaim {
    claim: String,
    member: String,
    care_date: Option<NaiveDate>,
    claimed: String,
    member_share: String,
    rejected: String,
    approved: String,
}

/// A facility's remittance advice for a run: its claims, what was claimed, what was deducted
/// (the patient's share and what was refused) and what is paid; printable, or `?format=csv` or
/// `xlsx` to download.
pub async fn remittance(
    frame: Frame,
    caller: Caller,
    State(registry): State<Registry>,
    Path((period, number, provider)): Path<(String, String, String)>,
    Query(sent): Query<Sent>,
) -> Result<Response, ApiError> {
    caller.national("payment runs")?;
    let run_id = format!("{period}/{number}");
    let run: PaymentRun = registry
        .get(&Key::parse(|_| Some(run_id.as_str()))?)
        .await?;
    let paid_to: Vec<Payment> = facility_payments(&registry, &run.period, Some(&provider))
        .await?
        .into_iter()
        .filter(|p| run.payments.contains(&p.id))
        .collect();
    if paid_to.is_empty() {
        return Err(ApiError::not_found(format!(
            "run {run_id} pays nothing to {provider}"
        )));
    }
    let mut paid_claims = Vec::new();
    let mut recovered_refunds: Vec<Refund> = Vec::new();
    for payment in paid_to {
        let query = RecordQuery::<ClaimRow>::all_by_pages()
            .only(claims::PAYMENT_BATCH, &Some(payment.id.clone()))?;
        paid_claims.extend(registry.matching(query, |_| true).await?);
        let query = RecordQuery::<Refund>::all_by_pages()
            .only(refunds::DEDUCTION_PAYMENT, &Some(payment.id))?;
        recovered_refunds.extend(registry.matching(query, |_| true).await?);
    }
    let currency = registry.currency().await?;
    let total = |f: fn(&ClaimRow) -> Money| paid_claims.iter().map(f).sum::<Money>();
    let claimed = total(|c| c.claimed);
    let deducted = total(|c| c.member_share + c.rejected);
    let recovered: Money = recovered_refunds.iter().map(|r| r.amount).sum();
    let approved = total(|c| c.approved);
    let paid = approved - recovered;
    let texts = &frame.texts;
    if let Some(format) = sent.get("format").and_then(|f| download::format_named(f)) {
        let remittance = Remittance {
            run: run.id.clone(),
            facility: provider.clone(),
            paid_date: run.paid_date,
            currency: currency.clone(),
            claims: paid_claims
                .iter()
                .map(|c| RemittedClaim {
                    claim: c.id.clone(),
                    member: c.member_id.clone(),
                    care_date: c.incurred_date,
                    claimed: c.claimed.to_string(),
                    member_share: c.member_share.to_string(),
                    rejected: c.rejected.to_string(),
                    approved: c.approved.to_string(),
                })
                .collect(),
            refunds: (recovered_refunds.iter())
                .map(|r| RemittedRefund {
                    refund: r.id.clone(),
                    claim: r.claim_id.clone(),
                    grievance: r.grievance_id.clone(),
                    member: r.member_id.clone(),
                    amount: r.amount.to_string(),
                })
                .collect(),
            claimed: claimed.to_string(),
            deducted: deducted.to_string(),
            recovered: recovered.to_string(),
            paid: paid.to_string(),
        };
        let report = remittance_report(texts, &remittance, &paid_claims, &recovered_refunds, paid);
        return download::file(
            &report,
            &remittance,
            &format!("remittance-{period}-{number}-{provider}"),
            format,
        );
    }
    let amount = |m: Money| texts.amount(m, currency.as_deref());
    let path = remittance_path(&run.id, &provider);
    let content = html! {
        dl class="facts" {
            dt { (texts.text("filter-facility")) } dd { (provider) }
            dt { (texts.text("column-run")) } dd { (run.id) }
            dt { (texts.text("run-paid-on")) } dd { @if let Some(day) = run.paid_date { (texts.date(day)) } @else { (texts.text("run-proposed")) } }
            dt { (texts.text("column-claims")) } dd { (texts.count(paid_claims.len() as u64)) }
            dt { (texts.text("column-claimed")) } dd { (amount(claimed)) }
            dt { (texts.text("remittance-deducted")) } dd { (amount(deducted)) }
            @if !recovered_refunds.is_empty() {
                dt { (texts.text("remittance-refunds")) } dd { (amount(recovered)) }
            }
            dt { (texts.text("remittance-paid")) } dd { strong { (amount(paid)) } }
        }
        div class="scroll" tabindex="0" { table {
            thead { tr {
                th scope="col" { (texts.text("column-claim")) }
                th scope="col" { (texts.text("column-member")) }
                th scope="col" { (texts.text("column-care-date")) }
                th scope="col" class="number" { (texts.text("column-claimed")) }
                th scope="col" class="number" { (texts.text("claim-member-share")) }
                th scope="col" class="number" { (texts.text("claim-rejected")) }
                th scope="col" class="number" { (texts.text("column-approved")) }
            } }
            tbody {
                @for claim in &paid_claims {
                    tr {
                        td { (claim.id) }
                        td { (claim.member_id) }
                        td { @if let Some(day) = claim.incurred_date { (texts.date(day)) } }
                        td class="number" { (amount(claim.claimed)) }
                        td class="number" { (amount(claim.member_share)) }
                        td class="number" { (amount(claim.rejected)) }
                        td class="number" { (amount(claim.approved)) }
                    }
                }
            }
            tfoot { tr {
                th scope="row" colspan="3" { (texts.text("remittance-total")) }
                td class="number" { (amount(claimed)) }
                td class="number" { (amount(total(|c| c.member_share))) }
                td class="number" { (amount(total(|c| c.rejected))) }
                td class="number" { strong { (amount(approved)) } }
            } }
        } }
        h2 { (texts.text("remittance-refunds")) }
        @if recovered_refunds.is_empty() {
            p { (texts.text("remittance-refunds-none")) }
        } @else {
            div class="scroll" tabindex="0" { table {
                thead { tr {
                    th scope="col" { (texts.text("column-claim")) }
                    th scope="col" { (texts.text("column-grievance")) }
                    th scope="col" { (texts.text("column-member")) }
                    th scope="col" class="number" { (texts.text("column-amount")) }
                } }
                tbody {
                    @for refund in &recovered_refunds {
                        tr {
                            td { (refund.claim_id.as_deref().unwrap_or("")) }
                            td { (refund.grievance_id.as_deref().unwrap_or("")) }
                            td { (refund.member_id) }
                            td class="number" { (amount(refund.amount)) }
                        }
                    }
                }
                tfoot { tr {
                    th scope="row" colspan="3" { (texts.text("remittance-total")) }
                    td class="number" { strong { (amount(recovered)) } }
                } }
            } }
        }
        p class="downloads" {
            (texts.text("download")) " "
            a href=(format!("{path}?format=csv")) download { "CSV" } " · "
            a href=(format!("{path}?format=xlsx")) download { "XLSX" }
        }
    };
    let title = texts.with(
        "remittance-title",
        &[("facility", &provider), ("run", &run.id)],
    );
    Ok(frame.page(&title, content))
}

/// The remittance as a report: its figures, then one row per claim.
fn remittance_report(
    texts: &Texts,
    remittance: &Remittance,
    paid: &[ClaimRow],
    recovered: &[Refund],
    total: Money,
) -> Report {
    let amount = |m: Money| Cell::Amount(m.minor() as f64 / 100.0);
    let header = [
        "claim",
        "member",
        "care_date",
        "claimed",
        "member_share",
        "rejected",
        "paid",
        "refund",
    ];
    let claims = paid.iter().map(|c| {
        vec![
            Cell::Text(c.id.clone()),
            Cell::Text(c.member_id.clone()),
            Cell::Text(c.incurred_date.map(|d| d.to_string()).unwrap_or_default()),
            amount(c.claimed),
            amount(c.member_share),
            amount(c.rejected),
            amount(c.approved),
            Cell::Empty,
        ]
    });
    // Each refund deducted is a row of its own, paid less, so the column adds up to the payment.
    let refunds = recovered.iter().map(|r| {
        vec![
            Cell::Text(r.claim_id.clone().unwrap_or_default()),
            Cell::Text(r.member_id.clone()),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            amount(-r.amount),
            Cell::Text(r.grievance_id.clone().unwrap_or_else(|| r.id.clone())),
        ]
    });
    let rows = claims.chain(refunds).collect();
    Report {
        title: texts.with(
            "remittance-title",
            &[("facility", &remittance.facility), ("run", &remittance.run)],
        ),
        headline: vec![(texts.text("remittance-paid"), amount(total))],
        currency: remittance.currency.clone(),
        facts: vec![
            ("run".into(), remittance.run.clone()),
            ("facility".into(), remittance.facility.clone()),
            (
                "paid_date".into(),
                remittance
                    .paid_date
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
            ),
        ],
        warning_label: WARNING.into(),
        warnings: Vec::new(),
        notes: Vec::new(),
        tables: vec![ReportTable::new(
            "claims",
            &texts.text("column-claims"),
            &header,
            rows,
        )],
        trends: Vec::new(),
        funnels: Vec::new(),
        charts: Vec::new(),
    }
}
