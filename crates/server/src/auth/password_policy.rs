//! What a new password must be (NCSC password guidance, NIST SP 800-63B 5.1.1): long
//! enough, and not common or easily guessed. No composition rules and no expiry; any
//! character, spaces included, and paste is welcome.
//!
//! "Common or easily guessed" is zxcvbn's estimate, whose dictionaries hold the most used
//! passwords, names and words, plus the person's own email address and name.

use zxcvbn::{zxcvbn, Score};

/// NCSC: at least 12 characters for a password people choose themselves.
pub const MINIMUM_LENGTH: usize = 12;
/// Long passphrases are welcome; this only keeps hashing cheap.
pub const MAXIMUM_LENGTH: usize = 256;

/// Each broken rule's message, worded to start a sentence about "Your new password".
pub fn problems(password: &str, email: &str, name: &str) -> Vec<String> {
    let length = password.chars().count();
    if length < MINIMUM_LENGTH {
        return vec![format!(
            "Your new password must be at least {MINIMUM_LENGTH} characters long"
        )];
    }
    if length > MAXIMUM_LENGTH {
        return vec![format!(
            "Your new password must be {MAXIMUM_LENGTH} characters or fewer"
        )];
    }
    let mut inputs: Vec<&str> = vec![email, name];
    inputs.extend(email.split(['@', '.']));
    inputs.extend(name.split_whitespace());
    inputs.retain(|input| input.chars().count() >= 3);
    if zxcvbn(password, &inputs).score() < Score::Three {
        return vec![
            "Your new password is too common or too easy to guess. Try three or more random words"
                .to_owned(),
        ];
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_passwords_are_refused() {
        assert_eq!(
            problems("Tr0ub4dor&3", "a@b.example", "Ann Bee"),
            ["Your new password must be at least 12 characters long"]
        );
    }

    #[test]
    fn common_passwords_and_the_users_own_details_are_refused() {
        for common in [
            "password1234",
            "qwertyuiop123",
            "123456789012",
            "iloveyou2024!",
        ] {
            assert_eq!(
                problems(common, "a@b.example", "Ann Bee").len(),
                1,
                "{common}"
            );
        }
        assert_eq!(
            problems(
                "diamondhomecare1",
                "greg.finance@diamondhomecare.example",
                "Greg Finance"
            )
            .len(),
            1
        );
    }

    #[test]
    fn long_random_passphrases_pass_without_composition_rules() {
        assert!(problems("correct horse battery staple", "a@b.example", "Ann Bee").is_empty());
        assert!(problems("marmalade kettle orbit tuesday", "a@b.example", "Ann Bee").is_empty());
    }
}
