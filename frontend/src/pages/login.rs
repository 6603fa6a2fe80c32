//! Signing in: email and password, then the second factor the council's policy asks for
//! (DOMAIN 14): three digits of the six-digit security code at the positions the server
//! chose, or the code an authenticator app shows (or one of its one-time recovery codes).
//! Where the challenge accepts both, the person may switch between them.

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
use crate::session::{use_session, Session};

const EMAIL_ID: &str = "email";
pub(crate) const PASSWORD_ID: &str = "password";

const AUTHENTICATOR_CODE_ID: &str = "authenticator-code";
const RECOVERY_CODE_ID: &str = "recovery-code";

/// The second factors a challenge's `methods` name.
const AUTHENTICATOR_METHOD: &str = "authenticator";
const DIGITS_METHOD: &str = "security_code_digits";

fn digit_id(index: usize) -> String {
    format!("digit-{index}")
}

/// Whether a challenge may be answered with `method`.
fn accepts(challenge: &LoginChallenge, method: &str) -> bool {
    challenge.methods.iter().any(|known| known == method)
}

/// "Please enter the 2nd, 4th and 6th digits from your six-digit security code.", for the
/// digits step reached from the authenticator step (whose prompt is about the app).
fn digits_prompt(positions: &[u8]) -> String {
    let named: Vec<String> = positions
        .iter()
        .map(|position| ordinal(*position))
        .collect();
    let listed = match named.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.clone(),
        None => String::new(),
    };
    format!("Please enter the {listed} digits from your six-digit security code.")
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    Password,
    Digits(LoginChallenge),
    /// The code the authenticator app shows now.
    Authenticator(LoginChallenge),
    /// One of the recovery codes given when the app was set up, in place of its code.
    RecoveryCode(LoginChallenge),
    /// First sign-in: a new password, then the security code.
    NewPassword(LoginChallenge),
    NewSecurityCode(LoginChallenge),
}

impl Step {
    fn heading(&self) -> &'static str {
        match self {
            Step::Password | Step::Digits(_) | Step::Authenticator(_) | Step::RecoveryCode(_) => {
                "Log in to your Provider Portal"
            }
            Step::NewPassword(_) => "Choose a new password",
            Step::NewSecurityCode(_) => "Create your security code",
        }
    }

    /// Where a password step's challenge leads.
    fn after_password(challenge: LoginChallenge) -> Step {
        match (challenge.next_step.as_str(), challenge.must_change_password) {
            ("first_sign_in", true) => Step::NewPassword(challenge),
            ("first_sign_in", false) => Step::NewSecurityCode(challenge),
            (AUTHENTICATOR_METHOD, _) => Step::Authenticator(challenge),
            _ => Step::Digits(challenge),
        }
    }

    /// The digits step for a challenge first put as the authenticator's, asking for the
    /// positions it carries.
    fn digits_instead(challenge: LoginChallenge) -> Step {
        Step::Digits(LoginChallenge {
            prompt: digits_prompt(&challenge.positions),
            ..challenge
        })
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
    // Another way to answer the same challenge: what was typed and refused no longer applies.
    let switch_to = Callback::new(move |next: Step| {
        errors.set(Vec::new());
        step.set(next);
    });
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
                        // Reached from the authenticator step: the way back to it.
                        let other_ways = accepts(&challenge, AUTHENTICATOR_METHOD)
                            .then(|| {
                                let back = Step::Authenticator(challenge.clone());
                                view! {
                                    <OtherWays
                                        ways=vec![("Use your authenticator app instead", back)]
                                        switch_to
                                    />
                                }
                            });
                        view! {
                            <DigitsForm challenge step errors busy on_start_again=Callback::new(move |()| start_again()) />
                            {other_ways}
                        }
                            .into_any()
                    }
                    Step::Authenticator(challenge) => {
                        let mut ways = Vec::new();
                        if accepts(&challenge, DIGITS_METHOD) && !challenge.positions.is_empty() {
                            ways.push((
                                "Use your security code instead",
                                Step::digits_instead(challenge.clone()),
                            ));
                        }
                        ways.push(("Use a recovery code instead", Step::RecoveryCode(challenge.clone())));
                        view! {
                            <CodeForm
                                kind=CodeKind::Authenticator
                                challenge
                                step
                                errors
                                busy
                                on_start_again=Callback::new(move |()| start_again())
                            />
                            <OtherWays ways switch_to />
                        }
                            .into_any()
                    }
                    Step::RecoveryCode(challenge) => {
                        let mut ways = vec![(
                            "Use your authenticator app instead",
                            Step::Authenticator(challenge.clone()),
                        )];
                        if accepts(&challenge, DIGITS_METHOD) && !challenge.positions.is_empty() {
                            ways.push((
                                "Use your security code instead",
                                Step::digits_instead(challenge.clone()),
                            ));
                        }
                        view! {
                            <CodeForm
                                kind=CodeKind::Recovery
                                challenge
                                step
                                errors
                                busy
                                on_start_again=Callback::new(move |()| start_again())
                            />
                            <OtherWays ways switch_to />
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
    /// A GOV.UK width class, like `govuk-input--width-10`.
    #[prop(optional)]
    width: &'static str,
    /// To give the input focus when its step appears.
    #[prop(optional)]
    node_ref: Option<NodeRef<html::Input>>,
) -> impl IntoView {
    let node_ref = node_ref.unwrap_or_default();
    let class = if width.is_empty() {
        "govuk-input".to_owned()
    } else {
        format!("govuk-input {width}")
    };
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
                node_ref=node_ref
                class=class
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
            let sent = Sent {
                busy,
                errors,
                step,
                session,
            };
            sent.answer(answer, navigate, digit_errors, digit_id(0));
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
/// A sign-in step's state, as its answer comes back.
#[derive(Clone, Copy)]
struct Sent {
    busy: RwSignal<bool>,
    errors: RwSignal<Vec<SummaryError>>,
    step: RwSignal<Step>,
    /// Found while the step was built: the answer is sent from an event handler.
    session: Session,
}

impl Sent {
    /// Sends an answer to the challenge. Right: signed in, home. Wrong: the challenge is
    /// used up, so the password is asked for again. Bad fields are pinned by `pin`, other
    /// refusals to `field_id`.
    fn answer(
        self,
        answer: ChallengeAnswer,
        navigate: impl Fn(&str, NavigateOptions) + 'static,
        pin: impl Fn(&Problem) -> Vec<SummaryError> + 'static,
        field_id: String,
    ) {
        let Sent {
            busy,
            errors,
            step,
            session,
        } = self;
        spawn_local(async move {
            let outcome = api::answer_challenge(&answer).await;
            busy.set(false);
            match outcome {
                Ok(token) => {
                    errors.set(Vec::new());
                    session.sign_in(token);
                    navigate("/", NavigateOptions::default());
                }
                Err(problem) if problem.status == 401 => {
                    errors.set(refused(&problem, PASSWORD_ID));
                    step.set(Step::Password);
                }
                Err(problem) if !problem.errors.is_empty() => errors.set(pin(&problem)),
                Err(problem) => errors.set(refused(&problem, &field_id)),
            }
        });
    }
}

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

/// The answers to a challenge typed into one box: the authenticator app's code, or a
/// recovery code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CodeKind {
    Authenticator,
    Recovery,
}

impl CodeKind {
    fn id(self) -> &'static str {
        match self {
            CodeKind::Authenticator => AUTHENTICATOR_CODE_ID,
            CodeKind::Recovery => RECOVERY_CODE_ID,
        }
    }

    fn label(self) -> &'static str {
        match self {
            CodeKind::Authenticator => "Code from your authenticator app",
            CodeKind::Recovery => "Recovery code",
        }
    }

    fn hint(self) -> &'static str {
        match self {
            CodeKind::Authenticator => {
                "Open the authenticator app on your phone and enter the 6-digit code it shows for the Care Provider Portal. The code changes every 30 seconds."
            }
            CodeKind::Recovery => {
                "One of the 10 recovery codes you were given when you set up your authenticator app, for example K7QF-2M4X-PL9A-3RTD. Each code works once."
            }
        }
    }

    fn width(self) -> &'static str {
        match self {
            CodeKind::Authenticator => "govuk-input--width-10",
            CodeKind::Recovery => "govuk-input--width-20",
        }
    }

    fn inputmode(self) -> &'static str {
        match self {
            CodeKind::Authenticator => "numeric",
            CodeKind::Recovery => "text",
        }
    }

    fn autocomplete(self) -> &'static str {
        match self {
            CodeKind::Authenticator => "one-time-code",
            CodeKind::Recovery => "off",
        }
    }

    /// The code as typed, tidied for sending, or what to say when it cannot be right.
    fn check(self, typed: &str) -> Result<String, &'static str> {
        match self {
            CodeKind::Authenticator => {
                let code: String = typed
                    .chars()
                    .filter(|c| !c.is_whitespace() && *c != '-')
                    .collect();
                if code.is_empty() {
                    Err("Enter the code from your authenticator app")
                } else if code.len() != 6 || !code.bytes().all(|byte| byte.is_ascii_digit()) {
                    Err("Enter the 6 digits your authenticator app shows")
                } else {
                    Ok(code)
                }
            }
            CodeKind::Recovery => {
                let code = typed.trim();
                let letters = code.chars().filter(char::is_ascii_alphanumeric).count();
                if code.is_empty() {
                    Err("Enter a recovery code")
                } else if letters != 16 {
                    Err("Enter a recovery code like K7QF-2M4X-PL9A-3RTD")
                } else {
                    Ok(code.to_owned())
                }
            }
        }
    }

    fn answer(self, challenge_id: String, code: String) -> ChallengeAnswer {
        let (authenticator_code, recovery_code) = match self {
            CodeKind::Authenticator => (Some(code), None),
            CodeKind::Recovery => (None, Some(code)),
        };
        ChallengeAnswer {
            challenge_id,
            digits: Vec::new(),
            authenticator_code,
            recovery_code,
        }
    }
}

/// A 422 on a one-box step: every message belongs to its one input.
fn code_errors(problem: &Problem, field_id: &str) -> Vec<SummaryError> {
    let mut lines: Vec<SummaryError> = Vec::new();
    for error in &problem.errors {
        if !lines.iter().any(|line| line.message == error.message) {
            lines.push(SummaryError::at(field_id, error.message.clone()));
        }
    }
    if lines.is_empty() {
        lines = refused(problem, field_id);
    }
    lines
}

#[component]
fn CodeForm(
    kind: CodeKind,
    challenge: LoginChallenge,
    step: RwSignal<Step>,
    errors: RwSignal<Vec<SummaryError>>,
    busy: RwSignal<bool>,
    on_start_again: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let code = RwSignal::new(String::new());
    let input = NodeRef::<html::Input>::new();
    // The button that led here is gone: put the user where they type next.
    Effect::new(move |_| {
        if let Some(input) = input.get() {
            let _ = input.focus();
        }
    });
    let id = kind.id();
    let challenge_id = challenge.challenge_id;
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed = match kind.check(&code.get_untracked()) {
            Ok(typed) => typed,
            Err(message) => {
                errors.set(vec![SummaryError::at(id, message)]);
                return;
            }
        };
        busy.set(true);
        let answer = kind.answer(challenge_id.clone(), typed);
        let navigate = navigate.clone();
        let sent = Sent {
            busy,
            errors,
            step,
            session,
        };
        sent.answer(
            answer,
            navigate,
            move |problem| code_errors(problem, id),
            id.to_owned(),
        );
    };

    view! {
        <form novalidate on:submit=submit>
            <TextField
                id=id
                label=kind.label()
                hint=kind.hint()
                input_type="text"
                inputmode=kind.inputmode()
                autocomplete=kind.autocomplete()
                width=kind.width()
                node_ref=input
                value=code
                error=Signal::derive(move || field_error(errors, id))
            />
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

/// The other ways to answer the same challenge, as links that switch the step (buttons,
/// since they change the page rather than go somewhere).
#[component]
fn OtherWays(ways: Vec<(&'static str, Step)>, switch_to: Callback<Step>) -> impl IntoView {
    let items = ways
        .into_iter()
        .map(|(label, next)| {
            let next = StoredValue::new(next);
            view! {
                <li>
                    <button
                        type="button"
                        class="app-link-button"
                        on:click=move |_| switch_to.run(next.get_value())
                    >
                        {label}
                    </button>
                </li>
            }
        })
        .collect_view();
    view! { <ul class="govuk-list app-other-ways">{items}</ul> }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn challenge(next_step: &str, methods: &[&str], positions: &[u8]) -> LoginChallenge {
        LoginChallenge {
            challenge_id: "c".to_owned(),
            positions: positions.to_vec(),
            prompt: "Enter the six-digit code your authenticator app shows.".to_owned(),
            expires_at: "2026-01-01T00:00:00Z".to_owned(),
            next_step: next_step.to_owned(),
            must_change_password: false,
            methods: methods.iter().map(|method| (*method).to_owned()).collect(),
        }
    }

    #[test]
    fn the_challenge_decides_the_second_step() {
        let app = challenge(
            "authenticator",
            &["authenticator", "security_code_digits"],
            &[2, 4, 6],
        );
        assert!(matches!(Step::after_password(app), Step::Authenticator(_)));
        let digits = challenge(
            "security_code_digits",
            &["security_code_digits"],
            &[1, 3, 5],
        );
        assert!(matches!(Step::after_password(digits), Step::Digits(_)));
        let mut first = challenge("first_sign_in", &[], &[]);
        first.must_change_password = true;
        assert!(matches!(Step::after_password(first), Step::NewPassword(_)));
    }

    #[test]
    fn switching_to_digits_asks_for_the_challenges_positions() {
        let app = challenge(
            "authenticator",
            &["authenticator", "security_code_digits"],
            &[2, 4, 6],
        );
        let Step::Digits(digits) = Step::digits_instead(app) else {
            panic!("not the digits step");
        };
        assert_eq!(
            digits.prompt,
            "Please enter the 2nd, 4th and 6th digits from your six-digit security code."
        );
        assert_eq!(digits.challenge_id, "c");
    }

    #[test]
    fn codes_are_checked_before_sending() {
        assert_eq!(
            CodeKind::Authenticator.check(" 123 456 "),
            Ok("123456".to_owned())
        );
        assert_eq!(
            CodeKind::Authenticator.check(""),
            Err("Enter the code from your authenticator app")
        );
        assert_eq!(
            CodeKind::Authenticator.check("12345a"),
            Err("Enter the 6 digits your authenticator app shows")
        );
        assert_eq!(
            CodeKind::Recovery.check(" k7qf-2m4x-pl9a-3rtd "),
            Ok("k7qf-2m4x-pl9a-3rtd".to_owned())
        );
        assert_eq!(
            CodeKind::Recovery.check("K7QF-2M4X"),
            Err("Enter a recovery code like K7QF-2M4X-PL9A-3RTD")
        );
        let answer = CodeKind::Recovery.answer("c".to_owned(), "K7QF".to_owned());
        assert_eq!(answer.recovery_code.as_deref(), Some("K7QF"));
        assert!(answer.authenticator_code.is_none() && answer.digits.is_empty());
    }

    #[test]
    fn a_refused_code_is_pinned_to_its_box() {
        let problem = Problem {
            problem_type: "about:blank".to_owned(),
            title: "Some fields are not valid".to_owned(),
            status: 422,
            detail: "Some fields are not valid".to_owned(),
            errors: vec![portal_dto::FieldError {
                field: "authenticator_code".to_owned(),
                message: "Enter the six digits your authenticator app shows".to_owned(),
            }],
        };
        assert_eq!(
            code_errors(&problem, AUTHENTICATOR_CODE_ID),
            vec![SummaryError::at(
                AUTHENTICATOR_CODE_ID,
                "Enter the six digits your authenticator app shows"
            )]
        );
    }
}
