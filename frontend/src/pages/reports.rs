//! Reports (DOMAIN 12; seed 000 "Using Reports", seed 002 "Reports"): the list of reports,
//! and what each report's page shares: its heading with "Close and return", the View and
//! Download Data buttons, the message shown before the first View, and running the report
//! (on screen, or as the CSV file of the same filters).
//!
//! Each report has its own page: `report_commissioned`, `report_exceptions`,
//! `report_pending_payments` and `report_remittance`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_dto::ReportOptions;

use crate::api::{self, with_token, ApiResult, ReportFilters};
use crate::components::error_summary::SummaryError;
use crate::components::form::{refusals, Errors, Field, Options};
use crate::components::page_title::set_page_title;
use crate::components::problem::sign_out_when_refused;
use crate::session::{use_session, Session};

/// The reports, in the guides' order: (address, name).
pub const REPORTS: [(&str, &str); 4] = [
    (
        "/reports/commissioned-vs-actuals",
        "Commissioned Vs Actuals",
    ),
    (
        "/reports/pending-payments-exceptions",
        "Pending Payments Exceptions",
    ),
    (
        "/reports/pending-scheduled-payments",
        "Pending Scheduled Payments",
    ),
    (
        "/reports/remittance-advice",
        "Remittance Advice Provider Payments",
    ),
];

/// What a report's page says until it has been viewed.
pub const NEEDS_PARAMETERS: &str = "This report requires parameters. Please complete the fields above and press the View or Download Data button.";

#[component]
pub fn ReportsPage() -> impl IntoView {
    set_page_title("Reports");
    let links = REPORTS
        .into_iter()
        .map(|(href, name)| {
            view! { <li><a class="govuk-link" href=href>{name}</a></li> }
        })
        .collect_view();
    view! {
        <h1 class="govuk-heading-l">"Reports"</h1>
        <p class="govuk-body">"The following reports are currently available. Click to view."</p>
        <ul class="govuk-list govuk-list--spaced">{links}</ul>
    }
}

/// A report page's heading and its way back to the list.
#[component]
pub fn ReportHeading(title: &'static str) -> impl IntoView {
    view! {
        <div class="app-report-heading">
            <h1 class="govuk-heading-l">{title}</h1>
            <p class="govuk-body"><a class="govuk-link" href="/reports">"Close and return"</a></p>
        </div>
    }
}

/// "View" submits the filters' form; "Download Data" fetches the CSV of the same filters.
#[component]
pub fn ReportButtons(on_download: Callback<()>, #[prop(into)] busy: Signal<bool>) -> impl IntoView {
    view! {
        <div class="govuk-button-group">
            <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                "View"
            </button>
            <button
                type="button"
                class="govuk-button govuk-button--secondary"
                data-module="govuk-button"
                disabled=move || busy.get()
                on:click=move |_| on_download.run(())
            >
                "Download Data"
            </button>
        </div>
    }
}

/// What the reports' filters offer, loaded once for the page.
pub fn report_options() -> LocalResource<ApiResult<ReportOptions>> {
    let session = use_session();
    let options = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::report_options(&token).await },
        )
    });
    sign_out_when_refused(session, options);
    options
}

/// The options, or nothing until they have come (or when they failed).
pub fn loaded_options(
    options: LocalResource<ApiResult<ReportOptions>>,
) -> impl Fn() -> Option<ReportOptions> + Copy {
    move || options.get().and_then(Result::ok)
}

/// The organisations a report may be narrowed to, after "[All Organisations]".
pub fn organisation_choices(options: &ReportOptions) -> Options {
    std::iter::once((String::new(), "[All Organisations]".to_owned()))
        .chain(
            options
                .organisations
                .iter()
                .map(|choice| (choice.id.clone(), choice.label.clone())),
        )
        .collect()
}

/// A report's result and how its page stands: the errors its summary lists, and whether a
/// request is under way.
pub struct ReportRun<R: Send + Sync + 'static> {
    pub errors: Errors,
    pub shown: RwSignal<Option<R>>,
    pub busy: RwSignal<bool>,
    session: Session,
}

impl<R: Send + Sync + 'static> Clone for ReportRun<R> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<R: Send + Sync + 'static> Copy for ReportRun<R> {}

impl<R: Send + Sync + 'static> ReportRun<R> {
    pub fn new() -> Self {
        ReportRun {
            errors: RwSignal::new(Vec::new()),
            shown: RwSignal::new(None),
            busy: RwSignal::new(false),
            session: use_session(),
        }
    }

    /// Fetches the report for the screen; a refusal goes to the error summary, pinned to the
    /// filter it is about.
    pub fn view<F>(self, filters: F, fields: Vec<Field>)
    where
        F: ReportFilters<Report = R> + 'static,
    {
        let session = self.session;
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        self.errors.set(Vec::new());
        self.busy.set(true);
        spawn_local(async move {
            let outcome = api::report(&token, &filters).await;
            self.busy.set(false);
            match outcome {
                Ok(report) => self.shown.set(Some(report)),
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => self.errors.set(refusals(&problem, &fields)),
            }
        });
    }

    /// Fetches the CSV of the same filters and offers it as `file_name`.
    pub fn download<F>(self, filters: F, fields: Vec<Field>, file_name: &'static str)
    where
        F: ReportFilters + 'static,
    {
        let session = self.session;
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        self.errors.set(Vec::new());
        self.busy.set(true);
        spawn_local(async move {
            let outcome = api::report_csv(&token, &filters).await;
            self.busy.set(false);
            match outcome {
                Ok(text) => {
                    if let Err(message) = crate::download::save_csv(file_name, &text) {
                        self.errors.set(vec![SummaryError::general(message)]);
                    }
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => self.errors.set(refusals(&problem, &fields)),
            }
        });
    }
}

impl<R: Send + Sync + 'static> Default for ReportRun<R> {
    fn default() -> Self {
        ReportRun::new()
    }
}

/// The message before the first View, or while the report loads.
pub fn before_first_view<R: Send + Sync + 'static>(run: ReportRun<R>) -> impl IntoView {
    move || {
        if run.shown.with(Option::is_some) {
            None
        } else if run.busy.get() {
            Some(view! { <p class="govuk-body" role="status">"Loading the report…"</p> }.into_any())
        } else {
            Some(
                view! { <p class="govuk-body app-report-parameters">{NEEDS_PARAMETERS}</p> }
                    .into_any(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_names_the_four_reports_of_the_guides() {
        let names: Vec<&str> = REPORTS.iter().map(|(_, name)| *name).collect();
        assert_eq!(
            names,
            [
                "Commissioned Vs Actuals",
                "Pending Payments Exceptions",
                "Pending Scheduled Payments",
                "Remittance Advice Provider Payments"
            ]
        );
        assert!(REPORTS
            .iter()
            .all(|(href, _)| href.starts_with("/reports/")));
    }

    #[test]
    fn every_organisation_is_offered_after_all_of_them() {
        let options = ReportOptions {
            organisations: vec![portal_dto::ReportChoice {
                id: "7".to_owned(),
                label: "Ally Pally Ltd".to_owned(),
            }],
            service_group_classes: Vec::new(),
            clients: Vec::new(),
            contracts: Vec::new(),
            payment_methods: Vec::new(),
            remittance_periods: Vec::new(),
            statuses: Vec::new(),
        };
        assert_eq!(
            organisation_choices(&options),
            [
                (String::new(), "[All Organisations]".to_owned()),
                ("7".to_owned(), "Ally Pally Ltd".to_owned())
            ]
        );
    }
}
