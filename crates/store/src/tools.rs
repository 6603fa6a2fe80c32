//! Client credentials for rostering and call-monitoring tools (OAuth 2.0 client-credentials
//! grant). A tool acts for one organisation, within its scopes; its secret is kept only as a
//! hash, so it can be shown once and never again.

use sqlx::FromRow;
use time::OffsetDateTime;

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::sql::{timestamp, timestamp_text};
use crate::{Store, StoreResult};

/// A tool's credentials, without the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolClientRecord {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub name: String,
    pub client_id: String,
    pub scopes: Vec<String>,
    pub created_at: OffsetDateTime,
    pub rotated_at: Option<OffsetDateTime>,
    pub revoked_at: Option<OffsetDateTime>,
    pub last_used_at: Option<OffsetDateTime>,
}

#[derive(FromRow)]
struct ToolClientRow {
    id: i64,
    organisation_id: i64,
    organisation_name: String,
    name: String,
    client_id: String,
    scopes: String,
    created_at: String,
    rotated_at: Option<String>,
    revoked_at: Option<String>,
    last_used_at: Option<String>,
}

impl TryFrom<ToolClientRow> for ToolClientRecord {
    type Error = crate::StoreError;

    fn try_from(row: ToolClientRow) -> StoreResult<ToolClientRecord> {
        let optional = |text: Option<String>| text.as_deref().map(timestamp).transpose();
        Ok(ToolClientRecord {
            id: row.id,
            organisation_id: row.organisation_id,
            organisation_name: row.organisation_name,
            name: row.name,
            client_id: row.client_id,
            scopes: row.scopes.split_whitespace().map(str::to_owned).collect(),
            created_at: timestamp(&row.created_at)?,
            rotated_at: optional(row.rotated_at)?,
            revoked_at: optional(row.revoked_at)?,
            last_used_at: optional(row.last_used_at)?,
        })
    }
}

const TOOL_SELECT: &str = "select t.id, t.organisation_id, o.name as organisation_name, t.name,
        t.client_id, t.scopes, t.created_at, t.rotated_at, t.revoked_at, t.last_used_at
     from tool_client t join organisation o on o.id = t.organisation_id";

/// New credentials, as council staff asked for them.
#[derive(Debug, Clone)]
pub struct NewToolClient<'a> {
    pub organisation_id: i64,
    pub name: &'a str,
    pub client_id: &'a str,
    pub secret_hash: &'a str,
    pub scopes: &'a [String],
}

impl Store {
    /// The tools of the council's organisations, newest first.
    pub async fn tool_clients_of_council(
        &self,
        council_id: i64,
    ) -> StoreResult<Vec<ToolClientRecord>> {
        let rows: Vec<ToolClientRow> = sqlx::query_as(&format!(
            "{TOOL_SELECT} where o.council_id = $1 order by t.id desc"
        ))
        .bind(council_id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(TryInto::try_into).collect()
    }

    /// One tool of the council's organisations; another council's is simply not found.
    pub async fn tool_client_of_council(
        &self,
        council_id: i64,
        tool_id: i64,
    ) -> StoreResult<Option<ToolClientRecord>> {
        let row: Option<ToolClientRow> = sqlx::query_as(&format!(
            "{TOOL_SELECT} where o.council_id = $1 and t.id = $2"
        ))
        .bind(council_id)
        .bind(tool_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(TryInto::try_into).transpose()
    }

    /// Issues credentials, with their audit row. Returns the new tool's id.
    pub async fn create_tool_client(
        &self,
        tool: &NewToolClient<'_>,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into tool_client (organisation_id, name, client_id, secret_hash, scopes,
                 created_by, created_at)
             values ($1, $2, $3, $4, $5, $6, $7) returning id",
        )
        .bind(tool.organisation_id)
        .bind(tool.name)
        .bind(tool.client_id)
        .bind(tool.secret_hash)
        .bind(tool.scopes.join(" "))
        .bind(actor.principal.person_id())
        .bind(timestamp_text(OffsetDateTime::now_utc()))
        .fetch_one(&mut *transaction)
        .await?;
        record_change(
            &mut transaction,
            actor,
            "tool_client.created",
            "tool_client",
            id.to_string(),
            serde_json::json!({
                "organisation_id": tool.organisation_id,
                "name": tool.name,
                "client_id": tool.client_id,
                "scopes": tool.scopes,
            }),
        )
        .await?;
        transaction.commit().await?;
        Ok(id)
    }

    /// Replaces a live tool's secret; the old one stops working at once. Returns false for
    /// a revoked tool.
    pub async fn rotate_tool_secret(
        &self,
        tool_id: i64,
        secret_hash: &str,
        actor: &Actor,
    ) -> StoreResult<bool> {
        let mut transaction = self.pool().begin().await?;
        let changed = sqlx::query(
            "update tool_client set secret_hash = $1, rotated_at = $2
             where id = $3 and revoked_at is null",
        )
        .bind(secret_hash)
        .bind(timestamp_text(OffsetDateTime::now_utc()))
        .bind(tool_id)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        record_change(
            &mut transaction,
            actor,
            "tool_client.rotated",
            "tool_client",
            tool_id.to_string(),
            serde_json::json!({}),
        )
        .await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// Revokes a tool for good. Returns false when it was already revoked.
    pub async fn revoke_tool_client(&self, tool_id: i64, actor: &Actor) -> StoreResult<bool> {
        let mut transaction = self.pool().begin().await?;
        let changed = sqlx::query(
            "update tool_client set revoked_at = $1 where id = $2 and revoked_at is null",
        )
        .bind(timestamp_text(OffsetDateTime::now_utc()))
        .bind(tool_id)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        record_change(
            &mut transaction,
            actor,
            "tool_client.revoked",
            "tool_client",
            tool_id.to_string(),
            serde_json::json!({}),
        )
        .await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// A live tool by its client id, with its secret's hash, for the token endpoint.
    pub async fn live_tool_client(
        &self,
        client_id: &str,
    ) -> StoreResult<Option<(ToolClientRecord, String)>> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "select id, secret_hash from tool_client where client_id = $1 and revoked_at is null",
        )
        .bind(client_id)
        .fetch_optional(self.pool())
        .await?;
        let Some((id, secret_hash)) = row else {
            return Ok(None);
        };
        let row: ToolClientRow = sqlx::query_as(&format!("{TOOL_SELECT} where t.id = $1"))
            .bind(id)
            .fetch_one(self.pool())
            .await?;
        Ok(Some((row.try_into()?, secret_hash)))
    }

    /// Whether a tool's token may still act: the tool is not revoked and the token was
    /// issued for its current secret (`secret_fingerprint` is a prefix of that secret's
    /// hash), so rotating the secret ends every token issued before.
    pub async fn tool_token_is_live(
        &self,
        tool_id: i64,
        secret_fingerprint: &str,
    ) -> StoreResult<bool> {
        let row: Option<(String, Option<String>)> =
            sqlx::query_as("select secret_hash, revoked_at from tool_client where id = $1")
                .bind(tool_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(matches!(row, Some((hash, None))
            if !secret_fingerprint.is_empty() && hash.starts_with(secret_fingerprint)))
    }

    /// Notes when a tool last exchanged its credentials.
    pub async fn record_tool_use(&self, tool_id: i64, at: OffsetDateTime) -> StoreResult<()> {
        sqlx::query("update tool_client set last_used_at = $1 where id = $2")
            .bind(timestamp_text(at))
            .bind(tool_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
