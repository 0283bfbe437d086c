//! The experience study on the live database: one scheme's members with their cover, where
//! their families live, and their claims, then the study.

use crate::cover_book::CoverBook;
use crate::options::named;
use crate::{Registry, RowProblem, ServiceError};
use carepool_actuarial::experience::{
    ClaimInput, CoverPeriod, Experience, ExperienceData, ExperienceStudy, Factor, Levels,
    MemberInput, Split, StudyError, cover_spans,
};
use carepool_core::claims::{ClaimStatus, ReasonCode};
use carepool_core::registry::{
    Area, FieldError, Location, MemberStatus, Ownership, Sex, area_of, district_of,
};
use carepool_schema::claim_tables::{CLAIMS, claims};
use carepool_schema::tables::{
    COVERAGE, FAMILIES, LOCATIONS, MEMBERS, PROVIDERS, coverage, families, locations, members,
    providers,
};
use carepool_schema::{Col, Projection, Row, Value};
use chrono::{Datelike, NaiveDate};
use serde::Deserialize;
// A fast hash for the maps of millions of ids (the scheme's own, not an attacker's).
use foldhash::HashMap as FastMap;
use std::collections::{BTreeMap, HashMap};

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
fn text<'r, T>(read: &Projection, row: &'r [Value], column: Col<T>) -> Option<&'r str> {
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
                let code = text(&read, row, l::CODE).unwrap_or_default().to_string();
                let location = Location {
                    code: code.clone(),
                    name: String::new(),
                    kind: text(&read, row, l::KIND).unwrap_or_default().to_string(),
                    parent_code: text(&read, row, l::PARENT_CODE).map(str::to_string),
                    area: text(&read, row, l::AREA).and_then(|a| Area::parse("area", a).ok()),
                };
                (code, location)
            })
            .collect())
    }

    /// The members of `scheme` (every family's without one), with their cover to `horizon`, and
    /// the claims of its families.
    pub async fn experience_data(
        &self,
        scheme: Option<&str>,
        horizon: NaiveDate,
    ) -> Result<ExperienceData, ServiceError> {
        let locations = self.locations().await?;
        let filter: Vec<(usize, Value)> = scheme
            .map(|s| families::SCHEME.equals(&s.to_string()))
            .into_iter()
            .collect();
        let read = Projection::new(
            &FAMILIES,
            &[families::ID.id(), families::LOCATION_CODE.id()],
        );
        // Each family's area and district, the district by its number in `districts`: a
        // national scheme has millions of families and a few dozen districts.
        let mut families: FastMap<String, (Option<&'static str>, u32)> = FastMap::default();
        let mut districts = Levels::default();
        self.each_row(&read, &filter, |row| {
            let location = text(&read, &row, families::LOCATION_CODE).unwrap_or_default();
            let area = area_of(&locations, location).map(Area::as_str);
            let district = districts.intern(district_of(&locations, location));
            let id = text(&read, &row, families::ID).unwrap_or_default();
            families.insert(id.to_string(), (area, district));
            Ok(())
        })
        .await?;
        let cover = self.cover_periods().await?;
        use members as m;
        let read = Projection::new(
            &MEMBERS,
            &[
                m::ID.id(),
                m::FAMILY_ID.id(),
                m::SEX.id(),
                m::BIRTH_DATE.id(),
                m::STATUS.id(),
                m::STATUS_SINCE.id(),
            ],
        );
        let mut data = ExperienceData::new();
        self.each_row(&read, &[], |row| {
            let id = text(&read, &row, m::ID).unwrap_or_default();
            let family = text(&read, &row, m::FAMILY_ID).unwrap_or_default();
            let Some(&(area, district)) = families.get(family) else {
                return Ok(());
            };
            let corrupt = |what: &str| ServiceError::Corrupt(format!("stored member {id}: {what}"));
            let status = text(&read, &row, m::STATUS)
                .and_then(|s| MemberStatus::parse("status", s).ok())
                .ok_or_else(|| corrupt("no status"))?;
            let since = read
                .value(&row, m::STATUS_SINCE)
                .as_date()
                .ok_or_else(|| corrupt("no status date"))?;
            let spans = cover_spans(cover.of(id), status, since, horizon);
            data.add_member(MemberInput {
                id,
                family: Some(family),
                sex: text(&read, &row, m::SEX).and_then(|s| Sex::parse("sex", s).ok()),
                birth_date: read.value(&row, m::BIRTH_DATE).as_date(),
                area,
                location: Some(districts.name(district)),
                spans: &spans,
            })
            .map_err(|error| corrupt(&error.to_string()))
        })
        .await?;
        // What the claims are read beside: the cover is done with, and the families are kept
        // only to tell a scheme's claims from the others'.
        drop(cover);
        let in_scheme = scheme.is_some().then_some(families);
        self.add_experience_claims(&mut data, in_scheme.as_ref())
            .await?;
        Ok(data)
    }

    async fn cover_periods(&self) -> Result<CoverBook, ServiceError> {
        use coverage as c;
        let read = Projection::new(
            &COVERAGE,
            &[c::MEMBER_ID.id(), c::START_DATE.id(), c::END_DATE.id()],
        );
        let mut cover = CoverBook::default();
        self.each_row(&read, &[], |row| {
            if let Some(start) = read.value(&row, c::START_DATE).as_date() {
                let period = CoverPeriod {
                    start,
                    end: read.value(&row, c::END_DATE).as_date(),
                };
                let member = text(&read, &row, c::MEMBER_ID).unwrap_or_default();
                cover.add(member, period).map_err(ServiceError::Corrupt)?;
            }
            Ok(())
        })
        .await?;
        Ok(cover)
    }

    /// The claims of the families in `in_scheme` (all, when none), and of unknown members.
    async fn add_experience_claims(
        &self,
        data: &mut ExperienceData,
        in_scheme: Option<&FastMap<String, impl Sync>>,
    ) -> Result<(), ServiceError> {
        let read = Projection::new(
            &PROVIDERS,
            &[providers::CODE.id(), providers::OWNERSHIP.id()],
        );
        let ownership: HashMap<String, Ownership> = self
            .project(&read, &[])
            .await?
            .into_iter()
            .filter_map(|row| {
                let owner = Ownership::parse("ownership", text(&read, &row, providers::OWNERSHIP)?);
                Some((text(&read, &row, providers::CODE)?.to_string(), owner.ok()?))
            })
            .collect();
        use claims as c;
        let read = Projection::new(
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
        );
        self.each_row(&read, &[], |row| {
            if let (Some(scheme), Some(family)) = (in_scheme, text(&read, &row, c::FAMILY_ID))
                && !scheme.contains_key(family)
            {
                return Ok(());
            }
            let id = text(&read, &row, c::ID).unwrap_or_default();
            let corrupt = |what: &str| ServiceError::Corrupt(format!("stored claim {id}: {what}"));
            let money = |column| read.value(&row, column).as_money();
            let (Some(claimed), Some(approved), Some(paid)) =
                (money(c::CLAIMED), money(c::APPROVED), money(c::PAID))
            else {
                return Err(corrupt("no amounts"));
            };
            let status = text(&read, &row, c::STATUS)
                .and_then(|s| ClaimStatus::parse("status", s).ok())
                .ok_or_else(|| corrupt("no status"))?;
            let Some(incurred) = read.value(&row, c::INCURRED_DATE).as_date() else {
                return Ok(());
            };
            let reasons = reason_codes(read.value(&row, c::REASONS));
            let stay_days = read
                .value(&row, c::ADMISSION_DATE)
                .as_date()
                .zip(read.value(&row, c::DISCHARGE_DATE).as_date())
                .map(|(a, d)| (d - a).num_days().max(1) as u32);
            data.add_claim(&ClaimInput {
                member: text(&read, &row, c::MEMBER_ID).unwrap_or_default(),
                incurred,
                clinical_category: text(&read, &row, c::CLINICAL_CATEGORY).unwrap_or_default(),
                specialty: text(&read, &row, c::SPECIALTY),
                claimed,
                approved,
                paid,
                owed: status.amount_owed(approved, claimed),
                stay_days,
                ownership: text(&read, &row, c::PROVIDER_ID)
                    .and_then(|p| ownership.get(p).copied()),
                limit_reached: reasons.contains(&ReasonCode::AnnualLimit),
                limit_raised: reasons
                    .contains(&ReasonCode::LimitRaised)
                    .then(|| text(&read, &row, c::LIMIT_RAISING_CASE).unwrap_or("declared")),
                // For the reporting delays: the live database ends today whatever it
                // received last (`known_until`).
                received: read.value(&row, c::RECEIVED_DATE).as_date(),
            });
            Ok(())
        })
        .await?;
        Ok(())
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
        let mut data = self
            .experience_data(options.scheme.as_deref(), study.to)
            .await?;
        data.known_until(today);
        let experience = study.run(&data).map_err(study_error)?;
        carepool_actuarial::check_finite(&experience)?;
        Ok(experience)
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
