//! Who is calling, and proof of it.
//!
//! - [`passwords`]: argon2id hashes of passwords and security-code digits.
//! - [`tokens`]: short-lived access tokens (JWT, HS256).
//! - [`extractor`]: `Caller`, the one extractor every protected handler takes.

pub mod extractor;
pub mod passwords;
pub mod tokens;

pub use extractor::Caller;
