//! A GOV.UK table whose columns sort, as MOJ Frontend's sortable table does: each header is
//! a button, the sorted column says so with `aria-sort`, and a status line tells screen
//! readers what changed. Numbers and money sort by value, dates by their ISO text, words
//! without regard to case; the rows given are the default order, and the footer rows
//! (totals) stay where they are.

use std::cmp::Ordering;
use std::str::FromStr;

use leptos::prelude::*;
use rust_decimal::Decimal;

pub use crate::components::cpli_table::Direction;
use crate::components::cpli_table::SortIcon;

/// How a column's values compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortKind {
    Text,
    /// Right-aligned, compared as decimals ("£1,072.30", "-2", "25%").
    Number,
    /// Compared by the cell's ISO date ("2022-04-04"), whatever it shows.
    Date,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub label: String,
    pub kind: SortKind,
}

impl Column {
    pub fn text(label: &str) -> Column {
        Column {
            label: label.to_owned(),
            kind: SortKind::Text,
        }
    }

    pub fn number(label: &str) -> Column {
        Column {
            label: label.to_owned(),
            kind: SortKind::Number,
        }
    }

    pub fn date(label: &str) -> Column {
        Column {
            label: label.to_owned(),
            kind: SortKind::Date,
        }
    }
}

/// What a cell shows, and the value it sorts by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub shown: String,
    pub key: String,
}

impl Cell {
    /// A cell that sorts by what it shows.
    pub fn plain(shown: impl Into<String>) -> Cell {
        let shown = shown.into();
        Cell {
            key: shown.clone(),
            shown,
        }
    }

    /// A cell that shows one thing ("04/04/2022", "£1,072.30") and sorts by another
    /// ("2022-04-04", "1072.30").
    pub fn keyed(shown: impl Into<String>, key: impl Into<String>) -> Cell {
        Cell {
            shown: shown.into(),
            key: key.into(),
        }
    }
}

/// What pressing column `pressed` does: a new column sorts ascending, the sorted one turns
/// round (the MOJ pattern's behaviour).
pub fn next_direction(current: Option<(usize, Direction)>, pressed: usize) -> Direction {
    match current {
        Some((column, Direction::Ascending)) if column == pressed => Direction::Descending,
        _ => Direction::Ascending,
    }
}

/// A number as people write it in a table: "£1,072.30", "-£428.92", "25%", "5".
pub fn numeric_value(text: &str) -> Option<Decimal> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '£' | ',' | '%' | ' '))
        .collect();
    Decimal::from_str(&cleaned).ok()
}

/// Two keys of a column; blanks (and what is not a number in a number column) come first
/// when ascending, as nothing is less than something.
pub fn compare_keys(kind: SortKind, a: &str, b: &str) -> Ordering {
    match kind {
        SortKind::Number => numeric_value(a).cmp(&numeric_value(b)),
        SortKind::Date => a.trim().cmp(b.trim()),
        SortKind::Text => a
            .trim()
            .to_lowercase()
            .cmp(&b.trim().to_lowercase())
            .then_with(|| a.cmp(b)),
    }
}

/// The rows' positions in the order the column sorts them. Stable: rows that tie keep the
/// order they came in, so sorting by status keeps each status's rows in date order.
pub fn sorted_order(
    rows: &[Vec<Cell>],
    column: usize,
    kind: SortKind,
    direction: Direction,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..rows.len()).collect();
    let key = |row: usize| rows[row].get(column).map_or("", |cell| cell.key.as_str());
    order.sort_by(|&a, &b| {
        let ordering = compare_keys(kind, key(a), key(b));
        match direction {
            Direction::Ascending => ordering,
            Direction::Descending => ordering.reverse(),
        }
    });
    order
}

fn header_class(kind: SortKind) -> &'static str {
    match kind {
        SortKind::Number => "govuk-table__header govuk-table__header--numeric",
        _ => "govuk-table__header",
    }
}

fn cell_class(kind: SortKind) -> &'static str {
    match kind {
        SortKind::Number => "govuk-table__cell govuk-table__cell--numeric",
        _ => "govuk-table__cell",
    }
}

/// The table. `footer` rows (totals) are shown after the sorted rows and never move; a
/// footer row may be shorter than the columns, its first cell then spanning the rest.
#[component]
pub fn SortableTable(
    #[prop(into)] caption: String,
    columns: Vec<Column>,
    rows: Vec<Vec<Cell>>,
    #[prop(optional)] footer: Vec<Vec<Cell>>,
    /// A class for the table besides `govuk-table`.
    #[prop(optional)]
    class: Option<&'static str>,
    #[prop(optional)] test_id: Option<&'static str>,
) -> impl IntoView {
    let sort = RwSignal::new(None::<(usize, Direction)>);
    let columns = StoredValue::new(columns);
    let rows = StoredValue::new(rows);
    let kinds: Vec<SortKind> =
        columns.with_value(|columns| columns.iter().map(|c| c.kind).collect());
    let kinds = StoredValue::new(kinds);

    let headers = columns.with_value(|columns| {
        columns
            .iter()
            .enumerate()
            .map(|(index, column)| {
                let aria_sort = move || match sort.get() {
                    Some((sorted, direction)) if sorted == index => direction.aria(),
                    _ => "none",
                };
                let press = move |_| {
                    let direction = next_direction(sort.get_untracked(), index);
                    sort.set(Some((index, direction)));
                };
                view! {
                    <th scope="col" class=header_class(column.kind) aria-sort=aria_sort>
                        <button type="button" class="app-sort-button" data-index=index on:click=press>
                            {column.label.clone()}
                            <SortIcon direction=Signal::derive(move || {
                                sort.get().filter(|(sorted, _)| *sorted == index).map(|(_, direction)| direction)
                            }) />
                        </button>
                    </th>
                }
            })
            .collect_view()
    });

    let body = move || {
        let order = match sort.get() {
            Some((column, direction)) => {
                let kind = kinds.with_value(|kinds| kinds[column]);
                rows.with_value(|rows| sorted_order(rows, column, kind, direction))
            }
            None => rows.with_value(|rows| (0..rows.len()).collect()),
        };
        order
            .into_iter()
            .map(|index| {
                let cells = rows.with_value(|rows| rows[index].clone());
                let cells = cells
                    .into_iter()
                    .enumerate()
                    .map(|(column, cell)| {
                        let kind = kinds.with_value(|kinds| kinds.get(column).copied());
                        view! { <td class=cell_class(kind.unwrap_or(SortKind::Text))>{cell.shown}</td> }
                    })
                    .collect_view();
                view! { <tr class="govuk-table__row">{cells}</tr> }
            })
            .collect_view()
    };

    let width = kinds.with_value(Vec::len);
    let footer_rows = footer
        .into_iter()
        .map(|cells| {
            let spare = width.saturating_sub(cells.len());
            let cells = cells
                .into_iter()
                .enumerate()
                .map(|(index, cell)| {
                    if index == 0 {
                        view! {
                            <th scope="row" class="govuk-table__header" colspan=spare + 1>{cell.shown}</th>
                        }
                        .into_any()
                    } else {
                        let kind = kinds.with_value(|kinds| kinds.get(index + spare).copied());
                        view! { <td class=cell_class(kind.unwrap_or(SortKind::Text))>{cell.shown}</td> }
                            .into_any()
                    }
                })
                .collect_view();
            view! { <tr class="govuk-table__row app-sortable-table__total">{cells}</tr> }
        })
        .collect_view();

    let status = move || {
        sort.get().map(|(column, direction)| {
            let label = columns.with_value(|columns| columns[column].label.clone());
            format!("Sorted by {label}, {}", direction.aria())
        })
    };
    let class = format!(
        "govuk-table app-sortable-table {}",
        class.unwrap_or_default()
    );
    view! {
        <table class=class data-module="moj-sortable-table" data-testid=test_id>
            <caption class="govuk-table__caption govuk-table__caption--s">{caption}</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">{headers}</tr>
            </thead>
            <tbody class="govuk-table__body">{body}</tbody>
            <tbody class="govuk-table__body">{footer_rows}</tbody>
        </table>
        <div class="govuk-visually-hidden" role="status" aria-live="polite" aria-atomic="true">{status}</div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(keys: &[&str]) -> Vec<Vec<Cell>> {
        keys.iter()
            .enumerate()
            .map(|(index, key)| vec![Cell::plain(index.to_string()), Cell::plain(*key)])
            .collect()
    }

    #[test]
    fn numbers_sort_by_value_not_by_their_text() {
        let money = rows(&["£1,072.30", "-£428.92", "£857.84", "£0.00", "£214.46"]);
        assert_eq!(
            sorted_order(&money, 1, SortKind::Number, Direction::Ascending),
            [1, 3, 4, 2, 0]
        );
        assert_eq!(
            sorted_order(&money, 1, SortKind::Number, Direction::Descending),
            [0, 2, 4, 3, 1]
        );
        // As text, "£857.84" would come after "£1,072.30"; "10" after "9" only by value.
        let plain = rows(&["9", "10", "-2", "25%"]);
        assert_eq!(
            sorted_order(&plain, 1, SortKind::Number, Direction::Ascending),
            [2, 0, 1, 3]
        );
    }

    #[test]
    fn dates_sort_by_their_iso_key_not_what_they_show() {
        let dates: Vec<Vec<Cell>> = ["2022-04-11", "2021-12-31", "2022-04-04"]
            .into_iter()
            .map(|iso| vec![Cell::keyed(crate::format::date_text(iso), iso)])
            .collect();
        // Shown as dd/mm/yyyy, "04/04/2022" < "11/04/2022" < "31/12/2021" as text.
        assert_eq!(
            sorted_order(&dates, 0, SortKind::Date, Direction::Ascending),
            [1, 2, 0]
        );
    }

    #[test]
    fn words_ignore_case_and_ties_keep_their_order() {
        let words = rows(&["suspend", "Pay", "pay", "Cancel", "Suspend"]);
        assert_eq!(
            sorted_order(&words, 1, SortKind::Text, Direction::Ascending),
            // "Suspend" and "suspend" sit together; capitals first between them.
            [3, 1, 2, 4, 0]
        );
        let same = rows(&["Pay", "Pay", "Pay"]);
        assert_eq!(
            sorted_order(&same, 1, SortKind::Text, Direction::Descending),
            [0, 1, 2]
        );
    }

    #[test]
    fn blanks_come_first_ascending_and_last_descending() {
        let thresholds = rows(&["25%", "", "0%"]);
        assert_eq!(
            sorted_order(&thresholds, 1, SortKind::Number, Direction::Ascending),
            [1, 2, 0]
        );
        assert_eq!(
            sorted_order(&thresholds, 1, SortKind::Number, Direction::Descending),
            [0, 2, 1]
        );
    }

    #[test]
    fn pressing_a_header_sorts_ascending_then_turns_round() {
        assert_eq!(next_direction(None, 2), Direction::Ascending);
        assert_eq!(
            next_direction(Some((2, Direction::Ascending)), 2),
            Direction::Descending
        );
        assert_eq!(
            next_direction(Some((2, Direction::Descending)), 2),
            Direction::Ascending
        );
        assert_eq!(
            next_direction(Some((1, Direction::Ascending)), 2),
            Direction::Ascending
        );
    }
}
