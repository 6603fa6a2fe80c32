//! Batches from council systems: clients and CPLIs by the sender's own references.

use actix_web::http::StatusCode;
use actix_web::web::Bytes;
use actix_web::{post, web, HttpRequest, HttpResponse};
use portal_dto::{IntegrationBatch, IntegrationBatchResult, Problem};
use portal_store::audit::RememberedResponse;
use portal_store::Store;
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::catalogue::CouncilActor;
use crate::error::ApiError;
use crate::json::parse_json;
use crate::routes::problems::NotSignedIn;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(submit_batch);
}

/// Upserts clients and CPLIs by external reference, answering line by line. Send an
/// `Idempotency-Key`: a retry with the same key and body returns the first answer and writes
/// nothing again.
///
/// ```text
/// curl -X POST https://portal.example/api/v1/integration/batches \
///   -H "Authorization: Bearer $TOKEN" -H "Content-Type: application/json" \
///   -H "Idempotency-Key: cms-2022-06-09-0001" \
///   -d '{"clients": [{"external_ref": "CMS-1", "ssref": "P200", "title": "Mr",
///                     "forename": "Alan", "surname": "Turing"}],
///        "cplis": [{"external_ref": "PKG-1", "client_external_ref": "CMS-1",
///                   "service_id": "1", "service_level_id": "1", "start": "2022-06-06",
///                   "weekly_quantity": "7", "planned_visits": "7"}]}'
/// ```
#[utoipa::path(
    tag = "integration",
    operation_id = "submit_integration_batch",
    params(("Idempotency-Key" = String, Header, description = "Unique per batch; retries reuse it")),
    request_body(content = IntegrationBatch, example = json!({
        "clients": [{"external_ref": "CMS-1", "ssref": "P200", "title": "Mr", "forename": "Alan", "surname": "Turing"}],
        "cplis": [{"external_ref": "PKG-1", "client_external_ref": "CMS-1", "service_id": "1", "service_level_id": "1",
                   "start": "2022-06-06", "weekly_quantity": "7", "planned_visits": "7"}]
    })),
    responses(
        (status = 200, description = "Each line accepted or rejected, with its errors", body = IntegrationBatchResult),
        NotSignedIn,
        (status = 403, description = "Not a council user or tool", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No Idempotency-Key, a key reused with another body, or a body that is not a batch", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/integration/batches")]
pub async fn submit_batch(
    caller: Caller,
    store: web::Data<Store>,
    request: HttpRequest,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let council_id = caller.council_staff_of()?;
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
    let request_hash = format!("{:x}", Sha256::digest(&body));
    if let Some(remembered) = store.remembered_response(caller.person_id()?, &key).await? {
        if remembered.request_hash != request_hash {
            return Err(ApiError::invalid(
                "Idempotency-Key",
                "was already used with a different batch: use a new key",
            ));
        }
        return Ok(HttpResponse::build(
            StatusCode::from_u16(remembered.status).unwrap_or(StatusCode::OK),
        )
        .content_type("application/json")
        .insert_header(("Idempotent-Replayed", "true"))
        .body(remembered.body));
    }
    let batch: IntegrationBatch = parse_json(&body)?;
    let actor = caller.actor();
    let result = crate::integration::apply(
        &store,
        CouncilActor {
            council_id,
            actor: Some(&actor),
        },
        &batch,
    )
    .await?;
    let body = serde_json::to_string(&result).map_err(anyhow::Error::from)?;
    store
        .remember_response(
            caller.person_id()?,
            &key,
            &RememberedResponse {
                request_hash,
                status: 200,
                body: body.clone(),
            },
        )
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/json")
        .body(body))
}
