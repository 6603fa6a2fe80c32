//! What each council configures: contact details, the submission deadline, bank holidays,
//! action types, dispute reasons and VAT rates (DOMAIN 14a).

use portal_domain::council::ActionTypeSetting;
use serde_json::json;
use sqlx::FromRow;
use time::Date;

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::sql::{date, date_text, flag};
use crate::{Store, StoreError, StoreResult};

/// The lists a new council starts with; it maintains its own from then on.
pub struct CouncilDefaults<'a> {
    pub bank_holidays: &'a [(Date, &'a str)],
    pub action_types: &'a [ActionTypeSetting],
    pub dispute_reasons: &'a [&'a str],
    pub vat_rates: &'a [(&'a str, i64)],
    pub vat_rates_from: Date,
}

pub struct NewCouncil<'a> {
    pub name: &'a str,
    pub amendment_window_days: i64,
    pub defaults: CouncilDefaults<'a>,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct CouncilSettingsRecord {
    pub id: i64,
    pub name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub contact_address: String,
    pub submission_deadline_weekday: i64,
    pub submission_deadline_time: String,
    pub amendment_window_days: i64,
    /// `digits`, `authenticator` or `user_choice`.
    pub second_factor_policy: String,
    pub version: i64,
}

/// The editable settings; the name identifies the council and is not edited here.
#[derive(Debug, Clone)]
pub struct CouncilSettingsUpdate {
    pub contact_email: String,
    pub contact_phone: String,
    pub contact_address: String,
    pub submission_deadline_weekday: i64,
    pub submission_deadline_time: String,
    pub amendment_window_days: i64,
    pub second_factor_policy: String,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ActionTypeRecord {
    pub id: i64,
    pub name: String,
    pub team: Option<String>,
    /// Comma-separated entity kind codes.
    pub entity_kinds: String,
    pub minimum_due_working_days: i64,
    pub council_only: i64,
    pub is_active: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct VatRateRecord {
    pub id: i64,
    pub name: String,
    pub rate_basis_points: i64,
    pub effective_from: String,
}

impl Store {
    /// Creates a council with its default lists, in one transaction.
    pub async fn create_council(&self, new: &NewCouncil<'_>) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into council (name, amendment_window_days) values ($1, $2) returning id",
        )
        .bind(new.name)
        .bind(new.amendment_window_days)
        .fetch_one(&mut *transaction)
        .await?;
        let defaults = &new.defaults;
        for (day, name) in defaults.bank_holidays {
            sqlx::query(
                "insert into bank_holiday (council_id, holiday_date, name) values ($1, $2, $3)",
            )
            .bind(id)
            .bind(date_text(*day))
            .bind(*name)
            .execute(&mut *transaction)
            .await?;
        }
        for action_type in defaults.action_types {
            let kinds: Vec<&str> = action_type
                .entity_kinds
                .iter()
                .map(|kind| kind.code())
                .collect();
            sqlx::query(
                "insert into action_type (council_id, name, team, entity_kinds, minimum_due_working_days, council_only)
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(action_type.name)
            .bind(action_type.team)
            .bind(kinds.join(","))
            .bind(i64::from(action_type.minimum_due_working_days))
            .bind(flag(action_type.council_only))
            .execute(&mut *transaction)
            .await?;
        }
        for reason in defaults.dispute_reasons {
            sqlx::query("insert into dispute_reason (council_id, name) values ($1, $2)")
                .bind(id)
                .bind(*reason)
                .execute(&mut *transaction)
                .await?;
        }
        for (name, basis_points) in defaults.vat_rates {
            sqlx::query("insert into vat_rate (council_id, name, rate_basis_points, effective_from) values ($1, $2, $3, $4)")
                .bind(id)
                .bind(*name)
                .bind(*basis_points)
                .bind(date_text(defaults.vat_rates_from))
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        Ok(id)
    }

    pub async fn council_settings(
        &self,
        council_id: i64,
    ) -> StoreResult<Option<CouncilSettingsRecord>> {
        Ok(sqlx::query_as(
            "select id, name, contact_email, contact_phone, contact_address, submission_deadline_weekday,
                    submission_deadline_time, amendment_window_days, second_factor_policy, version
             from council where id = $1",
        )
        .bind(council_id)
        .fetch_optional(self.pool())
        .await?)
    }

    /// Saves the settings if `expected_version` is still current; returns the new version.
    pub async fn update_council_settings(
        &self,
        council_id: i64,
        update: &CouncilSettingsUpdate,
        expected_version: i64,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let before = self
            .council_settings(council_id)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("council {council_id} vanished")))?;
        let mut transaction = self.pool().begin().await?;
        let changed = sqlx::query(
            "update council set contact_email = $1, contact_phone = $2, contact_address = $3,
                    submission_deadline_weekday = $4, submission_deadline_time = $5,
                    amendment_window_days = $6, second_factor_policy = $9, version = version + 1
             where id = $7 and version = $8",
        )
        .bind(&update.contact_email)
        .bind(&update.contact_phone)
        .bind(&update.contact_address)
        .bind(update.submission_deadline_weekday)
        .bind(&update.submission_deadline_time)
        .bind(update.amendment_window_days)
        .bind(council_id)
        .bind(expected_version)
        .bind(&update.second_factor_policy)
        .execute(&mut *transaction)
        .await?
        .rows_affected();
        if changed == 0 {
            transaction.rollback().await?;
            let current = self
                .council_settings(council_id)
                .await?
                .map_or(0, |settings| settings.version);
            return Err(StoreError::StaleVersion {
                sent: expected_version,
                current,
            });
        }
        record_change(
            &mut transaction,
            actor,
            "council.settings.update",
            "council",
            council_id.to_string(),
            json!({
                "old": {
                    "contact_email": before.contact_email, "contact_phone": before.contact_phone,
                    "contact_address": before.contact_address,
                    "submission_deadline_weekday": before.submission_deadline_weekday,
                    "submission_deadline_time": before.submission_deadline_time,
                    "amendment_window_days": before.amendment_window_days,
                    "second_factor_policy": before.second_factor_policy,
                },
                "new": {
                    "contact_email": update.contact_email, "contact_phone": update.contact_phone,
                    "contact_address": update.contact_address,
                    "submission_deadline_weekday": update.submission_deadline_weekday,
                    "submission_deadline_time": update.submission_deadline_time,
                    "amendment_window_days": update.amendment_window_days,
                    "second_factor_policy": update.second_factor_policy,
                },
            }),
        )
        .await?;
        transaction.commit().await?;
        Ok(expected_version + 1)
    }

    /// The council's bank holidays, optionally of one calendar year, in date order.
    pub async fn bank_holidays(
        &self,
        council_id: i64,
        year: Option<i32>,
    ) -> StoreResult<Vec<(Date, String)>> {
        let (from, to) = match year {
            Some(year) => (format!("{year:04}-01-01"), format!("{year:04}-12-31")),
            None => ("0000-01-01".to_owned(), "9999-12-31".to_owned()),
        };
        let rows: Vec<(String, String)> = sqlx::query_as(
            "select holiday_date, name from bank_holiday
             where council_id = $1 and holiday_date >= $2 and holiday_date <= $3 order by holiday_date",
        )
        .bind(council_id)
        .bind(from)
        .bind(to)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(day, name)| Ok((date(&day, "holiday_date")?, name)))
            .collect()
    }

    /// Adds a bank holiday; false when the council already has one on that date.
    pub async fn add_bank_holiday(
        &self,
        council_id: i64,
        day: Date,
        name: &str,
        actor: &Actor,
    ) -> StoreResult<bool> {
        let mut transaction = self.pool().begin().await?;
        let added = sqlx::query(
            "insert into bank_holiday (council_id, holiday_date, name) values ($1, $2, $3)
             on conflict (council_id, holiday_date) do nothing",
        )
        .bind(council_id)
        .bind(date_text(day))
        .bind(name)
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            > 0;
        if added {
            record_change(
                &mut transaction,
                actor,
                "council.bank_holiday.add",
                "council",
                council_id.to_string(),
                json!({ "date": date_text(day), "name": name }),
            )
            .await?;
        }
        transaction.commit().await?;
        Ok(added)
    }

    /// Removes a bank holiday; false when there was none on that date.
    pub async fn remove_bank_holiday(
        &self,
        council_id: i64,
        day: Date,
        actor: &Actor,
    ) -> StoreResult<bool> {
        let mut transaction = self.pool().begin().await?;
        let name: Option<String> = sqlx::query_scalar(
            "delete from bank_holiday where council_id = $1 and holiday_date = $2 returning name",
        )
        .bind(council_id)
        .bind(date_text(day))
        .fetch_optional(&mut *transaction)
        .await?;
        if let Some(name) = &name {
            record_change(
                &mut transaction,
                actor,
                "council.bank_holiday.remove",
                "council",
                council_id.to_string(),
                json!({ "date": date_text(day), "name": name }),
            )
            .await?;
        }
        transaction.commit().await?;
        Ok(name.is_some())
    }

    pub async fn action_types(&self, council_id: i64) -> StoreResult<Vec<ActionTypeRecord>> {
        Ok(sqlx::query_as(
            "select id, name, team, entity_kinds, minimum_due_working_days, council_only, is_active
             from action_type where council_id = $1 order by name",
        )
        .bind(council_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// (id, name, active) of each dispute reason.
    pub async fn dispute_reasons(&self, council_id: i64) -> StoreResult<Vec<(i64, String, bool)>> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "select id, name, is_active from dispute_reason where council_id = $1 order by id",
        )
        .bind(council_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, name, active)| (id, name, active != 0))
            .collect())
    }

    pub async fn vat_rates(&self, council_id: i64) -> StoreResult<Vec<VatRateRecord>> {
        Ok(sqlx::query_as(
            "select id, name, rate_basis_points, effective_from from vat_rate
             where council_id = $1 order by effective_from, rate_basis_points desc, name",
        )
        .bind(council_id)
        .fetch_all(self.pool())
        .await?)
    }
}
