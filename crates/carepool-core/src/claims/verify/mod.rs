//! Verification of one claim against the rules in force on its date of service
//! (docs/DOMAIN.md §2, checks 1–8). [`adjudicate`] is pure: the same claim, context and ledger
//! always give the same decision.
//!
//! Order of work on each line: the line's own checks (service in the package, level, category,
//! sex, age, waiting period, frequency) refuse it whole; the price is cut to tariff; the member's
//! share is taken under the category's cost sharing (none for an exempt group); what is left is
//! approved up to what remains of the category's annual limit, and the rest is cut.

mod checks;
pub(crate) use checks::PREGNANCY_CODES;
mod cover;
mod sharing;

pub use cover::{CategoryLeft, CoverStatus, cover_status};

use super::reasons::{Effect, Figure, Reason, ReasonCode as R, words};
use super::review;
use super::usage::{Ledger, Usage, UsageKey};
use super::{Amounts, Claim, ClaimLine, ClaimStatus, Setting};
use crate::money::Money;
use crate::registry::{Member, Provider};
use crate::scheme::{AllowanceKind, BenefitCategory, ExemptGroup, SchemeDefinition};
use crate::standing::FamilyRecord;
use checks::{InForce, LineCheck};
use chrono::NaiveDate;
use serde::Serialize;

/// Everything the rules need besides the claim itself.
pub struct ClaimContext<'a> {
    /// Every version of the member's scheme, in any order.
    pub versions: &'a [SchemeDefinition],
    /// The member and their family; none when the member id is unknown.
    pub member: Option<&'a Member>,
    pub family: Option<FamilyRecord<'a>>,
    /// None when the facility id is unknown.
    pub provider: Option<&'a Provider>,
    /// The patient's family lives in the facility's district.
    pub patient_is_local: bool,
    /// The member's other claims (the one being judged may be among them; it is skipped).
    pub history: &'a [PriorClaim],
}

/// What an earlier claim of the same member tells the rules: its identity and dates for duplicates,
/// and the services approved on it for frequency limits.
#[derive(Debug, Clone, PartialEq)]
pub struct PriorClaim {
    pub id: String,
    pub provider_id: String,
    pub claim_number: String,
    pub incurred_date: NaiveDate,
    pub discharge_date: Option<NaiveDate>,
    pub received_date: NaiveDate,
    pub status: ClaimStatus,
    pub approved_services: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LineDecision {
    pub amounts: Amounts,
    /// The benefit category the line was judged under, when the service is in the package.
    pub benefit_category: Option<String>,
    /// The tariff's price for one unit at the facility's level.
    pub tariff_price: Option<Money>,
}

impl LineDecision {
    /// A line as claimed, before any decision.
    pub fn unjudged(line: &ClaimLine) -> LineDecision {
        LineDecision {
            amounts: Amounts {
                claimed: line.claimed(),
                ..Amounts::default()
            },
            benefit_category: None,
            tariff_price: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Decision {
    pub status: ClaimStatus,
    pub amounts: Amounts,
    /// Allowances paid to the patient (transport, food), on top of the approved amount.
    pub allowance: Money,
    pub lines: Vec<LineDecision>,
    /// Reasons on the claim and on its lines, claim reasons first, then by line.
    pub reasons: Vec<Reason>,
    /// The effective date of the scheme version that judged the claim, and the member's package.
    pub scheme_version: Option<NaiveDate>,
    pub package: Option<String>,
    pub coverage_year_start: Option<NaiveDate>,
    /// What the decision adds to the ledger of limits and deductibles.
    pub usage: Vec<(UsageKey, Usage)>,
}

/// Judges a claim. `ledger` holds what each family and member used before this claim.
pub fn adjudicate(claim: &Claim, context: &ClaimContext, ledger: &Ledger) -> Decision {
    let mut reasons = checks::claim_problems(claim, context);

    // The rules in force, the package and the coverage year, when the claim gets that far.
    let mut in_force = None;
    if reasons.is_empty()
        && let (Some(member), Some(family), Some(provider), Some(date)) = (
            context.member,
            &context.family,
            context.provider,
            claim.incurred_date(),
        )
    {
        match checks::cover_and_package(context.versions, member, family, date) {
            Ok(found) => in_force = Some((found, member, family, provider, date)),
            Err(reason) => reasons.push(reason.with_amount(claim.claimed())),
        }
    }
    let Some((found, member, family, provider, date)) = in_force else {
        return rejected_whole(claim, reasons);
    };

    let mut lines: Vec<LineDecision> = claim.lines.iter().map(LineDecision::unjudged).collect();
    let mut line_reasons = Vec::new();
    // Allowed (after tariff) per line, grouped by category in order of first appearance.
    let mut groups: Vec<(&BenefitCategory, Vec<(usize, Money)>)> = Vec::new();
    let mut frequency_used: Vec<&str> = Vec::new();
    let check = LineCheck {
        claim,
        member,
        provider,
        date,
        found: &found,
        history: context.history,
    };
    for (index, line) in claim.lines.iter().enumerate() {
        let number = index as u32 + 1;
        let decided = &mut lines[index];
        let (item, category) = match check.admit(line, &frequency_used) {
            Ok(admitted) => admitted,
            Err((code, words, message)) => {
                decided.amounts.rejected = decided.amounts.claimed;
                line_reasons.push(
                    Reason::line(code, number, words, message).with_amount(decided.amounts.claimed),
                );
                continue;
            }
        };
        decided.benefit_category = Some(category.code.clone());
        decided.tariff_price = Some(item.price);
        if item.once_per_months.is_some() {
            frequency_used.push(checks::frequency_group(item));
        }

        let tariff_total = Money::from_minor(item.price.minor().saturating_mul(line.quantity));
        let allowed = decided.amounts.claimed.min(tariff_total);
        let cut = decided.amounts.claimed - allowed;
        if cut > Money::ZERO {
            decided.amounts.rejected = cut;
            line_reasons.push(
                Reason::line(
                    R::AboveTariff,
                    number,
                    words(
                        "above_tariff",
                        [
                            ("cut", Figure::Amount(cut)),
                            ("service", Figure::text(&line.service_code)),
                            ("level", Figure::text(provider.level.as_str())),
                            ("quantity", Figure::Count(line.quantity)),
                            ("price", Figure::Amount(line.unit_price)),
                            ("tariff", Figure::Amount(item.price)),
                        ],
                    ),
                    format!(
                        "cut by {}: above tariff for service {} at level {} ({} × {} claimed, tariff {} each)",
                        cut.grouped(),
                        line.service_code,
                        provider.level,
                        line.quantity,
                        line.unit_price.grouped(),
                        item.price.grouped()
                    ),
                )
                .with_amount(cut),
            );
        }
        match groups.iter_mut().find(|(c, _)| c.code == category.code) {
            Some((_, members)) => members.push((index, allowed)),
            None => groups.push((category, vec![(index, allowed)])),
        }
    }

    let category_rules = CategoryRules {
        claim,
        member,
        family,
        provider,
        date,
        found: &found,
        ledger,
    };
    let mut usage = Vec::new();
    let mut exempt_groups_met = Vec::new();
    for (category, group_lines) in &groups {
        let exempt = category_rules.exempt_as(category);
        exempt_groups_met.extend(exempt);
        let shares = category_rules.member_shares(
            category,
            group_lines,
            exempt,
            &mut lines,
            &mut line_reasons,
            &mut usage,
        );
        category_rules.apply_limit(
            category,
            group_lines,
            &shares,
            &mut lines,
            &mut line_reasons,
            &mut usage,
        );
    }

    let amounts: Amounts = lines.iter().map(|l| l.amounts).sum();
    let mut status =
        ClaimStatus::from_amounts(amounts.approved, amounts.member_share, amounts.rejected);

    // Allowances for a stay that is paid at least in part.
    let mut allowance = Money::ZERO;
    if status != ClaimStatus::Rejected && claim.setting() == Setting::Inpatient {
        let paid_categories = groups.iter().map(|(c, _)| *c);
        for (kind, amount, words, why) in
            sharing::allowances(claim, member, context.patient_is_local, paid_categories)
        {
            allowance += amount;
            let code = match kind {
                AllowanceKind::Transport => R::TransportAllowance,
                AllowanceKind::Food => R::FoodAllowance,
            };
            reasons.push(Reason::claim(code, words, why).with_amount(amount));
        }
    }

    // Co-payments collected beyond the official share.
    if claim.copay_collected > amounts.member_share {
        let collected = ("collected", Figure::Amount(claim.copay_collected));
        let official = ("official", Figure::Amount(amounts.member_share));
        let (code, words, message) = match exempt_groups_met.first() {
            Some(group) => (
                R::ExemptCharged,
                words(
                    "exempt_charged",
                    [collected, ("group", Figure::text(group.as_str())), official],
                ),
                format!(
                    "the facility collected {} from a member exempt from cost sharing ({}); the official share is {}",
                    claim.copay_collected.grouped(),
                    checks::exempt_group_name(*group),
                    amounts.member_share.grouped()
                ),
            ),
            None => (
                R::CopayAboveOfficial,
                words("copay_above_official", [collected, official]),
                format!(
                    "the facility collected {}, above the official co-payment of {}",
                    claim.copay_collected.grouped(),
                    amounts.member_share.grouped()
                ),
            ),
        };
        reasons.push(Reason::claim(code, words, message).with_amount(claim.copay_collected));
    }

    // A probable duplicate is held even when the limit cut it to nothing (its first claim may be
    // what used the limit up: paid twice for one stay once the limit resets or is raised); a
    // claim or line refused outright is not.
    let refused_outright = reasons
        .iter()
        .chain(&line_reasons)
        .any(|r| r.code.effect() == Effect::Reject);
    if status != ClaimStatus::Rejected || !refused_outright {
        let mut held = checks::duplicate_of(claim, context.history)
            .map(|prior| {
                vec![Reason::claim(
                    R::DuplicateClaim,
                    words(
                        "duplicate_claim",
                        [
                            ("claim", Figure::text(&prior.id)),
                            ("received", Figure::Date(prior.received_date)),
                        ],
                    ),
                    format!(
                        "probable duplicate of claim {} (same member, facility and dates, received {})",
                        prior.id, prior.received_date
                    ),
                )]
            })
            .unwrap_or_default();
        if status != ClaimStatus::Rejected {
            held.extend(review::selection(
                claim,
                amounts.claimed,
                &found.scheme.review,
            ));
        }
        if !held.is_empty() {
            status = ClaimStatus::InReview;
            reasons.extend(held);
        }
    }

    reasons.extend(line_reasons.iter().filter(|r| r.line.is_none()).cloned());
    let mut by_line: Vec<Reason> = line_reasons
        .into_iter()
        .filter(|r| r.line.is_some())
        .collect();
    by_line.sort_by_key(|r| r.line);
    reasons.extend(by_line);

    Decision {
        status,
        amounts,
        allowance,
        lines,
        reasons,
        scheme_version: Some(found.scheme.effective_from),
        package: Some(found.package.code.clone()),
        coverage_year_start: Some(found.year_start),
        usage,
    }
}

/// Checks 6 and 7 for the lines of one benefit category: the member's share, then what is left
/// of the annual limit.
struct CategoryRules<'a> {
    claim: &'a Claim,
    member: &'a Member,
    family: &'a FamilyRecord<'a>,
    provider: &'a Provider,
    date: NaiveDate,
    found: &'a InForce<'a>,
    ledger: &'a Ledger,
}

impl CategoryRules<'_> {
    /// The first of the category's exempt groups the patient belongs to.
    fn exempt_as(&self, category: &BenefitCategory) -> Option<ExemptGroup> {
        category.exempt.iter().copied().find(|group| {
            checks::in_exempt_group(
                *group,
                self.claim,
                self.member,
                self.family,
                self.found.scheme,
                self.date,
            )
        })
    }

    /// Sets each line's member share and returns the shares, line by line.
    fn member_shares(
        &self,
        category: &BenefitCategory,
        group_lines: &[(usize, Money)],
        exempt: Option<ExemptGroup>,
        lines: &mut [LineDecision],
        reasons: &mut Vec<Reason>,
        usage: &mut Vec<(UsageKey, Usage)>,
    ) -> Vec<Money> {
        let shares = match exempt {
            Some(group) => {
                // Noted even where the category shares no cost: a facility that charges the
                // member anyway is then judged against every exempt member's claims.
                reasons.push(Reason::claim(
                    R::Exempt,
                    words(
                        "exempt",
                        [
                            ("category", Figure::text(&category.name)),
                            ("group", Figure::text(group.as_str())),
                        ],
                    ),
                    format!(
                        "no cost sharing for {}: the member is exempt ({})",
                        category.name,
                        checks::exempt_group_name(group)
                    ),
                ));
                vec![Money::ZERO; group_lines.len()]
            }
            None => {
                let key = UsageKey::member(
                    &self.family.family.id,
                    &self.member.id,
                    &category.code,
                    self.found.year_start,
                );
                let allowed_total: Money = group_lines.iter().map(|(_, a)| *a).sum();
                let (shares, deductible) = sharing::member_shares(
                    &category.cost_sharing,
                    group_lines,
                    allowed_total,
                    self.provider,
                    self.ledger.get(&key).deductible_used,
                );
                if deductible > Money::ZERO {
                    usage.push((
                        key,
                        Usage {
                            deductible_used: deductible,
                            ..Usage::default()
                        },
                    ));
                }
                shares
            }
        };
        for ((index, _), share) in group_lines.iter().zip(&shares) {
            if *share > Money::ZERO {
                lines[*index].amounts.member_share = *share;
                let (words, message) =
                    sharing::share_sentence(&category.cost_sharing, self.provider, *share);
                reasons.push(
                    Reason::line(R::CostSharing, *index as u32 + 1, words, message)
                        .with_amount(*share),
                );
            }
        }
        shares
    }

    /// Approves what is left of each line after the member's share, up to what remains of the
    /// category's annual limit (raised for a limit-raising case); cuts the rest.
    fn apply_limit(
        &self,
        category: &BenefitCategory,
        group_lines: &[(usize, Money)],
        shares: &[Money],
        lines: &mut [LineDecision],
        reasons: &mut Vec<Reason>,
        usage: &mut Vec<(UsageKey, Usage)>,
    ) {
        let scheme_parts = group_lines
            .iter()
            .zip(shares)
            .map(|((index, allowed), share)| (*index, *allowed - *share));
        let Some(limit) = &category.limit else {
            for (index, part) in scheme_parts {
                lines[index].amounts.approved = part;
            }
            return;
        };
        let key = UsageKey::limit(
            limit.per,
            &self.family.family.id,
            &self.member.id,
            &category.code,
            self.found.year_start,
        );
        let used = self.ledger.get(&key).used;
        let raising = category
            .limit_raising
            .iter()
            .find(|r| self.claim.limit_raising_case.as_deref() == Some(r.case.as_str()));
        let ceiling = raising.map_or(limit.amount, |r| r.up_to);
        let room_before = (ceiling - used).max(Money::ZERO);
        let mut room = room_before;
        let mut approved_in_category = Money::ZERO;
        for (index, part) in scheme_parts {
            let approved = part.min(room);
            room -= approved;
            approved_in_category += approved;
            let cut = part - approved;
            let line = &mut lines[index].amounts;
            line.approved = approved;
            line.rejected += cut;
            if cut > Money::ZERO {
                let limit_figures = [
                    ("cut", Figure::Amount(cut)),
                    ("per", Figure::text(limit.per.as_str())),
                    ("category", Figure::text(&category.name)),
                    ("limit", Figure::Amount(limit.amount)),
                    ("year", Figure::Date(self.found.year_start)),
                    ("left", Figure::Amount(room_before)),
                ];
                let words = match raising {
                    None => words("annual_limit", limit_figures),
                    Some(r) => words(
                        "annual_limit_raised",
                        limit_figures.into_iter().chain([
                            ("raised", Figure::Amount(r.up_to)),
                            ("case", Figure::text(&r.case)),
                        ]),
                    ),
                };
                reasons.push(
                    Reason::line(
                        R::AnnualLimit,
                        index as u32 + 1,
                        words,
                        format!(
                            "cut by {}: {} limit for {} ({} per coverage year from {}{}) reached; {} was left",
                            cut.grouped(),
                            limit.per.as_str(),
                            category.name,
                            limit.amount.grouped(),
                            self.found.year_start,
                            raising.map_or(String::new(), |r| format!(
                                ", raised to {} for {}",
                                r.up_to.grouped(),
                                r.case
                            )),
                            room_before.grouped()
                        ),
                    )
                    .with_amount(cut),
                );
            }
        }
        let raised = raising.is_some() && used + approved_in_category > limit.amount;
        if raised {
            let above = used + approved_in_category - limit.amount.max(used);
            let case = self.claim.limit_raising_case.as_deref().unwrap_or_default();
            reasons.push(Reason::claim(
                R::LimitRaised,
                words(
                    "limit_raised",
                    [
                        ("above", Figure::Amount(above)),
                        ("category", Figure::text(&category.name)),
                        ("limit", Figure::Amount(limit.amount)),
                        ("case", Figure::text(case)),
                    ],
                ),
                format!(
                    "{} above the {} limit of {} under the limit-raising case {}",
                    above.grouped(),
                    category.name,
                    limit.amount.grouped(),
                    self.claim.limit_raising_case.as_deref().unwrap_or_default()
                ),
            ));
        }
        if approved_in_category > Money::ZERO || raised {
            usage.push((
                key,
                Usage {
                    used: approved_in_category,
                    raised: i64::from(raised),
                    ..Usage::default()
                },
            ));
        }
    }
}

/// Every line refused whole for the claim-level reasons given.
fn rejected_whole(claim: &Claim, reasons: Vec<Reason>) -> Decision {
    let lines: Vec<LineDecision> = claim
        .lines
        .iter()
        .map(|line| {
            let mut refused = LineDecision::unjudged(line);
            refused.amounts.rejected = refused.amounts.claimed;
            refused
        })
        .collect();
    Decision {
        status: ClaimStatus::Rejected,
        amounts: lines.iter().map(|l| l.amounts).sum(),
        allowance: Money::ZERO,
        lines,
        reasons,
        scheme_version: None,
        package: None,
        coverage_year_start: None,
        usage: vec![],
    }
}

#[cfg(test)]
mod tests;
