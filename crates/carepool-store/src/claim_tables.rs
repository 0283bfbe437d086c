//! The claims tables, and how a [`ClaimRecord`] maps onto a claim row and its line rows.
//! Claims are written by the claims service (never imported as registry rows), and exported and
//! listed like any table.

use crate::schema::{Column, ColumnType as T, Row, Table, Value};
use crate::tables::{Fields, list, money, opt_date, opt_text, text};
use carepool_core::Money;
use carepool_core::claims::usage::{Usage, UsageKey};
use carepool_core::claims::verify::LineDecision;
use carepool_core::claims::{
    Amounts, Claim, ClaimLine, ClaimRecord, ClaimStatus, Reason, ReasonCode,
};
use carepool_core::registry::FieldError;

/// Column positions in [`CLAIMS`].
pub mod claim_column {
    pub const ID: usize = 0;
    pub const PROVIDER_ID: usize = 1;
    pub const CLAIM_NUMBER: usize = 2;
    pub const MEMBER_ID: usize = 3;
    pub const FAMILY_ID: usize = 4;
    pub const VISIT_DATE: usize = 5;
    pub const ADMISSION_DATE: usize = 6;
    pub const DISCHARGE_DATE: usize = 7;
    pub const INCURRED_DATE: usize = 8;
    pub const DIAGNOSIS_CODES: usize = 9;
    pub const CLINICAL_CATEGORY: usize = 10;
    pub const SPECIALTY: usize = 11;
    pub const LIMIT_RAISING_CASE: usize = 12;
    pub const COPAY_COLLECTED: usize = 13;
    pub const RECEIVED_DATE: usize = 14;
    pub const STATUS: usize = 15;
    pub const PACKAGE: usize = 16;
    pub const SCHEME_VERSION: usize = 17;
    pub const COVERAGE_YEAR_START: usize = 18;
    pub const CLAIMED: usize = 19;
    pub const APPROVED: usize = 20;
    pub const MEMBER_SHARE: usize = 21;
    pub const REJECTED: usize = 22;
    pub const ALLOWANCE: usize = 23;
    pub const PAID: usize = 24;
    pub const REASONS: usize = 25;
    pub const DECIDED_DATE: usize = 26;
    pub const PAID_DATE: usize = 27;
    pub const PAYMENT_BATCH: usize = 28;
    pub const ALLOWANCE_BATCH: usize = 29;
    pub const REVIEW_NOTE: usize = 30;

    /// What adjudication or review sets: status, rules, amounts, reasons, date and note.
    pub const DECISION: &[usize] = &[
        STATUS,
        PACKAGE,
        SCHEME_VERSION,
        COVERAGE_YEAR_START,
        CLAIMED,
        APPROVED,
        MEMBER_SHARE,
        REJECTED,
        ALLOWANCE,
        REASONS,
        DECIDED_DATE,
        REVIEW_NOTE,
    ];
    /// What a payment run sets.
    pub const PAYMENT: &[usize] = &[STATUS, PAID, PAID_DATE, PAYMENT_BATCH, ALLOWANCE_BATCH];
}

/// Column positions in [`CLAIM_LINES`] and [`CLAIM_REASONS`] that are read by.
pub const LINE_CLAIM_ID: usize = 0;
pub const LINE_MEMBER_ID: usize = 2;
pub const LINE_SERVICE_CODE: usize = 3;
pub const LINE_QUANTITY: usize = 4;
pub const LINE_UNIT_PRICE: usize = 5;
pub const LINE_BENEFIT_CATEGORY: usize = 6;
pub const LINE_TARIFF_PRICE: usize = 7;
pub const LINE_CLAIMED: usize = 8;
pub const LINE_APPROVED: usize = 9;
pub const LINE_MEMBER_SHARE: usize = 10;
pub const LINE_REJECTED: usize = 11;
pub const LINE_REASONS: usize = 12;
/// What a decision sets on a line: benefit category to reasons.
pub const LINE_DECISION: &[usize] = &[
    LINE_BENEFIT_CATEGORY,
    LINE_TARIFF_PRICE,
    LINE_CLAIMED,
    LINE_APPROVED,
    LINE_MEMBER_SHARE,
    LINE_REJECTED,
    LINE_REASONS,
];
pub const REASON_CLAIM_ID: usize = 0;
pub const USAGE_FAMILY_ID: usize = 0;

/// The columns a facility sends, shared by the stored tables and the claims CSV files, so the
/// two cannot drift apart.
pub mod sent {
    use crate::schema::{Column, ColumnType as T};

    pub const PROVIDER_ID: Column = Column::new("provider_id", T::Text, "The facility's code.");
    pub const CLAIM_NUMBER: Column = Column::new(
        "claim_number",
        T::Text,
        "The facility's own number for the claim.",
    );
    pub const MEMBER_ID: Column = Column::new("member_id", T::Text, "The patient's member id.");
    pub const VISIT_DATE: Column =
        Column::new("visit_date", T::Date, "Date of a visit (outpatient care).").optional();
    pub const ADMISSION_DATE: Column =
        Column::new("admission_date", T::Date, "Admission, for a stay.").optional();
    pub const DISCHARGE_DATE: Column =
        Column::new("discharge_date", T::Date, "Discharge, for a stay.").optional();
    pub const DIAGNOSIS_CODES: Column = Column::new(
        "diagnosis_codes",
        T::List,
        "ICD-10 codes, principal first, separated by ';'.",
    )
    .optional();
    pub const CLINICAL_CATEGORY: Column = Column::new(
        "clinical_category",
        T::Text,
        "medical, surgical, maternity, diagnostics, ...",
    );
    pub const SPECIALTY: Column =
        Column::new("specialty", T::Text, "The treating specialty.").optional();
    pub const LIMIT_RAISING_CASE: Column = Column::new(
        "limit_raising_case",
        T::Text,
        "A limit-raising case of the package the facility declares.",
    )
    .optional();
    /// Required once stored (0 when the file left it empty).
    pub const COPAY_COLLECTED: Column = Column::new(
        "copay_collected",
        T::Money,
        "What the facility collected from the patient; empty is 0.",
    );
    pub const RECEIVED_DATE: Column = Column::new(
        "received_date",
        T::Date,
        "The day the scheme received the claim.",
    );
    pub const SERVICE_CODE: Column = Column::new(
        "service_code",
        T::Text,
        "Service or item code of the tariff.",
    );
    pub const QUANTITY: Column = Column::new("quantity", T::Integer, "Units, days or items.");
    pub const UNIT_PRICE: Column = Column::new("unit_price", T::Money, "Price claimed per unit.");
}

pub static CLAIMS: Table = Table {
    name: "claims",
    singular: "claim",
    key: &[0],
    columns: &[
        Column::new(
            "id",
            T::Text,
            "PROVIDER/CLAIM_NUMBER: the claim's identity in carepool.",
        ),
        sent::PROVIDER_ID.filterable(),
        sent::CLAIM_NUMBER,
        sent::MEMBER_ID.filterable(),
        Column::new(
            "family_id",
            T::Text,
            "The patient's family; empty for an unknown member.",
        )
        .optional()
        .filterable(),
        sent::VISIT_DATE,
        sent::ADMISSION_DATE,
        sent::DISCHARGE_DATE,
        Column::new(
            "incurred_date",
            T::Date,
            "Date of service: admission, or the visit date.",
        )
        .optional(),
        sent::DIAGNOSIS_CODES,
        sent::CLINICAL_CATEGORY,
        sent::SPECIALTY,
        sent::LIMIT_RAISING_CASE,
        sent::COPAY_COLLECTED,
        sent::RECEIVED_DATE,
        Column::new(
            "status",
            T::Text,
            "received, in_review, approved, partially_approved, rejected or paid.",
        )
        .filterable(),
        Column::new("package", T::Text, "The member's benefit package.").optional(),
        Column::new(
            "scheme_version",
            T::Date,
            "Effective date of the rules that judged it.",
        )
        .optional(),
        Column::new(
            "coverage_year_start",
            T::Date,
            "First day of the coverage year it counts in.",
        )
        .optional(),
        Column::new("claimed", T::Money, "Sum of the lines as claimed."),
        Column::new("approved", T::Money, "What the scheme pays the facility."),
        Column::new(
            "member_share",
            T::Money,
            "The patient's share under cost sharing.",
        ),
        Column::new(
            "rejected",
            T::Money,
            "Refused or cut; claimed = approved + member_share + rejected.",
        ),
        Column::new(
            "allowance",
            T::Money,
            "Allowances paid to the patient (transport, food).",
        ),
        Column::new("paid", T::Money, "Paid to the facility."),
        Column::new(
            "reasons",
            T::List,
            "Reason codes on the claim and its lines.",
        )
        .optional(),
        Column::new(
            "decided_date",
            T::Date,
            "The day it was adjudicated or reviewed.",
        )
        .optional(),
        Column::new("paid_date", T::Date, "The day its payment batch was paid.").optional(),
        Column::new("payment_batch", T::Text, "The facility's payment batch.")
            .optional()
            .filterable(),
        Column::new(
            "allowance_batch",
            T::Text,
            "The patient's allowance payment.",
        )
        .optional(),
        Column::new("review_note", T::Text, "The medical reviewer's note.").optional(),
    ],
};

pub static CLAIM_LINES: Table = Table {
    name: "claim_lines",
    singular: "claim line",
    key: &[0, 1],
    columns: &[
        Column::new("claim_id", T::Text, "The claim (PROVIDER/CLAIM_NUMBER).").filterable(),
        Column::new("line_no", T::Integer, "1, 2, ... in the order received."),
        Column::new(
            "member_id",
            T::Text,
            "The patient (kept for frequency limits).",
        ),
        sent::SERVICE_CODE,
        sent::QUANTITY,
        sent::UNIT_PRICE,
        Column::new(
            "benefit_category",
            T::Text,
            "The category the line was judged under.",
        )
        .optional(),
        Column::new(
            "tariff_price",
            T::Money,
            "The tariff's unit price at the facility's level.",
        )
        .optional(),
        Column::new("claimed", T::Money, "Quantity × unit price."),
        Column::new("approved", T::Money, "What the scheme pays for the line."),
        Column::new("member_share", T::Money, "The patient's share of the line."),
        Column::new("rejected", T::Money, "Refused or cut on the line."),
        Column::new("reasons", T::List, "Reason codes on the line.").optional(),
    ],
};

pub static CLAIM_REASONS: Table = Table {
    name: "claim_reasons",
    singular: "claim reason",
    key: &[0, 1],
    columns: &[
        Column::new("claim_id", T::Text, "The claim.").filterable(),
        Column::new("seq", T::Integer, "Order of the reason on the claim."),
        Column::new(
            "line_no",
            T::Integer,
            "The line; empty for the claim as a whole.",
        )
        .optional(),
        Column::new("code", T::Text, "The reason code."),
        Column::new("amount", T::Money, "The amount it moved, if any.").optional(),
        Column::new("message", T::Text, "The reason in words."),
    ],
};

pub static CLAIM_USAGE: Table = Table {
    name: "claim_usage",
    singular: "limit usage",
    key: &[0, 1, 2, 3],
    columns: &[
        Column::new("family_id", T::Text, "The family.").filterable(),
        Column::new(
            "member_id",
            T::Text,
            "The member, for a member limit or a deductible; empty for a family limit.",
        ),
        Column::new("category", T::Text, "The benefit category."),
        Column::new("year_start", T::Date, "First day of the coverage year."),
        Column::new("used", T::Money, "Approved toward the annual limit."),
        Column::new(
            "deductible_used",
            T::Money,
            "Paid by the member toward the deductible.",
        ),
        Column::new(
            "raised",
            T::Integer,
            "Claims that went above the limit under a limit-raising case.",
        ),
    ],
};

pub static PAYMENTS: Table = Table {
    name: "payments",
    singular: "payment",
    key: &[0],
    columns: &[
        Column::new("id", T::Text, "PERIOD/provider|member/PAYEE[/n]."),
        Column::new("period", T::Text, "The month paid, YYYY-MM.").filterable(),
        Column::new(
            "payee_kind",
            T::Text,
            "provider (claims) or member (allowances).",
        )
        .filterable(),
        Column::new("payee_id", T::Text, "The facility or the patient.").filterable(),
        Column::new("paid_date", T::Date, "The day of payment."),
        Column::new("claims", T::Integer, "Claims in the payment."),
        Column::new("amount", T::Money, "The amount paid."),
    ],
};

/// The claims tables, for export and listing.
pub static ALL: &[&Table] = &[
    &CLAIMS,
    &CLAIM_LINES,
    &CLAIM_REASONS,
    &CLAIM_USAGE,
    &PAYMENTS,
];

/// The claim's row and its lines' rows.
pub fn claim_rows(record: &ClaimRecord) -> (Row, Vec<Row>) {
    let claim = &record.claim;
    let id = claim.id();
    let row = vec![
        text(&id),
        text(&claim.provider_id),
        text(&claim.claim_number),
        text(&claim.member_id),
        opt_text(&record.family_id),
        opt_date(claim.visit_date),
        opt_date(claim.admission_date),
        opt_date(claim.discharge_date),
        opt_date(claim.incurred_date()),
        list(&claim.diagnosis_codes),
        text(&claim.clinical_category),
        opt_text(&claim.specialty),
        opt_text(&claim.limit_raising_case),
        money(claim.copay_collected),
        Value::Date(claim.received_date),
        text(record.status.as_str()),
        opt_text(&record.package),
        opt_date(record.scheme_version),
        opt_date(record.coverage_year_start),
        money(record.amounts.claimed),
        money(record.amounts.approved),
        money(record.amounts.member_share),
        money(record.amounts.rejected),
        money(record.allowance),
        money(record.paid),
        list(record.reason_codes.iter().map(|c| c.as_str())),
        opt_date(record.decided_date),
        opt_date(record.paid_date),
        opt_text(&record.payment_batch),
        opt_text(&record.allowance_batch),
        opt_text(&record.review_note),
    ];
    let lines = claim
        .lines
        .iter()
        .zip(&record.line_decisions)
        .enumerate()
        .map(|(i, (line, decided))| {
            vec![
                text(&id),
                Value::Integer(i as i64 + 1),
                text(&claim.member_id),
                text(&line.service_code),
                Value::Integer(line.quantity),
                money(line.unit_price),
                opt_text(&decided.benefit_category),
                decided.tariff_price.map_or(Value::Null, money),
                money(decided.amounts.claimed),
                money(decided.amounts.approved),
                money(decided.amounts.member_share),
                money(decided.amounts.rejected),
                Value::Null,
            ]
        })
        .collect();
    (row, lines)
}

/// The claim's rows with each line's reason codes filled in from `reasons`.
pub fn claim_rows_with_reasons(record: &ClaimRecord, reasons: &[Reason]) -> (Row, Vec<Row>) {
    let (row, mut lines) = claim_rows(record);
    for (i, line) in lines.iter_mut().enumerate() {
        let number = i as u32 + 1;
        line[LINE_REASONS] = list(
            reasons
                .iter()
                .filter(|r| r.line == Some(number))
                .map(|r| r.code.as_str()),
        );
    }
    (row, lines)
}

/// Reads a claim back from its row and its lines' rows (in line order). The id and the incurred
/// date are kept in the row for queries; the record derives them from the claim.
pub fn claim_record(row: &[Value], lines: &[Row]) -> Result<ClaimRecord, FieldError> {
    let f = Fields {
        table: &CLAIMS,
        row,
    };
    let mut claim_lines = Vec::with_capacity(lines.len());
    let mut line_decisions = Vec::with_capacity(lines.len());
    for line in lines {
        let l = Fields {
            table: &CLAIM_LINES,
            row: line,
        };
        claim_lines.push(ClaimLine {
            service_code: l.text(LINE_SERVICE_CODE)?,
            quantity: l.integer(LINE_QUANTITY)?,
            unit_price: l.money(LINE_UNIT_PRICE)?,
        });
        line_decisions.push(LineDecision {
            benefit_category: l.opt_text(LINE_BENEFIT_CATEGORY)?,
            tariff_price: l.opt_money(LINE_TARIFF_PRICE)?,
            amounts: Amounts {
                claimed: l.money(LINE_CLAIMED)?,
                approved: l.money(LINE_APPROVED)?,
                member_share: l.money(LINE_MEMBER_SHARE)?,
                rejected: l.money(LINE_REJECTED)?,
            },
        });
    }
    let reason_codes = f
        .list(claim_column::REASONS)?
        .iter()
        .map(|code| {
            ReasonCode::parse(code)
                .ok_or_else(|| FieldError::new("reasons", format!("'{code}' is not a reason code")))
        })
        .collect::<Result<_, _>>()?;
    use claim_column as c;
    Ok(ClaimRecord {
        claim: Claim {
            provider_id: f.text(c::PROVIDER_ID)?,
            claim_number: f.text(c::CLAIM_NUMBER)?,
            member_id: f.text(c::MEMBER_ID)?,
            visit_date: f.opt_date(c::VISIT_DATE)?,
            admission_date: f.opt_date(c::ADMISSION_DATE)?,
            discharge_date: f.opt_date(c::DISCHARGE_DATE)?,
            diagnosis_codes: f.list(c::DIAGNOSIS_CODES)?,
            clinical_category: f.text(c::CLINICAL_CATEGORY)?,
            specialty: f.opt_text(c::SPECIALTY)?,
            limit_raising_case: f.opt_text(c::LIMIT_RAISING_CASE)?,
            copay_collected: f.money(c::COPAY_COLLECTED)?,
            received_date: f.date(c::RECEIVED_DATE)?,
            lines: claim_lines,
        },
        family_id: f.opt_text(c::FAMILY_ID)?,
        status: f.code(c::STATUS, ClaimStatus::parse)?,
        package: f.opt_text(c::PACKAGE)?,
        scheme_version: f.opt_date(c::SCHEME_VERSION)?,
        coverage_year_start: f.opt_date(c::COVERAGE_YEAR_START)?,
        amounts: Amounts {
            claimed: f.money(c::CLAIMED)?,
            approved: f.money(c::APPROVED)?,
            member_share: f.money(c::MEMBER_SHARE)?,
            rejected: f.money(c::REJECTED)?,
        },
        allowance: f.money(c::ALLOWANCE)?,
        paid: f.money(c::PAID)?,
        reason_codes,
        decided_date: f.opt_date(c::DECIDED_DATE)?,
        paid_date: f.opt_date(c::PAID_DATE)?,
        payment_batch: f.opt_text(c::PAYMENT_BATCH)?,
        allowance_batch: f.opt_text(c::ALLOWANCE_BATCH)?,
        review_note: f.opt_text(c::REVIEW_NOTE)?,
        line_decisions,
    })
}

/// Rows of `reasons`, numbered from `first_seq`.
pub fn reason_rows(claim_id: &str, first_seq: i64, reasons: &[Reason]) -> Vec<Row> {
    reasons
        .iter()
        .enumerate()
        .map(|(i, reason)| {
            vec![
                text(claim_id),
                Value::Integer(first_seq + i as i64),
                reason
                    .line
                    .map_or(Value::Null, |l| Value::Integer(i64::from(l))),
                text(reason.code.as_str()),
                reason.amount.map_or(Value::Null, money),
                text(&reason.message),
            ]
        })
        .collect()
}

pub fn reason_from_row(row: &[Value]) -> Result<Reason, FieldError> {
    let f = Fields {
        table: &CLAIM_REASONS,
        row,
    };
    let code = f.text(3)?;
    Ok(Reason {
        code: ReasonCode::parse(&code)
            .ok_or_else(|| FieldError::new("code", format!("'{code}' is not a reason code")))?,
        line: f.opt_integer(2)?.map(|n| n as u32),
        amount: f.opt_money(4)?,
        message: f.text(5)?,
    })
}

pub fn usage_row(key: &UsageKey, usage: &Usage) -> Row {
    vec![
        text(&key.family_id),
        text(&key.member_id),
        text(&key.category),
        Value::Date(key.year_start),
        money(usage.used),
        money(usage.deductible_used),
        Value::Integer(usage.raised),
    ]
}

pub fn usage_from_row(row: &[Value]) -> Result<(UsageKey, Usage), FieldError> {
    let f = Fields {
        table: &CLAIM_USAGE,
        row,
    };
    Ok((
        UsageKey {
            family_id: f.text(0)?,
            // A family limit's empty member id may come back as null.
            member_id: f.opt_text(1)?.unwrap_or_default(),
            category: f.text(2)?,
            year_start: f.date(3)?,
        },
        Usage {
            used: f.money(4)?,
            deductible_used: f.money(5)?,
            raised: f.integer(6)?,
        },
    ))
}

/// One payment to a facility or a patient.
#[derive(Debug, Clone, PartialEq)]
pub struct Payment {
    pub id: String,
    pub period: String,
    pub payee_kind: &'static str,
    pub payee_id: String,
    pub paid_date: chrono::NaiveDate,
    pub claims: i64,
    pub amount: Money,
}

pub fn payment_row(payment: &Payment) -> Row {
    vec![
        text(&payment.id),
        text(&payment.period),
        text(payment.payee_kind),
        text(&payment.payee_id),
        Value::Date(payment.paid_date),
        Value::Integer(payment.claims),
        money(payment.amount),
    ]
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
        let mut record = ClaimRecord::received(claim, Some("F1".into()));
        record.reason_codes = vec![ReasonCode::AboveTariff, ReasonCode::CostSharing];
        record.status = ClaimStatus::PartiallyApproved;
        let (row, lines) = claim_rows(&record);
        assert_eq!(row.len(), CLAIMS.columns.len());
        assert_eq!(lines[0].len(), CLAIM_LINES.columns.len());
        assert_eq!(claim_record(&row, &lines).unwrap(), record);
        assert_eq!(CLAIMS.columns[claim_column::STATUS].name, "status");
        assert_eq!(
            CLAIMS.columns[claim_column::RECEIVED_DATE].name,
            "received_date"
        );
        for (index, name) in [
            (claim_column::PROVIDER_ID, "provider_id"),
            (claim_column::CLAIM_NUMBER, "claim_number"),
            (claim_column::MEMBER_ID, "member_id"),
            (claim_column::VISIT_DATE, "visit_date"),
            (claim_column::ADMISSION_DATE, "admission_date"),
            (claim_column::DISCHARGE_DATE, "discharge_date"),
            (claim_column::DIAGNOSIS_CODES, "diagnosis_codes"),
            (claim_column::CLINICAL_CATEGORY, "clinical_category"),
            (claim_column::SPECIALTY, "specialty"),
            (claim_column::LIMIT_RAISING_CASE, "limit_raising_case"),
            (claim_column::COPAY_COLLECTED, "copay_collected"),
            (claim_column::FAMILY_ID, "family_id"),
            (claim_column::PACKAGE, "package"),
            (claim_column::SCHEME_VERSION, "scheme_version"),
            (claim_column::COVERAGE_YEAR_START, "coverage_year_start"),
            (claim_column::MEMBER_SHARE, "member_share"),
            (claim_column::REASONS, "reasons"),
            (claim_column::REVIEW_NOTE, "review_note"),
            (claim_column::INCURRED_DATE, "incurred_date"),
            (claim_column::CLAIMED, "claimed"),
            (claim_column::APPROVED, "approved"),
            (claim_column::ALLOWANCE, "allowance"),
            (claim_column::PAID, "paid"),
            (claim_column::DECIDED_DATE, "decided_date"),
            (claim_column::PAID_DATE, "paid_date"),
            (claim_column::PAYMENT_BATCH, "payment_batch"),
            (claim_column::ALLOWANCE_BATCH, "allowance_batch"),
        ] {
            assert_eq!(CLAIMS.columns[index].name, name);
        }
        assert_eq!(CLAIM_LINES.columns[LINE_MEMBER_ID].name, "member_id");
        for (index, name) in [
            (LINE_SERVICE_CODE, "service_code"),
            (LINE_QUANTITY, "quantity"),
            (LINE_UNIT_PRICE, "unit_price"),
            (LINE_BENEFIT_CATEGORY, "benefit_category"),
            (LINE_TARIFF_PRICE, "tariff_price"),
            (LINE_CLAIMED, "claimed"),
            (LINE_APPROVED, "approved"),
            (LINE_MEMBER_SHARE, "member_share"),
            (LINE_REJECTED, "rejected"),
            (LINE_REASONS, "reasons"),
        ] {
            assert_eq!(CLAIM_LINES.columns[index].name, name);
        }
    }
}
