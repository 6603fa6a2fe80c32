//! Files of actuals imported in bulk (DOMAIN 4.8): each upload kept as a checked preview,
//! and committed once, writing every valid line in one transaction.

use portal_domain::{ActualFigures, Week};
use serde_json::json;
use sqlx::FromRow;

use crate::actuals::{bump_version, figures_json, refuse_if_locked, upsert_line, Actor, NewActual};
use crate::audit::record_change;
use crate::sql::now_text;
use crate::{Scope, Store, StoreError, StoreResult};

/// One line of a file as read, and what the last check made of it. JSON columns hold what
/// the server gave (the store does not read them).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ImportLine {
    /// The line in the file; the header is line 1.
    pub line_number: i64,
    pub cpli_id: String,
    pub week_start: String,
    pub ssref: String,
    /// JSON: the line's figures as the file gave them.
    pub input: String,
    /// JSON: faults of the file itself, which no later check can mend.
    pub file_errors: String,
    /// `valid` or `invalid`.
    pub status: String,
    pub client: String,
    /// JSON: every error, each naming its column.
    pub errors: String,
    /// JSON: exceptions that warn.
    pub warnings: String,
}

/// An uploaded file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRecord {
    pub id: i64,
    pub organisation_id: i64,
    pub service_id: i64,
    pub reference: String,
    pub content_sha256: String,
    /// `previewed` or `committed`.
    pub status: String,
    /// RFC 3339.
    pub created_at: String,
    pub committed_at: Option<String>,
    pub written_lines: Option<i64>,
    pub lines: Vec<ImportLine>,
}

#[derive(FromRow)]
struct ImportRow {
    id: i64,
    organisation_id: i64,
    service_id: i64,
    reference: String,
    content_sha256: String,
    status: String,
    created_at: String,
    committed_at: Option<String>,
    written_lines: Option<i64>,
}

/// A new upload, checked.
pub struct NewImport<'a> {
    pub organisation_id: i64,
    pub service_id: i64,
    pub reference: &'a str,
    pub content_sha256: &'a str,
    pub lines: &'a [ImportLine],
}

/// A committed import that a new file repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommittedImport {
    pub reference: String,
    /// RFC 3339.
    pub committed_at: String,
    /// True when the reference is the same; false when only the content is.
    pub same_reference: bool,
}

/// One client's week as a commit writes it: the lines, each with its figures before, and
/// the client-week's version when they were checked.
pub struct ClientWeekWrite {
    pub client_id: i64,
    pub week: Week,
    pub version_checked: i64,
    pub lines: Vec<(NewActual, Option<ActualFigures>)>,
}

/// What became of a commit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommitOutcome {
    Committed {
        written: i64,
    },
    /// Committed before (by this request's twin, say).
    AlreadyCommitted,
    /// Another import of the organisation with this reference or content was committed first.
    Repeated,
    /// A client's week changed after the check: check again.
    WeekChanged {
        client_id: i64,
        week: Week,
    },
}

fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(database) if database.is_unique_violation())
}

impl Store {
    /// A committed import of the organisation with this reference or this content.
    pub async fn committed_import_like(
        &self,
        organisation_id: i64,
        reference: &str,
        content_sha256: &str,
    ) -> StoreResult<Option<CommittedImport>> {
        let row: Option<(String, Option<String>)> = sqlx::query_as(
            "select reference, committed_at from actual_import
             where organisation_id = $1 and status = 'committed'
               and (reference = $2 or content_sha256 = $3)
             order by case when reference = $2 then 0 else 1 end, id limit 1",
        )
        .bind(organisation_id)
        .bind(reference)
        .bind(content_sha256)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(found, committed_at)| CommittedImport {
            same_reference: found == reference,
            reference: found,
            committed_at: committed_at.unwrap_or_default(),
        }))
    }

    /// Keeps an upload and its checked lines as a preview. Returns its id.
    pub async fn create_import(&self, import: &NewImport<'_>, actor: &Actor) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into actual_import (organisation_id, service_id, reference, content_sha256,
                created_by, created_by_tool, created_at)
             values ($1, $2, $3, $4, $5, $6, $7) returning id",
        )
        .bind(import.organisation_id)
        .bind(import.service_id)
        .bind(import.reference)
        .bind(import.content_sha256)
        .bind(actor.principal.person_id())
        .bind(actor.principal.tool_id())
        .bind(now_text())
        .fetch_one(&mut *transaction)
        .await?;
        for line in import.lines {
            sqlx::query(
                "insert into actual_import_line (import_id, line_number, cpli_id, week_start,
                    ssref, input, file_errors, status, client, errors, warnings)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(id)
            .bind(line.line_number)
            .bind(&line.cpli_id)
            .bind(&line.week_start)
            .bind(&line.ssref)
            .bind(&line.input)
            .bind(&line.file_errors)
            .bind(&line.status)
            .bind(&line.client)
            .bind(&line.errors)
            .bind(&line.warnings)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(id)
    }

    /// An import of a service the scope reaches, with its lines in file order.
    pub async fn import(&self, scope: &Scope, import_id: i64) -> StoreResult<Option<ImportRecord>> {
        let (condition, ids) = scope.condition("s.organisation_id", "c.council_id", 2);
        let sql = format!(
            "select i.id, i.organisation_id, i.service_id, i.reference, i.content_sha256,
                    i.status, i.created_at, i.committed_at, i.written_lines
             from actual_import i
             join service s on s.id = i.service_id
             join contract c on c.id = s.contract_id
             where i.id = $1 and {condition}"
        );
        let mut query = sqlx::query_as::<_, ImportRow>(&sql).bind(import_id);
        for id in ids {
            query = query.bind(id);
        }
        let Some(row) = query.fetch_optional(self.pool()).await? else {
            return Ok(None);
        };
        let lines: Vec<ImportLine> = sqlx::query_as(
            "select line_number, cpli_id, week_start, ssref, input, file_errors, status, client,
                    errors, warnings
             from actual_import_line where import_id = $1 order by line_number",
        )
        .bind(import_id)
        .fetch_all(self.pool())
        .await?;
        Ok(Some(ImportRecord {
            id: row.id,
            organisation_id: row.organisation_id,
            service_id: row.service_id,
            reference: row.reference,
            content_sha256: row.content_sha256,
            status: row.status,
            created_at: row.created_at,
            committed_at: row.committed_at,
            written_lines: row.written_lines,
            lines,
        }))
    }

    /// "Update system": marks the import committed and writes every client-week of
    /// `writes`, each with its next version and an audit row of its old and new values, and
    /// the lines' latest check, all in one transaction. A locked week refuses the whole
    /// commit (`StoreError::Locked`); nothing is written unless everything is.
    pub async fn commit_import(
        &self,
        import: &ImportRecord,
        writes: &[ClientWeekWrite],
        lines: &[ImportLine],
        actor: &Actor,
    ) -> StoreResult<CommitOutcome> {
        let written: usize = writes.iter().map(|write| write.lines.len()).sum();
        let written = i64::try_from(written).unwrap_or(i64::MAX);
        let mut transaction = self.pool().begin().await?;
        // Write first: on SQLite this takes the write lock before any read.
        let marked = sqlx::query(
            "update actual_import set status = 'committed', committed_at = $1, committed_by = $2,
                 committed_by_tool = $3, written_lines = $4
             where id = $5 and status = 'previewed'",
        )
        .bind(now_text())
        .bind(actor.principal.person_id())
        .bind(actor.principal.tool_id())
        .bind(written)
        .bind(import.id)
        .execute(&mut *transaction)
        .await;
        match marked {
            Ok(result) if result.rows_affected() == 1 => {}
            Ok(_) => return Ok(CommitOutcome::AlreadyCommitted),
            Err(error) if is_unique_violation(&error) => return Ok(CommitOutcome::Repeated),
            Err(error) => return Err(StoreError::Database(error)),
        }
        let service_id = import.service_id;
        for write in writes {
            let week = write.week;
            let version =
                bump_version(&mut transaction, service_id, write.client_id, week, actor).await?;
            if version != write.version_checked + 1 {
                transaction.rollback().await?;
                return Ok(CommitOutcome::WeekChanged {
                    client_id: write.client_id,
                    week,
                });
            }
            refuse_if_locked(&mut transaction, service_id, week).await?;
            let mut changes = Vec::new();
            for (line, old) in &write.lines {
                upsert_line(&mut transaction, service_id, week, line, actor, true).await?;
                changes.push(json!({
                    "cpli_id": line.cpli_id,
                    "service_level_id": line.service_level_id,
                    "old": old.as_ref().map(|figures| figures_json(figures, None)),
                    "new": figures_json(&line.figures, line.sessions.as_deref()),
                }));
            }
            record_change(
                &mut transaction,
                actor,
                "actuals.save",
                "client_week",
                format!("{service_id}/{}/{week}", write.client_id),
                json!({
                    "version": version,
                    "lines": changes,
                    "import": {"id": import.id, "reference": import.reference},
                }),
            )
            .await?;
        }
        for line in lines {
            sqlx::query(
                "update actual_import_line set status = $1, client = $2, errors = $3, warnings = $4
                 where import_id = $5 and line_number = $6",
            )
            .bind(&line.status)
            .bind(&line.client)
            .bind(&line.errors)
            .bind(&line.warnings)
            .bind(import.id)
            .bind(line.line_number)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(CommitOutcome::Committed { written })
    }
}
