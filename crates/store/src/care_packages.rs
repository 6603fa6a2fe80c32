//! Care package versions: a change to a CPLI, or to its service level's rate, makes a new
//! version from a date; the version it supersedes ends the day before (DOMAIN 3).

use portal_domain::{Money, Week};
use serde_json::json;
use sqlx::AnyConnection;
use time::Date;

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::reference::{insert_cpli_version, CpliListing, CpliRow, NewCpli, CPLI_SELECT};
use crate::sql::date_text;
use crate::{Scope, Store, StoreError, StoreResult};

/// A new version of one CPLI.
pub struct NewVersion<'a> {
    pub lineage_id: i64,
    /// The version it supersedes, and that version's new last day.
    pub superseded_id: i64,
    pub superseded_until: Date,
    /// The latest version number the caller saw; another version since is a conflict.
    pub latest_version_seen: i64,
    pub version: NewCpli<'a>,
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(database) if database.is_unique_violation())
}

async fn insert_version(
    connection: &mut AnyConnection,
    change: &NewVersion<'_>,
    actor: &Actor,
) -> StoreResult<i64> {
    sqlx::query("update cpli set end_date = $1 where id = $2 and lineage_id = $3")
        .bind(date_text(change.superseded_until))
        .bind(change.superseded_id)
        .bind(change.lineage_id)
        .execute(&mut *connection)
        .await?;
    let number = change.latest_version_seen + 1;
    let id = match insert_cpli_version(connection, &change.version, Some(change.lineage_id), number)
        .await
    {
        Err(StoreError::Database(error)) if is_unique_violation(&error) => {
            return Err(StoreError::StaleVersion {
                sent: change.latest_version_seen,
                current: number,
            })
        }
        other => other?,
    };
    record_change(
        connection,
        actor,
        "cpli.version.add",
        "cpli",
        change.lineage_id.to_string(),
        json!({
            "version": number,
            "effective_from": date_text(change.version.cpli.start),
            "superseded_version_id": change.superseded_id,
            "superseded_until": date_text(change.superseded_until),
            "rate": change.version.rate.to_string(),
        }),
    )
    .await?;
    Ok(id)
}

impl Store {
    /// Every version of one CPLI the scope reaches, oldest first; empty when none.
    pub async fn cpli_versions(
        &self,
        scope: &Scope,
        lineage_id: i64,
    ) -> StoreResult<Vec<CpliListing>> {
        let (condition, ids) = scope.condition("sv.organisation_id", "ct.council_id", 2);
        let sql = format!(
            "{CPLI_SELECT}
             join contract ct on ct.id = sv.contract_id
             where coalesce(p.lineage_id, p.id) = $1 and {condition}
             order by p.version_number"
        );
        let mut query = sqlx::query_as::<_, CpliRow>(&sql).bind(lineage_id);
        for id in ids {
            query = query.bind(id);
        }
        let rows = query.fetch_all(self.pool()).await?;
        self.listings(rows).await
    }

    /// Adds a version of a CPLI in one transaction; 409 when another version came first.
    pub async fn add_cpli_version(
        &self,
        change: &NewVersion<'_>,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let id = insert_version(&mut transaction, change, actor).await?;
        self.notify_cpli(
            &mut transaction,
            id,
            "Care package line item changed",
            Some(actor),
        )
        .await?;
        transaction.commit().await?;
        Ok(id)
    }

    /// A service level's rate from a date, with a new version of each CPLI it prices from
    /// that date, all in one transaction. Returns how many versions were made.
    pub async fn change_service_level_rate(
        &self,
        service_level_id: i64,
        effective_from: Date,
        rate: Money,
        versions: &[NewVersion<'_>],
        actor: &Actor,
    ) -> StoreResult<usize> {
        let mut transaction = self.pool().begin().await?;
        let inserted = sqlx::query(
            "insert into service_level_rate (service_level_id, effective_from, rate_pence) values ($1, $2, $3)
             on conflict (service_level_id, effective_from) do nothing",
        )
        .bind(service_level_id)
        .bind(date_text(effective_from))
        .bind(rate.hundredths())
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        if inserted == 0 {
            transaction.rollback().await?;
            return Err(StoreError::StaleVersion {
                sent: 0,
                current: 0,
            });
        }
        sqlx::query(
            "update service_level set rate_pence = $1, version = version + 1 where id = $2",
        )
        .bind(rate.hundredths())
        .bind(service_level_id)
        .execute(&mut *transaction)
        .await?;
        for change in versions {
            insert_version(&mut transaction, change, actor).await?;
        }
        record_change(
            &mut transaction,
            actor,
            "service_level.rate.add",
            "service_level",
            service_level_id.to_string(),
            json!({ "effective_from": date_text(effective_from), "rate": rate.to_string(), "cpli_versions": versions.len() }),
        )
        .await?;
        transaction.commit().await?;
        Ok(versions.len())
    }

    /// The dated rates of a service level, oldest first.
    pub async fn service_level_rates(
        &self,
        service_level_id: i64,
    ) -> StoreResult<Vec<(Date, Money)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "select effective_from, rate_pence from service_level_rate where service_level_id = $1 order by effective_from",
        )
        .bind(service_level_id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(day, pence)| {
                Ok((
                    crate::sql::date(&day, "effective_from")?,
                    crate::sql::money(pence, "rate_pence")?,
                ))
            })
            .collect()
    }

    /// Every version of every CPLI priced by a service level that is active on or after a
    /// day: the versions a rate change from that day must supersede.
    pub async fn cpli_versions_of_level_from(
        &self,
        service_level_id: i64,
        from: Date,
    ) -> StoreResult<Vec<CpliListing>> {
        let rows: Vec<CpliRow> = sqlx::query_as(&format!(
            "{CPLI_SELECT} where p.service_level_id = $1 and (p.end_date is null or p.end_date >= $2)
             order by p.id"
        ))
        .bind(service_level_id)
        .bind(date_text(from))
        .fetch_all(self.pool())
        .await?;
        self.listings(rows).await
    }

    /// The latest version number of each lineage given, for conflict checks.
    pub async fn latest_cpli_version(&self, lineage_id: i64) -> StoreResult<i64> {
        Ok(sqlx::query_scalar("select cast(coalesce(max(version_number), 0) as bigint) from cpli where lineage_id = $1")
            .bind(lineage_id)
            .fetch_one(self.pool())
            .await?)
    }

    /// True when the CPLI version has a recorded actual in a week after `week`.
    pub async fn has_actuals_after(&self, cpli_id: i64, week: Week) -> StoreResult<bool> {
        let count: i64 = sqlx::query_scalar(
            "select count(*) from actual_line where cpli_id = $1 and week_start > $2",
        )
        .bind(cpli_id)
        .bind(week.to_string())
        .fetch_one(self.pool())
        .await?;
        Ok(count > 0)
    }
}
