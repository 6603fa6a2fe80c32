//! Actuals: the services and weeks a provider can pick, one service's week of actuals,
//! Generate Actuals, and saving one client's week (DOMAIN 4).

use actix_web::http::header::{ETag, EntityTag};
use actix_web::web::Bytes;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use portal_domain::access::ProviderTask;
use portal_domain::actual::rules::breaches;
use portal_domain::actual::sessions::{
    figures_from_rows, intermittent_figures, planned_rows, SessionRow,
};
use portal_domain::cpli::CpliPlan;
use portal_domain::{ActualFigures, FinancialYear, Quantity, Week, Weekdays};
use portal_dto::{
    ActualChange, ActualsBatch, ActualsBatchResult, ClientWeek, ClientWeekOutcome,
    ClientWeekSubmission, ConfirmClientWeek, FieldError, GenerateOutcome, LineChange, LockWeek,
    Page, Problem, ServiceSummary, ServiceWeek, UpdateClientWeek, WeekSummary,
};
use portal_store::actuals::NewActual;
use portal_store::reference::ServiceRecord;
use portal_store::Store;
use serde::Deserialize;
use time::OffsetDateTime;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::idempotency::Idempotent;
use crate::json::parse_json;
use crate::json::ValidJson;
use crate::routes::problems::{NotCouncilStaff, NotSignedIn, StaleVersion};
use crate::routes::{optional_id, parse_id};
use crate::week_view::{
    deadline_instant, priced_line, service_summary, service_week, WeekFilter, WeekRecords,
};

/// The most weeks one listing returns.
const MAX_WEEKS: i64 = 104;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_services)
        .service(list_weeks)
        .service(get_week)
        .service(generate)
        .service(save_client_week)
        .service(submit_actuals_batch)
        .service(client_week_history)
        .service(lock_week)
        .service(unlock_week)
        .service(confirm_client_week);
}

/// The most client-weeks one batch may carry.
const BATCH_LIMIT: usize = 500;

fn today() -> time::Date {
    OffsetDateTime::now_utc().date()
}

/// The week in a path: a Monday, not after the current week when `writing`.
pub(crate) fn parse_week(text: &str, writing: bool) -> Result<Week, ApiError> {
    let week = Week::parse(text).map_err(|error| ApiError::invalid("week", error.to_string()))?;
    if writing && week.is_after_week_of(today()) {
        return Err(ApiError::invalid(
            "week",
            "is in the future: actuals can be entered only up to the current week",
        ));
    }
    Ok(week)
}

pub(crate) async fn service_in_scope(
    store: &Store,
    caller: &Caller,
    service_id: &str,
) -> Result<ServiceRecord, ApiError> {
    let id = parse_id(service_id, "service")?;
    store
        .service(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("service"))
}

/// A client with care at the service that week, by its id; anyone else is not found.
pub(crate) fn client_in_week(
    cplis: &[portal_store::reference::CpliRecord],
    client_id: &str,
) -> Result<i64, ApiError> {
    client_id
        .parse::<i64>()
        .ok()
        .filter(|id| cplis.iter().any(|cpli| cpli.client.id == *id))
        .ok_or(ApiError::NotFound("client"))
}

pub(crate) async fn week_records(
    store: &Store,
    service: ServiceRecord,
    week: Week,
) -> Result<WeekRecords, ApiError> {
    let cplis = store.cplis_active_in_week(service.id, week).await?;
    let intermittent: Vec<i64> = cplis
        .iter()
        .filter(|cpli| matches!(cpli.cpli.plan, CpliPlan::Intermittent { .. }))
        .map(|cpli| cpli.id)
        .collect();
    let year = FinancialYear::containing(week.monday());
    let allocation_used = store
        .allocation_used(&intermittent, year.first_day(), year.last_day(), week)
        .await?;
    let deadline = store
        .council_settings(service.council_id)
        .await?
        .and_then(|council| {
            deadline_instant(
                week,
                council.submission_deadline_weekday,
                &council.submission_deadline_time,
            )
        });
    Ok(WeekRecords {
        deadline,
        last_changes: store.client_week_changes(service.id, week).await?,
        now: OffsetDateTime::now_utc(),
        settings: store.exception_settings(service.contract_id).await?,
        rules: store.contract_rules(service.contract_id).await?,
        levels: store
            .levels_priced_on(service.contract_id, week.monday())
            .await?,
        cplis,
        allocation_used,
        actuals: store.actuals_in_week(service.id, week).await?,
        versions: store.client_week_versions(service.id, week).await?,
        lock: store.week_lock(service.id, week).await?,
        confirmations: store.client_week_confirmations(service.id, week).await?,
        service,
        week,
    })
}

/// Lists the services whose actuals the caller may enter.
#[utoipa::path(
    tag = "actuals",
    operation_id = "list_services",
    responses(
        (status = 200, description = "The caller's services", body = Page<ServiceSummary>),
        NotSignedIn,
    )
)]
#[get("/services")]
pub async fn list_services(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<Page<ServiceSummary>>, ApiError> {
    let services = store.services(caller.scope()).await?;
    Ok(web::Json(Page {
        items: services.iter().map(service_summary).collect(),
        next_cursor: None,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct WeeksQuery {
    /// First day of the range, `YYYY-MM-DD`; defaults to eleven weeks before `to`.
    from: Option<String>,
    /// Last day of the range, `YYYY-MM-DD`; defaults to, and is capped at, the current week.
    to: Option<String>,
}

/// Lists a service's weeks in a date range, with how many clients have actuals in each.
#[utoipa::path(
    tag = "actuals",
    operation_id = "list_weeks",
    params(("service_id" = String, Path, description = "The service"), WeeksQuery),
    responses(
        (status = 200, description = "Weeks, newest first", body = Page<WeekSummary>),
        NotSignedIn,
        (status = 404, description = "No such service of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad dates", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{service_id}/weeks")]
pub async fn list_weeks(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    query: web::Query<WeeksQuery>,
) -> Result<web::Json<Page<WeekSummary>>, ApiError> {
    let service = service_in_scope(&store, &caller, &path).await?;
    let mut errors = Vec::new();
    let mut date_of = |field: &str, value: &Option<String>| {
        value
            .as_deref()
            .and_then(|text| match portal_domain::calendar::parse_iso_date(text) {
                Ok(date) => Some(Week::containing(date)),
                Err(error) => {
                    errors.push(FieldError {
                        field: field.into(),
                        message: error.to_string(),
                    });
                    None
                }
            })
    };
    let current = Week::containing(today());
    let to = date_of("to", &query.to).unwrap_or(current).min(current);
    let from = date_of("from", &query.from);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let from = from.unwrap_or_else(|| Week::containing(to.monday() - time::Duration::weeks(11)));
    if from > to {
        return Err(ApiError::invalid("from", "must not be after to"));
    }
    if (to.monday() - from.monday()).whole_weeks() >= MAX_WEEKS {
        return Err(ApiError::invalid(
            "from",
            format!("the range may cover at most {MAX_WEEKS} weeks"),
        ));
    }
    let counts = store.weeks_with_actuals(service.id, from, to).await?;
    let mut items = Vec::new();
    let mut week = to;
    while week >= from {
        let clients = counts
            .iter()
            .find(|(w, _)| *w == week)
            .map_or(0, |(_, count)| *count);
        items.push(WeekSummary {
            week: week.to_string(),
            label: week.label(),
            clients_with_actuals: u32::try_from(clients).unwrap_or(u32::MAX),
        });
        week = week.previous();
    }
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct WeekQuery {
    /// Only lines of this service level.
    service_level: Option<String>,
    /// Only this client.
    client: Option<String>,
    /// `true`: only clients with recorded actuals; `false`: only clients without.
    has_actuals: Option<String>,
}

fn parse_filter(query: &WeekQuery) -> Result<WeekFilter, ApiError> {
    let mut errors = Vec::new();
    let service_level_id =
        optional_id(&mut errors, "service_level", query.service_level.as_deref());
    let client_id = optional_id(&mut errors, "client", query.client.as_deref());
    let has_actuals = match query.has_actuals.as_deref() {
        None | Some("") => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            errors.push(FieldError {
                field: "has_actuals".into(),
                message: "must be true or false".into(),
            });
            None
        }
    };
    if errors.is_empty() {
        Ok(WeekFilter {
            service_level_id,
            client_id,
            has_actuals,
        })
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// One service's week: every client's lines with cost, explanation, colour and exceptions,
/// and the client and week totals.
#[utoipa::path(
    tag = "actuals",
    operation_id = "get_service_week",
    params(
        ("service_id" = String, Path, description = "The service"),
        ("week" = String, Path, description = "The week's Monday, YYYY-MM-DD", example = "2022-06-06"),
        WeekQuery
    ),
    responses(
        (status = 200, description = "The week", body = ServiceWeek),
        NotSignedIn,
        (status = 404, description = "No such service of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a Monday, or a bad filter", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{service_id}/weeks/{week}/actuals")]
pub async fn get_week(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<(String, String)>,
    query: web::Query<WeekQuery>,
) -> Result<web::Json<ServiceWeek>, ApiError> {
    let (service_id, week) = path.into_inner();
    let service = service_in_scope(&store, &caller, &service_id).await?;
    let week = parse_week(&week, false)?;
    let filter = parse_filter(&query)?;
    let records = week_records(&store, service, week).await?;
    Ok(web::Json(service_week(&records, &filter)))
}

/// Generate Actuals: creates, from plan, the missing actual of every CPLI active in the
/// week. Never overwrites; running it twice creates nothing the second time.
#[utoipa::path(
    tag = "actuals",
    operation_id = "generate_actuals",
    params(
        ("service_id" = String, Path, description = "The service"),
        ("week" = String, Path, description = "The week's Monday, YYYY-MM-DD", example = "2022-06-06"),
    ),
    responses(
        (status = 200, description = "What was created, and the week", body = GenerateOutcome),
        NotSignedIn,
        (status = 403, description = "Your role may not change actuals, or a tool lacks `actuals:write`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a Monday, or a future week", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/services/{service_id}/weeks/{week}/actuals/generate")]
pub async fn generate(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<GenerateOutcome>, ApiError> {
    let (service_id, week) = path.into_inner();
    let service = service_in_scope(&store, &caller, &service_id).await?;
    caller.may(service.organisation_id, ProviderTask::RecordActuals)?;
    let week = parse_week(&week, true)?;
    let cplis = store.cplis_active_in_week(service.id, week).await?;
    let lines: Vec<NewActual> = cplis
        .iter()
        .filter_map(|cpli| {
            let (figures, cost_pence) = priced_line(cpli.cpli.generate(week)?, cpli.rate);
            let sessions = match &cpli.cpli.plan {
                CpliPlan::Timetabled { timetable } => {
                    Some(planned_rows(timetable, cpli.cpli.active_days(week)))
                }
                _ => None,
            };
            Some(NewActual {
                client_id: cpli.client.id,
                cpli_id: Some(cpli.id),
                service_level_id: cpli.service_level.id,
                figures,
                rate: cpli.rate,
                cost_pence,
                sessions,
            })
        })
        .collect();
    let (created, kept) = store
        .generate_actuals(service.id, week, &lines, &caller.actor())
        .await?;
    let records = week_records(&store, service, week).await?;
    Ok(web::Json(GenerateOutcome {
        created,
        kept,
        week: service_week(&records, &WeekFilter::default()),
    }))
}

/// The figures a line sends.
struct SentFigures {
    actual: Quantity,
    frustrated: Quantity,
    missed: Quantity,
    extra: Quantity,
    visits: Option<Quantity>,
}

/// Parses a line's figures and checks its comment, reporting every bad field; `None` when
/// any is bad. A line sent with session rows has its four figures worked out from the rows,
/// so what was sent for them is ignored.
fn sent_figures(
    input: &portal_dto::ActualLineInput,
    field: &dyn Fn(&str) -> String,
    bad: &mut impl FnMut(String, String),
) -> Option<SentFigures> {
    let by_rows = input.sessions.is_some();
    let mut quantity = |name: &str, text: &str| match Quantity::parse(text) {
        Ok(value) => Some(value),
        Err(_) if by_rows && name != "visits" => Some(Quantity::zero()),
        Err(error) => {
            bad(field(name), error.to_string());
            None
        }
    };
    let actual = quantity("actual", &input.actual);
    let frustrated = quantity("frustrated", &input.frustrated);
    let missed = quantity("missed", &input.missed);
    let extra = quantity("extra", &input.extra);
    let visits = match input.visits.as_deref().map(str::trim) {
        None | Some("") => Some(None),
        Some(text) => quantity("visits", text).map(Some),
    };
    if input.comment.chars().count() > 2000 {
        bad(field("comment"), "must be at most 2,000 characters".into());
    }
    Some(SentFigures {
        actual: actual?,
        frustrated: frustrated?,
        missed: missed?,
        extra: extra?,
        visits: visits?,
    })
}

/// An unplanned line (DOMAIN 4.5): a per-unit service level of the contract with no CPLI for
/// the client that week, planned 0, priced at the level's rate that week (or the rate it
/// was recorded at). `None` when anything is bad (and `bad` says what).
fn unplanned_line(
    input: &portal_dto::ActualLineInput,
    records: &WeekRecords,
    client_id: i64,
    field: &dyn Fn(&str) -> String,
    seen: &mut Vec<i64>,
    bad: &mut impl FnMut(String, String),
) -> Option<NewActual> {
    let Some(level_text) = input.service_level_id.as_deref() else {
        bad(
            field("cpli_id"),
            "is required; or give service_level_id for an unplanned line".into(),
        );
        return None;
    };
    let Some(level) = level_text
        .trim()
        .parse::<i64>()
        .ok()
        .and_then(|id| records.unplanned_level(id))
    else {
        bad(
            field("service_level_id"),
            "is not a per-unit service level of this contract".into(),
        );
        return None;
    };
    if records
        .cplis
        .iter()
        .any(|cpli| cpli.client.id == client_id && cpli.service_level.id == level.id)
    {
        bad(
            field("service_level_id"),
            "has a care package line item for this client this week: record the line against it"
                .into(),
        );
        return None;
    }
    if seen.contains(&level.id) {
        bad(field("service_level_id"), "appears more than once".into());
        return None;
    }
    seen.push(level.id);
    let sent = sent_figures(input, field, bad);
    if input.sessions.is_some() {
        bad(
            field("sessions"),
            "are only for timetabled lines: send the figures instead".into(),
        );
        return None;
    }
    let sent = sent?;
    let figures = ActualFigures {
        planned: Quantity::zero(),
        actual: sent.actual,
        frustrated: sent.frustrated,
        missed: sent.missed,
        extra: sent.extra,
        visits: sent.visits,
        comment: input.comment.trim().to_owned(),
    };
    let broken = breaches(&figures, &records.rules);
    if !broken.is_empty() {
        for breach in broken {
            bad(field(breach.field.api_name()), breach.message);
        }
        return None;
    }
    let rate = records
        .actuals
        .iter()
        .find(|actual| {
            actual.cpli_id.is_none()
                && actual.client_id == client_id
                && actual.service_level_id == level.id
        })
        .map_or(level.rate, |recorded| recorded.rate);
    let (figures, cost_pence) = priced_line(figures, rate);
    Some(NewActual {
        client_id,
        cpli_id: None,
        service_level_id: level.id,
        figures,
        rate,
        cost_pence,
        sessions: None,
    })
}

/// Checks every line of a save and reports every bad field at once.
pub(crate) fn validate_lines(
    body: &UpdateClientWeek,
    records: &WeekRecords,
    client_id: i64,
) -> Result<Vec<NewActual>, ApiError> {
    let mut errors = Vec::new();
    let mut bad = |field: String, message: String| errors.push(FieldError { field, message });
    if body.version < 0 {
        bad(
            "version".into(),
            "must be the version you last read, 0 or more".into(),
        );
    }
    if body.lines.is_empty() {
        bad("lines".into(), "must contain at least one line".into());
    }
    let mut lines = Vec::new();
    let mut seen = Vec::new();
    let mut unplanned_seen = Vec::new();
    for (index, input) in body.lines.iter().enumerate() {
        let field = |name: &str| format!("lines[{index}].{name}");
        if input.cpli_id.trim().is_empty() {
            // "Add actual: Unplanned": a line by service level, with no CPLI.
            if let Some(line) = unplanned_line(
                input,
                records,
                client_id,
                &field,
                &mut unplanned_seen,
                &mut bad,
            ) {
                lines.push(line);
            }
            continue;
        }
        let cpli = input.cpli_id.parse::<i64>().ok().and_then(|id| {
            records
                .cplis
                .iter()
                .find(|cpli| cpli.id == id && cpli.client.id == client_id)
        });
        let Some(cpli) = cpli else {
            bad(
                field("cpli_id"),
                "is not a care package line item of this client at this service in this week"
                    .into(),
            );
            continue;
        };
        if seen.contains(&cpli.id) {
            bad(field("cpli_id"), "appears more than once".into());
            continue;
        }
        seen.push(cpli.id);
        let sent = sent_figures(input, &field, &mut bad);
        let sessions = match (&input.sessions, &cpli.cpli.plan) {
            (None, _) => None,
            (Some(rows), CpliPlan::Timetabled { .. }) => {
                parse_session_rows(rows, &field("sessions"), &mut bad)
            }
            (Some(_), _) => {
                bad(
                    field("sessions"),
                    "are only for timetabled lines: send the figures instead".into(),
                );
                None
            }
        };
        let recorded = records
            .actuals
            .iter()
            .find(|actual| actual.cpli_id == Some(cpli.id));
        // A recorded line keeps the rate it was recorded with.
        let rate = recorded.map_or(cpli.rate, |record| record.rate);
        let comment = input.comment.trim();
        let Some(SentFigures {
            actual,
            frustrated,
            missed,
            extra,
            visits,
        }) = sent
        else {
            continue;
        };
        let figures = match (&cpli.cpli.plan, &sessions) {
            (CpliPlan::Timetabled { timetable }, Some(rows)) => figures_from_rows(
                timetable,
                cpli.cpli.active_days(records.week),
                rows,
                visits,
                comment,
            )
            .map_err(|error| error.to_string()),
            (CpliPlan::Intermittent { .. }, _) => {
                intermittent_figures(actual, frustrated, missed, extra, visits, comment)
                    .map_err(|error| error.to_string())
            }
            _ => {
                // A recorded line keeps the plan it was recorded with.
                let planned = match recorded {
                    Some(record) => Some(record.figures.planned),
                    None => cpli.cpli.planned_for_week(records.week),
                };
                planned
                    .map(|planned| ActualFigures {
                        planned,
                        actual,
                        frustrated,
                        missed,
                        extra,
                        visits,
                        comment: comment.to_owned(),
                    })
                    .ok_or_else(|| "has no plan this week".to_owned())
            }
        };
        if input.sessions.is_some() && sessions.is_none() {
            continue;
        }
        match figures {
            Ok(figures) => {
                // The contract's rules refuse what its council does not accept (DOMAIN 14a).
                let broken = breaches(&figures, &records.rules);
                if !broken.is_empty() {
                    for breach in broken {
                        bad(field(breach.field.api_name()), breach.message);
                    }
                    continue;
                }
                let (figures, cost_pence) = priced_line(figures, rate);
                lines.push(NewActual {
                    client_id,
                    cpli_id: Some(cpli.id),
                    service_level_id: cpli.service_level.id,
                    figures,
                    rate,
                    cost_pence,
                    sessions,
                });
            }
            Err(message) => bad(field("cpli_id"), message),
        }
    }
    if errors.is_empty() {
        Ok(lines)
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// The most session rows one timetabled line may have.
const MAX_SESSION_ROWS: usize = 20;

/// A timetabled line's rows, or `None` when any is bad (each bad field reported).
fn parse_session_rows(
    rows: &[portal_dto::SessionRow],
    prefix: &str,
    bad: &mut impl FnMut(String, String),
) -> Option<Vec<SessionRow>> {
    if rows.len() > MAX_SESSION_ROWS {
        bad(
            prefix.to_owned(),
            format!("must be at most {MAX_SESSION_ROWS} rows"),
        );
        return None;
    }
    let mut parsed = Vec::new();
    let mut all_good = true;
    for (index, row) in rows.iter().enumerate() {
        let field = |name: &str| format!("{prefix}[{index}].{name}");
        let days = Weekdays::from_codes(&row.days);
        if days.is_err() {
            bad(field("days"), "must be days mon to sun".into());
        }
        let quantity = Quantity::parse(&row.quantity);
        if let Err(error) = &quantity {
            bad(field("quantity"), error.to_string());
        }
        if row.comment.chars().count() > 500 {
            bad(field("comment"), "must be at most 500 characters".into());
            all_good = false;
        }
        match (days, quantity) {
            (Ok(days), Ok(quantity)) => parsed.push(SessionRow {
                days,
                quantity,
                frustrated: row.frustrated,
                comment: row.comment.trim().to_owned(),
            }),
            _ => all_good = false,
        }
    }
    all_good.then_some(parsed)
}

/// Saves one client's week: validates every line, stores them, and returns the week
/// recomputed. Send the `version` you read; a stale one gets 409 and nothing is written.
#[utoipa::path(
    tag = "actuals",
    operation_id = "save_client_week",
    params(
        ("service_id" = String, Path, description = "The service"),
        ("week" = String, Path, description = "The week's Monday, YYYY-MM-DD", example = "2022-06-06"),
        ("client_id" = String, Path, description = "The client"),
    ),
    request_body(content = UpdateClientWeek, example = json!({
        "version": 1,
        "lines": [{"cpli_id": "2", "actual": "0", "frustrated": "0", "missed": "1", "extra": "0", "visits": "0", "comment": "Call cancelled this week"}]
    })),
    responses(
        (status = 200, description = "Saved; the client's week recomputed, with its new version (also the ETag)", body = ClientWeek),
        NotSignedIn,
        (status = 403, description = "Your role may not change actuals, or a tool lacks `actuals:write`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service or client of yours", body = Problem, content_type = "application/problem+json"),
        StaleVersion,
        (status = 422, description = "Bad lines, every bad field named; or a future week", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/services/{service_id}/weeks/{week}/clients/{client_id}/actuals")]
pub async fn save_client_week(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<(String, String, String)>,
    body: ValidJson<UpdateClientWeek>,
) -> Result<HttpResponse, ApiError> {
    let (service_id, week, client_id) = path.into_inner();
    let service = service_in_scope(&store, &caller, &service_id).await?;
    caller.may(service.organisation_id, ProviderTask::RecordActuals)?;
    let week = parse_week(&week, true)?;
    let records = week_records(&store, service, week).await?;
    let client_id = client_in_week(&records.cplis, &client_id)?;
    let lines = validate_lines(&body.0, &records, client_id)?;
    let version = store
        .save_client_week(
            records.service.id,
            client_id,
            week,
            body.0.version,
            &lines,
            &caller.actor(),
        )
        .await?;
    client_week_answer(&store, records.service, week, client_id, version).await
}

/// A client's week as just written, recomputed, with its new version as the ETag.
async fn client_week_answer(
    store: &Store,
    service: ServiceRecord,
    week: Week,
    client_id: i64,
    version: i64,
) -> Result<HttpResponse, ApiError> {
    let records = week_records(store, service, week).await?;
    let filter = WeekFilter {
        client_id: Some(client_id),
        ..WeekFilter::default()
    };
    let client_week = service_week(&records, &filter)
        .clients
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("a client just written vanished from its week"))?;
    Ok(HttpResponse::Ok()
        .insert_header(ETag(EntityTag::new_strong(version.to_string())))
        .json(client_week))
}

/// Saves one client-week of a batch at the client's current version; its refusal, with
/// every bad field named, otherwise.
async fn save_submission(
    store: &Store,
    caller: &Caller,
    submission: &ClientWeekSubmission,
) -> Result<i64, ApiError> {
    let service = service_in_scope(store, caller, &submission.service_id).await?;
    caller.may(service.organisation_id, ProviderTask::RecordActuals)?;
    let week = parse_week(&submission.week, true)?;
    let records = week_records(store, service, week).await?;
    let client_id = client_in_week(&records.cplis, &submission.client_id)?;
    let current = records
        .versions
        .iter()
        .find(|(client, _)| *client == client_id)
        .map_or(0, |(_, version)| *version);
    let update = UpdateClientWeek {
        version: current,
        lines: submission.lines.clone(),
    };
    let lines = validate_lines(&update, &records, client_id)?;
    Ok(store
        .save_client_week(
            records.service.id,
            client_id,
            week,
            current,
            &lines,
            &caller.actor(),
        )
        .await?)
}

/// A refusal as the batch reports it: the fields it names, or one line saying why.
fn refusal_errors(error: ApiError) -> Result<Vec<FieldError>, ApiError> {
    Ok(match error {
        ApiError::Validation(errors) => errors,
        ApiError::NotFound(what) => vec![FieldError {
            field: format!("{what}_id"),
            message: format!("is not a {what} of yours"),
        }],
        ApiError::Forbidden(detail) | ApiError::Conflict(detail) => vec![FieldError {
            field: "client_week".into(),
            message: detail,
        }],
        ApiError::Store(portal_store::StoreError::Locked(reason)) => vec![FieldError {
            field: "week".into(),
            message: format!("is locked by the council: {reason}"),
        }],
        ApiError::Store(portal_store::StoreError::StaleVersion { .. }) => vec![FieldError {
            field: "client_week".into(),
            message: "changed while this batch was saved: send it again".into(),
        }],
        other => return Err(other),
    })
}

/// Saves a batch of client-weeks from a rostering or call-monitoring tool (or a person),
/// each on its own: accepted ones are kept when others are rejected, and each answer names
/// its bad fields. Send an `Idempotency-Key`: a retry with the same key and body returns
/// the first answer and writes nothing again. Read the weeks back with
/// `GET /services/{service_id}/weeks/{week}/actuals`.
///
/// ```text
/// curl -X POST https://portal.example/api/v1/actuals/batches \
///   -H "Authorization: Bearer $TOOL_TOKEN" -H "Content-Type: application/json" \
///   -H "Idempotency-Key: roster-2022-06-12-0001" \
///   -d '{"client_weeks": [{"service_id": "1", "week": "2022-06-06", "client_id": "1",
///        "lines": [{"cpli_id": "2", "actual": "6", "frustrated": "0", "missed": "1",
///                   "extra": "0", "visits": "6", "comment": "From the rota"}]}]}'
/// ```
#[utoipa::path(
    tag = "actuals",
    operation_id = "submit_actuals_batch",
    params(("Idempotency-Key" = String, Header, description = "Unique per batch; retries reuse it")),
    request_body(content = ActualsBatch, example = json!({
        "client_weeks": [{"service_id": "1", "week": "2022-06-06", "client_id": "1",
            "lines": [{"cpli_id": "2", "actual": "6", "frustrated": "0", "missed": "1", "extra": "0", "visits": "6", "comment": "From the rota"}]}]
    })),
    responses(
        (status = 200, description = "Each client-week accepted (with its new version) or rejected (with its errors)", body = ActualsBatchResult),
        NotSignedIn,
        (status = 403, description = "A tool without `actuals:write`", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No Idempotency-Key, a key reused with another body, or a body that is not a batch", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/actuals/batches")]
pub async fn submit_actuals_batch(
    caller: Caller,
    store: web::Data<Store>,
    request: HttpRequest,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let idempotent = Idempotent::of(&request, &body, caller.principal)?;
    if let Some(replayed) = idempotent.replay(&store).await? {
        return Ok(replayed);
    }
    let batch: ActualsBatch = parse_json(&body)?;
    if batch.client_weeks.is_empty() || batch.client_weeks.len() > BATCH_LIMIT {
        return Err(ApiError::invalid(
            "client_weeks",
            format!("must hold 1 to {BATCH_LIMIT} client-weeks"),
        ));
    }
    let mut outcomes = Vec::with_capacity(batch.client_weeks.len());
    for (index, submission) in batch.client_weeks.iter().enumerate() {
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        outcomes.push(match save_submission(&store, &caller, submission).await {
            Ok(version) => ClientWeekOutcome {
                index,
                status: "accepted".into(),
                version: Some(version),
                errors: Vec::new(),
            },
            Err(error) => ClientWeekOutcome {
                index,
                status: "rejected".into(),
                version: None,
                errors: refusal_errors(error)?,
            },
        });
    }
    let accepted =
        u32::try_from(outcomes.iter().filter(|o| o.version.is_some()).count()).unwrap_or(u32::MAX);
    let result = ActualsBatchResult {
        accepted,
        rejected: u32::try_from(outcomes.len()).unwrap_or(u32::MAX) - accepted,
        client_weeks: outcomes,
    };
    let body = serde_json::to_string(&result).map_err(anyhow::Error::from)?;
    idempotent.answer(&store, body).await
}

/// One audited change as the client's history shows it; `None` for changes of other
/// clients (a generation of the service's week that created none of this client's lines).
fn history_entry(
    change: portal_store::audit::ChangeRecord,
    level_of: &dyn Fn(Option<i64>, Option<i64>) -> Option<String>,
) -> Option<ActualChange> {
    let id_of = |value: &serde_json::Value| value.as_i64();
    let lines: Vec<LineChange> = match change.action.as_str() {
        "actuals.save" => change.detail["lines"]
            .as_array()?
            .iter()
            .filter_map(|line| {
                let cpli_id = id_of(&line["cpli_id"]);
                let level_id = id_of(&line["service_level_id"]);
                if cpli_id.is_none() && level_id.is_none() {
                    return None;
                }
                Some(LineChange {
                    cpli_id: cpli_id.map(|id| id.to_string()).unwrap_or_default(),
                    service_level_name: level_of(cpli_id, level_id).unwrap_or_default(),
                    old: serde_json::from_value(line["old"].clone()).ok(),
                    new: serde_json::from_value(line["new"].clone()).ok(),
                })
            })
            .collect(),
        "actuals.generate" => change.detail["created_for_cplis"]
            .as_array()?
            .iter()
            .filter_map(|id| {
                let cpli_id = id_of(id)?;
                Some(LineChange {
                    cpli_id: cpli_id.to_string(),
                    service_level_name: level_of(Some(cpli_id), None)?,
                    old: None,
                    new: None,
                })
            })
            .collect(),
        "actuals.confirm" => Vec::new(),
        _ => return None,
    };
    if change.action == "actuals.generate" && lines.is_empty() {
        return None;
    }
    Some(ActualChange {
        at: change.occurred_at,
        by: change.by.unwrap_or_else(|| "Unknown".to_owned()),
        by_tool: change.by_tool,
        source_ip: change.source_ip,
        what: match change.action.as_str() {
            "actuals.save" => "saved",
            "actuals.confirm" => "confirmed",
            _ => "generated",
        }
        .to_owned(),
        version: change.detail["version"].as_i64(),
        lines,
    })
}

/// Every change to a client's week, oldest first: who (a person or a tool), when, from
/// where, and each line's values before and after. Nothing is ever deleted, so this is the
/// week's whole story.
#[utoipa::path(
    tag = "actuals",
    operation_id = "client_week_history",
    params(
        ("service_id" = String, Path, description = "The service"),
        ("week" = String, Path, description = "The week's Monday, YYYY-MM-DD", example = "2022-06-06"),
        ("client_id" = String, Path, description = "The client"),
    ),
    responses(
        (status = 200, description = "The changes, oldest first", body = Page<ActualChange>),
        NotSignedIn,
        (status = 404, description = "No such service or client of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a Monday", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{service_id}/weeks/{week}/clients/{client_id}/history")]
pub async fn client_week_history(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<(String, String, String)>,
) -> Result<web::Json<Page<ActualChange>>, ApiError> {
    let (service_id, week, client_id) = path.into_inner();
    let service = service_in_scope(&store, &caller, &service_id).await?;
    let week = parse_week(&week, false)?;
    let cplis = store.cplis_active_in_week(service.id, week).await?;
    let client_id = client_in_week(&cplis, &client_id)?;
    let levels = store
        .levels_priced_on(service.contract_id, week.monday())
        .await?;
    // A line is named by its CPLI's level or, unplanned, by its own level.
    let level_of = |cpli_id: Option<i64>, level_id: Option<i64>| {
        cpli_id
            .and_then(|cpli_id| {
                cplis
                    .iter()
                    .find(|cpli| cpli.id == cpli_id && cpli.client.id == client_id)
                    .map(|cpli| cpli.service_level.name.clone())
            })
            .or_else(|| {
                let level_id = level_id?;
                levels
                    .iter()
                    .find(|(level, _)| level.id == level_id)
                    .map(|(level, _)| level.name.clone())
            })
    };
    let items = store
        .client_week_history(service.id, client_id, week)
        .await?
        .into_iter()
        .filter_map(|change| history_entry(change, &level_of))
        .collect();
    Ok(web::Json(Page {
        items,
        next_cursor: None,
    }))
}

/// Locks a service's week (council staff): saves, generation and batches are then refused
/// with 409 and the reason, until it is unlocked.
#[utoipa::path(
    tag = "actuals",
    operation_id = "lock_week",
    params(
        ("service_id" = String, Path, description = "The service"),
        ("week" = String, Path, description = "The week's Monday, YYYY-MM-DD", example = "2022-06-06"),
    ),
    request_body = LockWeek,
    responses(
        (status = 200, description = "Locked; the week as providers now see it", body = ServiceWeek),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such service of the council's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already locked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason, or not a Monday", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/services/{service_id}/weeks/{week}/lock")]
pub async fn lock_week(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<(String, String)>,
    body: ValidJson<LockWeek>,
) -> Result<web::Json<ServiceWeek>, ApiError> {
    caller.council_staff_of()?;
    let (service_id, week) = path.into_inner();
    let service = service_in_scope(&store, &caller, &service_id).await?;
    let week = parse_week(&week, false)?;
    let reason = body.0.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 {
        return Err(ApiError::invalid(
            "reason",
            "Say why the week is locked, in up to 500 characters",
        ));
    }
    if !store
        .lock_week(service.id, week, reason, &caller.actor())
        .await?
    {
        return Err(ApiError::Conflict("This week is locked already.".into()));
    }
    let records = week_records(&store, service, week).await?;
    Ok(web::Json(service_week(&records, &WeekFilter::default())))
}

/// Unlocks a service's week (council staff).
#[utoipa::path(
    tag = "actuals",
    operation_id = "unlock_week",
    params(
        ("service_id" = String, Path, description = "The service"),
        ("week" = String, Path, description = "The week's Monday, YYYY-MM-DD", example = "2022-06-06"),
    ),
    responses(
        (status = 200, description = "Unlocked", body = ServiceWeek),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such service of the council's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not locked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a Monday", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/services/{service_id}/weeks/{week}/unlock")]
pub async fn unlock_week(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<(String, String)>,
) -> Result<web::Json<ServiceWeek>, ApiError> {
    caller.council_staff_of()?;
    let (service_id, week) = path.into_inner();
    let service = service_in_scope(&store, &caller, &service_id).await?;
    let week = parse_week(&week, false)?;
    if !store.unlock_week(service.id, week, &caller.actor()).await? {
        return Err(ApiError::Conflict("This week is not locked.".into()));
    }
    let records = week_records(&store, service, week).await?;
    Ok(web::Json(service_week(&records, &WeekFilter::default())))
}

/// Confirms a client's week as read at `version` (the guides' per-row Confirm). A later
/// change to the week clears the confirmation. Only a person confirms; a stale version gets
/// 409, as does a locked week.
#[utoipa::path(
    tag = "actuals",
    operation_id = "confirm_client_week",
    params(
        ("service_id" = String, Path, description = "The service"),
        ("week" = String, Path, description = "The week's Monday, YYYY-MM-DD", example = "2022-06-06"),
        ("client_id" = String, Path, description = "The client"),
    ),
    request_body = ConfirmClientWeek,
    responses(
        (status = 200, description = "Confirmed; the client's week with its new version", body = ClientWeek),
        NotSignedIn,
        (status = 403, description = "A tool, or a role that may not record actuals", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service or client of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Changed since it was read, or locked", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A future week", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/services/{service_id}/weeks/{week}/clients/{client_id}/confirm")]
pub async fn confirm_client_week(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<(String, String, String)>,
    body: ValidJson<ConfirmClientWeek>,
) -> Result<HttpResponse, ApiError> {
    caller.person_id()?;
    let (service_id, week, client_id) = path.into_inner();
    let service = service_in_scope(&store, &caller, &service_id).await?;
    caller.may(service.organisation_id, ProviderTask::RecordActuals)?;
    let week = parse_week(&week, true)?;
    let records = week_records(&store, service, week).await?;
    let client_id = client_in_week(&records.cplis, &client_id)?;
    let version = store
        .confirm_client_week(
            records.service.id,
            client_id,
            week,
            body.0.version,
            &caller.actor(),
        )
        .await?;
    client_week_answer(&store, records.service, week, client_id, version).await
}
