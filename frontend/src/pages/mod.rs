//! One module per page of the router.

pub mod actuals;
pub mod login;
pub mod not_found;
