//! Batches from council systems: clients and CPLIs by the sender's own references.

use actix_web::web::Bytes;
use actix_web::{post, web, HttpRequest, HttpResponse};
use portal_dto::{IntegrationBatch, IntegrationBatchResult, Problem};
use portal_store::Store;

use crate::auth::Caller;
use crate::catalogue::CouncilActor;
use crate::error::ApiError;
use crate::idempotency::Idempotent;
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
    let idempotent = Idempotent::of(&request, &body, caller.principal)?;
    if let Some(replayed) = idempotent.replay(&store).await? {
        return Ok(replayed);
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
    idempotent.answer(&store, body).await
}
