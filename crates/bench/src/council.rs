//! The synthetic council: many home-care providers, one of them with a 2,000-client service,
//! and their clients and care packages, entered through the catalogue (the one checked way
//! reference data enters the store, as the demo does), plus the people who sign in.

use std::sync::Arc;

use anyhow::Context;
use portal_domain::security_code::SecurityCode;
use portal_dto as dto;
use portal_server::auth::passwords::Hasher;
use portal_server::catalogue::{self, CouncilActor};
use portal_server::configuration::HashingCost;
use portal_server::demo::DEMO_SECURITY_CODE;
use portal_server::error::ApiError;
use portal_store::people::{NewUser, UserKind};
use portal_store::Store;
use time::Date;

use crate::api::PASSWORD;

/// How big a council to make.
#[derive(Debug, Clone, Copy)]
pub struct Scale {
    pub cplis: usize,
    pub providers: usize,
    pub big_service_clients: usize,
    pub concurrency: usize,
}

/// A CPLI as the bench needs it later (the raw-insert ceiling writes lines for it).
#[derive(Debug, Clone, Copy)]
pub struct CpliFacts {
    pub id: i64,
    pub client_id: i64,
    pub service_id: i64,
    pub service_level_id: i64,
    pub weekly_hundredths: i64,
    pub rate_pence: i64,
}

#[derive(Debug, Clone)]
pub struct Service {
    pub id: i64,
    pub clients: usize,
    pub cplis: Vec<CpliFacts>,
}

/// What was built. `services[0]` is the big one.
pub struct Council {
    pub services: Vec<Service>,
    /// A manager of every provider, who generates their weeks.
    pub operator: String,
    /// Finance at the big service's provider only, who reads and saves its weeks.
    pub big_provider_contact: String,
}

impl Council {
    pub fn cplis(&self) -> impl Iterator<Item = &CpliFacts> {
        self.services
            .iter()
            .flat_map(|service| service.cplis.iter())
    }
}

/// Every fifth client also has a double-handed line, as in the guides' worlds.
fn lines_of_client(index: usize) -> usize {
    if index % 5 == 4 {
        2
    } else {
        1
    }
}

/// Each provider's clients, as how many lines each has, so that the CPLIs add up to
/// exactly `scale.cplis`, the first provider having `big_service_clients` clients.
fn plan(scale: Scale) -> anyhow::Result<Vec<Vec<usize>>> {
    anyhow::ensure!(scale.providers >= 1, "at least one provider");
    let big: Vec<usize> = (0..scale.big_service_clients)
        .map(lines_of_client)
        .collect();
    let big_cplis: usize = big.iter().sum();
    anyhow::ensure!(
        big_cplis <= scale.cplis,
        "{} clients at the big service already have {big_cplis} CPLIs, more than --cplis {}",
        scale.big_service_clients,
        scale.cplis
    );
    let others = scale.providers - 1;
    let rest = scale.cplis - big_cplis;
    anyhow::ensure!(
        others > 0 || rest == 0,
        "one provider cannot hold {rest} CPLIs besides the big service's"
    );
    let mut providers = vec![big];
    for provider in 0..others {
        let share = rest / others + usize::from(provider < rest % others);
        let mut clients = Vec::new();
        let mut made = 0;
        while made < share {
            // A client with two lines when only one is left would overshoot: one, then.
            let lines = lines_of_client(clients.len()).min(share - made);
            clients.push(lines);
            made += lines;
        }
        providers.push(clients);
    }
    Ok(providers)
}

fn refused(what: &str, error: ApiError) -> anyhow::Error {
    match error {
        ApiError::Validation(errors) => anyhow::anyhow!("{what} refused: {errors:?}"),
        other => anyhow::anyhow!("{what} refused: {other}"),
    }
}

fn id(text: &str) -> anyhow::Result<i64> {
    text.parse().with_context(|| format!("not an id: {text}"))
}

struct Provider {
    organisation_id: i64,
    service_id: i64,
    single_handed: i64,
    double_handed: i64,
}

const SINGLE_RATE_PENCE: i64 = 2_000;
const DOUBLE_RATE_PENCE: i64 = 4_000;

async fn provider(store: &Store, council: CouncilActor<'_>, n: usize) -> anyhow::Result<Provider> {
    let organisation = catalogue::create_organisation(
        store,
        council,
        &dto::NewOrganisation {
            name: format!("Bench Care {n:03} Ltd"),
            address_line1: String::new(),
            town: "Benchshire".into(),
            postcode: String::new(),
            email: String::new(),
            phone: String::new(),
        },
    )
    .await
    .map_err(|error| refused("organisation", error))?;
    let contract = catalogue::create_contract(
        store,
        council,
        &dto::NewContract {
            organisation_id: organisation.id.clone(),
            name: format!("Bench Care {n:03} Homecare"),
            contract_type_group: "Homecare".into(),
            payment_model: "scheduled".into(),
            period_weeks: 1,
            period_anchor: "2024-04-01".into(),
            vat_rate_percent: "0".into(),
            exception_settings: Vec::new(),
            rules: dto::ContractRules::default(),
        },
    )
    .await
    .map_err(|error| refused("contract", error))?;
    let service = catalogue::create_service(
        store,
        council,
        &dto::NewService {
            contract_id: contract.id.clone(),
            name: format!("Bench Care {n:03} Home Care"),
            address_line1: String::new(),
            town: "Benchshire".into(),
            postcode: String::new(),
        },
    )
    .await
    .map_err(|error| refused("service", error))?;
    let mut levels = Vec::new();
    for (name, rate) in [
        ("Single-handed", SINGLE_RATE_PENCE),
        ("Double-handed", DOUBLE_RATE_PENCE),
    ] {
        let level = catalogue::create_service_level(
            store,
            council,
            &dto::NewServiceLevel {
                contract_id: contract.id.clone(),
                name: format!("Homecare Flexible - Benchshire - {name}"),
                unit: "hour".into(),
                pricing_kind: "per_unit".into(),
                rate: format!("{}.{:02}", rate / 100, rate % 100),
                rate_effective_from: "2024-04-01".into(),
                service_group_class: "Homecare".into(),
                cost_centre: "Homecare".into(),
                subjective: "Homecare Flexible".into(),
            },
        )
        .await
        .map_err(|error| refused("service level", error))?;
        levels.push(id(&level.id)?);
    }
    Ok(Provider {
        organisation_id: id(&organisation.id)?,
        service_id: id(&service.id)?,
        single_handed: levels[0],
        double_handed: levels[1],
    })
}

const FORENAMES: [&str; 8] = [
    "Ada", "Bernard", "Cora", "Desmond", "Edna", "Frank", "Gwen", "Harold",
];

/// One client and their lines.
async fn client(
    store: &Store,
    council_id: i64,
    provider: (usize, &Provider),
    (index, line_count): (usize, usize),
    start: Date,
) -> anyhow::Result<Vec<CpliFacts>> {
    let council = CouncilActor {
        council_id,
        actor: None,
    };
    let (n, provider) = provider;
    let client = catalogue::create_client(
        store,
        council,
        &dto::NewClient {
            ssref: format!("B{n:03}{index:06}"),
            title: "Mx".into(),
            forename: FORENAMES[index % FORENAMES.len()].into(),
            surname: format!("Client {n:03}-{index:06}"),
            external_ref: None,
        },
    )
    .await
    .map_err(|error| refused("client", error))?;
    let client_id = id(&client.id)?;
    // 1 to 14 hours a week, a visit an hour.
    let hours = i64::try_from(index % 14).unwrap_or(0) + 1;
    let mut lines = vec![(provider.single_handed, hours, SINGLE_RATE_PENCE)];
    if line_count == 2 {
        lines.push((provider.double_handed, 2, DOUBLE_RATE_PENCE));
    }
    let mut facts = Vec::new();
    for (level, hours, rate_pence) in lines {
        let cpli = catalogue::create_cpli(
            store,
            council,
            &dto::NewCpli {
                client_id: client.id.clone(),
                service_id: provider.service_id.to_string(),
                service_level_id: level.to_string(),
                start: portal_domain::calendar::iso_date(start),
                terms: dto::CpliTerms {
                    end: None,
                    weekly_quantity: Some(hours.to_string()),
                    timetable: None,
                    annual_allocation: None,
                    planned_visits: hours.to_string(),
                    budget_code: format!("BENCH-{n:03}"),
                    care_package_ref: String::new(),
                    authorised: true,
                },
                external_ref: None,
            },
        )
        .await
        .map_err(|error| refused("CPLI", error))?;
        facts.push(CpliFacts {
            id: id(&cpli.id)?,
            client_id,
            service_id: provider.service_id,
            service_level_id: level,
            weekly_hundredths: hours * 100,
            rate_pence,
        });
    }
    Ok(facts)
}

/// Builds the council: providers one by one, then their clients and CPLIs by
/// `scale.concurrency` tasks at once.
pub async fn build(store: &Store, scale: Scale, cplis_start: Date) -> anyhow::Result<Council> {
    let plan = plan(scale)?;
    let council_id = portal_server::councils::create_council(store, "Benchshire", 14).await?;
    let council = CouncilActor {
        council_id,
        actor: None,
    };
    let mut providers = Vec::new();
    for n in 0..scale.providers {
        providers.push(provider(store, council, n).await?);
    }
    let providers = Arc::new(providers);
    let jobs: Arc<Vec<(usize, usize, usize)>> = Arc::new(
        plan.iter()
            .enumerate()
            .flat_map(|(n, clients)| {
                clients
                    .iter()
                    .enumerate()
                    .map(move |(index, lines)| (n, index, *lines))
            })
            .collect(),
    );
    let workers = scale.concurrency.max(1);
    let mut tasks = tokio::task::JoinSet::new();
    for worker in 0..workers {
        let store = store.clone();
        let providers = Arc::clone(&providers);
        let jobs = Arc::clone(&jobs);
        tasks.spawn(async move {
            let mut made = Vec::new();
            for &(n, index, lines) in jobs.iter().skip(worker).step_by(workers) {
                let facts = client(
                    &store,
                    council_id,
                    (n, &providers[n]),
                    (index, lines),
                    cplis_start,
                )
                .await?;
                made.push((n, facts));
            }
            anyhow::Ok(made)
        });
    }
    let mut services: Vec<Service> = providers
        .iter()
        .zip(&plan)
        .map(|(provider, clients)| Service {
            id: provider.service_id,
            clients: clients.len(),
            cplis: Vec::new(),
        })
        .collect();
    while let Some(result) = tasks.join_next().await {
        for (n, facts) in result?? {
            services[n].cplis.extend(facts);
        }
    }
    for service in &mut services {
        service.cplis.sort_by_key(|cpli| cpli.id);
    }
    let organisations: Vec<i64> = providers.iter().map(|p| p.organisation_id).collect();
    let operator = "operator@bench.example".to_owned();
    let big_provider_contact = "finance@bench-care-000.example".to_owned();
    let hasher = Hasher::new(HashingCost::Test);
    person(
        store,
        &hasher,
        &operator,
        organisations.iter().map(|&o| (o, "manager")).collect(),
    )
    .await?;
    person(
        store,
        &hasher,
        &big_provider_contact,
        vec![(organisations[0], "finance")],
    )
    .await?;
    Ok(Council {
        services,
        operator,
        big_provider_contact,
    })
}

/// A provider contact with the bench's password and the demo's security code.
async fn person(
    store: &Store,
    hasher: &Hasher,
    email: &str,
    memberships: Vec<(i64, &str)>,
) -> anyhow::Result<()> {
    let code = SecurityCode::parse(DEMO_SECURITY_CODE, None)
        .map_err(|errors| anyhow::anyhow!("{errors:?}"))?;
    let user_id = store
        .create_user(&NewUser {
            email,
            name: email,
            kind: UserKind::Provider,
            council_id: None,
            password_hash: &hasher.hash(PASSWORD),
        })
        .await?;
    store
        .set_security_code_hashes(user_id, &hasher.security_code_hashes(&code))
        .await?;
    for (organisation_id, role) in memberships {
        store.add_membership(user_id, organisation_id, role).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cplis_add_up_to_the_scale_asked_for() {
        let scale = Scale {
            cplis: 10_000,
            providers: 40,
            big_service_clients: 2_000,
            concurrency: 1,
        };
        let plan = plan(scale).unwrap();
        assert_eq!(plan.len(), 40);
        assert_eq!(plan[0].len(), 2_000);
        assert_eq!(plan.iter().flatten().sum::<usize>(), 10_000);
    }

    #[test]
    fn a_big_service_larger_than_the_council_is_refused() {
        let scale = Scale {
            cplis: 100,
            providers: 2,
            big_service_clients: 2_000,
            concurrency: 1,
        };
        assert!(plan(scale).is_err());
    }
}
