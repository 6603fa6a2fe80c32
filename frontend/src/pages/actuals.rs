//! Actuals: pick a service and a week, see every client's lines against the plan, generate
//! the week from the plan, and edit a client's lines inline (DOMAIN 4).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use leptos_router::NavigateOptions;
use portal_domain::Week;
use portal_dto::{ClientRef, ClientWeek, Problem, ServiceWeek};

use crate::api::{self, ApiResult, WeekFilters};
use crate::components::client_actuals::ClientActuals;
use crate::components::date_jump::DateJump;
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::set_page_title;
use crate::components::service_list::ServiceList;
use crate::components::week_calendar::WeekCalendar;
use crate::components::week_filters::WeekFiltersForm;
use crate::components::week_lock::WeekLockPanel;
use crate::format::{current_week, week_iso};
use crate::session::use_session;

/// The week the URL names, if it is one actuals may be entered for.
fn week_from_url(param: Option<String>) -> Result<Week, String> {
    let Some(text) = param else {
        return Ok(current_week());
    };
    let week = Week::parse(&text).map_err(|_| {
        format!(
            "\u{201c}{text}\u{201d} is not a week: a week is named by its Monday, like 2022-06-06"
        )
    })?;
    if week > current_week() {
        return Err(
            "Actuals cannot be entered for a week that has not started yet. Choose this week or an earlier one."
                .to_owned(),
        );
    }
    Ok(week)
}

fn filters_query(filters: &WeekFilters) -> String {
    let pairs: Vec<String> = [
        ("service_level", &filters.service_level),
        ("client", &filters.client),
        ("has_actuals", &filters.has_actuals),
    ]
    .into_iter()
    .filter(|(_, value)| !value.is_empty())
    .map(|(name, value)| {
        format!(
            "{name}={}",
            String::from(js_sys::encode_uri_component(value))
        )
    })
    .collect();
    if pairs.is_empty() {
        String::new()
    } else {
        format!("?{}", pairs.join("&"))
    }
}

fn generated_message(created: u32, kept: u32) -> String {
    let noun = if created == 1 { "actual" } else { "actuals" };
    format!("Generated {created} {noun} ({kept} already existed)")
}

#[component]
pub fn ActualsPage() -> impl IntoView {
    set_page_title("Actuals");
    let session = use_session();
    let params = use_params_map();
    let query = use_query_map();
    let navigate = use_navigate();

    let services = LocalResource::new(move || {
        let token = session.access_token();
        async move {
            match token {
                Some(token) => api::services(&token).await,
                None => Err(signed_out()),
            }
        }
    });
    // A contact acting for several organisations sees the services of the one chosen in
    // the header.
    let service_list = Memo::new(move |_| {
        services
            .get()
            .and_then(Result::ok)
            .map(|page| page.items)
            .unwrap_or_default()
            .into_iter()
            .filter(|service| session.shows_organisation(&service.organisation_id))
            .collect::<Vec<_>>()
    });
    let url_service_id = Memo::new(move |_| params.with(|params| params.get("service_id")));
    let service = Memo::new(move |_| {
        service_list.with(|services| match url_service_id.get() {
            Some(id) => services.iter().find(|service| service.id == id).cloned(),
            None => services.first().cloned(),
        })
    });
    let service_id =
        Memo::new(move |_| service.with(|service| service.as_ref().map(|s| s.id.clone())));
    let week = Memo::new(move |_| week_from_url(params.with(|params| params.get("week"))));
    let chosen_week = Memo::new(move |_| week.get().unwrap_or_else(|_| current_week()));
    let filters = Memo::new(move |_| {
        query.with(|query| WeekFilters {
            service_level: query.get("service_level").unwrap_or_default(),
            client: query.get("client").unwrap_or_default(),
            has_actuals: query.get("has_actuals").unwrap_or_default(),
        })
    });

    let go_to = {
        let navigate = navigate.clone();
        move |service_id: &str, week: Week, filters: &WeekFilters| {
            navigate(
                &format!(
                    "/actuals/{service_id}/{}{}",
                    week_iso(week),
                    filters_query(filters)
                ),
                NavigateOptions::default(),
            );
        }
    };

    // `/actuals` names no service or week: name them, so every later choice stays on one
    // route and the page (and the keyboard focus in it) is not rebuilt.
    Effect::new({
        let navigate = navigate.clone();
        move |_| {
            if url_service_id.get().is_none() {
                if let Some(id) = service_id.get() {
                    navigate(
                        &format!("/actuals/{id}/{}", week_iso(chosen_week.get_untracked())),
                        NavigateOptions {
                            replace: true,
                            ..NavigateOptions::default()
                        },
                    );
                }
            }
        }
    });

    // The grid's data. Fetched by hand rather than through a resource so that a refresh
    // after a save keeps the grid (and the focus inside it) on screen until the new figures
    // arrive, and so that a slow old answer never overwrites a newer one.
    let week_data = RwSignal::new(None::<ApiResult<ServiceWeek>>);
    let latest_request = StoredValue::new(0_u64);
    let load_week = move |clear: bool| {
        let (Some(service_id), Ok(week), Some(token)) = (
            service_id.get_untracked(),
            week.get_untracked(),
            session.access_token(),
        ) else {
            week_data.set(None);
            return;
        };
        let filters = filters.get_untracked();
        let request = latest_request.get_value() + 1;
        latest_request.set_value(request);
        if clear {
            week_data.set(None);
        }
        spawn_local(async move {
            let result = api::service_week(&token, &service_id, &week_iso(week), &filters).await;
            if latest_request.try_get_value() == Some(request) {
                week_data.try_set(Some(result));
            }
        });
    };
    // A new service or week clears the grid at once; new filters keep it (and the focus on
    // the View button) until the filtered week arrives.
    let loaded_for = StoredValue::new(None::<(Option<String>, Result<Week, String>)>);
    Effect::new(move |_| {
        let shown = Some((service_id.get(), week.get()));
        filters.track();
        let same_week = loaded_for.get_value() == shown;
        loaded_for.set_value(shown);
        load_week(!same_week);
    });
    let service_week = Memo::new(move |_| week_data.with(|data| data.clone().and_then(Result::ok)));
    // A week the council has locked takes no changes: no Generate, no Add/Edit.
    let locked = Memo::new(move |_| {
        service_week.with(|week| week.as_ref().and_then(|week| week.locked.clone()))
    });
    let week_problem =
        Memo::new(move |_| week_data.with(|data| data.clone().and_then(Result::err)));

    // An expired token makes every call fail alike: send the user to sign in again.
    Effect::new(move |_| {
        let services_refused = services
            .get()
            .is_some_and(|result| result.is_err_and(|problem| problem.status == 401));
        let week_refused =
            week_problem.with(|problem| problem.as_ref().is_some_and(|p| p.status == 401));
        if services_refused || week_refused {
            session.sign_out();
        }
    });

    // The client filter lists every client seen in this service and week, so that choosing
    // one client does not leave that client as the only option.
    let client_options = RwSignal::new(Vec::<ClientRef>::new());
    let client_options_key = StoredValue::new(None::<(String, String)>);
    Effect::new(move |_| {
        let Some(data) = service_week.get() else {
            return;
        };
        let key = Some((data.service.id.clone(), data.week.clone()));
        if client_options_key.get_value() != key {
            client_options_key.set_value(key);
            client_options.set(Vec::new());
        }
        client_options.update(|options| {
            for client in data.clients {
                if !options.iter().any(|known| known.id == client.client.id) {
                    options.push(client.client);
                }
            }
            options.sort_by(|a, b| a.sort_name.cmp(&b.sort_name));
        });
    });

    let banner = RwSignal::new(None::<String>);
    let generating = RwSignal::new(false);
    let generate_problem = RwSignal::new(None::<Problem>);
    let calendar_changes = RwSignal::new(0_u32);
    Effect::new(move |_| {
        service_id.track();
        week.track();
        banner.set(None);
        generate_problem.set(None);
    });

    let generate = move |_| {
        let (Some(service_id), Ok(week), Some(token)) = (
            service_id.get_untracked(),
            week.get_untracked(),
            session.access_token(),
        ) else {
            return;
        };
        generating.set(true);
        generate_problem.set(None);
        banner.set(None);
        spawn_local(async move {
            let outcome = api::generate_actuals(&token, &service_id, &week_iso(week)).await;
            generating.set(false);
            match outcome {
                Ok(outcome) => {
                    banner.set(Some(generated_message(outcome.created, outcome.kept)));
                    calendar_changes.update(|changes| *changes += 1);
                    load_week(false);
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => generate_problem.set(Some(problem)),
            }
        });
    };

    let on_saved = Callback::new(move |saved: ClientWeek| {
        week_data.update(|data| {
            if let Some(Ok(week)) = data {
                if let Some(client) = week
                    .clients
                    .iter_mut()
                    .find(|client| client.client.id == saved.client.id)
                {
                    *client = saved;
                }
            }
        });
        calendar_changes.update(|changes| *changes += 1);
        // The week's totals are the server's to compute: fetch them again.
        load_week(false);
    });
    let on_reload = Callback::new(move |()| load_week(false));

    let on_select_week = Callback::new({
        let go_to = go_to.clone();
        move |chosen: Week| {
            if let Some(id) = service_id.get_untracked() {
                // A client filter belongs to one week's clients; the other filters carry over.
                let mut kept = filters.get_untracked();
                kept.client.clear();
                go_to(&id, chosen, &kept);
            }
        }
    });
    let on_apply_filters = Callback::new({
        let go_to = go_to.clone();
        move |chosen: WeekFilters| {
            if let Some(id) = service_id.get_untracked() {
                go_to(&id, chosen_week.get_untracked(), &chosen);
            }
        }
    });

    let heading = move || match service.get() {
        Some(service) => format!(
            "Actuals for {} - {}",
            service.organisation_name, service.name
        ),
        None => "Actuals".to_owned(),
    };
    let week_label = move || {
        week.get()
            .map(|week| format!("Week beginning {}", week.label()))
            .unwrap_or_default()
    };

    let services_panel = move || match services.get() {
        None => view! { <p class="govuk-body">"Loading services…"</p> }.into_any(),
        Some(Err(problem)) => problem_text(&problem).into_any(),
        Some(Ok(_)) if service_list.with(Vec::is_empty) => view! {
            <p class="govuk-body">"You have no services to enter actuals for."</p>
        }
        .into_any(),
        Some(Ok(_)) => view! {
            <ServiceList
                services=service_list.get()
                selected=service_id
                week=Signal::derive(move || week_iso(chosen_week.get()))
            />
        }
        .into_any(),
    };
    let unknown_service = move || {
        url_service_id.get().is_some()
            && services.get().is_some_and(|result| result.is_ok())
            && service.with(Option::is_none)
    };

    // Only whether the week loaded decides what the grid area shows: new figures must not
    // rebuild the client tables, which hold each client's edits and saved message.
    let week_loaded = Memo::new(move |_| week_data.with(|data| data.as_ref().map(Result::is_ok)));
    let grid = move || {
        if service_id.with(Option::is_none) {
            // The services panel (or the unknown-service message) says what to do.
            return ().into_any();
        }
        if let Err(message) = week.get() {
            return view! {
                <div class="govuk-inset-text app-page-problem" role="alert">{message}</div>
            }
            .into_any();
        }
        match week_loaded.get() {
            None => view! { <p class="govuk-body" role="status">"Loading actuals…"</p> }.into_any(),
            Some(false) => week_problem
                .get()
                .map(|problem| problem_text(&problem).into_any())
                .unwrap_or_else(|| ().into_any()),
            Some(true) => view! {
                <WeekGrid service_week on_saved on_reload />
            }
            .into_any(),
        }
    };

    view! {
        <h1 class="govuk-heading-l">
            <span class="app-heading-title">{heading}</span>
            <span class="govuk-caption-l app-heading-week">{week_label}</span>
        </h1>
        <Show when=unknown_service>
            <p class="govuk-body app-page-problem">
                "We could not find that service among yours. Choose one from the list."
            </p>
        </Show>
        <div class="govuk-grid-row app-pickers">
            <div class="govuk-grid-column-one-third">{services_panel}</div>
            <div class="govuk-grid-column-one-third">
                <WeekCalendar
                    service_id=service_id
                    selected=chosen_week
                    changes=calendar_changes
                    on_select=on_select_week
                />
            </div>
            <div class="govuk-grid-column-one-third">
                <DateJump on_select=on_select_week />
            </div>
        </div>
        <SuccessBanner message=banner />
        {move || generate_problem.get().map(|problem| problem_text(&problem))}
        <Show when=move || service_week.with(Option::is_some)>
            <WeekFiltersForm
                current=filters
                service_levels=Signal::derive(move || {
                    service_week.with(|week| week.as_ref().map(|week| week.service_levels.clone()).unwrap_or_default())
                })
                clients=client_options
                on_apply=on_apply_filters
            />
            {move || service_week.with(|week| week.as_ref().and_then(|week| week.submission_deadline.clone())).map(|due| {
                let text = if due.passed {
                    format!("This week was due by {}. Actuals recorded or changed now are marked late.", due.label)
                } else {
                    format!("This week is due by {}.", due.label)
                };
                view! { <p class="govuk-body app-week-deadline">{text}</p> }
            })}
            {move || locked.get().map(|lock| view! {
                <div class="govuk-warning-text app-week-locked">
                    <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                    <strong class="govuk-warning-text__text">
                        <span class="govuk-visually-hidden">"Warning"</span>
                        {format!("This week's actuals cannot change: {}.", lock.reason.trim_end_matches('.'))}
                    </strong>
                </div>
            })}
            // Council staff read providers' actuals and lock weeks; providers enter them.
            <Show when=move || locked.with(Option::is_none) && !session.is_council()>
                <div class="govuk-button-group">
                    <button
                        type="button"
                        class="govuk-button"
                        data-module="govuk-button"
                        disabled=move || generating.get()
                        on:click=generate
                    >
                        "Generate Actuals"
                    </button>
                </div>
            </Show>
            <WeekLockPanel
                service_id=service_id
                week=Signal::derive(move || service_week.with(|week| week.as_ref().map(|week| week.week.clone())))
                locked=locked
                on_changed=on_reload
            />
            {move || service_week.with(|week| week.as_ref().map(|week| {
                let href = format!("/services/{}/import-actuals", week.service.id);
                view! {
                    <p class="govuk-body">
                        <a class="govuk-link" href=href>"Import or export actuals as a CSV file"</a>
                    </p>
                }
            }))}
        </Show>
        {grid}
    }
}

fn signed_out() -> Problem {
    Problem {
        problem_type: "about:blank".to_owned(),
        title: "You need to sign in".to_owned(),
        status: 401,
        detail: "You need to sign in".to_owned(),
        errors: Vec::new(),
    }
}

fn problem_text(problem: &Problem) -> impl IntoView {
    view! {
        <div class="govuk-inset-text app-page-problem" role="alert">
            <p class="govuk-body govuk-!-font-weight-bold">{problem.title.clone()}</p>
            <p class="govuk-body">{problem.detail.clone()}</p>
        </div>
    }
}

/// Every client's table, then the week's total.
#[component]
fn WeekGrid(
    #[prop(into)] service_week: Signal<Option<ServiceWeek>>,
    on_saved: Callback<ClientWeek>,
    on_reload: Callback<()>,
) -> impl IntoView {
    let client_ids = move || {
        service_week.with(|week| {
            week.as_ref()
                .map(|week| {
                    week.clients
                        .iter()
                        .map(|client| client.client.id.clone())
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let week_total =
        move || service_week.with(|week| week.as_ref().map(|week| week.totals.label.clone()));
    view! {
        <h2 class="govuk-heading-m">"Clients"</h2>
        <Show
            when=move || service_week.with(|week| week.as_ref().is_some_and(|week| !week.clients.is_empty()))
            fallback=|| view! { <p class="govuk-body">"No clients match these filters in this week."</p> }
        >
            <For each=client_ids key=|id| id.clone() let(client_id)>
                <ClientActuals client_id week=service_week on_saved on_reload />
            </For>
        </Show>
        <p class="govuk-body-l app-week-total">
            <span class="govuk-!-font-weight-bold">"Week total: "</span>
            <span class="app-week-total__label">{week_total}</span>
        </p>
    }
}
