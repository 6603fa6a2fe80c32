//! Commissioned Vs Actuals (DOMAIN 12; seed 002 "Reports", seed 000 "Commissioned Vs
//! Actuals"): planned care against the actuals recorded, week by week, for any dates. The
//! rows are grouped as the guide's report is (organisation, service, service level, then
//! client, with each client's and each level's totals); a chart draws commissioned against
//! delivered per week; the rows can also be read as one sortable table.

use leptos::prelude::*;
use portal_domain::calendar::iso_date;
use portal_domain::Week;
use portal_dto::{CommissionedFigures, CommissionedRow, CommissionedTotal, CommissionedVsActuals};
use time::{Date, Duration};

use crate::api::CommissionedFilters;
use crate::components::cva_chart::CvaChart;
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{
    checked_date, ungrouped, Checkbox, DateInput, DateParts, Field, Options, SelectInput,
};
use crate::components::page_title::title_with_errors;
use crate::components::problem::ProblemText;
use crate::components::sortable_table::{Cell, Column, SortableTable};
use crate::format::{date_text, signed_money_text, signed_quantity_text};
use crate::pages::reports::{
    before_first_view, loaded_options, organisation_choices, report_options, ReportButtons,
    ReportHeading, ReportRun,
};
use crate::session::use_session;

const TITLE: &str = "Commissioned Vs Actuals Report";
const FILE_NAME: &str = "commissioned-vs-actuals.csv";

/// The last four whole weeks before the week of `today`: Monday four weeks back to last
/// Sunday.
pub fn last_four_whole_weeks(today: Date) -> (Date, Date) {
    let this_monday = Week::containing(today).monday();
    (
        this_monday - Duration::weeks(4),
        this_monday - Duration::days(1),
    )
}

/// "Angelo, Iris (A1)", as the guide heads a client's rows.
pub fn client_label(row: &CommissionedRow) -> String {
    format!("{} ({})", row.client.sort_name, row.client.ssref)
}

/// One client's rows at one service level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientGroup {
    pub client_id: String,
    pub label: String,
    pub rows: Vec<CommissionedRow>,
}

/// One service level's rows, by client, with the organisation and service it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelGroup {
    pub organisation: String,
    pub service: String,
    pub service_group_class: String,
    pub service_level_id: String,
    pub service_level: String,
    /// The earliest "Service Start" of the level's rows (ISO).
    pub service_start: String,
    pub clients: Vec<ClientGroup>,
}

/// The rows, in the API's order, grouped as the guide's report shows them: a new group at
/// each change of organisation, service or service level, and within it of client.
pub fn group_rows(rows: &[CommissionedRow]) -> Vec<LevelGroup> {
    let mut levels: Vec<LevelGroup> = Vec::new();
    for row in rows {
        let same_level = levels.last().is_some_and(|level| {
            level.service_level_id == row.service_level_id
                && level.organisation == row.organisation
                && level.service == row.service
        });
        if !same_level {
            levels.push(LevelGroup {
                organisation: row.organisation.clone(),
                service: row.service.clone(),
                service_group_class: row.service_group_class.clone(),
                service_level_id: row.service_level_id.clone(),
                service_level: row.service_level.clone(),
                service_start: row.service_start.clone(),
                clients: Vec::new(),
            });
        }
        let Some(level) = levels.last_mut() else {
            continue;
        };
        if !row.service_start.is_empty()
            && (level.service_start.is_empty() || row.service_start < level.service_start)
        {
            level.service_start = row.service_start.clone();
        }
        match level.clients.last_mut() {
            Some(client) if client.client_id == row.client.id => client.rows.push(row.clone()),
            _ => level.clients.push(ClientGroup {
                client_id: row.client.id.clone(),
                label: client_label(row),
                rows: vec![row.clone()],
            }),
        }
    }
    levels
}

/// A client's total at a level, or (with no client) the level's total.
pub fn total_of<'a>(
    totals: &'a [CommissionedTotal],
    service_level_id: &str,
    client_id: Option<&str>,
) -> Option<&'a CommissionedFigures> {
    totals
        .iter()
        .find(|total| {
            total.service_level_id == service_level_id && total.client_id.as_deref() == client_id
        })
        .map(|total| &total.figures)
}

/// The eight figures as the report's cells: quantities, then money.
pub fn figure_texts(figures: &CommissionedFigures) -> [String; 8] {
    [
        signed_quantity_text(&figures.commissioned_units),
        signed_quantity_text(&figures.actual_units),
        signed_quantity_text(&figures.frustrated_units),
        signed_quantity_text(&figures.difference_units),
        signed_money_text(&figures.commissioned_cost),
        signed_money_text(&figures.actual_cost),
        signed_money_text(&figures.frustrated_cost),
        signed_money_text(&figures.difference_cost),
    ]
}

fn yes_no(value: bool) -> &'static str {
    if value {
        "Y"
    } else {
        "N"
    }
}

/// The filters as the API names them, pinned to the form's inputs.
fn fields() -> Vec<Field> {
    vec![
        Field::new(
            "service_group_class",
            "cva-service-group-class",
            "Service Group Class",
            "Choose a service group class",
        ),
        Field::new(
            "organisation_id",
            "cva-organisation",
            "Organisation",
            "Choose an organisation",
        ),
        Field::new("client_id", "cva-client", "Client", "Choose a client"),
        Field::new("from", "cva-from-day", "Date From", "Enter the date from"),
        Field::new("to", "cva-to-day", "Date To", "Enter the date to"),
    ]
}

#[component]
pub fn CommissionedReportPage() -> impl IntoView {
    let session = use_session();
    let options = report_options();
    let loaded = loaded_options(options);
    let run = ReportRun::<CommissionedVsActuals>::new();
    title_with_errors(|| TITLE.to_owned(), run.errors);

    let service_group_class = RwSignal::new(String::new());
    let organisation = RwSignal::new(
        session
            .acting_for()
            .map(|organisation| organisation.id)
            .unwrap_or_default(),
    );
    let client = RwSignal::new(String::new());
    let (first, last) = last_four_whole_weeks(crate::format::today());
    let from = DateParts::new();
    from.set_iso(Some(&iso_date(first)));
    let to = DateParts::new();
    to.set_iso(Some(&iso_date(last)));
    let differences_only = RwSignal::new(false);
    let include_weeks_without_actuals = RwSignal::new(false);
    let viewed_differences = RwSignal::new(false);

    let class_choices = Signal::derive(move || {
        let classes: Options =
            std::iter::once((String::new(), "[All Service Group Classes]".to_owned()))
                .chain(
                    loaded()
                        .map(|options| options.service_group_classes)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|class| (class.clone(), class)),
                )
                .collect();
        ungrouped(classes)
    });
    let organisation_groups = Signal::derive(move || {
        ungrouped(
            loaded()
                .map(|options| organisation_choices(&options))
                .unwrap_or_default(),
        )
    });
    // The clients of the chosen organisation (all of them when none is chosen).
    let client_choices = Signal::derive(move || {
        let chosen = organisation.get();
        let clients: Options = std::iter::once((String::new(), "[All Clients]".to_owned()))
            .chain(
                loaded()
                    .map(|options| options.clients)
                    .unwrap_or_default()
                    .into_iter()
                    .filter(|client| chosen.is_empty() || client.organisation_ids.contains(&chosen))
                    .map(|client| (client.id, client.label)),
            )
            .collect();
        ungrouped(clients)
    });
    // A client of another organisation is no longer a filter once the organisation changes.
    Effect::new(move |_| {
        let offered = client_choices.with(|groups| {
            groups
                .iter()
                .flat_map(|(_, options)| options)
                .any(|(id, _)| client.with_untracked(|client| client == id))
        });
        if !offered {
            client.set(String::new());
        }
    });

    let filters = move || -> Result<CommissionedFilters, Vec<SummaryError>> {
        let mut errors = Vec::new();
        let from = checked_date(
            &from,
            "cva-from",
            "Date From",
            Some("Enter the date from"),
            &mut errors,
        );
        let to = checked_date(
            &to,
            "cva-to",
            "Date To",
            Some("Enter the date to"),
            &mut errors,
        );
        if let (Some(from), Some(to)) = (&from, &to) {
            if from > to {
                errors.push(SummaryError::at(
                    "cva-to-day",
                    "Date To must be the same as or after Date From",
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CommissionedFilters {
            from: from.unwrap_or_default(),
            to: to.unwrap_or_default(),
            service_group_class: service_group_class.get_untracked(),
            organisation_id: organisation.get_untracked(),
            client_id: client.get_untracked(),
            differences_only: differences_only.get_untracked(),
            include_weeks_without_actuals: include_weeks_without_actuals.get_untracked(),
        })
    };
    let view_report = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        match filters() {
            Ok(filters) => {
                viewed_differences.set(filters.differences_only);
                run.view(filters, fields());
            }
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
        run.shown.get().map(|report| {
            view! { <CommissionedReport report differences=viewed_differences.get_untracked() /> }
        })
    };

    view! {
        <ErrorSummary errors />
        <ReportHeading title=TITLE />
        <p class="govuk-body">
            "Compares the planned service delivery with the actuals submitted for any dates. Tick Differences Only to see only the weeks where the actuals differ from the plan."
        </p>
        {options_problem}
        <form novalidate class="app-filters app-report-filters" aria-label="Report filters" on:submit=view_report>
            <div class="app-filters__fields">
                <SelectInput id="cva-service-group-class" label="Service Group Class" value=service_group_class
                    errors groups=class_choices />
                <SelectInput id="cva-organisation" label="Organisation" value=organisation errors
                    groups=organisation_groups />
                <SelectInput id="cva-client" label="Client" value=client errors groups=client_choices />
            </div>
            <div class="app-filters__fields">
                <DateInput id="cva-from" legend="Date From" parts=from errors />
                <DateInput id="cva-to" legend="Date To" parts=to errors />
            </div>
            <Checkbox id="cva-differences-only" label="Differences Only" checked=differences_only
                hint="Only the weeks whose actuals differ from the plan" />
            <Checkbox id="cva-include-weeks-without-actuals" label="Include Weeks Without Actuals"
                checked=include_weeks_without_actuals hint="Also planned weeks with no actuals recorded" />
            <ReportButtons on_download=download busy=run.busy />
        </form>
        {before_first_view(run)}
        {report}
    }
}

/// The report as viewed: its description, the chart, then the rows grouped or sortable.
#[component]
fn CommissionedReport(report: CommissionedVsActuals, differences: bool) -> impl IntoView {
    let grouped = RwSignal::new(true);
    let heading = if differences {
        "Commissioned Vs Actual Differences Report"
    } else {
        "Commissioned Vs Actuals Report"
    };
    let empty = report.rows.is_empty();
    let chart =
        (!report.weeks.is_empty()).then(|| view! { <CvaChart weeks=report.weeks.clone() /> });
    let report = StoredValue::new(report);
    let rows = move || {
        if grouped.get() {
            report
                .with_value(|report| view! { <GroupedRows report=report.clone() /> })
                .into_any()
        } else {
            report
                .with_value(|report| view! { <FlatRows report=report.clone() /> })
                .into_any()
        }
    };
    view! {
        <h2 class="govuk-heading-m">{heading}</h2>
        <p class="govuk-body" data-testid="report-description">{report.with_value(|report| report.description.clone())}</p>
        {if empty {
            view! { <p class="govuk-body" role="status">"There are no rows for these filters."</p> }.into_any()
        } else {
            view! {
                {chart}
                <h2 class="govuk-heading-m">"Rows"</h2>
                <Checkbox id="cva-group-by-client" label="Group by client" checked=grouped
                    hint="Untick to see every row in one table you can sort" />
                {rows}
            }
            .into_any()
        }}
    }
}

/// One table per service level, as the guide's report: each client's rows with a "Client
/// Totals" row, then the level's "Service Level Totals".
#[component]
fn GroupedRows(report: CommissionedVsActuals) -> impl IntoView {
    let mut last_organisation = String::new();
    let mut last_service = String::new();
    group_rows(&report.rows)
        .into_iter()
        .map(|level| {
            let organisation_heading = (level.organisation != last_organisation).then(|| {
                view! {
                    <h3 class="govuk-heading-m app-report-group">
                        {level.organisation.clone()}
                        <span class="govuk-caption-m">{level.service_group_class.clone()}</span>
                    </h3>
                }
            });
            let service_heading = (level.service != last_service
                || level.organisation != last_organisation)
                .then(|| view! { <h4 class="govuk-heading-s">{format!("Service: {}", level.service)}</h4> });
            last_organisation = level.organisation.clone();
            last_service = level.service.clone();
            let level_total = total_of(&report.service_level_totals, &level.service_level_id, None)
                .map(figure_texts);
            let clients = level
                .clients
                .iter()
                .map(|client| {
                    let rows = client.rows.iter().map(row_view).collect_view();
                    let total = total_of(
                        &report.client_totals,
                        &level.service_level_id,
                        Some(&client.client_id),
                    )
                    .map(|figures| total_row("Client Totals", figure_texts(figures)));
                    view! {
                        <tbody class="govuk-table__body">
                            <tr class="govuk-table__row app-report-client">
                                <th scope="rowgroup" colspan="13" class="govuk-table__header">{client.label.clone()}</th>
                            </tr>
                            {rows}
                            {total}
                        </tbody>
                    }
                })
                .collect_view();
            let caption = format!(
                "{}, Service Start {}",
                level.service_level,
                date_text(&level.service_start)
            );
            view! {
                {organisation_heading}
                {service_heading}
                <div class="app-scroll-region" role="region" aria-label=caption.clone() tabindex="0">
                    <table class="govuk-table app-report-table" data-testid="cva-level-table">
                        <caption class="govuk-table__caption govuk-table__caption--s">{caption.clone()}</caption>
                        <thead class="govuk-table__head">
                            <tr class="govuk-table__row">
                                <td colspan="5" class="govuk-table__cell"></td>
                                <th scope="colgroup" colspan="4" class="govuk-table__header app-report-band">"Quantity"</th>
                                <th scope="colgroup" colspan="4" class="govuk-table__header app-report-band">"Cost"</th>
                            </tr>
                            <tr class="govuk-table__row">
                                <th scope="col" class="govuk-table__header">"Actual Week"</th>
                                <th scope="col" class="govuk-table__header"><abbr title="Generated from plan">"Gen."</abbr></th>
                                <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Visits"</th>
                                <th scope="col" class="govuk-table__header">"Cost Centre"</th>
                                <th scope="col" class="govuk-table__header">"Subjective"</th>
                                {figure_headers()}
                                {figure_headers()}
                            </tr>
                        </thead>
                        {clients}
                        <tbody class="govuk-table__body">
                            {level_total.map(|texts| total_row("Service Level Totals", texts))}
                        </tbody>
                    </table>
                </div>
            }
        })
        .collect_view()
}

fn figure_headers() -> impl IntoView {
    view! {
        <th scope="col" class="govuk-table__header govuk-table__header--numeric"><abbr title="Commissioned">"Comm."</abbr></th>
        <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Actual"</th>
        <th scope="col" class="govuk-table__header govuk-table__header--numeric"><abbr title="Frustrated">"Frust."</abbr></th>
        <th scope="col" class="govuk-table__header govuk-table__header--numeric"><abbr title="Difference">"Diff."</abbr></th>
    }
}

fn figure_cells(texts: [String; 8]) -> impl IntoView {
    texts
        .into_iter()
        .map(|text| view! { <td class="govuk-table__cell govuk-table__cell--numeric app-nowrap">{text}</td> })
        .collect_view()
}

fn row_view(row: &CommissionedRow) -> impl IntoView {
    view! {
        <tr class="govuk-table__row">
            <td class="govuk-table__cell app-nowrap">{date_text(&row.week)}</td>
            <td class="govuk-table__cell">{yes_no(row.generated)}</td>
            <td class="govuk-table__cell govuk-table__cell--numeric">
                {row.visits.as_deref().map(signed_quantity_text).unwrap_or_default()}
            </td>
            <td class="govuk-table__cell">{row.cost_centre.clone()}</td>
            <td class="govuk-table__cell">{row.subjective.clone()}</td>
            {figure_cells(figure_texts(&row.figures))}
        </tr>
    }
}

fn total_row(label: &'static str, texts: [String; 8]) -> impl IntoView {
    view! {
        <tr class="govuk-table__row app-report-total">
            <th scope="row" colspan="5" class="govuk-table__header">{label}</th>
            {figure_cells(texts)}
        </tr>
    }
}

/// Every row in one sortable table, with the report's totals at its foot.
#[component]
fn FlatRows(report: CommissionedVsActuals) -> impl IntoView {
    let columns = vec![
        Column::text("Client"),
        Column::text("Service Level"),
        Column::date("Actual Week"),
        Column::text("Gen."),
        Column::number("Visits"),
        Column::text("Cost Centre"),
        Column::text("Subjective"),
        Column::number("Quantity Comm."),
        Column::number("Quantity Actual"),
        Column::number("Quantity Frust."),
        Column::number("Quantity Diff."),
        Column::number("Cost Comm."),
        Column::number("Cost Actual"),
        Column::number("Cost Frust."),
        Column::number("Cost Diff."),
    ];
    let rows = report
        .rows
        .iter()
        .map(|row| {
            let figures = &row.figures;
            let raw = [
                &figures.commissioned_units,
                &figures.actual_units,
                &figures.frustrated_units,
                &figures.difference_units,
                &figures.commissioned_cost,
                &figures.actual_cost,
                &figures.frustrated_cost,
                &figures.difference_cost,
            ];
            let mut cells = vec![
                Cell::plain(client_label(row)),
                Cell::plain(row.service_level.clone()),
                Cell::keyed(date_text(&row.week), row.week.clone()),
                Cell::plain(yes_no(row.generated)),
                Cell::keyed(
                    row.visits
                        .as_deref()
                        .map(signed_quantity_text)
                        .unwrap_or_default(),
                    row.visits.clone().unwrap_or_default(),
                ),
                Cell::plain(row.cost_centre.clone()),
                Cell::plain(row.subjective.clone()),
            ];
            cells.extend(
                figure_texts(figures)
                    .into_iter()
                    .zip(raw)
                    .map(|(shown, key)| Cell::keyed(shown, key.clone())),
            );
            cells
        })
        .collect();
    let mut totals = vec![Cell::plain("Totals")];
    totals.extend(figure_texts(&report.totals).into_iter().map(Cell::plain));
    view! {
        <div class="app-scroll-region" role="region" aria-label="Every row, sortable" tabindex="0">
            <SortableTable caption="Every row, sortable" columns rows footer=vec![totals]
                test_id="cva-flat-table" />
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_dto::ClientRef;
    use time::macros::date;

    #[test]
    fn the_default_dates_are_the_last_four_whole_weeks() {
        // A Wednesday: back to Monday 4 weeks before this week's, up to last Sunday.
        assert_eq!(
            last_four_whole_weeks(date!(2022 - 05 - 04)),
            (date!(2022 - 04 - 04), date!(2022 - 05 - 01))
        );
        // A Monday: this week has not been worked yet, so it is not counted.
        assert_eq!(
            last_four_whole_weeks(date!(2022 - 05 - 02)),
            (date!(2022 - 04 - 04), date!(2022 - 05 - 01))
        );
    }

    fn figures(diff: &str) -> CommissionedFigures {
        CommissionedFigures {
            commissioned_units: "5.00".into(),
            actual_units: "3.00".into(),
            frustrated_units: "0.00".into(),
            difference_units: "-2.00".into(),
            commissioned_cost: "1072.30".into(),
            actual_cost: "643.38".into(),
            frustrated_cost: "0.00".into(),
            difference_cost: diff.into(),
        }
    }

    fn row(level: &str, client: &str, week: &str, start: &str) -> CommissionedRow {
        CommissionedRow {
            organisation_id: "3".into(),
            organisation: "Day Opportunities PP Home".into(),
            service_id: "4".into(),
            service: "Day Opportunities PP Home".into(),
            service_group_class: "Day Opportunities".into(),
            service_level_id: level.into(),
            service_level: format!("Level {level}"),
            client: ClientRef {
                id: client.into(),
                ssref: format!("A{client}"),
                display_name: "Mrs Iris Angelo".into(),
                sort_name: "Angelo, Iris".into(),
            },
            cpli_id: "9".into(),
            service_start: start.into(),
            week: week.into(),
            generated: false,
            has_actual: true,
            visits: Some("3".into()),
            cost_centre: "Physical Support 65+".into(),
            subjective: "Day Care".into(),
            figures: figures("-428.92"),
        }
    }

    #[test]
    fn rows_group_by_level_then_client_in_the_api_order() {
        let rows = [
            row("1", "1", "2022-04-04", "2022-03-28"),
            row("1", "1", "2022-04-11", "2022-03-28"),
            row("1", "2", "2022-04-04", "2022-03-21"),
            row("2", "1", "2022-04-04", "2022-04-01"),
        ];
        let groups = group_rows(&rows);
        assert_eq!(groups.len(), 2);
        assert_eq!(groups[0].service_level, "Level 1");
        assert_eq!(groups[0].service_start, "2022-03-21");
        let clients: Vec<(&str, usize)> = groups[0]
            .clients
            .iter()
            .map(|client| (client.label.as_str(), client.rows.len()))
            .collect();
        assert_eq!(
            clients,
            [("Angelo, Iris (A1)", 2), ("Angelo, Iris (A2)", 1)]
        );
        assert_eq!(groups[1].clients.len(), 1);
    }

    #[test]
    fn totals_are_found_per_client_and_per_level_and_read_as_the_guide() {
        let totals = [
            CommissionedTotal {
                service_level_id: "1".into(),
                client_id: Some("1".into()),
                label: "Angelo, Iris (A1)".into(),
                figures: figures("-428.92"),
            },
            CommissionedTotal {
                service_level_id: "1".into(),
                client_id: None,
                label: "Level 1".into(),
                figures: figures("-1.00"),
            },
        ];
        let client = total_of(&totals, "1", Some("1")).map(figure_texts);
        assert_eq!(
            client.unwrap(),
            [
                "5",
                "3",
                "0",
                "-2",
                "£1,072.30",
                "£643.38",
                "£0.00",
                "-£428.92"
            ]
        );
        assert_eq!(
            total_of(&totals, "1", None).map(|figures| figures.difference_cost.as_str()),
            Some("-1.00")
        );
        assert_eq!(total_of(&totals, "2", None), None);
    }
}
