//! Files attached to actions and disputes: PDF, PNG, JPEG, plain text, CSV, Word (DOCX) or
//! Excel (XLSX), at most 10 MB, their content checked against the declared type. Uploaded
//! as the request's raw body (`POST /actions/{id}/attachments`,
//! `POST /disputes/{id}/attachments`), downloaded from `GET /attachments/{id}` by those who
//! may see the action or dispute.

use serde::{Deserialize, Serialize};

/// One attachment, as an action's or a dispute's page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attachment {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "visit-notes.pdf"))]
    pub file_name: String,
    #[cfg_attr(feature = "openapi", schema(example = "application/pdf"))]
    pub content_type: String,
    #[cfg_attr(feature = "openapi", schema(example = 48213))]
    pub size_bytes: i64,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// The post of the action's thread it belongs to, if any.
    #[serde(default)]
    pub post_id: Option<String>,
    /// The step of the dispute's history it belongs to, if any.
    #[serde(default)]
    pub event_id: Option<String>,
    /// RFC 3339, UTC.
    pub uploaded_at: String,
    /// "Jo Hunter (Ally Pally Ltd)" for a provider contact; a name for council staff.
    pub uploaded_by: String,
    /// `/api/v1/attachments/{id}`: the file, with its type and name.
    #[cfg_attr(feature = "openapi", schema(example = "/api/v1/attachments/7"))]
    pub download_path: String,
}
