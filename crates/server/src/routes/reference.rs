//! Reference data as providers and council staff read it: care package line items.

use actix_web::{get, web};
use portal_domain::format::format_money;
use portal_domain::PricingKind;
use portal_dto::{CpliSummary, Page, Problem};
use portal_store::reference::{CpliFilter, CpliListing};
use portal_store::Store;
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::optional_id;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config.service(list_cplis);
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

fn summary(listing: CpliListing, today: time::Date) -> CpliSummary {
    let CpliListing {
        record,
        service_id,
        service_name,
        authorised,
    } = listing;
    let weekly_cost = record.cpli.weekly_cost(record.rate);
    let cost_label = match record.service_level.pricing_kind {
        PricingKind::Timetabled => format!("{} Weekly (Timetabled)", format_money(weekly_cost)),
        PricingKind::Intermittent => "Intermittent".to_owned(),
        PricingKind::PerUnit => format!("{} Weekly", format_money(weekly_cost)),
    };
    let mut weekly_cost_text = weekly_cost;
    weekly_cost_text.rescale(2);
    CpliSummary {
        id: record.id.to_string(),
        client_id: record.client.id.to_string(),
        ssref: record.client.ssref.clone(),
        client_name: record.client.sort_name(),
        service_id: service_id.to_string(),
        service_name,
        service_level_id: record.service_level.id.to_string(),
        service_level_name: record.service_level.name.clone(),
        pricing_kind: record.service_level.pricing_kind.code().to_owned(),
        start: portal_domain::calendar::iso_date(record.cpli.start),
        end: record.cpli.end.map(portal_domain::calendar::iso_date),
        weekly_cost: weekly_cost_text.to_string(),
        cost_label,
        pricing: record
            .cpli
            .pricing_description(record.service_level.unit, record.rate),
        authorised,
        current: record.cpli.end.is_none_or(|end| end >= today),
    }
}

/// Lists the care package line items the caller can see, as the Care Package Line Items
/// screen shows them.
#[utoipa::path(
    tag = "reference",
    operation_id = "list_cplis",
    params(CpliQuery),
    responses(
        (status = 200, description = "CPLIs by client", body = Page<CpliSummary>),
        (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"),
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
            .map(|listing| summary(listing, today))
            .collect(),
        next_cursor: None,
    }))
}
