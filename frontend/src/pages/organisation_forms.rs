//! The council's forms for reference data (DOMAIN 3): add an organisation, a contract, a
//! service, a service level, and change a service level's rate from a date. Each saves,
//! then returns to "Organisations and contracts" with a success message.

use std::future::Future;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use leptos_router::NavigateOptions;
use portal_domain::actual::{ExceptionKind, ExceptionSettings};
use portal_dto::{
    Contract, ContractRules, DatedRate, ExceptionRuleSetting, NewContract, NewOrganisation,
    NewService, NewServiceLevel, Organisation, RateChange, ServiceDetails, ServiceLevel,
    UpdateContract, UpdateOrganisation, UpdateService, UpdateServiceLevel,
};

use crate::api::{self, with_token, ApiResult};
use crate::components::deactivate::{deactivate_section, Retirable};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{
    checked_date, refusals, required_text, Checkbox, DateInput, DateParts, Errors, Field, Radios,
    TextArea, TextInput,
};
use crate::components::page_title::{set_page_title, title_with_errors};
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::format::{date_text, money_text};
use crate::pages::organisations::rate_lines;
use crate::saver::Saver;
use crate::session::use_session;

impl Saver {
    /// What a deactivation on an edit page does when it is done: the message goes with the
    /// council user back to "Organisations and contracts".
    fn back_with_message(&self) -> Callback<String> {
        let Saver {
            flash, navigate, ..
        } = *self;
        Callback::new(move |message: String| {
            flash.set(message);
            navigate.with_value(|navigate| navigate("/organisations", NavigateOptions::default()));
        })
    }

    /// Sends a form's request; on success leaves a message for "Organisations and contracts"
    /// and goes there, on failure pins the problem's fields to the form's inputs.
    fn save<T, F, Fut>(
        &self,
        errors: Errors,
        busy: RwSignal<bool>,
        fields: Vec<Field>,
        call: F,
        message: impl FnOnce(T) -> String + 'static,
    ) where
        T: 'static,
        F: FnOnce(String) -> Fut + 'static,
        Fut: Future<Output = ApiResult<T>> + 'static,
    {
        self.save_edit(errors, busy, fields, None, call, message);
    }

    /// As [`Saver::save`], but a stale version (409) reads as `conflict`.
    fn save_edit<T, F, Fut>(
        &self,
        errors: Errors,
        busy: RwSignal<bool>,
        fields: Vec<Field>,
        conflict: Option<&'static str>,
        call: F,
        message: impl FnOnce(T) -> String + 'static,
    ) where
        T: 'static,
        F: FnOnce(String) -> Fut + 'static,
        Fut: Future<Output = ApiResult<T>> + 'static,
    {
        if busy.get_untracked() {
            return;
        }
        let Saver {
            session,
            flash,
            navigate,
        } = *self;
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let outcome = call(token).await;
            busy.set(false);
            match outcome {
                Ok(saved) => {
                    errors.set(Vec::new());
                    flash.set(message(saved));
                    navigate.with_value(|navigate| {
                        navigate("/organisations", NavigateOptions::default())
                    });
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) if problem.status == 409 && conflict.is_some() => {
                    errors.set(vec![SummaryError::general(conflict.unwrap_or_default())]);
                }
                Err(problem) => {
                    errors.set(refusals(&problem, &fields));
                }
            }
        });
    }
}

/// The frame of each form: back link, error summary, caption and heading.
#[component]
fn FormFrame(
    heading: &'static str,
    #[prop(into)] caption: Signal<String>,
    errors: Errors,
    children: Children,
) -> impl IntoView {
    title_with_errors(move || heading.to_owned(), errors);
    view! {
        <a class="govuk-back-link" href="/organisations">"Back to organisations and contracts"</a>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors />
                <span class="govuk-caption-l">{move || caption.get()}</span>
                <h1 class="govuk-heading-l">{heading}</h1>
                {children()}
            </div>
        </div>
    }
}

fn submit_button(label: &'static str, busy: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="govuk-button-group">
            <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                {label}
            </button>
            <a class="govuk-link" href="/organisations">"Cancel"</a>
        </div>
    }
}

fn organisation_fields() -> Vec<Field> {
    vec![
        Field::new("name", "name", "Name", "Enter the organisation's name"),
        Field::new(
            "address_line1",
            "address-line1",
            "Address line 1",
            "Enter the address",
        ),
        Field::new("town", "town", "Town or city", "Enter the town or city"),
        Field::new("postcode", "postcode", "Postcode", "Enter the postcode"),
        Field::new("email", "email", "Email address", "Enter the email address"),
        Field::new("phone", "phone", "Telephone", "Enter the telephone number"),
    ]
}

#[component]
pub fn NewOrganisationPage() -> impl IntoView {
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    let saver = Saver::new();
    let name = RwSignal::new(String::new());
    let address_line1 = RwSignal::new(String::new());
    let town = RwSignal::new(String::new());
    let postcode = RwSignal::new(String::new());
    let email = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = |value: RwSignal<String>| value.get_untracked().trim().to_owned();
        let organisation = NewOrganisation {
            name: text(name),
            address_line1: text(address_line1),
            town: text(town),
            postcode: text(postcode),
            email: text(email),
            phone: text(phone),
        };
        saver.save(
            errors,
            busy,
            organisation_fields(),
            move |token| async move { api::create_organisation(&token, &organisation).await },
            |saved| format!("Organisation {} added", saved.name),
        );
    };
    view! {
        <FormFrame heading="Add an organisation" caption="Organisations and contracts".to_owned() errors>
            <form novalidate on:submit=submit>
                <TextInput id="name" label="Name" value=name errors autocomplete="organization" hint="The provider's head office, like Ally Pally Ltd" />
                <TextInput id="address-line1" label="Address line 1 (optional)" value=address_line1 errors autocomplete="address-line1" />
                <TextInput id="town" label="Town or city (optional)" value=town errors width="govuk-!-width-two-thirds" autocomplete="address-level2" />
                <TextInput id="postcode" label="Postcode (optional)" value=postcode errors width="govuk-input--width-10" autocomplete="postal-code" />
                <TextInput id="email" label="Email address (optional)" value=email errors input_type="email" autocomplete="email" />
                <TextInput id="phone" label="Telephone (optional)" value=phone errors input_type="tel" width="govuk-input--width-20" autocomplete="tel" />
                {submit_button("Add organisation", busy)}
            </form>
        </FormFrame>
    }
}

fn contract_fields() -> Vec<Field> {
    vec![
        Field::new(
            "organisation_id",
            "name",
            "Organisation",
            "Choose the organisation",
        ),
        Field::new("name", "name", "Contract name", "Enter the contract's name"),
        Field::new(
            "contract_type_group",
            "contract-type-group",
            "Contract type group",
            "Enter the contract type group",
        ),
        Field::new(
            "payment_model",
            "payment-model",
            "Payment model",
            "Choose the payment model",
        ),
        Field::new(
            "period_weeks",
            "period-weeks",
            "Payment period",
            "Choose the payment period",
        ),
        Field::new(
            "period_anchor",
            "period-anchor-day",
            "The first period's start",
            "Enter the date the first payment period starts",
        ),
        Field::new(
            "vat_rate_percent",
            "vat-rate-percent",
            "VAT rate",
            "Enter the VAT rate",
        ),
    ]
}

#[component]
pub fn NewContractPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let organisation_id =
        Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    let organisations = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::organisations(&token).await },
        )
    });
    sign_out_when_refused(session, organisations);
    let caption = Signal::derive(move || {
        let id = organisation_id.get();
        organisations
            .get()
            .and_then(Result::ok)
            .and_then(|page| page.items.into_iter().find(|o| o.id == id))
            .map(|organisation| organisation.name)
            .unwrap_or_default()
    });

    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    let saver = Saver::new();
    let name = RwSignal::new(String::new());
    let group = RwSignal::new(String::new());
    let payment_model = RwSignal::new(String::new());
    let period_weeks = RwSignal::new(String::new());
    let anchor = DateParts::new();
    let vat = RwSignal::new(String::new());

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut found = Vec::new();
        let name = required_text(name, "name", "Enter the contract's name", &mut found);
        let group = required_text(
            group,
            "contract-type-group",
            "Enter the contract type group",
            &mut found,
        );
        let model = required_text(
            payment_model,
            "payment-model",
            "Choose the payment model",
            &mut found,
        );
        let weeks = required_text(
            period_weeks,
            "period-weeks",
            "Choose the payment period",
            &mut found,
        );
        let anchor = checked_date(
            &anchor,
            "period-anchor",
            "The first period's start",
            Some("Enter the date the first payment period starts"),
            &mut found,
        );
        let vat = required_text(vat, "vat-rate-percent", "Enter the VAT rate", &mut found);
        if !found.is_empty() {
            errors.set(found);
            return;
        }
        let contract = NewContract {
            organisation_id: organisation_id.get_untracked(),
            name,
            contract_type_group: group,
            payment_model: model,
            period_weeks: weeks.parse().unwrap_or_default(),
            period_anchor: anchor.unwrap_or_default(),
            vat_rate_percent: vat,
            exception_settings: Vec::new(),
            rules: ContractRules::default(),
        };
        saver.save(
            errors,
            busy,
            contract_fields(),
            move |token| async move { api::create_contract(&token, &contract).await },
            |saved| format!("Contract {} added", saved.name),
        );
    };
    view! {
        <FormFrame heading="Add a contract" caption errors>
            <form novalidate on:submit=submit>
                <TextInput id="name" label="Contract name" value=name errors hint="For example, Ally Pally Care" />
                <TextInput id="contract-type-group" label="Contract type group" value=group errors width="govuk-!-width-one-half"
                    hint="Homecare, Day Opportunities, Supported Living, Short Breaks, Residential, ..." />
                <Radios id="payment-model" legend="Payment model" value=payment_model errors
                    options=vec![("scheduled", "Scheduled, pay on actuals"), ("invoiced", "Invoiced, pay on actuals")] />
                <Radios id="period-weeks" legend="Payment period" value=period_weeks errors
                    options=vec![("1", "Weekly"), ("2", "Fortnightly"), ("4", "Four-weekly")] />
                <DateInput id="period-anchor" legend="The first period starts on" parts=anchor errors
                    hint="A Monday: periods are runs of whole weeks. For example, 5 4 2021" />
                <TextInput id="vat-rate-percent" label="VAT rate" value=vat errors width="govuk-input--width-4"
                    inputmode="decimal" suffix="%" hint="For example, 0 or 20" />
                {submit_button("Add contract", busy)}
            </form>
        </FormFrame>
    }
}

/// The contract a form adds to, named for its caption.
fn contract_caption(contract_id: Memo<String>) -> Signal<String> {
    let session = use_session();
    let contracts = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::contracts(&token, "").await },
        )
    });
    sign_out_when_refused(session, contracts);
    Signal::derive(move || {
        let id = contract_id.get();
        contracts
            .get()
            .and_then(Result::ok)
            .and_then(|page| page.items.into_iter().find(|c| c.id == id))
            .map(|contract| format!("Contract: {}", contract.name))
            .unwrap_or_default()
    })
}

fn service_fields() -> Vec<Field> {
    vec![
        Field::new("contract_id", "name", "Contract", "Choose the contract"),
        Field::new("name", "name", "Service name", "Enter the service's name"),
        Field::new(
            "address_line1",
            "address-line1",
            "Address line 1",
            "Enter the address",
        ),
        Field::new("town", "town", "Town or city", "Enter the town or city"),
        Field::new("postcode", "postcode", "Postcode", "Enter the postcode"),
    ]
}

#[component]
pub fn NewServicePage() -> impl IntoView {
    let params = use_params_map();
    let contract_id =
        Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    let caption = contract_caption(contract_id);
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    let saver = Saver::new();
    let name = RwSignal::new(String::new());
    let address_line1 = RwSignal::new(String::new());
    let town = RwSignal::new(String::new());
    let postcode = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = |value: RwSignal<String>| value.get_untracked().trim().to_owned();
        let service = NewService {
            contract_id: contract_id.get_untracked(),
            name: text(name),
            address_line1: text(address_line1),
            town: text(town),
            postcode: text(postcode),
        };
        saver.save(
            errors,
            busy,
            service_fields(),
            move |token| async move { api::create_service(&token, &service).await },
            |saved| format!("Service {} added", saved.name),
        );
    };
    view! {
        <FormFrame heading="Add a service" caption errors>
            <form novalidate on:submit=submit>
                <TextInput id="name" label="Service name" value=name errors hint="A site or location, like Ally Pally Home Care" />
                <TextInput id="address-line1" label="Address line 1 (optional)" value=address_line1 errors autocomplete="address-line1" />
                <TextInput id="town" label="Town or city (optional)" value=town errors width="govuk-!-width-two-thirds" autocomplete="address-level2" />
                <TextInput id="postcode" label="Postcode (optional)" value=postcode errors width="govuk-input--width-10" autocomplete="postal-code" />
                {submit_button("Add service", busy)}
            </form>
        </FormFrame>
    }
}

fn level_fields() -> Vec<Field> {
    vec![
        Field::new("contract_id", "name", "Contract", "Choose the contract"),
        Field::new(
            "name",
            "name",
            "Service level name",
            "Enter the service level's name",
        ),
        Field::new("unit", "unit", "Unit", "Choose the unit"),
        Field::new(
            "pricing_kind",
            "pricing-kind",
            "Pricing",
            "Choose how it is priced",
        ),
        Field::new("rate", "rate", "Rate", "Enter the rate"),
        Field::new(
            "rate_effective_from",
            "rate-effective-from-day",
            "Rate applies from",
            "Enter the date the rate applies from",
        ),
        Field::new(
            "service_group_class",
            "service-group-class",
            "Service group class",
            "",
        ),
        Field::new("cost_centre", "cost-centre", "Cost centre", ""),
        Field::new("subjective", "subjective", "Subjective", ""),
    ]
}

#[component]
pub fn NewServiceLevelPage() -> impl IntoView {
    let params = use_params_map();
    let contract_id =
        Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    let caption = contract_caption(contract_id);
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    let saver = Saver::new();
    let name = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let pricing_kind = RwSignal::new(String::new());
    let rate = RwSignal::new(String::new());
    let rate_from = DateParts::new();
    let class = RwSignal::new(String::new());
    let cost_centre = RwSignal::new(String::new());
    let subjective = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut found = Vec::new();
        let name = required_text(name, "name", "Enter the service level's name", &mut found);
        let unit = required_text(unit, "unit", "Choose the unit", &mut found);
        let pricing_kind = required_text(
            pricing_kind,
            "pricing-kind",
            "Choose how it is priced",
            &mut found,
        );
        let rate = required_text(rate, "rate", "Enter the rate", &mut found);
        let rate_from = checked_date(
            &rate_from,
            "rate-effective-from",
            "Rate applies from",
            Some("Enter the date the rate applies from"),
            &mut found,
        );
        if !found.is_empty() {
            errors.set(found);
            return;
        }
        let text = |value: RwSignal<String>| value.get_untracked().trim().to_owned();
        let level = NewServiceLevel {
            contract_id: contract_id.get_untracked(),
            name,
            unit,
            pricing_kind,
            rate: rate.trim_start_matches('£').to_owned(),
            rate_effective_from: rate_from.unwrap_or_default(),
            service_group_class: text(class),
            cost_centre: text(cost_centre),
            subjective: text(subjective),
        };
        saver.save(
            errors,
            busy,
            level_fields(),
            move |token| async move { api::create_service_level(&token, &level).await },
            |saved| format!("Service level {} added", saved.name),
        );
    };
    view! {
        <FormFrame heading="Add a service level" caption errors>
            <form novalidate on:submit=submit>
                <TextInput id="name" label="Service level name" value=name errors
                    hint="A priced kind of care, like Homecare Flexible - Bradford - Single-handed" />
                <Radios id="unit" legend="Unit" value=unit errors inline=true
                    options=vec![("hour", "Hour"), ("session", "Session"), ("night", "Night")] />
                <Radios id="pricing-kind" legend="Pricing" value=pricing_kind errors
                    options=vec![
                        ("per_unit", "Per unit (spot): units a week at the rate"),
                        ("timetabled", "Timetabled: units on given weekdays"),
                        ("intermittent", "Intermittent: an annual allocation, like short-break nights"),
                    ] />
                <TextInput id="rate" label="Rate" value=rate errors width="govuk-input--width-5" inputmode="decimal"
                    prefix="£" hint="Per unit, in pounds and pence, like 20.00" />
                <DateInput id="rate-effective-from" legend="Rate applies from" parts=rate_from errors />
                <TextInput id="service-group-class" label="Service group class (optional)" value=class errors width="govuk-!-width-one-half" />
                <TextInput id="cost-centre" label="Cost centre (optional)" value=cost_centre errors width="govuk-!-width-one-half" />
                <TextInput id="subjective" label="Subjective (optional)" value=subjective errors width="govuk-!-width-one-half" />
                {submit_button("Add service level", busy)}
            </form>
        </FormFrame>
    }
}

/// What a stale organisation edit says.
pub const ORGANISATION_CONFLICT: &str =
    "Someone changed this organisation first. Reload to see their changes.";

/// What a stale contract edit says.
pub const CONTRACT_CONFLICT: &str =
    "Someone changed this contract first. Reload to see their changes.";

/// An edit form's buttons; after a stale save, a link that reloads the record.
fn edit_buttons(busy: RwSignal<bool>, errors: Errors) -> impl IntoView {
    let conflict = move || {
        errors.with(|errors| {
            errors.iter().any(|error| {
                error.field_id.is_none() && error.message.starts_with("Someone changed")
            })
        })
    };
    view! {
        <div class="govuk-button-group">
            <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                "Save changes"
            </button>
            <Show when=conflict>
                <a class="govuk-link" href="" on:click=|event: leptos::ev::MouseEvent| {
                    event.prevent_default();
                    if let Some(window) = web_sys::window() {
                        let _ = window.location().reload();
                    }
                }>"Reload"</a>
            </Show>
            <a class="govuk-link" href="/organisations">"Cancel"</a>
        </div>
    }
}

/// A page's state before its form: loading, or what went wrong.
fn not_ready(
    heading: &'static str,
    loading: &'static str,
    problem: Option<portal_dto::Problem>,
) -> AnyView {
    set_page_title(heading);
    match problem {
        None => view! { <p class="govuk-body" role="status">{loading}</p> }.into_any(),
        Some(problem) => view! {
            <a class="govuk-back-link" href="/organisations">"Back to organisations and contracts"</a>
            <h1 class="govuk-heading-l">{heading}</h1>
            <ProblemText problem />
        }
        .into_any(),
    }
}

#[component]
pub fn EditOrganisationPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    let organisation = LocalResource::new(move || {
        let token = session.access_token();
        let id = id.get();
        with_token(token, move |token| async move {
            api::organisation(&token, &id).await
        })
    });
    sign_out_when_refused(session, organisation);
    let heading = "Change an organisation";
    move || match organisation.get() {
        None => not_ready(heading, "Loading the organisation…", None),
        Some(Err(problem)) => not_ready(heading, "", Some(problem)),
        Some(Ok(organisation)) => view! { <EditOrganisationForm organisation /> }.into_any(),
    }
}

#[component]
fn EditOrganisationForm(organisation: Organisation) -> impl IntoView {
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    let saver = Saver::new();
    let name = RwSignal::new(organisation.name.clone());
    let address_line1 = RwSignal::new(organisation.address_line1.clone());
    let town = RwSignal::new(organisation.town.clone());
    let postcode = RwSignal::new(organisation.postcode.clone());
    let email = RwSignal::new(organisation.email.clone());
    let phone = RwSignal::new(organisation.phone.clone());
    let caption = organisation.name.clone();
    let (id, version) = (organisation.id.clone(), organisation.version);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = |value: RwSignal<String>| value.get_untracked().trim().to_owned();
        let edit = UpdateOrganisation {
            version,
            details: NewOrganisation {
                name: text(name),
                address_line1: text(address_line1),
                town: text(town),
                postcode: text(postcode),
                email: text(email),
                phone: text(phone),
            },
        };
        let saved_name = edit.details.name.clone();
        let id = id.clone();
        saver.save_edit(
            errors,
            busy,
            organisation_fields(),
            Some(ORGANISATION_CONFLICT),
            move |token| async move { api::edit_organisation(&token, &id, &edit).await },
            move |_| format!("Organisation {saved_name} saved"),
        );
    };
    view! {
        <FormFrame heading="Change an organisation" caption errors>
            <form novalidate on:submit=submit>
                <TextInput id="name" label="Name" value=name errors autocomplete="organization" />
                <TextInput id="address-line1" label="Address line 1 (optional)" value=address_line1 errors autocomplete="address-line1" />
                <TextInput id="town" label="Town or city (optional)" value=town errors width="govuk-!-width-two-thirds" autocomplete="address-level2" />
                <TextInput id="postcode" label="Postcode (optional)" value=postcode errors width="govuk-input--width-10" autocomplete="postal-code" />
                <TextInput id="email" label="Email address (optional)" value=email errors input_type="email" autocomplete="email" />
                <TextInput id="phone" label="Telephone (optional)" value=phone errors input_type="tel" width="govuk-input--width-20" autocomplete="tel" />
                {edit_buttons(busy, errors)}
            </form>
        </FormFrame>
    }
}

/// What a stale service level edit says.
pub const LEVEL_CONFLICT: &str =
    "Someone changed this service level first. Reload to see their changes.";

fn level_edit_fields() -> Vec<Field> {
    vec![
        Field::new(
            "name",
            "name",
            "Service level name",
            "Enter the service level's name",
        ),
        Field::new(
            "service_group_class",
            "service-group-class",
            "Service group class",
            "",
        ),
        Field::new("cost_centre", "cost-centre", "Cost centre", ""),
        Field::new("subjective", "subjective", "Subjective", ""),
    ]
}

#[component]
pub fn EditServiceLevelPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let level_id = Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    let levels = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move {
            api::service_levels(&token, "").await
        })
    });
    sign_out_when_refused(session, levels);
    let heading = "Change a service level";
    move || match levels.get() {
        None => not_ready(heading, "Loading the service level…", None),
        Some(Err(problem)) => not_ready(heading, "", Some(problem)),
        Some(Ok(page)) => {
            let id = level_id.get();
            match page.items.into_iter().find(|level| level.id == id) {
                Some(level) => view! { <EditServiceLevelForm level /> }.into_any(),
                None => not_ready(
                    heading,
                    "",
                    Some(portal_dto::Problem {
                        problem_type: "/problems/not-found".to_owned(),
                        title: "Not found".to_owned(),
                        status: 404,
                        detail: "There is no such service level of this council.".to_owned(),
                        errors: Vec::new(),
                    }),
                ),
            }
        }
    }
}

#[component]
fn EditServiceLevelForm(level: ServiceLevel) -> impl IntoView {
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    let saver = Saver::new();
    let name = RwSignal::new(level.name.clone());
    let class = RwSignal::new(level.service_group_class.clone());
    let cost_centre = RwSignal::new(level.cost_centre.clone());
    let subjective = RwSignal::new(level.subjective.clone());
    let caption = level.name.clone();
    let (id, version) = (level.id.clone(), level.version);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = |value: RwSignal<String>| value.get_untracked().trim().to_owned();
        let edit = UpdateServiceLevel {
            version,
            name: text(name),
            service_group_class: text(class),
            cost_centre: text(cost_centre),
            subjective: text(subjective),
        };
        let saved_name = edit.name.clone();
        let id = id.clone();
        saver.save_edit(
            errors,
            busy,
            level_edit_fields(),
            Some(LEVEL_CONFLICT),
            move |token| async move { api::edit_service_level(&token, &id, &edit).await },
            move |_| format!("Service level {saved_name} saved"),
        );
    };
    view! {
        <FormFrame heading="Change a service level" caption errors>
            <p class="govuk-body">"To change the rate, use “Change the rate”: a rate applies from a date."</p>
            <form novalidate on:submit=submit>
                <TextInput id="name" label="Service level name" value=name errors />
                <TextInput id="service-group-class" label="Service group class (optional)" value=class errors />
                <TextInput id="cost-centre" label="Cost centre (optional)" value=cost_centre errors />
                <TextInput id="subjective" label="Subjective (optional)" value=subjective errors />
                {edit_buttons(busy, errors)}
            </form>
            {deactivate_section(Retirable::ServiceLevel, level.id.clone(), level.name.clone(), level.version, saver.back_with_message())}
        </FormFrame>
    }
}

/// What a stale service edit says.
pub const SERVICE_CONFLICT: &str =
    "Someone changed this service first. Reload to see their changes.";

fn service_edit_fields() -> Vec<Field> {
    // The contract is fixed once a service exists.
    service_fields()
        .into_iter()
        .filter(|field| field.api != "contract_id")
        .collect()
}

#[component]
pub fn EditServicePage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    let service = LocalResource::new(move || {
        let token = session.access_token();
        let id = id.get();
        with_token(token, move |token| async move {
            api::service(&token, &id).await
        })
    });
    sign_out_when_refused(session, service);
    let heading = "Change a service";
    move || match service.get() {
        None => not_ready(heading, "Loading the service…", None),
        Some(Err(problem)) => not_ready(heading, "", Some(problem)),
        Some(Ok(service)) => view! { <EditServiceForm service /> }.into_any(),
    }
}

#[component]
fn EditServiceForm(service: ServiceDetails) -> impl IntoView {
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    let saver = Saver::new();
    let name = RwSignal::new(service.service.name.clone());
    let address_line1 = RwSignal::new(service.address_line1.clone());
    let town = RwSignal::new(service.town.clone());
    let postcode = RwSignal::new(service.postcode.clone());
    let caption = format!("Contract: {}", service.service.contract_name);
    let (id, version) = (service.service.id.clone(), service.version);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let text = |value: RwSignal<String>| value.get_untracked().trim().to_owned();
        let edit = UpdateService {
            version,
            name: text(name),
            address_line1: text(address_line1),
            town: text(town),
            postcode: text(postcode),
        };
        let saved_name = edit.name.clone();
        let id = id.clone();
        saver.save_edit(
            errors,
            busy,
            service_edit_fields(),
            Some(SERVICE_CONFLICT),
            move |token| async move { api::edit_service(&token, &id, &edit).await },
            move |_| format!("Service {saved_name} saved"),
        );
    };
    view! {
        <FormFrame heading="Change a service" caption errors>
            <form novalidate on:submit=submit>
                <TextInput id="name" label="Service name" value=name errors />
                <TextInput id="address-line1" label="Address line 1 (optional)" value=address_line1 errors autocomplete="address-line1" />
                <TextInput id="town" label="Town or city (optional)" value=town errors width="govuk-!-width-two-thirds" autocomplete="address-level2" />
                <TextInput id="postcode" label="Postcode (optional)" value=postcode errors width="govuk-input--width-10" autocomplete="postal-code" />
                {edit_buttons(busy, errors)}
            </form>
            {deactivate_section(Retirable::Service, service.service.id.clone(), service.service.name.clone(), service.version, saver.back_with_message())}
        </FormFrame>
    }
}

fn contract_edit_fields() -> Vec<Field> {
    vec![
        Field::new("name", "name", "Contract name", "Enter the contract's name"),
        Field::new(
            "contract_type_group",
            "contract-type-group",
            "Contract type group",
            "Enter the contract type group",
        ),
        Field::new(
            "vat_rate_percent",
            "vat-rate-percent",
            "VAT rate",
            "Enter the VAT rate",
        ),
        Field::new(
            "rules.frustrated_comments",
            "frustrated-comments",
            "Frustrated units only with these comments",
            "",
        ),
    ]
}

/// The contract's rule for each exception type, the DOMAIN 4.6 default where it has none.
pub fn exception_rules(contract: &Contract) -> Vec<ExceptionRuleSetting> {
    let defaults = ExceptionSettings::default();
    ExceptionKind::ALL
        .into_iter()
        .map(|kind| {
            contract
                .exception_settings
                .iter()
                .find(|setting| setting.kind == kind.code())
                .cloned()
                .unwrap_or_else(|| {
                    let rule = defaults.rule(kind);
                    ExceptionRuleSetting {
                        kind: kind.code().to_owned(),
                        enabled: rule.enabled,
                        threshold_percent: rule.threshold_percent.to_string(),
                        effect: rule.effect.code().to_owned(),
                    }
                })
        })
        .collect()
}

/// The exception type's name as the guides give it.
pub fn exception_title(code: &str) -> &'static str {
    ExceptionKind::from_code(code)
        .map(ExceptionKind::title)
        .unwrap_or("Exception")
}

/// One comment a line, without blank lines or surrounding spaces.
pub fn comment_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
pub fn EditContractPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    let contracts = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::contracts(&token, "").await },
        )
    });
    sign_out_when_refused(session, contracts);
    let heading = "Change a contract";
    move || match contracts.get() {
        None => not_ready(heading, "Loading the contract…", None),
        Some(Err(problem)) => not_ready(heading, "", Some(problem)),
        Some(Ok(page)) => {
            let id = id.get();
            match page.items.into_iter().find(|contract| contract.id == id) {
                Some(contract) => view! { <EditContractForm contract /> }.into_any(),
                None => {
                    set_page_title("Contract not found");
                    view! {
                        <a class="govuk-back-link" href="/organisations">"Back to organisations and contracts"</a>
                        <h1 class="govuk-heading-l">"Contract not found"</h1>
                    }
                    .into_any()
                }
            }
        }
    }
}

/// One exception type's settings as typed.
#[derive(Clone, Copy)]
struct ExceptionDraft {
    kind: &'static str,
    enabled: RwSignal<bool>,
    threshold: RwSignal<String>,
    effect: RwSignal<String>,
}

#[component]
fn EditContractForm(contract: Contract) -> impl IntoView {
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    let saver = Saver::new();
    let name = RwSignal::new(contract.name.clone());
    let group = RwSignal::new(contract.contract_type_group.clone());
    let vat = RwSignal::new(contract.vat_rate_percent.clone());
    let drafts: Vec<ExceptionDraft> = exception_rules(&contract)
        .into_iter()
        .filter_map(|setting| {
            let kind = ExceptionKind::from_code(&setting.kind)?.code();
            Some(ExceptionDraft {
                kind,
                enabled: RwSignal::new(setting.enabled),
                threshold: RwSignal::new(setting.threshold_percent),
                effect: RwSignal::new(setting.effect),
            })
        })
        .collect();
    let comment_mandatory = RwSignal::new(contract.rules.comment_mandatory);
    let visits_mandatory = RwSignal::new(contract.rules.visits_mandatory);
    let extra_allowed = RwSignal::new(contract.rules.extra_allowed);
    let frustrated = RwSignal::new(contract.rules.frustrated_comments.join("\n"));
    let caption = contract.name.clone();
    let (id, version) = (contract.id.clone(), contract.version);
    let stored_drafts = StoredValue::new(drafts.clone());

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut found = Vec::new();
        let name = required_text(name, "name", "Enter the contract's name", &mut found);
        let group = required_text(
            group,
            "contract-type-group",
            "Enter the contract type group",
            &mut found,
        );
        let vat = required_text(vat, "vat-rate-percent", "Enter the VAT rate", &mut found);
        if !found.is_empty() {
            errors.set(found);
            return;
        }
        let exception_settings = stored_drafts.with_value(|drafts| {
            drafts
                .iter()
                .map(|draft| ExceptionRuleSetting {
                    kind: draft.kind.to_owned(),
                    enabled: draft.enabled.get_untracked(),
                    threshold_percent: draft
                        .threshold
                        .get_untracked()
                        .trim()
                        .trim_end_matches('%')
                        .to_owned(),
                    effect: draft.effect.get_untracked(),
                })
                .collect()
        });
        let edit = UpdateContract {
            version,
            name,
            contract_type_group: group,
            vat_rate_percent: vat.trim_end_matches('%').trim().to_owned(),
            exception_settings,
            rules: ContractRules {
                comment_mandatory: comment_mandatory.get_untracked(),
                visits_mandatory: visits_mandatory.get_untracked(),
                extra_allowed: extra_allowed.get_untracked(),
                frustrated_comments: comment_lines(&frustrated.get_untracked()),
            },
        };
        let id = id.clone();
        saver.save_edit(
            errors,
            busy,
            contract_edit_fields(),
            Some(CONTRACT_CONFLICT),
            move |token| async move { api::edit_contract(&token, &id, &edit).await },
            |saved| format!("Contract {} saved", saved.name),
        );
    };

    let exceptions = drafts
        .into_iter()
        .map(|draft| {
            let stem = format!("exception-{}", draft.kind.replace('_', "-"));
            view! {
                <fieldset class="govuk-fieldset app-exception-setting">
                    <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">
                        {exception_title(draft.kind)}
                    </legend>
                    <Checkbox id=format!("{stem}-enabled") label="Raise this exception" checked=draft.enabled />
                    <TextInput id=format!("{stem}-threshold") label="Threshold" value=draft.threshold errors
                        width="govuk-input--width-4" inputmode="decimal" suffix="%"
                        hint="Percent over the plan allowed before it is raised; 0 raises it at once" />
                    <Radios id=format!("{stem}-effect") legend="Payment effect" value=draft.effect errors inline=true
                        options=vec![("pay", "Pay"), ("suspend", "Suspend")] />
                </fieldset>
            }
        })
        .collect_view();

    view! {
        <FormFrame heading="Change a contract" caption errors>
            <form novalidate on:submit=submit>
                <TextInput id="name" label="Contract name" value=name errors />
                <TextInput id="contract-type-group" label="Contract type group" value=group errors width="govuk-!-width-one-half"
                    hint="Homecare, Day Opportunities, Supported Living, Short Breaks, Residential, ..." />
                <TextInput id="vat-rate-percent" label="VAT rate" value=vat errors width="govuk-input--width-4"
                    inputmode="decimal" suffix="%" hint="For example, 0 or 20" />
                <h2 class="govuk-heading-m">"Exceptions"</h2>
                <p class="govuk-body">"Exceptions warn and never block a save; Suspend holds the client's payment until the council decides."</p>
                {exceptions}
                <h2 class="govuk-heading-m">"Rules for actuals"</h2>
                <Checkbox id="comment-mandatory" label="A comment is required when a line differs from the plan" checked=comment_mandatory />
                <Checkbox id="visits-mandatory" label="Visits are required" checked=visits_mandatory />
                <Checkbox id="extra-allowed" label="Extra units may be claimed" checked=extra_allowed />
                <TextArea id="frustrated-comments" label="Frustrated units only with these comments" value=frustrated errors
                    hint="One comment a line, like Hospital Week 1. Leave empty to allow any comment." />
                {edit_buttons(busy, errors)}
            </form>
            {deactivate_section(Retirable::Contract, contract.id.clone(), contract.name.clone(), contract.version, saver.back_with_message())}
        </FormFrame>
    }
}

/// "5 care package line items got a new version".
pub fn versions_made_text(count: u32) -> String {
    match count {
        0 => "No care package line items got a new version".to_owned(),
        1 => "1 care package line item got a new version".to_owned(),
        count => format!("{count} care package line items got a new version"),
    }
}

fn rate_change_message(change: &RateChange) -> String {
    let level = &change.service_level;
    let newest = level
        .rates
        .iter()
        .max_by(|a, b| a.effective_from.cmp(&b.effective_from));
    let rate = newest
        .map(|rate| {
            format!(
                " is {} from {}",
                money_text(&rate.rate),
                date_text(&rate.effective_from)
            )
        })
        .unwrap_or_default();
    format!(
        "The rate of {}{rate}. {}.",
        level.name,
        versions_made_text(change.cpli_versions_created)
    )
}

fn rate_fields() -> Vec<Field> {
    vec![
        Field::new(
            "effective_from",
            "effective-from-day",
            "Change from",
            "Enter the date the new rate applies from",
        ),
        Field::new("rate", "rate", "New rate", "Enter the new rate"),
    ]
}

#[component]
pub fn NewRatePage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let level_id = Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    let levels = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move {
            api::service_levels(&token, "").await
        })
    });
    sign_out_when_refused(session, levels);
    let level = Memo::new(move |_| {
        let id = level_id.get();
        levels
            .get()
            .and_then(Result::ok)
            .and_then(|page| page.items.into_iter().find(|level| level.id == id))
    });
    let caption = Signal::derive(move || {
        level.with(|level| level.as_ref().map(|l| l.name.clone()).unwrap_or_default())
    });

    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    let saver = Saver::new();
    let from = DateParts::new();
    let rate = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut found = Vec::new();
        let from = checked_date(
            &from,
            "effective-from",
            "Change from",
            Some("Enter the date the new rate applies from"),
            &mut found,
        );
        let rate = required_text(rate, "rate", "Enter the new rate", &mut found);
        if !found.is_empty() {
            errors.set(found);
            return;
        }
        let change = DatedRate {
            effective_from: from.unwrap_or_default(),
            rate: rate.trim_start_matches('£').to_owned(),
        };
        let id = level_id.get_untracked();
        saver.save(
            errors,
            busy,
            rate_fields(),
            move |token| async move { api::add_rate(&token, &id, &change).await },
            |change| rate_change_message(&change),
        );
    };
    let current = move || {
        level.get().map(|level| {
            let lines = rate_lines(&level)
                .into_iter()
                .map(|line| view! { <li>{line}</li> })
                .collect_view();
            view! {
                <h2 class="govuk-heading-s">"Rates now"</h2>
                <ul class="govuk-list">{lines}</ul>
            }
        })
    };
    view! {
        <FormFrame heading="Change the rate from a date" caption errors>
            {current}
            <p class="govuk-body">
                "Every care package line item at this service level gets a new version from the date, so each day is paid at the rate in force on it."
            </p>
            <form novalidate on:submit=submit>
                <DateInput id="effective-from" legend="Change from" parts=from errors hint="For example, 1 7 2022" />
                <TextInput id="rate" label="New rate" value=rate errors width="govuk-input--width-5" inputmode="decimal"
                    prefix="£" hint="Per unit, in pounds and pence, like 21.00" />
                {submit_button("Save the new rate", busy)}
            </form>
        </FormFrame>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frustrated_comments_are_one_a_line() {
        assert_eq!(
            comment_lines(" Hospital Week 1\n\n Hospital Week 2 \r\n"),
            ["Hospital Week 1", "Hospital Week 2"]
        );
        assert!(comment_lines("  \n").is_empty());
    }

    #[test]
    fn exception_types_without_a_setting_take_the_defaults() {
        let contract = Contract {
            id: "1".to_owned(),
            organisation_id: "1".to_owned(),
            name: "Ally Pally Care".to_owned(),
            contract_type_group: "Homecare".to_owned(),
            payment_model: "scheduled".to_owned(),
            period_weeks: 1,
            period_anchor: "2021-04-05".to_owned(),
            vat_rate_percent: "0".to_owned(),
            exception_settings: vec![ExceptionRuleSetting {
                kind: "plan_exceeded".to_owned(),
                enabled: true,
                threshold_percent: "10".to_owned(),
                effect: "pay".to_owned(),
            }],
            rules: ContractRules::default(),
            version: 1,
        };
        let rules = exception_rules(&contract);
        let kinds: Vec<&str> = rules.iter().map(|rule| rule.kind.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "does_not_add_up",
                "plan_exceeded",
                "unplanned_actual",
                "allocation_exceeded",
                "comment_missing"
            ]
        );
        assert_eq!(rules[1].threshold_percent, "10");
        assert_eq!(rules[1].effect, "pay");
        assert_eq!(rules[2].effect, "suspend");
        assert!(rules.iter().all(|rule| rule.enabled));
    }

    #[test]
    fn the_rate_change_says_what_it_did() {
        assert_eq!(
            versions_made_text(0),
            "No care package line items got a new version"
        );
        assert_eq!(
            versions_made_text(1),
            "1 care package line item got a new version"
        );
        assert_eq!(
            versions_made_text(5),
            "5 care package line items got a new version"
        );
        let change = RateChange {
            service_level: ServiceLevel {
                id: "1".to_owned(),
                contract_id: "1".to_owned(),
                name: "Homecare Flexible - Bradford - Single-handed".to_owned(),
                unit: "hour".to_owned(),
                pricing_kind: "per_unit".to_owned(),
                rates: vec![
                    DatedRate {
                        effective_from: "2019-04-01".to_owned(),
                        rate: "20.00".to_owned(),
                    },
                    DatedRate {
                        effective_from: "2022-07-01".to_owned(),
                        rate: "21.00".to_owned(),
                    },
                ],
                service_group_class: String::new(),
                cost_centre: String::new(),
                subjective: String::new(),
                version: 1,
            },
            cpli_versions_created: 5,
        };
        assert_eq!(
            rate_change_message(&change),
            "The rate of Homecare Flexible - Bradford - Single-handed is £21.00 from 01/07/2022. 5 care package line items got a new version."
        );
    }
}
