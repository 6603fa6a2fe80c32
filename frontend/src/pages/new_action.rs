//! New Action (DOMAIN 10; seed 003 section 14.1, seed 004 "Submit a Manual Action"): type,
//! related to, entity, due date, assigned to, title and text. Query parameters pre-fill it,
//! so "Request a variation" on a line of actuals and "Submit Action" on a CPLI open it ready
//! to send: `type` (an id or a name), `related_kind`, `related_id`, `title`, `text`.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use portal_dto::{ActionAssignee, ActionOptions, CreateAction};

use crate::api::{self, with_token};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{
    checked_date, in_form_order, problem_errors, ungrouped, DateInput, DateParts, Field,
    SelectInput, TextArea, TextInput,
};
use crate::components::page_title::title_with_errors;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::format::date_text;
use crate::pages::attachments::{self, FileUpload};
use crate::session::use_session;

const PROVIDER: &str = "provider";
const FILES_ID: &str = "action-files";

fn fields() -> Vec<Field> {
    vec![
        Field::new("type_id", "type", "Type", "Choose the type of action"),
        Field::new(
            "related_kind",
            "related-kind",
            "Related To",
            "Choose what the action is related to",
        ),
        Field::new("related_id", "related-id", "Entity", "Choose the entity"),
        Field::new(
            "organisation_id",
            "related-id",
            "Entity",
            "Choose the entity",
        ),
        Field::new("due_on", "due-on-day", "Due Date", "Enter the due date"),
        Field::new(
            "assigned_to",
            "assigned-to",
            "Assign to",
            "Choose who to assign the action to",
        ),
        Field::new("title", "title", "Title", "Enter a title"),
        Field::new("text", "text", "Text", "Enter the text of the action"),
    ]
}

fn locate(api: &str) -> Option<Field> {
    fields().into_iter().find(|field| field.api == api)
}

fn ordered(mut lines: Vec<SummaryError>) -> Vec<SummaryError> {
    let order: Vec<String> = fields().into_iter().map(|field| field.id).collect();
    let order: Vec<&str> = order.iter().map(String::as_str).collect();
    in_form_order(&mut lines, &order);
    lines
}

fn kind_label(code: &str) -> &'static str {
    match code {
        "client" => "Client",
        "contract" => "Contract",
        "service" => "Service",
        "organisation" => "Organisation",
        "invoice" => "Invoice",
        "credit_note" => "Credit Note",
        "contact" => "Contact",
        "spot_commitment" => "Spot Commitment",
        _ => "Other",
    }
}

#[component]
pub fn NewActionPage() -> impl IntoView {
    let session = use_session();
    let options = LocalResource::new(move || {
        let token = session.access_token();
        with_token(
            token,
            |token| async move { api::action_options(&token).await },
        )
    });
    sign_out_when_refused(session, options);
    let content = move || match options.get() {
        None => view! { <p class="govuk-body" role="status">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => view! {
            <h1 class="govuk-heading-l">"New Action"</h1>
            <ProblemText problem />
        }
        .into_any(),
        Some(Ok(options)) => view! { <ActionForm options /> }.into_any(),
    };
    view! {
        <a class="govuk-back-link" href="/actions">"Back to actions"</a>
        {content}
    }
}

#[component]
fn ActionForm(options: ActionOptions) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let flash = use_flash();
    let query = use_query_map();
    let asked = move |name: &str| {
        query
            .with_untracked(|query| query.get(name))
            .map(|value| value.trim().to_owned())
            .unwrap_or_default()
    };
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    let files = NodeRef::<html::Input>::new();
    title_with_errors(|| "New Action".to_owned(), errors);

    let may_assign_to_provider = options.may_assign_to_provider;
    let teams = StoredValue::new(options.teams);
    let types = StoredValue::new(options.types);
    // The entities of the organisation the contact works for (all, for council staff).
    let entities = StoredValue::new(
        options
            .entities
            .into_iter()
            .filter(|entity| session.shows_organisation(&entity.organisation_id))
            .collect::<Vec<_>>(),
    );

    // Pre-filled from the query: the type by id or name, else the first valid for the kind.
    let wanted_kind = asked("related_kind");
    let wanted_type = asked("type");
    let initial_type = types.with_value(|types| {
        types
            .iter()
            .find(|action_type| action_type.id == wanted_type || action_type.name == wanted_type)
            .or_else(|| {
                (!wanted_kind.is_empty()).then_some(())?;
                types
                    .iter()
                    .find(|action_type| action_type.entity_kinds.contains(&wanted_kind))
            })
            .map(|action_type| action_type.id.clone())
            .unwrap_or_default()
    });
    let action_type = RwSignal::new(initial_type);
    let related_kind = RwSignal::new(wanted_kind);
    let related_id = RwSignal::new(asked("related_id"));
    let due = DateParts::new();
    let assigned_to = RwSignal::new(String::new());
    let title = RwSignal::new(asked("title"));
    let text = RwSignal::new(asked("text"));

    let chosen_type = Memo::new(move |_| {
        let id = action_type.get();
        types.with_value(|types| types.iter().find(|option| option.id == id).cloned())
    });
    // A new type brings its earliest due date, its team, and the kinds it may be raised on.
    Effect::new(move |_| {
        let Some(option) = chosen_type.get() else {
            return;
        };
        due.set_iso(Some(&option.earliest_due_on));
        assigned_to.set(option.team.clone().unwrap_or_default());
        let kind = related_kind.get_untracked();
        if !option.entity_kinds.contains(&kind) {
            let first = option.entity_kinds.first().cloned().unwrap_or_default();
            if first != kind {
                related_kind.set(first);
                related_id.set(String::new());
            }
        }
    });

    let type_options = Signal::derive(move || {
        ungrouped(types.with_value(|types| {
            types
                .iter()
                .map(|option| (option.id.clone(), option.name.clone()))
                .collect()
        }))
    });
    let kind_options = Signal::derive(move || {
        ungrouped(
            chosen_type
                .get()
                .map(|option| {
                    option
                        .entity_kinds
                        .iter()
                        .map(|kind| (kind.clone(), kind_label(kind).to_owned()))
                        .collect()
                })
                .unwrap_or_default(),
        )
    });
    let entity_options = Signal::derive(move || {
        let kind = related_kind.get();
        ungrouped(entities.with_value(|entities| {
            entities
                .iter()
                .filter(|entity| entity.kind == kind)
                .map(|entity| (entity.id.clone(), entity.name.clone()))
                .collect()
        }))
    });
    let assignee_options = Signal::derive(move || {
        let mut choices: Vec<(String, String)> = teams.with_value(|teams| {
            teams
                .iter()
                .map(|team| (team.clone(), format!("LA ({team})")))
                .collect()
        });
        if may_assign_to_provider {
            choices.push((PROVIDER.to_owned(), "Provider".to_owned()));
        }
        ungrouped(choices)
    });
    let earliest_hint = move || {
        chosen_type
            .get()
            .map(|option| {
                format!(
                    "At least {} working days from today: {} or later. For example, {}",
                    option.minimum_due_working_days,
                    date_text(&option.earliest_due_on),
                    date_text(&option.earliest_due_on).replace('/', " ")
                )
            })
            .unwrap_or_else(|| "For example, 14 7 2022".to_owned())
    };

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let mut lines = Vec::new();
        let type_id = action_type.get_untracked();
        if type_id.is_empty() {
            lines.push(SummaryError::at("type", "Choose the type of action"));
        }
        let kind = related_kind.get_untracked();
        if kind.is_empty() {
            lines.push(SummaryError::at(
                "related-kind",
                "Choose what the action is related to",
            ));
        }
        let entity = related_id.get_untracked();
        if entity.is_empty() {
            lines.push(SummaryError::at("related-id", "Choose the entity"));
        }
        let due_on = checked_date(
            &due,
            "due-on",
            "Due Date",
            Some("Enter the due date"),
            &mut lines,
        )
        .unwrap_or_default();
        if let Some(option) = chosen_type.get_untracked() {
            if !due_on.is_empty() && due_on < option.earliest_due_on {
                lines.push(SummaryError::at(
                    "due-on-day",
                    format!(
                        "The due date must be on or after {}: this type of action needs at least {} working days",
                        date_text(&option.earliest_due_on),
                        option.minimum_due_working_days
                    ),
                ));
            }
        }
        let assignee = assigned_to.get_untracked();
        if assignee.is_empty() {
            lines.push(SummaryError::at(
                "assigned-to",
                "Choose the council team to assign this action to",
            ));
        }
        let title_text = title.get_untracked().trim().to_owned();
        if title_text.is_empty() {
            lines.push(SummaryError::at("title", "Enter a title"));
        }
        let body_text = text.get_untracked().trim().to_owned();
        if body_text.is_empty() {
            lines.push(SummaryError::at("text", "Enter the text of the action"));
        }
        if !lines.is_empty() {
            errors.set(ordered(lines));
            return;
        }
        let body = CreateAction {
            type_id,
            related_kind: kind,
            related_id: entity,
            organisation_id: session.acting_for().map(|organisation| organisation.id),
            due_on,
            assigned_to: Some(if assignee == PROVIDER {
                ActionAssignee::Provider
            } else {
                ActionAssignee::Team { team: assignee }
            }),
            title: title_text,
            text: body_text,
        };
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            // The files are checked before the action is raised, as the server will check them.
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
            let outcome = api::create_action(&token, &body).await;
            // The files go with the action's opening post.
            let mut not_attached = None;
            if let (Ok(created), false) = (&outcome, chosen.is_empty()) {
                let post_id = created.posts.first().map(|post| post.id.clone());
                let part = post_id.as_deref().map(|post_id| ("post_id", post_id));
                not_attached =
                    attachments::upload_all(&token, "actions", &created.summary.id, part, chosen)
                        .await
                        .err();
            }
            busy.set(false);
            match outcome {
                Ok(created) => {
                    errors.set(Vec::new());
                    flash.set(match not_attached {
                        None => "Action has been created.".to_owned(),
                        Some(problem) => format!("Action has been created, but {problem}"),
                    });
                    navigate(
                        &format!("/actions/{}", created.summary.id),
                        NavigateOptions::default(),
                    );
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(ordered(problem_errors(&problem, locate))),
            }
        });
    };

    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors />
                <h1 class="govuk-heading-l">"New Action"</h1>
                <form novalidate on:submit=submit>
                    <SelectInput id="type" label="Type" value=action_type errors groups=type_options
                        choose="Please select" />
                    <SelectInput id="related-kind" label="Related To" value=related_kind errors groups=kind_options
                        choose="Please select" />
                    <SelectInput id="related-id" label="Entity" value=related_id errors groups=entity_options
                        choose="Please select" />
                    {move || {
                        let hint = earliest_hint();
                        view! { <DateInput id="due-on" legend="Due Date" parts=due errors hint /> }
                    }}
                    <SelectInput id="assigned-to" label="Assign to" value=assigned_to errors groups=assignee_options
                        choose="Please select" hint="The type's team, unless you choose another" />
                    <TextInput id="title" label="Title" value=title errors hint="A brief title for the query" />
                    <TextArea id="text" label="Text" value=text errors rows=8
                        hint="Enough detail for the council to resolve it in one visit. Where text is filled in for you, please keep it." />
                    <FileUpload id=FILES_ID input=files errors />
                    <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                        "Create Action"
                    </button>
                </form>
            </div>
        </div>
    }
}
