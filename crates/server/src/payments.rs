//! A payment period's scheduled lines (DOMAIN 5), computed from the actuals in the same
//! request that reads them: each week is priced by `week_view::line_costs`, the grid's own
//! code, and the domain's `payment` rules turn the weeks into lines and statuses. There is
//! no overnight step, so a save is reflected at once.

use std::collections::{BTreeMap, HashMap};

use portal_domain::calendar::parse_iso_date;
use portal_domain::format::format_date;
use portal_domain::payment::{
    line_status, outstanding, period_amounts, vat_on, LineDecision, LineKind, LineStatus,
    PaymentPeriod, PeriodCalendar, WeekCost,
};
use portal_domain::Week;
use portal_dto as dto;
use portal_store::payments::{PaymentContractRecord, PaymentLineRecord, PaymentPeriodRecord};
use portal_store::reference::{ClientRecord, ServiceLevelRecord};
use portal_store::{Scope, Store};
use rust_decimal::Decimal;

use crate::error::ApiError;
use crate::routes::actuals::week_records;
use crate::week_view::{client_ref, line_costs, money_text};

/// One scheduled line, with the weekly amounts it sums (kept per week when the period is
/// paid, so a later amendment to one week is measured against what that week was paid).
#[derive(Debug, Clone)]
pub struct PeriodLine {
    pub key: String,
    pub kind: LineKind,
    /// `None` for a one-off claim of the provider itself.
    pub client: Option<ClientRecord>,
    pub cpli_id: Option<i64>,
    pub service_level_id: Option<i64>,
    pub service_name: String,
    pub description: String,
    pub weeks: Vec<(Week, Decimal)>,
    pub status: LineStatus,
    pub reason: String,
    pub disputed: bool,
    /// A one-off claim's own VAT; other lines take the contract's rate.
    pub fixed_vat: Option<Decimal>,
}

impl PeriodLine {
    pub fn client_id(&self) -> Option<i64> {
        self.client.as_ref().map(|client| client.id)
    }

    /// Clients in name order; the provider's own items after them.
    fn order(&self) -> (bool, String, &str) {
        (
            self.client.is_none(),
            self.client
                .as_ref()
                .map(ClientRecord::sort_name)
                .unwrap_or_default(),
            &self.key,
        )
    }

    pub fn amount(&self) -> Decimal {
        self.weeks.iter().map(|(_, amount)| *amount).sum()
    }

    /// VAT per weekly line, each rounded, summed: what the payment run records.
    pub fn vat(&self, rate_percent: Decimal) -> Decimal {
        if let Some(vat) = self.fixed_vat {
            return vat;
        }
        self.weeks
            .iter()
            .map(|(_, amount)| vat_on(*amount, rate_percent))
            .sum()
    }
}

/// A period's lines and why clients are suspended.
#[derive(Debug, Clone, Default)]
pub struct Schedule {
    pub lines: Vec<PeriodLine>,
    /// Per client, the messages of the exceptions that suspend its payment.
    pub suspended: HashMap<i64, Vec<String>>,
}

/// The contract's calendar and the period a record names.
pub fn period_of(
    contract: &PaymentContractRecord,
    record: &PaymentPeriodRecord,
) -> Result<PaymentPeriod, ApiError> {
    let calendar = calendar_of(contract)?;
    parse_iso_date(&record.starts_on)
        .ok()
        .and_then(|start| calendar.period_starting(start))
        .ok_or_else(|| {
            ApiError::Unexpected(anyhow::anyhow!(
                "period {} does not start a period of contract {}",
                record.id,
                contract.id
            ))
        })
}

pub fn calendar_of(contract: &PaymentContractRecord) -> Result<PeriodCalendar, ApiError> {
    parse_iso_date(&contract.period_anchor)
        .ok()
        .and_then(|anchor| PeriodCalendar::new(anchor, contract.period_weeks).ok())
        .ok_or_else(|| {
            ApiError::Unexpected(anyhow::anyhow!(
                "contract {} has no valid period calendar",
                contract.id
            ))
        })
}

/// The contract's VAT rate as a percentage.
pub fn vat_percent(contract: &PaymentContractRecord) -> Decimal {
    Decimal::new(contract.vat_rate_basis_points, 2)
}

/// "Homecare Flexible - Bradford - Single-handed (Hour), Spot.": the guides' reason for
/// payment.
fn reason_for_payment(level: &ServiceLevelRecord) -> String {
    let unit = level.unit.singular();
    let mut unit_title = unit.to_owned();
    if let Some(first) = unit_title.get_mut(..1) {
        first.make_ascii_uppercase();
    }
    format!("{} ({unit_title}), Spot.", level.name)
}

/// A line's key base: its CPLI, or, for an unplanned line, its client and service level.
fn line_base(client_id: i64, cpli_id: Option<i64>, service_level_id: i64) -> String {
    match cpli_id {
        Some(cpli_id) => format!("cpli/{cpli_id}"),
        None => format!("client/{client_id}/level/{service_level_id}"),
    }
}

struct Accumulated {
    client: ClientRecord,
    cpli_id: Option<i64>,
    service_level_id: i64,
    service_name: String,
    description: String,
    weeks: Vec<(Week, WeekCost)>,
}

/// The period's lines as they stand now, from the actuals. It also carries "Adj." lines for
/// weeks of paid periods whose cost has changed since, or whose lines were held back when
/// they were paid, when it is the first open period after those weeks.
pub async fn live_schedule(
    store: &Store,
    contract: &PaymentContractRecord,
    record: &PaymentPeriodRecord,
) -> Result<Schedule, ApiError> {
    let period = period_of(contract, record)?;
    let services: Vec<_> = store
        .services(&Scope::Council(contract.council_id))
        .await?
        .into_iter()
        .filter(|service| service.contract_id == contract.id)
        .collect();
    let mut schedule = Schedule::default();
    let mut accumulated: BTreeMap<(String, String), Accumulated> = BTreeMap::new();
    for service in &services {
        for week in period.weeks() {
            let records = week_records(store, service.clone(), week).await?;
            for cost in line_costs(&records) {
                let base = line_base(cost.client.id, cost.cpli.map(|cpli| cpli.id), cost.level.id);
                if !cost.suspending.is_empty() {
                    schedule
                        .suspended
                        .entry(cost.client.id)
                        .or_default()
                        .extend(cost.suspending.iter().cloned());
                }
                accumulated
                    .entry((cost.client.sort_name(), base))
                    .or_insert_with(|| Accumulated {
                        client: cost.client.clone(),
                        cpli_id: cost.cpli.map(|cpli| cpli.id),
                        service_level_id: cost.level.id,
                        service_name: service.name.clone(),
                        description: reason_for_payment(cost.level),
                        weeks: Vec::new(),
                    })
                    .weeks
                    .push((
                        week,
                        WeekCost {
                            planned: cost.planned,
                            actual: cost.actual,
                            suspends: !cost.suspending.is_empty(),
                        },
                    ));
            }
        }
    }
    for ((_, base), entry) in accumulated {
        let costs: Vec<WeekCost> = entry.weeks.iter().map(|(_, cost)| *cost).collect();
        let (planned, adjustment) = period_amounts(&costs);
        let line = |kind: LineKind, weeks: Vec<(Week, Decimal)>| PeriodLine {
            key: format!("{base}/{}", kind_code(kind)),
            kind,
            client: Some(entry.client.clone()),
            cpli_id: entry.cpli_id,
            service_level_id: Some(entry.service_level_id),
            service_name: entry.service_name.clone(),
            description: match kind {
                LineKind::Cost => entry.description.clone(),
                LineKind::Adjustment => format!("{} (Adj)", entry.description),
            },
            weeks,
            status: LineStatus::Pay,
            reason: String::new(),
            disputed: false,
            fixed_vat: None,
        };
        if !planned.is_zero() {
            schedule.lines.push(line(
                LineKind::Cost,
                entry
                    .weeks
                    .iter()
                    .map(|(week, cost)| (*week, round(cost.planned)))
                    .collect(),
            ));
        }
        if !adjustment.is_zero() {
            schedule.lines.push(line(
                LineKind::Adjustment,
                entry
                    .weeks
                    .iter()
                    .map(|(week, cost)| (*week, round(cost.due()) - round(cost.planned)))
                    .filter(|(_, amount)| !amount.is_zero())
                    .collect(),
            ));
        }
    }
    revisit_paid_weeks(store, contract, &services, record.id, &mut schedule).await?;
    add_approved_claims(store, contract, record.id, &mut schedule).await?;
    let decisions = decisions_of(store, record.id).await?;
    for line in &mut schedule.lines {
        let decision = decisions.get(&line.key);
        // An approved claim was decided by the council already: no exception holds it.
        let suspended = line.fixed_vat.is_none()
            && line
                .client_id()
                .is_some_and(|id| schedule.suspended.contains_key(&id));
        line.status = line_status(suspended, decision);
        line.disputed = matches!(decision, Some(LineDecision::Disputed(_)));
        line.reason = match decision {
            Some(LineDecision::Cancel(reason) | LineDecision::Disputed(reason)) => reason.clone(),
            _ if line.status == LineStatus::Suspend => line
                .client_id()
                .and_then(|id| schedule.suspended.get(&id))
                .map(|messages| messages.join(" "))
                .unwrap_or_default(),
            _ => String::new(),
        };
    }
    Ok(schedule)
}

fn round(amount: Decimal) -> Decimal {
    portal_domain::amount::round_to_penny(amount)
}

pub fn kind_code(kind: LineKind) -> &'static str {
    match kind {
        LineKind::Cost => "cost",
        LineKind::Adjustment => "adjustment",
    }
}

/// The live decisions and disputes on a period's lines, by line key.
async fn decisions_of(
    store: &Store,
    period_id: i64,
) -> Result<HashMap<String, LineDecision>, ApiError> {
    Ok(store
        .line_decisions(period_id)
        .await?
        .into_iter()
        .filter_map(|record| {
            let decision = match record.decision.as_str() {
                "pay" => LineDecision::Pay,
                "cancel" => LineDecision::Cancel(record.reason),
                "disputed" => LineDecision::Disputed(record.reason),
                _ => return None,
            };
            Some((record.line_key, decision))
        })
        .collect())
}

/// Adds each approved, unpaid one-off claim (DOMAIN 8) to the first period still open (not
/// authorised or paid) that ends on or after the day it was approved: the next payment.
async fn add_approved_claims(
    store: &Store,
    contract: &PaymentContractRecord,
    period_id: i64,
    schedule: &mut Schedule,
) -> Result<(), ApiError> {
    let claims = store.claims_to_pay(contract.id).await?;
    if claims.is_empty() {
        return Ok(());
    }
    let open = store.open_periods(contract.id).await?;
    let mut clients: Option<Vec<ClientRecord>> = None;
    for claim in claims {
        // The period keeps a claim approved before it was authorised; one approved later
        // waits for the next.
        let takes_it =
            open.iter()
                .find(|open| {
                    open.ends_on >= claim.approved_on
                        && open.authorised_at.as_deref().is_none_or(|at| {
                            at.get(..10).unwrap_or(at) >= claim.approved_on.as_str()
                        })
                })
                .is_some_and(|open| open.id == period_id);
        let Ok(day) = parse_iso_date(&claim.claim_date) else {
            continue;
        };
        if !takes_it {
            continue;
        }
        let client = match claim.client_id {
            Some(client_id) => {
                if clients.is_none() {
                    clients = Some(
                        store
                            .clients(contract.council_id, "")
                            .await?
                            .into_iter()
                            .map(|(client, _, _)| client)
                            .collect(),
                    );
                }
                let found = clients
                    .iter()
                    .flatten()
                    .find(|client| client.id == client_id)
                    .cloned();
                if found.is_none() {
                    continue;
                }
                found
            }
            None => None,
        };
        schedule.lines.push(PeriodLine {
            key: format!("claim/{}", claim.id),
            kind: LineKind::Cost,
            client,
            cpli_id: None,
            service_level_id: None,
            service_name: String::new(),
            description: format!(
                "One-off claim: {} ({})",
                claim.description,
                format_date(day)
            ),
            weeks: vec![(Week::containing(day), Decimal::new(claim.amount_pence, 2))],
            status: LineStatus::Pay,
            reason: String::new(),
            disputed: false,
            fixed_vat: Some(Decimal::new(claim.vat_pence, 2)),
        });
    }
    schedule.lines.sort_by(|a, b| a.order().cmp(&b.order()));
    Ok(())
}

/// A line of a week: client, CPLI, service level, week.
type SettledKey = (Option<i64>, Option<i64>, Option<i64>, String);

/// Adds an "Adj." line for each week of a paid period whose cost now differs from what has
/// been settled for it (paid or cancelled): an amendment inside the window, or a line held
/// back at payment that still awaits a decision.
async fn revisit_paid_weeks(
    store: &Store,
    contract: &PaymentContractRecord,
    services: &[portal_store::reference::ServiceRecord],
    period_id: i64,
    schedule: &mut Schedule,
) -> Result<(), ApiError> {
    let open = store.open_periods(contract.id).await?;
    // The first open period starting after the week takes its adjustment.
    let takes_adjustment = |week: Week| {
        open.iter()
            .find(|open| open.starts_on > week.to_string())
            .is_some_and(|open| open.id == period_id)
    };
    let weeks: Vec<(i64, Week)> = store
        .weeks_to_revisit(contract.id)
        .await?
        .into_iter()
        .filter_map(|(service_id, week)| Week::parse(&week).ok().map(|week| (service_id, week)))
        .filter(|(_, week)| takes_adjustment(*week))
        .collect();
    if weeks.is_empty() {
        return Ok(());
    }
    let week_texts: Vec<String> = weeks.iter().map(|(_, week)| week.to_string()).collect();
    let settled: HashMap<SettledKey, Decimal> = store
        .settled_weeks(contract.id, &week_texts)
        .await?
        .into_iter()
        .map(|row| {
            (
                (
                    row.client_id,
                    row.cpli_id,
                    row.service_level_id,
                    row.week_start,
                ),
                Decimal::new(row.settled_pence, 2),
            )
        })
        .collect();
    for (service_id, week) in weeks {
        let Some(service) = services.iter().find(|service| service.id == service_id) else {
            continue;
        };
        let records = week_records(store, service.clone(), week).await?;
        for cost in line_costs(&records) {
            let cpli_id = cost.cpli.map(|cpli| cpli.id);
            let due = WeekCost {
                planned: cost.planned,
                actual: cost.actual,
                suspends: false,
            }
            .due();
            let paid = settled
                .get(&(
                    Some(cost.client.id),
                    cpli_id,
                    Some(cost.level.id),
                    week.to_string(),
                ))
                .copied()
                .unwrap_or_default();
            let owed = outstanding(due, paid);
            if owed.is_zero() {
                continue;
            }
            if !cost.suspending.is_empty() {
                schedule
                    .suspended
                    .entry(cost.client.id)
                    .or_default()
                    .extend(cost.suspending.iter().cloned());
            }
            let base = line_base(cost.client.id, cpli_id, cost.level.id);
            schedule.lines.push(PeriodLine {
                key: format!("{base}/{week}/adjustment"),
                kind: LineKind::Adjustment,
                client: Some(cost.client.clone()),
                cpli_id,
                service_level_id: Some(cost.level.id),
                service_name: service.name.clone(),
                description: format!(
                    "{} (Adj) for the week beginning {}",
                    reason_for_payment(cost.level),
                    format_date(week.monday())
                ),
                weeks: vec![(week, owed)],
                status: LineStatus::Pay,
                reason: String::new(),
                disputed: false,
                fixed_vat: None,
            });
        }
    }
    schedule.lines.sort_by(|a, b| a.order().cmp(&b.order()));
    Ok(())
}

/// The rows a payment run keeps: one per line and week. A line still suspended when the
/// period is paid is carried forward: it comes back in the next open period.
pub fn payment_run_rows(schedule: &Schedule, vat_rate: Decimal) -> Vec<PaymentLineRecord> {
    let mut rows = Vec::new();
    for line in &schedule.lines {
        let status = match line.status {
            LineStatus::Suspend => LineStatus::CarryForward,
            other => other,
        };
        for (week, amount) in &line.weeks {
            rows.push(PaymentLineRecord {
                client_id: line.client_id(),
                cpli_id: line.cpli_id,
                service_level_id: line.service_level_id,
                week_start: week.to_string(),
                kind: kind_code(line.kind).to_owned(),
                line_key: line.key.clone(),
                description: line.description.clone(),
                amount_pence: pence(*amount),
                vat_pence: pence(line.fixed_vat.unwrap_or_else(|| vat_on(*amount, vat_rate))),
                status: status.code().to_owned(),
                reason: line.reason.clone(),
            });
        }
    }
    rows
}

fn pence(amount: Decimal) -> i64 {
    let mut rounded = round(amount);
    rounded.rescale(2);
    i64::try_from(rounded.mantissa()).unwrap_or(i64::MAX)
}

/// A paid period's lines, read back from the payment run and grouped per line again.
pub fn schedule_from_run(rows: &[PaymentLineRecord], clients: &[ClientRecord]) -> Schedule {
    let mut lines: Vec<PeriodLine> = Vec::new();
    for row in rows {
        let client = row
            .client_id
            .and_then(|id| clients.iter().find(|client| client.id == id));
        if row.client_id.is_some() && client.is_none() {
            continue;
        }
        let Ok(week) = Week::parse(&row.week_start) else {
            continue;
        };
        let amount = Decimal::new(row.amount_pence, 2);
        let vat = Decimal::new(row.vat_pence, 2);
        let status = LineStatus::parse(&row.status).unwrap_or(LineStatus::CarryForward);
        match lines
            .iter_mut()
            .find(|line| line.client_id() == row.client_id && line.key == row.line_key)
        {
            Some(line) => {
                line.weeks.push((week, amount));
                line.fixed_vat = Some(line.fixed_vat.unwrap_or_default() + vat);
            }
            None => lines.push(PeriodLine {
                key: row.line_key.clone(),
                kind: if row.kind == "cost" {
                    LineKind::Cost
                } else {
                    LineKind::Adjustment
                },
                client: client.cloned(),
                cpli_id: row.cpli_id,
                service_level_id: row.service_level_id,
                service_name: String::new(),
                description: row.description.clone(),
                weeks: vec![(week, amount)],
                status,
                reason: row.reason.clone(),
                disputed: false,
                // The payment run's VAT as recorded.
                fixed_vat: Some(vat),
            }),
        }
    }
    lines.sort_by(|a, b| a.order().cmp(&b.order()));
    Schedule {
        lines,
        suspended: HashMap::new(),
    }
}

/// A line as the API shows it.
pub fn line_dto(line: &PeriodLine, vat_rate: Decimal) -> dto::ScheduledLine {
    let from = line.weeks.iter().map(|(week, _)| week.monday()).min();
    let to = line.weeks.iter().map(|(week, _)| week.sunday()).max();
    dto::ScheduledLine {
        key: line.key.clone(),
        kind: kind_code(line.kind).to_owned(),
        cpli_id: line.cpli_id.map(|id| id.to_string()),
        service_level_id: line
            .service_level_id
            .map(|id| id.to_string())
            .unwrap_or_default(),
        reason_for_payment: line.description.clone(),
        service_name: line.service_name.clone(),
        from: from
            .map(portal_domain::calendar::iso_date)
            .unwrap_or_default(),
        to: to
            .map(portal_domain::calendar::iso_date)
            .unwrap_or_default(),
        amount: money_text(line.amount()),
        vat: money_text(line.vat(vat_rate)),
        status: line.status.code().to_owned(),
        status_label: line.status.label().to_owned(),
        reason: line.reason.clone(),
        disputed: line.disputed,
    }
}

/// The schedule's clients, in name order, with their lines and totals; the provider's own
/// one-off claims come last, under the provider's name with no client id.
pub fn client_payments(
    schedule: &Schedule,
    vat_rate: Decimal,
    provider_name: &str,
) -> Vec<dto::ClientPayment> {
    let mut clients: Vec<dto::ClientPayment> = Vec::new();
    let mut index: BTreeMap<(bool, String, Option<i64>), Vec<&PeriodLine>> = BTreeMap::new();
    for line in &schedule.lines {
        let (last, name, _) = line.order();
        index
            .entry((last, name, line.client_id()))
            .or_default()
            .push(line);
    }
    for ((_, _, client_id), lines) in index {
        let payable: Decimal = lines
            .iter()
            .filter(|line| line.status.is_payable())
            .map(|line| line.amount())
            .sum();
        let non_payable: Decimal = lines
            .iter()
            .filter(|line| !line.status.is_payable())
            .map(|line| line.amount())
            .sum();
        let payable_vat: Decimal = lines
            .iter()
            .filter(|line| line.status.is_payable())
            .map(|line| line.vat(vat_rate))
            .sum();
        clients.push(dto::ClientPayment {
            client: match &lines[0].client {
                Some(client) => client_ref(client),
                None => dto::ClientRef {
                    id: String::new(),
                    ssref: String::new(),
                    display_name: provider_name.to_owned(),
                    sort_name: provider_name.to_owned(),
                },
            },
            lines: lines.iter().map(|line| line_dto(line, vat_rate)).collect(),
            payable: money_text(payable),
            non_payable: money_text(non_payable),
            payable_vat: money_text(payable_vat),
            suspended_because: client_id
                .and_then(|id| schedule.suspended.get(&id))
                .cloned()
                .unwrap_or_default(),
        });
    }
    clients
}
