//! What the member pays and what the scheme adds: cost sharing and allowances (checks 7 and 8).

use super::checks::is_delivery;
use crate::claims::Claim;
use crate::claims::reasons::{Figure, Words, words};
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

/// Why the member pays `share` of a line: the words and the English sentence. A rule without
/// cost sharing puts no share on a line, so it has no sentence.
pub(super) fn share_sentence(
    rule: &CostSharing,
    provider: &Provider,
    share: Money,
) -> (Words, String) {
    let pays = ("share", Figure::Amount(share));
    let (words, rule) = match rule {
        CostSharing::None => unreachable!("no cost sharing puts no share on a line"),
        CostSharing::Fixed { amount } => (
            words("share_fixed", [pays, ("amount", Figure::Amount(*amount))]),
            format!("co-payment of {} per visit or stay", amount.grouped()),
        ),
        CostSharing::ByLevel { amounts } => {
            let amount = amounts.get(&provider.level).copied().unwrap_or_default();
            (
                words(
                    "share_by_level",
                    [
                        pays,
                        ("amount", Figure::Amount(amount)),
                        ("level", Figure::text(provider.level.as_str())),
                    ],
                ),
                format!(
                    "co-payment of {} at {} level",
                    amount.grouped(),
                    provider.level
                ),
            )
        }
        CostSharing::Percent { percent } => (
            words(
                "share_percent",
                [pays, ("percent", Figure::percent(percent.basis_points()))],
            ),
            format!(
                "co-payment of {}.{:02}%",
                percent.basis_points() / 100,
                percent.basis_points() % 100
            ),
        ),
        CostSharing::Deductible { amount } => (
            words(
                "share_deductible",
                [pays, ("amount", Figure::Amount(*amount))],
            ),
            format!("deductible of {} per coverage year", amount.grouped()),
        ),
    };
    (words, format!("member pays {}: {rule}", share.grouped()))
}

/// An allowance due: its kind, amount, words and English sentence.
pub(super) type AllowanceDue = (AllowanceKind, Money, Words, String);

/// Allowances due with a stay: for each kind, the highest one whose condition holds among the
/// categories the stay was paid under.
pub(super) fn allowances<'a>(
    claim: &Claim,
    member: &Member,
    patient_is_local: bool,
    categories: impl Iterator<Item = &'a BenefitCategory>,
) -> Vec<AllowanceDue> {
    let mut best: BTreeMap<AllowanceKind, AllowanceDue> = BTreeMap::new();
    let days = claim.length_of_stay().unwrap_or(1);
    for category in categories {
        for allowance in &category.allowances {
            let (holds, when, why) = match allowance.when {
                AllowanceCondition::Always => (true, "always", "every discharge"),
                AllowanceCondition::NonLocal => (
                    !patient_is_local,
                    "non_local",
                    "patient from outside the facility's district",
                ),
                AllowanceCondition::AfterDelivery => (
                    member.sex == Sex::Female && is_delivery(claim),
                    "after_delivery",
                    "woman discharged after a delivery",
                ),
            };
            if !holds {
                continue;
            }
            let (amount, basis, id) = match allowance.per {
                AllowanceUnit::Discharge => (
                    allowance.amount,
                    "per discharge".to_string(),
                    "allowance_per_discharge",
                ),
                AllowanceUnit::Day => (
                    Money::from_minor(allowance.amount.minor().saturating_mul(days)),
                    format!("{} a day for {days} days", allowance.amount.grouped()),
                    "allowance_per_day",
                ),
            };
            let words = words(
                id,
                [
                    ("kind", Figure::text(allowance.kind.as_str())),
                    ("amount", Figure::Amount(amount)),
                    ("daily", Figure::Amount(allowance.amount)),
                    ("days", Figure::Count(days)),
                    ("when", Figure::text(when)),
                    ("category", Figure::text(&category.name)),
                ],
            );
            let message = format!(
                "{} allowance of {} ({basis}; {why}; {})",
                allowance.kind.as_str(),
                amount.grouped(),
                category.name
            );
            if best
                .get(&allowance.kind)
                .is_none_or(|(_, a, ..)| amount > *a)
            {
                best.insert(allowance.kind, (allowance.kind, amount, words, message));
            }
        }
    }
    best.into_values().collect()
}
