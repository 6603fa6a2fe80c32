//! Scheduled payments (DOMAIN 5): a contract's payment periods by financial year, one
//! period's Payable and Non-payable lines computed live from the actuals, the provider's
//! Confirm / Reject and line disputes, council staff's decisions, authorising and
//! finalising (the payment run), and the remittance advice of a paid period.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use portal_domain::access::ProviderTask;
use portal_domain::calendar::parse_iso_date;
use portal_domain::payment::{may_decide, LineDecision, LineStatus};
use portal_domain::FinancialYear;
use portal_dto::{
    LineDecisionRequest, Page, PayUndisputed, PaymentContract, PaymentPeriodDetail,
    PaymentPeriodSummary, PeriodAnswer, PeriodVersion, Problem, RemittanceAdvice, RemittanceRow,
};
use portal_store::payments::{PaymentContractRecord, PaymentPeriodRecord};
use portal_store::reference::CpliFilter;
use portal_store::{Scope, Store};
use rust_decimal::Decimal;
use serde::Deserialize;

use crate::auth::Caller;
use crate::catalogue::cpli_summary;
use crate::clock::Clock;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::payments::{
    calendar_of, client_payments, live_schedule, payment_run_rows, period_of, schedule_from_run,
    vat_percent, Schedule,
};
use crate::routes::imports::{csv_file, wants_csv};
use crate::routes::parse_id;
use crate::routes::problems::{Invalid, NotCouncilStaff, NotFound, NotSignedIn, StaleVersion};
use crate::week_view::money_text;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_payment_contracts)
        .service(list_periods)
        .service(get_period)
        .service(answer_period)
        .service(decide_line)
        .service(pay_undisputed)
        .service(authorise_period)
        .service(finalise_period)
        .service(remittance);
}

/// Today, by the server's clock (which tests move on).
fn today(clock: &Clock) -> time::Date {
    clock.now().date()
}

/// "6 Jun 2022", as the period list writes dates.
fn short_date(date: time::Date) -> String {
    let format = time::macros::format_description!("[day padding:none] [month repr:short] [year]");
    date.format(&format).unwrap_or_default()
}

pub(crate) fn contract_dto(contract: &PaymentContractRecord) -> PaymentContract {
    PaymentContract {
        id: contract.id.to_string(),
        name: contract.name.clone(),
        organisation_id: contract.organisation_id.to_string(),
        organisation_name: contract.organisation_name.clone(),
        payment_model: contract.payment_model.clone(),
        period_weeks: contract.period_weeks,
        vat_rate_percent: money_text(vat_percent(contract)),
    }
}

fn period_summary(record: &PaymentPeriodRecord) -> PaymentPeriodSummary {
    let label = match (
        parse_iso_date(&record.starts_on),
        parse_iso_date(&record.ends_on),
    ) {
        (Ok(start), Ok(end)) => format!("{} to {}", short_date(start), short_date(end)),
        _ => format!("{} to {}", record.starts_on, record.ends_on),
    };
    let status_label = match (record.status.as_str(), record.provider_status.as_str()) {
        ("finalised", _) => "Finalised",
        ("authorised", _) => "Authorised",
        (_, "confirmed") => "Confirmed",
        (_, "rejected") => "Rejected",
        _ => "Unconfirmed",
    };
    PaymentPeriodSummary {
        id: record.id.to_string(),
        contract_id: record.contract_id.to_string(),
        start: record.starts_on.clone(),
        end: record.ends_on.clone(),
        label,
        provider_status: record.provider_status.clone(),
        status: record.status.clone(),
        status_label: status_label.to_owned(),
        version: record.version,
    }
}

/// Lists the contracts whose payments the caller may see.
#[utoipa::path(
    tag = "payments",
    operation_id = "list_payment_contracts",
    responses(
        (status = 200, description = "The caller's contracts", body = Page<PaymentContract>),
        NotSignedIn,
    )
)]
#[get("/payment-contracts")]
pub async fn list_payment_contracts(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<Page<PaymentContract>>, ApiError> {
    let contracts = store.payment_contracts(caller.scope()).await?;
    Ok(web::Json(Page {
        items: contracts.iter().map(contract_dto).collect(),
        next_cursor: None,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PeriodQuery {
    /// `2022/2023` (or `2022-2023`); the current financial year when absent.
    financial_year: Option<String>,
}

async fn contract_in_scope(
    store: &Store,
    caller: &Caller,
    contract_id: &str,
) -> Result<PaymentContractRecord, ApiError> {
    let id = parse_id(contract_id, "contract")?;
    store
        .payment_contract(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("contract"))
}

/// A contract's payment periods that start in a financial year, newest first. Periods are
/// created as time passes: every period up to the current one exists.
#[utoipa::path(
    tag = "payments",
    operation_id = "list_payment_periods",
    params(
        ("contract_id" = String, Path, description = "The contract"),
        PeriodQuery,
    ),
    responses(
        (status = 200, description = "The periods, newest first", body = Page<PaymentPeriodSummary>),
        NotSignedIn,
        NotFound,
        Invalid,
    )
)]
#[get("/contracts/{contract_id}/payment-periods")]
pub async fn list_periods(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    query: web::Query<PeriodQuery>,
) -> Result<web::Json<Page<PaymentPeriodSummary>>, ApiError> {
    let contract = contract_in_scope(&store, &caller, &path).await?;
    let year = match query.financial_year.as_deref().map(str::trim) {
        None | Some("") => FinancialYear::containing(today(&clock)),
        Some(text) => FinancialYear::parse(text).map_err(|_| {
            ApiError::invalid(
                "financial_year",
                "must be a financial year such as 2022/2023",
            )
        })?,
    };
    let periods: Vec<(time::Date, time::Date)> = calendar_of(&contract)?
        .periods_through(today(&clock))
        .into_iter()
        .map(|period| (period.start(), period.end()))
        .collect();
    store.ensure_periods(contract.id, &periods).await?;
    let records = store
        .payment_periods(contract.id, year.first_day(), year.last_day())
        .await?;
    Ok(web::Json(Page {
        items: records.iter().map(period_summary).collect(),
        next_cursor: None,
    }))
}

async fn period_in_scope(
    store: &Store,
    caller: &Caller,
    period_id: &str,
) -> Result<(PaymentPeriodRecord, PaymentContractRecord), ApiError> {
    let id = parse_id(period_id, "payment period")?;
    store
        .payment_period(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("payment period"))
}

/// The period's lines: the payment run's record once finalised, live from the actuals
/// before.
async fn schedule_of(
    store: &Store,
    contract: &PaymentContractRecord,
    record: &PaymentPeriodRecord,
) -> Result<Schedule, ApiError> {
    if record.status == "finalised" {
        let rows = store.payment_lines(record.id).await?;
        let clients: Vec<_> = store
            .clients(contract.council_id, "")
            .await?
            .into_iter()
            .map(|(client, _, _)| client)
            .collect();
        return Ok(schedule_from_run(&rows, &clients));
    }
    live_schedule(store, contract, record).await
}

async fn period_detail(
    store: &Store,
    contract: PaymentContractRecord,
    record: PaymentPeriodRecord,
) -> Result<PaymentPeriodDetail, ApiError> {
    let schedule = schedule_of(store, &contract, &record).await?;
    let vat_rate = vat_percent(&contract);
    let clients = client_payments(&schedule, vat_rate, &contract.organisation_name);
    let sum = |field: fn(&portal_dto::ClientPayment) -> &String| -> Decimal {
        clients
            .iter()
            .filter_map(|client| field(client).parse::<Decimal>().ok())
            .sum()
    };
    let payable = sum(|client| &client.payable);
    let non_payable = sum(|client| &client.non_payable);
    let payable_vat = sum(|client| &client.payable_vat);
    let period = period_of(&contract, &record)?;
    let mut cplis = Vec::new();
    let services = store
        .services(&Scope::Council(contract.council_id))
        .await?
        .into_iter()
        .filter(|service| service.contract_id == contract.id);
    for service in services {
        let filter = CpliFilter {
            service_id: Some(service.id),
            client_id: None,
            service_level_id: None,
            include_historical: false,
            include_unauthorised: false,
            today: period.start(),
        };
        cplis.extend(
            store
                .cplis(&Scope::Council(contract.council_id), &filter)
                .await?
                .into_iter()
                .filter(|listing| listing.record.cpli.start <= period.end())
                .map(|listing| cpli_summary(listing, period.start())),
        );
    }
    Ok(PaymentPeriodDetail {
        period: period_summary(&record),
        contract: contract_dto(&contract),
        provider_comment: record.provider_comment.clone(),
        provider_answered_at: record.provider_answered_at.clone(),
        authorised_at: record.authorised_at.clone(),
        finalised_at: record.finalised_at.clone(),
        clients,
        payable: money_text(payable),
        non_payable: money_text(non_payable),
        payable_vat: money_text(payable_vat),
        total_payable: money_text(payable + payable_vat),
        from_payment_run: record.status == "finalised",
        cplis,
    })
}

/// Re-reads a period after a change and answers with it in full.
async fn fresh_detail(
    store: &Store,
    caller: &Caller,
    period_id: i64,
) -> Result<web::Json<PaymentPeriodDetail>, ApiError> {
    let (record, contract) = period_in_scope(store, caller, &period_id.to_string()).await?;
    Ok(web::Json(period_detail(store, contract, record).await?))
}

/// One period: per client, the planned-cost line and "Adj." line of each CPLI with its
/// status, the Payable and Non-payable totals, and the CPLIs it pays for. Before the
/// payment run the figures come from the actuals as they are now.
#[utoipa::path(
    tag = "payments",
    operation_id = "get_payment_period",
    params(("period_id" = String, Path, description = "The payment period")),
    responses(
        (status = 200, description = "The period", body = PaymentPeriodDetail),
        NotSignedIn,
        NotFound,
    )
)]
#[get("/payment-periods/{period_id}")]
pub async fn get_period(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<PaymentPeriodDetail>, ApiError> {
    let (record, contract) = period_in_scope(&store, &caller, &path).await?;
    Ok(web::Json(period_detail(&store, contract, record).await?))
}

/// The provider confirms the period (its notice that every actual is in) or rejects it;
/// a rejection needs a comment.
#[utoipa::path(
    tag = "payments",
    operation_id = "answer_payment_period",
    params(("period_id" = String, Path, description = "The payment period")),
    request_body = PeriodAnswer,
    responses(
        (status = 200, description = "Answered", body = PaymentPeriodDetail),
        NotSignedIn,
        (status = 403, description = "Council staff, or a role that cannot confirm payments", body = Problem, content_type = "application/problem+json"),
        NotFound,
        StaleVersion,
        Invalid,
    )
)]
#[post("/payment-periods/{period_id}/answer")]
pub async fn answer_period(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<PeriodAnswer>,
) -> Result<web::Json<PaymentPeriodDetail>, ApiError> {
    let body = body.0;
    let (record, contract) = period_in_scope(&store, &caller, &path).await?;
    if caller.is_council {
        return Err(ApiError::Forbidden(
            "Only the provider confirms or rejects its payments.".into(),
        ));
    }
    caller.may(contract.organisation_id, ProviderTask::ClaimPayment)?;
    let comment = body.comment.trim();
    let mut errors = Vec::new();
    let answer = match body.answer.as_str() {
        "confirm" => Some("confirmed"),
        "reject" => Some("rejected"),
        _ => {
            errors.push(field_error("answer", "must be confirm or reject"));
            None
        }
    };
    if answer == Some("rejected") && comment.is_empty() {
        errors.push(field_error("comment", "Say why you reject the payment"));
    }
    if comment.chars().count() > 2_000 {
        errors.push(field_error("comment", "must be at most 2,000 characters"));
    }
    let Some(answer) = answer.filter(|_| errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };
    store
        .answer_period(record.id, body.version, answer, comment, &caller.actor())
        .await?;
    fresh_detail(&store, &caller, record.id).await
}

/// A paid period changes no more (409).
fn refuse_if_paid(record: &PaymentPeriodRecord) -> Result<(), ApiError> {
    if record.status == "finalised" {
        return Err(ApiError::Conflict(
            "This period has been paid (finalised): it can no longer change.".into(),
        ));
    }
    Ok(())
}

fn field_error(field: &str, message: &str) -> portal_dto::FieldError {
    portal_dto::FieldError {
        field: field.to_owned(),
        message: message.to_owned(),
    }
}

/// A word on one line. Council staff `pay` a held line or `cancel` one (with a reason); a
/// provider `dispute`s a line (with a reason), which holds it back until the council
/// decides, while the rest of the client's period can still be paid.
#[utoipa::path(
    tag = "payments",
    operation_id = "decide_payment_line",
    params(("period_id" = String, Path, description = "The payment period")),
    request_body = LineDecisionRequest,
    responses(
        (status = 200, description = "Recorded", body = PaymentPeriodDetail),
        NotSignedIn,
        (status = 403, description = "A decision the caller may not make", body = Problem, content_type = "application/problem+json"),
        NotFound,
        StaleVersion,
        Invalid,
    )
)]
#[post("/payment-periods/{period_id}/line-decisions")]
pub async fn decide_line(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<LineDecisionRequest>,
) -> Result<web::Json<PaymentPeriodDetail>, ApiError> {
    let body = body.0;
    let (record, contract) = period_in_scope(&store, &caller, &path).await?;
    let reason = body.reason.trim();
    let decision = match (body.decision.as_str(), caller.is_council) {
        ("pay", true) => "pay",
        ("cancel", true) => "cancel",
        ("dispute", false) => {
            caller.may(contract.organisation_id, ProviderTask::ClaimPayment)?;
            "disputed"
        }
        ("pay" | "cancel", false) => {
            return Err(ApiError::Forbidden(
                "Only council staff decide held payments; you can dispute a line.".into(),
            ))
        }
        ("dispute", true) => {
            return Err(ApiError::Forbidden(
                "Only the provider disputes a line.".into(),
            ))
        }
        _ => {
            return Err(ApiError::invalid(
                "decision",
                "must be pay, cancel or dispute",
            ))
        }
    };
    if decision != "pay" && reason.is_empty() {
        return Err(ApiError::invalid("reason", "Give the reason"));
    }
    if reason.chars().count() > 2_000 {
        return Err(ApiError::invalid(
            "reason",
            "must be at most 2,000 characters",
        ));
    }
    refuse_if_paid(&record)?;
    let schedule = live_schedule(&store, &contract, &record).await?;
    let Some(line) = schedule.lines.iter().find(|line| line.key == body.line_key) else {
        return Err(ApiError::invalid(
            "line_key",
            "is not a line of this period",
        ));
    };
    let wanted = match decision {
        "pay" => LineDecision::Pay,
        "cancel" => LineDecision::Cancel(reason.to_owned()),
        _ => LineDecision::Disputed(reason.to_owned()),
    };
    may_decide(line.status, line.disputed, &wanted)
        .map_err(|why| ApiError::Conflict(why.to_owned()))?;
    store
        .decide_lines(
            record.id,
            body.version,
            &[(
                body.line_key.clone(),
                decision.to_owned(),
                reason.to_owned(),
            )],
            &caller.actor(),
        )
        .await?;
    fresh_detail(&store, &caller, record.id).await
}

/// Council staff pay every held line of one client except those the provider disputes: the
/// undisputed rest of the client's period.
#[utoipa::path(
    tag = "payments",
    operation_id = "pay_undisputed_lines",
    params(("period_id" = String, Path, description = "The payment period")),
    request_body = PayUndisputed,
    responses(
        (status = 200, description = "Paid", body = PaymentPeriodDetail),
        NotSignedIn,
        NotCouncilStaff,
        NotFound,
        StaleVersion,
        Invalid,
    )
)]
#[post("/payment-periods/{period_id}/pay-undisputed")]
pub async fn pay_undisputed(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<PayUndisputed>,
) -> Result<web::Json<PaymentPeriodDetail>, ApiError> {
    let body = body.0;
    caller.council_staff_of()?;
    let (record, contract) = period_in_scope(&store, &caller, &path).await?;
    refuse_if_paid(&record)?;
    let schedule = live_schedule(&store, &contract, &record).await?;
    let client_id = body.client_id.parse::<i64>().ok();
    let held: Vec<(String, String, String)> = schedule
        .lines
        .iter()
        .filter(|line| line.client_id().is_some() && line.client_id() == client_id)
        .filter(|line| line.status == LineStatus::Suspend && !line.disputed)
        .map(|line| (line.key.clone(), "pay".to_owned(), String::new()))
        .collect();
    if held.is_empty() {
        return Err(ApiError::invalid(
            "client_id",
            "has no held, undisputed lines in this period",
        ));
    }
    store
        .decide_lines(record.id, body.version, &held, &caller.actor())
        .await?;
    fresh_detail(&store, &caller, record.id).await
}

/// Council staff authorise a period that has ended.
#[utoipa::path(
    tag = "payments",
    operation_id = "authorise_payment_period",
    params(("period_id" = String, Path, description = "The payment period")),
    request_body = PeriodVersion,
    responses(
        (status = 200, description = "Authorised", body = PaymentPeriodDetail),
        NotSignedIn,
        NotCouncilStaff,
        NotFound,
        (status = 409, description = "Stale version, not yet ended, or past authorising", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/payment-periods/{period_id}/authorise")]
pub async fn authorise_period(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
    body: ValidJson<PeriodVersion>,
) -> Result<web::Json<PaymentPeriodDetail>, ApiError> {
    let body = body.0;
    caller.council_staff_of()?;
    let (record, contract) = period_in_scope(&store, &caller, &path).await?;
    let period = period_of(&contract, &record)?;
    if period.end() >= today(&clock) {
        return Err(ApiError::Conflict(format!(
            "This period runs until {}: authorise it once it has ended.",
            portal_domain::format::format_date(period.end())
        )));
    }
    store
        .authorise_period(record.id, body.version, &caller.actor())
        .await?;
    fresh_detail(&store, &caller, record.id).await
}

/// Council staff finalise an authorised period: the payment run. Its lines are kept as
/// paid; lines still held are carried forward to the next open period. Amendments inside
/// the council's amendment window come back there as "Adj." lines; after it the weeks lock.
#[utoipa::path(
    tag = "payments",
    operation_id = "finalise_payment_period",
    params(("period_id" = String, Path, description = "The payment period")),
    request_body = PeriodVersion,
    responses(
        (status = 200, description = "Finalised", body = PaymentPeriodDetail),
        NotSignedIn,
        NotCouncilStaff,
        NotFound,
        (status = 409, description = "Stale version, or not authorised", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/payment-periods/{period_id}/finalise")]
pub async fn finalise_period(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<PeriodVersion>,
) -> Result<web::Json<PaymentPeriodDetail>, ApiError> {
    let body = body.0;
    caller.council_staff_of()?;
    let (record, contract) = period_in_scope(&store, &caller, &path).await?;
    if record.status != "authorised" {
        return Err(ApiError::Conflict(
            "Only an authorised period can be finalised.".into(),
        ));
    }
    let schedule = live_schedule(&store, &contract, &record).await?;
    let rows = payment_run_rows(&schedule, vat_percent(&contract));
    store
        .finalise_period(record.id, body.version, &rows, &caller.actor())
        .await?;
    fresh_detail(&store, &caller, record.id).await
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RemittanceQuery {
    /// `true` for one row per client with its total; the lines otherwise.
    summary: Option<bool>,
    /// `csv` or `pdf` for a file (as `Accept: text/csv` or `application/pdf` asks); `json`,
    /// the default.
    format: Option<String>,
}

/// The remittance advice of a paid (finalised) period: per client and line, or a summary
/// per client; JSON, or CSV or PDF (`format=pdf` or `Accept: application/pdf`) with the same
/// figures.
#[utoipa::path(
    tag = "payments",
    operation_id = "get_remittance_advice",
    params(
        ("period_id" = String, Path, description = "The payment period"),
        RemittanceQuery,
    ),
    responses(
        (status = 200, description = "The remittance advice", body = RemittanceAdvice,
            content(
                (RemittanceAdvice = "application/json"),
                (String = "text/csv", example = "client,ssref,item,from,to,amount,vat,status\n\"Bristow, Eric\",96836000,\"Homecare Flexible - Bradford - Single-handed (Hour), Spot.\",2022-06-06,2022-06-12,140.00,0.00,Pay\n"),
                (Vec<u8> = "application/pdf")
            )
        ),
        NotSignedIn,
        NotFound,
        (status = 409, description = "Not paid yet", body = Problem, content_type = "application/problem+json"),
        Invalid,
    )
)]
#[get("/payment-periods/{period_id}/remittance")]
pub async fn remittance(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    query: web::Query<RemittanceQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let pdf = query.format.as_deref().map(str::trim) == Some("pdf")
        || (query.format.is_none()
            && request
                .headers()
                .get(actix_web::http::header::ACCEPT)
                .and_then(|value| value.to_str().ok())
                .is_some_and(|accept| accept.contains("application/pdf")));
    let csv = !pdf && wants_csv(&request, query.format.as_deref())?;
    let (record, contract) = period_in_scope(&store, &caller, &path).await?;
    let Some(finalised_at) = record.finalised_at.clone() else {
        return Err(ApiError::Conflict(
            "This period has not been paid yet: its remittance advice comes with the payment run."
                .into(),
        ));
    };
    let summary = query.summary.unwrap_or(false);
    let (rows, paid, vat) = remittance_rows(&store, &contract, &record, summary).await?;
    let file_stem = format!(
        "remittance-{}-{}{}",
        contract
            .name
            .replace(|c: char| !c.is_ascii_alphanumeric(), "-"),
        record.starts_on,
        if summary { "-summary" } else { "" }
    );
    if pdf {
        let bytes = remittance_pdf(&contract, &record, &finalised_at, summary, &rows, paid, vat);
        return Ok(HttpResponse::Ok()
            .content_type("application/pdf")
            .insert_header(actix_web::http::header::ContentDisposition {
                disposition: actix_web::http::header::DispositionType::Attachment,
                parameters: vec![actix_web::http::header::DispositionParam::Filename(
                    format!("{file_stem}.pdf"),
                )],
            })
            .body(bytes));
    }
    if csv {
        return csv_file(
            &[
                "client", "ssref", "item", "from", "to", "amount", "vat", "status",
            ],
            &rows,
            format!("{file_stem}.csv"),
        );
    }
    Ok(HttpResponse::Ok().json(RemittanceAdvice {
        period: period_summary(&record),
        contract: contract_dto(&contract),
        finalised_at,
        summary,
        rows,
        paid: money_text(paid),
        vat: money_text(vat),
        total: money_text(paid + vat),
    }))
}

/// A paid period's remittance rows (per line, or per client with `summary`), with what was
/// paid and its VAT: the advice screen, its CSV and PDF, and the remittance report.
pub(crate) async fn remittance_rows(
    store: &Store,
    contract: &PaymentContractRecord,
    record: &PaymentPeriodRecord,
    summary: bool,
) -> Result<(Vec<RemittanceRow>, Decimal, Decimal), ApiError> {
    let schedule = schedule_of(store, contract, record).await?;
    let vat_rate = vat_percent(contract);
    let clients = client_payments(&schedule, vat_rate, &contract.organisation_name);
    let mut rows = Vec::new();
    for client in &clients {
        let name = if client.client.ssref.is_empty() {
            client.client.sort_name.clone()
        } else {
            format!("{} ({})", client.client.sort_name, client.client.ssref)
        };
        if summary {
            rows.push(RemittanceRow {
                client: name,
                ssref: client.client.ssref.clone(),
                item: String::new(),
                from: record.starts_on.clone(),
                to: record.ends_on.clone(),
                amount: client.payable.clone(),
                vat: client.payable_vat.clone(),
                status: String::new(),
            });
            continue;
        }
        for line in &client.lines {
            rows.push(RemittanceRow {
                client: name.clone(),
                ssref: client.client.ssref.clone(),
                item: line.reason_for_payment.clone(),
                from: line.from.clone(),
                to: line.to.clone(),
                amount: line.amount.clone(),
                vat: line.vat.clone(),
                status: line.status_label.clone(),
            });
        }
    }
    let paid: Decimal = clients
        .iter()
        .filter_map(|client| client.payable.parse::<Decimal>().ok())
        .sum();
    let vat: Decimal = clients
        .iter()
        .filter_map(|client| client.payable_vat.parse::<Decimal>().ok())
        .sum();
    Ok((rows, paid, vat))
}

/// The remittance advice as a printable PDF: the same rows and totals as the JSON.
fn remittance_pdf(
    contract: &PaymentContractRecord,
    record: &PaymentPeriodRecord,
    finalised_at: &str,
    summary: bool,
    rows: &[RemittanceRow],
    paid: Decimal,
    vat: Decimal,
) -> Vec<u8> {
    use crate::pdf::{Align, Column, Document};
    use portal_domain::format::{format_date, format_money};
    let british = |iso: &str| parse_iso_date(iso).map_or_else(|_| iso.to_owned(), format_date);
    let pounds = |text: &str| {
        text.parse::<Decimal>()
            .map_or_else(|_| text.to_owned(), format_money)
    };
    let mut document = Document::new();
    document.heading(16.0, "Remittance Advice");
    document.paragraph(&format!(
        "{} - {}",
        contract.organisation_name, contract.name
    ));
    document.paragraph(&format!(
        "Payment period {} to {}, paid on {}",
        british(&record.starts_on),
        british(&record.ends_on),
        british(finalised_at.get(..10).unwrap_or(finalised_at))
    ));
    document.gap(8.0);
    let columns = [
        Column {
            heading: "Client",
            x: 48.0,
            width_chars: 30,
            align: Align::Left,
        },
        Column {
            heading: if summary { "" } else { "Item" },
            x: 200.0,
            width_chars: 40,
            align: Align::Left,
        },
        Column {
            heading: "Dates",
            x: 395.0,
            width_chars: 12,
            align: Align::Left,
        },
        Column {
            heading: "Amount",
            x: 455.0,
            width_chars: 10,
            align: Align::Right,
        },
        Column {
            heading: "Status",
            x: 510.0,
            width_chars: 8,
            align: Align::Left,
        },
    ];
    let table: Vec<Vec<String>> = rows
        .iter()
        .map(|row| {
            vec![
                row.client.clone(),
                row.item.clone(),
                format!("{} - {}", british(&row.from), british(&row.to)),
                pounds(&row.amount),
                row.status.clone(),
            ]
        })
        .collect();
    document.table(&columns, &table);
    document.gap(6.0);
    document.heading(
        11.0,
        &format!(
            "Total paid: {} (VAT {}), {}",
            format_money(paid),
            format_money(vat),
            format_money(paid + vat)
        ),
    );
    document.finish()
}
