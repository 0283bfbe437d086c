//! The projection's assumptions from a workbook an actuary filled in: a sheet `assumptions` of
//! `key` and `value` rows (the assumptions file's keys, dotted: `projection.start`), and a sheet
//! per table (`lines`, `cells`, `relativities`, `line_assumptions`, `benefit_changes`,
//! `new_benefits`, `stress`) with the file's field names as headers. It is read into the same
//! assumptions as the TOML file and checked by the same rules. See docs/PROJECTION.md.

use crate::projection_file::ProjectionFileError;
use calamine::{Data, DataType, Reader, Xlsx, open_workbook};
use carepool_service::projection::ProjectionFile;
use serde_json::{Map, Value};
use std::path::Path;

/// Keys of the sheet `assumptions` that take one value per year: a list (`0.051, 0.049`) or a
/// single number.
const PER_YEAR: [&str; 6] = [
    "trends.medical_inflation",
    "trends.technology",
    "trends.utilisation",
    "population.members",
    "population.family_size",
    "loadings.expenses",
];

/// Columns of table sheets that take one value per year.
const PER_YEAR_COLUMNS: [(&str, &str); 5] = [
    ("cells", "members"),
    ("stress", "members"),
    ("line_assumptions", "medical_inflation"),
    ("line_assumptions", "technology"),
    ("line_assumptions", "utilisation"),
];

/// Columns that take TRUE or FALSE.
const BOOLEAN_COLUMNS: [&str; 2] = ["fixed_cost", "target_mix"];

/// Table sheets and where they go in the assumptions.
const TABLES: [(&str, &str); 5] = [
    ("lines", "base.lines"),
    ("cells", "population.cells"),
    ("benefit_changes", "benefit_changes"),
    ("new_benefits", "new_benefits"),
    ("stress", "stress"),
];

fn number(value: f64) -> Value {
    // Whole numbers as integers, so that counts (years) read as counts.
    if value.fract() == 0.0 && value.abs() < 9e15 {
        Value::from(value as i64)
    } else {
        Value::from(value)
    }
}

/// A cell as the assumptions take it (a list when `per_year`); none when empty.
fn cell_value(key: &str, cell: &Data, per_year: bool) -> Result<Option<Value>, String> {
    let value = match cell {
        Data::Empty => return Ok(None),
        Data::Float(f) => number(*f),
        Data::Int(i) => Value::from(*i),
        Data::Bool(b) => Value::from(*b),
        Data::DateTime(_) | Data::DateTimeIso(_) => match cell.as_date() {
            Some(date) => Value::from(date.to_string()),
            None => return Err(format!("{key}: not a date")),
        },
        Data::String(text) if per_year => {
            let values: Result<Vec<Value>, String> = text
                .split([',', ';'])
                .map(|part| {
                    part.trim()
                        .replace('_', "")
                        .parse::<f64>()
                        .map(number)
                        .map_err(|_| format!("{key}: '{part}' is not a number"))
                })
                .collect();
            return Ok(Some(Value::Array(values?)));
        }
        Data::String(text) if text.trim().is_empty() => return Ok(None),
        Data::String(text) => Value::from(text.trim()),
        other => return Err(format!("{key}: cannot read {other:?}")),
    };
    Ok(Some(match (per_year, value) {
        (true, Value::Number(n)) => Value::Array(vec![Value::Number(n)]),
        (_, value) => value,
    }))
}

/// Puts `value` at the path `parts` in `root`, making the tables on the way.
fn insert_at(root: &mut Map<String, Value>, parts: &[&str], value: Value) -> Result<(), String> {
    let (last, tables) = parts.split_last().expect("a key");
    let mut map = root;
    for part in tables {
        map = map
            .entry(*part)
            .or_insert_with(|| Value::Object(Map::new()))
            .as_object_mut()
            .ok_or_else(|| format!("{}: {part} is a value, not a table", parts.join(".")))?;
    }
    map.insert(last.to_string(), value);
    Ok(())
}

/// Puts `value` at a dotted `key` in `root`.
fn insert(root: &mut Map<String, Value>, key: &str, value: Value) -> Result<(), String> {
    insert_at(root, &key.split('.').collect::<Vec<_>>(), value)
}

pub fn read_projection_workbook(path: &Path) -> Result<ProjectionFile, ProjectionFileError> {
    let invalid = |message: String| ProjectionFileError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let mut workbook: Xlsx<_> = open_workbook(path).map_err(|e| invalid(format!("{e}")))?;
    let mut root = Map::new();
    let sheet = |workbook: &mut Xlsx<_>, name: &str| workbook.worksheet_range(name).ok();
    let Some(assumptions) = sheet(&mut workbook, "assumptions") else {
        return Err(invalid("no sheet 'assumptions' (key, value)".into()));
    };
    for (r, row) in assumptions.rows().enumerate().skip(1) {
        let key = row
            .first()
            .and_then(DataType::as_string)
            .unwrap_or_default();
        if key.trim().is_empty() {
            continue;
        }
        let value = row.get(1).unwrap_or(&Data::Empty);
        let key = key.trim();
        let at_row =
            |message: String| invalid(format!("sheet assumptions, row {}: {message}", r + 1));
        if let Some(value) = cell_value(key, value, PER_YEAR.contains(&key)).map_err(at_row)? {
            insert(&mut root, key, value).map_err(at_row)?;
        }
    }
    // Each table's sheet rows, to name the row of a problem found in the table later.
    let mut sheet_rows: Vec<(&str, &str, Vec<usize>)> = Vec::new();
    for (name, key) in TABLES {
        if let Some(range) = sheet(&mut workbook, name) {
            let (rows, values): (Vec<usize>, Vec<Value>) = table_rows(name, &range)
                .map_err(invalid)?
                .into_iter()
                .unzip();
            insert(&mut root, key, Value::Array(values)).map_err(invalid)?;
            sheet_rows.push((name, key, rows));
        }
    }
    // A line's own assumptions, by its name (which may hold any character).
    if let Some(range) = sheet(&mut workbook, "line_assumptions") {
        for (row, mut values) in table_rows("line_assumptions", &range).map_err(invalid)? {
            let at_row =
                |message: String| invalid(format!("sheet line_assumptions, row {row}: {message}"));
            let fields = values.as_object_mut().expect("a row is an object");
            let Some(line) = fields.remove("line").as_ref().and_then(name_of) else {
                return Err(at_row("needs the line's name (column line)".into()));
            };
            for (field, value) in std::mem::take(fields) {
                insert_at(&mut root, &["line_assumptions", &line, &field], value)
                    .map_err(at_row)?;
            }
        }
    }
    // Relativities by factor and level; with a line, that line's own.
    if let Some(range) = sheet(&mut workbook, "relativities") {
        for (row, values) in table_rows("relativities", &range).map_err(invalid)? {
            let at_row =
                |message: String| invalid(format!("sheet relativities, row {row}: {message}"));
            let text = |field: &str| name_of(&values[field]).unwrap_or_default();
            let (factor, level, line) = (text("factor"), text("level"), text("line"));
            if factor.is_empty() || level.is_empty() {
                return Err(at_row("needs a factor and a level".into()));
            }
            let relativity =
                serde_json::json!({ "incidence": values["incidence"], "cost": values["cost"] });
            let path: Vec<&str> = match line.is_empty() {
                true => vec!["relativities", &factor, &level],
                false => vec!["line_assumptions", &line, "relativities", &factor, &level],
            };
            insert_at(&mut root, &path, relativity).map_err(at_row)?;
        }
    }
    serde_path_to_error::deserialize(Value::Object(root)).map_err(|e| {
        let at = e.path().to_string();
        let error = e.into_inner();
        // A table's [n] is a row of its sheet.
        for (name, key, rows) in &sheet_rows {
            let Some(rest) = at.strip_prefix(&format!("{key}[")) else {
                continue;
            };
            let Some((index, field)) = rest.split_once(']') else {
                continue;
            };
            if let Some(row) = index.parse::<usize>().ok().and_then(|i| rows.get(i)) {
                let field = field.trim_start_matches('.');
                return invalid(format!("sheet {name}, row {row}, {field}: {error}"));
            }
        }
        invalid(format!("at {at}: {error}"))
    })
}

/// A name as a cell gives it: text, or a number typed where a name was meant.
fn name_of(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// A sheet with a header row, as objects by column name, each with its row in the sheet.
fn table_rows(name: &str, range: &calamine::Range<Data>) -> Result<Vec<(usize, Value)>, String> {
    let mut rows = range.rows();
    let header: Vec<String> = rows
        .next()
        .map(|h| {
            h.iter()
                .map(|c| c.as_string().unwrap_or_default().trim().to_string())
                .collect()
        })
        .unwrap_or_default();
    let mut objects = Vec::new();
    for (r, row) in rows.enumerate() {
        if row.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let mut object = Map::new();
        for (column, cell) in header.iter().zip(row) {
            if column.is_empty() {
                continue;
            }
            let per_year = PER_YEAR_COLUMNS.contains(&(name, column.as_str()));
            match cell_value(column, cell, per_year) {
                // TRUE typed as text is TRUE.
                Ok(Some(Value::String(text))) if BOOLEAN_COLUMNS.contains(&column.as_str()) => {
                    let Ok(yes) = text.to_lowercase().parse::<bool>() else {
                        let message = format!("{column}: '{text}' is not TRUE or FALSE");
                        return Err(format!("sheet {name}, row {}: {message}", r + 2));
                    };
                    object.insert(column.clone(), Value::Bool(yes));
                }
                Ok(Some(value)) => {
                    object.insert(column.clone(), value);
                }
                Ok(None) => {}
                Err(message) => return Err(format!("sheet {name}, row {}: {message}", r + 2)),
            }
        }
        objects.push((r + 2, Value::Object(object)));
    }
    Ok(objects)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};

    fn write_row(sheet: &mut Worksheet, row: u32, cells: &[&str]) {
        for (c, text) in cells.iter().enumerate() {
            let column = c as u16;
            match text.parse::<f64>() {
                Ok(number) => sheet.write_number(row, column, number),
                Err(_) => sheet.write_string(row, column, *text),
            }
            .unwrap();
        }
    }

    fn table(workbook: &mut Workbook, name: &str, rows: &[&[&str]]) {
        let sheet = workbook.add_worksheet().set_name(name).unwrap();
        for (r, row) in rows.iter().enumerate() {
            write_row(sheet, r as u32, row);
        }
    }

    /// The worked example (examples/projection/inpatient.toml) as a workbook, dates as Excel
    /// dates and lists as text, gives the same projection.
    #[test]
    fn a_workbook_gives_the_same_projection_as_the_toml_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("assumptions.xlsx");
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet().set_name("assumptions").unwrap();
        let date_format = Format::new().set_num_format("yyyy-mm-dd");
        write_row(sheet, 0, &["key", "value"]);
        let rows: [(&str, &str); 16] = [
            ("base.date", "date:2026-04-01"),
            ("projection.start", "date:2027-04-01"),
            ("projection.years", "5"),
            ("projection.contract_years", "3"),
            ("trends.from", "date:2026-04-01"),
            ("trends.timing", "mid_year"),
            (
                "trends.medical_inflation",
                "0.06, 0.051, 0.049, 0.085, 0.075",
            ),
            ("trends.technology", "0.015"),
            ("trends.utilisation", "0"),
            (
                "population.members",
                "1000000, 1150000, 1300000, 1400000, 1450000",
            ),
            ("population.family_size", "4.5, 4.45, 4.4"),
            ("loadings.expenses", "0.16, 0.12, 0.10"),
            ("loadings.contingency", "0.02"),
            ("loadings.investment_return", "0.04"),
            ("loadings.refund_share", "0.9"),
            ("", ""),
        ];
        for (r, (key, value)) in rows.iter().enumerate() {
            let row = r as u32 + 1;
            sheet.write_string(row, 0, *key).unwrap();
            if let Some(date) = value.strip_prefix("date:") {
                let date = ExcelDateTime::parse_from_str(date).unwrap();
                sheet
                    .write_datetime_with_format(row, 1, &date, &date_format)
                    .unwrap();
            } else if value.contains(',') || value.contains('_') {
                sheet.write_string(row, 1, *value).unwrap();
            } else if !value.is_empty() {
                sheet
                    .write_number(row, 1, value.parse::<f64>().unwrap())
                    .unwrap();
            }
        }
        table(
            &mut workbook,
            "lines",
            &[
                &["name", "incidence_per_1000", "average_cost"],
                &["medical internal_medicine", "2.0", "6500"],
                &["medical paediatrics", "0.6", "5500"],
                &["medical nephrology", "0.8", "27000"],
                &["surgical general_surgery", "1.2", "18000"],
                &["surgical cardiology", "1.1", "105000"],
                &["maternity obstetrics", "2.0", "5000"],
                &["maternity obstetrics_surgical", "0.6", "12500"],
                &["maternity transport", "2.6", "1000"],
            ],
        );
        let lines = workbook
            .add_worksheet()
            .set_name("line_assumptions")
            .unwrap();
        write_row(lines, 0, &["line", "medical_inflation", "fixed_cost"]);
        write_row(lines, 1, &["surgical cardiology", "0.08"]);
        write_row(lines, 2, &["maternity transport"]);
        lines.write_boolean(2, 2, true).unwrap();
        table(
            &mut workbook,
            "cells",
            &[
                &["age", "area", "base_share", "start_share", "target_share"],
                &["0-14", "rural", "0.28", "0.28", "0.25"],
                &["15-44", "rural", "0.30", "0.30", "0.28"],
                &["45+", "rural", "0.12", "0.12", "0.13"],
                &["0-14", "urban", "0.12", "0.12", "0.12"],
                &["15-44", "urban", "0.13", "0.13", "0.15"],
                &["45+", "urban", "0.05", "0.05", "0.07"],
            ],
        );
        table(
            &mut workbook,
            "relativities",
            &[
                &["factor", "level", "incidence", "cost", "line"],
                &["age", "0-14", "0.9", "0.75"],
                &["age", "15-44", "1", "1"],
                &["age", "45+", "2", "1.2"],
                &["area", "rural", "1", "1"],
                &["area", "urban", "1.3", "1.1"],
                &["age", "0-14", "0", "1", "maternity obstetrics"],
                &["age", "15-44", "1", "1", "maternity obstetrics"],
                &["age", "45+", "0.1", "1.3", "maternity obstetrics"],
                &["age", "0-14", "0", "1", "maternity obstetrics_surgical"],
                &["age", "15-44", "1", "1", "maternity obstetrics_surgical"],
                &["age", "45+", "0.15", "1.3", "maternity obstetrics_surgical"],
                &["age", "0-14", "0", "1", "maternity transport"],
                &["age", "15-44", "1", "1", "maternity transport"],
                &["age", "45+", "0.1", "1", "maternity transport"],
            ],
        );
        table(
            &mut workbook,
            "benefit_changes",
            &[
                &["line", "from", "incidence_factor", "cost_factor"],
                &["surgical cardiology", "2028-04-01", "1.05", "1.15"],
            ],
        );
        table(
            &mut workbook,
            "new_benefits",
            &[
                &["name", "per_claim_of", "ratio", "unit_cost", "from"],
                &[
                    "follow-up visit",
                    "surgical general_surgery",
                    "1",
                    "800",
                    "2027-04-01",
                ],
            ],
        );
        table(
            &mut workbook,
            "stress",
            &[
                &["name", "medical_inflation", "utilisation", "members"],
                &["medical inflation +2 points", "0.02", ""],
                &["utilisation +10% a year", "", "0.10"],
                &["enrolment stalls at 1 million", "", "", "1000000"],
            ],
        );
        workbook.save(&path).unwrap();

        let from_workbook = crate::projection_file::read_projection_file(&path)
            .unwrap()
            .run()
            .unwrap();
        let example =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/projection/inpatient.toml");
        let from_toml = crate::projection_file::read_projection_file(&example)
            .unwrap()
            .run()
            .unwrap();
        let (a, b) = (&from_workbook.base, &from_toml.base);
        assert!((a.level_premium_per_member - b.level_premium_per_member).abs() < 1e-9);
        assert!((a.level_premium_per_family - b.level_premium_per_family).abs() < 1e-9);
        let named = |name: &str| {
            from_toml
                .results
                .iter()
                .find(|r| r.scenario == name)
                .unwrap()
                .level_premium_per_member
        };
        for result in &from_workbook.results {
            assert!((result.level_premium_per_member - named(&result.scenario)).abs() < 1e-9);
        }
    }

    #[test]
    fn a_wrong_cell_is_named_with_its_sheet_and_row() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.xlsx");
        let mut workbook = Workbook::new();
        table(
            &mut workbook,
            "assumptions",
            &[
                &["key", "value"],
                &["trends.medical_inflation", "0.05, five"],
            ],
        );
        workbook.save(&path).unwrap();
        let error = crate::projection_file::read_projection_file(&path)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(
                "sheet assumptions, row 2: trends.medical_inflation: ' five' is not a number"
            ),
            "{error}"
        );
    }

    /// Past a blank row, a problem still names the sheet's own row, whether the sheet or the
    /// assumptions' checks find it; TRUE typed as text is TRUE.
    #[test]
    fn a_problem_past_a_blank_row_names_the_sheets_row() {
        let dir = tempfile::tempdir().unwrap();
        let wrong = |sheet: &str, rows: &[&[&str]]| {
            let path = dir.path().join(format!("{sheet}.xlsx"));
            let mut workbook = Workbook::new();
            table(&mut workbook, "assumptions", &[&["key", "value"]]);
            table(&mut workbook, sheet, rows);
            workbook.save(&path).unwrap();
            crate::projection_file::read_projection_file(&path)
                .unwrap_err()
                .to_string()
        };
        let error = wrong(
            "cells",
            &[
                &["age", "base_share", "start_share"],
                &["0-14", "0.5", "0.5"],
                &[],
                &["15+", "0.5", "half"],
            ],
        );
        assert!(
            error.contains("sheet cells, row 4, start_share: invalid type: string \"half\""),
            "{error}"
        );
        let error = wrong(
            "stress",
            &[&["name", "target_mix"], &[], &["older", "maybe"]],
        );
        assert!(
            error.contains("sheet stress, row 3: target_mix: 'maybe' is not TRUE or FALSE"),
            "{error}"
        );
        let error = wrong(
            "relativities",
            &[
                &["factor", "level", "incidence", "cost"],
                &["age", "", "1", "1"],
            ],
        );
        assert!(
            error.contains("sheet relativities, row 2: needs a factor and a level"),
            "{error}"
        );
        let error = wrong(
            "line_assumptions",
            &[&["line", "fixed_cost"], &["", "TRUE"]],
        );
        assert!(
            error.contains("sheet line_assumptions, row 2: needs the line's name"),
            "{error}"
        );
    }
}
