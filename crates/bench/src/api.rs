//! The bench's HTTP client: signing in as a provider would, and requests that fail loudly
//! on anything but success, so no figure is ever taken from a refused request.

use anyhow::{bail, Context};
use portal_server::demo::DEMO_SECURITY_CODE;
use reqwest::{Method, RequestBuilder, Response};
use serde_json::{json, Value};

/// The password of the bench's own people (they are made by `council::people`).
pub const PASSWORD: &str = "bench-password-2026";

#[derive(Clone)]
pub struct Api {
    base: String,
    client: reqwest::Client,
}

impl Api {
    /// The API of a server listening on `port` of this machine.
    pub fn new(port: u16) -> Api {
        Api {
            base: format!("http://127.0.0.1:{port}"),
            // Idle connections are dropped before the server's 5-second keep-alive ends, so
            // a request is never sent on a connection the server is closing.
            client: reqwest::Client::builder()
                .pool_idle_timeout(std::time::Duration::from_secs(2))
                .build()
                .expect("a plain HTTP client builds"),
        }
    }

    /// A request to `/api/v1{path}`, with the bearer token when given.
    pub fn request(&self, method: Method, path: &str, token: Option<&str>) -> RequestBuilder {
        let request = self
            .client
            .request(method, format!("{}/api/v1{path}", self.base));
        match token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// The served OpenAPI document, to learn which operations this build has.
    pub async fn openapi(&self) -> anyhow::Result<Value> {
        let response = self
            .client
            .get(format!("{}/api/openapi.json", self.base))
            .send()
            .await?;
        json_of(response, "GET /api/openapi.json").await
    }

    /// Signs in with the password and three digits of the security code, as the login page
    /// does; returns the access token.
    pub async fn sign_in(&self, email: &str) -> anyhow::Result<String> {
        let response = self
            .request(Method::POST, "/auth/login", None)
            .json(&json!({ "email": email, "password": PASSWORD }))
            .send()
            .await?;
        let challenge = json_of(response, "POST /auth/login").await?;
        let digits = challenge["positions"]
            .as_array()
            .context("the login challenge names no positions")?
            .iter()
            .map(|position| {
                let index = position
                    .as_u64()
                    .and_then(|p| usize::try_from(p).ok())
                    .and_then(|p| p.checked_sub(1))
                    .context("a position is not a digit's place")?;
                DEMO_SECURITY_CODE
                    .get(index..=index)
                    .map(str::to_owned)
                    .context("a position past the code's end")
            })
            .collect::<anyhow::Result<Vec<String>>>()?;
        let response = self
            .request(Method::POST, "/auth/login/challenge", None)
            .json(&json!({ "challenge_id": challenge["challenge_id"], "digits": digits }))
            .send()
            .await?;
        let session = json_of(response, "POST /auth/login/challenge").await?;
        session["access_token"]
            .as_str()
            .map(str::to_owned)
            .context("signing in gave no access token")
    }
}

/// The body of a successful answer as JSON; any other answer is an error naming `what`.
pub async fn json_of(response: Response, what: &str) -> anyhow::Result<Value> {
    let response = succeeded(response, what).await?;
    response
        .json()
        .await
        .with_context(|| format!("{what}: not JSON"))
}

/// The response when its status is a success; otherwise an error with the problem it sent.
pub async fn succeeded(response: Response, what: &str) -> anyhow::Result<Response> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let body = response.text().await.unwrap_or_default();
    let shown: String = body.chars().take(600).collect();
    bail!("{what} answered {status}: {shown}")
}
