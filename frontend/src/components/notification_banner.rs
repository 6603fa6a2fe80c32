//! GOV.UK success notification banner, announced when it appears.

use leptos::prelude::*;

#[component]
pub fn SuccessBanner(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <Show when=move || message.with(Option::is_some)>
            <div
                class="govuk-notification-banner govuk-notification-banner--success"
                role="alert"
                aria-labelledby="success-banner-title"
                data-module="govuk-notification-banner"
            >
                <div class="govuk-notification-banner__header">
                    <h2 class="govuk-notification-banner__title" id="success-banner-title">
                        "Success"
                    </h2>
                </div>
                <div class="govuk-notification-banner__content">
                    <p class="govuk-notification-banner__heading">
                        {move || message.get().unwrap_or_default()}
                    </p>
                </div>
            </div>
        </Show>
    }
}
