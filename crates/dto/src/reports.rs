//! Reports (DOMAIN 12): Commissioned vs Actuals, Pending Payments Exceptions, Pending
//! Scheduled Payments and Remittance Advice Provider Payments.
//!
//! Every report is one endpoint that answers JSON, or CSV with `Accept: text/csv` or
//! `?format=csv` (API.md). Each report's `rows` are flat, in the order the screen shows them,
//! and the CSV has exactly those rows and columns with a header row, so the two always agree.

use serde::{Deserialize, Serialize};

use crate::{ClientRef, PaymentContract};

/// A choice in a report's filter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportChoice {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Ltd"))]
    pub label: String,
}

/// A client a report may be narrowed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportClientChoice {
    pub id: String,
    /// "Angelo, Iris (A1)".
    #[cfg_attr(feature = "openapi", schema(example = "Angelo, Iris (A1)"))]
    pub label: String,
    /// The organisations whose services the client has care at.
    pub organisation_ids: Vec<String>,
}

/// A paid period the remittance report can show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemittancePeriodChoice {
    pub id: String,
    pub contract_id: String,
    /// "02/05/2022 - 08/05/2022", with " *" when partially finalised.
    #[cfg_attr(feature = "openapi", schema(example = "02/05/2022 - 08/05/2022 *"))]
    pub label: String,
    /// Some of the period's lines were held back and carried forward to a later period.
    pub partially_finalised: bool,
}

/// Everything the reports' filters offer the caller: only what the caller may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportOptions {
    pub organisations: Vec<ReportChoice>,
    /// The service group classes of the caller's service levels, e.g. "Day Opportunities".
    pub service_group_classes: Vec<String>,
    pub clients: Vec<ReportClientChoice>,
    pub contracts: Vec<PaymentContract>,
    /// `scheduled` ("Scheduled payments") and `invoiced` ("Invoices"), as the caller's
    /// contracts pay.
    pub payment_methods: Vec<ReportChoice>,
    /// Finalised periods, newest first.
    pub remittance_periods: Vec<RemittancePeriodChoice>,
    /// Scheduled line statuses: `pay`, `suspend`, `cancel`, `carry_forward`.
    pub statuses: Vec<ReportChoice>,
}

/// Quantity and cost, commissioned against delivered.
/// Difference = Actual + Frustrated - Commissioned, in units and in money.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommissionedFigures {
    #[cfg_attr(feature = "openapi", schema(example = "5.00"))]
    pub commissioned_units: String,
    #[cfg_attr(feature = "openapi", schema(example = "3.00"))]
    pub actual_units: String,
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub frustrated_units: String,
    #[cfg_attr(feature = "openapi", schema(example = "-2.00"))]
    pub difference_units: String,
    #[cfg_attr(feature = "openapi", schema(example = "1072.30"))]
    pub commissioned_cost: String,
    #[cfg_attr(feature = "openapi", schema(example = "643.38"))]
    pub actual_cost: String,
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub frustrated_cost: String,
    #[cfg_attr(feature = "openapi", schema(example = "-428.92"))]
    pub difference_cost: String,
}

/// One client, CPLI and week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommissionedRow {
    pub organisation_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Day Opportunities PP Home"))]
    pub organisation: String,
    pub service_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Day Opportunities PP Home"))]
    pub service: String,
    #[cfg_attr(feature = "openapi", schema(example = "Day Opportunities"))]
    pub service_group_class: String,
    pub service_level_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Day Opportunities - Scheduled"))]
    pub service_level: String,
    pub client: ClientRef,
    /// Empty for an unplanned line.
    pub cpli_id: String,
    /// The CPLI's first day: "Service Start".
    #[cfg_attr(feature = "openapi", schema(example = "2022-03-28"))]
    pub service_start: String,
    /// The Monday of the actual week.
    #[cfg_attr(feature = "openapi", schema(example = "2022-04-04"))]
    pub week: String,
    /// "Gen.": the week's actual was generated from plan and not changed since.
    pub generated: bool,
    /// False for a week with no actual recorded (shown with "Include weeks without actuals").
    pub has_actual: bool,
    pub visits: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "Physical Support 65+"))]
    pub cost_centre: String,
    #[cfg_attr(feature = "openapi", schema(example = "Day Care"))]
    pub subjective: String,
    pub figures: CommissionedFigures,
}

/// A subtotal: one client at one service level, or one service level.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommissionedTotal {
    pub service_level_id: String,
    /// Set for a client total; `None` for a service level total.
    pub client_id: Option<String>,
    /// "Angelo, Iris (A1)" or "Day Opportunities - Scheduled".
    pub label: String,
    pub figures: CommissionedFigures,
}

/// Planned against delivered in one week, over the filtered set: the chart's data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommissionedWeek {
    #[cfg_attr(feature = "openapi", schema(example = "2022-04-04"))]
    pub week: String,
    pub commissioned_units: String,
    /// Actual + Frustrated: what is paid for.
    pub delivered_units: String,
    pub commissioned_cost: String,
    pub delivered_cost: String,
}

/// The Commissioned vs Actuals report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommissionedVsActuals {
    /// "Dates between 28/02/2022 and 24/04/2022, Service Group Class = ANY, Provider = Day
    /// Opportunities PP Home, Client = ANY".
    pub description: String,
    pub rows: Vec<CommissionedRow>,
    /// One per client and service level, in the rows' order.
    pub client_totals: Vec<CommissionedTotal>,
    /// One per service level, in the rows' order.
    pub service_level_totals: Vec<CommissionedTotal>,
    pub weeks: Vec<CommissionedWeek>,
    pub totals: CommissionedFigures,
}

/// One exception on an actual of an open payment period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingExceptionRow {
    pub organisation: String,
    pub contract_id: String,
    /// "Ally Pally Care: 19/06/2023 - 25/06/2023".
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Ally Pally Care: 19/06/2023 - 25/06/2023")
    )]
    pub payment_period: String,
    pub period_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Plan exceeded for week"))]
    pub exception_type: String,
    /// "Miss Fallon Sherrock (ab836000), 19/06/2023, Ally Pally Home Care - Homecare
    /// Flexible - Bradford - Single-handed".
    pub actual: String,
    pub client_id: String,
    pub week: String,
    /// "0%", or empty where the type has no threshold.
    pub threshold: String,
    /// "25%", or empty where the type measures nothing.
    pub value: String,
    /// "Suspend" or "Pay".
    pub payment_status: String,
}

/// The Pending Payments Exceptions report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingExceptions {
    /// The open periods looked at, "Ally Pally Care: 19/06/2023 - 25/06/2023".
    pub payment_periods: Vec<String>,
    pub rows: Vec<PendingExceptionRow>,
}

/// One scheduled line of a period not yet finalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingPaymentRow {
    pub organisation: String,
    pub contract_id: String,
    pub contract: String,
    pub period_id: String,
    pub period_start: String,
    pub period_end: String,
    pub client: ClientRef,
    pub service: String,
    /// "Homecare Flexible - Bradford - Single-handed (Hour), Spot."
    pub item_notes: String,
    pub item_from: String,
    pub item_to: String,
    /// "Pay", "Suspend", "Cancel" or "Carry forward".
    pub status: String,
    pub amount: String,
    pub vat: String,
}

/// The Pending Scheduled Payments report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PendingScheduledPayments {
    pub rows: Vec<PendingPaymentRow>,
    /// Sum of the rows' amounts.
    pub amount: String,
    pub vat: String,
}

/// One row of the remittance report: a paid line, or a client's total with `summary`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemittanceReportRow {
    pub contract: String,
    pub payment_method: String,
    pub period_id: String,
    /// "02/05/2022 - 08/05/2022".
    pub period: String,
    pub client: String,
    pub ssref: String,
    pub item: String,
    pub from: String,
    pub to: String,
    pub amount: String,
    pub vat: String,
    pub status: String,
}

/// The Remittance Advice Provider Payments report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemittanceReport {
    pub summary: bool,
    pub rows: Vec<RemittanceReportRow>,
    pub amount: String,
    pub vat: String,
    pub total: String,
}
