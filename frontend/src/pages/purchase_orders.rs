//! Purchase orders (DOMAIN 7; the guides' "POs" screen): the list by financial year, and
//! one PO with its payment information, items and versions, printable and as a PDF.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use portal_domain::FinancialYear;
use portal_dto::{PurchaseOrder, PurchaseOrderSummary};

use crate::api;
use crate::components::page_title::set_page_title;
use crate::components::problem::{signed_out, ProblemText};
use crate::format::{date_text, money_text, today};
use crate::session::use_session;

/// How many years the year filter offers, the current one first.
const YEARS_OFFERED: i32 = 10;

/// The year filter's choices: (path form, label), the current financial year first.
fn year_options(current: FinancialYear) -> Vec<(String, String)> {
    let first = current.first_day().year();
    (0..YEARS_OFFERED)
        .map(|back| FinancialYear::starting_in(first - back))
        .map(|year| (year.path_segment(), year.label()))
        .collect()
}

fn count_text(count: usize, year: &str) -> String {
    match count {
        0 => format!("No purchase orders for {year}."),
        1 => format!("1 purchase order for {year}"),
        count => format!("{count} purchase orders for {year}"),
    }
}

#[component]
pub fn PurchaseOrdersPage() -> impl IntoView {
    set_page_title("Purchase Orders");
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let current = FinancialYear::containing(today());
    let year = Memo::new(move |_| {
        query
            .with(|query| query.get("financial_year"))
            .and_then(|text| FinancialYear::parse(&text).ok())
            .unwrap_or(current)
    });
    let listed = LocalResource::new(move || {
        let token = session.access_token();
        let year = year.get().path_segment();
        async move {
            match token {
                Some(token) => api::purchase_orders(&token, &year).await,
                None => Err(signed_out()),
            }
        }
    });
    Effect::new(move |_| {
        if listed
            .get()
            .and_then(Result::err)
            .is_some_and(|problem| problem.status == 401)
        {
            session.sign_out();
        }
    });
    // A contact acting for several organisations sees the one chosen in the header.
    let rows = Memo::new(move |_| {
        listed.get().and_then(Result::ok).map(|page| {
            page.items
                .into_iter()
                .filter(|po| session.shows_organisation(&po.organisation_id))
                .collect::<Vec<_>>()
        })
    });
    let problem = Memo::new(move |_| listed.get().and_then(Result::err));
    let chosen = RwSignal::new(year.get_untracked().path_segment());
    Effect::new(move |_| chosen.set(year.get().path_segment()));
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        navigate(
            &format!(
                "/purchase-orders{}",
                api::query_string(&[("financial_year", &chosen.get_untracked())])
            ),
            NavigateOptions::default(),
        );
    };
    let status = move || match rows.get() {
        Some(rows) => count_text(rows.len(), &year.get().label()),
        None if problem.with(Option::is_some) => String::new(),
        None => "Loading purchase orders…".to_owned(),
    };

    view! {
        <h1 class="govuk-heading-l">"Purchase Orders"</h1>
        <p class="govuk-body">
            "A purchase order is what a client's care at one service is planned to cost in a "
            "financial year. Choose a financial year and select View."
        </p>
        <form class="app-no-print" novalidate on:submit=on_submit>
            <div class="govuk-form-group">
                <label class="govuk-label" for="financial-year">"Financial year"</label>
                <select
                    class="govuk-select"
                    id="financial-year"
                    name="financial_year"
                    on:change=move |event| chosen.set(event_target_value(&event))
                    prop:value=move || chosen.get()
                >
                    {year_options(current)
                        .into_iter()
                        .map(|(value, label)| {
                            let selected = value == chosen.get_untracked();
                            view! { <option value=value selected=selected>{label}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="govuk-button" data-module="govuk-button">"View"</button>
        </form>
        {move || problem.get().map(|problem| view! { <ProblemText problem /> })}
        <p class="govuk-body govuk-!-font-weight-bold" role="status">{status}</p>
        <Show when=move || rows.with(|rows| rows.as_ref().is_some_and(|rows| !rows.is_empty()))>
            <PurchaseOrderTable rows=Signal::derive(move || rows.get().unwrap_or_default()) />
        </Show>
    }
}

#[component]
fn PurchaseOrderTable(rows: Signal<Vec<PurchaseOrderSummary>>) -> impl IntoView {
    view! {
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-visually-hidden">"Purchase orders"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Purchase Order"</th>
                    <th scope="col" class="govuk-table__header">"Number"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Value"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Spend To Date"</th>
                    <th scope="col" class="govuk-table__header">"Financial Year"</th>
                    <th scope="col" class="govuk-table__header">"Issued"</th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">
                <For each=move || rows.get() key=|po| po.id.clone() let:po>
                    <tr class="govuk-table__row">
                        <td class="govuk-table__cell">
                            <a class="govuk-link" href=format!("/purchase-orders/{}", po.id)>
                                {po.label.clone()}
                            </a>
                        </td>
                        <td class="govuk-table__cell">{po.number.clone()}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{money_text(&po.value)}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">
                            {money_text(&po.spend_to_date)}
                        </td>
                        <td class="govuk-table__cell">{po.financial_year_label.clone()}</td>
                        <td class="govuk-table__cell">
                            {po.issued_on.as_deref().map(date_text).unwrap_or_default()}
                        </td>
                    </tr>
                </For>
            </tbody>
        </table>
    }
}

/// The summary list's rows: (key, value).
fn summary_rows(po: &PurchaseOrder) -> Vec<(&'static str, String)> {
    let summary = &po.summary;
    let provider = &po.provider;
    let address = [
        provider.organisation_name.as_str(),
        &provider.address_line1,
        &provider.town,
        &provider.postcode,
    ]
    .into_iter()
    .filter(|part| !part.is_empty())
    .collect::<Vec<_>>()
    .join(", ");
    vec![
        ("Purchase order", summary.number.clone()),
        (
            "Client",
            format!("{} ({})", summary.client_name, summary.ssref),
        ),
        ("Service", summary.service_name.clone()),
        ("Provider", address),
        (
            "Financial year",
            format!(
                "{} - {}",
                date_text(&po.payment.from),
                date_text(&po.payment.to)
            ),
        ),
        (
            "Issued",
            summary
                .issued_on
                .as_deref()
                .map(date_text)
                .unwrap_or_else(|| "Not known".to_owned()),
        ),
        ("Value", money_text(&summary.value)),
        ("Spend to date", money_text(&summary.spend_to_date)),
    ]
}

/// The payment information rows: (key, value).
fn payment_rows(po: &PurchaseOrder) -> Vec<(&'static str, String)> {
    let payment = &po.payment;
    vec![
        (
            "Date",
            format!("{} - {}", date_text(&payment.from), date_text(&payment.to)),
        ),
        ("Contract", payment.contract_name.clone()),
        ("Model", payment.model_label.clone()),
        ("Period", payment.period_label.clone()),
        (
            "Slack",
            payment
                .slack_days
                .map(|days| format!("{days} days"))
                .unwrap_or_else(|| "None".to_owned()),
        ),
        (
            "Direct payment",
            if payment.direct_payment { "Yes" } else { "No" }.to_owned(),
        ),
    ]
}

fn summary_list(rows: Vec<(&'static str, String)>) -> impl IntoView {
    view! {
        <dl class="govuk-summary-list">
            {rows
                .into_iter()
                .map(|(key, value)| {
                    view! {
                        <div class="govuk-summary-list__row">
                            <dt class="govuk-summary-list__key">{key}</dt>
                            <dd class="govuk-summary-list__value">{value}</dd>
                        </div>
                    }
                })
                .collect_view()}
        </dl>
    }
}

#[component]
pub fn PurchaseOrderPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    set_page_title("Purchase Order");
    let order = LocalResource::new(move || {
        let token = session.access_token();
        let id = id.get();
        async move {
            match token {
                Some(token) => api::purchase_order(&token, &id).await,
                None => Err(signed_out()),
            }
        }
    });
    Effect::new(move |_| match order.get() {
        Some(Ok(po)) => set_page_title(&format!("Purchase Order {}", po.summary.number)),
        Some(Err(problem)) if problem.status == 401 => session.sign_out(),
        _ => {}
    });
    let download_error = RwSignal::new(None::<String>);
    let download = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        let token = session.access_token();
        let id = id.get_untracked();
        download_error.set(None);
        spawn_local(async move {
            let result = match token {
                Some(token) => api::purchase_order_pdf(&token, &id).await,
                None => Err(signed_out()),
            };
            let saved = match result {
                Ok(bytes) => crate::download::save_bytes(
                    &format!("purchase-order-{id}.pdf"),
                    "application/pdf",
                    &bytes,
                ),
                Err(problem) => Err(problem.detail),
            };
            download_error.try_set(saved.err());
        });
    };
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };

    let content = move || match order.get() {
        None => view! { <p class="govuk-body" role="status">"Loading the purchase order…"</p> }
            .into_any(),
        Some(Err(problem)) if problem.status == 404 => view! {
            <h1 class="govuk-heading-l">"Purchase order not found"</h1>
            <p class="govuk-body">"We could not find that purchase order among yours."</p>
            <p class="govuk-body">
                <a class="govuk-link" href="/purchase-orders">"Back to purchase orders"</a>
            </p>
        }
        .into_any(),
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(po)) => {
            let heading = format!("Purchase Order {}", po.summary.number);
            let label = format!("{}, {}", po.summary.label, po.summary.service_name);
            let summary = summary_rows(&po);
            let payment = payment_rows(&po);
            let total = money_text(&po.total_ex_vat);
            let pdf_href = api::purchase_order_pdf_path(&po.summary.id);
            let items = po.items.clone();
            let versions = po.versions.clone();
            view! {
                <span class="govuk-caption-l">{po.summary.label.clone()}</span>
                <h1 class="govuk-heading-l">{heading}</h1>
                <div class="app-no-print govuk-button-group">
                    <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button" on:click=print>
                        "Print"
                    </button>
                    <a class="govuk-link" href=pdf_href download on:click=download>"Download PDF"</a>
                    <a class="govuk-link" href="/purchase-orders">"Close and return to list"</a>
                </div>
                {move || download_error.get().map(|message| view! {
                    <p class="govuk-error-message" role="alert">{message}</p>
                })}
                {summary_list(summary)}
                <h2 class="govuk-heading-m">"Payment information"</h2>
                {summary_list(payment)}
                <table class="govuk-table app-po-items">
                    <caption class="govuk-table__caption govuk-table__caption--m">"Items: "{label}</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Details"</th>
                            <th scope="col" class="govuk-table__header">"Date"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric app-nowrap">"Disc (%)"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Amount"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">
                        {items
                            .into_iter()
                            .map(|item| view! {
                                <tr class="govuk-table__row">
                                    <td class="govuk-table__cell">{item.details}</td>
                                    <td class="govuk-table__cell app-nowrap">
                                        {format!("{} - {}", date_text(&item.from), date_text(&item.to))}
                                    </td>
                                    <td class="govuk-table__cell govuk-table__cell--numeric">
                                        {item.discount_percent.unwrap_or_default()}
                                    </td>
                                    <td class="govuk-table__cell govuk-table__cell--numeric">{money_text(&item.amount)}</td>
                                </tr>
                            })
                            .collect_view()}
                        <tr class="govuk-table__row">
                            <th scope="row" colspan="3" class="govuk-table__header">"Total (ex VAT)"</th>
                            <td class="govuk-table__cell govuk-table__cell--numeric govuk-!-font-weight-bold">{total}</td>
                        </tr>
                    </tbody>
                </table>
                <table class="govuk-table">
                    <caption class="govuk-table__caption govuk-table__caption--m">"Versions"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Purchase order"</th>
                            <th scope="col" class="govuk-table__header">"Issued"</th>
                            <th scope="col" class="govuk-table__header">"Change"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Value"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">
                        {versions
                            .into_iter()
                            .rev()
                            .map(|version| view! {
                                <tr class="govuk-table__row">
                                    <td class="govuk-table__cell">{version.number}</td>
                                    <td class="govuk-table__cell">
                                        {version.issued_on.as_deref().map(date_text).unwrap_or_default()}
                                    </td>
                                    <td class="govuk-table__cell">{version.change}</td>
                                    <td class="govuk-table__cell govuk-table__cell--numeric">{money_text(&version.value)}</td>
                                </tr>
                            })
                            .collect_view()}
                    </tbody>
                </table>
            }
            .into_any()
        }
    };
    view! { <div class="app-purchase-order">{content}</div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_year_filter_offers_the_current_year_first() {
        let options = year_options(FinancialYear::starting_in(2022));
        assert_eq!(options[0], ("2022-2023".to_owned(), "2022/2023".to_owned()));
        assert_eq!(options.len(), 10);
        assert!(options.contains(&("2019-2020".to_owned(), "2019/2020".to_owned())));
    }

    #[test]
    fn the_count_names_the_year() {
        assert_eq!(
            count_text(3, "2019/2020"),
            "3 purchase orders for 2019/2020"
        );
        assert_eq!(
            count_text(0, "2019/2020"),
            "No purchase orders for 2019/2020."
        );
    }
}
