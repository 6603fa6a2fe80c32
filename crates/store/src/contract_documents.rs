//! Contract documents (DOMAIN 11): published with their bytes and hash; each provider
//! decision is a signature row written with the status change and an audit row in one
//! transaction, at the version the signer read. Nothing is deleted.

use portal_domain::contract_document::DocumentStatus;
use serde_json::json;
use sqlx::FromRow;
use time::Date;

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::notifications::DigestHappening;
use crate::sql::{date_text, now_text};
use crate::{Scope, Store, StoreError, StoreResult};
use portal_domain::notification::Topic;

/// A document to publish, already checked.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub council_id: i64,
    pub organisation_id: i64,
    pub service_id: i64,
    pub client_id: Option<i64>,
    pub document_type: &'a str,
    pub title: &'a str,
    pub starts_on: Date,
    pub ends_on: Option<Date>,
    pub file_name: &'a str,
    pub content: &'a [u8],
    pub sha256: &'a str,
}

/// A document as stored, with the names it is shown with (not its bytes).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct DocumentRecord {
    pub id: i64,
    pub council_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub service_id: i64,
    pub service_name: String,
    pub client_id: Option<i64>,
    pub client_name: Option<String>,
    pub document_type: String,
    pub title: String,
    pub starts_on: String,
    pub ends_on: Option<String>,
    pub file_name: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub status: String,
    pub version: i64,
    pub published_at: String,
    pub published_by: String,
}

/// One signature.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SignatureRecord {
    pub decision: String,
    pub reason: String,
    pub signed_at: String,
    pub signed_by: String,
    pub document_sha256: String,
}

/// Which documents a list shows.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    pub service_id: Option<i64>,
    pub client_id: Option<i64>,
    pub status: Option<DocumentStatus>,
}

const DOCUMENT_COLUMNS: &str = "d.id, d.council_id, d.organisation_id, o.name as organisation_name,
    d.service_id, s.name as service_name, d.client_id,
    case when cl.id is null then null else cl.surname || ', ' || cl.forename || ' (' || cl.ssref || ')' end as client_name,
    d.document_type, d.title, d.starts_on, d.ends_on, d.file_name, d.size_bytes, d.sha256,
    d.status, d.version, d.published_at, u.name as published_by
    from contract_document d
    join organisation o on o.id = d.organisation_id
    join service s on s.id = d.service_id
    left join client cl on cl.id = d.client_id
    join app_user u on u.id = d.published_by";

impl Store {
    /// Publishes a document with its audit row, in one transaction. Returns its id.
    pub async fn publish_document(
        &self,
        document: &NewDocument<'_>,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let person = actor
            .principal
            .person_id()
            .ok_or_else(|| StoreError::Corrupt("documents are published by people".into()))?;
        let mut transaction = self.pool().begin().await?;
        let (id,): (i64,) = sqlx::query_as(
            "insert into contract_document (council_id, organisation_id, service_id, client_id,
                document_type, title, starts_on, ends_on, file_name, content, size_bytes, sha256,
                published_at, published_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) returning id",
        )
        .bind(document.council_id)
        .bind(document.organisation_id)
        .bind(document.service_id)
        .bind(document.client_id)
        .bind(document.document_type)
        .bind(document.title)
        .bind(date_text(document.starts_on))
        .bind(document.ends_on.map(date_text))
        .bind(document.file_name)
        .bind(document.content)
        .bind(i64::try_from(document.content.len()).unwrap_or(i64::MAX))
        .bind(document.sha256)
        .bind(now_text())
        .bind(person)
        .fetch_one(&mut *transaction)
        .await?;
        record_change(
            &mut transaction,
            actor,
            "contract_document.publish",
            "contract_document",
            id.to_string(),
            json!({"new": {
                "service_id": document.service_id, "client_id": document.client_id,
                "document_type": document.document_type, "title": document.title,
                "starts_on": date_text(document.starts_on),
                "ends_on": document.ends_on.map(date_text),
                "file_name": document.file_name, "sha256": document.sha256,
                "status": DocumentStatus::Published.code(),
            }}),
        )
        .await?;
        self.notify_digest(
            &mut transaction,
            DigestHappening {
                council_id: document.council_id,
                organisation_id: document.organisation_id,
                topic: Topic::ContractDocuments,
                summary: format!(
                    "New {} to agree: {}",
                    document.document_type, document.title
                ),
                path: &format!("/contract-documents/{id}"),
            },
            Some(actor),
        )
        .await?;
        transaction.commit().await?;
        Ok(id)
    }

    /// One document in `scope`.
    pub async fn document(&self, scope: &Scope, id: i64) -> StoreResult<Option<DocumentRecord>> {
        let (condition, ids) = scope.condition("d.organisation_id", "d.council_id", 2);
        let sql = format!("select {DOCUMENT_COLUMNS} where d.id = $1 and {condition}");
        let mut query = sqlx::query_as::<_, DocumentRecord>(&sql).bind(id);
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_optional(self.pool()).await?)
    }

    /// The documents in `scope`, newest first, filtered.
    pub async fn documents(
        &self,
        scope: &Scope,
        filter: &DocumentFilter,
    ) -> StoreResult<Vec<DocumentRecord>> {
        let (condition, ids) = scope.condition("d.organisation_id", "d.council_id", 4);
        let sql = format!(
            "select {DOCUMENT_COLUMNS}
             where ($1 = 0 or d.service_id = $1) and ($2 = 0 or d.client_id = $2)
               and ($3 = '' or d.status = $3) and {condition}
             order by d.published_at desc, d.id desc"
        );
        let mut query = sqlx::query_as::<_, DocumentRecord>(&sql)
            .bind(filter.service_id.unwrap_or(0))
            .bind(filter.client_id.unwrap_or(0))
            .bind(filter.status.map_or("", DocumentStatus::code));
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_all(self.pool()).await?)
    }

    /// A document's file name and bytes, in `scope`.
    pub async fn document_content(
        &self,
        scope: &Scope,
        id: i64,
    ) -> StoreResult<Option<(String, Vec<u8>)>> {
        let (condition, ids) = scope.condition("d.organisation_id", "d.council_id", 2);
        let sql = format!(
            "select d.file_name, d.content from contract_document d where d.id = $1 and {condition}"
        );
        let mut query = sqlx::query_as::<_, (String, Vec<u8>)>(&sql).bind(id);
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_optional(self.pool()).await?)
    }

    /// A document's signatures, oldest first.
    pub async fn document_signatures(&self, id: i64) -> StoreResult<Vec<SignatureRecord>> {
        Ok(sqlx::query_as(
            "select g.decision, g.reason, g.signed_at, u.name as signed_by, g.document_sha256
             from contract_document_signature g join app_user u on u.id = g.signed_by
             where g.document_id = $1 order by g.id",
        )
        .bind(id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Moves a document still at `expected_version` to `status`; with a signature when the
    /// provider decided (its decision, reason and the hash signed), and an audit row, in one
    /// transaction. Returns the new version.
    pub async fn change_document(
        &self,
        document: &DocumentRecord,
        expected_version: i64,
        status: DocumentStatus,
        signature: Option<&str>,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let person = actor
            .principal
            .person_id()
            .ok_or_else(|| StoreError::Corrupt("documents are signed by people".into()))?;
        let mut transaction = self.pool().begin().await?;
        let updated = sqlx::query(
            "update contract_document set status = $1, version = version + 1
             where id = $2 and version = $3",
        )
        .bind(status.code())
        .bind(document.id)
        .bind(expected_version)
        .execute(&mut *transaction)
        .await?;
        if updated.rows_affected() == 0 {
            return Err(StoreError::StaleVersion {
                sent: expected_version,
                current: document.version,
            });
        }
        let now = now_text();
        if let Some(reason) = signature {
            sqlx::query(
                "insert into contract_document_signature (document_id, decision, reason,
                    signed_at, signed_by, document_sha256)
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(document.id)
            .bind(status.code())
            .bind(reason)
            .bind(now.as_str())
            .bind(person)
            .bind(document.sha256.as_str())
            .execute(&mut *transaction)
            .await?;
        }
        let version = expected_version + 1;
        record_change(
            &mut transaction,
            actor,
            &format!("contract_document.{}", status.code()),
            "contract_document",
            document.id.to_string(),
            json!({
                "old": {"status": document.status, "version": expected_version},
                "new": {"status": status.code(), "version": version, "reason": signature,
                        "sha256": document.sha256},
            }),
        )
        .await?;
        transaction.commit().await?;
        Ok(version)
    }
}
