//! Signing in: email and password, then three digits of the six-digit security code at the
//! positions the server chose (DOMAIN 14).

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use portal_dto::{ChallengeAnswer, LoginChallenge, LoginRequest, Problem};

use crate::api;
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::page_title::set_page_title;
use crate::format::ordinal;
use crate::pages::first_sign_in::{NewPasswordForm, NewSecurityCodeForm};
use crate::session::use_session;

const EMAIL_ID: &str = "email";
pub(crate) const PASSWORD_ID: &str = "password";

fn digit_id(index: usize) -> String {
    format!("digit-{index}")
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Password,
    Digits(LoginChallenge),
    /// First sign-in: a new password, then the security code.
    NewPassword(LoginChallenge),
    NewSecurityCode(LoginChallenge),
}

impl Step {
    fn heading(&self) -> &'static str {
        match self {
            Step::Password | Step::Digits(_) => "Log in to your Provider Portal",
            Step::NewPassword(_) => "Choose a new password",
            Step::NewSecurityCode(_) => "Create your security code",
        }
    }

    /// Where a password step's challenge leads.
    fn after_password(challenge: LoginChallenge) -> Step {
        match (challenge.next_step.as_str(), challenge.must_change_password) {
            ("first_sign_in", true) => Step::NewPassword(challenge),
            ("first_sign_in", false) => Step::NewSecurityCode(challenge),
            _ => Step::Digits(challenge),
        }
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let step = RwSignal::new(Step::Password);
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    // Kept across the steps, so "Start again" does not make the user retype it.
    let email = RwSignal::new(String::new());
    Effect::new(move |_| {
        let failed = errors.with(|errors| !errors.is_empty());
        let heading = step.with(Step::heading);
        let title = if heading.starts_with("Log in") {
            "Log in"
        } else {
            heading
        };
        set_page_title(&if failed {
            format!("Error: {title}")
        } else {
            title.to_owned()
        });
    });

    let start_again = move || {
        errors.set(Vec::new());
        step.set(Step::Password);
    };
    // Why the last session ended, when the user did not end it themselves.
    let ended = use_session().take_ended().and_then(|ended| ended.message());

    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                {ended.map(|message| view! {
                    <div class="govuk-notification-banner" role="region" aria-labelledby="session-ended-title">
                        <div class="govuk-notification-banner__header">
                            <h2 class="govuk-notification-banner__title" id="session-ended-title">"Important"</h2>
                        </div>
                        <div class="govuk-notification-banner__content">
                            <p class="govuk-notification-banner__heading">{message}</p>
                        </div>
                    </div>
                })}
                <ErrorSummary errors=errors />
                <h1 class="govuk-heading-l">{move || step.with(Step::heading)}</h1>
                {move || match step.get() {
                    Step::Password => {
                        view! { <PasswordForm step email errors busy /> }.into_any()
                    }
                    Step::Digits(challenge) => {
                        view! {
                            <DigitsForm challenge step errors busy on_start_again=Callback::new(move |()| start_again()) />
                        }
                            .into_any()
                    }
                    Step::NewPassword(challenge) => {
                        view! { <NewPasswordForm challenge step errors busy /> }.into_any()
                    }
                    Step::NewSecurityCode(challenge) => {
                        view! { <NewSecurityCodeForm challenge step errors busy /> }.into_any()
                    }
                }}
            </div>
        </div>
    }
}

/// The message of a field, if the summary holds one for it.
pub(crate) fn field_error(errors: RwSignal<Vec<SummaryError>>, field_id: &str) -> Option<String> {
    errors.with(|errors| {
        errors
            .iter()
            .find(|error| error.field_id.as_deref() == Some(field_id))
            .map(|error| error.message.clone())
    })
}

/// A refused step: the problem's own sentence, pinned to the field to correct.
pub(crate) fn refused(problem: &Problem, field_id: &str) -> Vec<SummaryError> {
    vec![SummaryError::at(field_id, problem.detail.clone())]
}

#[component]
fn PasswordForm(
    step: RwSignal<Step>,
    email: RwSignal<String>,
    errors: RwSignal<Vec<SummaryError>>,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let password = RwSignal::new(String::new());

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = LoginRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        let mut missing = Vec::new();
        if request.email.is_empty() {
            missing.push(SummaryError::at(EMAIL_ID, "Enter your email address"));
        }
        if request.password.is_empty() {
            missing.push(SummaryError::at(PASSWORD_ID, "Enter your password"));
        }
        if !missing.is_empty() {
            errors.set(missing);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let outcome = api::login(&request).await;
            busy.set(false);
            match outcome {
                Ok(challenge) => {
                    errors.set(Vec::new());
                    step.set(Step::after_password(challenge));
                }
                Err(problem) => errors.set(refused(&problem, PASSWORD_ID)),
            }
        });
    };

    view! {
        <form novalidate on:submit=submit>
            <TextField
                id=EMAIL_ID
                label="Email address"
                input_type="email"
                autocomplete="username"
                value=email
                error=Signal::derive(move || field_error(errors, EMAIL_ID))
            />
            <TextField
                id=PASSWORD_ID
                label="Password"
                input_type="password"
                autocomplete="current-password"
                value=password
                error=Signal::derive(move || field_error(errors, PASSWORD_ID))
            />
            <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                "Continue"
            </button>
            <p class="govuk-body"><a class="govuk-link" href="/forgot-password">"Forgot your password?"</a></p>
        </form>
    }
}

/// One labelled input of the sign-in forms, with its hint and error. Paste is always
/// allowed: password managers and long passphrases depend on it.
#[component]
pub fn TextField(
    id: &'static str,
    label: &'static str,
    input_type: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    error: Signal<Option<String>>,
    #[prop(optional)] hint: &'static str,
    #[prop(optional)] inputmode: &'static str,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if !hint.is_empty() {
                ids.push(hint_id.clone());
            }
            if error.with(Option::is_some) {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="govuk-form-group" class:govuk-form-group--error=move || error.with(Option::is_some)>
            <label class="govuk-label" for=id>{label}</label>
            {(!hint.is_empty()).then(|| view! { <div id=hint_id.clone() class="govuk-hint">{hint}</div> })}
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p id=error_id.clone() class="govuk-error-message">
                                <span class="govuk-visually-hidden">"Error: "</span>
                                {message}
                            </p>
                        }
                    })
            }}
            <input
                class="govuk-input"
                class:govuk-input--error=move || error.with(Option::is_some)
                id=id
                name=id
                type=input_type
                inputmode=(!inputmode.is_empty()).then_some(inputmode)
                autocomplete=autocomplete
                spellcheck="false"
                aria-describedby=described_by
                prop:value=move || value.get()
                on:input=move |event| value.set(event_target_value(&event))
            />
        </div>
    }
}

#[component]
fn DigitsForm(
    challenge: LoginChallenge,
    step: RwSignal<Step>,
    errors: RwSignal<Vec<SummaryError>>,
    busy: RwSignal<bool>,
    on_start_again: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let digits: Vec<RwSignal<String>> = challenge
        .positions
        .iter()
        .map(|_| RwSignal::new(String::new()))
        .collect();
    let first_digit = NodeRef::<html::Input>::new();
    // The password step's button had focus and is gone: put the user where they type next.
    Effect::new(move |_| {
        if let Some(input) = first_digit.get() {
            let _ = input.focus();
        }
    });

    let challenge_id = challenge.challenge_id.clone();
    let positions = challenge.positions.clone();
    let submit = {
        let digits = digits.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            if busy.get_untracked() {
                return;
            }
            let typed: Vec<String> = digits
                .iter()
                .map(|digit| digit.get_untracked().trim().to_owned())
                .collect();
            let missing: Vec<SummaryError> = typed
                .iter()
                .zip(&positions)
                .enumerate()
                .filter(|(_, (digit, _))| !is_one_digit(digit))
                .map(|(index, (_, position))| {
                    SummaryError::at(
                        digit_id(index),
                        format!(
                            "Enter the {} digit of your security code, a number from 0 to 9",
                            ordinal(*position)
                        ),
                    )
                })
                .collect();
            if !missing.is_empty() {
                errors.set(missing);
                return;
            }
            busy.set(true);
            let answer = ChallengeAnswer {
                challenge_id: challenge_id.clone(),
                digits: typed,
                authenticator_code: None,
                recovery_code: None,
            };
            let navigate = navigate.clone();
            spawn_local(async move {
                let outcome = api::answer_challenge(&answer).await;
                busy.set(false);
                match outcome {
                    Ok(token) => {
                        errors.set(Vec::new());
                        session.sign_in(token);
                        navigate("/", NavigateOptions::default());
                    }
                    // A wrong answer uses the challenge up: the server asks for the password
                    // again, with new positions.
                    Err(problem) if problem.status == 401 => {
                        errors.set(refused(&problem, PASSWORD_ID));
                        step.set(Step::Password);
                    }
                    Err(problem) if !problem.errors.is_empty() => {
                        errors.set(digit_errors(&problem));
                    }
                    Err(problem) => errors.set(refused(&problem, &digit_id(0))),
                }
            });
        }
    };

    let inputs = challenge
        .positions
        .iter()
        .zip(digits)
        .enumerate()
        .map(|(index, (position, digit))| {
            let id = digit_id(index);
            let error = Signal::derive({
                let id = id.clone();
                move || field_error(errors, &id)
            });
            let error_id = format!("{id}-error");
            let node_ref = if index == 0 { first_digit } else { NodeRef::new() };
            view! {
                <div class="govuk-form-group app-digit" class:govuk-form-group--error=move || error.with(Option::is_some)>
                    <label class="govuk-label" for=id.clone()>{format!("{} digit", ordinal(*position))}</label>
                    {
                        let error_id = error_id.clone();
                        move || error.get().map(|message| view! {
                            <p id=error_id.clone() class="govuk-error-message">
                                <span class="govuk-visually-hidden">"Error: "</span>
                                {message}
                            </p>
                        })
                    }
                    <input
                        node_ref=node_ref
                        class="govuk-input govuk-input--width-2"
                        class:govuk-input--error=move || error.with(Option::is_some)
                        id=id.clone()
                        name=id
                        type="text"
                        inputmode="numeric"
                        pattern="[0-9]"
                        maxlength="1"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby=move || error.with(|error| error.as_ref().map(|_| error_id.clone()))
                        on:input=move |event| digit.set(event_target_value(&event))
                    />
                </div>
            }
        })
        .collect_view();

    view! {
        <form novalidate on:submit=submit>
            <fieldset class="govuk-fieldset" aria-describedby="digits-hint">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--m">
                    <h2 class="govuk-fieldset__heading">"Security code"</h2>
                </legend>
                <p id="digits-hint" class="govuk-hint">{challenge.prompt.clone()}</p>
                <div class="app-digits">{inputs}</div>
            </fieldset>
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                    "Log in"
                </button>
                <button type="button" class="govuk-button govuk-button--secondary" on:click=move |_| on_start_again.run(())>
                    "Start again"
                </button>
            </div>
        </form>
    }
}

/// A 422's `digits[1]` pinned on the second input.
fn digit_errors(problem: &Problem) -> Vec<SummaryError> {
    problem
        .errors
        .iter()
        .map(|error| {
            let index = error
                .field
                .strip_prefix("digits[")
                .and_then(|rest| rest.strip_suffix(']'))
                .and_then(|index| index.parse::<usize>().ok())
                .unwrap_or(0);
            SummaryError::at(digit_id(index), error.message.clone())
        })
        .collect()
}

fn is_one_digit(text: &str) -> bool {
    text.len() == 1 && text.bytes().all(|byte| byte.is_ascii_digit())
}
