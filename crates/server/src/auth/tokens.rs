//! Access tokens: HS256 JWTs carrying who (a person or a tool), which organisations, which
//! role in each, and, for tools, which scopes.

use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

const ISSUER: &str = "care-provider-portal";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: String,
    /// `provider`, `council` or `tool`.
    pub kind: String,
    /// Organisations a provider contact or tool acts for.
    pub orgs: Vec<i64>,
    /// A provider contact's role code in each of `orgs`.
    #[serde(default)]
    pub roles: Vec<(i64, String)>,
    /// A tool's scopes, e.g. `actuals:write`.
    #[serde(default)]
    pub scopes: Vec<String>,
    /// A person's token: the session (refresh-token family) it belongs to, so that signing
    /// out, a lock or a password change ends it at once.
    #[serde(default)]
    pub sid: String,
    /// A tool's token: which of its secrets it was issued for (a prefix of the secret's
    /// hash), so that rotating the secret ends the token.
    #[serde(default)]
    pub secret: String,
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

    /// A person's token: provider contacts carry their organisations and roles, council
    /// staff their council.
    pub fn issue(
        &self,
        user_id: i64,
        kind: &str,
        roles: Vec<(i64, String)>,
        council: Option<i64>,
        session_id: &str,
    ) -> anyhow::Result<String> {
        self.sign(Claims {
            sub: user_id.to_string(),
            kind: kind.to_owned(),
            orgs: roles
                .iter()
                .map(|(organisation, _)| *organisation)
                .collect(),
            roles,
            scopes: Vec::new(),
            sid: session_id.to_owned(),
            secret: String::new(),
            council,
            iat: 0,
            exp: 0,
            iss: ISSUER.to_owned(),
        })
    }

    /// A tool's token, for its one organisation and its scopes.
    pub fn issue_for_tool(
        &self,
        tool_id: i64,
        organisation_id: i64,
        scopes: Vec<String>,
        secret_fingerprint: &str,
    ) -> anyhow::Result<String> {
        self.sign(Claims {
            sub: tool_id.to_string(),
            kind: "tool".to_owned(),
            orgs: vec![organisation_id],
            roles: Vec::new(),
            scopes,
            sid: String::new(),
            secret: secret_fingerprint.to_owned(),
            council: None,
            iat: 0,
            exp: 0,
            iss: ISSUER.to_owned(),
        })
    }

    fn sign(&self, mut claims: Claims) -> anyhow::Result<String> {
        let now = OffsetDateTime::now_utc().unix_timestamp();
        claims.iat = now;
        claims.exp = now + self.lifetime_minutes * 60;
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
        let token = keys
            .issue(
                7,
                "provider",
                vec![(1, "finance".into()), (2, "manager".into())],
                None,
                "session-1",
            )
            .unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(claims.sub, "7");
        assert_eq!(claims.sid, "session-1");
        assert_eq!(claims.orgs, vec![1, 2]);
        let other = TokenKeys::new(b"another key, also 32 bytes long!", 15);
        assert!(other.verify(&token).is_none());
        assert!(keys.verify("not.a.token").is_none());
    }

    #[test]
    fn an_expired_token_is_refused() {
        let keys = TokenKeys::new(b"0123456789abcdef0123456789abcdef", -1);
        let token = keys
            .issue_for_tool(7, 1, vec!["actuals:write".into()], "ab12")
            .unwrap();
        assert!(keys.verify(&token).is_none());
    }
}
