//! Invoices and credit notes (DOMAIN 6) for contracts paid "invoiced, pay on actuals".

use serde::{Deserialize, Serialize};

/// An invoice or credit note in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceSummary {
    pub id: String,
    /// `invoice` or `credit_note`.
    #[cfg_attr(feature = "openapi", schema(example = "invoice"))]
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(example = "123456"))]
    pub reference: String,
    pub organisation_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Day Opportunities PP Home"))]
    pub organisation_name: String,
    /// `unsubmitted`, `pending`, `authorised`, `finalised`, `on_hold`, `returned` or `deleted`.
    #[cfg_attr(feature = "openapi", schema(example = "pending"))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(example = "Pending"))]
    pub status_label: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-03-28"))]
    pub period_start: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-04-24"))]
    pub period_end: String,
    #[cfg_attr(feature = "openapi", schema(example = "28/03/2022 - 24/04/2022"))]
    pub period_label: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-10-09"))]
    pub date_on_invoice: String,
    #[cfg_attr(feature = "openapi", schema(example = "3860.28"))]
    pub items_ex_vat: String,
    #[cfg_attr(feature = "openapi", schema(example = "772.06"))]
    pub items_vat: String,
    #[cfg_attr(feature = "openapi", schema(example = "4632.34"))]
    pub payable: String,
    pub version: i64,
}

/// One item: a commitment (a client's care at a service in one financial year).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceItem {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Angelo, Iris (A1) - 2022/2023"))]
    pub commitment: String,
    pub client_id: String,
    pub service_id: String,
    pub contract_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Day Opportunities PP Home"))]
    pub contract_name: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022/2023"))]
    pub financial_year: String,
    #[cfg_attr(feature = "openapi", schema(example = "28/03/2022 - 24/04/2022"))]
    pub period_label: String,
    /// Ex VAT; negative on a credit note.
    #[cfg_attr(feature = "openapi", schema(example = "3002.44"))]
    pub value: String,
    #[cfg_attr(feature = "openapi", schema(example = "600.49"))]
    pub vat: String,
    /// Client contributions the provider collected.
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub contribution: String,
    /// False once removed; a removed item can be re-added.
    pub included: bool,
}

/// The supporting VAT invoice's name and type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceAttachment {
    #[cfg_attr(feature = "openapi", schema(example = "vat-invoice-123456.pdf"))]
    pub file_name: String,
    #[cfg_attr(feature = "openapi", schema(example = "application/pdf"))]
    pub content_type: String,
    pub size_bytes: i64,
}

/// An invoice or credit note with its header figures and items. Totals count included
/// items only; each is a sum of items already rounded to the penny.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Invoice {
    pub id: String,
    /// `invoice` or `credit_note`.
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(example = "Invoice"))]
    pub kind_label: String,
    pub organisation_id: String,
    pub organisation_name: String,
    #[cfg_attr(feature = "openapi", schema(example = "123456"))]
    pub reference: String,
    #[cfg_attr(feature = "openapi", schema(example = "unsubmitted"))]
    pub status: String,
    #[cfg_attr(feature = "openapi", schema(example = "Unsubmitted"))]
    pub status_label: String,
    /// The council's reason for the last hold or return; empty otherwise.
    pub status_reason: String,
    /// `organisation`, `contract`, `service` or `client`.
    #[cfg_attr(feature = "openapi", schema(example = "client"))]
    pub scope: String,
    pub contract_id: Option<String>,
    pub service_id: Option<String>,
    pub client_id: Option<String>,
    /// The invoice a credit note credits.
    pub credit_of_invoice_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "2022-03-28"))]
    pub period_start: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-04-24"))]
    pub period_end: String,
    #[cfg_attr(feature = "openapi", schema(example = "28/03/2022 - 24/04/2022"))]
    pub period_label: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-10-09"))]
    pub date_on_invoice: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-10-09"))]
    pub created_on: String,
    /// RFC 3339, once submitted.
    pub submitted_at: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "3860.28"))]
    pub entered_ex_vat: String,
    #[cfg_attr(feature = "openapi", schema(example = "772.06"))]
    pub entered_vat: String,
    #[cfg_attr(feature = "openapi", schema(example = "3860.28"))]
    pub items_ex_vat: String,
    #[cfg_attr(feature = "openapi", schema(example = "772.06"))]
    pub items_vat: String,
    /// Entered less items, ex VAT.
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub short_by_ex_vat: String,
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub short_by_vat: String,
    #[cfg_attr(feature = "openapi", schema(example = "0.00"))]
    pub contributions: String,
    /// Items ex VAT + VAT - contributions.
    #[cfg_attr(feature = "openapi", schema(example = "4632.34"))]
    pub payable: String,
    /// True while the provider may change it (Unsubmitted or Returned).
    pub editable: bool,
    pub items: Vec<InvoiceItem>,
    pub attachment: Option<InvoiceAttachment>,
    /// Send it back with every change; a stale one gets 409.
    pub version: i64,
}

/// A new invoice or credit note. The items are priced from the recorded actuals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "organisation_id": "3", "scope": "client", "client_id": "7",
    "period_start": "2022-03-28", "reference": "123456", "date_on_invoice": "2022-10-09",
    "entered_ex_vat": "3860.28", "entered_vat": "772.06"
})))]
pub struct CreateInvoice {
    /// The caller's organisation; may be left out by a contact of one organisation.
    #[serde(default)]
    pub organisation_id: Option<String>,
    /// `invoice` (the default) or `credit_note`.
    #[serde(default)]
    pub kind: Option<String>,
    /// `organisation`, `contract` (advised), `service` or `client`. A credit note against an
    /// invoice takes the invoice's.
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub contract_id: Option<String>,
    #[serde(default)]
    pub service_id: Option<String>,
    #[serde(default)]
    pub client_id: Option<String>,
    /// For a credit note: the invoice it credits (its included items, negated).
    #[serde(default)]
    pub credit_of_invoice_id: Option<String>,
    /// The first day of one of the contract's payment periods, `YYYY-MM-DD`.
    #[serde(default)]
    pub period_start: Option<String>,
    /// The provider's own reference, unique in the organisation.
    pub reference: String,
    /// `YYYY-MM-DD`.
    pub date_on_invoice: String,
    /// The invoice's total ex VAT as the provider's own invoice has it.
    pub entered_ex_vat: String,
    pub entered_vat: String,
}

/// A changed header of an Unsubmitted or Returned invoice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateInvoice {
    pub version: i64,
    pub reference: String,
    pub date_on_invoice: String,
    pub entered_ex_vat: String,
    pub entered_vat: String,
}

/// Removes or re-adds an item, and sets the contribution collected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateInvoiceItem {
    pub version: i64,
    pub included: bool,
    /// Pounds, `"0.00"` when none was collected.
    #[serde(default)]
    pub contribution: Option<String>,
}

/// An action on an invoice (submit, delete, suggest, authorise, finalise), with the
/// version the caller read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceVersion {
    pub version: i64,
}

/// The council puts an invoice on hold or returns it for correction, saying why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceDecision {
    pub version: i64,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "The VAT does not match the attached invoice")
    )]
    pub reason: String,
}

/// A payment period an invoice may be raised for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoicePeriod {
    #[cfg_attr(feature = "openapi", schema(example = "2022-03-28"))]
    pub start: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-04-24"))]
    pub end: String,
    #[cfg_attr(feature = "openapi", schema(example = "28/03/2022 - 24/04/2022"))]
    pub label: String,
}

/// A named choice (a service, a client).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceChoice {
    pub id: String,
    pub name: String,
}

/// An invoiced contract, with its services and payment periods (newest first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceContractOption {
    pub id: String,
    pub name: String,
    pub services: Vec<InvoiceChoice>,
    pub periods: Vec<InvoicePeriod>,
}

/// What a new invoice of the organisation may cover.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct InvoiceOptions {
    pub organisation_id: String,
    pub contracts: Vec<InvoiceContractOption>,
    /// Clients with care at the organisation's invoiced services.
    pub clients: Vec<InvoiceChoice>,
}
