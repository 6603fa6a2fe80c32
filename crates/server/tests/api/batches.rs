//! A rostering tool's batch of client-weeks: each accepted or rejected on its own, safe to
//! retry with the same Idempotency-Key, and read back through the week.

use serde_json::{json, Value};

use crate::helpers::{client, line, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL, DIAMOND};
use crate::on_both_databases;

const WEEK: &str = "2022-06-06";
const SINGLE: &str = "Homecare Flexible - Bradford - Single-handed";

/// A tool of Ally Pally's that may write actuals, and its token.
async fn tool_token(app: &TestApp) -> String {
    let council = app.login(BRADFORD_COUNCIL).await;
    let ally_pally = app.organisation_id(&council, "Ally Pally Ltd").await;
    let created: Value = app
        .post_json(
            "/tool-clients",
            Some(&council),
            &json!({"organisation_id": ally_pally, "name": "CallTime", "scopes": ["actuals:write", "actuals:read"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let granted: Value = app
        .client
        .post(app.url("/auth/token"))
        .basic_auth(
            created["tool"]["client_id"].as_str().unwrap(),
            created["client_secret"].as_str(),
        )
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    granted["access_token"].as_str().unwrap().to_owned()
}

async fn submit(app: &TestApp, token: &str, key: &str, batch: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/actuals/batches"))
        .bearer_auth(token)
        .header("Idempotency-Key", key)
        .json(batch)
        .send()
        .await
        .unwrap()
}

async fn week(app: &TestApp, token: &str, service: &str) -> Value {
    app.get(&format!("/services/{service}/weeks/{WEEK}/actuals"), token)
        .await
        .json()
        .await
        .unwrap()
}

async fn a_tools_batch_keeps_good_client_weeks_names_bad_ones_and_writes_once(db: Db) {
    let app = spawn_app(db).await;
    let tool = tool_token(&app).await;
    let provider = app.login(ALLY_PALLY).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    let generated = app
        .post_json(
            &format!("/services/{service}/weeks/{WEEK}/actuals/generate"),
            Some(&provider),
            &json!({}),
        )
        .await;
    assert_eq!(generated.status(), 200);
    let before = week(&app, &provider, &service).await;
    let eric = client(&before, "Mr Eric Bristow");
    let eric_id = eric["client"]["id"].as_str().unwrap();
    let cpli = line(eric, SINGLE)["cpli_id"].as_str().unwrap().to_owned();
    let diamond = app.login(DIAMOND).await;
    let diamonds_service = app
        .service_id(&diamond, "Diamond Home Care - Tame Valley")
        .await;

    let batch = json!({"client_weeks": [
        {"service_id": service, "week": WEEK, "client_id": eric_id, "lines": [
            {"cpli_id": cpli, "actual": "6", "frustrated": "0", "missed": "1", "extra": "0", "visits": "6", "comment": "From the rota"}]},
        {"service_id": service, "week": WEEK, "client_id": eric_id, "lines": [
            {"cpli_id": cpli, "actual": "-1", "frustrated": "0", "missed": "0", "extra": "0", "visits": "6", "comment": ""}]},
        {"service_id": diamonds_service, "week": WEEK, "client_id": "1", "lines": [
            {"cpli_id": "1", "actual": "1", "frustrated": "0", "missed": "0", "extra": "0", "visits": "1", "comment": ""}]},
        {"service_id": service, "week": "2999-01-04", "client_id": eric_id, "lines": [
            {"cpli_id": cpli, "actual": "1", "frustrated": "0", "missed": "0", "extra": "0", "visits": "1", "comment": ""}]},
    ]});
    let response = submit(&app, &tool, "roster-0001", &batch).await;
    assert_eq!(response.status(), 200);
    let result: Value = response.json().await.unwrap();
    assert_eq!(result["accepted"], 1);
    assert_eq!(result["rejected"], 3);
    let outcomes = result["client_weeks"].as_array().unwrap();
    assert_eq!(outcomes[0]["status"], "accepted");
    assert_eq!(outcomes[1]["status"], "rejected");
    assert_eq!(outcomes[1]["errors"][0]["field"], "lines[0].actual");
    assert_eq!(outcomes[2]["errors"][0]["field"], "service_id");
    assert_eq!(outcomes[3]["errors"][0]["field"], "week");

    // The accepted client-week is there, read back as the provider sees it.
    let after = week(&app, &provider, &service).await;
    let eric_now = client(&after, "Mr Eric Bristow");
    assert_eq!(line(eric_now, SINGLE)["actual"], "6.00");
    assert_eq!(line(eric_now, SINGLE)["comment"], "From the rota");
    let version = eric_now["version"].clone();
    assert_eq!(outcomes[0]["version"], version);

    // The week's history names who did what: the provider generated it, the tool saved it.
    let history: Value = app
        .get(
            &format!("/services/{service}/weeks/{WEEK}/clients/{eric_id}/history"),
            &provider,
        )
        .await
        .json()
        .await
        .unwrap();
    let changes = history["items"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(changes[0]["what"], "generated");
    assert_eq!(changes[0]["by"], "Jo Hunter");
    assert_eq!(changes[0]["by_tool"], false);
    assert_eq!(changes[1]["what"], "saved");
    assert_eq!(changes[1]["by"], "CallTime");
    assert_eq!(changes[1]["by_tool"], true);
    assert_eq!(changes[1]["version"], version);
    let single = &changes[1]["lines"][0];
    assert_eq!(single["service_level_name"], SINGLE);
    assert_eq!(single["old"]["actual"], "7.00");
    assert_eq!(single["new"]["actual"], "6.00");
    assert_eq!(single["new"]["comment"], "From the rota");

    // The same key and body again: the first answer, and nothing written.
    let response = submit(&app, &tool, "roster-0001", &batch).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["idempotent-replayed"], "true");
    let replayed: Value = response.json().await.unwrap();
    assert_eq!(replayed, result);
    let again = week(&app, &provider, &service).await;
    assert_eq!(client(&again, "Mr Eric Bristow")["version"], version);
    let history: Value = app
        .get(
            &format!("/services/{service}/weeks/{WEEK}/clients/{eric_id}/history"),
            &tool,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        history["items"].as_array().unwrap().len(),
        2,
        "the replay wrote nothing"
    );

    // The same key with another body is refused; no key at all is refused.
    let other = json!({"client_weeks": [batch["client_weeks"][0].clone()]});
    let response = submit(&app, &tool, "roster-0001", &other).await;
    assert_eq!(response.status(), 422);
    let response = app
        .client
        .post(app.url("/actuals/batches"))
        .bearer_auth(&tool)
        .json(&other)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);

    // An empty batch names its field.
    let response = submit(&app, &tool, "roster-0002", &json!({"client_weeks": []})).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "client_weeks");
}

on_both_databases!(a_tools_batch_keeps_good_client_weeks_names_bad_ones_and_writes_once);
