//! Pieces of pages, one component (or one small family of helpers) per module.

pub mod client_actuals;
pub mod cpli_filters;
pub mod cpli_table;
pub mod cpli_terms;
pub mod cva_chart;
pub mod date_jump;
pub mod deactivate;
pub mod error_summary;
pub mod exceptions_cell;
pub mod form;
pub mod header;
pub mod notification_banner;
pub mod organisation_choice;
pub mod page_title;
pub mod payment_tabs;
pub mod problem;
pub mod service_list;
pub mod session_rows;
pub mod sortable_table;
pub mod week_calendar;
pub mod week_filters;
pub mod week_history;
pub mod week_lock;
