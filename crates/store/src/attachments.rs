//! Attachments of actions (and their posts) and disputes (and their history's steps): the
//! checked file's name, type, size and SHA-256, with its bytes in the row or, when the server
//! keeps files in a directory, the key it stored them under. A file is reached only through
//! its action or dispute, so only those who may see that record may read it. Nothing is
//! deleted.

use serde_json::json;
use sqlx::FromRow;

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::sql::now_text;
use crate::{Scope, Store, StoreError, StoreResult};

/// What a file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachmentParent {
    /// An action, and one of its posts when given.
    Action {
        action_id: i64,
        post_id: Option<i64>,
    },
    /// A dispute, and one step of its history when given.
    Dispute {
        dispute_id: i64,
        event_id: Option<i64>,
    },
}

/// Where a file's bytes are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoredBytes<'a> {
    /// In the attachment's row.
    Database(&'a [u8]),
    /// In the server's file directory, under this key (written before the row).
    Directory(&'a str),
}

/// A checked file to record.
#[derive(Debug, Clone)]
pub struct NewAttachment<'a> {
    pub parent: AttachmentParent,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub sha256: &'a str,
    pub bytes: StoredBytes<'a>,
    /// The organisation a provider contact uploads for; `None` for council staff.
    pub uploaded_for_organisation_id: Option<i64>,
}

/// An attachment as a list shows it (not its bytes).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AttachmentRecord {
    pub id: i64,
    pub action_id: Option<i64>,
    pub action_post_id: Option<i64>,
    pub dispute_id: Option<i64>,
    pub dispute_event_id: Option<i64>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: String,
    pub uploaded_by: String,
    /// The organisation a provider contact uploaded for.
    pub uploaded_for: Option<String>,
}

/// An attachment with where its bytes are: exactly one of `content` and `storage_key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentFile {
    pub record: AttachmentRecord,
    pub content: Option<Vec<u8>>,
    pub storage_key: Option<String>,
}

#[derive(FromRow)]
struct FileRow {
    #[sqlx(flatten)]
    record: AttachmentRecord,
    content: Option<Vec<u8>>,
    storage_key: Option<String>,
}

const ATTACHMENT_COLUMNS: &str = "t.id, t.action_id, t.action_post_id, t.dispute_id,
    t.dispute_event_id, t.file_name, t.content_type, t.size_bytes, t.sha256, t.uploaded_at,
    u.name as uploaded_by, o.name as uploaded_for";

const ATTACHMENT_JOINS: &str = "from attachment t
    join app_user u on u.id = t.uploaded_by
    left join organisation o on o.id = t.uploaded_for_organisation_id";

impl Store {
    /// Records an attachment with its parent's audit row, in one transaction. Returns its id.
    pub async fn create_attachment(
        &self,
        attachment: &NewAttachment<'_>,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let person = actor
            .principal
            .person_id()
            .ok_or_else(|| StoreError::Corrupt("files are attached by people".into()))?;
        let (action_id, post_id, dispute_id, event_id) = match attachment.parent {
            AttachmentParent::Action { action_id, post_id } => {
                (Some(action_id), post_id, None, None)
            }
            AttachmentParent::Dispute {
                dispute_id,
                event_id,
            } => (None, None, Some(dispute_id), event_id),
        };
        let (content, storage_key) = match attachment.bytes {
            StoredBytes::Database(bytes) => (Some(bytes), None),
            StoredBytes::Directory(key) => (None, Some(key)),
        };
        let mut transaction = self.pool().begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into attachment (action_id, action_post_id, dispute_id, dispute_event_id,
                file_name, content_type, size_bytes, sha256, content, storage_key, uploaded_at,
                uploaded_by, uploaded_for_organisation_id)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning id",
        )
        .bind(action_id)
        .bind(post_id)
        .bind(dispute_id)
        .bind(event_id)
        .bind(attachment.file_name)
        .bind(attachment.content_type)
        .bind(attachment.size_bytes)
        .bind(attachment.sha256)
        .bind(content)
        .bind(storage_key)
        .bind(now_text())
        .bind(person)
        .bind(attachment.uploaded_for_organisation_id)
        .fetch_one(&mut *transaction)
        .await?;
        let (kind, parent_id) = match (action_id, dispute_id) {
            (Some(action_id), _) => ("action", action_id),
            (None, Some(dispute_id)) => ("dispute", dispute_id),
            (None, None) => unreachable!("an attachment has a parent"),
        };
        record_change(
            &mut transaction,
            actor,
            &format!("{kind}.attach"),
            kind,
            parent_id.to_string(),
            json!({"new": {
                "attachment_id": id, "post_id": post_id, "event_id": event_id,
                "file_name": attachment.file_name, "content_type": attachment.content_type,
                "size_bytes": attachment.size_bytes, "sha256": attachment.sha256,
                "stored": if storage_key.is_some() { "directory" } else { "database" },
            }}),
        )
        .await?;
        transaction.commit().await?;
        Ok(id)
    }

    /// An action's attachments, oldest first.
    pub async fn action_attachments(&self, action_id: i64) -> StoreResult<Vec<AttachmentRecord>> {
        let sql = format!(
            "select {ATTACHMENT_COLUMNS} {ATTACHMENT_JOINS} where t.action_id = $1 order by t.id"
        );
        Ok(sqlx::query_as(&sql)
            .bind(action_id)
            .fetch_all(self.pool())
            .await?)
    }

    /// A dispute's attachments, oldest first.
    pub async fn dispute_attachments(&self, dispute_id: i64) -> StoreResult<Vec<AttachmentRecord>> {
        let sql = format!(
            "select {ATTACHMENT_COLUMNS} {ATTACHMENT_JOINS} where t.dispute_id = $1 order by t.id"
        );
        Ok(sqlx::query_as(&sql)
            .bind(dispute_id)
            .fetch_all(self.pool())
            .await?)
    }

    /// One attachment as listed, without its bytes (as just recorded, say).
    pub async fn attachment_record(&self, id: i64) -> StoreResult<Option<AttachmentRecord>> {
        let sql = format!("select {ATTACHMENT_COLUMNS} {ATTACHMENT_JOINS} where t.id = $1");
        Ok(sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// One attachment whose action or dispute is in `scope`, with where its bytes are.
    pub async fn attachment(&self, scope: &Scope, id: i64) -> StoreResult<Option<AttachmentFile>> {
        let (condition, ids) = scope.condition(
            "coalesce(a.organisation_id, d.organisation_id)",
            "coalesce(a.council_id, d.council_id)",
            2,
        );
        let sql = format!(
            "select {ATTACHMENT_COLUMNS}, t.content, t.storage_key {ATTACHMENT_JOINS}
             left join action a on a.id = t.action_id
             left join dispute d on d.id = t.dispute_id
             where t.id = $1 and {condition}"
        );
        let mut query = sqlx::query_as::<_, FileRow>(&sql).bind(id);
        for id in ids {
            query = query.bind(id);
        }
        Ok(query
            .fetch_optional(self.pool())
            .await?
            .map(|row| AttachmentFile {
                record: row.record,
                content: row.content,
                storage_key: row.storage_key,
            }))
    }

    /// Who wrote a post of the action; `None` when the action has no such post.
    pub async fn action_post_author(
        &self,
        action_id: i64,
        post_id: i64,
    ) -> StoreResult<Option<i64>> {
        Ok(
            sqlx::query_scalar(
                "select posted_by from action_post where id = $1 and action_id = $2",
            )
            .bind(post_id)
            .bind(action_id)
            .fetch_optional(self.pool())
            .await?,
        )
    }

    /// Who took a step of the dispute's history; `None` when it has no such step.
    pub async fn dispute_event_author(
        &self,
        dispute_id: i64,
        event_id: i64,
    ) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "select occurred_by from dispute_event where id = $1 and dispute_id = $2",
        )
        .bind(event_id)
        .bind(dispute_id)
        .fetch_optional(self.pool())
        .await?)
    }
}
