//! The projection's assumptions file (TOML), with the base table it may point to: an experience
//! study's JSON (`carepool experience --out FILE.json`) or a CSV of lines. See docs/PROJECTION.md.

use crate::scheme_file::SchemeFileError;
use crate::sheet::{FileError, Sheet};
use carepool_service::costing::CostingFile;
use carepool_service::projection::{LineEntry, ProjectionFile, study_lines};
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum ProjectionFileError {
    #[error("{path}: cannot read: {cause}")]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error(transparent)]
    Table(#[from] FileError),
}

/// A TOML file into `T`, read as a scheme file is.
fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, ProjectionFileError> {
    crate::scheme_file::read_toml(path).map_err(|e| match e {
        SchemeFileError::Read { path, cause } => ProjectionFileError::Read { path, cause },
        SchemeFileError::Invalid { path, message } => {
            ProjectionFileError::Invalid { path, message }
        }
    })
}

/// The national costing's file (docs/PROJECTION.md, "National costing").
pub fn read_costing_file(path: &Path) -> Result<CostingFile, ProjectionFileError> {
    read_toml(path)
}

/// The assumptions from their TOML file, or from a workbook (`.xlsx`, see
/// [`crate::projection_xlsx`]).
pub fn read_projection_file(path: &Path) -> Result<ProjectionFile, ProjectionFileError> {
    let mut file: ProjectionFile = match crate::extension(path).as_deref() {
        Some("xlsx") => crate::projection_xlsx::read_projection_workbook(path)?,
        _ => read_toml(path)?,
    };
    let invalid = |path: &Path, message: String| ProjectionFileError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let read = |path: &Path| {
        crate::bounded::read_text(path).map_err(|source| ProjectionFileError::Read {
            path: path.to_path_buf(),
            cause: source,
        })
    };
    // A table of lines beside the assumptions: a study's JSON, or a CSV.
    let lines_of = |table: &str| {
        let table = path.parent().unwrap_or(Path::new(".")).join(table);
        match table.extension().and_then(|e| e.to_str()) {
            Some("json") => serde_json::from_str(&read(&table)?)
                .map_err(|e| e.to_string())
                .and_then(|study| study_lines(&study))
                .map_err(|message| invalid(&table, message)),
            _ => Ok(csv_lines(&table)?),
        }
    };
    if let Some(table) = &file.base.table {
        if !file.base.lines.is_empty() {
            return Err(invalid(
                path,
                "at base: give a table file or lines, not both".into(),
            ));
        }
        file.base.lines = lines_of(table)?;
    }
    if let Some(credibility) = &mut file.credibility
        && let Some(reference) = &credibility.reference
    {
        if !credibility.reference_lines.is_empty() {
            return Err(invalid(
                path,
                "at credibility: give a reference file or reference_lines, not both".into(),
            ));
        }
        credibility.reference_lines = lines_of(reference)?;
    }
    Ok(file)
}

/// An experience study's JSON (`carepool experience --out FILE.json`), for the projection to
/// take (`carepool project --experience FILE`).
pub fn read_study(path: &Path) -> Result<serde_json::Value, ProjectionFileError> {
    read_json(path, "an experience study's")
}

/// A reform's JSON (`carepool reform --out FILE.json`).
pub fn read_reform(path: &Path) -> Result<serde_json::Value, ProjectionFileError> {
    read_json(path, "a reform's")
}

fn read_json(path: &Path, whose: &str) -> Result<serde_json::Value, ProjectionFileError> {
    let text = crate::bounded::read_text(path).map_err(|cause| ProjectionFileError::Read {
        path: path.to_path_buf(),
        cause,
    })?;
    serde_json::from_str(&text).map_err(|e| ProjectionFileError::Invalid {
        path: path.to_path_buf(),
        message: format!("not {whose} JSON: {e}"),
    })
}

/// The assumptions from the text of their TOML file, the base table's lines inline (a table file
/// beside it cannot be read from a text alone); the problem with where in the text it is.
pub fn parse_projection_text(text: &str) -> Result<ProjectionFile, String> {
    let file: ProjectionFile = crate::scheme_file::parse_toml(text)?;
    if file.base.table.is_some() {
        return Err("at base.table: give the base table's lines here, not a file".into());
    }
    Ok(file)
}

/// A CSV of lines: `name`, `incidence_per_1000`, `average_cost`, and optionally `claims`.
fn csv_lines(path: &Path) -> Result<Vec<LineEntry>, FileError> {
    let mut sheet = Sheet::open(path)?;
    let name = sheet.required("name", "the line's name");
    let incidence = sheet.required("incidence_per_1000", "claims per 1,000 member-years");
    let cost = sheet.required("average_cost", "the average cost per claim");
    let claims = sheet.column("claims");
    let (Some(name), Some(incidence), Some(cost)) = (name, incidence, cost) else {
        return Err(sheet.error());
    };
    let mut lines = Vec::new();
    while sheet.next()? {
        if let (Some(incidence_per_1000), Some(average_cost)) =
            (sheet.number(incidence), sheet.number(cost))
        {
            // An empty cell: the claims not given.
            let claims = claims
                .filter(|&column| !sheet.field(column).trim().is_empty())
                .and_then(|column| sheet.number(column));
            lines.push(LineEntry {
                name: sheet.field(name).to_string(),
                incidence_per_1000,
                average_cost,
                claims,
            });
        }
    }
    sheet.finish(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use carepool_actuarial::projection::ProjectedLine;

    #[test]
    fn assumptions_given_as_text_are_read_as_the_file_is_with_their_lines_inline() {
        let text = std::fs::read_to_string(example()).unwrap();
        let file = parse_projection_text(&text).unwrap();
        assert_eq!(file.currency.as_deref(), Some("INR"));
        assert!(!file.base.lines.is_empty());
        let with_table =
            parse_projection_text(&text.replace("[base]", "[base]\ntable = \"x.json\""));
        assert!(with_table.unwrap_err().starts_with("at base.table"));
        assert!(
            parse_projection_text("[base\n")
                .unwrap_err()
                .contains("line 1")
        );
    }

    fn example() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/projection/inpatient.toml")
    }

    /// docs/PROJECTION.md's worked example, step by step, against the engine.
    #[test]
    fn the_worked_example_is_reproduced() {
        let file = read_projection_file(&example()).unwrap();
        let tests = file.run().unwrap();
        let base = &tests.base;
        // Year 1, by hand: 365 days from the base date to the start, half a year more to the
        // middle of the first year; no mix change yet; the raised cardiac limit not yet in force.
        let to_middle = 365.0 / 365.25 + 0.5;
        // Mid-year to mid-year from the base date's year: 2026-27's 6% up to 1 October 2026,
        // then 2027-28's 5.1%; cardiology at its own 8% throughout; the transport allowance
        // fixed; every line's cases at the technology trend.
        let inflation = 1.06f64.sqrt() * 1.051f64.powf(to_middle - 0.5);
        let cardiology = 1.08f64.powf(to_middle);
        let cases = 1.015f64.powf(to_middle);
        // Σ incidence × average cost of the base table by how it grows, and one follow-up
        // (800) per general surgery.
        let inflating = 13.0 + 3.3 + 21.6 + 21.6 + 10.0 + 7.5 + 0.0012 * 800.0;
        let risk = cases * (inflating * inflation + 115.5 * cardiology + 0.0026 * 1000.0);
        let year = &base.years[0];
        assert!(
            (year.risk_cost_per_member - risk).abs() < 1e-9,
            "{}",
            year.risk_cost_per_member
        );
        let premium = risk / (1.0 - 0.16) + 0.02 * risk;
        assert!((year.premium_per_member - premium).abs() < 1e-9);
        // The level premium: the contract years' premiums at their present value at 4%, cash
        // in the middle of each year.
        let members = [1.0, 1.15, 1.3];
        let discounted = |y: usize| members[y] / 1.04f64.powf(y as f64 + 0.5);
        let level = (0..3)
            .map(|y| base.years[y].premium_per_member * discounted(y))
            .sum::<f64>()
            / (0..3).map(discounted).sum::<f64>();
        assert!((base.level_premium_per_member - level).abs() < 1e-9);
        // The figures the docs quote.
        let shown = |value: f64| format!("{value:.2}");
        let carried = &base.carried_to_start.lines;
        assert_eq!(shown(carried[0].average_cost), "6860.45");
        assert_eq!(shown(carried[4].average_cost), "113394.03");
        assert_eq!(shown(carried[7].average_cost), "1000.00");
        assert_eq!(shown(year.risk_cost_per_member), "221.47");
        assert_eq!(shown(year.premium_per_member), "268.09");
        let premiums: Vec<String> = (base.years[..3].iter())
            .map(|y| shown(y.premium_per_member))
            .collect();
        assert_eq!(premiums, ["268.09", "316.94", "345.37"]);
        assert_eq!(shown(base.level_premium_per_member), "312.50");
        assert_eq!(shown(base.level_premium_per_family), "1389.56");
        assert_eq!(format!("{:.0}", base.refund), "12998631");
        assert_eq!(
            (shown(tests.range.0), shown(tests.range.1)),
            ("260.20".into(), "511.17".into())
        );
        assert_eq!(
            (
                shown(tests.range_per_family.0),
                shown(tests.range_per_family.1)
            ),
            ("1156.98".into(), "2272.97".into())
        );
        assert_eq!(tests.results.len(), 23);
        // Year 5's mix, older and more urban: the factors the docs quote, by the scheme's age
        // curve and by childbirth's.
        let assumptions = file.assumptions().unwrap();
        let mut at_base = assumptions.clone();
        at_base.mix = vec![assumptions.base_mix.clone()];
        let plain = at_base.project().unwrap();
        let moved = |line: usize, of: fn(&ProjectedLine) -> f64| {
            let (shifted, unshifted) = (&base.years[4].lines[line], &plain.years[4].lines[line]);
            format!("{:.4}", of(shifted) / of(unshifted))
        };
        assert_eq!(moved(0, |l| l.incidence), "1.0414");
        assert_eq!(moved(0, |l| l.average_cost), "1.0224");
        assert_eq!(moved(5, |l| l.incidence), "1.0197");
        assert_eq!(moved(5, |l| l.average_cost), "1.0068");
        assert_eq!(moved(7, |l| l.average_cost), "1.0000");
    }

    /// The mutual's example: its lines blended with the regional reference beside it, the
    /// weights as docs/PROJECTION.md works them out.
    #[test]
    fn the_mutuals_lines_are_blended_with_the_regional_reference() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../examples/projection/mutual-credibility.toml");
        let file = read_projection_file(&path).unwrap();
        assert_eq!(file.credibility.as_ref().unwrap().reference_lines.len(), 5);
        let blended = file.blended_lines().unwrap().unwrap();
        let shown = |value: f64| format!("{value:.4}");
        // Paediatrics: 680 claims of 1,082.2 for an incidence, of 1,082.2 x 1.44 for a cost.
        let paediatrics = &blended[1];
        assert_eq!(shown(paediatrics.incidence_weight), "0.7927");
        assert_eq!(shown(paediatrics.cost_weight), "0.6606");
        let incidence = 0.7927 * 100.0 + (1.0 - 0.7927) * 180.0;
        assert!((paediatrics.incidence * 1000.0 - incidence).abs() < 0.01);
        assert_eq!(format!("{:.2}", paediatrics.average_cost), "1483.03");
        // General practice is past the standard; cardiology the mutual never claimed on.
        assert_eq!(blended[0].incidence_weight, 1.0);
        assert_eq!(
            (blended[4].name.as_str(), blended[4].incidence_weight),
            ("surgical cardiology", 0.0)
        );
        let tests = file.run().unwrap();
        assert_eq!(
            format!("{:.2}", tests.base.level_premium_per_member),
            "2052.48"
        );
        // A reference CSV with an empty claims cell reads as claims not given.
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("reference.csv"),
            "name,incidence_per_1000,average_cost,claims\nsurgery,2,1200,\n",
        )
        .unwrap();
        let toml = std::fs::read_to_string(&path)
            .unwrap()
            .replace("regional-reference.csv", "reference.csv");
        std::fs::write(dir.path().join("mutual.toml"), toml).unwrap();
        let file = read_projection_file(&dir.path().join("mutual.toml")).unwrap();
        let reference = &file.credibility.as_ref().unwrap().reference_lines;
        assert_eq!(
            (reference[0].name.as_str(), reference[0].claims),
            ("surgery", None)
        );
    }

    #[test]
    fn the_base_table_may_come_from_an_experience_study_or_a_csv() {
        let dir = tempfile::tempdir().unwrap();
        let assumptions = std::fs::read_to_string(example()).unwrap();
        let start = assumptions.find("lines = [").unwrap();
        let end = start + assumptions[start..].find("\n]\n").unwrap() + 3;
        let with_table = |table: &str| {
            format!(
                "{}table = \"{table}\"\n{}",
                &assumptions[..start],
                &assumptions[end..]
            )
        };
        std::fs::write(
            dir.path().join("study.json"),
            r#"{"base_table": [
                {"clinical_category": "surgical", "specialty": "cardiology", "incidence_per_1000": 1.1, "average_cost": "105000.50"},
                {"clinical_category": "total", "specialty": null, "incidence_per_1000": 1.1, "average_cost": "105000.50"}
            ]}"#,
        )
        .unwrap();
        let path = dir.path().join("from_study.toml");
        std::fs::write(&path, with_table("study.json")).unwrap();
        let lines = read_projection_file(&path).unwrap().base.lines;
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].name, "surgical cardiology");
        assert_eq!(
            lines[0].average_cost, 105000.5,
            "an amount as the study writes it"
        );

        std::fs::write(
            dir.path().join("lines.csv"),
            "name,incidence_per_1000,average_cost\nsurgical general_surgery,1.2,18000\nbad,x,1\n",
        )
        .unwrap();
        let path = dir.path().join("from_csv.toml");
        std::fs::write(&path, with_table("lines.csv")).unwrap();
        let error = read_projection_file(&path).unwrap_err().to_string();
        assert!(
            error.contains("lines.csv: line 3, column incidence_per_1000: 'x' is not a number"),
            "{error}"
        );
    }

    /// The file's currency goes with its amounts; a code that is not ISO 4217 is named.
    #[test]
    fn the_currency_is_the_files_and_a_bad_one_is_named() {
        assert_eq!(
            read_projection_file(&example())
                .unwrap()
                .currency
                .as_deref(),
            Some("INR")
        );
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rupees.toml");
        let text = std::fs::read_to_string(example()).unwrap();
        std::fs::write(
            &path,
            text.replace(r#"currency = "INR""#, r#"currency = "rupees""#),
        )
        .unwrap();
        let error = read_projection_file(&path)
            .unwrap()
            .run()
            .unwrap_err()
            .to_string();
        assert_eq!(
            error,
            "currency: 'rupees' is not a three-letter ISO 4217 code"
        );
    }

    #[test]
    fn a_misspelt_field_is_named_with_where_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bad.toml");
        std::fs::write(
            &path,
            "[base]\ndate = 2026-04-01\n[projection]\nstart = 2027-04-01\nyeers = 3\n",
        )
        .unwrap();
        let error = read_projection_file(&path).unwrap_err().to_string();
        assert!(
            error.contains("at projection.yeers: unknown field `yeers`"),
            "{error}"
        );
    }
}
