//! The test harness: each test spawns the real app on its own fresh database (a temp
//! SQLite file, or a new PostgreSQL database when `TEST_DATABASE_URL` is set) and talks
//! to it over HTTP.

#![allow(dead_code)]

pub mod bulk;
pub mod world;

use std::sync::Arc;

use actix_web::http::Method;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use samverkan::app::{self, AppState};
use samverkan::auth::TokenKeys;
use samverkan::config::Config;
use samverkan::db::Db;
use samverkan::secrets::Secret;
use serde_json::{Value, json};

pub const ADMIN_EMAIL: &str = "admin@test.samverkan.se";
pub const ADMIN_PASSWORD: &str = "admin-lösenord-för-test";
pub const JWT_SECRET: &str = "test-secret-that-is-at-least-32-bytes-long!";
pub const PASSWORD: &str = "ett-långt-lösenord-2026";

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs one async test body on SQLite and on PostgreSQL, as `name::sqlite` and
/// `name::postgres`.
#[macro_export]
macro_rules! db_test {
    ($(#[$meta:meta])* async fn $name:ident($app:ident) $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            $(#[$meta])*
            #[actix_web::test]
            async fn sqlite() {
                let $app = $crate::common::TestApp::spawn($crate::common::Backend::Sqlite)
                    .await
                    .expect("SQLite is always available");
                $body
            }

            $(#[$meta])*
            #[actix_web::test]
            async fn postgres() {
                let Some($app) = $crate::common::TestApp::spawn($crate::common::Backend::Postgres).await else {
                    return;
                };
                $body
            }
        }
    };
}

/// A running app on a fresh database.
pub struct TestApp {
    pub base: String,
    pub backend: Backend,
    pub db: Db,
    pub admin_token: String,
    client: awc::Client,
    // Declared last: dropped after the pool above has let go of the database.
    _database: FreshDatabase,
}

fn postgres_url() -> Option<String> {
    let url = std::env::var("TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty());
    if url.is_none() && std::env::var("SAMVERKAN_REQUIRE_POSTGRES").is_ok_and(|v| v == "1") {
        panic!("SAMVERKAN_REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set");
    }
    url
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let cut = base.rfind('/').expect("a database URL has a path");
    let mut out = format!("{}/{}", &base[..cut], name);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

/// A fresh, empty database, dropped again (PostgreSQL) or deleted (SQLite) at the end.
pub struct FreshDatabase {
    pub url: String,
    pub dir: tempfile::TempDir,
    pg: Option<(String, String)>,
}

impl FreshDatabase {
    /// `None` for PostgreSQL when `TEST_DATABASE_URL` is not set.
    pub fn new(backend: Backend) -> Option<Self> {
        let dir = tempfile::tempdir().expect("temp dir");
        Some(match backend {
            Backend::Sqlite => Self {
                url: format!("sqlite://{}", dir.path().join("test.db").display()),
                dir,
                pg: None,
            },
            Backend::Postgres => {
                let admin_url = postgres_url()?;
                let name = format!("samverkan_test_{}", uuid::Uuid::now_v7().simple());
                let mut conn =
                    PgConnection::establish(&admin_url).expect("connect to TEST_DATABASE_URL");
                conn.batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create a test database");
                Self {
                    url: replace_database(&admin_url, &name),
                    dir,
                    pg: Some((admin_url, name)),
                }
            }
        })
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = self.pg.take()
            && let Ok(mut conn) = PgConnection::establish(&admin_url)
        {
            let _ = conn.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    }
}

impl TestApp {
    /// Spawns the app; `None` for PostgreSQL when `TEST_DATABASE_URL` is not set.
    pub async fn spawn(backend: Backend) -> Option<Self> {
        let fresh = FreshDatabase::new(backend)?;
        let database_url = fresh.url.clone();
        let dir = &fresh.dir;
        let config = Config::from_lookup(|name| match name {
            "DATABASE_URL" => Some(database_url.clone()),
            "SAMVERKAN_DATA_DIR" => Some(dir.path().display().to_string()),
            "SAMVERKAN_JWT_SECRET" => Some(JWT_SECRET.into()),
            "SAMVERKAN_ADMIN_EMAIL" => Some(ADMIN_EMAIL.into()),
            "SAMVERKAN_ADMIN_PASSWORD" => Some(ADMIN_PASSWORD.into()),
            "SAMVERKAN_CORS_ORIGINS" => Some("https://app.samverkan.test".into()),
            _ => None,
        })
        .expect("test config");
        let db = Db::connect(config.database_url.expose()).expect("connect");
        db.migrate().expect("migrate");
        let setup_db = db.clone();
        let setup_config = config.clone();
        actix_web::web::block(move || {
            samverkan::setup::ensure_first_admin(&setup_db, &setup_config)
        })
        .await
        .expect("block")
        .expect("first admin");
        let state = AppState {
            db: db.clone(),
            keys: Arc::new(TokenKeys::new(&Secret::new(JWT_SECRET))),
            cors_origins: config.cors_origins.clone(),
        };
        let server = actix_web::HttpServer::new(move || app::build(state.clone()))
            .workers(1)
            .bind("127.0.0.1:0")
            .expect("bind");
        let addr = server.addrs()[0];
        actix_web::rt::spawn(server.run());
        let client = awc::Client::builder()
            .timeout(std::time::Duration::from_secs(60))
            .finish();
        let mut app = Self {
            base: format!("http://{addr}"),
            backend,
            db,
            admin_token: String::new(),
            client,
            _database: fresh,
        };
        app.admin_token = app.sign_in(ADMIN_EMAIL, ADMIN_PASSWORD).await;
        Some(app)
    }

    /// A request builder for `path` (relative to the server root).
    pub fn req(&self, method: Method, path: &str) -> Req<'_> {
        Req {
            app: self,
            method,
            path: path.to_string(),
            token: None,
            headers: Vec::new(),
            body: None,
        }
    }

    pub fn get(&self, path: &str) -> Req<'_> {
        self.req(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Req<'_> {
        self.req(Method::POST, path)
    }

    pub fn patch(&self, path: &str) -> Req<'_> {
        self.req(Method::PATCH, path)
    }

    pub fn put(&self, path: &str) -> Req<'_> {
        self.req(Method::PUT, path)
    }

    pub fn delete(&self, path: &str) -> Req<'_> {
        self.req(Method::DELETE, path)
    }

    /// Signs in and returns the access token; panics unless it works.
    pub async fn sign_in(&self, email: &str, password: &str) -> String {
        let res = self
            .post("/api/v1/auth/token")
            .json(json!({"email": email, "password": password}))
            .send()
            .await;
        assert_eq!(res.status, 200, "sign-in of {email} failed: {}", res.text);
        res.json["access_token"].as_str().unwrap().to_string()
    }

    /// Creates an organization as admin; returns its id.
    pub async fn organization(&self, name: &str, kind: &str) -> String {
        let res = self
            .post("/api/v1/organizations")
            .token(&self.admin_token)
            .json(json!({"name": name, "kind": kind}))
            .send()
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        res.id()
    }

    /// Creates a user as admin and signs them in; returns (user json, access token).
    pub async fn user(&self, email: &str, organization_id: Option<&str>) -> (Value, String) {
        let res = self
            .post("/api/v1/users")
            .token(&self.admin_token)
            .json(json!({
                "email": email,
                "display_name": email.split('@').next().unwrap(),
                "organization_id": organization_id,
                "password": PASSWORD,
            }))
            .send()
            .await;
        assert_eq!(res.status, 201, "{}", res.text);
        let token = self.sign_in(email, PASSWORD).await;
        (res.json, token)
    }
}

/// A request being built.
pub struct Req<'a> {
    app: &'a TestApp,
    method: Method,
    path: String,
    token: Option<String>,
    headers: Vec<(String, String)>,
    body: Option<(String, Vec<u8>)>,
}

impl Req<'_> {
    pub fn token(mut self, token: &str) -> Self {
        self.token = Some(token.to_string());
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn json(mut self, body: Value) -> Self {
        self.body = Some((
            "application/json".into(),
            serde_json::to_vec(&body).unwrap(),
        ));
        self
    }

    pub fn raw(mut self, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        self.body = Some((content_type.to_string(), body.into()));
        self
    }

    pub async fn send(self) -> Res {
        let url = format!("{}{}", self.app.base, self.path);
        let mut req = self.app.client.request(self.method, url);
        if let Some(token) = &self.token {
            req = req.insert_header(("Authorization", format!("Bearer {token}")));
        }
        for (name, value) in &self.headers {
            req = req.insert_header((name.as_str(), value.as_str()));
        }
        let mut res = match self.body {
            Some((content_type, body)) => req
                .insert_header(("Content-Type", content_type))
                .send_body(body)
                .await
                .expect("request"),
            None => req.send().await.expect("request"),
        };
        let body = res.body().limit(256 * 1024 * 1024).await.expect("body");
        let text = String::from_utf8_lossy(&body).to_string();
        let headers = res
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
            .collect();
        Res {
            status: res.status().as_u16(),
            json: serde_json::from_slice(&body).unwrap_or(Value::Null),
            text,
            headers,
            bytes: body.to_vec(),
        }
    }
}

/// A response, read whole.
#[derive(Debug)]
pub struct Res {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
    pub json: Value,
    /// The body as it came (a PDF, say).
    pub bytes: Vec<u8>,
}

impl Res {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn id(&self) -> String {
        self.json["id"].as_str().expect("an id").to_string()
    }

    /// Asserts the status, and that errors are problem+json with a matching `status`.
    pub fn expect(self, status: u16) -> Self {
        assert_eq!(
            self.status, status,
            "unexpected status; body: {}",
            self.text
        );
        if status >= 400 {
            assert_eq!(
                self.header("content-type"),
                Some("application/problem+json"),
                "errors are problem+json"
            );
            assert_eq!(
                self.json["status"], status,
                "problem status; body: {}",
                self.text
            );
            assert!(self.json["type"].is_string() && self.json["title"].is_string());
        }
        self
    }

    /// The `field`s of a 422.
    pub fn fields(&self) -> Vec<String> {
        self.json["errors"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|e| e["field"].as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The cast of an authorization matrix around one network: an admin, a coordinator
/// (who created it), a user of a member organization, a participant without a member
/// organization, and a user of an unrelated organization.
pub struct Cast {
    pub network: String,
    pub owner_org: String,
    pub member_org: String,
    pub outsider_org: String,
    pub coordinator: String,
    pub member: String,
    pub participant: String,
    pub outsider: String,
    pub participant_person: String,
}

impl TestApp {
    /// Creates a network with `visibility` and the cast around it.
    pub async fn cast(&self, visibility: &str) -> Cast {
        let owner_org = self
            .organization("Göteborgsregionen", "regional_association")
            .await;
        let member_org = self.organization("Partille kommun", "municipality").await;
        let outsider_org = self.organization("Malmö stad", "municipality").await;
        let (_, coordinator) = self
            .user("cecilia.axelsson@goteborgsregionen.se", Some(&owner_org))
            .await;
        let (_, member) = self
            .user("jessica.svanstrom@partille.se", Some(&member_org))
            .await;
        let (participant_user, participant) = self.user("gustav.kastberg@kfi.se", None).await;
        let (_, outsider) = self
            .user("anna.andersson@malmo.se", Some(&outsider_org))
            .await;
        let network = self
            .post("/api/v1/networks")
            .token(&coordinator)
            .json(json!({
                "name": "IFO-chefsnätverket",
                "owner_organization_id": owner_org,
                "focus_areas": ["ekonomiskt bistånd", "missbruk"],
                "cadence": "1–2 gånger per termin",
                "visibility": visibility
            }))
            .send()
            .await
            .expect(201)
            .id();
        self.post(&format!("/api/v1/networks/{network}/members"))
            .token(&coordinator)
            .json(json!({"organization_id": member_org, "joined_on": "2019-01-01"}))
            .send()
            .await
            .expect(201);
        let participant_person = participant_user["person_id"].as_str().unwrap().to_string();
        self.post(&format!("/api/v1/networks/{network}/participants"))
            .token(&coordinator)
            .json(json!({"person_id": participant_person, "role": "member"}))
            .send()
            .await
            .expect(201);
        Cast {
            network,
            owner_org,
            member_org,
            outsider_org,
            coordinator,
            member,
            participant,
            outsider,
            participant_person,
        }
    }

    /// Creates a person as admin; returns the id.
    pub async fn person(&self, name: &str, email: &str, organization_id: Option<&str>) -> String {
        self.post("/api/v1/people")
            .token(&self.admin_token)
            .json(json!({"name": name, "email": email, "organization_id": organization_id}))
            .send()
            .await
            .expect(201)
            .id()
    }
}
