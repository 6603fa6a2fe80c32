//! Attachments of actions and disputes (DOMAIN 9 and 10): a file sent as the request's raw
//! body with its `Content-Type` and `?file_name=`, attached to an action (or one of the
//! caller's own posts in its thread) or a dispute (or one of the caller's own steps in its
//! history, a response say). PDF, PNG, JPEG, plain text, CSV, Word or Excel, at most 10 MB,
//! its content checked against its declared type (`portal_domain::attachment`); kept in the
//! database or the file directory (`crate::attachments::FileStore`). Downloaded by those who
//! may see the action or dispute; to anyone else it does not exist (404). Nothing is
//! deleted.

use actix_web::http::header::{ContentDisposition, DispositionParam, DispositionType};
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use portal_domain::access::ProviderTask;
use portal_domain::attachment::{ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES};
use portal_dto::{Attachment, Problem};
use portal_store::attachments::{AttachmentParent, AttachmentRecord, NewAttachment, StoredBytes};
use portal_store::Store;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::attachments::{self as files, FileStore, Placed};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::parse_id;
use crate::routes::problems::{NotFound, NotSignedIn};

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(attach_to_action)
        .service(attach_to_dispute)
        .service(download_attachment);
}

/// An attachment as a page lists it.
pub(crate) fn attachment_dto(record: AttachmentRecord) -> Attachment {
    Attachment {
        download_path: format!("/api/v1/attachments/{}", record.id),
        id: record.id.to_string(),
        file_name: record.file_name,
        content_type: record.content_type,
        size_bytes: record.size_bytes,
        sha256: record.sha256,
        post_id: record.action_post_id.map(|id| id.to_string()),
        event_id: record.dispute_event_id.map(|id| id.to_string()),
        uploaded_at: record.uploaded_at,
        uploaded_by: match record.uploaded_for {
            Some(organisation) => format!("{} ({organisation})", record.uploaded_by),
            None => record.uploaded_by,
        },
    }
}

/// An optional id naming a post or step of the record: absent or empty is none; anything
/// else that is not one of the record's is not found.
fn optional_child(text: Option<&str>, what: &'static str) -> Result<Option<i64>, ApiError> {
    match text.map(str::trim).filter(|text| !text.is_empty()) {
        None => Ok(None),
        Some(text) => parse_id(text, what).map(Some),
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct ActionUpload {
    /// The file's name, at most 200 characters (only its last path part is kept).
    file_name: Option<String>,
    /// One of your own posts in the action's thread, to attach the file to; without it the
    /// file belongs to the action (which must not be closed).
    post_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct DisputeUpload {
    /// The file's name, at most 200 characters (only its last path part is kept).
    file_name: Option<String>,
    /// One of your own steps in the dispute's history (a response, a comment), to attach
    /// the file to; without it the file belongs to the dispute (which must not be resolved).
    event_id: Option<String>,
}

/// Checks the body and keeps the file with its audit row; answers 201 with it.
#[allow(clippy::too_many_arguments)]
async fn upload(
    store: &Store,
    files: &FileStore,
    caller: &Caller,
    request: &HttpRequest,
    payload: web::Payload,
    file_name: Option<&str>,
    parent: AttachmentParent,
    uploaded_for_organisation_id: Option<i64>,
) -> Result<HttpResponse, ApiError> {
    let bytes = files::read_body(payload, MAX_ATTACHMENT_BYTES).await?;
    let file = files::check(
        file_name.unwrap_or_default(),
        &files::declared_type(request),
        bytes,
        &ATTACHMENT_TYPES,
        MAX_ATTACHMENT_BYTES,
        files::RAW_UPLOAD,
    )
    .map_err(ApiError::Validation)?;
    let sha256 = files::sha256_hex(&file.bytes);
    // The directory's file is written before the row, so a failed write leaves no row.
    let placed = files.place(&file.bytes).await?;
    let stored = match &placed {
        Placed::Database => StoredBytes::Database(&file.bytes),
        Placed::Directory(key) => StoredBytes::Directory(key),
    };
    let id = store
        .create_attachment(
            &NewAttachment {
                parent,
                file_name: &file.file_name,
                content_type: file.kind.content_type(),
                size_bytes: i64::try_from(file.bytes.len()).unwrap_or(i64::MAX),
                sha256: &sha256,
                bytes: stored,
                uploaded_for_organisation_id,
            },
            &caller.actor(),
        )
        .await?;
    let record = store
        .attachment_record(id)
        .await?
        .ok_or(ApiError::NotFound("attachment"))?;
    let attachment = attachment_dto(record);
    Ok(HttpResponse::Created()
        .insert_header(("Location", attachment.download_path.clone()))
        .json(attachment))
}

/// How refusals name an attachment's parent and its posts or steps.
struct Where {
    child: &'static str,
    others_child: &'static str,
    closed: &'static str,
}

/// A file goes on the caller's own post or step (`child_author`: that post's author, `None`
/// inside when there is no such post), whenever; or on the record itself while it is open.
fn may_attach(
    child_author: Option<Option<i64>>,
    person: i64,
    parent_open: bool,
    words: &Where,
) -> Result<(), ApiError> {
    match child_author {
        Some(None) => Err(ApiError::NotFound(words.child)),
        Some(Some(author)) if author != person => {
            Err(ApiError::Forbidden(words.others_child.into()))
        }
        Some(Some(_)) => Ok(()),
        None if !parent_open => Err(ApiError::Conflict(words.closed.into())),
        None => Ok(()),
    }
}

/// Attaches a file to an action, or to one of your own posts in its thread: the file is the
/// request's body, with its `Content-Type` (application/pdf, image/png, image/jpeg,
/// text/plain, text/csv, or the Word (DOCX) and Excel (XLSX) types) and `?file_name=`. At most
/// 10 MB; its content must be what its type says. Audited on the action.
#[utoipa::path(
    tag = "actions",
    operation_id = "attach_to_action",
    params(("action_id" = String, Path, description = "The action's id"), ActionUpload),
    request_body(
        description = "The file's bytes, at most 10 MB",
        content(
            (Vec<u8> = "application/pdf"),
            (Vec<u8> = "image/png"),
            (Vec<u8> = "image/jpeg"),
            (Vec<u8> = "text/plain"),
            (Vec<u8> = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    ),
    responses(
        (status = 201, description = "Attached; `Location` is its download", body = Attachment),
        NotSignedIn,
        (status = 403, description = "A post of someone else's, or a tool's credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such action of yours, or no such post in it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A closed action (attach to your own post instead)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing file name; a type not accepted; empty, larger than 10 MB, or content that is not what its type says", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/actions/{action_id}/attachments")]
#[tracing::instrument(skip(caller, store, files, request, payload))]
pub async fn attach_to_action(
    caller: Caller,
    store: web::Data<Store>,
    files: web::Data<FileStore>,
    request: HttpRequest,
    path: web::Path<String>,
    query: web::Query<ActionUpload>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let person = caller.person_id()?;
    let id = parse_id(&path, "action")?;
    let action = store
        .action(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("action"))?;
    let post_id = optional_child(query.post_id.as_deref(), "post")?;
    let author = match post_id {
        Some(post_id) => Some(store.action_post_author(action.id, post_id).await?),
        None => None,
    };
    may_attach(
        author,
        person,
        action.status.is_open(),
        &Where {
            child: "post",
            others_child: "You can attach files only to your own posts.",
            closed: "This action is closed: nothing more can be attached to it.",
        },
    )?;
    upload(
        &store,
        &files,
        &caller,
        &request,
        payload,
        query.file_name.as_deref(),
        AttachmentParent::Action {
            action_id: action.id,
            post_id,
        },
        (!caller.is_council).then_some(action.organisation_id),
    )
    .await
}

/// Attaches a file to a dispute, or to one of your own steps in its history (a response
/// with its evidence, say): as for actions, the file is the body with its `Content-Type`
/// and `?file_name=`, at most 10 MB, its content checked. Audited on the dispute.
#[utoipa::path(
    tag = "disputes",
    operation_id = "attach_to_dispute",
    params(("dispute_id" = String, Path, description = "The dispute's id"), DisputeUpload),
    request_body(
        description = "The file's bytes, at most 10 MB",
        content(
            (Vec<u8> = "application/pdf"),
            (Vec<u8> = "image/png"),
            (Vec<u8> = "image/jpeg"),
            (Vec<u8> = "text/plain"),
            (Vec<u8> = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )
    ),
    responses(
        (status = 201, description = "Attached; `Location` is its download", body = Attachment),
        NotSignedIn,
        (status = 403, description = "A step of someone else's, a role that may not record actuals, or a tool's credentials", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such dispute of yours, or no such step in it", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A resolved dispute (attach to your own step instead)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A missing file name; a type not accepted; empty, larger than 10 MB, or content that is not what its type says", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/disputes/{dispute_id}/attachments")]
#[tracing::instrument(skip(caller, store, files, request, payload))]
pub async fn attach_to_dispute(
    caller: Caller,
    store: web::Data<Store>,
    files: web::Data<FileStore>,
    request: HttpRequest,
    path: web::Path<String>,
    query: web::Query<DisputeUpload>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let person = caller.person_id()?;
    let id = parse_id(&path, "dispute")?;
    let dispute = store
        .dispute(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("dispute"))?;
    let event_id = optional_child(query.event_id.as_deref(), "step")?;
    let author = match event_id {
        Some(event_id) => Some(store.dispute_event_author(dispute.id, event_id).await?),
        None => None,
    };
    may_attach(
        author,
        person,
        dispute.status.is_open(),
        &Where {
            child: "step",
            others_child: "You can attach files only to your own steps of the dispute.",
            closed: "This dispute is resolved: nothing more can be attached to it.",
        },
    )?;
    // A provider answers a dispute by amending actuals: the same role attaches its evidence.
    caller.may(dispute.organisation_id, ProviderTask::RecordActuals)?;
    upload(
        &store,
        &files,
        &caller,
        &request,
        payload,
        query.file_name.as_deref(),
        AttachmentParent::Dispute {
            dispute_id: dispute.id,
            event_id,
        },
        (!caller.is_council).then_some(dispute.organisation_id),
    )
    .await
}

/// Downloads an attachment, with its type and file name, for those who may see its action
/// or dispute.
#[utoipa::path(
    tag = "actions",
    operation_id = "download_attachment",
    params(("attachment_id" = String, Path, description = "The attachment's id")),
    responses(
        (status = 200, description = "The file, with its type and its name as a download",
            content(
                (Vec<u8> = "application/pdf"),
                (Vec<u8> = "image/png"),
                (Vec<u8> = "image/jpeg"),
                (Vec<u8> = "text/plain"),
                (Vec<u8> = "text/csv"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            )),
        NotSignedIn,
        (status = 403, description = "A tool's credentials", body = Problem, content_type = "application/problem+json"),
        NotFound,
    )
)]
#[get("/attachments/{attachment_id}")]
#[tracing::instrument(skip(caller, store, files))]
pub async fn download_attachment(
    caller: Caller,
    store: web::Data<Store>,
    files: web::Data<FileStore>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.person_id()?;
    let id = parse_id(&path, "attachment")?;
    let file = store
        .attachment(caller.scope(), id)
        .await?
        .ok_or(ApiError::NotFound("attachment"))?;
    let bytes = match (file.content, file.storage_key) {
        (Some(bytes), _) => bytes,
        (None, Some(key)) => files.read(&key, &file.record.sha256).await?,
        (None, None) => {
            return Err(anyhow::anyhow!("attachment {id} has neither bytes nor a key").into())
        }
    };
    Ok(HttpResponse::Ok()
        .content_type(file.record.content_type)
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header(ContentDisposition {
            disposition: DispositionType::Attachment,
            parameters: vec![DispositionParam::Filename(file.record.file_name)],
        })
        .body(bytes))
}
