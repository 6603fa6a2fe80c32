//! "Add a care package line item", for council staff: one service for one client from a
//! date, at one of the service's contract's service levels, with the plan its pricing kind
//! needs (DOMAIN 3).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use portal_dto::{DatedRate, NewCpli, Problem, ServiceLevel, ServiceSummary};

use crate::api::{self, with_token};
use crate::components::cpli_terms::{terms_field, TermsDraft, TermsFields};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{
    checked_date, in_form_order, problem_errors, ungrouped, DateInput, DateParts, Field, Options,
    SelectInput,
};
use crate::components::page_title::title_with_errors;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::format::{date_text, money_text, today};
use crate::pages::clients::listed_name;
use crate::session::use_session;

const CLIENT_ID: &str = "client";
const SERVICE_ID: &str = "service";
const LEVEL_ID: &str = "service-level";
const START_ID: &str = "start";

/// The form's fields from top to bottom, as id prefixes.
const FORM_ORDER: [&str; 11] = [
    CLIENT_ID,
    SERVICE_ID,
    LEVEL_ID,
    "start-",
    "end-",
    "weekly-quantity",
    "timetable-",
    "annual-allocation",
    "planned-visits",
    "budget-code",
    "care-package-ref",
];

/// The rate in force on `day` (ISO): the latest that starts on or before it. Rates come
/// oldest first; ISO dates order as text.
pub fn rate_on<'a>(rates: &'a [DatedRate], day: &str) -> Option<&'a DatedRate> {
    rates
        .iter()
        .rfind(|rate| rate.effective_from.as_str() <= day)
}

/// "£20.00 per hour, from 01/04/2019".
pub fn rate_text(rate: &DatedRate, unit: &str) -> String {
    format!(
        "{} per {unit}, from {}",
        money_text(&rate.rate),
        date_text(&rate.effective_from)
    )
}

/// Services by organisation, for the select's groups.
pub fn service_groups(services: &[ServiceSummary]) -> Vec<(String, Options)> {
    let mut groups: Vec<(String, Options)> = Vec::new();
    for service in services {
        let option = (service.id.clone(), service.name.clone());
        match groups
            .iter_mut()
            .find(|(name, _)| *name == service.organisation_name)
        {
            Some((_, options)) => options.push(option),
            None => groups.push((service.organisation_name.clone(), vec![option])),
        }
    }
    groups.sort_by_key(|(name, _)| name.to_lowercase());
    groups
}

/// Where the server's field names land in this form.
fn locate(api: &str, unit: &str) -> Option<Field> {
    match api {
        "client_id" => Some(Field::new(api, CLIENT_ID, "Client", "Choose the client")),
        "service_id" => Some(Field::new(api, SERVICE_ID, "Service", "Choose the service")),
        "service_level_id" => Some(Field::new(
            api,
            LEVEL_ID,
            "Service level",
            "Choose the service level",
        )),
        "start" => Some(Field::new(
            api,
            "start-day",
            "Start date",
            "Enter the start date",
        )),
        other => terms_field(other, unit),
    }
}

fn save_errors(problem: &Problem, unit: &str) -> Vec<SummaryError> {
    let mut lines = problem_errors(problem, |api| locate(api, unit));
    in_form_order(&mut lines, &FORM_ORDER);
    lines
}

#[component]
pub fn NewCpliPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let flash = use_flash();
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    title_with_errors(|| "Add a care package line item".to_owned(), errors);

    let client = RwSignal::new(String::new());
    let service = RwSignal::new(String::new());
    let level = RwSignal::new(String::new());
    let start = DateParts::new();
    let draft = TermsDraft::new();

    let clients = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move { api::clients(&token, "").await })
    });
    let services = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move { api::services(&token).await })
    });
    sign_out_when_refused(session, clients);
    sign_out_when_refused(session, services);

    let service_list = Memo::new(move |_| {
        services
            .get()
            .and_then(Result::ok)
            .map(|page| page.items)
            .unwrap_or_default()
    });
    let contract = Memo::new(move |_| {
        let chosen = service.get();
        service_list.with(|services| {
            services
                .iter()
                .find(|service| service.id == chosen)
                .map(|service| service.contract_id.clone())
                .unwrap_or_default()
        })
    });
    let levels = LocalResource::new(move || {
        let token = session.access_token();
        let contract = contract.get();
        async move {
            if contract.is_empty() {
                return Ok(Vec::new());
            }
            with_token(token, |token| async move {
                api::service_levels(&token, &contract).await
            })
            .await
            .map(|page| page.items)
        }
    });
    // A level belongs to one contract: a new service's contract starts the choice again.
    Effect::new(move |previous: Option<String>| {
        let current = contract.get();
        if previous.is_some_and(|previous| previous != current) {
            level.set(String::new());
        }
        current
    });
    let chosen_level = Memo::new(move |_| {
        let chosen = level.get();
        levels
            .get()
            .and_then(Result::ok)
            .and_then(|levels| levels.into_iter().find(|level| level.id == chosen))
    });
    let pricing_kind = Signal::derive(move || {
        chosen_level.with(|level| {
            level
                .as_ref()
                .map(|level| level.pricing_kind.clone())
                .unwrap_or_default()
        })
    });
    let unit = Signal::derive(move || {
        chosen_level.with(|level| {
            level
                .as_ref()
                .map(|level| level.unit.clone())
                .unwrap_or_default()
        })
    });

    let client_options = Signal::derive(move || {
        let options: Options = clients
            .get()
            .and_then(Result::ok)
            .map(|page| {
                page.items
                    .iter()
                    .map(|client| (client.id.clone(), listed_name(client)))
                    .collect()
            })
            .unwrap_or_default();
        ungrouped(options)
    });
    let service_options =
        Signal::derive(move || service_list.with(|services| service_groups(services)));
    let level_options = Signal::derive(move || {
        let options: Options = levels
            .get()
            .and_then(Result::ok)
            .map(|levels| {
                levels
                    .iter()
                    .map(|level| (level.id.clone(), level.name.clone()))
                    .collect()
            })
            .unwrap_or_default();
        ungrouped(options)
    });
    let rate_shown = move || {
        chosen_level.get().map(|level: ServiceLevel| {
            let today = portal_domain::calendar::iso_date(today());
            let current = rate_on(&level.rates, &today)
                .or_else(|| level.rates.first())
                .map(|rate| rate_text(rate, &level.unit))
                .unwrap_or_else(|| "No rate yet".to_owned());
            view! {
                <div class="govuk-inset-text app-level-rate" id="service-level-rate">
                    <p class="govuk-body govuk-!-margin-bottom-0">
                        <span class="govuk-!-font-weight-bold">"Current rate: "</span>{current}
                    </p>
                </div>
            }
        })
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let mut found = Vec::new();
        let required =
            |value: RwSignal<String>, id: &str, missing: &str, found: &mut Vec<SummaryError>| {
                let chosen = value.get_untracked();
                if chosen.is_empty() {
                    found.push(SummaryError::at(id, missing));
                }
                chosen
            };
        let client_id = required(client, CLIENT_ID, "Choose the client", &mut found);
        let service_id = required(service, SERVICE_ID, "Choose the service", &mut found);
        let level_id = required(level, LEVEL_ID, "Choose the service level", &mut found);
        let start = checked_date(
            &start,
            START_ID,
            "Start date",
            Some("Enter the start date"),
            &mut found,
        );
        let unit = unit.get_untracked();
        let terms = draft.terms(&pricing_kind.get_untracked(), &unit, &mut found);
        if !found.is_empty() {
            in_form_order(&mut found, &FORM_ORDER);
            errors.set(found);
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let cpli = NewCpli {
            client_id,
            service_id,
            service_level_id: level_id,
            start: start.unwrap_or_default(),
            terms,
            external_ref: None,
        };
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            let outcome = api::create_cpli(&token, &cpli).await;
            busy.set(false);
            match outcome {
                Ok(created) => {
                    errors.set(Vec::new());
                    flash.set(format!("Care package line item {} created", created.id));
                    navigate(
                        &format!("/cplis/{}", created.id),
                        NavigateOptions::default(),
                    );
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(save_errors(&problem, &unit)),
            }
        });
    };

    let loading_problem = move || {
        clients
            .get()
            .and_then(Result::err)
            .or_else(|| services.get().and_then(Result::err))
            .or_else(|| levels.get().and_then(Result::err))
            .map(|problem| view! { <ProblemText problem /> })
    };

    view! {
        <a class="govuk-back-link" href="/cplis">"Back to Care Package Line Items"</a>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors />
                <h1 class="govuk-heading-l">"Add a care package line item"</h1>
                {loading_problem}
                <form novalidate on:submit=submit>
                    <SelectInput id=CLIENT_ID label="Client" value=client errors groups=client_options choose="Choose a client"
                        hint="To add someone new, add them on the Clients page first." />
                    <SelectInput id=SERVICE_ID label="Service" value=service errors groups=service_options choose="Choose a service" />
                    <SelectInput id=LEVEL_ID label="Service level" value=level errors groups=level_options choose="Choose a service level"
                        hint="The service levels of the chosen service's contract." />
                    {rate_shown}
                    <DateInput id=START_ID legend="Start date" parts=start errors hint="The first day of care. For example, 6 6 2022" />
                    <TermsFields draft pricing_kind unit errors />
                    <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                        "Add care package line item"
                    </button>
                </form>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_dto::FieldError;

    fn rate(from: &str, rate: &str) -> DatedRate {
        DatedRate {
            effective_from: from.to_owned(),
            rate: rate.to_owned(),
        }
    }

    #[test]
    fn the_rate_on_a_day_is_the_latest_begun() {
        let rates = [rate("2019-04-01", "20.00"), rate("2022-07-01", "21.00")];
        assert_eq!(
            rate_on(&rates, "2022-06-30").map(|r| r.rate.as_str()),
            Some("20.00")
        );
        assert_eq!(
            rate_on(&rates, "2022-07-01").map(|r| r.rate.as_str()),
            Some("21.00")
        );
        assert_eq!(rate_on(&rates, "2019-03-31"), None);
        assert_eq!(
            rate_text(&rates[1], "hour"),
            "£21.00 per hour, from 01/07/2022"
        );
    }

    #[test]
    fn refusals_follow_the_form_and_speak_of_its_labels() {
        let problem = Problem {
            problem_type: "/problems/validation".to_owned(),
            title: "Some fields are not valid".to_owned(),
            status: 422,
            detail: String::new(),
            errors: [
                ("planned_visits", "must be a number, like 5 or 5.5"),
                ("start", "is before the service level's first rate"),
                ("client_id", "is not a client of this council"),
            ]
            .iter()
            .map(|(field, message)| FieldError {
                field: (*field).to_owned(),
                message: (*message).to_owned(),
            })
            .collect(),
        };
        assert_eq!(
            save_errors(&problem, "hour"),
            [
                SummaryError::at("client", "Client is not a client of this council"),
                SummaryError::at(
                    "start-day",
                    "Start date is before the service level's first rate"
                ),
                SummaryError::at(
                    "planned-visits",
                    "Planned visits per week must be a number, like 5 or 5.5"
                ),
            ]
        );
    }

    #[test]
    fn services_are_grouped_by_organisation() {
        let service = |id: &str, name: &str, organisation: &str| ServiceSummary {
            id: id.to_owned(),
            name: name.to_owned(),
            organisation_id: organisation.to_owned(),
            organisation_name: organisation.to_owned(),
            contract_id: "1".to_owned(),
            contract_name: "Care".to_owned(),
            contract_type_group: "Homecare".to_owned(),
            council_name: "Bradford".to_owned(),
            first_week: None,
        };
        let groups = service_groups(&[
            service("2", "Zeta Care - Leeds", "Zeta Care"),
            service("1", "Ally Pally Home Care", "Ally Pally Ltd"),
            service("3", "Zeta Care - York", "Zeta Care"),
        ]);
        let names: Vec<(&str, usize)> = groups
            .iter()
            .map(|(name, options)| (name.as_str(), options.len()))
            .collect();
        assert_eq!(names, [("Ally Pally Ltd", 1), ("Zeta Care", 2)]);
    }
}
