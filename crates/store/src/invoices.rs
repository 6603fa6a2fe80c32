//! Invoices and credit notes (DOMAIN 6): their headers, items (commitments), status changes
//! and attachments, each change versioned and audited in its own transaction. Nothing is
//! deleted: a deleted invoice is a status, a removed item is kept as not included, and a
//! replaced attachment is superseded.

use portal_domain::invoice::{InvoiceKind, InvoiceScope, InvoiceStatus};
use portal_domain::Week;
use serde_json::json;
use sqlx::{AnyConnection, FromRow};
use time::Date;

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::reference::ClientRecord;
use crate::sql::{date, date_text, flag, now_text};
use crate::{Scope, Store, StoreError, StoreResult};

/// An invoice with its items, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceRecord {
    pub id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub council_id: i64,
    pub kind: InvoiceKind,
    pub credit_of_invoice_id: Option<i64>,
    pub scope: InvoiceScope,
    pub scope_contract_id: Option<i64>,
    pub scope_service_id: Option<i64>,
    pub scope_client_id: Option<i64>,
    pub period_start: Date,
    pub period_end: Date,
    pub reference: String,
    pub date_on_invoice: Date,
    pub created_on: Date,
    pub entered_ex_vat_pence: i64,
    pub entered_vat_pence: i64,
    pub status: InvoiceStatus,
    pub status_reason: String,
    /// RFC 3339, once submitted.
    pub submitted_at: Option<String>,
    pub version: i64,
    pub items: Vec<InvoiceItemRecord>,
    pub attachment: Option<AttachmentInfo>,
}

/// One commitment on an invoice.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct InvoiceItemRecord {
    pub id: i64,
    pub contract_id: i64,
    pub contract_name: String,
    pub service_id: i64,
    pub client_id: i64,
    /// The year the financial year starts in.
    pub financial_year: i64,
    pub description: String,
    pub period_start: String,
    pub period_end: String,
    pub value_pence: i64,
    pub vat_pence: i64,
    pub contribution_pence: i64,
    pub is_included: i64,
}

/// The current attachment's name and type (its bytes are read on their own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentInfo {
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
}

/// A commitment's figures, as the server priced it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewInvoiceItem {
    pub contract_id: i64,
    pub service_id: i64,
    pub client_id: i64,
    pub financial_year: i64,
    pub description: String,
    pub period_start: Date,
    pub period_end: Date,
    pub value_pence: i64,
    pub vat_pence: i64,
}

/// A new invoice or credit note.
#[derive(Debug, Clone)]
pub struct NewInvoice<'a> {
    pub organisation_id: i64,
    pub council_id: i64,
    pub kind: InvoiceKind,
    pub credit_of_invoice_id: Option<i64>,
    pub scope: InvoiceScope,
    pub scope_contract_id: Option<i64>,
    pub scope_service_id: Option<i64>,
    pub scope_client_id: Option<i64>,
    pub period_start: Date,
    pub period_end: Date,
    pub reference: &'a str,
    pub date_on_invoice: Date,
    pub created_on: Date,
    pub entered_ex_vat_pence: i64,
    pub entered_vat_pence: i64,
    pub items: &'a [NewInvoiceItem],
}

/// A header as the provider edits it.
#[derive(Debug, Clone)]
pub struct InvoiceHeader<'a> {
    pub reference: &'a str,
    pub date_on_invoice: Date,
    pub entered_ex_vat_pence: i64,
    pub entered_vat_pence: i64,
}

/// An invoiced contract: what an invoice's period and VAT come from.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct InvoicedContract {
    pub id: i64,
    pub council_id: i64,
    pub organisation_id: i64,
    pub name: String,
    pub period_weeks: i64,
    pub period_anchor: String,
    pub vat_rate_basis_points: i64,
}

#[derive(FromRow)]
struct InvoiceRow {
    id: i64,
    organisation_id: i64,
    organisation_name: String,
    council_id: i64,
    kind: String,
    credit_of_invoice_id: Option<i64>,
    scope_kind: String,
    scope_contract_id: Option<i64>,
    scope_service_id: Option<i64>,
    scope_client_id: Option<i64>,
    period_start: String,
    period_end: String,
    reference: String,
    date_on_invoice: String,
    created_on: String,
    entered_ex_vat_pence: i64,
    entered_vat_pence: i64,
    status: String,
    status_reason: String,
    submitted_at: Option<String>,
    version: i64,
}

impl InvoiceRow {
    fn into_record(self) -> StoreResult<InvoiceRecord> {
        let corrupt =
            |what: &str, value: &str| StoreError::Corrupt(format!("invoice.{what}: {value}"));
        Ok(InvoiceRecord {
            id: self.id,
            organisation_id: self.organisation_id,
            organisation_name: self.organisation_name,
            council_id: self.council_id,
            kind: InvoiceKind::parse(&self.kind).ok_or_else(|| corrupt("kind", &self.kind))?,
            credit_of_invoice_id: self.credit_of_invoice_id,
            scope: InvoiceScope::parse(&self.scope_kind)
                .ok_or_else(|| corrupt("scope_kind", &self.scope_kind))?,
            scope_contract_id: self.scope_contract_id,
            scope_service_id: self.scope_service_id,
            scope_client_id: self.scope_client_id,
            period_start: date(&self.period_start, "invoice.period_start")?,
            period_end: date(&self.period_end, "invoice.period_end")?,
            reference: self.reference,
            date_on_invoice: date(&self.date_on_invoice, "invoice.date_on_invoice")?,
            created_on: date(&self.created_on, "invoice.created_on")?,
            entered_ex_vat_pence: self.entered_ex_vat_pence,
            entered_vat_pence: self.entered_vat_pence,
            status: InvoiceStatus::parse(&self.status)
                .ok_or_else(|| corrupt("status", &self.status))?,
            status_reason: self.status_reason,
            submitted_at: self.submitted_at,
            version: self.version,
            items: Vec::new(),
            attachment: None,
        })
    }
}

const INVOICE_SELECT: &str = "
    select i.id, i.organisation_id, o.name as organisation_name, i.council_id, i.kind,
           i.credit_of_invoice_id, i.scope_kind, i.scope_contract_id, i.scope_service_id,
           i.scope_client_id, i.period_start, i.period_end, i.reference, i.date_on_invoice,
           i.created_on, i.entered_ex_vat_pence, i.entered_vat_pence, i.status,
           i.status_reason, i.submitted_at, i.version
    from invoice i join organisation o on o.id = i.organisation_id";

fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(database) if database.is_unique_violation())
}

/// Why a submitted invoice holds a service's week, if one does: "This week is on invoice
/// INV-42 (Pending), submitted on 25/04/2022." Read inside the writing transaction, so an
/// invoice submitted first is always seen.
pub(crate) async fn invoice_lock_reason(
    connection: &mut AnyConnection,
    service_id: i64,
    week: Week,
) -> StoreResult<Option<String>> {
    let locking: Vec<String> = InvoiceStatus::ALL
        .into_iter()
        .filter(|status| status.locks_actuals())
        .map(|status| format!("'{}'", status.code()))
        .collect();
    let row: Option<(String, String, Option<String>)> = sqlx::query_as(&format!(
        "select i.reference, i.status, i.submitted_at from invoice i
         where i.status in ({})
           and exists (select 1 from invoice_item t where t.invoice_id = i.id and t.is_included = 1
                       and t.service_id = $1 and t.period_start <= $2 and t.period_end >= $2)
         order by i.id limit 1",
        locking.join(", ")
    ))
    .bind(service_id)
    .bind(week.to_string())
    .fetch_optional(connection)
    .await?;
    let Some((reference, status, submitted_at)) = row else {
        return Ok(None);
    };
    let status = InvoiceStatus::parse(&status)
        .ok_or_else(|| StoreError::Corrupt(format!("invoice.status: {status}")))?;
    let submitted_on = submitted_at
        .as_deref()
        .and_then(|text| crate::sql::timestamp(text).ok())
        .map_or(week.monday(), |at| at.date());
    Ok(Some(portal_domain::invoice::lock_reason(
        &reference,
        status,
        submitted_on,
    )))
}

/// Claims the invoice's next version: refused (and the transaction undone by the caller
/// dropping it) when `expected_version` is not the current one.
async fn claim_version(
    connection: &mut AnyConnection,
    invoice_id: i64,
    expected_version: i64,
) -> StoreResult<i64> {
    let claimed = sqlx::query(
        "update invoice set version = version + 1, updated_at = $3 where id = $1 and version = $2",
    )
    .bind(invoice_id)
    .bind(expected_version)
    .bind(now_text())
    .execute(&mut *connection)
    .await?
    .rows_affected()
        == 1;
    let current: i64 = sqlx::query_scalar("select version from invoice where id = $1")
        .bind(invoice_id)
        .fetch_one(&mut *connection)
        .await?;
    if claimed {
        Ok(current)
    } else {
        Err(StoreError::StaleVersion {
            sent: expected_version,
            current,
        })
    }
}

async fn insert_items(
    connection: &mut AnyConnection,
    invoice_id: i64,
    items: &[NewInvoiceItem],
) -> StoreResult<()> {
    for item in items {
        sqlx::query(
            "insert into invoice_item (invoice_id, contract_id, service_id, client_id, financial_year,
                description, period_start, period_end, value_pence, vat_pence, contribution_pence, is_included)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, 1)
             on conflict (invoice_id, service_id, client_id, financial_year)
             do update set value_pence = excluded.value_pence, vat_pence = excluded.vat_pence,
                description = excluded.description, period_start = excluded.period_start,
                period_end = excluded.period_end",
        )
        .bind(invoice_id)
        .bind(item.contract_id)
        .bind(item.service_id)
        .bind(item.client_id)
        .bind(item.financial_year)
        .bind(item.description.as_str())
        .bind(date_text(item.period_start))
        .bind(date_text(item.period_end))
        .bind(item.value_pence)
        .bind(item.vat_pence)
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}

fn items_json(items: &[NewInvoiceItem]) -> serde_json::Value {
    json!(items
        .iter()
        .map(|item| json!({
            "description": item.description,
            "value_pence": item.value_pence,
            "vat_pence": item.vat_pence,
        }))
        .collect::<Vec<_>>())
}

impl Store {
    /// The organisation's active contracts paid by invoice.
    pub async fn invoiced_contracts(
        &self,
        organisation_id: i64,
    ) -> StoreResult<Vec<InvoicedContract>> {
        Ok(sqlx::query_as(
            "select id, council_id, organisation_id, name, period_weeks, period_anchor, vat_rate_basis_points
             from contract
             where organisation_id = $1 and payment_model = 'invoiced' and is_active = 1
             order by name, id",
        )
        .bind(organisation_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// A contract's services, id and name (inactive ones too: their actuals still count).
    pub async fn contract_services(&self, contract_id: i64) -> StoreResult<Vec<(i64, String)>> {
        Ok(
            sqlx::query_as("select id, name from service where contract_id = $1 order by name, id")
                .bind(contract_id)
                .fetch_all(self.pool())
                .await?,
        )
    }

    /// Clients by id, as the screens name them.
    pub async fn clients_by_id(&self, ids: &[i64]) -> StoreResult<Vec<ClientRecord>> {
        let mut clients = Vec::with_capacity(ids.len());
        for id in ids {
            let client: Option<ClientRecord> = sqlx::query_as(
                "select id, ssref, title, forename, surname from client where id = $1",
            )
            .bind(*id)
            .fetch_optional(self.pool())
            .await?;
            clients.extend(client);
        }
        Ok(clients)
    }

    /// Clients with a CPLI at one of the contract's services, by name.
    pub async fn contract_clients(&self, contract_id: i64) -> StoreResult<Vec<ClientRecord>> {
        Ok(sqlx::query_as(
            "select distinct c.id, c.ssref, c.title, c.forename, c.surname
             from client c join cpli p on p.client_id = c.id join service s on s.id = p.service_id
             where s.contract_id = $1
             order by c.surname, c.forename, c.id",
        )
        .bind(contract_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Invoices the scope reaches, newest first, optionally of one status (deleted ones only
    /// when asked for).
    pub async fn invoices(
        &self,
        scope: &Scope,
        status: Option<InvoiceStatus>,
    ) -> StoreResult<Vec<InvoiceRecord>> {
        let (condition, ids) = scope.condition("i.organisation_id", "i.council_id", 2);
        let sql = format!(
            "{INVOICE_SELECT} where {condition}
               and (($1 = '' and i.status <> 'deleted') or i.status = $1)
             order by i.period_start desc, i.id desc"
        );
        let mut query =
            sqlx::query_as::<_, InvoiceRow>(&sql).bind(status.map_or("", InvoiceStatus::code));
        for id in ids {
            query = query.bind(id);
        }
        let rows = query.fetch_all(self.pool()).await?;
        let mut invoices = Vec::with_capacity(rows.len());
        for row in rows {
            invoices.push(self.complete(row.into_record()?).await?);
        }
        Ok(invoices)
    }

    /// One invoice, if the scope reaches it; `None` means missing or not yours alike.
    pub async fn invoice(&self, scope: &Scope, id: i64) -> StoreResult<Option<InvoiceRecord>> {
        let (condition, ids) = scope.condition("i.organisation_id", "i.council_id", 2);
        let sql = format!("{INVOICE_SELECT} where i.id = $1 and {condition}");
        let mut query = sqlx::query_as::<_, InvoiceRow>(&sql).bind(id);
        for id in ids {
            query = query.bind(id);
        }
        match query.fetch_optional(self.pool()).await? {
            Some(row) => Ok(Some(self.complete(row.into_record()?).await?)),
            None => Ok(None),
        }
    }

    async fn complete(&self, mut invoice: InvoiceRecord) -> StoreResult<InvoiceRecord> {
        invoice.items = sqlx::query_as(
            "select t.id, t.contract_id, c.name as contract_name, t.service_id, t.client_id,
                    t.financial_year, t.description, t.period_start, t.period_end, t.value_pence,
                    t.vat_pence, t.contribution_pence, t.is_included
             from invoice_item t join contract c on c.id = t.contract_id
             where t.invoice_id = $1 order by t.description, t.id",
        )
        .bind(invoice.id)
        .fetch_all(self.pool())
        .await?;
        let attachment: Option<(String, String, i64)> = sqlx::query_as(
            "select file_name, content_type, size_bytes from invoice_attachment
             where invoice_id = $1 and superseded_at is null order by id desc limit 1",
        )
        .bind(invoice.id)
        .fetch_optional(self.pool())
        .await?;
        invoice.attachment =
            attachment.map(|(file_name, content_type, size_bytes)| AttachmentInfo {
                file_name,
                content_type,
                size_bytes,
            });
        Ok(invoice)
    }

    /// Creates an invoice with its items and audit row, in one transaction. `None` when
    /// the organisation already has an invoice (not deleted) with that reference.
    pub async fn create_invoice(
        &self,
        new: &NewInvoice<'_>,
        actor: &Actor,
    ) -> StoreResult<Option<i64>> {
        let mut transaction = self.pool().begin().await?;
        let now = now_text();
        let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
            "insert into invoice (organisation_id, council_id, kind, credit_of_invoice_id, scope_kind,
                scope_contract_id, scope_service_id, scope_client_id, period_start, period_end,
                reference, date_on_invoice, created_on, entered_ex_vat_pence, entered_vat_pence,
                status, version, created_at, created_by, updated_at)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                'unsubmitted', 1, $16, $17, $16)
             returning id",
        )
        .bind(new.organisation_id)
        .bind(new.council_id)
        .bind(new.kind.code())
        .bind(new.credit_of_invoice_id)
        .bind(new.scope.code())
        .bind(new.scope_contract_id)
        .bind(new.scope_service_id)
        .bind(new.scope_client_id)
        .bind(date_text(new.period_start))
        .bind(date_text(new.period_end))
        .bind(new.reference)
        .bind(date_text(new.date_on_invoice))
        .bind(date_text(new.created_on))
        .bind(new.entered_ex_vat_pence)
        .bind(new.entered_vat_pence)
        .bind(now.as_str())
        .bind(actor.principal.person_id())
        .fetch_one(&mut *transaction)
        .await;
        let id = match inserted {
            Ok(id) => id,
            Err(error) if is_unique_violation(&error) => return Ok(None),
            Err(error) => return Err(error.into()),
        };
        insert_items(&mut transaction, id, new.items).await?;
        record_change(
            &mut transaction,
            actor,
            "invoice.create",
            "invoice",
            id.to_string(),
            json!({
                "kind": new.kind.code(),
                "reference": new.reference,
                "scope": new.scope.code(),
                "period_start": date_text(new.period_start),
                "items": items_json(new.items),
            }),
        )
        .await?;
        transaction.commit().await?;
        Ok(Some(id))
    }

    /// Changes the header. `Ok(None)` when the reference is taken by another invoice of the
    /// organisation; otherwise the new version.
    pub async fn update_invoice_header(
        &self,
        invoice: &InvoiceRecord,
        expected_version: i64,
        header: &InvoiceHeader<'_>,
        actor: &Actor,
    ) -> StoreResult<Option<i64>> {
        let mut transaction = self.pool().begin().await?;
        let version = claim_version(&mut transaction, invoice.id, expected_version).await?;
        let updated = sqlx::query(
            "update invoice set reference = $2, date_on_invoice = $3, entered_ex_vat_pence = $4,
                entered_vat_pence = $5 where id = $1",
        )
        .bind(invoice.id)
        .bind(header.reference)
        .bind(date_text(header.date_on_invoice))
        .bind(header.entered_ex_vat_pence)
        .bind(header.entered_vat_pence)
        .execute(&mut *transaction)
        .await;
        match updated {
            Ok(_) => {}
            Err(error) if is_unique_violation(&error) => return Ok(None),
            Err(error) => return Err(error.into()),
        }
        record_change(
            &mut transaction,
            actor,
            "invoice.update",
            "invoice",
            invoice.id.to_string(),
            json!({
                "old": {
                    "reference": invoice.reference,
                    "date_on_invoice": date_text(invoice.date_on_invoice),
                    "entered_ex_vat_pence": invoice.entered_ex_vat_pence,
                    "entered_vat_pence": invoice.entered_vat_pence,
                },
                "new": {
                    "reference": header.reference,
                    "date_on_invoice": date_text(header.date_on_invoice),
                    "entered_ex_vat_pence": header.entered_ex_vat_pence,
                    "entered_vat_pence": header.entered_vat_pence,
                },
            }),
        )
        .await?;
        transaction.commit().await?;
        Ok(Some(version))
    }

    /// Removes or re-adds an item and sets its contribution. Returns the new version.
    pub async fn update_invoice_item(
        &self,
        invoice: &InvoiceRecord,
        expected_version: i64,
        item: &InvoiceItemRecord,
        included: bool,
        contribution_pence: i64,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let version = claim_version(&mut transaction, invoice.id, expected_version).await?;
        sqlx::query(
            "update invoice_item set is_included = $3, contribution_pence = $4
             where id = $1 and invoice_id = $2",
        )
        .bind(item.id)
        .bind(invoice.id)
        .bind(flag(included))
        .bind(contribution_pence)
        .execute(&mut *transaction)
        .await?;
        record_change(
            &mut transaction,
            actor,
            "invoice.item",
            "invoice",
            invoice.id.to_string(),
            json!({
                "item": item.description,
                "old": {"included": item.is_included == 1, "contribution_pence": item.contribution_pence},
                "new": {"included": included, "contribution_pence": contribution_pence},
            }),
        )
        .await?;
        transaction.commit().await?;
        Ok(version)
    }

    /// "Suggest": brings items' values up to date and adds new commitments (included).
    /// Items removed stay removed. Returns the new version.
    pub async fn apply_invoice_suggestions(
        &self,
        invoice: &InvoiceRecord,
        expected_version: i64,
        items: &[NewInvoiceItem],
        actor: &Actor,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let version = claim_version(&mut transaction, invoice.id, expected_version).await?;
        insert_items(&mut transaction, invoice.id, items).await?;
        record_change(
            &mut transaction,
            actor,
            "invoice.suggest",
            "invoice",
            invoice.id.to_string(),
            json!({ "items": items_json(items) }),
        )
        .await?;
        transaction.commit().await?;
        Ok(version)
    }

    /// Moves the invoice to `status` (submitted, deleted, authorised, ...), with the reason
    /// the council gave. Returns the new version.
    pub async fn change_invoice_status(
        &self,
        invoice: &InvoiceRecord,
        expected_version: i64,
        status: InvoiceStatus,
        reason: &str,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let version = claim_version(&mut transaction, invoice.id, expected_version).await?;
        let now = now_text();
        sqlx::query(
            "update invoice set status = $2, status_reason = $3,
                submitted_at = case when $2 = 'pending' then $4 else submitted_at end
             where id = $1",
        )
        .bind(invoice.id)
        .bind(status.code())
        .bind(reason)
        .bind(now.as_str())
        .execute(&mut *transaction)
        .await?;
        record_change(
            &mut transaction,
            actor,
            &format!("invoice.{}", status.code()),
            "invoice",
            invoice.id.to_string(),
            json!({ "old": invoice.status.code(), "new": status.code(), "reason": reason }),
        )
        .await?;
        self.notify_invoice_status(&mut transaction, invoice, status, reason, actor)
            .await?;
        transaction.commit().await?;
        Ok(version)
    }

    /// Keeps a supporting file (superseding any earlier one). Returns the new version.
    pub async fn attach_to_invoice(
        &self,
        invoice: &InvoiceRecord,
        expected_version: i64,
        file_name: &str,
        content_type: &str,
        content: &[u8],
        actor: &Actor,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let version = claim_version(&mut transaction, invoice.id, expected_version).await?;
        let now = now_text();
        sqlx::query(
            "update invoice_attachment set superseded_at = $2
             where invoice_id = $1 and superseded_at is null",
        )
        .bind(invoice.id)
        .bind(now.as_str())
        .execute(&mut *transaction)
        .await?;
        let size = i64::try_from(content.len()).unwrap_or(i64::MAX);
        sqlx::query(
            "insert into invoice_attachment (invoice_id, file_name, content_type, content, size_bytes,
                uploaded_at, uploaded_by)
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(invoice.id)
        .bind(file_name)
        .bind(content_type)
        .bind(content.to_vec())
        .bind(size)
        .bind(now.as_str())
        .bind(actor.principal.person_id())
        .execute(&mut *transaction)
        .await?;
        record_change(
            &mut transaction,
            actor,
            "invoice.attach",
            "invoice",
            invoice.id.to_string(),
            json!({ "file_name": file_name, "content_type": content_type, "size_bytes": size }),
        )
        .await?;
        transaction.commit().await?;
        Ok(version)
    }

    /// The current attachment's name, type and bytes.
    pub async fn invoice_attachment(
        &self,
        invoice_id: i64,
    ) -> StoreResult<Option<(String, String, Vec<u8>)>> {
        Ok(sqlx::query_as(
            "select file_name, content_type, content from invoice_attachment
             where invoice_id = $1 and superseded_at is null order by id desc limit 1",
        )
        .bind(invoice_id)
        .fetch_optional(self.pool())
        .await?)
    }
}
