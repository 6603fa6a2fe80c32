//! Rotating refresh tokens (issue 4): how long a session lasts, and the cookie that carries
//! its refresh token.
//!
//! The SPA never sees a refresh token: it travels in an HttpOnly, Secure, SameSite=Strict
//! cookie scoped to `/api/v1/auth`, and the access token lives in the SPA's memory only.
//! Lengths follow OWASP ASVS 4.0.3 3.3.2 at level 3: a session ends after 15 minutes without
//! use, and after 12 hours whatever happens.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::HttpRequest;
use rand::RngCore;
use sha2::{Digest, Sha256};
use time::Duration;

/// The cookie's name.
pub const REFRESH_COOKIE: &str = "portal_refresh";
/// Only the auth endpoints receive the cookie.
const COOKIE_PATH: &str = "/api/v1/auth";
/// A refresh token unused for this long has expired (the idle limit).
pub const IDLE_LIMIT: Duration = Duration::minutes(15);
/// No session outlives this, however busy (the absolute limit).
pub const SESSION_LIMIT: Duration = Duration::hours(12);

/// A new refresh token: 256 random bits, hex.
pub fn new_refresh_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// What the database keeps of a token: its SHA-256, hex. A leaked table signs no one in.
pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The refresh token the browser sent, if any.
pub fn presented_token(request: &HttpRequest) -> Option<String> {
    request
        .cookie(REFRESH_COOKIE)
        .map(|cookie| cookie.value().to_owned())
        .filter(|value| !value.is_empty())
}

/// The cookie that hands a new refresh token to the browser.
pub fn refresh_cookie(token: &str) -> Cookie<'static> {
    Cookie::build(REFRESH_COOKIE, token.to_owned())
        .path(COOKIE_PATH)
        .http_only(true)
        .secure(true)
        .same_site(SameSite::Strict)
        .max_age(actix_web::cookie::time::Duration::seconds(
            SESSION_LIMIT.whole_seconds(),
        ))
        .finish()
}

/// The cookie that tells the browser to forget the refresh token.
pub fn cleared_cookie() -> Cookie<'static> {
    let mut cookie = refresh_cookie("");
    cookie.make_removal();
    cookie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_stored_only_as_hashes() {
        let first = new_refresh_token();
        let second = new_refresh_token();
        assert_eq!(first.len(), 64);
        assert_ne!(first, second);
        assert_eq!(token_hash(&first), token_hash(&first));
        assert_ne!(token_hash(&first), first);
    }

    #[test]
    fn the_cookie_is_out_of_reach_of_scripts_and_other_sites() {
        let cookie = refresh_cookie("abc").to_string();
        for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/api/v1/auth"] {
            assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
        }
    }
}
