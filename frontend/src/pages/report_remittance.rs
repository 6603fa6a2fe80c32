//! Remittance Advice Provider Payments (DOMAIN 12; seed 000 "Remittance Advice Provider
//! Payments"): what a contract's finalised periods paid, line by line or (Summary) one
//! total per client, as the remittance advices say it.

use leptos::prelude::*;
use portal_dto::{RemittanceReport, ReportOptions};

use crate::api::RemittanceFilters;
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{ungrouped, Checkbox, Field, Options, SelectInput};
use crate::components::page_title::title_with_errors;
use crate::components::problem::ProblemText;
use crate::components::sortable_table::{Cell, Column, SortableTable};
use crate::format::{date_text, signed_money_text};
use crate::pages::payments::contract_label;
use crate::pages::reports::{
    before_first_view, loaded_options, report_options, ReportButtons, ReportHeading, ReportRun,
};
use crate::session::use_session;

const TITLE: &str = "Remittance Advice Provider Payments Report";
const FILE_NAME: &str = "remittance-advice.csv";

fn fields() -> Vec<Field> {
    vec![
        Field::new(
            "contract_id",
            "remittance-contract",
            "Contract",
            "Choose a contract",
        ),
        Field::new(
            "payment_method",
            "remittance-payment-method",
            "Payment Method",
            "Choose a payment method",
        ),
        Field::new(
            "period_id",
            "remittance-period",
            "Period",
            "Choose a period",
        ),
    ]
}

/// The contracts offered: those paid by the chosen payment method (all when none is).
pub fn contract_choices(options: &ReportOptions, payment_method: &str, council: bool) -> Options {
    options
        .contracts
        .iter()
        .filter(|contract| payment_method.is_empty() || contract.payment_model == payment_method)
        .map(|contract| (contract.id.clone(), contract_label(contract, council)))
        .collect()
}

/// The chosen contract's finalised periods, newest first, after "[All Periods]"; the
/// labels already end in " *" where a period was partially finalised.
pub fn period_choices(options: &ReportOptions, contract_id: &str) -> Options {
    std::iter::once((String::new(), "[All Periods]".to_owned()))
        .chain(
            options
                .remittance_periods
                .iter()
                .filter(|period| period.contract_id == contract_id)
                .map(|period| (period.id.clone(), period.label.clone())),
        )
        .collect()
}

#[component]
pub fn RemittanceReportPage() -> impl IntoView {
    let session = use_session();
    let options = report_options();
    let loaded = loaded_options(options);
    let run = ReportRun::<RemittanceReport>::new();
    title_with_errors(|| TITLE.to_owned(), run.errors);
    let contract = RwSignal::new(String::new());
    let payment_method = RwSignal::new(String::new());
    let period = RwSignal::new(String::new());
    let summary = RwSignal::new(false);
    let council = move || session.is_council();

    let method_groups = Signal::derive(move || {
        ungrouped(
            std::iter::once((String::new(), "[All]".to_owned()))
                .chain(
                    loaded()
                        .map(|options| options.payment_methods)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|choice| (choice.id, choice.label)),
                )
                .collect(),
        )
    });
    let contract_groups = Signal::derive(move || {
        let method = payment_method.get();
        ungrouped(
            loaded()
                .map(|options| contract_choices(&options, &method, council()))
                .unwrap_or_default(),
        )
    });
    let period_groups = Signal::derive(move || {
        let contract = contract.get();
        ungrouped(
            loaded()
                .map(|options| period_choices(&options, &contract))
                .unwrap_or_default(),
        )
    });
    // The contract shown is one offered: the first, until another is chosen. A period of
    // another contract is no filter.
    Effect::new(move |_| {
        let offered: Vec<String> = contract_groups.with(|groups| {
            groups
                .iter()
                .flat_map(|(_, options)| options.iter().map(|(id, _)| id.clone()))
                .collect()
        });
        if !offered.contains(&contract.get_untracked()) {
            contract.set(offered.first().cloned().unwrap_or_default());
        }
    });
    Effect::new(move |_| {
        let offered = period_groups.with(|groups| {
            groups
                .iter()
                .flat_map(|(_, options)| options)
                .any(|(id, _)| period.with_untracked(|period| period == id))
        });
        if !offered {
            period.set(String::new());
        }
    });

    let filters = move || -> Result<RemittanceFilters, Vec<SummaryError>> {
        let contract_id = contract.get_untracked();
        if contract_id.is_empty() {
            return Err(vec![SummaryError::at(
                "remittance-contract",
                "Choose a contract",
            )]);
        }
        Ok(RemittanceFilters {
            contract_id,
            payment_method: payment_method.get_untracked(),
            period_id: period.get_untracked(),
            summary: summary.get_untracked(),
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
            .map(|report| view! { <RemittanceRows report /> })
    };
    view! {
        <ErrorSummary errors />
        <ReportHeading title=TITLE />
        <p class="govuk-body">
            "The remittance advice of a contract's paid periods. Tick Summary for one total per client."
        </p>
        {options_problem}
        <form novalidate class="app-filters app-report-filters" aria-label="Report filters" on:submit=view_report>
            <div class="app-filters__fields">
                <SelectInput id="remittance-contract" label="Contract" value=contract errors groups=contract_groups />
                <SelectInput id="remittance-payment-method" label="Payment Method" value=payment_method errors
                    groups=method_groups />
                <SelectInput id="remittance-period" label="Period" value=period errors groups=period_groups
                    hint="(* Partially finalised payment periods)" />
            </div>
            <Checkbox id="remittance-summary" label="Summary" checked=summary
                hint="One row per client with the client's total" />
            <ReportButtons on_download=download busy=run.busy />
        </form>
        {before_first_view(run)}
        {report}
    }
}

#[component]
fn RemittanceRows(report: RemittanceReport) -> impl IntoView {
    if report.rows.is_empty() {
        return view! {
            <p class="govuk-body" role="status">"There is no remittance advice for these filters."</p>
        }
        .into_any();
    }
    let summary = report.summary;
    let mut columns = vec![
        Column::text("Period"),
        Column::text("Client"),
        Column::text("SSRef"),
    ];
    if !summary {
        columns.push(Column::text("Item"));
    }
    columns.extend([
        Column::date("Applicable Dates"),
        Column::number("Amount"),
        Column::number("VAT"),
    ]);
    if !summary {
        columns.push(Column::text("Status"));
    }
    let rows = report
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![
                Cell::plain(row.period.clone()),
                Cell::plain(row.client.clone()),
                Cell::plain(row.ssref.clone()),
            ];
            if !summary {
                cells.push(Cell::plain(row.item.clone()));
            }
            cells.extend([
                Cell::keyed(
                    format!("{} - {}", date_text(&row.from), date_text(&row.to)),
                    row.from.clone(),
                ),
                Cell::keyed(signed_money_text(&row.amount), row.amount.clone()),
                Cell::keyed(signed_money_text(&row.vat), row.vat.clone()),
            ]);
            if !summary {
                cells.push(Cell::plain(row.status.clone()));
            }
            cells
        })
        .collect();
    let caption = if summary {
        "Remittance advice summary"
    } else {
        "Remittance advice"
    };
    view! {
        <div class="app-scroll-region" role="region" aria-label=caption tabindex="0">
            <SortableTable caption columns rows test_id="remittance-table" />
        </div>
        <dl class="govuk-summary-list app-report-totals" data-testid="remittance-totals">
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Amount (ex. VAT)"</dt>
                <dd class="govuk-summary-list__value">{signed_money_text(&report.amount)}</dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"VAT"</dt>
                <dd class="govuk-summary-list__value">{signed_money_text(&report.vat)}</dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Total"</dt>
                <dd class="govuk-summary-list__value">{signed_money_text(&report.total)}</dd>
            </div>
        </dl>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_dto::{PaymentContract, RemittancePeriodChoice};

    fn options() -> ReportOptions {
        let contract = |id: &str, name: &str, model: &str| PaymentContract {
            id: id.into(),
            name: name.into(),
            organisation_id: "1".into(),
            organisation_name: "Ally Pally Ltd".into(),
            payment_model: model.into(),
            period_weeks: 1,
            vat_rate_percent: "0.00".into(),
        };
        ReportOptions {
            organisations: Vec::new(),
            service_group_classes: Vec::new(),
            clients: Vec::new(),
            contracts: vec![
                contract("1", "Ally Pally Care", "scheduled"),
                contract("2", "Ally Pally Invoiced", "invoiced"),
            ],
            payment_methods: Vec::new(),
            remittance_periods: vec![
                RemittancePeriodChoice {
                    id: "9".into(),
                    contract_id: "1".into(),
                    label: "02/05/2022 - 08/05/2022 *".into(),
                    partially_finalised: true,
                },
                RemittancePeriodChoice {
                    id: "10".into(),
                    contract_id: "2".into(),
                    label: "28/03/2022 - 24/04/2022".into(),
                    partially_finalised: false,
                },
            ],
            statuses: Vec::new(),
        }
    }

    #[test]
    fn contracts_follow_the_payment_method_and_periods_the_contract() {
        let options = options();
        assert_eq!(contract_choices(&options, "", false).len(), 2);
        assert_eq!(
            contract_choices(&options, "scheduled", true),
            [(
                "1".to_owned(),
                "Ally Pally Care (Ally Pally Ltd)".to_owned()
            )]
        );
        assert_eq!(
            period_choices(&options, "1"),
            [
                (String::new(), "[All Periods]".to_owned()),
                ("9".to_owned(), "02/05/2022 - 08/05/2022 *".to_owned())
            ]
        );
    }
}
