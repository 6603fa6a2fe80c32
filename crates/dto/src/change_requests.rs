//! Change requests (DOMAIN 10): providers ask for changes to their organisation's, services'
//! and contacts' details, for a new contact, or for a contact's role to be added or removed;
//! council staff approve (the change is applied) or reject them with a reason.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A provider asks for a change. Every bad field is named at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "kind": "update_contact", "organisation_id": "1", "account_id": "2",
    "values": {"phone": "01274 000111"}
})))]
pub struct CreateChangeRequest {
    /// `update_organisation`, `update_service`, `update_contact`, `new_contact`, `add_role`
    /// or `remove_role`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "update_organisation"))]
    pub kind: String,
    /// The organisation the caller acts for; every other record named must be its own.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    pub organisation_id: String,
    /// `update_service`: one of the organisation's services.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// `update_contact`, `add_role`, `remove_role`: one of the organisation's contacts
    /// (`GET /organisations/{organisation_id}/contacts`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    /// The new values by field. Organisation: `name`, `address_line1`, `town`, `postcode`,
    /// `phone`, `email`; service: `name`, `address_line1`, `town`, `postcode`; contact:
    /// `name`, `email`, `phone`, `job_title` (a new contact also `role`); a role addition:
    /// `role` (`finance`, `manager` or `administration`); a removal: nothing. A field left
    /// out is unchanged; only fields whose value differs are recorded, and a request that
    /// changes nothing is refused.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = json!({"phone": "01274 000111"})))]
    pub values: BTreeMap<String, String>,
}

/// One field as it was when asked and as it would become.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangedField {
    #[cfg_attr(feature = "openapi", schema(example = "phone"))]
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(example = "Telephone"))]
    pub label: String,
    /// Empty for a new contact's fields.
    #[cfg_attr(feature = "openapi", schema(example = "01274 000000"))]
    pub old: String,
    /// Empty for a removed role.
    #[cfg_attr(feature = "openapi", schema(example = "01274 000111"))]
    pub new: String,
}

/// One change request, as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeRequest {
    pub id: String,
    /// Send it back with a decision; a stale one gets 409.
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(example = "update_organisation"))]
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(example = "Update Organisation"))]
    pub kind_label: String,
    /// `pending_review`, `approved` or `rejected`.
    #[cfg_attr(feature = "openapi", schema(example = "pending_review"))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(example = "Pending Review"))]
    pub status_label: String,
    pub organisation_id: String,
    pub organisation_name: String,
    /// The organisation, service or contact changed; for a new contact, their account once
    /// approved.
    pub target_id: Option<String>,
    /// What it is about ("Entity Name"), as it was named when asked.
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Ltd"))]
    pub entity_name: String,
    pub changes: Vec<ChangedField>,
    pub requested_by: String,
    /// RFC 3339, UTC.
    pub requested_at: String,
    pub decided_by: Option<String>,
    /// RFC 3339, UTC.
    pub decided_at: Option<String>,
    /// Present when rejected.
    pub rejection_reason: Option<String>,
}

/// Council staff approve a change request: it is applied at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ApproveChangeRequest {
    /// The request's version as read.
    pub version: i64,
}

/// Council staff reject a change request, saying why; nothing changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectChangeRequest {
    /// The request's version as read.
    pub version: i64,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Other: More detail required"))]
    pub reason: String,
}

/// The approved request; for a new contact, the one-time password of their new account,
/// shown here once (pass it on securely).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeRequestApproved {
    pub change_request: ChangeRequest,
    pub temporary_password: Option<String>,
}

/// A contact of an organisation: an account acting for it, with its role there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contact {
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub job_title: String,
    /// `finance`, `manager` or `administration`.
    pub role: String,
}
