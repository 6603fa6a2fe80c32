//! The audit trail: every change and every sign-in, never updated or deleted.

use sqlx::AnyConnection;

use crate::actuals::Principal;
use crate::sql::now_text;
use crate::{Store, StoreResult};

/// One audited event.
#[derive(Debug, Clone)]
pub struct AuditEvent<'a> {
    pub actor_user_id: Option<i64>,
    /// The tool, when a tool's client credentials made the change.
    pub actor_tool_id: Option<i64>,
    /// "actuals.save", "login.failed", ...
    pub action: &'a str,
    pub entity_kind: &'a str,
    pub entity_id: String,
    /// JSON; old and new values where there are any. Never a password or a code.
    pub detail: serde_json::Value,
    pub source_ip: Option<String>,
}

pub(crate) async fn record(
    connection: &mut AnyConnection,
    event: &AuditEvent<'_>,
) -> StoreResult<()> {
    sqlx::query(
        "insert into audit_event (occurred_at, actor_user_id, action, entity_kind, entity_id, detail, source_ip, actor_tool_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(now_text())
    .bind(event.actor_user_id)
    .bind(event.action)
    .bind(event.entity_kind)
    .bind(&event.entity_id)
    .bind(event.detail.to_string())
    .bind(event.source_ip.as_deref())
    .bind(event.actor_tool_id)
    .execute(connection)
    .await?;
    Ok(())
}

/// Records a change made by `actor`, inside the change's own transaction.
pub(crate) async fn record_change(
    connection: &mut AnyConnection,
    actor: &crate::actuals::Actor,
    action: &str,
    entity_kind: &str,
    entity_id: String,
    detail: serde_json::Value,
) -> StoreResult<()> {
    record(
        connection,
        &AuditEvent {
            actor_user_id: actor.principal.person_id(),
            actor_tool_id: actor.principal.tool_id(),
            action,
            entity_kind,
            entity_id,
            detail,
            source_ip: actor.source_ip.clone(),
        },
    )
    .await
}

impl Store {
    /// Records an event on its own (changes record theirs inside their own transaction).
    pub async fn audit(&self, event: &AuditEvent<'_>) -> StoreResult<()> {
        let mut connection = self.pool().acquire().await?;
        record(&mut connection, event).await
    }

    /// How many events of an action an entity has, newest last; for tests and the history.
    pub async fn audit_actions(
        &self,
        entity_kind: &str,
        entity_id: &str,
    ) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "select action from audit_event where entity_kind = $1 and entity_id = $2 order by id",
        )
        .bind(entity_kind)
        .bind(entity_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows.into_iter().map(|(action,)| action).collect())
    }
}

/// The answer given to an earlier request with the same idempotency key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RememberedResponse {
    pub request_hash: String,
    pub status: u16,
    pub body: String,
}

/// The table and column that keep a principal's idempotency keys: people's and tools' keys
/// are kept apart, each by its own foreign key.
fn idempotency_table(principal: Principal) -> (&'static str, &'static str, i64) {
    match principal {
        Principal::Person(id) => ("idempotency_key", "caller_user_id", id),
        Principal::Tool(id) => ("tool_idempotency_key", "tool_client_id", id),
    }
}

impl Store {
    pub async fn remembered_response(
        &self,
        principal: Principal,
        key: &str,
    ) -> StoreResult<Option<RememberedResponse>> {
        let (table, column, id) = idempotency_table(principal);
        let row: Option<(String, i64, String)> = sqlx::query_as(&format!(
            "select request_hash, response_status, response_body from {table}
             where {column} = $1 and idempotency_key = $2"
        ))
        .bind(id)
        .bind(key)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|(request_hash, status, body)| RememberedResponse {
            request_hash,
            status: u16::try_from(status).unwrap_or(500),
            body,
        }))
    }

    /// Keeps an answer for its key; the first answer stored wins.
    pub async fn remember_response(
        &self,
        principal: Principal,
        key: &str,
        response: &RememberedResponse,
    ) -> StoreResult<()> {
        let (table, column, id) = idempotency_table(principal);
        sqlx::query(&format!(
            "insert into {table} ({column}, idempotency_key, request_hash, response_status, response_body, created_at)
             values ($1, $2, $3, $4, $5, $6) on conflict ({column}, idempotency_key) do nothing"
        ))
        .bind(id)
        .bind(key)
        .bind(&response.request_hash)
        .bind(i64::from(response.status))
        .bind(&response.body)
        .bind(now_text())
        .execute(self.pool())
        .await?;
        Ok(())
    }
}

/// One audited change, with who made it named.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeRecord {
    /// RFC 3339.
    pub occurred_at: String,
    pub action: String,
    pub detail: serde_json::Value,
    pub source_ip: Option<String>,
    /// The person's name, or the tool's.
    pub by: Option<String>,
    pub by_tool: bool,
}

#[derive(sqlx::FromRow)]
struct ChangeRow {
    occurred_at: String,
    action: String,
    detail: String,
    source_ip: Option<String>,
    person: Option<String>,
    tool: Option<String>,
}

impl Store {
    /// The audited changes of a client's week at a service: its saves, and the generations
    /// of its service's week, oldest first.
    pub async fn client_week_history(
        &self,
        service_id: i64,
        client_id: i64,
        week: portal_domain::Week,
    ) -> StoreResult<Vec<ChangeRecord>> {
        let rows: Vec<ChangeRow> = sqlx::query_as(
            "select e.occurred_at, e.action, e.detail, e.source_ip, u.name as person, t.name as tool
                 from audit_event e
                 left join app_user u on u.id = e.actor_user_id
                 left join tool_client t on t.id = e.actor_tool_id
                 where (e.entity_kind = 'client_week' and e.entity_id = $1)
                    or (e.entity_kind = 'service_week' and e.entity_id = $2)
                 order by e.id",
        )
        .bind(format!("{service_id}/{client_id}/{week}"))
        .bind(format!("{service_id}/{week}"))
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| ChangeRecord {
                occurred_at: row.occurred_at,
                action: row.action,
                detail: serde_json::from_str(&row.detail).unwrap_or(serde_json::Value::Null),
                source_ip: row.source_ip,
                by_tool: row.tool.is_some(),
                by: row.person.or(row.tool),
            })
            .collect())
    }
}
