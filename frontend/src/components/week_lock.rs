//! Council staff lock a service's week with a reason, or unlock it (DOMAIN 4.7). Providers
//! then see the reason and can change nothing in the week.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_dto::WeekLockInfo;

use crate::api;
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::format::date_text;
use crate::session::use_session;

const REASON_ID: &str = "lock-reason";

#[component]
pub fn WeekLockPanel(
    #[prop(into)] service_id: Signal<Option<String>>,
    /// The week's Monday, `YYYY-MM-DD`.
    #[prop(into)]
    week: Signal<Option<String>>,
    #[prop(into)] locked: Signal<Option<WeekLockInfo>>,
    /// Called after a lock or unlock, for the page to read the week again.
    on_changed: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let reason_error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let done = RwSignal::new(String::new());

    let act = move |locking: bool| {
        let (Some(service_id), Some(week), Some(token)) = (
            service_id.get_untracked(),
            week.get_untracked(),
            session.access_token(),
        ) else {
            return;
        };
        let text = reason.get_untracked().trim().to_owned();
        if locking && text.is_empty() {
            let message = "Enter why the week is locked; providers will see it";
            reason_error.set(Some(message.to_owned()));
            errors.set(vec![SummaryError::at(REASON_ID, message)]);
            return;
        }
        reason_error.set(None);
        errors.set(Vec::new());
        busy.set(true);
        spawn_local(async move {
            let outcome = if locking {
                api::lock_week(&token, &service_id, &week, &text).await
            } else {
                api::unlock_week(&token, &service_id, &week).await
            };
            busy.set(false);
            match outcome {
                Ok(_) => {
                    let label = date_text(&week);
                    done.set(if locking {
                        format!("The week beginning {label} is locked.")
                    } else {
                        format!("The week beginning {label} is unlocked.")
                    });
                    reason.set(String::new());
                    on_changed.run(());
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(vec![SummaryError::general(problem.detail)]),
            }
        });
    };

    view! {
        <Show when=move || session.is_council()>
            <section class="app-week-lock" aria-labelledby="week-lock-heading">
                <h2 class="govuk-heading-m" id="week-lock-heading">"Lock this week"</h2>
                <p class="govuk-body" role="status">{move || done.get()}</p>
                <ErrorSummary errors=errors title="The week's lock did not change" />
                {move || match locked.get() {
                    Some(lock) => view! {
                        <p class="govuk-body">
                            {if lock.locked_at.is_empty() {
                                format!("Locked: {}", lock.reason)
                            } else {
                                format!("Locked since {}: {}.", date_text(lock.locked_at.get(..10).unwrap_or(&lock.locked_at)), lock.reason)
                            }}
                        </p>
                        <button
                            type="button"
                            class="govuk-button govuk-button--secondary"
                            disabled=move || busy.get()
                            on:click=move |_| act(false)
                        >
                            "Unlock this week"
                        </button>
                    }
                    .into_any(),
                    None => view! {
                        <div class="govuk-form-group" class:govuk-form-group--error=move || reason_error.with(Option::is_some)>
                            <label class="govuk-label" for=REASON_ID>"Why is the week locked?"</label>
                            <div class="govuk-hint" id="lock-reason-hint">
                                "Providers see this and can change nothing in the week until it is unlocked."
                            </div>
                            {move || reason_error.get().map(|message| view! {
                                <p class="govuk-error-message" id="lock-reason-error">
                                    <span class="govuk-visually-hidden">"Error: "</span>
                                    {message}
                                </p>
                            })}
                            <input
                                class="govuk-input govuk-!-width-two-thirds"
                                class:govuk-input--error=move || reason_error.with(Option::is_some)
                                id=REASON_ID
                                type="text"
                                aria-describedby=move || if reason_error.with(Option::is_some) { "lock-reason-hint lock-reason-error" } else { "lock-reason-hint" }
                                prop:value=move || reason.get()
                                on:input=move |event| reason.set(event_target_value(&event))
                            />
                        </div>
                        <button
                            type="button"
                            class="govuk-button govuk-button--warning"
                            disabled=move || busy.get()
                            on:click=move |_| act(true)
                        >
                            "Lock this week"
                        </button>
                    }
                    .into_any(),
                }}
            </section>
        </Show>
    }
}
