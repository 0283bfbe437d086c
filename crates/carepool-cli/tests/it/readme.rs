//! The README's tour, as a newcomer runs it: every `carepool` command of the README's code
//! blocks, in order, as written, in a fresh directory holding the repository's `examples/`, on a
//! fresh database. A command that fails, or a file it says it writes that is not there, fails
//! the test.

use crate::{Cli, examples};
use carepool_io::report::grouped;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::Stdio;

/// The README's commands, in order: the lines of its code blocks that start with `carepool `,
/// split as a shell would, without their comments. The set-up block's `scripts/` lines are
/// returned apart: `scripts/test.sh` is the suite this test belongs to, and `scripts/demo.sh`
/// builds a release and serves until stopped (its `carepool demo` has a test of its own).
fn readme_commands(readme: &str) -> (Vec<Vec<String>>, Vec<String>) {
    let (mut commands, mut scripts) = (Vec::new(), Vec::new());
    let mut in_block = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_block = !in_block;
            continue;
        }
        let line = line.trim();
        if !in_block {
            continue;
        }
        let without_comment = line.split(" # ").next().unwrap_or_default().trim();
        if without_comment.starts_with("carepool ") {
            let words = shlex::split(without_comment)
                .unwrap_or_else(|| panic!("the README's line cannot be split: {line}"));
            commands.push(words[1..].to_vec());
        } else if without_comment.starts_with("scripts/") {
            scripts.push(without_comment.to_string());
        }
    }
    (commands, scripts)
}

fn readme() -> String {
    std::fs::read_to_string(examples().join("../README.md")).expect("the README")
}

/// `carepool serve` as the README runs it, on a free port: it says where it listens and answers
/// there; then it is stopped as the README says, by the user (here, a kill).
fn serves(cli: &Cli, args: &[String]) {
    let mut args = args.to_vec();
    if let Some(at) = args.iter().position(|arg| arg == "--addr") {
        args[at + 1] = "127.0.0.1:0".into();
    }
    let mut server = cli
        .carepool()
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run carepool serve");
    let mut said = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut said)
        .unwrap();
    let address = said
        .split("http://")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or_else(|| panic!("serve did not say where it listens: {said:?}"));
    let mut connection = std::net::TcpStream::connect(address).unwrap();
    write!(
        connection,
        "GET /api/openapi.json HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut answer = String::new();
    connection.read_to_string(&mut answer).unwrap();
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:.200}");
}

fn tour(cli: Cli) {
    std::os::unix::fs::symlink(examples(), cli.dir.path().join("examples")).unwrap();
    let (commands, scripts) = readme_commands(&readme());
    assert_eq!(scripts, ["scripts/demo.sh", "scripts/test.sh"]);
    for script in scripts {
        let path = examples().join("..").join(script);
        assert!(path.exists(), "{}", path.display());
    }
    assert!(commands.len() > 30, "{commands:?}");
    for args in &commands {
        if args[0] == "serve" {
            serves(&cli, args);
            continue;
        }
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = cli.run(&args);
        assert!(
            output.status.success(),
            "carepool {}\n{}{}",
            args.join(" "),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        if let Some(at) = args.iter().position(|arg| *arg == "--out") {
            let written = cli.dir.path().join(args[at + 1]);
            assert!(
                written.exists() && !is_empty(&written),
                "carepool {}: {} was not written",
                args.join(" "),
                written.display()
            );
        }
    }
    // The figure the README quotes for the triangle example.
    let bf: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(cli.dir.path().join("bf.json")).unwrap())
            .unwrap();
    let ibnr: f64 = bf["total"]["ibnr"].as_str().unwrap().parse().unwrap();
    assert!(
        readme().contains(&format!("IBNR of {}", grouped(ibnr, 2))),
        "{ibnr}"
    );
}

fn is_empty(path: &Path) -> bool {
    if path.is_dir() {
        return std::fs::read_dir(path).unwrap().next().is_none();
    }
    std::fs::metadata(path).unwrap().len() == 0
}

#[test]
fn the_readme_commands_are_read_as_a_shell_reads_them() {
    let (commands, scripts) = readme_commands(
        "text\n```\nscripts/x.sh   # c\n```\nout\n```\ncarepool claims review A/1 --note \"same stay\"   # why\nerror: shown output\n```\n`carepool inline` is prose\n",
    );
    assert_eq!(scripts, ["scripts/x.sh"]);
    assert_eq!(
        commands,
        [["claims", "review", "A/1", "--note", "same stay"]]
    );
    assert_eq!(grouped(65411.2786, 2), "65,411.28");
    assert_eq!(grouped(411.0, 2), "411.00");
}

#[test]
fn the_readme_tour_runs_on_sqlite() {
    crate::on_sqlite(tour);
}

#[test]
fn the_readme_tour_runs_on_postgres() {
    crate::on_postgres(tour);
}
