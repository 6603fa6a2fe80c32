//! One module per page of the router.

pub mod actuals;
pub mod cpli;
pub mod cplis;
pub mod home;
pub mod login;
pub mod not_found;
