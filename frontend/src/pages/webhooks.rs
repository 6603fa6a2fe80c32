//! Council staff's Webhooks page: the URLs the portal POSTs events to (DOMAIN 13), each with
//! its events, status and deliveries; "Add a webhook", whose signing secret is shown once;
//! and Disable, after asking.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_dto::{CreatedWebhook, NewWebhook, Problem, Webhook, WebhookEventChoice};

use crate::api::{self, with_token};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{error_of, Field, TextInput};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::title_with_errors;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::format::date_text;
use crate::session::use_session;

const PAGE: &str = "Webhooks";

/// The id of an event's checkbox: the first carries the group's id (`events`), so the error
/// summary's link lands on it.
pub fn event_box_id(index: usize, code: &str) -> String {
    if index == 0 {
        "events".to_owned()
    } else {
        format!("events-{}", code.replace(['.', '_'], "-"))
    }
}

/// "Trevor Bland on 24/11/2026".
pub fn made_text(webhook: &Webhook) -> String {
    let at = &webhook.created_at;
    format!(
        "{} on {}",
        webhook.created_by,
        date_text(at.get(..10).unwrap_or(at))
    )
}

/// The events as people read them.
pub fn events_text(events: &[WebhookEventChoice]) -> String {
    events
        .iter()
        .map(|event| event.label.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The server's refusal of a new webhook, pinned to the URL box and the events' boxes.
pub fn webhook_errors(problem: &Problem) -> Vec<SummaryError> {
    if problem.errors.is_empty() {
        return vec![SummaryError::general(problem.detail.clone())];
    }
    let url = Field::new("url", "url", "The URL", "Enter the URL");
    let mut lines: Vec<SummaryError> = Vec::new();
    for error in &problem.errors {
        let line = if error.field == "url" {
            SummaryError::at("url", url.message(&error.message))
        } else if error.field == "events" {
            SummaryError::at("events", "Choose at least one event to send")
        } else if error.field.starts_with("events[") {
            SummaryError::at("events", format!("Event {}", error.message))
        } else {
            SummaryError::general(format!("{} {}", error.field, error.message))
        };
        if !lines
            .iter()
            .any(|known| known.field_id.is_some() && known.field_id == line.field_id)
        {
            lines.push(line);
        }
    }
    // The form's order: the URL, then the events.
    lines.sort_by_key(|line| match line.field_id.as_deref() {
        None => 0,
        Some("url") => 1,
        Some(_) => 2,
    });
    lines
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let session = use_session();
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(|| PAGE.to_owned(), errors);
    let banner = RwSignal::new(None::<String>);
    let created = RwSignal::new(None::<CreatedWebhook>);
    let confirming = RwSignal::new(None::<Webhook>);
    let busy = RwSignal::new(false);
    let webhooks = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move { api::webhooks(&token).await })
    });
    sign_out_when_refused(session, webhooks);

    let disable = move |webhook: Webhook| {
        if busy.get_untracked() {
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let outcome = api::disable_webhook(&token, &webhook.id, webhook.version).await;
            busy.set(false);
            confirming.set(None);
            match outcome {
                Ok(disabled) => {
                    errors.set(Vec::new());
                    banner.set(Some(format!(
                        "The webhook to {} was disabled: it receives no more events",
                        disabled.url
                    )));
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) if problem.status == 409 => errors.set(vec![SummaryError::general(
                    "Someone else changed this webhook first: the list now shows it as it is. Check it and try again.",
                )]),
                Err(problem) => errors.set(vec![SummaryError::general(problem.detail)]),
            }
            webhooks.refetch();
        });
    };

    let table = move || match webhooks.get() {
        None => view! { <p class="govuk-body" role="status">"Loading webhooks…"</p> }.into_any(),
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(list)) if list.items.is_empty() => view! {
            <p class="govuk-body">"The council has no webhooks yet."</p>
        }
        .into_any(),
        Some(Ok(list)) => view! { <WebhookTable items=list.items confirming /> }.into_any(),
    };

    let event_choices = Signal::derive(move || {
        webhooks
            .get()
            .and_then(Result::ok)
            .map(|list| list.event_choices)
            .unwrap_or_default()
    });
    let on_created = Callback::new(move |made: CreatedWebhook| {
        banner.set(None);
        created.set(Some(made));
        webhooks.refetch();
    });

    move || {
        if let Some(webhook) = confirming.get() {
            let target = webhook.clone();
            return view! {
                <h1 class="govuk-heading-l">"Disable this webhook?"</h1>
                <p class="govuk-body">
                    "The portal will stop sending events to "
                    <strong class="govuk-!-text-break-word">{webhook.url.clone()}</strong>
                    " at once. Calls still waiting are not sent. A disabled webhook cannot be turned back on: to send events there again, add a new webhook."
                </p>
                <div class="govuk-button-group">
                    <button type="button" class="govuk-button govuk-button--warning" data-module="govuk-button"
                        disabled=move || busy.get() on:click=move |_| disable(target.clone())>
                        "Yes, disable it"
                    </button>
                    <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                        on:click=move |_| confirming.set(None)>
                        "No, keep it"
                    </button>
                </div>
            }
            .into_any();
        }
        view! {
            <SuccessBanner message=banner />
            <ErrorSummary errors=errors />
            <h1 class="govuk-heading-l">{PAGE}</h1>
            {move || created.get().map(|made| view! { <SecretShownOnce made /> })}
            <p class="govuk-body">
                "A webhook sends events to one of the council's own systems, such as its finance system, as they happen: the portal POSTs each event as JSON to the webhook's URL, and tries again later when the call fails."
            </p>
            {table}
            <AddWebhook errors event_choices on_created />
            <p class="govuk-body">
                <a class="govuk-link" href="/council/settings">"Back to council settings"</a>
            </p>
        }
        .into_any()
    }
}

#[component]
fn WebhookTable(items: Vec<Webhook>, confirming: RwSignal<Option<Webhook>>) -> impl IntoView {
    let rows = items
        .into_iter()
        .map(|webhook| {
            let status = if webhook.active {
                view! { <strong class="govuk-tag govuk-tag--green">"Active"</strong> }.into_any()
            } else {
                view! { <strong class="govuk-tag govuk-tag--grey">"Disabled"</strong> }.into_any()
            };
            let action = webhook.active.then(|| {
                let target = webhook.clone();
                let url = webhook.url.clone();
                view! {
                    <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                        data-module="govuk-button" on:click=move |_| confirming.set(Some(target.clone()))>
                        "Disable"<span class="govuk-visually-hidden">{format!(" the webhook to {url}")}</span>
                    </button>
                }
            });
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header govuk-!-text-break-word">{webhook.url.clone()}</th>
                    <td class="govuk-table__cell">{events_text(&webhook.events)}</td>
                    <td class="govuk-table__cell">{status}</td>
                    <td class="govuk-table__cell">{made_text(&webhook)}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{webhook.delivered}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{webhook.waiting}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric">{webhook.failed}</td>
                    <td class="govuk-table__cell">{action}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-table__caption--m">"The council's webhooks"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"URL"</th>
                    <th scope="col" class="govuk-table__header">"Events"</th>
                    <th scope="col" class="govuk-table__header">"Status"</th>
                    <th scope="col" class="govuk-table__header">"Made by"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Delivered"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Waiting"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Failed"</th>
                    <th scope="col" class="govuk-table__header">
                        <span class="govuk-visually-hidden">"Actions"</span>
                    </th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">{rows}</tbody>
        </table>
    }
}

/// The new webhook's secret, once, with how a receiver checks a call. It takes focus when
/// it appears, so a screen-reader user hears it first.
#[component]
fn SecretShownOnce(made: CreatedWebhook) -> impl IntoView {
    let panel = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if let Some(panel) = panel.get() {
            let _ = panel.focus();
        }
    });
    view! {
        <div class="govuk-panel govuk-panel--confirmation" tabindex="-1" node_ref=panel id="webhook-added">
            <h2 class="govuk-panel__title">"Webhook added"</h2>
            <div class="govuk-panel__body govuk-!-text-break-word">{made.webhook.url.clone()}</div>
        </div>
        <div class="govuk-warning-text">
            <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
            <strong class="govuk-warning-text__text">
                <span class="govuk-visually-hidden">"Warning"</span>
                "Copy the signing secret now and keep it in the receiving system. It will not be shown again: if it is lost, disable this webhook and add a new one."
            </strong>
        </div>
        <dl class="govuk-summary-list">
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Signing secret"</dt>
                <dd class="govuk-summary-list__value"><code id="webhook-secret" class="app-secret">{made.secret.clone()}</code></dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Events"</dt>
                <dd class="govuk-summary-list__value">{events_text(&made.webhook.events)}</dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"How calls are signed"</dt>
                <dd class="govuk-summary-list__value">
                    <p class="govuk-body">
                        "Each call is a POST of JSON with the headers "<code>"X-Portal-Event"</code>", "<code>"X-Portal-Delivery"</code>", "
                        <code>"X-Portal-Timestamp"</code>" and "<code>"X-Portal-Signature"</code>"."
                    </p>
                    <p class="govuk-body govuk-!-margin-bottom-0">
                        <code>"X-Portal-Signature"</code>" is "<code>"sha256="</code>" followed by the HMAC-SHA-256, in hexadecimal, of "
                        <code>"X-Portal-Timestamp"</code>", a full stop (.) and the body, keyed with this secret. The receiver works out the same value and refuses any call whose signature differs."
                    </p>
                </dd>
            </div>
        </dl>
    }
}

#[component]
fn AddWebhook(
    errors: RwSignal<Vec<SummaryError>>,
    #[prop(into)] event_choices: Signal<Vec<WebhookEventChoice>>,
    on_created: Callback<CreatedWebhook>,
) -> impl IntoView {
    let session = use_session();
    let busy = RwSignal::new(false);
    let url = RwSignal::new(String::new());
    let ticked = RwSignal::new(Vec::<String>::new());

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let chosen = ticked.get_untracked();
        let webhook = NewWebhook {
            url: url.get_untracked().trim().to_owned(),
            events: event_choices
                .get_untracked()
                .into_iter()
                .map(|choice| choice.code)
                .filter(|code| chosen.contains(code))
                .collect(),
        };
        busy.set(true);
        spawn_local(async move {
            let outcome = api::create_webhook(&token, &webhook).await;
            busy.set(false);
            match outcome {
                Ok(made) => {
                    errors.set(Vec::new());
                    url.set(String::new());
                    ticked.set(Vec::new());
                    on_created.run(made);
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(webhook_errors(&problem)),
            }
        });
    };

    let events_error = Signal::derive(move || error_of(errors, "events"));
    let checkboxes = move || {
        event_choices
            .get()
            .into_iter()
            .enumerate()
            .map(|(index, choice)| {
                let id = event_box_id(index, &choice.code);
                let hint_id = format!("{id}-hint");
                let code = choice.code.clone();
                let is_ticked = {
                    let code = code.clone();
                    move || ticked.with(|ticked| ticked.contains(&code))
                };
                let toggle = move |event: leptos::ev::Event| {
                    let on = event_target_checked(&event);
                    ticked.update(|ticked| {
                        ticked.retain(|other| *other != code);
                        if on {
                            ticked.push(code.clone());
                        }
                    });
                };
                view! {
                    <div class="govuk-checkboxes__item">
                        <input class="govuk-checkboxes__input" id=id.clone() name="events" type="checkbox"
                            value=choice.code.clone() aria-describedby=hint_id.clone()
                            prop:checked=is_ticked on:change=toggle />
                        <label class="govuk-label govuk-checkboxes__label" for=id>{choice.label.clone()}</label>
                        <div id=hint_id class="govuk-hint govuk-checkboxes__hint">
                            "Sent as "<code>{choice.code.clone()}</code>
                        </div>
                    </div>
                }
            })
            .collect_view()
    };

    view! {
        <h2 class="govuk-heading-m" id="add-webhook-heading">"Add a webhook"</h2>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <form novalidate aria-labelledby="add-webhook-heading" on:submit=submit>
                    <TextInput id="url" label="URL" value=url errors input_type="url" autocomplete="off"
                        hint="Where the portal sends events: an https:// address, such as https://finance.example.org/portal-events" />
                    <div class="govuk-form-group" class:govuk-form-group--error=move || events_error.with(Option::is_some)>
                        <fieldset class="govuk-fieldset" aria-describedby=move || {
                            if events_error.with(Option::is_some) { "events-group-hint events-error" } else { "events-group-hint" }
                        }>
                            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Events to send"</legend>
                            <div id="events-group-hint" class="govuk-hint">"Select all that apply."</div>
                            {move || events_error.get().map(|message| view! {
                                <p id="events-error" class="govuk-error-message">
                                    <span class="govuk-visually-hidden">"Error: "</span>{message}
                                </p>
                            })}
                            <div class="govuk-checkboxes" data-module="govuk-checkboxes">{checkboxes}</div>
                        </fieldset>
                    </div>
                    <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                        "Add webhook"
                    </button>
                </form>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_dto::FieldError;

    fn refusal(errors: &[(&str, &str)]) -> Problem {
        Problem {
            problem_type: "/problems/validation".to_owned(),
            title: "Some fields are not valid".to_owned(),
            status: 422,
            detail: "Some fields are not valid".to_owned(),
            errors: errors
                .iter()
                .map(|(field, message)| FieldError {
                    field: (*field).to_owned(),
                    message: (*message).to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_refused_webhook_names_the_url_and_the_events_in_the_forms_order() {
        let lines = webhook_errors(&refusal(&[
            ("events", "choose at least one event"),
            ("url", "must be an https:// URL"),
        ]));
        assert_eq!(
            lines,
            [
                SummaryError::at("url", "The URL must be an https:// URL"),
                SummaryError::at("events", "Choose at least one event to send"),
            ]
        );
        assert_eq!(
            webhook_errors(&refusal(&[("events[1]", "party.started is not an event")])),
            [SummaryError::at(
                "events",
                "Event party.started is not an event"
            )]
        );
    }

    #[test]
    fn a_webhook_reads_as_who_made_it_and_what_it_sends() {
        let webhook = Webhook {
            id: "1".to_owned(),
            version: 1,
            url: "https://finance.example.org/portal-events".to_owned(),
            events: vec![
                WebhookEventChoice {
                    code: "dispute.raised".to_owned(),
                    label: "Dispute raised".to_owned(),
                },
                WebhookEventChoice {
                    code: "action.assigned".to_owned(),
                    label: "Action assigned".to_owned(),
                },
            ],
            active: true,
            created_at: "2026-11-24T09:30:00Z".to_owned(),
            created_by: "Trevor Bland".to_owned(),
            delivered: 0,
            waiting: 0,
            failed: 0,
        };
        assert_eq!(made_text(&webhook), "Trevor Bland on 24/11/2026");
        assert_eq!(
            events_text(&webhook.events),
            "Dispute raised, Action assigned"
        );
        assert_eq!(event_box_id(0, "dispute.raised"), "events");
        assert_eq!(
            event_box_id(2, "invoice.status_changed"),
            "events-invoice-status-changed"
        );
    }
}
