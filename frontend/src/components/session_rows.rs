//! The timetabled editor (DOMAIN 4.4): one row per run of sessions, with a tick for each
//! weekday, the sessions on each ticked day, a Frustrated flag, a comment and the row's cost.
//! A missed session is a day unticked; a frustrated one is a row ticked on that day and
//! flagged. The line's figures above recompute from these rows as they change.

use leptos::prelude::*;
use portal_domain::actual::sessions::SessionRow;
use portal_domain::format::format_money;
use portal_domain::{Money, Quantity, Weekdays};

use crate::components::error_summary::focus_field;
use crate::line_draft::{DraftOutcome, LineDraft, SessionDraft};

const DAY_NAMES: [&str; 7] = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// "£214.46" for a row as typed; blank while its quantity is not a number.
fn row_cost(row: &SessionDraft, rate: &str) -> String {
    match (Quantity::parse(&row.quantity), Money::parse(rate)) {
        (Ok(quantity), Ok(rate)) => format_money(
            SessionRow {
                days: Weekdays(row.days),
                quantity,
                frustrated: row.frustrated,
                comment: String::new(),
            }
            .cost(rate),
        ),
        _ => String::new(),
    }
}

#[component]
pub fn SessionRows(
    /// Unique per client and line, for the inputs' ids.
    id_prefix: String,
    level_name: String,
    rate: String,
    line_index: usize,
    drafts: RwSignal<Vec<LineDraft>>,
    outcomes: Memo<Vec<DraftOutcome>>,
) -> impl IntoView {
    // Only adding or deleting a row redraws the rows, so typing never loses focus.
    let row_count = Memo::new(move |_| {
        drafts.with(|drafts| drafts.get(line_index).map_or(0, |line| line.sessions.len()))
    });
    let update_row = move |row: usize, change: Box<dyn FnOnce(&mut SessionDraft)>| {
        drafts.update(|drafts| {
            if let Some(session) = drafts
                .get_mut(line_index)
                .and_then(|line| line.sessions.get_mut(row))
            {
                change(session);
            }
        });
    };
    let first_tick_id = {
        let id_prefix = id_prefix.clone();
        move |row: usize| format!("session-{id_prefix}-{row}-day-0")
    };
    let add_row = {
        let first_tick_id = first_tick_id.clone();
        move |_| {
            drafts.update(|drafts| {
                if let Some(line) = drafts.get_mut(line_index) {
                    line.sessions.push(SessionDraft::blank());
                }
            });
            let id = first_tick_id(row_count.get_untracked().saturating_sub(1));
            request_animation_frame(move || focus_field(&id));
        }
    };

    let row_view = {
        let id_prefix = id_prefix.clone();
        let rate = rate.clone();
        let first_tick_id = first_tick_id.clone();
        move |row: usize| {
            let initial = drafts.with_untracked(|drafts| {
                drafts
                    .get(line_index)
                    .and_then(|line| line.sessions.get(row))
                    .cloned()
                    .unwrap_or_default()
            });
            let number = row + 1;
            let ticks = (0..7)
                .map(|day| {
                    let id = format!("session-{id_prefix}-{row}-day-{day}");
                    let on_change = move |event: leptos::ev::Event| {
                        let checked = event_target_checked(&event);
                        update_row(row, Box::new(move |session| session.days[day] = checked));
                    };
                    view! {
                        <td class="govuk-table__cell app-session-day">
                            <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                                <div class="govuk-checkboxes__item">
                                    <input
                                        class="govuk-checkboxes__input"
                                        type="checkbox"
                                        id=id.clone()
                                        prop:checked=initial.days[day]
                                        on:change=on_change
                                    />
                                    <label class="govuk-label govuk-checkboxes__label" for=id>
                                        <span class="govuk-visually-hidden">
                                            {format!("{}, row {number}", DAY_NAMES[day])}
                                        </span>
                                    </label>
                                </div>
                            </div>
                        </td>
                    }
                })
                .collect_view();
            let quantity_id = format!("session-{id_prefix}-{row}-quantity");
            let error_id = format!("{quantity_id}-error");
            let problem = Memo::new(move |_| {
                outcomes.with(|outcomes| {
                    outcomes
                        .get(line_index)
                        .and_then(|outcome| outcome.session_problem(row).map(str::to_owned))
                })
            });
            let frustrated_id = format!("session-{id_prefix}-{row}-frustrated");
            let comment_id = format!("session-{id_prefix}-{row}-comment");
            let rate = rate.clone();
            let cost = move || {
                drafts.with(|drafts| {
                    drafts
                        .get(line_index)
                        .and_then(|line| line.sessions.get(row))
                        .map(|session| row_cost(session, &rate))
                        .unwrap_or_default()
                })
            };
            let delete = {
                let first_tick_id = first_tick_id.clone();
                move |_| {
                    drafts.update(|drafts| {
                        if let Some(line) = drafts.get_mut(line_index) {
                            if row < line.sessions.len() {
                                line.sessions.remove(row);
                            }
                        }
                    });
                    let id = first_tick_id(row.saturating_sub(1));
                    request_animation_frame(move || focus_field(&id));
                }
            };
            let described_by = {
                let error_id = error_id.clone();
                move || problem.with(|problem| problem.as_ref().map(|_| error_id.clone()))
            };
            view! {
                <tr class="govuk-table__row" class:app-session--frustrated=initial.frustrated>
                    <th scope="row" class="govuk-table__header app-session-number">{format!("Row {number}")}</th>
                    {ticks}
                    <td class="govuk-table__cell">
                        <div class="govuk-form-group app-edit-group" class:govuk-form-group--error=move || problem.with(Option::is_some)>
                            <label class="govuk-label govuk-visually-hidden" for=quantity_id.clone()>
                                {format!("Sessions each ticked day, row {number}")}
                            </label>
                            {move || problem.get().map(|message| view! {
                                <p class="govuk-error-message" id=error_id.clone()>
                                    <span class="govuk-visually-hidden">"Error: "</span>
                                    {message}
                                </p>
                            })}
                            <input
                                class="govuk-input govuk-input--width-3 app-quantity-input"
                                class:govuk-input--error=move || problem.with(Option::is_some)
                                id=quantity_id.clone()
                                type="text"
                                inputmode="decimal"
                                autocomplete="off"
                                aria-describedby=described_by
                                prop:value=initial.quantity.clone()
                                on:input=move |event| {
                                    let text = event_target_value(&event);
                                    update_row(row, Box::new(move |session| session.quantity = text));
                                }
                            />
                        </div>
                    </td>
                    <td class="govuk-table__cell">
                        <div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">
                            <div class="govuk-checkboxes__item">
                                <input
                                    class="govuk-checkboxes__input"
                                    type="checkbox"
                                    id=frustrated_id.clone()
                                    prop:checked=initial.frustrated
                                    on:change=move |event| {
                                        let checked = event_target_checked(&event);
                                        update_row(row, Box::new(move |session| session.frustrated = checked));
                                    }
                                />
                                <label class="govuk-label govuk-checkboxes__label" for=frustrated_id>
                                    <span class="govuk-visually-hidden">{format!("Frustrated, row {number}")}</span>
                                </label>
                            </div>
                        </div>
                    </td>
                    <td class="govuk-table__cell govuk-table__cell--numeric" aria-live="polite">{cost}</td>
                    <td class="govuk-table__cell">
                        <label class="govuk-label govuk-visually-hidden" for=comment_id.clone()>
                            {format!("Comment, row {number}")}
                        </label>
                        <input
                            class="govuk-input app-session-comment"
                            id=comment_id
                            type="text"
                            autocomplete="off"
                            prop:value=initial.comment.clone()
                            on:input=move |event| {
                                let text = event_target_value(&event);
                                update_row(row, Box::new(move |session| session.comment = text));
                            }
                        />
                    </td>
                    <td class="govuk-table__cell">
                        <button type="button" class="govuk-button govuk-button--warning govuk-!-margin-bottom-0" on:click=delete>
                            "Delete"
                            <span class="govuk-visually-hidden">{format!(" row {number}")}</span>
                        </button>
                    </td>
                </tr>
            }
        }
    };

    let day_head = |short: &'static str, long: &'static str| {
        view! {
            <th scope="col" class="govuk-table__header app-session-day">
                <abbr title=long>{short}</abbr>
            </th>
        }
    };
    view! {
        <table class="govuk-table app-sessions-table">
            <caption class="govuk-table__caption govuk-table__caption--s">
                {format!("Sessions for {level_name}")}
            </caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">"Row"</span></th>
                    {day_head("Mon", "Monday")}
                    {day_head("Tue", "Tuesday")}
                    {day_head("Wed", "Wednesday")}
                    {day_head("Thu", "Thursday")}
                    {day_head("Fri", "Friday")}
                    {day_head("Sat", "Saturday")}
                    {day_head("Sun", "Sunday")}
                    <th scope="col" class="govuk-table__header">"Sessions"</th>
                    <th scope="col" class="govuk-table__header">"Frustrated"</th>
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Cost"</th>
                    <th scope="col" class="govuk-table__header">"Comment"</th>
                    <th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">"Action"</span></th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">
                {move || (0..row_count.get()).map(row_view.clone()).collect_view()}
            </tbody>
        </table>
        <button type="button" class="govuk-button govuk-button--secondary" on:click=add_row>
            "Add row"
            <span class="govuk-visually-hidden">{format!(" of sessions for {level_name}")}</span>
        </button>
    }
}
