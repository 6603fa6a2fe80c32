//! One care package line item: its fields, and its versions (DOMAIN 3: a change to a care
//! package makes a new version, and past weeks keep the version that applied). Council
//! staff change it from a date here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use portal_domain::service_level::Unit;
use portal_dto::{ActionEntityOption, CpliSummary, NewCpliVersion, Problem};

use crate::api::{self, with_token, ApiResult};
use crate::components::cpli_table::{end_text, yes_no};
use crate::components::cpli_terms::{terms_field, TermsDraft, TermsFields};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{
    checked_date, in_form_order, problem_errors, DateInput, DateParts, Errors, Field,
};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::title_with_errors;
use crate::components::problem::ProblemText;
use crate::flash::use_flash;
use crate::format::date_text;
use crate::session::use_session;

const EFFECTIVE_FROM_ID: &str = "effective-from";

/// The change form's fields from top to bottom.
const FORM_ORDER: [&str; 8] = [
    "effective-from-",
    "end-",
    "weekly-quantity",
    "timetable-",
    "annual-allocation",
    "planned-visits",
    "budget-code",
    "care-package-ref",
];

const CONFLICT: &str = "Someone changed this care package first. Reload to see their version.";

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

/// The opening text of an action raised from a CPLI, as the guides quote it: "Re: Care
/// Package Line Item for Mrs Iris Angelo. Day Opportunities - Scheduled (Session) from Day
/// Opportunities PP Home, Starts 28/03/2022."
pub fn cpli_action_text(client: &str, cpli: &CpliSummary) -> String {
    let unit = Unit::from_code(&cpli.unit)
        .map(Unit::singular)
        .unwrap_or_default();
    format!(
        "Re: Care Package Line Item for {client}. {} ({unit}) from {}, Starts {}.",
        cpli.service_level_name,
        cpli.service_name,
        date_text(&cpli.start)
    )
}

/// The client as the guides name them ("Mrs Iris Angelo"): the New Action form's entity
/// without its SSRef, or else the CPLI's "Angelo, Iris" turned round.
pub fn client_display_name(entities: &[ActionEntityOption], cpli: &CpliSummary) -> String {
    let suffix = format!(" ({})", cpli.ssref);
    entities
        .iter()
        .find(|entity| entity.kind == "client" && entity.id == cpli.client_id)
        .map(|entity| {
            entity
                .name
                .strip_suffix(&suffix)
                .unwrap_or(&entity.name)
                .to_owned()
        })
        .unwrap_or_else(|| match cpli.client_name.split_once(", ") {
            Some((surname, forename)) => format!("{forename} {surname}"),
            None => cpli.client_name.clone(),
        })
}

/// "Submit Action": the New Action form, filled in as a CPLI Amendment about the client.
#[component]
fn SubmitAction(cpli: CpliSummary) -> impl IntoView {
    let session = use_session();
    let options = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::action_options(&token).await },
        )
    });
    move || {
        let entities = match options.get() {
            None => return None,
            Some(Ok(options)) => options.entities,
            Some(Err(_)) => Vec::new(),
        };
        let client = client_display_name(&entities, &cpli);
        let text = cpli_action_text(&client, &cpli);
        let title = format!("Care Package Line Item {} for {client}", cpli.id);
        let href = format!(
            "/actions/new{}",
            api::query_string(&[
                ("type", "CPLI Amendment"),
                ("related_kind", "client"),
                ("related_id", &cpli.client_id),
                ("title", &title),
                ("text", &text),
            ])
        );
        Some(view! {
            <p class="govuk-body app-submit-action">
                <a class="govuk-link" href=href>"Submit Action"</a>
                " to ask the council to change this care package."
            </p>
        })
    }
}

/// The CPLI as it stands: its latest version, with the first version's start, since the
/// versions together run from that day.
fn as_it_stands(versions: &[CpliSummary]) -> Option<CpliSummary> {
    let latest = versions.last()?;
    let first = versions.first()?;
    Some(CpliSummary {
        start: first.start.clone(),
        ..latest.clone()
    })
}

/// A row of the versions table: (Version, From, To, Pricing, Cost).
fn version_cells(version: &CpliSummary) -> [String; 5] {
    [
        version.version_number.to_string(),
        date_text(&version.start),
        end_text(version.end.as_deref()),
        version.pricing.clone(),
        version.cost_label.clone(),
    ]
}

fn change_errors(problem: &Problem, unit: &str) -> Vec<SummaryError> {
    if problem.status == 409 {
        return vec![SummaryError::general(CONFLICT)];
    }
    let mut lines = problem_errors(problem, |api| match api {
        "effective_from" => Some(Field::new(
            api,
            "effective-from-day",
            "Change from",
            "Enter the date the change applies from",
        )),
        other => terms_field(other, unit),
    });
    in_form_order(&mut lines, &FORM_ORDER);
    lines
}

#[component]
pub fn CpliPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    let banner = RwSignal::new(use_flash().take());
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(
        move || format!("Care package line item {}", id.get()),
        errors,
    );

    // Fetched by hand, so that a change's answer (every version) replaces them at once.
    let versions = RwSignal::new(None::<ApiResult<Vec<CpliSummary>>>);
    Effect::new(move |_| {
        let id = id.get();
        let token = session.access_token();
        versions.set(None);
        spawn_local(async move {
            let result = with_token(token, |token| async move {
                api::cpli_versions(&token, &id).await
            })
            .await
            .map(|page| page.items);
            if result.as_ref().is_err_and(|problem| problem.status == 401) {
                session.sign_out();
            }
            versions.try_set(Some(result));
        });
    });

    let content = move || match versions.get() {
        None => {
            view! { <p class="govuk-body" role="status">"Loading the care package line item…"</p> }
                .into_any()
        }
        Some(Err(problem)) if problem.status == 404 => view! {
            <h1 class="govuk-heading-l">"Care package line item not found"</h1>
            <p class="govuk-body">
                {format!("We could not find care package line item {} among yours.", id.get())}
            </p>
        }
        .into_any(),
        Some(Err(problem)) => view! {
            <h1 class="govuk-heading-l">"Care package line item"</h1>
            <ProblemText problem />
        }
        .into_any(),
        Some(Ok(list)) => match as_it_stands(&list) {
            Some(cpli) => view! {
                <CpliDetails cpli=cpli.clone() list=list.clone() />
                <Show when=move || !session.is_council()>
                    <SubmitAction cpli=cpli.clone() />
                </Show>
                <Show when=move || session.is_council()>
                    <ChangeForm versions errors banner />
                </Show>
            }
            .into_any(),
            None => view! { <h1 class="govuk-heading-l">"Care package line item not found"</h1> }
                .into_any(),
        },
    };

    view! {
        <a class="govuk-back-link" href="/cplis">"Back to Care Package Line Items"</a>
        <ErrorSummary errors=errors />
        <SuccessBanner message=banner />
        {content}
    }
}

#[component]
fn CpliDetails(cpli: CpliSummary, list: Vec<CpliSummary>) -> impl IntoView {
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
    let version_rows = list
        .iter()
        .map(|version| {
            let cells = version_cells(version);
            let [number, from, to, pricing, cost] = cells;
            view! {
                <tr class="govuk-table__row">
                    <th scope="row" class="govuk-table__header">{number}</th>
                    <td class="govuk-table__cell app-nowrap">{from}</td>
                    <td class="govuk-table__cell app-nowrap">{to}</td>
                    <td class="govuk-table__cell">{pricing}</td>
                    <td class="govuk-table__cell govuk-table__cell--numeric app-nowrap">{cost}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <span class="govuk-caption-l">{format!("{} ({})", cpli.client_name, cpli.ssref)}</span>
        <h1 class="govuk-heading-l">{format!("Care package line item {}", cpli.id)}</h1>
        <dl class="govuk-summary-list">{rows}</dl>
        <table class="govuk-table app-versions">
            <caption class="govuk-table__caption govuk-table__caption--m">"Versions"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header">"Version"</th>
                    <th scope="col" class="govuk-table__header">"From"</th>
                    <th scope="col" class="govuk-table__header">"To"</th>
                    <th scope="col" class="govuk-table__header">"Pricing"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Cost"</th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">{version_rows}</tbody>
        </table>
        <p class="govuk-body">"Past weeks keep the version that applied to them."</p>
    }
}

/// "Change from a date": new terms from a day; the version before ends the day before.
#[component]
fn ChangeForm(
    versions: RwSignal<Option<ApiResult<Vec<CpliSummary>>>>,
    errors: Errors,
    banner: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let busy = RwSignal::new(false);
    let latest = Memo::new(move |_| {
        versions.with(|versions| {
            versions
                .as_ref()
                .and_then(|versions| versions.as_ref().ok())
                .and_then(|versions| versions.last().cloned())
        })
    });
    let effective_from = DateParts::new();
    let draft = TermsDraft::new();
    Effect::new(move |_| {
        if let Some(latest) = latest.get() {
            draft.prefill(&latest);
        }
    });
    // The unit names the plan's boxes ("Hours per week"); the list row does not carry it,
    // so it comes from the council's service levels.
    let levels = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move {
            api::service_levels(&token, "").await
        })
    });
    let level_id = Memo::new(move |_| {
        latest.with(|latest| latest.as_ref().map(|l| l.service_level_id.clone()))
    });
    let unit = Signal::derive(move || {
        let id = level_id.get().unwrap_or_default();
        levels
            .get()
            .and_then(Result::ok)
            .and_then(|page| page.items.into_iter().find(|level| level.id == id))
            .map(|level| level.unit)
            .unwrap_or_default()
    });
    let pricing_kind = Signal::derive(move || {
        latest.with(|latest| {
            latest
                .as_ref()
                .map(|l| l.pricing_kind.clone())
                .unwrap_or_default()
        })
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(latest) = latest.get_untracked() else {
            return;
        };
        let mut found = Vec::new();
        let from = checked_date(
            &effective_from,
            EFFECTIVE_FROM_ID,
            "Change from",
            Some("Enter the date the change applies from"),
            &mut found,
        );
        let unit = unit.get_untracked();
        let terms = draft.terms(&latest.pricing_kind, &unit, &mut found);
        if !found.is_empty() {
            in_form_order(&mut found, &FORM_ORDER);
            errors.set(found);
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let from = from.unwrap_or_default();
        let change = NewCpliVersion {
            effective_from: from.clone(),
            latest_version_seen: latest.version_number,
            terms,
        };
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            let outcome = api::add_cpli_version(&token, &latest.id, &change).await;
            busy.set(false);
            match outcome {
                Ok(page) => {
                    errors.set(Vec::new());
                    effective_from.set_iso(None);
                    banner.set(Some(format!(
                        "Care package line item {} changed from {}",
                        latest.id,
                        date_text(&from)
                    )));
                    versions.set(Some(Ok(page.items)));
                    if let Some(window) = web_sys::window() {
                        window.scroll_to_with_x_and_y(0.0, 0.0);
                    }
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(change_errors(&problem, &unit)),
            }
        });
    };

    view! {
        <div class="govuk-grid-row app-change-cpli">
            <div class="govuk-grid-column-two-thirds">
                <h2 class="govuk-heading-m" id="change-heading">"Change from a date"</h2>
                <p class="govuk-body">
                    "The change makes a new version from the date you give. The version before it ends the day before; weeks before the date keep it."
                </p>
                <form novalidate on:submit=submit aria-labelledby="change-heading">
                    <DateInput id=EFFECTIVE_FROM_ID legend="Change from" parts=effective_from errors
                        hint="The first day of the new terms. For example, 4 7 2022" />
                    <TermsFields draft pricing_kind unit errors />
                    <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                        "Save the change"
                    </button>
                </form>
            </div>
        </div>
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

    fn two_versions() -> Vec<CpliSummary> {
        vec![
            fixtures::cpli(json!({
                "version_number": 1,
                "start": "2022-06-06",
                "end": "2022-06-30",
                "pricing": "10 x Hours at £20.00 (Spot)",
                "cost_label": "£200.00 Weekly",
            })),
            fixtures::cpli(json!({
                "version_number": 2,
                "start": "2022-07-01",
                "pricing": "10 x Hours at £21.00 (Spot)",
                "cost_label": "£210.00 Weekly",
            })),
        ]
    }

    #[test]
    fn each_version_has_its_own_dates_and_price() {
        let versions = two_versions();
        assert_eq!(
            version_cells(&versions[0]),
            [
                "1",
                "06/06/2022",
                "30/06/2022",
                "10 x Hours at £20.00 (Spot)",
                "£200.00 Weekly"
            ]
            .map(str::to_owned)
        );
        assert_eq!(version_cells(&versions[1])[2], "-");
    }

    #[test]
    fn the_line_item_stands_as_its_latest_version_from_its_first_day() {
        let stands = as_it_stands(&two_versions()).expect("two versions");
        assert_eq!(stands.version_number, 2);
        assert_eq!(stands.start, "2022-06-06");
        assert_eq!(stands.pricing, "10 x Hours at £21.00 (Spot)");
        assert_eq!(as_it_stands(&[]), None);
    }

    #[test]
    fn submit_action_quotes_the_line_item_as_the_guides_do() {
        let cpli = fixtures::cpli(json!({
            "id": "77",
            "client_id": "12",
            "ssref": "A1",
            "client_name": "Angelo, Iris",
            "service_name": "Day Opportunities PP Home",
            "service_level_name": "Day Opportunities - Scheduled",
            "unit": "session",
            "start": "2022-03-28",
        }));
        let entity = |id: &str, name: &str| ActionEntityOption {
            kind: "client".to_owned(),
            id: id.to_owned(),
            name: name.to_owned(),
            organisation_id: "3".to_owned(),
        };
        let entities = [
            entity("11", "Mr Sid Waddell (B2)"),
            entity("12", "Mrs Iris Angelo (A1)"),
        ];
        let client = client_display_name(&entities, &cpli);
        assert_eq!(client, "Mrs Iris Angelo");
        assert_eq!(
            cpli_action_text(&client, &cpli),
            "Re: Care Package Line Item for Mrs Iris Angelo. Day Opportunities - Scheduled (Session) from Day Opportunities PP Home, Starts 28/03/2022."
        );
        // Without the entities, the CPLI's own name, turned round.
        assert_eq!(client_display_name(&[], &cpli), "Iris Angelo");
    }

    #[test]
    fn a_stale_version_is_said_plainly() {
        let problem = Problem {
            problem_type: "/problems/conflict".to_owned(),
            title: "Conflict".to_owned(),
            status: 409,
            detail: "This care package line item is at version 3 now, not 2.".to_owned(),
            errors: Vec::new(),
        };
        assert_eq!(
            change_errors(&problem, "hour"),
            [SummaryError::general(CONFLICT)]
        );
    }
}
