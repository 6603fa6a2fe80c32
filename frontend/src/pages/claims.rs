//! One-off claims (DOMAIN 8; the guides' "One-Off Claims" tab): the claims list with its
//! status filter. Providers see the organisation they work for and may make a new claim;
//! council staff see their council's claims and decide them from each claim's page.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use portal_dto::OneOffClaim;

use crate::api::{self, with_token};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::set_page_title;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::format::{date_text, money_text};
use crate::session::use_session;

/// The status filter's choices: (value, label).
const STATUSES: [(&str, &str); 5] = [
    ("", "All statuses"),
    ("submitted", "Submitted"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
    ("paid", "Paid"),
];

/// The GOV.UK tag colour of a claim's status.
pub fn status_tag_class(status: &str) -> &'static str {
    match status {
        "submitted" => "govuk-tag govuk-tag--blue",
        "approved" => "govuk-tag govuk-tag--green",
        "rejected" => "govuk-tag govuk-tag--red",
        "paid" => "govuk-tag govuk-tag--grey",
        _ => "govuk-tag",
    }
}

/// Who a claim is for, as the list and the claim's page say it.
pub fn claimed_for(claim: &OneOffClaim) -> String {
    claim
        .client_name
        .clone()
        .unwrap_or_else(|| format!("{} (provider item)", claim.organisation_name))
}

fn count_text(count: usize) -> String {
    match count {
        0 => "No one-off claims.".to_owned(),
        1 => "1 one-off claim".to_owned(),
        count => format!("{count} one-off claims"),
    }
}

#[component]
pub fn ClaimsPage() -> impl IntoView {
    set_page_title("One-Off Claims");
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let banner = RwSignal::new(use_flash().take());
    let status = Memo::new(move |_| {
        query
            .with(|query| query.get("status"))
            .filter(|status| STATUSES.iter().any(|(value, _)| value == status))
            .unwrap_or_default()
    });
    let listed = LocalResource::new(move || {
        let token = session.access_token();
        let status = status.get();
        with_token(token, |token| async move {
            api::one_off_claims(&token, &status).await
        })
    });
    sign_out_when_refused(session, listed);
    // A contact acting for several organisations sees the one chosen in the header.
    let rows = Memo::new(move |_| {
        listed.get().and_then(Result::ok).map(|page| {
            page.items
                .into_iter()
                .filter(|claim| session.shows_organisation(&claim.organisation_id))
                .collect::<Vec<_>>()
        })
    });
    let problem = Memo::new(move |_| listed.get().and_then(Result::err));
    let chosen = RwSignal::new(status.get_untracked());
    Effect::new(move |_| chosen.set(status.get()));
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        navigate(
            &format!(
                "/one-off-claims{}",
                api::query_string(&[("status", &chosen.get_untracked())])
            ),
            NavigateOptions::default(),
        );
    };
    let summary = move || match rows.get() {
        Some(rows) => count_text(rows.len()),
        None if problem.with(Option::is_some) => String::new(),
        None => "Loading one-off claims…".to_owned(),
    };
    let council = session.is_council();

    view! {
        <SuccessBanner message=banner />
        <h1 class="govuk-heading-l">"One-Off Claims"</h1>
        <p class="govuk-body">
            {if council {
                "Claims providers made outside the care plan. Open a claim to see its evidence and approve or reject it."
            } else {
                "Claim for something outside the care plan, for a client or for your organisation. The council approves or rejects each claim; an approved claim is paid in the next payment period."
            }}
        </p>
        {(!council).then(|| view! {
            <a class="govuk-button" data-module="govuk-button" href="/one-off-claims/new" role="button" draggable="false">
                "New claim"
            </a>
        })}
        <form novalidate on:submit=on_submit>
            <div class="govuk-form-group">
                <label class="govuk-label" for="status">"Status"</label>
                <select
                    class="govuk-select"
                    id="status"
                    name="status"
                    on:change=move |event| chosen.set(event_target_value(&event))
                >
                    {STATUSES
                        .into_iter()
                        .map(|(value, label)| {
                            view! {
                                <option value=value prop:selected=move || chosen.with(|chosen| chosen == value)>
                                    {label}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
            </div>
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">"View"</button>
        </form>
        {move || problem.get().map(|problem| view! { <ProblemText problem /> })}
        <p class="govuk-body govuk-!-font-weight-bold" role="status">{summary}</p>
        <Show when=move || rows.with(|rows| rows.as_ref().is_some_and(|rows| !rows.is_empty()))>
            <ClaimTable rows=Signal::derive(move || rows.get().unwrap_or_default()) council />
        </Show>
    }
}

#[component]
fn ClaimTable(rows: Signal<Vec<OneOffClaim>>, council: bool) -> impl IntoView {
    view! {
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-visually-hidden">"One-off claims"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Date"</th>
                    <th scope="col" class="govuk-table__header">"Description"</th>
                    <th scope="col" class="govuk-table__header">"For"</th>
                    {council.then(|| view! { <th scope="col" class="govuk-table__header">"Provider"</th> })}
                    <th scope="col" class="govuk-table__header">"Contract"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Amount"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"VAT"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Total"</th>
                    <th scope="col" class="govuk-table__header">"Status"</th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">
                <For each=move || rows.get() key=|claim| (claim.id.clone(), claim.version) let:claim>
                    <tr class="govuk-table__row">
                        <td class="govuk-table__cell app-nowrap">{date_text(&claim.claim_date)}</td>
                        <td class="govuk-table__cell">
                            <a class="govuk-link" href=format!("/one-off-claims/{}", claim.id)>
                                {claim.description.clone()}
                            </a>
                        </td>
                        <td class="govuk-table__cell">{claimed_for(&claim)}</td>
                        {council.then(|| view! { <td class="govuk-table__cell">{claim.organisation_name.clone()}</td> })}
                        <td class="govuk-table__cell">{claim.contract_name.clone()}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{money_text(&claim.amount)}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{money_text(&claim.vat)}</td>
                        <td class="govuk-table__cell govuk-table__cell--numeric">{money_text(&claim.total)}</td>
                        <td class="govuk-table__cell">
                            <strong class=status_tag_class(&claim.status)>{claim.status_label.clone()}</strong>
                        </td>
                    </tr>
                </For>
            </tbody>
        </table>
    }
}
