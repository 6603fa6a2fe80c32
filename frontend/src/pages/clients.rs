//! Clients (service users), for council staff: find one by SSRef or name, add one, correct
//! one (DOMAIN 3). Providers see clients only through their care packages.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use portal_dto::{Client, NewClient, Problem, UpdateClient};

use crate::api::{self, with_token};
use crate::components::deactivate::{deactivate_section, Retirable};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{in_fields, problem_errors, Field, TextInput};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::{set_page_title, title_with_errors};
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::session::use_session;

/// "Ms Ada Lovelace": the client's name as a person reads it.
pub fn full_name(client: &Client) -> String {
    [
        client.title.as_str(),
        client.forename.as_str(),
        client.surname.as_str(),
    ]
    .into_iter()
    .filter(|part| !part.trim().is_empty())
    .collect::<Vec<_>>()
    .join(" ")
}

/// "Lovelace, Ada (AL1815)", as the care package lists name a client.
pub fn listed_name(client: &Client) -> String {
    format!("{}, {} ({})", client.surname, client.forename, client.ssref)
}

fn count_text(count: usize, search: &str) -> String {
    match (count, search.trim()) {
        (0, "") => "There are no clients yet.".to_owned(),
        (0, search) => format!("No clients match \u{201c}{search}\u{201d}."),
        (1, _) => "1 client".to_owned(),
        (count, _) => format!("{count} clients"),
    }
}

#[component]
pub fn ClientsPage() -> impl IntoView {
    set_page_title("Clients");
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let banner = RwSignal::new(use_flash().take());
    let search = Memo::new(move |_| query.with(|query| query.get("search").unwrap_or_default()));
    let typed = RwSignal::new(String::new());
    Effect::new(move |_| typed.set(search.get()));

    let clients = LocalResource::new(move || {
        let token = session.access_token();
        let search = search.get();
        with_token(token, move |token| async move {
            api::clients(&token, &search).await
        })
    });
    sign_out_when_refused(session, clients);

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        banner.set(None);
        let search = typed.get_untracked();
        navigate(
            &format!(
                "/clients{}",
                api::query_string(&[("search", search.trim())])
            ),
            NavigateOptions::default(),
        );
    };

    let results = move || match clients.get() {
        None => view! { <p class="govuk-body" role="status">"Loading clients…"</p> }.into_any(),
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(page)) => {
            let count = count_text(page.items.len(), &search.get_untracked());
            let rows = page
                .items
                .into_iter()
                .map(|client| {
                    let href = format!("/clients/{}/edit", client.id);
                    let name = full_name(&client);
                    view! {
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell">{client.ssref.clone()}</td>
                            <td class="govuk-table__cell">{name.clone()}</td>
                            <td class="govuk-table__cell">{client.external_ref.clone().unwrap_or_default()}</td>
                            <td class="govuk-table__cell">
                                <a class="govuk-link" href=href>
                                    "Change"
                                    <span class="govuk-visually-hidden">{format!(" {name} ({})", client.ssref)}</span>
                                </a>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <p class="govuk-body govuk-!-font-weight-bold" role="status">{count}</p>
                <table class="govuk-table app-clients-table">
                    <caption class="govuk-table__caption govuk-table__caption--m">"Clients"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"SSRef"</th>
                            <th scope="col" class="govuk-table__header">"Name"</th>
                            <th scope="col" class="govuk-table__header">"External reference"</th>
                            <th scope="col" class="govuk-table__header">
                                <span class="govuk-visually-hidden">"Action"</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{rows}</tbody>
                </table>
            }
            .into_any()
        }
    };

    view! {
        <SuccessBanner message=banner />
        <h1 class="govuk-heading-l">"Clients"</h1>
        <a class="govuk-button" data-module="govuk-button" href="/clients/new">"Add a client"</a>
        <form novalidate role="search" class="app-search" on:submit=submit>
            <div class="govuk-form-group">
                <label class="govuk-label govuk-label--s" for="client-search">"Search by SSRef or name"</label>
                <div class="app-search__row">
                    <input
                        class="govuk-input govuk-input--width-20"
                        id="client-search"
                        name="search"
                        type="search"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=move || typed.get()
                        on:input=move |event| typed.set(event_target_value(&event))
                    />
                    <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
                        "Search"
                    </button>
                </div>
            </div>
        </form>
        {results}
    }
}

/// The client form's fields, in the form's order.
fn client_fields() -> Vec<Field> {
    vec![
        Field::new("ssref", "ssref", "SSRef", "Enter the SSRef"),
        Field::new("title", "title", "Title", "Enter the title"),
        Field::new("forename", "forename", "First name", "Enter the first name"),
        Field::new("surname", "surname", "Last name", "Enter the last name"),
    ]
}

/// What a refused save says: bad fields by name; a stale version in plain words.
fn save_errors(problem: &Problem) -> Vec<SummaryError> {
    if problem.status == 409 {
        return vec![SummaryError::general(
            "Someone changed this client first. Reload to see their version.",
        )];
    }
    let fields = client_fields();
    problem_errors(problem, in_fields(&fields))
}

#[component]
pub fn NewClientPage() -> impl IntoView {
    view! { <ClientForm existing=None /> }
}

#[component]
pub fn EditClientPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    // The API lists clients but has no single-client read: find the id among them.
    let clients = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move { api::clients(&token, "").await })
    });
    sign_out_when_refused(session, clients);
    let content = move || match clients.get() {
        None => {
            set_page_title("Change a client");
            view! { <p class="govuk-body" role="status">"Loading the client…"</p> }.into_any()
        }
        Some(Err(problem)) => {
            set_page_title("Change a client");
            view! {
                <h1 class="govuk-heading-l">"Change a client"</h1>
                <ProblemText problem />
            }
            .into_any()
        }
        Some(Ok(page)) => {
            let id = id.get();
            match page.items.into_iter().find(|client| client.id == id) {
                Some(client) => view! { <ClientForm existing=Some(client) /> }.into_any(),
                None => {
                    set_page_title("Client not found");
                    view! {
                        <h1 class="govuk-heading-l">"Client not found"</h1>
                        <p class="govuk-body">"We could not find that client. "
                            <a class="govuk-link" href="/clients">"Search the clients"</a>"."
                        </p>
                    }
                    .into_any()
                }
            }
        }
    };
    view! {
        <a class="govuk-back-link" href="/clients">"Back to clients"</a>
        {content}
    }
}

#[component]
fn ClientForm(existing: Option<Client>) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let flash = use_flash();
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    let heading = if existing.is_some() {
        "Change a client"
    } else {
        "Add a client"
    };
    title_with_errors(move || heading.to_owned(), errors);

    let field = |value: Option<&str>| RwSignal::new(value.unwrap_or_default().to_owned());
    let ssref = field(existing.as_ref().map(|c| c.ssref.as_str()));
    let title = field(existing.as_ref().map(|c| c.title.as_str()));
    let forename = field(existing.as_ref().map(|c| c.forename.as_str()));
    let surname = field(existing.as_ref().map(|c| c.surname.as_str()));
    let existing = StoredValue::new(existing);

    // Retiring an existing client, from the foot of its form.
    let retired = {
        let navigate = navigate.clone();
        Callback::new(move |message: String| {
            flash.set(message);
            navigate("/clients", NavigateOptions::default());
        })
    };
    let deactivate = existing.get_value().map(|client| {
        let name = listed_name(&client);
        deactivate_section(Retirable::Client, client.id, name, client.version, retired)
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
        let text = |value: RwSignal<String>| value.get_untracked().trim().to_owned();
        let (ssref, title, forename, surname) =
            (text(ssref), text(title), text(forename), text(surname));
        let saved_as = format!(
            "{} ({ssref})",
            [title.as_str(), forename.as_str(), surname.as_str()]
                .into_iter()
                .filter(|part| !part.is_empty())
                .collect::<Vec<_>>()
                .join(" ")
        );
        let search = ssref.clone();
        let navigate = navigate.clone();
        busy.set(true);
        let existing = existing.get_value();
        spawn_local(async move {
            let outcome = match existing {
                Some(client) => {
                    let edit = UpdateClient {
                        version: client.version,
                        ssref,
                        title,
                        forename,
                        surname,
                    };
                    api::edit_client(&token, &client.id, &edit)
                        .await
                        .map(|_| format!("Client {saved_as} saved"))
                }
                None => {
                    let new = NewClient {
                        ssref,
                        title,
                        forename,
                        surname,
                        external_ref: None,
                    };
                    api::create_client(&token, &new)
                        .await
                        .map(|_| format!("Client {saved_as} added"))
                }
            };
            busy.set(false);
            match outcome {
                Ok(message) => {
                    errors.set(Vec::new());
                    flash.set(message);
                    navigate(
                        &format!("/clients{}", api::query_string(&[("search", &search)])),
                        NavigateOptions::default(),
                    );
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(save_errors(&problem)),
            }
        });
    };

    let conflict = move || {
        errors.with(|errors| {
            errors.iter().any(|error| {
                error.field_id.is_none() && error.message.starts_with("Someone changed")
            })
        })
    };

    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors />
                <h1 class="govuk-heading-l">{heading}</h1>
                <form novalidate on:submit=submit>
                    <TextInput id="ssref" label="SSRef" value=ssref errors width="govuk-input--width-10"
                        hint="The client's social care reference, like 96836000" />
                    <TextInput id="title" label="Title (optional)" value=title errors width="govuk-input--width-5"
                        autocomplete="honorific-prefix" />
                    <TextInput id="forename" label="First name" value=forename errors width="govuk-input--width-20"
                        autocomplete="off" />
                    <TextInput id="surname" label="Last name" value=surname errors width="govuk-input--width-20"
                        autocomplete="off" />
                    <div class="govuk-button-group">
                        <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                            {if existing.with_value(Option::is_some) { "Save changes" } else { "Add client" }}
                        </button>
                        <Show when=conflict>
                            <a class="govuk-link" href="" on:click=|event: leptos::ev::MouseEvent| {
                                event.prevent_default();
                                if let Some(window) = web_sys::window() {
                                    let _ = window.location().reload();
                                }
                            }>"Reload"</a>
                        </Show>
                        <a class="govuk-link" href="/clients">"Cancel"</a>
                    </div>
                </form>
                {deactivate}
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_dto::FieldError;

    fn lovelace() -> Client {
        Client {
            id: "9".to_owned(),
            ssref: "AL1815".to_owned(),
            title: "Ms".to_owned(),
            forename: "Ada".to_owned(),
            surname: "Lovelace".to_owned(),
            label: "Ms Ada Lovelace (AL1815)".to_owned(),
            external_ref: None,
            version: 1,
        }
    }

    #[test]
    fn names_read_as_people_and_lists_write_them() {
        assert_eq!(full_name(&lovelace()), "Ms Ada Lovelace");
        let untitled = Client {
            title: String::new(),
            ..lovelace()
        };
        assert_eq!(full_name(&untitled), "Ada Lovelace");
        assert_eq!(listed_name(&lovelace()), "Lovelace, Ada (AL1815)");
    }

    #[test]
    fn an_empty_form_names_every_missing_field_in_form_order() {
        let problem = Problem {
            problem_type: "/problems/validation".to_owned(),
            title: "Some fields are not valid".to_owned(),
            status: 422,
            detail: "ssref is required".to_owned(),
            errors: ["ssref", "forename", "surname"]
                .iter()
                .map(|field| FieldError {
                    field: (*field).to_owned(),
                    message: "is required".to_owned(),
                })
                .collect(),
        };
        assert_eq!(
            save_errors(&problem),
            [
                SummaryError::at("ssref", "Enter the SSRef"),
                SummaryError::at("forename", "Enter the first name"),
                SummaryError::at("surname", "Enter the last name"),
            ]
        );
        let stale = Problem {
            status: 409,
            errors: Vec::new(),
            ..problem
        };
        assert_eq!(
            save_errors(&stale),
            [SummaryError::general(
                "Someone changed this client first. Reload to see their version."
            )]
        );
    }

    #[test]
    fn the_count_reads_as_a_sentence() {
        assert_eq!(count_text(0, ""), "There are no clients yet.");
        assert_eq!(count_text(0, "zz"), "No clients match \u{201c}zz\u{201d}.");
        assert_eq!(count_text(1, "a"), "1 client");
        assert_eq!(count_text(3, ""), "3 clients");
    }
}
