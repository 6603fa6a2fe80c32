//! Change requests (DOMAIN 10): Ally Pally's manager asks for the organisation's telephone
//! to change; it stays as it was until Bradford's staff approve, then the organisation
//! shows the new number (with an audit row). A service rename is rejected with a reason:
//! the old name stays and the reason is shown. A finance contact may change only their own
//! details; a new contact, once approved, is an account of the organisation. Providers
//! cannot decide (403), another provider's records are 404, bad input is 422 naming every
//! field, a stale or second decision is 409.

use serde_json::{json, Value};

use crate::helpers::{error_fields, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL, DIAMOND};
use crate::on_both_databases;

on_both_databases!(
    an_approved_organisation_change_is_applied,
    a_rejected_service_change_keeps_the_old_name_and_says_why,
    contacts_ask_for_their_own_details_and_new_contacts,
    another_providers_records_are_not_found,
    bad_change_requests_name_every_bad_field,
);

/// Manager of Ally Pally and Diamond Home Care in the demo.
const PAT: &str = "pat.morgan@carecollective.example";

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let response = app.post_json(path, Some(token), &body).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn read(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get(path, token).await;
    let status = response.status();
    let body = response.json().await.unwrap_or(Value::Null);
    assert_eq!(status, 200, "GET {path}: {body}");
    body
}

/// The caller's organisation whose name starts with `name`.
async fn organisation(app: &TestApp, token: &str, name: &str) -> Value {
    read(app, token, "/organisations").await["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|organisation| {
            organisation["name"]
                .as_str()
                .is_some_and(|text| text.starts_with(name))
        })
        .cloned()
        .unwrap_or_else(|| panic!("no organisation {name}"))
}

fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn an_approved_organisation_change_is_applied(db: Db) {
    let app = spawn_app(db).await;
    let pat = app.login(PAT).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let ally_pally = organisation(&app, &pat, "Ally Pally").await;
    let id = ally_pally["id"].as_str().unwrap();
    let old_phone = ally_pally["phone"].as_str().unwrap().to_owned();

    // The form sends every field; only the telephone differs.
    let (status, request) = post(
        &app,
        &pat,
        "/change-requests",
        json!({
            "kind": "update_organisation", "organisation_id": id,
            "values": {
                "name": ally_pally["name"], "address_line1": ally_pally["address_line1"],
                "town": ally_pally["town"], "postcode": ally_pally["postcode"],
                "email": ally_pally["email"], "phone": "01274 999888"
            }
        }),
    )
    .await;
    assert_eq!(status, 201, "{request}");
    assert_eq!(request["status"], "pending_review");
    assert_eq!(request["status_label"], "Pending Review");
    assert_eq!(request["kind_label"], "Update Organisation");
    assert_eq!(request["entity_name"], ally_pally["name"]);
    assert_eq!(request["requested_by"], "Pat Morgan");
    assert_eq!(
        request["changes"],
        json!([{"field": "phone", "label": "Telephone", "old": old_phone, "new": "01274 999888"}])
    );
    let request_id = request["id"].as_str().unwrap();

    // Nothing changes until the council decides.
    let before = read(&app, &pat, &format!("/organisations/{id}")).await;
    assert_eq!(before["phone"], old_phone.as_str());
    let pending = read(&app, &council, "/change-requests?status=pending_review").await;
    assert!(ids(&pending).contains(&request_id.to_owned()));

    // Providers cannot decide, whatever their role.
    let path = format!("/change-requests/{request_id}/approve");
    let (status, _) = post(&app, &pat, &path, json!({"version": 1})).await;
    assert_eq!(status, 403);
    let finance = app.login(ALLY_PALLY).await;
    let (status, _) = post(&app, &finance, &path, json!({"version": 1})).await;
    assert_eq!(status, 403);

    // A stale version is refused and nothing is applied.
    let (status, problem) = post(&app, &council, &path, json!({"version": 7})).await;
    assert_eq!(status, 409, "{problem}");
    assert_eq!(
        read(&app, &pat, &format!("/organisations/{id}")).await["phone"],
        old_phone.as_str()
    );

    let (status, approved) = post(&app, &council, &path, json!({"version": 1})).await;
    assert_eq!(status, 200, "{approved}");
    let approved = &approved["change_request"];
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["status_label"], "Approved");
    assert_eq!(approved["decided_by"], "Trevor Bland");
    assert!(approved["decided_at"].is_string());
    assert_eq!(approved["rejection_reason"], Value::Null);

    // The organisation now shows the new number, to the provider and the council.
    let after = read(&app, &pat, &format!("/organisations/{id}")).await;
    assert_eq!(after["phone"], "01274 999888");
    assert_eq!(after["name"], ally_pally["name"]);
    assert_eq!(
        after["version"],
        ally_pally["version"].as_i64().unwrap() + 1
    );
    let mine = read(&app, &pat, &format!("/change-requests/{request_id}")).await;
    assert_eq!(mine["status"], "approved");
    assert_eq!(
        app.store.audit_actions("organisation", id).await.unwrap(),
        ["organisation.edit"]
    );
    assert_eq!(
        app.store
            .audit_actions("change_request", request_id)
            .await
            .unwrap(),
        ["change_request.raise", "change_request.approve"]
    );

    // Decided once: a second decision is a conflict.
    let (status, _) = post(&app, &council, &path, json!({"version": 2})).await;
    assert_eq!(status, 409);
    let (status, _) = post(
        &app,
        &council,
        &format!("/change-requests/{request_id}/reject"),
        json!({"version": 2, "reason": "Too late"}),
    )
    .await;
    assert_eq!(status, 409);
}

async fn a_rejected_service_change_keeps_the_old_name_and_says_why(db: Db) {
    let app = spawn_app(db).await;
    let pat = app.login(PAT).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let ally_pally = organisation(&app, &pat, "Ally Pally").await;
    let service_id = app.service_id(&pat, "Ally Pally Home Care").await;
    let (status, request) = post(
        &app,
        &pat,
        "/change-requests",
        json!({
            "kind": "update_service", "organisation_id": ally_pally["id"],
            "service_id": service_id, "values": {"name": "Ally Pally Care at Home"}
        }),
    )
    .await;
    assert_eq!(status, 201, "{request}");
    assert_eq!(request["entity_name"], "Ally Pally Home Care");
    let request_id = request["id"].as_str().unwrap();
    let path = format!("/change-requests/{request_id}/reject");

    // A rejection must say why.
    let (status, problem) =
        post(&app, &council, &path, json!({"version": 1, "reason": "  "})).await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["reason"]);
    let (status, problem) = post(
        &app,
        &council,
        &path,
        json!({"version": 1, "reason": "Other: More detail required"}),
    )
    .await;
    assert_eq!(status, 200, "{problem}");
    assert_eq!(problem["status"], "rejected");

    // The provider sees it rejected, with the reason; the service keeps its name.
    let rejected = read(&app, &pat, "/change-requests?status=rejected").await;
    let mine = rejected["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == request_id)
        .expect("the rejected request is listed");
    assert_eq!(mine["status_label"], "Rejected");
    assert_eq!(mine["rejection_reason"], "Other: More detail required");
    assert_eq!(mine["changes"][0]["old"], "Ally Pally Home Care");
    assert_eq!(mine["changes"][0]["new"], "Ally Pally Care at Home");
    let pending = read(&app, &pat, "/change-requests?status=pending_review").await;
    assert!(!ids(&pending).contains(&request_id.to_owned()));
    let service = read(&app, &pat, &format!("/services/{service_id}")).await;
    assert_eq!(service["service"]["name"], "Ally Pally Home Care");
    assert!(app
        .store
        .audit_actions("service", &service_id)
        .await
        .unwrap()
        .is_empty());

    // Rejected once: approving it now is a conflict.
    let (status, _) = post(
        &app,
        &council,
        &format!("/change-requests/{request_id}/approve"),
        json!({"version": 2}),
    )
    .await;
    assert_eq!(status, 409);
}

async fn contacts_ask_for_their_own_details_and_new_contacts(db: Db) {
    let app = spawn_app(db).await;
    let finance = app.login(ALLY_PALLY).await;
    let pat = app.login(PAT).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let ally_pally = organisation(&app, &finance, "Ally Pally").await;
    let organisation_id = ally_pally["id"].as_str().unwrap();
    let contacts = read(
        &app,
        &finance,
        &format!("/organisations/{organisation_id}/contacts"),
    )
    .await;
    let me = contacts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|contact| contact["email"] == ALLY_PALLY)
        .cloned()
        .expect("the caller is a contact of their organisation");
    assert_eq!(me["role"], "finance");

    // A finance contact may not ask for the organisation's details to change...
    let (status, _) = post(
        &app,
        &finance,
        "/change-requests",
        json!({"kind": "update_organisation", "organisation_id": organisation_id,
               "values": {"phone": "01274 111111"}}),
    )
    .await;
    assert_eq!(status, 403);
    // ...but may ask for their own.
    let (status, request) = post(
        &app,
        &finance,
        "/change-requests",
        json!({"kind": "update_contact", "organisation_id": organisation_id,
               "account_id": me["id"], "values": {"phone": "07700 900123"}}),
    )
    .await;
    assert_eq!(status, 201, "{request}");
    let (status, approved) = post(
        &app,
        &council,
        &format!(
            "/change-requests/{}/approve",
            request["id"].as_str().unwrap()
        ),
        json!({"version": 1}),
    )
    .await;
    assert_eq!(status, 200, "{approved}");
    let contacts = read(
        &app,
        &finance,
        &format!("/organisations/{organisation_id}/contacts"),
    )
    .await;
    assert!(contacts["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|contact| contact["email"] == ALLY_PALLY && contact["phone"] == "07700 900123"));

    // A manager asks for a new contact; approval makes their account, with a one-time password.
    let (status, request) = post(
        &app,
        &pat,
        "/change-requests",
        json!({"kind": "new_contact", "organisation_id": organisation_id,
               "values": {"name": "Dawn Newcontact", "email": "dawn@allypally.example",
                          "job_title": "Office manager", "role": "administration"}}),
    )
    .await;
    assert_eq!(status, 201, "{request}");
    assert_eq!(request["kind_label"], "New Contact");
    assert_eq!(request["target_id"], Value::Null);
    let (status, approved) = post(
        &app,
        &council,
        &format!(
            "/change-requests/{}/approve",
            request["id"].as_str().unwrap()
        ),
        json!({"version": 1}),
    )
    .await;
    assert_eq!(status, 200, "{approved}");
    assert!(approved["temporary_password"]
        .as_str()
        .is_some_and(|password| password.len() >= 12));
    let contacts = read(
        &app,
        &pat,
        &format!("/organisations/{organisation_id}/contacts"),
    )
    .await;
    let dawn = contacts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|contact| contact["email"] == "dawn@allypally.example")
        .cloned()
        .expect("the new contact is the organisation's");
    assert_eq!(dawn["role"], "administration");
    assert_eq!(approved["change_request"]["target_id"], dawn["id"]);

    // Her role becomes manager, then is removed: she no longer acts for Ally Pally.
    for (kind, values) in [
        ("add_role", json!({"role": "manager"})),
        ("remove_role", json!({})),
    ] {
        let (status, request) = post(
            &app,
            &pat,
            "/change-requests",
            json!({"kind": kind, "organisation_id": organisation_id,
                   "account_id": dawn["id"], "values": values}),
        )
        .await;
        assert_eq!(status, 201, "{kind}: {request}");
        let (status, approved) = post(
            &app,
            &council,
            &format!(
                "/change-requests/{}/approve",
                request["id"].as_str().unwrap()
            ),
            json!({"version": 1}),
        )
        .await;
        assert_eq!(status, 200, "{kind}: {approved}");
        let contacts = read(
            &app,
            &pat,
            &format!("/organisations/{organisation_id}/contacts"),
        )
        .await;
        let role = contacts["items"]
            .as_array()
            .unwrap()
            .iter()
            .find(|contact| contact["id"] == dawn["id"])
            .map(|contact| contact["role"].clone());
        match kind {
            "add_role" => assert_eq!(role, Some(json!("manager"))),
            _ => assert_eq!(role, None),
        }
    }
}

async fn another_providers_records_are_not_found(db: Db) {
    let app = spawn_app(db).await;
    let finance = app.login(ALLY_PALLY).await;
    let diamond = app.login(DIAMOND).await;
    let ally_pally = organisation(&app, &finance, "Ally Pally").await;
    let diamond_organisation = organisation(&app, &diamond, "Diamond").await;
    let diamond_service = read(&app, &diamond, "/services").await["items"][0]["id"].clone();
    let diamond_contacts = read(
        &app,
        &diamond,
        &format!(
            "/organisations/{}/contacts",
            diamond_organisation["id"].as_str().unwrap()
        ),
    )
    .await;
    let greg = diamond_contacts["items"][0]["id"].clone();
    for body in [
        json!({"kind": "update_contact", "organisation_id": diamond_organisation["id"],
               "account_id": greg, "values": {"phone": "0161 000 0000"}}),
        json!({"kind": "update_service", "organisation_id": ally_pally["id"],
               "service_id": diamond_service, "values": {"name": "Mine now"}}),
        json!({"kind": "update_contact", "organisation_id": ally_pally["id"],
               "account_id": greg, "values": {"phone": "0161 000 0000"}}),
    ] {
        let (status, problem) = post(&app, &finance, "/change-requests", body.clone()).await;
        assert_eq!(status, 404, "{body}: {problem}");
    }
    let response = app
        .get(
            &format!(
                "/organisations/{}/contacts",
                diamond_organisation["id"].as_str().unwrap()
            ),
            &finance,
        )
        .await;
    assert_eq!(response.status(), 404);

    // Diamond's own request is not Ally Pally's to read, nor Bradford's to decide.
    let (status, request) = post(
        &app,
        &diamond,
        "/change-requests",
        json!({"kind": "update_contact", "organisation_id": diamond_organisation["id"],
               "account_id": greg, "values": {"job_title": "Head of Finance and Information"}}),
    )
    .await;
    assert_eq!(status, 201, "{request}");
    let request_id = request["id"].as_str().unwrap();
    let response = app
        .get(&format!("/change-requests/{request_id}"), &finance)
        .await;
    assert_eq!(response.status(), 404);
    assert!(!ids(&read(&app, &finance, "/change-requests").await).contains(&request_id.to_owned()));
    let bradford = app.login(BRADFORD_COUNCIL).await;
    let (status, _) = post(
        &app,
        &bradford,
        &format!("/change-requests/{request_id}/approve"),
        json!({"version": 1}),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(
        read(&app, &diamond, &format!("/change-requests/{request_id}")).await["status"],
        "pending_review"
    );
}

async fn bad_change_requests_name_every_bad_field(db: Db) {
    let app = spawn_app(db).await;
    let pat = app.login(PAT).await;
    let ally_pally = organisation(&app, &pat, "Ally Pally").await;

    let (status, problem) = post(
        &app,
        &pat,
        "/change-requests",
        json!({"kind": "rename_everything", "organisation_id": ""}),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(error_fields(&problem), ["kind", "organisation_id"]);

    let (status, problem) = post(
        &app,
        &pat,
        "/change-requests",
        json!({"kind": "update_organisation", "organisation_id": ally_pally["id"],
               "values": {"name": " ", "fax": "01274 000001", "email": "not an address",
                          "postcode": "BD1 1AA BD1 1AA"}}),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let mut fields = error_fields(&problem);
    fields.sort_unstable();
    assert_eq!(
        fields,
        [
            "values.email",
            "values.fax",
            "values.name",
            "values.postcode"
        ]
    );

    // A request that changes nothing is refused, naming the values.
    let (status, problem) = post(
        &app,
        &pat,
        "/change-requests",
        json!({"kind": "update_organisation", "organisation_id": ally_pally["id"],
               "values": {"phone": ally_pally["phone"]}}),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(error_fields(&problem), ["values"]);

    // A new contact needs a name, an email address not already in use, and a role.
    let (status, problem) = post(
        &app,
        &pat,
        "/change-requests",
        json!({"kind": "new_contact", "organisation_id": ally_pally["id"],
               "values": {"email": ALLY_PALLY, "role": "boss"}}),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    let mut fields = error_fields(&problem);
    fields.sort_unstable();
    assert_eq!(fields, ["values.email", "values.name", "values.role"]);

    // A service change names its service.
    let (status, problem) = post(
        &app,
        &pat,
        "/change-requests",
        json!({"kind": "update_service", "organisation_id": ally_pally["id"],
               "values": {"name": "New name"}}),
    )
    .await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(error_fields(&problem), ["service_id"]);

    // A bad status filter is named.
    let response = app.get("/change-requests?status=maybe", &pat).await;
    assert_eq!(response.status(), 422);
}
