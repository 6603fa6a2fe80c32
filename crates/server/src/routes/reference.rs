//! Reference data as providers and council staff read it: care package line items.

use actix_web::{get, web};
use portal_dto::{CpliSummary, Page, Problem};
use portal_store::reference::CpliFilter;
use portal_store::Store;
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::catalogue::cpli_summary;
use crate::error::ApiError;
use crate::routes::optional_id;
use crate::routes::problems::NotSignedIn;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(list_cplis).service(list_cpli_versions);
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CpliQuery {
    /// Only CPLIs at this service.
    service: Option<String>,
    /// Only this client's CPLIs.
    client: Option<String>,
    /// Only CPLIs of this service level.
    service_level: Option<String>,
    /// `true` to include CPLIs whose end date has passed.
    include_historical: Option<bool>,
    /// `true` to include CPLIs not yet authorised.
    include_unauthorised: Option<bool>,
}

/// Lists the care package line items the caller can see, as the Care Package Line Items
/// screen shows them.
#[utoipa::path(
    tag = "reference",
    operation_id = "list_cplis",
    params(CpliQuery),
    responses(
        (status = 200, description = "CPLIs by client", body = Page<CpliSummary>),
        NotSignedIn,
        (status = 422, description = "A bad filter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cplis")]
pub async fn list_cplis(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<CpliQuery>,
) -> Result<web::Json<Page<CpliSummary>>, ApiError> {
    let mut errors = Vec::new();
    let service_id = optional_id(&mut errors, "service", query.service.as_deref());
    let client_id = optional_id(&mut errors, "client", query.client.as_deref());
    let service_level_id =
        optional_id(&mut errors, "service_level", query.service_level.as_deref());
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let today = OffsetDateTime::now_utc().date();
    let filter = CpliFilter {
        service_id,
        client_id,
        service_level_id,
        include_historical: query.include_historical.unwrap_or(false),
        include_unauthorised: query.include_unauthorised.unwrap_or(false),
        today,
    };
    let listings = store.cplis(caller.scope(), &filter).await?;
    Ok(web::Json(Page {
        items: listings
            .into_iter()
            .map(|listing| cpli_summary(listing, today))
            .collect(),
        next_cursor: None,
    }))
}

/// Every version of one CPLI, oldest first: past weeks keep the version that applied.
#[utoipa::path(
    tag = "reference",
    operation_id = "list_cpli_versions",
    params(("cpli_id" = String, Path, description = "The CPLI ID")),
    responses(
        (status = 200, description = "The versions", body = Page<CpliSummary>),
        NotSignedIn,
        (status = 404, description = "No such CPLI of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/cplis/{cpli_id}/versions")]
pub async fn list_cpli_versions(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<Page<CpliSummary>>, ApiError> {
    let lineage = crate::routes::parse_id(&path, "care package line item")?;
    let items = crate::catalogue::cpli_versions(&store, caller.scope(), lineage).await?;
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}
