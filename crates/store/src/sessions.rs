//! Signed-in sessions: a family of refresh tokens, each used once (OWASP ASVS 3.x).
//!
//! Only a hash of each token is stored. Presenting a token rotates it: the old one is
//! marked used and a new one joins the family. A used token presented again means a copy
//! was stolen, so the whole family is revoked and both holders must sign in again.

use sqlx::FromRow;
use time::OffsetDateTime;

use crate::sql::{timestamp, timestamp_text};
use crate::{Store, StoreResult};

/// What presenting a refresh token came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rotation {
    /// The token was live: it is used up, and the new one replaces it.
    Rotated { user_id: i64, family_id: String },
    /// The token had been used before: the family is now revoked.
    Reused { user_id: i64, family_id: String },
    /// Unknown, expired, or of a revoked session.
    Refused,
}

#[derive(FromRow)]
struct TokenRow {
    family_id: String,
    user_id: i64,
    expires_at: String,
    used_at: Option<String>,
    revoked_at: Option<String>,
}

impl Store {
    /// Starts a session for a user with its first refresh token.
    pub async fn start_session(
        &self,
        family_id: &str,
        user_id: i64,
        token_hash: &str,
        now: OffsetDateTime,
        expires_at: OffsetDateTime,
    ) -> StoreResult<()> {
        let mut transaction = self.pool().begin().await?;
        sqlx::query("insert into session_family (id, user_id, created_at) values ($1, $2, $3)")
            .bind(family_id)
            .bind(user_id)
            .bind(timestamp_text(now))
            .execute(&mut *transaction)
            .await?;
        sqlx::query(
            "insert into refresh_token (token_hash, family_id, created_at, expires_at)
             values ($1, $2, $3, $4)",
        )
        .bind(token_hash)
        .bind(family_id)
        .bind(timestamp_text(now))
        .bind(timestamp_text(expires_at))
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(())
    }

    /// When the session began, to cap its whole length.
    pub async fn session_started(&self, family_id: &str) -> StoreResult<Option<OffsetDateTime>> {
        let started: Option<String> =
            sqlx::query_scalar("select created_at from session_family where id = $1")
                .bind(family_id)
                .fetch_optional(self.pool())
                .await?;
        started.map(|text| timestamp(&text)).transpose()
    }

    /// Uses a refresh token up and, when it was live, adds its successor, in one
    /// transaction. A second presentation of the same token revokes its family.
    pub async fn rotate_refresh_token(
        &self,
        token_hash: &str,
        new_token_hash: &str,
        now: OffsetDateTime,
        new_expires_at: OffsetDateTime,
    ) -> StoreResult<Rotation> {
        let mut transaction = self.pool().begin().await?;
        let row: Option<TokenRow> = sqlx::query_as(
            "select t.family_id, f.user_id, t.expires_at, t.used_at, f.revoked_at
             from refresh_token t join session_family f on f.id = t.family_id
             where t.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut *transaction)
        .await?;
        let Some(row) = row else {
            return Ok(Rotation::Refused);
        };
        if row.revoked_at.is_some() {
            return Ok(Rotation::Refused);
        }
        let now_text = timestamp_text(now);
        // Only one presenter can mark it used; a concurrent one sees it as reused.
        let marked = if row.used_at.is_none() {
            sqlx::query(
                "update refresh_token set used_at = $1 where token_hash = $2 and used_at is null",
            )
            .bind(&now_text)
            .bind(token_hash)
            .execute(&mut *transaction)
            .await?
            .rows_affected()
        } else {
            0
        };
        if marked == 0 {
            revoke_family(
                &mut transaction,
                &row.family_id,
                "refresh token reused",
                &now_text,
            )
            .await?;
            transaction.commit().await?;
            return Ok(Rotation::Reused {
                user_id: row.user_id,
                family_id: row.family_id,
            });
        }
        if timestamp(&row.expires_at)? <= now {
            transaction.commit().await?;
            return Ok(Rotation::Refused);
        }
        sqlx::query(
            "insert into refresh_token (token_hash, family_id, created_at, expires_at)
             values ($1, $2, $3, $4)",
        )
        .bind(new_token_hash)
        .bind(&row.family_id)
        .bind(&now_text)
        .bind(timestamp_text(new_expires_at))
        .execute(&mut *transaction)
        .await?;
        transaction.commit().await?;
        Ok(Rotation::Rotated {
            user_id: row.user_id,
            family_id: row.family_id,
        })
    }

    /// Ends the session a refresh token belongs to (sign out). Returns its user, if any.
    pub async fn end_session(
        &self,
        token_hash: &str,
        now: OffsetDateTime,
    ) -> StoreResult<Option<i64>> {
        let mut transaction = self.pool().begin().await?;
        let row: Option<(String, i64)> = sqlx::query_as(
            "select t.family_id, f.user_id from refresh_token t
             join session_family f on f.id = t.family_id where t.token_hash = $1",
        )
        .bind(token_hash)
        .fetch_optional(&mut *transaction)
        .await?;
        let Some((family_id, user_id)) = row else {
            return Ok(None);
        };
        revoke_family(
            &mut transaction,
            &family_id,
            "signed out",
            &timestamp_text(now),
        )
        .await?;
        transaction.commit().await?;
        Ok(Some(user_id))
    }

    /// Ends every session of a user but `keep` (after a password change, or a lock).
    pub async fn end_other_sessions(
        &self,
        user_id: i64,
        keep: Option<&str>,
        reason: &str,
        now: OffsetDateTime,
    ) -> StoreResult<u64> {
        Ok(sqlx::query(
            "update session_family set revoked_at = $1, revoked_reason = $2
             where user_id = $3 and revoked_at is null and id <> $4",
        )
        .bind(timestamp_text(now))
        .bind(reason)
        .bind(user_id)
        .bind(keep.unwrap_or(""))
        .execute(self.pool())
        .await?
        .rows_affected())
    }
}

async fn revoke_family(
    transaction: &mut sqlx::Transaction<'_, sqlx::Any>,
    family_id: &str,
    reason: &str,
    now_text: &str,
) -> StoreResult<()> {
    sqlx::query(
        "update session_family set revoked_at = $1, revoked_reason = $2
         where id = $3 and revoked_at is null",
    )
    .bind(now_text)
    .bind(reason)
    .bind(family_id)
    .execute(&mut **transaction)
    .await?;
    Ok(())
}

impl Store {
    /// Whether an access token's session still stands: not signed out, not revoked, and its
    /// person not locked. Checked on every request, so those end a token at once.
    pub async fn session_is_live(&self, user_id: i64, family_id: &str) -> StoreResult<bool> {
        let live: Option<i64> = sqlx::query_scalar(
            "select f.user_id from session_family f join app_user u on u.id = f.user_id
             where f.id = $1 and f.user_id = $2 and f.revoked_at is null and u.is_locked = 0",
        )
        .bind(family_id)
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(live.is_some())
    }

    /// The live session a refresh token belongs to, if any.
    pub async fn session_of(&self, token_hash: &str) -> StoreResult<Option<String>> {
        Ok(sqlx::query_scalar(
            "select t.family_id from refresh_token t join session_family f on f.id = t.family_id
             where t.token_hash = $1 and f.revoked_at is null",
        )
        .bind(token_hash)
        .fetch_optional(self.pool())
        .await?)
    }
}
