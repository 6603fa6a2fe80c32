//! The provider's Email notifications page (DOMAIN 13), as the guides' screen has it: the
//! address mails go to, then the daily and the immediate topics as GOV.UK checkboxes, and
//! Save. Choices are per organisation: a contact of several chooses for the one the header's
//! switcher is working for.

use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_dto::{EmailSubscriptions, SaveEmailSubscriptions, TopicChoice};

use crate::api::{self, with_token};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{problem_errors, Field};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::{set_page_title, title_with_errors};
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::session::use_session;

const PAGE: &str = "Email notifications";

/// The id of a topic's checkbox ("topic-actions-immediate").
pub fn topic_box_id(code: &str) -> String {
    format!("topic-{}", code.replace(['_', '.'], "-"))
}

/// The codes ticked on the page, in the page's order: the subscriptions as loaded.
pub fn subscribed_codes(subscriptions: &EmailSubscriptions) -> Vec<String> {
    subscriptions
        .daily
        .iter()
        .chain(&subscriptions.immediate)
        .filter(|topic| topic.subscribed)
        .map(|topic| topic.code.clone())
        .collect()
}

/// A refusal as summary lines: a bad topic points at the first box, anything else is said
/// in the problem's own words.
pub fn save_errors(problem: &portal_dto::Problem, first_box: &str) -> Vec<SummaryError> {
    problem_errors(problem, |api| {
        api.starts_with("topics")
            .then(|| Field::new(api, first_box, "The topic", "Choose the e-mails to receive"))
    })
}

#[component]
pub fn EmailNotificationsPage() -> impl IntoView {
    let session = use_session();
    if session.is_council() {
        set_page_title(PAGE);
        return view! {
            <h1 class="govuk-heading-l">{PAGE}</h1>
            <p class="govuk-body">
                "Provider contacts choose the e-mails they receive here. Council staff can send events to the council's own systems with "
                <a class="govuk-link" href="/council/webhooks">"webhooks"</a>
                "."
            </p>
        }
        .into_any();
    }
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(|| PAGE.to_owned(), errors);
    let banner = RwSignal::new(None::<String>);
    // The organisation the header's switcher is working for.
    let organisation = Memo::new(move |_| session.acting_for().map(|organisation| organisation.id));
    let several = Memo::new(move |_| {
        session
            .user()
            .is_some_and(|user| user.organisations.len() > 1)
    });
    let subscriptions = LocalResource::new(move || {
        let organisation = organisation.get().unwrap_or_default();
        let token = session.access_token();
        with_token(token, |token| async move {
            api::email_subscriptions(&token, &organisation).await
        })
    });
    sign_out_when_refused(session, subscriptions);

    let content = move || match subscriptions.get() {
        None => {
            view! { <p class="govuk-body" role="status">"Loading your email notifications…"</p> }
                .into_any()
        }
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(loaded)) => view! {
            <SubscriptionsForm loaded errors banner several=several.get() />
        }
        .into_any(),
    };

    view! {
        <a class="govuk-back-link" href="/">"Back to the home page"</a>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <SuccessBanner message=banner />
                <ErrorSummary errors=errors />
                <h1 class="govuk-heading-l">{PAGE}</h1>
                {content}
            </div>
        </div>
    }
    .into_any()
}

#[component]
fn SubscriptionsForm(
    loaded: EmailSubscriptions,
    errors: RwSignal<Vec<SummaryError>>,
    banner: RwSignal<Option<String>>,
    several: bool,
) -> impl IntoView {
    let session = use_session();
    let busy = RwSignal::new(false);
    let ticked = RwSignal::new(subscribed_codes(&loaded));
    let organisation_id = loaded.organisation_id.clone();
    let organisation_name = loaded.organisation_name.clone();
    // The page's order, so the saved list reads as the page does.
    let order: Vec<String> = loaded
        .daily
        .iter()
        .chain(&loaded.immediate)
        .map(|topic| topic.code.clone())
        .collect();
    let first_box = order
        .first()
        .map(|code| topic_box_id(code))
        .unwrap_or_default();

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let chosen = ticked.get_untracked();
        let save = SaveEmailSubscriptions {
            organisation_id: organisation_id.clone(),
            topics: order
                .iter()
                .filter(|code| chosen.contains(code))
                .cloned()
                .collect(),
        };
        let first_box = first_box.clone();
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            let outcome = api::save_email_subscriptions(&token, &save).await;
            busy.set(false);
            match outcome {
                Ok(saved) => {
                    errors.set(Vec::new());
                    ticked.set(subscribed_codes(&saved));
                    banner.set(Some(format!(
                        "Your email notifications for {} have been saved",
                        saved.organisation_name
                    )));
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(save_errors(&problem, &first_box)),
            }
        });
    };

    let switch_hint = several.then(|| {
        view! {
            <p class="govuk-body">
                "You work for more than one organisation: choose another in the header's Organisation list and press Switch to set its e-mails."
            </p>
        }
    });

    view! {
        <p class="govuk-body">
            "Emails will be issued to "
            <strong id="notification-email">{loaded.email.clone()}</strong>
            ", the address you sign in with."
        </p>
        <p class="govuk-body">
            "These are your e-mails about "
            <strong id="notification-organisation">{organisation_name}</strong>
            "."
        </p>
        {switch_hint}
        <form novalidate on:submit=submit>
            <TopicGroup
                id="daily"
                legend="The following daily email notification subscription(s) are available:"
                hint="Everything that changed is gathered into one e-mail a day."
                topics=loaded.daily.clone()
                ticked
            />
            <TopicGroup
                id="immediate"
                legend="The following immediate email notification subscription(s) are available:"
                hint="Each is e-mailed as it happens."
                topics=loaded.immediate.clone()
                ticked
            />
            <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                "Save"
            </button>
        </form>
    }
}

/// One fieldset of topics, each a checkbox with its hint.
#[component]
fn TopicGroup(
    id: &'static str,
    legend: &'static str,
    hint: &'static str,
    topics: Vec<TopicChoice>,
    ticked: RwSignal<Vec<String>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described_by = hint_id.clone();
    let items = topics
        .into_iter()
        .map(|topic| {
            let box_id = topic_box_id(&topic.code);
            let item_hint_id = format!("{box_id}-hint");
            let code = topic.code.clone();
            let is_ticked = {
                let code = code.clone();
                move || ticked.with(|ticked| ticked.contains(&code))
            };
            let toggle = move |event: leptos::ev::Event| {
                let on = event_target_checked(&event);
                ticked.update(|ticked| {
                    ticked.retain(|other| *other != code);
                    if on {
                        ticked.push(code.clone());
                    }
                });
            };
            view! {
                <div class="govuk-checkboxes__item">
                    <input class="govuk-checkboxes__input" id=box_id.clone() name="topics" type="checkbox"
                        value=topic.code.clone() aria-describedby=item_hint_id.clone()
                        prop:checked=is_ticked on:change=toggle />
                    <label class="govuk-label govuk-checkboxes__label" for=box_id>{topic.label}</label>
                    <div id=item_hint_id class="govuk-hint govuk-checkboxes__hint">{topic.hint}</div>
                </div>
            }
        })
        .collect_view();
    view! {
        <div class="govuk-form-group">
            <fieldset class="govuk-fieldset" aria-describedby=described_by>
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
                <div id=hint_id class="govuk-hint">{hint}</div>
                <div class="govuk-checkboxes" data-module="govuk-checkboxes">{items}</div>
            </fieldset>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_dto::{FieldError, Problem};

    fn topic(code: &str, subscribed: bool) -> TopicChoice {
        TopicChoice {
            code: code.to_owned(),
            label: code.to_owned(),
            hint: String::new(),
            subscribed,
        }
    }

    #[test]
    fn the_boxes_start_as_the_subscriptions_were_saved() {
        let subscriptions = EmailSubscriptions {
            organisation_id: "1".to_owned(),
            organisation_name: "Ally Pally Ltd".to_owned(),
            email: "contact@allypally.example".to_owned(),
            daily: vec![topic("actions", false), topic("disputes", true)],
            immediate: vec![
                topic("actions_immediate", true),
                topic("password_change", false),
            ],
        };
        assert_eq!(
            subscribed_codes(&subscriptions),
            ["disputes", "actions_immediate"]
        );
        assert_eq!(topic_box_id("actions_immediate"), "topic-actions-immediate");
    }

    #[test]
    fn a_refused_topic_points_at_the_boxes() {
        let problem = Problem {
            problem_type: "/problems/validation".to_owned(),
            title: "Some fields are not valid".to_owned(),
            status: 422,
            detail: "topics[0] is not valid".to_owned(),
            errors: vec![FieldError {
                field: "topics[0]".to_owned(),
                message: "everything is not a notification topic".to_owned(),
            }],
        };
        assert_eq!(
            save_errors(&problem, "topic-actions"),
            [SummaryError::at(
                "topic-actions",
                "The topic everything is not a notification topic"
            )]
        );
    }
}
