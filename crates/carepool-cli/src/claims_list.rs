//! `carepool claims list`: the claims a district officer or a reviewer asks about each day.

use crate::output::outln;
use anyhow::Result;
use carepool_core::claims::ClaimStatus;
use carepool_core::registry::{Location, Provider, district_of};
use carepool_schema::Record;
use carepool_schema::claim_tables::{CLAIMS, ClaimRow, claims};
use carepool_schema::json::row_to_json;
use carepool_service::{Query, Registry};
use chrono::NaiveDate;
use clap::Args;
use std::collections::{HashMap, HashSet};

#[derive(Args)]
pub struct ListArgs {
    /// Only claims in this status: received, in_review, approved, partially_approved, rejected
    /// or paid.
    #[arg(long)]
    status: Option<String>,
    /// Only the claims of this facility (its code).
    #[arg(long)]
    provider: Option<String>,
    /// Only the claims of facilities in this district (its location code).
    #[arg(long)]
    district: Option<String>,
    /// Only care given on or after this date.
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Only care given on or before this date.
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Print JSON (one object per claim, in an array) instead of a table.
    #[arg(long)]
    json: bool,
}

pub async fn run(args: &ListArgs, registry: &Registry) -> Result<()> {
    let mut query = Query::<ClaimRow>::all_by_pages();
    if let Some(status) = &args.status {
        let status = ClaimStatus::parse("--status", status)
            .map_err(|error| anyhow::anyhow!("{}: {}", error.field, error.message))?;
        query = query.only(claims::STATUS, &status)?;
    }
    if let Some(provider) = &args.provider {
        query = query.only(claims::PROVIDER_ID, provider)?;
    }
    let in_district = match &args.district {
        Some(district) => Some(providers_in(registry, district).await?),
        None => None,
    };
    let mut listed: Vec<ClaimRow> = registry
        .matching(query, |claim: &ClaimRow| {
            in_district
                .as_ref()
                .is_none_or(|p| p.contains(&claim.provider_id))
                && args
                    .from
                    .is_none_or(|from| claim.incurred_date >= Some(from))
                && args
                    .to
                    .is_none_or(|to| claim.incurred_date.is_some_and(|date| date <= to))
        })
        .await?;
    listed.sort_by(|a, b| (a.received_date, &a.id).cmp(&(b.received_date, &b.id)));
    if args.json {
        // Each claim as the API lists it: every column, amounts as decimal strings.
        let json: Vec<serde_json::Value> = listed
            .iter()
            .map(|claim| row_to_json(&CLAIMS, &claim.to_row()))
            .collect();
        outln!("{}", serde_json::to_string_pretty(&json)?);
        return Ok(());
    }
    if listed.is_empty() {
        outln!("no claim matches");
        return Ok(());
    }
    // Columns as wide as their longest value: ids of a national scheme are long.
    let claim_width = listed.iter().map(|c| c.id.len()).max().unwrap_or(0).max(5);
    let member_width = listed
        .iter()
        .map(|c| c.member_id.len())
        .max()
        .unwrap_or(0)
        .max(6);
    outln!(
        "{:<claim_width$} {:<18} {:<member_width$} {:<10} {:<10} {:>14} {:>14}  reasons",
        "claim",
        "status",
        "member",
        "care",
        "received",
        "claimed",
        "approved"
    );
    for claim in &listed {
        outln!(
            "{:<claim_width$} {:<18} {:<member_width$} {:<10} {:<10} {:>14} {:>14}  {}",
            claim.id,
            claim.status.as_str(),
            claim.member_id,
            claim
                .incurred_date
                .map_or_else(|| "-".to_string(), |d| d.to_string()),
            claim.received_date,
            claim.claimed.grouped(),
            claim.approved.grouped(),
            distinct(&claim.reasons).join(", ")
        );
    }
    match registry.currency().await? {
        Some(currency) => outln!(
            "{} claim(s), amounts in {currency}",
            crate::output::count(listed.len() as u64)
        ),
        None => outln!("{} claim(s)", crate::output::count(listed.len() as u64)),
    }
    Ok(())
}

/// Each reason once, in the order first given: a code repeated line by line says no more.
fn distinct(reasons: &[String]) -> Vec<&str> {
    let mut seen = HashSet::new();
    reasons
        .iter()
        .map(String::as_str)
        .filter(|reason| seen.insert(*reason))
        .collect()
}

/// The codes of the facilities in `district`; an unknown district is an error, not an empty
/// list, so a typing slip is not read as "no claims".
async fn providers_in(registry: &Registry, district: &str) -> Result<HashSet<String>> {
    let locations: HashMap<String, Location> = registry
        .matching(Query::all_by_pages(), |_: &Location| true)
        .await?
        .into_iter()
        .map(|location| (location.code.clone(), location))
        .collect();
    if locations.get(district).is_none_or(|l| l.kind != "district") {
        anyhow::bail!("--district: no district '{district}' in the registry's locations");
    }
    let providers: Vec<Provider> = registry
        .matching(Query::all_by_pages(), |_: &Provider| true)
        .await?;
    Ok(providers
        .into_iter()
        .filter(|provider| district_of(&locations, &provider.location_code) == district)
        .map(|provider| provider.code)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reason_is_listed_once_in_the_order_given() {
        let reasons: Vec<String> = [
            "duplicate_claim",
            "cost_sharing",
            "above_tariff",
            "cost_sharing",
        ]
        .map(String::from)
        .into();
        assert_eq!(
            distinct(&reasons),
            ["duplicate_claim", "cost_sharing", "above_tariff"]
        );
    }
}
