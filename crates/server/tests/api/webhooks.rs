//! Webhooks for integrators: council staff register a URL for events; each event is POSTed
//! as signed JSON from the outbox, retried after a failure, and counted on the list.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;

use crate::helpers::{
    client, error_fields, spawn_app_with, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL,
};
use crate::on_both_databases;

on_both_databases!(
    a_webhook_receives_signed_events_and_a_failed_call_is_retried,
    actions_assigned_and_invoice_statuses_reach_the_webhooks_listening,
    only_council_staff_register_webhooks_over_https,
);

#[derive(Debug, Clone)]
struct Call {
    event: String,
    delivery: String,
    timestamp: String,
    signature: String,
    body: String,
}

/// A receiver on loopback that answers 503 to its first `failures` calls, then 200.
#[derive(Clone)]
struct Receiver {
    calls: Arc<Mutex<Vec<Call>>>,
    failures: Arc<Mutex<usize>>,
}

async fn receive(
    request: HttpRequest,
    body: String,
    receiver: web::Data<Receiver>,
) -> HttpResponse {
    let header = |name: &str| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    receiver.calls.lock().unwrap().push(Call {
        event: header("X-Portal-Event"),
        delivery: header("X-Portal-Delivery"),
        timestamp: header("X-Portal-Timestamp"),
        signature: header("X-Portal-Signature"),
        body,
    });
    let mut failures = receiver.failures.lock().unwrap();
    if *failures > 0 {
        *failures -= 1;
        HttpResponse::ServiceUnavailable().finish()
    } else {
        HttpResponse::Ok().finish()
    }
}

/// Starts a receiver; its URL and the calls it got.
fn start_receiver(failures: usize) -> (String, Receiver) {
    let receiver = Receiver {
        calls: Arc::default(),
        failures: Arc::new(Mutex::new(failures)),
    };
    let data = web::Data::new(receiver.clone());
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/hook", web::post().to(receive))
    })
    .workers(1)
    .bind(("127.0.0.1", 0))
    .unwrap();
    let port = server.addrs()[0].port();
    tokio::spawn(server.run());
    (format!("http://127.0.0.1:{port}/hook"), receiver)
}

impl Receiver {
    async fn wait_for(&self, count: usize) -> Vec<Call> {
        let started = Instant::now();
        loop {
            let calls = self.calls.lock().unwrap().clone();
            if calls.len() >= count {
                return calls;
            }
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "{} of {count} calls: {calls:#?}",
                calls.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

/// What a receiver computes: the hex HMAC-SHA-256 of timestamp, dot, body.
fn expected_signature(secret: &str, call: &Call) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{}.{}", call.timestamp, call.body).as_bytes());
    let bytes = mac.finalize().into_bytes();
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    format!("sha256={hex}")
}

async fn app_with_fast_worker(db: Db) -> TestApp {
    spawn_app_with(db, |settings| settings.outbox_poll_millis = 50).await
}

async fn webhooks(app: &TestApp, council: &str) -> Value {
    let response = app.get("/council/webhooks", council).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn a_webhook_receives_signed_events_and_a_failed_call_is_retried(db: Db) {
    let app = app_with_fast_worker(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let provider = app.login(ALLY_PALLY).await;
    let (url, receiver) = start_receiver(1);
    let made = app
        .created(
            &council,
            "/council/webhooks",
            json!({ "url": url, "events": ["dispute.raised"] }),
        )
        .await;
    let secret = made["secret"].as_str().unwrap().to_owned();
    assert!(
        secret.starts_with("whsec_") && secret.len() > 40,
        "{secret}"
    );
    assert_eq!(made["webhook"]["events"][0]["label"], "Dispute raised");
    // The secret is shown once: the list never has it.
    let listed = webhooks(&app, &council).await;
    assert!(!listed.to_string().contains(&secret));
    assert_eq!(listed["items"][0]["url"], url);

    // Council staff raise a dispute on Ally Pally's Jocky Wilson.
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    let week = app.generated_week(&provider, &service, "2022-06-06").await;
    let jocky = client(&week, "Mr Jocky Wilson")["client"]["id"].clone();
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
            json!({
                "service_id": service, "client_id": jocky, "from": "2022-06-06",
                "to": "2022-06-06", "reason_id": reason, "details": "Not agreed.",
            }),
        )
        .await;

    // The first call fails (503) and waits out its back-off ...
    let calls = receiver.wait_for(1).await;
    let waiting = webhooks(&app, &council).await;
    assert_eq!(waiting["items"][0]["waiting"], 1, "{waiting}");
    assert_eq!(waiting["items"][0]["delivered"], 0);
    // ... and is tried again a minute later, with the same delivery id.
    app.clock.advance(time::Duration::minutes(2));
    let calls = {
        let again = receiver.wait_for(2).await;
        assert_eq!(again[0].delivery, calls[0].delivery);
        again
    };
    let call = &calls[1];
    assert_eq!(call.event, "dispute.raised");
    assert_eq!(call.delivery, calls[0].delivery);
    assert_eq!(call.signature, expected_signature(&secret, call));
    assert_ne!(call.signature, expected_signature("another secret", call));
    let event: Value = serde_json::from_str(&call.body).unwrap();
    assert_eq!(event["type"], "dispute.raised");
    assert_eq!(event["data"]["dispute_id"], dispute["id"]);
    assert_eq!(event["data"]["client_id"], jocky);
    assert_eq!(event["data"]["first_week"], "2022-06-06");
    assert_eq!(
        event["organisation_id"],
        app.organisation_id(&council, "Ally Pally Ltd").await
    );
    assert!(event["link"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/disputes/{}", dispute["id"].as_str().unwrap())));
    let started = Instant::now();
    loop {
        let listed = webhooks(&app, &council).await;
        if listed["items"][0]["delivered"] == 1 {
            assert_eq!(listed["items"][0]["waiting"], 0);
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{listed}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // An event it does not listen for, and any event once disabled, are not sent.
    let version = webhooks(&app, &council).await["items"][0]["version"].clone();
    let id = made["webhook"]["id"].as_str().unwrap();
    let response = app
        .post_json(
            &format!("/council/webhooks/{id}/disable"),
            Some(&council),
            &json!({ "version": version }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let disabled: Value = response.json().await.unwrap();
    assert_eq!(disabled["active"], false);
    let response = app
        .post_json(
            &format!("/council/webhooks/{id}/disable"),
            Some(&council),
            &json!({ "version": version }),
        )
        .await;
    assert_eq!(response.status(), 409, "a stale version");
    app.created(
        &council,
        "/disputes",
        json!({
            "service_id": service, "client_id": jocky, "from": "2022-06-13",
            "to": "2022-06-13", "reason_id": reason, "details": "Not agreed either.",
        }),
    )
    .await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(receiver.calls.lock().unwrap().len(), 2);
}

async fn only_council_staff_register_webhooks_over_https(db: Db) {
    let app = app_with_fast_worker(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let provider = app.login(ALLY_PALLY).await;
    let response = app
        .post_json(
            "/council/webhooks",
            Some(&council),
            &json!({ "url": "http://finance.example.org/events", "events": ["dispute.raised", "gossip"] }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["url", "events[1]"]);
    let response = app
        .post_json(
            "/council/webhooks",
            Some(&council),
            &json!({ "url": "https://finance.example.org/events", "events": [] }),
        )
        .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        error_fields(&response.json::<Value>().await.unwrap()),
        ["events"]
    );
    assert!(webhooks(&app, &council).await["items"]
        .as_array()
        .unwrap()
        .is_empty());
    // Providers neither see nor make them.
    assert_eq!(app.get("/council/webhooks", &provider).await.status(), 403);
    let response = app
        .post_json(
            "/council/webhooks",
            Some(&provider),
            &json!({ "url": "https://finance.example.org/events", "events": ["dispute.raised"] }),
        )
        .await;
    assert_eq!(response.status(), 403);
}

async fn actions_assigned_and_invoice_statuses_reach_the_webhooks_listening(db: Db) {
    let app = app_with_fast_worker(db).await;
    // Bradford listens for actions assigned; Bedford for invoices' statuses.
    let bradford = app.login(BRADFORD_COUNCIL).await;
    let (actions_url, actions) = start_receiver(0);
    app.created(
        &bradford,
        "/council/webhooks",
        json!({ "url": actions_url, "events": ["action.assigned"] }),
    )
    .await;
    let bedford_staff = crate::invoices::bedford_staff(&app).await;
    let (invoices_url, invoices) = start_receiver(0);
    let made = app
        .created(
            &bedford_staff,
            "/council/webhooks",
            json!({ "url": invoices_url, "events": ["invoice.status_changed"] }),
        )
        .await;
    let bedford_secret = made["secret"].as_str().unwrap().to_owned();

    // Bradford's staff raise an action for Ally Pally.
    let types: Value = app
        .get("/council/action-types", &bradford)
        .await
        .json()
        .await
        .unwrap();
    let debit_balance = types["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|action_type| action_type["name"] == "Debit Balance")
        .unwrap()["id"]
        .clone();
    let organisation = app.organisation_id(&bradford, "Ally Pally Ltd").await;
    let action = app
        .created(
            &bradford,
            "/actions",
            json!({
                "type_id": debit_balance, "related_kind": "organisation",
                "related_id": organisation, "due_on": "2099-01-01", "title": "Debit balance",
                "text": "Your account is in debit.", "assigned_to": { "kind": "provider" },
            }),
        )
        .await;
    let calls = actions.wait_for(1).await;
    let event: Value = serde_json::from_str(&calls[0].body).unwrap();
    assert_eq!(event["type"], "action.assigned");
    assert_eq!(event["data"]["action_id"], action["id"]);
    assert_eq!(event["data"]["assigned_to"], "Provider");
    assert_eq!(event["data"]["due_on"], "2099-01-01");

    // Day Opportunities submits an invoice to Bedford: Bedford's webhook hears of it, signed.
    let bedford = crate::invoices::bedford_with_e17_actuals(&app).await;
    let invoice = app
        .created(
            &bedford.token,
            "/invoices",
            crate::invoices::new_invoice(&bedford.client, "WEBHOOK-1"),
        )
        .await;
    let id = invoice["id"].as_str().unwrap();
    let response = app
        .post_json(
            &format!("/invoices/{id}/submit"),
            Some(&bedford.token),
            &json!({ "version": invoice["version"] }),
        )
        .await;
    assert_eq!(response.status(), 200);
    let calls = invoices.wait_for(1).await;
    let call = &calls[0];
    assert_eq!(call.event, "invoice.status_changed");
    assert_eq!(call.signature, expected_signature(&bedford_secret, call));
    let event: Value = serde_json::from_str(&call.body).unwrap();
    assert_eq!(event["data"]["invoice_id"], id);
    assert_eq!(event["data"]["reference"], "WEBHOOK-1");
    assert_eq!(event["data"]["old_status"], "unsubmitted");
    assert_eq!(event["data"]["new_status"], "pending");
    // Each council hears only its own events, and only those it listens for.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(actions.calls.lock().unwrap().len(), 1);
    assert_eq!(invoices.calls.lock().unwrap().len(), 1);
}
