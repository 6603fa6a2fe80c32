//! The Care Package Line Items table, sortable as the MOJ "sortable table" pattern is: each
//! sortable column's header is a button inside the `<th>`, and the `<th>` carries
//! `aria-sort`. Sorting happens here, in the browser, on the rows the API sent.

use std::cmp::Ordering;
use std::str::FromStr;

use leptos::prelude::*;
use portal_domain::calendar::parse_iso_date;
use portal_dto::CpliSummary;
use rust_decimal::Decimal;
use time::Date;

use crate::format::date_text;

/// The table's columns, in the guides' order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    SsRef,
    Client,
    Service,
    ServiceLevel,
    Start,
    End,
    Cost,
    Pricing,
    Id,
    Auth,
}

impl Column {
    pub const ALL: [Column; 10] = [
        Column::SsRef,
        Column::Client,
        Column::Service,
        Column::ServiceLevel,
        Column::Start,
        Column::End,
        Column::Cost,
        Column::Pricing,
        Column::Id,
        Column::Auth,
    ];

    pub fn heading(self) -> &'static str {
        match self {
            Column::SsRef => "SSRef",
            Column::Client => "Client",
            Column::Service => "Service",
            Column::ServiceLevel => "Service Level",
            Column::Start => "Start",
            Column::End => "End",
            Column::Cost => "Cost",
            Column::Pricing => "Pricing",
            Column::Id => "CPLI ID",
            Column::Auth => "Auth",
        }
    }

    /// Money reads right-aligned, so pounds line up with pounds.
    pub fn is_numeric(self) -> bool {
        self == Column::Cost
    }

    /// The order of two rows by this column, ascending.
    pub fn compare(self, a: &CpliSummary, b: &CpliSummary) -> Ordering {
        match self {
            Column::SsRef => text_order(&a.ssref, &b.ssref),
            Column::Client => text_order(&a.client_name, &b.client_name)
                .then_with(|| text_order(&a.ssref, &b.ssref)),
            Column::Service => text_order(&a.service_name, &b.service_name),
            Column::ServiceLevel => text_order(&a.service_level_name, &b.service_level_name),
            Column::Start => date_of(&a.start).cmp(&date_of(&b.start)),
            Column::End => end_order(a.end.as_deref(), b.end.as_deref()),
            Column::Cost => cost_of(a).cmp(&cost_of(b)),
            Column::Pricing => text_order(&a.pricing, &b.pricing),
            Column::Id => id_order(&a.id, &b.id),
            Column::Auth => a.authorised.cmp(&b.authorised),
        }
    }

    /// The cell's text, as the guides show it.
    pub fn cell_text(self, cpli: &CpliSummary) -> String {
        match self {
            Column::SsRef => cpli.ssref.clone(),
            Column::Client => cpli.client_name.clone(),
            Column::Service => cpli.service_name.clone(),
            Column::ServiceLevel => cpli.service_level_name.clone(),
            Column::Start => date_text(&cpli.start),
            Column::End => end_text(cpli.end.as_deref()),
            Column::Cost => cpli.cost_label.clone(),
            Column::Pricing => cpli.pricing.clone(),
            Column::Id => cpli.id.clone(),
            Column::Auth => yes_no(cpli.authorised).to_owned(),
        }
    }
}

/// "-" for a CPLI with no end date, as the guides' lists show it.
pub fn end_text(end: Option<&str>) -> String {
    end.map(date_text).unwrap_or_else(|| "-".to_owned())
}

pub fn yes_no(value: bool) -> &'static str {
    if value {
        "Yes"
    } else {
        "No"
    }
}

/// Case-insensitive, so "de Souza" sorts among the Ds.
fn text_order(a: &str, b: &str) -> Ordering {
    a.to_lowercase()
        .cmp(&b.to_lowercase())
        .then_with(|| a.cmp(b))
}

/// An unreadable date sorts first rather than hiding the row.
fn date_of(iso: &str) -> Option<Date> {
    parse_iso_date(iso).ok()
}

/// No end date means the care goes on: later than any date.
fn end_order(a: Option<&str>, b: Option<&str>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Greater,
        (Some(_), None) => Ordering::Less,
        (Some(a), Some(b)) => date_of(a).cmp(&date_of(b)),
    }
}

/// The weekly cost as a decimal: never a float, so £56.56 and £56.560001 cannot tie wrongly.
fn cost_of(cpli: &CpliSummary) -> Option<Decimal> {
    Decimal::from_str(cpli.weekly_cost.trim()).ok()
}

/// Ids are opaque strings, but numbers among them sort as numbers (2 before 10).
fn id_order(a: &str, b: &str) -> Ordering {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(a), Ok(b)) => a.cmp(&b),
        _ => a.cmp(b),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ascending,
    Descending,
}

impl Direction {
    /// The value of `aria-sort`.
    pub fn aria(self) -> &'static str {
        match self {
            Direction::Ascending => "ascending",
            Direction::Descending => "descending",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub direction: Direction,
}

impl Sort {
    /// What pressing a column's button does: a new column sorts ascending, the sorted one
    /// flips (the MOJ pattern's behaviour).
    pub fn after_pressing(current: Option<Sort>, column: Column) -> Sort {
        let direction = match current {
            Some(sort) if sort.column == column && sort.direction == Direction::Ascending => {
                Direction::Descending
            }
            _ => Direction::Ascending,
        };
        Sort { column, direction }
    }
}

/// The rows in the order chosen; unsorted, the API's order (by client). The sort is stable,
/// so rows that tie keep the API's order.
pub fn sorted(rows: &[CpliSummary], sort: Option<Sort>) -> Vec<CpliSummary> {
    let mut rows = rows.to_vec();
    if let Some(sort) = sort {
        rows.sort_by(|a, b| {
            let order = sort.column.compare(a, b);
            match sort.direction {
                Direction::Ascending => order,
                Direction::Descending => order.reverse(),
            }
        });
    }
    rows
}

#[component]
pub fn CpliTable(
    #[prop(into)] rows: Signal<Vec<CpliSummary>>,
    sort: RwSignal<Option<Sort>>,
) -> impl IntoView {
    // Said after each sort, as the MOJ pattern's status box says it.
    let announcement = RwSignal::new(String::new());
    let headers = Column::ALL
        .into_iter()
        .map(|column| {
            let aria_sort = move || {
                sort.get()
                    .filter(|sort| sort.column == column)
                    .map_or("none", |sort| sort.direction.aria())
            };
            let press = move |_| {
                let next = Sort::after_pressing(sort.get_untracked(), column);
                sort.set(Some(next));
                announcement.set(format!(
                    "Sort by {} ({})",
                    column.heading(),
                    next.direction.aria()
                ));
            };
            view! {
                <th
                    scope="col"
                    class="govuk-table__header"
                    class:govuk-table__header--numeric=column.is_numeric()
                    aria-sort=aria_sort
                >
                    <button type="button" class="app-sort-button" on:click=press>
                        {column.heading()}
                        <SortIcon direction=Signal::derive(move || {
                            sort.get().filter(|sort| sort.column == column).map(|sort| sort.direction)
                        }) />
                    </button>
                </th>
            }
        })
        .collect_view();
    let body = move || {
        sorted(&rows.get(), sort.get())
            .into_iter()
            .map(|cpli| {
                let cells = Column::ALL
                    .into_iter()
                    .map(|column| {
                        if column == Column::Id {
                            let href = format!("/cplis/{}", cpli.id);
                            // Out of the table, "3" alone says nothing: the link's name
                            // also says what and whose, and still starts as it reads.
                            view! {
                                <td class="govuk-table__cell">
                                    <a class="govuk-link" href=href>
                                        {cpli.id.clone()}
                                        <span class="govuk-visually-hidden">
                                            {format!(": care package line item for {}", cpli.client_name)}
                                        </span>
                                    </a>
                                </td>
                            }
                            .into_any()
                        } else {
                            view! {
                                <td
                                    class="govuk-table__cell"
                                    class:govuk-table__cell--numeric=column.is_numeric()
                                    class:app-nowrap=matches!(column, Column::Start | Column::End | Column::Cost)
                                >
                                    {column.cell_text(&cpli)}
                                </td>
                            }
                            .into_any()
                        }
                    })
                    .collect_view();
                view! { <tr class="govuk-table__row">{cells}</tr> }
            })
            .collect_view()
    };
    view! {
        // On a narrow screen the table scrolls sideways: the region takes focus so that the
        // arrow keys can scroll it too (WCAG 2.1.1).
        <div class="app-scroll-region" role="region" aria-labelledby="cpli-table-caption" tabindex="0">
            <table class="govuk-table app-cpli-table">
                <caption class="govuk-table__caption govuk-table__caption--m" id="cpli-table-caption">
                    "Care package line items"
                </caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">{headers}</tr>
                </thead>
                <tbody class="govuk-table__body">{body}</tbody>
            </table>
        </div>
        <div class="govuk-visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {move || announcement.get()}
        </div>
    }
}

/// Up and down arrows, as the MOJ pattern draws them: both when unsorted, one when sorted.
#[component]
pub fn SortIcon(#[prop(into)] direction: Signal<Option<Direction>>) -> impl IntoView {
    let up = move || direction.get() != Some(Direction::Descending);
    let down = move || direction.get() != Some(Direction::Ascending);
    let shown = |on: bool| if on { "visible" } else { "hidden" };
    view! {
        <svg
            class="app-sort-icon"
            width="14"
            height="20"
            viewBox="0 0 14 20"
            focusable="false"
            aria-hidden="true"
        >
            <path d="M7 2 L12.5 8.5 H1.5 Z" fill="currentColor" visibility=move || shown(up()) />
            <path d="M7 18 L12.5 11.5 H1.5 Z" fill="currentColor" visibility=move || shown(down()) />
        </svg>
    }
}

/// Rows as the API sends them, for tests. Built from JSON rather than a struct literal so
/// that fields the API adds later (with serde defaults or not) do not break every test.
#[cfg(test)]
pub(crate) mod fixtures {
    use portal_dto::CpliSummary;
    use serde_json::{json, Value};

    /// Monica Geller's line (seed 003), with `changes` applied on top.
    pub fn cpli(changes: Value) -> CpliSummary {
        let mut row = json!({
            "id": "7",
            "version_number": 1,
            "client_id": "1",
            "ssref": "MG123",
            "client_name": "Geller, Monica",
            "service_id": "1",
            "service_name": "Diamond Home Care - Marple",
            "service_level_id": "1",
            "service_level_name": "Home Care - Single Assist Fixed Rate",
            "pricing_kind": "per_unit",
            "start": "2019-06-24",
            "end": null,
            "weekly_cost": "226.24",
            "cost_label": "£226.24 Weekly",
            "pricing": "14 x Hours at £16.16 (Spot)",
            "authorised": true,
            "current": true
        });
        if let (Some(row), Value::Object(changes)) = (row.as_object_mut(), changes) {
            row.extend(changes);
        }
        serde_json::from_value(row).expect("a CPLI row as the API sends it")
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures;
    use super::*;
    use serde_json::json;

    fn cpli(id: &str, client: &str, start: &str, end: Option<&str>, cost: &str) -> CpliSummary {
        fixtures::cpli(json!({
            "id": id,
            "client_id": format!("c{id}"),
            "ssref": format!("S{id}"),
            "client_name": client,
            "start": start,
            "end": end,
            "weekly_cost": cost,
            "cost_label": format!("£{cost} Weekly"),
        }))
    }

    fn rows() -> Vec<CpliSummary> {
        vec![
            cpli("2", "Buffay, Phoebe", "2019-07-08", None, "56.56"),
            cpli(
                "1",
                "Geller, Monica",
                "2019-06-24",
                Some("2020-01-05"),
                "226.24",
            ),
            cpli(
                "10",
                "Tribbiani, Joey",
                "2019-06-24",
                Some("2019-12-01"),
                "9.99",
            ),
        ]
    }

    fn ids(rows: &[CpliSummary]) -> Vec<&str> {
        rows.iter().map(|row| row.id.as_str()).collect()
    }

    fn by(column: Column, direction: Direction) -> Option<Sort> {
        Some(Sort { column, direction })
    }

    #[test]
    fn unsorted_keeps_the_api_order() {
        assert_eq!(ids(&sorted(&rows(), None)), ["2", "1", "10"]);
    }

    #[test]
    fn client_sorts_by_name_both_ways() {
        let rows = rows();
        assert_eq!(
            ids(&sorted(&rows, by(Column::Client, Direction::Descending))),
            ["10", "1", "2"]
        );
        assert_eq!(
            ids(&sorted(&rows, by(Column::Client, Direction::Ascending))),
            ["2", "1", "10"]
        );
    }

    #[test]
    fn cost_sorts_as_a_decimal_not_as_text() {
        // As text "9.99" > "56.56" > "226.24"; as money it is the other way round.
        assert_eq!(
            ids(&sorted(&rows(), by(Column::Cost, Direction::Ascending))),
            ["10", "2", "1"]
        );
    }

    #[test]
    fn an_open_end_sorts_after_every_end_date() {
        assert_eq!(
            ids(&sorted(&rows(), by(Column::End, Direction::Ascending))),
            ["10", "1", "2"]
        );
    }

    #[test]
    fn start_ties_keep_the_api_order() {
        assert_eq!(
            ids(&sorted(&rows(), by(Column::Start, Direction::Ascending))),
            ["1", "10", "2"]
        );
    }

    #[test]
    fn numeric_ids_sort_as_numbers() {
        assert_eq!(
            ids(&sorted(&rows(), by(Column::Id, Direction::Ascending))),
            ["1", "2", "10"]
        );
    }

    #[test]
    fn pressing_a_column_sorts_ascending_then_flips() {
        let first = Sort::after_pressing(None, Column::Client);
        assert_eq!(
            first,
            Sort {
                column: Column::Client,
                direction: Direction::Ascending
            }
        );
        let second = Sort::after_pressing(Some(first), Column::Client);
        assert_eq!(second.direction, Direction::Descending);
        let third = Sort::after_pressing(Some(second), Column::Client);
        assert_eq!(third.direction, Direction::Ascending);
        let other = Sort::after_pressing(Some(second), Column::Cost);
        assert_eq!(
            other,
            Sort {
                column: Column::Cost,
                direction: Direction::Ascending
            }
        );
    }

    #[test]
    fn cells_read_as_in_the_guides() {
        let row = cpli("1", "Geller, Monica", "2019-06-24", None, "226.24");
        assert_eq!(Column::Start.cell_text(&row), "24/06/2019");
        assert_eq!(Column::End.cell_text(&row), "-");
        assert_eq!(Column::Auth.cell_text(&row), "Yes");
        let headings: Vec<&str> = Column::ALL.iter().map(|column| column.heading()).collect();
        assert_eq!(
            headings,
            [
                "SSRef",
                "Client",
                "Service",
                "Service Level",
                "Start",
                "End",
                "Cost",
                "Pricing",
                "CPLI ID",
                "Auth"
            ]
        );
    }
}
