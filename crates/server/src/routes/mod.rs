//! One file per route area; each pairs `configure` with its utoipa-annotated handlers, so
//! the OpenAPI document is collected from the same registrations that serve requests.

pub mod accounts;
pub mod actions;
pub mod actuals;
pub mod attachments;
pub mod auth;
pub mod authenticator;
pub mod catalogue;
pub mod change_requests;
pub mod claims;
pub mod contract_documents;
pub mod council;
pub mod disputes;
pub mod health;
pub mod imports;
pub mod integration;
pub mod invoices;
pub mod notifications;
pub mod payments;
pub mod purchase_orders;
pub mod reference;
pub mod reports;
pub mod tools;

/// Registers every `/api/v1` route area.
pub fn configure_api(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    auth::configure(config);
    authenticator::configure(config);
    accounts::configure(config);
    actuals::configure(config);
    actions::configure(config);
    disputes::configure(config);
    attachments::configure(config);
    change_requests::configure(config);
    contract_documents::configure(config);
    imports::configure(config);
    claims::configure(config);
    invoices::configure(config);
    notifications::configure(config);
    payments::configure(config);
    purchase_orders::configure(config);
    reference::configure(config);
    reports::configure(config);
    catalogue::configure(config);
    council::configure(config);
    integration::configure(config);
    tools::configure(config);
}

/// Parses an opaque id from a path; anything unparsable is simply not found.
pub(crate) fn parse_id(text: &str, what: &'static str) -> Result<i64, crate::error::ApiError> {
    text.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or(crate::error::ApiError::NotFound(what))
}

/// An optional id from a query string: absent or empty is `None`; anything not an id is
/// recorded against its field.
pub(crate) fn optional_id(
    errors: &mut Vec<portal_dto::FieldError>,
    field: &str,
    value: Option<&str>,
) -> Option<i64> {
    let text = value.filter(|text| !text.is_empty())?;
    match text.parse::<i64>() {
        Ok(id) => Some(id),
        Err(_) => {
            errors.push(portal_dto::FieldError {
                field: field.into(),
                message: "must be an id from the list".into(),
            });
            None
        }
    }
}

/// An optional date from a query string, `YYYY-MM-DD`: absent or empty is `None`; anything
/// else that is not a date is recorded against its field.
pub(crate) fn optional_date(
    errors: &mut Vec<portal_dto::FieldError>,
    field: &str,
    value: Option<&str>,
) -> Option<time::Date> {
    let text = value.map(str::trim).filter(|text| !text.is_empty())?;
    match portal_domain::calendar::parse_iso_date(text) {
        Ok(day) => Some(day),
        Err(_) => {
            errors.push(portal_dto::FieldError {
                field: field.into(),
                message: "must be a date, YYYY-MM-DD".into(),
            });
            None
        }
    }
}

/// The error responses operations share, each a problem+json, for their utoipa annotations.
pub mod problems {
    use portal_dto::Problem;

    /// 401.
    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 401,
        description = "Not signed in",
        content_type = "application/problem+json"
    )]
    pub struct NotSignedIn(pub Problem);

    /// 403.
    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 403,
        description = "Not council staff",
        content_type = "application/problem+json"
    )]
    pub struct NotCouncilStaff(pub Problem);

    /// 404.
    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 404,
        description = "No such record of yours",
        content_type = "application/problem+json"
    )]
    pub struct NotFound(pub Problem);

    /// 409.
    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 409,
        description = "Someone else saved first",
        content_type = "application/problem+json"
    )]
    pub struct StaleVersion(pub Problem);

    /// 422.
    #[derive(utoipa::IntoResponses)]
    #[response(
        status = 422,
        description = "Bad fields, every one named",
        content_type = "application/problem+json"
    )]
    pub struct Invalid(pub Problem);
}
