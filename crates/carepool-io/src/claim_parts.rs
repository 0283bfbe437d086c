//! Claims files received a part at a time, so that a file of millions of claims is never held
//! whole: files larger than a part are first split, row by row, into part files by facility and
//! claim number (every row of a claim, and every line of it in a lines file, lands in the same
//! part, in the order of the files), then each part is read, grouped into claims and handed on.

use crate::claims_csv::{Grouped, read_claims, refusal};
use crate::registry_csv::{CsvError, RecordsFile, parse_record};
use carepool_schema::Record;
use carepool_schema::claim_tables::{
    ClaimFileRow, ClaimLineFileRow, claim_lines_file, claims_file,
};
use carepool_service::claims::ReceivedClaim;
use carepool_service::{Numbered, RowProblem};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

/// About how many bytes of the files one part holds. Held as claims and then as the rows that
/// store them, a part takes several times its size in memory: this keeps a receipt of any size
/// within a few hundred megabytes.
pub(crate) const PART_BYTES: u64 = 16 << 20;

/// At most this many parts (each a file open while splitting): files past 4 GiB make larger
/// parts rather than more.
const MOST_PARTS: u64 = 256;

/// The claims of a claims file (and its lines file), a part at a time, each part's claims whole.
/// Iterating yields each part's claims while every row read so far is good; once a problem is
/// found, the rest of the files is read for theirs, and the last item is the refusal naming
/// every problem (those of the claims file if it has any, else the lines file's).
pub struct ClaimFileParts {
    claims_path: PathBuf,
    lines_path: Option<PathBuf>,
    /// The part files, when the files were split; without them, the files are one part.
    split: Option<Split>,
    count: usize,
    next: usize,
    /// Lines of the files that could not be read as records, found while splitting.
    unreadable_claims: Vec<RowProblem>,
    unreadable_lines: Vec<RowProblem>,
    /// Why the lines file could not be split (its header, its name): told only if the claims
    /// file has no problem, as when the files are read whole.
    lines_refused: Option<CsvError>,
}

/// Part files: each record is a record of the original file after the line it was on.
struct Split {
    dir: tempfile::TempDir,
    /// Where each column of the claims file's (and the lines file's) table is in a part's record.
    claims_positions: Vec<Option<usize>>,
    lines_positions: Vec<Option<usize>>,
}

/// One part's claims, and what is wrong with its rows in each file.
struct Part {
    claims: Vec<ReceivedClaim>,
    claims_problems: Vec<RowProblem>,
    lines_problems: Vec<RowProblem>,
}

impl ClaimFileParts {
    /// The parts of the files, about `part_bytes` of them each: split into part files (beside
    /// the claims file, or in the temporary directory if that cannot be written) when larger.
    /// A claims file whose header is wrong is refused here.
    pub(crate) fn split(
        claims_path: &Path,
        lines_path: Option<&Path>,
        part_bytes: u64,
    ) -> Result<ClaimFileParts, CsvError> {
        // A file that cannot be read is told so by the reading, in the files' order.
        let size = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len());
        let bytes = size(claims_path) + lines_path.map_or(0, size);
        let count = bytes.div_ceil(part_bytes.max(1)).clamp(1, MOST_PARTS) as usize;
        let mut parts = ClaimFileParts {
            claims_path: claims_path.to_path_buf(),
            lines_path: lines_path.map(Path::to_path_buf),
            split: None,
            count,
            next: 0,
            unreadable_claims: Vec::new(),
            unreadable_lines: Vec::new(),
            lines_refused: None,
        };
        if count == 1 {
            return Ok(parts);
        }
        let dir = parts_directory(claims_path)?;
        let claim_key = [claims_file::PROVIDER_ID, claims_file::CLAIM_NUMBER].map(|c| c.index());
        let (claims_positions, unreadable) =
            split_file::<ClaimFileRow>(claims_path, claim_key, dir.path(), "claims", count)?;
        parts.unreadable_claims = unreadable;
        let mut lines_positions = Vec::new();
        if let Some(lines_path) = lines_path {
            let line_key = [
                claim_lines_file::PROVIDER_ID,
                claim_lines_file::CLAIM_NUMBER,
            ]
            .map(|c| c.index());
            match split_file::<ClaimLineFileRow>(lines_path, line_key, dir.path(), "lines", count) {
                Ok((positions, unreadable)) => {
                    lines_positions = positions;
                    parts.unreadable_lines = unreadable;
                }
                Err(refused) => parts.lines_refused = Some(refused),
            }
        }
        parts.split = Some(Split {
            dir,
            claims_positions,
            lines_positions,
        });
        Ok(parts)
    }

    fn read_part(&self, split: &Split, number: usize) -> Result<Part, CsvError> {
        let (rows, claims_problems) = read_part_file::<ClaimFileRow>(
            &part_path(split.dir.path(), "claims", number),
            &split.claims_positions,
        )?;
        let mut grouped = Grouped::of_rows(rows, claims_problems, self.lines_path.is_some());
        let claims_problems = std::mem::take(&mut grouped.problems);
        if self.lines_path.is_some() && self.lines_refused.is_none() {
            let (lines, problems) = read_part_file::<ClaimLineFileRow>(
                &part_path(split.dir.path(), "lines", number),
                &split.lines_positions,
            )?;
            grouped.problems = problems;
            grouped.attach_lines(lines, &self.claims_path);
        }
        Ok(Part {
            claims: grouped.claims,
            claims_problems,
            lines_problems: grouped.problems,
        })
    }
}

impl Iterator for ClaimFileParts {
    type Item = Result<Vec<ReceivedClaim>, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.next >= self.count {
            return None;
        }
        let Some(split) = &self.split else {
            self.next = self.count;
            return Some(read_claims(&self.claims_path, self.lines_path.as_deref()));
        };
        let mut claims_problems = std::mem::take(&mut self.unreadable_claims);
        let mut lines_problems = std::mem::take(&mut self.unreadable_lines);
        while self.next < self.count {
            let part = self.read_part(split, self.next);
            self.next += 1;
            let part = match part {
                Ok(part) => part,
                Err(error) => {
                    self.next = self.count;
                    return Some(Err(error));
                }
            };
            claims_problems.extend(part.claims_problems);
            lines_problems.extend(part.lines_problems);
            let refused = self.lines_refused.is_some();
            if claims_problems.is_empty() && lines_problems.is_empty() && !refused {
                return Some(Ok(part.claims));
            }
        }
        if let (true, Some(refused)) = (claims_problems.is_empty(), self.lines_refused.take()) {
            return Some(Err(refused));
        }
        Some(Err(match (claims_problems.is_empty(), &self.lines_path) {
            (false, _) | (true, None) => refusal(&self.claims_path, claims_problems),
            (true, Some(lines_path)) => refusal(lines_path, lines_problems),
        }))
    }
}

/// A directory for the part files, removed when dropped: beside the claims file, on a disk that
/// holds it, or else in the temporary directory. Only its owner may read it (the parts hold
/// members' ids and diagnoses).
fn parts_directory(claims_path: &Path) -> Result<tempfile::TempDir, CsvError> {
    let beside = match claims_path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let builder = || {
        let mut builder = tempfile::Builder::new();
        builder.prefix(".carepool-claim-parts-");
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
        builder
    };
    match builder().tempdir_in(beside) {
        Ok(dir) => Ok(dir),
        Err(_) => builder()
            .tempdir_in(std::env::temp_dir())
            .map_err(|cause| CsvError::Write {
                path: std::env::temp_dir(),
                cause,
            }),
    }
}

fn part_path(dir: &Path, file: &str, number: usize) -> PathBuf {
    dir.join(format!("{file}-{number}.csv"))
}

/// The part a claim's rows go to.
fn part_of(provider_id: &str, claim_number: &str, count: usize) -> usize {
    let mut hasher = std::hash::DefaultHasher::new();
    (provider_id, claim_number).hash(&mut hasher);
    (hasher.finish() % count as u64) as usize
}

/// Writes each record of `path` into the part its claim (the facility and claim number in the
/// columns `key`) goes to, after its line number; returns where the table's columns are in a
/// part's record, and the lines that are not records.
fn split_file<R: Record>(
    path: &Path,
    key: [usize; 2],
    dir: &Path,
    file: &str,
    count: usize,
) -> Result<(Vec<Option<usize>>, Vec<RowProblem>), CsvError> {
    let mut records = RecordsFile::open(path, R::table())?;
    let [provider, number] = key.map(|column| records.positions[column]);
    let write_error = |path: PathBuf| {
        move |e: csv::Error| CsvError::Write {
            path,
            cause: e.into(),
        }
    };
    let mut writers = (0..count)
        .map(|k| {
            let part = part_path(dir, file, k);
            csv::Writer::from_path(&part).map_err(write_error(part))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut failed = None;
    let unreadable = records.each_record(|line, record| {
        if failed.is_some() {
            return;
        }
        let field = |at: Option<usize>| at.and_then(|i| record.get(i)).unwrap_or("");
        let part = part_of(field(provider), field(number), count);
        let writer = &mut writers[part];
        if let Err(e) =
            (writer.write_field(line.to_string())).and_then(|()| writer.write_record(record.iter()))
        {
            failed = Some(write_error(part_path(dir, file, part))(e));
        }
    })?;
    if let Some(error) = failed {
        return Err(error);
    }
    for (k, writer) in writers.iter_mut().enumerate() {
        writer.flush().map_err(|cause| CsvError::Write {
            path: part_path(dir, file, k),
            cause,
        })?;
    }
    let positions = records.positions.iter().map(|p| p.map(|i| i + 1)).collect();
    Ok((positions, unreadable))
}

/// The records of a part file, numbered by the lines they were on in the original file.
fn read_part_file<R: Record>(
    path: &Path,
    positions: &[Option<usize>],
) -> Result<(Vec<Numbered<R>>, Vec<RowProblem>), CsvError> {
    let unreadable = |e: csv::Error| CsvError::Read {
        path: path.to_path_buf(),
        cause: e.into(),
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .map_err(unreadable)?;
    let mut records = Vec::new();
    let mut problems = Vec::new();
    for record in reader.records() {
        let record = record.map_err(unreadable)?;
        let line = record
            .get(0)
            .and_then(|line| line.parse().ok())
            .unwrap_or(0);
        if let Some(item) = parse_record(positions, line, &record, &mut problems) {
            records.push(Numbered { line, item });
        }
    }
    Ok((records, problems))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    const HEADER: &str = "claim_number,provider_id,member_id,visit_date,admission_date,discharge_date,diagnosis_codes,clinical_category,specialty,limit_raising_case,copay_collected,received_date";

    /// A claims file of `claims` claims at two facilities, with their lines in a lines file in
    /// another order than the claims', or in the claims file itself (two rows per claim, the
    /// second rows after every first row).
    fn files(dir: &Path, claims: usize, lines_apart: bool) -> (PathBuf, Option<PathBuf>) {
        let claim = |i: usize| {
            let provider = if i.is_multiple_of(2) { "H1" } else { "C2" };
            (provider, format!("{i}"), format!("M{}", i % 7))
        };
        let mut claims_text = String::from(HEADER);
        let mut lines_text =
            String::from("provider_id,claim_number,service_code,quantity,unit_price\n");
        if !lines_apart {
            claims_text.push_str(",service_code,quantity,unit_price");
        }
        claims_text.push('\n');
        for i in 0..claims {
            let (provider, number, member) = claim(i);
            let fields = format!(
                "{number},{provider},{member},2025-03-01,,,J18,medical,,,0,2025-03-0{}",
                2 + i % 5
            );
            match lines_apart {
                true => claims_text.push_str(&format!("{fields}\n")),
                false => claims_text.push_str(&format!("{fields},CONS,1,600\n")),
            }
        }
        for i in (0..claims).rev() {
            let (provider, number, _) = claim(i);
            match lines_apart {
                true => {
                    lines_text.push_str(&format!("{provider},{number},CONS,1,600\n"));
                    lines_text.push_str(&format!("{provider},{number},DRUG,{},10\n", i % 3 + 1));
                }
                false => {
                    let (_, _, member) = claim(i);
                    claims_text.push_str(&format!(
                        "{number},{provider},{member},2025-03-01,,,J18,medical,,,0,2025-03-0{},DRUG,{},10\n",
                        2 + i % 5,
                        i % 3 + 1
                    ));
                }
            }
        }
        let claims_path = dir.join("claims.csv");
        fs::write(&claims_path, claims_text).unwrap();
        let lines_path = lines_apart.then(|| dir.join("claim_lines.csv"));
        if let Some(path) = &lines_path {
            fs::write(path, lines_text).unwrap();
        }
        (claims_path, lines_path)
    }

    /// Every part's claims, by id, each claim whole; fails if a claim is in two parts.
    fn gathered(parts: ClaimFileParts) -> Result<Vec<ReceivedClaim>, CsvError> {
        let mut claims = Vec::new();
        for part in parts {
            claims.extend(part?);
        }
        let mut ids: Vec<String> = claims.iter().map(|c| c.claim.id()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), claims.len(), "a claim in two parts");
        claims.sort_by_key(|c| c.claim.id());
        Ok(claims)
    }

    fn whole(claims: &Path, lines: Option<&Path>) -> Vec<ReceivedClaim> {
        let mut claims = read_claims(claims, lines).unwrap();
        claims.sort_by_key(|c| c.claim.id());
        claims
    }

    fn same(a: &[ReceivedClaim], b: &[ReceivedClaim]) {
        assert_eq!(a.len(), b.len());
        for (a, b) in a.iter().zip(b) {
            assert_eq!((a.line, &a.claim), (b.line, &b.claim));
        }
    }

    #[test]
    fn split_files_give_the_claims_of_the_whole_files_each_in_one_part() {
        for lines_apart in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let (claims, lines) = files(dir.path(), 300, lines_apart);
            let parts = ClaimFileParts::split(&claims, lines.as_deref(), 1_000).unwrap();
            assert!(parts.count > 10, "{} parts", parts.count);
            let split = gathered(parts).unwrap();
            let expected = whole(&claims, lines.as_deref());
            assert_eq!(expected.len(), 300);
            assert!(expected.iter().all(|c| c.claim.lines.len() == 2));
            same(&split, &expected);
        }
    }

    #[test]
    fn files_within_a_part_are_read_as_they_are() {
        let dir = tempfile::tempdir().unwrap();
        let (claims, lines) = files(dir.path(), 20, true);
        let parts = ClaimFileParts::split(&claims, lines.as_deref(), PART_BYTES).unwrap();
        assert!(parts.split.is_none());
        same(&gathered(parts).unwrap(), &whole(&claims, lines.as_deref()));
    }

    #[test]
    fn every_problem_of_every_part_is_named_as_in_the_whole_files() {
        let dir = tempfile::tempdir().unwrap();
        let (claims, lines) = files(dir.path(), 200, true);
        let mut text = fs::read_to_string(&claims).unwrap();
        // A claim sent twice, far apart; a date that is none; a row with a field too many.
        text.push_str("3,C2,M1,2025-03-01,,,J18,medical,,,0,2025-03-02\n");
        text = text.replacen(
            "2025-03-01,,,J18,medical,,,0,2025-03-04\n",
            "2025-02-30,,,J18,medical,,,0,2025-03-04\n",
            1,
        );
        text.push_str("900,H1,M1,2025-03-01,,,J18,medical,,,0,2025-03-02,extra\n");
        fs::write(&claims, text).unwrap();
        let problems = |error: CsvError| match error {
            CsvError::Rows { path, problems } => (
                path,
                problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
            ),
            other => panic!("{other}"),
        };
        let expected = problems(read_claims(&claims, lines.as_deref()).unwrap_err());
        assert_eq!(expected.1.len(), 3, "{expected:?}");
        let mut parts = ClaimFileParts::split(&claims, lines.as_deref(), 1_000).unwrap();
        // The problems are found in the first part (the row with a field too many, while
        // splitting): no part is handed on, and the refusal names all three.
        let refusal = parts.next().unwrap().unwrap_err();
        assert!(parts.next().is_none());
        assert_eq!(problems(refusal), expected);

        // Claims sound, a lines file with a line of a claim the claims file lacks.
        let (claims, lines) = files(dir.path(), 200, true);
        let lines = lines.unwrap();
        let mut text = fs::read_to_string(&lines).unwrap();
        text.push_str("H1,4040,CONS,1,600\n");
        fs::write(&lines, text).unwrap();
        let expected = problems(read_claims(&claims, Some(&lines)).unwrap_err());
        assert!(
            expected.1[0].contains("no claim H1/4040 in"),
            "{expected:?}"
        );
        let parts = ClaimFileParts::split(&claims, Some(&lines), 1_000).unwrap();
        assert_eq!(problems(gathered(parts).unwrap_err()), expected);

        // A lines file whose header is wrong: told once the claims file is found sound, and
        // after the claims file's own problems otherwise, as when the files are read whole.
        fs::write(
            &lines,
            "provider_id,claim_number,service,quantity,unit_price\nH1,0,CONS,1,600\n".repeat(50),
        )
        .unwrap();
        let expected = problems(read_claims(&claims, Some(&lines)).unwrap_err());
        assert!(expected.0.ends_with("claim_lines.csv"), "{expected:?}");
        let parts = ClaimFileParts::split(&claims, Some(&lines), 1_000).unwrap();
        assert_eq!(problems(gathered(parts).unwrap_err()), expected);
        let mut text = fs::read_to_string(&claims).unwrap();
        text.push_str("77,H1,M1,2025-13-01,,,J18,medical,,,0,2025-03-02\n");
        fs::write(&claims, text).unwrap();
        let expected = problems(read_claims(&claims, Some(&lines)).unwrap_err());
        assert!(expected.0.ends_with("claims.csv"), "{expected:?}");
        let parts = ClaimFileParts::split(&claims, Some(&lines), 1_000).unwrap();
        assert_eq!(problems(gathered(parts).unwrap_err()), expected);
    }

    #[test]
    fn the_part_files_are_removed_once_read() {
        let dir = tempfile::tempdir().unwrap();
        let (claims, lines) = files(dir.path(), 100, true);
        let parts = ClaimFileParts::split(&claims, lines.as_deref(), 1_000).unwrap();
        let split_dir = parts.split.as_ref().unwrap().dir.path().to_path_buf();
        assert!(split_dir.starts_with(dir.path()) && split_dir.exists());
        let mode = std::os::unix::fs::PermissionsExt::mode(
            &fs::metadata(&split_dir).unwrap().permissions(),
        );
        assert_eq!(mode & 0o777, 0o700, "the parts are their owner's only");
        gathered(parts).unwrap();
        assert!(!split_dir.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 2);
    }
}
