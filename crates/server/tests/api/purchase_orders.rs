//! Purchase orders (DOMAIN 7) through the API: the guides' POs to the penny (E13, E15), a
//! version for each care package variation, the PDF, and other providers' POs kept out.

use portal_domain::security_code::SecurityCode;
use portal_server::auth::passwords::Hasher;
use portal_server::configuration::HashingCost;
use portal_server::demo::{DEMO_PASSWORD, DEMO_SECURITY_CODE};
use portal_store::people::{NewUser, UserKind};
use serde_json::{json, Value};

use crate::helpers::{
    error_fields, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL, DAY_OPPORTUNITIES, DIAMOND,
};
use crate::on_both_databases;

async fn list(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let response = app.get(&format!("/purchase-orders{query}"), token).await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    page["items"].as_array().unwrap().clone()
}

fn by_label<'a>(items: &'a [Value], label: &str) -> &'a Value {
    items
        .iter()
        .find(|item| item["label"] == label)
        .unwrap_or_else(|| panic!("no PO {label} in {items:?}"))
}

async fn one(app: &TestApp, token: &str, id: &Value) -> Value {
    let response = app
        .get(&format!("/purchase-orders/{}", id.as_str().unwrap()), token)
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn e13_stockport_pos_are_pro_rata_by_days(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(DIAMOND).await;
    let items = list(&app, &token, "?financial_year=2019-2020").await;
    let rows: Vec<(&str, &str, &str, &str)> = items
        .iter()
        .map(|item| {
            (
                item["label"].as_str().unwrap(),
                item["value"].as_str().unwrap(),
                item["spend_to_date"].as_str().unwrap(),
                item["financial_year_label"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (
                "Buffay, Phoebe (PB123) - 2019/2020",
                "2165.44",
                "0.00",
                "2019/2020"
            ),
            (
                "Geller, Monica (MG123) - 2019/2020",
                "9114.24",
                "0.00",
                "2019/2020"
            ),
            (
                "Tribbiani, Joey (JT123) - 2019/2020",
                "4557.12",
                "0.00",
                "2019/2020"
            ),
        ]
    );
    // The same year by the year it starts in.
    assert_eq!(list(&app, &token, "?financial_year=2019").await, items);

    let geller = by_label(&items, "Geller, Monica (MG123) - 2019/2020");
    let number = geller["number"].as_str().unwrap();
    assert_eq!(number, format!("{} - 1", geller["id"].as_str().unwrap()));
    let po = one(&app, &token, &geller["id"]).await;
    assert_eq!(po["summary"], *geller);
    assert_eq!(po["total_ex_vat"], "9114.24");
    assert_eq!(po["payment"]["model"], "scheduled");
    assert_eq!(po["payment"]["period_label"], "Fortnightly");
    assert_eq!(po["payment"]["from"], "2019-04-01");
    assert_eq!(po["payment"]["to"], "2020-03-31");
    assert_eq!(po["payment"]["direct_payment"], false);
    assert_eq!(po["provider"]["organisation_name"], "Diamond Home Care");
    let item = &po["items"][0];
    assert_eq!(
        item["details"],
        "Service 'Diamond Home Care - Marple', Level 'Home Care - Single Assist Fixed Rate (Hour)', 14 Hours every week @£16.16. Weekly cost £226.24"
    );
    assert_eq!(
        (&item["from"], &item["to"]),
        (&json!("2019-06-24"), &json!("2020-03-31"))
    );
    assert_eq!(item["amount"], "9114.24");
    assert_eq!(po["versions"].as_array().unwrap().len(), 1);
    assert_eq!(po["versions"][0]["change"], "First issued");

    // Joey's two CPLIs at Marple are one PO with two items.
    let joey = by_label(&items, "Tribbiani, Joey (JT123) - 2019/2020");
    let po = one(&app, &token, &joey["id"]).await;
    let amounts: Vec<&str> = po["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["amount"].as_str().unwrap())
        .collect();
    assert_eq!(amounts, vec!["2278.56", "2278.56"]);

    // Listing again keeps the numbers; the year filter and the client filter agree.
    let again = list(&app, &token, "?financial_year=2019-2020").await;
    assert_eq!(again, items);
    let client = geller["client_id"].as_str().unwrap();
    let only = list(&app, &token, &format!("?client={client}")).await;
    assert_eq!(only[0], *geller, "the first year of Monica's care");
    assert!(only.len() > 1, "open-ended care has a PO each year");

    let pdf = app
        .get(
            &format!("/purchase-orders/{}/pdf", geller["id"].as_str().unwrap()),
            &token,
        )
        .await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    // The PDF opens, and its text names the PO and says its total.
    let document = lopdf::Document::load_mem(&bytes).expect("the PO's PDF opens");
    let pages: Vec<u32> = document.get_pages().keys().copied().collect();
    let text = document.extract_text(&pages).unwrap();
    assert!(text.contains("Geller, Monica"), "the PO is named: {text}");
    assert!(text.contains("£9,114.24"), "the PO's total: {text}");
}

async fn e15_bedford_timetabled_po_counts_each_session(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(DAY_OPPORTUNITIES).await;
    let items = list(&app, &token, "?financial_year=2022-2023").await;
    assert_eq!(items.len(), 1);
    let iris = &items[0];
    assert_eq!(iris["label"], "Angelo, Iris (A1) - 2022/2023");
    assert_eq!(iris["value"], "55974.06");
    assert_eq!(iris["spend_to_date"], "0.00");
    let po = one(&app, &token, &iris["id"]).await;
    assert_eq!(po["payment"]["model_label"], "Invoiced, pay on actuals");
    assert_eq!(po["payment"]["period_label"], "Four-weekly");
    let item = &po["items"][0];
    assert_eq!(
        item["details"],
        "Service 'Day Opportunities PP Home', Level 'Day Opportunities - Scheduled (Session)', 5 Sessions every week. Weekly cost £1,072.30"
    );
    assert_eq!(item["units"], "261");
    assert_eq!(
        (&item["from"], &item["to"]),
        (&json!("2022-04-01"), &json!("2023-03-31"))
    );
    // The four sessions of 28-31 March 2022 are the 2021/2022 PO's.
    let before = list(&app, &token, "?financial_year=2021-2022").await;
    assert_eq!(before[0]["value"], "857.84");
}

async fn a_new_cpli_version_is_a_new_po_version(db: Db) {
    let app = spawn_app(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let provider = app.login(ALLY_PALLY).await;
    let cplis: Value = app.get("/cplis", &council).await.json().await.unwrap();
    let sid = cplis["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|cpli| cpli["client_name"] == "Waddell, Sid")
        .unwrap();
    let label = "Waddell, Sid (8c846000) - 2022/2023";
    let before = list(&app, &provider, "?financial_year=2022-2023").await;
    let po = by_label(&before, label).clone();
    // 1 hour at £20.00 a week for 365 days.
    assert_eq!(po["value"], "1042.86");
    assert_eq!(po["version"], 1);

    app.created(
        &council,
        &format!("/cplis/{}/versions", sid["id"].as_str().unwrap()),
        json!({"effective_from": "2022-06-09", "latest_version_seen": 1, "weekly_quantity": "2", "planned_visits": "2"}),
    )
    .await;
    let after = list(&app, &provider, "?financial_year=2022-2023").await;
    let varied = by_label(&after, label);
    assert_eq!(varied["id"], po["id"], "the same PO");
    assert_eq!(varied["version"], 2);
    let id = po["id"].as_str().unwrap();
    assert_eq!(varied["number"], format!("{id} - 2"));
    // £20.00 x 69 / 7 = £197.14 to 08/06/2022, then £40.00 x 296 / 7 = £1,691.43.
    assert_eq!(varied["value"], "1888.57");
    let detail = one(&app, &provider, &po["id"]).await;
    let versions: Vec<(i64, &str, &str)> = detail["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|version| {
            (
                version["version"].as_i64().unwrap(),
                version["number"].as_str().unwrap(),
                version["value"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        versions,
        vec![
            (1, format!("{id} - 1").as_str(), "1042.86"),
            (2, format!("{id} - 2").as_str(), "1888.57")
        ]
    );
    assert_eq!(
        detail["versions"][1]["change"],
        format!(
            "CPLI {} version 2 from 09/06/2022",
            sid["id"].as_str().unwrap()
        )
    );
    assert_eq!(detail["items"].as_array().unwrap().len(), 2);
    // A year the variation does not reach keeps its version.
    let earlier = list(&app, &provider, "?financial_year=2021-2022").await;
    assert_eq!(
        by_label(&earlier, "Waddell, Sid (8c846000) - 2021/2022")["version"],
        1
    );
    // Council staff see their council's POs too.
    let seen = list(&app, &council, "?financial_year=2022-2023").await;
    assert_eq!(by_label(&seen, label)["version"], 2);
}

async fn other_providers_pos_are_not_found(db: Db) {
    let app = spawn_app(db).await;
    let ally_pally = app.login(ALLY_PALLY).await;
    let diamond = app.login(DIAMOND).await;
    let theirs = list(&app, &ally_pally, "?financial_year=2022-2023").await;
    let id = theirs[0]["id"].as_str().unwrap();
    for path in [
        format!("/purchase-orders/{id}"),
        format!("/purchase-orders/{id}/pdf"),
        "/purchase-orders/999999".to_owned(),
        "/purchase-orders/not-an-id".to_owned(),
    ] {
        let response = app.get(&path, &diamond).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(
            response.headers()["content-type"],
            "application/problem+json"
        );
    }
    let mine = list(&app, &diamond, "?financial_year=2022-2023").await;
    assert!(mine
        .iter()
        .all(|po| po["organisation_name"] == "Diamond Home Care"));
    // Council staff of Bradford do not see Stockport's.
    let council = app.login(BRADFORD_COUNCIL).await;
    let stockport = &list(&app, &diamond, "?financial_year=2019-2020").await[0];
    let response = app
        .get(
            &format!("/purchase-orders/{}", stockport["id"].as_str().unwrap()),
            &council,
        )
        .await;
    assert_eq!(response.status(), 404);

    let response = app
        .get(
            "/purchase-orders?financial_year=2019-2021&client=x",
            &diamond,
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), vec!["financial_year", "client"]);
    let response = app
        .client
        .get(app.url("/purchase-orders"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
}

/// Signs in a member of Stockport's staff, made here: the demo has council staff for
/// Bradford only, and only the council may pay a period.
async fn stockport_council(app: &TestApp) -> String {
    let council_id = app
        .store
        .council_named("Stockport")
        .await
        .unwrap()
        .expect("the demo's Stockport");
    let hasher = Hasher::new(HashingCost::Test);
    let code = SecurityCode::parse(DEMO_SECURITY_CODE, None).unwrap();
    let email = "dale.knowles@stockport.example";
    let user = app
        .store
        .create_user(&NewUser {
            email,
            name: "Dale Knowles",
            kind: UserKind::Council,
            council_id: Some(council_id),
            password_hash: &hasher.hash(DEMO_PASSWORD),
        })
        .await
        .unwrap();
    app.store
        .set_security_code_hashes(user, &hasher.security_code_hashes(&code))
        .await
        .unwrap();
    app.login(email).await
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let response = app.post_json(path, Some(token), &body).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// E13's spend to date: the first fortnight (24/06/2019-07/07/2019) paid, Monica Geller's
/// PO has spent £452.48 and Joey Tribbiani's £226.24; Phoebe Buffay's care starts after it.
async fn e13_spend_to_date_is_what_finalised_periods_paid(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(DIAMOND).await;
    let council = stockport_council(&app).await;
    let contracts: Value = app
        .get("/payment-contracts", &provider)
        .await
        .json()
        .await
        .unwrap();
    let contract = contracts["items"][0]["id"].as_str().unwrap().to_owned();
    let periods: Value = app
        .get(
            &format!("/contracts/{contract}/payment-periods?financial_year=2019/2020"),
            &provider,
        )
        .await
        .json()
        .await
        .unwrap();
    let first = periods["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|period| period["start"] == "2019-06-24")
        .unwrap_or_else(|| panic!("no first fortnight in {periods}"));
    let id = first["id"].as_str().unwrap();
    let detail: Value = app
        .get(&format!("/payment-periods/{id}"), &provider)
        .await
        .json()
        .await
        .unwrap();
    // Authorised is not yet paid.
    let authorised = post(
        &app,
        &council,
        &format!("/payment-periods/{id}/authorise"),
        json!({"version": detail["period"]["version"]}),
    )
    .await;
    let spend = |items: &[Value], label: &str| by_label(items, label)["spend_to_date"].clone();
    let items = list(&app, &provider, "?financial_year=2019-2020").await;
    assert_eq!(spend(&items, "Geller, Monica (MG123) - 2019/2020"), "0.00");
    post(
        &app,
        &council,
        &format!("/payment-periods/{id}/finalise"),
        json!({"version": authorised["period"]["version"]}),
    )
    .await;
    let items = list(&app, &provider, "?financial_year=2019-2020").await;
    let rows: Vec<(&str, &str, &str)> = items
        .iter()
        .map(|item| {
            (
                item["label"].as_str().unwrap(),
                item["value"].as_str().unwrap(),
                item["spend_to_date"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            ("Buffay, Phoebe (PB123) - 2019/2020", "2165.44", "0.00"),
            ("Geller, Monica (MG123) - 2019/2020", "9114.24", "452.48"),
            ("Tribbiani, Joey (JT123) - 2019/2020", "4557.12", "226.24"),
        ]
    );
    // The next year's POs have spent nothing yet.
    let next = list(&app, &provider, "?financial_year=2020-2021").await;
    assert!(next.iter().all(|po| po["spend_to_date"] == "0.00"));
}

on_both_databases!(
    e13_spend_to_date_is_what_finalised_periods_paid,
    e13_stockport_pos_are_pro_rata_by_days,
    e15_bedford_timetabled_po_counts_each_session,
    a_new_cpli_version_is_a_new_po_version,
    other_providers_pos_are_not_found,
);
