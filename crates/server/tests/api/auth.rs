//! Signing in: password, then three digits at positions the server chose.

use serde_json::{json, Value};

use crate::helpers::{digits_for, error_fields, spawn_app, Db, ALLY_PALLY};
use crate::on_both_databases;

async fn a_provider_signs_in_with_password_and_three_digits(db: Db) {
    let app = spawn_app(db).await;
    let response = app.start_login(ALLY_PALLY, "portal-demo-2022").await;
    assert_eq!(response.status(), 200);
    let challenge: Value = response.json().await.unwrap();
    let positions: Vec<u64> = challenge["positions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_u64().unwrap())
        .collect();
    assert_eq!(positions.len(), 3);
    assert!(
        positions.windows(2).all(|pair| pair[0] < pair[1])
            && positions.iter().all(|p| (1..=6).contains(p))
    );
    assert!(challenge["prompt"]
        .as_str()
        .unwrap()
        .starts_with("Please enter the "));
    let response = app
        .post_json("/auth/login/challenge", None, &json!({"challenge_id": challenge["challenge_id"], "digits": digits_for(&challenge, "240613")}))
        .await;
    assert_eq!(response.status(), 200);
    let session: Value = response.json().await.unwrap();
    assert_eq!(session["token_type"], "Bearer");
    assert_eq!(
        session["user"]["organisations"][0]["name"],
        "Ally Pally Ltd"
    );
    let me: Value = app
        .get("/me", session["access_token"].as_str().unwrap())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], ALLY_PALLY);
    // A challenge answers once.
    let response = app
        .post_json("/auth/login/challenge", None, &json!({"challenge_id": challenge["challenge_id"], "digits": digits_for(&challenge, "240613")}))
        .await;
    assert_eq!(response.status(), 401);
}

async fn wrong_secrets_are_refused_and_five_failures_lock(db: Db) {
    let app = spawn_app(db).await;
    let response = app
        .start_login("nobody@example.org", "portal-demo-2022")
        .await;
    assert_eq!(response.status(), 401);
    let unknown: Value = response.json().await.unwrap();
    let response = app.start_login(ALLY_PALLY, "wrong password").await;
    assert_eq!(response.status(), 401);
    let wrong: Value = response.json().await.unwrap();
    assert_eq!(
        unknown["detail"], wrong["detail"],
        "no hint whether the account exists"
    );

    let challenge: Value = app
        .start_login(ALLY_PALLY, "portal-demo-2022")
        .await
        .json()
        .await
        .unwrap();
    let response = app
        .post_json("/auth/login/challenge", None, &json!({"challenge_id": challenge["challenge_id"], "digits": digits_for(&challenge, "999999")}))
        .await;
    assert_eq!(response.status(), 401);

    let response = app
        .post_json(
            "/auth/login/challenge",
            None,
            &json!({"challenge_id": "x", "digits": ["1", "a"]}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    let fields = error_fields(&problem);
    assert_eq!(fields, vec!["digits", "digits[1]"]);

    for _ in 0..3 {
        assert_eq!(
            app.start_login(ALLY_PALLY, "still wrong").await.status(),
            401
        );
    }
    // Five failures in a row: the right password no longer opens the account.
    let response = app.start_login(ALLY_PALLY, "portal-demo-2022").await;
    assert_eq!(response.status(), 403);
    let problem: Value = response.json().await.unwrap();
    assert!(problem["detail"].as_str().unwrap().contains("locked"));
}

async fn missing_fields_are_named(db: Db) {
    let app = spawn_app(db).await;
    let response = app
        .post_json("/auth/login", None, &json!({"email": " ", "password": ""}))
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    let fields = error_fields(&problem);
    assert_eq!(fields, vec!["email", "password"]);
    let response = app
        .post_json("/auth/login", None, &json!({"email": "a@b.c"}))
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["password"]);
    assert_eq!(problem["errors"][0]["message"], "is required");
    // Every missing field is named at once, and a list is not taken for an object.
    let response = app.post_json("/auth/login", None, &json!({})).await;
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["email", "password"]);
    let response = app
        .post_json("/auth/login", None, &json!(["a@b.c", "secret"]))
        .await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(error_fields(&problem), ["body"]);
}

on_both_databases!(
    a_provider_signs_in_with_password_and_three_digits,
    wrong_secrets_are_refused_and_five_failures_lock,
    missing_fields_are_named,
);
