//! Grievances: what a member, a facility or a staff member complains of, and how the scheme
//! settles it. The status flow (received, open, in progress, resolved, closed, and reopened), the
//! due date a category's service level sets, the scheme's rules for both, and what an upheld
//! complaint of an exempt member charged refunds (docs/GRIEVANCES.md).

use crate::money::Money;
use crate::registry::{FieldError, check_code};
use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

code_enum!(
    /// Where a grievance stands.
    GrievanceStatus {
        Received = "received",
        Open = "open",
        InProgress = "in_progress",
        Resolved = "resolved",
        Closed = "closed",
    }
);

code_enum!(
    /// How a grievance reached the scheme.
    Channel {
        Visit = "visit",
        Phone = "phone",
        Sms = "sms",
        Letter = "letter",
        Web = "web",
        CommunityRepresentative = "community_representative",
    }
);

code_enum!(
    /// Who complains: a member (or someone for them), a facility, or a member of staff.
    FiledBy {
        Member = "member",
        Facility = "facility",
        Staff = "staff",
    }
);

code_enum!(
    /// How soon a grievance should be looked at.
    Priority {
        Low = "low",
        Normal = "normal",
        High = "high",
        Urgent = "urgent",
    }
);

code_enum!(
    /// What the scheme found: the complaint upheld, upheld in part, or not upheld.
    ResolutionKind {
        Upheld = "upheld",
        PartlyUpheld = "partly_upheld",
        NotUpheld = "not_upheld",
    }
);

/// The category of an appeal against a claim's decision, whose upheld grievances reopen the
/// claim for a new decision.
pub const CLAIM_APPEAL: &str = "claim_appeal";

/// The category of an appeal against an eligibility refusal at enrolment, whose upheld
/// grievances enrol the member after a new check.
pub const ENROLMENT_APPEAL: &str = "enrolment_appeal";

/// Whether resolving a grievance of `category` as `kind` enrols its member: an appeal against
/// an eligibility refusal, upheld in whole or in part.
pub fn enrols(category: &str, kind: ResolutionKind) -> bool {
    category == ENROLMENT_APPEAL && kind != ResolutionKind::NotUpheld
}

/// Whether resolving a grievance of `category` as `kind` reopens its claim: an appeal against
/// a claim's decision, upheld in whole or in part.
pub fn reopens_claim(category: &str, kind: ResolutionKind) -> bool {
    category == CLAIM_APPEAL && kind != ResolutionKind::NotUpheld
}

/// Whether resolving a grievance of `category` as `kind` refunds the member: a co-payment
/// charged to an exempt member, upheld in whole or in part.
pub fn refunds(category: &str, kind: ResolutionKind) -> bool {
    category == EXEMPT_CHARGED && kind != ResolutionKind::NotUpheld
}

/// What a resolution refunds: the amount `given`, else all the facility `collected` on the
/// claim concerned; never more than it recorded as collected, when it recorded something (a
/// charge off the books is refunded as the officer found it). 0 given refunds nothing through
/// the scheme (the facility gave the money back itself).
pub fn refund_amount(given: Option<Money>, collected: Option<Money>) -> Result<Money, FieldError> {
    let refused = |message: String| Err(FieldError::new("refund", message));
    match (given, collected.filter(|c| *c > Money::ZERO)) {
        (Some(amount), _) if amount < Money::ZERO => refused(format!(
            "{amount} is not an amount to refund: give 0 or more (0: the facility gave the \
             money back itself)"
        )),
        (Some(amount), Some(collected)) if amount > collected => refused(format!(
            "{amount} is more than the facility collected on the claim ({collected})"
        )),
        (Some(amount), _) => Ok(amount),
        (None, Some(collected)) => Ok(collected),
        (None, None) => refused(
            "say the amount to refund: the grievance names no claim on which the facility \
             recorded a co-payment collected"
                .to_string(),
        ),
    }
}

/// A step someone takes on a grievance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrievanceStep {
    /// Give it an owner (or another one): a received grievance is then open.
    Assign,
    /// Someone who handles it starts working on it.
    Start,
    /// Settled, with a resolution.
    Resolve,
    /// The resolution is final.
    Close,
    /// Resolved or closed, but not settled after all: open again.
    Reopen,
}

impl GrievanceStep {
    pub fn as_str(self) -> &'static str {
        match self {
            GrievanceStep::Assign => "assign",
            GrievanceStep::Start => "start",
            GrievanceStep::Resolve => "resolve",
            GrievanceStep::Close => "close",
            GrievanceStep::Reopen => "reopen",
        }
    }
}

/// A step the grievance's status does not allow, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("grievance {id} is {status}: {why}")]
pub struct StepRefused {
    pub id: String,
    pub status: GrievanceStatus,
    pub why: &'static str,
}

/// The status a grievance in `status` has after `step`, or why the step is refused.
pub fn status_after(
    id: &str,
    status: GrievanceStatus,
    step: GrievanceStep,
) -> Result<GrievanceStatus, StepRefused> {
    use GrievanceStatus::*;
    use GrievanceStep::*;
    let refused = |why| {
        Err(StepRefused {
            id: id.to_string(),
            status,
            why,
        })
    };
    match (step, status) {
        (Assign, Received) => Ok(Open),
        (Assign, Open | InProgress) => Ok(status),
        (Assign, Resolved | Closed) => refused("reopen it before giving it to someone"),
        (Start, Open) => Ok(InProgress),
        (Start, Received) => refused("assign it first: nobody owns it yet"),
        (Start, InProgress) => refused("it is already in progress"),
        (Start, Resolved | Closed) => refused("reopen it first"),
        (Resolve, Open | InProgress) => Ok(Resolved),
        (Resolve, Received) => refused("assign it first: nobody owns it yet"),
        (Resolve, Resolved) => refused("it is already resolved"),
        (Resolve, Closed) => refused("it is closed: reopen it first"),
        (Close, Resolved) => Ok(Closed),
        (Close, Closed) => refused("it is already closed"),
        (Close, Received | Open | InProgress) => refused("resolve it before closing it"),
        (Reopen, Resolved | Closed) => Ok(Open),
        (Reopen, Received | Open | InProgress) => refused("it is not resolved"),
    }
}

/// Whether a grievance in `status`, due on `due`, is late on `today`: still unresolved after
/// its due date.
pub fn overdue(status: GrievanceStatus, due: NaiveDate, today: NaiveDate) -> bool {
    !matches!(status, GrievanceStatus::Resolved | GrievanceStatus::Closed) && today > due
}

/// How a category's service level counts its days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayCount {
    /// Every day counts, weekends and holidays too.
    #[default]
    Calendar,
    /// Only Monday to Friday count, and not the holidays the scheme lists.
    Working,
}

/// A kind of grievance the scheme hears, with its service level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrievanceCategory {
    pub code: String,
    pub name: String,
    /// Days from filing to the due date of its resolution.
    pub days: u32,
}

/// A scheme's grievance rules: its categories with their service levels, how days count, and
/// whether a co-payment charged to an exempt member is refunded without a grievance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrievanceRules {
    #[serde(default)]
    pub count: DayCount,
    /// Public holidays, which are not working days.
    #[serde(default)]
    pub holidays: Vec<NaiveDate>,
    #[serde(default = "standard_categories")]
    pub categories: Vec<GrievanceCategory>,
    /// A claim the verification flags `exempt_charged` is refunded all the facility collected
    /// at the next payment run, as if an exempt-charge grievance about it were upheld.
    #[serde(default)]
    pub automatic_refunds: bool,
}

impl Default for GrievanceRules {
    fn default() -> GrievanceRules {
        GrievanceRules {
            count: DayCount::Calendar,
            holidays: Vec::new(),
            categories: standard_categories(),
            automatic_refunds: false,
        }
    }
}

impl GrievanceRules {
    /// What the rules refund on their own for a claim: all the facility `collected`, when the
    /// scheme refunds automatically and the claim was flagged as charged to an exempt member.
    pub fn automatic_refund(
        &self,
        flagged_exempt_charged: bool,
        collected: Money,
    ) -> Option<Money> {
        (self.automatic_refunds && flagged_exempt_charged && collected > Money::ZERO)
            .then_some(collected)
    }
}

/// The longest service level a category may have, in days.
pub const MAX_SERVICE_DAYS: u32 = 366;

/// The category of a co-payment charged to an exempt member, whose upheld grievances are
/// refunded.
pub const EXEMPT_CHARGED: &str = "exempt_charged";

/// The categories of a scheme whose file lists none: those the assessments of national schemes
/// keep finding, with service levels in calendar days.
pub fn standard_categories() -> Vec<GrievanceCategory> {
    [
        (EXEMPT_CHARGED, "Co-payment charged to an exempt member", 14),
        ("claim_refused", "Claim refused", 30),
        (CLAIM_APPEAL, "Appeal against a claim's decision", 30),
        (
            ENROLMENT_APPEAL,
            "Appeal against an eligibility refusal",
            30,
        ),
        ("card_or_enrolment", "Card or enrolment problem", 14),
        ("poor_treatment", "Poor treatment", 30),
        ("waiting_time", "Waiting time", 30),
        ("other", "Other", 30),
    ]
    .into_iter()
    .map(|(code, name, days)| GrievanceCategory {
        code: code.to_string(),
        name: name.to_string(),
        days,
    })
    .collect()
}

impl GrievanceRules {
    /// The category of `code`, or a field error naming the scheme's categories.
    pub fn category(&self, code: &str) -> Result<&GrievanceCategory, FieldError> {
        self.categories
            .iter()
            .find(|c| c.code == code)
            .ok_or_else(|| {
                let codes: Vec<&str> = self.categories.iter().map(|c| c.code.as_str()).collect();
                FieldError::new(
                    "category",
                    format!(
                        "no grievance category {} in the scheme; it has {}",
                        crate::registry::excerpt(code),
                        codes.join(", ")
                    ),
                )
            })
    }

    /// The due date of a grievance of `category` filed on `filed_on`.
    pub fn due_date(&self, category: &GrievanceCategory, filed_on: NaiveDate) -> NaiveDate {
        due_date(filed_on, category.days, self.count, &self.holidays)
    }

    /// The rules' own checks: categories named by unique codes, each with a service level.
    pub fn problems(&self) -> Vec<(String, String)> {
        let mut problems = Vec::new();
        if self.categories.is_empty() {
            problems.push((
                "grievances.categories".to_string(),
                "a scheme hears at least one category of grievance".to_string(),
            ));
        }
        for (i, category) in self.categories.iter().enumerate() {
            let path = format!("grievances.categories[{i}]");
            if let Err(e) = check_code("code", &category.code) {
                problems.push((format!("{path}.code"), e.message));
            }
            if self.categories[..i].iter().any(|c| c.code == category.code) {
                problems.push((
                    format!("{path}.code"),
                    format!("'{}' is listed twice", category.code),
                ));
            }
            if category.name.trim().is_empty() {
                problems.push((format!("{path}.name"), "must not be empty".to_string()));
            }
            if category.days == 0 {
                problems.push((
                    format!("{path}.days"),
                    "must be at least 1: a grievance is never due the day it is filed".to_string(),
                ));
            }
            if category.days > MAX_SERVICE_DAYS {
                problems.push((
                    format!("{path}.days"),
                    format!("must be at most {MAX_SERVICE_DAYS}: a year to settle a grievance"),
                ));
            }
        }
        problems
    }
}

/// The day `days` days after `filed_on`: calendar days, or working days (Monday to Friday, not a
/// holiday), counted from the day after filing. A grievance filed on a Friday with two working
/// days is due on Tuesday; one filed on a Saturday with one working day, on Monday.
pub fn due_date(
    filed_on: NaiveDate,
    days: u32,
    count: DayCount,
    holidays: &[NaiveDate],
) -> NaiveDate {
    match count {
        DayCount::Calendar => filed_on + Days::new(days.into()),
        DayCount::Working => {
            let mut day = filed_on;
            let mut counted = 0;
            while counted < days {
                day = day.succ_opt().expect("a due date within chrono's range");
                let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
                if !weekend && !holidays.contains(&day) {
                    counted += 1;
                }
            }
            day
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use GrievanceStatus::*;
    use GrievanceStep::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn the_flow_runs_received_open_in_progress_resolved_closed_and_reopens() {
        let mut status = Received;
        for (step, expected) in [
            (Assign, Open),
            (Start, InProgress),
            (Resolve, Resolved),
            (Close, Closed),
            (Reopen, Open),
            (Resolve, Resolved),
            (Reopen, Open),
        ] {
            status = status_after("G1", status, step).unwrap();
            assert_eq!(status, expected, "after {}", step.as_str());
        }
    }

    #[test]
    fn a_grievance_may_be_resolved_without_being_started_and_reassigned_while_open() {
        assert_eq!(status_after("G1", Open, Resolve).unwrap(), Resolved);
        assert_eq!(status_after("G1", Open, Assign).unwrap(), Open);
        assert_eq!(status_after("G1", InProgress, Assign).unwrap(), InProgress);
    }

    #[test]
    fn every_step_out_of_turn_is_refused_with_the_reason() {
        let every = [Received, Open, InProgress, Resolved, Closed];
        let steps = [Assign, Start, Resolve, Close, Reopen];
        let mut allowed = 0;
        for status in every {
            for step in steps {
                match status_after("G7", status, step) {
                    Ok(_) => allowed += 1,
                    Err(refused) => {
                        let text = refused.to_string();
                        assert!(
                            text.starts_with(&format!("grievance G7 is {status}: ")),
                            "{text}"
                        );
                    }
                }
            }
        }
        // Assign from 3, start from 1, resolve from 2, close from 1, reopen from 2.
        assert_eq!(allowed, 9);
        let refused = status_after("G7", Received, Start).unwrap_err();
        assert_eq!(refused.why, "assign it first: nobody owns it yet");
        let refused = status_after("G7", InProgress, Close).unwrap_err();
        assert_eq!(refused.why, "resolve it before closing it");
        let refused = status_after("G7", Closed, Resolve).unwrap_err();
        assert_eq!(refused.why, "it is closed: reopen it first");
    }

    #[test]
    fn calendar_days_run_through_weekends_and_holidays() {
        // Friday 2026-12-04, seven days: Friday 2026-12-11.
        let holidays = [date("2026-12-07")];
        assert_eq!(
            due_date(date("2026-12-04"), 7, DayCount::Calendar, &holidays),
            date("2026-12-11")
        );
        // Across a month's and a year's end, and a leap day.
        assert_eq!(
            due_date(date("2027-12-20"), 14, DayCount::Calendar, &[]),
            date("2028-01-03")
        );
        assert_eq!(
            due_date(date("2028-02-20"), 10, DayCount::Calendar, &[]),
            date("2028-03-01")
        );
    }

    #[test]
    fn working_days_skip_weekends_and_the_schemes_holidays() {
        let friday = date("2026-12-04");
        assert_eq!(
            due_date(friday, 1, DayCount::Working, &[]),
            date("2026-12-07")
        );
        assert_eq!(
            due_date(friday, 2, DayCount::Working, &[]),
            date("2026-12-08")
        );
        // Filed on a Saturday or a Sunday: the first working day is Monday.
        assert_eq!(
            due_date(date("2026-12-05"), 1, DayCount::Working, &[]),
            date("2026-12-07")
        );
        assert_eq!(
            due_date(date("2026-12-06"), 5, DayCount::Working, &[]),
            date("2026-12-11")
        );
        // A holiday on Monday moves it to Tuesday; a holiday on a Saturday changes nothing.
        let holidays = [date("2026-12-07"), date("2026-12-12")];
        assert_eq!(
            due_date(friday, 1, DayCount::Working, &holidays),
            date("2026-12-08")
        );
        assert_eq!(
            due_date(friday, 6, DayCount::Working, &holidays),
            date("2026-12-15")
        );
        // Christmas and New Year's Day off: ten working days from 2026-12-21.
        let holidays = [date("2026-12-25"), date("2027-01-01")];
        assert_eq!(
            due_date(date("2026-12-21"), 10, DayCount::Working, &holidays),
            date("2027-01-06")
        );
    }

    #[test]
    fn a_grievance_is_overdue_only_unresolved_and_after_its_due_day() {
        let due = date("2026-12-10");
        assert!(!overdue(Open, due, due), "due today is not late");
        assert!(overdue(Open, due, date("2026-12-11")));
        assert!(overdue(Received, due, date("2026-12-11")));
        assert!(overdue(InProgress, due, date("2026-12-11")));
        assert!(!overdue(Resolved, due, date("2027-01-11")));
        assert!(!overdue(Closed, due, date("2027-01-11")));
    }

    #[test]
    fn a_scheme_without_categories_hears_the_standard_ones_in_calendar_days() {
        let rules: GrievanceRules = serde_json::from_str("{}").unwrap();
        assert_eq!(rules, GrievanceRules::default());
        assert_eq!(rules.count, DayCount::Calendar);
        let exempt = rules.category(EXEMPT_CHARGED).unwrap();
        assert_eq!(exempt.days, 14);
        assert_eq!(
            rules.due_date(exempt, date("2026-12-04")),
            date("2026-12-18")
        );
        assert!(rules.problems().is_empty());
    }

    #[test]
    fn an_unknown_category_names_the_schemes_categories() {
        let wrong = GrievanceRules::default().category("rudeness").unwrap_err();
        assert_eq!(wrong.field, "category");
        assert!(
            wrong.message.contains("no grievance category 'rudeness'")
                && wrong.message.contains("exempt_charged, claim_refused"),
            "{}",
            wrong.message
        );
    }

    #[test]
    fn categories_need_unique_codes_names_and_a_service_level() {
        let rules = GrievanceRules {
            count: DayCount::Working,
            holidays: Vec::new(),
            categories: vec![
                GrievanceCategory {
                    code: "fees".into(),
                    name: "Fees".into(),
                    days: 0,
                },
                GrievanceCategory {
                    code: "fees".into(),
                    name: " ".into(),
                    days: 5,
                },
                GrievanceCategory {
                    code: "slow".into(),
                    name: "Slow".into(),
                    days: 4_000_000_000,
                },
            ],
            automatic_refunds: false,
        };
        let problems = rules.problems();
        let paths: Vec<&str> = problems.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            paths,
            [
                "grievances.categories[0].days",
                "grievances.categories[1].code",
                "grievances.categories[1].name",
                "grievances.categories[2].days"
            ]
        );
        let none = GrievanceRules {
            categories: Vec::new(),
            ..GrievanceRules::default()
        };
        assert_eq!(none.problems()[0].0, "grievances.categories");
    }

    #[test]
    fn only_an_upheld_claim_appeal_reopens_its_claim() {
        assert!(reopens_claim(CLAIM_APPEAL, ResolutionKind::Upheld));
        assert!(reopens_claim(CLAIM_APPEAL, ResolutionKind::PartlyUpheld));
        assert!(!reopens_claim(CLAIM_APPEAL, ResolutionKind::NotUpheld));
        assert!(!reopens_claim("claim_refused", ResolutionKind::Upheld));
        let standard = GrievanceRules::default();
        assert_eq!(standard.category(CLAIM_APPEAL).unwrap().days, 30);
        assert!(enrols(ENROLMENT_APPEAL, ResolutionKind::PartlyUpheld));
        assert!(!enrols(ENROLMENT_APPEAL, ResolutionKind::NotUpheld));
        assert!(!enrols(CLAIM_APPEAL, ResolutionKind::Upheld));
        assert_eq!(standard.category(ENROLMENT_APPEAL).unwrap().days, 30);
    }

    #[test]
    fn only_an_upheld_exempt_charge_refunds() {
        assert!(refunds(EXEMPT_CHARGED, ResolutionKind::Upheld));
        assert!(refunds(EXEMPT_CHARGED, ResolutionKind::PartlyUpheld));
        assert!(!refunds(EXEMPT_CHARGED, ResolutionKind::NotUpheld));
        assert!(!refunds("claim_refused", ResolutionKind::Upheld));
    }

    #[test]
    fn a_refund_is_what_was_collected_unless_less_is_given() {
        let units = Money::from_units;
        assert_eq!(refund_amount(None, Some(units(500))), Ok(units(500)));
        assert_eq!(
            refund_amount(Some(units(200)), Some(units(500))),
            Ok(units(200))
        );
        assert_eq!(
            refund_amount(Some(units(500)), Some(units(500))),
            Ok(units(500))
        );
        assert_eq!(refund_amount(Some(units(300)), None), Ok(units(300)));
        let more = refund_amount(Some(units(501)), Some(units(500))).unwrap_err();
        assert_eq!(more.field, "refund");
        assert!(
            more.message.contains("more than the facility collected"),
            "{more}"
        );
        let refused = refund_amount(Some(units(-5)), Some(units(500))).unwrap_err();
        assert!(refused.message.contains("give 0 or more"), "{refused}");
        assert_eq!(refund_amount(Some(Money::ZERO), None), Ok(Money::ZERO));
        // Charged off the books: the facility recorded nothing, the officer found 300.
        assert_eq!(
            refund_amount(Some(units(300)), Some(Money::ZERO)),
            Ok(units(300))
        );
        for unknown in [None, Some(Money::ZERO)] {
            let refused = refund_amount(None, unknown).unwrap_err();
            assert!(
                refused.message.contains("say the amount to refund"),
                "{refused}"
            );
        }
    }

    #[test]
    fn a_scheme_refunds_a_flagged_claim_on_its_own_only_when_it_says_so() {
        let collected = Money::from_units(500);
        let mut rules = GrievanceRules::default();
        assert_eq!(
            rules.automatic_refund(true, collected),
            None,
            "by grievance only"
        );
        rules.automatic_refunds = true;
        assert_eq!(rules.automatic_refund(true, collected), Some(collected));
        assert_eq!(
            rules.automatic_refund(false, collected),
            None,
            "not flagged"
        );
        assert_eq!(
            rules.automatic_refund(true, Money::ZERO),
            None,
            "nothing collected"
        );
        let read: GrievanceRules = serde_json::from_str(r#"{"automatic_refunds": true}"#).unwrap();
        assert!(read.automatic_refunds);
    }
}
