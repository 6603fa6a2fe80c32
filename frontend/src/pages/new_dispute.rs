//! Raise a dispute (DOMAIN 9), for council staff: a client's actuals at a service for whole
//! weeks, or single lines in them, with one of the council's reasons and the details the
//! provider is to answer.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use portal_domain::Week;
use portal_dto::{CpliSummary, CreateDispute};

use crate::api::{self, with_token, CpliFilters};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{
    checked_date, in_form_order, problem_errors, ungrouped, DateInput, DateParts, Field,
    SelectInput, TextArea,
};
use crate::components::page_title::title_with_errors;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::session::use_session;

const WEEK_HINT: &str = "The Monday the week begins, for example 22 8 2022";

fn fields() -> Vec<Field> {
    vec![
        Field::new("service_id", "service", "Service", "Choose the service"),
        Field::new("client_id", "client", "Client", "Choose the client"),
        Field::new(
            "from",
            "from-day",
            "Week from",
            "Enter the Monday of the week",
        ),
        Field::new("to", "to-day", "Week to", "Enter the Monday of the week"),
        Field::new("cpli_ids", "lines", "Lines", "Choose the lines"),
        Field::new(
            "reason_id",
            "reason",
            "Reason",
            "Choose the reason for the dispute",
        ),
        Field::new(
            "details",
            "details",
            "Details",
            "Enter the details of the dispute",
        ),
    ]
}

/// The form's field for an API name; each single line's error (`cpli_ids[0]`) is the lines'.
fn locate(api: &str) -> Option<Field> {
    let api = if api.starts_with("cpli_ids") {
        "cpli_ids"
    } else {
        api
    };
    fields().into_iter().find(|field| field.api == api)
}

fn ordered(mut lines: Vec<SummaryError>) -> Vec<SummaryError> {
    let order: Vec<String> = fields().into_iter().map(|field| field.id).collect();
    let order: Vec<&str> = order.iter().map(String::as_str).collect();
    in_form_order(&mut lines, &order);
    lines
}

/// A typed week-beginning date that is not a Monday, said as the hint says it.
fn not_a_monday(iso: &str) -> bool {
    Week::parse(iso).is_err()
}

/// The service's clients, one each, by name: (client id, "Wilson, Jocky (c9836000)").
pub fn clients_of(cplis: &[CpliSummary]) -> Vec<(String, String)> {
    let mut clients: Vec<(String, String)> = Vec::new();
    let mut sorted: Vec<&CpliSummary> = cplis.iter().collect();
    sorted.sort_by(|a, b| a.client_name.cmp(&b.client_name));
    for cpli in sorted {
        if !clients.iter().any(|(id, _)| *id == cpli.client_id) {
            clients.push((
                cpli.client_id.clone(),
                format!("{} ({})", cpli.client_name, cpli.ssref),
            ));
        }
    }
    clients
}

/// One client's lines at the service, one each (a CPLI's versions share its id).
pub fn lines_of(cplis: &[CpliSummary], client_id: &str) -> Vec<CpliSummary> {
    let mut lines: Vec<CpliSummary> = Vec::new();
    for cpli in cplis.iter().filter(|cpli| cpli.client_id == client_id) {
        if !lines.iter().any(|known| known.id == cpli.id) {
            lines.push(cpli.clone());
        }
    }
    lines
}

#[component]
pub fn NewDisputePage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let flash = use_flash();
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    title_with_errors(|| "Raise a dispute".to_owned(), errors);

    let services = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move { api::services(&token).await })
    });
    sign_out_when_refused(session, services);
    let reasons = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::dispute_reasons(&token).await },
        )
    });

    let service = RwSignal::new(String::new());
    let client = RwSignal::new(String::new());
    let from = DateParts::new();
    let to = DateParts::new();
    let chosen_lines = RwSignal::new(Vec::<String>::new());
    let reason = RwSignal::new(String::new());
    let details = RwSignal::new(String::new());

    // The service's care package line items, past ones too: disputes look back.
    let cplis = LocalResource::new(move || {
        let token = session.access_token();
        let service_id = service.get();
        async move {
            if service_id.is_empty() {
                return Ok(Vec::new());
            }
            let filters = CpliFilters {
                service: service_id,
                ..CpliFilters::everything()
            };
            with_token(token, |token| async move {
                api::cplis(&token, &filters).await.map(|page| page.items)
            })
            .await
        }
    });
    let cpli_list = Memo::new(move |_| cplis.get().and_then(Result::ok).unwrap_or_default());
    // A new service has other clients, and a new client other lines.
    Effect::new(move |_| {
        service.track();
        client.set(String::new());
    });
    Effect::new(move |_| {
        client.track();
        chosen_lines.set(Vec::new());
    });

    let service_options = Signal::derive(move || {
        ungrouped(
            services
                .get()
                .and_then(Result::ok)
                .map(|page| {
                    page.items
                        .into_iter()
                        .map(|service| {
                            (
                                service.id,
                                format!("{} ({})", service.name, service.organisation_name),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
        )
    });
    let client_options =
        Signal::derive(move || ungrouped(cpli_list.with(|cplis| clients_of(cplis))));
    let reason_options = Signal::derive(move || {
        ungrouped(
            reasons
                .get()
                .and_then(Result::ok)
                .map(|page| {
                    page.items
                        .into_iter()
                        .filter(|reason| reason.active)
                        .map(|reason| (reason.id, reason.name))
                        .collect()
                })
                .unwrap_or_default(),
        )
    });
    let client_lines = Memo::new(move |_| {
        let client_id = client.get();
        cpli_list.with(|cplis| lines_of(cplis, &client_id))
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let mut lines = Vec::new();
        let service_id = service.get_untracked();
        if service_id.is_empty() {
            lines.push(SummaryError::at("service", "Choose the service"));
        }
        let client_id = client.get_untracked();
        if client_id.is_empty() {
            lines.push(SummaryError::at("client", "Choose the client"));
        }
        let mut week = |parts: &DateParts, id: &str, label: &str| {
            let iso = checked_date(
                parts,
                id,
                label,
                Some("Enter the Monday of the week"),
                &mut lines,
            )?;
            if not_a_monday(&iso) {
                lines.push(SummaryError::at(
                    format!("{id}-day"),
                    format!("{label} must be a Monday"),
                ));
                return None;
            }
            Some(iso)
        };
        let first = week(&from, "from", "Week from");
        let last = week(&to, "to", "Week to");
        if let (Some(first), Some(last)) = (&first, &last) {
            if last < first {
                lines.push(SummaryError::at(
                    "to-day",
                    "Week to must be the same as or after Week from",
                ));
            }
        }
        let reason_id = reason.get_untracked();
        if reason_id.is_empty() {
            lines.push(SummaryError::at(
                "reason",
                "Choose the reason for the dispute",
            ));
        }
        let details_text = details.get_untracked().trim().to_owned();
        if details_text.is_empty() {
            lines.push(SummaryError::at(
                "details",
                "Enter the details of the dispute",
            ));
        }
        if !lines.is_empty() {
            errors.set(ordered(lines));
            return;
        }
        let body = CreateDispute {
            service_id,
            client_id,
            from: first.unwrap_or_default(),
            to: last.unwrap_or_default(),
            cpli_ids: chosen_lines.get_untracked(),
            reason_id,
            details: details_text,
        };
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            let outcome = api::create_dispute(&token, &body).await;
            busy.set(false);
            match outcome {
                Ok(created) => {
                    errors.set(Vec::new());
                    flash.set(format!(
                        "Dispute raised for {}, {}: the provider is asked to respond.",
                        created.summary.client.sort_name, created.summary.date_range_label
                    ));
                    navigate(
                        &format!("/disputes/{}", created.summary.id),
                        NavigateOptions::default(),
                    );
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(ordered(problem_errors(&problem, locate))),
            }
        });
    };

    let line_boxes = move || {
        client_lines
            .get()
            .into_iter()
            .map(|cpli| {
                let id = format!("lines-{}", cpli.id);
                let cpli_id = cpli.id.clone();
                let toggled = cpli.id.clone();
                let ends = cpli
                    .end
                    .as_deref()
                    .map(crate::format::date_text)
                    .map(|end| format!(" to {end}"))
                    .unwrap_or_default();
                view! {
                    <div class="govuk-checkboxes__item">
                        <input
                            class="govuk-checkboxes__input"
                            id=id.clone()
                            name="lines"
                            type="checkbox"
                            value=cpli.id.clone()
                            prop:checked=move || chosen_lines.with(|chosen| chosen.contains(&cpli_id))
                            on:change=move |event| {
                                let on = event_target_checked(&event);
                                chosen_lines.update(|chosen| {
                                    chosen.retain(|known| *known != toggled);
                                    if on {
                                        chosen.push(toggled.clone());
                                    }
                                });
                            }
                        />
                        <label class="govuk-label govuk-checkboxes__label" for=id>
                            {format!("{} (CPLI {}, from {}{ends})", cpli.service_level_name, cpli.id, crate::format::date_text(&cpli.start))}
                        </label>
                    </div>
                }
            })
            .collect_view()
    };
    let lines_error = move || {
        crate::components::form::error_of(errors, "lines").map(|message| {
            view! {
                <p id="lines-error" class="govuk-error-message">
                    <span class="govuk-visually-hidden">"Error: "</span>
                    {message}
                </p>
            }
        })
    };
    let load_problem = move || {
        services
            .get()
            .and_then(Result::err)
            .or_else(|| reasons.get().and_then(Result::err))
            .map(|problem| view! { <ProblemText problem /> })
    };

    view! {
        <a class="govuk-back-link" href="/disputes">"Back to disputes"</a>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors />
                <h1 class="govuk-heading-l">"Raise a dispute"</h1>
                {load_problem}
                <form novalidate on:submit=submit>
                    <SelectInput id="service" label="Service" value=service errors groups=service_options
                        choose="Choose a service" />
                    <SelectInput id="client" label="Client" value=client errors groups=client_options
                        choose="Choose a client" hint="Clients with care at the service" />
                    <DateInput id="from" legend="Week from" parts=from errors hint=WEEK_HINT />
                    <DateInput id="to" legend="Week to" parts=to errors
                        hint="The Monday of the last week disputed (the same as Week from for one week), for example 22 8 2022" />
                    <Show when=move || client_lines.with(|lines| !lines.is_empty())>
                        <div class="govuk-form-group" class:govuk-form-group--error=move || crate::components::form::error_of(errors, "lines").is_some()>
                            <fieldset class="govuk-fieldset" id="lines" aria-describedby="lines-hint">
                                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Single lines (optional)"</legend>
                                <div id="lines-hint" class="govuk-hint">"Tick none to dispute all the client's lines in these weeks"</div>
                                {lines_error}
                                <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                                    {line_boxes}
                                </div>
                            </fieldset>
                        </div>
                    </Show>
                    <SelectInput id="reason" label="Reason" value=reason errors groups=reason_options
                        choose="Choose a reason" />
                    <TextArea id="details" label="Details" value=details errors rows=5
                        hint="What is wrong, and what the provider should change" />
                    <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                        "Raise dispute"
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
    fn a_week_is_named_by_its_monday() {
        assert!(!not_a_monday("2022-08-22"));
        assert!(not_a_monday("2022-08-23"));
    }

    #[test]
    fn each_single_line_error_is_the_lines_field() {
        assert_eq!(
            locate("cpli_ids[1]").map(|field| field.id),
            Some("lines".to_owned())
        );
        assert_eq!(
            locate("from").map(|field| field.id),
            Some("from-day".to_owned())
        );
    }
}
