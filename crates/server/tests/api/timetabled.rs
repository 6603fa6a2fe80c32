//! Timetabled actuals with weekday ticks (DOMAIN 4.4, E15 and E16), intermittent
//! short-break lines against their annual allocation, and unplanned lines (DOMAIN 4.5),
//! through the API.

use serde_json::{json, Value};

use crate::helpers::{
    client, error_fields, line, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL,
    DAY_OPPORTUNITIES,
};
use crate::on_both_databases;

const DAY_SERVICE: &str = "Day Opportunities PP Home";
const SCHEDULED: &str = "Day Opportunities - Scheduled";
const IRIS: &str = "Mrs Iris Angelo";

/// Saves Iris Angelo's line in `week` as `rows` and returns the saved client-week.
async fn save_rows(
    app: &TestApp,
    token: &str,
    service: &str,
    week: &str,
    rows: Value,
    comment: &str,
) -> reqwest::Response {
    let generated = app.generated_week(token, service, week).await;
    let iris = client(&generated, IRIS);
    let scheduled = line(iris, SCHEDULED);
    let client_id = iris["client"]["id"].as_str().unwrap();
    app.put_json(
        &format!("/services/{service}/weeks/{week}/clients/{client_id}/actuals"),
        token,
        &json!({"version": iris["version"], "lines": [{
            "cpli_id": scheduled["cpli_id"], "actual": "", "frustrated": "", "missed": "", "extra": "",
            "visits": "5", "comment": comment, "sessions": rows
        }]}),
    )
    .await
}

fn row(days: &[&str], frustrated: bool, comment: &str) -> Value {
    json!({"days": days, "quantity": "1", "frustrated": frustrated, "comment": comment})
}

async fn e15_generates_iris_angelos_two_rows_and_e16_edits_them(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(DAY_OPPORTUNITIES).await;
    let service = app.service_id(&token, DAY_SERVICE).await;

    // E15: Mon/Wed/Fri and Tue/Thu, one session each at £214.46: £1,072.30 a week.
    let week = app.generated_week(&token, &service, "2022-03-28").await;
    let planned = line(client(&week, IRIS), SCHEDULED);
    assert_eq!(
        planned["sessions"],
        json!([
            {"days": ["mon", "wed", "fri"], "quantity": "1.00", "frustrated": false, "comment": ""},
            {"days": ["tue", "thu"], "quantity": "1.00", "frustrated": false, "comment": ""}
        ])
    );
    assert_eq!(
        planned["timetable"]["active_days"],
        json!(["mon", "tue", "wed", "thu", "fri", "sat", "sun"])
    );
    assert_eq!(planned["cost"], "1072.30");
    assert_eq!(planned["colour"], "grey");

    // E16, week 04/04/2022: Wednesday and Friday unticked, so two sessions missed.
    let response = save_rows(
        &app,
        &token,
        &service,
        "2022-04-04",
        json!([row(&["mon"], false, ""), row(&["tue", "thu"], false, "")]),
        "Centre closed Wednesday and Friday",
    )
    .await;
    assert_eq!(response.status(), 200);
    let saved: Value = response.json().await.unwrap();
    let first = line(&saved, SCHEDULED);
    assert_eq!(
        (
            first["actual"].as_str(),
            first["frustrated"].as_str(),
            first["missed"].as_str(),
            first["extra"].as_str()
        ),
        (Some("3.00"), Some("0.00"), Some("2.00"), Some("0.00"))
    );
    assert_eq!(first["cost"], "643.38");
    assert_eq!(first["colour"], "red");
    assert_eq!(first["exceptions"], json!([]));
    assert_eq!(first["sessions"][0]["days"], json!(["mon"]));

    // Week 11/04/2022: Thursday frustrated, by unticking it and adding a flagged row.
    let response = save_rows(
        &app,
        &token,
        &service,
        "2022-04-11",
        json!([
            row(&["mon", "wed", "fri"], false, ""),
            row(&["tue"], false, ""),
            row(&["thu"], true, "Client unwell, cancelled on the day")
        ]),
        "",
    )
    .await;
    let saved: Value = response.json().await.unwrap();
    let second = line(&saved, SCHEDULED);
    assert_eq!(second["actual"], "4.00");
    assert_eq!(second["frustrated"], "1.00");
    assert_eq!(second["missed"], "0.00");
    // £857.84 delivered plus £214.46 frustrated: the plan's £1,072.30 is paid.
    assert_eq!(second["cost"], "1072.30");
    assert_eq!(
        second["explanation"],
        "£1,072.30 = 5 (Actual + Frstd) Sessions x £214.46"
    );
    assert_eq!(second["comment"], "Client unwell, cancelled on the day");
    assert_eq!(second["exceptions"], json!([]));
    assert_eq!(second["sessions"][2]["frustrated"], true);

    // The history names the rows before and after.
    let client_id = saved["client"]["id"].as_str().unwrap();
    let history: Value = app
        .get(
            &format!("/services/{service}/weeks/2022-04-11/clients/{client_id}/history"),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    let saves: Vec<&Value> = history["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["what"] == "saved")
        .collect();
    assert_eq!(saves.len(), 1);
    let change = &saves[0]["lines"][0];
    assert_eq!(change["old"]["sessions"], "Mon/Wed/Fri x 1; Tue/Thu x 1");
    assert_eq!(
        change["new"]["sessions"],
        "Mon/Wed/Fri x 1; Tue x 1; Thu x 1 (frustrated)"
    );

    // Reading the week back gives the rows as saved.
    let week: Value = app
        .get(
            &format!("/services/{service}/weeks/2022-04-11/actuals"),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        line(client(&week, IRIS), SCHEDULED)["sessions"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

async fn an_extra_session_exceeds_the_plan_and_bad_rows_are_named(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(DAY_OPPORTUNITIES).await;
    let service = app.service_id(&token, DAY_SERVICE).await;

    // A Saturday session on top of the timetable is Extra, and exceeds the plan by 20%.
    let response = save_rows(
        &app,
        &token,
        &service,
        "2022-04-18",
        json!([
            row(&["mon", "wed", "fri"], false, ""),
            row(&["tue", "thu"], false, ""),
            row(&["sat"], false, "")
        ]),
        "",
    )
    .await;
    let saved: Value = response.json().await.unwrap();
    let extra = line(&saved, SCHEDULED);
    assert_eq!(extra["extra"], "1.00");
    assert_eq!(extra["colour"], "green");
    let titles: Vec<&str> = extra["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["Plan exceeded for week", "Comment missing"]);
    assert!(extra["exceptions"][0]["message"]
        .as_str()
        .unwrap()
        .ends_with("exceeds the planned service level Actual by 20%."));

    // Bad rows are refused whole, every bad field named.
    let response = save_rows(
        &app,
        &token,
        &service,
        "2022-04-25",
        json!([{"days": ["funday"], "quantity": "lots"}, row(&["mon"], false, "")]),
        "",
    )
    .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(
        error_fields(&problem),
        vec!["lines[0].sessions[0].days", "lines[0].sessions[0].quantity"]
    );
    let week: Value = app
        .get(
            &format!("/services/{service}/weeks/2022-04-25/actuals"),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        line(client(&week, IRIS), SCHEDULED)["actual"],
        "5.00",
        "nothing was written"
    );
}

/// Bradford gives Ally Pally a short-break level at £95.00 a night and Mr Eric Bristow an
/// allocation of 28 nights a year from 04/04/2022. Returns the service id.
async fn short_breaks_for_eric(app: &TestApp) -> String {
    let council = app.login(BRADFORD_COUNCIL).await;
    let ally = app.organisation_id(&council, "Ally Pally Ltd").await;
    let contracts: Value = app
        .get(&format!("/contracts?organisation={ally}"), &council)
        .await
        .json()
        .await
        .unwrap();
    let contract = contracts["items"][0]["id"].clone();
    let level = app
        .created(
            &council,
            "/service-levels",
            json!({
                "contract_id": contract, "name": "Short Breaks - Overnight", "unit": "night",
                "pricing_kind": "intermittent", "rate": "95.00", "rate_effective_from": "2022-04-01"
            }),
        )
        .await;
    let provider = app.login(ALLY_PALLY).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    let week: Value = app
        .get(
            &format!("/services/{service}/weeks/2022-06-06/actuals"),
            &provider,
        )
        .await
        .json()
        .await
        .unwrap();
    let eric = client(&week, "Mr Eric Bristow")["client"]["id"].clone();
    app.created(
        &council,
        "/cplis",
        json!({
            "client_id": eric, "service_id": service, "service_level_id": level["id"],
            "start": "2022-04-04", "annual_allocation": "28", "planned_visits": "0"
        }),
    )
    .await;
    service
}

/// Records `nights` for Eric's short breaks in `week` and returns the saved line.
async fn record_nights(
    app: &TestApp,
    token: &str,
    service: &str,
    week: &str,
    nights: &str,
) -> Value {
    let read: Value = app
        .get(&format!("/services/{service}/weeks/{week}/actuals"), token)
        .await
        .json()
        .await
        .unwrap();
    let eric = client(&read, "Mr Eric Bristow");
    let breaks = line(eric, "Short Breaks - Overnight");
    let client_id = eric["client"]["id"].as_str().unwrap();
    let response = app
        .put_json(
            &format!("/services/{service}/weeks/{week}/clients/{client_id}/actuals"),
            token,
            &json!({"version": eric["version"], "lines": [{
                "cpli_id": breaks["cpli_id"], "actual": nights, "frustrated": "0", "missed": "0",
                "extra": "0", "visits": "", "comment": ""
            }]}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let saved: Value = response.json().await.unwrap();
    line(&saved, "Short Breaks - Overnight").clone()
}

async fn short_break_nights_past_the_allocation_raise_allocation_exceeded(db: Db) {
    let app = spawn_app(db).await;
    let service = short_breaks_for_eric(&app).await;
    let token = app.login(ALLY_PALLY).await;

    // Before anything is recorded, the line offers the whole allocation.
    let week: Value = app
        .get(
            &format!("/services/{service}/weeks/2022-05-02/actuals"),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    let empty = line(client(&week, "Mr Eric Bristow"), "Short Breaks - Overnight");
    assert_eq!(empty["recorded"], false);
    assert_eq!(empty["allocation"]["annual"], "28.00");
    assert_eq!(empty["allocation"]["financial_year"], "2022/2023");

    let first = record_nights(&app, &token, &service, "2022-05-02", "20").await;
    assert_eq!(first["cost"], "1900.00");
    assert_eq!(first["exceptions"], json!([]));
    assert_eq!(first["allocation"]["left"], "8.00");

    // Ten more nights take the year to 30, over the 28 allocated.
    let second = record_nights(&app, &token, &service, "2022-05-09", "10").await;
    assert_eq!(second["allocation"]["used_elsewhere"], "20.00");
    assert_eq!(second["allocation"]["left"], "-2.00");
    let exceptions = second["exceptions"].as_array().unwrap();
    assert_eq!(exceptions.len(), 1);
    assert_eq!(exceptions[0]["title"], "Allocation exceeded");
    assert_eq!(exceptions[0]["effect"], "suspend");
    assert!(exceptions[0]["message"]
        .as_str()
        .unwrap()
        .contains("takes the year's total to 30 Nights, over the annual allocation of 28."));

    // The next financial year starts afresh.
    let next_year = record_nights(&app, &token, &service, "2023-04-03", "10").await;
    assert_eq!(next_year["allocation"]["financial_year"], "2023/2024");
    assert_eq!(next_year["allocation"]["left"], "18.00");
    assert_eq!(next_year["exceptions"], json!([]));
}

async fn an_unplanned_line_is_recorded_by_service_level_and_raises_unplanned_actual(db: Db) {
    let app = spawn_app(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let ally = app.organisation_id(&council, "Ally Pally Ltd").await;
    let contracts: Value = app
        .get(&format!("/contracts?organisation={ally}"), &council)
        .await
        .json()
        .await
        .unwrap();
    let level = app
        .created(
            &council,
            "/service-levels",
            json!({
                "contract_id": contracts["items"][0]["id"], "name": "Homecare - Waking Night",
                "unit": "hour", "pricing_kind": "per_unit", "rate": "25.00",
                "rate_effective_from": "2022-04-01"
            }),
        )
        .await;
    let level_id = level["id"].as_str().unwrap();
    let token = app.login(ALLY_PALLY).await;
    let service = app.service_id(&token, "Ally Pally Home Care").await;
    let week: Value = app
        .get(
            &format!("/services/{service}/weeks/2022-06-06/actuals"),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    let offered: Vec<&str> = week["unplanned_levels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|priced| priced["service_level"]["name"].as_str().unwrap())
        .collect();
    assert!(offered.contains(&"Homecare - Waking Night"), "{offered:?}");
    let eric = client(&week, "Mr Eric Bristow");
    let path = format!(
        "/services/{service}/weeks/2022-06-06/clients/{}/actuals",
        eric["client"]["id"].as_str().unwrap()
    );
    let unplanned = |level: &str| {
        json!({"version": eric["version"], "lines": [{
            "cpli_id": "", "service_level_id": level, "actual": "2", "frustrated": "0",
            "missed": "0", "extra": "2", "visits": "1", "comment": "Night call after a fall"
        }]})
    };

    // A level the client already has a CPLI for is recorded against that CPLI instead.
    let single = line(eric, "Homecare Flexible - Bradford - Single-handed")["service_level"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let refused = app.put_json(&path, &token, &unplanned(&single)).await;
    assert_eq!(refused.status(), 422);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(error_fields(&problem), vec!["lines[0].service_level_id"]);

    let response = app.put_json(&path, &token, &unplanned(level_id)).await;
    assert_eq!(response.status(), 200);
    let saved: Value = response.json().await.unwrap();
    let night = line(&saved, "Homecare - Waking Night");
    assert_eq!(night["unplanned"], true);
    assert_eq!(night["cpli_id"], "");
    assert_eq!(night["planned"], "0.00");
    assert_eq!(night["cost"], "50.00");
    assert_eq!(night["exceptions"][0]["title"], "Unplanned actual");
    assert_eq!(night["exceptions"][0]["effect"], "suspend");
    assert_eq!(night["colour"], "green");

    // Saved again, the same line changes; the history names its level.
    let again = json!({"version": saved["version"], "lines": [{
        "cpli_id": "", "service_level_id": level_id, "actual": "1", "frustrated": "0",
        "missed": "0", "extra": "1", "visits": "1", "comment": "Night call after a fall"
    }]});
    let saved: Value = app
        .put_json(&path, &token, &again)
        .await
        .json()
        .await
        .unwrap();
    let nights: Vec<&Value> = saved["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|line| line["unplanned"] == true)
        .collect();
    assert_eq!(nights.len(), 1);
    assert_eq!(nights[0]["cost"], "25.00");
    let history: Value = app
        .get(&path.replace("/actuals", "/history"), &token)
        .await
        .json()
        .await
        .unwrap();
    let last = history["items"].as_array().unwrap().last().unwrap();
    assert_eq!(
        last["lines"][0]["service_level_name"],
        "Homecare - Waking Night"
    );
    assert_eq!(last["lines"][0]["old"]["actual"], "2.00");
}

on_both_databases!(
    an_unplanned_line_is_recorded_by_service_level_and_raises_unplanned_actual,
    e15_generates_iris_angelos_two_rows_and_e16_edits_them,
    an_extra_session_exceeds_the_plan_and_bad_rows_are_named,
    short_break_nights_past_the_allocation_raise_allocation_exceeded,
);
