//! The authenticator app (TOTP) as a second factor: enrolment by QR code or secret,
//! confirmation, sign-in with a code or a one-time recovery code, replay refused, the
//! council's policy, and removal.

use portal_server::auth::totp::{code_at, matching_step};
use portal_server::demo::{DEMO_PASSWORD, DEMO_SECURITY_CODE};
use serde_json::{json, Value};
use time::Duration;

use crate::helpers::{
    digits_for, error_fields, spawn_app, Db, TestApp, ALLY_PALLY, BRADFORD_COUNCIL,
};
use crate::on_both_databases;

async fn begin(app: &TestApp, token: &str) -> Value {
    let response = app
        .post_json("/auth/authenticator", Some(token), &json!({}))
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn challenge(app: &TestApp) -> Value {
    let response = app.start_login(ALLY_PALLY, DEMO_PASSWORD).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn answer(app: &TestApp, challenge: &Value, answer: Value) -> reqwest::Response {
    let mut body = answer;
    body["challenge_id"] = challenge["challenge_id"].clone();
    app.post_json("/auth/login/challenge", None, &body).await
}

/// The settings as read, to send back with another second-factor policy.
fn settings_with_policy(settings: &Value, policy: &str) -> Value {
    json!({
        "version": settings["version"], "contact_email": settings["contact_email"],
        "contact_phone": settings["contact_phone"], "contact_address": settings["contact_address"],
        "submission_deadline_weekday": settings["submission_deadline"]["weekday"],
        "submission_deadline_time": settings["submission_deadline"]["time"],
        "amendment_window_days": settings["amendment_window_days"],
        "second_factor_policy": policy,
    })
}

/// Sets the council's second-factor policy.
async fn set_policy(app: &TestApp, council: &str, policy: &str) {
    let settings: Value = app
        .get("/council/settings", council)
        .await
        .json()
        .await
        .unwrap();
    let response = app
        .put_json(
            "/council/settings",
            council,
            &settings_with_policy(&settings, policy),
        )
        .await;
    assert_eq!(response.status(), 200);
    let saved: Value = response.json().await.unwrap();
    assert_eq!(saved["second_factor_policy"], policy);
}

async fn a_contact_enrols_an_authenticator_and_signs_in_with_it(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let me: Value = app.get("/me", &token).await.json().await.unwrap();
    assert_eq!(me["second_factor_policy"], "user_choice");
    assert_eq!(me["authenticator_enrolled"], false);

    let enrolment = begin(&app, &token).await;
    let secret = enrolment["secret"].as_str().unwrap().to_owned();
    assert!(enrolment["otpauth_uri"].as_str().unwrap().starts_with(
        "otpauth://totp/Care%20Provider%20Portal%3Acontact%40allypally.example?secret="
    ));
    assert!(enrolment["qr_svg"].as_str().unwrap().contains("<svg"));

    // Not yet confirmed, so sign-in still asks for digits only.
    assert_eq!(
        challenge(&app).await["methods"],
        json!(["security_code_digits"])
    );

    // A wrong code is named; the right one gives ten recovery codes.
    let response = app
        .post_json(
            "/auth/authenticator/confirm",
            Some(&token),
            &json!({"code": "000000"}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["code"]);
    let code = code_at(&secret, app.clock.now()).unwrap();
    let response = app
        .post_json(
            "/auth/authenticator/confirm",
            Some(&token),
            &json!({"code": code}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let recovery: Value = response.json().await.unwrap();
    let recovery_codes: Vec<String> = recovery["recovery_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|code| code.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(recovery_codes.len(), 10);
    let me: Value = app.get("/me", &token).await.json().await.unwrap();
    assert_eq!(me["authenticator_enrolled"], true);
    assert_eq!(me["recovery_codes_left"], 10);
    // A second enrolment waits until this one is removed.
    let response = app
        .post_json("/auth/authenticator", Some(&token), &json!({}))
        .await;
    assert_eq!(response.status(), 409);

    // The user's choice (the default): the app first, the digits still allowed.
    app.clock.advance(Duration::seconds(60));
    let offered = challenge(&app).await;
    assert_eq!(offered["next_step"], "authenticator");
    assert_eq!(
        offered["methods"],
        json!(["authenticator", "security_code_digits"])
    );
    let code = code_at(&secret, app.clock.now()).unwrap();
    let response = answer(&app, &offered, json!({"authenticator_code": code})).await;
    assert_eq!(response.status(), 200);

    // The same code again (a replay within its 30 seconds) is refused.
    let again = challenge(&app).await;
    let response = answer(&app, &again, json!({"authenticator_code": code})).await;
    assert_eq!(response.status(), 401);

    // The digits still work under the user's choice.
    let offered = challenge(&app).await;
    let digits = digits_for(&offered, DEMO_SECURITY_CODE);
    let response = answer(&app, &offered, json!({"digits": digits})).await;
    assert_eq!(response.status(), 200);

    // A recovery code works once, however it is typed.
    let typed = recovery_codes[0].to_lowercase().replace('-', " ");
    let offered = challenge(&app).await;
    let response = answer(&app, &offered, json!({"recovery_code": typed})).await;
    assert_eq!(response.status(), 200);
    let session: Value = response.json().await.unwrap();
    assert_eq!(session["user"]["recovery_codes_left"], 9);
    let offered = challenge(&app).await;
    let response = answer(&app, &offered, json!({"recovery_code": recovery_codes[0]})).await;
    assert_eq!(response.status(), 401);

    // Two answers at once, or a malformed code, are named.
    let offered = challenge(&app).await;
    let response = answer(
        &app,
        &offered,
        json!({"digits": ["1", "2", "3"], "authenticator_code": "123456"}),
    )
    .await;
    assert_eq!(response.status(), 422);
    let offered = challenge(&app).await;
    let response = answer(&app, &offered, json!({"authenticator_code": "12ab"})).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["authenticator_code"]);

    // Removing it needs the password; afterwards sign-in asks for digits only.
    let response = app
        .post_json(
            "/auth/authenticator/remove",
            Some(&token),
            &json!({"current_password": "not my password"}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let response = app
        .post_json(
            "/auth/authenticator/remove",
            Some(&token),
            &json!({"current_password": DEMO_PASSWORD}),
        )
        .await;
    assert_eq!(response.status(), 204);
    assert_eq!(
        challenge(&app).await["methods"],
        json!(["security_code_digits"])
    );
}

async fn the_councils_policy_decides_the_second_factor(db: Db) {
    let app = spawn_app(db).await;
    let council = app.login(BRADFORD_COUNCIL).await;
    let token = app.login(ALLY_PALLY).await;
    let secret = begin(&app, &token).await["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = code_at(&secret, app.clock.now()).unwrap();
    let response = app
        .post_json(
            "/auth/authenticator/confirm",
            Some(&token),
            &json!({"code": code}),
        )
        .await;
    assert_eq!(response.status(), 200);

    // Authenticator only: digits are refused and not even asked for.
    set_policy(&app, &council, "authenticator").await;
    let offered = challenge(&app).await;
    assert_eq!(offered["methods"], json!(["authenticator"]));
    assert_eq!(offered["positions"], json!([]));
    let response = answer(&app, &offered, json!({"digits": ["1", "2", "3"]})).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["authenticator_code"]);

    // Digits only: the app is not offered, even to someone who has one.
    set_policy(&app, &council, "digits").await;
    app.clock.advance(Duration::seconds(60));
    let offered = challenge(&app).await;
    assert_eq!(offered["methods"], json!(["security_code_digits"]));
    let code = code_at(&secret, app.clock.now()).unwrap();
    let response = answer(&app, &offered, json!({"authenticator_code": code})).await;
    assert_eq!(response.status(), 422);

    // A policy the portal does not know is named.
    let settings: Value = app
        .get("/council/settings", &council)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(settings["second_factor_policy"], "digits");
    let response = app
        .put_json(
            "/council/settings",
            &council,
            &settings_with_policy(&settings, "sms"),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["second_factor_policy"]);
}

async fn five_wrong_authenticator_codes_lock_the_account(db: Db) {
    let app = spawn_app(db).await;
    let token = app.login(ALLY_PALLY).await;
    let secret = begin(&app, &token).await["secret"]
        .as_str()
        .unwrap()
        .to_owned();
    let code = code_at(&secret, app.clock.now()).unwrap();
    app.post_json(
        "/auth/authenticator/confirm",
        Some(&token),
        &json!({"code": code}),
    )
    .await;
    let wrong = ["111111", "222222", "333333", "444444"]
        .into_iter()
        .find(|candidate| matching_step(&secret, candidate, app.clock.now()).is_none())
        .unwrap();
    for _ in 0..5 {
        let offered = challenge(&app).await;
        let response = answer(&app, &offered, json!({"authenticator_code": wrong})).await;
        assert_eq!(response.status(), 401);
    }
    let response = app.start_login(ALLY_PALLY, DEMO_PASSWORD).await;
    assert_eq!(response.status(), 403);
    let problem: Value = response.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("locked"));
}

on_both_databases!(
    a_contact_enrols_an_authenticator_and_signs_in_with_it,
    the_councils_policy_decides_the_second_factor,
    five_wrong_authenticator_codes_lock_the_account,
);
