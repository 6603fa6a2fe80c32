//! Purchase orders (DOMAIN 7): one per client, service and financial year.
//!
//! Only a PO's number is stored (`purchase_order`, made the first time the PO is listed);
//! its lines are the authorised CPLI versions whose dates meet the year, read here in the
//! order they were made, and its spend to date is summed from the payment lines of finalised
//! periods. The domain (`portal_domain::purchase_order`) values it.

use std::collections::BTreeMap;

use portal_domain::calendar::FinancialYear;
use sqlx::FromRow;
use time::Date;

use crate::reference::{ClientRecord, CpliListing, CpliRow, CPLI_SELECT};
use crate::sql::{date, date_text, now_text};
use crate::{Scope, Store, StoreResult};

/// What the POs list filters by.
#[derive(Debug, Clone)]
pub struct PurchaseOrderFilter {
    pub year: Option<FinancialYear>,
    pub service_id: Option<i64>,
    pub client_id: Option<i64>,
    /// Open-ended CPLIs make POs up to this year only, unless `year` asks for a later one.
    pub current_year: FinancialYear,
}

/// One CPLI version in a PO, with the day it was made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseOrderLine {
    pub listing: CpliListing,
    pub made_on: Option<Date>,
}

/// The service, organisation and contract a PO is under.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PurchaseOrderParty {
    pub service_id: i64,
    pub service_name: String,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub address_line1: String,
    pub town: String,
    pub postcode: String,
    pub contract_id: i64,
    pub contract_name: String,
    /// `scheduled` or `invoiced`.
    pub payment_model: String,
    pub period_weeks: i64,
    pub period_anchor: String,
}

/// A PO as stored and computed from: its number, its lines and what has been paid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurchaseOrderRecord {
    /// The PO's number, the `N` of `N - v`.
    pub id: i64,
    pub year: FinancialYear,
    pub client: ClientRecord,
    pub party: PurchaseOrderParty,
    /// Oldest first, in the order they were made.
    pub lines: Vec<PurchaseOrderLine>,
    /// Finalised payments with status Pay against its CPLIs for weeks in its year.
    pub spend_pence: i64,
}

const PARTY_SELECT: &str = "
    select s.id as service_id, s.name as service_name, o.id as organisation_id,
           o.name as organisation_name, o.address_line1, o.town, o.postcode,
           ct.id as contract_id, ct.name as contract_name, ct.payment_model, ct.period_weeks,
           ct.period_anchor
    from service s
    join organisation o on o.id = s.organisation_id
    join contract ct on ct.id = s.contract_id";

/// The financial years a line's dates meet, up to `last` at the latest.
fn years_of(line: &PurchaseOrderLine, last: FinancialYear) -> Vec<FinancialYear> {
    let cpli = &line.listing.record.cpli;
    let first = FinancialYear::containing(cpli.start);
    let end = cpli
        .end
        .map_or(last, |end| FinancialYear::containing(end).min(last));
    let mut years = Vec::new();
    let mut year = first;
    while year <= end {
        years.push(year);
        year = FinancialYear::containing(year.last_day() + time::Duration::days(1));
    }
    years
}

/// The year a financial year starts in, as the table keeps it.
fn year_number(year: FinancialYear) -> i64 {
    i64::from(year.first_day().year())
}

type Key = (i64, i64, i64);

impl Store {
    /// The POs the scope reaches, filtered as the POs screen does, by year, client's name and
    /// service. Each PO is numbered the first time it is listed.
    pub async fn purchase_orders(
        &self,
        scope: &Scope,
        filter: &PurchaseOrderFilter,
    ) -> StoreResult<Vec<PurchaseOrderRecord>> {
        let lines = self
            .purchase_order_lines(scope, filter.service_id, filter.client_id, filter.year)
            .await?;
        let last = filter.year.unwrap_or(filter.current_year);
        let mut grouped: BTreeMap<Key, Vec<PurchaseOrderLine>> = BTreeMap::new();
        let mut order: Vec<(String, String, Key)> = Vec::new();
        for line in lines {
            let years = match filter.year {
                Some(year) => vec![year],
                None => years_of(&line, last),
            };
            for year in years {
                let key = (
                    line.listing.record.client.id,
                    line.listing.service_id,
                    year_number(year),
                );
                let group = grouped.entry(key).or_default();
                if group.is_empty() {
                    let client = &line.listing.record.client;
                    order.push((client.surname.clone(), client.forename.clone(), key));
                }
                group.push(line.clone());
            }
        }
        // Numbers are given by year, then client's name, so they read in a stable order.
        order.sort_by(|a, b| {
            (a.2 .2, &a.0, &a.1, a.2 .0, a.2 .1).cmp(&(b.2 .2, &b.0, &b.1, b.2 .0, b.2 .1))
        });
        let keys: Vec<Key> = order.iter().map(|(_, _, key)| *key).collect();
        let numbers = self.number_purchase_orders(&keys).await?;
        let parties = self.purchase_order_parties(&keys).await?;
        let spend = self.spend_by_lineage_and_year(&grouped).await?;
        let mut records = Vec::with_capacity(keys.len());
        for key in keys {
            let lines = grouped.remove(&key).unwrap_or_default();
            let (Some(&id), Some(party)) = (numbers.get(&key), parties.get(&key.1)) else {
                continue;
            };
            let year = FinancialYear::starting_in(key.2 as i32);
            let client = lines[0].listing.record.client.clone();
            let spend_pence = spend_of(&spend, &lines, key.2);
            records.push(PurchaseOrderRecord {
                id,
                year,
                client,
                party: party.clone(),
                lines,
                spend_pence,
            });
        }
        Ok(records)
    }

    /// One PO the scope reaches, with its lines as they stand; `None` when missing or not
    /// the caller's alike.
    pub async fn purchase_order(
        &self,
        scope: &Scope,
        id: i64,
    ) -> StoreResult<Option<PurchaseOrderRecord>> {
        let (condition, ids) = scope.condition("s.organisation_id", "ct.council_id", 2);
        let sql = format!(
            "select po.client_id, po.service_id, po.financial_year
             from purchase_order po
             join service s on s.id = po.service_id
             join contract ct on ct.id = s.contract_id
             where po.id = $1 and {condition}"
        );
        let mut query = sqlx::query_as::<_, (i64, i64, i64)>(&sql).bind(id);
        for scope_id in ids {
            query = query.bind(scope_id);
        }
        let Some((client_id, service_id, year)) = query.fetch_optional(self.pool()).await? else {
            return Ok(None);
        };
        let year = FinancialYear::starting_in(year as i32);
        let lines = self
            .purchase_order_lines(scope, Some(service_id), Some(client_id), Some(year))
            .await?;
        let key = (client_id, service_id, year_number(year));
        let parties = self.purchase_order_parties(&[key]).await?;
        let Some(party) = parties.get(&service_id).cloned() else {
            return Ok(None);
        };
        let client: ClientRecord = match lines.first() {
            Some(line) => line.listing.record.client.clone(),
            None => {
                sqlx::query_as(
                    "select id, ssref, title, forename, surname from client where id = $1",
                )
                .bind(client_id)
                .fetch_one(self.pool())
                .await?
            }
        };
        let mut grouped = BTreeMap::new();
        grouped.insert(key, lines);
        let spend = self.spend_by_lineage_and_year(&grouped).await?;
        let lines = grouped.remove(&key).unwrap_or_default();
        let spend_pence = spend_of(&spend, &lines, key.2);
        Ok(Some(PurchaseOrderRecord {
            id,
            year,
            client,
            party,
            lines,
            spend_pence,
        }))
    }

    /// The authorised CPLI versions the scope reaches, oldest made first, meeting `year`
    /// when given.
    async fn purchase_order_lines(
        &self,
        scope: &Scope,
        service_id: Option<i64>,
        client_id: Option<i64>,
        year: Option<FinancialYear>,
    ) -> StoreResult<Vec<PurchaseOrderLine>> {
        let (scope_condition, scope_ids) =
            scope.condition("sv.organisation_id", "ct.council_id", 1);
        let mut next = 1 + scope_ids.len();
        let mut conditions = vec![scope_condition, "p.is_authorised = 1".to_owned()];
        let mut ids = scope_ids;
        for (column, value) in [("p.service_id", service_id), ("p.client_id", client_id)] {
            if let Some(value) = value {
                conditions.push(format!("{column} = ${next}"));
                ids.push(value);
                next += 1;
            }
        }
        let mut texts = Vec::new();
        if let Some(year) = year {
            conditions.push(format!(
                "p.start_date <= ${next} and (p.end_date is null or p.end_date >= ${})",
                next + 1
            ));
            texts.push(date_text(year.last_day()));
            texts.push(date_text(year.first_day()));
        }
        let sql = format!(
            "{CPLI_SELECT}
             join contract ct on ct.id = sv.contract_id
             where {}
             order by p.created_at, p.id",
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
        let row_ids: Vec<i64> = listings.iter().map(|listing| listing.record.id).collect();
        let made = self.made_on(&row_ids).await?;
        Ok(listings
            .into_iter()
            .map(|listing| {
                let made_on = made.get(&listing.record.id).copied().flatten();
                PurchaseOrderLine { listing, made_on }
            })
            .collect())
    }

    /// The day each CPLI version was made, where the row says.
    async fn made_on(&self, ids: &[i64]) -> StoreResult<BTreeMap<i64, Option<Date>>> {
        let mut made = BTreeMap::new();
        for chunk in ids.chunks(500) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
            let sql = format!(
                "select id, created_at from cpli where id in ({})",
                placeholders.join(", ")
            );
            let mut query = sqlx::query_as::<_, (i64, String)>(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            for (id, created_at) in query.fetch_all(self.pool()).await? {
                // Rows older than the column have an empty text: their day is unknown.
                let day = created_at
                    .get(..10)
                    .map(|text| date(text, "cpli.created_at"))
                    .transpose()?;
                made.insert(id, day);
            }
        }
        Ok(made)
    }

    /// The number of each PO, made for those that have none yet.
    async fn number_purchase_orders(&self, keys: &[Key]) -> StoreResult<BTreeMap<Key, i64>> {
        let mut numbers = BTreeMap::new();
        if keys.is_empty() {
            return Ok(numbers);
        }
        let mut transaction = self.pool().begin().await?;
        for (client_id, service_id, year) in keys {
            sqlx::query(
                "insert into purchase_order (client_id, service_id, financial_year, created_at)
                 values ($1, $2, $3, $4)
                 on conflict (client_id, service_id, financial_year) do nothing",
            )
            .bind(*client_id)
            .bind(*service_id)
            .bind(*year)
            .bind(now_text())
            .execute(&mut *transaction)
            .await?;
        }
        transaction.commit().await?;
        let services: Vec<i64> = {
            let mut services: Vec<i64> = keys.iter().map(|key| key.1).collect();
            services.sort_unstable();
            services.dedup();
            services
        };
        for chunk in services.chunks(500) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
            let sql = format!(
                "select id, client_id, service_id, financial_year from purchase_order
                 where service_id in ({})",
                placeholders.join(", ")
            );
            let mut query = sqlx::query_as::<_, (i64, i64, i64, i64)>(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            for (id, client_id, service_id, year) in query.fetch_all(self.pool()).await? {
                numbers.insert((client_id, service_id, year), id);
            }
        }
        Ok(numbers)
    }

    /// The service, organisation and contract of each key's service.
    async fn purchase_order_parties(
        &self,
        keys: &[Key],
    ) -> StoreResult<BTreeMap<i64, PurchaseOrderParty>> {
        let mut services: Vec<i64> = keys.iter().map(|key| key.1).collect();
        services.sort_unstable();
        services.dedup();
        let mut parties = BTreeMap::new();
        for chunk in services.chunks(500) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
            let sql = format!("{PARTY_SELECT} where s.id in ({})", placeholders.join(", "));
            let mut query = sqlx::query_as::<_, PurchaseOrderParty>(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            for party in query.fetch_all(self.pool()).await? {
                parties.insert(party.service_id, party);
            }
        }
        Ok(parties)
    }

    /// Pence paid in finalised periods with status Pay, per CPLI (all its versions) and
    /// financial year of the week paid.
    async fn spend_by_lineage_and_year(
        &self,
        grouped: &BTreeMap<Key, Vec<PurchaseOrderLine>>,
    ) -> StoreResult<BTreeMap<(i64, i64), i64>> {
        let mut lineages: Vec<i64> = grouped
            .values()
            .flatten()
            .map(|line| line.listing.record.lineage_id)
            .collect();
        lineages.sort_unstable();
        lineages.dedup();
        let mut spend = BTreeMap::new();
        for chunk in lineages.chunks(500) {
            let placeholders: Vec<String> = (1..=chunk.len()).map(|n| format!("${n}")).collect();
            let sql = format!(
                "select coalesce(c.lineage_id, c.id) as lineage, pl.week_start,
                        cast(coalesce(sum(pl.amount_pence), 0) as bigint) as pence
                 from payment_line pl
                 join payment_period pp on pp.id = pl.period_id
                 join cpli c on c.id = pl.cpli_id
                 where pp.finalised_at is not null and pl.status = 'pay'
                   and coalesce(c.lineage_id, c.id) in ({})
                 group by coalesce(c.lineage_id, c.id), pl.week_start",
                placeholders.join(", ")
            );
            let mut query = sqlx::query_as::<_, (i64, String, i64)>(&sql);
            for id in chunk {
                query = query.bind(*id);
            }
            for (lineage, week_start, pence) in query.fetch_all(self.pool()).await? {
                let year = FinancialYear::containing(date(&week_start, "payment_line.week_start")?);
                *spend.entry((lineage, year_number(year))).or_insert(0) += pence;
            }
        }
        Ok(spend)
    }
}

/// A PO's spend: what was paid for its CPLIs in its year.
fn spend_of(spend: &BTreeMap<(i64, i64), i64>, lines: &[PurchaseOrderLine], year: i64) -> i64 {
    let mut lineages: Vec<i64> = lines
        .iter()
        .map(|line| line.listing.record.lineage_id)
        .collect();
    lineages.sort_unstable();
    lineages.dedup();
    lineages
        .iter()
        .filter_map(|lineage| spend.get(&(*lineage, year)))
        .sum()
}
