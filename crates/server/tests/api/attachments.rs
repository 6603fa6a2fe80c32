//! Attachments of actions and disputes: uploaded as a raw body, listed in the action's or
//! dispute's detail, downloaded byte for byte by those who may see it (404 to anyone else);
//! a file that is empty, too large, of a type not accepted or not what its type says is
//! refused naming the field, and nothing is written; kept in the database or, with
//! `--file-dir`, in that directory under a random name.

use serde_json::{json, Value};

use crate::helpers::{
    error_fields, spawn_app, spawn_app_with_file_dir, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL,
    DIAMOND,
};
use crate::on_both_databases;

on_both_databases!(
    an_action_attachment_comes_back_byte_for_byte_to_those_who_see_the_action,
    bad_files_are_refused_by_name_and_nothing_is_written,
    a_dispute_response_carries_its_evidence,
    the_file_directory_keeps_the_bytes_and_gives_them_back,
);

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n% visit notes\n%%EOF\n";
const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01";
const WEEK: &str = "2022-06-06";

/// An action Ally Pally's contact raises on its client Sid Waddell; the action as answered.
async fn raised_action(app: &TestApp, token: &str) -> Value {
    let options: Value = app
        .get("/action-options", token)
        .await
        .json()
        .await
        .unwrap();
    let kind = options["types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|kind| kind["name"] == "CPLI Amendment")
        .cloned()
        .unwrap();
    let client = options["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entity| entity["kind"] == "client" && entity["name"] == "Mr Sid Waddell (8c846000)")
        .unwrap()["id"]
        .clone();
    app.created(
        token,
        "/actions",
        json!({
            "type_id": kind["id"], "related_kind": "client", "related_id": client,
            "due_on": kind["earliest_due_on"], "title": "Visit times",
            "text": "The family asked for later visits: notes attached."
        }),
    )
    .await
}

async fn upload(
    app: &TestApp,
    token: &str,
    path_and_query: &str,
    content_type: &str,
    body: Vec<u8>,
) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(path_and_query))
        .bearer_auth(token)
        .header("Content-Type", content_type)
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn download(app: &TestApp, token: &str, id: &str) -> reqwest::Response {
    app.get(&format!("/attachments/{id}"), token).await
}

fn text(value: &Value) -> String {
    value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not text"))
        .to_owned()
}

async fn an_action_attachment_comes_back_byte_for_byte_to_those_who_see_the_action(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let action = raised_action(&app, &provider).await;
    let action_id = text(&action["id"]);
    let post_id = text(&action["posts"][0]["id"]);

    // Attached to the opening post, with a path in its name (only the last part is kept).
    let (status, attached) = upload(
        &app,
        &provider,
        &format!("/actions/{action_id}/attachments?file_name=C%3A%5Cnotes%5Cvisit-notes.pdf&post_id={post_id}"),
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(status, 201, "{attached}");
    assert_eq!(attached["file_name"], "visit-notes.pdf");
    assert_eq!(attached["content_type"], "application/pdf");
    assert_eq!(attached["size_bytes"], PDF.len());
    assert_eq!(attached["post_id"], post_id.as_str());
    assert!(
        text(&attached["uploaded_by"]).ends_with("(Ally Pally Ltd)"),
        "{attached}"
    );
    let id = text(&attached["id"]);

    // The action's page lists it under its post.
    let read: Value = app
        .get(&format!("/actions/{action_id}"), &provider)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["attachments"], json!([attached.clone()]));

    // It comes back byte for byte, as a download named as uploaded, to the provider and to
    // the council's staff.
    let council = app.login(BRADFORD_COUNCIL).await;
    for token in [&provider, &council] {
        let response = download(&app, token, &id).await;
        assert_eq!(response.status(), 200);
        assert_eq!(response.headers()["content-type"], "application/pdf");
        let disposition = response.headers()["content-disposition"].to_str().unwrap();
        assert!(disposition.starts_with("attachment"), "{disposition}");
        assert!(disposition.contains("visit-notes.pdf"), "{disposition}");
        assert_eq!(response.bytes().await.unwrap().to_vec(), PDF);
    }

    // Council staff attach to the action itself; not to the provider's post.
    let (status, _) = upload(
        &app,
        &council,
        &format!("/actions/{action_id}/attachments?file_name=rota.csv&post_id={post_id}"),
        "text/csv",
        b"day,visits\nMonday,2\n".to_vec(),
    )
    .await;
    assert_eq!(status, 403);
    let (status, csv) = upload(
        &app,
        &council,
        &format!("/actions/{action_id}/attachments?file_name=rota.csv"),
        "text/csv; charset=utf-8",
        b"day,visits\nMonday,2\n".to_vec(),
    )
    .await;
    assert_eq!(status, 201, "{csv}");
    assert_eq!(csv["post_id"], Value::Null);
    assert_eq!(csv["content_type"], "text/csv");
    // Each upload is audited on the action.
    let audited = app.store.audit_actions("action", &action_id).await.unwrap();
    assert_eq!(
        audited
            .iter()
            .filter(|action| *action == "action.attach")
            .count(),
        2,
        "{audited:?}"
    );

    // Another provider finds neither the files nor the action to attach to.
    let other = app.login(DIAMOND).await;
    for id in [&id, &text(&csv["id"])] {
        let response = download(&app, &other, id).await;
        assert_eq!(response.status(), 404);
        let body = response.text().await.unwrap();
        assert!(
            !body.contains("visit notes") && !body.contains("visit-notes"),
            "{body}"
        );
    }
    let (status, _) = upload(
        &app,
        &other,
        &format!("/actions/{action_id}/attachments?file_name=x.pdf"),
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(status, 404);
    // Nor does a post of another action count as this one's.
    let second = raised_action(&app, &provider).await;
    let (status, _) = upload(
        &app,
        &provider,
        &format!(
            "/actions/{}/attachments?file_name=x.pdf&post_id={post_id}",
            text(&second["id"])
        ),
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(status, 404);
}

async fn bad_files_are_refused_by_name_and_nothing_is_written(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let action = raised_action(&app, &provider).await;
    let path = format!("/actions/{}/attachments", text(&action["id"]));
    let mut too_large = b"%PDF-1.7\n".to_vec();
    too_large.resize(10 * 1024 * 1024 + 1, b' ');
    let mut largest = b"%PDF-1.7\n".to_vec();
    largest.resize(10 * 1024 * 1024, b' ');
    let docx = b"PK\x03\x04\x14\x00[Content_Types].xml word/document.xml".to_vec();
    for (what, query, content_type, body, fields) in [
        (
            "a PNG declared as a PDF",
            "?file_name=scan.pdf",
            "application/pdf",
            PNG.to_vec(),
            vec!["file"],
        ),
        (
            "a Word document declared as Excel",
            "?file_name=a.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            docx.clone(),
            vec!["file"],
        ),
        (
            "binary declared as text",
            "?file_name=notes.txt",
            "text/plain",
            PNG.to_vec(),
            vec!["file"],
        ),
        (
            "over 10 MB",
            "?file_name=big.pdf",
            "application/pdf",
            too_large,
            vec!["file"],
        ),
        (
            "empty",
            "?file_name=empty.pdf",
            "application/pdf",
            Vec::new(),
            vec!["file"],
        ),
        (
            "HTML",
            "?file_name=page.html",
            "text/html",
            b"<html></html>".to_vec(),
            vec!["content_type"],
        ),
        (
            "no name and no type",
            "",
            "",
            PDF.to_vec(),
            vec!["file_name", "content_type"],
        ),
    ] {
        let (status, problem) = upload(
            &app,
            &provider,
            &format!("{path}{query}"),
            content_type,
            body,
        )
        .await;
        assert_eq!(status, 422, "{what}: {problem}");
        assert_eq!(error_fields(&problem), fields, "{what}: {problem}");
    }
    let read: Value = app
        .get(&format!("/actions/{}", text(&action["id"])), &provider)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["attachments"], json!([]), "refused files are not kept");
    assert!(!app
        .store
        .audit_actions("action", &text(&action["id"]))
        .await
        .unwrap()
        .contains(&"action.attach".to_owned()));

    // Exactly 10 MB, and a real Word document's shape, are accepted.
    let (status, big) = upload(
        &app,
        &provider,
        &format!("{path}?file_name=big.pdf"),
        "application/pdf",
        largest.clone(),
    )
    .await;
    assert_eq!(status, 201, "{big}");
    let response = download(&app, &provider, &text(&big["id"])).await;
    assert_eq!(response.bytes().await.unwrap().len(), largest.len());
    let (status, word) = upload(
        &app,
        &provider,
        &format!("{path}?file_name=letter.docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        docx,
    )
    .await;
    assert_eq!(status, 201, "{word}");
}

async fn a_dispute_response_carries_its_evidence(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    let week = app.generated_week(&provider, &service, WEEK).await;
    let client = text(&crate::helpers::client(&week, "Mr Sid Waddell")["client"]["id"]);
    let reasons: Value = app
        .get("/council/dispute-reasons", &council)
        .await
        .json()
        .await
        .unwrap();
    let reason = reasons["items"][0]["id"].clone();
    let dispute = app
        .created(
            &council,
            "/disputes",
            json!({"service_id": service, "client_id": client, "from": WEEK, "to": WEEK,
                   "reason_id": reason, "details": "Were these visits delivered?"}),
        )
        .await;
    let id = text(&dispute["id"]);
    let answered = app
        .post_json(
            &format!("/disputes/{id}/request-resolution"),
            Some(&provider),
            &json!({"version": dispute["version"], "response": "Yes: the call log is attached."}),
        )
        .await;
    assert_eq!(answered.status(), 200);
    let answered: Value = answered.json().await.unwrap();
    let response_step = answered["history"]
        .as_array()
        .unwrap()
        .iter()
        .find(|event| event["kind"] == "resolution_requested")
        .unwrap()["id"]
        .clone();
    let raised_step = text(&answered["history"][0]["id"]);
    let log = b"time,carer\n08:00,Jo\n".to_vec();
    let (status, attached) = upload(
        &app,
        &provider,
        &format!(
            "/disputes/{id}/attachments?file_name=call-log.csv&event_id={}",
            text(&response_step)
        ),
        "text/csv",
        log.clone(),
    )
    .await;
    assert_eq!(status, 201, "{attached}");
    assert_eq!(attached["event_id"], response_step);
    // Not to the council's step.
    let (status, _) = upload(
        &app,
        &provider,
        &format!("/disputes/{id}/attachments?file_name=call-log.csv&event_id={raised_step}"),
        "text/csv",
        log.clone(),
    )
    .await;
    assert_eq!(status, 403);
    let read: Value = app
        .get(&format!("/disputes/{id}"), &council)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["attachments"], json!([attached.clone()]));
    let response = download(&app, &council, &text(&attached["id"])).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap().to_vec(), log);
    let other = app.login(DIAMOND).await;
    assert_eq!(
        download(&app, &other, &text(&attached["id"]))
            .await
            .status(),
        404
    );
    let (status, _) = upload(
        &app,
        &other,
        &format!("/disputes/{id}/attachments?file_name=x.csv"),
        "text/csv",
        log,
    )
    .await;
    assert_eq!(status, 404);
    assert!(app
        .store
        .audit_actions("dispute", &id)
        .await
        .unwrap()
        .contains(&"dispute.attach".to_owned()));
}

async fn the_file_directory_keeps_the_bytes_and_gives_them_back(db: Db) {
    let app = spawn_app_with_file_dir(db).await;
    let directory = app.file_dir.clone().unwrap();
    let provider = app.login(ALLY_PALLY).await;
    let action = raised_action(&app, &provider).await;
    let (status, attached) = upload(
        &app,
        &provider,
        &format!(
            "/actions/{}/attachments?file_name=visit-notes.pdf",
            text(&action["id"])
        ),
        "application/pdf",
        PDF.to_vec(),
    )
    .await;
    assert_eq!(status, 201, "{attached}");
    // One file in the directory, holding the bytes, named by a key and not by the upload.
    let files: Vec<std::path::PathBuf> = std::fs::read_dir(&directory)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let name = files[0].file_name().unwrap().to_string_lossy().to_string();
    assert!(!name.contains("visit"), "{name}");
    assert_eq!(std::fs::read(&files[0]).unwrap(), PDF);
    // Read back from there, byte for byte.
    let response = download(&app, &provider, &text(&attached["id"])).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.bytes().await.unwrap().to_vec(), PDF);
    // A refused file writes nothing there.
    let (status, _) = upload(
        &app,
        &provider,
        &format!(
            "/actions/{}/attachments?file_name=scan.pdf",
            text(&action["id"])
        ),
        "application/pdf",
        PNG.to_vec(),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(std::fs::read_dir(&directory).unwrap().count(), 1);
    // A file changed behind the portal's back is not served as if it were the upload.
    std::fs::write(&files[0], b"%PDF-1.7 tampered").unwrap();
    assert_eq!(
        download(&app, &provider, &text(&attached["id"]))
            .await
            .status(),
        500
    );
}
