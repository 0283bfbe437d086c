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
    /// The server's options beyond the folder's socket, as `-c name=value` pairs.
    options: Vec<String>,
    autovacuum: bool,
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
        let cluster = Cluster::start_with(&[]);
        TestDatabase {
            url: cluster.url(),
            cleanup: Cleanup::Cluster(cluster),
        }
    }
}

impl TestDatabase {
    /// As [`TestDatabase::create`], with autovacuum off in a throwaway cluster, so that nothing
    /// but the test commits there (autovacuum's analyses do): see
    /// [`TestDatabase::nothing_else_commits`]. Under `DATABASE_URL`, the server as it is.
    pub fn without_autovacuum() -> TestDatabase {
        match std::env::var("DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => Self::in_server(admin_url),
            _ => {
                let cluster = Cluster::start_with(&["-c", "autovacuum=off"]);
                TestDatabase {
                    url: cluster.url(),
                    cleanup: Cleanup::Cluster(cluster),
                }
            }
        }
    }

    /// Whether nothing but the test commits on the database's server: a throwaway cluster of
    /// its own with autovacuum off.
    pub fn nothing_else_commits(&self) -> bool {
        matches!(&self.cleanup, Cleanup::Cluster(cluster) if !cluster.autovacuum)
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        // A cluster stops itself when dropped.
        if let Cleanup::DropDatabase { admin_url, name } = &self.cleanup {
            run_admin_sql(
                admin_url,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            );
        }
    }
}

/// A throwaway primary cluster and a hot standby streaming from it, both stopped and removed
/// when dropped: always throwaway clusters (a standby of `DATABASE_URL`'s server is not the
/// test's to make).
pub struct Replicated {
    /// The primary's database, where the test writes.
    pub primary_url: String,
    /// The same database on the standby, read only.
    pub standby_url: String,
    primary: Cluster,
    /// Kept for its `Drop`, which stops it.
    _standby: Cluster,
}

impl Replicated {
    pub fn start() -> Replicated {
        let primary = Cluster::start_with(&[]);
        let standby = Cluster::standby_of(&primary);
        Replicated {
            primary_url: primary.url(),
            standby_url: standby.url(),
            primary,
            _standby: standby,
        }
    }

    /// Waits (up to a minute) until the standby has replayed all the primary has written, up
    /// to its last record (commits without `synchronous_commit` may not be flushed yet).
    pub fn wait_for_the_standby(&self) {
        let written = admin_query(
            &self.primary_url,
            "SELECT pg_current_wal_insert_lsn()::text",
        );
        let replayed = format!("SELECT (pg_last_wal_replay_lsn() >= '{written}')::text");
        let give_up_at = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while admin_query(&self.standby_url, &replayed) != "true" {
            assert!(
                std::time::Instant::now() < give_up_at,
                "the standby did not replay up to {written} within a minute"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    }

    /// Stops the primary: whatever is read afterwards comes from the standby alone.
    pub fn stop_primary(&self) {
        self.primary.stop();
    }
}

/// Runs one statement on its own runtime, so that it works from `Drop` and outside async code.
fn run_admin_sql(admin_url: &str, statement: &str) {
    let (url, statement) = (admin_url.to_string(), statement.to_string());
    on_own_runtime(async move {
        sqlx::raw_sql(sqlx::AssertSqlSafe(statement))
            .execute(&mut connect(&url).await)
            .await
            .expect("admin statement");
    })
}

/// The first column of the first row `query` answers, as text, read on its own runtime.
fn admin_query(url: &str, query: &str) -> String {
    let (url, query) = (url.to_string(), query.to_string());
    on_own_runtime(async move {
        sqlx::query_scalar::<_, String>(sqlx::AssertSqlSafe(query))
            .fetch_one(&mut connect(&url).await)
            .await
            .expect("admin query")
    })
}

/// A connection to the server at `url`, for the harness's own statements.
async fn connect(url: &str) -> sqlx::PgConnection {
    use sqlx::Connection;
    sqlx::PgConnection::connect(url)
        .await
        .expect("connect to the test database server")
}

/// Runs `work` to its end on a runtime of its own, on a thread of its own.
fn on_own_runtime<T: Send + 'static>(
    work: impl std::future::Future<Output = T> + Send + 'static,
) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(work)
    })
    .join()
    .expect("the harness's thread")
}

impl Cluster {
    /// A new cluster (initdb), started with the tests' settings and `options`.
    fn start_with(options: &[&str]) -> Cluster {
        let mut cluster = Cluster::without_data();
        cluster
            .options
            .extend(options.iter().map(|o| o.to_string()));
        cluster.autovacuum = !options.contains(&"autovacuum=off");
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
        cluster.start_server();
        cluster
    }

    /// A hot standby of `primary`, copied from it by `pg_basebackup` and streaming its changes
    /// (`-R` writes the connection to the primary and the standby's signal file), started.
    fn standby_of(primary: &Cluster) -> Cluster {
        let mut standby = Cluster::without_data();
        standby.options = primary.options.clone();
        let primary_socket = primary.dir.path().display().to_string();
        standby.pg(
            "pg_basebackup",
            &[
                "-D",
                &standby.data(),
                "-h",
                &primary_socket,
                "-U",
                "postgres",
                "-X",
                "stream",
                "-R",
                "--no-sync",
            ],
        );
        standby.start_server();
        standby
    }

    /// A folder for a cluster, owned by the user that will run it, with no data yet.
    fn without_data() -> Cluster {
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
        Cluster {
            dir,
            run_as_postgres,
            bin,
            options: [
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ]
            .map(String::from)
            .to_vec(),
            autovacuum: true,
        }
    }

    /// Starts the server on a unix socket in the cluster's folder only, with its options
    /// (durability off, by default).
    fn start_server(&self) {
        let options = format!(
            "-k {} -c listen_addresses='' {}",
            self.dir.path().display(),
            self.options.join(" ")
        );
        let log = self.dir.path().join("server.log");
        self.pg(
            "pg_ctl",
            &[
                "-D",
                &self.data(),
                "-o",
                &options,
                "-l",
                &log.display().to_string(),
                "-w",
                "start",
            ],
        );
    }

    /// The URL of its `postgres` database.
    fn url(&self) -> String {
        format!(
            "postgres://postgres@localhost/postgres?host={}",
            self.dir.path().display()
        )
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

    /// Stops the server at once (best effort: twice is harmless).
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

/// A cluster's server stops with it, whatever ends the test: a server left running would hold
/// a folder that is removed under it.
impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
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

/// The directory holding initdb, pg_ctl and pg_basebackup: where the initdb on PATH really is
/// (a PATH may hold links to a few of them only), or Debian's PostgreSQL 15 location.
fn find_bin_dir() -> PathBuf {
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|p| std::env::split_paths(&p).collect::<Vec<_>>())
        .find(|dir| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file())
        .and_then(|dir| std::fs::canonicalize(dir.join("initdb")).ok())
        .and_then(|initdb| initdb.parent().map(Path::to_path_buf));
    let debian = Path::new("/usr/lib/postgresql/15/bin");
    on_path
        .or_else(|| debian.join("initdb").is_file().then(|| debian.to_path_buf()))
        .expect("PostgreSQL binaries (initdb, pg_ctl) not found on PATH or in /usr/lib/postgresql/15/bin; set DATABASE_URL to use a running server")
}
