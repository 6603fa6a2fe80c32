//! Council settings: read and edit for council staff only, every change audited.

use serde_json::{json, Value};

use crate::helpers::{error_fields, spawn_app, Db, ALLY_PALLY, BRADFORD_COUNCIL};
use crate::on_both_databases;

async fn council_staff_edit_their_settings_with_versions(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(BRADFORD_COUNCIL).await;
    let settings: Value = app
        .get("/council/settings", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings["name"], "Bradford");
    assert_eq!(settings["amendment_window_days"], 14);
    assert_eq!(settings["submission_deadline"]["weekday"], "tuesday");
    assert_eq!(
        settings["submission_deadline"]["description"],
        "By 17:00 each Tuesday, for the week before"
    );
    let update = json!({
        "version": settings["version"],
        "contact_email": "provider.portal@bradford.example",
        "contact_phone": "01274 432111",
        "contact_address": "Britannia House, Bradford",
        "submission_deadline_weekday": "Wednesday",
        "submission_deadline_time": "12:00",
        "amendment_window_days": 28,
    });
    let response = app
        .client
        .put(app.url("/council/settings"))
        .bearer_auth(&token)
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let saved: Value = response.json().await.unwrap();
    assert_eq!(saved["contact_email"], "provider.portal@bradford.example");
    assert_eq!(
        saved["submission_deadline"]["description"],
        "By 12:00 each Wednesday, for the week before"
    );
    assert_eq!(saved["version"], 2);
    // The same version again: someone else's save is not overwritten.
    let response = app
        .client
        .put(app.url("/council/settings"))
        .bearer_auth(&token)
        .json(&update)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 409);
    let council_id = "1";
    assert_eq!(
        app.store
            .audit_actions("council", council_id)
            .await
            .unwrap(),
        vec!["council.settings.update"]
    );
}

async fn bad_settings_name_every_field_and_change_nothing(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(BRADFORD_COUNCIL).await;
    let bad = json!({
        "version": 1,
        "contact_email": "not an email",
        "contact_phone": "call me",
        "contact_address": "",
        "submission_deadline_weekday": "someday",
        "submission_deadline_time": "25:00",
        "amendment_window_days": -1,
    });
    let response = app
        .client
        .put(app.url("/council/settings"))
        .bearer_auth(&token)
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(
        error_fields(&problem),
        vec![
            "contact_email",
            "contact_phone",
            "submission_deadline_weekday",
            "submission_deadline_time",
            "amendment_window_days"
        ]
    );
    let settings: Value = app
        .get("/council/settings", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings["version"], 1);
}

async fn providers_cannot_reach_council_settings(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    for path in [
        "/council/settings",
        "/council/bank-holidays",
        "/council/action-types",
        "/council/dispute-reasons",
        "/council/vat-rates",
    ] {
        let response = app.get(path, &token).await;
        assert_eq!(response.status(), 403, "{path}");
    }
}

async fn bank_holidays_are_seeded_and_maintained(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(BRADFORD_COUNCIL).await;
    let year: Value = app
        .get("/council/bank-holidays?year=2022", &token)
        .await
        .json()
        .await
        .unwrap();
    let days: Vec<&str> = year["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        days,
        vec![
            "03/01/2022",
            "15/04/2022",
            "18/04/2022",
            "02/05/2022",
            "02/06/2022",
            "03/06/2022",
            "29/08/2022",
            "19/09/2022",
            "26/12/2022",
            "27/12/2022"
        ]
    );
    let all: Value = app
        .get("/council/bank-holidays", &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        all["items"].as_array().unwrap().len(),
        75,
        "England and Wales, 2019 to 2027"
    );

    let response = app
        .post_json(
            "/council/bank-holidays",
            Some(&token),
            &json!({"date": "2028-01-03", "name": "New Year's Day (substitute day)"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let response = app
        .post_json(
            "/council/bank-holidays",
            Some(&token),
            &json!({"date": "2028-01-03", "name": "Again"}),
        )
        .await;
    assert_eq!(response.status(), 409);
    let response = app
        .post_json(
            "/council/bank-holidays",
            Some(&token),
            &json!({"date": "03/01/2028", "name": ""}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), vec!["date", "name"]);
    let response = app
        .client
        .delete(app.url("/council/bank-holidays/2028-01-03"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let response = app
        .client
        .delete(app.url("/council/bank-holidays/2028-01-03"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(
        app.store.audit_actions("council", "1").await.unwrap(),
        vec!["council.bank_holiday.add", "council.bank_holiday.remove"]
    );
}

async fn the_guides_lists_are_there(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(BRADFORD_COUNCIL).await;
    let types: Value = app
        .get("/council/action-types", &token)
        .await
        .json()
        .await
        .unwrap();
    let payment_query = types["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "Payment Query")
        .unwrap();
    assert_eq!(
        payment_query["entity_kinds"],
        json!(["contract", "invoice", "credit_note"])
    );
    assert_eq!(payment_query["minimum_due_working_days"], 5);
    assert_eq!(payment_query["team"], "Payments & Contracts Team");
    let reasons: Value = app
        .get("/council/dispute-reasons", &token)
        .await
        .json()
        .await
        .unwrap();
    assert!(reasons["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["name"] == "Unauthorised extra"));
    let rates: Value = app
        .get("/council/vat-rates", &token)
        .await
        .json()
        .await
        .unwrap();
    let standard = rates["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Standard")
        .unwrap();
    assert_eq!(standard["rate_percent"], "20");
}

on_both_databases!(
    council_staff_edit_their_settings_with_versions,
    bad_settings_name_every_field_and_change_nothing,
    providers_cannot_reach_council_settings,
    bank_holidays_are_seeded_and_maintained,
    the_guides_lists_are_there,
);
