//! The document's title, which names the page first (WCAG 2.4.2).

pub fn set_page_title(page: &str) {
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        document.set_title(&format!("{page} - Care Provider Portal"));
    }
}
