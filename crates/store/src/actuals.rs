//! Weeks of actuals: reading a service's week, generating from plan, and saving one
//! client's week under an optimistic version (DOMAIN 4).

use portal_domain::actual::sessions::SessionRow;
use portal_domain::{ActualFigures, Money, Quantity, Week, Weekdays};
use serde_json::json;
use sqlx::{AnyConnection, FromRow};

use crate::audit::record_change;
use crate::sql::{money, now_text, quantity, week as parse_week};
use crate::{Store, StoreError, StoreResult};

/// A recorded actual line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActualRecord {
    pub id: i64,
    pub client_id: i64,
    /// `None` for an unplanned line (DOMAIN 4.5).
    pub cpli_id: Option<i64>,
    pub service_level_id: i64,
    pub figures: ActualFigures,
    /// The rate the line was priced at when recorded.
    pub rate: Money,
    pub cost_pence: i64,
    /// A timetabled line's live session rows; `None` for other lines and for a timetabled
    /// line recorded as plain figures (from a file, say).
    pub sessions: Option<Vec<SessionRow>>,
    /// Written by Generate Actuals and not changed since (the reports' "Gen.").
    pub generated_from_plan: bool,
}

#[derive(FromRow)]
struct ActualRow {
    id: i64,
    client_id: i64,
    cpli_id: Option<i64>,
    service_level_id: i64,
    planned_hundredths: i64,
    actual_hundredths: i64,
    frustrated_hundredths: i64,
    missed_hundredths: i64,
    extra_hundredths: i64,
    visits_hundredths: Option<i64>,
    comment: String,
    rate_pence: i64,
    cost_pence: i64,
    generated_from_plan: i64,
}

impl TryFrom<ActualRow> for ActualRecord {
    type Error = StoreError;
    fn try_from(row: ActualRow) -> StoreResult<ActualRecord> {
        Ok(ActualRecord {
            id: row.id,
            client_id: row.client_id,
            cpli_id: row.cpli_id,
            service_level_id: row.service_level_id,
            figures: ActualFigures {
                planned: quantity(row.planned_hundredths, "planned_hundredths")?,
                actual: quantity(row.actual_hundredths, "actual_hundredths")?,
                frustrated: quantity(row.frustrated_hundredths, "frustrated_hundredths")?,
                missed: quantity(row.missed_hundredths, "missed_hundredths")?,
                extra: quantity(row.extra_hundredths, "extra_hundredths")?,
                visits: row
                    .visits_hundredths
                    .map(|v| quantity(v, "visits_hundredths"))
                    .transpose()?,
                comment: row.comment,
            },
            rate: money(row.rate_pence, "rate_pence")?,
            cost_pence: row.cost_pence,
            sessions: None,
            generated_from_plan: row.generated_from_plan != 0,
        })
    }
}

/// A recorded line as the reports read a range of weeks: its week, what it planned and
/// delivered, and its rate. Missed, extra and comments are not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedLine {
    pub week: Week,
    pub client_id: i64,
    /// `None` for an unplanned line.
    pub cpli_id: Option<i64>,
    pub service_level_id: i64,
    pub planned: Quantity,
    pub actual: Quantity,
    pub frustrated: Quantity,
    pub visits: Option<Quantity>,
    pub rate: Money,
    /// Written by Generate Actuals and not changed since (the reports' "Gen.").
    pub generated_from_plan: bool,
}

/// A line to write, with the cost the domain computed for it.
#[derive(Debug, Clone)]
pub struct NewActual {
    pub client_id: i64,
    /// `None` for an unplanned line: one per client, week and service level.
    pub cpli_id: Option<i64>,
    pub service_level_id: i64,
    pub figures: ActualFigures,
    pub rate: Money,
    /// Pence: the domain's rounded cost of the line.
    pub cost_pence: i64,
    /// A timetabled line's session rows, which replace its live ones; `None` writes the line
    /// as plain figures and supersedes any rows it had.
    pub sessions: Option<Vec<SessionRow>>,
}

/// Who made a change, for the audit trail: a person or a tool, and from where.
#[derive(Debug, Clone)]
pub struct Actor {
    pub principal: Principal,
    pub source_ip: Option<String>,
}

/// A person signed in, or a tool holding client credentials.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Principal {
    Person(i64),
    Tool(i64),
}

impl Principal {
    pub fn person_id(self) -> Option<i64> {
        match self {
            Principal::Person(id) => Some(id),
            Principal::Tool(_) => None,
        }
    }

    pub fn tool_id(self) -> Option<i64> {
        match self {
            Principal::Tool(id) => Some(id),
            Principal::Person(_) => None,
        }
    }
}

const ACTUAL_SELECT: &str =
    "select id, client_id, cpli_id, service_level_id, planned_hundredths, actual_hundredths,
        frustrated_hundredths, missed_hundredths, extra_hundredths, visits_hundredths, comment,
        rate_pence, cost_pence, generated_from_plan
     from actual_line";

/// Inserts a line or, when the CPLI already has one that week and `overwrite` is set,
/// replaces its figures. Returns whether a row was written.
pub(crate) async fn upsert_line(
    connection: &mut AnyConnection,
    service_id: i64,
    week: Week,
    line: &NewActual,
    actor: &Actor,
    overwrite: bool,
) -> StoreResult<bool> {
    let conflict = if overwrite {
        "do update set planned_hundredths = excluded.planned_hundredths,
            actual_hundredths = excluded.actual_hundredths,
            frustrated_hundredths = excluded.frustrated_hundredths,
            missed_hundredths = excluded.missed_hundredths,
            extra_hundredths = excluded.extra_hundredths,
            visits_hundredths = excluded.visits_hundredths,
            comment = excluded.comment,
            rate_pence = excluded.rate_pence,
            cost_pence = excluded.cost_pence,
            updated_at = excluded.updated_at,
            updated_by = excluded.updated_by,
            updated_by_tool = excluded.updated_by_tool,
            generated_from_plan = excluded.generated_from_plan"
    } else {
        "do nothing"
    };
    let now = now_text();
    let figures = &line.figures;
    let target = if line.cpli_id.is_some() {
        "(cpli_id, week_start)"
    } else {
        "(service_id, client_id, week_start, service_level_id) where cpli_id is null"
    };
    // `returning id` answers the line's id when a row was written, and nothing when an
    // existing line was left alone, in the one round trip.
    let written: Option<i64> = sqlx::query_scalar(&format!(
        "insert into actual_line (service_id, client_id, week_start, cpli_id, service_level_id,
            planned_hundredths, actual_hundredths, frustrated_hundredths, missed_hundredths,
            extra_hundredths, visits_hundredths, comment, rate_pence, cost_pence,
            created_at, updated_at, updated_by, updated_by_tool, generated_from_plan)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
         on conflict {target} {conflict}
         returning id"
    ))
    .bind(service_id)
    .bind(line.client_id)
    .bind(week.to_string())
    .bind(line.cpli_id)
    .bind(line.service_level_id)
    .bind(figures.planned.hundredths())
    .bind(figures.actual.hundredths())
    .bind(figures.frustrated.hundredths())
    .bind(figures.missed.hundredths())
    .bind(figures.extra.hundredths())
    .bind(figures.visits.map(|v| v.hundredths()))
    .bind(figures.comment.as_str())
    .bind(line.rate.hundredths())
    .bind(line.cost_pence)
    .bind(now.as_str())
    .bind(now.as_str())
    .bind(actor.principal.person_id())
    .bind(actor.principal.tool_id())
    // Only Generate Actuals writes without overwriting; every other writer records what
    // someone entered.
    .bind(i64::from(!overwrite))
    .fetch_optional(&mut *connection)
    .await?;
    let Some(line_id) = written else {
        return Ok(false);
    };
    // Only an overwritten line can have rows to supersede; a new one needs rows only if it
    // is timetabled.
    if overwrite || line.sessions.is_some() {
        replace_session_rows(connection, line_id, line, &now, overwrite).await?;
    }
    Ok(true)
}

/// Supersedes a line's live session rows (when it may have some) and writes the new ones
/// (if any), keeping the old.
async fn replace_session_rows(
    connection: &mut AnyConnection,
    line_id: i64,
    line: &NewActual,
    now: &str,
    may_have_rows: bool,
) -> StoreResult<()> {
    if may_have_rows {
        sqlx::query(
            "update actual_session_row set superseded_at = $1
             where actual_line_id = $2 and superseded_at is null",
        )
        .bind(now)
        .bind(line_id)
        .execute(&mut *connection)
        .await?;
    }
    for (position, row) in line.sessions.iter().flatten().enumerate() {
        sqlx::query(
            "insert into actual_session_row (actual_line_id, position, days, quantity_hundredths,
                is_frustrated, comment, created_at)
             values ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(line_id)
        .bind(i64::try_from(position).unwrap_or(i64::MAX))
        .bind(row.days.mask())
        .bind(row.quantity.hundredths())
        .bind(i64::from(row.frustrated))
        .bind(row.comment.as_str())
        .bind(now)
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}

/// A line's live session rows; `None` when it has none (not timetabled, or plain figures).
async fn live_sessions(
    connection: &mut AnyConnection,
    line_id: i64,
) -> StoreResult<Option<Vec<SessionRow>>> {
    let rows: Vec<SessionRowRecord> = sqlx::query_as(
        "select actual_line_id, days, quantity_hundredths, is_frustrated, comment
         from actual_session_row where actual_line_id = $1 and superseded_at is null
         order by position",
    )
    .bind(line_id)
    .fetch_all(connection)
    .await?;
    if rows.is_empty() {
        return Ok(None);
    }
    rows.into_iter()
        .map(SessionRow::try_from)
        .collect::<StoreResult<Vec<_>>>()
        .map(Some)
}

#[derive(FromRow)]
struct SessionRowRecord {
    actual_line_id: i64,
    days: String,
    quantity_hundredths: i64,
    is_frustrated: i64,
    comment: String,
}

impl TryFrom<SessionRowRecord> for SessionRow {
    type Error = StoreError;
    fn try_from(row: SessionRowRecord) -> StoreResult<SessionRow> {
        Ok(SessionRow {
            days: Weekdays::from_mask(&row.days)
                .ok_or_else(|| StoreError::Corrupt(format!("session days {:?}", row.days)))?,
            quantity: quantity(row.quantity_hundredths, "quantity_hundredths")?,
            frustrated: row.is_frustrated != 0,
            comment: row.comment,
        })
    }
}

/// Moves a client's week to its next version, or creates it at version 1.
pub(crate) async fn bump_version(
    connection: &mut AnyConnection,
    service_id: i64,
    client_id: i64,
    week: Week,
    actor: &Actor,
) -> StoreResult<i64> {
    Ok(sqlx::query_scalar(
        "insert into client_week (service_id, client_id, week_start, version, updated_at, updated_by, updated_by_tool)
         values ($1, $2, $3, 1, $4, $5, $6)
         on conflict (service_id, client_id, week_start)
         do update set version = client_week.version + 1, updated_at = excluded.updated_at,
                       updated_by = excluded.updated_by, updated_by_tool = excluded.updated_by_tool,
                       confirmed_at = null, confirmed_by = null
         returning version",
    )
    .bind(service_id)
    .bind(client_id)
    .bind(week.to_string())
    .bind(now_text())
    .bind(actor.principal.person_id())
    .bind(actor.principal.tool_id())
    .fetch_one(connection)
    .await?)
}

/// Moves a client's week from `expected_version` to the next (creating it at 1 from 0), and
/// sets or clears its confirmation: a confirm sets it, any other change clears it. False
/// when the version was not the current one. A locked week is refused; the check runs in the
/// writing transaction, so a lock taken first is always seen.
async fn claim_version(
    connection: &mut AnyConnection,
    service_id: i64,
    client_id: i64,
    week: Week,
    expected_version: i64,
    actor: &Actor,
    confirming: bool,
) -> StoreResult<bool> {
    let now = now_text();
    let confirmed_at = confirming.then(|| now.clone());
    let confirmed_by = if confirming {
        actor.principal.person_id()
    } else {
        None
    };
    let sql = if expected_version == 0 {
        "insert into client_week (service_id, client_id, week_start, version, updated_at,
             updated_by, updated_by_tool, confirmed_at, confirmed_by)
         values ($1, $2, $3, 1, $4, $5, $6, $7, $8)
         on conflict (service_id, client_id, week_start) do nothing"
    } else {
        "update client_week set version = version + 1, updated_at = $4, updated_by = $5,
                updated_by_tool = $6, confirmed_at = $7, confirmed_by = $8
         where service_id = $1 and client_id = $2 and week_start = $3 and version = $9"
    };
    let mut query = sqlx::query(sql)
        .bind(service_id)
        .bind(client_id)
        .bind(week.to_string())
        .bind(&now)
        .bind(actor.principal.person_id())
        .bind(actor.principal.tool_id())
        .bind(confirmed_at)
        .bind(confirmed_by);
    if expected_version != 0 {
        query = query.bind(expected_version);
    }
    let claimed = query.execute(&mut *connection).await?.rows_affected() == 1;
    refuse_if_locked(connection, service_id, week).await?;
    Ok(claimed)
}

/// Refuses a change to a locked week, saying why: the council locked it, its payment period
/// was paid and the amendment window has closed, or it is on a submitted invoice (DOMAIN 4.7).
pub(crate) async fn refuse_if_locked(
    connection: &mut AnyConnection,
    service_id: i64,
    week: Week,
) -> StoreResult<()> {
    match lock_reason(connection, service_id, week).await? {
        Some(lock) => Err(crate::StoreError::Locked(lock.reason)),
        None => Ok(()),
    }
}

/// Why a week's actuals may not change, and since when, if they may not.
async fn lock_reason(
    connection: &mut AnyConnection,
    service_id: i64,
    week: Week,
) -> StoreResult<Option<WeekLock>> {
    let row: Option<(String, String)> = sqlx::query_as(
        "select reason, locked_at from week_lock where service_id = $1 and week_start = $2",
    )
    .bind(service_id)
    .bind(week.to_string())
    .fetch_optional(&mut *connection)
    .await?;
    if let Some((reason, locked_at)) = row {
        return Ok(Some(WeekLock { reason, locked_at }));
    }
    let today = time::OffsetDateTime::now_utc().date();
    if let Some((reason, closed_on)) =
        crate::payments::closed_window_reason(&mut *connection, service_id, week, today).await?
    {
        return Ok(Some(WeekLock {
            reason,
            locked_at: crate::sql::date_text(closed_on),
        }));
    }
    Ok(
        crate::invoices::invoice_lock_reason(connection, service_id, week)
            .await?
            .map(|reason| WeekLock {
                reason,
                locked_at: String::new(),
            }),
    )
}

/// A council's lock on a service's week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeekLock {
    pub reason: String,
    /// RFC 3339 for a council's lock, the day the window closed for a paid week, and empty
    /// for a week on an invoice (its reason says when).
    pub locked_at: String,
}

impl Store {
    /// Claims a client-week's next version in `transaction` (see [`claim_version`]) and
    /// hands the transaction back; a stale version is undone and answered with the current one.
    // The client-week's three keys, the version, who, and what: each is needed.
    #[allow(clippy::too_many_arguments)]
    async fn claim_version<'c>(
        &self,
        mut transaction: sqlx::Transaction<'c, sqlx::Any>,
        service_id: i64,
        client_id: i64,
        week: Week,
        expected_version: i64,
        actor: &Actor,
        confirming: bool,
    ) -> StoreResult<sqlx::Transaction<'c, sqlx::Any>> {
        if claim_version(
            &mut transaction,
            service_id,
            client_id,
            week,
            expected_version,
            actor,
            confirming,
        )
        .await?
        {
            return Ok(transaction);
        }
        transaction.rollback().await?;
        Err(StoreError::StaleVersion {
            sent: expected_version,
            current: self
                .client_week_version(service_id, client_id, week)
                .await?,
        })
    }

    /// The lock on a service's week, if any: the council's, or the closed amendment window
    /// of its paid period.
    pub async fn week_lock(&self, service_id: i64, week: Week) -> StoreResult<Option<WeekLock>> {
        let mut connection = self.pool().acquire().await?;
        lock_reason(&mut connection, service_id, week).await
    }

    /// Locks a service's week, with its audit row. False when it was locked already.
    pub async fn lock_week(
        &self,
        service_id: i64,
        week: Week,
        reason: &str,
        actor: &Actor,
    ) -> StoreResult<bool> {
        let mut transaction = self.pool().begin().await?;
        let locked = sqlx::query(
            "insert into week_lock (service_id, week_start, reason, locked_at, locked_by)
             values ($1, $2, $3, $4, $5) on conflict (service_id, week_start) do nothing",
        )
        .bind(service_id)
        .bind(week.to_string())
        .bind(reason)
        .bind(now_text())
        .bind(actor.principal.person_id())
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            == 1;
        if locked {
            record_change(
                &mut transaction,
                actor,
                "week.locked",
                "service_week",
                format!("{service_id}/{week}"),
                json!({ "reason": reason }),
            )
            .await?;
        }
        transaction.commit().await?;
        Ok(locked)
    }

    /// Unlocks a service's week, with its audit row (which keeps the old reason). False when
    /// it was not locked.
    pub async fn unlock_week(
        &self,
        service_id: i64,
        week: Week,
        actor: &Actor,
    ) -> StoreResult<bool> {
        let mut transaction = self.pool().begin().await?;
        let reason: Option<String> = sqlx::query_scalar(
            "delete from week_lock where service_id = $1 and week_start = $2 returning reason",
        )
        .bind(service_id)
        .bind(week.to_string())
        .fetch_optional(&mut *transaction)
        .await?;
        let Some(reason) = reason else {
            return Ok(false);
        };
        record_change(
            &mut transaction,
            actor,
            "week.unlocked",
            "service_week",
            format!("{service_id}/{week}"),
            json!({ "was_locked_because": reason }),
        )
        .await?;
        transaction.commit().await?;
        Ok(true)
    }
}

/// A line's values as the audit trail keeps them; timetabled rows as their labels.
pub(crate) fn figures_json(
    figures: &ActualFigures,
    sessions: Option<&[SessionRow]>,
) -> serde_json::Value {
    json!({
        "sessions": sessions.map(|rows| rows.iter().map(SessionRow::label).collect::<Vec<_>>().join("; ")),
        "planned": figures.planned.to_string(),
        "actual": figures.actual.to_string(),
        "frustrated": figures.frustrated.to_string(),
        "missed": figures.missed.to_string(),
        "extra": figures.extra.to_string(),
        "visits": figures.visits.map(|v| v.to_string()),
        "comment": figures.comment,
    })
}

impl Store {
    /// The recorded lines of a service's week.
    pub async fn actuals_in_week(
        &self,
        service_id: i64,
        week: Week,
    ) -> StoreResult<Vec<ActualRecord>> {
        let rows: Vec<ActualRow> = sqlx::query_as(&format!(
            "{ACTUAL_SELECT} where service_id = $1 and week_start = $2 order by id"
        ))
        .bind(service_id)
        .bind(week.to_string())
        .fetch_all(self.pool())
        .await?;
        let mut records = rows
            .into_iter()
            .map(ActualRecord::try_from)
            .collect::<StoreResult<Vec<_>>>()?;
        let session_rows: Vec<SessionRowRecord> = sqlx::query_as(
            "select r.actual_line_id, r.days, r.quantity_hundredths, r.is_frustrated, r.comment
             from actual_session_row r join actual_line l on l.id = r.actual_line_id
             where l.service_id = $1 and l.week_start = $2 and r.superseded_at is null
             order by r.actual_line_id, r.position",
        )
        .bind(service_id)
        .bind(week.to_string())
        .fetch_all(self.pool())
        .await?;
        for row in session_rows {
            let line_id = row.actual_line_id;
            let session = SessionRow::try_from(row)?;
            if let Some(record) = records.iter_mut().find(|record| record.id == line_id) {
                record.sessions.get_or_insert_with(Vec::new).push(session);
            }
        }
        Ok(records)
    }

    /// A service's recorded lines in the weeks from `first` to `last`, in one query and
    /// with only the columns the reports show (no comments, no session rows): a year of a
    /// 2,000-client service is 125,000 of them.
    pub async fn recorded_lines_between(
        &self,
        service_id: i64,
        first: Week,
        last: Week,
    ) -> StoreResult<Vec<RecordedLine>> {
        type Row = (
            String,
            i64,
            Option<i64>,
            i64,
            i64,
            i64,
            i64,
            Option<i64>,
            i64,
            i64,
        );
        let rows: Vec<Row> = sqlx::query_as(
            "select week_start, client_id, cpli_id, service_level_id, planned_hundredths,
                    actual_hundredths, frustrated_hundredths, visits_hundredths, rate_pence,
                    generated_from_plan
             from actual_line
             where service_id = $1 and week_start >= $2 and week_start <= $3
             order by week_start, id",
        )
        .bind(service_id)
        .bind(first.to_string())
        .bind(last.to_string())
        .fetch_all(self.pool())
        .await?;
        let mut lines = Vec::with_capacity(rows.len());
        // Rows come week by week: parse each week's Monday once.
        let mut current: Option<(String, Week)> = None;
        for (
            week_start,
            client_id,
            cpli_id,
            level,
            planned,
            actual,
            frustrated,
            visits,
            rate,
            generated,
        ) in rows
        {
            let week = match &current {
                Some((text, week)) if *text == week_start => *week,
                _ => {
                    let week = Week::parse(&week_start)
                        .map_err(|_| StoreError::Corrupt(format!("week {week_start}")))?;
                    current = Some((week_start, week));
                    week
                }
            };
            lines.push(RecordedLine {
                week,
                client_id,
                cpli_id,
                service_level_id: level,
                planned: quantity(planned, "planned_hundredths")?,
                actual: quantity(actual, "actual_hundredths")?,
                frustrated: quantity(frustrated, "frustrated_hundredths")?,
                visits: visits
                    .map(|v| quantity(v, "visits_hundredths"))
                    .transpose()?,
                rate: money(rate, "rate_pence")?,
                generated_from_plan: generated != 0,
            });
        }
        Ok(lines)
    }

    /// Paid units (Actual + Frustrated) recorded against each of `cpli_ids` between two
    /// dates (a financial year), leaving out one week: what the rest of the year has used of
    /// an intermittent CPLI's allocation.
    pub async fn allocation_used(
        &self,
        cpli_ids: &[i64],
        first_day: time::Date,
        last_day: time::Date,
        except_week: Week,
    ) -> StoreResult<Vec<(i64, Quantity)>> {
        if cpli_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> =
            (0..cpli_ids.len()).map(|i| format!("${}", i + 4)).collect();
        let sql = format!(
            "select cpli_id, cast(sum(actual_hundredths + frustrated_hundredths) as bigint)
             from actual_line
             where week_start >= $1 and week_start <= $2 and week_start <> $3
               and cpli_id in ({})
             group by cpli_id",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(&sql)
            .bind(portal_domain::calendar::iso_date(first_day))
            .bind(portal_domain::calendar::iso_date(last_day))
            .bind(except_week.to_string());
        for cpli_id in cpli_ids {
            query = query.bind(*cpli_id);
        }
        let sums = query.fetch_all(self.pool()).await?;
        let used = cpli_ids
            .iter()
            .map(|cpli_id| {
                let hundredths = sums
                    .iter()
                    .find(|(id, _)| id == cpli_id)
                    .map_or(0, |(_, sum)| *sum);
                Ok((*cpli_id, quantity(hundredths, "allocation used")?))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(used)
    }

    /// When each client's week last changed (RFC 3339), to flag weeks recorded late.
    pub async fn client_week_changes(
        &self,
        service_id: i64,
        week: Week,
    ) -> StoreResult<Vec<(i64, String)>> {
        Ok(sqlx::query_as(
            "select client_id, updated_at from client_week where service_id = $1 and week_start = $2",
        )
        .bind(service_id)
        .bind(week.to_string())
        .fetch_all(self.pool())
        .await?)
    }

    /// Each client's version of the week; clients without a row are at version 0.
    pub async fn client_week_versions(
        &self,
        service_id: i64,
        week: Week,
    ) -> StoreResult<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "select client_id, version from client_week where service_id = $1 and week_start = $2",
        )
        .bind(service_id)
        .bind(week.to_string())
        .fetch_all(self.pool())
        .await?)
    }

    /// Who confirmed each client's week, and when (RFC 3339), for the confirmed ones.
    pub async fn client_week_confirmations(
        &self,
        service_id: i64,
        week: Week,
    ) -> StoreResult<Vec<(i64, String, String)>> {
        Ok(sqlx::query_as(
            "select w.client_id, w.confirmed_at, coalesce(u.name, '')
             from client_week w left join app_user u on u.id = w.confirmed_by
             where w.service_id = $1 and w.week_start = $2 and w.confirmed_at is not null",
        )
        .bind(service_id)
        .bind(week.to_string())
        .fetch_all(self.pool())
        .await?)
    }

    /// A person confirms a client's week as it stands at `expected_version` (a stale one is
    /// refused, as for saves; a locked week too). Returns the new version.
    pub async fn confirm_client_week(
        &self,
        service_id: i64,
        client_id: i64,
        week: Week,
        expected_version: i64,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let transaction = self.pool().begin().await?;
        let mut transaction = self
            .claim_version(
                transaction,
                service_id,
                client_id,
                week,
                expected_version,
                actor,
                true,
            )
            .await?;
        let version = expected_version + 1;
        record_change(
            &mut transaction,
            actor,
            "actuals.confirm",
            "client_week",
            format!("{service_id}/{client_id}/{week}"),
            json!({ "version": version }),
        )
        .await?;
        transaction.commit().await?;
        Ok(version)
    }

    /// For each week between two Mondays that has actuals, how many clients have some.
    pub async fn weeks_with_actuals(
        &self,
        service_id: i64,
        from: Week,
        to: Week,
    ) -> StoreResult<Vec<(Week, i64)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "select week_start, count(distinct client_id) from actual_line
             where service_id = $1 and week_start >= $2 and week_start <= $3
             group by week_start order by week_start",
        )
        .bind(service_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(week, count)| Ok((parse_week(&week)?, count)))
            .collect()
    }

    /// The exact total cost of a service's week, summed in SQL over the rounded lines.
    pub async fn week_cost_pence(&self, service_id: i64, week: Week) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "select cast(coalesce(sum(cost_pence), 0) as bigint) from actual_line where service_id = $1 and week_start = $2",
        )
        .bind(service_id)
        .bind(week.to_string())
        .fetch_one(self.pool())
        .await?)
    }

    /// Writes the generated lines that do not exist yet, in one transaction, and never
    /// touches one that does. Returns (created, kept).
    pub async fn generate_actuals(
        &self,
        service_id: i64,
        week: Week,
        lines: &[NewActual],
        actor: &Actor,
    ) -> StoreResult<(u32, u32)> {
        let mut transaction = self.pool().begin().await?;
        refuse_if_locked(&mut transaction, service_id, week).await?;
        let mut created_for_clients = Vec::new();
        let mut created_cplis = Vec::new();
        let mut kept = 0u32;
        for line in lines {
            if upsert_line(&mut transaction, service_id, week, line, actor, false).await? {
                created_cplis.extend(line.cpli_id);
                if !created_for_clients.contains(&line.client_id) {
                    created_for_clients.push(line.client_id);
                }
            } else {
                kept += 1;
            }
        }
        // A client's week changed under anyone editing it: their version must move on.
        for client_id in &created_for_clients {
            bump_version(&mut transaction, service_id, *client_id, week, actor).await?;
        }
        if !created_cplis.is_empty() {
            record_change(
                &mut transaction,
                actor,
                "actuals.generate",
                "service_week",
                format!("{service_id}/{week}"),
                json!({ "created_for_cplis": created_cplis }),
            )
            .await?;
        }
        transaction.commit().await?;
        Ok((u32::try_from(created_cplis.len()).unwrap_or(u32::MAX), kept))
    }

    /// Saves lines of one client's week if `expected_version` is still current, in one
    /// transaction, with an audit row holding the old and new values. Returns the new version.
    pub async fn save_client_week(
        &self,
        service_id: i64,
        client_id: i64,
        week: Week,
        expected_version: i64,
        lines: &[NewActual],
        actor: &Actor,
    ) -> StoreResult<i64> {
        let transaction = self.pool().begin().await?;
        // Write first: on SQLite this takes the write lock before any read, so two savers
        // queue instead of deadlocking; on both, the version check and bump are one step.
        let mut transaction = self
            .claim_version(
                transaction,
                service_id,
                client_id,
                week,
                expected_version,
                actor,
                false,
            )
            .await?;
        let mut changes = Vec::new();
        for line in lines {
            let old: Option<ActualRow> = match line.cpli_id {
                Some(cpli_id) => {
                    sqlx::query_as(&format!(
                        "{ACTUAL_SELECT} where cpli_id = $1 and week_start = $2"
                    ))
                    .bind(cpli_id)
                    .bind(week.to_string())
                    .fetch_optional(&mut *transaction)
                    .await?
                }
                None => {
                    sqlx::query_as(&format!(
                        "{ACTUAL_SELECT} where cpli_id is null and service_id = $1
                            and client_id = $2 and week_start = $3 and service_level_id = $4"
                    ))
                    .bind(service_id)
                    .bind(client_id)
                    .bind(week.to_string())
                    .bind(line.service_level_id)
                    .fetch_optional(&mut *transaction)
                    .await?
                }
            };
            let mut old = old.map(ActualRecord::try_from).transpose()?;
            if let Some(record) = old.as_mut() {
                record.sessions = live_sessions(&mut transaction, record.id).await?;
            }
            upsert_line(&mut transaction, service_id, week, line, actor, true).await?;
            changes.push(json!({
                "cpli_id": line.cpli_id,
                "service_level_id": line.service_level_id,
                "old": old.map(|record| figures_json(&record.figures, record.sessions.as_deref())),
                "new": figures_json(&line.figures, line.sessions.as_deref()),
            }));
        }
        let version = expected_version + 1;
        record_change(
            &mut transaction,
            actor,
            "actuals.save",
            "client_week",
            format!("{service_id}/{client_id}/{week}"),
            json!({ "version": version, "lines": changes }),
        )
        .await?;
        transaction.commit().await?;
        Ok(version)
    }

    pub async fn client_week_version(
        &self,
        service_id: i64,
        client_id: i64,
        week: Week,
    ) -> StoreResult<i64> {
        let version: Option<i64> = sqlx::query_scalar(
            "select version from client_week where service_id = $1 and client_id = $2 and week_start = $3",
        )
        .bind(service_id)
        .bind(client_id)
        .bind(week.to_string())
        .fetch_optional(self.pool())
        .await?;
        Ok(version.unwrap_or(0))
    }
}
