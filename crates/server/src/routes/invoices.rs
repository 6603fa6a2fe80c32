//! Invoices and credit notes (DOMAIN 6) for contracts paid "invoiced, pay on actuals":
//! the provider raises one for a payment period (the whole organisation, a contract, a
//! service or a client), its items priced from the recorded actuals; edits, removes and
//! re-adds items, asks for suggestions, attaches a VAT invoice and submits it. Council staff
//! authorise, finalise, hold or return it.

use actix_web::http::header::{self, ContentDisposition, DispositionParam, DispositionType};
use actix_web::web::Bytes;
use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use portal_domain::access::ProviderTask;
use portal_domain::amount::round_to_penny;
use portal_domain::attachment::PDF_AND_IMAGES;
use portal_domain::calendar::{iso_date, parse_iso_date};
use portal_domain::format::format_date;
use portal_domain::invoice::{
    commitment_label, commitment_values, InvoiceAction, InvoiceKind, InvoiceScope, InvoiceStatus,
    InvoiceTotals, ItemAmounts, PaidUnits, PaidWeek, ATTACHMENT_MAX_BYTES,
};
use portal_domain::payment::PeriodCalendar;
use portal_domain::{FinancialYear, Money};
use portal_dto::{
    CreateInvoice, FieldError, Invoice, InvoiceAttachment, InvoiceChoice, InvoiceContractOption,
    InvoiceDecision, InvoiceItem, InvoiceOptions, InvoicePeriod, InvoiceSummary, InvoiceVersion,
    Page, Problem, UpdateInvoice, UpdateInvoiceItem,
};
use portal_store::invoices::{
    InvoiceHeader, InvoiceRecord, InvoicedContract, NewInvoice, NewInvoiceItem,
};
use portal_store::{Store, StoreError};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::clock::Clock;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::routes::parse_id;
use crate::routes::problems::{NotCouncilStaff, NotSignedIn};

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_invoices)
        .service(invoice_options)
        .service(create_invoice)
        .service(get_invoice)
        .service(update_invoice)
        .service(update_invoice_item)
        .service(suggest_items)
        .service(submit_invoice)
        .service(delete_invoice)
        .service(authorise_invoice)
        .service(finalise_invoice)
        .service(hold_invoice)
        .service(return_invoice)
        .service(attach_file)
        .service(download_attachment);
}

// ---------------------------------------------------------------------------------------
// Figures and views.

fn pence(amount: Decimal) -> i64 {
    let mut rounded = round_to_penny(amount);
    rounded.rescale(2);
    i64::try_from(rounded.mantissa()).unwrap_or(i64::MAX)
}

fn money_text(pence: i64) -> String {
    Decimal::new(pence, 2).to_string()
}

fn decimal(pence: i64) -> Decimal {
    Decimal::new(pence, 2)
}

fn period_label(start: &str, end: &str) -> String {
    match (parse_iso_date(start), parse_iso_date(end)) {
        (Ok(start), Ok(end)) => format!("{} - {}", format_date(start), format_date(end)),
        _ => format!("{start} - {end}"),
    }
}

fn totals(invoice: &InvoiceRecord) -> InvoiceTotals {
    let items: Vec<ItemAmounts> = invoice
        .items
        .iter()
        .filter(|item| item.is_included == 1)
        .map(|item| ItemAmounts {
            value: decimal(item.value_pence),
            vat: decimal(item.vat_pence),
            contribution: decimal(item.contribution_pence),
        })
        .collect();
    InvoiceTotals::of(
        &items,
        decimal(invoice.entered_ex_vat_pence),
        decimal(invoice.entered_vat_pence),
    )
}

fn text(amount: Decimal) -> String {
    money_text(pence(amount))
}

fn invoice_view(invoice: &InvoiceRecord) -> Invoice {
    let totals = totals(invoice);
    Invoice {
        id: invoice.id.to_string(),
        kind: invoice.kind.code().to_owned(),
        kind_label: invoice.kind.label().to_owned(),
        organisation_id: invoice.organisation_id.to_string(),
        organisation_name: invoice.organisation_name.clone(),
        reference: invoice.reference.clone(),
        status: invoice.status.code().to_owned(),
        status_label: invoice.status.label().to_owned(),
        status_reason: invoice.status_reason.clone(),
        scope: invoice.scope.code().to_owned(),
        contract_id: invoice.scope_contract_id.map(|id| id.to_string()),
        service_id: invoice.scope_service_id.map(|id| id.to_string()),
        client_id: invoice.scope_client_id.map(|id| id.to_string()),
        credit_of_invoice_id: invoice.credit_of_invoice_id.map(|id| id.to_string()),
        period_start: iso_date(invoice.period_start),
        period_end: iso_date(invoice.period_end),
        period_label: format!(
            "{} - {}",
            format_date(invoice.period_start),
            format_date(invoice.period_end)
        ),
        date_on_invoice: iso_date(invoice.date_on_invoice),
        created_on: iso_date(invoice.created_on),
        submitted_at: invoice.submitted_at.clone(),
        entered_ex_vat: text(totals.entered_ex_vat),
        entered_vat: text(totals.entered_vat),
        items_ex_vat: text(totals.items_ex_vat),
        items_vat: text(totals.items_vat),
        short_by_ex_vat: text(totals.short_by_ex_vat),
        short_by_vat: text(totals.short_by_vat),
        contributions: text(totals.contributions),
        payable: text(totals.payable),
        editable: invoice.status.is_editable(),
        items: invoice
            .items
            .iter()
            .map(|item| InvoiceItem {
                id: item.id.to_string(),
                commitment: item.description.clone(),
                client_id: item.client_id.to_string(),
                service_id: item.service_id.to_string(),
                contract_id: item.contract_id.to_string(),
                contract_name: item.contract_name.clone(),
                financial_year: FinancialYear::starting_in(
                    i32::try_from(item.financial_year).unwrap_or_default(),
                )
                .label(),
                period_label: period_label(&item.period_start, &item.period_end),
                value: money_text(item.value_pence),
                vat: money_text(item.vat_pence),
                contribution: money_text(item.contribution_pence),
                included: item.is_included == 1,
            })
            .collect(),
        attachment: invoice
            .attachment
            .as_ref()
            .map(|attachment| InvoiceAttachment {
                file_name: attachment.file_name.clone(),
                content_type: attachment.content_type.clone(),
                size_bytes: attachment.size_bytes,
            }),
        version: invoice.version,
    }
}

fn summary_view(invoice: &InvoiceRecord) -> InvoiceSummary {
    let totals = totals(invoice);
    InvoiceSummary {
        id: invoice.id.to_string(),
        kind: invoice.kind.code().to_owned(),
        reference: invoice.reference.clone(),
        organisation_id: invoice.organisation_id.to_string(),
        organisation_name: invoice.organisation_name.clone(),
        status: invoice.status.code().to_owned(),
        status_label: invoice.status.label().to_owned(),
        period_start: iso_date(invoice.period_start),
        period_end: iso_date(invoice.period_end),
        period_label: format!(
            "{} - {}",
            format_date(invoice.period_start),
            format_date(invoice.period_end)
        ),
        date_on_invoice: iso_date(invoice.date_on_invoice),
        items_ex_vat: text(totals.items_ex_vat),
        items_vat: text(totals.items_vat),
        payable: text(totals.payable),
        version: invoice.version,
    }
}

// ---------------------------------------------------------------------------------------
// Pricing commitments from the recorded actuals.

/// What a new invoice covers, once checked.
#[derive(Debug, Clone, Copy)]
struct Coverage {
    scope: InvoiceScope,
    contract_id: Option<i64>,
    service_id: Option<i64>,
    client_id: Option<i64>,
}

/// The invoice's period, council and priced items.
struct Priced {
    council_id: i64,
    period_start: Date,
    period_end: Date,
    items: Vec<NewInvoiceItem>,
}

fn contract_calendar(contract: &InvoicedContract) -> Option<PeriodCalendar> {
    let anchor = parse_iso_date(&contract.period_anchor).ok()?;
    PeriodCalendar::new(anchor, contract.period_weeks).ok()
}

/// Prices the commitments a coverage reaches in the period starting on `period_start`:
/// per contract, service and client, the recorded actuals' paid units x rate, per
/// financial year, each item rounded to the penny, with VAT at the contract's rate.
async fn price(
    store: &Store,
    organisation_id: i64,
    coverage: Coverage,
    period_start: Date,
    kind: InvoiceKind,
) -> Result<Priced, ApiError> {
    let contracts: Vec<InvoicedContract> = store
        .invoiced_contracts(organisation_id)
        .await?
        .into_iter()
        .filter(|contract| coverage.contract_id.is_none_or(|id| id == contract.id))
        .collect();
    let mut chosen = Vec::new();
    for contract in contracts {
        let Some(period) = contract_calendar(&contract)
            .and_then(|calendar| calendar.period_starting(period_start))
        else {
            continue;
        };
        chosen.push((contract, period));
    }
    let Some((first, period)) = chosen.first().cloned() else {
        return Err(ApiError::invalid(
            "period_start",
            "is not the first day of a payment period of an invoiced contract this invoice covers",
        ));
    };
    if chosen
        .iter()
        .any(|(contract, _)| contract.council_id != first.council_id)
    {
        return Err(ApiError::invalid(
            "scope",
            "covers contracts with more than one council: choose a contract",
        ));
    }
    let mut items = Vec::new();
    for (contract, period) in &chosen {
        let vat_rate = Decimal::new(contract.vat_rate_basis_points, 2);
        let services: Vec<i64> = store
            .contract_services(contract.id)
            .await?
            .into_iter()
            .map(|(id, _)| id)
            .filter(|id| coverage.service_id.is_none_or(|wanted| wanted == *id))
            .collect();
        for service_id in services {
            // Each client's weeks at this service.
            let mut by_client: std::collections::BTreeMap<i64, Vec<PaidWeek>> =
                std::collections::BTreeMap::new();
            for week in period.weeks() {
                for record in store.actuals_in_week(service_id, week).await? {
                    if coverage
                        .client_id
                        .is_some_and(|client| client != record.client_id)
                    {
                        continue;
                    }
                    let units = match &record.sessions {
                        Some(rows) => PaidUnits::from_rows(rows),
                        None => PaidUnits::Week(
                            record.figures.actual.value() + record.figures.frustrated.value(),
                        ),
                    };
                    by_client
                        .entry(record.client_id)
                        .or_default()
                        .push(PaidWeek {
                            week,
                            units,
                            rate: record.rate.value(),
                        });
                }
            }
            let ids: Vec<i64> = by_client.keys().copied().collect();
            let clients = store.clients_by_id(&ids).await?;
            for (client_id, weeks) in by_client {
                let Some(client) = clients.iter().find(|client| client.id == client_id) else {
                    continue;
                };
                for (year, value) in commitment_values(&weeks) {
                    if value.is_zero() {
                        continue;
                    }
                    let amounts = ItemAmounts::new(kind, value, vat_rate, Decimal::ZERO);
                    items.push(NewInvoiceItem {
                        contract_id: contract.id,
                        service_id,
                        client_id,
                        financial_year: i64::from(year.first_day().year()),
                        description: commitment_label(
                            &client.surname,
                            &client.forename,
                            &client.ssref,
                            year,
                        ),
                        period_start: period.start(),
                        period_end: period.end(),
                        value_pence: pence(amounts.value),
                        vat_pence: pence(amounts.vat),
                    });
                }
            }
        }
    }
    Ok(Priced {
        council_id: first.council_id,
        period_start: period.start(),
        period_end: period.end(),
        items,
    })
}

/// A credit note against an invoice: its included items, negated.
fn credited_items(invoice: &InvoiceRecord) -> Vec<NewInvoiceItem> {
    invoice
        .items
        .iter()
        .filter(|item| item.is_included == 1)
        .map(|item| NewInvoiceItem {
            contract_id: item.contract_id,
            service_id: item.service_id,
            client_id: item.client_id,
            financial_year: item.financial_year,
            description: item.description.clone(),
            period_start: parse_iso_date(&item.period_start).unwrap_or(invoice.period_start),
            period_end: parse_iso_date(&item.period_end).unwrap_or(invoice.period_end),
            value_pence: -item.value_pence.abs(),
            vat_pence: -item.vat_pence.abs(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Checks.

/// An amount the provider typed: pounds with at most two places; a leading `-` is allowed
/// (a credit note's totals are negative).
fn signed_amount(errors: &mut Vec<FieldError>, field: &str, value: &str) -> i64 {
    let trimmed = value.trim();
    let (negative, digits) = match trimmed.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, trimmed),
    };
    match Money::parse(digits) {
        Ok(amount) if negative => -amount.hundredths(),
        Ok(amount) => amount.hundredths(),
        Err(error) => {
            errors.push(FieldError {
                field: field.into(),
                message: error.to_string(),
            });
            0
        }
    }
}

fn day(errors: &mut Vec<FieldError>, field: &str, value: &str) -> Option<Date> {
    match parse_iso_date(value.trim()) {
        Ok(date) => Some(date),
        Err(error) => {
            errors.push(FieldError {
                field: field.into(),
                message: error.to_string(),
            });
            None
        }
    }
}

fn reference(errors: &mut Vec<FieldError>, value: &str) -> String {
    let reference = value.trim().to_owned();
    if reference.is_empty() || reference.chars().count() > 50 {
        errors.push(FieldError {
            field: "reference".into(),
            message: "is required: your invoice's reference, at most 50 characters".into(),
        });
    }
    reference
}

fn id_field(errors: &mut Vec<FieldError>, field: &str, value: Option<&str>) -> Option<i64> {
    let text = value.map(str::trim).filter(|text| !text.is_empty())?;
    match text.parse::<i64>() {
        Ok(id) if id > 0 => Some(id),
        _ => {
            errors.push(FieldError {
                field: field.into(),
                message: "must be an id from the list".into(),
            });
            None
        }
    }
}

fn taken_reference() -> ApiError {
    ApiError::invalid(
        "reference",
        "is already used by another invoice of your organisation: each reference is used once",
    )
}

/// The organisation a provider contact raises an invoice for: the one named, or their
/// only one.
fn organisation_of(caller: &Caller, named: Option<&str>) -> Result<i64, ApiError> {
    if caller.is_council {
        return Err(ApiError::Forbidden(
            "Providers raise their own invoices; council staff decide on them.".into(),
        ));
    }
    let reachable = match caller.scope() {
        portal_store::Scope::Organisations(ids) => ids.clone(),
        portal_store::Scope::Council(_) => Vec::new(),
    };
    match named.map(str::trim).filter(|text| !text.is_empty()) {
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|id| reachable.contains(id))
            .ok_or(ApiError::NotFound("organisation")),
        None if reachable.len() == 1 => Ok(reachable[0]),
        None => Err(ApiError::invalid(
            "organisation_id",
            "is required: you act for more than one organisation",
        )),
    }
}

async fn invoice_in_scope(
    store: &Store,
    caller: &Caller,
    invoice_id: &str,
) -> Result<InvoiceRecord, ApiError> {
    let id = parse_id(invoice_id, "invoice")?;
    store
        .invoice(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("invoice"))
}

/// The caller's own invoice, to change: a provider whose role may claim payment.
async fn providers_invoice(
    store: &Store,
    caller: &Caller,
    invoice_id: &str,
) -> Result<InvoiceRecord, ApiError> {
    let invoice = invoice_in_scope(store, caller, invoice_id).await?;
    if caller.is_council {
        return Err(ApiError::Forbidden(
            "Only the provider can change its invoice; council staff authorise, hold, return or finalise it."
                .into(),
        ));
    }
    caller.may(invoice.organisation_id, ProviderTask::ClaimPayment)?;
    Ok(invoice)
}

/// Refuses a change to an invoice no longer editable, or read at an older version.
fn editable_at(invoice: &InvoiceRecord, version: i64) -> Result<(), ApiError> {
    if !invoice.status.is_editable() {
        return Err(ApiError::Conflict(format!(
            "This invoice is {}: only Unsubmitted or Returned invoices can be changed.",
            invoice.status.label()
        )));
    }
    fresh(invoice, version)
}

fn fresh(invoice: &InvoiceRecord, version: i64) -> Result<(), ApiError> {
    if invoice.version != version {
        return Err(ApiError::Store(StoreError::StaleVersion {
            sent: version,
            current: invoice.version,
        }));
    }
    Ok(())
}

async fn reread(store: &Store, caller: &Caller, id: i64) -> Result<HttpResponse, ApiError> {
    let invoice = store
        .invoice(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("invoice"))?;
    Ok(HttpResponse::Ok()
        .insert_header(header::ETag(header::EntityTag::new_strong(
            invoice.version.to_string(),
        )))
        .json(invoice_view(&invoice)))
}

// ---------------------------------------------------------------------------------------
// Lists and options.

#[derive(Debug, Deserialize, IntoParams)]
pub struct ListQuery {
    /// One status: `unsubmitted`, `pending`, `authorised`, `finalised`, `on_hold`,
    /// `returned` or `deleted`. Without it, every invoice not deleted.
    status: Option<String>,
    /// One of the caller's organisations (all of them by default).
    organisation_id: Option<String>,
}

/// Lists invoices and credit notes: a provider's own, or council staff's council's (without a
/// status, council staff see those submitted at least once).
#[utoipa::path(
    tag = "invoices",
    operation_id = "list_invoices",
    params(ListQuery),
    responses(
        (status = 200, description = "Invoices, newest period first", body = Page<InvoiceSummary>),
        NotSignedIn,
        (status = 422, description = "An unknown status", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/invoices")]
pub async fn list_invoices(
    caller: Caller,
    store: web::Data<Store>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<Page<InvoiceSummary>>, ApiError> {
    let status = match query.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(code) => Some(InvoiceStatus::parse(code).ok_or_else(|| {
            ApiError::invalid(
                "status",
                "must be unsubmitted, pending, authorised, finalised, on_hold, returned or deleted",
            )
        })?),
    };
    let organisation = query
        .organisation_id
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .map(|text| text.parse::<i64>().unwrap_or(0));
    let invoices = store.invoices(caller.scope(), status).await?;
    Ok(web::Json(Page {
        items: invoices
            .iter()
            .filter(|invoice| organisation.is_none_or(|id| id == invoice.organisation_id))
            // A provider's draft is its own until submitted.
            .filter(|invoice| {
                !(caller.is_council
                    && status.is_none()
                    && invoice.status == InvoiceStatus::Unsubmitted)
            })
            .map(summary_view)
            .collect(),
        next_cursor: None,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct OptionsQuery {
    /// The organisation; may be left out by a contact of one organisation.
    organisation_id: Option<String>,
}

/// What a new invoice may cover: the organisation's invoiced contracts with their services
/// and payment periods (newest first, through the current one), and its clients.
#[utoipa::path(
    tag = "invoices",
    operation_id = "invoice_options",
    params(OptionsQuery),
    responses(
        (status = 200, description = "The choices for a new invoice", body = InvoiceOptions),
        NotSignedIn,
        (status = 403, description = "Council staff, or a role that may not claim payment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/invoice-options")]
pub async fn invoice_options(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    query: web::Query<OptionsQuery>,
) -> Result<web::Json<InvoiceOptions>, ApiError> {
    let organisation_id = organisation_of(&caller, query.organisation_id.as_deref())?;
    caller.may(organisation_id, ProviderTask::ClaimPayment)?;
    let today = clock.now().date();
    let mut contracts = Vec::new();
    let mut clients: Vec<InvoiceChoice> = Vec::new();
    for contract in store.invoiced_contracts(organisation_id).await? {
        let Some(calendar) = contract_calendar(&contract) else {
            continue;
        };
        let mut periods: Vec<InvoicePeriod> = calendar
            .periods_through(today)
            .into_iter()
            .map(|period| InvoicePeriod {
                start: iso_date(period.start()),
                end: iso_date(period.end()),
                label: period.label(),
            })
            .collect();
        periods.reverse();
        let services = store
            .contract_services(contract.id)
            .await?
            .into_iter()
            .map(|(id, name)| InvoiceChoice {
                id: id.to_string(),
                name,
            })
            .collect();
        for client in store.contract_clients(contract.id).await? {
            let id = client.id.to_string();
            if !clients.iter().any(|known| known.id == id) {
                clients.push(InvoiceChoice {
                    id,
                    name: format!("{} ({})", client.sort_name(), client.ssref),
                });
            }
        }
        contracts.push(InvoiceContractOption {
            id: contract.id.to_string(),
            name: contract.name,
            services,
            periods,
        });
    }
    Ok(web::Json(InvoiceOptions {
        organisation_id: organisation_id.to_string(),
        contracts,
        clients,
    }))
}

// ---------------------------------------------------------------------------------------
// The provider's changes.

/// Creates an invoice (or a credit note) for one payment period, its items priced from the
/// recorded actuals: one per commitment (client, service and financial year), value = the
/// period's paid units (Actual + Frustrated) x rate of the actuals in that financial year,
/// VAT at the contract's rate, each rounded half away from zero to the penny.
///
/// A credit note (`kind` = `credit_note`) either credits an invoice
/// (`credit_of_invoice_id`: its included items, negated) or, like an invoice, a scope and
/// period, with negative items.
#[utoipa::path(
    tag = "invoices",
    operation_id = "create_invoice",
    request_body = CreateInvoice,
    responses(
        (status = 201, description = "Created, Unsubmitted", body = Invoice),
        NotSignedIn,
        (status = 403, description = "Council staff, or a role that may not claim payment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such organisation, contract, service, client or invoice of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, every one named (a reference already used by the organisation among them)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invoices")]
pub async fn create_invoice(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    body: ValidJson<CreateInvoice>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let organisation_id = organisation_of(&caller, body.organisation_id.as_deref())?;
    caller.may(organisation_id, ProviderTask::ClaimPayment)?;
    let mut errors = Vec::new();
    let kind = match body.kind.as_deref().map(str::trim) {
        None | Some("") => InvoiceKind::Invoice,
        Some(code) => InvoiceKind::parse(code).unwrap_or_else(|| {
            errors.push(FieldError {
                field: "kind".into(),
                message: "must be invoice or credit_note".into(),
            });
            InvoiceKind::Invoice
        }),
    };
    let reference = reference(&mut errors, &body.reference);
    let date_on_invoice = day(&mut errors, "date_on_invoice", &body.date_on_invoice);
    let entered_ex_vat = signed_amount(&mut errors, "entered_ex_vat", &body.entered_ex_vat);
    let entered_vat = signed_amount(&mut errors, "entered_vat", &body.entered_vat);
    let credit_of = id_field(
        &mut errors,
        "credit_of_invoice_id",
        body.credit_of_invoice_id.as_deref(),
    );
    if credit_of.is_some() && kind != InvoiceKind::CreditNote {
        errors.push(FieldError {
            field: "credit_of_invoice_id".into(),
            message: "is for credit notes only".into(),
        });
    }
    let contract_id = id_field(&mut errors, "contract_id", body.contract_id.as_deref());
    let service_id = id_field(&mut errors, "service_id", body.service_id.as_deref());
    let client_id = id_field(&mut errors, "client_id", body.client_id.as_deref());
    let mut coverage = None;
    let mut period_start = None;
    if credit_of.is_none() {
        let scope = match body.scope.as_deref().map(str::trim) {
            Some(code) => InvoiceScope::parse(code),
            None => None,
        };
        match scope {
            None => errors.push(FieldError {
                field: "scope".into(),
                message: "must be organisation, contract, service or client".into(),
            }),
            Some(scope) => {
                let (needed, present) = match scope {
                    InvoiceScope::Organisation => ("", true),
                    InvoiceScope::Contract => ("contract_id", contract_id.is_some()),
                    InvoiceScope::Service => ("service_id", service_id.is_some()),
                    InvoiceScope::Client => ("client_id", client_id.is_some()),
                };
                if !present {
                    errors.push(FieldError {
                        field: needed.into(),
                        message: format!("is required for an invoice for one {}", scope.code()),
                    });
                }
                coverage = Some(Coverage {
                    scope,
                    contract_id: (scope == InvoiceScope::Contract)
                        .then_some(contract_id)
                        .flatten(),
                    service_id: (scope == InvoiceScope::Service)
                        .then_some(service_id)
                        .flatten(),
                    client_id: (scope == InvoiceScope::Client)
                        .then_some(client_id)
                        .flatten(),
                });
            }
        }
        match body.period_start.as_deref() {
            Some(text) => period_start = day(&mut errors, "period_start", text),
            None => errors.push(FieldError {
                field: "period_start".into(),
                message: "is required: the first day of a payment period".into(),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let date_on_invoice = date_on_invoice.expect("checked above");
    let (priced, coverage, credited) = match (credit_of, coverage, period_start) {
        (Some(credited_id), _, _) => {
            let credited = store
                .invoice(caller.scope(), credited_id)
                .await?
                .filter(|invoice| {
                    invoice.organisation_id == organisation_id
                        && invoice.kind == InvoiceKind::Invoice
                })
                .ok_or(ApiError::NotFound("invoice"))?;
            let priced = Priced {
                council_id: credited.council_id,
                period_start: credited.period_start,
                period_end: credited.period_end,
                items: credited_items(&credited),
            };
            let coverage = Coverage {
                scope: credited.scope,
                contract_id: credited.scope_contract_id,
                service_id: credited.scope_service_id,
                client_id: credited.scope_client_id,
            };
            (priced, coverage, Some(credited.id))
        }
        (None, Some(mut coverage), Some(period_start)) => {
            // A service's contract decides the period; a service or client not the
            // organisation's is not found.
            if let Some(service_id) = coverage.service_id {
                let service = store
                    .service(caller.scope(), service_id)
                    .await?
                    .filter(|service| service.organisation_id == organisation_id)
                    .ok_or(ApiError::NotFound("service"))?;
                coverage.contract_id = Some(service.contract_id);
            }
            if let Some(contract_id) = coverage.contract_id {
                if !store
                    .invoiced_contracts(organisation_id)
                    .await?
                    .iter()
                    .any(|contract| contract.id == contract_id)
                {
                    return Err(ApiError::NotFound("contract"));
                }
            }
            if let Some(client_id) = coverage.client_id {
                let mut known = false;
                for contract in store.invoiced_contracts(organisation_id).await? {
                    known |= store
                        .contract_clients(contract.id)
                        .await?
                        .iter()
                        .any(|client| client.id == client_id);
                }
                if !known {
                    return Err(ApiError::NotFound("client"));
                }
            }
            let priced = price(&store, organisation_id, coverage, period_start, kind).await?;
            (priced, coverage, None)
        }
        _ => unreachable!("a coverage and a period were checked above"),
    };
    let created = store
        .create_invoice(
            &NewInvoice {
                organisation_id,
                council_id: priced.council_id,
                kind,
                credit_of_invoice_id: credited,
                scope: coverage.scope,
                scope_contract_id: coverage.contract_id,
                scope_service_id: coverage.service_id,
                scope_client_id: coverage.client_id,
                period_start: priced.period_start,
                period_end: priced.period_end,
                reference: &reference,
                date_on_invoice,
                created_on: clock.now().date(),
                entered_ex_vat_pence: entered_ex_vat,
                entered_vat_pence: entered_vat,
                items: &priced.items,
            },
            &caller.actor(),
        )
        .await?;
    let id = created.ok_or_else(taken_reference)?;
    let invoice = store
        .invoice(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("invoice"))?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/invoices/{id}")))
        .insert_header(header::ETag(header::EntityTag::new_strong(
            invoice.version.to_string(),
        )))
        .json(invoice_view(&invoice)))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct InvoiceQuery {
    /// `csv` for the file (as `Accept: text/csv` asks); `json`, the default, for the invoice.
    format: Option<String>,
}

/// Whether the caller asked for CSV, by `format` or else by `Accept`.
fn wants_csv(request: &HttpRequest, format: Option<&str>) -> Result<bool, ApiError> {
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

const CSV_COLUMNS: [&str; 14] = [
    "reference",
    "kind",
    "status",
    "date_on_invoice",
    "period_start",
    "period_end",
    "commitment",
    "contract",
    "financial_year",
    "value",
    "vat",
    "contribution",
    "included",
    "organisation",
];

#[derive(Serialize)]
struct CsvRow<'a> {
    reference: &'a str,
    kind: &'a str,
    status: &'a str,
    date_on_invoice: &'a str,
    period_start: &'a str,
    period_end: &'a str,
    commitment: &'a str,
    contract: &'a str,
    financial_year: &'a str,
    value: &'a str,
    vat: &'a str,
    contribution: &'a str,
    included: &'a str,
    organisation: &'a str,
}

fn csv_file(invoice: &Invoice) -> Result<HttpResponse, ApiError> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    writer
        .write_record(CSV_COLUMNS)
        .map_err(anyhow::Error::from)?;
    for item in &invoice.items {
        writer
            .serialize(CsvRow {
                reference: &invoice.reference,
                kind: &invoice.kind,
                status: &invoice.status,
                date_on_invoice: &invoice.date_on_invoice,
                period_start: &invoice.period_start,
                period_end: &invoice.period_end,
                commitment: &item.commitment,
                contract: &item.contract_name,
                financial_year: &item.financial_year,
                value: &item.value,
                vat: &item.vat,
                contribution: &item.contribution,
                included: if item.included { "yes" } else { "no" },
                organisation: &invoice.organisation_name,
            })
            .map_err(anyhow::Error::from)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|error| anyhow::anyhow!("{error}"))?;
    let safe: String = invoice
        .reference
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "{}-{safe}.csv",
                invoice.kind.replace('_', "-")
            ))],
        })
        .body(bytes))
}

/// An invoice or credit note with its items: JSON by default (also the export for
/// accounting software), or CSV with `Accept: text/csv` or `format=csv`: a header row
/// `reference,kind,status,date_on_invoice,period_start,period_end,commitment,contract,financial_year,value,vat,contribution,included,organisation`
/// and one row per item (removed ones with `included` = `no`); money is pounds with two
/// places.
#[utoipa::path(
    tag = "invoices",
    operation_id = "get_invoice",
    params(("invoice_id" = String, Path, description = "The invoice"), InvoiceQuery),
    responses(
        (status = 200, description = "The invoice, as JSON or as a CSV file (with a Content-Disposition file name)",
            content(
                (Invoice = "application/json"),
                (String = "text/csv", example = "reference,kind,status,date_on_invoice,period_start,period_end,commitment,contract,financial_year,value,vat,contribution,included,organisation\n123456,invoice,pending,2022-10-09,2022-03-28,2022-04-24,\"Angelo, Iris (A1) - 2021/2022\",Day Opportunities PP Home,2021/2022,857.84,171.57,0.00,yes,Day Opportunities PP Home\n")
            )),
        NotSignedIn,
        (status = 404, description = "No such invoice of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad format", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/invoices/{invoice_id}")]
pub async fn get_invoice(
    caller: Caller,
    store: web::Data<Store>,
    request: HttpRequest,
    path: web::Path<String>,
    query: web::Query<InvoiceQuery>,
) -> Result<HttpResponse, ApiError> {
    let csv = wants_csv(&request, query.format.as_deref())?;
    let invoice = invoice_in_scope(&store, &caller, &path).await?;
    let view = invoice_view(&invoice);
    if csv {
        return csv_file(&view);
    }
    Ok(HttpResponse::Ok()
        .insert_header(header::ETag(header::EntityTag::new_strong(
            invoice.version.to_string(),
        )))
        .json(view))
}

/// Changes an Unsubmitted or Returned invoice's reference, date and entered totals.
#[utoipa::path(
    tag = "invoices",
    operation_id = "update_invoice",
    params(("invoice_id" = String, Path, description = "The invoice")),
    request_body = UpdateInvoice,
    responses(
        (status = 200, description = "Saved", body = Invoice),
        NotSignedIn,
        (status = 403, description = "Council staff, or a role that may not claim payment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invoice of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted already (the reason says so), or a stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad fields, every one named (a reference already used by the organisation among them)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/invoices/{invoice_id}")]
pub async fn update_invoice(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<UpdateInvoice>,
) -> Result<HttpResponse, ApiError> {
    let invoice = providers_invoice(&store, &caller, &path).await?;
    let body = body.0;
    editable_at(&invoice, body.version)?;
    let mut errors = Vec::new();
    let reference = reference(&mut errors, &body.reference);
    let date_on_invoice = day(&mut errors, "date_on_invoice", &body.date_on_invoice);
    let entered_ex_vat = signed_amount(&mut errors, "entered_ex_vat", &body.entered_ex_vat);
    let entered_vat = signed_amount(&mut errors, "entered_vat", &body.entered_vat);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    store
        .update_invoice_header(
            &invoice,
            body.version,
            &InvoiceHeader {
                reference: &reference,
                date_on_invoice: date_on_invoice.expect("checked above"),
                entered_ex_vat_pence: entered_ex_vat,
                entered_vat_pence: entered_vat,
            },
            &caller.actor(),
        )
        .await?
        .ok_or_else(taken_reference)?;
    reread(&store, &caller, invoice.id).await
}

/// Removes or re-adds one item, and sets the client contribution collected for it.
#[utoipa::path(
    tag = "invoices",
    operation_id = "update_invoice_item",
    params(
        ("invoice_id" = String, Path, description = "The invoice"),
        ("item_id" = String, Path, description = "The item"),
    ),
    request_body = UpdateInvoiceItem,
    responses(
        (status = 200, description = "Saved", body = Invoice),
        NotSignedIn,
        (status = 403, description = "Council staff, or a role that may not claim payment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invoice or item of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted already, or a stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A bad contribution", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/invoices/{invoice_id}/items/{item_id}")]
pub async fn update_invoice_item(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<(String, String)>,
    body: ValidJson<UpdateInvoiceItem>,
) -> Result<HttpResponse, ApiError> {
    let (invoice_id, item_id) = path.into_inner();
    let invoice = providers_invoice(&store, &caller, &invoice_id).await?;
    let item_id = parse_id(&item_id, "invoice item")?;
    let item = invoice
        .items
        .iter()
        .find(|item| item.id == item_id)
        .cloned()
        .ok_or(ApiError::NotFound("invoice item"))?;
    let body = body.0;
    editable_at(&invoice, body.version)?;
    let contribution = match body.contribution.as_deref().map(str::trim) {
        None | Some("") => item.contribution_pence,
        Some(text) => Money::parse(text)
            .map_err(|error| ApiError::invalid("contribution", error.to_string()))?
            .hundredths(),
    };
    let contribution = if invoice.kind == InvoiceKind::CreditNote {
        -contribution.abs()
    } else {
        contribution
    };
    store
        .update_invoice_item(
            &invoice,
            body.version,
            &item,
            body.included,
            contribution,
            &caller.actor(),
        )
        .await?;
    reread(&store, &caller, invoice.id).await
}

/// "Suggest": reprices the invoice's commitments from the actuals as they are now,
/// bringing changed items' values up to date and adding commitments new since it was
/// created. Removed items stay removed.
#[utoipa::path(
    tag = "invoices",
    operation_id = "suggest_invoice_items",
    params(("invoice_id" = String, Path, description = "The invoice")),
    request_body = InvoiceVersion,
    responses(
        (status = 200, description = "The invoice with its items brought up to date", body = Invoice),
        NotSignedIn,
        (status = 403, description = "Council staff, or a role that may not claim payment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invoice of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted already, a stale version, or a credit note against an invoice", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invoices/{invoice_id}/suggest")]
pub async fn suggest_items(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<InvoiceVersion>,
) -> Result<HttpResponse, ApiError> {
    let invoice = providers_invoice(&store, &caller, &path).await?;
    editable_at(&invoice, body.0.version)?;
    if invoice.credit_of_invoice_id.is_some() {
        return Err(ApiError::Conflict(
            "A credit note against an invoice has that invoice's items: there is nothing to suggest."
                .into(),
        ));
    }
    let coverage = Coverage {
        scope: invoice.scope,
        contract_id: invoice.scope_contract_id,
        service_id: invoice.scope_service_id,
        client_id: invoice.scope_client_id,
    };
    let priced = price(
        &store,
        invoice.organisation_id,
        coverage,
        invoice.period_start,
        invoice.kind,
    )
    .await?;
    let changed: Vec<NewInvoiceItem> = priced
        .items
        .into_iter()
        .filter(|new| {
            !invoice.items.iter().any(|item| {
                item.service_id == new.service_id
                    && item.client_id == new.client_id
                    && item.financial_year == new.financial_year
                    && item.value_pence == new.value_pence
                    && item.vat_pence == new.vat_pence
            })
        })
        .collect();
    store
        .apply_invoice_suggestions(&invoice, body.0.version, &changed, &caller.actor())
        .await?;
    reread(&store, &caller, invoice.id).await
}

async fn provider_action(
    store: &Store,
    caller: &Caller,
    invoice_id: &str,
    version: i64,
    action: InvoiceAction,
) -> Result<HttpResponse, ApiError> {
    let invoice = providers_invoice(store, caller, invoice_id).await?;
    let next = invoice
        .status
        .after(action)
        .map_err(|refused| ApiError::Conflict(refused.to_string()))?;
    fresh(&invoice, version)?;
    if action == InvoiceAction::Submit && !invoice.items.iter().any(|item| item.is_included == 1) {
        return Err(ApiError::invalid(
            "items",
            "An invoice with no items cannot be submitted: suggest or re-add items, or create an Action asking for support",
        ));
    }
    store
        .change_invoice_status(&invoice, version, next, "", &caller.actor())
        .await?;
    reread(store, caller, invoice.id).await
}

/// Submits an Unsubmitted or Returned invoice to the council: it becomes Pending, and the
/// actuals its items are made of are locked. An invoice with no items is refused.
#[utoipa::path(
    tag = "invoices",
    operation_id = "submit_invoice",
    params(("invoice_id" = String, Path, description = "The invoice")),
    request_body = InvoiceVersion,
    responses(
        (status = 200, description = "Submitted: Pending", body = Invoice),
        NotSignedIn,
        (status = 403, description = "Council staff, or a role that may not claim payment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invoice of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not Unsubmitted or Returned, or a stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No items", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invoices/{invoice_id}/submit")]
pub async fn submit_invoice(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<InvoiceVersion>,
) -> Result<HttpResponse, ApiError> {
    provider_action(
        &store,
        &caller,
        &path,
        body.0.version,
        InvoiceAction::Submit,
    )
    .await
}

/// Deletes an Unsubmitted or Returned invoice. It is kept, with the status Deleted, and
/// its reference may be used again.
#[utoipa::path(
    tag = "invoices",
    operation_id = "delete_invoice",
    params(("invoice_id" = String, Path, description = "The invoice")),
    request_body = InvoiceVersion,
    responses(
        (status = 200, description = "Deleted", body = Invoice),
        NotSignedIn,
        (status = 403, description = "Council staff, or a role that may not claim payment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invoice of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not Unsubmitted or Returned, or a stale version", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invoices/{invoice_id}/delete")]
pub async fn delete_invoice(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<InvoiceVersion>,
) -> Result<HttpResponse, ApiError> {
    provider_action(
        &store,
        &caller,
        &path,
        body.0.version,
        InvoiceAction::Delete,
    )
    .await
}

// ---------------------------------------------------------------------------------------
// The council's decisions.

async fn council_action(
    store: &Store,
    caller: &Caller,
    invoice_id: &str,
    version: i64,
    action: InvoiceAction,
    reason: &str,
) -> Result<HttpResponse, ApiError> {
    caller.council_staff_of()?;
    let invoice = invoice_in_scope(store, caller, invoice_id).await?;
    let next = invoice
        .status
        .after(action)
        .map_err(|refused| ApiError::Conflict(refused.to_string()))?;
    fresh(&invoice, version)?;
    store
        .change_invoice_status(&invoice, version, next, reason, &caller.actor())
        .await?;
    reread(store, caller, invoice.id).await
}

fn decision_reason(reason: &str) -> Result<&str, ApiError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > 2000 {
        return Err(ApiError::invalid(
            "reason",
            "Say why, in up to 2,000 characters: the provider sees it",
        ));
    }
    Ok(reason)
}

/// Council staff authorise a Pending (or On Hold) invoice.
#[utoipa::path(
    tag = "invoices",
    operation_id = "authorise_invoice",
    params(("invoice_id" = String, Path, description = "The invoice")),
    request_body = InvoiceVersion,
    responses(
        (status = 200, description = "Authorised", body = Invoice),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such invoice of the council's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not Pending or On Hold, or a stale version", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invoices/{invoice_id}/authorise")]
pub async fn authorise_invoice(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<InvoiceVersion>,
) -> Result<HttpResponse, ApiError> {
    council_action(
        &store,
        &caller,
        &path,
        body.0.version,
        InvoiceAction::Authorise,
        "",
    )
    .await
}

/// Council staff finalise an Authorised invoice: passed to the payment system.
#[utoipa::path(
    tag = "invoices",
    operation_id = "finalise_invoice",
    params(("invoice_id" = String, Path, description = "The invoice")),
    request_body = InvoiceVersion,
    responses(
        (status = 200, description = "Finalised", body = Invoice),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such invoice of the council's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not Authorised, or a stale version", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invoices/{invoice_id}/finalise")]
pub async fn finalise_invoice(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<InvoiceVersion>,
) -> Result<HttpResponse, ApiError> {
    council_action(
        &store,
        &caller,
        &path,
        body.0.version,
        InvoiceAction::Finalise,
        "",
    )
    .await
}

/// Council staff put a Pending or Authorised invoice on hold, saying why.
#[utoipa::path(
    tag = "invoices",
    operation_id = "hold_invoice",
    params(("invoice_id" = String, Path, description = "The invoice")),
    request_body = InvoiceDecision,
    responses(
        (status = 200, description = "On Hold", body = Invoice),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such invoice of the council's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not Pending or Authorised, or a stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invoices/{invoice_id}/hold")]
pub async fn hold_invoice(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<InvoiceDecision>,
) -> Result<HttpResponse, ApiError> {
    caller.council_staff_of()?;
    let reason = decision_reason(&body.0.reason)?;
    council_action(
        &store,
        &caller,
        &path,
        body.0.version,
        InvoiceAction::Hold,
        reason,
    )
    .await
}

/// Council staff return a submitted invoice to the provider for correction, saying why:
/// it becomes editable again, and its actuals are no longer locked.
#[utoipa::path(
    tag = "invoices",
    operation_id = "return_invoice",
    params(("invoice_id" = String, Path, description = "The invoice")),
    request_body = InvoiceDecision,
    responses(
        (status = 200, description = "Returned", body = Invoice),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such invoice of the council's", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not Pending, Authorised or On Hold, or a stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No reason", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invoices/{invoice_id}/return")]
pub async fn return_invoice(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
    body: ValidJson<InvoiceDecision>,
) -> Result<HttpResponse, ApiError> {
    caller.council_staff_of()?;
    let reason = decision_reason(&body.0.reason)?;
    council_action(
        &store,
        &caller,
        &path,
        body.0.version,
        InvoiceAction::Return,
        reason,
    )
    .await
}

// ---------------------------------------------------------------------------------------
// The supporting VAT invoice.

#[derive(Debug, Deserialize, IntoParams)]
pub struct AttachQuery {
    /// The invoice's version, as read.
    version: Option<String>,
    /// The file's name, at most 200 characters.
    file_name: Option<String>,
}

/// Attaches the supporting VAT invoice (with the VAT registration number): a PDF, PNG or
/// JPEG of at most 5 MB, sent as the body with its `Content-Type`. Its first bytes must be
/// what that type says. A newer file replaces the older (which is kept).
#[utoipa::path(
    tag = "invoices",
    operation_id = "attach_invoice_file",
    params(("invoice_id" = String, Path, description = "The invoice"), AttachQuery),
    request_body(content = Vec<u8>, content_type = "application/pdf", description = "The file: application/pdf, image/png or image/jpeg"),
    responses(
        (status = 200, description = "Attached", body = Invoice),
        NotSignedIn,
        (status = 403, description = "Council staff, or a role that may not claim payment", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such invoice of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Submitted already, or a stale version", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a PDF or image, not what it claims to be, empty or too large; or a missing version or file name", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/invoices/{invoice_id}/attachment")]
pub async fn attach_file(
    caller: Caller,
    store: web::Data<Store>,
    request: HttpRequest,
    path: web::Path<String>,
    query: web::Query<AttachQuery>,
    body: Bytes,
) -> Result<HttpResponse, ApiError> {
    let invoice = providers_invoice(&store, &caller, &path).await?;
    let mut errors = Vec::new();
    let version = query
        .version
        .as_deref()
        .and_then(|text| text.trim().parse::<i64>().ok());
    if version.is_none() {
        errors.push(FieldError {
            field: "version".into(),
            message: "is required: the invoice's version".into(),
        });
    }
    let file = crate::attachments::check(
        query.file_name.as_deref().unwrap_or_default(),
        &crate::attachments::declared_type(&request),
        body.to_vec(),
        &PDF_AND_IMAGES,
        ATTACHMENT_MAX_BYTES,
        crate::attachments::RAW_UPLOAD,
    );
    let file = match file {
        Ok(file) => Some(file),
        Err(bad) => {
            errors.extend(bad);
            None
        }
    };
    let (Some(version), Some(file)) = (version, file) else {
        return Err(ApiError::Validation(errors));
    };
    editable_at(&invoice, version)?;
    store
        .attach_to_invoice(
            &invoice,
            version,
            &file.file_name,
            file.kind.content_type(),
            &file.bytes,
            &caller.actor(),
        )
        .await?;
    reread(&store, &caller, invoice.id).await
}

/// Downloads the supporting VAT invoice, for those who may see the invoice.
#[utoipa::path(
    tag = "invoices",
    operation_id = "download_invoice_file",
    params(("invoice_id" = String, Path, description = "The invoice")),
    responses(
        (status = 200, description = "The file, with its type and name",
            content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/png"), (Vec<u8> = "image/jpeg"))),
        NotSignedIn,
        (status = 404, description = "No such invoice of yours, or it has no file", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/invoices/{invoice_id}/attachment")]
pub async fn download_attachment(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let invoice = invoice_in_scope(&store, &caller, &path).await?;
    let (file_name, content_type, content) = store
        .invoice_attachment(invoice.id)
        .await?
        .ok_or(ApiError::NotFound("attachment"))?;
    Ok(HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file_name)],
        })
        .body(content))
}
