//! Disputes (DOMAIN 9): the council disputes a client's actuals at a service for whole weeks
//! (or single lines in them); the provider responds, may amend the actuals through the
//! actuals endpoint, and requests resolution; the council resolves or reopens.

use serde::{Deserialize, Serialize};

use crate::{ClientRef, ServiceWeek};

/// Council staff raise a dispute. Every field is checked, and every bad one named at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateDispute {
    /// A service of the council's providers.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    pub service_id: String,
    /// A client with care at that service in these weeks.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    pub client_id: String,
    /// The Monday of the first week disputed.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-06"))]
    pub from: String,
    /// The Monday of the last week disputed (the same as `from` for one week); at most 26
    /// weeks, none of them in the future.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-06"))]
    pub to: String,
    /// Single lines disputed: CPLI ids of the client's lines at the service in these weeks.
    /// Empty disputes all of them.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = json!(["1"])))]
    pub cpli_ids: Vec<String>,
    /// One of the council's active dispute reasons (`GET /council/dispute-reasons`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "10"))]
    pub reason_id: String,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "This extra was not agreed. If the service needs to be increased, please submit the relevant request. Please adjust the claim for only the planned hours delivered."
        )
    )]
    pub details: String,
}

/// The provider's response, with the request that the council resolve the dispute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestDisputeResolution {
    /// The dispute's version as read.
    pub version: i64,
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Actuals updated: the extra visit was cancelled by the client.")
    )]
    pub response: String,
}

/// Council staff resolve a dispute (once resolution is requested), or reopen it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeDecision {
    /// The dispute's version as read.
    pub version: i64,
    /// Optional when resolving; required when reopening (what is still wrong).
    #[serde(default)]
    #[cfg_attr(
        feature = "openapi",
        schema(example = "The extra hours are still claimed on Wednesday.")
    )]
    pub comment: String,
}

/// One dispute, as the Disputes list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeSummary {
    pub id: String,
    /// Send it back with each step; a stale one gets 409.
    pub version: i64,
    /// `in_dispute`, `resolution_requested` or `resolved`.
    #[cfg_attr(feature = "openapi", schema(example = "in_dispute"))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(example = "In Dispute"))]
    pub status_label: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub service_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Home Care"))]
    pub service_name: String,
    pub client: ClientRef,
    /// The Monday of the first week disputed.
    #[cfg_attr(feature = "openapi", schema(example = "2022-08-22"))]
    pub from: String,
    /// The Monday of the last week disputed.
    #[cfg_attr(feature = "openapi", schema(example = "2022-08-22"))]
    pub to: String,
    #[cfg_attr(feature = "openapi", schema(example = "22/08/2022 - 28/08/2022"))]
    pub date_range_label: String,
    /// The single lines disputed (CPLI ids); empty when it covers all the client's lines.
    pub cpli_ids: Vec<String>,
    pub reason_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Unauthorised extra"))]
    pub reason: String,
    pub details: String,
    /// The provider's latest response; empty until there is one.
    pub response: String,
    /// RFC 3339, UTC.
    pub raised_at: String,
    pub raised_by: String,
    /// RFC 3339, UTC: the latest step ("Last Modified").
    pub updated_at: String,
}

/// One step of a dispute's history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeEvent {
    /// Names the step an attachment belongs to (`event_id`).
    #[serde(default)]
    pub id: String,
    /// `raised`, `resolution_requested`, `resolved` or `reopened`.
    #[cfg_attr(feature = "openapi", schema(example = "raised"))]
    pub kind: String,
    /// The status before the step; absent for `raised`.
    pub from_status: Option<String>,
    pub to_status: String,
    #[cfg_attr(feature = "openapi", schema(example = "Resolution Requested"))]
    pub to_status_label: String,
    /// The details, the response or the comment.
    pub text: String,
    /// RFC 3339, UTC.
    pub at: String,
    /// "Jo Hunter (Ally Pally Ltd)" for a provider contact; a name for council staff.
    pub by: String,
}

/// One disputed week: the client's lines at the service as the actuals grid computes them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeWeek {
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-06"))]
    pub week: String,
    #[cfg_attr(feature = "openapi", schema(example = "06/06/2022"))]
    pub week_label: String,
    /// The client-week's version: send it with `PUT
    /// /services/{service_id}/weeks/{week}/clients/{client_id}/actuals` to amend its lines.
    pub version: i64,
    /// The service's week filtered to the client (`clients` holds at most the one client),
    /// with the settings, rules and lock the actuals editor needs.
    pub actuals: ServiceWeek,
}

/// One dispute with its history and its actual lines, week by week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Dispute {
    #[serde(flatten)]
    pub summary: DisputeSummary,
    /// Oldest first.
    pub history: Vec<DisputeEvent>,
    pub weeks: Vec<DisputeWeek>,
    /// Files attached to the dispute or its steps (each names its step), oldest first.
    #[serde(default)]
    pub attachments: Vec<crate::Attachment>,
}

/// The home page's figures for the caller: "1 open Dispute (1 awaiting action)".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeCounts {
    /// Not yet resolved.
    pub open: i64,
    /// In Dispute: the provider is to respond.
    pub awaiting_provider: i64,
}
