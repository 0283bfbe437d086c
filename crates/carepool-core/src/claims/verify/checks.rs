//! The checks that refuse a claim or a line (docs/DOMAIN.md §2, checks 1–4 and the
//! waiting and grace periods of check 2), and the facts about a patient the rules ask.

use super::PriorClaim;
use crate::claims::exit::gone_by;
use crate::claims::reasons::{Figure, Reason, ReasonCode as R, Words, words};
use crate::claims::usage::{cover_on, coverage_year_start};
use crate::claims::{Claim, ClaimLine, ClaimStatus, Setting};
use crate::dates::{add_months, age_on};
use crate::money::Money;
use crate::registry::{Coverage, Member, MemberStatus, Provider, Sex};
use crate::scheme::{
    BenefitCategory, BenefitPackage, CareSetting, ExemptGroup, SchemeDefinition, TariffItem,
    version_in_force,
};
use crate::standing::{FamilyRecord, family_standing};
use chrono::{Days, NaiveDate};

/// The rules and cover a claim is judged under.
pub(super) struct InForce<'a> {
    pub scheme: &'a SchemeDefinition,
    pub package: &'a BenefitPackage,
    /// The first day of the member's unbroken cover (waiting periods count from it).
    pub cover_since: NaiveDate,
    pub year_start: NaiveDate,
}

impl InForce<'_> {
    /// The category's waiting period in days, and the first day it covers.
    pub fn waiting(&self, category: &BenefitCategory) -> Option<(u32, NaiveDate)> {
        self.scheme
            .coverage
            .waiting_periods
            .iter()
            .find(|w| w.benefit_category == category.code)
            .map(|w| (w.days, self.cover_since + Days::new(u64::from(w.days))))
    }
}

/// Claim-level checks 1–3: well-formed, the member entitled, the facility empanelled.
pub(super) fn claim_problems(claim: &Claim, context: &super::ClaimContext) -> Vec<Reason> {
    let mut reasons = Vec::new();
    let incurred = claim.incurred_date();
    if let Some((words, problem)) = date_problem(claim) {
        reasons.push(Reason::claim(R::MalformedDates, words, problem));
    }
    if claim.lines.is_empty() {
        reasons.push(Reason::claim(
            R::MalformedAmounts,
            words("no_lines", []),
            "the claim has no lines",
        ));
    }
    if claim.diagnosis_codes.is_empty() {
        reasons.push(Reason::claim(
            R::MalformedCodes,
            words("no_diagnosis", []),
            "the claim has no diagnosis code",
        ));
    }
    for code in &claim.diagnosis_codes {
        if !is_icd10(code) {
            let code = crate::registry::excerpt(code);
            reasons.push(Reason::claim(
                R::MalformedCodes,
                words("not_icd10", [("code", Figure::text(code.as_str()))]),
                format!(
                    "{code} is not an ICD-10 code (a letter, two digits, and an optional subdivision: I21.0)"
                ),
            ));
        }
    }

    match context.member {
        None => reasons.push(Reason::claim(
            R::MemberUnknown,
            words(
                "member_unknown",
                [("member", Figure::text(&claim.member_id))],
            ),
            format!("no member '{}' in the registry", claim.member_id),
        )),
        Some(member) => reasons.extend(incurred.and_then(|date| member_problem(member, date))),
    }

    match context.provider {
        None => reasons.push(Reason::claim(
            R::ProviderUnknown,
            words(
                "provider_unknown",
                [("facility", Figure::text(&claim.provider_id))],
            ),
            format!("no facility '{}' in the registry", claim.provider_id),
        )),
        Some(provider) => {
            if let Some(date) = incurred {
                let empanelled = provider.empanelled_from <= date
                    && provider.empanelled_to.is_none_or(|to| date <= to);
                if !empanelled {
                    reasons.push(Reason::claim(
                        R::ProviderNotEmpanelled,
                        words(
                            "not_empanelled",
                            [
                                ("facility", Figure::text(&provider.code)),
                                ("from", Figure::Date(provider.empanelled_from)),
                                (
                                    "to",
                                    provider
                                        .empanelled_to
                                        .map_or(Figure::text("none"), Figure::Date),
                                ),
                                ("date", Figure::Date(date)),
                            ],
                        ),
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
pub(super) fn member_problem(member: &Member, date: NaiveDate) -> Option<Reason> {
    let since = member.status_since;
    let after = gone_by(member.status, since, date);
    match member.status {
        MemberStatus::Active => None,
        MemberStatus::Pending => Some(Reason::claim(
            R::MemberPending,
            member_words("member_pending", member),
            format!(
                "member {} is pending since {since} (registration incomplete): not entitled to claim",
                member.id
            ),
        )),
        MemberStatus::Inactive if after => Some(Reason::claim(
            R::MemberInactive,
            member_words("member_inactive", member),
            format!("member {} is inactive since {since}", member.id),
        )),
        MemberStatus::Deceased if after => Some(Reason::claim(
            R::MemberDeceased,
            member_words("member_deceased", member),
            format!(
                "member {} died on {since}, before the date of service",
                member.id
            ),
        )),
        MemberStatus::Inactive | MemberStatus::Deceased => None,
    }
}

fn member_words(id: &str, member: &Member) -> Words {
    words(
        id,
        [
            ("member", Figure::text(&member.id)),
            ("since", Figure::Date(member.status_since)),
        ],
    )
}

fn date_problem(claim: &Claim) -> Option<(Words, String)> {
    let received = claim.received_date;
    let said = |id, english: String, dates: &[(&'static str, NaiveDate)]| {
        let figures = dates.iter().map(|&(name, date)| (name, Figure::Date(date)));
        Some((words(id, figures), english))
    };
    match (claim.visit_date, claim.admission_date, claim.discharge_date) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => said(
            "dates_both",
            "give a visit date, or admission and discharge dates, not both".into(),
            &[],
        ),
        (None, None, None) => said(
            "dates_none",
            "no visit date and no admission date".into(),
            &[],
        ),
        (None, Some(_), None) => said(
            "stay_without_discharge",
            "a stay needs a discharge date".into(),
            &[],
        ),
        (None, None, Some(_)) => said(
            "discharge_without_admission",
            "a discharge date needs an admission date".into(),
            &[],
        ),
        (None, Some(admission), Some(discharge)) if discharge < admission => said(
            "discharge_before_admission",
            format!("discharge {discharge} is before admission {admission}"),
            &[("discharge", discharge), ("admission", admission)],
        ),
        (None, Some(_), Some(discharge)) if received < discharge => said(
            "received_before_discharge",
            format!("received {received}, before the discharge on {discharge}"),
            &[("received", received), ("discharge", discharge)],
        ),
        (Some(visit), None, None) if received < visit => said(
            "received_before_visit",
            format!("received {received}, before the visit on {visit}"),
            &[("received", received), ("visit", visit)],
        ),
        _ => None,
    }
}

/// A letter, two digits, then optionally a dot and up to four letters or digits (I21, I21.0, O80).
pub(super) fn is_icd10(code: &str) -> bool {
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
pub(super) fn cover_and_package<'a>(
    versions: &'a [SchemeDefinition],
    member: &Member,
    family: &FamilyRecord,
    date: NaiveDate,
) -> Result<InForce<'a>, Reason> {
    let Some(scheme) = version_in_force(versions, date) else {
        return Err(Reason::claim(
            R::NoSchemeVersion,
            words(
                "no_scheme_version",
                [
                    ("scheme", Figure::text(&family.family.scheme)),
                    ("date", Figure::Date(date)),
                ],
            ),
            format!(
                "scheme {} has no version in force on {date}",
                family.family.scheme
            ),
        ));
    };
    let own: Vec<&Coverage> = family
        .coverage
        .iter()
        .filter(|c| c.member_id == member.id)
        .collect();
    let Some((cover, cover_since)) = cover_on(&own, date) else {
        return Err(Reason::claim(
            R::NotCovered,
            words(
                "not_covered",
                [
                    ("member", Figure::text(&member.id)),
                    ("date", Figure::Date(date)),
                ],
            ),
            format!("member {} had no cover on {date}", member.id),
        ));
    };
    let standing = family_standing(versions, family, date);
    if let Some(since) = standing.suspended_since {
        return Err(Reason::claim(
            R::CoverSuspended,
            words(
                "cover_suspended",
                [
                    ("since", Figure::Date(since)),
                    ("days", Figure::Count(scheme.coverage.grace_days.into())),
                    ("arrears", Figure::Amount(standing.arrears)),
                ],
            ),
            format!(
                "cover suspended since {since}: contributions unpaid past the {}-day grace period ({} in arrears)",
                scheme.coverage.grace_days,
                standing.arrears.grouped()
            ),
        ));
    }
    let package = match &cover.package {
        Some(code) => scheme.package(code),
        None => scheme.packages.first(),
    };
    let Some(package) = package else {
        return Err(Reason::claim(
            R::NotCovered,
            words(
                "package_not_in_version",
                [
                    (
                        "package",
                        Figure::text(cover.package.as_deref().unwrap_or_default()),
                    ),
                    ("version", Figure::Date(scheme.effective_from)),
                ],
            ),
            format!(
                "the member's package '{}' is not in the scheme version of {}",
                cover.package.as_deref().unwrap_or_default(),
                scheme.effective_from
            ),
        ));
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

/// Why a line is refused whole: its code, its words and the English sentence.
pub(super) type Refused = (R, Words, String);

/// Check 3 and 4 (in part): the tariff line for the service at the facility's level.
fn tariff_item<'a>(
    package: &'a BenefitPackage,
    service: &str,
    provider: &Provider,
) -> Result<&'a TariffItem, Refused> {
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
                (
                    R::ServiceNotInPackage,
                    words(
                        "service_not_in_package",
                        [
                            ("service", Figure::text(service)),
                            ("package", Figure::text(&package.code)),
                        ],
                    ),
                    format!("service {service} is not in package {}", package.code),
                )
            } else {
                (
                    R::ServiceNotAtLevel,
                    words(
                        "service_not_at_level",
                        [
                            ("service", Figure::text(service)),
                            ("levels", Figure::text(levels.join(", "))),
                            ("level", Figure::text(provider.level.as_str())),
                            ("facility", Figure::text(&provider.code)),
                        ],
                    ),
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

/// The checks on each line of one claim: check 1 (amounts), 3 (the facility's level), 4 (the
/// service in the package, its category, sex, age and frequency) and 2 (waiting periods).
pub(super) struct LineCheck<'a> {
    pub claim: &'a Claim,
    pub member: &'a Member,
    pub provider: &'a Provider,
    pub date: NaiveDate,
    pub found: &'a InForce<'a>,
    pub history: &'a [PriorClaim],
}

impl<'a> LineCheck<'a> {
    /// The tariff line and category a line is judged under, or why it is refused whole.
    /// `frequency_used` holds the frequency groups of the claim's earlier lines.
    pub fn admit(
        &self,
        line: &ClaimLine,
        frequency_used: &[&str],
    ) -> Result<(&'a TariffItem, &'a BenefitCategory), Refused> {
        if line.quantity < 1 || line.unit_price <= Money::ZERO {
            return Err((
                R::MalformedAmounts,
                words(
                    "bad_quantity_or_price",
                    [
                        ("quantity", Figure::Count(line.quantity)),
                        ("price", Figure::Amount(line.unit_price)),
                    ],
                ),
                format!(
                    "quantity {} at {} each: a line needs a quantity of at least 1 and a positive price",
                    line.quantity,
                    line.unit_price.grouped()
                ),
            ));
        }
        let item = tariff_item(self.found.package, &line.service_code, self.provider)?;
        let category = self
            .found
            .package
            .categories
            .iter()
            .find(|c| c.code == item.benefit_category)
            .expect("a validated scheme prices only its own categories");
        match self.refusal(item, category, frequency_used) {
            Some(refusal) => Err(refusal),
            None => Ok((item, category)),
        }
    }

    fn refusal(
        &self,
        item: &TariffItem,
        category: &BenefitCategory,
        frequency_used: &[&str],
    ) -> Option<Refused> {
        let LineCheck {
            claim,
            member,
            date,
            found,
            history,
            ..
        } = *self;
        let care = match claim.setting() {
            Setting::Inpatient => CareSetting::Inpatient,
            Setting::Outpatient => CareSetting::Outpatient,
        };
        if !category.settings.contains(&care) {
            let covered = match category.settings.as_slice() {
                [CareSetting::Inpatient] => "inpatient",
                [CareSetting::Outpatient] => "outpatient",
                // Both settings would cover this one: the category covers none.
                _ => "none",
            };
            return Some((
                R::CategoryNotCovered,
                words(
                    "setting_not_covered",
                    [
                        ("category", Figure::text(&category.name)),
                        ("covered", Figure::text(covered)),
                        ("setting", Figure::text(care_word(care))),
                    ],
                ),
                format!(
                    "{} covers {} care only, not {}",
                    category.name,
                    category
                        .settings
                        .iter()
                        .map(|&s| care_word(s))
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
                words(
                    "clinical_category_not_covered",
                    [
                        ("category", Figure::text(&category.name)),
                        (
                            "covered",
                            Figure::text(category.clinical_categories.join(", ")),
                        ),
                        ("clinical", Figure::text(&claim.clinical_category)),
                    ],
                ),
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
                words(
                    "condition_not_covered",
                    [
                        ("category", Figure::text(&category.name)),
                        ("conditions", Figure::text(category.conditions.join(", "))),
                        ("diagnosis", Figure::text(claim.diagnosis_codes.join(", "))),
                    ],
                ),
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
            let sex = match sex {
                Sex::Female => "female",
                Sex::Male => "male",
            };
            return Some((
                R::SexRestriction,
                words(
                    "sex_restriction",
                    [
                        ("service", Figure::text(&item.description)),
                        ("sex", Figure::text(sex)),
                    ],
                ),
                format!("{} is for {sex} patients only", item.description),
            ));
        }
        let age = age_on(member.birth_date, date);
        if item.min_age.is_some_and(|min| age < min) || item.max_age.is_some_and(|max| age > max) {
            return Some((
                R::AgeRestriction,
                words(
                    "age_restriction",
                    [
                        ("service", Figure::text(&item.description)),
                        ("min", Figure::Count(item.min_age.unwrap_or(0).into())),
                        (
                            "max",
                            item.max_age
                                .map_or(Figure::text("any"), |m| Figure::Count(m.into())),
                        ),
                        ("age", Figure::Count(age.into())),
                    ],
                ),
                format!(
                    "{} is for ages {}–{}; the patient was {age}",
                    item.description,
                    item.min_age.unwrap_or(0),
                    item.max_age.map_or("any".to_string(), |m| m.to_string())
                ),
            ));
        }
        if let Some((days, covered_from)) = found.waiting(category)
            && date < covered_from
        {
            return Some((
                R::WaitingPeriod,
                words(
                    "waiting_period",
                    [
                        ("category", Figure::text(&category.name)),
                        ("days", Figure::Count(days.into())),
                        ("from", Figure::Date(covered_from)),
                        ("began", Figure::Date(found.cover_since)),
                    ],
                ),
                format!(
                    "{} has a {days}-day waiting period: covered from {covered_from} (cover began {})",
                    category.name, found.cover_since
                ),
            ));
        }
        if let Some(months) = item.once_per_months {
            let group = frequency_group(item);
            let in_group = |service: &str| {
                found.package.tariff.iter().any(|t| {
                    t.service_code == service
                        && t.once_per_months.is_some()
                        && frequency_group(t) == group
                })
            };
            if frequency_used.contains(&group) {
                return Some((
                    R::FrequencyLimit,
                    words(
                        "frequency_twice_in_claim",
                        [
                            ("group", Figure::text(group)),
                            ("months", Figure::Count(months.into())),
                        ],
                    ),
                    format!("{group} is allowed once per {months} months; this claim has it twice"),
                ));
            }
            let own_id = claim.id();
            let within = |prior: NaiveDate| {
                add_months(prior, months) > date && add_months(date, months) > prior
            };
            if let Some(prior) = history.iter().find(|p| {
                p.id != own_id
                    && counts_for_frequency(p.status)
                    && within(p.incurred_date)
                    && p.approved_services.iter().any(|s| in_group(s))
            }) {
                return Some((
                    R::FrequencyLimit,
                    words(
                        "frequency_already_claimed",
                        [
                            ("group", Figure::text(group)),
                            ("months", Figure::Count(months.into())),
                            ("claim", Figure::text(&prior.id)),
                            ("date", Figure::Date(prior.incurred_date)),
                        ],
                    ),
                    format!(
                        "{group} is allowed once per {months} months; claim {} of {} already has it",
                        prior.id, prior.incurred_date
                    ),
                ));
            }
        }
        None
    }
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

fn care_word(setting: CareSetting) -> &'static str {
    match setting {
        CareSetting::Inpatient => "inpatient",
        CareSetting::Outpatient => "outpatient",
    }
}

pub(super) fn frequency_group(item: &TariffItem) -> &str {
    item.frequency_group
        .as_deref()
        .unwrap_or(&item.service_code)
}

pub(super) fn in_exempt_group(
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

pub(super) fn exempt_group_name(group: ExemptGroup) -> &'static str {
    match group {
        ExemptGroup::Poor => "poor",
        ExemptGroup::Pregnant => "pregnant woman",
        ExemptGroup::UnderFive => "child under five",
    }
}

/// The ICD-10 codes of pregnancy: chapter O, and the pregnancy supervision codes Z32.1 and
/// Z33–Z36, by their prefixes.
pub(crate) const PREGNANCY_CODES: [&str; 6] = ["O", "Z32.1", "Z33", "Z34", "Z35", "Z36"];

/// Maternity care, a pregnancy diagnosis (ICD-10 chapter O) or a pregnancy supervision code
/// (Z32.1, Z33–Z36).
fn is_pregnancy(claim: &Claim) -> bool {
    claim.clinical_category == "maternity"
        || (claim.diagnosis_codes.iter())
            .any(|code| PREGNANCY_CODES.iter().any(|p| code.starts_with(p)))
}

/// A delivery: ICD-10 O80–O84 or an outcome of delivery (Z37).
pub(super) fn is_delivery(claim: &Claim) -> bool {
    claim.diagnosis_codes.iter().any(|code| {
        ["O80", "O81", "O82", "O83", "O84", "Z37"]
            .iter()
            .any(|p| code.starts_with(p))
    })
}

/// Another claim of the same member at the same facility for the same dates under another
/// number, not itself refused, that came first: approved already (paid or not), or waiting or
/// in review and received before this one.
pub(super) fn duplicate_of<'a>(claim: &Claim, history: &'a [PriorClaim]) -> Option<&'a PriorClaim> {
    let own_id = claim.id();
    let incurred = claim.incurred_date()?;
    history.iter().find(|p| {
        p.id != own_id
            && p.provider_id == claim.provider_id
            && p.incurred_date == incurred
            && p.discharge_date == claim.discharge_date
            && p.status != ClaimStatus::Rejected
            // One approved already is the first, whenever received (a claim decided again on
            // appeal finds the stay paid since); of two waiting or in review, the one received
            // first is.
            && (p.status.payable() || p.status == ClaimStatus::Paid
                || (p.received_date, p.id.as_str()) < (claim.received_date, own_id.as_str()))
    })
}
