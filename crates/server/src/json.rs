//! `ValidJson<T>`: a JSON body extractor whose errors name the bad field
//! ("lines[0].actual"), as problem+json with status 422 (API.md).

use actix_web::dev::Payload;
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use portal_dto::FieldError;
use serde::de::DeserializeOwned;
use utoipa::openapi::{RefOr, Schema};
use utoipa::PartialSchema;

use crate::error::ApiError;

/// The largest body accepted: a big batch of actuals fits many times over.
const LIMIT_BYTES: usize = 8 * 1024 * 1024;

pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + PartialSchema + 'static> FromRequest for ValidJson<T> {
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

/// Parses a JSON body, naming the first bad field by its path ("lines[0].actual"). Every
/// body of this API is an object: serde would otherwise take a list as an object's fields
/// in order, so a list is refused before it can be read that way.
pub fn parse_json<T: DeserializeOwned + PartialSchema>(bytes: &[u8]) -> Result<T, ApiError> {
    let first = bytes.iter().find(|byte| !byte.is_ascii_whitespace());
    if first != Some(&b'{') {
        return Err(ApiError::invalid("body", "must be a JSON object, { ... }"));
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let message = plain_message(error.inner());
        // "missing field `version`" names the field only in its text, and only the first:
        // name it properly, and at the top level every other required field missing too.
        if let Some(name) = message
            .strip_prefix("missing field `")
            .and_then(|rest| rest.strip_suffix('`'))
        {
            if path == "." {
                let mut missing = missing_required::<T>(bytes);
                if !missing.iter().any(|field| field == name) {
                    missing.insert(0, name.to_owned());
                }
                return ApiError::Validation(
                    missing
                        .into_iter()
                        .map(|field| FieldError {
                            field,
                            message: "is required".to_owned(),
                        })
                        .collect(),
                );
            }
            return ApiError::invalid(&format!("{path}.{name}"), "is required");
        }
        let field = if path == "." { "body".to_owned() } else { path };
        ApiError::invalid(&field, message)
    })
}

/// The required fields of `T`'s schema that the body's object lacks, in schema order.
fn missing_required<T: PartialSchema>(bytes: &[u8]) -> Vec<String> {
    let Ok(serde_json::Value::Object(given)) = serde_json::from_slice(bytes) else {
        return Vec::new();
    };
    match T::schema() {
        RefOr::T(Schema::Object(object)) => object
            .required
            .iter()
            .filter(|field| !given.contains_key(field.as_str()))
            .cloned()
            .collect(),
        _ => Vec::new(),
    }
}

/// serde's message without its line and column, which mean nothing to a person.
fn plain_message(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.find(" at line ") {
        Some(index) => text[..index].to_owned(),
        None => text,
    }
}
