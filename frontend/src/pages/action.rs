//! One action (DOMAIN 10; the guides' "Action Details" and "Respond to an Action"): its
//! title, what it is about, type, due date, assignee and status, then its thread of posts,
//! oldest first, and under it a form to post. The provider may Comment (the action stays
//! where it is), Reply (to a council team) and Request Closure; council staff may Comment,
//! Reply (to the provider, or to a team), move the due date and Close. A closed action takes
//! no more posts.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use portal_dto::{Action, ActionAssignee, ActionPost, Attachment, NewActionPost, Problem};

use crate::api::{self, with_token, ApiResult};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{
    checked_date, in_form_order, problem_errors, required_text, DateInput, DateParts, Errors,
    Field, TextArea,
};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::title_with_errors;
use crate::components::problem::ProblemText;
use crate::flash::use_flash;
use crate::format::date_text;
use crate::pages::actions::{status_tag_class, timestamp_text, PROVIDER};
use crate::pages::attachments::{self, attachments_of, AttachmentList, FileUpload};
use crate::session::use_session;

const TEXT_ID: &str = "post-text";
const REPLY_TO_ID: &str = "reply-to";
const DUE_ID: &str = "post-due-on";
const FILES_ID: &str = "post-files";
const FORM_ORDER: [&str; 4] = [TEXT_ID, REPLY_TO_ID, "post-due-on-", FILES_ID];

/// What one can post, and the button that posts it: the domain's rules.
pub use portal_domain::action::PostKind;
use portal_domain::action::Side;

/// The buttons each side has, in the guides' order.
pub fn kinds_for(council: bool) -> [PostKind; 3] {
    PostKind::offered_to(if council {
        Side::Council
    } else {
        Side::Provider
    })
}

/// "Reply to": (value, text). Council staff reply to the provider or to one of their teams;
/// the provider to a team. The team the action is with is offered even if the list of teams
/// lacks it.
pub fn reply_choices(
    council: bool,
    teams: &[String],
    current: &ActionAssignee,
) -> Vec<(String, String)> {
    let mut teams = teams.to_vec();
    if let ActionAssignee::Team { team } = current {
        if !teams.contains(team) {
            teams.push(team.clone());
        }
    }
    let mut choices = Vec::new();
    if council {
        choices.push((PROVIDER.to_owned(), "Provider".to_owned()));
    }
    choices.extend(teams.into_iter().map(|team| {
        let text = format!("LA ({team})");
        (team, text)
    }));
    choices
}

/// Who a reply goes to unless one chooses: council staff answer the provider; the provider
/// answers the team the action is with (none when it is with the provider: they choose).
pub fn default_reply_to(council: bool, current: &ActionAssignee) -> String {
    match (council, current) {
        (true, _) => PROVIDER.to_owned(),
        (false, ActionAssignee::Team { team }) => team.clone(),
        (false, ActionAssignee::Provider) => String::new(),
    }
}

/// The post to send: only a reply or a closure request names who gets the action.
pub fn new_post(
    kind: PostKind,
    text: String,
    reply_to: &str,
    due_on: Option<String>,
    version: i64,
) -> NewActionPost {
    let assign_to = (kind.reassigns() && !reply_to.is_empty()).then(|| {
        if reply_to == PROVIDER {
            ActionAssignee::Provider
        } else {
            ActionAssignee::Team {
                team: reply_to.to_owned(),
            }
        }
    });
    NewActionPost {
        version,
        kind: kind.code().to_owned(),
        text,
        assign_to,
        due_on,
    }
}

/// The success banner's sentence once posted.
pub fn posted_text(kind: PostKind, action: &Action) -> String {
    match kind {
        PostKind::Comment => "Your comment has been added.".to_owned(),
        PostKind::Reply => format!(
            "Your reply has been sent. The action is assigned to {}.",
            action.summary.assigned_to_label
        ),
        PostKind::ClosureRequest => format!(
            "Closure has been requested. The action is assigned to {}.",
            action.summary.assigned_to_label
        ),
        PostKind::Close => "The action has been closed.".to_owned(),
    }
}

/// A refused post as summary lines: a conflict or refusal in the server's words, bad fields
/// pinned to their inputs.
pub fn post_errors(problem: &Problem) -> Vec<SummaryError> {
    let mut lines = problem_errors(problem, |api| match api {
        "text" => Some(Field::new(
            api,
            TEXT_ID,
            "Text",
            "Enter the text of your post",
        )),
        "assign_to" => Some(Field::new(
            api,
            REPLY_TO_ID,
            "Reply to",
            "Choose who to reply to",
        )),
        "due_on" => Some(Field::new(
            api,
            "post-due-on-day",
            "New due date",
            "Enter the new due date",
        )),
        _ => None,
    });
    in_form_order(&mut lines, &FORM_ORDER);
    lines
}

/// What a post did besides its text, when it was a comment, a closure request or a close.
fn post_kind_text(kind: &str) -> Option<&'static str> {
    match kind {
        "comment" => Some("Comment"),
        "closure_request" => Some("Requested closure"),
        "closed" | "close" => Some("Closed the action"),
        _ => None,
    }
}

fn summary_rows(action: &Action) -> Vec<(&'static str, String)> {
    let summary = &action.summary;
    vec![
        ("Re:", summary.related_label.clone()),
        ("Type", summary.type_name.clone()),
        ("Due Date", summary.due_label.clone()),
        ("Assigned To", summary.assigned_to_label.clone()),
        ("Provider", summary.organisation_name.clone()),
        (
            "Raised",
            format!(
                "{} by {}",
                timestamp_text(&summary.created_at),
                summary.created_by
            ),
        ),
    ]
}

#[component]
fn Post(post: ActionPost, files: Vec<Attachment>) -> impl IntoView {
    let assigned = post
        .assigned_to_label
        .clone()
        .map(|label| format!("Assigned to {label}"));
    let due = post
        .due_on
        .as_deref()
        .map(|due| format!("Due Date set to {}", date_text(due)));
    view! {
        <li class="app-action-post">
            <h3 class="govuk-heading-s govuk-!-margin-bottom-1">
                {timestamp_text(&post.posted_at)} " " {post.author.clone()}
            </h3>
            {post_kind_text(&post.kind).map(|kind| view! {
                <p class="govuk-body-s govuk-!-margin-bottom-1 app-action-post__kind">{kind}</p>
            })}
            <p class="govuk-body app-pre-line">{post.text.clone()}</p>
            <AttachmentList attachments=files />
            {(assigned.is_some() || due.is_some()).then(|| view! {
                <p class="govuk-body-s govuk-!-margin-bottom-4">
                    {assigned}{due.map(|due| view! { <br />{due} })}
                </p>
            })}
        </li>
    }
}

#[component]
pub fn ActionPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    let banner = RwSignal::new(use_flash().take());
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    // Fetched by hand, so that a post's answer (the whole thread) replaces it at once.
    let loaded = RwSignal::new(None::<ApiResult<Action>>);
    Effect::new(move |_| {
        let id = id.get();
        let token = session.access_token();
        loaded.set(None);
        spawn_local(async move {
            let result =
                with_token(token, |token| async move { api::action(&token, &id).await }).await;
            if result.as_ref().is_err_and(|problem| problem.status == 401) {
                session.sign_out();
            }
            loaded.try_set(Some(result));
        });
    });
    title_with_errors(
        move || {
            loaded.with(|loaded| match loaded {
                Some(Ok(action)) => format!("Action: {}", action.summary.title),
                _ => "Action".to_owned(),
            })
        },
        errors,
    );
    // The council's teams, for "Reply to".
    let options = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::action_options(&token).await },
        )
    });
    let teams = Signal::derive(move || {
        options
            .get()
            .and_then(Result::ok)
            .map(|options| options.teams)
            .unwrap_or_default()
    });

    let content = move || match loaded.get() {
        None => view! { <p class="govuk-body" role="status">"Loading the action…"</p> }.into_any(),
        Some(Err(problem)) if problem.status == 404 => view! {
            <h1 class="govuk-heading-l">"Action not found"</h1>
            <p class="govuk-body">"We could not find that action among yours."</p>
        }
        .into_any(),
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(action)) => {
            let rows = summary_rows(&action);
            let closed = action.summary.status == "closed";
            let current = action.summary.assigned_to.clone();
            let due_label = action.summary.due_label.clone();
            let all_files = action.attachments.clone();
            let action_files = attachments_of(&all_files, None);
            view! {
                <span class="govuk-caption-l">"Action Details"</span>
                <h1 class="govuk-heading-l">{action.summary.title.clone()}</h1>
                <p class="govuk-body app-action-status">
                    <strong class=status_tag_class(&action.summary.status)>
                        {action.summary.status_label.clone()}
                    </strong>
                    {action.summary.overdue.then(|| view! {
                        " "<strong class="govuk-tag govuk-tag--red">"Overdue"</strong>
                    })}
                </p>
                <dl class="govuk-summary-list">
                    {rows
                        .into_iter()
                        .map(|(key, value)| view! {
                            <div class="govuk-summary-list__row">
                                <dt class="govuk-summary-list__key">{key}</dt>
                                <dd class="govuk-summary-list__value">{value}</dd>
                            </div>
                        })
                        .collect_view()}
                </dl>
                <h2 class="govuk-heading-m">"Thread"</h2>
                <ol class="govuk-list app-action-thread">
                    {action.posts.into_iter().map(|post| {
                        let files = attachments_of(&all_files, Some(&post.id));
                        view! { <Post post files /> }
                    }).collect_view()}
                </ol>
                <AttachmentList attachments=action_files />
                {if closed {
                    view! {
                        <p class="govuk-body app-action-closed">"This action is closed: nothing more can be posted to it."</p>
                    }
                    .into_any()
                } else {
                    view! { <PostForm current due_label teams loaded errors banner /> }.into_any()
                }}
            }
            .into_any()
        }
    };
    view! {
        <a class="govuk-back-link" href="/actions">"Back to actions"</a>
        <ErrorSummary errors />
        <SuccessBanner message=banner />
        {content}
    }
}

/// The form under the thread: the text, who a reply goes to, (council staff) a new due
/// date, and a button per kind of post.
#[component]
fn PostForm(
    current: ActionAssignee,
    due_label: String,
    teams: Signal<Vec<String>>,
    loaded: RwSignal<Option<ApiResult<Action>>>,
    errors: Errors,
    banner: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let council = session.is_council();
    let text = RwSignal::new(String::new());
    let reply_to = RwSignal::new(default_reply_to(council, &current));
    let due = DateParts::new();
    let files = NodeRef::<html::Input>::new();
    let busy = RwSignal::new(false);
    let current = StoredValue::new(current);

    let send = move |kind: PostKind| {
        if busy.get_untracked() {
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let mut lines = Vec::new();
        let body = required_text(text, TEXT_ID, "Enter the text of your post", &mut lines);
        let due_on = if council {
            checked_date(&due, DUE_ID, "New due date", None, &mut lines)
        } else {
            None
        };
        let to = reply_to.get_untracked();
        if kind.reassigns() && to.is_empty() {
            lines.push(SummaryError::at(
                REPLY_TO_ID,
                "Choose the council team to send this to",
            ));
        }
        if !lines.is_empty() {
            in_form_order(&mut lines, &FORM_ORDER);
            errors.set(lines);
            return;
        }
        let Some((id, version)) = loaded.with_untracked(|loaded| {
            loaded
                .as_ref()
                .and_then(|loaded| loaded.as_ref().ok())
                .map(|action| (action.summary.id.clone(), action.summary.version))
        }) else {
            return;
        };
        let post = new_post(kind, body, &to, due_on, version);
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            // The files are checked before anything is posted, as the server will check them.
            let chosen = match attachments::read_chosen(files).await {
                Ok(chosen) => chosen,
                Err(problems) => {
                    busy.set(false);
                    errors.set(
                        problems
                            .into_iter()
                            .map(|problem| SummaryError::at(FILES_ID, problem))
                            .collect(),
                    );
                    return;
                }
            };
            let mut outcome = api::post_to_action(&token, &id, &post).await;
            // The post just made is the thread's newest: its files go with it.
            let mut not_attached = None;
            if let (Ok(action), false) = (&outcome, chosen.is_empty()) {
                let post_id = action.posts.last().map(|post| post.id.clone());
                let part = post_id.as_deref().map(|post_id| ("post_id", post_id));
                not_attached = attachments::upload_all(&token, "actions", &id, part, chosen)
                    .await
                    .err();
                if let Ok(reread) = api::action(&token, &id).await {
                    outcome = Ok(reread);
                }
            }
            // The form is rebuilt from the answer, so its own signals go first.
            busy.try_set(false);
            match outcome {
                Ok(action) => {
                    attachments::clear(files);
                    errors.set(
                        not_attached
                            .into_iter()
                            .map(|message| SummaryError::at(FILES_ID, message))
                            .collect(),
                    );
                    banner.set(Some(posted_text(kind, &action)));
                    loaded.set(Some(Ok(action)));
                    if let Some(window) = web_sys::window() {
                        window.scroll_to_with_x_and_y(0.0, 0.0);
                    }
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(post_errors(&problem)),
            }
        });
    };

    let reply_options = move || {
        let choices = current.with_value(|current| reply_choices(council, &teams.get(), current));
        choices
            .into_iter()
            .map(|(value, label)| {
                let this = value.clone();
                view! {
                    <option value=value prop:selected=move || reply_to.with(|chosen| *chosen == this)>
                        {label}
                    </option>
                }
            })
            .collect_view()
    };
    let reply_hint = if council {
        "Reply passes the action to them. Comment and Close leave it where it is."
    } else {
        "Reply and Request Closure pass the action to this team. Comment leaves it where it is."
    };
    let reply_error =
        Signal::derive(move || crate::components::form::error_of(errors, REPLY_TO_ID));
    let buttons = kinds_for(council)
        .into_iter()
        .map(|kind| {
            let class = if kind == PostKind::Reply {
                "govuk-button"
            } else {
                "govuk-button govuk-button--secondary"
            };
            view! {
                <button
                    type="button"
                    class=class
                    data-module="govuk-button"
                    disabled=move || busy.get()
                    on:click=move |_| send(kind)
                >
                    {kind.label()}
                </button>
            }
        })
        .collect_view();

    view! {
        <div class="govuk-grid-row app-action-respond">
            <div class="govuk-grid-column-two-thirds">
                <h2 class="govuk-heading-m" id="respond-heading">"Respond"</h2>
                <form novalidate aria-labelledby="respond-heading" on:submit=|event| event.prevent_default()>
                    <TextArea id=TEXT_ID label="Text" value=text errors rows=5
                        hint="Enough detail for the other side to act on it." />
                    <div class="govuk-form-group" class:govuk-form-group--error=move || reply_error.with(Option::is_some)>
                        <label class="govuk-label" for=REPLY_TO_ID>"Reply to"</label>
                        <div id="reply-to-hint" class="govuk-hint">{reply_hint}</div>
                        {move || reply_error.get().map(|message| view! {
                            <p id="reply-to-error" class="govuk-error-message">
                                <span class="govuk-visually-hidden">"Error: "</span>
                                {message}
                            </p>
                        })}
                        <select
                            class="govuk-select"
                            class:govuk-select--error=move || reply_error.with(Option::is_some)
                            id=REPLY_TO_ID
                            name=REPLY_TO_ID
                            aria-describedby=move || if reply_error.with(Option::is_some) {
                                "reply-to-hint reply-to-error"
                            } else {
                                "reply-to-hint"
                            }
                            on:change=move |event| reply_to.set(event_target_value(&event))
                        >
                            {(!council).then(|| view! {
                                <option value="" prop:selected=move || reply_to.with(String::is_empty)>
                                    "Please select"
                                </option>
                            })}
                            {reply_options}
                        </select>
                    </div>
                    {council.then(|| view! {
                        <DateInput id=DUE_ID legend="New due date (optional)" parts=due errors
                            hint=format!("Leave it blank to keep {due_label}. For example, 14 7 2022") />
                    })}
                    <FileUpload id=FILES_ID input=files errors />
                    <div class="govuk-button-group">{buttons}</div>
                </form>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(name: &str) -> ActionAssignee {
        ActionAssignee::Team {
            team: name.to_owned(),
        }
    }

    #[test]
    fn each_side_has_its_own_buttons() {
        let words = |council| kinds_for(council).map(PostKind::label);
        assert_eq!(words(false), ["Comment", "Reply", "Request Closure"]);
        assert_eq!(words(true), ["Comment", "Reply", "Close"]);
    }

    #[test]
    fn the_provider_replies_to_a_team_and_council_staff_to_the_provider_by_default() {
        let teams = ["Brokerage Team".to_owned(), "Payments Team".to_owned()];
        assert_eq!(
            reply_choices(false, &teams, &team("Brokerage Team")),
            [
                (
                    "Brokerage Team".to_owned(),
                    "LA (Brokerage Team)".to_owned()
                ),
                ("Payments Team".to_owned(), "LA (Payments Team)".to_owned()),
            ]
        );
        assert_eq!(
            reply_choices(true, &teams[..1], &team("Care Data Team"))
                .into_iter()
                .map(|(_, text)| text)
                .collect::<Vec<_>>(),
            ["Provider", "LA (Brokerage Team)", "LA (Care Data Team)"]
        );
        assert_eq!(
            default_reply_to(false, &team("Brokerage Team")),
            "Brokerage Team"
        );
        assert_eq!(default_reply_to(false, &ActionAssignee::Provider), "");
        assert_eq!(default_reply_to(true, &team("Brokerage Team")), "provider");
    }

    #[test]
    fn only_replies_and_closure_requests_reassign() {
        let comment = new_post(PostKind::Comment, "Noted".to_owned(), "provider", None, 3);
        assert_eq!(comment.kind, "comment");
        assert_eq!(comment.assign_to, None);
        assert_eq!(comment.version, 3);
        let reply = new_post(
            PostKind::Reply,
            "Done".to_owned(),
            "provider",
            Some("2022-07-20".to_owned()),
            4,
        );
        assert_eq!(reply.assign_to, Some(ActionAssignee::Provider));
        assert_eq!(reply.due_on.as_deref(), Some("2022-07-20"));
        let closure = new_post(
            PostKind::ClosureRequest,
            "Thanks".to_owned(),
            "Brokerage Team",
            None,
            5,
        );
        assert_eq!(closure.kind, "closure_request");
        assert_eq!(closure.assign_to, Some(team("Brokerage Team")));
        let close = new_post(PostKind::Close, "Closed".to_owned(), "provider", None, 6);
        assert_eq!((close.kind.as_str(), close.assign_to), ("closed", None));
    }

    #[test]
    fn refusals_name_the_field_or_say_why() {
        let problem = |status, detail: &str, errors: &[(&str, &str)]| Problem {
            problem_type: "/problems/x".to_owned(),
            title: "Refused".to_owned(),
            status,
            detail: detail.to_owned(),
            errors: errors
                .iter()
                .map(|(field, message)| portal_dto::FieldError {
                    field: (*field).to_owned(),
                    message: (*message).to_owned(),
                })
                .collect(),
        };
        let closed = "This action is closed: nothing more can be posted to it.";
        assert_eq!(
            post_errors(&problem(409, closed, &[])),
            [SummaryError::general(closed)]
        );
        assert_eq!(
            post_errors(&problem(
                422,
                "Some fields are not valid",
                &[
                    ("due_on", "The due date cannot be in the past"),
                    ("text", "Enter the text of your post"),
                ]
            )),
            [
                SummaryError::at(TEXT_ID, "Enter the text of your post"),
                SummaryError::at("post-due-on-day", "The due date cannot be in the past"),
            ]
        );
    }
}
