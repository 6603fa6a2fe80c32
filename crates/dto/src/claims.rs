//! One-off claims (DOMAIN 8): claims outside the care plan, for a client or for the
//! provider, with evidence, decided by the council and paid in the next period.

use serde::{Deserialize, Serialize};

/// An evidence file as sent: its name, declared type and content in base64 (RFC 4648,
/// standard alphabet, padded). PDF, PNG or JPEG, at most 5 MB; the content must be what
/// the type says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceUpload {
    #[cfg_attr(feature = "openapi", schema(example = "taxi-receipt.pdf"))]
    pub file_name: String,
    /// `application/pdf`, `image/png` or `image/jpeg`.
    #[cfg_attr(feature = "openapi", schema(example = "application/pdf"))]
    pub content_type: String,
    #[cfg_attr(feature = "openapi", schema(example = "JVBERi0xLjQKJcOkw7zDtsOfCg=="))]
    pub content_base64: String,
}

/// A new one-off claim, submitted to the council at once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CreateOneOffClaim {
    /// One of the provider's contracts: the claim is paid under it.
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    pub contract_id: String,
    /// `client` (a client item) or `provider` (a provider item, no client).
    #[cfg_attr(feature = "openapi", schema(example = "client"))]
    pub item: String,
    /// For a client item: a client with a care package line item under the contract.
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    #[serde(default)]
    pub client_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "Taxi to hospital appointment"))]
    pub description: String,
    /// The day the cost arose; not in the future.
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-06"))]
    pub claim_date: String,
    /// More than 0, at most 2 decimal places.
    #[cfg_attr(feature = "openapi", schema(example = "45.50"))]
    pub amount: String,
    /// 0 or more, at most the amount.
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub vat: String,
    pub evidence: EvidenceUpload,
}

/// The stored evidence file: download it from `/one-off-claims/{id}/evidence`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EvidenceInfo {
    #[cfg_attr(feature = "openapi", schema(example = "taxi-receipt.pdf"))]
    pub file_name: String,
    #[cfg_attr(feature = "openapi", schema(example = "application/pdf"))]
    pub content_type: String,
    #[cfg_attr(feature = "openapi", schema(example = 48213))]
    pub size_bytes: i64,
}

/// The finalised payment period that paid a claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimPaidPeriod {
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-13"))]
    pub starts_on: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-19"))]
    pub ends_on: String,
}

/// A one-off claim as it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OneOffClaim {
    #[cfg_attr(feature = "openapi", schema(example = "7"))]
    pub id: String,
    /// Send it back with a decision; a stale one is refused with 409.
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub version: i64,
    pub organisation_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Ltd"))]
    pub organisation_name: String,
    pub contract_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Care"))]
    pub contract_name: String,
    /// `client` or `provider`.
    #[cfg_attr(feature = "openapi", schema(example = "client"))]
    pub item: String,
    #[cfg_attr(feature = "openapi", schema(example = "Client item"))]
    pub item_label: String,
    pub client_id: Option<String>,
    /// "Bristow, Eric (96836000)" for a client item.
    #[cfg_attr(feature = "openapi", schema(example = "Bristow, Eric (96836000)"))]
    pub client_name: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "Taxi to hospital appointment"))]
    pub description: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-06"))]
    pub claim_date: String,
    #[cfg_attr(feature = "openapi", schema(example = "45.50"))]
    pub amount: String,
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub vat: String,
    /// Amount plus VAT.
    #[cfg_attr(feature = "openapi", schema(example = "45.50"))]
    pub total: String,
    /// `submitted`, `approved`, `rejected`, or `paid` (approved and paid by a finalised
    /// period).
    #[cfg_attr(feature = "openapi", schema(example = "submitted"))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(example = "Submitted"))]
    pub status_label: String,
    /// Why the council rejected it; empty otherwise.
    pub reason: String,
    /// RFC 3339.
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-07T09:15:00Z"))]
    pub submitted_at: String,
    pub submitted_by: Option<String>,
    /// RFC 3339, once decided.
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub evidence: EvidenceInfo,
    /// The period that paid it, once paid.
    pub paid_period: Option<ClaimPaidPeriod>,
}

/// The council's decision on a submitted claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DecideOneOffClaim {
    /// The version the decision was made on.
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub version: i64,
    /// `approve` or `reject`.
    #[cfg_attr(feature = "openapi", schema(example = "reject"))]
    pub decision: String,
    /// Required to reject: shown to the provider.
    #[cfg_attr(feature = "openapi", schema(example = "No receipt attached"))]
    #[serde(default)]
    pub reason: Option<String>,
}

/// A client or contract to choose on a new claim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimChoice {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Bristow, Eric (96836000)"))]
    pub name: String,
}

/// A contract a claim may be made under, with the clients a client item may name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimContractOption {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Care"))]
    pub name: String,
    pub organisation_id: String,
    /// Clients with a care package line item under the contract, by surname.
    pub clients: Vec<ClaimChoice>,
}

/// What a new claim may name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OneOffClaimOptions {
    pub contracts: Vec<ClaimContractOption>,
}
