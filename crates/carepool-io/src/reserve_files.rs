//! The files reserving reads: a triangle (long or wide), a claims extract, and an exposure per
//! origin. See docs/FORMATS.md, "Reserving files". Every problem names the file, line and column.

use crate::sheet::{FileError, Sheet};
use carepool_actuarial::{ClaimDates, Period, Triangle};
use carepool_core::claims::ClaimStatus;
use carepool_core::words::{Figure, Sentence, Words};
use carepool_service::RowProblem;
use carepool_service::reserving::claim_dates;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// Whether a triangle file holds cumulative values or each period's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    Cumulative,
    Incremental,
}

/// Origins in their natural order: as periods (years, quarters, months) when every label is one,
/// else as text.
fn sort_origins(origins: &mut [String]) {
    let periods: Option<Vec<(Period, i64)>> = origins.iter().map(|o| Period::of_label(o)).collect();
    match periods {
        Some(periods) if periods.iter().all(|(p, _)| *p == periods[0].0) => {
            origins.sort_by_key(|o| Period::of_label(o).map(|(_, i)| i))
        }
        _ => origins.sort(),
    }
}

/// Reads a triangle file: long (`origin`, `development`, `value` columns) or wide (`origin`, then
/// one column per development). See docs/FORMATS.md.
pub fn read_triangle(path: &Path, values: Values) -> Result<Triangle, FileError> {
    let mut sheet = Sheet::open(path)?;
    let rows = if sheet.column("development").is_some() {
        long_rows(&mut sheet)?
    } else {
        wide_rows(&mut sheet)?
    };
    let Some(rows) = rows else {
        return Err(sheet.error());
    };
    let mut origins: Vec<String> = rows.keys().cloned().collect();
    sort_origins(&mut origins);
    let mut cumulative = Vec::with_capacity(origins.len());
    for origin in &origins {
        let row = &rows[origin];
        // Lags from 0 with no gap: a hole cannot be filled by guessing.
        let gap = row
            .keys()
            .enumerate()
            .find(|(expected, lag)| *expected != **lag);
        if let Some((expected, _)) = gap {
            sheet.file_problem(format!(
                "origin {origin}: no value for development {expected}, but a later one is given"
            ));
            continue;
        }
        let mut running = 0.0;
        cumulative.push(
            row.values()
                .map(|v| match values {
                    Values::Cumulative => v.1,
                    Values::Incremental => {
                        running += v.1;
                        running
                    }
                })
                .collect(),
        );
    }
    if sheet.has_problems() {
        return Err(sheet.error());
    }
    Triangle::new(origins, cumulative).map_err(|error| {
        sheet.file_problem(error.to_string());
        sheet.error()
    })
}

/// Values by origin and development lag, with the line each came from.
type Cells = BTreeMap<String, BTreeMap<usize, (u64, f64)>>;

fn long_rows(sheet: &mut Sheet) -> Result<Option<Cells>, FileError> {
    let origin = sheet.required("origin", "the origin period");
    let development = sheet.required("development", "the development period or age");
    let value = sheet
        .column("value")
        .or_else(|| sheet.column("values"))
        .or_else(|| sheet.required("value", "the amount or count"));
    let known = ["origin", "development", "value", "values"];
    for (c, name) in sheet.header.clone().iter().enumerate() {
        if !known.contains(&name.as_str()) {
            let column = (c + 1).to_string();
            sheet.push(RowProblem::new(
                1,
                Some(&column),
                format!("unknown column '{name}'"),
            ));
        }
    }
    let (Some(origin), Some(development), Some(value)) = (origin, development, value) else {
        return Ok(None);
    };
    if sheet.has_problems() {
        return Ok(None);
    }
    let mut read = Vec::new();
    while sheet.next()? {
        let o = sheet.field(origin).to_string();
        let d = sheet.field(development).to_string();
        if o.is_empty() {
            sheet.problem(origin, "empty");
        }
        if let Some(v) = sheet.number(value) {
            read.push((sheet.line(), o, d, v));
        }
    }
    let lag_of = development_lags(&read);
    let mut cells = Cells::new();
    for (line, o, d, v) in read {
        let Some(lag) = lag_of(&o, &d) else {
            sheet.problem_at(
                line,
                development,
                format_args!(
                    "'{d}' is neither a period of the origin's kind not before it nor a whole number of periods"
                ),
            );
            continue;
        };
        if let Some((first, _)) = cells.entry(o.clone()).or_default().insert(lag, (line, v)) {
            sheet.problem_at(
                line,
                development,
                format_args!("origin {o}, development {d} is given twice (first on line {first})"),
            );
        }
    }
    Ok((!sheet.has_problems()).then_some(cells))
}

/// How a long file's development column maps to lags: periods of the origin's kind (a valuation
/// year, as chainladder-python's samples have) count from the origin; otherwise whole numbers
/// (ages such as 12, 24, 36, or lags 0, 1, 2) are ranked.
fn development_lags(
    read: &[(u64, String, String, f64)],
) -> impl Fn(&str, &str) -> Option<usize> + use<> {
    let as_periods = read.iter().all(|(_, o, d, _)| {
        matches!(
            (Period::of_label(o), Period::of_label(d)),
            (Some((po, io)), Some((pd, id))) if po == pd && id >= io
        )
    });
    let ages: BTreeSet<u64> = read
        .iter()
        .filter_map(|(_, _, d, _)| d.parse().ok())
        .collect();
    let rank: HashMap<u64, usize> = ages.iter().enumerate().map(|(i, a)| (*a, i)).collect();
    move |origin: &str, development: &str| {
        if as_periods {
            let (_, o) = Period::of_label(origin)?;
            let (_, d) = Period::of_label(development)?;
            usize::try_from(d - o).ok()
        } else {
            rank.get(&development.parse().ok()?).copied()
        }
    }
}

fn wide_rows(sheet: &mut Sheet) -> Result<Option<Cells>, FileError> {
    if sheet.header.first().map(String::as_str) != Some("origin") {
        sheet.push(RowProblem::new(
            1,
            None,
            "a triangle file starts with an 'origin' column; then either 'development' and 'value' columns (long) or one column per development (wide)",
        ));
        return Ok(None);
    }
    if sheet.header.len() < 2 {
        sheet.push(RowProblem::new(
            1,
            None,
            "no development column after 'origin'",
        ));
        return Ok(None);
    }
    let mut cells = Cells::new();
    while sheet.next()? {
        let origin = sheet.field(0).to_string();
        if origin.is_empty() {
            sheet.problem(0, "empty");
            continue;
        }
        let mut row = BTreeMap::new();
        let mut ended = None;
        for c in 1..sheet.header.len() {
            if sheet.field(c).is_empty() {
                ended.get_or_insert(c);
                continue;
            }
            if let Some(empty) = ended {
                let name = sheet.header[empty].clone();
                sheet.problem(
                    c,
                    format_args!("a value after the empty development '{name}'"),
                );
                break;
            }
            if let Some(value) = sheet.number(c) {
                row.insert(c - 1, (sheet.line(), value));
            }
        }
        if cells.insert(origin.clone(), row).is_some() {
            sheet.problem(0, format_args!("origin {origin} is given twice"));
        }
    }
    Ok((!sheet.has_problems()).then_some(cells))
}

/// The claims of an extract, and what in it makes a reserve doubtful.
#[derive(Debug)]
pub struct ClaimsExtract {
    pub claims: Vec<ClaimDates>,
    pub warnings: Vec<Sentence>,
}

/// Reads a claims extract: `incurred_date`, `received_date`, an optional `paid_date`, and the
/// amount in `amount_column`; with a `status` column, rejected claims are left out and a claim
/// not yet decided counts at its `claimed` amount (as on the live database). Other columns are
/// ignored, so `carepool export claims` can be read as it is.
pub fn read_claims_extract(path: &Path, amount_column: &str) -> Result<ClaimsExtract, FileError> {
    let mut sheet = Sheet::open(path)?;
    let incurred = sheet.required("incurred_date", "the date of service");
    let received = sheet.required("received_date", "the day the scheme received the claim");
    let amount = sheet.required(
        amount_column,
        "the amount; another column can be named with --amount",
    );
    let (paid, status, claimed) = (
        sheet.column("paid_date"),
        sheet.column("status"),
        sheet.column("claimed"),
    );
    let (Some(incurred), Some(received), Some(amount)) = (incurred, received, amount) else {
        return Err(sheet.error());
    };
    let mut claims = Vec::new();
    let mut paid_without_date = 0;
    while sheet.next()? {
        let status = match status {
            Some(c) => match ClaimStatus::parse("status", sheet.field(c)) {
                Ok(status) => Some(status),
                Err(error) => {
                    sheet.problem(c, error.message);
                    continue;
                }
            },
            None => None,
        };
        let counted = match (status, claimed) {
            (Some(status), Some(claimed)) => {
                let (Some(approved), Some(claimed)) = (sheet.money(amount), sheet.money(claimed))
                else {
                    continue;
                };
                status.amount_owed(approved, claimed)
            }
            (Some(ClaimStatus::Rejected), None) => None,
            _ => sheet.money(amount),
        };
        let incurred_on = sheet.date(incurred);
        let received_on = sheet.date(received);
        let Ok(paid_on) = sheet.optional_date(paid) else {
            continue;
        };
        if status == Some(ClaimStatus::Paid) && paid_on.is_none() {
            paid_without_date += 1;
        }
        let (Some(amount), Some(incurred_on), Some(received_on)) =
            (counted, incurred_on, received_on)
        else {
            continue;
        };
        // A claim reported or paid before its care makes no development: said by line here.
        if received_on < incurred_on {
            sheet.problem(
                received,
                format_args!("received on {received_on}, before the care on {incurred_on}"),
            );
        }
        if let (Some(paid_on), Some(paid)) = (paid_on, paid)
            && paid_on < incurred_on
        {
            sheet.problem(
                paid,
                format_args!("paid on {paid_on}, before the care on {incurred_on}"),
            );
        }
        claims.push(claim_dates(incurred_on, received_on, paid_on, amount));
    }
    let mut warnings = Vec::new();
    if paid_without_date > 0 {
        let file = path.display().to_string();
        warnings.push(Sentence::new(
            Words::new(
                "paid-without-date",
                [
                    ("file", Figure::text(&file)),
                    ("count", Figure::Count(paid_without_date as i64)),
                ],
            ),
            format!("{file}: {paid_without_date} claim(s) have the status paid but no paid_date: they count as not yet paid, in the RBNP and in no paid development."),
        ));
    }
    sheet.finish(ClaimsExtract { claims, warnings })
}

/// Reads an exposure file: `origin` and `exposure` (earned premium) columns, a positive number
/// per origin.
pub fn read_exposure(path: &Path) -> Result<BTreeMap<String, f64>, FileError> {
    let mut sheet = Sheet::open(path)?;
    let origin = sheet.required("origin", "the origin period, as the triangle labels it");
    let exposure = sheet.required("exposure", "earned premium or another exposure");
    let (Some(origin), Some(exposure)) = (origin, exposure) else {
        return sheet.finish(BTreeMap::new());
    };
    let mut by_origin = BTreeMap::new();
    while sheet.next()? {
        let label = sheet.field(origin).to_string();
        let Some(value) = sheet.number(exposure) else {
            continue;
        };
        if value <= 0.0 {
            sheet.problem(exposure, format_args!("{value} is not a positive number"));
        } else if by_origin.insert(label.clone(), value).is_some() {
            sheet.problem(origin, format_args!("origin {label} is given twice"));
        }
    }
    sheet.finish(by_origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn rows(triangle: &Triangle) -> Vec<Vec<f64>> {
        (0..triangle.origins().len())
            .map(|i| triangle.row(i).to_vec())
            .collect()
    }

    #[test]
    fn long_wide_and_incremental_files_give_the_same_triangle() {
        let dir = tempfile::tempdir().unwrap();
        let expected = vec![vec![10.0, 15.0, 16.0], vec![20.0, 26.0], vec![30.0]];
        // chainladder-python's layout: a valuation year, rows in any order.
        let calendar = file(
            &dir,
            "calendar.csv",
            "development,origin,values\n2024,2023,15\n2023,2023,10\n2025,2023,16\n2024,2024,20\n2025,2024,26\n2025,2025,30\n",
        );
        // Ages in months.
        let ages = file(
            &dir,
            "ages.csv",
            "origin,development,value\n2025,12,30\n2023,12,10\n2023,24,15\n2023,36,16\n2024,12,20\n2024,24,26\n",
        );
        let wide = file(
            &dir,
            "wide.csv",
            "origin,12,24,36\n2024,20,26,\n2023,10,15,16\n2025,30,,\n",
        );
        let incremental = file(
            &dir,
            "inc.csv",
            "origin,0,1,2\n2023,10,5,1\n2024,20,6,\n2025,30,,\n",
        );
        for path in [&calendar, &ages, &wide] {
            let triangle = read_triangle(path, Values::Cumulative).unwrap();
            assert_eq!(triangle.origins(), ["2023", "2024", "2025"], "{path:?}");
            assert_eq!(rows(&triangle), expected, "{path:?}");
        }
        let triangle = read_triangle(&incremental, Values::Incremental).unwrap();
        assert_eq!(rows(&triangle), expected);
    }

    #[test]
    fn quarters_sort_as_periods_and_a_hole_or_a_repeat_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let quarters = file(
            &dir,
            "q.csv",
            "origin,development,value\n2024Q4,2024Q4,5\n2024Q3,2024Q3,4\n2024Q3,2024Q4,6\n",
        );
        let triangle = read_triangle(&quarters, Values::Cumulative).unwrap();
        assert_eq!(triangle.origins(), ["2024Q3", "2024Q4"]);
        assert_eq!(triangle.row(0), [4.0, 6.0]);

        let hole = file(&dir, "hole.csv", "origin,0,1,2\n2023,10,,16\n2024,20,26,\n");
        let error = read_triangle(&hole, Values::Cumulative)
            .unwrap_err()
            .to_string();
        assert!(
            error.ends_with("line 2, column 2: a value after the empty development '1'"),
            "{error}"
        );
        let repeated = file(
            &dir,
            "repeat.csv",
            "origin,development,value\n2023,0,1\n2023,1,2\n2023,0,x\n2023,1,3\n",
        );
        let error = read_triangle(&repeated, Values::Cumulative)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("line 4, column value: 'x' is not a number"),
            "{error}"
        );
        assert!(
            error.contains("line 5, column development: origin 2023, development 1 is given twice (first on line 3)"),
            "{error}"
        );
        let staircase = file(&dir, "stairs.csv", "origin,0,1\n2023,1,\n2024,1,2\n");
        let error = read_triangle(&staircase, Values::Cumulative)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("origin 2024 has 2 development periods, more than the 1"),
            "{error}"
        );
        let neither = file(&dir, "neither.csv", "year,0\n2023,1\n");
        let error = read_triangle(&neither, Values::Cumulative)
            .unwrap_err()
            .to_string();
        assert!(error.contains("starts with an 'origin' column"), "{error}");
    }

    #[test]
    fn a_claims_extract_counts_what_the_scheme_owes_and_names_bad_fields() {
        let dir = tempfile::tempdir().unwrap();
        let export = file(
            &dir,
            "claims.csv",
            "id,incurred_date,received_date,paid_date,status,claimed,approved\n\
             A/1,2025-01-05,2025-01-20,2025-02-10,paid,100.00,80.00\n\
             A/2,2025-01-06,2025-01-21,,received,50.00,0.00\n\
             A/3,2025-01-07,2025-01-22,,rejected,70.00,0.00\n",
        );
        let extract = read_claims_extract(&export, "approved").unwrap();
        assert!(extract.warnings.is_empty());
        let claims = extract.claims;
        assert_eq!(claims.len(), 2, "the rejected claim is left out");
        assert_eq!(claims[0].amount, 80.0);
        assert_eq!(claims[0].paid, "2025-02-10".parse().ok());
        assert_eq!(
            claims[1].amount, 50.0,
            "not yet decided: the amount claimed"
        );

        let insurer = file(
            &dir,
            "insurer.csv",
            "incurred_date,received_date,amount\n2025-01-05,2025-01-20,12.5\n",
        );
        let claims = read_claims_extract(&insurer, "amount").unwrap().claims;
        assert_eq!((claims[0].amount, claims[0].paid), (12.5, None));
        let error = read_claims_extract(&insurer, "approved")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("no column 'approved' (the amount; another column can be named with --amount); the columns are: incurred_date, received_date, amount"),
            "{error}"
        );
        let bad = file(
            &dir,
            "bad.csv",
            "incurred_date,received_date,amount\n2025-02-30,2025-01-20,1.234\n",
        );
        let error = read_claims_extract(&bad, "amount").unwrap_err().to_string();
        assert!(
            error.contains("line 2, column amount: '1.234' has more than two decimals"),
            "{error}"
        );
        assert!(
            error.contains("line 2, column incurred_date: '2025-02-30' is not a date"),
            "{error}"
        );
    }

    #[test]
    fn paid_claims_without_a_paid_date_are_warned_of_and_dates_before_the_care_named() {
        let dir = tempfile::tempdir().unwrap();
        let unpaid = file(
            &dir,
            "claims.csv",
            "incurred_date,received_date,paid_date,status,claimed,approved\n\
             2025-01-05,2025-01-20,,paid,100.00,80.00\n\
             2025-01-06,2025-01-21,,paid,50.00,50.00\n\
             2025-01-07,2025-01-22,2025-02-01,paid,70.00,70.00\n",
        );
        let extract = read_claims_extract(&unpaid, "approved").unwrap();
        assert_eq!(extract.claims.len(), 3);
        assert_eq!(extract.warnings.len(), 1);
        assert!(
            extract.warnings[0].text.ends_with("claims.csv: 2 claim(s) have the status paid but no paid_date: they count as not yet paid, in the RBNP and in no paid development."),
            "{:?}",
            extract.warnings
        );
        let early = file(
            &dir,
            "early.csv",
            "incurred_date,received_date,paid_date,approved\n\
             2025-01-05,2025-01-20,2025-02-01,1.00\n\
             2025-01-05,2025-01-04,2025-01-03,1.00\n",
        );
        let error = read_claims_extract(&early, "approved")
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("line 3, column received_date: received on 2025-01-04, before the care on 2025-01-05"),
            "{error}"
        );
        assert!(
            error.contains(
                "line 3, column paid_date: paid on 2025-01-03, before the care on 2025-01-05"
            ),
            "{error}"
        );
    }

    #[test]
    fn an_exposure_file_gives_a_positive_number_per_origin() {
        let dir = tempfile::tempdir().unwrap();
        let good = file(&dir, "e.csv", "origin,exposure\n2024,1000\n2025,1200.5\n");
        let exposure = read_exposure(&good).unwrap();
        assert_eq!(exposure["2025"], 1200.5);
        let bad = file(&dir, "bad.csv", "origin,exposure\n2024,0\n2024,5\n2024,6\n");
        let error = read_exposure(&bad).unwrap_err().to_string();
        assert!(
            error.contains("line 2, column exposure: 0 is not a positive number"),
            "{error}"
        );
        assert!(
            error.contains("line 4, column origin: origin 2024 is given twice"),
            "{error}"
        );
    }
}
