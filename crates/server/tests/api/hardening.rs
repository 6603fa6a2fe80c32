//! Hardening: security headers on every answer, no CORS, rate limits on the sign-in and
//! token endpoints, and no production start without the token key.

use portal_server::configuration::Settings;
use portal_server::startup::Application;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, spawn_app_with, Db, ALLY_PALLY};
use crate::on_both_databases;

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
}

async fn every_answer_carries_the_security_headers_and_no_cors(db: Db) {
    let app = spawn_app(db).await;
    let response = app
        .client
        .get(app.url("/me"))
        .header("Origin", "https://elsewhere.example")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let policy = header(&response, "content-security-policy").unwrap();
    assert!(
        policy.contains("script-src 'self' 'wasm-unsafe-eval'"),
        "{policy}"
    );
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert_eq!(header(&response, "x-content-type-options"), Some("nosniff"));
    assert_eq!(header(&response, "cache-control"), Some("no-store"));
    assert_eq!(
        header(&response, "access-control-allow-origin"),
        None,
        "CORS stays closed"
    );
    assert_eq!(
        header(&response, "strict-transport-security"),
        None,
        "not over TLS"
    );

    // A preflight from another origin is not granted either.
    let response = app
        .client
        .request(reqwest::Method::OPTIONS, app.url("/auth/login"))
        .header("Origin", "https://elsewhere.example")
        .header("Access-Control-Request-Method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(header(&response, "access-control-allow-origin"), None);

    // Behind a TLS-terminating proxy, browsers are told to keep to HTTPS.
    let response = app
        .client
        .get(format!("{}/health/live", app.address))
        .header("X-Forwarded-Proto", "https")
        .send()
        .await
        .unwrap();
    assert!(header(&response, "strict-transport-security")
        .is_some_and(|value| value.starts_with("max-age=")));
}

async fn the_sign_in_endpoints_are_rate_limited_per_address(db: Db) {
    let app = spawn_app_with(db, |settings| settings.sign_in_per_minute = 3).await;
    let attempt = || app.start_login(ALLY_PALLY, "a wrong password");
    for _ in 0..3 {
        assert_eq!(attempt().await.status(), 401);
    }
    let response = attempt().await;
    assert_eq!(response.status(), 429);
    let wait: u64 = header(&response, "retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait));
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "/problems/too-many-requests");
    // The refused attempt never reached the password check: no fourth failure counted.
    let user = app.store.user_by_email(ALLY_PALLY).await.unwrap().unwrap();
    assert_eq!(user.failed_attempts, 3);
    // Other endpoints are not limited.
    let response = app
        .client
        .get(format!("{}/health/live", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let response = app.post_json("/auth/refresh", None, &json!({})).await;
    assert_eq!(
        response.status(),
        429,
        "the token endpoint shares the limit"
    );
}

on_both_databases!(
    every_answer_carries_the_security_headers_and_no_cors,
    the_sign_in_endpoints_are_rate_limited_per_address,
);

#[tokio::test]
async fn production_refuses_to_start_without_its_secrets() {
    let mut settings = Settings::for_tests("sqlite::memory:");
    settings.production = true;
    settings.smtp_url = Some("smtp://127.0.0.1:2525".to_owned());
    settings.jwt_secret = None;
    let error = Application::build(settings).await.err().expect("refused");
    assert!(error.to_string().contains("PORTAL_JWT_SECRET"), "{error}");

    let mut settings = Settings::for_tests("sqlite::memory:");
    settings.production = true;
    settings.jwt_secret = Some("a key of thirty-two bytes or more!!".to_owned());
    let error = Application::build(settings).await.err().expect("refused");
    assert!(error.to_string().contains("PORTAL_SMTP_URL"), "{error}");
}
