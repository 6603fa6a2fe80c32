//! Disputes (DOMAIN 9): council staff dispute Ally Pally's client's actuals for two weeks; the
//! provider finds it by each filter, opens it, amends an actual line through the actuals
//! endpoint with the version the dispute gave, responds and requests resolution; the council
//! reopens, the provider requests again, the council resolves; every step is in the history
//! and the audit trail. Stale versions and illegal steps are 409, the provider's council-only
//! steps 403, another provider's dispute 404, bad input 422 naming every bad field.

use serde_json::{json, Value};

use crate::helpers::{
    client, error_fields, line, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL, DIAMOND,
};
use crate::on_both_databases;
use crate::payments::{enter_e12_week, WEEK};

on_both_databases!(
    a_dispute_runs_its_full_cycle_with_an_amended_actual,
    a_dispute_on_a_single_line_names_it,
    bad_disputes_name_every_bad_field,
);

const DOUBLE: &str = "Homecare Flexible - Bradford - Double-handed";
const NEXT_WEEK: &str = "2022-06-13";

async fn reason_id(app: &TestApp, council: &str, name: &str) -> String {
    let reasons: Value = app
        .get("/council/dispute-reasons", council)
        .await
        .json()
        .await
        .unwrap();
    reasons["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|reason| reason["name"] == name)
        .unwrap_or_else(|| panic!("no reason {name} in {reasons}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Ally Pally's service and its week of 06/06/2022 as entered (E12), as the grid shows it.
async fn entered_week(app: &TestApp, provider: &str) -> (String, Value) {
    let service = app.service_id(provider, "Ally Pally Home Care").await;
    enter_e12_week(app, provider, &service).await;
    let grid: Value = app
        .get(
            &format!("/services/{service}/weeks/{WEEK}/actuals"),
            provider,
        )
        .await
        .json()
        .await
        .unwrap();
    (service, grid)
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let response = app.post_json(path, Some(token), &body).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn read(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get(path, token).await;
    assert_eq!(response.status(), 200, "GET {path}");
    response.json().await.unwrap()
}

/// The ids of the disputes a list answers.
async fn listed(app: &TestApp, token: &str, query: &str) -> Vec<String> {
    read(app, token, &format!("/disputes{query}")).await["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn a_dispute_runs_its_full_cycle_with_an_amended_actual(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let (service, grid) = entered_week(&app, &provider).await;
    let jocky = client(&grid, "Mr Jocky Wilson")["client"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let sid = client(&grid, "Mr Sid Waddell")["client"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reason = reason_id(&app, &council, "Unauthorised extra").await;
    let details =
        "This extra was not agreed. Please adjust the claim for only the planned hours delivered.";

    // Council staff raise it on Jocky Wilson's two weeks.
    let raised = app
        .created(
            &council,
            "/disputes",
            json!({
                "service_id": service, "client_id": jocky, "from": WEEK, "to": NEXT_WEEK,
                "reason_id": reason, "details": details,
            }),
        )
        .await;
    let id = raised["id"].as_str().unwrap().to_owned();
    assert_eq!(raised["status"], "in_dispute");
    assert_eq!(raised["status_label"], "In Dispute");
    assert_eq!(raised["reason"], "Unauthorised extra");
    assert_eq!(raised["details"], details);
    assert_eq!(raised["response"], "");
    assert_eq!(raised["date_range_label"], "06/06/2022 - 19/06/2022");
    assert_eq!(raised["client"]["display_name"], "Mr Jocky Wilson");
    assert_eq!(raised["organisation_name"], "Ally Pally Ltd");
    assert_eq!(raised["version"], 1);
    assert_eq!(raised["weeks"].as_array().unwrap().len(), 2);
    assert_eq!(app.get("/disputes/summary", &council).await.status(), 200);

    // The provider's home page counts it, awaiting them.
    assert_eq!(
        read(&app, &provider, "/disputes/summary").await,
        json!({"open": 1, "awaiting_provider": 1})
    );

    // Each filter finds it, or leaves it out.
    for (query, found) in [
        (String::new(), true),
        (format!("?client={jocky}"), true),
        (format!("?client={sid}"), false),
        ("?from=2022-06-19&to=2022-06-30".to_owned(), true),
        ("?from=2022-06-20".to_owned(), false),
        ("?to=2022-06-06".to_owned(), true),
        ("?to=2022-06-05".to_owned(), false),
        ("?status=in_dispute".to_owned(), true),
        ("?status=resolution_requested,resolved".to_owned(), false),
        (
            format!("?client={jocky}&from=2022-06-01&to=2022-06-12&status=in_dispute"),
            true,
        ),
    ] {
        let ids = listed(&app, &provider, &query).await;
        assert_eq!(ids.contains(&id), found, "/disputes{query}: {ids:?}");
    }
    let response = app
        .get("/disputes?status=open&from=06/06/2022", &provider)
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), vec!["from", "status"]);

    // The provider opens it: Jocky's lines each week, with the versions to save them.
    let dispute = read(&app, &provider, &format!("/disputes/{id}")).await;
    assert_eq!(dispute["history"].as_array().unwrap().len(), 1);
    assert_eq!(dispute["history"][0]["kind"], "raised");
    assert_eq!(dispute["history"][0]["to_status"], "in_dispute");
    assert_eq!(dispute["history"][0]["text"], details);
    let first = &dispute["weeks"][0];
    assert_eq!(first["week"], WEEK);
    assert_eq!(first["week_label"], "06/06/2022");
    let clients = first["actuals"]["clients"].as_array().unwrap();
    assert_eq!(clients.len(), 1, "only the disputed client: {clients:?}");
    let entry = &clients[0];
    assert_eq!(entry["client"]["id"], jocky.as_str());
    assert_eq!(first["version"], entry["version"]);
    let version = first["version"].as_i64().unwrap();
    assert!(version >= 1, "the entered week has a version");
    let double = line(entry, DOUBLE);
    assert_eq!(double["actual"], "10.00");
    assert_eq!(dispute["weeks"][1]["week"], NEXT_WEEK);

    // It amends the line through the actuals endpoint, with the dispute's version.
    let response = app
        .put_json(
            &format!("/services/{service}/weeks/{WEEK}/clients/{jocky}/actuals"),
            &provider,
            &json!({"version": version, "lines": [{
                "cpli_id": double["cpli_id"], "actual": "8", "frustrated": "4", "missed": "0",
                "extra": "0", "visits": double["visits"], "comment": "Extra removed"}]}),
        )
        .await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    let dispute = read(&app, &provider, &format!("/disputes/{id}")).await;
    let first = &dispute["weeks"][0];
    assert_eq!(first["version"], version + 1);
    assert_eq!(
        line(&first["actuals"]["clients"][0], DOUBLE)["actual"],
        "8.00"
    );

    // A stale version is refused; so is an empty response.
    let path = format!("/disputes/{id}/request-resolution");
    let response_text = "Actuals updated: the extra hours were removed.";
    let (status, problem) = post(
        &app,
        &provider,
        &path,
        json!({"version": 0, "response": response_text}),
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    let (status, problem) = post(
        &app,
        &provider,
        &path,
        json!({"version": 1, "response": " "}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), vec!["response"]);

    // The provider can neither resolve nor reopen, nor raise one.
    for step in ["resolve", "reopen"] {
        let (status, _) = post(
            &app,
            &provider,
            &format!("/disputes/{id}/{step}"),
            json!({"version": 1, "comment": "Done"}),
        )
        .await;
        assert_eq!(status, 403, "a provider may not {step}");
    }
    let (status, _) = post(
        &app,
        &provider,
        "/disputes",
        json!({
            "service_id": service, "client_id": jocky, "from": WEEK, "to": WEEK,
            "reason_id": reason, "details": "Mine",
        }),
    )
    .await;
    assert_eq!(status, 403);

    // The council cannot resolve it before resolution is requested, nor request it.
    let (status, problem) = post(
        &app,
        &council,
        &format!("/disputes/{id}/resolve"),
        json!({"version": 1}),
    )
    .await;
    assert_eq!(status, 409, "{problem}");
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("waiting for the provider"));
    let (status, _) = post(
        &app,
        &council,
        &path,
        json!({"version": 1, "response": "On their behalf"}),
    )
    .await;
    assert_eq!(status, 403);

    // The provider responds and requests resolution.
    let (status, answered) = post(
        &app,
        &provider,
        &path,
        json!({"version": 1, "response": response_text}),
    )
    .await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(answered["status"], "resolution_requested");
    assert_eq!(answered["status_label"], "Resolution Requested");
    assert_eq!(answered["response"], response_text);
    assert_eq!(answered["version"], 2);
    assert_eq!(
        read(&app, &provider, "/disputes/summary").await,
        json!({"open": 1, "awaiting_provider": 0})
    );
    // Requesting twice is an illegal step.
    let (status, problem) = post(
        &app,
        &provider,
        &path,
        json!({"version": 2, "response": "Again"}),
    )
    .await;
    assert_eq!(status, 409);
    assert!(problem["detail"]
        .as_str()
        .unwrap()
        .contains("already been requested"));

    // The council reopens it (a comment is required), with a stale version refused first.
    let reopen = format!("/disputes/{id}/reopen");
    let (status, problem) = post(&app, &council, &reopen, json!({"version": 2})).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), vec!["comment"]);
    let comment = "Wednesday still shows the extra hours.";
    let (status, _) = post(
        &app,
        &council,
        &reopen,
        json!({"version": 1, "comment": comment}),
    )
    .await;
    assert_eq!(status, 409);
    let (status, reopened) = post(
        &app,
        &council,
        &reopen,
        json!({"version": 2, "comment": comment}),
    )
    .await;
    assert_eq!(status, 200, "{reopened}");
    assert_eq!(reopened["status"], "in_dispute");
    assert_eq!(
        read(&app, &provider, "/disputes/summary").await,
        json!({"open": 1, "awaiting_provider": 1})
    );
    let (status, _) = post(
        &app,
        &council,
        &reopen,
        json!({"version": 3, "comment": "Again"}),
    )
    .await;
    assert_eq!(status, 409, "reopening an open dispute is an illegal step");

    // The provider requests again; the council resolves.
    let second = "Wednesday corrected as well.";
    let (status, _) = post(
        &app,
        &provider,
        &path,
        json!({"version": 3, "response": second}),
    )
    .await;
    assert_eq!(status, 200);
    let (status, resolved) = post(
        &app,
        &council,
        &format!("/disputes/{id}/resolve"),
        json!({"version": 4, "comment": "Agreed"}),
    )
    .await;
    assert_eq!(status, 200, "{resolved}");
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(resolved["version"], 5);
    assert_eq!(resolved["response"], second);
    assert_eq!(
        read(&app, &provider, "/disputes/summary").await,
        json!({"open": 0, "awaiting_provider": 0})
    );
    assert!(
        listed(&app, &provider, "?status=in_dispute,resolution_requested")
            .await
            .is_empty()
    );
    assert_eq!(
        listed(&app, &council, "?status=resolved").await,
        vec![id.clone()]
    );

    // The history keeps every step: who, from and to which status, and what was said.
    let history = read(&app, &council, &format!("/disputes/{id}")).await["history"].clone();
    let steps: Vec<(&str, &str, &str, &str)> = history
        .as_array()
        .unwrap()
        .iter()
        .map(|event| {
            (
                event["kind"].as_str().unwrap(),
                event["from_status"].as_str().unwrap_or("-"),
                event["to_status"].as_str().unwrap(),
                event["text"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        vec![
            ("raised", "-", "in_dispute", details),
            (
                "resolution_requested",
                "in_dispute",
                "resolution_requested",
                response_text
            ),
            ("reopened", "resolution_requested", "in_dispute", comment),
            (
                "resolution_requested",
                "in_dispute",
                "resolution_requested",
                second
            ),
            ("resolved", "resolution_requested", "resolved", "Agreed"),
        ]
    );
    assert_eq!(history[1]["by"], "Jo Hunter (Ally Pally Ltd)");
    assert!(!history[2]["by"].as_str().unwrap().contains('('));
    assert!(history
        .as_array()
        .unwrap()
        .iter()
        .all(|event| event["at"].is_string()));
    assert_eq!(
        app.store.audit_actions("dispute", &id).await.unwrap(),
        vec![
            "dispute.raise",
            "dispute.resolution_requested",
            "dispute.reopened",
            "dispute.resolution_requested",
            "dispute.resolved",
        ]
    );

    // Another provider never sees it.
    let diamond = app.login(DIAMOND).await;
    assert_eq!(
        app.get(&format!("/disputes/{id}"), &diamond).await.status(),
        404
    );
    let (status, _) = post(
        &app,
        &diamond,
        &path,
        json!({"version": 5, "response": "Mine?"}),
    )
    .await;
    assert_eq!(status, 404);
    assert!(listed(&app, &diamond, "").await.is_empty());
    assert_eq!(
        read(&app, &diamond, "/disputes/summary").await,
        json!({"open": 0, "awaiting_provider": 0})
    );
}

async fn a_dispute_on_a_single_line_names_it(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let (service, grid) = entered_week(&app, &provider).await;
    let sid = client(&grid, "Mr Sid Waddell");
    let sid_id = sid["client"]["id"].as_str().unwrap();
    let cpli = sid["lines"][0]["cpli_id"].as_str().unwrap();
    let reason = reason_id(&app, &council, "Entered actuals exceed support plan").await;
    let dispute = app
        .created(
            &council,
            "/disputes",
            json!({
                "service_id": service, "client_id": sid_id, "from": WEEK, "to": WEEK,
                "cpli_ids": [cpli], "reason_id": reason, "details": "3 hours against 1 planned.",
            }),
        )
        .await;
    assert_eq!(dispute["cpli_ids"], json!([cpli]));
    assert_eq!(dispute["date_range_label"], "06/06/2022 - 12/06/2022");
    let weeks = dispute["weeks"].as_array().unwrap();
    assert_eq!(weeks.len(), 1);
    let lines = weeks[0]["actuals"]["clients"][0]["lines"]
        .as_array()
        .unwrap();
    assert!(lines.iter().any(|line| line["cpli_id"] == cpli));
    // The provider lists it with its line.
    let list = read(&app, &provider, "/disputes").await;
    assert_eq!(list["items"][0]["cpli_ids"], json!([cpli]));

    // Another client's line is not this client's.
    let eric = client(&grid, "Mr Eric Bristow");
    let (status, problem) = post(
        &app,
        &council,
        "/disputes",
        json!({
            "service_id": service, "client_id": sid_id, "from": WEEK, "to": WEEK,
            "cpli_ids": [cpli, eric["lines"][0]["cpli_id"]], "reason_id": reason,
            "details": "Both lines",
        }),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(error_fields(&problem), vec!["cpli_ids[1]"]);
}

async fn bad_disputes_name_every_bad_field(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let (service, grid) = entered_week(&app, &provider).await;
    let jocky = client(&grid, "Mr Jocky Wilson")["client"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let reason = reason_id(&app, &council, "Care not delivered").await;

    // Nothing at all: every field named at once.
    let (status, problem) = post(&app, &council, "/disputes", json!({})).await;
    assert_eq!(status, 422);
    assert_eq!(
        error_fields(&problem),
        vec![
            "service_id",
            "client_id",
            "reason_id",
            "from",
            "to",
            "details"
        ]
    );
    assert_eq!(
        problem["type"]
            .as_str()
            .map(|kind| kind.ends_with("validation")),
        Some(true),
        "{problem}"
    );

    // Missing reason, dates reversed, empty details, a line id that is no id.
    let (status, problem) = post(
        &app,
        &council,
        "/disputes",
        json!({
            "service_id": service, "client_id": jocky, "from": NEXT_WEEK, "to": WEEK,
            "cpli_ids": ["x"], "details": " ",
        }),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(
        error_fields(&problem),
        vec!["reason_id", "to", "cpli_ids[0]", "details"]
    );

    // An unknown reason, a Tuesday, a week not yet started, a client with no care there.
    let (status, problem) = post(
        &app,
        &council,
        "/disputes",
        json!({
            "service_id": service, "client_id": "999999", "from": "2022-06-07", "to": WEEK,
            "reason_id": "999999", "details": "Query",
        }),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(error_fields(&problem), vec!["from", "reason_id"]);
    let (status, problem) = post(
        &app,
        &council,
        "/disputes",
        json!({
            "service_id": service, "client_id": "999999", "from": WEEK, "to": "2099-06-01",
            "reason_id": reason, "details": "Query",
        }),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(error_fields(&problem), vec!["to"]);
    let (status, problem) = post(
        &app,
        &council,
        "/disputes",
        json!({
            "service_id": service, "client_id": "999999", "from": WEEK, "to": WEEK,
            "reason_id": reason, "details": "Query",
        }),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(error_fields(&problem), vec!["client_id"]);

    // Another council's service is not found; a tool-less provider is refused outright.
    let diamond = app.login(DIAMOND).await;
    let diamond_services = read(&app, &diamond, "/services").await;
    let diamond_service = diamond_services["items"][0]["id"].as_str().unwrap();
    let (status, _) = post(
        &app,
        &council,
        "/disputes",
        json!({
            "service_id": diamond_service, "client_id": jocky, "from": WEEK, "to": WEEK,
            "reason_id": reason, "details": "Query",
        }),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(app.get("/disputes/999999", &council).await.status(), 404);
    assert_eq!(app.get("/disputes/not-an-id", &council).await.status(), 404);
}
