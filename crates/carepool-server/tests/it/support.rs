use axum::body::Body;
use axum::http::{Request, StatusCode};
use carepool_schema::kinds::Kind;
use carepool_schema::with_record_type;
use carepool_service::{ImportMode, Registry};
use carepool_store::Store;
use carepool_store_postgres::PostgresStore;
use carepool_store_postgres::testing::TestDatabase;
use carepool_store_sqlite::SqliteStore;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tempfile::TempDir;
use tower::ServiceExt;

pub struct Harness {
    pub registry: Registry,
    pub store: Arc<dyn Store>,
    /// Files the test writes (CSV fixtures, the SQLite database).
    pub dir: TempDir,
    pub sqlite_file: Option<PathBuf>,
    postgres: Option<TestDatabase>,
}

impl Harness {
    pub async fn sqlite() -> Harness {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("carepool.db");
        let store: Arc<dyn Store> = Arc::new(
            SqliteStore::open(&format!("sqlite://{}", file.display()))
                .await
                .unwrap(),
        );
        Harness {
            registry: Registry::new(store.clone()),
            store,
            dir,
            sqlite_file: Some(file),
            postgres: None,
        }
    }

    pub async fn postgres() -> Harness {
        let database = TestDatabase::create();
        let store: Arc<dyn Store> = Arc::new(PostgresStore::open(&database.url).await.unwrap());
        let dir = tempfile::tempdir().unwrap();
        Harness {
            registry: Registry::new(store.clone()),
            store,
            dir,
            sqlite_file: None,
            postgres: Some(database),
        }
    }

    /// Runs `sql` on the database behind the store, as a hand-made migration would.
    pub async fn execute_behind_the_store(&self, sql: &'static str) {
        match (&self.sqlite_file, &self.postgres) {
            (Some(file), _) => {
                let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", file.display()))
                    .await
                    .unwrap();
                sqlx::query(sql).execute(&pool).await.unwrap();
                pool.close().await;
            }
            (None, Some(database)) => {
                let pool = sqlx::PgPool::connect(&database.url).await.unwrap();
                sqlx::query(sql).execute(&pool).await.unwrap();
                pool.close().await;
            }
            (None, None) => unreachable!("a harness has a database"),
        }
    }

    pub fn write(&self, name: &str, text: &str) -> PathBuf {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    pub async fn load_scheme(&self, path: &Path) -> carepool_service::LoadOutcome {
        let definition = carepool_io::read_scheme_file(path).unwrap();
        self.registry.load_scheme(definition).await.unwrap()
    }

    pub async fn import(
        &self,
        kind: &str,
        file: &Path,
    ) -> Result<carepool_io::ImportSummary, carepool_io::CsvError> {
        let kind = Kind::named(kind).unwrap();
        with_record_type!(kind, R => {
            carepool_io::import_file::<R>(&self.registry, file, ImportMode::AllOrNothing, &|_| {})
                .await
        })
    }

    pub async fn export(&self, kind: &str) -> String {
        let mut out = Vec::new();
        let kind = Kind::named(kind).unwrap();
        with_record_type!(kind, R => {
            carepool_io::export::<R>(&self.registry, &mut out, "test".as_ref()).await
        })
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Every table exported, for comparing the whole database before and after.
    pub async fn dump(&self) -> String {
        let mut dump = String::new();
        for kind in Kind::ALL {
            dump.push_str(&self.export(kind.name()).await);
        }
        for code in self.store.scheme_codes().await.unwrap() {
            for version in self.store.scheme_versions(&code).await.unwrap() {
                dump.push_str(&format!(
                    "{}:{}:{}\n",
                    version.code, version.effective_from, version.definition
                ));
            }
        }
        dump
    }

    /// One request through a new router of the API; the answer's status and JSON body.
    pub async fn call(&self, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
        call_app(
            carepool_server::router(self.registry.clone()),
            method,
            uri,
            body,
        )
        .await
    }
}

/// One request through `app` (a router shared by several requests, and so one claims intake);
/// the answer's status and JSON body.
pub async fn call_app(
    app: axum::Router,
    method: &str,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes).unwrap()
    };
    (status, json)
}

pub fn example(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(relative)
}

/// A small registry for the poverty-targeted programme ("pip" in examples/pip-inpatient.toml).
pub const LOCATIONS: &str = "code,name,kind,parent_code,area
P1,North,province,,
D1,Lakeside,district,P1,
V1,Fishers' village,village,D1,rural
V2,Market town,village,D1,urban
";

pub const PROVIDERS: &str = "code,name,ownership,level,location_code,empanelled_from,empanelled_to
H1,Lakeside district hospital,public,district_hospital,V2,2025-04-01,
H2,St Mary's clinic,private,health_centre,V1,2025-04-01,2026-03-31
";

pub const FAMILIES: &str = "id,scheme,location_code,poverty_score,household_id
F1,pip,V1,22.5,HH1
F2,pip,V2,35,HH2
F3,pip,V2,61,HH3
";

pub const MEMBERS: &str = "id,family_id,name,relationship,sex,birth_date,national_id,categories,monthly_wage,status,status_since
M1,F1,Ravi Kumar,head,M,1980-01-15,NID001,,,active,2025-04-01
M2,F1,Sita Kumar,spouse,F,1984-02-29,NID002,,,active,2025-04-01
M3,F1,Asha Kumar,child,F,2019-07-01,,,,pending,2025-04-01
M4,F2,Lata Devi,head,F,1975-05-05,NID004,,,active,2025-04-01
M5,F3,Arjun Rao,head,M,1970-03-03,NID005,,,active,2025-04-01
";

pub const COVERAGE: &str = "member_id,start_date,end_date,package
M1,2025-04-01,,inpatient
M2,2025-04-01,,inpatient
M3,2025-04-01,,
M4,2025-04-01,2026-03-31,inpatient
";

pub const CONTRIBUTIONS: &str = "receipt,family_id,payer,period_start,period_end,amount,paid_on
G-1,F1,government,2025-04-01,2026-03-31,750.00,2025-05-01
G-2,F2,government,2025-04-01,2026-03-31,750.00,2025-05-01
";

/// Writes and imports the whole small registry, in dependency order.
pub async fn load_registry(harness: &Harness) {
    harness.load_scheme(&example("pip-inpatient.toml")).await;
    for (kind, text) in [
        ("locations", LOCATIONS),
        ("providers", PROVIDERS),
        ("families", FAMILIES),
        ("members", MEMBERS),
        ("coverage", COVERAGE),
        ("contributions", CONTRIBUTIONS),
    ] {
        let file = harness.write(&format!("{kind}.csv"), text);
        harness
            .import(kind, &file)
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
}
