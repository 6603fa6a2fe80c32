//! `ApiError`: the HTTP layer's one error type, sent as RFC 9457 problem details.
//!
//! Causes are logged with their chain; the client gets a title, a detail it can act on,
//! and for validation failures every bad field. Never a stack trace.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use portal_dto::{FieldError, Problem};
use portal_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("not authenticated: {0}")]
    Unauthorized(String),
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// Missing or not the caller's: the two are never told apart.
    #[error("not found: {0}")]
    NotFound(&'static str),
    /// Valid JSON that breaks rules, with every bad field.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    #[error("conflict: {0}")]
    Conflict(String),
    /// Over a rate limit: try again after this many seconds.
    #[error("too many requests; retry after {0}s")]
    TooManyRequests(u64),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Unexpected(#[from] anyhow::Error),
}

impl ApiError {
    /// One bad field.
    pub fn invalid(field: &str, message: impl Into<String>) -> ApiError {
        ApiError::Validation(vec![FieldError {
            field: field.to_owned(),
            message: message.into(),
        }])
    }

    fn problem(&self) -> Problem {
        let (problem_type, title, detail, errors) = match self {
            ApiError::Unauthorized(detail) => ("unauthorized", "Not signed in", detail.clone(), vec![]),
            ApiError::Forbidden(detail) => ("forbidden", "Not allowed", detail.clone(), vec![]),
            ApiError::NotFound(what) => (
                "not-found",
                "Not found",
                format!("There is no {what} with that id that you can see."),
                vec![],
            ),
            ApiError::Validation(errors) => (
                "validation",
                "Some fields are not valid",
                describe_fields(errors),
                errors.clone(),
            ),
            ApiError::Conflict(detail) => ("conflict", "Conflict", detail.clone(), vec![]),
            ApiError::TooManyRequests(seconds) => (
                "too-many-requests",
                "Too many attempts",
                format!("Too many attempts from this address. Wait {seconds} seconds, then try again."),
                vec![],
            ),
            ApiError::Store(StoreError::StaleVersion { current, .. }) => (
                "stale-version",
                "Someone else saved first",
                format!(
                    "This was changed by someone else after you opened it (it is now at version {current}). Reload it, then make your change again."
                ),
                vec![],
            ),
            ApiError::Store(StoreError::Locked(reason)) => (
                "week-locked",
                "This week is locked",
                format!(
                    "This week's actuals cannot change: {}. Contact the council if something is wrong.",
                    reason.trim_end_matches('.')
                ),
                vec![],
            ),
            ApiError::Store(StoreError::NoLongerOpen(reason)) => (
                "no-longer-open",
                "This can no longer change",
                reason.clone(),
                vec![],
            ),
            ApiError::Store(_) | ApiError::Unexpected(_) => (
                "internal",
                "Something went wrong",
                "The server could not complete the request. Nothing was changed; try again.".to_owned(),
                vec![],
            ),
        };
        Problem {
            problem_type: format!("/problems/{problem_type}"),
            title: title.to_owned(),
            status: self.status_code().as_u16(),
            detail,
            errors,
        }
    }
}

fn describe_fields(errors: &[FieldError]) -> String {
    let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
    format!("Check {}.", fields.join(", "))
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Conflict(_)
            | ApiError::Store(
                StoreError::StaleVersion { .. }
                | StoreError::Locked(_)
                | StoreError::NoLongerOpen(_),
            ) => StatusCode::CONFLICT,
            ApiError::Store(_) | ApiError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = ?anyhow_chain(self), "request failed");
        }
        HttpResponse::build(status)
            .content_type("application/problem+json")
            .json(self.problem())
    }
}

fn anyhow_chain(error: &ApiError) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
