//! Reports (DOMAIN 12) through the API: E16 (Bedford's Commissioned vs Actuals for Iris
//! Angelo), every report's CSV against its JSON, each filter, and bad or foreign filters.

use rust_decimal::Decimal;
use serde_json::Value;

use crate::helpers::{
    error_fields, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL, DAY_OPPORTUNITIES, DIAMOND,
};
use crate::invoices::bedford_with_e17_actuals;
use crate::on_both_databases;
use crate::payments::{contract_id, enter_e12_week, pay_e12_week, save_line, WEEK};

const CVA: &str = "/reports/commissioned-vs-actuals";
const EXCEPTIONS: &str = "/reports/pending-payments-exceptions";
const PENDING: &str = "/reports/pending-scheduled-payments";
const REMITTANCE: &str = "/reports/remittance-advice";

async fn report(app: &TestApp, token: &str, path: &str) -> Value {
    let response = app.get(path, token).await;
    let status = response.status();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 200, "{path}: {body}");
    body
}

/// The same report as CSV: its header and records.
async fn csv_report(app: &TestApp, token: &str, path: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let response = reqwest::Client::new()
        .get(app.url(path))
        .bearer_auth(token)
        .header("Accept", "text/csv")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = response.text().await.unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let records = reader
        .records()
        .map(|record| record.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, records)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|column| column == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn money(text: &str) -> Decimal {
    text.parse().unwrap()
}

fn rows(report: &Value) -> &Vec<Value> {
    report["rows"].as_array().unwrap()
}

async fn organisation_id(app: &TestApp, token: &str, name: &str) -> String {
    let options = report(app, token, "/reports/options").await;
    options["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|organisation| organisation["label"] == name)
        .unwrap_or_else(|| panic!("no {name} in {options}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn e16_iris_angelos_two_weeks_and_totals(db: Db) {
    let app = spawn_app(db).await;
    let bedford = bedford_with_e17_actuals(&app).await;
    let organisation = organisation_id(&app, &bedford.token, "Day Opportunities PP Home").await;
    let path = format!("{CVA}?from=2022-04-04&to=2022-04-17&organisation_id={organisation}");
    let cva = report(&app, &bedford.token, &path).await;
    assert_eq!(
        cva["description"],
        "Dates between 04/04/2022 and 17/04/2022, Service Group Class = ANY, \
         Provider = Day Opportunities PP Home, Client = ANY"
    );
    let expected = [
        (
            "2022-04-04",
            "3",
            ["5.00", "3.00", "0.00", "-2.00"],
            ["1072.30", "643.38", "0.00", "-428.92"],
        ),
        (
            "2022-04-11",
            "5",
            ["5.00", "4.00", "1.00", "0.00"],
            ["1072.30", "857.84", "214.46", "0.00"],
        ),
    ];
    assert_eq!(rows(&cva).len(), 2, "{cva}");
    for (row, (week, visits, units, costs)) in rows(&cva).iter().zip(expected) {
        assert_eq!(row["week"], week);
        assert_eq!(row["client"]["sort_name"], "Angelo, Iris");
        assert_eq!(row["client"]["ssref"], "A1");
        assert_eq!(row["service_level"], "Day Opportunities - Scheduled");
        assert_eq!(row["service_group_class"], "Day Opportunities");
        assert_eq!(row["service_start"], "2022-03-28");
        assert_eq!(row["generated"], false, "Gen. N: the provider entered it");
        assert_eq!(row["visits"], visits);
        assert_eq!(row["cost_centre"], "Physical Support 65+");
        assert_eq!(row["subjective"], "Day Care");
        let figures = &row["figures"];
        for (field, value) in [
            "commissioned_units",
            "actual_units",
            "frustrated_units",
            "difference_units",
        ]
        .iter()
        .zip(units)
        {
            assert_eq!(figures[field], value, "{week} {field}");
        }
        for (field, value) in [
            "commissioned_cost",
            "actual_cost",
            "frustrated_cost",
            "difference_cost",
        ]
        .iter()
        .zip(costs)
        {
            assert_eq!(figures[field], value, "{week} {field}");
        }
    }
    let totals = [
        ("commissioned_units", "10.00"),
        ("actual_units", "7.00"),
        ("frustrated_units", "1.00"),
        ("difference_units", "-2.00"),
        ("commissioned_cost", "2144.60"),
        ("actual_cost", "1501.22"),
        ("frustrated_cost", "214.46"),
        ("difference_cost", "-428.92"),
    ];
    for (label, total) in [
        ("Client Totals", &cva["client_totals"][0]),
        ("Service Level Totals", &cva["service_level_totals"][0]),
        ("report", &cva["totals"]),
    ] {
        let figures = if label == "report" {
            total
        } else {
            &total["figures"]
        };
        for (field, value) in totals {
            assert_eq!(figures[field], value, "{label} {field}");
        }
    }
    assert_eq!(cva["client_totals"][0]["label"], "Angelo, Iris (A1)");
    assert_eq!(
        cva["service_level_totals"][0]["label"],
        "Day Opportunities - Scheduled"
    );
    // The chart's weeks: planned against delivered (Actual + Frustrated).
    assert_eq!(cva["weeks"][0]["commissioned_cost"], "1072.30");
    assert_eq!(cva["weeks"][0]["delivered_cost"], "643.38");
    assert_eq!(cva["weeks"][1]["delivered_cost"], "1072.30");
    assert_eq!(cva["weeks"][1]["delivered_units"], "5.00");

    // The same figures as CSV, with a header row.
    let (header, records) = csv_report(&app, &bedford.token, &path).await;
    assert_eq!(records.len(), 2);
    assert_eq!(records[0][column(&header, "week")], "2022-04-04");
    assert_eq!(records[0][column(&header, "generated")], "N");
    assert_eq!(records[0][column(&header, "difference_cost")], "-428.92");
    assert_eq!(records[1][column(&header, "frustrated_cost")], "214.46");
}

/// Every CSV column that is also a JSON figure agrees, row by row, and the money columns
/// add up to the JSON totals.
async fn commissioned_csv_matches_its_json(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    enter_e12_week(&app, &provider, &service).await;
    let path = format!("{CVA}?from=2022-05-30&to=2022-06-19&include_weeks_without_actuals=true");
    let cva = report(&app, &provider, &path).await;
    let (header, records) = csv_report(&app, &provider, &path).await;
    assert!(!records.is_empty());
    assert_eq!(records.len(), rows(&cva).len());
    for (record, row) in records.iter().zip(rows(&cva)) {
        assert_eq!(record[column(&header, "week")], row["week"]);
        assert_eq!(
            record[column(&header, "client")],
            row["client"]["sort_name"]
        );
        assert_eq!(record[column(&header, "cpli_id")], row["cpli_id"]);
        for field in [
            "commissioned_units",
            "actual_units",
            "frustrated_units",
            "difference_units",
            "commissioned_cost",
            "actual_cost",
            "frustrated_cost",
            "difference_cost",
        ] {
            assert_eq!(
                record[column(&header, field)],
                row["figures"][field],
                "{field}"
            );
        }
    }
    for field in [
        "commissioned_cost",
        "actual_cost",
        "frustrated_cost",
        "difference_cost",
    ] {
        let sum: Decimal = records
            .iter()
            .map(|record| money(&record[column(&header, field)]))
            .sum();
        assert_eq!(
            sum,
            money(cva["totals"][field].as_str().unwrap()),
            "{field}"
        );
    }
}

async fn each_commissioned_filter_narrows_the_rows(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    enter_e12_week(&app, &provider, &service).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let base = format!("{CVA}?from={WEEK}&to=2022-06-12");

    // Dates: only the weeks asked for; another week has nothing entered.
    let week = report(&app, &provider, &base).await;
    assert!(!rows(&week).is_empty());
    assert!(rows(&week).iter().all(|row| row["week"] == WEEK));
    let earlier = report(
        &app,
        &provider,
        &format!("{CVA}?from=2021-01-04&to=2021-01-10"),
    )
    .await;
    assert!(rows(&earlier).is_empty());

    // Include weeks without actuals: the week after has a plan but nothing entered.
    let two_weeks = format!("{CVA}?from={WEEK}&to=2022-06-19");
    let without = report(&app, &provider, &two_weeks).await;
    assert!(rows(&without).iter().all(|row| row["week"] == WEEK));
    let with = report(
        &app,
        &provider,
        &format!("{two_weeks}&include_weeks_without_actuals=true"),
    )
    .await;
    let unrecorded: Vec<&Value> = rows(&with)
        .iter()
        .filter(|row| row["week"] == "2022-06-13")
        .collect();
    assert!(!unrecorded.is_empty());
    assert!(unrecorded.iter().all(|row| row["has_actual"] == false
        && row["figures"]["actual_units"] == "0.00"
        && row["figures"]["difference_cost"]
            .as_str()
            .unwrap()
            .starts_with('-')));

    // Differences only: the lines entered as planned drop out, the rest stay.
    let differences = report(&app, &provider, &format!("{base}&differences_only=true")).await;
    assert!(rows(&differences).len() < rows(&week).len());
    assert!(rows(&differences)
        .iter()
        .all(|row| row["figures"]["difference_units"] != "0.00"
            || row["figures"]["difference_cost"] != "0.00"));
    assert!(rows(&differences)
        .iter()
        .any(|row| row["client"]["sort_name"] == "Waddell, Sid"));

    // Client.
    let sid = rows(&week)
        .iter()
        .find(|row| row["client"]["sort_name"] == "Waddell, Sid")
        .unwrap()["client"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let one = report(&app, &provider, &format!("{base}&client_id={sid}")).await;
    assert!(!rows(&one).is_empty());
    assert!(rows(&one).iter().all(|row| row["client"]["id"] == sid));
    assert!(one["description"]
        .as_str()
        .unwrap()
        .ends_with("Client = Waddell, Sid (8c846000)"));

    // Organisation, for council staff who see every provider.
    let ally = organisation_id(&app, &council, "Ally Pally Ltd").await;
    let everyone = report(&app, &council, &base).await;
    let narrowed = report(&app, &council, &format!("{base}&organisation_id={ally}")).await;
    assert_eq!(rows(&narrowed).len(), rows(&week).len());
    assert!(rows(&narrowed)
        .iter()
        .all(|row| row["organisation"] == "Ally Pally Ltd"));
    assert!(rows(&everyone).len() >= rows(&narrowed).len());

    // Service group class.
    let class = rows(&week)[0]["service_group_class"]
        .as_str()
        .unwrap()
        .to_owned();
    let same = report(
        &app,
        &provider,
        &format!("{base}&service_group_class={}", class.replace(' ', "%20")),
    )
    .await;
    assert_eq!(rows(&same).len(), rows(&week).len());
    let other = report(
        &app,
        &provider,
        &format!("{base}&service_group_class=Day%20Opportunities"),
    )
    .await;
    assert!(rows(&other).is_empty());

    // A generated week says "Gen." Y until someone changes it.
    app.generated_week(&provider, &service, "2022-06-20").await;
    let generated = report(
        &app,
        &provider,
        &format!("{CVA}?from=2022-06-20&to=2022-06-26"),
    )
    .await;
    assert!(!rows(&generated).is_empty());
    assert!(rows(&generated).iter().all(|row| row["generated"] == true));
    let response = save_line(
        &app,
        &provider,
        &service,
        "2022-06-20",
        "Mr Peter Wright",
        "Homecare Flexible - Bradford - Single-handed",
        ["2", "0", "0", "1"],
    )
    .await;
    assert_eq!(response.status(), 200);
    let generated = report(
        &app,
        &provider,
        &format!("{CVA}?from=2022-06-20&to=2022-06-26"),
    )
    .await;
    let peter = rows(&generated)
        .iter()
        .find(|row| row["client"]["sort_name"] == "Wright, Peter")
        .unwrap();
    assert_eq!(peter["generated"], false);
}

async fn bad_and_foreign_filters_are_refused(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let response = app
        .get(
            &format!("{CVA}?differences_only=maybe&organisation_id=x"),
            &provider,
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    let fields = error_fields(&problem);
    for field in ["from", "to", "differences_only", "organisation_id"] {
        assert!(fields.contains(&field), "{field} in {problem}");
    }
    let response = app
        .get(&format!("{CVA}?from=2022-06-12&to=2022-06-06"), &provider)
        .await;
    assert_eq!(response.status(), 422);

    // Another provider's organisation, client or contract is not found.
    let day = app.login(DAY_OPPORTUNITIES).await;
    let bedford_org = organisation_id(&app, &day, "Day Opportunities PP Home").await;
    let response = app
        .get(
            &format!("{CVA}?from=2022-06-06&to=2022-06-12&organisation_id={bedford_org}"),
            &provider,
        )
        .await;
    assert_eq!(response.status(), 404);
    let options = report(&app, &day, "/reports/options").await;
    let iris = options["clients"][0]["id"].as_str().unwrap().to_owned();
    let response = app
        .get(
            &format!("{CVA}?from=2022-06-06&to=2022-06-12&client_id={iris}"),
            &provider,
        )
        .await;
    assert_eq!(response.status(), 404);
    let diamond = app.login(DIAMOND).await;
    let stockport = report(&app, &diamond, "/reports/options").await["contracts"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let response = app
        .get(&format!("{REMITTANCE}?contract_id={stockport}"), &provider)
        .await;
    assert_eq!(response.status(), 404);
    let response = app
        .get(
            &format!("{REMITTANCE}?contract_id=one&summary=perhaps"),
            &provider,
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    let fields = error_fields(&problem);
    assert!(
        fields.contains(&"contract_id") && fields.contains(&"summary"),
        "{problem}"
    );
    let response = app
        .get(&format!("{PENDING}?status=later&from=soon"), &provider)
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    let fields = error_fields(&problem);
    assert!(
        fields.contains(&"status") && fields.contains(&"from"),
        "{problem}"
    );

    // Options hold the caller's own only.
    let own = report(&app, &provider, "/reports/options").await;
    assert!(own["organisations"]
        .as_array()
        .unwrap()
        .iter()
        .all(|organisation| organisation["label"] == "Ally Pally Ltd"));
    assert!(own["clients"]
        .as_array()
        .unwrap()
        .iter()
        .all(|client| client["id"] != iris.as_str()));
}

async fn pending_exceptions_name_the_actual_threshold_and_value(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    enter_e12_week(&app, &provider, &service).await;
    let exceptions = report(&app, &provider, EXCEPTIONS).await;
    assert!(exceptions["payment_periods"]
        .as_array()
        .unwrap()
        .iter()
        .any(|period| period == "Ally Pally Care: 06/06/2022 - 12/06/2022"));
    let sid = rows(&exceptions)
        .iter()
        .find(|row| {
            row["actual"]
                .as_str()
                .unwrap()
                .starts_with("Mr Sid Waddell (8c846000), 06/06/2022")
        })
        .unwrap_or_else(|| panic!("no exception for Sid Waddell in {exceptions}"));
    assert_eq!(sid["exception_type"], "Plan exceeded for week");
    assert_eq!(sid["threshold"], "0%");
    assert_eq!(sid["value"], "200%");
    assert_eq!(sid["payment_status"], "Suspend");

    // CSV: the same rows.
    let (header, records) = csv_report(&app, &provider, EXCEPTIONS).await;
    assert_eq!(records.len(), rows(&exceptions).len());
    for (record, row) in records.iter().zip(rows(&exceptions)) {
        for field in [
            "exception_type",
            "actual",
            "threshold",
            "value",
            "payment_status",
        ] {
            assert_eq!(record[column(&header, field)], row[field], "{field}");
        }
    }

    // Organisation filter: council staff see Ally Pally's by name; a provider with none
    // entered sees none.
    let council = app.login(BRADFORD_COUNCIL).await;
    let ally = organisation_id(&app, &council, "Ally Pally Ltd").await;
    let narrowed = report(
        &app,
        &council,
        &format!("{EXCEPTIONS}?organisation_id={ally}"),
    )
    .await;
    assert_eq!(rows(&narrowed).len(), rows(&exceptions).len());
    assert!(rows(&narrowed)
        .iter()
        .all(|row| row["organisation"] == "Ally Pally Ltd"));
    let diamond = app.login(DIAMOND).await;
    let none = report(&app, &diamond, EXCEPTIONS).await;
    assert!(rows(&none)
        .iter()
        .all(|row| row["organisation"] != "Ally Pally Ltd"));
}

async fn pending_scheduled_payments_follow_the_period_screen(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    enter_e12_week(&app, &provider, &service).await;
    let path = format!("{PENDING}?from={WEEK}&to=2022-06-12");
    let pending = report(&app, &provider, &path).await;
    // E12: £760.00 payable and Sid Waddell's £60.00 held, £820.00 in all.
    assert_eq!(pending["amount"], "820.00");
    let sid: Vec<&Value> = rows(&pending)
        .iter()
        .filter(|row| row["client"]["sort_name"] == "Waddell, Sid")
        .collect();
    assert_eq!(sid.len(), 2);
    assert!(sid.iter().all(|row| row["status"] == "Suspend"));
    assert!(rows(&pending)
        .iter()
        .all(|row| row["period_start"] == WEEK && row["contract"] == "Ally Pally Care"));

    // Status filter.
    let held = report(&app, &provider, &format!("{path}&status=suspend")).await;
    assert_eq!(held["amount"], "60.00");
    assert!(rows(&held).iter().all(|row| row["status"] == "Suspend"));
    let paid = report(&app, &provider, &format!("{path}&status=pay")).await;
    assert_eq!(paid["amount"], "760.00");

    // Dates filter: a later range holds other periods only.
    let later = report(
        &app,
        &provider,
        &format!("{PENDING}?from=2022-06-13&to=2022-06-19"),
    )
    .await;
    assert!(rows(&later)
        .iter()
        .all(|row| row["period_start"] == "2022-06-13"));

    // Organisation filter.
    let council = app.login(BRADFORD_COUNCIL).await;
    let ally = organisation_id(&app, &council, "Ally Pally Ltd").await;
    let narrowed = report(&app, &council, &format!("{path}&organisation_id={ally}")).await;
    assert_eq!(narrowed["amount"], "820.00");

    // CSV: the same rows, and its amounts add up to the JSON's.
    let (header, records) = csv_report(&app, &provider, &path).await;
    assert_eq!(records.len(), rows(&pending).len());
    for (record, row) in records.iter().zip(rows(&pending)) {
        for field in [
            "item_notes",
            "status",
            "amount",
            "vat",
            "item_from",
            "item_to",
        ] {
            assert_eq!(record[column(&header, field)], row[field], "{field}");
        }
    }
    let sum: Decimal = records
        .iter()
        .map(|record| money(&record[column(&header, "amount")]))
        .sum();
    assert_eq!(sum, money("820.00"));
}

async fn remittance_report_lists_paid_periods(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let service = app.service_id(&provider, "Ally Pally Home Care").await;
    enter_e12_week(&app, &provider, &service).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let contract = contract_id(&app, &provider, "Ally Pally Care").await;
    pay_e12_week(&app, &provider, &council, &contract).await;

    let options = report(&app, &provider, "/reports/options").await;
    let paid = options["remittance_periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|period| {
            period["label"]
                .as_str()
                .unwrap()
                .starts_with("06/06/2022 - 12/06/2022")
        })
        .unwrap_or_else(|| panic!("no paid period in {options}"))
        .clone();
    // Sid Waddell's lines were held and carried forward: partially finalised.
    assert_eq!(paid["partially_finalised"], true);
    assert_eq!(paid["label"], "06/06/2022 - 12/06/2022 *");
    let period = paid["id"].as_str().unwrap();

    let path = format!("{REMITTANCE}?contract_id={contract}&period_id={period}");
    let lines = report(&app, &provider, &path).await;
    assert_eq!(lines["amount"], "760.00");
    assert_eq!(lines["total"], "760.00");
    assert!(rows(&lines)
        .iter()
        .all(|row| row["payment_method"] == "Scheduled payments"
            && row["period"] == "06/06/2022 - 12/06/2022 *"));
    assert!(rows(&lines)
        .iter()
        .any(|row| row["status"] == "Carry forward"));

    // Summary: one row per client, the same total.
    let summary = report(&app, &provider, &format!("{path}&summary=true")).await;
    assert_eq!(summary["amount"], "760.00");
    assert!(rows(&summary).len() < rows(&lines).len());
    assert!(rows(&summary).iter().all(|row| row["item"] == ""));
    let bristow = rows(&summary)
        .iter()
        .find(|row| row["client"] == "Bristow, Eric (96836000)")
        .unwrap();
    assert_eq!(bristow["amount"], "140.00");

    // Every paid period of the contract when none is chosen, and of every contract when
    // no contract is; the payment method must be the contract's.
    let all = report(
        &app,
        &provider,
        &format!("{REMITTANCE}?contract_id={contract}"),
    )
    .await;
    assert!(rows(&all).len() >= rows(&lines).len());
    let everything = report(&app, &provider, REMITTANCE).await;
    assert_eq!(rows(&everything).len(), rows(&all).len());
    let invoiced = report(&app, &provider, &format!("{path}&payment_method=invoiced")).await;
    assert!(rows(&invoiced).is_empty());
    let scheduled = report(&app, &provider, &format!("{path}&payment_method=scheduled")).await;
    assert_eq!(rows(&scheduled).len(), rows(&lines).len());

    // CSV: the same rows and figures.
    let (header, records) = csv_report(&app, &provider, &path).await;
    assert_eq!(records.len(), rows(&lines).len());
    for (record, row) in records.iter().zip(rows(&lines)) {
        for field in ["client", "item", "amount", "vat", "status", "period"] {
            assert_eq!(record[column(&header, field)], row[field], "{field}");
        }
    }
}

on_both_databases!(
    e16_iris_angelos_two_weeks_and_totals,
    commissioned_csv_matches_its_json,
    each_commissioned_filter_narrows_the_rows,
    bad_and_foreign_filters_are_refused,
    pending_exceptions_name_the_actual_threshold_and_value,
    pending_scheduled_payments_follow_the_period_screen,
    remittance_report_lists_paid_periods,
);
