//! Signing in: email and password, then three digits of the six-digit security code at
//! positions the server chose and bound to this attempt (DOMAIN 14).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use portal_domain::security_code::DigitPositions;
use portal_dto::{
    ChallengeAnswer, LoginChallenge, LoginRequest, Me, OrganisationMembership, Problem,
    SessionToken,
};
use portal_store::audit::AuditEvent;
use portal_store::people::UserKind;
use portal_store::sessions::Rotation;
use portal_store::Store;
use rand::Rng;
use serde_json::json;
use time::format_description::well_known::Rfc3339;
use time::Duration;

use crate::auth::passwords::{triple_secret, Hasher};
use crate::auth::sessions::{
    cleared_cookie, new_refresh_token, presented_token, refresh_cookie, token_hash, IDLE_LIMIT,
    SESSION_LIMIT,
};
use crate::auth::tokens::TokenKeys;
use crate::auth::Caller;
use crate::clock::Clock;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::routes::problems::NotSignedIn;

/// How long the digits may take after the password.
const CHALLENGE_MINUTES: i64 = 5;
const WRONG_CREDENTIALS: &str = "The email address or password is not right.";
const LOCKED: &str =
    "Your account is locked. Ask your council's provider portal team to unlock it.";

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(login)
        .service(answer_challenge)
        .service(refresh)
        .service(logout)
        .service(current_user);
}

fn source_ip(request: &HttpRequest) -> Option<String> {
    request
        .connection_info()
        .realip_remote_addr()
        .map(str::to_owned)
}

async fn audit(
    store: &Store,
    user_id: Option<i64>,
    action: &str,
    request: &HttpRequest,
    detail: serde_json::Value,
) -> Result<(), ApiError> {
    store
        .audit(&AuditEvent {
            actor_user_id: user_id,
            action,
            entity_kind: "user",
            entity_id: user_id.map_or_else(|| "unknown".to_owned(), |id| id.to_string()),
            detail,
            source_ip: source_ip(request),
        })
        .await?;
    Ok(())
}

/// Step 1: check the password, and ask for three digits of the security code.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    security(()),
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Password accepted; answer the challenge", body = LoginChallenge),
        (status = 401, description = "Wrong email address or password", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Account locked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    request: HttpRequest,
    store: web::Data<Store>,
    hasher: web::Data<Hasher>,
    clock: web::Data<Clock>,
    body: ValidJson<LoginRequest>,
) -> Result<web::Json<LoginChallenge>, ApiError> {
    let LoginRequest { email, password } = body.0;
    let mut errors = Vec::new();
    if email.trim().is_empty() {
        errors.push(portal_dto::FieldError {
            field: "email".into(),
            message: "Enter your email address".into(),
        });
    }
    if password.is_empty() {
        errors.push(portal_dto::FieldError {
            field: "password".into(),
            message: "Enter your password".into(),
        });
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let Some(user) = store.user_by_email(&email).await? else {
        let hasher = hasher.clone();
        web::block(move || hasher.waste_a_verification())
            .await
            .map_err(anyhow::Error::from)?;
        audit(
            &store,
            None,
            "login.failed",
            &request,
            json!({ "reason": "unknown email" }),
        )
        .await?;
        return Err(ApiError::Unauthorized(WRONG_CREDENTIALS.into()));
    };
    let stored = user.password_hash.clone();
    let checker = hasher.clone();
    let password_ok = web::block(move || checker.verify(&password, &stored))
        .await
        .map_err(anyhow::Error::from)?;
    if !password_ok {
        let locked = store.record_sign_in_failure(user.id).await?;
        audit(
            &store,
            Some(user.id),
            "login.failed",
            &request,
            json!({ "reason": "password", "locked": locked }),
        )
        .await?;
        return Err(ApiError::Unauthorized(WRONG_CREDENTIALS.into()));
    }
    if user.is_locked {
        audit(
            &store,
            Some(user.id),
            "login.refused",
            &request,
            json!({ "reason": "locked" }),
        )
        .await?;
        return Err(ApiError::Forbidden(LOCKED.into()));
    }
    let positions = DigitPositions::choose(rand::thread_rng().gen());
    let challenge_id = uuid::Uuid::new_v4().to_string();
    let expires_at = clock.now() + Duration::minutes(CHALLENGE_MINUTES);
    store
        .create_login_challenge(&challenge_id, user.id, &positions.key(), expires_at)
        .await?;
    Ok(web::Json(LoginChallenge {
        challenge_id,
        positions: positions.positions().to_vec(),
        prompt: format!(
            "Please enter the {} digits from your six-digit security code.",
            positions.describe()
        ),
        expires_at: expires_at.format(&Rfc3339).map_err(anyhow::Error::from)?,
    }))
}

/// Step 2: answer the digit challenge, and receive an access token.
#[utoipa::path(
    tag = "auth",
    operation_id = "answer_login_challenge",
    security(()),
    request_body = ChallengeAnswer,
    responses(
        (status = 200, description = "Signed in", body = SessionToken),
        (status = 401, description = "Wrong digits, or the challenge expired or was used", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Account locked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Digits missing or not single digits", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login/challenge")]
pub async fn answer_challenge(
    request: HttpRequest,
    store: web::Data<Store>,
    hasher: web::Data<Hasher>,
    keys: web::Data<TokenKeys>,
    clock: web::Data<Clock>,
    body: ValidJson<ChallengeAnswer>,
) -> Result<HttpResponse, ApiError> {
    let ChallengeAnswer {
        challenge_id,
        digits,
    } = body.0;
    let mut errors = Vec::new();
    if digits.len() != 3 {
        errors.push(portal_dto::FieldError {
            field: "digits".into(),
            message: "Enter the three digits asked for".into(),
        });
    }
    for (index, digit) in digits.iter().enumerate() {
        let trimmed = digit.trim();
        if trimmed.len() != 1 || !trimmed.chars().all(|c| c.is_ascii_digit()) {
            errors.push(portal_dto::FieldError {
                field: format!("digits[{index}]"),
                message: "Enter a single digit, 0 to 9".into(),
            });
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let expired = || {
        ApiError::Unauthorized("This sign-in has expired or was already used. Start again.".into())
    };
    let challenge = store
        .take_login_challenge(&challenge_id)
        .await?
        .ok_or_else(expired)?;
    if challenge.expires_at < clock.now() {
        return Err(expired());
    }
    let user = store.user(challenge.user_id).await?.ok_or_else(expired)?;
    if user.is_locked {
        return Err(ApiError::Forbidden(LOCKED.into()));
    }
    let positions = DigitPositions::from_key(&challenge.positions)
        .ok_or_else(|| anyhow::anyhow!("stored challenge has bad positions"))?;
    let answer: String = digits.iter().map(|digit| digit.trim()).collect();
    let stored = store.security_code_hash(user.id, &positions.key()).await?;
    let checker = hasher.clone();
    let digits_ok = match stored {
        Some(stored) => {
            web::block(move || checker.verify(&triple_secret(positions, &answer), &stored))
                .await
                .map_err(anyhow::Error::from)?
        }
        None => false,
    };
    if !digits_ok {
        let locked = store.record_sign_in_failure(user.id).await?;
        audit(
            &store,
            Some(user.id),
            "login.failed",
            &request,
            json!({ "reason": "security code", "locked": locked }),
        )
        .await?;
        return Err(ApiError::Unauthorized(
            "Those digits are not right. Start again with your password.".into(),
        ));
    }
    store.record_sign_in_success(user.id).await?;
    audit(
        &store,
        Some(user.id),
        "login.succeeded",
        &request,
        json!({}),
    )
    .await?;
    let refresh_token = new_refresh_token();
    let now = clock.now();
    store
        .start_session(
            &uuid::Uuid::new_v4().to_string(),
            user.id,
            &token_hash(&refresh_token),
            now,
            now + IDLE_LIMIT,
        )
        .await?;
    signed_in(&store, &keys, &user, &refresh_token).await
}

/// The access token in the body, the refresh token in its cookie.
async fn signed_in(
    store: &Store,
    keys: &TokenKeys,
    user: &portal_store::people::UserRecord,
    refresh_token: &str,
) -> Result<HttpResponse, ApiError> {
    let me = who_is(store, user).await?;
    let organisation_ids = me
        .organisations
        .iter()
        .filter_map(|o| o.id.parse().ok())
        .collect();
    let access_token = keys.issue(user.id, user.kind.code(), organisation_ids, user.council_id)?;
    Ok(HttpResponse::Ok()
        .cookie(refresh_cookie(refresh_token))
        .json(SessionToken {
            access_token,
            token_type: "Bearer".into(),
            expires_in: keys.lifetime_seconds(),
            user: me,
        }))
}

/// Renews a session: the refresh token in the cookie is used up and replaced, and a fresh
/// access token comes back. A refresh token presented a second time ends its session
/// everywhere, since one of its holders is not its owner.
#[utoipa::path(
    tag = "auth",
    operation_id = "refresh_session",
    security(("refresh_cookie" = [])),
    responses(
        (status = 200, description = "A new access token; the cookie holds the next refresh token", body = SessionToken),
        (status = 401, description = "No live session: sign in again", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Account locked", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    request: HttpRequest,
    store: web::Data<Store>,
    keys: web::Data<TokenKeys>,
    clock: web::Data<Clock>,
) -> Result<HttpResponse, ApiError> {
    let ended = || ApiError::Unauthorized("Your session has ended. Sign in again.".into());
    let presented = presented_token(&request).ok_or_else(ended)?;
    let now = clock.now();
    let next = new_refresh_token();
    let rotation = store
        .rotate_refresh_token(
            &token_hash(&presented),
            &token_hash(&next),
            now,
            now + IDLE_LIMIT,
        )
        .await?;
    let (user_id, family_id) = match rotation {
        Rotation::Rotated { user_id, family_id } => (user_id, family_id),
        Rotation::Reused { user_id, family_id } => {
            audit(
                &store,
                Some(user_id),
                "session.reuse_detected",
                &request,
                json!({ "session": family_id }),
            )
            .await?;
            return Err(ended());
        }
        Rotation::Refused => return Err(ended()),
    };
    let started = store.session_started(&family_id).await?.ok_or_else(ended)?;
    if now - started > SESSION_LIMIT {
        store.end_session(&token_hash(&next), now).await?;
        return Err(ended());
    }
    let user = store.user(user_id).await?.ok_or_else(ended)?;
    if user.is_locked {
        store.end_session(&token_hash(&next), now).await?;
        return Err(ApiError::Forbidden(LOCKED.into()));
    }
    signed_in(&store, &keys, &user, &next).await
}

/// Signs out: the session's refresh tokens stop working and the cookie is cleared. The
/// access token in hand expires within minutes; the SPA forgets it at once.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    security(("refresh_cookie" = [])),
    responses((status = 204, description = "Signed out (also when there was no session)")),
)]
#[post("/auth/logout")]
pub async fn logout(
    request: HttpRequest,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
) -> Result<HttpResponse, ApiError> {
    if let Some(presented) = presented_token(&request) {
        if let Some(user_id) = store
            .end_session(&token_hash(&presented), clock.now())
            .await?
        {
            audit(&store, Some(user_id), "logout", &request, json!({})).await?;
        }
    }
    Ok(HttpResponse::NoContent().cookie(cleared_cookie()).finish())
}

async fn who_is(store: &Store, user: &portal_store::people::UserRecord) -> Result<Me, ApiError> {
    let organisations = match user.kind {
        UserKind::Provider => store
            .memberships(user.id)
            .await?
            .into_iter()
            .map(|membership| OrganisationMembership {
                id: membership.organisation_id.to_string(),
                name: membership.organisation_name,
                role: membership.role,
            })
            .collect(),
        UserKind::Council => Vec::new(),
    };
    Ok(Me {
        id: user.id.to_string(),
        name: user.name.clone(),
        email: user.email.clone(),
        kind: user.kind.code().to_owned(),
        organisations,
    })
}

/// Who the caller is, and the organisations it acts for.
#[utoipa::path(
    tag = "auth",
    operation_id = "me",
    responses(
        (status = 200, description = "The signed-in user", body = Me),
        NotSignedIn,
    )
)]
#[get("/me")]
pub async fn current_user(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<HttpResponse, ApiError> {
    let user = store
        .user(caller.user_id)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("Your account no longer exists.".into()))?;
    Ok(HttpResponse::Ok().json(who_is(&store, &user).await?))
}
