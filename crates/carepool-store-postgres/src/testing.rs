//! A fresh PostgreSQL database for a test: in the server `DATABASE_URL` names when it is set,
//! otherwise in a throwaway cluster (initdb + pg_ctl into a temp dir, listening only on a unix
//! socket inside it), stopped and removed when the [`TestDatabase`] is dropped.
//!
//! As root, the cluster's commands run as the `postgres` user (PostgreSQL refuses to run as root).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering};
use tempfile::TempDir;

pub struct TestDatabase {
    /// The URL of the new, empty database.
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    Cluster(Cluster),
    DropDatabase { admin_url: String, name: String },
}

struct Cluster {
    dir: TempDir,
    run_as_postgres: bool,
    bin: PathBuf,
}

static NEXT: AtomicU32 = AtomicU32::new(0);

impl TestDatabase {
    /// Panics with the reason when no database can be had: a test that needs PostgreSQL must not
    /// pass silently without one.
    pub fn create() -> TestDatabase {
        match std::env::var("DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => Self::in_server(admin_url),
            _ => Self::in_throwaway_cluster(),
        }
    }

    fn in_server(admin_url: String) -> TestDatabase {
        let name = format!(
            "carepool_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        run_admin_sql(&admin_url, &format!("CREATE DATABASE {name}"));
        let (base, query) = admin_url
            .split_once('?')
            .map_or((admin_url.as_str(), ""), |(b, q)| (b, q));
        let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
        let url = if query.is_empty() {
            format!("{server}/{name}")
        } else {
            format!("{server}/{name}?{query}")
        };
        TestDatabase {
            url,
            cleanup: Cleanup::DropDatabase { admin_url, name },
        }
    }

    fn in_throwaway_cluster() -> TestDatabase {
        let cluster = Cluster::start();
        let url = format!(
            "postgres://postgres@localhost/postgres?host={}",
            cluster.dir.path().display()
        );
        TestDatabase {
            url,
            cleanup: Cleanup::Cluster(cluster),
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Cluster(cluster) => cluster.stop(),
            Cleanup::DropDatabase { admin_url, name } => run_admin_sql(
                admin_url,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            ),
        }
    }
}

/// Runs one statement on its own runtime, so that it works from `Drop` and outside async code.
fn run_admin_sql(admin_url: &str, statement: &str) {
    let admin_url = admin_url.to_string();
    let statement = statement.to_string();
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            use sqlx::Connection;
            let mut connection = sqlx::PgConnection::connect(&admin_url)
                .await
                .expect("connect to DATABASE_URL");
            sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
                .execute(&mut connection)
                .await
                .expect("admin statement");
        })
    })
    .join()
    .expect("admin statement thread");
}

impl Cluster {
    fn start() -> Cluster {
        let bin = find_bin_dir();
        let dir = tempfile::Builder::new()
            .prefix("carepool-pg-")
            .tempdir()
            .expect("temp dir for PostgreSQL");
        let run_as_postgres = is_root();
        if run_as_postgres {
            run(
                Command::new("chown")
                    .args(["-R", "postgres:"])
                    .arg(dir.path()),
                "chown the cluster dir",
            );
        }
        let cluster = Cluster {
            dir,
            run_as_postgres,
            bin,
        };
        let data = cluster.data();
        cluster.pg(
            "initdb",
            &[
                "-D",
                &data,
                "-U",
                "postgres",
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ],
        );
        let options = format!(
            "-k {} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
            cluster.dir.path().display()
        );
        let log = cluster.dir.path().join("server.log");
        cluster.pg(
            "pg_ctl",
            &[
                "-D",
                &data,
                "-o",
                &options,
                "-l",
                &log.display().to_string(),
                "-w",
                "start",
            ],
        );
        cluster
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn pg(&self, program: &str, args: &[&str]) {
        let program = self.bin.join(program);
        let mut command = if self.run_as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&program);
            c
        } else {
            Command::new(&program)
        };
        command.args(args).current_dir(self.dir.path());
        run(&mut command, &program.display().to_string());
    }

    fn stop(&self) {
        let data = self.data();
        let mut command = if self.run_as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"])
                .arg(self.bin.join("pg_ctl"));
            c
        } else {
            Command::new(self.bin.join("pg_ctl"))
        };
        // Best effort: the temp dir goes either way.
        let _ = command
            .args(["-D", &data, "-m", "immediate", "stop"])
            .current_dir(self.dir.path())
            .output();
    }
}

fn run(command: &mut Command, what: &str) {
    let output = command
        .output()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// The directory holding initdb and pg_ctl: on PATH, or Debian's PostgreSQL 15 location.
fn find_bin_dir() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file());
    let debian = Path::new("/usr/lib/postgresql/15/bin");
    on_path
        .or_else(|| debian.join("initdb").is_file().then(|| debian.to_path_buf()))
        .expect("PostgreSQL binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/15/bin; set DATABASE_URL to use a running server")
}
