//! Bulk files (DOMAIN 4.8): a service's actuals exported, the commissioned care exported,
//! and a file of actuals imported through a checked preview.
//!
//! The export rows are flat so that each is one CSV row as well as one JSON object: the
//! CSV's header row is these field names, in this order.

use serde::{Deserialize, Serialize};

use crate::FieldError;

/// One actual line (a CPLI in a week) of the actuals export: the recorded figures, or the
/// plan when nothing is recorded yet. The import reads `cpli_id`, `week`, `actual`,
/// `frustrated`, `missed`, `extra`, `visits` and `comment`; the other columns are there to
/// read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExportedActual {
    pub cpli_id: String,
    /// The week's Monday, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-06"))]
    pub week: String,
    #[cfg_attr(feature = "openapi", schema(example = "96836000"))]
    pub ssref: String,
    /// "Bristow, Eric". Ignored on import: the CPLI decides the client.
    #[cfg_attr(feature = "openapi", schema(example = "Bristow, Eric"))]
    pub client: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Homecare Flexible - Bradford - Single-handed")
    )]
    pub service_level: String,
    /// `yes` when the line is recorded; `no` when it shows the plan.
    #[cfg_attr(feature = "openapi", schema(example = "yes"))]
    pub recorded: String,
    #[cfg_attr(feature = "openapi", schema(example = "7"))]
    pub planned: String,
    #[cfg_attr(feature = "openapi", schema(example = "7"))]
    pub actual: String,
    #[cfg_attr(feature = "openapi", schema(example = "0"))]
    pub frustrated: String,
    #[cfg_attr(feature = "openapi", schema(example = "0"))]
    pub missed: String,
    #[cfg_attr(feature = "openapi", schema(example = "0"))]
    pub extra: String,
    /// Empty when not recorded.
    #[cfg_attr(feature = "openapi", schema(example = "7"))]
    pub visits: String,
    pub comment: String,
}

/// One care package line item of the commissioned-care export.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CommissionedCare {
    /// The CPLI ID, as the Care Package Line Items screen shows it.
    pub cpli_id: String,
    /// The version shown; 1 for a CPLI never changed.
    pub version: i64,
    #[cfg_attr(feature = "openapi", schema(example = "96836000"))]
    pub ssref: String,
    #[cfg_attr(feature = "openapi", schema(example = "Bristow, Eric"))]
    pub client: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Homecare Flexible - Bradford - Single-handed")
    )]
    pub service_level: String,
    /// `hour`, `session` or `night`.
    #[cfg_attr(feature = "openapi", schema(example = "hour"))]
    pub unit: String,
    /// `per_unit`, `timetabled` or `intermittent`.
    #[cfg_attr(feature = "openapi", schema(example = "per_unit"))]
    pub pricing_kind: String,
    #[cfg_attr(feature = "openapi", schema(example = "2021-04-05"))]
    pub start: String,
    /// Empty when open-ended.
    pub end: String,
    /// Per-unit CPLIs: units a week.
    #[cfg_attr(feature = "openapi", schema(example = "7"))]
    pub weekly_quantity: String,
    /// Timetabled CPLIs: the timetable, "Mon, Wed, Fri x 1; Tue, Thu x 1".
    pub timetable: String,
    /// Intermittent CPLIs: units a financial year.
    pub annual_allocation: String,
    #[cfg_attr(feature = "openapi", schema(example = "20.00"))]
    pub rate: String,
    /// A full week's cost.
    #[cfg_attr(feature = "openapi", schema(example = "140.00"))]
    pub weekly_cost: String,
    #[cfg_attr(feature = "openapi", schema(example = "7"))]
    pub planned_visits: String,
    pub budget_code: String,
    pub care_package_ref: String,
    /// `yes` or `no`.
    #[cfg_attr(feature = "openapi", schema(example = "yes"))]
    pub authorised: String,
}

/// How many lines a file has, and what the check made of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportCounts {
    pub lines: u32,
    pub valid: u32,
    pub invalid: u32,
    /// Lines written by "Update system"; absent until the import is committed.
    pub written: Option<u32>,
}

/// One line of an imported file and its check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ImportLine {
    /// The line in the file; the header is line 1.
    #[cfg_attr(feature = "openapi", schema(example = 2))]
    pub line: u32,
    /// As the file gave it.
    #[cfg_attr(feature = "openapi", schema(example = "2"))]
    pub cpli_id: String,
    /// As the file gave it.
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-06"))]
    pub week: String,
    /// The client's SSRef: the CPLI's client's, or the file's when the CPLI is unknown.
    #[cfg_attr(feature = "openapi", schema(example = "96836000"))]
    pub ssref: String,
    /// The CPLI's client ("Bristow, Eric"); empty when the CPLI is unknown.
    pub client: String,
    /// `valid` or `invalid`.
    #[cfg_attr(feature = "openapi", schema(example = "valid"))]
    pub status: String,
    /// Why the line cannot be written, each naming its column (`week`, `actual`, ...).
    pub errors: Vec<FieldError>,
    /// Exceptions the line will raise ("does not add up"): they warn, never block.
    pub warnings: Vec<FieldError>,
}

/// An imported file: its preview until "Update system" commits it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActualsImport {
    pub id: String,
    pub service_id: String,
    /// The file reference (its name) given at upload.
    #[cfg_attr(feature = "openapi", schema(example = "actuals-june-2022.csv"))]
    pub reference: String,
    /// `previewed` or `committed`.
    #[cfg_attr(feature = "openapi", schema(example = "previewed"))]
    pub status: String,
    /// The SHA-256 of the file, lowercase hex.
    pub content_sha256: String,
    /// RFC 3339.
    pub created_at: String,
    /// RFC 3339; absent until committed.
    pub committed_at: Option<String>,
    pub counts: ImportCounts,
    /// Every line, in file order.
    pub lines: Vec<ImportLine>,
}
