//! argon2id hashing for passwords and for the security code's digit triples.

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use portal_domain::security_code::{DigitPositions, SecurityCode};

use crate::configuration::HashingCost;

/// Hashes and verifies secrets at one cost.
#[derive(Clone)]
pub struct Hasher {
    params: Params,
}

impl Hasher {
    pub fn new(cost: HashingCost) -> Hasher {
        let params = match cost {
            // OWASP's argon2id floor: 19 MiB, 2 iterations, 1 lane.
            HashingCost::Standard => Params::new(19 * 1024, 2, 1, None),
            HashingCost::Test => Params::new(256, 1, 1, None),
        }
        .expect("argon2 parameters are valid");
        Hasher { params }
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// A PHC string with its own salt.
    pub fn hash(&self, secret: &str) -> String {
        let salt = SaltString::generate(&mut OsRng);
        self.argon2()
            .hash_password(secret.as_bytes(), &salt)
            .expect("hashing a short secret cannot fail")
            .to_string()
    }

    /// Verifies with the parameters stored in the hash, so old hashes keep working.
    pub fn verify(&self, secret: &str, stored: &str) -> bool {
        PasswordHash::new(stored)
            .map(|hash| {
                Argon2::default()
                    .verify_password(secret.as_bytes(), &hash)
                    .is_ok()
            })
            .unwrap_or(false)
    }

    /// Spends the time of a verification when there is no user, so that timing does not
    /// tell which email addresses have accounts.
    pub fn waste_a_verification(&self) {
        let dummy = self.hash("no such user");
        let _ = self.verify("another string", &dummy);
    }

    /// One hash per set of three positions: the code is never stored whole or in plain text.
    pub fn security_code_hashes(&self, code: &SecurityCode) -> Vec<(String, String)> {
        DigitPositions::all()
            .into_iter()
            .map(|positions| {
                (
                    positions.key(),
                    self.hash(&triple_secret(positions, &code.digits_at(positions))),
                )
            })
            .collect()
    }
}

/// What a digit triple's hash covers: the positions as well as the digits.
pub fn triple_secret(positions: DigitPositions, digits: &str) -> String {
    format!("{}:{digits}", positions.key())
}
