//! Signing in: email and password, then three digits of the six-digit security code at
//! positions the server chose and bound to this attempt (DOMAIN 14).

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use portal_domain::security_code::{DigitPositions, SecurityCode, SecurityCodeError};
use portal_dto::{
    ChallengeAnswer, ChangePassword, ChangeSecurityCode, ForgotPassword, LoginChallenge,
    LoginRequest, Me, NewPassword, NewSecurityCode, Notice, OrganisationMembership, OutboxMail,
    Page, Problem, ResetPassword, SessionToken,
};
use portal_store::audit::AuditEvent;
use portal_store::people::UserKind;
use portal_store::sessions::Rotation;
use portal_store::Store;
use rand::Rng;
use serde_json::json;
use time::format_description::well_known::Rfc3339;
use time::Duration;

use crate::auth::password_policy;
use crate::auth::passwords::{triple_secret, Hasher};
use crate::auth::sessions::{
    cleared_cookie, new_refresh_token, presented_token, refresh_cookie, token_hash, IDLE_LIMIT,
    SESSION_LIMIT,
};
use crate::auth::tokens::TokenKeys;
use crate::auth::totp;
use crate::auth::Caller;
use crate::clock::Clock;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::mail::Mailer;
use crate::routes::problems::NotSignedIn;

/// How long the digits may take after the password.
const CHALLENGE_MINUTES: i64 = 5;
const WRONG_CREDENTIALS: &str = "The email address or password is not right.";
/// DOMAIN 14: an account unused this long locks.
const INACTIVITY_LIMIT: Duration = Duration::days(90);
/// What a login challenge waits for.
const DIGITS: &str = "digits";
const SET_UP: &str = "set_up";
/// The second factors a sign-in challenge may accept, as the API names them.
const DIGITS_METHOD: &str = "security_code_digits";
const AUTHENTICATOR_METHOD: &str = "authenticator";

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(login)
        .service(answer_challenge)
        .service(first_sign_in_password)
        .service(first_sign_in_security_code)
        .service(refresh)
        .service(logout)
        .service(change_password)
        .service(change_security_code)
        .service(forgot_password)
        .service(reset_password)
        .service(demo_outbox)
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
            actor_tool_id: None,
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
        count_failure(&store, &user, "password", &request).await?;
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
        return Err(locked(&store, user.id).await?);
    }
    // DOMAIN 14: an account unused for 90 days locks; council staff unlock it.
    if clock.now() - user.last_used() > INACTIVITY_LIMIT {
        if store.lock_account(user.id, "inactive").await? {
            audit(
                &store,
                Some(user.id),
                "account.locked",
                &request,
                json!({ "reason": "inactive", "days_unused": (clock.now() - user.last_used()).whole_days() }),
            )
            .await?;
        }
        return Err(locked(&store, user.id).await?);
    }
    let challenge_id = uuid::Uuid::new_v4().to_string();
    let expires_at = clock.now() + Duration::minutes(CHALLENGE_MINUTES);
    let expires_text = expires_at.format(&Rfc3339).map_err(anyhow::Error::from)?;
    if user.needs_set_up() {
        store
            .create_login_challenge(&challenge_id, user.id, "", SET_UP, "", expires_at)
            .await?;
        return Ok(web::Json(LoginChallenge {
            challenge_id,
            positions: Vec::new(),
            prompt: if user.must_change_password {
                "This is your first sign-in. Choose a new password, then your six-digit security code."
            } else {
                "Choose your six-digit security code."
            }
            .to_owned(),
            expires_at: expires_text,
            next_step: "first_sign_in".to_owned(),
            must_change_password: user.must_change_password,
            methods: Vec::new(),
        }));
    }
    let methods = second_factors(&store, user.id).await?;
    let positions = DigitPositions::choose(rand::thread_rng().gen());
    store
        .create_login_challenge(
            &challenge_id,
            user.id,
            &positions.key(),
            DIGITS,
            &methods.join(" "),
            expires_at,
        )
        .await?;
    let digits_allowed = methods.contains(&DIGITS_METHOD);
    let digits_prompt = format!(
        "Please enter the {} digits from your six-digit security code.",
        positions.describe()
    );
    Ok(web::Json(LoginChallenge {
        challenge_id,
        positions: if digits_allowed {
            positions.positions().to_vec()
        } else {
            Vec::new()
        },
        prompt: if methods[0] == AUTHENTICATOR_METHOD {
            "Enter the six-digit code your authenticator app shows.".to_owned()
        } else {
            digits_prompt
        },
        expires_at: expires_text,
        next_step: methods[0].to_owned(),
        must_change_password: false,
        methods: methods.iter().map(|method| (*method).to_owned()).collect(),
    }))
}

/// The second factors a sign-in accepts, the suggested one first, from the council's
/// policy and whether the person has an authenticator. Under an `authenticator` policy a
/// person not yet enrolled signs in with digits, and the home page asks them to enrol.
async fn second_factors(store: &Store, user_id: i64) -> Result<Vec<&'static str>, ApiError> {
    let policy = store.second_factor_policy(user_id).await?;
    let enrolled = store
        .authenticator(user_id)
        .await?
        .is_some_and(|authenticator| authenticator.confirmed);
    Ok(match (policy.as_str(), enrolled) {
        ("digits", _) | (_, false) => vec![DIGITS_METHOD],
        ("authenticator", true) => vec![AUTHENTICATOR_METHOD],
        (_, true) => vec![AUTHENTICATOR_METHOD, DIGITS_METHOD],
    })
}

/// Counts a failed secret; the failure that locks the account is audited as a lock too.
async fn count_failure(
    store: &Store,
    user: &portal_store::people::UserRecord,
    reason: &str,
    request: &HttpRequest,
) -> Result<(), ApiError> {
    let now_locked = store.record_sign_in_failure(user.id).await?;
    audit(
        store,
        Some(user.id),
        "login.failed",
        request,
        json!({ "reason": reason, "locked": now_locked }),
    )
    .await?;
    if now_locked && !user.is_locked {
        audit(
            store,
            Some(user.id),
            "account.locked",
            request,
            json!({ "reason": "failures" }),
        )
        .await?;
    }
    Ok(())
}

/// 403 for a locked account, saying whom to ask.
async fn locked(store: &Store, user_id: i64) -> Result<ApiError, ApiError> {
    let help = match store.help_contact(user_id).await? {
        Some((council, email, phone)) => {
            let ways: Vec<String> = [email, phone]
                .into_iter()
                .filter(|way| !way.trim().is_empty())
                .collect();
            if ways.is_empty() {
                format!(" Contact {council} to unlock it.")
            } else {
                format!(" Contact {council} to unlock it: {}.", ways.join(" or "))
            }
        }
        None => " Ask your council's provider portal team to unlock it.".to_owned(),
    };
    Ok(ApiError::Forbidden(format!(
        "Your account is locked.{help}"
    )))
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
        authenticator_code,
        recovery_code,
    } = body.0;
    let answer = second_factor_answer(digits, authenticator_code, recovery_code)?;
    let expired = || {
        ApiError::Unauthorized("This sign-in has expired or was already used. Start again.".into())
    };
    let challenge = store
        .take_login_challenge(&challenge_id, DIGITS)
        .await?
        .ok_or_else(expired)?;
    if challenge.expires_at < clock.now() {
        return Err(expired());
    }
    let user = store.user(challenge.user_id).await?.ok_or_else(expired)?;
    if user.is_locked {
        return Err(locked(&store, user.id).await?);
    }
    let accepts = |method: &str| challenge.methods.split_whitespace().any(|m| m == method);
    let wrong = if matches!(answer, SecondFactor::Digits(_)) {
        "Those digits are not right. Start again with your password."
    } else {
        "That code is not right. Start again with your password."
    };
    let passed = match answer {
        SecondFactor::Digits(answer) => {
            if !accepts(DIGITS_METHOD) {
                return Err(ApiError::invalid(
                    "authenticator_code",
                    "Your council asks for the code from your authenticator app",
                ));
            }
            let positions = DigitPositions::from_key(&challenge.positions)
                .ok_or_else(|| anyhow::anyhow!("stored challenge has bad positions"))?;
            let stored = store.security_code_hash(user.id, &positions.key()).await?;
            let checker = hasher.clone();
            match stored {
                Some(stored) => {
                    web::block(move || checker.verify(&triple_secret(positions, &answer), &stored))
                        .await
                        .map_err(anyhow::Error::from)?
                }
                None => false,
            }
        }
        SecondFactor::Authenticator(code) => {
            if !accepts(AUTHENTICATOR_METHOD) {
                return Err(ApiError::invalid(
                    "digits",
                    "Enter the digits of your security code asked for",
                ));
            }
            let step = store
                .authenticator(user.id)
                .await?
                .filter(|authenticator| authenticator.confirmed)
                .and_then(|authenticator| {
                    totp::matching_step(&authenticator.secret, &code, clock.now())
                });
            // A code is good once: a replay within its 30 seconds fails like a wrong one.
            match step {
                Some(step) => store.use_authenticator_step(user.id, step).await?,
                None => false,
            }
        }
        SecondFactor::Recovery(code) => {
            if !accepts(AUTHENTICATOR_METHOD) {
                return Err(ApiError::invalid(
                    "recovery_code",
                    "Recovery codes stand in for an authenticator app, which this sign-in does not use",
                ));
            }
            let used = store
                .use_recovery_code(user.id, &token_hash(&totp::normalise_recovery_code(&code)))
                .await?;
            if used {
                audit(
                    &store,
                    Some(user.id),
                    "login.recovery_code_used",
                    &request,
                    json!({}),
                )
                .await?;
            }
            used
        }
    };
    if !passed {
        count_failure(&store, &user, "second factor", &request).await?;
        return Err(ApiError::Unauthorized(wrong.into()));
    }
    complete_sign_in(&store, &keys, &clock, &user, &request).await
}

/// One answer to a sign-in challenge, checked for shape.
enum SecondFactor {
    Digits(String),
    Authenticator(String),
    Recovery(String),
}

/// Exactly one of the three answers, well formed; every bad field named otherwise.
fn second_factor_answer(
    digits: Vec<String>,
    authenticator_code: Option<String>,
    recovery_code: Option<String>,
) -> Result<SecondFactor, ApiError> {
    let authenticator_code = authenticator_code.filter(|code| !code.trim().is_empty());
    let recovery_code = recovery_code.filter(|code| !code.trim().is_empty());
    let given = usize::from(!digits.is_empty())
        + usize::from(authenticator_code.is_some())
        + usize::from(recovery_code.is_some());
    if given != 1 {
        return Err(ApiError::invalid(
            "digits",
            "Enter the three digits asked for, or the code from your authenticator app",
        ));
    }
    if let Some(code) = authenticator_code {
        let code = code.trim().replace(' ', "");
        if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
            return Err(ApiError::invalid(
                "authenticator_code",
                "Enter the six digits your authenticator app shows",
            ));
        }
        return Ok(SecondFactor::Authenticator(code));
    }
    if let Some(code) = recovery_code {
        if totp::normalise_recovery_code(&code).len() != 19 {
            return Err(ApiError::invalid(
                "recovery_code",
                "Enter a recovery code like K7QF-2M4X-PL9A-3RTD",
            ));
        }
        return Ok(SecondFactor::Recovery(code));
    }
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
    Ok(SecondFactor::Digits(
        digits.iter().map(|digit| digit.trim()).collect(),
    ))
}

/// Both factors passed: the sign-in is recorded and a session starts.
async fn complete_sign_in(
    store: &Store,
    keys: &TokenKeys,
    clock: &Clock,
    user: &portal_store::people::UserRecord,
    request: &HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let now = clock.now();
    store.record_sign_in_success(user.id, now).await?;
    audit(store, Some(user.id), "login.succeeded", request, json!({})).await?;
    let refresh_token = new_refresh_token();
    let family_id = uuid::Uuid::new_v4().to_string();
    store
        .start_session(
            &family_id,
            user.id,
            &token_hash(&refresh_token),
            now,
            now + IDLE_LIMIT,
        )
        .await?;
    signed_in(store, keys, user, &family_id, &refresh_token).await
}

/// The account waiting at a first sign-in, while its challenge is open.
async fn setting_up(
    store: &Store,
    clock: &Clock,
    challenge_id: &str,
) -> Result<portal_store::people::UserRecord, ApiError> {
    let expired = || {
        ApiError::Unauthorized("This sign-in has expired or was already used. Start again.".into())
    };
    let challenge = store
        .open_set_up_challenge(challenge_id)
        .await?
        .ok_or_else(expired)?;
    if challenge.expires_at < clock.now() {
        return Err(expired());
    }
    let user = store.user(challenge.user_id).await?.ok_or_else(expired)?;
    if user.is_locked {
        return Err(locked(store, user.id).await?);
    }
    Ok(user)
}

/// First sign-in, step 1: the person's own password replaces the one they were given.
#[utoipa::path(
    tag = "auth",
    operation_id = "first_sign_in_password",
    security(()),
    request_body = NewPassword,
    responses(
        (status = 204, description = "Password changed; now choose the security code"),
        (status = 401, description = "The sign-in expired or was used; start again", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Account locked", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The password was already changed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password breaks a rule (each rule its own message)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/first-sign-in/password")]
pub async fn first_sign_in_password(
    request: HttpRequest,
    store: web::Data<Store>,
    hasher: web::Data<Hasher>,
    clock: web::Data<Clock>,
    body: ValidJson<NewPassword>,
) -> Result<HttpResponse, ApiError> {
    let NewPassword {
        challenge_id,
        new_password,
    } = body.0;
    let user = setting_up(&store, &clock, &challenge_id).await?;
    if !user.must_change_password {
        return Err(ApiError::Conflict(
            "Your password is already changed: choose your security code.".into(),
        ));
    }
    let mut problems = password_policy::problems(&new_password, &user.email, &user.name);
    let (checker, stored, candidate) = (
        hasher.clone(),
        user.password_hash.clone(),
        new_password.clone(),
    );
    if problems.is_empty()
        && web::block(move || checker.verify(&candidate, &stored))
            .await
            .map_err(anyhow::Error::from)?
    {
        problems.push("Your new password must be different from the one you were given".to_owned());
    }
    if !problems.is_empty() {
        return Err(ApiError::Validation(new_password_errors(problems)));
    }
    let hasher = hasher.clone();
    let hash = web::block(move || hasher.hash(&new_password))
        .await
        .map_err(anyhow::Error::from)?;
    store.replace_temporary_password(user.id, &hash).await?;
    audit(
        &store,
        Some(user.id),
        "password.changed",
        &request,
        json!({ "at": "first sign-in" }),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// First sign-in, step 2: the six-digit security code (DOMAIN 14), entered twice. The
/// account is then ready, and signed in.
#[utoipa::path(
    tag = "auth",
    operation_id = "first_sign_in_security_code",
    security(()),
    request_body = NewSecurityCode,
    responses(
        (status = 200, description = "Security code set; signed in", body = SessionToken),
        (status = 401, description = "The sign-in expired or was used; start again", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Account locked", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Choose a new password first", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The code breaks a rule (each rule its own message)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/first-sign-in/security-code")]
pub async fn first_sign_in_security_code(
    request: HttpRequest,
    store: web::Data<Store>,
    hasher: web::Data<Hasher>,
    keys: web::Data<TokenKeys>,
    clock: web::Data<Clock>,
    body: ValidJson<NewSecurityCode>,
) -> Result<HttpResponse, ApiError> {
    let NewSecurityCode {
        challenge_id,
        security_code,
        security_code_confirmation,
    } = body.0;
    let user = setting_up(&store, &clock, &challenge_id).await?;
    if user.must_change_password {
        return Err(ApiError::Conflict("Choose your new password first.".into()));
    }
    let code = checked_security_code(
        &store,
        &hasher,
        user.id,
        &security_code,
        &security_code_confirmation,
        Vec::new(),
    )
    .await?;
    let hasher = hasher.clone();
    let hashes = web::block(move || hasher.security_code_hashes(&code))
        .await
        .map_err(anyhow::Error::from)?;
    // The challenge is used up only now, so a refused code can be tried again.
    if store
        .take_login_challenge(&challenge_id, SET_UP)
        .await?
        .is_none()
    {
        return Err(ApiError::Unauthorized(
            "This sign-in has expired or was already used. Start again.".into(),
        ));
    }
    store.finish_set_up(user.id, &hashes).await?;
    audit(
        &store,
        Some(user.id),
        "security_code.changed",
        &request,
        json!({ "at": "first sign-in" }),
    )
    .await?;
    let user = store
        .user(user.id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("user vanished"))?;
    complete_sign_in(&store, &keys, &clock, &user, &request).await
}

/// Checks a signed-in user's password again before a change to their secrets (ASVS 2.x:
/// re-authentication). A wrong one counts as a failure, towards the lock.
pub(crate) async fn current_password_error(
    store: &Store,
    hasher: &Hasher,
    user: &portal_store::people::UserRecord,
    password: &str,
    request: &HttpRequest,
) -> Result<Option<portal_dto::FieldError>, ApiError> {
    let (checker, stored, typed) = (
        hasher.clone(),
        user.password_hash.clone(),
        password.to_owned(),
    );
    let right = !password.is_empty()
        && web::block(move || checker.verify(&typed, &stored))
            .await
            .map_err(anyhow::Error::from)?;
    if right {
        return Ok(None);
    }
    if !password.is_empty() {
        count_failure(store, user, "password", request).await?;
    }
    Ok(Some(portal_dto::FieldError {
        field: "current_password".into(),
        message: if password.is_empty() {
            "Enter your current password".into()
        } else {
            "Your current password is not right".into()
        },
    }))
}

/// The signed-in user, for changes to their own secrets.
pub(crate) async fn signed_in_user(
    store: &Store,
    caller: &Caller,
) -> Result<portal_store::people::UserRecord, ApiError> {
    let user = store
        .user(caller.person_id()?)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("Your account no longer exists.".into()))?;
    if user.is_locked {
        return Err(locked(store, user.id).await?);
    }
    Ok(user)
}

/// Changes the signed-in user's password. Every other session of theirs ends; this one
/// (the refresh cookie's) goes on.
#[utoipa::path(
    tag = "auth",
    operation_id = "change_password",
    request_body = ChangePassword,
    responses(
        (status = 204, description = "Changed; other sessions ended"),
        NotSignedIn,
        (status = 403, description = "Account locked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong current password, or the new one breaks a rule", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password")]
pub async fn change_password(
    request: HttpRequest,
    caller: Caller,
    store: web::Data<Store>,
    hasher: web::Data<Hasher>,
    clock: web::Data<Clock>,
    body: ValidJson<ChangePassword>,
) -> Result<HttpResponse, ApiError> {
    let ChangePassword {
        current_password,
        new_password,
    } = body.0;
    let user = signed_in_user(&store, &caller).await?;
    let mut errors: Vec<portal_dto::FieldError> =
        current_password_error(&store, &hasher, &user, &current_password, &request)
            .await?
            .into_iter()
            .collect();
    let mut problems = password_policy::problems(&new_password, &user.email, &user.name);
    if problems.is_empty() && new_password == current_password {
        problems.push("Your new password must be different from your current one".to_owned());
    }
    errors.extend(new_password_errors(problems));
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let hasher = hasher.clone();
    let hash = web::block(move || hasher.hash(&new_password))
        .await
        .map_err(anyhow::Error::from)?;
    store
        .change_password(user.id, &hash, &caller.actor())
        .await?;
    let keep = match presented_token(&request) {
        Some(token) => store.session_of(&token_hash(&token)).await?,
        None => None,
    };
    let ended = store
        .end_other_sessions(user.id, keep.as_deref(), "password changed", clock.now())
        .await?;
    audit(
        &store,
        Some(user.id),
        "session.others_ended",
        &request,
        json!({ "sessions": ended }),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Changes the signed-in user's security code (every rule of DOMAIN 14, and not the current
/// code), confirmed by their password.
#[utoipa::path(
    tag = "auth",
    operation_id = "change_security_code",
    request_body = ChangeSecurityCode,
    responses(
        (status = 204, description = "Changed"),
        NotSignedIn,
        (status = 403, description = "Account locked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong current password, or the code breaks a rule (each its own message)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/security-code")]
pub async fn change_security_code(
    request: HttpRequest,
    caller: Caller,
    store: web::Data<Store>,
    hasher: web::Data<Hasher>,
    body: ValidJson<ChangeSecurityCode>,
) -> Result<HttpResponse, ApiError> {
    let ChangeSecurityCode {
        current_password,
        security_code,
        security_code_confirmation,
    } = body.0;
    let user = signed_in_user(&store, &caller).await?;
    let errors = current_password_error(&store, &hasher, &user, &current_password, &request)
        .await?
        .into_iter()
        .collect();
    let code = checked_security_code(
        &store,
        &hasher,
        user.id,
        &security_code,
        &security_code_confirmation,
        errors,
    )
    .await?;
    let hasher = hasher.clone();
    let hashes = web::block(move || hasher.security_code_hashes(&code))
        .await
        .map_err(anyhow::Error::from)?;
    store.set_security_code_hashes(user.id, &hashes).await?;
    audit(
        &store,
        Some(user.id),
        "security_code.changed",
        &request,
        json!({}),
    )
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The password policy's sentences, as errors of the `new_password` field.
fn new_password_errors(problems: Vec<String>) -> Vec<portal_dto::FieldError> {
    problems
        .into_iter()
        .map(|message| portal_dto::FieldError {
            field: "new_password".into(),
            message,
        })
        .collect()
}

/// How long a reset link works.
const RESET_MINUTES: i64 = 30;
const RESET_SENT: &str = "If that email address has an account, we have sent it a link to reset the password. The link works once, for 30 minutes.";

/// "Forgot password": mails a single-use link, valid for 30 minutes. The answer is the same
/// whether or not the address has an account.
#[utoipa::path(
    tag = "auth",
    operation_id = "forgot_password",
    security(()),
    request_body = ForgotPassword,
    responses(
        (status = 202, description = "The same answer whether or not the account exists", body = Notice),
        (status = 422, description = "No email address", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/forgot-password")]
pub async fn forgot_password(
    request: HttpRequest,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    mailer: web::Data<Mailer>,
    body: ValidJson<ForgotPassword>,
) -> Result<HttpResponse, ApiError> {
    let email = body.0.email.trim().to_owned();
    if email.is_empty() {
        return Err(ApiError::invalid("email", "Enter your email address"));
    }
    if let Some(user) = store.user_by_email(&email).await? {
        let token = new_refresh_token();
        let now = clock.now();
        store
            .create_password_reset(
                &token_hash(&token),
                user.id,
                now,
                now + Duration::minutes(RESET_MINUTES),
            )
            .await?;
        let link = format!("{}/reset-password?token={token}", mailer.public_url);
        let body = format!(
            "Dear {},\n\nSomeone, probably you, asked to reset the password of your Care Provider Portal account.\n\n\
To choose a new password, open this link within 30 minutes. It works once:\n\n{link}\n\n\
If you did not ask, ignore this mail: your password stays as it is.\n",
            user.name
        );
        mailer
            .send(
                &store,
                &user.email,
                "Reset your Care Provider Portal password",
                &body,
            )
            .await?;
        audit(
            &store,
            Some(user.id),
            "password_reset.requested",
            &request,
            json!({}),
        )
        .await?;
    } else {
        audit(
            &store,
            None,
            "password_reset.requested",
            &request,
            json!({ "reason": "unknown email" }),
        )
        .await?;
    }
    Ok(HttpResponse::Accepted().json(Notice {
        message: RESET_SENT.to_owned(),
    }))
}

/// Sets a new password from a reset link. The link is used up; every session of the account
/// ends. A locked account stays locked (council staff unlock it).
#[utoipa::path(
    tag = "auth",
    operation_id = "reset_password",
    security(()),
    request_body = ResetPassword,
    responses(
        (status = 204, description = "Password reset; sign in with it"),
        (status = 422, description = "The link expired or was used, or the password breaks a rule", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/reset-password")]
pub async fn reset_password(
    request: HttpRequest,
    store: web::Data<Store>,
    hasher: web::Data<Hasher>,
    clock: web::Data<Clock>,
    body: ValidJson<ResetPassword>,
) -> Result<HttpResponse, ApiError> {
    let ResetPassword {
        token,
        new_password,
    } = body.0;
    let hash_of_token = token_hash(token.trim());
    let dead_link = || {
        ApiError::invalid(
            "token",
            "This reset link has expired or was already used. Ask for a new one.",
        )
    };
    let user_id = store
        .live_password_reset(&hash_of_token, clock.now())
        .await?
        .ok_or_else(dead_link)?;
    let user = store.user(user_id).await?.ok_or_else(dead_link)?;
    let problems = password_policy::problems(&new_password, &user.email, &user.name);
    if !problems.is_empty() {
        return Err(ApiError::Validation(new_password_errors(problems)));
    }
    // Used up only now, so a refused password leaves the link working.
    if store
        .take_password_reset(&hash_of_token, clock.now())
        .await?
        .is_none()
    {
        return Err(dead_link());
    }
    let hasher = hasher.clone();
    let hash = web::block(move || hasher.hash(&new_password))
        .await
        .map_err(anyhow::Error::from)?;
    store.reset_password(user.id, &hash).await?;
    store
        .end_other_sessions(user.id, None, "password reset", clock.now())
        .await?;
    audit(&store, Some(user.id), "password.reset", &request, json!({})).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The demo's outbox: the mail the portal would have sent, newest first. Only a demo
/// server without an SMTP server has one; elsewhere this is 404.
#[utoipa::path(
    tag = "auth",
    operation_id = "demo_outbox",
    security(()),
    responses(
        (status = 200, description = "The newest 50 mails", body = Page<OutboxMail>),
        (status = 404, description = "Not a demo, or mail goes out by SMTP", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/demo/outbox")]
pub async fn demo_outbox(
    store: web::Data<Store>,
    mailer: web::Data<Mailer>,
) -> Result<web::Json<Page<OutboxMail>>, ApiError> {
    if !mailer.shows_outbox() {
        return Err(ApiError::NotFound("outbox"));
    }
    let items = store
        .outbox(50)
        .await?
        .into_iter()
        .map(|mail| OutboxMail {
            id: mail.id.to_string(),
            to: mail.to_address,
            subject: mail.subject,
            body: mail.body,
            created_at: mail.created_at,
        })
        .collect();
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// A new security code that keeps every rule of DOMAIN 14, differs from the current one and
/// matches its confirmation; otherwise every broken rule, after `errors` found before.
async fn checked_security_code(
    store: &Store,
    hasher: &Hasher,
    user_id: i64,
    security_code: &str,
    confirmation: &str,
    mut errors: Vec<portal_dto::FieldError>,
) -> Result<SecurityCode, ApiError> {
    let code = match SecurityCode::parse(security_code.trim(), None) {
        Ok(code) => Some(code),
        Err(broken) => {
            errors.extend(broken.into_iter().map(|rule| portal_dto::FieldError {
                field: "security_code".into(),
                message: rule.to_string(),
            }));
            None
        }
    };
    if let Some(code) = &code {
        if is_current_code(store, hasher, user_id, code).await? {
            errors.push(portal_dto::FieldError {
                field: "security_code".into(),
                message: SecurityCodeError::SameAsPrevious.to_string(),
            });
        }
    }
    if confirmation.trim() != security_code.trim() {
        errors.push(portal_dto::FieldError {
            field: "security_code_confirmation".into(),
            message: "The two security codes do not match".into(),
        });
    }
    match code {
        Some(code) if errors.is_empty() => Ok(code),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// Whether `code` is the account's current security code: the hashes of two disjoint
/// triples both verify. The code itself is never stored, so this is the only way to know.
async fn is_current_code(
    store: &Store,
    hasher: &Hasher,
    user_id: i64,
    code: &SecurityCode,
) -> Result<bool, ApiError> {
    for triple in ["1,2,3", "4,5,6"] {
        let positions = DigitPositions::from_key(triple)
            .ok_or_else(|| anyhow::anyhow!("bad positions {triple}"))?;
        let Some(stored) = store.security_code_hash(user_id, &positions.key()).await? else {
            return Ok(false);
        };
        let (checker, secret) = (
            hasher.clone(),
            triple_secret(positions, &code.digits_at(positions)),
        );
        let matches = web::block(move || checker.verify(&secret, &stored))
            .await
            .map_err(anyhow::Error::from)?;
        if !matches {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The access token in the body, the refresh token in its cookie.
async fn signed_in(
    store: &Store,
    keys: &TokenKeys,
    user: &portal_store::people::UserRecord,
    session_id: &str,
    refresh_token: &str,
) -> Result<HttpResponse, ApiError> {
    let me = who_is(store, user).await?;
    let roles = me
        .organisations
        .iter()
        .filter_map(|o| Some((o.id.parse().ok()?, o.role.clone())))
        .collect();
    let access_token = keys.issue(
        user.id,
        user.kind.code(),
        roles,
        user.council_id,
        session_id,
    )?;
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
        return Err(locked(&store, user.id).await?);
    }
    signed_in(&store, &keys, &user, &family_id, &next).await
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

pub(crate) async fn who_is(
    store: &Store,
    user: &portal_store::people::UserRecord,
) -> Result<Me, ApiError> {
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
    let authenticator_enrolled = store
        .authenticator(user.id)
        .await?
        .is_some_and(|authenticator| authenticator.confirmed);
    Ok(Me {
        id: user.id.to_string(),
        name: user.name.clone(),
        email: user.email.clone(),
        kind: user.kind.code().to_owned(),
        organisations,
        second_factor_policy: store.second_factor_policy(user.id).await?,
        authenticator_enrolled,
        recovery_codes_left: store.recovery_codes_left(user.id).await?,
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
        .user(caller.person_id()?)
        .await?
        .ok_or_else(|| ApiError::Unauthorized("Your account no longer exists.".into()))?;
    Ok(HttpResponse::Ok().json(who_is(&store, &user).await?))
}
