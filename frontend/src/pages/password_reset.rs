//! "Forgot your password?" (seed 000, Forgotten password): ask for a reset link by e-mail,
//! then choose a new password from the link. The demo, which sends no mail, shows its
//! outbox at `/outbox` instead.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_query_map;
use portal_dto::{ForgotPassword, ResetPassword};

use crate::api;
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::TextInput;
use crate::components::page_title::{set_page_title, title_with_errors};
use crate::components::problem::ProblemText;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(|| "Reset your password".to_owned(), errors);
    let busy = RwSignal::new(false);
    let email = RwSignal::new(String::new());
    let sent = RwSignal::new(None::<String>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let request = ForgotPassword {
            email: email.get_untracked().trim().to_owned(),
        };
        if request.email.is_empty() {
            errors.set(vec![SummaryError::at("email", "Enter your email address")]);
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let outcome = api::forgot_password(&request).await;
            busy.set(false);
            match outcome {
                Ok(notice) => {
                    errors.set(Vec::new());
                    sent.set(Some(notice.message));
                }
                Err(problem) => errors.set(vec![SummaryError::at("email", problem.detail)]),
            }
        });
    };
    let content = move || {
        match sent.get() {
        Some(message) => view! {
            <h1 class="govuk-heading-l">"Check your email"</h1>
            <p class="govuk-body" role="status">{message}</p>
            <p class="govuk-body"><a class="govuk-link" href="/login">"Back to log in"</a></p>
        }
        .into_any(),
        None => view! {
            <ErrorSummary errors=errors />
            <h1 class="govuk-heading-l">"Reset your password"</h1>
            <p class="govuk-body">"We will email you a link to choose a new password. It works once, for 30 minutes."</p>
            <form novalidate on:submit=submit>
                <TextInput id="email" label="Email address" value=email errors input_type="email" autocomplete="username" />
                <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                    "Send reset link"
                </button>
            </form>
        }
        .into_any(),
    }
    };
    view! {
        <a class="govuk-back-link" href="/login">"Back to log in"</a>
        <div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">{content}</div></div>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(|| "Choose a new password".to_owned(), errors);
    let query = use_query_map();
    let token = Memo::new(move |_| query.with(|query| query.get("token").unwrap_or_default()));
    let busy = RwSignal::new(false);
    let done = RwSignal::new(false);
    let password = RwSignal::new(String::new());
    let confirmation = RwSignal::new(String::new());
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed = password.get_untracked();
        if typed.is_empty() {
            errors.set(vec![SummaryError::at(
                "new-password",
                "Enter a new password",
            )]);
            return;
        }
        if typed != confirmation.get_untracked() {
            errors.set(vec![SummaryError::at(
                "confirm-new-password",
                "The two passwords do not match",
            )]);
            return;
        }
        let request = ResetPassword {
            token: token.get_untracked(),
            new_password: typed,
        };
        busy.set(true);
        spawn_local(async move {
            let outcome = api::reset_password(&request).await;
            busy.set(false);
            match outcome {
                Ok(()) => {
                    errors.set(Vec::new());
                    done.set(true);
                }
                Err(problem) => errors.set(
                    problem
                        .errors
                        .iter()
                        .map(|error| {
                            if error.field == "token" {
                                SummaryError::general(error.message.clone())
                            } else {
                                SummaryError::at("new-password", error.message.clone())
                            }
                        })
                        .collect(),
                ),
            }
        });
    };
    let content = move || {
        if done.get() {
            view! {
                <div class="govuk-panel govuk-panel--confirmation">
                    <h1 class="govuk-panel__title">"Password changed"</h1>
                </div>
                <p class="govuk-body">"You have been signed out everywhere. Log in with your new password and your security code."</p>
                <p class="govuk-body"><a class="govuk-link" href="/login">"Log in"</a></p>
            }
            .into_any()
        } else {
            view! {
                <ErrorSummary errors=errors />
                <h1 class="govuk-heading-l">"Choose a new password"</h1>
                <form novalidate on:submit=submit>
                    <TextInput id="new-password" label="New password" value=password errors
                        input_type="password" autocomplete="new-password"
                        hint="At least 12 characters, with no other rules. Three or more random words make a strong password. You can paste it from a password manager." />
                    <TextInput id="confirm-new-password" label="Confirm new password" value=confirmation errors
                        input_type="password" autocomplete="new-password" />
                    <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                        "Change password"
                    </button>
                </form>
                <p class="govuk-body"><a class="govuk-link" href="/forgot-password">"Ask for a new link"</a></p>
            }
            .into_any()
        }
    };
    view! { <div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">{content}</div></div> }
}

/// The demo's outbox: mail the portal would have sent, since the demo has no SMTP server.
#[component]
pub fn OutboxPage() -> impl IntoView {
    set_page_title("Demo outbox");
    let mails = LocalResource::new(api::demo_outbox);
    let content = move || {
        match mails.get() {
        None => view! { <p class="govuk-body" role="status">"Loading the outbox…"</p> }.into_any(),
        Some(Err(problem)) if problem.status == 404 => view! {
            <p class="govuk-body">"This portal sends its mail by email, so it has no outbox to show."</p>
        }
        .into_any(),
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(page)) if page.items.is_empty() => {
            view! { <p class="govuk-body">"No mail yet."</p> }.into_any()
        }
        Some(Ok(page)) => page
            .items
            .into_iter()
            .map(|mail| {
                let heading_id = format!("mail-{}", mail.id);
                let labelled_by = heading_id.clone();
                view! {
                    <section class="app-mail" aria-labelledby=labelled_by>
                        <h2 class="govuk-heading-m" id=heading_id>{mail.subject}</h2>
                        <p class="govuk-body-s">{format!("To {}", mail.to)}</p>
                        <pre class="govuk-body app-mail__body">{mail.body}</pre>
                    </section>
                }
            })
            .collect_view()
            .into_any(),
    }
    };
    view! {
        <h1 class="govuk-heading-l">"Demo outbox"</h1>
        <p class="govuk-body">"The demo sends no email. Mail it would have sent is shown here, newest first; copy a link into the address bar to follow it."</p>
        {content}
    }
}
