//! A file written whole or not at all. An export or the audit trail is written as it is read,
//! so a failure midway (the database gone, a record that cannot be read, a full disk) would
//! leave part of a table under the name asked for, which a user may take for the whole. Rows go
//! to a temporary file beside it instead (`.NAME.XXXXXX.part`, so the last step is a rename on
//! the same disk), which takes the name only once complete: a failure leaves no file, and a file
//! already under that name as it was.

use crate::registry_csv::CsvError;
use std::fs::File;
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// The directory `path` is in (`.` for a bare file name).
pub fn directory_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

pub struct WholeFile {
    part: NamedTempFile,
    path: PathBuf,
}

impl WholeFile {
    /// Opens the temporary file beside `path`, with the permissions `File::create` would give.
    pub fn create(path: &Path) -> Result<WholeFile, CsvError> {
        let cannot_create = |cause| CsvError::Write {
            path: path.to_path_buf(),
            cause,
        };
        let name = path.file_name().ok_or_else(|| {
            cannot_create(std::io::Error::other("it names a directory, not a file"))
        })?;
        let prefix = format!(".{}.", name.to_string_lossy());
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".part");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o666));
        }
        let part = builder
            .tempfile_in(directory_of(path))
            .map_err(cannot_create)?;
        Ok(WholeFile {
            part,
            path: path.to_path_buf(),
        })
    }

    /// Where to write: the temporary file (flush any buffer over it before [`complete`]).
    ///
    /// [`complete`]: WholeFile::complete
    pub fn file(&self) -> Result<File, CsvError> {
        self.part
            .as_file()
            .try_clone()
            .map_err(|cause| CsvError::Write {
                path: self.path.clone(),
                cause,
            })
    }

    /// Gives the written file its name, replacing any file there. Dropped without this, the
    /// temporary file is removed.
    pub fn complete(self) -> Result<(), CsvError> {
        self.part
            .persist(&self.path)
            .map(drop)
            .map_err(|failed| CsvError::Write {
                path: self.path,
                cause: failed.error,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn the_file_takes_its_name_only_once_complete() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("members.csv");
        let whole = WholeFile::create(&path).unwrap();
        whole.file().unwrap().write_all(b"id\nM1\n").unwrap();
        let names = entries(dir.path());
        assert_eq!(names.len(), 1);
        assert!(
            names[0].starts_with(".members.csv.") && names[0].ends_with(".part"),
            "{names:?}"
        );
        assert!(!path.exists());
        whole.complete().unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "id\nM1\n");
        assert_eq!(entries(dir.path()), ["members.csv"]);
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
        assert_eq!(entries(dir.path()), ["members.csv"]);
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
    fn the_file_gets_the_permissions_a_new_file_would() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("plain.csv");
        File::create(&plain).unwrap();
        let path = dir.path().join("members.csv");
        WholeFile::create(&path).unwrap().complete().unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode();
        assert_eq!(mode(&path), mode(&plain));
    }

    #[test]
    fn a_directory_that_does_not_exist_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing").join("members.csv");
        let error = WholeFile::create(&path).err().unwrap().to_string();
        assert!(
            error.starts_with(&format!("cannot write {}:", path.display())),
            "{error}"
        );
    }
}
