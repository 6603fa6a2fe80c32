//! The provider portal's single-page app: Leptos, rendered in the browser.
//!
//! - [`api`]: the one typed client of `/api/v1`; every failure is a `portal_dto::Problem`.
//! - [`session`]: who is signed in, shared through context.
//! - [`line_draft`]: an actual line as typed, assessed by `portal_domain` before saving.
//! - [`format`]: British display of the API's decimal strings and ISO dates.
//! - [`flash`]: a success message carried from a form to the page it moves to.
//! - [`pages`]: one module per route; [`components`]: the pieces they are built from.
//!
//! The server serves `frontend/dist` at `/` and answers every unknown non-API path with
//! `index.html`, so a reload on `/actuals/1/2022-06-06` lands here and the router takes over.
//! `/` is the home page once signed in; every page but `/login` needs a session, and the
//! council's pages (clients, reference data, settings, new care packages) need council staff.

use leptos::prelude::*;
use leptos_router::components::{Redirect, Route, Router, Routes};
use leptos_router::path;
use wasm_bindgen::prelude::wasm_bindgen;

pub mod api;
pub mod components;
pub mod download;
pub mod flash;
pub mod format;
pub mod grid_keys;
pub mod line_draft;
pub mod pages;
pub mod saver;
pub mod session;

use components::error_summary::focus_field;
use components::header::Header;
use flash::provide_flash;
use pages::account_settings::{ChangePasswordPage, ChangeSecurityCodePage};
use pages::accounts::{AccountsPage, NewAccountPage};
use pages::actuals::ActualsPage;
use pages::authenticator::AuthenticatorPage;
use pages::clients::{ClientsPage, EditClientPage, NewClientPage};
use pages::council_settings::CouncilSettingsPage;
use pages::cpli::CpliPage;
use pages::cplis::CplisPage;
use pages::home::HomePage;
use pages::login::LoginPage;
use pages::new_cpli::NewCpliPage;
use pages::not_found::NotFoundPage;
use pages::organisation_forms::{
    EditContractPage, EditOrganisationPage, EditServiceLevelPage, EditServicePage, NewContractPage,
    NewOrganisationPage, NewRatePage, NewServiceLevelPage, NewServicePage,
};
use pages::organisations::{OrganisationDetailsPage, OrganisationsPage};
use pages::password_reset::{ForgotPasswordPage, OutboxPage, ResetPasswordPage};
use pages::tools::{NewToolPage, ToolsPage};
use session::{provide_session, Session};

#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}

#[component]
fn App() -> impl IntoView {
    let session = provide_session();
    provide_flash();
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
                        <Route path=path!("/forgot-password") view=ForgotPasswordPage />
                        <Route path=path!("/reset-password") view=ResetPasswordPage />
                        <Route path=path!("/outbox") view=OutboxPage />
                        <Route path=path!("/actuals") view=move || signed_in_only(session, ActualsPage) />
                        <Route
                            path=path!("/actuals/:service_id/:week")
                            view=move || signed_in_only(session, ActualsPage)
                        />
                        <Route path=path!("/services/:service_id/import-actuals") view=move || signed_in_only(session, pages::actuals_import::ActualsImportPage) />
                        <Route path=path!("/cplis") view=move || signed_in_only(session, CplisPage) />
                        <Route path=path!("/cplis/new") view=move || council_only(session, NewCpliPage) />
                        <Route path=path!("/cplis/:id") view=move || signed_in_only(session, CpliPage) />
                        <Route path=path!("/disputes") view=move || signed_in_only(session, pages::disputes::DisputesPage) />
                        <Route path=path!("/disputes/new") view=move || council_only(session, pages::new_dispute::NewDisputePage) />
                        <Route path=path!("/disputes/:id") view=move || signed_in_only(session, pages::dispute::DisputePage) />
                        <Route path=path!("/contract-documents") view=move || signed_in_only(session, pages::contract_documents::ContractDocumentsPage) />
                        <Route path=path!("/contract-documents/new") view=move || council_only(session, pages::new_contract_document::NewContractDocumentPage) />
                        <Route path=path!("/contract-documents/:id") view=move || signed_in_only(session, pages::contract_document::ContractDocumentPage) />
                        <Route path=path!("/one-off-claims") view=move || signed_in_only(session, pages::claims::ClaimsPage) />
                        <Route path=path!("/one-off-claims/new") view=move || signed_in_only(session, pages::new_claim::NewClaimPage) />
                        <Route path=path!("/one-off-claims/:id") view=move || signed_in_only(session, pages::claim::ClaimPage) />
                        <Route path=path!("/purchase-orders") view=move || signed_in_only(session, pages::purchase_orders::PurchaseOrdersPage) />
                        <Route path=path!("/purchase-orders/:id") view=move || signed_in_only(session, pages::purchase_orders::PurchaseOrderPage) />
                        <Route path=path!("/payments") view=move || signed_in_only(session, pages::payments::PaymentsPage) />
                        <Route path=path!("/payments/periods/:id") view=move || signed_in_only(session, pages::payment_period::PaymentPeriodPage) />
                        <Route path=path!("/invoices") view=move || signed_in_only(session, pages::invoices::InvoicesPage) />
                        <Route path=path!("/invoices/new") view=move || signed_in_only(session, pages::invoices::NewInvoicePage) />
                        <Route path=path!("/invoices/:id") view=move || signed_in_only(session, pages::invoice::InvoicePage) />
                        <Route path=path!("/reports") view=move || signed_in_only(session, pages::reports::ReportsPage) />
                        <Route path=path!("/reports/commissioned-vs-actuals") view=move || signed_in_only(session, pages::report_commissioned::CommissionedReportPage) />
                        <Route path=path!("/reports/pending-payments-exceptions") view=move || signed_in_only(session, pages::report_exceptions::ExceptionsReportPage) />
                        <Route path=path!("/reports/pending-scheduled-payments") view=move || signed_in_only(session, pages::report_pending_payments::PendingPaymentsReportPage) />
                        <Route path=path!("/reports/remittance-advice") view=move || signed_in_only(session, pages::report_remittance::RemittanceReportPage) />
                        <Route path=path!("/actions") view=move || signed_in_only(session, pages::actions::ActionsPage) />
                        <Route path=path!("/actions/new") view=move || signed_in_only(session, pages::new_action::NewActionPage) />
                        <Route path=path!("/actions/:id") view=move || signed_in_only(session, pages::action::ActionPage) />
                        <Route path=path!("/organisation") view=move || signed_in_only(session, OrganisationDetailsPage) />
                        <Route path=path!("/organisations/:id/contacts") view=move || signed_in_only(session, pages::new_change_request::OrganisationContactsPage) />
                        <Route path=path!("/change-requests") view=move || signed_in_only(session, pages::change_requests::ChangeRequestsPage) />
                        <Route path=path!("/change-requests/new") view=move || signed_in_only(session, pages::new_change_request::NewChangeRequestPage) />
                        <Route path=path!("/change-requests/:id") view=move || signed_in_only(session, pages::change_requests::ChangeRequestPage) />
                        <Route path=path!("/clients") view=move || council_only(session, ClientsPage) />
                        <Route path=path!("/clients/new") view=move || council_only(session, NewClientPage) />
                        <Route path=path!("/clients/:id/edit") view=move || council_only(session, EditClientPage) />
                        <Route path=path!("/organisations") view=move || council_only(session, OrganisationsPage) />
                        <Route path=path!("/organisations/new") view=move || council_only(session, NewOrganisationPage) />
                        <Route
                            path=path!("/organisations/:id/edit")
                            view=move || council_only(session, EditOrganisationPage)
                        />
                        <Route
                            path=path!("/contracts/:id/edit")
                            view=move || council_only(session, EditContractPage)
                        />
                        <Route
                            path=path!("/organisations/:id/contracts/new")
                            view=move || council_only(session, NewContractPage)
                        />
                        <Route
                            path=path!("/contracts/:id/services/new")
                            view=move || council_only(session, NewServicePage)
                        />
                        <Route
                            path=path!("/services/:id/edit")
                            view=move || council_only(session, EditServicePage)
                        />
                        <Route
                            path=path!("/contracts/:id/service-levels/new")
                            view=move || council_only(session, NewServiceLevelPage)
                        />
                        <Route
                            path=path!("/service-levels/:id/rates/new")
                            view=move || council_only(session, NewRatePage)
                        />
                        <Route
                            path=path!("/service-levels/:id/edit")
                            view=move || council_only(session, EditServiceLevelPage)
                        />
                        <Route path=path!("/account/password") view=move || signed_in_only(session, ChangePasswordPage) />
                        <Route path=path!("/account/security-code") view=move || signed_in_only(session, ChangeSecurityCodePage) />
                        <Route path=path!("/account/authenticator") view=move || signed_in_only(session, AuthenticatorPage) />
                        <Route path=path!("/email-notifications") view=move || signed_in_only(session, pages::email_notifications::EmailNotificationsPage) />
                        <Route path=path!("/accounts") view=move || council_only(session, AccountsPage) />
                        <Route path=path!("/accounts/new") view=move || council_only(session, NewAccountPage) />
                        <Route path=path!("/tools") view=move || council_only(session, ToolsPage) />
                        <Route path=path!("/tools/new") view=move || council_only(session, NewToolPage) />
                        <Route path=path!("/council/settings") view=move || council_only(session, CouncilSettingsPage) />
                        <Route path=path!("/council/webhooks") view=move || council_only(session, pages::webhooks::WebhooksPage) />
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

/// Shown while a reload finds out, from the refresh cookie, whether the user is signed in.
fn restoring_view() -> AnyView {
    view! { <p class="govuk-body" role="status">"Loading…"</p> }.into_any()
}

fn login_unless_signed_in(session: Session) -> impl IntoView {
    let restoring = Memo::new(move |_| session.is_restoring());
    let signed_in = Memo::new(move |_| session.is_signed_in());
    move || {
        if restoring.get() {
            restoring_view()
        } else if signed_in.get() {
            view! { <Redirect path="/" /> }.into_any()
        } else {
            view! { <LoginPage /> }.into_any()
        }
    }
}

/// Signed-out visitors (or a session that just ended) are sent to log in.
fn signed_in_only<V, F>(session: Session, page: F) -> impl IntoView
where
    V: IntoView + 'static,
    F: Fn() -> V + Clone + Send + Sync + 'static,
{
    let restoring = Memo::new(move |_| session.is_restoring());
    let signed_in = Memo::new(move |_| session.is_signed_in());
    move || {
        if restoring.get() {
            restoring_view()
        } else if signed_in.get() {
            page().into_any()
        } else {
            view! { <Redirect path="/login" /> }.into_any()
        }
    }
}

/// Council staff's pages: signed in as council staff, or told the page is not theirs.
fn council_only<V: IntoView + 'static>(session: Session, page: fn() -> V) -> impl IntoView {
    let council = Memo::new(move |_| session.is_council());
    signed_in_only(session, move || {
        view! {
            <Show when=move || council.get() fallback=|| view! { <CouncilStaffOnly /> }>
                {page()}
            </Show>
        }
    })
}

#[component]
fn CouncilStaffOnly() -> impl IntoView {
    components::page_title::set_page_title("Page for council staff");
    view! {
        <h1 class="govuk-heading-l">"This page is for council staff"</h1>
        <p class="govuk-body">"Providers see their own organisation, care packages and actuals."</p>
        <p class="govuk-body"><a class="govuk-link" href="/">"Go to the home page"</a></p>
    }
}
