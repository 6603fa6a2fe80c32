//! One invoice or credit note (DOMAIN 6): its header figures (entered totals, items total,
//! short by, total payable), its items with Remove and Re-add, Suggest, Submit Invoice and
//! Delete Invoice for the provider while it is Unsubmitted or Returned, the CSV download,
//! and the council's Authorise, Finalise, Hold and Return.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use portal_dto::{Invoice, InvoiceDecision, InvoiceItem, UpdateInvoiceItem};

use crate::api::{self, with_token, ApiResult};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::TextArea;
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::title_with_errors;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::format::date_text;
use crate::pages::invoices::{invoice_tag_class, pounds};
use crate::session::use_session;

/// One change to an invoice: given the bearer token, the request that answers with it.
type Change = Box<
    dyn FnOnce(String) -> std::pin::Pin<Box<dyn std::future::Future<Output = ApiResult<Invoice>>>>,
>;

#[component]
pub fn InvoicePage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let flash = use_flash();
    let banner = RwSignal::new(flash.take());
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let id = Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    let loaded = LocalResource::new(move || {
        let token = session.access_token();
        let id = id.get();
        with_token(
            token,
            |token| async move { api::invoice(&token, &id).await },
        )
    });
    sign_out_when_refused(session, loaded);
    let current = RwSignal::new(None::<Invoice>);
    Effect::new(move |_| {
        if let Some(Ok(invoice)) = loaded.get() {
            current.set(Some(invoice));
        }
    });
    title_with_errors(
        move || {
            current.with(|invoice| match invoice {
                Some(invoice) => format!("{} {}", invoice.kind_label, invoice.reference),
                None => "Invoice".to_owned(),
            })
        },
        errors,
    );
    let busy = RwSignal::new(false);

    // Runs one change and shows its outcome: the invoice as it now is, or why not.
    let run = move |change: Change, done: &'static str| {
        if busy.get_untracked() {
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let outcome = change(token).await;
            busy.set(false);
            match outcome {
                Ok(invoice) => {
                    errors.set(Vec::new());
                    banner.set(Some(done.to_owned()));
                    current.set(Some(invoice));
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => {
                    banner.set(None);
                    errors.set(crate::components::form::problem_errors(&problem, |_| None));
                }
            }
        });
    };
    let run = StoredValue::new(run);

    let action = move |name: &'static str, done: &'static str| {
        move |_: leptos::ev::MouseEvent| {
            let Some((id, version)) = current.with_untracked(|invoice| {
                invoice
                    .as_ref()
                    .map(|invoice| (invoice.id.clone(), invoice.version))
            }) else {
                return;
            };
            run.with_value(|run| {
                run(
                    Box::new(move |token| {
                        Box::pin(
                            async move { api::invoice_action(&token, &id, name, version).await },
                        )
                    }),
                    done,
                )
            });
        }
    };
    let reason = RwSignal::new(String::new());
    let decide = move |name: &'static str, done: &'static str| {
        move |_: leptos::ev::MouseEvent| {
            let Some((id, version)) = current.with_untracked(|invoice| {
                invoice
                    .as_ref()
                    .map(|invoice| (invoice.id.clone(), invoice.version))
            }) else {
                return;
            };
            let decision = InvoiceDecision {
                version,
                reason: reason.get_untracked(),
            };
            run.with_value(|run| {
                run(
                    Box::new(move |token| {
                        Box::pin(async move {
                            api::invoice_decision(&token, &id, name, &decision).await
                        })
                    }),
                    done,
                )
            });
        }
    };
    let toggle_item = move |item: InvoiceItem| {
        let Some((id, version)) = current.with_untracked(|invoice| {
            invoice
                .as_ref()
                .map(|invoice| (invoice.id.clone(), invoice.version))
        }) else {
            return;
        };
        let change = UpdateInvoiceItem {
            version,
            included: !item.included,
            contribution: None,
        };
        let done = if item.included {
            "Item removed"
        } else {
            "Item re-added"
        };
        run.with_value(|run| {
            run(
                Box::new(move |token| {
                    Box::pin(async move {
                        api::update_invoice_item(&token, &id, &item.id, &change).await
                    })
                }),
                done,
            )
        });
    };
    let download = move |_: leptos::ev::MouseEvent| {
        let Some((id, reference)) = current.with_untracked(|invoice| {
            invoice
                .as_ref()
                .map(|invoice| (invoice.id.clone(), invoice.reference.clone()))
        }) else {
            return;
        };
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        spawn_local(async move {
            match api::invoice_csv(&token, &id).await {
                Ok(text) => {
                    if let Err(message) =
                        crate::download::save_csv(&format!("invoice-{reference}.csv"), &text)
                    {
                        errors.set(vec![SummaryError::general(message)]);
                    }
                }
                Err(problem) => errors.set(vec![SummaryError::general(problem.detail)]),
            }
        });
    };

    let council = move || session.is_council();
    let page = move || {
        let invoice = current.get()?;
        let editable = invoice.editable && !council();
        let status = invoice.status.clone();
        let items = invoice
            .items
            .clone()
            .into_iter()
            .map(|item| {
                let toggled = item.clone();
                let label = if item.included { "Remove" } else { "Re-add" };
                let commitment = item.commitment.clone();
                view! {
                    <tr class="govuk-table__row" class:app-invoice-item--removed=!item.included>
                        <td class="govuk-table__cell">
                            {item.commitment.clone()}
                            {(!item.included).then(|| view! { " " <strong class="govuk-tag govuk-tag--grey">"Removed"</strong> })}
                        </td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{pounds(&item.value)}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{pounds(&item.vat)}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{pounds(&item.contribution)}</td>
                        <td class="govuk-table__cell">{item.contract_name.clone()}</td>
                        <td class="govuk-table__cell">{item.period_label.clone()}</td>
                        {editable.then(|| view! {
                            <td class="govuk-table__cell">
                                <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                                    data-module="govuk-button" disabled=move || busy.get()
                                    on:click=move |_| toggle_item(toggled.clone())>
                                    {label}
                                    <span class="govuk-visually-hidden">{format!(" {commitment}")}</span>
                                </button>
                            </td>
                        })}
                    </tr>
                }
            })
            .collect_view();
        let no_items = invoice.items.is_empty();
        let reason_text = (!invoice.status_reason.is_empty()).then(|| {
            view! {
                <div class="govuk-inset-text">
                    <strong>{format!("{}: ", invoice.status_label)}</strong>
                    {invoice.status_reason.clone()}
                </div>
            }
        });
        let can_authorise = matches!(status.as_str(), "pending" | "on_hold");
        let can_finalise = status == "authorised";
        let can_hold = matches!(status.as_str(), "pending" | "authorised");
        let can_return = matches!(status.as_str(), "pending" | "authorised" | "on_hold");
        Some(view! {
            <span class="govuk-caption-l">{format!("{} for {}", invoice.kind_label, invoice.organisation_name)}</span>
            <h1 class="govuk-heading-l">
                {format!("{} {} ", invoice.kind_label, invoice.reference)}
                <strong class=invoice_tag_class(&invoice.status)>{invoice.status_label.clone()}</strong>
            </h1>
            {reason_text}
            <dl class="govuk-summary-list">
                <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">"Reference"</dt>
                    <dd class="govuk-summary-list__value">{invoice.reference.clone()}</dd>
                </div>
                <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">"Period"</dt>
                    <dd class="govuk-summary-list__value">{invoice.period_label.clone()}</dd>
                </div>
                <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">"Date on invoice"</dt>
                    <dd class="govuk-summary-list__value">{date_text(&invoice.date_on_invoice)}</dd>
                </div>
                <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">"Created"</dt>
                    <dd class="govuk-summary-list__value">{date_text(&invoice.created_on)}</dd>
                </div>
                {invoice.attachment.clone().map(|attachment| view! {
                    <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">"Supporting VAT invoice"</dt>
                        <dd class="govuk-summary-list__value">{attachment.file_name}</dd>
                    </div>
                })}
            </dl>
            <table class="govuk-table app-invoice-totals">
                <caption class="govuk-table__caption govuk-table__caption--m">"Totals"</caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                        <td class="govuk-table__header"></td>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Excl VAT"</th>
                        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"VAT"</th>
                    </tr>
                </thead>
                <tbody class="govuk-table__body">
                    <tr class="govuk-table__row">
                        <th scope="row" class="govuk-table__header">"Total"</th>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{pounds(&invoice.entered_ex_vat)}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{pounds(&invoice.entered_vat)}</td>
                    </tr>
                    <tr class="govuk-table__row">
                        <th scope="row" class="govuk-table__header">"Items total"</th>
                        <td class="govuk-table__cell govuk-table__cell--numeric" id="items-total">{pounds(&invoice.items_ex_vat)}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{pounds(&invoice.items_vat)}</td>
                    </tr>
                    <tr class="govuk-table__row">
                        <th scope="row" class="govuk-table__header">"Short by"</th>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{pounds(&invoice.short_by_ex_vat)}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{pounds(&invoice.short_by_vat)}</td>
                    </tr>
                    <tr class="govuk-table__row">
                        <th scope="row" class="govuk-table__header">"Contributions"</th>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{pounds(&invoice.contributions)}</td>
                        <td class="govuk-table__cell"></td>
                    </tr>
                    <tr class="govuk-table__row">
                        <th scope="row" class="govuk-table__header">"Total payable"</th>
                        <td class="govuk-table__cell govuk-table__cell--numeric" id="total-payable">
                            <strong>{pounds(&invoice.payable)}</strong>
                        </td>
                        <td class="govuk-table__cell"></td>
                    </tr>
                </tbody>
            </table>
            <h2 class="govuk-heading-m">"Items"</h2>
            {no_items.then(|| view! {
                <p class="govuk-body">
                    "This invoice has no items, so it cannot be submitted. Use Suggest to add items from your actuals, or create an Action asking for support."
                </p>
            })}
            {(!no_items).then(|| view! {
                <table class="govuk-table app-invoice-items">
                    <caption class="govuk-table__caption govuk-table__caption--s">"Commitments on this invoice"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Commitment"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Value"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"VAT"</th>
                            <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Contribution"</th>
                            <th scope="col" class="govuk-table__header">"Contract"</th>
                            <th scope="col" class="govuk-table__header">"Period"</th>
                            {editable.then(|| view! { <th scope="col" class="govuk-table__header">"Action"</th> })}
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{items}</tbody>
                </table>
            })}
            <div class="govuk-button-group">
                {editable.then(|| view! {
                    <button type="button" class="govuk-button" data-module="govuk-button"
                        disabled=move || busy.get() on:click=action("submit", "Invoice submitted: it is now Pending")>
                        "Submit Invoice"
                    </button>
                    <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                        disabled=move || busy.get() on:click=action("suggest", "Items brought up to date from your actuals")>
                        "Suggest"
                    </button>
                    <button type="button" class="govuk-button govuk-button--warning" data-module="govuk-button"
                        disabled=move || busy.get() on:click=action("delete", "Invoice deleted")>
                        "Delete Invoice"
                    </button>
                })}
                <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                    on:click=download>
                    "Download CSV"
                </button>
            </div>
            {(council() && (can_authorise || can_finalise || can_hold || can_return)).then(|| view! {
                <h2 class="govuk-heading-m">"Decide"</h2>
                <div class="govuk-button-group">
                    {can_authorise.then(|| view! {
                        <button type="button" class="govuk-button" data-module="govuk-button"
                            disabled=move || busy.get() on:click=action("authorise", "Invoice authorised")>
                            "Authorise"
                        </button>
                    })}
                    {can_finalise.then(|| view! {
                        <button type="button" class="govuk-button" data-module="govuk-button"
                            disabled=move || busy.get() on:click=action("finalise", "Invoice finalised")>
                            "Finalise"
                        </button>
                    })}
                </div>
                {(can_hold || can_return).then(|| view! {
                    <TextArea id="reason" label="Reason, for putting on hold or returning" value=reason errors
                        hint="The provider sees it" rows=3 />
                    <div class="govuk-button-group">
                        {can_hold.then(|| view! {
                            <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                                disabled=move || busy.get() on:click=decide("hold", "Invoice put on hold")>
                                "Put on hold"
                            </button>
                        })}
                        {can_return.then(|| view! {
                            <button type="button" class="govuk-button govuk-button--warning" data-module="govuk-button"
                                disabled=move || busy.get() on:click=decide("return", "Invoice returned for correction")>
                                "Return for correction"
                            </button>
                        })}
                    </div>
                })}
            })}
        })
    };
    let failed = move || {
        loaded.get().and_then(Result::err).map(
            |problem| view! { <h1 class="govuk-heading-l">"Invoice"</h1><ProblemText problem /> },
        )
    };
    view! {
        <a class="govuk-back-link" href="/invoices">"Back to invoices"</a>
        <SuccessBanner message=banner />
        <ErrorSummary errors=errors />
        <Show when=move || loaded.with(Option::is_none)>
            <p class="govuk-body" role="status">"Loading the invoice…"</p>
        </Show>
        {failed}
        {page}
    }
}
