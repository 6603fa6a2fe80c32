//! Actions (DOMAIN 10): a provider contact or council staff raises an action of a
//! council-configured type on a client, contract, service or organisation, with a due date no
//! earlier than the type's minimum in working days (`portal_domain::action`), assigned to the
//! type's team by default. Its text is the first post of its thread. Providers see their
//! organisations' actions, council staff their council's; any other action is 404.

use actix_web::{get, post, web, HttpResponse};
use portal_domain::action::{self, ActionRuleError, Assignee, PostError, PostKind, Side};
use portal_domain::calendar::{iso_date, parse_iso_date};
use portal_domain::council::EntityKind;
use portal_domain::format::format_date;
use portal_dto::{
    Action, ActionAssignee, ActionEntityOption, ActionOptions, ActionPost, ActionSummary,
    ActionTypeOption, CreateAction, FieldError, NewActionPost, Page, Problem,
};
use portal_store::actions::{ActionFilter, ActionRecord, NewAction, NewPost};
use portal_store::council::ActionTypeRecord;
use portal_store::{Scope, Store};
use serde::Deserialize;
use time::Date;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::clock::Clock;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::routes::problems::NotSignedIn;
use crate::routes::{optional_id, parse_id};

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(action_options)
        .service(list_actions)
        .service(create_action)
        .service(action_counts)
        .service(get_action)
        .service(post_to_action);
}

/// The kinds of entity actions can be raised on so far.
const SUPPORTED_KINDS: [EntityKind; 4] = [
    EntityKind::Client,
    EntityKind::Contract,
    EntityKind::Service,
    EntityKind::Organisation,
];

const TITLE_LIMIT: usize = 200;
const TEXT_LIMIT: usize = 10_000;

fn field(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        message: message.into(),
    }
}

fn assignee_dto(assignee: &Assignee) -> ActionAssignee {
    match assignee {
        Assignee::Team(team) => ActionAssignee::Team { team: team.clone() },
        Assignee::Provider => ActionAssignee::Provider,
    }
}

fn entity_kinds(record: &ActionTypeRecord) -> Vec<EntityKind> {
    record
        .entity_kinds
        .split(',')
        .filter_map(|code| EntityKind::from_code(code.trim()))
        .collect()
}

/// The councils whose actions the caller may raise: council staff's own, or those of a
/// provider contact's organisations.
async fn councils_of(store: &Store, scope: &Scope) -> Result<Vec<i64>, ApiError> {
    match scope {
        Scope::Council(council_id) => Ok(vec![*council_id]),
        Scope::Organisations(ids) => {
            let mut councils = Vec::new();
            for id in ids {
                if let Some(council) = store.council_of_organisation(*id).await? {
                    if !councils.contains(&council) {
                        councils.push(council);
                    }
                }
            }
            Ok(councils)
        }
    }
}

async fn bank_holidays(store: &Store, council_id: i64) -> Result<Vec<Date>, ApiError> {
    Ok(store
        .bank_holidays(council_id, None)
        .await?
        .into_iter()
        .map(|(day, _)| day)
        .collect())
}

fn summary(record: &ActionRecord, today: Date) -> ActionSummary {
    ActionSummary {
        overdue: action::is_overdue(record.status, &record.assignee, record.due_on, today),
        id: record.id.to_string(),
        title: record.title.clone(),
        type_id: record.action_type_id.to_string(),
        type_name: record.type_name.clone(),
        related_kind: record.related_kind.code().to_owned(),
        related_id: record.related_id.to_string(),
        related_label: format!("{} ({})", record.related_name, record.related_kind.label()),
        organisation_id: record.organisation_id.to_string(),
        organisation_name: record.organisation_name.clone(),
        due_on: iso_date(record.due_on),
        due_label: format_date(record.due_on),
        assigned_to: assignee_dto(&record.assignee),
        assigned_to_label: record.assignee.label(),
        status: record.status.code().to_owned(),
        status_label: record.status.label().to_owned(),
        last_post_at: record.last_post_at.clone(),
        created_at: record.created_at.clone(),
        created_by: record.created_by.clone(),
        version: record.version,
    }
}

async fn full_action(
    store: &Store,
    record: &ActionRecord,
    today: Date,
) -> Result<Action, ApiError> {
    let posts = store
        .action_posts(record.id)
        .await?
        .into_iter()
        .map(|post| ActionPost {
            id: post.id.to_string(),
            kind: post.kind,
            text: post.text,
            posted_at: post.posted_at,
            author: match post.author_organisation {
                Some(organisation) => format!("{} ({organisation})", post.author),
                None => post.author,
            },
            assigned_to_label: post.assignee.as_ref().map(Assignee::label),
            assigned_to: post.assignee.as_ref().map(assignee_dto),
            due_on: post.due_on.map(iso_date),
        })
        .collect();
    let attachments = store
        .action_attachments(record.id)
        .await?
        .into_iter()
        .map(crate::routes::attachments::attachment_dto)
        .collect();
    Ok(Action {
        summary: summary(record, today),
        posts,
        attachments,
    })
}

/// What the New Action form offers: the types the caller may raise (with the earliest due
/// date each allows today), the council's teams, and the entities actions may be raised on.
#[utoipa::path(
    tag = "actions",
    operation_id = "action_options",
    responses(
        (status = 200, description = "Types, teams and entities", body = ActionOptions),
        NotSignedIn,
        (status = 403, description = "A tool's credentials", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/action-options")]
#[tracing::instrument(skip(caller, store, clock))]
pub async fn action_options(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
) -> Result<web::Json<ActionOptions>, ApiError> {
    caller.person_id()?;
    let today = clock.now().date();
    let mut types = Vec::new();
    let mut teams: Vec<String> = Vec::new();
    for council_id in councils_of(&store, caller.scope()).await? {
        let holidays = bank_holidays(&store, council_id).await?;
        for record in store.action_types(council_id).await? {
            if record.is_active == 0 || (record.council_only != 0 && !caller.is_council) {
                continue;
            }
            let days = u32::try_from(record.minimum_due_working_days).unwrap_or(0);
            types.push(ActionTypeOption {
                id: record.id.to_string(),
                entity_kinds: entity_kinds(&record)
                    .into_iter()
                    .filter(|kind| SUPPORTED_KINDS.contains(kind))
                    .map(|kind| kind.code().to_owned())
                    .collect(),
                name: record.name,
                team: record.team,
                minimum_due_working_days: record.minimum_due_working_days,
                earliest_due_on: iso_date(action::earliest_due_date(today, days, &holidays)),
            });
        }
        for team in store.action_teams(council_id).await? {
            if !teams.contains(&team) {
                teams.push(team);
            }
        }
    }
    let entities = store
        .action_entities(caller.scope())
        .await?
        .into_iter()
        .map(|entity| ActionEntityOption {
            kind: entity.kind.code().to_owned(),
            id: entity.id.to_string(),
            name: entity.name,
            organisation_id: entity.organisation_id.to_string(),
        })
        .collect();
    Ok(web::Json(ActionOptions {
        types,
        teams,
        entities,
        may_assign_to_provider: caller.is_council,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ActionQuery {
    /// Only actions not yet closed.
    #[serde(default)]
    open_only: bool,
    /// Only actions of this type.
    type_id: Option<String>,
    /// Only actions assigned to `provider`, or to the council team of this name.
    assigned_to: Option<String>,
}

/// Actions: a provider's organisations', or council staff's council's; newest post first.
#[utoipa::path(
    tag = "actions",
    operation_id = "list_actions",
    params(ActionQuery),
    responses(
        (status = 200, description = "Actions, newest post first", body = Page<ActionSummary>),
        NotSignedIn,
        (status = 422, description = "A bad filter, named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/actions")]
#[tracing::instrument(skip(caller, store))]
pub async fn list_actions(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    query: web::Query<ActionQuery>,
) -> Result<web::Json<Page<ActionSummary>>, ApiError> {
    let mut errors = Vec::new();
    let action_type_id = optional_id(&mut errors, "type_id", query.type_id.as_deref());
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let filter = ActionFilter {
        open_only: query.open_only,
        action_type_id,
        assigned_to: match query.assigned_to.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("provider") => Some(Assignee::Provider),
            Some(team) => Some(Assignee::Team(team.to_owned())),
        },
    };
    let today = clock.now().date();
    let items = store
        .actions(caller.scope(), &filter)
        .await?
        .iter()
        .map(|record| summary(record, today))
        .collect();
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// One action with its thread.
#[utoipa::path(
    tag = "actions",
    operation_id = "get_action",
    params(("action_id" = String, Path, description = "The action's id")),
    responses(
        (status = 200, description = "The action and its posts, oldest first", body = Action),
        NotSignedIn,
        (status = 404, description = "No such action of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/actions/{action_id}")]
#[tracing::instrument(skip(caller, store))]
pub async fn get_action(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<web::Json<Action>, ApiError> {
    let id = parse_id(&path, "action")?;
    let record = store
        .action(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("action"))?;
    Ok(web::Json(
        full_action(&store, &record, clock.now().date()).await?,
    ))
}

/// The home page's figures: open actions (yellow), those overdue (red: assigned to the
/// provider past their due date) and those awaiting the provider.
#[utoipa::path(
    tag = "actions",
    operation_id = "action_counts",
    responses(
        (status = 200, description = "The counts", body = portal_dto::ActionCounts),
        NotSignedIn,
    )
)]
#[get("/actions/summary")]
pub async fn action_counts(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
) -> Result<web::Json<portal_dto::ActionCounts>, ApiError> {
    let counts = store
        .action_counts(caller.scope(), clock.now().date())
        .await?;
    Ok(web::Json(portal_dto::ActionCounts {
        open: counts.open,
        overdue: counts.overdue,
        awaiting_provider: counts.awaiting_provider,
    }))
}

/// Posts to an action's thread: a comment, a reply (which reassigns it), a closure request
/// (the provider's) or closing it (council staff's). Council staff may also move the due
/// date. Sends the action's `version`; a stale one is 409, as is any post to a closed
/// action.
#[utoipa::path(
    tag = "actions",
    operation_id = "post_to_action",
    params(("action_id" = String, Path, description = "The action's id")),
    request_body = NewActionPost,
    responses(
        (status = 200, description = "Posted: the action with its thread", body = Action),
        NotSignedIn,
        (status = 403, description = "A provider closing an action, council staff requesting closure, or a tool's credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such action of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A stale version, or a closed action", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, every one named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/actions/{action_id}/posts")]
#[tracing::instrument(skip(caller, store, clock, body))]
pub async fn post_to_action(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    body: ValidJson<NewActionPost>,
) -> Result<web::Json<Action>, ApiError> {
    caller.person_id()?;
    let body = body.0;
    let id = parse_id(&path, "action")?;
    let record = store
        .action(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("action"))?;
    let today = clock.now().date();
    let mut errors = Vec::new();
    let kind = PostKind::from_code(body.kind.trim());
    if kind.is_none() {
        errors.push(field(
            "kind",
            "must be comment, reply, closure_request or close",
        ));
    }
    let text = body.text.trim();
    if text.is_empty() {
        errors.push(field("text", "Enter the text of your post"));
    } else if text.chars().count() > TEXT_LIMIT {
        errors.push(field(
            "text",
            format!("Text must be {TEXT_LIMIT} characters or fewer"),
        ));
    }
    let assign_to = match body.assign_to {
        None => None,
        Some(ActionAssignee::Provider) => Some(Assignee::Provider),
        Some(ActionAssignee::Team { team }) => {
            let team = team.trim().to_owned();
            if store.action_teams(record.council_id).await?.contains(&team) {
                Some(Assignee::Team(team))
            } else {
                errors.push(field(
                    "assign_to",
                    "Choose one of the council's teams from the list",
                ));
                None
            }
        }
    };
    let due_on = match body.due_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(_) if !caller.is_council => {
            errors.push(field("due_on", "Only council staff change the due date"));
            None
        }
        Some(text) => match parse_iso_date(text) {
            Ok(day) if day < today => {
                errors.push(field("due_on", "The due date cannot be in the past"));
                None
            }
            Ok(day) => Some(day),
            Err(_) => {
                errors.push(field("due_on", "Enter the due date as a real date"));
                None
            }
        },
    };
    let Some(kind) = kind else {
        return Err(ApiError::Validation(errors));
    };
    let side = if caller.is_council {
        Side::Council
    } else {
        Side::Provider
    };
    let outcome = match action::post(record.status, &record.assignee, side, kind, assign_to) {
        Ok(outcome) => Some(outcome),
        Err(PostError::Closed) => return Err(ApiError::Conflict(PostError::Closed.to_string())),
        Err(error @ (PostError::OnlyCouncilCloses | PostError::OnlyProviderRequestsClosure)) => {
            return Err(ApiError::Forbidden(error.to_string()))
        }
        Err(error) => {
            errors.push(field("assign_to", error.to_string()));
            None
        }
    };
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let Some(outcome) = outcome else {
        return Err(ApiError::Validation(errors));
    };
    store
        .post_to_action(
            record.id,
            body.version,
            &NewPost {
                kind,
                text,
                status: outcome.status,
                assignee: outcome.assignee,
                reassigned: outcome.reassigned,
                due_on,
                posted_for_organisation_id: (!caller.is_council).then_some(record.organisation_id),
            },
            &caller.actor(),
        )
        .await?;
    let record = store
        .action(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("action"))?;
    Ok(web::Json(full_action(&store, &record, today).await?))
}

/// Raises an action. Its text is the thread's first post; it is assigned to the type's team
/// unless another is named.
#[utoipa::path(
    tag = "actions",
    operation_id = "create_action",
    request_body = CreateAction,
    responses(
        (status = 201, description = "Raised", body = Action),
        NotSignedIn,
        (status = 403, description = "A type only the council may raise, or a tool's credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such client, contract, service or organisation of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, every one named (a due date too soon names due_on)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/actions")]
#[tracing::instrument(skip(caller, store, clock, body))]
pub async fn create_action(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    body: ValidJson<CreateAction>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    caller.person_id()?;
    let mut errors = Vec::new();

    let type_id = match body.type_id.trim().parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.push(field("type_id", "Choose the type of action"));
            None
        }
    };
    let kind = match EntityKind::from_code(body.related_kind.trim()) {
        Some(kind) if SUPPORTED_KINDS.contains(&kind) => Some(kind),
        Some(kind) => {
            errors.push(field(
                "related_kind",
                format!(
                    "Actions cannot be raised on a {} here yet: choose a client, contract, service or organisation",
                    kind.label()
                ),
            ));
            None
        }
        None => {
            errors.push(field(
                "related_kind",
                "Choose what the action is related to: client, contract, service or organisation",
            ));
            None
        }
    };
    let related_id = match body.related_id.trim().parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.push(field("related_id", "Choose the entity the action is about"));
            None
        }
    };
    let organisation_id = optional_id(
        &mut errors,
        "organisation_id",
        body.organisation_id.as_deref().map(str::trim),
    );
    let due_on = match parse_iso_date(&body.due_on) {
        Ok(day) => Some(day),
        Err(_) => {
            errors.push(field("due_on", "Enter the due date as a real date"));
            None
        }
    };
    let title = body.title.trim();
    if title.is_empty() {
        errors.push(field("title", "Enter a title"));
    } else if title.chars().count() > TITLE_LIMIT {
        errors.push(field(
            "title",
            format!("Title must be {TITLE_LIMIT} characters or fewer"),
        ));
    }
    let text = body.text.trim();
    if text.is_empty() {
        errors.push(field("text", "Enter the text of the action"));
    } else if text.chars().count() > TEXT_LIMIT {
        errors.push(field(
            "text",
            format!("Text must be {TEXT_LIMIT} characters or fewer"),
        ));
    }

    // The type, in one of the caller's councils.
    let mut action_type = None;
    if let Some(type_id) = type_id {
        for council_id in councils_of(&store, caller.scope()).await? {
            if let Some(record) = store.action_type_in_council(council_id, type_id).await? {
                action_type = Some((council_id, record));
                break;
            }
        }
        match &action_type {
            None => errors.push(field("type_id", "Choose a type of action from the list")),
            Some((_, record)) if record.is_active == 0 => {
                errors.push(field("type_id", "This type of action is no longer in use"))
            }
            Some((_, record)) if record.council_only != 0 && !caller.is_council => {
                return Err(ApiError::Forbidden(format!(
                    "Only the council raises actions of type {}.",
                    record.name
                )));
            }
            Some(_) => {}
        }
    }
    let Some((council_id, action_type)) = action_type else {
        return Err(ApiError::Validation(errors));
    };

    // The entity, which must be the caller's: anything else is not found.
    let mut organisation = None;
    if let (Some(kind), Some(related_id)) = (kind, related_id) {
        let organisations = store
            .action_entity_organisations(caller.scope(), council_id, kind, related_id)
            .await?;
        if organisations.is_empty() {
            return Err(ApiError::NotFound(kind.code()));
        }
        organisation = match organisation_id {
            None => organisations.first().copied(),
            Some(id) if organisations.contains(&id) => Some(id),
            Some(_) => {
                errors.push(field(
                    "organisation_id",
                    "must be an organisation this entity belongs to",
                ));
                None
            }
        };
        if let Err(error) = action::check_entity_kind(&entity_kinds(&action_type), kind) {
            errors.push(field("related_kind", capitalise(&error.to_string())));
        }
    }

    let days = u32::try_from(action_type.minimum_due_working_days).unwrap_or(0);
    if let Some(day) = due_on {
        let holidays = bank_holidays(&store, council_id).await?;
        if let Err(error @ ActionRuleError::DueTooSoon { .. }) =
            action::check_due_date(day, clock.now().date(), days, &holidays)
        {
            errors.push(field("due_on", format!("The due date {error}")));
        }
    }

    let assignee = match body.assigned_to {
        None => match &action_type.team {
            Some(team) => Some(Assignee::Team(team.clone())),
            None => {
                errors.push(field(
                    "assigned_to",
                    "Choose the council team to assign this action to",
                ));
                None
            }
        },
        Some(ActionAssignee::Provider) if caller.is_council => Some(Assignee::Provider),
        Some(ActionAssignee::Provider) => {
            errors.push(field(
                "assigned_to",
                "Assign the action to one of the council's teams",
            ));
            None
        }
        Some(ActionAssignee::Team { team }) => {
            let team = team.trim().to_owned();
            if store.action_teams(council_id).await?.contains(&team) {
                Some(Assignee::Team(team))
            } else {
                errors.push(field(
                    "assigned_to",
                    "Choose one of the council's teams from the list",
                ));
                None
            }
        }
    };

    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let (Some(kind), Some(related_id), Some(organisation_id), Some(due_on), Some(assignee)) =
        (kind, related_id, organisation, due_on, assignee)
    else {
        return Err(ApiError::Validation(errors));
    };
    let id = store
        .create_action(
            &NewAction {
                council_id,
                organisation_id,
                action_type_id: action_type.id,
                related_kind: kind,
                related_id,
                title,
                text,
                due_on,
                assignee,
                posted_for_organisation_id: (!caller.is_council).then_some(organisation_id),
            },
            &caller.actor(),
        )
        .await?;
    let record = store
        .action(caller.scope(), id)
        .await?
        .ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("the new action {id} is missing")))?;
    Ok(HttpResponse::Created()
        .insert_header(("Location", format!("/api/v1/actions/{id}")))
        .json(full_action(&store, &record, clock.now().date()).await?))
}

fn capitalise(text: &str) -> String {
    let mut characters = text.chars();
    match characters.next() {
        Some(first) => first.to_uppercase().chain(characters).collect(),
        None => String::new(),
    }
}
