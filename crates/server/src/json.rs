//! `ValidJson<T>`: a JSON body extractor whose errors name the bad field
//! ("lines[0].actual"), as problem+json with status 422 (API.md).

use actix_web::dev::Payload;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// The largest body accepted: a big batch of actuals fits many times over.
const LIMIT_BYTES: usize = 8 * 1024 * 1024;

pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = request
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("application/json"));
        let body = Bytes::from_request(request, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::invalid(
                    "body",
                    "must be JSON, sent with Content-Type: application/json",
                ));
            }
            let bytes = body
                .await
                .map_err(|_| ApiError::invalid("body", "could not be read"))?;
            if bytes.len() > LIMIT_BYTES {
                return Err(ApiError::invalid("body", "is too large"));
            }
            parse_json(&bytes).map(ValidJson)
        })
    }
}

/// Parses a JSON body, naming the first bad field by its path ("lines[0].actual").
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { "body".to_owned() } else { path };
        ApiError::invalid(&field, plain_message(error.inner()))
    })
}

/// serde's message without its line and column, which mean nothing to a person.
fn plain_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.find(" at line ") {
        Some(index) => text[..index].to_owned(),
        None => text,
    }
}
