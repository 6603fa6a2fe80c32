//! RFC 9457 problem details, the body of every error response.

use serde::{Deserialize, Serialize};

/// One bad field of a request, named by its JSON path ("lines[0].actual").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    #[cfg_attr(feature = "openapi", schema(example = "lines[0].actual"))]
    pub field: String,
    #[cfg_attr(feature = "openapi", schema(example = "must not be negative"))]
    pub message: String,
}

/// `application/problem+json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    #[cfg_attr(feature = "openapi", schema(example = "/problems/validation"))]
    pub problem_type: String,
    #[cfg_attr(feature = "openapi", schema(example = "Some fields are not valid"))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(example = 422))]
    pub status: u16,
    pub detail: String,
    /// Every bad field at once, for validation failures.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}
