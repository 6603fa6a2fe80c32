use leptos::prelude::*;

use crate::components::page_title::set_page_title;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    set_page_title("Page not found");
    view! {
        <h1 class="govuk-heading-l">"Page not found"</h1>
        <p class="govuk-body">"If you typed the web address, check it is correct."</p>
        <p class="govuk-body">
            <a class="govuk-link" href="/">"Go to the home page"</a>
        </p>
    }
}
