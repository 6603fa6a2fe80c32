//! A new one-off claim: under which contract, for a client or for the provider, what, when,
//! how much, and the evidence. Checked with the domain's own rules before it is sent, and
//! every field the server refuses is named in the error summary.

use base64::Engine;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use portal_domain::claim::{self, ClaimDraft, EvidenceType, MAX_EVIDENCE_BYTES};
use portal_dto::{CreateOneOffClaim, EvidenceUpload, OneOffClaimOptions};

use crate::api::{self, with_token};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{
    in_form_order, problem_errors, ungrouped, DateInput, DateParts, Field, Radios, SelectInput,
    TextInput,
};
use crate::components::page_title::title_with_errors;
use crate::components::problem::{sign_out_when_refused, ProblemText};
use crate::flash::use_flash;
use crate::format::today;
use crate::session::use_session;

const FILE_ID: &str = "evidence";

/// The form's fields as the API names them, top to bottom.
fn fields() -> Vec<Field> {
    vec![
        Field::new("contract_id", "contract", "Contract", "Choose the contract"),
        Field::new(
            "item",
            "item",
            "Who the claim is for",
            "Choose who the claim is for",
        ),
        Field::new("client_id", "client", "Client", "Choose the client"),
        Field::new(
            "description",
            "description",
            "Description",
            "Enter what the claim is for",
        ),
        Field::new("claim_date", "claim-date-day", "Date", "Enter the date"),
        Field::new("amount", "amount", "Amount", "Enter the amount"),
        Field::new("vat", "vat", "VAT", "Enter the VAT, or 0"),
        Field::new(
            "evidence.file_name",
            FILE_ID,
            "The evidence's name",
            "Select a file",
        ),
        Field::new(
            "evidence.content_type",
            FILE_ID,
            "The evidence",
            "Select a file",
        ),
        Field::new(
            "evidence.content_base64",
            FILE_ID,
            "The evidence",
            "Select a file",
        ),
    ]
}

/// Finds the form's field for an API name.
fn locate(api: &str) -> Option<Field> {
    fields().into_iter().find(|field| field.api == api)
}

/// Summary lines in the form's order.
fn ordered(mut lines: Vec<SummaryError>) -> Vec<SummaryError> {
    let order: Vec<String> = fields().into_iter().map(|field| field.id).collect();
    let order: Vec<&str> = order.iter().map(String::as_str).collect();
    in_form_order(&mut lines, &order);
    let mut seen: Vec<Option<String>> = Vec::new();
    lines
        .into_iter()
        .filter(|line| {
            let fresh = line.field_id.is_none() || !seen.contains(&line.field_id);
            seen.push(line.field_id.clone());
            fresh
        })
        .collect()
}

/// The chosen file, if any.
fn chosen_file(input: NodeRef<html::Input>) -> Option<web_sys::File> {
    input.get_untracked()?.files()?.get(0)
}

/// A declared type from the browser, or else from the name's extension.
fn declared_type(file: &web_sys::File) -> String {
    let declared = file.type_();
    if !declared.is_empty() {
        return declared;
    }
    let name = file.name().to_ascii_lowercase();
    let by_name = if name.ends_with(".pdf") {
        EvidenceType::Pdf
    } else if name.ends_with(".png") {
        EvidenceType::Png
    } else if name.ends_with(".jpg") || name.ends_with(".jpeg") {
        EvidenceType::Jpeg
    } else {
        return String::new();
    };
    by_name.content_type().to_owned()
}

async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| "The selected file could not be read".to_owned())?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

#[component]
pub fn NewClaimPage() -> impl IntoView {
    let session = use_session();
    let options = LocalResource::new(move || {
        let token = session.access_token();
        with_token(token, |token| async move {
            api::one_off_claim_options(&token).await
        })
    });
    sign_out_when_refused(session, options);
    let content = move || match options.get() {
        None => view! { <p class="govuk-body" role="status">"Loading…"</p> }.into_any(),
        Some(Err(problem)) => view! {
            <h1 class="govuk-heading-l">"New one-off claim"</h1>
            <ProblemText problem />
        }
        .into_any(),
        Some(Ok(options)) => view! { <ClaimForm options /> }.into_any(),
    };
    view! {
        <a class="govuk-back-link" href="/one-off-claims">"Back to one-off claims"</a>
        {content}
    }
}

#[component]
fn ClaimForm(options: OneOffClaimOptions) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let flash = use_flash();
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    let busy = RwSignal::new(false);
    title_with_errors(|| "New one-off claim".to_owned(), errors);

    // The contracts of the organisation the contact is working for.
    let contracts: Vec<_> = options
        .contracts
        .into_iter()
        .filter(|contract| session.shows_organisation(&contract.organisation_id))
        .collect();
    let contracts = StoredValue::new(contracts);
    let contract = RwSignal::new(
        contracts
            .with_value(|contracts| contracts.first().map(|contract| contract.id.clone()))
            .unwrap_or_default(),
    );
    let item = RwSignal::new(String::new());
    let client = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let date = DateParts::new();
    let amount = RwSignal::new(String::new());
    let vat = RwSignal::new(String::new());
    let file_input = NodeRef::<html::Input>::new();

    let contract_options = Signal::derive(move || {
        ungrouped(contracts.with_value(|contracts| {
            contracts
                .iter()
                .map(|contract| (contract.id.clone(), contract.name.clone()))
                .collect()
        }))
    });
    let client_options = Signal::derive(move || {
        let chosen = contract.get();
        ungrouped(contracts.with_value(|contracts| {
            contracts
                .iter()
                .find(|option| option.id == chosen)
                .map(|option| {
                    option
                        .clients
                        .iter()
                        .map(|client| (client.id.clone(), client.name.clone()))
                        .collect()
                })
                .unwrap_or_default()
        }))
    });
    // A client of another contract is no choice at all.
    Effect::new(move |_| {
        contract.track();
        client.set(String::new());
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
        let mut lines = Vec::new();
        let contract_id = contract.get_untracked();
        if contract_id.is_empty() {
            lines.push(SummaryError::at("contract", "Choose the contract"));
        }
        let claim_date = crate::components::form::checked_date(
            &date,
            "claim-date",
            "Date",
            Some("Enter the date"),
            &mut lines,
        )
        .unwrap_or_default();
        let item_text = item.get_untracked();
        let client_text = client.get_untracked();
        let has_client = item_text == "client" && !client_text.is_empty();
        let description_text = description.get_untracked();
        let amount_text = amount.get_untracked();
        let vat_text = vat.get_untracked();
        let draft = ClaimDraft {
            item: &item_text,
            has_client,
            description: &description_text,
            claim_date: &claim_date,
            amount: &amount_text,
            vat: &vat_text,
        };
        if let Err(bad) = claim::validate(&draft, today()) {
            for error in bad {
                // The date boxes already said what is wrong with an unreadable date.
                if error.field == "claim_date" && claim_date.is_empty() {
                    continue;
                }
                if let Some(field) = locate(error.field) {
                    let message = match error.field {
                        "item" => field.missing.clone(),
                        "client_id" if item_text == "client" => field.missing.clone(),
                        _ => field.message(&error.message),
                    };
                    lines.push(SummaryError::at(field.id, message));
                }
            }
        }
        let file = chosen_file(file_input);
        match &file {
            None => lines.push(SummaryError::at(
                FILE_ID,
                "Select a PDF, PNG or JPEG file of the evidence",
            )),
            Some(file) if file.size() > MAX_EVIDENCE_BYTES as f64 => lines.push(SummaryError::at(
                FILE_ID,
                "The evidence must be 5 MB or smaller",
            )),
            Some(file) if EvidenceType::parse(&declared_type(file)).is_none() => lines.push(
                SummaryError::at(FILE_ID, "The evidence must be a PDF, PNG or JPEG"),
            ),
            Some(_) => {}
        }
        if !lines.is_empty() {
            errors.set(ordered(lines));
            return;
        }
        let Some(file) = file else { return };
        let navigate = navigate.clone();
        busy.set(true);
        spawn_local(async move {
            let bytes = match file_bytes(&file).await {
                Ok(bytes) => bytes,
                Err(message) => {
                    busy.set(false);
                    errors.set(vec![SummaryError::at(FILE_ID, message)]);
                    return;
                }
            };
            let content_type = declared_type(&file);
            if let Err(bad) = claim::check_evidence(&file.name(), &content_type, bytes.clone()) {
                busy.set(false);
                errors.set(ordered(
                    bad.into_iter()
                        .map(|error| SummaryError::at(FILE_ID, error.message))
                        .collect(),
                ));
                return;
            }
            let body = CreateOneOffClaim {
                contract_id,
                item: item_text.clone(),
                client_id: (item_text == "client").then_some(client_text),
                description: description_text,
                claim_date,
                amount: amount_text,
                vat: vat_text,
                evidence: EvidenceUpload {
                    file_name: file.name(),
                    content_type,
                    content_base64: base64::engine::general_purpose::STANDARD.encode(&bytes),
                },
            };
            let outcome = api::create_one_off_claim(&token, &body).await;
            busy.set(false);
            match outcome {
                Ok(created) => {
                    errors.set(Vec::new());
                    flash.set("Claim submitted to the council");
                    navigate(
                        &format!("/one-off-claims/{}", created.id),
                        NavigateOptions::default(),
                    );
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => errors.set(ordered(problem_errors(&problem, locate))),
            }
        });
    };

    let file_error = move || crate::components::form::error_of(errors, FILE_ID);
    let no_contract = contracts.with_value(Vec::is_empty);

    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <ErrorSummary errors />
                <h1 class="govuk-heading-l">"New one-off claim"</h1>
                {no_contract.then(|| view! {
                    <p class="govuk-body">"You have no contract to claim under. Contact the council."</p>
                })}
                <form novalidate on:submit=submit>
                    <SelectInput id="contract" label="Contract" value=contract errors groups=contract_options />
                    <Radios id="item" legend="Who is the claim for?" value=item errors
                        options=vec![("client", "A client (client item)"), ("provider", "Your organisation (provider item)")] />
                    <Show when=move || item.with(|item| item == "client")>
                        <SelectInput id="client" label="Client" value=client errors groups=client_options
                            choose="Choose a client" hint="Clients with care under this contract" />
                    </Show>
                    <TextInput id="description" label="Description" value=description errors
                        hint="What the claim is for, like Taxi to hospital appointment" />
                    <DateInput id="claim-date" legend="Date" parts=date errors
                        hint="The day the cost arose. For example, 6 6 2022" />
                    <TextInput id="amount" label="Amount" value=amount errors width="govuk-input--width-10"
                        inputmode="decimal" prefix="£" hint="Before VAT" />
                    <TextInput id="vat" label="VAT" value=vat errors width="govuk-input--width-10"
                        inputmode="decimal" prefix="£" hint="Enter 0 when there is no VAT" />
                    <div class="govuk-form-group" class:govuk-form-group--error=move || file_error().is_some()>
                        <label class="govuk-label" for=FILE_ID>"Evidence"</label>
                        <div id="evidence-hint" class="govuk-hint">"A PDF, PNG or JPEG file, 5 MB or smaller: a receipt or an invoice"</div>
                        {move || file_error().map(|message| view! {
                            <p id="evidence-error" class="govuk-error-message">
                                <span class="govuk-visually-hidden">"Error: "</span>{message}
                            </p>
                        })}
                        <input
                            class="govuk-file-upload"
                            class:govuk-file-upload--error=move || file_error().is_some()
                            id=FILE_ID
                            name=FILE_ID
                            type="file"
                            accept=".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
                            aria-describedby=move || if file_error().is_some() { "evidence-hint evidence-error" } else { "evidence-hint" }
                            node_ref=file_input
                        />
                    </div>
                    <button type="submit" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()>
                        "Submit claim"
                    </button>
                </form>
            </div>
        </div>
    }
}
