//! Accounts: council staff create them; the first sign-in forces a new password and then a
//! security code (every rule of DOMAIN 14); 90 days unused or 5 failures lock an account,
//! and council staff unlock it.

use serde_json::{json, Value};
use time::Duration;

use crate::helpers::{
    digits_for, error_fields, refresh_cookie, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL,
};
use crate::on_both_databases;

const JO: &str = "jo.bloggs@allypally.example";
const JOS_PASSWORD: &str = "marmalade kettle orbit tuesday";

/// Council staff create Jo at Ally Pally; returns Jo's one-time password.
async fn create_jo(app: &TestApp, council: &str) -> (String, Value) {
    let ally_pally = app.organisation_id(council, "Ally Pally Ltd").await;
    let response = app
        .post_json(
            "/accounts",
            Some(council),
            &json!({
                "kind": "provider", "email": JO, "name": "Jo Bloggs", "phone": "01274 000000",
                "job_title": "Finance officer",
                "memberships": [{ "organisation_id": ally_pally, "role": "finance" }],
            }),
        )
        .await;
    assert_eq!(response.status(), 201);
    let created: Value = response.json().await.unwrap();
    (
        created["temporary_password"].as_str().unwrap().to_owned(),
        created["account"].clone(),
    )
}

async fn post(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let response = app.post_json(path, None, &body).await;
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn messages(problem: &Value) -> Vec<&str> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["message"].as_str().unwrap())
        .collect()
}

async fn a_new_contact_chooses_a_password_then_a_security_code_at_first_sign_in(db: Db) {
    let app = spawn_app(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let (temporary, account) = create_jo(&app, &council).await;
    assert_eq!(account["awaiting_first_sign_in"], true);
    assert_eq!(account["memberships"][0]["name"], "Ally Pally Ltd");
    assert_eq!(account["memberships"][0]["role"], "finance");
    assert_eq!(temporary.len(), 20);

    let response = app.start_login(JO, &temporary).await;
    assert_eq!(response.status(), 200);
    let challenge: Value = response.json().await.unwrap();
    assert_eq!(challenge["next_step"], "first_sign_in");
    assert_eq!(challenge["must_change_password"], true);
    assert_eq!(challenge["positions"], json!([]));
    let id = challenge["challenge_id"].clone();

    // Not a digits challenge; and the code waits for the password.
    let (status, _) = post(
        &app,
        "/auth/login/challenge",
        json!({"challenge_id": id, "digits": ["1", "2", "3"]}),
    )
    .await;
    assert_eq!(status, 401);
    let code = |code: &str, again: &str| json!({"challenge_id": id, "security_code": code, "security_code_confirmation": again});
    let (status, _) = post(
        &app,
        "/auth/first-sign-in/security-code",
        code("240613", "240613"),
    )
    .await;
    assert_eq!(status, 409);

    for (password, message) in [
        (
            "short one",
            "Your new password must be at least 12 characters long",
        ),
        (
            "password1234",
            "Your new password is too common or too easy to guess. Try three or more random words",
        ),
        (
            temporary.as_str(),
            "Your new password must be different from the one you were given",
        ),
    ] {
        let (status, problem) = post(
            &app,
            "/auth/first-sign-in/password",
            json!({"challenge_id": id, "new_password": password}),
        )
        .await;
        assert_eq!(status, 422, "{password}");
        assert_eq!(error_fields(&problem), ["new_password"]);
        assert_eq!(messages(&problem), [message]);
    }
    let (status, _) = post(
        &app,
        "/auth/first-sign-in/password",
        json!({"challenge_id": id, "new_password": JOS_PASSWORD}),
    )
    .await;
    assert_eq!(status, 204);

    // Each broken rule of the security code has its own message.
    for (refused, message) in [
        ("12345", "Your security code must be exactly 6 digits, 0 to 9"),
        ("123456", "Your security code must not contain a run of more than three consecutive digits, such as 123456"),
        ("654321", "Your security code must not contain a run of more than three consecutive digits, such as 654321"),
        ("111112", "Your security code must not use the digit 1 more than 4 times"),
    ] {
        let (status, problem) = post(&app, "/auth/first-sign-in/security-code", code(refused, refused)).await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(error_fields(&problem), ["security_code"], "{refused}");
        assert_eq!(messages(&problem), [message], "{refused}");
    }
    let (status, problem) = post(
        &app,
        "/auth/first-sign-in/security-code",
        code("240613", "240631"),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["security_code_confirmation"]);

    let response = app
        .post_json(
            "/auth/first-sign-in/security-code",
            None,
            &code("240613", "240613"),
        )
        .await;
    assert_eq!(response.status(), 200);
    assert!(
        refresh_cookie(&response).is_some(),
        "signed in, with a session"
    );
    let session: Value = response.json().await.unwrap();
    assert_eq!(
        session["user"]["organisations"][0]["name"],
        "Ally Pally Ltd"
    );

    // From now on: the new password, then three digits of the new code.
    assert_eq!(app.start_login(JO, &temporary).await.status(), 401);
    let challenge: Value = app
        .start_login(JO, JOS_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(challenge["next_step"], "security_code_digits");
    let (status, _) = post(&app, "/auth/login/challenge", json!({"challenge_id": challenge["challenge_id"], "digits": digits_for(&challenge, "240613")})).await;
    assert_eq!(status, 200);

    let user = app.store.user_by_email(JO).await.unwrap().unwrap();
    let actions = app
        .store
        .audit_actions("user", &user.id.to_string())
        .await
        .unwrap();
    for action in [
        "account.created",
        "password.changed",
        "security_code.changed",
        "login.succeeded",
    ] {
        assert!(
            actions.contains(&action.to_owned()),
            "{action} in {actions:?}"
        );
    }
}

async fn a_new_account_names_every_bad_field(db: Db) {
    let app = spawn_app(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let response = app
        .post_json(
            "/accounts",
            Some(&council),
            &json!({
                "kind": "provider", "email": "not an email", "name": " ",
                "memberships": [{ "organisation_id": "999999", "role": "owner" }],
            }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(
        error_fields(&problem),
        [
            "email",
            "name",
            "memberships[0].organisation_id",
            "memberships[0].role"
        ]
    );
    let (_, _) = create_jo(&app, &council).await;
    let ally_pally = app.organisation_id(&council, "Ally Pally Ltd").await;
    let response = app
        .post_json(
            "/accounts",
            Some(&council),
            &json!({ "kind": "provider", "email": JO.to_uppercase(), "name": "Jo Again",
                     "memberships": [{ "organisation_id": ally_pally, "role": "manager" }] }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["email"]);
    assert_eq!(messages(&problem), ["already has an account"]);

    // Providers neither list nor create accounts.
    let provider = app.login(ALLY_PALLY).await;
    assert_eq!(app.get("/accounts", &provider).await.status(), 403);
    let response = app
        .post_json(
            "/accounts",
            Some(&provider),
            &json!({"kind": "provider", "email": "x@y.example", "name": "X"}),
        )
        .await;
    assert_eq!(response.status(), 403);
}

async fn ninety_days_unused_locks_an_account_until_council_staff_unlock_it(db: Db) {
    let app = spawn_app(db).await;
    // Access tokens are checked against the wall clock, so the council's stays usable.
    let council = app.login(BRADFORD_COUNCIL).await;
    app.login(ALLY_PALLY).await;
    app.clock.advance(Duration::days(89));
    app.login(ALLY_PALLY).await;

    app.clock.advance(Duration::days(91));
    let response = app.start_login(ALLY_PALLY, "portal-demo-2022").await;
    assert_eq!(response.status(), 403);
    let problem: Value = response.json().await.unwrap();
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.starts_with("Your account is locked. Contact Bradford"),
        "{detail}"
    );

    let accounts: Value = app.get("/accounts", &council).await.json().await.unwrap();
    let ally = accounts["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|account| account["email"] == ALLY_PALLY)
        .unwrap()
        .clone();
    assert_eq!(ally["is_locked"], true);
    assert_eq!(ally["locked_reason"], "inactive");

    let unlock = format!("/accounts/{}/unlock", ally["id"].as_str().unwrap());
    let response = app.post_json(&unlock, Some(&council), &json!({})).await;
    assert_eq!(response.status(), 200);
    let unlocked: Value = response.json().await.unwrap();
    assert_eq!(unlocked["is_locked"], false);
    assert_eq!(unlocked["locked_reason"], Value::Null);
    app.login(ALLY_PALLY).await;

    let actions = app
        .store
        .audit_actions("user", ally["id"].as_str().unwrap())
        .await
        .unwrap();
    for action in ["account.locked", "account.unlocked"] {
        assert!(
            actions.contains(&action.to_owned()),
            "{action} in {actions:?}"
        );
    }
    // Another council's staff, or a made-up id, find no such account.
    assert_eq!(
        app.post_json("/accounts/999999/unlock", Some(&council), &json!({}))
            .await
            .status(),
        404
    );
}

async fn five_failures_lock_and_the_lock_is_audited_once(db: Db) {
    let app = spawn_app(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    for _ in 0..6 {
        assert_ne!(
            app.start_login(ALLY_PALLY, "not the password")
                .await
                .status(),
            200
        );
    }
    let user = app.store.user_by_email(ALLY_PALLY).await.unwrap().unwrap();
    assert!(user.is_locked);
    assert_eq!(user.locked_reason.as_deref(), Some("failures"));
    let actions = app
        .store
        .audit_actions("user", &user.id.to_string())
        .await
        .unwrap();
    assert_eq!(
        actions
            .iter()
            .filter(|action| *action == "account.locked")
            .count(),
        1
    );
    let response = app
        .post_json(
            &format!("/accounts/{}/unlock", user.id),
            Some(&council),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    app.login(ALLY_PALLY).await;
}

/// A signed-in change to one's own secrets: bearer token plus the session's cookie.
async fn change(
    app: &TestApp,
    path: &str,
    access: &str,
    refresh: &str,
    body: Value,
) -> (u16, Value) {
    let response = app
        .client
        .post(app.url(path))
        .bearer_auth(access)
        .header("Cookie", format!("portal_refresh={refresh}"))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn a_user_changes_their_password_and_code_and_their_other_sessions_end(db: Db) {
    let app = spawn_app(db).await;
    let (access, refresh) = app.login_session(ALLY_PALLY).await;
    let (_, other_refresh) = app.login_session(ALLY_PALLY).await;

    let (status, problem) = change(
        &app,
        "/auth/password",
        &access,
        &refresh,
        json!({"current_password": "wrong", "new_password": "short"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(error_fields(&problem), ["current_password", "new_password"]);
    let (status, _) = change(
        &app,
        "/auth/password",
        &access,
        &refresh,
        json!({"current_password": "portal-demo-2022", "new_password": JOS_PASSWORD}),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(
        app.refresh(&other_refresh).await.status(),
        401,
        "other sessions end"
    );
    let response = app.refresh(&refresh).await;
    assert_eq!(response.status(), 200, "this session goes on");
    let refresh = refresh_cookie(&response).unwrap();
    assert_eq!(
        app.start_login(ALLY_PALLY, "portal-demo-2022")
            .await
            .status(),
        401
    );

    let code = |code: &str| json!({"current_password": JOS_PASSWORD, "security_code": code, "security_code_confirmation": code});
    for (refused, message) in [
        ("240613", "Your new security code must be different from your previous one"),
        ("111112", "Your security code must not use the digit 1 more than 4 times"),
        ("123456", "Your security code must not contain a run of more than three consecutive digits, such as 123456"),
        ("654321", "Your security code must not contain a run of more than three consecutive digits, such as 654321"),
    ] {
        let (status, problem) = change(&app, "/auth/security-code", &access, &refresh, code(refused)).await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(messages(&problem), [message], "{refused}");
    }
    let (status, _) = change(
        &app,
        "/auth/security-code",
        &access,
        &refresh,
        code("970351"),
    )
    .await;
    assert_eq!(status, 204);

    let challenge: Value = app
        .start_login(ALLY_PALLY, JOS_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let (status, _) = post(&app, "/auth/login/challenge", json!({"challenge_id": challenge["challenge_id"], "digits": digits_for(&challenge, "240613")})).await;
    assert_eq!(status, 401, "the old code no longer works");
    let challenge: Value = app
        .start_login(ALLY_PALLY, JOS_PASSWORD)
        .await
        .json()
        .await
        .unwrap();
    let (status, _) = post(&app, "/auth/login/challenge", json!({"challenge_id": challenge["challenge_id"], "digits": digits_for(&challenge, "970351")})).await;
    assert_eq!(status, 200);
}

on_both_databases!(
    a_user_changes_their_password_and_code_and_their_other_sessions_end,
    a_new_contact_chooses_a_password_then_a_security_code_at_first_sign_in,
    a_new_account_names_every_bad_field,
    ninety_days_unused_locks_an_account_until_council_staff_unlock_it,
    five_failures_lock_and_the_lock_is_audited_once,
);
