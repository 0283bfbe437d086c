//! `carepool grievances ...`: file, list, show, and the steps that settle a grievance
//! (docs/GRIEVANCES.md).

use crate::output::outln;
use anyhow::Result;
use carepool_actuarial::indicators::grievances::Timeliness;
use carepool_core::Money;
use carepool_core::grievances::{
    Channel, FiledBy, GrievanceStatus, Priority, ResolutionKind, enrols, reopens_claim,
};
use carepool_io::grievances_file::import_grievances;
use carepool_service::grievances::{
    CoverAsked, GrievanceFilter, GrievanceListed, GrievanceStats, GrievanceView, NewGrievance,
    StepTaken,
};
use carepool_service::{Registry, Scope};
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum GrievancesCommand {
    /// File a grievance (received); prints its number and due date.
    File(Box<FileArgs>),
    /// File every grievance of a CSV or XLSX file (docs/FORMATS.md), all or nothing.
    Import {
        /// The file: FILE.csv, or FILE.xlsx (one sheet).
        file: PathBuf,
    },
    /// List grievances, oldest first: by status, category, owner or member, or only the
    /// overdue ones.
    List {
        /// received, open, in_progress, resolved or closed.
        #[arg(long)]
        status: Option<GrievanceStatus>,
        /// One of the scheme's grievance categories.
        #[arg(long)]
        category: Option<String>,
        /// The user who handles them.
        #[arg(long)]
        owner: Option<String>,
        /// The member concerned.
        #[arg(long)]
        member: Option<String>,
        /// Only those still unresolved after their due date.
        #[arg(long)]
        overdue: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// How grievances were settled over a period: received, resolved, resolved by their due
    /// date, median days to resolve, overdue at the end; over all, by category and district.
    Stats {
        /// First day of the period.
        #[arg(long)]
        from: NaiveDate,
        /// Last day of the period.
        #[arg(long)]
        to: NaiveDate,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Show a grievance with every step taken on it.
    Show {
        /// G-YYYYMMDD-NNN.
        id: String,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
    /// Give a grievance to the user who will handle it (a received one is then open).
    Assign {
        /// G-YYYYMMDD-NNN.
        id: String,
        /// The user: one who handles grievances in the grievance's district.
        #[arg(long)]
        to: String,
        /// Kept with the step.
        #[arg(long)]
        note: Option<String>,
    },
    /// Start working on an open grievance.
    Start {
        /// G-YYYYMMDD-NNN.
        id: String,
        /// Kept with the step.
        #[arg(long)]
        note: Option<String>,
    },
    /// Resolve a grievance: what was found and done.
    Resolve {
        /// G-YYYYMMDD-NNN.
        id: String,
        /// upheld, partly_upheld or not_upheld.
        #[arg(long)]
        kind: ResolutionKind,
        /// The resolution, in words the member is told.
        #[arg(long)]
        text: String,
        /// For an upheld exempt_charged grievance: the amount refunded to the member and
        /// deducted from the facility [default: all the facility collected on its claim].
        #[arg(long)]
        refund: Option<Money>,
        /// For an upheld appeal against an eligibility refusal: the day the member's cover
        /// starts, after the eligibility check of the rules then in force.
        #[arg(long)]
        cover_from: Option<NaiveDate>,
        /// With --cover-from: the benefit package [default: the scheme's first].
        #[arg(long, requires = "cover_from")]
        package: Option<String>,
    },
    /// Close a resolved grievance: its resolution is final.
    Close {
        /// G-YYYYMMDD-NNN.
        id: String,
        /// Kept with the step.
        #[arg(long)]
        note: Option<String>,
    },
    /// Open a resolved or closed grievance again, saying why.
    Reopen {
        /// G-YYYYMMDD-NNN.
        id: String,
        /// Why it is not settled: kept with the step.
        #[arg(long)]
        why: String,
    },
}

#[derive(Args)]
pub struct FileArgs {
    /// One of the scheme's grievance categories (exempt_charged, claim_refused, ...).
    #[arg(long)]
    pub category: String,
    /// What happened, in the filer's words.
    #[arg(long)]
    pub description: String,
    /// Who filed it: a member id, a facility code or a user name, as --filed-by says.
    #[arg(long)]
    pub filer: String,
    /// member, facility or staff [default: member].
    #[arg(long)]
    pub filed_by: Option<FiledBy>,
    /// visit, phone, sms, letter, web or community_representative [default: visit].
    #[arg(long)]
    pub channel: Option<Channel>,
    /// low, normal, high or urgent [default: normal].
    #[arg(long)]
    pub priority: Option<Priority>,
    /// The member concerned.
    #[arg(long)]
    pub member: Option<String>,
    /// The family concerned [default: the member's].
    #[arg(long)]
    pub family: Option<String>,
    /// The claim concerned: PROVIDER/CLAIM_NUMBER (gives its member and facility).
    #[arg(long)]
    pub claim: Option<String>,
    /// The facility concerned.
    #[arg(long)]
    pub provider: Option<String>,
    /// Where it is handled [default: the family's place, else the facility's].
    #[arg(long)]
    pub location: Option<String>,
    /// The scheme that hears it [default: the family's, or the only one loaded].
    #[arg(long)]
    pub scheme: Option<String>,
    /// The day it was received [default: today].
    #[arg(long)]
    pub filed_on: Option<NaiveDate>,
    /// A reference of a document kept with it (repeat for several).
    #[arg(long = "attachment")]
    pub attachments: Vec<String>,
}

pub async fn run(command: GrievancesCommand, registry: &Registry) -> Result<()> {
    // The machine's account sees every place.
    let scope = &Scope::National;
    let (id, taken) = match command {
        GrievancesCommand::File(args) => {
            let args = *args;
            let new = NewGrievance {
                scheme: args.scheme,
                category: args.category,
                channel: args.channel,
                priority: args.priority,
                filed_by: args.filed_by,
                filer: args.filer,
                filed_on: args.filed_on,
                location: args.location,
                member: args.member,
                family: args.family,
                claim: args.claim,
                provider: args.provider,
                description: args.description,
                attachments: args.attachments,
            };
            let view = registry.file_grievance(new, scope).await?;
            let g = &view.grievance;
            outln!(
                "grievance {} filed ({}), due {}",
                g.id,
                g.category,
                g.due_date
            );
            return Ok(());
        }
        GrievancesCommand::Import { file } => {
            let ids = import_grievances(registry, &file, scope).await?;
            let shown: Vec<&str> = ids.iter().take(5).map(String::as_str).collect();
            let more = if ids.len() > shown.len() { ", ..." } else { "" };
            outln!(
                "{}: {} grievance(s) filed ({}{more})",
                file.display(),
                ids.len(),
                shown.join(", ")
            );
            return Ok(());
        }
        GrievancesCommand::List {
            status,
            category,
            owner,
            member,
            overdue,
            json,
        } => {
            let filter = GrievanceFilter {
                status,
                category,
                owner,
                member,
                overdue,
            };
            let found = registry.grievances(&filter, scope).await?;
            if json {
                let all: Vec<_> = found.iter().map(GrievanceListed::to_json).collect();
                outln!("{}", serde_json::to_string_pretty(&all)?);
            } else {
                print_list(&found);
            }
            return Ok(());
        }
        GrievancesCommand::Stats { from, to, json } => {
            let stats = registry
                .grievance_stats(from, to, scope, None, None)
                .await?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                print_stats(&stats);
            }
            return Ok(());
        }
        GrievancesCommand::Show { id, json } => {
            let view = registry.grievance(&id, scope).await?;
            if json {
                outln!("{}", serde_json::to_string_pretty(&view.to_json())?);
            } else {
                let currency = registry.currency().await?;
                print_view(&view, currency.as_deref());
            }
            return Ok(());
        }
        GrievancesCommand::Assign { id, to, note } => (id, StepTaken::Assign { owner: to, note }),
        GrievancesCommand::Start { id, note } => (id, StepTaken::Start { note }),
        GrievancesCommand::Resolve {
            id,
            kind,
            text,
            refund,
            cover_from,
            package,
        } => {
            let cover = cover_from.map(|from| CoverAsked { from, package });
            let resolve = StepTaken::Resolve {
                kind,
                text,
                refund,
                cover,
            };
            (id, resolve)
        }
        GrievancesCommand::Close { id, note } => (id, StepTaken::Close { note }),
        GrievancesCommand::Reopen { id, why } => (id, StepTaken::Reopen { why }),
    };
    let resolving = matches!(taken, StepTaken::Resolve { .. });
    let enrolled_from = match &taken {
        StepTaken::Resolve { cover, .. } => cover.as_ref().map(|c| c.from),
        _ => None,
    };
    let view = registry.take_grievance_step(&id, taken, scope).await?;
    let g = &view.grievance;
    let owner = g.owner.as_deref().unwrap_or("nobody");
    outln!(
        "grievance {} is {} (owner {owner}, due {})",
        g.id,
        g.status,
        g.due_date
    );
    if !resolving {
        return Ok(());
    }
    // What the resolution did beyond the grievance: a refund granted, a claim reopened.
    if let Some(refund) = view.refund.as_ref().filter(|r| r.amount > Money::ZERO) {
        let currency = registry.currency().await?;
        outln!(
            "refund of {} to {} ({}): the next payment run pays it and deducts it from {}",
            crate::explain::money(refund.amount, currency.as_deref()),
            refund.member_id,
            refund.status,
            refund.provider_id
        );
    }
    if let (Some(member), Some(kind), Some(from)) = (&g.member_id, g.resolution_kind, enrolled_from)
        && enrols(&g.category, kind)
    {
        outln!("member {member} enrolled from {from}, after the eligibility check");
    }
    if let (Some(claim), Some(kind)) = (&g.claim_id, g.resolution_kind)
        && reopens_claim(&g.category, kind)
    {
        outln!(
            "claim {claim} reopened for a new decision: the next `carepool claims adjudicate` \
             decides it again"
        );
    }
    Ok(())
}

fn print_list(found: &[GrievanceListed]) {
    if found.is_empty() {
        outln!("no grievance");
        return;
    }
    for listed in found {
        let g = &listed.grievance;
        let late = if listed.overdue { "  OVERDUE" } else { "" };
        outln!(
            "{}  {:<11}  {:<18}  {:<8}  due {}  owner {}{late}",
            g.id,
            g.status.as_str(),
            g.category,
            g.priority.as_str(),
            g.due_date,
            g.owner.as_deref().unwrap_or("-"),
        );
    }
    outln!("{} grievance(s)", found.len());
}

fn print_stats(stats: &GrievanceStats) {
    outln!("grievances from {} to {}", stats.from, stats.to);
    outln!(
        "  {:<24} {:>8} {:>8} {:>8} {:>9} {:>7}",
        "",
        "received",
        "resolved",
        "in time",
        "median d",
        "overdue"
    );
    let line = |label: &str, t: &Timeliness| {
        let share = t
            .in_time_share
            .map_or("-".to_string(), |s| format!("{:.0}%", s * 100.0));
        let median = t
            .median_days_to_resolve
            .map_or("-".to_string(), |d| format!("{d:.1}"));
        outln!(
            "  {label:<24} {:>8} {:>8} {:>8} {:>9} {:>7}",
            t.received,
            t.resolved,
            share,
            median,
            t.overdue_at_end
        );
    };
    line("all", &stats.all);
    for (category, t) in &stats.by_category {
        line(&format!("category {category}"), t);
    }
    for (district, t) in &stats.by_district {
        line(&format!("district {district}"), t);
    }
}

fn print_view(view: &GrievanceView, currency: Option<&str>) {
    let g = &view.grievance;
    let late = if view.overdue { ", OVERDUE" } else { "" };
    outln!(
        "grievance {} ({}, {} priority)",
        g.id,
        g.category,
        g.priority
    );
    outln!("  status     {} (due {}{late})", g.status, g.due_date);
    outln!(
        "  owner      {}",
        g.owner.as_deref().unwrap_or("nobody yet")
    );
    outln!(
        "  filed      {} by {} {} through {}, handled in {}",
        g.filed_on,
        g.filed_by,
        g.filer,
        g.channel,
        g.location_code
    );
    for (label, value) in [
        ("member", &g.member_id),
        ("family", &g.family_id),
        ("claim", &g.claim_id),
        ("facility", &g.provider_id),
    ] {
        if let Some(value) = value {
            outln!("  {label:<10} {value}");
        }
    }
    outln!("  what       {}", g.description);
    if !g.attachments.is_empty() {
        outln!("  documents  {}", g.attachments.join(", "));
    }
    if let (Some(kind), Some(text)) = (g.resolution_kind, &g.resolution) {
        outln!("  resolution {kind}: {text}");
    }
    if let Some(refund) = &view.refund {
        let taken =
            |payment: &Option<String>| payment.as_deref().unwrap_or("the next run").to_string();
        outln!(
            "  refund     {} ({}): to {} in {}, deducted from {} in {}",
            crate::explain::money(refund.amount, currency),
            refund.status,
            refund.member_id,
            taken(&refund.refund_payment),
            refund.provider_id,
            taken(&refund.deduction_payment)
        );
    }
    outln!("  steps:");
    for step in &view.steps {
        let note = step
            .note
            .as_deref()
            .map(|n| format!(": {n}"))
            .unwrap_or_default();
        outln!(
            "    {} {} {:<7} -> {:<11} by {}{note}",
            step.seq,
            step.day,
            step.step,
            step.status.as_str(),
            step.actor
        );
    }
}
