//! The rules of care-provider payments, as DOMAIN.md states them.
//!
//! This crate is pure: no I/O, no clock, no randomness, no database or HTTP types. The
//! server and the SPA (compiled to wasm32) both call it, so a figure shown while a provider
//! types is the figure the server stores.
//!
//! - [`access`]: provider roles and tool scopes: who may change what.
//! - [`action`]: actions: due dates in working days, assignees, statuses (DOMAIN 10).
//! - [`attachment`]: files people attach (invoices, claims, contract documents, actions,
//!   disputes): allowed types, size limits, the content checked against the declared type.
//! - [`change_request`]: change requests: kinds, the fields each changes, the field diff and
//!   the council's decision (DOMAIN 10).
//! - [`contract_document`]: contract documents' statuses, and which decision or termination
//!   each allows (DOMAIN 11).
//! - [`dispute`]: disputes: the weeks one may cover, its statuses and who may take each step
//!   (DOMAIN 9).
//! - [`amount`]: `Money` and `Quantity`, exact decimals that exist only when valid.
//! - [`calendar`]: `Week` (named by its Monday) and `FinancialYear`.
//! - [`service_level`]: units and pricing kinds.
//! - [`care_package`]: the rules a CPLI must satisfy, and how versions supersede each other.
//! - [`cpli`]: care package line items and what they plan for a week (DOMAIN 4.3).
//! - [`actual`]: one actual line's arithmetic, colour and exceptions (DOMAIN 4.1-4.6).
//! - [`payment`]: payment periods, scheduled lines and their statuses, VAT, the amendment
//!   window (DOMAIN 2, 4.7, 5).
//! - [`invoice`]: invoices and credit notes: commitments' values split by financial year,
//!   VAT per item, totals, statuses (DOMAIN 6).
//! - [`purchase_order`]: a client's purchase order for a service and financial year: its
//!   value from the CPLIs, item lines and versions (DOMAIN 7).
//! - [`notification`]: e-mail topics, webhook events, delivery retries and the daily
//!   digest's text (DOMAIN 13).
//! - [`report`]: Commissioned vs Actuals figures per line, and their sums (DOMAIN 12).
//! - [`claim`]: one-off claims: a draft's rules, the evidence file's type, size and content,
//!   the council's decision (DOMAIN 8).
//! - [`security_code`]: the six-digit security code and its login challenge (DOMAIN 14).
//! - [`format`]: British display of money, quantities and dates.

pub mod access;
pub mod action;
pub mod actual;
pub mod amount;
pub mod attachment;
pub mod calendar;
pub mod care_package;
pub mod change_request;
pub mod claim;
pub mod contract_document;
pub mod council;
pub mod cpli;
pub mod dispute;
pub mod format;
pub mod invoice;
pub mod notification;
pub mod payment;
pub mod purchase_order;
pub mod report;
pub mod security_code;
pub mod service_level;

pub use actual::{
    ActualFigures, ExceptionKind, ExceptionRule, ExceptionSettings, LineAssessment, LineContext,
    LineException, LineKind, PaymentEffect, RowColour,
};
pub use amount::{AmountError, Money, Quantity};
pub use calendar::{CalendarError, FinancialYear, Week};
pub use cpli::{Cpli, CpliPlan, Timetable, TimetableRow, Weekdays};
pub use service_level::{PricingKind, Unit};
