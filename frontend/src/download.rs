//! Offering a file the API answered with (a CSV export, a PDF, a claim's evidence) to the
//! browser as a download. The file is fetched with the session's bearer token, so a plain
//! link cannot serve it; a Blob's object URL can.

use leptos::prelude::set_timeout;
use wasm_bindgen::JsCast;

/// Offers `bytes` as a downloaded file called `name`, of `content_type`.
pub fn save_bytes(name: &str, content_type: &str, bytes: &[u8]) -> Result<(), String> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(content_type);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options)
        .map_err(|_| "The file could not be made".to_owned())?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "The file could not be made".to_owned())?;
    let anchor = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.create_element("a").ok())
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or_else(|| "The file could not be offered".to_owned())?;
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // Revoked a moment later, not at once: some browsers read the address after the click.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(10),
    );
    Ok(())
}

/// Offers CSV text as a downloaded file called `name`.
pub fn save_csv(name: &str, text: &str) -> Result<(), String> {
    save_bytes(name, "text/csv;charset=utf-8", text.as_bytes())
}
