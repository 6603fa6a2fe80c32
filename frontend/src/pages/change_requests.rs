//! Change requests (DOMAIN 10; seed 003 14.2, seed 002 "Actions and Change Requests"): the
//! requests of the organisation the contact works for (council staff: their council's),
//! filtered by status, each with its tag (Pending Review amber, Approved green, Rejected
//! red), what it is about, every changed field's old and new value, who asked and when,
//! who decided and when, and the rejection reason. Council staff open one to Approve it
//! (the change is applied) or Reject it with a reason.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use portal_domain::change_request::ChangeStatus;
use portal_dto::ChangeRequest;

use crate::api::{self, query_string, with_token};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{problem_errors, Field, TextArea};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::title_with_errors;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::pages::actions::timestamp_text;
use crate::session::use_session;

/// The GOV.UK tag of a status code, from the domain's colours.
pub fn status_tag_class(status: &str) -> &'static str {
    ChangeStatus::from_code(status).map_or("govuk-tag govuk-tag--grey", ChangeStatus::tag_class)
}

/// A field's values as the list shows them: "01274 000000 → 01274 999888"; a blank side
/// reads "(none)".
pub fn change_text(old: &str, new: &str) -> String {
    let side = |value: &str| {
        if value.trim().is_empty() {
            "(none)".to_owned()
        } else {
            value.to_owned()
        }
    };
    format!("{} → {}", side(old), side(new))
}

/// A role code as people read it.
pub fn role_text(code: &str) -> String {
    portal_domain::access::ProviderRole::parse(code)
        .map_or_else(|| code.to_owned(), |role| role.label().to_owned())
}

fn shown_value(field: &str, value: &str) -> String {
    if field == "role" {
        role_text(value)
    } else {
        value.to_owned()
    }
}

fn count_text(count: usize) -> String {
    match count {
        0 => "There are no change requests that match your filter criteria.".to_owned(),
        1 => "1 change request".to_owned(),
        count => format!("{count} change requests"),
    }
}

/// Each changed field, as a list.
fn changes_view(request: &ChangeRequest) -> impl IntoView {
    let items = request
        .changes
        .iter()
        .map(|change| {
            let text = change_text(
                &shown_value(&change.field, &change.old),
                &shown_value(&change.field, &change.new),
            );
            view! { <li><strong>{change.label.clone()}</strong>": " {text}</li> }
        })
        .collect_view();
    view! { <ul class="govuk-list app-change-list">{items}</ul> }
}

fn decided_text(request: &ChangeRequest) -> String {
    match (&request.decided_by, &request.decided_at) {
        (Some(by), Some(at)) => format!("{by}, {}", timestamp_text(at)),
        _ => "--".to_owned(),
    }
}

#[component]
pub fn ChangeRequestsPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let banner = RwSignal::new(use_flash().take());
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(|| "Change requests".to_owned(), errors);
    let council = session.is_council();

    let status = Memo::new(move |_| {
        query.with(|query| {
            query
                .get("status")
                .filter(|code| ChangeStatus::from_code(code).is_some())
                .unwrap_or_default()
        })
    });
    let listed = LocalResource::new(move || {
        let token = session.access_token();
        let status = status.get();
        with_token(token, |token| async move {
            api::change_requests(&token, &status).await
        })
    });
    sign_out_when_refused(session, listed);
    let rows = Memo::new(move |_| {
        listed.get().and_then(Result::ok).map(|page| {
            page.items
                .into_iter()
                .filter(|request| session.shows_organisation(&request.organisation_id))
                .collect::<Vec<_>>()
        })
    });
    let problem = Memo::new(move |_| listed.get().and_then(Result::err));

    let chosen = RwSignal::new(String::new());
    Effect::new(move |_| chosen.set(status.get()));
    let view_requests = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let status = chosen.get_untracked();
        navigate(
            &format!("/change-requests{}", query_string(&[("status", &status)])),
            NavigateOptions::default(),
        );
    };
    let status_options = ChangeStatus::ALL
        .iter()
        .map(|status| {
            let code = status.code();
            view! {
                <option value=code prop:selected=move || chosen.with(|chosen| chosen == code)>
                    {status.label()}
                </option>
            }
        })
        .collect_view();

    let table = move || match rows.get() {
        None => match problem.get() {
            Some(problem) => view! { <ProblemText problem /> }.into_any(),
            None => view! { <p class="govuk-body" role="status">"Loading change requests…"</p> }
                .into_any(),
        },
        Some(rows) if rows.is_empty() => {
            view! { <p class="govuk-body">{count_text(0)}</p> }.into_any()
        }
        Some(rows) => {
            let count = count_text(rows.len());
            let body = rows
                .into_iter()
                .map(|request| {
                    let link = format!("/change-requests/{}", request.id);
                    let link_text = if council && request.status == "pending_review" {
                        "Decide"
                    } else {
                        "View"
                    };
                    let about = if request.entity_name.is_empty() {
                        request.organisation_name.clone()
                    } else {
                        request.entity_name.clone()
                    };
                    view! {
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell">
                                <strong class=status_tag_class(&request.status)>{request.status_label.clone()}</strong>
                            </td>
                            <td class="govuk-table__cell">{timestamp_text(&request.requested_at)}<br />{request.requested_by.clone()}</td>
                            <td class="govuk-table__cell">{request.kind_label.clone()}</td>
                            <td class="govuk-table__cell">{about}</td>
                            <td class="govuk-table__cell">{changes_view(&request)}</td>
                            <td class="govuk-table__cell">{decided_text(&request)}</td>
                            <td class="govuk-table__cell">{request.rejection_reason.clone().unwrap_or_default()}</td>
                            <td class="govuk-table__cell">
                                <a class="govuk-link" href=link>
                                    {link_text}
                                    <span class="govuk-visually-hidden">{format!(" {} {}", request.kind_label, request.id)}</span>
                                </a>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p class="govuk-body" role="status">{count}</p>
                <table class="govuk-table app-change-requests">
                    <caption class="govuk-table__caption govuk-visually-hidden">"Change requests"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Status"</th>
                            <th scope="col" class="govuk-table__header">"Submitted"</th>
                            <th scope="col" class="govuk-table__header">"Type"</th>
                            <th scope="col" class="govuk-table__header">"Entity name"</th>
                            <th scope="col" class="govuk-table__header">"Details"</th>
                            <th scope="col" class="govuk-table__header">"Decided"</th>
                            <th scope="col" class="govuk-table__header">"Rejection reason"</th>
                            <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">"Open"</span></th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{body}</tbody>
                </table>
            }
            .into_any()
        }
    };

    view! {
        <SuccessBanner message=banner />
        <ErrorSummary errors />
        <h1 class="govuk-heading-l">"Change requests"</h1>
        <p class="govuk-body">
            {if council {
                "Providers' requests to change their organisation, service and contact details. Open a pending one to approve it (the change is made at once) or reject it with a reason."
            } else {
                "Your organisation's, services' and contacts' details change once the council approves your request. Ask for a change from "
            }}
            {(!council).then(|| view! { <a class="govuk-link" href="/organisation">"Organisation details"</a> "." })}
        </p>
        <form class="app-filters" novalidate on:submit=view_requests aria-label="Filter change requests">
            <div class="govuk-form-group">
                <label class="govuk-label" for="change-requests-status">"Status"</label>
                <select
                    class="govuk-select"
                    id="change-requests-status"
                    name="status"
                    on:change=move |event| chosen.set(event_target_value(&event))
                >
                    <option value="" prop:selected=move || chosen.with(String::is_empty)>"[Any]"</option>
                    {status_options}
                </select>
            </div>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">"View"</button>
        </form>
        {table}
    }
}

fn reason_fields() -> Vec<Field> {
    vec![Field::new(
        "reason",
        "rejection-reason",
        "Reason for rejecting",
        "Enter the reason for rejecting the change request",
    )]
}

#[component]
pub fn ChangeRequestPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let request_id = move || params.with(|params| params.get("id").unwrap_or_default());
    let banner = RwSignal::new(use_flash().take());
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(|| "Change request".to_owned(), errors);
    let council = session.is_council();
    let loaded = RwSignal::new(None::<Result<ChangeRequest, portal_dto::Problem>>);
    let load = move || {
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let id = request_id();
        spawn_local(async move {
            let result = api::change_request(&token, &id).await;
            if matches!(&result, Err(problem) if problem.status == 401) {
                session.sign_out();
            }
            loaded.try_set(Some(result));
        });
    };
    Effect::new(move |_| {
        request_id();
        load();
    });
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let password = RwSignal::new(None::<String>);

    let approve = move |_| {
        let Some(Ok(current)) = loaded.get_untracked() else {
            return;
        };
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        busy.set(true);
        errors.set(Vec::new());
        spawn_local(async move {
            let outcome = api::approve_change_request(&token, &current.id, current.version).await;
            busy.set(false);
            match outcome {
                Ok(approved) => {
                    banner.set(Some(
                        "Change request approved: the change has been made.".to_owned(),
                    ));
                    password.set(approved.temporary_password);
                    loaded.set(Some(Ok(approved.change_request)));
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(problem_errors(&problem, |_| None)),
            }
        });
    };
    let reject = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(Ok(current)) = loaded.get_untracked() else {
            return;
        };
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let text = reason.get_untracked().trim().to_owned();
        if text.is_empty() {
            errors.set(vec![SummaryError::at(
                "rejection-reason",
                "Enter the reason for rejecting the change request",
            )]);
            return;
        }
        busy.set(true);
        errors.set(Vec::new());
        spawn_local(async move {
            let outcome =
                api::reject_change_request(&token, &current.id, current.version, &text).await;
            busy.set(false);
            match outcome {
                Ok(updated) => {
                    banner.set(Some("Change request rejected.".to_owned()));
                    reason.set(String::new());
                    loaded.set(Some(Ok(updated)));
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => {
                    let fields = reason_fields();
                    errors.set(problem_errors(&problem, |api| {
                        fields.iter().find(|field| field.api == api).cloned()
                    }))
                }
            }
        });
    };

    let content = move || match loaded.get() {
        None => view! { <p class="govuk-body" role="status">"Loading the change request…"</p> }
            .into_any(),
        Some(Err(problem)) => view! {
            <h1 class="govuk-heading-l">"Change request"</h1>
            <ProblemText problem />
        }
        .into_any(),
        Some(Ok(request)) => {
            let pending = request.status == "pending_review";
            let about = if request.entity_name.is_empty() {
                request.organisation_name.clone()
            } else {
                request.entity_name.clone()
            };
            let rows = vec![
                ("Organisation", request.organisation_name.clone()),
                (
                    "Requested by",
                    format!(
                        "{}, {}",
                        request.requested_by,
                        timestamp_text(&request.requested_at)
                    ),
                ),
                ("Decided by", decided_text(&request)),
            ];
            let rows = rows
                .into_iter()
                .map(|(key, value)| {
                    view! {
                        <div class="govuk-summary-list__row">
                            <dt class="govuk-summary-list__key">{key}</dt>
                            <dd class="govuk-summary-list__value">{value}</dd>
                        </div>
                    }
                })
                .collect_view();
            let reason_row = request.rejection_reason.clone().map(|text| {
                view! {
                    <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">"Rejection reason"</dt>
                        <dd class="govuk-summary-list__value">{text}</dd>
                    </div>
                }
            });
            let changes = request
                .changes
                .iter()
                .map(|change| view! {
                    <tr class="govuk-table__row">
                        <th scope="row" class="govuk-table__header">{change.label.clone()}</th>
                        <td class="govuk-table__cell">{shown_value(&change.field, &change.old)}</td>
                        <td class="govuk-table__cell">{shown_value(&change.field, &change.new)}</td>
                    </tr>
                })
                .collect_view();
            view! {
                <span class="govuk-caption-l">{request.kind_label.clone()}</span>
                <h1 class="govuk-heading-l">{about}</h1>
                <p class="govuk-body">
                    <strong class=status_tag_class(&request.status)>{request.status_label.clone()}</strong>
                </p>
                <dl class="govuk-summary-list">{rows}{reason_row}</dl>
                <table class="govuk-table">
                    <caption class="govuk-table__caption govuk-table__caption--m">"Changes"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Detail"</th>
                            <th scope="col" class="govuk-table__header">"Now"</th>
                            <th scope="col" class="govuk-table__header">"Requested"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{changes}</tbody>
                </table>
                {(council && pending).then(|| view! {
                    <h2 class="govuk-heading-m">"Decide"</h2>
                    <button type="button" class="govuk-button" data-module="govuk-button"
                        prop:disabled=move || busy.get() on:click=approve>
                        "Approve"
                    </button>
                    <form novalidate on:submit=reject aria-label="Reject the change request">
                        <TextArea id="rejection-reason" label="Reason for rejecting" value=reason errors
                            hint="The provider sees this reason." />
                        <button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button"
                            prop:disabled=move || busy.get()>
                            "Reject"
                        </button>
                    </form>
                })}
            }
            .into_any()
        }
    };
    let new_password = move || {
        password.get().map(|password| view! {
            <div class="govuk-inset-text">
                "The new contact's account is made. Their one-time password, shown only now: "
                <code class="app-secret">{password}</code>
                ". Pass it on securely: they choose their own password and security code when they first sign in."
            </div>
        })
    };
    view! {
        <a class="govuk-back-link" href="/change-requests">"Back to change requests"</a>
        <SuccessBanner message=banner />
        <ErrorSummary errors />
        {new_password}
        {content}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_have_the_guides_colours() {
        assert_eq!(
            status_tag_class("pending_review"),
            "govuk-tag govuk-tag--orange"
        );
        assert_eq!(status_tag_class("approved"), "govuk-tag govuk-tag--green");
        assert_eq!(status_tag_class("rejected"), "govuk-tag govuk-tag--red");
    }

    #[test]
    fn a_change_reads_old_to_new() {
        assert_eq!(
            change_text("01274 000000", "01274 999888"),
            "01274 000000 → 01274 999888"
        );
        assert_eq!(change_text("", "Dawn"), "(none) → Dawn");
        assert_eq!(role_text("administration"), "Administration");
        assert_eq!(shown_value("role", "manager"), "Manager");
        assert_eq!(count_text(2), "2 change requests");
    }
}
