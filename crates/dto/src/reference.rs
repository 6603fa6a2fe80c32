//! Reference data as providers see it: care package line items (DOMAIN 3).

use serde::{Deserialize, Serialize};

/// One row of the Care Package Line Items list, with the guides' column texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CpliSummary {
    /// The CPLI ID (the same for all its versions).
    pub id: String,
    /// Which version this row shows; 1 for a CPLI never changed.
    pub version_number: i64,
    pub client_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "96836000"))]
    pub ssref: String,
    /// "Bristow, Eric".
    #[cfg_attr(feature = "openapi", schema(example = "Bristow, Eric"))]
    pub client_name: String,
    pub service_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Home Care"))]
    pub service_name: String,
    pub service_level_id: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Homecare Flexible - Bradford - Single-handed")
    )]
    pub service_level_name: String,
    /// `per_unit`, `timetabled` or `intermittent`.
    pub pricing_kind: String,
    #[cfg_attr(feature = "openapi", schema(example = "2021-04-05"))]
    pub start: String,
    pub end: Option<String>,
    /// A full week's cost, decimal string.
    #[cfg_attr(feature = "openapi", schema(example = "140.00"))]
    pub weekly_cost: String,
    /// As the list shows it: "£140.00 Weekly" or "£1,072.30 Weekly (Timetabled)".
    #[cfg_attr(feature = "openapi", schema(example = "£140.00 Weekly"))]
    pub cost_label: String,
    #[cfg_attr(feature = "openapi", schema(example = "7 x Hours at £20.00 (Spot)"))]
    pub pricing: String,
    pub authorised: bool,
    /// False once the end date has passed.
    pub current: bool,
    /// The version's terms, as a change form starts from them.
    #[serde(default)]
    pub terms: Option<CpliTerms>,
    /// `hour`, `session` or `night`.
    #[serde(default)]
    pub unit: String,
}

/// A new provider organisation (head office).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewOrganisation {
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Ltd"))]
    pub name: String,
    #[serde(default)]
    pub address_line1: String,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub phone: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Organisation {
    pub id: String,
    pub name: String,
    pub address_line1: String,
    pub town: String,
    pub postcode: String,
    pub email: String,
    pub phone: String,
    pub version: i64,
}

/// A contract between the council and an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewContract {
    pub organisation_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Care"))]
    pub name: String,
    #[cfg_attr(feature = "openapi", schema(example = "Homecare"))]
    pub contract_type_group: String,
    /// `scheduled` (scheduled, pay on actuals) or `invoiced` (invoiced, pay on actuals).
    #[cfg_attr(feature = "openapi", schema(example = "scheduled"))]
    pub payment_model: String,
    /// 1 (weekly), 2 (fortnightly) or 4 (four-weekly).
    #[cfg_attr(feature = "openapi", schema(example = 1))]
    pub period_weeks: i64,
    /// The first period's Monday.
    #[cfg_attr(feature = "openapi", schema(example = "2021-04-05"))]
    pub period_anchor: String,
    #[cfg_attr(feature = "openapi", schema(example = "0"))]
    pub vat_rate_percent: String,
    /// Per exception type; types left out keep DOMAIN 4.6's defaults.
    #[serde(default)]
    pub exception_settings: Vec<crate::ExceptionRuleSetting>,
    #[serde(default)]
    pub rules: ContractRules,
}

/// The per-council rules of DOMAIN 14a that apply to the contract's actuals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContractRules {
    /// A line that differs from the plan must have a comment.
    #[serde(default)]
    pub comment_mandatory: bool,
    /// Visits must be entered on every line.
    #[serde(default)]
    pub visits_mandatory: bool,
    /// Extra units may be claimed at all.
    #[serde(default = "yes")]
    pub extra_allowed: bool,
    /// When not empty, frustrated units only with one of these comments.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = json!(["Hospital Week 1", "Hospital Week 2"])))]
    pub frustrated_comments: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Default for ContractRules {
    fn default() -> Self {
        ContractRules {
            comment_mandatory: false,
            visits_mandatory: false,
            extra_allowed: true,
            frustrated_comments: Vec::new(),
        }
    }
}

/// Edits a contract's terms; send the version you read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateContract {
    pub version: i64,
    pub name: String,
    pub contract_type_group: String,
    pub vat_rate_percent: String,
    #[serde(default)]
    pub exception_settings: Vec<crate::ExceptionRuleSetting>,
    #[serde(default)]
    pub rules: ContractRules,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Contract {
    pub id: String,
    pub organisation_id: String,
    pub name: String,
    pub contract_type_group: String,
    pub payment_model: String,
    pub period_weeks: i64,
    pub period_anchor: String,
    pub vat_rate_percent: String,
    pub exception_settings: Vec<crate::ExceptionRuleSetting>,
    pub rules: ContractRules,
    pub version: i64,
}

/// A new site of an organisation, under one of its contracts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewService {
    pub contract_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Home Care"))]
    pub name: String,
    #[serde(default)]
    pub address_line1: String,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub postcode: String,
}

/// A new priced kind of care under a contract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewServiceLevel {
    pub contract_id: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Homecare Flexible - Bradford - Single-handed")
    )]
    pub name: String,
    /// `hour`, `session` or `night`.
    pub unit: String,
    /// `per_unit`, `timetabled` or `intermittent`.
    pub pricing_kind: String,
    #[cfg_attr(feature = "openapi", schema(example = "20.00"))]
    pub rate: String,
    #[cfg_attr(feature = "openapi", schema(example = "2021-04-01"))]
    pub rate_effective_from: String,
    #[serde(default)]
    pub service_group_class: String,
    #[serde(default)]
    pub cost_centre: String,
    #[serde(default)]
    pub subjective: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DatedRate {
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-09"))]
    pub effective_from: String,
    #[cfg_attr(feature = "openapi", schema(example = "21.00"))]
    pub rate: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceLevel {
    pub id: String,
    pub contract_id: String,
    pub name: String,
    pub unit: String,
    pub pricing_kind: String,
    /// Every rate with the day it applies from, oldest first.
    pub rates: Vec<DatedRate>,
    pub service_group_class: String,
    pub cost_centre: String,
    pub subjective: String,
    /// Send it back with an edit.
    #[serde(default)]
    pub version: i64,
}

/// What a rate change did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RateChange {
    pub service_level: ServiceLevel,
    /// New CPLI versions made from the rate's first day.
    pub cpli_versions_created: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewClient {
    #[cfg_attr(feature = "openapi", schema(example = "96836000"))]
    pub ssref: String,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Mr"))]
    pub title: String,
    #[cfg_attr(feature = "openapi", schema(example = "Eric"))]
    pub forename: String,
    #[cfg_attr(feature = "openapi", schema(example = "Bristow"))]
    pub surname: String,
    /// The council system's own reference.
    #[serde(default)]
    pub external_ref: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Client {
    pub id: String,
    pub ssref: String,
    pub title: String,
    pub forename: String,
    pub surname: String,
    /// "Mr Eric Bristow (96836000)".
    pub label: String,
    pub external_ref: Option<String>,
    /// Send it back with an edit.
    pub version: i64,
}

/// One timetable row: the days ticked (`mon` .. `sun`) and the sessions on each.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimetableRowInput {
    #[cfg_attr(feature = "openapi", schema(example = json!(["mon", "wed", "fri"])))]
    pub days: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    pub quantity: String,
}

/// What a CPLI plans; exactly the plan its service level's pricing kind needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CpliTerms {
    /// Last day, if any.
    #[serde(default)]
    pub end: Option<String>,
    /// Per-unit levels: units a week ("7").
    #[serde(default)]
    pub weekly_quantity: Option<String>,
    /// Timetabled levels.
    #[serde(default)]
    pub timetable: Option<Vec<TimetableRowInput>>,
    /// Intermittent levels: units a financial year.
    #[serde(default)]
    pub annual_allocation: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "7"))]
    pub planned_visits: String,
    #[serde(default)]
    pub budget_code: String,
    #[serde(default)]
    pub care_package_ref: String,
    #[serde(default = "authorised_by_default")]
    pub authorised: bool,
}

fn authorised_by_default() -> bool {
    true
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCpli {
    pub client_id: String,
    pub service_id: String,
    pub service_level_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "2021-04-05"))]
    pub start: String,
    #[serde(flatten)]
    pub terms: CpliTerms,
    #[serde(default)]
    pub external_ref: Option<String>,
}

/// A change to a CPLI from a date: the days before keep the version that applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewCpliVersion {
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-09"))]
    pub effective_from: String,
    /// The latest version number you saw; another version since gets 409.
    pub latest_version_seen: i64,
    #[serde(flatten)]
    pub terms: CpliTerms,
}

/// A client as the council's case-management system sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationClient {
    /// The sending system's own reference: the key of the upsert.
    #[cfg_attr(feature = "openapi", schema(example = "CMS-000123"))]
    pub external_ref: String,
    pub ssref: String,
    #[serde(default)]
    pub title: String,
    pub forename: String,
    pub surname: String,
}

/// A CPLI as the council's system sends it. A changed CPLI becomes a new version from
/// `effective_from`; history is never edited.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationCpli {
    /// The sending system's own reference, unique per service: the key of the upsert.
    #[cfg_attr(feature = "openapi", schema(example = "PKG-000456"))]
    pub external_ref: String,
    pub client_external_ref: String,
    pub service_id: String,
    pub service_level_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "2022-05-02"))]
    pub start: String,
    /// Required when the CPLI exists and has changed: the first day of the new version.
    #[serde(default)]
    pub effective_from: Option<String>,
    #[serde(flatten)]
    pub terms: CpliTerms,
}

/// One batch from a council system; send it with an `Idempotency-Key` header.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationBatch {
    #[serde(default)]
    pub clients: Vec<IntegrationClient>,
    #[serde(default)]
    pub cplis: Vec<IntegrationCpli>,
}

/// What happened to one line of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BatchLineResult {
    /// The line's position in its list, from 0.
    pub line: usize,
    /// `accepted` or `rejected`.
    pub status: String,
    /// For accepted lines: `created`, `updated`, `new_version` or `unchanged`.
    pub outcome: Option<String>,
    /// The client id or CPLI ID the line is about, when there is one.
    pub id: Option<String>,
    pub errors: Vec<crate::FieldError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IntegrationBatchResult {
    pub clients: Vec<BatchLineResult>,
    pub cplis: Vec<BatchLineResult>,
}

/// A service with its address, for the service details screen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceDetails {
    pub service: crate::ServiceSummary,
    pub address_line1: String,
    pub town: String,
    pub postcode: String,
    /// Send it back with an edit.
    #[serde(default)]
    pub version: i64,
}

/// Edits an organisation; send the version you read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateOrganisation {
    pub version: i64,
    #[serde(flatten)]
    pub details: NewOrganisation,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateClient {
    pub version: i64,
    pub ssref: String,
    #[serde(default)]
    pub title: String,
    pub forename: String,
    pub surname: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateService {
    pub version: i64,
    pub name: String,
    #[serde(default)]
    pub address_line1: String,
    #[serde(default)]
    pub town: String,
    #[serde(default)]
    pub postcode: String,
}

/// Edits a service level's names; its rate changes with a dated rate instead.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateServiceLevel {
    pub version: i64,
    pub name: String,
    #[serde(default)]
    pub service_group_class: String,
    #[serde(default)]
    pub cost_centre: String,
    #[serde(default)]
    pub subjective: String,
}

/// Retires a record: it stays, with its history, but is no longer offered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Deactivate {
    pub version: i64,
}

/// A record's id and its version after an edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Edited {
    pub id: String,
    pub version: i64,
}
