//! Builds the `ServiceWeek` the grid shows from stored records, with the domain crate's
//! arithmetic: the same functions the SPA runs while a provider types.

use portal_domain::actual::rules::ContractRules;
use portal_domain::actual::sessions::{intermittent_figures, planned_rows, SessionRow};
use portal_domain::actual::{assess, LineContext, LineKind};
use portal_domain::amount::round_to_penny;
use portal_domain::cpli::CpliPlan;
use portal_domain::format::format_money;
use portal_domain::{
    ActualFigures, ExceptionKind, ExceptionSettings, FinancialYear, Money, PaymentEffect,
    PricingKind, Quantity, Week, Weekdays,
};
use portal_dto as dto;
use portal_store::actuals::ActualRecord;
use portal_store::reference::{ClientRecord, CpliRecord, ServiceLevelRecord, ServiceRecord};
use rust_decimal::Decimal;
use std::collections::{HashMap, HashSet};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;
use time_tz::{OffsetDateTimeExt, PrimitiveDateTimeExt};

/// The grid's filters (API.md names them as the screen does).
#[derive(Debug, Clone, Default)]
pub struct WeekFilter {
    pub service_level_id: Option<i64>,
    pub client_id: Option<i64>,
    pub has_actuals: Option<bool>,
}

/// Everything read from the store for one service's week.
pub struct WeekRecords {
    pub service: ServiceRecord,
    pub week: Week,
    pub settings: ExceptionSettings,
    pub cplis: Vec<CpliRecord>,
    pub actuals: Vec<ActualRecord>,
    pub versions: Vec<(i64, i64)>,
    pub lock: Option<portal_store::actuals::WeekLock>,
    /// (client, confirmed at, by whom) for the confirmed client-weeks.
    pub confirmations: Vec<(i64, String, String)>,
    /// Intermittent CPLIs: paid units recorded in the financial year's other weeks.
    pub allocation_used: Vec<(i64, Quantity)>,
    /// The contract's rules for its lines (DOMAIN 14a).
    pub rules: ContractRules,
    /// The contract's service levels priced that week, each with whether it is active.
    pub levels: Vec<(ServiceLevelRecord, bool)>,
    /// When the week's actuals are due, if the council's setting reads.
    pub deadline: Option<OffsetDateTime>,
    /// (client, when its week last changed), RFC 3339.
    pub last_changes: Vec<(i64, String)>,
    /// The moment the week is read, to say whether the deadline has passed.
    pub now: OffsetDateTime,
}

/// The instant a week's actuals are due: the council's weekday and time (UK local) of the
/// week after the week of care.
pub fn deadline_instant(week: Week, weekday: i64, time_text: &str) -> Option<OffsetDateTime> {
    let format = time::macros::format_description!("[hour]:[minute]");
    let time_of_day = time::Time::parse(time_text.trim(), &format).ok()?;
    let weekday = u8::try_from(weekday).ok()?;
    let local = portal_domain::council::submission_deadline(week, weekday, time_of_day);
    local
        .assume_timezone(time_tz::timezones::db::europe::LONDON)
        .take_first()
        .map(|due| due.to_offset(time::UtcOffset::UTC))
}

/// "17:00 on Tuesday 14/06/2022", in UK time.
fn deadline_label(due: OffsetDateTime) -> String {
    let local = due.to_timezone(time_tz::timezones::db::europe::LONDON);
    format!(
        "{:02}:{:02} on {} {}",
        local.hour(),
        local.minute(),
        local.weekday(),
        portal_domain::format::format_date(local.date())
    )
}

impl WeekRecords {
    /// The active per-unit levels an unplanned line may be for.
    pub fn unplanned_level(&self, id: i64) -> Option<&ServiceLevelRecord> {
        self.levels
            .iter()
            .find(|(level, active)| {
                *active && level.id == id && level.pricing_kind == PricingKind::PerUnit
            })
            .map(|(level, _)| level)
    }

    /// Any level of the contract by id, active or not, for naming recorded lines.
    pub fn level(&self, id: i64) -> Option<&ServiceLevelRecord> {
        self.levels
            .iter()
            .find(|(level, _)| level.id == id)
            .map(|(level, _)| level)
    }

    /// How the domain assesses a CPLI's line this week: against its weekly plan, or, for an
    /// intermittent CPLI, against what the rest of the year has used of its allocation.
    pub fn line_kind(&self, cpli: &CpliRecord) -> LineKind {
        match &cpli.cpli.plan {
            CpliPlan::Intermittent { annual_allocation } => LineKind::Intermittent {
                annual_allocation: *annual_allocation,
                used_elsewhere: self
                    .allocation_used
                    .iter()
                    .find(|(id, _)| *id == cpli.id)
                    .map_or(Decimal::ZERO, |(_, used)| used.value()),
            },
            _ => LineKind::Planned,
        }
    }
}

/// A contract's rules as the API shows them.
pub fn rules_dto(rules: &ContractRules) -> dto::ContractRules {
    dto::ContractRules {
        comment_mandatory: rules.comment_mandatory,
        visits_mandatory: rules.visits_mandatory,
        extra_allowed: rules.extra_allowed,
        frustrated_comments: rules.frustrated_comments.clone(),
    }
}

/// A session row as the API shows it.
pub fn session_view(row: &SessionRow) -> dto::SessionRow {
    dto::SessionRow {
        days: row.days.codes(),
        quantity: row.quantity.to_string(),
        frustrated: row.frustrated,
        comment: row.comment.clone(),
    }
}

pub fn service_summary(service: &ServiceRecord) -> dto::ServiceSummary {
    dto::ServiceSummary {
        id: service.id.to_string(),
        name: service.name.clone(),
        organisation_id: service.organisation_id.to_string(),
        organisation_name: service.organisation_name.clone(),
        contract_id: service.contract_id.to_string(),
        contract_name: service.contract_name.clone(),
        contract_type_group: service.contract_type_group.clone(),
        council_name: service.council_name.clone(),
        first_week: service
            .first_cpli_start
            .map(|start| Week::containing(start).to_string()),
    }
}

pub fn client_ref(client: &ClientRecord) -> dto::ClientRef {
    dto::ClientRef {
        id: client.id.to_string(),
        ssref: client.ssref.clone(),
        display_name: client.display_name(),
        sort_name: client.sort_name(),
    }
}

fn level_ref(level: &ServiceLevelRecord) -> dto::ServiceLevelRef {
    dto::ServiceLevelRef {
        id: level.id.to_string(),
        name: level.name.clone(),
        unit: level.unit.code().to_owned(),
        pricing_kind: level.pricing_kind.code().to_owned(),
    }
}

pub fn settings_dto(settings: &ExceptionSettings) -> Vec<dto::ExceptionRuleSetting> {
    ExceptionKind::ALL
        .into_iter()
        .map(|kind| {
            let rule = settings.rule(kind);
            dto::ExceptionRuleSetting {
                kind: kind.code().to_owned(),
                enabled: rule.enabled,
                threshold_percent: rule.threshold_percent.normalize().to_string(),
                effect: rule.effect.code().to_owned(),
            }
        })
        .collect()
}

/// "Mr Eric Bristow (96836000), 06/06/2022, Ally Pally Home Care - Homecare Flexible -
/// Bradford - Double-handed": how the guides name a line in exception messages.
pub fn line_subject(
    client: &ClientRecord,
    week: Week,
    service: &ServiceRecord,
    level: &ServiceLevelRecord,
) -> String {
    format!(
        "{}, {}, {} - {}",
        client.labelled(),
        week.label(),
        service.name,
        level.name
    )
}

fn totals(actual_cost: Decimal, planned_cost: Decimal) -> dto::CostTotals {
    dto::CostTotals {
        actual_cost: money_text(actual_cost),
        planned_cost: money_text(planned_cost),
        label: format!(
            "{} of {}",
            format_money(actual_cost),
            format_money(planned_cost)
        ),
    }
}

pub fn money_text(amount: Decimal) -> String {
    let mut fixed = round_to_penny(amount);
    fixed.rescale(2);
    fixed.to_string()
}

fn line_view(
    records: &WeekRecords,
    cpli: &CpliRecord,
    recorded: Option<&ActualRecord>,
) -> Option<(dto::ActualLine, Decimal, Decimal)> {
    let active_days = cpli.cpli.active_days(records.week);
    let (figures, rate) = match (recorded, &cpli.cpli.plan) {
        (Some(record), _) => (record.figures.clone(), record.rate),
        // An intermittent CPLI offers an empty ad-hoc line while it is active.
        (None, CpliPlan::Intermittent { .. }) if cpli.cpli.is_active_in(records.week) => {
            let zero = Quantity::zero();
            (
                intermittent_figures(zero, zero, zero, zero, None, "").ok()?,
                cpli.rate,
            )
        }
        (None, _) => (cpli.cpli.generate(records.week)?, cpli.rate),
    };
    let planned_cost = round_to_penny(figures.planned.value() * rate.value());
    let subject = line_subject(
        &cpli.client,
        records.week,
        &records.service,
        &cpli.service_level,
    );
    let kind = records.line_kind(cpli);
    let assessment = assess(
        &figures,
        &LineContext {
            subject: &subject,
            unit: cpli.service_level.unit,
            rate,
            kind,
            settings: &records.settings,
        },
    );
    let actual_cost = if recorded.is_some() {
        assessment.cost
    } else {
        Decimal::ZERO
    };
    let (timetable, sessions) = match &cpli.cpli.plan {
        CpliPlan::Timetabled { timetable } => {
            let planned = planned_rows(timetable, active_days);
            let sessions = match recorded {
                Some(record) => record.sessions.clone(),
                None => Some(planned.clone()),
            };
            (
                Some(dto::TimetableView {
                    planned_rows: planned.iter().map(session_view).collect(),
                    active_days: Weekdays(active_days).codes(),
                }),
                sessions.map(|rows| rows.iter().map(session_view).collect()),
            )
        }
        _ => (None, None),
    };
    let allocation = match kind {
        LineKind::Intermittent {
            annual_allocation,
            used_elsewhere,
        } => Some(dto::AllocationView {
            financial_year: FinancialYear::containing(records.week.monday()).label(),
            annual: annual_allocation.to_string(),
            used_elsewhere: used_elsewhere.to_string(),
            left: (annual_allocation.value() - used_elsewhere - assessment.paid_units).to_string(),
        }),
        _ => None,
    };
    let line = dto::ActualLine {
        cpli_id: cpli.id.to_string(),
        service_level: level_ref(&cpli.service_level),
        recorded: recorded.is_some(),
        subject,
        rate: rate.to_string(),
        planned: figures.planned.to_string(),
        actual: figures.actual.to_string(),
        frustrated: figures.frustrated.to_string(),
        missed: figures.missed.to_string(),
        extra: figures.extra.to_string(),
        visits: figures.visits.map(|v| v.to_string()),
        comment: figures.comment.clone(),
        expected_actual: assessment.expected_actual.to_string(),
        paid_units: assessment.paid_units.to_string(),
        cost: money_text(assessment.cost),
        explanation: assessment.explanation,
        colour: format!("{:?}", assessment.colour).to_lowercase(),
        exceptions: exception_views(assessment.exceptions),
        timetable,
        sessions,
        allocation,
        unplanned: false,
    };
    Some((line, actual_cost, planned_cost))
}

/// An unplanned line (DOMAIN 4.5): no CPLI, planned 0, raising "Unplanned actual".
fn unplanned_view(
    records: &WeekRecords,
    client: &ClientRecord,
    recorded: &ActualRecord,
) -> Option<(dto::ActualLine, Decimal)> {
    let level = records.level(recorded.service_level_id)?;
    let subject = line_subject(client, records.week, &records.service, level);
    let figures = &recorded.figures;
    let assessment = assess(
        figures,
        &LineContext {
            subject: &subject,
            unit: level.unit,
            rate: recorded.rate,
            kind: LineKind::Unplanned,
            settings: &records.settings,
        },
    );
    let cost = assessment.cost;
    let line = dto::ActualLine {
        cpli_id: String::new(),
        service_level: level_ref(level),
        recorded: true,
        subject,
        rate: recorded.rate.to_string(),
        planned: figures.planned.to_string(),
        actual: figures.actual.to_string(),
        frustrated: figures.frustrated.to_string(),
        missed: figures.missed.to_string(),
        extra: figures.extra.to_string(),
        visits: figures.visits.map(|v| v.to_string()),
        comment: figures.comment.clone(),
        expected_actual: assessment.expected_actual.to_string(),
        paid_units: assessment.paid_units.to_string(),
        cost: money_text(assessment.cost),
        explanation: assessment.explanation,
        colour: format!("{:?}", assessment.colour).to_lowercase(),
        exceptions: exception_views(assessment.exceptions),
        timetable: None,
        sessions: None,
        allocation: None,
        unplanned: true,
    };
    Some((line, cost))
}

fn exception_views(exceptions: Vec<portal_domain::LineException>) -> Vec<dto::LineExceptionView> {
    exceptions
        .into_iter()
        .map(|exception| dto::LineExceptionView {
            kind: exception.kind.code().to_owned(),
            title: exception.kind.title().to_owned(),
            threshold: exception.threshold_label(),
            value: exception.value_label(),
            message: exception.message,
            effect: exception.effect.code().to_owned(),
        })
        .collect()
}

/// The grid for one service's week, filtered. Lines, versions and confirmations are
/// looked up by key, so a 2,000-client week costs in proportion to its size.
pub fn service_week(records: &WeekRecords, filter: &WeekFilter) -> dto::ServiceWeek {
    let mut clients: Vec<dto::ClientWeek> = Vec::new();
    let mut week_actual = Decimal::ZERO;
    let mut week_planned = Decimal::ZERO;
    let mut levels: Vec<dto::ServiceLevelRef> = Vec::new();
    let mut seen_levels: HashSet<i64> = HashSet::new();
    // Clients in the order their first CPLI comes, each with its CPLIs in order.
    let mut by_client: Vec<(&ClientRecord, Vec<&CpliRecord>)> = Vec::new();
    let mut client_index: HashMap<i64, usize> = HashMap::new();
    for cpli in &records.cplis {
        if seen_levels.insert(cpli.service_level.id) {
            levels.push(level_ref(&cpli.service_level));
        }
        let index = *client_index.entry(cpli.client.id).or_insert_with(|| {
            by_client.push((&cpli.client, Vec::new()));
            by_client.len() - 1
        });
        by_client[index].1.push(cpli);
    }
    let recorded_by_cpli: HashMap<i64, &ActualRecord> = records
        .actuals
        .iter()
        .filter_map(|actual| actual.cpli_id.map(|cpli_id| (cpli_id, actual)))
        .collect();
    let mut unplanned_by_client: HashMap<i64, Vec<&ActualRecord>> = HashMap::new();
    for actual in records.actuals.iter().filter(|a| a.cpli_id.is_none()) {
        unplanned_by_client
            .entry(actual.client_id)
            .or_default()
            .push(actual);
    }
    let versions: HashMap<i64, i64> = records.versions.iter().copied().collect();
    let last_changes: HashMap<i64, &String> = records
        .last_changes
        .iter()
        .map(|(client_id, at)| (*client_id, at))
        .collect();
    let confirmations: HashMap<i64, (&String, &String)> = records
        .confirmations
        .iter()
        .map(|(client_id, at, by)| (*client_id, (at, by)))
        .collect();
    for (client, cplis) in by_client {
        if filter.client_id.is_some_and(|id| id != client.id) {
            continue;
        }
        let mut lines = Vec::new();
        let (mut client_actual, mut client_planned) = (Decimal::ZERO, Decimal::ZERO);
        for cpli in cplis {
            if filter
                .service_level_id
                .is_some_and(|id| id != cpli.service_level.id)
            {
                continue;
            }
            let recorded = recorded_by_cpli.get(&cpli.id).copied();
            if let Some((line, actual_cost, planned_cost)) = line_view(records, cpli, recorded) {
                client_actual += actual_cost;
                client_planned += planned_cost;
                lines.push(line);
            }
        }
        for actual in unplanned_by_client.get(&client.id).into_iter().flatten() {
            if filter
                .service_level_id
                .is_some_and(|id| id != actual.service_level_id)
            {
                continue;
            }
            if let Some((line, actual_cost)) = unplanned_view(records, client, actual) {
                client_actual += actual_cost;
                lines.push(line);
            }
        }
        let has_actuals = lines.iter().any(|line| line.recorded);
        if lines.is_empty()
            || filter
                .has_actuals
                .is_some_and(|wanted| wanted != has_actuals)
        {
            continue;
        }
        week_actual += client_actual;
        week_planned += client_planned;
        let version = versions.get(&client.id).copied().unwrap_or(0);
        let confirmed = confirmations
            .get(&client.id)
            .map(|(at, by)| dto::Confirmation {
                at: (*at).clone(),
                by: (*by).clone(),
            });
        let late = records.deadline.is_some_and(|due| {
            last_changes
                .get(&client.id)
                .and_then(|at| OffsetDateTime::parse(at, &Rfc3339).ok())
                .is_some_and(|changed| changed > due)
        });
        clients.push(dto::ClientWeek {
            client: client_ref(client),
            version,
            lines,
            totals: totals(client_actual, client_planned),
            confirmed,
            late,
        });
    }
    dto::ServiceWeek {
        service: service_summary(&records.service),
        week: records.week.to_string(),
        week_label: records.week.label(),
        exception_settings: settings_dto(&records.settings),
        rules: rules_dto(&records.rules),
        service_levels: levels,
        unplanned_levels: records
            .levels
            .iter()
            .filter(|(level, active)| *active && level.pricing_kind == PricingKind::PerUnit)
            .map(|(level, _)| dto::PricedLevel {
                service_level: level_ref(level),
                rate: level.rate.to_string(),
            })
            .collect(),
        clients,
        totals: totals(week_actual, week_planned),
        submission_deadline: records.deadline.map(|due| dto::SubmissionDue {
            at: due.format(&Rfc3339).unwrap_or_default(),
            label: deadline_label(due),
            passed: records.now > due,
        }),
        locked: records.lock.as_ref().map(|lock| dto::WeekLockInfo {
            reason: lock.reason.clone(),
            locked_at: lock.locked_at.clone(),
        }),
    }
}

/// The figures a provider sent for a line, with the plan and rate that line keeps.
pub fn priced_line(figures: ActualFigures, rate: Money) -> (ActualFigures, i64) {
    let cost = figures.cost(rate);
    let mut pence = cost;
    pence.rescale(2);
    let pence = i64::try_from(pence.mantissa()).unwrap_or(i64::MAX);
    (figures, pence)
}

/// One line of a week as scheduled payments see it: what it planned, what the entered
/// actuals cost (once entered), and the exceptions on it that suspend the client's payment.
pub struct LineCost<'a> {
    pub client: &'a ClientRecord,
    /// `None` for an unplanned line.
    pub cpli: Option<&'a CpliRecord>,
    pub level: &'a ServiceLevelRecord,
    pub planned: Decimal,
    pub actual: Option<Decimal>,
    /// The messages of the line's Suspend exceptions.
    pub suspending: Vec<String>,
}

/// Every line of a service's week, priced by the same code as the grid (`line_view`), so a
/// payment can never disagree with the actuals screen.
pub fn line_costs(records: &WeekRecords) -> Vec<LineCost<'_>> {
    let recorded_by_cpli: HashMap<i64, &ActualRecord> = records
        .actuals
        .iter()
        .filter_map(|actual| actual.cpli_id.map(|cpli_id| (cpli_id, actual)))
        .collect();
    let suspending = |line: &dto::ActualLine| -> Vec<String> {
        line.exceptions
            .iter()
            .filter(|exception| exception.effect == PaymentEffect::Suspend.code())
            .map(|exception| exception.message.clone())
            .collect()
    };
    let mut costs = Vec::new();
    for cpli in &records.cplis {
        let recorded = recorded_by_cpli.get(&cpli.id).copied();
        if let Some((line, actual_cost, planned_cost)) = line_view(records, cpli, recorded) {
            costs.push(LineCost {
                client: &cpli.client,
                cpli: Some(cpli),
                level: &cpli.service_level,
                planned: planned_cost,
                actual: recorded.map(|_| actual_cost),
                suspending: if recorded.is_some() {
                    suspending(&line)
                } else {
                    Vec::new()
                },
            });
        }
    }
    let clients: HashMap<i64, &ClientRecord> = records
        .cplis
        .iter()
        .map(|cpli| (cpli.client.id, &cpli.client))
        .collect();
    for actual in records.actuals.iter().filter(|a| a.cpli_id.is_none()) {
        let (Some(client), Some(level)) = (
            clients.get(&actual.client_id).copied(),
            records.level(actual.service_level_id),
        ) else {
            continue;
        };
        if let Some((line, cost)) = unplanned_view(records, client, actual) {
            costs.push(LineCost {
                client,
                cpli: None,
                level,
                planned: Decimal::ZERO,
                actual: Some(cost),
                suspending: suspending(&line),
            });
        }
    }
    costs
}
