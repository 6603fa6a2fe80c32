//! "Actual weeks": a month grid, Monday first, where each row is one week. Each row has a
//! "Week beginning dd/mm/yyyy" button (the keyboard route); clicking any day of the row
//! does the same for pointer users. Weeks that have not started are disabled (DOMAIN 2).

use std::collections::HashSet;

use leptos::prelude::*;
use portal_domain::Week;
use time::{Date, Month};

use crate::api;
use crate::format::{current_week, week_iso};
use crate::session::use_session;

/// A displayed month: its year and month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct CalendarMonth {
    year: i32,
    month: Month,
}

impl CalendarMonth {
    fn of(day: Date) -> CalendarMonth {
        CalendarMonth {
            year: day.year(),
            month: day.month(),
        }
    }

    fn first_day(self) -> Date {
        Date::from_calendar_date(self.year, self.month, 1).unwrap_or(Date::MIN)
    }

    fn last_day(self) -> Date {
        let length = self.month.length(self.year);
        Date::from_calendar_date(self.year, self.month, length).unwrap_or(Date::MIN)
    }

    fn previous(self) -> CalendarMonth {
        CalendarMonth::of(self.first_day().previous_day().unwrap_or(Date::MIN))
    }

    fn next(self) -> CalendarMonth {
        CalendarMonth::of(self.last_day().next_day().unwrap_or(Date::MAX))
    }

    /// Every week with a day in the month.
    fn weeks(self) -> Vec<Week> {
        let last = self.last_day();
        std::iter::successors(Some(Week::containing(self.first_day())), |week| {
            Some(week.next())
        })
        .take_while(|week| week.monday() <= last)
        .collect()
    }

    fn label(self) -> String {
        format!("{} {}", month_name(self.month), self.year)
    }
}

fn month_name(month: Month) -> &'static str {
    match month {
        Month::January => "January",
        Month::February => "February",
        Month::March => "March",
        Month::April => "April",
        Month::May => "May",
        Month::June => "June",
        Month::July => "July",
        Month::August => "August",
        Month::September => "September",
        Month::October => "October",
        Month::November => "November",
        Month::December => "December",
    }
}

const WEEKDAYS: [(&str, &str); 7] = [
    ("M", "Monday"),
    ("T", "Tuesday"),
    ("W", "Wednesday"),
    ("T", "Thursday"),
    ("F", "Friday"),
    ("S", "Saturday"),
    ("S", "Sunday"),
];

#[component]
pub fn WeekCalendar(
    #[prop(into)] service_id: Signal<Option<String>>,
    #[prop(into)] selected: Signal<Week>,
    /// Bumped by the page whenever actuals were written, so the marks are fetched again.
    #[prop(into)]
    changes: Signal<u32>,
    on_select: Callback<Week>,
) -> impl IntoView {
    let session = use_session();
    let this_week = current_week();
    let shown = RwSignal::new(CalendarMonth::of(selected.get_untracked().monday()));
    // Follow the chosen week (from the URL or the date jump), not the other way round.
    Effect::new(move |_| shown.set(CalendarMonth::of(selected.get().monday())));

    let marks = LocalResource::new(move || {
        let service_id = service_id.get();
        let weeks = shown.get().weeks();
        changes.track();
        let token = session.access_token();
        async move {
            let (Some(service_id), Some(token), Some(first), Some(last)) =
                (service_id, token, weeks.first(), weeks.last())
            else {
                return HashSet::new();
            };
            let from = week_iso(*first);
            let to = time_iso(last.sunday());
            match api::weeks(&token, &service_id, &from, &to).await {
                Ok(page) => page
                    .items
                    .into_iter()
                    .filter(|week| week.clients_with_actuals > 0)
                    .map(|week| week.week)
                    .collect(),
                // The marks are a convenience; the grid reports real failures.
                Err(_) => HashSet::new(),
            }
        }
    });
    let has_actuals = move |week: Week| {
        let iso = week_iso(week);
        marks
            .get()
            .map(|marked| marked.contains(&iso))
            .unwrap_or(false)
    };

    let rows = move || {
        let month = shown.get();
        month
            .weeks()
            .into_iter()
            .map(|week| {
                let future = week > this_week;
                let is_selected = move || selected.get() == week;
                let choose = move || {
                    if !future {
                        on_select.run(week);
                    }
                };
                let days = week
                    .days()
                    .into_iter()
                    .map(|day| {
                        view! {
                            <td
                                class="govuk-table__cell app-calendar__day"
                                class:app-calendar__day--other-month=day.month() != month.month
                                on:click=move |_| choose()
                            >
                                {day.day()}
                            </td>
                        }
                    })
                    .collect_view();
                view! {
                    <tr
                        class="govuk-table__row app-calendar__week"
                        class:app-calendar__week--selected=is_selected
                        class:app-calendar__week--future=future
                        class:app-calendar__week--has-actuals=move || has_actuals(week)
                    >
                        <td class="govuk-table__cell app-calendar__week-cell">
                            <button
                                type="button"
                                class="app-calendar__week-button"
                                aria-pressed=move || if is_selected() { "true" } else { "false" }
                                disabled=future
                                on:click=move |_| choose()
                            >
                                <span class="govuk-visually-hidden">"Week beginning "</span>
                                {week.label()}
                            </button>
                            <Show when=move || has_actuals(week)>
                                <span class="app-calendar__mark" title="Has actuals">
                                    <span aria-hidden="true">"●"</span>
                                    <span class="govuk-visually-hidden">"Has actuals"</span>
                                </span>
                            </Show>
                        </td>
                        {days}
                    </tr>
                }
            })
            .collect_view()
    };

    let headers = WEEKDAYS
        .iter()
        .map(|(letter, name)| {
            view! {
                <th scope="col" class="govuk-table__header app-calendar__weekday">
                    <abbr title=*name>{*letter}</abbr>
                </th>
            }
        })
        .collect_view();

    let next_disabled = move || shown.get().next().first_day() > this_week.sunday();

    view! {
        <section class="app-calendar" aria-labelledby="calendar-heading">
            <h2 class="govuk-heading-s" id="calendar-heading">"Actual weeks"</h2>
            <div class="app-calendar__nav">
                <button
                    type="button"
                    class="govuk-button govuk-button--secondary app-calendar__nav-button"
                    on:click=move |_| shown.update(|month| *month = month.previous())
                >
                    "Previous month"
                </button>
                <p class="govuk-body govuk-!-font-weight-bold app-calendar__month" aria-live="polite">
                    {move || shown.get().label()}
                </p>
                <button
                    type="button"
                    class="govuk-button govuk-button--secondary app-calendar__nav-button"
                    disabled=next_disabled
                    on:click=move |_| shown.update(|month| *month = month.next())
                >
                    "Next month"
                </button>
            </div>
            <table class="govuk-table app-calendar__table">
                <caption class="govuk-table__caption govuk-visually-hidden">
                    {move || format!("Weeks of {}", shown.get().label())}
                </caption>
                <thead class="govuk-table__head">
                    <tr class="govuk-table__row">
                        <th scope="col" class="govuk-table__header">"Week beginning"</th>
                        {headers}
                    </tr>
                </thead>
                <tbody class="govuk-table__body">{rows}</tbody>
            </table>
        </section>
    }
}

fn time_iso(day: Date) -> String {
    portal_domain::calendar::iso_date(day)
}
