//! The page header: the service's name (plain text: no crown, which is GOV.UK's alone) and
//! who is signed in.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::session::use_session;

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
            let organisation = user
                .organisations
                .iter()
                .map(|organisation| organisation.name.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            let who = if organisation.is_empty() {
                user.name.clone()
            } else {
                format!("{} @ {organisation}", user.name)
            };
            let sign_out = sign_out.clone();
            view! {
                <div class="govuk-service-navigation app-account">
                    <div class="govuk-width-container app-account__container">
                        <p class="govuk-body-s app-account__who">"Signed in as " {who}</p>
                        <a class="govuk-link govuk-body-s app-account__sign-out" href="/login" on:click=sign_out>
                            "Sign out"
                        </a>
                    </div>
                </div>
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
