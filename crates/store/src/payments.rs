//! Payment periods and what each paid (DOMAIN 5): periods created as time passes, the
//! provider's confirmation, council decisions and provider disputes on lines, authorising,
//! and finalising, which keeps a snapshot of every line paid or held back.

use portal_domain::notification::Topic;
use portal_domain::Week;
use serde_json::json;
use sqlx::{AnyConnection, FromRow};
use time::Date;

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::sql::{date as parse_date, date_text, now_text, timestamp};
use crate::{Scope, Store, StoreError, StoreResult};

/// A contract as payments need it, with its council's amendment window.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PaymentContractRecord {
    pub id: i64,
    pub council_id: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub name: String,
    pub payment_model: String,
    pub period_weeks: i64,
    pub period_anchor: String,
    pub vat_rate_basis_points: i64,
    pub amendment_window_days: i64,
}

const CONTRACT_SELECT: &str =
    "select c.id, c.council_id, c.organisation_id, o.name as organisation_name, c.name,
            c.payment_model, c.period_weeks, c.period_anchor, c.vat_rate_basis_points,
            la.amendment_window_days
     from contract c join organisation o on o.id = c.organisation_id
          join council la on la.id = c.council_id";

/// One period of a contract and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PaymentPeriodRecord {
    pub id: i64,
    pub contract_id: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub provider_status: String,
    pub provider_comment: String,
    pub provider_answered_at: Option<String>,
    pub status: String,
    pub authorised_at: Option<String>,
    pub finalised_at: Option<String>,
    pub version: i64,
}

const PERIOD_SELECT: &str =
    "select id, contract_id, starts_on, ends_on, provider_status, provider_comment,
            provider_answered_at, status, authorised_at, finalised_at, version
     from payment_period";

/// A period not yet paid.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OpenPeriod {
    pub id: i64,
    pub starts_on: String,
    pub ends_on: String,
    /// RFC 3339, once authorised.
    pub authorised_at: Option<String>,
}

/// The live word on one scheduled line: a council decision or a provider's dispute.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct LineDecisionRecord {
    pub line_key: String,
    pub decision: String,
    pub reason: String,
    pub decided_at: String,
}

/// One line of a finalised period, per week: what was paid or held back.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PaymentLineRecord {
    /// `None` for a one-off claim of the provider itself.
    pub client_id: Option<i64>,
    pub cpli_id: Option<i64>,
    pub service_level_id: Option<i64>,
    pub week_start: String,
    pub kind: String,
    pub line_key: String,
    pub description: String,
    pub amount_pence: i64,
    pub vat_pence: i64,
    pub status: String,
    pub reason: String,
}

/// What a line of a week has been settled for (paid or cancelled) in finalised periods.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct SettledWeek {
    pub client_id: Option<i64>,
    pub cpli_id: Option<i64>,
    pub service_level_id: Option<i64>,
    pub week_start: String,
    pub settled_pence: i64,
}

impl Store {
    /// The contracts the scope reaches, by organisation and name.
    pub async fn payment_contracts(
        &self,
        scope: &Scope,
    ) -> StoreResult<Vec<PaymentContractRecord>> {
        let (condition, ids) = scope.condition("c.organisation_id", "c.council_id", 1);
        let sql = format!(
            "{CONTRACT_SELECT} where c.is_active = 1 and {condition} order by o.name, c.name, c.id"
        );
        let mut query = sqlx::query_as::<_, PaymentContractRecord>(&sql);
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_all(self.pool()).await?)
    }

    /// One contract, if the scope reaches it.
    pub async fn payment_contract(
        &self,
        scope: &Scope,
        contract_id: i64,
    ) -> StoreResult<Option<PaymentContractRecord>> {
        let (condition, ids) = scope.condition("c.organisation_id", "c.council_id", 2);
        let sql = format!("{CONTRACT_SELECT} where c.id = $1 and {condition}");
        let mut query = sqlx::query_as::<_, PaymentContractRecord>(&sql).bind(contract_id);
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_optional(self.pool()).await?)
    }

    /// Creates the periods not yet recorded; several servers may race, and the unique key
    /// keeps one row per period.
    pub async fn ensure_periods(
        &self,
        contract_id: i64,
        periods: &[(Date, Date)],
    ) -> StoreResult<()> {
        let known: Vec<String> =
            sqlx::query_scalar("select starts_on from payment_period where contract_id = $1")
                .bind(contract_id)
                .fetch_all(self.pool())
                .await?;
        let missing: Vec<&(Date, Date)> = periods
            .iter()
            .filter(|(start, _)| !known.contains(&date_text(*start)))
            .collect();
        if missing.is_empty() {
            return Ok(());
        }
        let mut transaction = self.pool().begin().await?;
        for (start, end) in missing {
            sqlx::query(
                "insert into payment_period (contract_id, starts_on, ends_on) values ($1, $2, $3)
                 on conflict (contract_id, starts_on) do nothing",
            )
            .bind(contract_id)
            .bind(date_text(*start))
            .bind(date_text(*end))
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        Ok(())
    }

    /// A contract's recorded periods starting between two dates, newest first.
    pub async fn payment_periods(
        &self,
        contract_id: i64,
        from: Date,
        to: Date,
    ) -> StoreResult<Vec<PaymentPeriodRecord>> {
        Ok(sqlx::query_as(&format!(
            "{PERIOD_SELECT} where contract_id = $1 and starts_on >= $2 and starts_on <= $3
             order by starts_on desc"
        ))
        .bind(contract_id)
        .bind(date_text(from))
        .bind(date_text(to))
        .fetch_all(self.pool())
        .await?)
    }

    /// A contract's paid periods, newest first, each with whether it was only partially
    /// finalised: some of its lines were held and carried forward to a later period.
    pub async fn finalised_periods(
        &self,
        contract_id: i64,
    ) -> StoreResult<Vec<(PaymentPeriodRecord, bool)>> {
        let periods: Vec<PaymentPeriodRecord> = sqlx::query_as(&format!(
            "{PERIOD_SELECT} where contract_id = $1 and status = 'finalised'
             order by starts_on desc"
        ))
        .bind(contract_id)
        .fetch_all(self.pool())
        .await?;
        let partial: Vec<i64> = sqlx::query_scalar(
            "select distinct l.period_id from payment_line l
             join payment_period p on p.id = l.period_id
             where p.contract_id = $1 and l.status = 'carry_forward'",
        )
        .bind(contract_id)
        .fetch_all(self.pool())
        .await?;
        Ok(periods
            .into_iter()
            .map(|period| {
                let partially = partial.contains(&period.id);
                (period, partially)
            })
            .collect())
    }

    /// One period with its contract, if the scope reaches the contract.
    pub async fn payment_period(
        &self,
        scope: &Scope,
        period_id: i64,
    ) -> StoreResult<Option<(PaymentPeriodRecord, PaymentContractRecord)>> {
        let period: Option<PaymentPeriodRecord> =
            sqlx::query_as(&format!("{PERIOD_SELECT} where id = $1"))
                .bind(period_id)
                .fetch_optional(self.pool())
                .await?;
        let Some(period) = period else {
            return Ok(None);
        };
        Ok(self
            .payment_contract(scope, period.contract_id)
            .await?
            .map(|contract| (period, contract)))
    }

    /// A contract's periods not yet finalised, oldest first: an amended week of a paid period
    /// comes back in the first of them that starts after it, and an approved one-off claim
    /// in the first still open when it was approved.
    pub async fn open_periods(&self, contract_id: i64) -> StoreResult<Vec<OpenPeriod>> {
        Ok(sqlx::query_as(
            "select id, starts_on, ends_on, authorised_at from payment_period
             where contract_id = $1 and status <> 'finalised' order by starts_on",
        )
        .bind(contract_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// The live decisions and disputes on a period's lines.
    pub async fn line_decisions(&self, period_id: i64) -> StoreResult<Vec<LineDecisionRecord>> {
        Ok(sqlx::query_as(
            "select line_key, decision, reason, decided_at from payment_line_decision
             where period_id = $1 and superseded_at is null order by id",
        )
        .bind(period_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Records decisions or disputes on lines (line key, decision, reason), each superseding
    /// the previous word on its line, and moves the period to its next version: all or none.
    pub async fn decide_lines(
        &self,
        period_id: i64,
        expected_version: i64,
        decisions: &[(String, String, String)],
        actor: &Actor,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let version = claim_period(
            &mut transaction,
            period_id,
            expected_version,
            &["open", "authorised"],
        )
        .await?;
        let now = now_text();
        for (line_key, decision, reason) in decisions {
            let before: Option<(String, String)> = sqlx::query_as(
                "select decision, reason from payment_line_decision
                 where period_id = $1 and line_key = $2 and superseded_at is null",
            )
            .bind(period_id)
            .bind(line_key)
            .fetch_optional(&mut *transaction)
            .await?;
            sqlx::query(
                "update payment_line_decision set superseded_at = $3
                 where period_id = $1 and line_key = $2 and superseded_at is null",
            )
            .bind(period_id)
            .bind(line_key)
            .bind(&now)
            .execute(&mut *transaction)
            .await?;
            sqlx::query(
                "insert into payment_line_decision (period_id, line_key, decision, reason, decided_at, decided_by)
                 values ($1, $2, $3, $4, $5, $6)",
            )
            .bind(period_id)
            .bind(line_key)
            .bind(decision)
            .bind(reason)
            .bind(&now)
            .bind(actor.principal.person_id())
            .execute(&mut *transaction)
            .await?;
            record_change(
                &mut transaction,
                actor,
                "payment.line_decided",
                "payment_period",
                period_id.to_string(),
                json!({
                    "line": line_key,
                    "old": before.map(|(decision, reason)| json!({ "decision": decision, "reason": reason })),
                    "new": { "decision": decision, "reason": reason },
                }),
            )
            .await?;
        }
        let what = match decisions.len() {
            1 => "the council decided 1 line".to_owned(),
            count => format!("the council decided {count} lines"),
        };
        self.notify_payment_period(
            &mut transaction,
            period_id,
            Topic::PaymentsExceptions,
            &what,
            actor,
        )
        .await?;
        transaction.commit().await?;
        Ok(version)
    }

    /// The provider confirms or rejects a period, with a comment.
    pub async fn answer_period(
        &self,
        period_id: i64,
        expected_version: i64,
        answer: &str,
        comment: &str,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let version =
            claim_period(&mut transaction, period_id, expected_version, &["open"]).await?;
        let before: (String, String) = sqlx::query_as(
            "select provider_status, provider_comment from payment_period where id = $1",
        )
        .bind(period_id)
        .fetch_one(&mut *transaction)
        .await?;
        sqlx::query(
            "update payment_period set provider_status = $2, provider_comment = $3,
                    provider_answered_at = $4, provider_answered_by = $5
             where id = $1",
        )
        .bind(period_id)
        .bind(answer)
        .bind(comment)
        .bind(now_text())
        .bind(actor.principal.person_id())
        .execute(&mut *transaction)
        .await?;
        record_change(
            &mut transaction,
            actor,
            "payment.period_answered",
            "payment_period",
            period_id.to_string(),
            json!({
                "old": { "status": before.0, "comment": before.1 },
                "new": { "status": answer, "comment": comment },
            }),
        )
        .await?;
        transaction.commit().await?;
        Ok(version)
    }

    /// Council staff authorise an open period.
    pub async fn authorise_period(
        &self,
        period_id: i64,
        expected_version: i64,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let version =
            claim_period(&mut transaction, period_id, expected_version, &["open"]).await?;
        sqlx::query(
            "update payment_period set status = 'authorised', authorised_at = $2, authorised_by = $3
             where id = $1",
        )
        .bind(period_id)
        .bind(now_text())
        .bind(actor.principal.person_id())
        .execute(&mut *transaction)
        .await?;
        record_change(
            &mut transaction,
            actor,
            "payment.period_authorised",
            "payment_period",
            period_id.to_string(),
            json!({ "old": { "status": "open" }, "new": { "status": "authorised" } }),
        )
        .await?;
        transaction.commit().await?;
        Ok(version)
    }

    /// Council staff finalise an authorised period (the payment run): its lines, per week,
    /// are kept as paid or held back, in the same transaction.
    pub async fn finalise_period(
        &self,
        period_id: i64,
        expected_version: i64,
        lines: &[PaymentLineRecord],
        actor: &Actor,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let version = claim_period(
            &mut transaction,
            period_id,
            expected_version,
            &["authorised"],
        )
        .await?;
        sqlx::query(
            "update payment_period set status = 'finalised', finalised_at = $2, finalised_by = $3
             where id = $1",
        )
        .bind(period_id)
        .bind(now_text())
        .bind(actor.principal.person_id())
        .execute(&mut *transaction)
        .await?;
        for line in lines {
            sqlx::query(
                "insert into payment_line (period_id, client_id, cpli_id, service_level_id,
                     week_start, kind, line_key, description, amount_pence, vat_pence, status, reason)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(period_id)
            .bind(line.client_id)
            .bind(line.cpli_id)
            .bind(line.service_level_id)
            .bind(&line.week_start)
            .bind(&line.kind)
            .bind(&line.line_key)
            .bind(&line.description)
            .bind(line.amount_pence)
            .bind(line.vat_pence)
            .bind(&line.status)
            .bind(&line.reason)
            .execute(&mut *transaction)
            .await?;
        }
        let paid: i64 = lines
            .iter()
            .filter(|line| line.status == "pay")
            .map(|line| line.amount_pence)
            .sum();
        record_change(
            &mut transaction,
            actor,
            "payment.period_finalised",
            "payment_period",
            period_id.to_string(),
            json!({
                "old": { "status": "authorised" },
                "new": { "status": "finalised" },
                "lines": lines.len(),
                "paid_pence": paid,
            }),
        )
        .await?;
        let what = format!(
            "paid, {}",
            portal_domain::format::format_money(rust_decimal::Decimal::new(paid, 2))
        );
        self.notify_payment_period(
            &mut transaction,
            period_id,
            Topic::ScheduledPayments,
            &what,
            actor,
        )
        .await?;
        transaction.commit().await?;
        Ok(version)
    }

    /// A finalised period's lines, per week, as paid or held back.
    pub async fn payment_lines(&self, period_id: i64) -> StoreResult<Vec<PaymentLineRecord>> {
        Ok(sqlx::query_as(
            "select client_id, cpli_id, service_level_id, week_start, kind, line_key, description,
                    amount_pence, vat_pence, status, reason
             from payment_line where period_id = $1 order by client_id, line_key, week_start",
        )
        .bind(period_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// Weeks of a contract's finalised periods to look at again: those changed after their
    /// period was paid, and those with a line held back then. (service, week) pairs.
    pub async fn weeks_to_revisit(&self, contract_id: i64) -> StoreResult<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "select distinct cw.service_id, cw.week_start
             from client_week cw
             join service s on s.id = cw.service_id
             join payment_period p on p.contract_id = s.contract_id and p.status = 'finalised'
                  and cw.week_start >= p.starts_on and cw.week_start <= p.ends_on
             where s.contract_id = $1 and cw.updated_at > p.finalised_at
             union
             select distinct s.id, l.week_start
             from payment_line l
             join payment_period p on p.id = l.period_id
             join cpli c on c.id = l.cpli_id
             join service s on s.id = c.service_id
             where p.contract_id = $1 and l.status in ('suspend', 'carry_forward')
             order by 2, 1",
        )
        .bind(contract_id)
        .fetch_all(self.pool())
        .await?)
    }

    /// What each line of the given weeks has been settled for in finalised periods.
    pub async fn settled_weeks(
        &self,
        contract_id: i64,
        weeks: &[String],
    ) -> StoreResult<Vec<SettledWeek>> {
        if weeks.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..weeks.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "select l.client_id, l.cpli_id, l.service_level_id, l.week_start,
                    cast(sum(case when l.status in ('pay', 'cancel') then l.amount_pence else 0 end) as bigint) as settled_pence
             from payment_line l join payment_period p on p.id = l.period_id
             where p.contract_id = $1 and l.week_start in ({})
             group by l.client_id, l.cpli_id, l.service_level_id, l.week_start",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_as::<_, SettledWeek>(&sql).bind(contract_id);
        for week in weeks {
            query = query.bind(week);
        }
        Ok(query.fetch_all(self.pool()).await?)
    }
}

/// Moves a period from `expected_version` to the next, if its status is one of `statuses`.
/// A stale version is a 409 with the current one; a period past those statuses is locked.
async fn claim_period(
    connection: &mut AnyConnection,
    period_id: i64,
    expected_version: i64,
    statuses: &[&str],
) -> StoreResult<i64> {
    let current: Option<(i64, String)> =
        sqlx::query_as("select version, status from payment_period where id = $1")
            .bind(period_id)
            .fetch_optional(&mut *connection)
            .await?;
    let Some((version, status)) = current else {
        return Err(StoreError::Corrupt(format!(
            "payment period {period_id} vanished"
        )));
    };
    if !statuses.contains(&status.as_str()) {
        return Err(StoreError::NoLongerOpen(match status.as_str() {
            "finalised" => "This period has been paid (finalised): it can no longer change.".into(),
            "authorised" => "This period has been authorised for payment: only council staff's decisions and finalising remain.".into(),
            _ => "This period must be authorised first.".into(),
        }));
    }
    let claimed = sqlx::query(
        "update payment_period set version = version + 1 where id = $1 and version = $2",
    )
    .bind(period_id)
    .bind(expected_version)
    .execute(&mut *connection)
    .await?
    .rows_affected()
        == 1;
    if !claimed {
        return Err(StoreError::StaleVersion {
            sent: expected_version,
            current: version,
        });
    }
    Ok(expected_version + 1)
}

/// Why (and since when) a week's actuals may no longer change because its period was paid and the council's
/// amendment window has closed; `None` while they may.
pub(crate) async fn closed_window_reason(
    connection: &mut AnyConnection,
    service_id: i64,
    week: Week,
    today: Date,
) -> StoreResult<Option<(String, Date)>> {
    let row: Option<(String, String, String, i64)> = sqlx::query_as(
        "select p.starts_on, p.ends_on, p.finalised_at, la.amendment_window_days
         from payment_period p
         join service s on s.contract_id = p.contract_id
         join contract c on c.id = s.contract_id
         join council la on la.id = c.council_id
         where s.id = $1 and p.status = 'finalised' and p.starts_on <= $2 and p.ends_on >= $2",
    )
    .bind(service_id)
    .bind(week.to_string())
    .fetch_optional(connection)
    .await?;
    let Some((starts_on, ends_on, finalised_at, window_days)) = row else {
        return Ok(None);
    };
    let finalised_on = timestamp(&finalised_at)?.date();
    if !portal_domain::payment::amendment_window_closed(finalised_on, window_days, today) {
        return Ok(None);
    }
    let closes_on = portal_domain::payment::amendment_window_closes_on(finalised_on, window_days);
    let format = portal_domain::format::format_date;
    let reason = format!(
        "The payment period {} - {} was paid on {}; its amendment window closed on {}.",
        format(parse_date(&starts_on, "starts_on")?),
        format(parse_date(&ends_on, "ends_on")?),
        format(finalised_on),
        format(closes_on),
    );
    Ok(Some((reason, closes_on)))
}
