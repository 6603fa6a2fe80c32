//! Purchase orders (DOMAIN 7): the POs list, one PO with its items and versions, and one PO
//! as a PDF. Providers see their organisations' POs, council staff their council's; any
//! other PO is 404.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, web, HttpResponse};
use portal_domain::calendar::{iso_date, FinancialYear};
use portal_domain::format::{format_date, format_money, format_number};
use portal_domain::purchase_order::{self as po, PoLine};
use portal_dto::{
    Page, Problem, PurchaseOrder, PurchaseOrderItem, PurchaseOrderPayment, PurchaseOrderProvider,
    PurchaseOrderSummary, PurchaseOrderVersion,
};
use portal_store::purchase_orders::{PurchaseOrderFilter, PurchaseOrderRecord};
use portal_store::Store;
use rust_decimal::Decimal;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::clock::Clock;
use crate::error::ApiError;
use crate::routes::optional_id;
use crate::routes::problems::NotSignedIn;

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_purchase_orders)
        .service(get_purchase_order)
        .service(purchase_order_pdf);
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct PurchaseOrderQuery {
    /// Only POs of this financial year: `2022-2023` (or the year it starts in, `2022`).
    /// Without it, every year up to the current one.
    financial_year: Option<String>,
    /// Only POs at this service.
    service: Option<String>,
    /// Only this client's POs.
    client: Option<String>,
}

fn parse_year(text: &str) -> Option<FinancialYear> {
    let text = text.trim();
    match text.parse::<i32>() {
        Ok(year) if (1900..=9998).contains(&year) => Some(FinancialYear::starting_in(year)),
        Ok(_) => None,
        Err(_) => FinancialYear::parse(text).ok(),
    }
}

/// Lists the purchase orders the caller can see, one per client, service and financial
/// year, as the POs screen shows them.
#[utoipa::path(
    tag = "purchase-orders",
    operation_id = "list_purchase_orders",
    params(PurchaseOrderQuery),
    responses(
        (status = 200, description = "POs by year and client's name", body = Page<PurchaseOrderSummary>),
        NotSignedIn,
        (status = 422, description = "A bad filter, named", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/purchase-orders")]
#[tracing::instrument(skip(caller, store, clock))]
pub async fn list_purchase_orders(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    query: web::Query<PurchaseOrderQuery>,
) -> Result<web::Json<Page<PurchaseOrderSummary>>, ApiError> {
    let mut errors = Vec::new();
    let year = match query.financial_year.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(text) => match parse_year(text) {
            Some(year) => Some(year),
            None => {
                errors.push(portal_dto::FieldError {
                    field: "financial_year".into(),
                    message: "must be a financial year in the form 2022-2023".into(),
                });
                None
            }
        },
    };
    let service_id = optional_id(&mut errors, "service", query.service.as_deref());
    let client_id = optional_id(&mut errors, "client", query.client.as_deref());
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let filter = PurchaseOrderFilter {
        year,
        service_id,
        client_id,
        current_year: FinancialYear::containing(clock.now().date()),
    };
    let records = store.purchase_orders(caller.scope(), &filter).await?;
    Ok(web::Json(Page {
        items: records.iter().map(|record| view(record).summary).collect(),
        next_cursor: None,
    }))
}

/// One purchase order: its payment information, item lines, total and every version.
#[utoipa::path(
    tag = "purchase-orders",
    operation_id = "get_purchase_order",
    params(("po_id" = String, Path, description = "The PO's id, the N of its number")),
    responses(
        (status = 200, description = "The PO as it stands, with its versions", body = PurchaseOrder),
        NotSignedIn,
        (status = 404, description = "No such PO of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/purchase-orders/{po_id}")]
#[tracing::instrument(skip(caller, store))]
pub async fn get_purchase_order(
    caller: Caller,
    store: web::Data<Store>,
    path: web::Path<String>,
) -> Result<web::Json<PurchaseOrder>, ApiError> {
    let record = find(&caller, &store, &path).await?;
    Ok(web::Json(view(&record)))
}

/// One purchase order as a printable PDF (A4).
#[utoipa::path(
    tag = "purchase-orders",
    operation_id = "get_purchase_order_pdf",
    params(("po_id" = String, Path, description = "The PO's id, the N of its number")),
    responses(
        (status = 200, description = "The PO as a PDF file", body = String, content_type = "application/pdf"),
        NotSignedIn,
        (status = 404, description = "No such PO of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/purchase-orders/{po_id}/pdf")]
#[tracing::instrument(skip(caller, store, clock))]
pub async fn purchase_order_pdf(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let record = find(&caller, &store, &path).await?;
    let order = view(&record);
    let bytes = pdf::render(&order, clock.now().date());
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(format!(
                "purchase-order-{}-{}.pdf",
                record.id, order.summary.version
            ))],
        })
        .body(bytes))
}

async fn find(caller: &Caller, store: &Store, id: &str) -> Result<PurchaseOrderRecord, ApiError> {
    let id = crate::routes::parse_id(id, "purchase order")?;
    store
        .purchase_order(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("purchase order"))
}

fn money(value: Decimal) -> String {
    let mut value = value;
    value.rescale(2);
    value.to_string()
}

/// A PO record as the API shows it, valued by the domain.
fn view(record: &PurchaseOrderRecord) -> PurchaseOrder {
    let year = record.year;
    let lines: Vec<PoLine> = record
        .lines
        .iter()
        .map(|line| PoLine {
            lineage: line.listing.record.lineage_id,
            version_number: line.listing.record.version_number,
            cpli: line.listing.record.cpli.clone(),
            rate: line.listing.record.rate,
            made_on: line.made_on,
        })
        .collect();
    let revisions = po::revisions(&lines, year);
    let current = revisions.last();
    let version = current.map_or(1, |revision| revision.version);
    let value = po::value(&lines, year);
    let client = &record
        .lines
        .first()
        .map_or(&record.client, |line| &line.listing.record.client);
    let summary = PurchaseOrderSummary {
        id: record.id.to_string(),
        number: po::po_number(record.id, version),
        version,
        label: format!(
            "{} ({}) - {}",
            client.sort_name(),
            client.ssref,
            year.label()
        ),
        client_id: client.id.to_string(),
        client_name: client.sort_name(),
        ssref: client.ssref.clone(),
        service_id: record.party.service_id.to_string(),
        service_name: record.party.service_name.clone(),
        organisation_id: record.party.organisation_id.to_string(),
        organisation_name: record.party.organisation_name.clone(),
        financial_year: year.path_segment(),
        financial_year_label: year.label(),
        value: money(value),
        spend_to_date: money(Decimal::new(record.spend_pence, 2)),
        issued_on: current
            .and_then(|revision| revision.issued_on)
            .map(iso_date),
    };
    let mut items: Vec<(time::Date, i64, i64, PurchaseOrderItem)> = record
        .lines
        .iter()
        .filter_map(|line| {
            let cpli = &line.listing.record;
            let (from, to) = po::span_within(&cpli.cpli, year.first_day(), year.last_day())?;
            let item = PurchaseOrderItem {
                cpli_id: cpli.lineage_id.to_string(),
                version_number: cpli.version_number,
                details: po::item_details(
                    &line.listing.service_name,
                    &cpli.service_level.name,
                    cpli.service_level.unit,
                    &cpli.cpli,
                    cpli.rate,
                ),
                from: iso_date(from),
                to: iso_date(to),
                units: format_number(po::units_in_year(&cpli.cpli, year).round_dp(2)),
                rate: cpli.rate.to_string(),
                discount_percent: None,
                amount: money(po::line_value(&cpli.cpli, cpli.rate, year)),
            };
            Some((from, cpli.lineage_id, cpli.version_number, item))
        })
        .collect();
    items.sort_by_key(|(from, lineage, version, _)| (*from, *lineage, *version));
    let versions = revisions
        .iter()
        .map(|revision| PurchaseOrderVersion {
            version: revision.version,
            number: po::po_number(record.id, revision.version),
            issued_on: revision.issued_on.map(iso_date),
            value: money(revision.value),
            change: match revision.variation {
                None => "First issued".to_owned(),
                Some(index) => {
                    let line = &lines[index];
                    format!(
                        "CPLI {} version {} from {}",
                        line.lineage,
                        line.version_number,
                        format_date(line.cpli.start)
                    )
                }
            },
        })
        .collect();
    let party = &record.party;
    PurchaseOrder {
        summary,
        provider: PurchaseOrderProvider {
            organisation_name: party.organisation_name.clone(),
            address_line1: party.address_line1.clone(),
            town: party.town.clone(),
            postcode: party.postcode.clone(),
        },
        payment: PurchaseOrderPayment {
            from: iso_date(year.first_day()),
            to: iso_date(year.last_day()),
            contract_name: party.contract_name.clone(),
            model: party.payment_model.clone(),
            model_label: match party.payment_model.as_str() {
                "invoiced" => "Invoiced, pay on actuals",
                _ => "Scheduled, pay on actuals",
            }
            .to_owned(),
            period_weeks: party.period_weeks,
            period_label: match party.period_weeks {
                1 => "Weekly",
                2 => "Fortnightly",
                _ => "Four-weekly",
            }
            .to_owned(),
            period_anchor: party.period_anchor.clone(),
            slack_days: None,
            direct_payment: false,
        },
        items: items.into_iter().map(|(_, _, _, item)| item).collect(),
        total_ex_vat: money(value),
        versions,
    }
}

/// Dates and money in the PDF as people read them.
fn british_date(iso: &str) -> String {
    portal_domain::calendar::parse_iso_date(iso).map_or_else(|_| iso.to_owned(), format_date)
}

fn pounds(text: &str) -> String {
    text.parse::<Decimal>()
        .map_or_else(|_| text.to_owned(), format_money)
}

/// The PO as an A4 PDF, laid out as the guides' "Purchase Order View", with the shared
/// document writer (`crate::pdf`).
mod pdf {
    use portal_dto::PurchaseOrder;
    use time::Date;

    use super::{british_date, pounds};
    use crate::pdf::{Align, Column, Document};

    const fn column(heading: &str, x: f32, width_chars: usize, align: Align) -> Column<'_> {
        Column {
            heading,
            x,
            width_chars,
            align,
        }
    }

    const PAYMENT: [Column<'static>; 5] = [
        column("Date", 48.0, 26, Align::Left),
        column("Model", 180.0, 30, Align::Left),
        column("Period", 340.0, 14, Align::Left),
        column("Slack", 420.0, 8, Align::Left),
        column("Direct Payment", 465.0, 16, Align::Left),
    ];

    const ITEMS: [Column<'static>; 4] = [
        column("Details", 48.0, 52, Align::Left),
        column("Date", 330.0, 24, Align::Left),
        column("Disc (%)", 420.0, 8, Align::Right),
        column("Amount", 487.0, 12, Align::Right),
    ];

    pub fn render(order: &PurchaseOrder, printed_on: Date) -> Vec<u8> {
        let summary = &order.summary;
        let payment = &order.payment;
        let provider = &order.provider;
        let mut document = Document::new();
        document.heading(16.0, "Purchase Order");
        document.heading(11.0, &summary.label);
        document.gap(4.0);
        document.heading(10.0, "Provider Address:");
        for part in [
            &provider.organisation_name,
            &provider.address_line1,
            &provider.town,
            &provider.postcode,
        ] {
            if !part.is_empty() {
                document.paragraph(part);
            }
        }
        document.gap(6.0);
        document.heading(10.0, "Information:");
        document.paragraph(&format!("Purchase Order: {}", summary.number));
        document.paragraph(&format!(
            "Financial Year: {} - {}",
            british_date(&payment.from),
            british_date(&payment.to)
        ));
        if let Some(issued) = &summary.issued_on {
            document.paragraph(&format!("Issued: {}", british_date(issued)));
        }
        document.paragraph(&format!(
            "Date Printed: {}",
            portal_domain::format::format_date(printed_on)
        ));
        document.gap(6.0);
        document.heading(10.0, "Payment Information:");
        document.table(
            &PAYMENT,
            &[vec![
                format!(
                    "{} - {}",
                    british_date(&payment.from),
                    british_date(&payment.to)
                ),
                payment.model_label.clone(),
                payment.period_label.clone(),
                payment
                    .slack_days
                    .map_or_else(|| "none".to_owned(), |days| days.to_string()),
                if payment.direct_payment { "Yes" } else { "No" }.to_owned(),
            ]],
        );
        document.gap(6.0);
        document.heading(10.0, "Items:");
        document.paragraph(&format!("{}, {}", summary.label, summary.service_name));
        document.gap(4.0);
        let mut rows: Vec<Vec<String>> = order
            .items
            .iter()
            .map(|item| {
                vec![
                    item.details.clone(),
                    format!("{} - {}", british_date(&item.from), british_date(&item.to)),
                    item.discount_percent.clone().unwrap_or_default(),
                    pounds(&item.amount),
                ]
            })
            .collect();
        rows.push(vec![
            String::new(),
            "Total (ex VAT):".to_owned(),
            String::new(),
            pounds(&order.total_ex_vat),
        ]);
        document.table(&ITEMS, &rows);
        document.gap(6.0);
        document.paragraph(&format!(
            "Spend to date: {}",
            pounds(&summary.spend_to_date)
        ));
        document.finish()
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn pounds_are_one_win_ansi_byte() {
            assert_eq!(crate::pdf::win_ansi("£9,114.24"), b"\xA39,114.24".to_vec());
        }

        fn order(items: usize) -> PurchaseOrder {
            let text = |value: &str| value.to_owned();
            PurchaseOrder {
                summary: portal_dto::PurchaseOrderSummary {
                    id: text("2"),
                    number: text("2 - 1"),
                    version: 1,
                    label: text("Angelo, Iris (A1) - 2022/2023"),
                    client_id: text("1"),
                    client_name: text("Angelo, Iris"),
                    ssref: text("A1"),
                    service_id: text("1"),
                    service_name: text("Day Opportunities PP Home"),
                    organisation_id: text("1"),
                    organisation_name: text("Day Opportunities PP Home"),
                    financial_year: text("2022-2023"),
                    financial_year_label: text("2022/2023"),
                    value: text("55974.06"),
                    spend_to_date: text("0.00"),
                    issued_on: Some(text("2022-10-06")),
                },
                provider: portal_dto::PurchaseOrderProvider {
                    organisation_name: text("Day Opportunities PP Home"),
                    address_line1: text("1 Skylander Road"),
                    town: text("Bedford"),
                    postcode: String::new(),
                },
                payment: portal_dto::PurchaseOrderPayment {
                    from: text("2022-04-01"),
                    to: text("2023-03-31"),
                    contract_name: text("Day Opportunities PP Home"),
                    model: text("invoiced"),
                    model_label: text("Invoiced, pay on actuals"),
                    period_weeks: 4,
                    period_label: text("Four-weekly"),
                    period_anchor: text("2022-03-28"),
                    slack_days: None,
                    direct_payment: false,
                },
                items: (0..items)
                    .map(|index| portal_dto::PurchaseOrderItem {
                        cpli_id: index.to_string(),
                        version_number: 1,
                        details: text("Service 'Day Opportunities PP Home', Level 'Day Opportunities - Scheduled (Session)', 5 Sessions every week. Weekly cost £1,072.30"),
                        from: text("2022-04-01"),
                        to: text("2023-03-31"),
                        units: text("261"),
                        rate: text("214.46"),
                        discount_percent: None,
                        amount: text("55974.06"),
                    })
                    .collect(),
                total_ex_vat: text("55974.06"),
                versions: Vec::new(),
            }
        }

        #[test]
        fn many_items_run_onto_more_pages() {
            let printed = time::macros::date!(2022 - 10 - 09);
            let one = String::from_utf8_lossy(&render(&order(1), printed)).into_owned();
            assert!(one.contains("/Count 1"), "{one}");
            let many = String::from_utf8_lossy(&render(&order(60), printed)).into_owned();
            assert!(!many.contains("/Count 1"), "60 items of three lines each");
            assert!(
                many.matches("(Disc (%))").count() > 1,
                "the items' header is repeated"
            );
        }
    }
}
