//! Actions (DOMAIN 10): raised on the caller's own client with a due date no earlier than the
//! type's minimum in working days, read back with the opening post, listed; another
//! provider's client is 404 and a council-only type 403 for a provider.

use serde_json::{json, Value};
use time::{Duration, Weekday};

use crate::helpers::{error_fields, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL, DIAMOND};
use crate::on_both_databases;

on_both_databases!(
    a_provider_raises_an_action_on_its_client_and_reads_it_back,
    a_due_date_counts_working_days_past_a_weekend_and_a_bank_holiday,
    others_clients_and_council_only_types_are_refused,
    a_thread_runs_from_question_to_closure,
);

async fn options(app: &TestApp, token: &str) -> Value {
    let response = app.get("/action-options", token).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn type_named<'a>(options: &'a Value, name: &str) -> &'a Value {
    options["types"]
        .as_array()
        .unwrap()
        .iter()
        .find(|action_type| action_type["name"] == name)
        .unwrap_or_else(|| panic!("no type {name} in {options}"))
}

fn entity_id(options: &Value, kind: &str, name: &str) -> String {
    options["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entity| entity["kind"] == kind && entity["name"] == name)
        .unwrap_or_else(|| panic!("no {kind} {name} in {options}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn a_provider_raises_an_action_on_its_client_and_reads_it_back(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let options = options(&app, &token).await;
    let amendment = type_named(&options, "CPLI Amendment");
    assert_eq!(amendment["team"], "Brokerage Team");
    assert_eq!(amendment["minimum_due_working_days"], 2);
    // A provider is not offered the council's own types.
    assert!(options["types"]
        .as_array()
        .unwrap()
        .iter()
        .all(|action_type| action_type["name"] != "Debit Balance"));
    let client = entity_id(&options, "client", "Mr Sid Waddell (8c846000)");
    let due = amendment["earliest_due_on"].as_str().unwrap().to_owned();

    let text = "Re: Care Package Line Item for Mr Sid Waddell. Homecare Flexible - Bradford - Single-handed (Hour) from Ally Pally Home Care, week beginning 06/06/2022: planned 1, actual 3.";
    let action = app
        .created(
            &token,
            "/actions",
            json!({
                "type_id": amendment["id"],
                "related_kind": "client",
                "related_id": client,
                "due_on": due,
                "title": "Request a variation: Mr Sid Waddell Homecare Flexible - Bradford - Single-handed week beginning 06/06/2022",
                "text": text,
            }),
        )
        .await;
    assert_eq!(action["status"], "open");
    assert_eq!(action["type_name"], "CPLI Amendment");
    assert_eq!(action["related_label"], "Mr Sid Waddell (Client)");
    assert_eq!(
        action["assigned_to"],
        json!({ "kind": "team", "team": "Brokerage Team" })
    );
    assert_eq!(action["assigned_to_label"], "LA (Brokerage Team)");
    assert_eq!(action["due_on"], due.as_str());
    assert_eq!(action["version"], 1);
    assert_eq!(action["organisation_name"], "Ally Pally Ltd");

    let id = action["id"].as_str().unwrap();
    let response = app.get(&format!("/actions/{id}"), &token).await;
    assert_eq!(response.status(), 200);
    let read: Value = response.json().await.unwrap();
    let posts = read["posts"].as_array().unwrap();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0]["kind"], "opened");
    assert_eq!(posts[0]["text"], text);
    assert_eq!(posts[0]["author"], "Jo Hunter (Ally Pally Ltd)");
    assert_eq!(posts[0]["assigned_to_label"], "LA (Brokerage Team)");
    assert_eq!(posts[0]["due_on"], due.as_str());

    // Listed for the provider and for its council; not for another provider.
    let list: Value = app
        .get(
            &format!(
                "/actions?open_only=true&type_id={}",
                amendment["id"].as_str().unwrap()
            ),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert_eq!(list["items"][0]["id"], id);
    let council = app.login(BRADFORD_COUNCIL).await;
    let list: Value = app.get("/actions", &council).await.json().await.unwrap();
    assert_eq!(list["items"][0]["id"], id);
    let diamond = app.login(DIAMOND).await;
    let list: Value = app.get("/actions", &diamond).await.json().await.unwrap();
    assert!(list["items"].as_array().unwrap().is_empty());
    assert_eq!(
        app.get(&format!("/actions/{id}"), &diamond).await.status(),
        404
    );

    // Filtered by another type, it is not listed.
    let other_type = type_named(&options, "Actuals Query")["id"].clone();
    let list: Value = app
        .get(
            &format!("/actions?type_id={}", other_type.as_str().unwrap()),
            &token,
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(list["items"].as_array().unwrap().is_empty());

    // Bad input names every bad field, never a 500.
    let response = app
        .post_json(
            "/actions",
            Some(&token),
            &json!({
                "type_id": amendment["id"],
                "related_kind": "client",
                "related_id": client,
                "due_on": "2022-02-30",
                "title": " ",
                "text": "",
            }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["due_on", "title", "text"]);
    // A type that may not be raised on a contract.
    let contract = entity_id(&options, "contract", "Ally Pally Care");
    let response = app
        .post_json(
            "/actions",
            Some(&token),
            &json!({
                "type_id": amendment["id"],
                "related_kind": "contract",
                "related_id": contract,
                "due_on": due,
                "title": "Wrong kind",
                "text": "Text",
            }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["related_kind"]);
}

async fn a_due_date_counts_working_days_past_a_weekend_and_a_bank_holiday(db: Db) {
    let app = spawn_app(db).await;
    // Move to the next Thursday, and make the Monday after it a bank holiday.
    let today = app.clock.now().date();
    let to_thursday = (7 + 3 - i64::from(today.weekday().number_days_from_monday())).rem_euclid(7);
    app.clock.advance(Duration::days(to_thursday));
    let thursday = app.clock.now().date();
    assert_eq!(thursday.weekday(), Weekday::Thursday);
    let monday = thursday + Duration::days(4);
    let tuesday = thursday + Duration::days(5);
    let council = app.login(BRADFORD_COUNCIL).await;
    let response = app
        .post_json(
            "/council/bank-holidays",
            Some(&council),
            &json!({ "date": monday.to_string(), "name": "A test holiday" }),
        )
        .await;
    assert!([201, 409].contains(&response.status().as_u16()));

    let token = app.login(ALLY_PALLY).await;
    let options = options(&app, &token).await;
    let amendment = type_named(&options, "CPLI Amendment");
    // Friday is one working day; Saturday, Sunday and the holiday do not count.
    assert_eq!(amendment["earliest_due_on"], tuesday.to_string());
    let client = entity_id(&options, "client", "Mr Sid Waddell (8c846000)");
    let body = |due: String| {
        json!({
            "type_id": amendment["id"],
            "related_kind": "client",
            "related_id": client,
            "due_on": due,
            "title": "Variation",
            "text": "Please vary the care package.",
        })
    };
    let response = app
        .post_json("/actions", Some(&token), &body(monday.to_string()))
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["due_on"]);
    let message = problem["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("2 working days"), "{message}");

    app.created(&token, "/actions", body(tuesday.to_string()))
        .await;
}

async fn others_clients_and_council_only_types_are_refused(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let options = options(&app, &token).await;
    let amendment = type_named(&options, "CPLI Amendment");
    let due = amendment["earliest_due_on"].as_str().unwrap().to_owned();

    // Diamond's client, by the id Diamond sees.
    let diamond = app.login(DIAMOND).await;
    let diamond_options = self::options(&app, &diamond).await;
    let geller = entity_id(&diamond_options, "client", "Miss Monica Geller (MG123)");
    let response = app
        .post_json(
            "/actions",
            Some(&token),
            &json!({
                "type_id": amendment["id"],
                "related_kind": "client",
                "related_id": geller,
                "due_on": due,
                "title": "Not ours",
                "text": "Someone else's client.",
            }),
        )
        .await;
    assert_eq!(response.status(), 404);

    // A type only the council raises.
    let council = app.login(BRADFORD_COUNCIL).await;
    let types: Value = app
        .get("/council/action-types", &council)
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
    let organisation = entity_id(&options, "organisation", "Ally Pally Ltd");
    let body = json!({
        "type_id": debit_balance,
        "related_kind": "organisation",
        "related_id": organisation,
        "due_on": "2099-01-01",
        "title": "Debit balance",
        "text": "Your account is in debit.",
    });
    let response = app.post_json("/actions", Some(&token), &body).await;
    assert_eq!(response.status(), 403);
    // The council may, and may assign it to the provider.
    let mut council_body = body.clone();
    council_body["assigned_to"] = json!({ "kind": "provider" });
    let action = app.created(&council, "/actions", council_body).await;
    assert_eq!(action["assigned_to_label"], "Provider");
    assert_eq!(action["posts"][0]["author"], "Trevor Bland");
    // The provider sees it.
    let id = action["id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/actions/{id}"), &token).await.status(),
        200
    );
}

async fn post(app: &TestApp, token: &str, action: &str, body: Value) -> (u16, Value) {
    let response = app
        .post_json(&format!("/actions/{action}/posts"), Some(token), &body)
        .await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn counts(app: &TestApp, token: &str) -> Value {
    let response = app.get("/actions/summary", token).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The guides' conversation: the provider asks, council staff reply to the provider with a
/// due date, the provider's answer is overdue once the date passes, the provider replies and
/// asks for closure, and only council staff close it; nothing is posted after.
async fn a_thread_runs_from_question_to_closure(db: Db) {
    let app = spawn_app(db).await;
    let provider = app.login(ALLY_PALLY).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let options = options(&app, &provider).await;
    let query = type_named(&options, "Actuals Query");
    let client = entity_id(&options, "client", "Mr Eric Bristow (96836000)");
    let action = app
        .created(
            &provider,
            "/actions",
            json!({
                "type_id": query["id"], "related_kind": "client", "related_id": client,
                "due_on": query["earliest_due_on"], "title": "Planned hospital appointment",
                "text": "Mr Bristow goes into hospital on Friday; calls will stop for a week.",
            }),
        )
        .await;
    let id = action["id"].as_str().unwrap().to_owned();
    assert_eq!(counts(&app, &provider).await["open"], 1);
    assert_eq!(counts(&app, &provider).await["awaiting_provider"], 0);

    // A provider's comment does not reassign; a provider cannot close.
    let (status, commented) = post(
        &app,
        &provider,
        &id,
        json!({"version": 1, "kind": "comment", "text": "The family will confirm the date."}),
    )
    .await;
    assert_eq!(status, 200, "{commented}");
    assert_eq!(commented["assigned_to_label"], action["assigned_to_label"]);
    assert_eq!(commented["version"], 2);
    let (status, _) = post(
        &app,
        &provider,
        &id,
        json!({"version": 2, "kind": "close", "text": "Done"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, problem) = post(
        &app,
        &provider,
        &id,
        json!({"version": 2, "kind": "reply", "text": "x", "due_on": "2030-01-01"}),
    )
    .await;
    assert_eq!(status, 422);
    assert!(error_fields(&problem).contains(&"due_on"));

    // Council staff reply to the provider with a new due date; a stale version is refused.
    let due = (app.clock.now().date() + Duration::days(3)).to_string();
    let (status, _) = post(
        &app,
        &council,
        &id,
        json!({"version": 1, "kind": "reply", "text": "Which days exactly?"}),
    )
    .await;
    assert_eq!(status, 409);
    let (status, replied) = post(
        &app,
        &council,
        &id,
        json!({"version": 2, "kind": "reply", "text": "Which days exactly?", "due_on": due}),
    )
    .await;
    assert_eq!(status, 200, "{replied}");
    assert_eq!(replied["assigned_to_label"], "Provider");
    assert_eq!(replied["due_on"], due.as_str());
    assert_eq!(replied["overdue"], false);
    let last = replied["posts"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["kind"], "reply");
    assert_eq!(last["assigned_to_label"], "Provider");
    assert_eq!(counts(&app, &provider).await["awaiting_provider"], 1);

    // Once the date passes with the provider to answer, it is overdue (red on the home page).
    app.clock.advance(Duration::days(5));
    let read: Value = app
        .get(&format!("/actions/{id}"), &provider)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(read["overdue"], true);
    assert_eq!(counts(&app, &provider).await["overdue"], 1);
    let mine: Value = app
        .get("/actions?assigned_to=provider", &provider)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);

    // The provider replies to a team, which ends the overdue, then asks for closure.
    let (status, problem) = post(
        &app,
        &provider,
        &id,
        json!({"version": 3, "kind": "reply", "text": "Monday to Friday."}),
    )
    .await;
    assert_eq!(
        status, 422,
        "a reply from the provider names a team: {problem}"
    );
    assert!(error_fields(&problem).contains(&"assign_to"));
    let team = action["assigned_to"]["team"].as_str().unwrap();
    let (status, answered) = post(
        &app,
        &provider,
        &id,
        json!({"version": 3, "kind": "reply", "text": "Monday to Friday.",
               "assign_to": {"kind": "team", "team": team}}),
    )
    .await;
    assert_eq!(status, 200, "{answered}");
    assert_eq!(answered["overdue"], false);
    let by_team: Value = app
        .get(
            &format!(
                "/actions?assigned_to={}",
                team.replace(' ', "%20").replace('&', "%26")
            ),
            &council,
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(by_team["items"][0]["id"], id.as_str());
    let (status, asked) = post(
        &app,
        &provider,
        &id,
        json!({"version": 4, "kind": "closure_request", "text": "All sorted, thank you."}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(asked["status"], "closure_requested");
    let (status, _) = post(
        &app,
        &council,
        &id,
        json!({"version": 5, "kind": "closure_request", "text": "?"}),
    )
    .await;
    assert_eq!(status, 403);
    let (status, closed) = post(
        &app,
        &council,
        &id,
        json!({"version": 5, "kind": "close", "text": "Closed: calls resume on the 30th."}),
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(closed["status"], "closed");
    assert_eq!(closed["posts"].as_array().unwrap().len(), 6);
    let (status, _) = post(
        &app,
        &provider,
        &id,
        json!({"version": 6, "kind": "comment", "text": "One more thing"}),
    )
    .await;
    assert_eq!(status, 409);
    assert_eq!(counts(&app, &provider).await["open"], 0);

    // Another provider cannot post to it; nor can anyone name a bad kind.
    let diamond = app.login(DIAMOND).await;
    let (status, _) = post(
        &app,
        &diamond,
        &id,
        json!({"version": 6, "kind": "comment", "text": "Hello"}),
    )
    .await;
    assert_eq!(status, 404);
    let (status, problem) = post(
        &app,
        &council,
        &id,
        json!({"version": 6, "kind": "shout", "text": ""}),
    )
    .await;
    assert_eq!(status, 422);
    let fields = error_fields(&problem);
    assert!(
        fields.contains(&"kind") && fields.contains(&"text"),
        "{problem}"
    );
}
