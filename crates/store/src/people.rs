//! People who sign in: provider contacts and council staff, their organisations, and the
//! state of a sign-in between the password and the security-code digits.

use sqlx::FromRow;
use time::OffsetDateTime;

use crate::sql::{now_text, timestamp, timestamp_text};
use crate::{Store, StoreResult};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserKind {
    Provider,
    Council,
}

impl UserKind {
    pub fn code(&self) -> &'static str {
        match self {
            UserKind::Provider => "provider",
            UserKind::Council => "council",
        }
    }
}

#[derive(Debug, Clone)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub kind: UserKind,
    pub council_id: Option<i64>,
    /// argon2id PHC string.
    pub password_hash: String,
    pub failed_attempts: i64,
    pub is_locked: bool,
    /// `failures`, `inactive` or `council`, while locked.
    pub locked_reason: Option<String>,
    pub must_change_password: bool,
    pub needs_security_code: bool,
    pub last_sign_in_at: Option<OffsetDateTime>,
    pub created_at: OffsetDateTime,
    pub phone: String,
    pub job_title: String,
    pub team: String,
    pub version: i64,
}

impl UserRecord {
    /// A new account must choose its password and security code before anything else.
    pub fn needs_set_up(&self) -> bool {
        self.must_change_password || self.needs_security_code
    }

    /// When the account was last used: its last sign-in, or its creation.
    pub fn last_used(&self) -> OffsetDateTime {
        self.last_sign_in_at.unwrap_or(self.created_at)
    }
}

#[derive(FromRow)]
struct UserRow {
    id: i64,
    email: String,
    name: String,
    kind: String,
    council_id: Option<i64>,
    password_hash: String,
    failed_attempts: i64,
    is_locked: i64,
    locked_reason: Option<String>,
    must_change_password: i64,
    needs_security_code: i64,
    last_sign_in_at: Option<String>,
    created_at: String,
    phone: String,
    job_title: String,
    team: String,
    version: i64,
}

impl TryFrom<UserRow> for UserRecord {
    type Error = crate::StoreError;

    fn try_from(row: UserRow) -> Result<Self, Self::Error> {
        Ok(UserRecord {
            id: row.id,
            email: row.email,
            name: row.name,
            kind: if row.kind == "council" {
                UserKind::Council
            } else {
                UserKind::Provider
            },
            council_id: row.council_id,
            password_hash: row.password_hash,
            failed_attempts: row.failed_attempts,
            is_locked: row.is_locked != 0,
            locked_reason: row.locked_reason,
            must_change_password: row.must_change_password != 0,
            needs_security_code: row.needs_security_code != 0,
            last_sign_in_at: row.last_sign_in_at.as_deref().map(timestamp).transpose()?,
            created_at: timestamp(&row.created_at)?,
            phone: row.phone,
            job_title: row.job_title,
            team: row.team,
            version: row.version,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct MembershipRecord {
    pub organisation_id: i64,
    pub organisation_name: String,
    pub role: String,
}

pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub kind: UserKind,
    pub council_id: Option<i64>,
    pub password_hash: &'a str,
}

/// A password check that passed, waiting for its digits.
#[derive(Debug, Clone)]
pub struct ChallengeRecord {
    pub user_id: i64,
    pub positions: String,
    /// The second factors it accepts, space-separated: `digits`, `authenticator`.
    pub methods: String,
    pub expires_at: OffsetDateTime,
}

/// A subquery: the council of user `$1`, its own for council staff, else that of its first
/// organisation.
pub(crate) const COUNCIL_OF_USER: &str = "select coalesce(u.council_id,
        (select min(o.council_id) from user_organisation m
         join organisation o on o.id = m.organisation_id
         where m.user_id = u.id))
     from app_user u where u.id = $1";

/// After this many consecutive failures an account locks (DOMAIN 14).
pub const FAILURES_BEFORE_LOCK: i64 = 5;

const USER_SELECT: &str =
    "select id, email, name, kind, council_id, password_hash, failed_attempts, is_locked, locked_reason,
            must_change_password, needs_security_code, last_sign_in_at, created_at, phone, job_title,
            team, version
     from app_user";

impl Store {
    pub async fn create_user(&self, new: &NewUser<'_>) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "insert into app_user (email, name, kind, council_id, password_hash, created_at)
             values ($1, $2, $3, $4, $5, $6) returning id",
        )
        .bind(new.email.trim().to_lowercase())
        .bind(new.name)
        .bind(new.kind.code())
        .bind(new.council_id)
        .bind(new.password_hash)
        .bind(now_text())
        .fetch_one(self.pool())
        .await?)
    }

    pub async fn add_membership(
        &self,
        user_id: i64,
        organisation_id: i64,
        role: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "insert into user_organisation (user_id, organisation_id, role) values ($1, $2, $3)",
        )
        .bind(user_id)
        .bind(organisation_id)
        .bind(role)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Replaces a user's security-code hashes, one per set of positions, atomically.
    pub async fn set_security_code_hashes(
        &self,
        user_id: i64,
        hashes: &[(String, String)],
    ) -> StoreResult<()> {
        let mut transaction = self.pool().begin().await?;
        sqlx::query("delete from security_code_hash where user_id = $1")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        for (positions, hash) in hashes {
            sqlx::query(
                "insert into security_code_hash (user_id, positions, hash) values ($1, $2, $3)",
            )
            .bind(user_id)
            .bind(positions)
            .bind(hash)
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    pub async fn user_by_email(&self, email: &str) -> StoreResult<Option<UserRecord>> {
        let row: Option<UserRow> = sqlx::query_as(&format!("{USER_SELECT} where email = $1"))
            .bind(email.trim().to_lowercase())
            .fetch_optional(self.pool())
            .await?;
        row.map(UserRecord::try_from).transpose()
    }

    pub async fn user(&self, user_id: i64) -> StoreResult<Option<UserRecord>> {
        let row: Option<UserRow> = sqlx::query_as(&format!("{USER_SELECT} where id = $1"))
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?;
        row.map(UserRecord::try_from).transpose()
    }

    pub async fn memberships(&self, user_id: i64) -> StoreResult<Vec<MembershipRecord>> {
        Ok(sqlx::query_as(
            "select o.id as organisation_id, o.name as organisation_name, m.role
             from user_organisation m join organisation o on o.id = m.organisation_id
             where m.user_id = $1 and o.is_active = 1 order by o.name",
        )
        .bind(user_id)
        .fetch_all(self.pool())
        .await?)
    }

    pub async fn security_code_hash(
        &self,
        user_id: i64,
        positions: &str,
    ) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar(
            "select hash from security_code_hash where user_id = $1 and positions = $2",
        )
        .bind(user_id)
        .bind(positions)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn create_login_challenge(
        &self,
        id: &str,
        user_id: i64,
        positions: &str,
        purpose: &str,
        methods: &str,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query(
            "insert into login_challenge (id, user_id, positions, purpose, created_at, expires_at, methods)
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(user_id)
        .bind(positions)
        .bind(purpose)
        .bind(now_text())
        .bind(timestamp_text(expires_at))
        .bind(methods)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Uses a challenge up: it answers once, whatever the answer, so digits cannot be
    /// guessed against one set of positions. `None` when unknown or already used.
    pub async fn take_login_challenge(
        &self,
        id: &str,
        purpose: &str,
    ) -> StoreResult<Option<ChallengeRecord>> {
        let row: Option<(i64, String, String, String)> = sqlx::query_as(
            "update login_challenge set used_at = $1 where id = $2 and used_at is null and purpose = $3
             returning user_id, positions, expires_at, methods",
        )
        .bind(now_text())
        .bind(id)
        .bind(purpose)
        .fetch_optional(self.pool())
        .await?;
        row.map(|(user_id, positions, expires_at, methods)| {
            Ok(ChallengeRecord {
                user_id,
                positions,
                methods,
                expires_at: timestamp(&expires_at)?,
            })
        })
        .transpose()
    }

    /// Counts a failure; the fifth in a row locks the account. Returns whether it is locked.
    pub async fn record_sign_in_failure(&self, user_id: i64) -> StoreResult<bool> {
        let locked: i64 = sqlx::query_scalar(
            "update app_user set failed_attempts = failed_attempts + 1,
                    locked_reason = case when failed_attempts + 1 >= $1 and is_locked = 0 then 'failures' else locked_reason end,
                    is_locked = case when failed_attempts + 1 >= $1 then 1 else is_locked end
             where id = $2 returning is_locked",
        )
        .bind(FAILURES_BEFORE_LOCK)
        .bind(user_id)
        .fetch_one(self.pool())
        .await?;
        Ok(locked != 0)
    }

    pub async fn record_sign_in_success(
        &self,
        user_id: i64,
        at: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query("update app_user set failed_attempts = 0, last_sign_in_at = $1 where id = $2")
            .bind(timestamp_text(at))
            .bind(user_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}

/// A new account, as council staff create it.
pub struct NewAccount<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub kind: UserKind,
    pub council_id: Option<i64>,
    pub phone: &'a str,
    pub job_title: &'a str,
    pub team: &'a str,
    /// (organisation, role) pairs, for a provider contact.
    pub memberships: &'a [(i64, String)],
    /// Of a one-time password the user must replace at first sign-in.
    pub temporary_password_hash: &'a str,
}

impl Store {
    /// Creates an account, its memberships and its audit row in one transaction. The
    /// account must choose a new password and a security code at first sign-in. `None`
    /// when the email address already has an account.
    pub async fn create_account(
        &self,
        new: &NewAccount<'_>,
        actor: &crate::actuals::Actor,
    ) -> StoreResult<Option<i64>> {
        let email = new.email.trim().to_lowercase();
        let mut transaction = self.pool().begin().await?;
        let taken: Option<i64> = sqlx::query_scalar("select id from app_user where email = $1")
            .bind(&email)
            .fetch_optional(&mut *transaction)
            .await?;
        if taken.is_some() {
            return Ok(None);
        }
        let id: i64 = sqlx::query_scalar(
            "insert into app_user (email, name, kind, council_id, password_hash, created_at, phone,
                                   job_title, team, must_change_password, needs_security_code)
             values ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, 1) returning id",
        )
        .bind(&email)
        .bind(new.name)
        .bind(new.kind.code())
        .bind(new.council_id)
        .bind(new.temporary_password_hash)
        .bind(now_text())
        .bind(new.phone)
        .bind(new.job_title)
        .bind(new.team)
        .fetch_one(&mut *transaction)
        .await?;
        for (organisation_id, role) in new.memberships {
            sqlx::query(
                "insert into user_organisation (user_id, organisation_id, role) values ($1, $2, $3)",
            )
            .bind(id)
            .bind(organisation_id)
            .bind(role)
            .execute(&mut *transaction)
            .await?;
        }
        crate::audit::record_change(
            &mut transaction,
            actor,
            "account.created",
            "user",
            id.to_string(),
            serde_json::json!({
                "email": email,
                "name": new.name,
                "kind": new.kind.code(),
                "memberships": new.memberships.iter()
                    .map(|(organisation, role)| serde_json::json!({"organisation_id": organisation, "role": role}))
                    .collect::<Vec<_>>(),
            }),
        )
        .await?;
        transaction.commit().await?;
        Ok(Some(id))
    }

    /// The accounts council staff look after: their own council's staff, and the contacts
    /// of its provider organisations.
    pub async fn accounts_of_council(&self, council_id: i64) -> StoreResult<Vec<UserRecord>> {
        let rows: Vec<UserRow> = sqlx::query_as(&format!(
            "{USER_SELECT} where council_id = $1
                or id in (select m.user_id from user_organisation m
                          join organisation o on o.id = m.organisation_id where o.council_id = $1)
             order by name, id"
        ))
        .bind(council_id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(UserRecord::try_from).collect()
    }

    /// Every membership of the council's accounts, for listing them in one query.
    pub async fn memberships_in_council(
        &self,
        council_id: i64,
    ) -> StoreResult<Vec<(i64, MembershipRecord)>> {
        let rows: Vec<(i64, i64, String, String)> = sqlx::query_as(
            "select m.user_id, o.id, o.name, m.role
             from user_organisation m join organisation o on o.id = m.organisation_id
             where o.council_id = $1 order by o.name",
        )
        .bind(council_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(user_id, organisation_id, organisation_name, role)| {
                (
                    user_id,
                    MembershipRecord {
                        organisation_id,
                        organisation_name,
                        role,
                    },
                )
            })
            .collect())
    }

    /// Locks an account (`reason`: `failures`, `inactive` or `council`). Returns whether it
    /// was unlocked before, so the lock is audited once.
    pub async fn lock_account(&self, user_id: i64, reason: &str) -> StoreResult<bool> {
        Ok(sqlx::query(
            "update app_user set is_locked = 1, locked_reason = $1, version = version + 1
             where id = $2 and is_locked = 0",
        )
        .bind(reason)
        .bind(user_id)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    /// Unlocks an account, with its audit row; the failure count starts again and the
    /// 90 days run from now. Returns whether it was locked.
    pub async fn unlock_account(
        &self,
        user_id: i64,
        at: OffsetDateTime,
        actor: &crate::actuals::Actor,
    ) -> StoreResult<bool> {
        let mut transaction = self.pool().begin().await?;
        let unlocked = sqlx::query(
            "update app_user set is_locked = 0, locked_reason = null, failed_attempts = 0,
                    last_sign_in_at = $1, version = version + 1
             where id = $2 and is_locked = 1",
        )
        .bind(timestamp_text(at))
        .bind(user_id)
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            == 1;
        if unlocked {
            crate::audit::record_change(
                &mut transaction,
                actor,
                "account.unlocked",
                "user",
                user_id.to_string(),
                serde_json::json!({}),
            )
            .await?;
        }
        transaction.commit().await?;
        Ok(unlocked)
    }

    /// First sign-in, step 1: the user's own password replaces the temporary one.
    pub async fn replace_temporary_password(
        &self,
        user_id: i64,
        password_hash: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "update app_user set password_hash = $1, must_change_password = 0, version = version + 1
             where id = $2",
        )
        .bind(password_hash)
        .bind(user_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// First sign-in, step 2: the security code is set, and the account is ready.
    pub async fn finish_set_up(
        &self,
        user_id: i64,
        code_hashes: &[(String, String)],
    ) -> StoreResult<()> {
        self.set_security_code_hashes(user_id, code_hashes).await?;
        sqlx::query(
            "update app_user set needs_security_code = 0, version = version + 1 where id = $1",
        )
        .bind(user_id)
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// A first-sign-in challenge that is still open (it is used up only when the security
    /// code is set).
    pub async fn open_set_up_challenge(&self, id: &str) -> StoreResult<Option<ChallengeRecord>> {
        let row: Option<(i64, String, String, String)> = sqlx::query_as(
            "select user_id, positions, expires_at, methods from login_challenge
             where id = $1 and used_at is null and purpose = 'set_up'",
        )
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|(user_id, positions, expires_at, methods)| {
            Ok(ChallengeRecord {
                user_id,
                positions,
                methods,
                expires_at: timestamp(&expires_at)?,
            })
        })
        .transpose()
    }
}

impl Store {
    /// The council a user would ask for help: council staff's own, or the council of the
    /// contact's first organisation. (name, contact email, contact phone).
    pub async fn help_contact(
        &self,
        user_id: i64,
    ) -> StoreResult<Option<(String, String, String)>> {
        Ok(sqlx::query_as(&format!(
            "select c.name, c.contact_email, c.contact_phone from council c
                 where c.id = ({COUNCIL_OF_USER})"
        ))
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?)
    }
}

impl Store {
    /// A signed-in user's new password, with its audit row.
    pub async fn change_password(
        &self,
        user_id: i64,
        password_hash: &str,
        actor: &crate::actuals::Actor,
    ) -> StoreResult<()> {
        let mut transaction = self.pool().begin().await?;
        sqlx::query("update app_user set password_hash = $1, version = version + 1 where id = $2")
            .bind(password_hash)
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        crate::audit::record_change(
            &mut transaction,
            actor,
            "password.changed",
            "user",
            user_id.to_string(),
            serde_json::json!({}),
        )
        .await?;
        self.notify_password_changed(&mut transaction, user_id)
            .await?;
        transaction.commit().await?;
        Ok(())
    }
}

/// A mail waiting in, or sent from, the outbox.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OutboxMail {
    pub id: i64,
    pub to_address: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
    pub sent_at: Option<String>,
}

impl Store {
    /// Records a reset link's token (its hash) for a user.
    pub async fn create_password_reset(
        &self,
        token_hash: &str,
        user_id: i64,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query(
            "insert into password_reset (token_hash, user_id, created_at, expires_at) values ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(user_id)
        .bind(timestamp_text(now))
        .bind(timestamp_text(expires_at))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Uses a reset link up: its user when it was unused and in time, else `None`. A used
    /// or late link never works again.
    pub async fn take_password_reset(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<i64>> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "update password_reset set used_at = $1 where token_hash = $2 and used_at is null
             returning user_id, expires_at",
        )
        .bind(timestamp_text(now))
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some((user_id, expires_at)) if timestamp(&expires_at)? > now => Ok(Some(user_id)),
            _ => Ok(None),
        }
    }

    /// The user of a live reset link, without using it up (so a refused password does not
    /// spend the link).
    pub async fn live_password_reset(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<i64>> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "select user_id, expires_at from password_reset where token_hash = $1 and used_at is null",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?;
        match row {
            Some((user_id, expires)) if timestamp(&expires)? > now => Ok(Some(user_id)),
            _ => Ok(None),
        }
    }

    /// A reset password: it replaces the old one, and the Password Change mail is queued
    /// with it.
    pub async fn reset_password(&self, user_id: i64, password_hash: &str) -> StoreResult<()> {
        let mut transaction = self.pool().begin().await?;
        sqlx::query(
            "update app_user set password_hash = $1, must_change_password = 0, version = version + 1
             where id = $2",
        )
        .bind(password_hash)
        .bind(user_id)
        .execute(&mut *transaction)
        .await?;
        self.notify_password_changed(&mut transaction, user_id)
            .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Puts a mail in the outbox; returns its id.
    pub async fn queue_mail(&self, to: &str, subject: &str, body: &str) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "insert into outbox (to_address, subject, body, created_at) values ($1, $2, $3, $4)
             returning id",
        )
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(now_text())
        .fetch_one(self.pool())
        .await?)
    }

    /// The newest mails first.
    pub async fn outbox(&self, limit: i64) -> StoreResult<Vec<OutboxMail>> {
        Ok(sqlx::query_as(
            "select id, to_address, subject, body, created_at, sent_at from outbox
             where channel = 'mail' order by id desc limit $1",
        )
        .bind(limit)
        .fetch_all(self.pool())
        .await?)
    }
}
