//! Tools' client credentials: council staff issue, list, rotate and revoke them; a tool
//! exchanges them for a short-lived token (OAuth 2.0 client-credentials grant, RFC 6749
//! section 4.4). The token reaches only the tool's organisation, within its scopes (see
//! `auth::extractor::TOOL_OPERATIONS`).

use actix_web::http::header::{AUTHORIZATION, CONTENT_TYPE};
use actix_web::web::Bytes;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use base64::Engine;
use portal_domain::access::ToolScope;
use portal_dto::{NewToolClient, Page, TokenRequest, TokenResponse, ToolClient, ToolCredentials};
use portal_store::audit::AuditEvent;
use portal_store::tools::{NewToolClient as StoreToolClient, ToolClientRecord};
use portal_store::Store;
use rand::RngCore;
use serde_json::json;
use time::format_description::well_known::Rfc3339;

use crate::auth::sessions::token_hash;
use crate::auth::tokens::TokenKeys;
use crate::auth::Caller;
use crate::catalogue::Checks;
use crate::clock::Clock;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::routes::parse_id;
use crate::routes::problems::{Invalid, NotCouncilStaff, NotFound, NotSignedIn};

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_tool_clients)
        .service(create_tool_client)
        .service(rotate_tool_secret)
        .service(revoke_tool_client)
        .service(issue_token);
}

fn view(record: ToolClientRecord) -> ToolClient {
    let text = |at: Option<time::OffsetDateTime>| at.and_then(|at| at.format(&Rfc3339).ok());
    ToolClient {
        id: record.id.to_string(),
        organisation_id: record.organisation_id.to_string(),
        organisation_name: record.organisation_name,
        name: record.name,
        client_id: record.client_id,
        scopes: record.scopes,
        created_at: text(Some(record.created_at)).unwrap_or_default(),
        rotated_at: text(record.rotated_at),
        revoked_at: text(record.revoked_at),
        last_used_at: text(record.last_used_at),
    }
}

/// 256 random bits, URL-safe: the part of the credentials only the tool holds.
fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!(
        "pps_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

fn new_client_id() -> String {
    let mut bytes = [0u8; 9];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    format!(
        "tool_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

/// The tools of the council's organisations, newest first, revoked ones included.
#[utoipa::path(
    tag = "tools", operation_id = "list_tool_clients",
    responses(
        (status = 200, description = "Every tool's credentials, without secrets", body = Page<ToolClient>),
        NotSignedIn,
        NotCouncilStaff,
    )
)]
#[get("/tool-clients")]
pub async fn list_tool_clients(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<Page<ToolClient>>, ApiError> {
    let council_id = caller.council_staff_of()?;
    Ok(web::Json(Page {
        items: store
            .tool_clients_of_council(council_id)
            .await?
            .into_iter()
            .map(view)
            .collect(),
        next_cursor: None,
    }))
}

/// Issues credentials to a tool for one of the council's organisations. The secret is in
/// this answer only.
#[utoipa::path(
    tag = "tools", operation_id = "create_tool_client",
    request_body = NewToolClient,
    responses(
        (status = 201, description = "Issued; pass the secret to the tool securely", body = ToolCredentials),
        NotSignedIn,
        NotCouncilStaff,
        Invalid,
    )
)]
#[post("/tool-clients")]
pub async fn create_tool_client(
    caller: Caller,
    store: web::Data<Store>,
    body: ValidJson<NewToolClient>,
) -> Result<HttpResponse, ApiError> {
    let council_id = caller.council_staff_of()?;
    let new = body.0;
    let mut checks = Checks::default();
    let name = checks.text("name", &new.name, true, 200);
    let organisation_id = match new.organisation_id.trim().parse::<i64>() {
        _ if new.organisation_id.trim().is_empty() => {
            checks.bad("organisation_id", "is required");
            None
        }
        Ok(id)
            if store
                .organisation_in_council(council_id, id)
                .await?
                .is_some() =>
        {
            Some(id)
        }
        _ => {
            checks.bad(
                "organisation_id",
                "must be one of the council's organisations",
            );
            None
        }
    };
    let mut scopes: Vec<String> = Vec::new();
    if new.scopes.is_empty() {
        checks.bad("scopes", "is required");
    }
    for (index, code) in new.scopes.iter().enumerate() {
        match ToolScope::parse(code.trim()) {
            Some(scope) if !scopes.iter().any(|s| s == scope.code()) => {
                scopes.push(scope.code().to_owned())
            }
            Some(_) => checks.bad(&format!("scopes[{index}]"), "is named twice"),
            None => checks.bad(
                &format!("scopes[{index}]"),
                "must be cplis:read, actuals:read or actuals:write",
            ),
        }
    }
    checks.finish()?;
    let organisation_id = organisation_id.ok_or_else(|| anyhow::anyhow!("checked above"))?;
    let secret = new_secret();
    let client_id = new_client_id();
    let id = store
        .create_tool_client(
            &StoreToolClient {
                organisation_id,
                name: &name,
                client_id: &client_id,
                secret_hash: &token_hash(&secret),
                scopes: &scopes,
            },
            &caller.actor(),
        )
        .await?;
    let tool = store
        .tool_client_of_council(council_id, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a new tool vanished"))?;
    Ok(HttpResponse::Created().json(ToolCredentials {
        tool: view(tool),
        client_secret: secret,
    }))
}

async fn tool_of(store: &Store, council_id: i64, tool_id: &str) -> Result<i64, ApiError> {
    let id = parse_id(tool_id, "tool")?;
    store
        .tool_client_of_council(council_id, id)
        .await?
        .map(|tool| tool.id)
        .ok_or(ApiError::NotFound("tool"))
}

/// Replaces a tool's secret. The old secret, and every token issued with it, stop working
/// at once. The new secret is in this answer only.
#[utoipa::path(
    tag = "tools", operation_id = "rotate_tool_secret",
    params(("tool_client_id" = String, Path, description = "The tool")),
    responses(
        (status = 200, description = "The new secret", body = ToolCredentials),
        NotSignedIn,
        NotCouncilStaff,
        NotFound,
        (status = 409, description = "The tool was revoked", body = portal_dto::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tool-clients/{tool_client_id}/rotate")]
pub async fn rotate_tool_secret(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<ToolCredentials>, ApiError> {
    let council_id = caller.council_staff_of()?;
    let id = tool_of(&store, council_id, &path).await?;
    let secret = new_secret();
    if !store
        .rotate_tool_secret(id, &token_hash(&secret), &caller.actor())
        .await?
    {
        return Err(ApiError::Conflict(
            "This tool was revoked; issue new credentials instead.".into(),
        ));
    }
    let tool = store
        .tool_client_of_council(council_id, id)
        .await?
        .ok_or(ApiError::NotFound("tool"))?;
    Ok(web::Json(ToolCredentials {
        tool: view(tool),
        client_secret: secret,
    }))
}

/// Revokes a tool for good: its secret and tokens stop working at once.
#[utoipa::path(
    tag = "tools", operation_id = "revoke_tool_client",
    params(("tool_client_id" = String, Path, description = "The tool")),
    responses(
        (status = 200, description = "Revoked", body = ToolClient),
        NotSignedIn,
        NotCouncilStaff,
        NotFound,
        (status = 409, description = "Already revoked", body = portal_dto::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/tool-clients/{tool_client_id}/revoke")]
pub async fn revoke_tool_client(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<ToolClient>, ApiError> {
    let council_id = caller.council_staff_of()?;
    let id = tool_of(&store, council_id, &path).await?;
    if !store.revoke_tool_client(id, &caller.actor()).await? {
        return Err(ApiError::Conflict("This tool was already revoked.".into()));
    }
    let tool = store
        .tool_client_of_council(council_id, id)
        .await?
        .ok_or(ApiError::NotFound("tool"))?;
    Ok(web::Json(view(tool)))
}

/// An RFC 6749 error, as problem+json with the OAuth `error` code as an extension member,
/// so both OAuth client libraries and our own clients understand it.
fn oauth_error(status: u16, error: &str, detail: &str) -> HttpResponse {
    let status_code = actix_web::http::StatusCode::from_u16(status)
        .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST);
    let mut response = HttpResponse::build(status_code);
    if status == 401 {
        response.insert_header(("WWW-Authenticate", "Basic realm=\"portal\""));
    }
    response
        .content_type("application/problem+json")
        .json(json!({
            "type": format!("/problems/oauth-{}", error.replace('_', "-")),
            "title": if status == 401 { "Client not recognised" } else { "Bad token request" },
            "status": status,
            "detail": detail,
            "error": error,
        }))
}

/// The client id and secret from HTTP Basic authentication, when sent that way.
fn basic_credentials(request: &HttpRequest) -> Option<(String, String)> {
    let header = request.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let encoded = header.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// Exchanges a tool's client credentials for a bearer token (client-credentials grant).
/// Send the form `grant_type=client_credentials`, with `client_id` and `client_secret` in
/// the form or by HTTP Basic, and optionally `scope` to ask for fewer scopes.
///
/// ```text
/// curl -X POST https://portal.example/api/v1/auth/token \
///   -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials -d scope=actuals:write
/// ```
#[utoipa::path(
    tag = "tools", operation_id = "issue_tool_token",
    security(()),
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A bearer token for the tool's organisation and scopes", body = TokenResponse),
        (status = 400, description = "Not a client-credentials request, or a scope the credentials lack (`error`: invalid_request, unsupported_grant_type, invalid_scope)", body = portal_dto::Problem, content_type = "application/problem+json"),
        (status = 401, description = "Unknown, revoked or wrong credentials (`error`: invalid_client)", body = portal_dto::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts from this address", body = portal_dto::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/token")]
pub async fn issue_token(
    request: HttpRequest,
    store: web::Data<Store>,
    keys: web::Data<TokenKeys>,
    clock: web::Data<Clock>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let is_form = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    let form: TokenRequest = match serde_urlencoded::from_bytes(&body) {
        Ok(form) if is_form => form,
        _ => return Ok(oauth_error(
            400,
            "invalid_request",
            "Send an application/x-www-form-urlencoded body with grant_type=client_credentials.",
        )),
    };
    if form.grant_type != "client_credentials" {
        return Ok(oauth_error(
            400,
            "unsupported_grant_type",
            "Only grant_type=client_credentials is supported.",
        ));
    }
    let (client_id, secret) = match (
        basic_credentials(&request),
        form.client_id.clone(),
        form.client_secret.clone(),
    ) {
        (Some(credentials), _, _) => credentials,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => {
            return Ok(oauth_error(
                401,
                "invalid_client",
                "Send client_id and client_secret, in the form or by HTTP Basic.",
            ))
        }
    };
    let wrong = || {
        oauth_error(
            401,
            "invalid_client",
            "The client id or secret is not right.",
        )
    };
    let Some((tool, secret_hash)) = store.live_tool_client(&client_id).await? else {
        return Ok(wrong());
    };
    if token_hash(&secret) != secret_hash {
        audit_tool(&store, &request, tool.id, "tool.token_refused", json!({})).await?;
        return Ok(wrong());
    }
    let granted: Vec<String> = match form.scope.as_deref().map(str::trim) {
        None | Some("") => tool.scopes.clone(),
        Some(asked) => {
            let asked: Vec<String> = asked.split_whitespace().map(str::to_owned).collect();
            if let Some(missing) = asked.iter().find(|scope| !tool.scopes.contains(scope)) {
                return Ok(oauth_error(
                    400,
                    "invalid_scope",
                    &format!("These credentials do not carry the scope {missing}."),
                ));
            }
            asked
        }
    };
    store.record_tool_use(tool.id, clock.now()).await?;
    audit_tool(
        &store,
        &request,
        tool.id,
        "tool.token_issued",
        json!({ "scopes": granted }),
    )
    .await?;
    let access_token = keys.issue_for_tool(
        tool.id,
        tool.organisation_id,
        granted.clone(),
        secret_hash.get(..16).unwrap_or(&secret_hash),
    )?;
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "no-store"))
        .json(TokenResponse {
            access_token,
            token_type: "Bearer".into(),
            expires_in: keys.lifetime_seconds(),
            scope: granted.join(" "),
        }))
}

async fn audit_tool(
    store: &Store,
    request: &HttpRequest,
    tool_id: i64,
    action: &str,
    detail: serde_json::Value,
) -> Result<(), ApiError> {
    let source_ip = request
        .connection_info()
        .realip_remote_addr()
        .map(str::to_owned);
    store
        .audit(&AuditEvent {
            actor_user_id: None,
            actor_tool_id: Some(tool_id),
            action,
            entity_kind: "tool_client",
            entity_id: tool_id.to_string(),
            detail,
            source_ip,
        })
        .await?;
    Ok(())
}
