//! One module per page of the router.

pub mod account_settings;
pub mod accounts;
pub mod action;
pub mod actions;
pub mod actuals;
pub mod actuals_import;
pub mod authenticator;
pub mod clients;
pub mod council_settings;
pub mod cpli;
pub mod cplis;
pub mod first_sign_in;
pub mod invoice;
pub mod invoices;
pub mod home;
pub mod login;
pub mod new_action;
pub mod new_cpli;
pub mod not_found;
pub mod organisation_forms;
pub mod organisations;
pub mod password_reset;
pub mod payment_period;
pub mod payments;
pub mod purchase_orders;
pub mod tools;
