//! What each council configures (DOMAIN 14a), and the defaults a new council starts with:
//! the bank holidays of England and Wales, the action types and dispute reasons of the
//! guides, and the UK VAT rates. Councils then maintain their own.

use time::{Date, Duration, PrimitiveDateTime, Time, Weekday};

use crate::calendar::{parse_iso_date, Week};

/// The bank holidays of England and Wales, 2019 to 2027, including the one-off ones
/// (VE Day moved to 8 May 2020, the Platinum Jubilee, the State Funeral, the Coronation).
pub const ENGLAND_AND_WALES_BANK_HOLIDAYS: &[(&str, &str)] = &[
    ("2019-01-01", "New Year's Day"),
    ("2019-04-19", "Good Friday"),
    ("2019-04-22", "Easter Monday"),
    ("2019-05-06", "Early May bank holiday"),
    ("2019-05-27", "Spring bank holiday"),
    ("2019-08-26", "Summer bank holiday"),
    ("2019-12-25", "Christmas Day"),
    ("2019-12-26", "Boxing Day"),
    ("2020-01-01", "New Year's Day"),
    ("2020-04-10", "Good Friday"),
    ("2020-04-13", "Easter Monday"),
    ("2020-05-08", "Early May bank holiday (VE day)"),
    ("2020-05-25", "Spring bank holiday"),
    ("2020-08-31", "Summer bank holiday"),
    ("2020-12-25", "Christmas Day"),
    ("2020-12-28", "Boxing Day (substitute day)"),
    ("2021-01-01", "New Year's Day"),
    ("2021-04-02", "Good Friday"),
    ("2021-04-05", "Easter Monday"),
    ("2021-05-03", "Early May bank holiday"),
    ("2021-05-31", "Spring bank holiday"),
    ("2021-08-30", "Summer bank holiday"),
    ("2021-12-27", "Christmas Day (substitute day)"),
    ("2021-12-28", "Boxing Day (substitute day)"),
    ("2022-01-03", "New Year's Day (substitute day)"),
    ("2022-04-15", "Good Friday"),
    ("2022-04-18", "Easter Monday"),
    ("2022-05-02", "Early May bank holiday"),
    ("2022-06-02", "Spring bank holiday"),
    ("2022-06-03", "Platinum Jubilee bank holiday"),
    ("2022-08-29", "Summer bank holiday"),
    (
        "2022-09-19",
        "Bank Holiday for the State Funeral of Queen Elizabeth II",
    ),
    ("2022-12-26", "Boxing Day"),
    ("2022-12-27", "Christmas Day (substitute day)"),
    ("2023-01-02", "New Year's Day (substitute day)"),
    ("2023-04-07", "Good Friday"),
    ("2023-04-10", "Easter Monday"),
    ("2023-05-01", "Early May bank holiday"),
    (
        "2023-05-08",
        "Bank holiday for the coronation of King Charles III",
    ),
    ("2023-05-29", "Spring bank holiday"),
    ("2023-08-28", "Summer bank holiday"),
    ("2023-12-25", "Christmas Day"),
    ("2023-12-26", "Boxing Day"),
    ("2024-01-01", "New Year's Day"),
    ("2024-03-29", "Good Friday"),
    ("2024-04-01", "Easter Monday"),
    ("2024-05-06", "Early May bank holiday"),
    ("2024-05-27", "Spring bank holiday"),
    ("2024-08-26", "Summer bank holiday"),
    ("2024-12-25", "Christmas Day"),
    ("2024-12-26", "Boxing Day"),
    ("2025-01-01", "New Year's Day"),
    ("2025-04-18", "Good Friday"),
    ("2025-04-21", "Easter Monday"),
    ("2025-05-05", "Early May bank holiday"),
    ("2025-05-26", "Spring bank holiday"),
    ("2025-08-25", "Summer bank holiday"),
    ("2025-12-25", "Christmas Day"),
    ("2025-12-26", "Boxing Day"),
    ("2026-01-01", "New Year's Day"),
    ("2026-04-03", "Good Friday"),
    ("2026-04-06", "Easter Monday"),
    ("2026-05-04", "Early May bank holiday"),
    ("2026-05-25", "Spring bank holiday"),
    ("2026-08-31", "Summer bank holiday"),
    ("2026-12-25", "Christmas Day"),
    ("2026-12-28", "Boxing Day (substitute day)"),
    ("2027-01-01", "New Year's Day"),
    ("2027-03-26", "Good Friday"),
    ("2027-03-29", "Easter Monday"),
    ("2027-05-03", "Early May bank holiday"),
    ("2027-05-31", "Spring bank holiday"),
    ("2027-08-30", "Summer bank holiday"),
    ("2027-12-27", "Christmas Day (substitute day)"),
    ("2027-12-28", "Boxing Day (substitute day)"),
];

/// The default bank holidays as dates.
pub fn default_bank_holidays() -> Vec<(Date, &'static str)> {
    ENGLAND_AND_WALES_BANK_HOLIDAYS
        .iter()
        .map(|(day, name)| {
            (
                parse_iso_date(day).expect("the list holds valid dates"),
                *name,
            )
        })
        .collect()
}

/// What an action may be raised about (DOMAIN 10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EntityKind {
    Client,
    Contract,
    Service,
    Organisation,
    Invoice,
    CreditNote,
    Contact,
    SpotCommitment,
}

impl EntityKind {
    pub const ALL: [EntityKind; 8] = [
        EntityKind::Client,
        EntityKind::Contract,
        EntityKind::Service,
        EntityKind::Organisation,
        EntityKind::Invoice,
        EntityKind::CreditNote,
        EntityKind::Contact,
        EntityKind::SpotCommitment,
    ];

    pub fn code(self) -> &'static str {
        match self {
            EntityKind::Client => "client",
            EntityKind::Contract => "contract",
            EntityKind::Service => "service",
            EntityKind::Organisation => "organisation",
            EntityKind::Invoice => "invoice",
            EntityKind::CreditNote => "credit_note",
            EntityKind::Contact => "contact",
            EntityKind::SpotCommitment => "spot_commitment",
        }
    }

    pub fn from_code(code: &str) -> Option<EntityKind> {
        EntityKind::ALL.into_iter().find(|kind| kind.code() == code)
    }
}

/// An action type as a council configures it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionTypeSetting {
    pub name: &'static str,
    /// The council team it goes to; `None` when the raiser chooses ("Any – assign on creation").
    pub team: Option<&'static str>,
    pub entity_kinds: &'static [EntityKind],
    pub minimum_due_working_days: u32,
    pub council_only: bool,
}

const ANY_ENTITY: &[EntityKind] = &EntityKind::ALL;

/// The action types of the guides (seed 004 Appendix B, seed 003 section 14.1, DOMAIN 10).
pub fn default_action_types() -> Vec<ActionTypeSetting> {
    use EntityKind::*;
    let provider = |name, team, entity_kinds, days| ActionTypeSetting {
        name,
        team,
        entity_kinds,
        minimum_due_working_days: days,
        council_only: false,
    };
    let council = |name| ActionTypeSetting {
        name,
        team: Some("Payments & Contracts Team"),
        entity_kinds: &[Organisation, Contract, Invoice, CreditNote],
        minimum_due_working_days: 5,
        council_only: true,
    };
    vec![
        provider(
            "Actuals Query",
            Some("Payments & Contracts Team"),
            &[Client],
            5,
        ),
        provider(
            "Payment Query",
            Some("Payments & Contracts Team"),
            &[Contract, Invoice, CreditNote],
            5,
        ),
        provider("CPLI Amendment", Some("Brokerage Team"), &[Client], 2),
        provider("CPLI Outstanding", Some("Brokerage Team"), &[Client], 2),
        provider(
            "Aged Actuals Submission",
            Some("Payments & Contracts Team"),
            &[Contract],
            5,
        ),
        provider(
            "APL Supported Living - Void Claim",
            Some("Payments & Contracts Team"),
            &[Service],
            15,
        ),
        provider(
            "Disputes Pending",
            Some("Payments & Contracts Team"),
            &[Organisation],
            5,
        ),
        provider(
            "Rolling Respite Claim",
            Some("Payments & Contracts Team"),
            &[Contract],
            5,
        ),
        provider(
            "Third Party Amendment Request",
            Some("Brokerage Team"),
            &[Contract],
            10,
        ),
        provider(
            "Amended Care Plan - Community Support",
            Some("Brokerage Team (Community Support)"),
            &[Client],
            2,
        ),
        provider(
            "New Care Plan - Community Support",
            Some("Brokerage Team (Community Support)"),
            &[Client],
            2,
        ),
        // Seed 003 Appendix 1: a care home returns its signed contract on the client; the
        // guide says no due date need be set.
        provider(
            "Signed Residential/Nursing Contract",
            Some("Brokerage Team (Residential/Nursing)"),
            &[Client],
            0,
        ),
        provider(
            "Client Contribution - Residential/Nursing",
            Some("Social Care Charging Team"),
            &[Client],
            5,
        ),
        provider("Telephone Call", None, ANY_ENTITY, 0),
        provider("Other", None, ANY_ENTITY, 0),
        council("Debit Balance"),
        council("Notification"),
        council("O/S Actuals"),
        council("Returned Invoice/Credit Note"),
    ]
}

/// The dispute reasons of DOMAIN 9.
pub const DEFAULT_DISPUTE_REASONS: &[&str] = &[
    "Actual does not match planned - more detail required",
    "Actuals query",
    "Care not delivered",
    "Charged when cancelled in advance",
    "Client deceased",
    "Client in hospital/respite",
    "Client query",
    "Entered actuals exceed support plan",
    "Issue with care provided",
    "Unauthorised extra",
    "Variation code missing",
    "Other",
];

/// The UK VAT rates, in basis points (2000 = 20%), from 4 January 2011.
pub const DEFAULT_VAT_RATES: &[(&str, i64)] = &[
    ("Standard", 2000),
    ("Reduced", 500),
    ("Zero", 0),
    ("Exempt", 0),
];

/// The first day of the UK VAT rates above.
pub fn default_vat_rates_from() -> Date {
    parse_iso_date("2011-01-04").expect("a valid date")
}

/// Monday to Friday, less bank holidays (DOMAIN 2).
/// When a week's actuals are due (DOMAIN 14a): the council's weekday (1 = Monday .. 7 =
/// Sunday) of the week after the week of care, at its time of day, in UK local time.
/// Bradford: 17:00 on the Tuesday after. Actuals recorded or changed later are late.
pub fn submission_deadline(week: Week, weekday: u8, time_of_day: Time) -> PrimitiveDateTime {
    let days_after_monday = i64::from(weekday.clamp(1, 7)) - 1;
    let day = week.next().monday() + Duration::days(days_after_monday);
    PrimitiveDateTime::new(day, time_of_day)
}

pub fn is_working_day(day: Date, bank_holidays: &[Date]) -> bool {
    !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday) && !bank_holidays.contains(&day)
}

/// The day `working_days` working days after `from`: the earliest due date an action type
/// allows when raised on `from`.
pub fn add_working_days(from: Date, working_days: u32, bank_holidays: &[Date]) -> Date {
    let mut day = from;
    let mut counted = 0;
    while counted < working_days {
        day += Duration::days(1);
        if is_working_day(day, bank_holidays) {
            counted += 1;
        }
    }
    day
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn the_default_bank_holidays_are_weekdays_and_unique() {
        let holidays = default_bank_holidays();
        assert_eq!(holidays.len(), 75);
        for (day, name) in &holidays {
            assert!(
                !matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday),
                "{name} on {day}"
            );
        }
        let mut dates: Vec<Date> = holidays.iter().map(|(day, _)| *day).collect();
        dates.dedup();
        assert_eq!(dates.len(), holidays.len());
    }

    #[test]
    fn working_days_skip_weekends_and_bank_holidays() {
        let holidays: Vec<Date> = default_bank_holidays()
            .into_iter()
            .map(|(day, _)| day)
            .collect();
        // Thursday 14/04/2022 + 5 working days skips Good Friday and Easter Monday.
        assert_eq!(
            add_working_days(date!(2022 - 04 - 14), 5, &holidays),
            date!(2022 - 04 - 25)
        );
        // Friday + 2 working days is Tuesday.
        assert_eq!(
            add_working_days(date!(2024 - 03 - 08), 2, &holidays),
            date!(2024 - 03 - 12)
        );
        assert_eq!(
            add_working_days(date!(2024 - 03 - 08), 0, &holidays),
            date!(2024 - 03 - 08)
        );
        assert!(!is_working_day(date!(2022 - 09 - 19), &holidays));
    }

    #[test]
    fn the_default_lists_follow_the_guides() {
        let types = default_action_types();
        let find = |name: &str| types.iter().find(|t| t.name == name).unwrap().clone();
        assert_eq!(
            find("Third Party Amendment Request").minimum_due_working_days,
            10
        );
        assert_eq!(
            find("Payment Query").entity_kinds,
            &[
                EntityKind::Contract,
                EntityKind::Invoice,
                EntityKind::CreditNote
            ]
        );
        assert!(find("Debit Balance").council_only);
        let signed = find("Signed Residential/Nursing Contract");
        assert_eq!(signed.team, Some("Brokerage Team (Residential/Nursing)"));
        assert_eq!(signed.entity_kinds, &[EntityKind::Client]);
        assert_eq!(DEFAULT_DISPUTE_REASONS.len(), 12);
    }

    #[test]
    fn bradfords_deadline_is_the_tuesday_after_at_five() {
        let week = Week::parse("2022-06-06").unwrap();
        let due = submission_deadline(week, 2, time::macros::time!(17:00));
        assert_eq!(due.date(), date!(2022 - 06 - 14));
        assert_eq!(due.time(), time::macros::time!(17:00));
    }
}
