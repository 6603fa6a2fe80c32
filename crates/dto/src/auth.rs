//! Signing in: password first, then three digits of the security code.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    #[cfg_attr(feature = "openapi", schema(example = "contact@allypally.example"))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(example = "correct horse battery staple"))]
    pub password: String,
}

/// The second step: which digits of the security code to enter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginChallenge {
    /// Binds the answer to this attempt and these positions.
    pub challenge_id: String,
    /// Positions 1 to 6, ascending.
    #[cfg_attr(feature = "openapi", schema(example = json!([2, 4, 6])))]
    pub positions: Vec<u8>,
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "Please enter the 2nd, 4th and 6th digits from your six-digit security code."
        )
    )]
    pub prompt: String,
    /// RFC 3339, UTC.
    pub expires_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChallengeAnswer {
    pub challenge_id: String,
    /// One digit per position asked for, in the same order.
    #[cfg_attr(feature = "openapi", schema(example = json!(["4", "6", "3"])))]
    pub digits: Vec<String>,
}

/// A signed-in session: a short-lived bearer token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionToken {
    pub access_token: String,
    #[cfg_attr(feature = "openapi", schema(example = "Bearer"))]
    pub token_type: String,
    /// Seconds until the token expires.
    pub expires_in: u64,
    pub user: Me,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OrganisationMembership {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Ltd"))]
    pub name: String,
    /// Finance, Manager or Administration.
    pub role: String,
}

/// Who the caller is, and the organisations it acts for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Me {
    pub id: String,
    pub name: String,
    pub email: String,
    /// `provider` or `council`.
    pub kind: String,
    pub organisations: Vec<OrganisationMembership>,
}
