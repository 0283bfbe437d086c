//! The claims tables and the claims files facilities send, each declared once, and how a
//! [`ClaimRecord`] maps onto a claim row and its line rows. Claims are written by the claims
//! service (never imported as registry rows), and exported and listed like any table.

use crate::{ColumnValue, Record, Reference, Row, Table, Value, list_value};
use carepool_core::Money;
use carepool_core::claims::payment::RefundStatus;
use carepool_core::claims::usage::{Usage, UsageKey};
use carepool_core::claims::verify::LineDecision;
use carepool_core::claims::{
    Amounts, Claim, ClaimLine, ClaimRecord, ClaimStatus, Reason, ReasonCode,
};
use carepool_core::registry::{FieldError, excerpt};
use carepool_core::words::Words;
use chrono::NaiveDate;

/// What the columns a facility sends mean, shared by the stored tables and the claims files.
pub mod sent {
    pub const PROVIDER_ID: &str = "The facility's code.";
    pub const CLAIM_NUMBER: &str = "The facility's own number for the claim.";
    pub const MEMBER_ID: &str = "The patient's member id.";
    pub const VISIT_DATE: &str = "Date of a visit (outpatient care).";
    pub const ADMISSION_DATE: &str = "Admission, for a stay.";
    pub const DISCHARGE_DATE: &str = "Discharge, for a stay.";
    pub const DIAGNOSIS_CODES: &str = "ICD-10 codes, principal first, separated by ';'.";
    pub const CLINICAL_CATEGORY: &str = "medical, surgical, maternity, diagnostics, ...";
    pub const SPECIALTY: &str = "The treating specialty.";
    pub const LIMIT_RAISING_CASE: &str =
        "A limit-raising case of the package the facility declares.";
    pub const COPAY_COLLECTED: &str = "What the facility collected from the patient; empty is 0.";
    pub const RECEIVED_DATE: &str = "The day the scheme received the claim.";
    pub const SERVICE_CODE: &str = "Service or item code of the tariff.";
    pub const QUANTITY: &str = "Units, days or items.";
    pub const UNIT_PRICE: &str = "Price claimed per unit.";
}

crate::table! {
    pub static CLAIMS: "claims" ("claim"), mod claims, key [ID], row ClaimRow;
    ID id: String, "PROVIDER/CLAIM_NUMBER: the claim's identity in carepool.";
    PROVIDER_ID provider_id: String, sent::PROVIDER_ID,
        references(Reference::Table("providers")), places();
    CLAIM_NUMBER claim_number: String, sent::CLAIM_NUMBER;
    MEMBER_ID member_id: String, sent::MEMBER_ID, filterable();
    FAMILY_ID family_id: Option<String>, "The patient's family; empty for an unknown member.",
        filterable();
    VISIT_DATE visit_date: Option<NaiveDate>, sent::VISIT_DATE;
    ADMISSION_DATE admission_date: Option<NaiveDate>, sent::ADMISSION_DATE;
    DISCHARGE_DATE discharge_date: Option<NaiveDate>, sent::DISCHARGE_DATE;
    INCURRED_DATE incurred_date: Option<NaiveDate>,
        "Date of service: admission, or the visit date.";
    DIAGNOSIS_CODES diagnosis_codes: Vec<String>, sent::DIAGNOSIS_CODES;
    CLINICAL_CATEGORY clinical_category: String, sent::CLINICAL_CATEGORY;
    SPECIALTY specialty: Option<String>, sent::SPECIALTY;
    LIMIT_RAISING_CASE limit_raising_case: Option<String>, sent::LIMIT_RAISING_CASE;
    // Required once stored (0 when the file left it empty).
    COPAY_COLLECTED copay_collected: Money, sent::COPAY_COLLECTED;
    RECEIVED_DATE received_date: NaiveDate, sent::RECEIVED_DATE;
    STATUS status: ClaimStatus,
        "received, in_review, approved, partially_approved, rejected or paid.", filterable();
    PACKAGE package: Option<String>, "The member's benefit package.";
    SCHEME_VERSION scheme_version: Option<NaiveDate>,
        "Effective date of the rules that judged it.";
    COVERAGE_YEAR_START coverage_year_start: Option<NaiveDate>,
        "First day of the coverage year it counts in.";
    CLAIMED claimed: Money, "Sum of the lines as claimed.";
    APPROVED approved: Money, "What the scheme pays the facility.";
    MEMBER_SHARE member_share: Money, "The patient's share under cost sharing.";
    REJECTED rejected: Money, "Refused or cut; claimed = approved + member_share + rejected.";
    ALLOWANCE allowance: Money, "Allowances paid to the patient (transport, food).";
    PAID paid: Money, "Paid to the facility.";
    REASONS reasons: Vec<String>,
        "Reason codes on the claim and its lines, of its current decision (and the reviews or \
         holds since); the reasons' table keeps those of earlier decisions too. A claim \
         reopened on appeal holds all of them, and appeal_reopened, until it is decided again.";
    DECIDED_DATE decided_date: Option<NaiveDate>, "The day it was adjudicated or reviewed.";
    PAID_DATE paid_date: Option<NaiveDate>, "The day its payment batch was paid.";
    PAYMENT_BATCH payment_batch: Option<String>, "The facility's payment batch.", filterable();
    ALLOWANCE_BATCH allowance_batch: Option<String>, "The patient's allowance payment.";
    REVIEW_NOTE review_note: Option<String>,
        "The medical reviewer's note, or the appeal that reopened it.";
    RECEIVED_BY received_by: Option<String>,
        "Who received or submitted it: a user, or cli:ACCOUNT for a command run on the server.";
    REVIEWED_BY reviewed_by: Option<String>, "The medical reviewer who decided it.";
}

/// What adjudication or review sets on a claim: status, rules, amounts, reasons, date, note and
/// reviewer.
pub const CLAIM_DECISION: &[usize] = &[
    claims::STATUS.index(),
    claims::PACKAGE.index(),
    claims::SCHEME_VERSION.index(),
    claims::COVERAGE_YEAR_START.index(),
    claims::CLAIMED.index(),
    claims::APPROVED.index(),
    claims::MEMBER_SHARE.index(),
    claims::REJECTED.index(),
    claims::ALLOWANCE.index(),
    claims::REASONS.index(),
    claims::DECIDED_DATE.index(),
    claims::REVIEW_NOTE.index(),
    claims::REVIEWED_BY.index(),
];

/// What proposing a payment run sets on a claim it holds: the payments it goes into.
pub const CLAIM_RUN: &[usize] = &[
    claims::PAYMENT_BATCH.index(),
    claims::ALLOWANCE_BATCH.index(),
];

/// What releasing a payment run sets on a claim it pays (its batches were set by the proposal).
pub const CLAIM_PAYMENT: &[usize] = &[
    claims::STATUS.index(),
    claims::PAID.index(),
    claims::PAID_DATE.index(),
];

crate::table! {
    pub static CLAIM_LINES: "claim_lines" ("claim line"), mod claim_lines, key [CLAIM_ID, LINE_NO],
        row ClaimLineRow;
    CLAIM_ID claim_id: String, "The claim (PROVIDER/CLAIM_NUMBER).", filterable();
    LINE_NO line_no: i64, "1, 2, ... in the order received.";
    MEMBER_ID member_id: String, "The patient (kept for frequency limits).";
    SERVICE_CODE service_code: String, sent::SERVICE_CODE;
    QUANTITY quantity: i64, sent::QUANTITY;
    UNIT_PRICE unit_price: Money, sent::UNIT_PRICE;
    BENEFIT_CATEGORY benefit_category: Option<String>, "The category the line was judged under.";
    TARIFF_PRICE tariff_price: Option<Money>, "The tariff's unit price at the facility's level.";
    CLAIMED claimed: Money, "Quantity × unit price.";
    APPROVED approved: Money, "What the scheme pays for the line.";
    MEMBER_SHARE member_share: Money, "The patient's share of the line.";
    REJECTED rejected: Money, "Refused or cut on the line.";
    REASONS reasons: Vec<String>, "Reason codes on the line.";
}

/// What a decision sets on a line: benefit category to reasons.
pub const LINE_DECISION: &[usize] = &[
    claim_lines::BENEFIT_CATEGORY.index(),
    claim_lines::TARIFF_PRICE.index(),
    claim_lines::CLAIMED.index(),
    claim_lines::APPROVED.index(),
    claim_lines::MEMBER_SHARE.index(),
    claim_lines::REJECTED.index(),
    claim_lines::REASONS.index(),
];

crate::table! {
    pub static CLAIM_REASONS: "claim_reasons" ("claim reason"), mod claim_reasons,
        key [CLAIM_ID, SEQ], row ClaimReasonRow;
    CLAIM_ID claim_id: String, "The claim.", filterable();
    SEQ seq: i64, "Order of the reason on the claim.";
    LINE_NO line_no: Option<i64>, "The line; empty for the claim as a whole.";
    CODE code: String, "The reason code.";
    AMOUNT amount: Option<Money>, "The amount it moved, if any.";
    MESSAGE message: String, "The reason in words (English).";
    WORDS words: Option<String>,
        "The reason apart from its language, for the pages to say in the reader's: the \
         sentence's id and the figures it quotes (JSON); empty for reasons stored before.";
}

crate::table! {
    pub static CLAIM_USAGE: "claim_usage" ("limit usage"), mod claim_usage,
        key [FAMILY_ID, MEMBER_ID, CATEGORY, YEAR_START], row UsageRow;
    FAMILY_ID family_id: String, "The family.", filterable();
    MEMBER_ID member_id: String,
        "The member, for a member limit or a deductible; empty for a family limit.";
    CATEGORY category: String, "The benefit category.";
    YEAR_START year_start: NaiveDate, "First day of the coverage year.";
    USED used: Money, "Approved toward the annual limit.";
    DEDUCTIBLE_USED deductible_used: Money, "Paid by the member toward the deductible.";
    RAISED raised: i64, "Claims that went above the limit under a limit-raising case.";
}

crate::table! {
    /// One payment to a facility or a patient.
    pub static PAYMENTS: "payments" ("payment"), mod payments, key [ID], row Payment;
    ID id: String, "PERIOD/provider|member/PAYEE[/n].";
    PERIOD period: String, "The month paid, YYYY-MM.", filterable();
    PAYEE_KIND payee_kind: String, "provider (claims) or member (allowances).", filterable();
    PAYEE_ID payee_id: String, "The facility or the patient.", filterable();
    PAID_DATE paid_date: NaiveDate, "The day of payment.";
    CLAIMS claims: i64, "Claims in the payment.";
    AMOUNT amount: Money, "The amount paid.";
}

crate::table! {
    /// A payment run: proposed by one finance officer, released (paid) by another.
    pub static PAYMENT_RUNS: "payment_runs" ("payment run"), mod payment_runs, key [ID],
        row PaymentRun;
    ID id: String, "PERIOD/N: the month paid and the run's number in it.";
    PERIOD period: String, "The month paid, YYYY-MM.", filterable();
    STATUS status: String, "proposed, or released once paid.", filterable();
    PAYMENTS payments: Vec<String>, "The payments it makes (their ids).";
    CLAIMS claims: i64, "Claims it pays.";
    TO_FACILITIES to_facilities: Money, "Paid to facilities: what was approved, less refunds recovered.";
    TO_PATIENTS to_patients: Money, "Paid to patients: their allowances and refunds.";
    PROPOSED_BY proposed_by: String, "Who proposed it: a user, or cli:ACCOUNT.";
    PROPOSED_ON proposed_on: NaiveDate, "The day it was proposed.";
    RELEASED_BY released_by: Option<String>, "Who released it; empty while proposed.";
    PAID_DATE paid_date: Option<NaiveDate>, "The day of payment, set when released.";
    REFUNDS refunds: i64,
        "Refunds it pays to patients (in to_patients) or deducts from facilities.";
    RECOVERED recovered: Money,
        "Deducted from facilities for refunds to their patients (to_facilities is net of it).";
}

crate::table! {
    /// A refund to a patient charged a co-payment they were exempt from: paid to the patient in
    /// a payment run, and deducted from the facility's payment, each once.
    pub static REFUNDS: "refunds" ("refund"), mod refunds, key [ID], row Refund;
    ID id: String,
        "The claim refunded (PROVIDER/CLAIM_NUMBER), or the grievance (G-YYYYMMDD-NNN) when it \
         names no claim: one refund for each.";
    GRIEVANCE_ID grievance_id: Option<String>,
        "The upheld grievance that granted it (for one withdrawn or declined, the grievance whose \
         finding did); empty when the scheme's rule granted it.",
        references(Reference::Table("grievances")), filterable();
    CLAIM_ID claim_id: Option<String>, "The claim on which the co-payment was charged.",
        references(Reference::Table("claims")), filterable();
    MEMBER_ID member_id: String, "The patient refunded.",
        references(Reference::Table("members")), filterable();
    PROVIDER_ID provider_id: String, "The facility that charged, which repays it.",
        references(Reference::Table("providers")), places();
    AMOUNT amount: Money, "What the patient is refunded and the facility repays.";
    STATUS status: RefundStatus,
        "due (no payment run took it yet), refunded (a run pays it to the patient; none has \
         deducted it from the facility yet), recovered (deducted too), or withdrawn (its \
         grievance reopened, or resolved without it, before a run took it).", filterable();
    GRANTED_ON granted_on: NaiveDate, "The day it was granted (or declined).";
    GRANTED_BY granted_by: String, "Who granted (or declined) it: a user, or cli:ACCOUNT.";
    REFUND_PAYMENT refund_payment: Option<String>,
        "The payment to the patient that carries it; empty until a run takes it.", filterable();
    DEDUCTION_PAYMENT deduction_payment: Option<String>,
        "The facility's payment it is deducted from; empty until a run takes it.", filterable();
}

/// What a payment run sets on a refund it takes: the payments that pay and recover it.
pub const REFUND_RUN: &[usize] = &[
    refunds::STATUS.index(),
    refunds::REFUND_PAYMENT.index(),
    refunds::DEDUCTION_PAYMENT.index(),
];

/// The claims tables, for export and listing.
pub static ALL: &[&Table] = &[
    &CLAIMS,
    &CLAIM_LINES,
    &CLAIM_REASONS,
    &CLAIM_USAGE,
    &PAYMENTS,
    &PAYMENT_RUNS,
    &REFUNDS,
];

crate::table! {
    /// A claims file: one row per claim with a lines file, or one row per line without one.
    pub static CLAIMS_FILE: "claims" ("claim"), mod claims_file, key [CLAIM_NUMBER, PROVIDER_ID],
        row ClaimFileRow;
    CLAIM_NUMBER claim_number: String, sent::CLAIM_NUMBER;
    PROVIDER_ID provider_id: String, sent::PROVIDER_ID;
    MEMBER_ID member_id: String, sent::MEMBER_ID;
    VISIT_DATE visit_date: Option<NaiveDate>, sent::VISIT_DATE;
    ADMISSION_DATE admission_date: Option<NaiveDate>, sent::ADMISSION_DATE;
    DISCHARGE_DATE discharge_date: Option<NaiveDate>, sent::DISCHARGE_DATE;
    DIAGNOSIS_CODES diagnosis_codes: Vec<String>, sent::DIAGNOSIS_CODES;
    CLINICAL_CATEGORY clinical_category: String, sent::CLINICAL_CATEGORY;
    SPECIALTY specialty: Option<String>, sent::SPECIALTY;
    LIMIT_RAISING_CASE limit_raising_case: Option<String>, sent::LIMIT_RAISING_CASE;
    COPAY_COLLECTED copay_collected: Option<Money>, sent::COPAY_COLLECTED;
    RECEIVED_DATE received_date: NaiveDate, sent::RECEIVED_DATE;
    // Without a lines file, each row is one line of its claim.
    SERVICE_CODE service_code: Option<String>, sent::SERVICE_CODE;
    QUANTITY quantity: Option<i64>, sent::QUANTITY;
    UNIT_PRICE unit_price: Option<Money>, sent::UNIT_PRICE;
}

crate::table! {
    /// A claim lines file, beside a claims file with one row per claim.
    pub static CLAIM_LINES_FILE: "claim_lines" ("claim line"), mod claim_lines_file,
        key [PROVIDER_ID, CLAIM_NUMBER], row ClaimLineFileRow;
    PROVIDER_ID provider_id: String, sent::PROVIDER_ID;
    CLAIM_NUMBER claim_number: String, sent::CLAIM_NUMBER;
    SERVICE_CODE service_code: String, sent::SERVICE_CODE;
    QUANTITY quantity: i64, sent::QUANTITY;
    UNIT_PRICE unit_price: Money, sent::UNIT_PRICE;
}

/// The claim's row and its lines' rows.
pub fn claim_rows(record: &ClaimRecord) -> (Row, Vec<Row>) {
    let claim = &record.claim;
    let id = claim.id();
    let lines = claim
        .lines
        .iter()
        .zip(&record.line_decisions)
        .enumerate()
        .map(|(i, (line, decided))| {
            ClaimLineRow {
                claim_id: id.clone(),
                line_no: i as i64 + 1,
                member_id: claim.member_id.clone(),
                service_code: line.service_code.clone(),
                quantity: line.quantity,
                unit_price: line.unit_price,
                benefit_category: decided.benefit_category.clone(),
                tariff_price: decided.tariff_price,
                claimed: decided.amounts.claimed,
                approved: decided.amounts.approved,
                member_share: decided.amounts.member_share,
                rejected: decided.amounts.rejected,
                reasons: Vec::new(),
            }
            .into_row()
        })
        .collect();
    let row = ClaimRow {
        id,
        provider_id: claim.provider_id.clone(),
        claim_number: claim.claim_number.clone(),
        member_id: claim.member_id.clone(),
        family_id: record.family_id.clone(),
        visit_date: claim.visit_date,
        admission_date: claim.admission_date,
        discharge_date: claim.discharge_date,
        incurred_date: claim.incurred_date(),
        diagnosis_codes: claim.diagnosis_codes.clone(),
        clinical_category: claim.clinical_category.clone(),
        specialty: claim.specialty.clone(),
        limit_raising_case: claim.limit_raising_case.clone(),
        copay_collected: claim.copay_collected,
        received_date: claim.received_date,
        status: record.status,
        package: record.package.clone(),
        scheme_version: record.scheme_version,
        coverage_year_start: record.coverage_year_start,
        claimed: record.amounts.claimed,
        approved: record.amounts.approved,
        member_share: record.amounts.member_share,
        rejected: record.amounts.rejected,
        allowance: record.allowance,
        paid: record.paid,
        reasons: Vec::new(),
        decided_date: record.decided_date,
        paid_date: record.paid_date,
        payment_batch: record.payment_batch.clone(),
        allowance_batch: record.allowance_batch.clone(),
        review_note: record.review_note.clone(),
        received_by: record.received_by.clone(),
        reviewed_by: record.reviewed_by.clone(),
    };
    let mut row = row.into_row();
    row[claims::REASONS.index()] = list_value(record.reason_codes.iter().map(|c| c.as_str()));
    (row, lines)
}

/// The claim's rows with each line's reason codes filled in from `reasons`.
pub fn claim_rows_with_reasons(record: &ClaimRecord, reasons: &[Reason]) -> (Row, Vec<Row>) {
    let (row, mut lines) = claim_rows(record);
    for (i, line) in lines.iter_mut().enumerate() {
        let number = i as u32 + 1;
        line[claim_lines::REASONS.index()] = list_value(
            reasons
                .iter()
                .filter(|r| r.line == Some(number))
                .map(|r| r.code.as_str()),
        );
    }
    (row, lines)
}

fn reason_code(field: &'static str, code: &str) -> Result<ReasonCode, FieldError> {
    ReasonCode::parse(code)
        .ok_or_else(|| FieldError::new(field, format!("{} is not a reason code", excerpt(code))))
}

/// Reads a claim back from its row and its lines' rows (in line order). The id and the incurred
/// date are kept in the row for queries; the record derives them from the claim.
pub fn claim_record(row: &[Value], lines: &[Row]) -> Result<ClaimRecord, FieldError> {
    let mut claim_lines = Vec::with_capacity(lines.len());
    let mut line_decisions = Vec::with_capacity(lines.len());
    for line in lines {
        let line = ClaimLineRow::from_row(line)?;
        claim_lines.push(ClaimLine {
            service_code: line.service_code,
            quantity: line.quantity,
            unit_price: line.unit_price,
        });
        line_decisions.push(LineDecision {
            benefit_category: line.benefit_category,
            tariff_price: line.tariff_price,
            amounts: Amounts {
                claimed: line.claimed,
                approved: line.approved,
                member_share: line.member_share,
                rejected: line.rejected,
            },
        });
    }
    let row = ClaimRow::from_row(row)?;
    let reason_codes = row
        .reasons
        .iter()
        .map(|code| reason_code(claims::REASONS.name(), code))
        .collect::<Result<_, _>>()?;
    Ok(ClaimRecord {
        claim: Claim {
            provider_id: row.provider_id,
            claim_number: row.claim_number,
            member_id: row.member_id,
            visit_date: row.visit_date,
            admission_date: row.admission_date,
            discharge_date: row.discharge_date,
            diagnosis_codes: row.diagnosis_codes,
            clinical_category: row.clinical_category,
            specialty: row.specialty,
            limit_raising_case: row.limit_raising_case,
            copay_collected: row.copay_collected,
            received_date: row.received_date,
            lines: claim_lines,
        },
        family_id: row.family_id,
        status: row.status,
        package: row.package,
        scheme_version: row.scheme_version,
        coverage_year_start: row.coverage_year_start,
        amounts: Amounts {
            claimed: row.claimed,
            approved: row.approved,
            member_share: row.member_share,
            rejected: row.rejected,
        },
        allowance: row.allowance,
        paid: row.paid,
        reason_codes,
        decided_date: row.decided_date,
        paid_date: row.paid_date,
        payment_batch: row.payment_batch,
        allowance_batch: row.allowance_batch,
        review_note: row.review_note,
        received_by: row.received_by,
        reviewed_by: row.reviewed_by,
        line_decisions,
    })
}

/// Rows of `reasons`, numbered from `first_seq`.
pub fn reason_rows(claim_id: &str, first_seq: i64, reasons: &[Reason]) -> Vec<Row> {
    reasons
        .iter()
        .enumerate()
        .map(|(i, reason)| {
            ClaimReasonRow {
                claim_id: claim_id.to_string(),
                seq: first_seq + i as i64,
                line_no: reason.line.map(i64::from),
                code: reason.code.as_str().to_string(),
                amount: reason.amount,
                message: reason.message.clone(),
                words: Some(
                    serde_json::to_string(&reason.words).expect("a reason's words are plain data"),
                ),
            }
            .into_row()
        })
        .collect()
}

pub fn reason_from_row(row: &[Value]) -> Result<Reason, FieldError> {
    let row = ClaimReasonRow::from_row(row)?;
    let words = match &row.words {
        None => Words::default(),
        Some(text) => serde_json::from_str(text).map_err(|e| {
            FieldError::new(
                claim_reasons::WORDS.name(),
                format!("not the words of a reason: {e}"),
            )
        })?,
    };
    Ok(Reason {
        code: reason_code(claim_reasons::CODE.name(), &row.code)?,
        line: row.line_no.map(|n| n as u32),
        amount: row.amount,
        message: row.message,
        words,
    })
}

pub fn usage_row(key: &UsageKey, usage: &Usage) -> Row {
    UsageRow {
        family_id: key.family_id.clone(),
        member_id: key.member_id.clone(),
        category: key.category.clone(),
        year_start: key.year_start,
        used: usage.used,
        deductible_used: usage.deductible_used,
        raised: usage.raised,
    }
    .into_row()
}

pub fn usage_from_row(row: &[Value]) -> Result<(UsageKey, Usage), FieldError> {
    Ok((
        UsageKey {
            family_id: claim_usage::FAMILY_ID.read(row)?,
            // A family limit's empty member id may come back as null.
            member_id: Option::<String>::from_value(
                claim_usage::MEMBER_ID.name(),
                claim_usage::MEMBER_ID.value(row),
            )?
            .unwrap_or_default(),
            category: claim_usage::CATEGORY.read(row)?,
            year_start: claim_usage::YEAR_START.read(row)?,
        },
        Usage {
            used: claim_usage::USED.read(row)?,
            deductible_used: claim_usage::DEDUCTIBLE_USED.read(row)?,
            raised: claim_usage::RAISED.read(row)?,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn a_claim_reads_back_as_written() {
        let day = |s: &str| s.parse::<NaiveDate>().unwrap();
        let claim = Claim {
            provider_id: "H1".into(),
            claim_number: "77".into(),
            member_id: "M1".into(),
            visit_date: None,
            admission_date: Some(day("2025-03-01")),
            discharge_date: Some(day("2025-03-04")),
            diagnosis_codes: vec!["I21.0".into(), "E11".into()],
            clinical_category: "medical".into(),
            specialty: Some("cardiology".into()),
            limit_raising_case: None,
            copay_collected: Money::from_units(5),
            received_date: day("2025-03-10"),
            lines: vec![ClaimLine {
                service_code: "PCI".into(),
                quantity: 1,
                unit_price: Money::from_minor(1_234_567),
            }],
        };
        let mut record = ClaimRecord::received(claim, Some("F1".into()), "facility-h1");
        record.reviewed_by = Some("rev".into());
        record.reason_codes = vec![ReasonCode::AboveTariff, ReasonCode::CostSharing];
        record.status = ClaimStatus::PartiallyApproved;
        let (row, lines) = claim_rows(&record);
        assert_eq!(row.len(), CLAIMS.columns.len());
        assert_eq!(lines[0].len(), CLAIM_LINES.columns.len());
        assert_eq!(claim_record(&row, &lines).unwrap(), record);
        let stored = ClaimRow::from_row(&row).unwrap();
        assert_eq!(stored.id, "H1/77");
        assert_eq!(stored.incurred_date, Some(day("2025-03-01")));
        assert_eq!(stored.reasons, ["above_tariff", "cost_sharing"]);
        assert_eq!(
            (stored.received_by.as_deref(), stored.reviewed_by.as_deref()),
            (Some("facility-h1"), Some("rev"))
        );
        assert_eq!(
            claims::STATUS.read(&row).unwrap(),
            ClaimStatus::PartiallyApproved
        );
        assert_eq!(
            claim_lines::UNIT_PRICE.read(&lines[0]).unwrap(),
            Money::from_minor(1_234_567)
        );
    }

    #[test]
    fn a_reason_reads_back_with_its_words_and_one_stored_before_words_without() {
        use carepool_core::words::Figure;
        let reason = Reason::line(
            ReasonCode::AboveTariff,
            2,
            Words::new(
                "above_tariff",
                [
                    ("cut", Figure::Amount(Money::from_minor(150_050))),
                    ("service", Figure::text("CONS")),
                ],
            ),
            "cut by 1,500.50",
        )
        .with_amount(Money::from_minor(150_050));
        let rows = reason_rows("H1/77", 3, std::slice::from_ref(&reason));
        assert_eq!(reason_from_row(&rows[0]).unwrap(), reason);
        assert_eq!(claim_reasons::SEQ.read(&rows[0]).unwrap(), 3);

        let mut before = rows[0].clone();
        before[claim_reasons::WORDS.index()] = Value::Null;
        let read = reason_from_row(&before).unwrap();
        assert_eq!(
            (read.words, read.message),
            (Words::default(), reason.message)
        );

        let mut broken = rows[0].clone();
        broken[claim_reasons::WORDS.index()] = Value::Text("{\"id\": 3}".into());
        let error = reason_from_row(&broken).unwrap_err();
        assert_eq!(error.field, "words");
    }
}
