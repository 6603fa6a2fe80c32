//! The six-digit security code and the login's digit challenge (DOMAIN 14).
//!
//! The code itself is never stored: the server keeps one salted hash per set of three
//! positions (see [`DigitPositions::all`]), so it can check the digits it asked for.

use serde::{Deserialize, Serialize};

/// One broken rule. Each has its own message, shown to the user as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecurityCodeError {
    #[error("Your security code must be exactly 6 digits, 0 to 9")]
    NotSixDigits,
    #[error("Your new security code must be different from your previous one")]
    SameAsPrevious,
    #[error("Your security code must not use the digit {digit} more than 4 times")]
    DigitRepeatedTooOften { digit: char },
    #[error("Your security code must not contain a run of more than three consecutive digits, such as {run}")]
    ConsecutiveRun { run: String },
}

/// A valid six-digit security code.
#[derive(Clone, PartialEq, Eq)]
pub struct SecurityCode([u8; 6]);

impl std::fmt::Debug for SecurityCode {
    // Never print a code, even in a debug log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecurityCode(******)")
    }
}

impl SecurityCode {
    /// Checks every rule and reports every one broken.
    pub fn parse(
        text: &str,
        previous: Option<&SecurityCode>,
    ) -> Result<SecurityCode, Vec<SecurityCodeError>> {
        let bytes = text.as_bytes();
        if bytes.len() != 6 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(vec![SecurityCodeError::NotSixDigits]);
        }
        let digits: [u8; 6] = std::array::from_fn(|i| bytes[i] - b'0');
        let mut broken = Vec::new();
        if previous.is_some_and(|previous| previous.0 == digits) {
            broken.push(SecurityCodeError::SameAsPrevious);
        }
        for digit in 0..=9u8 {
            if digits.iter().filter(|&&d| d == digit).count() > 4 {
                broken.push(SecurityCodeError::DigitRepeatedTooOften {
                    digit: char::from(b'0' + digit),
                });
            }
        }
        if let Some(run) = longest_forbidden_run(&digits) {
            broken.push(SecurityCodeError::ConsecutiveRun { run });
        }
        if broken.is_empty() {
            Ok(SecurityCode(digits))
        } else {
            Err(broken)
        }
    }

    /// The digits at the given positions, for hashing one challenge's answer.
    pub fn digits_at(&self, positions: DigitPositions) -> String {
        positions
            .0
            .iter()
            .map(|&position| char::from(b'0' + self.0[usize::from(position) - 1]))
            .collect()
    }
}

/// The first run of four or more digits counting up or down by one ("1234", "4321").
fn longest_forbidden_run(digits: &[u8; 6]) -> Option<String> {
    for step in [1i8, -1] {
        let mut start = 0;
        for end in 1..=digits.len() {
            let continues = end < digits.len()
                && i16::from(digits[end]) - i16::from(digits[end - 1]) == i16::from(step);
            if !continues {
                if end - start > 3 {
                    return Some(
                        digits[start..end]
                            .iter()
                            .map(|d| char::from(b'0' + d))
                            .collect(),
                    );
                }
                start = end;
            }
        }
    }
    None
}

/// Three distinct positions (1 to 6, ascending) the server asks for at one login.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DigitPositions([u8; 3]);

impl DigitPositions {
    /// The 20 ways to choose three of the six positions.
    pub fn all() -> Vec<DigitPositions> {
        let mut all = Vec::with_capacity(20);
        for a in 1..=4u8 {
            for b in a + 1..=5 {
                for c in b + 1..=6 {
                    all.push(DigitPositions([a, b, c]));
                }
            }
        }
        all
    }

    /// Picks one set from a random number the caller supplies (the domain has no randomness).
    pub fn choose(random: u32) -> DigitPositions {
        let all = DigitPositions::all();
        all[random as usize % all.len()]
    }

    pub fn positions(self) -> [u8; 3] {
        self.0
    }

    /// "2,4,6", the form the store keeps.
    pub fn key(self) -> String {
        format!("{},{},{}", self.0[0], self.0[1], self.0[2])
    }

    pub fn from_key(key: &str) -> Option<DigitPositions> {
        let parts: Vec<u8> = key
            .split(',')
            .filter_map(|p| p.trim().parse().ok())
            .collect();
        let positions: [u8; 3] = parts.try_into().ok()?;
        DigitPositions::all().into_iter().find(|p| p.0 == positions)
    }

    /// "2nd, 4th and 6th".
    pub fn describe(self) -> String {
        let [a, b, c] = self.0.map(ordinal);
        format!("{a}, {b} and {c}")
    }
}

/// "1st", "2nd", "3rd", "4th".
pub fn ordinal(position: u8) -> String {
    let suffix = match position {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    };
    format!("{position}{suffix}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_good_code_is_accepted() {
        assert!(SecurityCode::parse("240613", None).is_ok());
        assert!(
            SecurityCode::parse("123905", None).is_ok(),
            "a run of three is allowed"
        );
        assert!(
            SecurityCode::parse("111197", None).is_ok(),
            "four of a digit is allowed"
        );
    }

    #[test]
    fn each_broken_rule_has_its_own_message() {
        assert_eq!(
            SecurityCode::parse("12345", None),
            Err(vec![SecurityCodeError::NotSixDigits])
        );
        assert_eq!(
            SecurityCode::parse("12a456", None),
            Err(vec![SecurityCodeError::NotSixDigits])
        );
        assert_eq!(
            SecurityCode::parse("111115", None),
            Err(vec![SecurityCodeError::DigitRepeatedTooOften {
                digit: '1'
            }])
        );
        assert_eq!(
            SecurityCode::parse("912349", None),
            Err(vec![SecurityCodeError::ConsecutiveRun {
                run: "1234".into()
            }])
        );
        assert_eq!(
            SecurityCode::parse("094321", None),
            Err(vec![SecurityCodeError::ConsecutiveRun {
                run: "4321".into()
            }])
        );
        let previous = SecurityCode::parse("240613", None).unwrap();
        assert_eq!(
            SecurityCode::parse("240613", Some(&previous)),
            Err(vec![SecurityCodeError::SameAsPrevious])
        );
    }

    #[test]
    fn the_challenge_reads_the_chosen_positions() {
        let code = SecurityCode::parse("240613", None).unwrap();
        let positions = DigitPositions::from_key("2,4,6").unwrap();
        assert_eq!(code.digits_at(positions), "463");
        assert_eq!(positions.describe(), "2nd, 4th and 6th");
        assert_eq!(DigitPositions::all().len(), 20);
        assert_eq!(DigitPositions::from_key("2,2,6"), None);
        assert_eq!(format!("{code:?}"), "SecurityCode(******)");
    }
}
