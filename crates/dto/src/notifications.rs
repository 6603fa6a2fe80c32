//! E-mail notifications (DOMAIN 13) and council webhooks.

use serde::{Deserialize, Serialize};

/// One topic on the Email Notifications page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TopicChoice {
    #[cfg_attr(feature = "openapi", schema(example = "disputes"))]
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(example = "Disputes"))]
    pub label: String,
    pub hint: String,
    pub subscribed: bool,
}

/// A person's subscriptions for one of their organisations, split as the page shows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailSubscriptions {
    pub organisation_id: String,
    pub organisation_name: String,
    /// The address mails go to: the one the person signs in with.
    pub email: String,
    /// Gathered into one e-mail a day.
    pub daily: Vec<TopicChoice>,
    /// Mailed as they happen.
    pub immediate: Vec<TopicChoice>,
}

/// The topics chosen for an organisation; every other topic is unsubscribed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveEmailSubscriptions {
    pub organisation_id: String,
    #[cfg_attr(feature = "openapi", schema(example = json!(["actions", "disputes", "actions_immediate"])))]
    pub topics: Vec<String>,
}

/// An event type a webhook may listen for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookEventChoice {
    #[cfg_attr(feature = "openapi", schema(example = "dispute.raised"))]
    pub code: String,
    #[cfg_attr(feature = "openapi", schema(example = "Dispute raised"))]
    pub label: String,
}

/// A council's webhook. Its secret is shown once, when it is made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Webhook {
    pub id: String,
    pub version: i64,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://finance.council.example/portal-events")
    )]
    pub url: String,
    pub events: Vec<WebhookEventChoice>,
    pub active: bool,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub created_by: String,
    /// Calls the receiver accepted.
    pub delivered: i64,
    /// Calls waiting for their first try or a retry.
    pub waiting: i64,
    /// Calls given up after every retry failed.
    pub failed: i64,
}

/// The council's webhooks and the events there are.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WebhookList {
    pub items: Vec<Webhook>,
    pub event_choices: Vec<WebhookEventChoice>,
}

/// A new webhook: an https URL (http only to this machine, for testing) and its events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewWebhook {
    pub url: String,
    #[cfg_attr(feature = "openapi", schema(example = json!(["dispute.raised", "invoice.status_changed"])))]
    pub events: Vec<String>,
}

/// A webhook just made, with the secret that signs its calls: keep it now, it is not shown
/// again. Each call carries `X-Portal-Signature: sha256=<hex>`, the HMAC-SHA-256 under the
/// secret of `X-Portal-Timestamp`, a dot, and the body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreatedWebhook {
    pub webhook: Webhook,
    pub secret: String,
}

/// Stops a webhook receiving events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisableWebhook {
    pub version: i64,
}
