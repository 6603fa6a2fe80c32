//! Attachments on actions and disputes: the GOV.UK file upload input, the chosen files
//! checked with the domain's own rules (`portal_domain::attachment`: type, 10 MB, content)
//! before anything is sent, their upload after the post or response they belong to, and
//! the list of attached files with their download links.

use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use portal_domain::attachment::{
    self, size_label, FileType, ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES,
};
use portal_dto::Attachment;

use crate::api;
use crate::components::form::{error_of, Errors};
use crate::format::date_text;
use crate::session::use_session;

/// What the input accepts, for the browser's file chooser.
const ACCEPT: &str = ".pdf,.png,.jpg,.jpeg,.txt,.csv,.docx,.xlsx";

/// A chosen file, read and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChosenFile {
    pub name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// "PDF, 48 KB, uploaded by Jo Hunter (Ally Pally Ltd) on 06/06/2022".
pub fn attachment_line(attachment: &Attachment) -> String {
    let kind = match FileType::parse(&attachment.content_type) {
        Some(kind) => kind.label(),
        None => attachment.content_type.as_str(),
    };
    let on = attachment
        .uploaded_at
        .get(..10)
        .map(date_text)
        .unwrap_or_default();
    format!(
        "{kind}, {}, uploaded by {} on {on}",
        size_label(u64::try_from(attachment.size_bytes).unwrap_or_default()),
        attachment.uploaded_by
    )
}

/// The attachments that belong to `post` (a post's or step's id), or with `None` those that
/// belong to the record itself.
pub fn attachments_of(attachments: &[Attachment], post: Option<&str>) -> Vec<Attachment> {
    attachments
        .iter()
        .filter(|attachment| {
            let part = attachment
                .post_id
                .as_deref()
                .or(attachment.event_id.as_deref());
            part == post
        })
        .cloned()
        .collect()
}

/// Checks a chosen file as the server will; each problem in words naming the file.
pub fn check_file(name: &str, declared: &str, bytes: Vec<u8>) -> Result<ChosenFile, Vec<String>> {
    // Browsers leave the type empty for some files: go by the name's extension then.
    let declared = if declared.is_empty() {
        FileType::from_file_name(name)
            .map(FileType::content_type)
            .unwrap_or_default()
    } else {
        declared
    };
    attachment::check(
        name,
        declared,
        bytes,
        &ATTACHMENT_TYPES,
        MAX_ATTACHMENT_BYTES,
    )
    .map(|file| ChosenFile {
        name: file.file_name,
        content_type: file.kind.content_type(),
        bytes: file.bytes,
    })
    .map_err(|problems| {
        problems
            .into_iter()
            .map(|problem| format!("{name}: {}", problem.message))
            .collect()
    })
}

async fn file_bytes(file: &web_sys::File) -> Result<Vec<u8>, String> {
    let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| format!("{}: the file could not be read", file.name()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The files chosen in `input`, read and checked; every problem at once.
pub async fn read_chosen(input: NodeRef<html::Input>) -> Result<Vec<ChosenFile>, Vec<String>> {
    let Some(list) = input.get_untracked().and_then(|input| input.files()) else {
        return Ok(Vec::new());
    };
    let mut chosen = Vec::new();
    let mut problems = Vec::new();
    for index in 0..list.length() {
        let Some(file) = list.get(index) else {
            continue;
        };
        if file.size() > (MAX_ATTACHMENT_BYTES as f64) {
            problems.push(format!(
                "{}: The file must be 10 MB or smaller",
                file.name()
            ));
            continue;
        }
        match file_bytes(&file).await {
            Ok(bytes) => match check_file(&file.name(), &file.type_(), bytes) {
                Ok(file) => chosen.push(file),
                Err(more) => problems.extend(more),
            },
            Err(problem) => problems.push(problem),
        }
    }
    if problems.is_empty() {
        Ok(chosen)
    } else {
        Err(problems)
    }
}

/// Empties the input once its files are sent.
pub fn clear(input: NodeRef<html::Input>) {
    if let Some(input) = input.get_untracked() {
        input.set_value("");
    }
}

/// Sends each file to the action or dispute (`target`: `actions` or `disputes`), tied to
/// `part` (`("post_id", id)` or `("event_id", id)`); the first refusal in words.
pub async fn upload_all(
    token: &str,
    target: &str,
    id: &str,
    part: Option<(&str, &str)>,
    files: Vec<ChosenFile>,
) -> Result<(), String> {
    for file in files {
        if let Err(problem) = api::attach_file(
            token,
            target,
            id,
            part,
            &file.name,
            file.content_type,
            file.bytes,
        )
        .await
        {
            let detail = problem
                .errors
                .first()
                .map_or(problem.detail.clone(), |error| error.message.clone());
            return Err(format!("{} could not be attached: {detail}", file.name));
        }
    }
    Ok(())
}

/// The GOV.UK file upload input for attachments (several files at once).
#[component]
pub fn FileUpload(
    id: &'static str,
    input: NodeRef<html::Input>,
    errors: Errors,
    #[prop(default = "Attach files (optional)")] label: &'static str,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let error = Signal::derive(move || error_of(errors, id));
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            if error.with(Option::is_some) {
                format!("{hint_id} {error_id}")
            } else {
                hint_id.clone()
            }
        }
    };
    view! {
        <div class="govuk-form-group" class:govuk-form-group--error=move || error.with(Option::is_some)>
            <label class="govuk-label" for=id>{label}</label>
            <div id=hint_id class="govuk-hint">
                "PDF, PNG, JPEG, text, CSV, Word or Excel files, each 10 MB or smaller"
            </div>
            {move || error.get().map(|message| view! {
                <p id=error_id.clone() class="govuk-error-message">
                    <span class="govuk-visually-hidden">"Error: "</span>{message}
                </p>
            })}
            <input
                class="govuk-file-upload"
                class:govuk-file-upload--error=move || error.with(Option::is_some)
                id=id
                name=id
                type="file"
                multiple
                accept=ACCEPT
                aria-describedby=described
                node_ref=input
            />
        </div>
    }
}

/// Attached files with their download links (fetched with the session's token).
#[component]
pub fn AttachmentList(attachments: Vec<Attachment>) -> impl IntoView {
    let session = use_session();
    let failed = RwSignal::new(None::<String>);
    if attachments.is_empty() {
        return ().into_any();
    }
    let items = attachments
        .into_iter()
        .map(|attachment| {
            let line = attachment_line(&attachment);
            let href = attachment.download_path.clone();
            let name = attachment.file_name.clone();
            let download = move |event: leptos::ev::MouseEvent| {
                event.prevent_default();
                let token = session.access_token();
                let attachment = attachment.clone();
                failed.set(None);
                spawn_local(async move {
                    let result = match token {
                        Some(token) => api::attachment_bytes(&token, &attachment.id).await,
                        None => Err(crate::components::problem::signed_out()),
                    };
                    let saved = match result {
                        Ok(bytes) => crate::download::save_bytes(
                            &attachment.file_name,
                            &attachment.content_type,
                            &bytes,
                        ),
                        Err(problem) => Err(problem.detail),
                    };
                    failed.try_set(saved.err());
                });
            };
            // The link stands in its own paragraph, so it is told from the text by more
            // than colour.
            view! {
                <div class="app-attachment govuk-!-margin-bottom-2">
                    <p class="govuk-body-s govuk-!-margin-bottom-0">
                        <a class="govuk-link" href=href download=name.clone() on:click=download>{name.clone()}</a>
                    </p>
                    <p class="govuk-body-s govuk-!-margin-bottom-0 app-attachment__details">{line}</p>
                </div>
            }
        })
        .collect_view();
    // Paragraphs, not a list: the files sit inside a thread's list item.
    view! {
        <div class="app-attachments govuk-!-margin-bottom-4">
            <p class="govuk-body-s govuk-!-font-weight-bold govuk-!-margin-bottom-1">"Attachments"</p>
            {items}
            {move || failed.get().map(|message| view! {
                <p class="govuk-error-message" role="alert">{message}</p>
            })}
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attachment(post_id: Option<&str>, event_id: Option<&str>) -> Attachment {
        Attachment {
            id: "7".to_owned(),
            file_name: "visit-notes.pdf".to_owned(),
            content_type: "application/pdf".to_owned(),
            size_bytes: 48 * 1024 + 10,
            sha256: "ab".to_owned(),
            post_id: post_id.map(str::to_owned),
            event_id: event_id.map(str::to_owned),
            uploaded_at: "2022-06-06T09:15:00Z".to_owned(),
            uploaded_by: "Jo Hunter (Ally Pally Ltd)".to_owned(),
            download_path: "/api/v1/attachments/7".to_owned(),
        }
    }

    #[test]
    fn an_attachment_reads_with_its_type_size_author_and_day() {
        assert_eq!(
            attachment_line(&attachment(None, None)),
            "PDF, 49 KB, uploaded by Jo Hunter (Ally Pally Ltd) on 06/06/2022"
        );
    }

    #[test]
    fn attachments_go_under_their_post_or_step() {
        let all = [
            attachment(Some("3"), None),
            attachment(None, Some("5")),
            attachment(None, None),
        ];
        assert_eq!(attachments_of(&all, Some("3")), [all[0].clone()]);
        assert_eq!(attachments_of(&all, Some("5")), [all[1].clone()]);
        assert_eq!(attachments_of(&all, None), [all[2].clone()]);
    }

    #[test]
    fn a_chosen_file_is_checked_before_it_is_sent() {
        let file = check_file("notes.csv", "", b"day,visits\n".to_vec()).unwrap();
        assert_eq!(file.content_type, "text/csv");
        let refused = check_file("scan.pdf", "application/pdf", b"\x89PNG\r\n\x1a\n".to_vec());
        assert_eq!(
            refused.unwrap_err(),
            ["scan.pdf: The file is not a PDF: its content does not match its type"]
        );
        assert!(check_file("page.html", "text/html", b"<p>".to_vec()).is_err());
    }
}
