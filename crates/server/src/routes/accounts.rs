//! Accounts, for council staff (DOMAIN 14): create provider contacts and council staff,
//! list them with their lock state, and unlock them.

use actix_web::{get, post, web, HttpResponse};
use portal_dto::{Account, AccountCreated, NewAccount, OrganisationMembership, Page, Problem};
use portal_store::people::{MembershipRecord, NewAccount as StoreAccount, UserKind, UserRecord};
use portal_store::Store;
use rand::distributions::{Alphanumeric, DistString};
use time::format_description::well_known::Rfc3339;

use crate::auth::passwords::Hasher;
use crate::auth::Caller;
use crate::catalogue::Checks;
use crate::clock::Clock;
use crate::error::ApiError;
use crate::json::ValidJson;
use crate::routes::parse_id;
use crate::routes::problems::{Invalid, NotCouncilStaff, NotSignedIn};

const ROLES: [&str; 3] = ["finance", "manager", "administration"];

pub fn configure(config: &mut utoipa_actix_web::service_config::ServiceConfig) {
    config
        .service(list_accounts)
        .service(create_account)
        .service(unlock_account);
}

fn account(user: &UserRecord, memberships: Vec<MembershipRecord>) -> Account {
    Account {
        id: user.id.to_string(),
        kind: user.kind.code().to_owned(),
        email: user.email.clone(),
        name: user.name.clone(),
        phone: user.phone.clone(),
        job_title: user.job_title.clone(),
        team: user.team.clone(),
        memberships: memberships
            .into_iter()
            .map(|membership| OrganisationMembership {
                id: membership.organisation_id.to_string(),
                name: membership.organisation_name,
                role: membership.role,
            })
            .collect(),
        is_locked: user.is_locked,
        locked_reason: user.locked_reason.clone(),
        last_sign_in_at: user.last_sign_in_at.and_then(|at| at.format(&Rfc3339).ok()),
        awaiting_first_sign_in: user.needs_set_up(),
        version: user.version,
    }
}

async fn accounts_of(store: &Store, council_id: i64) -> Result<Vec<Account>, ApiError> {
    let memberships = store.memberships_in_council(council_id).await?;
    Ok(store
        .accounts_of_council(council_id)
        .await?
        .iter()
        .map(|user| {
            let own = memberships
                .iter()
                .filter(|(user_id, _)| *user_id == user.id)
                .map(|(_, membership)| membership.clone())
                .collect();
            account(user, own)
        })
        .collect())
}

/// The council's accounts: its staff and its providers' contacts, with who is locked.
#[utoipa::path(
    tag = "accounts", operation_id = "list_accounts",
    responses(
        (status = 200, description = "Every account of the council, by name", body = Page<Account>),
        NotSignedIn,
        NotCouncilStaff,
    )
)]
#[get("/accounts")]
pub async fn list_accounts(
    caller: Caller,
    store: web::Data<Store>,
) -> Result<web::Json<Page<Account>>, ApiError> {
    let council_id = caller.council_staff_of()?;
    Ok(web::Json(Page {
        items: accounts_of(&store, council_id).await?,
        next_cursor: None,
    }))
}

/// Creates an account with a one-time password, shown in this answer only. At first
/// sign-in the person replaces it and chooses a security code.
#[utoipa::path(
    tag = "accounts", operation_id = "create_account", request_body = NewAccount,
    responses(
        (status = 201, description = "Created; pass the one-time password on securely", body = AccountCreated),
        NotSignedIn,
        NotCouncilStaff,
        Invalid,
    )
)]
#[post("/accounts")]
pub async fn create_account(
    caller: Caller,
    store: web::Data<Store>,
    hasher: web::Data<Hasher>,
    body: ValidJson<NewAccount>,
) -> Result<HttpResponse, ApiError> {
    let council_id = caller.council_staff_of()?;
    let new = body.0;
    let mut checks = Checks::default();
    let email = checks.text("email", &new.email, true, 254);
    if !email.is_empty() && !looks_like_email(&email) {
        checks.bad("email", "must be an email address, like name@example.org");
    }
    let name = checks.text("name", &new.name, true, 200);
    let phone = checks.text("phone", &new.phone, false, 50);
    let job_title = checks.text("job_title", &new.job_title, false, 100);
    let team = checks.text("team", &new.team, false, 100);
    let kind = match new.kind.as_str() {
        "provider" => Some(UserKind::Provider),
        "council" => Some(UserKind::Council),
        _ => {
            checks.bad("kind", "must be provider or council");
            None
        }
    };
    let mut memberships = Vec::new();
    if kind == Some(UserKind::Provider) && new.memberships.is_empty() {
        checks.bad("memberships", "must name at least one organisation");
    }
    if kind == Some(UserKind::Council) && !new.memberships.is_empty() {
        checks.bad(
            "memberships",
            "council staff act for the council, not for organisations",
        );
    }
    for (index, membership) in new.memberships.iter().enumerate() {
        let organisation = match membership.organisation_id.trim().parse::<i64>() {
            Ok(id)
                if store
                    .organisation_in_council(council_id, id)
                    .await?
                    .is_some() =>
            {
                Some(id)
            }
            _ => {
                checks.bad(
                    &format!("memberships[{index}].organisation_id"),
                    "must be one of the council's organisations",
                );
                None
            }
        };
        if !ROLES.contains(&membership.role.as_str()) {
            checks.bad(
                &format!("memberships[{index}].role"),
                "must be finance, manager or administration",
            );
        }
        if let Some(organisation) = organisation {
            if memberships.iter().any(|(id, _)| *id == organisation) {
                checks.bad(
                    &format!("memberships[{index}].organisation_id"),
                    "is named twice",
                );
            }
            memberships.push((organisation, membership.role.clone()));
        }
    }
    checks.finish()?;
    let kind = kind.ok_or_else(|| anyhow::anyhow!("kind was checked"))?;
    let temporary_password = Alphanumeric.sample_string(&mut rand::rngs::OsRng, 20);
    let (hasher, secret) = (hasher.clone(), temporary_password.clone());
    let hash = web::block(move || hasher.hash(&secret))
        .await
        .map_err(anyhow::Error::from)?;
    let actor = caller.actor();
    let council = (kind == UserKind::Council).then_some(council_id);
    let id = store
        .create_account(
            &StoreAccount {
                email: &email,
                name: &name,
                kind,
                council_id: council,
                phone: &phone,
                job_title: &job_title,
                team: &team,
                memberships: &memberships,
                temporary_password_hash: &hash,
            },
            &actor,
        )
        .await?
        .ok_or_else(|| ApiError::invalid("email", "already has an account"))?;
    let user = store
        .user(id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the new account vanished"))?;
    let memberships = store.memberships(id).await?;
    Ok(HttpResponse::Created().json(AccountCreated {
        account: account(&user, memberships),
        temporary_password,
    }))
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Unlocks an account locked by failures, by 90 days unused, or by the council. The
/// failure count starts again, and the 90 days run from now.
#[utoipa::path(
    tag = "accounts", operation_id = "unlock_account",
    params(("account_id" = String, Path, description = "The account")),
    responses(
        (status = 200, description = "Unlocked (or was not locked)", body = Account),
        NotSignedIn,
        NotCouncilStaff,
        (status = 404, description = "No such account of this council", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/accounts/{account_id}/unlock")]
pub async fn unlock_account(
    caller: Caller,
    store: web::Data<Store>,
    clock: web::Data<Clock>,
    path: web::Path<String>,
) -> Result<web::Json<Account>, ApiError> {
    let council_id = caller.council_staff_of()?;
    let id = parse_id(&path, "account")?;
    if !store
        .accounts_of_council(council_id)
        .await?
        .iter()
        .any(|user| user.id == id)
    {
        return Err(ApiError::NotFound("account"));
    }
    store
        .unlock_account(id, clock.now(), &caller.actor())
        .await?;
    accounts_of(&store, council_id)
        .await?
        .into_iter()
        .find(|account| account.id == id.to_string())
        .map(web::Json)
        .ok_or(ApiError::NotFound("account"))
}
