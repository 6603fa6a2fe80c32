//! One action (DOMAIN 10; the guides' "Action Details"): its title, what it is about, type,
//! due date, assignee and status, then its thread of posts, oldest first.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use portal_dto::{Action, ActionPost};

use crate::api::{self, with_token};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::set_page_title;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::format::date_text;
use crate::pages::actions::timestamp_text;
use crate::session::use_session;

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
fn Post(post: ActionPost) -> impl IntoView {
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
            <p class="govuk-body">{post.text.clone()}</p>
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
    let loaded = LocalResource::new(move || {
        let token = session.access_token();
        let id = id.get();
        with_token(token, |token| async move { api::action(&token, &id).await })
    });
    sign_out_when_refused(session, loaded);
    Effect::new(move |_| match loaded.get() {
        Some(Ok(action)) => set_page_title(&format!("Action: {}", action.summary.title)),
        _ => set_page_title("Action"),
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
            view! {
                <span class="govuk-caption-l">"Action Details"</span>
                <h1 class="govuk-heading-l">{action.summary.title.clone()}</h1>
                <p class="govuk-body">
                    <strong class="govuk-tag govuk-tag--blue">{action.summary.status_label.clone()}</strong>
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
                <ol class="govuk-list">
                    {action.posts.into_iter().map(|post| view! { <Post post /> }).collect_view()}
                </ol>
            }
            .into_any()
        }
    };
    view! {
        <a class="govuk-back-link" href="/actions">"Back to actions"</a>
        <SuccessBanner message=banner />
        {content}
    }
}
