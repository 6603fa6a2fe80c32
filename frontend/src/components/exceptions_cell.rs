//! A line's exceptions: the warning triangle and every message, in the DOM and at most one
//! click from view.

use leptos::prelude::*;
use portal_dto::LineExceptionView;

fn effect_text(effect: &str) -> &'static str {
    match effect {
        "suspend" => " (payment suspended)",
        _ => "",
    }
}

fn messages(exceptions: &[LineExceptionView]) -> impl IntoView {
    let items = exceptions
        .iter()
        .map(|exception| {
            view! {
                <li>
                    <strong>{exception.title.clone()}</strong>
                    {effect_text(&exception.effect)}
                    ": "
                    {exception.message.clone()}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="govuk-list app-exceptions__list">{items}</ul> }
}

/// `expanded` shows the messages at once (while a line is edited, so the user sees the
/// effect of each keystroke); otherwise they sit in a `<details>` to keep the grid compact.
#[component]
pub fn ExceptionsCell(exceptions: Vec<LineExceptionView>, expanded: bool) -> impl IntoView {
    if exceptions.is_empty() {
        return view! { <span class="app-no-exceptions">"None"</span> }.into_any();
    }
    let body = if expanded {
        view! {
            <p class="govuk-body-s govuk-!-margin-bottom-1">"This Actual has one or more exceptions"</p>
            {messages(&exceptions)}
        }
            .into_any()
    } else {
        view! {
            <details class="govuk-details app-exceptions__details">
                <summary class="govuk-details__summary">
                    <span class="govuk-details__summary-text">"This Actual has one or more exceptions"</span>
                </summary>
                <div class="govuk-details__text">{messages(&exceptions)}</div>
            </details>
        }
            .into_any()
    };
    view! {
        <div class="govuk-warning-text app-exceptions">
            <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
            <div class="govuk-warning-text__text app-exceptions__text">
                <span class="govuk-visually-hidden">"Warning: "</span>
                {body}
            </div>
        </div>
    }
    .into_any()
}
