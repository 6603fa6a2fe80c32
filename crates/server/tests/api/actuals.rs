//! The actuals slice through HTTP: generate, read, save, on both databases.

use serde_json::{json, Value};

use crate::helpers::{
    client, error_fields, line, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL,
    DAY_OPPORTUNITIES, DIAMOND,
};
use crate::on_both_databases;

const SERVICE: &str = "Ally Pally Home Care";
const WEEK: &str = "2022-06-06";
const DOUBLE: &str = "Homecare Flexible - Bradford - Double-handed";
const SINGLE: &str = "Homecare Flexible - Bradford - Single-handed";

async fn generated_week(app: &TestApp, token: &str) -> (String, Value) {
    let service = app.service_id(token, SERVICE).await;
    let response = app
        .post_json(
            &format!("/services/{service}/weeks/{WEEK}/actuals/generate"),
            Some(token),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let outcome: Value = response.json().await.unwrap();
    (service, outcome)
}

fn line_input(
    line: &Value,
    actual: &str,
    frustrated: &str,
    missed: &str,
    extra: &str,
    comment: &str,
) -> Value {
    json!({
        "cpli_id": line["cpli_id"],
        "actual": actual, "frustrated": frustrated, "missed": missed, "extra": extra,
        "visits": line["visits"], "comment": comment,
    })
}

async fn save(
    app: &TestApp,
    token: &str,
    service: &str,
    client_week: &Value,
    lines: Vec<Value>,
) -> reqwest::Response {
    let client_id = client_week["client"]["id"].as_str().unwrap();
    app.put_json(
        &format!("/services/{service}/weeks/{WEEK}/clients/{client_id}/actuals"),
        token,
        &json!({ "version": client_week["version"], "lines": lines }),
    )
    .await
}

async fn week(app: &TestApp, token: &str, service: &str, query: &str) -> Value {
    let response = app
        .get(
            &format!("/services/{service}/weeks/{WEEK}/actuals{query}"),
            token,
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn generate_is_from_plan_and_never_overwrites(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let (service, outcome) = generated_week(&app, &token).await;
    assert_eq!(outcome["created"], 6);
    assert_eq!(outcome["kept"], 0);
    let eric = client(&outcome["week"], "Mr Eric Bristow");
    assert_eq!(eric["totals"]["label"], "£180.00 of £180.00");
    assert_eq!(
        line(eric, SINGLE)["explanation"],
        "£140.00 = 7 (Actual + Frstd) Hours x £20.00"
    );
    assert_eq!(line(eric, DOUBLE)["colour"], "grey");
    assert_eq!(outcome["week"]["totals"]["label"], "£820.00 of £820.00");

    // Change a line, then generate again: nothing is created and the change stays.
    let double = line(eric, DOUBLE);
    let response = save(
        &app,
        &token,
        &service,
        eric,
        vec![line_input(
            double,
            "0",
            "0",
            "1",
            "0",
            "Call cancelled this week",
        )],
    )
    .await;
    assert_eq!(response.status(), 200);
    let (_, again) = generated_week(&app, &token).await;
    assert_eq!(again["created"], 0);
    assert_eq!(again["kept"], 6);
    assert_eq!(
        line(client(&again["week"], "Mr Eric Bristow"), DOUBLE)["actual"],
        "0.00"
    );
}

async fn e5_warns_then_e6_saves_and_totals_follow(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let (service, outcome) = generated_week(&app, &token).await;
    let eric = client(&outcome["week"], "Mr Eric Bristow");
    let double = line(eric, DOUBLE);

    // E5: Actual 1 with Missed 1 on a plan of 1 does not add up; it is saved, with the warning.
    let response = save(
        &app,
        &token,
        &service,
        eric,
        vec![line_input(
            double,
            "1",
            "0",
            "1",
            "0",
            "Call cancelled this week",
        )],
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["etag"], "\"2\"");
    let saved: Value = response.json().await.unwrap();
    assert_eq!(saved["version"], 2);
    let e5 = line(&saved, DOUBLE);
    assert_eq!(e5["cost"], "40.00");
    assert_eq!(e5["exceptions"][0]["title"], "Actual does not add up");
    assert_eq!(
        e5["exceptions"][0]["message"],
        "The Actual (Mr Eric Bristow (96836000), 06/06/2022, Ally Pally Home Care - Homecare Flexible - Bradford - Double-handed) value: 1 does not equal the result Actual (0) of planned - frustrated - missed + extra."
    );
    assert_eq!(e5["exceptions"][0]["effect"], "pay");

    // E6: corrected.
    let response = save(
        &app,
        &token,
        &service,
        &saved,
        vec![line_input(
            e5,
            "0",
            "0",
            "1",
            "0",
            "Call cancelled this week",
        )],
    )
    .await;
    assert_eq!(response.status(), 200);
    let saved: Value = response.json().await.unwrap();
    let e6 = line(&saved, DOUBLE);
    assert_eq!(e6["cost"], "0.00");
    assert_eq!(
        e6["explanation"],
        "£0.00 = 0 (Actual + Frstd) Hours x £40.00"
    );
    assert_eq!(e6["colour"], "red");
    assert_eq!(e6["exceptions"], json!([]));
    assert_eq!(saved["totals"]["label"], "£140.00 of £180.00");

    let reread = week(&app, &token, &service, "").await;
    assert_eq!(
        line(client(&reread, "Mr Eric Bristow"), DOUBLE)["cost"],
        "0.00"
    );
    assert_eq!(reread["totals"]["label"], "£780.00 of £820.00");
    let service_id: i64 = service.parse().unwrap();
    let week_start = portal_domain::Week::parse(WEEK).unwrap();
    assert_eq!(
        app.store
            .week_cost_pence(service_id, week_start)
            .await
            .unwrap(),
        78_000,
        "the SQL sum is exact"
    );
    let client_id = eric["client"]["id"].as_str().unwrap();
    assert_eq!(
        app.store
            .audit_actions("client_week", &format!("{service}/{client_id}/{WEEK}"))
            .await
            .unwrap(),
        vec!["actuals.save", "actuals.save"]
    );
}

/// E12's week through the API: Sid Waddell's E7 and Jocky Wilson's E3, the others as planned.
async fn e12_week(db: Db) -> Value {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let (service, outcome) = generated_week(&app, &token).await;
    let eric = client(&outcome["week"], "Mr Eric Bristow");
    let response = save(
        &app,
        &token,
        &service,
        eric,
        vec![line_input(
            line(eric, DOUBLE),
            "0",
            "0",
            "1",
            "0",
            "Call cancelled this week",
        )],
    )
    .await;
    assert_eq!(response.status(), 200);
    let sid = client(&outcome["week"], "Mr Sid Waddell");
    let response = save(
        &app,
        &token,
        &service,
        sid,
        vec![line_input(
            line(sid, SINGLE),
            "3",
            "0",
            "0",
            "2",
            "Extra calls req by SW",
        )],
    )
    .await;
    assert_eq!(response.status(), 200);
    let jocky = client(&outcome["week"], "Mr Jocky Wilson");
    let response = save(
        &app,
        &token,
        &service,
        jocky,
        vec![line_input(
            line(jocky, DOUBLE),
            "10",
            "4",
            "0",
            "0",
            "Hospital Week 1",
        )],
    )
    .await;
    assert_eq!(response.status(), 200);
    week(&app, &token, &service, "").await
}

/// The figures a user sees, without ids (which each database assigns itself).
fn figures(week: &Value) -> Vec<Value> {
    week["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|client| {
            let lines: Vec<Value> = client["lines"]
                .as_array()
                .unwrap()
                .iter()
                .map(|line| {
                    json!([
                        line["service_level"]["name"],
                        line["cost"],
                        line["explanation"],
                        line["colour"],
                        line["exceptions"],
                    ])
                })
                .collect();
            json!([client["client"]["display_name"], client["totals"], lines])
        })
        .collect()
}

#[tokio::test]
async fn sqlite_and_postgres_give_the_same_figures_for_the_same_lines() {
    let on_sqlite = e12_week(Db::Sqlite).await;
    let on_postgres = e12_week(Db::Postgres).await;
    assert_eq!(figures(&on_sqlite), figures(&on_postgres));
    assert_eq!(on_sqlite["totals"], on_postgres["totals"]);
    // E12: Eric £140.00, Fallon £40.00, Jocky £560.00, Peter £20.00, Sid £60.00 (suspended).
    let cost_of = |name: &str| {
        client(&on_postgres, name)["totals"]["actual_cost"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(cost_of("Mr Eric Bristow"), "140.00");
    assert_eq!(cost_of("Miss Fallon Sherrock"), "40.00");
    assert_eq!(cost_of("Mr Jocky Wilson"), "560.00");
    assert_eq!(cost_of("Mr Peter Wright"), "20.00");
    assert_eq!(cost_of("Mr Sid Waddell"), "60.00");
    let sid = line(client(&on_postgres, "Mr Sid Waddell"), SINGLE);
    assert_eq!(sid["exceptions"][0]["title"], "Plan exceeded for week");
    assert_eq!(sid["exceptions"][0]["effect"], "suspend");
    assert!(sid["exceptions"][0]["message"]
        .as_str()
        .unwrap()
        .ends_with("by 200%."));
    assert_eq!(on_postgres["totals"]["actual_cost"], "820.00");
}

async fn filters_narrow_the_week(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let service = app.service_id(&token, SERVICE).await;
    let before = week(&app, &token, &service, "?has_actuals=true").await;
    assert_eq!(
        before["clients"],
        json!([]),
        "nothing is recorded before Generate"
    );
    let unrecorded = week(&app, &token, &service, "").await;
    assert!(unrecorded["clients"][0]["lines"][0]["recorded"] == false);
    assert_eq!(unrecorded["totals"]["label"], "£0.00 of £820.00");
    let (_, outcome) = generated_week(&app, &token).await;
    let double_id = outcome["week"]["service_levels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["name"] == DOUBLE)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let doubles = week(
        &app,
        &token,
        &service,
        &format!("?service_level={double_id}"),
    )
    .await;
    let names: Vec<&str> = doubles["clients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["client"]["display_name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Mr Eric Bristow", "Mr Jocky Wilson"]);
    assert_eq!(doubles["totals"]["label"], "£600.00 of £600.00");
    let eric_id = client(&outcome["week"], "Mr Eric Bristow")["client"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let eric_only = week(&app, &token, &service, &format!("?client={eric_id}")).await;
    assert_eq!(eric_only["clients"].as_array().unwrap().len(), 1);
    let without = week(&app, &token, &service, "?has_actuals=false").await;
    assert_eq!(without["clients"], json!([]));
    let response = app
        .get(
            &format!("/services/{service}/weeks/{WEEK}/actuals?has_actuals=maybe&client=x"),
            &token,
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    let fields = error_fields(&problem);
    assert_eq!(fields, vec!["client", "has_actuals"]);
}

async fn another_providers_ids_are_not_found(db: Db) {
    let app = spawn_app(db).await;
    let ally = app.login(ALLY_PALLY).await;
    let (service, outcome) = generated_week(&app, &ally).await;
    let eric = client(&outcome["week"], "Mr Eric Bristow").clone();
    let diamond = app.login(DIAMOND).await;
    let services: Value = app.get("/services", &diamond).await.json().await.unwrap();
    assert!(services["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["organisation_name"] == "Diamond Home Care"));
    let response = app
        .get(
            &format!("/services/{service}/weeks/{WEEK}/actuals"),
            &diamond,
        )
        .await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let response = app
        .post_json(
            &format!("/services/{service}/weeks/{WEEK}/actuals/generate"),
            Some(&diamond),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 404);
    let response = save(
        &app,
        &diamond,
        &service,
        &eric,
        vec![line_input(line(&eric, DOUBLE), "0", "0", "0", "0", "")],
    )
    .await;
    assert_eq!(response.status(), 404);
    let response = app
        .get(&format!("/services/{service}/weeks"), &diamond)
        .await;
    assert_eq!(response.status(), 404);
    // Nothing changed for Ally Pally.
    let reread = week(&app, &ally, &service, "").await;
    assert_eq!(
        line(client(&reread, "Mr Eric Bristow"), DOUBLE)["actual"],
        "1.00"
    );
}

async fn bad_lines_are_refused_whole_naming_every_field(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let (service, outcome) = generated_week(&app, &token).await;
    let eric = client(&outcome["week"], "Mr Eric Bristow");
    let single = line(eric, SINGLE);
    let double = line(eric, DOUBLE);
    let jocky_line = line(client(&outcome["week"], "Mr Jocky Wilson"), DOUBLE);
    let response = save(
        &app,
        &token,
        &service,
        eric,
        vec![
            // A valid change alongside the bad ones: it must not be written either.
            line_input(single, "6", "0", "1", "0", "One call missed"),
            json!({"cpli_id": double["cpli_id"], "actual": "abc", "frustrated": "-1", "missed": "1.234", "extra": "", "visits": "x", "comment": ""}),
            json!({"cpli_id": "999999", "actual": "1", "frustrated": "0", "missed": "0", "extra": "0", "visits": null, "comment": ""}),
            line_input(jocky_line, "1", "0", "0", "0", "another client's line"),
        ],
    )
    .await;
    assert_eq!(response.status(), 422);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["status"], 422);
    let errors: Vec<(String, String)> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["field"].as_str().unwrap().to_owned(),
                e["message"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let fields: Vec<&str> = errors.iter().map(|(field, _)| field.as_str()).collect();
    assert_eq!(
        fields,
        vec![
            "lines[1].actual",
            "lines[1].frustrated",
            "lines[1].missed",
            "lines[1].extra",
            "lines[1].visits",
            "lines[2].cpli_id",
            "lines[3].cpli_id"
        ]
    );
    assert_eq!(errors[1].1, "must not be negative");
    assert_eq!(errors[2].1, "must have at most 2 decimal places");

    let reread = week(&app, &token, &service, "").await;
    let eric_now = client(&reread, "Mr Eric Bristow");
    assert_eq!(eric_now["version"], eric["version"], "nothing was written");
    assert_eq!(line(eric_now, SINGLE)["actual"], "7.00");

    // A number where a decimal string belongs is named too.
    let client_id = eric["client"]["id"].as_str().unwrap();
    let response = app
        .put_json(
            &format!("/services/{service}/weeks/{WEEK}/clients/{client_id}/actuals"),
            &token,
            &json!({"version": eric["version"], "lines": [{"cpli_id": single["cpli_id"], "actual": 5, "frustrated": "0", "missed": "0", "extra": "0", "comment": ""}]}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "lines[0].actual");
}

async fn a_stale_version_is_a_conflict_and_writes_nothing(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let (service, outcome) = generated_week(&app, &token).await;
    let eric = client(&outcome["week"], "Mr Eric Bristow");
    let double = line(eric, DOUBLE);
    let first = save(
        &app,
        &token,
        &service,
        eric,
        vec![line_input(
            double,
            "0",
            "0",
            "1",
            "0",
            "Call cancelled this week",
        )],
    )
    .await;
    assert_eq!(first.status(), 200);
    // The same version again, as a second browser tab would send it.
    let second = save(
        &app,
        &token,
        &service,
        eric,
        vec![line_input(double, "1", "0", "0", "0", "")],
    )
    .await;
    assert_eq!(second.status(), 409);
    let problem: Value = second.json().await.unwrap();
    assert_eq!(problem["title"], "Someone else saved first");
    let reread = week(&app, &token, &service, "").await;
    assert_eq!(
        line(client(&reread, "Mr Eric Bristow"), DOUBLE)["actual"],
        "0.00"
    );
}

async fn future_weeks_and_other_days_are_refused(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let service = app.service_id(&token, SERVICE).await;
    let response = app
        .post_json(
            &format!("/services/{service}/weeks/2099-06-01/actuals/generate"),
            Some(&token),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "week");
    assert!(problem["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("future"));
    let (_, outcome) = generated_week(&app, &token).await;
    let eric = client(&outcome["week"], "Mr Eric Bristow");
    let client_id = eric["client"]["id"].as_str().unwrap();
    let response = app
        .put_json(
            &format!("/services/{service}/weeks/2099-06-01/clients/{client_id}/actuals"),
            &token,
            &json!({"version": 0, "lines": [line_input(line(eric, SINGLE), "7", "0", "0", "0", "")]}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let response = app
        .get(
            &format!("/services/{service}/weeks/2022-06-07/actuals"),
            &token,
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(
        problem["errors"][0]["message"],
        "must be a Monday: a week is named by its Monday"
    );
}

async fn weeks_list_counts_clients_with_actuals(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    generated_week(&app, &token).await;
    let service = app.service_id(&token, SERVICE).await;
    let weeks: Value = app
        .get(
            &format!("/services/{service}/weeks?from=2022-05-30&to=2022-06-12"),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    let items = weeks["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[0]["week"], "2022-06-06");
    assert_eq!(items[0]["label"], "06/06/2022");
    assert_eq!(items[0]["clients_with_actuals"], 5);
    assert_eq!(items[1]["clients_with_actuals"], 0);
}

async fn timetabled_weeks_count_scheduled_sessions(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(DAY_OPPORTUNITIES).await;
    let service = app.service_id(&token, "Day Opportunities PP Home").await;
    let response = app
        .post_json(
            &format!("/services/{service}/weeks/2022-04-04/actuals/generate"),
            Some(&token),
            &json!({}),
        )
        .await;
    let outcome: Value = response.json().await.unwrap();
    let iris = client(&outcome["week"], "Mrs Iris Angelo");
    let sessions = line(iris, "Day Opportunities - Scheduled");
    assert_eq!(sessions["planned"], "5.00");
    assert_eq!(
        sessions["explanation"],
        "£1,072.30 = 5 (Actual + Frstd) Sessions x £214.46"
    );
    // E16's week 04/04/2022: the Wednesday session was cancelled in advance (missed).
    let client_id = iris["client"]["id"].as_str().unwrap();
    let response = app
        .put_json(
            &format!("/services/{service}/weeks/2022-04-04/clients/{client_id}/actuals"),
            &token,
            &json!({"version": iris["version"], "lines": [{"cpli_id": sessions["cpli_id"], "actual": "3", "frustrated": "0", "missed": "2", "extra": "0", "visits": "3", "comment": "Client cancelled with advance notice"}]}),
        )
        .await;
    let saved: Value = response.json().await.unwrap();
    assert_eq!(
        line(&saved, "Day Opportunities - Scheduled")["cost"],
        "643.38"
    );
    assert_eq!(saved["totals"]["label"], "£643.38 of £1,072.30");
}

async fn signed_out_callers_get_401(db: Db) {
    let app = spawn_app(db).await;
    let response = app.client.get(app.url("/services")).send().await.unwrap();
    assert_eq!(response.status(), 401);
    let response = app
        .client
        .get(app.url("/services"))
        .bearer_auth("forged.token.here")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["type"], "/problems/unauthorized");
    let response = app
        .client
        .get(app.url("/no-such-route"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
}

async fn council_staff_see_their_councils_providers_only(db: Db) {
    let app = spawn_app(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let services: Value = app.get("/services", &council).await.json().await.unwrap();
    let names: Vec<&str> = services["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![SERVICE],
        "Bradford sees Ally Pally, not Stockport's or Bedford's providers"
    );
    let diamond = app.login(DIAMOND).await;
    let marple = app.service_id(&diamond, "Diamond Home Care - Marple").await;
    let response = app
        .get(
            &format!("/services/{marple}/weeks/2019-07-08/actuals"),
            &council,
        )
        .await;
    assert_eq!(response.status(), 404);
}

async fn weeks_recorded_after_the_councils_deadline_are_flagged_late(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let service = app.service_id(&token, SERVICE).await;

    // Bradford wants each week by 17:00 on the Tuesday after; 06/06/2022 is long past it.
    let old = app.generated_week(&token, &service, WEEK).await;
    assert_eq!(
        old["submission_deadline"]["label"],
        "17:00 on Tuesday 14/06/2022"
    );
    assert_eq!(
        old["submission_deadline"]["at"], "2022-06-14T16:00:00Z",
        "BST"
    );
    assert_eq!(old["submission_deadline"]["passed"], true);
    assert_eq!(client(&old, "Mr Eric Bristow")["late"], true);

    // This week is not due yet, so recording it now is on time.
    let today = time::OffsetDateTime::now_utc().date();
    let monday = today - time::Duration::days(i64::from(today.weekday().number_days_from_monday()));
    let current = app
        .generated_week(&token, &service, &monday.to_string())
        .await;
    assert_eq!(current["submission_deadline"]["passed"], false);
    let clients = current["clients"].as_array().unwrap();
    assert!(!clients.is_empty());
    assert!(clients.iter().all(|client| client["late"] == false));
}

on_both_databases!(
    weeks_recorded_after_the_councils_deadline_are_flagged_late,
    council_staff_see_their_councils_providers_only,
    generate_is_from_plan_and_never_overwrites,
    e5_warns_then_e6_saves_and_totals_follow,
    filters_narrow_the_week,
    another_providers_ids_are_not_found,
    bad_lines_are_refused_whole_naming_every_field,
    a_stale_version_is_a_conflict_and_writes_nothing,
    future_weeks_and_other_days_are_refused,
    weeks_list_counts_clients_with_actuals,
    timetabled_weeks_count_scheduled_sessions,
    signed_out_callers_get_401,
);
