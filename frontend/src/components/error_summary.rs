//! GOV.UK error summary: takes focus when it appears, and links to each bad field.

use leptos::html;
use leptos::prelude::*;

/// One line of the summary: the message, and the id of the field it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SummaryError {
    pub field_id: Option<String>,
    pub message: String,
}

impl SummaryError {
    pub fn at(field_id: impl Into<String>, message: impl Into<String>) -> SummaryError {
        SummaryError {
            field_id: Some(field_id.into()),
            message: message.into(),
        }
    }

    pub fn general(message: impl Into<String>) -> SummaryError {
        SummaryError {
            field_id: None,
            message: message.into(),
        }
    }
}

/// Moves focus to a field as GOV.UK Frontend's own script does, so the link works the same
/// with or without the router intercepting in-page anchors.
pub fn focus_field(field_id: &str) {
    let Some(element) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(field_id))
    else {
        return;
    };
    let options = web_sys::ScrollIntoViewOptions::new();
    element.scroll_into_view_with_scroll_into_view_options(&options);
    if let Ok(element) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(element) {
        let _ = element.focus();
    }
}

/// Shows nothing while `errors` is empty. Every change of `errors` to a non-empty list moves
/// focus to the summary, so a screen-reader user hears it after each failed submit.
#[component]
pub fn ErrorSummary(
    #[prop(into)] errors: Signal<Vec<SummaryError>>,
    #[prop(default = "There is a problem")] title: &'static str,
) -> impl IntoView {
    let summary = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        let shown = errors.with(|errors| !errors.is_empty());
        if let (true, Some(summary)) = (shown, summary.get()) {
            let _ = summary.focus();
        }
    });
    view! {
        <Show when=move || errors.with(|errors| !errors.is_empty())>
            <div class="govuk-error-summary" data-module="govuk-error-summary" tabindex="-1" node_ref=summary>
                <div role="alert">
                    <h2 class="govuk-error-summary__title">{title}</h2>
                    <div class="govuk-error-summary__body">
                        <ul class="govuk-list govuk-error-summary__list">
                            <For
                                each=move || errors.get()
                                key=|error| (error.field_id.clone(), error.message.clone())
                                let(error)
                            >
                                <li>{summary_item(error)}</li>
                            </For>
                        </ul>
                    </div>
                </div>
            </div>
        </Show>
    }
}

fn summary_item(error: SummaryError) -> AnyView {
    match error.field_id {
        Some(field_id) => {
            let href = format!("#{field_id}");
            let on_click = move |event: leptos::ev::MouseEvent| {
                event.prevent_default();
                focus_field(&field_id);
            };
            view! { <a href=href on:click=on_click>{error.message}</a> }.into_any()
        }
        None => view! { <span>{error.message}</span> }.into_any(),
    }
}
