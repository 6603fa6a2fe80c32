//! One client's week of actuals: a table of lines, and inline editing with the line's cost,
//! colour and exceptions recomputed on every keystroke, before anything is saved.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_domain::format::format_money;
use portal_domain::{Money, Quantity};
use portal_dto::{ActualLine, ClientWeek, PricedLevel, ServiceWeek, UpdateClientWeek};
use rust_decimal::Decimal;

use crate::api;
use crate::components::error_summary::{focus_field, ErrorSummary, SummaryError};
use crate::components::exceptions_cell::{variation_href, ExceptionsCell, VariationContext};
use crate::components::session_rows::SessionRows;
use crate::components::week_history::WeekHistory;
use crate::format::date_text;
use crate::format::{money_text, quantity_text};
use crate::grid_keys::{fill_inputs, next_cell, Step};
use crate::line_draft::{
    allocation_left, assess_draft, colour_code, colour_meaning, contract_rules, exception_settings,
    exception_views, locate_field_error, paste_block, DraftOutcome, Field, LineDraft,
};
use crate::session::use_session;

const CONFLICT: &str = "Someone else saved this client's week first. Reload to see their changes.";

/// A 422 error the server pinned on one input.
#[derive(Debug, Clone, PartialEq, Eq)]
struct ServerFieldError {
    line: usize,
    field: Field,
    message: String,
}

/// Ids are opaque strings (API.md): keep only what is safe in an HTML id.
fn id_fragment(id: &str) -> String {
    id.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

pub(crate) fn input_id(client_key: &str, line: usize, field: Field) -> String {
    format!("{}-{client_key}-{line}", field.api_name())
}

fn edit_button_id(client_key: &str) -> String {
    format!("edit-{client_key}")
}

/// The colour's words, or "Not yet entered" for a line that only shows the plan.
fn status_tag(colour: &str, recorded: bool) -> impl IntoView {
    let (class, text) = if recorded {
        (
            format!("govuk-tag govuk-tag--{colour} app-status"),
            colour_meaning(colour),
        )
    } else {
        (
            "govuk-tag govuk-tag--yellow app-status".to_owned(),
            "Not yet entered",
        )
    };
    view! { <strong class=class>{text}</strong> }
}

fn table_head() -> impl IntoView {
    let numeric = |short: &'static str, long: &'static str| {
        view! {
            <th scope="col" class="govuk-table__header govuk-table__header--numeric">
                <abbr title=long>{short}</abbr>
            </th>
        }
    };
    view! {
        <thead class="govuk-table__head">
            <tr class="govuk-table__row">
                <th scope="col" class="govuk-table__header app-col-level">"Service level"</th>
                {numeric("Pl", "Planned")}
                <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Actual"</th>
                {numeric("Frstd", "Frustrated")}
                {numeric("Msd", "Missed")}
                {numeric("Xtr", "Extra")}
                {numeric("Vst", "Visits")}
                <th scope="col" class="govuk-table__header app-col-cost">"Cost"</th>
                <th scope="col" class="govuk-table__header app-col-comment">"Comment"</th>
                <th scope="col" class="govuk-table__header app-col-exceptions">"Exceptions"</th>
            </tr>
        </thead>
    }
}

/// "28 Nights a year (2022/2023): 14 left": an intermittent line's allocation, in words.
fn allocation_note(line: &ActualLine, left: Option<Decimal>) -> Option<impl IntoView> {
    let allocation = line.allocation.as_ref()?;
    let unit = portal_domain::Unit::from_code(&line.service_level.unit)?;
    let annual = Quantity::parse(&allocation.annual).ok()?.value();
    let left = left
        .or_else(|| Quantity::parse(&allocation.left).ok().map(Quantity::value))
        .unwrap_or_else(|| allocation.left.parse().unwrap_or_default());
    let over = left < Decimal::ZERO;
    let text = if over {
        format!(
            "{} {} a year ({}): {} over",
            portal_domain::format::format_number(annual),
            unit.for_count(annual),
            allocation.financial_year,
            portal_domain::format::format_number(-left)
        )
    } else {
        format!(
            "{} {} a year ({}): {} left",
            portal_domain::format::format_number(annual),
            unit.for_count(annual),
            allocation.financial_year,
            portal_domain::format::format_number(left)
        )
    };
    Some(view! {
        <span class="app-allocation" class:app-allocation--over=over>{text}</span>
    })
}

/// A saved line; `variation` (for a provider) lets a line beyond its plan ask for a variation.
fn saved_row(line: ActualLine, variation: Option<&VariationContext>) -> impl IntoView {
    let variation = variation
        .and_then(|context| variation_href(&line, context))
        .map(|href| (href, line.service_level.name.clone()));
    let numeric = |value: &str| {
        view! { <td class="govuk-table__cell govuk-table__cell--numeric">{quantity_text(value)}</td> }
    };
    let row_class = if line.recorded {
        format!("govuk-table__row app-row app-row--{}", line.colour)
    } else {
        "govuk-table__row app-row app-row--not-entered".to_owned()
    };
    view! {
        <tr class=row_class>
            <th scope="row" class="govuk-table__header app-col-level">
                <span class="app-level-name">{line.service_level.name.clone()}</span>
                {line.unplanned.then(|| view! { <span class="app-explanation">"Unplanned: no care package line item"</span> })}
                {allocation_note(&line, None)}
                {status_tag(&line.colour, line.recorded)}
                {line.sessions.as_ref().map(|rows| view! {
                    <span class="app-explanation app-session-summary">{session_summary(rows)}</span>
                })}
            </th>
            {numeric(&line.planned)}
            {numeric(&line.actual)}
            {numeric(&line.frustrated)}
            {numeric(&line.missed)}
            {numeric(&line.extra)}
            {numeric(line.visits.as_deref().unwrap_or(""))}
            <td class="govuk-table__cell app-col-cost">
                <span class="app-cost">{money_text(&line.cost)}</span>
                <span class="app-explanation">{line.explanation.clone()}</span>
            </td>
            <td class="govuk-table__cell app-col-comment">{line.comment.clone()}</td>
            <td class="govuk-table__cell app-col-exceptions">
                <ExceptionsCell exceptions=line.exceptions.clone() expanded=false variation />
            </td>
        </tr>
    }
}

/// "Mon/Wed/Fri x 1; Thu x 1 (frustrated)": a timetabled line's rows in brief.
fn session_summary(rows: &[portal_dto::SessionRow]) -> String {
    rows.iter()
        .map(|row| {
            let days = portal_domain::Weekdays::from_codes(&row.days)
                .map(|days| days.label())
                .unwrap_or_default();
            let flag = if row.frustrated { " (frustrated)" } else { "" };
            format!("{days} x {}{flag}", quantity_text(&row.quantity))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// "£140.00 of £180.00" for the lines as typed; `None` while any line cannot be costed.
fn live_totals(lines: &[ActualLine], outcomes: &[DraftOutcome]) -> Option<String> {
    let mut actual = Decimal::ZERO;
    let mut planned = Decimal::ZERO;
    for (line, outcome) in lines.iter().zip(outcomes) {
        actual += outcome.assessment.as_ref()?.cost;
        let plan = Quantity::parse(&line.planned).ok()?;
        let rate = Money::parse(&line.rate).ok()?;
        planned += Money::cost_of(plan, rate).value();
    }
    Some(format!(
        "{} of {}",
        format_money(actual),
        format_money(planned)
    ))
}

/// "an hour", "a session", "a night".
fn per_unit(unit: &str) -> String {
    match unit {
        "hour" => "an hour".to_owned(),
        other => format!("a {other}"),
    }
}

/// A new unplanned line for `priced`'s level: nothing planned, nothing yet entered.
fn unplanned_line(labelled: &str, week: &ServiceWeek, priced: PricedLevel) -> ActualLine {
    let zero = "0".to_owned();
    ActualLine {
        cpli_id: String::new(),
        subject: format!(
            "{labelled}, {}, {} - {}",
            week.week_label, week.service.name, priced.service_level.name
        ),
        service_level: priced.service_level,
        recorded: false,
        rate: priced.rate,
        planned: zero.clone(),
        actual: zero.clone(),
        frustrated: zero.clone(),
        missed: zero.clone(),
        extra: zero.clone(),
        visits: None,
        comment: String::new(),
        expected_actual: zero.clone(),
        paid_units: zero,
        cost: "0.00".to_owned(),
        explanation: String::new(),
        colour: "grey".to_owned(),
        exceptions: Vec::new(),
        timetable: None,
        sessions: None,
        allocation: None,
        unplanned: true,
    }
}

#[component]
pub fn ClientActuals(
    client_id: String,
    #[prop(into)] week: Signal<Option<ServiceWeek>>,
    /// Called with the saved week of this client, for the page to show it and refresh totals.
    on_saved: Callback<ClientWeek>,
    /// Fetches the service's week again (after a conflict).
    on_reload: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let client_key = id_fragment(&client_id);
    let client_id_for_history = client_id.clone();
    let client = Memo::new(move |_| {
        week.with(|week| {
            week.as_ref().and_then(|week| {
                week.clients
                    .iter()
                    .find(|client| client.client.id == client_id)
                    .cloned()
            })
        })
    });
    let settings = Memo::new(move |_| {
        week.with(|week| {
            week.as_ref()
                .map(|week| exception_settings(&week.exception_settings))
                .unwrap_or_default()
        })
    });
    let editing = RwSignal::new(false);
    let is_locked = Memo::new(move |_| {
        week.with(|week| week.as_ref().is_some_and(|week| week.locked.is_some()))
    });
    let drafts = RwSignal::new(Vec::<LineDraft>::new());
    let server_errors = RwSignal::new(Vec::<ServerFieldError>::new());
    let save_errors = RwSignal::new(Vec::<SummaryError>::new());
    let conflict = RwSignal::new(false);
    let saving = RwSignal::new(false);
    let saved_message = RwSignal::new(String::new());

    let rules = Memo::new(move |_| {
        week.with(|week| {
            week.as_ref()
                .map(|week| contract_rules(&week.rules))
                .unwrap_or_default()
        })
    });
    // Unplanned lines added while editing ("Add actual: Unplanned"), after the saved ones.
    let added = RwSignal::new(Vec::<ActualLine>::new());
    let edit_lines = Memo::new(move |_| {
        let mut lines = client.with(|client| {
            client
                .as_ref()
                .map(|client| client.lines.clone())
                .unwrap_or_default()
        });
        lines.extend(added.get());
        lines
    });
    let outcomes = Memo::new(move |_| {
        let settings = settings.get();
        let rules = rules.get();
        edit_lines.with(|lines| {
            drafts.with(|drafts| {
                lines
                    .iter()
                    .zip(drafts)
                    .map(|(line, draft)| assess_draft(line, draft, &settings, &rules))
                    .collect::<Vec<_>>()
            })
        })
    });
    let can_save = move || {
        !saving.get() && outcomes.with(|outcomes| outcomes.iter().all(DraftOutcome::is_valid))
    };

    let (display_name, ssref) = client
        .get_untracked()
        .map(|client| (client.client.display_name, client.client.ssref))
        .unwrap_or_default();
    let heading_id = format!("client-{client_key}");
    let display_name_for_history = display_name.clone();

    let focus_later = |id: String| request_animation_frame(move || focus_field(&id));
    let client_key_for_rows = client_key.clone();

    // Leaving the page (reload, close, another site) with unsaved changes asks first.
    let dirty = Memo::new(move |_| {
        editing.get()
            && (added.with(|added| !added.is_empty())
                || edit_lines.with(|lines| {
                    drafts.with(|drafts| {
                        lines
                            .iter()
                            .zip(drafts)
                            .any(|(line, draft)| LineDraft::from_line(line) != *draft)
                    })
                }))
    });
    let unload_guard = StoredValue::new_local(None::<WindowListenerHandle>);
    Effect::new(move |_| {
        if dirty.get() {
            if unload_guard.with_value(Option::is_none) {
                let handle = window_event_listener(leptos::ev::beforeunload, |event| {
                    event.prevent_default();
                    event.set_return_value("You have unsaved changes.");
                });
                unload_guard.set_value(Some(handle));
            }
        } else if let Some(handle) = unload_guard.try_update_value(Option::take).flatten() {
            handle.remove();
        }
    });
    on_cleanup(move || {
        if let Some(handle) = unload_guard.try_update_value(Option::take).flatten() {
            handle.remove();
        }
    });

    let start_edit = {
        let client_key = client_key.clone();
        move |_| {
            let Some(current) = client.get_untracked() else {
                return;
            };
            added.set(Vec::new());
            drafts.set(current.lines.iter().map(LineDraft::from_line).collect());
            server_errors.set(Vec::new());
            save_errors.set(Vec::new());
            conflict.set(false);
            saved_message.set(String::new());
            editing.set(true);
            // A timetabled first line has no Actual to type: its first weekday tick instead.
            let first = match current.lines.first() {
                Some(line) if line.timetable.is_some() => format!("session-{client_key}-0-0-day-0"),
                _ => input_id(&client_key, 0, Field::Actual),
            };
            focus_later(first);
        }
    };

    let leave_edit = {
        let client_key = client_key.clone();
        move || {
            editing.set(false);
            added.set(Vec::new());
            drafts.set(Vec::new());
            server_errors.set(Vec::new());
            save_errors.set(Vec::new());
            conflict.set(false);
            focus_later(edit_button_id(&client_key));
        }
    };

    let undo = {
        let leave_edit = leave_edit.clone();
        move |_| leave_edit()
    };

    let reload = {
        let leave_edit = leave_edit.clone();
        move |_| {
            leave_edit();
            on_reload.run(());
        }
    };

    let save = {
        let client_key = client_key.clone();
        let display_name = display_name.clone();
        move |_| {
            let (Some(current), Some(service_week), Some(token)) = (
                client.get_untracked(),
                week.get_untracked(),
                session.access_token(),
            ) else {
                return;
            };
            let lines = edit_lines.get_untracked();
            let update = UpdateClientWeek {
                version: current.version,
                lines: drafts.with_untracked(|drafts| {
                    lines
                        .iter()
                        .zip(drafts)
                        .map(|(line, draft)| draft.to_input(line))
                        .collect()
                }),
            };
            saving.set(true);
            save_errors.set(Vec::new());
            conflict.set(false);
            let client_key = client_key.clone();
            let display_name = display_name.clone();
            let leave_edit = leave_edit.clone();
            spawn_local(async move {
                let outcome = api::update_client_week(
                    &token,
                    &service_week.service.id,
                    &service_week.week,
                    &current.client.id,
                    &update,
                )
                .await;
                saving.set(false);
                match outcome {
                    Ok(saved) => {
                        on_saved.run(saved);
                        saved_message.set(format!("Actuals saved for {display_name}."));
                        leave_edit();
                    }
                    Err(problem) if problem.status == 401 => session.sign_out(),
                    Err(problem) if problem.status == 409 => {
                        conflict.set(true);
                        save_errors.set(vec![SummaryError::general(CONFLICT)]);
                    }
                    Err(problem) => {
                        let mut pinned = Vec::new();
                        let mut summary = Vec::new();
                        for error in &problem.errors {
                            match locate_field_error(&error.field) {
                                Some((line, field)) if line < lines.len() => {
                                    let level = &lines[line].service_level.name;
                                    summary.push(SummaryError::at(
                                        input_id(&client_key, line, field),
                                        format!("{} for {level}: {}", field.label(), error.message),
                                    ));
                                    pinned.push(ServerFieldError {
                                        line,
                                        field,
                                        message: format!("{} {}", field.label(), error.message),
                                    });
                                }
                                _ => summary.push(SummaryError::general(format!(
                                    "{}: {}",
                                    error.field, error.message
                                ))),
                            }
                        }
                        if summary.is_empty() {
                            summary.push(SummaryError::general(problem.detail.clone()));
                        }
                        server_errors.set(pinned);
                        save_errors.set(summary);
                    }
                }
            });
        }
    };

    // One input of an edited line, with its label, and the error of the typed text or, failing
    // that, what the server said about it.
    let edit_cell = {
        let client_key = client_key.clone();
        move |line_index: usize, field: Field, level_name: &str, initial: String| {
            let id = input_id(&client_key, line_index, field);
            let error_id = format!("{id}-error");
            let error = Memo::new(move |_| {
                let local = outcomes.with(|outcomes| {
                    outcomes
                        .get(line_index)
                        .and_then(|outcome| outcome.problem(field).map(str::to_owned))
                });
                local.or_else(|| {
                    server_errors.with(|errors| {
                        errors
                            .iter()
                            .find(|error| error.line == line_index && error.field == field)
                            .map(|error| error.message.clone())
                    })
                })
            });
            let on_input = move |event: leptos::ev::Event| {
                let text = event_target_value(&event);
                drafts.update(|drafts| {
                    if let Some(draft) = drafts.get_mut(line_index) {
                        draft.set(field, text);
                    }
                });
                server_errors.update(|errors| {
                    errors.retain(|error| !(error.line == line_index && error.field == field))
                });
            };
            let lines_count = move || edit_lines.with_untracked(Vec::len);
            // Arrow keys and Enter move around the grid as in a spreadsheet; Tab is the
            // browser's own. Left and right move only from the edge of the text.
            let on_keydown = {
                let client_key = client_key.clone();
                move |event: leptos::ev::KeyboardEvent| {
                    let at_edge = |to_end: bool| {
                        event_target::<web_sys::HtmlInputElement>(&event)
                            .selection_start()
                            .ok()
                            .flatten()
                            .zip(Some(event_target_value(&event).encode_utf16().count()))
                            .is_none_or(|(caret, length)| {
                                if to_end {
                                    usize::try_from(caret).is_ok_and(|caret| caret >= length)
                                } else {
                                    caret == 0
                                }
                            })
                    };
                    let step = match event.key().as_str() {
                        "ArrowUp" if field != Field::Comment => Step::Up,
                        "ArrowDown" if field != Field::Comment => Step::Down,
                        "Enter" if field != Field::Comment && !event.shift_key() => Step::Down,
                        "ArrowLeft" if field != Field::Comment && at_edge(false) => Step::Left,
                        "ArrowRight" if field != Field::Comment && at_edge(true) => Step::Right,
                        _ => return,
                    };
                    if let Some(target) =
                        next_cell(&client_key, line_index, field, step, lines_count())
                    {
                        event.prevent_default();
                        focus_field(&target);
                    }
                }
            };
            // A block copied from a spreadsheet fills the cells from this one rightwards and
            // downwards; a single value is pasted as usual.
            let on_paste = {
                let client_key = client_key.clone();
                move |event: leptos::ev::ClipboardEvent| {
                    let Some(text) = event
                        .clipboard_data()
                        .and_then(|data| data.get_data("text").ok())
                    else {
                        return;
                    };
                    let block = paste_block(&text);
                    if block.len() < 2 && block.first().is_none_or(|row| row.len() < 2) {
                        return;
                    }
                    event.prevent_default();
                    let start = Field::ALL.iter().position(|f| *f == field).unwrap_or(0);
                    let mut filled = Vec::new();
                    drafts.update(|drafts| {
                        for (row_offset, cells) in block.iter().enumerate() {
                            let Some(draft) = drafts.get_mut(line_index + row_offset) else {
                                break;
                            };
                            for (column_offset, cell) in cells.iter().enumerate() {
                                let Some(target) = Field::ALL.get(start + column_offset) else {
                                    break;
                                };
                                draft.set(*target, cell.clone());
                                filled.push((
                                    input_id(&client_key, line_index + row_offset, *target),
                                    cell.clone(),
                                ));
                            }
                        }
                    });
                    fill_inputs(&filled);
                }
            };
            let label = format!("{} for {level_name}", field.label());
            let described_by = {
                let error_id = error_id.clone();
                move || error.with(|error| error.as_ref().map(|_| error_id.clone()))
            };
            let control = if field == Field::Comment {
                view! {
                    <textarea
                        class="govuk-textarea app-comment-input"
                        class:govuk-textarea--error=move || error.with(Option::is_some)
                        id=id.clone()
                        name=id.clone()
                        rows="2"
                        aria-describedby=described_by
                        prop:value=initial
                        on:input=on_input
                        on:paste=on_paste
                    ></textarea>
                }
                .into_any()
            } else {
                view! {
                    <input
                        class="govuk-input app-quantity-input"
                        class:govuk-input--error=move || error.with(Option::is_some)
                        id=id.clone()
                        name=id.clone()
                        type="text"
                        inputmode="decimal"
                        autocomplete="off"
                        spellcheck="false"
                        aria-describedby=described_by
                        prop:value=initial
                        on:input=on_input
                        on:keydown=on_keydown
                        on:paste=on_paste
                    />
                }
                .into_any()
            };
            view! {
                <td class="govuk-table__cell app-edit-cell" class:app-col-comment=field == Field::Comment>
                    <div class="govuk-form-group app-edit-group" class:govuk-form-group--error=move || error.with(Option::is_some)>
                        <label class="govuk-label govuk-visually-hidden" for=id>{label}</label>
                        {move || error.get().map(|message| view! {
                            <p class="govuk-error-message" id=error_id.clone()>
                                <span class="govuk-visually-hidden">"Error: "</span>
                                {message}
                            </p>
                        })}
                        {control}
                    </div>
                </td>
            }
        }
    };

    let edit_row = move |line_index: usize, line: ActualLine, draft: LineDraft| {
        let outcome = move || outcomes.with(|outcomes| outcomes.get(line_index).cloned());
        let colour = move || {
            outcome()
                .and_then(|outcome| outcome.assessment)
                .map(|assessment| colour_code(assessment.colour))
                .unwrap_or("grey")
        };
        let level_name = line.service_level.name.clone();
        let by_rows = line.timetable.is_some();
        // A timetabled line's four figures follow from its rows: shown, not typed.
        let computed = move |field: Field| {
            view! {
                <td class="govuk-table__cell govuk-table__cell--numeric app-computed" aria-live="polite">
                    {move || {
                        outcome()
                            .and_then(|outcome| outcome.figures)
                            .map(|figures| {
                                let value = match field {
                                    Field::Actual => figures.actual,
                                    Field::Frustrated => figures.frustrated,
                                    Field::Missed => figures.missed,
                                    _ => figures.extra,
                                };
                                portal_domain::format::format_number(value.value())
                            })
                            .unwrap_or_default()
                    }}
                </td>
            }
        };
        let cells = [
            Field::Actual,
            Field::Frustrated,
            Field::Missed,
            Field::Extra,
            Field::Visits,
        ]
        .into_iter()
        .map(|field| {
            if by_rows && field != Field::Visits {
                computed(field).into_any()
            } else {
                edit_cell(line_index, field, &level_name, draft.get(field).to_owned()).into_any()
            }
        })
        .collect_view();
        let cost = move || match outcome().and_then(|outcome| outcome.assessment) {
            Some(assessment) => view! {
                <span class="app-cost">{format_money(assessment.cost)}</span>
                <span class="app-explanation">{assessment.explanation}</span>
            }
            .into_any(),
            None => view! {
                <span class="app-explanation">"Correct the figures to see the cost"</span>
            }
            .into_any(),
        };
        let exceptions = move || {
            outcome()
                .and_then(|outcome| outcome.assessment)
                .map(|assessment| {
                    view! { <ExceptionsCell exceptions=exception_views(&assessment) expanded=true /> }
                })
        };
        let line_for_note = line.clone();
        let allocation = move || {
            outcome().and_then(|outcome| {
                allocation_note(&line_for_note, allocation_left(&line_for_note, &outcome))
            })
        };
        let sessions = by_rows.then(|| {
            view! {
                <tr class="govuk-table__row app-sessions-row">
                    <td class="govuk-table__cell" colspan="10">
                        <SessionRows
                            id_prefix=format!("{}-{line_index}", client_key_for_rows.clone())
                            level_name=level_name.clone()
                            rate=line.rate.clone()
                            line_index=line_index
                            drafts=drafts
                            outcomes=outcomes
                        />
                    </td>
                </tr>
            }
        });
        view! {
            <tr class=move || format!("govuk-table__row app-row app-row--editing app-row--{}", colour())>
                <th scope="row" class="govuk-table__header app-col-level">
                    <span class="app-level-name">{level_name.clone()}</span>
                    {line.unplanned.then(|| view! { <span class="app-explanation">"Unplanned: no care package line item"</span> })}
                    {allocation}
                    {move || status_tag(colour(), true)}
                </th>
                <td class="govuk-table__cell govuk-table__cell--numeric">{quantity_text(&line.planned)}</td>
                {cells}
                <td class="govuk-table__cell app-col-cost" aria-live="polite">{cost}</td>
                {edit_cell(line_index, Field::Comment, &level_name, draft.comment.clone())}
                <td class="govuk-table__cell app-col-exceptions">{exceptions}</td>
            </tr>
            {sessions}
        }
    };

    let rows = move || {
        let Some(current) = client.get() else {
            return ().into_any();
        };
        if editing.get() {
            let drafts = drafts.get_untracked();
            edit_lines
                .get()
                .into_iter()
                .zip(drafts)
                .enumerate()
                .map(|(index, (line, draft))| edit_row(index, line, draft))
                .collect_view()
                .into_any()
        } else {
            // Providers may ask the council for a variation from a line beyond its plan.
            let variation = (!session.is_council())
                .then(|| {
                    week.with(|week| {
                        week.as_ref().map(|week| VariationContext {
                            client_id: current.client.id.clone(),
                            client_name: current.client.display_name.clone(),
                            service_name: week.service.name.clone(),
                            week: week.week.clone(),
                        })
                    })
                })
                .flatten();
            current
                .lines
                .into_iter()
                .map(|line| saved_row(line, variation.as_ref()))
                .collect_view()
                .into_any()
        }
    };

    let totals = move || {
        if editing.get() {
            let typed =
                edit_lines.with(|lines| outcomes.with(|outcomes| live_totals(lines, outcomes)));
            match typed {
                Some(label) => format!("{label} (not saved yet)"),
                None => "Correct the figures to see the total".to_owned(),
            }
        } else {
            client
                .with(|client| client.as_ref().map(|client| client.totals.label.clone()))
                .unwrap_or_default()
        }
    };

    // Confirm the week as it stands; a change afterwards clears it (on the server).
    let confirm = {
        let display_name = display_name.clone();
        move |_| {
            let (Some(current), Some(service_week), Some(token)) = (
                client.get_untracked(),
                week.get_untracked(),
                session.access_token(),
            ) else {
                return;
            };
            saving.set(true);
            save_errors.set(Vec::new());
            let display_name = display_name.clone();
            spawn_local(async move {
                let outcome = api::confirm_client_week(
                    &token,
                    &service_week.service.id,
                    &service_week.week,
                    &current.client.id,
                    current.version,
                )
                .await;
                saving.set(false);
                match outcome {
                    Ok(confirmed) => {
                        on_saved.run(confirmed);
                        saved_message.set(format!("Week confirmed for {display_name}."));
                    }
                    Err(problem) if problem.status == 401 => session.sign_out(),
                    Err(problem) if problem.status == 409 => {
                        conflict.set(true);
                        save_errors.set(vec![SummaryError::general(problem.detail)]);
                    }
                    Err(problem) => save_errors.set(vec![SummaryError::general(problem.detail)]),
                }
            });
        }
    };
    let confirmed_text = move || {
        client.with(|client| {
            client
                .as_ref()
                .and_then(|client| client.confirmed.as_ref())
                .map(|confirmed| {
                    format!(
                        "Confirmed by {} on {}",
                        confirmed.by,
                        date_text(confirmed.at.get(..10).unwrap_or(&confirmed.at))
                    )
                })
        })
    };
    let name_for_confirm = display_name.clone();

    // The history needs the service and week the grid shows; they are there once loaded.
    let history_of = client_id_for_history.clone();
    let history = move || {
        week.with(|week| {
            week.as_ref().map(|week| {
                view! {
                    <WeekHistory
                        service_id=week.service.id.clone()
                        week=week.week.clone()
                        client_id=history_of.clone()
                        version=Signal::derive(move || client.with(|client| client.as_ref().map_or(0, |c| c.version)))
                        name=display_name_for_history.clone()
                    />
                }
            })
        })
    };
    // "Add actual: Unplanned" offers the contract's per-unit levels the client has no line for.
    let unplanned_choice = RwSignal::new(String::new());
    let unplanned_choices = move || {
        let taken: Vec<String> = edit_lines.with(|lines| {
            lines
                .iter()
                .map(|line| line.service_level.id.clone())
                .collect()
        });
        week.with(|week| {
            week.as_ref()
                .map(|week| {
                    week.unplanned_levels
                        .iter()
                        .filter(|priced| !taken.contains(&priced.service_level.id))
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        })
    };
    let unplanned_select_id = format!("unplanned-{client_key}");
    let name_for_unplanned = display_name.clone();
    let add_unplanned = {
        let client_key = client_key.clone();
        let labelled = format!("{display_name} ({ssref})");
        move |_| {
            let chosen = unplanned_choice.get_untracked();
            let Some(priced) = unplanned_choices()
                .into_iter()
                .find(|priced| priced.service_level.id == chosen)
            else {
                return;
            };
            let Some(service_week) = week.get_untracked() else {
                return;
            };
            let line = unplanned_line(&labelled, &service_week, priced);
            drafts.update(|drafts| drafts.push(LineDraft::from_line(&line)));
            added.update(|added| added.push(line));
            unplanned_choice.set(String::new());
            let index = edit_lines.with_untracked(Vec::len).saturating_sub(1);
            focus_later(input_id(&client_key, index, Field::Actual));
        }
    };
    let labelled_by = heading_id.clone();
    let edit_id = edit_button_id(&client_key);
    let caption = format!("Actual lines for {display_name} ({ssref})");
    let name_for_buttons = display_name.clone();
    let name_for_save = display_name.clone();
    let name_for_undo = display_name.clone();

    view! {
        <section class="app-client" aria-labelledby=labelled_by>
            <div class="app-client__header">
                <h3 class="govuk-heading-m app-client__name" id=heading_id>
                    {format!("{display_name} ({ssref})")}
                </h3>
                <p class="govuk-body app-client__total">
                    <span class="govuk-!-font-weight-bold">"Total: "</span>
                    <span class="app-client__total-label">{totals}</span>
                </p>
                <Show when=move || !editing.get() && !is_locked.get() && !session.is_council()>
                    <button
                        type="button"
                        class="govuk-button govuk-button--secondary app-client__edit"
                        id=edit_id.clone()
                        on:click=start_edit.clone()
                    >
                        "Add/Edit"
                        <span class="govuk-visually-hidden">{format!(" actuals for {name_for_buttons}")}</span>
                    </button>
                </Show>
                <Show when=move || !editing.get() && !is_locked.get() && !session.is_council() && confirmed_text().is_none()>
                    <button
                        type="button"
                        class="govuk-button govuk-button--secondary app-client__confirm"
                        disabled=move || saving.get()
                        on:click=confirm.clone()
                    >
                        "Confirm"
                        <span class="govuk-visually-hidden">{format!(" the week for {name_for_confirm}")}</span>
                    </button>
                </Show>
                {move || client.with(|client| client.as_ref().is_some_and(|client| client.late)).then(|| view! {
                    <p class="govuk-body app-client__late">
                        <strong class="govuk-tag govuk-tag--orange">"Late"</strong>
                        <span class="govuk-visually-hidden">" recorded after the council's deadline"</span>
                    </p>
                })}
                {move || confirmed_text().map(|text| view! {
                    <p class="govuk-body app-client__confirmed"><strong class="govuk-tag govuk-tag--green">{text}</strong></p>
                })}
            </div>
            <p class="govuk-body app-client__saved" role="status">{move || saved_message.get()}</p>
            <ErrorSummary errors=save_errors title="Your changes were not saved" />
            <Show when=move || conflict.get()>
                <button type="button" class="govuk-button govuk-button--secondary" on:click=reload.clone()>
                    "Reload this week"
                </button>
            </Show>
            <div class="app-table-wrapper">
                <table class="govuk-table app-actuals-table">
                    <caption class="govuk-table__caption govuk-visually-hidden">{caption}</caption>
                    {table_head()}
                    <tbody class="govuk-table__body">{rows}</tbody>
                </table>
            </div>
            <Show when=move || editing.get() && !unplanned_choices().is_empty()>
                <div class="govuk-form-group app-add-unplanned">
                    <label class="govuk-label" for=unplanned_select_id.clone()>"Add actual: Unplanned"</label>
                    <div class="govuk-hint" id=format!("{unplanned_select_id}-hint")>
                        {format!("A service level with no care package line item for {name_for_unplanned} this week")}
                    </div>
                    <select
                        class="govuk-select"
                        id=unplanned_select_id.clone()
                        aria-describedby=format!("{unplanned_select_id}-hint")
                        on:change=move |event| unplanned_choice.set(event_target_value(&event))
                        prop:value=move || unplanned_choice.get()
                    >
                        <option value="">"Choose a service level"</option>
                        {move || unplanned_choices().into_iter().map(|priced| view! {
                            <option value=priced.service_level.id.clone()>
                                {format!("{} ({} {})", priced.service_level.name, money_text(&priced.rate), per_unit(&priced.service_level.unit))}
                            </option>
                        }).collect_view()}
                    </select>
                    <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-left-2 govuk-!-margin-bottom-0" on:click=add_unplanned.clone()>
                        "Add line"
                    </button>
                </div>
            </Show>
            <Show when=move || editing.get()>
                <div class="govuk-button-group">
                    <button
                        type="button"
                        class="govuk-button"
                        data-module="govuk-button"
                        disabled=move || !can_save()
                        on:click=save.clone()
                    >
                        "Save"
                        <span class="govuk-visually-hidden">{format!(" actuals for {name_for_save}")}</span>
                    </button>
                    <button type="button" class="govuk-button govuk-button--secondary" on:click=undo.clone()>
                        "Undo"
                        <span class="govuk-visually-hidden">{format!(" changes for {name_for_undo}")}</span>
                    </button>
                </div>
            </Show>
            {history}
        </section>
    }
}
