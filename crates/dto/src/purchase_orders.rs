//! Purchase orders (DOMAIN 7): one per client, service and financial year.

use serde::{Deserialize, Serialize};

/// One row of the POs list, with the guides' columns.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseOrderSummary {
    /// The PO's id: the `N` of its number.
    #[cfg_attr(feature = "openapi", schema(example = "2"))]
    pub id: String,
    /// `N - v`: the PO and its version, which goes up with each care package variation.
    #[cfg_attr(feature = "openapi", schema(example = "2 - 1"))]
    pub number: String,
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub version: i64,
    /// As the list names it.
    #[cfg_attr(feature = "openapi", schema(example = "Angelo, Iris (A1) - 2022/2023"))]
    pub label: String,
    pub client_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Angelo, Iris"))]
    pub client_name: String,
    #[cfg_attr(feature = "openapi", schema(example = "A1"))]
    pub ssref: String,
    pub service_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Day Opportunities PP Home"))]
    pub service_name: String,
    pub organisation_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Day Opportunities PP Home"))]
    pub organisation_name: String,
    /// The path form, `2022-2023`.
    #[cfg_attr(feature = "openapi", schema(example = "2022-2023"))]
    pub financial_year: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022/2023"))]
    pub financial_year_label: String,
    /// The cost planned inside the year: the sum of the item lines.
    #[cfg_attr(feature = "openapi", schema(example = "55974.06"))]
    pub value: String,
    /// Finalised payments (status Pay) against its CPLIs for weeks in the year.
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub spend_to_date: String,
    /// The day the current version was issued, when known.
    #[cfg_attr(feature = "openapi", schema(example = "2022-10-06"))]
    pub issued_on: Option<String>,
}

/// The provider a PO is addressed to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseOrderProvider {
    pub organisation_name: String,
    #[cfg_attr(feature = "openapi", schema(example = "1 Skylander Road"))]
    pub address_line1: String,
    pub town: String,
    pub postcode: String,
}

/// The PO's "Payment Information" block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseOrderPayment {
    #[cfg_attr(feature = "openapi", schema(example = "2022-04-01"))]
    pub from: String,
    #[cfg_attr(feature = "openapi", schema(example = "2023-03-31"))]
    pub to: String,
    pub contract_name: String,
    /// `scheduled` or `invoiced`.
    #[cfg_attr(feature = "openapi", schema(example = "invoiced"))]
    pub model: String,
    #[cfg_attr(feature = "openapi", schema(example = "Invoiced, pay on actuals"))]
    pub model_label: String,
    #[cfg_attr(feature = "openapi", schema(example = 4))]
    pub period_weeks: i64,
    #[cfg_attr(feature = "openapi", schema(example = "Four-weekly"))]
    pub period_label: String,
    /// The first day of the contract's first payment period.
    #[cfg_attr(feature = "openapi", schema(example = "2022-03-28"))]
    pub period_anchor: String,
    /// Days of slack on payment, where the contract sets any; none do yet.
    pub slack_days: Option<i64>,
    /// True for a direct payment; no contract records one yet, so always false.
    pub direct_payment: bool,
}

/// One item line: one version of one CPLI, over its days in the year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseOrderItem {
    /// The CPLI ID.
    pub cpli_id: String,
    pub version_number: i64,
    #[cfg_attr(
        feature = "openapi",
        schema(
            example = "Service 'Day Opportunities PP Home', Level 'Day Opportunities - Scheduled (Session)', 5 Sessions every week. Weekly cost £1,072.30"
        )
    )]
    pub details: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-04-01"))]
    pub from: String,
    #[cfg_attr(feature = "openapi", schema(example = "2023-03-31"))]
    pub to: String,
    /// Units planned inside the year (hours, sessions or nights).
    #[cfg_attr(feature = "openapi", schema(example = "261"))]
    pub units: String,
    #[cfg_attr(feature = "openapi", schema(example = "214.46"))]
    pub rate: String,
    /// No discounts are given yet; kept for the guides' "Disc (%)" column.
    pub discount_percent: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "55974.06"))]
    pub amount: String,
}

/// The PO as it stood at one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseOrderVersion {
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(example = "2 - 1"))]
    pub number: String,
    pub issued_on: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "55974.06"))]
    pub value: String,
    /// What made it: "First issued", or the CPLI version that varied the care package.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "CPLI 12 version 2 from 01/08/2022")
    )]
    pub change: String,
}

/// One PO with its items, payment information and every version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PurchaseOrder {
    pub summary: PurchaseOrderSummary,
    pub provider: PurchaseOrderProvider,
    pub payment: PurchaseOrderPayment,
    pub items: Vec<PurchaseOrderItem>,
    /// The sum of the items.
    #[cfg_attr(feature = "openapi", schema(example = "55974.06"))]
    pub total_ex_vat: String,
    /// Oldest first; the last is the PO as it stands.
    pub versions: Vec<PurchaseOrderVersion>,
}
