//! Edits of reference data under optimistic versions: a stale version is refused, nothing
//! is ever deleted (deactivated instead), and every edit is audited with its new values.

use serde_json::json;

use crate::actuals::Actor;
use crate::audit::record_change;
use crate::{Store, StoreError, StoreResult};

/// The kinds of record council staff edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editable {
    Organisation,
    Contract,
    Service,
    ServiceLevel,
    Client,
}

impl Editable {
    fn table(self) -> &'static str {
        match self {
            Editable::Organisation => "organisation",
            Editable::Contract => "contract",
            Editable::Service => "service",
            Editable::ServiceLevel => "service_level",
            Editable::Client => "client",
        }
    }

    /// The condition that keeps an edit inside one council, on parameter `$n`.
    fn in_council(self, n: usize) -> String {
        match self {
            Editable::Organisation | Editable::Contract | Editable::Client => {
                format!("council_id = ${n}")
            }
            Editable::Service | Editable::ServiceLevel => {
                format!("contract_id in (select id from contract where council_id = ${n})")
            }
        }
    }
}

/// A new value for one column. Column names come from code, never from requests.
#[derive(Debug, Clone)]
pub enum NewValue {
    Text(String),
    Number(i64),
}

/// The version-checked update inside a transaction. `Ok(None)`: no such record in the
/// council; `Err(StaleVersion)`: someone else saved first.
pub(crate) async fn apply_edit(
    connection: &mut sqlx::AnyConnection,
    kind: Editable,
    council_id: i64,
    id: i64,
    expected_version: i64,
    changes: &[(&'static str, NewValue)],
) -> StoreResult<Option<i64>> {
    let assignments: Vec<String> = changes
        .iter()
        .enumerate()
        .map(|(index, (column, _))| format!("{column} = ${}", index + 1))
        .collect();
    let n = changes.len();
    let sql = format!(
        "update {} set {}, version = version + 1 where id = ${} and version = ${} and {}",
        kind.table(),
        assignments.join(", "),
        n + 1,
        n + 2,
        kind.in_council(n + 3)
    );
    let mut query = sqlx::query(&sql);
    for (_, value) in changes {
        query = match value {
            NewValue::Text(text) => query.bind(text.clone()),
            NewValue::Number(number) => query.bind(*number),
        };
    }
    let changed = query
        .bind(id)
        .bind(expected_version)
        .bind(council_id)
        .execute(&mut *connection)
        .await?
        .rows_affected();
    if changed > 0 {
        return Ok(Some(expected_version + 1));
    }
    let current: Option<i64> = sqlx::query_scalar(&format!(
        "select version from {} where id = $1 and {}",
        kind.table(),
        kind.in_council(2)
    ))
    .bind(id)
    .bind(council_id)
    .fetch_optional(&mut *connection)
    .await?;
    match current {
        None => Ok(None),
        Some(current) => Err(StoreError::StaleVersion {
            sent: expected_version,
            current,
        }),
    }
}

fn changes_json(
    changes: &[(&'static str, NewValue)],
) -> serde_json::Map<String, serde_json::Value> {
    changes
        .iter()
        .map(|(column, value)| {
            let value = match value {
                NewValue::Text(text) => json!(text),
                NewValue::Number(number) => json!(number),
            };
            ((*column).to_owned(), value)
        })
        .collect()
}

impl Store {
    /// Sets columns of one record if `expected_version` is current; returns the new version.
    /// `None` when the council has no such record.
    pub async fn edit(
        &self,
        kind: Editable,
        council_id: i64,
        id: i64,
        expected_version: i64,
        changes: &[(&'static str, NewValue)],
        actor: &Actor,
    ) -> StoreResult<Option<i64>> {
        let mut transaction = self.pool().begin().await?;
        let Some(version) = apply_edit(
            &mut transaction,
            kind,
            council_id,
            id,
            expected_version,
            changes,
        )
        .await?
        else {
            return Ok(None);
        };
        record_change(
            &mut transaction,
            actor,
            &format!("{}.edit", kind.table()),
            kind.table(),
            id.to_string(),
            json!({ "version": version, "new": changes_json(changes) }),
        )
        .await?;
        transaction.commit().await?;
        Ok(Some(version))
    }

    /// Edits a contract's columns and its exception rules in one transaction.
    pub async fn edit_contract(
        &self,
        council_id: i64,
        id: i64,
        expected_version: i64,
        changes: &[(&'static str, NewValue)],
        settings: &portal_domain::ExceptionSettings,
        actor: &Actor,
    ) -> StoreResult<Option<i64>> {
        let mut transaction = self.pool().begin().await?;
        let Some(version) = apply_edit(
            &mut transaction,
            Editable::Contract,
            council_id,
            id,
            expected_version,
            changes,
        )
        .await?
        else {
            return Ok(None);
        };
        crate::reference::write_exception_rules(&mut transaction, id, settings).await?;
        record_change(
            &mut transaction,
            actor,
            "contract.edit",
            "contract",
            id.to_string(),
            json!({ "version": version, "new": changes_json(changes), "exception_settings": format!("{settings:?}") }),
        )
        .await?;
        transaction.commit().await?;
        Ok(Some(version))
    }
}

impl Store {
    /// A record's current version, for an editor to send back.
    pub async fn version_of(&self, kind: Editable, id: i64) -> StoreResult<i64> {
        let version: Option<i64> = sqlx::query_scalar(&format!(
            "select version from {} where id = $1",
            kind.table()
        ))
        .bind(id)
        .fetch_optional(self.pool())
        .await?;
        Ok(version.unwrap_or(0))
    }
}
