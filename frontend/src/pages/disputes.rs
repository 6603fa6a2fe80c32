//! Disputes (DOMAIN 9; seed 000 "Responding to Disputes", seed 002 "Disputes"): the disputes
//! of the organisation the contact works for (council staff: their council's), filtered by
//! client, dates and status; "Edit" (provider) or "Open" (council) leads to the dispute.
//! The filters live in the URL, so View and Reset are links a reload or Back keeps.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use portal_dto::{ClientRef, DisputeSummary};

use crate::api::{self, query_string, with_token, DisputeFilters};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{checked_date, DateInput, DateParts};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::title_with_errors;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::session::use_session;

/// The statuses a dispute moves through, as the API codes and the guides name them.
pub const STATUSES: [(&str, &str); 3] = [
    ("in_dispute", "In Dispute"),
    ("resolution_requested", "Resolution Requested"),
    ("resolved", "Resolved"),
];

/// The GOV.UK tag colour of a status.
pub fn status_tag_class(status: &str) -> &'static str {
    match status {
        "in_dispute" => "govuk-tag govuk-tag--red",
        "resolution_requested" => "govuk-tag govuk-tag--yellow",
        _ => "govuk-tag govuk-tag--green",
    }
}

/// The filters a URL's query names; unknown statuses are left out.
pub fn filters_from_query(get: impl Fn(&str) -> Option<String>) -> DisputeFilters {
    let statuses = get("status")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|code| STATUSES.iter().any(|(known, _)| known == code))
        .map(str::to_owned)
        .collect();
    DisputeFilters {
        client: get("client").unwrap_or_default(),
        from: get("from").unwrap_or_default(),
        to: get("to").unwrap_or_default(),
        statuses,
    }
}

/// The page's own URL for `filters`, read back by [`filters_from_query`].
pub fn filters_url(filters: &DisputeFilters) -> String {
    let statuses = filters.statuses.join(",");
    format!(
        "/disputes{}",
        query_string(&[
            ("client", &filters.client),
            ("from", &filters.from),
            ("to", &filters.to),
            ("status", &statuses),
        ])
    )
}

fn count_text(count: usize) -> String {
    match count {
        0 => "No disputes match these filters.".to_owned(),
        1 => "1 dispute".to_owned(),
        count => format!("{count} disputes"),
    }
}

#[component]
pub fn DisputesPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let banner = RwSignal::new(use_flash().take());
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(|| "Disputes".to_owned(), errors);
    let council = session.is_council();

    let filters =
        Memo::new(move |_| query.with(|query| filters_from_query(|name| query.get(name))));
    let listed = LocalResource::new(move || {
        let token = session.access_token();
        let filters = filters.get();
        with_token(token, |token| async move {
            api::disputes(&token, &filters).await
        })
    });
    sign_out_when_refused(session, listed);
    // Every dispute, for the client filter's choices: the clients with a dispute.
    let everything = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move {
            api::disputes(&token, &DisputeFilters::default()).await
        })
    });
    let mine = move |dispute: &DisputeSummary| session.shows_organisation(&dispute.organisation_id);
    let rows = Memo::new(move |_| {
        listed.get().and_then(Result::ok).map(|page| {
            page.items
                .into_iter()
                .filter(|dispute| mine(dispute))
                .collect::<Vec<_>>()
        })
    });
    let clients = Memo::new(move |_| {
        let mut clients: Vec<ClientRef> = Vec::new();
        for dispute in everything
            .get()
            .and_then(Result::ok)
            .map(|page| page.items)
            .unwrap_or_default()
        {
            if mine(&dispute) && !clients.iter().any(|known| known.id == dispute.client.id) {
                clients.push(dispute.client);
            }
        }
        clients.sort_by(|a, b| a.sort_name.cmp(&b.sort_name));
        clients
    });
    let problem = Memo::new(move |_| listed.get().and_then(Result::err));

    // The form starts from the URL's filters.
    let client = RwSignal::new(String::new());
    let from = DateParts::new();
    let to = DateParts::new();
    let ticked = STATUSES.map(|_| RwSignal::new(false));
    Effect::new(move |_| {
        let shown = filters.get();
        client.set(shown.client.clone());
        from.set_iso(Some(&shown.from));
        to.set_iso(Some(&shown.to));
        for ((code, _), tick) in STATUSES.iter().zip(ticked) {
            tick.set(shown.statuses.iter().any(|status| status == code));
        }
    });

    let view_disputes = {
        let navigate = navigate.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let mut lines = Vec::new();
            let from = checked_date(
                &from,
                "disputes-from",
                "Actuals/Visits from",
                None,
                &mut lines,
            );
            let to = checked_date(&to, "disputes-to", "Actuals/Visits to", None, &mut lines);
            if let (Some(from), Some(to)) = (&from, &to) {
                if to < from {
                    lines.push(SummaryError::at(
                        "disputes-to-day",
                        "Actuals/Visits to must be the same as or after Actuals/Visits from",
                    ));
                }
            }
            errors.set(lines);
            if !errors.with_untracked(Vec::is_empty) {
                return;
            }
            let chosen = DisputeFilters {
                client: client.get_untracked(),
                from: from.unwrap_or_default(),
                to: to.unwrap_or_default(),
                statuses: STATUSES
                    .iter()
                    .zip(ticked)
                    .filter(|(_, tick)| tick.get_untracked())
                    .map(|((code, _), _)| (*code).to_owned())
                    .collect(),
            };
            navigate(&filters_url(&chosen), NavigateOptions::default());
        }
    };
    let reset = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        errors.set(Vec::new());
        navigate("/disputes", NavigateOptions::default());
    };

    let status_boxes = STATUSES
        .iter()
        .zip(ticked)
        .map(|((code, label), tick)| {
            let id = format!("disputes-status-{code}");
            view! {
                <div class="govuk-checkboxes__item">
                    <input
                        class="govuk-checkboxes__input"
                        id=id.clone()
                        name="status"
                        type="checkbox"
                        value=*code
                        prop:checked=move || tick.get()
                        on:change=move |event| tick.set(event_target_checked(&event))
                    />
                    <label class="govuk-label govuk-checkboxes__label" for=id>{*label}</label>
                </div>
            }
        })
        .collect_view();
    let client_options = move || {
        clients
            .get()
            .into_iter()
            .map(|option| {
                let id = option.id.clone();
                view! {
                    <option value=option.id.clone() prop:selected=move || client.with(|chosen| *chosen == id)>
                        {format!("{} ({})", option.sort_name, option.ssref)}
                    </option>
                }
            })
            .collect_view()
    };
    let summary = move || match rows.get() {
        Some(rows) => count_text(rows.len()),
        None if problem.with(Option::is_some) => String::new(),
        None => "Loading disputes…".to_owned(),
    };

    view! {
        <SuccessBanner message=banner />
        <ErrorSummary errors />
        <h1 class="govuk-heading-l">"Disputes"</h1>
        <p class="govuk-body">
            {if council {
                "Disputes of providers' actuals: open one to see the provider's response and the lines, then resolve or reopen it."
            } else {
                "The council disputes actuals that differ from the plan. Choose Edit to respond, correct the actuals and request resolution."
            }}
        </p>
        {council.then(|| view! {
            <a class="govuk-button" data-module="govuk-button" href="/disputes/new" role="button" draggable="false">
                "Raise a dispute"
            </a>
        })}
        <form class="app-filters" novalidate on:submit=view_disputes aria-label="Filter disputes">
            <div class="govuk-form-group">
                <label class="govuk-label" for="disputes-client">"Client"</label>
                <select
                    class="govuk-select"
                    id="disputes-client"
                    name="client"
                    on:change=move |event| client.set(event_target_value(&event))
                >
                    <option value="" prop:selected=move || client.with(String::is_empty)>"[All Clients]"</option>
                    {client_options}
                </select>
            </div>
            <DateInput id="disputes-from" legend="Actuals/Visits from" parts=from errors />
            <DateInput id="disputes-to" legend="Actuals/Visits to" parts=to errors />
            <div class="govuk-form-group">
                <fieldset class="govuk-fieldset">
                    <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Status"</legend>
                    <div class="govuk-hint">"Tick none for every status"</div>
                    <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                        {status_boxes}
                    </div>
                </fieldset>
            </div>
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button" data-module="govuk-button">"View"</button>
                <a class="govuk-link" href="/disputes" on:click=reset>"Reset"</a>
            </div>
        </form>
        {move || problem.get().map(|problem| view! { <ProblemText problem /> })}
        <p class="govuk-body govuk-!-font-weight-bold" role="status">{summary}</p>
        <Show when=move || rows.with(|rows| rows.as_ref().is_some_and(|rows| !rows.is_empty()))>
            <DisputeTable rows=Signal::derive(move || rows.get().unwrap_or_default()) council />
        </Show>
    }
}

#[component]
fn DisputeTable(rows: Signal<Vec<DisputeSummary>>, council: bool) -> impl IntoView {
    let action = if council { "Open" } else { "Edit" };
    view! {
        <div class="app-table-wrapper">
            <table class="govuk-table app-disputes-table">
                <caption class="govuk-table__caption govuk-visually-hidden">"Disputes"</caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                        <th scope="col" class="govuk-table__header">"Client"</th>
                        {council.then(|| view! { <th scope="col" class="govuk-table__header">"Provider"</th> })}
                        <th scope="col" class="govuk-table__header">"Status"</th>
                        <th scope="col" class="govuk-table__header">"Reason"</th>
                        <th scope="col" class="govuk-table__header">"Details"</th>
                        <th scope="col" class="govuk-table__header">"Response"</th>
                        <th scope="col" class="govuk-table__header">"Date Range"</th>
                        <th scope="col" class="govuk-table__header">
                            <span class="govuk-visually-hidden">"Action"</span>
                        </th>
                    </tr>
                </thead>
                <tbody class="govuk-table__body">
                    <For each=move || rows.get() key=|dispute| (dispute.id.clone(), dispute.version) let:dispute>
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell">{dispute.client.sort_name.clone()}</td>
                            {council.then(|| view! { <td class="govuk-table__cell">{dispute.organisation_name.clone()}</td> })}
                            <td class="govuk-table__cell">
                                <strong class=status_tag_class(&dispute.status)>{dispute.status_label.clone()}</strong>
                            </td>
                            <td class="govuk-table__cell">{dispute.reason.clone()}</td>
                            <td class="govuk-table__cell">{dispute.details.clone()}</td>
                            <td class="govuk-table__cell">{dispute.response.clone()}</td>
                            <td class="govuk-table__cell app-nowrap">{dispute.date_range_label.clone()}</td>
                            <td class="govuk-table__cell">
                                <a class="govuk-link" href=format!("/disputes/{}", dispute.id)>
                                    {action}
                                    <span class="govuk-visually-hidden">
                                        {format!(" the dispute for {}, {}", dispute.client.sort_name, dispute.date_range_label)}
                                    </span>
                                </a>
                            </td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_keeps_the_filters_and_drops_unknown_statuses() {
        let chosen = DisputeFilters {
            client: String::new(),
            from: "2022-08-01".to_owned(),
            to: String::new(),
            statuses: vec!["in_dispute".to_owned(), "resolved".to_owned()],
        };
        let query = |name: &str| match name {
            "from" => Some("2022-08-01".to_owned()),
            "status" => Some("in_dispute,bogus,resolved".to_owned()),
            _ => None,
        };
        assert_eq!(filters_from_query(query), chosen);
        assert_eq!(filters_from_query(|_| None), DisputeFilters::default());
    }

    #[test]
    fn counts_read_as_sentences() {
        assert_eq!(count_text(0), "No disputes match these filters.");
        assert_eq!(count_text(1), "1 dispute");
        assert_eq!(count_text(3), "3 disputes");
    }
}
