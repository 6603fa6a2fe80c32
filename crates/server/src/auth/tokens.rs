//! Access tokens: HS256 JWTs carrying who, which organisations and which role.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

const ISSUER: &str = "care-provider-portal";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    /// `provider` or `council`.
    pub kind: String,
    /// Organisations a provider acts for.
    pub orgs: Vec<i64>,
    /// The council of council staff.
    pub council: Option<i64>,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
}

#[derive(Clone)]
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    lifetime_minutes: i64,
}

impl TokenKeys {
    pub fn new(secret: &[u8], lifetime_minutes: i64) -> TokenKeys {
        TokenKeys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            lifetime_minutes,
        }
    }

    pub fn lifetime_seconds(&self) -> u64 {
        u64::try_from(self.lifetime_minutes * 60).unwrap_or(0)
    }

    pub fn issue(
        &self,
        user_id: i64,
        kind: &str,
        orgs: Vec<i64>,
        council: Option<i64>,
    ) -> anyhow::Result<String> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let claims = Claims {
            sub: user_id.to_string(),
            kind: kind.to_owned(),
            orgs,
            council,
            iat: now,
            exp: now + self.lifetime_minutes * 60,
            iss: ISSUER.to_owned(),
        };
        Ok(encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &self.encoding,
        )?)
    }

    /// The claims of a valid, unexpired token of ours; `None` for anything else.
    pub fn verify(&self, token: &str) -> Option<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.leeway = 0;
        decode::<Claims>(token, &self.decoding, &validation)
            .ok()
            .map(|data| data.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_only_with_its_own_key() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef", 15);
        let token = keys.issue(7, "provider", vec![1, 2], None).unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(claims.sub, "7");
        assert_eq!(claims.orgs, vec![1, 2]);
        let other = TokenKeys::new(b"another key, also 32 bytes long!", 15);
        assert!(other.verify(&token).is_none());
        assert!(keys.verify("not.a.token").is_none());
    }

    #[test]
    fn an_expired_token_is_refused() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef", -1);
        let token = keys.issue(7, "provider", vec![1], None).unwrap();
        assert!(keys.verify(&token).is_none());
    }
}
