//! Self-service from the home page (DOMAIN 14): change your password (your other sessions
//! end) and change your security code. Both ask for the current password first.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use portal_dto::{ChangePassword, ChangeSecurityCode};

use crate::api;
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{refusals, Field, TextInput};
use crate::components::page_title::title_with_errors;
use crate::saver::Saver;

fn password_fields() -> Vec<Field> {
    vec![
        Field::new(
            "current_password",
            "current-password",
            "Current password",
            "Enter your current password",
        ),
        Field::new(
            "new_password",
            "new-password",
            "New password",
            "Enter a new password",
        ),
    ]
}

fn code_fields() -> Vec<Field> {
    vec![
        Field::new(
            "current_password",
            "current-password",
            "Current password",
            "Enter your current password",
        ),
        Field::new(
            "security_code",
            "security-code",
            "New security code",
            "Enter a six-digit security code",
        ),
        Field::new(
            "security_code_confirmation",
            "security-code-confirmation",
            "Confirm new security code",
            "Enter the security code again",
        ),
    ]
}

/// Sends a change; on success returns home with `message`.
fn send_change<F, Fut>(
    changer: Saver,
    busy: RwSignal<bool>,
    errors: RwSignal<Vec<SummaryError>>,
    fields: fn() -> Vec<Field>,
    message: &'static str,
    call: F,
) where
    F: FnOnce(String) -> Fut + 'static,
    Fut: std::future::Future<Output = api::ApiResult<()>> + 'static,
{
    let Saver {
        session,
        flash,
        navigate,
    } = changer;
    if busy.get_untracked() {
        return;
    }
    let Some(token) = session.access_token() else {
        session.sign_out();
        return;
    };
    busy.set(true);
    spawn_local(async move {
        let outcome = call(token).await;
        busy.set(false);
        match outcome {
            Ok(()) => {
                errors.set(Vec::new());
                flash.set(message);
                navigate.with_value(|navigate| navigate("/", NavigateOptions::default()));
            }
            Err(problem) if problem.status == 401 => session.sign_out(),
            Err(problem) => errors.set(refusals(&problem, &fields())),
        }
    });
}

fn buttons(label: &'static str, busy: RwSignal<bool>) -> impl IntoView {
    view! {
        <div class="govuk-button-group">
            <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                {label}
            </button>
            <a class="govuk-link" href="/">"Cancel"</a>
        </div>
    }
}

#[component]
pub fn ChangePasswordPage() -> impl IntoView {
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(|| "Change your password".to_owned(), errors);
    let busy = RwSignal::new(false);
    let changer = Saver::new();
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if new_password.get_untracked() != confirmation.get_untracked() {
            errors.set(vec![SummaryError::at(
                "confirm-new-password",
                "The two new passwords do not match",
            )]);
            return;
        }
        let change = ChangePassword {
            current_password: current.get_untracked(),
            new_password: new_password.get_untracked(),
        };
        send_change(
            changer,
            busy,
            errors,
            password_fields,
            "Your password has been changed. You have been signed out everywhere else.",
            move |token| async move { api::change_password(&token, &change).await },
        );
    };
    view! {
        <a class="govuk-back-link" href="/">"Back to the home page"</a>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors />
                <h1 class="govuk-heading-l">"Change your password"</h1>
                <form novalidate on:submit=submit>
                    <TextInput id="current-password" label="Current password" value=current errors
                        input_type="password" autocomplete="current-password" />
                    <TextInput id="new-password" label="New password" value=new_password errors
                        input_type="password" autocomplete="new-password"
                        hint="At least 12 characters, with no other rules. Three or more random words make a strong password. You can paste it from a password manager." />
                    <TextInput id="confirm-new-password" label="Confirm new password" value=confirmation errors
                        input_type="password" autocomplete="new-password" />
                    {buttons("Change password", busy)}
                </form>
                <EmailNotificationsLink />
            </div>
        </div>
    }
}

/// For a provider contact: where to ask for an e-mail when their password changes.
#[component]
fn EmailNotificationsLink() -> impl IntoView {
    let council = crate::session::use_session().is_council();
    (!council).then(|| {
        view! {
            <p class="govuk-body">
                "To be e-mailed whenever your password is changed, choose Password Change in "
                <a class="govuk-link" href="/email-notifications">"Email notifications"</a>
                "."
            </p>
        }
    })
}

#[component]
pub fn ChangeSecurityCodePage() -> impl IntoView {
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(|| "Change your security code".to_owned(), errors);
    let busy = RwSignal::new(false);
    let changer = Saver::new();
    let current = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let change = ChangeSecurityCode {
            current_password: current.get_untracked(),
            security_code: code.get_untracked().trim().to_owned(),
            security_code_confirmation: confirmation.get_untracked().trim().to_owned(),
        };
        send_change(
            changer,
            busy,
            errors,
            code_fields,
            "Your security code has been changed.",
            move |token| async move { api::change_security_code(&token, &change).await },
        );
    };
    view! {
        <a class="govuk-back-link" href="/">"Back to the home page"</a>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors />
                <h1 class="govuk-heading-l">"Change your security code"</h1>
                <div class="govuk-inset-text">
                    "Your security code must be exactly 6 digits, use no digit more than 4 times, contain no run of more than three consecutive digits (such as 1234 or 4321), and differ from your current code."
                </div>
                <form novalidate on:submit=submit>
                    <TextInput id="current-password" label="Current password" value=current errors
                        input_type="password" autocomplete="current-password" />
                    <TextInput id="security-code" label="New security code" value=code errors
                        input_type="password" inputmode="numeric" autocomplete="off" width="govuk-input--width-10" />
                    <TextInput id="security-code-confirmation" label="Confirm new security code" value=confirmation errors
                        input_type="password" inputmode="numeric" autocomplete="off" width="govuk-input--width-10" />
                    {buttons("Change security code", busy)}
                </form>
            </div>
        </div>
    }
}
