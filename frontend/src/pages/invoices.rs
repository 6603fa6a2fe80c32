//! Invoices/Credit Notes (DOMAIN 6; seed 002 "Invoice/Credit Notes", seed 004 "Create An
//! Invoice"): the list with a status filter, and New invoice: what it covers (the whole
//! organisation, a contract, a service or a client), the payment period, the provider's
//! reference, the date on the invoice and the entered totals. Each invoice opens its own
//! page (`pages::invoice`).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use portal_dto::{CreateInvoice, InvoiceOptions, InvoiceSummary};

use crate::api::{self, with_token};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{
    refusals, ungrouped, DateInput, DateParts, Field, Options, Radios, SelectInput, TextInput,
};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::{set_page_title, title_with_errors};
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::format::{date_text, money_text};
use crate::session::use_session;

/// The statuses the list filters by: (value for the URL, label).
pub const STATUSES: [(&str, &str); 7] = [
    ("unsubmitted", "Unsubmitted"),
    ("pending", "Pending"),
    ("authorised", "Authorised"),
    ("finalised", "Finalised"),
    ("on_hold", "On Hold"),
    ("returned", "Returned"),
    ("deleted", "Deleted"),
];

/// "£1,072.30", and "-£857.84" for a credit note's negative amounts.
pub fn pounds(value: &str) -> String {
    match value.trim().strip_prefix('-') {
        Some(rest) if rest.chars().any(|c| c != '0' && c != '.') => {
            format!("-{}", money_text(rest))
        }
        Some(rest) => money_text(rest),
        None => money_text(value),
    }
}

/// The GOV.UK tag colour of an invoice's status.
pub fn invoice_tag_class(status: &str) -> &'static str {
    match status {
        "pending" => "govuk-tag govuk-tag--blue",
        "authorised" => "govuk-tag govuk-tag--yellow",
        "finalised" => "govuk-tag govuk-tag--green",
        "on_hold" => "govuk-tag govuk-tag--orange",
        "returned" | "deleted" => "govuk-tag govuk-tag--red",
        _ => "govuk-tag govuk-tag--grey",
    }
}

#[component]
pub fn InvoicesPage() -> impl IntoView {
    set_page_title("Invoices/Credit Notes");
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let flash = use_flash();
    let banner = RwSignal::new(flash.take());
    let status = Memo::new(move |_| query.with(|query| query.get("status").unwrap_or_default()));
    let chosen = RwSignal::new(String::new());
    Effect::new(move |_| chosen.set(status.get()));

    let invoices = LocalResource::new(move || {
        let token = session.access_token();
        let status = status.get();
        let organisation = session
            .acting_for()
            .map(|organisation| organisation.id)
            .unwrap_or_default();
        with_token(token, |token| async move {
            api::invoices(&token, &status, &organisation).await
        })
    });
    sign_out_when_refused(session, invoices);

    let view_status = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        navigate(
            &format!(
                "/invoices{}",
                api::query_string(&[("status", &chosen.get_untracked())])
            ),
            NavigateOptions::default(),
        );
    };
    let status_options = std::iter::once(("", "All but deleted"))
        .chain(STATUSES)
        .map(|(value, label)| {
            view! {
                <option value=value prop:selected=move || chosen.with(|chosen| chosen == value)>
                    {label}
                </option>
            }
        })
        .collect_view();
    let council = move || session.is_council();
    let listing = move || {
        invoices.get().map(|result| match result {
            Err(problem) => view! { <ProblemText problem /> }.into_any(),
            Ok(page) => view! { <InvoiceList items=page.items council=council() /> }.into_any(),
        })
    };

    view! {
        <SuccessBanner message=banner />
        <h1 class="govuk-heading-l">"Invoices/Credit Notes"</h1>
        <p class="govuk-body">
            {move || if council() {
                "Invoices and credit notes providers have raised. Open one to authorise, hold, return or finalise it."
            } else {
                "Create an invoice at the end of each payment period: its items and totals are worked out from the actuals you entered. Check it, then submit it to the council."
            }}
        </p>
        <Show when=move || !council()>
            <a href="/invoices/new" role="button" draggable="false" class="govuk-button" data-module="govuk-button">
                "New invoice"
            </a>
        </Show>
        <form novalidate class="app-filters" aria-labelledby="invoice-filters-heading" on:submit=view_status>
            <h2 class="govuk-heading-s" id="invoice-filters-heading">"Filter invoices"</h2>
            <div class="govuk-form-group">
                <label class="govuk-label" for="invoice-status">"Status"</label>
                <select
                    class="govuk-select"
                    id="invoice-status"
                    name="status"
                    on:change=move |event| chosen.set(event_target_value(&event))
                >
                    {status_options}
                </select>
            </div>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
                "View"
            </button>
        </form>
        <Suspense fallback=|| view! { <p class="govuk-body" role="status">"Loading invoices…"</p> }>
            {listing}
        </Suspense>
    }
}

#[component]
fn InvoiceList(items: Vec<InvoiceSummary>, council: bool) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="govuk-body" role="status">"There are no invoices or credit notes to show."</p> }
            .into_any();
    }
    let count = match items.len() {
        1 => "1 invoice or credit note".to_owned(),
        count => format!("{count} invoices and credit notes"),
    };
    let rows = items
        .into_iter()
        .map(|invoice| {
            let href = format!("/invoices/{}", invoice.id);
            let kind = if invoice.kind == "credit_note" {
                "Credit note"
            } else {
                "Invoice"
            };
            view! {
                <tr class="govuk-table__row">
                    <td class="govuk-table__cell">
                        <a class="govuk-link" href=href>{invoice.reference.clone()}</a>
                    </td>
                    <td class="govuk-table__cell">{kind}</td>
                    {council.then(|| view! { <td class="govuk-table__cell">{invoice.organisation_name.clone()}</td> })}
                    <td class="govuk-table__cell">{invoice.period_label.clone()}</td>
                    <td class="govuk-table__cell">{date_text(&invoice.date_on_invoice)}</td>
                    <td class="govuk-table__cell">
                        <strong class=invoice_tag_class(&invoice.status)>{invoice.status_label.clone()}</strong>
                    </td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{pounds(&invoice.items_ex_vat)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{pounds(&invoice.items_vat)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{pounds(&invoice.payable)}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <p class="govuk-body" role="status">{count}</p>
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-table__caption--s">"Invoices and credit notes"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Reference"</th>
                    <th scope="col" class="govuk-table__header">"Type"</th>
                    {council.then(|| view! { <th scope="col" class="govuk-table__header">"Provider"</th> })}
                    <th scope="col" class="govuk-table__header">"Period"</th>
                    <th scope="col" class="govuk-table__header">"Date on invoice"</th>
                    <th scope="col" class="govuk-table__header">"Status"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Excl VAT"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"VAT"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Total payable"</th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">{rows}</tbody>
        </table>
    }
    .into_any()
}

/// The new-invoice form's fields, as the API names them and the form shows them.
fn fields() -> Vec<Field> {
    vec![
        Field::new(
            "scope",
            "scope",
            "What the invoice covers",
            "Choose what the invoice covers",
        ),
        Field::new("contract_id", "contract", "Contract", "Choose the contract"),
        Field::new("service_id", "service", "Service", "Choose the service"),
        Field::new("client_id", "client", "Client", "Choose the client"),
        Field::new(
            "period_start",
            "period",
            "Payment period",
            "Choose the payment period",
        ),
        Field::new(
            "reference",
            "reference",
            "Reference",
            "Enter your invoice's reference",
        ),
        Field::new(
            "date_on_invoice",
            "date-on-invoice-day",
            "Date on invoice",
            "Enter the date on the invoice",
        ),
        Field::new(
            "entered_ex_vat",
            "entered-ex-vat",
            "Total excluding VAT",
            "Enter the invoice's total excluding VAT",
        ),
        Field::new(
            "entered_vat",
            "entered-vat",
            "VAT",
            "Enter the invoice's VAT",
        ),
    ]
}

#[component]
pub fn NewInvoicePage() -> impl IntoView {
    let session = use_session();
    let options = LocalResource::new(move || {
        let token = session.access_token();
        let organisation = session
            .acting_for()
            .map(|organisation| organisation.id)
            .unwrap_or_default();
        with_token(token, |token| async move {
            api::invoice_options(&token, &organisation).await
        })
    });
    sign_out_when_refused(session, options);
    let content = move || {
        options.get().map(|result| match result {
            Err(problem) => {
                set_page_title("New invoice");
                view! {
                    <h1 class="govuk-heading-l">"New invoice"</h1>
                    <ProblemText problem />
                }
                .into_any()
            }
            Ok(options) => view! { <NewInvoiceForm options /> }.into_any(),
        })
    };
    view! {
        <a class="govuk-back-link" href="/invoices">"Back to invoices"</a>
        <Suspense fallback=|| view! { <p class="govuk-body" role="status">"Loading…"</p> }>
            {content}
        </Suspense>
    }
}

#[component]
fn NewInvoiceForm(options: InvoiceOptions) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let flash = use_flash();
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    title_with_errors(|| "New invoice".to_owned(), errors);

    let first_contract = options
        .contracts
        .first()
        .map(|contract| contract.id.clone())
        .unwrap_or_default();
    let scope = RwSignal::new("contract".to_owned());
    let contract = RwSignal::new(first_contract);
    let service = RwSignal::new(String::new());
    let client = RwSignal::new(String::new());
    let period = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let date_on_invoice = DateParts::new();
    date_on_invoice.set_iso(Some(&portal_domain::calendar::iso_date(
        crate::format::today(),
    )));
    let entered_ex_vat = RwSignal::new(String::new());
    let entered_vat = RwSignal::new(String::new());
    let organisation_id = options.organisation_id.clone();
    let options = StoredValue::new(options);

    let contract_choices = Signal::derive(move || {
        options.with_value(|options| {
            ungrouped(
                options
                    .contracts
                    .iter()
                    .map(|contract| (contract.id.clone(), contract.name.clone()))
                    .collect::<Options>(),
            )
        })
    });
    let service_choices = Signal::derive(move || {
        options.with_value(|options| {
            options
                .contracts
                .iter()
                .map(|contract| {
                    let services = contract
                        .services
                        .iter()
                        .map(|service| (service.id.clone(), service.name.clone()))
                        .collect::<Options>();
                    (contract.name.clone(), services)
                })
                .collect::<Vec<_>>()
        })
    });
    let client_choices = Signal::derive(move || {
        options.with_value(|options| {
            ungrouped(
                options
                    .clients
                    .iter()
                    .map(|client| (client.id.clone(), client.name.clone()))
                    .collect::<Options>(),
            )
        })
    });
    // The periods of the contract chosen (or, when the invoice covers more, the first).
    let period_choices = Signal::derive(move || {
        let chosen = contract.get();
        options.with_value(|options| {
            let contract = options
                .contracts
                .iter()
                .find(|contract| contract.id == chosen)
                .or_else(|| options.contracts.first());
            ungrouped(
                contract
                    .map(|contract| {
                        contract
                            .periods
                            .iter()
                            .map(|period| (period.start.clone(), period.label.clone()))
                            .collect::<Options>()
                    })
                    .unwrap_or_default(),
            )
        })
    });
    let no_contracts = options.with_value(|options| options.contracts.is_empty());

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let date = match date_on_invoice.iso() {
            Ok(Some(date)) => date,
            Ok(None) => {
                errors.set(vec![SummaryError::at(
                    "date-on-invoice-day",
                    "Enter the date on the invoice",
                )]);
                return;
            }
            Err(problem) => {
                errors.set(vec![SummaryError::at(
                    "date-on-invoice-day",
                    problem.message("Date on invoice"),
                )]);
                return;
            }
        };
        let scope_now = scope.get_untracked();
        let chosen = |wanted: &str, value: RwSignal<String>| {
            (scope_now == wanted)
                .then(|| value.get_untracked())
                .filter(|value| !value.is_empty())
        };
        let new = CreateInvoice {
            organisation_id: Some(organisation_id.clone()),
            kind: None,
            scope: Some(scope_now.clone()),
            contract_id: chosen("contract", contract),
            service_id: chosen("service", service),
            client_id: chosen("client", client),
            credit_of_invoice_id: None,
            period_start: Some(period.get_untracked()).filter(|start| !start.is_empty()),
            reference: reference.get_untracked().trim().to_owned(),
            date_on_invoice: date,
            entered_ex_vat: entered_ex_vat.get_untracked().trim().to_owned(),
            entered_vat: entered_vat.get_untracked().trim().to_owned(),
        };
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            let outcome = api::create_invoice(&token, &new).await;
            busy.set(false);
            match outcome {
                Ok(invoice) => {
                    errors.set(Vec::new());
                    flash.set(format!("Invoice {} created", invoice.reference));
                    navigate(
                        &format!("/invoices/{}", invoice.id),
                        NavigateOptions::default(),
                    );
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(refusals(&problem, &fields())),
            }
        });
    };

    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors />
                <h1 class="govuk-heading-l">"New invoice"</h1>
                {no_contracts.then(|| view! {
                    <p class="govuk-body">"None of your contracts is paid by invoice."</p>
                })}
                <form novalidate on:submit=submit>
                    <Radios id="scope" legend="How do you want to select the initial items for the invoice?" value=scope errors
                        hint="It is advised to create invoices for a whole contract."
                        options=vec![
                            ("contract", "One contract"),
                            ("organisation", "The whole organisation"),
                            ("service", "One service"),
                            ("client", "One client"),
                        ] />
                    <SelectInput id="contract" label="Contract" value=contract errors groups=contract_choices
                        hint="Its payment periods are offered below." />
                    <Show when=move || scope.with(|scope| scope == "service")>
                        <SelectInput id="service" label="Service" value=service errors groups=service_choices
                            choose="Choose a service" />
                    </Show>
                    <Show when=move || scope.with(|scope| scope == "client")>
                        <SelectInput id="client" label="Client" value=client errors groups=client_choices
                            choose="Choose a client" />
                    </Show>
                    <SelectInput id="period" label="Payment period" value=period errors groups=period_choices
                        choose="Choose a payment period" />
                    <TextInput id="reference" label="Reference" value=reference errors width="govuk-input--width-20"
                        hint="Your own invoice's reference: each is used once" autocomplete="off" />
                    <DateInput id="date-on-invoice" legend="Date on invoice" parts=date_on_invoice errors
                        hint="For example, 9 10 2022" />
                    <TextInput id="entered-ex-vat" label="Total excluding VAT, in pounds" value=entered_ex_vat errors
                        width="govuk-input--width-10" inputmode="decimal"
                        hint="As your own invoice has it, like 3860.28" />
                    <TextInput id="entered-vat" label="VAT, in pounds" value=entered_vat errors
                        width="govuk-input--width-10" inputmode="decimal" hint="Like 772.06" />
                    <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                        "Create"
                    </button>
                </form>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credit_notes_show_negative_pounds() {
        assert_eq!(pounds("4632.34"), "£4,632.34");
        assert_eq!(pounds("-857.84"), "-£857.84");
        assert_eq!(pounds("-0.00"), "£0.00");
    }
}
