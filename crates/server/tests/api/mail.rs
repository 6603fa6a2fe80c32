//! E-mail notifications (DOMAIN 13), read from a real SMTP server on loopback (Python's
//! aiosmtpd, `tests/support/smtp_sink.py`): the immediate mails, the daily digest, and the
//! outbox worker's promise that a crash loses no mail and sends none twice, also with two
//! workers on one database.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::helpers::{client, spawn_app_with, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL};
use crate::on_both_databases;

on_both_databases!(
    subscriptions_are_per_person_and_organisation,
    actions_and_password_changes_are_mailed_at_once,
    the_daily_digest_gathers_the_days_disputes_and_actions,
    a_worker_killed_mid_delivery_loses_no_mail_and_sends_none_twice,
    two_workers_on_one_database_send_each_mail_once,
);

/// The SMTP server, stopped (and its directory removed) when dropped.
pub struct SmtpSink {
    child: Child,
    directory: PathBuf,
    port: u16,
}

impl SmtpSink {
    /// Starts one; `stall_at` holds that message's RCPT for a minute, once.
    pub fn start(stall_at: Option<usize>) -> SmtpSink {
        let directory =
            std::env::temp_dir().join(format!("portal-smtp-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&directory).unwrap();
        let mut command = Command::new("python3");
        command
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/support/smtp_sink.py"
            ))
            .arg(&directory)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        if let Some(number) = stall_at {
            command.arg("--stall-at").arg(number.to_string());
        }
        let mut child = command
            .spawn()
            .expect("python3 with aiosmtpd runs the mail tests (scripts/setup.sh --tests)");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .trim()
            .strip_prefix("PORT ")
            .and_then(|port| port.parse().ok())
            .unwrap_or_else(|| {
                panic!("the SMTP server did not start (is aiosmtpd installed?): {line:?}")
            });
        SmtpSink {
            child,
            directory,
            port,
        }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// Every message received, oldest first, headers and body.
    pub fn messages(&self) -> Vec<String> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.directory)
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "eml"))
            .collect();
        names.sort();
        names
            .iter()
            .map(|path| std::fs::read_to_string(path).unwrap())
            .collect()
    }

    /// Waits (up to a minute) until `count` messages have arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<String> {
        let started = Instant::now();
        loop {
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{} of {count} messages arrived: {messages:#?}",
                messages.len()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    fn stalled(&self) -> bool {
        self.directory.join("stalled").exists()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

/// A header's value in a received message.
fn header<'a>(message: &'a str, name: &str) -> Option<&'a str> {
    let (head, _) = message.split_once("\r\n\r\n")?;
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// A received message's body with quoted-printable soft line breaks undone.
fn body(message: &str) -> String {
    let (_, body) = message.split_once("\r\n\r\n").unwrap_or(("", message));
    body.replace("=\r\n", "").replace("=3D", "=")
}

/// The app mailing through `sink`, its worker looking every 50 ms.
async fn app_mailing_to(db: Db, sink: &SmtpSink) -> TestApp {
    let url = sink.url();
    spawn_app_with(db, move |settings| {
        settings.smtp_url = Some(url);
        settings.outbox_poll_millis = 50;
    })
    .await
}

async fn subscribe(app: &TestApp, token: &str, organisation: &str, topics: &[&str]) -> Value {
    let response = app
        .put_json(
            "/notification-subscriptions",
            token,
            &json!({ "organisation_id": organisation, "topics": topics }),
        )
        .await;
    let status = response.status();
    let saved: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{saved}");
    saved
}

fn subscribed(view: &Value, list: &str) -> Vec<String> {
    view[list]
        .as_array()
        .unwrap()
        .iter()
        .filter(|topic| topic["subscribed"] == true)
        .map(|topic| topic["label"].as_str().unwrap().to_owned())
        .collect()
}

/// Council staff raise an action on Ally Pally, assigned to the provider.
async fn council_raises_action(app: &TestApp, council: &str, title: &str) -> String {
    let types: Value = app
        .get("/council/action-types", council)
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
    let organisation = app.organisation_id(council, "Ally Pally Ltd").await;
    let action = app
        .created(
            council,
            "/actions",
            json!({
                "type_id": debit_balance,
                "related_kind": "organisation",
                "related_id": organisation,
                "due_on": "2099-01-01",
                "title": title,
                "text": "Your account is in debit. Please call us.",
                "assigned_to": { "kind": "provider" },
            }),
        )
        .await;
    action["id"].as_str().unwrap().to_owned()
}

async fn subscriptions_are_per_person_and_organisation(db: Db) {
    let sink = SmtpSink::start(None);
    let app = app_mailing_to(db, &sink).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let ally_pally = app.organisation_id(&council, "Ally Pally Ltd").await;

    // Nothing is chosen at first; the page lists the guides' topics.
    let view: Value = app
        .get(
            &format!("/notification-subscriptions?organisation_id={ally_pally}"),
            &provider,
        )
        .await
        .json()
        .await
        .unwrap();
    let labels = |list: &str| -> Vec<String> {
        view[list]
            .as_array()
            .unwrap()
            .iter()
            .map(|topic| topic["label"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        labels("daily"),
        [
            "Actions",
            "Care Package Line Items",
            "Contract Documents",
            "Disputes",
            "Invoices/Credit Notes",
            "Payments Exceptions",
            "Scheduled Payments"
        ]
    );
    assert_eq!(
        labels("immediate"),
        ["Actions (Immediate)", "Password Change (Immediate)"]
    );
    assert_eq!(view["email"], ALLY_PALLY);
    assert!(subscribed(&view, "daily").is_empty());

    // Saving replaces the choice.
    subscribe(&app, &provider, &ally_pally, &["disputes", "actions"]).await;
    let saved = subscribe(
        &app,
        &provider,
        &ally_pally,
        &["disputes", "password_change"],
    )
    .await;
    assert_eq!(subscribed(&saved, "daily"), ["Disputes"]);
    assert_eq!(
        subscribed(&saved, "immediate"),
        ["Password Change (Immediate)"]
    );

    // A topic that is not one, named; another provider's organisation, 404; council staff, 403.
    let response = app
        .put_json(
            "/notification-subscriptions",
            &provider,
            &json!({ "organisation_id": ally_pally, "topics": ["disputes", "gossip"] }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(crate::helpers::error_fields(&problem), ["topics[1]"]);
    let diamond = app
        .organisation_id(
            &app.login(crate::helpers::DIAMOND).await,
            "Diamond Home Care",
        )
        .await;
    let response = app
        .get(
            &format!("/notification-subscriptions?organisation_id={diamond}"),
            &provider,
        )
        .await;
    assert_eq!(response.status(), 404);
    let response = app
        .get(
            &format!("/notification-subscriptions?organisation_id={ally_pally}"),
            &council,
        )
        .await;
    assert_eq!(response.status(), 403);
}

async fn actions_and_password_changes_are_mailed_at_once(db: Db) {
    let sink = SmtpSink::start(None);
    let app = app_mailing_to(db, &sink).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let ally_pally = app.organisation_id(&council, "Ally Pally Ltd").await;
    subscribe(
        &app,
        &provider,
        &ally_pally,
        &["actions_immediate", "password_change"],
    )
    .await;

    // An action assigned to the provider: mailed at once, with a link to it.
    let action = council_raises_action(&app, &council, "Debit balance").await;
    let messages = sink.wait_for(1).await;
    let mail = &messages[0];
    assert_eq!(header(mail, "X-Envelope-To"), Some(ALLY_PALLY));
    assert_eq!(
        header(mail, "Subject"),
        Some("Action for you: Debit balance")
    );
    let text = body(mail);
    assert!(text.contains("Your account is in debit."), "{text}");
    assert!(text.contains(&format!("/actions/{action}")), "{text}");
    assert!(text.contains("Due: 01/01/2099"), "{text}");

    // The provider's own comment mails nobody; the council's answer does.
    let detail: Value = app
        .get(&format!("/actions/{action}"), &provider)
        .await
        .json()
        .await
        .unwrap();
    let response = app
        .post_json(
            &format!("/actions/{action}/posts"),
            Some(&provider),
            &json!({ "kind": "comment", "text": "We are looking into it.", "version": detail["version"] }),
        )
        .await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    let detail: Value = app
        .get(&format!("/actions/{action}"), &council)
        .await
        .json()
        .await
        .unwrap();
    let response = app
        .post_json(
            &format!("/actions/{action}/posts"),
            Some(&council),
            &json!({ "kind": "comment", "text": "Thank you, we will wait.", "version": detail["version"] }),
        )
        .await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);
    let messages = sink.wait_for(2).await;
    assert_eq!(
        header(&messages[1], "Subject"),
        Some("Action for you: Debit balance")
    );
    assert!(body(&messages[1]).contains("Thank you, we will wait."));

    // A password change: mailed at once to the person alone.
    let response = app
        .post_json(
            "/auth/password",
            Some(&provider),
            &json!({
                "current_password": portal_server::demo::DEMO_PASSWORD,
                "new_password": "lantern pebble violin saucepan",
            }),
        )
        .await;
    assert!(
        response.status().is_success(),
        "{:?}",
        response.text().await
    );
    let messages = sink.wait_for(3).await;
    assert_eq!(
        header(&messages[2], "Subject"),
        Some("Your Care Provider Portal password was changed")
    );
    assert_eq!(header(&messages[2], "X-Envelope-To"), Some(ALLY_PALLY));
    // Each once; the outbox agrees, every mail sent.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(sink.messages().len(), 3);
    let outbox = app.store.outbox_rows().await.unwrap();
    assert!(
        outbox.iter().all(|row| row.sent_at.is_some()),
        "{outbox:#?}"
    );
}

async fn the_daily_digest_gathers_the_days_disputes_and_actions(db: Db) {
    let sink = SmtpSink::start(None);
    let app = app_mailing_to(db, &sink).await;
    // The worker's first look sends the digest already due (there is none to send).
    let started = Instant::now();
    while app.store.digest_days().await.unwrap().is_empty() {
        assert!(started.elapsed() < Duration::from_secs(30), "no digest run");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let ally_pally = app.organisation_id(&council, "Ally Pally Ltd").await;
    subscribe(&app, &provider, &ally_pally, &["disputes", "actions"]).await;

    // During the day: an action and a dispute, neither mailed at once.
    council_raises_action(&app, &council, "Debit balance").await;
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
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        sink.messages().is_empty(),
        "daily topics wait for the digest"
    );

    // Next day's digest: one mail with both, grouped, with links.
    app.clock.advance(time::Duration::days(1));
    let messages = sink.wait_for(1).await;
    let mail = &messages[0];
    assert_eq!(header(mail, "X-Envelope-To"), Some(ALLY_PALLY));
    assert_eq!(
        header(mail, "Subject"),
        Some("Care Provider Portal: 2 updates today")
    );
    let text = body(mail);
    assert!(text.contains("Ally Pally Ltd - Actions"), "{text}");
    assert!(text.contains("Debit balance: Raised (assigned to Provider, due 01/01/2099)"));
    assert!(text.contains("Ally Pally Ltd - Disputes"), "{text}");
    assert!(
        text.contains("Dispute raised: Mr Jocky Wilson at Ally Pally Home Care, weeks from 06/06/2022 to 06/06/2022"),
        "{text}"
    );
    assert!(text.contains(&format!("/disputes/{}", dispute["id"].as_str().unwrap())));
    assert!(text.contains("/email-notifications"));

    // The next day brings nothing new: no second digest.
    app.clock.advance(time::Duration::days(1));
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(sink.messages().len(), 1);
}

/// The portal binary on `database_url`, delivering to `sink` with a three-second lease.
fn start_worker(database_url: &str, sink: &SmtpSink) -> Child {
    Command::new(env!("CARGO_BIN_EXE_portal"))
        .env("DATABASE_URL", database_url)
        .env("PORTAL_BIND", "127.0.0.1:0")
        .env("PORTAL_SMTP_URL", sink.url())
        .env("PORTAL_OUTBOX_POLL_MILLIS", "50")
        .env("PORTAL_OUTBOX_LEASE_SECONDS", "3")
        .env("PORTAL_HASHING_COST", "test")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the portal binary starts")
}

/// Queues `count` numbered mails, as events do.
async fn queue(app: &TestApp, count: usize) {
    for number in 1..=count {
        app.store
            .queue_mail(
                &format!("person{number}@provider.example"),
                &format!("Mail {number}"),
                "Hello.",
            )
            .await
            .unwrap();
    }
}

/// Waits until the outbox has no mail left to send.
async fn wait_until_sent(app: &TestApp) -> Vec<portal_store::notifications::OutboxRow> {
    let started = Instant::now();
    loop {
        let rows = app.store.outbox_rows().await.unwrap();
        if rows.iter().all(|row| row.sent_at.is_some()) {
            return rows;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "mail still unsent: {rows:#?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn subjects(messages: &[String]) -> Vec<String> {
    let mut subjects: Vec<String> = messages
        .iter()
        .map(|message| header(message, "Subject").unwrap().to_owned())
        .collect();
    subjects.sort_by_key(|subject| subject[5..].parse::<usize>().unwrap());
    subjects
}

async fn a_worker_killed_mid_delivery_loses_no_mail_and_sends_none_twice(db: Db) {
    // The test's own server has no SMTP server, so only the worker process sends.
    let app = spawn_app_with(db, |_| {}).await;
    queue(&app, 10).await;
    let sink = SmtpSink::start(Some(5));
    let mut worker = start_worker(&app.database_url, &sink);

    // The fifth mail is mid-delivery (the server holds its RCPT): kill the worker there.
    let started = Instant::now();
    while !sink.stalled() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "never reached the fifth mail"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    worker.kill().unwrap();
    worker.wait().unwrap();
    assert_eq!(sink.messages().len(), 4, "four mails went before the kill");

    // Restarted, the worker takes up the fifth once its lease has run out, and the rest.
    let mut worker = start_worker(&app.database_url, &sink);
    let rows = wait_until_sent(&app).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    worker.kill().unwrap();
    worker.wait().unwrap();
    let expected: Vec<String> = (1..=10).map(|number| format!("Mail {number}")).collect();
    assert_eq!(
        subjects(&sink.messages()),
        expected,
        "each mail exactly once"
    );
    let fifth = rows.iter().find(|row| row.subject == "Mail 5").unwrap();
    assert_eq!(
        fifth.attempts, 2,
        "the fifth was tried again after the kill"
    );
    assert!(rows
        .iter()
        .filter(|row| row.subject != "Mail 5")
        .all(|row| row.attempts == 1));
}

async fn two_workers_on_one_database_send_each_mail_once(db: Db) {
    let app = spawn_app_with(db, |_| {}).await;
    queue(&app, 30).await;
    let sink = SmtpSink::start(None);
    let mut first = start_worker(&app.database_url, &sink);
    let mut second = start_worker(&app.database_url, &sink);
    let rows = wait_until_sent(&app).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    for worker in [&mut first, &mut second] {
        worker.kill().unwrap();
        worker.wait().unwrap();
    }
    let expected: Vec<String> = (1..=30).map(|number| format!("Mail {number}")).collect();
    assert_eq!(
        subjects(&sink.messages()),
        expected,
        "each mail exactly once"
    );
    assert!(rows.iter().all(|row| row.attempts == 1), "{rows:#?}");
}
