//! The provider portal's single-page app: Leptos, rendered in the browser.
//!
//! - [`api`]: the one typed client of `/api/v1`; every failure is a `portal_dto::Problem`.
//! - [`session`]: who is signed in, shared through context.
//! - [`line_draft`]: an actual line as typed, assessed by `portal_domain` before saving.
//! - [`format`]: British display of the API's decimal strings and ISO dates.
//! - [`pages`]: one module per route; [`components`]: the pieces they are built from.
//!
//! The server serves `frontend/dist` at `/` and answers every unknown non-API path with
//! `index.html`, so a reload on `/actuals/1/2022-06-06` lands here and the router takes over.
//! `/` is the home page once signed in; every page but `/login` needs a session.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

pub mod api;
pub mod components;
pub mod format;
pub mod line_draft;
pub mod pages;
pub mod session;

use components::error_summary::focus_field;
use components::header::Header;
use pages::actuals::ActualsPage;
use pages::cpli::CpliPage;
use pages::cplis::CplisPage;
use pages::home::HomePage;
use pages::login::LoginPage;
use pages::not_found::NotFoundPage;
use session::{provide_session, Session};

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let session = provide_session();
    let skip_to_main = |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        focus_field("main-content");
    };
    view! {
        <Router>
            <a href="#main-content" class="govuk-skip-link" on:click=skip_to_main>
                "Skip to main content"
            </a>
            <Header />
            <div class="govuk-width-container">
                <main class="govuk-main-wrapper" id="main-content" tabindex="-1">
                    <Routes fallback=|| view! { <NotFoundPage /> }>
                        <Route path=path!("/") view=move || signed_in_only(session, HomePage) />
                        <Route path=path!("/login") view=move || login_unless_signed_in(session) />
                        <Route path=path!("/actuals") view=move || signed_in_only(session, ActualsPage) />
                        <Route
                            path=path!("/actuals/:service_id/:week")
                            view=move || signed_in_only(session, ActualsPage)
                        />
                        <Route path=path!("/cplis") view=move || signed_in_only(session, CplisPage) />
                        <Route path=path!("/cplis/:id") view=move || signed_in_only(session, CpliPage) />
                    </Routes>
                </main>
            </div>
            <footer class="govuk-footer">
                <div class="govuk-width-container">
                    <div class="govuk-footer__meta">
                        <div class="govuk-footer__meta-item govuk-footer__meta-item--grow">
                            <p class="govuk-body-s govuk-!-margin-bottom-0">
                                "Care Provider Portal: open-source software for care provider payments."
                            </p>
                        </div>
                    </div>
                </div>
            </footer>
        </Router>
    }
}

fn login_unless_signed_in(session: Session) -> impl IntoView {
    let signed_in = Memo::new(move |_| session.is_signed_in());
    view! {
        <Show when=move || !signed_in.get() fallback=|| view! { <Redirect path="/" /> }>
            <LoginPage />
        </Show>
    }
}

/// Signed-out visitors (or a session that just expired) are sent to log in.
fn signed_in_only<V: IntoView + 'static>(session: Session, page: fn() -> V) -> impl IntoView {
    let signed_in = Memo::new(move |_| session.is_signed_in());
    view! {
        <Show when=move || signed_in.get() fallback=|| view! { <Redirect path="/login" /> }>
            {page()}
        </Show>
    }
}
