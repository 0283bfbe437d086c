//! `carepool claims ...`: receive, adjudicate, review, pay, show, and check cover.

use anyhow::{Result, bail};
use carepool_core::Money;
use carepool_core::claims::review::ReviewAction;
use carepool_service::Registry;
use chrono::NaiveDate;
use clap::Subcommand;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ClaimsCommand {
    /// Receive claims from CSV (see docs/FORMATS.md); all or nothing, and sending a claim again
    /// unchanged does nothing.
    Import {
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
        #[arg(long, conflicts_with_all = ["adjust", "reject"])]
        approve: bool,
        /// Pay this amount instead of the amount approved before review.
        #[arg(long, conflicts_with = "reject")]
        adjust: Option<Money>,
        #[arg(long)]
        reject: bool,
        /// Why: kept with the claim.
        #[arg(long)]
        note: String,
        #[arg(long)]
        date: Option<NaiveDate>,
    },
    /// Pay every claim approved by the end of the period and not yet paid: one payment per
    /// facility, and allowances to patients. Safe to run again.
    Pay {
        /// The month, YYYY-MM.
        #[arg(long)]
        period: String,
        /// The payment date (default today).
        #[arg(long)]
        date: Option<NaiveDate>,
    },
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
        member: String,
        #[arg(long)]
        date: Option<NaiveDate>,
    },
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

pub async fn run(command: ClaimsCommand, registry: &Registry) -> Result<()> {
    match command {
        ClaimsCommand::Import { file, lines } => {
            let report =
                carepool_io::claims_csv::receive_file(registry, &file, lines.as_deref()).await?;
            println!(
                "{}: {} claim(s) received, {} already received unchanged",
                file.display(),
                report.received,
                report.unchanged
            );
        }
        ClaimsCommand::Adjudicate { date } => {
            let bar = crate::progress_bar("adjudicating", "claims");
            let progress = bar.clone();
            let report = registry
                .adjudicate_received(date.unwrap_or_else(today), &move |n| {
                    progress.set_position(n)
                })
                .await;
            bar.finish_and_clear();
            let report = report?;
            let by_status: Vec<String> = report
                .by_status
                .iter()
                .map(|(status, n)| format!("{n} {status}"))
                .collect();
            println!(
                "{} claim(s) adjudicated{}",
                report.adjudicated,
                if by_status.is_empty() {
                    String::new()
                } else {
                    format!(": {}", by_status.join(", "))
                }
            );
            if report.waiting > 0 {
                println!(
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
            date,
        } => {
            let action = match (approve, adjust, reject) {
                (true, None, false) => ReviewAction::Approve,
                (false, Some(approved), false) => ReviewAction::Adjust { approved },
                (false, None, true) => ReviewAction::Reject,
                _ => bail!("say --approve, --adjust AMOUNT or --reject"),
            };
            let view = registry
                .review_claim(&id, &action, &note, date.unwrap_or_else(today))
                .await?;
            println!(
                "{}: {} (approved {})",
                id, view.record.status, view.record.amounts.approved
            );
        }
        ClaimsCommand::Pay { period, date } => {
            let report = registry
                .pay_claims(&period, date.unwrap_or_else(today))
                .await?;
            for payment in &report.payments {
                println!(
                    "{}: {} claim(s), {} to {} {}",
                    payment.id,
                    payment.claims,
                    payment.amount,
                    payment.payee_kind,
                    payment.payee_id
                );
            }
            println!(
                "period {}: {} claim(s) paid, {} to facilities, {} to patients",
                report.period, report.claims_paid, report.to_facilities, report.to_patients
            );
        }
        ClaimsCommand::Show { id, json } => {
            let view = registry.claim_view(&id).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&view)?);
            } else {
                print!("{}", crate::explain::claim(&view));
            }
        }
        ClaimsCommand::Cover { member, date } => {
            let status = registry
                .cover_status(&member, date.unwrap_or_else(today))
                .await?;
            println!("{}", serde_json::to_string_pretty(&status)?);
        }
    }
    Ok(())
}
