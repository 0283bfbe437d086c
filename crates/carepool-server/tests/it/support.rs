use axum::body::Body;
use axum::http::{Request, StatusCode};
use carepool_core::access::Role;
use carepool_schema::access_tables::{USERS, UserRow};
use carepool_schema::kinds::Kind;
use carepool_schema::{Record, with_record_type};
use carepool_server::{Access, ServedRoute};
use carepool_service::{ImportMode, Registry};
use carepool_store::Store;
use carepool_store_postgres::PostgresStore;
use carepool_store_postgres::testing::TestDatabase;
use carepool_store_sqlite::SqliteStore;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::Mutex;
use tempfile::TempDir;
use tower::ServiceExt;

pub struct Harness {
    pub registry: Registry,
    pub store: Arc<dyn Store>,
    /// Files the test writes (CSV fixtures, the SQLite database).
    pub dir: TempDir,
    pub sqlite_file: Option<PathBuf>,
    postgres: Option<TestDatabase>,
    /// A token per role, made when first needed.
    tokens: Mutex<HashMap<Role, String>>,
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
            tokens: Mutex::default(),
        }
    }

    pub async fn postgres() -> Harness {
        let database = TestDatabase::without_autovacuum();
        // Batch runs judge ahead, as on SQLite, so that the stories prove it sound here too.
        let store = PostgresStore::open(&database.url).await.unwrap();
        let store: Arc<dyn Store> = Arc::new(store.judging_ahead(true));
        let dir = tempfile::tempdir().unwrap();
        Harness {
            registry: Registry::new(store.clone()),
            store,
            dir,
            sqlite_file: None,
            postgres: Some(database),
            tokens: Mutex::default(),
        }
    }

    /// Whether nothing but this test commits on its database server, as a test that counts
    /// the batches a run kept as judged ahead needs: SQLite's file, or a PostgreSQL cluster of
    /// the test's own (autovacuum off), not a server `DATABASE_URL` names.
    pub fn commits_alone(&self) -> bool {
        self.postgres
            .as_ref()
            .is_none_or(TestDatabase::nothing_else_commits)
    }

    /// The PostgreSQL database behind the store, if it is one.
    pub fn postgres_url(&self) -> Option<&str> {
        self.postgres.as_ref().map(|database| database.url.as_str())
    }

    /// Runs `sql` on the database behind the store, as a hand-made migration would.
    pub async fn execute_behind_the_store(&self, sql: &'static str) {
        self.try_execute_behind_the_store(sql).await.unwrap();
    }

    /// As [`Harness::execute_behind_the_store`]; the database's refusal as text.
    pub async fn try_execute_behind_the_store(&self, sql: &'static str) -> Result<(), String> {
        let done = match (&self.sqlite_file, &self.postgres) {
            (Some(file), _) => {
                let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", file.display()))
                    .await
                    .unwrap();
                let done = sqlx::query(sql).execute(&pool).await;
                pool.close().await;
                done.map(drop)
            }
            (None, Some(database)) => {
                let pool = sqlx::PgPool::connect(&database.url).await.unwrap();
                let done = sqlx::query(sql).execute(&pool).await;
                pool.close().await;
                done.map(drop)
            }
            (None, None) => unreachable!("a harness has a database"),
        };
        done.map_err(|e| e.to_string())
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
            carepool_io::import_file::<R>(&self.registry, file, ImportMode::AllOrNothing, &|_, _| {})
                .await
        })
    }

    /// The audit trail's records of `table`, oldest first.
    pub async fn trail_of(&self, table: &str) -> Vec<carepool_schema::audit_tables::AuditRow> {
        let filter = carepool_service::audit::AuditFilter {
            table: Some(table.into()),
            ..Default::default()
        };
        self.registry.audit_trail(&filter).await.unwrap()
    }

    pub async fn export(&self, kind: &str) -> String {
        export(&self.registry, kind).await
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

    /// One request through a new router of the API, signed in as a role that may make it; the
    /// answer's status and JSON body.
    pub async fn call(&self, method: &str, uri: &str, body: Option<Value>) -> (StatusCode, Value) {
        let token = self.token_for(method, uri).await;
        let app = carepool_server::router(self.registry.clone());
        call_app(app, token.as_deref(), method, uri, body).await
    }

    /// As [`Harness::call`], signed in as `role` (a facility user acts for `provider`).
    pub async fn call_as(
        &self,
        role: Role,
        method: &str,
        uri: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let token = self.token(role).await;
        let app = carepool_server::router(self.registry.clone());
        call_app(app, Some(&token), method, uri, body).await
    }

    /// A token of the first role (in `Role::ALL` order) that may make the request; none for an
    /// open route or a path the API does not serve.
    pub async fn token_for(&self, method: &str, uri: &str) -> Option<String> {
        match route_of(method, uri)?.access {
            Access::Open => None,
            Access::SignedIn | Access::AnyOf(_) => {
                let access = route_of(method, uri)?.access;
                let role = Role::ALL
                    .iter()
                    .copied()
                    .find(|&role| access.allows(role))?;
                Some(self.token(role).await)
            }
        }
    }

    /// The token of the harness's user of `role`, added the first time, named after the role; a
    /// facility user acts for `FACILITY`.
    pub async fn token(&self, role: Role) -> String {
        if let Some(token) = self.tokens.lock().unwrap().get(&role) {
            return token.clone();
        }
        let provider = role.is_facility().then(|| FACILITY.to_string());
        let token = self.user_token(role.as_str(), role, &[], provider).await;
        self.tokens.lock().unwrap().insert(role, token.clone());
        token
    }

    /// Adds a user who signs in by token only, and returns a token of theirs.
    pub async fn user_token(
        &self,
        name: &str,
        role: Role,
        districts: &[&str],
        provider: Option<String>,
    ) -> String {
        let user = UserRow {
            name: name.to_string(),
            role,
            districts: districts.iter().map(|d| d.to_string()).collect(),
            provider,
            // No password signs in as this user: a PHC string no password hashes to.
            password_hash: "$argon2id$v=19$m=19456,t=2,p=1$none$none".into(),
            created_on: self.registry.today(),
            disabled_on: None,
            language: None,
        };
        self.store
            .upsert(&USERS, &[user.into_row()], &|_| {})
            .await
            .unwrap();
        self.registry.create_token(name, None).await.unwrap().secret
    }
}

/// The facility the harness's facility user acts for (in the fixtures' registry).
pub const FACILITY: &str = "H1";

/// The API's route that serves `method uri`: segments equal, or any text for a `{parameter}`;
/// the route with the most literal segments when several match.
pub fn route_of(method: &str, uri: &str) -> Option<ServedRoute> {
    let path = uri.split('?').next().unwrap_or_default();
    let segments: Vec<&str> = path.split('/').collect();
    carepool_server::routes()
        .into_iter()
        .filter(|route| route.verb.as_str() == method)
        .filter_map(|route| {
            let pattern: Vec<&str> = route.path.split('/').collect();
            if pattern.len() != segments.len() {
                return None;
            }
            let mut literal = 0;
            for (p, s) in pattern.iter().zip(&segments) {
                if p.starts_with('{') {
                    continue;
                }
                if p != s {
                    return None;
                }
                literal += 1;
            }
            Some((literal, route))
        })
        .max_by_key(|(literal, _)| *literal)
        .map(|(_, route)| route)
}

/// One request through `app` (a router shared by several requests, and so one claims intake);
/// the answer's status and JSON body.
pub async fn call_app(
    app: axum::Router,
    token: Option<&str>,
    method: &str,
    uri: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json");
    if let Some(token) = token {
        request = request.header("authorization", format!("Bearer {token}"));
    }
    let request = request
        .body(body.map_or_else(Body::empty, |b| Body::from(b.to_string())))
        .unwrap();
    let response = app.oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    // A page answers HTML: its text, as a JSON string.
    let json = if bytes.is_empty() {
        Value::Null
    } else {
        serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()))
    };
    (status, json)
}

/// A browser at the pages: it keeps the cookies the server sets and sends them back, and reads
/// the pages' text.
pub struct Browser {
    app: axum::Router,
    cookies: std::collections::BTreeMap<String, String>,
}

/// A page as the browser got it.
pub struct Page {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub html: String,
    /// The body as sent (a download).
    pub bytes: Vec<u8>,
}

impl Page {
    /// Where a redirection sends the browser.
    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .map(|v| v.to_str().unwrap())
            .unwrap_or_default()
    }

    /// The value of the form field `name` (a hidden field's, say).
    pub fn field(&self, name: &str) -> String {
        let marker = format!("name=\"{name}\"");
        let at = self
            .html
            .find(&marker)
            .unwrap_or_else(|| panic!("no field {name} in {}", self.html));
        let tag = &self.html[at..at + self.html[at..].find('>').unwrap()];
        let value = tag
            .split_once("value=\"")
            .unwrap_or_else(|| panic!("field {name} has no value: {tag}"))
            .1;
        value.split('"').next().unwrap().to_string()
    }
}

impl Browser {
    pub fn new(registry: &Registry) -> Browser {
        Browser {
            app: carepool_server::router(registry.clone()),
            cookies: Default::default(),
        }
    }

    pub fn has_cookie(&self, name: &str) -> bool {
        self.cookies.contains_key(name)
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.send("GET", path, Body::empty(), None).await
    }

    /// Sends a form as a browser does (`application/x-www-form-urlencoded`).
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let kind = Some("application/x-www-form-urlencoded");
        self.send("POST", path, Body::from(body), kind).await
    }

    /// Opens the sign-in page and signs in; the page signing in led to.
    pub async fn sign_in(&mut self, name: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        let token = form.field("form_token");
        self.post(
            "/login",
            &[
                ("name", name),
                ("password", password),
                ("form_token", &token),
            ],
        )
        .await
    }

    async fn send(&mut self, method: &str, path: &str, body: Body, kind: Option<&str>) -> Page {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(kind) = kind {
            request = request.header("content-type", kind);
        }
        if !self.cookies.is_empty() {
            let cookies: Vec<String> = self
                .cookies
                .iter()
                .map(|(n, v)| format!("{n}={v}"))
                .collect();
            request = request.header("cookie", cookies.join("; "));
        }
        let response = self
            .app
            .clone()
            .oneshot(request.body(body).unwrap())
            .await
            .unwrap();
        for set in response.headers().get_all("set-cookie") {
            let text = set.to_str().unwrap();
            let (name, value) = text.split(';').next().unwrap().split_once('=').unwrap();
            if text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), value.to_string());
            }
        }
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        Page {
            status,
            headers,
            html: String::from_utf8_lossy(&bytes).into_owned(),
            bytes: bytes.to_vec(),
        }
    }
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

/// The small registry's files by kind, in dependency order.
pub const REGISTRY_FILES: [(&str, &str); 6] = [
    ("locations", LOCATIONS),
    ("providers", PROVIDERS),
    ("families", FAMILIES),
    ("members", MEMBERS),
    ("coverage", COVERAGE),
    ("contributions", CONTRIBUTIONS),
];

/// Writes and imports the whole small registry, in dependency order.
pub async fn load_registry(harness: &Harness) {
    load_registry_under(harness, &example("pip-inpatient.toml")).await;
}

/// The small registry, of the scheme the file `scheme` defines (a variant of pip-inpatient).
pub async fn load_registry_under(harness: &Harness, scheme: &Path) {
    harness.load_scheme(scheme).await;
    for (kind, text) in REGISTRY_FILES {
        let file = harness.write(&format!("{kind}.csv"), text);
        harness
            .import(kind, &file)
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
    }
}

/// A second district, Hills (D2), with a village (V3), a facility (H3) and a family (F9) of one
/// member (M9), added by national users through the API.
pub async fn add_the_hills(h: &Harness) {
    for (role, uri, body) in [
        (
            Role::Admin,
            "/api/locations",
            json!({ "code": "D2", "name": "Hills", "kind": "district", "parent_code": "P1", "area": null }),
        ),
        (
            Role::Admin,
            "/api/locations",
            json!({ "code": "V3", "name": "Hill village", "kind": "village", "parent_code": "D2", "area": "rural" }),
        ),
        (
            Role::Admin,
            "/api/providers",
            json!({ "code": "H3", "name": "Hill clinic", "ownership": "public", "level": "health_centre", "location_code": "V3", "empanelled_from": "2025-04-01", "empanelled_to": null }),
        ),
        (
            Role::EnrolmentOfficer,
            "/api/families",
            json!({ "id": "F9", "scheme": "pip", "location_code": "V3", "poverty_score": null, "household_id": null }),
        ),
        (
            Role::EnrolmentOfficer,
            "/api/members",
            json!({ "id": "M9", "family_id": "F9", "name": "Hill head", "relationship": "head", "sex": "F", "birth_date": "1980-01-01", "national_id": null, "categories": [], "monthly_wage": null, "status": "active", "status_since": "2025-04-01" }),
        ),
    ] {
        let (status, answer) = h.call_as(role, "POST", uri, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{uri}: {answer}");
    }
}

/// Every record of `kind` exported from `registry` as CSV.
pub async fn export(registry: &Registry, kind: &str) -> String {
    let mut out = Vec::new();
    let kind = Kind::named(kind).unwrap();
    with_record_type!(kind, R => {
        carepool_io::export::<R>(registry, &mut out, "test".as_ref(), carepool_io::Cells::Raw).await
    })
    .unwrap();
    String::from_utf8(out).unwrap()
}
