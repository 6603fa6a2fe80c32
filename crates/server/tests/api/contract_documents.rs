//! Contract documents (DOMAIN 11): council staff publish a PDF for a provider's service; the
//! provider downloads it and agrees with the right password (a signature with the PDF's
//! hash) or is refused with a wrong one; a rejection needs a reason; terminated documents
//! stay listed; another provider's document is not found.

use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::helpers::{error_fields, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL, DIAMOND};
use crate::on_both_databases;

on_both_databases!(a_document_is_agreed_with_the_password_and_refused_without_it);

/// A small but real PDF's bytes: what the first-bytes check looks for.
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn new_document(service: &str, title: &str) -> Value {
    json!({
        "service_id": service, "document_type": "Provider Contract", "title": title,
        "starts_on": "2022-04-01", "ends_on": "2023-03-31",
        "file": {"file_name": "contract.pdf", "content_type": "application/pdf",
                 "content_base64": base64::engine::general_purpose::STANDARD.encode(PDF)}
    })
}

async fn send(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let response = app.post_json(path, Some(token), &body).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn a_document_is_agreed_with_the_password_and_refused_without_it(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;

    // Only council staff publish, and only a checked PDF with sensible dates.
    let (status, _) = send(
        &app,
        &provider,
        "/contract-documents",
        new_document(&service, "x"),
    )
    .await;
    assert_eq!(status, 403);
    let mut bad = new_document(&service, "");
    bad["ends_on"] = json!("2022-03-01");
    bad["file"]["content_base64"] =
        json!(base64::engine::general_purpose::STANDARD.encode(b"not a pdf"));
    let (status, problem) = send(&app, &council, "/contract-documents", bad).await;
    assert_eq!(status, 422, "{problem}");
    let fields = error_fields(&problem);
    for field in ["title", "ends_on"] {
        assert!(fields.contains(&field), "{field} in {problem}");
    }
    assert!(
        fields.iter().any(|field| field.starts_with("file.")),
        "{problem}"
    );

    let (status, document) = send(
        &app,
        &council,
        "/contract-documents",
        new_document(&service, "Home care contract 2022/2023"),
    )
    .await;
    assert_eq!(status, 201, "{document}");
    assert_eq!(document["status_label"], "Published");
    let hash = format!("{:x}", Sha256::digest(PDF));
    assert_eq!(document["sha256"], hash.as_str());
    let id = document["id"].as_str().unwrap().to_owned();

    // The provider finds it and downloads exactly the bytes published.
    let list: Value = app
        .get("/contract-documents?status=published", &provider)
        .await
        .json()
        .await
        .unwrap();
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|item| item["id"] == id.as_str()));
    let file = app
        .get(&format!("/contract-documents/{id}/file"), &provider)
        .await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.headers()["content-type"], "application/pdf");
    assert_eq!(file.bytes().await.unwrap().as_ref(), PDF);

    // A wrong password signs nothing; council staff cannot sign for the provider.
    let path = format!("/contract-documents/{id}/decision");
    let (status, problem) = send(
        &app,
        &provider,
        &path,
        json!({"version": 1, "decision": "agree", "password": "not-my-password"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["password"]);
    let (status, _) = send(
        &app,
        &council,
        &path,
        json!({"version": 1, "decision": "agree", "password": "portal-demo-2022"}),
    )
    .await;
    assert_eq!(status, 403);
    let read: Value = app
        .get(&format!("/contract-documents/{id}"), &provider)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["status"], "published");
    assert!(read["signatures"].as_array().unwrap().is_empty());

    // The right password signs: who, when, and the hash of what they saw.
    let (status, agreed) = send(
        &app,
        &provider,
        &path,
        json!({"version": 1, "decision": "agree", "password": "portal-demo-2022"}),
    )
    .await;
    assert_eq!(status, 200, "{agreed}");
    assert_eq!(agreed["status_label"], "Agreed");
    let signature = &agreed["signatures"][0];
    assert_eq!(signature["decision"], "agreed");
    assert_eq!(signature["document_sha256"], hash.as_str());
    assert_eq!(signature["signed_by"], "Jo Hunter");
    assert!(!signature["signed_at"].as_str().unwrap().is_empty());
    let (status, _) = send(
        &app,
        &provider,
        &path,
        json!({"version": 2, "decision": "reject", "reason": "late", "password": "portal-demo-2022"}),
    )
    .await;
    assert_eq!(status, 409, "an agreed document is not decided again");

    // A rejection needs a reason.
    let (_, second) = send(
        &app,
        &council,
        "/contract-documents",
        new_document(&service, "Variation letter"),
    )
    .await;
    let second_path = format!(
        "/contract-documents/{}/decision",
        second["id"].as_str().unwrap()
    );
    let (status, problem) = send(
        &app,
        &provider,
        &second_path,
        json!({"version": 1, "decision": "reject", "password": "portal-demo-2022"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["reason"]);
    let (status, rejected) = send(
        &app,
        &provider,
        &second_path,
        json!({"version": 1, "decision": "reject", "reason": "The rates are last year's.",
               "password": "portal-demo-2022"}),
    )
    .await;
    assert_eq!(status, 200, "{rejected}");
    assert_eq!(
        rejected["signatures"][0]["reason"],
        "The rates are last year's."
    );

    // Terminated documents stay listed; a stale version is refused.
    let terminate = format!("/contract-documents/{id}/terminate");
    let (status, _) = send(&app, &council, &terminate, json!({"version": 1})).await;
    assert_eq!(status, 409);
    let (status, _) = send(&app, &provider, &terminate, json!({"version": 2})).await;
    assert_eq!(status, 403);
    let (status, terminated) = send(&app, &council, &terminate, json!({"version": 2})).await;
    assert_eq!(status, 200, "{terminated}");
    assert_eq!(terminated["status_label"], "Terminated");
    let list: Value = app
        .get("/contract-documents?status=terminated", &provider)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"][0]["id"], id.as_str());
    assert_eq!(list["items"][0]["signatures"][0]["decision"], "agreed");

    // Another provider sees none of it.
    let diamond = app.login(DIAMOND).await;
    for read in [
        format!("/contract-documents/{id}"),
        format!("/contract-documents/{id}/file"),
    ] {
        assert_eq!(app.get(&read, &diamond).await.status(), 404, "{read}");
    }
    let list: Value = app
        .get("/contract-documents", &diamond)
        .await
        .json()
        .await
        .unwrap();
    assert!(list["items"].as_array().unwrap().is_empty());
}
