//! Pending Scheduled Payments (DOMAIN 12; seed 000 "Pending Scheduled Payments"): the
//! scheduled lines of the payment periods not yet finalised, with the status each is due to
//! be paid with, per period and client.

use std::str::FromStr;

use leptos::prelude::*;
use portal_domain::format::format_money;
use portal_dto::{PendingPaymentRow, PendingScheduledPayments};
use rust_decimal::Decimal;

use crate::api::PendingPaymentsFilters;
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{
    checked_date, ungrouped, DateInput, DateParts, Field, Options, SelectInput,
};
use crate::components::page_title::title_with_errors;
use crate::components::problem::ProblemText;
use crate::components::sortable_table::{Cell, Column, SortableTable};
use crate::format::{date_text, signed_money_text};
use crate::pages::reports::{
    before_first_view, loaded_options, organisation_choices, report_options, ReportButtons,
    ReportHeading, ReportRun,
};
use crate::session::use_session;

const TITLE: &str = "Pending Scheduled Payments Report";
const FILE_NAME: &str = "pending-scheduled-payments.csv";

/// The statuses a line may be due with, when the options name none.
const STATUSES: [(&str, &str); 4] = [
    ("pay", "Pay"),
    ("suspend", "Suspend"),
    ("cancel", "Cancel"),
    ("carry_forward", "Carry forward"),
];

fn fields() -> Vec<Field> {
    vec![
        Field::new(
            "organisation_id",
            "pending-organisation",
            "Organisation",
            "Choose an organisation",
        ),
        Field::new("status", "pending-status", "Status", "Choose a status"),
        Field::new(
            "from",
            "pending-from-day",
            "Date From",
            "Enter the date from",
        ),
        Field::new("to", "pending-to-day", "Date To", "Enter the date to"),
    ]
}

/// One payment period's lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodGroup {
    pub organisation: String,
    pub contract: String,
    pub period_start: String,
    pub period_end: String,
    pub rows: Vec<PendingPaymentRow>,
}

/// The rows, in the API's order (by period, then client), one group per period.
pub fn group_by_period(rows: &[PendingPaymentRow]) -> Vec<PeriodGroup> {
    let mut groups: Vec<(String, PeriodGroup)> = Vec::new();
    for row in rows {
        match groups.last_mut() {
            Some((period_id, group)) if *period_id == row.period_id => group.rows.push(row.clone()),
            _ => groups.push((
                row.period_id.clone(),
                PeriodGroup {
                    organisation: row.organisation.clone(),
                    contract: row.contract.clone(),
                    period_start: row.period_start.clone(),
                    period_end: row.period_end.clone(),
                    rows: vec![row.clone()],
                },
            )),
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

/// The period's sums of amount and VAT, as shown ("£180.00").
pub fn period_totals(rows: &[PendingPaymentRow]) -> (String, String) {
    let sum = |pick: fn(&PendingPaymentRow) -> &str| -> Decimal {
        rows.iter()
            .filter_map(|row| Decimal::from_str(pick(row).trim()).ok())
            .sum()
    };
    (
        format_money(sum(|row| &row.amount)),
        format_money(sum(|row| &row.vat)),
    )
}

/// "19/06/2023 - 25/06/2023".
pub fn dates_text(from: &str, to: &str) -> String {
    format!("{} - {}", date_text(from), date_text(to))
}

#[component]
pub fn PendingPaymentsReportPage() -> impl IntoView {
    let session = use_session();
    let options = report_options();
    let loaded = loaded_options(options);
    let run = ReportRun::<PendingScheduledPayments>::new();
    title_with_errors(|| TITLE.to_owned(), run.errors);
    let organisation = RwSignal::new(
        session
            .acting_for()
            .map(|organisation| organisation.id)
            .unwrap_or_default(),
    );
    let status = RwSignal::new(String::new());
    let from = DateParts::new();
    let to = DateParts::new();

    let organisation_groups = Signal::derive(move || {
        ungrouped(
            loaded()
                .map(|options| organisation_choices(&options))
                .unwrap_or_default(),
        )
    });
    let status_groups = Signal::derive(move || {
        let offered = loaded().map(|options| options.statuses).unwrap_or_default();
        let statuses: Options = if offered.is_empty() {
            STATUSES
                .iter()
                .map(|(id, label)| ((*id).to_owned(), (*label).to_owned()))
                .collect()
        } else {
            offered
                .into_iter()
                .map(|choice| (choice.id, choice.label))
                .collect()
        };
        ungrouped(
            std::iter::once((String::new(), "[All]".to_owned()))
                .chain(statuses)
                .collect(),
        )
    });

    let filters = move || -> Result<PendingPaymentsFilters, Vec<SummaryError>> {
        let mut errors = Vec::new();
        let from = checked_date(&from, "pending-from", "Date From", None, &mut errors);
        let to = checked_date(&to, "pending-to", "Date To", None, &mut errors);
        if let (Some(from), Some(to)) = (&from, &to) {
            if from > to {
                errors.push(SummaryError::at(
                    "pending-to-day",
                    "Date To must be the same as or after Date From",
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(PendingPaymentsFilters {
            organisation_id: organisation.get_untracked(),
            status: status.get_untracked(),
            from: from.unwrap_or_default(),
            to: to.unwrap_or_default(),
        })
    };
    let view_report = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match filters() {
            Ok(filters) => run.view(filters, fields()),
            Err(errors) => run.errors.set(errors),
        }
    };
    let download = Callback::new(move |()| match filters() {
        Ok(filters) => run.download(filters, fields(), FILE_NAME),
        Err(errors) => run.errors.set(errors),
    });
    let options_problem = move || {
        options
            .get()
            .and_then(Result::err)
            .map(|problem| view! { <ProblemText problem /> })
    };
    let errors = run.errors;
    let report = move || {
        run.shown
            .get()
            .map(|report| view! { <PendingPaymentsReport report /> })
    };
    view! {
        <ErrorSummary errors />
        <ReportHeading title=TITLE />
        <p class="govuk-body">
            "The scheduled payments of the periods not yet finalised, and the status each line is due to be paid with. Leave the dates empty for every open period."
        </p>
        {options_problem}
        <form novalidate class="app-filters app-report-filters" aria-label="Report filters" on:submit=view_report>
            <div class="app-filters__fields">
                <SelectInput id="pending-organisation" label="Organisation" value=organisation errors
                    groups=organisation_groups />
                <SelectInput id="pending-status" label="Status" value=status errors groups=status_groups />
            </div>
            <div class="app-filters__fields">
                <DateInput id="pending-from" legend="Date From" parts=from errors />
                <DateInput id="pending-to" legend="Date To" parts=to errors />
            </div>
            <ReportButtons on_download=download busy=run.busy />
        </form>
        {before_first_view(run)}
        {report}
    }
}

#[component]
fn PendingPaymentsReport(report: PendingScheduledPayments) -> impl IntoView {
    if report.rows.is_empty() {
        return view! {
            <p class="govuk-body" role="status">"There are no pending scheduled payments for these filters."</p>
        }
        .into_any();
    }
    let periods = group_by_period(&report.rows)
        .into_iter()
        .map(|group| {
            let period = dates_text(&group.period_start, &group.period_end);
            let (amount, vat) = period_totals(&group.rows);
            let columns = vec![
                Column::text("Client"),
                Column::text("Service"),
                Column::text("Item Notes"),
                Column::date("Item Dates"),
                Column::text("Status"),
                Column::number("Amount (ex. VAT)"),
                Column::number("VAT"),
            ];
            let rows = group
                .rows
                .iter()
                .map(|row| {
                    vec![
                        Cell::keyed(
                            format!("{} ({})", row.client.sort_name, row.client.ssref),
                            row.client.sort_name.clone(),
                        ),
                        Cell::plain(row.service.clone()),
                        Cell::plain(row.item_notes.clone()),
                        Cell::keyed(dates_text(&row.item_from, &row.item_to), row.item_from.clone()),
                        Cell::plain(row.status.clone()),
                        Cell::keyed(signed_money_text(&row.amount), row.amount.clone()),
                        Cell::keyed(signed_money_text(&row.vat), row.vat.clone()),
                    ]
                })
                .collect();
            let caption = format!("{}: {period}", group.contract);
            let region = caption.clone();
            view! {
                <h3 class="govuk-heading-s app-report-group">{format!("From {period}")}</h3>
                <dl class="govuk-summary-list govuk-summary-list--no-border app-report-period">
                    <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">"Provider"</dt>
                        <dd class="govuk-summary-list__value">{group.organisation.clone()}</dd>
                    </div>
                    <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">"Contract"</dt>
                        <dd class="govuk-summary-list__value">{group.contract.clone()}</dd>
                    </div>
                    <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">"For Period"</dt>
                        <dd class="govuk-summary-list__value">{period.clone()}</dd>
                    </div>
                </dl>
                <div class="app-scroll-region" role="region" aria-label=region tabindex="0">
                    <SortableTable caption columns rows test_id="pending-table"
                        footer=vec![vec![Cell::plain("Period total"), Cell::plain(amount), Cell::plain(vat)]] />
                </div>
            }
        })
        .collect_view();
    view! {
        {periods}
        <h3 class="govuk-heading-s">"Totals"</h3>
        <dl class="govuk-summary-list app-report-totals" data-testid="pending-totals">
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Amount (ex. VAT)"</dt>
                <dd class="govuk-summary-list__value">{signed_money_text(&report.amount)}</dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"VAT"</dt>
                <dd class="govuk-summary-list__value">{signed_money_text(&report.vat)}</dd>
            </div>
        </dl>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_dto::ClientRef;

    fn row(period: &str, client: &str, amount: &str) -> PendingPaymentRow {
        PendingPaymentRow {
            organisation: "Ally Pally Ltd".into(),
            contract_id: "1".into(),
            contract: "Ally Pally Care".into(),
            period_id: period.into(),
            period_start: "2023-06-19".into(),
            period_end: "2023-06-25".into(),
            client: ClientRef {
                id: client.into(),
                ssref: "96836000".into(),
                display_name: "Mr Eric Bristow".into(),
                sort_name: "Bristow, Eric".into(),
            },
            service: "Ally Pally Home Care".into(),
            item_notes: "Homecare Flexible - Bradford - Single-handed (Hour), Spot.".into(),
            item_from: "2023-06-19".into(),
            item_to: "2023-06-25".into(),
            status: "Pay".into(),
            amount: amount.into(),
            vat: "0.00".into(),
        }
    }

    #[test]
    fn lines_group_by_period_and_each_period_sums_its_own() {
        let rows = [
            row("1", "1", "140.00"),
            row("1", "1", "40.00"),
            row("2", "1", "10.00"),
        ];
        let groups = group_by_period(&rows);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].rows.len(), 2);
        assert_eq!(
            period_totals(&groups[0].rows),
            ("£180.00".to_owned(), "£0.00".to_owned())
        );
        assert_eq!(
            dates_text("2023-06-19", "2023-06-25"),
            "19/06/2023 - 25/06/2023"
        );
    }
}
