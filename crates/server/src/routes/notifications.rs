//! E-mail notifications (DOMAIN 13) and council webhooks.
//!
//! A provider contact chooses, per organisation, the daily topics gathered into one digest
//! and the immediate ones (Actions, Password Change), as the guides' Email Notifications page
//! lists them. Council staff register webhook URLs for events; each call is signed with the
//! webhook's secret, shown once. Mails and calls are written to the outbox with their events
//! and delivered by `crate::outbox`.

use actix_web::{get, post, put, web};
use portal_domain::notification::{Topic, WebhookEvent};
use portal_dto::{
    CreatedWebhook, DisableWebhook, EmailSubscriptions, FieldError, NewWebhook,
    SaveEmailSubscriptions, TopicChoice, Webhook, WebhookEventChoice, WebhookList,
};
use portal_store::notifications::WebhookRecord;
use portal_store::{Scope, Store};
use rand::RngCore;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::routes::parse_id;
use crate::routes::problems::{Invalid, NotCouncilStaff, NotFound, NotSignedIn, StaleVersion};

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(get_subscriptions)
        .service(save_subscriptions)
        .service(list_webhooks)
        .service(create_webhook)
        .service(disable_webhook);
}

const URL_LIMIT: usize = 2000;

#[derive(Debug, Deserialize, IntoParams)]
pub struct SubscriptionQuery {
    /// One of the caller's organisations.
    pub organisation_id: String,
}

/// The caller's own organisation, by id; any other is 404, council staff 403.
async fn own_organisation(
    store: &Store,
    caller: &Caller,
    organisation_id: &str,
) -> Result<(i64, String), ApiError> {
    if caller.is_council {
        return Err(ApiError::Forbidden(
            "Email notifications are chosen by provider contacts.".into(),
        ));
    }
    caller.person_id()?;
    let id = parse_id(organisation_id, "organisation")?;
    if !matches!(caller.scope(), Scope::Organisations(ids) if ids.contains(&id)) {
        return Err(ApiError::NotFound("organisation"));
    }
    let organisation = store
        .organisation(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("organisation"))?;
    Ok((id, organisation.name))
}

async fn subscriptions_view(
    store: &Store,
    caller: &Caller,
    organisation_id: i64,
    organisation_name: String,
) -> Result<EmailSubscriptions, ApiError> {
    let person = caller.person_id()?;
    let chosen = store.subscriptions(person, organisation_id).await?;
    let email = store
        .user(person)
        .await?
        .map(|user| user.email)
        .unwrap_or_default();
    let choice = |topic: Topic| TopicChoice {
        code: topic.code().to_owned(),
        label: topic.label().to_owned(),
        hint: topic.hint().to_owned(),
        subscribed: chosen.topics.contains(&topic),
    };
    Ok(EmailSubscriptions {
        organisation_id: organisation_id.to_string(),
        organisation_name,
        email,
        daily: Topic::ALL
            .into_iter()
            .filter(|topic| !topic.is_immediate())
            .map(choice)
            .collect(),
        immediate: Topic::ALL
            .into_iter()
            .filter(|topic| topic.is_immediate())
            .map(choice)
            .collect(),
    })
}

/// The caller's e-mail subscriptions for one of their organisations.
#[utoipa::path(
    tag = "notifications",
    operation_id = "get_email_subscriptions",
    params(SubscriptionQuery),
    responses(
        (status = 200, description = "Daily and immediate topics, with the caller's choices", body = EmailSubscriptions),
        NotSignedIn,
        (status = 403, description = "Council staff: subscriptions are for provider contacts", body = portal_dto::Problem, content_type = "application/problem+json"),
        NotFound,
    )
)]
#[get("/notification-subscriptions")]
pub async fn get_subscriptions(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<SubscriptionQuery>,
) -> Result<web::Json<EmailSubscriptions>, ApiError> {
    let (id, name) = own_organisation(&store, &caller, &query.organisation_id).await?;
    Ok(web::Json(
        subscriptions_view(&store, &caller, id, name).await?,
    ))
}

/// Saves the caller's topics for one organisation: the ones listed, and no others.
#[utoipa::path(
    tag = "notifications",
    operation_id = "save_email_subscriptions",
    request_body = SaveEmailSubscriptions,
    responses(
        (status = 200, description = "Saved", body = EmailSubscriptions),
        Invalid,
        NotSignedIn,
        (status = 403, description = "Council staff: subscriptions are for provider contacts", body = portal_dto::Problem, content_type = "application/problem+json"),
        NotFound,
    )
)]
#[put("/notification-subscriptions")]
pub async fn save_subscriptions(
    caller: Caller,
    store: web::Data<Store>,
    body: ValidJson<SaveEmailSubscriptions>,
) -> Result<web::Json<EmailSubscriptions>, ApiError> {
    let (id, name) = own_organisation(&store, &caller, &body.0.organisation_id).await?;
    let mut topics = Vec::new();
    let mut errors = Vec::new();
    for (index, code) in body.0.topics.iter().enumerate() {
        match Topic::parse(code) {
            Some(topic) if !topics.contains(&topic) => topics.push(topic),
            Some(_) => {}
            None => errors.push(FieldError {
                field: format!("topics[{index}]"),
                message: format!("{code} is not a notification topic"),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    store
        .save_subscriptions(caller.person_id()?, id, &topics, &caller.actor())
        .await?;
    Ok(web::Json(
        subscriptions_view(&store, &caller, id, name).await?,
    ))
}

fn event_choice(event: WebhookEvent) -> WebhookEventChoice {
    WebhookEventChoice {
        code: event.code().to_owned(),
        label: event.label().to_owned(),
    }
}

fn webhook_dto(record: WebhookRecord) -> Webhook {
    Webhook {
        id: record.id.to_string(),
        version: record.version,
        url: record.url,
        events: record
            .events
            .split(',')
            .filter_map(WebhookEvent::parse)
            .map(event_choice)
            .collect(),
        active: record.is_active == 1,
        created_at: record.created_at,
        created_by: record.created_by_name,
        delivered: record.delivered,
        waiting: record.waiting,
        failed: record.failed,
    }
}

/// The council's webhooks, with their deliveries counted, and the events there are.
#[utoipa::path(
    tag = "notifications",
    operation_id = "list_webhooks",
    responses(
        (status = 200, description = "Newest first", body = WebhookList),
        NotSignedIn,
        NotCouncilStaff,
    )
)]
#[get("/council/webhooks")]
pub async fn list_webhooks(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<WebhookList>, ApiError> {
    let council_id = caller.council_staff_of()?;
    Ok(web::Json(WebhookList {
        items: store
            .webhooks(council_id)
            .await?
            .into_iter()
            .map(webhook_dto)
            .collect(),
        event_choices: WebhookEvent::ALL.into_iter().map(event_choice).collect(),
    }))
}

/// Checks a webhook's URL: https, or http to this machine only (for trying a receiver out).
fn url_problem(url: &str) -> Option<String> {
    if url.len() > URL_LIMIT {
        return Some(format!("must be {URL_LIMIT} characters or fewer"));
    }
    let Ok(parsed) = reqwest::Url::parse(url) else {
        return Some("must be a full URL, such as https://finance.example.org/events".into());
    };
    let local = matches!(
        parsed.host_str(),
        Some("localhost") | Some("127.0.0.1") | Some("[::1]")
    );
    match parsed.scheme() {
        "https" if parsed.host_str().is_some() => None,
        "http" if local => None,
        _ => Some("must be an https:// URL".into()),
    }
}

/// Registers a webhook. The answer holds its signing secret, which is never shown again.
#[utoipa::path(
    tag = "notifications",
    operation_id = "create_webhook",
    request_body = NewWebhook,
    responses(
        (status = 201, description = "Made; keep the secret now", body = CreatedWebhook),
        Invalid,
        NotSignedIn,
        NotCouncilStaff,
    )
)]
#[post("/council/webhooks")]
pub async fn create_webhook(
    caller: Caller,
    store: web::Data<Store>,
    body: ValidJson<NewWebhook>,
) -> Result<actix_web::HttpResponse, ApiError> {
    let council_id = caller.council_staff_of()?;
    caller.person_id()?;
    let url = body.0.url.trim();
    let mut errors = Vec::new();
    if let Some(message) = url_problem(url) {
        errors.push(FieldError {
            field: "url".into(),
            message,
        });
    }
    let mut events = Vec::new();
    for (index, code) in body.0.events.iter().enumerate() {
        match WebhookEvent::parse(code) {
            Some(event) if !events.contains(&event) => events.push(event),
            Some(_) => {}
            None => errors.push(FieldError {
                field: format!("events[{index}]"),
                message: format!("{code} is not an event"),
            }),
        }
    }
    if body.0.events.is_empty() {
        errors.push(FieldError {
            field: "events".into(),
            message: "choose at least one event".into(),
        });
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut key = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut key);
    let secret = format!("whsec_{}", data_encoding::HEXLOWER.encode(&key));
    let id = store
        .create_webhook(council_id, url, &secret, &events, &caller.actor())
        .await?;
    let record = store
        .webhook(council_id, id)
        .await?
        .ok_or(ApiError::NotFound("webhook"))?;
    Ok(actix_web::HttpResponse::Created().json(CreatedWebhook {
        webhook: webhook_dto(record),
        secret,
    }))
}

/// Stops a webhook receiving events; it stays listed with its deliveries.
#[utoipa::path(
    tag = "notifications",
    operation_id = "disable_webhook",
    params(("webhook_id" = String, Path, description = "The webhook")),
    request_body = DisableWebhook,
    responses(
        (status = 200, description = "Disabled", body = Webhook),
        NotSignedIn,
        NotCouncilStaff,
        NotFound,
        StaleVersion,
    )
)]
#[post("/council/webhooks/{webhook_id}/disable")]
pub async fn disable_webhook(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<DisableWebhook>,
) -> Result<web::Json<Webhook>, ApiError> {
    let council_id = caller.council_staff_of()?;
    caller.person_id()?;
    let id = parse_id(&path, "webhook")?;
    let record = store
        .webhook(council_id, id)
        .await?
        .ok_or(ApiError::NotFound("webhook"))?;
    store
        .disable_webhook(&record, body.0.version, &caller.actor())
        .await?;
    let record = store
        .webhook(council_id, id)
        .await?
        .ok_or(ApiError::NotFound("webhook"))?;
    Ok(web::Json(webhook_dto(record)))
}

#[cfg(test)]
mod tests {
    use super::url_problem;

    #[test]
    fn webhooks_go_over_https_or_to_this_machine() {
        assert_eq!(url_problem("https://finance.example.org/events"), None);
        assert_eq!(url_problem("http://127.0.0.1:9000/hook"), None);
        assert!(url_problem("http://finance.example.org/events").is_some());
        assert!(url_problem("finance.example.org").is_some());
        assert!(url_problem("ftp://finance.example.org").is_some());
    }
}
