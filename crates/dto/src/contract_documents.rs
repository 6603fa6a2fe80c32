//! Contract documents (DOMAIN 11): PDFs the council publishes for a service (optionally one
//! client), agreed or rejected by the provider with their password as a signature.

use serde::{Deserialize, Serialize};

use crate::EvidenceUpload;

/// A new document, published at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewContractDocument {
    pub service_id: String,
    /// A document about one client of the service; empty or absent for the whole service.
    #[serde(default)]
    pub client_id: Option<String>,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Individual Placement Agreement")
    )]
    pub document_type: String,
    #[cfg_attr(feature = "openapi", schema(example = "Placement agreement 2022/2023"))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-04-01"))]
    pub starts_on: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "2023-03-31"))]
    pub ends_on: Option<String>,
    /// The PDF (`application/pdf`, at most 5 MB), checked by its first bytes.
    pub file: EvidenceUpload,
}

/// A decision on a document: a signature.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentSignature {
    /// `agreed` or `rejected`.
    pub decision: String,
    pub reason: String,
    /// RFC 3339, UTC.
    pub signed_at: String,
    pub signed_by: String,
    /// The SHA-256 (hex) of the document as it was signed.
    pub document_sha256: String,
}

/// A document as the lists and its page show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractDocument {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub service_id: String,
    pub service_name: String,
    pub client_id: Option<String>,
    /// "Angelo, Iris (A1)".
    pub client_name: Option<String>,
    pub document_type: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub file_name: String,
    pub size_bytes: i64,
    pub sha256: String,
    /// `published`, `agreed`, `rejected` or `terminated`.
    pub status: String,
    pub status_label: String,
    pub published_at: String,
    pub published_by: String,
    /// Send it back with a decision; a stale one is refused with 409.
    pub version: i64,
    pub signatures: Vec<DocumentSignature>,
}

/// The provider agrees or rejects a published document, re-entering their password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentDecision {
    pub version: i64,
    /// `agree` or `reject`.
    #[cfg_attr(feature = "openapi", schema(example = "agree"))]
    pub decision: String,
    /// Required to reject.
    #[serde(default)]
    pub reason: String,
    /// The signer's password, checked again: it is the signature.
    pub password: String,
}

/// Council staff terminate a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DocumentTermination {
    pub version: i64,
}
