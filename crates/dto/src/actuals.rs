//! Actuals: what was delivered, per service, week and client (DOMAIN 4).

use serde::{Deserialize, Serialize};

/// A service (site) whose actuals the caller may enter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceSummary {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Home Care"))]
    pub name: String,
    pub organisation_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Ltd"))]
    pub organisation_name: String,
    pub contract_id: String,
    #[cfg_attr(feature = "openapi", schema(example = "Ally Pally Care"))]
    pub contract_name: String,
    /// Homecare, Day Opportunities, Supported Living, Short Breaks, Residential, ...
    #[cfg_attr(feature = "openapi", schema(example = "Homecare"))]
    pub contract_type_group: String,
    #[cfg_attr(feature = "openapi", schema(example = "Bradford"))]
    pub council_name: String,
    /// The first week with care planned, `YYYY-MM-DD` (a Monday); absent when none is.
    pub first_week: Option<String>,
}

/// One pickable week of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekSummary {
    /// The week's Monday, `YYYY-MM-DD`.
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-06"))]
    pub week: String,
    #[cfg_attr(feature = "openapi", schema(example = "06/06/2022"))]
    pub label: String,
    /// Clients with at least one recorded actual in the week.
    pub clients_with_actuals: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceLevelRef {
    pub id: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Homecare Flexible - Bradford - Double-handed")
    )]
    pub name: String,
    /// `hour`, `session` or `night`.
    pub unit: String,
    /// `per_unit`, `timetabled` or `intermittent`.
    pub pricing_kind: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientRef {
    pub id: String,
    #[cfg_attr(feature = "openapi", schema(example = "96836000"))]
    pub ssref: String,
    /// "Mr Eric Bristow".
    pub display_name: String,
    /// "Bristow, Eric".
    pub sort_name: String,
}

/// A contract's setting for one exception type (DOMAIN 4.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ExceptionRuleSetting {
    /// `does_not_add_up`, `plan_exceeded`, `unplanned_actual`, `allocation_exceeded`,
    /// `comment_missing`.
    pub kind: String,
    pub enabled: bool,
    #[cfg_attr(feature = "openapi", schema(example = "0"))]
    pub threshold_percent: String,
    /// `pay` or `suspend`.
    pub effect: String,
}

/// One exception raised on a line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineExceptionView {
    pub kind: String,
    #[cfg_attr(feature = "openapi", schema(example = "Actual does not add up"))]
    pub title: String,
    pub message: String,
    /// `pay` or `suspend`.
    pub effect: String,
    /// The contract's threshold, "0%", where the type has one.
    #[serde(default)]
    pub threshold: Option<String>,
    /// What was measured, "25%" over plan, where the type measures something.
    #[serde(default)]
    pub value: Option<String>,
}

/// One actual line with every column of the grid, computed by the domain crate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActualLine {
    pub cpli_id: String,
    pub service_level: ServiceLevelRef,
    /// False for a CPLI active in the week whose actual is not yet recorded: the figures
    /// are then the plan, and the line does not count in the actual totals.
    pub recorded: bool,
    /// How the guides name the line in messages: client, week, service and level.
    pub subject: String,
    #[cfg_attr(feature = "openapi", schema(example = "20.00"))]
    pub rate: String,
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    pub planned: String,
    pub actual: String,
    pub frustrated: String,
    pub missed: String,
    pub extra: String,
    pub visits: Option<String>,
    pub comment: String,
    /// Planned - Frustrated - Missed + Extra.
    pub expected_actual: String,
    /// Actual + Frustrated.
    pub paid_units: String,
    #[cfg_attr(feature = "openapi", schema(example = "40.00"))]
    pub cost: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "£40.00 = 1 (Actual + Frstd) Hour x £40.00")
    )]
    pub explanation: String,
    /// `grey` (as planned), `green` (more) or `red` (fewer).
    pub colour: String,
    pub exceptions: Vec<LineExceptionView>,
    /// Timetabled lines: the week's plan, for the editor with weekday ticks.
    #[serde(default)]
    pub timetable: Option<TimetableView>,
    /// Timetabled lines: the rows as recorded (or, before anything is, as planned).
    #[serde(default)]
    pub sessions: Option<Vec<SessionRow>>,
    /// Intermittent lines: the annual allocation and what is left of it.
    #[serde(default)]
    pub allocation: Option<AllocationView>,
    /// True for an unplanned line: no CPLI (`cpli_id` is empty), planned 0.
    #[serde(default)]
    pub unplanned: bool,
}

/// Money totals: recorded actual cost against planned cost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostTotals {
    #[cfg_attr(feature = "openapi", schema(example = "180.00"))]
    pub actual_cost: String,
    #[cfg_attr(feature = "openapi", schema(example = "180.00"))]
    pub planned_cost: String,
    #[cfg_attr(feature = "openapi", schema(example = "£180.00 of £180.00"))]
    pub label: String,
}

/// One client's week of actuals at one service. Writes must send `version` back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientWeek {
    pub client: ClientRef,
    /// 0 until the first actual is recorded; every save adds one.
    pub version: i64,
    pub lines: Vec<ActualLine>,
    pub totals: CostTotals,
    /// Present when the provider confirmed the week as it now stands; any change clears it.
    #[serde(default)]
    pub confirmed: Option<Confirmation>,
    /// True when the week's actuals were last recorded or changed after the council's
    /// submission deadline (a late, "aged" submission).
    #[serde(default)]
    pub late: bool,
}

/// Who confirmed a client's week, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Confirmation {
    /// RFC 3339.
    pub at: String,
    pub by: String,
}

/// Confirms a client's week as read at `version`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmClientWeek {
    pub version: i64,
}

/// A service's week: every client with care planned or recorded, and the totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceWeek {
    pub service: ServiceSummary,
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-06"))]
    pub week: String,
    #[cfg_attr(feature = "openapi", schema(example = "06/06/2022"))]
    pub week_label: String,
    /// The contract's exception settings, so a client can recompute lines as they are typed.
    pub exception_settings: Vec<ExceptionRuleSetting>,
    /// The contract's rules (DOMAIN 14a), which refuse a save that breaks them; sent so a
    /// client can say so as the line is typed.
    #[serde(default)]
    pub rules: crate::ContractRules,
    /// Every service level with care in the week, for the filter.
    pub service_levels: Vec<ServiceLevelRef>,
    /// The contract's per-unit service levels and their rates that week: what "Add actual:
    /// Unplanned" offers.
    #[serde(default)]
    pub unplanned_levels: Vec<PricedLevel>,
    pub clients: Vec<ClientWeek>,
    pub totals: CostTotals,
    /// Present when the council has locked the week: nothing in it may change.
    #[serde(default)]
    pub locked: Option<WeekLockInfo>,
    /// When the week's actuals are due, as the council sets it (DOMAIN 14a).
    #[serde(default)]
    pub submission_deadline: Option<SubmissionDue>,
}

/// A week's submission deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmissionDue {
    /// RFC 3339, UTC.
    pub at: String,
    #[cfg_attr(feature = "openapi", schema(example = "17:00 on Tuesday 14/06/2022"))]
    pub label: String,
    /// True once the deadline has passed.
    pub passed: bool,
}

/// Why and since when a week is locked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WeekLockInfo {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Paid in the payment run of 20/06/2022")
    )]
    pub reason: String,
    /// RFC 3339.
    pub locked_at: String,
}

/// Council staff lock a service's week, saying why (providers see the reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LockWeek {
    #[cfg_attr(
        feature = "openapi",
        schema(example = "Paid in the payment run of 20/06/2022")
    )]
    pub reason: String,
}

/// One line to record, by CPLI. Quantities are decimal strings with at most 2 places.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActualLineInput {
    /// The CPLI the line is for; leave it empty for an unplanned line.
    #[serde(default)]
    pub cpli_id: String,
    /// An unplanned line (DOMAIN 4.5, "Add actual: Unplanned"): a per-unit service level of
    /// the contract with no CPLI for the client that week. Planned is 0.
    #[serde(default)]
    pub service_level_id: Option<String>,
    #[cfg_attr(feature = "openapi", schema(example = "0"))]
    pub actual: String,
    #[cfg_attr(feature = "openapi", schema(example = "0"))]
    pub frustrated: String,
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    pub missed: String,
    #[cfg_attr(feature = "openapi", schema(example = "0"))]
    pub extra: String,
    #[cfg_attr(feature = "openapi", schema(example = "0"))]
    pub visits: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(example = "Call cancelled this week"))]
    pub comment: String,
    /// Timetabled lines may send their rows instead of figures: Actual, Frustrated, Missed
    /// and Extra are then computed from the rows against the timetable, and the four figures
    /// sent are ignored.
    #[serde(default)]
    pub sessions: Option<Vec<SessionRow>>,
}

/// Replaces the given lines of one client's week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct UpdateClientWeek {
    /// The `version` last read; a stale one gets 409.
    pub version: i64,
    pub lines: Vec<ActualLineInput>,
}

/// What Generate Actuals did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GenerateOutcome {
    /// Actuals created from plan.
    pub created: u32,
    /// Actuals that already existed and were left as they were.
    pub kept: u32,
    pub week: ServiceWeek,
}

/// A batch of client-weeks from a rostering or call-monitoring tool, as it recorded them.
/// Each client-week replaces the lines it names at the client's current version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActualsBatch {
    /// Up to 500 client-weeks.
    pub client_weeks: Vec<ClientWeekSubmission>,
}

/// One client's week at one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientWeekSubmission {
    pub service_id: String,
    /// The week's Monday, YYYY-MM-DD.
    #[cfg_attr(feature = "openapi", schema(example = "2022-06-06"))]
    pub week: String,
    pub client_id: String,
    pub lines: Vec<ActualLineInput>,
}

/// What became of each client-week: accepted ones are saved even when others are not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActualsBatchResult {
    pub accepted: u32,
    pub rejected: u32,
    pub client_weeks: Vec<ClientWeekOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClientWeekOutcome {
    /// Its place in the batch, from 0.
    pub index: u32,
    /// `accepted` or `rejected`.
    #[cfg_attr(feature = "openapi", schema(example = "accepted"))]
    pub status: String,
    /// The client-week's new version, when accepted.
    pub version: Option<i64>,
    /// Why it was rejected, each naming its field (`lines[0].actual`).
    pub errors: Vec<crate::FieldError>,
}

/// One change to a client's week, as its history shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActualChange {
    /// RFC 3339, UTC.
    pub at: String,
    /// The person's name, or the tool's.
    pub by: String,
    pub by_tool: bool,
    /// Where the request came from.
    pub source_ip: Option<String>,
    /// `saved` or `generated`.
    #[cfg_attr(feature = "openapi", schema(example = "saved"))]
    pub what: String,
    /// The client-week's version the change made (saves only).
    pub version: Option<i64>,
    /// Each line changed, with its values before (absent for a new line) and after.
    pub lines: Vec<LineChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineChange {
    pub cpli_id: String,
    pub service_level_name: String,
    pub old: Option<LineValues>,
    pub new: Option<LineValues>,
}

/// A line's recorded figures at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LineValues {
    /// A timetabled line's rows: "Mon/Wed/Fri x 1; Thu x 1 (frustrated)".
    #[serde(default)]
    pub sessions: Option<String>,
    pub actual: String,
    pub frustrated: String,
    pub missed: String,
    pub extra: String,
    pub visits: Option<String>,
    pub comment: String,
}

/// One row of a timetabled actual (DOMAIN 4.4): the days ticked, the sessions on each ticked
/// day, and whether they were frustrated. A missed session is a day left unticked; a
/// frustrated one is a row ticked on that day with `frustrated` set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionRow {
    /// `mon` .. `sun`.
    #[cfg_attr(feature = "openapi", schema(example = json!(["mon", "wed", "fri"])))]
    pub days: Vec<String>,
    #[cfg_attr(feature = "openapi", schema(example = "1"))]
    pub quantity: String,
    #[serde(default)]
    pub frustrated: bool,
    #[serde(default)]
    pub comment: String,
}

/// A timetabled line's plan for the week: the timetable's rows on the days the CPLI is
/// active, from which the browser recomputes the line as rows are ticked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TimetableView {
    pub planned_rows: Vec<SessionRow>,
    /// The days (`mon` .. `sun`) inside the CPLI's dates this week.
    pub active_days: Vec<String>,
}

/// An intermittent CPLI's annual allocation (short-break nights, respite) and what is left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllocationView {
    #[cfg_attr(feature = "openapi", schema(example = "2022/2023"))]
    pub financial_year: String,
    #[cfg_attr(feature = "openapi", schema(example = "28"))]
    pub annual: String,
    /// Paid units recorded in the year's other weeks.
    #[cfg_attr(feature = "openapi", schema(example = "10"))]
    pub used_elsewhere: String,
    /// What remains after this week's line; negative when the allocation is exceeded.
    #[cfg_attr(feature = "openapi", schema(example = "14"))]
    pub left: String,
}

/// A service level with its rate in force that week.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PricedLevel {
    pub service_level: ServiceLevelRef,
    #[cfg_attr(feature = "openapi", schema(example = "20.00"))]
    pub rate: String,
}
