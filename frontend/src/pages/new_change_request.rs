//! Requesting a change (DOMAIN 10; seed 003 sections 4-6, "Edit"): the form for an
//! organisation's, a service's or a contact's details, a new contact, or a contact's role,
//! pre-filled with the details as they are; only what differs is sent to the council, and
//! the request then shows Pending Review under Change requests. Also the organisation's
//! contacts, each with the changes one may ask for.
//!
//! The form is `/change-requests/new?kind=...&organisation_id=...` with `service_id` or
//! `account_id` where the kind names one.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use portal_domain::access::{ProviderRole, ProviderTask};
use portal_domain::change_request::ChangeKind;
use portal_dto::{Contact, CreateChangeRequest, Me};

use crate::api::{self, with_token};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{refusals, ungrouped, Field, SelectInput, TextInput};
use crate::components::page_title::{set_page_title, title_with_errors};
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::pages::change_requests::role_text;
use crate::session::use_session;

/// The form's URL for a kind of request about a record.
/// Ids are digits and kinds are codes, so nothing needs escaping.
pub fn request_url(kind: ChangeKind, organisation_id: &str, extra: Option<(&str, &str)>) -> String {
    let mut url = format!(
        "/change-requests/new?kind={}&organisation_id={organisation_id}",
        kind.code()
    );
    if let Some((name, value)) = extra {
        url.push_str(&format!("&{name}={value}"));
    }
    url
}

/// Whether `me` may ask for a change of `kind` in an organisation, as the server decides:
/// council staff may, a contact whose role there keeps the organisation's details
/// (`ProviderTask::KeepDetails`) may ask for any change, and every contact may ask to change
/// their own contact details (`account_id` their own).
pub fn may_request(
    me: Option<&Me>,
    organisation_id: &str,
    kind: ChangeKind,
    account_id: Option<&str>,
) -> bool {
    let Some(me) = me else {
        return false;
    };
    if me.kind == "council" {
        return true;
    }
    if kind == ChangeKind::UpdateContact && account_id == Some(me.id.as_str()) {
        return true;
    }
    me.organisations
        .iter()
        .find(|membership| membership.id == organisation_id)
        .and_then(|membership| ProviderRole::parse(&membership.role))
        .is_some_and(|role| role.may(ProviderTask::KeepDetails))
}

/// The input of a field: `change-phone`.
fn input_id(field: &str) -> String {
    format!("change-{field}")
}

fn heading(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::UpdateOrganisation => "Request a change to the organisation's details",
        ChangeKind::UpdateService => "Request a change to the service's details",
        ChangeKind::UpdateContact => "Request a change to contact details",
        ChangeKind::NewContact => "Request a new contact",
        ChangeKind::AddRole => "Request a role for a contact",
        ChangeKind::RemoveRole => "Request a contact's role removal",
    }
}

fn role_options() -> Vec<(String, String)> {
    ["finance", "manager", "administration"]
        .into_iter()
        .map(|code| (code.to_owned(), role_text(code)))
        .collect()
}

/// The form's fields as the error summary links them.
fn form_fields(kind: ChangeKind) -> Vec<Field> {
    let mut fields: Vec<Field> = kind
        .fields()
        .iter()
        .map(|field| {
            let missing = if field.name == "role" {
                "Choose the contact's role".to_owned()
            } else {
                format!("Enter the {}", field.label.to_lowercase())
            };
            Field::new(
                &format!("values.{}", field.name),
                &input_id(field.name),
                field.label,
                &missing,
            )
        })
        .collect();
    fields.push(Field::new(
        "values",
        "change-form",
        "Change",
        "Change at least one detail",
    ));
    fields
}

/// What the form starts from: the details as they are (empty for a new contact), and the
/// name of what the request is about.
#[derive(Debug, Clone, Default)]
struct Current {
    about: String,
    values: Vec<(&'static str, String)>,
}

async fn current_details(
    token: &str,
    kind: ChangeKind,
    organisation_id: &str,
    service_id: &str,
    account_id: &str,
) -> api::ApiResult<Current> {
    let contact = |contacts: Vec<Contact>| {
        contacts
            .into_iter()
            .find(|contact| contact.id == account_id)
            .ok_or_else(|| missing("contact"))
    };
    Ok(match kind {
        ChangeKind::UpdateOrganisation => {
            let organisation = api::organisations(token)
                .await?
                .items
                .into_iter()
                .find(|organisation| organisation.id == organisation_id)
                .ok_or_else(|| missing("organisation"))?;
            Current {
                about: organisation.name.clone(),
                values: vec![
                    ("name", organisation.name),
                    ("address_line1", organisation.address_line1),
                    ("town", organisation.town),
                    ("postcode", organisation.postcode),
                    ("phone", organisation.phone),
                    ("email", organisation.email),
                ],
            }
        }
        ChangeKind::UpdateService => {
            let service = api::service(token, service_id).await?;
            Current {
                about: service.service.name.clone(),
                values: vec![
                    ("name", service.service.name),
                    ("address_line1", service.address_line1),
                    ("town", service.town),
                    ("postcode", service.postcode),
                ],
            }
        }
        ChangeKind::UpdateContact => {
            let contact = contact(
                api::organisation_contacts(token, organisation_id)
                    .await?
                    .items,
            )?;
            Current {
                about: contact.name.clone(),
                values: vec![
                    ("name", contact.name),
                    ("email", contact.email),
                    ("phone", contact.phone),
                    ("job_title", contact.job_title),
                ],
            }
        }
        ChangeKind::AddRole | ChangeKind::RemoveRole => {
            let contact = contact(
                api::organisation_contacts(token, organisation_id)
                    .await?
                    .items,
            )?;
            Current {
                about: format!("{} ({})", contact.name, role_text(&contact.role)),
                values: vec![("role", contact.role)],
            }
        }
        ChangeKind::NewContact => Current::default(),
    })
}

fn missing(what: &str) -> portal_dto::Problem {
    portal_dto::Problem {
        problem_type: "about:blank".to_owned(),
        title: "Not found".to_owned(),
        status: 404,
        detail: format!("There is no {what} with that id that you can see."),
        errors: Vec::new(),
    }
}

#[component]
pub fn NewChangeRequestPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let flash = use_flash();
    let query = use_query_map();
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let param = move |name: &str| query.with_untracked(|query| query.get(name).unwrap_or_default());
    let kind = ChangeKind::from_code(&param("kind"));
    let organisation_id = param("organisation_id");
    let service_id = param("service_id");
    let account_id = param("account_id");
    let title = kind.map_or("Request a change", heading);
    title_with_errors(move || title.to_owned(), errors);

    let Some(kind) = kind else {
        return view! {
            <h1 class="govuk-heading-l">"Request a change"</h1>
            <p class="govuk-body">"This link does not name a change. Start from "
                <a class="govuk-link" href="/organisation">"Organisation details"</a>"."</p>
        }
        .into_any();
    };
    let values: Vec<(&'static str, &'static str, RwSignal<String>)> = kind
        .fields()
        .iter()
        .map(|field| (field.name, field.label, RwSignal::new(String::new())))
        .collect();
    let details = LocalResource::new({
        let (organisation_id, service_id, account_id) = (
            organisation_id.clone(),
            service_id.clone(),
            account_id.clone(),
        );
        move || {
            let token = session.access_token();
            let (organisation_id, service_id, account_id) = (
                organisation_id.clone(),
                service_id.clone(),
                account_id.clone(),
            );
            with_token(token, move |token| async move {
                current_details(&token, kind, &organisation_id, &service_id, &account_id).await
            })
        }
    });
    sign_out_when_refused(session, details);
    {
        let values = values.clone();
        Effect::new(move |_| {
            if let Some(Ok(current)) = details.get() {
                for (name, _, value) in &values {
                    let now = current
                        .values
                        .iter()
                        .find(|(field, _)| field == name)
                        .map(|(_, text)| text.clone())
                        .unwrap_or_default();
                    value.set(now);
                }
            }
        });
    }
    let busy = RwSignal::new(false);

    let submit = {
        let values = values.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let Some(token) = session.access_token() else {
                session.sign_out();
                return;
            };
            let sent: BTreeMap<String, String> = if kind.takes_values() {
                values
                    .iter()
                    .map(|(name, _, value)| ((*name).to_owned(), value.get_untracked()))
                    .collect()
            } else {
                BTreeMap::new()
            };
            let request = CreateChangeRequest {
                kind: kind.code().to_owned(),
                organisation_id: organisation_id.clone(),
                service_id: (!service_id.is_empty()).then(|| service_id.clone()),
                account_id: (!account_id.is_empty()).then(|| account_id.clone()),
                values: sent,
            };
            busy.set(true);
            errors.set(Vec::new());
            let navigate = navigate.clone();
            spawn_local(async move {
                let outcome = api::create_change_request(&token, &request).await;
                busy.set(false);
                match outcome {
                    Ok(made) => {
                        flash.set(format!(
                            "Change request sent to the council: {} is {}.",
                            made.kind_label, made.status_label
                        ));
                        navigate("/change-requests", NavigateOptions::default());
                    }
                    Err(problem) if problem.status == 401 => session.sign_out(),
                    Err(problem) => errors.set(refusals(&problem, &form_fields(kind))),
                }
            });
        }
    };

    let inputs = values
        .iter()
        .map(|(name, label, value)| {
            if *name == "role" {
                if kind == ChangeKind::RemoveRole {
                    return ().into_any();
                }
                view! {
                    <SelectInput id=input_id(name) label=*label value=*value errors
                        groups=Signal::derive(|| ungrouped(role_options())) choose="Choose a role" />
                }
                .into_any()
            } else {
                let input_type = if *name == "email" { "email" } else { "text" };
                let autocomplete = match *name {
                    "email" => Some("email"),
                    "phone" => Some("tel"),
                    "postcode" => Some("postal-code"),
                    _ => None,
                };
                match autocomplete {
                    Some(autocomplete) => view! {
                        <TextInput id=input_id(name) label=*label value=*value errors input_type autocomplete />
                    }
                    .into_any(),
                    None => view! {
                        <TextInput id=input_id(name) label=*label value=*value errors input_type />
                    }
                    .into_any(),
                }
            }
        })
        .collect_view();
    let about = move || match details.get() {
        Some(Ok(current)) if !current.about.is_empty() => {
            Some(view! { <span class="govuk-caption-l">{current.about}</span> }.into_any())
        }
        Some(Err(problem)) => Some(view! { <ProblemText problem /> }.into_any()),
        _ => None,
    };
    let button = if kind == ChangeKind::RemoveRole {
        "Request role removal"
    } else {
        "Send the change request"
    };
    view! {
        <a class="govuk-back-link" href="/organisation">"Back to organisation details"</a>
        <ErrorSummary errors />
        {about}
        <h1 class="govuk-heading-l">{title}</h1>
        <p class="govuk-body">
            "The council reviews each request: nothing changes until it is approved. You can follow it under "
            <a class="govuk-link" href="/change-requests">"Change requests"</a>"."
        </p>
        <form id="change-form" novalidate on:submit=submit aria-label=title>
            {inputs}
            <button type="submit" class="govuk-button" data-module="govuk-button" prop:disabled=move || busy.get()>
                {button}
            </button>
        </form>
    }
    .into_any()
}

/// An organisation's contacts with their roles, and the changes one may ask for.
#[component]
pub fn OrganisationContactsPage() -> impl IntoView {
    set_page_title("Contacts");
    let session = use_session();
    let params = use_params_map();
    let organisation_id = move || params.with(|params| params.get("id").unwrap_or_default());
    let contacts = LocalResource::new(move || {
        let token = session.access_token();
        let id = organisation_id();
        with_token(token, |token| async move {
            api::organisation_contacts(&token, &id).await
        })
    });
    sign_out_when_refused(session, contacts);
    let rows = move || match contacts.get() {
        None => view! { <p class="govuk-body" role="status">"Loading contacts…"</p> }.into_any(),
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(page)) => {
            let organisation = organisation_id();
            let me = session.user();
            // Only the links the caller's role may use (a Finance contact: their own details).
            let may = |kind: ChangeKind, account_id: Option<&str>| {
                may_request(me.as_ref(), &organisation, kind, account_id)
            };
            let body = page
                .items
                .into_iter()
                .map(|contact| {
                    let account = Some(("account_id", contact.id.as_str()));
                    let link = |kind: ChangeKind| {
                        may(kind, Some(&contact.id))
                            .then(|| request_url(kind, &organisation, account))
                    };
                    let edit = link(ChangeKind::UpdateContact);
                    let role = link(ChangeKind::AddRole);
                    let remove = link(ChangeKind::RemoveRole);
                    let name = contact.name.clone();
                    view! {
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell">{contact.name.clone()}</td>
                            <td class="govuk-table__cell">{contact.email.clone()}</td>
                            <td class="govuk-table__cell">{contact.phone.clone()}</td>
                            <td class="govuk-table__cell">{contact.job_title.clone()}</td>
                            <td class="govuk-table__cell">{role_text(&contact.role)}</td>
                            <td class="govuk-table__cell">
                                <ul class="govuk-list">
                                    {edit.map(|edit| view! { <li><a class="govuk-link" href=edit>"Edit"<span class="govuk-visually-hidden">{format!(" {name}'s details")}</span></a></li> })}
                                    {role.map(|role| view! { <li><a class="govuk-link" href=role>"Request role change"<span class="govuk-visually-hidden">{format!(" for {name}")}</span></a></li> })}
                                    {remove.map(|remove| view! { <li><a class="govuk-link" href=remove>"Request role removal"<span class="govuk-visually-hidden">{format!(" for {name}")}</span></a></li> })}
                                </ul>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            let new_contact = may(ChangeKind::NewContact, None)
                .then(|| request_url(ChangeKind::NewContact, &organisation, None));
            view! {
                {new_contact.map(|new_contact| view! {
                    <a class="govuk-button govuk-button--secondary" data-module="govuk-button" href=new_contact role="button" draggable="false">
                        "Request a new contact"
                    </a>
                })}
                <table class="govuk-table">
                    <caption class="govuk-table__caption govuk-visually-hidden">"Contacts"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Name"</th>
                            <th scope="col" class="govuk-table__header">"Email"</th>
                            <th scope="col" class="govuk-table__header">"Telephone"</th>
                            <th scope="col" class="govuk-table__header">"Job title"</th>
                            <th scope="col" class="govuk-table__header">"Role"</th>
                            <th scope="col" class="govuk-table__header">"Request a change"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{body}</tbody>
                </table>
            }
            .into_any()
        }
    };
    view! {
        <a class="govuk-back-link" href="/organisation">"Back to organisation details"</a>
        <h1 class="govuk-heading-l">"Contacts"</h1>
        <p class="govuk-body">"People who use the portal for this organisation. Changes to them are requests the council reviews."</p>
        {rows}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_is_linked_with_what_it_changes() {
        assert_eq!(
            request_url(ChangeKind::UpdateService, "1", Some(("service_id", "4"))),
            "/change-requests/new?kind=update_service&organisation_id=1&service_id=4"
        );
        assert_eq!(
            request_url(ChangeKind::NewContact, "1", None),
            "/change-requests/new?kind=new_contact&organisation_id=1"
        );
    }

    fn me(kind: &str, role: &str) -> Me {
        Me {
            id: "7".to_owned(),
            name: "Jo Hunter".to_owned(),
            email: "jo@example.com".to_owned(),
            kind: kind.to_owned(),
            organisations: if kind == "provider" {
                vec![portal_dto::OrganisationMembership {
                    id: "1".to_owned(),
                    name: "Ally Pally Ltd".to_owned(),
                    role: role.to_owned(),
                }]
            } else {
                Vec::new()
            },
            second_factor_policy: String::new(),
            authenticator_enrolled: false,
            recovery_codes_left: 0,
        }
    }

    #[test]
    fn a_finance_contact_may_only_ask_to_change_their_own_details() {
        let finance = me("provider", "finance");
        let finance = Some(&finance);
        assert!(may_request(
            finance,
            "1",
            ChangeKind::UpdateContact,
            Some("7")
        ));
        assert!(!may_request(
            finance,
            "1",
            ChangeKind::UpdateContact,
            Some("8")
        ));
        assert!(!may_request(finance, "1", ChangeKind::AddRole, Some("7")));
        assert!(!may_request(
            finance,
            "1",
            ChangeKind::RemoveRole,
            Some("7")
        ));
        assert!(!may_request(finance, "1", ChangeKind::NewContact, None));
        assert!(!may_request(
            finance,
            "1",
            ChangeKind::UpdateOrganisation,
            None
        ));
        assert!(!may_request(finance, "1", ChangeKind::UpdateService, None));
    }

    #[test]
    fn managers_administration_and_council_staff_may_ask_for_any_change() {
        for who in [
            me("provider", "manager"),
            me("provider", "administration"),
            me("council", ""),
        ] {
            assert!(may_request(
                Some(&who),
                "1",
                ChangeKind::UpdateContact,
                Some("8")
            ));
            assert!(may_request(
                Some(&who),
                "1",
                ChangeKind::RemoveRole,
                Some("8")
            ));
            assert!(may_request(Some(&who), "1", ChangeKind::NewContact, None));
            assert!(may_request(
                Some(&who),
                "1",
                ChangeKind::UpdateOrganisation,
                None
            ));
        }
        // A role elsewhere says nothing about this organisation.
        let manager = me("provider", "manager");
        assert!(!may_request(
            Some(&manager),
            "2",
            ChangeKind::UpdateOrganisation,
            None
        ));
        assert!(!may_request(
            None,
            "1",
            ChangeKind::UpdateOrganisation,
            None
        ));
    }

    #[test]
    fn refusals_point_at_the_inputs() {
        let fields = form_fields(ChangeKind::UpdateOrganisation);
        let phone = fields
            .iter()
            .find(|field| field.api == "values.phone")
            .unwrap();
        assert_eq!(phone.id, "change-phone");
        assert_eq!(phone.label, "Telephone");
        assert!(fields.iter().any(|field| field.api == "values"));
    }
}
