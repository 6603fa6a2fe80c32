//! Who is signed in, shared with every page through context.
//!
//! The access token is kept in `sessionStorage` for this first slice so that reloading a
//! page keeps the user signed in while closing the tab signs them out. A later issue moves
//! it to an HttpOnly refresh cookie plus an in-memory access token, so that script injected
//! into the page could not read a long-lived credential.

use leptos::prelude::*;
use portal_dto::{Me, SessionToken};

const STORAGE_KEY: &str = "portal.session";

#[derive(Debug, Clone, Copy)]
pub struct Session {
    token: RwSignal<Option<SessionToken>>,
}

impl Session {
    /// Restores the session a reload left behind, if any.
    pub fn restore() -> Session {
        let stored = storage()
            .and_then(|storage| storage.get_item(STORAGE_KEY).ok().flatten())
            .and_then(|json| serde_json::from_str::<SessionToken>(&json).ok());
        Session {
            token: RwSignal::new(stored),
        }
    }

    pub fn sign_in(&self, token: SessionToken) {
        if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&token)) {
            // A full or disabled storage only costs the user a sign-in after a reload.
            let _ = storage.set_item(STORAGE_KEY, &json);
        }
        self.token.set(Some(token));
    }

    pub fn sign_out(&self) {
        if let Some(storage) = storage() {
            let _ = storage.remove_item(STORAGE_KEY);
        }
        self.token.set(None);
    }

    pub fn is_signed_in(&self) -> bool {
        self.token.with(Option::is_some)
    }

    /// The bearer token, read without tracking: requests are made from event handlers and
    /// resources that re-run for their own inputs, not because the token object changed.
    pub fn access_token(&self) -> Option<String> {
        self.token
            .with_untracked(|token| token.as_ref().map(|token| token.access_token.clone()))
    }

    /// Council staff see the council's pages; everyone else is a provider contact.
    pub fn is_council(&self) -> bool {
        self.token.with(|token| {
            token
                .as_ref()
                .is_some_and(|token| token.user.kind == "council")
        })
    }

    pub fn user(&self) -> Option<Me> {
        self.token
            .with(|token| token.as_ref().map(|token| token.user.clone()))
    }
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

pub fn provide_session() -> Session {
    let session = Session::restore();
    provide_context(session);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
