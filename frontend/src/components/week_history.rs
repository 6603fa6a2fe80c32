//! A client's week's history under its grid: every change, who made it (a person or a
//! tool), when, and each line's figures before and after. Loaded when opened, and again
//! after each save.

use leptos::prelude::*;
use portal_dto::{ActualChange, LineChange, LineValues};

use crate::api::{self, with_token};
use crate::components::problem::ProblemText;
use crate::format::date_text;
use crate::session::use_session;

/// "23/11/2026 16:05 UTC" from an RFC 3339 timestamp.
pub fn when_text(at: &str) -> String {
    let date = date_text(at.get(..10).unwrap_or(at));
    match at.get(11..16) {
        Some(time) => format!("{date} {time} UTC"),
        None => date,
    }
}

/// "Jo Hunter", or "CallTime (tool)".
pub fn who_text(change: &ActualChange) -> String {
    if change.by_tool {
        format!("{} (tool)", change.by)
    } else {
        change.by.clone()
    }
}

/// What changed on one line, field by field: "Actual 7.00 → 6.00".
fn line_text(line: &LineChange) -> String {
    let (Some(old), Some(new)) = (&line.old, &line.new) else {
        return match &line.new {
            Some(_) => format!("{}: entered", line.service_level_name),
            None => format!("{}: generated from the plan", line.service_level_name),
        };
    };
    let field = |name: &str, before: &str, after: &str| {
        (before != after).then(|| format!("{name} {before} → {after}"))
    };
    let quoted = |text: &str| format!("\u{201c}{text}\u{201d}");
    let visits = |values: &LineValues| values.visits.clone().unwrap_or_default();
    let sessions = |values: &LineValues| values.sessions.clone().unwrap_or_default();
    let changes: Vec<String> = [
        field("Sessions", &sessions(old), &sessions(new)),
        field("Actual", &old.actual, &new.actual),
        field("Frustrated", &old.frustrated, &new.frustrated),
        field("Missed", &old.missed, &new.missed),
        field("Extra", &old.extra, &new.extra),
        field("Visits", &visits(old), &visits(new)),
        field("Comment", &quoted(&old.comment), &quoted(&new.comment)),
    ]
    .into_iter()
    .flatten()
    .collect();
    if changes.is_empty() {
        format!("{}: no change", line.service_level_name)
    } else {
        format!("{}: {}", line.service_level_name, changes.join(", "))
    }
}

/// Each line's change, one sentence per line.
pub fn change_lines(change: &ActualChange) -> Vec<String> {
    change.lines.iter().map(line_text).collect()
}

#[component]
pub fn WeekHistory(
    service_id: String,
    week: String,
    client_id: String,
    /// The client-week's version: a save moves it, and the history is read again.
    #[prop(into)]
    version: Signal<i64>,
    #[prop(into)] name: String,
) -> impl IntoView {
    let session = use_session();
    let open = RwSignal::new(false);
    let history = LocalResource::new(move || {
        let (service_id, week, client_id) = (service_id.clone(), week.clone(), client_id.clone());
        let wanted = open.get();
        let _ = version.get();
        let token = session.access_token();
        async move {
            if !wanted {
                return None;
            }
            Some(
                with_token(token, |token| async move {
                    api::client_week_history(&token, &service_id, &week, &client_id).await
                })
                .await,
            )
        }
    });
    let table = move || match history.get().flatten() {
        None => view! { <p class="govuk-body" role="status">"Loading the history…"</p> }.into_any(),
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(page)) if page.items.is_empty() => {
            view! { <p class="govuk-body">"Nothing has been recorded for this week yet."</p> }
                .into_any()
        }
        Some(Ok(page)) => {
            let rows = page
                .items
                .iter()
                .rev()
                .map(|change| {
                    let lines = change_lines(change)
                        .into_iter()
                        .map(|line| view! { <li>{line}</li> })
                        .collect_view();
                    view! {
                        <tr class="govuk-table__row">
                            <td class="govuk-table__cell">{when_text(&change.at)}</td>
                            <td class="govuk-table__cell">{who_text(change)}</td>
                            <td class="govuk-table__cell">
                                <ul class="govuk-list govuk-!-margin-bottom-0">{lines}</ul>
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <table class="govuk-table app-history">
                    <caption class="govuk-table__caption govuk-visually-hidden">
                        {format!("Changes to this week for {name}, newest first")}
                    </caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"When"</th>
                            <th scope="col" class="govuk-table__header">"Who"</th>
                            <th scope="col" class="govuk-table__header">"What changed"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{rows}</tbody>
                </table>
            }
            .into_any()
        }
    };
    view! {
        <details class="govuk-details app-history__details"
            on:toggle=move |event| open.set(event_target::<web_sys::HtmlDetailsElement>(&event).open())>
            <summary class="govuk-details__summary">
                <span class="govuk-details__summary-text">"History of this week"</span>
            </summary>
            <div class="govuk-details__text">{move || open.get().then(&table)}</div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(actual: &str, comment: &str) -> LineValues {
        LineValues {
            sessions: None,
            actual: actual.into(),
            frustrated: "0.00".into(),
            missed: "0.00".into(),
            extra: "0.00".into(),
            visits: Some("7.00".into()),
            comment: comment.into(),
        }
    }

    #[test]
    fn a_change_reads_field_by_field_and_names_a_tool() {
        let change = ActualChange {
            at: "2026-11-23T16:05:09Z".into(),
            by: "CallTime".into(),
            by_tool: true,
            source_ip: None,
            what: "saved".into(),
            version: Some(2),
            lines: vec![
                LineChange {
                    cpli_id: "2".into(),
                    service_level_name: "Single-handed".into(),
                    old: Some(values("7.00", "")),
                    new: Some(values("6.00", "From the rota")),
                },
                LineChange {
                    cpli_id: "3".into(),
                    service_level_name: "Double-handed".into(),
                    old: Some(values("2.00", "")),
                    new: Some(values("2.00", "")),
                },
            ],
        };
        assert_eq!(when_text(&change.at), "23/11/2026 16:05 UTC");
        assert_eq!(who_text(&change), "CallTime (tool)");
        assert_eq!(
            change_lines(&change),
            [
                "Single-handed: Actual 7.00 → 6.00, Comment \u{201c}\u{201d} → \u{201c}From the rota\u{201d}",
                "Double-handed: no change",
            ]
        );
    }
}
