//! Pending Payments Exceptions (DOMAIN 12; seed 000 "Pending Payment Exceptions"): the
//! exceptions raised on the actuals of the payment periods not yet paid, and whether each
//! actual is being considered for payment or suspended.

use leptos::prelude::*;
use portal_dto::PendingExceptions;

use crate::api::ExceptionsFilters;
use crate::components::error_summary::ErrorSummary;
use crate::components::form::{ungrouped, Field, SelectInput};
use crate::components::page_title::title_with_errors;
use crate::components::problem::ProblemText;
use crate::components::sortable_table::{Cell, Column, SortableTable};
use crate::pages::reports::{
    before_first_view, loaded_options, organisation_choices, report_options, ReportButtons,
    ReportHeading, ReportRun,
};
use crate::session::use_session;

const TITLE: &str = "Pending Payments Exceptions Report";
const FILE_NAME: &str = "pending-payments-exceptions.csv";

fn fields() -> Vec<Field> {
    vec![Field::new(
        "organisation_id",
        "exceptions-organisation",
        "Organisation",
        "Choose an organisation",
    )]
}

/// "Ally Pally Ltd", or each provider the rows name, in the order they come.
pub fn providers(report: &PendingExceptions) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for row in &report.rows {
        if !names.contains(&row.organisation) {
            names.push(row.organisation.clone());
        }
    }
    names
}

#[component]
pub fn ExceptionsReportPage() -> impl IntoView {
    let session = use_session();
    let options = report_options();
    let loaded = loaded_options(options);
    let run = ReportRun::<PendingExceptions>::new();
    title_with_errors(|| TITLE.to_owned(), run.errors);
    let organisation = RwSignal::new(
        session
            .acting_for()
            .map(|organisation| organisation.id)
            .unwrap_or_default(),
    );
    // The provider named above the table: the one chosen, when one is.
    let chosen_label = RwSignal::new(None::<String>);
    let organisation_groups = Signal::derive(move || {
        ungrouped(
            loaded()
                .map(|options| organisation_choices(&options))
                .unwrap_or_default(),
        )
    });
    let filters = move || ExceptionsFilters {
        organisation_id: organisation.get_untracked(),
    };
    let view_report = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let filters = filters();
        chosen_label.set(loaded().and_then(|options| {
            options
                .organisations
                .into_iter()
                .find(|choice| choice.id == filters.organisation_id)
                .map(|choice| choice.label)
        }));
        run.view(filters, fields());
    };
    let download = Callback::new(move |()| run.download(filters(), fields(), FILE_NAME));
    let options_problem = move || {
        options
            .get()
            .and_then(Result::err)
            .map(|problem| view! { <ProblemText problem /> })
    };
    let errors = run.errors;
    let report = move || {
        run.shown.get().map(
            |report| view! { <ExceptionsReport report provider=chosen_label.get_untracked() /> },
        )
    };
    view! {
        <ErrorSummary errors />
        <ReportHeading title=TITLE />
        <p class="govuk-body">
            "The exceptions raised on the actuals of the payment periods not yet paid. The payment status shows whether an actual is being considered for payment or is suspended."
        </p>
        {options_problem}
        <form novalidate class="app-filters app-report-filters" aria-label="Report filters" on:submit=view_report>
            <SelectInput id="exceptions-organisation" label="Organisation" value=organisation errors
                groups=organisation_groups />
            <ReportButtons on_download=download busy=run.busy />
        </form>
        {before_first_view(run)}
        {report}
    }
}

#[component]
fn ExceptionsReport(report: PendingExceptions, provider: Option<String>) -> impl IntoView {
    let provider = provider.unwrap_or_else(|| match providers(&report).join(", ") {
        names if names.is_empty() => "All".to_owned(),
        names => names,
    });
    let periods = if report.payment_periods.is_empty() {
        "None open".to_owned()
    } else {
        report.payment_periods.join("; ")
    };
    let columns = vec![
        Column::text("Exception Type"),
        Column::text("Actual"),
        Column::number("Threshold"),
        Column::number("Value"),
        Column::text("Payment Status"),
    ];
    let empty = report.rows.is_empty();
    let rows = report
        .rows
        .iter()
        .map(|row| {
            vec![
                Cell::plain(row.exception_type.clone()),
                Cell::plain(row.actual.clone()),
                Cell::plain(row.threshold.clone()),
                Cell::plain(row.value.clone()),
                Cell::plain(row.payment_status.clone()),
            ]
        })
        .collect();
    view! {
        <h2 class="govuk-heading-m">"Pending Payments Exception Report for all Contract Type Groups"</h2>
        <p class="govuk-body" data-testid="report-provider">"Provider: " {provider}</p>
        <p class="govuk-body" data-testid="report-periods">"Payment Period: " {periods}</p>
        {if empty {
            view! { <p class="govuk-body" role="status">"There are no exceptions in the open payment periods."</p> }.into_any()
        } else {
            view! {
                <SortableTable caption="Exceptions" columns rows test_id="exceptions-table" />
            }
            .into_any()
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_dto::PendingExceptionRow;

    fn row(organisation: &str) -> PendingExceptionRow {
        PendingExceptionRow {
            organisation: organisation.to_owned(),
            contract_id: "1".to_owned(),
            payment_period: "Ally Pally Care: 19/06/2023 - 25/06/2023".to_owned(),
            period_id: "5".to_owned(),
            exception_type: "Plan exceeded for week".to_owned(),
            actual: "Miss Fallon Sherrock (ab836000)".to_owned(),
            client_id: "2".to_owned(),
            week: "2023-06-19".to_owned(),
            threshold: "0%".to_owned(),
            value: "25%".to_owned(),
            payment_status: "Suspend".to_owned(),
        }
    }

    #[test]
    fn each_provider_is_named_once() {
        let report = PendingExceptions {
            payment_periods: Vec::new(),
            rows: vec![
                row("Ally Pally Ltd"),
                row("Diamond Home Care"),
                row("Ally Pally Ltd"),
            ],
        };
        assert_eq!(providers(&report), ["Ally Pally Ltd", "Diamond Home Care"]);
    }
}
