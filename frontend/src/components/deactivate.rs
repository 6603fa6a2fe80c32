//! The council's "Deactivate" button for a record of reference data (an organisation,
//! contract, service, service level or client). It asks first, on the same page: a record
//! is never deleted, it stops being offered and keeps its history (DOMAIN 3).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api;
use crate::session::use_session;

/// What a record is, for the API path and for the words on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retirable {
    Organisation,
    Contract,
    Service,
    ServiceLevel,
    Client,
}

impl Retirable {
    /// The path segment of `POST /api/v1/{kind}/{id}/deactivate`.
    pub fn api_kind(self) -> &'static str {
        match self {
            Retirable::Organisation => "organisations",
            Retirable::Contract => "contracts",
            Retirable::Service => "services",
            Retirable::ServiceLevel => "service-levels",
            Retirable::Client => "clients",
        }
    }

    /// "Organisation", as a message starts.
    pub fn noun(self) -> &'static str {
        match self {
            Retirable::Organisation => "Organisation",
            Retirable::Contract => "Contract",
            Retirable::Service => "Service",
            Retirable::ServiceLevel => "Service level",
            Retirable::Client => "Client",
        }
    }

    /// The success message: "Contract Ally Pally Care deactivated".
    pub fn deactivated_message(self, name: &str) -> String {
        format!("{} {name} deactivated", self.noun())
    }

    /// What a stale version (409) says.
    pub fn conflict_message(self) -> String {
        format!(
            "Someone changed this {} first. Reload to see their changes.",
            self.noun().to_lowercase()
        )
    }
}

/// The button, then the warning with "Yes, deactivate" and "Cancel". `done` receives the
/// success message.
#[component]
pub fn Deactivate(
    kind: Retirable,
    id: String,
    name: String,
    version: i64,
    done: Callback<String>,
) -> impl IntoView {
    let session = use_session();
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);
    let record = StoredValue::new((id, name));
    let confirm = move |_: leptos::ev::MouseEvent| {
        if busy.get_untracked() {
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let (id, name) = record.get_value();
        busy.set(true);
        spawn_local(async move {
            let outcome = api::deactivate(&token, kind.api_kind(), &id, version).await;
            busy.set(false);
            match outcome {
                Ok(_) => {
                    confirming.set(false);
                    problem.set(None);
                    done.run(kind.deactivated_message(&name));
                }
                Err(refused) if refused.status == 401 => session.sign_out(),
                Err(refused) if refused.status == 409 => problem.set(Some(kind.conflict_message())),
                Err(refused) => problem.set(Some(refused.detail)),
            }
        });
    };
    let name = move || record.with_value(|(_, name)| name.clone());
    move || {
        if confirming.get() {
            view! {
                <div class="govuk-warning-text" role="alert">
                    <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                    <strong class="govuk-warning-text__text">
                        <span class="govuk-visually-hidden">"Warning"</span>
                        {format!("Deactivate {}? It will no longer be offered; its history stays.", name())}
                    </strong>
                </div>
                {move || problem.get().map(|text| view! { <p class="govuk-error-message">{text}</p> })}
                <div class="govuk-button-group">
                    <button type="button" class="govuk-button govuk-button--warning" data-module="govuk-button"
                        disabled=move || busy.get() on:click=confirm>
                        "Yes, deactivate"
                        <span class="govuk-visually-hidden">{format!(" {}", name())}</span>
                    </button>
                    <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button"
                        on:click=move |_| confirming.set(false)>
                        "Cancel"
                    </button>
                </div>
            }
            .into_any()
        } else {
            view! {
                <button type="button" class="govuk-button govuk-button--warning" data-module="govuk-button"
                    on:click=move |_| confirming.set(true)>
                    "Deactivate"
                    <span class="govuk-visually-hidden">{format!(" {}", name())}</span>
                </button>
            }
            .into_any()
        }
    }
}

/// The foot of an edit page: retire the record rather than change it.
pub fn deactivate_section(
    kind: Retirable,
    id: String,
    name: String,
    version: i64,
    done: Callback<String>,
) -> impl IntoView {
    let noun = kind.noun().to_lowercase();
    view! {
        <h2 class="govuk-heading-m govuk-!-margin-top-8">{format!("Deactivate this {noun}")}</h2>
        <p class="govuk-body">
            {format!("A deactivated {noun} is no longer offered for new care. Nothing is deleted: past care, actuals and payments keep it.")}
        </p>
        <Deactivate kind id name version done />
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_kind_of_record() {
        assert_eq!(
            Retirable::ServiceLevel.deactivated_message("Homecare - Single-handed"),
            "Service level Homecare - Single-handed deactivated"
        );
        assert_eq!(
            Retirable::Contract.conflict_message(),
            "Someone changed this contract first. Reload to see their changes."
        );
        assert_eq!(Retirable::ServiceLevel.api_kind(), "service-levels");
    }
}
