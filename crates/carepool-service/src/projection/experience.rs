//! An experience study carried into the projection in one step (`carepool project
//! --experience`): its base table, its date (the middle of the study's period), its
//! relativities (its GLM's or its one-way tables), its population mix and its family size, so
//! that only the forward-looking assumptions are left to the file. Each input says where it
//! came from. docs/PROJECTION.md, "From an experience study".

use super::{CellEntry, LineEntry, ProjectionFile, Relativities, Relativity};
use carepool_actuarial::reform::line_name;
use carepool_core::registry::FieldError;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// Which of the study's relativities the projection takes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StudyRelativities {
    /// The frequency and severity GLMs', which separate correlated factors.
    #[default]
    Glm,
    /// The one-way tables'.
    OneWay,
}

/// `[experience]` in the assumptions file: how the study is taken, and, when it is run on a
/// database, which study (the scheme, the period and the age bands, as `carepool experience`
/// takes them).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ExperienceEntry {
    #[serde(default)]
    pub relativities: StudyRelativities,
    pub scheme: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub age_bands: Option<Vec<u32>>,
}

impl ExperienceEntry {
    /// Settings that choose the study itself, which a study already run has fixed.
    pub fn study_settings(&self) -> Vec<&'static str> {
        [
            ("experience.scheme", self.scheme.is_some()),
            ("experience.from", self.from.is_some()),
            ("experience.to", self.to.is_some()),
            ("experience.age_bands", self.age_bands.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, given)| given.then_some(name))
        .collect()
    }
}

/// What a study gave the assumptions.
#[derive(Debug, Clone, PartialEq)]
pub struct StudyTaken {
    /// The study's file, or the database it was run on.
    pub name: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub lines: usize,
    /// The day the study's completion factors were valued at, when it completed its months.
    pub completed_at: Option<NaiveDate>,
    pub relativities: StudyRelativities,
    /// The population's cells, and whether the file gave their start and target shares.
    pub cells: usize,
    pub shares_given: bool,
    /// The study's average family size, when the file gave none.
    pub family_size: Option<f64>,
}

fn invalid(field: &'static str, message: impl Into<String>) -> FieldError {
    FieldError::new(field, message)
}

/// A number of the study's JSON: amounts are decimal strings there; a rate without a
/// denominator is null, which adds nothing.
fn number(value: &Value, what: &str) -> Result<f64, String> {
    match value {
        Value::Null => Ok(0.0),
        Value::Number(number) => Ok(number.as_f64().unwrap_or(f64::NAN)),
        Value::String(text) => text
            .parse::<f64>()
            .map_err(|_| format!("{what}: '{text}' is not a number")),
        other => Err(format!("{what}: {other} is not a number")),
    }
}

fn text<'a>(value: &'a Value, what: &str) -> Result<&'a str, String> {
    value
        .as_str()
        .ok_or_else(|| format!("{what}: {value} is not text"))
}

/// The lines of a study's base table, the total left out: `CATEGORY SPECIALTY`, incidence per
/// 1,000 and average cost, with the study's recent months completed where it completed them.
pub fn study_lines(study: &Value) -> Result<Vec<LineEntry>, String> {
    let lines = study["base_table"]
        .as_array()
        .ok_or("no base_table: is it an experience study's JSON?")?;
    lines
        .iter()
        .enumerate()
        .filter(|(_, line)| line["specialty"].is_string() || line["clinical_category"] != "total")
        .map(|(i, line)| {
            let at = |field: &str| format!("base_table[{i}].{field}");
            let category = text(&line["clinical_category"], &at("clinical_category"))?;
            let name = line_name(category, line["specialty"].as_str());
            let (rates, part) = match &line["completed"] {
                Value::Null => (line, ""),
                completed => (completed, "completed."),
            };
            let value = |field: &str| number(&rates[field], &at(&format!("{part}{field}")));
            Ok(LineEntry {
                incidence_per_1000: value("incidence_per_1000")?,
                average_cost: value("average_cost")?,
                // The claims reported, which credibility weighs the line by.
                claims: line["claims"].as_f64(),
                name,
            })
        })
        .collect()
}

/// The study's period, from its settings.
fn period(study: &Value) -> Result<(NaiveDate, NaiveDate), String> {
    let date = |field: &str| {
        let value = &study["settings"][field];
        value
            .as_str()
            .and_then(|d| d.parse::<NaiveDate>().ok())
            .ok_or_else(|| format!("settings.{field}: {value} is not a date"))
    };
    Ok((date("from")?, date("to")?))
}

/// The middle of a period whose both ends are included: 1 April 2025 to 31 March 2027 gives
/// 1 April 2026.
fn middle(from: NaiveDate, to: NaiveDate) -> NaiveDate {
    let days = (to - from).num_days() + 1;
    from + Days::new((days / 2).max(0) as u64)
}

const FACTORS: [&str; 3] = ["age", "sex", "area"];

/// Relativities by factor and level from the study: each level's incidence and cost
/// relativities (1 where the study gives none: a base level, a level without claims).
fn relativities(study: &Value, kind: StudyRelativities) -> Result<Relativities, String> {
    let mut tables: BTreeMap<&str, BTreeMap<String, Relativity>> = BTreeMap::new();
    let mut put = |factor: &str, level: &str, incidence: Option<f64>, cost: Option<f64>| {
        let Some(factor) = FACTORS.iter().find(|f| **f == factor) else {
            return;
        };
        let entry = tables
            .entry(factor)
            .or_default()
            .entry(level.to_string())
            .or_insert(Relativity {
                incidence: 1.0,
                cost: 1.0,
            });
        if let Some(incidence) = incidence {
            entry.incidence = incidence;
        }
        if let Some(cost) = cost {
            entry.cost = cost;
        }
    };
    match kind {
        StudyRelativities::OneWay => {
            let tables = study["relativities"]
                .as_array()
                .ok_or("no relativities: is it an experience study's JSON?")?;
            for table in tables {
                let factor = text(&table["factor"], "relativities[].factor")?;
                for level in table["levels"].as_array().into_iter().flatten() {
                    put(
                        factor,
                        text(&level["level"], "relativities[].levels[].level")?,
                        level["incidence_relativity"].as_f64(),
                        level["cost_relativity"].as_f64(),
                    );
                }
            }
        }
        StudyRelativities::Glm => {
            for (model, frequency) in [("frequency", true), ("severity", false)] {
                let fit = &study["glm"][model];
                let coefficients = fit["coefficients"].as_array().ok_or_else(|| {
                    format!(
                        "the study's {model} GLM was not fitted (its notes say why): take its one-way relativities (experience.relativities = \"one_way\")"
                    )
                })?;
                for coefficient in coefficients {
                    let (Some(factor), Some(level)) =
                        (coefficient["term"].as_str(), coefficient["level"].as_str())
                    else {
                        continue;
                    };
                    let relativity = coefficient["relativity"].as_f64();
                    match frequency {
                        true => put(factor, level, relativity, None),
                        false => put(factor, level, None, relativity),
                    }
                }
            }
        }
    }
    let mut table = |factor: &str| tables.remove(factor).unwrap_or_default();
    Ok(Relativities {
        age: table("age"),
        sex: table("sex"),
        area: table("area"),
    })
}

/// Member-years by age, sex and area over the study's cells, as shares of the whole.
fn base_shares(study: &Value) -> Result<BTreeMap<[String; 3], f64>, String> {
    let cells = study["cells"]
        .as_array()
        .ok_or("no cells: is it an experience study's JSON?")?;
    let mut exposure: BTreeMap<[String; 3], f64> = BTreeMap::new();
    for (i, cell) in cells.iter().enumerate() {
        let level =
            |factor: &str| text(&cell[factor], &format!("cells[{i}].{factor}")).map(str::to_string);
        let key = [level("age")?, level("sex")?, level("area")?];
        *exposure.entry(key).or_default() +=
            number(&cell["exposure"], &format!("cells[{i}].exposure"))?;
    }
    let total: f64 = exposure.values().sum();
    if total <= 0.0 {
        return Err("the study has no member-years".into());
    }
    exposure.retain(|_, years| *years > 0.0);
    Ok(exposure
        .into_iter()
        .map(|(key, years)| (key, years / total))
        .collect())
}

impl ProjectionFile {
    /// Fills the base table, its date, the relativities, the population's base mix and, when
    /// the file gives none, the family size from `study` (an experience study's JSON), named
    /// `name` in the sources. The file must leave those to the study; the start and target
    /// shares of the population's cells are its own, by the study's cells.
    pub fn take_experience(&mut self, study: &Value, name: &str) -> Result<(), FieldError> {
        let from_study = |message: String| invalid("experience", format!("{name}: {message}"));
        let left_to_study = |field: &'static str, what: &str| {
            invalid(
                field,
                format!("the experience study ({name}) gives {what}; the file must not"),
            )
        };
        if !self.base.lines.is_empty() || self.base.table.is_some() {
            return Err(left_to_study("base.lines", "the base table"));
        }
        if self.base.date.is_some() {
            return Err(left_to_study(
                "base.date",
                "the base date (the middle of the study's period)",
            ));
        }
        if self.relativities != Relativities::default() {
            return Err(left_to_study("relativities", "the relativities"));
        }
        let (from, to) = period(study).map_err(from_study)?;
        let kind = self
            .experience
            .as_ref()
            .map(|e| e.relativities)
            .unwrap_or_default();
        let lines = study_lines(study).map_err(from_study)?;
        let relativities = relativities(study, kind).map_err(from_study)?;
        let shares = base_shares(study).map_err(from_study)?;
        let cells = self.cells_from_study(&shares, name)?;
        let family_size = match self.population.family_size.is_empty() {
            true => {
                let size = study["summary"]["average_family_size"]
                    .as_f64()
                    .ok_or_else(|| {
                        from_study(
                            "the study has no average family size: give population.family_size"
                                .into(),
                        )
                    })?;
                self.population.family_size = vec![size];
                Some(size)
            }
            false => None,
        };
        self.taken = Some(StudyTaken {
            name: name.to_string(),
            from,
            to,
            lines: lines.len(),
            completed_at: study["completion"]["valued_at"]
                .as_str()
                .and_then(|date| date.parse().ok()),
            relativities: kind,
            cells: cells.len(),
            shares_given: !self.population.cells.is_empty(),
            family_size,
        });
        self.base.lines = lines;
        self.base.date = Some(middle(from, to));
        self.relativities = relativities;
        self.population.cells = cells;
        Ok(())
    }

    /// The study's cells with their base shares; the start and target shares the file gives
    /// each (every cell of the study named once, by its age, sex and area), or none: the mix
    /// stays the study's.
    fn cells_from_study(
        &self,
        shares: &BTreeMap<[String; 3], f64>,
        name: &str,
    ) -> Result<Vec<CellEntry>, FieldError> {
        let given = &self.population.cells;
        let key = |cell: &CellEntry| {
            [&cell.age, &cell.sex, &cell.area].map(|level| level.clone().unwrap_or_default())
        };
        if let Some(cell) = given.iter().find(|cell| cell.base_share.is_some()) {
            return Err(invalid(
                "population.cells",
                format!(
                    "{}: the base share comes from the experience study ({name}): give only start_share and target_share (or members)",
                    Self::cell_name(cell)
                ),
            ));
        }
        if let Some((i, cell)) = (given.iter().enumerate())
            .find(|(i, cell)| given[..*i].iter().any(|before| key(before) == key(cell)))
        {
            return Err(invalid(
                "population.cells",
                format!(
                    "{}: given twice (cells {} and {}, counting from 1)",
                    Self::cell_name(cell),
                    given
                        .iter()
                        .position(|before| key(before) == key(cell))
                        .unwrap_or(0)
                        + 1,
                    i + 1
                ),
            ));
        }
        if let Some(cell) = given.iter().find(|cell| !shares.contains_key(&key(cell))) {
            return Err(invalid(
                "population.cells",
                format!(
                    "{}: not a cell of the experience study ({name}), whose cells are {}",
                    Self::cell_name(cell),
                    shares
                        .keys()
                        .map(|k| k.join(" "))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        shares
            .iter()
            .map(|(levels, share)| {
                let [age, sex, area] = levels.clone();
                let mut cell = match given.iter().find(|cell| &key(cell) == levels) {
                    Some(cell) => cell.clone(),
                    None if given.is_empty() => CellEntry {
                        age: None,
                        sex: None,
                        area: None,
                        base_share: None,
                        members: Vec::new(),
                        start_share: None,
                        target_share: None,
                    },
                    None => {
                        return Err(invalid(
                            "population.cells",
                            format!(
                                "the experience study ({name}) has the cell {}: give its start and target shares too",
                                levels.join(" ")
                            ),
                        ));
                    }
                };
                (cell.age, cell.sex, cell.area) = (Some(age), Some(sex), Some(area));
                cell.base_share = Some(*share);
                Ok(cell)
            })
            .collect()
    }
}
