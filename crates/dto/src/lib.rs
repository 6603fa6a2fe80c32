//! The JSON shapes of the REST API (`/api/v1`), shared by the server and the SPA.
//!
//! Plain data only: no rules live here. Money, quantities and percentages travel as decimal
//! strings ("1072.30", "5.5"), dates as `YYYY-MM-DD`, ids as opaque strings (API.md). With
//! the `openapi` feature each type also describes itself for the OpenAPI document.

pub mod accounts;
pub mod actions;
pub mod actuals;
pub mod attachments;
pub mod auth;
pub mod change_requests;
pub mod claims;
pub mod contract_documents;
pub mod council;
pub mod disputes;
pub mod imports;
pub mod invoices;
pub mod notifications;
pub mod payments;
pub mod problem;
pub mod purchase_orders;
pub mod reference;
pub mod reports;
pub mod tools;

pub use accounts::*;
pub use actions::*;
pub use actuals::*;
pub use attachments::*;
pub use auth::*;
pub use change_requests::*;
pub use claims::*;
pub use contract_documents::*;
pub use council::*;
pub use disputes::*;
pub use imports::*;
pub use invoices::*;
pub use notifications::*;
pub use payments::*;
pub use problem::*;
pub use purchase_orders::*;
pub use reference::*;
pub use reports::*;
pub use tools::*;

/// A page of a list: `{ "items": [...], "next_cursor": ... }` (API.md).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Present when more items follow; pass it back as `cursor`.
    pub next_cursor: Option<String>,
}
