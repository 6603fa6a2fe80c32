//! One one-off claim: what was claimed, its evidence to download, where it stands, and, for
//! council staff while it is submitted, Approve or Reject with a reason.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use portal_dto::{DecideOneOffClaim, OneOffClaim};

use crate::api::{self, with_token};
use crate::components::error_summary::{ErrorSummary, SummaryError};
use crate::components::form::{in_fields, problem_errors, Field, TextArea};
use crate::components::notification_banner::SuccessBanner;
use crate::components::page_title::title_with_errors;
use crate::components::problem::{sign_out_when_refused, signed_out, ProblemText};
use crate::flash::use_flash;
use crate::format::{date_text, money_text};
use crate::pages::claims::{claimed_for, status_tag_class};
use crate::session::use_session;

/// "48 KB", for the evidence's size.
fn size_text(bytes: i64) -> String {
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

/// "07/06/2022 09:15", from an RFC 3339 timestamp (UTC, as the API gives it).
fn timestamp_text(rfc3339: &str) -> String {
    let date = rfc3339.get(..10).map(date_text).unwrap_or_default();
    let time = rfc3339.get(11..16).unwrap_or_default();
    format!("{date} {time}").trim().to_owned()
}

fn summary_rows(claim: &OneOffClaim) -> Vec<(&'static str, String)> {
    let mut rows = vec![
        ("Claim for", claimed_for(claim)),
        ("Kind", claim.item_label.clone()),
        ("Provider", claim.organisation_name.clone()),
        ("Contract", claim.contract_name.clone()),
        ("Description", claim.description.clone()),
        ("Date", date_text(&claim.claim_date)),
        ("Amount", money_text(&claim.amount)),
        ("VAT", money_text(&claim.vat)),
        ("Total", money_text(&claim.total)),
        (
            "Submitted",
            match &claim.submitted_by {
                Some(by) => format!("{} by {by}", timestamp_text(&claim.submitted_at)),
                None => timestamp_text(&claim.submitted_at),
            },
        ),
    ];
    if let Some(decided_at) = &claim.decided_at {
        let verb = if claim.status == "rejected" {
            "Rejected"
        } else {
            "Approved"
        };
        rows.push((
            verb,
            match &claim.decided_by {
                Some(by) => format!("{} by {by}", timestamp_text(decided_at)),
                None => timestamp_text(decided_at),
            },
        ));
    }
    if !claim.reason.is_empty() {
        rows.push(("Reason", claim.reason.clone()));
    }
    if let Some(period) = &claim.paid_period {
        rows.push((
            "Paid in period",
            format!(
                "{} to {}",
                date_text(&period.starts_on),
                date_text(&period.ends_on)
            ),
        ));
    }
    rows
}

#[component]
pub fn ClaimPage() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|params| params.get("id").unwrap_or_default()));
    let banner = RwSignal::new(use_flash().take());
    // Bumped after a decision, to read the claim again.
    let reloads = RwSignal::new(0u32);
    let loaded = LocalResource::new(move || {
        let token = session.access_token();
        let id = id.get();
        reloads.track();
        with_token(token, |token| async move {
            api::one_off_claim(&token, &id).await
        })
    });
    sign_out_when_refused(session, loaded);
    let errors = RwSignal::new(Vec::<SummaryError>::new());
    title_with_errors(
        move || match loaded.get() {
            Some(Ok(claim)) => format!("One-off claim: {}", claim.description),
            _ => "One-off claim".to_owned(),
        },
        errors,
    );

    let download_error = RwSignal::new(None::<String>);
    let download = move |claim: OneOffClaim| {
        move |event: leptos::ev::MouseEvent| {
            event.prevent_default();
            let token = session.access_token();
            let claim = claim.clone();
            download_error.set(None);
            spawn_local(async move {
                let result = match token {
                    Some(token) => api::one_off_claim_evidence(&token, &claim.id).await,
                    None => Err(signed_out()),
                };
                let saved = match result {
                    Ok(bytes) => crate::download::save_bytes(
                        &claim.evidence.file_name,
                        &claim.evidence.content_type,
                        &bytes,
                    ),
                    Err(problem) => Err(problem.detail),
                };
                download_error.try_set(saved.err());
            });
        }
    };

    let content = move || match loaded.get() {
        None => view! { <p class="govuk-body" role="status">"Loading the claim…"</p> }.into_any(),
        Some(Err(problem)) if problem.status == 404 => view! {
            <h1 class="govuk-heading-l">"Claim not found"</h1>
            <p class="govuk-body">"We could not find that one-off claim among yours."</p>
        }
        .into_any(),
        Some(Err(problem)) => view! { <ProblemText problem /> }.into_any(),
        Some(Ok(claim)) => {
            let rows = summary_rows(&claim);
            let evidence_href = api::one_off_claim_evidence_path(&claim.id);
            let evidence_label = format!(
                "{} ({})",
                claim.evidence.file_name,
                size_text(claim.evidence.size_bytes)
            );
            let deciding = session.is_council() && claim.status == "submitted";
            let on_download = download(claim.clone());
            view! {
                <span class="govuk-caption-l">"One-off claim"</span>
                <h1 class="govuk-heading-l">{claim.description.clone()}</h1>
                <p class="govuk-body">
                    <strong class=status_tag_class(&claim.status)>{claim.status_label.clone()}</strong>
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
                    <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">"Evidence"</dt>
                        <dd class="govuk-summary-list__value">
                            <a class="govuk-link" href=evidence_href download on:click=on_download>
                                "Download "{evidence_label}
                            </a>
                        </dd>
                    </div>
                </dl>
                {move || download_error.get().map(|message| view! {
                    <p class="govuk-error-message" role="alert">{message}</p>
                })}
                {deciding.then(|| view! { <Decision claim=claim.clone() errors reloads banner /> })}
            }
            .into_any()
        }
    };
    view! {
        <a class="govuk-back-link" href="/one-off-claims">"Back to one-off claims"</a>
        <SuccessBanner message=banner />
        <ErrorSummary errors />
        {content}
    }
}

/// Council staff's Approve, and Reject with a reason.
#[component]
fn Decision(
    claim: OneOffClaim,
    errors: RwSignal<Vec<SummaryError>>,
    reloads: RwSignal<u32>,
    banner: RwSignal<Option<String>>,
) -> impl IntoView {
    let session = use_session();
    let reason = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let claim = StoredValue::new(claim);
    let decide = move |decision: &'static str| {
        if busy.get_untracked() {
            return;
        }
        let Some(token) = session.access_token() else {
            session.sign_out();
            return;
        };
        let claim = claim.get_value();
        let reason_text = reason.get_untracked().trim().to_owned();
        if decision == "reject" && reason_text.is_empty() {
            errors.set(vec![SummaryError::at(
                "reason",
                "Enter why the claim is rejected",
            )]);
            return;
        }
        let body = DecideOneOffClaim {
            version: claim.version,
            decision: decision.to_owned(),
            reason: (decision == "reject").then_some(reason_text),
        };
        busy.set(true);
        spawn_local(async move {
            let outcome = api::decide_one_off_claim(&token, &claim.id, &body).await;
            busy.set(false);
            match outcome {
                Ok(decided) => {
                    errors.set(Vec::new());
                    banner.set(Some(format!(
                        "Claim {}",
                        decided.status_label.to_lowercase()
                    )));
                    reloads.update(|count| *count += 1);
                }
                Err(problem) if problem.status == 401 => session.sign_out(),
                Err(problem) => {
                    let fields = [Field::new(
                        "reason",
                        "reason",
                        "Reason",
                        "Enter why the claim is rejected",
                    )];
                    errors.set(problem_errors(&problem, in_fields(&fields)));
                }
            }
        });
    };
    let approve = move |_| decide("approve");
    let reject = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        decide("reject");
    };
    view! {
        <h2 class="govuk-heading-m">"Decide this claim"</h2>
        <div class="govuk-button-group">
            <button type="button" class="govuk-button" data-module="govuk-button"
                disabled=move || busy.get() on:click=approve>
                "Approve"
            </button>
        </div>
        <form novalidate on:submit=reject>
            <TextArea id="reason" label="Reason for rejecting" value=reason errors
                hint="Required to reject. The provider sees it." rows=3 />
            <button type="submit" class="govuk-button govuk-button--warning" data-module="govuk-button"
                disabled=move || busy.get()>
                "Reject"
            </button>
        </form>
    }
}
