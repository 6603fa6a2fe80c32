//! The guides' world (seeds 000, 002, 003 and DOMAIN 16), loaded by `--demo`: Ally Pally Ltd
//! in Bradford, Diamond Home Care in Stockport and Day Opportunities PP Home in Bedford, with
//! their clients, care packages and rates, one login per organisation and one council login.
//! Loading twice changes nothing.

use portal_domain::cpli::{Cpli, CpliPlan, Timetable, TimetableRow, Weekdays};
use portal_domain::security_code::SecurityCode;
use portal_domain::{ExceptionSettings, Money, PricingKind, Quantity, Unit};
use portal_store::people::{NewUser, UserKind};
use portal_store::reference::{NewClient, NewContract, NewCpli, NewOrganisation, NewServiceLevel};
use portal_store::Store;
use time::macros::date;
use time::Date;

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

pub const LOGINS: [DemoLogin; 4] = [
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
];

pub fn print_logins(logins: &[DemoLogin]) {
    println!("Demo logins (password {DEMO_PASSWORD}, security code {DEMO_SECURITY_CODE}):");
    for login in logins {
        println!("  {:<52} {}", login.who, login.email);
    }
}

fn q(text: &str) -> Quantity {
    Quantity::parse(text).expect("demo quantities are valid")
}

fn gbp(text: &str) -> Money {
    Money::parse(text).expect("demo rates are valid")
}

fn per_unit(start: Date, hours: &str, visits: &str) -> Cpli {
    Cpli {
        start,
        end: None,
        plan: CpliPlan::PerUnit {
            weekly_quantity: q(hours),
        },
        planned_visits: q(visits),
    }
}

struct Person<'a> {
    email: &'a str,
    name: &'a str,
    kind: UserKind,
    council_id: Option<i64>,
    organisation_id: Option<i64>,
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
    if let Some(organisation_id) = person.organisation_id {
        store
            .add_membership(user_id, organisation_id, "finance")
            .await?;
    }
    Ok(())
}

/// Loads the world unless it is there already; returns the logins.
pub async fn load(store: &Store, hasher: &Hasher) -> anyhow::Result<Vec<DemoLogin>> {
    if store.council_named("Bradford").await?.is_none() {
        load_bradford(store, hasher).await?;
        load_stockport(store, hasher).await?;
        load_bedford(store, hasher).await?;
        tracing::info!("demo data loaded");
    }
    Ok(LOGINS.to_vec())
}

async fn load_bradford(store: &Store, hasher: &Hasher) -> anyhow::Result<()> {
    let council = crate::councils::create_council(store, "Bradford", 14).await?;
    let organisation = store
        .create_organisation(&NewOrganisation {
            council_id: council,
            name: "Ally Pally Ltd",
            address_line1: "",
            town: "Bradford",
            postcode: "",
            email: "",
            phone: "",
        })
        .await?;
    let contract = store
        .create_contract(&NewContract {
            council_id: council,
            organisation_id: organisation,
            name: "Ally Pally Care",
            contract_type_group: "Homecare",
            payment_model: "scheduled",
            period_weeks: 1,
            period_anchor: date!(2021 - 04 - 05),
            vat_rate_basis_points: 0,
            exception_settings: ExceptionSettings::default(),
        })
        .await?;
    let service = store
        .create_service(
            organisation,
            contract,
            "Ally Pally Home Care",
            "",
            "Bradford",
            "",
        )
        .await?;
    let level = |name, rate| NewServiceLevel {
        contract_id: contract,
        name,
        unit: Unit::Hour,
        pricing_kind: PricingKind::PerUnit,
        rate: gbp(rate),
        rate_effective_from: date!(2019 - 04 - 01),
        service_group_class: "Homecare",
        cost_centre: "Homecare",
        subjective: "Homecare Flexible",
    };
    let single = store
        .create_service_level(&level(
            "Homecare Flexible - Bradford - Single-handed",
            "20.00",
        ))
        .await?;
    let double = store
        .create_service_level(&level(
            "Homecare Flexible - Bradford - Double-handed",
            "40.00",
        ))
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
                (single, "20.00", "7", date!(2021 - 04 - 05), "RGVQ-5840"),
                (double, "40.00", "1", date!(2021 - 04 - 05), "RGVQ-5840"),
            ],
        ),
        (
            "ab836000",
            "Miss",
            "Fallon",
            "Sherrock",
            vec![(single, "20.00", "2", date!(2022 - 03 - 14), "RGVW-5840")],
        ),
        (
            "8c846000",
            "Mr",
            "Sid",
            "Waddell",
            vec![(single, "20.00", "1", date!(2021 - 04 - 05), "")],
        ),
        (
            "c9836000",
            "Mr",
            "Jocky",
            "Wilson",
            vec![(double, "40.00", "14", date!(2021 - 04 - 05), "")],
        ),
        (
            "e0946000",
            "Mr",
            "Peter",
            "Wright",
            vec![(single, "20.00", "1", date!(2021 - 07 - 12), "")],
        ),
    ];
    for (ssref, title, forename, surname, cplis) in clients {
        let client = store
            .create_client(&NewClient {
                council_id: council,
                external_ref: None,
                ssref,
                title,
                forename,
                surname,
            })
            .await?;
        for (service_level_id, rate, hours, start, budget_code) in cplis {
            store
                .create_cpli(&NewCpli {
                    external_ref: None,
                    authorised: true,
                    client_id: client,
                    service_id: service,
                    service_level_id,
                    cpli: &per_unit(start, hours, hours),
                    rate: gbp(rate),
                    budget_code,
                    care_package_ref: "",
                })
                .await?;
        }
    }
    create_person(
        store,
        hasher,
        Person {
            email: LOGINS[0].email,
            name: "Jo Hunter",
            kind: UserKind::Provider,
            council_id: None,
            organisation_id: Some(organisation),
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
            organisation_id: None,
        },
    )
    .await?;
    Ok(())
}

async fn load_stockport(store: &Store, hasher: &Hasher) -> anyhow::Result<()> {
    let council = crate::councils::create_council(store, "Stockport", 14).await?;
    let organisation = store
        .create_organisation(&NewOrganisation {
            council_id: council,
            name: "Diamond Home Care",
            address_line1: "24 Acacia Drive, Heaton Norris",
            town: "Stockport",
            postcode: "SK9 9AA",
            email: "info@diamondhomecare.example",
            phone: "01612479999",
        })
        .await?;
    let contract = store
        .create_contract(&NewContract {
            council_id: council,
            organisation_id: organisation,
            name: "Diamond Home Care",
            contract_type_group: "Homecare",
            payment_model: "scheduled",
            period_weeks: 2,
            period_anchor: date!(2019 - 06 - 24),
            vat_rate_basis_points: 0,
            exception_settings: ExceptionSettings::default(),
        })
        .await?;
    let marple = store
        .create_service(
            organisation,
            contract,
            "Diamond Home Care - Marple",
            "21 High Street, Marple",
            "Stockport",
            "SK9 9NQ",
        )
        .await?;
    let tame_valley = store
        .create_service(
            organisation,
            contract,
            "Diamond Home Care - Tame Valley",
            "",
            "Stockport",
            "",
        )
        .await?;
    let level = |name| NewServiceLevel {
        contract_id: contract,
        name,
        unit: Unit::Hour,
        pricing_kind: PricingKind::PerUnit,
        rate: gbp("16.16"),
        rate_effective_from: date!(2019 - 04 - 01),
        service_group_class: "Homecare",
        cost_centre: "Home Care",
        subjective: "Home Care",
    };
    let single = store
        .create_service_level(&level("Home Care - Single Assist Fixed Rate"))
        .await?;
    let double = store
        .create_service_level(&level("Home Care - Double Assist Fixed Rate"))
        .await?;
    let clients = [
        (
            "MG123",
            "Miss",
            "Monica",
            "Geller",
            vec![(marple, single, "14", "14", date!(2019 - 06 - 24))],
        ),
        (
            "PB123",
            "Miss",
            "Phoebe",
            "Buffay",
            vec![(tame_valley, single, "3.5", "3", date!(2019 - 07 - 08))],
        ),
        (
            "JT123",
            "Mr",
            "Joey",
            "Tribbiani",
            vec![
                (marple, double, "3.5", "3", date!(2019 - 06 - 24)),
                (marple, single, "3.5", "3", date!(2019 - 06 - 24)),
            ],
        ),
    ];
    for (ssref, title, forename, surname, cplis) in clients {
        let client = store
            .create_client(&NewClient {
                council_id: council,
                external_ref: None,
                ssref,
                title,
                forename,
                surname,
            })
            .await?;
        for (service_id, service_level_id, hours, visits, start) in cplis {
            store
                .create_cpli(&NewCpli {
                    external_ref: None,
                    authorised: true,
                    client_id: client,
                    service_id,
                    service_level_id,
                    cpli: &per_unit(start, hours, visits),
                    rate: gbp("16.16"),
                    budget_code: "",
                    care_package_ref: "",
                })
                .await?;
        }
    }
    create_person(
        store,
        hasher,
        Person {
            email: LOGINS[1].email,
            name: "Mr Greg Finance",
            kind: UserKind::Provider,
            council_id: None,
            organisation_id: Some(organisation),
        },
    )
    .await?;
    Ok(())
}

async fn load_bedford(store: &Store, hasher: &Hasher) -> anyhow::Result<()> {
    let council = crate::councils::create_council(store, "Bedford", 14).await?;
    let organisation = store
        .create_organisation(&NewOrganisation {
            council_id: council,
            name: "Day Opportunities PP Home",
            address_line1: "1 Skylander Road",
            town: "Bedford",
            postcode: "",
            email: "",
            phone: "",
        })
        .await?;
    let contract = store
        .create_contract(&NewContract {
            council_id: council,
            organisation_id: organisation,
            name: "Day Opportunities PP Home",
            contract_type_group: "Day Opportunities",
            payment_model: "invoiced",
            period_weeks: 4,
            period_anchor: date!(2022 - 03 - 28),
            vat_rate_basis_points: 2000,
            exception_settings: ExceptionSettings::default(),
        })
        .await?;
    let service = store
        .create_service(
            organisation,
            contract,
            "Day Opportunities PP Home",
            "1 Skylander Road",
            "Bedford",
            "",
        )
        .await?;
    let level = store
        .create_service_level(&NewServiceLevel {
            contract_id: contract,
            name: "Day Opportunities - Scheduled",
            unit: Unit::Session,
            pricing_kind: PricingKind::Timetabled,
            rate: gbp("214.46"),
            rate_effective_from: date!(2019 - 04 - 01),
            service_group_class: "Day Opportunities",
            cost_centre: "Physical Support 65+",
            subjective: "Day Care",
        })
        .await?;
    let client = store
        .create_client(&NewClient {
            council_id: council,
            external_ref: None,
            ssref: "A1",
            title: "Mrs",
            forename: "Iris",
            surname: "Angelo",
        })
        .await?;
    let timetable = Timetable {
        rows: vec![
            TimetableRow {
                days: Weekdays([true, false, true, false, true, false, false]),
                quantity: q("1"),
            },
            TimetableRow {
                days: Weekdays([false, true, false, true, false, false, false]),
                quantity: q("1"),
            },
        ],
    };
    store
        .create_cpli(&NewCpli {
            external_ref: None,
            authorised: true,
            client_id: client,
            service_id: service,
            service_level_id: level,
            cpli: &Cpli {
                start: date!(2022 - 03 - 28),
                end: None,
                plan: CpliPlan::Timetabled { timetable },
                planned_visits: q("5"),
            },
            rate: gbp("214.46"),
            budget_code: "",
            care_package_ref: "",
        })
        .await?;
    create_person(
        store,
        hasher,
        Person {
            email: LOGINS[2].email,
            name: "Michaela George",
            kind: UserKind::Provider,
            council_id: None,
            organisation_id: Some(organisation),
        },
    )
    .await?;
    Ok(())
}
