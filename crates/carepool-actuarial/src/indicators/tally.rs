//! Counting the indicators as the data come in: one family (its members, what fell due, what it
//! paid) or one claim at a time, each added to the periods it touches.

use super::{
    ArrearsByAge, ClaimIndicators, Contributions, DEFINITIONS, Finance, Indicators, Membership,
    PeriodIndicators,
};
use crate::experience::Span;
use carepool_core::Money;
use carepool_core::claims::{ClaimStatus, stay_days};
use carepool_core::dates::{days_between, days_in_year};
use carepool_core::monitoring::{
    Period, Promptness, Step, earned, growth, periods, ratio, renewal,
};
use carepool_core::registry::{LedgerKind, Payer};
use chrono::{Datelike, Days, Months, NaiveDate};

/// A member as the indicators see them.
#[derive(Debug, Clone, Copy)]
pub struct MemberFacts<'a> {
    /// Their stretches of cover, active or pending, in date order (`experience::cover_spans`
    /// with a horizon past the last day asked, so that an open cover never ends in a period).
    pub spans: &'a [Span],
    /// Their cover periods as recorded (start, last day), for renewal.
    pub covers: &'a [(NaiveDate, Option<NaiveDate>)],
    pub woman: bool,
    /// The scheme's grace period for a renewal, in days.
    pub grace_days: u32,
}

/// A contribution that fell due: on the first day of its contribution period.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    pub on: NaiveDate,
    pub payer: Payer,
    pub amount: Money,
}

/// A contribution received, for the period of cover it pays for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Payment {
    pub paid_on: NaiveDate,
    pub payer: Payer,
    pub amount: Money,
    pub cover: Period,
}

/// A family: its members, what fell due from it and what it paid.
#[derive(Debug, Clone, Copy)]
pub struct FamilyFacts<'a> {
    pub members: &'a [MemberFacts<'a>],
    pub due: &'a [Due],
    pub payments: &'a [Payment],
}

/// A claim as the indicators see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimFacts {
    pub received: NaiveDate,
    pub incurred: Option<NaiveDate>,
    pub decided: Option<NaiveDate>,
    pub status: ClaimStatus,
    pub claimed: Money,
    pub approved: Money,
    /// Refused or cut.
    pub rejected: Money,
    pub paid: Money,
    pub paid_date: Option<NaiveDate>,
    /// Admission and discharge, for a hospital stay.
    pub stay: Option<(NaiveDate, NaiveDate)>,
}

/// A line of the scheme's ledger: an expense of the month starting `month`, or a balance at
/// its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerLine {
    pub month: NaiveDate,
    pub kind: LedgerKind,
    pub amount: Money,
}

/// The balances at one month's end, each kind none until a line of it is recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Balances {
    assets: Option<Money>,
    liquid_assets: Option<Money>,
    liabilities: Option<Money>,
    short_term_liabilities: Option<Money>,
}

/// The sum of the parts recorded; none when neither is.
fn recorded(parts: [Option<Money>; 2]) -> Option<Money> {
    parts.into_iter().flatten().reduce(|a, b| a + b)
}

/// The indicators counted so far.
#[derive(Debug, Clone)]
pub struct IndicatorTally {
    from: NaiveDate,
    to: NaiveDate,
    by: Step,
    periods: Vec<Period>,
    /// Members with active cover on the day before `from`: the first period's growth base.
    members_before: u64,
    membership: Vec<Membership>,
    contributions: Vec<Contributions>,
    claims: Vec<ClaimIndicators>,
    earned_premium: Vec<Money>,
    claims_paid: Vec<Money>,
    /// Changes of the known outstanding at each end (the day before `from`, then each
    /// period's end), in minor units; their running sum is the outstanding.
    outstanding_steps: Vec<i64>,
    /// Which periods the family being added had a member counted at the end of.
    family_at_end: Vec<bool>,
    /// The ledger's expenses by period (none for a period none of whose months the ledger
    /// holds a line for) and balances at each period's end.
    expenses: Vec<Option<Money>>,
    balances: Vec<Balances>,
}

impl IndicatorTally {
    /// Nothing counted yet for the periods of `by` from `from` to `to`; none when `to` is
    /// before `from`.
    pub fn new(from: NaiveDate, to: NaiveDate, by: Step) -> Option<IndicatorTally> {
        let periods = periods(from, to, by);
        let n = periods.len();
        (n > 0).then(|| IndicatorTally {
            from,
            to,
            by,
            members_before: 0,
            membership: vec![Membership::default(); n],
            contributions: vec![Contributions::default(); n],
            claims: vec![ClaimIndicators::default(); n],
            earned_premium: vec![Money::ZERO; n],
            claims_paid: vec![Money::ZERO; n],
            outstanding_steps: vec![0; n + 2],
            family_at_end: vec![false; n],
            expenses: vec![None; n],
            balances: vec![Balances::default(); n],
            periods,
        })
    }

    pub fn periods(&self) -> &[Period] {
        &self.periods
    }

    /// The days the stocks are taken on: the day before `from`, then each period's end.
    pub fn ends(&self) -> Vec<NaiveDate> {
        std::iter::once(self.day_before_from())
            .chain(self.periods.iter().map(|p| p.end))
            .collect()
    }

    fn day_before_from(&self) -> NaiveDate {
        self.from.pred_opt().unwrap_or(self.from)
    }

    /// The period holding `date`, if any.
    fn period_of(&self, date: NaiveDate) -> Option<usize> {
        (self.from..=self.to)
            .contains(&date)
            .then(|| self.periods.partition_point(|p| p.end < date))
    }

    /// The first end (an index of [`IndicatorTally::ends`]) on or after `date`; past the last
    /// one for a date after `to`.
    fn first_end_from(&self, date: NaiveDate) -> usize {
        if date <= self.day_before_from() {
            0
        } else {
            1 + self.periods.partition_point(|p| p.end < date)
        }
    }

    /// The periods that share a day with `first..=last`.
    fn periods_over(&self, first: NaiveDate, last: NaiveDate) -> std::ops::Range<usize> {
        let first = first.max(self.from);
        let last = last.min(self.to);
        match (self.period_of(first), self.period_of(last)) {
            (Some(a), Some(b)) if first <= last => a..b + 1,
            _ => 0..0,
        }
    }

    pub fn add_family(&mut self, family: &FamilyFacts) {
        self.family_at_end.fill(false);
        for member in family.members {
            self.add_member(member);
        }
        for (i, counted) in self.family_at_end.iter().enumerate() {
            self.membership[i].families += u64::from(*counted);
        }
        self.add_contributions(family);
    }

    fn add_member(&mut self, member: &MemberFacts) {
        let Some(first) = member.spans.first() else {
            return;
        };
        if let Some(i) = self.period_of(first.start) {
            self.membership[i].new_members += 1;
        }
        for span in member.spans {
            let ends =
                self.first_end_from(span.start)..self.first_end_from(span.end + Days::new(1));
            for end in ends {
                match (end.checked_sub(1), span.pending) {
                    (None, false) => self.members_before += 1,
                    (None, true) => {}
                    (Some(i), true) => self.membership[i].pending += 1,
                    (Some(i), false) => {
                        let counted = &mut self.membership[i];
                        counted.members += 1;
                        counted.women += u64::from(member.woman);
                        self.family_at_end[i] = true;
                    }
                }
            }
            if !span.pending {
                for i in self.periods_over(span.start, span.end) {
                    self.membership[i].exposure += member_years(span, self.periods[i]);
                }
            }
        }
        // An exit: a stretch of cover, pending or active, not followed the next day.
        for (at, span) in member.spans.iter().enumerate() {
            let next = member.spans.get(at + 1);
            if next.is_none_or(|next| next.start > span.end + Days::new(1))
                && let Some(i) = self.period_of(span.end)
            {
                self.membership[i].exits += 1;
            }
        }
        let mut renewal_periods: Vec<usize> = member
            .covers
            .iter()
            .filter_map(|(_, end)| self.period_of((*end)?))
            .collect();
        renewal_periods.sort_unstable();
        renewal_periods.dedup();
        for i in renewal_periods {
            let counted = renewal(member.covers, self.periods[i], member.grace_days);
            self.membership[i].renewal_due += counted.due;
            self.membership[i].renewed += counted.renewed;
        }
    }

    fn add_contributions(&mut self, family: &FamilyFacts) {
        for due in family.due {
            if let Some(i) = self.period_of(due.on) {
                self.contributions[i].due += due.amount;
            }
        }
        for payment in family.payments {
            if let Some(i) = self.period_of(payment.paid_on) {
                self.contributions[i].collected += payment.amount;
            }
            for i in self.periods_over(payment.cover.start, payment.cover.end) {
                self.earned_premium[i] += earned(payment.amount, payment.cover, self.periods[i]);
            }
        }
        let mut payers: Vec<Payer> = family.due.iter().map(|d| d.payer).collect();
        payers.sort_unstable();
        payers.dedup();
        let mut arrears = vec![ArrearsByAge::default(); self.periods.len()];
        for payer in payers {
            self.add_arrears(family, payer, &mut arrears);
        }
        for (counted, arrears) in self.contributions.iter_mut().zip(arrears) {
            let total = arrears.up_to_30_days
                + arrears.up_to_90_days
                + arrears.up_to_180_days
                + arrears.over_180_days;
            if total > Money::ZERO {
                counted.arrears += total;
                counted.families_in_arrears += 1;
                let by_age = &mut counted.arrears_by_age;
                by_age.up_to_30_days += arrears.up_to_30_days;
                by_age.up_to_90_days += arrears.up_to_90_days;
                by_age.up_to_180_days += arrears.up_to_180_days;
                by_age.over_180_days += arrears.over_180_days;
            }
        }
    }

    /// One payer's arrears at each period's end: what fell due by then less what it paid by
    /// then, which (its payments going to the oldest amount owed) are its latest dues.
    fn add_arrears(&self, family: &FamilyFacts, payer: Payer, arrears: &mut [ArrearsByAge]) {
        let mut dues: Vec<&Due> = family.due.iter().filter(|d| d.payer == payer).collect();
        dues.sort_by_key(|d| d.on);
        let mut paid: Vec<(NaiveDate, Money)> = (family.payments.iter())
            .filter(|p| p.payer == payer)
            .map(|p| (p.paid_on, p.amount))
            .collect();
        paid.sort_unstable();
        let (mut dues_by, mut paid_by) = (0, 0);
        let (mut due_total, mut paid_total) = (Money::ZERO, Money::ZERO);
        for (i, period) in self.periods.iter().enumerate() {
            while dues_by < dues.len() && dues[dues_by].on <= period.end {
                due_total += dues[dues_by].amount;
                dues_by += 1;
            }
            while paid_by < paid.len() && paid[paid_by].0 <= period.end {
                paid_total += paid[paid_by].1;
                paid_by += 1;
            }
            let mut unpaid = due_total - paid_total;
            for due in dues[..dues_by].iter().rev() {
                if unpaid <= Money::ZERO {
                    break;
                }
                let owed = due.amount.min(unpaid);
                arrears[i].add(due.on, period.end, owed);
                unpaid -= owed;
            }
        }
    }

    pub fn add_claim(&mut self, claim: &ClaimFacts) {
        let rejected = claim.status == ClaimStatus::Rejected;
        if let Some(i) = self.period_of(claim.received) {
            self.claims[i].received += 1;
        }
        // A claim held for review is not decided yet: its reviewer decides it (and dates it).
        let decided = match claim.status {
            ClaimStatus::Received | ClaimStatus::InReview => None,
            _ => claim.decided,
        };
        if let Some(i) = decided.and_then(|d| self.period_of(d)) {
            let counted = &mut self.claims[i];
            counted.decided += 1;
            counted.claimed_decided += claim.claimed;
            counted.rejected_amount += claim.rejected;
            if rejected {
                counted.rejected += 1;
            } else {
                counted.approved += 1;
            }
        }
        if let (Some(i), Some(owed)) = (
            claim.incurred.and_then(|d| self.period_of(d)),
            claim.status.amount_owed(claim.approved, claim.claimed),
        ) {
            self.claims[i].incurred += 1;
            self.claims[i].cost += owed;
        }
        if let Some((admission, discharge)) = claim.stay
            && !rejected
            && let Some(i) = self.period_of(discharge)
        {
            self.claims[i].stays += 1;
            self.claims[i].bed_days += stay_days(admission, discharge) as u64;
        }
        if let Some(paid_on) = claim.paid_date
            && let Some(i) = self.period_of(paid_on)
        {
            let counted = &mut self.claims[i];
            counted.paid += 1;
            let bands = &mut counted.promptness;
            match Promptness::of(claim.received, paid_on) {
                Some(Promptness::UpTo7Days) => bands.up_to_7_days += 1,
                Some(Promptness::UpTo30Days) => bands.up_to_30_days += 1,
                Some(Promptness::UpTo90Days) => bands.up_to_90_days += 1,
                Some(Promptness::Over90Days) => bands.over_90_days += 1,
                None => bands.paid_before_received += 1,
            }
            self.claims_paid[i] += claim.paid;
        }
        // Outstanding: the amount claimed from receipt to decision, then the amount approved
        // until paid; a rejected claim owes nothing once decided.
        let settled = claim.paid_date;
        match claim.decided {
            Some(decided) => {
                self.outstanding_between(claim.received, Some(decided), claim.claimed);
                if !rejected {
                    self.outstanding_between(decided, settled, claim.approved);
                }
            }
            None => self.outstanding_between(claim.received, settled, claim.claimed),
        }
    }

    /// Counts the scheme's ledger (never called for a selection the ledger does not split, a
    /// district or a facility). A period whose months the ledger holds no line for has no
    /// known expenses; a balance is known once a line of its kind is recorded.
    pub fn add_ledger(&mut self, lines: &[LedgerLine]) {
        for line in lines {
            let last_day = line.month + Months::new(1) - Days::new(1);
            // An expense counts in the period holding its month's first day (or `from`).
            let counted_in = (line.kind == LedgerKind::Expense)
                .then(|| self.period_of(line.month.max(self.from)))
                .flatten();
            for i in self.periods_over(line.month, last_day) {
                let expenses = self.expenses[i].get_or_insert(Money::ZERO);
                if counted_in == Some(i) {
                    *expenses += line.amount;
                }
            }
            if line.kind == LedgerKind::Expense {
                continue;
            }
            for (i, period) in self.periods.iter().enumerate() {
                if !(line.month..=last_day).contains(&period.end) {
                    continue;
                }
                let balances = &mut self.balances[i];
                let counted = match line.kind {
                    LedgerKind::Asset => &mut balances.assets,
                    LedgerKind::LiquidAsset => &mut balances.liquid_assets,
                    LedgerKind::Liability => &mut balances.liabilities,
                    LedgerKind::ShortTermLiability => &mut balances.short_term_liabilities,
                    LedgerKind::Expense => unreachable!("an expense is no balance"),
                };
                *counted.get_or_insert(Money::ZERO) += line.amount;
            }
        }
    }

    /// The target population of the locations counted, for each period in order.
    pub fn set_target_populations(&mut self, targets: &[Option<u64>]) {
        for (counted, target) in self.membership.iter_mut().zip(targets) {
            counted.target_population = *target;
        }
    }

    /// `amount` is outstanding at the ends from `first` (included) to `until` (excluded).
    fn outstanding_between(&mut self, first: NaiveDate, until: Option<NaiveDate>, amount: Money) {
        let start = self.first_end_from(first);
        let stop = until.map_or(self.outstanding_steps.len() - 1, |u| {
            self.first_end_from(u).max(start)
        });
        self.outstanding_steps[start] += amount.minor();
        self.outstanding_steps[stop] -= amount.minor();
    }

    /// The indicators, given the IBNR estimated at each of [`IndicatorTally::ends`] (none
    /// where it was not estimable).
    pub fn finish(self, ibnr: &[Option<Money>]) -> Indicators {
        let mut outstanding = Vec::with_capacity(self.periods.len() + 1);
        let mut running = 0;
        for step in &self.outstanding_steps[..=self.periods.len()] {
            running += step;
            outstanding.push(Money::from_minor(running));
        }
        let reserve = |end: usize| {
            ibnr.get(end)
                .copied()
                .flatten()
                .map(|i| outstanding[end] + i)
        };
        let mut members_before = self.members_before;
        let mut periods = Vec::with_capacity(self.periods.len());
        for (i, period) in self.periods.iter().enumerate() {
            let mut membership = self.membership[i].clone();
            membership.growth_ratio = growth(members_before, membership.members);
            members_before = membership.members;
            membership.renewal_ratio =
                ratio(membership.renewed as f64, membership.renewal_due as f64);
            membership.women_share = ratio(membership.women as f64, membership.members as f64);
            membership.coverage_ratio = (membership.target_population)
                .and_then(|target| ratio(membership.members as f64, target as f64));
            let mut contributions = self.contributions[i].clone();
            contributions.collection_rate = money_ratio(contributions.collected, contributions.due);
            let mut claims = self.claims[i].clone();
            claims.rejection_ratio = ratio(claims.rejected as f64, claims.decided as f64);
            claims.rejection_ratio_by_amount =
                money_ratio(claims.rejected_amount, claims.claimed_decided);
            claims.incidence_per_1000 = ratio(claims.incurred as f64 * 1000.0, membership.exposure);
            claims.average_cost = claims.cost.per(claims.incurred);
            claims.average_length_of_stay = ratio(claims.bed_days as f64, claims.stays as f64);
            let incurred_claims = reserve(i)
                .zip(reserve(i + 1))
                .map(|(before, after)| self.claims_paid[i] + after - before);
            let earned_premium = self.earned_premium[i];
            let of_premium = |amount: Option<Money>| {
                amount.and_then(|amount| money_ratio(amount, earned_premium))
            };
            let expenses = self.expenses[i];
            let net_income = incurred_claims
                .zip(expenses)
                .map(|(incurred, expenses)| earned_premium - incurred - expenses);
            let balances = self.balances[i];
            let assets = recorded([balances.assets, balances.liquid_assets]);
            let liabilities = recorded([balances.liabilities, balances.short_term_liabilities]);
            periods.push(PeriodIndicators {
                period: *period,
                membership,
                contributions,
                claims,
                finance: Finance {
                    earned_premium,
                    claims_paid: self.claims_paid[i],
                    outstanding: outstanding[i + 1],
                    ibnr: ibnr.get(i + 1).copied().flatten(),
                    incurred_claims,
                    incurred_claims_ratio: of_premium(incurred_claims),
                    expenses,
                    expense_ratio: of_premium(expenses),
                    net_income,
                    net_income_ratio: of_premium(net_income),
                    assets,
                    liabilities,
                    solvency_ratio: assets.zip(liabilities).and_then(|(a, l)| money_ratio(a, l)),
                    liquidity_ratio: (balances.liquid_assets)
                        .zip(balances.short_term_liabilities)
                        .and_then(|(liquid, due)| money_ratio(liquid, due)),
                },
            });
        }
        Indicators {
            from: self.from,
            to: self.to,
            by: self.by,
            periods,
            definitions: DEFINITIONS,
        }
    }
}

/// The years of `span` within `period` (which it overlaps), each day 1/365 of its year's (1/366
/// in a leap year), as the experience study counts them.
pub(super) fn member_years(span: &Span, period: Period) -> f64 {
    let days = days_between(span.start.max(period.start), span.end.min(period.end)) + 1;
    days as f64 / f64::from(days_in_year(period.start.year()))
}

fn money_ratio(numerator: Money, denominator: Money) -> Option<f64> {
    ratio(numerator.minor() as f64, denominator.minor() as f64)
}
