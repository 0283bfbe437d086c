//! A claim in words, for the terminal.

use carepool_service::claims::ClaimView;
use std::fmt::Write;

pub fn claim(view: &ClaimView) -> String {
    let record = &view.record;
    let claim = &record.claim;
    let mut out = String::new();
    let mut line = |text: String| writeln!(out, "{text}").expect("write to String");
    line(format!(
        "claim {}: {} (member {}, facility {})",
        view.id, record.status, claim.member_id, claim.provider_id
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
