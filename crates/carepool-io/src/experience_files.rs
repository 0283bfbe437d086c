//! The extracts an experience study reads: members (with one enrolment period in their own
//! columns, or several in a coverage file) and claims. Files are read line by line; every
//! problem names the file, line and column, and a file with any problem gives no study.
//! See docs/FORMATS.md, "Experience extracts".

use crate::cover_source::{Cover, cover_of, coverage_error, on_disk, read_coverage};
use crate::cover_stream::Stop;
use crate::sheet::{FileError, Sheet};
use carepool_actuarial::experience::{
    ClaimInput, CoverPeriod, CoverSpans, ExperienceData, MemberInput, NumberedIds,
};
use carepool_core::Money;
use carepool_core::claims::{ClaimStatus, ReasonCode};
use carepool_core::registry::{Area, Location, MemberStatus, Ownership, Sex, area_of, district_of};
use chrono::NaiveDate;
// A fast hash: ids of millions of members are looked up; they come from the scheme's own files.
use foldhash::{HashMap, HashMapExt};
use std::path::Path;

/// The files of one study.
#[derive(Debug, Clone, Copy)]
pub struct Extracts<'a> {
    pub members: &'a Path,
    /// Enrolment periods, one a line (the registry's coverage format).
    pub coverage: Option<&'a Path>,
    pub claims: &'a Path,
    /// The registry's providers file, for the ownership of the facility of each claim.
    pub providers: Option<&'a Path>,
    /// The registry's families and locations files: where each member's family lives (area and
    /// district), for a members file without `area` and `location_code` columns.
    pub families: Option<&'a Path>,
    pub locations: Option<&'a Path>,
}

/// Lines read so far in a file, every this many.
pub const PROGRESS_EVERY: u64 = 100_000;

/// Reads the extracts; open cover runs to `horizon` (the study's last day). `progress` is told
/// the file being read and the lines read so far.
pub fn read_extracts(
    extracts: Extracts,
    horizon: NaiveDate,
    progress: &dyn Fn(&Path, u64),
) -> Result<ExperienceData, FileError> {
    let mut cover = cover_of(extracts, progress)?;
    // Room for the members made at once, rather than their tables grown (each growth held
    // twice a moment): as many as the held coverage's, or the members file's lines, counted
    // beside the families' reading when it is on disk.
    let count = !matches!(cover, Cover::Held(_)) && on_disk(extracts.members);
    let (places, lines) = std::thread::scope(|scope| {
        let lines = scope.spawn(|| match count {
            true => count_lines(extracts.members).ok(),
            false => None,
        });
        let places = match (extracts.families, extracts.locations) {
            (Some(families), Some(locations)) => {
                read_locations(locations).and_then(|locations| read_places(families, &locations))
            }
            _ => Ok(Places::default()),
        };
        let lines = lines.join();
        (
            places,
            lines.unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
        )
    });
    let places = match places {
        Ok(places) => places,
        Err(error) => return Err(coverage_error(extracts, cover, progress).unwrap_or(error)),
    };
    let mut data = ExperienceData::new();
    data.reserve_members(match &cover {
        Cover::Held(held) => held.member_count(),
        // A file that cannot be read says so when the members are read.
        Cover::Streamed(_) | Cover::Columns => lines.unwrap_or(0),
    });
    match read_members(extracts, &places, &mut cover, horizon, &mut data, progress) {
        Ok(()) => {}
        Err(Stopped::Cover(Stop::Failed(error))) => return Err(error),
        Err(Stopped::File(error)) => {
            return Err(coverage_error(extracts, cover, progress).unwrap_or(error));
        }
        Err(Stopped::Cover(Stop::OutOfOrder)) => {
            // Not in member order: both read again, the coverage held whole and searched (the
            // stream and the members read so far dropped first).
            drop(cover);
            drop(data);
            data = read_members_holding_cover(extracts, &places, horizon, progress)?;
        }
    }
    let ownership = match extracts.providers {
        Some(path) => read_ownership(path)?,
        None => HashMap::new(),
    };
    read_claims(extracts.claims, &ownership, &mut data, progress)?;
    Ok(data)
}

/// The lines of a file that are not blank (ended by a line feed): about as many as its records
/// (room made for more or fewer is only room).
fn count_lines(path: &Path) -> std::io::Result<usize> {
    use std::io::Read;
    let mut file = std::fs::File::open(path)?;
    let (mut buffer, mut lines) = (vec![0; 1 << 20], 0);
    // Whether the line read so far holds a byte other than a carriage return.
    let mut filled = false;
    let holds_text = |bytes: &[u8]| bytes.iter().any(|&byte| byte != b'\r');
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            return Ok(lines);
        }
        let read = &buffer[..read];
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', read) {
            lines += usize::from(filled || holds_text(&read[start..end]));
            (filled, start) = (false, end + 1);
        }
        filled |= holds_text(&read[start..]);
    }
}

/// The members read with the coverage held whole and searched: files not in member order.
fn read_members_holding_cover(
    extracts: Extracts,
    places: &Places,
    horizon: NaiveDate,
    progress: &dyn Fn(&Path, u64),
) -> Result<ExperienceData, FileError> {
    let path = extracts.coverage.expect("a coverage file");
    let held = read_coverage(path, progress)?;
    let mut data = ExperienceData::new();
    data.reserve_members(held.member_count());
    let mut cover = Cover::Held(held);
    match read_members(extracts, places, &mut cover, horizon, &mut data, progress) {
        Ok(()) => Ok(data),
        Err(Stopped::File(error) | Stopped::Cover(Stop::Failed(error))) => Err(error),
        Err(Stopped::Cover(Stop::OutOfOrder)) => unreachable!("a held coverage has no order"),
    }
}

pub(crate) fn tick(sheet: &Sheet, progress: &dyn Fn(&Path, u64)) {
    let line = sheet.line();
    if line.is_multiple_of(PROGRESS_EVERY) {
        progress(&sheet.path, line);
    }
}

/// Why the members were not all read.
#[derive(Debug)]
enum Stopped {
    /// The members file's problems.
    File(FileError),
    Cover(Stop),
}

impl From<FileError> for Stopped {
    fn from(error: FileError) -> Stopped {
        Stopped::File(error)
    }
}

fn parsed<T>(
    sheet: &mut Sheet,
    column: Option<usize>,
    parse: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, ()> {
    let Some(text) = sheet.optional(column) else {
        return Ok(None);
    };
    match parse(text) {
        Ok(value) => Ok(Some(value)),
        Err(message) => {
            sheet.problem(column.expect("a column with a field"), message);
            Err(())
        }
    }
}

/// Locations by code (few: the registry's functions take the standard map).
fn read_locations(path: &Path) -> Result<std::collections::HashMap<String, Location>, FileError> {
    let mut sheet = Sheet::open(path)?;
    let code = sheet.required("code", "the location's code");
    let [kind, parent, area] = ["kind", "parent_code", "area"].map(|c| sheet.column(c));
    let Some(code) = code else {
        return Err(sheet.error());
    };
    let mut locations = std::collections::HashMap::new();
    while sheet.next()? {
        let Ok(area) = parsed(&mut sheet, area, |t| {
            Area::parse("area", t).map_err(|e| e.message)
        }) else {
            continue;
        };
        let location = Location {
            code: sheet.field(code).to_string(),
            name: String::new(),
            kind: sheet.optional(kind).unwrap_or_default().to_string(),
            parent_code: sheet.optional(parent).map(str::to_string),
            area,
        };
        locations.insert(location.code.clone(), location);
    }
    sheet.finish(locations)
}

/// Where families live: few places, millions of families.
#[derive(Default)]
struct Places {
    /// The families' ids, numbered in the order of the families file (the registry exports
    /// them in id order, and members in the same order: each family is found just after the
    /// one before, without a search or a hash table of millions of ids).
    families: NumberedIds,
    /// Each family's place, a number in `places`, by the family's number.
    family_places: Vec<u32>,
    /// The area and district of each location a family lives in.
    places: Vec<(Option<Area>, String)>,
}

impl Places {
    /// The number of a family and its place, looked for first just after the family `last`.
    fn family(&self, id: &str, last: Option<u32>) -> Option<(u32, &(Option<Area>, String))> {
        let family = self.families.get_after(id, last)?;
        let place = self.family_places[family as usize];
        Some((family, &self.places[place as usize]))
    }
}

fn read_places(
    path: &Path,
    locations: &std::collections::HashMap<String, Location>,
) -> Result<Places, FileError> {
    let mut sheet = Sheet::open(path)?;
    let id = sheet.required("id", "the family's id");
    let location = sheet.required("location_code", "where the family lives");
    let (Some(id), Some(location)) = (id, location) else {
        return Err(sheet.error());
    };
    let mut places = Places::default();
    // The number of each location's place, found in the hierarchy once.
    let mut numbers: HashMap<String, u32> = HashMap::new();
    while sheet.next()? {
        let code = sheet.field(location);
        let number = match numbers.get(code) {
            Some(&number) => number,
            None => {
                let number = places.places.len() as u32;
                let district = district_of(locations, code).to_string();
                places.places.push((area_of(locations, code), district));
                numbers.insert(code.to_string(), number);
                number
            }
        };
        match places.families.number_new(sheet.field(id)) {
            Ok(_) => places.family_places.push(number),
            // A family listed twice lives where its last line says.
            Err(family) => places.family_places[family as usize] = number,
        }
    }
    sheet.finish(places)
}

fn read_members(
    extracts: Extracts,
    places: &Places,
    cover: &mut Cover,
    horizon: NaiveDate,
    data: &mut ExperienceData,
    progress: &dyn Fn(&Path, u64),
) -> Result<(), Stopped> {
    let mut sheet = Sheet::open(extracts.members)?;
    let id = sheet.required("id", "the member's id");
    let start = match extracts.coverage {
        Some(_) => sheet.column("start_date"),
        None => sheet.required(
            "start_date",
            "the first day of cover; or give the periods with --coverage FILE",
        ),
    };
    let Some(id) = id else {
        return Err(sheet.error().into());
    };
    if sheet.has_problems() {
        return Err(sheet.error().into());
    }
    let [family, sex, birth, status, since, area, location, end] = [
        "family_id",
        "sex",
        "birth_date",
        "status",
        "status_since",
        "area",
        "location_code",
        "end_date",
    ]
    .map(|name| sheet.column(name));
    let (mut periods, mut cover_spans) = (vec![], CoverSpans::default());
    // The members of a family come together: their family's place is looked up once, and the
    // next family looked for first after the last one found.
    let (mut last_family, mut last_place, mut last_found) = (String::new(), None, None);
    while sheet.next()? {
        tick(&sheet, progress);
        // Taken before the line's fields are checked: a member with a bad field is still in
        // the file, and their cover is not "for a member the file lacks".
        periods.clear();
        cover
            .take(sheet.field(id), &mut periods)
            .map_err(Stopped::Cover)?;
        let sex = parsed(&mut sheet, sex, |t| {
            Sex::parse("sex", t).map_err(|e| e.message)
        });
        let status = parsed(&mut sheet, status, |t| {
            MemberStatus::parse("status", t).map_err(|e| e.message)
        });
        let birth = sheet.optional_date(birth);
        let since = sheet.optional_date(since);
        let own_start = sheet.optional_date(start);
        let own_end = sheet.optional_date(end);
        let (Ok(sex), Ok(status), Ok(birth), Ok(since), Ok(own_start), Ok(own_end)) =
            (sex, status, birth, since, own_start, own_end)
        else {
            continue;
        };
        if let Some(start) = own_start {
            periods.push(CoverPeriod {
                start,
                end: own_end,
            });
        } else if extracts.coverage.is_none() {
            sheet.problem(
                start.expect("a required column"),
                "empty: the first day of cover is needed",
            );
            continue;
        }
        let status = status.unwrap_or(MemberStatus::Active);
        let since = match (since, status) {
            (Some(since), _) => since,
            (None, MemberStatus::Active | MemberStatus::Pending) => NaiveDate::MIN,
            (None, _) => {
                let column = since_column(&sheet);
                sheet.problem(column, format_args!("needed for a member who is {status}"));
                continue;
            }
        };
        let spans = cover_spans.of(&periods, status, since, horizon);
        let place = match sheet.optional(family) {
            Some(family) if family == last_family => last_place,
            Some(family) => {
                last_family.clear();
                last_family.push_str(family);
                let found = places.family(family, last_found);
                last_found = found.map(|(number, _)| number).or(last_found);
                last_place = found.map(|(_, place)| place);
                last_place
            }
            None => None,
        };
        let member = MemberInput {
            id: sheet.field(id),
            family: sheet.optional(family),
            sex,
            birth_date: birth,
            area: sheet
                .optional(area)
                .or_else(|| place.and_then(|p| p.0).map(Area::as_str)),
            location: sheet
                .optional(location)
                .or_else(|| place.map(|p| p.1.as_str())),
            spans,
        };
        if let Err(error) = data.add_member(member) {
            sheet.problem(id, error);
        }
    }
    for (line, member) in cover.lacking().map_err(Stopped::Cover)? {
        let path = extracts
            .coverage
            .expect("periods come from a coverage file")
            .display();
        let lacking = match sheet.passed_lines() {
            false => "is not in the members file",
            true => "is not among the members read (lines of the members file are not records)",
        };
        sheet.file_problem(format!("{path}: line {line}: member {member} {lacking}"));
    }
    Ok(sheet.finish(())?)
}

/// Where to point a missing status date: its column, or the status's.
fn since_column(sheet: &Sheet) -> usize {
    sheet
        .column("status_since")
        .or_else(|| sheet.column("status"))
        .unwrap_or(0)
}

fn read_ownership(path: &Path) -> Result<HashMap<String, Ownership>, FileError> {
    let mut sheet = Sheet::open(path)?;
    let code = sheet.required("code", "the facility's code");
    let ownership = sheet.required("ownership", "public or private");
    let (Some(code), Some(ownership)) = (code, ownership) else {
        return Err(sheet.error());
    };
    let mut owners = HashMap::new();
    while sheet.next()? {
        match Ownership::parse("ownership", sheet.field(ownership)) {
            Ok(owner) => {
                owners.insert(sheet.field(code).to_string(), owner);
            }
            Err(error) => sheet.problem(ownership, error.message),
        }
    }
    sheet.finish(owners)
}

/// Columns of a claims file, as the claims export names them.
struct ClaimColumns {
    member: usize,
    incurred: Option<usize>,
    visit: Option<usize>,
    admission: Option<usize>,
    discharge: Option<usize>,
    received: Option<usize>,
    category: usize,
    specialty: Option<usize>,
    provider: Option<usize>,
    status: Option<usize>,
    claimed: usize,
    approved: Option<usize>,
    paid: Option<usize>,
    reasons: Option<usize>,
    raising_case: Option<usize>,
}

fn claim_columns(sheet: &mut Sheet) -> Option<ClaimColumns> {
    let member = sheet.required("member_id", "the patient's member id");
    let category = sheet.required("clinical_category", "medical, surgical, maternity, ...");
    let claimed = sheet.required("claimed", "the amount claimed");
    let columns = ClaimColumns {
        member: member?,
        incurred: sheet.column("incurred_date"),
        visit: sheet.column("visit_date"),
        admission: sheet.column("admission_date"),
        discharge: sheet.column("discharge_date"),
        received: sheet.column("received_date"),
        category: category?,
        specialty: sheet.column("specialty"),
        provider: sheet.column("provider_id"),
        status: sheet.column("status"),
        claimed: claimed?,
        approved: sheet.column("approved"),
        paid: sheet.column("paid"),
        reasons: sheet.column("reasons"),
        raising_case: sheet.column("limit_raising_case"),
    };
    if columns.incurred.is_none() && columns.visit.is_none() && columns.admission.is_none() {
        sheet.required(
            "incurred_date",
            "the date of service, or visit_date and admission_date",
        );
        return None;
    }
    Some(columns)
}

fn read_claims(
    path: &Path,
    ownership: &HashMap<String, Ownership>,
    data: &mut ExperienceData,
    progress: &dyn Fn(&Path, u64),
) -> Result<(), FileError> {
    let mut sheet = Sheet::open(path)?;
    let Some(c) = claim_columns(&mut sheet) else {
        return Err(sheet.error());
    };
    while sheet.next()? {
        tick(&sheet, progress);
        let dates = [c.incurred, c.visit, c.admission, c.discharge, c.received]
            .map(|column| sheet.optional_date(column));
        let [
            Ok(incurred),
            Ok(visit),
            Ok(admission),
            Ok(discharge),
            Ok(received),
        ] = dates
        else {
            continue;
        };
        let Some(incurred) = incurred.or(admission).or(visit) else {
            let column = c
                .incurred
                .or(c.admission)
                .or(c.visit)
                .expect("a date column");
            sheet.problem(column, "empty: the date of service is needed");
            continue;
        };
        let status = parsed(&mut sheet, c.status, |t| {
            ClaimStatus::parse("status", t).map_err(|e| e.message)
        });
        let claimed = sheet.money(c.claimed);
        let approved = c.approved.map(|column| sheet.money(column));
        let paid = c.paid.map(|column| sheet.money(column));
        let (Ok(status), Some(claimed)) = (status, claimed) else {
            continue;
        };
        let (Some(approved), Some(paid)) = (
            approved.unwrap_or(Some(claimed)),
            paid.unwrap_or(Some(Money::ZERO)),
        ) else {
            continue;
        };
        let owed = match status {
            Some(status) => status.amount_owed(approved, claimed),
            None => Some(approved),
        };
        let reasons = sheet.optional(c.reasons).unwrap_or("");
        let has = |code: ReasonCode| reasons.split(';').any(|r| r == code.as_str());
        let limit_raised = has(ReasonCode::LimitRaised)
            .then(|| sheet.optional(c.raising_case).unwrap_or("declared"));
        let stay_days = admission
            .zip(discharge)
            .map(|(a, d)| carepool_core::claims::stay_days(a, d) as u32);
        data.add_claim(&ClaimInput {
            member: sheet.field(c.member),
            incurred,
            clinical_category: sheet.field(c.category),
            specialty: sheet.optional(c.specialty),
            claimed,
            approved,
            paid,
            owed,
            stay_days,
            ownership: sheet
                .optional(c.provider)
                .and_then(|p| ownership.get(p).copied()),
            limit_reached: has(ReasonCode::AnnualLimit),
            limit_raised,
            received,
        });
    }
    sheet.finish(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cover_source::stream_coverage;
    use carepool_actuarial::experience::ExperienceStudy;
    use std::path::PathBuf;

    fn file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn read(
        members: &Path,
        coverage: Option<&Path>,
        claims: &Path,
    ) -> Result<ExperienceData, FileError> {
        let extracts = Extracts {
            members,
            coverage,
            claims,
            providers: None,
            families: None,
            locations: None,
        };
        read_extracts(extracts, date("2025-12-31"), &|_, _| {})
    }

    const CLAIMS: &str = "member_id,incurred_date,clinical_category,specialty,claimed,approved,paid,status,admission_date,discharge_date,reasons\n\
        M1,2025-03-01,medical,internal_medicine,100.00,80.00,80.00,paid,2025-03-01,2025-03-05,above_tariff\n\
        M2,2025-04-01,surgical,,500.00,0.00,0.00,rejected,,,not_covered\n\
        M2,2025-05-01,surgical,,500.00,0.00,0.00,received,,,\n";

    #[test]
    fn members_with_their_own_enrolment_columns_and_a_claims_export() {
        let dir = tempfile::tempdir().unwrap();
        let members = file(
            &dir,
            "members.csv",
            "id,family_id,sex,birth_date,status,status_since,area,start_date,end_date,name\n\
             M1,F1,M,1990-01-01,active,2025-01-01,rural,2025-01-01,,Ann\n\
             M2,F1,F,1992-06-30,pending,2025-01-01,rural,2025-01-01,,Bea\n",
        );
        let claims = file(&dir, "claims.csv", CLAIMS);
        let data = read(&members, None, &claims).unwrap();
        assert_eq!((data.member_count(), data.claim_count()), (2, 3));
        let experience = ExperienceStudy::new(date("2025-01-01"), date("2025-12-31"))
            .run(&data)
            .unwrap();
        let summary = &experience.summary;
        assert!((summary.rates.exposure - 1.0).abs() < 1e-12);
        assert!((summary.pending_exposure - 1.0).abs() < 1e-12);
        assert_eq!(summary.rates.claims, 1);
        assert_eq!(summary.rates.cost, Money::from_units(80));
        assert_eq!(summary.rates.bed_days, 4);
        assert_eq!(summary.outside.pending, 2);
    }

    #[test]
    fn members_without_places_take_their_familys_district_whatever_order_they_come_in() {
        let dir = tempfile::tempdir().unwrap();
        let locations = file(
            &dir,
            "locations.csv",
            "code,kind,parent_code,area\n\
             R1,region,,rural\n\
             D1,district,R1,\n\
             V1,village,D1,\n\
             D2,district,R1,urban\n\
             V2,village,D2,\n",
        );
        // F1's members apart, one without a family, one of a family the file lacks.
        let members = file(
            &dir,
            "members.csv",
            "id,family_id,start_date\n\
             M1,F1,2025-01-01\n\
             M2,F2,2025-01-01\n\
             M3,F1,2025-01-01\n\
             M4,,2025-01-01\n\
             M5,F9,2025-01-01\n\
             M6,F3,2025-01-01\n\
             M7,F4,2025-01-01\n\
             M8,F4,2025-01-01\n",
        );
        let claims = file(&dir, "claims.csv", CLAIMS);
        // In id order; out of order, with a family listed twice (its last line says where).
        for families in [
            "id,location_code\nF1,V1\nF2,V2\nF3,D2\nF4,V1\n",
            "id,location_code\nF4,V1\nF3,V1\nF2,V2\nF1,V1\nF3,D2\n",
        ] {
            let families = file(&dir, "families.csv", families);
            let extracts = Extracts {
                members: &members,
                coverage: None,
                claims: &claims,
                providers: None,
                families: Some(&families),
                locations: Some(&locations),
            };
            let data = read_extracts(extracts, date("2025-12-31"), &|_, _| {}).unwrap();
            let experience = ExperienceStudy::new(date("2025-01-01"), date("2025-12-31"))
                .run(&data)
                .unwrap();
            let years: Vec<(&str, f64)> = experience
                .locations
                .iter()
                .map(|row| (row.location.as_str(), row.rates.exposure))
                .collect();
            assert_eq!(years, [("D1", 4.0), ("D2", 2.0), ("unknown", 2.0)]);
        }
    }

    #[test]
    fn a_bad_families_file_is_named_and_a_bad_coverage_file_read_beside_it_comes_first() {
        let dir = tempfile::tempdir().unwrap();
        let locations = file(
            &dir,
            "locations.csv",
            "code,kind,parent_code,area\nD1,district,,\n",
        );
        let families = file(&dir, "families.csv", "id,place\nF1,D1\n");
        let members = file(&dir, "members.csv", "id,family_id\nM1,F1\n");
        let good_cover = file(&dir, "cover.csv", "member_id,start_date\nM1,2025-01-01\n");
        let bad_cover = file(&dir, "bad.csv", "member_id,start_date\nM1,2025-02-30\n");
        let claims = file(&dir, "claims.csv", CLAIMS);
        let read = |coverage: &Path| {
            let extracts = Extracts {
                members: &members,
                coverage: Some(coverage),
                claims: &claims,
                providers: None,
                families: Some(&families),
                locations: Some(&locations),
            };
            read_extracts(extracts, date("2025-12-31"), &|_, _| {})
                .unwrap_err()
                .to_string()
        };
        let families_error = read(&good_cover);
        assert!(
            families_error.contains("families.csv")
                && families_error.contains("no column 'location_code'"),
            "{families_error}"
        );
        let cover_error = read(&bad_cover);
        assert!(
            cover_error.contains("bad.csv") && cover_error.contains("line 2"),
            "{cover_error}"
        );
    }

    #[test]
    fn a_coverage_file_gives_several_periods_per_member() {
        let dir = tempfile::tempdir().unwrap();
        let members = file(
            &dir,
            "members.csv",
            "id,sex,birth_date\nM1,M,1990-01-01\nM2,F,1990-01-01\n",
        );
        let coverage = file(
            &dir,
            "coverage.csv",
            "member_id,start_date,end_date,package\n\
             M1,2025-01-01,2025-03-31,\n\
             M1,2025-07-01,,\n\
             M2,2025-01-01,2025-12-31,\n",
        );
        let claims = file(&dir, "claims.csv", CLAIMS);
        let data = read(&members, Some(&coverage), &claims).unwrap();
        let experience = ExperienceStudy::new(date("2025-01-01"), date("2025-12-31"))
            .run(&data)
            .unwrap();
        let expected = (90.0 + 184.0 + 365.0) / 365.0;
        assert!((experience.summary.rates.exposure - expected).abs() < 1e-12);
    }

    #[test]
    fn every_bad_field_is_named_by_line_and_column() {
        let dir = tempfile::tempdir().unwrap();
        let members = file(
            &dir,
            "members.csv",
            "id,sex,birth_date,status,start_date\n\
             M0,X,1990-01-01,active,2025-01-01\n\
             M2,F,1990-13-01,deceased,2025-01-01\n\
             M3,F,1990-01-01,active,\n\
             M1,M,1990-01-01,active,2025-01-01\n\
             M1,M,1990-01-01,active,2025-01-01\n\
             M5,F\n\
             M6,X,1990-01-01,active,2025-01-01\n",
        );
        let claims = file(&dir, "claims.csv", CLAIMS);
        let error = read(&members, None, &claims).unwrap_err().to_string();
        for expected in [
            "line 2, column sex: 'X' is not one of: F, M",
            "line 3, column birth_date: '1990-13-01' is not a date YYYY-MM-DD",
            "line 4, column start_date: empty: the first day of cover is needed",
            "line 6, column id: member M1 is given twice",
            // Not a record: said with the others, and the lines after it read.
            "line 7: has 2 fields where the header has 5",
            "line 8, column sex: 'X' is not one of: F, M",
        ] {
            assert!(error.contains(expected), "{expected} not in {error}");
        }
        let members = file(
            &dir,
            "ok.csv",
            "id,status,start_date\nM1,deceased,2025-01-01\n",
        );
        let error = read(&members, None, &claims).unwrap_err().to_string();
        assert!(
            error.contains("line 2, column status: needed for a member who is deceased"),
            "{error}"
        );
        let bad_claims = file(
            &dir,
            "bad_claims.csv",
            "member_id,incurred_date,clinical_category,claimed\nM1,2025-01-01,medical,12.345\n",
        );
        let members = file(&dir, "one.csv", "id,start_date\nM1,2025-01-01\n");
        let error = read(&members, None, &bad_claims).unwrap_err().to_string();
        assert!(
            error.contains("bad_claims.csv: line 2, column claimed:"),
            "{error}"
        );
        let no_dates = file(
            &dir,
            "no_dates.csv",
            "member_id,clinical_category,claimed\n",
        );
        let error = read(&members, None, &no_dates).unwrap_err().to_string();
        assert!(error.contains("no column 'incurred_date'"), "{error}");
    }

    /// Members and coverage files of these lines, under their headers.
    fn extract_files(
        dir: &tempfile::TempDir,
        members: &[String],
        coverage: &[String],
    ) -> (PathBuf, PathBuf) {
        let header = |first: &str, lines: &[String]| format!("{first}\n{}\n", lines.join("\n"));
        let members = file(
            dir,
            "members.csv",
            &header("id,family_id,sex,birth_date,status,status_since", members),
        );
        let coverage = file(
            dir,
            "coverage.csv",
            &header("member_id,start_date,end_date", coverage),
        );
        (members, coverage)
    }

    fn study_json(data: &ExperienceData) -> String {
        let experience = ExperienceStudy::new(date("2025-01-01"), date("2025-12-31"))
            .run(data)
            .unwrap();
        serde_json::to_string(&experience).unwrap()
    }

    /// The study's JSON, or the error, of members and coverage written in the order given.
    fn studied(members: &[String], coverage: &[String]) -> Result<String, String> {
        let dir = tempfile::tempdir().unwrap();
        let (members, coverage) = extract_files(&dir, members, coverage);
        let claims = file(&dir, "claims.csv", CLAIMS);
        let data = read(&members, Some(&coverage), &claims).map_err(|e| e.to_string())?;
        Ok(study_json(&data))
    }

    fn members_only<'a>(members: &'a Path, coverage: &'a Path) -> Extracts<'a> {
        Extracts {
            members,
            coverage: Some(coverage),
            claims: members,
            providers: None,
            families: None,
            locations: None,
        }
    }

    /// The members read with the coverage in step only, never read again: how it stopped, if
    /// it did.
    fn members_in_step(members: &Path, coverage: &Path) -> Result<ExperienceData, Stopped> {
        let mut cover = Cover::Streamed(stream_coverage(coverage).unwrap());
        let mut data = ExperienceData::new();
        let extracts = members_only(members, coverage);
        let (places, horizon) = (Places::default(), date("2025-12-31"));
        read_members(
            extracts,
            &places,
            &mut cover,
            horizon,
            &mut data,
            &|_, _| {},
        )?;
        Ok(data)
    }

    #[test]
    fn members_from_a_pipe_are_read_once_the_coverage_held() {
        let dir = tempfile::tempdir().unwrap();
        let (_, coverage) = extract_files(&dir, &[], &["M1,2025-01-01,".to_string()]);
        let pipe = dir.path().join("members.pipe");
        let made = std::process::Command::new("mkfifo").arg(&pipe).status();
        assert!(made.unwrap().success(), "mkfifo");
        let writer = {
            let pipe = pipe.clone();
            let text = "id,family_id,sex\nM1,F1,F\n";
            std::thread::spawn(move || std::fs::write(pipe, text).unwrap())
        };
        let claims = file(&dir, "claims.csv", CLAIMS);
        // Read on a thread of its own, so that a pipe opened twice fails the test rather than
        // waiting for ever.
        let (sender, read_data) = std::sync::mpsc::channel();
        {
            let (pipe, coverage) = (pipe.clone(), coverage.clone());
            std::thread::spawn(move || {
                let _ = sender.send(read(&pipe, Some(&coverage), &claims));
            });
        }
        let waited = std::time::Duration::from_secs(60);
        let data = read_data
            .recv_timeout(waited)
            .expect("read in time")
            .unwrap();
        writer.join().unwrap();
        assert_eq!((data.member_count(), data.claim_count()), (1, 3));
        let extracts = members_only(&pipe, &coverage);
        let pipe_cover = cover_of(extracts, &|_, _| {});
        assert!(
            matches!(pipe_cover, Ok(Cover::Held(_))),
            "a pipe's coverage held"
        );
        let extracts = members_only(&coverage, &coverage);
        let disk_cover = cover_of(extracts, &|_, _| {});
        assert!(
            matches!(disk_cover, Ok(Cover::Streamed(_))),
            "files on disk in step"
        );
    }

    #[test]
    fn line_feeds_are_counted_across_the_reads() {
        let dir = tempfile::tempdir().unwrap();
        let long = "x".repeat((1 << 20) - 1);
        // Blank lines (LF, CR LF) are not counted, nor a last line without its line feed; a
        // line may end in the next read.
        let text = format!("\n\r\na\r\n\r\nb\n{long}\r\n\nlast without one");
        assert_eq!(count_lines(&file(&dir, "lines.csv", &text)).unwrap(), 3);
        let blank = "\n".repeat(3 << 20);
        assert_eq!(count_lines(&file(&dir, "blank.csv", &blank)).unwrap(), 0);
        assert_eq!(count_lines(&file(&dir, "empty.csv", "")).unwrap(), 0);
        assert!(count_lines(&dir.path().join("absent.csv")).is_err());
    }

    #[test]
    fn the_same_study_whether_the_coverage_is_read_in_step_with_the_members_or_held() {
        // 300 members in id order, most with one to three periods, some with none, some
        // pending or inactive; M1 and M2 have claims.
        let members: Vec<String> = (0..300)
            .map(|i| {
                let status = ["active", "active", "pending", "inactive"][i % 4];
                let sex = ["M", "F"][i % 2];
                format!(
                    "M{i},F{},{sex},19{:02}-03-01,{status},2025-0{}-01",
                    i / 4,
                    i % 90,
                    1 + i % 9
                )
            })
            .collect();
        let mut coverage: Vec<String> = vec![];
        for i in (0..300).filter(|i| i % 7 != 3) {
            for part in 0..1 + i % 3 {
                let (start, end) = [("01-01", "03-31"), ("05-01", "06-30"), ("09-01", "")][part];
                coverage.push(format!(
                    "M{i},2025-{start},{}",
                    if end.is_empty() {
                        String::new()
                    } else {
                        format!("2025-{end}")
                    }
                ));
            }
        }
        // Member ids in the order of their bytes ("M10" before "M2"), as the registry's
        // exports sort them; the coverage likewise, each member's periods in file order.
        let mut in_order = members.clone();
        in_order.sort_by(|a, b| a.split(',').next().cmp(&b.split(',').next()));
        let mut cover_in_order = coverage.clone();
        cover_in_order.sort_by(|a, b| a.split(',').next().cmp(&b.split(',').next()));
        let in_step = studied(&in_order, &cover_in_order).unwrap();
        // In order, the members are read in step with the coverage, and as they are with the
        // coverage held; out of order, the stream stops.
        let dir = tempfile::tempdir().unwrap();
        let (members_file, cover_file) = extract_files(&dir, &in_order, &cover_in_order);
        let stepped = members_in_step(&members_file, &cover_file).unwrap();
        let extracts = members_only(&members_file, &cover_file);
        let held = read_members_holding_cover(
            extracts,
            &Places::default(),
            date("2025-12-31"),
            &|_, _| {},
        )
        .unwrap();
        assert_eq!(study_json(&stepped), study_json(&held));
        // Out of order, the coverage or the members: read again, the coverage held.
        let mut cover_reversed = cover_in_order.clone();
        cover_reversed.reverse();
        let mut members_reversed = in_order.clone();
        members_reversed.reverse();
        assert_eq!(studied(&in_order, &cover_reversed).unwrap(), in_step);
        assert_eq!(
            studied(&members_reversed, &cover_in_order).unwrap(),
            in_step
        );
        for (members, coverage) in [
            (&in_order, &cover_reversed),
            (&members_reversed, &cover_in_order),
        ] {
            let dir = tempfile::tempdir().unwrap();
            let (members, coverage) = extract_files(&dir, members, coverage);
            let stopped = members_in_step(&members, &coverage).unwrap_err();
            assert!(
                matches!(stopped, Stopped::Cover(Stop::OutOfOrder)),
                "{stopped:?}"
            );
        }
        assert_eq!(studied(&in_order, &coverage).unwrap(), in_step);
        assert!(in_step.contains("\"exposure\""), "a study with exposure");
    }

    #[test]
    fn cover_read_in_step_names_the_members_the_members_file_lacks_and_its_problems_come_first() {
        let members = [
            "M1,F1,X,1990-01-01,active,".to_string(),
            "M2,F1,F,1990-01-01,active,".to_string(),
        ];
        let coverage: Vec<String> = ["M0", "M0", "M1", "M15", "M2", "M3"]
            .iter()
            .map(|m| format!("{m},2025-01-01,"))
            .collect();
        let error = studied(&members, &coverage).unwrap_err();
        let lacking: Vec<usize> = [
            "line 2: member M0",
            "line 5: member M15",
            "line 7: member M3",
        ]
        .iter()
        .map(|text| {
            error
                .find(text)
                .unwrap_or_else(|| panic!("{text} not in {error}"))
        })
        .collect();
        assert!(lacking.is_sorted(), "{error}");
        assert!(error.contains("line 2, column sex: 'X'"), "{error}");
        assert!(
            !error.contains("member M1 is not") && !error.contains("line 3: member M0"),
            "{error}"
        );
        // A bad date far down the coverage, in order or not, comes before the members'
        // problems, as it would if the coverage were read alone first: their lines', or a
        // members file without its ids.
        let mut bad = coverage.clone();
        bad.push("M4,2025-02-30,".to_string());
        let dir = tempfile::tempdir().unwrap();
        let no_ids = file(&dir, "no_ids.csv", "member,sex\nM1,F\n");
        let claims = file(&dir, "claims.csv", CLAIMS);
        for cover in [bad.clone(), bad.iter().rev().cloned().collect()] {
            let error = studied(&members, &cover).unwrap_err();
            assert!(
                error.contains("coverage.csv") && error.contains("2025-02-30"),
                "{error}"
            );
            assert!(!error.contains("members.csv"), "{error}");
            let (_, cover) = extract_files(&dir, &members, &cover);
            let error = read(&no_ids, Some(&cover), &claims)
                .unwrap_err()
                .to_string();
            assert!(
                error.contains("2025-02-30") && !error.contains("no_ids"),
                "{error}"
            );
        }
        let (_, good) = extract_files(&dir, &members, &coverage);
        let error = read(&no_ids, Some(&good), &claims).unwrap_err().to_string();
        assert!(
            error.contains("no_ids.csv") && error.contains("'id'"),
            "{error}"
        );
    }

    #[test]
    fn cover_for_members_the_members_file_lacks_is_refused_in_line_order_and_a_bad_line_is_not_lacking()
     {
        let dir = tempfile::tempdir().unwrap();
        let members = file(&dir, "members.csv", "id,sex\nM1,X\nM2,F\n");
        let coverage = file(
            &dir,
            "coverage.csv",
            "member_id,start_date\nM9,2025-01-01\nM1,2025-01-01\nM8,2025-01-01\nM2,2025-01-01\n",
        );
        let claims = file(&dir, "claims.csv", CLAIMS);
        let error = read(&members, Some(&coverage), &claims)
            .unwrap_err()
            .to_string();
        let nine = error.find("coverage.csv: line 2: member M9 is not in the members file");
        let eight = error.find("coverage.csv: line 4: member M8 is not in the members file");
        assert!(nine.is_some() && eight.is_some() && nine < eight, "{error}");
        assert!(error.contains("line 2, column sex: 'X'"), "{error}");
        assert!(!error.contains("member M1 is not"), "{error}");
        // A member on a line that is not a record may be the one the coverage names: not said
        // to be missing from the file, only from what was read.
        let members = file(&dir, "members.csv", "id,sex\nM1,F\nM2,F,extra\n");
        let error = read(&members, Some(&coverage), &claims)
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("members.csv: line 3: has 3 fields"),
            "{error}"
        );
        assert!(
            error.contains("line 5: member M2 is not among the members read (lines of the members file are not records)"),
            "{error}"
        );
        assert!(!error.contains("not in the members file"), "{error}");
    }
}
