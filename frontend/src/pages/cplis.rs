//! Care Package Line Items: the care commissioned from the provider, one line per client
//! and service, filtered by service, client and service level (DOMAIN 3; the guides'
//! "Care Package Line Items" screen).

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use portal_dto::{CpliSummary, ServiceSummary};

use crate::api::{self, CpliFilters};
use crate::components::cpli_filters::{CpliFiltersForm, Options};
use crate::components::cpli_table::{CpliTable, Sort};
use crate::components::page_title::set_page_title;
use crate::components::problem::{signed_out, ProblemText};
use crate::session::use_session;

/// The filters a URL's query names (`get` reads one parameter); anything but `true` leaves a
/// box unticked.
fn filters_from(get: impl Fn(&str) -> Option<String>) -> CpliFilters {
    let ticked = |name: &str| get(name).as_deref() == Some("true");
    CpliFilters {
        service: get("service").unwrap_or_default(),
        client: get("client").unwrap_or_default(),
        service_level: get("service_level").unwrap_or_default(),
        include_historical: ticked("include_historical"),
        include_unauthorised: ticked("include_unauthorised"),
    }
}

fn service_options(services: &[ServiceSummary]) -> Options {
    services
        .iter()
        .map(|service| (service.id.clone(), service.name.clone()))
        .collect()
}

/// Every client once, by name, shown as "Bristow, Eric (96836000)".
pub fn client_options(cplis: &[CpliSummary]) -> Options {
    let mut clients: Vec<&CpliSummary> = Vec::new();
    for cpli in cplis {
        if !clients
            .iter()
            .any(|known| known.client_id == cpli.client_id)
        {
            clients.push(cpli);
        }
    }
    clients.sort_by(|a, b| {
        (a.client_name.to_lowercase(), &a.ssref).cmp(&(b.client_name.to_lowercase(), &b.ssref))
    });
    clients
        .into_iter()
        .map(|cpli| {
            (
                cpli.client_id.clone(),
                format!("{} ({})", cpli.client_name, cpli.ssref),
            )
        })
        .collect()
}

/// Every service level once, by name.
pub fn service_level_options(cplis: &[CpliSummary]) -> Options {
    let mut levels: Options = Vec::new();
    for cpli in cplis {
        if !levels.iter().any(|(id, _)| *id == cpli.service_level_id) {
            levels.push((
                cpli.service_level_id.clone(),
                cpli.service_level_name.clone(),
            ));
        }
    }
    levels.sort_by_key(|(_, name)| name.to_lowercase());
    levels
}

fn count_text(count: usize) -> String {
    match count {
        0 => "No care package line items match these filters.".to_owned(),
        1 => "1 care package line item".to_owned(),
        count => format!("{count} care package line items"),
    }
}

#[component]
pub fn CplisPage() -> impl IntoView {
    set_page_title("Care Package Line Items");
    let session = use_session();
    let query = use_query_map();
    let navigate = use_navigate();
    let filters = Memo::new(move |_| query.with(|query| filters_from(|name| query.get(name))));
    let sort = RwSignal::new(None::<Sort>);

    let services = LocalResource::new(move || {
        let token = session.access_token();
        async move {
            match token {
                Some(token) => api::services(&token).await,
                None => Err(signed_out()),
            }
        }
    });
    // The client and service level choices come from the whole list, so choosing one client
    // does not leave that client as the only choice.
    let everything = LocalResource::new(move || {
        let token = session.access_token();
        async move {
            match token {
                Some(token) => api::cplis(&token, &CpliFilters::everything()).await,
                None => Err(signed_out()),
            }
        }
    });
    let listed = LocalResource::new(move || {
        let token = session.access_token();
        let filters = filters.get();
        async move {
            match token {
                Some(token) => api::cplis(&token, &filters).await,
                None => Err(signed_out()),
            }
        }
    });

    // An expired token makes every call fail alike: send the user to sign in again.
    Effect::new(move |_| {
        let refused = |status: Option<u16>| status == Some(401);
        if refused(services.get().and_then(|r| r.err()).map(|p| p.status))
            || refused(everything.get().and_then(|r| r.err()).map(|p| p.status))
            || refused(listed.get().and_then(|r| r.err()).map(|p| p.status))
        {
            session.sign_out();
        }
    });

    let service_choices = Signal::derive(move || {
        services
            .get()
            .and_then(Result::ok)
            .map(|page| service_options(&page.items))
            .unwrap_or_default()
    });
    let all_rows = Memo::new(move |_| {
        everything
            .get()
            .and_then(Result::ok)
            .map(|page| page.items)
            .unwrap_or_default()
    });
    let client_choices = Signal::derive(move || all_rows.with(|rows| client_options(rows)));
    let level_choices = Signal::derive(move || all_rows.with(|rows| service_level_options(rows)));

    // A contact acting for several organisations sees the care packages of the one chosen in
    // the header: those at its services.
    let shown_services = Memo::new(move |_| {
        services.get().and_then(Result::ok).map(|page| {
            page.items
                .into_iter()
                .filter(|service| session.shows_organisation(&service.organisation_id))
                .map(|service| service.id)
                .collect::<Vec<_>>()
        })
    });
    let rows = Memo::new(move |_| {
        listed.get().and_then(Result::ok).map(|page| {
            let shown = shown_services.get();
            page.items
                .into_iter()
                .filter(|cpli| {
                    shown
                        .as_ref()
                        .is_none_or(|shown| shown.contains(&cpli.service_id))
                })
                .collect::<Vec<_>>()
        })
    });
    let problem = Memo::new(move |_| listed.get().and_then(Result::err));

    let on_apply = Callback::new({
        let navigate = navigate.clone();
        move |chosen: CpliFilters| {
            navigate(
                &format!("/cplis{}", api::query_string(&chosen.query_pairs())),
                NavigateOptions::default(),
            );
        }
    });
    let on_reset = Callback::new(move |()| {
        sort.set(None);
        navigate("/cplis", NavigateOptions::default());
    });

    // Said in a live region that is always there, so each new count is announced.
    let status = move || match (rows.get(), problem.with(Option::is_some)) {
        (Some(rows), _) => count_text(rows.len()),
        (None, true) => String::new(),
        (None, false) => "Loading care package line items…".to_owned(),
    };
    let has_rows = move || rows.with(|rows| rows.as_ref().is_some_and(|rows| !rows.is_empty()));

    view! {
        <h1 class="govuk-heading-l">"Care Package Line Items"</h1>
        <p class="govuk-body">
            "Care package line items are the care services commissioned for each client. "
            "Choose filters and select View to narrow the list."
        </p>
        <Show when=move || session.is_council()>
            <a class="govuk-button" data-module="govuk-button" href="/cplis/new">
                "Add a care package line item"
            </a>
        </Show>
        <CpliFiltersForm
            current=filters
            services=service_choices
            clients=client_choices
            service_levels=level_choices
            on_apply
            on_reset
        />
        {move || problem.get().map(|problem| view! { <ProblemText problem /> })}
        <p class="govuk-body govuk-!-font-weight-bold app-cpli-count" role="status">{status}</p>
        <Show when=has_rows>
            <CpliTable rows=Signal::derive(move || rows.get().unwrap_or_default()) sort />
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::components::cpli_table::fixtures;
    use serde_json::json;

    fn cpli(client_id: &str, name: &str, ssref: &str, level_id: &str, level: &str) -> CpliSummary {
        fixtures::cpli(json!({
            "id": format!("{client_id}{level_id}"),
            "client_id": client_id,
            "ssref": ssref,
            "client_name": name,
            "service_level_id": level_id,
            "service_level_name": level,
        }))
    }

    fn diamond() -> Vec<CpliSummary> {
        vec![
            cpli(
                "3",
                "Tribbiani, Joey",
                "JT123",
                "2",
                "Home Care - Double Assist Fixed Rate",
            ),
            cpli(
                "1",
                "Geller, Monica",
                "MG123",
                "1",
                "Home Care - Single Assist Fixed Rate",
            ),
            cpli(
                "3",
                "Tribbiani, Joey",
                "JT123",
                "1",
                "Home Care - Single Assist Fixed Rate",
            ),
            cpli(
                "2",
                "Buffay, Phoebe",
                "PB123",
                "1",
                "Home Care - Single Assist Fixed Rate",
            ),
        ]
    }

    #[test]
    fn each_client_is_offered_once_by_name_with_their_ssref() {
        let labels: Vec<String> = client_options(&diamond())
            .into_iter()
            .map(|(_, label)| label)
            .collect();
        assert_eq!(
            labels,
            [
                "Buffay, Phoebe (PB123)",
                "Geller, Monica (MG123)",
                "Tribbiani, Joey (JT123)"
            ]
        );
    }

    #[test]
    fn each_service_level_is_offered_once_by_name() {
        assert_eq!(
            service_level_options(&diamond()),
            [
                (
                    "2".to_owned(),
                    "Home Care - Double Assist Fixed Rate".to_owned()
                ),
                (
                    "1".to_owned(),
                    "Home Care - Single Assist Fixed Rate".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn the_url_names_the_filters_and_only_true_ticks_a_box() {
        let query = [
            ("service", "2"),
            ("include_historical", "true"),
            ("include_unauthorised", "yes"),
        ];
        let filters = filters_from(|name| {
            query
                .iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| (*value).to_owned())
        });
        assert_eq!(
            filters,
            CpliFilters {
                service: "2".to_owned(),
                include_historical: true,
                ..CpliFilters::default()
            }
        );
        assert_eq!(
            filters.query_pairs(),
            [
                ("service", "2"),
                ("client", ""),
                ("service_level", ""),
                ("include_historical", "true"),
                ("include_unauthorised", ""),
            ]
        );
    }

    #[test]
    fn the_count_reads_as_a_sentence() {
        assert_eq!(
            count_text(0),
            "No care package line items match these filters."
        );
        assert_eq!(count_text(1), "1 care package line item");
        assert_eq!(count_text(4), "4 care package line items");
    }
}
