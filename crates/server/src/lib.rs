//! The provider portal's HTTP server: the REST API under `/api/v1`, its OpenAPI document,
//! and the SPA's static files.
//!
//! Start reading at [`startup::Application::build`], then a route area under [`routes`].
//!
//! - [`catalogue`]: reference data in, checked: the one way it enters the store.
//! - [`configuration`]: settings from flags and environment.
//! - [`startup`]: builds the actix-web application; tests bind it to port 0.
//! - [`error`]: `ApiError`, the one error type of the HTTP layer, as RFC 9457 problems.
//! - [`attachments`]: uploaded files: reading, the shared checks, where actions' and
//!   disputes' attachments are kept (database or `--file-dir`).
//! - [`auth`]: passwords, tokens, and `Caller`, the one authorisation extractor.
//! - [`routes`]: one file per route area, each with its utoipa annotations.
//! - [`integration`]: batches from council systems, upserted by their own references.
//! - [`json`]: `ValidJson`, a body extractor that names the bad field.
//! - [`openapi`]: the generated OpenAPI document.
//! - [`councils`]: creating a council with its default lists.
//! - [`demo`]: the guides' world, loaded by `--demo`.
//! - [`mail`] and [`outbox`]: mail and webhook calls go into the outbox with their events;
//!   the outbox worker delivers them (SMTP, signed HTTP) with retries, and sends the daily
//!   digest.
//! - [`reports`]: the four reports (DOMAIN 12) from the screens' own records and arithmetic.

pub mod attachments;
pub mod auth;
pub mod catalogue;
pub mod clock;
pub mod configuration;
pub mod councils;
pub mod demo;
pub mod error;
pub mod idempotency;
pub mod integration;
pub mod json;
pub mod mail;
pub mod openapi;
pub mod outbox;
pub mod payments;
pub mod pdf;
pub mod rate_limit;
pub mod reports;
pub mod routes;
pub mod security_headers;
pub mod startup;
pub mod telemetry;
pub mod week_view;
