//! One-off claims (DOMAIN 8): a claim under one of a provider's contracts, with its evidence
//! file, submitted and decided in one transaction each, with its audit row. Whether an
//! approved claim was paid is read from the payment lines of finalised periods
//! (`line_key = 'claim/<id>'`, status `pay`), never stored on the claim.

use portal_domain::claim::ClaimStatus;
use portal_domain::Money;
use serde_json::json;
use time::Date;

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::sql::{date_text, money, now_text};
use crate::{Scope, Store, StoreError, StoreResult};

/// A contract a claim may be made under, as the caller's scope reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimContract {
    pub id: i64,
    pub organisation_id: i64,
    pub council_id: i64,
    pub name: String,
}

/// A client a client item may name: one with a CPLI under the contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimClient {
    pub id: i64,
    pub ssref: String,
    pub forename: String,
    pub surname: String,
}

/// A new claim, every field already checked by the domain.
#[derive(Debug, Clone)]
pub struct NewClaim<'a> {
    pub contract: &'a ClaimContract,
    pub client_id: Option<i64>,
    pub description: &'a str,
    pub claim_date: Date,
    pub amount: Money,
    pub vat: Money,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub content: &'a [u8],
}

/// The finalised period that paid a claim.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidPeriod {
    pub starts_on: String,
    pub ends_on: String,
}

/// A claim as stored, with the names it is shown with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRecord {
    pub id: i64,
    pub version: i64,
    pub organisation_id: i64,
    pub organisation_name: String,
    pub council_id: i64,
    pub contract_id: i64,
    pub contract_name: String,
    pub client: Option<ClaimClient>,
    pub description: String,
    /// ISO.
    pub claim_date: String,
    pub amount: Money,
    pub vat: Money,
    pub status: ClaimStatus,
    pub reason: String,
    pub submitted_at: String,
    pub submitted_by: Option<String>,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub paid_period: Option<PaidPeriod>,
}

/// An approved claim a payment period should pay (`payments.rs` adds these).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimToPay {
    pub id: i64,
    pub client_id: Option<i64>,
    pub description: String,
    /// ISO.
    pub claim_date: String,
    pub amount_pence: i64,
    pub vat_pence: i64,
    /// ISO date of the council's approval.
    pub approved_on: String,
}

#[derive(sqlx::FromRow)]
struct ClaimToPayRow {
    id: i64,
    client_id: Option<i64>,
    description: String,
    claim_date: String,
    amount_pence: i64,
    vat_pence: i64,
    decided_at: String,
}

/// Which claims a list shows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClaimFilter {
    pub status: Option<ClaimStatus>,
    pub contract_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: i64,
    version: i64,
    organisation_id: i64,
    organisation_name: String,
    council_id: i64,
    contract_id: i64,
    contract_name: String,
    client_id: Option<i64>,
    ssref: Option<String>,
    forename: Option<String>,
    surname: Option<String>,
    description: String,
    claim_date: String,
    amount_pence: i64,
    vat_pence: i64,
    status: String,
    reason: String,
    submitted_at: String,
    submitted_by: Option<String>,
    decided_at: Option<String>,
    decided_by: Option<String>,
    file_name: String,
    content_type: String,
    size_bytes: i64,
    paid_starts_on: Option<String>,
    paid_ends_on: Option<String>,
}

impl ClaimRow {
    fn record(self) -> StoreResult<ClaimRecord> {
        let status = ClaimStatus::parse(&self.status)
            .ok_or_else(|| StoreError::Corrupt(format!("one_off_claim.status: {}", self.status)))?;
        let client = match (self.client_id, self.ssref, self.forename, self.surname) {
            (Some(id), Some(ssref), Some(forename), Some(surname)) => Some(ClaimClient {
                id,
                ssref,
                forename,
                surname,
            }),
            _ => None,
        };
        let paid_period = match (self.paid_starts_on, self.paid_ends_on) {
            (Some(starts_on), Some(ends_on)) => Some(PaidPeriod { starts_on, ends_on }),
            _ => None,
        };
        Ok(ClaimRecord {
            id: self.id,
            version: self.version,
            organisation_id: self.organisation_id,
            organisation_name: self.organisation_name,
            council_id: self.council_id,
            contract_id: self.contract_id,
            contract_name: self.contract_name,
            client,
            description: self.description,
            claim_date: self.claim_date,
            amount: money(self.amount_pence, "one_off_claim.amount_pence")?,
            vat: money(self.vat_pence, "one_off_claim.vat_pence")?,
            status,
            reason: self.reason,
            submitted_at: self.submitted_at,
            submitted_by: self.submitted_by,
            decided_at: self.decided_at,
            decided_by: self.decided_by,
            file_name: self.file_name,
            content_type: self.content_type,
            size_bytes: self.size_bytes,
            paid_period,
        })
    }
}

/// The claim's columns with its names and, once paid, the period that paid it (the
/// earliest, should two ever have).
const CLAIM_SELECT: &str = "select k.id, k.version, k.organisation_id, o.name as organisation_name,
        k.council_id, k.contract_id, c.name as contract_name,
        k.client_id, cl.ssref, cl.forename, cl.surname,
        k.description, k.claim_date, k.amount_pence, k.vat_pence, k.status, k.reason,
        k.submitted_at, su.name as submitted_by, k.decided_at, du.name as decided_by,
        e.file_name, e.content_type, e.size_bytes,
        (select p.starts_on from payment_line l join payment_period p on p.id = l.period_id
          where l.line_key = 'claim/' || k.id and l.status = 'pay' and p.status = 'finalised'
          order by p.starts_on limit 1) as paid_starts_on,
        (select p.ends_on from payment_line l join payment_period p on p.id = l.period_id
          where l.line_key = 'claim/' || k.id and l.status = 'pay' and p.status = 'finalised'
          order by p.starts_on limit 1) as paid_ends_on
     from one_off_claim k
     join organisation o on o.id = k.organisation_id
     join contract c on c.id = k.contract_id
     join one_off_claim_evidence e on e.claim_id = k.id
     left join client cl on cl.id = k.client_id
     left join app_user su on su.id = k.submitted_by
     left join app_user du on du.id = k.decided_by";

/// Paid: a pay line of a finalised period names the claim.
const IS_PAID: &str =
    "exists (select 1 from payment_line l join payment_period p on p.id = l.period_id
      where l.line_key = 'claim/' || k.id and l.status = 'pay' and p.status = 'finalised')";

impl Store {
    /// The active contracts the scope reaches, by name, that claims may be made under.
    pub async fn claim_contracts(&self, scope: &Scope) -> StoreResult<Vec<ClaimContract>> {
        let (condition, ids) = scope.condition("c.organisation_id", "c.council_id", 1);
        let sql = format!(
            "select c.id, c.organisation_id, c.council_id, c.name from contract c
             where c.is_active = 1 and {condition} order by c.name, c.id"
        );
        let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(&sql);
        for id in ids {
            query = query.bind(id);
        }
        Ok(query
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(|(id, organisation_id, council_id, name)| ClaimContract {
                id,
                organisation_id,
                council_id,
                name,
            })
            .collect())
    }

    /// One contract the scope reaches, or `None` (missing or not the caller's alike).
    pub async fn claim_contract(
        &self,
        scope: &Scope,
        contract_id: i64,
    ) -> StoreResult<Option<ClaimContract>> {
        let (condition, ids) = scope.condition("c.organisation_id", "c.council_id", 2);
        let sql = format!(
            "select c.id, c.organisation_id, c.council_id, c.name from contract c
             where c.id = $1 and c.is_active = 1 and {condition}"
        );
        let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(&sql).bind(contract_id);
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_optional(self.pool()).await?.map(
            |(id, organisation_id, council_id, name)| ClaimContract {
                id,
                organisation_id,
                council_id,
                name,
            },
        ))
    }

    /// The clients with a CPLI under the contract (at any of its services), by surname.
    pub async fn claim_clients(&self, contract_id: i64) -> StoreResult<Vec<ClaimClient>> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "select cl.id, cl.ssref, cl.forename, cl.surname from client cl
             where exists (select 1 from cpli p join service s on s.id = p.service_id
                            where p.client_id = cl.id and s.contract_id = $1)
             order by cl.surname, cl.forename, cl.ssref",
        )
        .bind(contract_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, ssref, forename, surname)| ClaimClient {
                id,
                ssref,
                forename,
                surname,
            })
            .collect())
    }

    /// Whether the client has a CPLI under the contract.
    pub async fn client_has_care_under(
        &self,
        contract_id: i64,
        client_id: i64,
    ) -> StoreResult<bool> {
        let row: Option<(i64,)> = sqlx::query_as(
            "select p.id from cpli p join service s on s.id = p.service_id
             where p.client_id = $1 and s.contract_id = $2 limit 1",
        )
        .bind(client_id)
        .bind(contract_id)
        .fetch_optional(self.pool())
        .await?;
        Ok(row.is_some())
    }

    /// Keeps a new claim and its evidence, submitted, with its audit row, in one
    /// transaction. Returns its id.
    pub async fn create_claim(&self, claim: &NewClaim<'_>, actor: &Actor) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let now = now_text();
        let (id,): (i64,) = sqlx::query_as(
            "insert into one_off_claim (organisation_id, council_id, contract_id, client_id,
                description, claim_date, amount_pence, vat_pence, status, reason, version,
                submitted_at, submitted_by)
             values ($1, $2, $3, $4, $5, $6, $7, $8, 'submitted', '', 1, $9, $10) returning id",
        )
        .bind(claim.contract.organisation_id)
        .bind(claim.contract.council_id)
        .bind(claim.contract.id)
        .bind(claim.client_id)
        .bind(claim.description)
        .bind(date_text(claim.claim_date))
        .bind(claim.amount.hundredths())
        .bind(claim.vat.hundredths())
        .bind(now.as_str())
        .bind(actor.principal.person_id())
        .fetch_one(&mut *transaction)
        .await?;
        let size = i64::try_from(claim.content.len()).unwrap_or(i64::MAX);
        sqlx::query(
            "insert into one_off_claim_evidence (claim_id, file_name, content_type, content, size_bytes)
             values ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(claim.file_name)
        .bind(claim.content_type)
        .bind(claim.content.to_vec())
        .bind(size)
        .execute(&mut *transaction)
        .await?;
        record_change(
            &mut transaction,
            actor,
            "claim.submit",
            "one_off_claim",
            id.to_string(),
            json!({
                "new": {
                    "contract_id": claim.contract.id,
                    "client_id": claim.client_id,
                    "description": claim.description,
                    "claim_date": date_text(claim.claim_date),
                    "amount": claim.amount.to_string(),
                    "vat": claim.vat.to_string(),
                    "status": ClaimStatus::Submitted.code(),
                    "evidence": {
                        "file_name": claim.file_name,
                        "content_type": claim.content_type,
                        "size_bytes": size,
                    },
                }
            }),
        )
        .await?;
        transaction.commit().await?;
        Ok(id)
    }

    /// The claims the scope reaches, newest first. `ClaimFilter::status` matches the stored
    /// status (an approved claim that was paid is still approved here).
    pub async fn claims(
        &self,
        scope: &Scope,
        filter: &ClaimFilter,
    ) -> StoreResult<Vec<ClaimRecord>> {
        let mut conditions = Vec::new();
        let mut parameters: Vec<i64> = Vec::new();
        let mut texts: Vec<&'static str> = Vec::new();
        let (scope_condition, ids) =
            scope.condition("k.organisation_id", "k.council_id", parameters.len() + 1);
        conditions.push(scope_condition);
        parameters.extend(ids);
        if let Some(contract_id) = filter.contract_id {
            parameters.push(contract_id);
            conditions.push(format!("k.contract_id = ${}", parameters.len()));
        }
        if let Some(status) = filter.status {
            texts.push(status.code());
            conditions.push(format!("k.status = ${}", parameters.len() + texts.len()));
        }
        let sql = format!(
            "{CLAIM_SELECT} where {} order by k.claim_date desc, k.id desc",
            conditions.join(" and ")
        );
        let mut query = sqlx::query_as::<_, ClaimRow>(&sql);
        for parameter in parameters {
            query = query.bind(parameter);
        }
        for text in texts {
            query = query.bind(text);
        }
        query
            .fetch_all(self.pool())
            .await?
            .into_iter()
            .map(ClaimRow::record)
            .collect()
    }

    /// One claim the scope reaches, or `None` (missing or not the caller's alike).
    pub async fn claim(&self, scope: &Scope, claim_id: i64) -> StoreResult<Option<ClaimRecord>> {
        let (condition, ids) = scope.condition("k.organisation_id", "k.council_id", 2);
        let sql = format!("{CLAIM_SELECT} where k.id = $1 and {condition}");
        let mut query = sqlx::query_as::<_, ClaimRow>(&sql).bind(claim_id);
        for id in ids {
            query = query.bind(id);
        }
        query
            .fetch_optional(self.pool())
            .await?
            .map(ClaimRow::record)
            .transpose()
    }

    /// The evidence's name, type and bytes, for a claim the scope reaches.
    pub async fn claim_evidence(
        &self,
        scope: &Scope,
        claim_id: i64,
    ) -> StoreResult<Option<(String, String, Vec<u8>)>> {
        let (condition, ids) = scope.condition("k.organisation_id", "k.council_id", 2);
        let sql = format!(
            "select e.file_name, e.content_type, e.content
             from one_off_claim_evidence e join one_off_claim k on k.id = e.claim_id
             where k.id = $1 and {condition}"
        );
        let mut query = sqlx::query_as::<_, (String, String, Vec<u8>)>(&sql).bind(claim_id);
        for id in ids {
            query = query.bind(id);
        }
        Ok(query.fetch_optional(self.pool()).await?)
    }

    /// Records the council's decision on a claim still at `expected_version`, with its audit
    /// row, in one transaction; a claim someone else changed first is refused (stale version)
    /// and nothing is written. Returns the new version.
    pub async fn decide_claim(
        &self,
        claim: &ClaimRecord,
        expected_version: i64,
        status: ClaimStatus,
        reason: &str,
        actor: &Actor,
    ) -> StoreResult<i64> {
        let mut transaction = self.pool().begin().await?;
        let now = now_text();
        let updated: Option<(i64,)> = sqlx::query_as(
            "update one_off_claim set status = $3, reason = $4, decided_at = $5, decided_by = $6,
                 version = version + 1
             where id = $1 and version = $2 returning version",
        )
        .bind(claim.id)
        .bind(expected_version)
        .bind(status.code())
        .bind(reason)
        .bind(now.as_str())
        .bind(actor.principal.person_id())
        .fetch_optional(&mut *transaction)
        .await?;
        let Some((version,)) = updated else {
            let (current,): (i64,) =
                sqlx::query_as("select version from one_off_claim where id = $1")
                    .bind(claim.id)
                    .fetch_one(&mut *transaction)
                    .await?;
            return Err(StoreError::StaleVersion {
                sent: expected_version,
                current,
            });
        };
        record_change(
            &mut transaction,
            actor,
            &format!("claim.{}", status.code()),
            "one_off_claim",
            claim.id.to_string(),
            json!({
                "old": { "status": claim.status.code(), "version": expected_version },
                "new": { "status": status.code(), "reason": reason, "version": version },
            }),
        )
        .await?;
        transaction.commit().await?;
        Ok(version)
    }

    /// The contract's approved claims that no finalised period has paid yet, oldest
    /// approval first: what the next payment period pays.
    pub async fn claims_to_pay(&self, contract_id: i64) -> StoreResult<Vec<ClaimToPay>> {
        let rows: Vec<ClaimToPayRow> = sqlx::query_as(&format!(
            "select k.id, k.client_id, k.description, k.claim_date, k.amount_pence,
                    k.vat_pence, k.decided_at
             from one_off_claim k
             where k.contract_id = $1 and k.status = 'approved' and not {IS_PAID}
             order by k.decided_at, k.id"
        ))
        .bind(contract_id)
        .fetch_all(self.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|row| ClaimToPay {
                id: row.id,
                client_id: row.client_id,
                description: row.description,
                claim_date: row.claim_date,
                amount_pence: row.amount_pence,
                vat_pence: row.vat_pence,
                // decided_at is RFC 3339 UTC; its date is the day of approval.
                approved_on: row.decided_at.chars().take(10).collect(),
            })
            .collect())
    }
}
