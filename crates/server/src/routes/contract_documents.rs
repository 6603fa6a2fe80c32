//! Contract documents (DOMAIN 11): council staff publish a PDF for a service, optionally for
//! one of its clients, with a type and a date range; the provider lists them (service,
//! client, status), downloads one, and agrees or rejects it (a reason is required), typing
//! their password again: the decision is recorded as a signature with who, when and the
//! SHA-256 of the document. Council staff may terminate a document. Nothing is deleted.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use base64::Engine;
use portal_domain::calendar::parse_iso_date;
use portal_domain::claim::{self, EvidenceType};
use portal_domain::contract_document::{self, Decision, DocumentStatus};
use portal_dto::{
    ContractDocument, DocumentDecision, DocumentSignature, DocumentTermination, FieldError,
    NewContractDocument, Page, Problem,
};
use portal_store::contract_documents::{DocumentFilter, DocumentRecord, NewDocument};
use portal_store::Store;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use utoipa::IntoParams;

use crate::auth::passwords::Hasher;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::routes::auth::{current_password_error, signed_in_user};
use crate::routes::problems::{NotCouncilStaff, NotFound, NotSignedIn};
use crate::routes::{optional_date, optional_id, parse_id};

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_documents)
        .service(publish_document)
        .service(get_document)
        .service(document_file)
        .service(decide_document)
        .service(terminate_document);
}

const TEXT_LIMIT: usize = 200;

fn field(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

async fn document_dto(store: &Store, record: DocumentRecord) -> Result<ContractDocument, ApiError> {
    let signatures = store
        .document_signatures(record.id)
        .await?
        .into_iter()
        .map(|signature| DocumentSignature {
            decision: signature.decision,
            reason: signature.reason,
            signed_at: signature.signed_at,
            signed_by: signature.signed_by,
            document_sha256: signature.document_sha256,
        })
        .collect();
    let status_label = DocumentStatus::from_code(&record.status)
        .map_or_else(|| record.status.clone(), |status| status.label().to_owned());
    Ok(ContractDocument {
        id: record.id.to_string(),
        organisation_id: record.organisation_id.to_string(),
        organisation_name: record.organisation_name,
        service_id: record.service_id.to_string(),
        service_name: record.service_name,
        client_id: record.client_id.map(|id| id.to_string()),
        client_name: record.client_name,
        document_type: record.document_type,
        title: record.title,
        starts_on: record.starts_on,
        ends_on: record.ends_on,
        file_name: record.file_name,
        size_bytes: record.size_bytes,
        sha256: record.sha256,
        status: record.status,
        status_label,
        published_at: record.published_at,
        published_by: record.published_by,
        version: record.version,
        signatures,
    })
}

async fn document_in_scope(
    store: &Store,
    caller: &Caller,
    path: &str,
) -> Result<DocumentRecord, ApiError> {
    let id = parse_id(path, "contract document")?;
    store
        .document(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("contract document"))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DocumentQuery {
    /// Only this service's documents.
    service_id: Option<String>,
    /// Only this client's documents.
    client_id: Option<String>,
    /// `published`, `agreed`, `rejected` or `terminated`; all when absent.
    status: Option<String>,
}

/// Contract documents: a provider's organisations', or council staff's council's; newest
/// first. Terminated documents are listed too.
#[utoipa::path(
    tag = "contract-documents",
    operation_id = "list_contract_documents",
    params(DocumentQuery),
    responses(
        (status = 200, description = "Documents, newest first", body = Page<ContractDocument>),
        NotSignedIn,
        (status = 422, description = "A bad filter, named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/contract-documents")]
pub async fn list_documents(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<DocumentQuery>,
) -> Result<web::Json<Page<ContractDocument>>, ApiError> {
    let mut errors = Vec::new();
    let service_id = optional_id(&mut errors, "service_id", query.service_id.as_deref());
    let client_id = optional_id(&mut errors, "client_id", query.client_id.as_deref());
    let status = match query.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => {
            let status = DocumentStatus::from_code(code);
            if status.is_none() {
                errors.push(field(
                    "status",
                    "must be published, agreed, rejected or terminated",
                ));
            }
            status
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let filter = DocumentFilter {
        service_id,
        client_id,
        status,
    };
    let mut items = Vec::new();
    for record in store.documents(caller.scope(), &filter).await? {
        items.push(document_dto(&store, record).await?);
    }
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// Council staff publish a PDF for one of their services, optionally for one of its clients.
#[utoipa::path(
    tag = "contract-documents",
    operation_id = "publish_contract_document",
    request_body = NewContractDocument,
    responses(
        (status = 201, description = "Published", body = ContractDocument),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such service or client of the council", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, every one named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/contract-documents")]
pub async fn publish_document(
    caller: Caller,
    store: web::Data<Store>,
    body: ValidJson<NewContractDocument>,
) -> Result<HttpResponse, ApiError> {
    let council_id = caller.council_staff_of()?;
    caller.person_id()?;
    let body = body.0;
    let mut errors = Vec::new();
    let service_id = match body.service_id.trim().parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.push(field("service_id", "Choose the service"));
            None
        }
    };
    let client_id = optional_id(&mut errors, "client_id", body.client_id.as_deref());
    let document_type = body.document_type.trim();
    if document_type.is_empty() || document_type.chars().count() > TEXT_LIMIT {
        errors.push(field("document_type", "Enter the type of document"));
    }
    let title = body.title.trim();
    if title.is_empty() || title.chars().count() > TEXT_LIMIT {
        errors.push(field(
            "title",
            format!("Enter a title of at most {TEXT_LIMIT} characters"),
        ));
    }
    let starts_on = match parse_iso_date(body.starts_on.trim()) {
        Ok(day) => Some(day),
        Err(_) => {
            errors.push(field(
                "starts_on",
                "Enter the date the document applies from",
            ));
            None
        }
    };
    let ends_on = optional_date(&mut errors, "ends_on", body.ends_on.as_deref());
    if let (Some(start), Some(end)) = (starts_on, ends_on) {
        if end < start {
            errors.push(field("ends_on", "must not be before the start"));
        }
    }
    let file =
        match base64::engine::general_purpose::STANDARD.decode(body.file.content_base64.trim()) {
            Ok(bytes) => {
                match claim::check_evidence(&body.file.file_name, &body.file.content_type, bytes) {
                    Ok(file) if file.kind == EvidenceType::Pdf => Some(file),
                    Ok(_) => {
                        errors.push(field(
                            "file.content_type",
                            "must be a PDF (application/pdf)",
                        ));
                        None
                    }
                    Err(bad) => {
                        errors.extend(bad.into_iter().map(|error| {
                            field(&error.field.replacen("evidence", "file", 1), error.message)
                        }));
                        None
                    }
                }
            }
            Err(_) => {
                errors.push(field(
                    "file.content_base64",
                    "must be the file's content in base64",
                ));
                None
            }
        };
    // The service, and the client when named, must be the council's.
    let service = match service_id {
        Some(id) => Some(
            store
                .service(caller.scope(), id)
                .await?
                .ok_or(ApiError::NotFound("service"))?,
        ),
        None => None,
    };
    if let Some(id) = client_id {
        store
            .client_in_council(council_id, id)
            .await?
            .ok_or(ApiError::NotFound("client"))?;
    }
    let (Some(service), Some(starts_on), Some(file), true) =
        (service, starts_on, file, errors.is_empty())
    else {
        return Err(ApiError::Validation(errors));
    };
    let sha256 = format!("{:x}", Sha256::digest(&file.bytes));
    let id = store
        .publish_document(
            &NewDocument {
                council_id,
                organisation_id: service.organisation_id,
                service_id: service.id,
                client_id,
                document_type,
                title,
                starts_on,
                ends_on,
                file_name: &file.file_name,
                content: &file.bytes,
                sha256: &sha256,
            },
            &caller.actor(),
        )
        .await?;
    let record = store
        .document(caller.scope(), id)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("document {id} is missing")))?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/contract-documents/{id}")))
        .json(document_dto(&store, record).await?))
}

/// One document with its signatures.
#[utoipa::path(
    tag = "contract-documents",
    operation_id = "get_contract_document",
    params(("document_id" = String, Path, description = "The document")),
    responses(
        (status = 200, description = "The document", body = ContractDocument),
        NotSignedIn,
        NotFound,
    )
)]
#[get("/contract-documents/{document_id}")]
pub async fn get_document(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<ContractDocument>, ApiError> {
    let record = document_in_scope(&store, &caller, &path).await?;
    Ok(web::Json(document_dto(&store, record).await?))
}

/// The document's PDF, as a download.
#[utoipa::path(
    tag = "contract-documents",
    operation_id = "get_contract_document_file",
    params(("document_id" = String, Path, description = "The document")),
    responses(
        (status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>),
        NotSignedIn,
        NotFound,
    )
)]
#[get("/contract-documents/{document_id}/file")]
pub async fn document_file(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = parse_id(&path, "contract document")?;
    let (file_name, bytes) = store
        .document_content(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("contract document"))?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name)],
        })
        .body(bytes))
}

/// The provider agrees or rejects a published document (a reason is required to reject),
/// typing their password again: a wrong one is refused and counts towards the lock. The
/// decision is kept as a signature with the document's SHA-256.
#[utoipa::path(
    tag = "contract-documents",
    operation_id = "decide_contract_document",
    params(("document_id" = String, Path, description = "The document")),
    request_body = DocumentDecision,
    responses(
        (status = 200, description = "Signed", body = ContractDocument),
        NotSignedIn,
        (status = 403, description = "Council staff, or a tool's credentials", body = Problem, content_type = "application/problem+json"),
        NotFound,
        (status = 409, description = "A stale version, or a document no longer published", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A wrong password, a missing reason or a bad decision, named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/contract-documents/{document_id}/decision")]
pub async fn decide_document(
    caller: Caller,
    store: web::Data<Store>,
    hasher: web::Data<Hasher>,
    path: web::Path<String>,
    request: HttpRequest,
    body: ValidJson<DocumentDecision>,
) -> Result<web::Json<ContractDocument>, ApiError> {
    if caller.is_council {
        return Err(ApiError::Forbidden(
            "The provider agrees or rejects a contract document.".into(),
        ));
    }
    let user = signed_in_user(&store, &caller).await?;
    let record = document_in_scope(&store, &caller, &path).await?;
    let body = body.0;
    let mut errors = Vec::new();
    let decision = Decision::parse(body.decision.trim());
    if decision.is_none() {
        errors.push(field("decision", "must be agree or reject"));
    }
    let reason = body.reason.trim();
    if decision == Some(Decision::Reject) && reason.is_empty() {
        errors.push(field("reason", "Enter why you reject the document"));
    }
    // The password is the signature: checked as a sign-in is, a wrong one counting towards
    // the lock.
    let wrong_password = current_password_error(&store, &hasher, &user, &body.password, &request)
        .await?
        .is_some();
    if wrong_password {
        errors.push(field(
            "password",
            if body.password.is_empty() {
                "Enter your password to sign"
            } else {
                "Your password is not right"
            },
        ));
    }
    let Some(decision) = decision.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    let status = DocumentStatus::from_code(&record.status).ok_or_else(|| {
        ApiError::Unexpected(anyhow::anyhow!("document status {}", record.status))
    })?;
    let next = contract_document::decide(status, decision)
        .map_err(|error| ApiError::Conflict(error.to_string()))?;
    store
        .change_document(&record, body.version, next, Some(reason), &caller.actor())
        .await?;
    let record = document_in_scope(&store, &caller, &path).await?;
    Ok(web::Json(document_dto(&store, record).await?))
}

/// Council staff terminate a document: it stays listed, as Terminated.
#[utoipa::path(
    tag = "contract-documents",
    operation_id = "terminate_contract_document",
    params(("document_id" = String, Path, description = "The document")),
    request_body = DocumentTermination,
    responses(
        (status = 200, description = "Terminated", body = ContractDocument),
        NotSignedIn,
        NotCouncilStaff,
        NotFound,
        (status = 409, description = "A stale version, or already terminated", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/contract-documents/{document_id}/terminate")]
pub async fn terminate_document(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<DocumentTermination>,
) -> Result<web::Json<ContractDocument>, ApiError> {
    caller.council_staff_of()?;
    caller.person_id()?;
    let record = document_in_scope(&store, &caller, &path).await?;
    let status = DocumentStatus::from_code(&record.status).ok_or_else(|| {
        ApiError::Unexpected(anyhow::anyhow!("document status {}", record.status))
    })?;
    let next = contract_document::terminate(status)
        .map_err(|error| ApiError::Conflict(error.to_string()))?;
    store
        .change_document(&record, body.0.version, next, None, &caller.actor())
        .await?;
    let record = document_in_scope(&store, &caller, &path).await?;
    Ok(web::Json(document_dto(&store, record).await?))
}
