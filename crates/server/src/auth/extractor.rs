//! `Caller`: the one authorisation extractor. A handler that takes a `Caller` runs only
//! for a valid bearer token, and reaches data only through `Caller::scope`.
//!
//! The caller is a person (provider contact or council staff) or a tool holding client
//! credentials. A tool is refused by default: it reaches only the operations listed in
//! [`TOOL_OPERATIONS`], each with the scope it needs, and only for its one organisation.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{web, FromRequest, HttpRequest};
use portal_domain::access::{ProviderRole, ProviderTask, ToolScope};
use portal_store::actuals::{Actor, Principal};
use portal_store::{Scope, Store};

use crate::auth::tokens::TokenKeys;
use crate::error::ApiError;

/// The operations a tool may call, by method and route pattern, with the scope each needs.
/// The OpenAPI document's `tool` security requirements are generated from this table.
pub const TOOL_OPERATIONS: [(&str, &str, ToolScope); 15] = [
    ("GET", "/api/v1/services", ToolScope::ReadCplis),
    ("GET", "/api/v1/services/{service_id}", ToolScope::ReadCplis),
    ("GET", "/api/v1/cplis", ToolScope::ReadCplis),
    (
        "GET",
        "/api/v1/cplis/{cpli_id}/versions",
        ToolScope::ReadCplis,
    ),
    (
        "GET",
        "/api/v1/services/{service_id}/weeks",
        ToolScope::ReadActuals,
    ),
    (
        "GET",
        "/api/v1/services/{service_id}/weeks/{week}/actuals",
        ToolScope::ReadActuals,
    ),
    (
        "POST",
        "/api/v1/services/{service_id}/weeks/{week}/actuals/generate",
        ToolScope::WriteActuals,
    ),
    (
        "PUT",
        "/api/v1/services/{service_id}/weeks/{week}/clients/{client_id}/actuals",
        ToolScope::WriteActuals,
    ),
    ("POST", "/api/v1/actuals/batches", ToolScope::WriteActuals),
    (
        "GET",
        "/api/v1/services/{service_id}/weeks/{week}/clients/{client_id}/history",
        ToolScope::ReadActuals,
    ),
    (
        "GET",
        "/api/v1/services/{service_id}/actuals",
        ToolScope::ReadActuals,
    ),
    (
        "GET",
        "/api/v1/services/{service_id}/commissioned-care",
        ToolScope::ReadCplis,
    ),
    (
        "POST",
        "/api/v1/services/{service_id}/imports",
        ToolScope::WriteActuals,
    ),
    ("GET", "/api/v1/imports/{import_id}", ToolScope::ReadActuals),
    (
        "POST",
        "/api/v1/imports/{import_id}/commit",
        ToolScope::WriteActuals,
    ),
];

#[derive(Debug, Clone)]
pub struct Caller {
    pub principal: Principal,
    pub is_council: bool,
    scope: Scope,
    /// A provider contact's role in each of its organisations.
    roles: Vec<(i64, String)>,
    pub source_ip: Option<String>,
}

impl Caller {
    /// Whose data this caller may touch.
    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    /// The signed-in person; a tool is refused (403).
    pub fn person_id(&self) -> Result<i64, ApiError> {
        self.principal.person_id().ok_or_else(|| {
            ApiError::Forbidden("A tool's credentials cannot do this: a person must.".into())
        })
    }

    /// The caller's council, for council staff; providers and tools are refused (403).
    pub fn council_staff_of(&self) -> Result<i64, ApiError> {
        match self.scope {
            Scope::Council(council_id) if self.is_council => Ok(council_id),
            _ => Err(ApiError::Forbidden(
                "Only council staff can do this.".into(),
            )),
        }
    }

    /// Refuses (403) a provider contact whose role in the organisation does not allow the
    /// task. Council staff may; a tool's scopes were checked before its handler ran. Call
    /// it after the record was found in the caller's scope, so others' records stay 404.
    pub fn may(&self, organisation_id: i64, task: ProviderTask) -> Result<(), ApiError> {
        if self.is_council || matches!(self.principal, Principal::Tool(_)) {
            return Ok(());
        }
        let role = self
            .roles
            .iter()
            .find(|(organisation, _)| *organisation == organisation_id)
            .and_then(|(_, code)| ProviderRole::parse(code));
        match role {
            Some(role) if role.may(task) => Ok(()),
            Some(role) => Err(ApiError::Forbidden(format!(
                "Your role here is {}, which cannot {}. Ask a manager of your organisation.",
                role.label(),
                match task {
                    ProviderTask::RecordActuals => "enter or change actuals",
                    ProviderTask::ClaimPayment => "confirm payments or raise invoices",
                    ProviderTask::KeepDetails => "change the organisation's details",
                }
            ))),
            None => Err(ApiError::Forbidden(
                "You have no role in this organisation.".into(),
            )),
        }
    }

    pub fn actor(&self) -> Actor {
        Actor {
            principal: self.principal,
            source_ip: self.source_ip.clone(),
        }
    }
}

fn unauthorised() -> ApiError {
    ApiError::Unauthorized("Your session has ended. Sign in again.".into())
}

/// The scope a tool needs for this request, or a refusal when tools may not call it.
fn scope_needed(request: &HttpRequest) -> Result<ToolScope, ApiError> {
    let method = request.method();
    let pattern = request.match_pattern().unwrap_or_default();
    TOOL_OPERATIONS
        .iter()
        .find(|(operation_method, operation_pattern, _)| {
            method.as_str() == *operation_method && *operation_pattern == pattern
        })
        .map(|(_, _, scope)| *scope)
        .ok_or_else(|| ApiError::Forbidden("A tool's credentials cannot do this.".into()))
}

async fn caller_from(request: HttpRequest) -> Result<Caller, ApiError> {
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
    let claims = keys.verify(token.trim()).ok_or_else(unauthorised)?;
    let subject: i64 = claims.sub.parse().map_err(|_| unauthorised())?;
    let source_ip = request
        .connection_info()
        .realip_remote_addr()
        .map(str::to_owned);
    let store = request
        .app_data::<web::Data<Store>>()
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("no store")))?;
    // A person's token lives only as long as its session: signing out, a lock or a
    // password change elsewhere ends it now, not when it expires.
    if claims.kind != "tool" && !store.session_is_live(subject, &claims.sid).await? {
        return Err(unauthorised());
    }
    match (claims.kind.as_str(), claims.council) {
        ("council", Some(council)) => Ok(Caller {
            principal: Principal::Person(subject),
            is_council: true,
            scope: Scope::Council(council),
            roles: Vec::new(),
            source_ip,
        }),
        ("tool", _) => {
            let needed = scope_needed(&request)?;
            if !claims.scopes.iter().any(|scope| scope == needed.code()) {
                return Err(ApiError::Forbidden(format!(
                    "This tool's credentials lack the scope {}.",
                    needed.code()
                )));
            }
            // Revoking or rotating credentials stops their tokens at once, not at expiry.
            if !store.tool_token_is_live(subject, &claims.secret).await? {
                return Err(ApiError::Unauthorized(
                    "These credentials were revoked or rotated. Ask for a new token.".into(),
                ));
            }
            Ok(Caller {
                principal: Principal::Tool(subject),
                is_council: false,
                scope: Scope::Organisations(claims.orgs),
                roles: Vec::new(),
                source_ip,
            })
        }
        _ => Ok(Caller {
            principal: Principal::Person(subject),
            is_council: false,
            scope: Scope::Organisations(claims.orgs),
            roles: claims.roles,
            source_ip,
        }),
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(caller_from(request.clone()))
    }
}
