//! Verification of one claim against the rules in force on its date of service (domain.md §2,
//! "Claims", checks 1–8). [`adjudicate`] is pure: the same claim, context and ledger always give
//! the same decision.
//!
//! Order of work on each line: the line's own checks (service in the package, level, category,
//! sex, age, waiting period, frequency) refuse it whole; the price is cut to tariff; the member's
//! share is taken under the category's cost sharing (none for an exempt group); what is left is
//! approved up to what remains of the category's annual limit, and the rest is cut.

use super::reasons::{Reason, ReasonCode as R};
use super::review;
use super::usage::{Ledger, Usage, UsageKey, cover_on, coverage_year_start};
use super::{Amounts, Claim, ClaimStatus, Setting};
use crate::dates::{add_months, age_on};
use crate::money::Money;
use crate::registry::{Coverage, Member, MemberStatus, Provider, Sex};
use crate::scheme::{
    AllowanceCondition, AllowanceKind, AllowanceUnit, BenefitCategory, BenefitPackage, CareSetting,
    CostSharing, ExemptGroup, LimitUnit, SchemeDefinition, TariffItem, version_in_force,
};
use crate::standing::{FamilyRecord, family_standing};
use chrono::{Days, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;

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
    let mut reasons = claim_problems(claim, context);
    let incurred = claim.incurred_date();
    let setting = claim.setting();

    // The rules in force, the package and the coverage year, when the claim gets that far.
    let mut in_force = None;
    if reasons.is_empty()
        && let (Some(member), Some(family), Some(provider), Some(date)) =
            (context.member, &context.family, context.provider, incurred)
    {
        match cover_and_package(claim.claimed(), context.versions, member, family, date) {
            Ok(found) => in_force = Some((found, member, family, provider, date)),
            Err(reason) => reasons.push(reason),
        }
    }

    let Some((found, member, family, provider, date)) = in_force else {
        return rejected_whole(claim, reasons);
    };
    let InForce {
        scheme,
        package,
        cover_since,
        year_start,
    } = found;

    let mut lines: Vec<LineDecision> = claim
        .lines
        .iter()
        .map(|line| LineDecision {
            amounts: Amounts {
                claimed: line.claimed(),
                ..Amounts::default()
            },
            benefit_category: None,
            tariff_price: None,
        })
        .collect();
    let mut line_reasons = Vec::new();
    // Allowed (after tariff) per line, grouped by category in order of first appearance.
    let mut groups: Vec<(&BenefitCategory, Vec<(usize, Money)>)> = Vec::new();
    let mut frequency_used: Vec<&str> = Vec::new();

    for (index, line) in claim.lines.iter().enumerate() {
        let number = index as u32 + 1;
        let decided = &mut lines[index];
        let refuse = |code: R, message: String| Reason::line(code, number, message);
        if line.quantity < 1 || line.unit_price <= Money::ZERO {
            decided.amounts.rejected = decided.amounts.claimed;
            line_reasons.push(
                refuse(
                    R::MalformedAmounts,
                    format!(
                        "quantity {} at {} each: a line needs a quantity of at least 1 and a positive price",
                        line.quantity,
                        line.unit_price.grouped()
                    ),
                )
                .with_amount(decided.amounts.rejected),
            );
            continue;
        }
        let item = match tariff_item(package, &line.service_code, provider) {
            Ok(item) => item,
            Err(reason) => {
                decided.amounts.rejected = decided.amounts.claimed;
                line_reasons.push(
                    Reason {
                        line: Some(number),
                        ..reason
                    }
                    .with_amount(decided.amounts.claimed),
                );
                continue;
            }
        };
        let category = package
            .categories
            .iter()
            .find(|c| c.code == item.benefit_category)
            .expect("a validated scheme prices only its own categories");
        decided.benefit_category = Some(category.code.clone());
        decided.tariff_price = Some(item.price);

        let refusal = line_refusal(
            claim,
            item,
            category,
            scheme,
            member,
            date,
            setting,
            cover_since,
            context.history,
            &frequency_used,
            package,
        );
        if let Some((code, message)) = refusal {
            decided.amounts.rejected = decided.amounts.claimed;
            line_reasons.push(refuse(code, message).with_amount(decided.amounts.claimed));
            continue;
        }
        if item.once_per_months.is_some() {
            frequency_used.push(frequency_group(item));
        }

        let tariff_total = Money::from_minor(item.price.minor().saturating_mul(line.quantity));
        let allowed = decided.amounts.claimed.min(tariff_total);
        let cut = decided.amounts.claimed - allowed;
        if cut > Money::ZERO {
            decided.amounts.rejected = cut;
            line_reasons.push(
                refuse(
                    R::AboveTariff,
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

    let exempt_as = |category: &BenefitCategory| {
        category
            .exempt
            .iter()
            .copied()
            .find(|group| in_exempt_group(*group, claim, member, family, scheme, date))
    };
    let mut usage = Vec::new();
    let mut exempt_groups_met = Vec::new();
    for (category, group_lines) in &groups {
        let allowed_total: Money = group_lines.iter().map(|(_, a)| *a).sum();
        let member_key = UsageKey {
            family_id: family.family.id.clone(),
            member_id: member.id.clone(),
            category: category.code.clone(),
            year_start,
        };

        // Cost sharing, then the limit.
        let shares: Vec<Money> = match exempt_as(category) {
            Some(group) => {
                exempt_groups_met.push(group);
                if category.cost_sharing != CostSharing::None {
                    line_reasons.push(Reason::claim(
                        R::Exempt,
                        format!(
                            "no cost sharing for {}: the member is exempt ({})",
                            category.name,
                            exempt_group_name(group)
                        ),
                    ));
                }
                vec![Money::ZERO; group_lines.len()]
            }
            None => {
                let (shares, deductible) = member_shares(
                    &category.cost_sharing,
                    group_lines,
                    allowed_total,
                    provider,
                    ledger.get(&member_key).deductible_used,
                );
                if deductible > Money::ZERO {
                    usage.push((
                        member_key.clone(),
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
                line_reasons.push(
                    Reason::line(
                        R::CostSharing,
                        *index as u32 + 1,
                        format!(
                            "member pays {}: {}",
                            share.grouped(),
                            describe_cost_sharing(&category.cost_sharing, provider)
                        ),
                    )
                    .with_amount(*share),
                );
            }
        }

        let scheme_parts: Vec<Money> = group_lines
            .iter()
            .zip(&shares)
            .map(|((_, allowed), share)| *allowed - *share)
            .collect();
        let wanted: Money = scheme_parts.iter().copied().sum();
        let mut approved_in_category = Money::ZERO;
        match &category.limit {
            None => {
                for ((index, _), part) in group_lines.iter().zip(&scheme_parts) {
                    lines[*index].amounts.approved = *part;
                    approved_in_category += *part;
                }
            }
            Some(limit) => {
                let limit_key = UsageKey {
                    member_id: match limit.per {
                        LimitUnit::Family => String::new(),
                        LimitUnit::Member => member.id.clone(),
                    },
                    ..member_key.clone()
                };
                let used = ledger.get(&limit_key).used;
                let raising = category
                    .limit_raising
                    .iter()
                    .find(|r| claim.limit_raising_case.as_deref() == Some(r.case.as_str()));
                let ceiling = raising.map_or(limit.amount, |r| r.up_to);
                let mut room = (ceiling - used).max(Money::ZERO);
                let room_before = room;
                for ((index, _), part) in group_lines.iter().zip(&scheme_parts) {
                    let approved = (*part).min(room);
                    room -= approved;
                    approved_in_category += approved;
                    let cut = *part - approved;
                    let line = &mut lines[*index].amounts;
                    line.approved = approved;
                    line.rejected += cut;
                    if cut > Money::ZERO {
                        line_reasons.push(
                            Reason::line(
                                R::AnnualLimit,
                                *index as u32 + 1,
                                format!(
                                    "cut by {}: {} limit for {} ({} per coverage year from {}{}) reached; {} was left",
                                    cut.grouped(),
                                    match limit.per {
                                        LimitUnit::Family => "family",
                                        LimitUnit::Member => "member",
                                    },
                                    category.name,
                                    limit.amount.grouped(),
                                    year_start,
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
                    line_reasons.push(Reason::claim(
                        R::LimitRaised,
                        format!(
                            "{} above the {} limit of {} under the limit-raising case {}",
                            (used + approved_in_category - limit.amount.max(used)).grouped(),
                            category.name,
                            limit.amount.grouped(),
                            claim.limit_raising_case.as_deref().unwrap_or_default()
                        ),
                    ));
                }
                if approved_in_category > Money::ZERO || raised {
                    usage.push((
                        limit_key,
                        Usage {
                            used: approved_in_category,
                            raised: i64::from(raised),
                            ..Usage::default()
                        },
                    ));
                }
            }
        }
        debug_assert!(wanted >= approved_in_category);
    }

    let mut amounts = Amounts::default();
    for line in &lines {
        amounts += line.amounts;
    }
    let mut status =
        ClaimStatus::from_amounts(amounts.approved, amounts.member_share, amounts.rejected);

    // Allowances for a stay that is paid at least in part.
    let mut allowance = Money::ZERO;
    if status != ClaimStatus::Rejected && setting == Setting::Inpatient {
        let paid_categories = groups.iter().map(|(c, _)| *c);
        for (kind, amount, why) in
            allowances(claim, member, context.patient_is_local, paid_categories)
        {
            allowance += amount;
            let code = match kind {
                AllowanceKind::Transport => R::TransportAllowance,
                AllowanceKind::Food => R::FoodAllowance,
            };
            reasons.push(Reason::claim(code, why).with_amount(amount));
        }
    }

    // Co-payments collected beyond the official share.
    if claim.copay_collected > amounts.member_share {
        let (code, message) = match exempt_groups_met.first() {
            Some(group) => (
                R::ExemptCharged,
                format!(
                    "the facility collected {} from a member exempt from cost sharing ({}); the official share is {}",
                    claim.copay_collected.grouped(),
                    exempt_group_name(*group),
                    amounts.member_share.grouped()
                ),
            ),
            None => (
                R::CopayAboveOfficial,
                format!(
                    "the facility collected {}, above the official co-payment of {}",
                    claim.copay_collected.grouped(),
                    amounts.member_share.grouped()
                ),
            ),
        };
        reasons.push(Reason::claim(code, message).with_amount(claim.copay_collected));
    }

    if status != ClaimStatus::Rejected {
        let mut held = duplicate_of(claim, context.history)
            .map(|prior| {
                vec![Reason::claim(
                    R::DuplicateClaim,
                    format!(
                        "probable duplicate of claim {} (same member, facility and dates, received {})",
                        prior.id, prior.received_date
                    ),
                )]
            })
            .unwrap_or_default();
        held.extend(review::selection(claim, amounts.claimed, &scheme.review));
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
        scheme_version: Some(scheme.effective_from),
        package: Some(package.code.clone()),
        coverage_year_start: Some(year_start),
        usage,
    }
}

/// Whether a member is covered on a date, and what is left of each annual limit: what a
/// facility asks before admitting a patient.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CoverStatus {
    pub member_id: String,
    pub date: NaiveDate,
    pub covered: bool,
    /// Why not, when not covered.
    pub reasons: Vec<Reason>,
    pub package: Option<String>,
    pub coverage_year_start: Option<NaiveDate>,
    pub categories: Vec<CategoryLeft>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CategoryLeft {
    pub category: String,
    pub name: String,
    /// The annual limit, per family or member; none for an unlimited category.
    pub limit: Option<Money>,
    pub per: Option<LimitUnit>,
    pub used: Money,
    pub left: Option<Money>,
    /// Still in its waiting period until this day.
    pub waiting_until: Option<NaiveDate>,
}

/// The member's cover on `date`, from the same rules as [`adjudicate`].
pub fn cover_status(
    versions: &[SchemeDefinition],
    member: &Member,
    family: &FamilyRecord,
    date: NaiveDate,
    ledger: &Ledger,
) -> CoverStatus {
    let mut status = CoverStatus {
        member_id: member.id.clone(),
        date,
        covered: false,
        reasons: vec![],
        package: None,
        coverage_year_start: None,
        categories: vec![],
    };
    if let Some(problem) = member_problem(member, date) {
        status.reasons.push(problem);
        return status;
    }
    let found = match cover_and_package(Money::ZERO, versions, member, family, date) {
        Ok(found) => found,
        Err(reason) => {
            status.reasons.push(Reason {
                amount: None,
                ..reason
            });
            return status;
        }
    };
    status.covered = true;
    status.package = Some(found.package.code.clone());
    status.coverage_year_start = Some(found.year_start);
    for category in &found.package.categories {
        let waiting_until = found
            .scheme
            .coverage
            .waiting_periods
            .iter()
            .find(|w| w.benefit_category == category.code)
            .map(|w| found.cover_since + Days::new(u64::from(w.days)))
            .filter(|until| date < *until);
        let (limit, per, used) = match &category.limit {
            None => (None, None, Money::ZERO),
            Some(limit) => {
                let key = UsageKey {
                    family_id: family.family.id.clone(),
                    member_id: match limit.per {
                        LimitUnit::Family => String::new(),
                        LimitUnit::Member => member.id.clone(),
                    },
                    category: category.code.clone(),
                    year_start: found.year_start,
                };
                (Some(limit.amount), Some(limit.per), ledger.get(&key).used)
            }
        };
        status.categories.push(CategoryLeft {
            category: category.code.clone(),
            name: category.name.clone(),
            limit,
            per,
            used,
            left: limit.map(|l| (l - used).max(Money::ZERO)),
            waiting_until,
        });
    }
    status
}

/// The rules and cover a claim is judged under.
struct InForce<'a> {
    scheme: &'a SchemeDefinition,
    package: &'a BenefitPackage,
    /// The first day of the member's unbroken cover (waiting periods count from it).
    cover_since: NaiveDate,
    year_start: NaiveDate,
}

/// Claim-level checks 1–3: well-formed, the member entitled, the facility empanelled.
fn claim_problems(claim: &Claim, context: &ClaimContext) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let incurred = claim.incurred_date();
    if let Some(problem) = date_problem(claim) {
        reasons.push(Reason::claim(R::MalformedDates, problem));
    }
    if claim.lines.is_empty() {
        reasons.push(Reason::claim(R::MalformedAmounts, "the claim has no lines"));
    }
    if claim.diagnosis_codes.is_empty() {
        reasons.push(Reason::claim(
            R::MalformedCodes,
            "the claim has no diagnosis code",
        ));
    }
    for code in &claim.diagnosis_codes {
        if !is_icd10(code) {
            reasons.push(Reason::claim(
                R::MalformedCodes,
                format!("'{code}' is not an ICD-10 code (a letter, two digits, and an optional subdivision: I21.0)"),
            ));
        }
    }

    match context.member {
        None => reasons.push(Reason::claim(
            R::MemberUnknown,
            format!("no member '{}' in the registry", claim.member_id),
        )),
        Some(member) => reasons.extend(incurred.and_then(|date| member_problem(member, date))),
    }

    match context.provider {
        None => reasons.push(Reason::claim(
            R::ProviderUnknown,
            format!("no facility '{}' in the registry", claim.provider_id),
        )),
        Some(provider) => {
            if let Some(date) = incurred {
                let empanelled = provider.empanelled_from <= date
                    && provider.empanelled_to.is_none_or(|to| date <= to);
                if !empanelled {
                    reasons.push(Reason::claim(
                        R::ProviderNotEmpanelled,
                        format!(
                            "facility {} is empanelled from {}{}, not on {date}",
                            provider.code,
                            provider.empanelled_from,
                            provider
                                .empanelled_to
                                .map_or(String::new(), |to| format!(" to {to}"))
                        ),
                    ));
                }
            }
        }
    }
    let claimed = claim.claimed();
    reasons
        .into_iter()
        .map(|r| r.with_amount(claimed))
        .collect()
}

/// Why a member is not entitled on `date`, if they are not.
fn member_problem(member: &Member, date: NaiveDate) -> Option<Reason> {
    let since = member.status_since;
    let after = date >= since;
    match member.status {
        MemberStatus::Active => None,
        MemberStatus::Pending => Some(Reason::claim(
            R::MemberPending,
            format!(
                "member {} is pending since {since} (registration incomplete): not entitled to claim",
                member.id
            ),
        )),
        MemberStatus::Inactive if after => Some(Reason::claim(
            R::MemberInactive,
            format!("member {} is inactive since {since}", member.id),
        )),
        MemberStatus::Deceased if after => Some(Reason::claim(
            R::MemberDeceased,
            format!(
                "member {} died on {since}, before the date of service",
                member.id
            ),
        )),
        MemberStatus::Inactive | MemberStatus::Deceased => None,
    }
}

fn date_problem(claim: &Claim) -> Option<String> {
    let received = claim.received_date;
    match (claim.visit_date, claim.admission_date, claim.discharge_date) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            Some("give a visit date, or admission and discharge dates, not both".into())
        }
        (None, None, None) => Some("no visit date and no admission date".into()),
        (None, Some(_), None) => Some("a stay needs a discharge date".into()),
        (None, None, Some(_)) => Some("a discharge date needs an admission date".into()),
        (None, Some(admission), Some(discharge)) if discharge < admission => Some(format!(
            "discharge {discharge} is before admission {admission}"
        )),
        (None, Some(_), Some(discharge)) if received < discharge => Some(format!(
            "received {received}, before the discharge on {discharge}"
        )),
        (Some(visit), None, None) if received < visit => {
            Some(format!("received {received}, before the visit on {visit}"))
        }
        _ => None,
    }
}

/// A letter, two digits, then optionally a dot and up to four letters or digits (I21, I21.0, O80).
fn is_icd10(code: &str) -> bool {
    let bytes = code.as_bytes();
    if bytes.len() < 3
        || !bytes[0].is_ascii_uppercase()
        || !bytes[1..3].iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    match &bytes[3..] {
        [] => true,
        [b'.', rest @ ..] => {
            (1..=4).contains(&rest.len()) && rest.iter().all(u8::is_ascii_alphanumeric)
        }
        rest => rest.len() <= 4 && rest.iter().all(u8::is_ascii_alphanumeric),
    }
}

/// Check 2: covered on the date of service, cover not suspended, and the package in force.
fn cover_and_package<'a>(
    claimed: Money,
    versions: &'a [SchemeDefinition],
    member: &Member,
    family: &FamilyRecord,
    date: NaiveDate,
) -> Result<InForce<'a>, Reason> {
    let Some(scheme) = version_in_force(versions, date) else {
        return Err(Reason::claim(
            R::NoSchemeVersion,
            format!(
                "scheme {} has no version in force on {date}",
                family.family.scheme
            ),
        )
        .with_amount(claimed));
    };
    let own: Vec<&Coverage> = family
        .coverage
        .iter()
        .filter(|c| c.member_id == member.id)
        .collect();
    let Some((cover, cover_since)) = cover_on(&own, date) else {
        return Err(Reason::claim(
            R::NotCovered,
            format!("member {} had no cover on {date}", member.id),
        )
        .with_amount(claimed));
    };
    let standing = family_standing(versions, family, date);
    if let Some(since) = standing.suspended_since {
        return Err(Reason::claim(
            R::CoverSuspended,
            format!(
                "cover suspended since {since}: contributions unpaid past the {}-day grace period ({} in arrears)",
                scheme.coverage.grace_days,
                standing.arrears.grouped()
            ),
        )
        .with_amount(claimed));
    }
    let package = match &cover.package {
        Some(code) => scheme.package(code),
        None => scheme.packages.first(),
    };
    let Some(package) = package else {
        return Err(Reason::claim(
            R::NotCovered,
            format!(
                "the member's package '{}' is not in the scheme version of {}",
                cover.package.as_deref().unwrap_or_default(),
                scheme.effective_from
            ),
        )
        .with_amount(claimed));
    };
    let year_start = coverage_year_start(family.coverage, scheme.coverage.period_months, date)
        .expect("the member is covered on the date, so the family's cover has started");
    Ok(InForce {
        scheme,
        package,
        cover_since,
        year_start,
    })
}

/// Check 3 and 4 (in part): the tariff line for the service at the facility's level.
fn tariff_item<'a>(
    package: &'a BenefitPackage,
    service: &str,
    provider: &Provider,
) -> Result<&'a TariffItem, Reason> {
    let for_service = || package.tariff.iter().filter(|t| t.service_code == service);
    for_service()
        .find(|t| t.level == Some(provider.level))
        .or_else(|| for_service().find(|t| t.level.is_none()))
        .ok_or_else(|| {
            let levels: Vec<&str> = for_service()
                .filter_map(|t| t.level)
                .map(|l| l.as_str())
                .collect();
            if levels.is_empty() {
                Reason::claim(
                    R::ServiceNotInPackage,
                    format!("service {service} is not in package {}", package.code),
                )
            } else {
                Reason::claim(
                    R::ServiceNotAtLevel,
                    format!(
                        "service {service} is provided at {} only, not at {} level ({})",
                        levels.join(", "),
                        provider.level,
                        provider.code
                    ),
                )
            }
        })
}

/// Checks 4 (coverage of the category, sex, age, frequency) and 2 (waiting period) for a line.
#[allow(clippy::too_many_arguments)]
fn line_refusal(
    claim: &Claim,
    item: &TariffItem,
    category: &BenefitCategory,
    scheme: &SchemeDefinition,
    member: &Member,
    date: NaiveDate,
    setting: Setting,
    cover_since: NaiveDate,
    history: &[PriorClaim],
    frequency_used: &[&str],
    package: &BenefitPackage,
) -> Option<(R, String)> {
    let care = match setting {
        Setting::Inpatient => CareSetting::Inpatient,
        Setting::Outpatient => CareSetting::Outpatient,
    };
    if !category.settings.contains(&care) {
        return Some((
            R::CategoryNotCovered,
            format!(
                "{} covers {} care only, not {}",
                category.name,
                category
                    .settings
                    .iter()
                    .map(|s| match s {
                        CareSetting::Inpatient => "inpatient",
                        CareSetting::Outpatient => "outpatient",
                    })
                    .collect::<Vec<_>>()
                    .join(" and "),
                match care {
                    CareSetting::Inpatient => "a stay",
                    CareSetting::Outpatient => "a visit",
                }
            ),
        ));
    }
    if !category.clinical_categories.is_empty()
        && !category
            .clinical_categories
            .contains(&claim.clinical_category)
    {
        return Some((
            R::CategoryNotCovered,
            format!(
                "{} covers {} care, not {}",
                category.name,
                category.clinical_categories.join(", "),
                claim.clinical_category
            ),
        ));
    }
    if !category.conditions.is_empty()
        && !claim.diagnosis_codes.iter().any(|code| {
            category
                .conditions
                .iter()
                .any(|prefix| code.starts_with(prefix.as_str()))
        })
    {
        return Some((
            R::CategoryNotCovered,
            format!(
                "{} covers the conditions {} only; the diagnosis is {}",
                category.name,
                category.conditions.join(", "),
                claim.diagnosis_codes.join(", ")
            ),
        ));
    }
    if let Some(sex) = item.sex
        && member.sex != sex
    {
        return Some((
            R::SexRestriction,
            format!(
                "{} is for {} patients only",
                item.description,
                match sex {
                    Sex::Female => "female",
                    Sex::Male => "male",
                }
            ),
        ));
    }
    let age = age_on(member.birth_date, date);
    if item.min_age.is_some_and(|min| age < min) || item.max_age.is_some_and(|max| age > max) {
        return Some((
            R::AgeRestriction,
            format!(
                "{} is for ages {}–{}; the patient was {age}",
                item.description,
                item.min_age.unwrap_or(0),
                item.max_age.map_or("any".to_string(), |m| m.to_string())
            ),
        ));
    }
    if let Some(waiting) = scheme
        .coverage
        .waiting_periods
        .iter()
        .find(|w| w.benefit_category == category.code)
    {
        let covered_from = cover_since + Days::new(u64::from(waiting.days));
        if date < covered_from {
            return Some((
                R::WaitingPeriod,
                format!(
                    "{} has a {}-day waiting period: covered from {covered_from} (cover began {cover_since})",
                    category.name, waiting.days
                ),
            ));
        }
    }
    if let Some(months) = item.once_per_months {
        let group = frequency_group(item);
        let in_group = |service: &str| {
            package.tariff.iter().any(|t| {
                t.service_code == service
                    && t.once_per_months.is_some()
                    && frequency_group(t) == group
            })
        };
        if frequency_used.contains(&group) {
            return Some((
                R::FrequencyLimit,
                format!("{group} is allowed once per {months} months; this claim has it twice"),
            ));
        }
        let own_id = claim.id();
        let within =
            |prior: NaiveDate| add_months(prior, months) > date && add_months(date, months) > prior;
        if let Some(prior) = history.iter().find(|p| {
            p.id != own_id
                && counts_for_frequency(p.status)
                && within(p.incurred_date)
                && p.approved_services.iter().any(|s| in_group(s))
        }) {
            return Some((
                R::FrequencyLimit,
                format!(
                    "{group} is allowed once per {months} months; claim {} of {} already has it",
                    prior.id, prior.incurred_date
                ),
            ));
        }
    }
    None
}

fn counts_for_frequency(status: ClaimStatus) -> bool {
    matches!(
        status,
        ClaimStatus::Approved
            | ClaimStatus::PartiallyApproved
            | ClaimStatus::Paid
            | ClaimStatus::InReview
    )
}

fn frequency_group(item: &TariffItem) -> &str {
    item.frequency_group
        .as_deref()
        .unwrap_or(&item.service_code)
}

fn in_exempt_group(
    group: ExemptGroup,
    claim: &Claim,
    member: &Member,
    family: &FamilyRecord,
    scheme: &SchemeDefinition,
    date: NaiveDate,
) -> bool {
    match group {
        ExemptGroup::Poor => match (
            family.family.poverty_score,
            scheme.exemptions.poor_poverty_score_max,
        ) {
            (Some(score), Some(max)) => score <= max,
            _ => false,
        },
        ExemptGroup::Pregnant => member.sex == Sex::Female && is_pregnancy(claim),
        ExemptGroup::UnderFive => age_on(member.birth_date, date) < 5,
    }
}

fn exempt_group_name(group: ExemptGroup) -> &'static str {
    match group {
        ExemptGroup::Poor => "poor",
        ExemptGroup::Pregnant => "pregnant woman",
        ExemptGroup::UnderFive => "child under five",
    }
}

/// Maternity care, a pregnancy diagnosis (ICD-10 chapter O) or a pregnancy supervision code
/// (Z32.1, Z33–Z36).
fn is_pregnancy(claim: &Claim) -> bool {
    claim.clinical_category == "maternity"
        || claim.diagnosis_codes.iter().any(|code| {
            code.starts_with('O')
                || code.starts_with("Z32.1")
                || ["Z33", "Z34", "Z35", "Z36"]
                    .iter()
                    .any(|p| code.starts_with(p))
        })
}

/// A delivery: ICD-10 O80–O84 or an outcome of delivery (Z37).
fn is_delivery(claim: &Claim) -> bool {
    claim.diagnosis_codes.iter().any(|code| {
        ["O80", "O81", "O82", "O83", "O84", "Z37"]
            .iter()
            .any(|p| code.starts_with(p))
    })
}

/// The member's share of each line under one category's cost sharing, and how much of it goes
/// toward the deductible. Fixed amounts fall on the lines in order.
fn member_shares(
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

fn describe_cost_sharing(rule: &CostSharing, provider: &Provider) -> String {
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
fn allowances<'a>(
    claim: &Claim,
    member: &Member,
    patient_is_local: bool,
    categories: impl Iterator<Item = &'a BenefitCategory>,
) -> Vec<(AllowanceKind, Money, String)> {
    let mut best: BTreeMap<u8, (AllowanceKind, Money, String)> = BTreeMap::new();
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
            let kind_key = match allowance.kind {
                AllowanceKind::Transport => 0,
                AllowanceKind::Food => 1,
            };
            let kind_name = match allowance.kind {
                AllowanceKind::Transport => "transport",
                AllowanceKind::Food => "food",
            };
            let message = format!(
                "{kind_name} allowance of {} ({basis}; {why}; {})",
                amount.grouped(),
                category.name
            );
            if best.get(&kind_key).is_none_or(|(_, a, _)| amount > *a) {
                best.insert(kind_key, (allowance.kind, amount, message));
            }
        }
    }
    best.into_values().collect()
}

/// An earlier claim of the same member at the same facility for the same dates under another
/// number, that was not itself refused.
fn duplicate_of<'a>(claim: &Claim, history: &'a [PriorClaim]) -> Option<&'a PriorClaim> {
    let own_id = claim.id();
    let incurred = claim.incurred_date()?;
    history.iter().find(|p| {
        p.id != own_id
            && p.provider_id == claim.provider_id
            && p.incurred_date == incurred
            && p.discharge_date == claim.discharge_date
            && p.status != ClaimStatus::Rejected
            && (p.received_date, p.id.as_str()) < (claim.received_date, own_id.as_str())
    })
}

/// Every line refused whole for the claim-level reasons given.
fn rejected_whole(claim: &Claim, reasons: Vec<Reason>) -> Decision {
    let lines: Vec<LineDecision> = claim
        .lines
        .iter()
        .map(|line| {
            let claimed = line.claimed();
            LineDecision {
                amounts: Amounts {
                    claimed,
                    rejected: claimed,
                    ..Amounts::default()
                },
                benefit_category: None,
                tariff_price: None,
            }
        })
        .collect();
    let mut amounts = Amounts::default();
    for line in &lines {
        amounts += line.amounts;
    }
    Decision {
        status: ClaimStatus::Rejected,
        amounts,
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
#[path = "verify_tests.rs"]
mod tests;
