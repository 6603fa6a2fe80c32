//! Council staff maintain reference data: organisations, contracts, services, service
//! levels with dated rates, clients, and CPLIs with their versions. The rules live in
//! `crate::catalogue`, shared with the integration batches and the demo.

use actix_web::{get, post, put, web, HttpResponse};
use portal_dto::{
    Client, Contract, CpliSummary, DatedRate, Deactivate, Edited, NewClient, NewContract, NewCpli,
    NewCpliVersion, NewOrganisation, NewService, NewServiceLevel, Organisation, Page, Problem,
    RateChange, ServiceDetails, ServiceLevel, ServiceSummary, UpdateClient, UpdateContract,
    UpdateOrganisation, UpdateService, UpdateServiceLevel,
};
use portal_store::Store;

use crate::auth::Caller;
use crate::catalogue::{self, CouncilActor};
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::routes::parse_id;
use crate::routes::problems::{Invalid, NotCouncilStaff, NotSignedIn, StaleVersion};

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(create_organisation)
        .service(create_contract)
        .service(create_service)
        .service(create_service_level)
        .service(add_rate)
        .service(create_client)
        .service(create_cpli)
        .service(add_cpli_version)
        .service(list_organisations)
        .service(get_organisation)
        .service(list_contracts)
        .service(list_service_levels)
        .service(list_clients)
        .service(get_client)
        .service(get_service)
        .service(edit_organisation)
        .service(edit_client)
        .service(edit_service)
        .service(edit_service_level)
        .service(edit_contract)
        .service(deactivate);
}

#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
pub struct ListQuery {
    /// Only this organisation's (contracts).
    organisation: Option<String>,
    /// Only this contract's (service levels).
    contract: Option<String>,
    /// Clients whose SSRef or name contains this.
    search: Option<String>,
}

fn filter_id(field: &str, value: &Option<String>) -> Result<Option<i64>, ApiError> {
    let mut errors = Vec::new();
    let id = crate::routes::optional_id(&mut errors, field, value.as_deref());
    if errors.is_empty() {
        Ok(id)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// Organisations: a provider's own, or all of the council's.
#[utoipa::path(
    tag = "reference", operation_id = "list_organisations",
    responses(
        (status = 200, description = "Organisations by name", body = Page<Organisation>),
        NotSignedIn,
    )
)]
#[get("/organisations")]
pub async fn list_organisations(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<Page<Organisation>>, ApiError> {
    let items = store
        .organisations(caller.scope())
        .await?
        .into_iter()
        .map(catalogue::organisation_view)
        .collect();
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// One organisation's details (read-only for providers: edits are change requests).
#[utoipa::path(
    tag = "reference", operation_id = "get_organisation",
    params(("organisation_id" = String, Path, description = "The organisation")),
    responses(
        (status = 200, description = "The organisation", body = Organisation),
        NotSignedIn,
        (status = 404, description = "No such organisation of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/organisations/{organisation_id}")]
pub async fn get_organisation(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<Organisation>, ApiError> {
    let id = parse_id(&path, "organisation")?;
    let record = store
        .organisation(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("organisation"))?;
    Ok(web::Json(catalogue::organisation_view(record)))
}

/// The council's contracts, optionally one organisation's.
#[utoipa::path(
    tag = "reference", operation_id = "list_contracts", params(ListQuery),
    responses(
        (status = 200, description = "Contracts", body = Page<Contract>),
        NotSignedIn,
        NotCouncilStaff,
    )
)]
#[get("/contracts")]
pub async fn list_contracts(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<Contract>>, ApiError> {
    let council_id = caller.council_staff_of()?;
    let organisation = filter_id("organisation", &query.organisation)?;
    let mut items = Vec::new();
    for record in store.contracts(council_id, organisation).await? {
        items.push(catalogue::contract_view(&store, record).await?);
    }
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// The council's service levels with their dated rates, optionally one contract's.
#[utoipa::path(
    tag = "reference", operation_id = "list_service_levels", params(ListQuery),
    responses(
        (status = 200, description = "Service levels", body = Page<ServiceLevel>),
        NotSignedIn,
        NotCouncilStaff,
    )
)]
#[get("/service-levels")]
pub async fn list_service_levels(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<ServiceLevel>>, ApiError> {
    let council_id = caller.council_staff_of()?;
    let contract = filter_id("contract", &query.contract)?;
    let items = catalogue::service_levels(&store, council_id, contract).await?;
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// The council's clients, optionally those whose SSRef or name contains `search`.
#[utoipa::path(
    tag = "reference", operation_id = "list_clients", params(ListQuery),
    responses(
        (status = 200, description = "Clients by surname", body = Page<Client>),
        NotSignedIn,
        NotCouncilStaff,
    )
)]
#[get("/clients")]
pub async fn list_clients(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<Client>>, ApiError> {
    let council_id = caller.council_staff_of()?;
    let items = store
        .clients(council_id, query.search.as_deref().unwrap_or(""))
        .await?
        .into_iter()
        .map(|(record, external_ref, version)| {
            catalogue::client_view(record, external_ref, version)
        })
        .collect();
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// One client of the council.
#[utoipa::path(
    tag = "reference", operation_id = "get_client",
    params(("client_id" = String, Path, description = "The client")),
    responses(
        (status = 200, description = "The client, with its version for edits", body = Client),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such client of this council", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/clients/{client_id}")]
pub async fn get_client(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<Client>, ApiError> {
    let council_id = caller.council_staff_of()?;
    let id = parse_id(&path, "client")?;
    let (record, external_ref, version) = store
        .client_details(council_id, id)
        .await?
        .ok_or(ApiError::NotFound("client"))?;
    Ok(web::Json(catalogue::client_view(
        record,
        external_ref,
        version,
    )))
}

/// One service's details with its address (read-only for providers).
#[utoipa::path(
    tag = "reference", operation_id = "get_service",
    params(("service_id" = String, Path, description = "The service")),
    responses(
        (status = 200, description = "The service", body = ServiceDetails),
        NotSignedIn,
        (status = 404, description = "No such service of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{service_id}")]
pub async fn get_service(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<ServiceDetails>, ApiError> {
    let id = parse_id(&path, "service")?;
    let service = store
        .service(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("service"))?;
    let address = store
        .service_address(id)
        .await?
        .ok_or(ApiError::NotFound("service"))?;
    Ok(web::Json(ServiceDetails {
        service: crate::week_view::service_summary(&service),
        address_line1: address.address_line1,
        town: address.town,
        postcode: address.postcode,
        version: store
            .version_of(portal_store::edits::Editable::Service, id)
            .await?,
    }))
}

fn created<T: serde::Serialize>(body: T) -> HttpResponse {
    HttpResponse::Created().json(body)
}

/// Registers a provider organisation with the caller's council.
#[utoipa::path(
    tag = "reference", operation_id = "create_organisation", request_body = NewOrganisation,
    responses(
        (status = 201, description = "Created", body = Organisation),
        NotSignedIn,
        NotCouncilStaff,
        Invalid,
    )
)]
#[post("/organisations")]
pub async fn create_organisation(
    caller: Caller,
    store: web::Data<Store>,
    body: ValidJson<NewOrganisation>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor();
    let council = CouncilActor {
        council_id: caller.council_staff_of()?,
        actor: Some(&actor),
    };
    Ok(created(
        catalogue::create_organisation(&store, council, &body.0).await?,
    ))
}

/// Creates a contract with an organisation, with its exception settings (DOMAIN 4.6).
#[utoipa::path(
    tag = "reference", operation_id = "create_contract", request_body = NewContract,
    responses(
        (status = 201, description = "Created", body = Contract),
        NotSignedIn,
        NotCouncilStaff,
        Invalid,
    )
)]
#[post("/contracts")]
pub async fn create_contract(
    caller: Caller,
    store: web::Data<Store>,
    body: ValidJson<NewContract>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor();
    let council = CouncilActor {
        council_id: caller.council_staff_of()?,
        actor: Some(&actor),
    };
    Ok(created(
        catalogue::create_contract(&store, council, &body.0).await?,
    ))
}

/// Creates a service (site) of an organisation, under one of its contracts.
#[utoipa::path(
    tag = "reference", operation_id = "create_service", request_body = NewService,
    responses(
        (status = 201, description = "Created", body = ServiceSummary),
        NotSignedIn,
        NotCouncilStaff,
        Invalid,
    )
)]
#[post("/services")]
pub async fn create_service(
    caller: Caller,
    store: web::Data<Store>,
    body: ValidJson<NewService>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor();
    let council = CouncilActor {
        council_id: caller.council_staff_of()?,
        actor: Some(&actor),
    };
    Ok(created(
        catalogue::create_service(&store, council, &body.0).await?,
    ))
}

/// Creates a service level under a contract, with its first dated rate.
#[utoipa::path(
    tag = "reference", operation_id = "create_service_level", request_body = NewServiceLevel,
    responses(
        (status = 201, description = "Created", body = ServiceLevel),
        NotSignedIn,
        NotCouncilStaff,
        Invalid,
    )
)]
#[post("/service-levels")]
pub async fn create_service_level(
    caller: Caller,
    store: web::Data<Store>,
    body: ValidJson<NewServiceLevel>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor();
    let council = CouncilActor {
        council_id: caller.council_staff_of()?,
        actor: Some(&actor),
    };
    Ok(created(
        catalogue::create_service_level(&store, council, &body.0).await?,
    ))
}

/// A new rate from a date. Each CPLI the level prices gets a new version from that day, so
/// every day is paid at the rate in force on it.
#[utoipa::path(
    tag = "reference", operation_id = "add_service_level_rate", request_body = DatedRate,
    params(("service_level_id" = String, Path, description = "The service level")),
    responses(
        (status = 201, description = "The level with all its rates, and the versions made", body = RateChange),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such service level of this council", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A rate from that date exists, or a CPLI changed meanwhile", body = Problem, content_type = "application/problem+json"),
        Invalid,
    )
)]
#[post("/service-levels/{service_level_id}/rates")]
pub async fn add_rate(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<DatedRate>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor();
    let council = CouncilActor {
        council_id: caller.council_staff_of()?,
        actor: Some(&actor),
    };
    let level_id = parse_id(&path, "service level")?;
    Ok(created(
        catalogue::change_rate(&store, council, level_id, &body.0).await?,
    ))
}

/// Creates a client (service user), known by their SSRef.
#[utoipa::path(
    tag = "reference", operation_id = "create_client", request_body = NewClient,
    responses(
        (status = 201, description = "Created", body = Client),
        NotSignedIn,
        NotCouncilStaff,
        (status = 422, description = "Bad fields, every one named (a duplicate SSRef too)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/clients")]
pub async fn create_client(
    caller: Caller,
    store: web::Data<Store>,
    body: ValidJson<NewClient>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor();
    let council = CouncilActor {
        council_id: caller.council_staff_of()?,
        actor: Some(&actor),
    };
    Ok(created(
        catalogue::create_client(&store, council, &body.0).await?,
    ))
}

/// Creates a care package line item: one service for one client, from a date.
#[utoipa::path(
    tag = "reference", operation_id = "create_cpli",
    request_body(content = NewCpli, example = json!({
        "client_id": "1", "service_id": "1", "service_level_id": "1", "start": "2022-06-06",
        "weekly_quantity": "7", "planned_visits": "7", "budget_code": "RGVQ-5840", "authorised": true
    })),
    responses(
        (status = 201, description = "Created", body = CpliSummary),
        NotSignedIn,
        NotCouncilStaff,
        Invalid,
    )
)]
#[post("/cplis")]
pub async fn create_cpli(
    caller: Caller,
    store: web::Data<Store>,
    body: ValidJson<NewCpli>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor();
    let council = CouncilActor {
        council_id: caller.council_staff_of()?,
        actor: Some(&actor),
    };
    Ok(created(
        catalogue::create_cpli(&store, council, &body.0).await?,
    ))
}

/// Changes a CPLI from a date: a new version. The version it supersedes ends the day
/// before; the weeks before keep it.
#[utoipa::path(
    tag = "reference", operation_id = "add_cpli_version", request_body = NewCpliVersion,
    params(("cpli_id" = String, Path, description = "The CPLI ID")),
    responses(
        (status = 201, description = "Every version, oldest first", body = Page<CpliSummary>),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such CPLI of this council", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Another version was made since the one you saw", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, every one named; overlapping versions", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/cplis/{cpli_id}/versions")]
pub async fn add_cpli_version(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<NewCpliVersion>,
) -> Result<HttpResponse, ApiError> {
    let actor = caller.actor();
    let council = CouncilActor {
        council_id: caller.council_staff_of()?,
        actor: Some(&actor),
    };
    let lineage = parse_id(&path, "care package line item")?;
    let items = catalogue::add_cpli_version(&store, council, lineage, &body.0).await?;
    Ok(created(Page {
        items,
        next_cursor: None,
    }))
}

fn council_of<'a>(
    caller: &Caller,
    actor: &'a portal_store::actuals::Actor,
) -> Result<CouncilActor<'a>, ApiError> {
    Ok(CouncilActor {
        council_id: caller.council_staff_of()?,
        actor: Some(actor),
    })
}

/// Edits an organisation's details. Send the version you read; a stale one gets 409.
#[utoipa::path(
    tag = "reference", operation_id = "edit_organisation", request_body = UpdateOrganisation,
    params(("organisation_id" = String, Path, description = "The organisation")),
    responses(
        (status = 200, description = "Saved, with the new version", body = Edited),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such organisation of this council", body = Problem, content_type = "application/problem+json"),
        StaleVersion,
        Invalid,
    )
)]
#[put("/organisations/{organisation_id}")]
pub async fn edit_organisation(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<UpdateOrganisation>,
) -> Result<web::Json<Edited>, ApiError> {
    let actor = caller.actor();
    let id = parse_id(&path, "organisation")?;
    Ok(web::Json(
        catalogue::edit_organisation(&store, council_of(&caller, &actor)?, id, &body.0).await?,
    ))
}

/// Edits a client's SSRef and names. Send the version you read; a stale one gets 409.
#[utoipa::path(
    tag = "reference", operation_id = "edit_client", request_body = UpdateClient,
    params(("client_id" = String, Path, description = "The client")),
    responses(
        (status = 200, description = "Saved, with the new version", body = Edited),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such client of this council", body = Problem, content_type = "application/problem+json"),
        StaleVersion,
        Invalid,
    )
)]
#[put("/clients/{client_id}")]
pub async fn edit_client(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<UpdateClient>,
) -> Result<web::Json<Edited>, ApiError> {
    let actor = caller.actor();
    let id = parse_id(&path, "client")?;
    Ok(web::Json(
        catalogue::edit_client(&store, council_of(&caller, &actor)?, id, &body.0).await?,
    ))
}

/// Edits a service's name and address. Send the version you read; a stale one gets 409.
#[utoipa::path(
    tag = "reference", operation_id = "edit_service", request_body = UpdateService,
    params(("service_id" = String, Path, description = "The service")),
    responses(
        (status = 200, description = "Saved, with the new version", body = Edited),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such service of this council", body = Problem, content_type = "application/problem+json"),
        StaleVersion,
        Invalid,
    )
)]
#[put("/services/{service_id}")]
pub async fn edit_service(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<UpdateService>,
) -> Result<web::Json<Edited>, ApiError> {
    let actor = caller.actor();
    let id = parse_id(&path, "service")?;
    Ok(web::Json(
        catalogue::edit_service(&store, council_of(&caller, &actor)?, id, &body.0).await?,
    ))
}

/// Edits a service level's names and reporting codes. Send the version you read.
#[utoipa::path(
    tag = "reference", operation_id = "edit_service_level", request_body = UpdateServiceLevel,
    params(("service_level_id" = String, Path, description = "The service level")),
    responses(
        (status = 200, description = "Saved, with the new version", body = Edited),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such service level of this council", body = Problem, content_type = "application/problem+json"),
        StaleVersion,
        Invalid,
    )
)]
#[put("/service-levels/{service_level_id}")]
pub async fn edit_service_level(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<UpdateServiceLevel>,
) -> Result<web::Json<Edited>, ApiError> {
    let actor = caller.actor();
    let id = parse_id(&path, "service level")?;
    Ok(web::Json(
        catalogue::edit_service_level(&store, council_of(&caller, &actor)?, id, &body.0).await?,
    ))
}

/// Deactivates an organisation, contract, service, service level or client: it stays, with
/// its history, but is no longer offered. Nothing is ever deleted.
#[utoipa::path(
    tag = "reference", operation_id = "deactivate", request_body = Deactivate,
    params(
        ("kind" = String, Path, description = "organisations, contracts, services, service-levels or clients"),
        ("id" = String, Path, description = "The record"),
    ),
    responses(
        (status = 200, description = "Deactivated, with the new version", body = Edited),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such record of this council", body = Problem, content_type = "application/problem+json"),
        StaleVersion,
    )
)]
#[post("/{kind}/{id}/deactivate")]
pub async fn deactivate(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<(String, String)>,
    body: ValidJson<Deactivate>,
) -> Result<web::Json<Edited>, ApiError> {
    use portal_store::edits::Editable;
    let actor = caller.actor();
    let (kind, id) = path.into_inner();
    let (kind, what) = match kind.as_str() {
        "organisations" => (Editable::Organisation, "organisation"),
        "contracts" => (Editable::Contract, "contract"),
        "services" => (Editable::Service, "service"),
        "service-levels" => (Editable::ServiceLevel, "service level"),
        "clients" => (Editable::Client, "client"),
        _ => return Err(ApiError::NotFound("API route")),
    };
    let id = parse_id(&id, what)?;
    Ok(web::Json(
        catalogue::deactivate(
            &store,
            council_of(&caller, &actor)?,
            kind,
            id,
            body.0.version,
            what,
        )
        .await?,
    ))
}

/// Edits a contract's terms: name, type group, VAT rate, exception settings (types left out
/// keep theirs) and the rules of DOMAIN 14a. Send the version you read.
#[utoipa::path(
    tag = "reference", operation_id = "edit_contract", request_body = UpdateContract,
    params(("contract_id" = String, Path, description = "The contract")),
    responses(
        (status = 200, description = "Saved", body = Contract),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such contract of this council", body = Problem, content_type = "application/problem+json"),
        StaleVersion,
        Invalid,
    )
)]
#[put("/contracts/{contract_id}")]
pub async fn edit_contract(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<UpdateContract>,
) -> Result<web::Json<Contract>, ApiError> {
    let actor = caller.actor();
    let id = parse_id(&path, "contract")?;
    Ok(web::Json(
        catalogue::edit_contract(&store, council_of(&caller, &actor)?, id, &body.0).await?,
    ))
}
