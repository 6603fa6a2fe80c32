//! The guides' world (seeds 000, 002, 003 and DOMAIN 16), loaded by `--demo`: Ally Pally Ltd
//! in Bradford, Diamond Home Care in Stockport and Day Opportunities PP Home in Bedford, with
//! their clients, care packages and rates, one login per organisation and one council login.
//! Loading twice changes nothing.

use portal_domain::security_code::SecurityCode;
use portal_dto as dto;
use portal_store::people::{NewUser, UserKind};
use portal_store::Store;

use crate::catalogue::{self, CouncilActor};
use crate::error::ApiError;

use crate::auth::passwords::Hasher;

/// The demo's shared password and security code. Demo data only: never a real account's.
pub const DEMO_PASSWORD: &str = "portal-demo-2022";
pub const DEMO_SECURITY_CODE: &str = "240613";

/// One demo login, for the start-up banner.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub who: &'static str,
    pub email: &'static str,
}

pub const LOGINS: [DemoLogin; 5] = [
    DemoLogin {
        who: "Ally Pally Ltd (Bradford homecare, weekly)",
        email: "contact@allypally.example",
    },
    DemoLogin {
        who: "Diamond Home Care (Stockport, fortnightly)",
        email: "greg.finance@diamondhomecare.example",
    },
    DemoLogin {
        who: "Day Opportunities PP Home (Bedford, timetabled)",
        email: "michaela.george@dayopspphome.example",
    },
    DemoLogin {
        who: "Bradford Council staff",
        email: "trevor.bland@bradford.example",
    },
    DemoLogin {
        who: "Ally Pally and Diamond Home Care (manager of both)",
        email: "pat.morgan@carecollective.example",
    },
];

pub fn print_logins(logins: &[DemoLogin]) {
    println!("Demo logins (password {DEMO_PASSWORD}, security code {DEMO_SECURITY_CODE}):");
    for login in logins {
        println!("  {:<52} {}", login.who, login.email);
    }
}

struct Person<'a> {
    email: &'a str,
    name: &'a str,
    kind: UserKind,
    council_id: Option<i64>,
    /// The organisations a provider contact acts for, with the role in each.
    memberships: Vec<(i64, &'a str)>,
}

async fn create_person(store: &Store, hasher: &Hasher, person: Person<'_>) -> anyhow::Result<()> {
    let code = SecurityCode::parse(DEMO_SECURITY_CODE, None)
        .map_err(|errors| anyhow::anyhow!("{errors:?}"))?;
    let hasher = hasher.clone();
    let (password_hash, code_hashes) = actix_web::web::block(move || {
        (
            hasher.hash(DEMO_PASSWORD),
            hasher.security_code_hashes(&code),
        )
    })
    .await?;
    let user_id = store
        .create_user(&NewUser {
            email: person.email,
            name: person.name,
            kind: person.kind,
            council_id: person.council_id,
            password_hash: &password_hash,
        })
        .await?;
    store
        .set_security_code_hashes(user_id, &code_hashes)
        .await?;
    for (organisation_id, role) in person.memberships {
        store.add_membership(user_id, organisation_id, role).await?;
    }
    Ok(())
}

/// Loads the world unless it is there already; returns the logins.
pub async fn load(store: &Store, hasher: &Hasher) -> anyhow::Result<Vec<DemoLogin>> {
    if store.council_named("Bradford").await?.is_none() {
        let ally_pally = load_bradford(store, hasher).await?;
        let diamond = load_stockport(store, hasher).await?;
        load_bedford(store, hasher).await?;
        // One person acting for two organisations, who switches between them.
        create_person(
            store,
            hasher,
            Person {
                email: LOGINS[4].email,
                name: "Pat Morgan",
                kind: UserKind::Provider,
                council_id: None,
                memberships: vec![(ally_pally, "manager"), (diamond, "manager")],
            },
        )
        .await?;
        load_change_requests(store, ally_pally).await?;
        tracing::info!("demo data loaded");
    }
    Ok(LOGINS.to_vec())
}

/// Loads one organisation's world through the catalogue, as council staff would.
struct World<'a> {
    store: &'a Store,
    council: CouncilActor<'a>,
}

impl World<'_> {
    async fn organisation(
        &self,
        name: &str,
        address_line1: &str,
        town: &str,
        postcode: &str,
        email: &str,
        phone: &str,
    ) -> anyhow::Result<String> {
        let input = dto::NewOrganisation {
            name: name.into(),
            address_line1: address_line1.into(),
            town: town.into(),
            postcode: postcode.into(),
            email: email.into(),
            phone: phone.into(),
        };
        Ok(
            catalogue::create_organisation(self.store, self.council, &input)
                .await
                .map_err(demo_error)?
                .id,
        )
    }

    async fn contract(&self, input: dto::NewContract) -> anyhow::Result<String> {
        Ok(catalogue::create_contract(self.store, self.council, &input)
            .await
            .map_err(demo_error)?
            .id)
    }

    async fn service(
        &self,
        contract_id: &str,
        name: &str,
        address_line1: &str,
        town: &str,
        postcode: &str,
    ) -> anyhow::Result<String> {
        let input = dto::NewService {
            contract_id: contract_id.into(),
            name: name.into(),
            address_line1: address_line1.into(),
            town: town.into(),
            postcode: postcode.into(),
        };
        Ok(catalogue::create_service(self.store, self.council, &input)
            .await
            .map_err(demo_error)?
            .id)
    }

    async fn level(
        &self,
        contract_id: &str,
        name: &str,
        unit: &str,
        pricing_kind: &str,
        rate: &str,
        (class, cost_centre, subjective): (&str, &str, &str),
    ) -> anyhow::Result<String> {
        let input = dto::NewServiceLevel {
            contract_id: contract_id.into(),
            name: name.into(),
            unit: unit.into(),
            pricing_kind: pricing_kind.into(),
            rate: rate.into(),
            rate_effective_from: "2019-04-01".into(),
            service_group_class: class.into(),
            cost_centre: cost_centre.into(),
            subjective: subjective.into(),
        };
        Ok(
            catalogue::create_service_level(self.store, self.council, &input)
                .await
                .map_err(demo_error)?
                .id,
        )
    }

    async fn client(
        &self,
        ssref: &str,
        title: &str,
        forename: &str,
        surname: &str,
    ) -> anyhow::Result<String> {
        let input = dto::NewClient {
            ssref: ssref.into(),
            title: title.into(),
            forename: forename.into(),
            surname: surname.into(),
            external_ref: None,
        };
        Ok(catalogue::create_client(self.store, self.council, &input)
            .await
            .map_err(demo_error)?
            .id)
    }

    async fn cpli(
        &self,
        client_id: &str,
        service_id: &str,
        level_id: &str,
        start: &str,
        terms: dto::CpliTerms,
    ) -> anyhow::Result<()> {
        let input = dto::NewCpli {
            client_id: client_id.into(),
            service_id: service_id.into(),
            service_level_id: level_id.into(),
            start: start.into(),
            terms,
            external_ref: None,
        };
        catalogue::create_cpli(self.store, self.council, &input)
            .await
            .map_err(demo_error)?;
        Ok(())
    }
}

fn demo_error(error: ApiError) -> anyhow::Error {
    match error {
        ApiError::Validation(errors) => anyhow::anyhow!("demo data refused: {errors:?}"),
        other => anyhow::anyhow!("demo data refused: {other}"),
    }
}

fn weekly(hours: &str, visits: &str, budget_code: &str) -> dto::CpliTerms {
    dto::CpliTerms {
        end: None,
        weekly_quantity: Some(hours.into()),
        timetable: None,
        annual_allocation: None,
        planned_visits: visits.into(),
        budget_code: budget_code.into(),
        care_package_ref: String::new(),
        authorised: true,
    }
}

fn homecare_contract(
    organisation_id: &str,
    name: &str,
    period_weeks: i64,
    anchor: &str,
) -> dto::NewContract {
    dto::NewContract {
        organisation_id: organisation_id.into(),
        name: name.into(),
        contract_type_group: "Homecare".into(),
        payment_model: "scheduled".into(),
        period_weeks,
        period_anchor: anchor.into(),
        vat_rate_percent: "0".into(),
        exception_settings: Vec::new(),
        rules: dto::ContractRules::default(),
    }
}

/// Returns Ally Pally's id.
async fn load_bradford(store: &Store, hasher: &Hasher) -> anyhow::Result<i64> {
    let council = crate::councils::create_council(store, "Bradford", 14).await?;
    let world = World {
        store,
        council: CouncilActor {
            council_id: council,
            actor: None,
        },
    };
    let organisation = world
        .organisation("Ally Pally Ltd", "", "Bradford", "", "", "")
        .await?;
    let contract = world
        .contract(homecare_contract(
            &organisation,
            "Ally Pally Care",
            1,
            "2021-04-05",
        ))
        .await?;
    let service = world
        .service(&contract, "Ally Pally Home Care", "", "Bradford", "")
        .await?;
    let reporting = ("Homecare", "Homecare", "Homecare Flexible");
    let single = world
        .level(
            &contract,
            "Homecare Flexible - Bradford - Single-handed",
            "hour",
            "per_unit",
            "20.00",
            reporting,
        )
        .await?;
    let double = world
        .level(
            &contract,
            "Homecare Flexible - Bradford - Double-handed",
            "hour",
            "per_unit",
            "40.00",
            reporting,
        )
        .await?;
    // SSRefs, titles, start dates and hours from seed 000's Care Package Line Items; Eric
    // Bristow's double-handed hour from its week of 06/06/2022 (DOMAIN E5/E6).
    let clients = [
        (
            "96836000",
            "Mr",
            "Eric",
            "Bristow",
            vec![
                (&single, "7", "2021-04-05", "RGVQ-5840"),
                (&double, "1", "2021-04-05", "RGVQ-5840"),
            ],
        ),
        (
            "ab836000",
            "Miss",
            "Fallon",
            "Sherrock",
            vec![(&single, "2", "2022-03-14", "RGVW-5840")],
        ),
        (
            "8c846000",
            "Mr",
            "Sid",
            "Waddell",
            vec![(&single, "1", "2021-04-05", "")],
        ),
        (
            "c9836000",
            "Mr",
            "Jocky",
            "Wilson",
            vec![(&double, "14", "2021-04-05", "")],
        ),
        (
            "e0946000",
            "Mr",
            "Peter",
            "Wright",
            vec![(&single, "1", "2021-07-12", "")],
        ),
    ];
    for (ssref, title, forename, surname, cplis) in clients {
        let client = world.client(ssref, title, forename, surname).await?;
        for (level, hours, start, budget_code) in cplis {
            world
                .cpli(
                    &client,
                    &service,
                    level,
                    start,
                    weekly(hours, hours, budget_code),
                )
                .await?;
        }
    }
    let organisation: i64 = organisation.parse()?;
    create_person(
        store,
        hasher,
        Person {
            email: LOGINS[0].email,
            name: "Jo Hunter",
            kind: UserKind::Provider,
            council_id: None,
            memberships: vec![(organisation, "finance")],
        },
    )
    .await?;
    create_person(
        store,
        hasher,
        Person {
            email: LOGINS[3].email,
            name: "Trevor Bland",
            kind: UserKind::Council,
            council_id: Some(council),
            memberships: Vec::new(),
        },
    )
    .await?;
    publish_contract_document(store, council, organisation, &service).await?;
    Ok(organisation)
}

/// Returns Diamond Home Care's id.
async fn load_stockport(store: &Store, hasher: &Hasher) -> anyhow::Result<i64> {
    let council = crate::councils::create_council(store, "Stockport", 14).await?;
    let world = World {
        store,
        council: CouncilActor {
            council_id: council,
            actor: None,
        },
    };
    let organisation = world
        .organisation(
            "Diamond Home Care",
            "24 Acacia Drive, Heaton Norris",
            "Stockport",
            "SK9 9AA",
            "info@diamondhomecare.example",
            "01612479999",
        )
        .await?;
    let contract = world
        .contract(homecare_contract(
            &organisation,
            "Diamond Home Care",
            2,
            "2019-06-24",
        ))
        .await?;
    let marple = world
        .service(
            &contract,
            "Diamond Home Care - Marple",
            "21 High Street, Marple",
            "Stockport",
            "SK9 9NQ",
        )
        .await?;
    let tame_valley = world
        .service(
            &contract,
            "Diamond Home Care - Tame Valley",
            "",
            "Stockport",
            "",
        )
        .await?;
    let reporting = ("Homecare", "Home Care", "Home Care");
    let single = world
        .level(
            &contract,
            "Home Care - Single Assist Fixed Rate",
            "hour",
            "per_unit",
            "16.16",
            reporting,
        )
        .await?;
    let double = world
        .level(
            &contract,
            "Home Care - Double Assist Fixed Rate",
            "hour",
            "per_unit",
            "16.16",
            reporting,
        )
        .await?;
    let clients = [
        (
            "MG123",
            "Miss",
            "Monica",
            "Geller",
            vec![(&marple, &single, "14", "14", "2019-06-24")],
        ),
        (
            "PB123",
            "Miss",
            "Phoebe",
            "Buffay",
            vec![(&tame_valley, &single, "3.5", "3", "2019-07-08")],
        ),
        (
            "JT123",
            "Mr",
            "Joey",
            "Tribbiani",
            vec![
                (&marple, &double, "3.5", "3", "2019-06-24"),
                (&marple, &single, "3.5", "3", "2019-06-24"),
            ],
        ),
    ];
    for (ssref, title, forename, surname, cplis) in clients {
        let client = world.client(ssref, title, forename, surname).await?;
        for (service, level, hours, visits, start) in cplis {
            world
                .cpli(&client, service, level, start, weekly(hours, visits, ""))
                .await?;
        }
    }
    let organisation: i64 = organisation.parse()?;
    create_person(
        store,
        hasher,
        Person {
            email: LOGINS[1].email,
            name: "Mr Greg Finance",
            kind: UserKind::Provider,
            council_id: None,
            memberships: vec![(organisation, "finance")],
        },
    )
    .await?;
    Ok(organisation)
}

async fn load_bedford(store: &Store, hasher: &Hasher) -> anyhow::Result<()> {
    let council = crate::councils::create_council(store, "Bedford", 14).await?;
    let world = World {
        store,
        council: CouncilActor {
            council_id: council,
            actor: None,
        },
    };
    let organisation = world
        .organisation(
            "Day Opportunities PP Home",
            "1 Skylander Road",
            "Bedford",
            "",
            "",
            "",
        )
        .await?;
    let contract = world
        .contract(dto::NewContract {
            organisation_id: organisation.clone(),
            name: "Day Opportunities PP Home".into(),
            contract_type_group: "Day Opportunities".into(),
            payment_model: "invoiced".into(),
            period_weeks: 4,
            period_anchor: "2022-03-28".into(),
            vat_rate_percent: "20".into(),
            exception_settings: Vec::new(),
            rules: dto::ContractRules::default(),
        })
        .await?;
    let service = world
        .service(
            &contract,
            "Day Opportunities PP Home",
            "1 Skylander Road",
            "Bedford",
            "",
        )
        .await?;
    let level = world
        .level(
            &contract,
            "Day Opportunities - Scheduled",
            "session",
            "timetabled",
            "214.46",
            ("Day Opportunities", "Physical Support 65+", "Day Care"),
        )
        .await?;
    let client = world.client("A1", "Mrs", "Iris", "Angelo").await?;
    let row = |days: &[&str]| dto::TimetableRowInput {
        days: days.iter().map(|day| (*day).to_owned()).collect(),
        quantity: "1".into(),
    };
    let terms = dto::CpliTerms {
        end: None,
        weekly_quantity: None,
        timetable: Some(vec![row(&["mon", "wed", "fri"]), row(&["tue", "thu"])]),
        annual_allocation: None,
        planned_visits: "5".into(),
        budget_code: String::new(),
        care_package_ref: String::new(),
        authorised: true,
    };
    world
        .cpli(&client, &service, &level, "2022-03-28", terms)
        .await?;
    let organisation: i64 = organisation.parse()?;
    create_person(
        store,
        hasher,
        Person {
            email: LOGINS[2].email,
            name: "Michaela George",
            kind: UserKind::Provider,
            council_id: None,
            memberships: vec![(organisation, "finance")],
        },
    )
    .await?;
    Ok(())
}

/// One contract document (DOMAIN 11) published by Trevor Bland for Ally Pally Home Care and
/// awaiting the provider's agreement, so the Contract documents pages are not empty. A real
/// PDF, written as the portal writes its other documents.
async fn publish_contract_document(
    store: &Store,
    council_id: i64,
    organisation_id: i64,
    service_id: &str,
) -> anyhow::Result<()> {
    use sha2::Digest;

    let publisher = store
        .user_by_email(LOGINS[3].email)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo's council login is missing"))?;
    let mut pdf = crate::pdf::Document::new();
    pdf.heading(16.0, "Provider contract: Ally Pally Home Care 2022/2023");
    pdf.paragraph(
        "Bradford Council commissions home care from Ally Pally Ltd at Ally Pally Home Care \
         from 01/04/2022 to 31/03/2023, on the terms of the council's home care framework.",
    );
    pdf.paragraph("Demo data only: this is not a real contract.");
    let content = pdf.finish();
    let sha256 = format!("{:x}", sha2::Sha256::digest(&content));
    let day = |iso: &str| {
        portal_domain::calendar::parse_iso_date(iso)
            .map_err(|_| anyhow::anyhow!("the demo document's date {iso}"))
    };
    store
        .publish_document(
            &portal_store::contract_documents::NewDocument {
                council_id,
                organisation_id,
                service_id: service_id.parse()?,
                client_id: None,
                document_type: "Provider Contract",
                title: "Home care contract 2022/2023",
                starts_on: day("2022-04-01")?,
                ends_on: Some(day("2023-03-31")?),
                file_name: "ally-pally-home-care-contract-2022-2023.pdf",
                content: &content,
                sha256: &sha256,
            },
            &portal_store::actuals::Actor {
                principal: portal_store::actuals::Principal::Person(publisher.id),
                source_ip: None,
            },
        )
        .await?;
    Ok(())
}

/// Two change requests (DOMAIN 10) of Ally Pally's, so the Change requests list is not
/// empty: Pat Morgan's new email address for the organisation, Pending Review, and a role
/// change for Ally Pally's contact that Trevor Bland rejected with the guides' reason.
async fn load_change_requests(store: &Store, ally_pally: i64) -> anyhow::Result<()> {
    use portal_domain::change_request::{diff, ChangeKind};
    use portal_store::actuals::{Actor, Principal};
    use portal_store::change_requests::NewChangeRequest;

    let person = |email: &'static str| async move {
        store
            .user_by_email(email)
            .await?
            .ok_or_else(|| anyhow::anyhow!("the demo login {email} is missing"))
    };
    let actor = |id: i64| Actor {
        principal: Principal::Person(id),
        source_ip: None,
    };
    let (contact, council_staff, pat) = (
        person(LOGINS[0].email).await?,
        person(LOGINS[3].email).await?,
        person(LOGINS[4].email).await?,
    );
    let council_id = council_staff
        .council_id
        .ok_or_else(|| anyhow::anyhow!("the demo's council login has no council"))?;
    let organisation = store
        .organisation_in_council(council_id, ally_pally)
        .await?
        .ok_or_else(|| anyhow::anyhow!("Ally Pally is missing"))?;
    let triples = |changes: Vec<portal_domain::change_request::FieldChange>| {
        changes
            .into_iter()
            .map(|change| (change.field, change.old, change.new))
            .collect::<Vec<_>>()
    };
    let email = triples(diff(
        ChangeKind::UpdateOrganisation,
        &[("email", organisation.email.clone())],
        &[("email", "office@allypally.example".to_owned())],
    )?);
    store
        .create_change_request(
            &NewChangeRequest {
                council_id,
                organisation_id: ally_pally,
                kind: ChangeKind::UpdateOrganisation,
                target_id: Some(ally_pally),
                entity_name: &organisation.name,
                changes: &email,
            },
            &actor(pat.id),
        )
        .await?;
    let role = triples(diff(
        ChangeKind::AddRole,
        &[("role", "finance".to_owned())],
        &[("role", "manager".to_owned())],
    )?);
    let id = store
        .create_change_request(
            &NewChangeRequest {
                council_id,
                organisation_id: ally_pally,
                kind: ChangeKind::AddRole,
                target_id: Some(contact.id),
                entity_name: &contact.name,
                changes: &role,
            },
            &actor(pat.id),
        )
        .await?;
    let request = store
        .change_request(&portal_store::Scope::Council(council_id), id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo's change request is missing"))?;
    store
        .reject_change_request(
            &request,
            request.version,
            "Other: More detail required",
            &actor(council_staff.id),
        )
        .await?;
    Ok(())
}
