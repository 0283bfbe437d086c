//! The experience study: exposure by exact days, claims by incurred date over the same
//! population (the principle of correspondence), and what follows from them: incidence, average
//! cost, length of stay, risk cost, the base table, one-way relativities, GLM relativities and
//! the diagnostics an actuary checks first.
//!
//! Members and claims are added to [`ExperienceData`]; [`ExperienceStudy::run`] gives an
//! [`Experience`], every table of which is serialisable.

mod cells;
mod completion;
mod input;
mod numbered;
mod tables;

pub use cells::ClaimSums;
pub use completion::{Completion, CompletionMonth};
pub use input::{
    ClaimInput, CoverPeriod, CoverSpans, DataEnd, ExperienceData, InputError, Levels, MemberInput,
    Span, cover_spans,
};
pub use numbered::Numbered as NumberedIds;
pub use tables::{
    BaseRow, CellRow, ClaimedPaid, Completed, Diagnostics, Experience, GlmResults, LevelRow,
    LimitRow, LocationRow, OneWay, OutsideCounts, OwnershipRow, PeriodRow, Rates, Settings,
    Summary, UNKNOWN_LEVEL,
};

use crate::Named;
use carepool_core::words::{Figure, Sentence, Words};
use cells::{Bands, Cells, Counter, Shape, StudyPeriod};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use std::collections::BTreeMap;
use tables::PlacedClaims;

/// How exposure and claims are split in time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Split {
    Year,
    Month,
}

impl Named for Split {
    const ALL: &'static [Split] = &[Split::Year, Split::Month];
    fn name(self) -> &'static str {
        match self {
            Split::Year => "year",
            Split::Month => "month",
        }
    }
}

/// A rating factor of the study.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Factor {
    Age,
    Sex,
    Area,
    /// Months since the member's first enrolment.
    Duration,
    /// The calendar period (year or month, as the study splits): a GLM factor only, the
    /// periods' table being its one-way view.
    Period,
}

impl Named for Factor {
    const ALL: &'static [Factor] = &[
        Factor::Age,
        Factor::Sex,
        Factor::Area,
        Factor::Duration,
        Factor::Period,
    ];
    fn name(self) -> &'static str {
        match self {
            Factor::Age => "age",
            Factor::Sex => "sex",
            Factor::Area => "area",
            Factor::Duration => "duration",
            Factor::Period => "period",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExperienceStudy {
    /// The first and last days of the study, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub split: Split,
    /// Starts of the age bands, the first 0.
    pub age_bands: Vec<u32>,
    /// Starts of the duration bands in months since enrolment, the first 0.
    pub duration_bands: Vec<u32>,
    /// The base level of a factor, by its label ("25-44", "M", "rural", "12-23m"); by default
    /// the level with the most exposure.
    pub base: BTreeMap<Factor, String>,
    /// The factors of the GLMs (those the data lacks are left out).
    pub glm_factors: Vec<Factor>,
}

impl ExperienceStudy {
    pub fn new(from: NaiveDate, to: NaiveDate) -> ExperienceStudy {
        ExperienceStudy {
            from,
            to,
            split: Split::Year,
            age_bands: vec![0, 5, 15, 25, 45, 65],
            duration_bands: vec![0, 3, 6, 12, 24],
            base: BTreeMap::new(),
            glm_factors: vec![Factor::Age, Factor::Sex, Factor::Area],
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StudyError {
    #[error("the study ends ({to}) before it starts ({from})")]
    Dates { from: NaiveDate, to: NaiveDate },
    #[error("{0} bands must start at 0 and rise")]
    Bands(&'static str),
    #[error("{factor}: the base level '{level}' is not one of {levels}")]
    UnknownBase {
        factor: &'static str,
        level: String,
        levels: String,
    },
    #[error("no member was covered between {from} and {to}")]
    NoExposure { from: NaiveDate, to: NaiveDate },
    #[error(
        "the study starts on {from}, after the data end on {end} ({why}): give --from and --to on or before {end}"
    )]
    DataEnd {
        from: NaiveDate,
        end: NaiveDate,
        why: &'static str,
    },
    #[error("{field}: {message}")]
    Implausible {
        field: &'static str,
        message: String,
    },
    #[error("{0} bands: at most {MAX_BANDS}")]
    TooManyBands(&'static str),
    #[error(
        "the study would have {cells} cells ({periods} periods by every age, sex, area and duration); at most {MAX_CELLS}: study a shorter period, split by year, or use fewer bands"
    )]
    TooManyCells { cells: usize, periods: usize },
}

/// The most bands of ages or of durations a study may have.
pub const MAX_BANDS: usize = 100;
/// The most cells a study may count in, checked before any is made: ten years by month with 20
/// age bands, 10 areas and 10 durations is 831,600 (each with its band for the unknown). The cells are counted in dense arrays,
/// about 250 bytes a cell at the peak (docs/HARDENING.md), so the bound is also one on memory.
pub const MAX_CELLS: usize = 1_000_000;

fn check_size(shape: &Shape) -> Result<(), StudyError> {
    // Dates and bands are bounded above, so the product cannot overflow.
    if shape.len() > MAX_CELLS {
        return Err(StudyError::TooManyCells {
            cells: shape.len(),
            periods: shape.periods,
        });
    }
    Ok(())
}

fn check_bands(name: &'static str, bands: &[u32]) -> Result<(), StudyError> {
    if bands.first() != Some(&0) || bands.windows(2).any(|w| w[0] >= w[1]) {
        return Err(StudyError::Bands(name));
    }
    if bands.len() > MAX_BANDS {
        return Err(StudyError::TooManyBands(name));
    }
    Ok(())
}

/// Labels of bands given by their starts: "0-4", "5-14", ..., "65+".
fn band_labels(starts: &[u32], unit: &str) -> Vec<String> {
    starts
        .iter()
        .enumerate()
        .map(|(i, &start)| match starts.get(i + 1) {
            Some(next) => format!("{start}-{}{unit}", next - 1),
            None => format!("{start}{unit}+"),
        })
        .collect()
}

impl ExperienceStudy {
    fn periods(&self) -> Vec<StudyPeriod> {
        let mut periods = Vec::new();
        let mut start = self.from;
        while start <= self.to {
            let (next, label) = match self.split {
                Split::Year => (
                    NaiveDate::from_ymd_opt(start.year() + 1, 1, 1),
                    start.year().to_string(),
                ),
                Split::Month => (
                    NaiveDate::from_ymd_opt(start.year(), start.month(), 1)
                        .and_then(|d| d.checked_add_months(chrono::Months::new(1))),
                    format!("{}-{:02}", start.year(), start.month()),
                ),
            };
            let next = next.expect("date within chrono's range");
            let end = next.pred_opt().expect("a day before").min(self.to);
            periods.push(StudyPeriod {
                label,
                start,
                end,
                year_days: carepool_core::dates::days_in_year(start.year()),
            });
            start = next;
        }
        periods
    }

    /// Refuses settings no data could make right (implausible dates, the end before the start,
    /// bad bands, more cells than [`MAX_CELLS`] with a single area), before any data is read.
    pub fn check(&self) -> Result<(), StudyError> {
        for (field, date) in [("from", self.from), ("to", self.to)] {
            carepool_core::dates::check_plausible(field, date).map_err(|error| {
                StudyError::Implausible {
                    field,
                    message: error.message,
                }
            })?;
        }
        if self.to < self.from {
            return Err(StudyError::Dates {
                from: self.from,
                to: self.to,
            });
        }
        check_bands("age", &self.age_bands)?;
        check_bands("duration", &self.duration_bands)?;
        check_size(&self.shape(self.periods().len(), 1))
    }

    /// The cells of the study with `areas` areas besides the unknown one.
    fn shape(&self, periods: usize, areas: usize) -> Shape {
        Shape {
            periods,
            ages: self.age_bands.len() + 1,
            sexes: 3,
            areas: areas + 1,
            durations: self.duration_bands.len(),
        }
    }

    /// The study on `data`, its exposure stopped where the data end if that is before `to`:
    /// days the data know nothing of would count exposure without its claims.
    pub fn run(&self, data: &ExperienceData) -> Result<Experience, StudyError> {
        self.check()?;
        let (study, cut) = self.to_data_end(data.end())?;
        let mut counts = Counts::new(&study, data)?;
        counts.add(&study, data, true)?;
        let experience = counts.experience(&study, data)?;
        Ok(self.noting_cut(experience, cut))
    }

    /// The study on data known until `known_until` (the live database: today), counted a page
    /// of families at a time (see [`StudyByPages`]).
    pub fn by_pages(&self, known_until: NaiveDate) -> Result<StudyByPages, StudyError> {
        self.check()?;
        let mut data = ExperienceData::new();
        data.known_until(known_until);
        let (study, cut) = self.to_data_end(data.end())?;
        Ok(StudyByPages {
            counts: Counts::new(&study, &data)?,
            asked: self.clone(),
            study,
            cut,
            data,
        })
    }

    /// The study stopped where the data end when that is before `to`, with that end.
    fn to_data_end(
        &self,
        end: Option<DataEnd>,
    ) -> Result<(ExperienceStudy, Option<DataEnd>), StudyError> {
        let Some(end) = end.filter(|end| end.date < self.to) else {
            return Ok((self.clone(), None));
        };
        if end.date < self.from {
            return Err(StudyError::DataEnd {
                from: self.from,
                end: end.date,
                why: end.why,
            });
        }
        let cut = ExperienceStudy {
            to: end.date,
            ..self.clone()
        };
        Ok((cut, Some(end)))
    }

    /// The experience of the study stopped at `cut`, saying so.
    fn noting_cut(&self, mut experience: Experience, cut: Option<DataEnd>) -> Experience {
        let Some(end) = cut else {
            return experience;
        };
        experience.settings.asked_to = Some(self.to);
        let id = match end.today {
            true => "study-ends-today",
            false => "study-ends-with-the-claims",
        };
        experience.notes.insert(
            0,
            Sentence::new(
                Words::new(
                    id,
                    [
                        ("asked", Figure::Date(self.to)),
                        ("end", Figure::Date(end.date)),
                    ],
                ),
                format!(
                    "The study was asked to end on {}; exposure and claims stop on {}, {}.",
                    self.to, end.date, end.why
                ),
            ),
        );
        experience
    }
}

/// What a study has counted so far: its cells and what placing the claims gives beside them.
struct Counts {
    periods: Vec<StudyPeriod>,
    cells: Cells,
    placed: PlacedClaims,
}

impl Counts {
    fn new(study: &ExperienceStudy, data: &ExperienceData) -> Result<Counts, StudyError> {
        let periods = study.periods();
        let shape = study.shape(periods.len(), data.areas.len());
        check_size(&shape)?;
        Ok(Counts {
            cells: Cells::new(shape, periods.len(), data.locations.len()),
            placed: PlacedClaims::new(data.locations.len()),
            periods,
        })
    }

    /// Adds the exposure of `data`'s members (unless `exposure` is false: members counted
    /// before) and places its claims, after making room for the areas and locations it met.
    fn add(
        &mut self,
        study: &ExperienceStudy,
        data: &ExperienceData,
        exposure: bool,
    ) -> Result<(), StudyError> {
        let shape = study.shape(self.periods.len(), data.areas.len());
        check_size(&shape)?;
        self.cells.grow(shape, data.locations.len());
        self.placed.grow(data.locations.len());
        let bands = Bands {
            ages: &study.age_bands,
            durations: &study.duration_bands,
        };
        let counter = Counter::new(data, &self.periods, bands, shape);
        if exposure {
            counter.add_exposure(&mut self.cells);
        }
        tables::place_claims(&counter, &mut self.cells, &mut self.placed);
        Ok(())
    }

    /// The study's tables from what was counted of `data`.
    fn experience(
        &self,
        study: &ExperienceStudy,
        data: &ExperienceData,
    ) -> Result<Experience, StudyError> {
        if self.cells.active_days.iter().all(|&d| d == 0) {
            return Err(StudyError::NoExposure {
                from: study.from,
                to: study.to,
            });
        }
        tables::Tables {
            study,
            data,
            periods: &self.periods,
            cells: &self.cells,
            claims: &self.placed,
            age_labels: band_labels(&study.age_bands, ""),
            duration_labels: band_labels(&study.duration_bands, "m"),
        }
        .experience()
    }
}

/// A study counted a page of families at a time, for data too large to hold whole (a national
/// registry): each page's members with their cover, and their claims, are added to
/// [`StudyByPages::data`], then counted and forgotten ([`StudyByPages::count_page`]). Exposure
/// and claims are counted in whole days and minor units, so the study is the same however the
/// families are paged, provided every member of a family is in the same page (a family's days
/// of cover are the union of its members'). Areas, locations and other levels are numbered in
/// the order met, as [`ExperienceStudy::run`] numbers them: the same study comes of the same
/// members and claims added in the same order, paged or whole.
pub struct StudyByPages {
    asked: ExperienceStudy,
    /// The study as asked, stopped where the data end.
    study: ExperienceStudy,
    cut: Option<DataEnd>,
    data: ExperienceData,
    counts: Counts,
}

impl StudyByPages {
    /// Where a page's members and claims are added.
    pub fn data(&mut self) -> &mut ExperienceData {
        &mut self.data
    }

    /// Counts the members and claims added since the last page, then forgets them.
    pub fn count_page(&mut self) -> Result<(), StudyError> {
        self.counts.add(&self.study, &self.data, true)?;
        self.data.forget_page(true);
        Ok(())
    }

    /// Places the claims added since the last page without counting the members added with
    /// them: members counted in an earlier page, met again for claims that came with another
    /// family (a member who moved since), or with none (a member registered since).
    pub fn place_claims_of_counted_members(&mut self) -> Result<(), StudyError> {
        self.counts.add(&self.study, &self.data, false)?;
        self.data.forget_page(false);
        Ok(())
    }

    /// The study of every page counted (a page added but not counted is left out).
    pub fn finish(self) -> Result<Experience, StudyError> {
        let experience = self.counts.experience(&self.study, &self.data)?;
        Ok(self.asked.noting_cut(experience, self.cut))
    }
}

#[cfg(test)]
mod tests;
