//! Self-service for the authenticator app (TOTP): set it up by QR code or typed secret,
//! confirm it with a code it shows (which gives one-time recovery codes), or remove it.
//! A person's council decides whether sign-in then asks for it (`second_factor_policy`).

use actix_web::{post, web, HttpRequest, HttpResponse};
use portal_dto::{
    AuthenticatorEnrolment, ConfirmAuthenticator, Problem, RecoveryCodes, RemoveAuthenticator,
};
use portal_store::Store;

use crate::auth::passwords::Hasher;
use crate::auth::sessions::token_hash;
use crate::auth::{totp, Caller};
use crate::clock::Clock;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::routes::auth::{current_password_error, signed_in_user};
use crate::routes::problems::{Invalid, NotSignedIn};

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(begin_enrolment)
        .service(confirm_enrolment)
        .service(remove_authenticator);
}

/// Starts setting up an authenticator app: a new secret, as a QR code and as text. It
/// takes effect only once confirmed; starting again replaces an unconfirmed secret.
#[utoipa::path(
    tag = "auth", operation_id = "begin_authenticator_enrolment",
    responses(
        (status = 200, description = "Scan the QR code, or type the secret, into the app", body = AuthenticatorEnrolment),
        NotSignedIn,
        (status = 403, description = "A tool, or a locked account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An authenticator is already set up: remove it first", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/authenticator")]
pub async fn begin_enrolment(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<AuthenticatorEnrolment>, ApiError> {
    let user = signed_in_user(&store, &caller).await?;
    let secret = totp::new_secret();
    if !store
        .begin_authenticator_enrolment(user.id, &secret)
        .await?
    {
        return Err(ApiError::Conflict(
            "You already have an authenticator app set up. Remove it first to set up another."
                .into(),
        ));
    }
    let otpauth_uri = totp::otpauth_uri(&secret, &user.email);
    let qr_svg = totp::qr_svg(&otpauth_uri)?;
    Ok(web::Json(AuthenticatorEnrolment {
        secret,
        otpauth_uri,
        qr_svg,
    }))
}

/// Confirms the app with a code it shows now. The answer holds ten one-time recovery
/// codes, shown only here.
#[utoipa::path(
    tag = "auth", operation_id = "confirm_authenticator",
    request_body = ConfirmAuthenticator,
    responses(
        (status = 200, description = "Set up; keep the recovery codes somewhere safe", body = RecoveryCodes),
        NotSignedIn,
        (status = 403, description = "A tool, or a locked account", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing waiting to be confirmed: start again", body = Problem, content_type = "application/problem+json"),
        Invalid,
    )
)]
#[post("/auth/authenticator/confirm")]
pub async fn confirm_enrolment(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    body: ValidJson<ConfirmAuthenticator>,
) -> Result<web::Json<RecoveryCodes>, ApiError> {
    let user = signed_in_user(&store, &caller).await?;
    let code = body.0.code.trim().replace(' ', "");
    if code.len() != 6 || !code.chars().all(|c| c.is_ascii_digit()) {
        return Err(ApiError::invalid(
            "code",
            "Enter the six digits your authenticator app shows",
        ));
    }
    let pending = store
        .authenticator(user.id)
        .await?
        .filter(|authenticator| !authenticator.confirmed)
        .ok_or_else(|| {
            ApiError::Conflict(
                "There is no authenticator waiting to be set up. Start again.".into(),
            )
        })?;
    let step = totp::matching_step(&pending.secret, &code, clock.now()).ok_or_else(|| {
        ApiError::invalid(
            "code",
            "That code is not right: check the app shows the Care Provider Portal, and the time on your phone is right",
        )
    })?;
    let recovery_codes = totp::new_recovery_codes();
    let hashes: Vec<String> = recovery_codes.iter().map(|code| token_hash(code)).collect();
    if !store
        .confirm_authenticator(user.id, step, &hashes, &caller.actor())
        .await?
    {
        return Err(ApiError::Conflict(
            "This authenticator was set up already.".into(),
        ));
    }
    Ok(web::Json(RecoveryCodes { recovery_codes }))
}

/// Removes the authenticator app and its recovery codes; the password is asked again.
#[utoipa::path(
    tag = "auth", operation_id = "remove_authenticator",
    request_body = RemoveAuthenticator,
    responses(
        (status = 204, description = "Removed; sign-in asks for security-code digits again"),
        NotSignedIn,
        (status = 403, description = "A tool, or a locked account", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No authenticator is set up", body = Problem, content_type = "application/problem+json"),
        Invalid,
    )
)]
#[post("/auth/authenticator/remove")]
pub async fn remove_authenticator(
    caller: Caller,
    store: web::Data<Store>,
    hasher: web::Data<Hasher>,
    request: HttpRequest,
    body: ValidJson<RemoveAuthenticator>,
) -> Result<HttpResponse, ApiError> {
    let user = signed_in_user(&store, &caller).await?;
    if let Some(error) =
        current_password_error(&store, &hasher, &user, &body.0.current_password, &request).await?
    {
        return Err(ApiError::Validation(vec![error]));
    }
    if !store.remove_authenticator(user.id, &caller.actor()).await? {
        return Err(ApiError::NotFound("authenticator"));
    }
    Ok(HttpResponse::NoContent().finish())
}
