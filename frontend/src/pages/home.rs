//! The home page after signing in: the organisation's name and a tile for each task the
//! portal offers (the guides' "Pick a task..."). Only tasks that exist get a tile.

use leptos::prelude::*;
use portal_dto::{ActionCounts, DisputeCounts, Me, OrganisationMembership, ServiceSummary};

use crate::api::{self, with_token};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::set_page_title;
use crate::flash::use_flash;
use crate::pages::authenticator::asked_to_set_up;
use crate::session::use_session;

/// One task: where it lives, its name, and one sentence on what it is for.
struct Task {
    href: &'static str,
    name: &'static str,
    description: &'static str,
}

const PROVIDER_TASKS: [Task; 3] = [
    Task {
        href: "/actuals",
        name: "Actuals",
        description: "Submit your actuals using the online form.",
    },
    Task {
        href: "/cplis",
        name: "Care Package Line Items",
        description: "View the care packages commissioned from you.",
    },
    Task {
        href: "/organisation",
        name: "Organisation details",
        description: "See your organisation's details and its services' addresses.",
    },
];

const COUNCIL_TASKS: [Task; 6] = [
    Task {
        href: "/cplis",
        name: "Care Package Line Items",
        description: "Commission care packages and change them from a date.",
    },
    Task {
        href: "/clients",
        name: "Clients",
        description: "Find, add and correct the clients care is commissioned for.",
    },
    Task {
        href: "/organisations",
        name: "Organisations and contracts",
        description: "Providers, their contracts, services, service levels and rates.",
    },
    Task {
        href: "/accounts",
        name: "Accounts",
        description: "Add provider contacts and council staff, and unlock locked accounts.",
    },
    Task {
        href: "/tools",
        name: "Tools",
        description:
            "Issue, rotate and revoke the credentials of rostering and call-monitoring tools.",
    },
    Task {
        href: "/council/settings",
        name: "Council settings",
        description: "Contact details, the submission deadline, bank holidays and reference lists.",
    },
];

/// The tasks a user may pick from.
fn tasks_for(council: bool) -> &'static [Task] {
    if council {
        &COUNCIL_TASKS
    } else {
        &PROVIDER_TASKS
    }
}

/// The organisation a provider contact is working for (the header's switcher chooses
/// among several); council staff work across organisations.
pub fn heading_for(user: &Me, acting_for: Option<&OrganisationMembership>) -> String {
    if user.kind == "council" {
        return "Council staff".to_owned();
    }
    match acting_for {
        Some(organisation) => organisation.name.clone(),
        None => user.name.clone(),
    }
}

/// Residential care is paid as planned: a provider enters actuals only when at least one
/// of its services is under a contract of another type group.
pub fn offers_actuals(services: &[ServiceSummary]) -> bool {
    services.iter().any(|service| {
        !service
            .contract_type_group
            .trim()
            .eq_ignore_ascii_case("Residential")
    })
}

/// Whether the signed-in user has the Actuals task, once their services are known (false
/// until then). Council staff do not enter actuals here but are not refused them either.
pub fn actuals_offered(council: bool) -> Memo<bool> {
    let session = use_session();
    let services = LocalResource::new(move || {
        let token = session.access_token();
        async move {
            if council {
                return None;
            }
            Some(with_token(token, |token| async move { api::services(&token).await }).await)
        }
    });
    Memo::new(move |_| match services.get() {
        None => false,
        Some(None) => true,
        Some(Some(Ok(page))) => {
            let own: Vec<ServiceSummary> = page
                .items
                .into_iter()
                .filter(|service| session.shows_organisation(&service.organisation_id))
                .collect();
            offers_actuals(&own)
        }
        // Without the list, offer the task: the actuals page explains what went wrong.
        Some(Some(Err(_))) => true,
    })
}

/// The guides' home-page notice: "1 open Dispute (1 awaiting action)".
pub fn disputes_text(counts: DisputeCounts) -> String {
    match counts.open {
        0 => "No open Disputes".to_owned(),
        1 => format!(
            "1 open Dispute ({} awaiting action)",
            counts.awaiting_provider
        ),
        open => format!(
            "{open} open Disputes ({} awaiting action)",
            counts.awaiting_provider
        ),
    }
}

/// Open disputes, and those awaiting the provider, above the tiles. A paragraph, not a tile
/// or a heading: the tiles are the tasks, and this says what is waiting in one of them.
#[component]
fn DisputesNotice() -> impl IntoView {
    let session = use_session();
    let counts = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::dispute_counts(&token).await },
        )
    });
    move || {
        counts.get().and_then(Result::ok).map(|counts| {
            view! {
                <div class="govuk-inset-text app-disputes-notice">
                    <p class="govuk-body govuk-!-margin-bottom-0">
                        <a class="govuk-link govuk-!-font-weight-bold" href="/disputes">"Disputes"</a>
                        ": "
                        <span class="app-disputes-notice__counts">{disputes_text(counts)}</span>
                    </p>
                </div>
            }
        })
    }
}

/// The home page's actions notice: "3 open" (a yellow tag) and "(1 overdue)" (a red tag when
/// any are overdue), or "No open Actions" as the guides' home page reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActionsText {
    None,
    Open {
        open: String,
        overdue: String,
        any_overdue: bool,
    },
}

pub fn actions_text(counts: ActionCounts) -> ActionsText {
    if counts.open <= 0 {
        return ActionsText::None;
    }
    ActionsText::Open {
        open: format!("{} open", counts.open),
        overdue: format!("{} overdue", counts.overdue),
        any_overdue: counts.overdue > 0,
    }
}

/// Open actions (yellow) and those overdue (red), above the tiles like the disputes notice:
/// the guides' megaphone turns yellow for open actions and red for overdue ones. The colour
/// is never the only sign: each tag says what it counts.
#[component]
fn ActionsNotice() -> impl IntoView {
    let session = use_session();
    let counts = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::action_counts(&token).await },
        )
    });
    move || {
        counts.get().and_then(Result::ok).map(|counts| {
            let counts_view = match actions_text(counts) {
                ActionsText::None => view! { "No open Actions" }.into_any(),
                ActionsText::Open {
                    open,
                    overdue,
                    any_overdue,
                } => view! {
                    <strong class="govuk-tag govuk-tag--yellow">{open}</strong>
                    " ("
                    {if any_overdue {
                        view! { <strong class="govuk-tag govuk-tag--red">{overdue}</strong> }.into_any()
                    } else {
                        view! { <span>{overdue}</span> }.into_any()
                    }}
                    ")"
                }
                .into_any(),
            };
            view! {
                <div class="govuk-inset-text app-actions-notice">
                    <p class="govuk-body govuk-!-margin-bottom-0">
                        <a class="govuk-link govuk-!-font-weight-bold" href="/actions">"Actions"</a>
                        ": "
                        <span class="app-actions-notice__counts">{counts_view}</span>
                    </p>
                </div>
            }
        })
    }
}

#[component]
pub fn HomePage() -> impl IntoView {
    set_page_title("Home");
    let session = use_session();
    let heading = move || {
        session
            .user()
            .map(|user| heading_for(&user, session.acting_for().as_ref()))
            .unwrap_or_default()
    };
    let council = session.is_council();
    // Providers' services decide whether the Actuals tile is offered; it waits for them.
    let show_actuals = actuals_offered(council);
    let tiles = move || {
        let show_actuals = show_actuals.get();
        tasks_for(council)
            .iter()
            .filter(|task| show_actuals || task.href != "/actuals")
            .map(|task| {
                let description_id = format!(
                    "task-{}-description",
                    task.href.trim_start_matches('/').replace('/', "-")
                );
                view! {
                    <li class="app-task-tile">
                        <h2 class="govuk-heading-m app-task-tile__heading">
                            <a
                                class="govuk-link govuk-link--no-visited-state app-task-tile__link"
                                href=task.href
                                aria-describedby=description_id.clone()
                            >
                                {task.name}
                            </a>
                        </h2>
                        <p class="govuk-body app-task-tile__description" id=description_id>
                            {task.description}
                        </p>
                    </li>
                }
            })
            .collect_view()
    };
    let banner = RwSignal::new(use_flash().take());
    // The council asks for an authenticator app this person has not set up yet.
    let set_up_authenticator = move || {
        session.user().filter(asked_to_set_up).map(|_| {
            view! {
                <div
                    class="govuk-notification-banner"
                    role="region"
                    aria-labelledby="authenticator-banner-title"
                    data-module="govuk-notification-banner"
                >
                    <div class="govuk-notification-banner__header">
                        <h2 class="govuk-notification-banner__title" id="authenticator-banner-title">
                            "Important"
                        </h2>
                    </div>
                    <div class="govuk-notification-banner__content">
                        <p class="govuk-notification-banner__heading">
                            "Your council asks you to sign in with an authenticator app. "
                            <a class="govuk-notification-banner__link" href="/account/authenticator">
                                "Set up an authenticator app"
                            </a>
                        </p>
                    </div>
                </div>
            }
        })
    };
    view! {
        <SuccessBanner message=banner />
        {set_up_authenticator}
        <h1 class="govuk-heading-l">{heading}</h1>
        <DisputesNotice />
        <ActionsNotice />
        <crate::pages::contract_documents::AwaitingAgreementNotice />
        <p class="govuk-body-l">"Pick a task..."</p>
        <ul class="app-task-tiles">{tiles}</ul>
        <h2 class="govuk-heading-m">"Your account"</h2>
        <ul class="govuk-list">
            <li><a class="govuk-link" href="/account/password">"Change your password"</a></li>
            <li><a class="govuk-link" href="/account/security-code">"Change your security code"</a></li>
            <li><a class="govuk-link" href="/account/authenticator">"Authenticator app"</a></li>
            {(!council).then(|| view! {
                <li><a class="govuk-link" href="/email-notifications">"Email notifications"</a></li>
            })}
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_dto::OrganisationMembership;

    fn user(kind: &str, organisations: &[&str]) -> Me {
        Me {
            id: "1".to_owned(),
            name: "Mr Greg Finance".to_owned(),
            email: "greg.finance@diamondhomecare.example".to_owned(),
            kind: kind.to_owned(),
            organisations: organisations
                .iter()
                .enumerate()
                .map(|(index, name)| OrganisationMembership {
                    id: index.to_string(),
                    name: (*name).to_owned(),
                    role: "finance".to_owned(),
                })
                .collect(),
            second_factor_policy: "user_choice".to_owned(),
            authenticator_enrolled: false,
            recovery_codes_left: 0,
        }
    }

    fn service(group: &str) -> ServiceSummary {
        ServiceSummary {
            id: "1".to_owned(),
            name: "Ally Pally Home Care".to_owned(),
            organisation_id: "1".to_owned(),
            organisation_name: "Ally Pally Ltd".to_owned(),
            contract_id: "1".to_owned(),
            contract_name: "Ally Pally Care".to_owned(),
            contract_type_group: group.to_owned(),
            council_name: "Bradford".to_owned(),
            first_week: None,
        }
    }

    #[test]
    fn residential_only_providers_enter_no_actuals() {
        assert!(!offers_actuals(&[]));
        assert!(!offers_actuals(&[service("Residential")]));
        assert!(offers_actuals(&[
            service("Residential"),
            service("Homecare")
        ]));
    }

    #[test]
    fn providers_see_their_organisation_and_council_staff_see_their_role() {
        let contact = user("provider", &["Diamond Home Care", "Ally Pally Ltd"]);
        assert_eq!(
            heading_for(&contact, contact.organisations.get(1)),
            "Ally Pally Ltd"
        );
        assert_eq!(heading_for(&user("council", &[]), None), "Council staff");
        assert_eq!(heading_for(&user("provider", &[]), None), "Mr Greg Finance");
    }

    #[test]
    fn open_disputes_read_as_in_the_guides() {
        let counts = |open, awaiting_provider| DisputeCounts {
            open,
            awaiting_provider,
        };
        assert_eq!(disputes_text(counts(0, 0)), "No open Disputes");
        assert_eq!(
            disputes_text(counts(1, 1)),
            "1 open Dispute (1 awaiting action)"
        );
        assert_eq!(
            disputes_text(counts(3, 0)),
            "3 open Disputes (0 awaiting action)"
        );
    }

    #[test]
    fn open_and_overdue_actions_are_counted_in_words() {
        let counts = |open, overdue| ActionCounts {
            open,
            overdue,
            awaiting_provider: overdue,
        };
        assert_eq!(actions_text(counts(0, 0)), ActionsText::None);
        assert_eq!(
            actions_text(counts(3, 1)),
            ActionsText::Open {
                open: "3 open".to_owned(),
                overdue: "1 overdue".to_owned(),
                any_overdue: true,
            }
        );
        assert_eq!(
            actions_text(counts(2, 0)),
            ActionsText::Open {
                open: "2 open".to_owned(),
                overdue: "0 overdue".to_owned(),
                any_overdue: false,
            }
        );
    }

    #[test]
    fn council_staff_get_the_council_tasks() {
        let names = |council| {
            tasks_for(council)
                .iter()
                .map(|task| task.name)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(true),
            [
                "Care Package Line Items",
                "Clients",
                "Organisations and contracts",
                "Accounts",
                "Tools",
                "Council settings"
            ]
        );
        assert_eq!(
            names(false),
            ["Actuals", "Care Package Line Items", "Organisation details"]
        );
    }
}
