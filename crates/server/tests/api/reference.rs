//! The Care Package Line Items list, as providers and council staff read it.

use serde_json::Value;

use crate::helpers::{
    error_fields, spawn_app, Db, ALLY_PALLY, BRADFORD_COUNCIL, DAY_OPPORTUNITIES, DIAMOND,
};
use crate::on_both_databases;

fn rows(page: &Value) -> &Vec<Value> {
    page["items"].as_array().unwrap()
}

async fn providers_see_their_cplis_with_the_guides_column_texts(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let page: Value = app.get("/cplis", &token).await.json().await.unwrap();
    let names: Vec<&str> = rows(&page)
        .iter()
        .map(|row| row["client_name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "Bristow, Eric",
            "Bristow, Eric",
            "Sherrock, Fallon",
            "Waddell, Sid",
            "Wilson, Jocky",
            "Wright, Peter"
        ]
    );
    let eric_single = rows(&page)
        .iter()
        .find(|row| {
            row["client_name"] == "Bristow, Eric"
                && row["service_level_name"] == "Homecare Flexible - Bradford - Single-handed"
        })
        .unwrap();
    assert_eq!(eric_single["ssref"], "96836000");
    assert_eq!(eric_single["service_name"], "Ally Pally Home Care");
    assert_eq!(eric_single["start"], "2021-04-05");
    assert_eq!(eric_single["end"], Value::Null);
    assert_eq!(eric_single["cost_label"], "£140.00 Weekly");
    assert_eq!(eric_single["pricing"], "7 x Hours at £20.00 (Spot)");
    assert_eq!(eric_single["authorised"], true);

    let bedford = app.login(DAY_OPPORTUNITIES).await;
    let page: Value = app.get("/cplis", &bedford).await.json().await.unwrap();
    assert_eq!(rows(&page).len(), 1);
    assert_eq!(
        rows(&page)[0]["cost_label"],
        "£1,072.30 Weekly (Timetabled)"
    );
    assert_eq!(
        rows(&page)[0]["pricing"],
        "5 x Sessions (Timetabled Pricing) (Spot)"
    );
}

async fn cpli_filters_narrow_the_list(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(DIAMOND).await;
    let all: Value = app.get("/cplis", &token).await.json().await.unwrap();
    assert_eq!(rows(&all).len(), 4);
    let tame_valley = rows(&all)
        .iter()
        .find(|row| row["service_name"] == "Diamond Home Care - Tame Valley")
        .unwrap();
    let by_service: Value = app
        .get(
            &format!(
                "/cplis?service={}",
                tame_valley["service_id"].as_str().unwrap()
            ),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rows(&by_service).len(), 1);
    assert_eq!(rows(&by_service)[0]["client_name"], "Buffay, Phoebe");
    let joey = rows(&all)
        .iter()
        .find(|row| row["client_name"] == "Tribbiani, Joey")
        .unwrap();
    let by_client: Value = app
        .get(
            &format!("/cplis?client={}", joey["client_id"].as_str().unwrap()),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rows(&by_client).len(), 2);
    let double = rows(&all)
        .iter()
        .find(|row| row["service_level_name"] == "Home Care - Double Assist Fixed Rate")
        .unwrap();
    let by_level: Value = app
        .get(
            &format!(
                "/cplis?service_level={}&include_historical=true&include_unauthorised=true",
                double["service_level_id"].as_str().unwrap()
            ),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rows(&by_level).len(), 1);
    assert_eq!(
        rows(&by_level)[0]["pricing"],
        "3.5 x Hours at £16.16 (Spot)"
    );
    let response = app.get("/cplis?client=abc&service=1x", &token).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), vec!["service", "client"]);
}

async fn nobody_sees_another_providers_cplis(db: Db) {
    let app = spawn_app(db).await;
    let diamond = app.login(DIAMOND).await;
    let ally = app.login(ALLY_PALLY).await;
    let ally_rows: Value = app.get("/cplis", &ally).await.json().await.unwrap();
    let ally_service = rows(&ally_rows)[0]["service_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let page: Value = app
        .get(&format!("/cplis?service={ally_service}"), &diamond)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rows(&page).len(), 0);
    let council = app.login(BRADFORD_COUNCIL).await;
    let page: Value = app.get("/cplis", &council).await.json().await.unwrap();
    assert!(rows(&page)
        .iter()
        .all(|row| row["service_name"] == "Ally Pally Home Care"));
    assert_eq!(rows(&page).len(), 6);
}

on_both_databases!(
    providers_see_their_cplis_with_the_guides_column_texts,
    cpli_filters_narrow_the_list,
    nobody_sees_another_providers_cplis,
);
