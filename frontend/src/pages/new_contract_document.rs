//! Publish a contract document (DOMAIN 11), for council staff: a PDF for one of the council's
//! services, optionally for one of its clients, with its type, title and the dates it applies
//! between. The server checks every field and the file's first bytes; each field it refuses
//! is named in the error summary.

use base64::Engine;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use portal_dto::{EvidenceUpload, NewContractDocument};

use crate::api::{self, with_token, CpliFilters};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{
    checked_date, error_of, in_form_order, problem_errors, ungrouped, DateInput, DateParts, Field,
    SelectInput, TextInput,
};
use crate::components::page_title::title_with_errors;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::pages::new_dispute::clients_of;
use crate::session::use_session;

const FILE_ID: &str = "file";

/// The form's fields as the API names them, top to bottom.
fn fields() -> Vec<Field> {
    vec![
        Field::new("service_id", "service", "Service", "Choose the service"),
        Field::new("client_id", "client", "Client", "Choose the client"),
        Field::new(
            "document_type",
            "document-type",
            "Type of document",
            "Enter the type of document",
        ),
        Field::new("title", "title", "Title", "Enter the title"),
        Field::new(
            "starts_on",
            "starts-on-day",
            "Applies from",
            "Enter the date the document applies from",
        ),
        Field::new("ends_on", "ends-on-day", "Applies to", "Enter the end date"),
        Field::new(
            "file.file_name",
            FILE_ID,
            "The file's name",
            "Select a PDF file",
        ),
        Field::new(
            "file.content_type",
            FILE_ID,
            "The file",
            "Select a PDF file",
        ),
        Field::new(
            "file.content_base64",
            FILE_ID,
            "The file",
            "Select a PDF file",
        ),
    ]
}

/// Finds the form's field for an API name.
fn locate(api: &str) -> Option<Field> {
    fields().into_iter().find(|field| field.api == api)
}

/// The page's own findings first (they know what was typed), then the server's about other
/// fields, one line a field, in the form's order.
pub fn merged(local: Vec<SummaryError>, server: Vec<SummaryError>) -> Vec<SummaryError> {
    let mut lines = local;
    for line in server {
        let known =
            line.field_id.is_some() && lines.iter().any(|known| known.field_id == line.field_id);
        if !known {
            lines.push(line);
        }
    }
    let order: Vec<String> = fields().into_iter().map(|field| field.id).collect();
    let order: Vec<&str> = order.iter().map(String::as_str).collect();
    in_form_order(&mut lines, &order);
    lines
}

fn chosen_file(input: NodeRef<html::Input>) -> Option<web_sys::File> {
    input.get_untracked()?.files()?.get(0)
}

/// The declared type from the browser, or else from the name's extension.
fn declared_type(file: &web_sys::File) -> String {
    let declared = file.type_();
    if declared.is_empty() && file.name().to_ascii_lowercase().ends_with(".pdf") {
        "application/pdf".to_owned()
    } else {
        declared
    }
}

async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "The selected file could not be read".to_owned())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

#[component]
pub fn NewContractDocumentPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let flash = use_flash();
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    title_with_errors(|| "Publish contract document".to_owned(), errors);

    let services = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move { api::services(&token).await })
    });
    sign_out_when_refused(session, services);

    let service = RwSignal::new(String::new());
    let client = RwSignal::new(String::new());
    let document_type = RwSignal::new(String::new());
    let title = RwSignal::new(String::new());
    let starts_on = DateParts::new();
    let ends_on = DateParts::new();
    let file_input = NodeRef::<html::Input>::new();

    // The service's clients: those with care package line items there, past ones too.
    let cplis = LocalResource::new(move || {
        let token = session.access_token();
        let service_id = service.get();
        async move {
            if service_id.is_empty() {
                return Ok(Vec::new());
            }
            let filters = CpliFilters {
                service: service_id,
                ..CpliFilters::everything()
            };
            with_token(token, |token| async move {
                api::cplis(&token, &filters).await.map(|page| page.items)
            })
            .await
        }
    });
    // Another service has other clients.
    Effect::new(move |_| {
        service.track();
        client.set(String::new());
    });
    let service_options = Signal::derive(move || {
        ungrouped(
            services
                .get()
                .and_then(Result::ok)
                .map(|page| {
                    page.items
                        .into_iter()
                        .map(|service| {
                            (
                                service.id,
                                format!("{} ({})", service.name, service.organisation_name),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default(),
        )
    });
    let client_options = Signal::derive(move || {
        ungrouped(
            cplis
                .get()
                .and_then(Result::ok)
                .map(|cplis| clients_of(&cplis))
                .unwrap_or_default(),
        )
    });

    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        // Only what the page must know to send: readable dates and a PDF. The server names
        // everything else, every field at once.
        let mut local = Vec::new();
        let from = checked_date(&starts_on, "starts-on", "Applies from", None, &mut local);
        let to = checked_date(&ends_on, "ends-on", "Applies to", None, &mut local);
        let file = chosen_file(file_input);
        match &file {
            None => local.push(SummaryError::at(FILE_ID, "Select the document's PDF file")),
            Some(file) if declared_type(file) != "application/pdf" => {
                local.push(SummaryError::at(FILE_ID, "The document must be a PDF"))
            }
            Some(_) => {}
        }
        let client_id = client.get_untracked();
        let mut body = NewContractDocument {
            service_id: service.get_untracked(),
            client_id: (!client_id.is_empty()).then_some(client_id),
            document_type: document_type.get_untracked(),
            title: title.get_untracked(),
            starts_on: from.unwrap_or_default(),
            ends_on: to,
            file: EvidenceUpload {
                file_name: String::new(),
                content_type: String::new(),
                content_base64: String::new(),
            },
        };
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            // The file goes only with an otherwise sound form: without it the server refuses
            // the form whatever else is right, and names the fields it finds wrong too.
            let withheld = !local.is_empty() && file.is_some();
            if let (true, Some(file)) = (local.is_empty(), file) {
                match file_bytes(&file).await {
                    Ok(bytes) => {
                        body.file = EvidenceUpload {
                            file_name: file.name(),
                            content_type: declared_type(&file),
                            content_base64: base64::engine::general_purpose::STANDARD
                                .encode(&bytes),
                        };
                    }
                    Err(message) => local.push(SummaryError::at(FILE_ID, message)),
                }
            }
            let outcome = api::publish_contract_document(&token, &body).await;
            busy.set(false);
            match outcome {
                Ok(published) => {
                    errors.set(Vec::new());
                    flash.set(format!(
                        "Published {}: {} is asked to agree or reject it.",
                        published.title, published.organisation_name
                    ));
                    navigate(
                        &format!("/contract-documents/{}", published.id),
                        NavigateOptions::default(),
                    );
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => {
                    let mut server = problem_errors(&problem, locate);
                    // A file chosen but held back is not the server's to judge.
                    if withheld {
                        server.retain(|line| line.field_id.as_deref() != Some(FILE_ID));
                    }
                    errors.set(merged(local, server));
                }
            }
        });
    };

    let file_error = move || error_of(errors, FILE_ID);
    let load_problem = move || {
        services
            .get()
            .and_then(Result::err)
            .map(|problem| view! { <ProblemText problem /> })
    };

    view! {
        <a class="govuk-back-link" href="/contract-documents">"Back to contract documents"</a>
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors />
                <h1 class="govuk-heading-l">"Publish contract document"</h1>
                {load_problem}
                <p class="govuk-body">"The provider of the service is asked to agree or reject the document, signing with their password."</p>
                <form novalidate on:submit=submit>
                    <SelectInput id="service" label="Service" value=service errors groups=service_options
                        choose="Choose a service" />
                    <SelectInput id="client" label="Client (optional)" value=client errors groups=client_options
                        choose="All clients of the service" hint="Choose a client for a document about one client only" />
                    <TextInput id="document-type" label="Type of document" value=document_type errors
                        hint="For example, Provider Contract or Individual Placement Agreement" />
                    <TextInput id="title" label="Title" value=title errors
                        hint="For example, Home care contract 2022/2023" />
                    <DateInput id="starts-on" legend="Applies from" parts=starts_on errors
                        hint="For example, 1 4 2022" />
                    <DateInput id="ends-on" legend="Applies to (optional)" parts=ends_on errors
                        hint="Leave empty for no end date. For example, 31 3 2023" />
                    <div class="govuk-form-group" class:govuk-form-group--error=move || file_error().is_some()>
                        <label class="govuk-label" for=FILE_ID>"Document (PDF)"</label>
                        <div id="file-hint" class="govuk-hint">"A PDF file, 5 MB or smaller"</div>
                        {move || file_error().map(|message| view! {
                            <p id="file-error" class="govuk-error-message">
                                <span class="govuk-visually-hidden">"Error: "</span>{message}
                            </p>
                        })}
                        <input
                            class="govuk-file-upload"
                            class:govuk-file-upload--error=move || file_error().is_some()
                            id=FILE_ID
                            name=FILE_ID
                            type="file"
                            accept=".pdf,application/pdf"
                            aria-describedby=move || if file_error().is_some() { "file-hint file-error" } else { "file-hint" }
                            node_ref=file_input
                        />
                    </div>
                    <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                        "Publish document"
                    </button>
                </form>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pages_own_findings_win_and_every_field_is_named_once_in_form_order() {
        let local = vec![
            SummaryError::at(FILE_ID, "Select the document's PDF file"),
            SummaryError::at(
                "starts-on-day",
                "Applies from must be a real date, like 6 6 2022",
            ),
        ];
        let server = vec![
            SummaryError::at("title", "Enter a title of at most 200 characters"),
            SummaryError::at("starts-on-day", "Enter the date the document applies from"),
            SummaryError::at(FILE_ID, "Enter the file's name"),
            SummaryError::at("service", "Choose the service"),
        ];
        assert_eq!(
            merged(local, server),
            [
                SummaryError::at("service", "Choose the service"),
                SummaryError::at("title", "Enter a title of at most 200 characters"),
                SummaryError::at(
                    "starts-on-day",
                    "Applies from must be a real date, like 6 6 2022"
                ),
                SummaryError::at(FILE_ID, "Select the document's PDF file"),
            ]
        );
    }
}
