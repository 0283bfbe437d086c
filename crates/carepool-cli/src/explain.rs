//! A claim in words, for the terminal.

use carepool_service::claims::ClaimView;
use std::fmt::Write;

/// An amount grouped, with its currency when known: `8,800.00 XOF`.
pub fn money(amount: carepool_core::Money, currency: Option<&str>) -> String {
    match currency {
        Some(currency) => format!("{} {currency}", amount.grouped()),
        None => amount.grouped(),
    }
}

/// `; amounts in XOF` after a first line, when the currency is known.
pub fn amounts_in(currency: Option<&str>) -> String {
    currency.map_or(String::new(), |c| format!("; amounts in {c}"))
}

pub fn claim(view: &ClaimView, currency: Option<&str>) -> String {
    let record = &view.record;
    let claim = &record.claim;
    let mut out = String::new();
    let mut line = |text: String| writeln!(out, "{text}").expect("write to String");
    line(format!(
        "claim {}: {} (member {}, facility {}){}",
        view.id,
        record.status,
        claim.member_id,
        claim.provider_id,
        amounts_in(currency)
    ));
    let dates = match (claim.visit_date, claim.admission_date, claim.discharge_date) {
        (Some(visit), _, _) => format!("visit {visit}"),
        (None, Some(admission), Some(discharge)) => format!("stay {admission} to {discharge}"),
        _ => "no dates".to_string(),
    };
    line(format!(
        "  {dates}; {} {}; diagnosis {}; received {}{}{}",
        claim.clinical_category,
        claim.specialty.as_deref().unwrap_or(""),
        claim.diagnosis_codes.join(", "),
        claim.received_date,
        record
            .decided_date
            .map_or(String::new(), |d| format!("; decided {d}")),
        record
            .paid_date
            .map_or(String::new(), |d| format!("; paid {d}")),
    ));
    line(format!(
        "  claimed {}  approved {}  member share {}  rejected {}  allowance {}  paid {}",
        record.amounts.claimed.grouped(),
        record.amounts.approved.grouped(),
        record.amounts.member_share.grouped(),
        record.amounts.rejected.grouped(),
        record.allowance.grouped(),
        record.paid.grouped()
    ));
    for (i, (claimed, decided)) in claim.lines.iter().zip(&record.line_decisions).enumerate() {
        line(format!(
            "  line {}: {} × {} at {} = {}: approved {}, member share {}, rejected {}",
            i + 1,
            claimed.quantity,
            claimed.service_code,
            claimed.unit_price.grouped(),
            decided.amounts.claimed.grouped(),
            decided.amounts.approved.grouped(),
            decided.amounts.member_share.grouped(),
            decided.amounts.rejected.grouped()
        ));
    }
    for reason in &view.reasons {
        let place = reason
            .line
            .map_or("claim".to_string(), |l| format!("line {l}"));
        line(format!("  [{}] {place}: {}", reason.code, reason.message));
    }
    if let Some(note) = &record.review_note {
        line(format!("  review note: {note}"));
    }
    out
}

/// A family in words: where it lives, its members with their cover, its contributions and
/// where it stands on the day asked.
pub fn family(view: &carepool_service::FamilyView, currency: Option<&str>) -> String {
    let mut out = String::new();
    let mut line = |text: String| writeln!(out, "{text}").expect("write to String");
    let family = &view.family;
    line(format!(
        "family {} (scheme {}, location {}{}){}",
        family.id,
        family.scheme,
        family.location_code,
        family
            .poverty_score
            .map_or(String::new(), |score| format!(", poverty score {score}")),
        amounts_in(currency)
    ));
    line(format!("  members ({}):", view.members.len()));
    for member in &view.members {
        let cover: Vec<String> = view
            .coverage
            .iter()
            .filter(|cover| cover.member_id == member.id)
            .map(|cover| match cover.end_date {
                Some(end) => format!("{} to {end}", cover.start_date),
                None => format!("from {}", cover.start_date),
            })
            .collect();
        line(format!(
            "    {:<12} {:<28} {:<8} {} born {}  {} since {}  cover: {}",
            member.id,
            member.name,
            member.relationship.as_str(),
            member.sex.as_str(),
            member.birth_date,
            member.status.as_str(),
            member.status_since,
            if cover.is_empty() {
                "none".to_string()
            } else {
                cover.join(", ")
            }
        ));
    }
    line(format!("  contributions ({}):", view.contributions.len()));
    for paid in &view.contributions {
        line(format!(
            "    {:<12} {:<12} {} to {}  {:>12}  paid {}",
            paid.receipt,
            paid.payer.as_str(),
            paid.period_start,
            paid.period_end,
            paid.amount.grouped(),
            paid.paid_on
        ));
    }
    let standing = &view.standing;
    line(format!(
        "  on {}: due {}, paid {}, arrears {}, credit {}",
        standing.as_of,
        standing.due.grouped(),
        standing.paid.grouped(),
        standing.arrears.grouped(),
        standing.credit.grouped()
    ));
    line(format!(
        "  {}; {}",
        standing.paid_through.map_or_else(
            || "no period fully paid yet".to_string(),
            |day| format!("paid through {day}")
        ),
        match standing.suspended_since {
            Some(since) => format!("suspended since {since} for want of payment"),
            None => "not suspended".to_string(),
        }
    ));
    out
}

/// A member's cover on a day in words: covered or why not, and what is left of each limit.
pub fn cover(
    status: &carepool_core::claims::verify::CoverStatus,
    currency: Option<&str>,
) -> String {
    let mut out = String::new();
    let mut line = |text: String| writeln!(out, "{text}").expect("write to String");
    line(format!(
        "member {} on {}: {}{}{}",
        status.member_id,
        status.date,
        if status.covered {
            "covered"
        } else {
            "not covered"
        },
        status
            .package
            .as_deref()
            .map_or(String::new(), |package| format!(" (package {package})")),
        amounts_in(currency)
    ));
    for reason in &status.reasons {
        line(format!("  [{}] {}", reason.code.as_str(), reason.message));
    }
    if let Some(start) = status.coverage_year_start {
        line(format!("  coverage year from {start}"));
    }
    for category in &status.categories {
        let limit = match (category.limit, category.left, category.per) {
            (Some(limit), Some(left), Some(per)) => format!(
                "limit {} per {}, used {}, left {}",
                limit.grouped(),
                match per {
                    carepool_core::scheme::LimitUnit::Family => "family",
                    carepool_core::scheme::LimitUnit::Member => "member",
                },
                category.used.grouped(),
                left.grouped()
            ),
            _ => format!("no limit, used {}", category.used.grouped()),
        };
        let waiting = category
            .waiting_until
            .map_or(String::new(), |until| format!("; waiting until {until}"));
        line(format!(
            "  {:<12} {}: {limit}{waiting}",
            category.category, category.name
        ));
    }
    out
}
