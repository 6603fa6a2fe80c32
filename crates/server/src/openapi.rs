//! The OpenAPI 3.1 document, collected from the handlers' utoipa annotations. A copy is
//! committed at `openapi/openapi.json`; a test fails when the two differ.

use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_actix_web::AppExt;

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
Browsers renew it with POST /api/v1/auth/refresh and the HttpOnly refresh cookie.",
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
        (name = "integration", description = "Batches from council systems, idempotent, answered line by line"),
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
    let (_, api) = actix_web::App::new()
        .into_utoipa_app()
        .openapi(ApiDoc::openapi())
        .service(utoipa_actix_web::scope("/api/v1").configure(routes::configure_api))
        .service(routes::health::live)
        .service(routes::health::ready)
        .split_for_parts();
    api
}

/// The document as the committed file holds it: pretty JSON with a final newline.
pub fn document_json() -> String {
    let mut json = document()
        .to_pretty_json()
        .expect("the document serialises");
    json.push('\n');
    json
}
