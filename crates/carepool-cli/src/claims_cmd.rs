//! `carepool claims ...`: receive, adjudicate, review, pay, show, and check cover.

use crate::output::{out, outln};
use anyhow::{Result, bail};
use carepool_core::Money;
use carepool_core::claims::review::ReviewAction;
use carepool_service::Registry;
use carepool_service::claims::PaymentReport;
use chrono::NaiveDate;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ClaimsCommand {
    /// Receive claims from CSV (see docs/FORMATS.md); all or nothing, and sending a claim again
    /// unchanged does nothing.
    Import {
        /// The claims CSV file.
        file: PathBuf,
        /// The lines of the claims in FILE, one row per line; without it, FILE has one row per line.
        #[arg(long)]
        lines: Option<PathBuf>,
    },
    /// Judge every claim received (by the decision date) and not yet judged, against the rules
    /// in force on its date of service.
    Adjudicate {
        /// The decision date recorded on the claims (default today).
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// Record a medical reviewer's decision on a claim in review.
    Review {
        /// The claim: PROVIDER/CLAIM_NUMBER.
        id: String,
        /// Pay the claim as it was approved before review.
        #[arg(long, conflicts_with_all = ["adjust", "reject"])]
        approve: bool,
        /// Pay this amount instead of the amount approved before review.
        #[arg(long, conflicts_with = "reject")]
        adjust: Option<Money>,
        /// Pay nothing: every amount rejected, with the note.
        #[arg(long)]
        reject: bool,
        /// Why: kept with the claim.
        #[arg(long)]
        note: String,
        /// The claim is held as a probable duplicate and is not one: needed to approve or
        /// adjust it (recorded with the note).
        #[arg(long)]
        not_duplicate: bool,
        /// The decision date (default today; not after today).
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// Propose a payment run for a month (--period): every claim approved by its end and in no
    /// run yet, one payment per facility and allowances to patients. Another user releases it
    /// (--release RUN), which pays the claims. Safe to run again.
    Pay {
        /// The month, YYYY-MM: propose its run.
        #[arg(long, required_unless_present = "release", conflicts_with = "release")]
        period: Option<String>,
        /// Release (pay) a proposed run: PERIOD/N, as the proposal printed it.
        #[arg(long, value_name = "RUN")]
        release: Option<String>,
        /// The payment date of a release (default today).
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// List claims, oldest received first: by status (the review queue is --status in_review),
    /// facility, district of the facility, or date of service.
    List(crate::claims_list::ListArgs),
    /// Show a claim: amounts per line and every reason, in words.
    Show {
        /// PROVIDER/CLAIM_NUMBER.
        id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Is a member covered on a date, and what is left of each limit?
    Cover {
        /// The member's id.
        member: String,
        /// The date of care asked about (default today).
        #[arg(long)]
        date: Option<NaiveDate>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub async fn run(command: ClaimsCommand, registry: &Registry) -> Result<()> {
    match command {
        ClaimsCommand::Import { file, lines } => {
            let progress = crate::progress::Progress::counting("receiving", "claims");
            let handle = progress.clone();
            let report = carepool_io::claims_csv::receive_file(
                registry,
                &file,
                lines.as_deref(),
                &move |n| handle.set(n),
            )
            .await;
            progress.end(report.is_ok());
            let report = report?;
            outln!(
                "{}: {} claim(s) received, {} already received unchanged",
                file.display(),
                report.received,
                report.unchanged
            );
        }
        ClaimsCommand::Adjudicate { date } => {
            let progress = crate::progress::Progress::counting("adjudicating", "claims");
            let handle = progress.clone();
            let report = registry
                .adjudicate_received(date.unwrap_or_else(today), &move |n| handle.set(n))
                .await;
            progress.end(report.is_ok());
            let report = report?;
            let by_status: Vec<String> = report
                .by_status
                .iter()
                .map(|(status, n)| format!("{n} {status}"))
                .collect();
            outln!(
                "{} claim(s) adjudicated{}",
                report.adjudicated,
                if by_status.is_empty() {
                    String::new()
                } else {
                    format!(": {}", by_status.join(", "))
                }
            );
            if report.waiting > 0 {
                outln!(
                    "{} claim(s) received after the decision date wait for a later run",
                    report.waiting
                );
            }
        }
        ClaimsCommand::Review {
            id,
            approve,
            adjust,
            reject,
            note,
            not_duplicate,
            date,
        } => {
            let action = match (approve, adjust, reject) {
                (true, None, false) => ReviewAction::Approve,
                (false, Some(approved), false) => ReviewAction::Adjust { approved },
                (false, None, true) => ReviewAction::Reject,
                _ => bail!("say --approve, --adjust AMOUNT or --reject"),
            };
            let view = registry
                .review_claim(
                    &id,
                    &action,
                    &note,
                    not_duplicate,
                    date.unwrap_or_else(today),
                )
                .await?;
            outln!(
                "{}: {} (approved {})",
                id,
                view.record.status,
                view.record.amounts.approved
            );
        }
        ClaimsCommand::Pay {
            period,
            release,
            date,
        } => {
            let report = match (period, release, date) {
                (_, Some(run), date) => {
                    registry
                        .release_payment_run(&run, date.unwrap_or_else(today))
                        .await?
                }
                (Some(_), None, Some(_)) => {
                    bail!("--date is the day a run is paid: give it with --release RUN")
                }
                (Some(period), None, None) => registry.propose_payment_run(&period).await?,
                (None, None, _) => bail!("say --period YYYY-MM to propose a run, or --release RUN"),
            };
            let currency = registry.currency().await?;
            out!("{}", payment_run(&report, currency.as_deref()));
        }
        ClaimsCommand::List(args) => crate::claims_list::run(&args, registry).await?,
        ClaimsCommand::Show { id, json } => {
            let view = registry.claim_view(&id).await?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&view)?);
            } else {
                let currency = registry.currency().await?;
                out!("{}", crate::explain::claim(&view, currency.as_deref()));
            }
        }
        ClaimsCommand::Cover { member, date, json } => {
            let status = registry
                .cover_status(&member, date.unwrap_or_else(today))
                .await?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&status)?);
            } else {
                let currency = registry.currency().await?;
                out!("{}", crate::explain::cover(&status, currency.as_deref()));
            }
        }
    }
    Ok(())
}

/// A payment run's step, in words: its payments, then what it came to.
fn payment_run(report: &PaymentReport, currency: Option<&str>) -> String {
    let money = |amount: Money| crate::explain::money(amount, currency);
    let mut text = String::new();
    for payment in &report.payments {
        text += &format!(
            "{}: {} claim(s), {} to {} {}\n",
            payment.id,
            payment.claims,
            money(payment.amount),
            payment.payee_kind,
            payment.payee_id
        );
    }
    let (Some(run), Some(proposed_by)) = (&report.run, &report.proposed_by) else {
        return format!("period {}: nothing due, no run proposed\n", report.period);
    };
    let mut totals = format!(
        "{} claim(s), {} to facilities, {} to patients",
        report.claims,
        money(report.to_facilities),
        money(report.to_patients)
    );
    if report.refunds > 0 {
        totals += &format!(
            "; {} refund(s) to patients charged despite an exemption paid or recovered, {} \
             deducted from facilities",
            report.refunds,
            money(report.recovered)
        );
    }
    match (&report.released_by, report.paid_date) {
        (Some(released_by), Some(paid)) => {
            text += &format!(
                "payment run {run} released by {released_by} and paid on {paid}: {totals}\n"
            );
        }
        _ => {
            text += &format!(
                "payment run {run} proposed by {proposed_by}: {totals}\n\
                 nothing is paid until another user than its proposer releases it (a machine's \
                 own account may release what it proposed): \
                 carepool claims pay --release {run}\n"
            );
        }
    }
    text
}
