//! The services (sites) the provider may enter actuals for; the chosen one is marked current.

use leptos::prelude::*;
use portal_dto::ServiceSummary;

#[component]
pub fn ServiceList(
    services: Vec<ServiceSummary>,
    #[prop(into)] selected: Signal<Option<String>>,
    /// The ISO week the links open, so switching site keeps the week.
    #[prop(into)]
    week: Signal<String>,
) -> impl IntoView {
    let items = services
        .into_iter()
        .map(|service| {
            let id = service.id.clone();
            let is_current = {
                let id = id.clone();
                move || selected.with(|selected| selected.as_deref() == Some(id.as_str()))
            };
            let current_class = is_current.clone();
            let href = move || format!("/actuals/{}/{}", id, week.get());
            view! {
                <li>
                    <a
                        class="govuk-link govuk-link--no-visited-state"
                        href=href
                        aria-current=move || is_current().then_some("page")
                        class:app-current=current_class
                    >
                        <span class="app-service__organisation">{service.organisation_name}</span>
                        " - "
                        <span class="app-service__name">{service.name}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <nav aria-labelledby="services-heading" class="app-services">
            <h2 class="govuk-heading-s" id="services-heading">"Services"</h2>
            <ul class="govuk-list app-services__list">{items}</ul>
        </nav>
    }
}
