//! Batches from a council's systems: clients and CPLIs upserted by the sender's own
//! references, each line answered on its own. A changed CPLI becomes a new version; history
//! is never edited. The rules are the catalogue's, as for council staff.

use portal_dto as dto;
use portal_dto::FieldError;
use portal_store::reference::ClientRecord;
use portal_store::{Scope, Store};

use crate::catalogue::{self, Checks, CouncilActor};
use crate::error::ApiError;

fn accepted(line: usize, outcome: &str, id: String) -> dto::BatchLineResult {
    dto::BatchLineResult {
        line,
        status: "accepted".into(),
        outcome: Some(outcome.into()),
        id: Some(id),
        errors: Vec::new(),
    }
}

/// A refused line keeps its errors; anything but a validation failure fails the batch.
fn rejected(line: usize, error: ApiError) -> Result<dto::BatchLineResult, ApiError> {
    match error {
        ApiError::Validation(errors) => Ok(dto::BatchLineResult {
            line,
            status: "rejected".into(),
            outcome: None,
            id: None,
            errors,
        }),
        ApiError::NotFound(what) => Ok(dto::BatchLineResult {
            line,
            status: "rejected".into(),
            outcome: None,
            id: None,
            errors: vec![FieldError {
                field: "id".into(),
                message: format!("no such {what} of this council"),
            }],
        }),
        ApiError::Conflict(message) => Ok(dto::BatchLineResult {
            line,
            status: "rejected".into(),
            outcome: None,
            id: None,
            errors: vec![FieldError {
                field: "external_ref".into(),
                message,
            }],
        }),
        other => Err(other),
    }
}

async fn upsert_client(
    store: &Store,
    council: CouncilActor<'_>,
    input: &dto::IntegrationClient,
) -> Result<(String, String), ApiError> {
    let mut checks = Checks::default();
    let external_ref = checks.text("external_ref", &input.external_ref, true, 100);
    checks.finish()?;
    let existing: Option<ClientRecord> = store
        .client_by_external_ref(council.council_id, &external_ref)
        .await?;
    let Some(client) = existing else {
        let created = catalogue::create_client(
            store,
            council,
            &dto::NewClient {
                ssref: input.ssref.clone(),
                title: input.title.clone(),
                forename: input.forename.clone(),
                surname: input.surname.clone(),
                external_ref: Some(external_ref),
            },
        )
        .await?;
        return Ok(("created".into(), created.id));
    };
    let mut checks = Checks::default();
    let ssref = checks.text("ssref", &input.ssref, true, 30);
    let title = checks.text("title", &input.title, false, 20);
    let forename = checks.text("forename", &input.forename, true, 100);
    let surname = checks.text("surname", &input.surname, true, 100);
    if ssref != client.ssref && store.ssref_taken(council.council_id, &ssref).await? {
        checks.bad("ssref", "is already another client's SSRef");
    }
    checks.finish()?;
    let actor = council
        .actor
        .ok_or_else(|| anyhow::anyhow!("an update needs a person or tool to record"))?;
    let changed = store
        .update_client_names(client.id, &ssref, &title, &forename, &surname, actor)
        .await?;
    Ok((
        if changed { "updated" } else { "unchanged" }.into(),
        client.id.to_string(),
    ))
}

async fn upsert_cpli(
    store: &Store,
    council: CouncilActor<'_>,
    input: &dto::IntegrationCpli,
) -> Result<(String, String), ApiError> {
    let mut checks = Checks::default();
    let external_ref = checks.text("external_ref", &input.external_ref, true, 100);
    let service_id = checks.id("service_id", &input.service_id);
    let client = store
        .client_by_external_ref(council.council_id, input.client_external_ref.trim())
        .await?;
    if client.is_none() {
        checks.bad(
            "client_external_ref",
            "is not a client this council's systems have sent",
        );
    }
    checks.finish()?;
    let (Some(service_id), Some(client)) = (service_id, client) else {
        return Err(ApiError::Unexpected(anyhow::anyhow!(
            "a checked field was missing"
        )));
    };
    let scope = Scope::Council(council.council_id);
    let Some(lineage) = store
        .cpli_lineage_by_external_ref(service_id, &external_ref)
        .await?
    else {
        let created = catalogue::create_cpli(
            store,
            council,
            &dto::NewCpli {
                client_id: client.id.to_string(),
                service_id: service_id.to_string(),
                service_level_id: input.service_level_id.clone(),
                start: input.start.clone(),
                terms: input.terms.clone(),
                external_ref: Some(external_ref),
            },
        )
        .await?;
        return Ok(("created".into(), created.id));
    };
    let versions = store.cpli_versions(&scope, lineage).await?;
    let latest = versions
        .last()
        .ok_or(ApiError::NotFound("care package line item"))?;
    if latest.record.service_level.id.to_string() != input.service_level_id.trim()
        || latest.record.client.id != client.id
    {
        return Err(ApiError::Validation(vec![FieldError {
            field: "service_level_id".into(),
            message: "a CPLI keeps its client and service level: end it and send a new one".into(),
        }]));
    }
    let mut checks = Checks::default();
    let start = checks.date("start", &input.start);
    let proposed = catalogue::parse_terms(
        &mut checks,
        start.map(|_| latest.record.cpli.start),
        &input.terms,
        latest.record.service_level.pricing_kind,
    );
    checks.finish()?;
    let unchanged = proposed.as_ref().is_some_and(|proposed| {
        proposed.plan == latest.record.cpli.plan
            && proposed.planned_visits == latest.record.cpli.planned_visits
            && proposed.end == latest.record.cpli.end
            && input.terms.authorised == latest.authorised
    });
    if unchanged {
        return Ok(("unchanged".into(), lineage.to_string()));
    }
    let Some(effective_from) = input.effective_from.clone() else {
        return Err(ApiError::Validation(vec![FieldError {
            field: "effective_from".into(),
            message: "is required for a changed CPLI: the first day of its new version".into(),
        }]));
    };
    catalogue::add_cpli_version(
        store,
        council,
        lineage,
        &dto::NewCpliVersion {
            effective_from,
            latest_version_seen: latest.record.version_number,
            terms: input.terms.clone(),
        },
    )
    .await?;
    Ok(("new_version".into(), lineage.to_string()))
}

/// Applies a batch line by line: clients first, so CPLIs can name them.
pub async fn apply(
    store: &Store,
    council: CouncilActor<'_>,
    batch: &dto::IntegrationBatch,
) -> Result<dto::IntegrationBatchResult, ApiError> {
    let mut clients = Vec::with_capacity(batch.clients.len());
    for (line, input) in batch.clients.iter().enumerate() {
        clients.push(match upsert_client(store, council, input).await {
            Ok((outcome, id)) => accepted(line, &outcome, id),
            Err(error) => rejected(line, error)?,
        });
    }
    let mut cplis = Vec::with_capacity(batch.cplis.len());
    for (line, input) in batch.cplis.iter().enumerate() {
        cplis.push(match upsert_cpli(store, council, input).await {
            Ok((outcome, id)) => accepted(line, &outcome, id),
            Err(error) => rejected(line, error)?,
        });
    }
    Ok(dto::IntegrationBatchResult { clients, cplis })
}
