//! Liveness and readiness, for load balancers and orchestrators.

use actix_web::{get, web, HttpResponse};
use portal_store::Store;

/// The process is up.
#[utoipa::path(tag = "health", operation_id = "health_live", responses((status = 200, description = "Alive")))]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    HttpResponse::Ok().json(serde_json::json!({ "status": "live" }))
}

/// The database answers.
#[utoipa::path(
    tag = "health",
    operation_id = "health_ready",
    responses((status = 200, description = "Ready"), (status = 503, description = "The database does not answer"))
)]
#[get("/health/ready")]
pub async fn ready(store: web::Data<Store>) -> HttpResponse {
    if store.is_ready().await {
        HttpResponse::Ok().json(serde_json::json!({ "status": "ready" }))
    } else {
        HttpResponse::ServiceUnavailable()
            .json(serde_json::json!({ "status": "database unavailable" }))
    }
}
