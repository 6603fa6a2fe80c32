//! All SQL of the portal. Nothing outside this crate speaks to the database.
//!
//! One set of queries serves SQLite (the embedded default) and PostgreSQL (production, many
//! server instances on one database) through sqlx's `Any` driver. That driver carries
//! neither NUMERIC nor dates, so the schema keeps money as integer pence, quantities as
//! integer hundredths and dates as ISO text (`migrations/README.md`): sums in SQL stay exact
//! and both databases give the same figures.
//!
//! - [`Store`]: connecting, migrating, health.
//! - [`scope`]: `Scope`, which confines every provider query to the caller's organisations.
//! - [`contract_documents`]: contract documents (DOMAIN 11) with their bytes and hash, and
//!   the provider's signatures.
//! - [`disputes`]: disputes (DOMAIN 9): raised on a client's weeks at a service (or single
//!   lines), each step versioned, kept in its history and audited.
//! - [`change_requests`]: change requests (DOMAIN 10): providers' requested changes to
//!   organisation, service and contact details, and the council's decisions, an approval
//!   applying the change in the same transaction.
//! - [`actions`]: actions (DOMAIN 10): raised on an entity, with a due date, an assignee and
//!   a thread of posts.
//! - [`attachments`]: files attached to actions and disputes (or their posts and steps),
//!   their bytes in the row or a key into the server's file directory.
//! - [`council`]: what each council configures, and the defaults a new council starts with.
//! - [`edits`]: versioned edits and deactivation of reference data.
//! - [`reference`]: councils, organisations, contracts, services, service levels, clients, CPLIs.
//! - [`people`]: users, memberships, security-code hashes and login challenges.
//! - [`sessions`]: refresh-token families: rotation, reuse detection, sign-out.
//! - [`second_factor`]: authenticator apps (TOTP), recovery codes, the council's policy.
//! - [`tools`]: client credentials of rostering and call-monitoring tools.
//! - [`care_packages`]: CPLI versions and dated service-level rates.
//! - [`actuals`]: weeks of actuals, generation and saving with optimistic versions.
//! - [`payments`]: payment periods, line decisions and disputes, and what finalised periods paid.
//! - [`purchase_orders`]: purchase orders' numbers, lines (CPLI versions by year) and spend to date.
//! - [`invoices`]: invoices and credit notes: items, statuses, attachments, the lock they
//!   put on submitted weeks.
//! - [`claims`]: one-off claims and their evidence, the council's decisions, and the
//!   approved claims a payment period is to pay.
//! - [`notifications`]: e-mail subscriptions, the digest, webhooks, and the outbox that
//!   events write in their own transactions and delivery workers drain.
//! - [`audit`]: the audit trail.
//! - [`bench`]: the `bench` command's raw-insert ceiling and throwaway databases.

pub mod actions;
pub mod actuals;
pub mod attachments;
pub mod audit;
pub mod bench;
pub mod care_packages;
pub mod change_requests;
pub mod claims;
pub mod contract_documents;
pub mod council;
pub mod disputes;
pub mod edits;
pub mod imports;
pub mod invoices;
pub mod notifications;
pub mod payments;
pub mod people;
pub mod purchase_orders;
pub mod reference;
pub mod scope;
pub mod second_factor;
pub mod sessions;
mod sql;
pub mod tools;

use std::str::FromStr;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::AnyPool;

pub use scope::Scope;

/// The store's one error type.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the database failed")]
    Database(#[from] sqlx::Error),
    #[error("the database could not be migrated")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Someone else saved first: the caller's version is not the current one.
    #[error("stale version {sent}: the current version is {current}")]
    StaleVersion { sent: i64, current: i64 },
    /// The week is locked (by the council, a closed amendment window or a submitted
    /// invoice): nothing in it may change. Says why.
    #[error("the week is locked: {0}")]
    Locked(String),
    /// A record has moved past the step asked for (a payment period authorised or paid).
    /// Says why.
    #[error("no longer open: {0}")]
    NoLongerOpen(String),
    /// A stored value no longer satisfies the domain's rules.
    #[error("stored data is invalid: {0}")]
    Corrupt(String),
    #[error("unsupported database url: {0}")]
    UnsupportedUrl(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Which database a URL named.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> StoreResult<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::UnsupportedUrl(redact(url)))
        }
    }
}

/// A URL without its password, for logs and errors.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            match credentials.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// A pool of connections to one database, migrated.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The portal's address as users reach it: notifications written with events link to it.
    public_url: std::sync::Arc<str>,
}

impl Store {
    /// Connects, creating a SQLite file when missing, and applies pending migrations.
    pub async fn connect(url: &str) -> StoreResult<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let url = match backend {
            // A file created on first start, as the README promises.
            Backend::Sqlite if !url.contains("mode=") && !url.contains(":memory:") => {
                let joiner = if url.contains('?') { '&' } else { '?' };
                format!("{url}{joiner}mode=rwc")
            }
            _ => url.to_owned(),
        };
        let options = AnyConnectOptions::from_str(&url)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                // SQLite has one writer; more connections only queue on its lock.
                Backend::Sqlite => 4,
                Backend::Postgres => 10,
            })
            .after_connect(move |connection, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        // Wait for the writer instead of failing at once under load.
                        sqlx::query("pragma busy_timeout = 5000")
                            .execute(&mut *connection)
                            .await?;
                        sqlx::query("pragma foreign_keys = on")
                            .execute(&mut *connection)
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        match backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&pool).await?,
        }
        Ok(Store {
            pool,
            backend,
            public_url: std::sync::Arc::from(""),
        })
    }

    /// The same store, with notifications linking to the portal at `url`.
    pub fn with_public_url(self, url: &str) -> Store {
        Store {
            public_url: std::sync::Arc::from(url.trim_end_matches('/')),
            ..self
        }
    }

    /// An absolute link to a page of the portal, for notifications.
    pub(crate) fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// True when the database answers a query.
    pub async fn is_ready(&self) -> bool {
        sqlx::query("select 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(
            redact("postgres://portal:s3cret@db:5432/portal"),
            "postgres://portal:***@db:5432/portal"
        );
        assert_eq!(redact("sqlite://portal.db"), "sqlite://portal.db");
    }
}
