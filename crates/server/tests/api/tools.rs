//! Tools' client credentials and roles: a tool's token reaches only its organisation and
//! its scopes; rotating or revoking stops it at once; a provider role that may not change
//! actuals gets 403.

use serde_json::{json, Value};

use crate::helpers::{
    client, error_fields, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL, DIAMOND,
};
use crate::on_both_databases;

const SERVICE: &str = "Ally Pally Home Care";
const WEEK: &str = "2022-06-06";

/// Council staff issue credentials to a tool for Ally Pally; returns (id, client id, secret).
async fn issue(app: &TestApp, council: &str, scopes: &[&str]) -> (String, String, String) {
    let ally_pally = app.organisation_id(council, "Ally Pally Ltd").await;
    let response = app
        .post_json(
            "/tool-clients",
            Some(council),
            &json!({ "organisation_id": ally_pally, "name": "CallTime rostering", "scopes": scopes }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    assert_eq!(created["tool"]["organisation_name"], "Ally Pally Ltd");
    (
        created["tool"]["id"].as_str().unwrap().to_owned(),
        created["tool"]["client_id"].as_str().unwrap().to_owned(),
        created["client_secret"].as_str().unwrap().to_owned(),
    )
}

/// The client-credentials grant, credentials by HTTP Basic.
async fn exchange(
    app: &TestApp,
    client_id: &str,
    secret: &str,
    scope: Option<&str>,
) -> reqwest::Response {
    let mut form = vec![("grant_type", "client_credentials")];
    if let Some(scope) = scope {
        form.push(("scope", scope));
    }
    app.client
        .post(app.url("/auth/token"))
        .basic_auth(client_id, Some(secret))
        .form(&form)
        .send()
        .await
        .unwrap()
}

async fn token(app: &TestApp, client_id: &str, secret: &str, scope: Option<&str>) -> String {
    let response = exchange(app, client_id, secret, scope).await;
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["token_type"], "Bearer");
    body["access_token"].as_str().unwrap().to_owned()
}

async fn generate(app: &TestApp, token: &str, service: &str) -> reqwest::Response {
    app.post_json(
        &format!("/services/{service}/weeks/{WEEK}/actuals/generate"),
        Some(token),
        &json!({}),
    )
    .await
}

async fn a_tool_submits_actuals_only_for_its_organisation_and_within_its_scopes(db: Db) {
    let app = spawn_app(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let (tool_id, client_id, secret) =
        issue(&app, &council, &["cplis:read", "actuals:write"]).await;
    assert!(secret.starts_with("pps_") && secret.len() > 40);

    // The list never shows the secret again.
    let listed = app
        .get("/tool-clients", &council)
        .await
        .text()
        .await
        .unwrap();
    assert!(listed.contains(&client_id));
    assert!(!listed.contains(&secret));

    let response = exchange(&app, &client_id, &secret, None).await;
    assert_eq!(response.status(), 200);
    let granted: Value = response.json().await.unwrap();
    assert_eq!(granted["scope"], "cplis:read actuals:write");
    let tool = granted["access_token"].as_str().unwrap().to_owned();

    // cplis:read: its own organisation's services, and no one else's.
    let services: Value = app.get("/services", &tool).await.json().await.unwrap();
    let names: Vec<&str> = services["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|service| service["organisation_name"].as_str().unwrap())
        .collect();
    assert!(!names.is_empty());
    assert!(
        names.iter().all(|name| *name == "Ally Pally Ltd"),
        "{names:?}"
    );
    let service = app.service_id(&tool, SERVICE).await;

    // actuals:write: generate and save a client's week.
    let response = generate(&app, &tool, &service).await;
    assert_eq!(response.status(), 200);
    let outcome: Value = response.json().await.unwrap();
    let eric = client(&outcome["week"], "Mr Eric Bristow");
    let client_id_of_eric = eric["client"]["id"].as_str().unwrap();
    let lines: Vec<Value> = eric["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| {
            json!({"cpli_id": line["cpli_id"], "actual": "6", "frustrated": "0", "missed": "1",
                   "extra": "0", "visits": line["visits"], "comment": "From the rostering system"})
        })
        .collect();
    let response = app
        .put_json(
            &format!("/services/{service}/weeks/{WEEK}/clients/{client_id_of_eric}/actuals"),
            &tool,
            &json!({ "version": eric["version"], "lines": lines }),
        )
        .await;
    assert_eq!(response.status(), 200);

    // No actuals:read, so reading the week is refused; and nothing council-only.
    let response = app
        .get(&format!("/services/{service}/weeks/{WEEK}/actuals"), &tool)
        .await;
    assert_eq!(response.status(), 403);
    let problem: Value = response.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("actuals:read"));
    for path in ["/accounts", "/tool-clients", "/me", "/organisations"] {
        assert_eq!(app.get(path, &tool).await.status(), 403, "{path}");
    }

    // Another organisation's service is not found.
    let diamond = app.login(DIAMOND).await;
    let diamonds_service = app
        .service_id(&diamond, "Diamond Home Care - Tame Valley")
        .await;
    assert_eq!(generate(&app, &tool, &diamonds_service).await.status(), 404);

    // A token asked for with fewer scopes has only those.
    let reader = token(&app, &client_id, &secret, Some("cplis:read")).await;
    assert_eq!(generate(&app, &reader, &service).await.status(), 403);
    let cplis: Value = app.get("/cplis", &reader).await.json().await.unwrap();
    assert!(!cplis["items"].as_array().unwrap().is_empty());
    let response = exchange(&app, &client_id, &secret, Some("actuals:read")).await;
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["error"], "invalid_scope");

    // A wrong secret: 401, in the OAuth and the problem+json vocabularies both.
    let response = exchange(&app, &client_id, "pps_wrong", None).await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["error"], "invalid_client");

    // Rotating: the old secret and the old token stop at once; the new secret works.
    let response = app
        .post_json(
            &format!("/tool-clients/{tool_id}/rotate"),
            Some(&council),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let rotated: Value = response.json().await.unwrap();
    let new_secret = rotated["client_secret"].as_str().unwrap().to_owned();
    assert_ne!(new_secret, secret);
    assert_eq!(
        exchange(&app, &client_id, &secret, None).await.status(),
        401
    );
    assert_eq!(app.get("/services", &tool).await.status(), 401);
    let fresh = token(&app, &client_id, &new_secret, None).await;
    assert_eq!(app.get("/services", &fresh).await.status(), 200);

    // Revoking: nothing works any more, and the list says when.
    let response = app
        .post_json(
            &format!("/tool-clients/{tool_id}/revoke"),
            Some(&council),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let revoked: Value = response.json().await.unwrap();
    assert!(revoked["revoked_at"].is_string());
    assert_eq!(app.get("/services", &fresh).await.status(), 401);
    assert_eq!(
        exchange(&app, &client_id, &new_secret, None).await.status(),
        401
    );
}

async fn only_council_staff_issue_credentials_and_bad_requests_name_every_field(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let response = app
        .post_json(
            "/tool-clients",
            Some(&provider),
            &json!({"organisation_id": "1", "name": "Mine", "scopes": ["actuals:write"]}),
        )
        .await;
    assert_eq!(response.status(), 403);
    assert_eq!(app.get("/tool-clients", &provider).await.status(), 403);

    let council = app.login(BRADFORD_COUNCIL).await;
    let response = app
        .post_json(
            "/tool-clients",
            Some(&council),
            &json!({"organisation_id": "999999", "name": " ", "scopes": ["actuals:write", "admin"]}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(
        error_fields(&problem),
        ["name", "organisation_id", "scopes[1]"]
    );
    // Stockport's organisation is not Bradford's to issue credentials for.
    let diamond = app.login(DIAMOND).await;
    let me: Value = app.get("/me", &diamond).await.json().await.unwrap();
    let response = app
        .post_json(
            "/tool-clients",
            Some(&council),
            &json!({"organisation_id": me["organisations"][0]["id"], "name": "X", "scopes": ["actuals:write"]}),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        app.post_json("/tool-clients/999999/revoke", Some(&council), &json!({}))
            .await
            .status(),
        404
    );

    // The token endpoint speaks OAuth: a form, the one grant type.
    let response = app
        .client
        .post(app.url("/auth/token"))
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["error"], "invalid_request");
    let response = app
        .client
        .post(app.url("/auth/token"))
        .form(&[("grant_type", "password")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["error"], "unsupported_grant_type");
}

/// Council staff create a contact at Ally Pally in `role`, who then signs in for the first
/// time; returns their access token.
async fn new_contact(app: &TestApp, council: &str, email: &str, role: &str) -> String {
    let ally_pally = app.organisation_id(council, "Ally Pally Ltd").await;
    let response = app
        .post_json(
            "/accounts",
            Some(council),
            &json!({"kind": "provider", "email": email, "name": "Sam Office",
                    "memberships": [{"organisation_id": ally_pally, "role": role}]}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    let temporary = created["temporary_password"].as_str().unwrap();
    let challenge: Value = app
        .start_login(email, temporary)
        .await
        .json()
        .await
        .unwrap();
    let id = &challenge["challenge_id"];
    let response = app
        .post_json(
            "/auth/first-sign-in/password",
            None,
            &json!({"challenge_id": id, "new_password": "marmalade kettle orbit tuesday"}),
        )
        .await;
    assert_eq!(response.status(), 204);
    let response = app
        .post_json(
            "/auth/first-sign-in/security-code",
            None,
            &json!({"challenge_id": id, "security_code": "240613", "security_code_confirmation": "240613"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let session: Value = response.json().await.unwrap();
    session["access_token"].as_str().unwrap().to_owned()
}

async fn an_administration_contact_reads_actuals_but_may_not_change_them(db: Db) {
    let app = spawn_app(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let office = new_contact(
        &app,
        &council,
        "sam.office@allypally.example",
        "administration",
    )
    .await;
    let service = app.service_id(&office, SERVICE).await;
    let response = app
        .get(
            &format!("/services/{service}/weeks/{WEEK}/actuals"),
            &office,
        )
        .await;
    assert_eq!(response.status(), 200);
    let response = generate(&app, &office, &service).await;
    assert_eq!(response.status(), 403);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(
        problem["detail"],
        "Your role here is Administration, which cannot enter or change actuals. Ask a manager of your organisation."
    );
    let me: Value = app.get("/me", &office).await.json().await.unwrap();
    assert_eq!(me["organisations"][0]["role"], "administration");

    // A manager may.
    let manager = new_contact(&app, &council, "max.manager@allypally.example", "manager").await;
    assert_eq!(generate(&app, &manager, &service).await.status(), 200);
}

on_both_databases!(
    a_tool_submits_actuals_only_for_its_organisation_and_within_its_scopes,
    only_council_staff_issue_credentials_and_bad_requests_name_every_field,
    an_administration_contact_reads_actuals_but_may_not_change_them,
);
