//! Disputes (DOMAIN 9): council staff dispute a client's actuals at a service for whole weeks
//! (or single lines in them) with a reason from the council's list; the provider responds and
//! requests resolution; council staff resolve or reopen (`portal_domain::dispute` holds the
//! steps). Reading one gives its history and, week by week, the client's lines as the actuals
//! grid computes them, with the client-week versions the actuals save needs. Providers see
//! their organisations' disputes, council staff their council's; any other is 404.

use actix_web::{get, post, web, HttpResponse};
use portal_domain::dispute::{DisputeStatus, DisputeStep, DisputeWeeks, Side, StepError};
use portal_domain::Week;
use portal_dto::{
    CreateDispute, Dispute, DisputeCounts, DisputeDecision, DisputeEvent, DisputeSummary,
    DisputeWeek, FieldError, Page, Problem, RequestDisputeResolution,
};
use portal_store::disputes::{DisputeFilter, DisputeRecord, NewDispute};
use portal_store::Store;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::clock::Clock;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::routes::actuals::week_records;
use crate::routes::problems::{Invalid, NotCouncilStaff, NotFound, NotSignedIn};
use crate::routes::{optional_date, optional_id, parse_id};
use crate::week_view::{client_ref, service_week, WeekFilter};
use portal_domain::access::ProviderTask;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(dispute_counts)
        .service(list_disputes)
        .service(create_dispute)
        .service(get_dispute)
        .service(request_resolution)
        .service(resolve_dispute)
        .service(reopen_dispute);
}

const TEXT_LIMIT: usize = 10_000;

fn field(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

/// Checks a required or optional text, recording what is wrong against its field.
fn check_text(errors: &mut Vec<FieldError>, name: &str, text: &str, required: &str) {
    let text = text.trim();
    if text.is_empty() && !required.is_empty() {
        errors.push(field(name, required));
    } else if text.chars().count() > TEXT_LIMIT {
        errors.push(field(
            name,
            format!("must be {TEXT_LIMIT} characters or fewer"),
        ));
    }
}

fn summary(record: &DisputeRecord) -> DisputeSummary {
    let weeks = DisputeWeeks::stored(record.first_week, record.last_week);
    DisputeSummary {
        id: record.id.to_string(),
        version: record.version,
        status: record.status.code().to_owned(),
        status_label: record.status.label().to_owned(),
        organisation_id: record.organisation_id.to_string(),
        organisation_name: record.organisation_name.clone(),
        service_id: record.service_id.to_string(),
        service_name: record.service_name.clone(),
        client: client_ref(&record.client),
        from: record.first_week.to_string(),
        to: record.last_week.to_string(),
        date_range_label: weeks.label(),
        cpli_ids: record.cpli_ids.iter().map(i64::to_string).collect(),
        reason_id: record.reason_id.to_string(),
        reason: record.reason.clone(),
        details: record.details.clone(),
        response: record.response.clone(),
        raised_at: record.raised_at.clone(),
        raised_by: record.raised_by.clone(),
        updated_at: record.updated_at.clone(),
    }
}

/// The dispute with its history and, for each of its weeks, the client's lines at the
/// service as the actuals grid computes them.
async fn full_dispute(
    store: &Store,
    caller: &Caller,
    record: &DisputeRecord,
) -> Result<Dispute, ApiError> {
    let history = store
        .dispute_events(record.id)
        .await?
        .into_iter()
        .map(|event| DisputeEvent {
            id: event.id.to_string(),
            kind: event.kind,
            from_status: event.from_status.map(|status| status.code().to_owned()),
            to_status: event.to_status.code().to_owned(),
            to_status_label: event.to_status.label().to_owned(),
            text: event.text,
            at: event.occurred_at,
            by: match event.by_organisation {
                Some(organisation) => format!("{} ({organisation})", event.by),
                None => event.by,
            },
        })
        .collect();
    // The dispute was found in the caller's scope, and so is the service it names.
    let service = store
        .service(caller.scope(), record.service_id)
        .await?
        .ok_or(ApiError::NotFound("dispute"))?;
    let filter = WeekFilter {
        client_id: Some(record.client.id),
        ..WeekFilter::default()
    };
    let mut weeks = Vec::new();
    for week in DisputeWeeks::stored(record.first_week, record.last_week).weeks() {
        let records = week_records(store, service.clone(), week).await?;
        let version = records
            .versions
            .iter()
            .find(|(client, _)| *client == record.client.id)
            .map_or(0, |(_, version)| *version);
        weeks.push(DisputeWeek {
            week: week.to_string(),
            week_label: week.label(),
            version,
            actuals: service_week(&records, &filter),
        });
    }
    let attachments = store
        .dispute_attachments(record.id)
        .await?
        .into_iter()
        .map(crate::routes::attachments::attachment_dto)
        .collect();
    Ok(Dispute {
        summary: summary(record),
        history,
        weeks,
        attachments,
    })
}

async fn dispute_in_scope(
    store: &Store,
    caller: &Caller,
    id: &str,
) -> Result<DisputeRecord, ApiError> {
    let id = parse_id(id, "dispute")?;
    store
        .dispute(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("dispute"))
}

/// The home page's figures: open disputes, and those awaiting the provider's response.
#[utoipa::path(
    tag = "disputes",
    operation_id = "dispute_counts",
    responses(
        (status = 200, description = "The caller's open disputes and those In Dispute", body = DisputeCounts),
        NotSignedIn,
        (status = 403, description = "A tool's credentials", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/disputes/summary")]
#[tracing::instrument(skip(caller, store))]
pub async fn dispute_counts(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<DisputeCounts>, ApiError> {
    caller.person_id()?;
    let counts = store.dispute_counts(caller.scope()).await?;
    Ok(web::Json(DisputeCounts {
        open: counts.open,
        awaiting_provider: counts.awaiting_provider,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DisputeQuery {
    /// Only this client's disputes.
    client: Option<String>,
    /// Disputes with a week reaching this date or later (YYYY-MM-DD).
    from: Option<String>,
    /// Disputes with a week starting on this date or earlier (YYYY-MM-DD).
    to: Option<String>,
    /// Statuses, comma-separated: `in_dispute`, `resolution_requested`, `resolved`. Empty or
    /// absent: every status.
    status: Option<String>,
}

/// Disputes: a provider's organisations', or council staff's council's; the most recently
/// changed first.
#[utoipa::path(
    tag = "disputes",
    operation_id = "list_disputes",
    params(DisputeQuery),
    responses(
        (status = 200, description = "Disputes, the most recently changed first", body = Page<DisputeSummary>),
        NotSignedIn,
        (status = 403, description = "A tool's credentials", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad filter, named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/disputes")]
#[tracing::instrument(skip(caller, store))]
pub async fn list_disputes(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<DisputeQuery>,
) -> Result<web::Json<Page<DisputeSummary>>, ApiError> {
    caller.person_id()?;
    let mut errors = Vec::new();
    let client_id = optional_id(&mut errors, "client", query.client.as_deref());
    let from = optional_date(&mut errors, "from", query.from.as_deref());
    let to = optional_date(&mut errors, "to", query.to.as_deref());
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            errors.push(field("to", "must be on or after the from date"));
        }
    }
    let mut statuses = Vec::new();
    for code in query
        .status
        .as_deref()
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|code| !code.is_empty())
    {
        match DisputeStatus::from_code(code) {
            Some(status) if !statuses.contains(&status) => statuses.push(status),
            Some(_) => {}
            None => {
                errors.push(field(
                    "status",
                    format!("`{code}` is not one of in_dispute, resolution_requested, resolved"),
                ));
                break;
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let filter = DisputeFilter {
        client_id,
        from,
        to,
        statuses,
    };
    let items = store
        .disputes(caller.scope(), &filter)
        .await?
        .iter()
        .map(summary)
        .collect();
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// One dispute with its history and its actual lines: for each week, the client's lines at
/// the service as the actuals grid computes them, and the client-week's version for `PUT
/// /services/{service_id}/weeks/{week}/clients/{client_id}/actuals`.
#[utoipa::path(
    tag = "disputes",
    operation_id = "get_dispute",
    params(("dispute_id" = String, Path, description = "The dispute's id")),
    responses(
        (status = 200, description = "The dispute, its history (oldest first) and its weeks", body = Dispute),
        NotSignedIn,
        (status = 403, description = "A tool's credentials", body = Problem, content_type = "application/problem+json"),
        NotFound,
    )
)]
#[get("/disputes/{dispute_id}")]
#[tracing::instrument(skip(caller, store))]
pub async fn get_dispute(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<Dispute>, ApiError> {
    caller.person_id()?;
    let record = dispute_in_scope(&store, &caller, &path).await?;
    Ok(web::Json(full_dispute(&store, &caller, &record).await?))
}

/// Council staff dispute a client's actuals at a service for whole weeks (the Mondays `from`
/// to `to`), or single lines in them, with one of the council's reasons and details.
#[utoipa::path(
    tag = "disputes",
    operation_id = "create_dispute",
    request_body = CreateDispute,
    responses(
        (status = 201, description = "Raised: In Dispute, awaiting the provider", body = Dispute),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such service of the council's providers", body = Problem, content_type = "application/problem+json"),
        Invalid,
    )
)]
#[post("/disputes")]
#[tracing::instrument(skip(caller, store, clock, body))]
pub async fn create_dispute(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    body: ValidJson<CreateDispute>,
) -> Result<HttpResponse, ApiError> {
    let council_id = caller.council_staff_of()?;
    caller.person_id()?;
    let body = body.0;
    let mut errors = Vec::new();

    let id = |errors: &mut Vec<FieldError>, name: &str, text: &str, missing: &str| match text
        .trim()
        .parse::<i64>()
    {
        Ok(id) if id > 0 => Some(id),
        _ if text.trim().is_empty() => {
            errors.push(field(name, missing));
            None
        }
        _ => {
            errors.push(field(name, "must be an id from the list"));
            None
        }
    };
    let service_id = id(
        &mut errors,
        "service_id",
        &body.service_id,
        "Choose the service",
    );
    let client_id = id(
        &mut errors,
        "client_id",
        &body.client_id,
        "Choose the client",
    );
    let reason_id = id(
        &mut errors,
        "reason_id",
        &body.reason_id,
        "Choose the reason for the dispute",
    );
    let mut week = |name: &str, text: &str| match Week::parse(text) {
        Ok(week) => Some(week),
        Err(_) if text.trim().is_empty() => {
            errors.push(field(name, "Enter the Monday of the week"));
            None
        }
        Err(error) => {
            errors.push(field(name, error.to_string()));
            None
        }
    };
    let first = week("from", &body.from);
    let last = week("to", &body.to);
    let weeks = match (first, last) {
        (Some(first), Some(last)) => match DisputeWeeks::new(first, last, clock.now().date()) {
            Ok(weeks) => Some(weeks),
            Err(error) => {
                errors.push(field("to", error.to_string()));
                None
            }
        },
        _ => None,
    };
    let mut cpli_ids = Vec::new();
    for (index, text) in body.cpli_ids.iter().enumerate() {
        match text.trim().parse::<i64>() {
            Ok(id) if id > 0 => {
                if !cpli_ids.contains(&id) {
                    cpli_ids.push(id);
                }
            }
            _ => errors.push(field(
                &format!("cpli_ids[{index}]"),
                "must be the id of one of the client's lines",
            )),
        }
    }
    check_text(
        &mut errors,
        "details",
        &body.details,
        "Enter the details of the dispute",
    );
    if let Some(reason_id) = reason_id {
        match store
            .dispute_reason_in_council(council_id, reason_id)
            .await?
        {
            None => errors.push(field(
                "reason_id",
                "Choose one of the council's dispute reasons",
            )),
            Some((_, false)) => errors.push(field(
                "reason_id",
                "This dispute reason is no longer in use",
            )),
            Some(_) => {}
        }
    }

    // The service must be one of the council's providers': anything else is not found.
    let service = match service_id {
        Some(id) => Some(
            store
                .service(caller.scope(), id)
                .await?
                .ok_or(ApiError::NotFound("service"))?,
        ),
        None => None,
    };
    // The client must have care at the service in those weeks; single lines must be lines
    // of the service in those weeks, and the client's.
    if let (Some(service), Some(weeks)) = (&service, weeks) {
        let cplis = store
            .cplis_active_between(service.id, weeks.first().monday(), weeks.last().sunday())
            .await?;
        if let Some(client_id) = client_id {
            if !cplis.iter().any(|cpli| cpli.client.id == client_id) {
                errors.push(field(
                    "client_id",
                    "has no care at this service in these weeks",
                ));
            }
        }
        for (index, text) in body.cpli_ids.iter().enumerate() {
            let Ok(id) = text.trim().parse::<i64>() else {
                continue;
            };
            let theirs = cplis.iter().any(|cpli| {
                cpli.id == id && client_id.is_none_or(|client| cpli.client.id == client)
            });
            if !theirs {
                errors.push(field(
                    &format!("cpli_ids[{index}]"),
                    "is not one of the client's lines at this service in these weeks",
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let (Some(service), Some(weeks), Some(client_id), Some(reason_id)) =
        (service, weeks, client_id, reason_id)
    else {
        return Err(ApiError::Validation(errors));
    };
    let id = store
        .create_dispute(
            &NewDispute {
                council_id,
                organisation_id: service.organisation_id,
                service_id: service.id,
                client_id,
                first_week: weeks.first(),
                last_week: weeks.last(),
                reason_id,
                details: body.details.trim(),
                cpli_ids: &cpli_ids,
            },
            &caller.actor(),
        )
        .await?;
    let record = store
        .dispute(caller.scope(), id)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("the new dispute {id} is missing")))?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/disputes/{id}")))
        .json(full_dispute(&store, &caller, &record).await?))
}

/// Takes `step` on the dispute at `version`, with its text; answers the dispute as it now is.
async fn take_step(
    store: &Store,
    caller: &Caller,
    record: DisputeRecord,
    step: DisputeStep,
    version: i64,
    text: &str,
    text_field: &str,
) -> Result<web::Json<Dispute>, ApiError> {
    let mut errors = Vec::new();
    let required = match step {
        DisputeStep::RequestResolution => "Enter your response to the dispute",
        DisputeStep::Reopen => "Say why the dispute is reopened",
        DisputeStep::Resolve => "",
    };
    check_text(&mut errors, text_field, text, required);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    if version != record.version {
        return Err(ApiError::Store(portal_store::StoreError::StaleVersion {
            sent: version,
            current: record.version,
        }));
    }
    let side = if caller.is_council {
        Side::Council
    } else {
        Side::Provider
    };
    let to = step
        .apply(record.status, side)
        .map_err(|error| match error {
            StepError::NotYours(_) => ApiError::Forbidden(capitalise(&error.to_string()) + "."),
            StepError::WrongStatus(reason) => ApiError::Conflict(reason),
        })?;
    store
        .step_dispute(
            &record,
            version,
            step,
            to,
            text.trim(),
            (side == Side::Provider).then_some(record.organisation_id),
            &caller.actor(),
        )
        .await?;
    let record = store
        .dispute(caller.scope(), record.id)
        .await?
        .ok_or(ApiError::NotFound("dispute"))?;
    Ok(web::Json(full_dispute(store, caller, &record).await?))
}

/// The provider responds to the dispute and asks the council to resolve it: In Dispute ->
/// Resolution Requested. Amend the disputed actuals first, through the actuals endpoint.
#[utoipa::path(
    tag = "disputes",
    operation_id = "request_dispute_resolution",
    params(("dispute_id" = String, Path, description = "The dispute's id")),
    request_body = RequestDisputeResolution,
    responses(
        (status = 200, description = "Resolution Requested", body = Dispute),
        NotSignedIn,
        (status = 403, description = "Council staff, or a role that may not record actuals", body = Problem, content_type = "application/problem+json"),
        NotFound,
        (status = 409, description = "A stale version, or a dispute not In Dispute (the detail says why)", body = Problem, content_type = "application/problem+json"),
        Invalid,
    )
)]
#[post("/disputes/{dispute_id}/request-resolution")]
#[tracing::instrument(skip(caller, store, body))]
pub async fn request_resolution(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<RequestDisputeResolution>,
) -> Result<web::Json<Dispute>, ApiError> {
    caller.person_id()?;
    let record = dispute_in_scope(&store, &caller, &path).await?;
    if caller.is_council {
        return Err(ApiError::Forbidden(
            "Only the provider requests resolution; council staff resolve or reopen.".into(),
        ));
    }
    caller.may(record.organisation_id, ProviderTask::RecordActuals)?;
    let body = body.0;
    take_step(
        &store,
        &caller,
        record,
        DisputeStep::RequestResolution,
        body.version,
        &body.response,
        "response",
    )
    .await
}

/// Council staff resolve a dispute whose resolution the provider requested: Resolution
/// Requested -> Resolved, with an optional comment.
#[utoipa::path(
    tag = "disputes",
    operation_id = "resolve_dispute",
    params(("dispute_id" = String, Path, description = "The dispute's id")),
    request_body = DisputeDecision,
    responses(
        (status = 200, description = "Resolved", body = Dispute),
        NotSignedIn,
        NotCouncilStaff,
        NotFound,
        (status = 409, description = "A stale version, or a dispute whose resolution is not requested (the detail says why)", body = Problem, content_type = "application/problem+json"),
        Invalid,
    )
)]
#[post("/disputes/{dispute_id}/resolve")]
#[tracing::instrument(skip(caller, store, body))]
pub async fn resolve_dispute(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<DisputeDecision>,
) -> Result<web::Json<Dispute>, ApiError> {
    caller.council_staff_of()?;
    caller.person_id()?;
    let record = dispute_in_scope(&store, &caller, &path).await?;
    let body = body.0;
    take_step(
        &store,
        &caller,
        record,
        DisputeStep::Resolve,
        body.version,
        &body.comment,
        "comment",
    )
    .await
}

/// Council staff reopen a dispute (Resolution Requested or Resolved -> In Dispute), saying
/// what is still wrong: it awaits the provider again.
#[utoipa::path(
    tag = "disputes",
    operation_id = "reopen_dispute",
    params(("dispute_id" = String, Path, description = "The dispute's id")),
    request_body = DisputeDecision,
    responses(
        (status = 200, description = "In Dispute again", body = Dispute),
        NotSignedIn,
        NotCouncilStaff,
        NotFound,
        (status = 409, description = "A stale version, or a dispute already In Dispute", body = Problem, content_type = "application/problem+json"),
        Invalid,
    )
)]
#[post("/disputes/{dispute_id}/reopen")]
#[tracing::instrument(skip(caller, store, body))]
pub async fn reopen_dispute(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<DisputeDecision>,
) -> Result<web::Json<Dispute>, ApiError> {
    caller.council_staff_of()?;
    caller.person_id()?;
    let record = dispute_in_scope(&store, &caller, &path).await?;
    let body = body.0;
    take_step(
        &store,
        &caller,
        record,
        DisputeStep::Reopen,
        body.version,
        &body.comment,
        "comment",
    )
    .await
}

fn capitalise(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}
