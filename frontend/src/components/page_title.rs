//! The document's title, which names the page first (WCAG 2.4.2).

pub fn set_page_title(page: &str) {
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        document.set_title(&format!("{page} - Care Provider Portal"));
    }
}

/// Keeps the title on `page`, prefixed "Error: " while the form's summary lists errors
/// (GOV.UK's pattern, so a screen reader hears it first).
pub fn title_with_errors(
    page: impl Fn() -> String + 'static,
    errors: leptos::prelude::RwSignal<Vec<crate::components::error_summary::SummaryError>>,
) {
    use leptos::prelude::*;
    Effect::new(move |_| {
        let page = page();
        if errors.with(|errors| errors.is_empty()) {
            set_page_title(&page);
        } else {
            set_page_title(&format!("Error: {page}"));
        }
    });
}
