//! A success message carried to the page a form moves to ("Care package line item 12
//! created"), shown there once in a notification banner.

use leptos::prelude::*;

#[derive(Debug, Clone, Copy)]
pub struct Flash {
    message: RwSignal<Option<String>>,
}

impl Flash {
    /// Keeps the message for the next page that takes it.
    pub fn set(&self, message: impl Into<String>) {
        self.message.set(Some(message.into()));
    }

    /// The waiting message, once: a reload or a later visit does not show it again.
    pub fn take(&self) -> Option<String> {
        let message = self.message.get_untracked();
        if message.is_some() {
            self.message.set(None);
        }
        message
    }
}

pub fn provide_flash() {
    provide_context(Flash {
        message: RwSignal::new(None),
    });
}

pub fn use_flash() -> Flash {
    expect_context::<Flash>()
}
