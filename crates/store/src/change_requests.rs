//! Change requests (DOMAIN 10): a provider's request to change its organisation's, a
//! service's or a contact's details, for a new contact, or for a role added or removed. A
//! request belongs to one council and the organisation its requester acted for; a provider
//! reaches only its organisations' requests, council staff their council's. The decision
//! updates the request at the version the caller read and, for an approval, applies the
//! change, each with its audit row, in the same transaction. Nothing is deleted but a
//! removed role's membership.

use portal_domain::change_request::{ChangeKind, ChangeStatus};
use serde_json::{json, Map, Value};
use sqlx::FromRow;

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::edits::{apply_edit, Editable, NewValue};
use crate::sql::now_text;
use crate::{Scope, Store, StoreError, StoreResult};

/// A request about to be made, already checked by the caller.
#[derive(Debug, Clone)]
pub struct NewChangeRequest<'a> {
    pub council_id: i64,
    pub organisation_id: i64,
    pub kind: ChangeKind,
    /// The organisation, service or contact; `None` for a new contact.
    pub target_id: Option<i64>,
    pub entity_name: &'a str,
    /// (field, old, new), only fields that change.
    pub changes: &'a [(&'static str, String, String)],
}

/// One change request as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeRequestRecord {
    pub id: i64,
    pub council_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub kind: ChangeKind,
    pub target_id: Option<i64>,
    pub entity_name: String,
    /// (field, old, new), in the kind's order of fields.
    pub changes: Vec<(&'static str, String, String)>,
    pub status: ChangeStatus,
    pub requested_by: String,
    pub requested_at: String,
    pub decided_by: Option<String>,
    pub decided_at: Option<String>,
    pub rejection_reason: String,
    pub version: i64,
}

/// A contact of an organisation: an account acting for it, and its role there.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ContactRecord {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub job_title: String,
    pub role: String,
}

/// What approving a request does, worked out by the caller from the request.
#[derive(Debug, Clone)]
pub enum Application<'a> {
    /// The request's changes to its organisation's or service's columns.
    EditDetails,
    /// The request's changes to its contact's account.
    EditContact,
    /// A new provider account acting for the request's organisation, with a one-time
    /// password it replaces at first sign-in.
    NewContact { temporary_password_hash: &'a str },
    /// The request's contact gets (or changes to) the requested role in its organisation.
    SetRole,
    /// The request's contact no longer acts for its organisation.
    RemoveRole,
}

#[derive(FromRow)]
struct ChangeRequestRow {
    id: i64,
    council_id: i64,
    organisation_id: i64,
    organisation_name: String,
    kind: String,
    target_id: Option<i64>,
    entity_name: String,
    changes: String,
    status: String,
    requested_by: String,
    requested_at: String,
    decided_by: Option<String>,
    decided_at: Option<String>,
    rejection_reason: String,
    version: i64,
}

impl ChangeRequestRow {
    fn into_record(self) -> StoreResult<ChangeRequestRecord> {
        let kind = ChangeKind::from_code(&self.kind)
            .ok_or_else(|| StoreError::Corrupt(format!("change_request.kind {}", self.kind)))?;
        let status = ChangeStatus::from_code(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("change_request.status {}", self.status)))?;
        let stored: Map<String, Value> = serde_json::from_str(&self.changes)
            .map_err(|error| StoreError::Corrupt(format!("change_request.changes: {error}")))?;
        let text = |value: &Value, part: &str| {
            value[part].as_str().map(str::to_owned).ok_or_else(|| {
                StoreError::Corrupt(format!("change_request.changes without `{part}`"))
            })
        };
        let mut changes = Vec::new();
        for field in kind.fields() {
            if let Some(value) = stored.get(field.name) {
                changes.push((field.name, text(value, "old")?, text(value, "new")?));
            }
        }
        if changes.len() != stored.len() {
            return Err(StoreError::Corrupt(format!(
                "change_request {} names fields {} does not change",
                self.id,
                kind.code()
            )));
        }
        Ok(ChangeRequestRecord {
            id: self.id,
            council_id: self.council_id,
            organisation_id: self.organisation_id,
            organisation_name: self.organisation_name,
            kind,
            target_id: self.target_id,
            entity_name: self.entity_name,
            changes,
            status,
            requested_by: self.requested_by,
            requested_at: self.requested_at,
            decided_by: self.decided_by,
            decided_at: self.decided_at,
            rejection_reason: self.rejection_reason,
            version: self.version,
        })
    }
}

const CHANGE_REQUEST_COLUMNS: &str = "r.id, r.council_id, r.organisation_id,
    o.name as organisation_name, r.kind, r.target_id, r.entity_name, r.changes, r.status,
    u.name as requested_by, r.requested_at, d.name as decided_by, r.decided_at,
    r.rejection_reason, r.version
    from change_request r
    join organisation o on o.id = r.organisation_id
    join app_user u on u.id = r.requested_by
    left join app_user d on d.id = r.decided_by";

fn changes_json(changes: &[(&'static str, String, String)]) -> Value {
    Value::Object(
        changes
            .iter()
            .map(|(field, old, new)| ((*field).to_owned(), json!({"old": old, "new": new})))
            .collect(),
    )
}

fn person_of(actor: &Actor) -> StoreResult<i64> {
    actor
        .principal
        .person_id()
        .ok_or_else(|| StoreError::Corrupt("change requests are made and decided by people".into()))
}

/// Refuses (409) an email address another account has.
async fn refuse_taken_email(
    connection: &mut sqlx::AnyConnection,
    email: &str,
    except_user: Option<i64>,
) -> StoreResult<()> {
    let taken: Option<i64> =
        sqlx::query_scalar("select id from app_user where lower(email) = lower($1) and id <> $2")
            .bind(email)
            .bind(except_user.unwrap_or(0))
            .fetch_optional(&mut *connection)
            .await?;
    match taken {
        Some(_) => Err(StoreError::NoLongerOpen(format!(
            "{email} already has an account: the change cannot be applied."
        ))),
        None => Ok(()),
    }
}

impl Store {
    /// Makes a request, Pending Review, with its audit row, in one transaction. Returns its id.
    pub async fn create_change_request(
        &self,
        request: &NewChangeRequest<'_>,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let person = person_of(actor)?;
        let changes = changes_json(request.changes);
        let mut transaction = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into change_request (council_id, organisation_id, kind, target_id, entity_name,
                changes, status, requested_by, requested_at, rejection_reason, version)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, '', 1) returning id",
        )
        .bind(request.council_id)
        .bind(request.organisation_id)
        .bind(request.kind.code())
        .bind(request.target_id)
        .bind(request.entity_name)
        .bind(changes.to_string())
        .bind(ChangeStatus::PendingReview.code())
        .bind(person)
        .bind(now_text())
        .fetch_one(&mut *transaction)
        .await?;
        record_change(
            &mut transaction,
            actor,
            "change_request.raise",
            "change_request",
            id.to_string(),
            json!({
                "new": {
                    "organisation_id": request.organisation_id,
                    "kind": request.kind.code(),
                    "target_id": request.target_id,
                    "changes": changes,
                    "status": ChangeStatus::PendingReview.code(),
                    "version": 1,
                }
            }),
        )
        .await?;
        transaction.commit().await?;
        Ok(id)
    }

    /// One change request in `scope`.
    pub async fn change_request(
        &self,
        scope: &Scope,
        id: i64,
    ) -> StoreResult<Option<ChangeRequestRecord>> {
        let (condition, ids) = scope.condition("r.organisation_id", "r.council_id", 2);
        let sql = format!("select {CHANGE_REQUEST_COLUMNS} where r.id = $1 and {condition}");
        let mut query = sqlx::query_as::<_, ChangeRequestRow>(&sql).bind(id);
        for id in ids {
            query = query.bind(id);
        }
        query
            .fetch_optional(self.pool())
            .await?
            .map(ChangeRequestRow::into_record)
            .transpose()
    }

    /// The change requests in `scope` with one of `statuses` (every status when empty),
    /// the newest first.
    pub async fn change_requests(
        &self,
        scope: &Scope,
        statuses: &[ChangeStatus],
    ) -> StoreResult<Vec<ChangeRequestRecord>> {
        let status_condition = if statuses.is_empty() {
            "1 = 1".to_owned()
        } else {
            let placeholders: Vec<String> = (1..=statuses.len())
                .map(|index| format!("${index}"))
                .collect();
            format!("r.status in ({})", placeholders.join(", "))
        };
        let (condition, ids) =
            scope.condition("r.organisation_id", "r.council_id", statuses.len() + 1);
        let sql = format!(
            "select {CHANGE_REQUEST_COLUMNS} where {status_condition} and {condition}
             order by r.requested_at desc, r.id desc"
        );
        let mut query = sqlx::query_as::<_, ChangeRequestRow>(&sql);
        for status in statuses {
            query = query.bind(status.code());
        }
        for id in ids {
            query = query.bind(id);
        }
        query
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(ChangeRequestRow::into_record)
            .collect()
    }

    /// The accounts acting for an organisation, with their role there, by name.
    pub async fn organisation_contacts(
        &self,
        organisation_id: i64,
    ) -> StoreResult<Vec<ContactRecord>> {
        Ok(sqlx::query_as(
            "select u.id, u.name, u.email, u.phone, u.job_title, m.role
             from user_organisation m join app_user u on u.id = m.user_id
             where m.organisation_id = $1 and u.kind = 'provider'
             order by u.name, u.id",
        )
        .bind(organisation_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// The council an organisation is contracted with.
    pub async fn organisation_council(&self, organisation_id: i64) -> StoreResult<Option<i64>> {
        let council: Option<Option<i64>> =
            sqlx::query_scalar("select council_id from organisation where id = $1")
                .bind(organisation_id)
                .fetch_optional(self.pool())
                .await?;
        Ok(council.flatten())
    }

    /// Whether an account already has this email address.
    pub async fn email_taken(&self, email: &str) -> StoreResult<bool> {
        let taken: Option<i64> =
            sqlx::query_scalar("select id from app_user where lower(email) = lower($1)")
                .bind(email.trim())
                .fetch_optional(self.pool())
                .await?;
        Ok(taken.is_some())
    }

    /// Rejects a request still Pending Review at `expected_version`, with its reason and
    /// audit row, in one transaction; nothing else changes. Returns the new version.
    pub async fn reject_change_request(
        &self,
        request: &ChangeRequestRecord,
        expected_version: i64,
        reason: &str,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let person = person_of(actor)?;
        let mut transaction = self.pool().begin().await?;
        let version = decide(
            &mut transaction,
            request.id,
            expected_version,
            ChangeStatus::Rejected,
            reason,
            person,
        )
        .await?;
        record_change(
            &mut transaction,
            actor,
            "change_request.reject",
            "change_request",
            request.id.to_string(),
            json!({
                "old": {"status": request.status.code()},
                "new": {"status": ChangeStatus::Rejected.code(), "rejection_reason": reason, "version": version},
            }),
        )
        .await?;
        transaction.commit().await?;
        Ok(version)
    }

    /// Approves a request still Pending Review at `expected_version` and applies it, each
    /// with its audit row, in one transaction: a stale version, or a change that can no
    /// longer be applied (an email address taken meanwhile, a record gone), writes nothing.
    /// Returns the new version and, for a new contact, the new account's id.
    pub async fn approve_change_request(
        &self,
        request: &ChangeRequestRecord,
        expected_version: i64,
        application: Application<'_>,
        actor: &Actor,
    ) -> StoreResult<(i64, Option<i64>)> {
        let person = person_of(actor)?;
        let mut transaction = self.pool().begin().await?;
        let new_value = |field: &str| {
            request
                .changes
                .iter()
                .find(|(name, _, _)| *name == field)
                .map(|(_, _, new)| new.clone())
        };
        let gone = || {
            StoreError::NoLongerOpen(format!(
                "{} is no longer there to change.",
                request.entity_name
            ))
        };
        let mut created = None;
        match application {
            Application::EditDetails => {
                let editable = match request.kind {
                    ChangeKind::UpdateOrganisation => Editable::Organisation,
                    ChangeKind::UpdateService => Editable::Service,
                    other => {
                        return Err(StoreError::Corrupt(format!(
                            "{} is not an edit of details",
                            other.code()
                        )))
                    }
                };
                let target = request.target_id.ok_or_else(gone)?;
                let table = match editable {
                    Editable::Organisation => "organisation",
                    _ => "service",
                };
                let current: Option<i64> =
                    sqlx::query_scalar(&format!("select version from {table} where id = $1"))
                        .bind(target)
                        .fetch_optional(&mut *transaction)
                        .await?;
                let current = current.ok_or_else(gone)?;
                let changes: Vec<(&'static str, NewValue)> = request
                    .changes
                    .iter()
                    .map(|(field, _, new)| (*field, NewValue::Text(new.clone())))
                    .collect();
                let version = apply_edit(
                    &mut transaction,
                    editable,
                    request.council_id,
                    target,
                    current,
                    &changes,
                )
                .await?
                .ok_or_else(gone)?;
                record_change(
                    &mut transaction,
                    actor,
                    &format!("{table}.edit"),
                    table,
                    target.to_string(),
                    json!({
                        "version": version,
                        "change_request_id": request.id,
                        "old": request.changes.iter().map(|(f, old, _)| ((*f).to_owned(), json!(old))).collect::<Map<_, _>>(),
                        "new": request.changes.iter().map(|(f, _, new)| ((*f).to_owned(), json!(new))).collect::<Map<_, _>>(),
                    }),
                )
                .await?;
            }
            Application::EditContact => {
                let target = request.target_id.ok_or_else(gone)?;
                if let Some(email) = new_value("email") {
                    refuse_taken_email(&mut transaction, &email, Some(target)).await?;
                }
                let assignments: Vec<String> = request
                    .changes
                    .iter()
                    .enumerate()
                    .map(|(index, (field, _, _))| format!("{field} = ${}", index + 1))
                    .collect();
                let sql = format!(
                    "update app_user set {}, version = version + 1 where id = ${} and kind = 'provider'",
                    assignments.join(", "),
                    request.changes.len() + 1
                );
                let mut query = sqlx::query(&sql);
                for (field, _, new) in &request.changes {
                    query = query.bind(if *field == "email" {
                        new.trim().to_lowercase()
                    } else {
                        new.clone()
                    });
                }
                let changed = query
                    .bind(target)
                    .execute(&mut *transaction)
                    .await?
                    .rows_affected();
                if changed == 0 {
                    return Err(gone());
                }
                record_change(
                    &mut transaction,
                    actor,
                    "account.edit",
                    "user",
                    target.to_string(),
                    json!({
                        "change_request_id": request.id,
                        "old": request.changes.iter().map(|(f, old, _)| ((*f).to_owned(), json!(old))).collect::<Map<_, _>>(),
                        "new": request.changes.iter().map(|(f, _, new)| ((*f).to_owned(), json!(new))).collect::<Map<_, _>>(),
                    }),
                )
                .await?;
            }
            Application::NewContact {
                temporary_password_hash,
            } => {
                let email = new_value("email").unwrap_or_default().trim().to_lowercase();
                let name = new_value("name").unwrap_or_default();
                let role = new_value("role").unwrap_or_default();
                refuse_taken_email(&mut transaction, &email, None).await?;
                let id: i64 = sqlx::query_scalar(
                    "insert into app_user (email, name, kind, council_id, password_hash, created_at, phone,
                                           job_title, team, must_change_password, needs_security_code)
                     values ($1, $2, 'provider', null, $3, $4, $5, $6, '', 1, 1) returning id",
                )
                .bind(&email)
                .bind(&name)
                .bind(temporary_password_hash)
                .bind(now_text())
                .bind(new_value("phone").unwrap_or_default())
                .bind(new_value("job_title").unwrap_or_default())
                .fetch_one(&mut *transaction)
                .await?;
                sqlx::query(
                    "insert into user_organisation (user_id, organisation_id, role) values ($1, $2, $3)",
                )
                .bind(id)
                .bind(request.organisation_id)
                .bind(&role)
                .execute(&mut *transaction)
                .await?;
                sqlx::query("update change_request set target_id = $1 where id = $2")
                    .bind(id)
                    .bind(request.id)
                    .execute(&mut *transaction)
                    .await?;
                record_change(
                    &mut transaction,
                    actor,
                    "account.created",
                    "user",
                    id.to_string(),
                    json!({
                        "change_request_id": request.id,
                        "email": email,
                        "name": name,
                        "kind": "provider",
                        "memberships": [{"organisation_id": request.organisation_id, "role": role}],
                    }),
                )
                .await?;
                created = Some(id);
            }
            Application::SetRole => {
                let target = request.target_id.ok_or_else(gone)?;
                let role = new_value("role").unwrap_or_default();
                let changed = sqlx::query(
                    "update user_organisation set role = $1 where user_id = $2 and organisation_id = $3",
                )
                .bind(&role)
                .bind(target)
                .bind(request.organisation_id)
                .execute(&mut *transaction)
                .await?
                .rows_affected();
                if changed == 0 {
                    sqlx::query(
                        "insert into user_organisation (user_id, organisation_id, role) values ($1, $2, $3)",
                    )
                    .bind(target)
                    .bind(request.organisation_id)
                    .bind(&role)
                    .execute(&mut *transaction)
                    .await?;
                }
                record_change(
                    &mut transaction,
                    actor,
                    "membership.role_set",
                    "user",
                    target.to_string(),
                    json!({
                        "change_request_id": request.id,
                        "organisation_id": request.organisation_id,
                        "old": {"role": request.changes.first().map(|(_, old, _)| old.clone())},
                        "new": {"role": role},
                    }),
                )
                .await?;
            }
            Application::RemoveRole => {
                let target = request.target_id.ok_or_else(gone)?;
                let removed = sqlx::query(
                    "delete from user_organisation where user_id = $1 and organisation_id = $2",
                )
                .bind(target)
                .bind(request.organisation_id)
                .execute(&mut *transaction)
                .await?
                .rows_affected();
                if removed == 0 {
                    return Err(gone());
                }
                record_change(
                    &mut transaction,
                    actor,
                    "membership.removed",
                    "user",
                    target.to_string(),
                    json!({
                        "change_request_id": request.id,
                        "organisation_id": request.organisation_id,
                        "old": {"role": request.changes.first().map(|(_, old, _)| old.clone())},
                    }),
                )
                .await?;
            }
        }
        let version = decide(
            &mut transaction,
            request.id,
            expected_version,
            ChangeStatus::Approved,
            "",
            person,
        )
        .await?;
        record_change(
            &mut transaction,
            actor,
            "change_request.approve",
            "change_request",
            request.id.to_string(),
            json!({
                "old": {"status": request.status.code()},
                "new": {"status": ChangeStatus::Approved.code(), "version": version, "target_id": created.or(request.target_id)},
            }),
        )
        .await?;
        transaction.commit().await?;
        Ok((version, created))
    }
}

/// Sets the decision on a request still Pending Review at `expected_version`; a request
/// someone changed first is refused as stale. Returns the new version.
async fn decide(
    connection: &mut sqlx::AnyConnection,
    id: i64,
    expected_version: i64,
    to: ChangeStatus,
    reason: &str,
    person: i64,
) -> StoreResult<i64> {
    let updated: Option<i64> = sqlx::query_scalar(
        "update change_request set status = $1, rejection_reason = $2, decided_by = $3,
             decided_at = $4, version = version + 1
         where id = $5 and version = $6 and status = $7 returning version",
    )
    .bind(to.code())
    .bind(reason)
    .bind(person)
    .bind(now_text())
    .bind(id)
    .bind(expected_version)
    .bind(ChangeStatus::PendingReview.code())
    .fetch_optional(&mut *connection)
    .await?;
    match updated {
        Some(version) => Ok(version),
        None => {
            let current: i64 =
                sqlx::query_scalar("select version from change_request where id = $1")
                    .bind(id)
                    .fetch_one(&mut *connection)
                    .await?;
            Err(StoreError::StaleVersion {
                sent: expected_version,
                current,
            })
        }
    }
}
