//! What an experience study reads: the members with their periods of cover, and the claims,
//! gathered into compact arrays (codes interned as numbers) so a national scheme fits in memory.

use super::completion::reporting_delay;
use super::numbered::Numbered;
use carepool_core::Money;
use carepool_core::registry::{MemberStatus, Ownership, Sex};
use chrono::NaiveDate;

/// Distinct labels of one attribute (an area, a location, a clinical category), numbered in the
/// order met.
#[derive(Debug, Clone, Default)]
pub struct Levels {
    numbered: Numbered,
    /// The label met last: the members of a family come together, with the same area and place.
    last: Option<u32>,
}

impl Levels {
    pub fn intern(&mut self, name: &str) -> u32 {
        if let Some(last) = self.last
            && self.numbered.name(last) == name
        {
            return last;
        }
        let number = self.numbered.number(name);
        self.last = Some(number);
        number
    }

    pub fn name(&self, i: u32) -> &str {
        self.numbered.name(i)
    }

    pub fn len(&self) -> usize {
        self.numbered.len()
    }

    pub fn is_empty(&self) -> bool {
        self.numbered.len() == 0
    }
}

/// Numbered attribute values: this one stands for "not known".
pub(crate) const UNKNOWN: u32 = u32::MAX;

/// A stretch of cover, both ends included; `pending` when the member was registered but not
/// entitled (counted apart, and left out of the rates).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub pending: bool,
}

/// A period of cover as the registry or an extract gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CoverPeriod {
    pub start: NaiveDate,
    /// The last day covered; none while open.
    pub end: Option<NaiveDate>,
}

/// The member's stretches of cover, from their periods and their current status:
/// - `pending`: every period counts as pending;
/// - `active` since a date later than a period's start: the days before it were pending (the
///   registration was completed that day);
/// - `deceased`: cover runs through the day of death (a claim that day is the scheme's);
/// - `inactive`: cover stops the day before the status took effect.
///
/// Periods are sorted and overlaps merged; open periods end on `horizon`.
pub fn cover_spans(
    periods: &[CoverPeriod],
    status: MemberStatus,
    status_since: NaiveDate,
    horizon: NaiveDate,
) -> Vec<Span> {
    CoverSpans::default()
        .of(periods, status, status_since, horizon)
        .to_vec()
}

/// [`cover_spans`] with its room kept from one member to the next: an extract of millions of
/// members is read without two allocations a member.
#[derive(Debug, Default)]
pub struct CoverSpans {
    periods: Vec<(NaiveDate, NaiveDate)>,
    spans: Vec<Span>,
}

impl CoverSpans {
    /// The member's spans, as [`cover_spans`] gives them.
    pub fn of(
        &mut self,
        periods: &[CoverPeriod],
        status: MemberStatus,
        status_since: NaiveDate,
        horizon: NaiveDate,
    ) -> &[Span] {
        let last_day = match status {
            MemberStatus::Deceased => Some(status_since),
            MemberStatus::Inactive => status_since.pred_opt(),
            MemberStatus::Active | MemberStatus::Pending => None,
        };
        self.periods.clear();
        self.periods.extend(
            periods
                .iter()
                .map(|p| {
                    let end = p.end.unwrap_or(horizon).min(horizon);
                    (p.start, last_day.map_or(end, |last| end.min(last)))
                })
                .filter(|(start, end)| start <= end),
        );
        merge_touching(&mut self.periods);
        let spans = &mut self.spans;
        spans.clear();
        for &(start, end) in &self.periods {
            match status {
                MemberStatus::Pending => spans.push(Span {
                    start,
                    end,
                    pending: true,
                }),
                MemberStatus::Active if status_since > start => {
                    let pending_end = status_since.pred_opt().expect("a day before").min(end);
                    spans.push(Span {
                        start,
                        end: pending_end,
                        pending: true,
                    });
                    if status_since <= end {
                        spans.push(Span {
                            start: status_since,
                            end,
                            pending: false,
                        });
                    }
                }
                _ => spans.push(Span {
                    start,
                    end,
                    pending: false,
                }),
            }
        }
        spans
    }
}

/// One member as the study needs them; attributes an extract lacks are left out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MemberInput<'a> {
    pub id: &'a str,
    pub family: Option<&'a str>,
    pub sex: Option<Sex>,
    pub birth_date: Option<NaiveDate>,
    /// urban or rural.
    pub area: Option<&'a str>,
    /// The district, or another location the study is split by.
    pub location: Option<&'a str>,
    pub spans: &'a [Span],
}

/// One claim as the study needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClaimInput<'a> {
    pub member: &'a str,
    pub incurred: NaiveDate,
    pub clinical_category: &'a str,
    pub specialty: Option<&'a str>,
    pub claimed: Money,
    pub approved: Money,
    pub paid: Money,
    /// What the scheme owes on it (none for a rejected claim): the cost the rates are made of.
    pub owed: Option<Money>,
    /// Days in hospital, for a stay.
    pub stay_days: Option<u32>,
    pub ownership: Option<Ownership>,
    /// The claim was cut at an annual limit.
    pub limit_reached: bool,
    /// The limit-raising case that took it above an annual limit.
    pub limit_raised: Option<&'a str>,
    /// The day the scheme received it, when the data say: the latest tells where an extract
    /// ends.
    pub received: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Person {
    pub family: u32,
    pub sex: Option<Sex>,
    pub birth_date: Option<NaiveDate>,
    pub area: u32,
    pub location: u32,
    /// Its spans: `spans[first_span..first_span + span_count]`, in date order.
    pub first_span: u32,
    pub span_count: u32,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct ClaimFact {
    pub person: u32,
    pub incurred: NaiveDate,
    pub category: u32,
    pub specialty: u32,
    pub claimed: i64,
    pub approved: i64,
    pub paid: i64,
    pub owed: Option<i64>,
    pub stay_days: Option<u32>,
    pub ownership: Option<Ownership>,
    pub limit_reached: bool,
    pub limit_raised: u32,
    /// Months from the month incurred to the month received (`DELAY_NOT_KNOWN` if not given).
    pub reporting_delay: u16,
}

/// Which attributes the data gave, so a factor an extract lacks is not shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Given {
    pub sex: bool,
    pub age: bool,
    pub area: bool,
    pub location: bool,
    pub family: bool,
    pub ownership: bool,
    pub stays: bool,
}

/// The members and claims of a study, added one by one.
#[derive(Debug, Default)]
pub struct ExperienceData {
    pub(crate) members: Numbered,
    pub(crate) people: Vec<Person>,
    pub(crate) spans: Vec<Span>,
    /// Families numbered in the order met: only who shares one counts, never its name.
    pub(crate) families: Numbered,
    pub(crate) areas: Levels,
    pub(crate) locations: Levels,
    pub(crate) categories: Levels,
    pub(crate) specialties: Levels,
    pub(crate) raising_cases: Levels,
    pub(crate) claims: Vec<ClaimFact>,
    pub(crate) given: Given,
    pub(crate) latest_received: Option<NaiveDate>,
    pub(crate) known_until: Option<NaiveDate>,
    /// Members and claims of the pages counted and forgotten before the members and claims
    /// held (see [`ExperienceData::forget_page`]).
    pub(crate) members_before: usize,
    pub(crate) claims_before: usize,
}

/// The last day the data know about, and why that day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataEnd {
    pub date: NaiveDate,
    /// Whether the day is today (else the latest day a claim was received).
    pub today: bool,
    pub why: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InputError {
    #[error("member {0} is given twice")]
    RepeatedMember(String),
    #[error("member {member}: cover from {start} ends before it starts ({end})")]
    BackwardSpan {
        member: String,
        start: NaiveDate,
        end: NaiveDate,
    },
}

/// Periods (first and last day) sorted and merged where they lie: a period that overlaps or
/// touches the one kept before joins it.
pub(crate) fn merge_touching(periods: &mut Vec<(NaiveDate, NaiveDate)>) {
    periods.sort_unstable();
    periods.dedup_by(|(start, end), kept| {
        let joins = *start <= kept.1.succ_opt().unwrap_or(kept.1);
        if joins {
            kept.1 = kept.1.max(*end);
        }
        joins
    });
}

/// The label's number, or the unknown one when there is none.
fn interned(levels: &mut Levels, name: Option<&str>) -> u32 {
    name.map_or(UNKNOWN, |name| levels.intern(name))
}

impl ExperienceData {
    pub fn new() -> ExperienceData {
        ExperienceData::default()
    }

    /// Members added, those of pages counted and forgotten included.
    pub fn member_count(&self) -> usize {
        self.members_before + self.people.len()
    }

    /// Whether a member of this id is among those held (of the page being added, when the
    /// data are added a page at a time).
    pub fn holds_member(&self, id: &str) -> bool {
        self.members.get(id).is_some()
    }

    /// Room for this many more members, when a reader knows how many are coming.
    pub fn reserve_members(&mut self, additional: usize) {
        self.members.reserve(additional);
        self.people.reserve(additional);
    }

    /// Claims added, those of pages counted and forgotten included.
    pub fn claim_count(&self) -> usize {
        self.claims_before + self.claims.len()
    }

    /// Forgets the members and claims held, once counted, keeping how many there were, which
    /// attributes they gave, the numbers of the levels met and where the data end: the next page
    /// of families is added to the same numbering. `count_members` is false for a page whose
    /// members were counted before (met again only to place their claims).
    pub(crate) fn forget_page(&mut self, count_members: bool) {
        if count_members {
            self.members_before += self.people.len();
        }
        self.claims_before += self.claims.len();
        self.members.clear();
        self.people.clear();
        self.spans.clear();
        self.families.clear();
        self.claims.clear();
    }

    pub fn add_member(&mut self, member: MemberInput) -> Result<(), InputError> {
        if let Some(span) = member.spans.iter().find(|s| s.end < s.start) {
            return Err(InputError::BackwardSpan {
                member: member.id.to_string(),
                start: span.start,
                end: span.end,
            });
        }
        // Members are numbered as people are, so a member's number is their place in `people`.
        if self.members.number_new(member.id).is_err() {
            return Err(InputError::RepeatedMember(member.id.to_string()));
        }
        let given = &mut self.given;
        given.sex |= member.sex.is_some();
        given.age |= member.birth_date.is_some();
        given.area |= member.area.is_some();
        given.location |= member.location.is_some();
        given.family |= member.family.is_some();
        // A member without a family is a family of one.
        let family = match member.family {
            Some(family) => self.families.number(family),
            None => self.families.number(&format!("\u{0}{}", member.id)),
        };
        let first_span = self.spans.len();
        self.spans.extend_from_slice(member.spans);
        self.spans[first_span..].sort_by_key(|s| s.start);
        let person = Person {
            family,
            sex: member.sex,
            birth_date: member.birth_date,
            area: interned(&mut self.areas, member.area),
            location: interned(&mut self.locations, member.location),
            first_span: first_span as u32,
            span_count: member.spans.len() as u32,
        };
        self.people.push(person);
        Ok(())
    }

    /// The data are complete up to `date` (the live database: today): nothing after it has
    /// happened yet.
    pub fn known_until(&mut self, date: NaiveDate) {
        self.known_until = Some(date);
    }

    /// Where the data end: the day they are known until, else the latest day a claim was
    /// received (an extract says no more than that); none when neither is known.
    pub fn end(&self) -> Option<DataEnd> {
        match (self.known_until, self.latest_received) {
            (Some(date), _) => Some(DataEnd {
                date,
                today: true,
                why: "today: the days after it have not happened",
            }),
            (None, Some(date)) => Some(DataEnd {
                date,
                today: false,
                why: "the latest day a claim was received: the data say nothing of the days after it",
            }),
            (None, None) => None,
        }
    }

    /// Adds a claim; one for a member not added is kept, and shown as outside the population.
    pub fn add_claim(&mut self, claim: &ClaimInput) {
        if let Some(received) = claim.received {
            self.latest_received = Some(self.latest_received.map_or(received, |d| d.max(received)));
        }
        let person = self.members.get(claim.member).unwrap_or(UNKNOWN);
        self.given.ownership |= claim.ownership.is_some();
        self.given.stays |= claim.stay_days.is_some();
        let fact = ClaimFact {
            person,
            incurred: claim.incurred,
            category: self.categories.intern(claim.clinical_category),
            specialty: interned(&mut self.specialties, claim.specialty),
            claimed: claim.claimed.minor(),
            approved: claim.approved.minor(),
            paid: claim.paid.minor(),
            owed: claim.owed.map(Money::minor),
            stay_days: claim.stay_days,
            ownership: claim.ownership,
            limit_reached: claim.limit_reached,
            limit_raised: interned(&mut self.raising_cases, claim.limit_raised),
            reporting_delay: reporting_delay(claim.incurred, claim.received),
        };
        self.claims.push(fact);
    }

    pub(crate) fn spans_of(&self, person: &Person) -> &[Span] {
        let first = person.first_span as usize;
        &self.spans[first..first + person.span_count as usize]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn period(start: &str, end: Option<&str>) -> CoverPeriod {
        CoverPeriod {
            start: date(start),
            end: end.map(date),
        }
    }

    fn span(start: &str, end: &str, pending: bool) -> Span {
        Span {
            start: date(start),
            end: date(end),
            pending,
        }
    }

    const HORIZON: &str = "2026-12-31";

    #[test]
    fn a_label_keeps_its_number_met_again_straight_after_or_later() {
        let mut levels = Levels::default();
        let numbers = ["north", "north", "south", "north", "south", "south", "east"]
            .map(|name| levels.intern(name));
        assert_eq!(numbers, [0, 0, 1, 0, 1, 1, 2]);
        assert_eq!(
            [levels.name(0), levels.name(1), levels.name(2)],
            ["north", "south", "east"]
        );
        assert_eq!(levels.len(), 3);
    }

    #[test]
    fn pending_then_active_splits_the_cover_on_the_day_of_activation() {
        let spans = cover_spans(
            &[period("2025-01-01", None)],
            MemberStatus::Active,
            date("2025-03-10"),
            date(HORIZON),
        );
        assert_eq!(
            spans,
            [
                span("2025-01-01", "2025-03-09", true),
                span("2025-03-10", HORIZON, false)
            ]
        );
        let spans = cover_spans(
            &[period("2025-01-01", None)],
            MemberStatus::Pending,
            date("2025-01-01"),
            date(HORIZON),
        );
        assert_eq!(spans, [span("2025-01-01", HORIZON, true)]);
    }

    #[test]
    fn death_ends_cover_on_the_day_of_death_and_leaving_the_day_before() {
        let open = [period("2025-01-01", None)];
        let died = cover_spans(
            &open,
            MemberStatus::Deceased,
            date("2025-06-30"),
            date(HORIZON),
        );
        assert_eq!(died, [span("2025-01-01", "2025-06-30", false)]);
        let left = cover_spans(
            &open,
            MemberStatus::Inactive,
            date("2025-06-30"),
            date(HORIZON),
        );
        assert_eq!(left, [span("2025-01-01", "2025-06-29", false)]);
        // A period that starts after death gives nothing.
        let later = cover_spans(
            &[period("2025-07-01", Some("2025-12-31"))],
            MemberStatus::Deceased,
            date("2025-06-30"),
            date(HORIZON),
        );
        assert!(later.is_empty());
    }

    #[test]
    fn periods_that_touch_or_lie_within_another_merge_into_one_and_a_gap_of_a_day_does_not() {
        let spans = cover_spans(
            &[
                period("2024-03-01", Some("2024-03-31")),
                period("2024-01-01", Some("2024-06-30")),
                period("2024-07-01", Some("2024-08-31")),
                period("2024-08-01", Some("2024-08-15")),
                period("2024-09-02", Some("2024-09-30")),
                period("2024-10-01", None),
            ],
            MemberStatus::Active,
            date("2024-01-01"),
            date(HORIZON),
        );
        assert_eq!(
            spans,
            [
                span("2024-01-01", "2024-08-31", false),
                span("2024-09-02", HORIZON, false),
            ]
        );
    }

    #[test]
    fn several_periods_stay_apart_and_overlapping_ones_merge() {
        let spans = cover_spans(
            &[
                period("2026-01-01", None),
                period("2024-01-01", Some("2024-06-30")),
                period("2024-06-01", Some("2024-12-31")),
            ],
            MemberStatus::Active,
            date("2024-01-01"),
            date(HORIZON),
        );
        assert_eq!(
            spans,
            [
                span("2024-01-01", "2024-12-31", false),
                span("2026-01-01", HORIZON, false)
            ]
        );
    }

    #[test]
    fn a_member_given_twice_or_a_backward_span_is_refused() {
        let mut data = ExperienceData::new();
        let spans = [span("2025-01-01", "2025-12-31", false)];
        let member = MemberInput {
            id: "M1",
            family: None,
            sex: None,
            birth_date: None,
            area: None,
            location: None,
            spans: &spans,
        };
        data.add_member(member).unwrap();
        assert_eq!(
            data.add_member(member).unwrap_err().to_string(),
            "member M1 is given twice"
        );
        let backward = [span("2025-02-01", "2025-01-31", false)];
        let error = data
            .add_member(MemberInput {
                id: "M2",
                spans: &backward,
                ..member
            })
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "member M2: cover from 2025-02-01 ends before it starts (2025-01-31)"
        );
    }
}
