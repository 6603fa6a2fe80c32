//! Accounts, as council staff see and make them (DOMAIN 14): provider contacts attached to
//! organisations with a role, and council staff in teams.

use serde::{Deserialize, Serialize};

use crate::OrganisationMembership;

/// An organisation an account acts for, and in what role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewMembership {
    pub organisation_id: String,
    /// `finance`, `manager` or `administration`.
    #[cfg_attr(feature = "openapi", schema(example = "finance"))]
    pub role: String,
}

/// A new account. It gets a one-time password, shown once, which the person replaces at
/// first sign-in before choosing their security code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAccount {
    /// `provider` (a contact of provider organisations) or `council` (council staff).
    #[cfg_attr(feature = "openapi", schema(example = "provider"))]
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(example = "jo.bloggs@allypally.example"))]
    pub email: String,
    pub name: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub job_title: String,
    /// Council staff: their team (actions are assigned to teams).
    #[serde(default)]
    pub team: String,
    /// Provider contacts: at least one.
    #[serde(default)]
    pub memberships: Vec<NewMembership>,
}

/// An account, without any secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    pub id: String,
    pub kind: String,
    pub email: String,
    pub name: String,
    pub phone: String,
    pub job_title: String,
    pub team: String,
    pub memberships: Vec<OrganisationMembership>,
    pub is_locked: bool,
    /// `failures` (5 in a row), `inactive` (90 days unused) or `council`; absent when unlocked.
    pub locked_reason: Option<String>,
    /// RFC 3339; absent before the first sign-in.
    pub last_sign_in_at: Option<String>,
    /// Still to choose a password and security code.
    pub awaiting_first_sign_in: bool,
    pub version: i64,
}

/// The new account, and its one-time password: shown here once, never stored in plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountCreated {
    pub account: Account,
    pub temporary_password: String,
}
