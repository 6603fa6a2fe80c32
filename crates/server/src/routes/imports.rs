//! Bulk files (DOMAIN 4.8): a service's actuals and its commissioned care exported (JSON,
//! or CSV as API.md has it: `Accept: text/csv` or `?format=csv`), and a CSV file of actuals
//! imported through a checked preview that "Update system" commits in one transaction.
//!
//! An imported line is checked exactly as a save of its client's week is
//! (`actuals::validate_lines`), per client-week, after the file's own checks (columns,
//! week, repeats, locks); its errors then name the file's line and column.

use std::collections::{BTreeMap, HashMap};

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::web::Bytes;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use portal_domain::access::ProviderTask;
use portal_domain::Week;
use portal_dto::{
    ActualLineInput, ActualsImport, CommissionedCare, ExportedActual, FieldError, ImportCounts,
    Page, Problem, UpdateClientWeek,
};
use portal_store::imports::{ClientWeekWrite, CommitOutcome, ImportLine, ImportRecord, NewImport};
use portal_store::reference::{CpliFilter, ServiceRecord};
use portal_store::Store;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::actuals::{parse_week, service_in_scope, validate_lines, week_records};
use crate::routes::parse_id;
use crate::routes::problems::NotSignedIn;
use crate::week_view::{service_week, WeekFilter};

/// The most weeks one export covers.
const MAX_EXPORT_WEEKS: i64 = 104;
/// The most lines one file may hold.
const MAX_LINES: usize = 20_000;

/// The actuals file's columns, in order: `ExportedActual`'s fields.
pub const ACTUAL_COLUMNS: [&str; 13] = [
    "cpli_id",
    "week",
    "ssref",
    "client",
    "service_level",
    "recorded",
    "planned",
    "actual",
    "frustrated",
    "missed",
    "extra",
    "visits",
    "comment",
];
/// The columns an import reads; the others are there for people to read.
const REQUIRED_COLUMNS: [&str; 8] = [
    "cpli_id",
    "week",
    "actual",
    "frustrated",
    "missed",
    "extra",
    "visits",
    "comment",
];
/// The commissioned-care file's columns, in order: `CommissionedCare`'s fields.
pub const CARE_COLUMNS: [&str; 18] = [
    "cpli_id",
    "version",
    "ssref",
    "client",
    "service_level",
    "unit",
    "pricing_kind",
    "start",
    "end",
    "weekly_quantity",
    "timetable",
    "annual_allocation",
    "rate",
    "weekly_cost",
    "planned_visits",
    "budget_code",
    "care_package_ref",
    "authorised",
];

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(export_actuals)
        .service(export_commissioned_care)
        .service(preview_import)
        .service(get_import)
        .service(commit_import);
}

fn today() -> time::Date {
    OffsetDateTime::now_utc().date()
}

// ---------------------------------------------------------------------------------------
// Exports.

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ExportQuery {
    /// A day of the first week, `YYYY-MM-DD`.
    from: Option<String>,
    /// A day of the last week, `YYYY-MM-DD`; at most the current week, 104 weeks after `from`.
    to: Option<String>,
    /// `csv` for the file (as `Accept: text/csv` asks); `json`, the default, for a page.
    format: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CareQuery {
    /// `true` to include CPLIs whose end date has passed.
    include_historical: Option<bool>,
    /// `true` to include CPLIs not yet authorised.
    include_unauthorised: Option<bool>,
    /// `csv` for the file (as `Accept: text/csv` asks); `json`, the default, for a page.
    format: Option<String>,
}

/// Whether the caller asked for CSV, by `format` or else by `Accept`.
pub(crate) fn wants_csv(request: &HttpRequest, format: Option<&str>) -> Result<bool, ApiError> {
    match format.map(str::trim) {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        None | Some("") => Ok(request
            .headers()
            .get(header::ACCEPT)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|accept| accept.contains("text/csv"))),
        Some(_) => Err(ApiError::invalid("format", "must be csv or json")),
    }
}

/// Rows as a CSV file with a header row (also when there are no rows) and a file name.
pub(crate) fn csv_file<T: Serialize>(
    columns: &[&str],
    rows: &[T],
    file_name: String,
) -> Result<HttpResponse, ApiError> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    writer.write_record(columns).map_err(anyhow::Error::from)?;
    for row in rows {
        writer.serialize(row).map_err(anyhow::Error::from)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name)],
        })
        .body(bytes))
}

fn answer<T: Serialize>(
    csv: Option<(&[&str], String)>,
    rows: Vec<T>,
) -> Result<HttpResponse, ApiError> {
    match csv {
        Some((columns, file_name)) => csv_file(columns, &rows, file_name),
        None => Ok(HttpResponse::Ok().json(Page {
            items: rows,
            next_cursor: None,
        })),
    }
}

/// The weeks from `from` to `to`, both required, `to` at most the current week.
fn week_range(query: &ExportQuery) -> Result<(Week, Week), ApiError> {
    let mut errors = Vec::new();
    let mut week_of = |field: &str, value: Option<&str>| match value
        .map(portal_domain::calendar::parse_iso_date)
    {
        Some(Ok(day)) => Some(Week::containing(day)),
        Some(Err(error)) => {
            errors.push(FieldError {
                field: field.into(),
                message: error.to_string(),
            });
            None
        }
        None => {
            errors.push(FieldError {
                field: field.into(),
                message: "is required, YYYY-MM-DD".into(),
            });
            None
        }
    };
    let from = week_of("from", query.from.as_deref());
    let to = week_of("to", query.to.as_deref());
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ApiError::Validation(errors));
    };
    let to = to.min(Week::containing(today()));
    if from > to {
        return Err(ApiError::invalid(
            "from",
            "must not be after to, nor after the current week",
        ));
    }
    if (to.monday() - from.monday()).whole_weeks() >= MAX_EXPORT_WEEKS {
        return Err(ApiError::invalid(
            "from",
            format!("the range may cover at most {MAX_EXPORT_WEEKS} weeks"),
        ));
    }
    Ok((from, to))
}

/// Exports a service's actuals between two weeks: one row per CPLI and week, the recorded
/// figures or, where nothing is recorded yet, the plan (`recorded` is `no`). JSON by
/// default; CSV with `Accept: text/csv` or `format=csv`.
///
/// The CSV's header row is `cpli_id,week,ssref,client,service_level,recorded,planned,actual,frustrated,missed,extra,visits,comment`;
/// quantities are decimal strings (`5.5`) and weeks their Monday (`2022-06-06`). Edit
/// `actual`, `frustrated`, `missed`, `extra`, `visits` and `comment`, delete the lines not to
/// submit, and import the file with `POST /services/{service_id}/imports`.
#[utoipa::path(
    tag = "actuals",
    operation_id = "export_actuals",
    params(("service_id" = String, Path, description = "The service"), ExportQuery),
    responses(
        (status = 200, description = "The lines, as a page or as a CSV file (with a Content-Disposition file name)",
            content(
                (Page<ExportedActual> = "application/json"),
                (String = "text/csv", example = "cpli_id,week,ssref,client,service_level,recorded,planned,actual,frustrated,missed,extra,visits,comment\n2,2022-06-06,96836000,\"Bristow, Eric\",Homecare Flexible - Bradford - Double-handed,yes,1,0,0,1,0,0,Call cancelled this week\n")
            )),
        NotSignedIn,
        (status = 404, description = "No such service of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or bad dates, or a bad format", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{service_id}/actuals")]
pub async fn export_actuals(
    caller: Caller,
    store: web::Data<Store>,
    request: HttpRequest,
    path: web::Path<String>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    let service = service_in_scope(&store, &caller, &path).await?;
    let csv = wants_csv(&request, query.format.as_deref())?;
    let (from, to) = week_range(&query)?;
    let service_id = service.id;
    let mut rows = Vec::new();
    let mut week = from;
    while week <= to {
        let records = week_records(&store, service.clone(), week).await?;
        for client in service_week(&records, &WeekFilter::default()).clients {
            for line in client.lines {
                rows.push(ExportedActual {
                    cpli_id: line.cpli_id,
                    week: week.to_string(),
                    ssref: client.client.ssref.clone(),
                    client: client.client.sort_name.clone(),
                    service_level: line.service_level.name,
                    recorded: yes_no(line.recorded),
                    planned: line.planned,
                    actual: line.actual,
                    frustrated: line.frustrated,
                    missed: line.missed,
                    extra: line.extra,
                    visits: line.visits.unwrap_or_default(),
                    comment: line.comment,
                });
            }
        }
        week = week.next();
    }
    let file_name = format!("actuals-service-{service_id}-{from}-to-{to}.csv");
    answer(csv.then_some((&ACTUAL_COLUMNS[..], file_name)), rows)
}

fn yes_no(value: bool) -> String {
    if value { "yes" } else { "no" }.to_owned()
}

/// The commissioned-care export: the service's care package line items (current and
/// authorised unless asked otherwise), one row each. JSON by default; CSV with
/// `Accept: text/csv` or `format=csv`, header row
/// `cpli_id,version,ssref,client,service_level,unit,pricing_kind,start,end,weekly_quantity,timetable,annual_allocation,rate,weekly_cost,planned_visits,budget_code,care_package_ref,authorised`.
/// A CPLI has one of `weekly_quantity` (per unit), `timetable` ("mon, wed, fri x 1") or
/// `annual_allocation` (intermittent).
#[utoipa::path(
    tag = "reference",
    operation_id = "export_commissioned_care",
    params(("service_id" = String, Path, description = "The service"), CareQuery),
    responses(
        (status = 200, description = "The CPLIs, as a page or as a CSV file (with a Content-Disposition file name)",
            content(
                (Page<CommissionedCare> = "application/json"),
                (String = "text/csv")
            )),
        NotSignedIn,
        (status = 404, description = "No such service of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad format", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{service_id}/commissioned-care")]
pub async fn export_commissioned_care(
    caller: Caller,
    store: web::Data<Store>,
    request: HttpRequest,
    path: web::Path<String>,
    query: web::Query<CareQuery>,
) -> Result<HttpResponse, ApiError> {
    let service = service_in_scope(&store, &caller, &path).await?;
    let csv = wants_csv(&request, query.format.as_deref())?;
    let today = today();
    let filter = CpliFilter {
        service_id: Some(service.id),
        client_id: None,
        service_level_id: None,
        include_historical: query.include_historical.unwrap_or(false),
        include_unauthorised: query.include_unauthorised.unwrap_or(false),
        today,
    };
    let rows: Vec<CommissionedCare> = store
        .cplis(caller.scope(), &filter)
        .await?
        .into_iter()
        .map(|listing| {
            let mut rate = listing.record.rate.value();
            rate.rescale(2);
            let summary = crate::catalogue::cpli_summary(listing, today);
            let terms = summary.terms.as_ref();
            let term = |pick: fn(&portal_dto::CpliTerms) -> Option<String>| {
                terms.and_then(pick).unwrap_or_default()
            };
            let timetable = terms
                .and_then(|terms| terms.timetable.as_ref())
                .map(|rows| {
                    rows.iter()
                        .map(|row| format!("{} x {}", row.days.join(", "), row.quantity))
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_default();
            CommissionedCare {
                cpli_id: summary.id,
                version: summary.version_number,
                ssref: summary.ssref,
                client: summary.client_name,
                service_level: summary.service_level_name,
                unit: summary.unit,
                pricing_kind: summary.pricing_kind,
                start: summary.start,
                end: summary.end.unwrap_or_default(),
                weekly_quantity: term(|t| t.weekly_quantity.clone()),
                timetable,
                annual_allocation: term(|t| t.annual_allocation.clone()),
                rate: rate.to_string(),
                weekly_cost: summary.weekly_cost,
                planned_visits: term(|t| Some(t.planned_visits.clone())),
                budget_code: term(|t| Some(t.budget_code.clone())),
                care_package_ref: term(|t| Some(t.care_package_ref.clone())),
                authorised: yes_no(summary.authorised),
            }
        })
        .collect();
    let file_name = format!("commissioned-care-service-{}.csv", service.id);
    answer(csv.then_some((&CARE_COLUMNS[..], file_name)), rows)
}

// ---------------------------------------------------------------------------------------
// Reading a file.

/// One line of a file as read.
#[derive(Debug)]
struct FileLine {
    line: u32,
    cpli_id: String,
    week: String,
    ssref: String,
    input: ActualLineInput,
    /// Faults of the file itself (a line with too many columns).
    file_errors: Vec<FieldError>,
}

/// A file's problem: one field, `file`.
fn bad_file(message: impl Into<String>) -> ApiError {
    ApiError::invalid("file", message)
}

/// Column names as people type them: `CPLI ID` is `cpli_id`.
fn column_name(text: &str) -> String {
    text.trim().to_lowercase().replace([' ', '-'], "_")
}

/// A week as spreadsheets save it back (`06/06/2022`) in ISO form; ISO stays as it is.
fn iso_week_text(text: &str) -> String {
    let parts: Vec<&str> = text.trim().split('/').collect();
    match parts.as_slice() {
        [day, month, year] if year.len() == 4 => format!("{year}-{month:0>2}-{day:0>2}"),
        _ => text.trim().to_owned(),
    }
}

/// Reads a CSV file of actuals: every line, or the file's own fault (not UTF-8, no header,
/// unknown or missing columns, no lines).
fn read_file(body: &[u8]) -> Result<Vec<FileLine>, ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| bad_file("must be UTF-8 text: save it from the spreadsheet as CSV UTF-8"))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|error| bad_file(format!("has no header row that can be read: {error}")))?
        .iter()
        .map(column_name)
        .collect();
    let mut errors = Vec::new();
    for (index, column) in headers.iter().enumerate() {
        if !ACTUAL_COLUMNS.contains(&column.as_str()) {
            errors.push(FieldError {
                field: "file".into(),
                message: format!(
                    "has a column \"{column}\" that is not one of {}",
                    ACTUAL_COLUMNS.join(", ")
                ),
            });
        } else if headers[..index].contains(column) {
            errors.push(FieldError {
                field: "file".into(),
                message: format!("has the column \"{column}\" twice"),
            });
        }
    }
    for column in REQUIRED_COLUMNS {
        if !headers.iter().any(|header| header == column) {
            errors.push(FieldError {
                field: "file".into(),
                message: format!("has no column \"{column}\""),
            });
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| bad_file(format!("cannot be read as CSV: {error}")))?;
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        if lines.len() == MAX_LINES {
            return Err(bad_file(format!(
                "has more than {MAX_LINES} lines: split it"
            )));
        }
        let line = record.position().map_or(0, |position| {
            u32::try_from(position.line()).unwrap_or(u32::MAX)
        });
        let mut file_errors = Vec::new();
        if record.len() != headers.len() {
            file_errors.push(FieldError {
                field: "line".into(),
                message: format!(
                    "has {} columns where the header has {}",
                    record.len(),
                    headers.len()
                ),
            });
        }
        let value = |column: &str| {
            headers
                .iter()
                .position(|header| header == column)
                .and_then(|index| record.get(index))
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        // The line's figures by the API's own field names, so a line of the file is read as
        // the JSON of a save is.
        let mut fields = serde_json::Map::new();
        for (index, column) in headers.iter().enumerate() {
            let text = record.get(index).unwrap_or_default().trim();
            let value = match (column.as_str(), text) {
                ("visits", "") => Value::Null,
                _ => Value::String(text.to_owned()),
            };
            fields.insert(column.clone(), value);
        }
        let input: ActualLineInput = serde_json::from_value(Value::Object(fields))
            .map_err(|error| bad_file(format!("line {line} cannot be read: {error}")))?;
        lines.push(FileLine {
            line,
            cpli_id: value("cpli_id"),
            week: value("week"),
            ssref: value("ssref"),
            input,
            file_errors,
        });
    }
    if lines.is_empty() {
        return Err(bad_file("has no lines under its header row"));
    }
    Ok(lines)
}

/// The lines of a stored import, as they were read.
fn stored_lines(import: &ImportRecord) -> Result<Vec<FileLine>, ApiError> {
    import
        .lines
        .iter()
        .map(|line| {
            Ok(FileLine {
                line: u32::try_from(line.line_number).unwrap_or(u32::MAX),
                cpli_id: line.cpli_id.clone(),
                week: line.week_start.clone(),
                ssref: line.ssref.clone(),
                input: serde_json::from_str(&line.input).map_err(anyhow::Error::from)?,
                file_errors: serde_json::from_str(&line.file_errors)
                    .map_err(anyhow::Error::from)?,
            })
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Checking a file against the service's data.

/// What the check made of one line.
#[derive(Default)]
struct LineCheck {
    errors: Vec<FieldError>,
    warnings: Vec<FieldError>,
    /// The CPLI's client: SSRef and "Bristow, Eric".
    client: Option<(String, String)>,
}

struct Checked {
    lines: Vec<LineCheck>,
    /// The valid lines, by client-week.
    writes: Vec<ClientWeekWrite>,
}

impl Checked {
    fn valid(&self) -> usize {
        self.lines
            .iter()
            .filter(|line| line.errors.is_empty())
            .count()
    }
}

fn error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.into(),
        message: message.into(),
    }
}

/// `lines[3].actual` -> (3, `actual`).
fn line_field(field: &str) -> Option<(usize, &str)> {
    let rest = field.strip_prefix("lines[")?;
    let (index, column) = rest.split_once("].")?;
    Some((index.parse().ok()?, column))
}

/// Checks every line against the service's data now: the week (a Monday, not in the
/// future, not locked), repeats within the file, and the CPLI and figures as a save of the
/// client's week checks them. Nothing is written.
async fn check(
    store: &Store,
    service: &ServiceRecord,
    lines: &[FileLine],
) -> Result<Checked, ApiError> {
    let mut checks: Vec<LineCheck> = lines
        .iter()
        .map(|line| LineCheck {
            errors: line.file_errors.clone(),
            ..LineCheck::default()
        })
        .collect();
    let mut by_week: BTreeMap<Week, Vec<usize>> = BTreeMap::new();
    let mut first_of: HashMap<(String, Week), usize> = HashMap::new();
    for (index, line) in lines.iter().enumerate() {
        let week = match parse_week(&iso_week_text(&line.week), true) {
            Ok(week) => week,
            Err(ApiError::Validation(errors)) => {
                checks[index].errors.extend(errors);
                continue;
            }
            Err(other) => return Err(other),
        };
        // A CPLI's week twice: which line is meant cannot be told, so neither is written.
        match first_of.get(&(line.cpli_id.clone(), week)) {
            Some(&first) => {
                let again = format!(
                    "repeats the care package line item and week of line {}: keep one line",
                    lines[first].line
                );
                checks[index].errors.push(error("cpli_id", again));
                let other = format!(
                    "is repeated, for the same week, on line {}: keep one line",
                    line.line
                );
                checks[first].errors.push(error("cpli_id", other));
            }
            None => {
                first_of.insert((line.cpli_id.clone(), week), index);
                by_week.entry(week).or_default().push(index);
            }
        }
    }
    let mut writes = Vec::new();
    for (week, indices) in by_week {
        let records = week_records(store, service.clone(), week).await?;
        if let Some(lock) = &records.lock {
            for index in indices {
                checks[index].errors.push(error(
                    "week",
                    format!("is locked by the council: {}", lock.reason),
                ));
            }
            continue;
        }
        let mut by_client: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
        for index in indices {
            let cpli = lines[index]
                .cpli_id
                .parse::<i64>()
                .ok()
                .and_then(|id| records.cplis.iter().find(|cpli| cpli.id == id));
            match cpli {
                Some(cpli) => {
                    checks[index].client =
                        Some((cpli.client.ssref.clone(), cpli.client.sort_name()));
                    by_client.entry(cpli.client.id).or_default().push(index);
                }
                None => checks[index].errors.push(error(
                    "cpli_id",
                    format!(
                        "is not a care package line item of {} in the week beginning {}",
                        service.name,
                        week.label()
                    ),
                )),
            }
        }
        for (client_id, indices) in by_client {
            let version = records
                .versions
                .iter()
                .find(|(client, _)| *client == client_id)
                .map_or(0, |(_, version)| *version);
            let mut pending: Vec<usize> = indices
                .into_iter()
                .filter(|index| checks[*index].errors.is_empty())
                .collect();
            while !pending.is_empty() {
                let body = UpdateClientWeek {
                    version,
                    lines: pending
                        .iter()
                        .map(|index| lines[*index].input.clone())
                        .collect(),
                };
                match validate_lines(&body, &records, client_id) {
                    Ok(new_lines) => {
                        let mut written = Vec::new();
                        for (index, line) in pending.iter().zip(new_lines) {
                            if !line.figures.adds_up() {
                                checks[*index].warnings.push(error(
                                    "actual",
                                    format!(
                                        "does not add up: planned - frustrated - missed + extra is {}. \
                                         It will be saved, with the exception \"Actual does not add up\"",
                                        line.figures.expected_actual().normalize()
                                    ),
                                ));
                            }
                            let old = records
                                .actuals
                                .iter()
                                .find(|actual| actual.cpli_id == line.cpli_id)
                                .map(|actual| actual.figures.clone());
                            written.push((line, old));
                        }
                        writes.push(ClientWeekWrite {
                            client_id,
                            week,
                            version_checked: version,
                            lines: written,
                        });
                        break;
                    }
                    Err(ApiError::Validation(errors)) => {
                        let before = pending.len();
                        for found in errors {
                            match line_field(&found.field) {
                                Some((at, column)) if at < pending.len() => {
                                    checks[pending[at]]
                                        .errors
                                        .push(error(column, found.message));
                                }
                                _ => {
                                    for index in &pending {
                                        checks[*index].errors.push(found.clone());
                                    }
                                }
                            }
                        }
                        pending.retain(|index| checks[*index].errors.is_empty());
                        if pending.len() == before {
                            return Err(anyhow::anyhow!("a refused save named no line").into());
                        }
                    }
                    Err(other) => return Err(other),
                }
            }
        }
    }
    Ok(Checked {
        lines: checks,
        writes,
    })
}

fn to_json<T: Serialize>(value: &T) -> Result<String, ApiError> {
    Ok(serde_json::to_string(value).map_err(anyhow::Error::from)?)
}

/// The lines with their checks, as the store keeps them.
fn import_lines(lines: &[FileLine], checked: &Checked) -> Result<Vec<ImportLine>, ApiError> {
    lines
        .iter()
        .zip(&checked.lines)
        .map(|(line, check)| {
            let (ssref, client) = check
                .client
                .clone()
                .unwrap_or_else(|| (line.ssref.clone(), String::new()));
            Ok(ImportLine {
                line_number: i64::from(line.line),
                cpli_id: line.cpli_id.clone(),
                week_start: line.week.clone(),
                ssref,
                input: to_json(&line.input)?,
                file_errors: to_json(&line.file_errors)?,
                status: if check.errors.is_empty() {
                    "valid"
                } else {
                    "invalid"
                }
                .to_owned(),
                client,
                errors: to_json(&check.errors)?,
                warnings: to_json(&check.warnings)?,
            })
        })
        .collect()
}

fn import_view(import: ImportRecord) -> Result<ActualsImport, ApiError> {
    let count = |status: &str| {
        u32::try_from(
            import
                .lines
                .iter()
                .filter(|line| line.status == status)
                .count(),
        )
        .unwrap_or(u32::MAX)
    };
    let counts = ImportCounts {
        lines: u32::try_from(import.lines.len()).unwrap_or(u32::MAX),
        valid: count("valid"),
        invalid: count("invalid"),
        written: import
            .written_lines
            .map(|written| u32::try_from(written).unwrap_or(u32::MAX)),
    };
    let lines = import
        .lines
        .into_iter()
        .map(|line| {
            Ok(portal_dto::ImportLine {
                line: u32::try_from(line.line_number).unwrap_or(u32::MAX),
                cpli_id: line.cpli_id,
                week: line.week_start,
                ssref: line.ssref,
                client: line.client,
                status: line.status,
                errors: serde_json::from_str(&line.errors).map_err(anyhow::Error::from)?,
                warnings: serde_json::from_str(&line.warnings).map_err(anyhow::Error::from)?,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    Ok(ActualsImport {
        id: import.id.to_string(),
        service_id: import.service_id.to_string(),
        reference: import.reference,
        status: import.status,
        content_sha256: import.content_sha256,
        created_at: import.created_at,
        committed_at: import.committed_at,
        counts,
        lines,
    })
}

/// Refuses (409) a file whose reference or content the organisation has committed before.
async fn refuse_repeat(
    store: &Store,
    organisation_id: i64,
    reference: &str,
    content_sha256: &str,
) -> Result<(), ApiError> {
    let Some(earlier) = store
        .committed_import_like(organisation_id, reference, content_sha256)
        .await?
    else {
        return Ok(());
    };
    let when = earlier
        .committed_at
        .get(..10)
        .and_then(|day| portal_domain::calendar::parse_iso_date(day).ok())
        .map(portal_domain::format::format_date)
        .unwrap_or_default();
    Err(ApiError::Conflict(if earlier.same_reference {
        format!(
            "A file with the reference \"{reference}\" was imported on {when}. Nothing was written: \
             give a new file a new reference."
        )
    } else {
        format!(
            "This file's content was imported on {when} as \"{}\". Nothing was written.",
            earlier.reference
        )
    }))
}

async fn import_in_scope(
    store: &Store,
    caller: &Caller,
    import_id: &str,
) -> Result<ImportRecord, ApiError> {
    let id = parse_id(import_id, "import")?;
    store
        .import(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("import"))
}

// ---------------------------------------------------------------------------------------
// Importing.

#[derive(Debug, Deserialize)]
pub struct ImportQuery {
    reference: Option<String>,
}

/// Checks a CSV file of actuals and keeps it as a preview: nothing is written until
/// `POST /imports/{import_id}/commit` ("Update system"). Every line is answered with its
/// errors, each naming its column.
///
/// Send the file as the body (`Content-Type: text/csv`, UTF-8, at most 8 MB and 20,000
/// lines) and its name as `reference`. The header row names the columns, in any order:
/// `cpli_id`, `week`, `actual`, `frustrated`, `missed`, `extra`, `visits` and `comment` are
/// read; `ssref`, `client`, `service_level`, `recorded` and `planned` (as the export writes
/// them) are ignored: the CPLI decides the client. `week` is the week's Monday,
/// `YYYY-MM-DD` (or `DD/MM/YYYY`); quantities are decimals with at most two places;
/// `visits` may be empty. A line is invalid when its CPLI is not one of the service's in
/// that week, its week is not a Monday, in the future or locked by the council, a figure is
/// not a number, it has more or fewer columns than the header, or another line has the same
/// CPLI and week. A line that does not add up (Actual is not Planned - Frustrated - Missed +
/// Extra) is valid and warned of: exceptions never block a save.
///
/// A reference or content the organisation has committed before is refused with 409.
///
/// ```text
/// curl -X POST "https://portal.example/api/v1/services/1/imports?reference=june.csv" \
///   -H "Authorization: Bearer $TOKEN" -H "Content-Type: text/csv" --data-binary @june.csv
/// ```
#[utoipa::path(
    tag = "actuals",
    operation_id = "preview_import",
    params(
        ("service_id" = String, Path, description = "The service"),
        ("reference" = String, Query, description = "The file's reference: its name, at most 200 characters. A reference already committed by the organisation is refused.", example = "actuals-june-2022.csv"),
    ),
    request_body(content = String, content_type = "text/csv", description = "The CSV file, with its header row",
        example = "cpli_id,week,actual,frustrated,missed,extra,visits,comment\n2,2022-06-06,0,0,1,0,0,Call cancelled this week\n"),
    responses(
        (status = 201, description = "Checked and kept as a preview; every line with its errors", body = ActualsImport),
        NotSignedIn,
        (status = 403, description = "Your role may not change actuals, or a tool lacks `actuals:write`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such service of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The reference or the content was imported before", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reference, or a file that cannot be read (not UTF-8 CSV, unknown or missing columns, no lines)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/services/{service_id}/imports")]
pub async fn preview_import(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    query: web::Query<ImportQuery>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let service = service_in_scope(&store, &caller, &path).await?;
    caller.may(service.organisation_id, ProviderTask::RecordActuals)?;
    let reference = query.reference.as_deref().unwrap_or_default().trim();
    if reference.is_empty() || reference.chars().count() > 200 {
        return Err(ApiError::invalid(
            "reference",
            "is required: the file's name, at most 200 characters",
        ));
    }
    let content_sha256 = data_encoding::HEXLOWER.encode(&Sha256::digest(&body));
    refuse_repeat(&store, service.organisation_id, reference, &content_sha256).await?;
    let lines = read_file(&body)?;
    let checked = check(&store, &service, &lines).await?;
    let rows = import_lines(&lines, &checked)?;
    let id = store
        .create_import(
            &NewImport {
                organisation_id: service.organisation_id,
                service_id: service.id,
                reference,
                content_sha256: &content_sha256,
                lines: &rows,
            },
            &caller.actor(),
        )
        .await?;
    let import = import_in_scope(&store, &caller, &id.to_string()).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/imports/{id}")))
        .json(import_view(import)?))
}

/// An import as last checked: a preview, or what "Update system" wrote.
#[utoipa::path(
    tag = "actuals",
    operation_id = "get_import",
    params(("import_id" = String, Path, description = "The import")),
    responses(
        (status = 200, description = "The import", body = ActualsImport),
        NotSignedIn,
        (status = 404, description = "No such import of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/imports/{import_id}")]
pub async fn get_import(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<ActualsImport>, ApiError> {
    let import = import_in_scope(&store, &caller, &path).await?;
    Ok(web::Json(import_view(import)?))
}

/// "Update system": checks the import's lines again against the data as it is now and
/// writes every valid one, in one transaction, each client's week with its next version
/// and an audit entry (its history shows the change as a save). Invalid lines are not
/// written; a file with no valid line writes nothing and is refused (422, naming each
/// line's errors as `lines[N].column`, N the line in the file). An import commits once.
#[utoipa::path(
    tag = "actuals",
    operation_id = "commit_import",
    params(("import_id" = String, Path, description = "The import")),
    responses(
        (status = 200, description = "Committed; every line as checked now, and how many were written", body = ActualsImport),
        NotSignedIn,
        (status = 403, description = "Your role may not change actuals, or a tool lacks `actuals:write`", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such import of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Committed already, its reference or content committed by another import, or a week locked or changed meanwhile", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No valid line: nothing was written", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/imports/{import_id}/commit")]
pub async fn commit_import(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<ActualsImport>, ApiError> {
    let import = import_in_scope(&store, &caller, &path).await?;
    let service = store
        .service(caller.scope(), import.service_id)
        .await?
        .ok_or(ApiError::NotFound("import"))?;
    caller.may(service.organisation_id, ProviderTask::RecordActuals)?;
    if import.status == "committed" {
        return Err(ApiError::Conflict(
            "This file has been imported already. Nothing more was written.".into(),
        ));
    }
    refuse_repeat(
        &store,
        import.organisation_id,
        &import.reference,
        &import.content_sha256,
    )
    .await?;
    let lines = stored_lines(&import)?;
    let checked = check(&store, &service, &lines).await?;
    if checked.valid() == 0 {
        let errors = lines
            .iter()
            .zip(&checked.lines)
            .flat_map(|(line, check)| {
                check.errors.iter().map(move |found| FieldError {
                    field: format!("lines[{}].{}", line.line, found.field),
                    message: found.message.clone(),
                })
            })
            .collect();
        return Err(ApiError::Validation(errors));
    }
    let rows = import_lines(&lines, &checked)?;
    match store
        .commit_import(&import, &checked.writes, &rows, &caller.actor())
        .await?
    {
        CommitOutcome::Committed { .. } => {}
        CommitOutcome::AlreadyCommitted => {
            return Err(ApiError::Conflict(
                "This file has been imported already. Nothing more was written.".into(),
            ))
        }
        CommitOutcome::Repeated => {
            return Err(ApiError::Conflict(
                "Another file with this reference or content was imported first. Nothing was written."
                    .into(),
            ))
        }
        CommitOutcome::WeekChanged { week, .. } => {
            return Err(ApiError::Conflict(format!(
                "A client's week beginning {} changed while the file was checked. Nothing was written: \
                 press Update system again.",
                week.label()
            )))
        }
    }
    let import = import_in_scope(&store, &caller, &path).await?;
    Ok(web::Json(import_view(import)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_export_columns_are_the_rows_fields() {
        let row = ExportedActual {
            cpli_id: "1".into(),
            week: "2022-06-06".into(),
            ssref: "A1".into(),
            client: "Angelo, Iris".into(),
            service_level: "Day".into(),
            recorded: "yes".into(),
            planned: "5".into(),
            actual: "5".into(),
            frustrated: "0".into(),
            missed: "0".into(),
            extra: "0".into(),
            visits: String::new(),
            comment: String::new(),
        };
        let fields: Vec<String> = serde_json::to_value(row)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        let mut columns: Vec<String> = ACTUAL_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
        let mut sorted = fields.clone();
        sorted.sort();
        columns.sort();
        assert_eq!(sorted, columns);
    }

    #[test]
    fn a_file_names_its_faults() {
        let error = read_file(b"cpli_id,week,actual\n1,2022-06-06,5\n").unwrap_err();
        let ApiError::Validation(errors) = error else {
            panic!("a validation error")
        };
        assert!(errors.iter().all(|error| error.field == "file"));
        assert!(errors
            .iter()
            .any(|error| error.message.contains("\"frustrated\"")));
        let error =
            read_file(b"cpli_id,week,actual,frustrated,missed,extra,visits,comment\n").unwrap_err();
        assert!(matches!(error, ApiError::Validation(_)));
    }

    #[test]
    fn lines_are_read_with_their_numbers_and_column_faults() {
        let lines = read_file(
            "\u{feff}CPLI ID,Week,actual,frustrated,missed,extra,visits,comment\n\
             2,06/06/2022,5,0,0,0,,\"Hospital, week 1\"\n\
             ,,,,,,,\n\
             3,2022-06-06,1,0,0,0,1,ok,extra\n"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].line, 2);
        assert_eq!(iso_week_text(&lines[0].week), "2022-06-06");
        assert_eq!(lines[0].input.visits, None);
        assert_eq!(lines[0].input.comment, "Hospital, week 1");
        assert!(lines[0].file_errors.is_empty());
        assert_eq!(lines[1].line, 4);
        assert_eq!(lines[1].file_errors[0].field, "line");
    }
}
