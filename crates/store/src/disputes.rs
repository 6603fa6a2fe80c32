//! Disputes (DOMAIN 9): the council's disputes of a client's actuals at a service for whole
//! weeks (or single lines in them), with their history. A dispute belongs to one council and
//! the organisation running the service; a provider reaches only its organisations'
//! disputes, council staff their council's. Every step updates the dispute at the version
//! the caller read, and writes its history event and audit row in the same transaction.
//! Nothing is deleted.

use portal_domain::dispute::{DisputeStatus, DisputeStep};
use portal_domain::Week;
use serde_json::json;
use sqlx::FromRow;
use time::Date;

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::reference::ClientRecord;
use crate::sql::{date_text, now_text, week};
use crate::{Scope, Store, StoreError, StoreResult};

/// A dispute about to be raised, already checked by the caller.
#[derive(Debug, Clone)]
pub struct NewDispute<'a> {
    pub council_id: i64,
    pub organisation_id: i64,
    pub service_id: i64,
    pub client_id: i64,
    pub first_week: Week,
    pub last_week: Week,
    pub reason_id: i64,
    pub details: &'a str,
    /// The single lines disputed (CPLI version ids); empty for all the client's lines.
    pub cpli_ids: &'a [i64],
}

/// One dispute as its page and the list show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeRecord {
    pub id: i64,
    pub council_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub service_id: i64,
    pub service_name: String,
    pub client: ClientRecord,
    pub first_week: Week,
    pub last_week: Week,
    pub reason_id: i64,
    pub reason: String,
    pub details: String,
    pub response: String,
    pub status: DisputeStatus,
    pub version: i64,
    pub raised_at: String,
    pub raised_by: String,
    pub updated_at: String,
    /// The single lines disputed, when it names some.
    pub cpli_ids: Vec<i64>,
}

/// One step of a dispute's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisputeEventRecord {
    pub id: i64,
    /// `raised`, `resolution_requested`, `resolved` or `reopened`.
    pub kind: String,
    /// `None` for `raised`.
    pub from_status: Option<DisputeStatus>,
    pub to_status: DisputeStatus,
    pub text: String,
    pub occurred_at: String,
    pub by: String,
    /// The organisation a provider contact acted for.
    pub by_organisation: Option<String>,
}

/// Which disputes a list shows. Empty `statuses` is every status.
#[derive(Debug, Clone, Default)]
pub struct DisputeFilter {
    pub client_id: Option<i64>,
    /// Disputes with a day on or after this one.
    pub from: Option<Date>,
    /// Disputes with a day on or before this one.
    pub to: Option<Date>,
    pub statuses: Vec<DisputeStatus>,
}

/// The home page's figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DisputeCounts {
    /// Not yet resolved.
    pub open: i64,
    /// In Dispute: the provider is to answer.
    pub awaiting_provider: i64,
}

#[derive(FromRow)]
struct DisputeRow {
    id: i64,
    council_id: i64,
    organisation_id: i64,
    organisation_name: String,
    service_id: i64,
    service_name: String,
    client_id: i64,
    ssref: String,
    title: String,
    forename: String,
    surname: String,
    first_week: String,
    last_week: String,
    reason_id: i64,
    reason: String,
    details: String,
    response: String,
    status: String,
    version: i64,
    raised_at: String,
    raised_by: String,
    updated_at: String,
}

impl DisputeRow {
    fn into_record(self, cpli_ids: Vec<i64>) -> StoreResult<DisputeRecord> {
        Ok(DisputeRecord {
            status: DisputeStatus::from_code(&self.status)
                .ok_or_else(|| StoreError::Corrupt(format!("dispute.status {}", self.status)))?,
            first_week: week(&self.first_week)?,
            last_week: week(&self.last_week)?,
            client: ClientRecord {
                id: self.client_id,
                ssref: self.ssref,
                title: self.title,
                forename: self.forename,
                surname: self.surname,
            },
            id: self.id,
            council_id: self.council_id,
            organisation_id: self.organisation_id,
            organisation_name: self.organisation_name,
            service_id: self.service_id,
            service_name: self.service_name,
            reason_id: self.reason_id,
            reason: self.reason,
            details: self.details,
            response: self.response,
            version: self.version,
            raised_at: self.raised_at,
            raised_by: self.raised_by,
            updated_at: self.updated_at,
            cpli_ids,
        })
    }
}

fn status(code: &str) -> StoreResult<DisputeStatus> {
    DisputeStatus::from_code(code)
        .ok_or_else(|| StoreError::Corrupt(format!("dispute_event status {code}")))
}

/// The columns of a dispute as read, with the names of what it is about.
const DISPUTE_COLUMNS: &str = "d.id, d.council_id, d.organisation_id, o.name as organisation_name,
    d.service_id, s.name as service_name, d.client_id, cl.ssref, cl.title, cl.forename, cl.surname,
    d.first_week, d.last_week, d.reason_id, r.name as reason, d.details, d.response, d.status,
    d.version, d.raised_at, u.name as raised_by, d.updated_at
    from dispute d
    join organisation o on o.id = d.organisation_id
    join service s on s.id = d.service_id
    join client cl on cl.id = d.client_id
    join dispute_reason r on r.id = d.reason_id
    join app_user u on u.id = d.raised_by";

impl Store {
    /// One dispute reason of a council: (name, active).
    pub async fn dispute_reason_in_council(
        &self,
        council_id: i64,
        id: i64,
    ) -> StoreResult<Option<(String, bool)>> {
        let row: Option<(String, i64)> = sqlx::query_as(
            "select name, is_active from dispute_reason where id = $1 and council_id = $2",
        )
        .bind(id)
        .bind(council_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(name, active)| (name, active != 0)))
    }

    /// Raises a dispute with its lines, its first history event and its audit row, in one
    /// transaction. Returns its id.
    pub async fn create_dispute(
        &self,
        dispute: &NewDispute<'_>,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let person = actor
            .principal
            .person_id()
            .ok_or_else(|| StoreError::Corrupt("disputes are raised by people".into()))?;
        let mut transaction = self.pool().begin().await?;
        let now = now_text();
        let (id,): (i64,) = sqlx::query_as(
            "insert into dispute (council_id, organisation_id, service_id, client_id, first_week,
                last_week, reason_id, details, response, status, version, raised_at, raised_by,
                updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, '', $9, 1, $10, $11, $10) returning id",
        )
        .bind(dispute.council_id)
        .bind(dispute.organisation_id)
        .bind(dispute.service_id)
        .bind(dispute.client_id)
        .bind(date_text(dispute.first_week.monday()))
        .bind(date_text(dispute.last_week.monday()))
        .bind(dispute.reason_id)
        .bind(dispute.details)
        .bind(DisputeStatus::InDispute.code())
        .bind(now.as_str())
        .bind(person)
        .fetch_one(&mut *transaction)
        .await?;
        for cpli_id in dispute.cpli_ids {
            sqlx::query("insert into dispute_line (dispute_id, cpli_id) values ($1, $2)")
                .bind(id)
                .bind(*cpli_id)
                .execute(&mut *transaction)
                .await?;
        }
        sqlx::query(
            "insert into dispute_event (dispute_id, kind, from_status, to_status, body,
                occurred_at, occurred_by, for_organisation_id)
             values ($1, 'raised', null, $2, $3, $4, $5, null)",
        )
        .bind(id)
        .bind(DisputeStatus::InDispute.code())
        .bind(dispute.details)
        .bind(now.as_str())
        .bind(person)
        .execute(&mut *transaction)
        .await?;
        record_change(
            &mut transaction,
            actor,
            "dispute.raise",
            "dispute",
            id.to_string(),
            json!({
                "new": {
                    "organisation_id": dispute.organisation_id,
                    "service_id": dispute.service_id,
                    "client_id": dispute.client_id,
                    "first_week": dispute.first_week.to_string(),
                    "last_week": dispute.last_week.to_string(),
                    "cpli_ids": dispute.cpli_ids,
                    "reason_id": dispute.reason_id,
                    "details": dispute.details,
                    "status": DisputeStatus::InDispute.code(),
                    "version": 1,
                }
            }),
        )
        .await?;
        self.notify_dispute(&mut transaction, id, "Dispute raised", true, actor)
            .await?;
        transaction.commit().await?;
        Ok(id)
    }

    /// One dispute in `scope`.
    pub async fn dispute(&self, scope: &Scope, id: i64) -> StoreResult<Option<DisputeRecord>> {
        let (condition, ids) = scope.condition("d.organisation_id", "d.council_id", 2);
        let sql = format!("select {DISPUTE_COLUMNS} where d.id = $1 and {condition}");
        let mut query = sqlx::query_as::<_, DisputeRow>(&sql).bind(id);
        for id in ids {
            query = query.bind(id);
        }
        let Some(row) = query.fetch_optional(self.pool()).await? else {
            return Ok(None);
        };
        let lines = self.dispute_lines(&[row.id]).await?;
        let cpli_ids = lines.into_iter().map(|(_, cpli)| cpli).collect();
        row.into_record(cpli_ids).map(Some)
    }

    /// The disputes in `scope`, most recently changed first.
    pub async fn disputes(
        &self,
        scope: &Scope,
        filter: &DisputeFilter,
    ) -> StoreResult<Vec<DisputeRecord>> {
        let statuses = if filter.statuses.is_empty() {
            "1 = 1".to_owned()
        } else {
            let placeholders: Vec<String> = (0..filter.statuses.len())
                .map(|offset| format!("${}", 4 + offset))
                .collect();
            format!("d.status in ({})", placeholders.join(", "))
        };
        let (condition, ids) = scope.condition(
            "d.organisation_id",
            "d.council_id",
            4 + filter.statuses.len(),
        );
        // A dispute's last day is its last week's Sunday: it reaches `from` when that Monday
        // is no more than six days before it.
        let last_monday_from = filter
            .from
            .map(|day| date_text(day - time::Duration::days(6)))
            .unwrap_or_default();
        let sql = format!(
            "select {DISPUTE_COLUMNS}
             where ($1 = 0 or d.client_id = $1) and ($2 = '' or d.last_week >= $2)
               and ($3 = '' or d.first_week <= $3) and {statuses} and {condition}
             order by d.updated_at desc, d.id desc"
        );
        let mut query = sqlx::query_as::<_, DisputeRow>(&sql)
            .bind(filter.client_id.unwrap_or(0))
            .bind(last_monday_from)
            .bind(filter.to.map(date_text).unwrap_or_default());
        for status in &filter.statuses {
            query = query.bind(status.code());
        }
        for id in ids {
            query = query.bind(id);
        }
        let rows = query.fetch_all(self.pool()).await?;
        let dispute_ids: Vec<i64> = rows.iter().map(|row| row.id).collect();
        let lines = self.dispute_lines(&dispute_ids).await?;
        rows.into_iter()
            .map(|row| {
                let cpli_ids = lines
                    .iter()
                    .filter(|(dispute, _)| *dispute == row.id)
                    .map(|(_, cpli)| *cpli)
                    .collect();
                row.into_record(cpli_ids)
            })
            .collect()
    }

    /// (dispute, CPLI) of the disputes' single lines.
    async fn dispute_lines(&self, dispute_ids: &[i64]) -> StoreResult<Vec<(i64, i64)>> {
        let mut lines = Vec::new();
        // Bound in chunks: a database caps the parameters of one statement.
        for chunk in dispute_ids.chunks(500) {
            let placeholders: Vec<String> =
                (1..=chunk.len()).map(|index| format!("${index}")).collect();
            let sql = format!(
                "select dispute_id, cpli_id from dispute_line where dispute_id in ({})
                 order by dispute_id, cpli_id",
                placeholders.join(", ")
            );
            let mut query = sqlx::query_as::<_, (i64, i64)>(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            lines.extend(query.fetch_all(self.pool()).await?);
        }
        Ok(lines)
    }

    /// How many disputes in `scope` are open, and how many await the provider.
    pub async fn dispute_counts(&self, scope: &Scope) -> StoreResult<DisputeCounts> {
        let (condition, ids) = scope.condition("d.organisation_id", "d.council_id", 1);
        let sql = format!(
            "select count(case when d.status <> 'resolved' then 1 end),
                    count(case when d.status = 'in_dispute' then 1 end)
             from dispute d where {condition}"
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(&sql);
        for id in ids {
            query = query.bind(id);
        }
        let (open, awaiting_provider) = query.fetch_one(self.pool()).await?;
        Ok(DisputeCounts {
            open,
            awaiting_provider,
        })
    }

    /// A dispute's history, oldest first.
    pub async fn dispute_events(&self, dispute_id: i64) -> StoreResult<Vec<DisputeEventRecord>> {
        type EventRow = (
            i64,
            String,
            Option<String>,
            String,
            String,
            String,
            String,
            Option<String>,
        );
        let rows: Vec<EventRow> = sqlx::query_as(
            "select e.id, e.kind, e.from_status, e.to_status, e.body, e.occurred_at, u.name, o.name
             from dispute_event e
             join app_user u on u.id = e.occurred_by
             left join organisation o on o.id = e.for_organisation_id
             where e.dispute_id = $1 order by e.id",
        )
        .bind(dispute_id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(
                |(id, kind, from_status, to_status, text, occurred_at, by, by_organisation)| {
                    Ok(DisputeEventRecord {
                        id,
                        kind,
                        from_status: from_status.as_deref().map(status).transpose()?,
                        to_status: status(&to_status)?,
                        text,
                        occurred_at,
                        by,
                        by_organisation,
                    })
                },
            )
            .collect()
    }

    /// Takes a step on a dispute still at `expected_version`: its new status (and, for a
    /// resolution request, its response), the history event and the audit row, in one
    /// transaction. A dispute someone else changed first is refused (stale version) and
    /// nothing is written. Returns the new version.
    #[allow(clippy::too_many_arguments)]
    pub async fn step_dispute(
        &self,
        dispute: &DisputeRecord,
        expected_version: i64,
        step: DisputeStep,
        to: DisputeStatus,
        text: &str,
        for_organisation_id: Option<i64>,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let person = actor
            .principal
            .person_id()
            .ok_or_else(|| StoreError::Corrupt("disputes are answered by people".into()))?;
        let sets_response = step == DisputeStep::RequestResolution;
        let mut transaction = self.pool().begin().await?;
        let now = now_text();
        let updated: Option<(i64,)> = sqlx::query_as(
            "update dispute set status = $3, version = version + 1, updated_at = $4,
                 response = case when $5 = 1 then $6 else response end
             where id = $1 and version = $2 returning version",
        )
        .bind(dispute.id)
        .bind(expected_version)
        .bind(to.code())
        .bind(now.as_str())
        .bind(i64::from(sets_response))
        .bind(text)
        .fetch_optional(&mut *transaction)
        .await?;
        let Some((version,)) = updated else {
            let (current,): (i64,) = sqlx::query_as("select version from dispute where id = $1")
                .bind(dispute.id)
                .fetch_one(&mut *transaction)
                .await?;
            return Err(StoreError::StaleVersion {
                sent: expected_version,
                current,
            });
        };
        sqlx::query(
            "insert into dispute_event (dispute_id, kind, from_status, to_status, body,
                occurred_at, occurred_by, for_organisation_id)
             values ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(dispute.id)
        .bind(step.code())
        .bind(dispute.status.code())
        .bind(to.code())
        .bind(text)
        .bind(now.as_str())
        .bind(person)
        .bind(for_organisation_id)
        .execute(&mut *transaction)
        .await?;
        record_change(
            &mut transaction,
            actor,
            &format!("dispute.{}", step.code()),
            "dispute",
            dispute.id.to_string(),
            json!({
                "old": { "status": dispute.status.code(), "version": expected_version },
                "new": { "status": to.code(), "text": text, "version": version },
            }),
        )
        .await?;
        let what = match step {
            DisputeStep::RequestResolution => "Resolution requested",
            DisputeStep::Resolve => "Dispute resolved",
            DisputeStep::Reopen => "Dispute reopened",
        };
        self.notify_dispute(&mut transaction, dispute.id, what, false, actor)
            .await?;
        transaction.commit().await?;
        Ok(version)
    }
}
