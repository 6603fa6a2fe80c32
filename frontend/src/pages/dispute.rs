//! One dispute (DOMAIN 9; seed 000 "Responding to Disputes", seed 002 "Dispute"): who and
//! what it is about, its history, and week by week the client's lines in the actuals editor
//! the Actuals page uses, so the provider corrects them where the council asked. The provider
//! then responds and requests resolution; council staff resolve or reopen it.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use portal_dto::{
    ClientWeek, Dispute, DisputeDecision, DisputeEvent, DisputeWeek, Problem,
    RequestDisputeResolution,
};

use crate::api::{self, ApiResult};
use crate::components::client_actuals::ClientActuals;
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{problem_errors, Field, TextArea};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::title_with_errors;
use crate::components::problem::ProblemText;
use crate::flash::use_flash;
use crate::pages::actions::timestamp_text;
use crate::pages::attachments::{self, attachments_of, AttachmentList, ChosenFile, FileUpload};
use crate::pages::disputes::{status_tag_class, STATUSES};
use crate::session::use_session;

const FILES_ID: &str = "response-files";
/// Council staff's files for their Resolve or Reopen step.
const DECISION_FILES_ID: &str = "decision-files";

/// The id of the history's newest step: the one just saved, which its files go with.
fn newest_step_id(history: &[DisputeEvent]) -> Option<&str> {
    history.last().map(|event| event.id.as_str())
}

/// Each problem with the chosen files, at the file input `input_id`.
fn file_errors(input_id: &str, problems: Vec<String>) -> Vec<SummaryError> {
    problems
        .into_iter()
        .map(|problem| SummaryError::at(input_id, problem))
        .collect()
}

/// After a step is saved, sends `chosen` to that step (the newest in the history) and reads
/// the dispute again; the dispute to show and, if a file was refused, why.
async fn attach_to_new_step(
    token: &str,
    id: &str,
    outcome: ApiResult<Dispute>,
    chosen: Vec<ChosenFile>,
) -> (ApiResult<Dispute>, Option<String>) {
    let Ok(updated) = &outcome else {
        return (outcome, None);
    };
    if chosen.is_empty() {
        return (outcome, None);
    }
    let part = newest_step_id(&updated.history).map(|event_id| ("event_id", event_id));
    let not_attached = attachments::upload_all(token, "disputes", id, part, chosen)
        .await
        .err();
    match api::dispute(token, id).await {
        Ok(reread) => (Ok(reread), not_attached),
        Err(_) => (outcome, not_attached),
    }
}

/// "22 Aug 2022" from "2022-08-22", as the guides head a disputed week.
pub fn week_heading_date(iso: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    match portal_domain::calendar::parse_iso_date(iso) {
        Ok(date) => format!(
            "{} {} {}",
            date.day(),
            MONTHS[usize::from(u8::from(date.month())) - 1],
            date.year()
        ),
        Err(_) => iso.to_owned(),
    }
}

/// "Week Beginning 22 Aug 2022 (Ally Pally Home Care)".
pub fn week_heading(week: &DisputeWeek) -> String {
    format!(
        "Week Beginning {} ({})",
        week_heading_date(&week.week),
        week.actuals.service.name
    )
}

/// The service levels of the single lines disputed in a week; empty when every line is.
fn disputed_lines(week: &DisputeWeek, cpli_ids: &[String]) -> Vec<String> {
    week.actuals
        .clients
        .iter()
        .flat_map(|client| &client.lines)
        .filter(|line| cpli_ids.contains(&line.cpli_id))
        .map(|line| line.service_level.name.clone())
        .collect()
}

/// What a step of the history did, and the move it made: "Resolution requested (In Dispute
/// → Resolution Requested)"; raising names only the status it starts in.
fn event_title(event: &DisputeEvent) -> String {
    let step = match event.kind.as_str() {
        "raised" => "Raised",
        "resolution_requested" => "Resolution requested",
        "resolved" => "Resolved",
        "reopened" => "Reopened",
        _ => "Changed",
    };
    let from = event.from_status.as_deref().map(|code| {
        STATUSES
            .iter()
            .find(|(known, _)| *known == code)
            .map_or(code, |(_, label)| label)
    });
    match from {
        Some(from) => format!("{step} ({from} \u{2192} {})", event.to_status_label),
        None => format!("{step} ({})", event.to_status_label),
    }
}

fn response_fields() -> Vec<Field> {
    vec![Field::new(
        "response",
        "response",
        "Response",
        "Enter your response to the dispute",
    )]
}

fn comment_fields() -> Vec<Field> {
    vec![Field::new(
        "comment",
        "comment",
        "Comment",
        "Say why the dispute is reopened",
    )]
}

/// A refused step in the summary: a 409's detail as it stands, other refusals on their field.
fn step_errors(problem: &Problem, fields: &[Field]) -> Vec<SummaryError> {
    if problem.status == 409 {
        return vec![SummaryError::general(problem.detail.clone())];
    }
    problem_errors(problem, |api| {
        fields.iter().find(|field| field.api == api).cloned()
    })
}

#[component]
pub fn DisputePage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let dispute_id = move || params.with(|params| params.get("id").unwrap_or_default());
    let banner = RwSignal::new(use_flash().take());
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(|| "Dispute".to_owned(), errors);

    // Fetched by hand, not through a resource, so a refresh after a save keeps the editors
    // (and the focus inside them) on screen until the new figures arrive.
    let loaded = RwSignal::new(None::<ApiResult<Dispute>>);
    let load = move || {
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let id = dispute_id();
        spawn_local(async move {
            let result = api::dispute(&token, &id).await;
            if matches!(&result, Err(problem) if problem.status == 401) {
                session.sign_out();
            }
            loaded.try_set(Some(result));
        });
    };
    Effect::new(move |_| {
        dispute_id();
        load();
    });
    let dispute = Memo::new(move |_| loaded.with(|loaded| loaded.clone().and_then(Result::ok)));
    let problem = move || loaded.with(|loaded| loaded.clone().and_then(Result::err));

    // Only whether the dispute loaded decides what the page shows: new figures must not
    // rebuild the editors, which hold a client's edits and saved message.
    let state = Memo::new(move |_| loaded.with(|loaded| loaded.as_ref().map(Result::is_ok)));
    let content = move || {
        match state.get() {
        None => view! { <p class="govuk-body" role="status">"Loading the dispute…"</p> }.into_any(),
        Some(false) => view! {
            <h1 class="govuk-heading-l">"Dispute"</h1>
            {problem().map(|problem| view! { <ProblemText problem /> })}
        }
        .into_any(),
        Some(true) => view! { <DisputeView dispute loaded banner errors reload=Callback::new(move |()| load()) /> }.into_any(),
    }
    };
    view! {
        <a class="govuk-back-link" href="/disputes">"Back to disputes"</a>
        <SuccessBanner message=banner />
        <ErrorSummary errors />
        {content}
    }
}

#[component]
fn DisputeView(
    dispute: Memo<Option<Dispute>>,
    loaded: RwSignal<Option<ApiResult<Dispute>>>,
    banner: RwSignal<Option<String>>,
    errors: RwSignal<Vec<SummaryError>>,
    reload: Callback<()>,
) -> impl IntoView {
    let session = use_session();
    let council = session.is_council();
    let field = move |pick: fn(&Dispute) -> String| {
        move || dispute.with(|dispute| dispute.as_ref().map(pick).unwrap_or_default())
    };
    let status = Memo::new(move |_| {
        dispute.with(|dispute| {
            dispute
                .as_ref()
                .map(|dispute| dispute.summary.status.clone())
                .unwrap_or_default()
        })
    });
    let client_id = dispute
        .with_untracked(|dispute| dispute.as_ref().map(|d| d.summary.client.id.clone()))
        .unwrap_or_default();
    let cpli_ids = dispute
        .with_untracked(|dispute| dispute.as_ref().map(|d| d.summary.cpli_ids.clone()))
        .unwrap_or_default();
    let week_keys = move || {
        dispute.with(|dispute| {
            dispute
                .as_ref()
                .map(|dispute| dispute.weeks.iter().map(|week| week.week.clone()).collect())
                .unwrap_or_else(Vec::new)
        })
    };

    // A saved client-week changes the dispute's lines and totals: read it again.
    let on_saved = Callback::new(move |_saved: ClientWeek| reload.run(()));
    let week_section = move |key: String| {
        let week = Signal::derive({
            let key = key.clone();
            move || {
                dispute.with(|dispute| {
                    dispute
                        .as_ref()
                        .and_then(|dispute| dispute.weeks.iter().find(|week| week.week == key))
                        .cloned()
                })
            }
        });
        let actuals = Signal::derive(move || week.get().map(|week| week.actuals));
        let heading = week
            .get_untracked()
            .map(|week| week_heading(&week))
            .unwrap_or_default();
        let has_client = week.with_untracked(|week| {
            week.as_ref()
                .is_some_and(|week| !week.actuals.clients.is_empty())
        });
        let single = week
            .get_untracked()
            .map(|week| disputed_lines(&week, &cpli_ids))
            .unwrap_or_default();
        let client_id = client_id.clone();
        view! {
            <section class="app-dispute-week" aria-label=heading.clone()>
                <h2 class="govuk-heading-m">{heading.clone()}</h2>
                {(!single.is_empty()).then(|| view! {
                    <p class="govuk-body app-dispute-week__lines">
                        {format!("Disputed lines: {}", single.join(", "))}
                    </p>
                })}
                {if has_client {
                    view! {
                        <ClientActuals client_id week=actuals on_saved on_reload=reload />
                    }
                    .into_any()
                } else {
                    view! { <p class="govuk-body">"The client has no lines at this service this week."</p> }.into_any()
                }}
            </section>
        }
    };

    let history = move || {
        let (events, files) = dispute
            .get()
            .map(|dispute| (dispute.history, dispute.attachments))
            .unwrap_or_default();
        events
            .into_iter()
            .map(|event| {
                let event_files = attachments_of(&files, Some(&event.id));
                view! {
                    <li class="app-dispute-history__item">
                        <p class="govuk-body govuk-!-font-weight-bold govuk-!-margin-bottom-1">{event_title(&event)}</p>
                        <p class="govuk-body-s govuk-!-margin-bottom-1 app-dispute-history__by">
                            {format!("{} on {}", event.by, timestamp_text(&event.at))}
                        </p>
                        {(!event.text.trim().is_empty()).then(|| view! {
                            <p class="govuk-body app-dispute-history__text">{event.text.clone()}</p>
                        })}
                        <AttachmentList attachments=event_files />
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <span class="govuk-caption-l">{field(|dispute| dispute.summary.date_range_label.clone())}</span>
        <h1 class="govuk-heading-l">"Dispute"</h1>
        <dl class="govuk-summary-list app-dispute-details">
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Client"</dt>
                <dd class="govuk-summary-list__value">
                    {field(|dispute| format!("{} ({})", dispute.summary.client.sort_name, dispute.summary.client.ssref))}
                </dd>
            </div>
            {council.then(|| view! {
                <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">"Provider"</dt>
                    <dd class="govuk-summary-list__value">{field(|dispute| dispute.summary.organisation_name.clone())}</dd>
                </div>
            })}
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Service"</dt>
                <dd class="govuk-summary-list__value">{field(|dispute| dispute.summary.service_name.clone())}</dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Status"</dt>
                <dd class="govuk-summary-list__value">
                    <strong class=move || status_tag_class(&status.get())>
                        {field(|dispute| dispute.summary.status_label.clone())}
                    </strong>
                </dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Reason"</dt>
                <dd class="govuk-summary-list__value">{field(|dispute| dispute.summary.reason.clone())}</dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Details"</dt>
                <dd class="govuk-summary-list__value">{field(|dispute| dispute.summary.details.clone())}</dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Response"</dt>
                <dd class="govuk-summary-list__value">{field(|dispute| dispute.summary.response.clone())}</dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Date Range"</dt>
                <dd class="govuk-summary-list__value">{field(|dispute| dispute.summary.date_range_label.clone())}</dd>
            </div>
        </dl>
        {(!council).then(|| view! {
            <Show when=move || status.get() == "in_dispute">
                <p class="govuk-body">
                    "Correct the disputed actuals below with Add/Edit and Save, then give your response and request resolution."
                </p>
            </Show>
        })}
        <For each=week_keys key=|key| key.clone() let:key>
            {week_section(key)}
        </For>
        {if council {
            view! { <CouncilDecision dispute loaded banner errors /> }.into_any()
        } else {
            view! { <ProviderResponse dispute loaded banner errors /> }.into_any()
        }}
        <h2 class="govuk-heading-m">"History"</h2>
        <ol class="govuk-list app-dispute-history">{history}</ol>
        {move || {
            let files = dispute
                .with(|dispute| dispute.as_ref().map(|dispute| attachments_of(&dispute.attachments, None)))
                .unwrap_or_default();
            view! { <AttachmentList attachments=files /> }
        }}
        <p class="govuk-body"><a class="govuk-link" href="/disputes">"Back to disputes"</a></p>
    }
}

/// The provider's response and "Request Resolution", while the dispute is In Dispute.
#[component]
fn ProviderResponse(
    dispute: Memo<Option<Dispute>>,
    loaded: RwSignal<Option<ApiResult<Dispute>>>,
    banner: RwSignal<Option<String>>,
    errors: RwSignal<Vec<SummaryError>>,
) -> impl IntoView {
    let session = use_session();
    let response = RwSignal::new(String::new());
    let files = NodeRef::<html::Input>::new();
    let busy = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (Some(current), Some(token)) = (dispute.get_untracked(), session.access_token()) else {
            return;
        };
        let text = response.get_untracked().trim().to_owned();
        if text.is_empty() {
            errors.set(vec![SummaryError::at(
                "response",
                "Enter your response to the dispute",
            )]);
            return;
        }
        let body = RequestDisputeResolution {
            version: current.summary.version,
            response: text,
        };
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            // The files are checked before the response is sent, as the server will check them.
            let chosen = match attachments::read_chosen(files).await {
                Ok(chosen) => chosen,
                Err(problems) => {
                    busy.set(false);
                    errors.set(file_errors(FILES_ID, problems));
                    return;
                }
            };
            let id = current.summary.id.clone();
            let outcome = api::request_dispute_resolution(&token, &id, &body).await;
            // The response is the history's newest step: its files go with it.
            let (outcome, not_attached) = attach_to_new_step(&token, &id, outcome, chosen).await;
            busy.set(false);
            match outcome {
                Ok(updated) => {
                    attachments::clear(files);
                    errors.set(file_errors(FILES_ID, not_attached.into_iter().collect()));
                    response.set(String::new());
                    banner.set(Some("Resolution requested.".to_owned()));
                    loaded.set(Some(Ok(updated)));
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(step_errors(&problem, &response_fields())),
            }
        });
    };
    view! {
        <Show when=move || dispute.with(|dispute| dispute.as_ref().is_some_and(|d| d.summary.status == "in_dispute"))>
            <form class="app-dispute-response" novalidate on:submit=submit>
                <TextArea id="response" label="Response" value=response errors rows=5
                    hint="What you changed, or why the actuals are right as they stand" />
                <FileUpload id=FILES_ID input=files errors label="Attach evidence (optional)" />
                <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                    "Request Resolution"
                </button>
            </form>
        </Show>
    }
}

/// Council staff resolve (once resolution is requested) or reopen, with a comment.
#[component]
fn CouncilDecision(
    dispute: Memo<Option<Dispute>>,
    loaded: RwSignal<Option<ApiResult<Dispute>>>,
    banner: RwSignal<Option<String>>,
    errors: RwSignal<Vec<SummaryError>>,
) -> impl IntoView {
    let session = use_session();
    let comment = RwSignal::new(String::new());
    let files = NodeRef::<html::Input>::new();
    let busy = RwSignal::new(false);
    let status = move || {
        dispute.with(|dispute| {
            dispute
                .as_ref()
                .map(|dispute| dispute.summary.status.clone())
                .unwrap_or_default()
        })
    };
    let decide = move |action: &'static str| {
        if busy.get_untracked() {
            return;
        }
        let (Some(current), Some(token)) = (dispute.get_untracked(), session.access_token()) else {
            return;
        };
        let text = comment.get_untracked().trim().to_owned();
        if action == "reopen" && text.is_empty() {
            errors.set(vec![SummaryError::at(
                "comment",
                "Say why the dispute is reopened",
            )]);
            return;
        }
        let body = DisputeDecision {
            version: current.summary.version,
            comment: text,
        };
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            // The files are checked before the step is sent, as the server will check them.
            let chosen = match attachments::read_chosen(files).await {
                Ok(chosen) => chosen,
                Err(problems) => {
                    busy.set(false);
                    errors.set(file_errors(DECISION_FILES_ID, problems));
                    return;
                }
            };
            let id = current.summary.id.clone();
            let outcome = api::decide_dispute(&token, &id, action, &body).await;
            // The resolution or reopening is the history's newest step: its files go with it.
            let (outcome, not_attached) = attach_to_new_step(&token, &id, outcome, chosen).await;
            busy.set(false);
            match outcome {
                Ok(updated) => {
                    attachments::clear(files);
                    errors.set(file_errors(
                        DECISION_FILES_ID,
                        not_attached.into_iter().collect(),
                    ));
                    comment.set(String::new());
                    banner.set(Some(
                        if action == "resolve" {
                            "The dispute is resolved."
                        } else {
                            "The dispute is reopened: it is In Dispute again."
                        }
                        .to_owned(),
                    ));
                    loaded.set(Some(Ok(updated)));
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(step_errors(&problem, &comment_fields())),
            }
        });
    };
    let may_resolve = move || status() == "resolution_requested";
    let may_reopen = move || matches!(status().as_str(), "resolution_requested" | "resolved");
    view! {
        <Show
            when=move || may_resolve() || may_reopen()
            fallback=|| view! {
                <p class="govuk-body app-dispute-waiting">
                    "The dispute is waiting for the provider's response. It can be resolved once they request resolution."
                </p>
            }
        >
            <form class="app-dispute-decision" novalidate on:submit=move |event: leptos::ev::SubmitEvent| {
                event.prevent_default();
                decide(if may_resolve() { "resolve" } else { "reopen" });
            }>
                <TextArea id="comment" label="Comment" value=comment errors rows=4
                    hint="Optional when resolving; when reopening, say what is still wrong" />
                <FileUpload id=DECISION_FILES_ID input=files errors />
                <div class="govuk-button-group">
                    <Show when=may_resolve>
                        <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                            "Resolve"
                        </button>
                    </Show>
                    <button
                        type="button"
                        class="govuk-button govuk-button--secondary"
                        data-module="govuk-button"
                        disabled=move || busy.get()
                        on:click=move |_| decide("reopen")
                    >
                        "Reopen"
                    </button>
                </div>
            </form>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_are_headed_as_in_the_guides() {
        assert_eq!(week_heading_date("2022-08-22"), "22 Aug 2022");
        assert_eq!(week_heading_date("2022-04-18"), "18 Apr 2022");
        assert_eq!(week_heading_date("nonsense"), "nonsense");
    }

    #[test]
    fn history_steps_read_in_words() {
        let event = |kind: &str, label: &str| DisputeEvent {
            id: String::new(),
            kind: kind.to_owned(),
            from_status: None,
            to_status: String::new(),
            to_status_label: label.to_owned(),
            text: String::new(),
            at: String::new(),
            by: String::new(),
        };
        let mut requested = event("resolution_requested", "Resolution Requested");
        requested.from_status = Some("in_dispute".to_owned());
        assert_eq!(
            event_title(&event("raised", "In Dispute")),
            "Raised (In Dispute)"
        );
        assert_eq!(
            event_title(&requested),
            "Resolution requested (In Dispute \u{2192} Resolution Requested)"
        );
    }

    #[test]
    fn a_new_steps_files_go_with_the_newest_step() {
        let step = |id: &str| DisputeEvent {
            id: id.to_owned(),
            kind: "raised".to_owned(),
            from_status: None,
            to_status: String::new(),
            to_status_label: String::new(),
            text: String::new(),
            at: String::new(),
            by: String::new(),
        };
        assert_eq!(
            newest_step_id(&[step("3"), step("8"), step("12")]),
            Some("12")
        );
        assert_eq!(newest_step_id(&[]), None);
        assert_eq!(
            file_errors(DECISION_FILES_ID, vec!["scan.pdf: too big".to_owned()]),
            [SummaryError::at(DECISION_FILES_ID, "scan.pdf: too big")]
        );
    }

    #[test]
    fn a_stale_step_is_said_in_the_servers_words() {
        let problem = Problem {
            problem_type: "about:blank".to_owned(),
            title: "Conflict".to_owned(),
            status: 409,
            detail: "Resolution has already been requested.".to_owned(),
            errors: Vec::new(),
        };
        assert_eq!(
            step_errors(&problem, &response_fields()),
            [SummaryError::general(
                "Resolution has already been requested."
            )]
        );
    }
}
