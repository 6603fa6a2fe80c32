//! Scheduled payments (DOMAIN 5): periods by financial year, Payable and Non-payable lines
//! computed from the actuals at once (E12, E14), the provider's Confirm / Reject and
//! disputes, council decisions, authorising and the payment run, the remittance advice, and
//! amendments to paid weeks: an "Adj." in the next open period inside the amendment window,
//! a lock after it (DOMAIN 4.7).

use serde_json::{json, Value};

use crate::helpers::{
    client, error_fields, line, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL, DIAMOND,
};
use crate::on_both_databases;

pub(crate) const WEEK: &str = "2022-06-06";
const SINGLE: &str = "Homecare Flexible - Bradford - Single-handed";
const DOUBLE: &str = "Homecare Flexible - Bradford - Double-handed";

/// The caller's contract with this name, by the payment screens' list.
pub(crate) async fn contract_id(app: &TestApp, token: &str, name: &str) -> String {
    let contracts: Value = app
        .get("/payment-contracts", token)
        .await
        .json()
        .await
        .unwrap();
    contracts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|contract| contract["name"] == name)
        .unwrap_or_else(|| panic!("no contract {name} in {contracts}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// The period of a contract starting on `start`, from the financial year's list.
pub(crate) async fn period(
    app: &TestApp,
    token: &str,
    contract: &str,
    year: &str,
    start: &str,
) -> Value {
    let response = app
        .get(
            &format!("/contracts/{contract}/payment-periods?financial_year={year}"),
            token,
        )
        .await;
    assert_eq!(response.status(), 200);
    let periods: Value = response.json().await.unwrap();
    let summary = periods["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|period| period["start"] == start)
        .unwrap_or_else(|| panic!("no period from {start} in {periods}"))
        .clone();
    app.get(
        &format!("/payment-periods/{}", summary["id"].as_str().unwrap()),
        token,
    )
    .await
    .json()
    .await
    .unwrap()
}

fn payment<'a>(period: &'a Value, sort_name: &str) -> &'a Value {
    period["clients"]
        .as_array()
        .unwrap()
        .iter()
        .find(|client| client["client"]["sort_name"] == sort_name)
        .unwrap_or_else(|| panic!("no {sort_name} in {period}"))
}

/// Saves one line of a client's week of actuals.
pub(crate) async fn save_line(
    app: &TestApp,
    token: &str,
    service: &str,
    week: &str,
    client_name: &str,
    level: &str,
    figures: [&str; 4],
) -> reqwest::Response {
    let grid: Value = app
        .get(&format!("/services/{service}/weeks/{week}/actuals"), token)
        .await
        .json()
        .await
        .unwrap();
    let entry = client(&grid, client_name);
    let chosen = line(entry, level);
    let [actual, frustrated, missed, extra] = figures;
    app.put_json(
        &format!(
            "/services/{service}/weeks/{week}/clients/{}/actuals",
            entry["client"]["id"].as_str().unwrap()
        ),
        token,
        &json!({"version": entry["version"], "lines": [{
            "cpli_id": chosen["cpli_id"], "actual": actual, "frustrated": frustrated,
            "missed": missed, "extra": extra, "visits": chosen["visits"],
            "comment": "As delivered"}]}),
    )
    .await
}

/// Ally Pally's week of 06/06/2022 as the guides have it (E3, E6, E7 and the plan).
pub(crate) async fn enter_e12_week(app: &TestApp, provider: &str, service: &str) {
    app.generated_week(provider, service, WEEK).await;
    for (name, level, figures) in [
        ("Mr Eric Bristow", DOUBLE, ["0", "0", "1", "0"]),
        ("Mr Jocky Wilson", DOUBLE, ["10", "4", "0", "0"]),
        ("Mr Sid Waddell", SINGLE, ["3", "0", "0", "2"]),
    ] {
        let response = save_line(app, provider, service, WEEK, name, level, figures).await;
        assert_eq!(response.status(), 200, "{name}");
    }
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let response = app.post_json(path, Some(token), &body).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn e12_week_pays_760_and_holds_sids_60(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    enter_e12_week(&app, &provider, &service).await;
    let contract = contract_id(&app, &provider, "Ally Pally Care").await;
    let detail = period(&app, &provider, &contract, "2022/2023", WEEK).await;

    assert_eq!(detail["period"]["label"], "6 Jun 2022 to 12 Jun 2022");
    assert_eq!(detail["period"]["status_label"], "Unconfirmed");
    assert_eq!(detail["payable"], "760.00");
    assert_eq!(detail["non_payable"], "60.00");
    assert_eq!(detail["payable_vat"], "0.00");
    for (name, payable) in [
        ("Bristow, Eric", "140.00"),
        ("Sherrock, Fallon", "40.00"),
        ("Wilson, Jocky", "560.00"),
        ("Wright, Peter", "20.00"),
    ] {
        let entry = payment(&detail, name);
        assert_eq!(entry["payable"], payable, "{name}");
        assert_eq!(entry["non_payable"], "0.00", "{name}");
    }
    // Sid Waddell (E7): the plan's £20.00 and the £40.00 adjustment, both suspended, and why.
    let sid = payment(&detail, "Waddell, Sid");
    assert_eq!(sid["payable"], "0.00");
    assert_eq!(sid["non_payable"], "60.00");
    let lines = sid["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    assert!(lines.iter().all(|line| line["status_label"] == "Suspend"));
    let adjustment = lines
        .iter()
        .find(|line| line["kind"] == "adjustment")
        .unwrap();
    assert_eq!(adjustment["amount"], "40.00");
    assert_eq!(
        adjustment["reason_for_payment"],
        "Homecare Flexible - Bradford - Single-handed (Hour), Spot. (Adj)"
    );
    assert_eq!(adjustment["from"], "2022-06-06");
    assert_eq!(adjustment["to"], "2022-06-12");
    assert!(sid["suspended_because"][0]
        .as_str()
        .unwrap()
        .contains("exceeds the planned service level Actual by 200%"));
    // The period's CPLIs, as the guides list them beneath.
    assert_eq!(detail["cplis"].as_array().unwrap().len(), 6);

    // Figures follow a save at once: no overnight step.
    let response = save_line(
        &app,
        &provider,
        &service,
        WEEK,
        "Mr Peter Wright",
        SINGLE,
        ["2", "0", "0", "1"],
    )
    .await;
    assert_eq!(response.status(), 200);
    let detail = period(&app, &provider, &contract, "2022/2023", WEEK).await;
    assert_eq!(payment(&detail, "Wright, Peter")["non_payable"], "40.00");
    assert_eq!(detail["payable"], "740.00");
}

async fn the_provider_confirms_and_the_council_pays_and_finalises(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    enter_e12_week(&app, &provider, &service).await;
    let contract = contract_id(&app, &provider, "Ally Pally Care").await;
    let detail = period(&app, &provider, &contract, "2022/2023", WEEK).await;
    let id = detail["period"]["id"].as_str().unwrap().to_owned();
    let version = detail["period"]["version"].as_i64().unwrap();

    // A rejection needs a comment; a confirmation records the provider's words.
    let (status, problem) = post(
        &app,
        &provider,
        &format!("/payment-periods/{id}/answer"),
        json!({"version": version, "answer": "reject", "comment": " "}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["comment"]);
    let comment = "Please consider suspended payment of £60 for Sid.";
    let (status, detail) = post(
        &app,
        &provider,
        &format!("/payment-periods/{id}/answer"),
        json!({"version": version, "answer": "confirm", "comment": comment}),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["period"]["status_label"], "Confirmed");
    assert_eq!(detail["provider_comment"], comment);
    // A stale version is refused.
    let (status, _) = post(
        &app,
        &provider,
        &format!("/payment-periods/{id}/answer"),
        json!({"version": version, "answer": "confirm", "comment": ""}),
    )
    .await;
    assert_eq!(status, 409);

    // The provider disputes Sid's planned line; only the council pays held lines.
    let version = detail["period"]["version"].as_i64().unwrap();
    let sid = payment(&detail, "Waddell, Sid");
    let sid_id = sid["client"]["id"].as_str().unwrap().to_owned();
    let cost_key = sid["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["kind"] == "cost")
        .unwrap()["key"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = post(
        &app,
        &provider,
        &format!("/payment-periods/{id}/line-decisions"),
        json!({"version": version, "line_key": cost_key, "decision": "pay"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, detail) = post(
        &app,
        &provider,
        &format!("/payment-periods/{id}/line-decisions"),
        json!({"version": version, "line_key": cost_key, "decision": "dispute",
               "reason": "The planned hour was delivered; only the extra is in question."}),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    // The council pays the undisputed rest of Sid's period: the £40.00 adjustment.
    let version = detail["period"]["version"].as_i64().unwrap();
    let (status, detail) = post(
        &app,
        &council,
        &format!("/payment-periods/{id}/pay-undisputed"),
        json!({"version": version, "client_id": sid_id}),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    let sid = payment(&detail, "Waddell, Sid");
    assert_eq!(sid["payable"], "40.00");
    assert_eq!(sid["non_payable"], "20.00");
    assert_eq!(detail["payable"], "800.00");

    // Authorise, then the payment run; the disputed line is carried forward.
    let version = detail["period"]["version"].as_i64().unwrap();
    let (status, _) = post(
        &app,
        &council,
        &format!("/payment-periods/{id}/finalise"),
        json!({"version": version}),
    )
    .await;
    assert_eq!(status, 409, "only an authorised period is paid");
    let (status, _) = post(
        &app,
        &provider,
        &format!("/payment-periods/{id}/authorise"),
        json!({"version": version}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, detail) = post(
        &app,
        &council,
        &format!("/payment-periods/{id}/authorise"),
        json!({"version": version}),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["period"]["status_label"], "Authorised");
    let version = detail["period"]["version"].as_i64().unwrap();
    let (status, detail) = post(
        &app,
        &council,
        &format!("/payment-periods/{id}/finalise"),
        json!({"version": version}),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(detail["period"]["status_label"], "Finalised");
    assert_eq!(detail["from_payment_run"], true);
    assert_eq!(detail["payable"], "800.00");
    let sid = payment(&detail, "Waddell, Sid");
    assert!(sid["lines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|line| line["status_label"] == "Carry forward" && line["amount"] == "20.00"));

    // The remittance advice: lines or a summary per client, JSON or CSV with the same figures.
    let advice: Value = app
        .get(&format!("/payment-periods/{id}/remittance"), &provider)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(advice["paid"], "800.00");
    let summary: Value = app
        .get(
            &format!("/payment-periods/{id}/remittance?summary=true"),
            &provider,
        )
        .await
        .json()
        .await
        .unwrap();
    let rows = summary["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 5);
    assert!(rows
        .iter()
        .any(|row| row["client"] == "Wilson, Jocky (c9836000)" && row["amount"] == "560.00"));
    let csv = app
        .get(
            &format!("/payment-periods/{id}/remittance?summary=true&format=csv"),
            &provider,
        )
        .await
        .text()
        .await
        .unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let total: rust_decimal::Decimal = reader
        .records()
        .map(|record| record.unwrap()[5].parse::<rust_decimal::Decimal>().unwrap())
        .sum();
    assert_eq!(total.to_string(), "800.00");

    // The PDF opens, and its text says the total paid.
    let response = app
        .get(
            &format!("/payment-periods/{id}/remittance?format=pdf"),
            &provider,
        )
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "application/pdf");
    let bytes = response.bytes().await.unwrap();
    let pdf = lopdf::Document::load_mem(&bytes).expect("the remittance PDF opens");
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    let text = pdf.extract_text(&pages).unwrap();
    assert!(text.contains("Remittance Advice"), "{text}");
    assert!(text.contains("Wilson, Jocky (c9836000)"), "{text}");
    assert!(text.contains("Total paid: £800.00"), "{text}");

    // Sid's carried £20.00 comes back in the next open period, still disputable there.
    let next = period(&app, &provider, &contract, "2022/2023", "2022-06-13").await;
    let sid = payment(&next, "Waddell, Sid");
    let carried = sid["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| {
            line["reason_for_payment"]
                .as_str()
                .unwrap()
                .contains("06/06/2022")
        })
        .unwrap_or_else(|| panic!("no carried line in {sid}"));
    assert_eq!(carried["amount"], "20.00");
    assert_eq!(carried["from"], WEEK);

    // A paid period changes no more.
    let (status, _) = post(
        &app,
        &provider,
        &format!("/payment-periods/{id}/answer"),
        json!({"version": detail["period"]["version"], "answer": "reject", "comment": "late"}),
    )
    .await;
    assert_eq!(status, 409);
}

/// Pays the week of 06/06/2022 as entered: authorise and finalise.
pub(crate) async fn pay_e12_week(app: &TestApp, provider: &str, council: &str, contract: &str) {
    let detail = period(app, provider, contract, "2022/2023", WEEK).await;
    let id = detail["period"]["id"].as_str().unwrap();
    let version = detail["period"]["version"].as_i64().unwrap();
    let (status, detail) = post(
        app,
        council,
        &format!("/payment-periods/{id}/authorise"),
        json!({"version": version}),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    let (status, detail) = post(
        app,
        council,
        &format!("/payment-periods/{id}/finalise"),
        json!({"version": detail["period"]["version"]}),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
}

async fn an_amendment_inside_the_window_is_an_adjustment_in_the_next_period(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    enter_e12_week(&app, &provider, &service).await;
    let contract = contract_id(&app, &provider, "Ally Pally Care").await;
    pay_e12_week(&app, &provider, &council, &contract).await;

    // Bradford's 14-day window is open: Fallon's third hour is taken, and paid next period.
    let response = save_line(
        &app,
        &provider,
        &service,
        WEEK,
        "Miss Fallon Sherrock",
        SINGLE,
        ["2.5", "0", "0", "0.5"],
    )
    .await;
    assert_eq!(response.status(), 200);
    let next = period(&app, &provider, &contract, "2022/2023", "2022-06-13").await;
    let fallon = payment(&next, "Sherrock, Fallon");
    let amendment = fallon["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["from"] == WEEK)
        .unwrap_or_else(|| panic!("no adjustment in {fallon}"));
    assert_eq!(amendment["amount"], "10.00");
    assert_eq!(
        amendment["reason_for_payment"],
        "Homecare Flexible - Bradford - Single-handed (Hour), Spot. (Adj) for the week beginning 06/06/2022"
    );
    // Plan exceeded by 25% suspends Fallon's payment until the council decides.
    assert_eq!(amendment["status_label"], "Suspend");
    // Sid's held £60.00 was carried forward too.
    let sid = payment(&next, "Waddell, Sid");
    assert!(sid["lines"]
        .as_array()
        .unwrap()
        .iter()
        .any(|line| line["from"] == WEEK && line["amount"] == "60.00"));
}

async fn after_the_window_a_paid_week_is_locked(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    enter_e12_week(&app, &provider, &service).await;
    let contract = contract_id(&app, &provider, "Ally Pally Care").await;
    // A council with no amendment window: paid weeks lock at once.
    let settings: Value = app
        .get("/council/settings", &council)
        .await
        .json()
        .await
        .unwrap();
    let changed = json!({
        "version": settings["version"],
        "contact_email": settings["contact_email"],
        "contact_phone": settings["contact_phone"],
        "contact_address": settings["contact_address"],
        "submission_deadline_weekday": "Tuesday",
        "submission_deadline_time": "17:00",
        "amendment_window_days": 0,
    });
    let response = app.put_json("/council/settings", &council, &changed).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    pay_e12_week(&app, &provider, &council, &contract).await;

    let response = save_line(
        &app,
        &provider,
        &service,
        WEEK,
        "Miss Fallon Sherrock",
        SINGLE,
        ["1", "0", "1", "0"],
    )
    .await;
    assert_eq!(response.status(), 409);
    let problem: Value = response.json().await.unwrap();
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("The payment period 06/06/2022 - 12/06/2022 was paid on"),
        "{problem}"
    );
    let grid: Value = app
        .get(
            &format!("/services/{service}/weeks/{WEEK}/actuals"),
            &provider,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(grid["locked"]["reason"]
        .as_str()
        .unwrap()
        .contains("its amendment window closed on"));
}

async fn e14_stockport_fortnight_is_791_84(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(DIAMOND).await;
    let contract = contract_id(&app, &provider, "Diamond Home Care").await;
    let detail = period(&app, &provider, &contract, "2019/2020", "2019-07-08").await;
    assert_eq!(detail["period"]["label"], "8 Jul 2019 to 21 Jul 2019");
    assert_eq!(detail["period"]["end"], "2019-07-21");
    for (name, payable) in [
        ("Tribbiani, Joey", "226.24"),
        ("Geller, Monica", "452.48"),
        ("Buffay, Phoebe", "113.12"),
    ] {
        assert_eq!(payment(&detail, name)["payable"], payable, "{name}");
    }
    assert_eq!(detail["payable"], "791.84");
    assert_eq!(detail["payable_vat"], "0.00");
    assert_eq!(detail["total_payable"], "791.84");
    assert_eq!(detail["non_payable"], "0.00");
}

async fn another_providers_periods_are_not_found(db: Db) {
    let app = spawn_app(db).await;
    let ally = app.login(ALLY_PALLY).await;
    let diamond = app.login(DIAMOND).await;
    let contract = contract_id(&app, &ally, "Ally Pally Care").await;
    let detail = period(&app, &ally, &contract, "2022/2023", WEEK).await;
    let id = detail["period"]["id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/payment-periods/{id}"), &diamond)
            .await
            .status(),
        404
    );
    assert_eq!(
        app.get(&format!("/contracts/{contract}/payment-periods"), &diamond)
            .await
            .status(),
        404
    );
    let (status, _) = post(
        &app,
        &diamond,
        &format!("/payment-periods/{id}/answer"),
        json!({"version": 1, "answer": "confirm"}),
    )
    .await;
    assert_eq!(status, 404);
    let response = app
        .get(
            &format!("/contracts/{contract}/payment-periods?financial_year=22"),
            &ally,
        )
        .await;
    assert_eq!(response.status(), 422);
    // Not paid yet: no remittance advice.
    assert_eq!(
        app.get(&format!("/payment-periods/{id}/remittance"), &ally)
            .await
            .status(),
        409
    );
}

/// Posts and expects 409 with `reason` in the problem's detail.
async fn refused(app: &TestApp, token: &str, path: &str, body: Value, reason: &str) {
    let (status, problem) = post(app, token, path, body).await;
    assert_eq!(status, 409, "{path}: {problem}");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap_or_default()
            .contains(reason),
        "{path}: {problem} should say {reason}"
    );
}

async fn every_illegal_transition_is_refused_with_the_reason(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    enter_e12_week(&app, &provider, &service).await;
    let contract = contract_id(&app, &provider, "Ally Pally Care").await;

    // The current period has not ended: it cannot be authorised yet.
    let current: Value = app
        .get(&format!("/contracts/{contract}/payment-periods"), &provider)
        .await
        .json()
        .await
        .unwrap();
    let newest = &current["items"][0];
    refused(
        &app,
        &council,
        &format!(
            "/payment-periods/{}/authorise",
            newest["id"].as_str().unwrap()
        ),
        json!({"version": newest["version"]}),
        "authorise it once it has ended",
    )
    .await;

    // Lines: pay a line already payable; cancel twice; dispute twice.
    let detail = period(&app, &provider, &contract, "2022/2023", WEEK).await;
    let id = detail["period"]["id"].as_str().unwrap().to_owned();
    let decisions = format!("/payment-periods/{id}/line-decisions");
    let eric_key = payment(&detail, "Bristow, Eric")["lines"][0]["key"].clone();
    refused(
        &app,
        &council,
        &decisions,
        json!({"version": detail["period"]["version"], "line_key": eric_key, "decision": "pay"}),
        "This line is paid already.",
    )
    .await;
    let sid_key = payment(&detail, "Waddell, Sid")["lines"][0]["key"].clone();
    let (status, detail) = post(
        &app,
        &provider,
        &decisions,
        json!({"version": detail["period"]["version"], "line_key": sid_key,
               "decision": "dispute", "reason": "Requested by the social worker"}),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    refused(
        &app,
        &provider,
        &decisions,
        json!({"version": detail["period"]["version"], "line_key": sid_key,
               "decision": "dispute", "reason": "Again"}),
        "This line is disputed already.",
    )
    .await;
    let (status, detail) = post(
        &app,
        &council,
        &decisions,
        json!({"version": detail["period"]["version"], "line_key": sid_key,
               "decision": "cancel", "reason": "Not authorised by the social worker"}),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    refused(
        &app,
        &council,
        &decisions,
        json!({"version": detail["period"]["version"], "line_key": sid_key,
               "decision": "cancel", "reason": "Twice"}),
        "This line is cancelled already.",
    )
    .await;

    // The period: authorised, it takes no answer from the provider and no second authorising.
    let version = detail["period"]["version"].as_i64().unwrap();
    let (status, detail) = post(
        &app,
        &council,
        &format!("/payment-periods/{id}/authorise"),
        json!({"version": version}),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    let version = detail["period"]["version"].as_i64().unwrap();
    refused(
        &app,
        &provider,
        &format!("/payment-periods/{id}/answer"),
        json!({"version": version, "answer": "confirm", "comment": ""}),
        "authorised for payment",
    )
    .await;
    refused(
        &app,
        &council,
        &format!("/payment-periods/{id}/authorise"),
        json!({"version": version}),
        "authorised for payment",
    )
    .await;
    let (status, detail) = post(
        &app,
        &council,
        &format!("/payment-periods/{id}/finalise"),
        json!({"version": version}),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    // Paid: nothing more.
    let version = detail["period"]["version"].as_i64().unwrap();
    for (path, body) in [
        ("finalise", json!({"version": version})),
        ("authorise", json!({"version": version})),
        (
            "answer",
            json!({"version": version, "answer": "confirm", "comment": ""}),
        ),
        (
            "line-decisions",
            json!({"version": version, "line_key": sid_key, "decision": "pay"}),
        ),
    ] {
        let token = if path == "answer" {
            &provider
        } else {
            &council
        };
        let (status, problem) =
            post(&app, token, &format!("/payment-periods/{id}/{path}"), body).await;
        assert_eq!(status, 409, "{path}: {problem}");
        assert!(!problem["detail"].as_str().unwrap_or_default().is_empty());
    }
}

async fn an_approved_one_off_claim_is_paid_in_the_next_open_period(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let contract = contract_id(&app, &provider, "Ally Pally Care").await;
    let week = period(&app, &provider, &contract, "2022/2023", WEEK).await;
    let sid_id = payment(&week, "Waddell, Sid")["client"]["id"].clone();
    // "%PDF-1.4" and a little more: evidence the server accepts as a PDF.
    let evidence = json!({"file_name": "receipt.pdf", "content_type": "application/pdf",
                          "content_base64": "JVBERi0xLjQKJcOkw7zDtsOfCg=="});
    let mut ids = Vec::new();
    for body in [
        json!({"contract_id": contract, "item": "client", "client_id": sid_id,
               "description": "Taxi to hospital appointment", "claim_date": "2022-06-08",
               "amount": "45.50", "vat": "0.00", "evidence": evidence}),
        json!({"contract_id": contract, "item": "provider", "description": "Training day",
               "claim_date": "2022-06-09", "amount": "12.00", "vat": "2.40",
               "evidence": evidence}),
    ] {
        let claim = app.created(&provider, "/one-off-claims", body).await;
        ids.push((
            claim["id"].as_str().unwrap().to_owned(),
            claim["version"].clone(),
        ));
    }
    // Submitted only: not paid anywhere yet.
    let current: Value = app
        .get(&format!("/contracts/{contract}/payment-periods"), &provider)
        .await
        .json()
        .await
        .unwrap();
    let current_id = current["items"][0]["id"].as_str().unwrap().to_owned();
    let detail: Value = app
        .get(&format!("/payment-periods/{current_id}"), &provider)
        .await
        .json()
        .await
        .unwrap();
    let before = detail["payable"]
        .as_str()
        .unwrap()
        .parse::<rust_decimal::Decimal>()
        .unwrap();
    for (id, version) in &ids {
        let (status, claim) = post(
            &app,
            &council,
            &format!("/one-off-claims/{id}/decision"),
            json!({"version": version, "decision": "approve"}),
        )
        .await;
        assert_eq!(status, 200, "{claim}");
    }
    // Approved today: paid in the current period, the first still open.
    let detail: Value = app
        .get(&format!("/payment-periods/{current_id}"), &provider)
        .await
        .json()
        .await
        .unwrap();
    let after = detail["payable"]
        .as_str()
        .unwrap()
        .parse::<rust_decimal::Decimal>()
        .unwrap();
    assert_eq!((after - before).to_string(), "57.50");
    let sid = payment(&detail, "Waddell, Sid");
    let taxi = sid["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["key"].as_str().unwrap().starts_with("claim/"))
        .unwrap_or_else(|| panic!("no claim line in {sid}"));
    assert_eq!(
        taxi["reason_for_payment"],
        "One-off claim: Taxi to hospital appointment (08/06/2022)"
    );
    assert_eq!(taxi["status_label"], "Pay");
    let own = payment(&detail, "Ally Pally Ltd");
    assert_eq!(own["client"]["id"], "");
    assert_eq!(own["payable"], "12.00");
    assert_eq!(own["payable_vat"], "2.40");
    // Not in the week the costs arose, which is not where payment happens.
    let week = period(&app, &provider, &contract, "2022/2023", WEEK).await;
    assert_eq!(week["payable"], "820.00");

    // A week on, the period has ended: the council pays it, and the claims read "Paid".
    app.clock.advance(time::Duration::days(8));
    let (status, detail) = post(
        &app,
        &council,
        &format!("/payment-periods/{current_id}/authorise"),
        json!({"version": detail["period"]["version"]}),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    let (status, detail) = post(
        &app,
        &council,
        &format!("/payment-periods/{current_id}/finalise"),
        json!({"version": detail["period"]["version"]}),
    )
    .await;
    assert_eq!(status, 200, "{detail}");
    assert_eq!(payment(&detail, "Ally Pally Ltd")["payable"], "12.00");
    for (id, _) in &ids {
        let claim: Value = app
            .get(&format!("/one-off-claims/{id}"), &provider)
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(claim["status_label"], "Paid", "{claim}");
        assert_eq!(claim["paid_period"]["starts_on"], detail["period"]["start"]);
    }
    // Paid once: the next period does not pay them again.
    let next: Value = app
        .get(&format!("/contracts/{contract}/payment-periods"), &provider)
        .await
        .json()
        .await
        .unwrap();
    let next_id = next["items"][0]["id"].as_str().unwrap();
    assert_ne!(next_id, current_id);
    let next: Value = app
        .get(&format!("/payment-periods/{next_id}"), &provider)
        .await
        .json()
        .await
        .unwrap();
    assert!(!next.to_string().contains("One-off claim"));
}

on_both_databases!(
    e12_week_pays_760_and_holds_sids_60,
    the_provider_confirms_and_the_council_pays_and_finalises,
    an_amendment_inside_the_window_is_an_adjustment_in_the_next_period,
    after_the_window_a_paid_week_is_locked,
    e14_stockport_fortnight_is_791_84,
    another_providers_periods_are_not_found,
    every_illegal_transition_is_refused_with_the_reason,
    an_approved_one_off_claim_is_paid_in_the_next_open_period,
);
