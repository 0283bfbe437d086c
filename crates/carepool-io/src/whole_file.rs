//! A file written whole or not at all. An export or the audit trail is written as it is read,
//! so a failure midway (the database gone, a record that cannot be read, a full disk) would
//! leave part of a table under the name asked for, which a user may take for the whole. Rows go
//! to a temporary file beside it instead (`.NAME.XXXXXX.part`, so the last step is a rename on
//! the same disk), which takes the name only once complete and on disk: a failure leaves no
//! file, and a file already under that name as it was. What is not a plain file (a named pipe,
//! `/dev/null`) cannot be replaced, and is written through.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// The directory `path` is in (`.` for a bare file name).
pub(crate) fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

pub struct WholeFile {
    written: Written,
    path: PathBuf,
}

enum Written {
    /// The temporary file, and where it goes once complete.
    Part { part: NamedTempFile, place: PathBuf },
    /// A device or a pipe, written through as `File::create` would.
    Through(File),
}

impl WholeFile {
    /// Opens the temporary file beside `path` (beside the file a link names: the link stays),
    /// with the permissions of the file it replaces, or those `File::create` would give.
    pub fn create(path: &Path) -> io::Result<WholeFile> {
        let a_directory = || io::Error::new(io::ErrorKind::IsADirectory, "it names a directory");
        if path.file_name().is_none() {
            return Err(a_directory());
        }
        let found = std::fs::metadata(path);
        let written = match &found {
            Ok(found) if found.is_dir() => return Err(a_directory()),
            Ok(found) if !found.is_file() => Written::Through(File::create(path)?),
            _ => {
                let place = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
                let part = part_beside(&place).map_err(without_part_name)?;
                if let Ok(found) = &found {
                    part.as_file().set_permissions(found.permissions())?;
                }
                Written::Part { part, place }
            }
        };
        Ok(WholeFile {
            written,
            path: path.to_path_buf(),
        })
    }

    /// The name asked for.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where to write (flush any buffer over it before [`complete`]).
    ///
    /// [`complete`]: WholeFile::complete
    pub fn file(&self) -> io::Result<File> {
        match &self.written {
            Written::Part { part, .. } => part.as_file().try_clone(),
            Written::Through(file) => file.try_clone(),
        }
    }

    /// Writes `path` whole or not at all, `write` filling the file: a failure of `write` or of
    /// the file leaves no file and any file already there as it was. The errors do not name
    /// `path`: the caller does.
    pub(crate) fn write_with<E: From<io::Error>>(
        path: &Path,
        write: impl FnOnce(&mut File) -> Result<(), E>,
    ) -> Result<(), E> {
        let whole = WholeFile::create(path)?;
        write(&mut whole.file()?)?;
        Ok(whole.complete()?)
    }

    /// Puts the written file on disk and gives it its name, replacing any file there. Dropped
    /// without this, the temporary file is removed.
    pub fn complete(self) -> io::Result<()> {
        match self.written {
            Written::Part { part, place } => {
                // On disk before it takes the name: a power cut must not leave an empty file there.
                part.as_file().sync_all()?;
                part.persist(place).map(drop).map_err(|failed| failed.error)
            }
            Written::Through(_) => Ok(()),
        }
    }
}

fn part_beside(place: &Path) -> io::Result<NamedTempFile> {
    let name = place.file_name().unwrap_or_default().to_string_lossy();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".part");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder.tempfile_in(directory_of(place))
}

/// tempfile's error names the temporary file (`... at path ".x.csv.Ab12Cd.part"`), which the
/// user never asked for: the caller names the file asked for instead.
fn without_part_name(error: io::Error) -> io::Error {
    let said = error.to_string();
    match said.rfind(" at path ") {
        Some(at) => io::Error::new(error.kind(), &said[..at]),
        None => error,
    }
}

/// The names in `dir`, sorted: what a test sees left there.
#[cfg(test)]
pub(crate) fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};

    #[test]
    fn the_file_takes_its_name_only_once_complete() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("members.csv");
        let whole = WholeFile::create(&path).unwrap();
        whole.file().unwrap().write_all(b"id\nM1\n").unwrap();
        let names = names_in(dir.path());
        assert_eq!(names.len(), 1);
        assert!(
            names[0].starts_with(".members.csv.") && names[0].ends_with(".part"),
            "{names:?}"
        );
        assert!(!path.exists());
        whole.complete().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "id\nM1\n");
        assert_eq!(names_in(dir.path()), ["members.csv"]);
    }

    #[test]
    fn a_file_never_completed_leaves_nothing_and_the_old_file_as_it_was() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("members.csv");
        std::fs::write(&path, "id\nM0\n").unwrap();
        let whole = WholeFile::create(&path).unwrap();
        whole.file().unwrap().write_all(b"id\nM1\n").unwrap();
        drop(whole);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "id\nM0\n");
        assert_eq!(names_in(dir.path()), ["members.csv"]);
    }

    #[test]
    fn a_file_completed_replaces_the_old_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("members.csv");
        std::fs::write(&path, "id\nM0\n").unwrap();
        let whole = WholeFile::create(&path).unwrap();
        whole.file().unwrap().write_all(b"id\nM1\n").unwrap();
        whole.complete().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "id\nM1\n");
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_permissions_file_create_gives_and_a_replaced_one_keeps_its_own() {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.csv");
        File::create(&plain).unwrap();
        let path = dir.path().join("members.csv");
        WholeFile::create(&path).unwrap().complete().unwrap();
        assert_eq!(mode(&path), mode(&plain));

        let private = dir.path().join("audit.csv");
        std::fs::write(&private, "old").unwrap();
        std::fs::set_permissions(&private, std::fs::Permissions::from_mode(0o600)).unwrap();
        WholeFile::create(&private).unwrap().complete().unwrap();
        assert_eq!(mode(&private), 0o600);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_stays_a_link_and_the_file_it_names_is_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let target = elsewhere.path().join("members.csv");
        std::fs::write(&target, "old").unwrap();
        let link = dir.path().join("latest.csv");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let whole = WholeFile::create(&link).unwrap();
        whole.file().unwrap().write_all(b"new").unwrap();
        whole.complete().unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(names_in(elsewhere.path()), ["members.csv"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_pipe_is_written_through_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("out.csv");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        assert!(made.unwrap().success());
        let (read, reading) = std::sync::mpsc::channel();
        let reader_end = fifo.clone();
        std::thread::spawn(move || {
            let mut text = String::new();
            File::open(reader_end)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            read.send(text).unwrap();
        });
        let whole = WholeFile::create(&fifo).unwrap();
        let mut file = whole.file().unwrap();
        file.write_all(b"id\nM1\n").unwrap();
        drop(file);
        whole.complete().unwrap();
        let text = reading.recv_timeout(std::time::Duration::from_secs(10));
        assert_eq!(text.unwrap(), "id\nM1\n");
        assert!(!std::fs::metadata(&fifo).unwrap().is_file());
    }

    #[test]
    fn a_directory_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let error = WholeFile::create(dir.path()).err().unwrap();
        assert_eq!(error.to_string(), "it names a directory");
        assert_eq!(names_in(dir.path()), Vec::<String>::new());
    }

    #[test]
    fn a_directory_that_does_not_exist_is_said_without_the_temporary_name() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("members.csv");
        let error = WholeFile::create(&path).err().unwrap();
        assert_eq!(error.kind(), io::ErrorKind::NotFound);
        assert_eq!(error.to_string(), "No such file or directory (os error 2)");
    }
}
