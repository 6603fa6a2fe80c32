//! Service levels: the priced kinds of care (DOMAIN 3).

use serde::{Deserialize, Serialize};

/// What one unit of a service level is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Hour,
    Session,
    Night,
}

impl Unit {
    pub fn singular(self) -> &'static str {
        match self {
            Unit::Hour => "Hour",
            Unit::Session => "Session",
            Unit::Night => "Night",
        }
    }

    pub fn plural(self) -> &'static str {
        match self {
            Unit::Hour => "Hours",
            Unit::Session => "Sessions",
            Unit::Night => "Nights",
        }
    }

    /// "Hour" for exactly one unit, "Hours" otherwise, as the guides print costs.
    pub fn for_count(self, count: rust_decimal::Decimal) -> &'static str {
        if count == rust_decimal::Decimal::ONE {
            self.singular()
        } else {
            self.plural()
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Unit::Hour => "hour",
            Unit::Session => "session",
            Unit::Night => "night",
        }
    }

    pub fn from_code(code: &str) -> Option<Unit> {
        match code {
            "hour" => Some(Unit::Hour),
            "session" => Some(Unit::Session),
            "night" => Some(Unit::Night),
            _ => None,
        }
    }
}

/// How a service level plans its care.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PricingKind {
    /// A weekly quantity times the rate ("Spot").
    PerUnit,
    /// Sessions on given weekdays (day opportunities).
    Timetabled,
    /// No weekly plan; an annual allocation (short breaks, rolling respite).
    Intermittent,
}

impl PricingKind {
    pub fn code(self) -> &'static str {
        match self {
            PricingKind::PerUnit => "per_unit",
            PricingKind::Timetabled => "timetabled",
            PricingKind::Intermittent => "intermittent",
        }
    }

    pub fn from_code(code: &str) -> Option<PricingKind> {
        match code {
            "per_unit" => Some(PricingKind::PerUnit),
            "timetabled" => Some(PricingKind::Timetabled),
            "intermittent" => Some(PricingKind::Intermittent),
            _ => None,
        }
    }
}
