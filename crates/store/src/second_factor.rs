//! The second factor beyond the security code: a person's authenticator app (TOTP), its
//! one-time recovery codes, and which factor the person's council asks for.

use time::OffsetDateTime;

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::people::COUNCIL_OF_USER;
use crate::sql::timestamp_text;
use crate::{Store, StoreResult};

/// A person's authenticator, confirmed or still being enrolled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthenticatorRecord {
    /// Base32, as the otpauth URI carries it.
    pub secret: String,
    pub confirmed: bool,
    /// The last 30-second step a code was accepted for.
    pub last_step: i64,
}

impl Store {
    /// The second factor the person's council asks for: `digits`, `authenticator` or
    /// `user_choice`. A person without a council (none today) gets the default.
    pub async fn second_factor_policy(&self, user_id: i64) -> StoreResult<String> {
        let policy: Option<String> = sqlx::query_scalar(&format!(
            "select c.second_factor_policy from council c where c.id = ({COUNCIL_OF_USER})"
        ))
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(policy.unwrap_or_else(|| "user_choice".to_owned()))
    }

    pub async fn authenticator(&self, user_id: i64) -> StoreResult<Option<AuthenticatorRecord>> {
        let row: Option<(String, Option<String>, i64)> = sqlx::query_as(
            "select secret, confirmed_at, last_step from authenticator where user_id = $1",
        )
        .bind(user_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(
            row.map(|(secret, confirmed_at, last_step)| AuthenticatorRecord {
                secret,
                confirmed: confirmed_at.is_some(),
                last_step,
            }),
        )
    }

    /// Starts (or restarts) enrolment with a new secret. Refused (false) while a confirmed
    /// authenticator exists: that one must be removed first.
    pub async fn begin_authenticator_enrolment(
        &self,
        user_id: i64,
        secret: &str,
    ) -> StoreResult<bool> {
        let mut transaction = self.pool().begin().await?;
        let confirmed: Option<Option<String>> =
            sqlx::query_scalar("select confirmed_at from authenticator where user_id = $1")
                .bind(user_id)
                .fetch_optional(&mut *transaction)
                .await?;
        if matches!(confirmed, Some(Some(_))) {
            return Ok(false);
        }
        sqlx::query("delete from authenticator where user_id = $1")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        sqlx::query("insert into authenticator (user_id, secret, created_at) values ($1, $2, $3)")
            .bind(user_id)
            .bind(secret)
            .bind(timestamp_text(OffsetDateTime::now_utc()))
            .execute(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// Confirms the enrolment once a code from the app matched `step`, and replaces the
    /// person's recovery codes, all in one transaction with its audit row.
    pub async fn confirm_authenticator(
        &self,
        user_id: i64,
        step: i64,
        recovery_code_hashes: &[String],
        actor: &Actor,
    ) -> StoreResult<bool> {
        let mut transaction = self.pool().begin().await?;
        let changed = sqlx::query(
            "update authenticator set confirmed_at = $1, last_step = $2
             where user_id = $3 and confirmed_at is null",
        )
        .bind(timestamp_text(OffsetDateTime::now_utc()))
        .bind(step)
        .bind(user_id)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        if changed == 0 {
            return Ok(false);
        }
        sqlx::query("delete from recovery_code where user_id = $1")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        for hash in recovery_code_hashes {
            sqlx::query("insert into recovery_code (user_id, code_hash) values ($1, $2)")
                .bind(user_id)
                .bind(hash)
                .execute(&mut *transaction)
                .await?;
        }
        record_change(
            &mut transaction,
            actor,
            "authenticator.enrolled",
            "user",
            user_id.to_string(),
            serde_json::json!({ "recovery_codes": recovery_code_hashes.len() }),
        )
        .await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// Removes the authenticator and its recovery codes. Returns false when there was none.
    pub async fn remove_authenticator(&self, user_id: i64, actor: &Actor) -> StoreResult<bool> {
        let mut transaction = self.pool().begin().await?;
        let removed = sqlx::query("delete from authenticator where user_id = $1")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        sqlx::query("delete from recovery_code where user_id = $1")
            .bind(user_id)
            .execute(&mut *transaction)
            .await?;
        if removed == 0 {
            return Ok(false);
        }
        record_change(
            &mut transaction,
            actor,
            "authenticator.removed",
            "user",
            user_id.to_string(),
            serde_json::json!({}),
        )
        .await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// Accepts a code's step once: a step at or before the last accepted one is a replay.
    pub async fn use_authenticator_step(&self, user_id: i64, step: i64) -> StoreResult<bool> {
        Ok(sqlx::query(
            "update authenticator set last_step = $1
             where user_id = $2 and last_step < $1 and confirmed_at is not null",
        )
        .bind(step)
        .bind(user_id)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    /// Uses up a recovery code. False when it is unknown or was used before.
    pub async fn use_recovery_code(&self, user_id: i64, code_hash: &str) -> StoreResult<bool> {
        Ok(sqlx::query(
            "update recovery_code set used_at = $1
             where user_id = $2 and code_hash = $3 and used_at is null",
        )
        .bind(timestamp_text(OffsetDateTime::now_utc()))
        .bind(user_id)
        .bind(code_hash)
        .execute(self.pool())
        .await?
        .rows_affected()
            == 1)
    }

    pub async fn recovery_codes_left(&self, user_id: i64) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "select count(*) from recovery_code where user_id = $1 and used_at is null",
        )
        .bind(user_id)
        .fetch_one(self.pool())
        .await?)
    }
}
