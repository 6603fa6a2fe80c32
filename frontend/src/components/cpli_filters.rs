//! The Care Package Line Items filters: service, client and service level, and whether to
//! include historical and unauthorised CPLIs. "View" applies them (they travel in the
//! page's query string, so a reload or a bookmark keeps them); "Reset" clears them.

use leptos::prelude::*;

use crate::api::CpliFilters;
use crate::components::week_filters::FilterSelect;

/// A select's options: (value, text).
pub type Options = Vec<(String, String)>;

#[component]
pub fn CpliFiltersForm(
    #[prop(into)] current: Signal<CpliFilters>,
    #[prop(into)] services: Signal<Options>,
    #[prop(into)] clients: Signal<Options>,
    #[prop(into)] service_levels: Signal<Options>,
    on_apply: Callback<CpliFilters>,
    on_reset: Callback<()>,
) -> impl IntoView {
    let service = RwSignal::new(String::new());
    let client = RwSignal::new(String::new());
    let service_level = RwSignal::new(String::new());
    let include_historical = RwSignal::new(false);
    let include_unauthorised = RwSignal::new(false);
    // The form shows what the URL says, also after Back, Forward or Reset.
    Effect::new(move |_| {
        let filters = current.get();
        service.set(filters.service);
        client.set(filters.client);
        service_level.set(filters.service_level);
        include_historical.set(filters.include_historical);
        include_unauthorised.set(filters.include_unauthorised);
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        on_apply.run(CpliFilters {
            service: service.get_untracked(),
            client: client.get_untracked(),
            service_level: service_level.get_untracked(),
            include_historical: include_historical.get_untracked(),
            include_unauthorised: include_unauthorised.get_untracked(),
        });
    };

    view! {
        <form novalidate on:submit=submit class="app-filters" aria-labelledby="cpli-filters-heading">
            <h2 class="govuk-heading-s" id="cpli-filters-heading">"Filter care package line items"</h2>
            <div class="app-filters__fields">
                <FilterSelect id="filter-service" label="Service" all="All services" options=move || services.get() value=service />
                <FilterSelect id="filter-client" label="Client" all="All clients" options=move || clients.get() value=client />
                <FilterSelect
                    id="filter-service-level"
                    label="Service level"
                    all="All service levels"
                    options=move || service_levels.get()
                    value=service_level
                />
                <div class="govuk-form-group app-filters__field">
                    <fieldset class="govuk-fieldset">
                        <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Also show"</legend>
                        <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                            <FilterCheckbox
                                id="filter-include-historical"
                                label="Include historical"
                                hint="Ended before today"
                                checked=include_historical
                            />
                            <FilterCheckbox
                                id="filter-include-unauthorised"
                                label="Include unauthorised"
                                hint="Not yet authorised by the council"
                                checked=include_unauthorised
                            />
                        </div>
                    </fieldset>
                </div>
            </div>
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">"View"</button>
                <button type="button" class="govuk-button govuk-button--secondary" on:click=move |_| on_reset.run(())>
                    "Reset"
                </button>
            </div>
        </form>
    }
}

#[component]
fn FilterCheckbox(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    checked: RwSignal<bool>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="govuk-checkboxes__item">
            <input
                class="govuk-checkboxes__input"
                id=id
                name=id
                type="checkbox"
                value="true"
                aria-describedby=hint_id.clone()
                prop:checked=move || checked.get()
                on:change=move |event| checked.set(event_target_checked(&event))
            />
            <label class="govuk-label govuk-checkboxes__label" for=id>{label}</label>
            <div id=hint_id class="govuk-hint govuk-checkboxes__hint">{hint}</div>
        </div>
    }
}
