//! The reports (DOMAIN 12), built from the same records and domain functions as the screens
//! they summarise: Commissioned vs Actuals from `portal_domain::report` over the stored
//! actuals and CPLIs, the pending reports from the live schedule and the grid's own
//! assessment, the remittance report from the payment run's record. Each report also knows
//! its CSV: the same rows, the same figures, a header row.

use std::collections::{BTreeMap, HashMap, HashSet};

use portal_domain::calendar::iso_date;
use portal_domain::format::format_date;
use portal_domain::payment::LineStatus;
use portal_domain::report::CommissionedVsActual;
use portal_domain::Week;
use portal_dto as dto;
use portal_store::actuals::RecordedLine;
use portal_store::payments::{PaymentContractRecord, PaymentPeriodRecord};
use portal_store::reference::{ClientRecord, CpliRecord, ServiceLevelInContract, ServiceRecord};
use portal_store::{Scope, Store};
use rust_decimal::Decimal;

use crate::error::ApiError;
use crate::payments::{client_payments, live_schedule, period_of, vat_percent};
use crate::routes::actuals::week_records;
use crate::week_view::{client_ref, money_text, service_week, WeekFilter};

/// What Commissioned vs Actuals is asked for, already checked against the caller's scope.
#[derive(Debug, Clone)]
pub struct CommissionedFilter {
    pub first_week: Week,
    pub last_week: Week,
    pub service_group_class: Option<String>,
    pub organisation_id: Option<i64>,
    pub client_id: Option<i64>,
    pub differences_only: bool,
    pub include_weeks_without_actuals: bool,
}

fn delivered(line: &RecordedLine) -> CommissionedVsActual {
    CommissionedVsActual::delivered(line.planned, line.actual, line.frustrated, line.rate)
}

/// Units as the report prints them: two places, "5.00".
fn units_text(units: Decimal) -> String {
    let mut fixed = units.round_dp(2);
    fixed.rescale(2);
    fixed.to_string()
}

fn figures_dto(figures: &CommissionedVsActual) -> dto::CommissionedFigures {
    dto::CommissionedFigures {
        commissioned_units: units_text(figures.commissioned_units),
        actual_units: units_text(figures.actual_units),
        frustrated_units: units_text(figures.frustrated_units),
        difference_units: units_text(figures.difference_units()),
        commissioned_cost: money_text(figures.commissioned_cost),
        actual_cost: money_text(figures.actual_cost),
        frustrated_cost: money_text(figures.frustrated_cost),
        difference_cost: money_text(figures.difference_cost()),
    }
}

/// "Angelo, Iris (A1)".
fn client_label(client: &ClientRecord) -> String {
    format!("{} ({})", client.sort_name(), client.ssref)
}

/// The weeks from `first` to `last`, in order.
pub fn weeks_between(first: Week, last: Week) -> Vec<Week> {
    let mut weeks = Vec::new();
    let mut week = first;
    while week <= last {
        weeks.push(week);
        week = week.next();
    }
    weeks
}

/// One computed row before it becomes a DTO, with what it is sorted and grouped by.
struct CommissionedLine<'a> {
    service: &'a ServiceRecord,
    level: &'a ServiceLevelInContract,
    client: &'a ClientRecord,
    cpli: Option<&'a CpliRecord>,
    week: Week,
    recorded: Option<&'a RecordedLine>,
    figures: CommissionedVsActual,
}

/// Everything the report reads for one service over the filtered weeks.
pub struct ServiceRange {
    pub service: ServiceRecord,
    pub levels: Vec<ServiceLevelInContract>,
    pub cplis: Vec<CpliRecord>,
    pub actuals: Vec<RecordedLine>,
}

/// Reads each service's CPLIs and actuals for the range in three queries per service,
/// whatever the number of weeks.
pub async fn read_ranges(
    store: &Store,
    scope: &Scope,
    filter: &CommissionedFilter,
) -> Result<Vec<ServiceRange>, ApiError> {
    let mut ranges = Vec::new();
    let mut levels_by_contract: HashMap<i64, Vec<ServiceLevelInContract>> = HashMap::new();
    for service in store.services(scope).await? {
        if filter
            .organisation_id
            .is_some_and(|id| id != service.organisation_id)
        {
            continue;
        }
        let levels = match levels_by_contract.get(&service.contract_id) {
            Some(levels) => levels.clone(),
            None => {
                let levels = store.levels_of_contract(service.contract_id).await?;
                levels_by_contract.insert(service.contract_id, levels.clone());
                levels
            }
        };
        let cplis = store
            .cplis_active_between(
                service.id,
                filter.first_week.monday(),
                filter.last_week.sunday(),
            )
            .await?;
        let actuals = store
            .recorded_lines_between(service.id, filter.first_week, filter.last_week)
            .await?;
        ranges.push(ServiceRange {
            service,
            levels,
            cplis,
            actuals,
        });
    }
    Ok(ranges)
}

/// Commissioned vs Actuals over what `read_ranges` read: one row per client, CPLI (or
/// unplanned line) and week, client and service level totals, and the weekly sums the chart
/// draws.
pub fn commissioned_vs_actuals(
    ranges: &[ServiceRange],
    filter: &CommissionedFilter,
    description: String,
) -> dto::CommissionedVsActuals {
    let weeks = weeks_between(filter.first_week, filter.last_week);
    let mut lines: Vec<CommissionedLine<'_>> = Vec::new();
    for range in ranges {
        let levels: HashMap<i64, &ServiceLevelInContract> = range
            .levels
            .iter()
            .map(|level| (level.level.id, level))
            .collect();
        let level_wanted = |id: i64| -> Option<&ServiceLevelInContract> {
            let level = levels.get(&id).copied()?;
            match &filter.service_group_class {
                Some(class) if !level.service_group_class.eq_ignore_ascii_case(class) => None,
                _ => Some(level),
            }
        };
        let client_wanted = |id: i64| filter.client_id.is_none_or(|wanted| wanted == id);
        let by_cpli: HashMap<(i64, Week), &RecordedLine> = range
            .actuals
            .iter()
            .filter_map(|line| line.cpli_id.map(|cpli| ((cpli, line.week), line)))
            .collect();
        for cpli in &range.cplis {
            let Some(level) = level_wanted(cpli.service_level.id) else {
                continue;
            };
            if !client_wanted(cpli.client.id) {
                continue;
            }
            for &week in &weeks {
                if !cpli.cpli.is_active_in(week) {
                    continue;
                }
                let recorded = by_cpli.get(&(cpli.id, week)).copied();
                let figures = match recorded {
                    Some(line) => delivered(line),
                    None if filter.include_weeks_without_actuals => {
                        let planned = cpli
                            .cpli
                            .planned_for_week(week)
                            .map_or(Decimal::ZERO, |units| units.value());
                        if planned.is_zero() {
                            continue;
                        }
                        CommissionedVsActual::not_recorded(planned, cpli.rate)
                    }
                    None => continue,
                };
                lines.push(CommissionedLine {
                    service: &range.service,
                    level,
                    client: &cpli.client,
                    cpli: Some(cpli),
                    week,
                    recorded,
                    figures,
                });
            }
        }
        // Unplanned lines (DOMAIN 4.5): nothing commissioned, everything a difference.
        let clients: HashMap<i64, &ClientRecord> = range
            .cplis
            .iter()
            .map(|cpli| (cpli.client.id, &cpli.client))
            .collect();
        for actual in range.actuals.iter().filter(|line| line.cpli_id.is_none()) {
            let (Some(client), Some(level)) = (
                clients.get(&actual.client_id).copied(),
                level_wanted(actual.service_level_id),
            ) else {
                continue;
            };
            if !client_wanted(client.id) {
                continue;
            }
            lines.push(CommissionedLine {
                service: &range.service,
                level,
                client,
                cpli: None,
                week: actual.week,
                recorded: Some(actual),
                figures: delivered(actual),
            });
        }
    }
    if filter.differences_only {
        lines.retain(|line| line.figures.differs());
    }
    sort_for_grouping(&mut lines);

    let mut client_totals: Vec<(i64, i64, String, CommissionedVsActual)> = Vec::new();
    let mut level_totals: Vec<(i64, String, CommissionedVsActual)> = Vec::new();
    let mut by_week: BTreeMap<Week, CommissionedVsActual> = BTreeMap::new();
    for line in &lines {
        let level_id = line.level.level.id;
        match client_totals.last_mut() {
            Some((level, client, _, sum)) if *level == level_id && *client == line.client.id => {
                *sum += line.figures;
            }
            _ => client_totals.push((
                level_id,
                line.client.id,
                client_label(line.client),
                line.figures,
            )),
        }
        match level_totals
            .iter_mut()
            .find(|(level, _, _)| *level == level_id)
        {
            Some((_, _, sum)) => *sum += line.figures,
            None => level_totals.push((level_id, line.level.level.name.clone(), line.figures)),
        }
        *by_week.entry(line.week).or_default() += line.figures;
    }
    let totals: CommissionedVsActual = lines.iter().map(|line| line.figures).sum();
    dto::CommissionedVsActuals {
        description,
        rows: lines.iter().map(commissioned_row).collect(),
        client_totals: client_totals
            .into_iter()
            .map(|(level, client, label, sum)| dto::CommissionedTotal {
                service_level_id: level.to_string(),
                client_id: Some(client.to_string()),
                label,
                figures: figures_dto(&sum),
            })
            .collect(),
        service_level_totals: level_totals
            .into_iter()
            .map(|(level, label, sum)| dto::CommissionedTotal {
                service_level_id: level.to_string(),
                client_id: None,
                label,
                figures: figures_dto(&sum),
            })
            .collect(),
        weeks: by_week
            .into_iter()
            .map(|(week, sum)| dto::CommissionedWeek {
                week: week.to_string(),
                commissioned_units: units_text(sum.commissioned_units),
                delivered_units: units_text(sum.delivered_units()),
                commissioned_cost: money_text(sum.commissioned_cost),
                delivered_cost: money_text(sum.delivered_cost()),
            })
            .collect(),
        totals: figures_dto(&totals),
    }
}

/// Orders lines as the report groups them: organisation and service, service level,
/// client by name, week. Names are ranked once, so 125,000 lines sort on integers.
fn sort_for_grouping(lines: &mut [CommissionedLine<'_>]) {
    fn ranks<K: Ord>(mut keys: Vec<(K, i64)>) -> HashMap<i64, usize> {
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .enumerate()
            .map(|(rank, (_, id))| (id, rank))
            .collect()
    }
    let mut seen_services = HashSet::new();
    let mut seen_levels = HashSet::new();
    let mut seen_clients = HashSet::new();
    let (mut services, mut levels, mut clients) = (Vec::new(), Vec::new(), Vec::new());
    for line in lines.iter() {
        if seen_services.insert(line.service.id) {
            services.push((
                (
                    line.service.organisation_name.clone(),
                    line.service.name.clone(),
                ),
                line.service.id,
            ));
        }
        if seen_levels.insert(line.level.level.id) {
            levels.push((line.level.level.name.clone(), line.level.level.id));
        }
        if seen_clients.insert(line.client.id) {
            clients.push((line.client.sort_name(), line.client.id));
        }
    }
    let (services, levels, clients) = (ranks(services), ranks(levels), ranks(clients));
    lines.sort_by_key(|line| {
        (
            services[&line.service.id],
            levels[&line.level.level.id],
            clients[&line.client.id],
            line.week,
        )
    });
}

fn commissioned_row(line: &CommissionedLine<'_>) -> dto::CommissionedRow {
    dto::CommissionedRow {
        organisation_id: line.service.organisation_id.to_string(),
        organisation: line.service.organisation_name.clone(),
        service_id: line.service.id.to_string(),
        service: line.service.name.clone(),
        service_group_class: line.level.service_group_class.clone(),
        service_level_id: line.level.level.id.to_string(),
        service_level: line.level.level.name.clone(),
        client: client_ref(line.client),
        cpli_id: line
            .cpli
            .map(|cpli| cpli.id.to_string())
            .unwrap_or_default(),
        service_start: line
            .cpli
            .map(|cpli| iso_date(cpli.cpli.start))
            .unwrap_or_default(),
        week: line.week.to_string(),
        generated: line
            .recorded
            .is_some_and(|actual| actual.generated_from_plan),
        has_actual: line.recorded.is_some(),
        visits: line
            .recorded
            .and_then(|actual| actual.visits)
            .map(|visits| portal_domain::format::format_number(visits.value())),
        cost_centre: line.level.cost_centre.clone(),
        subjective: line.level.subjective.clone(),
        figures: figures_dto(&line.figures),
    }
}

/// The CSV columns of Commissioned vs Actuals, in the screen's order.
pub const COMMISSIONED_COLUMNS: [&str; 22] = [
    "organisation",
    "service",
    "service_group_class",
    "service_level",
    "service_start",
    "client",
    "ssref",
    "cpli_id",
    "week",
    "generated",
    "visits",
    "cost_centre",
    "subjective",
    "commissioned_units",
    "actual_units",
    "frustrated_units",
    "difference_units",
    "commissioned_cost",
    "actual_cost",
    "frustrated_cost",
    "difference_cost",
    "has_actual",
];

pub fn commissioned_records(report: &dto::CommissionedVsActuals) -> Vec<Vec<String>> {
    report
        .rows
        .iter()
        .map(|row| {
            let f = &row.figures;
            vec![
                row.organisation.clone(),
                row.service.clone(),
                row.service_group_class.clone(),
                row.service_level.clone(),
                row.service_start.clone(),
                row.client.sort_name.clone(),
                row.client.ssref.clone(),
                row.cpli_id.clone(),
                row.week.clone(),
                if row.generated { "Y" } else { "N" }.to_owned(),
                row.visits.clone().unwrap_or_default(),
                row.cost_centre.clone(),
                row.subjective.clone(),
                f.commissioned_units.clone(),
                f.actual_units.clone(),
                f.frustrated_units.clone(),
                f.difference_units.clone(),
                f.commissioned_cost.clone(),
                f.actual_cost.clone(),
                f.frustrated_cost.clone(),
                f.difference_cost.clone(),
                row.has_actual.to_string(),
            ]
        })
        .collect()
}

/// A contract's periods not yet finalised that the pending reports look at: those
/// overlapping the dates when given; otherwise those holding any recorded actual, since a
/// period nobody has entered anything for has nothing pending but its plan.
pub async fn pending_periods(
    store: &Store,
    contract: &PaymentContractRecord,
    services: &[ServiceRecord],
    from: Option<time::Date>,
    to: Option<time::Date>,
) -> Result<Vec<(PaymentPeriodRecord, Vec<Week>)>, ApiError> {
    let mut open = Vec::new();
    for period in store.open_periods(contract.id).await? {
        let (Ok(start), Ok(end)) = (
            portal_domain::calendar::parse_iso_date(&period.starts_on),
            portal_domain::calendar::parse_iso_date(&period.ends_on),
        ) else {
            continue;
        };
        if from.is_some_and(|from| end < from) || to.is_some_and(|to| start > to) {
            continue;
        }
        open.push((
            period.id,
            weeks_between(Week::containing(start), Week::containing(end)),
        ));
    }
    // Without dates, only periods with something entered are pending.
    let mut weeks_with_actuals: Option<HashSet<Week>> = None;
    if let (None, None, Some(first), Some(last)) = (
        from,
        to,
        open.first().and_then(|(_, weeks)| weeks.first().copied()),
        open.last().and_then(|(_, weeks)| weeks.last().copied()),
    ) {
        let mut found = HashSet::new();
        for service in services {
            for (week, _) in store.weeks_with_actuals(service.id, first, last).await? {
                found.insert(week);
            }
        }
        weeks_with_actuals = Some(found);
    }
    let mut chosen = Vec::new();
    for (period_id, weeks) in open {
        if let Some(found) = &weeks_with_actuals {
            if !weeks.iter().any(|week| found.contains(week)) {
                continue;
            }
        }
        let Some((record, _)) = store
            .payment_period(&Scope::Council(contract.council_id), period_id)
            .await?
        else {
            continue;
        };
        chosen.push((record, weeks));
    }
    Ok(chosen)
}

/// "Ally Pally Care: 19/06/2023 - 25/06/2023".
pub fn period_title(contract: &PaymentContractRecord, record: &PaymentPeriodRecord) -> String {
    match period_of(contract, record) {
        Ok(period) => format!("{}: {}", contract.name, period.label()),
        Err(_) => format!(
            "{}: {} - {}",
            contract.name, record.starts_on, record.ends_on
        ),
    }
}

/// The exceptions on the actuals of one pending period, as the grid raises them.
pub async fn period_exceptions(
    store: &Store,
    contract: &PaymentContractRecord,
    services: &[ServiceRecord],
    record: &PaymentPeriodRecord,
    weeks: &[Week],
) -> Result<Vec<dto::PendingExceptionRow>, ApiError> {
    let title = period_title(contract, record);
    let mut rows = Vec::new();
    for service in services {
        for &week in weeks {
            let records = week_records(store, service.clone(), week).await?;
            if records.actuals.is_empty() {
                continue;
            }
            let view = service_week(&records, &WeekFilter::default());
            for client in &view.clients {
                for line in client.lines.iter().filter(|line| line.recorded) {
                    for exception in &line.exceptions {
                        rows.push(dto::PendingExceptionRow {
                            organisation: contract.organisation_name.clone(),
                            contract_id: contract.id.to_string(),
                            payment_period: title.clone(),
                            period_id: record.id.to_string(),
                            exception_type: exception.title.clone(),
                            actual: line.subject.clone(),
                            client_id: client.client.id.clone(),
                            week: week.to_string(),
                            threshold: exception.threshold.clone().unwrap_or_default(),
                            value: exception.value.clone().unwrap_or_default(),
                            payment_status: match exception.effect.as_str() {
                                "suspend" => "Suspend",
                                _ => "Pay",
                            }
                            .to_owned(),
                        });
                    }
                }
            }
        }
    }
    Ok(rows)
}

pub const EXCEPTION_COLUMNS: [&str; 8] = [
    "organisation",
    "payment_period",
    "exception_type",
    "actual",
    "week",
    "threshold",
    "value",
    "payment_status",
];

pub fn exception_records(report: &dto::PendingExceptions) -> Vec<Vec<String>> {
    report
        .rows
        .iter()
        .map(|row| {
            vec![
                row.organisation.clone(),
                row.payment_period.clone(),
                row.exception_type.clone(),
                row.actual.clone(),
                row.week.clone(),
                row.threshold.clone(),
                row.value.clone(),
                row.payment_status.clone(),
            ]
        })
        .collect()
}

/// The lines of one pending period from the live schedule, as the Scheduled Payments
/// screen shows them, narrowed to a status when asked.
pub async fn period_payments(
    store: &Store,
    contract: &PaymentContractRecord,
    record: &PaymentPeriodRecord,
    status: Option<LineStatus>,
) -> Result<Vec<dto::PendingPaymentRow>, ApiError> {
    let schedule = live_schedule(store, contract, record).await?;
    let vat_rate = vat_percent(contract);
    let mut rows = Vec::new();
    for client in client_payments(&schedule, vat_rate, &contract.organisation_name) {
        for line in &client.lines {
            if status.is_some_and(|wanted| wanted.code() != line.status) {
                continue;
            }
            rows.push(dto::PendingPaymentRow {
                organisation: contract.organisation_name.clone(),
                contract_id: contract.id.to_string(),
                contract: contract.name.clone(),
                period_id: record.id.to_string(),
                period_start: record.starts_on.clone(),
                period_end: record.ends_on.clone(),
                client: client.client.clone(),
                service: line.service_name.clone(),
                item_notes: line.reason_for_payment.clone(),
                item_from: line.from.clone(),
                item_to: line.to.clone(),
                status: line.status_label.clone(),
                amount: line.amount.clone(),
                vat: line.vat.clone(),
            });
        }
    }
    Ok(rows)
}

pub const PAYMENT_COLUMNS: [&str; 13] = [
    "organisation",
    "contract",
    "period_start",
    "period_end",
    "client",
    "ssref",
    "service",
    "item_notes",
    "item_from",
    "item_to",
    "status",
    "amount",
    "vat",
];

pub fn payment_records(report: &dto::PendingScheduledPayments) -> Vec<Vec<String>> {
    report
        .rows
        .iter()
        .map(|row| {
            vec![
                row.organisation.clone(),
                row.contract.clone(),
                row.period_start.clone(),
                row.period_end.clone(),
                row.client.sort_name.clone(),
                row.client.ssref.clone(),
                row.service.clone(),
                row.item_notes.clone(),
                row.item_from.clone(),
                row.item_to.clone(),
                row.status.clone(),
                row.amount.clone(),
                row.vat.clone(),
            ]
        })
        .collect()
}

pub const REMITTANCE_COLUMNS: [&str; 11] = [
    "contract",
    "payment_method",
    "period",
    "client",
    "ssref",
    "item",
    "from",
    "to",
    "amount",
    "vat",
    "status",
];

pub fn remittance_records(report: &dto::RemittanceReport) -> Vec<Vec<String>> {
    report
        .rows
        .iter()
        .map(|row| {
            vec![
                row.contract.clone(),
                row.payment_method.clone(),
                row.period.clone(),
                row.client.clone(),
                row.ssref.clone(),
                row.item.clone(),
                row.from.clone(),
                row.to.clone(),
                row.amount.clone(),
                row.vat.clone(),
                row.status.clone(),
            ]
        })
        .collect()
}

/// "Scheduled payments" or "Invoices": how a contract pays, as the remittance filter
/// names it.
pub fn payment_method_label(payment_model: &str) -> &'static str {
    match payment_model {
        "invoiced" => "Invoices",
        _ => "Scheduled payments",
    }
}

/// "02/05/2022 - 08/05/2022".
pub fn period_dates(record: &PaymentPeriodRecord) -> String {
    match (
        portal_domain::calendar::parse_iso_date(&record.starts_on),
        portal_domain::calendar::parse_iso_date(&record.ends_on),
    ) {
        (Ok(start), Ok(end)) => format!("{} - {}", format_date(start), format_date(end)),
        _ => format!("{} - {}", record.starts_on, record.ends_on),
    }
}
