//! Studies and exports read from a hot standby (`--read-db`), made with `pg_basebackup` from
//! the primary the scheme runs on: they answer as the primary does, and still do once the
//! primary is stopped, so what they read came from the standby.

use super::{Cli, example};
use carepool_store_postgres::testing::Replicated;

#[test]
fn studies_and_exports_read_a_hot_standby() {
    let clusters = Replicated::start();
    let cli = Cli {
        db: clusters.primary_url.clone(),
        dir: tempfile::tempdir().unwrap(),
    };
    let year = ["--from", "2025-01-01", "--to", "2025-12-31"];
    cli.ok(&[
        &[
            "synth",
            "--scheme",
            &example("mutual/scheme.toml"),
            "--settings",
            &example("mutual/synth.toml"),
            "--families",
            "300",
            "--run-months",
        ][..],
        &year,
    ]
    .concat());
    let studies: Vec<Vec<&str>> = vec![
        vec!["export", "claims"],
        vec!["export", "members", "--raw"],
        vec!["ledger", "export"],
        [
            &["indicators", "--by", "quarter", "--out", "indicators.json"][..],
            &year,
        ]
        .concat(),
        [&["experience", "--out", "experience.json"][..], &year].concat(),
        vec![
            "reserve",
            "--valuation",
            "2025-12-31",
            "--out",
            "reserve.json",
        ],
        [
            &["providers", "benchmark", "--out", "benchmark.json"][..],
            &year,
        ]
        .concat(),
    ];
    let answer = |read_db: Option<&str>, study: &[&str]| {
        let flags = read_db.map_or(vec![], |url| vec!["--read-db", url]);
        let printed = cli.ok(&[&flags[..], study].concat());
        let written = study
            .iter()
            .position(|a| *a == "--out")
            .map(|at| std::fs::read_to_string(cli.dir.path().join(study[at + 1])).unwrap());
        (printed, written)
    };
    let from_primary: Vec<_> = studies.iter().map(|s| answer(None, s)).collect();
    assert!(from_primary[0].0.lines().count() > 300, "claims to export");

    clusters.wait_for_the_standby();
    clusters.stop_primary();
    let standby = clusters.standby_url.as_str();
    for (study, expected) in studies.iter().zip(&from_primary) {
        assert!(
            answer(Some(standby), study) == *expected,
            "{study:?} read from the standby differs from the primary's"
        );
    }
    let primary_gone = cli.fails(&["export", "claims"]);
    assert!(primary_gone.contains("PostgreSQL"), "{primary_gone}");

    // Only studies and exports read a replica, and a replica only.
    let refused = cli.fails(&["--read-db", standby, "claims", "adjudicate"]);
    assert!(
        refused.contains("--read-db is read by the studies"),
        "{refused}"
    );
    let refused = cli.fails(&["--read-db", "sqlite://copy.db", "export", "claims"]);
    assert!(refused.contains("PostgreSQL hot standby"), "{refused}");
}
