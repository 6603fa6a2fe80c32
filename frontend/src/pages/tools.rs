//! Council staff's tools pages: the client credentials issued to rostering and
//! call-monitoring tools, "Issue credentials" for one organisation with scopes, and "Rotate
//! secret" and "Revoke". A secret is shown once, when issued or rotated.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_domain::access::ToolScope;
use portal_dto::{NewToolClient, ToolClient, ToolCredentials};

use crate::api::{self, with_token};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{error_of, refusals, Field, SelectInput, TextInput};
use crate::components::notification_banner::SuccessBanner;
use crate::components::organisation_choice::organisation_options;
use crate::components::page_title::{set_page_title, title_with_errors};
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::format::date_text;
use crate::session::use_session;

/// "Active", or when it was revoked.
pub fn tool_status(tool: &ToolClient) -> String {
    match tool.revoked_at.as_deref() {
        Some(at) => format!("Revoked on {}", date_text(at.get(..10).unwrap_or(at))),
        None => "Active".to_owned(),
    }
}

/// The scopes as people read them.
pub fn scope_text(scopes: &[String]) -> String {
    scopes
        .iter()
        .map(|code| {
            ToolScope::parse(code)
                .map_or_else(|| code.clone(), |scope| scope.description().to_owned())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// "06/06/2022", or "Never".
fn used_text(at: Option<&str>) -> String {
    at.map_or_else(
        || "Never".to_owned(),
        |at| date_text(at.get(..10).unwrap_or(at)),
    )
}

/// The client id and the secret, once: the tool's owner copies them now.
#[component]
fn SecretShownOnce(
    credentials: ToolCredentials,
    #[prop(into)] heading: String,
    /// On the tools page itself, going back clears the secret and reloads the list.
    #[prop(optional)]
    on_back: Option<Callback<()>>,
) -> impl IntoView {
    let back = move |event: leptos::ev::MouseEvent| {
        if let Some(on_back) = on_back {
            event.prevent_default();
            on_back.run(());
        }
    };
    view! {
        <div class="govuk-panel govuk-panel--confirmation">
            <h1 class="govuk-panel__title">{heading}</h1>
            <div class="govuk-panel__body">{credentials.tool.name.clone()}</div>
        </div>
        <div class="govuk-warning-text">
            <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
            <strong class="govuk-warning-text__text">
                <span class="govuk-visually-hidden">"Warning"</span>
                "Copy the secret now and give it to the tool's supplier securely. It is shown only once: if it is lost, rotate it."
            </strong>
        </div>
        <dl class="govuk-summary-list">
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Client ID"</dt>
                <dd class="govuk-summary-list__value"><code id="client-id">{credentials.tool.client_id.clone()}</code></dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Client secret"</dt>
                <dd class="govuk-summary-list__value"><code id="client-secret" class="app-secret">{credentials.client_secret.clone()}</code></dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Token address"</dt>
                <dd class="govuk-summary-list__value"><code>"POST /api/v1/auth/token"</code>" (OAuth 2.0 client credentials)"</dd>
            </div>
        </dl>
        <p class="govuk-body"><a class="govuk-link" href="/tools" on:click=back>"Back to tools"</a></p>
    }
}

#[component]
pub fn ToolsPage() -> impl IntoView {
    set_page_title("Tools");
    let session = use_session();
    let banner = RwSignal::new(None::<String>);
    let rotated = RwSignal::new(None::<ToolCredentials>);
    let confirming_revoke = RwSignal::new(None::<ToolClient>);
    let tools = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::tool_clients(&token).await },
        )
    });
    sign_out_when_refused(session, tools);

    let rotate = move |tool: ToolClient| {
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        spawn_local(async move {
            match api::rotate_tool_secret(&token, &tool.id).await {
                Ok(credentials) => rotated.set(Some(credentials)),
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => banner.set(Some(problem.detail)),
            }
        });
    };
    let revoke = move |tool: ToolClient| {
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        spawn_local(async move {
            match api::revoke_tool_client(&token, &tool.id).await {
                Ok(_) => {
                    confirming_revoke.set(None);
                    banner.set(Some(format!(
                        "{} was revoked: it can no longer sign in",
                        tool.name
                    )));
                    tools.refetch();
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => banner.set(Some(problem.detail)),
            }
        });
    };

    let table = move || match tools.get() {
        None => view! { <p class="govuk-body" role="status">"Loading tools…"</p> }.into_any(),
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(page)) if page.items.is_empty() => view! {
            <p class="govuk-body">"No tool has credentials yet."</p>
        }
        .into_any(),
        Some(Ok(page)) => {
            let rows = page
                .items
                .into_iter()
                .map(|tool| {
                    let actions = tool.revoked_at.is_none().then(|| {
                        let (for_rotate, for_revoke) = (tool.clone(), tool.clone());
                        let name = tool.name.clone();
                        view! {
                            <div class="govuk-button-group govuk-!-margin-bottom-0">
                                <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                                    data-module="govuk-button" on:click=move |_| rotate(for_rotate.clone())>
                                    "Rotate secret"<span class="govuk-visually-hidden">{format!(" of {name}")}</span>
                                </button>
                                <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0"
                                    data-module="govuk-button" on:click=move |_| confirming_revoke.set(Some(for_revoke.clone()))>
                                    "Revoke"<span class="govuk-visually-hidden">{format!(" {}", tool.name)}</span>
                                </button>
                            </div>
                        }
                    });
                    view! {
                        <tr class="govuk-table__row">
                            <th scope="row" class="govuk-table__header">{tool.name.clone()}</th>
                            <td class="govuk-table__cell">{tool.organisation_name.clone()}</td>
                            <td class="govuk-table__cell"><code>{tool.client_id.clone()}</code></td>
                            <td class="govuk-table__cell">{scope_text(&tool.scopes)}</td>
                            <td class="govuk-table__cell">{used_text(tool.last_used_at.as_deref())}</td>
                            <td class="govuk-table__cell">{tool_status(&tool)}</td>
                            <td class="govuk-table__cell">{actions}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="govuk-table">
                    <caption class="govuk-table__caption govuk-table__caption--m">"Tools' credentials"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Tool"</th>
                            <th scope="col" class="govuk-table__header">"Organisation"</th>
                            <th scope="col" class="govuk-table__header">"Client ID"</th>
                            <th scope="col" class="govuk-table__header">"May"</th>
                            <th scope="col" class="govuk-table__header">"Last used"</th>
                            <th scope="col" class="govuk-table__header">"Status"</th>
                            <th scope="col" class="govuk-table__header">
                                <span class="govuk-visually-hidden">"Actions"</span>
                            </th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{rows}</tbody>
                </table>
            }
            .into_any()
        }
    };

    let content = move || {
        if let Some(credentials) = rotated.get() {
            let on_back = Callback::new(move |()| {
                rotated.set(None);
                tools.refetch();
            });
            return view! { <SecretShownOnce credentials heading="Secret rotated" on_back /> }
                .into_any();
        }
        if let Some(tool) = confirming_revoke.get() {
            let target = tool.clone();
            return view! {
                <h1 class="govuk-heading-l">{format!("Revoke {}?", tool.name)}</h1>
                <p class="govuk-body">
                    {format!("{} will stop working at once for {}: its secret and every token it holds. This cannot be undone; to connect it again, issue new credentials.", tool.name, tool.organisation_name)}
                </p>
                <div class="govuk-button-group">
                    <button type="button" class="govuk-button govuk-button--warning" data-module="govuk-button"
                        on:click=move |_| revoke(target.clone())>
                        "Yes, revoke it"
                    </button>
                    <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                        on:click=move |_| confirming_revoke.set(None)>
                        "No, keep it"
                    </button>
                </div>
            }
            .into_any();
        }
        view! {
            <SuccessBanner message=banner />
            <h1 class="govuk-heading-l">"Tools"</h1>
            <p class="govuk-body">
                "Rostering and call-monitoring tools sign in with client credentials for one organisation, and may do only what their scopes allow."
            </p>
            <a class="govuk-button" data-module="govuk-button" href="/tools/new">"Issue credentials"</a>
            {table}
        }
        .into_any()
    };
    view! { {content} }
}

fn tool_fields() -> Vec<Field> {
    vec![
        Field::new("name", "name", "Tool", "Enter the tool's name"),
        Field::new(
            "organisation_id",
            "organisation",
            "Organisation",
            "Choose the organisation",
        ),
        Field::new("scopes", "scopes", "Scopes", "Choose what the tool may do"),
    ]
}

#[component]
pub fn NewToolPage() -> impl IntoView {
    let session = use_session();
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(|| "Issue credentials".to_owned(), errors);
    let busy = RwSignal::new(false);
    let issued = RwSignal::new(None::<ToolCredentials>);
    let name = RwSignal::new(String::new());
    let organisation = RwSignal::new(String::new());
    // The scopes ticked, in the order offered.
    let ticked = RwSignal::new(Vec::<ToolScope>::new());
    let organisation_options = organisation_options();

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let tool = NewToolClient {
            organisation_id: organisation.get_untracked(),
            name: name.get_untracked().trim().to_owned(),
            scopes: ToolScope::ALL
                .into_iter()
                .filter(|scope| ticked.with_untracked(|ticked| ticked.contains(scope)))
                .map(|scope| scope.code().to_owned())
                .collect(),
        };
        busy.set(true);
        spawn_local(async move {
            let outcome = api::create_tool_client(&token, &tool).await;
            busy.set(false);
            match outcome {
                Ok(credentials) => {
                    errors.set(Vec::new());
                    issued.set(Some(credentials));
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => {
                    let fields = tool_fields();
                    errors.set(refusals(&problem, &fields));
                }
            }
        });
    };

    let scope_error = Signal::derive(move || error_of(errors, "scopes"));
    let checkboxes = move || {
        ToolScope::ALL
            .into_iter()
            .enumerate()
            .map(|(index, scope)| {
                // The first box carries the group's id, so the error summary's link lands on it.
                let id = if index == 0 {
                    "scopes".to_owned()
                } else {
                    format!("scopes-{}", scope.code().replace(':', "-"))
                };
                let toggle = move |event: leptos::ev::Event| {
                    let on = event_target_checked(&event);
                    ticked.update(|ticked| {
                        ticked.retain(|other| *other != scope);
                        if on {
                            ticked.push(scope);
                        }
                    });
                };
                view! {
                    <div class="govuk-checkboxes__item">
                        <input class="govuk-checkboxes__input" id=id.clone() name="scopes" type="checkbox"
                            value=scope.code() prop:checked=move || ticked.with(|ticked| ticked.contains(&scope))
                            on:change=toggle />
                        <label class="govuk-label govuk-checkboxes__label" for=id>
                            {scope.description()}" "<code>{scope.code()}</code>
                        </label>
                    </div>
                }
            })
            .collect_view()
    };

    let form = move || {
        view! {
            <ErrorSummary errors=errors />
            <h1 class="govuk-heading-l">"Issue credentials"</h1>
            <form novalidate on:submit=submit>
                <TextInput id="name" label="Tool" value=name errors autocomplete="off"
                    hint="As people will recognise it, like CallTime rostering" />
                <SelectInput id="organisation" label="Organisation" value=organisation errors
                    groups=organisation_options choose="Choose an organisation" />
                <div class="govuk-form-group" class:govuk-form-group--error=move || scope_error.with(Option::is_some)>
                    <fieldset class="govuk-fieldset" aria-describedby=move || {
                        if scope_error.with(Option::is_some) { "scopes-hint scopes-error" } else { "scopes-hint" }
                    }>
                        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"What the tool may do"</legend>
                        <div id="scopes-hint" class="govuk-hint">"Choose only what it needs."</div>
                        {move || scope_error.get().map(|message| view! {
                            <p id="scopes-error" class="govuk-error-message">
                                <span class="govuk-visually-hidden">"Error: "</span>{message}
                            </p>
                        })}
                        <div class="govuk-checkboxes" data-module="govuk-checkboxes">{checkboxes()}</div>
                    </fieldset>
                </div>
                <div class="govuk-button-group">
                    <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                        "Issue credentials"
                    </button>
                    <a class="govuk-link" href="/tools">"Cancel"</a>
                </div>
            </form>
        }
    };

    move || match issued.get() {
        Some(credentials) => {
            view! { <SecretShownOnce credentials heading="Credentials issued" /> }.into_any()
        }
        None => form().into_any(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool(revoked_at: Option<&str>) -> ToolClient {
        ToolClient {
            id: "1".into(),
            organisation_id: "1".into(),
            organisation_name: "Ally Pally Ltd".into(),
            name: "CallTime".into(),
            client_id: "tool_x".into(),
            scopes: vec!["cplis:read".into(), "actuals:write".into()],
            created_at: "2026-11-23T10:00:00Z".into(),
            rotated_at: None,
            revoked_at: revoked_at.map(str::to_owned),
            last_used_at: None,
        }
    }

    #[test]
    fn a_tool_reads_as_what_it_may_do_and_whether_it_works() {
        assert_eq!(tool_status(&tool(None)), "Active");
        assert_eq!(
            tool_status(&tool(Some("2026-11-23T10:00:00Z"))),
            "Revoked on 23/11/2026"
        );
        assert_eq!(
            scope_text(&tool(None).scopes),
            "Read services and care package line items, with their clients; Enter and generate actuals"
        );
        assert_eq!(used_text(None), "Never");
    }
}
