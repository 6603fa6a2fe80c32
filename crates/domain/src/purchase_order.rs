//! Purchase orders (DOMAIN 7): what a client's care at one service is planned to cost in one
//! financial year, computed from the CPLI versions that fall in it.
//!
//! A PO's lines are the versions of its CPLIs whose dates meet the year; each line is valued
//! over the days it runs inside the year and rounded half away from zero to the penny, and
//! the PO's value is the sum of its lines:
//! - per unit: the weekly cost x days / 7 (E13: £226.24 x 282 / 7 = £9,114.24);
//! - timetabled: every scheduled session counted on its own date x the rate (E15: 261
//!   sessions x £214.46 = £55,974.06);
//! - intermittent: the annual allocation x the rate, pro rata by days for a line that covers
//!   part of the year, so that a variation mid-year does not count the allocation twice (a
//!   line covering the whole year is exactly allocation x rate).
//!
//! A PO is numbered `N - v`: `N` is fixed when it is first listed, `v` counts its variations.
//! Each new version of a CPLI already in the PO is a variation (`revisions`), and the PO as
//! it stood at each version can be recomputed, since a new version runs to the end of the
//! one it supersedes (`care_package::supersede`).

use rust_decimal::Decimal;
use time::{Date, Duration};

use crate::amount::{round_to_penny, Money};
use crate::calendar::FinancialYear;
use crate::cpli::{Cpli, CpliPlan};
use crate::format::{format_money, format_number};
use crate::service_level::Unit;

/// The days of `cpli` inside `from..=to`, first and last; None when they do not meet.
pub fn span_within(cpli: &Cpli, from: Date, to: Date) -> Option<(Date, Date)> {
    let first = cpli.start.max(from);
    let last = cpli.end.map_or(to, |end| end.min(to));
    (first <= last).then_some((first, last))
}

/// Days from `first` to `last`, both included.
fn days_between(first: Date, last: Date) -> i64 {
    (last - first).whole_days() + 1
}

/// Units the CPLI plans from `first` to `last` (both included, inside its dates), unrounded:
/// per-unit weeks pro rata by days, timetabled sessions counted day by day, an intermittent
/// allocation pro rata by days of its year.
fn planned_units(cpli: &Cpli, first: Date, last: Date, days_in_year: i64) -> Decimal {
    let days = days_between(first, last);
    match &cpli.plan {
        CpliPlan::PerUnit { weekly_quantity } => {
            weekly_quantity.value() * Decimal::from(days) / Decimal::from(7)
        }
        CpliPlan::Timetabled { timetable } => {
            let mut units = Decimal::ZERO;
            let mut day = first;
            while day <= last {
                let index = usize::from(day.weekday().number_days_from_monday());
                units += timetable
                    .rows
                    .iter()
                    .filter(|row| row.days.is_ticked(index))
                    .map(|row| row.quantity.value())
                    .sum::<Decimal>();
                day += Duration::days(1);
            }
            units
        }
        CpliPlan::Intermittent { annual_allocation } => {
            annual_allocation.value() * Decimal::from(days) / Decimal::from(days_in_year)
        }
    }
}

/// What the CPLI plans to cost from `from` to `to` (both included), rounded half away from
/// zero to the penny. Per-unit lines start from the rounded weekly cost, as the guides do.
pub fn planned_cost_between(cpli: &Cpli, rate: Money, from: Date, to: Date) -> Decimal {
    let Some((first, last)) = span_within(cpli, from, to) else {
        return Decimal::new(0, 2);
    };
    let year = FinancialYear::containing(first);
    let days_in_year = days_between(year.first_day(), year.last_day());
    let cost = match &cpli.plan {
        CpliPlan::PerUnit { .. } => {
            cpli.weekly_cost(rate) * Decimal::from(days_between(first, last)) / Decimal::from(7)
        }
        _ => planned_units(cpli, first, last, days_in_year) * rate.value(),
    };
    let mut rounded = round_to_penny(cost);
    rounded.rescale(2);
    rounded
}

/// One line's value in a financial year: the cost it plans inside the year, to the penny.
pub fn line_value(cpli: &Cpli, rate: Money, year: FinancialYear) -> Decimal {
    planned_cost_between(cpli, rate, year.first_day(), year.last_day())
}

/// Units a line plans inside the year, for the item's description ("261 Sessions").
pub fn units_in_year(cpli: &Cpli, year: FinancialYear) -> Decimal {
    match span_within(cpli, year.first_day(), year.last_day()) {
        Some((first, last)) => planned_units(
            cpli,
            first,
            last,
            days_between(year.first_day(), year.last_day()),
        ),
        None => Decimal::ZERO,
    }
}

/// The item line's details, as the guides print them: "Service 'Day Opportunities PP Home',
/// Level 'Day Opportunities - Scheduled (Session)', 5 Sessions every week. Weekly cost
/// £1,072.30".
pub fn item_details(
    service_name: &str,
    level_name: &str,
    unit: Unit,
    cpli: &Cpli,
    rate: Money,
) -> String {
    let place = format!(
        "Service '{service_name}', Level '{level_name} ({})'",
        unit.singular()
    );
    match &cpli.plan {
        CpliPlan::Intermittent { annual_allocation } => format!(
            "{place}, {} {} a year @{}",
            format_number(annual_allocation.value()),
            unit.for_count(annual_allocation.value()),
            format_money(rate.value())
        ),
        CpliPlan::PerUnit { weekly_quantity } => format!(
            "{place}, {} {} every week @{}. Weekly cost {}",
            format_number(weekly_quantity.value()),
            unit.for_count(weekly_quantity.value()),
            format_money(rate.value()),
            format_money(cpli.weekly_cost(rate))
        ),
        CpliPlan::Timetabled { timetable } => format!(
            "{place}, {} {} every week. Weekly cost {}",
            format_number(timetable.weekly_units()),
            unit.for_count(timetable.weekly_units()),
            format_money(cpli.weekly_cost(rate))
        ),
    }
}

/// "2 - 1": the PO's number and version.
pub fn po_number(number: i64, version: i64) -> String {
    format!("{number} - {version}")
}

/// One CPLI version in a PO, in the order the versions were made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoLine {
    /// The CPLI ID people see (the same for all its versions).
    pub lineage: i64,
    pub version_number: i64,
    pub cpli: Cpli,
    pub rate: Money,
    /// The day this version was made, when known.
    pub made_on: Option<Date>,
}

/// The PO as it stood at one version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revision {
    /// 1 for the PO as first issued; one more for each variation.
    pub version: i64,
    /// The day it was issued: the day its latest line was made, when known.
    pub issued_on: Option<Date>,
    /// For a variation, the index (in the lines given) of the CPLI version that made it.
    pub variation: Option<usize>,
    /// The PO's value at this version.
    pub value: Decimal,
}

/// True when an earlier version of the same CPLI is also in the PO: this line is a
/// variation of the care package, not a line it started with.
fn is_variation(lines: &[PoLine], index: usize) -> bool {
    let line = &lines[index];
    lines
        .iter()
        .any(|other| other.lineage == line.lineage && other.version_number < line.version_number)
}

/// The PO's value: the sum of its lines' values, each rounded.
pub fn value(lines: &[PoLine], year: FinancialYear) -> Decimal {
    lines
        .iter()
        .map(|line| line_value(&line.cpli, line.rate, year))
        .sum()
}

/// Every version of the PO, oldest first, each with its value. `lines` are all the CPLI
/// versions whose dates meet the year, in the order they were made; the last revision is
/// the PO as it stands.
pub fn revisions(lines: &[PoLine], year: FinancialYear) -> Vec<Revision> {
    let base: Vec<usize> = (0..lines.len())
        .filter(|&index| !is_variation(lines, index))
        .collect();
    let variations: Vec<usize> = (0..lines.len())
        .filter(|&index| is_variation(lines, index))
        .collect();
    let mut revisions = Vec::with_capacity(variations.len() + 1);
    for made in 0..=variations.len() {
        let included: Vec<usize> = base.iter().chain(&variations[..made]).copied().collect();
        let value = included
            .iter()
            .map(|&index| {
                let line = &lines[index];
                let cpli = as_it_stood(lines, &included, index);
                line_value(&cpli, line.rate, year)
            })
            .sum();
        let issued_on = if made == 0 {
            base.iter().filter_map(|&index| lines[index].made_on).max()
        } else {
            lines[variations[made - 1]].made_on
        };
        revisions.push(Revision {
            version: made as i64 + 1,
            issued_on,
            variation: made.checked_sub(1).map(|at| variations[at]),
            value,
        });
    }
    revisions
}

/// A line's dates as they stood when only the `included` lines had been made: the latest
/// version then made of its CPLI ran to the end its CPLI has now (a new version runs to the
/// end of the one it supersedes); any earlier one ended where its successor began.
fn as_it_stood(lines: &[PoLine], included: &[usize], index: usize) -> Cpli {
    let line = &lines[index];
    let same_cpli = |other: &PoLine| other.lineage == line.lineage;
    let later_included = included
        .iter()
        .map(|&other| &lines[other])
        .any(|other| same_cpli(other) && other.version_number > line.version_number);
    let mut cpli = line.cpli.clone();
    if !later_included {
        cpli.end = lines
            .iter()
            .filter(|other| same_cpli(other))
            .max_by_key(|other| other.version_number)
            .and_then(|latest| latest.cpli.end);
    }
    cpli
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::amount::Quantity;
    use crate::cpli::{Timetable, TimetableRow, Weekdays};
    use proptest::prelude::*;
    use rust_decimal_macros::dec;
    use time::macros::date;

    fn money(text: &str) -> Money {
        Money::parse(text).unwrap()
    }

    fn per_unit(hours: &str, start: Date, end: Option<Date>) -> Cpli {
        Cpli {
            start,
            end,
            plan: CpliPlan::PerUnit {
                weekly_quantity: Quantity::parse(hours).unwrap(),
            },
            planned_visits: Quantity::zero(),
        }
    }

    fn iris_angelo() -> Cpli {
        let row = |days: [bool; 7]| TimetableRow {
            days: Weekdays(days),
            quantity: Quantity::parse("1").unwrap(),
        };
        Cpli {
            start: date!(2022 - 03 - 28),
            end: None,
            plan: CpliPlan::Timetabled {
                timetable: Timetable {
                    rows: vec![
                        row([true, false, true, false, true, false, false]),
                        row([false, true, false, true, false, false, false]),
                    ],
                },
            },
            planned_visits: Quantity::parse("5").unwrap(),
        }
    }

    #[test]
    fn e13_stockport_per_unit_pos_are_pro_rata_by_days() {
        let stockport = money("16.16");
        let monica = per_unit("14", date!(2019 - 06 - 24), None);
        assert_eq!(
            line_value(&monica, stockport, FinancialYear::starting_in(2019)),
            dec!(9114.24)
        );
        let phoebe = per_unit("3.5", date!(2019 - 07 - 08), None);
        assert_eq!(
            line_value(&phoebe, stockport, FinancialYear::starting_in(2019)),
            dec!(2165.44)
        );
        let joey = per_unit("3.5", date!(2019 - 06 - 24), None);
        let lines = [1, 2].map(|lineage| PoLine {
            lineage,
            version_number: 1,
            cpli: joey.clone(),
            rate: stockport,
            made_on: None,
        });
        assert_eq!(
            value(&lines, FinancialYear::starting_in(2019)),
            dec!(4557.12)
        );
        assert_eq!(
            value(&lines, FinancialYear::starting_in(2019)).to_string(),
            "4557.12"
        );
        // A year before the CPLI starts plans nothing.
        let earlier = FinancialYear::starting_in(2018);
        assert_eq!(line_value(&monica, stockport, earlier).to_string(), "0.00");
    }

    #[test]
    fn e15_timetabled_sessions_count_on_their_dates() {
        let year = FinancialYear::starting_in(2022);
        let iris = iris_angelo();
        assert_eq!(units_in_year(&iris, year), dec!(261));
        assert_eq!(line_value(&iris, money("214.46"), year), dec!(55974.06));
        // The four sessions of 28-31 March 2022 belong to 2021/2022.
        let before = FinancialYear::starting_in(2021);
        assert_eq!(units_in_year(&iris, before), dec!(4));
        assert_eq!(line_value(&iris, money("214.46"), before), dec!(857.84));
    }

    #[test]
    fn intermittent_allocations_are_shared_by_days() {
        let year = FinancialYear::starting_in(2022);
        let respite = Cpli {
            start: date!(2020 - 01 - 01),
            end: None,
            plan: CpliPlan::Intermittent {
                annual_allocation: Quantity::parse("28").unwrap(),
            },
            planned_visits: Quantity::zero(),
        };
        assert_eq!(line_value(&respite, money("90"), year), dec!(2520.00));
        let half = Cpli {
            end: Some(date!(2022 - 09 - 30)),
            ..respite
        };
        // 183 of 365 days: 28 x 90 x 183 / 365 = 1263.45...
        assert_eq!(line_value(&half, money("90"), year), dec!(1263.45));
    }

    #[test]
    fn item_lines_read_as_in_the_guides() {
        assert_eq!(
            item_details(
                "Day Opportunities PP Home",
                "Day Opportunities - Scheduled",
                Unit::Session,
                &iris_angelo(),
                money("214.46")
            ),
            "Service 'Day Opportunities PP Home', Level 'Day Opportunities - Scheduled (Session)', 5 Sessions every week. Weekly cost £1,072.30"
        );
        assert_eq!(
            item_details(
                "Diamond Home Care - Marple",
                "Home Care - Single Assist Fixed Rate",
                Unit::Hour,
                &per_unit("14", date!(2019 - 06 - 24), None),
                money("16.16")
            ),
            "Service 'Diamond Home Care - Marple', Level 'Home Care - Single Assist Fixed Rate (Hour)', 14 Hours every week @£16.16. Weekly cost £226.24"
        );
        assert_eq!(po_number(2, 1), "2 - 1");
    }

    #[test]
    fn each_new_version_of_a_cpli_in_it_is_a_variation() {
        let rate = money("16.16");
        let first = PoLine {
            lineage: 7,
            version_number: 1,
            cpli: per_unit("14", date!(2019 - 06 - 24), Some(date!(2019 - 09 - 01))),
            rate,
            made_on: Some(date!(2019 - 06 - 01)),
        };
        let second = PoLine {
            lineage: 7,
            version_number: 2,
            cpli: per_unit("7", date!(2019 - 09 - 02), None),
            rate,
            made_on: Some(date!(2019 - 08 - 20)),
        };
        let other = PoLine {
            lineage: 9,
            version_number: 1,
            cpli: per_unit("3.5", date!(2019 - 06 - 24), None),
            rate,
            made_on: Some(date!(2019 - 06 - 02)),
        };
        let lines = [first, other, second];
        let history = revisions(&lines, FinancialYear::starting_in(2019));
        assert_eq!(history.len(), 2);
        // Version 1: Monica's 14 hours for the whole of her year, and the other line.
        assert_eq!(history[0].version, 1);
        assert_eq!(history[0].variation, None);
        assert_eq!(history[0].issued_on, Some(date!(2019 - 06 - 02)));
        assert_eq!(history[0].value, dec!(9114.24) + dec!(2278.56));
        // Version 2: 14 hours to 01/09/2019 (70 days), then 7 hours (212 days).
        assert_eq!(history[1].version, 2);
        assert_eq!(history[1].variation, Some(2));
        assert_eq!(history[1].issued_on, Some(date!(2019 - 08 - 20)));
        assert_eq!(
            history[1].value,
            value(&lines, FinancialYear::starting_in(2019))
        );
        assert_eq!(
            history[1].value,
            dec!(2262.40) + dec!(3425.92) + dec!(2278.56)
        );
    }

    fn per_unit_strategy() -> impl Strategy<Value = (Cpli, Money)> {
        (1i64..=10_000, 0u16..365, 1i64..=100_000).prop_map(|(hundredths, offset, pence)| {
            let start = date!(2022 - 04 - 01) + Duration::days(i64::from(offset));
            let cpli = Cpli {
                start,
                end: None,
                plan: CpliPlan::PerUnit {
                    weekly_quantity: Quantity::from_hundredths(hundredths).unwrap(),
                },
                planned_visits: Quantity::zero(),
            };
            (cpli, Money::from_hundredths(pence).unwrap())
        })
    }

    proptest! {
        /// Split anywhere, a year's per-unit value is the sum of its two parts to within the
        /// penny each part is rounded to.
        #[test]
        fn a_split_year_sums_to_the_whole((cpli, rate) in per_unit_strategy(), split in 0u16..364) {
            let year = FinancialYear::starting_in(2022);
            let cut = year.first_day() + Duration::days(i64::from(split));
            let whole = line_value(&cpli, rate, year);
            let before = planned_cost_between(&cpli, rate, year.first_day(), cut);
            let after = planned_cost_between(&cpli, rate, cut + Duration::days(1), year.last_day());
            prop_assert!((before + after - whole).abs() <= dec!(0.01));
        }

        /// Timetabled sessions split anywhere sum exactly: each is counted on its own day.
        #[test]
        fn timetabled_sessions_split_exactly(split in 0u16..364) {
            let year = FinancialYear::starting_in(2022);
            let iris = iris_angelo();
            let rate = money("214.46");
            let cut = year.first_day() + Duration::days(i64::from(split));
            let before = planned_cost_between(&iris, rate, year.first_day(), cut);
            let after = planned_cost_between(&iris, rate, cut + Duration::days(1), year.last_day());
            prop_assert_eq!(before + after, dec!(55974.06));
        }

        /// A PO's latest revision is always the PO as it stands.
        #[test]
        fn the_last_revision_is_the_po((cpli, rate) in per_unit_strategy(), split in 1u16..300) {
            let year = FinancialYear::starting_in(2022);
            let from = cpli.start + Duration::days(i64::from(split));
            let first = PoLine {
                lineage: 1,
                version_number: 1,
                cpli: Cpli { end: Some(from - Duration::days(1)), ..cpli.clone() },
                rate,
                made_on: None,
            };
            let second = PoLine {
                lineage: 1,
                version_number: 2,
                cpli: Cpli { start: from, ..cpli.clone() },
                rate,
                made_on: None,
            };
            let lines = [first, second];
            let history = revisions(&lines, year);
            prop_assert_eq!(history.len(), 2);
            prop_assert_eq!(history[1].value, value(&lines, year));
            prop_assert_eq!(history[0].value, line_value(&cpli, rate, year));
        }
    }
}
