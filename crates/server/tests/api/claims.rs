//! One-off claims (DOMAIN 8) through the API: client and provider items with their
//! evidence, every bad field named, the council's approval and rejection, stale versions,
//! other providers kept out, and the approved claims a period is to pay.

use base64::Engine;
use serde_json::{json, Value};

use crate::helpers::{error_fields, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL, DIAMOND};
use crate::on_both_databases;

/// A small PDF, with bytes that are not UTF-8, so a text column would garble them.
fn pdf_bytes() -> Vec<u8> {
    let mut bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
    bytes.extend((0..=255u8).cycle().take(4096));
    bytes.extend_from_slice(b"\n%%EOF\n");
    bytes
}

fn png_bytes() -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    bytes.extend([
        0u8, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0, 0, 1, 0, 0, 0, 1,
    ]);
    bytes
}

fn encoded(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Ally Pally Care's id and Eric Bristow's, as a new claim offers them.
async fn ally_pally_choices(app: &TestApp, token: &str) -> (String, String) {
    let response = app.get("/one-off-claim-options", token).await;
    assert_eq!(response.status(), 200);
    let options: Value = response.json().await.unwrap();
    let contract = options["contracts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|contract| contract["name"] == "Ally Pally Care")
        .unwrap_or_else(|| panic!("no Ally Pally Care in {options}"));
    let client = contract["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|client| client["name"] == "Bristow, Eric (96836000)")
        .unwrap_or_else(|| panic!("no Eric Bristow in {contract}"));
    (
        contract["id"].as_str().unwrap().to_owned(),
        client["id"].as_str().unwrap().to_owned(),
    )
}

fn client_item(contract: &str, client: &str) -> Value {
    json!({
        "contract_id": contract,
        "item": "client",
        "client_id": client,
        "description": "Taxi to hospital appointment",
        "claim_date": "2022-06-06",
        "amount": "45.50",
        "vat": "0",
        "evidence": {
            "file_name": "taxi-receipt.pdf",
            "content_type": "application/pdf",
            "content_base64": encoded(&pdf_bytes()),
        }
    })
}

fn provider_item(contract: &str) -> Value {
    json!({
        "contract_id": contract,
        "item": "provider",
        "description": "Staff training: moving and handling",
        "claim_date": "2022-06-08",
        "amount": "120",
        "vat": "24.00",
        "evidence": {
            "file_name": "training.png",
            "content_type": "image/png",
            "content_base64": encoded(&png_bytes()),
        }
    })
}

async fn decide(app: &TestApp, token: &str, id: &str, body: Value) -> reqwest::Response {
    app.post_json(
        &format!("/one-off-claims/{id}/decision"),
        Some(token),
        &body,
    )
    .await
}

async fn a_provider_submits_client_and_provider_items_with_evidence(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let (contract, client) = ally_pally_choices(&app, &token).await;

    let claim = app
        .created(&token, "/one-off-claims", client_item(&contract, &client))
        .await;
    assert_eq!(claim["status"], "submitted");
    assert_eq!(claim["status_label"], "Submitted");
    assert_eq!(claim["item"], "client");
    assert_eq!(claim["client_name"], "Bristow, Eric (96836000)");
    assert_eq!(claim["contract_name"], "Ally Pally Care");
    assert_eq!(claim["organisation_name"], "Ally Pally Ltd");
    assert_eq!(claim["amount"], "45.50");
    assert_eq!(claim["vat"], "0.00");
    assert_eq!(claim["total"], "45.50");
    assert_eq!(claim["claim_date"], "2022-06-06");
    assert_eq!(claim["version"], 1);
    assert_eq!(claim["evidence"]["file_name"], "taxi-receipt.pdf");
    assert_eq!(claim["evidence"]["content_type"], "application/pdf");
    assert_eq!(claim["evidence"]["size_bytes"], pdf_bytes().len());
    assert!(claim["paid_period"].is_null());

    let provider = app
        .created(&token, "/one-off-claims", provider_item(&contract))
        .await;
    assert_eq!(provider["item"], "provider");
    assert_eq!(provider["item_label"], "Provider item");
    assert!(provider["client_id"].is_null());
    assert_eq!(provider["total"], "144.00");

    // The evidence comes back byte for byte, with its type and name.
    for (claim, bytes, content_type, name) in [
        (&claim, pdf_bytes(), "application/pdf", "taxi-receipt.pdf"),
        (&provider, png_bytes(), "image/png", "training.png"),
    ] {
        let id = claim["id"].as_str().unwrap();
        for who in [&token, &app.login(BRADFORD_COUNCIL).await] {
            let response = app
                .get(&format!("/one-off-claims/{id}/evidence"), who)
                .await;
            assert_eq!(response.status(), 200);
            assert_eq!(response.headers()["content-type"], content_type);
            let disposition = response.headers()["content-disposition"].to_str().unwrap();
            assert!(disposition.contains(name), "{disposition}");
            assert_eq!(response.bytes().await.unwrap().to_vec(), bytes);
        }
    }

    // Both are listed, newest claim date first, and the submission was audited.
    let list: Value = app
        .get("/one-off-claims", &token)
        .await
        .json()
        .await
        .unwrap();
    let descriptions: Vec<&str> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["description"].as_str().unwrap())
        .collect();
    assert_eq!(
        descriptions,
        [
            "Staff training: moving and handling",
            "Taxi to hospital appointment"
        ]
    );
    let id = claim["id"].as_str().unwrap();
    assert_eq!(
        app.store.audit_actions("one_off_claim", id).await.unwrap(),
        ["claim.submit"]
    );
}

async fn every_bad_field_is_named(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let (contract, client) = ally_pally_choices(&app, &token).await;

    let mut bad = client_item(&contract, &client);
    bad["amount"] = json!("12.345");
    bad["claim_date"] = json!("2022-02-30");
    bad["description"] = json!("");
    // A PNG declared as a PDF: the content decides.
    bad["evidence"]["content_base64"] = json!(encoded(&png_bytes()));
    let response = app.post_json("/one-off-claims", Some(&token), &bad).await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = response.json().await.unwrap();
    assert_eq!(
        error_fields(&problem),
        [
            "description",
            "claim_date",
            "amount",
            "evidence.content_type"
        ]
    );

    // Over 5 MB.
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(5 * 1024 * 1024 + 1, b' ');
    let mut oversized = client_item(&contract, &client);
    oversized["evidence"]["content_base64"] = json!(encoded(&big));
    let response = app
        .post_json("/one-off-claims", Some(&token), &oversized)
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["evidence.content_base64"]);

    // A type that is not accepted, content that is not base64, amounts of nothing.
    let mut wrong = provider_item(&contract);
    wrong["evidence"]["content_type"] = json!("text/plain");
    wrong["amount"] = json!("0");
    wrong["vat"] = json!("-1");
    let response = app.post_json("/one-off-claims", Some(&token), &wrong).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(
        error_fields(&problem),
        ["amount", "vat", "evidence.content_type"]
    );
    let mut garbled = provider_item(&contract);
    garbled["evidence"]["content_base64"] = json!("not base64!");
    let response = app
        .post_json("/one-off-claims", Some(&token), &garbled)
        .await;
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["evidence.content_base64"]);

    // A client item needs a client with care under the contract; a provider item none.
    let mut no_client = client_item(&contract, &client);
    no_client["client_id"] = Value::Null;
    let response = app
        .post_json("/one-off-claims", Some(&token), &no_client)
        .await;
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["client_id"]);
    let mut stranger = client_item(&contract, &client);
    stranger["client_id"] = json!("999999");
    let response = app
        .post_json("/one-off-claims", Some(&token), &stranger)
        .await;
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["client_id"]);

    // Missing fields are named too, and nothing was kept.
    let response = app
        .post_json(
            "/one-off-claims",
            Some(&token),
            &json!({ "contract_id": contract }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let list: Value = app
        .get("/one-off-claims", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
}

async fn the_council_approves_and_rejects_with_a_reason(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let (contract, client) = ally_pally_choices(&app, &token).await;
    let first = app
        .created(&token, "/one-off-claims", client_item(&contract, &client))
        .await;
    let second = app
        .created(&token, "/one-off-claims", provider_item(&contract))
        .await;
    let first_id = first["id"].as_str().unwrap();
    let second_id = second["id"].as_str().unwrap();

    // Council staff see the council's claims, filtered by status.
    let submitted: Value = app
        .get("/one-off-claims?status=submitted", &council)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(submitted["items"].as_array().unwrap().len(), 2);

    // The provider cannot decide its own claim.
    let response = decide(
        &app,
        &token,
        first_id,
        json!({ "version": 1, "decision": "approve" }),
    )
    .await;
    assert_eq!(response.status(), 403);

    // A rejection needs a reason.
    let response = decide(
        &app,
        &council,
        second_id,
        json!({ "version": 1, "decision": "reject", "reason": "  " }),
    )
    .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["reason"]);

    let response = decide(
        &app,
        &council,
        first_id,
        json!({ "version": 1, "decision": "approve" }),
    )
    .await;
    assert_eq!(response.status(), 200);
    let approved: Value = response.json().await.unwrap();
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["version"], 2);
    assert_eq!(approved["decided_by"], "Trevor Bland");

    let response = decide(
        &app,
        &council,
        second_id,
        json!({ "version": 1, "decision": "reject", "reason": "No receipt for the course" }),
    )
    .await;
    assert_eq!(response.status(), 200);
    let rejected: Value = response.json().await.unwrap();
    assert_eq!(rejected["status_label"], "Rejected");
    assert_eq!(rejected["reason"], "No receipt for the course");

    // The provider sees both decisions, and the filter finds them.
    let seen: Value = app
        .get(&format!("/one-off-claims/{second_id}"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["status"], "rejected");
    assert_eq!(seen["reason"], "No receipt for the course");
    let approved_list: Value = app
        .get(
            &format!("/one-off-claims?status=approved&contract_id={contract}"),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<&str> = approved_list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [first_id]);
    let response = app.get("/one-off-claims?status=lost", &token).await;
    assert_eq!(response.status(), 422);

    // Each change was audited.
    assert_eq!(
        app.store
            .audit_actions("one_off_claim", first_id)
            .await
            .unwrap(),
        ["claim.submit", "claim.approved"]
    );

    // The approved claim waits for the next period; the rejected one never will.
    let contract_id: i64 = contract.parse().unwrap();
    let to_pay = app.store.claims_to_pay(contract_id).await.unwrap();
    assert_eq!(to_pay.len(), 1);
    let claim = &to_pay[0];
    assert_eq!(claim.id.to_string(), first_id);
    assert_eq!(claim.client_id.map(|id| id.to_string()), Some(client));
    assert_eq!(claim.description, "Taxi to hospital appointment");
    assert_eq!(claim.claim_date, "2022-06-06");
    assert_eq!((claim.amount_pence, claim.vat_pence), (4550, 0));
    assert_eq!(claim.approved_on.len(), 10);
    assert!(approved["decided_at"]
        .as_str()
        .unwrap()
        .starts_with(&claim.approved_on));
}

async fn a_stale_or_second_decision_is_refused(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let (contract, client) = ally_pally_choices(&app, &token).await;
    let claim = app
        .created(&token, "/one-off-claims", client_item(&contract, &client))
        .await;
    let id = claim["id"].as_str().unwrap();
    let response = decide(
        &app,
        &council,
        id,
        json!({ "version": 1, "decision": "approve" }),
    )
    .await;
    assert_eq!(response.status(), 200);
    // Someone decided first: the old version is stale.
    let response = decide(
        &app,
        &council,
        id,
        json!({ "version": 1, "decision": "reject", "reason": "Too late" }),
    )
    .await;
    assert_eq!(response.status(), 409);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "/problems/stale-version");
    // With the current version, a decision is still final.
    let response = decide(
        &app,
        &council,
        id,
        json!({ "version": 2, "decision": "reject", "reason": "Changed my mind" }),
    )
    .await;
    assert_eq!(response.status(), 409);
    let seen: Value = app
        .get(&format!("/one-off-claims/{id}"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["status"], "approved");
    assert_eq!(seen["version"], 2);
}

async fn other_providers_claims_are_not_found(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let (contract, client) = ally_pally_choices(&app, &token).await;
    let claim = app
        .created(&token, "/one-off-claims", client_item(&contract, &client))
        .await;
    let id = claim["id"].as_str().unwrap();

    let other = app.login(DIAMOND).await;
    for path in [
        format!("/one-off-claims/{id}"),
        format!("/one-off-claims/{id}/evidence"),
        "/one-off-claims/999999".to_owned(),
        "/one-off-claims/nonsense".to_owned(),
    ] {
        let response = app.get(&path, &other).await;
        assert_eq!(response.status(), 404, "{path}");
    }
    let list: Value = app
        .get("/one-off-claims", &other)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 0);
    // Nor may it claim under Ally Pally's contract, or decide.
    let response = app
        .post_json(
            "/one-off-claims",
            Some(&other),
            &client_item(&contract, &client),
        )
        .await;
    assert_eq!(response.status(), 404);
    // Deciding is council staff's alone: a provider is refused before any claim is looked
    // up, so the answer says nothing about whose the claim is.
    let response = decide(
        &app,
        &other,
        id,
        json!({ "version": 1, "decision": "approve" }),
    )
    .await;
    assert_eq!(response.status(), 403);
    // Council staff do not submit claims.
    let council = app.login(BRADFORD_COUNCIL).await;
    let response = app
        .post_json(
            "/one-off-claims",
            Some(&council),
            &client_item(&contract, &client),
        )
        .await;
    assert_eq!(response.status(), 403);
}

on_both_databases!(
    a_provider_submits_client_and_provider_items_with_evidence,
    every_bad_field_is_named,
    the_council_approves_and_rejects_with_a_reason,
    a_stale_or_second_decision_is_refused,
    other_providers_claims_are_not_found,
);
