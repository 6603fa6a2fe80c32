//! Self-service from the home page (DOMAIN 14): set up an authenticator app, which then
//! stands in for the security code's digits at sign-in (or is required, when the council's
//! policy says so), or remove it.
//!
//! Setting up: the server's QR code and the secret as text, then a code from the app to
//! confirm it, which answers with ten one-time recovery codes shown only here. Removing
//! asks for the password again. Either way the session's user is reread from `/me`, so the
//! home page's banner and this page agree with the server.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::NavigateOptions;
use portal_dto::{AuthenticatorEnrolment, ConfirmAuthenticator, Me, RemoveAuthenticator};

use crate::api;
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{refusals, Errors, Field, TextInput};
use crate::components::page_title::title_with_errors;
use crate::saver::Saver;
use crate::session::Session;

const CODE_ID: &str = "code";
const CURRENT_PASSWORD_ID: &str = "current-password";

/// The council's policy that makes the authenticator app the only second factor.
pub const AUTHENTICATOR_POLICY: &str = "authenticator";

/// Where the page is: what the person sees next.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Stage {
    /// As the server says: set up or not.
    Overview,
    /// A QR code and its secret, waiting for a code from the app.
    Scan(AuthenticatorEnrolment),
    /// Just set up: the recovery codes, shown this once.
    RecoveryCodes(Vec<String>),
}

/// The secret as people copy it: groups of four ("JBSW Y3DP EHPK ...").
pub fn in_groups_of_four(secret: &str) -> String {
    let letters: Vec<char> = secret.chars().filter(|c| !c.is_whitespace()).collect();
    letters
        .chunks(4)
        .map(|group| group.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// "You have 10 recovery codes left."
pub fn codes_left_text(left: i64) -> String {
    match left {
        0 => "You have no recovery codes left.".to_owned(),
        1 => "You have 1 recovery code left.".to_owned(),
        left => format!("You have {left} recovery codes left."),
    }
}

/// Whether the home page asks this person to set up an authenticator app.
pub fn asked_to_set_up(user: &Me) -> bool {
    user.second_factor_policy == AUTHENTICATOR_POLICY && !user.authenticator_enrolled
}

/// The code as typed, without spaces, or what to say when it cannot be a code.
fn checked_code(typed: &str) -> Result<String, &'static str> {
    let code: String = typed.chars().filter(|c| !c.is_whitespace()).collect();
    if code.is_empty() {
        Err("Enter the code from your authenticator app")
    } else if code.len() != 6 || !code.bytes().all(|byte| byte.is_ascii_digit()) {
        Err("Enter the 6 digits your authenticator app shows")
    } else {
        Ok(code)
    }
}

fn code_fields() -> Vec<Field> {
    vec![Field::new(
        "code",
        CODE_ID,
        "Code from your authenticator app",
        "Enter the code from your authenticator app",
    )]
}

fn removal_fields() -> Vec<Field> {
    vec![Field::new(
        "current_password",
        CURRENT_PASSWORD_ID,
        "Current password",
        "Enter your current password",
    )]
}

impl Saver {
    /// Sends a request with the session's token; `done` takes its answer, and a refusal
    /// fills the summary (a lost session signs out, so the router asks to log in again).
    fn send<T, F, Fut>(
        &self,
        busy: RwSignal<bool>,
        errors: Errors,
        fields: fn() -> Vec<Field>,
        call: F,
        done: impl FnOnce(T) + 'static,
    ) where
        T: 'static,
        F: FnOnce(String) -> Fut + 'static,
        Fut: std::future::Future<Output = api::ApiResult<T>> + 'static,
    {
        let session = self.session;
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
                Ok(answer) => {
                    errors.set(Vec::new());
                    done(answer);
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(refusals(&problem, &fields())),
            }
        });
    }

    /// Rereads the user from `/me` into the session; until it answers (or if it fails),
    /// `expected` says what the change just made.
    async fn reload_user(session: Session, expected: impl FnOnce(&mut Me)) {
        if let Some(mut user) = session.user() {
            expected(&mut user);
            session.replace_user(user);
        }
        let Some(token) = session.access_token() else {
            return;
        };
        if let Ok(user) = api::me(&token).await {
            session.replace_user(user);
        }
    }
}

#[component]
pub fn AuthenticatorPage() -> impl IntoView {
    let saver = Saver::new();
    let session = saver.session;
    let stage = RwSignal::new(Stage::Overview);
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    title_with_errors(
        move || {
            if stage.with(|stage| matches!(stage, Stage::RecoveryCodes(_))) {
                "Authenticator app set up".to_owned()
            } else {
                "Authenticator app".to_owned()
            }
        },
        errors,
    );
    // The session's user may be older than the server's (another tab set the app up): the
    // page shows it at once and corrects it when `/me` answers.
    if let Some(token) = session.access_token() {
        spawn_local(async move {
            if let Ok(user) = api::me(&token).await {
                session.replace_user(user);
            }
        });
    }
    let user = Memo::new(move |_| session.user());

    let start = move |_| {
        saver.send(
            busy,
            errors,
            code_fields,
            |token| async move { api::begin_authenticator(&token).await },
            move |enrolment| stage.set(Stage::Scan(enrolment)),
        );
    };

    let content = move || match stage.get() {
        Stage::RecoveryCodes(codes) => recovery_codes_view(codes).into_any(),
        Stage::Scan(enrolment) => {
            view! { <ScanForm enrolment saver stage errors busy /> }.into_any()
        }
        Stage::Overview => match user.get() {
            Some(user) if user.authenticator_enrolled => {
                view! { <Enrolled user saver errors busy /> }.into_any()
            }
            user => {
                let required = user
                    .as_ref()
                    .is_some_and(|user| user.second_factor_policy == AUTHENTICATOR_POLICY);
                not_enrolled_view(required, busy, start).into_any()
            }
        },
    };

    view! {
        <a class="govuk-back-link" href="/">"Back to the home page"</a>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors=errors />
                {content}
            </div>
        </div>
    }
}

fn not_enrolled_view(
    required: bool,
    busy: RwSignal<bool>,
    start: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    let instead = if required {
        "Your council asks you to sign in with an authenticator app. Once it is set up, you sign in with your password and the code the app shows."
    } else {
        "Once it is set up, you sign in with your password and the code the app shows. You can still use your security code instead."
    };
    view! {
        <h1 class="govuk-heading-l">"Authenticator app"</h1>
        <p class="govuk-body">
            "An authenticator app on your phone shows a new 6-digit code every 30 seconds. Only your phone can show it, so it keeps your account safe even if someone learns your password."
        </p>
        <p class="govuk-body">{instead}</p>
        <p class="govuk-body">
            "You can use any authenticator app, such as Google Authenticator, Microsoft Authenticator or the one in your password manager. You will need your phone for the next few minutes."
        </p>
        <button type="button" class="govuk-button" data-module="govuk-button" disabled=move || busy.get() on:click=start>
            "Set up an authenticator app"
        </button>
    }
}

#[component]
fn ScanForm(
    enrolment: AuthenticatorEnrolment,
    saver: Saver,
    stage: RwSignal<Stage>,
    errors: Errors,
    busy: RwSignal<bool>,
) -> impl IntoView {
    let code = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = match checked_code(&code.get_untracked()) {
            Ok(typed) => typed,
            Err(message) => {
                errors.set(vec![SummaryError::at(CODE_ID, message)]);
                return;
            }
        };
        let confirmation = ConfirmAuthenticator { code: typed };
        let session = saver.session;
        saver.send(
            busy,
            errors,
            code_fields,
            move |token| async move { api::confirm_authenticator(&token, &confirmation).await },
            move |answer| {
                let left = i64::try_from(answer.recovery_codes.len()).unwrap_or(0);
                stage.set(Stage::RecoveryCodes(answer.recovery_codes));
                spawn_local(Saver::reload_user(session, move |user| {
                    user.authenticator_enrolled = true;
                    user.recovery_codes_left = left;
                }));
            },
        );
    };
    let secret = in_groups_of_four(&enrolment.secret);
    view! {
        <h1 class="govuk-heading-l">"Set up your authenticator app"</h1>
        <h2 class="govuk-heading-m">"1. Scan the QR code"</h2>
        <p class="govuk-body">
            "Open your authenticator app, choose to add an account, and scan this QR code with your phone's camera."
        </p>
        <div
            class="app-qr-code"
            role="img"
            aria-label="QR code for adding the Care Provider Portal to your authenticator app"
            inner_html=enrolment.qr_svg
        ></div>
        <p class="govuk-body" id="secret-hint">
            "If you cannot scan it, choose to enter a setup key in the app and type this key. If the app asks, choose a time-based code."
        </p>
        <p class="govuk-body app-secret" id="authenticator-secret">{secret}</p>
        <h2 class="govuk-heading-m">"2. Enter the code the app shows"</h2>
        <form novalidate on:submit=submit>
            <TextInput
                id=CODE_ID
                label="Code from your authenticator app"
                hint="The 6-digit code the app now shows for the Care Provider Portal."
                value=code
                errors
                inputmode="numeric"
                autocomplete="one-time-code"
                width="govuk-input--width-10"
            />
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                    "Confirm"
                </button>
                <a class="govuk-link" href="/">"Cancel"</a>
            </div>
        </form>
    }
}

fn recovery_codes_view(codes: Vec<String>) -> impl IntoView {
    let count = codes.len();
    let items = codes
        .into_iter()
        .map(|code| view! { <li>{code}</li> })
        .collect_view();
    view! {
        <div class="govuk-panel govuk-panel--confirmation">
            <h1 class="govuk-panel__title">"Authenticator app set up"</h1>
            <div class="govuk-panel__body">"Next time you sign in, enter the code from the app after your password"</div>
        </div>
        <h2 class="govuk-heading-m">"Your recovery codes"</h2>
        <p class="govuk-body">
            {format!("If you lose your phone, sign in with one of these {count} codes instead of the code from the app. Each code works once.")}
        </p>
        <div class="govuk-warning-text">
            <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
            <strong class="govuk-warning-text__text">
                <span class="govuk-visually-hidden">"Warning"</span>
                "These codes are shown only once. Keep them somewhere safe, such as your password manager or a printed copy kept in a safe place, before you continue."
            </strong>
        </div>
        <ol class="govuk-list govuk-list--number app-recovery-codes" aria-label="Recovery codes">
            {items}
        </ol>
        <a class="govuk-button" data-module="govuk-button" href="/" role="button" draggable="false">"Continue"</a>
    }
}

#[component]
fn Enrolled(user: Me, saver: Saver, errors: Errors, busy: RwSignal<bool>) -> impl IntoView {
    let current = RwSignal::new(String::new());
    let required = user.second_factor_policy == AUTHENTICATOR_POLICY;
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let removal = RemoveAuthenticator {
            current_password: current.get_untracked(),
        };
        if removal.current_password.is_empty() {
            errors.set(vec![SummaryError::at(
                CURRENT_PASSWORD_ID,
                "Enter your current password",
            )]);
            return;
        }
        let Saver {
            session,
            flash,
            navigate,
        } = saver;
        saver.send(
            busy,
            errors,
            removal_fields,
            move |token| async move { api::remove_authenticator(&token, &removal).await },
            move |()| {
                spawn_local(async move {
                    Saver::reload_user(session, |user| {
                        user.authenticator_enrolled = false;
                        user.recovery_codes_left = 0;
                    })
                    .await;
                    flash.set("Your authenticator app has been removed.");
                    navigate.with_value(|navigate| navigate("/", NavigateOptions::default()));
                });
            },
        );
    };
    let after_removal = if required {
        "Your council asks you to sign in with an authenticator app, so set it up again on your new phone straight after."
    } else {
        "After removing it, you sign in with digits of your security code until you set an app up again."
    };
    view! {
        <h1 class="govuk-heading-l">"Authenticator app"</h1>
        <p class="govuk-body">
            "Your authenticator app is set up. When you sign in, enter the code it shows after your password."
        </p>
        <p class="govuk-body" id="recovery-codes-left">{codes_left_text(user.recovery_codes_left)}</p>
        {(user.recovery_codes_left <= 2).then(|| view! {
            <div class="govuk-inset-text">
                "To get 10 new recovery codes, remove the app and set it up again."
            </div>
        })}
        <h2 class="govuk-heading-m">"Remove authenticator app"</h2>
        <p class="govuk-body">
            "Remove it if you have a new phone or have lost yours. " {after_removal}
        </p>
        <form novalidate on:submit=submit>
            <TextInput
                id=CURRENT_PASSWORD_ID
                label="Current password"
                value=current
                errors
                input_type="password"
                autocomplete="current-password"
            />
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button" disabled=move || busy.get()>
                    "Remove authenticator app"
                </button>
                <a class="govuk-link" href="/">"Cancel"</a>
            </div>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(policy: &str, enrolled: bool) -> Me {
        Me {
            id: "1".to_owned(),
            name: "Jo Bloggs".to_owned(),
            email: "jo@allypally.example".to_owned(),
            kind: "provider".to_owned(),
            organisations: Vec::new(),
            second_factor_policy: policy.to_owned(),
            authenticator_enrolled: enrolled,
            recovery_codes_left: 0,
        }
    }

    #[test]
    fn the_secret_reads_in_groups_of_four() {
        assert_eq!(
            in_groups_of_four("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"),
            "JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP"
        );
        assert_eq!(in_groups_of_four("ABCDEF"), "ABCD EF");
        assert_eq!(in_groups_of_four(""), "");
    }

    #[test]
    fn recovery_codes_left_are_counted_in_words() {
        assert_eq!(codes_left_text(10), "You have 10 recovery codes left.");
        assert_eq!(codes_left_text(1), "You have 1 recovery code left.");
        assert_eq!(codes_left_text(0), "You have no recovery codes left.");
    }

    #[test]
    fn only_an_authenticator_policy_without_an_app_asks_to_set_one_up() {
        assert!(asked_to_set_up(&user("authenticator", false)));
        assert!(!asked_to_set_up(&user("authenticator", true)));
        assert!(!asked_to_set_up(&user("user_choice", false)));
        assert!(!asked_to_set_up(&user("digits", false)));
    }

    #[test]
    fn a_code_is_six_digits_spaces_aside() {
        assert_eq!(checked_code("123 456"), Ok("123456".to_owned()));
        assert_eq!(
            checked_code(""),
            Err("Enter the code from your authenticator app")
        );
        assert_eq!(
            checked_code("12345"),
            Err("Enter the 6 digits your authenticator app shows")
        );
    }
}
