//! Contract documents (DOMAIN 11; seed 003 "Contract Documents"): the documents the council
//! published for the organisation the contact works for (council staff: their council's),
//! filtered by service, client and status, terminated ones too; "View" leads to a document,
//! where the provider downloads, agrees or rejects it. Council staff publish new ones.
//! The filters live in the URL, so View and Reset are links a reload or Back keeps.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use portal_dto::ContractDocument;

use crate::api::{self, query_string, with_token, ContractDocumentFilters};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::set_page_title;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::format::date_text;
use crate::session::use_session;

/// The statuses a document can have, as the API codes and the screens name them.
pub const STATUSES: [(&str, &str); 4] = [
    ("published", "Published"),
    ("agreed", "Agreed"),
    ("rejected", "Rejected"),
    ("terminated", "Terminated"),
];

/// The GOV.UK tag colour of a status: awaiting the provider blue, agreed green, rejected
/// red, terminated grey.
pub fn status_tag_class(status: &str) -> &'static str {
    match status {
        "agreed" => "govuk-tag govuk-tag--green",
        "rejected" => "govuk-tag govuk-tag--red",
        "terminated" => "govuk-tag govuk-tag--grey",
        _ => "govuk-tag govuk-tag--blue",
    }
}

/// "01/04/2022 to 31/03/2023", or "From 01/04/2022" with no end.
pub fn dates_text(starts_on: &str, ends_on: Option<&str>) -> String {
    match ends_on {
        Some(end) if !end.is_empty() => {
            format!("{} to {}", date_text(starts_on), date_text(end))
        }
        _ => format!("From {}", date_text(starts_on)),
    }
}

/// The filters a URL's query names; an unknown status is left out.
pub fn filters_from_query(get: impl Fn(&str) -> Option<String>) -> ContractDocumentFilters {
    let status = get("status")
        .map(|status| status.trim().to_owned())
        .filter(|status| STATUSES.iter().any(|(code, _)| code == status))
        .unwrap_or_default();
    ContractDocumentFilters {
        service_id: get("service_id").unwrap_or_default(),
        client_id: get("client_id").unwrap_or_default(),
        status,
    }
}

/// The page's own URL for `filters`, read back by [`filters_from_query`].
pub fn filters_url(filters: &ContractDocumentFilters) -> String {
    format!(
        "/contract-documents{}",
        query_string(&[
            ("service_id", &filters.service_id),
            ("client_id", &filters.client_id),
            ("status", &filters.status),
        ])
    )
}

fn count_text(count: usize) -> String {
    match count {
        0 => "No contract documents match these filters.".to_owned(),
        1 => "1 contract document".to_owned(),
        count => format!("{count} contract documents"),
    }
}

#[component]
pub fn ContractDocumentsPage() -> impl IntoView {
    set_page_title("Contract documents");
    let session = use_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let banner = RwSignal::new(use_flash().take());
    let council = session.is_council();

    let filters =
        Memo::new(move |_| query.with(|query| filters_from_query(|name| query.get(name))));
    let listed = LocalResource::new(move || {
        let token = session.access_token();
        let filters = filters.get();
        with_token(token, |token| async move {
            api::contract_documents(&token, &filters).await
        })
    });
    sign_out_when_refused(session, listed);
    // Every document, for the client filter's choices: the clients with a document.
    let everything = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move {
            api::contract_documents(&token, &ContractDocumentFilters::default()).await
        })
    });
    let services = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move { api::services(&token).await })
    });
    let mine =
        move |document: &ContractDocument| session.shows_organisation(&document.organisation_id);
    let rows = Memo::new(move |_| {
        listed.get().and_then(Result::ok).map(|page| {
            page.items
                .into_iter()
                .filter(|document| mine(document))
                .collect::<Vec<_>>()
        })
    });
    let clients = Memo::new(move |_| {
        let mut clients: Vec<(String, String)> = Vec::new();
        for document in everything
            .get()
            .and_then(Result::ok)
            .map(|page| page.items)
            .unwrap_or_default()
        {
            if let (true, Some(id), Some(name)) =
                (mine(&document), document.client_id, document.client_name)
            {
                if !clients.iter().any(|(known, _)| *known == id) {
                    clients.push((id, name));
                }
            }
        }
        clients.sort_by(|a, b| a.1.cmp(&b.1));
        clients
    });
    let service_choices = Memo::new(move |_| {
        services
            .get()
            .and_then(Result::ok)
            .map(|page| {
                page.items
                    .into_iter()
                    .filter(|service| session.shows_organisation(&service.organisation_id))
                    .map(|service| {
                        let name = if council {
                            format!("{} ({})", service.name, service.organisation_name)
                        } else {
                            service.name
                        };
                        (service.id, name)
                    })
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    let problem = Memo::new(move |_| listed.get().and_then(Result::err));

    // The form starts from the URL's filters.
    let service = RwSignal::new(String::new());
    let client = RwSignal::new(String::new());
    let status = RwSignal::new(String::new());
    Effect::new(move |_| {
        let shown = filters.get();
        service.set(shown.service_id);
        client.set(shown.client_id);
        status.set(shown.status);
    });

    let view_documents = {
        let navigate = navigate.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let chosen = ContractDocumentFilters {
                service_id: service.get_untracked(),
                client_id: client.get_untracked(),
                status: status.get_untracked(),
            };
            navigate(&filters_url(&chosen), NavigateOptions::default());
        }
    };
    let reset = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        navigate("/contract-documents", NavigateOptions::default());
    };

    let select_options = move |choices: Vec<(String, String)>, chosen: RwSignal<String>| {
        choices
            .into_iter()
            .map(|(id, name)| {
                let selected = id.clone();
                view! {
                    <option value=id prop:selected=move || chosen.with(|chosen| *chosen == selected)>
                        {name}
                    </option>
                }
            })
            .collect_view()
    };
    let summary = move || match rows.get() {
        Some(rows) => count_text(rows.len()),
        None if problem.with(Option::is_some) => String::new(),
        None => "Loading contract documents…".to_owned(),
    };

    view! {
        <SuccessBanner message=banner />
        <h1 class="govuk-heading-l">"Contract documents"</h1>
        <p class="govuk-body">
            {if council {
                "Documents published to providers for their services: open one to see who signed it, or to terminate it."
            } else {
                "Services are agreed through these documents. Choose View to download one and agree or reject it with your password."
            }}
        </p>
        {council.then(|| view! {
            <a class="govuk-button" data-module="govuk-button" href="/contract-documents/new" role="button" draggable="false">
                "Publish contract document"
            </a>
        })}
        <form class="app-filters" novalidate on:submit=view_documents aria-label="Filter contract documents">
            <div class="govuk-form-group">
                <label class="govuk-label" for="documents-service">"Service"</label>
                <select
                    class="govuk-select"
                    id="documents-service"
                    name="service_id"
                    on:change=move |event| service.set(event_target_value(&event))
                >
                    <option value="" prop:selected=move || service.with(String::is_empty)>"[All Services]"</option>
                    {move || select_options(service_choices.get(), service)}
                </select>
            </div>
            <div class="govuk-form-group">
                <label class="govuk-label" for="documents-client">"Client"</label>
                <select
                    class="govuk-select"
                    id="documents-client"
                    name="client_id"
                    on:change=move |event| client.set(event_target_value(&event))
                >
                    <option value="" prop:selected=move || client.with(String::is_empty)>"[All Clients]"</option>
                    {move || select_options(clients.get(), client)}
                </select>
            </div>
            <div class="govuk-form-group">
                <label class="govuk-label" for="documents-status">"Status"</label>
                <select
                    class="govuk-select"
                    id="documents-status"
                    name="status"
                    on:change=move |event| status.set(event_target_value(&event))
                >
                    <option value="" prop:selected=move || status.with(String::is_empty)>"[All Statuses]"</option>
                    {move || select_options(
                        STATUSES.iter().map(|(code, label)| ((*code).to_owned(), (*label).to_owned())).collect(),
                        status,
                    )}
                </select>
            </div>
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button" data-module="govuk-button">"View"</button>
                <a class="govuk-link" href="/contract-documents" on:click=reset>"Reset"</a>
            </div>
        </form>
        {move || problem.get().map(|problem| view! { <ProblemText problem /> })}
        <p class="govuk-body govuk-!-font-weight-bold" role="status">{summary}</p>
        <Show when=move || rows.with(|rows| rows.as_ref().is_some_and(|rows| !rows.is_empty()))>
            <DocumentTable rows=Signal::derive(move || rows.get().unwrap_or_default()) council />
        </Show>
    }
}

#[component]
fn DocumentTable(rows: Signal<Vec<ContractDocument>>, council: bool) -> impl IntoView {
    view! {
        <div class="app-table-wrapper">
            <table class="govuk-table app-contract-documents-table">
                <caption class="govuk-table__caption govuk-visually-hidden">"Contract documents"</caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                        <th scope="col" class="govuk-table__header">"Title"</th>
                        <th scope="col" class="govuk-table__header">"Type"</th>
                        {council.then(|| view! { <th scope="col" class="govuk-table__header">"Provider"</th> })}
                        <th scope="col" class="govuk-table__header">"Service"</th>
                        <th scope="col" class="govuk-table__header">"Client"</th>
                        <th scope="col" class="govuk-table__header">"Dates"</th>
                        <th scope="col" class="govuk-table__header">"Published"</th>
                        <th scope="col" class="govuk-table__header">"Status"</th>
                        <th scope="col" class="govuk-table__header">
                            <span class="govuk-visually-hidden">"Action"</span>
                        </th>
                    </tr>
                </thead>
                <tbody class="govuk-table__body">
                    <For each=move || rows.get() key=|document| (document.id.clone(), document.version) let:document>
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell">{document.title.clone()}</td>
                            <td class="govuk-table__cell">{document.document_type.clone()}</td>
                            {council.then(|| view! { <td class="govuk-table__cell">{document.organisation_name.clone()}</td> })}
                            <td class="govuk-table__cell">{document.service_name.clone()}</td>
                            <td class="govuk-table__cell">
                                {document.client_name.clone().unwrap_or_else(|| "All clients".to_owned())}
                            </td>
                            <td class="govuk-table__cell app-nowrap">
                                {dates_text(&document.starts_on, document.ends_on.as_deref())}
                            </td>
                            <td class="govuk-table__cell app-nowrap">
                                {date_text(document.published_at.get(..10).unwrap_or_default())}
                            </td>
                            <td class="govuk-table__cell">
                                <strong class=status_tag_class(&document.status)>{document.status_label.clone()}</strong>
                            </td>
                            <td class="govuk-table__cell">
                                <a class="govuk-link" href=format!("/contract-documents/{}", document.id)>
                                    "View"
                                    <span class="govuk-visually-hidden">{format!(" {}", document.title)}</span>
                                </a>
                            </td>
                        </tr>
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// "1 document awaiting your agreement", for the home page's notice.
pub fn awaiting_text(count: usize) -> String {
    match count {
        1 => "1 document awaiting your agreement".to_owned(),
        count => format!("{count} documents awaiting your agreement"),
    }
}

/// On a provider's home page, above the tiles like the disputes notice: the published
/// documents of the organisation the contact works for, which wait for them to agree or
/// reject. Nothing when none wait, and nothing for council staff.
#[component]
pub fn AwaitingAgreementNotice() -> impl IntoView {
    let session = use_session();
    let council = session.is_council();
    let published = LocalResource::new(move || {
        let token = session.access_token();
        async move {
            if council {
                return None;
            }
            let filters = ContractDocumentFilters {
                status: "published".to_owned(),
                ..ContractDocumentFilters::default()
            };
            with_token(token, |token| async move {
                api::contract_documents(&token, &filters).await
            })
            .await
            .ok()
        }
    });
    move || {
        let count = published.get().flatten().map(|page| {
            page.items
                .iter()
                .filter(|document| session.shows_organisation(&document.organisation_id))
                .count()
        })?;
        (count > 0).then(|| {
            view! {
                <div class="govuk-inset-text app-contract-documents-notice">
                    <p class="govuk-body govuk-!-margin-bottom-0">
                        <a class="govuk-link govuk-!-font-weight-bold" href="/contract-documents?status=published">
                            "Contract documents"
                        </a>
                        ": "
                        <span>{awaiting_text(count)}</span>
                    </p>
                </div>
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_url_keeps_the_filters_and_drops_an_unknown_status() {
        let query = |name: &str| match name {
            "service_id" => Some("3".to_owned()),
            "status" => Some("agreed".to_owned()),
            _ => None,
        };
        let chosen = ContractDocumentFilters {
            service_id: "3".to_owned(),
            client_id: String::new(),
            status: "agreed".to_owned(),
        };
        assert_eq!(filters_from_query(query), chosen);
        let bogus = |name: &str| (name == "status").then(|| "signed".to_owned());
        assert_eq!(
            filters_from_query(bogus),
            ContractDocumentFilters::default()
        );
    }

    #[test]
    fn dates_read_in_british_form() {
        assert_eq!(
            dates_text("2022-04-01", Some("2023-03-31")),
            "01/04/2022 to 31/03/2023"
        );
        assert_eq!(dates_text("2022-04-01", None), "From 01/04/2022");
    }

    #[test]
    fn each_status_has_its_own_colour() {
        assert_eq!(status_tag_class("published"), "govuk-tag govuk-tag--blue");
        assert_eq!(status_tag_class("agreed"), "govuk-tag govuk-tag--green");
        assert_eq!(status_tag_class("rejected"), "govuk-tag govuk-tag--red");
        assert_eq!(status_tag_class("terminated"), "govuk-tag govuk-tag--grey");
    }

    #[test]
    fn the_home_notice_counts_documents_awaiting_agreement() {
        assert_eq!(awaiting_text(1), "1 document awaiting your agreement");
        assert_eq!(awaiting_text(2), "2 documents awaiting your agreement");
    }

    #[test]
    fn counts_read_as_sentences() {
        assert_eq!(count_text(0), "No contract documents match these filters.");
        assert_eq!(count_text(1), "1 contract document");
        assert_eq!(count_text(2), "2 contract documents");
    }
}
