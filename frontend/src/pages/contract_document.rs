//! One contract document (DOMAIN 11; seed 003 "Contract Documents"): what it is, for which
//! service and client, the PDF to download, and its signatures (who, when, the decision, the
//! reason and the SHA-256 of the document signed). While it is published the provider agrees
//! or rejects it, typing their password again as the signature (a reason is required to
//! reject); council staff may terminate it. Nothing is deleted.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use portal_dto::{
    ContractDocument, DocumentDecision, DocumentSignature, DocumentTermination, Problem,
};

use crate::api::{self, ApiResult};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{in_form_order, problem_errors, Field, TextArea, TextInput};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::title_with_errors;
use crate::components::problem::{signed_out, ProblemText};
use crate::flash::use_flash;
use crate::pages::actions::timestamp_text;
use crate::pages::contract_documents::{dates_text, status_tag_class};
use crate::session::use_session;

/// "48 KB", for the PDF's size.
pub fn size_text(bytes: i64) -> String {
    if bytes < 1024 {
        format!("{bytes} bytes")
    } else if bytes < 1024 * 1024 {
        format!("{} KB", (bytes + 1023) / 1024)
    } else {
        format!(
            "{}.{} MB",
            bytes / (1024 * 1024),
            (bytes % (1024 * 1024)) * 10 / (1024 * 1024)
        )
    }
}

/// A signature's decision as the screen says it.
pub fn decision_label(decision: &str) -> &'static str {
    match decision {
        "agreed" | "agree" => "Agreed",
        "rejected" | "reject" => "Rejected",
        _ => "Signed",
    }
}

/// The decision form's fields as the API names them, top to bottom.
fn decision_fields() -> Vec<Field> {
    vec![
        Field::new(
            "reason",
            "reason",
            "Reason",
            "Enter why you reject the document",
        ),
        Field::new(
            "password",
            "password",
            "Password",
            "Enter your password to sign",
        ),
    ]
}

/// A refused decision in the summary: a 409's detail as it stands, each bad field on its
/// input, in the form's order.
pub fn decision_errors(problem: &Problem) -> Vec<SummaryError> {
    if problem.status == 409 || problem.errors.is_empty() {
        return vec![SummaryError::general(problem.detail.clone())];
    }
    let fields = decision_fields();
    let mut lines = problem_errors(problem, |api| {
        fields.iter().find(|field| field.api == api).cloned()
    });
    in_form_order(&mut lines, &["reason", "password"]);
    lines
}

#[component]
pub fn ContractDocumentPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let document_id = move || params.with(|params| params.get("id").unwrap_or_default());
    let banner = RwSignal::new(use_flash().take());
    let errors = RwSignal::new(Vec::<SummaryError>::new());

    let loaded = RwSignal::new(None::<ApiResult<ContractDocument>>);
    Effect::new(move |_| {
        let id = document_id();
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        spawn_local(async move {
            let result = api::contract_document(&token, &id).await;
            if matches!(&result, Err(problem) if problem.status == 401) {
                session.sign_out();
            }
            loaded.try_set(Some(result));
        });
    });
    title_with_errors(
        move || match loaded.get() {
            Some(Ok(document)) => format!("Contract document: {}", document.title),
            _ => "Contract document".to_owned(),
        },
        errors,
    );
    let document = Memo::new(move |_| loaded.with(|loaded| loaded.clone().and_then(Result::ok)));
    let state = Memo::new(move |_| {
        loaded.with(|loaded| {
            loaded
                .as_ref()
                .map(|result| result.as_ref().map(|_| ()).map_err(Clone::clone))
        })
    });

    let content = move || match state.get() {
        None => view! { <p class="govuk-body" role="status">"Loading the contract document…"</p> }
            .into_any(),
        Some(Err(problem)) if problem.status == 404 => view! {
            <h1 class="govuk-heading-l">"Contract document not found"</h1>
            <p class="govuk-body">"We could not find that contract document among yours."</p>
        }
        .into_any(),
        Some(Err(problem)) => view! {
            <h1 class="govuk-heading-l">"Contract document"</h1>
            <ProblemText problem />
        }
        .into_any(),
        Some(Ok(())) => view! { <DocumentView document loaded banner errors /> }.into_any(),
    };
    view! {
        <a class="govuk-back-link" href="/contract-documents">"Back to contract documents"</a>
        <SuccessBanner message=banner />
        <ErrorSummary errors />
        {content}
    }
}

#[component]
fn DocumentView(
    document: Memo<Option<ContractDocument>>,
    loaded: RwSignal<Option<ApiResult<ContractDocument>>>,
    banner: RwSignal<Option<String>>,
    errors: RwSignal<Vec<SummaryError>>,
) -> impl IntoView {
    let session = use_session();
    let council = session.is_council();
    let field = move |pick: fn(&ContractDocument) -> String| {
        move || document.with(|document| document.as_ref().map(pick).unwrap_or_default())
    };
    let status = Memo::new(move |_| {
        document.with(|document| {
            document
                .as_ref()
                .map(|document| document.status.clone())
                .unwrap_or_default()
        })
    });

    let download_error = RwSignal::new(None::<String>);
    let download = move |event: leptos::ev::MouseEvent| {
        event.prevent_default();
        let Some(current) = document.get_untracked() else {
            return;
        };
        let token = session.access_token();
        download_error.set(None);
        spawn_local(async move {
            let result = match token {
                Some(token) => api::contract_document_file(&token, &current.id).await,
                None => Err(signed_out()),
            };
            let saved = match result {
                Ok(bytes) => {
                    crate::download::save_bytes(&current.file_name, "application/pdf", &bytes)
                }
                Err(problem) => Err(problem.detail),
            };
            download_error.try_set(saved.err());
        });
    };
    let file_href = move || {
        document.with(|document| {
            document
                .as_ref()
                .map(|document| api::contract_document_file_path(&document.id))
                .unwrap_or_default()
        })
    };

    let signatures = move || {
        document
            .get()
            .map(|document| document.signatures)
            .unwrap_or_default()
    };
    let signature_rows = move || {
        signatures()
            .into_iter()
            .map(|signature: DocumentSignature| {
                view! {
                    <tr class="govuk-table__row">
                        <td class="govuk-table__cell">
                            <strong class=status_tag_class(&signature.decision)>
                                {decision_label(&signature.decision)}
                            </strong>
                        </td>
                        <td class="govuk-table__cell">{signature.signed_by.clone()}</td>
                        <td class="govuk-table__cell app-nowrap">{timestamp_text(&signature.signed_at)}</td>
                        <td class="govuk-table__cell">{signature.reason.clone()}</td>
                        <td class="govuk-table__cell">
                            <code class="govuk-!-text-break-word">{signature.document_sha256.clone()}</code>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };

    view! {
        <span class="govuk-caption-l">{field(|document| document.document_type.clone())}</span>
        <h1 class="govuk-heading-l">{field(|document| document.title.clone())}</h1>
        <dl class="govuk-summary-list app-contract-document-details">
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Status"</dt>
                <dd class="govuk-summary-list__value">
                    <strong class=move || status_tag_class(&status.get())>
                        {field(|document| document.status_label.clone())}
                    </strong>
                </dd>
            </div>
            {council.then(|| view! {
                <div class="govuk-summary-list__row">
                    <dt class="govuk-summary-list__key">"Provider"</dt>
                    <dd class="govuk-summary-list__value">{field(|document| document.organisation_name.clone())}</dd>
                </div>
            })}
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Service"</dt>
                <dd class="govuk-summary-list__value">{field(|document| document.service_name.clone())}</dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Client"</dt>
                <dd class="govuk-summary-list__value">
                    {field(|document| document.client_name.clone().unwrap_or_else(|| "All clients of the service".to_owned()))}
                </dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Type"</dt>
                <dd class="govuk-summary-list__value">{field(|document| document.document_type.clone())}</dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Dates"</dt>
                <dd class="govuk-summary-list__value">
                    {field(|document| dates_text(&document.starts_on, document.ends_on.as_deref()))}
                </dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Published"</dt>
                <dd class="govuk-summary-list__value">
                    {field(|document| format!("{} by {}", timestamp_text(&document.published_at), document.published_by))}
                </dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"Document"</dt>
                <dd class="govuk-summary-list__value">
                    <a class="govuk-link" href=file_href download on:click=download>
                        "Download "
                        {field(|document| format!("{} (PDF, {})", document.file_name, size_text(document.size_bytes)))}
                    </a>
                </dd>
            </div>
            <div class="govuk-summary-list__row">
                <dt class="govuk-summary-list__key">"SHA-256"</dt>
                <dd class="govuk-summary-list__value">
                    <code class="govuk-!-text-break-word">{field(|document| document.sha256.clone())}</code>
                </dd>
            </div>
        </dl>
        {move || download_error.get().map(|message| view! {
            <p class="govuk-error-message" role="alert">{message}</p>
        })}
        {if council {
            view! { <Termination document loaded banner errors /> }.into_any()
        } else {
            view! { <ProviderDecision document loaded banner errors /> }.into_any()
        }}
        <h2 class="govuk-heading-m">"Signatures"</h2>
        <Show
            when=move || !signatures().is_empty()
            fallback=|| view! { <p class="govuk-body app-no-signatures">"No one has agreed or rejected this document yet."</p> }
        >
            <div class="app-table-wrapper">
                <table class="govuk-table app-signatures-table">
                    <caption class="govuk-table__caption govuk-visually-hidden">"Signatures"</caption>
                    <thead class="govuk-table__head">
                        <tr class="govuk-table__row">
                            <th scope="col" class="govuk-table__header">"Decision"</th>
                            <th scope="col" class="govuk-table__header">"Signed by"</th>
                            <th scope="col" class="govuk-table__header">"When"</th>
                            <th scope="col" class="govuk-table__header">"Reason"</th>
                            <th scope="col" class="govuk-table__header">"SHA-256 of the document signed"</th>
                        </tr>
                    </thead>
                    <tbody class="govuk-table__body">{signature_rows}</tbody>
                </table>
            </div>
        </Show>
        <p class="govuk-body"><a class="govuk-link" href="/contract-documents">"Back to contract documents"</a></p>
    }
}

/// The provider agrees or rejects a published document, typing their password again.
#[component]
fn ProviderDecision(
    document: Memo<Option<ContractDocument>>,
    loaded: RwSignal<Option<ApiResult<ContractDocument>>>,
    banner: RwSignal<Option<String>>,
    errors: RwSignal<Vec<SummaryError>>,
) -> impl IntoView {
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let decide = move |decision: &'static str| {
        if busy.get_untracked() {
            return;
        }
        let (Some(current), Some(token)) = (document.get_untracked(), session.access_token())
        else {
            return;
        };
        let body = DocumentDecision {
            version: current.version,
            decision: decision.to_owned(),
            reason: reason.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            let outcome = api::decide_contract_document(&token, &current.id, &body).await;
            busy.set(false);
            // The password is never kept on screen, right or wrong.
            password.set(String::new());
            match outcome {
                Ok(updated) => {
                    errors.set(Vec::new());
                    reason.set(String::new());
                    banner.set(Some(format!(
                        "You {} this document: it is now {}.",
                        if decision == "agree" {
                            "agreed to"
                        } else {
                            "rejected"
                        },
                        updated.status_label
                    )));
                    loaded.set(Some(Ok(updated)));
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(decision_errors(&problem)),
            }
        });
    };
    view! {
        <Show when=move || document.with(|document| document.as_ref().is_some_and(|d| d.status == "published"))>
            <form class="app-document-decision" novalidate aria-labelledby="decision-heading"
                on:submit=move |event: leptos::ev::SubmitEvent| {
                    event.prevent_default();
                    decide("agree");
                }>
                <h2 class="govuk-heading-m" id="decision-heading">"Agree or reject this document"</h2>
                <p class="govuk-body">
                    "Download and read the document first. Your password is your signature: it is recorded with your name, the time and the document's SHA-256."
                </p>
                <TextArea id="reason" label="Reason" value=reason errors rows=3
                    hint="Required to reject: say what is wrong with the document" />
                <TextInput id="password" label="Your password" value=password errors
                    input_type="password" autocomplete="current-password" width="govuk-input--width-20" />
                <div class="govuk-button-group">
                    <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                        "Agree"
                    </button>
                    <button
                        type="button"
                        class="govuk-button govuk-button--warning"
                        data-module="govuk-button"
                        disabled=move || busy.get()
                        on:click=move |_| decide("reject")
                    >
                        "Reject"
                    </button>
                </div>
            </form>
        </Show>
    }
}

/// Council staff terminate a document that is not terminated yet.
#[component]
fn Termination(
    document: Memo<Option<ContractDocument>>,
    loaded: RwSignal<Option<ApiResult<ContractDocument>>>,
    banner: RwSignal<Option<String>>,
    errors: RwSignal<Vec<SummaryError>>,
) -> impl IntoView {
    let session = use_session();
    let busy = RwSignal::new(false);
    let terminate = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let (Some(current), Some(token)) = (document.get_untracked(), session.access_token())
        else {
            return;
        };
        let body = DocumentTermination {
            version: current.version,
        };
        busy.set(true);
        banner.set(None);
        spawn_local(async move {
            let outcome = api::terminate_contract_document(&token, &current.id, &body).await;
            busy.set(false);
            match outcome {
                Ok(updated) => {
                    errors.set(Vec::new());
                    banner.set(Some(
                        "The document is terminated. It stays listed, as Terminated.".to_owned(),
                    ));
                    loaded.set(Some(Ok(updated)));
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(vec![SummaryError::general(problem.detail)]),
            }
        });
    };
    view! {
        <Show when=move || document.with(|document| document.as_ref().is_some_and(|d| d.status != "terminated"))>
            <form class="app-document-termination" novalidate aria-labelledby="terminate-heading" on:submit=terminate>
                <h2 class="govuk-heading-m" id="terminate-heading">"Terminate this document"</h2>
                <div class="govuk-warning-text">
                    <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                    <strong class="govuk-warning-text__text">
                        <span class="govuk-visually-hidden">"Warning"</span>
                        "A terminated document can no longer be agreed or rejected. It is kept, with its signatures."
                    </strong>
                </div>
                <button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button" disabled=move || busy.get()>
                    "Terminate"
                </button>
            </form>
        </Show>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portal_dto::FieldError;

    fn problem(status: u16, errors: &[(&str, &str)]) -> Problem {
        Problem {
            problem_type: "about:blank".to_owned(),
            title: "Some fields are not valid".to_owned(),
            status,
            detail: "This document is Agreed: only a published document can be agreed or rejected."
                .to_owned(),
            errors: errors
                .iter()
                .map(|(field, message)| FieldError {
                    field: (*field).to_owned(),
                    message: (*message).to_owned(),
                })
                .collect(),
        }
    }

    #[test]
    fn a_wrong_password_and_a_missing_reason_are_each_named_on_their_box() {
        let refused = problem(
            422,
            &[
                ("password", "Your password is not right"),
                ("reason", "Enter why you reject the document"),
            ],
        );
        assert_eq!(
            decision_errors(&refused),
            [
                SummaryError::at("reason", "Enter why you reject the document"),
                SummaryError::at("password", "Your password is not right"),
            ]
        );
    }

    #[test]
    fn a_decided_document_is_said_in_the_servers_words() {
        let stale = problem(409, &[]);
        assert_eq!(
            decision_errors(&stale),
            [SummaryError::general(
                "This document is Agreed: only a published document can be agreed or rejected."
            )]
        );
    }

    #[test]
    fn sizes_and_decisions_read_in_words() {
        assert_eq!(size_text(800), "800 bytes");
        assert_eq!(size_text(2048), "2 KB");
        assert_eq!(decision_label("agreed"), "Agreed");
        assert_eq!(decision_label("rejected"), "Rejected");
    }
}
