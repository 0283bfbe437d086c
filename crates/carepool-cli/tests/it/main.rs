//! The `carepool` command as a user runs it: the examples load, imports are idempotent, bad files
//! are refused with file, line and column and change nothing, `--skip-bad` leaves a rejects file.
//! Run against SQLite and PostgreSQL.

use carepool_store_postgres::testing::TestDatabase;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const KINDS: [&str; 6] = [
    "locations",
    "providers",
    "families",
    "members",
    "coverage",
    "contributions",
];

struct Cli {
    db: String,
    dir: tempfile::TempDir,
}

impl Cli {
    fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_carepool"))
            .args(args)
            .env("CAREPOOL_DB", &self.db)
            .env("CAREPOOL_LOG", "warn")
            .current_dir(self.dir.path())
            .output()
            .expect("run carepool")
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "carepool {args:?} failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).unwrap()
    }

    fn fails(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            !output.status.success(),
            "carepool {args:?} should have failed"
        );
        String::from_utf8(output.stderr).unwrap()
    }

    fn export_all(&self) -> String {
        KINDS
            .iter()
            .map(|kind| self.ok(&["export", kind]))
            .collect()
    }
}

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples")
}

fn example(relative: &str) -> String {
    examples().join(relative).display().to_string()
}

fn command_line_story(cli: Cli) {
    for scheme in [
        "pip-inpatient.toml",
        "national-health-insurance.toml",
        "mutual/scheme.toml",
    ] {
        assert!(
            cli.ok(&["init", "--scheme", &example(scheme)])
                .contains(": loaded")
        );
    }
    assert!(
        cli.ok(&["init", "--scheme", &example("mutual/scheme.toml")])
            .contains("already loaded, unchanged")
    );
    for kind in KINDS {
        let out = cli.ok(&["import", kind, &example(&format!("mutual/{kind}.csv"))]);
        assert!(out.contains(" written"), "{out}");
    }
    let everything = cli.export_all();
    for kind in KINDS {
        cli.ok(&["import", kind, &example(&format!("mutual/{kind}.csv"))]);
    }
    assert_eq!(
        cli.export_all(),
        everything,
        "importing the same files twice changed the data"
    );
    let exported = cli.ok(&["export", "members"]);
    let original = std::fs::read_to_string(examples().join("mutual/members.csv")).unwrap();
    assert_eq!(
        exported, original,
        "export gives back the imported members, in the same format"
    );

    // A bad file: every problem named, nothing written, a failing exit status.
    let bad = cli.dir.path().join("members-bad.csv");
    std::fs::write(
        &bad,
        "id,family_id,name,relationship,sex,birth_date,national_id,categories,monthly_wage,status,status_since\n\
         M0100,F0001,Good,child,F,2021-01-01,,,,active,2025-01-10\n\
         M0101,F0404,Lost,child,F,2021-01-01,,,,active,2025-01-10\n",
    )
    .unwrap();
    let bad = bad.display().to_string();
    let error = cli.fails(&["import", "members", &bad]);
    assert!(
        error.contains(&format!("{bad}: 1 problem(s), nothing written")),
        "{error}"
    );
    assert!(
        error.contains("line 3, column family_id: unknown family 'F0404'"),
        "{error}"
    );
    assert!(!error.contains("backtrace"), "{error}");
    assert_eq!(cli.export_all(), everything);

    // With --skip-bad the good row goes in and the bad one to a rejects file, with its reason.
    let out = cli.ok(&["import", "members", &bad, "--skip-bad"]);
    assert!(out.contains("1 members written, 1 rejected"), "{out}");
    let rejects = std::fs::read_to_string(format!("{bad}.rejects.csv")).unwrap();
    assert_eq!(rejects.lines().count(), 2, "{rejects}");
    assert!(
        rejects
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("M0101,F0404,Lost"),
        "{rejects}"
    );
    assert!(
        rejects.contains("family_id: unknown family 'F0404'"),
        "{rejects}"
    );

    // The family's standing, as the enrolment officer would ask for it.
    let family = cli.ok(&["family", "F0003", "--as-of", "2025-06-01"]);
    let view: serde_json::Value = serde_json::from_str(&family).unwrap();
    assert_eq!(view["standing"]["arrears"], "2000.00");
    assert_eq!(view["standing"]["suspended_since"], "2025-04-15");

    let error = cli.fails(&["export", "grievances"]);
    assert!(error.contains("unknown kind 'grievances'"), "{error}");
    let error = cli.fails(&["import", "claims", "claims.csv"]);
    assert!(error.contains("carepool claims import FILE"), "{error}");
    assert!(
        cli.ok(&["export", "claims"])
            .starts_with("id,provider_id,claim_number,member_id")
    );
}

#[test]
fn command_line_story_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    command_line_story(Cli {
        db: "sqlite://carepool.db".into(),
        dir,
    });
}

#[test]
fn command_line_story_on_postgres() {
    let database = TestDatabase::create();
    command_line_story(Cli {
        db: database.url.clone(),
        dir: tempfile::tempdir().unwrap(),
    });
}

#[test]
fn the_default_database_is_created_in_the_working_directory() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_carepool"))
        .args(["init", "--scheme", &example("pip-inpatient.toml")])
        .env_remove("CAREPOOL_DB")
        .env_remove("CAREPOOL_CONFIG")
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(dir.path().join("carepool.db").is_file());
}
