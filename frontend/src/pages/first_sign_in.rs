//! First sign-in (DOMAIN 14), inside the login page: the person replaces the password they
//! were given with their own, then creates the six-digit security code. The server checks
//! every rule and names each one broken; the page only checks what is missing or mismatched.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use portal_dto::{LoginChallenge, NewPassword, NewSecurityCode, Problem};

use crate::api;
use crate::components::error_summary::SummaryError;
use crate::pages::login::{field_error, refused, Step, TextField, PASSWORD_ID};
use crate::session::use_session;

const NEW_PASSWORD_ID: &str = "new-password";
const CONFIRM_PASSWORD_ID: &str = "confirm-new-password";
const CODE_ID: &str = "security-code";
const CONFIRM_CODE_ID: &str = "security-code-confirmation";

/// The server's field errors pinned to this page's inputs.
fn pinned(problem: &Problem, fields: &[(&str, &'static str)]) -> Vec<SummaryError> {
    problem
        .errors
        .iter()
        .map(|error| {
            let id = fields
                .iter()
                .find(|(field, _)| *field == error.field)
                .map_or(fields[0].1, |(_, id)| *id);
            SummaryError::at(id, error.message.clone())
        })
        .collect()
}

/// A sign-in that expired or was used: back to the password, saying so.
fn start_again(step: RwSignal<Step>, errors: RwSignal<Vec<SummaryError>>, problem: &Problem) {
    errors.set(refused(problem, PASSWORD_ID));
    step.set(Step::Password);
}

#[component]
pub fn NewPasswordForm(
    challenge: LoginChallenge,
    step: RwSignal<Step>,
    errors: RwSignal<Vec<SummaryError>>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let prompt = challenge.prompt.clone();
    let challenge = StoredValue::new(challenge);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (typed, again) = (password.get_untracked(), confirmation.get_untracked());
        let mut found = Vec::new();
        if typed.is_empty() {
            found.push(SummaryError::at(NEW_PASSWORD_ID, "Enter a new password"));
        } else if again != typed {
            found.push(SummaryError::at(
                CONFIRM_PASSWORD_ID,
                "The two passwords do not match",
            ));
        }
        if !found.is_empty() {
            errors.set(found);
            return;
        }
        let request = NewPassword {
            challenge_id: challenge.with_value(|challenge| challenge.challenge_id.clone()),
            new_password: typed,
        };
        busy.set(true);
        spawn_local(async move {
            let outcome = api::first_sign_in_password(&request).await;
            busy.set(false);
            match outcome {
                Ok(()) => {
                    errors.set(Vec::new());
                    step.set(Step::NewSecurityCode(challenge.get_value()));
                }
                Err(problem) if problem.status == 401 => start_again(step, errors, &problem),
                Err(problem) if !problem.errors.is_empty() => {
                    errors.set(pinned(&problem, &[("new_password", NEW_PASSWORD_ID)]));
                }
                Err(problem) => errors.set(refused(&problem, NEW_PASSWORD_ID)),
            }
        });
    };
    view! {
        <p class="govuk-body">{prompt}</p>
        <form novalidate on:submit=submit>
            <TextField
                id=NEW_PASSWORD_ID
                label="New password"
                input_type="password"
                autocomplete="new-password"
                value=password
                hint="At least 12 characters, with no other rules. Three or more random words make a strong password that is easy to remember. You can paste it from a password manager."
                error=Signal::derive(move || field_error(errors, NEW_PASSWORD_ID))
            />
            <TextField
                id=CONFIRM_PASSWORD_ID
                label="Confirm new password"
                input_type="password"
                autocomplete="new-password"
                value=confirmation
                error=Signal::derive(move || field_error(errors, CONFIRM_PASSWORD_ID))
            />
            <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                "Continue"
            </button>
        </form>
    }
}

#[component]
pub fn NewSecurityCodeForm(
    challenge: LoginChallenge,
    step: RwSignal<Step>,
    errors: RwSignal<Vec<SummaryError>>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let code = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let challenge_id = challenge.challenge_id;
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (typed, again) = (
            code.get_untracked().trim().to_owned(),
            confirmation.get_untracked().trim().to_owned(),
        );
        let mut found = Vec::new();
        if typed.is_empty() {
            found.push(SummaryError::at(CODE_ID, "Enter a six-digit security code"));
        }
        if again.is_empty() {
            found.push(SummaryError::at(
                CONFIRM_CODE_ID,
                "Enter the security code again",
            ));
        }
        if !found.is_empty() {
            errors.set(found);
            return;
        }
        let request = NewSecurityCode {
            challenge_id: challenge_id.clone(),
            security_code: typed,
            security_code_confirmation: again,
        };
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            let outcome = api::first_sign_in_security_code(&request).await;
            busy.set(false);
            match outcome {
                Ok(token) => {
                    errors.set(Vec::new());
                    session.sign_in(token);
                    navigate("/", NavigateOptions::default());
                }
                Err(problem) if problem.status == 401 => start_again(step, errors, &problem),
                Err(problem) if !problem.errors.is_empty() => errors.set(pinned(
                    &problem,
                    &[
                        ("security_code", CODE_ID),
                        ("security_code_confirmation", CONFIRM_CODE_ID),
                    ],
                )),
                Err(problem) => errors.set(refused(&problem, CODE_ID)),
            }
        });
    };
    view! {
        <p class="govuk-body">"Each time you log in, after your password, you will be asked for three of its digits."</p>
        <div class="govuk-inset-text">
            <p class="govuk-body">"Your security code must:"</p>
            <ul class="govuk-list govuk-list--bullet">
                <li>"be exactly 6 digits, 0 to 9"</li>
                <li>"not use any digit more than 4 times"</li>
                <li>"not contain a run of more than three consecutive digits, up or down, such as 1234 or 4321"</li>
                <li>"be different from your previous code"</li>
            </ul>
        </div>
        <form novalidate on:submit=submit>
            <TextField
                id=CODE_ID
                label="Security code"
                input_type="password"
                inputmode="numeric"
                autocomplete="off"
                value=code
                error=Signal::derive(move || field_error(errors, CODE_ID))
            />
            <TextField
                id=CONFIRM_CODE_ID
                label="Confirm security code"
                input_type="password"
                inputmode="numeric"
                autocomplete="off"
                value=confirmation
                error=Signal::derive(move || field_error(errors, CONFIRM_CODE_ID))
            />
            <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                "Save security code and log in"
            </button>
        </form>
    }
}
