//! Client credentials of rostering and call-monitoring tools, and the OAuth 2.0
//! client-credentials token exchange (RFC 6749 section 4.4).

use serde::{Deserialize, Serialize};

/// Credentials council staff issue to a tool, for one organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewToolClient {
    pub organisation_id: String,
    /// What the tool is, as people will recognise it.
    #[cfg_attr(feature = "openapi", schema(example = "CallTime rostering"))]
    pub name: String,
    /// At least one of `cplis:read`, `actuals:read`, `actuals:write`.
    #[cfg_attr(feature = "openapi", schema(example = json!(["cplis:read", "actuals:write"])))]
    pub scopes: Vec<String>,
}

/// A tool's credentials, without the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToolClient {
    pub id: String,
    pub organisation_id: String,
    pub organisation_name: String,
    pub name: String,
    /// The public half of the credentials.
    pub client_id: String,
    pub scopes: Vec<String>,
    /// RFC 3339.
    pub created_at: String,
    pub rotated_at: Option<String>,
    pub revoked_at: Option<String>,
    /// When the tool last exchanged its credentials for a token.
    pub last_used_at: Option<String>,
}

/// The credentials with their secret: shown here once, stored only as a hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToolCredentials {
    pub tool: ToolClient,
    pub client_secret: String,
}

/// The token request, form-encoded as RFC 6749 asks. The client may instead send its id
/// and secret by HTTP Basic authentication.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenRequest {
    /// Always `client_credentials`.
    #[cfg_attr(feature = "openapi", schema(example = "client_credentials"))]
    pub grant_type: String,
    #[serde(default)]
    pub client_id: Option<String>,
    #[serde(default)]
    pub client_secret: Option<String>,
    /// Space-separated; a subset of the credentials' scopes. Absent: all of them.
    #[serde(default)]
    pub scope: Option<String>,
}

/// An access token for a tool (RFC 6749 section 5.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    #[cfg_attr(feature = "openapi", schema(example = "Bearer"))]
    pub token_type: String,
    pub expires_in: u64,
    /// The scopes granted, space-separated.
    #[cfg_attr(feature = "openapi", schema(example = "cplis:read actuals:write"))]
    pub scope: String,
}
