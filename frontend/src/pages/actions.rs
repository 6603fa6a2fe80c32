//! Actions and Change Requests (DOMAIN 10): the open actions of the organisation the contact
//! works for (council staff: their council's), newest post first, and "New Action".

use leptos::prelude::*;
use portal_dto::ActionSummary;

use crate::api::{self, with_token};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::set_page_title;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::format::date_text;
use crate::session::use_session;

/// "12/07/2022 10:15" from an RFC 3339 UTC timestamp.
pub fn timestamp_text(rfc3339: &str) -> String {
    let date = rfc3339.get(..10).map(date_text).unwrap_or_default();
    let time = rfc3339.get(11..16).unwrap_or_default();
    format!("{date} {time}").trim().to_owned()
}

fn count_text(count: usize) -> String {
    match count {
        0 => "There are no open actions.".to_owned(),
        1 => "1 open action".to_owned(),
        count => format!("{count} open actions"),
    }
}

#[component]
pub fn ActionsPage() -> impl IntoView {
    set_page_title("Actions and Change Requests");
    let session = use_session();
    let banner = RwSignal::new(use_flash().take());
    let listed = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::actions(&token, true).await },
        )
    });
    sign_out_when_refused(session, listed);
    let rows = Memo::new(move |_| {
        listed.get().and_then(Result::ok).map(|page| {
            page.items
                .into_iter()
                .filter(|action| session.shows_organisation(&action.organisation_id))
                .collect::<Vec<_>>()
        })
    });
    let problem = Memo::new(move |_| listed.get().and_then(Result::err));
    let summary = move || match rows.get() {
        Some(rows) => count_text(rows.len()),
        None if problem.with(Option::is_some) => String::new(),
        None => "Loading actions…".to_owned(),
    };
    let council = session.is_council();
    view! {
        <SuccessBanner message=banner />
        <h1 class="govuk-heading-l">"Actions and Change Requests"</h1>
        <h2 class="govuk-heading-m">"Actions"</h2>
        <p class="govuk-body">
            {if council {
                "Conversations with providers about their clients, contracts and services."
            } else {
                "Raise a query or a request with the council about a client, contract or service. The council's team answers in the action's thread."
            }}
        </p>
        <a class="govuk-button" data-module="govuk-button" href="/actions/new" role="button" draggable="false">
            "New Action"
        </a>
        {move || problem.get().map(|problem| view! { <ProblemText problem /> })}
        <p class="govuk-body govuk-!-font-weight-bold" role="status">{summary}</p>
        <Show when=move || rows.with(|rows| rows.as_ref().is_some_and(|rows| !rows.is_empty()))>
            <ActionTable rows=Signal::derive(move || rows.get().unwrap_or_default()) council />
        </Show>
    }
}

#[component]
fn ActionTable(rows: Signal<Vec<ActionSummary>>, council: bool) -> impl IntoView {
    view! {
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-visually-hidden">"Open actions"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Status"</th>
                    <th scope="col" class="govuk-table__header">"Last Post Date"</th>
                    <th scope="col" class="govuk-table__header">"Title"</th>
                    <th scope="col" class="govuk-table__header">"Re:"</th>
                    {council.then(|| view! { <th scope="col" class="govuk-table__header">"Provider"</th> })}
                    <th scope="col" class="govuk-table__header">"Due"</th>
                    <th scope="col" class="govuk-table__header">"Type"</th>
                    <th scope="col" class="govuk-table__header">"Assigned To"</th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">
                <For each=move || rows.get() key=|action| (action.id.clone(), action.version) let:action>
                    <tr class="govuk-table__row">
                        <td class="govuk-table__cell">
                            <strong class="govuk-tag govuk-tag--blue">{action.status_label.clone()}</strong>
                        </td>
                        <td class="govuk-table__cell app-nowrap">{timestamp_text(&action.last_post_at)}</td>
                        <td class="govuk-table__cell">
                            <a class="govuk-link" href=format!("/actions/{}", action.id)>{action.title.clone()}</a>
                        </td>
                        <td class="govuk-table__cell">{action.related_label.clone()}</td>
                        {council.then(|| view! { <td class="govuk-table__cell">{action.organisation_name.clone()}</td> })}
                        <td class="govuk-table__cell app-nowrap">{action.due_label.clone()}</td>
                        <td class="govuk-table__cell">{action.type_name.clone()}</td>
                        <td class="govuk-table__cell">{action.assigned_to_label.clone()}</td>
                    </tr>
                </For>
            </tbody>
        </table>
    }
}
