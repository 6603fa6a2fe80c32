//! The authenticator app: RFC 6238 time-based one-time codes (totp-lite), the otpauth URI
//! and QR code that set an app up, and one-time recovery codes.

use data_encoding::BASE32_NOPAD;
use qrcode::render::svg;
use qrcode::QrCode;
use rand::RngCore;
use time::OffsetDateTime;
use totp_lite::{totp_custom, Sha1};

/// Seconds per code, and digits per code: what every authenticator app expects.
const STEP_SECONDS: u64 = 30;
const CODE_DIGITS: u32 = 6;
/// How many recovery codes an enrolment gives.
pub const RECOVERY_CODES: usize = 10;
const ISSUER: &str = "Care Provider Portal";

/// A new 160-bit secret (RFC 4226's recommended length), base32 as apps take it.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    BASE32_NOPAD.encode(&bytes)
}

fn step_of(at: OffsetDateTime) -> u64 {
    u64::try_from(at.unix_timestamp()).unwrap_or(0) / STEP_SECONDS
}

/// The code an app shows at `at`, for a stored base32 secret.
pub fn code_at(secret: &str, at: OffsetDateTime) -> Option<String> {
    let key = BASE32_NOPAD.decode(secret.as_bytes()).ok()?;
    Some(totp_custom::<Sha1>(
        STEP_SECONDS,
        CODE_DIGITS,
        &key,
        step_of(at) * STEP_SECONDS,
    ))
}

/// The step a code belongs to, allowing one step of clock drift either way (RFC 6238
/// section 5.2); `None` when it matches none.
pub fn matching_step(secret: &str, code: &str, now: OffsetDateTime) -> Option<i64> {
    let key = BASE32_NOPAD.decode(secret.as_bytes()).ok()?;
    let now_step = step_of(now);
    [now_step.saturating_sub(1), now_step, now_step + 1]
        .into_iter()
        .find(|step| {
            totp_custom::<Sha1>(STEP_SECONDS, CODE_DIGITS, &key, step * STEP_SECONDS) == code
        })
        .and_then(|step| i64::try_from(step).ok())
}

/// The `otpauth://` URI an app scans (Key Uri Format).
pub fn otpauth_uri(secret: &str, account: &str) -> String {
    let label = percent_encode(&format!("{ISSUER}:{account}"));
    format!(
        "otpauth://totp/{label}?secret={secret}&issuer={}&algorithm=SHA1&digits={CODE_DIGITS}&period={STEP_SECONDS}",
        percent_encode(ISSUER)
    )
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

/// The URI as a QR code, an SVG document with a title for screen readers.
pub fn qr_svg(uri: &str) -> anyhow::Result<String> {
    let code = QrCode::new(uri.as_bytes())?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build())
}

/// Ten one-time codes like `K7QF-2M4X-PL9A-3RTD` (80 random bits each).
pub fn new_recovery_codes() -> Vec<String> {
    (0..RECOVERY_CODES)
        .map(|_| {
            let mut bytes = [0u8; 10];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            let text = BASE32_NOPAD.encode(&bytes);
            text.as_bytes()
                .chunks(4)
                .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
                .collect::<Vec<_>>()
                .join("-")
        })
        .collect()
}

/// A recovery code as typed (any case, spaces or hyphens) in the form it was hashed.
pub fn normalise_recovery_code(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect::<Vec<char>>()
        .chunks(4)
        .map(|chunk| chunk.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_rfc_6238_sha1_vector_is_reproduced() {
        // RFC 6238 appendix B: secret "12345678901234567890", T = 59 s gives 94287082 at 8
        // digits; at 6 digits that is its last six.
        let secret = BASE32_NOPAD.encode(b"12345678901234567890");
        assert_eq!(
            code_at(&secret, datetime!(1970-01-01 00:00:59 UTC)).as_deref(),
            Some("287082")
        );
    }

    #[test]
    fn a_code_matches_its_step_and_its_neighbours_only() {
        let secret = new_secret();
        let now = datetime!(2026-11-23 10:00:00 UTC);
        let code = code_at(&secret, now).unwrap();
        assert!(matching_step(&secret, &code, now).is_some());
        assert!(matching_step(&secret, &code, now + time::Duration::seconds(30)).is_some());
        assert!(matching_step(&secret, &code, now + time::Duration::minutes(5)).is_none());
    }

    #[test]
    fn recovery_codes_survive_careless_typing() {
        let codes = new_recovery_codes();
        assert_eq!(codes.len(), RECOVERY_CODES);
        let typed = codes[0].to_lowercase().replace('-', " ");
        assert_eq!(normalise_recovery_code(&typed), codes[0]);
    }

    #[test]
    fn the_uri_names_the_issuer_and_account() {
        let uri = otpauth_uri("ABC", "jo@example.org");
        assert!(uri
            .starts_with("otpauth://totp/Care%20Provider%20Portal%3Ajo%40example.org?secret=ABC"));
        assert!(qr_svg(&uri).unwrap().contains("<svg"));
    }
}
