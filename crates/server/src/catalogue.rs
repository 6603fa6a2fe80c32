//! Reference data in, checked: the one way organisations, contracts, services, service
//! levels, clients and CPLIs enter the store, whether from the council's screens, its
//! systems' batches, or the demo (DOMAIN 3). Every refusal names its field.

use portal_domain::calendar::{iso_date, parse_iso_date};
use portal_domain::care_package::{check_cpli, day_before, supersede};
use portal_domain::cpli::{Cpli, CpliPlan, Timetable, TimetableRow, Weekdays};
use portal_domain::format::format_money;
use portal_domain::{
    ExceptionKind, ExceptionSettings, Money, PaymentEffect, PricingKind, Quantity, Unit,
};
use portal_dto as dto;
use portal_dto::FieldError;
use portal_store::actuals::Actor;
use portal_store::care_packages::NewVersion;
use portal_store::edits::{Editable, NewValue};
use portal_store::reference::{self, CpliListing, ServiceLevelInContract};
use portal_store::{Scope, Store};
use rust_decimal::Decimal;
use time::{Date, OffsetDateTime};

use crate::error::ApiError;

/// Council staff (or the demo loader) acting for one council.
#[derive(Clone, Copy)]
pub struct CouncilActor<'a> {
    pub council_id: i64,
    /// None only for the demo loader, which is no person.
    pub actor: Option<&'a Actor>,
}

/// Collects every bad field of one request.
#[derive(Default)]
pub struct Checks {
    pub errors: Vec<FieldError>,
}

impl Checks {
    pub fn bad(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.into(),
            message: message.into(),
        });
    }

    pub fn text(&mut self, field: &str, value: &str, required: bool, max: usize) -> String {
        let trimmed = value.trim();
        if required && trimmed.is_empty() {
            self.bad(field, "is required");
        } else if trimmed.chars().count() > max {
            self.bad(field, format!("must be {max} characters or fewer"));
        }
        trimmed.to_owned()
    }

    pub fn date(&mut self, field: &str, value: &str) -> Option<Date> {
        parse_iso_date(value)
            .map_err(|error| self.bad(field, error.to_string()))
            .ok()
    }

    pub fn money(&mut self, field: &str, value: &str) -> Option<Money> {
        Money::parse(value)
            .map_err(|error| self.bad(field, error.to_string()))
            .ok()
    }

    pub fn quantity(&mut self, field: &str, value: &str) -> Option<Quantity> {
        Quantity::parse(value)
            .map_err(|error| self.bad(field, error.to_string()))
            .ok()
    }

    pub fn id(&mut self, field: &str, value: &str) -> Option<i64> {
        let id = value.trim().parse::<i64>().ok().filter(|id| *id > 0);
        if id.is_none() {
            self.bad(field, "must be an id");
        }
        id
    }

    /// Err with every bad field, or Ok.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

/// The row of the Care Package Line Items screen for one CPLI version.
pub fn cpli_summary(listing: CpliListing, today: Date) -> dto::CpliSummary {
    let CpliListing {
        record,
        service_id,
        service_name,
        authorised,
    } = listing;
    let weekly_cost = record.cpli.weekly_cost(record.rate);
    let cost_label = match record.service_level.pricing_kind {
        PricingKind::Timetabled => format!("{} Weekly (Timetabled)", format_money(weekly_cost)),
        PricingKind::Intermittent => "Intermittent".to_owned(),
        PricingKind::PerUnit => format!("{} Weekly", format_money(weekly_cost)),
    };
    let mut weekly_cost_text = weekly_cost;
    weekly_cost_text.rescale(2);
    dto::CpliSummary {
        id: record.lineage_id.to_string(),
        version_number: record.version_number,
        client_id: record.client.id.to_string(),
        ssref: record.client.ssref.clone(),
        client_name: record.client.sort_name(),
        service_id: service_id.to_string(),
        service_name,
        service_level_id: record.service_level.id.to_string(),
        service_level_name: record.service_level.name.clone(),
        pricing_kind: record.service_level.pricing_kind.code().to_owned(),
        start: iso_date(record.cpli.start),
        end: record.cpli.end.map(iso_date),
        weekly_cost: weekly_cost_text.to_string(),
        cost_label,
        pricing: record
            .cpli
            .pricing_description(record.service_level.unit, record.rate),
        authorised,
        current: record.cpli.end.is_none_or(|end| end >= today),
        unit: record.service_level.unit.code().to_owned(),
        terms: Some(terms_of(&record)),
    }
}

/// A stored version's terms in the shape the API takes them.
fn terms_of(record: &reference::CpliRecord) -> dto::CpliTerms {
    let (weekly_quantity, timetable, annual_allocation) = match &record.cpli.plan {
        CpliPlan::PerUnit { weekly_quantity } => (Some(weekly_quantity.to_string()), None, None),
        CpliPlan::Timetabled { timetable } => (
            None,
            Some(
                timetable
                    .rows
                    .iter()
                    .map(|row| dto::TimetableRowInput {
                        days: row.days.codes(),
                        quantity: row.quantity.to_string(),
                    })
                    .collect(),
            ),
            None,
        ),
        CpliPlan::Intermittent { annual_allocation } => {
            (None, None, Some(annual_allocation.to_string()))
        }
    };
    dto::CpliTerms {
        end: record.cpli.end.map(iso_date),
        weekly_quantity,
        timetable,
        annual_allocation,
        planned_visits: record.cpli.planned_visits.to_string(),
        budget_code: record.budget_code.clone(),
        care_package_ref: record.care_package_ref.clone(),
        authorised: record.authorised,
    }
}

pub async fn create_organisation(
    store: &Store,
    council: CouncilActor<'_>,
    input: &dto::NewOrganisation,
) -> Result<dto::Organisation, ApiError> {
    let mut checks = Checks::default();
    let name = checks.text("name", &input.name, true, 200);
    let address_line1 = checks.text("address_line1", &input.address_line1, false, 200);
    let town = checks.text("town", &input.town, false, 100);
    let postcode = checks.text("postcode", &input.postcode, false, 10);
    let email = checks.text("email", &input.email, false, 254);
    let phone = checks.text("phone", &input.phone, false, 30);
    checks.finish()?;
    let id = store
        .create_organisation(
            &reference::NewOrganisation {
                council_id: council.council_id,
                name: &name,
                address_line1: &address_line1,
                town: &town,
                postcode: &postcode,
                email: &email,
                phone: &phone,
            },
            council.actor,
        )
        .await?;
    Ok(dto::Organisation {
        id: id.to_string(),
        name,
        address_line1,
        town,
        postcode,
        email,
        phone,
        version: 1,
    })
}

fn exception_settings(
    checks: &mut Checks,
    rules: &[dto::ExceptionRuleSetting],
) -> ExceptionSettings {
    let mut settings = ExceptionSettings::default();
    for (index, rule) in rules.iter().enumerate() {
        let Some(kind) = ExceptionKind::from_code(&rule.kind) else {
            checks.bad(
                &format!("exception_settings[{index}].kind"),
                "is not an exception type",
            );
            continue;
        };
        let Some(effect) = PaymentEffect::from_code(&rule.effect) else {
            checks.bad(
                &format!("exception_settings[{index}].effect"),
                "must be pay or suspend",
            );
            continue;
        };
        let threshold = match Quantity::parse(&rule.threshold_percent) {
            Ok(threshold) => threshold.value(),
            Err(error) => {
                checks.bad(
                    &format!("exception_settings[{index}].threshold_percent"),
                    error.to_string(),
                );
                continue;
            }
        };
        let target = settings.rule_mut(kind);
        target.enabled = rule.enabled;
        target.effect = effect;
        target.threshold_percent = threshold;
    }
    settings
}

fn contract_rules(checks: &mut Checks, rules: &dto::ContractRules) -> reference::ContractRules {
    let mut comments = Vec::new();
    for (index, comment) in rules.frustrated_comments.iter().enumerate() {
        let comment = checks.text(
            &format!("rules.frustrated_comments[{index}]"),
            comment,
            true,
            100,
        );
        if !comment.is_empty() {
            comments.push(comment);
        }
    }
    reference::ContractRules {
        comment_mandatory: rules.comment_mandatory,
        visits_mandatory: rules.visits_mandatory,
        extra_allowed: rules.extra_allowed,
        frustrated_comments: comments,
    }
}

fn rules_view(record: &reference::ContractRecord) -> dto::ContractRules {
    dto::ContractRules {
        comment_mandatory: record.comment_mandatory != 0,
        visits_mandatory: record.visits_mandatory != 0,
        extra_allowed: record.extra_allowed != 0,
        frustrated_comments: record
            .frustrated_comments
            .lines()
            .map(str::to_owned)
            .filter(|line| !line.is_empty())
            .collect(),
    }
}

fn percent_text(basis_points: i64) -> String {
    Decimal::new(basis_points, 2).normalize().to_string()
}

pub async fn create_contract(
    store: &Store,
    council: CouncilActor<'_>,
    input: &dto::NewContract,
) -> Result<dto::Contract, ApiError> {
    let mut checks = Checks::default();
    let organisation_id = checks.id("organisation_id", &input.organisation_id);
    let name = checks.text("name", &input.name, true, 200);
    let group = checks.text("contract_type_group", &input.contract_type_group, true, 100);
    if !["scheduled", "invoiced"].contains(&input.payment_model.as_str()) {
        checks.bad("payment_model", "must be scheduled or invoiced");
    }
    if ![1, 2, 4].contains(&input.period_weeks) {
        checks.bad(
            "period_weeks",
            "must be 1 (weekly), 2 (fortnightly) or 4 (four-weekly)",
        );
    }
    let anchor = checks.date("period_anchor", &input.period_anchor);
    if anchor.is_some_and(|day| day.weekday() != time::Weekday::Monday) {
        checks.bad(
            "period_anchor",
            "must be a Monday: periods are runs of whole weeks",
        );
    }
    let vat = checks.quantity("vat_rate_percent", &input.vat_rate_percent);
    if vat.is_some_and(|vat| vat.value() > Decimal::ONE_HUNDRED) {
        checks.bad("vat_rate_percent", "must be at most 100");
    }
    let settings = exception_settings(&mut checks, &input.exception_settings);
    let rules = contract_rules(&mut checks, &input.rules);
    if let Some(id) = organisation_id {
        if store
            .organisation_in_council(council.council_id, id)
            .await?
            .is_none()
        {
            checks.bad("organisation_id", "is not an organisation of this council");
        }
    }
    checks.finish()?;
    let (Some(organisation_id), Some(anchor), Some(vat)) = (organisation_id, anchor, vat) else {
        unreachable_fields()?
    };
    let vat_basis_points = vat.hundredths();
    let id = store
        .create_contract(
            &reference::NewContract {
                council_id: council.council_id,
                organisation_id,
                name: &name,
                contract_type_group: &group,
                payment_model: &input.payment_model,
                period_weeks: input.period_weeks,
                period_anchor: anchor,
                vat_rate_basis_points: vat_basis_points,
                exception_settings: settings,
                rules,
            },
            council.actor,
        )
        .await?;
    let record = store
        .contract_in_council(council.council_id, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a created contract vanished"))?;
    contract_view(store, record).await
}

/// A field that checks said was fine turned out missing: a bug, never bad input.
fn unreachable_fields<T>() -> Result<T, ApiError> {
    Err(ApiError::Unexpected(anyhow::anyhow!(
        "a checked field was missing"
    )))
}

pub async fn create_service(
    store: &Store,
    council: CouncilActor<'_>,
    input: &dto::NewService,
) -> Result<dto::ServiceSummary, ApiError> {
    let mut checks = Checks::default();
    let contract_id = checks.id("contract_id", &input.contract_id);
    let name = checks.text("name", &input.name, true, 200);
    let address_line1 = checks.text("address_line1", &input.address_line1, false, 200);
    let town = checks.text("town", &input.town, false, 100);
    let postcode = checks.text("postcode", &input.postcode, false, 10);
    let contract = match contract_id {
        Some(id) => store.contract_in_council(council.council_id, id).await?,
        None => None,
    };
    if contract_id.is_some() && contract.is_none() {
        checks.bad("contract_id", "is not a contract of this council");
    }
    checks.finish()?;
    let Some(contract) = contract else {
        return unreachable_fields();
    };
    let id = store
        .create_service(
            &reference::NewService {
                organisation_id: contract.organisation_id,
                contract_id: contract.id,
                name: &name,
                address_line1: &address_line1,
                town: &town,
                postcode: &postcode,
            },
            council.actor,
        )
        .await?;
    let service = store
        .service(&Scope::Council(council.council_id), id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a created service vanished"))?;
    Ok(crate::week_view::service_summary(&service))
}

async fn service_level_view(
    store: &Store,
    level: &ServiceLevelInContract,
) -> Result<dto::ServiceLevel, ApiError> {
    let rates = store.service_level_rates(level.level.id).await?;
    Ok(dto::ServiceLevel {
        id: level.level.id.to_string(),
        contract_id: level.contract_id.to_string(),
        name: level.level.name.clone(),
        unit: level.level.unit.code().to_owned(),
        pricing_kind: level.level.pricing_kind.code().to_owned(),
        rates: rates
            .into_iter()
            .map(|(day, rate)| dto::DatedRate {
                effective_from: iso_date(day),
                rate: rate.to_string(),
            })
            .collect(),
        service_group_class: level.service_group_class.clone(),
        cost_centre: level.cost_centre.clone(),
        subjective: level.subjective.clone(),
        version: store
            .version_of(Editable::ServiceLevel, level.level.id)
            .await?,
    })
}

pub async fn create_service_level(
    store: &Store,
    council: CouncilActor<'_>,
    input: &dto::NewServiceLevel,
) -> Result<dto::ServiceLevel, ApiError> {
    let mut checks = Checks::default();
    let contract_id = checks.id("contract_id", &input.contract_id);
    let name = checks.text("name", &input.name, true, 200);
    let unit = Unit::from_code(&input.unit);
    if unit.is_none() {
        checks.bad("unit", "must be hour, session or night");
    }
    let pricing_kind = PricingKind::from_code(&input.pricing_kind);
    if pricing_kind.is_none() {
        checks.bad(
            "pricing_kind",
            "must be per_unit, timetabled or intermittent",
        );
    }
    let rate = checks.money("rate", &input.rate);
    let rate_from = checks.date("rate_effective_from", &input.rate_effective_from);
    let class = checks.text(
        "service_group_class",
        &input.service_group_class,
        false,
        100,
    );
    let cost_centre = checks.text("cost_centre", &input.cost_centre, false, 100);
    let subjective = checks.text("subjective", &input.subjective, false, 100);
    if let Some(id) = contract_id {
        if store
            .contract_in_council(council.council_id, id)
            .await?
            .is_none()
        {
            checks.bad("contract_id", "is not a contract of this council");
        }
    }
    checks.finish()?;
    let (Some(contract_id), Some(unit), Some(pricing_kind), Some(rate), Some(rate_from)) =
        (contract_id, unit, pricing_kind, rate, rate_from)
    else {
        return unreachable_fields();
    };
    let id = store
        .create_service_level(
            &reference::NewServiceLevel {
                contract_id,
                name: &name,
                unit,
                pricing_kind,
                rate,
                rate_effective_from: rate_from,
                service_group_class: &class,
                cost_centre: &cost_centre,
                subjective: &subjective,
            },
            council.actor,
        )
        .await?;
    let level = store
        .service_level_in_council(council.council_id, id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("a created service level vanished"))?;
    service_level_view(store, &level).await
}

pub async fn create_client(
    store: &Store,
    council: CouncilActor<'_>,
    input: &dto::NewClient,
) -> Result<dto::Client, ApiError> {
    let mut checks = Checks::default();
    let ssref = checks.text("ssref", &input.ssref, true, 30);
    let title = checks.text("title", &input.title, false, 20);
    let forename = checks.text("forename", &input.forename, true, 100);
    let surname = checks.text("surname", &input.surname, true, 100);
    let external_ref = input
        .external_ref
        .as_deref()
        .map(|text| checks.text("external_ref", text, true, 100));
    if !ssref.is_empty() && store.ssref_taken(council.council_id, &ssref).await? {
        checks.bad("ssref", "is already another client's SSRef");
    }
    checks.finish()?;
    let id = store
        .create_client(
            &reference::NewClient {
                council_id: council.council_id,
                external_ref: external_ref.as_deref(),
                ssref: &ssref,
                title: &title,
                forename: &forename,
                surname: &surname,
            },
            council.actor,
        )
        .await?;
    let client = reference::ClientRecord {
        id,
        ssref,
        title,
        forename,
        surname,
    };
    Ok(client_view(client, external_ref, 1))
}

/// The plan, dates and visits of a CPLI version, checked against its service level;
/// `None` when anything is bad (and then `checks` says what).
pub fn parse_terms(
    checks: &mut Checks,
    start: Option<Date>,
    terms: &dto::CpliTerms,
    pricing: PricingKind,
) -> Option<Cpli> {
    let end = terms
        .end
        .as_deref()
        .filter(|text| !text.is_empty())
        .map(|text| checks.date("end", text));
    let visits = checks.quantity("planned_visits", &terms.planned_visits);
    checks.text("budget_code", &terms.budget_code, false, 50);
    checks.text("care_package_ref", &terms.care_package_ref, false, 50);
    let plan = match (
        &terms.weekly_quantity,
        &terms.timetable,
        &terms.annual_allocation,
    ) {
        (Some(quantity), None, None) => checks
            .quantity("weekly_quantity", quantity)
            .map(|weekly_quantity| CpliPlan::PerUnit { weekly_quantity }),
        (None, Some(rows), None) => {
            let mut parsed = Vec::new();
            for (index, row) in rows.iter().enumerate() {
                let days = Weekdays::from_codes(&row.days).unwrap_or_else(|_| {
                    checks.bad(
                        &format!("timetable[{index}].days"),
                        "must be days mon to sun",
                    );
                    Weekdays::default()
                });
                if let Some(quantity) =
                    checks.quantity(&format!("timetable[{index}].quantity"), &row.quantity)
                {
                    parsed.push(TimetableRow { days, quantity });
                }
            }
            Some(CpliPlan::Timetabled {
                timetable: Timetable { rows: parsed },
            })
        }
        (None, None, Some(allocation)) => checks
            .quantity("annual_allocation", allocation)
            .map(|annual_allocation| CpliPlan::Intermittent { annual_allocation }),
        _ => {
            checks.bad(
                "weekly_quantity",
                "give exactly one of weekly_quantity, timetable or annual_allocation",
            );
            None
        }
    };
    let (Some(start), Some(plan)) = (start, plan) else {
        return None;
    };
    let (end_ok, end) = match end {
        Some(Some(end)) => (true, Some(end)),
        Some(None) => (false, None),
        None => (true, None),
    };
    // The rules are checked even when another field was bad, so every problem shows at once.
    let cpli = Cpli {
        start,
        end,
        plan,
        planned_visits: visits.unwrap_or_else(Quantity::zero),
    };
    for broken in check_cpli(&cpli, pricing) {
        checks.bad(broken.field, broken.message);
    }
    (end_ok && visits.is_some()).then_some(cpli)
}

/// The rate of a service level on a day, from its dated rates.
async fn rate_on(store: &Store, level_id: i64, day: Date) -> Result<Option<Money>, ApiError> {
    Ok(store
        .service_level_rates(level_id)
        .await?
        .into_iter()
        .rfind(|(from, _)| *from <= day)
        .map(|(_, rate)| rate))
}

pub async fn create_cpli(
    store: &Store,
    council: CouncilActor<'_>,
    input: &dto::NewCpli,
) -> Result<dto::CpliSummary, ApiError> {
    let mut checks = Checks::default();
    let client_id = checks.id("client_id", &input.client_id);
    let service_id = checks.id("service_id", &input.service_id);
    let level_id = checks.id("service_level_id", &input.service_level_id);
    let start = checks.date("start", &input.start);
    let external_ref = input
        .external_ref
        .as_deref()
        .map(|text| checks.text("external_ref", text, true, 100));
    let scope = Scope::Council(council.council_id);
    let client = match client_id {
        Some(id) => store.client_in_council(council.council_id, id).await?,
        None => None,
    };
    if client_id.is_some() && client.is_none() {
        checks.bad("client_id", "is not a client of this council");
    }
    let service = match service_id {
        Some(id) => store.service(&scope, id).await?,
        None => None,
    };
    if service_id.is_some() && service.is_none() {
        checks.bad(
            "service_id",
            "is not a service contracted with this council",
        );
    }
    let level = match level_id {
        Some(id) => {
            store
                .service_level_in_council(council.council_id, id)
                .await?
        }
        None => None,
    };
    match (&level, &service) {
        (None, _) if level_id.is_some() => {
            checks.bad("service_level_id", "is not a service level of this council")
        }
        (Some(level), Some(service)) if level.contract_id != service.contract_id => checks.bad(
            "service_level_id",
            "does not belong to the contract of this service",
        ),
        _ => {}
    }
    let cpli = level
        .as_ref()
        .and_then(|level| parse_terms(&mut checks, start, &input.terms, level.level.pricing_kind));
    let rate = match (&level, start) {
        (Some(level), Some(start)) => rate_on(store, level.level.id, start).await?,
        _ => None,
    };
    if level.is_some() && start.is_some() && rate.is_none() {
        checks.bad("start", "is before the service level's first rate");
    }
    checks.finish()?;
    let (Some(client), Some(service), Some(level), Some(cpli), Some(rate)) =
        (client, service, level, cpli, rate)
    else {
        return unreachable_fields();
    };
    let lineage = store
        .create_cpli(
            &reference::NewCpli {
                external_ref: external_ref.as_deref(),
                authorised: input.terms.authorised,
                client_id: client.id,
                service_id: service.id,
                service_level_id: level.level.id,
                cpli: &cpli,
                rate,
                budget_code: input.terms.budget_code.trim(),
                care_package_ref: input.terms.care_package_ref.trim(),
            },
            council.actor,
        )
        .await?;
    latest_summary(store, &scope, lineage).await
}

async fn latest_summary(
    store: &Store,
    scope: &Scope,
    lineage: i64,
) -> Result<dto::CpliSummary, ApiError> {
    let versions = store.cpli_versions(scope, lineage).await?;
    let latest = versions
        .into_iter()
        .last()
        .ok_or(ApiError::NotFound("care package line item"))?;
    Ok(cpli_summary(latest, today()))
}

/// Every version of a CPLI the scope reaches, oldest first; 404 when none.
pub async fn cpli_versions(
    store: &Store,
    scope: &Scope,
    lineage: i64,
) -> Result<Vec<dto::CpliSummary>, ApiError> {
    let versions = store.cpli_versions(scope, lineage).await?;
    if versions.is_empty() {
        return Err(ApiError::NotFound("care package line item"));
    }
    let today = today();
    Ok(versions
        .into_iter()
        .map(|listing| cpli_summary(listing, today))
        .collect())
}

/// A change to a CPLI from a date: a new version; the one it supersedes ends the day before.
pub async fn add_cpli_version(
    store: &Store,
    council: CouncilActor<'_>,
    lineage: i64,
    input: &dto::NewCpliVersion,
) -> Result<Vec<dto::CpliSummary>, ApiError> {
    let scope = Scope::Council(council.council_id);
    let versions = store.cpli_versions(&scope, lineage).await?;
    let Some(latest) = versions.last() else {
        return Err(ApiError::NotFound("care package line item"));
    };
    let mut checks = Checks::default();
    let from = checks.date("effective_from", &input.effective_from);
    let pricing = latest.record.service_level.pricing_kind;
    let cpli = parse_terms(&mut checks, from, &input.terms, pricing);
    let spans: Vec<(Date, Option<Date>)> = versions
        .iter()
        .map(|v| (v.record.cpli.start, v.record.cpli.end))
        .collect();
    let superseded = from.and_then(|from| {
        supersede(&spans, from)
            .map_err(|broken| checks.bad(broken.field, broken.message))
            .ok()
    });
    let rate = match from {
        Some(from) => rate_on(store, latest.record.service_level.id, from).await?,
        None => None,
    };
    checks.finish()?;
    if input.latest_version_seen != latest.record.version_number {
        return Err(ApiError::Conflict(format!(
            "This care package line item is at version {} now, not {}. Reload it, then make your change again.",
            latest.record.version_number, input.latest_version_seen
        )));
    }
    let (Some(from), Some(cpli), Some(index), Some(rate)) = (from, cpli, superseded, rate) else {
        return unreachable_fields();
    };
    let old = &versions[index];
    store
        .add_cpli_version(
            &NewVersion {
                lineage_id: lineage,
                superseded_id: old.record.id,
                superseded_until: day_before(from),
                latest_version_seen: input.latest_version_seen,
                version: reference::NewCpli {
                    external_ref: None,
                    authorised: input.terms.authorised,
                    client_id: old.record.client.id,
                    service_id: old.service_id,
                    service_level_id: old.record.service_level.id,
                    cpli: &cpli,
                    rate,
                    budget_code: input.terms.budget_code.trim(),
                    care_package_ref: input.terms.care_package_ref.trim(),
                },
            },
            council
                .actor
                .ok_or_else(|| anyhow::anyhow!("a version needs a person or tool to record"))?,
        )
        .await?;
    cpli_versions(store, &scope, lineage).await
}

/// A service level's new rate from a date: every CPLI it prices gets a new version from
/// that day, so each day is paid at the rate in force on it.
pub async fn change_rate(
    store: &Store,
    council: CouncilActor<'_>,
    level_id: i64,
    input: &dto::DatedRate,
) -> Result<dto::RateChange, ApiError> {
    let level = store
        .service_level_in_council(council.council_id, level_id)
        .await?
        .ok_or(ApiError::NotFound("service level"))?;
    let mut checks = Checks::default();
    let from = checks.date("effective_from", &input.effective_from);
    let rate = checks.money("rate", &input.rate);
    checks.finish()?;
    let (Some(from), Some(rate)) = (from, rate) else {
        return unreachable_fields();
    };
    let actor = council
        .actor
        .ok_or_else(|| anyhow::anyhow!("a rate change needs a person or tool to record"))?;
    let affected = store.cpli_versions_of_level_from(level_id, from).await?;
    let mut plans = Vec::new();
    for listing in &affected {
        let record = &listing.record;
        if record.cpli.start >= from {
            return Err(ApiError::Validation(vec![FieldError {
                field: "effective_from".into(),
                message: format!(
                    "care package line item {} has a version starting on or after this date: change the rate from a later date, or that version",
                    record.lineage_id
                ),
            }]));
        }
        let latest = store.latest_cpli_version(record.lineage_id).await?;
        plans.push((
            listing,
            Cpli {
                start: from,
                ..record.cpli.clone()
            },
            latest,
        ));
    }
    let changes: Vec<NewVersion<'_>> = plans
        .iter()
        .map(|(listing, cpli, latest)| NewVersion {
            lineage_id: listing.record.lineage_id,
            superseded_id: listing.record.id,
            superseded_until: day_before(from),
            latest_version_seen: *latest,
            // The same care package at the new rate: only the rate and the dates change.
            version: reference::NewCpli {
                external_ref: None,
                authorised: listing.record.authorised,
                client_id: listing.record.client.id,
                service_id: listing.service_id,
                service_level_id: level_id,
                cpli,
                rate,
                budget_code: &listing.record.budget_code,
                care_package_ref: &listing.record.care_package_ref,
            },
        })
        .collect();
    let created = match store
        .change_service_level_rate(level_id, from, rate, &changes, actor)
        .await
    {
        Err(portal_store::StoreError::StaleVersion {
            sent: 0,
            current: 0,
        }) => {
            return Err(ApiError::Conflict(
                "The service level already has a rate from that date.".into(),
            ))
        }
        other => other?,
    };
    let level = store
        .service_level_in_council(council.council_id, level.level.id)
        .await?
        .ok_or(ApiError::NotFound("service level"))?;
    Ok(dto::RateChange {
        service_level: service_level_view(store, &level).await?,
        cpli_versions_created: u32::try_from(created).unwrap_or(u32::MAX),
    })
}

pub fn organisation_view(record: reference::OrganisationRecord) -> dto::Organisation {
    dto::Organisation {
        id: record.id.to_string(),
        name: record.name,
        address_line1: record.address_line1,
        town: record.town,
        postcode: record.postcode,
        email: record.email,
        phone: record.phone,
        version: record.version,
    }
}

pub async fn contract_view(
    store: &Store,
    record: reference::ContractRecord,
) -> Result<dto::Contract, ApiError> {
    let settings = store.exception_settings(record.id).await?;
    let rules = rules_view(&record);
    Ok(dto::Contract {
        id: record.id.to_string(),
        organisation_id: record.organisation_id.to_string(),
        name: record.name,
        contract_type_group: record.contract_type_group,
        payment_model: record.payment_model,
        period_weeks: record.period_weeks,
        period_anchor: record.period_anchor,
        vat_rate_percent: percent_text(record.vat_rate_basis_points),
        exception_settings: crate::week_view::settings_dto(&settings),
        rules,
        version: record.version,
    })
}

pub async fn service_levels(
    store: &Store,
    council_id: i64,
    contract_id: Option<i64>,
) -> Result<Vec<dto::ServiceLevel>, ApiError> {
    let mut views = Vec::new();
    for level in store.service_levels(council_id, contract_id).await? {
        views.push(service_level_view(store, &level).await?);
    }
    Ok(views)
}

pub fn client_view(
    record: reference::ClientRecord,
    external_ref: Option<String>,
    version: i64,
) -> dto::Client {
    dto::Client {
        id: record.id.to_string(),
        label: record.labelled(),
        ssref: record.ssref,
        title: record.title,
        forename: record.forename,
        surname: record.surname,
        external_ref,
        version,
    }
}

fn edited(id: i64, version: Option<i64>, what: &'static str) -> Result<dto::Edited, ApiError> {
    let version = version.ok_or(ApiError::NotFound(what))?;
    Ok(dto::Edited {
        id: id.to_string(),
        version,
    })
}

fn actor_of<'a>(council: CouncilActor<'a>) -> Result<&'a Actor, ApiError> {
    council.actor.ok_or_else(|| {
        ApiError::Unexpected(anyhow::anyhow!("an edit needs a person or tool to record"))
    })
}

/// Checked text columns for an edit: (column, value, required, longest).
fn text_changes(
    checks: &mut Checks,
    fields: &[(&'static str, &str, bool, usize)],
) -> Vec<(&'static str, NewValue)> {
    fields
        .iter()
        .map(|(column, value, required, longest)| {
            (
                *column,
                NewValue::Text(checks.text(column, value, *required, *longest)),
            )
        })
        .collect()
}

/// Applies checked changes under the version the caller read.
async fn save_edit(
    store: &Store,
    council: CouncilActor<'_>,
    (kind, what): (Editable, &'static str),
    id: i64,
    version: i64,
    changes: &[(&'static str, NewValue)],
) -> Result<dto::Edited, ApiError> {
    let version = store
        .edit(
            kind,
            council.council_id,
            id,
            version,
            changes,
            actor_of(council)?,
        )
        .await?;
    edited(id, version, what)
}

pub async fn edit_organisation(
    store: &Store,
    council: CouncilActor<'_>,
    id: i64,
    input: &dto::UpdateOrganisation,
) -> Result<dto::Edited, ApiError> {
    let mut checks = Checks::default();
    let details = &input.details;
    let changes = text_changes(
        &mut checks,
        &[
            ("name", &details.name, true, 200),
            ("address_line1", &details.address_line1, false, 200),
            ("town", &details.town, false, 100),
            ("postcode", &details.postcode, false, 10),
            ("email", &details.email, false, 254),
            ("phone", &details.phone, false, 30),
        ],
    );
    checks.finish()?;
    save_edit(
        store,
        council,
        (Editable::Organisation, "organisation"),
        id,
        input.version,
        &changes,
    )
    .await
}

pub async fn edit_client(
    store: &Store,
    council: CouncilActor<'_>,
    id: i64,
    input: &dto::UpdateClient,
) -> Result<dto::Edited, ApiError> {
    let mut checks = Checks::default();
    let changes = text_changes(
        &mut checks,
        &[
            ("ssref", &input.ssref, true, 30),
            ("title", &input.title, false, 20),
            ("forename", &input.forename, true, 100),
            ("surname", &input.surname, true, 100),
        ],
    );
    let ssref = input.ssref.trim();
    if let Some(current) = store.client_in_council(council.council_id, id).await? {
        if current.ssref != ssref && store.ssref_taken(council.council_id, ssref).await? {
            checks.bad("ssref", "is already another client's SSRef");
        }
    }
    checks.finish()?;
    save_edit(
        store,
        council,
        (Editable::Client, "client"),
        id,
        input.version,
        &changes,
    )
    .await
}

pub async fn edit_service(
    store: &Store,
    council: CouncilActor<'_>,
    id: i64,
    input: &dto::UpdateService,
) -> Result<dto::Edited, ApiError> {
    let mut checks = Checks::default();
    let changes = text_changes(
        &mut checks,
        &[
            ("name", &input.name, true, 200),
            ("address_line1", &input.address_line1, false, 200),
            ("town", &input.town, false, 100),
            ("postcode", &input.postcode, false, 10),
        ],
    );
    checks.finish()?;
    save_edit(
        store,
        council,
        (Editable::Service, "service"),
        id,
        input.version,
        &changes,
    )
    .await
}

pub async fn edit_service_level(
    store: &Store,
    council: CouncilActor<'_>,
    id: i64,
    input: &dto::UpdateServiceLevel,
) -> Result<dto::Edited, ApiError> {
    let mut checks = Checks::default();
    let changes = text_changes(
        &mut checks,
        &[
            ("name", &input.name, true, 200),
            (
                "service_group_class",
                &input.service_group_class,
                false,
                100,
            ),
            ("cost_centre", &input.cost_centre, false, 100),
            ("subjective", &input.subjective, false, 100),
        ],
    );
    checks.finish()?;
    save_edit(
        store,
        council,
        (Editable::ServiceLevel, "service level"),
        id,
        input.version,
        &changes,
    )
    .await
}

/// Retires a record; its history stays and past weeks keep it.
pub async fn deactivate(
    store: &Store,
    council: CouncilActor<'_>,
    kind: Editable,
    id: i64,
    version: i64,
    what: &'static str,
) -> Result<dto::Edited, ApiError> {
    save_edit(
        store,
        council,
        (kind, what),
        id,
        version,
        &[("is_active", NewValue::Number(0))],
    )
    .await
}

pub async fn edit_contract(
    store: &Store,
    council: CouncilActor<'_>,
    id: i64,
    input: &dto::UpdateContract,
) -> Result<dto::Contract, ApiError> {
    let current = store
        .contract_in_council(council.council_id, id)
        .await?
        .ok_or(ApiError::NotFound("contract"))?;
    let mut checks = Checks::default();
    let name = checks.text("name", &input.name, true, 200);
    let group = checks.text("contract_type_group", &input.contract_type_group, true, 100);
    let vat = checks.quantity("vat_rate_percent", &input.vat_rate_percent);
    if vat.is_some_and(|vat| vat.value() > Decimal::ONE_HUNDRED) {
        checks.bad("vat_rate_percent", "must be at most 100");
    }
    // Types the request leaves out keep their current settings.
    let mut settings = store.exception_settings(id).await?;
    let requested = exception_settings(&mut checks, &input.exception_settings);
    for rule in &input.exception_settings {
        if let Some(kind) = ExceptionKind::from_code(&rule.kind) {
            *settings.rule_mut(kind) = requested.rule(kind);
        }
    }
    let rules = contract_rules(&mut checks, &input.rules);
    checks.finish()?;
    let Some(vat) = vat else {
        return unreachable_fields();
    };
    let changes = vec![
        ("name", NewValue::Text(name)),
        ("contract_type_group", NewValue::Text(group)),
        ("vat_rate_basis_points", NewValue::Number(vat.hundredths())),
        (
            "comment_mandatory",
            NewValue::Number(i64::from(rules.comment_mandatory)),
        ),
        (
            "visits_mandatory",
            NewValue::Number(i64::from(rules.visits_mandatory)),
        ),
        (
            "extra_allowed",
            NewValue::Number(i64::from(rules.extra_allowed)),
        ),
        (
            "frustrated_comments",
            NewValue::Text(rules.frustrated_comments.join("\n")),
        ),
    ];
    store
        .edit_contract(
            council.council_id,
            current.id,
            input.version,
            &changes,
            &settings,
            actor_of(council)?,
        )
        .await?
        .ok_or(ApiError::NotFound("contract"))?;
    let record = store
        .contract_in_council(council.council_id, id)
        .await?
        .ok_or(ApiError::NotFound("contract"))?;
    contract_view(store, record).await
}
