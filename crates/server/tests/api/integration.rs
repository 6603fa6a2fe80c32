//! Council systems push clients and CPLIs in batches: once per key, line by line.

use serde_json::{json, Value};

use crate::helpers::{error_fields, spawn_app, Db, TestApp, BRADFORD_COUNCIL};
use crate::on_both_databases;

async fn send(app: &TestApp, token: &str, key: Option<&str>, batch: &Value) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/integration/batches"))
        .bearer_auth(token)
        .json(batch);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.unwrap()
}

fn outcomes(lines: &Value) -> Vec<String> {
    lines
        .as_array()
        .unwrap()
        .iter()
        .map(|line| line["outcome"].as_str().unwrap_or("rejected").to_owned())
        .collect()
}

fn batch(service: &str, level: &str, hours_of: impl Fn(usize) -> &'static str) -> Value {
    let clients: Vec<Value> = (0..500)
        .map(|n| json!({"external_ref": format!("CMS-{n}"), "ssref": format!("B{n:04}"), "title": "Mx", "forename": "Client", "surname": format!("Number {n}")}))
        .collect();
    let cplis: Vec<Value> = (0..500)
        .map(|n| {
            json!({
                "external_ref": format!("PKG-{n}"), "client_external_ref": format!("CMS-{n}"),
                "service_id": service, "service_level_id": level, "start": "2022-05-02",
                "effective_from": "2022-06-09", "weekly_quantity": hours_of(n), "planned_visits": "7"
            })
        })
        .collect();
    json!({ "clients": clients, "cplis": cplis })
}

async fn a_batch_writes_once_and_changes_make_versions(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(BRADFORD_COUNCIL).await;
    let listed: Value = app.get("/cplis", &token).await.json().await.unwrap();
    let ally = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["service_level_name"] == "Homecare Flexible - Bradford - Single-handed")
        .unwrap();
    let (service, level) = (
        ally["service_id"].as_str().unwrap().to_owned(),
        ally["service_level_id"].as_str().unwrap().to_owned(),
    );

    let first = batch(&service, &level, |_| "7");
    let response = send(&app, &token, Some("cms-batch-1"), &first).await;
    assert_eq!(response.status(), 200);
    let result: Value = response.json().await.unwrap();
    assert!(outcomes(&result["clients"]).iter().all(|o| o == "created"));
    assert!(outcomes(&result["cplis"]).iter().all(|o| o == "created"));
    let count = |page: &Value| page["items"].as_array().unwrap().len();
    let after_first: Value = app.get("/cplis", &token).await.json().await.unwrap();
    assert_eq!(count(&after_first), 6 + 500);

    // The same key and body again: the first answer, and nothing written twice.
    let response = send(&app, &token, Some("cms-batch-1"), &first).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["idempotent-replayed"], "true");
    let replay: Value = response.json().await.unwrap();
    assert_eq!(replay, result);
    let after_replay: Value = app.get("/cplis", &token).await.json().await.unwrap();
    assert_eq!(count(&after_replay), 6 + 500);

    // A second batch in which three packages grow from Thursday 09/06/2022.
    let second = batch(&service, &level, |n| {
        if [3, 250, 499].contains(&n) {
            "10"
        } else {
            "7"
        }
    });
    let response = send(&app, &token, Some("cms-batch-2"), &second).await;
    let result: Value = response.json().await.unwrap();
    assert!(outcomes(&result["clients"])
        .iter()
        .all(|o| o == "unchanged"));
    let cpli_outcomes = outcomes(&result["cplis"]);
    assert_eq!(
        cpli_outcomes.iter().filter(|o| *o == "new_version").count(),
        3
    );
    assert_eq!(
        cpli_outcomes.iter().filter(|o| *o == "unchanged").count(),
        497
    );
    assert_eq!(cpli_outcomes[250], "new_version");
    let changed = result["cplis"][250]["id"].as_str().unwrap();
    let versions: Value = app
        .get(&format!("/cplis/{changed}/versions"), &token)
        .await
        .json()
        .await
        .unwrap();
    let spans: Vec<(Value, Value)> = versions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| (v["start"].clone(), v["end"].clone()))
        .collect();
    assert_eq!(
        spans,
        vec![
            (json!("2022-05-02"), json!("2022-06-08")),
            (json!("2022-06-09"), Value::Null)
        ]
    );

    // A key reused for another body is refused.
    let response = send(&app, &token, Some("cms-batch-1"), &second).await;
    assert_eq!(response.status(), 422);
}

async fn bad_lines_are_rejected_one_by_one(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(BRADFORD_COUNCIL).await;
    let response = send(&app, &token, None, &json!({"clients": []})).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), vec!["Idempotency-Key"]);

    let mixed = json!({
        "clients": [
            {"external_ref": "CMS-A", "ssref": "Q1", "forename": "Grace", "surname": "Hopper"},
            {"external_ref": "CMS-B", "ssref": "Q1", "forename": "", "surname": "Duplicate"}
        ],
        "cplis": [
            {"external_ref": "PKG-X", "client_external_ref": "CMS-NOBODY", "service_id": "1", "service_level_id": "1",
             "start": "2022-06-06", "weekly_quantity": "7", "planned_visits": "7"}
        ]
    });
    let result: Value = send(&app, &token, Some("mixed-1"), &mixed)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(result["clients"][0]["status"], "accepted");
    assert_eq!(result["clients"][1]["status"], "rejected");
    assert_eq!(
        error_fields(&result["clients"][1]),
        vec!["forename", "ssref"]
    );
    assert_eq!(result["cplis"][0]["status"], "rejected");
    assert_eq!(
        error_fields(&result["cplis"][0]),
        vec!["client_external_ref"]
    );
}

on_both_databases!(
    a_batch_writes_once_and_changes_make_versions,
    bad_lines_are_rejected_one_by_one
);
