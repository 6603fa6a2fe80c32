//! "Forgot password": the same answer for any address, a single-use link that lasts 30
//! minutes, mailed through the outbox the demo shows.

use serde_json::{json, Value};
use time::Duration;

use crate::helpers::{error_fields, spawn_app, spawn_app_with, Db, TestApp, ALLY_PALLY};
use crate::on_both_databases;

const NEW_PASSWORD: &str = "lantern pebble violin saucepan";

/// The reset token in the newest mail to `to`.
async fn mailed_token(app: &TestApp, to: &str) -> String {
    let outbox: Value = app
        .client
        .get(app.url("/demo/outbox"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mail = outbox["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|mail| mail["to"] == to)
        .unwrap_or_else(|| panic!("no mail to {to} in {outbox}"));
    assert_eq!(mail["subject"], "Reset your Care Provider Portal password");
    let body = mail["body"].as_str().unwrap();
    let (_, rest) = body
        .split_once("/reset-password?token=")
        .expect("a reset link");
    rest.split_whitespace().next().unwrap().to_owned()
}

async fn forgot(app: &TestApp, email: &str) -> (u16, Value) {
    let response = app
        .post_json("/auth/forgot-password", None, &json!({ "email": email }))
        .await;
    (response.status().as_u16(), response.json().await.unwrap())
}

async fn reset(app: &TestApp, token: &str, password: &str) -> (u16, Value) {
    let response = app
        .post_json(
            "/auth/reset-password",
            None,
            &json!({ "token": token, "new_password": password }),
        )
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn a_mailed_link_resets_the_password_once(db: Db) {
    let app = spawn_app(db).await;
    let (_, old_session) = app.login_session(ALLY_PALLY).await;
    let (status, unknown) = forgot(&app, "nobody@example.org").await;
    assert_eq!(status, 202);
    let (status, known) = forgot(&app, ALLY_PALLY).await;
    assert_eq!(status, 202);
    assert_eq!(unknown, known, "no hint whether the account exists");

    let token = mailed_token(&app, ALLY_PALLY).await;
    let (status, problem) = reset(&app, &token, "password1234").await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["new_password"]);
    let (status, _) = reset(&app, &token, NEW_PASSWORD).await;
    assert_eq!(status, 204, "a refused password leaves the link working");
    let (status, problem) = reset(&app, &token, "another long passphrase here").await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["token"]);

    assert_eq!(
        app.refresh(&old_session).await.status(),
        401,
        "sessions end"
    );
    assert_eq!(
        app.start_login(ALLY_PALLY, "portal-demo-2022")
            .await
            .status(),
        401
    );
    assert_eq!(
        app.start_login(ALLY_PALLY, NEW_PASSWORD).await.status(),
        200
    );
}

async fn a_link_expires_after_thirty_minutes(db: Db) {
    let app = spawn_app(db).await;
    forgot(&app, ALLY_PALLY).await;
    let token = mailed_token(&app, ALLY_PALLY).await;
    app.clock.advance(Duration::minutes(31));
    let (status, problem) = reset(&app, &token, NEW_PASSWORD).await;
    assert_eq!(status, 422);
    assert_eq!(
        problem["errors"][0]["message"],
        "This reset link has expired or was already used. Ask for a new one."
    );
    let (status, _) = reset(&app, "made-up", NEW_PASSWORD).await;
    assert_eq!(status, 422);
}

async fn only_a_demo_without_smtp_shows_its_outbox(db: Db) {
    let app = spawn_app_with(db, |settings| settings.demo = false).await;
    let response = app
        .client
        .get(app.url("/demo/outbox"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
}

on_both_databases!(
    a_mailed_link_resets_the_password_once,
    a_link_expires_after_thirty_minutes,
    only_a_demo_without_smtp_shows_its_outbox,
);
