//! Actions (DOMAIN 10): conversations between a provider and the council about a client,
//! contract, service or organisation, each with a due date, an assignee and a thread.

use serde::{Deserialize, Serialize};

/// Who is to answer next: a council team, or the provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ActionAssignee {
    /// One of the council's teams (those its action types name).
    Team {
        #[cfg_attr(feature = "openapi", schema(example = "Brokerage Team"))]
        team: String,
    },
    /// The provider.
    Provider,
}

/// A new action. Its opening text becomes the first post of its thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateAction {
    /// An action type of the council, valid for `related_kind`.
    #[cfg_attr(feature = "openapi", schema(example = "3"))]
    pub type_id: String,
    /// `client`, `contract`, `service` or `organisation`.
    #[cfg_attr(feature = "openapi", schema(example = "client"))]
    pub related_kind: String,
    /// The id of the client, contract, service or organisation: one of the caller's.
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    pub related_id: String,
    /// For a client a provider contact acts for in several organisations, or council staff
    /// raising one with a provider: which organisation the action is with. Optional.
    #[serde(default)]
    pub organisation_id: Option<String>,
    /// Not earlier than the type's minimum in working days from today (Monday to Friday
    /// less the council's bank holidays).
    #[cfg_attr(feature = "openapi", schema(example = "2022-07-15"))]
    pub due_on: String,
    /// Absent: the type's team. A type without a team needs one here. Only council staff
    /// may assign an action to the provider.
    #[serde(default)]
    pub assigned_to: Option<ActionAssignee>,
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "Request a variation: Mr Sid Waddell Homecare Flexible - Bradford - Single-handed week beginning 06/06/2022"
        )
    )]
    pub title: String,
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "Re: Care Package Line Item for Mr Sid Waddell. Homecare Flexible - Bradford - Single-handed (Hour) from Ally Pally Home Care, week beginning 06/06/2022: planned 1, actual 3."
        )
    )]
    pub text: String,
}

/// One post of an action's thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionPost {
    pub id: String,
    /// `opened` (the first post), later `comment`, `reply`, `closure_request`, `closed`.
    #[cfg_attr(feature = "openapi", schema(example = "opened"))]
    pub kind: String,
    pub text: String,
    /// RFC 3339, UTC.
    #[cfg_attr(feature = "openapi", schema(example = "2022-07-12T10:15:00Z"))]
    pub posted_at: String,
    /// "Mr Greg Finance (Diamond Home Care)" for a provider contact; a name for council staff.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Ally Pally Contact (Ally Pally Home Care)")
    )]
    pub author: String,
    /// The assignment this post set, if any: "Assigned to Brokerage Team".
    pub assigned_to: Option<ActionAssignee>,
    pub assigned_to_label: Option<String>,
    /// The due date this post set, if any.
    #[cfg_attr(feature = "openapi", schema(example = "2022-07-14"))]
    pub due_on: Option<String>,
}

/// An action, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionSummary {
    pub id: String,
    pub title: String,
    pub type_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "CPLI Amendment"))]
    pub type_name: String,
    #[cfg_attr(feature = "openapi", schema(example = "client"))]
    pub related_kind: String,
    pub related_id: String,
    /// "Mr Sid Waddell (Client)", as the list's "Re:" column reads.
    #[cfg_attr(feature = "openapi", schema(example = "Mr Sid Waddell (Client)"))]
    pub related_label: String,
    pub organisation_id: String,
    pub organisation_name: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-07-14"))]
    pub due_on: String,
    /// dd/mm/yyyy.
    #[cfg_attr(feature = "openapi", schema(example = "14/07/2022"))]
    pub due_label: String,
    pub assigned_to: ActionAssignee,
    /// "LA (Brokerage Team)" or "Provider".
    #[cfg_attr(feature = "openapi", schema(example = "LA (Brokerage Team)"))]
    pub assigned_to_label: String,
    /// `open`, `closure_requested` or `closed`.
    #[cfg_attr(feature = "openapi", schema(example = "open"))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(example = "Open"))]
    pub status_label: String,
    /// RFC 3339, UTC: the newest post's time.
    pub last_post_at: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub created_by: String,
    /// Send it back with a change to the action; a stale one is refused with 409.
    pub version: i64,
    /// Assigned to the provider and past its due date (shown in red).
    #[serde(default)]
    pub overdue: bool,
}

/// One action with its thread, oldest post first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Action {
    #[serde(flatten)]
    pub summary: ActionSummary,
    pub posts: Vec<ActionPost>,
    /// Files attached to the action or its posts (each names its post), oldest first.
    #[serde(default)]
    pub attachments: Vec<crate::Attachment>,
}

/// An action type the caller may raise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionTypeOption {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "CPLI Amendment"))]
    pub name: String,
    /// The team it goes to; absent when the raiser chooses one.
    pub team: Option<String>,
    /// The kinds it may be raised on: `client`, `contract`, `service`, `organisation`, ...
    pub entity_kinds: Vec<String>,
    pub minimum_due_working_days: i64,
    /// The earliest due date allowed if raised today.
    #[cfg_attr(feature = "openapi", schema(example = "2022-07-14"))]
    pub earliest_due_on: String,
}

/// Something an action may be raised on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionEntityOption {
    /// `client`, `contract`, `service` or `organisation`.
    pub kind: String,
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Mr Sid Waddell (96836001)"))]
    pub name: String,
    pub organisation_id: String,
}

/// What the New Action form offers the caller.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionOptions {
    pub types: Vec<ActionTypeOption>,
    /// The council teams an action may be assigned to.
    pub teams: Vec<String>,
    pub entities: Vec<ActionEntityOption>,
    /// Council staff may assign an action to the provider.
    pub may_assign_to_provider: bool,
}

/// A post to an action's thread (DOMAIN 10). The provider may `comment` (no reassignment),
/// `reply` (to a council team: `assign_to`, else the team it is with) and `closure_request`;
/// council staff may `comment`, `reply` (to the provider unless a team is named) and `close`,
/// and may move the due date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewActionPost {
    /// The action's `version` last read; a stale one is refused with 409.
    pub version: i64,
    /// `comment`, `reply`, `closure_request` or `closed` (`close` is read as `closed`).
    #[cfg_attr(feature = "openapi", schema(example = "reply"))]
    pub kind: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "The visit times are now agreed with the family.")
    )]
    pub text: String,
    #[serde(default)]
    pub assign_to: Option<ActionAssignee>,
    /// Council staff only: a new due date, `YYYY-MM-DD`, not before today.
    #[serde(default)]
    pub due_on: Option<String>,
}

/// The home page's figures for the caller's actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionCounts {
    /// Not yet closed (shown in yellow).
    pub open: i64,
    /// Assigned to the provider and past the due date (shown in red).
    pub overdue: i64,
    /// Assigned to the provider.
    pub awaiting_provider: i64,
}
