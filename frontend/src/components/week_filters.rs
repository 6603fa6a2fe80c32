//! The grid's filters: service level, client, and whether a client has actuals. "View"
//! applies them (they travel in the page's query string, so a filtered view can be
//! bookmarked); "Reset" clears them.

use leptos::prelude::*;
use portal_dto::{ClientRef, ServiceLevelRef};

use crate::api::WeekFilters;

#[component]
pub fn WeekFiltersForm(
    #[prop(into)] current: Signal<WeekFilters>,
    #[prop(into)] service_levels: Signal<Vec<ServiceLevelRef>>,
    #[prop(into)] clients: Signal<Vec<ClientRef>>,
    on_apply: Callback<WeekFilters>,
) -> impl IntoView {
    let service_level = RwSignal::new(String::new());
    let client = RwSignal::new(String::new());
    let has_actuals = RwSignal::new(String::new());
    Effect::new(move |_| {
        let filters = current.get();
        service_level.set(filters.service_level);
        client.set(filters.client);
        has_actuals.set(filters.has_actuals);
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        on_apply.run(WeekFilters {
            service_level: service_level.get_untracked(),
            client: client.get_untracked(),
            has_actuals: has_actuals.get_untracked(),
        });
    };
    let reset = move |_| on_apply.run(WeekFilters::default());

    let level_options = move || {
        service_levels
            .get()
            .into_iter()
            .map(|level| (level.id, level.name))
            .collect::<Vec<_>>()
    };
    let client_options = move || {
        clients
            .get()
            .into_iter()
            .map(|client| {
                let label = format!("{} ({})", client.display_name, client.ssref);
                (client.id, label)
            })
            .collect::<Vec<_>>()
    };
    let actuals_options = move || {
        vec![
            ("true".to_owned(), "Yes".to_owned()),
            ("false".to_owned(), "No".to_owned()),
        ]
    };

    view! {
        <form novalidate on:submit=submit class="app-filters" aria-labelledby="filters-heading">
            <h2 class="govuk-heading-s" id="filters-heading">"Filter clients"</h2>
            <div class="app-filters__fields">
                <FilterSelect id="filter-service-level" label="Service level" all="All service levels" options=level_options value=service_level />
                <FilterSelect id="filter-client" label="Client" all="All clients" options=client_options value=client />
                <FilterSelect id="filter-has-actuals" label="Show clients with actuals" all="No selection" options=actuals_options value=has_actuals />
            </div>
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">"View"</button>
                <button type="button" class="govuk-button govuk-button--secondary" on:click=reset>"Reset"</button>
            </div>
        </form>
    }
}

/// A labelled select whose first option, with the empty value, means "no filter".
#[component]
pub fn FilterSelect<F>(
    id: &'static str,
    label: &'static str,
    /// The first option's text; it has the empty value, meaning no filter.
    all: &'static str,
    options: F,
    value: RwSignal<String>,
) -> impl IntoView
where
    F: Fn() -> Vec<(String, String)> + Send + Sync + 'static,
{
    let options = move || {
        options()
            .into_iter()
            .map(|(option_value, text)| {
                let chosen = option_value.clone();
                view! {
                    <option value=option_value prop:selected=move || value.with(|value| *value == chosen)>
                        {text}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <div class="govuk-form-group app-filters__field">
            <label class="govuk-label" for=id>{label}</label>
            <select
                class="govuk-select"
                id=id
                name=id
                on:change=move |event| value.set(event_target_value(&event))
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>{all}</option>
                {options}
            </select>
        </div>
    }
}
