//! Bulk files (DOMAIN 4.8): actuals exported as CSV, edited and imported through a checked
//! preview that "Update system" commits; and the commissioned-care export.

use serde_json::{json, Value};

use crate::helpers::{client, line, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL, DIAMOND};
use crate::on_both_databases;

const WEEK: &str = "2022-06-06";
const SINGLE: &str = "Homecare Flexible - Bradford - Single-handed";
const HEADER: &str = "cpli_id,week,actual,frustrated,missed,extra,visits,comment";

async fn ally_pally(app: &TestApp) -> (String, String) {
    let token = app.login(ALLY_PALLY).await;
    let service = app.service_id(&token, "Ally Pally Home Care").await;
    (token, service)
}

/// The export as JSON rows.
async fn exported(app: &TestApp, token: &str, service: &str, from: &str, to: &str) -> Vec<Value> {
    let response = app
        .get(
            &format!("/services/{service}/actuals?from={from}&to={to}"),
            token,
        )
        .await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    page["items"].as_array().unwrap().clone()
}

async fn preview(
    app: &TestApp,
    token: &str,
    service: &str,
    reference: &str,
    csv: String,
) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/services/{service}/imports")))
        .query(&[("reference", reference)])
        .bearer_auth(token)
        .header("Content-Type", "text/csv")
        .body(csv)
        .send()
        .await
        .unwrap()
}

async fn previewed(
    app: &TestApp,
    token: &str,
    service: &str,
    reference: &str,
    csv: String,
) -> Value {
    let response = preview(app, token, service, reference, csv).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 201, "preview: {body}");
    body
}

async fn commit(app: &TestApp, token: &str, import: &Value) -> reqwest::Response {
    let id = import["id"].as_str().unwrap();
    app.post_json(&format!("/imports/{id}/commit"), Some(token), &json!({}))
        .await
}

/// One file line from an exported row, its actual and comment replaced.
fn file_line(row: &Value, actual: &str, comment: &str) -> String {
    format!(
        "{},{},{},{},{},{},{},{}",
        row["cpli_id"].as_str().unwrap(),
        row["week"].as_str().unwrap(),
        actual,
        row["frustrated"].as_str().unwrap(),
        row["missed"].as_str().unwrap(),
        row["extra"].as_str().unwrap(),
        row["visits"].as_str().unwrap(),
        comment
    )
}

fn invalid_lines(import: &Value) -> Vec<u64> {
    import["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|line| line["status"] == "invalid")
        .map(|line| line["line"].as_u64().unwrap())
        .collect()
}

fn line_numbered(import: &Value, number: u64) -> &Value {
    import["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["line"] == number)
        .unwrap_or_else(|| panic!("no line {number}"))
}

fn columns(line: &Value) -> Vec<&str> {
    line["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect()
}

async fn a_thousand_line_file_shows_its_three_bad_lines_and_writes_the_rest(db: Db) {
    let app = spawn_app(db).await;
    let (token, service) = ally_pally(&app).await;
    let mut rows = exported(&app, &token, &service, "2021-04-05", "2023-03-27").await;
    rows.extend(exported(&app, &token, &service, "2023-04-03", "2025-03-24").await);
    assert!(rows.len() >= 1000, "the demo has {} lines", rows.len());
    rows.truncate(1000);
    assert!(rows.iter().all(|row| row["recorded"] == "no"));
    let mut lines: Vec<String> = rows
        .iter()
        .map(|row| file_line(row, row["planned"].as_str().unwrap(), "From the rota"))
        .collect();
    // Data line i is line i + 2 of the file (the header is line 1).
    lines[8] = file_line(&rows[8], "lots", "A bad number");
    lines[498] = format!(
        "999999,{},1,0,0,0,1,Not ours",
        rows[498]["week"].as_str().unwrap()
    );
    lines[998] = file_line(&rows[998], "1", "").replacen(
        rows[998]["week"].as_str().unwrap(),
        "2099-01-05",
        1,
    );
    let csv = format!("{HEADER}\n{}\n", lines.join("\n"));

    let import = previewed(&app, &token, &service, "rota-2021-2025.csv", csv).await;
    assert_eq!(import["status"], "previewed");
    assert_eq!(import["counts"]["lines"], 1000);
    assert_eq!(import["counts"]["valid"], 997);
    assert_eq!(import["counts"]["invalid"], 3);
    assert_eq!(invalid_lines(&import), vec![10, 500, 1000]);
    assert_eq!(columns(line_numbered(&import, 10)), vec!["actual"]);
    assert_eq!(columns(line_numbered(&import, 500)), vec!["cpli_id"]);
    assert_eq!(columns(line_numbered(&import, 1000)), vec!["week"]);
    assert_eq!(line_numbered(&import, 2)["ssref"], "96836000");
    assert_eq!(line_numbered(&import, 2)["client"], "Bristow, Eric");
    // Nothing is written by a preview.
    let first_week = rows[0]["week"].as_str().unwrap();
    let again = exported(&app, &token, &service, first_week, first_week).await;
    assert!(again.iter().all(|row| row["recorded"] == "no"));

    let response = commit(&app, &token, &import).await;
    assert_eq!(response.status(), 200);
    let committed: Value = response.json().await.unwrap();
    assert_eq!(committed["status"], "committed");
    assert_eq!(committed["counts"]["written"], 997);

    // Read back through the week: 997 lines recorded from the file, the bad ones not.
    let mut after = exported(&app, &token, &service, "2021-04-05", "2023-03-27").await;
    after.extend(exported(&app, &token, &service, "2023-04-03", "2025-03-24").await);
    let imported = after
        .iter()
        .filter(|row| row["recorded"] == "yes" && row["comment"] == "From the rota")
        .count();
    assert_eq!(imported, 997);
    let bad = &rows[8];
    let week: Value = app
        .get(
            &format!(
                "/services/{service}/weeks/{}/actuals",
                bad["week"].as_str().unwrap()
            ),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    let lines: Vec<&Value> = week["clients"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|client| client["lines"].as_array().unwrap())
        .collect();
    let skipped = lines
        .iter()
        .find(|line| line["cpli_id"] == bad["cpli_id"])
        .unwrap();
    assert_eq!(skipped["recorded"], false);
    assert!(lines
        .iter()
        .filter(|line| line["cpli_id"] != bad["cpli_id"])
        .all(|line| line["recorded"] == true && line["comment"] == "From the rota"));
}

async fn a_file_of_bad_lines_writes_nothing(db: Db) {
    let app = spawn_app(db).await;
    let (token, service) = ally_pally(&app).await;
    let rows = exported(&app, &token, &service, WEEK, WEEK).await;
    let cpli = rows[0]["cpli_id"].as_str().unwrap();
    let csv = format!(
        "{HEADER}\n999998,{WEEK},1,0,0,0,1,\n{cpli},2022-06-07,1,0,0,0,1,\n{cpli},{WEEK},one,0,0,0,1,\n"
    );
    let import = previewed(&app, &token, &service, "all-bad.csv", csv).await;
    assert_eq!(import["counts"]["valid"], 0);
    assert_eq!(invalid_lines(&import), vec![2, 3, 4]);
    let response = commit(&app, &token, &import).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec!["lines[2].cpli_id", "lines[3].week", "lines[4].actual"]
    );
    let week = exported(&app, &token, &service, WEEK, WEEK).await;
    assert!(week.iter().all(|row| row["recorded"] == "no"));
    let import: Value = app
        .get(
            &format!("/imports/{}", import["id"].as_str().unwrap()),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(import["status"], "previewed");

    // A file that cannot be read at all names the file's fault.
    let response = preview(
        &app,
        &token,
        &service,
        "no-columns.csv",
        "a,b\n1,2\n".into(),
    )
    .await;
    assert_eq!(response.status(), 422);
    let response = preview(&app, &token, &service, "", format!("{HEADER}\n")).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "reference");
}

async fn a_file_is_imported_once(db: Db) {
    let app = spawn_app(db).await;
    let (token, service) = ally_pally(&app).await;
    let rows = exported(&app, &token, &service, WEEK, WEEK).await;
    let csv = format!("{HEADER}\n{}\n", file_line(&rows[0], "1", "First"));
    let import = previewed(&app, &token, &service, "week-23.csv", csv.clone()).await;
    // Someone else's import is not found; a role that may not record actuals may not commit.
    let diamond = app.login(DIAMOND).await;
    assert_eq!(commit(&app, &diamond, &import).await.status(), 404);
    let id = import["id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/imports/{id}"), &diamond).await.status(),
        404
    );

    assert_eq!(commit(&app, &token, &import).await.status(), 200);
    let response = commit(&app, &token, &import).await;
    assert_eq!(response.status(), 409);

    // The same reference, or the same content, is refused at preview...
    let other = format!("{HEADER}\n{}\n", file_line(&rows[1], "1", "Second"));
    let response = preview(&app, &token, &service, "week-23.csv", other.clone()).await;
    assert_eq!(response.status(), 409);
    let problem: Value = response.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("week-23.csv"));
    let response = preview(&app, &token, &service, "week-23 again.csv", csv).await;
    assert_eq!(response.status(), 409);
    // ...and at commit, when another preview of it was committed first.
    let first = previewed(&app, &token, &service, "week-24.csv", other.clone()).await;
    let second = previewed(&app, &token, &service, "week-24.csv", other).await;
    assert_eq!(commit(&app, &token, &first).await.status(), 200);
    assert_eq!(commit(&app, &token, &second).await.status(), 409);
}

async fn exported_actuals_come_back_in_through_the_import(db: Db) {
    let app = spawn_app(db).await;
    let (token, service) = ally_pally(&app).await;
    let response = app
        .client
        .get(app.url(&format!(
            "/services/{service}/actuals?from={WEEK}&to={WEEK}"
        )))
        .bearer_auth(&token)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    assert!(response.headers()["content-disposition"]
        .to_str()
        .unwrap()
        .contains(".csv"));
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header.join(","),
        "cpli_id,week,ssref,client,service_level,recorded,planned,actual,frustrated,missed,extra,visits,comment"
    );
    // Eric's single-handed line as E4 has it: it does not add up, which warns.
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(&header).unwrap();
    for record in reader.records() {
        let mut record: Vec<String> = record.unwrap().iter().map(str::to_owned).collect();
        if record[3] == "Bristow, Eric" && record[4] == SINGLE {
            record[7] = "5".into();
            record[9] = "0.5".into();
            record[12] = "Attempted call, E4".into();
        }
        writer.write_record(&record).unwrap();
    }
    let file = String::from_utf8(writer.into_inner().unwrap()).unwrap();
    let import = previewed(&app, &token, &service, "round-trip.csv", file).await;
    assert_eq!(import["counts"]["invalid"], 0, "{import}");
    let warned: Vec<&Value> = import["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|line| !line["warnings"].as_array().unwrap().is_empty())
        .collect();
    assert_eq!(warned.len(), 1);
    assert_eq!(warned[0]["warnings"][0]["field"], "actual");
    let response = commit(&app, &token, &import).await;
    assert_eq!(response.status(), 200);

    let week: Value = app
        .get(&format!("/services/{service}/weeks/{WEEK}/actuals"), &token)
        .await
        .json()
        .await
        .unwrap();
    let eric = client(&week, "Mr Eric Bristow");
    let single = line(eric, SINGLE);
    assert_eq!(single["recorded"], true);
    assert_eq!(single["actual"], "5.00");
    assert_eq!(single["missed"], "0.50");
    assert_eq!(single["cost"], "100.00");
    assert_eq!(eric["version"], 1);
    // The import is in the client's history as a save.
    let history: Value = app
        .get(
            &format!(
                "/services/{service}/weeks/{WEEK}/clients/{}/history",
                eric["client"]["id"].as_str().unwrap()
            ),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(history["items"][0]["what"], "saved");
    // Every other line came back as it went out, now recorded.
    let after = exported(&app, &token, &service, WEEK, WEEK).await;
    assert!(after.iter().all(|row| row["recorded"] == "yes"));
}

async fn the_commissioned_care_file_has_the_services_care_packages(db: Db) {
    let app = spawn_app(db).await;
    let (token, service) = ally_pally(&app).await;
    let response = app
        .get(
            &format!("/services/{service}/commissioned-care?format=csv"),
            &token,
        )
        .await;
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[0], "cpli_id");
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let ssrefs: Vec<&str> = records
        .iter()
        .map(|r| r[column("ssref")].as_str())
        .collect();
    for ssref in ["96836000", "ab836000", "8c846000", "c9836000", "e0946000"] {
        assert!(ssrefs.contains(&ssref), "{ssref} in {text}");
    }
    let eric_single = records
        .iter()
        .find(|r| r[column("ssref")] == "96836000" && r[column("service_level")] == SINGLE)
        .unwrap();
    assert_eq!(eric_single[column("client")], "Bristow, Eric");
    assert_eq!(eric_single[column("weekly_quantity")], "7.00");
    assert_eq!(eric_single[column("rate")], "20.00");
    assert_eq!(eric_single[column("weekly_cost")], "140.00");
    assert_eq!(eric_single[column("start")], "2021-04-05");
    assert_eq!(eric_single[column("authorised")], "yes");
    // JSON by default; another organisation's service is not found.
    let page: Value = app
        .get(&format!("/services/{service}/commissioned-care"), &token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(page["items"].as_array().unwrap().len(), records.len());
    let diamond = app.login(DIAMOND).await;
    let response = app
        .get(&format!("/services/{service}/commissioned-care"), &diamond)
        .await;
    assert_eq!(response.status(), 404);
}

async fn a_line_of_a_locked_week_is_invalid(db: Db) {
    let app = spawn_app(db).await;
    let (token, service) = ally_pally(&app).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let reason = "Paid in the payment run of 20/06/2022";
    let response = app
        .post_json(
            &format!("/services/{service}/weeks/{WEEK}/lock"),
            Some(&council),
            &json!({"reason": reason}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let locked = exported(&app, &token, &service, WEEK, WEEK).await;
    let open = exported(&app, &token, &service, "2022-05-30", "2022-05-30").await;
    let csv = format!(
        "{HEADER}\n{}\n{}\n",
        file_line(&locked[0], "1", "Locked week"),
        file_line(&open[0], "1", "Open week")
    );
    let import = previewed(&app, &token, &service, "locked.csv", csv).await;
    assert_eq!(invalid_lines(&import), vec![2]);
    let error = &line_numbered(&import, 2)["errors"][0];
    assert_eq!(error["field"], "week");
    assert!(error["message"].as_str().unwrap().contains(reason));
    let response = commit(&app, &token, &import).await;
    assert_eq!(response.status(), 200);
    let committed: Value = response.json().await.unwrap();
    assert_eq!(committed["counts"]["written"], 1);
}

on_both_databases!(
    a_thousand_line_file_shows_its_three_bad_lines_and_writes_the_rest,
    a_file_of_bad_lines_writes_nothing,
    a_file_is_imported_once,
    exported_actuals_come_back_in_through_the_import,
    the_commissioned_care_file_has_the_services_care_packages,
    a_line_of_a_locked_week_is_invalid,
);
