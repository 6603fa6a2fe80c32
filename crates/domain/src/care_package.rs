//! The rules a care package line item must satisfy before it is stored, and how a new
//! version takes over from an old one (DOMAIN 3). Each broken rule names its field.

use time::{Date, Duration};

use crate::cpli::{Cpli, CpliPlan};
use crate::service_level::PricingKind;

/// One broken rule, with the API field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleBroken {
    pub field: &'static str,
    pub message: String,
}

fn broken(field: &'static str, message: impl Into<String>) -> RuleBroken {
    RuleBroken {
        field,
        message: message.into(),
    }
}

/// Checks a CPLI against its service level's pricing kind.
pub fn check_cpli(cpli: &Cpli, pricing: PricingKind) -> Vec<RuleBroken> {
    let mut errors = Vec::new();
    if cpli.end.is_some_and(|end| end < cpli.start) {
        errors.push(broken("end", "must be the same as or after the start date"));
    }
    match (&cpli.plan, pricing) {
        (CpliPlan::PerUnit { .. }, PricingKind::PerUnit) => {}
        (CpliPlan::Timetabled { timetable }, PricingKind::Timetabled) => {
            if timetable.rows.is_empty() {
                errors.push(broken("timetable", "must have at least one row"));
            }
            for row in &timetable.rows {
                if !row.days.0.iter().any(|&day| day) {
                    errors.push(broken("timetable", "every row must tick at least one day"));
                    break;
                }
            }
            if timetable.rows.iter().any(|row| row.quantity.is_zero()) {
                errors.push(broken(
                    "timetable",
                    "every row must have a quantity above 0",
                ));
            }
        }
        (CpliPlan::Intermittent { .. }, PricingKind::Intermittent) => {}
        (CpliPlan::Intermittent { .. }, _) => errors.push(broken(
            "annual_allocation",
            "is only for intermittent service levels (short breaks, respite)",
        )),
        (_, PricingKind::PerUnit) => errors.push(broken(
            "weekly_quantity",
            "is required for a per-unit service level",
        )),
        (_, PricingKind::Timetabled) => errors.push(broken(
            "timetable",
            "is required for a timetabled service level",
        )),
        (_, PricingKind::Intermittent) => errors.push(broken(
            "annual_allocation",
            "is required for an intermittent service level",
        )),
    }
    errors
}

/// How a new version effective from `from` fits a CPLI's existing versions (each with its
/// start and end). Returns the index of the version it supersedes: that version ends the day
/// before `from`, and the new one runs to the old one's end. The days before `from` keep
/// the version that applied to them.
pub fn supersede(versions: &[(Date, Option<Date>)], from: Date) -> Result<usize, RuleBroken> {
    let Some(index) = versions
        .iter()
        .position(|(start, end)| *start <= from && end.is_none_or(|end| from <= end))
    else {
        return Err(broken(
            "effective_from",
            "must fall within the care package's dates",
        ));
    };
    if versions[index].0 == from {
        return Err(broken(
            "effective_from",
            "must be after the start of the version it changes: a version cannot replace another from its first day",
        ));
    }
    if versions.iter().any(|(start, _)| *start > from) {
        return Err(broken(
            "effective_from",
            "would overlap a later version: change the latest version instead",
        ));
    }
    Ok(index)
}

/// The day before, for closing the superseded version.
pub fn day_before(day: Date) -> Date {
    day - Duration::days(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amount::Quantity;
    use crate::cpli::{Timetable, TimetableRow, Weekdays};
    use time::macros::date;

    fn per_unit(start: Date, end: Option<Date>) -> Cpli {
        Cpli {
            start,
            end,
            plan: CpliPlan::PerUnit {
                weekly_quantity: Quantity::parse("7").unwrap(),
            },
            planned_visits: Quantity::parse("7").unwrap(),
        }
    }

    fn fields(errors: &[RuleBroken]) -> Vec<&str> {
        errors.iter().map(|error| error.field).collect()
    }

    #[test]
    fn an_end_before_the_start_is_refused() {
        let cpli = per_unit(date!(2022 - 06 - 06), Some(date!(2022 - 06 - 05)));
        assert_eq!(
            fields(&check_cpli(&cpli, PricingKind::PerUnit)),
            vec!["end"]
        );
        let same_day = per_unit(date!(2022 - 06 - 06), Some(date!(2022 - 06 - 06)));
        assert!(check_cpli(&same_day, PricingKind::PerUnit).is_empty());
    }

    #[test]
    fn the_plan_must_fit_the_pricing_kind() {
        let cpli = per_unit(date!(2022 - 06 - 06), None);
        assert_eq!(
            fields(&check_cpli(&cpli, PricingKind::Timetabled)),
            vec!["timetable"]
        );
        let allocation = Cpli {
            plan: CpliPlan::Intermittent {
                annual_allocation: Quantity::parse("28").unwrap(),
            },
            ..cpli.clone()
        };
        assert_eq!(
            fields(&check_cpli(&allocation, PricingKind::PerUnit)),
            vec!["annual_allocation"]
        );
        assert!(check_cpli(&allocation, PricingKind::Intermittent).is_empty());
    }

    #[test]
    fn a_timetable_needs_days() {
        let empty_row = Cpli {
            plan: CpliPlan::Timetabled {
                timetable: Timetable {
                    rows: vec![TimetableRow {
                        days: Weekdays([false; 7]),
                        quantity: Quantity::parse("1").unwrap(),
                    }],
                },
            },
            ..per_unit(date!(2022 - 03 - 28), None)
        };
        assert_eq!(
            fields(&check_cpli(&empty_row, PricingKind::Timetabled)),
            vec!["timetable"]
        );
        let no_rows = Cpli {
            plan: CpliPlan::Timetabled {
                timetable: Timetable::default(),
            },
            ..empty_row
        };
        assert_eq!(
            fields(&check_cpli(&no_rows, PricingKind::Timetabled)),
            vec!["timetable"]
        );
    }

    #[test]
    fn a_new_version_supersedes_the_one_it_falls_in() {
        let versions = [(date!(2021 - 04 - 05), None)];
        assert_eq!(supersede(&versions, date!(2022 - 06 - 09)), Ok(0));
        assert_eq!(day_before(date!(2022 - 06 - 09)), date!(2022 - 06 - 08));
        assert!(
            supersede(&versions, date!(2021 - 04 - 05)).is_err(),
            "not from its first day"
        );
        assert!(
            supersede(&versions, date!(2021 - 04 - 04)).is_err(),
            "not before the care package"
        );
        let two = [
            (date!(2021 - 04 - 05), Some(date!(2022 - 06 - 08))),
            (date!(2022 - 06 - 09), None),
        ];
        assert_eq!(supersede(&two, date!(2022 - 07 - 01)), Ok(1));
        let error = supersede(&two, date!(2022 - 01 - 01)).unwrap_err();
        assert!(error.message.contains("overlap"));
    }
}
