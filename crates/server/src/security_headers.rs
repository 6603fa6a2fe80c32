//! Response headers that harden every answer (issue 4, OWASP ASVS 14.4):
//! - a Content-Security-Policy that lets the SPA load its own script and WebAssembly and
//!   nothing else: no inline script, no other origin, no framing;
//! - `Cache-Control: no-store` on the API, so no shared or browser cache keeps care data;
//! - HSTS, but only when the request arrived over TLS (directly or through a proxy that
//!   says so), since a browser told over plain HTTP would ignore it anyway;
//! - nosniff, no referrer, no framing, and a same-origin opener.
//!
//! There is no CORS layer at all: browsers refuse other origins' scripts a read of any
//! answer, which is what "closed by default" needs.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;

/// The SPA's policy: its own files, its own wasm (which Chromium compiles under
/// `wasm-unsafe-eval`), its own API.
pub const APP_POLICY: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// Swagger UI sets inline styles as it renders; its scripts are still only its own.
const DOCS_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

const HSTS: &str = "max-age=31536000; includeSubDomains";

pub async fn harden(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = request.path().to_owned();
    let over_tls = request.connection_info().scheme() == "https";
    let mut response = next.call(request).await?;
    let headers = response.headers_mut();
    let policy = if path.starts_with("/api/docs") {
        DOCS_POLICY
    } else {
        APP_POLICY
    };
    let set = |headers: &mut actix_web::http::header::HeaderMap,
               name: HeaderName,
               value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set(headers, header::CONTENT_SECURITY_POLICY, policy);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::REFERRER_POLICY, "no-referrer");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(
        headers,
        HeaderName::from_static("cross-origin-opener-policy"),
        "same-origin",
    );
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    if path.starts_with("/api/") && !path.starts_with("/api/docs") {
        set(headers, header::CACHE_CONTROL, "no-store");
    }
    if over_tls {
        set(headers, header::STRICT_TRANSPORT_SECURITY, HSTS);
    }
    Ok(response)
}
