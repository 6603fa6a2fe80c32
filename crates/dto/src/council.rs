//! What each council configures (DOMAIN 14a), as council staff read and edit it.

use serde::{Deserialize, Serialize};

/// When a week's actuals are due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionDeadline {
    /// `monday` to `sunday` of the week after the week of care.
    #[cfg_attr(feature = "openapi", schema(example = "tuesday"))]
    pub weekday: String,
    /// `HH:MM`, UK time.
    #[cfg_attr(feature = "openapi", schema(example = "17:00"))]
    pub time: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "By 17:00 each Tuesday, for the week before")
    )]
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CouncilSettings {
    #[cfg_attr(feature = "openapi", schema(example = "Bradford"))]
    pub name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub contact_address: String,
    pub submission_deadline: SubmissionDeadline,
    /// Days after a period is finalised during which its actuals may still be amended.
    #[cfg_attr(feature = "openapi", schema(example = 14))]
    pub amendment_window_days: i64,
    /// The second factor after the password: `digits` (three digits of the security code),
    /// `authenticator` (an authenticator app) or `user_choice` (either; the default).
    #[cfg_attr(feature = "openapi", schema(example = "user_choice"))]
    pub second_factor_policy: String,
    /// Send it back with an update; a stale one gets 409.
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateCouncilSettings {
    pub version: i64,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "provider.portal@bradford.example")
    )]
    pub contact_email: String,
    #[cfg_attr(feature = "openapi", schema(example = "01274 000000"))]
    pub contact_phone: String,
    pub contact_address: String,
    #[cfg_attr(feature = "openapi", schema(example = "tuesday"))]
    pub submission_deadline_weekday: String,
    #[cfg_attr(feature = "openapi", schema(example = "17:00"))]
    pub submission_deadline_time: String,
    #[cfg_attr(feature = "openapi", schema(example = 14))]
    pub amendment_window_days: i64,
    /// `digits`, `authenticator` or `user_choice`; left out, it stays as it is.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "user_choice"))]
    pub second_factor_policy: Option<String>,
}

/// The second factors a council may ask for after the password.
pub const SECOND_FACTOR_POLICIES: [&str; 3] = ["digits", "authenticator", "user_choice"];

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BankHoliday {
    #[cfg_attr(feature = "openapi", schema(example = "2022-09-19"))]
    pub date: String,
    #[cfg_attr(feature = "openapi", schema(example = "19/09/2022"))]
    pub label: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewBankHoliday {
    #[cfg_attr(feature = "openapi", schema(example = "2028-01-03"))]
    pub date: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "New Year's Day (substitute day)")
    )]
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActionType {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Actuals Query"))]
    pub name: String,
    /// The council team it goes to; absent when the raiser chooses.
    pub team: Option<String>,
    /// `client`, `contract`, `service`, `organisation`, `invoice`, `credit_note`, `contact`,
    /// `spot_commitment`.
    pub entity_kinds: Vec<String>,
    pub minimum_due_working_days: i64,
    /// Only council staff may raise it.
    pub council_only: bool,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisputeReason {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Unauthorised extra"))]
    pub name: String,
    pub active: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VatRate {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Standard"))]
    pub name: String,
    /// Percent, decimal string.
    #[cfg_attr(feature = "openapi", schema(example = "20"))]
    pub rate_percent: String,
    pub effective_from: String,
}
