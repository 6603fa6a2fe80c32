//! A line's exceptions: the warning triangle and every message, in the DOM and at most one
//! click from view.

use leptos::prelude::*;
use portal_domain::service_level::Unit;
use portal_domain::ExceptionKind;
use portal_dto::{ActualLine, LineExceptionView};

use crate::format::{date_text, quantity_text};

/// What a line of the grid needs to ask for a variation beyond it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VariationContext {
    pub client_id: String,
    /// "Mr Sid Waddell".
    pub client_name: String,
    pub service_name: String,
    /// The week's Monday, ISO.
    pub week: String,
}

/// The New Action form's address, pre-filled to ask the council for a variation (a "CPLI
/// Amendment") about a line whose actual exceeds its plan; `None` for any other line.
pub fn variation_href(line: &ActualLine, context: &VariationContext) -> Option<String> {
    let exceeded = line
        .exceptions
        .iter()
        .find(|exception| exception.kind == ExceptionKind::PlanExceeded.code())?;
    let level = &line.service_level.name;
    let unit = Unit::from_code(&line.service_level.unit)
        .map(Unit::singular)
        .unwrap_or_default();
    let week = date_text(&context.week);
    let title = format!(
        "Request a variation: {} {level} week beginning {week}",
        context.client_name
    );
    let text = format!(
        "Re: Care Package Line Item for {}. {level} ({unit}) from {}, week beginning {week}: planned {}, actual {}. {}",
        context.client_name,
        context.service_name,
        quantity_text(&line.planned),
        quantity_text(&line.actual),
        exceeded.message
    );
    Some(format!(
        "/actions/new{}",
        crate::api::query_string(&[
            ("type", "CPLI Amendment"),
            ("related_kind", "client"),
            ("related_id", &context.client_id),
            ("title", &title),
            ("text", &text),
        ])
    ))
}

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
/// `variation` is the address of a pre-filled "Request a variation" action, shown under the
/// messages (see [`variation_href`]).
#[component]
pub fn ExceptionsCell(
    exceptions: Vec<LineExceptionView>,
    expanded: bool,
    #[prop(default = None)] variation: Option<(String, String)>,
) -> impl IntoView {
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
                {variation.map(|(href, level)| view! {
                    <a class="govuk-link govuk-body-s" href=href>
                        "Request a variation"
                        <span class="govuk-visually-hidden">{format!(" for {level}")}</span>
                    </a>
                })}
            </div>
        </div>
    }
    .into_any()
}
