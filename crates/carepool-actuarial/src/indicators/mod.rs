//! The monthly watch (docs/DOMAIN.md §5): membership, contributions, claims and finance per
//! reporting period, each indicator with its definition. The data come in family by family and
//! claim by claim, so a scheme of millions is never held whole; the arithmetic of each rule is
//! `carepool_core::monitoring`'s.

mod definitions;
pub mod grievances;
mod tally;
#[cfg(test)]
mod tests;
pub mod warning;
mod watch;

pub use definitions::{DEFINITIONS, Definition};
pub use tally::{ClaimFacts, Due, FamilyFacts, IndicatorTally, LedgerLine, MemberFacts, Payment};
pub use watch::{
    Expected, ExpectedLine, ReportedCounts, TOTAL, Watch, WatchClaim, WatchSettings, WatchTally,
    expected_by_month,
};

use carepool_core::Money;
use carepool_core::monitoring::{ArrearsAge, Period, Step};
use chrono::NaiveDate;
use serde::Serialize;

/// The indicators of every reporting period from `from` to `to`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Indicators {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub by: Step,
    pub periods: Vec<PeriodIndicators>,
    /// What each indicator counts, by its name in `periods`.
    pub definitions: &'static [Definition],
}

/// One reporting period's indicators.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodIndicators {
    #[serde(flatten)]
    pub period: Period,
    pub membership: Membership,
    pub contributions: Contributions,
    pub claims: ClaimIndicators,
    pub finance: Finance,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Membership {
    pub members: u64,
    pub families: u64,
    pub pending: u64,
    pub new_members: u64,
    pub exits: u64,
    pub growth_ratio: Option<f64>,
    pub renewal_due: u64,
    pub renewed: u64,
    pub renewal_ratio: Option<f64>,
    pub women: u64,
    pub women_share: Option<f64>,
    pub target_population: Option<u64>,
    pub coverage_ratio: Option<f64>,
    /// Member-years of active cover in the period.
    pub exposure: f64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Contributions {
    pub due: Money,
    pub collected: Money,
    pub collection_rate: Option<f64>,
    pub arrears: Money,
    pub arrears_by_age: ArrearsByAge,
    pub families_in_arrears: u64,
}

/// Arrears at a period's end by how long ago they fell due.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ArrearsByAge {
    pub up_to_30_days: Money,
    pub up_to_90_days: Money,
    pub up_to_180_days: Money,
    pub over_180_days: Money,
}

impl ArrearsByAge {
    /// Adds `amount`, owed since `due`, to its band on `on`.
    fn add(&mut self, due: NaiveDate, on: NaiveDate, amount: Money) {
        let band = match ArrearsAge::of(due, on) {
            ArrearsAge::UpTo30Days => &mut self.up_to_30_days,
            ArrearsAge::UpTo90Days => &mut self.up_to_90_days,
            ArrearsAge::UpTo180Days => &mut self.up_to_180_days,
            ArrearsAge::Over180Days => &mut self.over_180_days,
        };
        *band += amount;
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClaimIndicators {
    pub received: u64,
    pub decided: u64,
    pub approved: u64,
    pub rejected: u64,
    pub rejection_ratio: Option<f64>,
    pub claimed_decided: Money,
    pub rejected_amount: Money,
    pub rejection_ratio_by_amount: Option<f64>,
    pub incurred: u64,
    pub incidence_per_1000: Option<f64>,
    pub cost: Money,
    pub average_cost: Option<Money>,
    pub stays: u64,
    pub bed_days: u64,
    pub average_length_of_stay: Option<f64>,
    pub paid: u64,
    pub promptness: PromptnessCounts,
}

/// Claims paid in the period by the days from their receipt (complete) to their payment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct PromptnessCounts {
    pub up_to_7_days: u64,
    pub up_to_30_days: u64,
    pub up_to_90_days: u64,
    pub over_90_days: u64,
    /// Paid on a date before the claim was received: a fault of the data, counted apart.
    pub paid_before_received: u64,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Finance {
    pub earned_premium: Money,
    pub claims_paid: Money,
    /// Known claims not yet paid at the period's end.
    pub outstanding: Money,
    /// Claims incurred but not reported, estimated at the period's end; none when not
    /// estimable.
    pub ibnr: Option<Money>,
    pub incurred_claims: Option<Money>,
    pub incurred_claims_ratio: Option<f64>,
    /// From the ledger; none where it is not counted (a district's or a facility's figures).
    pub expenses: Option<Money>,
    pub expense_ratio: Option<f64>,
    pub net_income: Option<Money>,
    pub net_income_ratio: Option<f64>,
    /// Balances at the end of the month the period ends in; none where none was recorded.
    pub assets: Option<Money>,
    pub liabilities: Option<Money>,
    pub solvency_ratio: Option<f64>,
    pub liquidity_ratio: Option<f64>,
}
