//! Who is calling, and proof of it.
//!
//! - [`passwords`]: argon2id hashes of passwords and security-code digits.
//! - [`tokens`]: short-lived access tokens (JWT, HS256).
//! - [`password_policy`]: what a new password must be (length, not common).
//! - [`sessions`]: rotating refresh tokens, their cookie and how long a session lasts.
//! - [`totp`]: authenticator-app codes, their QR code, and recovery codes.
//! - [`extractor`]: `Caller`, the one extractor every protected handler takes.

pub mod extractor;
pub mod password_policy;
pub mod passwords;
pub mod sessions;
pub mod tokens;
pub mod totp;

pub use extractor::Caller;
