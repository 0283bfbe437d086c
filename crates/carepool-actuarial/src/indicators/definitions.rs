//! What each indicator counts, written once: the JSON, the tables and docs/INDICATORS.md say it
//! from here.

use serde::Serialize;

/// An indicator's name in the output (`group.field`) and what it counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Definition {
    pub name: &'static str,
    pub definition: &'static str,
}

const fn define(name: &'static str, definition: &'static str) -> Definition {
    Definition { name, definition }
}

/// Every indicator, in the order the tables show them.
pub const DEFINITIONS: &[Definition] = &[
    define(
        "membership.members",
        "Members with active cover on the period's last day.",
    ),
    define(
        "membership.families",
        "Families with at least one member counted in membership.members.",
    ),
    define(
        "membership.pending",
        "Members covered but pending (registration not completed) on the period's last day.",
    ),
    define(
        "membership.new_members",
        "Members whose first cover began in the period.",
    ),
    define(
        "membership.exits",
        "Members whose cover ended in the period and did not go on the next day (lapse, inactivity or death).",
    ),
    define(
        "membership.growth_ratio",
        "(members at the period's end - members at the previous period's end) / members at the previous period's end; the first period against the day before it.",
    ),
    define(
        "membership.renewal_due",
        "Covers that ended in the period and so came up for renewal.",
    ),
    define(
        "membership.renewed",
        "Of those, covers followed by another starting within the scheme's grace period (coverage.grace_days) after their end; a later start is a lapse, not a renewal.",
    ),
    define(
        "membership.renewal_ratio",
        "membership.renewed / membership.renewal_due.",
    ),
    define(
        "membership.target_population",
        "The people the scheme aims to cover in the locations counted, in the period's year: each location's latest target given for that year or before, a location counted once at the highest level given.",
    ),
    define(
        "membership.coverage_ratio",
        "membership.members / membership.target_population.",
    ),
    define("membership.women", "Women among membership.members."),
    define(
        "membership.women_share",
        "membership.women / membership.members.",
    ),
    define(
        "membership.exposure",
        "Member-years of active cover in the period: a day is 1/365 of a year (1/366 in a leap year).",
    ),
    define(
        "contributions.due",
        "Contributions that fell due in the period under the scheme's rules (on the first day of each contribution period).",
    ),
    define(
        "contributions.collected",
        "Contributions received in the period (by the day paid).",
    ),
    define(
        "contributions.collection_rate",
        "contributions.collected / contributions.due.",
    ),
    define(
        "contributions.arrears",
        "Contributions due by the period's end and not paid by it, each payer's payments going to the oldest amount it owes.",
    ),
    define(
        "contributions.arrears_by_age",
        "The arrears by the days since they fell due, at the period's end: up to 30, 31-90, 91-180, over 180.",
    ),
    define(
        "contributions.families_in_arrears",
        "Families with arrears at the period's end.",
    ),
    define("claims.received", "Claims received in the period."),
    define(
        "claims.decided",
        "Claims decided in the period (adjudicated, or decided by a reviewer); a claim held for review counts when its reviewer decides it.",
    ),
    define(
        "claims.approved",
        "Claims decided in the period and approved, whole or in part.",
    ),
    define(
        "claims.rejected",
        "Claims decided in the period and rejected.",
    ),
    define(
        "claims.rejection_ratio",
        "claims.rejected / claims.decided: by count.",
    ),
    define(
        "claims.claimed_decided",
        "The amount claimed by the claims decided in the period.",
    ),
    define(
        "claims.rejected_amount",
        "Of it, the amount refused or cut.",
    ),
    define(
        "claims.rejection_ratio_by_amount",
        "claims.rejected_amount / claims.claimed_decided.",
    ),
    define(
        "claims.incurred",
        "Claims for care given in the period (by incurred date), rejected claims left out.",
    ),
    define(
        "claims.incidence_per_1000",
        "claims.incurred per 1,000 member-years of exposure (a yearly rate whatever the period's length).",
    ),
    define(
        "claims.cost",
        "What the scheme owes for claims.incurred: the approved amount once decided, the claimed amount before.",
    ),
    define("claims.average_cost", "claims.cost / claims.incurred."),
    define(
        "claims.stays",
        "Hospital stays discharged in the period, rejected claims left out.",
    ),
    define(
        "claims.bed_days",
        "Days in hospital of those stays (discharge - admission, at least 1).",
    ),
    define(
        "claims.average_length_of_stay",
        "claims.bed_days / claims.stays.",
    ),
    define("claims.paid", "Claims paid in the period."),
    define(
        "claims.promptness",
        "Claims paid in the period by the days from the claim's receipt, complete, to its payment: up to 7, 8-30, 31-90, over 90.",
    ),
    define(
        "finance.earned_premium",
        "Each contribution spread by day over the period it pays for; the part of those days in the reporting period.",
    ),
    define(
        "finance.claims_paid",
        "Paid to facilities for claims in the period.",
    ),
    define(
        "finance.outstanding",
        "Known claims not paid at the period's end: approved amounts once decided, claimed amounts before; rejected claims owe nothing.",
    ),
    define(
        "finance.ibnr",
        "Claims incurred but not reported by the period's end: chain ladder on the amounts owed by the claims as known that day, by month of care and month reported; empty when not estimable.",
    ),
    define(
        "finance.incurred_claims",
        "finance.claims_paid + the change in (finance.outstanding + finance.ibnr) since the previous period's end.",
    ),
    define(
        "finance.incurred_claims_ratio",
        "finance.incurred_claims / finance.earned_premium.",
    ),
    define(
        "finance.expenses",
        "Expenses recorded in the ledger for the months of the period; empty for a district's or a facility's figures, which the ledger does not split.",
    ),
    define(
        "finance.expense_ratio",
        "finance.expenses / finance.earned_premium.",
    ),
    define(
        "finance.net_income",
        "finance.earned_premium - finance.incurred_claims - finance.expenses.",
    ),
    define(
        "finance.net_income_ratio",
        "finance.net_income / finance.earned_premium.",
    ),
    define(
        "finance.assets",
        "Assets in the ledger at the end of the month the period ends in (liquid assets included); empty when that month has no balance recorded.",
    ),
    define(
        "finance.liabilities",
        "Liabilities in the ledger at the end of that month (short-term ones included).",
    ),
    define(
        "finance.solvency_ratio",
        "finance.assets / finance.liabilities.",
    ),
    define(
        "finance.liquidity_ratio",
        "Liquid assets (cash and what is available within 3 months) / short-term liabilities (payables due within 3 months), at the end of that month.",
    ),
];
