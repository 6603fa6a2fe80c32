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
    /// `security_code_digits`: answer with the digits asked for (`/auth/login/challenge`).
    /// `authenticator`: answer with the six-digit code from the authenticator app, or a
    /// recovery code; when `methods` also lists `security_code_digits`, the person may
    /// answer with the digits at `positions` instead.
    /// `first_sign_in`: this account must choose a new password
    /// (`/auth/first-sign-in/password`, when `must_change_password`) and then its security
    /// code (`/auth/first-sign-in/security-code`); no digits are asked for.
    #[serde(default = "digits_step")]
    #[cfg_attr(feature = "openapi", schema(example = "security_code_digits"))]
    pub next_step: String,
    /// On a first sign-in: whether a new password is still to be chosen.
    #[serde(default)]
    pub must_change_password: bool,
    /// The second factors this challenge accepts, the suggested one first:
    /// `authenticator` and/or `security_code_digits` (the council's policy decides).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = json!(["authenticator", "security_code_digits"])))]
    pub methods: Vec<String>,
}

fn digits_step() -> String {
    "security_code_digits".to_owned()
}

/// First sign-in, step 1: the user's own password in place of the one they were given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewPassword {
    pub challenge_id: String,
    /// At least 12 characters; any characters; not a common or easily guessed password.
    pub new_password: String,
}

/// First sign-in, step 2 (and changing it later): the six-digit security code, twice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewSecurityCode {
    pub challenge_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "240613"))]
    pub security_code: String,
    pub security_code_confirmation: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChallengeAnswer {
    pub challenge_id: String,
    /// One digit per position asked for, in the same order. Send exactly one of
    /// `digits`, `authenticator_code` and `recovery_code`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = json!(["4", "6", "3"])))]
    pub digits: Vec<String>,
    /// The six-digit code the authenticator app shows now.
    #[serde(default)]
    pub authenticator_code: Option<String>,
    /// One of the recovery codes given at enrolment; each works once.
    #[serde(default)]
    pub recovery_code: Option<String>,
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
    /// The council's second factor: `digits`, `authenticator` or `user_choice`.
    #[serde(default)]
    pub second_factor_policy: String,
    /// Whether an authenticator app is set up.
    #[serde(default)]
    pub authenticator_enrolled: bool,
    /// Unused recovery codes left.
    #[serde(default)]
    pub recovery_codes_left: i64,
}

/// An authenticator app being set up: scan the QR code or type the secret, then confirm
/// with a code the app shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AuthenticatorEnrolment {
    /// Base32, for typing into the app by hand.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    )]
    pub secret: String,
    /// `otpauth://totp/...`: what the QR code holds.
    pub otpauth_uri: String,
    /// The QR code as an SVG document.
    pub qr_svg: String,
}

/// Proof that the app works: the code it shows now, and the password again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmAuthenticator {
    #[cfg_attr(feature = "openapi", schema(example = "492039"))]
    pub code: String,
}

/// The one-time recovery codes: shown here once, stored only as hashes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecoveryCodes {
    pub recovery_codes: Vec<String>,
}

/// Removing the authenticator needs the password again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemoveAuthenticator {
    pub current_password: String,
}

/// A signed-in user's new password. Every other session of theirs then ends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangePassword {
    pub current_password: String,
    /// At least 12 characters; any characters; not a common or easily guessed password.
    pub new_password: String,
}

/// A signed-in user's new security code, entered twice, confirmed by their password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ChangeSecurityCode {
    pub current_password: String,
    pub security_code: String,
    pub security_code_confirmation: String,
}

/// "Forgot password": where to send a reset link.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ForgotPassword {
    pub email: String,
}

/// A reset link's token, and the new password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResetPassword {
    pub token: String,
    pub new_password: String,
}

/// An answer that is only a sentence for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Notice {
    pub message: String,
}

/// A mail in the demo's outbox.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OutboxMail {
    pub id: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    /// RFC 3339.
    pub created_at: String,
}
