//! `Idempotency-Key` on batch submissions: the first answer to a key is kept, per person or
//! tool, and a retry with the same key and body gets it again without writing anything.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use portal_store::actuals::Principal;
use portal_store::audit::RememberedResponse;
use portal_store::Store;
use sha2::{Digest, Sha256};

use crate::error::ApiError;

/// A batch request's key, and the hash of the body it came with.
pub struct Idempotent {
    principal: Principal,
    key: String,
    request_hash: String,
}

impl Idempotent {
    /// The request's key; a missing or overlong one is refused (422).
    pub fn of(
        request: &HttpRequest,
        body: &[u8],
        principal: Principal,
    ) -> Result<Idempotent, ApiError> {
        let key = request
            .headers()
            .get("Idempotency-Key")
            .and_then(|value| value.to_str().ok())
            .map(str::trim)
            .filter(|key| !key.is_empty() && key.len() <= 200)
            .ok_or_else(|| {
                ApiError::invalid(
                    "Idempotency-Key",
                    "send a unique key of up to 200 characters with every batch",
                )
            })?
            .to_owned();
        Ok(Idempotent {
            principal,
            key,
            request_hash: format!("{:x}", Sha256::digest(body)),
        })
    }

    /// The first answer to this key, when there was one; a key reused with another body is
    /// refused (422).
    pub async fn replay(&self, store: &Store) -> Result<Option<HttpResponse>, ApiError> {
        let Some(remembered) = store.remembered_response(self.principal, &self.key).await? else {
            return Ok(None);
        };
        if remembered.request_hash != self.request_hash {
            return Err(ApiError::invalid(
                "Idempotency-Key",
                "was already used with a different batch: use a new key",
            ));
        }
        Ok(Some(
            HttpResponse::build(StatusCode::from_u16(remembered.status).unwrap_or(StatusCode::OK))
                .content_type("application/json")
                .insert_header(("Idempotent-Replayed", "true"))
                .body(remembered.body),
        ))
    }

    /// Keeps this answer for the key, and sends it.
    pub async fn answer(&self, store: &Store, body: String) -> Result<HttpResponse, ApiError> {
        store
            .remember_response(
                self.principal,
                &self.key,
                &RememberedResponse {
                    request_hash: self.request_hash.clone(),
                    status: 200,
                    body: body.clone(),
                },
            )
            .await?;
        Ok(HttpResponse::Ok()
            .content_type("application/json")
            .body(body))
    }
}
