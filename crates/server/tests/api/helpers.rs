//! `spawn_app`: the application on port 0 with the demo world, on a fresh database.

use portal_server::clock::Clock;
use portal_server::configuration::Settings;
use portal_server::demo::{DEMO_PASSWORD, DEMO_SECURITY_CODE};
use portal_server::startup::Application;
use portal_store::Store;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Db {
    Sqlite,
    Postgres,
}

/// Runs a test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test]
                async fn sqlite() {
                    super::$name($crate::helpers::Db::Sqlite).await
                }
                #[tokio::test]
                async fn postgres() {
                    super::$name($crate::helpers::Db::Postgres).await
                }
            }
        )*
    };
}

pub const ALLY_PALLY: &str = "contact@allypally.example";
pub const DIAMOND: &str = "greg.finance@diamondhomecare.example";
pub const DAY_OPPORTUNITIES: &str = "michaela.george@dayopspphome.example";
pub const BRADFORD_COUNCIL: &str = "trevor.bland@bradford.example";

fn postgres_admin_url() -> String {
    std::env::var("PORTAL_TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A database that drops itself when the test ends, pass or fail.
struct ThrowawayPostgres {
    name: String,
}

impl Drop for ThrowawayPostgres {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs inside the test's runtime; a fresh runtime on another thread may block.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                use sqlx::Connection;
                if let Ok(mut admin) = sqlx::PgConnection::connect(&postgres_admin_url()).await {
                    let _ =
                        sqlx::query(&format!("drop database if exists \"{name}\" with (force)"))
                            .execute(&mut admin)
                            .await;
                }
            });
        })
        .join();
    }
}

pub struct TestApp {
    pub address: String,
    /// The fresh database, for tests that start a second server process on it.
    pub database_url: String,
    pub client: reqwest::Client,
    pub store: Store,
    /// The server's clock: `clock.advance(...)` moves time for its rules.
    pub clock: Clock,
    _postgres: Option<ThrowawayPostgres>,
    _sqlite_dir: Option<TempDir>,
    /// The attachments' file directory, when [`spawn_app_with_file_dir`] set one.
    pub file_dir: Option<std::path::PathBuf>,
    _file_dir: Option<TempDir>,
}

/// A directory removed at the end of the test.
struct TempDir(std::path::PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

pub async fn spawn_app(db: Db) -> TestApp {
    spawn_app_with(db, |_| {}).await
}

/// As [`spawn_app`], with settings changed first (a lower rate limit, say).
pub async fn spawn_app_with(db: Db, change: impl FnOnce(&mut Settings)) -> TestApp {
    let unique = uuid::Uuid::new_v4().simple().to_string();
    let (url, postgres, sqlite_dir) = match db {
        Db::Sqlite => {
            let dir = std::env::temp_dir().join(format!("portal-test-{unique}"));
            std::fs::create_dir_all(&dir).unwrap();
            (
                format!("sqlite://{}", dir.join("portal.db").display()),
                None,
                Some(TempDir(dir)),
            )
        }
        Db::Postgres => {
            use sqlx::Connection;
            let name = format!("portal_test_{unique}");
            let mut admin = sqlx::PgConnection::connect(&postgres_admin_url())
                .await
                .expect("PostgreSQL must be running for the API tests (see README)");
            sqlx::query(&format!("create database \"{name}\""))
                .execute(&mut admin)
                .await
                .unwrap();
            let admin_url = postgres_admin_url();
            let base = admin_url.rsplit_once('/').map(|(base, _)| base).unwrap();
            (
                format!("{base}/{name}"),
                Some(ThrowawayPostgres { name }),
                None,
            )
        }
    };
    let database_url = url.clone();
    let mut settings = Settings::for_tests(&url);
    change(&mut settings);
    let clock = settings.clock.clone();
    let application = Application::build(settings)
        .await
        .expect("the application builds");
    let address = format!("http://127.0.0.1:{}", application.port());
    let store = application.store();
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address,
        database_url,
        client: reqwest::Client::new(),
        store,
        clock,
        _postgres: postgres,
        _sqlite_dir: sqlite_dir,
        file_dir: None,
        _file_dir: None,
    }
}

/// As [`spawn_app`], keeping attachments' files in a fresh directory (`--file-dir`) that is
/// removed with the app.
pub async fn spawn_app_with_file_dir(db: Db) -> TestApp {
    let dir = std::env::temp_dir().join(format!("portal-files-{}", uuid::Uuid::new_v4().simple()));
    let setting = dir.clone();
    let mut app = spawn_app_with(db, move |settings| settings.file_dir = Some(setting)).await;
    app.file_dir = Some(dir.clone());
    app._file_dir = Some(TempDir(dir));
    app
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{path}", self.address)
    }

    pub async fn post_json(
        &self,
        path: &str,
        token: Option<&str>,
        body: &Value,
    ) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).json(body);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap()
    }

    pub async fn get(&self, path: &str, token: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn put_json(&self, path: &str, token: &str, body: &Value) -> reqwest::Response {
        self.client
            .put(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }

    /// Step one of signing in; returns the challenge.
    pub async fn start_login(&self, email: &str, password: &str) -> reqwest::Response {
        self.post_json(
            "/auth/login",
            None,
            &json!({ "email": email, "password": password }),
        )
        .await
    }

    /// Signs in with the demo password and code, answering the digits asked for.
    pub async fn login(&self, email: &str) -> String {
        self.login_session(email).await.0
    }

    /// Signs in; returns the access token and the refresh token from its cookie.
    pub async fn login_session(&self, email: &str) -> (String, String) {
        let response = self.start_login(email, DEMO_PASSWORD).await;
        assert_eq!(response.status(), 200, "password step for {email}");
        let challenge: Value = response.json().await.unwrap();
        let digits = digits_for(&challenge, DEMO_SECURITY_CODE);
        let response = self
            .post_json(
                "/auth/login/challenge",
                None,
                &json!({ "challenge_id": challenge["challenge_id"], "digits": digits }),
            )
            .await;
        assert_eq!(response.status(), 200, "digits step for {email}");
        let refresh = refresh_cookie(&response).expect("signing in sets the refresh cookie");
        let session: Value = response.json().await.unwrap();
        (
            session["access_token"].as_str().unwrap().to_owned(),
            refresh,
        )
    }

    /// Presents a refresh token, as the browser does with its cookie.
    pub async fn refresh(&self, refresh_token: &str) -> reqwest::Response {
        self.client
            .post(self.url("/auth/refresh"))
            .header("Cookie", format!("portal_refresh={refresh_token}"))
            .send()
            .await
            .unwrap()
    }

    /// The id of the organisation with this name, as council staff see it.
    pub async fn organisation_id(&self, council: &str, name: &str) -> String {
        let organisations: Value = self
            .get("/organisations", council)
            .await
            .json()
            .await
            .unwrap();
        organisations["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|organisation| organisation["name"] == name)
            .unwrap_or_else(|| panic!("no organisation {name}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// POSTs `body` and expects 201 Created; the created record.
    pub async fn created(&self, token: &str, path: &str, body: Value) -> Value {
        let response = self.post_json(path, Some(token), &body).await;
        let status = response.status();
        let body: Value = response.json().await.unwrap();
        assert_eq!(status, 201, "{path}: {body}");
        body
    }

    /// Generates a service's week from plan and returns the week as the grid shows it.
    pub async fn generated_week(&self, token: &str, service: &str, week: &str) -> Value {
        let response = self
            .post_json(
                &format!("/services/{service}/weeks/{week}/actuals/generate"),
                Some(token),
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(response.status(), 200);
        let outcome: Value = response.json().await.unwrap();
        outcome["week"].clone()
    }

    /// The id of the caller's service with this name.
    pub async fn service_id(&self, token: &str, name: &str) -> String {
        let services: Value = self.get("/services", token).await.json().await.unwrap();
        services["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|service| service["name"] == name)
            .unwrap_or_else(|| panic!("no service {name} in {services}"))["id"]
            .as_str()
            .unwrap()
            .to_owned()
    }
}

/// The refresh token a response's `Set-Cookie` hands over; `None` when it sets none.
pub fn refresh_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|value| value.strip_prefix("portal_refresh="))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
}

/// The digits of `code` at the challenge's positions.
pub fn digits_for(challenge: &Value, code: &str) -> Vec<String> {
    challenge["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|position| {
            let index = usize::try_from(position.as_u64().unwrap()).unwrap() - 1;
            code[index..=index].to_owned()
        })
        .collect()
}

/// The client in a week, by display name.
pub fn client<'a>(week: &'a Value, display_name: &str) -> &'a Value {
    week["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|client| client["client"]["display_name"] == display_name)
        .unwrap_or_else(|| panic!("no client {display_name}"))
}

/// A client's line, by service level name.
pub fn line<'a>(client: &'a Value, level: &str) -> &'a Value {
    client["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["service_level"]["name"] == level)
        .unwrap_or_else(|| panic!("no line {level}"))
}

/// The `field` of each error in a problem, in order.
pub fn error_fields(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .expect("a validation problem lists its errors")
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect()
}
