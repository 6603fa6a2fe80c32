//! Who is signed in, shared with every page through context.
//!
//! The access token lives in memory only: script injected into the page finds nothing in
//! storage. The refresh token is in an HttpOnly cookie the SPA cannot read; the browser
//! sends it to `/api/v1/auth/refresh`, which answers with a fresh access token. So:
//! - a reload (or a new tab) restores the session from the cookie before any page shows;
//! - while the user is active, the access token is renewed shortly before it expires;
//! - after 15 minutes without a key press or a click the session ends here and on the
//!   server alike (OWASP ASVS 3.3.2, level 3), and the login page says why.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_dto::{Me, OrganisationMembership, SessionToken};

use crate::api;

/// The server forgets an unused refresh token after this long (`auth/sessions.rs`).
pub const IDLE_LIMIT_MS: i64 = 15 * 60 * 1000;
/// How early before its expiry the access token is renewed.
const RENEW_EARLY_MS: i64 = 90 * 1000;
/// How often the session checks whether to renew or end.
const TICK: Duration = Duration::from_secs(20);

/// Why the last session ended, for the login page to say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    SignedOut,
    Idle,
    Expired,
}

impl Ended {
    /// What the login page says, if anything.
    pub fn message(self) -> Option<&'static str> {
        match self {
            Ended::SignedOut => None,
            Ended::Idle => Some(
                "You were signed out because you had not used the portal for 15 minutes. Sign in again to continue.",
            ),
            Ended::Expired => Some("Your session has ended. Sign in again to continue."),
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Session {
    token: RwSignal<Option<SessionToken>>,
    /// True until the cookie has been tried after a (re)load.
    restoring: RwSignal<bool>,
    /// When the token in hand was issued, and when the user last pressed or clicked
    /// (milliseconds since the epoch).
    issued_at: StoredValue<i64>,
    last_activity: StoredValue<i64>,
    ended: RwSignal<Option<Ended>>,
    /// The organisation a contact who acts for several is working for now (its id); the
    /// header's switcher sets it, and provider pages show that organisation's records.
    acting_for: RwSignal<Option<String>>,
}

/// Where the chosen organisation survives a reload, for this tab only.
const ACTING_FOR_KEY: &str = "portal.acting_for";

fn tab_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// Milliseconds since the epoch, whole: the browser's clock, as integers (floats are kept
/// out of this codebase).
fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

impl Session {
    fn new() -> Session {
        Session {
            token: RwSignal::new(None),
            restoring: RwSignal::new(true),
            issued_at: StoredValue::new(0),
            last_activity: StoredValue::new(now_ms()),
            ended: RwSignal::new(None),
            acting_for: RwSignal::new(
                tab_storage().and_then(|storage| storage.get_item(ACTING_FOR_KEY).ok().flatten()),
            ),
        }
    }

    pub fn sign_in(&self, token: SessionToken) {
        self.issued_at.set_value(now_ms());
        self.last_activity.set_value(now_ms());
        self.ended.set(None);
        self.token.set(Some(token));
        self.restoring.set(false);
    }

    /// Ends the session here and on the server.
    pub fn sign_out(&self) {
        self.end(Ended::SignedOut);
    }

    fn end(&self, why: Ended) {
        let had_session = self.token.with_untracked(Option::is_some);
        self.token.set(None);
        self.restoring.set(false);
        if had_session {
            self.ended.set(Some(why));
            // The server revokes the refresh cookie's session; a failure changes nothing here.
            spawn_local(async {
                let _ = api::logout().await;
            });
        }
    }

    /// Why the last session ended, once.
    pub fn take_ended(&self) -> Option<Ended> {
        let ended = self.ended.get_untracked();
        if ended.is_some() {
            self.ended.set(None);
        }
        ended
    }

    pub fn is_signed_in(&self) -> bool {
        self.token.with(Option::is_some)
    }

    /// Still finding out whether the browser holds a session (just after a reload).
    pub fn is_restoring(&self) -> bool {
        self.restoring.get()
    }

    /// The bearer token, read without tracking: requests are made from event handlers and
    /// resources that re-run for their own inputs, not because the token was renewed.
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

    /// After the user's own details changed (say, an authenticator was set up): the session
    /// shows them without signing in again.
    pub fn replace_user(&self, user: Me) {
        self.token.update(|token| {
            if let Some(token) = token.as_mut() {
                token.user = user;
            }
        });
    }

    /// The organisation a provider contact is working for: the one chosen in the header's
    /// switcher, else their first. `None` for council staff.
    pub fn acting_for(&self) -> Option<OrganisationMembership> {
        let chosen = self.acting_for.get();
        self.token.with(|token| {
            let organisations = &token.as_ref()?.user.organisations;
            organisations
                .iter()
                .find(|organisation| Some(&organisation.id) == chosen.as_ref())
                .or_else(|| organisations.first())
                .cloned()
        })
    }

    /// Whether a record of this organisation belongs on the pages now: always for council
    /// staff, and for a contact, when it is the organisation they are working for.
    pub fn shows_organisation(&self, organisation_id: &str) -> bool {
        self.is_council()
            || self
                .acting_for()
                .is_none_or(|organisation| organisation.id == organisation_id)
    }

    /// Switches the organisation a contact works for.
    pub fn act_for(&self, organisation_id: &str) {
        if let Some(storage) = tab_storage() {
            let _ = storage.set_item(ACTING_FOR_KEY, organisation_id);
        }
        self.acting_for.set(Some(organisation_id.to_owned()));
    }

    /// Exchanges the refresh cookie for a new access token; without a live session, the
    /// user is signed out (`why` says how to explain it).
    fn renew(&self, why: Ended) {
        let session = *self;
        spawn_local(async move {
            match api::refresh().await {
                Ok(token) => {
                    let activity = session.last_activity.get_value();
                    session.sign_in(token);
                    session.last_activity.set_value(activity);
                }
                Err(_) => session.end(why),
            }
        });
    }

    /// Every tick: end an idle session, or renew a token about to expire.
    fn tick(&self) {
        let Some(lifetime_ms) = self.token.with_untracked(|token| {
            token.as_ref().map(|token| {
                i64::try_from(token.expires_in)
                    .unwrap_or(0)
                    .saturating_mul(1000)
            })
        }) else {
            return;
        };
        let now = now_ms();
        if now - self.last_activity.get_value() >= IDLE_LIMIT_MS {
            self.end(Ended::Idle);
        } else if now >= self.issued_at.get_value() + lifetime_ms - RENEW_EARLY_MS {
            self.renew(Ended::Expired);
        }
    }
}

/// Makes the session, restores it from the refresh cookie, and keeps it alive while used.
pub fn provide_session() -> Session {
    let session = Session::new();
    provide_context(session);
    spawn_local(async move {
        match api::refresh().await {
            Ok(token) => session.sign_in(token),
            Err(_) => session.restoring.set(false),
        }
    });
    let active = move || session.last_activity.set_value(now_ms());
    let on_key = window_event_listener(leptos::ev::keydown, move |_| active());
    let on_pointer = window_event_listener(leptos::ev::pointerdown, move |_| active());
    // The listeners and the timer last as long as the app.
    std::mem::forget((on_key, on_pointer));
    set_interval(move || session.tick(), TICK);
    session
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_unexpected_end_is_explained() {
        assert_eq!(Ended::SignedOut.message(), None);
        assert!(Ended::Idle.message().unwrap().contains("15 minutes"));
        assert!(Ended::Expired.message().is_some());
    }
}
