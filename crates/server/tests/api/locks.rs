//! A week the council has locked refuses every change to its actuals, saying why, until it
//! is unlocked; locking is council staff's alone. A provider confirms a client's week, and a
//! later change clears the confirmation.

use serde_json::{json, Value};

use crate::helpers::{client, line, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL};
use crate::on_both_databases;

const WEEK: &str = "2022-06-06";
const SINGLE: &str = "Homecare Flexible - Bradford - Single-handed";
const REASON: &str = "Paid in the payment run of 20/06/2022";

async fn week_of(app: &TestApp, token: &str, service: &str) -> Value {
    app.get(&format!("/services/{service}/weeks/{WEEK}/actuals"), token)
        .await
        .json()
        .await
        .unwrap()
}

async fn save_eric(app: &TestApp, token: &str, service: &str, actual: &str) -> reqwest::Response {
    let week = week_of(app, token, service).await;
    let eric = client(&week, "Mr Eric Bristow");
    let single = line(eric, SINGLE);
    let client_id = eric["client"]["id"].as_str().unwrap();
    app.put_json(
        &format!("/services/{service}/weeks/{WEEK}/clients/{client_id}/actuals"),
        token,
        &json!({"version": eric["version"], "lines": [{
            "cpli_id": single["cpli_id"], "actual": actual, "frustrated": "0",
            "missed": "0", "extra": "0", "visits": single["visits"], "comment": ""}]}),
    )
    .await
}

async fn a_locked_week_refuses_changes_until_it_is_unlocked(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    let lock = format!("/services/{service}/weeks/{WEEK}/lock");

    // Providers may not lock; a lock needs a reason.
    let response = app
        .post_json(&lock, Some(&provider), &json!({"reason": "mine"}))
        .await;
    assert_eq!(response.status(), 403);
    let response = app
        .post_json(&lock, Some(&council), &json!({"reason": " "}))
        .await;
    assert_eq!(response.status(), 422);

    let response = app
        .post_json(&lock, Some(&council), &json!({"reason": REASON}))
        .await;
    assert_eq!(response.status(), 200);
    let locked: Value = response.json().await.unwrap();
    assert_eq!(locked["locked"]["reason"], REASON);
    let response = app
        .post_json(&lock, Some(&council), &json!({"reason": REASON}))
        .await;
    assert_eq!(response.status(), 409);

    // The provider sees why, and every way of changing the week is refused.
    let week: Value = week_of(&app, &provider, &service).await;
    assert_eq!(week["locked"]["reason"], REASON);
    let response = save_eric(&app, &provider, &service, "6").await;
    assert_eq!(response.status(), 409);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "/problems/week-locked");
    assert!(problem["detail"].as_str().unwrap().contains(REASON));
    let response = app
        .post_json(
            &format!("/services/{service}/weeks/{WEEK}/actuals/generate"),
            Some(&provider),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 409);
    let eric = client(&week, "Mr Eric Bristow");
    let response = app
        .client
        .post(app.url("/actuals/batches"))
        .bearer_auth(&provider)
        .header("Idempotency-Key", "locked-0001")
        .json(&json!({"client_weeks": [{"service_id": service, "week": WEEK,
            "client_id": eric["client"]["id"], "lines": [{"cpli_id": line(eric, SINGLE)["cpli_id"],
            "actual": "6", "frustrated": "0", "missed": "0", "extra": "0", "visits": "6", "comment": ""}]}]}))
        .send()
        .await
        .unwrap();
    let result: Value = response.json().await.unwrap();
    assert_eq!(result["rejected"], 1);
    assert_eq!(result["client_weeks"][0]["errors"][0]["field"], "week");
    let unchanged: Value = week_of(&app, &provider, &service).await;
    assert_eq!(
        client(&unchanged, "Mr Eric Bristow")["version"],
        eric["version"],
        "nothing was written"
    );

    // Unlocked, the week takes changes again; both steps are in its history.
    let response = app
        .post_json(
            &format!("/services/{service}/weeks/{WEEK}/unlock"),
            Some(&council),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let response = save_eric(&app, &provider, &service, "6").await;
    assert_eq!(response.status(), 200);
    let actions = app
        .store
        .audit_actions("service_week", &format!("{service}/{WEEK}"))
        .await
        .unwrap();
    assert_eq!(actions, ["week.locked", "week.unlocked"]);
}

async fn a_confirmed_week_says_who_confirmed_it_until_it_changes(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    let week = week_of(&app, &provider, &service).await;
    let eric = client(&week, "Mr Eric Bristow");
    assert!(eric["confirmed"].is_null());
    let client_id = eric["client"]["id"].as_str().unwrap();
    let confirm = format!("/services/{service}/weeks/{WEEK}/clients/{client_id}/confirm");

    // A stale version is refused, as for saves.
    let stale = eric["version"].as_i64().unwrap() + 5;
    let response = app
        .post_json(&confirm, Some(&provider), &json!({"version": stale}))
        .await;
    assert_eq!(response.status(), 409);

    let response = app
        .post_json(
            &confirm,
            Some(&provider),
            &json!({"version": eric["version"]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let confirmed: Value = response.json().await.unwrap();
    assert_eq!(confirmed["confirmed"]["by"], "Jo Hunter");
    let reread = week_of(&app, &provider, &service).await;
    assert_eq!(
        client(&reread, "Mr Eric Bristow")["confirmed"]["by"],
        "Jo Hunter"
    );

    // A change afterwards clears it; the history keeps both.
    let response = save_eric(&app, &provider, &service, "6").await;
    assert_eq!(response.status(), 200);
    let changed = week_of(&app, &provider, &service).await;
    assert!(client(&changed, "Mr Eric Bristow")["confirmed"].is_null());
    let history: Value = app
        .get(
            &format!("/services/{service}/weeks/{WEEK}/clients/{client_id}/history"),
            &provider,
        )
        .await
        .json()
        .await
        .unwrap();
    let what: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|change| change["what"].as_str().unwrap())
        .collect();
    assert_eq!(what, ["confirmed", "saved"]);
}

on_both_databases!(
    a_locked_week_refuses_changes_until_it_is_unlocked,
    a_confirmed_week_says_who_confirmed_it_until_it_changes,
);
