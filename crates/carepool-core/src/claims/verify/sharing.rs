//! What the member pays and what the scheme adds: cost sharing and allowances (checks 7 and 8).

use super::checks::is_delivery;
use crate::claims::Claim;
use crate::money::Money;
use crate::registry::{Member, Provider, Sex};
use crate::scheme::{
    AllowanceCondition, AllowanceKind, AllowanceUnit, BenefitCategory, CostSharing,
};
use std::collections::BTreeMap;

/// The member's share of each line under one category's cost sharing, and how much of it goes
/// toward the deductible. Fixed amounts fall on the lines in order.
pub(super) fn member_shares(
    rule: &CostSharing,
    lines: &[(usize, Money)],
    allowed_total: Money,
    provider: &Provider,
    deductible_used: Money,
) -> (Vec<Money>, Money) {
    let spread = |total: Money| {
        let mut left = total.min(allowed_total).max(Money::ZERO);
        lines
            .iter()
            .map(|(_, allowed)| {
                let share = (*allowed).min(left);
                left -= share;
                share
            })
            .collect::<Vec<_>>()
    };
    match rule {
        CostSharing::None => (vec![Money::ZERO; lines.len()], Money::ZERO),
        CostSharing::Fixed { amount } => (spread(*amount), Money::ZERO),
        CostSharing::ByLevel { amounts } => (
            spread(amounts.get(&provider.level).copied().unwrap_or_default()),
            Money::ZERO,
        ),
        CostSharing::Percent { percent } => (
            lines
                .iter()
                .map(|(_, allowed)| allowed.percent(i64::from(percent.basis_points())))
                .collect(),
            Money::ZERO,
        ),
        CostSharing::Deductible { amount } => {
            let left = (*amount - deductible_used).max(Money::ZERO);
            let shares = spread(left);
            let total = shares.iter().copied().sum();
            (shares, total)
        }
    }
}

pub(super) fn describe_cost_sharing(rule: &CostSharing, provider: &Provider) -> String {
    match rule {
        CostSharing::None => "no cost sharing".into(),
        CostSharing::Fixed { amount } => {
            format!("co-payment of {} per visit or stay", amount.grouped())
        }
        CostSharing::ByLevel { amounts } => format!(
            "co-payment of {} at {} level",
            amounts
                .get(&provider.level)
                .copied()
                .unwrap_or_default()
                .grouped(),
            provider.level
        ),
        CostSharing::Percent { percent } => format!(
            "co-payment of {}.{:02}%",
            percent.basis_points() / 100,
            percent.basis_points() % 100
        ),
        CostSharing::Deductible { amount } => {
            format!("deductible of {} per coverage year", amount.grouped())
        }
    }
}

/// Allowances due with a stay: for each kind, the highest one whose condition holds among the
/// categories the stay was paid under.
pub(super) fn allowances<'a>(
    claim: &Claim,
    member: &Member,
    patient_is_local: bool,
    categories: impl Iterator<Item = &'a BenefitCategory>,
) -> Vec<(AllowanceKind, Money, String)> {
    let mut best: BTreeMap<AllowanceKind, (Money, String)> = BTreeMap::new();
    let days = claim.length_of_stay().unwrap_or(1);
    for category in categories {
        for allowance in &category.allowances {
            let (holds, why) = match allowance.when {
                AllowanceCondition::Always => (true, "every discharge"),
                AllowanceCondition::NonLocal => (
                    !patient_is_local,
                    "patient from outside the facility's district",
                ),
                AllowanceCondition::AfterDelivery => (
                    member.sex == Sex::Female && is_delivery(claim),
                    "woman discharged after a delivery",
                ),
            };
            if !holds {
                continue;
            }
            let (amount, basis) = match allowance.per {
                AllowanceUnit::Discharge => (allowance.amount, "per discharge".to_string()),
                AllowanceUnit::Day => (
                    Money::from_minor(allowance.amount.minor().saturating_mul(days)),
                    format!("{} a day for {days} days", allowance.amount.grouped()),
                ),
            };
            let message = format!(
                "{} allowance of {} ({basis}; {why}; {})",
                allowance.kind.as_str(),
                amount.grouped(),
                category.name
            );
            if best.get(&allowance.kind).is_none_or(|(a, _)| amount > *a) {
                best.insert(allowance.kind, (amount, message));
            }
        }
    }
    best.into_iter()
        .map(|(kind, (amount, message))| (kind, amount, message))
        .collect()
}
