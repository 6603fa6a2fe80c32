//! One-off claims (DOMAIN 8): a provider submits a claim outside the care plan under one of
//! its contracts, for a client or for itself, with a file of evidence; council staff approve
//! or reject it (with a reason); an approved claim is paid in the contract's next payment
//! period (`payments.rs` reads `Store::claims_to_pay`). Providers see their organisations'
//! claims, council staff their council's; any other claim is 404.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, post, web, HttpResponse};
use base64::Engine;
use portal_domain::access::ProviderTask;
use portal_domain::claim::{self, ClaimDraft, ClaimFieldError, ClaimStatus, Decision};
use portal_dto::{
    ClaimChoice, ClaimContractOption, ClaimPaidPeriod, CreateOneOffClaim, DecideOneOffClaim,
    EvidenceInfo, FieldError, OneOffClaim, OneOffClaimOptions, Page, Problem,
};
use portal_store::claims::{ClaimClient, ClaimFilter, ClaimRecord, NewClaim};
use portal_store::Store;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::clock::Clock;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::routes::problems::{NotSignedIn, StaleVersion};
use crate::routes::{optional_id, parse_id};

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_claims)
        .service(claim_options)
        .service(create_claim)
        .service(get_claim)
        .service(claim_evidence)
        .service(decide_claim);
}

fn field_errors(errors: Vec<ClaimFieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|error| FieldError {
            field: error.field.to_owned(),
            message: error.message,
        })
        .collect()
}

fn client_name(client: &ClaimClient) -> String {
    format!("{}, {} ({})", client.surname, client.forename, client.ssref)
}

fn two_places(value: rust_decimal::Decimal) -> String {
    let mut value = value;
    value.rescale(2);
    value.to_string()
}

/// A stored claim as the API shows it.
fn view(record: &ClaimRecord) -> OneOffClaim {
    let paid = record.status == ClaimStatus::Approved && record.paid_period.is_some();
    let item = if record.client.is_some() {
        claim::ClaimItem::Client
    } else {
        claim::ClaimItem::Provider
    };
    OneOffClaim {
        id: record.id.to_string(),
        version: record.version,
        organisation_id: record.organisation_id.to_string(),
        organisation_name: record.organisation_name.clone(),
        contract_id: record.contract_id.to_string(),
        contract_name: record.contract_name.clone(),
        item: item.code().to_owned(),
        item_label: item.label().to_owned(),
        client_id: record.client.as_ref().map(|client| client.id.to_string()),
        client_name: record.client.as_ref().map(client_name),
        description: record.description.clone(),
        claim_date: record.claim_date.clone(),
        amount: two_places(record.amount.value()),
        vat: two_places(record.vat.value()),
        total: two_places(record.amount.value() + record.vat.value()),
        status: if paid {
            "paid".to_owned()
        } else {
            record.status.code().to_owned()
        },
        status_label: claim::display_status(record.status, paid).to_owned(),
        reason: record.reason.clone(),
        submitted_at: record.submitted_at.clone(),
        submitted_by: record.submitted_by.clone(),
        decided_at: record.decided_at.clone(),
        decided_by: record.decided_by.clone(),
        evidence: EvidenceInfo {
            file_name: record.file_name.clone(),
            content_type: record.content_type.clone(),
            size_bytes: record.size_bytes,
        },
        paid_period: record.paid_period.as_ref().map(|period| ClaimPaidPeriod {
            starts_on: period.starts_on.clone(),
            ends_on: period.ends_on.clone(),
        }),
    }
}

async fn claim_in_scope(
    store: &Store,
    caller: &Caller,
    claim_id: &str,
) -> Result<ClaimRecord, ApiError> {
    let id = parse_id(claim_id, "one-off claim")?;
    store
        .claim(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("one-off claim"))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ClaimQuery {
    /// `submitted`, `approved` (approved, not yet paid), `rejected` or `paid`.
    status: Option<String>,
    /// Only claims under this contract.
    contract_id: Option<String>,
}

/// Lists the one-off claims the caller can see, newest claim date first: a provider's
/// organisations' claims, or council staff's council's.
#[utoipa::path(
    tag = "claims",
    operation_id = "list_one_off_claims",
    params(ClaimQuery),
    responses(
        (status = 200, description = "Claims, newest claim date first", body = Page<OneOffClaim>),
        NotSignedIn,
        (status = 422, description = "A bad filter, named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/one-off-claims")]
#[tracing::instrument(skip(caller, store))]
pub async fn list_claims(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<ClaimQuery>,
) -> Result<web::Json<Page<OneOffClaim>>, ApiError> {
    let mut errors = Vec::new();
    // "paid" and "approved" are both stored as approved; which is which is read afterwards.
    let wanted = query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty());
    let status = match wanted {
        None => None,
        Some("paid") => Some(ClaimStatus::Approved),
        Some(text) => match ClaimStatus::parse(text) {
            Some(status) => Some(status),
            None => {
                errors.push(FieldError {
                    field: "status".into(),
                    message: "must be submitted, approved, rejected or paid".into(),
                });
                None
            }
        },
    };
    let contract_id = optional_id(&mut errors, "contract_id", query.contract_id.as_deref());
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let filter = ClaimFilter {
        status,
        contract_id,
    };
    let items = store
        .claims(caller.scope(), &filter)
        .await?
        .iter()
        .map(view)
        .filter(|claim| wanted.is_none_or(|wanted| claim.status == wanted))
        .collect();
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// What a new claim may name: the caller's contracts, each with the clients that have a care
/// package line item under it.
#[utoipa::path(
    tag = "claims",
    operation_id = "one_off_claim_options",
    responses(
        (status = 200, description = "Contracts and their clients", body = OneOffClaimOptions),
        NotSignedIn,
    )
)]
#[get("/one-off-claim-options")]
#[tracing::instrument(skip(caller, store))]
pub async fn claim_options(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<OneOffClaimOptions>, ApiError> {
    let mut contracts = Vec::new();
    for contract in store.claim_contracts(caller.scope()).await? {
        let clients = store
            .claim_clients(contract.id)
            .await?
            .iter()
            .map(|client| ClaimChoice {
                id: client.id.to_string(),
                name: client_name(client),
            })
            .collect();
        contracts.push(ClaimContractOption {
            id: contract.id.to_string(),
            name: contract.name,
            organisation_id: contract.organisation_id.to_string(),
            clients,
        });
    }
    Ok(web::Json(OneOffClaimOptions { contracts }))
}

/// Submits a one-off claim to the council, with its evidence (PDF, PNG or JPEG, at most
/// 5 MB, base64). A client item names a client with a care package line item under the
/// contract; a provider item names none. Every bad field is named at once.
#[utoipa::path(
    tag = "claims",
    operation_id = "create_one_off_claim",
    request_body = CreateOneOffClaim,
    responses(
        (status = 201, description = "Submitted", body = OneOffClaim),
        NotSignedIn,
        (status = 403, description = "Council staff, or a role that may not claim payment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such contract of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, every one named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/one-off-claims")]
#[tracing::instrument(skip(caller, store, clock, body))]
pub async fn create_claim(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    body: ValidJson<CreateOneOffClaim>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    if caller.is_council {
        return Err(ApiError::Forbidden(
            "Providers submit one-off claims; council staff decide on them.".into(),
        ));
    }
    caller.person_id()?;
    let contract_id = parse_id(&body.contract_id, "contract")?;
    let contract = store
        .claim_contract(caller.scope(), contract_id)
        .await?
        .ok_or(ApiError::NotFound("contract"))?;
    caller.may(contract.organisation_id, ProviderTask::ClaimPayment)?;

    let mut errors = Vec::new();
    let client_text = body
        .client_id
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty());
    let draft = ClaimDraft {
        item: &body.item,
        has_client: client_text.is_some(),
        description: &body.description,
        claim_date: &body.claim_date,
        amount: &body.amount,
        vat: &body.vat,
    };
    let valid = claim::validate(&draft, clock.now().date()).map_err(field_errors);
    let valid = match valid {
        Ok(valid) => Some(valid),
        Err(bad) => {
            errors.extend(bad);
            None
        }
    };
    // A client outside the contract is a bad choice on this form, not someone else's record.
    let mut client_id = None;
    if let Some(text) = client_text {
        match text.parse::<i64>() {
            Ok(id) if store.client_has_care_under(contract.id, id).await? => client_id = Some(id),
            _ if body.item.trim() == "client" => errors.push(FieldError {
                field: "client_id".into(),
                message: "must be a client with care under this contract".into(),
            }),
            _ => {}
        }
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body.evidence.content_base64.trim())
        .map_err(|_| FieldError {
            field: "evidence.content_base64".into(),
            message: "must be the file's content in base64".into(),
        });
    let evidence = match bytes {
        Ok(bytes) => match claim::check_evidence(
            &body.evidence.file_name,
            &body.evidence.content_type,
            bytes,
        ) {
            Ok(evidence) => Some(evidence),
            Err(bad) => {
                errors.extend(field_errors(bad));
                None
            }
        },
        Err(bad) => {
            errors.push(bad);
            None
        }
    };
    let (Some(valid), Some(evidence), true) = (valid, evidence, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let id = store
        .create_claim(
            &NewClaim {
                contract: &contract,
                client_id,
                description: &valid.description,
                claim_date: valid.claim_date,
                amount: valid.amount,
                vat: valid.vat,
                file_name: &evidence.file_name,
                content_type: evidence.kind.content_type(),
                content: &evidence.bytes,
            },
            &caller.actor(),
        )
        .await?;
    let record = store
        .claim(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("one-off claim"))?;
    Ok(HttpResponse::Created()
        .insert_header((
            actix_web::http::header::LOCATION,
            format!("/api/v1/one-off-claims/{id}"),
        ))
        .json(view(&record)))
}

/// One one-off claim, with its status, the council's reason when rejected, and the period
/// that paid it once paid.
#[utoipa::path(
    tag = "claims",
    operation_id = "get_one_off_claim",
    params(("claim_id" = String, Path, description = "The claim")),
    responses(
        (status = 200, description = "The claim, with its version for a decision", body = OneOffClaim),
        NotSignedIn,
        (status = 404, description = "No such claim of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/one-off-claims/{claim_id}")]
#[tracing::instrument(skip(caller, store))]
pub async fn get_claim(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<OneOffClaim>, ApiError> {
    let record = claim_in_scope(&store, &caller, &path).await?;
    Ok(web::Json(view(&record)))
}

/// The claim's evidence file, with its type and its name as a download.
#[utoipa::path(
    tag = "claims",
    operation_id = "get_one_off_claim_evidence",
    params(("claim_id" = String, Path, description = "The claim")),
    responses(
        (status = 200, description = "The file, as application/pdf, image/png or image/jpeg", body = String, content_type = "application/octet-stream"),
        NotSignedIn,
        (status = 404, description = "No such claim of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/one-off-claims/{claim_id}/evidence")]
#[tracing::instrument(skip(caller, store))]
pub async fn claim_evidence(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&path, "one-off claim")?;
    let (file_name, content_type, bytes) = store
        .claim_evidence(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("one-off claim"))?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name)],
        })
        .body(bytes))
}

/// Council staff approve a submitted claim, or reject it with a reason the provider is
/// shown. A decision is made once; a stale version is refused.
#[utoipa::path(
    tag = "claims",
    operation_id = "decide_one_off_claim",
    params(("claim_id" = String, Path, description = "The claim")),
    request_body = DecideOneOffClaim,
    responses(
        (status = 200, description = "Decided", body = OneOffClaim),
        NotSignedIn,
        (status = 403, description = "Not council staff", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such claim of this council", body = Problem, content_type = "application/problem+json"),
        StaleVersion,
        (status = 422, description = "Bad fields, every one named (a rejection needs a reason)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/one-off-claims/{claim_id}/decision")]
#[tracing::instrument(skip(caller, store, body))]
pub async fn decide_claim(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<DecideOneOffClaim>,
) -> Result<web::Json<OneOffClaim>, ApiError> {
    caller.council_staff_of()?;
    let record = claim_in_scope(&store, &caller, &path).await?;
    caller.person_id()?;
    let decision = Decision::parse(&body.0.decision, body.0.reason.as_deref())
        .map_err(|errors| ApiError::Validation(field_errors(errors)))?;
    if body.0.version != record.version {
        return Err(ApiError::Store(portal_store::StoreError::StaleVersion {
            sent: body.0.version,
            current: record.version,
        }));
    }
    let status = record
        .status
        .decide(&decision)
        .map_err(ApiError::Conflict)?;
    store
        .decide_claim(
            &record,
            body.0.version,
            status,
            decision.reason(),
            &caller.actor(),
        )
        .await?;
    let record = claim_in_scope(&store, &caller, &path).await?;
    Ok(web::Json(view(&record)))
}
