//! Reason codes: each cut, refusal, flag and note on a claim or a line has a stable code for
//! machines and a plain message for people.

use crate::money::Money;
pub use crate::words::{Figure, Words};
use serde::{Deserialize, Serialize};

/// What a reason does to the claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// The whole claim, or a whole line, is refused.
    Reject,
    /// Part of a line is not paid.
    Cut,
    /// The patient's share.
    Share,
    /// Something to look at; amounts are unchanged.
    Flag,
    /// Sent to a medical reviewer.
    Review,
    /// An amount added or a fact recorded.
    Note,
}

impl Effect {
    pub fn as_str(self) -> &'static str {
        match self {
            Effect::Reject => "reject",
            Effect::Cut => "cut",
            Effect::Share => "share",
            Effect::Flag => "flag",
            Effect::Review => "review",
            Effect::Note => "note",
        }
    }
}

macro_rules! reason_codes {
    ($($variant:ident = $text:literal, $effect:ident, $doc:literal;)+) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ReasonCode { $(#[doc = $doc] $variant),+ }

        impl ReasonCode {
            pub const ALL: &'static [ReasonCode] = &[$(ReasonCode::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(ReasonCode::$variant => $text),+ }
            }

            pub fn effect(self) -> Effect {
                match self { $(ReasonCode::$variant => Effect::$effect),+ }
            }

            /// What the code means, for the documentation and the API description.
            pub fn doc(self) -> &'static str {
                match self { $(ReasonCode::$variant => $doc),+ }
            }

            pub fn parse(text: &str) -> Option<ReasonCode> {
                match text { $($text => Some(ReasonCode::$variant),)+ _ => None }
            }
        }
    };
}

reason_codes! {
    MalformedDates = "malformed_dates", Reject, "Dates missing or out of order (a visit date, or admission then discharge, on or before the date received).";
    MalformedAmounts = "malformed_amounts", Reject, "No lines, a quantity below 1, or a unit price that is not positive.";
    MalformedCodes = "malformed_codes", Reject, "A diagnosis code that is not an ICD-10 code.";
    DuplicateClaim = "duplicate_claim", Review, "Probable duplicate: another claim for the same member, facility and dates was received first; held even when a limit cut it to nothing.";
    MemberUnknown = "member_unknown", Reject, "No member with that id.";
    MemberPending = "member_pending", Reject, "The member's registration is pending: not entitled to claim.";
    MemberInactive = "member_inactive", Reject, "The member was inactive on the date of service.";
    MemberDeceased = "member_deceased", Reject, "The date of service is after the member's death.";
    AfterExit = "after_exit", Review, "The member's death or exit, recorded after the claim was approved, came on or before the date of service: held for review, not paid.";
    NotCovered = "not_covered", Reject, "The member had no cover on the date of service.";
    CoverSuspended = "cover_suspended", Reject, "Cover was suspended for unpaid contributions past the grace period.";
    NoSchemeVersion = "no_scheme_version", Reject, "No version of the scheme was in force on the date of service.";
    ProviderUnknown = "provider_unknown", Reject, "No facility with that id.";
    ProviderNotEmpanelled = "provider_not_empanelled", Reject, "The facility was not empanelled on the date of service.";
    ServiceNotInPackage = "service_not_in_package", Reject, "The service is not in the member's benefit package on the date of service.";
    ServiceNotAtLevel = "service_not_at_level", Reject, "The facility's level may not provide this service.";
    CategoryNotCovered = "category_not_covered", Reject, "The service's benefit category does not cover this setting, clinical category or diagnosis.";
    WaitingPeriod = "waiting_period", Reject, "The date of service falls in the category's waiting period after enrolment.";
    SexRestriction = "sex_restriction", Reject, "The service is restricted to the other sex.";
    AgeRestriction = "age_restriction", Reject, "The service is restricted to other ages.";
    FrequencyLimit = "frequency_limit", Reject, "The service was already approved for this member within its frequency limit.";
    AboveTariff = "above_tariff", Cut, "Price above tariff: cut to the tariff.";
    AnnualLimit = "annual_limit", Cut, "The category's annual limit for the family or member is reached.";
    LimitRaised = "limit_raised", Flag, "A limit-raising case took the claim above the annual limit.";
    CostSharing = "cost_sharing", Share, "The member's share under the package's cost sharing.";
    Exempt = "exempt", Note, "The member belongs to a group exempt from cost sharing.";
    ExemptCharged = "exempt_charged", Flag, "The facility collected a co-payment from an exempt member.";
    CopayAboveOfficial = "copay_above_official", Flag, "The facility collected more than the official co-payment.";
    TransportAllowance = "transport_allowance", Note, "Transport allowance paid to the patient at discharge.";
    FoodAllowance = "food_allowance", Note, "Food allowance paid to the patient per day in hospital.";
    ReviewRandom = "review_random", Review, "Drawn in the random sample for medical review.";
    ReviewAmount = "review_amount", Review, "Claimed amount above the review threshold.";
    ReviewLengthOfStay = "review_length_of_stay", Review, "Length of stay far above the norm for the specialty.";
    ReviewCost = "review_cost", Review, "Cost far above the norm for the specialty.";
    ReviewApproved = "review_approved", Note, "A medical reviewer approved the claim.";
    ReviewAdjusted = "review_adjusted", Cut, "A medical reviewer reduced the approved amount.";
    ReviewRejected = "review_rejected", Reject, "A medical reviewer rejected the claim.";
    AppealReopened = "appeal_reopened", Note, "An appeal against the claim's decision was upheld: the claim was reopened for a new decision; this reason keeps the decision it had.";
}

impl std::fmt::Display for ReasonCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ReasonCode {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for ReasonCode {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<ReasonCode, D::Error> {
        let text = String::deserialize(deserializer)?;
        ReasonCode::parse(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "{} is not a reason code",
                crate::registry::excerpt(&text)
            ))
        })
    }
}

/// One reason on a claim (`line` none) or on one of its lines (numbered from 1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reason {
    pub code: ReasonCode,
    pub line: Option<u32>,
    /// The amount the reason moved (cut, share, allowance), if any.
    pub amount: Option<Money>,
    /// The English sentence (the API's and the command line's).
    pub message: String,
    /// The same sentence apart from its language, for a page to say it in the reader's.
    #[serde(skip)]
    pub words: Words,
}

/// Every sentence a reason may say: its id and the names of the figures it quotes (each
/// catalogue of the pages holds a sentence `reason-ID` for each, quoting no other; a test
/// checks).
pub const SENTENCES: &[(&str, &[&str])] = &[
    ("dates_both", &[]),
    ("dates_none", &[]),
    ("stay_without_discharge", &[]),
    ("discharge_without_admission", &[]),
    ("discharge_before_admission", &["discharge", "admission"]),
    ("received_before_discharge", &["received", "discharge"]),
    ("received_before_visit", &["received", "visit"]),
    ("no_lines", &[]),
    ("no_diagnosis", &[]),
    ("not_icd10", &["code"]),
    ("member_unknown", &["member"]),
    ("provider_unknown", &["facility"]),
    ("not_empanelled", &["facility", "from", "to", "date"]),
    ("member_pending", &["member", "since"]),
    ("member_inactive", &["member", "since"]),
    ("member_deceased", &["member", "since"]),
    ("no_scheme_version", &["scheme", "date"]),
    ("not_covered", &["member", "date"]),
    ("cover_suspended", &["since", "days", "arrears"]),
    ("package_not_in_version", &["package", "version"]),
    ("bad_quantity_or_price", &["quantity", "price"]),
    ("service_not_in_package", &["service", "package"]),
    (
        "service_not_at_level",
        &["service", "levels", "level", "facility"],
    ),
    ("setting_not_covered", &["category", "covered", "setting"]),
    (
        "clinical_category_not_covered",
        &["category", "covered", "clinical"],
    ),
    (
        "condition_not_covered",
        &["category", "conditions", "diagnosis"],
    ),
    ("sex_restriction", &["service", "sex"]),
    ("age_restriction", &["service", "min", "max", "age"]),
    ("waiting_period", &["category", "days", "from", "began"]),
    ("frequency_twice_in_claim", &["group", "months"]),
    (
        "frequency_already_claimed",
        &["group", "months", "claim", "date"],
    ),
    (
        "above_tariff",
        &["cut", "service", "level", "quantity", "price", "tariff"],
    ),
    ("exempt", &["category", "group"]),
    ("share_fixed", &["share", "amount"]),
    ("share_by_level", &["share", "amount", "level"]),
    ("share_percent", &["share", "percent"]),
    ("share_deductible", &["share", "amount"]),
    (
        "annual_limit",
        &["cut", "per", "category", "limit", "year", "left"],
    ),
    (
        "annual_limit_raised",
        &[
            "cut", "per", "category", "limit", "year", "left", "raised", "case",
        ],
    ),
    ("limit_raised", &["above", "category", "limit", "case"]),
    (
        "allowance_per_discharge",
        &["kind", "amount", "daily", "days", "when", "category"],
    ),
    (
        "allowance_per_day",
        &["kind", "amount", "daily", "days", "when", "category"],
    ),
    ("exempt_charged", &["collected", "group", "official"]),
    ("copay_above_official", &["collected", "official"]),
    ("duplicate_claim", &["claim", "received"]),
    ("review_random", &["share"]),
    ("review_amount", &["claimed", "threshold"]),
    (
        "review_length_of_stay",
        &["days", "factor", "norm", "specialty"],
    ),
    ("review_cost", &["claimed", "factor", "norm", "specialty"]),
    ("review_approved", &["note"]),
    ("review_adjusted", &["cut", "approved", "before", "note"]),
    ("review_rejected", &["note"]),
    (
        "appeal_reopened",
        &["grievance", "status", "approved", "claimed", "note"],
    ),
    ("after_death", &["member", "since", "service"]),
    ("after_exit", &["member", "since", "service"]),
];

/// The words of a reason: `id` and the figures' names must be as [`SENTENCES`] lists them.
pub fn words<'a>(id: &str, figures: impl IntoIterator<Item = (&'a str, Figure)>) -> Words {
    let words = Words::new(id, figures);
    debug_assert!(
        SENTENCES.iter().any(|(listed, names)| *listed == id
            && names.len() == words.figures.len()
            && words
                .figures
                .iter()
                .all(|(name, _)| names.contains(&name.as_str()))),
        "{id} with {:?} is not listed in SENTENCES",
        words.figures
    );
    words
}

impl Reason {
    pub fn claim(code: ReasonCode, words: Words, message: impl Into<String>) -> Reason {
        Reason {
            code,
            line: None,
            amount: None,
            message: message.into(),
            words,
        }
    }

    pub fn line(code: ReasonCode, line: u32, words: Words, message: impl Into<String>) -> Reason {
        Reason {
            code,
            line: Some(line),
            amount: None,
            message: message.into(),
            words,
        }
    }

    pub fn with_amount(self, amount: Money) -> Reason {
        Reason {
            amount: Some(amount),
            ..self
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_read_back() {
        let mut seen = HashSet::new();
        for &code in ReasonCode::ALL {
            assert!(seen.insert(code.as_str()), "{code} twice");
            assert_eq!(ReasonCode::parse(code.as_str()), Some(code));
            assert!(!code.doc().is_empty());
        }
        assert_eq!(ReasonCode::parse("nonsense"), None);
    }

    #[test]
    fn sentence_ids_are_unique() {
        let unique: HashSet<&str> = SENTENCES.iter().map(|(id, _)| *id).collect();
        assert_eq!(unique.len(), SENTENCES.len());
    }
}
