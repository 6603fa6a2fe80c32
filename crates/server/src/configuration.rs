//! Settings, from command-line flags or the environment.

use std::path::PathBuf;

use clap::Parser;

use crate::clock::Clock;

/// How expensive password and security-code hashes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HashingCost {
    /// OWASP's argon2id minimum (19 MiB, 2 passes): for every real deployment.
    Standard,
    /// Cheap hashes for test suites only, which create many users.
    Test,
}

#[derive(Clone, Parser)]
#[command(
    name = "portal",
    about = "The care provider portal: REST API and single-page app"
)]
pub struct Settings {
    /// `sqlite://portal.db` (a file, created on first start) or `postgres://user@host/db`.
    #[arg(long, env = "DATABASE_URL", default_value = "sqlite://portal.db")]
    pub database_url: String,

    /// Address to listen on; port 0 picks a free port.
    #[arg(long, env = "PORTAL_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,

    /// Load the guides' demo world (idempotent) and print the demo logins.
    #[arg(long)]
    pub demo: bool,

    /// Where the built SPA is (index.html, pkg/, app.css).
    #[arg(long, env = "PORTAL_STATIC_DIR", default_value = "frontend/dist")]
    pub static_dir: PathBuf,

    /// HMAC key for access tokens, at least 32 bytes. Every instance on one database must
    /// share it. When unset, a random key is made at start (tokens die with the process).
    #[arg(long, env = "PORTAL_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,

    /// Minutes an access token lives. Short: the SPA renews it through the refresh cookie.
    #[arg(long, env = "PORTAL_TOKEN_MINUTES", default_value_t = 10)]
    pub token_minutes: i64,

    #[arg(
        long,
        value_enum,
        env = "PORTAL_HASHING_COST",
        default_value = "standard"
    )]
    pub hashing_cost: HashingCost,

    /// Requests a minute one address may make to the sign-in and token endpoints
    /// (`/api/v1/auth/*`); more get 429.
    #[arg(long, env = "PORTAL_SIGN_IN_PER_MINUTE", default_value_t = 30)]
    pub sign_in_per_minute: u32,

    /// Production: refuse to start without the secrets a real deployment needs
    /// (`PORTAL_JWT_SECRET`), instead of making up a key that dies with the process.
    #[arg(long, env = "PORTAL_PRODUCTION")]
    pub production: bool,

    /// SMTP server for outgoing mail, `smtps://user:password@host` or
    /// `smtp://host:587?tls=required`. Without it, mail waits in the outbox (the demo shows
    /// it at /outbox). Required in production.
    #[arg(long, env = "PORTAL_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,

    /// The sender of the portal's mail.
    #[arg(
        long,
        env = "PORTAL_MAIL_FROM",
        default_value = "Care Provider Portal <no-reply@portal.invalid>"
    )]
    pub mail_from: String,

    /// The portal's address as users reach it, for links in mail; by default the address it
    /// listens on.
    #[arg(long, env = "PORTAL_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// How often, in milliseconds, an idle outbox worker looks for mail and webhook calls to
    /// deliver. Every instance runs a worker; they share the outbox safely.
    #[arg(long, env = "PORTAL_OUTBOX_POLL_MILLIS", default_value_t = 1000)]
    pub outbox_poll_millis: u64,

    /// Seconds a worker holds a delivery it took. Should the worker die, another takes the
    /// delivery after this; the SMTP and HTTP timeouts are a third of it, so a live worker
    /// always finishes first.
    #[arg(long, env = "PORTAL_OUTBOX_LEASE_SECONDS", default_value_t = 300)]
    pub outbox_lease_seconds: u64,

    /// The hour (UTC, 0-23) the daily digest of notifications goes out.
    #[arg(long, env = "PORTAL_DIGEST_HOUR", default_value_t = 7, value_parser = clap::value_parser!(u8).range(0..24))]
    pub digest_hour: u8,

    /// A directory for attachments' files (actions and disputes), created when missing.
    /// Without it, their bytes are kept in the database.
    #[arg(long, env = "PORTAL_FILE_DIR")]
    pub file_dir: Option<PathBuf>,

    /// Write the OpenAPI document to this file and exit.
    #[arg(long)]
    pub write_openapi: Option<PathBuf>,

    /// Now, for every time-based rule; tests move it forward.
    #[arg(skip)]
    pub clock: Clock,
}

impl Settings {
    /// Settings for tests: the given database, port 0, cheap hashes, the demo world.
    pub fn for_tests(database_url: &str) -> Settings {
        Settings {
            database_url: database_url.to_owned(),
            bind: "127.0.0.1:0".to_owned(),
            demo: true,
            static_dir: PathBuf::from("frontend/dist"),
            jwt_secret: None,
            token_minutes: 10,
            // Test suites sign in far more often than any person; one test lowers it.
            sign_in_per_minute: 10_000,
            production: false,
            smtp_url: None,
            mail_from: "Care Provider Portal <no-reply@portal.invalid>".to_owned(),
            public_url: None,
            hashing_cost: HashingCost::Test,
            write_openapi: None,
            file_dir: None,
            outbox_poll_millis: 1000,
            outbox_lease_seconds: 300,
            digest_hour: 7,
            clock: Clock::default(),
        }
    }
}
