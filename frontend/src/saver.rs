//! What a form's event handlers need from the page: the session, the flash message for the
//! next page, and the router's navigation. They are found in context while the page is
//! built, since event handlers run outside it, and kept in one `Copy` handle.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::flash::{use_flash, Flash};
use crate::session::{use_session, Session};

/// The router's navigation, kept where a `Copy` handle reaches it.
pub type Navigate = Box<dyn Fn(&str, NavigateOptions)>;

#[derive(Clone, Copy)]
pub struct Saver {
    pub session: Session,
    pub flash: Flash,
    pub navigate: StoredValue<Navigate, LocalStorage>,
}

impl Default for Saver {
    fn default() -> Saver {
        Saver::new()
    }
}

impl Saver {
    /// Call while the page is built, not from an event handler.
    pub fn new() -> Saver {
        let navigate = use_navigate();
        let navigate: Navigate =
            Box::new(move |path: &str, options: NavigateOptions| navigate(path, options));
        Saver {
            session: use_session(),
            flash: use_flash(),
            navigate: StoredValue::new_local(navigate),
        }
    }

    /// Moves to another page of the app.
    pub fn go(&self, path: &str) {
        self.navigate
            .with_value(|navigate| navigate(path, NavigateOptions::default()));
    }
}
