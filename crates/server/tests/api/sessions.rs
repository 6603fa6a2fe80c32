//! Sessions: refresh tokens rotate on each use, a reused one ends the session everywhere,
//! signing out ends it, and sessions die after 15 idle minutes and after 12 hours.

use serde_json::Value;
use time::Duration;

use crate::helpers::{refresh_cookie, spawn_app, Db, ALLY_PALLY};
use crate::on_both_databases;

async fn a_refresh_rotates_the_token_and_a_reused_one_ends_the_session(db: Db) {
    let app = spawn_app(db).await;
    let (_, first) = app.login_session(ALLY_PALLY).await;

    let response = app.refresh(&first).await;
    assert_eq!(response.status(), 200);
    let second = refresh_cookie(&response).expect("a refresh hands over the next token");
    assert_ne!(second, first, "each refresh token is used once");
    let session: Value = response.json().await.unwrap();
    assert_eq!(session["user"]["email"], ALLY_PALLY);
    let access = session["access_token"].as_str().unwrap();
    assert_eq!(app.get("/me", access).await.status(), 200);

    let response = app.refresh(&second).await;
    assert_eq!(response.status(), 200);
    let third = refresh_cookie(&response).unwrap();

    // Someone presents the first token again: a copy was taken, so the whole session ends,
    // for the thief and for the owner alike.
    let response = app.refresh(&first).await;
    assert_eq!(response.status(), 401);
    assert_eq!(app.refresh(&third).await.status(), 401);
    let user = app.store.user_by_email(ALLY_PALLY).await.unwrap().unwrap();
    let actions = app
        .store
        .audit_actions("user", &user.id.to_string())
        .await
        .unwrap();
    assert!(actions.contains(&"session.reuse_detected".to_owned()));

    // Another session of the same user is untouched.
    let (_, other) = app.login_session(ALLY_PALLY).await;
    assert_eq!(app.refresh(&other).await.status(), 200);
}

async fn signing_out_ends_the_session_and_clears_the_cookie(db: Db) {
    let app = spawn_app(db).await;
    let (access, refresh) = app.login_session(ALLY_PALLY).await;
    let (other_access, _) = app.login_session(ALLY_PALLY).await;
    assert_eq!(app.get("/me", &access).await.status(), 200);
    let response = app
        .client
        .post(app.url("/auth/logout"))
        .header("Cookie", format!("portal_refresh={refresh}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let cleared = response
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    assert!(cleared.starts_with("portal_refresh=;"), "{cleared}");
    assert!(cleared.contains("Max-Age=0"), "{cleared}");
    assert_eq!(app.refresh(&refresh).await.status(), 401);
    // The access token in hand ends with its session, not minutes later; another
    // session of the same person goes on.
    assert_eq!(app.get("/me", &access).await.status(), 401);
    assert_eq!(app.get("/me", &other_access).await.status(), 200);

    // Without a cookie there is nothing to end, and nothing goes wrong.
    let response = app
        .client
        .post(app.url("/auth/logout"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 204);
    let response = app
        .client
        .post(app.url("/auth/refresh"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 401);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["detail"], "Your session has ended. Sign in again.");
}

async fn a_session_ends_after_fifteen_idle_minutes_and_after_twelve_hours(db: Db) {
    let app = spawn_app(db).await;
    let (_, refresh) = app.login_session(ALLY_PALLY).await;
    app.clock.advance(Duration::minutes(16));
    assert_eq!(app.refresh(&refresh).await.status(), 401, "idle too long");

    // A busy user, refreshing every 14 minutes, is still asked to sign in after 12 hours.
    let (_, mut refresh) = app.login_session(ALLY_PALLY).await;
    let mut renewed = 0;
    loop {
        app.clock.advance(Duration::minutes(14));
        let response = app.refresh(&refresh).await;
        if response.status() != 200 {
            assert_eq!(response.status(), 401);
            break;
        }
        refresh = refresh_cookie(&response).unwrap();
        renewed += 1;
    }
    assert_eq!(renewed, 12 * 60 / 14, "renewed until the twelfth hour");
}

on_both_databases!(
    a_refresh_rotates_the_token_and_a_reused_one_ends_the_session,
    signing_out_ends_the_session_and_clears_the_cookie,
    a_session_ends_after_fifteen_idle_minutes_and_after_twelve_hours,
);
