//! One care package line item: its fields, and its versions (DOMAIN 3: a change to a care
//! package makes a new version). The API has no single-CPLI call yet, so the page reads the
//! whole list, historical and unauthorised included, and picks the id the URL names.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use portal_dto::CpliSummary;

use crate::api::{self, CpliFilters};
use crate::components::cpli_table::yes_no;
use crate::components::page_title::set_page_title;
use crate::components::problem::{signed_out, ProblemText};
use crate::format::date_text;
use crate::session::use_session;

/// The summary list's rows: (key, value).
fn summary_rows(cpli: &CpliSummary) -> Vec<(&'static str, String)> {
    vec![
        ("CPLI ID", cpli.id.clone()),
        ("Client", format!("{} ({})", cpli.client_name, cpli.ssref)),
        ("Service", cpli.service_name.clone()),
        ("Service level", cpli.service_level_name.clone()),
        ("Start date", date_text(&cpli.start)),
        (
            "End date",
            cpli.end
                .as_deref()
                .map(date_text)
                .unwrap_or_else(|| "No end date".to_owned()),
        ),
        ("Cost", cpli.cost_label.clone()),
        ("Pricing", cpli.pricing.clone()),
        ("Authorised", yes_no(cpli.authorised).to_owned()),
        (
            "Status",
            if cpli.current {
                "Current".to_owned()
            } else {
                "Historical: the end date has passed".to_owned()
            },
        ),
    ]
}

#[component]
pub fn CpliPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    Effect::new(move |_| set_page_title(&format!("Care package line item {}", id.get())));

    let everything = LocalResource::new(move || {
        let token = session.access_token();
        async move {
            match token {
                Some(token) => api::cplis(&token, &CpliFilters::everything()).await,
                None => Err(signed_out()),
            }
        }
    });
    Effect::new(move |_| {
        if everything
            .get()
            .is_some_and(|result| result.is_err_and(|problem| problem.status == 401))
        {
            session.sign_out();
        }
    });

    let content = move || match everything.get() {
        None => {
            view! { <p class="govuk-body" role="status">"Loading the care package line item…"</p> }
                .into_any()
        }
        Some(Err(problem)) => view! {
            <h1 class="govuk-heading-l">"Care package line item"</h1>
            <ProblemText problem />
        }
        .into_any(),
        Some(Ok(page)) => {
            let id = id.get();
            match page.items.into_iter().find(|cpli| cpli.id == id) {
                Some(cpli) => view! { <CpliDetails cpli /> }.into_any(),
                None => view! {
                    <h1 class="govuk-heading-l">"Care package line item not found"</h1>
                    <p class="govuk-body">
                        {format!("We could not find care package line item {id} among yours.")}
                    </p>
                }
                .into_any(),
            }
        }
    };

    view! {
        <a class="govuk-back-link" href="/cplis">"Back to Care Package Line Items"</a>
        {content}
    }
}

#[component]
fn CpliDetails(cpli: CpliSummary) -> impl IntoView {
    let rows = summary_rows(&cpli)
        .into_iter()
        .map(|(key, value)| {
            view! {
                <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">{key}</dt>
                    <dd class="govuk-summary-list__value">{value}</dd>
                </div>
            }
        })
        .collect_view();
    view! {
        <span class="govuk-caption-l">{format!("{} ({})", cpli.client_name, cpli.ssref)}</span>
        <h1 class="govuk-heading-l">{format!("Care package line item {}", cpli.id)}</h1>
        <dl class="govuk-summary-list">{rows}</dl>
        <h2 class="govuk-heading-m">"Versions"</h2>
        <ul class="govuk-list app-versions">
            <li>{format!("Version 1, from {}", date_text(&cpli.start))}</li>
        </ul>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::cpli_table::fixtures;
    use serde_json::json;

    #[test]
    fn the_summary_reads_as_in_the_guides() {
        let cpli = fixtures::cpli(json!({
            "id": "1523",
            "ssref": "96836000",
            "client_name": "Bristow, Eric",
            "start": "2021-04-05",
            "authorised": false,
        }));
        let rows = summary_rows(&cpli);
        let value = |key: &str| {
            rows.iter()
                .find(|(name, _)| *name == key)
                .map(|(_, value)| value.as_str())
        };
        assert_eq!(value("Client"), Some("Bristow, Eric (96836000)"));
        assert_eq!(value("Start date"), Some("05/04/2021"));
        assert_eq!(value("End date"), Some("No end date"));
        assert_eq!(value("Authorised"), Some("No"));
        assert_eq!(value("Status"), Some("Current"));
    }
}
