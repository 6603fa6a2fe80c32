//! Actions and Change Requests (DOMAIN 10; seed 003 section 14.1, seed 004 "View Open
//! Actions"): the actions of the organisation the contact works for (council staff: their
//! council's), newest post first, filtered by Open Actions Only, Assigned To and Type, and
//! "New Action". The filters live in the URL, so View is a link a reload or Back keeps.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use portal_dto::ActionSummary;

use crate::api::{self, query_string, with_token, ActionFilters};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::set_page_title;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::format::date_text;
use crate::session::use_session;

/// The Assigned To filter's value for actions with the provider, as the API names it.
pub const PROVIDER: &str = "provider";

/// "12/07/2022 10:15" from an RFC 3339 UTC timestamp.
pub fn timestamp_text(rfc3339: &str) -> String {
    let date = rfc3339.get(..10).map(date_text).unwrap_or_default();
    let time = rfc3339.get(11..16).unwrap_or_default();
    format!("{date} {time}").trim().to_owned()
}

/// The GOV.UK tag of an action's status: open blue, closure requested yellow, closed grey.
pub fn status_tag_class(status: &str) -> &'static str {
    match status {
        "closure_requested" => "govuk-tag govuk-tag--yellow",
        "closed" => "govuk-tag govuk-tag--grey",
        _ => "govuk-tag govuk-tag--blue",
    }
}

/// The filters a URL's query names. Open Actions Only is on unless `open_only=false`.
pub fn filters_from_query(get: impl Fn(&str) -> Option<String>) -> ActionFilters {
    ActionFilters {
        open_only: get("open_only").as_deref().map(str::trim) != Some("false"),
        type_id: get("type_id").unwrap_or_default(),
        assigned_to: get("assigned_to").unwrap_or_default(),
    }
}

/// The query naming `filters`, read back by [`filters_from_query`]: (name, value) pairs,
/// empty values left out when the URL is written.
pub fn filter_pairs(filters: &ActionFilters) -> [(&'static str, String); 3] {
    [
        (
            "open_only",
            if filters.open_only { "" } else { "false" }.to_owned(),
        ),
        ("assigned_to", filters.assigned_to.clone()),
        ("type_id", filters.type_id.clone()),
    ]
}

/// The Assigned To filter's choices: (value, text), anyone first, then the provider, then
/// each of the council's teams as the list's Assigned To column names them.
pub fn assignee_choices(teams: &[String]) -> Vec<(String, String)> {
    let mut choices = vec![
        (String::new(), "Any".to_owned()),
        (PROVIDER.to_owned(), "Provider".to_owned()),
    ];
    choices.extend(
        teams
            .iter()
            .map(|team| (team.clone(), format!("LA ({team})"))),
    );
    choices
}

fn count_text(count: usize, open_only: bool) -> String {
    match (count, open_only) {
        (0, _) => "There are no actions that match your filter criteria.".to_owned(),
        (1, true) => "1 open action".to_owned(),
        (1, false) => "1 action".to_owned(),
        (count, true) => format!("{count} open actions"),
        (count, false) => format!("{count} actions"),
    }
}

#[component]
pub fn ActionsPage() -> impl IntoView {
    set_page_title("Actions and Change Requests");
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let banner = RwSignal::new(use_flash().take());
    let filters =
        Memo::new(move |_| query.with(|query| filters_from_query(|name| query.get(name))));
    let listed = LocalResource::new(move || {
        let token = session.access_token();
        let filters = filters.get();
        with_token(token, |token| async move {
            api::actions(&token, &filters).await
        })
    });
    sign_out_when_refused(session, listed);
    // The teams and types the filters offer.
    let options = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::action_options(&token).await },
        )
    });
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
        Some(rows) => count_text(rows.len(), filters.with(|filters| filters.open_only)),
        None if problem.with(Option::is_some) => String::new(),
        None => "Loading actions…".to_owned(),
    };

    // The form starts from the URL's filters.
    let open_only = RwSignal::new(true);
    let assigned_to = RwSignal::new(String::new());
    let type_id = RwSignal::new(String::new());
    Effect::new(move |_| {
        let shown = filters.get();
        open_only.set(shown.open_only);
        assigned_to.set(shown.assigned_to);
        type_id.set(shown.type_id);
    });
    let view_actions = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let chosen = ActionFilters {
            open_only: open_only.get_untracked(),
            type_id: type_id.get_untracked(),
            assigned_to: assigned_to.get_untracked(),
        };
        let pairs = filter_pairs(&chosen);
        let pairs: Vec<(&str, &str)> = pairs
            .iter()
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        navigate(
            &format!("/actions{}", query_string(&pairs)),
            NavigateOptions::default(),
        );
    };
    let teams = Memo::new(move |_| {
        options
            .get()
            .and_then(Result::ok)
            .map(|options| options.teams)
            .unwrap_or_default()
    });
    let assignee_options = move || {
        let mut choices = assignee_choices(&teams.get());
        // A filter from the URL that the choices do not hold still shows as chosen.
        let chosen = assigned_to.get();
        if !choices.iter().any(|(value, _)| *value == chosen) {
            choices.push((chosen.clone(), chosen));
        }
        choices
            .into_iter()
            .map(|(value, text)| {
                let this = value.clone();
                view! {
                    <option value=value prop:selected=move || assigned_to.with(|chosen| *chosen == this)>
                        {text}
                    </option>
                }
            })
            .collect_view()
    };
    let type_options = move || {
        options
            .get()
            .and_then(Result::ok)
            .map(|options| options.types)
            .unwrap_or_default()
            .into_iter()
            .map(|option| {
                let this = option.id.clone();
                view! {
                    <option value=option.id prop:selected=move || type_id.with(|chosen| *chosen == this)>
                        {option.name}
                    </option>
                }
            })
            .collect_view()
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
        <form class="app-filters" novalidate on:submit=view_actions aria-label="Filter actions">
            <div class="govuk-form-group">
                <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                    <div class="govuk-checkboxes__item">
                        <input
                            class="govuk-checkboxes__input"
                            id="actions-open-only"
                            name="open_only"
                            type="checkbox"
                            prop:checked=move || open_only.get()
                            on:change=move |event| open_only.set(event_target_checked(&event))
                        />
                        <label class="govuk-label govuk-checkboxes__label" for="actions-open-only">
                            "Open Actions Only"
                        </label>
                    </div>
                </div>
            </div>
            <div class="govuk-form-group">
                <label class="govuk-label" for="actions-assigned-to">"Assigned To"</label>
                <select
                    class="govuk-select"
                    id="actions-assigned-to"
                    name="assigned_to"
                    on:change=move |event| assigned_to.set(event_target_value(&event))
                >
                    {assignee_options}
                </select>
            </div>
            <div class="govuk-form-group">
                <label class="govuk-label" for="actions-type">"Type"</label>
                <select
                    class="govuk-select"
                    id="actions-type"
                    name="type_id"
                    on:change=move |event| type_id.set(event_target_value(&event))
                >
                    <option value="" prop:selected=move || type_id.with(String::is_empty)>"Any"</option>
                    {type_options}
                </select>
            </div>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
                "View Actions"
            </button>
        </form>
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
        <table class="govuk-table app-actions">
            <caption class="govuk-table__caption govuk-visually-hidden">"Actions"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Status"</th>
                    <th scope="col" class="govuk-table__header">"Last Post Date"</th>
                    <th scope="col" class="govuk-table__header">"Title"</th>
                    <th scope="col" class="govuk-table__header">"Re."</th>
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
                            <strong class=status_tag_class(&action.status)>{action.status_label.clone()}</strong>
                        </td>
                        <td class="govuk-table__cell app-nowrap">{timestamp_text(&action.last_post_at)}</td>
                        <td class="govuk-table__cell">
                            <a class="govuk-link" href=format!("/actions/{}", action.id)>{action.title.clone()}</a>
                        </td>
                        <td class="govuk-table__cell">{action.related_label.clone()}</td>
                        {council.then(|| view! { <td class="govuk-table__cell">{action.organisation_name.clone()}</td> })}
                        <td class="govuk-table__cell app-nowrap">
                            {action.due_label.clone()}
                            {action.overdue.then(|| view! {
                                " "<strong class="govuk-tag govuk-tag--red">"Overdue"</strong>
                            })}
                        </td>
                        <td class="govuk-table__cell">{action.type_name.clone()}</td>
                        <td class="govuk-table__cell">{action.assigned_to_label.clone()}</td>
                    </tr>
                </For>
            </tbody>
        </table>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(pairs: &[(&str, &str)]) -> ActionFilters {
        let query: HashMap<String, String> = pairs
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        filters_from_query(|name| query.get(name).cloned())
    }

    #[test]
    fn open_actions_only_is_on_unless_the_url_turns_it_off() {
        assert_eq!(
            read(&[]),
            ActionFilters {
                open_only: true,
                ..ActionFilters::default()
            }
        );
        let chosen = read(&[
            ("open_only", "false"),
            ("assigned_to", "provider"),
            ("type_id", "3"),
        ]);
        assert!(!chosen.open_only);
        assert_eq!(chosen.assigned_to, "provider");
        assert_eq!(chosen.type_id, "3");
        // What the View button writes reads back as the same filters.
        let written = filter_pairs(&chosen);
        let query: Vec<(&str, &str)> = written
            .iter()
            .filter(|(_, value)| !value.is_empty())
            .map(|(name, value)| (*name, value.as_str()))
            .collect();
        assert_eq!(read(&query), chosen);
        let default_pairs = filter_pairs(&read(&[]));
        assert!(default_pairs.iter().all(|(_, value)| value.is_empty()));
    }

    #[test]
    fn assigned_to_offers_anyone_the_provider_and_each_team() {
        let choices = assignee_choices(&["Brokerage Team".to_owned()]);
        assert_eq!(
            choices,
            [
                (String::new(), "Any".to_owned()),
                ("provider".to_owned(), "Provider".to_owned()),
                (
                    "Brokerage Team".to_owned(),
                    "LA (Brokerage Team)".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn statuses_and_counts_read_plainly() {
        assert_eq!(status_tag_class("open"), "govuk-tag govuk-tag--blue");
        assert_eq!(
            status_tag_class("closure_requested"),
            "govuk-tag govuk-tag--yellow"
        );
        assert_eq!(status_tag_class("closed"), "govuk-tag govuk-tag--grey");
        assert_eq!(
            count_text(0, true),
            "There are no actions that match your filter criteria."
        );
        assert_eq!(count_text(1, true), "1 open action");
        assert_eq!(count_text(2, false), "2 actions");
        assert_eq!(timestamp_text("2022-07-12T10:15:00Z"), "12/07/2022 10:15");
    }
}
