//! For the `bench` command only (`crates/bench`): the ceiling it measures the portal's
//! writes against, and the throwaway PostgreSQL databases it runs in. The portal itself never
//! calls these; they live here because only this crate speaks SQL.

use portal_domain::Week;
use sqlx::Connection;

use crate::sql::now_text;
use crate::{Backend, Store, StoreError, StoreResult};

/// One `actual_line` row as the ceiling writes it: the columns the portal's own insert
/// fills, with no rules behind them.
#[derive(Debug, Clone)]
pub struct RawActualLine {
    pub service_id: i64,
    pub client_id: i64,
    pub cpli_id: i64,
    pub service_level_id: i64,
    pub week: Week,
    pub planned_hundredths: i64,
    pub visits_hundredths: i64,
    pub rate_pence: i64,
    pub cost_pence: i64,
}

/// Rows per statement: 17 parameters each stays under SQLite's 32,766 and PostgreSQL's
/// 65,535 parameters a statement.
const ROWS_PER_STATEMENT: usize = 1_000;

const COLUMNS: usize = 17;

impl Store {
    /// The database's name and version, for the results' record.
    pub async fn bench_database_version(&self) -> StoreResult<String> {
        Ok(match self.backend() {
            Backend::Sqlite => format!(
                "SQLite {}",
                sqlx::query_scalar::<_, String>("select sqlite_version()")
                    .fetch_one(self.pool())
                    .await?
            ),
            Backend::Postgres => format!(
                "PostgreSQL {}",
                sqlx::query_scalar::<_, String>("show server_version")
                    .fetch_one(self.pool())
                    .await?
            ),
        })
    }

    /// The ceiling: writes `lines` into `actual_line` with plain multi-row inserts in one
    /// transaction, committed. No checks, versions, pricing or audit: the most a write of
    /// this many lines can cost the database, against which generation and import are
    /// measured.
    pub async fn bench_raw_insert_actual_lines(&self, lines: &[RawActualLine]) -> StoreResult<()> {
        let now = now_text();
        // SQLite finds a `$N` parameter's number by its name, scanning the statement's list
        // of names, so binding thousands of them costs their square (a 100,000-line insert
        // took 47 s that way); anonymous `?` parameters bind by position.
        let backend = self.backend();
        let placeholder = |n: usize| match backend {
            Backend::Sqlite => "?".to_owned(),
            Backend::Postgres => format!("${n}"),
        };
        let mut transaction = self.pool().begin().await?;
        for chunk in lines.chunks(ROWS_PER_STATEMENT) {
            let rows: Vec<String> = (0..chunk.len())
                .map(|row| {
                    let first = row * COLUMNS + 1;
                    let parameters: Vec<String> =
                        (first..first + COLUMNS).map(placeholder).collect();
                    format!("({})", parameters.join(", "))
                })
                .collect();
            let sql = format!(
                "insert into actual_line (service_id, client_id, week_start, cpli_id,
                    service_level_id, planned_hundredths, actual_hundredths,
                    frustrated_hundredths, missed_hundredths, extra_hundredths,
                    visits_hundredths, comment, rate_pence, cost_pence, created_at, updated_at,
                    updated_by)
                 values {}",
                rows.join(", ")
            );
            let mut query = sqlx::query(&sql);
            for line in chunk {
                query = query
                    .bind(line.service_id)
                    .bind(line.client_id)
                    .bind(line.week.to_string())
                    .bind(line.cpli_id)
                    .bind(line.service_level_id)
                    .bind(line.planned_hundredths)
                    .bind(line.planned_hundredths)
                    .bind(0_i64)
                    .bind(0_i64)
                    .bind(0_i64)
                    .bind(line.visits_hundredths)
                    .bind("")
                    .bind(line.rate_pence)
                    .bind(line.cost_pence)
                    .bind(now.as_str())
                    .bind(now.as_str())
                    .bind(None::<i64>);
            }
            query.execute(&mut *transaction).await?;
        }
        transaction.commit().await?;
        Ok(())
    }
}

/// A database name the bench made up: lowercase letters, digits and underscores only, so it
/// can be spliced into `create database` (which takes no parameters).
fn checked_name(name: &str) -> StoreResult<&str> {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if plain {
        Ok(name)
    } else {
        Err(StoreError::UnsupportedUrl(format!(
            "not a plain database name: {name:?}"
        )))
    }
}

/// Runs one statement on the PostgreSQL server at `admin_url` (a URL of an existing
/// database, such as `postgres://postgres@127.0.0.1:5432/postgres`).
async fn on_server(admin_url: &str, statement: &str) -> StoreResult<()> {
    sqlx::any::install_default_drivers();
    let mut admin = sqlx::AnyConnection::connect(admin_url).await?;
    sqlx::query(statement).execute(&mut admin).await?;
    admin.close().await?;
    Ok(())
}

/// Creates the empty PostgreSQL database `name` on the server at `admin_url`; returns the
/// new database's URL.
pub async fn create_postgres_database(admin_url: &str, name: &str) -> StoreResult<String> {
    let name = checked_name(name)?;
    on_server(admin_url, &format!("create database \"{name}\"")).await?;
    let base = admin_url
        .rsplit_once('/')
        .map(|(base, _)| base)
        .ok_or_else(|| StoreError::UnsupportedUrl(crate::redact(admin_url)))?;
    Ok(format!("{base}/{name}"))
}

/// Drops the PostgreSQL database `name`, closing any connection still open to it.
pub async fn drop_postgres_database(admin_url: &str, name: &str) -> StoreResult<()> {
    let name = checked_name(name)?;
    on_server(
        admin_url,
        &format!("drop database if exists \"{name}\" with (force)"),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_names_reach_create_database() {
        assert!(checked_name("portal_bench_123").is_ok());
        assert!(checked_name("x\"; drop database postgres; --").is_err());
        assert!(checked_name("").is_err());
    }
}
