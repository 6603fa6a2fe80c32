//! Reports (DOMAIN 12): Commissioned vs Actuals, Pending Payments Exceptions, Pending
//! Scheduled Payments and Remittance Advice Provider Payments, plus the choices their
//! filters offer. Each report is JSON, or CSV (`Accept: text/csv` or `format=csv`) with the
//! same rows and figures and a header row. A provider sees its own organisations only;
//! another organisation's, client's, contract's or period's id is not found.

use actix_web::{get, web, HttpRequest, HttpResponse};
use portal_domain::format::format_date;
use portal_domain::payment::LineStatus;
use portal_domain::Week;
use portal_dto::{
    CommissionedVsActuals, FieldError, PendingExceptions, PendingScheduledPayments,
    RemittancePeriodChoice, RemittanceReport, RemittanceReportRow, ReportChoice,
    ReportClientChoice, ReportOptions,
};
use portal_store::payments::PaymentContractRecord;
use portal_store::Store;
use rust_decimal::Decimal;
use serde::Deserialize;
use std::collections::BTreeMap;

use crate::auth::Caller;
use crate::clock::Clock;
use crate::error::ApiError;
use crate::payments::calendar_of;
use crate::reports::{
    commissioned_records, commissioned_vs_actuals, exception_records, payment_method_label,
    payment_records, pending_periods, period_dates, period_exceptions, period_payments,
    period_title, read_ranges, remittance_records, CommissionedFilter, COMMISSIONED_COLUMNS,
    EXCEPTION_COLUMNS, PAYMENT_COLUMNS, REMITTANCE_COLUMNS,
};
use crate::routes::imports::{csv_file, wants_csv};
use crate::routes::payments::{contract_dto, remittance_rows};
use crate::routes::problems::{Invalid, NotFound, NotSignedIn};
use crate::routes::{optional_date, optional_id};
use crate::week_view::money_text;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(report_options)
        .service(commissioned_vs_actuals_report)
        .service(pending_exceptions_report)
        .service(pending_payments_report)
        .service(remittance_report);
}

/// The longest range one Commissioned vs Actuals may cover: two years of weeks.
const MAX_WEEKS: usize = 106;

fn answer<T: serde::Serialize>(
    csv: bool,
    report: &T,
    columns: &[&str],
    records: Vec<Vec<String>>,
    file_name: &str,
) -> Result<HttpResponse, ApiError> {
    if csv {
        return csv_file(columns, &records, file_name.to_owned());
    }
    Ok(HttpResponse::Ok().json(report))
}

/// A yes/no filter: absent or empty is no.
fn flag(errors: &mut Vec<FieldError>, field: &str, value: Option<&str>) -> bool {
    match value.map(str::trim) {
        None | Some("") | Some("false") | Some("0") => false,
        Some("true") | Some("1") | Some("on") => true,
        Some(_) => {
            errors.push(FieldError {
                field: field.into(),
                message: "must be true or false".into(),
            });
            false
        }
    }
}

fn refuse(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// The organisation filter: one of the caller's organisations, or not found.
async fn organisation_name(
    store: &Store,
    caller: &Caller,
    organisation_id: Option<i64>,
) -> Result<Option<String>, ApiError> {
    let Some(id) = organisation_id else {
        return Ok(None);
    };
    store
        .organisations(caller.scope())
        .await?
        .into_iter()
        .find(|organisation| organisation.id == id)
        .map(|organisation| Some(organisation.name))
        .ok_or(ApiError::NotFound("organisation"))
}

/// The caller's contracts, narrowed to one organisation when asked.
async fn contracts(
    store: &Store,
    caller: &Caller,
    organisation_id: Option<i64>,
) -> Result<Vec<PaymentContractRecord>, ApiError> {
    Ok(store
        .payment_contracts(caller.scope())
        .await?
        .into_iter()
        .filter(|contract| organisation_id.is_none_or(|id| id == contract.organisation_id))
        .collect())
}

/// What each report's filters may offer the caller: its organisations, service group
/// classes, clients, contracts, payment methods, paid periods and line statuses.
#[utoipa::path(
    tag = "reports",
    operation_id = "get_report_options",
    responses(
        (status = 200, description = "The filters' choices", body = ReportOptions),
        NotSignedIn,
    )
)]
#[get("/reports/options")]
pub async fn report_options(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<ReportOptions>, ApiError> {
    let organisations = store.organisations(caller.scope()).await?;
    let services = store.services(caller.scope()).await?;
    let mut classes: Vec<String> = Vec::new();
    let mut clients: BTreeMap<(String, i64), ReportClientChoice> = BTreeMap::new();
    let mut seen_contracts = Vec::new();
    for service in &services {
        if !seen_contracts.contains(&service.contract_id) {
            seen_contracts.push(service.contract_id);
            for level in store.levels_of_contract(service.contract_id).await? {
                if !level.service_group_class.is_empty()
                    && !classes.contains(&level.service_group_class)
                {
                    classes.push(level.service_group_class);
                }
            }
        }
        let filter = portal_store::reference::CpliFilter {
            service_id: Some(service.id),
            client_id: None,
            service_level_id: None,
            include_historical: true,
            include_unauthorised: false,
            today: time::OffsetDateTime::now_utc().date(),
        };
        for listing in store.cplis(caller.scope(), &filter).await? {
            let client = &listing.record.client;
            let choice = clients
                .entry((client.sort_name(), client.id))
                .or_insert_with(|| ReportClientChoice {
                    id: client.id.to_string(),
                    label: format!("{} ({})", client.sort_name(), client.ssref),
                    organisation_ids: Vec::new(),
                });
            let organisation = service.organisation_id.to_string();
            if !choice.organisation_ids.contains(&organisation) {
                choice.organisation_ids.push(organisation);
            }
        }
    }
    classes.sort();
    let contracts = store.payment_contracts(caller.scope()).await?;
    let mut payment_methods: Vec<ReportChoice> = Vec::new();
    let mut remittance_periods = Vec::new();
    for contract in &contracts {
        if !payment_methods
            .iter()
            .any(|method| method.id == contract.payment_model)
        {
            payment_methods.push(ReportChoice {
                id: contract.payment_model.clone(),
                label: payment_method_label(&contract.payment_model).to_owned(),
            });
        }
        for (period, partially) in store.finalised_periods(contract.id).await? {
            remittance_periods.push(RemittancePeriodChoice {
                id: period.id.to_string(),
                contract_id: contract.id.to_string(),
                label: format!(
                    "{}{}",
                    period_dates(&period),
                    if partially { " *" } else { "" }
                ),
                partially_finalised: partially,
            });
        }
    }
    Ok(web::Json(ReportOptions {
        organisations: organisations
            .iter()
            .map(|organisation| ReportChoice {
                id: organisation.id.to_string(),
                label: organisation.name.clone(),
            })
            .collect(),
        service_group_classes: classes,
        clients: clients.into_values().collect(),
        contracts: contracts.iter().map(contract_dto).collect(),
        payment_methods,
        remittance_periods,
        statuses: LineStatus::ALL
            .iter()
            .map(|status| ReportChoice {
                id: status.code().to_owned(),
                label: status.label().to_owned(),
            })
            .collect(),
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct CommissionedQuery {
    /// First day, `YYYY-MM-DD`: the report starts with the week containing it. Required.
    from: Option<String>,
    /// Last day, `YYYY-MM-DD`: the report ends with the week containing it. Required.
    to: Option<String>,
    /// A service group class, e.g. `Day Opportunities`; all when absent.
    service_group_class: Option<String>,
    /// One of the caller's organisations; all when absent.
    organisation_id: Option<String>,
    /// One client; all when absent.
    client_id: Option<String>,
    /// `true`: only rows whose actual + frustrated differs from the commissioned.
    differences_only: Option<String>,
    /// `true`: also the weeks with no actual recorded, commissioned against nothing.
    include_weeks_without_actuals: Option<String>,
    /// `csv` for the CSV file (as `Accept: text/csv` asks); `json`, the default.
    format: Option<String>,
}

/// Commissioned vs Actuals: per client, CPLI and week, commissioned, actual, frustrated
/// and difference (Actual + Frustrated - Commissioned) in units and money, with client and
/// service level totals and the weekly sums the chart draws.
#[utoipa::path(
    tag = "reports",
    operation_id = "get_commissioned_vs_actuals",
    params(CommissionedQuery),
    responses(
        (status = 200, description = "The report", body = CommissionedVsActuals,
            content(
                (CommissionedVsActuals = "application/json"),
                (String = "text/csv", example = "organisation,service,service_group_class,service_level,service_start,client,ssref,cpli_id,week,generated,visits,cost_centre,subjective,commissioned_units,actual_units,frustrated_units,difference_units,commissioned_cost,actual_cost,frustrated_cost,difference_cost,has_actual\nDay Opportunities PP Home,Day Opportunities PP Home,Day Opportunities,Day Opportunities - Scheduled,2022-03-28,\"Angelo, Iris\",A1,12,2022-04-04,N,3,Physical Support 65+,Day Care,5.00,3.00,0.00,-2.00,1072.30,643.38,0.00,-428.92,true\n")
            )
        ),
        NotSignedIn,
        NotFound,
        Invalid,
    )
)]
#[get("/reports/commissioned-vs-actuals")]
pub async fn commissioned_vs_actuals_report(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<CommissionedQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Vec::new();
    let csv = match wants_csv(&request, query.format.as_deref()) {
        Ok(csv) => csv,
        Err(_) => {
            errors.push(FieldError {
                field: "format".into(),
                message: "must be csv or json".into(),
            });
            false
        }
    };
    let from = optional_date(&mut errors, "from", query.from.as_deref());
    let to = optional_date(&mut errors, "to", query.to.as_deref());
    for (field, given) in [("from", &query.from), ("to", &query.to)] {
        if given.as_deref().is_none_or(|text| text.trim().is_empty()) {
            errors.push(FieldError {
                field: field.into(),
                message: "is required: the report needs a date range".into(),
            });
        }
    }
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            errors.push(FieldError {
                field: "to".into(),
                message: "must not be before the date from".into(),
            });
        } else if (to - from).whole_weeks() >= MAX_WEEKS as i64 {
            errors.push(FieldError {
                field: "to".into(),
                message: "must be within two years of the date from".into(),
            });
        }
    }
    let organisation_id = optional_id(
        &mut errors,
        "organisation_id",
        query.organisation_id.as_deref(),
    );
    let client_id = optional_id(&mut errors, "client_id", query.client_id.as_deref());
    let differences_only = flag(
        &mut errors,
        "differences_only",
        query.differences_only.as_deref(),
    );
    let include_weeks_without_actuals = flag(
        &mut errors,
        "include_weeks_without_actuals",
        query.include_weeks_without_actuals.as_deref(),
    );
    refuse(errors)?;
    let (Some(from), Some(to)) = (from, to) else {
        unreachable!("refused above when either date is missing")
    };
    let provider = organisation_name(&store, &caller, organisation_id).await?;
    let filter = CommissionedFilter {
        first_week: Week::containing(from),
        last_week: Week::containing(to),
        service_group_class: query
            .service_group_class
            .as_deref()
            .map(str::trim)
            .filter(|class| !class.is_empty())
            .map(str::to_owned),
        organisation_id,
        client_id,
        differences_only,
        include_weeks_without_actuals,
    };
    let ranges = read_ranges(&store, caller.scope(), &filter).await?;
    let client_name = match client_id {
        None => "ANY".to_owned(),
        Some(id) => ranges
            .iter()
            .flat_map(|range| range.cplis.iter())
            .find(|cpli| cpli.client.id == id)
            .map(|cpli| format!("{} ({})", cpli.client.sort_name(), cpli.client.ssref))
            .ok_or(ApiError::NotFound("client"))?,
    };
    let description = format!(
        "Dates between {} and {}, Service Group Class = {}, Provider = {}, Client = {}",
        format_date(filter.first_week.monday()),
        format_date(filter.last_week.sunday()),
        filter.service_group_class.as_deref().unwrap_or("ANY"),
        provider.as_deref().unwrap_or("ANY"),
        client_name,
    );
    let report = commissioned_vs_actuals(&ranges, &filter, description);
    let records = if csv {
        commissioned_records(&report)
    } else {
        Vec::new()
    };
    answer(
        csv,
        &report,
        &COMMISSIONED_COLUMNS,
        records,
        "commissioned-vs-actuals.csv",
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ExceptionsQuery {
    /// One of the caller's organisations; all when absent.
    organisation_id: Option<String>,
    /// `csv` for the CSV file (as `Accept: text/csv` asks); `json`, the default.
    format: Option<String>,
}

/// Pending Payments Exceptions: the exceptions on the actuals of the periods not yet paid,
/// with their threshold, the value measured and whether they hold the client's payment.
#[utoipa::path(
    tag = "reports",
    operation_id = "get_pending_payments_exceptions",
    params(ExceptionsQuery),
    responses(
        (status = 200, description = "The report", body = PendingExceptions,
            content(
                (PendingExceptions = "application/json"),
                (String = "text/csv", example = "organisation,payment_period,exception_type,actual,week,threshold,value,payment_status\nAlly Pally Ltd,Ally Pally Care: 06/06/2022 - 12/06/2022,Plan exceeded for week,\"Miss Fallon Sherrock (ab836000), 06/06/2022, Ally Pally Home Care - Homecare Flexible - Bradford - Single-handed\",2022-06-06,0%,25%,Suspend\n")
            )
        ),
        NotSignedIn,
        NotFound,
        Invalid,
    )
)]
#[get("/reports/pending-payments-exceptions")]
pub async fn pending_exceptions_report(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    query: web::Query<ExceptionsQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Vec::new();
    let csv = wants_csv(&request, query.format.as_deref())?;
    let organisation_id = optional_id(
        &mut errors,
        "organisation_id",
        query.organisation_id.as_deref(),
    );
    refuse(errors)?;
    organisation_name(&store, &caller, organisation_id).await?;
    let mut report = PendingExceptions {
        payment_periods: Vec::new(),
        rows: Vec::new(),
    };
    for contract in contracts(&store, &caller, organisation_id).await? {
        // Contracts paid by invoice have no payment periods.
        if contract.payment_model != "scheduled" {
            continue;
        }
        let services = contract_services(&store, &contract, &clock).await?;
        for (record, weeks) in pending_periods(&store, &contract, &services, None, None).await? {
            report
                .payment_periods
                .push(period_title(&contract, &record));
            report
                .rows
                .extend(period_exceptions(&store, &contract, &services, &record, &weeks).await?);
        }
    }
    let records = exception_records(&report);
    answer(
        csv,
        &report,
        &EXCEPTION_COLUMNS,
        records,
        "pending-payments-exceptions.csv",
    )
}

/// A contract's services, after making sure its periods exist up to today (they are
/// created as time passes, as the Scheduled Payments screen does).
async fn contract_services(
    store: &Store,
    contract: &PaymentContractRecord,
    clock: &Clock,
) -> Result<Vec<portal_store::reference::ServiceRecord>, ApiError> {
    let periods: Vec<(time::Date, time::Date)> = calendar_of(contract)?
        .periods_through(clock.now().date())
        .into_iter()
        .map(|period| (period.start(), period.end()))
        .collect();
    store.ensure_periods(contract.id, &periods).await?;
    Ok(store
        .services(&portal_store::Scope::Council(contract.council_id))
        .await?
        .into_iter()
        .filter(|service| service.contract_id == contract.id)
        .collect())
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct PendingPaymentsQuery {
    /// One of the caller's organisations; all when absent.
    organisation_id: Option<String>,
    /// `pay`, `suspend`, `cancel` or `carry_forward`; all when absent.
    status: Option<String>,
    /// Periods ending on or after this day, `YYYY-MM-DD`.
    from: Option<String>,
    /// Periods starting on or before this day, `YYYY-MM-DD`. Without either date, the
    /// periods not yet paid that hold any recorded actual.
    to: Option<String>,
    /// `csv` for the CSV file (as `Accept: text/csv` asks); `json`, the default.
    format: Option<String>,
}

/// Pending Scheduled Payments: per period not yet finalised and client, the scheduled lines
/// with amount, VAT, item notes, dates and status, as the Scheduled Payments screen shows
/// them now.
#[utoipa::path(
    tag = "reports",
    operation_id = "get_pending_scheduled_payments",
    params(PendingPaymentsQuery),
    responses(
        (status = 200, description = "The report", body = PendingScheduledPayments,
            content(
                (PendingScheduledPayments = "application/json"),
                (String = "text/csv", example = "organisation,contract,period_start,period_end,client,ssref,service,item_notes,item_from,item_to,status,amount,vat\nAlly Pally Ltd,Ally Pally Care,2022-06-06,2022-06-12,\"Bristow, Eric\",96836000,Ally Pally Home Care,\"Homecare Flexible - Bradford - Single-handed (Hour), Spot.\",2022-06-06,2022-06-12,Pay,140.00,0.00\n")
            )
        ),
        NotSignedIn,
        NotFound,
        Invalid,
    )
)]
#[get("/reports/pending-scheduled-payments")]
pub async fn pending_payments_report(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    query: web::Query<PendingPaymentsQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Vec::new();
    let csv = wants_csv(&request, query.format.as_deref())?;
    let organisation_id = optional_id(
        &mut errors,
        "organisation_id",
        query.organisation_id.as_deref(),
    );
    let status = match query.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => match LineStatus::parse(code) {
            Some(status) => Some(status),
            None => {
                errors.push(FieldError {
                    field: "status".into(),
                    message: "must be pay, suspend, cancel or carry_forward".into(),
                });
                None
            }
        },
    };
    let from = optional_date(&mut errors, "from", query.from.as_deref());
    let to = optional_date(&mut errors, "to", query.to.as_deref());
    if let (Some(from), Some(to)) = (from, to) {
        if to < from {
            errors.push(FieldError {
                field: "to".into(),
                message: "must not be before the date from".into(),
            });
        }
    }
    refuse(errors)?;
    organisation_name(&store, &caller, organisation_id).await?;
    let mut rows = Vec::new();
    for contract in contracts(&store, &caller, organisation_id).await? {
        if contract.payment_model != "scheduled" {
            continue;
        }
        let services = contract_services(&store, &contract, &clock).await?;
        for (record, _) in pending_periods(&store, &contract, &services, from, to).await? {
            rows.extend(period_payments(&store, &contract, &record, status).await?);
        }
    }
    let sum = |field: fn(&portal_dto::PendingPaymentRow) -> &String| -> Decimal {
        rows.iter()
            .filter_map(|row| field(row).parse::<Decimal>().ok())
            .sum()
    };
    let report = PendingScheduledPayments {
        amount: money_text(sum(|row| &row.amount)),
        vat: money_text(sum(|row| &row.vat)),
        rows,
    };
    let records = payment_records(&report);
    answer(
        csv,
        &report,
        &PAYMENT_COLUMNS,
        records,
        "pending-scheduled-payments.csv",
    )
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct RemittanceReportQuery {
    /// One of the caller's contracts; every contract when absent.
    contract_id: Option<String>,
    /// `scheduled` or `invoiced`: must be how the contract pays when given.
    payment_method: Option<String>,
    /// One paid period of the contract(s); every paid period when absent.
    period_id: Option<String>,
    /// `true`: one row per client and period with its total.
    summary: Option<String>,
    /// `csv` for the CSV file (as `Accept: text/csv` asks); `json`, the default.
    format: Option<String>,
}

/// Remittance Advice Provider Payments: what the contract's paid periods paid, per line or
/// per client, with the figures of each period's remittance advice.
#[utoipa::path(
    tag = "reports",
    operation_id = "get_remittance_report",
    params(RemittanceReportQuery),
    responses(
        (status = 200, description = "The report", body = RemittanceReport,
            content(
                (RemittanceReport = "application/json"),
                (String = "text/csv", example = "contract,payment_method,period,client,ssref,item,from,to,amount,vat,status\nAlly Pally Care,Scheduled payments,02/05/2022 - 08/05/2022,\"Bristow, Eric (96836000)\",96836000,\"Homecare Flexible - Bradford - Single-handed (Hour), Spot.\",2022-05-02,2022-05-08,140.00,0.00,Pay\n")
            )
        ),
        NotSignedIn,
        NotFound,
        Invalid,
    )
)]
#[get("/reports/remittance-advice")]
pub async fn remittance_report(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<RemittanceReportQuery>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Vec::new();
    let csv = wants_csv(&request, query.format.as_deref())?;
    let contract_id = optional_id(&mut errors, "contract_id", query.contract_id.as_deref());
    let period_id = optional_id(&mut errors, "period_id", query.period_id.as_deref());
    let summary = flag(&mut errors, "summary", query.summary.as_deref());
    let method = query
        .payment_method
        .as_deref()
        .map(str::trim)
        .filter(|method| !method.is_empty());
    if method.is_some_and(|method| method != "scheduled" && method != "invoiced") {
        errors.push(FieldError {
            field: "payment_method".into(),
            message: "must be scheduled or invoiced".into(),
        });
    }
    refuse(errors)?;
    let contracts = match contract_id {
        Some(id) => vec![store
            .payment_contract(caller.scope(), id)
            .await?
            .ok_or(ApiError::NotFound("contract"))?],
        None => store.payment_contracts(caller.scope()).await?,
    };
    let mut periods = Vec::new();
    for contract in contracts {
        for (record, partially) in store.finalised_periods(contract.id).await? {
            if period_id.is_none_or(|id| id == record.id) {
                periods.push((contract.clone(), record, partially));
            }
        }
    }
    if let (Some(_), true) = (period_id, periods.is_empty()) {
        // Not one of the caller's paid periods (of the contract asked for).
        return Err(ApiError::NotFound("payment period"));
    }
    periods.retain(|(contract, _, _)| method.is_none_or(|method| method == contract.payment_model));
    let mut rows = Vec::new();
    let (mut amount, mut vat) = (Decimal::ZERO, Decimal::ZERO);
    for (contract, record, partially) in &periods {
        let (period_rows, paid, period_vat) =
            remittance_rows(&store, contract, record, summary).await?;
        amount += paid;
        vat += period_vat;
        let label = format!(
            "{}{}",
            period_dates(record),
            if *partially { " *" } else { "" }
        );
        rows.extend(period_rows.into_iter().map(|row| RemittanceReportRow {
            contract: contract.name.clone(),
            payment_method: payment_method_label(&contract.payment_model).to_owned(),
            period_id: record.id.to_string(),
            period: label.clone(),
            client: row.client,
            ssref: row.ssref,
            item: row.item,
            from: row.from,
            to: row.to,
            amount: row.amount,
            vat: row.vat,
            status: row.status,
        }));
    }
    let report = RemittanceReport {
        summary,
        rows,
        amount: money_text(amount),
        vat: money_text(vat),
        total: money_text(amount + vat),
    };
    let records = remittance_records(&report);
    answer(
        csv,
        &report,
        &REMITTANCE_COLUMNS,
        records,
        "remittance-advice.csv",
    )
}
