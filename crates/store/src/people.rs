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
}

impl From<UserRow> for UserRecord {
    fn from(row: UserRow) -> Self {
        UserRecord {
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
        }
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
    pub expires_at: OffsetDateTime,
}

/// After this many consecutive failures an account locks (DOMAIN 14).
pub const FAILURES_BEFORE_LOCK: i64 = 5;

const USER_SELECT: &str =
    "select id, email, name, kind, council_id, password_hash, failed_attempts, is_locked from app_user";

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
        Ok(row.map(UserRecord::from))
    }

    pub async fn user(&self, user_id: i64) -> StoreResult<Option<UserRecord>> {
        let row: Option<UserRow> = sqlx::query_as(&format!("{USER_SELECT} where id = $1"))
            .bind(user_id)
            .fetch_optional(self.pool())
            .await?;
        Ok(row.map(UserRecord::from))
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
        expires_at: OffsetDateTime,
    ) -> StoreResult<()> {
        sqlx::query(
            "insert into login_challenge (id, user_id, positions, created_at, expires_at) values ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(user_id)
        .bind(positions)
        .bind(now_text())
        .bind(timestamp_text(expires_at))
        .execute(self.pool())
        .await?;
        Ok(())
    }

    /// Uses a challenge up: it answers once, whatever the answer, so digits cannot be
    /// guessed against one set of positions. `None` when unknown or already used.
    pub async fn take_login_challenge(&self, id: &str) -> StoreResult<Option<ChallengeRecord>> {
        let row: Option<(i64, String, String)> = sqlx::query_as(
            "update login_challenge set used_at = $1 where id = $2 and used_at is null
             returning user_id, positions, expires_at",
        )
        .bind(now_text())
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        row.map(|(user_id, positions, expires_at)| {
            Ok(ChallengeRecord {
                user_id,
                positions,
                expires_at: timestamp(&expires_at)?,
            })
        })
        .transpose()
    }

    /// Counts a failure; the fifth in a row locks the account. Returns whether it is locked.
    pub async fn record_sign_in_failure(&self, user_id: i64) -> StoreResult<bool> {
        let locked: i64 = sqlx::query_scalar(
            "update app_user set failed_attempts = failed_attempts + 1,
                    is_locked = case when failed_attempts + 1 >= $1 then 1 else is_locked end
             where id = $2 returning is_locked",
        )
        .bind(FAILURES_BEFORE_LOCK)
        .bind(user_id)
        .fetch_one(self.pool())
        .await?;
        Ok(locked != 0)
    }

    pub async fn record_sign_in_success(&self, user_id: i64) -> StoreResult<()> {
        sqlx::query("update app_user set failed_attempts = 0, last_sign_in_at = $1 where id = $2")
            .bind(now_text())
            .bind(user_id)
            .execute(self.pool())
            .await?;
        Ok(())
    }
}
