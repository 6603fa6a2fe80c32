//! "Import actuals" for one service (DOMAIN 4.8): export the service's actuals between two
//! dates and its commissioned care as CSV files; choose an edited file, see every line's
//! check, then "Update system" writes the valid lines in one go.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use portal_dto::{ActualsImport, ImportLine, Problem};
use wasm_bindgen::JsCast;

use crate::api::{self, with_token};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{checked_date, error_of, DateInput, DateParts};
use crate::components::page_title::set_page_title;
use crate::components::problem::sign_out_when_refused;
use crate::format::{date_text, week_iso};
use crate::session::{use_session, Session};

const FILE_ID: &str = "actuals-file";

/// The chosen file's name and text.
async fn chosen_file() -> Result<(String, String), String> {
    let file = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id(FILE_ID))
        .and_then(|element| element.dyn_into::<web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files())
        .and_then(|files| files.get(0))
        .ok_or_else(|| "Select a CSV file of actuals".to_owned())?;
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .ok()
        .and_then(|text| text.as_string())
        .ok_or_else(|| "The selected file could not be read".to_owned())?;
    Ok((file.name(), text))
}

/// The problem's sentence and each named field, for the error summary.
fn problem_lines(problem: &Problem, field_id: &str) -> Vec<SummaryError> {
    let mut lines = vec![SummaryError::at(field_id, problem.detail.clone())];
    for error in &problem.errors {
        let message = match error.field.as_str() {
            "file" => format!("The file {}", error.message),
            "reference" => format!("The file's name {}", error.message),
            field => format!("{field}: {}", error.message),
        };
        lines.push(SummaryError::at(field_id, message));
    }
    lines
}

/// "06/06/2022", or the week as the file gave it when it is not a date.
fn week_label(week: &str) -> String {
    date_text(week)
}

fn line_errors_text(line: &ImportLine) -> String {
    line.errors
        .iter()
        .map(|error| format!("{}: {}", error.field, error.message))
        .collect::<Vec<_>>()
        .join("; ")
}

/// One line of the file, as the preview table shows it.
#[component]
fn PreviewRow(line: ImportLine) -> impl IntoView {
    let valid = line.status == "valid";
    let errors = line.errors.clone();
    let warnings = line.warnings.clone();
    let client = if line.client.is_empty() {
        line.ssref.clone()
    } else {
        format!("{} ({})", line.client, line.ssref)
    };
    view! {
        <tr class="govuk-table__row" id=format!("line-{}", line.line)>
            <td class="govuk-table__cell govuk-table__cell--numeric">{line.line}</td>
            <td class="govuk-table__cell">{client}</td>
            <td class="govuk-table__cell">{week_label(&line.week)}</td>
            <td class="govuk-table__cell">
                {if valid {
                    view! { <strong class="govuk-tag govuk-tag--green">"Valid"</strong> }.into_any()
                } else {
                    view! { <strong class="govuk-tag govuk-tag--red">"Invalid"</strong> }.into_any()
                }}
            </td>
            <td class="govuk-table__cell">
                <ul class="govuk-list govuk-!-margin-bottom-0">
                    {errors
                        .into_iter()
                        .map(|error| view! { <li>{format!("{}: {}", error.field, error.message)}</li> })
                        .collect_view()}
                    {warnings
                        .into_iter()
                        .map(|warning| view! { <li>{format!("Warning, {}: {}", warning.field, warning.message)}</li> })
                        .collect_view()}
                </ul>
            </td>
        </tr>
    }
}

/// The checked file: counts, the invalid lines summarised, every line, and "Update system".
#[component]
fn Preview(
    import: ActualsImport,
    on_commit: Callback<String>,
    committing: ReadSignal<bool>,
) -> impl IntoView {
    let invalid: Vec<SummaryError> = import
        .lines
        .iter()
        .filter(|line| line.status != "valid")
        .map(|line| {
            SummaryError::at(
                format!("line-{}", line.line),
                format!("Line {}: {}", line.line, line_errors_text(line)),
            )
        })
        .collect();
    let invalid = Signal::derive(move || invalid.clone());
    let counts = import.counts.clone();
    let id = import.id.clone();
    let can_commit = import.status == "previewed" && counts.valid > 0;
    let lines = import.lines.clone();
    view! {
        <h2 class="govuk-heading-m">{format!("Check {}", import.reference)}</h2>
        <ErrorSummary errors=invalid title="Some lines cannot be imported" />
        <p class="govuk-body">
            {format!(
                "{} lines: {} valid, {} invalid. Only valid lines are written; fix the others in the file and import it again under a new name.",
                counts.lines, counts.valid, counts.invalid
            )}
        </p>
        <table class="govuk-table">
            <caption class="govuk-table__caption govuk-table__caption--s">"Lines of the file"</caption>
            <thead class="govuk-table__head">
                <tr class="govuk-table__row">
                    <th scope="col" class="govuk-table__header govuk-table__header--numeric">"Line"</th>
                    <th scope="col" class="govuk-table__header">"Client (SSRef)"</th>
                    <th scope="col" class="govuk-table__header">"Week beginning"</th>
                    <th scope="col" class="govuk-table__header">"Status"</th>
                    <th scope="col" class="govuk-table__header">"Errors"</th>
                </tr>
            </thead>
            <tbody class="govuk-table__body">
                {lines.into_iter().map(|line| view! { <PreviewRow line=line /> }).collect_view()}
            </tbody>
        </table>
        <Show when=move || can_commit>
            {
                let id = id.clone();
                view! {
                    <button
                        type="button"
                        class="govuk-button"
                        data-module="govuk-button"
                        disabled=move || committing.get()
                        on:click=move |_| on_commit.run(id.clone())
                    >
                        "Update system"
                    </button>
                }
            }
        </Show>
    }
}

/// "Uploading…" as GOV.UK shows waiting: a labelled progress bar, announced politely.
#[component]
fn Working(#[prop(into)] label: String) -> impl IntoView {
    view! {
        <div class="govuk-!-margin-bottom-6" role="status" aria-live="polite">
            <label class="govuk-label" for="import-progress">{label}</label>
            <progress id="import-progress"></progress>
        </div>
    }
}

/// The export form: two dates, and the file of the service's actuals between them.
#[component]
fn ExportForm(service_id: Memo<String>, session: Session) -> impl IntoView {
    let from = DateParts::new();
    let to = DateParts::new();
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let current = week_iso(crate::format::current_week());
    let download = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let mut found = Vec::new();
        let first = checked_date(
            &from,
            "export-from",
            "The first date",
            Some("Enter the first date"),
            &mut found,
        );
        let last = checked_date(
            &to,
            "export-to",
            "The last date",
            Some("Enter the last date"),
            &mut found,
        );
        errors.set(found);
        let (Some(first), Some(last)) = (first, last) else {
            return;
        };
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let service = service_id.get_untracked();
        spawn_local(async move {
            match api::export_actuals_csv(&token, &service, &first, &last).await {
                Ok(text) => {
                    let name = format!("actuals-{first}-to-{last}.csv");
                    if let Err(message) = crate::download::save_csv(&name, &text) {
                        errors.set(vec![SummaryError::general(message)]);
                    }
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => {
                    let mut lines =
                        vec![SummaryError::at("export-from-day", problem.detail.clone())];
                    for error in &problem.errors {
                        let id = if error.field == "to" {
                            "export-to-day"
                        } else {
                            "export-from-day"
                        };
                        lines.push(SummaryError::at(id, error.message.clone()));
                    }
                    errors.set(lines);
                }
            }
        });
    };
    view! {
        <h2 class="govuk-heading-m">"Export actuals"</h2>
        <p class="govuk-body">
            "Download the actuals of every week between two dates (up to the week beginning "
            {date_text(&current)}
            "): recorded lines, and the plan where nothing is recorded yet."
        </p>
        <ErrorSummary errors=errors />
        <form novalidate on:submit=download>
            <DateInput id="export-from" legend="From" parts=from errors=errors />
            <DateInput id="export-to" legend="To" parts=to errors=errors />
            <button type="submit" class="govuk-button govuk-button--secondary" data-module="govuk-button">
                "Download actuals (CSV)"
            </button>
        </form>
    }
}

#[component]
pub fn ActualsImportPage() -> impl IntoView {
    set_page_title("Import actuals");
    let session = use_session();
    let params = use_params_map();
    let service_id =
        Memo::new(move |_| params.with(|params| params.get("service_id").unwrap_or_default()));
    let services = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move { api::services(&token).await })
    });
    sign_out_when_refused(session, services);
    let service_name = move || {
        services
            .get()
            .and_then(|result| result.ok())
            .and_then(|page| {
                page.items
                    .into_iter()
                    .find(|service| service.id == service_id.get())
                    .map(|service| service.name)
            })
    };

    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let working = RwSignal::new(None::<&'static str>);
    let preview = RwSignal::new(None::<ActualsImport>);
    let written = RwSignal::new(None::<ActualsImport>);
    let (committing, set_committing) = signal(false);

    let check_file = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let service = service_id.get_untracked();
        errors.set(Vec::new());
        preview.set(None);
        written.set(None);
        spawn_local(async move {
            let (name, text) = match chosen_file().await {
                Ok(file) => file,
                Err(message) => {
                    errors.set(vec![SummaryError::at(FILE_ID, message)]);
                    return;
                }
            };
            working.set(Some("Uploading and checking the file…"));
            let result = api::preview_import(&token, &service, &name, text).await;
            working.set(None);
            match result {
                Ok(import) => preview.set(Some(import)),
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(problem_lines(&problem, FILE_ID)),
            }
        });
    };

    let commit = Callback::new(move |import_id: String| {
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        set_committing.set(true);
        working.set(Some("Writing the valid lines…"));
        spawn_local(async move {
            let result = api::commit_import(&token, &import_id).await;
            working.set(None);
            set_committing.set(false);
            match result {
                Ok(import) => {
                    preview.set(None);
                    written.set(Some(import));
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(problem_lines(&problem, FILE_ID)),
            }
        });
    });

    let download_care = move |_| {
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let service = service_id.get_untracked();
        spawn_local(async move {
            match api::commissioned_care_csv(&token, &service).await {
                Ok(text) => {
                    if let Err(message) = crate::download::save_csv("commissioned-care.csv", &text)
                    {
                        errors.set(vec![SummaryError::general(message)]);
                    }
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(vec![SummaryError::general(problem.detail)]),
            }
        });
    };

    view! {
        <a class="govuk-back-link" href="/actuals">"Back to actuals"</a>
        <span class="govuk-caption-l">{service_name}</span>
        <h1 class="govuk-heading-l">"Import actuals"</h1>
        {move || written.get().map(|import| {
            let count = import.counts.written.unwrap_or(0);
            view! {
                <div class="govuk-panel govuk-panel--confirmation" role="status">
                    <h2 class="govuk-panel__title">"Actuals updated"</h2>
                    <div class="govuk-panel__body">
                        {format!("{count} {} written from {}", if count == 1 { "line" } else { "lines" }, import.reference)}
                    </div>
                </div>
            }
        })}
        <ErrorSummary errors=errors />
        <h2 class="govuk-heading-m">"Import a file"</h2>
        <p class="govuk-body">
            "Export the actuals below, change Actual, Frustrated, Missed, Extra, Visits and Comment, delete the lines you do not want to submit, save it as CSV and choose it here. Nothing is written until you press Update system. A file can be imported once: give each file its own name."
        </p>
        <form novalidate on:submit=check_file>
            <div
                class="govuk-form-group"
                class:govuk-form-group--error=move || error_of(errors, FILE_ID).is_some()
            >
                <label class="govuk-label govuk-label--s" for=FILE_ID>"CSV file of actuals"</label>
                <div id="actuals-file-hint" class="govuk-hint">
                    "Columns cpli_id, week, actual, frustrated, missed, extra, visits and comment, as the export has them"
                </div>
                {move || error_of(errors, FILE_ID).map(|message| view! {
                    <p id="actuals-file-error" class="govuk-error-message">
                        <span class="govuk-visually-hidden">"Error: "</span>{message}
                    </p>
                })}
                <input
                    class="govuk-file-upload"
                    id=FILE_ID
                    name=FILE_ID
                    type="file"
                    accept=".csv,text/csv"
                    aria-describedby=move || if error_of(errors, FILE_ID).is_some() {
                        "actuals-file-hint actuals-file-error"
                    } else {
                        "actuals-file-hint"
                    }
                />
            </div>
            <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || working.get().is_some()>
                "Check file"
            </button>
        </form>
        {move || working.get().map(|label| view! { <Working label=label /> })}
        {move || preview.get().map(|import| view! { <Preview import=import on_commit=commit committing=committing /> })}
        <ExportForm service_id=service_id session=session />
        <h2 class="govuk-heading-m">"Commissioned care"</h2>
        <p class="govuk-body">"The service's current care package line items, one a line."</p>
        <button type="button" class="govuk-button govuk-button--secondary" data-module="govuk-button" on:click=download_care>
            "Download commissioned care (CSV)"
        </button>
    }
}
