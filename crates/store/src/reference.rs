//! Reference data the council owns: councils, organisations, contracts, services, service
//! levels, clients and care package line items (DOMAIN 3).

use portal_domain::actual::{ExceptionKind, ExceptionSettings, PaymentEffect};
use portal_domain::cpli::{Cpli, CpliPlan, Timetable, TimetableRow, Weekdays};
use portal_domain::{Money, PricingKind, Unit, Week};
use rust_decimal::Decimal;
use sqlx::FromRow;
use time::Date;

use crate::actuals::Actor;
use crate::sql::{date, date_text, flag, money, quantity};
use crate::{Scope, Store, StoreError, StoreResult};
use serde_json::json;

/// A service with the names the screens show beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRecord {
    pub id: i64,
    pub name: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub contract_id: i64,
    pub contract_name: String,
    pub contract_type_group: String,
    pub council_id: i64,
    pub council_name: String,
    /// The earliest start of the service's CPLIs.
    pub first_cpli_start: Option<Date>,
}

#[derive(FromRow)]
struct ServiceRow {
    id: i64,
    name: String,
    organisation_id: i64,
    organisation_name: String,
    contract_id: i64,
    contract_name: String,
    contract_type_group: String,
    council_id: i64,
    council_name: String,
    first_cpli_start: Option<String>,
}

impl TryFrom<ServiceRow> for ServiceRecord {
    type Error = StoreError;
    fn try_from(row: ServiceRow) -> Result<Self, StoreError> {
        Ok(ServiceRecord {
            id: row.id,
            name: row.name,
            organisation_id: row.organisation_id,
            organisation_name: row.organisation_name,
            contract_id: row.contract_id,
            contract_name: row.contract_name,
            contract_type_group: row.contract_type_group,
            council_id: row.council_id,
            council_name: row.council_name,
            first_cpli_start: row
                .first_cpli_start
                .as_deref()
                .map(|text| date(text, "cpli.start_date"))
                .transpose()?,
        })
    }
}

const SERVICE_SELECT: &str = "
    select s.id, s.name, o.id as organisation_id, o.name as organisation_name,
           c.id as contract_id, c.name as contract_name, c.contract_type_group,
           la.id as council_id, la.name as council_name,
           (select min(p.start_date) from cpli p where p.service_id = s.id) as first_cpli_start
    from service s
    join organisation o on o.id = s.organisation_id
    join contract c on c.id = s.contract_id
    join council la on la.id = c.council_id";

/// A client as the screens name them.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ClientRecord {
    pub id: i64,
    pub ssref: String,
    pub title: String,
    pub forename: String,
    pub surname: String,
}

impl ClientRecord {
    /// "Mr Eric Bristow".
    pub fn display_name(&self) -> String {
        [self.title.as_str(), &self.forename, &self.surname]
            .iter()
            .filter(|part| !part.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// "Bristow, Eric".
    pub fn sort_name(&self) -> String {
        format!("{}, {}", self.surname, self.forename)
    }

    /// "Mr Eric Bristow (96836000)".
    pub fn labelled(&self) -> String {
        format!("{} ({})", self.display_name(), self.ssref)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLevelRecord {
    pub id: i64,
    pub name: String,
    pub unit: Unit,
    pub pricing_kind: PricingKind,
    pub rate: Money,
}

/// A CPLI with its client and service level, ready for the domain's arithmetic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpliRecord {
    /// This version's own id.
    pub id: i64,
    /// The CPLI ID people see: the id of its first version.
    pub lineage_id: i64,
    pub version_number: i64,
    pub client: ClientRecord,
    pub service_level: ServiceLevelRecord,
    pub cpli: Cpli,
    pub rate: Money,
    pub budget_code: String,
    pub care_package_ref: String,
    pub authorised: bool,
}

/// What the Care Package Line Items screen filters by.
#[derive(Debug, Clone)]
pub struct CpliFilter {
    pub service_id: Option<i64>,
    pub client_id: Option<i64>,
    pub service_level_id: Option<i64>,
    /// Also CPLIs whose end date has passed.
    pub include_historical: bool,
    pub include_unauthorised: bool,
    /// The day "historical" is judged on.
    pub today: Date,
}

/// A CPLI with where it is delivered and whether it is authorised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CpliListing {
    pub record: CpliRecord,
    pub service_id: i64,
    pub service_name: String,
    pub authorised: bool,
}

pub(crate) const CPLI_SELECT: &str = "
    select p.id, cl.id as client_id, cl.ssref, cl.title, cl.forename, cl.surname,
           sl.id as service_level_id, sl.name as service_level_name, sl.unit, sl.pricing_kind,
           sl.rate_pence as level_rate_pence,
           p.start_date, p.end_date, p.weekly_quantity_hundredths, p.annual_allocation_hundredths,
           p.planned_visits_hundredths, p.rate_pence, p.is_authorised, p.budget_code, p.care_package_ref,
           coalesce(p.lineage_id, p.id) as lineage_id, p.version_number,
           p.service_id, sv.name as service_name
    from cpli p
    join client cl on cl.id = p.client_id
    join service_level sl on sl.id = p.service_level_id
    join service sv on sv.id = p.service_id";

#[derive(FromRow)]
pub(crate) struct CpliRow {
    id: i64,
    budget_code: String,
    care_package_ref: String,
    lineage_id: i64,
    version_number: i64,
    is_authorised: i64,
    service_id: i64,
    service_name: String,
    client_id: i64,
    ssref: String,
    title: String,
    forename: String,
    surname: String,
    service_level_id: i64,
    service_level_name: String,
    unit: String,
    pricing_kind: String,
    level_rate_pence: i64,
    start_date: String,
    end_date: Option<String>,
    weekly_quantity_hundredths: Option<i64>,
    annual_allocation_hundredths: Option<i64>,
    planned_visits_hundredths: i64,
    rate_pence: i64,
}

pub struct NewOrganisation<'a> {
    /// The council whose staff maintain it.
    pub council_id: i64,
    pub name: &'a str,
    pub address_line1: &'a str,
    pub town: &'a str,
    pub postcode: &'a str,
    pub email: &'a str,
    pub phone: &'a str,
}

pub struct NewContract<'a> {
    pub council_id: i64,
    pub organisation_id: i64,
    pub name: &'a str,
    pub contract_type_group: &'a str,
    /// `scheduled` or `invoiced`.
    pub payment_model: &'a str,
    pub period_weeks: i64,
    pub period_anchor: Date,
    pub vat_rate_basis_points: i64,
    pub exception_settings: ExceptionSettings,
    pub rules: ContractRules,
}

/// The per-council rules of DOMAIN 14a a contract carries.
pub use portal_domain::actual::rules::ContractRules;

pub struct NewService<'a> {
    pub organisation_id: i64,
    pub contract_id: i64,
    pub name: &'a str,
    pub address_line1: &'a str,
    pub town: &'a str,
    pub postcode: &'a str,
}

pub struct NewServiceLevel<'a> {
    pub contract_id: i64,
    pub name: &'a str,
    pub unit: Unit,
    pub pricing_kind: PricingKind,
    pub rate: Money,
    /// The first day of the rate; later changes add dated rates.
    pub rate_effective_from: Date,
    pub service_group_class: &'a str,
    pub cost_centre: &'a str,
    pub subjective: &'a str,
}

pub struct NewClient<'a> {
    pub council_id: i64,
    /// The council system's own reference, for integration upserts.
    pub external_ref: Option<&'a str>,
    pub ssref: &'a str,
    pub title: &'a str,
    pub forename: &'a str,
    pub surname: &'a str,
}

pub struct NewCpli<'a> {
    /// The council system's own reference, for integration upserts.
    pub external_ref: Option<&'a str>,
    pub authorised: bool,
    pub client_id: i64,
    pub service_id: i64,
    pub service_level_id: i64,
    pub cpli: &'a Cpli,
    pub rate: Money,
    pub budget_code: &'a str,
    pub care_package_ref: &'a str,
}

impl Store {
    pub async fn council_named(&self, name: &str) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar("select id from council where name = $1")
            .bind(name)
            .fetch_optional(self.pool())
            .await?)
    }

    pub async fn create_organisation(
        &self,
        new: &NewOrganisation<'_>,
        created_by: Option<&Actor>,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into organisation (name, address_line1, town, postcode, email, phone, council_id)
             values ($1, $2, $3, $4, $5, $6, $7) returning id",
        )
        .bind(new.name)
        .bind(new.address_line1)
        .bind(new.town)
        .bind(new.postcode)
        .bind(new.email)
        .bind(new.phone)
        .bind(new.council_id)
        .fetch_one(&mut *transaction)
        .await?;
        finish_creation(
            transaction,
            created_by,
            "organisation",
            id,
            json!({ "name": new.name }),
        )
        .await?;
        Ok(id)
    }

    /// Creates a contract with its exception rules, in one transaction.
    pub async fn create_contract(
        &self,
        new: &NewContract<'_>,
        created_by: Option<&Actor>,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let id: i64 = (
            sqlx::query_scalar(
                "insert into contract (council_id, organisation_id, name, contract_type_group, payment_model,
                                       period_weeks, period_anchor, vat_rate_basis_points,
                                       comment_mandatory, visits_mandatory, extra_allowed, frustrated_comments)
                 values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) returning id",
            )
            .bind(new.council_id)
            .bind(new.organisation_id)
            .bind(new.name)
            .bind(new.contract_type_group)
            .bind(new.payment_model)
            .bind(new.period_weeks)
            .bind(date_text(new.period_anchor))
            .bind(new.vat_rate_basis_points)
            .bind(flag(new.rules.comment_mandatory))
            .bind(flag(new.rules.visits_mandatory))
            .bind(flag(new.rules.extra_allowed))
            .bind(new.rules.frustrated_comments.join("\n"))
        ).fetch_one(&mut *transaction)
        .await?;
        write_exception_rules(&mut transaction, id, &new.exception_settings).await?;
        finish_creation(
            transaction,
            created_by,
            "contract",
            id,
            json!({ "name": new.name, "organisation_id": new.organisation_id }),
        )
        .await?;
        Ok(id)
    }

    pub async fn create_service(
        &self,
        new: &NewService<'_>,
        created_by: Option<&Actor>,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into service (organisation_id, contract_id, name, address_line1, town, postcode)
             values ($1, $2, $3, $4, $5, $6) returning id",
        )
        .bind(new.organisation_id)
        .bind(new.contract_id)
        .bind(new.name)
        .bind(new.address_line1)
        .bind(new.town)
        .bind(new.postcode)
        .fetch_one(&mut *transaction)
        .await?;
        finish_creation(
            transaction,
            created_by,
            "service",
            id,
            json!({ "name": new.name, "contract_id": new.contract_id }),
        )
        .await?;
        Ok(id)
    }

    /// Creates a service level with its first dated rate, in one transaction.
    pub async fn create_service_level(
        &self,
        new: &NewServiceLevel<'_>,
        created_by: Option<&Actor>,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into service_level (contract_id, name, unit, pricing_kind, rate_pence,
                                        service_group_class, cost_centre, subjective)
             values ($1, $2, $3, $4, $5, $6, $7, $8) returning id",
        )
        .bind(new.contract_id)
        .bind(new.name)
        .bind(new.unit.code())
        .bind(new.pricing_kind.code())
        .bind(new.rate.hundredths())
        .bind(new.service_group_class)
        .bind(new.cost_centre)
        .bind(new.subjective)
        .fetch_one(&mut *transaction)
        .await?;
        sqlx::query("insert into service_level_rate (service_level_id, effective_from, rate_pence) values ($1, $2, $3)")
            .bind(id)
            .bind(date_text(new.rate_effective_from))
            .bind(new.rate.hundredths())
            .execute(&mut *transaction)
            .await?;
        finish_creation(
            transaction,
            created_by,
            "service_level",
            id,
            json!({ "name": new.name, "rate": new.rate.to_string() }),
        )
        .await?;
        Ok(id)
    }

    pub async fn create_client(
        &self,
        new: &NewClient<'_>,
        created_by: Option<&Actor>,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let id: i64 = sqlx::query_scalar(
            "insert into client (council_id, ssref, title, forename, surname, external_ref)
             values ($1, $2, $3, $4, $5, $6) returning id",
        )
        .bind(new.council_id)
        .bind(new.ssref)
        .bind(new.title)
        .bind(new.forename)
        .bind(new.surname)
        .bind(new.external_ref)
        .fetch_one(&mut *transaction)
        .await?;
        finish_creation(
            transaction,
            created_by,
            "client",
            id,
            json!({ "ssref": new.ssref }),
        )
        .await?;
        Ok(id)
    }

    /// Creates a CPLI (its first version) and its timetable rows, in one transaction.
    pub async fn create_cpli(
        &self,
        new: &NewCpli<'_>,
        created_by: Option<&Actor>,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let id = insert_cpli_version(&mut transaction, new, None, 1).await?;
        let detail = json!({ "client_id": new.client_id, "service_id": new.service_id, "start": date_text(new.cpli.start) });
        self.notify_cpli(
            &mut transaction,
            id,
            "New care package line item",
            created_by,
        )
        .await?;
        finish_creation(transaction, created_by, "cpli", id, detail).await?;
        Ok(id)
    }

    /// The services the scope reaches, by organisation and name.
    pub async fn services(&self, scope: &Scope) -> StoreResult<Vec<ServiceRecord>> {
        let (condition, ids) = scope.condition("o.id", "la.id", 1);
        let sql = format!(
            "{SERVICE_SELECT} where s.is_active = 1 and {condition} order by o.name, s.name, s.id"
        );
        let mut query = sqlx::query_as::<_, ServiceRow>(&sql);
        for id in ids {
            query = query.bind(id);
        }
        query
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(ServiceRecord::try_from)
            .collect()
    }

    /// One service, if the scope reaches it; `None` means missing or not yours alike.
    pub async fn service(
        &self,
        scope: &Scope,
        service_id: i64,
    ) -> StoreResult<Option<ServiceRecord>> {
        let (condition, ids) = scope.condition("o.id", "la.id", 2);
        let sql = format!("{SERVICE_SELECT} where s.id = $1 and {condition}");
        let mut query = sqlx::query_as::<_, ServiceRow>(&sql).bind(service_id);
        for id in ids {
            query = query.bind(id);
        }
        query
            .fetch_optional(self.pool())
            .await?
            .map(ServiceRecord::try_from)
            .transpose()
    }

    /// The contract's service levels priced on `day` (the rate in force then), each with
    /// whether it is active: the active per-unit ones are what "Add actual: Unplanned" offers.
    pub async fn levels_priced_on(
        &self,
        contract_id: i64,
        day: Date,
    ) -> StoreResult<Vec<(ServiceLevelRecord, bool)>> {
        let rows: Vec<(i64, String, String, String, i64, i64)> = sqlx::query_as(
            "select sl.id, sl.name, sl.unit, sl.pricing_kind, r.rate_pence, sl.is_active
             from service_level sl join service_level_rate r on r.service_level_id = sl.id
             where sl.contract_id = $1
               and r.effective_from = (select max(effective_from) from service_level_rate
                                       where service_level_id = sl.id and effective_from <= $2)
             order by sl.name, sl.id",
        )
        .bind(contract_id)
        .bind(date_text(day))
        .fetch_all(self.pool())
        .await?;
        rows.into_iter()
            .map(|(id, name, unit, pricing_kind, rate_pence, active)| {
                let level = ServiceLevelRecord {
                    id,
                    name,
                    unit: Unit::from_code(&unit)
                        .ok_or_else(|| StoreError::Corrupt(format!("unit {unit}")))?,
                    pricing_kind: PricingKind::from_code(&pricing_kind).ok_or_else(|| {
                        StoreError::Corrupt(format!("pricing kind {pricing_kind}"))
                    })?,
                    rate: money(rate_pence, "rate_pence")?,
                };
                Ok((level, active != 0))
            })
            .collect()
    }

    /// A contract's rules for its actuals (DOMAIN 14a).
    pub async fn contract_rules(&self, contract_id: i64) -> StoreResult<ContractRules> {
        let row: Option<(i64, i64, i64, String)> = sqlx::query_as(
            "select comment_mandatory, visits_mandatory, extra_allowed, frustrated_comments
             from contract where id = $1",
        )
        .bind(contract_id)
        .fetch_optional(self.pool())
        .await?;
        let (comment, visits, extra, frustrated) =
            row.ok_or_else(|| StoreError::Corrupt(format!("contract {contract_id} missing")))?;
        Ok(ContractRules {
            comment_mandatory: comment != 0,
            visits_mandatory: visits != 0,
            extra_allowed: extra != 0,
            frustrated_comments: frustrated
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }

    /// A contract's exception settings; types without a stored rule keep the defaults.
    pub async fn exception_settings(&self, contract_id: i64) -> StoreResult<ExceptionSettings> {
        let rows: Vec<(String, i64, i64, String)> = sqlx::query_as(
            "select kind, enabled, threshold_hundredths, effect from contract_exception_rule where contract_id = $1",
        )
        .bind(contract_id)
        .fetch_all(self.pool())
        .await?;
        let mut settings = ExceptionSettings::default();
        for (kind, enabled, threshold, effect) in rows {
            let kind = ExceptionKind::from_code(&kind)
                .ok_or_else(|| StoreError::Corrupt(format!("exception kind {kind}")))?;
            let effect = PaymentEffect::from_code(&effect)
                .ok_or_else(|| StoreError::Corrupt(format!("exception effect {effect}")))?;
            let rule = settings.rule_mut(kind);
            rule.enabled = enabled != 0;
            rule.threshold_percent = Decimal::new(threshold, 2);
            rule.effect = effect;
        }
        Ok(settings)
    }

    /// The CPLIs of a service with any day inside the week, clients by name.
    pub async fn cplis_active_in_week(
        &self,
        service_id: i64,
        week: Week,
    ) -> StoreResult<Vec<CpliRecord>> {
        let rows: Vec<CpliRow> = sqlx::query_as(&format!(
            "{CPLI_SELECT}
             where p.service_id = $1 and p.is_authorised = 1
               and p.start_date <= $2 and (p.end_date is null or p.end_date >= $3)
             order by cl.surname, cl.forename, cl.id, sl.name, p.id"
        ))
        .bind(service_id)
        .bind(date_text(week.sunday()))
        .bind(date_text(week.monday()))
        .fetch_all(self.pool())
        .await?;
        self.with_timetables(rows).await
    }

    /// The authorised CPLIs of a service with any day between two dates, clients by name:
    /// the reports read a year in one query rather than week by week.
    pub async fn cplis_active_between(
        &self,
        service_id: i64,
        first: Date,
        last: Date,
    ) -> StoreResult<Vec<CpliRecord>> {
        let rows: Vec<CpliRow> = sqlx::query_as(&format!(
            "{CPLI_SELECT}
             where p.service_id = $1 and p.is_authorised = 1
               and p.start_date <= $2 and (p.end_date is null or p.end_date >= $3)
             order by cl.surname, cl.forename, cl.id, sl.name, p.start_date, p.id"
        ))
        .bind(service_id)
        .bind(date_text(last))
        .bind(date_text(first))
        .fetch_all(self.pool())
        .await?;
        self.with_timetables(rows).await
    }

    /// Every service level of a contract with its group class, cost centre and subjective.
    pub async fn levels_of_contract(
        &self,
        contract_id: i64,
    ) -> StoreResult<Vec<ServiceLevelInContract>> {
        let rows: Vec<LevelRow> = sqlx::query_as(
            "select sl.id, sl.name, sl.unit, sl.pricing_kind, sl.rate_pence, sl.contract_id,
                    sl.service_group_class, sl.cost_centre, sl.subjective
             from service_level sl where sl.contract_id = $1 order by sl.name, sl.id",
        )
        .bind(contract_id)
        .fetch_all(self.pool())
        .await?;
        rows.into_iter().map(level_in_contract).collect()
    }

    /// The CPLIs the scope reaches, filtered as the Care Package Line Items screen does.
    pub async fn cplis(&self, scope: &Scope, filter: &CpliFilter) -> StoreResult<Vec<CpliListing>> {
        let mut conditions = vec!["1 = 1".to_owned()];
        let mut ids: Vec<i64> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        let mut next = 1;
        let (scope_condition, scope_ids) =
            scope.condition("s.organisation_id", "ct.council_id", next);
        next += scope_ids.len();
        conditions.push(scope_condition);
        ids.extend(scope_ids);
        for (column, value) in [
            ("p.service_id", filter.service_id),
            ("p.client_id", filter.client_id),
            ("p.service_level_id", filter.service_level_id),
        ] {
            if let Some(value) = value {
                conditions.push(format!("{column} = ${next}"));
                ids.push(value);
                next += 1;
            }
        }
        if !filter.include_unauthorised {
            conditions.push("p.is_authorised = 1".to_owned());
        }
        if !filter.include_historical {
            conditions.push(format!("(p.end_date is null or p.end_date >= ${next})"));
            texts.push(date_text(filter.today));
        }
        let sql = format!(
            "{CPLI_SELECT}
             join service s on s.id = p.service_id
             join contract ct on ct.id = s.contract_id
             where {}
             order by cl.surname, cl.forename, cl.id, p.start_date, p.id",
            conditions.join(" and ")
        );
        let mut query = sqlx::query_as::<_, CpliRow>(&sql);
        for id in ids {
            query = query.bind(id);
        }
        for text in texts {
            query = query.bind(text);
        }
        let rows = query.fetch_all(self.pool()).await?;
        let listings = self.listings(rows).await?;
        Ok(one_version_each(listings, filter.today))
    }

    /// CPLI rows as listings, with their timetables.
    pub(crate) async fn listings(&self, rows: Vec<CpliRow>) -> StoreResult<Vec<CpliListing>> {
        let places: Vec<(i64, String, bool)> = rows
            .iter()
            .map(|row| {
                (
                    row.service_id,
                    row.service_name.clone(),
                    row.is_authorised != 0,
                )
            })
            .collect();
        let records = self.with_timetables(rows).await?;
        Ok(records
            .into_iter()
            .zip(places)
            .map(
                |(record, (service_id, service_name, authorised))| CpliListing {
                    record,
                    service_id,
                    service_name,
                    authorised,
                },
            )
            .collect())
    }

    pub(crate) async fn with_timetables(&self, rows: Vec<CpliRow>) -> StoreResult<Vec<CpliRecord>> {
        let timetabled: Vec<i64> = rows
            .iter()
            .filter(|row| row.pricing_kind == PricingKind::Timetabled.code())
            .map(|row| row.id)
            .collect();
        let timetables = self.timetables(&timetabled).await?;
        rows.into_iter()
            .map(|row| {
                let timetable = timetables
                    .iter()
                    .filter(|(cpli_id, _)| *cpli_id == row.id)
                    .map(|(_, timetable_row)| timetable_row.clone())
                    .collect();
                cpli_record(row, timetable)
            })
            .collect()
    }

    async fn timetables(&self, cpli_ids: &[i64]) -> StoreResult<Vec<(i64, TimetableRow)>> {
        if cpli_ids.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (1..=cpli_ids.len()).map(|n| format!("${n}")).collect();
        let sql = format!(
            "select cpli_id, weekdays, quantity_hundredths from cpli_timetable_row
             where cpli_id in ({}) order by cpli_id, id",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_as::<_, (i64, String, i64)>(&sql);
        for id in cpli_ids {
            query = query.bind(*id);
        }
        query
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(|(cpli_id, mask, hundredths)| {
                let days = Weekdays::from_mask(&mask)
                    .ok_or_else(|| StoreError::Corrupt(format!("weekdays {mask}")))?;
                Ok((
                    cpli_id,
                    TimetableRow {
                        days,
                        quantity: quantity(hundredths, "quantity_hundredths")?,
                    },
                ))
            })
            .collect()
    }
}

fn cpli_record(row: CpliRow, timetable_rows: Vec<TimetableRow>) -> StoreResult<CpliRecord> {
    let unit = Unit::from_code(&row.unit)
        .ok_or_else(|| StoreError::Corrupt(format!("unit {}", row.unit)))?;
    let pricing_kind = PricingKind::from_code(&row.pricing_kind)
        .ok_or_else(|| StoreError::Corrupt(format!("pricing kind {}", row.pricing_kind)))?;
    let plan = match pricing_kind {
        PricingKind::PerUnit => CpliPlan::PerUnit {
            weekly_quantity: quantity(
                row.weekly_quantity_hundredths.unwrap_or(0),
                "weekly_quantity_hundredths",
            )?,
        },
        PricingKind::Timetabled => CpliPlan::Timetabled {
            timetable: Timetable {
                rows: timetable_rows,
            },
        },
        PricingKind::Intermittent => CpliPlan::Intermittent {
            annual_allocation: quantity(
                row.annual_allocation_hundredths.unwrap_or(0),
                "annual_allocation_hundredths",
            )?,
        },
    };
    Ok(CpliRecord {
        id: row.id,
        lineage_id: row.lineage_id,
        version_number: row.version_number,
        client: ClientRecord {
            id: row.client_id,
            ssref: row.ssref,
            title: row.title,
            forename: row.forename,
            surname: row.surname,
        },
        service_level: ServiceLevelRecord {
            id: row.service_level_id,
            name: row.service_level_name,
            unit,
            pricing_kind,
            rate: money(row.level_rate_pence, "service_level.rate_pence")?,
        },
        cpli: Cpli {
            start: date(&row.start_date, "cpli.start_date")?,
            end: row
                .end_date
                .as_deref()
                .map(|text| date(text, "cpli.end_date"))
                .transpose()?,
            plan,
            planned_visits: quantity(row.planned_visits_hundredths, "planned_visits_hundredths")?,
        },
        rate: money(row.rate_pence, "cpli.rate_pence")?,
        budget_code: row.budget_code,
        care_package_ref: row.care_package_ref,
        authorised: row.is_authorised != 0,
    })
}

fn hundredths_of(percent: Decimal) -> StoreResult<i64> {
    let mut scaled = portal_domain::amount::round_to_penny(percent);
    scaled.rescale(2);
    i64::try_from(scaled.mantissa())
        .map_err(|_| StoreError::Corrupt(format!("threshold {percent}")))
}

/// Inserts one version of a CPLI with its timetable rows. A first version (no `lineage`)
/// becomes its own lineage: its id is the CPLI ID people see.
pub(crate) async fn insert_cpli_version(
    connection: &mut sqlx::AnyConnection,
    new: &NewCpli<'_>,
    lineage: Option<i64>,
    version_number: i64,
) -> StoreResult<i64> {
    let (weekly, allocation) = match &new.cpli.plan {
        CpliPlan::PerUnit { weekly_quantity } => (Some(weekly_quantity.hundredths()), None),
        CpliPlan::Timetabled { .. } => (None, None),
        CpliPlan::Intermittent { annual_allocation } => {
            (None, Some(annual_allocation.hundredths()))
        }
    };
    let id: i64 = sqlx::query_scalar(
        "insert into cpli (client_id, service_id, service_level_id, start_date, end_date,
                           weekly_quantity_hundredths, annual_allocation_hundredths,
                           planned_visits_hundredths, rate_pence, budget_code, care_package_ref,
                           is_authorised, lineage_id, version_number, external_ref, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) returning id",
    )
    .bind(new.client_id)
    .bind(new.service_id)
    .bind(new.service_level_id)
    .bind(date_text(new.cpli.start))
    .bind(new.cpli.end.map(date_text))
    .bind(weekly)
    .bind(allocation)
    .bind(new.cpli.planned_visits.hundredths())
    .bind(new.rate.hundredths())
    .bind(new.budget_code)
    .bind(new.care_package_ref)
    .bind(flag(new.authorised))
    .bind(lineage)
    .bind(version_number)
    .bind(new.external_ref)
    .bind(crate::sql::now_text())
    .fetch_one(&mut *connection)
    .await?;
    if lineage.is_none() {
        sqlx::query("update cpli set lineage_id = id where id = $1")
            .bind(id)
            .execute(&mut *connection)
            .await?;
    }
    if let CpliPlan::Timetabled { timetable } = &new.cpli.plan {
        for row in &timetable.rows {
            sqlx::query("insert into cpli_timetable_row (cpli_id, weekdays, quantity_hundredths) values ($1, $2, $3)")
                .bind(id)
                .bind(row.days.mask())
                .bind(row.quantity.hundredths())
                .execute(&mut *connection)
                .await?;
        }
    }
    Ok(id)
}

/// One row per CPLI: the version that applies today, or else its latest version.
fn one_version_each(listings: Vec<CpliListing>, today: Date) -> Vec<CpliListing> {
    let applies_today = |listing: &CpliListing| {
        listing.record.cpli.start <= today && listing.record.cpli.end.is_none_or(|end| end >= today)
    };
    let mut chosen: Vec<CpliListing> = Vec::new();
    for listing in listings {
        match chosen
            .iter_mut()
            .find(|kept| kept.record.lineage_id == listing.record.lineage_id)
        {
            None => chosen.push(listing),
            Some(kept) => {
                let better = match (applies_today(&listing), applies_today(kept)) {
                    (true, false) => true,
                    (false, true) => false,
                    _ => listing.record.version_number > kept.record.version_number,
                };
                if better {
                    *kept = listing;
                }
            }
        }
    }
    chosen
}

/// A contract as the council holds it.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ContractRecord {
    pub id: i64,
    pub version: i64,
    pub comment_mandatory: i64,
    pub visits_mandatory: i64,
    pub extra_allowed: i64,
    /// One allowed comment per line; empty when frustrated units are unrestricted.
    pub frustrated_comments: String,
    pub organisation_id: i64,
    pub name: String,
    pub contract_type_group: String,
    pub payment_model: String,
    pub period_weeks: i64,
    pub period_anchor: String,
    pub vat_rate_basis_points: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct OrganisationRecord {
    pub id: i64,
    pub name: String,
    pub address_line1: String,
    pub town: String,
    pub postcode: String,
    pub email: String,
    pub phone: String,
    pub version: i64,
}

#[derive(FromRow)]
struct LevelRow {
    id: i64,
    name: String,
    unit: String,
    pricing_kind: String,
    rate_pence: i64,
    contract_id: i64,
    service_group_class: String,
    cost_centre: String,
    subjective: String,
}

/// A service level with the contract it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceLevelInContract {
    pub level: ServiceLevelRecord,
    pub contract_id: i64,
    pub service_group_class: String,
    pub cost_centre: String,
    pub subjective: String,
}

fn level_in_contract(row: LevelRow) -> StoreResult<ServiceLevelInContract> {
    Ok(ServiceLevelInContract {
        level: ServiceLevelRecord {
            id: row.id,
            unit: Unit::from_code(&row.unit)
                .ok_or_else(|| StoreError::Corrupt(format!("unit {}", row.unit)))?,
            pricing_kind: PricingKind::from_code(&row.pricing_kind)
                .ok_or_else(|| StoreError::Corrupt(format!("pricing kind {}", row.pricing_kind)))?,
            rate: money(row.rate_pence, "service_level.rate_pence")?,
            name: row.name,
        },
        contract_id: row.contract_id,
        service_group_class: row.service_group_class,
        cost_centre: row.cost_centre,
        subjective: row.subjective,
    })
}

impl Store {
    pub async fn organisation_in_council(
        &self,
        council_id: i64,
        id: i64,
    ) -> StoreResult<Option<OrganisationRecord>> {
        Ok(sqlx::query_as(
            "select id, name, address_line1, town, postcode, email, phone, version
             from organisation where id = $1 and council_id = $2",
        )
        .bind(id)
        .bind(council_id)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn contract_in_council(
        &self,
        council_id: i64,
        id: i64,
    ) -> StoreResult<Option<ContractRecord>> {
        Ok(sqlx::query_as(
            "select id, organisation_id, name, contract_type_group, payment_model, period_weeks, period_anchor,
                    vat_rate_basis_points, version, comment_mandatory, visits_mandatory, extra_allowed,
                    frustrated_comments
             from contract where id = $1 and council_id = $2",
        )
        .bind(id)
        .bind(council_id)
        .fetch_optional(self.pool())
        .await?)
    }

    pub async fn service_level_in_council(
        &self,
        council_id: i64,
        id: i64,
    ) -> StoreResult<Option<ServiceLevelInContract>> {
        let row: Option<LevelRow> = sqlx::query_as(
            "select sl.id, sl.name, sl.unit, sl.pricing_kind, sl.rate_pence, sl.contract_id,
                    sl.service_group_class, sl.cost_centre, sl.subjective
             from service_level sl join contract c on c.id = sl.contract_id
             where sl.id = $1 and c.council_id = $2",
        )
        .bind(id)
        .bind(council_id)
        .fetch_optional(self.pool())
        .await?;
        row.map(level_in_contract).transpose()
    }

    pub async fn client_in_council(
        &self,
        council_id: i64,
        id: i64,
    ) -> StoreResult<Option<ClientRecord>> {
        Ok(sqlx::query_as("select id, ssref, title, forename, surname from client where id = $1 and council_id = $2")
            .bind(id)
            .bind(council_id)
            .fetch_optional(self.pool())
            .await?)
    }

    /// A client by the council system's reference, with that reference.
    pub async fn client_by_external_ref(
        &self,
        council_id: i64,
        external_ref: &str,
    ) -> StoreResult<Option<ClientRecord>> {
        Ok(sqlx::query_as(
            "select id, ssref, title, forename, surname from client where council_id = $1 and external_ref = $2",
        )
        .bind(council_id)
        .bind(external_ref)
        .fetch_optional(self.pool())
        .await?)
    }

    /// True when the council already has a client with this SSRef.
    pub async fn ssref_taken(&self, council_id: i64, ssref: &str) -> StoreResult<bool> {
        let count: i64 =
            sqlx::query_scalar("select count(*) from client where council_id = $1 and ssref = $2")
                .bind(council_id)
                .bind(ssref)
                .fetch_one(self.pool())
                .await?;
        Ok(count > 0)
    }

    /// Updates a client's names from the council system; true when anything changed.
    pub async fn update_client_names(
        &self,
        client_id: i64,
        ssref: &str,
        title: &str,
        forename: &str,
        surname: &str,
        actor: &crate::actuals::Actor,
    ) -> StoreResult<bool> {
        let mut transaction = self.pool().begin().await?;
        let changed = sqlx::query(
            "update client set ssref = $1, title = $2, forename = $3, surname = $4, version = version + 1
             where id = $5 and (ssref <> $1 or title <> $2 or forename <> $3 or surname <> $4)",
        )
        .bind(ssref)
        .bind(title)
        .bind(forename)
        .bind(surname)
        .bind(client_id)
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            > 0;
        if changed {
            crate::audit::record_change(
                &mut transaction,
                actor,
                "client.update",
                "client",
                client_id.to_string(),
                serde_json::json!({ "new": { "ssref": ssref, "title": title, "forename": forename, "surname": surname } }),
            )
            .await?;
        }
        transaction.commit().await?;
        Ok(changed)
    }

    /// The lineage of the CPLI a council system knows by this reference at this service.
    pub async fn cpli_lineage_by_external_ref(
        &self,
        service_id: i64,
        external_ref: &str,
    ) -> StoreResult<Option<i64>> {
        Ok(sqlx::query_scalar(
            "select min(coalesce(lineage_id, id)) from cpli where service_id = $1 and external_ref = $2 having count(*) > 0",
        )
        .bind(service_id)
        .bind(external_ref)
        .fetch_optional(self.pool())
        .await?)
    }
}

/// Records who created a record, when a person or tool did, and commits.
async fn finish_creation(
    mut transaction: sqlx::Transaction<'_, sqlx::Any>,
    created_by: Option<&Actor>,
    entity_kind: &str,
    id: i64,
    detail: serde_json::Value,
) -> StoreResult<()> {
    if let Some(actor) = created_by {
        let action = format!("{entity_kind}.create");
        crate::audit::record_change(
            &mut transaction,
            actor,
            &action,
            entity_kind,
            id.to_string(),
            detail,
        )
        .await?;
    }
    transaction.commit().await?;
    Ok(())
}

#[derive(FromRow)]
struct ClientListRow {
    id: i64,
    ssref: String,
    title: String,
    forename: String,
    surname: String,
    external_ref: Option<String>,
    version: i64,
}

/// A service with its address, for the service details screen.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ServiceAddressRecord {
    pub id: i64,
    pub address_line1: String,
    pub town: String,
    pub postcode: String,
    pub is_active: i64,
}

impl Store {
    /// Organisations the scope reaches: a provider's own, or a council's.
    pub async fn organisations(&self, scope: &Scope) -> StoreResult<Vec<OrganisationRecord>> {
        let (condition, ids) = scope.condition("id", "council_id", 1);
        let sql = format!(
            "select id, name, address_line1, town, postcode, email, phone, version
             from organisation where is_active = 1 and {condition} order by name, id"
        );
        let mut query = sqlx::query_as::<_, OrganisationRecord>(&sql);
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_all(self.pool()).await?)
    }

    pub async fn organisation(
        &self,
        scope: &Scope,
        id: i64,
    ) -> StoreResult<Option<OrganisationRecord>> {
        Ok(self
            .organisations(scope)
            .await?
            .into_iter()
            .find(|organisation| organisation.id == id))
    }

    /// A council's contracts, optionally one organisation's.
    pub async fn contracts(
        &self,
        council_id: i64,
        organisation_id: Option<i64>,
    ) -> StoreResult<Vec<ContractRecord>> {
        Ok(sqlx::query_as(
            "select id, organisation_id, name, contract_type_group, payment_model, period_weeks, period_anchor,
                    vat_rate_basis_points, version, comment_mandatory, visits_mandatory, extra_allowed,
                    frustrated_comments
             from contract where council_id = $1 and ($2 = 0 or organisation_id = $2) and is_active = 1
             order by name, id",
        )
        .bind(council_id)
        .bind(organisation_id.unwrap_or(0))
        .fetch_all(self.pool())
        .await?)
    }

    /// A council's service levels, optionally one contract's.
    pub async fn service_levels(
        &self,
        council_id: i64,
        contract_id: Option<i64>,
    ) -> StoreResult<Vec<ServiceLevelInContract>> {
        let ids: Vec<(i64,)> = sqlx::query_as(
            "select sl.id from service_level sl join contract c on c.id = sl.contract_id
             where c.council_id = $1 and ($2 = 0 or sl.contract_id = $2) and sl.is_active = 1
             order by sl.name, sl.id",
        )
        .bind(council_id)
        .bind(contract_id.unwrap_or(0))
        .fetch_all(self.pool())
        .await?;
        let mut levels = Vec::with_capacity(ids.len());
        for (id,) in ids {
            if let Some(level) = self.service_level_in_council(council_id, id).await? {
                levels.push(level);
            }
        }
        Ok(levels)
    }

    /// A council's active clients whose SSRef or name contains `search` (all when empty).
    /// Each with its external reference and version.
    pub async fn clients(
        &self,
        council_id: i64,
        search: &str,
    ) -> StoreResult<Vec<(ClientRecord, Option<String>, i64)>> {
        let pattern = format!("%{}%", search.trim().to_lowercase());
        let rows: Vec<ClientListRow> = sqlx::query_as(
            "select id, ssref, title, forename, surname, external_ref, version from client
             where council_id = $1 and is_active = 1
               and (lower(ssref) like $2 or lower(forename || ' ' || surname) like $2 or lower(surname || ', ' || forename) like $2)
             order by surname, forename, id",
        )
        .bind(council_id)
        .bind(pattern)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let record = ClientRecord {
                    id: row.id,
                    ssref: row.ssref,
                    title: row.title,
                    forename: row.forename,
                    surname: row.surname,
                };
                (record, row.external_ref, row.version)
            })
            .collect())
    }

    /// One client of a council, with its external reference and version.
    pub async fn client_details(
        &self,
        council_id: i64,
        id: i64,
    ) -> StoreResult<Option<(ClientRecord, Option<String>, i64)>> {
        let row: Option<ClientListRow> = sqlx::query_as(
            "select id, ssref, title, forename, surname, external_ref, version from client where id = $1 and council_id = $2",
        )
        .bind(id)
        .bind(council_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.map(|row| {
            let record = ClientRecord {
                id: row.id,
                ssref: row.ssref,
                title: row.title,
                forename: row.forename,
                surname: row.surname,
            };
            (record, row.external_ref, row.version)
        }))
    }

    pub async fn service_address(
        &self,
        service_id: i64,
    ) -> StoreResult<Option<ServiceAddressRecord>> {
        Ok(sqlx::query_as(
            "select id, address_line1, town, postcode, is_active from service where id = $1",
        )
        .bind(service_id)
        .fetch_optional(self.pool())
        .await?)
    }
}

/// Replaces a contract's exception rules with `settings`, one row per type.
pub(crate) async fn write_exception_rules(
    connection: &mut sqlx::AnyConnection,
    contract_id: i64,
    settings: &ExceptionSettings,
) -> StoreResult<()> {
    sqlx::query("delete from contract_exception_rule where contract_id = $1")
        .bind(contract_id)
        .execute(&mut *connection)
        .await?;
    for kind in ExceptionKind::ALL {
        let rule = settings.rule(kind);
        sqlx::query(
            "insert into contract_exception_rule (contract_id, kind, enabled, threshold_hundredths, effect)
             values ($1, $2, $3, $4, $5)",
        )
        .bind(contract_id)
        .bind(kind.code())
        .bind(flag(rule.enabled))
        .bind(hundredths_of(rule.threshold_percent)?)
        .bind(rule.effect.code())
        .execute(&mut *connection)
        .await?;
    }
    Ok(())
}
