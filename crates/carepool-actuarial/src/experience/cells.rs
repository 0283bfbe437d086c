//! The study's arithmetic: each member's cover cut into exact days per cell (calendar period,
//! age band, sex, area, duration since enrolment), each family's cover as the union of its
//! members', and each claim put in the cell of its member on the day it was incurred.

use super::input::{ClaimFact, ExperienceData, Person, Span, UNKNOWN, merge_touching};
use carepool_core::dates::{add_months, age_on, day_number, days_between, reaches_age};
use carepool_core::registry::Sex;
use chrono::{Datelike, NaiveDate};

/// A calendar period of the study, clipped to its dates.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StudyPeriod {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
    /// Days in its calendar year: a day of cover is 1/365 or 1/366 of a year.
    pub year_days: u32,
}

impl StudyPeriod {
    /// Its days, the first and last included.
    fn days(&self) -> u64 {
        days_between(self.start, self.end) as u64 + 1
    }
}

/// Sums of claims; amounts in minor units, exact.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClaimSums {
    pub claims: u64,
    pub claimed: i64,
    pub approved: i64,
    pub paid: i64,
    /// What the scheme owes on them.
    pub cost: i64,
    /// Stays (inpatient claims) and their days.
    pub stays: u64,
    pub stay_days: u64,
}

impl ClaimSums {
    pub(crate) fn add(&mut self, claim: &ClaimFact, cost: i64) {
        self.claims += 1;
        self.claimed += claim.claimed;
        self.approved += claim.approved;
        self.paid += claim.paid;
        self.cost += cost;
        if let Some(days) = claim.stay_days {
            self.stays += 1;
            self.stay_days += u64::from(days);
        }
    }
}

impl std::ops::AddAssign for ClaimSums {
    fn add_assign(&mut self, other: ClaimSums) {
        self.claims += other.claims;
        self.claimed += other.claimed;
        self.approved += other.approved;
        self.paid += other.paid;
        self.cost += other.cost;
        self.stays += other.stays;
        self.stay_days += other.stay_days;
    }
}

/// The shape of the cell array: one index per dimension, the last level of each for "not known".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    pub periods: usize,
    /// Age bands, and one for an unknown age.
    pub ages: usize,
    /// Female, male, unknown.
    pub sexes: usize,
    /// Areas, and one for an unknown area.
    pub areas: usize,
    pub durations: usize,
}

/// Where one day of cover, or one claim, belongs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CellKey {
    pub period: usize,
    pub age: usize,
    pub sex: usize,
    pub area: usize,
    pub duration: usize,
}

impl Shape {
    pub fn len(&self) -> usize {
        self.periods * self.ages * self.sexes * self.areas * self.durations
    }

    pub fn index(&self, key: CellKey) -> usize {
        (((key.period * self.ages + key.age) * self.sexes + key.sex) * self.areas + key.area)
            * self.durations
            + key.duration
    }

    pub fn key(&self, mut index: usize) -> CellKey {
        let duration = index % self.durations;
        index /= self.durations;
        let area = index % self.areas;
        index /= self.areas;
        let sex = index % self.sexes;
        index /= self.sexes;
        let age = index % self.ages;
        CellKey {
            period: index / self.ages,
            age,
            sex,
            area,
            duration,
        }
    }
}

pub(crate) fn sex_index(sex: Option<Sex>) -> usize {
    match sex {
        Some(Sex::Female) => 0,
        Some(Sex::Male) => 1,
        None => 2,
    }
}

/// Why a claim is left out of the rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Outside {
    UnknownMember,
    NotCovered,
    Pending,
}

/// The arrays every table is summed from.
#[derive(Debug, Clone)]
pub(crate) struct Cells {
    pub shape: Shape,
    /// Days of active and of pending cover per cell.
    pub active_days: Vec<u64>,
    pub pending_days: Vec<u64>,
    /// Days per period and location (the last for unknown), active cover.
    pub location_days: Vec<u64>,
    /// Days per period that a family had at least one member covered: active, then active or pending.
    pub family_days: Vec<u64>,
    pub family_days_with_pending: Vec<u64>,
    /// Claims in the rates, per cell.
    pub claims: Vec<ClaimSums>,
}

impl Cells {
    /// Cells of `shape` with nothing in them, and `locations` locations besides the unknown.
    pub fn new(shape: Shape, periods: usize, locations: usize) -> Cells {
        Cells {
            shape,
            active_days: vec![0; shape.len()],
            pending_days: vec![0; shape.len()],
            location_days: vec![0; periods * (locations + 1)],
            family_days: vec![0; periods],
            family_days_with_pending: vec![0; periods],
            claims: vec![ClaimSums::default(); shape.len()],
        }
    }

    /// The cells made room for more areas (`shape`) and more locations, each count kept under
    /// its key: a study counted page by page meets new areas and locations as it goes, the
    /// unknown one of each staying last.
    pub fn grow(&mut self, shape: Shape, locations: usize) {
        if shape != self.shape {
            self.active_days = regrid(self.shape, shape, &self.active_days);
            self.pending_days = regrid(self.shape, shape, &self.pending_days);
            self.claims = regrid(self.shape, shape, &self.claims);
            self.shape = shape;
        }
        let periods = self.family_days.len();
        grow_levels(&mut self.location_days, periods, locations);
    }
}

/// Counts of cells of shape `old` in cells of shape `new` (more areas), each under its key, the
/// unknown area last in both.
fn regrid<T: Copy + Default>(old: Shape, new: Shape, counts: &[T]) -> Vec<T> {
    let mut regridded = vec![T::default(); new.len()];
    for (index, &count) in counts.iter().enumerate() {
        let mut key = old.key(index);
        if key.area == old.areas - 1 {
            key.area = new.areas - 1;
        }
        regridded[new.index(key)] = count;
    }
    regridded
}

/// Counts laid out as `blocks` runs of one per level, the last for "not known", given room for
/// `levels` levels besides the unknown: each count stays with its level.
pub(crate) fn grow_levels<T: Copy + Default>(counts: &mut Vec<T>, blocks: usize, levels: usize) {
    let (old, new) = (counts.len() / blocks, levels + 1);
    if new == old {
        return;
    }
    let mut grown = vec![T::default(); blocks * new];
    for block in 0..blocks {
        let (from, to) = (&counts[block * old..(block + 1) * old], block * new);
        grown[to..to + old - 1].copy_from_slice(&from[..old - 1]);
        grown[to + new - 1] = from[old - 1];
    }
    *counts = grown;
}

pub(crate) struct Bands<'a> {
    pub ages: &'a [u32],
    /// Months since enrolment.
    pub durations: &'a [u32],
}

/// The band (index) a value falls in, bands given by their starts, the first 0.
pub(crate) fn band_of(starts: &[u32], value: u32) -> usize {
    starts.partition_point(|&s| s <= value) - 1
}

fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if months > 0 && add_months(from, months as u32) > to {
        months -= 1;
    }
    months.max(0) as u32
}

impl Bands<'_> {
    /// The age band on `day` (for an unknown birth date, the level after the bands).
    fn age(&self, birth: Option<NaiveDate>, day: NaiveDate) -> usize {
        match birth {
            Some(birth) => band_of(self.ages, age_on(birth, day)),
            None => self.ages.len(),
        }
    }

    /// The day number the age band after `band` starts for someone born on `birth`.
    fn age_after(&self, birth: Option<NaiveDate>, band: usize) -> i32 {
        let next = birth.zip(self.ages.get(band + 1));
        band_starts(next.map(|(birth, &age)| reaches_age(birth, age)))
    }

    /// The duration band on `day` for someone enrolled on `enrolled`.
    fn duration(&self, enrolled: NaiveDate, day: NaiveDate) -> usize {
        band_of(self.durations, months_between(enrolled, day))
    }

    /// The day number the duration band after `band` starts for someone enrolled on `enrolled`.
    fn duration_after(&self, enrolled: NaiveDate, band: usize) -> i32 {
        let next = self.durations.get(band + 1);
        band_starts(next.map(|&months| add_months(enrolled, months)))
    }
}

/// The threads the study's counts run on: the machine's cores.
fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, usize::from)
}

/// `count` items cut into one share per thread, none under 10,000 items (a thread costs more
/// than it saves on fewer).
pub(crate) fn shares(count: usize, threads: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    let threads = threads.clamp(1, count / 10_000 + 1);
    let size = count.div_ceil(threads).max(1);
    (0..count)
        .step_by(size)
        .map(move |first| first..(first + size).min(count))
}

/// The day number a band starts, or one never reached when it is the last band.
fn band_starts(next: Option<NaiveDate>) -> i32 {
    next.map_or(i32::MAX, day_number)
}

pub(crate) struct Counter<'a> {
    pub data: &'a ExperienceData,
    pub periods: &'a [StudyPeriod],
    /// Each period's last day as a number.
    last_days: Vec<i32>,
    /// The period of each day of the study, from its first (numbered `first_day`): members'
    /// cover is cut by period several times per member.
    period_by_day: Vec<u32>,
    first_day: i32,
    pub bands: Bands<'a>,
    pub shape: Shape,
}

impl<'a> Counter<'a> {
    pub fn new(
        data: &'a ExperienceData,
        periods: &'a [StudyPeriod],
        bands: Bands<'a>,
        shape: Shape,
    ) -> Counter<'a> {
        let last_days = periods.iter().map(|p| day_number(p.end)).collect();
        let period_by_day = periods
            .iter()
            .enumerate()
            .flat_map(|(number, p)| std::iter::repeat_n(number as u32, p.days() as usize))
            .collect();
        Counter {
            data,
            periods,
            last_days,
            period_by_day,
            first_day: day_number(periods[0].start),
            bands,
            shape,
        }
    }

    pub fn from(&self) -> NaiveDate {
        self.periods[0].start
    }

    fn to(&self) -> NaiveDate {
        self.periods[self.periods.len() - 1].end
    }

    /// The period of `day`: the first for a day before the study, one past the last after it.
    fn period_of(&self, day: NaiveDate) -> usize {
        self.period_of_day(day_number(day))
    }

    /// The same for a day given by its number.
    fn period_of_day(&self, day: i32) -> usize {
        match usize::try_from(day - self.first_day) {
            Ok(offset) => self
                .period_by_day
                .get(offset)
                .map_or(self.periods.len(), |&period| period as usize),
            Err(_) => 0,
        }
    }

    fn area_of(&self, person: &Person) -> usize {
        match person.area {
            UNKNOWN => self.shape.areas - 1,
            area => area as usize,
        }
    }

    fn location_of(&self, person: &Person) -> usize {
        match person.location {
            UNKNOWN => self.data.locations.len(),
            location => location as usize,
        }
    }

    /// The day a member's cover first started: durations count from it.
    fn enrolled(&self, person: &Person) -> Option<NaiveDate> {
        self.data.spans_of(person).first().map(|s| s.start)
    }

    /// Days of cover of one member, added to the cells, split wherever a period, an age band or
    /// a duration band changes: between two band changes, the days of the first and last
    /// periods are added to `cells` and the periods between, covered whole, to `whole`.
    fn add_person(&self, person: &Person, cells: &mut Cells, whole: &mut WholePeriods) {
        let Some(enrolled) = self.enrolled(person) else {
            return;
        };
        let (sex, area) = (sex_index(person.sex), self.area_of(person));
        let location = self.location_of(person);
        let locations = self.data.locations.len() + 1;
        let birth = person.birth_date;
        for span in self.data.spans_of(person) {
            let start = span.start.max(self.from());
            let end = span.end.min(self.to());
            if start > end {
                continue;
            }
            // Bands are looked up in full at a span's start; each change after it is to the
            // next band, on the day it was worked out to start.
            let mut age = self.bands.age(birth, start);
            let mut next_age = self.bands.age_after(birth, age);
            let mut duration = self.bands.duration(enrolled, start);
            let mut next_duration = self.bands.duration_after(enrolled, duration);
            let (mut day, after_end) = (day_number(start), day_number(end) + 1);
            while day < after_end {
                if day >= next_age {
                    age += 1;
                    next_age = self.bands.age_after(birth, age);
                }
                if day >= next_duration {
                    duration += 1;
                    next_duration = self.bands.duration_after(enrolled, duration);
                }
                let next = next_age.min(next_duration).min(after_end);
                // Band starts strictly increase (the study's settings are checked): each
                // stretch has days.
                debug_assert!(next > day);
                let (period, last) = (self.period_of_day(day), self.period_of_day(next - 1));
                let cell = |period| {
                    let key = CellKey {
                        period,
                        age,
                        sex,
                        area,
                        duration,
                    };
                    (self.shape.index(key), period * locations + location)
                };
                let mut add = |(index, place): (usize, usize), days: i32| {
                    let days = days as u64;
                    if span.pending {
                        cells.pending_days[index] += days;
                    } else {
                        cells.active_days[index] += days;
                        cells.location_days[place] += days;
                    }
                };
                if last == period {
                    add(cell(period), next - day);
                } else {
                    add(cell(period), self.last_days[period] + 1 - day);
                    add(cell(last), next - 1 - self.last_days[last - 1]);
                    if last > period + 1 {
                        whole.add(cell(period + 1), cell(last), span.pending);
                    }
                }
                day = next;
            }
        }
    }

    /// Cells with nothing counted in them, of the counter's shape and locations.
    pub fn empty_cells(&self) -> Cells {
        Cells::new(self.shape, self.periods.len(), self.data.locations.len())
    }

    /// Adds every member's exposure to `cells` (of the counter's shape and locations), on as
    /// many threads as the machine has.
    pub fn add_exposure(&self, cells: &mut Cells) {
        let people = &self.data.people;
        let parts: Vec<Cells> = std::thread::scope(|scope| {
            let handles: Vec<_> = shares(people.len(), threads())
                .map(|share| {
                    scope.spawn(move || {
                        let mut cells = self.empty_cells();
                        let mut whole = WholePeriods::new(&cells);
                        for person in &people[share] {
                            self.add_person(person, &mut cells, &mut whole);
                        }
                        whole.add_into(&mut cells, self.periods);
                        cells
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("an exposure thread"))
                .collect()
        });
        for part in parts {
            add_into(&mut cells.active_days, &part.active_days);
            add_into(&mut cells.pending_days, &part.pending_days);
            add_into(&mut cells.location_days, &part.location_days);
        }
        self.add_families(cells);
    }

    /// Each family's days of cover: the union of its members' spans, by period.
    fn add_families(&self, cells: &mut Cells) {
        let people = &self.data.people;
        let families = self.data.families.len();
        // The members of each family, in one array (a counting sort by family).
        let mut starts = vec![0usize; families + 1];
        for person in people {
            starts[person.family as usize + 1] += 1;
        }
        for i in 0..families {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut members = vec![0u32; people.len()];
        for (i, person) in people.iter().enumerate() {
            members[next[person.family as usize]] = i as u32;
            next[person.family as usize] += 1;
        }
        // Families on as many threads as the machine has, each summing days of its own.
        let (starts, members) = (&starts, &members);
        let parts: Vec<(Vec<u64>, Vec<u64>)> = std::thread::scope(|scope| {
            let handles: Vec<_> = shares(families, threads())
                .map(|share| scope.spawn(move || self.family_days(share, starts, members)))
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("a family thread"))
                .collect()
        });
        for (active, all) in parts {
            add_into(&mut cells.family_days, &active);
            add_into(&mut cells.family_days_with_pending, &all);
        }
    }

    /// Days per period that some member of these families was covered: active cover, then
    /// active or pending. `members[starts[f]..starts[f + 1]]` are family f's.
    fn family_days(
        &self,
        families: std::ops::Range<usize>,
        starts: &[usize],
        members: &[u32],
    ) -> (Vec<u64>, Vec<u64>) {
        let people = &self.data.people;
        let mut days_active = vec![0; self.periods.len()];
        let mut days_all = vec![0; self.periods.len()];
        let mut active: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        let mut all: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        for family in families {
            active.clear();
            all.clear();
            for &member in &members[starts[family]..starts[family + 1]] {
                for span in self.data.spans_of(&people[member as usize]) {
                    let clipped = (span.start.max(self.from()), span.end.min(self.to()));
                    if clipped.0 > clipped.1 {
                        continue;
                    }
                    all.push(clipped);
                    if !span.pending {
                        active.push(clipped);
                    }
                }
            }
            self.add_union(&mut active, &mut days_active);
            self.add_union(&mut all, &mut days_all);
        }
        (days_active, days_all)
    }

    fn add_union(&self, spans: &mut Vec<(NaiveDate, NaiveDate)>, by_period: &mut [u64]) {
        merge_touching(spans);
        for &span in spans.iter() {
            self.add_by_period(span, by_period);
        }
    }

    fn add_by_period(&self, (start, end): (NaiveDate, NaiveDate), by_period: &mut [u64]) {
        // The periods follow one another: the next day after one's last is the next's first.
        let mut period = self.period_of(start);
        let (mut day, end) = (day_number(start), day_number(end));
        while day <= end {
            let last = self.last_days[period].min(end);
            by_period[period] += (last - day + 1) as u64;
            (day, period) = (last + 1, period + 1);
        }
    }

    /// Where a claim counts: its cell, or why it is outside the rates.
    pub fn place(&self, claim: &ClaimFact) -> Result<CellKey, Outside> {
        let person = match claim.person {
            UNKNOWN => return Err(Outside::UnknownMember),
            person => &self.data.people[person as usize],
        };
        let span: &Span = self
            .data
            .spans_of(person)
            .iter()
            .find(|s| s.start <= claim.incurred && claim.incurred <= s.end)
            .ok_or(Outside::NotCovered)?;
        if span.pending {
            return Err(Outside::Pending);
        }
        let enrolled = self.enrolled(person).expect("a member with a span");
        Ok(CellKey {
            period: self.period_of(claim.incurred),
            age: self.bands.age(person.birth_date, claim.incurred),
            sex: sex_index(person.sex),
            area: self.area_of(person),
            duration: self.bands.duration(enrolled, claim.incurred),
        })
    }

    pub fn location_of_claim(&self, claim: &ClaimFact) -> usize {
        self.location_of(&self.data.people[claim.person as usize])
    }

    pub fn in_study(&self, claim: &ClaimFact) -> bool {
        self.from() <= claim.incurred && claim.incurred <= self.to()
    }
}

/// Cover of whole periods, counted as members in each cell rather than days: as differences
/// along the periods (one more from the first period, one less from the period after the
/// last), so that years of a member's cover are two additions, not one per period; multiplied
/// by the periods' days once all are in.
struct WholePeriods {
    active: Vec<i64>,
    pending: Vec<i64>,
    location: Vec<i64>,
}

impl WholePeriods {
    fn new(cells: &Cells) -> WholePeriods {
        WholePeriods {
            active: vec![0; cells.active_days.len()],
            pending: vec![0; cells.pending_days.len()],
            location: vec![0; cells.location_days.len()],
        }
    }

    /// Cover of the periods from `first` to the one before `after`, each given by its cell
    /// and its location's place (the same cell and place in another period).
    fn add(&mut self, first: (usize, usize), after: (usize, usize), pending: bool) {
        let cells = match pending {
            true => &mut self.pending,
            false => {
                self.location[first.1] += 1;
                self.location[after.1] -= 1;
                &mut self.active
            }
        };
        cells[first.0] += 1;
        cells[after.0] -= 1;
    }

    /// The whole periods' days added to `cells`.
    fn add_into(self, cells: &mut Cells, periods: &[StudyPeriod]) {
        let days: Vec<u64> = periods.iter().map(StudyPeriod::days).collect();
        add_whole(&mut cells.active_days, self.active, &days);
        add_whole(&mut cells.pending_days, self.pending, &days);
        add_whole(&mut cells.location_days, self.location, &days);
    }
}

/// Counts of members per cell, given as differences along the periods (`counts` laid out as
/// one block per period), summed period by period and added to `days` times each period's days.
fn add_whole(days: &mut [u64], mut counts: Vec<i64>, period_days: &[u64]) {
    let block = counts.len() / period_days.len();
    for period in 1..period_days.len() {
        let (before, this) = counts.split_at_mut(period * block);
        for (count, earlier) in this[..block]
            .iter_mut()
            .zip(&before[before.len() - block..])
        {
            *count += earlier;
        }
    }
    for ((day, count), period) in days.iter_mut().zip(&counts).zip(0..) {
        *day += *count as u64 * period_days[period / block];
    }
}

fn add_into(total: &mut [u64], part: &[u64]) {
    for (t, p) in total.iter_mut().zip(part) {
        *t += p;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn shares_cover_every_item_once_in_order_whatever_the_threads() {
        for count in [0, 1, 9_999, 10_000, 20_000, 25_003, 100_001] {
            for threads in [0, 1, 2, 3, 7, 64] {
                let shares: Vec<_> = shares(count, threads).collect();
                let items: Vec<usize> = shares.iter().cloned().flatten().collect();
                assert_eq!(
                    items,
                    (0..count).collect::<Vec<_>>(),
                    "{count} on {threads}"
                );
                assert!(shares.len() <= threads.max(1), "{count} on {threads}");
                assert!(shares.len() <= count / 10_000 + 1, "{count} on {threads}");
            }
        }
        assert_eq!(shares(25_003, 2).count(), 2);
    }

    #[test]
    fn whole_months_of_duration_count_from_the_day_of_enrolment() {
        assert_eq!(months_between(date("2025-01-31"), date("2025-02-27")), 0);
        assert_eq!(months_between(date("2025-01-31"), date("2025-02-28")), 1);
        assert_eq!(months_between(date("2025-01-15"), date("2026-01-14")), 11);
        assert_eq!(months_between(date("2025-01-15"), date("2026-01-15")), 12);
        assert_eq!(months_between(date("2025-01-15"), date("2024-01-15")), 0);
    }

    #[test]
    fn a_cell_index_and_its_key_go_both_ways() {
        let shape = Shape {
            periods: 3,
            ages: 7,
            sexes: 3,
            areas: 3,
            durations: 5,
        };
        for index in [0, 1, 17, 200, shape.len() - 1] {
            assert_eq!(shape.index(shape.key(index)), index);
        }
    }
}
