//! Configuration: defaults < a TOML file (`--config` or CAREPOOL_CONFIG) < CAREPOOL_* variables <
//! command-line flags. clap already resolves flags over variables; the file fills what is left.

use anyhow::{Context, Result};
use serde::Deserialize;
use std::fmt;
use std::path::Path;

pub const DEFAULT_DB: &str = "sqlite://carepool.db";

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    db: Option<String>,
    read_db: Option<String>,
    judge_ahead: Option<bool>,
    addr: Option<String>,
}

pub struct Config {
    pub db: String,
    /// A hot standby the studies and exports read from instead of `db`.
    pub read_db: Option<String>,
    /// Whether batch adjudication on PostgreSQL judges ahead of its locks.
    pub judge_ahead: bool,
    pub addr: Option<String>,
}

/// The database URL may hold a password: never print it.
impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("db", &"<hidden>")
            .field("read_db", &self.read_db.as_ref().map(|_| "<hidden>"))
            .field("addr", &self.addr)
            .finish()
    }
}

impl Config {
    pub fn resolve(
        file: Option<&Path>,
        db_from_flag_or_env: Option<String>,
        read_db_from_flag_or_env: Option<String>,
    ) -> Result<Config> {
        let from_file = match file {
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                toml::from_str(&text).with_context(|| format!("{}", path.display()))?
            }
            None => ConfigFile::default(),
        };
        Ok(Config {
            db: db_from_flag_or_env
                .or(from_file.db)
                .unwrap_or_else(|| DEFAULT_DB.to_string()),
            read_db: read_db_from_flag_or_env.or(from_file.read_db),
            judge_ahead: from_file.judge_ahead.unwrap_or(false),
            addr: from_file.addr,
        })
    }
}

impl Config {
    /// Judging ahead is on when `--judge-ahead`, `CAREPOOL_JUDGE_AHEAD` or the file's
    /// `judge_ahead` turns it on.
    pub fn judging_ahead(mut self, from_flag_or_env: bool) -> Config {
        self.judge_ahead |= from_flag_or_env;
        self
    }

    /// An explicit `--db` is the database meant: a read database set in the environment or the
    /// configuration file does not replace it (only one given as `--read-db` beside it does).
    pub fn with_flags(mut self, flags: &[&str]) -> Config {
        if flags.contains(&"--db") && !flags.contains(&"--read-db") {
            self.read_db = None;
        }
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_wins_over_the_file_and_the_file_over_the_default() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("carepool.toml");
        std::fs::write(
            &path,
            "db = \"sqlite://from-file.db\"\nread_db = \"postgres://standby/db\"\njudge_ahead = true\naddr = \"0.0.0.0:9000\"\n",
        )
        .unwrap();
        let from_file = Config::resolve(Some(&path), None, None).unwrap();
        assert_eq!(from_file.db, "sqlite://from-file.db");
        assert_eq!(from_file.read_db.as_deref(), Some("postgres://standby/db"));
        assert!(from_file.judge_ahead);
        assert_eq!(from_file.addr.as_deref(), Some("0.0.0.0:9000"));
        assert!(
            from_file.judging_ahead(false).judge_ahead,
            "either turns it on"
        );
        assert_eq!(
            Config::resolve(Some(&path), Some("sqlite://flag.db".into()), None)
                .unwrap()
                .db,
            "sqlite://flag.db"
        );
        let read_db_flag = Some("postgres://other/db".to_string());
        let flagged = Config::resolve(Some(&path), None, read_db_flag.clone()).unwrap();
        assert_eq!(flagged.read_db, read_db_flag);
        let default = Config::resolve(None, None, None).unwrap();
        assert!(!default.judge_ahead);
        assert_eq!((default.db.as_str(), default.read_db), (DEFAULT_DB, None));
        let flagged = Config::resolve(None, None, None)
            .unwrap()
            .judging_ahead(true);
        assert!(flagged.judge_ahead);
    }

    #[test]
    fn an_explicit_db_is_not_replaced_by_a_read_database_set_elsewhere() {
        let config = || Config {
            db: "postgres://primary/db".into(),
            read_db: Some("postgres://standby/db".into()),
            judge_ahead: false,
            addr: None,
        };
        assert_eq!(config().with_flags(&["--db"]).read_db, None);
        assert!(
            config()
                .with_flags(&["--db", "--read-db"])
                .read_db
                .is_some()
        );
        assert!(config().with_flags(&[]).read_db.is_some());
    }

    #[test]
    fn a_password_in_the_url_is_not_printed() {
        let config = Config {
            db: "postgres://u:secret@h/db".into(),
            read_db: Some("postgres://u:secret@standby/db".into()),
            judge_ahead: false,
            addr: None,
        };
        assert!(!format!("{config:?}").contains("secret"));
    }

    #[test]
    fn an_unknown_key_in_the_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("carepool.toml");
        std::fs::write(&path, "database = \"x\"\n").unwrap();
        let error = format!(
            "{:#}",
            Config::resolve(Some(&path), None, None).unwrap_err()
        );
        assert!(error.contains("database"), "{error}");
    }
}
