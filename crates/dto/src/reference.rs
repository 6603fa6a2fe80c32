//! Reference data as providers see it: care package line items (DOMAIN 3).

use serde::{Deserialize, Serialize};

/// One row of the Care Package Line Items list, with the guides' column texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CpliSummary {
    /// The CPLI ID.
    pub id: String,
    pub client_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "96836000"))]
    pub ssref: String,
    /// "Bristow, Eric".
    #[cfg_attr(feature = "openapi", schema(example = "Bristow, Eric"))]
    pub client_name: String,
    pub service_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Home Care"))]
    pub service_name: String,
    pub service_level_id: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Homecare Flexible - Bradford - Single-handed")
    )]
    pub service_level_name: String,
    /// `per_unit`, `timetabled` or `intermittent`.
    pub pricing_kind: String,
    #[cfg_attr(feature = "openapi", schema(example = "2021-04-05"))]
    pub start: String,
    pub end: Option<String>,
    /// A full week's cost, decimal string.
    #[cfg_attr(feature = "openapi", schema(example = "140.00"))]
    pub weekly_cost: String,
    /// As the list shows it: "£140.00 Weekly" or "£1,072.30 Weekly (Timetabled)".
    #[cfg_attr(feature = "openapi", schema(example = "£140.00 Weekly"))]
    pub cost_label: String,
    #[cfg_attr(feature = "openapi", schema(example = "7 x Hours at £20.00 (Spot)"))]
    pub pricing: String,
    pub authorised: bool,
    /// False once the end date has passed.
    pub current: bool,
}
