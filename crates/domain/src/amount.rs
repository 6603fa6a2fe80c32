//! Exact, validated amounts. Money and quantities are decimals with at most two places,
//! never negative, never absurd; anything else is refused at the boundary so the rest of
//! the code never re-checks.

use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

/// Why a typed amount was refused. The messages are shown to providers as they are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("must be a number, like 5 or 5.5")]
    NotANumber,
    #[error("must not be negative")]
    Negative,
    #[error("must have at most 2 decimal places")]
    TooManyDecimalPlaces,
    #[error("must be at most {max}")]
    TooLarge { max: String },
}

/// Rounds to the penny, half away from zero, as every line of the portal does.
pub fn round_to_penny(value: Decimal) -> Decimal {
    value.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

fn parse_bounded(text: &str, max: Decimal) -> Result<Decimal, AmountError> {
    let trimmed = text.trim();
    // Decimal::from_str accepts forms people do not type ("1e3", "_"); insist on digits.
    let plain = !trimmed.is_empty()
        && trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == '-' || c == '+')
        && trimmed.chars().any(|c| c.is_ascii_digit());
    if !plain {
        return Err(AmountError::NotANumber);
    }
    let value = Decimal::from_str(trimmed).map_err(|_| AmountError::NotANumber)?;
    check_bounds(value, max)
}

fn check_bounds(value: Decimal, max: Decimal) -> Result<Decimal, AmountError> {
    if value.is_sign_negative() && !value.is_zero() {
        return Err(AmountError::Negative);
    }
    if value.normalize().scale() > 2 {
        return Err(AmountError::TooManyDecimalPlaces);
    }
    if value > max {
        return Err(AmountError::TooLarge {
            max: max.normalize().to_string(),
        });
    }
    // Keep a canonical two-place scale so equal amounts compare and print alike.
    let mut canonical = value.abs();
    canonical.rescale(2);
    Ok(canonical)
}

macro_rules! bounded_amount {
    ($name:ident, $max:expr, $doc:literal) => {
        #[doc = $doc]
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
        )]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(Decimal);

        impl $name {
            /// The largest value accepted.
            pub fn max() -> Decimal {
                Decimal::from($max)
            }
            pub fn zero() -> Self {
                Self(Decimal::new(0, 2))
            }
            /// Parses what a person or a tool typed.
            pub fn parse(text: &str) -> Result<Self, AmountError> {
                parse_bounded(text, Self::max()).map(Self)
            }
            /// Accepts an already-exact decimal, with the same rules as `parse`.
            pub fn from_decimal(value: Decimal) -> Result<Self, AmountError> {
                check_bounds(value, Self::max()).map(Self)
            }
            /// Hundredths, the exact integer form the database stores and sums.
            pub fn hundredths(self) -> i64 {
                let mut scaled = self.0;
                scaled.rescale(2);
                i64::try_from(scaled.mantissa()).expect("bounded amounts fit in i64")
            }
            pub fn from_hundredths(hundredths: i64) -> Result<Self, AmountError> {
                Self::from_decimal(Decimal::new(hundredths, 2))
            }
            pub fn value(self) -> Decimal {
                self.0
            }
            pub fn is_zero(self) -> bool {
                self.0.is_zero()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}", self.0)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.to_string()
            }
        }

        impl TryFrom<String> for $name {
            type Error = AmountError;
            fn try_from(text: String) -> Result<Self, Self::Error> {
                Self::parse(&text)
            }
        }
    };
}

bounded_amount!(
    Money,
    10_000_000,
    "An amount of pounds: at most 2 decimal places, never negative, at most £10,000,000."
);
bounded_amount!(
    Quantity,
    100_000,
    "Units of care (hours, sessions, nights, visits): at most 2 decimal places, never negative."
);

impl Money {
    /// `units x rate`, rounded to the penny half away from zero (DOMAIN 4.1).
    pub fn cost_of(units: Quantity, rate: Money) -> Money {
        let exact = units.value() * rate.value();
        let rounded = round_to_penny(exact).min(Money::max());
        Money::from_decimal(rounded).expect("a bounded product, rounded, stays valid")
    }

    /// Sums lines that are already rounded: totals are sums of lines.
    pub fn sum<I: IntoIterator<Item = Money>>(lines: I) -> Decimal {
        lines.into_iter().map(Money::value).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_what_providers_type() {
        assert_eq!(Quantity::parse("5").unwrap().to_string(), "5.00");
        assert_eq!(Quantity::parse(" 5.5 ").unwrap().to_string(), "5.50");
        assert_eq!(Money::parse("1072.30").unwrap().hundredths(), 107_230);
    }

    #[test]
    fn refuses_bad_input_with_a_reason() {
        assert_eq!(Quantity::parse("abc"), Err(AmountError::NotANumber));
        assert_eq!(Quantity::parse(""), Err(AmountError::NotANumber));
        assert_eq!(Quantity::parse("1e3"), Err(AmountError::NotANumber));
        assert_eq!(Quantity::parse("-1"), Err(AmountError::Negative));
        assert_eq!(
            Quantity::parse("1.234"),
            Err(AmountError::TooManyDecimalPlaces)
        );
        assert!(matches!(
            Money::parse("10000000.01"),
            Err(AmountError::TooLarge { .. })
        ));
    }

    #[test]
    fn trailing_zeros_beyond_two_places_are_not_extra_precision() {
        assert_eq!(Quantity::parse("1.500").unwrap().to_string(), "1.50");
    }

    #[test]
    fn cost_rounds_half_away_from_zero() {
        let half_penny = Money::cost_of(
            Quantity::parse("0.5").unwrap(),
            Money::parse("0.01").unwrap(),
        );
        assert_eq!(half_penny.to_string(), "0.01");
    }

    #[test]
    fn serde_uses_decimal_strings() {
        let json = serde_json_like(Money::parse("20").unwrap());
        assert_eq!(json, "20.00");
    }

    fn serde_json_like(money: Money) -> String {
        String::from(money)
    }
}
