//! Council staff load reference data through the API: the CPLI they create is what
//! Generate Actuals plans, version by version and rate by rate, to the day.

use serde_json::{json, Value};

use crate::helpers::{client, error_fields, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL};
use crate::on_both_databases;

const LEVEL: &str = "Pennine - Single-handed";

/// A new provider with one service, one service level at £20.00 an hour, one client and a
/// CPLI of 7 hours a week from 02/05/2022. Returns (service id, level id, client id, CPLI id).
async fn pennine(app: &TestApp, token: &str) -> (String, String, String, String) {
    let organisation = app
        .created(
            token,
            "/organisations",
            json!({"name": "Pennine Care Ltd", "town": "Bradford"}),
        )
        .await;
    let contract = app.created(token,
        "/contracts",
        json!({
            "organisation_id": organisation["id"], "name": "Pennine Homecare", "contract_type_group": "Homecare",
            "payment_model": "scheduled", "period_weeks": 1, "period_anchor": "2022-04-04", "vat_rate_percent": "0"
        }),
    )
    .await;
    assert_eq!(contract["exception_settings"][1]["kind"], "plan_exceeded");
    let service = app
        .created(
            token,
            "/services",
            json!({"contract_id": contract["id"], "name": "Pennine Home Care"}),
        )
        .await;
    assert_eq!(service["organisation_name"], "Pennine Care Ltd");
    let level = app.created(token,
        "/service-levels",
        json!({
            "contract_id": contract["id"], "name": LEVEL, "unit": "hour", "pricing_kind": "per_unit",
            "rate": "20.00", "rate_effective_from": "2022-04-01"
        }),
    )
    .await;
    let person = app
        .created(
            token,
            "/clients",
            json!({"ssref": "P100", "title": "Mrs", "forename": "Ada", "surname": "Lovelace"}),
        )
        .await;
    assert_eq!(person["label"], "Mrs Ada Lovelace (P100)");
    let cpli = app.created(token,
        "/cplis",
        json!({
            "client_id": person["id"], "service_id": service["id"], "service_level_id": level["id"],
            "start": "2022-05-02", "weekly_quantity": "7", "planned_visits": "7", "budget_code": "PEN-1"
        }),
    )
    .await;
    assert_eq!(cpli["pricing"], "7 x Hours at £20.00 (Spot)");
    assert_eq!(cpli["cost_label"], "£140.00 Weekly");
    assert_eq!(cpli["version_number"], 1);
    let id = |value: &Value| value["id"].as_str().unwrap().to_owned();
    (id(&service), id(&level), id(&person), id(&cpli))
}

fn lines(client_week: &Value) -> Vec<(String, String, String)> {
    client_week["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| {
            (
                line["planned"].as_str().unwrap().to_owned(),
                line["rate"].as_str().unwrap().to_owned(),
                line["cost"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

async fn versions_and_rates_are_exact_to_the_day(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(BRADFORD_COUNCIL).await;
    let (service, level, _, cpli) = pennine(&app, &token).await;

    // From Thursday 09/06/2022 the package doubles: Mon-Wed keep 7 a week, Thu-Sun get 14.
    let versions = app.created(&token,
        &format!("/cplis/{cpli}/versions"),
        json!({"effective_from": "2022-06-09", "latest_version_seen": 1, "weekly_quantity": "14", "planned_visits": "14", "budget_code": "PEN-2"}),
    )
    .await;
    let spans: Vec<(Value, Value, Value)> = versions["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["version_number"].clone(),
                v["start"].clone(),
                v["end"].clone(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        vec![
            (json!(1), json!("2022-05-02"), json!("2022-06-08")),
            (json!(2), json!("2022-06-09"), Value::Null)
        ]
    );
    let week = app.generated_week(&token, &service, "2022-06-06").await;
    let ada = client(&week, "Mrs Ada Lovelace");
    // 7 x 3/7 = 3 hours at £20.00; 14 x 4/7 = 8 hours at £20.00.
    assert_eq!(
        lines(ada),
        vec![
            ("3.00".into(), "20.00".into(), "60.00".into()),
            ("8.00".into(), "20.00".into(), "160.00".into())
        ]
    );
    assert_eq!(ada["totals"]["label"], "£220.00 of £220.00");

    // From Wednesday 15/06/2022 the rate is £21.00: Mon-Tue at £20.00, Wed-Sun at £21.00.
    let change = app
        .created(
            &token,
            &format!("/service-levels/{level}/rates"),
            json!({"effective_from": "2022-06-15", "rate": "21.00"}),
        )
        .await;
    assert_eq!(change["cpli_versions_created"], 1);
    assert_eq!(
        change["service_level"]["rates"],
        json!([{"effective_from": "2022-04-01", "rate": "20.00"}, {"effective_from": "2022-06-15", "rate": "21.00"}])
    );
    let week = app.generated_week(&token, &service, "2022-06-13").await;
    let ada = client(&week, "Mrs Ada Lovelace");
    // 14 x 2/7 = 4 hours at £20.00 = £80.00; 14 x 5/7 = 10 hours at £21.00 = £210.00.
    assert_eq!(
        lines(ada),
        vec![
            ("4.00".into(), "20.00".into(), "80.00".into()),
            ("10.00".into(), "21.00".into(), "210.00".into())
        ]
    );
    assert_eq!(ada["totals"]["label"], "£290.00 of £290.00");

    // The week before any change keeps version 1.
    let week = app.generated_week(&token, &service, "2022-05-30").await;
    assert_eq!(
        lines(client(&week, "Mrs Ada Lovelace")),
        vec![("7.00".into(), "20.00".into(), "140.00".into())]
    );

    let history: Value = app
        .get(&format!("/cplis/{cpli}/versions"), &token)
        .await
        .json()
        .await
        .unwrap();
    let pricing: Vec<&str> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["pricing"].as_str().unwrap())
        .collect();
    assert_eq!(
        pricing,
        vec![
            "7 x Hours at £20.00 (Spot)",
            "14 x Hours at £20.00 (Spot)",
            "14 x Hours at £21.00 (Spot)"
        ]
    );
    let latest = &history["items"][2];
    assert_eq!(latest["terms"]["weekly_quantity"], "14.00");
    assert_eq!(
        latest["terms"]["budget_code"], "PEN-2",
        "a rate change keeps the package's other terms"
    );
    assert_eq!(latest["terms"]["authorised"], true);
    let listed: Value = app.get("/cplis", &token).await.json().await.unwrap();
    let row = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["id"] == json!(cpli))
        .unwrap();
    assert_eq!(
        row["version_number"], 3,
        "the list shows the version in force"
    );
}

async fn version_conflicts_and_overlaps_are_refused(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(BRADFORD_COUNCIL).await;
    let (_, _, _, cpli) = pennine(&app, &token).await;
    let path = format!("/cplis/{cpli}/versions");
    app.created(&token, &path, json!({"effective_from": "2022-06-09", "latest_version_seen": 1, "weekly_quantity": "14", "planned_visits": "14"})).await;
    let stale = app.post_json(&path, Some(&token), &json!({"effective_from": "2022-07-01", "latest_version_seen": 1, "weekly_quantity": "10", "planned_visits": "10"})).await;
    assert_eq!(stale.status(), 409);
    let overlapping = app.post_json(&path, Some(&token), &json!({"effective_from": "2022-06-01", "latest_version_seen": 2, "weekly_quantity": "10", "planned_visits": "10"})).await;
    assert_eq!(overlapping.status(), 422);
    let problem: Value = overlapping.json().await.unwrap();
    assert_eq!(error_fields(&problem), vec!["effective_from"]);
    let history: Value = app.get(&path, &token).await.json().await.unwrap();
    assert_eq!(
        history["items"].as_array().unwrap().len(),
        2,
        "nothing was written"
    );
}

async fn bad_reference_data_names_every_field(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(BRADFORD_COUNCIL).await;
    let (service, level, person, _) = pennine(&app, &token).await;
    let duplicate = app
        .post_json(
            "/clients",
            Some(&token),
            &json!({"ssref": "P100", "forename": "", "surname": "Babbage"}),
        )
        .await;
    assert_eq!(duplicate.status(), 422);
    let problem: Value = duplicate.json().await.unwrap();
    assert_eq!(error_fields(&problem), vec!["forename", "ssref"]);

    let bad = app
        .post_json(
            "/cplis",
            Some(&token),
            &json!({
                "client_id": person, "service_id": service, "service_level_id": level,
                "start": "2022-06-06", "end": "2022-06-01", "annual_allocation": "28", "planned_visits": "1.234"
            }),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let problem: Value = bad.json().await.unwrap();
    assert_eq!(
        error_fields(&problem),
        vec!["planned_visits", "end", "annual_allocation"]
    );
    let bad = app
        .post_json(
            "/cplis",
            Some(&token),
            &json!({
                "client_id": person, "service_id": service, "service_level_id": level,
                "start": "2022-06-06", "end": "2022-06-01", "annual_allocation": "28", "planned_visits": "1"
            }),
        )
        .await;
    let problem: Value = bad.json().await.unwrap();
    assert_eq!(error_fields(&problem), vec!["end", "annual_allocation"]);

    // A service level of another contract (Ally Pally's) does not fit Pennine's service.
    let ally = app
        .get("/cplis", &token)
        .await
        .json::<Value>()
        .await
        .unwrap();
    let ally_level = ally["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["service_name"] == "Ally Pally Home Care")
        .unwrap()["service_level_id"]
        .clone();
    let bad = app
        .post_json(
            "/cplis",
            Some(&token),
            &json!({"client_id": person, "service_id": service, "service_level_id": ally_level, "start": "2022-06-06", "weekly_quantity": "1", "planned_visits": "1"}),
        )
        .await;
    let problem: Value = bad.json().await.unwrap();
    assert_eq!(error_fields(&problem), vec!["service_level_id"]);

    let bad = app
        .post_json(
            "/service-levels",
            Some(&token),
            &json!({"contract_id": "999", "name": "", "unit": "day", "pricing_kind": "spot", "rate": "20.001", "rate_effective_from": "x"}),
        )
        .await;
    let problem: Value = bad.json().await.unwrap();
    assert_eq!(
        error_fields(&problem),
        vec![
            "name",
            "unit",
            "pricing_kind",
            "rate",
            "rate_effective_from",
            "contract_id"
        ]
    );
}

async fn providers_cannot_change_reference_data(db: Db) {
    let app = spawn_app(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let (_, _, _, cpli) = pennine(&app, &council).await;
    let provider = app.login(ALLY_PALLY).await;
    let response = app
        .post_json(
            "/clients",
            Some(&provider),
            &json!({"ssref": "X1", "forename": "A", "surname": "B"}),
        )
        .await;
    assert_eq!(response.status(), 403);
    let response = app.get(&format!("/cplis/{cpli}/versions"), &provider).await;
    assert_eq!(response.status(), 404, "another provider's CPLI");
}

on_both_databases!(
    versions_and_rates_are_exact_to_the_day,
    version_conflicts_and_overlaps_are_refused,
    bad_reference_data_names_every_field,
    providers_cannot_change_reference_data,
);

async fn reference_data_reads_back_in_scope(db: Db) {
    let app = spawn_app(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let organisations: Value = app
        .get("/organisations", &council)
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = organisations["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Ally Pally Ltd"], "Bradford's providers only");
    let ally_id = organisations["items"][0]["id"].as_str().unwrap().to_owned();
    let contracts: Value = app
        .get(&format!("/contracts?organisation={ally_id}"), &council)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(contracts["items"][0]["name"], "Ally Pally Care");
    assert_eq!(contracts["items"][0]["period_weeks"], 1);
    let contract_id = contracts["items"][0]["id"].as_str().unwrap();
    let levels: Value = app
        .get(&format!("/service-levels?contract={contract_id}"), &council)
        .await
        .json()
        .await
        .unwrap();
    let level_names: Vec<&str> = levels["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        level_names,
        vec![
            "Homecare Flexible - Bradford - Double-handed",
            "Homecare Flexible - Bradford - Single-handed"
        ]
    );
    assert_eq!(levels["items"][0]["rates"][0]["rate"], "40.00");
    let level_path = format!(
        "/service-levels/{}",
        levels["items"][0]["id"].as_str().unwrap()
    );
    let renamed = json!({"version": levels["items"][0]["version"], "name": "Homecare Flexible - Bradford - Two carers", "cost_centre": "HC2"});
    let response = app.put_json(&level_path, &council, &renamed).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.put_json(&level_path, &council, &renamed).await.status(),
        409
    );
    let found: Value = app
        .get("/clients?search=bristow", &council)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(found["items"][0]["label"], "Mr Eric Bristow (96836000)");
    let by_ssref: Value = app
        .get("/clients?search=c9836", &council)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_ssref["items"][0]["surname"], "Wilson");

    let provider = app.login(ALLY_PALLY).await;
    let own: Value = app
        .get(&format!("/organisations/{ally_id}"), &provider)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own["town"], "Bradford");
    let services: Value = app.get("/services", &provider).await.json().await.unwrap();
    let service_id = services["items"][0]["id"].as_str().unwrap();
    let details: Value = app
        .get(&format!("/services/{service_id}"), &provider)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(details["service"]["name"], "Ally Pally Home Care");
    assert_eq!(details["town"], "Bradford");
    assert_eq!(details["version"], 1);
    let diamond = app.login(crate::helpers::DIAMOND).await;
    assert_eq!(
        app.get(&format!("/organisations/{ally_id}"), &diamond)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get(&format!("/services/{service_id}"), &diamond)
            .await
            .status(),
        404
    );
    assert_eq!(app.get("/clients", &provider).await.status(), 403);
}

on_both_databases!(reference_data_reads_back_in_scope);

async fn edits_are_versioned_and_deactivation_keeps_history(db: Db) {
    let app = spawn_app(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let organisation = app
        .created(
            &council,
            "/organisations",
            json!({"name": "Wharfedale Care"}),
        )
        .await;
    let path = format!("/organisations/{}", organisation["id"].as_str().unwrap());
    let update = json!({"version": 1, "name": "Wharfedale Care Ltd", "town": "Ilkley", "postcode": "LS29 9AA"});
    let response = app.put_json(&path, &council, &update).await;
    assert_eq!(response.status(), 200);
    let edited: Value = response.json().await.unwrap();
    assert_eq!(edited["version"], 2);
    assert_eq!(
        app.put_json(&path, &council, &update).await.status(),
        409,
        "the same version again"
    );
    let read: Value = app.get(&path, &council).await.json().await.unwrap();
    assert_eq!(
        (read["name"].as_str(), read["town"].as_str()),
        (Some("Wharfedale Care Ltd"), Some("Ilkley"))
    );
    let bad = app
        .put_json(
            &path,
            &council,
            &json!({"version": 2, "name": " ", "postcode": "THIS IS NOT A POSTCODE"}),
        )
        .await;
    assert_eq!(bad.status(), 422);
    let problem: Value = bad.json().await.unwrap();
    assert_eq!(error_fields(&problem), vec!["name", "postcode"]);

    let person = app
        .created(
            &council,
            "/clients",
            json!({"ssref": "W1", "forename": "Anne", "surname": "Lister"}),
        )
        .await;
    let client_path = format!("/clients/{}", person["id"].as_str().unwrap());
    let read: Value = app.get(&client_path, &council).await.json().await.unwrap();
    assert_eq!(
        (read["label"].as_str(), read["version"].as_i64()),
        (Some("Anne Lister (W1)"), Some(1))
    );
    let clash = app
        .put_json(
            &client_path,
            &council,
            &json!({"version": 1, "ssref": "96836000", "forename": "Anne", "surname": "Lister"}),
        )
        .await;
    assert_eq!(clash.status(), 422, "Eric Bristow's SSRef is taken");
    let response = app
        .post_json(
            &format!("{client_path}/deactivate"),
            Some(&council),
            &json!({"version": 1}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let search: Value = app
        .get("/clients?search=lister", &council)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        search["items"],
        json!([]),
        "a deactivated client is no longer offered"
    );
    assert_eq!(
        app.store
            .audit_actions("client", person["id"].as_str().unwrap())
            .await
            .unwrap(),
        vec!["client.create", "client.edit"]
    );

    // Another council's records are not found, whatever the id.
    let stockport = app.login(crate::helpers::DIAMOND).await;
    let theirs: Value = app.get("/cplis", &stockport).await.json().await.unwrap();
    let their_client = theirs["items"][0]["client_id"].as_str().unwrap();
    let response = app
        .put_json(
            &format!("/clients/{their_client}"),
            &council,
            &json!({"version": 1, "ssref": "X", "forename": "A", "surname": "B"}),
        )
        .await;
    assert_eq!(response.status(), 404);
}

on_both_databases!(edits_are_versioned_and_deactivation_keeps_history);

async fn contract_terms_and_rules_are_edited_together(db: Db) {
    let app = spawn_app(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let organisations: Value = app
        .get("/organisations", &council)
        .await
        .json()
        .await
        .unwrap();
    let ally = organisations["items"][0]["id"].as_str().unwrap().to_owned();
    let contracts: Value = app
        .get(&format!("/contracts?organisation={ally}"), &council)
        .await
        .json()
        .await
        .unwrap();
    let contract = &contracts["items"][0];
    assert_eq!(contract["rules"]["extra_allowed"], true);
    let path = format!("/contracts/{}", contract["id"].as_str().unwrap());
    let update = json!({
        "version": contract["version"], "name": "Ally Pally Care", "contract_type_group": "Homecare", "vat_rate_percent": "0",
        "exception_settings": [{"kind": "plan_exceeded", "enabled": true, "threshold_percent": "10", "effect": "suspend"}],
        "rules": {"comment_mandatory": true, "frustrated_comments": ["Hospital Week 1", "Hospital Week 2"]}
    });
    let response = app.put_json(&path, &council, &update).await;
    assert_eq!(response.status(), 200);
    let saved: Value = response.json().await.unwrap();
    assert_eq!(
        saved["rules"]["frustrated_comments"],
        json!(["Hospital Week 1", "Hospital Week 2"])
    );
    assert_eq!(saved["rules"]["comment_mandatory"], true);
    let plan_exceeded = saved["exception_settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "plan_exceeded")
        .unwrap();
    assert_eq!(plan_exceeded["threshold_percent"], "10");
    let does_not_add_up = saved["exception_settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "does_not_add_up")
        .unwrap();
    assert_eq!(
        does_not_add_up["enabled"], true,
        "types left out keep their settings"
    );
    assert_eq!(app.put_json(&path, &council, &update).await.status(), 409);

    // The provider's grid now applies the 10% threshold: E2's 10% over plan is not raised.
    let provider = app.login(ALLY_PALLY).await;
    let services: Value = app.get("/services", &provider).await.json().await.unwrap();
    let service = services["items"][0]["id"].as_str().unwrap();
    let week: Value = app
        .get(
            &format!("/services/{service}/weeks/2022-06-06/actuals"),
            &provider,
        )
        .await
        .json()
        .await
        .unwrap();
    let threshold = week["exception_settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "plan_exceeded")
        .unwrap()["threshold_percent"]
        .clone();
    assert_eq!(threshold, "10");
    assert_eq!(week["rules"]["comment_mandatory"], true);

    // The rules refuse what the council does not accept, naming the field (DOMAIN 14a).
    let eric = client(&week, "Mr Eric Bristow");
    let double = crate::helpers::line(eric, "Homecare Flexible - Bradford - Double-handed");
    let save = |frustrated: &str, actual: &str, comment: &str| {
        json!({"version": eric["version"], "lines": [{
            "cpli_id": double["cpli_id"], "actual": actual, "frustrated": frustrated,
            "missed": "0", "extra": "0", "visits": "1", "comment": comment
        }]})
    };
    let path = format!(
        "/services/{service}/weeks/2022-06-06/clients/{}/actuals",
        eric["client"]["id"].as_str().unwrap()
    );
    let refused = app
        .put_json(&path, &provider, &save("1", "0", "In hospital"))
        .await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(error_fields(&problem), vec!["lines[0].comment"]);
    assert!(problem["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("Hospital Week 1"));
    let refused = app.put_json(&path, &provider, &save("0", "0", "")).await;
    assert_eq!(refused.status(), 422, "a difference needs a comment");
    let accepted = app
        .put_json(&path, &provider, &save("1", "0", "Hospital Week 1"))
        .await;
    assert_eq!(accepted.status(), 200);
}

on_both_databases!(contract_terms_and_rules_are_edited_together);
