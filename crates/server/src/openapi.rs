//! The OpenAPI 3.1 document, collected from the handlers' utoipa annotations. A copy is
//! committed at `openapi/openapi.json`; a test fails when the two differ.

use portal_domain::access::ToolScope;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes,
    SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

use crate::auth::extractor::TOOL_OPERATIONS;
use crate::routes;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Care Provider Portal API",
        version = "1.0.0",
        description = "Actuals, payments and conversations between care providers and councils. \
Money and quantities are decimal strings (\"1072.30\", \"5.5\"); dates are YYYY-MM-DD; a week is named by its Monday. \
Errors are RFC 9457 problem details; validation failures name every bad field. \
Sign in with POST /api/v1/auth/login then POST /api/v1/auth/login/challenge (or, on a first sign-in, the two /auth/first-sign-in steps), and send the token as `Authorization: Bearer <token>`. \
Browsers renew it with POST /api/v1/auth/refresh and the HttpOnly refresh cookie. \
Tools exchange the client credentials council staff issued them at POST /api/v1/auth/token (grant_type=client_credentials) and reach only the operations whose `tool` requirement names a scope they hold.",
        license(name = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerSecurity),
    security(("bearer" = [])),
    tags(
        (name = "auth", description = "Signing in, first sign-in, sessions"),
        (name = "accounts", description = "Council staff: provider contacts and council staff accounts, locks"),
        (name = "actuals", description = "What was delivered, per service, week and client"),
        (name = "reference", description = "Care packages, clients, services and contracts"),
        (name = "council", description = "What each council configures: contacts, deadlines, bank holidays, action types, dispute reasons, VAT rates"),
        (name = "payments", description = "Scheduled payments: payment periods, Payable and Non-payable lines computed live from the actuals, confirmation, council decisions, the payment run and remittance advice"),
        (name = "purchase-orders", description = "Purchase orders: one per client, service and financial year, valued from the CPLIs, with versions, spend to date and a PDF"),
        (name = "invoices", description = "Invoices and credit notes for contracts paid by invoice: commitments priced from the actuals, submission, the council's decisions, CSV and JSON export, the supporting VAT invoice"),
        (name = "claims", description = "One-off claims outside the care plan, for a client or the provider, with evidence: submission, the council's approval or rejection, and payment in the next period"),
        (name = "actions", description = "Actions: conversations between a provider and the council about a client, contract, service or organisation, with a due date in working days, an assignee and a thread of posts"),
        (name = "contract-documents", description = "Contract documents: PDFs council staff publish for a service or one client; the provider agrees or rejects with their password, kept as a signature with the document's SHA-256; terminated documents stay listed"),
        (name = "disputes", description = "Disputes: council staff dispute a client's actuals for whole weeks or single lines with a reason; the provider responds, amends the actuals and requests resolution; the council resolves or reopens; every step kept in the history"),
        (name = "change-requests", description = "Change requests: providers ask for changes to their organisation's, services' and contacts' details, for a new contact or for a role added or removed, each changed field with its old and new value; council staff approve (the change is applied) or reject with a reason"),
        (name = "notifications", description = "E-mail notifications and webhooks. Provider contacts choose, per organisation, daily topics (one digest e-mail a day) and immediate ones (Actions, Password Change). Council staff register webhook URLs for events (dispute.raised, action.assigned, invoice.status_changed): each is POSTed as JSON with X-Portal-Event, X-Portal-Delivery (the same on a retry: deduplicate on it), X-Portal-Timestamp and X-Portal-Signature: sha256=<hex HMAC-SHA-256 under the webhook's secret of the timestamp, a dot and the body>. Any 2xx answer is success; other answers and timeouts are retried with back-off (1, 2, 4 ... minutes, 8 tries)."),
        (name = "reports", description = "Reports: Commissioned vs Actuals, Pending Payments Exceptions, Pending Scheduled Payments and Remittance Advice Provider Payments, each as JSON or CSV with the same figures"),
        (name = "integration", description = "Batches from council systems, idempotent, answered line by line"),
        (name = "tools", description = "Client credentials for rostering and call-monitoring tools, and their token exchange (OAuth 2.0 client-credentials grant)"),
        (name = "health", description = "Liveness and readiness")
    )
)]
pub struct ApiDoc;

struct BearerSecurity;

impl Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .build(),
            ),
        );
        // The SPA's refresh token: HttpOnly, so only the browser sends it (auth/sessions.rs).
        components.add_security_scheme(
            "refresh_cookie",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::sessions::REFRESH_COOKIE,
                "The refresh token set by signing in; rotated by each refresh",
            ))),
        );
    }
}

/// The whole document, from the same registrations the server uses.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, mut api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(routes::configure_api))
        .service(routes::health::live)
        .service(routes::health::ready)
        .split_for_parts();
    state_every_requirement(&mut api);
    api
}

/// Writes each operation's security requirement out in full: public ones keep their empty
/// requirement; the rest need a person's bearer token, or, for the operations in the
/// extractor's `TOOL_OPERATIONS`, a tool's token with the scope named there. Operations
/// under `/auth/` also document the rate limiter's 429.
fn state_every_requirement(api: &mut utoipa::openapi::OpenApi) {
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "tool",
        SecurityScheme::OAuth2(OAuth2::with_description(
            [Flow::ClientCredentials(ClientCredentials::new(
                "/api/v1/auth/token",
                Scopes::from_iter(
                    ToolScope::ALL.map(|scope| (scope.code(), scope.description())),
                ),
            ))],
            "Client credentials council staff issue to a rostering or call-monitoring tool, for one organisation",
        )),
    );
    let too_many = ResponseBuilder::new()
        .description("Too many attempts from this address: wait for Retry-After seconds")
        .content(
            "application/problem+json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build();
    for (path, item) in api.paths.paths.iter_mut() {
        let operations = [
            ("GET", item.get.as_mut()),
            ("PUT", item.put.as_mut()),
            ("POST", item.post.as_mut()),
            ("DELETE", item.delete.as_mut()),
            ("PATCH", item.patch.as_mut()),
        ];
        for (method, operation) in operations {
            let Some(operation) = operation else { continue };
            if path.starts_with("/api/v1/auth/") {
                operation
                    .responses
                    .responses
                    .entry("429".to_owned())
                    .or_insert_with(|| too_many.clone().into());
            }
            if path.starts_with("/health/") && operation.security.is_none() {
                operation.security = Some(vec![SecurityRequirement::default()]);
            }
            if operation.security.is_some() {
                continue;
            }
            let mut requirements = vec![SecurityRequirement::new("bearer", Vec::<String>::new())];
            if let Some((_, _, scope)) = TOOL_OPERATIONS
                .iter()
                .find(|(tool_method, tool_path, _)| *tool_method == method && tool_path == path)
            {
                requirements.push(SecurityRequirement::new("tool", [scope.code()]));
            }
            operation.security = Some(requirements);
        }
    }
}

/// The document as the committed file holds it: pretty JSON with a final newline.
pub fn document_json() -> String {
    let mut json = document()
        .to_pretty_json()
        .expect("the document serialises");
    json.push('\n');
    json
}
