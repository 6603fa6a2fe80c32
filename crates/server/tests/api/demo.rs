//! The demo world: the guides' organisations, loadable again without duplicates.

use portal_server::auth::passwords::Hasher;
use portal_server::configuration::HashingCost;
use serde_json::Value;

use crate::helpers::{spawn_app, Db, ALLY_PALLY, DIAMOND};
use crate::on_both_databases;

async fn loading_the_demo_twice_changes_nothing(db: Db) {
    let app = spawn_app(db).await;
    portal_server::demo::load(&app.store, &Hasher::new(HashingCost::Test))
        .await
        .unwrap();
    let token = app.login(ALLY_PALLY).await;
    let services: Value = app.get("/services", &token).await.json().await.unwrap();
    assert_eq!(services["items"].as_array().unwrap().len(), 1);
    let token = app.login(DIAMOND).await;
    let services: Value = app.get("/services", &token).await.json().await.unwrap();
    let names: Vec<&str> = services["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "Diamond Home Care - Marple",
            "Diamond Home Care - Tame Valley"
        ]
    );
}

#[tokio::test]
async fn health_and_metrics_answer() {
    let app = spawn_app(Db::Sqlite).await;
    let ready = app
        .client
        .get(format!("{}/health/ready", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let metrics = app
        .client
        .get(format!("{}/metrics", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(metrics.status(), 200);
    let text = metrics.text().await.unwrap();
    assert!(text.contains("portal_http_requests_total"), "{text}");
    assert!(
        text.contains("/health/ready"),
        "the ready check was counted"
    );
}

on_both_databases!(loading_the_demo_twice_changes_nothing);
