//! Reading a scheme definition from its TOML file, with the tariffs its packages point to.

use crate::csv_lines::{LinedReader, QUOTE_LEFT_OPEN, Unreadable, quote_left_open};
use carepool_core::Money;
use carepool_core::registry::{FacilityLevel, Sex, excerpt};
use carepool_core::scheme::{SchemeDefinition, TariffItem};
use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum SchemeFileError {
    #[error("{path}: cannot read: {cause}")]
    Read {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

/// Reads and checks the shape of a scheme file; `tariff_file` entries are read (relative to the
/// scheme file) into each package's tariff, so the stored version holds the prices themselves.
pub fn read_scheme_file(path: &Path) -> Result<SchemeDefinition, SchemeFileError> {
    read_scheme_file_with_tariffs(path, None)
}

/// As [`read_scheme_file`], with `tariff_file` entries found in `tariffs` instead of the scheme
/// file's folder when it is given (`carepool init --tariff-folder DIR`), and held to it.
pub fn read_scheme_file_with_tariffs(
    path: &Path,
    tariffs: Option<&Path>,
) -> Result<SchemeDefinition, SchemeFileError> {
    let invalid = |message: String| SchemeFileError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let mut definition: SchemeDefinition = read_toml(path)?;
    let base = tariffs.unwrap_or(path.parent().unwrap_or(Path::new(".")));
    let folder_named = match tariffs {
        Some(_) => "the tariff folder",
        None => "the scheme file's folder",
    };
    for (p, package) in definition.packages.iter_mut().enumerate() {
        if let Some(file) = package.tariff_file.take() {
            if !package.tariff.is_empty() {
                return Err(invalid(format!(
                    "packages[{p}]: give the tariff inline or as tariff_file, not both"
                )));
            }
            let target = base.join(&file);
            if !inside(base, Path::new(&file)) {
                return Err(invalid(format!(
                    "packages[{p}].tariff_file: {} is outside {folder_named}; a tariff is kept beside its scheme, or in the folder init --tariff-folder names",
                    excerpt(&file)
                )));
            }
            package.tariff = read_tariff(&target)?;
        }
    }
    Ok(definition)
}

/// Whether `file`, named in a scheme file in `folder`, lies in that folder once links and `..`
/// are resolved: a scheme file names its tariff, never another file of the machine
/// (`/etc/shadow`, `/dev/zero`). A file that does not exist is let through when its name stays
/// in the folder, to be reported as missing.
fn inside(folder: &Path, file: &Path) -> bool {
    // A scheme file named without a folder lies in the working directory.
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    match (folder.canonicalize(), folder.join(file).canonicalize()) {
        (Ok(folder), Ok(target)) => target.starts_with(folder),
        (Ok(_), Err(_)) => file.components().all(|c| {
            matches!(
                c,
                std::path::Component::Normal(_) | std::path::Component::CurDir
            )
        }),
        (Err(_), _) => false,
    }
}

/// A TOML file into `T` (dates read as ISO text), a problem named with where in the file it is.
pub(crate) fn read_toml<T: serde::de::DeserializeOwned>(path: &Path) -> Result<T, SchemeFileError> {
    let invalid = |message: String| SchemeFileError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let text = crate::bounded::read_text(path).map_err(|source| SchemeFileError::Read {
        path: path.to_path_buf(),
        cause: source,
    })?;
    parse_toml(&text).map_err(invalid)
}

/// TOML text into `T` (dates read as ISO text); the problem with where in the text it is.
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, String> {
    let mut document: toml::Table = text
        .parse()
        .map_err(|e: toml::de::Error| e.to_string().trim_end().to_string())?;
    dates_as_text(&mut document);
    serde_path_to_error::deserialize(toml::Value::Table(document)).map_err(|e| {
        let at = e.path().to_string();
        format!("at {at}: {}", e.into_inner().message())
    })
}

/// TOML has its own date type; the definition reads dates as ISO text, so either form is accepted.
fn dates_as_text(table: &mut toml::Table) {
    for (_, value) in table.iter_mut() {
        date_as_text(value);
    }
}

fn date_as_text(value: &mut toml::Value) {
    match value {
        toml::Value::Datetime(datetime) => *value = toml::Value::String(datetime.to_string()),
        toml::Value::Array(items) => items.iter_mut().for_each(date_as_text),
        toml::Value::Table(table) => dates_as_text(table),
        _ => {}
    }
}

/// A tariff CSV: service_code, description, benefit_category, level, price, sex, min_age, max_age,
/// and optionally once_per_months and frequency_group (all but the first five may be empty).
fn read_tariff(path: &Path) -> Result<Vec<TariffItem>, SchemeFileError> {
    let invalid = |message: String| SchemeFileError::Invalid {
        path: path.to_path_buf(),
        message,
    };
    let unreadable = |cause| SchemeFileError::Read {
        path: path.to_path_buf(),
        cause,
    };
    let file = crate::bounded::open(path).map_err(unreadable)?;
    let mut reader = LinedReader::new(&csv::ReaderBuilder::new(), file);
    let stopped = |error| match error {
        Unreadable::File(cause) => unreadable(cause),
        Unreadable::Line { line, reason } => invalid(format!("line {line}: {reason}")),
    };
    let headers = reader.headers().map_err(stopped)?.clone();
    let mut items = Vec::new();
    let mut record = csv::StringRecord::new();
    // Where the last line read began: its byte and line; the header's until then.
    let mut last_start = (0, reader.line());
    loop {
        let start = reader.byte();
        let read = reader.read_record(&mut record);
        if !read.map_err(|error| stopped(reader.unreadable(error)))? {
            break;
        }
        let line = reader.line();
        last_start = (start, line);
        let row: TariffRow = record.deserialize(Some(&headers)).map_err(|e| {
            let column = match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => err
                    .field()
                    .and_then(|f| headers.get(f as usize))
                    .map(|c| format!(", column {c}"))
                    .unwrap_or_default(),
                _ => String::new(),
            };
            let reason = match e.kind() {
                csv::ErrorKind::Deserialize { err, .. } => err.kind().to_string(),
                other => format!("{other:?}"),
            };
            invalid(format!("line {line}{column}: {reason}"))
        })?;
        let price: Money = row
            .price
            .parse()
            .map_err(|e| invalid(format!("line {line}, column price: {e}")))?;
        items.push(TariffItem {
            service_code: row.service_code,
            description: row.description,
            benefit_category: row.benefit_category,
            level: row.level,
            price,
            sex: row.sex,
            min_age: row.min_age,
            max_age: row.max_age,
            once_per_months: row.once_per_months,
            frequency_group: row.frequency_group.filter(|g| !g.is_empty()),
        });
    }
    // A quote left open in the last column takes the rest of the tariff into it unseen.
    let (start, line) = last_start;
    if quote_left_open(path, start).map_err(unreadable)? {
        return Err(invalid(format!("line {line}: {QUOTE_LEFT_OPEN}")));
    }
    Ok(items)
}

/// A tariff line as written; the price is read as text so that it stays exact.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TariffRow {
    service_code: String,
    description: String,
    benefit_category: String,
    level: Option<FacilityLevel>,
    price: String,
    sex: Option<Sex>,
    min_age: Option<u32>,
    max_age: Option<u32>,
    #[serde(default)]
    once_per_months: Option<u32>,
    #[serde(default)]
    frequency_group: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const SCHEME: &str = r#"
code = "mho"
name = "Test mutual"
kind = "mutual_health_organisation"
currency = "XOF"
effective_from = 2024-01-01
enrolment_unit = "family"

[family]
definition = "head, spouses and children under 18"

[coverage]
grace_days = 30

[[packages]]
code = "basic"
name = "Basic"
tariff_file = "tariff.csv"

[[packages.categories]]
code = "ip"
name = "Inpatient"
settings = ["inpatient"]
limit = { amount = "50000", per = "family" }
"#;

    /// The error of the example scheme in `dir`, with the tariff written there.
    fn scheme_error(dir: &Path) -> String {
        let scheme = write(dir, "s.toml", SCHEME);
        read_scheme_file(&scheme).unwrap_err().to_string()
    }

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let path = dir.join(name);
        fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn reads_a_scheme_with_a_toml_date_and_its_tariff_file() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "tariff.csv",
            "service_code,description,benefit_category,level,price,sex,min_age,max_age\nIP01,Stay,ip,district_hospital,1200.50,,,\n",
        );
        let scheme = read_scheme_file(&write(dir.path(), "s.toml", SCHEME)).unwrap();
        assert_eq!(scheme.effective_from.to_string(), "2024-01-01");
        assert_eq!(scheme.packages[0].tariff.len(), 1);
        assert_eq!(scheme.packages[0].tariff_file, None);
        scheme.validate().unwrap();
    }

    #[test]
    fn a_misspelt_field_is_named_with_its_path() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "tariff.csv",
            "service_code,description,benefit_category,level,price,sex,min_age,max_age\n",
        );
        let text = SCHEME.replace("limit = { amount", "limit = { amout");
        let error = read_scheme_file(&write(dir.path(), "s.toml", &text))
            .unwrap_err()
            .to_string();
        assert!(error.contains("packages[0].categories[0].limit"), "{error}");
        assert!(error.contains("amout"), "{error}");
    }

    #[test]
    fn a_syntax_error_gives_the_line() {
        let dir = tempfile::tempdir().unwrap();
        let error = read_scheme_file(&write(dir.path(), "s.toml", "code = \"x\"\nname = \n"))
            .unwrap_err()
            .to_string();
        assert!(error.contains("line 2"), "{error}");
    }

    #[test]
    fn a_bad_tariff_price_gives_the_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "tariff.csv",
            "service_code,description,benefit_category,level,price,sex,min_age,max_age\nIP01,Stay,ip,,12.345,,,\n",
        );
        let error = scheme_error(dir.path());
        assert!(
            error.contains("tariff.csv: line 2, column price"),
            "{error}"
        );
    }

    #[test]
    fn a_tariff_saved_on_windows_names_the_lines_an_editor_shows() {
        let dir = tempfile::tempdir().unwrap();
        let header = "service_code,description,benefit_category,level,price,sex,min_age,max_age";
        let cases = [
            ("IP01,Stay,ip,,12.345,,,", "line 4, column price"),
            (
                "IP01,Stay,ip,,1,,",
                "line 4: has 7 fields where the header has 8",
            ),
        ];
        for (row, told) in cases {
            let text = format!("{header}\r\nOP01,Visit,op,,5,,,\r\n\r\n{row}\r\n");
            write(dir.path(), "tariff.csv", &text);
            let error = scheme_error(dir.path());
            assert!(error.contains(&format!("tariff.csv: {told}")), "{error}");
        }
        // A quote left open in the last column, where any text is a frequency group.
        let open = format!(
            "{header},frequency_group\nOP01,Visit,op,,5,,,,\"visits\nIP01,Stay,ip,,9,,,,\n"
        );
        write(dir.path(), "tariff.csv", &open);
        let error = scheme_error(dir.path());
        assert!(
            error.contains("tariff.csv: line 2: a quote opened on this line is never closed"),
            "{error}"
        );
        // In the header's last column: no tariff line at all.
        write(
            dir.path(),
            "tariff.csv",
            &format!("{header},\"frequency_group\nOP01,Visit,op,,5,,,,\n"),
        );
        let error = scheme_error(dir.path());
        assert!(
            error.contains("tariff.csv: line 1: a quote opened on this line is never closed"),
            "{error}"
        );
        // A line past the bound is the file's problem, said once with its line.
        let long = "x".repeat(crate::MAX_LINE_BYTES + 1);
        write(dir.path(), "tariff.csv", &format!("{header}\r\n{long}\r\n"));
        let error = scheme_error(dir.path());
        assert!(
            error.ends_with("tariff.csv: cannot read: line 2 is longer than 65536 bytes: not a file carepool reads"),
            "{error}"
        );
    }

    #[test]
    fn a_tariff_file_outside_the_schemes_folder_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let scheme_dir = dir.path().join("scheme");
        std::fs::create_dir(&scheme_dir).unwrap();
        write(
            dir.path(),
            "tariff.csv",
            "service_code,description,benefit_category,level,price,sex,min_age,max_age\n",
        );
        for outside in ["../tariff.csv", "/etc/passwd", "/dev/zero"] {
            let text = SCHEME.replace("tariff.csv", outside);
            let error = read_scheme_file(&write(&scheme_dir, "s.toml", &text))
                .unwrap_err()
                .to_string();
            assert!(
                error.contains("tariff_file") && error.contains("outside the scheme file's folder"),
                "{outside}: {error}"
            );
        }
    }

    #[test]
    fn a_tariff_folder_given_on_purpose_is_where_tariffs_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let (schemes, tariffs) = (dir.path().join("schemes"), dir.path().join("tariffs"));
        std::fs::create_dir(&schemes).unwrap();
        std::fs::create_dir(&tariffs).unwrap();
        write(
            &tariffs,
            "tariff.csv",
            "service_code,description,benefit_category,level,price,sex,min_age,max_age\nCONS,Consultation,outpatient,health_centre,15.00,,,\n",
        );
        let scheme = write(&schemes, "s.toml", SCHEME);
        assert!(read_scheme_file(&scheme).is_err(), "not beside the scheme");
        let read = read_scheme_file_with_tariffs(&scheme, Some(&tariffs)).unwrap();
        assert_eq!(read.packages[0].tariff.len(), 1);
        // Still held to that folder.
        let outside = write(
            &schemes,
            "o.toml",
            &SCHEME.replace("tariff.csv", "../schemes/s.toml"),
        );
        let error = read_scheme_file_with_tariffs(&outside, Some(&tariffs))
            .unwrap_err()
            .to_string();
        assert!(error.contains("outside the tariff folder"), "{error}");
    }

    #[test]
    fn a_missing_tariff_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let error = scheme_error(dir.path());
        assert!(error.contains("tariff.csv: cannot read"), "{error}");
    }
}
