//! How grievances were settled over a period: received, resolved, resolved by their due date,
//! the median days to resolve, overdue at the period's end (docs/GRIEVANCES.md, "Timeliness").
//! The grievances' own rules (their flow, their due dates) are the core's.

use chrono::NaiveDate;
use serde::Serialize;

/// What the timeliness figures need of one grievance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GrievanceFacts {
    pub filed_on: NaiveDate,
    pub due_date: NaiveDate,
    /// The day it was last resolved; none while unresolved (a reopened grievance is).
    pub resolved_on: Option<NaiveDate>,
}

/// How well grievances were settled over a period.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Timeliness {
    /// Filed in the period.
    pub received: u64,
    /// Resolved in the period (whenever filed), and still resolved or closed.
    pub resolved: u64,
    /// Of those, resolved on or before their due date.
    pub resolved_in_time: u64,
    /// `resolved_in_time / resolved`; none when nothing was resolved.
    pub in_time_share: Option<f64>,
    /// The median of the days from filing to resolution of those resolved; none when nothing
    /// was.
    pub median_days_to_resolve: Option<f64>,
    /// Unresolved at the period's end and past their due date then, of those filed by then.
    pub overdue_at_end: u64,
    #[serde(skip)]
    days_to_resolve: Vec<i64>,
}

impl Timeliness {
    /// Counts one grievance for the period `from` to `to` (both included). Whether it was
    /// unresolved at `to` is read from the day it was last resolved: one resolved after `to`
    /// was open then, one reopened since (no such day) is counted unresolved.
    pub fn add(&mut self, facts: &GrievanceFacts, from: NaiveDate, to: NaiveDate) {
        let within = |day: NaiveDate| from <= day && day <= to;
        if within(facts.filed_on) {
            self.received += 1;
        }
        if let Some(resolved_on) = facts.resolved_on.filter(|&day| within(day)) {
            self.resolved += 1;
            if resolved_on <= facts.due_date {
                self.resolved_in_time += 1;
            }
            (self.days_to_resolve).push((resolved_on - facts.filed_on).num_days());
        }
        let unresolved_at_end = facts.resolved_on.is_none_or(|day| day > to);
        if facts.filed_on <= to && unresolved_at_end && facts.due_date < to {
            self.overdue_at_end += 1;
        }
    }

    /// Whether nothing of the period was counted: no row is shown for it.
    pub fn is_empty(&self) -> bool {
        self.received == 0 && self.resolved == 0 && self.overdue_at_end == 0
    }

    /// The shares and the median, once every grievance is added.
    pub fn finish(mut self) -> Timeliness {
        self.in_time_share =
            (self.resolved > 0).then(|| self.resolved_in_time as f64 / self.resolved as f64);
        self.median_days_to_resolve = median(&mut std::mem::take(&mut self.days_to_resolve));
        self
    }
}

/// The middle value, or the mean of the two middle ones; none of nothing.
fn median(values: &mut [i64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let middle = values.len() / 2;
    Some(if values.len() % 2 == 1 {
        values[middle] as f64
    } else {
        (values[middle - 1] + values[middle]) as f64 / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn facts(filed: &str, due: &str, resolved: Option<&str>) -> GrievanceFacts {
        GrievanceFacts {
            filed_on: date(filed),
            due_date: date(due),
            resolved_on: resolved.map(date),
        }
    }

    #[test]
    fn timeliness_counts_what_was_received_and_resolved_in_the_period_and_in_time() {
        let (from, to) = (date("2026-11-01"), date("2026-11-30"));
        let mut t = Timeliness::default();
        for f in [
            // Filed and resolved in November, on its due day: in time, 10 days.
            facts("2026-11-02", "2026-11-12", Some("2026-11-12")),
            // Filed in October, resolved a day late in November: 20 days.
            facts("2026-10-25", "2026-11-13", Some("2026-11-14")),
            // Filed in November, still open, due before the month's end: overdue then.
            facts("2026-11-03", "2026-11-17", None),
            // Filed in November, due on the last day: not yet overdue.
            facts("2026-11-16", "2026-11-30", None),
            // Resolved in December: open at the end of November, and past its due date.
            facts("2026-11-01", "2026-11-15", Some("2026-12-02")),
            // Filed in December: counts for nothing in November.
            facts("2026-12-01", "2026-12-15", None),
        ] {
            t.add(&f, from, to);
        }
        let t = t.finish();
        assert_eq!(t.received, 4);
        assert_eq!(t.resolved, 2);
        assert_eq!(t.resolved_in_time, 1);
        assert_eq!(t.in_time_share, Some(0.5));
        assert_eq!(
            t.median_days_to_resolve,
            Some(15.0),
            "the mean of 10 and 20"
        );
        assert_eq!(t.overdue_at_end, 2);
    }

    #[test]
    fn a_period_without_resolutions_has_no_share_and_no_median() {
        let t = Timeliness::default().finish();
        assert_eq!(t.in_time_share, None);
        assert_eq!(t.median_days_to_resolve, None);
        let mut odd = [9, 1, 5];
        assert_eq!(median(&mut odd), Some(5.0));
    }
}
