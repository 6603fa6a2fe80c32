//! Council staff's accounts pages (DOMAIN 14): every account of the council with its state,
//! "Unlock" for a locked one, and "Add an account", which shows the new account's one-time
//! password once.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_dto::{Account, AccountCreated, NewAccount, NewMembership};

use crate::api::{self, with_token};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{refusals, Field, Radios, SelectInput, TextInput};
use crate::components::notification_banner::SuccessBanner;
use crate::components::organisation_choice::organisation_options;
use crate::components::page_title::{set_page_title, title_with_errors};
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::format::date_text;
use crate::session::use_session;

/// What the Status column says of an account.
pub fn status_text(account: &Account) -> String {
    if account.is_locked {
        match account.locked_reason.as_deref() {
            Some("failures") => "Locked: 5 failed sign-ins".to_owned(),
            Some("inactive") => "Locked: unused for 90 days".to_owned(),
            _ => "Locked".to_owned(),
        }
    } else if account.awaiting_first_sign_in {
        "Awaiting first sign-in".to_owned()
    } else {
        "Active".to_owned()
    }
}

/// "Finance", as the guides name the roles.
pub fn role_text(role: &str) -> String {
    match role {
        "finance" => "Finance".to_owned(),
        "manager" => "Manager".to_owned(),
        "administration" => "Administration".to_owned(),
        other => other.to_owned(),
    }
}

/// "Ally Pally Ltd (Finance)", or the team of council staff.
fn acts_for(account: &Account) -> String {
    if account.kind == "council" {
        return if account.team.is_empty() {
            "Council staff".to_owned()
        } else {
            format!("Council staff, {}", account.team)
        };
    }
    account
        .memberships
        .iter()
        .map(|membership| format!("{} ({})", membership.name, role_text(&membership.role)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "06/06/2022" from an RFC 3339 timestamp; "Never" without one.
fn last_sign_in_text(at: Option<&str>) -> String {
    at.map_or_else(
        || "Never".to_owned(),
        |at| date_text(at.get(..10).unwrap_or(at)),
    )
}

#[component]
pub fn AccountsPage() -> impl IntoView {
    set_page_title("Accounts");
    let session = use_session();
    let banner = RwSignal::new(None::<String>);
    let accounts = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move { api::accounts(&token).await })
    });
    sign_out_when_refused(session, accounts);

    let unlock = move |account: Account| {
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        spawn_local(async move {
            match api::unlock_account(&token, &account.id).await {
                Ok(_) => {
                    banner.set(Some(format!("{} can sign in again", account.name)));
                    accounts.refetch();
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => banner.set(Some(problem.detail)),
            }
        });
    };

    let table = move || match accounts.get() {
        None => view! { <p class="govuk-body" role="status">"Loading accounts…"</p> }.into_any(),
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(page)) => {
            let rows = page
                .items
                .into_iter()
                .map(|account| {
                    let action = account.is_locked.then(|| {
                        let name = account.name.clone();
                        let target = account.clone();
                        view! {
                            <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-0"
                                data-module="govuk-button" on:click=move |_| unlock(target.clone())>
                                "Unlock"
                                <span class="govuk-visually-hidden">{format!(" {name}")}</span>
                            </button>
                        }
                    });
                    view! {
                        <tr class="govuk-table__row">
                            <th scope="row" class="govuk-table__header">{account.name.clone()}</th>
                            <td class="govuk-table__cell">{account.email.clone()}</td>
                            <td class="govuk-table__cell">{acts_for(&account)}</td>
                            <td class="govuk-table__cell">{status_text(&account)}</td>
                            <td class="govuk-table__cell">{last_sign_in_text(account.last_sign_in_at.as_deref())}</td>
                            <td class="govuk-table__cell">{action}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="govuk-table">
                    <caption class="govuk-table__caption govuk-table__caption--m">"Accounts"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Name"</th>
                            <th scope="col" class="govuk-table__header">"Email address"</th>
                            <th scope="col" class="govuk-table__header">"Acts for"</th>
                            <th scope="col" class="govuk-table__header">"Status"</th>
                            <th scope="col" class="govuk-table__header">"Last sign-in"</th>
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
        <h1 class="govuk-heading-l">"Accounts"</h1>
        <p class="govuk-body">
            "Provider contacts and council staff who sign in to the portal. An account locks after 5 failed sign-ins in a row, or 90 days unused."
        </p>
        <a class="govuk-button" data-module="govuk-button" href="/accounts/new">"Add an account"</a>
        {table}
    }
}

fn account_fields() -> Vec<Field> {
    vec![
        Field::new(
            "kind",
            "kind",
            "Account for",
            "Choose who the account is for",
        ),
        Field::new("name", "name", "Full name", "Enter the person's full name"),
        Field::new("email", "email", "Email address", "Enter the email address"),
        Field::new("phone", "phone", "Telephone", ""),
        Field::new("job_title", "job-title", "Job title", ""),
        Field::new("team", "team", "Team", ""),
        Field::new(
            "memberships",
            "organisation",
            "Organisation",
            "Choose the organisation",
        ),
        Field::new(
            "memberships[0].organisation_id",
            "organisation",
            "Organisation",
            "Choose the organisation",
        ),
        Field::new("memberships[0].role", "role", "Role", "Choose the role"),
    ]
}

#[component]
pub fn NewAccountPage() -> impl IntoView {
    let session = use_session();
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(|| "Add an account".to_owned(), errors);
    let busy = RwSignal::new(false);
    let created = RwSignal::new(None::<AccountCreated>);
    let kind = RwSignal::new("provider".to_owned());
    let name = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let job_title = RwSignal::new(String::new());
    let team = RwSignal::new(String::new());
    let organisation = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
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
        let text = |value: RwSignal<String>| value.get_untracked().trim().to_owned();
        let provider = kind.get_untracked() == "provider";
        let account = NewAccount {
            kind: kind.get_untracked(),
            email: text(email),
            name: text(name),
            phone: text(phone),
            job_title: text(job_title),
            team: if provider { String::new() } else { text(team) },
            memberships: if provider {
                vec![NewMembership {
                    organisation_id: text(organisation),
                    role: text(role),
                }]
            } else {
                Vec::new()
            },
        };
        busy.set(true);
        spawn_local(async move {
            let outcome = api::create_account(&token, &account).await;
            busy.set(false);
            match outcome {
                Ok(result) => {
                    errors.set(Vec::new());
                    created.set(Some(result));
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => {
                    let fields = account_fields();
                    errors.set(refusals(&problem, &fields));
                }
            }
        });
    };

    let form = move || {
        view! {
            <form novalidate on:submit=submit>
                <Radios id="kind" legend="Account for" value=kind errors
                    options=vec![("provider", "A contact of a provider organisation"), ("council", "Council staff")] />
                <TextInput id="name" label="Full name" value=name errors autocomplete="off" />
                <TextInput id="email" label="Email address" value=email errors input_type="email" autocomplete="off"
                    hint="They sign in with it, and password resets are sent to it" />
                <TextInput id="phone" label="Telephone (optional)" value=phone errors input_type="tel" width="govuk-input--width-20" />
                <TextInput id="job-title" label="Job title (optional)" value=job_title errors />
                <Show
                    when=move || kind.get() == "provider"
                    fallback=move || view! { <TextInput id="team" label="Team (optional)" value=team errors
                        hint="Actions are assigned to teams, like Provider Payments" /> }
                >
                    <SelectInput id="organisation" label="Organisation" value=organisation errors
                        groups=organisation_options choose="Choose an organisation" />
                    <Radios id="role" legend="Role" value=role errors
                        options=vec![("finance", "Finance"), ("manager", "Manager"), ("administration", "Administration")] />
                </Show>
                <div class="govuk-button-group">
                    <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                        "Add account"
                    </button>
                    <a class="govuk-link" href="/accounts">"Cancel"</a>
                </div>
            </form>
        }
    };

    let content = move || {
        match created.get() {
        None => view! {
            <ErrorSummary errors=errors />
            <h1 class="govuk-heading-l">"Add an account"</h1>
            {form()}
        }
        .into_any(),
        Some(result) => view! {
            <div class="govuk-panel govuk-panel--confirmation">
                <h1 class="govuk-panel__title">"Account added"</h1>
                <div class="govuk-panel__body">{format!("{} can now sign in", result.account.name)}</div>
            </div>
            <h2 class="govuk-heading-m">"One-time password"</h2>
            <p class="govuk-body">
                {format!("Give this password to {} securely, for example by telephone. It is shown only once. At their first sign-in they choose their own password and their security code.", result.account.name)}
            </p>
            <p class="govuk-body govuk-!-font-size-36 govuk-!-font-weight-bold app-one-time-password" id="one-time-password">
                {result.temporary_password.clone()}
            </p>
            <p class="govuk-body"><a class="govuk-link" href="/accounts">"Back to accounts"</a></p>
        }
        .into_any(),
    }
    };

    view! {
        <a class="govuk-back-link" href="/accounts">"Back to accounts"</a>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">{content}</div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(is_locked: bool, reason: Option<&str>, awaiting: bool) -> Account {
        Account {
            id: "1".into(),
            kind: "provider".into(),
            email: "jo@example.org".into(),
            name: "Jo Bloggs".into(),
            phone: String::new(),
            job_title: String::new(),
            team: String::new(),
            memberships: Vec::new(),
            is_locked,
            locked_reason: reason.map(str::to_owned),
            last_sign_in_at: None,
            awaiting_first_sign_in: awaiting,
            version: 1,
        }
    }

    #[test]
    fn the_status_says_why_an_account_is_locked() {
        assert_eq!(
            status_text(&account(true, Some("failures"), false)),
            "Locked: 5 failed sign-ins"
        );
        assert_eq!(
            status_text(&account(true, Some("inactive"), false)),
            "Locked: unused for 90 days"
        );
        assert_eq!(
            status_text(&account(false, None, true)),
            "Awaiting first sign-in"
        );
        assert_eq!(status_text(&account(false, None, false)), "Active");
    }

    #[test]
    fn last_sign_in_is_a_british_date() {
        assert_eq!(
            last_sign_in_text(Some("2026-11-23T12:06:11Z")),
            "23/11/2026"
        );
        assert_eq!(last_sign_in_text(None), "Never");
    }
}
