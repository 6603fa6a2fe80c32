//! Logging. `RUST_LOG` chooses the level; nothing secret is ever logged.

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // A second init (tests build many applications) is harmless; ignore it.
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}
