//! `Caller`: the one authorisation extractor. A handler that takes a `Caller` runs only
//! for a valid bearer token, and reaches data only through `Caller::scope`.

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{web, FromRequest, HttpRequest};
use portal_store::Scope;

use crate::auth::tokens::TokenKeys;
use crate::error::ApiError;

#[derive(Debug, Clone)]
pub struct Caller {
    pub user_id: i64,
    pub is_council: bool,
    scope: Scope,
    pub source_ip: Option<String>,
}

impl Caller {
    /// Whose data this caller may touch.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The caller's council, for council staff; providers are refused (403).
    pub fn council_staff_of(&self) -> Result<i64, ApiError> {
        match self.scope {
            Scope::Council(council_id) if self.is_council => Ok(council_id),
            _ => Err(ApiError::Forbidden(
                "Only council staff can do this.".into(),
            )),
        }
    }

    pub fn actor(&self) -> portal_store::actuals::Actor {
        portal_store::actuals::Actor {
            user_id: self.user_id,
            source_ip: self.source_ip.clone(),
        }
    }
}

fn caller_from(request: &HttpRequest) -> Result<Caller, ApiError> {
    let keys = request
        .app_data::<web::Data<TokenKeys>>()
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("token keys are not configured")))?;
    let token = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .ok_or_else(|| {
            ApiError::Unauthorized("Sign in first: send Authorization: Bearer <token>.".into())
        })?;
    let claims = keys
        .verify(token.trim())
        .ok_or_else(|| ApiError::Unauthorized("Your session has ended. Sign in again.".into()))?;
    let user_id = claims
        .sub
        .parse()
        .map_err(|_| ApiError::Unauthorized("Your session has ended. Sign in again.".into()))?;
    let (is_council, scope) = match (claims.kind.as_str(), claims.council) {
        ("council", Some(council)) => (true, Scope::Council(council)),
        _ => (false, Scope::Organisations(claims.orgs)),
    };
    Ok(Caller {
        user_id,
        is_council,
        scope,
        source_ip: request
            .connection_info()
            .realip_remote_addr()
            .map(str::to_owned),
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Caller, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(caller_from(request))
    }
}
