//! The `carepool` command as a user runs it: the examples load, imports are idempotent, bad files
//! are refused with file, line and column and change nothing, `--skip-bad` leaves a rejects file,
//! and the claims commands of the README's tour. Run against SQLite and PostgreSQL.

mod readme;
mod reform;
mod replica;

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
    /// carepool in the story's folder on its database, with nothing of the developer's
    /// environment that would change which database it opens.
    fn carepool(&self) -> Command {
        self.in_story(Command::new(env!("CARGO_BIN_EXE_carepool")))
    }

    /// `command` with the story's database and folder, as [`Cli::carepool`].
    fn in_story(&self, mut command: Command) -> Command {
        command
            .env("CAREPOOL_DB", &self.db)
            .env("CAREPOOL_LOG", "warn")
            .env_remove("CAREPOOL_READ_DB")
            .env_remove("CAREPOOL_CONFIG")
            .current_dir(self.dir.path());
        command
    }

    fn run(&self, args: &[&str]) -> Output {
        self.carepool().args(args).output().expect("run carepool")
    }

    /// carepool ARGS allowed to write no file past `kilobytes`, as on a disk that fills: the
    /// signal the limit sends is ignored, so that the write past it fails instead.
    fn with_files_limited(&self, kilobytes: u32, args: &[&str]) -> Output {
        let mut bash = Command::new("bash");
        bash.arg("-c")
            .arg(format!("trap '' XFSZ; ulimit -f {kilobytes}; exec \"$@\""))
            .arg("bash")
            .arg(env!("CARGO_BIN_EXE_carepool"))
            .args(args);
        self.in_story(bash).output().expect("run carepool")
    }

    /// Runs carepool with `input` on its standard input (not a terminal).
    fn with_input(&self, args: &[&str], input: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .carepool()
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run carepool");
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child.wait_with_output().expect("carepool ends")
    }

    /// `carepool ARGS | head -c 16`: the reader goes after the first bytes of a long output.
    fn cut_short(&self, args: &[&str]) -> Output {
        use std::io::Read;
        let mut child = self
            .carepool()
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("run carepool");
        let mut first = [0u8; 16];
        let mut stdout = child.stdout.take().unwrap();
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        child.wait_with_output().expect("carepool ends")
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
        assert!(out.contains(" new, 0 changed, 0 unchanged"), "{out}");
    }
    let everything = cli.export_all();
    for kind in KINDS {
        let out = cli.ok(&["import", kind, &example(&format!("mutual/{kind}.csv"))]);
        assert!(out.contains(": 0 new, 0 changed, "), "{out}");
    }
    assert_eq!(
        cli.export_all(),
        everything,
        "importing the same files twice changed the data"
    );

    // A register of grievances: refused whole, each bad line named by the file's column, then
    // filed whole once mended.
    let register = cli.dir.path().join("grievances.csv");
    let lines = [
        "category,description,filer,channel,filed_on,member_id,attachments",
        "exempt_charged,\"Asked to pay 500, though exempt\",M0002,phone,2025-11-20,M0002,scan-1;scan-2",
        "waiting_time,Waited all day,M0001,visit,2025-11-21,M9999,",
        "poor_treatment,Sent away,M0003,letter,2999-01-01,M0003,",
    ];
    std::fs::write(&register, lines.join("\n")).unwrap();
    let refused = cli.fails(&["grievances", "import", "grievances.csv"]);
    assert!(
        refused.contains("2 problem(s), nothing written"),
        "{refused}"
    );
    assert!(
        refused.contains("line 3, column member_id: unknown member 'M9999'"),
        "{refused}"
    );
    assert!(
        refused.contains("line 4, column filed_on: 2999-01-01 is after today"),
        "{refused}"
    );
    assert!(cli.ok(&["grievances", "list"]).contains("no grievance"));
    // Two days in one file, each day's numbers in the file's order, then after what is stored.
    let mended = [
        lines[0],
        lines[1],
        "waiting_time,Waited all day,M0001,visit,2025-11-21,M0001,",
        "poor_treatment,Sent away,M0003,letter,2025-11-20,M0003,",
    ];
    std::fs::write(&register, mended.join("\n")).unwrap();
    let filed = cli.ok(&["grievances", "import", "grievances.csv"]);
    assert!(
        filed.contains("3 grievance(s) filed (G-20251120-001, G-20251121-001, G-20251120-002)"),
        "{filed}"
    );
    std::fs::write(&register, mended[..2].join("\n")).unwrap();
    let again = cli.ok(&["grievances", "import", "grievances.csv"]);
    assert!(
        again.contains("1 grievance(s) filed (G-20251120-003)"),
        "{again}"
    );
    std::fs::write(&register, lines[0]).unwrap();
    let empty = cli.fails(&["grievances", "import", "grievances.csv"]);
    assert!(empty.contains("no grievance to file"), "{empty}");
    let shown = cli.ok(&["grievances", "show", "G-20251120-001", "--json"]);
    let shown: serde_json::Value = serde_json::from_str(&shown).unwrap();
    assert_eq!(shown["family_id"], serde_json::json!("F0001"));
    assert_eq!(shown["scheme"], serde_json::json!("mho-kb"));
    assert_eq!(
        shown["attachments"],
        serde_json::json!(["scan-1", "scan-2"])
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

    // A dry run says what an import would do and writes nothing, not even the rejects.
    let out = cli.ok(&["import", "members", &bad, "--skip-bad", "--dry-run"]);
    assert!(
        out.contains(
            "(dry run, nothing written): 1 new, 0 changed, 0 unchanged members, 1 rejected"
        ),
        "{out}"
    );
    assert!(
        out.contains("rejected: line 3, column family_id: unknown family 'F0404'"),
        "{out}"
    );
    assert!(!std::path::Path::new(&format!("{bad}.rejects.csv")).exists());
    assert_eq!(cli.export_all(), everything);
    // Saved by a spreadsheet on Windows (CR LF, a blank line), the file's problem is on the line
    // an editor shows it on.
    let windows = cli.dir.path().join("members-windows.csv");
    let text = std::fs::read_to_string(&bad).unwrap().replace('\n', "\r\n");
    std::fs::write(&windows, text.replacen("\r\nM0101", "\r\n\r\nM0101", 1)).unwrap();
    let windows = windows.display().to_string();
    let out = cli.ok(&["import", "members", &windows, "--skip-bad", "--dry-run"]);
    assert!(
        out.contains("rejected: line 4, column family_id: unknown family 'F0404'"),
        "{out}"
    );

    // With --skip-bad, a rejects file that cannot be made stops the import before it writes.
    let rejects_path = format!("{bad}.rejects.csv");
    std::fs::create_dir(&rejects_path).unwrap();
    let error = cli.fails(&["import", "members", &bad, "--skip-bad"]);
    assert!(error.contains(&rejects_path), "{error}");
    assert_eq!(cli.export_all(), everything, "nothing imported");
    std::fs::remove_dir(&rejects_path).unwrap();

    // With --skip-bad the good row goes in and the bad one to a rejects file, with its reason.
    let out = cli.ok(&["import", "members", &bad, "--skip-bad"]);
    assert!(
        out.contains("1 new, 0 changed, 0 unchanged members, 1 rejected"),
        "{out}"
    );
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
        rejects.contains("line 3, column family_id: unknown family 'F0404'"),
        "{rejects}"
    );
    // The rejects file is imported as it is, its reasons passed over: still bad, its line goes
    // to a rejects file of its own with the new reason in the same column; put right, it goes in.
    let again = cli.dir.path().join("members-again.csv");
    std::fs::write(&again, &rejects).unwrap();
    let again = again.display().to_string();
    // Nothing of it goes in: the summary is said, and the command fails for a script to see.
    let output = cli.run(&["import", "members", &again, "--skip-bad"]);
    assert!(!output.status.success(), "a file of which nothing went in");
    let out = String::from_utf8_lossy(&output.stdout);
    let error = String::from_utf8_lossy(&output.stderr);
    assert!(
        out.contains(": 0 new, 0 changed, 0 unchanged members, 1 rejected"),
        "{out}"
    );
    assert!(
        error.contains("members-again.csv: every row was rejected (1), nothing written"),
        "{error}"
    );
    let rejected_again = std::fs::read_to_string(format!("{again}.rejects.csv")).unwrap();
    let lines: Vec<&str> = rejected_again.lines().collect();
    assert_eq!(
        lines[0],
        rejects.lines().next().unwrap(),
        "one error column"
    );
    assert!(
        lines[1].ends_with(",\"line 2, column family_id: unknown family 'F0404'\""),
        "{rejected_again}"
    );
    // A file with its header and no rows says so, rather than a bare "0 new".
    let header_only = cli.dir.path().join("members-header-only.csv");
    std::fs::write(&header_only, rejects.lines().next().unwrap()).unwrap();
    let out = cli.ok(&["import", "members", &header_only.display().to_string()]);
    assert!(
        out.contains(": 0 new, 0 changed, 0 unchanged members (the file has a header and no rows)"),
        "{out}"
    );
    let put_right = cli.dir.path().join("members-put-right.csv");
    std::fs::write(&put_right, rejected_again.replace(",F0404,", ",F0001,")).unwrap();
    let out = cli.ok(&["import", "members", &put_right.display().to_string()]);
    assert!(
        out.contains(": 1 new, 0 changed, 0 unchanged members"),
        "{out}"
    );

    // A changed record is named with --verbose, and its history shows each version.
    let renamed = original.replacen("M0001,F0001,", "M0001,F0001,Renamed ", 1);
    assert_ne!(
        renamed, original,
        "the example's first member is M0001 of F0001"
    );
    let renamed_file = cli.dir.path().join("members-renamed.csv");
    std::fs::write(&renamed_file, &renamed).unwrap();
    let renamed_file = renamed_file.display().to_string();
    let out = cli.ok(&["import", "members", &renamed_file, "--dry-run", "--verbose"]);
    assert!(out.contains(": 0 new, 1 changed, "), "{out}");
    assert!(out.contains("  changed M0001\n"), "{out}");
    let out = cli.ok(&["import", "members", &renamed_file, "--verbose"]);
    assert!(out.contains("  changed M0001\n"), "{out}");
    let history = cli.ok(&["history", "members", "M0001"]);
    let actions: Vec<&str> = history
        .lines()
        .filter(|line| !line.starts_with("  "))
        .map(|line| line.split("  ").nth(2).unwrap_or_default())
        .collect();
    assert_eq!(actions, ["import", "import"], "{history}");
    assert!(history.contains("Renamed "), "{history}");
    let error = cli.fails(&["history", "coverage", "M0001"]);
    assert!(error.contains("member_id/start_date"), "{error}");

    // The family's standing, as the enrolment officer would ask for it.
    // In words by default, JSON for programs.
    let family = cli.ok(&["family", "F0003", "--as-of", "2025-06-01"]);
    assert!(
        family.starts_with("family F0003 (scheme mho-kb"),
        "{family}"
    );
    assert!(
        family.contains("suspended since 2025-04-15 for want of payment"),
        "{family}"
    );
    assert!(family.contains("arrears 2,000.00"), "{family}");
    let family = cli.ok(&["family", "F0003", "--as-of", "2025-06-01", "--json"]);
    let view: serde_json::Value = serde_json::from_str(&family).unwrap();
    assert_eq!(view["standing"]["arrears"], "2000.00");
    assert_eq!(view["standing"]["suspended_since"], "2025-04-15");
    let members: serde_json::Value =
        serde_json::from_str(&cli.ok(&["members", "--name", "M0001", "--json"])).unwrap();
    assert_eq!(members, serde_json::json!([]), "ids are not names");
    let found = cli.ok(&["members", "--name", "OUEDRAOGO"]);
    assert!(
        found.contains("M0005 ") && found.contains("Salif Ouédraogo"),
        "{found}"
    );
    assert!(
        found.contains("M0006 ") && found.ends_with("2 member(s)\n"),
        "{found}"
    );
    let found = cli.ok(&["members", "--name", "kaboré paul"]);
    assert!(found.starts_with("no member's name holds"), "{found}");
    let found = cli.ok(&["members", "--name", "paul kab"]);
    assert!(
        found.contains("M0009") && found.ends_with("1 member(s)\n"),
        "{found}"
    );

    // An export is safe to open in a spreadsheet: a name a spreadsheet would run is written as
    // text; --raw writes it as stored.
    let formula = cli.dir.path().join("formula.csv");
    std::fs::write(
        &formula,
        "id,family_id,name,relationship,sex,birth_date,national_id,categories,monthly_wage,status,status_since\n\
         M0102,F0001,=1+2,child,F,2021-01-01,,,,active,2025-01-10\n",
    )
    .unwrap();
    cli.ok(&["import", "members", &formula.display().to_string()]);
    let safe = cli.ok(&["export", "members"]);
    assert!(safe.contains("\nM0102,F0001,'=1+2,child,"), "{safe}");
    let raw = cli.ok(&["export", "members", "--raw"]);
    assert!(raw.contains("\nM0102,F0001,=1+2,child,"), "{raw}");

    // A spreadsheet user's round trip: the registry as XLSX, and back unchanged.
    for kind in KINDS {
        let file = format!("{kind}.xlsx");
        let out = cli.ok(&["export", kind, "--out", &file]);
        assert!(out.contains(&format!("{file}: ")), "{out}");
        let workbook = std::fs::read(cli.dir.path().join(&file)).unwrap();
        assert!(workbook.starts_with(b"PK"), "an XLSX file is a zip archive");
        let back = cli.ok(&["import", kind, &file]);
        assert!(back.contains(": 0 new, 0 changed, "), "{back}");
    }
    let error = cli.fails(&["export", "members", "--out", "members.txt"]);
    assert!(
        error.contains("members.txt: carepool reads and writes .csv and .xlsx files"),
        "{error}"
    );
    assert!(!cli.dir.path().join("members.txt").exists());
    let error = cli.fails(&["import", "members", "members.txt"]);
    assert!(
        error.contains("carepool reads and writes .csv and .xlsx files"),
        "{error}"
    );

    let error = cli.fails(&["export", "complaints"]);
    assert!(error.contains("unknown kind 'complaints'"), "{error}");
    let error = cli.fails(&["import", "claims", "claims.csv"]);
    assert!(error.contains("carepool claims import FILE"), "{error}");
    assert!(
        cli.ok(&["export", "claims"])
            .starts_with("id,provider_id,claim_number,member_id")
    );
}

/// The claims commands of the README's tour, on the example mutual.
fn claims_story(cli: Cli) {
    cli.ok(&["init", "--scheme", &example("mutual/scheme.toml")]);
    for kind in KINDS {
        cli.ok(&["import", kind, &example(&format!("mutual/{kind}.csv"))]);
    }
    let claims = example("mutual/claims.csv");
    let lines = example("mutual/claim_lines.csv");
    let out = cli.ok(&["claims", "import", &claims, "--lines", &lines]);
    assert!(
        out.contains("9 claim(s) received, 0 already received unchanged"),
        "{out}"
    );
    let out = cli.ok(&["claims", "import", &claims, "--lines", &lines]);
    assert!(
        out.contains("0 claim(s) received, 9 already received unchanged"),
        "{out}"
    );

    // Claim 0004 arrives on 5 September: a run on 1 August leaves it for later.
    let judged = cli.run(&["claims", "adjudicate", "--date", "2025-08-01"]);
    assert!(judged.status.success(), "{judged:?}");
    // Progress is for a terminal: nothing of it reaches a pipe or a log file.
    assert_eq!(String::from_utf8_lossy(&judged.stderr), "");
    let out = String::from_utf8(judged.stdout).unwrap();
    assert!(out.starts_with("8 claim(s) adjudicated: "), "{out}");
    assert!(
        out.contains("1 claim(s) received after the decision date wait"),
        "{out}"
    );
    assert!(out.contains("1 in_review"), "{out}");
    let out = cli.ok(&["claims", "show", "CHR-HD/H-0001"]);
    assert!(
        out.contains("claim CHR-HD/H-0001: partially_approved (member M0002, facility CHR-HD); amounts in XOF"),
        "{out}"
    );
    assert!(
        out.contains("[above_tariff] line 2: cut by 1,500.00: above tariff for service HOSP-DAY"),
        "{out}"
    );
    let queue = cli.ok(&["claims", "list", "--status", "in_review"]);
    assert!(
        queue.contains("CHR-HD/H-0004") && queue.ends_with("\n1 claim(s), amounts in XOF\n"),
        "{queue}"
    );
    assert!(queue.contains("duplicate_claim"), "{queue}");
    // H-0004 is the same stay as H-0001, sent again: paying it takes the reviewer's word.
    let adjust = [
        "claims",
        "review",
        "CHR-HD/H-0004",
        "--adjust",
        "5000",
        "--note",
        "one day too long",
        "--date",
        "2025-08-10",
    ];
    let error = cli.fails(&adjust);
    assert!(error.contains("probable duplicate"), "{error}");
    let out = cli.ok(&[
        "claims",
        "review",
        "CHR-HD/H-0004",
        "--reject",
        "--note",
        "same stay as H-0001",
        "--date",
        "2025-08-10",
    ]);
    assert!(out.contains("rejected"), "{out}");
    let error = cli.fails(&[
        "claims",
        "review",
        "CHR-HD/H-0004",
        "--approve",
        "--note",
        "again",
    ]);
    assert!(error.contains("not in review"), "{error}");
    // The daily questions: the review queue, a facility's claims, a district's, a period's.
    let queue = cli.ok(&["claims", "list", "--status", "in_review"]);
    assert_eq!(queue, "no claim matches\n", "decided");
    let listed = cli.ok(&["claims", "list", "--provider", "CHR-HD"]);
    assert!(
        listed.contains("CHR-HD/H-0004") && listed.contains("rejected"),
        "{listed}"
    );
    assert!(!listed.contains("CSPS-KB/"), "{listed}");
    let all = cli.ok(&["claims", "list"]);
    let in_period = cli.ok(&[
        "claims",
        "list",
        "--from",
        "2025-06-01",
        "--to",
        "2025-06-30",
    ]);
    assert!(
        in_period.lines().count() < all.lines().count(),
        "{in_period}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&cli.ok(&["claims", "list", "--status", "rejected", "--json"]))
            .unwrap();
    assert!(
        json.as_array()
            .unwrap()
            .iter()
            .all(|c| c["status"] == "rejected"),
        "{json}"
    );
    let koumbia = cli.ok(&["claims", "list", "--district", "KB"]);
    assert!(
        koumbia.contains("CSPS-KB/0001") && !koumbia.contains("CHR-HD/"),
        "{koumbia}"
    );
    let error = cli.fails(&["claims", "list", "--district", "NOWHERE"]);
    assert!(
        error.contains("--district: no district 'NOWHERE'"),
        "{error}"
    );
    let error = cli.fails(&["claims", "list", "--status", "waiting"]);
    assert!(
        error.contains("--status: 'waiting' is not one of"),
        "{error}"
    );

    // A payment run is proposed, then released; the machine's account may take both steps.
    let out = cli.ok(&["claims", "pay", "--period", "2025-08"]);
    assert!(
        out.contains("2025-08/provider/CHR-HD: 1 claim(s), 8,800.00 XOF to provider CHR-HD"),
        "{out}"
    );
    assert!(
        out.contains("payment run 2025-08/1 proposed by cli:"),
        "{out}"
    );
    assert!(
        out.contains("carepool claims pay --release 2025-08/1"),
        "{out}"
    );
    let out = cli.ok(&["claims", "pay", "--period", "2025-08"]);
    assert!(
        out.contains("period 2025-08: nothing due, no run proposed"),
        "{out}"
    );
    let error = cli.fails(&[
        "claims",
        "pay",
        "--period",
        "2025-08",
        "--date",
        "2025-09-05",
    ]);
    assert!(
        error.contains("--release"),
        "a date is the release's: {error}"
    );
    let out = cli.ok(&[
        "claims",
        "pay",
        "--release",
        "2025-08/1",
        "--date",
        "2025-09-05",
    ]);
    assert!(
        out.contains("payment run 2025-08/1 released by cli:"),
        "{out}"
    );
    assert!(
        out.contains("and paid on 2025-09-05: 3 claim(s), "),
        "{out}"
    );
    let error = cli.fails(&["claims", "pay", "--release", "2025-08/1"]);
    assert!(error.contains("already released"), "{error}");
    let out = cli.ok(&["claims", "adjudicate", "--date", "2025-09-05"]);
    assert!(out.starts_with("1 claim(s) adjudicated: "), "{out}");
    let cover: serde_json::Value = serde_json::from_str(&cli.ok(&[
        "claims",
        "cover",
        "M0002",
        "--date",
        "2025-08-01",
        "--json",
    ]))
    .unwrap();
    assert_eq!(cover["covered"], true);

    // A bad claims file is refused with its file, line and column, and changes nothing.
    let before = cli.ok(&["export", "claims"]);
    assert!(
        before.contains("CHR-HD/H-0001,CHR-HD,H-0001,M0002,F0001"),
        "{before}"
    );
    let bad = cli.dir.path().join("bad_claims.csv");
    std::fs::write(
        &bad,
        "claim_number,provider_id,member_id,visit_date,clinical_category,received_date,service_code,quantity,unit_price\n\
         9,CSPS-KB,M0001,2025-13-01,medical,2025-09-01,CONS,1,600\n",
    )
    .unwrap();
    let error = cli.fails(&["claims", "import", &bad.display().to_string()]);
    assert!(error.contains("bad_claims.csv"), "{error}");
    assert!(error.contains("line 2, column visit_date"), "{error}");
    assert_eq!(cli.ok(&["export", "claims"]), before);
}

/// `carepool synth` into the database gives what `--out` writes, passes every import check,
/// and runs month by month: every claim received by the last day judged, and facilities paid.
fn synth_story(cli: Cli) {
    let scheme = example("pip-inpatient.toml");
    let args = |extra: &[&str]| {
        let mut args = vec![
            "synth",
            "--scheme",
            &scheme,
            "--families",
            "1500",
            "--from",
            "2025-04-01",
            "--to",
            "2026-09-30",
            "--seed",
            "3",
        ];
        args.extend(extra);
        args.iter().map(|a| a.to_string()).collect::<Vec<String>>()
    };
    let run = |args: Vec<String>| cli.ok(&args.iter().map(String::as_str).collect::<Vec<_>>());
    let written = run(args(&["--out", "data"]));
    let mut said = written.lines();
    let described = said.next().unwrap_or_default();
    assert!(described.starts_with("data: 1,500 families"), "{written}");
    assert!(
        said.next().is_some_and(
            |truth| truth.contains("unreported_claims.csv") && truth.contains("behaviour.csv")
        ),
        "{written}"
    );
    let loaded = run(args(&["--run-months"]));
    assert!(
        loaded.contains(described.trim_start_matches("data: ").trim()),
        "{loaded}"
    );
    assert!(loaded.contains("claims judged month by month"), "{loaded}");

    let generated = std::fs::read_to_string(cli.dir.path().join("data/claims.csv")).unwrap();
    let claims = generated.lines().count() - 1;
    assert!(claims > 20, "{claims} claims");
    let exported = cli.ok(&["export", "claims"]);
    assert_eq!(exported.lines().count() - 1, claims);
    assert!(
        !exported.contains(",received,"),
        "every claim received was judged"
    );
    assert!(exported.contains(",paid,"), "{exported}");
    // Output longer than a pipe holds, read by one who stops early: a quiet end, status 0.
    for args in [&["export", "members"][..], &["audit"][..]] {
        let cut = cli.cut_short(args);
        assert!(cut.status.success(), "{args:?}: {cut:?}");
        assert_eq!(String::from_utf8_lossy(&cut.stderr), "", "{args:?}");
    }
    let payments = cli.ok(&["export", "payments"]);
    assert!(payments.lines().count() > 10, "{payments}");
    let members = std::fs::read_to_string(cli.dir.path().join("data/members.csv")).unwrap();
    assert_eq!(
        cli.ok(&["export", "members"]).lines().count(),
        members.lines().count()
    );
    // A workbook's rows wait in a file beside it; one that cannot be written (here past a limit
    // on a file's size, as on a full disk) stops the export with the file named, and nothing is
    // left in the folder.
    let folder = cli.dir.path().join("limited");
    std::fs::create_dir(&folder).unwrap();
    let refused = cli.with_files_limited(256, &["export", "members", "--out", "limited/m.xlsx"]);
    let said = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{said}");
    // The error alone: the library's panic, turned into it, is not printed as one.
    let error = said.trim_end();
    assert!(
        error.starts_with("error: cannot write limited/m.xlsx: the rows waiting beside it could not be written (is the disk full?): ")
            && error.contains("File too large")
            && error.lines().count() == 1,
        "{said}"
    );
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0, "{said}");
    reserve_story(&cli);
    experience_story(&cli);
}

/// The experience study on the synthetic scheme: the database and its exports (members,
/// coverage, claims, providers) give the same rates; every format is written; the study's cells
/// feed `carepool glm`; a bad extract is named with its line and nothing is written.
fn experience_story(cli: &Cli) {
    let read = |name: &str| std::fs::read_to_string(cli.dir.path().join(name)).unwrap();
    let json = |name: &str| serde_json::from_str::<serde_json::Value>(&read(name)).unwrap();
    // An extract ends on the last day it received a claim: the database's study to that day
    // is the same study.
    let exported = read("claims.csv");
    let mut rows = csv::Reader::from_reader(exported.as_bytes());
    let received = rows
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "received_date")
        .unwrap();
    let last_received = rows
        .records()
        .map(|row| row.unwrap()[received].to_string())
        .max()
        .unwrap();
    let period = ["--from", "2025-04-01", "--to", &last_received];
    let out = cli.ok(&[&["experience", "--out", "experience.json"][..], &period].concat());
    assert!(out.contains("member-years"), "{out}");
    for kind in ["members", "coverage", "providers", "families", "locations"] {
        cli.ok(&["export", kind, "--out", &format!("{kind}.csv")]);
    }
    cli.ok(&["export", "claims", "--out", "claims.csv"]);
    let extracts = [
        "experience",
        "--members",
        "members.csv",
        "--coverage",
        "coverage.csv",
        "--claims",
        "claims.csv",
        "--providers",
        "providers.csv",
        "--families",
        "families.csv",
        "--locations",
        "locations.csv",
        "--out",
        "extracts.json",
    ];
    cli.ok(&[&extracts[..], &period].concat());
    let (mut database, mut files) = (json("experience.json"), json("extracts.json"));
    // Recent months are completed as of where each source's data end: the database is known
    // until today, an extract until its last claim received; so the claims received by each
    // valuation differ, and the months are the same.
    for study in [&mut database, &mut files] {
        assert!(
            study["completion"]["months"].is_array(),
            "{}",
            study["notes"]
        );
        for line in study["base_table"].as_array_mut().unwrap() {
            assert!(line["completed"]["claims"].is_number(), "{line}");
            line.as_object_mut().unwrap().remove("completed");
        }
    }
    let months = |study: &serde_json::Value| {
        let months = study["completion"]["months"].as_array().unwrap();
        months
            .iter()
            .map(|m| m["month"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(months(&database), months(&files));
    for part in [
        "summary",
        "periods",
        "base_table",
        "relativities",
        "locations",
        "diagnostics",
        "glm",
    ] {
        assert_eq!(database[part], files[part], "{part}");
    }
    let summary = &database["summary"];
    assert!(summary["exposure"].as_f64().unwrap() > 1000.0, "{summary}");
    assert!(
        summary["pending_exposure"].as_f64().unwrap() > 0.0,
        "{summary}"
    );
    assert!(database["glm"]["frequency"]["coefficients"].is_array());
    let factors: Vec<&str> = database["relativities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["factor"].as_str().unwrap())
        .collect();
    assert_eq!(factors, ["age", "sex", "area", "duration"]);

    let written = cli.ok(&[&["experience", "--out", "experience.csv"][..], &period].concat());
    assert!(written.contains("experience.cells.csv"), "{written}");
    let glm = cli.ok(&[
        "glm",
        "--data",
        "experience.cells.csv",
        "--response",
        "claims",
        "--exposure",
        "exposure",
        "--factors",
        "sex,area",
        "--family",
        "poisson",
        "--base",
        "sex=M",
        "--out",
        "glm.json",
    ]);
    assert!(
        glm.contains("poisson GLM, log link: 3 coefficients"),
        "{glm}"
    );
    assert_eq!(json("glm.json")["coefficients"][1]["name"], "sex=F");
    // The study's own GLMs refitted from its cells, grouped by the GLMs' factors: the same
    // deviance and dispersion.
    let study = json("experience.json");
    let refit = |family: &str, response: &[&str], out: &str| {
        let args = [
            &["glm", "--data", "experience.cells.csv"][..],
            response,
            &[
                "--factors",
                "age,sex,area",
                "--family",
                family,
                "--group",
                "--out",
                out,
            ],
        ]
        .concat();
        cli.ok(&args);
        json(out)
    };
    let frequency = refit(
        "poisson",
        &["--response", "claims", "--exposure", "exposure"],
        "refit_frequency.json",
    );
    let severity = refit(
        "gamma",
        &["--response", "average_cost", "--weights", "claims"],
        "refit_severity.json",
    );
    let unweighted = cli.fails(&[
        "glm",
        "--data",
        "experience.cells.csv",
        "--response",
        "average_cost",
        "--factors",
        "age",
        "--family",
        "gamma",
        "--group",
        "--out",
        "bad.json",
    ]);
    assert!(
        unweighted.contains("--group without --weights"),
        "{unweighted}"
    );
    for (refitted, model) in [(&frequency, "frequency"), (&severity, "severity")] {
        let own = &study["glm"][model];
        for figure in ["deviance", "null_deviance", "dispersion"] {
            let (got, want) = (
                refitted[figure].as_f64().unwrap(),
                own[figure].as_f64().unwrap(),
            );
            assert!(
                (got - want).abs() <= 1e-8 * want.abs().max(1.0),
                "{model} {figure}: {got} refitted against the study's {want}"
            );
        }
        assert_eq!(refitted["df_residual"], own["df_residual"], "{model}");
    }
    cli.ok(&[&["experience", "--out", "experience.xlsx"][..], &period].concat());
    let workbook = std::fs::read(cli.dir.path().join("experience.xlsx")).unwrap();
    assert!(workbook.starts_with(b"PK"), "an XLSX file is a zip archive");
    cli.ok(&[
        &["experience", "--split", "month", "--out", "experience.html"][..],
        &period,
    ]
    .concat());
    assert!(read("experience.html").contains("Incidence relativity by age"));
    projection_from_experience_story(cli, &period);

    std::fs::write(
        cli.dir.path().join("bad_members.csv"),
        "id,sex,start_date\nM1,X,2025-01-01\n",
    )
    .unwrap();
    let error = cli.fails(&[
        "experience",
        "--members",
        "bad_members.csv",
        "--claims",
        "claims.csv",
        "--out",
        "bad.json",
    ]);
    assert!(
        error.contains("bad_members.csv: line 2, column sex: 'X' is not one of: F, M"),
        "{error}"
    );
    let error = cli.fails(
        &[
            &["experience", "--base", "sex=X", "--out", "bad.json"][..],
            &period,
        ]
        .concat(),
    );
    assert!(
        error.contains("sex: the base level 'X' is not one of F, M"),
        "{error}"
    );
    assert!(!cli.dir.path().join("bad.json").exists());
}

/// The projection takes its base table, date, relativities, mix and family size from the
/// study: from its JSON, or run on the database with the file's [experience]; both give the
/// same premium, and the report says where each input came from. What the study gives is left
/// out of the file.
fn projection_from_experience_story(cli: &Cli, period: &[&str]) {
    let read = |name: &str| std::fs::read_to_string(cli.dir.path().join(name)).unwrap();
    let json = |name: &str| serde_json::from_str::<serde_json::Value>(&read(name)).unwrap();
    let ahead = "[projection]\nstart = 2027-07-01\nyears = 3\n\n[trends]\nmedical_inflation = [0.05]\n\n[population]\nmembers = [5000, 5500, 6000]\n\n[loadings]\nexpenses = [0.12]\ninvestment_return = 0.03\n\n[[stress]]\nname = \"utilisation +10%\"\nutilisation = 0.1\n";
    let write = |name: &str, text: &str| std::fs::write(cli.dir.path().join(name), text).unwrap();
    write("ahead.toml", ahead);
    let out = cli.ok(&[
        "project",
        "--assumptions",
        "ahead.toml",
        "--experience",
        "experience.json",
        "--out",
        "from_study.json",
    ]);
    assert!(
        out.contains(&format!(
            "from the experience study (experience.json, {} to {}):",
            period[1], period[3]
        )),
        "{out}"
    );
    let projected = json("from_study.json");
    assert_eq!(
        projected["inputs"][2]["source"],
        "the study's frequency and severity GLMs"
    );
    let study = json("experience.json");
    let lines = study["base_table"].as_array().unwrap().len() - 1;
    assert_eq!(
        projected["base"]["carried_to_start"]["lines"]
            .as_array()
            .unwrap()
            .len(),
        lines
    );
    // The same study run on the database.
    let on_database = format!(
        "{ahead}\n[experience]\nfrom = {}\nto = {}\n",
        period[1], period[3]
    );
    write("ahead_db.toml", &on_database);
    cli.ok(&[
        "project",
        "--assumptions",
        "ahead_db.toml",
        "--experience",
        "db",
        "--out",
        "from_db.json",
    ]);
    let from_db = json("from_db.json");
    // The same figures (read back from JSON, a rate may differ in its last bit).
    for premium in ["level_premium_per_member", "level_premium_per_family"] {
        assert_eq!(from_db["base"][premium], projected["base"][premium]);
    }
    assert_eq!(from_db["base"]["reserve"], projected["base"]["reserve"]);
    assert_eq!(from_db["inputs"][1], projected["inputs"][1]);
    assert!(read("from_db.json").contains("the database"));
    cli.ok(&[
        "project",
        "--assumptions",
        "ahead.toml",
        "--experience",
        "experience.json",
        "--out",
        "from_study.html",
    ]);
    assert!(read("from_study.html").contains("Where each input came from"));
    // A study already run is not chosen again; what the study gives is not given twice.
    let error = cli.fails(&[
        "project",
        "--assumptions",
        "ahead_db.toml",
        "--experience",
        "experience.json",
        "--out",
        "bad.json",
    ]);
    assert!(
        error.contains("experience.from chooses a study to run on the database"),
        "{error}"
    );
    write(
        "twice.toml",
        &format!("{ahead}\n[base]\ndate = 2026-01-01\n"),
    );
    let error = cli.fails(&[
        "project",
        "--assumptions",
        "twice.toml",
        "--experience",
        "experience.json",
        "--out",
        "bad.json",
    ]);
    assert!(
        error.contains("at base.date: the experience study (experience.json) gives the base date"),
        "{error}"
    );
    assert!(!cli.dir.path().join("bad.json").exists());
}

/// Reserves on the synthetic scheme: the database and its claims export give the same study;
/// every output format is written; a bad triangle file is named with its line.
fn reserve_story(cli: &Cli) {
    let read = |name: &str| std::fs::read_to_string(cli.dir.path().join(name)).unwrap();
    let valued = ["--valuation", "2026-09-30", "--development", "paid"];
    let from_db = cli.ok(&[&["reserve", "--out", "db.json"][..], &valued].concat());
    assert!(from_db.contains("RBNP"), "{from_db}");
    cli.ok(&["export", "claims", "--out", "claims.csv"]);
    let from_file = cli.ok(&[
        &["reserve", "--claims", "claims.csv", "--out", "file.json"][..],
        &valued,
    ]
    .concat());
    // The same study; the database knows its currency, a file does not say it.
    assert!(from_db.contains(" development (INR): "), "{from_db}");
    assert_eq!(
        from_file,
        from_db
            .replace("db.json", "file.json")
            .replace(" (INR)", "")
    );
    assert_eq!(read("db.json"), read("file.json"));
    let study: serde_json::Value = serde_json::from_str(&read("db.json")).unwrap();
    assert_eq!(study["development"], "paid");
    assert_eq!(study["sigma_rule"], "mack");
    let total = &study["total"];
    // Amounts are decimal strings, to the cent.
    let amount = |name: &str| -> f64 { total[name].as_str().unwrap().parse().unwrap() };
    let (reserve, ibnr, rbnp) = (amount("reserve"), amount("ibnr"), amount("rbnp"));
    assert!((reserve - ibnr - rbnp).abs() <= 0.011, "{total}");
    assert!(amount("standard_error").is_finite());

    let out = cli.ok(&["reserve", "--origin", "month", "--out", "reserve.csv"]);
    assert!(out.contains("reserve.link_ratios.csv"), "{out}");
    assert!(
        read("reserve.csv").starts_with(
            "origin,latest,to ultimate,ultimate,reserve,ibnr,rbnp,standard error,cv\n"
        )
    );
    // For programs: the report on standard output, the command's own lines on standard error.
    let piped = cli.run(&[
        "reserve", "--origin", "month", "--out", "-", "--format", "csv",
    ]);
    assert!(piped.status.success());
    assert_eq!(
        String::from_utf8_lossy(&piped.stdout),
        read("reserve.csv"),
        "the main table, as the file has it"
    );
    assert!(String::from_utf8_lossy(&piped.stderr).contains("RBNP"));
    let piped = cli.run(&[&["reserve", "--out", "-"][..], &valued].concat());
    let from_stdout: serde_json::Value = serde_json::from_slice(&piped.stdout).unwrap();
    assert_eq!(from_stdout, study, "JSON by default");
    let error = cli.fails(&["reserve", "--out", "-", "--format", "xlsx"]);
    assert!(
        error.contains("standard output takes json or csv"),
        "{error}"
    );
    cli.ok(&[
        "reserve",
        "--method",
        "chain-ladder",
        "--out",
        "reserve.xlsx",
    ]);
    assert!(
        std::fs::metadata(cli.dir.path().join("reserve.xlsx"))
            .unwrap()
            .len()
            > 1000
    );
    cli.ok(&["reserve", "--out", "reserve.html"]);
    assert!(read("reserve.html").contains("Link ratios"));

    std::fs::write(
        cli.dir.path().join("triangle.csv"),
        "origin,development,value\n2024,0,10\n2024,1,oops\n",
    )
    .unwrap();
    let error = cli.fails(&["reserve", "--triangle", "triangle.csv", "--out", "t.json"]);
    assert!(
        error.contains("triangle.csv: line 3, column value: 'oops' is not a number"),
        "{error}"
    );
    let error = cli.fails(&[
        "reserve",
        "--method",
        "bf",
        "--loss-ratio",
        "0.8",
        "--out",
        "t.json",
    ]);
    assert!(
        error.contains("--exposure: this method needs the earned premium"),
        "{error}"
    );
    assert!(!cli.dir.path().join("t.json").exists());
}

/// Users and tokens from the command line: a password read from standard input and kept only
/// as an Argon2id hash, a facility user bound to a known facility, a district that must exist,
/// a token printed once and kept only as its SHA-256, and revocation.
fn users_story(cli: Cli) {
    cli.ok(&["init", "--scheme", &example("mutual/scheme.toml")]);
    for kind in ["locations", "providers"] {
        cli.ok(&["import", kind, &example(&format!("mutual/{kind}.csv"))]);
    }
    let password = "correct horse battery";
    let added = cli.with_input(
        &[
            "user",
            "add",
            "awa",
            "--role",
            "enrolment_officer",
            "--district",
            "HD",
        ],
        &format!("{password}\n"),
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&added.stdout),
        "user awa added as enrolment_officer\n"
    );
    let refused = cli.with_input(
        &["user", "add", "kofi", "--role", "facility"],
        &format!("{password}\n"),
    );
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("a facility user names its facility"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
    let unknown = cli.with_input(
        &[
            "user",
            "add",
            "kofi",
            "--role",
            "manager",
            "--district",
            "NOWHERE",
        ],
        &format!("{password}\n"),
    );
    assert!(
        String::from_utf8_lossy(&unknown.stderr).contains("unknown location 'NOWHERE'"),
        "{}",
        String::from_utf8_lossy(&unknown.stderr)
    );
    let short = cli.with_input(&["user", "add", "kofi", "--role", "manager"], "short\n");
    assert!(!short.status.success(), "a short password is refused");
    let facility = cli.with_input(
        &[
            "user",
            "add",
            "chr",
            "--role",
            "facility",
            "--provider",
            "CHR-HD",
        ],
        &format!("{password}\n"),
    );
    assert!(
        facility.status.success(),
        "{}",
        String::from_utf8_lossy(&facility.stderr)
    );
    let users = cli.ok(&["user", "list"]);
    assert_eq!(
        users,
        "awa\tenrolment_officer\tdistricts HD\tdefault language\tactive\nchr\tfacility\tfacility CHR-HD\tdefault language\tactive\n"
    );
    let exported = cli.ok(&["export", "members"]);
    assert!(!exported.contains(password));

    // A system's user: no password asked (nothing on standard input); it signs in by token
    // alone (a_user_signs_in_by_password_or_token_until_disabled).
    let scraper = cli.with_input(
        &["user", "add", "prom", "--role", "monitor", "--token-only"],
        "",
    );
    assert_eq!(
        String::from_utf8_lossy(&scraper.stdout),
        "user prom added as monitor\nsigns in by token only: carepool token create --user prom\n",
        "{}",
        String::from_utf8_lossy(&scraper.stderr)
    );

    let token = cli.ok(&["token", "create", "--user", "chr"]);
    let secret = token.lines().nth(1).unwrap().to_string();
    assert!(secret.starts_with("cp_") && secret.len() > 60, "{token}");
    let id = token.split_whitespace().nth(1).unwrap().to_string();
    if let Some(file) = cli.db.strip_prefix("sqlite://") {
        // The database file and its write-ahead log, byte for byte.
        for entry in std::fs::read_dir(cli.dir.path()).unwrap() {
            let path = entry.unwrap().path();
            if path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(file)
            {
                let stored = String::from_utf8_lossy(&std::fs::read(&path).unwrap()).to_string();
                assert!(
                    !stored.contains(&secret),
                    "the token is not stored in clear"
                );
                assert!(!stored.contains(password), "nor the password");
            }
        }
    }
    assert!(cli.ok(&["token", "revoke", &id]).contains("revoked"));
    assert!(
        cli.fails(&["token", "revoke", "nope"])
            .contains("no token with key nope")
    );

    let changed = cli.with_input(&["user", "password", "awa"], "another long password\n");
    assert!(
        changed.status.success(),
        "{}",
        String::from_utf8_lossy(&changed.stderr)
    );
    assert_eq!(
        cli.ok(&["user", "language", "awa", "fr"]),
        "the pages of awa are in fr\n"
    );
    assert!(
        cli.fails(&["user", "language", "awa", "xx"])
            .contains("the pages have no catalogue for xx: they speak en, fr")
    );
    assert!(
        cli.ok(&["user", "disable", "awa"])
            .starts_with("user awa disabled since ")
    );
    assert!(
        cli.ok(&["user", "list"])
            .contains("awa\tenrolment_officer\tdistricts HD\tfr\tdisabled since ")
    );
    assert!(
        cli.fails(&["token", "create", "--user", "awa"])
            .contains("user awa is disabled")
    );
    assert!(
        cli.fails(&["user", "disable", "nobody"])
            .contains("no user with key nobody")
    );

    // The trail: each change once, by the account that ran the command or the user named
    // with --as, and never a password or a token.
    assert!(
        cli.fails(&["--as", "awa", "token", "create", "--user", "chr"])
            .contains("--as awa: no active user of that name")
    );
    cli.ok(&["--as", "chr", "token", "create", "--user", "chr"]);
    let trail = |args: &[&str]| -> Vec<(String, String, String, String)> {
        let text = cli.ok(&[&["audit"], args].concat());
        csv::Reader::from_reader(text.as_bytes())
            .deserialize::<std::collections::HashMap<String, String>>()
            .map(|record| {
                let record = record.unwrap();
                let field = |name: &str| record[name].clone();
                (
                    field("actor"),
                    field("action"),
                    field("table_name"),
                    field("record_key"),
                )
            })
            .collect()
    };
    let users = trail(&["--table", "users"]);
    let actions: Vec<(&str, &str)> = users
        .iter()
        .map(|(_, action, _, key)| (action.as_str(), key.as_str()))
        .collect();
    assert_eq!(
        actions,
        [
            ("add_user", "awa"),
            ("add_user", "chr"),
            ("add_user", "prom"),
            ("set_password", "awa"),
            ("set_language", "awa"),
            ("disable_user", "awa")
        ]
    );
    assert!(
        users.iter().all(|(actor, ..)| actor.starts_with("cli:")),
        "{users:?}"
    );
    let tokens = trail(&["--table", "tokens"]);
    let token_actions: Vec<&str> = tokens
        .iter()
        .map(|(_, action, ..)| action.as_str())
        .collect();
    assert_eq!(
        token_actions,
        ["create_token", "revoke_token", "create_token"]
    );
    assert_eq!(tokens[2].0, "chr", "made --as chr");
    assert_eq!(trail(&["--user", "chr"]).len(), 1);
    let imports = trail(&["--table", "locations"]);
    let actions: Vec<(&str, &str)> = imports
        .iter()
        .map(|(_, action, _, key)| (action.as_str(), key.as_str()))
        .collect();
    assert_eq!(
        actions,
        [("import", ""), ("import_new", "")],
        "the import's own record and the keys of the locations it brought in"
    );
    let whole = cli.ok(&["audit"]);
    assert!(!whole.contains(password) && !whole.contains("argon2") && !whole.contains(&secret));
}

/// A mistyped `--db` names the missing file and makes no empty database; the commands that
/// load data make one.
#[test]
fn a_mistyped_database_is_not_made() {
    let cli = Cli {
        db: "sqlite://carepol.db".into(),
        dir: tempfile::tempdir().unwrap(),
    };
    for args in [
        &["family", "F1"][..],
        &["export", "members"][..],
        &["audit"][..],
    ] {
        let error = cli.fails(args);
        assert!(
            error.contains("there is no database at carepol.db"),
            "{args:?}: {error}"
        );
    }
    assert!(!cli.dir.path().join("carepol.db").exists());
    let scheme = example("pip-inpatient.toml");
    cli.ok(&["init", "--scheme", &scheme]);
    assert!(cli.dir.path().join("carepol.db").exists());
    cli.ok(&["export", "members"]);
}

#[test]
fn users_story_on_sqlite() {
    on_sqlite(users_story);
}

#[test]
fn users_story_on_postgres() {
    on_postgres(users_story);
}

#[test]
fn synth_story_on_sqlite() {
    on_sqlite(synth_story);
}

#[test]
fn synth_story_on_postgres() {
    on_postgres(synth_story);
}

/// The README's main job: the demo builds its own database, runs the scheme month by month,
/// and says where to look; running it again starts afresh.
#[test]
fn the_demo_builds_a_scheme_and_says_where_to_look() {
    let cli = Cli {
        db: "sqlite://unused.db".into(),
        dir: tempfile::tempdir().unwrap(),
    };
    let demo = [
        "demo",
        "--no-serve",
        "--families",
        "2000",
        "--to",
        "2026-06-30",
    ];
    let first = cli.ok(&demo);
    assert!(first.contains("2000 families"), "{first}");
    assert!(first.contains("claims judged month by month"), "{first}");
    // The users' passwords and tokens are drawn afresh on each run; everything else is the
    // scheme.
    let passwords = |output: &str| -> (String, Vec<String>) {
        let mut rest = String::new();
        let mut passwords = Vec::new();
        for line in output.lines() {
            match line.split_whitespace().collect::<Vec<_>>()[..] {
                [role, password, token]
                    if carepool_core::access::Role::parse("role", role).is_ok() =>
                {
                    assert!(token.starts_with("cp_") && token.len() == 67, "{line}");
                    rest.push_str(role);
                    passwords.push(password.to_string());
                }
                _ => rest.push_str(line),
            }
            rest.push('\n');
        }
        (rest, passwords)
    };
    let (scheme, first_passwords) = passwords(&first);
    assert_eq!(
        first_passwords.len(),
        carepool_core::access::Role::ALL.len(),
        "one user per role: {first}"
    );
    let (again, second_passwords) = passwords(&cli.ok(&demo));
    assert_eq!(
        again, scheme,
        "a second run starts afresh and gives the same scheme"
    );
    assert!(
        first_passwords
            .iter()
            .zip(&second_passwords)
            .all(|(a, b)| a != b && a.len() == 24),
        "fresh random passwords each run"
    );
    assert!(!cli.dir.path().join("unused.db").exists());
    let example = first
        .lines()
        .find_map(|l| {
            l.split_once("carepool --db sqlite://carepool-demo.db claims show ")
                .map(|(_, rest)| rest)
        })
        .and_then(|rest| rest.split_whitespace().next())
        .expect("an example claim");
    let shown = cli.ok(&[
        "--db",
        "sqlite://carepool-demo.db",
        "claims",
        "show",
        example,
    ]);
    assert!(shown.contains("cut by"), "{shown}");

    // The scheme has a medical review: its queue holds claims, and every hint runs as printed.
    let judged = first
        .lines()
        .find(|l| l.contains("claims judged month by month"))
        .unwrap();
    let in_review: u64 = judged
        .split(", ")
        .find_map(|part| {
            part.trim_start_matches(|c: char| !c.is_ascii_digit())
                .strip_suffix(" in_review")
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no claim in review: {judged}"));
    assert!(in_review > 0, "{judged}");
    let hints: Vec<Vec<&str>> = first
        .lines()
        .filter_map(|l| l.trim().split_once("carepool --db "))
        .map(|(_, rest)| {
            let command = rest.split("   (").next().unwrap();
            let mut args = vec!["--db"];
            args.extend(command.split_whitespace());
            args
        })
        .collect();
    assert!(hints.len() >= 8, "{first}");
    for hint in &hints {
        let output = cli.ok(hint);
        if hint.contains(&"in_review") {
            assert!(
                output.contains(&format!("\n{in_review} claim(s), amounts in ")),
                "{output}"
            );
        }
    }
}

/// Runs a story against a fresh SQLite file in a temporary working directory.
fn on_sqlite(story: fn(Cli)) {
    story(Cli {
        db: "sqlite://carepool.db".into(),
        dir: tempfile::tempdir().unwrap(),
    });
}

/// Runs a story against a fresh PostgreSQL database (a throwaway cluster, or DATABASE_URL's).
fn on_postgres(story: fn(Cli)) {
    let database = TestDatabase::create();
    story(Cli {
        db: database.url.clone(),
        dir: tempfile::tempdir().unwrap(),
    });
}

#[test]
fn claims_story_on_sqlite() {
    on_sqlite(claims_story);
}

#[test]
fn claims_story_on_postgres() {
    on_postgres(claims_story);
}

#[test]
fn command_line_story_on_sqlite() {
    on_sqlite(command_line_story);
}

#[test]
fn command_line_story_on_postgres() {
    on_postgres(command_line_story);
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

/// `carepool project` on the worked example: the figures docs/PROJECTION.md quotes, every
/// format, and a wrong assumption named with its place (no database is opened).
#[test]
fn the_worked_projection_runs_from_the_command_line() {
    let cli = Cli {
        db: "sqlite://unused.db".into(),
        dir: tempfile::tempdir().unwrap(),
    };
    let assumptions = example("projection/inpatient.toml");
    let out = cli.ok(&[
        "project",
        "--assumptions",
        &assumptions,
        "--out",
        "projection.json",
    ]);
    assert!(
        out.starts_with("level premium 312.50 per member (1,389.56 per family) over 3 years; stress tests 260.20 to 511.17 (1,156.98 to 2,272.97 per family)"),
        "{out}"
    );
    assert!(out.contains("; amounts in INR\n"), "{out}");
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(cli.dir.path().join("projection.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json["results"].as_array().unwrap().len(), 23);
    assert_eq!(json["base"]["years"].as_array().unwrap().len(), 5);
    let written = cli.ok(&["project", "--assumptions", &assumptions, "--out", "p.csv"]);
    assert!(written.contains("p.stress.csv"), "{written}");
    cli.ok(&["project", "--assumptions", &assumptions, "--out", "p.xlsx"]);
    cli.ok(&["project", "--assumptions", &assumptions, "--out", "p.html"]);
    let page = std::fs::read_to_string(cli.dir.path().join("p.html")).unwrap();
    assert!(page.contains("Stress tests: change of the level premium per family"));

    let bad = cli.dir.path().join("bad.toml");
    let text = std::fs::read_to_string(&assumptions)
        .unwrap()
        .replace("contingency = 0.02", "contingency = -0.02");
    std::fs::write(&bad, text).unwrap();
    let error = cli.fails(&[
        "project",
        "--assumptions",
        &bad.display().to_string(),
        "--out",
        "bad.json",
    ]);
    assert!(
        error.contains("contingency: -0.02 is out of range (0 to 10)"),
        "{error}"
    );
    assert!(!cli.dir.path().join("bad.json").exists());

    // The national costing: 2027 by hand: 20 million people, 30% covered, 42 a head
    // (32 + 6 + 4 on average), GDP 28 billion, revenue 0.6% of it.
    let costing = example("projection/national-costing.toml");
    let out = cli.ok(&["project", "--costing", &costing, "--out", "costing.json"]);
    assert!(
        out.starts_with("2027 to 2036: cost 252,000,000 (0.90% of GDP)"),
        "{out}"
    );
    assert!(out.contains("; amounts in GHS\n"), "{out}");
    let rows: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(cli.dir.path().join("costing.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 10);
    assert_eq!(
        rows[0]["financing_gap"], "84000000.00",
        "an amount: a decimal string"
    );
    assert_eq!(rows[0]["share_of_government_expenditure"], 0.05);
    cli.ok(&["project", "--costing", &costing, "--out", "costing.html"]);
    let error = cli.fails(&["project", "--out", "x.json"]);
    assert!(error.contains("--assumptions"), "{error}");
    // The environment's CAREPOOL_DB is nobody's mistake; a --db typed for a file study is.
    let error = cli.fails(&[
        "--db",
        "sqlite://other.db",
        "project",
        "--assumptions",
        &assumptions,
        "--out",
        "x.json",
    ]);
    assert!(
        error.contains("carepool project opens no database: --db not used"),
        "{error}"
    );
    assert!(!cli.dir.path().join("unused.db").exists());
}

/// No name, national id, birth date or diagnosis reaches the logs, at any level: a synthetic
/// mutual is imported, its claims received, judged, reviewed and paid, and a family shown, with
/// every log line on (`CAREPOOL_LOG=trace`); the log is searched for every member's name,
/// national id and birth date and every claim's diagnosis codes.
fn no_personal_data_in_the_logs(cli: Cli) {
    let mutual = examples().join("mutual");
    let scheme = mutual.join("scheme.toml").display().to_string();
    let settings = mutual.join("synth.toml").display().to_string();
    cli.ok(&[
        "synth",
        "--scheme",
        &scheme,
        "--settings",
        &settings,
        "--families",
        "150",
        "--from",
        "2025-01-01",
        "--to",
        "2025-06-30",
        "--seed",
        "7",
        "--out",
        "data",
    ]);
    let traced = |args: &[&str]| -> String {
        let output = Command::new(env!("CARGO_BIN_EXE_carepool"))
            .args(args)
            .env("CAREPOOL_DB", &cli.db)
            .env("CAREPOOL_LOG", "trace")
            .current_dir(cli.dir.path())
            .output()
            .expect("run carepool");
        let log = String::from_utf8_lossy(&output.stderr).to_string();
        assert!(output.status.success(), "carepool {args:?}: {log}");
        log
    };
    let mut log = traced(&["init", "--scheme", &scheme]);
    for kind in KINDS {
        log += &traced(&["import", kind, &format!("data/{kind}.csv")]);
    }
    log += &traced(&[
        "claims",
        "import",
        "data/claims.csv",
        "--lines",
        "data/claim_lines.csv",
    ]);
    log += &traced(&["claims", "adjudicate", "--date", "2025-07-31"]);
    log += &traced(&["claims", "pay", "--period", "2025-07"]);
    log += &traced(&[
        "claims",
        "pay",
        "--release",
        "2025-07/1",
        "--date",
        "2025-08-05",
    ]);
    log += &traced(&["history", "members", "M0000000101"]);
    log += &traced(&["family", "F00000001"]);
    // Every statement the database runs is logged, with its text.
    assert!(
        log.lines().count() > 50 && log.contains("db.statement"),
        "the logs at the trace level: {log}"
    );
    assert!(!log.contains('\u{1b}'), "no terminal colours in a log file");

    let read = |file: &str| csv::Reader::from_path(cli.dir.path().join("data").join(file)).unwrap();
    let mut personal: Vec<(String, &str)> = Vec::new();
    let mut members = read("members.csv");
    let header = members.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (name, national_id, birth_date) =
        (column("name"), column("national_id"), column("birth_date"));
    for member in members.records() {
        let member = member.unwrap();
        personal.push((member[name].to_string(), "name"));
        if !member[national_id].is_empty() {
            personal.push((member[national_id].to_string(), "national id"));
        }
        personal.push((member[birth_date].to_string(), "birth date"));
    }
    let mut claims = read("claims.csv");
    let diagnoses = claims
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "diagnosis_codes")
        .unwrap();
    for claim in claims.records() {
        for code in claim.unwrap()[diagnoses]
            .split(';')
            .filter(|c| !c.is_empty())
        {
            personal.push((code.to_string(), "diagnosis"));
        }
    }
    assert!(
        personal.iter().any(|(_, what)| *what == "diagnosis"),
        "the claims carry diagnoses"
    );
    for (value, what) in &personal {
        assert!(
            !log.contains(value.as_str()),
            "the {what} {value} is in the log:\n{}",
            log.lines()
                .filter(|l| l.contains(value.as_str()))
                .take(3)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}

#[test]
fn no_personal_data_in_the_logs_on_sqlite() {
    on_sqlite(no_personal_data_in_the_logs);
}

#[test]
fn no_personal_data_in_the_logs_on_postgres() {
    on_postgres(no_personal_data_in_the_logs);
}

/// The three example schemes against the standards, from their files: each point's verdict,
/// checked by hand against the files (docs/STANDARDS.md).
#[test]
fn the_example_schemes_stand_against_the_standards_as_their_packages_say() {
    let cli = Cli {
        db: "sqlite://unused.db".into(),
        dir: tempfile::tempdir().unwrap(),
    };
    let verdicts = |file: &str| -> Vec<String> {
        let out = cli.ok(&["standards", "--scheme", &example(file), "--out", "-"]);
        let json: serde_json::Value = serde_json::from_str(&out).unwrap();
        (json["points"].as_array().unwrap().iter())
            .map(|p| {
                let text = |key: &str| p[key].as_str().unwrap().to_string();
                format!(
                    "{} {} {}",
                    text("instrument"),
                    text("topic"),
                    text("verdict")
                )
            })
            .collect()
    };
    let untold = "cannot_tell";
    let expect = |list: [(&str, &str, &str); 14]| -> Vec<String> {
        list.iter()
            .map(|(i, t, v)| format!("{i} {t} {v}"))
            .collect()
    };
    let persons = [
        ("C102", "persons protected", untold),
        ("C130", "persons protected", untold),
        ("R202", "persons protected", untold),
    ];
    let with = |rest: [(&'static str, &'static str, &'static str); 11]| {
        let mut all = [("", "", ""); 14];
        all[..3].copy_from_slice(&persons);
        all[3..].copy_from_slice(&rest);
        expect(all)
    };
    // National health insurance: everything but its 270-day wait for maternity care.
    assert_eq!(
        verdicts("national-health-insurance.toml"),
        with([
            ("C102", "general practitioner care", "met"),
            ("C102", "specialist care", "met"),
            ("C102", "essential medicines", "met"),
            ("C102", "hospitalisation", "met"),
            ("C102", "maternity care", "met"),
            ("C102", "cost sharing", "met"),
            ("C102", "cost sharing", "met"),
            ("R202", "cost sharing", "met"),
            ("C102", "qualifying period", untold),
            ("R134", "qualifying period", "not_met"),
            ("C102", "duration", "met"),
        ])
    );
    // The inpatient programme: stays only, with annual limits.
    assert_eq!(
        verdicts("pip-inpatient.toml"),
        with([
            ("C102", "general practitioner care", "not_met"),
            ("C102", "specialist care", "not_met"),
            ("C102", "essential medicines", untold),
            ("C102", "hospitalisation", "met"),
            ("C102", "maternity care", "not_met"),
            ("C102", "cost sharing", "met"),
            ("C102", "cost sharing", "met"),
            ("R202", "cost sharing", "not_met"),
            ("C102", "qualifying period", "met"),
            ("R134", "qualifying period", "met"),
            ("C102", "duration", untold),
        ])
    );
    // The mutual: co-payments on primary and hospital care, which maternity claims may use,
    // the poor not exempt, a wait for maternity care, annual limits.
    assert_eq!(
        verdicts("mutual/scheme.toml"),
        with([
            ("C102", "general practitioner care", "met"),
            ("C102", "specialist care", "met"),
            ("C102", "essential medicines", untold),
            ("C102", "hospitalisation", "met"),
            ("C102", "maternity care", "met"),
            ("C102", "cost sharing", "not_met"),
            ("C102", "cost sharing", untold),
            ("R202", "cost sharing", "not_met"),
            ("C102", "qualifying period", untold),
            ("R134", "qualifying period", "not_met"),
            ("C102", "duration", untold),
        ])
    );
    // The coverage given: the mutual's 52% of its target.
    let out = cli.ok(&[
        "standards",
        "--scheme",
        &example("mutual/scheme.toml"),
        "--covered",
        "52",
        "--target",
        "100",
        "--out",
        "standards.html",
    ]);
    assert!(
        out.starts_with("mho-kb package mutual: 5 points met, 5 not met, 4 cannot tell"),
        "{out}"
    );
    let page = std::fs::read_to_string(cli.dir.path().join("standards.html")).unwrap();
    assert!(page.contains("52 of a target population of 100 covered (52.0%): below 75%"));
    let refused = cli.fails(&[
        "standards",
        "--scheme",
        &example("mutual/scheme.toml"),
        "--package",
        "gold",
        "--out",
        "-",
    ]);
    assert!(
        refused.contains("--package: no package 'gold' in the scheme; it has mutual"),
        "{refused}"
    );
}
