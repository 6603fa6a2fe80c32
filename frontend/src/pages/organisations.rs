//! Organisations and contracts (DOMAIN 3), the council's reference data: each provider
//! organisation, its contracts, each contract's services and its service levels with their
//! dated rates. Council staff add to them from here; a provider sees its own organisation's
//! details read-only on `/organisation`.

use leptos::prelude::*;
use portal_domain::change_request::ChangeKind;
use portal_dto::{
    Contract, ContractRules, Organisation, ServiceDetails, ServiceLevel, ServiceSummary,
};

use crate::api::{self, with_token};
use crate::components::deactivate::{Deactivate, Retirable};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::set_page_title;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::format::{date_text, money_text};
use crate::pages::organisation_forms::{exception_rules, exception_title};
use crate::session::use_session;

/// "Scheduled, pay on actuals", as DOMAIN 3 names the payment models.
pub fn payment_model_text(code: &str) -> String {
    match code {
        "scheduled" => "Scheduled, pay on actuals".to_owned(),
        "invoiced" => "Invoiced, pay on actuals".to_owned(),
        other => other.to_owned(),
    }
}

/// "Weekly", "Fortnightly" or "Four-weekly".
pub fn period_text(weeks: i64) -> String {
    match weeks {
        1 => "Weekly".to_owned(),
        2 => "Fortnightly".to_owned(),
        4 => "Four-weekly".to_owned(),
        other => format!("Every {other} weeks"),
    }
}

/// "Per unit (spot)", "Timetabled" or "Intermittent".
pub fn pricing_kind_text(code: &str) -> String {
    match code {
        "per_unit" => "Per unit (spot)".to_owned(),
        "timetabled" => "Timetabled".to_owned(),
        "intermittent" => "Intermittent".to_owned(),
        other => other.to_owned(),
    }
}

/// "Hour", "Session" or "Night".
pub fn unit_text(code: &str) -> String {
    portal_domain::Unit::from_code(code)
        .map(|unit| unit.singular().to_owned())
        .unwrap_or_else(|| code.to_owned())
}

/// "Bradford, BD1 1HY": the address parts that are there, on one line.
pub fn address_text(parts: &[&str]) -> String {
    let parts: Vec<&str> = parts
        .iter()
        .map(|part| part.trim())
        .filter(|part| !part.is_empty())
        .collect();
    if parts.is_empty() {
        "Not given".to_owned()
    } else {
        parts.join(", ")
    }
}

/// "£20.00 from 01/04/2019", one per dated rate, oldest first.
pub fn rate_lines(level: &ServiceLevel) -> Vec<String> {
    level
        .rates
        .iter()
        .map(|rate| {
            format!(
                "{} from {}",
                money_text(&rate.rate),
                date_text(&rate.effective_from)
            )
        })
        .collect()
}

fn or_not_given(text: &str) -> String {
    if text.trim().is_empty() {
        "Not given".to_owned()
    } else {
        text.to_owned()
    }
}

/// A summary list from (key, value) rows.
fn summary_list(rows: Vec<(&'static str, String)>) -> impl IntoView {
    let rows = rows
        .into_iter()
        .map(|(key, value)| {
            view! {
                <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">{key}</dt>
                    <dd class="govuk-summary-list__value">{value}</dd>
                </div>
            }
        })
        .collect_view();
    view! { <dl class="govuk-summary-list">{rows}</dl> }
}

fn organisation_rows(organisation: &Organisation) -> Vec<(&'static str, String)> {
    vec![
        (
            "Address",
            address_text(&[
                &organisation.address_line1,
                &organisation.town,
                &organisation.postcode,
            ]),
        ),
        ("Email", or_not_given(&organisation.email)),
        ("Telephone", or_not_given(&organisation.phone)),
    ]
}

/// Everything the council's page shows, fetched at once.
#[derive(Debug, Clone, PartialEq)]
struct Catalogue {
    organisations: Vec<Organisation>,
    contracts: Vec<Contract>,
    services: Vec<ServiceSummary>,
    levels: Vec<ServiceLevel>,
}

#[component]
pub fn OrganisationsPage() -> impl IntoView {
    set_page_title("Organisations and contracts");
    let session = use_session();
    let banner = RwSignal::new(use_flash().take());
    let catalogue = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move {
            Ok(Catalogue {
                organisations: api::organisations(&token).await?.items,
                contracts: api::contracts(&token, "").await?.items,
                services: api::services(&token).await?.items,
                levels: api::service_levels(&token, "").await?.items,
            })
        })
    });
    sign_out_when_refused(session, catalogue);
    let deactivated = Callback::new(move |message: String| {
        banner.set(Some(message));
        catalogue.refetch();
    });

    let content = move || match catalogue.get() {
        None => {
            view! { <p class="govuk-body" role="status">"Loading organisations…"</p> }.into_any()
        }
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(catalogue)) if catalogue.organisations.is_empty() => {
            view! { <p class="govuk-body">"There are no organisations yet."</p> }.into_any()
        }
        Some(Ok(catalogue)) => catalogue
            .organisations
            .iter()
            .map(|organisation| organisation_section(organisation, &catalogue, deactivated))
            .collect_view()
            .into_any(),
    };

    view! {
        <SuccessBanner message=banner />
        <h1 class="govuk-heading-l">"Organisations and contracts"</h1>
        <p class="govuk-body">
            "The provider organisations the council contracts with, their contracts, services and service levels. "
            "A new rate applies from a date: care package line items at that service level get a new version from it."
        </p>
        <a class="govuk-button" data-module="govuk-button" href="/organisations/new">"Add an organisation"</a>
        {content}
    }
}

fn organisation_section(
    organisation: &Organisation,
    catalogue: &Catalogue,
    deactivated: Callback<String>,
) -> impl IntoView {
    let heading_id = format!("organisation-{}", organisation.id);
    let labelled_by = heading_id.clone();
    let contracts = catalogue
        .contracts
        .iter()
        .filter(|contract| contract.organisation_id == organisation.id)
        .map(|contract| contract_section(contract, catalogue))
        .collect_view();
    let has_contracts = catalogue
        .contracts
        .iter()
        .any(|contract| contract.organisation_id == organisation.id);
    view! {
        <section class="app-organisation" aria-labelledby=labelled_by>
            <h2 class="govuk-heading-l app-organisation__name" id=heading_id>{organisation.name.clone()}</h2>
            {summary_list(organisation_rows(organisation))}
            <p class="govuk-body">
                <a class="govuk-link" href=format!("/organisations/{}/edit", organisation.id)>
                    "Edit"
                    <span class="govuk-visually-hidden">{format!(" {}", organisation.name)}</span>
                </a>
            </p>
            <Deactivate
                kind=Retirable::Organisation
                id=organisation.id.clone()
                name=organisation.name.clone()
                version=organisation.version
                done=deactivated
            />
            {(!has_contracts).then(|| view! { <p class="govuk-body">"No contracts yet."</p> })}
            {contracts}
            <a
                class="govuk-button govuk-button--secondary"
                data-module="govuk-button"
                href=format!("/organisations/{}/contracts/new", organisation.id)
            >
                "Add a contract"
                <span class="govuk-visually-hidden">{format!(" with {}", organisation.name)}</span>
            </a>
        </section>
    }
}

fn contract_section(contract: &Contract, catalogue: &Catalogue) -> impl IntoView {
    let heading_id = format!("contract-{}", contract.id);
    let labelled_by = heading_id.clone();
    let services: Vec<&ServiceSummary> = catalogue
        .services
        .iter()
        .filter(|service| service.contract_id == contract.id)
        .collect();
    let levels: Vec<&ServiceLevel> = catalogue
        .levels
        .iter()
        .filter(|level| level.contract_id == contract.id)
        .collect();
    let service_items = if services.is_empty() {
        view! { <p class="govuk-body">"No services yet."</p> }.into_any()
    } else {
        let items = services
            .iter()
            .map(|service| {
                view! {
                    <li>
                        {service.name.clone()} " "
                        <a class="govuk-link" href=format!("/services/{}/edit", service.id)>
                            "Edit"
                            <span class="govuk-visually-hidden">{format!(" service {}", service.name)}</span>
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="govuk-list govuk-list--bullet">{items}</ul> }.into_any()
    };
    let level_table = if levels.is_empty() {
        view! { <p class="govuk-body">"No service levels yet."</p> }.into_any()
    } else {
        let rows = levels
            .iter()
            .map(|level| {
                let rates = rate_lines(level)
                    .into_iter()
                    .map(|line| view! { <li>{line}</li> })
                    .collect_view();
                view! {
                    <tr class="govuk-table__row" id=format!("service-level-{}", level.id)>
                        <th scope="row" class="govuk-table__header">{level.name.clone()}</th>
                        <td class="govuk-table__cell">{unit_text(&level.unit)}</td>
                        <td class="govuk-table__cell">{pricing_kind_text(&level.pricing_kind)}</td>
                        <td class="govuk-table__cell">
                            <ul class="govuk-list govuk-!-margin-bottom-0 app-rates">{rates}</ul>
                        </td>
                        <td class="govuk-table__cell">
                            <a class="govuk-link" href=format!("/service-levels/{}/rates/new", level.id)>
                                "Change the rate"
                                <span class="govuk-visually-hidden">{format!(" of {}", level.name)}</span>
                            </a>
                            " "
                            <a class="govuk-link" href=format!("/service-levels/{}/edit", level.id)>
                                "Edit"
                                <span class="govuk-visually-hidden">{format!(" {}", level.name)}</span>
                            </a>
                        </td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <table class="govuk-table app-levels">
                <caption class="govuk-table__caption govuk-table__caption--s">
                    {format!("Service levels of {}", contract.name)}
                </caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                        <th scope="col" class="govuk-table__header">"Service level"</th>
                        <th scope="col" class="govuk-table__header">"Unit"</th>
                        <th scope="col" class="govuk-table__header">"Pricing"</th>
                        <th scope="col" class="govuk-table__header">"Rates"</th>
                        <th scope="col" class="govuk-table__header">
                            <span class="govuk-visually-hidden">"Action"</span>
                        </th>
                    </tr>
                </thead>
                <tbody class="govuk-table__body">{rows}</tbody>
            </table>
        }
        .into_any()
    };
    let rows = vec![
        ("Contract type group", contract.contract_type_group.clone()),
        ("Payment model", payment_model_text(&contract.payment_model)),
        ("Payment period", period_text(contract.period_weeks)),
        ("Periods start from", date_text(&contract.period_anchor)),
        ("VAT rate", format!("{}%", contract.vat_rate_percent)),
        ("Exceptions", exceptions_text(contract)),
        ("Rules", rules_text(&contract.rules)),
        (
            "Frustrated units only with",
            frustrated_text(&contract.rules.frustrated_comments),
        ),
    ];
    view! {
        <section class="app-contract" aria-labelledby=labelled_by>
            <h3 class="govuk-heading-m" id=heading_id>{format!("Contract: {}", contract.name)}</h3>
            {summary_list(rows)}
            <p class="govuk-body">
                <a class="govuk-link" href=format!("/contracts/{}/edit", contract.id)>
                    "Edit"
                    <span class="govuk-visually-hidden">{format!(" contract {}", contract.name)}</span>
                </a>
            </p>
            <h4 class="govuk-heading-s">"Services"</h4>
            {service_items}
            <h4 class="govuk-heading-s">"Service levels"</h4>
            {level_table}
            <div class="govuk-button-group">
                <a class="govuk-button govuk-button--secondary" data-module="govuk-button"
                    href=format!("/contracts/{}/services/new", contract.id)>
                    "Add a service"
                    <span class="govuk-visually-hidden">{format!(" to {}", contract.name)}</span>
                </a>
                <a class="govuk-button govuk-button--secondary" data-module="govuk-button"
                    href=format!("/contracts/{}/service-levels/new", contract.id)>
                    "Add a service level"
                    <span class="govuk-visually-hidden">{format!(" to {}", contract.name)}</span>
                </a>
            </div>
        </section>
    }
}

/// "Plan exceeded for week: over 10%, suspend; ..." for each exception type; "off" for one
/// not raised.
pub fn exceptions_text(contract: &Contract) -> String {
    exception_rules(contract)
        .iter()
        .map(|rule| {
            let title = exception_title(&rule.kind);
            if !rule.enabled {
                return format!("{title}: off");
            }
            let effect = if rule.effect == "suspend" {
                "suspend"
            } else {
                "pay"
            };
            if rule.kind == "plan_exceeded" {
                format!("{title}: over {}%, {effect}", rule.threshold_percent)
            } else {
                format!("{title}: {effect}")
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The contract's rules for actuals, in words.
pub fn rules_text(rules: &ContractRules) -> String {
    let mut parts = Vec::new();
    if rules.comment_mandatory {
        parts.push("A comment is required when a line differs from the plan");
    }
    if rules.visits_mandatory {
        parts.push("Visits are required");
    }
    parts.push(if rules.extra_allowed {
        "Extra units may be claimed"
    } else {
        "No extra units"
    });
    parts.join("; ")
}

/// The comments frustrated units need, or that any will do.
pub fn frustrated_text(comments: &[String]) -> String {
    if comments.is_empty() {
        "Any comment".to_owned()
    } else {
        comments.join(", ")
    }
}

/// What a provider sees of its own organisations.
#[derive(Debug, Clone, PartialEq)]
struct OwnDetails {
    organisations: Vec<Organisation>,
    services: Vec<ServiceDetails>,
}

#[component]
pub fn OrganisationDetailsPage() -> impl IntoView {
    set_page_title("Organisation details");
    let session = use_session();
    let details = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move {
            let organisations = api::organisations(&token).await?.items;
            let mut services = Vec::new();
            for service in api::services(&token).await?.items {
                services.push(api::service(&token, &service.id).await?);
            }
            Ok(OwnDetails {
                organisations,
                services,
            })
        })
    });
    sign_out_when_refused(session, details);

    let content = move || {
        match details.get() {
        None => view! { <p class="govuk-body" role="status">"Loading your organisation…"</p> }.into_any(),
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(details)) => details
            .organisations
            .iter()
            .filter(|organisation| session.shows_organisation(&organisation.id))
            .map(|organisation| {
                let heading_id = format!("organisation-{}", organisation.id);
                let labelled_by = heading_id.clone();
                // Only the links the caller's role here may use: none for a Finance contact.
                let me = session.user();
                let may = |kind: ChangeKind| {
                    crate::pages::new_change_request::may_request(me.as_ref(), &organisation.id, kind, None)
                };
                let services = details
                    .services
                    .iter()
                    .filter(|service| service.service.organisation_id == organisation.id)
                    .map(|service| {
                        let rows = vec![
                            ("Contract", service.service.contract_name.clone()),
                            ("Council", service.service.council_name.clone()),
                            (
                                "Address",
                                address_text(&[&service.address_line1, &service.town, &service.postcode]),
                            ),
                        ];
                        let change = may(ChangeKind::UpdateService).then(|| {
                            crate::pages::new_change_request::request_url(
                                ChangeKind::UpdateService,
                                &service.service.organisation_id,
                                Some(("service_id", &service.service.id)),
                            )
                        });
                        let name = service.service.name.clone();
                        view! {
                            <h3 class="govuk-heading-s">{service.service.name.clone()}</h3>
                            {summary_list(rows)}
                            {change.map(|change| view! {
                                <p class="govuk-body">
                                    <a class="govuk-link" href=change>
                                        "Request a change"
                                        <span class="govuk-visually-hidden">{format!(" to {name}")}</span>
                                    </a>
                                </p>
                            })}
                        }
                    })
                    .collect_view();
                view! {
                    <section aria-labelledby=labelled_by>
                        <h2 class="govuk-heading-m" id=heading_id>{organisation.name.clone()}</h2>
                        {summary_list(organisation_rows(organisation))}
                        <p class="govuk-body">
                            {may(ChangeKind::UpdateOrganisation).then(|| view! {
                                <a class="govuk-link" href=crate::pages::new_change_request::request_url(
                                    ChangeKind::UpdateOrganisation,
                                    &organisation.id,
                                    None,
                                )>
                                    "Request a change"
                                    <span class="govuk-visually-hidden">{format!(" to {}", organisation.name)}</span>
                                </a>
                                " | "
                            })}
                            <a class="govuk-link" href=format!("/organisations/{}/contacts", organisation.id)>
                                "Contacts and roles"
                            </a>
                        </p>
                        <h2 class="govuk-heading-m">{format!("Services of {}", organisation.name)}</h2>
                        {services}
                    </section>
                }
            })
            .collect_view()
            .into_any(),
    }
    };

    view! {
        <h1 class="govuk-heading-l">"Organisation details"</h1>
        <p class="govuk-body">
            "Changes to these details are requests the council reviews: see "
            <a class="govuk-link" href="/change-requests">"Change requests"</a>"."
        </p>
        {content}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_dto::DatedRate;

    #[test]
    fn codes_read_as_the_guides_name_them() {
        assert_eq!(payment_model_text("scheduled"), "Scheduled, pay on actuals");
        assert_eq!(payment_model_text("invoiced"), "Invoiced, pay on actuals");
        assert_eq!(period_text(1), "Weekly");
        assert_eq!(period_text(2), "Fortnightly");
        assert_eq!(period_text(4), "Four-weekly");
        assert_eq!(pricing_kind_text("per_unit"), "Per unit (spot)");
        assert_eq!(unit_text("hour"), "Hour");
    }

    #[test]
    fn addresses_leave_out_empty_parts() {
        assert_eq!(address_text(&["", "Bradford", " "]), "Bradford");
        assert_eq!(address_text(&["", ""]), "Not given");
        assert_eq!(
            address_text(&["1 High Street", "Bradford", "BD1 1HY"]),
            "1 High Street, Bradford, BD1 1HY"
        );
    }

    #[test]
    fn every_dated_rate_is_listed() {
        let level = ServiceLevel {
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
                    rate: "21".to_owned(),
                },
            ],
            service_group_class: String::new(),
            cost_centre: String::new(),
            subjective: String::new(),
            version: 1,
        };
        assert_eq!(
            rate_lines(&level),
            ["£20.00 from 01/04/2019", "£21.00 from 01/07/2022"]
        );
    }
}
