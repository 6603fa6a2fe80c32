//! Scheduled payments: payment periods, their lines, the provider's confirmation, council
//! decisions, and the remittance advice of a paid period (DOMAIN 5).

use serde::{Deserialize, Serialize};

use crate::{ClientRef, CpliSummary};

/// A contract as the payment screens pick it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentContract {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Care"))]
    pub name: String,
    pub organisation_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Ltd"))]
    pub organisation_name: String,
    /// `scheduled` (pay on actuals through scheduled payments) or `invoiced`.
    pub payment_model: String,
    /// 1, 2 or 4.
    pub period_weeks: i64,
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub vat_rate_percent: String,
}

/// One payment period of a contract and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentPeriodSummary {
    pub id: String,
    pub contract_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-06"))]
    pub start: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-12"))]
    pub end: String,
    /// "6 Jun 2022 to 12 Jun 2022", as the list shows it.
    #[cfg_attr(feature = "openapi", schema(example = "6 Jun 2022 to 12 Jun 2022"))]
    pub label: String,
    /// The provider's answer: `unconfirmed`, `confirmed` or `rejected`.
    pub provider_status: String,
    /// The council's progress: `open`, `authorised` or `finalised` (paid).
    pub status: String,
    /// "Unconfirmed", "Confirmed", "Rejected", "Authorised" or "Finalised": what the list
    /// shows beside the period.
    pub status_label: String,
    /// Optimistic version: send it back with every change.
    pub version: i64,
}

/// One scheduled line: the planned cost of a CPLI, or an "Adj." for what the actuals
/// change (or for an amended week of a paid period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScheduledLine {
    /// Names the line in decisions and disputes, e.g. `cpli/1564/adjustment`.
    #[cfg_attr(feature = "openapi", schema(example = "cpli/1564/adjustment"))]
    pub key: String,
    /// `cost` or `adjustment`.
    pub kind: String,
    pub cpli_id: Option<String>,
    pub service_level_id: String,
    /// "Homecare Flexible - Bradford - Single-handed (Hour), Spot. (Adj)".
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Homecare Flexible - Bradford - Single-handed (Hour), Spot. (Adj)")
    )]
    pub reason_for_payment: String,
    pub service_name: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-06"))]
    pub from: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-12"))]
    pub to: String,
    #[cfg_attr(feature = "openapi", schema(example = "40.00"))]
    pub amount: String,
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub vat: String,
    /// `pay`, `suspend`, `cancel` or `carry_forward`.
    pub status: String,
    /// "Pay", "Suspend", "Cancel", "Carry forward".
    pub status_label: String,
    /// Why: the council's reason for a decision, the provider's dispute, or the exception
    /// that suspends the client.
    pub reason: String,
    /// True while the provider disputes the line and the council has not decided it.
    pub disputed: bool,
}

/// A client's lines in a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientPayment {
    pub client: ClientRef,
    pub lines: Vec<ScheduledLine>,
    /// Sum of the client's payable lines.
    pub payable: String,
    /// Sum of the client's other lines.
    pub non_payable: String,
    /// VAT on the payable lines.
    pub payable_vat: String,
    /// The exceptions that suspend the client's payment this period, as the grid words them.
    pub suspended_because: Vec<String>,
}

/// A period in full: its lines per client, totals, and the CPLIs it pays for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PaymentPeriodDetail {
    pub period: PaymentPeriodSummary,
    pub contract: PaymentContract,
    /// The provider's comment with its confirmation or rejection.
    pub provider_comment: String,
    pub provider_answered_at: Option<String>,
    pub authorised_at: Option<String>,
    pub finalised_at: Option<String>,
    /// Clients in name order.
    pub clients: Vec<ClientPayment>,
    #[cfg_attr(feature = "openapi", schema(example = "760.00"))]
    pub payable: String,
    #[cfg_attr(feature = "openapi", schema(example = "60.00"))]
    pub non_payable: String,
    pub payable_vat: String,
    /// Payable plus its VAT.
    pub total_payable: String,
    /// True for a period whose figures are the payment run's record rather than live.
    pub from_payment_run: bool,
    pub cplis: Vec<CpliSummary>,
}

/// The provider's answer to a period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodAnswer {
    pub version: i64,
    /// `confirm` or `reject`.
    #[cfg_attr(feature = "openapi", schema(example = "confirm"))]
    pub answer: String,
    /// Required to reject; up to 2,000 characters.
    #[serde(default)]
    pub comment: String,
}

/// A word on one line: council staff `pay` or `cancel` (with a reason); a provider
/// `dispute`s (with a reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineDecisionRequest {
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(example = "cpli/1564/adjustment"))]
    pub line_key: String,
    /// `pay`, `cancel` or `dispute`.
    pub decision: String,
    #[serde(default)]
    pub reason: String,
}

/// Council staff pay every held line of a client that is not disputed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PayUndisputed {
    pub version: i64,
    pub client_id: String,
}

/// The period's version, for authorising and finalising.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PeriodVersion {
    pub version: i64,
}

/// One row of a remittance advice: a line (or, in the summary, a client's total).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemittanceRow {
    #[cfg_attr(feature = "openapi", schema(example = "Bristow, Eric (96836000)"))]
    pub client: String,
    pub ssref: String,
    /// The line's reason for payment; empty in the summary.
    pub item: String,
    pub from: String,
    pub to: String,
    pub amount: String,
    pub vat: String,
    /// "Pay", "Cancel", "Carry forward"; empty in the summary.
    pub status: String,
}

/// What a paid period paid, for the provider's books.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RemittanceAdvice {
    pub period: PaymentPeriodSummary,
    pub contract: PaymentContract,
    pub finalised_at: String,
    pub summary: bool,
    pub rows: Vec<RemittanceRow>,
    /// Paid, ex VAT.
    pub paid: String,
    pub vat: String,
    pub total: String,
}
