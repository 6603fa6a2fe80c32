//! The council's organisations as a select's options, for the council forms that attach
//! something (an account, a tool's credentials) to one of them.

use leptos::prelude::*;

use crate::api::{self, with_token};
use crate::components::form::{ungrouped, Options};
use crate::components::problem::sign_out_when_refused;
use crate::session::use_session;

/// Loads the organisations once for the page; empty until they arrive.
pub fn organisation_options() -> Signal<Vec<(String, Options)>> {
    let session = use_session();
    let organisations = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::organisations(&token).await },
        )
    });
    sign_out_when_refused(session, organisations);
    Signal::derive(move || {
        ungrouped(
            organisations
                .get()
                .and_then(Result::ok)
                .map(|page| {
                    page.items
                        .into_iter()
                        .map(|organisation| (organisation.id, organisation.name))
                        .collect()
                })
                .unwrap_or_default(),
        )
    })
}
