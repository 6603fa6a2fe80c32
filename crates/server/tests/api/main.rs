//! API tests: the real application on a random port, against a fresh SQLite file and a
//! fresh PostgreSQL database per test (both, for every test that touches data).

mod accounts;
mod actions;
mod actuals;
mod attachments;
mod auth;
mod authenticator;
mod batches;
mod catalogue;
mod change_requests;
mod claims;
mod contract_documents;
mod council;
mod demo;
mod disputes;
mod hardening;
mod helpers;
mod imports;
mod integration;
mod invoices;
mod locks;
mod mail;
mod openapi;
mod password_reset;
mod payments;
mod purchase_orders;
mod reference;
mod reports;
mod sessions;
mod tenancy;
mod timetabled;
mod tools;
mod webhooks;
