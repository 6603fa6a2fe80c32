//! The page header: the service's name (plain text: no crown, which is GOV.UK's alone), then,
//! once signed in, the GOV.UK service navigation with who is signed in at its end.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;

use portal_dto::OrganisationMembership;

use crate::flash::use_flash;
use crate::pages::home::actuals_offered;
use crate::session::use_session;

/// A provider contact's sections, in the navigation's order: (link, name).
const PROVIDER_SECTIONS: [(&str, &str); 13] = [
    ("/", "Home"),
    ("/actuals", "Actuals"),
    ("/disputes", "Disputes"),
    ("/one-off-claims", "One-Off Claims"),
    ("/cplis", "Care Package Line Items"),
    ("/payments", "Scheduled Payments"),
    ("/invoices", "Invoices/Credit Notes"),
    ("/purchase-orders", "POs"),
    ("/reports", "Reports"),
    ("/actions", "Actions"),
    ("/change-requests", "Change requests"),
    ("/contract-documents", "Contract documents"),
    ("/organisation", "Organisation details"),
];

/// Council staff's sections, in the navigation's order.
const COUNCIL_SECTIONS: [(&str, &str); 16] = [
    ("/", "Home"),
    ("/actuals", "Actuals"),
    ("/disputes", "Disputes"),
    ("/one-off-claims", "One-Off Claims"),
    ("/cplis", "Care Package Line Items"),
    ("/payments", "Scheduled Payments"),
    ("/invoices", "Invoices/Credit Notes"),
    ("/reports", "Reports"),
    ("/actions", "Actions"),
    ("/change-requests", "Change requests"),
    ("/contract-documents", "Contract documents"),
    ("/clients", "Clients"),
    ("/organisations", "Organisations and contracts"),
    ("/accounts", "Accounts"),
    ("/tools", "Tools"),
    ("/council/settings", "Council settings"),
];

/// The sections a user sees.
pub fn sections_for(council: bool) -> &'static [(&'static str, &'static str)] {
    if council {
        &COUNCIL_SECTIONS
    } else {
        &PROVIDER_SECTIONS
    }
}

/// `aria-current` for a section's link at `path`: "page" on the section's own page (the
/// actuals page keeps its service and week in the path), "true" on a page inside it.
pub fn current_marker(path: &str, href: &str) -> Option<&'static str> {
    let path = match path.trim_end_matches('/') {
        "" => "/",
        trimmed => trimmed,
    };
    if path == href || (href == "/actuals" && path.starts_with("/actuals/")) {
        Some("page")
    } else if href != "/" && path.starts_with(&format!("{href}/")) {
        Some("true")
    } else {
        None
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        session.sign_out();
        navigate("/login", NavigateOptions::default());
    };
    let signed_in_as = move || {
        session.user().map(|user| {
            let working_for = session.acting_for();
            let who = match &working_for {
                Some(organisation) => format!("{} @ {}", user.name, organisation.name),
                None => user.name.clone(),
            };
            let sign_out = sign_out.clone();
            let council = user.kind == "council";
            let switcher = (user.organisations.len() > 1).then(|| {
                view! { <OrganisationSwitcher organisations=user.organisations.clone() /> }
            });
            view! {
                <section aria-label="Service information" class="govuk-service-navigation">
                    <div class="govuk-width-container govuk-service-navigation__inlining-container">
                        <div class="govuk-service-navigation__container">
                            <ServiceNavigation council />
                        </div>
                        <div class="app-account">
                            <p class="govuk-body-s app-account__who">"Signed in as " {who}</p>
                            {switcher}
                            <a class="govuk-link govuk-body-s app-account__sign-out" href="/login" on:click=sign_out>
                                "Sign out"
                            </a>
                        </div>
                    </div>
                </section>
            }
        })
    };
    view! {
        <header class="app-page-header">
            <div class="govuk-header">
                <div class="govuk-header__container govuk-width-container">
                    <div class="govuk-header__logo">
                        <a href="/" class="govuk-header__homepage-link">
                            <span class="app-header__service-name">"Care Provider Portal"</span>
                        </a>
                    </div>
                </div>
            </div>
            {signed_in_as}
        </header>
    }
}

/// For a contact who acts for several organisations (DOMAIN 1): choose which one the
/// pages show. A select and a button, not a select that acts on change, so keyboard and
/// screen-reader users move through the options without switching at each one.
#[component]
fn OrganisationSwitcher(organisations: Vec<OrganisationMembership>) -> impl IntoView {
    let session = use_session();
    let flash = use_flash();
    let navigate = use_navigate();
    let chosen = RwSignal::new(
        session
            .acting_for()
            .map(|organisation| organisation.id)
            .unwrap_or_default(),
    );
    let names = organisations.clone();
    let switch = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let id = chosen.get_untracked();
        let Some(organisation) = names.iter().find(|organisation| organisation.id == id) else {
            return;
        };
        session.act_for(&id);
        flash.set(format!("You are now working for {}", organisation.name));
        navigate("/", NavigateOptions::default());
    };
    let options = organisations
        .into_iter()
        .map(|organisation| {
            let id = organisation.id.clone();
            let selected = move || chosen.with(|chosen| *chosen == id);
            view! { <option value=organisation.id.clone() prop:selected=selected>{organisation.name}</option> }
        })
        .collect_view();
    view! {
        <form class="app-account__switch" aria-label="Switch organisation" on:submit=switch>
            <label class="govuk-label govuk-body-s app-account__switch-label" for="acting-for">"Organisation"</label>
            <select class="govuk-select app-account__switch-select" id="acting-for"
                on:change=move |event| chosen.set(event_target_value(&event))>
                {options}
            </select>
            <button type="submit" class="govuk-button govuk-button--secondary app-account__switch-button" data-module="govuk-button">
                "Switch"
            </button>
        </form>
    }
}

/// The sections as links; the current one is marked for assistive technology
/// (`aria-current`), by the GOV.UK underline, and in bold where styles are overridden.
///
/// A provider whose services are all residential enters no actuals, so it has no Actuals
/// section (as the home page has no Actuals tile).
#[component]
fn ServiceNavigation(council: bool) -> impl IntoView {
    let location = use_location();
    let show_actuals = actuals_offered(council);
    let items = move || {
        let show_actuals = show_actuals.get();
        sections_for(council)
        .iter()
        .filter(move |(href, _)| show_actuals || *href != "/actuals")
        .map(|&(href, name)| {
            let marker = Memo::new(move |_| location.pathname.with(|path| current_marker(path, href)));
            let active = move || marker.get().is_some();
            let text = move || {
                if active() {
                    view! { <strong class="govuk-service-navigation__active-fallback">{name}</strong> }
                        .into_any()
                } else {
                    name.into_any()
                }
            };
            view! {
                <li class="govuk-service-navigation__item" class:govuk-service-navigation__item--active=active>
                    <a class="govuk-service-navigation__link" href=href aria-current=move || marker.get()>
                        {text}
                    </a>
                </li>
            }
        })
        .collect_view()
    };
    view! {
        <nav aria-label="Main" class="govuk-service-navigation__wrapper">
            <ul class="govuk-service-navigation__list" id="navigation">{items}</ul>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_page_marks_its_own_section() {
        assert_eq!(current_marker("/", "/"), Some("page"));
        assert_eq!(current_marker("/", "/actuals"), None);
        assert_eq!(current_marker("/actuals", "/actuals"), Some("page"));
        assert_eq!(
            current_marker("/actuals/1/2022-06-06", "/actuals"),
            Some("page")
        );
        assert_eq!(current_marker("/actuals/1/2022-06-06", "/"), None);
        assert_eq!(current_marker("/cplis", "/cplis"), Some("page"));
        assert_eq!(current_marker("/cplis/", "/cplis"), Some("page"));
        assert_eq!(current_marker("/cplis/3", "/cplis"), Some("true"));
        assert_eq!(current_marker("/cplis/3", "/actuals"), None);
        assert_eq!(current_marker("/cplisx", "/cplis"), None);
        assert_eq!(
            current_marker("/reports/remittance-advice", "/reports"),
            Some("true")
        );
        assert_eq!(current_marker("/organisations", "/organisation"), None);
        assert_eq!(current_marker("/clients/3/edit", "/clients"), Some("true"));
        assert_eq!(current_marker("/disputes/7", "/disputes"), Some("true"));
        assert_eq!(
            current_marker("/council/settings", "/council/settings"),
            Some("page")
        );
    }

    #[test]
    fn council_staff_and_providers_each_see_their_own_sections() {
        let names = |council| {
            sections_for(council)
                .iter()
                .map(|(_, name)| *name)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(true),
            [
                "Home",
                "Actuals",
                "Disputes",
                "One-Off Claims",
                "Care Package Line Items",
                "Scheduled Payments",
                "Invoices/Credit Notes",
                "Reports",
                "Actions",
                "Change requests",
                "Contract documents",
                "Clients",
                "Organisations and contracts",
                "Accounts",
                "Tools",
                "Council settings"
            ]
        );
        assert_eq!(
            names(false),
            [
                "Home",
                "Actuals",
                "Disputes",
                "One-Off Claims",
                "Care Package Line Items",
                "Scheduled Payments",
                "Invoices/Credit Notes",
                "POs",
                "Reports",
                "Actions",
                "Change requests",
                "Contract documents",
                "Organisation details"
            ]
        );
    }
}
