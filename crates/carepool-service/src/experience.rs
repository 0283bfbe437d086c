//! The experience study on the live database: one scheme's members with their cover, where
//! their families live, and their claims, then the study.

use crate::background::Background;
use crate::claims::next_page_of_claims;
use crate::options::named;
use crate::{Key, Query, Registry, RowProblem, ServiceError};
use carepool_actuarial::experience::{
    ClaimInput, CoverPeriod, CoverSpans, Experience, ExperienceData, ExperienceStudy, Factor,
    MemberInput, Split, StudyByPages, StudyError,
};
use carepool_core::claims::{ClaimStatus, ReasonCode, stay_days};
use carepool_core::registry::{
    Area, Family, FieldError, Location, MemberStatus, Ownership, Sex, area_of, district_of,
};
use carepool_schema::claim_tables::{CLAIMS, claims};
use carepool_schema::tables::{
    COVERAGE, LOCATIONS, MEMBERS, PROVIDERS, coverage, families, locations, members, providers,
};
use carepool_schema::{Col, Projection, Row, Value};
use carepool_store::PageStart;
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
// A fast hash for the maps of a page's ids (the scheme's own, not an attacker's).
use foldhash::HashMap as FastMap;
use std::collections::{BTreeMap, HashMap, VecDeque};

/// How to study, as the command line and the API give it: words, checked in one place.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExperienceOptions {
    /// The scheme studied (the live database only); by default every family.
    pub scheme: Option<String>,
    /// First day of the study [default: 1 January two years before `to`'s year].
    pub from: Option<NaiveDate>,
    /// Last day of the study [default: today].
    pub to: Option<NaiveDate>,
    /// year (the default) or month.
    pub split: Option<String>,
    /// Starts of the age bands [default: 0, 5, 15, 25, 45, 65].
    pub age_bands: Option<Vec<u32>>,
    /// Starts of the duration bands, in months since enrolment [default: 0, 3, 6, 12, 24].
    pub duration_bands: Option<Vec<u32>>,
    /// Base level per factor (age, sex, area, duration), e.g. {"sex": "M", "age": "25-44"}.
    #[serde(default)]
    pub base: BTreeMap<String, String>,
    /// The GLMs' factors [default: age, sex, area].
    pub glm_factors: Option<Vec<String>>,
}

impl ExperienceOptions {
    pub fn study(&self, today: NaiveDate) -> Result<ExperienceStudy, FieldError> {
        let to = self.to.unwrap_or(today);
        let from = self.from.unwrap_or_else(|| {
            NaiveDate::from_ymd_opt(to.year() - 2, 1, 1).expect("a first of January")
        });
        if to < from {
            return Err(FieldError::new(
                "to",
                format!("{to} is before the study's first day, {from}"),
            ));
        }
        let mut study = ExperienceStudy::new(from, to);
        if let Some(split) = &self.split {
            study.split = named("split", Some(split), Split::Year)?;
        }
        if let Some(bands) = &self.age_bands {
            study.age_bands = bands.clone();
        }
        if let Some(bands) = &self.duration_bands {
            study.duration_bands = bands.clone();
        }
        for (factor, level) in &self.base {
            study
                .base
                .insert(named("base", Some(factor), Factor::Age)?, level.clone());
        }
        if let Some(factors) = &self.glm_factors {
            study.glm_factors = factors
                .iter()
                .map(|f| named("glm_factors", Some(f), Factor::Age))
                .collect::<Result<_, _>>()?;
        }
        Ok(study)
    }
}

/// A study that cannot run on these settings: the setting at fault, or why it is not estimable.
pub fn study_error(error: StudyError) -> ServiceError {
    let invalid = |field: &str| {
        ServiceError::Invalid(vec![RowProblem {
            words: Some(error.words()).filter(|words| !words.id.is_empty()),
            ..RowProblem::new(0, Some(field), error.to_string())
        }])
    };
    match &error {
        StudyError::Dates { .. } => invalid("to"),
        StudyError::Bands(name) | StudyError::TooManyBands(name) => invalid(if *name == "age" {
            "age_bands"
        } else {
            "duration_bands"
        }),
        StudyError::Implausible { field, .. } => invalid(field),
        StudyError::TooManyCells { .. } => invalid("from"),
        StudyError::UnknownBase { .. } => invalid("base"),
        StudyError::NoExposure { .. } | StudyError::DataEnd { .. } => {
            ServiceError::not_estimable(error.words(), error.to_string())
        }
    }
}

/// The non-empty text of `column` in a projected row.
fn projected<'r, T>(read: &Projection, row: &'r [Value], column: Col<T>) -> Option<&'r str> {
    read.text(row, column).filter(|t| !t.is_empty())
}

impl Registry {
    /// Hands each row of a projection to `each` as it is read; the first error ends the use of
    /// the rows and is returned.
    pub(crate) async fn each_row(
        &self,
        read: &Projection,
        filters: &[(usize, Value)],
        mut each: impl FnMut(Row) -> Result<(), ServiceError> + Send,
    ) -> Result<(), ServiceError> {
        let mut failed = None;
        let mut take = |row: Row| {
            if failed.is_none()
                && let Err(error) = each(row)
            {
                failed = Some(error);
            }
        };
        self.store
            .project_each(read.table(), read.columns(), filters, &mut take)
            .await?;
        failed.map_or(Ok(()), Err)
    }

    async fn project(
        &self,
        read: &Projection,
        filters: &[(usize, Value)],
    ) -> Result<Vec<Row>, ServiceError> {
        Ok(self
            .store
            .project(read.table(), read.columns(), filters)
            .await?)
    }

    pub(crate) async fn locations(&self) -> Result<HashMap<String, Location>, ServiceError> {
        use locations as l;
        let read = Projection::new(
            &LOCATIONS,
            &[
                l::CODE.id(),
                l::KIND.id(),
                l::PARENT_CODE.id(),
                l::AREA.id(),
            ],
        );
        Ok(self
            .project(&read, &[])
            .await?
            .iter()
            .map(|row| {
                let code = projected(&read, row, l::CODE)
                    .unwrap_or_default()
                    .to_string();
                let location = Location {
                    code: code.clone(),
                    name: String::new(),
                    kind: projected(&read, row, l::KIND)
                        .unwrap_or_default()
                        .to_string(),
                    parent_code: projected(&read, row, l::PARENT_CODE).map(str::to_string),
                    area: projected(&read, row, l::AREA).and_then(|a| Area::parse("area", a).ok()),
                };
                (code, location)
            })
            .collect())
    }

    /// Adds to `study` the members of `scheme` (every family's without one), with their cover to
    /// `horizon`, and the claims of its families, a page of families at a time (see
    /// [`Registry::page_rows`]): each page is counted and forgotten, so that a national registry
    /// is never held whole. A claim came with the family its member had then: those whose
    /// member has moved since, or was registered since a claim for an unknown member came, are
    /// placed at the end with their member read again.
    async fn add_experience_pages(
        &self,
        study: &mut StudyByPages,
        scheme: Option<&str>,
        horizon: NaiveDate,
    ) -> Result<(), ServiceError> {
        let reader = ExperienceRows {
            locations: self.locations().await?,
            ownership: self.provider_ownership().await?,
            horizon,
            read: StudyColumns::new(),
        };
        let read = &reader.read;
        let mut strays = Vec::new();
        // Every scheme's families are paged, so that a page's range of ids holds no more than
        // the page: a scheme's families may lie among another's.
        let mut page = Query::<Family>::page(0, FAMILIES_PER_PAGE as u64);
        let (mut more_pages, mut reading) = (true, VecDeque::new());
        loop {
            while more_pages && reading.len() <= PAGES_READ_AHEAD {
                let families = self.list(&page).await?;
                more_pages = families.len() == FAMILIES_PER_PAGE;
                let Some(last) = families.last() else {
                    break;
                };
                page = page.after(&Key::of(last));
                let listed = families.len();
                let ours: Vec<Family> = (families.into_iter())
                    .filter(|family| scheme.is_none_or(|scheme| family.scheme == scheme))
                    .collect();
                if !ours.is_empty() {
                    let whole_range = ours.len() == listed;
                    let rows = self.clone().page_rows(ours, whole_range);
                    reading.push_back(Background::spawn(rows));
                }
            }
            let Some(next) = reading.pop_front() else {
                break;
            };
            reader.count_page(study, next.finish().await?, &mut strays)?;
        }
        strays.extend(self.claims_without_family(&read.claims).await?);
        self.place_strays(study, &reader, scheme, &strays).await
    }

    /// The members, cover and claims of a page of families (in key order), each sorted by
    /// family and id, so that the study meets them in the same order whatever order the
    /// database reads them in. With `whole_range`, the page holds every family whose key lies
    /// between its first and last: their rows are read as that range of family ids, else by
    /// the families' ids.
    async fn page_rows(
        self,
        families: Vec<Family>,
        whole_range: bool,
    ) -> Result<PageRows, ServiceError> {
        let ids: Vec<String> = families.iter().map(|f| f.id.clone()).collect();
        let (first, last) = (ids.first().zip(ids.last())).expect("a page holds a family");
        let read = StudyColumns::new();
        let rows_of = async |read: &Projection, family: usize| match whole_range {
            true => {
                (self.store)
                    .rows_in_range(read.table(), read.columns(), family, first, last)
                    .await
            }
            false => {
                let rows = (self.store)
                    .rows_where_in_any_order(read.table(), family, &ids)
                    .await?;
                Ok(projected_rows(read, rows))
            }
        };
        let (mut members, cover, mut claims) = tokio::try_join!(
            rows_of(&read.members, members::FAMILY_ID.index()),
            rows_of(&read.cover, coverage::FAMILY_ID.index()),
            rows_of(&read.claims, claims::FAMILY_ID.index()),
        )?;
        sort_by_family_and_id(&read.members, &mut members, members::FAMILY_ID, members::ID);
        sort_by_family_and_id(&read.claims, &mut claims, claims::FAMILY_ID, claims::ID);
        Ok(PageRows {
            families,
            members,
            cover,
            claims,
        })
    }

    /// Places the claims that came with no family or with one their member has left: each
    /// member of the scheme found is read again, with their cover, to place them (their exposure
    /// was counted with their family); the others' claims are of unknown members.
    async fn place_strays(
        &self,
        study: &mut StudyByPages,
        reader: &ExperienceRows,
        scheme: Option<&str>,
        strays: &[Row],
    ) -> Result<(), ServiceError> {
        if strays.is_empty() {
            return Ok(());
        }
        let read = &reader.read;
        let mut ids: Vec<String> = (strays.iter())
            .filter_map(|claim| projected(&read.claims, claim, claims::MEMBER_ID))
            .map(str::to_string)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let found = self
            .store
            .rows_where_in(&MEMBERS, members::ID.index(), &ids);
        let members = projected_rows(&read.members, found.await?);
        let mut family_ids: Vec<String> = (members.iter())
            .filter_map(|member| projected(&read.members, member, members::FAMILY_ID))
            .map(str::to_string)
            .collect();
        family_ids.sort_unstable();
        family_ids.dedup();
        let families: Vec<Family> = (self.typed_where_in(families::ID, &family_ids)).await?;
        let homes: FastMap<&str, &str> = (families.iter())
            .filter(|family| scheme.is_none_or(|scheme| family.scheme == scheme))
            .map(|family| (family.id.as_str(), family.location_code.as_str()))
            .collect();
        let found = (self.store).rows_where_in(&COVERAGE, coverage::MEMBER_ID.index(), &ids);
        let cover = CoverOf::new(&read.cover, projected_rows(&read.cover, found.await?));
        let mut spans = CoverSpans::default();
        for member in &members {
            let family = projected(&read.members, member, members::FAMILY_ID);
            if let Some(home) = family.and_then(|f| homes.get(f)) {
                reader.add_member(study.data(), member, &cover, &mut spans, home)?;
            }
        }
        for claim in strays {
            reader.add_claim(study.data(), claim)?;
        }
        study.place_claims_of_counted_members().map_err(study_error)
    }

    /// Each provider's ownership, by code.
    async fn provider_ownership(&self) -> Result<HashMap<String, Ownership>, ServiceError> {
        let read = Projection::new(
            &PROVIDERS,
            &[providers::CODE.id(), providers::OWNERSHIP.id()],
        );
        Ok(self
            .project(&read, &[])
            .await?
            .into_iter()
            .filter_map(|row| {
                let owner =
                    Ownership::parse("ownership", projected(&read, &row, providers::OWNERSHIP)?);
                Some((
                    projected(&read, &row, providers::CODE)?.to_string(),
                    owner.ok()?,
                ))
            })
            .collect())
    }

    /// The claims that came with no family (their member was unknown then), in the columns the
    /// study reads: the first in the order of the family column.
    async fn claims_without_family(&self, read: &Projection) -> Result<Vec<Row>, ServiceError> {
        let mut without_family = Vec::new();
        let mut start = PageStart::First;
        loop {
            let family = claims::FAMILY_ID.index();
            let page = (self.store)
                .project_page(
                    &CLAIMS,
                    read.columns(),
                    &[],
                    family,
                    &start,
                    FAMILIES_PER_PAGE,
                )
                .await?;
            let no_family = |row: &Row| read.text(row, claims::FAMILY_ID).is_none();
            // A full page of them only: there may be more.
            let next = (next_page_of_claims(read, &page, FAMILIES_PER_PAGE))
                .filter(|_| page.iter().all(no_family));
            without_family.extend(page.into_iter().take_while(no_family));
            match next {
                Some(next) => start = next,
                None => return Ok(without_family),
            }
        }
    }

    /// The study of the options' scheme and period.
    pub async fn experience(
        &self,
        options: &ExperienceOptions,
        today: NaiveDate,
    ) -> Result<Experience, ServiceError> {
        let study = options.study(today).map_err(|error| {
            ServiceError::Invalid(vec![RowProblem::new(0, Some(error.field), error.message)])
        })?;
        // Settings no data could make right are refused before the database is read.
        study.check().map_err(study_error)?;
        self.check_scheme_loaded(options.scheme.as_ref()).await?;
        // The live database is complete up to today, whatever it received last.
        let mut paged = study.by_pages(today).map_err(study_error)?;
        // One state of the database, whatever is committed while the pages are read: a member
        // moved meanwhile is counted once, in one family.
        let scheme = options.scheme.as_deref();
        (self.at_snapshot(async |at| at.add_experience_pages(&mut paged, scheme, study.to).await))
            .await?;
        let experience = paged.finish().map_err(study_error)?;
        carepool_actuarial::check_finite(&experience)?;
        Ok(experience)
    }
}

/// Families read at a time by the study: about six members each, with their cover and claims,
/// a few tens of megabytes of rows.
const FAMILIES_PER_PAGE: usize = 5_000;

/// Pages read while one is counted, besides the next: the database and the counting each keep
/// a core busy.
const PAGES_READ_AHEAD: usize = 1;

/// A page of families with the rows of their range of ids.
struct PageRows {
    families: Vec<Family>,
    members: Vec<Row>,
    cover: Vec<Row>,
    claims: Vec<Row>,
}

/// The columns the study reads of members, their cover and claims: none it does not need (a
/// member's name, a claim's diagnoses).
struct StudyColumns {
    members: Projection,
    cover: Projection,
    claims: Projection,
}

impl StudyColumns {
    fn new() -> StudyColumns {
        use claims as c;
        use coverage as p;
        use members as m;
        StudyColumns {
            members: Projection::new(
                &MEMBERS,
                &[
                    m::ID.id(),
                    m::FAMILY_ID.id(),
                    m::SEX.id(),
                    m::BIRTH_DATE.id(),
                    m::STATUS.id(),
                    m::STATUS_SINCE.id(),
                ],
            ),
            cover: Projection::new(
                &COVERAGE,
                &[p::MEMBER_ID.id(), p::START_DATE.id(), p::END_DATE.id()],
            ),
            claims: Projection::new(
                &CLAIMS,
                &[
                    c::ID.id(),
                    c::MEMBER_ID.id(),
                    c::FAMILY_ID.id(),
                    c::INCURRED_DATE.id(),
                    c::CLINICAL_CATEGORY.id(),
                    c::SPECIALTY.id(),
                    c::CLAIMED.id(),
                    c::APPROVED.id(),
                    c::PAID.id(),
                    c::STATUS.id(),
                    c::ADMISSION_DATE.id(),
                    c::DISCHARGE_DATE.id(),
                    c::PROVIDER_ID.id(),
                    c::REASONS.id(),
                    c::LIMIT_RAISING_CASE.id(),
                    c::RECEIVED_DATE.id(),
                ],
            ),
        }
    }
}

/// Whole rows cut to the columns of `read`.
fn projected_rows(read: &Projection, rows: Vec<Row>) -> Vec<Row> {
    (rows.into_iter())
        .map(|mut row| {
            (read.columns().iter())
                .map(|&column| std::mem::replace(&mut row[column], Value::Null))
                .collect()
        })
        .collect()
}

/// Rows of `read` sorted by their family, then their id.
fn sort_by_family_and_id<F, I>(read: &Projection, rows: &mut [Row], family: Col<F>, id: Col<I>) {
    fn key<'r, F, I>(
        read: &Projection,
        row: &'r [Value],
        family: Col<F>,
        id: Col<I>,
    ) -> (Option<&'r str>, Option<&'r str>) {
        (projected(read, row, family), projected(read, row, id))
    }
    rows.sort_by(|a, b| key(read, a, family, id).cmp(&key(read, b, family, id)));
}

/// The cover periods of some members, looked up by member.
struct CoverOf(FastMap<String, Vec<CoverPeriod>>);

impl CoverOf {
    fn new(read: &Projection, rows: Vec<Row>) -> CoverOf {
        use coverage as p;
        let mut periods: FastMap<String, Vec<CoverPeriod>> = FastMap::default();
        for row in rows {
            let member = projected(read, &row, p::MEMBER_ID);
            if let (Some(member), Some(start)) = (member, read.value(&row, p::START_DATE).as_date())
            {
                let end = read.value(&row, p::END_DATE).as_date();
                let period = CoverPeriod { start, end };
                periods.entry(member.to_string()).or_default().push(period);
            }
        }
        CoverOf(periods)
    }

    fn of(&self, member: &str) -> &[CoverPeriod] {
        self.0.get(member).map_or(&[], Vec::as_slice)
    }
}

/// What turns the rows of members and claims into the study's input.
struct ExperienceRows {
    locations: HashMap<String, Location>,
    ownership: HashMap<String, Ownership>,
    /// Where open cover ends.
    horizon: NaiveDate,
    read: StudyColumns,
}

impl ExperienceRows {
    /// Counts a page's members and claims, keeping apart (in `strays`) the claims of its
    /// families whose member is not in the page; the other schemes' rows in its range are left.
    fn count_page(
        &self,
        study: &mut StudyByPages,
        page: PageRows,
        strays: &mut Vec<Row>,
    ) -> Result<(), ServiceError> {
        let read = &self.read;
        let homes: FastMap<&str, &str> = (page.families.iter())
            .map(|f| (f.id.as_str(), f.location_code.as_str()))
            .collect();
        let cover = CoverOf::new(&read.cover, page.cover);
        let mut spans = CoverSpans::default();
        for member in &page.members {
            let family = projected(&read.members, member, members::FAMILY_ID);
            if let Some(home) = family.and_then(|f| homes.get(f)) {
                self.add_member(study.data(), member, &cover, &mut spans, home)?;
            }
        }
        for claim in page.claims {
            let family = projected(&read.claims, &claim, claims::FAMILY_ID);
            if !homes.contains_key(family.unwrap_or_default()) {
                continue;
            }
            let member = projected(&read.claims, &claim, claims::MEMBER_ID).unwrap_or_default();
            match study.data().holds_member(member) {
                true => self.add_claim(study.data(), &claim)?,
                false => strays.push(claim),
            }
        }
        study.count_page().map_err(study_error)
    }

    /// Adds a member's row, with their cover (their spans made in `spans`' room) and where
    /// their family lives.
    fn add_member(
        &self,
        data: &mut ExperienceData,
        row: &[Value],
        cover: &CoverOf,
        spans: &mut CoverSpans,
        home: &str,
    ) -> Result<(), ServiceError> {
        use members as m;
        let read = &self.read.members;
        let text = |column| projected(read, row, column);
        let id = text(m::ID).unwrap_or_default();
        let corrupt = |what: &str| ServiceError::Corrupt(format!("stored member {id}: {what}"));
        let status = (read.text(row, m::STATUS))
            .and_then(|s| MemberStatus::parse("status", s).ok())
            .ok_or_else(|| corrupt("no status"))?;
        let since = (read.value(row, m::STATUS_SINCE).as_date())
            .ok_or_else(|| corrupt("no status date"))?;
        let spans = spans.of(cover.of(id), status, since, self.horizon);
        data.add_member(MemberInput {
            id,
            family: text(m::FAMILY_ID),
            sex: (read.text(row, m::SEX)).and_then(|s| Sex::parse("sex", s).ok()),
            birth_date: read.value(row, m::BIRTH_DATE).as_date(),
            area: area_of(&self.locations, home).map(Area::as_str),
            location: Some(district_of(&self.locations, home)),
            spans,
        })
        .map_err(|error| corrupt(&error.to_string()))
    }

    /// Adds a claim's row (none without an incurred date).
    fn add_claim(&self, data: &mut ExperienceData, row: &[Value]) -> Result<(), ServiceError> {
        use claims as c;
        let read = &self.read.claims;
        let id = projected(read, row, c::ID).unwrap_or_default();
        let corrupt = |what: &str| ServiceError::Corrupt(format!("stored claim {id}: {what}"));
        let money = |column| read.value(row, column).as_money();
        let (Some(claimed), Some(approved), Some(paid)) =
            (money(c::CLAIMED), money(c::APPROVED), money(c::PAID))
        else {
            return Err(corrupt("no amounts"));
        };
        let status = (projected(read, row, c::STATUS))
            .and_then(|s| ClaimStatus::parse("status", s).ok())
            .ok_or_else(|| corrupt("no status"))?;
        let Some(incurred) = read.value(row, c::INCURRED_DATE).as_date() else {
            return Ok(());
        };
        let reasons = reason_codes(read.value(row, c::REASONS));
        let stay_days = (read.value(row, c::ADMISSION_DATE).as_date())
            .zip(read.value(row, c::DISCHARGE_DATE).as_date())
            .map(|(a, d)| stay_days(a, d) as u32);
        let provider = projected(read, row, c::PROVIDER_ID);
        data.add_claim(&ClaimInput {
            member: projected(read, row, c::MEMBER_ID).unwrap_or_default(),
            incurred,
            clinical_category: projected(read, row, c::CLINICAL_CATEGORY).unwrap_or_default(),
            specialty: projected(read, row, c::SPECIALTY),
            claimed,
            approved,
            paid,
            owed: status.amount_owed(approved, claimed),
            stay_days,
            ownership: provider.and_then(|p| self.ownership.get(p).copied()),
            limit_reached: reasons.contains(&ReasonCode::AnnualLimit),
            limit_raised: reasons
                .contains(&ReasonCode::LimitRaised)
                .then(|| projected(read, row, c::LIMIT_RAISING_CASE).unwrap_or("declared")),
            received: read.value(row, c::RECEIVED_DATE).as_date(),
        });
        Ok(())
    }
}

/// Reason codes as stored: a list separated by ';'.
fn reason_codes(value: &Value) -> Vec<ReasonCode> {
    value
        .as_text()
        .unwrap_or_default()
        .split(';')
        .filter_map(ReasonCode::parse)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(json: &str) -> ExperienceOptions {
        serde_json::from_str(json).unwrap()
    }

    fn today() -> NaiveDate {
        "2026-11-23".parse().unwrap()
    }

    #[test]
    fn options_left_out_take_their_defaults() {
        let study = ExperienceOptions::default().study(today()).unwrap();
        assert_eq!(study.from, "2024-01-01".parse::<NaiveDate>().unwrap());
        assert_eq!(study.to, today());
        assert_eq!(study.split, Split::Year);
        assert_eq!(study.glm_factors, [Factor::Age, Factor::Sex, Factor::Area]);
    }

    #[test]
    fn options_in_words_become_a_study() {
        let study = options(
            r#"{"from": "2025-01-01", "to": "2025-12-31", "split": "month", "age_bands": [0, 18, 60],
                "base": {"sex": "F"}, "glm_factors": ["age", "duration"]}"#,
        )
        .study(today())
        .unwrap();
        assert_eq!(study.split, Split::Month);
        assert_eq!(study.age_bands, [0, 18, 60]);
        assert_eq!(study.base[&Factor::Sex], "F");
        assert_eq!(study.glm_factors, [Factor::Age, Factor::Duration]);
    }

    #[test]
    fn a_wrong_option_is_named_with_what_it_may_be() {
        let error = |json: &str| options(json).study(today()).unwrap_err();
        let e = error(r#"{"split": "week"}"#);
        assert_eq!(
            (e.field, e.message.as_str()),
            ("split", "'week' is not one of year, month")
        );
        let e = error(r#"{"base": {"colour": "red"}}"#);
        assert_eq!(
            e.message,
            "'colour' is not one of age, sex, area, duration, period"
        );
        let e = error(r#"{"from": "2025-01-01", "to": "2024-12-31"}"#);
        assert_eq!(e.field, "to");
        assert!(serde_json::from_str::<ExperienceOptions>(r#"{"form": "2025-01-01"}"#).is_err());
    }
}
