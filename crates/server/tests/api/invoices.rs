//! Invoices and credit notes (DOMAIN 6, E17) through the API: Day Opportunities PP Home in
//! Bedford, paid by invoice in four-weekly periods from 28/03/2022 at 20% VAT.

use serde_json::{json, Value};

use crate::helpers::{client, line, spawn_app, Db, TestApp, ALLY_PALLY, DAY_OPPORTUNITIES};
use crate::on_both_databases;

const DAY_SERVICE: &str = "Day Opportunities PP Home";
const SCHEDULED: &str = "Day Opportunities - Scheduled";
const IRIS: &str = "Mrs Iris Angelo";

fn row(days: &[&str], frustrated: bool) -> Value {
    json!({"days": days, "quantity": "1", "frustrated": frustrated, "comment": ""})
}

fn planned() -> Value {
    json!([
        row(&["mon", "wed", "fri"], false),
        row(&["tue", "thu"], false)
    ])
}

/// Saves Iris Angelo's week as `rows`; returns the response.
async fn save_week(
    app: &TestApp,
    token: &str,
    service: &str,
    week: &str,
    rows: Value,
) -> reqwest::Response {
    // Visits: one per session held, delivered or frustrated (E16: 3, then 5).
    let visits: usize = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row["days"].as_array().unwrap().len())
        .sum();
    let generated = app.generated_week(token, service, week).await;
    let iris = client(&generated, IRIS);
    let scheduled = line(iris, SCHEDULED);
    let client_id = iris["client"]["id"].as_str().unwrap();
    app.put_json(
        &format!("/services/{service}/weeks/{week}/clients/{client_id}/actuals"),
        token,
        &json!({"version": iris["version"], "lines": [{
            "cpli_id": scheduled["cpli_id"], "actual": "", "frustrated": "", "missed": "", "extra": "",
            "visits": visits.to_string(), "comment": "As the centre recorded it", "sessions": rows
        }]}),
    )
    .await
}

pub(crate) struct Bedford {
    pub(crate) token: String,
    pub(crate) service: String,
    pub(crate) client: String,
}

/// E17's four weeks: 28/03 as planned, 04/04 actual 3, 11/04 actual 4 + frustrated 1,
/// 18/04 as planned.
pub(crate) async fn bedford_with_e17_actuals(app: &TestApp) -> Bedford {
    let token = app.login(DAY_OPPORTUNITIES).await;
    let service = app.service_id(&token, DAY_SERVICE).await;
    let weeks = [
        ("2022-03-28", planned()),
        (
            "2022-04-04",
            json!([row(&["mon"], false), row(&["tue", "thu"], false)]),
        ),
        (
            "2022-04-11",
            json!([
                row(&["mon", "wed", "fri"], false),
                row(&["tue"], false),
                row(&["thu"], true)
            ]),
        ),
        ("2022-04-18", planned()),
    ];
    for (week, rows) in weeks {
        let response = save_week(app, &token, &service, week, rows).await;
        assert_eq!(response.status(), 200, "{week}");
    }
    let week = app.generated_week(&token, &service, "2022-03-28").await;
    let client = client(&week, IRIS)["client"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    Bedford {
        token,
        service,
        client,
    }
}

pub(crate) fn new_invoice(client: &str, reference: &str) -> Value {
    json!({
        "scope": "client", "client_id": client, "period_start": "2022-03-28",
        "reference": reference, "date_on_invoice": "2022-10-09",
        "entered_ex_vat": "3860.28", "entered_vat": "772.06"
    })
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let response = app.post_json(path, Some(token), &body).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn put(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let response = app.put_json(path, token, &body).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

/// Council staff of Bedford: the demo has none, so one is made in the store, with the demo
/// password and code.
pub(crate) async fn bedford_staff(app: &TestApp) -> String {
    use portal_domain::security_code::SecurityCode;
    use portal_server::auth::passwords::Hasher;
    use portal_server::configuration::HashingCost;
    use portal_server::demo::{DEMO_PASSWORD, DEMO_SECURITY_CODE};
    use portal_store::people::{NewUser, UserKind};

    const EMAIL: &str = "bea.finance@bedford.example";
    let council = app
        .store
        .council_named("Bedford")
        .await
        .unwrap()
        .expect("the demo has Bedford");
    let hasher = Hasher::new(HashingCost::Test);
    let user = app
        .store
        .create_user(&NewUser {
            email: EMAIL,
            name: "Bea Finance",
            kind: UserKind::Council,
            council_id: Some(council),
            password_hash: &hasher.hash(DEMO_PASSWORD),
        })
        .await
        .unwrap();
    let code = SecurityCode::parse(DEMO_SECURITY_CODE, None).expect("the demo code is valid");
    app.store
        .set_security_code_hashes(user, &hasher.security_code_hashes(&code))
        .await
        .unwrap();
    app.login(EMAIL).await
}

fn item<'a>(invoice: &'a Value, commitment: &str) -> &'a Value {
    invoice["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["commitment"] == commitment)
        .unwrap_or_else(|| panic!("no item {commitment} in {invoice}"))
}

async fn e17_iris_angelos_invoice_is_two_commitments(db: Db) {
    let app = spawn_app(db).await;
    let bedford = bedford_with_e17_actuals(&app).await;
    let invoice = app
        .created(
            &bedford.token,
            "/invoices",
            new_invoice(&bedford.client, "123456"),
        )
        .await;
    assert_eq!(invoice["status"], "unsubmitted");
    assert_eq!(invoice["period_label"], "28/03/2022 - 24/04/2022");
    assert_eq!(invoice["items"].as_array().unwrap().len(), 2);
    let old = item(&invoice, "Angelo, Iris (A1) - 2021/2022");
    assert_eq!(
        (&old["value"], &old["vat"]),
        (&json!("857.84"), &json!("171.57"))
    );
    assert_eq!(old["contribution"], "0.00");
    assert_eq!(old["contract_name"], DAY_SERVICE);
    assert_eq!(old["period_label"], "28/03/2022 - 24/04/2022");
    let new = item(&invoice, "Angelo, Iris (A1) - 2022/2023");
    assert_eq!(
        (&new["value"], &new["vat"]),
        (&json!("3002.44"), &json!("600.49"))
    );
    assert_eq!(invoice["items_ex_vat"], "3860.28");
    assert_eq!(invoice["items_vat"], "772.06");
    assert_eq!(invoice["short_by_ex_vat"], "0.00");
    assert_eq!(invoice["short_by_vat"], "0.00");
    assert_eq!(invoice["payable"], "4632.34");

    // The export: JSON by default, CSV when asked; they agree to the penny.
    let id = invoice["id"].as_str().unwrap();
    let json: Value = app
        .get(&format!("/invoices/{id}"), &bedford.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json, invoice);
    let response = app
        .client
        .get(app.url(&format!("/invoices/{id}")))
        .bearer_auth(&bedford.token)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains("invoice-123456.csv"));
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let (mut value, mut vat) = (0i64, 0i64);
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        rows += 1;
        assert_eq!(&record[column("included")], "yes");
        let pence = |text: &str| -> i64 { text.replace('.', "").parse().unwrap() };
        value += pence(&record[column("value")]);
        vat += pence(&record[column("vat")]);
    }
    assert_eq!(rows, 2);
    assert_eq!((value, vat), (386_028, 77_206));
    let csv_again = app
        .get(&format!("/invoices/{id}?format=csv"), &bedford.token)
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(csv_again, text);
}

async fn items_are_removed_re_added_and_suggested(db: Db) {
    let app = spawn_app(db).await;
    let bedford = bedford_with_e17_actuals(&app).await;
    let invoice = app
        .created(
            &bedford.token,
            "/invoices",
            new_invoice(&bedford.client, "INV-7"),
        )
        .await;
    let id = invoice["id"].as_str().unwrap();
    let old = item(&invoice, "Angelo, Iris (A1) - 2021/2022")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, removed) = put(
        &app,
        &bedford.token,
        &format!("/invoices/{id}/items/{old}"),
        json!({"version": invoice["version"], "included": false}),
    )
    .await;
    assert_eq!(status, 200, "{removed}");
    assert_eq!(removed["items_ex_vat"], "3002.44");
    assert_eq!(removed["short_by_ex_vat"], "857.84");
    assert_eq!(removed["payable"], "3602.93");

    // A stale version is refused, and nothing changes.
    let (status, _) = put(
        &app,
        &bedford.token,
        &format!("/invoices/{id}/items/{old}"),
        json!({"version": invoice["version"], "included": true}),
    )
    .await;
    assert_eq!(status, 409);

    let (status, readded) = put(
        &app,
        &bedford.token,
        &format!("/invoices/{id}/items/{old}"),
        json!({"version": removed["version"], "included": true, "contribution": "10.00"}),
    )
    .await;
    assert_eq!(status, 200, "{readded}");
    assert_eq!(readded["items_ex_vat"], "3860.28");
    assert_eq!(readded["contributions"], "10.00");
    assert_eq!(readded["payable"], "4622.34");

    // The last week changes: one session fewer. Suggest brings the item up to date.
    let response = save_week(
        &app,
        &bedford.token,
        &bedford.service,
        "2022-04-18",
        json!([row(&["mon", "wed"], false), row(&["tue", "thu"], false)]),
    )
    .await;
    assert_eq!(response.status(), 200);
    let (status, suggested) = post(
        &app,
        &bedford.token,
        &format!("/invoices/{id}/suggest"),
        json!({"version": readded["version"]}),
    )
    .await;
    assert_eq!(status, 200, "{suggested}");
    let new = item(&suggested, "Angelo, Iris (A1) - 2022/2023");
    // 13 sessions x £214.46.
    assert_eq!(
        (&new["value"], &new["vat"]),
        (&json!("2787.98"), &json!("557.60"))
    );
    assert_eq!(suggested["items"].as_array().unwrap().len(), 2);
    let history = app.store.audit_actions("invoice", id).await.unwrap();
    assert_eq!(
        history,
        [
            "invoice.create",
            "invoice.item",
            "invoice.item",
            "invoice.suggest"
        ]
    );
}

async fn submitted_invoices_are_the_councils_to_decide(db: Db) {
    let app = spawn_app(db).await;
    let bedford = bedford_with_e17_actuals(&app).await;
    let invoice = app
        .created(
            &bedford.token,
            "/invoices",
            new_invoice(&bedford.client, "123456"),
        )
        .await;
    let id = invoice["id"].as_str().unwrap();
    let (status, submitted) = post(
        &app,
        &bedford.token,
        &format!("/invoices/{id}/submit"),
        json!({"version": invoice["version"]}),
    )
    .await;
    assert_eq!(status, 200, "{submitted}");
    assert_eq!(submitted["status_label"], "Pending");
    assert!(!submitted["editable"].as_bool().unwrap());
    assert!(submitted["submitted_at"].is_string());

    // Editing and deleting are refused, with the reason.
    let (status, problem) = put(
        &app,
        &bedford.token,
        &format!("/invoices/{id}"),
        json!({"version": submitted["version"], "reference": "123457", "date_on_invoice": "2022-10-09",
               "entered_ex_vat": "3860.28", "entered_vat": "772.06"}),
    )
    .await;
    assert_eq!(status, 409);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("This invoice is Pending"),
        "{problem}"
    );
    let (status, _) = post(
        &app,
        &bedford.token,
        &format!("/invoices/{id}/delete"),
        json!({"version": submitted["version"]}),
    )
    .await;
    assert_eq!(status, 409);
    // A provider cannot authorise its own invoice.
    let (status, _) = post(
        &app,
        &bedford.token,
        &format!("/invoices/{id}/authorise"),
        json!({"version": submitted["version"]}),
    )
    .await;
    assert_eq!(status, 403);

    // The council sees it, and returns it for correction with a reason.
    let council = bedford_staff(&app).await;
    let listed: Value = app
        .get("/invoices?status=pending", &council)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
    assert_eq!(listed["items"][0]["payable"], "4632.34");
    let (status, problem) = post(
        &app,
        &council,
        &format!("/invoices/{id}/return"),
        json!({"version": submitted["version"], "reason": " "}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(crate::helpers::error_fields(&problem), ["reason"]);
    let (status, returned) = post(
        &app,
        &council,
        &format!("/invoices/{id}/return"),
        json!({"version": submitted["version"], "reason": "The VAT number is missing"}),
    )
    .await;
    assert_eq!(status, 200, "{returned}");
    assert_eq!(returned["status"], "returned");
    assert_eq!(returned["status_reason"], "The VAT number is missing");
    assert!(returned["editable"].as_bool().unwrap());

    // Returned: editable again, then submitted again.
    let (status, edited) = put(
        &app,
        &bedford.token,
        &format!("/invoices/{id}"),
        json!({"version": returned["version"], "reference": "123456A", "date_on_invoice": "2022-10-10",
               "entered_ex_vat": "3860.28", "entered_vat": "772.06"}),
    )
    .await;
    assert_eq!(status, 200, "{edited}");
    assert_eq!(edited["reference"], "123456A");
    let (_, resubmitted) = post(
        &app,
        &bedford.token,
        &format!("/invoices/{id}/submit"),
        json!({"version": edited["version"]}),
    )
    .await;
    assert_eq!(resubmitted["status"], "pending");
    let (_, held) = post(
        &app,
        &council,
        &format!("/invoices/{id}/hold"),
        json!({"version": resubmitted["version"], "reason": "Checking the register"}),
    )
    .await;
    assert_eq!(held["status_label"], "On Hold");
    let (_, authorised) = post(
        &app,
        &council,
        &format!("/invoices/{id}/authorise"),
        json!({"version": held["version"]}),
    )
    .await;
    assert_eq!(authorised["status"], "authorised");
    let (status, finalised) = post(
        &app,
        &council,
        &format!("/invoices/{id}/finalise"),
        json!({"version": authorised["version"]}),
    )
    .await;
    assert_eq!(status, 200, "{finalised}");
    assert_eq!(finalised["status_label"], "Finalised");
    let (status, problem) = post(
        &app,
        &council,
        &format!("/invoices/{id}/return"),
        json!({"version": finalised["version"], "reason": "Too late"}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(
        problem["detail"],
        "This invoice is Finalised: it cannot be returned now."
    );
    let actions = app.store.audit_actions("invoice", id).await.unwrap();
    assert_eq!(
        actions,
        [
            "invoice.create",
            "invoice.pending",
            "invoice.returned",
            "invoice.update",
            "invoice.pending",
            "invoice.on_hold",
            "invoice.authorised",
            "invoice.finalised"
        ]
    );
}

async fn an_empty_invoice_is_not_submitted_and_references_are_unique(db: Db) {
    let app = spawn_app(db).await;
    let bedford = bedford_with_e17_actuals(&app).await;
    // The next period has no actuals: no items.
    let (status, empty) = post(
        &app,
        &bedford.token,
        "/invoices",
        json!({"scope": "organisation", "period_start": "2022-04-25", "reference": "EMPTY-1",
               "date_on_invoice": "2022-05-23", "entered_ex_vat": "0", "entered_vat": "0"}),
    )
    .await;
    assert_eq!(status, 201, "{empty}");
    assert_eq!(empty["items"], json!([]));
    let id = empty["id"].as_str().unwrap();
    let (status, problem) = post(
        &app,
        &bedford.token,
        &format!("/invoices/{id}/submit"),
        json!({"version": empty["version"]}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(crate::helpers::error_fields(&problem), ["items"]);

    // The same reference again is refused, naming the field.
    let (status, problem) = post(
        &app,
        &bedford.token,
        "/invoices",
        new_invoice(&bedford.client, "EMPTY-1"),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(crate::helpers::error_fields(&problem), ["reference"]);

    // Deleting keeps it, as Deleted, and frees the reference.
    let (status, deleted) = post(
        &app,
        &bedford.token,
        &format!("/invoices/{id}/delete"),
        json!({"version": empty["version"]}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(deleted["status"], "deleted");
    app.created(
        &bedford.token,
        "/invoices",
        new_invoice(&bedford.client, "EMPTY-1"),
    )
    .await;
    let listed: Value = app
        .get("/invoices", &bedford.token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);

    // Every bad field at once; a period that is not one of the contract's.
    let (status, problem) = post(
        &app,
        &bedford.token,
        "/invoices",
        json!({"scope": "team", "period_start": "28/03/2022", "reference": "",
               "date_on_invoice": "tomorrow", "entered_ex_vat": "1.234", "entered_vat": "x"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(
        crate::helpers::error_fields(&problem),
        [
            "reference",
            "date_on_invoice",
            "entered_ex_vat",
            "entered_vat",
            "scope",
            "period_start"
        ]
    );
    let (status, problem) = post(
        &app,
        &bedford.token,
        "/invoices",
        json!({"scope": "organisation", "period_start": "2022-04-04", "reference": "X",
               "date_on_invoice": "2022-05-23", "entered_ex_vat": "0", "entered_vat": "0"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(crate::helpers::error_fields(&problem), ["period_start"]);
}

async fn a_credit_note_has_negative_items(db: Db) {
    let app = spawn_app(db).await;
    let bedford = bedford_with_e17_actuals(&app).await;
    let invoice = app
        .created(
            &bedford.token,
            "/invoices",
            new_invoice(&bedford.client, "123456"),
        )
        .await;
    let credit = app
        .created(
            &bedford.token,
            "/invoices",
            json!({"kind": "credit_note", "credit_of_invoice_id": invoice["id"],
                   "reference": "CN-1", "date_on_invoice": "2022-10-12",
                   "entered_ex_vat": "-3860.28", "entered_vat": "-772.06"}),
        )
        .await;
    assert_eq!(credit["kind_label"], "Credit note");
    let old = item(&credit, "Angelo, Iris (A1) - 2021/2022");
    assert_eq!(
        (&old["value"], &old["vat"]),
        (&json!("-857.84"), &json!("-171.57"))
    );
    assert_eq!(credit["items_ex_vat"], "-3860.28");
    assert_eq!(credit["short_by_ex_vat"], "0.00");
    assert_eq!(credit["payable"], "-4632.34");

    // A credit note for a scope and period is priced like an invoice, negated.
    let credit = app
        .created(
            &bedford.token,
            "/invoices",
            json!({"kind": "credit_note", "scope": "service", "service_id": bedford.service,
                   "period_start": "2022-03-28", "reference": "CN-2", "date_on_invoice": "2022-10-12",
                   "entered_ex_vat": "0", "entered_vat": "0"}),
        )
        .await;
    let new = item(&credit, "Angelo, Iris (A1) - 2022/2023");
    assert_eq!(
        (&new["value"], &new["vat"]),
        (&json!("-3002.44"), &json!("-600.49"))
    );
}

async fn attachments_are_checked_and_invoices_are_the_providers_own(db: Db) {
    let app = spawn_app(db).await;
    let bedford = bedford_with_e17_actuals(&app).await;
    let invoice = app
        .created(
            &bedford.token,
            "/invoices",
            new_invoice(&bedford.client, "123456"),
        )
        .await;
    let id = invoice["id"].as_str().unwrap();
    let attach = |content_type: &'static str, body: Vec<u8>, version: &Value| {
        app.client
            .put(app.url(&format!(
                "/invoices/{id}/attachment?version={version}&file_name=vat-invoice.pdf"
            )))
            .bearer_auth(&bedford.token)
            .header("Content-Type", content_type)
            .body(body)
            .send()
    };
    // An executable claiming to be a PDF.
    let response = attach(
        "application/pdf",
        b"MZ\x90\x00not a pdf".to_vec(),
        &invoice["version"],
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(crate::helpers::error_fields(&problem), ["file"]);
    let response = attach("text/html", b"<html>".to_vec(), &invoice["version"])
        .await
        .unwrap();
    assert_eq!(response.status(), 422);
    let pdf = b"%PDF-1.7\n% a VAT invoice\n".to_vec();
    let response = attach("application/pdf", pdf.clone(), &invoice["version"])
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let attached: Value = response.json().await.unwrap();
    assert_eq!(attached["attachment"]["content_type"], "application/pdf");
    let download = app
        .get(&format!("/invoices/{id}/attachment"), &bedford.token)
        .await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.headers()["content-type"], "application/pdf");
    assert_eq!(download.bytes().await.unwrap().to_vec(), pdf);

    // Another provider sees nothing of it.
    let other = app.login(ALLY_PALLY).await;
    for path in [
        format!("/invoices/{id}"),
        format!("/invoices/{id}/attachment"),
    ] {
        assert_eq!(app.get(&path, &other).await.status(), 404, "{path}");
    }
    let (status, _) = post(
        &app,
        &other,
        &format!("/invoices/{id}/submit"),
        json!({"version": attached["version"]}),
    )
    .await;
    assert_eq!(status, 404);
    let listed: Value = app.get("/invoices", &other).await.json().await.unwrap();
    assert_eq!(listed["items"], json!([]));
    // Nor can it invoice another organisation's client.
    let (status, _) = post(
        &app,
        &other,
        "/invoices",
        new_invoice(&bedford.client, "STEAL-1"),
    )
    .await;
    assert_eq!(status, 404);
}

async fn a_submitted_invoice_locks_its_weeks(db: Db) {
    let app = spawn_app(db).await;
    let bedford = bedford_with_e17_actuals(&app).await;
    let invoice = app
        .created(
            &bedford.token,
            "/invoices",
            new_invoice(&bedford.client, "INV-42"),
        )
        .await;
    let id = invoice["id"].as_str().unwrap();
    let (status, _) = post(
        &app,
        &bedford.token,
        &format!("/invoices/{id}/submit"),
        json!({"version": invoice["version"]}),
    )
    .await;
    assert_eq!(status, 200);
    let service = &bedford.service;
    // Generating is refused, and so is a save.
    let response = app
        .post_json(
            &format!("/services/{service}/weeks/2022-04-04/actuals/generate"),
            Some(&bedford.token),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 409);
    let week: Value = app
        .get(
            &format!("/services/{service}/weeks/2022-04-04/actuals"),
            &bedford.token,
        )
        .await
        .json()
        .await
        .unwrap();
    let iris = client(&week, IRIS);
    let scheduled = line(iris, SCHEDULED);
    let client_id = iris["client"]["id"].as_str().unwrap();
    let response = app
        .put_json(
            &format!("/services/{service}/weeks/2022-04-04/clients/{client_id}/actuals"),
            &bedford.token,
            &json!({"version": iris["version"], "lines": [{
                "cpli_id": scheduled["cpli_id"], "actual": "", "frustrated": "", "missed": "", "extra": "",
                "visits": "5", "comment": "", "sessions": planned()
            }]}),
        )
        .await;
    assert_eq!(response.status(), 409);
    let problem: Value = response.json().await.unwrap();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("This week is on invoice INV-42 (Pending), submitted on"),
        "{problem}"
    );

    // Returned for correction: the weeks are open again.
    let council = bedford_staff(&app).await;
    let invoice: Value = app
        .get(&format!("/invoices/{id}"), &council)
        .await
        .json()
        .await
        .unwrap();
    let (status, _) = post(
        &app,
        &council,
        &format!("/invoices/{id}/return"),
        json!({"version": invoice["version"], "reason": "Wrong week"}),
    )
    .await;
    assert_eq!(status, 200);
    let response = save_week(&app, &bedford.token, service, "2022-04-04", planned()).await;
    assert_eq!(response.status(), 200);
}

on_both_databases!(
    e17_iris_angelos_invoice_is_two_commitments,
    items_are_removed_re_added_and_suggested,
    submitted_invoices_are_the_councils_to_decide,
    an_empty_invoice_is_not_submitted_and_references_are_unique,
    a_credit_note_has_negative_items,
    attachments_are_checked_and_invoices_are_the_providers_own,
    a_submitted_invoice_locks_its_weeks,
);
