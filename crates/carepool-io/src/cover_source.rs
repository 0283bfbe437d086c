//! Where the members' periods of cover come from: the members file's own columns, or a
//! coverage file, read beside the members in step with them when both are on disk
//! (cover_stream.rs), else held whole (cover_file.rs). The coverage's problems come before
//! those of the other files, as if it were read alone first.

use crate::cover_file::CoverFile;
use crate::cover_stream::{CoverStream, Stop};
use crate::experience_files::{Extracts, tick};
use crate::sheet::{FileError, Sheet};
use carepool_actuarial::experience::CoverPeriod;
use std::path::Path;

pub(crate) fn on_disk(path: &Path) -> bool {
    path.metadata().is_ok_and(|file| file.is_file())
}

/// Where the members' cover comes from. Files on disk may be read twice: a coverage file
/// then is read beside the members, in step with them (cover_stream.rs). A pipe is read once:
/// the coverage held whole, read first. Either way its problems come first.
pub(crate) fn cover_of(
    extracts: Extracts,
    progress: &dyn Fn(&Path, u64),
) -> Result<Cover, FileError> {
    Ok(match extracts.coverage {
        Some(path) if on_disk(path) && on_disk(extracts.members) => {
            Cover::Streamed(stream_coverage(path)?)
        }
        Some(path) => Cover::Held(read_coverage(path, progress)?),
        None => Cover::Columns,
    })
}

/// The coverage file read on a thread of its own, to be taken in step with the members (its
/// progress is the members').
pub(crate) fn stream_coverage(path: &Path) -> Result<CoverStream, FileError> {
    let owned = path.to_path_buf();
    CoverStream::start(path, move |each| read_cover_lines(&owned, &|_, _| {}, each))
}

/// Where the members' periods of cover come from.
pub(crate) enum Cover {
    /// The members file's own columns.
    Columns,
    /// A coverage file read beside the members file.
    Streamed(CoverStream),
    /// A coverage file held whole (one not on disk, or not in member order).
    Held(CoverFile),
}

impl Cover {
    /// The member's periods, added to `periods`.
    pub fn take(&mut self, member: &str, periods: &mut Vec<CoverPeriod>) -> Result<(), Stop> {
        match self {
            Cover::Columns => Ok(()),
            Cover::Streamed(stream) => stream.take(member, periods),
            Cover::Held(held) => {
                held.take(member, periods);
                Ok(())
            }
        }
    }

    /// The members of coverage lines the members file lacks, each with its first line, in
    /// line order; the coverage's own problems first, if it has any.
    pub fn lacking(&mut self) -> Result<Vec<(u64, String)>, Stop> {
        match self {
            Cover::Columns => Ok(vec![]),
            Cover::Streamed(stream) => stream.rest(),
            Cover::Held(held) => Ok((held.not_taken().into_iter())
                .map(|(line, member)| (line, member.to_string()))
                .collect()),
        }
    }
}

/// The coverage file's problems, if it has any, when another file has its own: they come
/// first, as they would if the coverage were read alone before the others.
pub(crate) fn coverage_error(
    extracts: Extracts,
    cover: Cover,
    progress: &dyn Fn(&Path, u64),
) -> Option<FileError> {
    // A held coverage had none: it was read before the other files.
    let Cover::Streamed(stream) = cover else {
        return None;
    };
    match stream.verdict() {
        Ok(()) => None,
        Err(Stop::Failed(error)) => Some(error),
        Err(Stop::OutOfOrder) => {
            // Its problems only: nothing held.
            let path = extracts.coverage.expect("a coverage file read in step");
            read_cover_lines(path, progress, &mut |_, _, _| true).err()
        }
    }
}

/// The coverage file held whole.
pub(crate) fn read_coverage(
    path: &Path,
    progress: &dyn Fn(&Path, u64),
) -> Result<CoverFile, FileError> {
    let mut cover = CoverFile::new();
    read_cover_lines(path, progress, &mut |member, line, period| {
        cover.push(member, line, period);
        true
    })?;
    cover.finish_reading();
    Ok(cover)
}

/// Hands each line of a coverage file with no problem (its member, line and period) to `each`
/// while it says to go on; the file's problems, if any, at the end.
fn read_cover_lines(
    path: &Path,
    progress: &dyn Fn(&Path, u64),
    each: &mut dyn FnMut(&str, u64, CoverPeriod) -> bool,
) -> Result<(), FileError> {
    let mut sheet = Sheet::open(path)?;
    let member = sheet.required("member_id", "the member covered");
    let start = sheet.required("start_date", "the first day of cover");
    let end_column = sheet.column("end_date");
    let (Some(member), Some(start)) = (member, start) else {
        return Err(sheet.error());
    };
    while sheet.next()? {
        tick(&sheet, progress);
        let (Some(start), Ok(end)) = (sheet.date(start), sheet.optional_date(end_column)) else {
            continue;
        };
        if let (Some(column), Some(last)) = (end_column, end)
            && last < start
        {
            sheet.problem(
                column,
                format_args!("the cover ends before it starts ({start})"),
            );
            continue;
        }
        if !each(
            sheet.field(member),
            sheet.line(),
            CoverPeriod { start, end },
        ) {
            return Ok(());
        }
    }
    sheet.finish(())
}
