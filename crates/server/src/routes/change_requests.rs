//! Change requests (DOMAIN 10): providers never edit their organisation's, services' or
//! contacts' details directly. A provider contact asks for an edit, a new contact, or a
//! role added or removed; the request records each changed field's old and new value
//! (`portal_domain::change_request::diff`) and stands Pending Review until council staff
//! approve it (the change is applied in the same transaction, with its audit row) or reject
//! it with a reason (nothing changes). Providers see their organisations' requests, council
//! staff their council's; any other is 404.

use actix_web::{get, post, web, HttpResponse};
use portal_domain::access::ProviderTask;
use portal_domain::change_request::{
    diff, looks_like_email, parse_role, ChangeKind, ChangeStatus, Decision, DecisionError,
};
use portal_dto::{
    ApproveChangeRequest, ChangeRequest, ChangeRequestApproved, ChangedField, Contact,
    CreateChangeRequest, FieldError, Page, Problem, RejectChangeRequest,
};
use portal_store::change_requests::{
    Application, ChangeRequestRecord, ContactRecord, NewChangeRequest,
};
use portal_store::{Scope, Store, StoreError};
use rand::distributions::{Alphanumeric, DistString};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::passwords::Hasher;
use crate::auth::Caller;
use crate::catalogue::Checks;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::routes::parse_id;
use crate::routes::problems::{Invalid, NotCouncilStaff, NotFound, NotSignedIn};

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_change_requests)
        .service(create_change_request)
        .service(get_change_request)
        .service(approve_change_request)
        .service(reject_change_request)
        .service(organisation_contacts);
}

const REASON_LIMIT: usize = 2_000;

fn view(record: &ChangeRequestRecord) -> ChangeRequest {
    ChangeRequest {
        id: record.id.to_string(),
        version: record.version,
        kind: record.kind.code().to_owned(),
        kind_label: record.kind.label().to_owned(),
        status: record.status.code().to_owned(),
        status_label: record.status.label().to_owned(),
        organisation_id: record.organisation_id.to_string(),
        organisation_name: record.organisation_name.clone(),
        target_id: record.target_id.map(|id| id.to_string()),
        entity_name: record.entity_name.clone(),
        changes: record
            .changes
            .iter()
            .map(|(field, old, new)| ChangedField {
                field: (*field).to_owned(),
                label: record
                    .kind
                    .field(field)
                    .map_or(*field, |field| field.label)
                    .to_owned(),
                old: old.clone(),
                new: new.clone(),
            })
            .collect(),
        requested_by: record.requested_by.clone(),
        requested_at: record.requested_at.clone(),
        decided_by: record.decided_by.clone(),
        decided_at: record.decided_at.clone(),
        rejection_reason: (record.status == ChangeStatus::Rejected)
            .then(|| record.rejection_reason.clone()),
    }
}

fn contact_view(record: ContactRecord) -> Contact {
    Contact {
        id: record.id.to_string(),
        name: record.name,
        email: record.email,
        phone: record.phone,
        job_title: record.job_title,
        role: record.role,
    }
}

async fn request_in_scope(
    store: &Store,
    caller: &Caller,
    id: &str,
) -> Result<ChangeRequestRecord, ApiError> {
    let id = parse_id(id, "change request")?;
    store
        .change_request(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("change request"))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ChangeRequestQuery {
    /// Statuses, comma-separated: `pending_review`, `approved`, `rejected`. Empty or absent:
    /// every status.
    status: Option<String>,
}

/// Change requests: a provider's organisations', or council staff's council's; the newest
/// first.
#[utoipa::path(
    tag = "change-requests",
    operation_id = "list_change_requests",
    params(ChangeRequestQuery),
    responses(
        (status = 200, description = "Change requests, the newest first", body = Page<ChangeRequest>),
        NotSignedIn,
        (status = 403, description = "A tool's credentials", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter, named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/change-requests")]
#[tracing::instrument(skip(caller, store))]
pub async fn list_change_requests(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<ChangeRequestQuery>,
) -> Result<web::Json<Page<ChangeRequest>>, ApiError> {
    caller.person_id()?;
    let mut statuses = Vec::new();
    for code in query
        .status
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|code| !code.is_empty())
    {
        match ChangeStatus::from_code(code) {
            Some(status) if !statuses.contains(&status) => statuses.push(status),
            Some(_) => {}
            None => {
                return Err(ApiError::invalid(
                    "status",
                    format!("`{code}` is not one of pending_review, approved, rejected"),
                ))
            }
        }
    }
    let items = store
        .change_requests(caller.scope(), &statuses)
        .await?
        .iter()
        .map(view)
        .collect();
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// One change request.
#[utoipa::path(
    tag = "change-requests",
    operation_id = "get_change_request",
    params(("change_request_id" = String, Path, description = "The change request's id")),
    responses(
        (status = 200, description = "The change request", body = ChangeRequest),
        NotSignedIn,
        (status = 403, description = "A tool's credentials", body = Problem, content_type = "application/problem+json"),
        NotFound,
    )
)]
#[get("/change-requests/{change_request_id}")]
#[tracing::instrument(skip(caller, store))]
pub async fn get_change_request(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<ChangeRequest>, ApiError> {
    caller.person_id()?;
    let record = request_in_scope(&store, &caller, &path).await?;
    Ok(web::Json(view(&record)))
}

/// The contacts of one of the caller's organisations (accounts acting for it, with their
/// role there): whom a change request may name.
#[utoipa::path(
    tag = "change-requests",
    operation_id = "list_organisation_contacts",
    params(("organisation_id" = String, Path, description = "The organisation")),
    responses(
        (status = 200, description = "The organisation's contacts, by name", body = Page<Contact>),
        NotSignedIn,
        (status = 403, description = "A tool's credentials", body = Problem, content_type = "application/problem+json"),
        NotFound,
    )
)]
#[get("/organisations/{organisation_id}/contacts")]
#[tracing::instrument(skip(caller, store))]
pub async fn organisation_contacts(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<Page<Contact>>, ApiError> {
    caller.person_id()?;
    let id = parse_id(&path, "organisation")?;
    store
        .organisation(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("organisation"))?;
    let items = store
        .organisation_contacts(id)
        .await?
        .into_iter()
        .map(contact_view)
        .collect();
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// An id sent in the body: absent or empty is `None`; anything else not an id is named.
fn body_id(checks: &mut Checks, field: &str, value: Option<&str>) -> Option<i64> {
    let text = value.map(str::trim).filter(|text| !text.is_empty())?;
    checks.id(field, text)
}

/// A contact the request may name: one of the organisation's, or (to add a role in it)
/// one of any organisation the caller acts for.
async fn find_contact(
    store: &Store,
    scope: &Scope,
    organisation_id: i64,
    account_id: i64,
    kind: Option<ChangeKind>,
) -> Result<(ContactRecord, String), ApiError> {
    let here = store.organisation_contacts(organisation_id).await?;
    if let Some(contact) = here.into_iter().find(|contact| contact.id == account_id) {
        let role = contact.role.clone();
        return Ok((contact, role));
    }
    if kind == Some(ChangeKind::AddRole) {
        for organisation in store.organisations(scope).await? {
            let contacts = store.organisation_contacts(organisation.id).await?;
            if let Some(contact) = contacts
                .into_iter()
                .find(|contact| contact.id == account_id)
            {
                return Ok((contact, String::new()));
            }
        }
    }
    Err(ApiError::NotFound("contact"))
}

/// A provider contact asks for a change to one of its organisation's records: it stands
/// Pending Review until council staff decide. Only the fields whose value differs from the
/// record's are kept, each with its old and new value.
#[utoipa::path(
    tag = "change-requests",
    operation_id = "create_change_request",
    request_body = CreateChangeRequest,
    responses(
        (status = 201, description = "Made: Pending Review", body = ChangeRequest),
        NotSignedIn,
        (status = 403, description = "Council staff, a tool, or a role that may not keep the organisation's details", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, service or contact of yours", body = Problem, content_type = "application/problem+json"),
        Invalid,
    )
)]
#[post("/change-requests")]
#[tracing::instrument(skip(caller, store, body))]
pub async fn create_change_request(
    caller: Caller,
    store: web::Data<Store>,
    body: ValidJson<CreateChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    let person = caller.person_id()?;
    if caller.is_council {
        return Err(ApiError::Forbidden(
            "Council staff decide change requests; providers make them.".into(),
        ));
    }
    let body = body.0;
    let mut checks = Checks::default();
    let kind = ChangeKind::from_code(body.kind.trim());
    if kind.is_none() {
        checks.bad(
            "kind",
            "must be one of update_organisation, update_service, update_contact, new_contact, add_role, remove_role",
        );
    }
    let organisation_id = if body.organisation_id.trim().is_empty() {
        checks.bad("organisation_id", "Choose the organisation");
        None
    } else {
        checks.id("organisation_id", &body.organisation_id)
    };
    let service_id = body_id(&mut checks, "service_id", body.service_id.as_deref());
    let account_id = body_id(&mut checks, "account_id", body.account_id.as_deref());

    // Every record named must be the caller's: anything else is not found, whatever the
    // rest of the request says.
    let organisation = match organisation_id {
        Some(id) => Some(
            store
                .organisation(caller.scope(), id)
                .await?
                .ok_or(ApiError::NotFound("organisation"))?,
        ),
        None => None,
    };
    let service = match (service_id, &organisation) {
        (Some(id), Some(organisation)) => {
            let service = store
                .service(caller.scope(), id)
                .await?
                .filter(|service| service.organisation_id == organisation.id)
                .ok_or(ApiError::NotFound("service"))?;
            let address = store
                .service_address(id)
                .await?
                .ok_or(ApiError::NotFound("service"))?;
            Some((service, address))
        }
        _ => None,
    };
    let contact = match (account_id, &organisation) {
        (Some(id), Some(organisation)) => {
            Some(find_contact(&store, caller.scope(), organisation.id, id, kind).await?)
        }
        _ => None,
    };

    if let Some(kind) = kind {
        if kind.needs_service() && service_id.is_none() && body.service_id.is_none() {
            checks.bad("service_id", "Choose the service");
        }
        if !kind.needs_service() && service_id.is_some() {
            checks.bad("service_id", "is only for update_service");
        }
        if kind.needs_contact() && account_id.is_none() && body.account_id.is_none() {
            checks.bad("account_id", "Choose the contact");
        }
        if !kind.needs_contact() && account_id.is_some() {
            checks.bad(
                "account_id",
                "is only for update_contact, add_role and remove_role",
            );
        }
    }
    // A contact may ask to change their own details whatever their role; anything else
    // needs a role that keeps the organisation's details.
    if let (Some(kind), Some(organisation)) = (kind, &organisation) {
        let own_details = kind == ChangeKind::UpdateContact && account_id == Some(person);
        if !own_details {
            caller.may(organisation.id, ProviderTask::KeepDetails)?;
        }
    }

    let mut requested: Vec<(&'static str, String)> = Vec::new();
    if let Some(kind) = kind {
        if kind.takes_values() {
            for (name, value) in &body.values {
                let field_name = format!("values.{name}");
                let Some(field) = kind.field(name) else {
                    checks.bad(
                        &field_name,
                        format!("is not a detail a {} request changes", kind.label()),
                    );
                    continue;
                };
                let value = checks.text(&field_name, value, field.required, field.max);
                if field.name == "email" && !value.is_empty() && !looks_like_email(&value) {
                    checks.bad(
                        &field_name,
                        "must be an email address, like name@example.org",
                    );
                }
                if field.name == "role" && !value.is_empty() && parse_role(&value).is_none() {
                    checks.bad(&field_name, "must be finance, manager or administration");
                }
                requested.push((field.name, value));
            }
            if matches!(kind, ChangeKind::NewContact | ChangeKind::AddRole) {
                for field in kind.fields().iter().filter(|field| field.required) {
                    if !body.values.contains_key(field.name) {
                        checks.bad(&format!("values.{}", field.name), "is required");
                    }
                }
            }
        }
    }
    // The record as it stands now, to compare with.
    let (current, entity_name, target_id): (Vec<(&str, String)>, String, Option<i64>) =
        match (kind, &organisation) {
            (Some(ChangeKind::UpdateOrganisation), Some(organisation)) => (
                vec![
                    ("name", organisation.name.clone()),
                    ("address_line1", organisation.address_line1.clone()),
                    ("town", organisation.town.clone()),
                    ("postcode", organisation.postcode.clone()),
                    ("phone", organisation.phone.clone()),
                    ("email", organisation.email.clone()),
                ],
                organisation.name.clone(),
                Some(organisation.id),
            ),
            (Some(ChangeKind::UpdateService), _) => match &service {
                Some((service, address)) => (
                    vec![
                        ("name", service.name.clone()),
                        ("address_line1", address.address_line1.clone()),
                        ("town", address.town.clone()),
                        ("postcode", address.postcode.clone()),
                    ],
                    service.name.clone(),
                    Some(service.id),
                ),
                None => (Vec::new(), String::new(), None),
            },
            (Some(ChangeKind::UpdateContact), _) => match &contact {
                Some((contact, _)) => (
                    vec![
                        ("name", contact.name.clone()),
                        ("email", contact.email.clone()),
                        ("phone", contact.phone.clone()),
                        ("job_title", contact.job_title.clone()),
                    ],
                    contact.name.clone(),
                    Some(contact.id),
                ),
                None => (Vec::new(), String::new(), None),
            },
            (Some(ChangeKind::AddRole | ChangeKind::RemoveRole), _) => match &contact {
                Some((contact, role)) => (
                    vec![("role", role.clone())],
                    contact.name.clone(),
                    Some(contact.id),
                ),
                None => (Vec::new(), String::new(), None),
            },
            _ => (Vec::new(), String::new(), None),
        };
    if kind == Some(ChangeKind::RemoveRole)
        && contact.as_ref().is_some_and(|(_, role)| role.is_empty())
    {
        checks.bad("account_id", "has no role in this organisation to remove");
    }
    // An email address is one account's: another's is refused now, and again at approval.
    if let Some((_, email)) = requested.iter().find(|(name, _)| *name == "email") {
        let unchanged = current
            .iter()
            .any(|(name, old)| *name == "email" && old.eq_ignore_ascii_case(email));
        if !email.is_empty() && !unchanged && store.email_taken(email).await? {
            checks.bad("values.email", "already has an account");
        }
    }
    if !checks.errors.is_empty() {
        return Err(ApiError::Validation(checks.errors));
    }
    let (Some(kind), Some(organisation)) = (kind, organisation) else {
        return Err(ApiError::Validation(checks.errors));
    };
    let changes = diff(kind, &current, &requested)
        .map_err(|error| ApiError::invalid("values", error.to_string()))?;
    let changes: Vec<(&'static str, String, String)> = changes
        .into_iter()
        .map(|change| (change.field, change.old, change.new))
        .collect();
    let council_id = store
        .organisation_council(organisation.id)
        .await?
        .ok_or(ApiError::NotFound("organisation"))?;
    let id = store
        .create_change_request(
            &NewChangeRequest {
                council_id,
                organisation_id: organisation.id,
                kind,
                target_id,
                entity_name: &entity_name,
                changes: &changes,
            },
            &caller.actor(),
        )
        .await?;
    let record = store
        .change_request(caller.scope(), id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the new change request {id} is missing"))?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/change-requests/{id}")))
        .json(view(&record)))
}

/// A decision's refusal as the API answers it.
fn refused(error: DecisionError) -> ApiError {
    match error {
        DecisionError::ReasonRequired => ApiError::invalid("reason", error.to_string()),
        DecisionError::AlreadyDecided(_) => ApiError::Conflict(error.to_string()),
    }
}

fn refuse_stale(record: &ChangeRequestRecord, version: i64) -> Result<(), ApiError> {
    if version == record.version {
        Ok(())
    } else {
        Err(ApiError::Store(StoreError::StaleVersion {
            sent: version,
            current: record.version,
        }))
    }
}

/// Council staff approve a change request Pending Review: the change is applied at once,
/// in the same transaction (a new contact's account is created, with a one-time password
/// shown in this answer only).
#[utoipa::path(
    tag = "change-requests",
    operation_id = "approve_change_request",
    params(("change_request_id" = String, Path, description = "The change request's id")),
    request_body = ApproveChangeRequest,
    responses(
        (status = 200, description = "Approved and applied", body = ChangeRequestApproved),
        NotSignedIn,
        NotCouncilStaff,
        NotFound,
        (status = 409, description = "A stale version, a request already decided, or a change that can no longer be applied (the detail says why)", body = Problem, content_type = "application/problem+json"),
        Invalid,
    )
)]
#[post("/change-requests/{change_request_id}/approve")]
#[tracing::instrument(skip(caller, store, hasher, body))]
pub async fn approve_change_request(
    caller: Caller,
    store: web::Data<Store>,
    hasher: web::Data<Hasher>,
    path: web::Path<String>,
    body: ValidJson<ApproveChangeRequest>,
) -> Result<web::Json<ChangeRequestApproved>, ApiError> {
    caller.council_staff_of()?;
    caller.person_id()?;
    let record = request_in_scope(&store, &caller, &path).await?;
    refuse_stale(&record, body.0.version)?;
    Decision::Approve.apply(record.status).map_err(refused)?;
    let mut temporary_password = None;
    let mut hash = String::new();
    if record.kind == ChangeKind::NewContact {
        let password = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 20);
        let (hasher, secret) = (hasher.clone(), password.clone());
        hash = web::block(move || hasher.hash(&secret))
            .await
            .map_err(anyhow::Error::from)?;
        temporary_password = Some(password);
    }
    let application = match record.kind {
        ChangeKind::UpdateOrganisation | ChangeKind::UpdateService => Application::EditDetails,
        ChangeKind::UpdateContact => Application::EditContact,
        ChangeKind::NewContact => Application::NewContact {
            temporary_password_hash: &hash,
        },
        ChangeKind::AddRole => Application::SetRole,
        ChangeKind::RemoveRole => Application::RemoveRole,
    };
    store
        .approve_change_request(&record, body.0.version, application, &caller.actor())
        .await?;
    let record = request_in_scope(&store, &caller, &path).await?;
    Ok(web::Json(ChangeRequestApproved {
        change_request: view(&record),
        temporary_password,
    }))
}

/// Council staff reject a change request Pending Review, saying why; nothing changes.
#[utoipa::path(
    tag = "change-requests",
    operation_id = "reject_change_request",
    params(("change_request_id" = String, Path, description = "The change request's id")),
    request_body = RejectChangeRequest,
    responses(
        (status = 200, description = "Rejected", body = ChangeRequest),
        NotSignedIn,
        NotCouncilStaff,
        NotFound,
        (status = 409, description = "A stale version, or a request already decided", body = Problem, content_type = "application/problem+json"),
        Invalid,
    )
)]
#[post("/change-requests/{change_request_id}/reject")]
#[tracing::instrument(skip(caller, store, body))]
pub async fn reject_change_request(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<RejectChangeRequest>,
) -> Result<web::Json<ChangeRequest>, ApiError> {
    caller.council_staff_of()?;
    caller.person_id()?;
    let record = request_in_scope(&store, &caller, &path).await?;
    let reason = body.0.reason.trim().to_owned();
    if reason.chars().count() > REASON_LIMIT {
        return Err(ApiError::Validation(vec![FieldError {
            field: "reason".into(),
            message: format!("must be {REASON_LIMIT} characters or fewer"),
        }]));
    }
    let decision = Decision::Reject {
        reason: reason.clone(),
    };
    if reason.is_empty() {
        return Err(refused(DecisionError::ReasonRequired));
    }
    refuse_stale(&record, body.0.version)?;
    decision.apply(record.status).map_err(refused)?;
    store
        .reject_change_request(&record, body.0.version, &reason, &caller.actor())
        .await?;
    let record = request_in_scope(&store, &caller, &path).await?;
    Ok(web::Json(view(&record)))
}
