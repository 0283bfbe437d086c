//! `carepool members --name TEXT`: finding a member as an officer at a desk does, by a part of
//! the name, whatever the accents or the case.

use crate::output::outln;
use anyhow::{Result, bail};
use carepool_core::names::name_matches;
use carepool_core::registry::Member;
use carepool_service::{Query, Registry};
use clap::Args;

#[derive(Args)]
pub struct MembersArgs {
    /// A part of the name: accents, case and spacing do not matter (ouedraogo finds Ouédraogo).
    #[arg(long)]
    name: String,
    /// Print JSON (an array of members) instead of a table.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: &MembersArgs, registry: &Registry) -> Result<()> {
    if args.name.trim().is_empty() {
        bail!("--name: give a part of the name to look for");
    }
    let found: Vec<Member> = registry
        .matching(Query::all_by_pages(), |member: &Member| {
            name_matches(&args.name, &member.name)
        })
        .await?;
    if args.json {
        outln!("{}", serde_json::to_string_pretty(&found)?);
        return Ok(());
    }
    if found.is_empty() {
        outln!("no member's name holds '{}'", args.name);
        return Ok(());
    }
    outln!(
        "{:<12} {:<32} {:<12} {:<4} {:<10} status",
        "member",
        "name",
        "family",
        "sex",
        "born"
    );
    for member in &found {
        outln!(
            "{:<12} {:<32} {:<12} {:<4} {:<10} {} since {}",
            member.id,
            member.name,
            member.family_id,
            member.sex.as_str(),
            member.birth_date,
            member.status.as_str(),
            member.status_since
        );
    }
    outln!("{} member(s)", found.len());
    Ok(())
}
